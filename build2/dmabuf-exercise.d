build2/dmabuf-exercise: tools/exercise/dmabuf-exercise.c \
 tools/exercise/drm-min.h
tools/exercise/drm-min.h:
