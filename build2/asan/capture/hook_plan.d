build2/asan/capture/hook_plan.o: src/capture/hook_plan.c \
 src/capture/hook_plan.h src/capture/ksyms.h
src/capture/hook_plan.h:
src/capture/ksyms.h:
