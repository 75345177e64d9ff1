build2/asan/obj/rules/late_attach.o: src/rules/late_attach.c \
 src/common/u64map.h src/rules/limits.h src/engine/engine.h \
 include/dmabuf_trace_defaults.h src/common/event.h \
 src/engine/constraints.h src/rules/rule.h src/rules/rules.h
src/common/u64map.h:
src/rules/limits.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/rules/rule.h:
src/rules/rules.h:
