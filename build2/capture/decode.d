build2/capture/decode.o: src/capture/decode.c \
 src/capture/capture_internal.h src/capture/capture.h src/common/event.h \
 include/dmabuf_trace_abi.h include/dmabuf_trace_defaults.h \
 src/capture/hook_plan.h src/capture/ksyms.h build2/dmabuf_trace.skel.h
src/capture/capture_internal.h:
src/capture/capture.h:
src/common/event.h:
include/dmabuf_trace_abi.h:
include/dmabuf_trace_defaults.h:
src/capture/hook_plan.h:
src/capture/ksyms.h:
build2/dmabuf_trace.skel.h:
