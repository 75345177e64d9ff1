build2/asan/tests/render/test_describe: tests/unit/render/test_describe.c \
 src/render/describe.h src/common/escape.h
src/render/describe.h:
src/common/escape.h:
