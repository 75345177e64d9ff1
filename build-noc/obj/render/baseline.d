build-noc/obj/render/baseline.o: src/render/baseline.c \
 src/render/baseline.h src/engine/engine.h \
 include/dmabuf_trace_defaults.h src/engine/constraints.h \
 src/common/event.h src/rules/rules.h src/common/read_file.h \
 src/common/escape.h src/common/u64map.h
src/render/baseline.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/rules/rules.h:
src/common/read_file.h:
src/common/escape.h:
src/common/u64map.h:
