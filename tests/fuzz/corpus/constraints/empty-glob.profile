device= max-segments=1
