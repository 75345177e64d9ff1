build-noc/obj/render/model.o: src/render/model.c src/rules/analyse.h \
 src/common/errors.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/rules/rules.h \
 src/common/escape.h src/render/model.h src/render/describe.h \
 src/rules/select.h src/common/u64map.h src/common/units.h
src/rules/analyse.h:
src/common/errors.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/rules/rules.h:
src/common/escape.h:
src/render/model.h:
src/render/describe.h:
src/rules/select.h:
src/common/u64map.h:
src/common/units.h:
