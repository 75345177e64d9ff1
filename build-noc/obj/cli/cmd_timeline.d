build-noc/obj/cli/cmd_timeline.o: src/cli/cmd_timeline.c src/cli/cli.h \
 src/common/errors.h src/render/format.h src/rules/rules.h \
 src/rules/select.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/cli/commands.h \
 src/render/timeline.h src/rules/analyse.h
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
src/render/timeline.h:
src/rules/analyse.h:
