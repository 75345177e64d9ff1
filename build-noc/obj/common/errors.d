build-noc/obj/common/errors.o: src/common/errors.c src/common/errors.h \
 src/common/escape.h
src/common/errors.h:
src/common/escape.h:
