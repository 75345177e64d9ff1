build-noc/obj/common/event.o: src/common/event.c src/common/event.h
src/common/event.h:
