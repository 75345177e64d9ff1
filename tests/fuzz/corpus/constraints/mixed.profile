# comment

  driver=* contiguous=no max-segment-size=1M # trailing
device=vivid.[0-9] max-segments=0x10 segment-boundary=4095 contiguous=TRUE
device=vgem max-segment-size=64KiB
