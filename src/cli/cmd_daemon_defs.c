// SPDX-License-Identifier: Apache-2.0
/* The help, flags and formats of daemon, status, snapshot (cmd_daemon.c) and redact (cmd_redact.c). */
#include "cli/cli.h"
#include "cli/commands.h"

const struct dt_command dt_daemon_command = {
	.name = "daemon",
	.args_doc = "",
	.summary = "Trace always: segments in --dir, findings to the journal (or stderr), a control socket for "
		   "status, state --live and snapshot, optional Prometheus metrics.",
	.details = "Each segment is a whole trace starting with the live state; closed ones are zstd compressed; "
		   "rotation by size or age, retention by count or size. --redact writes segments and snapshots "
		   "redacted as record --redact does; --reorder-window is record's.\n\n"
		   "Examples:\n"
		   "  dmabuf-trace daemon --dir /var/lib/dmabuf-trace --constraints board.profile --snapshot-on-error\n"
		   "  dmabuf-trace daemon --dir segs --rotate-size 1M --keep 20 --socket /tmp/dt.sock --metrics-file m.prom\n\n"
		   "SIGHUP re-reads the profile and starts a new segment; SIGTERM drains the ring buffer, closes the "
		   "segment and exits 0. A restarted daemon records the gap since the previous one's last event. The "
		   "protocol of the socket is docs/daemon-protocol.md.",
	.exits = "Exit status: 0 stopped by SIGTERM, 2 usage or input error, 3 the system refused (privileges, BPF, "
		 "disk).",
	.flags = DT_CMD_FLAGS(F_CONSTRAINTS, F_DIR, F_ROTATE_SIZE, F_ROTATE_TIME, F_KEEP, F_KEEP_SIZE, F_SOCKET,
			      F_SOCKET_GROUP, F_SNAPSHOT_ON_ERROR, F_SNAPSHOT_LIMIT, F_FLIGHT_RECORDER, F_METRICS_FILE,
			      F_FROM_TRACE, F_RING, F_MAX_SEGS, F_ATTACH_MODE, F_NO_STACKS, F_SEED_BUFINFO, F_REDACT,
			      F_REORDER_WINDOW),
	.min_args = 0,
	.max_args = 0,
	.run = dt_cmd_daemon,
};

const struct dt_command dt_status_command = {
	.name = "status",
	.args_doc = "",
	.summary = "Ask the daemon: uptime, events, lost events by cause, findings per rule, the current segment.",
	.details = "Examples:\n  dmabuf-trace status\n  dmabuf-trace status --format json --socket /tmp/dt.sock",
	.exits = "Exit status: 0 answered, 2 usage error, 3 no daemon answers.",
	.formats = FMT_BIT(FMT_TEXT) | FMT_BIT(FMT_JSON),
	.flags = DT_CMD_FLAGS(F_FORMAT, F_SOCKET, F_OUTPUT, F_FORCE),
	.min_args = 0,
	.max_args = 0,
	.stdout_output = true,
	.run = dt_cmd_status,
};

const struct dt_command dt_snapshot_command = {
	.name = "snapshot",
	.args_doc = "",
	.summary = "Write the daemon's flight recorder (its newest events) as a trace.",
	.details = "Buffers older than the window show as exported before tracing.\n\n"
		   "Examples:\n  dmabuf-trace snapshot -o before-hang.jsonl --last 30s",
	.exits = "Exit status: 0 written, 2 usage error (also: the output file exists), 3 no daemon answers or the "
		 "file cannot be written.",
	.flags = DT_CMD_FLAGS(F_SOCKET, F_LAST, F_OUTPUT, F_FORCE),
	.min_args = 0,
	.max_args = 0,
	.run = dt_cmd_snapshot,
};

const struct dt_command dt_redact_command = {
	.name = "redact",
	.args_doc = "TRACE",
	.summary = "Write the trace without its original segment addresses, for sharing.",
	.details = "Physical addresses when there is no IOMMU. Each back-to-back run of segments keeps its lengths, "
		   "its adjacency and its offset to the largest power-of-two boundary (up to 4 GiB) it crosses, on a "
		   "random base; separate runs stay apart. Every rule gives the same findings for boundary masks up "
		   "to 4 GiB. The header says \"redacted\".\n\n"
		   "Examples:\n"
		   "  dmabuf-trace redact run.jsonl -o shared.jsonl\n"
		   "  dmabuf-trace record --redact -o run.jsonl -- ./camera-test",
	.exits = DT_EXITS_WRITES,
	.flags = DT_CMD_FLAGS(F_OUTPUT, F_FORCE),
	.min_args = 1,
	.max_args = 1,
	.run = dt_cmd_redact,
};
