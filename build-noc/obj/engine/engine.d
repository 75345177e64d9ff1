build-noc/obj/engine/engine.o: src/engine/engine.c src/common/errors.h \
 src/engine/engine_internal.h src/engine/engine.h \
 include/dmabuf_trace_defaults.h src/engine/constraints.h \
 src/common/event.h src/rules/rules.h src/common/u64map.h \
 src/common/units.h
src/common/errors.h:
src/engine/engine_internal.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/rules/rules.h:
src/common/u64map.h:
src/common/units.h:
