build2/obj/rules/analyse.o: src/rules/analyse.c src/rules/analyse.h \
 src/rules/rules.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/common/event.h src/engine/constraints.h src/common/errors.h \
 src/ingest/source.h src/ingest/trace_reader.h
src/rules/analyse.h:
src/rules/rules.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/common/event.h:
src/engine/constraints.h:
src/common/errors.h:
src/ingest/source.h:
src/ingest/trace_reader.h:
