/* Content sniffing and dispatch between the trace v1 reader and the ftrace importer. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ingest/source.h"
#include "ingest/segdir.h"
#include "ingest/ftrace.h"

#define SNIFF_BYTES 4096

struct dt_source {
	enum dt_source_kind kind;
	struct dt_segdir *dir; /* a directory of daemon segments */
	struct dt_segdir_boundary first;
	struct dt_reader *json;
	struct dt_ftrace *ft;
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
	ssize_t n = tee(fd, p[1], len, 0); /* blocks until the writer wrote something */
	ssize_t got = 0;
	if (n > 0)
		got = read(p[0], buf, (size_t)n);
	close(p[0]);
	close(p[1]);
	return n < 0 ? -1 : got;
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
	if (kind == DT_SRC_AUTO) {
		char buf[SNIFF_BYTES];
		ssize_t n = peek(fd, buf, sizeof(buf));
		kind = n > 0 && dt_ftrace_sniff(buf, (size_t)n) ? DT_SRC_FTRACE : DT_SRC_TRACE;
	}
	s->kind = kind;
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
	int r = dt_ftrace_next(s->ft, ev);
	if (r < 0)
		snprintf(s->err, sizeof(s->err), "%s", dt_ftrace_error(s->ft));
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

void dt_source_summary(const struct dt_source *s, FILE *out)
{
	if (s->ft)
		dt_ftrace_summary(s->ft, out);
}

void dt_source_close(struct dt_source *s)
{
	if (!s)
		return;
	dt_segdir_close(s->dir);
	dt_reader_close(s->json);
	dt_ftrace_close(s->ft);
	free(s->name);
	free(s);
}
