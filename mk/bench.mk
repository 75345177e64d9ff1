# SPDX-License-Identifier: Apache-2.0
# make bench: benchmarks (tools/bench/run). They report, they never fail on speed; not part of `make check`.
#   offline: `check` on 1 M and 10 M generated events vs cat and jq; live: record/bpftrace overhead in the amd64
#   and arm64 6.12 guests, ring size, the DMA-level hook. Results: table on stdout, bench/results-<date>.md and .json.
#   Then the daemon's soak (tools/bench/soak: a storm for minutes in a second guest boot, RSS every 5 s).
#   make bench BENCH_LIVE=0        offline part only
BENCH_LIVE ?= 1

bench: DEPS_GROUPS += build test bench
bench: deps
	$(Q)$(MAKE) --no-print-directory $(O)/dmabuf-trace $(O)/gen-trace $(O)/dmabuf-exercise $(O)/dmamap-loop $(O)/cputime
	$(Q)O=$(O) BENCH_LIVE=$(BENCH_LIVE) tools/bench/run
	$(Q)if [ "$(BENCH_LIVE)" = 1 ]; then O=$(O) tools/bench/soak; fi

# Guest helper: dma_map_sg traffic that is not a dma-buf map (virtio-gpu dumb buffers).
$(O)/dmamap-loop: tools/bench/dmamap-loop.c tools/exercise/drm-min.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Itools/exercise -MF $(O)/dmamap-loop.d -o $@ $<

# Guest helper: a command's CPU time from wait4 (the streaming client's CPU per frame).
$(O)/cputime: tools/bench/cputime.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -MF $(O)/cputime.d -o $@ $<

# The offline part on a tiny trace keeps the bench scripts from rotting (tests/suite-bench-smoke).
CHECK_SUITES += bench-smoke
SUITE_NEEDS_bench-smoke := $(O)/dmabuf-trace $(O)/gen-trace $(if $(filter 1,$(CAPTURE)),$(O)/dt-ring-bench)
