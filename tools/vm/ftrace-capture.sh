#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs inside a tools/vm/run guest (--add tools/vm/ftrace-capture.sh --cmd 'sh /bin/ftrace-capture.sh SCENARIO...'):
# for each dmabuf-exercise scenario, captures the SAME run twice: with the tracefs recipe of
# `dmabuf-trace ftrace-recipe` and with `dmabuf-trace record` (BPF).
# FTRACE_MODES (default auto): the recipe's DT_RECIPE_MODE values to capture, one run of every scenario each
# (kprobes: its kprobe events plus dma:* on 6.12+; tracepoints: only the kernel's dma_buf:* and dma:*, 7.0+).
# Outputs in /out (mode auto) or /out/MODE: recipe.sh, <scenario>.ftrace (the saved tracefs log),
# <scenario>.jsonl (BPF trace), <scenario>.log/.err (dmabuf-exercise and record), <scenario>.start.bufinfo.
# Host side: tests/ftrace/capture-fixtures (boots the kernels, copies the logs into tests/traces/ftrace/).
set -u
if ! dmabuf-trace ftrace-recipe >/tmp/recipe.sh 2>/out/recipe.err; then
	echo "ftrace-capture: recipe failed: $(cat /out/recipe.err)"
	exit 1
fi
rc=0
for m in ${FTRACE_MODES:-auto}; do
	d=/out
	[ "$m" = auto ] || d=/out/$m
	mkdir -p "$d"
	cp /tmp/recipe.sh "$d/recipe.sh"
	for s in "$@"; do
		b=${s%%:*}
		cat /sys/kernel/debug/dma_buf/bufinfo >"$d/$b.start.bufinfo" 2>/dev/null
		if ! DT_RECIPE_MODE=$m sh /tmp/recipe.sh start >"$d/$b.recipe.err" 2>&1; then
			echo "ftrace-capture: $m $s: recipe start failed"
			cat "$d/$b.recipe.err"
			rc=1
			continue
		fi
		dmabuf-trace record -o "$d/$b.jsonl" -- dmabuf-exercise --out "$d" "$s" >"$d/$b.log" 2>"$d/$b.err"
		echo "ftrace-capture: $m $s: record exit $?"
		sh /tmp/recipe.sh save "$d/$b.ftrace"
		sh /tmp/recipe.sh stop
		echo "ftrace-capture: $m $s: $(grep -vc '^#' "$d/$b.ftrace") ftrace lines"
	done
done
exit $rc
