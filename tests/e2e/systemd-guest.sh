#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs as a oneshot unit in a guest whose PID 1 is Debian's systemd (tools/vm/systemd-boot): the installed
# dmabuf-trace.service under a real systemd. start (Type=notify: returns at READY=1), a dma-buf scenario whose
# findings must reach the journal with their DMABUF_* fields, reload (SIGHUP: a new segment), stop (exit 0),
# the capability sets systemd gave the daemon, systemd-analyze verify/security. Results in /out/systemd
# (9p); the host judges them. Then powers off.
R=/out/systemd
mkdir -p "$R"
log() { echo "$*" >> "$R/steps"; }
t0=$(cut -d' ' -f1 /proc/uptime)
log "uptime-at-start $t0"
systemctl --version | head -n 1 > "$R/systemd-version"
uname -r > "$R/kernel"
systemd-analyze verify /usr/local/lib/systemd/system/dmabuf-trace.service > "$R/verify.out" 2>&1
log "verify $?"
systemd-analyze security dmabuf-trace.service > "$R/security.out" 2>&1
log "security $?"
s=$(cut -d' ' -f1 /proc/uptime)
systemctl start dmabuf-trace.service > "$R/start.out" 2>&1
log "start $? $(awk -v s="$s" '{printf "%.1f", $1 - s}' /proc/uptime)s"
systemctl show -p MainPID -p ActiveState -p SubState -p Type -p StatusText dmabuf-trace.service > "$R/show-started"
pid=$(sed -n 's/^MainPID=//p' "$R/show-started")
grep -E '^(Cap|NoNewPrivs|Uid)' "/proc/$pid/status" > "$R/caps" 2>&1
cat "/proc/$pid/limits" > "$R/limits" 2>&1
dmabuf-trace status --format json > "$R/status-started.json" 2> "$R/status-started.err"
log "status $?"
ls /var/lib/dmabuf-trace > "$R/segs-before-reload"
# a scenario with findings (late-attach: a device attaches after the buffer was first mapped)
for s in late-attach noncontig; do
	dmabuf-exercise --out /tmp "$s" > "$R/$s.log" 2>&1
	log "scenario $s $?"
done
sleep 2
dmabuf-trace state --live --format json > "$R/state-live.json" 2> "$R/state-live.err"
log "state-live $?"
# the journal gets aggregated findings once per interval (10 s)
sleep 12
dmabuf-trace status --format json > "$R/status-after.json" 2>&1
systemctl reload dmabuf-trace.service > "$R/reload.out" 2>&1
log "reload $?"
sleep 3
dmabuf-trace status --format json > "$R/status-reloaded.json" 2>&1
ls /var/lib/dmabuf-trace > "$R/segs-after-reload"
systemctl stop dmabuf-trace.service > "$R/stop.out" 2>&1
log "stop $?"
systemctl show -p ExecMainStatus -p ExecMainCode -p Result -p ActiveState dmabuf-trace.service > "$R/show-stopped"
journalctl -u dmabuf-trace.service -o json --no-pager > "$R/journal.json" 2>&1
journalctl -u dmabuf-trace.service --no-pager > "$R/journal.txt" 2>&1
ls -l /var/lib/dmabuf-trace > "$R/segs-final"
cp -r /var/lib/dmabuf-trace "$R/var-lib" 2>/dev/null
log "uptime-at-end $(cut -d' ' -f1 /proc/uptime)"
echo done > "$R/done"
sync
systemctl poweroff --no-block
