build2/asan/tests/ingest/test_ftrace: tests/unit/ingest/test_ftrace.c \
 src/ingest/source.h src/common/event.h src/ingest/trace_reader.h \
 src/ingest/ftrace.h
src/ingest/source.h:
src/common/event.h:
src/ingest/trace_reader.h:
src/ingest/ftrace.h:
