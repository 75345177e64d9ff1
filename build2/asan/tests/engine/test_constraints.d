build2/asan/tests/engine/test_constraints: \
 tests/unit/engine/test_constraints.c src/engine/constraints.h
src/engine/constraints.h:
