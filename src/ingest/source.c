/* SPDX-License-Identifier: Apache-2.0 */
/* Content sniffing and dispatch between the trace v1 reader and the ftrace importer. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ingest/source.h"
#include "common/errors.h"
#include "ingest/bufinfo.h"
#include "ingest/segdir.h"
#include "ingest/ftrace.h"
#include "ingest/sniff.h"

#define SNIFF_BYTES 4096
#define SNIFF_LINES 8 /* dt_sniff decides by the first 8 lines */
#define PEEK_STEP_MS 10
#define PEEK_QUIET_MS 200
#define PEEK_MAX_MS 2000

struct dt_source {
	enum dt_source_kind kind;
	struct dt_segdir *dir; /* a directory of daemon segments */
	struct dt_segdir_boundary first;
	struct dt_reader *json;
	struct dt_ftrace *ft;
	/* bufinfo snapshot: its seeded events, read whole at open (a snapshot is small) */
	struct dt_event *snap;
	size_t nsnap, capsnap, next_snap;
	bool snap_oom;
	char *name;
	char err[512];
};

/* The first bytes of fd without consuming them: pread on files, tee(2) on pipes.
 * Returns the byte count, or -1 when the input cannot be peeked (then: trace v1). */
static ssize_t peek(int fd, char *buf, size_t len)
{
	struct stat st;
	if (fstat(fd, &st) < 0)
		return -1;
	if (S_ISREG(st.st_mode)) {
		off_t pos = lseek(fd, 0, SEEK_CUR);
		return pread(fd, buf, len, pos < 0 ? 0 : pos);
	}
	if (!S_ISFIFO(st.st_mode))
		return -1;
	int p[2];
	if (pipe(p) < 0)
		return -1;
	/* tee returns what the pipe holds now: a slow writer's first write can be a few bytes (a trace_pipe line's
	 * leading spaces), too few to tell the kind. Look again while the first lines are still coming: until len
	 * bytes or SNIFF_LINES lines, a complete line followed by PEEK_QUIET_MS without more, or PEEK_MAX_MS. */
	ssize_t got = 0;
	int quiet_ms = 0, waited_ms = 0;
	for (;;) {
		ssize_t n = tee(fd, p[1], len, 0); /* the first blocks until the writer wrote something or closed */
		if (n < 0) {
			got = -1;
			break;
		}
		if (n > got) {
			got = read(p[0], buf, (size_t)n);
			if (got < 0)
				break;
			quiet_ms = 0;
		} else if (n > 0 && read(p[0], buf, (size_t)n) != n) { /* the same bytes again: drained */
			break;
		}
		struct pollfd pf = {fd, POLLIN, 0};
		if (got > 0 && poll(&pf, 1, 0) == 1 && (pf.revents & POLLHUP))
			break; /* the writer closed: the pipe holds all there will be */
		size_t lines = 0;
		for (ssize_t i = 0, start = 0; i < got; i++) {
			if (buf[i] != '\n')
				continue;
			/* trace-cmd report's preamble ("version = 6", a "CPU 3 is empty" per idle CPU) decides nothing */
			bool preamble = (i - start >= 4 && !memcmp(buf + start, "CPU ", 4)) ||
					(i - start >= 10 && !memcmp(buf + start, "version = ", 10));
			lines += i > start && !preamble;
			start = i + 1;
		}
		if (got <= 0 || (size_t)got >= len || lines >= SNIFF_LINES || (lines && quiet_ms >= PEEK_QUIET_MS) ||
		    waited_ms >= PEEK_MAX_MS)
			break;
		nanosleep(&(struct timespec){0, PEEK_STEP_MS * 1000000L}, NULL);
		quiet_ms += PEEK_STEP_MS;
		waited_ms += PEEK_STEP_MS;
	}
	close(p[0]);
	close(p[1]);
	return got;
}

/* The kind to read an input as, or DT_SRC_AUTO with err set when it is refused: one line naming the file, what
 * it looks like and what to do instead. asked: what the caller wants (AUTO, AUTO_OR_BUFINFO, FTRACE). */
static enum dt_source_kind refuse(const char *path, enum dt_look look, enum dt_source_kind asked, char *err,
				  size_t errlen)
{
	const char *what = dt_look_name(look);
	switch (look) {
	case DT_LOOK_TRACE:
		if (asked != DT_SRC_FTRACE)
			return DT_SRC_TRACE;
		snprintf(err, errlen, "%s: is already %s, nothing to import: run check, timeline or report on it", path,
			 what);
		return DT_SRC_AUTO;
	case DT_LOOK_FTRACE:
		return DT_SRC_FTRACE;
	case DT_LOOK_OTHER:
		/* The reader names the first line it cannot use. */
		return asked == DT_SRC_FTRACE ? DT_SRC_FTRACE : DT_SRC_TRACE;
	case DT_LOOK_BUFINFO:
		if (asked == DT_SRC_AUTO_OR_BUFINFO)
			return DT_SRC_BUFINFO;
		snprintf(err, errlen, "%s: looks like %s, not a trace: it holds no events; 'dmabuf-trace state %s' and "
			 "'dmabuf-trace advise %s' read it", path, what, path, path);
		return DT_SRC_AUTO;
	case DT_LOOK_DMESG:
		snprintf(err, errlen, "%s: looks like %s, which has no dma-buf events: record a trace with "
			 "'dmabuf-trace record', or capture ftrace with 'dmabuf-trace ftrace-recipe' (docs/ftrace.md)", path,
			 what);
		return DT_SRC_AUTO;
	case DT_LOOK_GZIP:
		snprintf(err, errlen, "%s: looks like %s: decompress it first (zcat %s | dmabuf-trace COMMAND -)", path,
			 what, path);
		return DT_SRC_AUTO;
	case DT_LOOK_ZSTD:
		if (asked != DT_SRC_FTRACE)
			return DT_SRC_TRACE; /* the trace reader reads zstd by its magic number */
		snprintf(err, errlen, "%s: looks like %s: decompress it first (zstdcat %s | dmabuf-trace import "
			 "--from ftrace -)", path, what, path);
		return DT_SRC_AUTO;
	case DT_LOOK_BINARY:
		if (asked != DT_SRC_FTRACE)
			return DT_SRC_TRACE; /* the reader names file:line */
		snprintf(err, errlen, "%s: looks like %s, not ftrace text", path, what);
		return DT_SRC_AUTO;
	}
	return DT_SRC_TRACE;
}

static int keep_snap_event(void *ctx, const struct dt_event *ev)
{
	struct dt_source *s = ctx;
	if (s->nsnap == s->capsnap) {
		size_t ncap = s->capsnap ? s->capsnap * 2 : 16;
		struct dt_event *n = realloc(s->snap, ncap * sizeof(*n));
		if (!n) {
			s->snap_oom = true;
			return -1;
		}
		s->snap = n;
		s->capsnap = ncap;
	}
	struct dt_event *e = &s->snap[s->nsnap++];
	*e = *ev;
	e->seq = s->nsnap; /* the snapshot has no order of its own: file order */
	e->line = 0;
	return 0;
}

static int read_bufinfo(struct dt_source *s, FILE *f, char *err, size_t errlen)
{
	/* A snapshot has no clock: its events are at 0, the state it shows is "at the snapshot". */
	int n = dt_bufinfo_parse(f, s->name, 0, keep_snap_event, s, err, errlen);
	if (s->snap_oom)
		snprintf(err, errlen, "out of memory");
	return n < 0 ? -1 : 0;
}

struct dt_source *dt_source_open(const char *path, enum dt_source_kind kind, dt_warn_fn warn, void *warn_ctx,
				 char *err, size_t errlen)
{
	struct dt_source *s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	bool is_stdin = strcmp(path, "-") == 0;
	s->name = strdup(is_stdin ? "<stdin>" : path);
	struct stat st;
	if (!is_stdin && stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
		s->kind = DT_SRC_TRACE;
		s->dir = dt_segdir_open(path, warn, warn_ctx, err, errlen);
		if (!s->dir) {
			free(s->name);
			free(s);
			return NULL;
		}
		return s;
	}
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
		free(s->name);
		free(s);
		return NULL;
	}
	if (kind != DT_SRC_TRACE) {
		char buf[SNIFF_BYTES];
		ssize_t n = peek(fd, buf, sizeof(buf));
		/* An empty input is the reader's "empty trace", or ftrace without events for import. */
		enum dt_look look = n > 0 ? dt_sniff(buf, (size_t)n) : kind == DT_SRC_FTRACE ? DT_LOOK_FTRACE : DT_LOOK_TRACE;
		enum dt_source_kind got = refuse(path, look, kind, err, errlen);
		if (got == DT_SRC_AUTO) { /* refused */
			if (!is_stdin)
				close(fd);
			free(s->name);
			free(s);
			return NULL;
		}
		kind = got;
	}
	s->kind = kind;
	if (kind == DT_SRC_BUFINFO) {
		FILE *f = fdopen(fd, "r");
		if (!f || read_bufinfo(s, f, err, errlen) < 0) {
			if (f && !is_stdin)
				fclose(f);
			else if (!f && !is_stdin)
				close(fd);
			free(s->snap);
			free(s->name);
			free(s);
			return NULL;
		}
		if (!is_stdin)
			fclose(f);
		return s;
	}
	if (kind == DT_SRC_FTRACE) {
		FILE *f = fdopen(fd, "r");
		if (!f) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			if (!is_stdin)
				close(fd);
			free(s->name);
			free(s);
			return NULL;
		}
		s->ft = dt_ftrace_open(s->name, f, !is_stdin, warn, warn_ctx);
		if (!s->ft) {
			snprintf(err, errlen, "out of memory");
			free(s->name);
			free(s);
			return NULL;
		}
		return s;
	}
	/* Keep the fd: reopening a FIFO loses what the writer already wrote and waits for a new writer. */
	s->json = dt_reader_open_fd(s->name, fd, !is_stdin, warn, warn_ctx, err, errlen);
	if (!s->json) {
		free(s->name);
		free(s);
		return NULL;
	}
	return s;
}

enum dt_source_kind dt_source_kind(const struct dt_source *s)
{
	return s->kind;
}

int dt_source_next(struct dt_source *s, const struct dt_event **ev)
{
	if (s->dir)
		return dt_segdir_next(s->dir, ev);
	if (s->json)
		return dt_reader_next(s->json, ev);
	if (s->kind == DT_SRC_BUFINFO) {
		if (s->next_snap >= s->nsnap)
			return 0;
		*ev = &s->snap[s->next_snap++];
		return 1;
	}
	int r = dt_ftrace_next(s->ft, ev);
	if (r < 0)
		snprintf(s->err, sizeof(s->err), "%s", dt_ftrace_error(s->ft));
	const struct dt_ftrace_stats *st = dt_ftrace_stats(s->ft);
	/* ftrace without a single dma-buf event is a capture of the wrong events, unless the recipe saved it
	 * (its "# kernel:" line): then nothing happened. */
	if (r == 0 && st->emitted == 0 && st->malformed && !st->foreign && !st->unmatched) {
		/* every event-like line refused: a layout this reader does not know, not "nothing happened" */
		snprintf(s->err, sizeof(s->err), "%s: no line could be read as an ftrace event (%" PRIu64 " malformed): the "
			 "lines need the task, [cpu] and secs.usecs: fields (the latency-format option, context-info off "
			 "and counter clocks are not read; docs/ftrace.md)", s->name, st->malformed);
		return -1;
	}
	if (r == 0 && st->emitted == 0 && !dt_ftrace_kernel(s->ft)) {
		snprintf(s->err, sizeof(s->err), "%s: ftrace text without dma-buf events (%" PRIu64 " event lines, none of "
			 "them the ftrace-recipe's kprobes or dma_buf:* tracepoints; dma:dma_map_sg alone cannot be tied to a "
			 "buffer): capture with the events of 'dmabuf-trace ftrace-recipe' (docs/ftrace.md)", s->name,
			 st->lines - st->comments);
		return -1;
	}
	return r;
}

const struct dt_segdir_boundary *dt_source_boundary(const struct dt_source *s)
{
	return s->dir ? dt_segdir_boundary(s->dir) : &s->first;
}

bool dt_source_continues(const struct dt_source *s)
{
	return s->dir ? dt_segdir_continues(s->dir) : s->json && dt_reader_continues(s->json);
}

const char *dt_source_error(const struct dt_source *s)
{
	if (s->dir)
		return dt_segdir_error(s->dir);
	return s->json ? dt_reader_error(s->json) : s->err;
}

const char *dt_source_name(const struct dt_source *s)
{
	if (s->dir)
		return dt_segdir_name(s->dir);
	return s->json ? dt_reader_name(s->json) : s->name;
}

const struct dt_header *dt_source_header(const struct dt_source *s)
{
	if (s->dir)
		return dt_segdir_header(s->dir);
	return s->json ? dt_reader_header(s->json) : NULL;
}

const char *dt_source_kernel(const struct dt_source *s)
{
	if (s->dir)
		return dt_segdir_kernel(s->dir);
	if (s->json) {
		const struct dt_header *h = dt_reader_header(s->json);
		return h && h->kernel.set ? h->kernel.s : NULL;
	}
	return dt_ftrace_kernel(s->ft);
}

int dt_source_truncated(const struct dt_source *s)
{
	if (s->dir)
		return dt_segdir_truncated(s->dir);
	return s->json ? dt_reader_truncated(s->json) : 0;
}

void dt_source_summary(const struct dt_source *s)
{
	char text[600];
	if (s->ft) {
		dt_ftrace_summary_text(s->ft, text, sizeof(text));
		dt_info("%s", text);
		char gaps[8][DT_FTRACE_GAP_MAX];
		size_t n = dt_ftrace_gaps(s->ft, gaps, 8);
		for (size_t i = 0; i < n; i++)
			dt_info("%s: tracepoints only (no ftrace-recipe kprobes), cannot give: %s", s->name, gaps[i]);
	}
	else if (s->kind == DT_SRC_BUFINFO)
		dt_info("%s: bufinfo snapshot: %zu buffers and attachments seeded (a snapshot has no times)", s->name, s->nsnap);
}

void dt_source_close(struct dt_source *s)
{
	if (!s)
		return;
	dt_segdir_close(s->dir);
	dt_reader_close(s->json);
	free(s->snap);
	dt_ftrace_close(s->ft);
	free(s->name);
	free(s);
}
