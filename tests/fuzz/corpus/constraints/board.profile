driver=vivid           max-segments=1 contiguous=yes
device=0000:03:00.0    max-segment-size=64K segment-boundary=0xffffffff
device=*               max-segments=256
