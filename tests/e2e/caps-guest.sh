#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs in a guest (tests/e2e/daemon-guest.sh on 6.12; tools/vm/run --add tests/e2e/caps-guest.sh --add
# $O/setpriv-ul --cmd 'sh /bin/caps-guest.sh' on other kernels; setpriv-ul is util-linux's setpriv under a name
# busybox's applet of the same name does not shadow; arm64 guests, which take static binaries only, get
# tests/e2e/capbset.c instead, which drops the same bounding set; CAPS_RECORD_ARGS adds record options to
# every probe, CAPS_TIMEOUT=SEC bounds each record run, CAPS_ONLY='NAME...' runs those probes only): which capabilities record and the daemon
# really need on this kernel. Each probe runs as root with a reduced bounding set (setpriv, util-linux: root's
# permitted and effective sets are the bounding set after exec, as systemd's CapabilityBoundingSet= makes them)
# while a process of ours holds a dma-buf, and writes one line to /out/caps/summary:
#   CAP <set> record=<exit> events=<n> symbolized=<frames> seeded=<0|1> bufinfo=<0|1> holders_unreadable=<n> memlock=<KiB>
# record: `record -o ... -- dmabuf-exercise clean`; symbolized: stack frames with a symbol name; seeded:
# record seeded the held buffer from debugfs bufinfo; holders_unreadable: processes state --live could not read.
C=/out/caps
mkdir -p "$C"
: > "$C/summary"
if command -v setpriv-ul > /dev/null; then bset=setpriv-ul
elif command -v capbset > /dev/null; then bset=capbset
else echo "CAP none setpriv-ul-missing" >> "$C/summary"; exit 0; fi
echo "CAPS tool=$bset kernel=$(uname -r) arch=$(uname -m) record_args=${CAPS_RECORD_ARGS:-}" >> "$C/summary"
if command -v dmabuf-hold > /dev/null; then
	dmabuf-hold 900 > "$C/hold.out" 2>&1 &
	hold=$!
	i=0
	while [ $i -lt 300 ] && ! [ -s "$C/hold.out" ]; do sleep 0.1; i=$((i + 1)); done
fi
probe() {
	name=$1 set=$2
	shift 2
	case " ${CAPS_ONLY:-$name} " in *" $name "*) ;; *) return 0 ;; esac
	if [ "$set" = all ]; then run=""; else run="$bset --bounding-set $set --"; fi
	rm -f /tmp/cap.jsonl
	${CAPS_TIMEOUT:+timeout $CAPS_TIMEOUT} $run dmabuf-trace record -o /tmp/cap.jsonl ${CAPS_RECORD_ARGS:-} "$@" -- dmabuf-exercise --out /tmp clean > "$C/$name.out" 2>&1
	rc=$?
	ev=0 sym=0
	if [ -s /tmp/cap.jsonl ]; then
		ev=$(grep -cE '"type":"(export|attach|map|unmap|detach|release)"' /tmp/cap.jsonl)
		sym=$(grep -o '"stack":\["[A-Za-z_][A-Za-z0-9_.]*+0x' /tmp/cap.jsonl | wc -l)
		cp /tmp/cap.jsonl "$C/$name.jsonl"
	fi
	seeded=0
	grep -q 'seeded [1-9]' "$C/$name.out" && seeded=1
	bi=0
	$run cat /sys/kernel/debug/dma_buf/bufinfo > /dev/null 2>&1 && bi=1
	unr=$($run dmabuf-trace state --live --socket /nonexistent --format json 2> /dev/null | sed -n 's/.*"processes_unreadable":\([0-9]*\).*/\1/p')
	echo "CAP $name record=$rc events=$ev symbolized=$sym seeded=$seeded bufinfo=$bi holders_unreadable=${unr:-?} memlock=$(ulimit -l)" >> "$C/summary"
}
# The unit's set (tools/systemd/dmabuf-trace.service) in both hook modes, and without CAP_SYS_ADMIN each of
# the others taken away in turn (CAP_SYS_ADMIN stands in for CAP_BPF and CAP_PERFMON: see sys-admin-for-bpf).
# Kernels with perf_event_paranoid as Debian ships them hide kallsyms addresses without CAP_SYSLOG, and the
# capture refuses to start before it loads BPF, so the BPF probes keep CAP_SYSLOG.
BASE="-all,+bpf,+perfmon,+syslog,+sys_ptrace"
# The unit's LimitMEMLOCK=infinity (systemd sets it as PID 1, before the capabilities drop)
ulimit -l unlimited
probe all all
probe all-kprobe all --attach-mode kprobe
probe unit "$BASE,+sys_admin"
probe unit-kprobe "$BASE,+sys_admin" --attach-mode kprobe
probe no-sys-admin "$BASE"
probe no-sys-admin-kprobe "$BASE" --attach-mode kprobe
probe no-syslog "-all,+bpf,+perfmon,+sys_ptrace"
probe no-perfmon "-all,+bpf,+syslog,+sys_ptrace"
probe no-bpf "-all,+perfmon,+syslog,+sys_ptrace"
probe sys-admin-for-bpf "-all,+sys_admin,+syslog,+sys_ptrace"
probe no-ptrace "-all,+bpf,+perfmon,+syslog"
probe dac-for-ptrace "-all,+bpf,+perfmon,+syslog,+dac_read_search"
probe none "-all"
# Before 5.11 BPF maps are charged to RLIMIT_MEMLOCK (64 KiB soft and hard for init there): without the unit's
# LimitMEMLOCK=infinity raising it needs CAP_SYS_RESOURCE.
case $(uname -r) in
[1-4].* | 5.[0-9].* | 5.10.*)
	(ulimit -l 64 && probe unit-memlock-64k "$BASE,+sys_admin")
	(ulimit -l 64 && probe unit-memlock-64k-sys-resource "$BASE,+sys_admin,+sys_resource") ;;
esac
[ -n "${hold:-}" ] && kill "$hold" 2> /dev/null
wait "${hold:-}" 2> /dev/null
echo "kernel $(uname -r)" >> "$C/summary"
exit 0
