build-noc/obj/render/html.o: src/render/html.c src/common/escape.h \
 src/render/html.h src/render/model.h src/render/describe.h \
 src/common/errors.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/rules/rules.h \
 src/rules/select.h src/common/units.h src/common/version.h
src/common/escape.h:
src/render/html.h:
src/render/model.h:
src/render/describe.h:
src/common/errors.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/rules/rules.h:
src/rules/select.h:
src/common/units.h:
src/common/version.h:
