build2/tests/render/test_state: tests/unit/render/test_state.c \
 src/common/errors.h src/render/state.h src/render/format.h
src/common/errors.h:
src/render/state.h:
src/render/format.h:
