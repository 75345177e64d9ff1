build2/obj/render/advise.o: src/render/advise.c src/render/advise.h \
 src/render/model.h src/render/describe.h src/rules/rules.h \
 src/engine/engine.h include/dmabuf_trace_defaults.h src/common/event.h \
 src/engine/constraints.h src/common/escape.h src/common/units.h
src/render/advise.h:
src/render/model.h:
src/render/describe.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/common/escape.h:
src/common/units.h:
