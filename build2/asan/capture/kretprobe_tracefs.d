build2/asan/capture/kretprobe_tracefs.o: src/capture/kretprobe_tracefs.c \
 src/capture/kretprobe_tracefs.h
src/capture/kretprobe_tracefs.h:
