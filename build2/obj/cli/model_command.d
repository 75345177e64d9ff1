build2/obj/cli/model_command.o: src/cli/model_command.c \
 src/rules/analyse.h src/rules/rules.h src/engine/engine.h \
 include/dmabuf_trace_defaults.h src/common/event.h \
 src/engine/constraints.h src/cli/model_command.h src/cli/cli.h \
 src/common/errors.h src/render/format.h src/render/model.h \
 src/render/describe.h src/common/output_stream.h
src/rules/analyse.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/cli/model_command.h:
src/cli/cli.h:
src/common/errors.h:
src/render/format.h:
src/render/model.h:
src/render/describe.h:
src/common/output_stream.h:
