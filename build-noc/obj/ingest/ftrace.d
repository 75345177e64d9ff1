build-noc/obj/ingest/ftrace.o: src/ingest/ftrace.c \
 include/dmabuf_trace_defaults.h src/common/errors.h src/common/escape.h \
 src/ingest/ftrace.h src/common/event.h src/common/u64map.h
include/dmabuf_trace_defaults.h:
src/common/errors.h:
src/common/escape.h:
src/ingest/ftrace.h:
src/common/event.h:
src/common/u64map.h:
