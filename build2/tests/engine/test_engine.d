build2/tests/engine/test_engine: tests/unit/engine/test_engine.c \
 src/engine/constraints.h src/rules/rules.h src/engine/engine.h \
 include/dmabuf_trace_defaults.h src/common/event.h
src/engine/constraints.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
