build-noc/obj/render/advise.o: src/render/advise.c src/common/json_gen.h \
 src/render/advise.h src/render/model.h src/render/describe.h \
 src/common/errors.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/rules/rules.h \
 src/rules/select.h src/common/escape.h src/common/units.h
src/common/json_gen.h:
src/render/advise.h:
src/render/model.h:
src/render/describe.h:
src/common/errors.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/rules/rules.h:
src/rules/select.h:
src/common/escape.h:
src/common/units.h:
