// SPDX-License-Identifier: Apache-2.0
/* See segments.h. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/errors.h"
#include "daemon/compress.h"
#include "daemon/restate.h"
#include "daemon/segments.h"
#include "ingest/segdir.h"
#include "ingest/segment_open.h"
#include "ingest/trace_writer.h"

#define RETRY_SECONDS 1.0
#define MAX_QUEUE 64

struct dt_segments {
	struct dt_segments_opts opts;
	char *dir;
	char boot_id[64];
	char *profile_name, *profile_text;
	const char *seed; /* the header's "seed" (NULL: not said) */
	unsigned long long next_number;

	/* the open segment */
	int fd;
	struct dt_writer *w;
	unsigned long long number;
	char path[4200];
	double opened_at;
	unsigned long long since_flush; /* events handed to the writer since its last successful flush */
	unsigned long long events;      /* events (not restated state) in the open segment */
	unsigned long long state_bytes; /* bytes of its header and restated state */

	/* disk full */
	bool failed;
	bool said_full;
	double retry_at;
	unsigned long long unwritten_total, unwritten_pending;

	unsigned long long started;

	/* closed segments waiting for compression, one child at a time */
	char *queue[MAX_QUEUE];
	unsigned nqueue;
	pid_t compressor;
	unsigned long long compressing;
};

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void queue_compression(struct dt_segments *s, const char *path)
{
	if (s->nqueue >= MAX_QUEUE)
		return; /* stays plain: still readable */
	char *p = strdup(path);
	if (p)
		s->queue[s->nqueue++] = p;
}

/* Segments on disk (closed ones: the open one excluded), sorted by number. */
struct seg_file {
	unsigned long long number;
	char name[64];
	off_t bytes;
};

static int by_number(const void *x, const void *y)
{
	const struct seg_file *a = x, *b = y;
	return a->number < b->number ? -1 : a->number > b->number;
}

static struct seg_file *list_segments(const char *dir, size_t *n)
{
	*n = 0;
	DIR *dh = opendir(dir);
	if (!dh)
		return NULL;
	size_t cap = 0;
	struct seg_file *v = NULL;
	struct dirent *de;
	while ((de = readdir(dh))) {
		unsigned long long num;
		if (!dt_segment_name_parse(de->d_name, &num) || strlen(de->d_name) >= sizeof(v->name))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			struct seg_file *nv = realloc(v, cap * sizeof(*nv));
			if (!nv)
				break;
			v = nv;
		}
		struct stat st;
		char path[4200];
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		v[*n].number = num;
		size_t len = strnlen(de->d_name, sizeof(v[*n].name));
		if (len == sizeof(v[*n].name))
			continue; /* not a name this daemon writes */
		memcpy(v[*n].name, de->d_name, len + 1);
		v[*n].bytes = stat(path, &st) == 0 ? st.st_size : 0;
		(*n)++;
	}
	closedir(dh);
	if (v)
		qsort(v, *n, sizeof(*v), by_number);
	return v;
}

static void retention(struct dt_segments *s)
{
	if (!s->opts.keep && !s->opts.keep_bytes)
		return;
	size_t n;
	struct seg_file *v = list_segments(s->dir, &n);
	if (!v)
		return;
	/* Closed segments only; one being compressed is counted once (both names exist for a moment). */
	unsigned long long count = 0, bytes = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].number == s->number && s->w)
			continue;
		if (i && v[i].number == v[i - 1].number) {
			bytes += (unsigned long long)v[i].bytes;
			continue;
		}
		count++;
		bytes += (unsigned long long)v[i].bytes;
	}
	for (size_t i = 0; i < n; i++) {
		bool over = (s->opts.keep && count > s->opts.keep) || (s->opts.keep_bytes && bytes > s->opts.keep_bytes);
		if (!over)
			break;
		if ((v[i].number == s->number && s->w) || (s->compressor && v[i].number == s->compressing))
			continue;
		char path[4200];
		snprintf(path, sizeof(path), "%s/%s", s->dir, v[i].name);
		if (unlink(path) == 0) {
			bytes -= (unsigned long long)v[i].bytes;
			if (!(i + 1 < n && v[i + 1].number == v[i].number))
				count--;
		}
	}
	free(v);
}

static void reap_and_compress(struct dt_segments *s, bool wait)
{
	if (s->compressor) {
		int st;
		pid_t r = waitpid(s->compressor, &st, wait ? 0 : WNOHANG);
		if (r == s->compressor || (r < 0 && errno == ECHILD)) {
			s->compressor = 0;
			retention(s);
		}
	}
	while (!s->compressor && s->nqueue) {
		char *path = s->queue[0];
		memmove(s->queue, s->queue + 1, (s->nqueue - 1) * sizeof(*s->queue));
		s->nqueue--;
		unsigned long long num = 0;
		const char *base = strrchr(path, '/');
		dt_segment_name_parse(base ? base + 1 : path, &num);
		pid_t pid = fork();
		if (pid == 0) {
			/* Dies with the daemon (a restarted one compresses again), and holds none of its fds: an
			 * inherited listening socket would answer for a daemon that is gone. */
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close_range(3, ~0u, 0);
			char err[600];
			int rc = dt_compress_segment(path, err, sizeof(err));
			if (rc < 0)
				dt_warn("not compressing: %s (the segment stays plain)", err);
			_exit(rc < 0);
		}
		free(path);
		if (pid > 0) {
			s->compressor = pid;
			s->compressing = num;
		}
		if (wait && s->compressor) {
			waitpid(s->compressor, NULL, 0);
			s->compressor = 0;
			retention(s);
		}
	}
	if (!s->compressor)
		retention(s);
}

struct dt_segments *dt_segments_open(const struct dt_segments_opts *opts, const char *boot_id,
				     struct dt_segments_prior *prior, char *err, size_t errlen)
{
	memset(prior, 0, sizeof(*prior));
	if (mkdir(opts->dir, 0750) < 0 && errno != EEXIST) {
		snprintf(err, errlen, "%s: cannot create the segment directory: %s", opts->dir, strerror(errno));
		return NULL;
	}
	struct stat st;
	if (stat(opts->dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s: not a directory", opts->dir);
		return NULL;
	}
	struct dt_segments *s = calloc(1, sizeof(*s));
	if (!s || !(s->dir = strdup(opts->dir))) {
		free(s);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->opts = *opts;
	s->opts.dir = s->dir;
	s->fd = -1;
	snprintf(s->boot_id, sizeof(s->boot_id), "%s", boot_id ? boot_id : "");
	size_t n;
	struct seg_file *v = list_segments(s->dir, &n);
	s->next_number = n ? v[n - 1].number + 1 : 1;
	if (n) {
		/* The newest segment: same boot? Stopped cleanly? Its last event marks where the gap starts. */
		char path[4200];
		snprintf(path, sizeof(path), "%s/%s", s->dir, v[n - 1].name);
		if (n > 1 && v[n - 2].number == v[n - 1].number) /* both plain and .zst: the plain one is whole */
			snprintf(path, sizeof(path), "%s/%s", s->dir, strstr(v[n - 1].name, ".zst") ? v[n - 2].name : v[n - 1].name);
		char rerr[512];
		struct dt_reader *r = dt_segment_open(path, NULL, NULL, rerr, sizeof(rerr));
		if (r) {
			const struct dt_event *ev;
			int got;
			while ((got = dt_reader_next(r, &ev)) > 0)
				;
			const struct dt_header *h = dt_reader_header(r);
			prior->same_boot = h->boot_id.set && s->boot_id[0] && strcmp(h->boot_id.s, s->boot_id) == 0;
			prior->killed = got == 0 && dt_reader_truncated(r);
			prior->orphaned = got == 0 && !prior->killed && dt_reader_continues(r);
			prior->last_ts = dt_reader_last_ts(r);
			prior->last_number = v[n - 1].number;
			dt_reader_close(r);
		}
		/* Plain segments left behind (an open one of a killed daemon, a compression cut short). */
		for (size_t i = 0; i < n; i++) {
			size_t len = strlen(v[i].name);
			if (len > 6 && strcmp(v[i].name + len - 6, ".jsonl") == 0) {
				snprintf(path, sizeof(path), "%s/%s", s->dir, v[i].name);
				char tmp[4300];
				snprintf(tmp, sizeof(tmp), "%s.zst.tmp", path);
				unlink(tmp);
				queue_compression(s, path);
			}
		}
	}
	free(v);
	return s;
}

void dt_segments_set_seed(struct dt_segments *s, const char *seed)
{
	s->seed = seed;
}

int dt_segments_set_profile(struct dt_segments *s, const char *name, const char *text)
{
	char *n = name ? strdup(name) : NULL, *t = text ? strdup(text) : NULL;
	if ((name && !n) || (text && !t)) {
		free(n);
		free(t);
		return -1;
	}
	free(s->profile_name);
	free(s->profile_text);
	s->profile_name = n;
	s->profile_text = t;
	return 0;
}

struct restate_ctx {
	struct dt_segments *s;
	uint64_t *seq;
};

static int write_state(void *ctx, struct dt_event *ev)
{
	struct restate_ctx *rc = ctx;
	ev->seq = ++*rc->seq;
	return dt_writer_event(rc->s->w, ev);
}

static void enter_failed(struct dt_segments *s)
{
	const char *why = s->w ? dt_writer_error(s->w) : "cannot write";
	if (!s->said_full) {
		dt_err("%s; events are counted, not written, until it can write again", why);
		s->said_full = true;
	}
	s->failed = true;
	s->unwritten_pending += s->since_flush;
	s->unwritten_total += s->since_flush;
	s->since_flush = 0;
	if (s->w) {
		dt_writer_free(s->w); /* its flush fails again: nothing more reaches the file */
		s->w = NULL;
	}
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
		/* What reached the disk is a valid, cut trace: keep it (compression may fail for want of space). */
		queue_compression(s, s->path);
	}
	s->retry_at = mono_now() + RETRY_SECONDS;
}

int dt_segments_start(struct dt_segments *s, const struct dt_engine *e, uint64_t *seq, uint64_t now_ts)
{
	for (int tries = 0; tries < 1000; tries++) {
		s->number = s->next_number++;
		snprintf(s->path, sizeof(s->path), "%s/seg-%08llu.jsonl", s->dir, s->number);
		s->fd = open(s->path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0640);
		if (s->fd >= 0 || errno != EEXIST)
			break;
	}
	if (s->fd < 0) {
		if (!s->said_full)
			dt_err("%s: %s", s->path, strerror(errno));
		s->said_full = true;
		s->failed = true;
		s->retry_at = mono_now() + RETRY_SECONDS;
		return -1;
	}
	s->w = dt_writer_new(s->fd, s->path);
	if (!s->w) {
		close(s->fd);
		unlink(s->path);
		s->fd = -1;
		return -1;
	}
	s->started++;
	s->opened_at = mono_now();
	s->since_flush = 0;
	dt_writer_promise_end(s->w);
	if (s->opts.redacted)
		dt_writer_set_redacted(s->w);
	dt_writer_set_segment(s->w, s->boot_id[0] ? s->boot_id : NULL, s->number);
	if (s->seed)
		dt_writer_set_seed(s->w, s->seed);
	if (s->profile_text)
		dt_writer_set_profile(s->w, s->profile_name ? s->profile_name : "profile", s->profile_text);
	struct timespec real;
	clock_gettime(CLOCK_REALTIME, &real);
	dt_writer_header(s->w, s->opts.kernel, s->opts.host, s->opts.tool,
			 (unsigned long long)real.tv_sec * 1000000000ull + (unsigned long long)real.tv_nsec);
	struct restate_ctx rc = {s, seq};
	if (e && dt_restate(e, write_state, &rc) < 0 && !dt_writer_error(s->w)[0])
		dt_err("%s: out of memory restating the live state", s->path);
	if (s->unwritten_pending) {
		struct dt_event ev;
		memset(&ev, 0, sizeof(ev));
		dt_event_clear(&ev);
		ev.type = DT_EV_LOST;
		ev.has = DT_HAS_TS | DT_HAS_COUNT;
		ev.ts = now_ts;
		ev.seq = ++*seq;
		ev.count = s->unwritten_pending;
		ev.cause = DT_LOST_WRITE;
		dt_writer_event(s->w, &ev);
	}
	if (dt_writer_flush(s->w) < 0) {
		/* Still no room: drop this start (not even its header is whole) and try again later. */
		dt_writer_free(s->w);
		s->w = NULL;
		close(s->fd);
		s->fd = -1;
		unlink(s->path);
		s->failed = true;
		s->retry_at = mono_now() + RETRY_SECONDS;
		return -1;
	}
	if (s->failed)
		dt_warn("%s: writing again; %llu events could not be written", s->dir, s->unwritten_pending);
	s->failed = false;
	s->said_full = false;
	s->unwritten_pending = 0;
	s->events = 0;
	s->state_bytes = dt_writer_bytes(s->w);
	return 0;
}

void dt_segments_event(struct dt_segments *s, const struct dt_event *ev)
{
	if (!s->w) {
		s->unwritten_pending++;
		s->unwritten_total++;
		return;
	}
	s->since_flush++;
	s->events++;
	if (dt_writer_event(s->w, ev) < 0)
		enter_failed(s);
}

int dt_segments_close(struct dt_segments *s, uint64_t now_ts, uint64_t seq, uint64_t lost, bool continues)
{
	if (!s->w)
		return s->failed ? -1 : 0;
	dt_writer_set_continues(s->w, continues);
	dt_writer_end(s->w, now_ts, seq, lost);
	int rc = dt_writer_flush(s->w);
	if (rc < 0) {
		enter_failed(s);
		return -1;
	}
	dt_writer_free(s->w);
	s->w = NULL;
	if (fsync(s->fd) < 0 && errno != EINVAL)
		rc = -1;
	close(s->fd);
	s->fd = -1;
	queue_compression(s, s->path);
	return rc;
}

void dt_segments_tick(struct dt_segments *s, const struct dt_engine *e, uint64_t *seq, uint64_t now_ts)
{
	if (s->w) {
		if (dt_writer_flush(s->w) < 0) {
			enter_failed(s);
		} else {
			s->since_flush = 0;
			/* Events decide, not the restated state: a state larger than --rotate-size would otherwise
			 * start a segment every round, each only state, and retention would drop the real ones. */
			bool by_size = s->opts.rotate_bytes && dt_writer_bytes(s->w) - s->state_bytes >= s->opts.rotate_bytes;
			bool by_age = s->opts.rotate_seconds > 0 && mono_now() - s->opened_at >= s->opts.rotate_seconds;
			if ((by_size || by_age) && s->events) {
				if (dt_segments_close(s, now_ts, ++*seq, 0, true) == 0)
					dt_segments_start(s, e, seq, now_ts);
			}
		}
	} else if (s->failed && mono_now() >= s->retry_at) {
		dt_segments_start(s, e, seq, now_ts);
	}
	reap_and_compress(s, false);
}

void dt_segments_status(const struct dt_segments *s, struct dt_segments_status *out)
{
	memset(out, 0, sizeof(*out));
	out->number = s->w ? s->number : 0;
	if (s->w)
		snprintf(out->path, sizeof(out->path), "%s", s->path);
	out->bytes = s->w ? dt_writer_bytes(s->w) : 0;
	out->segments = s->started;
	out->unwritten = s->unwritten_total;
	out->disk_full = s->failed;
}

void dt_segments_free(struct dt_segments *s)
{
	if (!s)
		return;
	if (s->w) {
		dt_writer_free(s->w);
		close(s->fd);
	}
	reap_and_compress(s, true);
	for (unsigned i = 0; i < s->nqueue; i++)
		free(s->queue[i]);
	free(s->profile_name);
	free(s->profile_text);
	free(s->dir);
	free(s);
}
