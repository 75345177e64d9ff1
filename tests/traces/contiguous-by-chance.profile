driver=vivid contiguous=yes
exporter=videobuf2_dma* provides=contiguous
