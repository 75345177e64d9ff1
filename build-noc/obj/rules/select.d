build-noc/obj/rules/select.o: src/rules/select.c src/rules/select.h \
 src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/rules/rules.h
src/rules/select.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/rules/rules.h:
