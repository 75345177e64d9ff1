build-noc/obj/common/output_file.o: src/common/output_file.c \
 src/common/errors.h src/common/output_file.h
src/common/errors.h:
src/common/output_file.h:
