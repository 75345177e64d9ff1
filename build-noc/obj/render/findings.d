build-noc/obj/render/findings.o: src/render/findings.c \
 src/render/describe.h src/common/escape.h src/render/findings.h \
 src/render/format.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/rules/rules.h \
 src/common/json_gen.h src/common/units.h
src/render/describe.h:
src/common/escape.h:
src/render/findings.h:
src/render/format.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/rules/rules.h:
src/common/json_gen.h:
src/common/units.h:
