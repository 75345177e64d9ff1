build-noc/obj/common/units.o: src/common/units.c src/common/units.h
src/common/units.h:
