// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace daemon / status / snapshot: flags into the daemon's options, and the two clients that
 * only talk to its control socket. state --live is in cmd_state.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yajl/yajl_tree.h>

#include "dmabuf_trace_defaults.h"
#include "cli/commands.h"
#include "common/errors.h"
#include "common/escape.h"
#include "common/output_file.h"
#include "daemon/control.h"
#include "daemon/daemon.h"
#include "daemon/proto.h"

int dt_cmd_daemon(struct dt_cli *cli)
{
	if (!cli->dir) {
		dt_err("daemon needs --dir DIR (where the segments go)");
		return DT_EXIT_INPUT;
	}
	if (cli->keep && cli->keep_bytes) {
		dt_err("--keep and --keep-size exclude each other");
		return DT_EXIT_INPUT;
	}
	struct dt_daemon_opts o = {
		.dir = cli->dir,
		.constraints = cli->constraints,
		.rotate_bytes = cli->rotate_bytes ? cli->rotate_bytes : 64ull << 20,
		.rotate_seconds = cli->rotate_seconds,
		.keep = cli->keep_bytes ? 0 : cli->keep ? cli->keep : 100,
		.keep_bytes = cli->keep_bytes,
		.socket_path = cli->socket_path ? cli->socket_path : DT_DEFAULT_SOCKET,
		.socket_group = cli->socket_group,
		.snapshot_on_error = cli->snapshot_on_error,
		.snapshot_limit = cli->snapshot_limit ? cli->snapshot_limit : 6,
		.flight_bytes = cli->have_flight ? cli->flight_bytes : 16ull << 20,
		.metrics_file = cli->metrics_file,
		.from_trace = cli->from_trace,
		.seed_bufinfo = cli->seed_bufinfo,
		.redact = cli->redact,
		.reorder_window_ms = cli->have_reorder_window ? cli->reorder_window_ms : DT_DEFAULT_REORDER_WINDOW_MS,
		.capture = {
			.ring_bytes = cli->ring_bytes ? cli->ring_bytes : 4u << 20,
			.max_segs = cli->max_segs ? cli->max_segs : 64,
			.force_attach_mode = cli->attach_mode,
			.want_stacks = !cli->no_stacks,
		},
	};
	return dt_daemon_run(&o);
}

/* Sends one request; returns the reply stream positioned after a successful first line (parsed into
 * *first, yajl_tree_free it), or NULL after printing the error. */
static FILE *ask(const char *socket_path, const char *request, yajl_val *first, int *status)
{
	char err[600];
	const char *path = socket_path ? socket_path : DT_DEFAULT_SOCKET;
	FILE *f = dt_control_request(path, request, err, sizeof(err));
	if (!f) {
		dt_err("%s", err);
		*status = DT_EXIT_SYSTEM;
		return NULL;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);
	char perr[256];
	*first = n > 0 ? yajl_tree_parse(line, perr, sizeof(perr)) : NULL;
	free(line);
	if (!*first || !YAJL_IS_OBJECT(*first)) {
		dt_err("%s: no valid reply from the daemon", path);
		yajl_tree_free(*first);
		fclose(f);
		*status = DT_EXIT_SYSTEM;
		return NULL;
	}
	const char *ok_path[] = {"ok", NULL}, *err_path[] = {"error", NULL};
	yajl_val ok = yajl_tree_get(*first, ok_path, yajl_t_any);
	if (!ok || !YAJL_IS_TRUE(ok)) {
		yajl_val e = yajl_tree_get(*first, err_path, yajl_t_string);
		char shown[600];
		const char *msg = e ? YAJL_GET_STRING(e) : "refused";
		dt_escape_text(shown, sizeof(shown), msg, strlen(msg));
		dt_err("%s: the daemon says: %s", path, shown);
		yajl_tree_free(*first);
		*first = NULL;
		fclose(f);
		*status = DT_EXIT_SYSTEM;
		return NULL;
	}
	return f;
}

static long long num(yajl_val root, const char *a, const char *b)
{
	const char *p[] = {a, b, NULL};
	yajl_val v = yajl_tree_get(root, p, yajl_t_number);
	return v && YAJL_IS_INTEGER(v) ? YAJL_GET_INTEGER(v) : 0;
}

int dt_cmd_status(struct dt_cli *cli)
{
	yajl_val st;
	int status = DT_EXIT_OK;
	char req[64];
	snprintf(req, sizeof(req), "{\"version\":%d,\"cmd\":\"status\"}\n", DT_PROTO_VERSION);
	FILE *f = ask(cli->socket_path, req, &st, &status);
	if (!f)
		return status;
	fclose(f);
	if (cli->format == FMT_JSON) {
		/* the daemon's reply as it came: re-generated to keep one object per line */
		char err[600];
		f = dt_control_request(cli->socket_path ? cli->socket_path : DT_DEFAULT_SOCKET, req, err, sizeof(err));
		char *line = NULL;
		size_t cap = 0;
		if (f && getline(&line, &cap, f) > 0)
			fputs(line, stdout);
		free(line);
		if (f)
			fclose(f);
		yajl_tree_free(st);
		return DT_EXIT_OK;
	}
	const char *seg_path[] = {"segment", "path", NULL}, *src_path[] = {"source", NULL};
	yajl_val sp = yajl_tree_get(st, seg_path, yajl_t_string), src = yajl_tree_get(st, src_path, yajl_t_string);
	char shown[4300];
	const char *segp = sp ? YAJL_GET_STRING(sp) : "(none: cannot write)";
	dt_escape_text(shown, sizeof(shown), segp, strlen(segp));
	printf("daemon pid %lld, up %.1f s, tracing (%s)\n", num(st, "pid", NULL), (double)num(st, "uptime_ms", NULL) / 1000,
	       src ? YAJL_GET_STRING(src) : "?");
	printf("events %lld; live: %lld buffers, %lld attachments\n", num(st, "events", NULL),
	       num(st, "live_buffers", NULL), num(st, "live_attachments", NULL));
	printf("lost: ring %lld, write %lld, gap %lld\n", num(st, "lost", "ring"), num(st, "lost", "write"),
	       num(st, "lost", "gap"));
	printf("segment %lld: %s (%lld bytes; %lld started)%s\n", num(st, "segment", "number"), shown,
	       num(st, "segment", "bytes"), num(st, "segment", "started"),
	       num(st, "segment", "disk_full") ? " DISK FULL" : "");
	const char *fp[] = {"findings", NULL};
	yajl_val fv = yajl_tree_get(st, fp, yajl_t_object);
	printf("findings:");
	if (!fv || !fv->u.object.len)
		printf(" none");
	for (size_t i = 0; fv && i < fv->u.object.len; i++)
		printf("%s %s %lld", i ? "," : "", fv->u.object.keys[i],
		       YAJL_IS_INTEGER(fv->u.object.values[i]) ? YAJL_GET_INTEGER(fv->u.object.values[i]) : 0);
	printf("\n");
	yajl_tree_free(st);
	return DT_EXIT_OK;
}

int dt_cmd_snapshot(struct dt_cli *cli)
{
	if (!cli->output) {
		dt_err("snapshot needs -o FILE");
		return DT_EXIT_INPUT;
	}
	char req[128];
	snprintf(req, sizeof(req), "{\"version\":%d,\"cmd\":\"snapshot\",\"last_ns\":%llu}\n", DT_PROTO_VERSION,
		 (unsigned long long)(cli->last_seconds * 1e9));
	yajl_val first;
	int status = DT_EXIT_OK;
	FILE *f = ask(cli->socket_path, req, &first, &status);
	if (!f)
		return status;
	long long lines = num(first, "lines", NULL);
	yajl_tree_free(first);
	int fd = dt_open_output(cli->output, cli->force);
	if (fd < 0) {
		fclose(f);
		return dt_output_status(fd);
	}
	FILE *out = fdopen(fd, "w");
	char *line = NULL;
	size_t cap = 0;
	long long got = 0;
	ssize_t n;
	while (out && (n = getline(&line, &cap, f)) > 0) {
		fwrite(line, 1, (size_t)n, out);
		got++;
	}
	free(line);
	fclose(f);
	int rc = DT_EXIT_OK;
	if (!out || fflush(out) != 0 || fsync(fd) < 0) {
		dt_err("%s: write failed: %s", cli->output, strerror(errno));
		rc = DT_EXIT_SYSTEM;
	}
	if (out)
		fclose(out);
	else
		close(fd);
	if (got != lines) {
		dt_err("%s: the daemon sent %lld of %lld lines (the snapshot is cut)", cli->output, got, lines);
		rc = DT_EXIT_SYSTEM;
	} else {
		dt_info("%s: %lld events", cli->output, lines - 2);
	}
	return rc;
}
