build2/obj/cli/cmd_export.o: src/cli/cmd_export.c src/cli/commands.h \
 src/cli/cli.h src/common/errors.h src/render/format.h src/rules/rules.h \
 src/engine/engine.h include/dmabuf_trace_defaults.h src/common/event.h \
 src/engine/constraints.h src/cli/model_command.h src/render/model.h \
 src/render/describe.h src/render/perfetto.h
src/cli/commands.h:
src/cli/cli.h:
src/common/errors.h:
src/render/format.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/cli/model_command.h:
src/render/model.h:
src/render/describe.h:
src/render/perfetto.h:
