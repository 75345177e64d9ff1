#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs inside the 6.12 guest (tools/bench/live via tools/vm/run --cmd). Prints "R key value..." lines.
#   storm: untraced / record / bpftrace, interleaved rounds (ratios from one boot)
#   ring:  record --ring-size sweep, lost events per size
#   dma:   non-dma-buf dma_map_sg traffic (virtio-gpu dumb buffers) untraced vs record
N=${BENCH_STORM:-2000}
ROUNDS=${BENCH_ROUNDS:-4}
DMA_N=${BENCH_DMA:-500}
RINGS=${BENCH_RINGS:-"262144 1048576 4194304 16777216"}
T=/sys/kernel/tracing

us() { sed -n 's/.*"us_per_cycle":\([0-9.]*\).*/\1/p' "$1" | tail -n 1; }
secs() { sed -n 's/.*"step":"storm".*"seconds":\([0-9.]*\).*/\1/p' "$1" | tail -n 1; }
lost() { sed -n 's/.*"type":"lost".*"count":\([0-9]*\).*/\1/p' "$1" | awk '{s += $1} END {print s + 0}'; }
# dma-buf events only (not the header, "lost" or the closing "end" line)
events() { grep -cE '"type":"(export|attach|map|unmap|detach|release|vmap|vunmap)"' "$1"; }

storm() { dmabuf-exercise --out /tmp "storm:$1"; }

BT_PROG='
kretprobe:dma_buf_export { printf("export %d %s %llx %llu\n", pid, comm, retval, nsecs); }
kretprobe:dma_buf_dynamic_attach { printf("attach %d %s %llx %llu\n%s\n", pid, comm, retval, nsecs, kstack); }
kprobe:dma_buf_map_attachment { @att[tid] = arg0; }
kretprobe:dma_buf_map_attachment { printf("map %d %s %llx %llx %llu\n%s\n", pid, comm, @att[tid], retval, nsecs, kstack); delete(@att[tid]); }
kprobe:dma_buf_unmap_attachment { printf("unmap %d %s %llx %llu\n", pid, comm, arg0, nsecs); }
kprobe:dma_buf_detach { printf("detach %d %s %llx %llx %llu\n", pid, comm, arg0, arg1, nsecs); }
kprobe:dma_buf_release { printf("release %d %s %llx %llu\n", pid, comm, arg0, nsecs); }
'

echo "R kernel $(uname -r)"
echo "R storm_cycles $N"
# warm-up: first vgem attach allocates the shmem pages, first BPF load warms caches
storm 20 >/tmp/warm.log 2>&1
HAVE_BT=0
if command -v bpftrace >/dev/null 2>&1; then
	if bpftrace -e 'BEGIN { exit(); }' >/tmp/bt-probe.log 2>&1; then
		HAVE_BT=1
		echo "R bpftrace_version $(bpftrace --version 2>&1 | head -n 1)"
	else
		echo "R bpftrace_error $(tr '\n' ' ' </tmp/bt-probe.log | cut -c1-300)"
	fi
else
	echo "R bpftrace_error not in the guest"
fi
r=1
while [ $r -le "$ROUNDS" ]; do
	storm "$N" >/tmp/u.log 2>&1
	echo "R storm untraced $r $(us /tmp/u.log) $(secs /tmp/u.log)"
	rm -f /tmp/rec.jsonl
	dmabuf-trace record --quiet -o /tmp/rec.jsonl -- dmabuf-exercise --out /tmp "storm:$N" >/tmp/r.log 2>/tmp/r.err
	echo "R storm record $r $(us /tmp/r.log) $(secs /tmp/r.log) events $(events /tmp/rec.jsonl) lost $(lost /tmp/rec.jsonl)"
	[ $r = 1 ] && { echo "R record_modes_begin"; cat /tmp/r.err; echo "R record_modes_end"; }
	rm -f /tmp/rec.jsonl
	dmabuf-trace record --quiet --no-stacks -o /tmp/rec.jsonl -- dmabuf-exercise --out /tmp "storm:$N" >/tmp/r.log 2>/tmp/r.err
	echo "R storm record-nostacks $r $(us /tmp/r.log) $(secs /tmp/r.log) events $(events /tmp/rec.jsonl) lost $(lost /tmp/rec.jsonl)"
	if [ $HAVE_BT = 1 ]; then
		# the same 4 MiB of buffer per CPU as record's default ring (1024 pages)
		BPFTRACE_PERF_RB_PAGES=1024 bpftrace -o /tmp/bt.txt -e "$BT_PROG" -c "/bin/dmabuf-exercise --out /tmp storm:$N" >/tmp/b.log 2>/tmp/b.err
		echo "R storm bpftrace $r $(us /tmp/b.log) $(secs /tmp/b.log) events $(grep -cE '^(export|attach|map|unmap|detach|release) ' /tmp/bt.txt 2>/dev/null) lost $(cat /tmp/bt.txt /tmp/b.err 2>/dev/null | sed -n 's/.*[Ll]ost \([0-9]*\) events.*/\1/p' | awk '{s += $1} END {print s + 0}')"
		[ $r = 1 ] && { echo "R bpftrace_err_begin"; head -n 20 /tmp/b.err; echo "R bpftrace_err_end"; }
	fi
	r=$((r + 1))
done

# BENCH_PARTS=storm: only the rounds above (the 2-vCPU boot of tools/bench/run)
if [ "${BENCH_PARTS:-all}" = storm ]; then
	echo "R done"
	exit 0
fi

# Ring size: smallest ring with zero lost events at the storm's rate
for rs in $RINGS; do
	rm -f /tmp/rec.jsonl
	dmabuf-trace record --quiet --ring-size "$rs" -o /tmp/rec.jsonl -- dmabuf-exercise --out /tmp "storm:$N" >/tmp/r.log 2>/tmp/r.err
	echo "R ring $rs $(us /tmp/r.log) $(secs /tmp/r.log) events $(events /tmp/rec.jsonl) lost $(lost /tmp/rec.jsonl)"
done

# DMA-level hook on non-dma-buf dma_map_sg traffic
if command -v dmamap-loop >/dev/null 2>&1; then
	dmamap-loop 20 >/dev/null 2>&1
	if [ -d $T/events/dma/dma_map_sg ]; then
		echo >$T/trace
		echo 1 >$T/events/dma/dma_map_sg/enable
		dmamap-loop "$DMA_N" >/tmp/d.log 2>&1
		echo 0 >$T/events/dma/dma_map_sg/enable
		echo "R dma ftrace_calls $(grep -c 'dma_map_sg:' $T/trace) per $DMA_N"
	fi
	r=1
	while [ $r -le "$ROUNDS" ]; do
		dmamap-loop "$DMA_N" >/tmp/d.log 2>&1
		echo "R dma untraced $r $(sed -n 's/.*"us_per_iter":\([0-9.]*\).*/\1/p' /tmp/d.log)"
		rm -f /tmp/rec.jsonl
		dmabuf-trace record --quiet -o /tmp/rec.jsonl -- dmamap-loop "$DMA_N" >/tmp/d.log 2>/tmp/d.err
		echo "R dma record $r $(sed -n 's/.*"us_per_iter":\([0-9.]*\).*/\1/p' /tmp/d.log) events $(events /tmp/rec.jsonl)"
		r=$((r + 1))
	done
else
	echo "R dma_error dmamap-loop not in the guest"
fi
echo "R done"
