#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs in the 6.12 guest (tools/bench/soak via tools/vm/run --cmd): the daemon traces a storm for
# BENCH_SOAK_SECONDS while its RSS (/proc/PID/status VmRSS) and its status are sampled every
# BENCH_SOAK_EVERY seconds. Prints "R soak T rss_kib events live_buffers live_attachments flight_bytes
# segments lost_ring" lines, then "R soak_exit STATUS".
SECS=${BENCH_SOAK_SECONDS:-240}
EVERY=${BENCH_SOAK_EVERY:-5}
FLIGHT=${BENCH_SOAK_FLIGHT:-4M}
S=/run/dtsoak.sock
num() { sed -n "s/.*\"$1\":\([0-9]*\).*/\1/p" /tmp/soak.status; }
rm -rf /tmp/soak /tmp/soak.done
dmabuf-trace daemon --dir /tmp/soak --rotate-size 1M --keep 4 --socket $S --flight-recorder "$FLIGHT" \
	--snapshot-on-error > /tmp/soak.err 2>&1 &
pid=$!
i=0
while [ $i -lt 1800 ] && ! dmabuf-trace status --socket $S > /dev/null 2>&1; do sleep 0.1; i=$((i + 1)); done
echo "R soak_flight $FLIGHT"
echo "R soak_seconds $SECS"
dmabuf-exercise --out /tmp storm:20 > /dev/null 2>&1 # warm-up: the first vgem attach allocates its pages
(
	end=$(($(date +%s) + SECS))
	while [ "$(date +%s)" -lt $end ]; do dmabuf-exercise --out /tmp storm:200 > /dev/null 2>&1; done
	touch /tmp/soak.done
) &
t0=$(date +%s)
while :; do
	rss=$(sed -n 's/^VmRSS:[^0-9]*\([0-9]*\) kB/\1/p' /proc/$pid/status)
	dmabuf-trace status --socket $S --format json > /tmp/soak.status 2>&1
	echo "R soak $(($(date +%s) - t0)) $rss $(num events) $(num live_buffers) $(num live_attachments) $(num flight_recorder_bytes) $(num started) $(num ring)"
	[ -e /tmp/soak.done ] && break
	sleep "$EVERY"
done
kill -TERM $pid
wait $pid
echo "R soak_exit $?"
tail -n 3 /tmp/soak.err | sed 's/^/R soak_err /'
exit 0
