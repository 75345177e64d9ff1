/* SPDX-License-Identifier: Apache-2.0 */
/* See bufinfo.h. */
#include <errno.h>
#include <inttypes.h>
#include <time.h>
#include <unistd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "dmabuf_trace_defaults.h"
#include "common/errors.h"
#include "ingest/bufinfo.h"
#include "common/escape.h"

/* "%08zu\t%08x\t%08x\t%08ld\t%s\t%08lu\t%s": returns true and fills ev for a buffer line. */
static bool parse_object(char *line, struct dt_event *ev)
{
	char *f[7];
	int n = 0;
	char *p = line;
	for (; n < 6; n++) {
		char *tab = strchr(p, '\t');
		if (!tab)
			return false;
		*tab = '\0';
		f[n] = p;
		p = tab + 1;
	}
	f[6] = p; /* the name: the rest, may hold tabs and spaces */
	char *end;
	uint64_t size = strtoull(f[0], &end, 10);
	if (end == f[0] || *end)
		return false;
	uint64_t ino = strtoull(f[5], &end, 10);
	if (end == f[5] || *end || !ino)
		return false;
	for (int i = 1; i < 4; i++) {
		strtoull(f[i], &end, i == 3 ? 10 : 16);
		if (end == f[i] || *end)
			return false;
	}
	/* The kernel pads every number to 8 digits (%08zu, %08x, %08ld, %08lu): a line of a buffer name (at most
	 * DT_BUFINFO_NAME_MAX bytes after its newline) is too short to pass for one. */
	for (int i = 0; i < 6; i++)
		if (i != 4 && strlen(f[i]) < 8)
			return false;
	ev->type = DT_EV_EXPORT;
	ev->buf = ino;
	ev->size = size;
	ev->has |= DT_HAS_BUF | DT_HAS_SIZE | DT_HAS_TS | DT_HAS_SEEDED;
	dt_str_set(&ev->exporter, f[4], strlen(f[4]));
	size_t nl = strlen(f[6]);
	while (nl && (f[6][nl - 1] == '\n' || f[6][nl - 1] == '\r'))
		f[6][--nl] = '\0';
	if (nl && strcmp(f[6], "<none>") != 0)
		dt_str_set(&ev->name, f[6], nl);
	return true;
}

/* The devices listed under the current buffer's "Attached Devices:", held until its "Total N devices attached":
 * the kernel prints a buffer's name raw at the end of its line, and a name holding newlines can make lines that
 * look like devices. Only a list the kernel's own count confirms is seeded. */
struct dev_list {
	char **dev;
	size_t n, cap;
};

static void devs_clear(struct dev_list *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->dev[i]);
	d->n = 0;
}

static int devs_add(struct dev_list *d, const char *s)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 8;
		char **p = realloc(d->dev, cap * sizeof(*p));
		if (!p)
			return -1;
		d->dev = p;
		d->cap = cap;
	}
	if (!(d->dev[d->n] = strdup(s)))
		return -1;
	d->n++;
	return 0;
}

/* Seeds the held devices of buffer buf as attachments; 0, or -1 (err says where) when fn refused one. */
static int devs_emit(struct dev_list *d, uint64_t buf, uint64_t ts, uint64_t *next_att, dt_bufinfo_fn fn, void *ctx,
		     const char *name, unsigned long lineno, char *err, size_t errlen)
{
	struct dt_event ev;
	memset(&ev, 0, sizeof(ev));
	int rc = 0;
	for (size_t i = 0; i < d->n && rc == 0; i++) {
		dt_event_clear(&ev);
		ev.type = DT_EV_ATTACH;
		ev.ts = ts;
		ev.buf = buf;
		ev.att = (*next_att)++;
		ev.has |= DT_HAS_BUF | DT_HAS_ATT | DT_HAS_TS | DT_HAS_SEEDED;
		dt_str_set(&ev.dev, d->dev[i], strlen(d->dev[i]));
		rc = fn(ctx, &ev) < 0 ? -1 : 0;
	}
	dt_event_clear(&ev);
	devs_clear(d);
	if (rc < 0)
		snprintf(err, errlen, "%s:%lu: cannot seed attachment", name, lineno);
	return rc;
}

/* Whether line is a buffer line, parsed into *ev (parse_object cuts a copy at its tabs); -1 out of memory. */
static int buffer_line(const char *line, struct dt_event *ev)
{
	char *copy = strdup(line);
	if (!copy)
		return -1;
	memset(ev, 0, sizeof(*ev));
	dt_event_clear(ev);
	bool ok = parse_object(copy, ev);
	free(copy);
	return ok;
}

static int emit_buffer(const struct dt_event *ev, dt_bufinfo_fn fn, void *ctx, const char *name, unsigned long lineno,
		       char *err, size_t errlen)
{
	if (fn(ctx, ev) >= 0)
		return 0;
	snprintf(err, errlen, "%s:%lu: cannot seed buffer", name, lineno);
	return -1;
}

int dt_bufinfo_parse(FILE *f, const char *name, uint64_t ts, dt_bufinfo_fn fn, void *ctx, char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	unsigned long lineno = 0;
	int bufs = 0;
	uint64_t cur = 0, next_att = DT_BUFINFO_ATT_BASE;
	bool in_devices = false, header = false;
	bool pending = false, pending_none = false; /* ev: a buffer line read, not yet seeded */
	unsigned long pending_line = 0;
	size_t pending_name_len = 0;
	struct dev_list devs = {0};
	struct dt_event ev;
	memset(&ev, 0, sizeof(ev));
	int rc = 0;
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		struct dt_event next;
		int ok = -2; /* not parsed yet: only lines that may be a buffer's are */
		if (pending && line[0] != '\t') {
			/* After a buffer line, up to its "\tAttached Devices:", a line that is no buffer's is the rest of its
			 * name, which the kernel prints raw (newlines too), while the name fits the kernel's 32 bytes. */
			if ((ok = buffer_line(line, &next)) < 0) {
				snprintf(err, errlen, "%s:%lu: out of memory", name, lineno);
				rc = -1;
				break;
			}
			if (!ok && pending_name_len + 1 + (size_t)n <= DT_BUFINFO_NAME_MAX) {
				if (!ev.name.set && pending_none)
					dt_str_set(&ev.name, "<none>", 6); /* a name that is "<none>" and more */
				char joined[DT_BUFINFO_NAME_MAX + 1];
				int k = snprintf(joined, sizeof(joined), "%.*s\n%s", (int)ev.name.len, ev.name.s, line);
				dt_str_set(&ev.name, joined, (size_t)k);
				pending_name_len = ev.name.len;
				continue;
			}
		}
		if (pending) {
			pending = false;
			if ((rc = emit_buffer(&ev, fn, ctx, name, pending_line, err, errlen)) < 0)
				break;
		}
		if (!strncmp(line, "Dma-buf Objects:", 16) || !strncmp(line, "size", 4)) {
			header = true;
			continue;
		}
		const char *s = line;
		while (*s == '\t' || *s == ' ')
			s++;
		int total;
		char tail;
		if (in_devices && sscanf(s, "Total %d devices attache%c", &total, &tail) == 2 && tail == 'd') {
			if (total >= 0 && (size_t)total == devs.n) {
				if ((rc = devs_emit(&devs, cur, ts, &next_att, fn, ctx, name, lineno, err, errlen)) < 0)
					break;
			} else {
				dt_warn("%s:%lu: buffer %" PRIu64 " lists %zu attached devices but the kernel counts %d (a "
					"buffer name holding newlines?): its attachments are not seeded", name, lineno, cur,
					devs.n, total);
				devs_clear(&devs);
			}
			in_devices = false;
			continue;
		}
		if (!strncmp(line, "Total ", 6)) { /* "Total N objects, B bytes" */
			in_devices = false;
			continue;
		}
		if (line[0] == '\t') {
			if (!strcmp(s, "Attached Devices:")) {
				/* what came before the buffer's (last) list header was its name's, not the kernel's */
				devs_clear(&devs);
				in_devices = cur != 0;
				continue;
			}
			if (in_devices && *s && devs_add(&devs, s) < 0) {
				snprintf(err, errlen, "%s:%lu: out of memory", name, lineno);
				rc = -1;
				break;
			}
			continue; /* fence lines and the like */
		}
		if (!line[0])
			continue;
		/* a list without its count line (a cut snapshot): seeded as listed */
		if (devs.n && (rc = devs_emit(&devs, cur, ts, &next_att, fn, ctx, name, lineno, err, errlen)) < 0)
			break;
		if (ok == -2 && (ok = buffer_line(line, &next)) < 0) {
			snprintf(err, errlen, "%s:%lu: out of memory", name, lineno);
			rc = -1;
			break;
		}
		if (!ok) {
			/* untrusted: a buffer name holding a newline makes lines of its own */
			char shown[60 * 4 + 4];
			dt_escape_text(shown, sizeof(shown), line, strnlen(line, 60));
			snprintf(err, errlen, "%s:%lu: not a dma_buf/bufinfo line: \"%s\"", name, lineno, shown);
			rc = -1;
			break;
		}
		in_devices = false;
		ev = next;
		ev.ts = ts;
		cur = ev.buf;
		bufs++;
		pending = true; /* seeded at the next line that is not its name's */
		pending_line = lineno;
		pending_none = !ev.name.set && n >= 7 && strcmp(line + n - 7, "\t<none>") == 0;
		pending_name_len = ev.name.set ? ev.name.len : pending_none ? 6 : 0;
	}
	if (rc == 0 && pending)
		rc = emit_buffer(&ev, fn, ctx, name, pending_line, err, errlen);
	if (rc == 0 && devs.n)
		rc = devs_emit(&devs, cur, ts, &next_att, fn, ctx, name, lineno, err, errlen);
	devs_clear(&devs);
	free(devs.dev);
	free(line);
	if (rc == 0 && !header && bufs == 0 && lineno > 0) {
		snprintf(err, errlen, "%s:1: not a dma_buf/bufinfo file (no \"Dma-buf Objects:\" header)", name);
		return -1;
	}
	return rc < 0 ? -1 : bufs;
}


FILE *dt_bufinfo_open(const char *path, const char **used, bool *failed)
{
	*failed = false;
	*used = path ? path : DT_DEFAULT_BUFINFO;
	FILE *f = fopen(*used, "r");
	if (!f && path) {
		dt_err("--seed-bufinfo %s: %s", path, strerror(errno));
		*failed = true;
	}
	return f;
}

struct seed_count {
	dt_bufinfo_fn fn;
	void *ctx;
	unsigned long atts;
};

static int count_fn(void *ctx, const struct dt_event *ev)
{
	struct seed_count *c = ctx;
	if (ev->type == DT_EV_ATTACH)
		c->atts++;
	return c->fn(c->ctx, ev);
}

int dt_bufinfo_seed(FILE *f, const char *name, dt_bufinfo_fn fn, void *ctx)
{
	struct timespec ts;
	clock_gettime(CLOCK_BOOTTIME, &ts);
	char err[512];
	struct seed_count c = {fn, ctx, 0};
	int n = dt_bufinfo_parse(f, name, (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec, count_fn, &c, err,
				 sizeof(err));
	fclose(f);
	if (n < 0)
		dt_warn("not seeding: %s", err);
	else
		dt_info("seeded %d existing buffers and %lu attachments from %s", n, c.atts, name);
	return n;
}
