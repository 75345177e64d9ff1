build2/asan/tests/common/test_u64map: tests/unit/common/test_u64map.c \
 src/common/u64map.h
src/common/u64map.h:
