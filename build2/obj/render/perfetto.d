build2/obj/render/perfetto.o: src/render/perfetto.c src/common/escape.h \
 src/render/perfetto.h src/render/model.h src/render/describe.h \
 src/rules/rules.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/common/event.h src/engine/constraints.h src/common/units.h
src/common/escape.h:
src/render/perfetto.h:
src/render/model.h:
src/render/describe.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/common/units.h:
