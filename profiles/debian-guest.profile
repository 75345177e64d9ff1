# Limits the kernel does not record, for the drivers in the QEMU guests of tools/vm.
# videobuf2-dma-contig (vivid allocators=1) programs one DMA address per plane: it accepts several
# scatterlist entries only if they form one back-to-back range, and rejects anything else
# ("contiguous chunk is too small"). dmabuf-trace also knows this by itself from the vb2_dc_* frames
# of the attach and map stacks (docs/constraints.md); the line keeps traces recorded without stacks exact.
driver=vivid   contiguous=yes
# Buffers vivid exports from its dma-contig queue come from dma_alloc_attrs(): one contiguous range
# (the guest has no IOMMU), so importers needing contiguity get it by design, not by chance.
exporter=videobuf2_dma_contig provides=contiguous
