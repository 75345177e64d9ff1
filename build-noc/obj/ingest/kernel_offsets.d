build-noc/obj/ingest/kernel_offsets.o: src/ingest/kernel_offsets.c \
 src/ingest/kernel_offsets.h
src/ingest/kernel_offsets.h:
