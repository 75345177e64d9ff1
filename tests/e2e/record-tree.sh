#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Run in the test guest (tools/vm/run --cmd): `record -- CMD` covers the command's process tree. While an
# unrelated process (bg-exercise, a copy of dmabuf-exercise so its comm tells it apart) does dma-buf work of its
# own, record runs `sh -c 'dmabuf-exercise late-attach & wait; dmabuf-exercise clean'` three times: scoped (the
# default: the tree followed at fork in the kernel), scoped through /proc (the fallback, DT_TEST_PROC_TREE=1)
# and with --all. The two scenarios run one after the other (both are children of sh, the first in the
# background): at the same time they contend for vivid's queues (EBUSY) and their verdicts vary between boots.
# tests/e2e/run checks the results (/out/tree-*): the scoped findings and summary cover
# only the command's tree, --all sees the unrelated process too.
: >/out/tree.status
mkdir -p /tmp/tree /tmp/bg
cp /bin/dmabuf-exercise /tmp/bg-exercise
: >/tmp/bg/run
# the unrelated workload: udmabuf into vgem and virtio-gpu (no vivid, which the command's scenarios use),
# round after round until both records are done
(
	while [ -e /tmp/bg/run ]; do
		/tmp/bg-exercise --out /tmp/bg race:20 >>/out/tree-bg.log 2>&1
	done
) &
bg=$!
sleep 1
for mode in scoped proc all; do
	extra=
	[ $mode = all ] && extra=--all
	proc=
	[ $mode = proc ] && proc=1
	# shellcheck disable=SC2086
	DT_TEST_PROC_TREE=$proc dmabuf-trace record --force --format json --constraints /etc/dmabuf-trace/debian-guest.profile $extra \
		-o /out/tree-$mode.jsonl -- sh -c 'dmabuf-exercise --out /tmp/tree late-attach >/tmp/tree/la.log & wait; dmabuf-exercise --out /tmp/tree clean >/tmp/tree/clean.log' \
		>/out/tree-$mode.findings 2>/out/tree-$mode.err
	echo "$mode $?" >>/out/tree.status
	cat /tmp/tree/la.log /tmp/tree/clean.log >/out/tree-$mode.log
done
rm -f /tmp/bg/run
wait $bg
exit 0
