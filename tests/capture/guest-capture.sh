#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs inside a tools/vm/run guest (via --add/--cmd): starts dt-capture-dump, runs
# dmabuf-exercise scenarios while it captures, stops it, and leaves everything in /out.
#   guest-capture.sh MODE TAG SCENARIO...     MODE: auto|fentry|kprobe
# SCENARIOs "vmap" and "remap" run vmap-test (tests/capture/vmap-test.c, add it with --add build/vmap-test).
# Outputs: /out/TAG.capture (one event per line), TAG.capture.err (hooks, load time, summary),
#          TAG.<scenario>.log/.err (dmabuf-exercise), TAG.ksyms (relevant kernel symbols, no addresses).
# Host side:
#   tools/vm/run --kernel 6.1 --no-tool --out DIR --add build/dt-capture-dump \
#     --add tests/capture/guest-capture.sh --cmd 'sh /bin/guest-capture.sh kprobe k clean late-attach'
mode=$1 tag=$2
shift 2
rm -f /tmp/capture.ready
grep -E ' (dma_buf_[a-z_]*|__dma_map_sg_attrs|dma_map_sg_attrs|dma_map_sgtable|dma_unmap_sg_attrs)( |$)' \
	/proc/kallsyms | cut -d' ' -f2- | sort -u >/out/$tag.ksyms
t0=$(cut -d' ' -f1 /proc/uptime)
dt-capture-dump -m "$mode" -R /tmp/capture.ready ${DUMP_ARGS:-} >/out/$tag.capture 2>/out/$tag.capture.err &
pid=$!
i=0
while [ ! -e /tmp/capture.ready ] && [ $i -lt 1200 ] && kill -0 $pid 2>/dev/null; do
	sleep 0.1
	i=$((i + 1))
done
t1=$(cut -d' ' -f1 /proc/uptime)
if [ ! -e /tmp/capture.ready ]; then
	echo "capture did not start"
	cat /out/$tag.capture.err
	exit 1
fi
echo "capture ready after $(echo "$t0 $t1" | awk '{printf "%.2f", $2 - $1}') s"
rc=0
for s in "$@"; do
	b=${s%%:*}
	if [ "$s" = vmap ]; then # tests/capture/vmap-test (vb2-vmalloc import: vmap/vunmap)
		vmap-test >/out/$tag.$b.log 2>/out/$tag.$b.err || rc=1
	elif [ "$s" = remap ]; then # same attachment mapped twice (cached mapping)
		vmap-test remap >/out/$tag.$b.log 2>/out/$tag.$b.err || rc=1
	else
		dmabuf-exercise --out /out "$s" >/out/$tag.$b.log 2>/out/$tag.$b.err || rc=1
	fi
	echo "scenario $s exit $rc"
done
sleep 1
kill -INT $pid
wait $pid
echo "capture exit $?"
tail -n 1 /out/$tag.capture.err
exit $rc
