build-noc/obj/render/summary.o: src/render/summary.c \
 src/common/json_gen.h src/render/summary.h src/engine/engine.h \
 include/dmabuf_trace_defaults.h src/engine/constraints.h \
 src/common/event.h src/rules/rules.h
src/common/json_gen.h:
src/render/summary.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/rules/rules.h:
