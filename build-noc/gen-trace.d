build-noc/gen-trace: tools/gen/gen-trace.c src/ingest/trace_writer.h \
 src/common/event.h
src/ingest/trace_writer.h:
src/common/event.h:
