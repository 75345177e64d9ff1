build-noc/obj/common/output_stream.o: src/common/output_stream.c \
 src/common/errors.h src/common/output_file.h src/common/output_stream.h
src/common/errors.h:
src/common/output_file.h:
src/common/output_stream.h:
