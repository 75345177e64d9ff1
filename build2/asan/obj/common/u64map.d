build2/asan/obj/common/u64map.o: src/common/u64map.c src/common/u64map.h
src/common/u64map.h:
