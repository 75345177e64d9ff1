build-noc/obj/rules/analyse.o: src/rules/analyse.c src/rules/analyse.h \
 src/common/errors.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/rules/rules.h \
 src/ingest/source.h src/ingest/trace_reader.h
src/rules/analyse.h:
src/common/errors.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/rules/rules.h:
src/ingest/source.h:
src/ingest/trace_reader.h:
