build-noc/obj/common/u64map.o: src/common/u64map.c src/common/u64map.h
src/common/u64map.h:
