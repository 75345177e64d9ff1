build-noc/dmabuf-exercise: tools/exercise/dmabuf-exercise.c \
 tools/exercise/drm-min.h
tools/exercise/drm-min.h:
