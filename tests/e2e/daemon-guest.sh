#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs in the 6.12 guest (tools/vm/run --cmd 'sh /bin/daemon-guest.sh', tests/suite-vm-daemon): the daemon
# traces the kernel across the scenarios with tiny rotation; status and state --live are saved next to
# debugfs bufinfo after each scenario; SIGKILL + restart, SIGHUP, SIGTERM. The host judges the files in /out/daemon.
D=/out/daemon
mkdir -p "$D"
S=/run/dt.sock
P=/etc/dmabuf-trace/debian-guest.profile # vivid needs contiguous memory: vb2 rejections are error findings
PROFILE=
[ -f $P ] && PROFILE="--constraints $P"
start() {
	dmabuf-trace daemon --dir "$D/segs" --rotate-size 16K --socket $S --snapshot-on-error --flight-recorder 4M \
		--metrics-file "$D/metrics.prom" $PROFILE "$@" >> "$D/daemon.err" 2>&1 &
	pid=$!
	i=0
	while [ $i -lt 1800 ] && ! dmabuf-trace status --socket $S > /dev/null 2>&1; do sleep 0.1; i=$((i + 1)); done
	dmabuf-trace status --socket $S > /dev/null 2>&1 || echo "daemon did not start" >> "$D/guest.err"
}
checkpoint() {
	sleep 0.5
	dmabuf-trace status --socket $S --format json > "$D/$1.status" 2>&1
	dmabuf-trace state --live --socket $S --format json > "$D/$1.state" 2>&1
	cat /sys/kernel/debug/dma_buf/bufinfo > "$D/$1.bufinfo" 2>&1
}
start
# a buffer held by a process of ours: state --live must list it, with that process as its holder
if command -v dmabuf-hold > /dev/null; then
	dmabuf-hold 60 > "$D/hold.out" 2>&1 &
	hp=$!
	i=0
	while [ $i -lt 300 ] && ! [ -s "$D/hold.out" ]; do sleep 0.1; i=$((i + 1)); done
	echo $hp > "$D/hold.pid"
	checkpoint held
	kill $hp
	wait $hp 2>/dev/null
fi
for s in clean late-attach; do
	dmabuf-exercise --out "$D" "$s" > "$D/$s.log" 2>&1
	checkpoint "$s"
done
# while buffers live: pairs of (state --live, bufinfo) sampled during a scenario; the host compares them
(dmabuf-exercise --out "$D" lifecycle > "$D/lifecycle.log" 2>&1; touch "$D/lifecycle.done") &
lp=$!
n=0
while ! [ -e "$D/lifecycle.done" ] && [ $n -lt 200 ]; do
	# bufinfo just before and just after: the daemon's view must be one of the kernel's two
	cat /sys/kernel/debug/dma_buf/bufinfo > "$D/sample.$n.before"
	dmabuf-trace state --live --socket $S --format json > "$D/sample.$n.state" 2>&1
	cat /sys/kernel/debug/dma_buf/bufinfo > "$D/sample.$n.bufinfo"
	n=$((n + 1))
done
wait $lp # not a bare wait: the daemon is a child too
kill -9 $pid
wait $pid 2>/dev/null
echo "killed" >> "$D/guest.log"
start
dmabuf-exercise --out "$D" noncontig > "$D/noncontig.log" 2>&1
checkpoint noncontig
kill -HUP $pid
sleep 1
dmabuf-exercise --out "$D" segment-size > "$D/segment-size.log" 2>&1
checkpoint segment-size
dmabuf-trace snapshot --socket $S -o "$D/manual-snapshot.jsonl" >> "$D/guest.log" 2>&1
sleep 2.5 # the automatic snapshot's post-window
kill -TERM $pid
wait $pid
echo "daemon exit $?" >> "$D/guest.log"
ls -la "$D/segs" >> "$D/guest.log"
exit 0
