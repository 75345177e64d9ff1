device=* segment-boundary=0x1000 max-segments=18446744073709551616
