# SPDX-License-Identifier: Apache-2.0
# Parses debugfs dma_buf/bufinfo: prints "<ino> <dev,dev,...>" (devices sorted, "-" when none) per buffer.
# Robust to names with newlines/tabs (DMA_BUF_SET_NAME is user-controlled): a buffer starts at a line whose
# first six tab-separated fields are size flags mode count exp_name ino (8-digit numbers around exp_name).
function flush(   i, j, t, s) {
	if (ino == "")
		return
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (dev[j] < dev[i]) { t = dev[i]; dev[i] = dev[j]; dev[j] = t }
	s = ""
	for (i = 1; i <= n; i++)
		s = s (i > 1 ? "," : "") dev[i]
	print ino + 0, (s == "" ? "-" : s)
	ino = ""
	n = 0
}
BEGIN { FS = "\t"; ino = ""; n = 0; state = 0 }
state != 2 && $1 ~ /^[0-9]+$/ && $2 ~ /^[0-9a-f]+$/ && length($1) == 8 && $6 ~ /^[0-9]+$/ {
	flush(); ino = $6; state = 1; next
}
state == 1 && $0 == "\tAttached Devices:" { state = 2; next }
state == 2 && /^Total [0-9]+ devices attached$/ { state = 0; next }
state == 2 { d = $0; sub(/^\t/, "", d); dev[++n] = d; next }
END { flush() }
