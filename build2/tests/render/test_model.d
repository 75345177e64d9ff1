build2/tests/render/test_model: tests/unit/render/test_model.c \
 src/cli/cli.h src/common/errors.h src/render/format.h src/rules/rules.h \
 src/engine/engine.h include/dmabuf_trace_defaults.h src/common/event.h \
 src/engine/constraints.h src/common/escape.h src/render/model.h \
 src/render/describe.h
src/cli/cli.h:
src/common/errors.h:
src/render/format.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/common/escape.h:
src/render/model.h:
src/render/describe.h:
