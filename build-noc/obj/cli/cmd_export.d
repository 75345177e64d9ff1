build-noc/obj/cli/cmd_export.o: src/cli/cmd_export.c src/cli/commands.h \
 src/cli/cli.h src/common/errors.h src/render/format.h src/rules/rules.h \
 src/rules/select.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/cli/model_command.h \
 src/render/model.h src/render/describe.h src/render/perfetto.h
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
src/cli/model_command.h:
src/render/model.h:
src/render/describe.h:
src/render/perfetto.h:
