build2/asan/obj/rules/contiguous_by_chance.o: \
 src/rules/contiguous_by_chance.c src/common/units.h src/rules/rule.h \
 src/rules/rules.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/common/event.h src/engine/constraints.h
src/common/units.h:
src/rules/rule.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
