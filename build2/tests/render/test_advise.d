build2/tests/render/test_advise: tests/unit/render/test_advise.c \
 src/render/advise.h src/render/model.h src/render/describe.h \
 src/rules/rules.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/common/event.h src/engine/constraints.h src/cli/cli.h \
 src/common/errors.h src/render/format.h
src/render/advise.h:
src/render/model.h:
src/render/describe.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/cli/cli.h:
src/common/errors.h:
src/render/format.h:
