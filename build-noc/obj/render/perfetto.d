build-noc/obj/render/perfetto.o: src/render/perfetto.c \
 src/common/escape.h src/render/perfetto.h src/render/model.h \
 src/render/describe.h src/common/errors.h src/engine/engine.h \
 include/dmabuf_trace_defaults.h src/engine/constraints.h \
 src/common/event.h src/rules/rules.h src/rules/select.h \
 src/common/units.h
src/common/escape.h:
src/render/perfetto.h:
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
