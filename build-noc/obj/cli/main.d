build-noc/obj/cli/main.o: src/cli/main.c src/cli/cli.h \
 src/common/errors.h src/render/format.h src/rules/rules.h \
 src/rules/select.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/cli/commands.h \
 src/common/output_file.h src/common/version.h src/render/findings.h
src/cli/cli.h:
src/common/errors.h:
src/render/format.h:
src/rules/rules.h:
src/rules/select.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/cli/commands.h:
src/common/output_file.h:
src/common/version.h:
src/render/findings.h:
