#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs inside the 6.12 guest (tools/bench/run via tools/vm/run --cmd). Prints "R key value..." lines.
# Parts (BENCH_PARTS, default all of them, in this order, one boot):
#   storm: untraced / record / record --no-stacks / bpftrace, interleaved rounds (ratios from one boot)
#   stats: kernel.bpf_stats_enabled=1: run count and ns per run of every program of record (default, --no-stacks,
#          --stack-depth 1 4 8 16 32) and of bpftrace's same probes (bpftool prog show while it runs)
#   ring:  record --ring-size sweep, lost events per size
#   dma:   non-dma-buf dma_map_sg traffic (virtio-gpu dumb buffers) untraced vs record, interleaved rounds
#   gst:   GStreamer v4l2src io-mode=dmabuf ! v4l2sink io-mode=dmabuf-import between vivid instances, the
#          client's CPU time (cputime: wait4 rusage) over BENCH_FRAMES frames, untraced vs under record and
#          record --no-stacks, and the events per frame of each type
N=${BENCH_STORM:-2000}
ROUNDS=${BENCH_ROUNDS:-4}
DMA_N=${BENCH_DMA:-500}
FRAMES=${BENCH_FRAMES:-150}
GST_ROUNDS=${BENCH_GST_ROUNDS:-7} # the client's CPU per frame spreads a few % between runs: the median of more rounds
RINGS=${BENCH_RINGS:-"262144 1048576 4194304 16777216"}
DEPTHS=${BENCH_DEPTHS:-"1 4 8 16 32"}
PARTS=${BENCH_PARTS:-"storm stats ring dma gst"}
T=/sys/kernel/tracing

us() { sed -n 's/.*"us_per_cycle":\([0-9.]*\).*/\1/p' "$1" | tail -n 1; }
secs() { sed -n 's/.*"step":"storm".*"seconds":\([0-9.]*\).*/\1/p' "$1" | tail -n 1; }
lost() { sed -n 's/.*"type":"lost".*"count":\([0-9]*\).*/\1/p' "$1" | awk '{s += $1} END {print s + 0}'; }
# dma-buf events only (not the header, "lost" or the closing "end" line)
events() { grep -cE '"type":"(export|attach|map|unmap|detach|release|vmap|vunmap)"' "$1"; }
# without a trace file: the summary line "live: N events, B buffers, A attachments, L lost; ..."
summary_events() { sed -n 's/^live: \([0-9]*\) events,.*/\1/p' "$1" | tail -n 1; }
summary_lost() { sed -n 's/^live: .* \([0-9]*\) lost;.*/\1/p' "$1" | tail -n 1; }
has() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
# record's "reader:" line (printed with losses, bpf_stats or DT_READER_STATS set): ring fill, longest poll, kallsyms reloads
reader() { sed -n "s/^dmabuf-trace[a-z ]*: reader: /R reader $1 $2 /p" /tmp/r.err; }

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
BT_PROBES=7

echo "R kernel $(uname -r)"
echo "R nproc $(grep -c ^processor /proc/cpuinfo)"
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

if has storm; then
	r=1
	while [ $r -le "$ROUNDS" ]; do
		storm "$N" >/tmp/u.log 2>&1
		echo "R storm untraced $r $(us /tmp/u.log) $(secs /tmp/u.log)"
		rm -f /tmp/rec.jsonl
		DT_READER_STATS=1 dmabuf-trace record --quiet -o /tmp/rec.jsonl -- dmabuf-exercise --out /tmp "storm:$N" >/tmp/r.log 2>/tmp/r.err
		echo "R storm record $r $(us /tmp/r.log) $(secs /tmp/r.log) events $(events /tmp/rec.jsonl) lost $(lost /tmp/rec.jsonl)"
		reader record $r
		[ $r = 1 ] && { echo "R record_modes_begin"; cat /tmp/r.err; echo "R record_modes_end"; }
		rm -f /tmp/rec.jsonl
		DT_READER_STATS=1 dmabuf-trace record --quiet --no-stacks -o /tmp/rec.jsonl -- dmabuf-exercise --out /tmp "storm:$N" >/tmp/r.log 2>/tmp/r.err
		echo "R storm record-nostacks $r $(us /tmp/r.log) $(secs /tmp/r.log) events $(events /tmp/rec.jsonl) lost $(lost /tmp/rec.jsonl)"
		reader record-nostacks $r
		# the same without a trace file (no -o: capture, reorder window, engine and rules): what the
		# trace writer and the file cost is the difference to record-nostacks
		DT_READER_STATS=1 dmabuf-trace record --quiet --no-stacks -- dmabuf-exercise --out /tmp "storm:$N" >/tmp/r.log 2>/tmp/r.err
		echo "R storm record-notrace $r $(us /tmp/r.log) $(secs /tmp/r.log) events $(summary_events /tmp/r.err) lost $(summary_lost /tmp/r.err)"
		if [ $HAVE_BT = 1 ]; then
			# the same 4 MiB of buffer per CPU as record's default ring (1024 pages)
			BPFTRACE_PERF_RB_PAGES=1024 bpftrace -o /tmp/bt.txt -e "$BT_PROG" -c "/bin/dmabuf-exercise --out /tmp storm:$N" >/tmp/b.log 2>/tmp/b.err
			echo "R storm bpftrace $r $(us /tmp/b.log) $(secs /tmp/b.log) events $(grep -cE '^(export|attach|map|unmap|detach|release) ' /tmp/bt.txt 2>/dev/null) lost $(cat /tmp/bt.txt /tmp/b.err 2>/dev/null | sed -n 's/.*[Ll]ost \([0-9]*\) events.*/\1/p' | awk '{s += $1} END {print s + 0}')"
			[ $r = 1 ] && { echo "R bpftrace_err_begin"; head -n 20 /tmp/b.err; echo "R bpftrace_err_end"; }
		fi
		r=$((r + 1))
	done
fi

# The kernel's own accounting: ns per program run (bpf_prog_info run_time_ns / run_cnt). It adds two clock
# reads per run, so the storm times of this part are not the ratios above.
if has stats && [ -w /proc/sys/kernel/bpf_stats_enabled ]; then
	echo 1 >/proc/sys/kernel/bpf_stats_enabled
	for mode in default nostacks notrace $DEPTHS; do
		out="-o /tmp/rec.jsonl"
		case $mode in
		default) args= ;;
		nostacks) args=--no-stacks ;;
		notrace) args=--no-stacks out= ;; # no trace file: the recorder's CPU without the writer
		*) args="--stack-depth $mode" ;;
		esac
		rm -f /tmp/rec.jsonl
		# shellcheck disable=SC2086 # args, out: split on blanks
		dmabuf-trace record --quiet $args $out -- dmabuf-exercise --out /tmp "storm:$N" >/tmp/r.log 2>/tmp/r.err
		# frames per written stack (after the BPF and dma-buf core frames): each has one "+0x"
		echo "R stats_storm $mode $(us /tmp/r.log) frames $(grep '"stack":\[' /tmp/rec.jsonl 2>/dev/null | awk '{s += gsub(/\+0x/, ""); n++} END {printf "%.1f", n ? s / n : 0}')"
		# "dmabuf-trace: bpf_stats: LABEL PROG RUNS runs NS ns/run ..."
		sed -n 's/^dmabuf-trace[a-z ]*: bpf_stats: *\([a-z-]*\) *\([a-z_0-9]*\) *\([0-9]*\) runs *\([0-9]*\) ns\/run.*/R stats record \1 \2 \3 \4/p' /tmp/r.err |
			sed "s/^R stats record/R stats $mode/"
		# the recorder's own CPU (getrusage RUSAGE_SELF): user us, sys us, events, voluntary/involuntary switches
		reader stats-$mode 1
		sed -n "s/^dmabuf-trace[a-z ]*: bpf_stats: recorder CPU user \([0-9]*\) us sys \([0-9]*\) us for \([0-9]*\) events.* \([0-9]*\) voluntary and \([0-9]*\) involuntary.*/R stats_user $mode \1 \2 \3 \4 \5/p" /tmp/r.err
	done
	if [ $HAVE_BT = 1 ] && command -v bpftool >/dev/null 2>&1; then
		rm -f /tmp/bt2.txt
		BPFTRACE_PERF_RB_PAGES=1024 bpftrace -o /tmp/bt2.txt -e "$BT_PROG" >/tmp/b2.log 2>&1 &
		btpid=$!
		i=0
		while [ $i -lt 600 ] && [ "$(bpftool prog show 2>/dev/null | grep -c ' kprobe ')" -lt $BT_PROBES ]; do
			sleep 0.2
			i=$((i + 1))
		done
		storm "$N" >/tmp/u.log 2>&1
		echo "R stats_storm bpftrace $(us /tmp/u.log)"
		# "ID: kprobe  name NAME  tag ...  gpl run_time_ns NS run_cnt N"
		bpftool prog show 2>/dev/null | sed -n 's/^[0-9]*: kprobe *name \([^ ]*\) .* run_time_ns \([0-9]*\) run_cnt \([0-9]*\).*/\1 \3 \2/p' |
			awk '{printf "R stats bpftrace probe %s %d %.0f\n", $1, $2, $2 ? $3 / $2 : 0}'
		kill -INT $btpid 2>/dev/null
		wait $btpid
	fi
	echo 0 >/proc/sys/kernel/bpf_stats_enabled
fi

# Ring size: smallest ring with zero lost events at the storm's rate
if has ring; then
	for rs in $RINGS; do
		rm -f /tmp/rec.jsonl
		dmabuf-trace record --quiet --ring-size "$rs" -o /tmp/rec.jsonl -- dmabuf-exercise --out /tmp "storm:$N" >/tmp/r.log 2>/tmp/r.err
		echo "R ring $rs $(us /tmp/r.log) $(secs /tmp/r.log) events $(events /tmp/rec.jsonl) lost $(lost /tmp/rec.jsonl)"
	done
fi

# DMA-level hook on non-dma-buf dma_map_sg traffic
if has dma && command -v dmamap-loop >/dev/null 2>&1; then
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
elif has dma; then
	echo "R dma_error dmamap-loop not in the guest"
fi

# A real zero-copy client (KERNEL-FACTS, tools/vm/clients.sh): vivid reloaded with output nodes, capture of
# instance 001 (dma-contig) exported into its output node by dma-buf import.
if has gst && command -v gst-launch-1.0 >/dev/null 2>&1 && command -v cputime >/dev/null 2>&1 &&
	[ -f /bin/libgstvideo4linux2.so ]; then
	rmmod vivid 2>/tmp/vivid.err
	insmod /lib/modules/vivid.ko n_devs=2 allocators=0,1 node_types=0x101,0x101 2>>/tmp/vivid.err
	i=0
	while [ $i -lt 50 ] && ! [ -e /dev/video3 ]; do sleep 0.1; i=$((i + 1)); done
	for d in /dev/video2 /dev/video3; do
		v4l2-ctl -d $d --set-fmt-video=width=640,height=480,pixelformat=YUYV,field=none >/dev/null 2>&1
		v4l2-ctl -d $d --set-fmt-video-out=width=640,height=480,pixelformat=YUYV,field=none >/dev/null 2>&1
	done
	v4l2-ctl -d /dev/video2 -i 3 >/dev/null 2>&1
	v4l2-ctl -d /dev/video3 -o 1 >/dev/null 2>&1
	mkdir -p /tmp/gst
	ln -sf /bin/libgstvideo4linux2.so /bin/libgstcoreelements.so /tmp/gst/
	export GST_PLUGIN_PATH=/tmp/gst GST_PLUGIN_SYSTEM_PATH=/tmp/gst GST_REGISTRY=/tmp/gst-registry.bin GST_REGISTRY_FORK=no
	gst() {
		cputime gst-launch-1.0 -q v4l2src device=/dev/video2 io-mode=dmabuf num-buffers="$1" ! \
			video/x-raw,interlace-mode=progressive ! v4l2sink device=/dev/video3 io-mode=dmabuf-import
	}
	cpu() { sed -n 's/.*"cpu_us":\([0-9]*\),.*"wall_us":\([0-9]*\),"status":\([0-9]*\).*/\1 \2 \3/p' "$1" | tail -n 1; }
	gst 5 >/dev/null 2>/tmp/g.err # builds the plugin registry
	echo "R gst_frames $FRAMES"
	r=1
	while [ $r -le "$GST_ROUNDS" ]; do
		gst "$FRAMES" >/dev/null 2>/tmp/g.err
		echo "R gst untraced $r $(cpu /tmp/g.err)"
		[ $r = 1 ] && { echo "R gst_err_begin"; head -n 5 /tmp/g.err; echo "R gst_err_end"; }
		rm -f /tmp/g.jsonl
		dmabuf-trace record --quiet -o /tmp/g.jsonl -- cputime gst-launch-1.0 -q v4l2src device=/dev/video2 \
			io-mode=dmabuf num-buffers="$FRAMES" ! video/x-raw,interlace-mode=progressive ! v4l2sink \
			device=/dev/video3 io-mode=dmabuf-import >/dev/null 2>/tmp/g.err
		echo "R gst record $r $(cpu /tmp/g.err) events $(events /tmp/g.jsonl) lost $(lost /tmp/g.jsonl)"
		if [ $r = 1 ]; then # which hooks a frame runs, and how many of them unwind a stack
			for t in attach map unmap detach export release; do
				echo "R gst_types $t $(grep -c "\"type\":\"$t\"" /tmp/g.jsonl) $(grep "\"type\":\"$t\"" /tmp/g.jsonl | grep -c '"stack":\[')"
			done
		fi
		rm -f /tmp/g.jsonl # what the stacks cost the client
		dmabuf-trace record --quiet --no-stacks -o /tmp/g.jsonl -- cputime gst-launch-1.0 -q v4l2src \
			device=/dev/video2 io-mode=dmabuf num-buffers="$FRAMES" ! video/x-raw,interlace-mode=progressive ! \
			v4l2sink device=/dev/video3 io-mode=dmabuf-import >/dev/null 2>/tmp/g.err
		echo "R gst record-nostacks $r $(cpu /tmp/g.err) events $(events /tmp/g.jsonl) lost $(lost /tmp/g.jsonl)"
		r=$((r + 1))
	done
elif has gst; then
	echo "R gst_error gst-launch-1.0, its v4l2 plugin or cputime not in the guest"
fi
echo "R done"
