build-noc/obj/render/timeline.o: src/render/timeline.c \
 src/render/timeline.h src/engine/constraints.h src/render/format.h \
 src/rules/rules.h src/rules/select.h src/engine/engine.h \
 include/dmabuf_trace_defaults.h src/common/event.h src/rules/analyse.h \
 src/common/errors.h src/common/json_gen.h src/render/summary.h \
 src/common/escape.h src/render/findings.h src/common/u64map.h \
 src/common/units.h
src/render/timeline.h:
src/engine/constraints.h:
src/render/format.h:
src/rules/rules.h:
src/rules/select.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/rules/analyse.h:
src/common/errors.h:
src/common/json_gen.h:
src/render/summary.h:
src/common/escape.h:
src/render/findings.h:
src/common/u64map.h:
src/common/units.h:
