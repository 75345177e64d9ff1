build2/obj/render/state.o: src/render/state.c src/rules/analyse.h \
 src/rules/rules.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/common/event.h src/engine/constraints.h src/common/errors.h \
 src/render/state.h src/render/format.h src/common/escape.h \
 src/render/findings.h src/common/json_gen.h
src/rules/analyse.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/common/errors.h:
src/render/state.h:
src/render/format.h:
src/common/escape.h:
src/render/findings.h:
src/common/json_gen.h:
