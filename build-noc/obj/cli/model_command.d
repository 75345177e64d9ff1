build-noc/obj/cli/model_command.o: src/cli/model_command.c \
 src/cli/commands.h src/cli/cli.h src/common/errors.h src/render/format.h \
 src/rules/rules.h src/rules/select.h src/engine/engine.h \
 include/dmabuf_trace_defaults.h src/engine/constraints.h \
 src/common/event.h src/rules/analyse.h src/cli/model_command.h \
 src/render/model.h src/render/describe.h src/common/output_stream.h
src/cli/commands.h:
src/cli/cli.h:
src/common/errors.h:
src/render/format.h:
src/rules/rules.h:
src/rules/select.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/rules/analyse.h:
src/cli/model_command.h:
src/render/model.h:
src/render/describe.h:
src/common/output_stream.h:
