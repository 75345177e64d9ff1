build-noc/obj/cli/cmd_ftrace_recipe.o: src/cli/cmd_ftrace_recipe.c \
 include/dmabuf_trace_defaults.h src/cli/cli.h src/common/errors.h \
 src/render/format.h src/rules/rules.h src/rules/select.h \
 src/engine/engine.h src/engine/constraints.h src/common/event.h \
 src/cli/commands.h src/ingest/kernel_offsets.h
include/dmabuf_trace_defaults.h:
src/cli/cli.h:
src/common/errors.h:
src/render/format.h:
src/rules/rules.h:
src/rules/select.h:
src/engine/engine.h:
src/engine/constraints.h:
src/common/event.h:
src/cli/commands.h:
src/ingest/kernel_offsets.h:
