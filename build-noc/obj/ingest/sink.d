build-noc/obj/ingest/sink.o: src/ingest/sink.c src/ingest/sink.h \
 src/common/event.h
src/ingest/sink.h:
src/common/event.h:
