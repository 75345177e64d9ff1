build-noc/obj/ingest/bufinfo.o: src/ingest/bufinfo.c \
 include/dmabuf_trace_defaults.h src/common/errors.h src/ingest/bufinfo.h \
 src/common/event.h src/common/escape.h
include/dmabuf_trace_defaults.h:
src/common/errors.h:
src/ingest/bufinfo.h:
src/common/event.h:
src/common/escape.h:
