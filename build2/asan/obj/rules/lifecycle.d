build2/asan/obj/rules/lifecycle.o: src/rules/lifecycle.c src/rules/rule.h \
 src/rules/rules.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/common/event.h src/engine/constraints.h
src/rules/rule.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
