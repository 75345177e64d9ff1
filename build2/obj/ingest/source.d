build2/obj/ingest/source.o: src/ingest/source.c src/ingest/source.h \
 src/common/event.h src/ingest/trace_reader.h src/ingest/ftrace.h
src/ingest/source.h:
src/common/event.h:
src/ingest/trace_reader.h:
src/ingest/ftrace.h:
