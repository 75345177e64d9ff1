build2/asan/tests/ingest/test_reorder: tests/unit/ingest/test_reorder.c \
 src/ingest/reorder.h src/common/event.h
src/ingest/reorder.h:
src/common/event.h:
