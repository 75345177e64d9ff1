build2/asan/obj/rules/rules.o: src/rules/rules.c src/common/errors.h \
 src/rules/rule.h src/rules/rules.h src/engine/engine.h \
 include/dmabuf_trace_defaults.h src/common/event.h \
 src/engine/constraints.h
src/common/errors.h:
src/rules/rule.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
