build2/capture/tools/dt-core-check.o: src/capture/tools/dt-core-check.c \
 build2/dmabuf_trace.skel.h
build2/dmabuf_trace.skel.h:
