build-noc/obj/common/read_file.o: src/common/read_file.c \
 src/common/read_file.h
src/common/read_file.h:
