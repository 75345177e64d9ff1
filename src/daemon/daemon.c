// SPDX-License-Identifier: Apache-2.0
/* See daemon.h. One thread: each loop round polls the ring buffer (or replays a batch), flushes and
 * rotates segments, serves the control socket, logs aggregated findings, writes metrics. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "common/errors.h"
#include "common/json_gen.h"
#include "common/read_file.h"
#include "common/version.h"
#include "daemon/control.h"
#include "daemon/daemon.h"
#include "daemon/flight.h"
#include "daemon/holders.h"
#include "daemon/holders_json.h"
#include "daemon/journal.h"
#include "daemon/metrics.h"
#include "daemon/restate.h"
#include "daemon/seed.h"
#include "daemon/segments.h"
#include "engine/constraints.h"
#include "ingest/bufinfo.h"
#include "ingest/live_stage.h"
#include "ingest/sink.h"
#include "ingest/source.h"
#include "ingest/trace_writer.h"
#include "render/findings.h"
#include "rules/rules.h"

#if DT_NO_CAPTURE
/* Built without the BPF capture (no clang/bpftool): the daemon can only replay (--from-trace);
 * these stand in for src/capture, which is not linked then. */
int dt_capture_open(struct dt_capture **c, const struct dt_capture_opts *o, char *err, size_t errlen)
{
	(void)o;
	*c = NULL;
	snprintf(err, errlen, "this dmabuf-trace was built without BPF capture (no clang/bpftool at build time): "
		 "the daemon can only replay a trace (--from-trace)");
	return -ENOTSUP;
}
int dt_capture_poll(struct dt_capture *c, int t, dt_capture_event_fn fn, void *ctx)
{
	(void)c, (void)t, (void)fn, (void)ctx;
	return 0;
}
void dt_capture_hooks(struct dt_capture *c, FILE *out) { (void)c, (void)out; }
const char *dt_capture_mode(struct dt_capture *c) { (void)c; return "none"; }
uint64_t dt_capture_lost_total(struct dt_capture *c) { (void)c; return 0; }
void dt_capture_close(struct dt_capture *c) { (void)c; }
const char *dt_capture_dmabuf_iter_why(const struct dt_capture *c) { (void)c; return "no BPF capture in this build"; }
int dt_capture_dmabuf_iter_read(struct dt_capture *c, void **buf, size_t *len, char *err, size_t errlen)
{
	(void)c, (void)buf, (void)len;
	snprintf(err, errlen, "this dmabuf-trace was built without BPF capture");
	return -ENOTSUP;
}
const char *dt_capture_memlock_hint(void) { return NULL; }
int dt_capture_open_iter_only(struct dt_capture **c, char *err, size_t errlen)
{
	*c = NULL;
	return dt_capture_dmabuf_iter_read(NULL, NULL, NULL, err, errlen);
}
int dt_capture_dmabuf_iter_seed(const void *buf, size_t len, uint64_t ts, dt_capture_event_fn fn, void *ctx,
				struct dt_seed_counts *counts, char *err, size_t errlen)
{
	(void)buf, (void)len, (void)ts, (void)fn, (void)ctx;
	memset(counts, 0, sizeof(*counts));
	return dt_capture_dmabuf_iter_read(NULL, NULL, NULL, err, errlen);
}
#endif

#define PROFILE_MAX (1u << 20)
#define REPLAY_BATCH 2000

static volatile sig_atomic_t stop_requested, reload_requested;

static void on_stop(int sig)
{
	(void)sig;
	if (stop_requested++)
		_exit(130); /* a second one: leave at once */
}

static void on_hup(int sig)
{
	(void)sig;
	reload_requested = 1;
}

struct daemon {
	const struct dt_daemon_opts *o;
	struct dt_checker *checker; /* the engine with every rule */
	struct dt_constraints *cons;
	/* counted here: the checker's stats hold neither severity per rule nor losses per cause */
	uint64_t findings[DT_RULE__COUNT][3];
	uint64_t lost_by_cause[DT_LOST__COUNT];
	uint64_t gaps;
	char *profile_text;
	struct dt_segments *seg;
	struct dt_flight *flight;
	struct dt_control *control;
	struct dt_journal *journal;
	struct dt_fanout fan;
	struct dt_live_stage *stage; /* record's: reorder window, seq, --redact; then on_event */
	struct dt_capture *cap;
	struct dt_source *replay;
	bool replay_done;
	const char *seed_source; /* how the buffers from before tracing came: "bufinfo", "iterator", "none" */
	char seed_why[400];      /* "none": why neither could be read */
	uint64_t seq;
	double started;
	uint64_t newest_ts;
	/* --snapshot-on-error */
	double snapshot_due; /* 0: none pending */
	char snapshot_rule[64];
	double snapshot_times[64]; /* of the automatic snapshots in the last hour */
	unsigned nsnapshot_times;
	unsigned long long snapshots, snapshots_skipped;
	double metrics_due;
	char boot_id[64];
	char kernel[128], host[128];
};

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t boottime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* A replayed trace has its own time base: "now" is its newest event then. */
static uint64_t now_ts(const struct daemon *d)
{
	return d->replay ? d->newest_ts : boottime_ns();
}

static void read_boot_id(char *out, size_t outsz)
{
	out[0] = '\0';
	FILE *f = fopen("/proc/sys/kernel/random/boot_id", "re");
	if (!f)
		return;
	if (fgets(out, (int)outsz, f))
		out[strcspn(out, "\n")] = '\0';
	fclose(f);
}

/* sd_notify without libsystemd: one datagram to $NOTIFY_SOCKET (the protocol is tiny and stable, and
 * guest builds have no static libsystemd). */
static void notify(const char *msg)
{
	const char *path = getenv("NOTIFY_SOCKET");
	if (!path || !path[0])
		return;
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	size_t len = strlen(path);
	if (len >= sizeof(sa.sun_path))
		return;
	memcpy(sa.sun_path, path, len);
	if (sa.sun_path[0] == '@')
		sa.sun_path[0] = '\0'; /* abstract namespace */
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sa,
	       (socklen_t)(offsetof(struct sockaddr_un, sun_path) + len));
	close(fd);
}

static void on_finding(void *ctx, const struct dt_finding *f)
{
	struct daemon *d = ctx;
	if ((unsigned)f->rule < DT_RULE__COUNT && (unsigned)f->sev <= DT_SEV_ERROR)
		d->findings[f->rule][f->sev]++;
	dt_journal_finding(d->journal, f);
	if (d->o->snapshot_on_error && d->flight && f->sev == DT_SEV_ERROR && !d->snapshot_due) {
		double now = mono_now();
		unsigned w = 0;
		for (unsigned i = 0; i < d->nsnapshot_times; i++)
			if (now - d->snapshot_times[i] < 3600)
				d->snapshot_times[w++] = d->snapshot_times[i];
		d->nsnapshot_times = w;
		if (d->nsnapshot_times < d->o->snapshot_limit && d->nsnapshot_times < 64) {
			d->snapshot_due = now + DT_SNAPSHOT_POST_SECONDS;
			snprintf(d->snapshot_rule, sizeof(d->snapshot_rule), "%s", dt_rule_info[f->rule].id);
		} else {
			d->snapshots_skipped++;
		}
	}
}

static int segment_sink(void *ctx, const struct dt_event *ev)
{
	dt_segments_event(ctx, ev);
	return 0; /* a full disk is counted there; the other consumers go on */
}

static int engine_sink(void *ctx, const struct dt_event *ev)
{
	struct daemon *d = ctx;
	if (dt_checker_feed(d->checker, ev) < 0)
		dt_warn("event %" PRIu64 ": %s", ev->seq, dt_checker_error(d->checker));
	return 0;
}

/* Every event, live or replayed, out of the live stage (numbered, redacted) takes this path. */
static int on_event(void *ctx, const struct dt_event *ev)
{
	struct daemon *d = ctx;
	if (ev->ts > d->newest_ts)
		d->newest_ts = ev->ts;
	if (ev->type == DT_EV_LOST && (unsigned)ev->cause < DT_LOST__COUNT) {
		d->lost_by_cause[ev->cause] += ev->count;
		d->gaps += ev->cause == DT_LOST_GAP;
	}
	dt_fanout_event(&d->fan, ev);
	return 0;
}

/* From the ring, in ring order: into the reorder window. A signal ends the poll round. */
static int on_captured(void *ctx, const struct dt_event *ev)
{
	struct daemon *d = ctx;
	dt_live_stage_push(d->stage, ev);
	return stop_requested || reload_requested ? 1 : 0;
}

static int load_profile(struct daemon *d, struct dt_constraints **cons, char **text)
{
	*cons = NULL;
	*text = NULL;
	if (!d->o->constraints)
		return 0;
	char err[600];
	size_t len;
	*text = dt_read_file(d->o->constraints, PROFILE_MAX, "constraints profile", &len, err, sizeof(err));
	if (!*text) {
		dt_err("%s", err);
		return -1;
	}
	*cons = dt_constraints_parse(d->o->constraints, *text, err, sizeof(err));
	if (!*cons) {
		dt_err("%s", err);
		free(*text);
		*text = NULL;
		return -1;
	}
	return 0;
}

static struct dt_checker *new_checker(struct daemon *d, const struct dt_constraints *cons)
{
	struct dt_checker_opts co = {cons, on_finding, NULL, d};
	struct dt_checker *c = dt_checker_new(&co);
	if (c)
		dt_checker_set_redacted(c, d->o->redact); /* the engine sees redacted segments */
	return c;
}

static const struct dt_engine *engine_of(const struct daemon *d)
{
	return dt_checker_engine(d->checker);
}

static int feed_state(void *ctx, struct dt_event *ev)
{
	return dt_checker_feed(ctx, ev);
}

/* SIGHUP: the profile again, a new engine rebuilt from the old one's state, a new segment. */
static void reload(struct daemon *d)
{
	struct dt_constraints *cons;
	char *text;
	if (load_profile(d, &cons, &text) < 0) {
		dt_err("SIGHUP: keeping the profile in force");
		cons = NULL;
		text = NULL;
		if (d->cons) { /* keep the old: just start a new segment */
			dt_segments_close(d->seg, now_ts(d), ++d->seq, d->cap ? dt_capture_lost_total(d->cap) : 0, true);
			dt_segments_start(d->seg, engine_of(d), &d->seq, now_ts(d));
			return;
		}
	}
	struct dt_checker *e = new_checker(d, cons);
	if (!e) {
		dt_err("SIGHUP: out of memory");
		dt_constraints_free(cons);
		free(text);
		return;
	}
	dt_restate(engine_of(d), feed_state, e); /* seqs are the new segment's own when written */
	dt_segments_close(d->seg, now_ts(d), ++d->seq, d->cap ? dt_capture_lost_total(d->cap) : 0, true);
	dt_checker_free(d->checker);
	dt_constraints_free(d->cons);
	free(d->profile_text);
	d->checker = e;
	d->cons = cons;
	d->profile_text = text;
	dt_segments_set_profile(d->seg, d->o->constraints, text);
	dt_segments_start(d->seg, engine_of(d), &d->seq, now_ts(d));
	dt_warn("SIGHUP: %s re-read, new segment started", d->o->constraints ? d->o->constraints : "(no profile)");
}

/* ---- snapshots: a whole trace (header, the state restated at its start, the window, end) ---- */

static int write_snapshot(struct daemon *d, int fd, uint64_t last_ns)
{
	struct dt_writer *w = dt_writer_new(fd, "snapshot");
	if (!w)
		return -1;
	dt_writer_promise_end(w);
	dt_writer_set_segment(w, d->boot_id[0] ? d->boot_id : NULL, 0);
	if (d->profile_text)
		dt_writer_set_profile(w, d->o->constraints ? d->o->constraints : "profile", d->profile_text);
	if (d->o->redact)
		dt_writer_set_redacted(w);
	struct timespec real;
	clock_gettime(CLOCK_REALTIME, &real);
	dt_writer_header(w, d->kernel, d->host, "dmabuf-trace " DT_VERSION_STRING " daemon snapshot",
			 (unsigned long long)real.tv_sec * 1000000000ull + (unsigned long long)real.tv_nsec);
	int last = dt_flight_snapshot(d->flight, last_ns, w);
	dt_writer_end(w, dt_flight_newest_ts(d->flight), (unsigned long long)(last < 0 ? 0 : last) + 1, 0);
	int rc = dt_writer_flush(w);
	if (dt_writer_free(w) < 0 || last < 0)
		rc = -1;
	return rc;
}

/* The snapshot reply: its line count first (docs/daemon-protocol.md), so it is made in memory. */
static void reply_snapshot(struct daemon *d, FILE *out, uint64_t last_ns)
{
	int fd = memfd_create("dmabuf-trace-snapshot", MFD_CLOEXEC);
	if (fd < 0 || write_snapshot(d, fd, last_ns) < 0) {
		dt_control_error_reply(out, fd < 0 ? strerror(errno) : "out of memory writing the snapshot");
		if (fd >= 0)
			close(fd);
		return;
	}
	char buf[65536];
	size_t lines = 0;
	ssize_t n;
	for (off_t off = 0; (n = pread(fd, buf, sizeof(buf), off)) > 0; off += n)
		for (ssize_t i = 0; i < n; i++)
			lines += buf[i] == '\n';
	fprintf(out, "{\"version\":1,\"ok\":true,\"lines\":%zu}\n", lines);
	for (off_t off = 0; (n = pread(fd, buf, sizeof(buf), off)) > 0; off += n)
		if (fwrite(buf, 1, (size_t)n, out) != (size_t)n)
			break;
	close(fd);
}

static void auto_snapshot(struct daemon *d)
{
	char path[4200];
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	char stamp[32];
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(path, sizeof(path), "%s/snapshot-%s-%s.jsonl", d->o->dir, stamp, d->snapshot_rule);
	/* Written under a hidden name and renamed when complete: a snapshot's name never shows a partial
	 * file (the daemon killed mid-write, a reader racing the write). */
	char part[4300];
	snprintf(part, sizeof(part), "%s/.snapshot-%s-%s.jsonl.part", d->o->dir, stamp, d->snapshot_rule);
	unlink(part); /* one a killed daemon left */
	int fd = open(part, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0) {
		dt_err("%s: %s", part, strerror(errno));
		return;
	}
	int rc = write_snapshot(d, fd, 0);
	if (rc == 0 && fsync(fd) != 0)
		rc = -1;
	if (close(fd) != 0 || rc < 0) {
		dt_err("%s: write failed: %s", path, strerror(errno));
		unlink(part);
		return;
	}
	int exists = access(path, F_OK) == 0; /* never replaces a snapshot */
	if (exists || rename(part, path) != 0) {
		dt_err("%s: %s", path, strerror(exists ? EEXIST : errno));
		unlink(part);
		return;
	}
	d->snapshots++;
	d->snapshot_times[d->nsnapshot_times++] = mono_now();
	dt_warn("snapshot after a %s error: %s", d->snapshot_rule, path);
}

/* ---- control requests ---- */

static void metrics_extra(struct daemon *d, struct dt_metrics_extra *x)
{
	struct dt_segments_status ss;
	dt_segments_status(d->seg, &ss);
	unsigned long long entries, folded;
	dt_journal_counts(d->journal, &entries, &folded);
	*x = (struct dt_metrics_extra){ss.segments, ss.unwritten, d->snapshots, folded, mono_now() - d->started,
				       &d->findings, d->lost_by_cause, d->gaps};
}

static void reply_status(struct daemon *d, FILE *out)
{
	const struct dt_engine_stats *s = dt_engine_stats(engine_of(d));
	struct dt_segments_status ss;
	dt_segments_status(d->seg, &ss);
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	dt_json_u64(g, "version", 1);
	dt_json_bool(g, "ok", true);
	dt_json_str(g, "tool", "dmabuf-trace " DT_VERSION_STRING);
	dt_json_u64(g, "pid", (uint64_t)getpid());
	dt_json_u64(g, "uptime_ms", (uint64_t)((mono_now() - d->started) * 1000));
	dt_json_str(g, "source", d->replay ? "replay" : d->cap ? dt_capture_mode(d->cap) : "none");
	if (d->seed_source) {
		dt_json_str(g, "seed", d->seed_source);
		if (d->seed_why[0])
			dt_json_str(g, "seed_why", d->seed_why);
	}
	uint64_t events = 0;
	for (int t = 0; t < DT_EV__COUNT; t++)
		events += s->events[t];
	dt_json_u64(g, "events", events);
	dt_json_u64(g, "live_buffers", s->live_buffers);
	dt_json_u64(g, "live_attachments", s->live_attachments);
	dt_json_key(g, "lost");
	yajl_gen_map_open(g);
	for (int c = 0; c < DT_LOST__COUNT; c++)
		if (c != DT_LOST_WRITE && c != DT_LOST_GAP)
			dt_json_u64(g, dt_lost_cause_name((enum dt_lost_cause)c), d->lost_by_cause[c]);
	/* this daemon's own, and those a replayed trace recorded */
	dt_json_u64(g, "write", ss.unwritten + d->lost_by_cause[DT_LOST_WRITE]);
	dt_json_u64(g, "gap", d->gaps);
	yajl_gen_map_close(g);
	dt_json_key(g, "findings");
	yajl_gen_map_open(g);
	for (int r = 0; r < DT_RULE__COUNT; r++) {
		uint64_t n = d->findings[r][0] + d->findings[r][1] + d->findings[r][2];
		if (n)
			dt_json_u64(g, dt_rule_info[r].id, n);
	}
	yajl_gen_map_close(g);
	dt_json_key(g, "segment");
	yajl_gen_map_open(g);
	dt_json_u64(g, "number", ss.number);
	if (ss.number)
		dt_json_str(g, "path", ss.path);
	else
		dt_json_null(g, "path");
	dt_json_u64(g, "bytes", ss.bytes);
	dt_json_u64(g, "started", ss.segments);
	dt_json_bool(g, "disk_full", ss.disk_full);
	yajl_gen_map_close(g);
	dt_json_str(g, "dir", d->o->dir);
	if (d->o->constraints)
		dt_json_str(g, "profile", d->o->constraints);
	else
		dt_json_null(g, "profile");
	if (d->flight) {
		dt_json_u64(g, "flight_recorder_bytes", dt_flight_bytes(d->flight));
		dt_json_u64(g, "flight_recorder_events", dt_flight_count(d->flight, 0));
	}
	dt_json_u64(g, "snapshots", d->snapshots);
	dt_json_bool(g, "journal", dt_journal_uses_journal(d->journal));
	dt_json_bool(g, "redacted", dt_live_stage_redacts(d->stage));
	const struct dt_reorder_stats *rs = dt_live_stage_reorder_stats(d->stage);
	dt_json_key(g, "reorder");
	yajl_gen_map_open(g);
	dt_json_key(g, "window_ms");
	yajl_gen_double(g, d->replay ? 0 : dt_live_stage_window_ms(d->stage));
	dt_json_u64(g, "reordered", rs->reordered);
	dt_json_u64(g, "late", rs->late);
	dt_json_u64(g, "held_max", rs->held_max);
	yajl_gen_map_close(g);
	yajl_gen_map_close(g);
	const unsigned char *b;
	size_t n;
	yajl_gen_get_buf(g, &b, &n);
	fwrite(b, 1, n, out);
	fputc('\n', out);
	yajl_gen_free(g);
}

struct state_walk {
	yajl_gen g;
	const struct dt_holders *h;
};

static void state_buffer(void *ctx, const struct dt_buffer *b)
{
	yajl_gen g = ((struct state_walk *)ctx)->g;
	yajl_gen_map_open(g);
	dt_json_u64(g, "buf", b->ino);
	if (b->exporter)
		dt_json_str(g, "exporter", b->exporter);
	else
		dt_json_null(g, "exporter");
	dt_json_u64(g, "size", b->size);
	if (b->name)
		dt_json_str(g, "name", b->name);
	dt_json_bool(g, "before_tracing", b->provisional);
	dt_json_key(g, "attachments");
	yajl_gen_array_open(g);
	for (const struct dt_attachment *a = b->atts; a; a = a->next) {
		yajl_gen_map_open(g);
		dt_json_u64(g, "att", a->id);
		dt_json_str(g, "dev", a->dev);
		if (a->driver)
			dt_json_str(g, "driver", a->driver);
		else
			dt_json_null(g, "driver");
		dt_json_bool(g, "mapped", a->map_depth > 0);
		dt_json_u64(g, "maps", a->map_depth);
		if (a->map_depth)
			dt_json_u64(g, "nents", a->map.nents);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
	/* Read by the daemon: the unit grants it CAP_SYS_PTRACE, its clients need none. */
	const struct dt_holders *h = ((struct state_walk *)ctx)->h;
	dt_holders_json(g, h, b->ino);
	yajl_gen_map_close(g);
}

static void reply_state(struct daemon *d, FILE *out)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	yajl_gen_map_open(g);
	dt_json_u64(g, "version", 1);
	dt_json_bool(g, "ok", true);
	dt_json_u64(g, "ts", now_ts(d));
	struct dt_holders h;
	dt_holders_scan(&h, "/proc");
	dt_json_u64(g, "processes_read", h.scanned - h.unreadable);
	dt_json_u64(g, "processes_unreadable", h.unreadable);
	dt_json_key(g, "buffers");
	yajl_gen_array_open(g);
	struct state_walk w = {g, &h};
	dt_engine_foreach_buffer(engine_of(d), state_buffer, &w);
	yajl_gen_array_close(g);
	dt_holders_free(&h);
	yajl_gen_map_close(g);
	const unsigned char *b;
	size_t n;
	yajl_gen_get_buf(g, &b, &n);
	fwrite(b, 1, n, out);
	fputc('\n', out);
	yajl_gen_free(g);
}

static void on_request(void *ctx, const struct dt_request *req, FILE *out)
{
	struct daemon *d = ctx;
	switch (req->cmd) {
	case DT_REQ_STATUS: reply_status(d, out); break;
	case DT_REQ_STATE: reply_state(d, out); break;
	case DT_REQ_METRICS: {
		struct dt_metrics_extra x;
		metrics_extra(d, &x);
		fprintf(out, "{\"version\":1,\"ok\":true,\"format\":\"prometheus\"}\n");
		dt_metrics_print(out, engine_of(d), &x);
		break;
	}
	case DT_REQ_SNAPSHOT:
		if (!d->flight) {
			dt_control_error_reply(out, "the flight recorder is off (--flight-recorder 0)");
			break;
		}
		reply_snapshot(d, out, req->last_ns);
		break;
	}
}

/* ---- the loop ---- */

static void tick(struct daemon *d)
{
	dt_segments_tick(d->seg, engine_of(d), &d->seq, now_ts(d));
	if (d->control)
		dt_control_poll(d->control, on_request, d);
	dt_journal_tick(d->journal, false);
	double now = mono_now();
	if (d->snapshot_due && now >= d->snapshot_due) {
		auto_snapshot(d);
		d->snapshot_due = 0;
	}
	if (d->o->metrics_file && now >= d->metrics_due) {
		struct dt_metrics_extra x;
		metrics_extra(d, &x);
		if (dt_metrics_write_file(d->o->metrics_file, engine_of(d), &x) < 0)
			dt_err("%s: %s", d->o->metrics_file, strerror(errno));
		d->metrics_due = now + DT_METRICS_INTERVAL_SECONDS;
	}
}

static void replay_batch(struct daemon *d)
{
	const struct dt_event *ev;
	for (int i = 0; i < REPLAY_BATCH && !d->replay_done; i++) {
		int r = dt_source_next(d->replay, &ev);
		if (r == 2)
			continue; /* a directory's boundaries: the daemon's own engine carries on */
		if (r <= 0) {
			if (r < 0)
				dt_err("%s", dt_source_error(d->replay));
			d->replay_done = true;
			break;
		}
		/* restated state of a replayed segment is state the daemon has not seen: take its objects as
		 * events (a history event is no event: the daemon's engine builds its own history from them) */
		if (ev->type == DT_EV_HISTORY || (ev->type == DT_EV_LOST && (ev->has & DT_HAS_STATE)))
			continue;
		struct dt_event *e = (struct dt_event *)ev;
		e->has &= ~(uint32_t)DT_HAS_STATE;
		dt_live_stage_pass(d->stage, e); /* a trace is in order already: numbered and redacted, not held */
	}
}

static void print_warning(void *ctx, const char *msg)
{
	(void)ctx;
	dt_warn("%s", msg);
}

/* Which source seeds the buffers that existed before tracing, said once and in every segment header:
 * bufinfo when it was readable, else the dmabuf iterator's records (read now, seeded after the first
 * segment starts), else none and why. */
static void choose_seed(struct daemon *d, FILE *bufinfo, const char *bufinfo_name, void **iter, size_t *len)
{
	char err[256];
	const char *why = dt_capture_dmabuf_iter_why(d->cap);

	if (bufinfo) {
		d->seed_source = "bufinfo";
	} else if (!why && dt_capture_dmabuf_iter_read(d->cap, iter, len, err, sizeof(err)) == 0) {
		d->seed_source = "iterator";
	} else {
		d->seed_source = "none";
		snprintf(d->seed_why, sizeof(d->seed_why), "%s is not readable and %s",
			 bufinfo_name ? bufinfo_name : "debugfs dma_buf/bufinfo", why ? why : err);
		dt_info("buffers that existed before tracing are not seeded: %s", d->seed_why);
	}
	dt_segments_set_seed(d->seg, d->seed_source);
}

int dt_daemon_run(const struct dt_daemon_opts *o)
{
	struct daemon d = {.o = o, .started = mono_now()};
	int rc = DT_EXIT_OK;
	FILE *seed = NULL;
	const char *seed_name = NULL;
	bool seed_failed = false;
	void *iter_seed = NULL;
	size_t iter_len = 0;
	read_boot_id(d.boot_id, sizeof(d.boot_id));
	struct utsname u;
	uname(&u);
	snprintf(d.kernel, sizeof(d.kernel), "%s", u.release);
	snprintf(d.host, sizeof(d.host), "%s", u.nodename);
	if (load_profile(&d, &d.cons, &d.profile_text) < 0)
		return DT_EXIT_INPUT;
	char err[600];
	struct dt_segments_opts so = {o->dir, o->rotate_bytes, o->rotate_seconds, o->keep, o->keep_bytes,
				      d.kernel, d.host, "dmabuf-trace " DT_VERSION_STRING " daemon", o->redact};
	struct dt_segments_prior prior;
	d.seg = dt_segments_open(&so, d.boot_id, &prior, err, sizeof(err));
	if (!d.seg) {
		dt_err("%s", err);
		dt_constraints_free(d.cons);
		free(d.profile_text);
		return DT_EXIT_SYSTEM;
	}
	dt_segments_set_profile(d.seg, o->constraints, d.profile_text);
	d.journal = dt_journal_new(DT_JOURNAL_INTERVAL_SECONDS);
	d.checker = new_checker(&d, d.cons);
	if (o->flight_bytes)
		d.flight = dt_flight_new(o->flight_bytes);
	struct dt_live_stage_opts lo = {o->reorder_window_ms, o->redact, &d.seq, on_event, &d};
	d.stage = dt_live_stage_new(&lo);
	if (!d.journal || !d.checker || (o->flight_bytes && !d.flight) || !d.stage) {
		dt_err("out of memory");
		rc = DT_EXIT_SYSTEM;
		goto out;
	}
	/* Before the capture opens (tens of seconds on a slow machine): a SIGHUP or SIGTERM then must not kill. */
	struct sigaction stop = {.sa_handler = on_stop}, hup = {.sa_handler = on_hup};
	sigaction(SIGINT, &stop, NULL);
	sigaction(SIGTERM, &stop, NULL);
	sigaction(SIGHUP, &hup, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (o->from_trace) {
		d.replay = dt_source_open(o->from_trace, DT_SRC_AUTO, print_warning, NULL, err, sizeof(err));
		if (!d.replay) {
			dt_err("%s", err);
			rc = DT_EXIT_INPUT;
			goto out;
		}
	} else {
		/* The buffers that existed before tracing: debugfs bufinfo, else the BPF dmabuf iterator (6.16+),
		 * which the capture then loads too. */
		seed = dt_bufinfo_open(o->seed_bufinfo, &seed_name, &seed_failed);
		struct dt_capture_opts copts = o->capture;
		copts.seed_iter = seed == NULL;
		int r = dt_capture_open(&d.cap, &copts, err, sizeof(err));
		if (r < 0) {
			dt_err("%s", err);
			if (r == -EPERM && dt_capture_memlock_hint())
				dt_info("next: %s", dt_capture_memlock_hint());
			rc = DT_EXIT_SYSTEM;
			goto out;
		}
		dt_capture_hooks(d.cap, stderr);
	}
	if (o->socket_path) {
		d.control = dt_control_open(o->socket_path, o->socket_group, err, sizeof(err));
		if (!d.control) {
			dt_err("%s", err);
			rc = DT_EXIT_SYSTEM;
			goto out;
		}
	}
	if (d.cap)
		choose_seed(&d, seed, seed_name, &iter_seed, &iter_len);
	dt_fanout_add(&d.fan, segment_sink, d.seg, "segments");
	if (d.flight)
		dt_fanout_add(&d.fan, dt_flight_sink, d.flight, "flight recorder");
	dt_fanout_add(&d.fan, engine_sink, &d, "engine");

	dt_segments_start(d.seg, NULL, &d.seq, now_ts(&d));
	if (prior.same_boot) {
		/* The previous daemon of this boot stopped (or was killed): nothing was traced since its last event. */
		struct dt_event gap;
		memset(&gap, 0, sizeof(gap));
		dt_event_clear(&gap);
		gap.type = DT_EV_LOST;
		gap.has = DT_HAS_TS | DT_HAS_COUNT | DT_HAS_SINCE;
		gap.ts = d.replay ? prior.last_ts : boottime_ns(); /* a replay has no clock of its own */
		gap.since = prior.last_ts;
		gap.cause = DT_LOST_GAP;
		dt_live_stage_pass(d.stage, &gap);
		dt_warn("%s: segment %08llu %s; the gap since its last event is recorded", o->dir, prior.last_number,
			prior.killed     ? "was cut short (the daemon was killed)"
			: prior.orphaned ? "ended saying a next one follows, and none did (the daemon was killed, or "
					   "could not write it)"
					 : "ended when the daemon stopped");
	}
	if (seed) {
		dt_bufinfo_seed(seed, seed_name, dt_live_stage_pass, d.stage); /* closes it */
		seed = NULL;
	} else if (iter_seed) {
		dt_seed_from_iterator(iter_seed, iter_len, boottime_ns(), dt_live_stage_pass, d.stage);
		iter_seed = NULL;
	}

	notify("READY=1\nSTATUS=tracing");
	dt_info("tracing (%s) into %s%s%s",
		d.replay ? "replay" : dt_capture_mode(d.cap), o->dir, o->socket_path ? ", socket " : "",
		o->socket_path ? o->socket_path : "");

	while (!stop_requested) {
		if (reload_requested) {
			reload_requested = 0;
			notify("RELOADING=1");
			reload(&d);
			notify("READY=1");
		}
		if (d.cap) {
			int n = dt_capture_poll(d.cap, 100, on_captured, &d);
			if (n < 0 && n != -EINTR) {
				dt_err("reading the ring buffer: %s", strerror(-n));
				rc = DT_EXIT_SYSTEM;
				break;
			}
			dt_live_stage_release(d.stage, boottime_ns());
		} else if (!d.replay_done) {
			replay_batch(&d);
			usleep(1000);
		} else {
			usleep(50 * 1000);
		}
		if (dt_live_stage_failed(d.stage)) {
			rc = DT_EXIT_SYSTEM; /* a redaction failed: nothing unredacted is written instead */
			break;
		}
		tick(&d);
	}
	notify("STOPPING=1");
	if (d.cap) {
		/* Drain what the kernel already wrote, bounded in time. */
		double until = mono_now() + 2;
		stop_requested = 0;
		while (dt_capture_poll(d.cap, 0, on_captured, &d) > 0 && mono_now() < until)
			;
		dt_capture_report_losses(d.cap); /* the drops since the last check */
	}
	dt_live_stage_flush(d.stage);
	if (d.snapshot_due)
		auto_snapshot(&d);
	if (dt_segments_close(d.seg, now_ts(&d), ++d.seq, d.cap ? dt_capture_lost_total(d.cap) : 0, false) < 0)
		rc = DT_EXIT_SYSTEM;
	if (o->metrics_file) {
		struct dt_metrics_extra x;
		metrics_extra(&d, &x);
		dt_metrics_write_file(o->metrics_file, engine_of(&d), &x);
	}
	struct dt_run_stats rs = dt_checker_stats(d.checker);
	dt_print_summary(stderr, o->dir, &rs, 0);
out:
	if (seed)
		fclose(seed);
	free(iter_seed);
	dt_control_close(d.control);
	dt_source_close(d.replay);
	dt_live_stage_free(d.stage);
	if (d.cap)
		dt_capture_close(d.cap);
	dt_segments_free(d.seg);
	dt_journal_free(d.journal);
	dt_flight_free(d.flight);
	dt_checker_free(d.checker);
	dt_constraints_free(d.cons);
	free(d.profile_text);
	return rc;
}
