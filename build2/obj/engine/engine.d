build2/obj/engine/engine.o: src/engine/engine.c src/common/u64map.h \
 src/engine/engine.h include/dmabuf_trace_defaults.h src/common/event.h \
 src/engine/constraints.h src/engine/kernel_limits.h
src/common/u64map.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/engine/kernel_limits.h:
