build-noc/obj/cli/cmd_baseline.o: src/cli/cmd_baseline.c \
 src/rules/analyse.h src/common/errors.h src/engine/engine.h \
 include/dmabuf_trace_defaults.h src/engine/constraints.h \
 src/common/event.h src/rules/rules.h src/render/baseline.h src/cli/cli.h \
 src/render/format.h src/rules/select.h src/cli/commands.h \
 src/common/output_stream.h
src/rules/analyse.h:
src/common/errors.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/rules/rules.h:
src/render/baseline.h:
src/cli/cli.h:
src/render/format.h:
src/rules/select.h:
src/cli/commands.h:
src/common/output_stream.h:
