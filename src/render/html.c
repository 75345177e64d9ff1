/* SPDX-License-Identifier: Apache-2.0 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/escape.h"
#include "render/describe.h"
#include "render/html.h"
#include "common/units.h"
#include "common/version.h"

#define LABEL_W 230
#define PLOT_W 880
#define RIGHT_PAD 20
#define LANE_H 30
#define AXIS_H 22
#define DT_HTML_MAX_CLEAN_BUFFERS 200

static const char css[] =
	":root{--err:#c62828;--warn:#b26a00;--info:#1565c0;--att:#90caf9;--map:#1e88e5;--buf:#cfd8dc;"
	"--ink:#1d2329;--muted:#5f6b76;--line:#e3e7eb}"
	"*{box-sizing:border-box}"
	"body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',sans-serif;color:var(--ink);"
	"margin:0;background:#f6f8fa}"
	"header{background:#263238;color:#fff;padding:14px 28px}"
	"header h1{font-size:20px;margin:0 0 4px}"
	"header p{margin:0;color:#cfd8dc;font-size:13px}"
	"main{padding:16px 28px 40px;max-width:1240px}"
	"h2{font-size:16px;margin:22px 0 8px}section.card h2{margin-top:2px}"
	"section.card,article.buffer{background:#fff;border:1px solid var(--line);border-radius:6px;padding:12px 16px;"
	"margin:0 0 14px}"
	"article.buffer.has-error{border-left:5px solid var(--err)}"
	"article.buffer.has-warning{border-left:5px solid var(--warn)}"
	"article.buffer h3{font-size:15px;margin:0 0 2px;font-weight:600}"
	".bufmeta{color:var(--muted);font-size:12.5px;margin:0 0 6px}"
	"table.summary{border-collapse:collapse;width:100%}"
	"table.summary th,table.summary td{text-align:left;padding:5px 10px;border-bottom:1px solid var(--line)}"
	"table.summary td.n{text-align:right;font-variant-numeric:tabular-nums;width:70px}"
	"td.n.error{color:var(--err);font-weight:700}td.n.warning{color:var(--warn);font-weight:700}"
	"td.n.info{color:var(--info)}td.n.zero{color:#b0bec5;font-weight:400}"
	"code{font:12.5px ui-monospace,'DejaVu Sans Mono',monospace;background:#eef1f4;padding:1px 4px;border-radius:3px}"
	".badge{display:inline-block;padding:0 7px;border-radius:9px;font-size:12px;font-weight:600;color:#fff}"
	".badge.error{background:var(--err)}.badge.warning{background:var(--warn)}.badge.info{background:var(--info)}"
	".badge.ok{background:#2e7d32}"
	"svg.lanes{display:block;width:100%;height:auto;margin:4px 0 6px}"
	"svg text{font:12px system-ui,'DejaVu Sans',sans-serif;fill:var(--ink)}"
	"svg text.axis{fill:var(--muted);font-size:10.5px}"
	"svg .grid{stroke:var(--line);stroke-width:1}"
	"svg rect.lifetime{fill:var(--buf)}"
	"svg rect.att{fill:var(--att);stroke:#64b5f6}"
	"svg rect.map{fill:var(--map)}"
	"svg rect.map.failed{fill:none;stroke:var(--err);stroke-dasharray:3 2}"
	"svg g.lane.error rect.lanebg{fill:#fdecea}svg g.lane.warning rect.lanebg{fill:#fff6e5}"
	"svg rect.lanebg{fill:#fafbfc}"
	"svg line.ev{stroke-width:2}"
	"svg line.ev.attach{stroke:#2e7d32}svg line.ev.unmap{stroke:#ef6c00}svg line.ev.detach{stroke:#455a64}"
	"svg line.ev.release{stroke:#000}"
	"svg path.finding.error{fill:var(--err)}svg path.finding.warning{fill:var(--warn)}"
	"svg path.finding.info{fill:var(--info)}svg path.finding{stroke:#fff;stroke-width:1}"
	"ol.findings{margin:4px 0 0;padding:0;list-style:none}"
	"ol.findings li{padding:6px 10px;margin:4px 0;border-left:4px solid;border-radius:3px;background:#fafafa}"
	"ol.findings li.error{border-color:var(--err);background:#fdecea}"
	"ol.findings li.warning{border-color:var(--warn);background:#fff6e5}"
	"ol.findings li.info{border-color:var(--info);background:#e8f1fb}"
	"li .sev{font-weight:700;text-transform:uppercase;font-size:11.5px;margin-right:6px}"
	"li.error .sev{color:var(--err)}li.warning .sev{color:var(--warn)}li.info .sev{color:var(--info)}"
	"li .when{color:var(--muted);font-size:12px;margin:0 6px}"
	"li .repeat{font-size:12px;font-weight:700;margin:0 6px}"
	"li .msg{display:block;margin-top:2px;word-break:break-word}"
	".legend{font-size:12px;color:var(--muted)}"
	".legend span{display:inline-block;margin-right:14px}"
	".sw{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle;border-radius:2px}"
	".ok-note{color:#2e7d32}";

/* What the report shows of one trace's findings: repeats folded into their first card (rep), the cards the
 * --max-findings cap leaves (visible), decided before anything is written so every link has its target. */
struct plan {
	size_t *rep;      /* per finding: the finding whose card shows it (itself when it has a card) */
	uint64_t *count;  /* per card: the findings it stands for */
	uint64_t *last;   /* per card: the last one's ts */
	bool *visible;    /* per card: shown (not past --max-findings) */
};

struct html {
	FILE *o;
	const struct dt_model *m;
	const struct dt_html_opts *opts;
	struct plan *plan;
	char idp[24];        /* id prefix: "" for one trace, "tN-" for trace N of several */
	uint64_t cards_left; /* --max-findings: cards still to be planned */
	uint64_t hidden;     /* cards the cap left out (all traces) */
};

/* Untrusted text into HTML text or a quoted attribute. */
static void x(struct html *h, const char *s)
{
	char esc[DT_STR_MAX * 40];
	dt_escape_xml(esc, sizeof(esc), s ? s : "", s ? strlen(s) : 0);
	fputs(esc, h->o);
}

static double rel(const struct dt_model *m, uint64_t ts)
{
	return ts >= dt_model_t0(m) ? (double)(ts - dt_model_t0(m)) / 1e9 : 0.0;
}

static const char *sev_class(enum dt_severity s)
{
	return dt_severity_name(s);
}

/* The anchor a link to finding i's card goes to: its card, or the note on cards left out. */
static void card_link(const struct html *h, size_t i, char *out, size_t outsz)
{
	if (i == DT_MODEL_NONE || !h->plan->visible[h->plan->rep[i]])
		snprintf(out, outsz, "findings-omitted");
	else
		snprintf(out, outsz, "%sf%zu", h->idp, h->plan->rep[i]);
}

static void summary(struct html *h)
{
	const struct dt_model *m = h->m;
	uint64_t counts[DT_RULE__COUNT][3] = {{0}};
	size_t first[DT_RULE__COUNT]; /* each row links to the rule's first finding */
	for (int r = 0; r < DT_RULE__COUNT; r++)
		first[r] = DT_MODEL_NONE;
	for (size_t i = 0; i < m->nfindings; i++) {
		counts[m->findings[i].rule][m->findings[i].sev]++;
		if (first[m->findings[i].rule] == DT_MODEL_NONE && h->plan->rep[i] == i && h->plan->visible[i])
			first[m->findings[i].rule] = i;
	}
	fprintf(h->o, "<section class=\"card\" id=\"%ssummary\"><h2>Findings by rule</h2>\n", h->idp);
	if (!m->nfindings) {
		fprintf(h->o, "<p class=\"ok-note\" id=\"%sno-findings\">No findings: every mapping met its importer's limits and "
		      "every attachment was used in order.</p>\n", h->idp);
	} else {
		fputs("<table class=\"summary\"><thead><tr><th>rule</th><th>what</th><th>error</th><th>warning</th>"
		      "<th>info</th></tr></thead><tbody>\n", h->o);
		for (int r = 0; r < DT_RULE__COUNT; r++) {
			uint64_t *c = counts[r];
			if (!c[0] && !c[1] && !c[2])
				continue;
			char target[48];
			card_link(h, first[r], target, sizeof(target));
			fprintf(h->o, "<tr class=\"rule\" data-rule=\"%s\"><td><a href=\"#%s\"><code>%s</code></a></td><td>%s</td>",
				dt_rule_info[r].id, target, dt_rule_info[r].id, dt_rule_info[r].summary);
			for (int s = DT_SEV_ERROR; s >= DT_SEV_INFO; s--)
				fprintf(h->o, "<td class=\"n %s\">%" PRIu64 "</td>", c[s] ? sev_class((enum dt_severity)s) : "zero", c[s]);
			fputs("</tr>\n", h->o);
		}
		fputs("</tbody></table>\n", h->o);
	}
	fputs("</section>\n", h->o);
}

struct scale {
	uint64_t t0, span;
};

static double px(const struct scale *s, uint64_t ts)
{
	uint64_t d = ts >= s->t0 ? ts - s->t0 : 0;
	if (d > s->span)
		d = s->span;
	return LABEL_W + (double)d * PLOT_W / (double)s->span;
}

static void marker(struct html *h, const struct scale *s, const char *cls, uint64_t ts, double y, const char *title)
{
	double xx = px(s, ts);
	fprintf(h->o, "<line class=\"ev %s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"><title>%s +%.6fs</title></line>",
		cls, xx, y + 3, xx, y + LANE_H - 3, title, rel(h->m, ts));
}

static void finding_marks(struct html *h, const struct scale *s, size_t first, double y)
{
	const struct dt_model *m = h->m;
	for (size_t i = first; i != DT_MODEL_NONE; i = m->findings[i].fnext) {
		const struct dt_model_finding *f = &m->findings[i];
		double xx = px(s, f->ts), cy = y + 7;
		char target[48];
		card_link(h, i, target, sizeof(target));
		fprintf(h->o, "<a href=\"#%s\"><path class=\"finding %s\" data-rule=\"%s\" d=\"M%.1f %.1f l6 6 l-6 6 l-6 -6 z\">"
			"<title>%s %s +%.6fs: ", target, sev_class(f->sev), dt_rule_info[f->rule].id, xx, cy - 6,
			dt_severity_name(f->sev), dt_rule_info[f->rule].id, rel(m, f->ts));
		x(h, f->message);
		fputs("</title></path></a>", h->o);
	}
}

static unsigned worst_of(const struct dt_model *m, size_t first)
{
	unsigned w = 0; /* 0 none, 1 + severity */
	for (size_t i = first; i != DT_MODEL_NONE; i = m->findings[i].fnext)
		if (m->findings[i].sev + 1u > w)
			w = m->findings[i].sev + 1u;
	return w;
}

static void lanes(struct html *h, size_t bi)
{
	const struct dt_model *m = h->m;
	const struct dt_model_buf *b = &m->bufs[bi];
	struct scale s = {b->first_ts, b->end_ts > b->first_ts ? b->end_ts - b->first_ts : 1};
	size_t nlanes = b->natts + 1;
	double height = AXIS_H + (double)nlanes * LANE_H + 4;
	fprintf(h->o, "<svg class=\"lanes\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %.0f\" "
		"preserveAspectRatio=\"xMinYMin meet\" role=\"img\" aria-label=\"attach and map timeline\">",
		LABEL_W + PLOT_W + RIGHT_PAD, height);
	/* time axis: 5 ticks, seconds since the trace started */
	for (int t = 0; t <= 4; t++) {
		double xx = LABEL_W + PLOT_W * t / 4.0;
		uint64_t ts = s.t0 + s.span * (uint64_t)t / 4;
		fprintf(h->o, "<line class=\"grid\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%.0f\"/>"
			"<text class=\"axis\" x=\"%.1f\" y=\"14\" text-anchor=\"%s\">+%.6fs</text>", xx, AXIS_H - 4, xx, height,
			xx, t == 0 ? "start" : t == 4 ? "end" : "middle", rel(m, ts));
	}
	/* lane 0: the buffer itself */
	double y = AXIS_H;
	unsigned w = worst_of(m, b->ffirst);
	char exp[DT_STR_MAX * 6];
	fprintf(h->o, "<g class=\"lane buffer%s%s\"><rect class=\"lanebg\" x=\"0\" y=\"%.0f\" width=\"%d\" height=\"%d\"/>",
		w ? " " : "", w ? sev_class((enum dt_severity)(w - 1)) : "", y, LABEL_W + PLOT_W + RIGHT_PAD, LANE_H - 2);
	dt_escape_xml(exp, sizeof(exp), b->exporter ? b->exporter : "?", b->exporter ? strlen(b->exporter) : 1);
	fprintf(h->o, "<text class=\"lane-label\" x=\"6\" y=\"%.0f\">exporter %s</text>", y + 19,
		b->provisional ? "(not traced)" : exp);
	fprintf(h->o, "<rect class=\"lifetime\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%d\" rx=\"2\"><title>buffer "
		"+%.6fs to +%.6fs%s</title></rect>", px(&s, b->first_ts), y + 9, px(&s, b->end_ts) - px(&s, b->first_ts) + 1,
		LANE_H - 20, rel(m, b->first_ts), rel(m, b->end_ts), b->released ? " (released)" : " (alive at the end)");
	if (b->released)
		marker(h, &s, "release", b->end_ts, y, "release");
	finding_marks(h, &s, b->ffirst, y);
	fputs("</g>", h->o);
	for (size_t k = 0; k < b->natts; k++) {
		const struct dt_model_att *a = &m->atts[b->atts[k]];
		y = AXIS_H + (double)(k + 1) * LANE_H;
		w = worst_of(m, a->ffirst);
		char desc[DT_STR_MAX * 14], dev[DT_STR_MAX * 6], label[DT_STR_MAX * 6], raw[64];
		dt_model_describe_att(desc, sizeof(desc), a, dt_escape_xml);
		dt_escape_xml(dev, sizeof(dev), a->dev, strlen(a->dev));
		/* the label column is narrow: cut the raw name, then escape (never cut an entity) */
		snprintf(raw, sizeof(raw), "%.24s%s [%.12s%s]", a->dev, strlen(a->dev) > 24 ? "..." : "",
			 a->provisional ? "unknown" : a->driver ? a->driver : "no driver",
			 a->driver && strlen(a->driver) > 12 ? "..." : "");
		dt_escape_xml(label, sizeof(label), raw, strlen(raw));
		fprintf(h->o, "<g class=\"lane importer%s%s\" data-dev=\"%s\" data-att=\"%" PRIu64 "\">"
			"<rect class=\"lanebg\" x=\"0\" y=\"%.0f\" width=\"%d\" height=\"%d\"/>"
			"<text class=\"lane-label\" x=\"6\" y=\"%.0f\">%s</text>",
			w ? " " : "", w ? sev_class((enum dt_severity)(w - 1)) : "", dev, a->id, y,
			LABEL_W + PLOT_W + RIGHT_PAD, LANE_H - 2, y + 19, label);
		char sz[64], title[160];
		fprintf(h->o, "<rect class=\"att\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%d\" rx=\"3\"><title>"
			"attachment %" PRIu64 " %s: +%.6fs to +%.6fs (%s); max segment %s%s</title></rect>",
			px(&s, a->attach_ts), y + 5, px(&s, a->end_ts) - px(&s, a->attach_ts) + 1, LANE_H - 12, a->id, desc,
			rel(m, a->attach_ts), rel(m, a->end_ts),
			a->detached ? "detached" : b->released && a->end_ts == b->end_ts ? "released while attached" : "still attached at the end",
			dt_fmt_size_exact(sz, sizeof(sz), a->lim.max_seg_size), a->dma_parms ? "" : " (kernel default)");
		for (size_t i = 0; i < a->nmaps; i++) {
			const struct dt_model_map *mp = &a->maps[i];
			double inset = mp->depth > 3 ? 3 * 2.0 : mp->depth * 2.0;
			if (mp->failed) {
				fprintf(h->o, "<rect class=\"map failed\" x=\"%.1f\" y=\"%.0f\" width=\"6\" height=\"%d\"><title>map "
					"refused (err %" PRId64 ") +%.6fs</title></rect>", px(&s, mp->ts), y + 9, LANE_H - 20, mp->err,
					rel(m, mp->ts));
				continue;
			}
			fprintf(h->o, "<rect class=\"map\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"2\"><title>map: "
				"%" PRIu64 " DMA segment%s", px(&s, mp->ts), y + 9 + inset, px(&s, mp->end_ts) - px(&s, mp->ts) + 1,
				LANE_H - 20 - 2 * inset, mp->nents, mp->nents == 1 ? "" : "s");
			if (mp->max_seg_known)
				fprintf(h->o, ", longest %s", dt_fmt_size(sz, sizeof(sz), mp->max_seg));
			if (mp->contiguous_known && mp->nents > 1)
				fprintf(h->o, ", %scontiguous", mp->contiguous ? "" : "not ");
			fprintf(h->o, "; +%.6fs to +%.6fs%s</title></rect>", rel(m, mp->ts), rel(m, mp->end_ts),
				mp->unmapped ? "" : " (never unmapped)");
			if (mp->unmapped)
				marker(h, &s, "unmap", mp->end_ts, y, "unmap");
		}
		snprintf(title, sizeof(title), "attach %" PRIu64, a->id);
		if (!a->provisional)
			marker(h, &s, "attach", a->attach_ts, y, title);
		if (a->detached) {
			snprintf(title, sizeof(title), "detach %" PRIu64, a->id);
			marker(h, &s, "detach", a->end_ts, y, title);
		}
		finding_marks(h, &s, a->ffirst, y);
		fputs("</g>", h->o);
	}
	fputs("</svg>\n", h->o);
}

static void finding_item(struct html *h, size_t i)
{
	const struct dt_model *m = h->m;
	const struct dt_model_finding *f = &m->findings[i];
	char dev[DT_STR_MAX * 14] = "";
	if (f->att != DT_MODEL_NONE)
		dt_model_describe_att(dev, sizeof(dev), &m->atts[f->att], dt_escape_xml);
	fprintf(h->o, "<li class=\"finding %s\" id=\"%sf%zu\" data-rule=\"%s\"><span class=\"sev\">%s</span><code>%s</code>"
		"<span class=\"when\">+%.6fs seq %" PRIu64, sev_class(f->sev), h->idp, i, dt_rule_info[f->rule].id,
		dt_severity_name(f->sev), dt_rule_info[f->rule].id, rel(m, f->ts), f->seq);
	if (h->plan->count[i] > 1)
		fprintf(h->o, "</span><span class=\"repeat\">&times;%" PRIu64 ", last +%.6fs", h->plan->count[i],
			rel(m, h->plan->last[i]));
	fprintf(h->o, "</span>%s<span class=\"msg\">", dev);
	x(h, f->message);
	fprintf(h->o, "%s%s</span></li>\n", f->provisional ? DT_NOTE_PROVISIONAL : "",
		f->incomplete ? DT_NOTE_INCOMPLETE : "");
}

/* The worst severity among a buffer's findings, -1 without any. */
static int worst(const struct dt_model *m, size_t bi)
{
	const struct dt_model_buf *b = &m->bufs[bi];
	int w = -1;
	for (size_t i = b->ffirst; i != DT_MODEL_NONE; i = m->findings[i].fnext)
		w = (int)m->findings[i].sev > w ? (int)m->findings[i].sev : w;
	for (size_t k = 0; k < b->natts; k++)
		for (size_t i = m->atts[b->atts[k]].ffirst; i != DT_MODEL_NONE; i = m->findings[i].fnext)
			w = (int)m->findings[i].sev > w ? (int)m->findings[i].sev : w;
	return w;
}

static int by_index(const void *a, const void *b)
{
	size_t x1 = *(const size_t *)a, x2 = *(const size_t *)b;
	return x1 < x2 ? -1 : x1 > x2;
}

/* Buffer bi's findings (its own and every attachment's) into idx, in trace order; the count. */
static size_t buffer_findings(const struct dt_model *m, size_t bi, size_t *idx)
{
	const struct dt_model_buf *b = &m->bufs[bi];
	size_t k = 0;
	for (size_t i = b->ffirst; i != DT_MODEL_NONE; i = m->findings[i].fnext)
		idx[k++] = i;
	for (size_t j = 0; j < b->natts; j++)
		for (size_t i = m->atts[b->atts[j]].ffirst; i != DT_MODEL_NONE; i = m->findings[i].fnext)
			idx[k++] = i;
	qsort(idx, k, sizeof(*idx), by_index);
	return k;
}

static size_t trace_findings(const struct dt_model *m, size_t *idx)
{
	size_t k = 0;
	for (size_t i = m->ffirst_trace; i != DT_MODEL_NONE; i = m->findings[i].fnext)
		idx[k++] = i;
	return k;
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Repeats within one list (a buffer's, or the trace's): same rule, severity and importer (device and driver)
 * fold into the first one's card. */
static void group_list(struct html *h, const size_t *idx, size_t n, size_t *reps)
{
	const struct dt_model *m = h->m;
	struct plan *p = h->plan;
	size_t nreps = 0;
	for (size_t k = 0; k < n; k++) {
		size_t i = idx[k];
		const struct dt_model_finding *f = &m->findings[i];
		const struct dt_model_att *a = f->att != DT_MODEL_NONE ? &m->atts[f->att] : NULL;
		size_t g = DT_MODEL_NONE;
		for (size_t r = 0; h->opts->group && r < nreps && g == DT_MODEL_NONE; r++) {
			const struct dt_model_finding *c = &m->findings[reps[r]];
			const struct dt_model_att *ca = c->att != DT_MODEL_NONE ? &m->atts[c->att] : NULL;
			if (c->rule == f->rule && c->sev == f->sev && (a == NULL) == (ca == NULL) &&
			    (!a || (same_str(a->dev, ca->dev) && same_str(a->driver, ca->driver))))
				g = reps[r];
		}
		if (g == DT_MODEL_NONE) {
			reps[nreps++] = i;
			g = i;
		}
		p->rep[i] = g;
		p->count[g]++;
		p->last[g] = f->ts;
	}
}

static int by_severity_then_index(const void *a, const void *b, void *ctx)
{
	const struct dt_model *m = ctx;
	size_t x1 = *(const size_t *)a, x2 = *(const size_t *)b;
	if (m->findings[x1].sev != m->findings[x2].sev)
		return m->findings[x1].sev > m->findings[x2].sev ? -1 : 1;
	return x1 < x2 ? -1 : x1 > x2;
}

/* The cards of a list (idx in trace order) in the order they are shown: one per group, --sort severity puts
 * errors first. Rewrites idx; returns the number of cards. */
static size_t card_order(const struct html *h, size_t *idx, size_t n)
{
	size_t k = 0;
	for (size_t j = 0; j < n; j++)
		if (h->plan->rep[idx[j]] == idx[j])
			idx[k++] = idx[j];
	if (h->opts->by_severity)
		qsort_r(idx, k, sizeof(*idx), by_severity_then_index, (void *)h->m);
	return k;
}

/* --max-findings: the first cards in the order they are shown are visible. */
static void plan_visible(struct html *h, size_t *idx, size_t n)
{
	size_t k = card_order(h, idx, n);
	for (size_t j = 0; j < k; j++) {
		bool show = !h->opts->have_max || h->cards_left > 0;
		h->plan->visible[idx[j]] = show;
		if (show && h->opts->have_max)
			h->cards_left--;
		else if (!show)
			h->hidden++;
	}
}

static void list_cards(struct html *h, size_t *idx, size_t n)
{
	size_t k = card_order(h, idx, n);
	for (size_t j = 0; j < k; j++)
		if (h->plan->visible[idx[j]])
			finding_item(h, idx[j]);
}

static void buffer(struct html *h, size_t bi)
{
	const struct dt_model *m = h->m;
	const struct dt_model_buf *b = &m->bufs[bi];
	uint64_t by[3] = {0};
	size_t n = 0;
	for (size_t i = b->ffirst; i != DT_MODEL_NONE; i = m->findings[i].fnext, n++)
		by[m->findings[i].sev]++;
	for (size_t k = 0; k < b->natts; k++)
		for (size_t i = m->atts[b->atts[k]].ffirst; i != DT_MODEL_NONE; i = m->findings[i].fnext, n++)
			by[m->findings[i].sev]++;
	char desc[DT_STR_MAX * 14];
	dt_model_describe_buf(desc, sizeof(desc), b, dt_escape_xml);
	fprintf(h->o, "<article class=\"buffer%s\" id=\"%sbuf%zu\" data-ino=\"%" PRIu64 "\"><h3>buffer %s</h3>\n",
		by[DT_SEV_ERROR] ? " has-error" : by[DT_SEV_WARNING] ? " has-warning" : "", h->idp, bi, b->ino, desc);
	fprintf(h->o, "<p class=\"bufmeta\">%s +%.6fs, %s +%.6fs &middot; %zu attachment%s",
		b->provisional ? "first seen" : "exported", rel(m, b->first_ts), b->released ? "released" : "alive at",
		rel(m, b->end_ts), b->natts, b->natts == 1 ? "" : "s");
	if (b->failed_attaches)
		fprintf(h->o, " &middot; %" PRIu64 " refused attach%s", b->failed_attaches, b->failed_attaches == 1 ? "" : "es");
	for (int s = DT_SEV_ERROR; s >= DT_SEV_INFO; s--)
		if (by[s])
			fprintf(h->o, " <span class=\"badge %s\">%" PRIu64 " %s%s</span>", sev_class((enum dt_severity)s), by[s],
				dt_severity_name((enum dt_severity)s), by[s] == 1 ? "" : s == DT_SEV_INFO ? "" : "s");
	if (!n)
		fputs(" <span class=\"badge ok\">no findings</span>", h->o);
	fputs("</p>\n", h->o);
	lanes(h, bi);
	if (n) {
		size_t *idx = malloc(n * sizeof(*idx));
		fputs("<ol class=\"findings\">\n", h->o);
		if (idx) {
			list_cards(h, idx, buffer_findings(m, bi, idx));
			free(idx);
		}
		fputs("</ol>\n", h->o);
	}
	fputs("</article>\n", h->o);
}

/* The buffers drawn, in order: errors first, then warnings, then info, then clean ones (trace order within
 * each); clean ones up to a limit, so that a long trace stays a page a browser can open (the summary still
 * counts everything). Returns how many are drawn; *omitted: clean buffers left out. */
static size_t buffer_order(const struct dt_model *m, size_t *order, size_t *omitted)
{
	size_t n = 0, clean_drawn = 0;
	*omitted = 0;
	for (int level = DT_SEV_ERROR; level >= -1; level--)
		for (size_t bi = 0; bi < m->nbufs; bi++) {
			if (worst(m, bi) != level)
				continue;
			if (level < 0 && clean_drawn >= DT_HTML_MAX_CLEAN_BUFFERS) {
				(*omitted)++;
				continue;
			}
			clean_drawn += level < 0;
			order[n++] = bi;
		}
	return n;
}

static void plan_free(struct plan *p)
{
	free(p->rep);
	free(p->count);
	free(p->last);
	free(p->visible);
}

/* Groups and the --max-findings cap for one trace, in the order its cards are shown. -1: out of memory. */
static int plan_trace(struct html *h, struct plan *p)
{
	const struct dt_model *m = h->m;
	size_t nf = m->nfindings ? m->nfindings : 1;
	*p = (struct plan){calloc(nf, sizeof(size_t)), calloc(nf, sizeof(uint64_t)), calloc(nf, sizeof(uint64_t)),
			   calloc(nf, sizeof(bool))};
	size_t *idx = malloc(nf * sizeof(size_t)), *reps = malloc(nf * sizeof(size_t));
	size_t *order = malloc((m->nbufs ? m->nbufs : 1) * sizeof(size_t));
	if (!p->rep || !p->count || !p->last || !p->visible || !idx || !reps || !order) {
		free(idx);
		free(reps);
		free(order);
		return -1;
	}
	h->plan = p;
	size_t n = trace_findings(m, idx);
	group_list(h, idx, n, reps);
	plan_visible(h, idx, n);
	size_t omitted, nb = buffer_order(m, order, &omitted);
	for (size_t bi = 0; bi < m->nbufs; bi++) { /* groups first: a buffer's cards may come from any list */
		n = buffer_findings(m, bi, idx);
		group_list(h, idx, n, reps);
	}
	for (size_t k = 0; k < nb; k++) {
		n = buffer_findings(m, order[k], idx);
		plan_visible(h, idx, n);
	}
	free(idx);
	free(reps);
	free(order);
	return 0;
}

static uint64_t event_count(const struct dt_run_stats *s)
{
	uint64_t events = 0;
	for (int t = 0; t < DT_EV__COUNT; t++)
		events += s->engine.events[t];
	return events;
}

static const char legend[] =
	"<p class=\"legend\"><span><i class=\"sw\" style=\"background:#cfd8dc\"></i>buffer "
	"alive</span><span><i class=\"sw\" style=\"background:#90caf9\"></i>attached</span><span><i class=\"sw\" "
	"style=\"background:#1e88e5\"></i>mapped</span><span><i class=\"sw\" style=\"background:#2e7d32\"></i>attach"
	"</span><span><i class=\"sw\" style=\"background:#ef6c00\"></i>unmap</span><span><i class=\"sw\" "
	"style=\"background:#455a64\"></i>detach</span><span><i class=\"sw\" style=\"background:#c62828\"></i>"
	"error</span><span><i class=\"sw\" style=\"background:#b26a00\"></i>warning</span><span><i class=\"sw\" "
	"style=\"background:#1565c0\"></i>info finding (hover a mark for its message)</span> &middot; times are seconds since "
	"the trace's first event; each buffer's lanes span its own lifetime; repeats (same rule, severity and importer "
	"on a buffer) share one card (&times;N).</p>\n";

/* One trace's part: its summary per rule, trace-level findings, buffers. */
static void write_trace(struct html *h)
{
	const struct dt_model *m = h->m;
	FILE *out = h->o;
	summary(h);
	if (m->ffirst_trace != DT_MODEL_NONE) {
		size_t *idx = malloc(m->nfindings * sizeof(*idx));
		fprintf(out, "<section class=\"card\" id=\"%strace-findings\"><h2>Trace</h2><ol class=\"findings\">\n", h->idp);
		if (idx) {
			list_cards(h, idx, trace_findings(m, idx));
			free(idx);
		}
		fputs("</ol></section>\n", out);
	}
	fprintf(out, "<h2>Buffers</h2>\n%s", legend);
	size_t omitted, *order = malloc((m->nbufs ? m->nbufs : 1) * sizeof(*order));
	size_t nb = order ? buffer_order(m, order, &omitted) : 0;
	for (size_t k = 0; k < nb; k++)
		buffer(h, order[k]);
	free(order);
	if (order && omitted)
		fprintf(out, "<p class=\"legend\" id=\"%somitted\">%zu more buffer%s without findings not drawn (the first %d "
			"are).</p>\n", h->idp, omitted, omitted == 1 ? "" : "s", DT_HTML_MAX_CLEAN_BUFFERS);
	if (!m->nbufs)
		fputs("<p>No buffers in this trace.</p>\n", out);
}

int dt_html_write_traces(const struct dt_model *const *models, size_t n, const struct dt_html_opts *o, FILE *out)
{
	struct plan *plans = calloc(n ? n : 1, sizeof(*plans));
	struct html h = {.o = out, .opts = o, .cards_left = o->max};
	int rc = plans ? 0 : -1;
	for (size_t t = 0; t < n && rc == 0; t++) {
		h.m = models[t];
		rc = plan_trace(&h, &plans[t]);
	}
	if (rc < 0) {
		for (size_t t = 0; plans && t < n; t++)
			plan_free(&plans[t]);
		free(plans);
		return -1;
	}
	struct dt_run_stats total = {0};
	uint64_t span = 0;
	for (size_t t = 0; t < n; t++) {
		const struct dt_run_stats *s = &models[t]->stats;
		for (int e = 0; e < DT_EV__COUNT; e++)
			total.engine.events[e] += s->engine.events[e];
		total.engine.buffers += s->engine.buffers;
		total.engine.attachments += s->engine.attachments;
		total.engine.lost += s->engine.lost;
		for (int v = 0; v < 3; v++)
			total.by_severity[v] += s->by_severity[v];
		if (s->engine.last_ts > s->engine.first_ts)
			span += s->engine.last_ts - s->engine.first_ts;
	}
	char title[4096];
	if (n == 1)
		dt_escape_xml(title, sizeof(title), models[0]->path, strlen(models[0]->path));
	else
		snprintf(title, sizeof(title), "%zu traces", n);
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
		"img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"generator\" content=\"dmabuf-trace %s\">\n<title>dmabuf-trace report: %s</title>\n"
		"<style>%s</style></head>\n<body>\n<header><h1>dmabuf-trace report</h1><p id=\"total\">%s%s &middot; %" PRIu64
		" events, %" PRIu64 " buffers, %" PRIu64 " attachments, %" PRIu64 " lost &middot; %.6fs &middot; %" PRIu64
		" errors, %" PRIu64 " warnings, %" PRIu64 " info%s</p></header>\n<main>\n",
		DT_VERSION_STRING, title, css, n == 1 ? "" : "total of ", title, event_count(&total), total.engine.buffers,
		total.engine.attachments, total.engine.lost, (double)span / 1e9, total.by_severity[DT_SEV_ERROR],
		total.by_severity[DT_SEV_WARNING], total.by_severity[DT_SEV_INFO],
		n == 1 && models[0]->truncated ? " &middot; the trace was cut short" : "");
	if (n > 1) { /* a table of contents: each trace's line links to its part */
		fputs("<section class=\"card\" id=\"traces\"><h2>Traces</h2><ol>\n", out);
		for (size_t t = 0; t < n; t++) {
			const struct dt_model *m = models[t];
			char name[4096];
			dt_escape_xml(name, sizeof(name), m->path, strlen(m->path));
			fprintf(out, "<li><a href=\"#t%zu\">%s</a>: %" PRIu64 " events, %" PRIu64 " buffers, %" PRIu64 " errors, %"
				PRIu64 " warnings, %" PRIu64 " info%s</li>\n", t + 1, name, event_count(&m->stats), m->stats.engine.buffers,
				m->stats.by_severity[DT_SEV_ERROR], m->stats.by_severity[DT_SEV_WARNING],
				m->stats.by_severity[DT_SEV_INFO], m->truncated ? " (cut short)" : "");
		}
		fputs("</ol></section>\n", out);
	}
	for (size_t t = 0; t < n; t++) {
		h.m = models[t];
		h.plan = &plans[t];
		if (n > 1) {
			char name[4096];
			dt_escape_xml(name, sizeof(name), h.m->path, strlen(h.m->path));
			snprintf(h.idp, sizeof(h.idp), "t%zu-", t + 1);
			fprintf(out, "<section class=\"trace\" id=\"t%zu\"><h2 class=\"trace-name\">%s</h2>\n", t + 1, name);
		}
		write_trace(&h);
		if (n > 1)
			fputs("</section>\n", out);
	}
	if (h.hidden)
		fprintf(out, "<p class=\"legend\" id=\"findings-omitted\">%" PRIu64 " more finding card%s not shown "
			"(--max-findings %" PRIu64 "); the summaries count every finding.</p>\n", h.hidden,
			h.hidden == 1 ? "" : "s", o->max);
	fputs("</main>\n</body></html>\n", out);
	for (size_t t = 0; t < n; t++)
		plan_free(&plans[t]);
	free(plans);
	return ferror(out) ? -1 : 0;
}

int dt_html_write(const struct dt_model *m, FILE *out)
{
	const struct dt_html_opts o = {.group = true};
	return dt_html_write_traces(&m, 1, &o, out);
}
