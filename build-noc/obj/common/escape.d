build-noc/obj/common/escape.o: src/common/escape.c src/common/escape.h
src/common/escape.h:
