build2/obj/cli/cmd_timeline.o: src/cli/cmd_timeline.c src/cli/cli.h \
 src/common/errors.h src/render/format.h src/rules/rules.h \
 src/engine/engine.h include/dmabuf_trace_defaults.h src/common/event.h \
 src/engine/constraints.h src/cli/commands.h src/render/findings.h \
 src/render/timeline.h src/rules/analyse.h
src/cli/cli.h:
src/common/errors.h:
src/render/format.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/cli/commands.h:
src/render/findings.h:
src/render/timeline.h:
src/rules/analyse.h:
