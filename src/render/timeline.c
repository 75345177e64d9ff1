// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace timeline: each buffer's history as aligned text, findings inline.
 * A buffer's block is printed when it is released (and the rest at the end), so
 * memory holds only the histories of live buffers. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "render/timeline.h"
#include "rules/analyse.h"
#include "common/errors.h"
#include "common/json_gen.h"
#include "render/summary.h"
#include "common/escape.h"
#include "render/findings.h"
#include "common/u64map.h"
#include "common/units.h"

/* A finding already printed in a buffer's history: its repeats print as "again" lines. */
struct seen_finding {
	enum dt_rule_id rule;
	enum dt_severity sev;
	char *dev, *driver; /* NULL: about the buffer */
	uint64_t count, first_ts;
};

struct history {
	uint64_t ino, first_seq;
	int worst; /* -1: no finding; else the highest severity in text */
	struct seen_finding *seen;
	size_t nseen;
	char head[700]; /* "buffer ..." line: kept current, as names arrive after export */
	char *text;
	size_t len, cap;
};

struct timeline {
	const struct dt_timeline_opts *opts;
	const struct dt_select *select;
	FILE *out;
	const char *trace;
	yajl_gen gen; /* --format json: one object per event and per finding */
	const struct dt_engine *engine;
	struct u64map histories;
	bool color;
	/* Findings of the event being applied: printed under its line. */
	char *pending;
	size_t pending_len, pending_cap;
	int pending_worst;
	uint64_t printed;
	uint64_t shown_here, hidden_here; /* finding lines of this trace (when the options keep no run total) */
	struct history **held; /* --sort severity: every history, printed at the end */
	size_t nheld, capheld;
};

static void append(char **text, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t ncap = (*len + n + 1) * 2;
		char *nt = realloc(*text, ncap);
		if (!nt)
			return; /* out of memory: the history loses lines, the analysis goes on */
		*text = nt;
		*cap = ncap;
	}
	memcpy(*text + *len, s, n);
	*len += n;
	(*text)[*len] = '\0';
}

static void set_head(struct history *h, const struct dt_buffer *b)
{
	char desc[600];
	snprintf(h->head, sizeof(h->head), "buffer %s\n", dt_describe_buffer(desc, sizeof(desc), b));
}

static struct history *history_for(struct timeline *t, const struct dt_buffer *b, const struct dt_event *ev)
{
	if (!dt_select_buffer(t->select, b->ino, b->exporter, true))
		return NULL;
	struct history *h = u64map_get(&t->histories, b->ino);
	if (h)
		return h;
	h = calloc(1, sizeof(*h));
	if (!h || u64map_put(&t->histories, b->ino, h) < 0) {
		free(h);
		return NULL;
	}
	h->ino = b->ino;
	h->worst = -1;
	h->first_seq = ev ? ev->seq : 0;
	set_head(h, b);
	return h;
}

static double rel(const struct timeline *t, uint64_t ts)
{
	const struct dt_engine_stats *s = dt_engine_stats(t->engine);
	return ts >= s->first_ts ? (double)(ts - s->first_ts) / 1e9 : 0.0;
}

static void free_history(struct history *h)
{
	for (size_t i = 0; i < h->nseen; i++) {
		free(h->seen[i].dev);
		free(h->seen[i].driver);
	}
	free(h->seen);
	free(h->text);
	free(h);
}

static void write_history(struct timeline *t, struct history *h)
{
	if (!t->gen)
		fputs(h->head, t->out);
	if (h->text)
		fputs(h->text, t->out);
	if (!t->gen)
		fputc('\n', t->out);
	free_history(h);
}

/* A finished history: printed now, or with --sort severity held until the end of the trace. */
static void print_history(struct timeline *t, struct history *h)
{
	t->printed++;
	u64map_del(&t->histories, h->ino);
	if (t->opts->by_severity) {
		if (t->nheld == t->capheld) {
			size_t ncap = t->capheld ? t->capheld * 2 : 64;
			struct history **n = realloc(t->held, ncap * sizeof(*n));
			if (!n) { /* out of memory: this one is printed in trace order */
				write_history(t, h);
				return;
			}
			t->held = n;
			t->capheld = ncap;
		}
		t->held[t->nheld++] = h;
		return;
	}
	write_history(t, h);
}

static int by_worst_then_seq(const void *x, const void *y)
{
	const struct history *a = *(struct history *const *)x, *b = *(struct history *const *)y;
	if (a->worst != b->worst)
		return a->worst > b->worst ? -1 : 1;
	return a->first_seq < b->first_seq ? -1 : a->first_seq > b->first_seq;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The earlier finding of the same rule, severity and importer in this history (counted), or NULL after
 * remembering this one. */
static struct seen_finding *seen_before(struct history *h, const struct dt_finding *f)
{
	const char *dev = f->att ? f->att->dev : NULL, *driver = f->att ? f->att->driver : NULL;
	for (size_t i = 0; i < h->nseen; i++) {
		struct seen_finding *s = &h->seen[i];
		if (s->rule == f->rule && s->sev == f->sev && same_str(s->dev, dev) && same_str(s->driver, driver)) {
			s->count++;
			return s;
		}
	}
	struct seen_finding *n = realloc(h->seen, (h->nseen + 1) * sizeof(*n));
	if (!n)
		return NULL;
	h->seen = n;
	n[h->nseen++] = (struct seen_finding){f->rule, f->sev, dev ? strdup(dev) : NULL, driver ? strdup(driver) : NULL,
					      1, f->ts};
	return NULL;
}

/* --max-findings: whether one more finding line may be printed (the run's count, or this trace's). */
static bool take_finding_line(struct timeline *t)
{
	uint64_t *shown = t->opts->findings_shown ? t->opts->findings_shown : &t->shown_here;
	uint64_t *hidden = t->opts->findings_hidden ? t->opts->findings_hidden : &t->hidden_here;
	if (t->opts->have_max && *shown >= t->opts->max) {
		(*hidden)++;
		return false;
	}
	(*shown)++;
	return true;
}

static const char *const sev_mark[] = {"info", "WARNING", "ERROR"};

/* The generator's object as one line, appended to text; the generator is reset. */
static size_t take_json(yajl_gen g, char *line, size_t linesz)
{
	const unsigned char *buf;
	size_t len;
	yajl_gen_get_buf(g, &buf, &len);
	size_t n = len + 1 < linesz ? len : linesz - 2;
	memcpy(line, buf, n);
	line[n++] = '\n';
	line[n] = '\0';
	yajl_gen_clear(g);
	yajl_gen_reset(g, NULL);
	return n;
}

static void on_finding(void *ctx, const struct dt_finding *f)
{
	struct timeline *t = ctx;
	if (f->sev < t->opts->min_severity || !dt_select_finding(t->select, f, dt_engine_stats(t->engine)->first_ts))
		return;
	char msg[2048], line[8192];
	int n;
	/* the history the line goes to: the buffer's now (end of trace), else the next event's */
	struct history *h = !f->ev && f->buf ? history_for(t, f->buf, NULL) : NULL;
	if (!f->ev && f->buf && !h)
		return;
	struct history *owner = h ? h : f->buf ? history_for(t, f->buf, f->ev) : NULL;
	struct seen_finding *again = !t->gen && !t->opts->no_group && owner ? seen_before(owner, f) : NULL;
	if (!take_finding_line(t))
		return;
	if (again) {
		n = snprintf(line, sizeof(line), "%14s  %s^ %s %s again (\u00d7%" PRIu64 " on this buffer so far, first at %+.6fs)%s\n",
			     "", t->color ? "\033[1;31m" : "", sev_mark[f->sev], dt_rule_info[f->rule].id, again->count,
			     rel(t, again->first_ts), t->color ? "\033[0m" : "");
	} else if (t->gen) {
		yajl_gen g = t->gen;
		yajl_gen_map_open(g);
		dt_json_str(g, "trace", t->trace);
		dt_json_str(g, "type", "finding");
		dt_json_u64(g, "buf", f->buf ? f->buf->ino : 0);
		dt_json_u64(g, "ts", f->ts);
		dt_json_str(g, "rule", dt_rule_info[f->rule].id);
		dt_json_str(g, "severity", dt_severity_name(f->sev));
		dt_json_str(g, "message", dt_finding_message(f));
		yajl_gen_map_close(g);
		n = (int)take_json(g, line, sizeof(line));
	} else {
		dt_escape_text(msg, sizeof(msg), dt_finding_message(f), strlen(dt_finding_message(f)));
		n = snprintf(line, sizeof(line), "%14s  %s^ %s %s: %s%s\n", "", t->color ? "\033[1;31m" : "", sev_mark[f->sev],
			     dt_rule_info[f->rule].id, msg, t->color ? "\033[0m" : "");
		if (n >= (int)sizeof(line))
			n = (int)sizeof(line) - 1;
	}
	if (h) { /* end of trace: straight into the buffer's history */
		append(&h->text, &h->len, &h->cap, line, (size_t)n);
		if ((int)f->sev > h->worst)
			h->worst = (int)f->sev;
		return;
	}
	append(&t->pending, &t->pending_len, &t->pending_cap, line, (size_t)n);
	if ((int)f->sev > t->pending_worst)
		t->pending_worst = (int)f->sev;
}

static void describe_event(char *out, size_t outsz, const struct dt_event *ev, const struct dt_attachment *a)
{
	char s1[64], s2[32], dev[420] = "";
	if (a)
		dt_describe_device(dev, sizeof(dev), a);
	switch (ev->type) {
	case DT_EV_EXPORT:
		snprintf(out, outsz, "size %s", dt_fmt_size(s1, sizeof(s1), ev->size));
		break;
	case DT_EV_ATTACH:
		if (ev->has & DT_HAS_ERR) {
			/* No attachment exists: the device name comes straight from the trace, escape it. */
			char edev[200];
			dt_escape_text(edev, sizeof(edev), ev->dev.s, ev->dev.len);
			snprintf(out, outsz, "%s refused: err %" PRId64, edev, ev->err);
		}
		else
			snprintf(out, outsz, "%-28s att %-4" PRIu64 " max_seg %s%s", dev, ev->att,
				 dt_fmt_size_exact(s1, sizeof(s1), a->lim.max_seg_size), a->dma_parms ? "" : " (default)");
		break;
	case DT_EV_MAP:
		if (ev->has & DT_HAS_ERR)
			snprintf(out, outsz, "%-28s att %-4" PRIu64 " refused: err %" PRId64, dev, ev->att, ev->err);
		else
			snprintf(out, outsz, "%-28s att %-4" PRIu64 " nents %" PRIu64 " (orig %" PRIu64 "), longest %s%s%s", dev,
				 ev->att, ev->nents, a->map.orig_nents,
				 a->map.max_seg_known ? dt_fmt_size(s2, sizeof(s2), a->map.max_seg) : "?",
				 a->map.contiguous_known && a->map.contiguous && a->map.segs_total > 1 ? ", contiguous" : "",
				 ev->cached                          ? ", cached"
				 : ev->has & DT_HAS_CACHED_UNKNOWN ? ", cached or not: cannot tell (no attach->sgt)"
								   : "");
		break;
	case DT_EV_UNMAP:
	case DT_EV_DETACH:
		snprintf(out, outsz, "%-28s att %" PRIu64, dev, ev->att);
		break;
	default:
		out[0] = '\0';
	}
}

static void on_event(void *ctx, const struct dt_event *ev, const struct dt_buffer *b, const struct dt_attachment *a)
{
	struct timeline *t = ctx;
	char line[4096], what[900], who[300] = "";
	const struct dt_select *sel = t->select;
	uint64_t t0 = dt_engine_stats(t->engine)->first_ts;
	/* --dev/--driver, --pid/--comm, --since/--until pick lines; the buffer's block stays whole otherwise. */
	bool shown = (!a || dt_select_device(sel, a->dev, a->driver)) && dt_select_time(sel, ev->ts, t0) &&
		     dt_select_task(sel, ev->comm.set, ev->pid, ev->comm.set ? ev->comm.s : NULL);
	if (ev->comm.set) {
		char comm[200];
		dt_escape_text(comm, sizeof(comm), ev->comm.s, ev->comm.len);
		snprintf(who, sizeof(who), "  (%s[%" PRId64 "])", comm, ev->pid);
	}
	if (ev->type == DT_EV_LOST) {
		int n;
		if (t->gen) {
			yajl_gen_map_open(t->gen);
			dt_json_str(t->gen, "trace", t->trace);
			dt_json_str(t->gen, "type", "lost");
			dt_json_u64(t->gen, "ts", ev->ts);
			dt_json_u64(t->gen, "count", ev->count);
			yajl_gen_map_close(t->gen);
			n = (int)take_json(t->gen, line, sizeof(line));
		} else {
			n = snprintf(line, sizeof(line), "%+14.6fs  !! %" PRIu64 " events lost here\n", rel(t, ev->ts), ev->count);
		}
		for (size_t i = 0; i < t->histories.cap; i++) {
			struct history *h = t->histories.slots[i].val;
			if (h)
				append(&h->text, &h->len, &h->cap, line, (size_t)n);
		}
		t->pending_len = 0;
		t->pending_worst = -1;
		return;
	}
	struct history *h = history_for(t, b, ev);
	if (h && ev->name.set)
		set_head(h, b);
	if (h && shown) {
		int n;
		if (t->gen) {
			yajl_gen g = t->gen;
			yajl_gen_map_open(g);
			dt_json_str(g, "trace", t->trace);
			dt_json_str(g, "type", dt_event_type_name(ev->type));
			dt_json_u64(g, "buf", b->ino);
			dt_json_u64(g, "ts", ev->ts);
			dt_json_u64(g, "seq", ev->seq);
			if (a) {
				dt_json_u64(g, "att", a->id);
				dt_json_str(g, "dev", a->dev);
				dt_json_str(g, "driver", a->driver);
			}
			if (ev->type == DT_EV_MAP && !(ev->has & DT_HAS_ERR))
				dt_json_u64(g, "nents", ev->nents);
			if (ev->has & DT_HAS_ERR) {
				dt_json_key(g, "err");
				yajl_gen_integer(g, ev->err);
			}
			if (ev->comm.set) {
				dt_json_str(g, "comm", ev->comm.s);
				dt_json_key(g, "pid");
				yajl_gen_integer(g, ev->pid);
			}
			yajl_gen_map_close(g);
			n = (int)take_json(g, line, sizeof(line));
		} else {
			describe_event(what, sizeof(what), ev, a);
			n = snprintf(line, sizeof(line), "%+14.6fs  %-8s %s%s\n", rel(t, ev->ts), dt_event_type_name(ev->type),
				     what, who);
			if (n >= (int)sizeof(line))
				n = (int)sizeof(line) - 1;
		}
		append(&h->text, &h->len, &h->cap, line, (size_t)n);
		if (t->pending_len) {
			append(&h->text, &h->len, &h->cap, t->pending, t->pending_len);
			if (t->pending_worst > h->worst)
				h->worst = t->pending_worst;
		}
	}
	t->pending_len = 0;
	t->pending_worst = -1;
	if (ev->type == DT_EV_RELEASE && h)
		print_history(t, h);
}

static void set_engine(void *ctx, const struct dt_engine *e)
{
	((struct timeline *)ctx)->engine = e;
}

static int by_first_seq(const void *x, const void *y)
{
	const struct history *a = *(struct history *const *)x, *b = *(struct history *const *)y;
	return a->first_seq < b->first_seq ? -1 : a->first_seq > b->first_seq;
}


int dt_render_timeline(const struct dt_timeline_opts *o, FILE *out)
{
	const char *path = o->trace;
	struct dt_select only_buf = {0};
	if (!o->select && o->have_buf)
		only_buf.bufs[only_buf.nbufs++] = o->buf;
	struct timeline t = {.opts = o, .select = o->select ? o->select : &only_buf, .out = out, .trace = path,
			     .color = o->color, .pending_worst = -1};
	if (o->format == FMT_JSON && !(t.gen = yajl_gen_alloc(NULL))) {
		dt_err("out of memory");
		return DT_EXIT_SYSTEM;
	}
	if (o->name_trace && !t.gen) {
		char name[600];
		dt_escape_text(name, sizeof(name), path, strlen(path));
		fprintf(out, "== %s\n", name);
	}
	struct dt_analysis a = {
		.path = path,
		.constraints = o->constraints,
		.constraints_given = o->constraints_given,
		.on_finding = on_finding,
		.on_event = on_event,
		.ctx = &t,
		.on_start = set_engine,
	};
	int rc = dt_analyse(&a);
	/* Buffers still alive at the end, in order of first appearance. */
	size_t n;
	struct history **left = (struct history **)u64map_values(&t.histories, &n);
	if (left) {
		qsort(left, n, sizeof(*left), by_first_seq);
		for (size_t i = 0; i < n; i++) {
			if (rc == DT_EXIT_OK && !t.gen) {
				const char *tail = "   (still alive when the trace ended)\n";
				append(&left[i]->text, &left[i]->len, &left[i]->cap, tail, strlen(tail));
			}
			print_history(&t, left[i]);
		}
	}
	free(left);
	if (t.nheld) { /* --sort severity: buffers with errors first, then warnings, info, none; trace order within */
		qsort(t.held, t.nheld, sizeof(*t.held), by_worst_then_seq);
		for (size_t i = 0; i < t.nheld; i++)
			write_history(&t, t.held[i]);
	}
	free(t.held);
	if (t.hidden_here)
		dt_info("%s: %" PRIu64 " more finding line%s not shown (--max-findings %" PRIu64 ")", path, t.hidden_here,
			t.hidden_here == 1 ? "" : "s", o->max);
	if (o->printed)
		*o->printed += t.printed;
	else if (o->have_buf && t.printed == 0 && rc == DT_EXIT_OK) {
		dt_err("buffer %" PRIu64 " does not appear in %s", o->buf, path);
		rc = DT_EXIT_INPUT;
	}
	u64map_free(&t.histories);
	free(t.pending);
	if (rc == DT_EXIT_OK && t.gen)
		dt_print_summary_json(stderr, path, &a.stats, a.truncated);
	else if (rc == DT_EXIT_OK)
		dt_print_summary(out, path, &a.stats, a.truncated);
	if (t.gen)
		yajl_gen_free(t.gen);
	return rc;
}
