build-noc/obj/cli/cmd_advise.o: src/cli/cmd_advise.c src/render/advise.h \
 src/render/model.h src/render/describe.h src/common/errors.h \
 src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/rules/rules.h \
 src/rules/select.h src/rules/analyse.h src/cli/cli.h src/render/format.h \
 src/cli/commands.h src/cli/model_command.h
src/render/advise.h:
src/render/model.h:
src/render/describe.h:
src/common/errors.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/rules/rules.h:
src/rules/select.h:
src/rules/analyse.h:
src/cli/cli.h:
src/render/format.h:
src/cli/commands.h:
src/cli/model_command.h:
