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

# A full disk, in the guest: a 256K tmpfs is the directory of a daemon with --redact, run with the unit's
# capability bounding set. Storms fill it; the daemon says so once, counts what it could not write, keeps
# answering; closed segments are removed (space returns) and it writes again. No original address may
# reach a segment (the guest has no IOMMU: map addresses are physical, below 4 GiB; redacted ones are not).
F=/mnt/full
FS=/run/dtfull.sock
UNITCAPS="-all,+bpf,+perfmon,+syslog,+sys_ptrace,+sys_admin"
mkdir -p $F
if mount -t tmpfs -o size=256k tmpfs $F; then
	RUNAS=""
	command -v setpriv-ul > /dev/null && RUNAS="setpriv-ul --bounding-set $UNITCAPS --"
	$RUNAS dmabuf-trace daemon --dir $F/segs --rotate-size 64K --socket $FS --redact --flight-recorder 0 \
		$PROFILE >> "$D/full.err" 2>&1 &
	fp=$!
	i=0
	while [ $i -lt 1800 ] && ! dmabuf-trace status --socket $FS > /dev/null 2>&1; do sleep 0.1; i=$((i + 1)); done
	n=0
	while [ $n -lt 8 ]; do
		dmabuf-exercise --out /tmp storm:150 > /dev/null 2>&1
		dmabuf-trace status --socket $FS --format json > "$D/full.status.$n" 2>&1
		grep -q '"disk_full":true' "$D/full.status.$n" && break
		n=$((n + 1))
	done
	dmabuf-exercise --out /tmp storm:50 > /dev/null 2>&1 # events while full: counted, not written
	sleep 1
	dmabuf-trace status --socket $FS --format json > "$D/full.full.status" 2>&1
	ls -la $F/segs > "$D/full.ls.full"
	df -k $F >> "$D/full.ls.full" 2>&1
	# space returns: every segment goes (the daemon holds none open while the disk refuses; the lost event
	# it writes once it can write again is in the next segment)
	rm -f $F/segs/seg-*
	sleep 3 # the daemon retries every second
	dmabuf-exercise --out /tmp clean > /dev/null 2>&1
	sleep 1
	dmabuf-trace status --socket $FS --format json > "$D/full.after.status" 2>&1
	kill -TERM $fp
	wait $fp
	echo "full exit $?" >> "$D/guest.log"
	mkdir -p "$D/full-segs"
	cp $F/segs/* "$D/full-segs/" 2> /dev/null
	umount $F
else
	echo "no tmpfs for the full-disk phase" >> "$D/guest.err"
fi

# which capabilities record, the daemon and state --live need on this kernel (tests/e2e/caps-guest.sh)
[ -f /bin/caps-guest.sh ] && sh /bin/caps-guest.sh
exit 0
