build2/asan/obj/rules/limits.o: src/rules/limits.c src/rules/limits.h \
 src/engine/engine.h include/dmabuf_trace_defaults.h src/common/event.h \
 src/engine/constraints.h src/rules/rule.h src/rules/rules.h \
 src/common/units.h
src/rules/limits.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/rules/rule.h:
src/rules/rules.h:
src/common/units.h:
