driver=vivid max-segments=1 contiguous=yes
