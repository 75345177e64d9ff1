build-noc/obj/ingest/trace_writer.o: src/ingest/trace_writer.c \
 src/common/escape.h src/common/json_gen.h src/ingest/trace_writer.h \
 src/common/event.h
src/common/escape.h:
src/common/json_gen.h:
src/ingest/trace_writer.h:
src/common/event.h:
