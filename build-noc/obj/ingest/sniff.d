build-noc/obj/ingest/sniff.o: src/ingest/sniff.c src/ingest/ftrace.h \
 src/common/event.h src/ingest/sniff.h
src/ingest/ftrace.h:
src/common/event.h:
src/ingest/sniff.h:
