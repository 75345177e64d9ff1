build2/asan/tests/common/test_escape: tests/unit/common/test_escape.c \
 src/common/escape.h
src/common/escape.h:
