#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs inside a tools/vm/run guest (--add tools/vm/ftrace-capture.sh --cmd 'sh /bin/ftrace-capture.sh SCENARIO...'):
# for each dmabuf-exercise scenario, captures the SAME run twice: with the kprobe events of
# `dmabuf-trace ftrace-recipe` (plus dma:dma_map_sg on 6.12+) and with `dmabuf-trace record` (BPF).
# Outputs in /out: recipe.sh, <scenario>.ftrace (the saved tracefs log), <scenario>.jsonl (BPF trace),
# <scenario>.log/.err (dmabuf-exercise and record), <scenario>.start.bufinfo (debugfs before the run).
# Host side: tests/ftrace/capture-fixtures (boots both kernels, copies the logs into tests/traces/ftrace/).
set -u
if ! dmabuf-trace ftrace-recipe >/tmp/recipe.sh 2>/out/recipe.err; then
	echo "ftrace-capture: recipe failed: $(cat /out/recipe.err)"
	exit 1
fi
cp /tmp/recipe.sh /out/recipe.sh
rc=0
for s in "$@"; do
	b=${s%%:*}
	cat /sys/kernel/debug/dma_buf/bufinfo >"/out/$b.start.bufinfo" 2>/dev/null
	if ! sh /tmp/recipe.sh start >"/out/$b.recipe.err" 2>&1; then
		echo "ftrace-capture: $s: recipe start failed"
		cat "/out/$b.recipe.err"
		rc=1
		continue
	fi
	dmabuf-trace record -o "/out/$b.jsonl" -- dmabuf-exercise --out /out "$s" >"/out/$b.log" 2>"/out/$b.err"
	echo "ftrace-capture: $s: record exit $?"
	sh /tmp/recipe.sh save "/out/$b.ftrace"
	sh /tmp/recipe.sh stop
	echo "ftrace-capture: $s: $(grep -vc '^#' "/out/$b.ftrace") ftrace lines"
done
exit $rc
