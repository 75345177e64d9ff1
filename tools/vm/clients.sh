#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Guest side of tools/vm/run --clients: real programs the project did not write (v4l2-ctl from v4l-utils,
# GStreamer's v4l2 elements), each under `dmabuf-trace record`, between vivid instances that have output nodes.
# vivid is reloaded with n_devs=2 allocators=0,1 node_types=0x101,0x101:
#   video0 capture / video1 output of instance 000 (vb2-vmalloc), video2 capture / video3 output of 001
#   (vb2-dma-contig). A dma-contig queue importing vmalloc pages is rejected by the kernel ("contiguous chunk is
#   too small"): a real client's rejection the trace must show as an error.
# Per client in /out/clients: <name>.jsonl (trace), <name>.out (client output), <name>.err (record's stderr),
# <name>.dmesg, <name>.bufinfo (debugfs after the client exited), and a line "<name> <client exit> <record exit>"
# in status, "<name> <guest seconds>" in times. Clients whose binary is not in the guest are not run (the host lists what it packed).
C=/out/clients
mkdir -p $C
: >$C/status
: >$C/times
P=/etc/dmabuf-trace/debian-guest.profile
rmmod vivid 2>$C/vivid.err
insmod /lib/modules/vivid.ko n_devs=2 allocators=0,1 node_types=0x101,0x101 2>>$C/vivid.err
i=0
while [ $i -lt 50 ] && ! [ -e /dev/video3 ]; do sleep 0.1; i=$((i + 1)); done
dmesg -c >/dev/null
fmt() { # DEV: the same 640x480 YUYV progressive format on capture and output nodes
	v4l2-ctl -d "$1" --set-fmt-video=width=640,height=480,pixelformat=YUYV,field=none >/dev/null 2>&1
	v4l2-ctl -d "$1" --set-fmt-video-out=width=640,height=480,pixelformat=YUYV,field=none >/dev/null 2>&1
}
run() { # NAME COMMAND...: one client under record
	n=$1
	shift
	command -v "$1" >/dev/null || return 0
	t0=$(cut -d' ' -f1 /proc/uptime)
	dmabuf-trace record --force --constraints $P -o "$C/$n.jsonl" -- "$@" >"$C/$n.out" 2>"$C/$n.err"
	trc=$?
	# the client's own exit status: record says "dmabuf-trace record: CMD exited with status N" when it is not 0
	ce=$(sed -n "s/^dmabuf-trace record: .* exited with status \([0-9]*\)$/\1/p" "$C/$n.err" | tail -n 1)
	dmesg -c >"$C/$n.dmesg"
	cat /sys/kernel/debug/dma_buf/bufinfo >"$C/$n.bufinfo"
	echo "$n ${ce:-0} $trc" >>$C/status
	echo "$n $t0 $(cut -d' ' -f1 /proc/uptime)" | awk '{printf "%s %.1f\n", $1, $3 - $2}' >>$C/times # guest seconds
}
if command -v v4l2-ctl >/dev/null; then
	for d in /dev/video0 /dev/video1 /dev/video2 /dev/video3; do fmt $d; done
	# dma-contig capture into buffers EXPBUF-exported by the dma-contig output node: accepted
	run v4l2-ctl-export v4l2-ctl -d /dev/video2 -E /dev/video3 --stream-dmabuf --stream-count=8
	# dma-contig capture into the vmalloc output node's mmap buffers (--stream-out-mmap, exported): rejected
	run v4l2-ctl-vmalloc v4l2-ctl -d /dev/video2 -e /dev/video1 --stream-dmabuf --stream-out-mmap --stream-count=8
fi
if command -v gst-launch-1.0 >/dev/null; then
	# KERNEL-FACTS: progressive, same-colorimetry ends (HDMI in on the capture node, HDMI out on the output node)
	v4l2-ctl -d /dev/video2 -i 3 >/dev/null 2>&1
	v4l2-ctl -d /dev/video3 -o 1 >/dev/null 2>&1
	G=/usr/lib/gstreamer-1.0
	export GST_PLUGIN_PATH=$G GST_PLUGIN_SYSTEM_PATH=$G GST_REGISTRY=/tmp/gst-registry.bin GST_REGISTRY_FORK=no
	run gst-v4l2 gst-launch-1.0 -q v4l2src device=/dev/video2 io-mode=dmabuf num-buffers=12 ! \
		video/x-raw,interlace-mode=progressive ! v4l2sink device=/dev/video3 io-mode=dmabuf-import
fi
exit 0
