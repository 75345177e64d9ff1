build2/asan/tests/common/test_units: tests/unit/common/test_units.c \
 src/common/units.h
src/common/units.h:
