driver=vivid contiguous=yes
