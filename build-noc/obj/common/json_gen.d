build-noc/obj/common/json_gen.o: src/common/json_gen.c \
 src/common/escape.h src/common/event.h src/common/json_gen.h
src/common/escape.h:
src/common/event.h:
src/common/json_gen.h:
