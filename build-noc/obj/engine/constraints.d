build-noc/obj/engine/constraints.o: src/engine/constraints.c \
 src/engine/constraints.h src/common/read_file.h src/common/units.h
src/engine/constraints.h:
src/common/read_file.h:
src/common/units.h:
