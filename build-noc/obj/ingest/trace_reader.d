build-noc/obj/ingest/trace_reader.o: src/ingest/trace_reader.c \
 src/common/escape.h src/ingest/trace_reader.h src/common/event.h
src/common/escape.h:
src/ingest/trace_reader.h:
src/common/event.h:
