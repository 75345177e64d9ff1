build2/tests/render/test_baseline: tests/unit/render/test_baseline.c \
 src/render/baseline.h src/rules/rules.h src/engine/engine.h \
 include/dmabuf_trace_defaults.h src/common/event.h \
 src/engine/constraints.h
src/render/baseline.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
