build2/asan/tests/ingest/test_bufinfo: tests/unit/ingest/test_bufinfo.c \
 src/ingest/bufinfo.h src/common/event.h
src/ingest/bufinfo.h:
src/common/event.h:
