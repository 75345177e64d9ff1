build2/asan/obj/cli/main.o: src/cli/main.c src/cli/cli.h \
 src/common/errors.h src/render/format.h src/rules/rules.h \
 src/engine/engine.h include/dmabuf_trace_defaults.h src/common/event.h \
 src/engine/constraints.h src/cli/commands.h src/common/version.h
src/cli/cli.h:
src/common/errors.h:
src/render/format.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/cli/commands.h:
src/common/version.h:
