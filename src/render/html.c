/* SPDX-License-Identifier: Apache-2.0 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/escape.h"
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
	"li .msg{display:block;margin-top:2px;word-break:break-word}"
	".legend{font-size:12px;color:var(--muted)}"
	".legend span{display:inline-block;margin-right:14px}"
	".sw{display:inline-block;width:14px;height:10px;margin-right:4px;vertical-align:middle;border-radius:2px}"
	".ok-note{color:#2e7d32}";

struct html {
	FILE *o;
	const struct dt_model *m;
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

static void summary(struct html *h)
{
	const struct dt_model *m = h->m;
	uint64_t counts[DT_RULE__COUNT][3] = {{0}};
	size_t first[DT_RULE__COUNT]; /* each row links to the rule's first finding */
	for (int r = 0; r < DT_RULE__COUNT; r++)
		first[r] = DT_MODEL_NONE;
	for (size_t i = 0; i < m->nfindings; i++) {
		counts[m->findings[i].rule][m->findings[i].sev]++;
		if (first[m->findings[i].rule] == DT_MODEL_NONE)
			first[m->findings[i].rule] = i;
	}
	fputs("<section class=\"card\" id=\"summary\"><h2>Findings by rule</h2>\n", h->o);
	if (!m->nfindings) {
		fputs("<p class=\"ok-note\" id=\"no-findings\">No findings: every mapping met its importer's limits and "
		      "every attachment was used in order.</p>\n", h->o);
	} else {
		fputs("<table class=\"summary\"><thead><tr><th>rule</th><th>what</th><th>error</th><th>warning</th>"
		      "<th>info</th></tr></thead><tbody>\n", h->o);
		for (int r = 0; r < DT_RULE__COUNT; r++) {
			uint64_t *c = counts[r];
			if (!c[0] && !c[1] && !c[2])
				continue;
			fprintf(h->o, "<tr class=\"rule\" data-rule=\"%s\"><td><a href=\"#f%zu\"><code>%s</code></a></td><td>%s</td>",
				dt_rule_info[r].id, first[r], dt_rule_info[r].id, dt_rule_info[r].summary);
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
		fprintf(h->o, "<a href=\"#f%zu\"><path class=\"finding %s\" data-rule=\"%s\" d=\"M%.1f %.1f l6 6 l-6 6 l-6 -6 z\">"
			"<title>%s %s +%.6fs: ", i, sev_class(f->sev), dt_rule_info[f->rule].id, xx, cy - 6,
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
		char sz[32], title[160];
		fprintf(h->o, "<rect class=\"att\" x=\"%.1f\" y=\"%.0f\" width=\"%.1f\" height=\"%d\" rx=\"3\"><title>"
			"attachment %" PRIu64 " %s: +%.6fs to +%.6fs (%s); max segment %s%s</title></rect>",
			px(&s, a->attach_ts), y + 5, px(&s, a->end_ts) - px(&s, a->attach_ts) + 1, LANE_H - 12, a->id, desc,
			rel(m, a->attach_ts), rel(m, a->end_ts),
			a->detached ? "detached" : b->released && a->end_ts == b->end_ts ? "released while attached" : "still attached at the end",
			dt_fmt_size(sz, sizeof(sz), a->lim.max_seg_size), a->dma_parms ? "" : " (kernel default)");
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
	fprintf(h->o, "<li class=\"finding %s\" id=\"f%zu\" data-rule=\"%s\"><span class=\"sev\">%s</span><code>%s</code>"
		"<span class=\"when\">+%.6fs seq %" PRIu64 "</span>%s<span class=\"msg\">", sev_class(f->sev), i,
		dt_rule_info[f->rule].id, dt_severity_name(f->sev), dt_rule_info[f->rule].id, rel(m, f->ts), f->seq, dev);
	x(h, f->message);
	fprintf(h->o, "%s%s</span></li>\n", f->provisional ? " [trace started mid-way]" : "",
		f->incomplete ? " [incomplete: events were lost]" : "");
}

static bool has_findings(const struct dt_model *m, size_t bi)
{
	const struct dt_model_buf *b = &m->bufs[bi];
	if (b->ffirst != DT_MODEL_NONE)
		return true;
	for (size_t k = 0; k < b->natts; k++)
		if (m->atts[b->atts[k]].ffirst != DT_MODEL_NONE)
			return true;
	return false;
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
	fprintf(h->o, "<article class=\"buffer%s\" id=\"buf%zu\" data-ino=\"%" PRIu64 "\"><h3>buffer %s</h3>\n",
		by[DT_SEV_ERROR] ? " has-error" : by[DT_SEV_WARNING] ? " has-warning" : "", bi, b->ino, desc);
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
		/* in trace order across the buffer's attachments */
		size_t *idx = malloc(n * sizeof(*idx)), k = 0;
		fputs("<ol class=\"findings\">\n", h->o);
		if (idx) {
			for (size_t i = b->ffirst; i != DT_MODEL_NONE; i = m->findings[i].fnext)
				idx[k++] = i;
			for (size_t j = 0; j < b->natts; j++)
				for (size_t i = m->atts[b->atts[j]].ffirst; i != DT_MODEL_NONE; i = m->findings[i].fnext)
					idx[k++] = i;
			qsort(idx, k, sizeof(*idx), by_index);
			for (size_t i = 0; i < k; i++)
				finding_item(h, idx[i]);
			free(idx);
		}
		fputs("</ol>\n", h->o);
	}
	fputs("</article>\n", h->o);
}

int dt_html_write(const struct dt_model *m, FILE *out)
{
	struct html h = {out, m};
	char trace[4096];
	dt_escape_xml(trace, sizeof(trace), m->path, strlen(m->path));
	uint64_t events = 0;
	for (int t = 0; t < DT_EV__COUNT; t++)
		events += m->stats.engine.events[t];
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
		"img-src data:\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		"<meta name=\"generator\" content=\"dmabuf-trace %s\">\n<title>dmabuf-trace report: %s</title>\n"
		"<style>%s</style></head>\n<body>\n<header><h1>dmabuf-trace report</h1><p>%s &middot; %" PRIu64 " events, "
		"%" PRIu64 " buffers, %" PRIu64 " attachments, %" PRIu64 " lost &middot; %.6fs &middot; %" PRIu64 " errors, "
		"%" PRIu64 " warnings, %" PRIu64 " info%s</p></header>\n<main>\n",
		DT_VERSION_STRING, trace, css, trace, events, m->stats.engine.buffers, m->stats.engine.attachments, m->stats.engine.lost,
		m->stats.engine.last_ts > m->stats.engine.first_ts ? (double)(m->stats.engine.last_ts - m->stats.engine.first_ts) / 1e9 : 0.0,
		m->stats.by_severity[DT_SEV_ERROR], m->stats.by_severity[DT_SEV_WARNING], m->stats.by_severity[DT_SEV_INFO],
		m->truncated ? " &middot; the trace was cut short" : "");
	summary(&h);
	if (m->ffirst_trace != DT_MODEL_NONE) {
		fputs("<section class=\"card\" id=\"trace-findings\"><h2>Trace</h2><ol class=\"findings\">\n", out);
		for (size_t i = m->ffirst_trace; i != DT_MODEL_NONE; i = m->findings[i].fnext)
			finding_item(&h, i);
		fputs("</ol></section>\n", out);
	}
	fprintf(out, "<h2>Buffers</h2>\n<p class=\"legend\"><span><i class=\"sw\" style=\"background:#cfd8dc\"></i>buffer "
		"alive</span><span><i class=\"sw\" style=\"background:#90caf9\"></i>attached</span><span><i class=\"sw\" "
		"style=\"background:#1e88e5\"></i>mapped</span><span><i class=\"sw\" style=\"background:#2e7d32\"></i>attach"
		"</span><span><i class=\"sw\" style=\"background:#ef6c00\"></i>unmap</span><span><i class=\"sw\" "
		"style=\"background:#455a64\"></i>detach</span><span><i class=\"sw\" style=\"background:#c62828\"></i>"
		"error</span><span><i class=\"sw\" style=\"background:#b26a00\"></i>warning</span><span><i class=\"sw\" "
		"style=\"background:#1565c0\"></i>info finding (hover a mark for its message)</span> &middot; times are seconds since the trace's first event; each "
		"buffer's lanes span its own lifetime.</p>\n");
	/* Every buffer with a finding is drawn; clean ones up to a limit, so that a long trace stays a page a
	 * browser can open (the summary above still counts everything). */
	size_t clean_drawn = 0, clean_omitted = 0;
	/* Buffers with errors first, then warnings, then info, then clean ones; trace order within each. */
	for (int level = DT_SEV_ERROR; level >= -1; level--)
	for (size_t bi = 0; bi < m->nbufs; bi++) {
		if (worst(m, bi) != level)
			continue;
		if (!has_findings(m, bi) && clean_drawn >= DT_HTML_MAX_CLEAN_BUFFERS) {
			clean_omitted++;
			continue;
		}
		clean_drawn += !has_findings(m, bi);
		buffer(&h, bi);
	}
	if (clean_omitted)
		fprintf(out, "<p class=\"legend\" id=\"omitted\">%zu more buffer%s without findings not drawn (the first %d "
			"are).</p>\n", clean_omitted, clean_omitted == 1 ? "" : "s", DT_HTML_MAX_CLEAN_BUFFERS);
	if (!m->nbufs)
		fputs("<p>No buffers in this trace.</p>\n", out);
	fputs("</main>\n</body></html>\n", out);
	return ferror(out) ? -1 : 0;
}
