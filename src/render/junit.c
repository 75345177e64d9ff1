/* SPDX-License-Identifier: Apache-2.0 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "common/escape.h"
#include "render/describe.h"
#include "render/junit.h"

int dt_junit_init(struct dt_junit *j)
{
	memset(j, 0, sizeof(*j));
	j->body = open_memstream(&j->buf, &j->len);
	return j->body ? 0 : -1;
}

static void xml(FILE *out, const char *s)
{
	char esc[8192];
	dt_escape_xml(esc, sizeof(esc), s, strlen(s));
	fputs(esc, out);
}

static double rel_s(const struct dt_model *m, uint64_t ts)
{
	return ts >= dt_model_t0(m) ? (double)(ts - dt_model_t0(m)) / 1e9 : 0.0;
}

/* One testcase: the findings idx[0..n) of one buffer (or trace-level) and rule. */
static void testcase(struct dt_junit *j, const struct dt_model *m, const size_t *idx, size_t n, enum dt_rule_id rule,
		     const char *classname, unsigned long long *tests, unsigned long long *failures)
{
	const struct dt_model_finding *first_error = NULL;
	size_t nerr = 0, nother = 0;
	for (size_t i = 0; i < n; i++) {
		const struct dt_model_finding *f = &m->findings[idx[i]];
		if (f->sev == DT_SEV_ERROR) {
			if (!first_error)
				first_error = f;
			nerr++;
		} else {
			nother++;
		}
	}
	(*tests)++;
	FILE *o = j->body;
	fprintf(o, "    <testcase classname=\"%s\" name=\"%s\" time=\"0\"", classname, dt_rule_info[rule].id);
	if (!nerr && !nother) {
		fputs("/>\n", o);
		return;
	}
	fputs(">\n", o);
	for (int pass = 0; pass < 2; pass++) {
		bool errors = pass == 0;
		if (errors && !nerr)
			continue;
		if (!errors && !nother)
			continue;
		if (errors) {
			(*failures)++;
			fprintf(o, "      <failure type=\"%s\" message=\"", dt_rule_info[rule].id);
			xml(o, first_error->message);
			fprintf(o, "\">");
		} else {
			fputs("      <system-out>", o);
		}
		for (size_t i = 0; i < n; i++) {
			const struct dt_model_finding *f = &m->findings[idx[i]];
			if ((f->sev == DT_SEV_ERROR) != errors)
				continue;
			char dev[DT_STR_MAX * 14] = "-";
			if (f->att != DT_MODEL_NONE)
				dt_model_describe_att(dev, sizeof(dev), &m->atts[f->att], dt_escape_xml);
			/* the buffer is named here, not in the classname: inodes change every run */
			char buf[DT_STR_MAX * 14] = "-";
			if (f->buf != DT_MODEL_NONE)
				dt_model_describe_buf(buf, sizeof(buf), &m->bufs[f->buf], dt_escape_xml);
			fprintf(o, "%s %s +%.6fs seq %" PRIu64 " buf %s %s: ", dt_severity_name(f->sev), dt_rule_info[rule].id,
				rel_s(m, f->ts), f->seq, buf, dev);
			xml(o, f->message);
			fprintf(o, "%s%s\n", f->provisional ? DT_NOTE_PROVISIONAL : "",
				f->incomplete ? DT_NOTE_INCOMPLETE : "");
		}
		fputs(errors ? "</failure>\n" : "</system-out>\n", o);
	}
	fputs("    </testcase>\n", o);
}

/* A testcase's class: exporter and importer, never an inode or id, so that a dashboard's history follows
 * "vivid.0 [vivid] importing from system" across runs. Buffer-level findings have no importer. */
struct junit_key {
	const char *exporter, *dev, *driver;
	bool buffer_level;
};

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

static struct junit_key key_of(const struct dt_model *m, size_t buf, size_t att)
{
	struct junit_key k = {.exporter = buf != DT_MODEL_NONE ? m->bufs[buf].exporter : NULL};
	if (att == DT_MODEL_NONE) {
		k.buffer_level = true;
	} else {
		k.dev = m->atts[att].dev;
		k.driver = m->atts[att].driver;
	}
	return k;
}

static bool same_key(const struct junit_key *a, const struct junit_key *b)
{
	return a->buffer_level == b->buffer_level && same_str(a->exporter, b->exporter) && same_str(a->dev, b->dev) &&
	       same_str(a->driver, b->driver);
}

static void classname(char *out, size_t outsz, const struct junit_key *k)
{
	char exp[DT_STR_MAX * 7], dev[DT_STR_MAX * 7], drv[DT_STR_MAX * 7];
	dt_escape_xml(exp, sizeof(exp), k->exporter ? k->exporter : "?", strlen(k->exporter ? k->exporter : "?"));
	if (k->buffer_level) {
		snprintf(out, outsz, "%s buffers", exp);
		return;
	}
	dt_escape_xml(dev, sizeof(dev), k->dev ? k->dev : "?", strlen(k->dev ? k->dev : "?"));
	if (k->driver)
		dt_escape_xml(drv, sizeof(drv), k->driver, strlen(k->driver));
	snprintf(out, outsz, "%s [%s] importing from %s", dev, k->driver ? drv : "no driver", exp);
}

void dt_junit_add_trace(struct dt_junit *j, const struct dt_model *m)
{
	/* The classes in order of first appearance: per buffer, its own, then its importers'. */
	size_t cap = m->nbufs + m->natts + 1, nkeys = 0;
	struct junit_key *keys = malloc(cap * sizeof(*keys));
	size_t *idx = malloc((m->nfindings + 1) * sizeof(*idx));
	if (!keys || !idx) {
		free(keys);
		free(idx);
		return;
	}
	for (size_t b = 0; b < m->nbufs; b++) {
		for (size_t k = 0; k <= m->bufs[b].natts; k++) {
			struct junit_key key = key_of(m, b, k == 0 ? DT_MODEL_NONE : m->bufs[b].atts[k - 1]);
			bool seen = false;
			for (size_t i = 0; i < nkeys && !seen; i++)
				seen = same_key(&keys[i], &key);
			if (!seen)
				keys[nkeys++] = key;
		}
	}
	char *cases = NULL;
	size_t clen = 0;
	FILE *saved = j->body;
	FILE *tmp = open_memstream(&cases, &clen);
	if (!tmp) {
		free(keys);
		free(idx);
		return;
	}
	j->body = tmp;
	unsigned long long tests = 0, failures = 0;
	char trace[4096];
	dt_escape_xml(trace, sizeof(trace), m->path, strlen(m->path));
	for (size_t c = 0; c < nkeys; c++) {
		char cls[DT_STR_MAX * 24];
		classname(cls, sizeof(cls), &keys[c]);
		for (int r = 0; r < DT_RULE__COUNT; r++) {
			if (r == DT_RULE_LOST_EVENTS || (j->select && !dt_select_rule(j->select, (enum dt_rule_id)r)))
				continue;
			size_t n = 0;
			for (size_t i = 0; i < m->nfindings; i++) { /* trace order */
				const struct dt_model_finding *f = &m->findings[i];
				if (f->rule != (enum dt_rule_id)r || f->buf == DT_MODEL_NONE)
					continue;
				struct junit_key fk = key_of(m, f->buf, f->att);
				if (same_key(&fk, &keys[c]))
					idx[n++] = i;
			}
			testcase(j, m, idx, n, (enum dt_rule_id)r, cls, &tests, &failures);
		}
	}
	/* trace-level findings (lost events) */
	size_t n = 0;
	for (size_t i = 0; i < m->nfindings; i++)
		if (m->findings[i].buf == DT_MODEL_NONE)
			idx[n++] = i;
	if (!j->select || dt_select_rule(j->select, DT_RULE_LOST_EVENTS))
		testcase(j, m, idx, n, DT_RULE_LOST_EVENTS, "trace", &tests, &failures);
	free(idx);
	free(keys);
	fclose(tmp);
	j->body = saved;
	uint64_t span = m->stats.engine.last_ts > m->stats.engine.first_ts ? m->stats.engine.last_ts - m->stats.engine.first_ts : 0;
	fprintf(j->body, "  <testsuite name=\"%s\" tests=\"%llu\" failures=\"%llu\" errors=\"0\" skipped=\"0\" "
		"time=\"%.6f\">\n", trace, tests, failures, (double)span / 1e9);
	fprintf(j->body, "    <properties>\n      <property name=\"buffers\" value=\"%" PRIu64 "\"/>\n"
		"      <property name=\"attachments\" value=\"%" PRIu64 "\"/>\n"
		"      <property name=\"lost-events\" value=\"%" PRIu64 "\"/>\n"
		"      <property name=\"truncated\" value=\"%s\"/>\n    </properties>\n",
		m->stats.engine.buffers, m->stats.engine.attachments, m->stats.engine.lost, m->truncated ? "true" : "false");
	fwrite(cases, 1, clen, j->body);
	fputs("  </testsuite>\n", j->body);
	free(cases);
	j->tests += tests;
	j->failures += failures;
}

void dt_junit_add_unreadable(struct dt_junit *j, const char *trace, int exit_status)
{
	char name[4096];
	dt_escape_xml(name, sizeof(name), trace, strlen(trace));
	fprintf(j->body, "  <testsuite name=\"%s\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n"
		"    <testcase classname=\"trace\" name=\"read\" time=\"0\">\n"
		"      <error type=\"%s\" message=\"the trace could not be analysed (exit status %d; see the log)\"/>\n"
		"    </testcase>\n  </testsuite>\n", name, exit_status == 3 ? "system" : "input", exit_status);
	j->tests++;
	j->errors++;
}

int dt_junit_finish(struct dt_junit *j, FILE *out)
{
	fclose(j->body);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<testsuites name=\"dmabuf-trace\" tests=\"%llu\" failures=\"%llu\" errors=\"%llu\">\n",
		j->tests, j->failures, j->errors);
	fwrite(j->buf, 1, j->len, out);
	fputs("</testsuites>\n", out);
	free(j->buf);
	j->buf = NULL;
	return ferror(out) ? -1 : 0;
}
