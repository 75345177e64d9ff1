build2/asan/obj/render/model.o: src/render/model.c src/rules/analyse.h \
 src/rules/rules.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/common/event.h src/engine/constraints.h src/common/escape.h \
 src/common/errors.h src/render/model.h src/render/describe.h \
 src/common/u64map.h src/common/units.h
src/rules/analyse.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/common/escape.h:
src/common/errors.h:
src/render/model.h:
src/render/describe.h:
src/common/u64map.h:
src/common/units.h:
