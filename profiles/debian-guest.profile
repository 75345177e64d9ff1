# Limits the kernel does not record, for the drivers in the QEMU guests of tools/vm.
# videobuf2-dma-contig (vivid allocators=1) programs one DMA address per plane: it accepts several
# scatterlist entries only if they form one back-to-back range, and rejects anything else
# ("contiguous chunk is too small").
driver=vivid   contiguous=yes
