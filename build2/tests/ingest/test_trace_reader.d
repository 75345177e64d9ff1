build2/tests/ingest/test_trace_reader: \
 tests/unit/ingest/test_trace_reader.c src/ingest/trace_reader.h \
 src/common/event.h src/ingest/trace_writer.h
src/ingest/trace_reader.h:
src/common/event.h:
src/ingest/trace_writer.h:
