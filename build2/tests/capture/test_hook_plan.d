build2/tests/capture/test_hook_plan: tests/unit/capture/test_hook_plan.c \
 src/capture/hook_plan.h src/capture/ksyms.h
src/capture/hook_plan.h:
src/capture/ksyms.h:
