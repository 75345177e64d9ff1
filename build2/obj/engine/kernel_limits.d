build2/obj/engine/kernel_limits.o: src/engine/kernel_limits.c \
 src/engine/kernel_limits.h src/common/event.h src/engine/constraints.h
src/engine/kernel_limits.h:
src/common/event.h:
src/engine/constraints.h:
