build-noc/obj/render/state.o: src/render/state.c src/render/state.h \
 src/common/errors.h src/engine/constraints.h src/render/format.h \
 src/rules/select.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/common/event.h src/rules/rules.h src/rules/analyse.h \
 src/common/escape.h src/render/findings.h src/common/json_gen.h
src/render/state.h:
src/common/errors.h:
src/engine/constraints.h:
src/render/format.h:
src/rules/select.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/rules/rules.h:
src/rules/analyse.h:
src/common/escape.h:
src/render/findings.h:
src/common/json_gen.h:
