build2/asan/obj/ingest/reorder.o: src/ingest/reorder.c \
 src/ingest/reorder.h src/common/event.h
src/ingest/reorder.h:
src/common/event.h:
