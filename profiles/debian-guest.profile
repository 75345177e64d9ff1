# Limits the kernel does not record, for the drivers in the QEMU guests of tools/vm.
# videobuf2-dma-contig (vivid allocators=1) programs one DMA address per plane:
# it rejects anything but one contiguous range ("contiguous chunk is too small").
driver=vivid   contiguous=yes max-segments=1
