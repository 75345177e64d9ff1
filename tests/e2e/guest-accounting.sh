#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run in the test guest (tools/vm/run --cmd): drops provoked on purpose, every one counted. With
# kernel.bpf_stats_enabled=1 record prints the event programs' run counts. Results in /out/acct-*.
# "guest-accounting.sh kmod": only the test exporter's runs (the arm64 cell's main boot).
echo 1 >/proc/sys/kernel/bpf_stats_enabled
n=${1:-300}
if [ "$n" != kmod ]; then
	# a tiny ring: ring drops (fentry, and kprobe mode with its own causes)
	dmabuf-trace record --force --quiet --ring-size 4096 -o /out/acct-ring.jsonl -- dmabuf-exercise --out /out storm:$n \
		>/out/acct-ring.log 2>/out/acct-ring.err
	dmabuf-trace record --force --quiet --attach-mode kprobe --ring-size 4096 -o /out/acct-kring.jsonl -- \
		dmabuf-exercise --out /out storm:$n >/out/acct-kring.log 2>/out/acct-kring.err
	# tiny in-flight maps (one entry): threads racing on one buffer overflow the map scratch and the stash
	DT_TEST_MAP_ENTRIES=1 dmabuf-trace record --force --quiet -o /out/acct-maps.jsonl -- dmabuf-exercise --out /out race:40,4 \
		>/out/acct-maps.log 2>/out/acct-maps.err
	DT_TEST_MAP_ENTRIES=1 dmabuf-trace record --force --quiet --attach-mode kprobe -o /out/acct-kmaps.jsonl -- \
		dmabuf-exercise --out /out race:40,4 >/out/acct-kmaps.log 2>/out/acct-kmaps.err
	# kretprobes with maxactive 1 (tracefs; hidden test knob): concurrent maps and attaches miss their returns,
	# counted from the kprobe link's "missed" (6.7+)
	DT_TEST_KRETPROBE_MAXACTIVE=1 dmabuf-trace record --force --quiet --attach-mode kprobe -o /out/acct-maxactive.jsonl -- \
		dmabuf-exercise --out /out race:40,4 >/out/acct-maxactive.log 2>/out/acct-maxactive.err
	# detaches that leave their attachment ids behind (as missed ones would): the buffers' releases remove them
	DT_TEST_KEEP_DETACHED=1 dmabuf-trace record --force --quiet -o /out/acct-stale.jsonl -- dmabuf-exercise --out /out race:20,4 \
		>/out/acct-stale.log 2>/out/acct-stale.err
fi
# the test exporter (tests/kmod/dt_testexp.ko, tools/vm/run --module): attach, map and vmap nested in one task,
# and detaches from the attach's own error path, traced in both modes
if [ -e /dev/dt_testexp ]; then
	for m in fentry kprobe; do
		dmabuf-trace record --force --quiet --attach-mode $m -o /out/acct-kmod-$m.jsonl -- \
			dmabuf-exercise --out /out nested attach-error >/out/acct-kmod-$m.log 2>/out/acct-kmod-$m.err
	done
	# 1-entry state maps: a nested attach holds two attachments at once, the id map one (att-ids, never silent)
	DT_TEST_MAP_ENTRIES=1 dmabuf-trace record --force --quiet --attach-mode kprobe -o /out/acct-kmod-kmaps.jsonl -- \
		dmabuf-exercise --out /out nested attach-error >/out/acct-kmod-kmaps.log 2>/out/acct-kmod-kmaps.err
fi
echo 0 >/proc/sys/kernel/bpf_stats_enabled
