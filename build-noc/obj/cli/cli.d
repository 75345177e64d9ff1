build-noc/obj/cli/cli.o: src/cli/cli.c src/cli/cli.h src/common/errors.h \
 src/render/format.h src/rules/rules.h src/rules/select.h \
 src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/common/units.h
src/cli/cli.h:
src/common/errors.h:
src/render/format.h:
src/rules/rules.h:
src/rules/select.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/common/units.h:
