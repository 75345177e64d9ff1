build2/obj/render/junit.o: src/render/junit.c src/common/escape.h \
 src/render/junit.h src/render/model.h src/render/describe.h \
 src/rules/rules.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/common/event.h src/engine/constraints.h
src/common/escape.h:
src/render/junit.h:
src/render/model.h:
src/render/describe.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
