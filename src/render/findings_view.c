// SPDX-License-Identifier: Apache-2.0
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/errors.h"
#include "common/escape.h"
#include "render/findings_view.h"

#define WRAP_INDENT 8

struct dt_view_group {
	enum dt_rule_id rule;
	enum dt_severity sev;
	char *dev, *driver, *exporter; /* the key, with rule and sev; NULL matches NULL */
	uint64_t count, min_buf, max_buf, first_ts, last_ts, first_seq;
	bool have_buf;
	char *line; /* the first finding's line, as the writer formatted it */
};

int dt_findings_view_init(struct dt_findings_view *v, const struct dt_view_opts *o, FILE *out,
			  enum dt_format format, enum dt_severity min, bool color)
{
	memset(v, 0, sizeof(*v));
	v->group = o->group && format == FMT_TEXT;
	v->by_severity = o->by_severity;
	v->have_max = o->have_max;
	v->max = o->max;
	v->wrap = format == FMT_TEXT ? o->wrap : 0;
	v->out = out;
	v->mem = open_memstream(&v->line, &v->linecap);
	if (!v->mem)
		return -1;
	dt_findings_out_init(&v->fmt, v->mem, format, min, color, "");
	return 0;
}

void dt_findings_view_trace(struct dt_findings_view *v, const char *name, const char *tag,
			    const struct dt_engine *engine)
{
	v->fmt.trace = name;
	v->fmt.engine = engine;
	v->trace_tag = tag;
}

static bool held_back(const struct dt_findings_view *v)
{
	return v->group || v->by_severity;
}

static void show(struct dt_findings_view *v, const char *line)
{
	if (v->have_max && v->lines_shown >= v->max) {
		v->lines_hidden++;
		return;
	}
	v->lines_shown++;
	char tagged[8192];
	if (v->trace_tag) {
		snprintf(tagged, sizeof(tagged), "%s: %s", v->trace_tag, line);
		line = tagged;
	}
	dt_print_wrapped(v->out, line, v->wrap, WRAP_INDENT);
}

static bool same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* The line the writer made for f (without its newline); "" when it wrote nothing (below --min-severity). */
static const char *format_line(struct dt_findings_view *v, const struct dt_finding *f)
{
	rewind(v->mem);
	unsigned long long before = v->fmt.shown;
	dt_findings_out_emit(&v->fmt, f);
	fflush(v->mem);
	if (v->fmt.shown == before)
		return NULL;
	long n = ftell(v->mem);
	if (n <= 0)
		return NULL;
	if (v->line[n - 1] == '\n')
		n--;
	v->line[n] = '\0';
	return v->line;
}

void dt_findings_view_emit(void *ctx, const struct dt_finding *f)
{
	struct dt_findings_view *v = ctx;
	if (v->fmt.engine) /* the time base, kept: the engine is gone when the trace is flushed */
		v->t0 = dt_engine_stats(v->fmt.engine)->first_ts;
	if (!held_back(v) && !v->trace_tag && !v->wrap && !v->have_max) {
		/* nothing to do with the line but write it: no copy through the memory stream */
		FILE *mem = v->fmt.out;
		unsigned long long before = v->fmt.shown;
		v->fmt.out = v->out;
		dt_findings_out_emit(&v->fmt, f);
		v->fmt.out = mem;
		v->lines_shown += v->fmt.shown - before;
		return;
	}
	const char *line = format_line(v, f);
	if (!line)
		return;
	if (!held_back(v)) {
		show(v, line);
		return;
	}
	const char *dev = f->att ? f->att->dev : NULL, *driver = f->att ? f->att->driver : NULL;
	const char *exporter = f->buf ? f->buf->exporter : NULL;
	struct dt_view_group *g = NULL;
	if (v->group) /* a linear scan: groups are few (rule x importer x exporter x severity) */
		for (size_t i = 0; i < v->ngroups && !g; i++) {
			struct dt_view_group *c = &v->groups[i];
			if (c->rule == f->rule && c->sev == f->sev && same(c->dev, dev) && same(c->driver, driver) &&
			    same(c->exporter, exporter))
				g = c;
		}
	if (!g) {
		if (v->ngroups == v->capgroups) {
			size_t ncap = v->capgroups ? v->capgroups * 2 : 64;
			struct dt_view_group *n = realloc(v->groups, ncap * sizeof(*n));
			if (!n) {
				v->oom = true;
				show(v, line); /* out of memory: the line still goes out, ungrouped */
				return;
			}
			v->groups = n;
			v->capgroups = ncap;
		}
		g = &v->groups[v->ngroups++];
		*g = (struct dt_view_group){.rule = f->rule, .sev = f->sev, .dev = dup_or_null(dev),
					    .driver = dup_or_null(driver), .exporter = dup_or_null(exporter),
					    .first_ts = f->ts, .first_seq = f->seq, .line = strdup(line)};
	}
	g->count++;
	g->last_ts = f->ts;
	if (f->buf) {
		if (!g->have_buf || f->buf->ino < g->min_buf)
			g->min_buf = f->buf->ino;
		if (!g->have_buf || f->buf->ino > g->max_buf)
			g->max_buf = f->buf->ino;
		g->have_buf = true;
	}
}

static int by_severity_then_time(const void *x, const void *y)
{
	const struct dt_view_group *a = x, *b = y;
	if (a->sev != b->sev)
		return a->sev > b->sev ? -1 : 1;
	return a->first_seq < b->first_seq ? -1 : a->first_seq > b->first_seq;
}

void dt_findings_view_flush(struct dt_findings_view *v)
{
	if (v->by_severity && v->ngroups)
		qsort(v->groups, v->ngroups, sizeof(*v->groups), by_severity_then_time);
	uint64_t t0 = v->t0;
	for (size_t i = 0; i < v->ngroups; i++) {
		struct dt_view_group *g = &v->groups[i];
		if (!g->line)
			continue;
		if (g->count == 1) {
			show(v, g->line);
		} else {
			char line[8192], bufs[80] = "";
			if (g->have_buf && g->min_buf != g->max_buf)
				snprintf(bufs, sizeof(bufs), ", buffers %" PRIu64 "\u2013%" PRIu64, g->min_buf, g->max_buf);
			else if (g->have_buf)
				snprintf(bufs, sizeof(bufs), ", buffer %" PRIu64, g->min_buf);
			double first = g->first_ts >= t0 ? (double)(g->first_ts - t0) / 1e9 : 0;
			double last = g->last_ts >= t0 ? (double)(g->last_ts - t0) / 1e9 : 0;
			snprintf(line, sizeof(line), "%s  [\u00d7%" PRIu64 "%s, first +%.3f s, last +%.3f s]", g->line, g->count,
				 bufs, first, last);
			show(v, line);
		}
		free(g->line);
		free(g->dev);
		free(g->driver);
		free(g->exporter);
	}
	v->ngroups = 0;
}

void dt_findings_view_fini(struct dt_findings_view *v)
{
	dt_findings_view_flush(v);
	/* text: a last line; a machine format keeps stdout for findings, the note goes to the voice (stderr) */
	if (v->lines_hidden && v->fmt.format == FMT_TEXT)
		fprintf(v->out, "%" PRIu64 " more finding line%s not shown (--max-findings %" PRIu64 ")\n", v->lines_hidden,
			v->lines_hidden == 1 ? "" : "s", v->max);
	else if (v->lines_hidden)
		dt_info("%" PRIu64 " more finding%s not shown (--max-findings %" PRIu64 ")", v->lines_hidden,
			v->lines_hidden == 1 ? "" : "s", v->max);
	dt_findings_out_fini(&v->fmt);
	if (v->mem)
		fclose(v->mem);
	free(v->line);
	free(v->groups);
	v->mem = NULL;
	v->line = NULL;
	v->groups = NULL;
}

/* Display width of one UTF-8 sequence start, escape sequences skipped: returns bytes consumed, *w its width. */
static size_t step(const char *s, unsigned *w)
{
	const unsigned char *u = (const unsigned char *)s;
	if (u[0] == 0x1b && u[1] == '[') { /* CSI ... final byte */
		size_t i = 2;
		while (u[i] && (u[i] < 0x40 || u[i] > 0x7e))
			i++;
		*w = 0;
		return u[i] ? i + 1 : i;
	}
	*w = 1;
	size_t n = 1;
	while ((u[n] & 0xc0) == 0x80)
		n++;
	return n;
}

void dt_print_wrapped(FILE *out, const char *line, unsigned width, unsigned indent)
{
	if (!width || width <= indent + 20) {
		fputs(line, out);
		fputc('\n', out);
		return;
	}
	unsigned col = 0;
	bool at_start = true;
	size_t spaces = 0;
	const char *p = line;
	while (*p) {
		const char *q = p; /* the next word: up to a space */
		unsigned wlen = 0;
		while (*q && *q != ' ') {
			unsigned w;
			q += step(q, &w);
			wlen += w;
		}
		if (!at_start && col + spaces + wlen > width) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		} else {
			fprintf(out, "%*s", (int)spaces, "");
			col += (unsigned)spaces;
		}
		fwrite(p, 1, (size_t)(q - p), out);
		col += wlen;
		at_start = false;
		for (spaces = 0, p = q; *p == ' '; p++)
			spaces++;
	}
	fputc('\n', out);
}
