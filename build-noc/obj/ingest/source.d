build-noc/obj/ingest/source.o: src/ingest/source.c src/ingest/source.h \
 src/common/event.h src/ingest/trace_reader.h src/common/errors.h \
 src/ingest/bufinfo.h src/ingest/ftrace.h src/ingest/sniff.h
src/ingest/source.h:
src/common/event.h:
src/ingest/trace_reader.h:
src/common/errors.h:
src/ingest/bufinfo.h:
src/ingest/ftrace.h:
src/ingest/sniff.h:
