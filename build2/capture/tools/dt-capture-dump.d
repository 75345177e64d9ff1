build2/capture/tools/dt-capture-dump.o: \
 src/capture/tools/dt-capture-dump.c src/capture/capture.h \
 src/common/event.h include/dmabuf_trace_abi.h \
 include/dmabuf_trace_defaults.h
src/capture/capture.h:
src/common/event.h:
include/dmabuf_trace_abi.h:
include/dmabuf_trace_defaults.h:
