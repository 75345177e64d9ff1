// SPDX-License-Identifier: Apache-2.0
/* See metrics.h. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "daemon/metrics.h"
#include "rules/rules.h"

/* Label values: backslash, double quote and newline escaped (the exposition format); other control
 * bytes and non-ASCII as \xNN text so the file stays one line per sample. */
static void label(FILE *out, const char *s)
{
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
		if (*p == '\\')
			fputs("\\\\", out);
		else if (*p == '"')
			fputs("\\\"", out);
		else if (*p == '\n')
			fputs("\\n", out);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(out, "\\\\x%02x", *p);
		else
			fputc(*p, out);
	}
}

struct group {
	const char *key;
	unsigned long long n, bytes;
};

struct groups {
	struct group *v;
	size_t n, cap;
};

static struct group *group_for(struct groups *g, const char *key)
{
	key = key ? key : "";
	for (size_t i = 0; i < g->n; i++)
		if (strcmp(g->v[i].key, key) == 0)
			return &g->v[i];
	if (g->n == g->cap) {
		size_t ncap = g->cap ? g->cap * 2 : 16;
		struct group *nv = realloc(g->v, ncap * sizeof(*nv));
		if (!nv)
			return NULL;
		g->v = nv;
		g->cap = ncap;
	}
	g->v[g->n] = (struct group){key, 0, 0};
	return &g->v[g->n++];
}

struct walk {
	struct groups exporters, importers;
	unsigned long long mapped_bytes, mapped_attachments;
};

static void walk_buffer(void *ctx, const struct dt_buffer *b)
{
	struct walk *w = ctx;
	struct group *g = group_for(&w->exporters, b->exporter ? b->exporter : "unknown");
	if (g) {
		g->n++;
		g->bytes += b->size;
	}
	for (const struct dt_attachment *a = b->atts; a; a = a->next) {
		struct group *i = group_for(&w->importers, a->dev);
		if (i)
			i->n++;
		if (a->map_depth) {
			w->mapped_attachments++;
			w->mapped_bytes += a->map.total_len ? a->map.total_len : b->size;
		}
	}
}

int dt_metrics_print(FILE *out, const struct dt_engine *e, const struct dt_metrics_extra *x)
{
	const struct dt_engine_stats *s = dt_engine_stats(e);
	struct walk w = {0};
	dt_engine_foreach_buffer(e, walk_buffer, &w);

	fprintf(out, "# HELP dmabuf_trace_buffers Live dma-bufs by exporter.\n# TYPE dmabuf_trace_buffers gauge\n");
	for (size_t i = 0; i < w.exporters.n; i++) {
		fputs("dmabuf_trace_buffers{exporter=\"", out);
		label(out, w.exporters.v[i].key);
		fprintf(out, "\"} %llu\n", w.exporters.v[i].n);
	}
	fprintf(out, "# HELP dmabuf_trace_buffer_bytes Size of the live dma-bufs by exporter.\n"
		     "# TYPE dmabuf_trace_buffer_bytes gauge\n");
	for (size_t i = 0; i < w.exporters.n; i++) {
		fputs("dmabuf_trace_buffer_bytes{exporter=\"", out);
		label(out, w.exporters.v[i].key);
		fprintf(out, "\"} %llu\n", w.exporters.v[i].bytes);
	}
	fprintf(out, "# HELP dmabuf_trace_attachments Live attachments by importing device.\n"
		     "# TYPE dmabuf_trace_attachments gauge\n");
	for (size_t i = 0; i < w.importers.n; i++) {
		fputs("dmabuf_trace_attachments{importer=\"", out);
		label(out, w.importers.v[i].key);
		fprintf(out, "\"} %llu\n", w.importers.v[i].n);
	}
	fprintf(out, "# HELP dmabuf_trace_mapped_bytes Bytes of the live DMA mappings.\n# TYPE dmabuf_trace_mapped_bytes gauge\n"
		     "dmabuf_trace_mapped_bytes %llu\n", w.mapped_bytes);
	fprintf(out, "# HELP dmabuf_trace_mapped_attachments Attachments mapped now.\n"
		     "# TYPE dmabuf_trace_mapped_attachments gauge\ndmabuf_trace_mapped_attachments %llu\n",
		w.mapped_attachments);
	unsigned long long events = 0;
	for (int t = 0; t < DT_EV__COUNT; t++)
		events += s->events[t];
	fprintf(out, "# HELP dmabuf_trace_events_total Events traced.\n# TYPE dmabuf_trace_events_total counter\n"
		     "dmabuf_trace_events_total %llu\n", events);
	fprintf(out, "# HELP dmabuf_trace_findings_total Findings by rule and severity.\n"
		     "# TYPE dmabuf_trace_findings_total counter\n");
	for (int r = 0; r < DT_RULE__COUNT; r++)
		for (int sv = 0; sv <= DT_SEV_ERROR; sv++)
			if ((*x->findings)[r][sv])
				fprintf(out, "dmabuf_trace_findings_total{rule=\"%s\",severity=\"%s\"} %" PRIu64 "\n",
					dt_rule_info[r].id, dt_severity_name((enum dt_severity)sv),
					(*x->findings)[r][sv]);
	fprintf(out, "# HELP dmabuf_trace_lost_events_total Events missing, by cause (ring: the kernel's ring buffer "
		     "was full; write: the daemon could not write them; gap: times no tracer ran).\n"
		     "# TYPE dmabuf_trace_lost_events_total counter\n");
	for (int c = 0; c < DT_LOST__COUNT; c++)
		fprintf(out, "dmabuf_trace_lost_events_total{cause=\"%s\"} %llu\n",
			dt_lost_cause_name((enum dt_lost_cause)c),
			(unsigned long long)(c == DT_LOST_GAP ? x->gaps
					     : c == DT_LOST_WRITE ? x->unwritten_total + x->lost_by_cause[c] /* own + replayed */
								  : x->lost_by_cause[c]));
	fprintf(out, "# HELP dmabuf_trace_segments_total Segments started.\n# TYPE dmabuf_trace_segments_total counter\n"
		     "dmabuf_trace_segments_total %llu\n", x->segments_total);
	fprintf(out, "# HELP dmabuf_trace_snapshots_total Flight-recorder snapshots written.\n"
		     "# TYPE dmabuf_trace_snapshots_total counter\ndmabuf_trace_snapshots_total %llu\n", x->snapshots_total);
	fprintf(out, "# HELP dmabuf_trace_journal_folded_total Findings folded into an aggregated journal entry.\n"
		     "# TYPE dmabuf_trace_journal_folded_total counter\ndmabuf_trace_journal_folded_total %llu\n",
		x->journal_folded_total);
	fprintf(out, "# HELP dmabuf_trace_uptime_seconds Time since the daemon started.\n"
		     "# TYPE dmabuf_trace_uptime_seconds gauge\ndmabuf_trace_uptime_seconds %.3f\n", x->uptime_seconds);
	free(w.exporters.v);
	free(w.importers.v);
	return ferror(out) ? -1 : 0;
}

int dt_metrics_write_file(const char *path, const struct dt_engine *e, const struct dt_metrics_extra *x)
{
	char tmp[4200];
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	FILE *f = fopen(tmp, "we");
	if (!f)
		return -1;
	int rc = dt_metrics_print(f, e, x);
	if (fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = -1;
	if (fclose(f) != 0)
		rc = -1;
	if (rc == 0 && rename(tmp, path) < 0)
		rc = -1;
	if (rc < 0) {
		int saved = errno;
		unlink(tmp);
		errno = saved;
	}
	return rc;
}
