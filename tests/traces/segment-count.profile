driver=vivid max-segments=1
