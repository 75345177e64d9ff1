driver=vivid contiguous=no
