// SPDX-License-Identifier: Apache-2.0
/* See journal.h. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#if WITH_SYSTEMD
#include <systemd/sd-journal.h>
#endif

#include "common/errors.h"
#include "common/escape.h"
#include "daemon/journal.h"
#include "rules/rules.h"

#define MAX_KEYS 256

struct agg {
	enum dt_rule_id rule;
	enum dt_severity sev; /* the highest seen */
	char importer[DT_STR_MAX], exporter[DT_STR_MAX];
	unsigned long long count; /* folded since the entry was logged */
	uint64_t last_buf;
	bool used;
};

struct dt_journal {
	double interval;
	double window_start;
	bool journal;
	struct agg keys[MAX_KEYS];
	unsigned nkeys;
	unsigned long long entries, folded;
};

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct dt_journal *dt_journal_new(double interval_s)
{
	struct dt_journal *j = calloc(1, sizeof(*j));
	if (!j)
		return NULL;
	j->interval = interval_s;
	j->window_start = mono_now();
#if WITH_SYSTEMD
	/* Started by systemd (its stdout/stderr is a journal stream, or a unit invocation). */
	j->journal = getenv("JOURNAL_STREAM") || getenv("INVOCATION_ID");
#endif
	return j;
}

bool dt_journal_uses_journal(const struct dt_journal *j) { return j->journal; }

static int priority(enum dt_severity s)
{
	return s == DT_SEV_ERROR ? LOG_ERR : s == DT_SEV_WARNING ? LOG_WARNING : LOG_INFO;
}

static void log_entry(struct dt_journal *j, enum dt_rule_id rule, enum dt_severity sev, uint64_t buf,
		      const char *importer, const char *exporter, int64_t pid, unsigned long long count,
		      const char *message)
{
	/* Device and exporter names and messages carry untrusted bytes: escaped in every sink. */
	char msg[4200], imp[DT_STR_MAX * 4 + 4], exp[DT_STR_MAX * 4 + 4];
	dt_escape_text(msg, sizeof(msg), message, strlen(message));
	dt_escape_text(imp, sizeof(imp), importer, strlen(importer));
	dt_escape_text(exp, sizeof(exp), exporter, strlen(exporter));
	const char *rname = dt_rule_info[rule].id, *sname = dt_severity_name(sev);
	j->entries++;
#if WITH_SYSTEMD
	if (j->journal) {
		sd_journal_send("MESSAGE=%s %s: %s", sname, rname, msg, "PRIORITY=%d", priority(sev),
				"SYSLOG_IDENTIFIER=dmabuf-trace", "DMABUF_RULE=%s", rname, "DMABUF_SEVERITY=%s", sname,
				"DMABUF_BUF=%" PRIu64, buf, "DMABUF_DEV=%s", imp, "DMABUF_EXPORTER=%s", exp,
				"DMABUF_PID=%" PRId64, pid, "DMABUF_COUNT=%llu", count, NULL);
		return;
	}
#else
	(void)pid;
	(void)priority;
#endif
	/* Without a journal, through the one voice ("dmabuf-trace daemon: error late-attach buf ...") */
	if (count > 1)
		dt_info("%s %s: %s", sname, rname, msg);
	else
		dt_info("%s %s buf %" PRIu64 " %s: %s", sname, rname, buf, imp, msg);
}

void dt_journal_finding(struct dt_journal *j, const struct dt_finding *f)
{
	const char *importer = f->att && f->att->dev ? f->att->dev : "";
	const char *exporter = f->buf && f->buf->exporter ? f->buf->exporter : "";
	int64_t pid = f->ev && (f->ev->has & DT_HAS_PID) ? f->ev->pid : 0;
	uint64_t buf = f->buf ? f->buf->ino : 0;
	if (j->interval <= 0) {
		log_entry(j, f->rule, f->sev, buf, importer, exporter, pid, 1, dt_finding_message(f));
		return;
	}
	struct agg *a = NULL;
	for (unsigned i = 0; i < j->nkeys && !a; i++)
		if (j->keys[i].used && j->keys[i].rule == f->rule && strcmp(j->keys[i].importer, importer) == 0 &&
		    strcmp(j->keys[i].exporter, exporter) == 0)
			a = &j->keys[i];
	if (a) {
		a->count++;
		j->folded++;
		if (f->sev > a->sev)
			a->sev = f->sev;
		a->last_buf = buf;
		return;
	}
	if (j->nkeys < MAX_KEYS) {
		a = &j->keys[j->nkeys++];
		*a = (struct agg){.rule = f->rule, .sev = f->sev, .used = true, .last_buf = buf};
		snprintf(a->importer, sizeof(a->importer), "%s", importer);
		snprintf(a->exporter, sizeof(a->exporter), "%s", exporter);
	}
	/* The first of its kind in this interval (or the table is full): logged in full. */
	log_entry(j, f->rule, f->sev, buf, importer, exporter, pid, 1, dt_finding_message(f));
}

void dt_journal_tick(struct dt_journal *j, bool flush)
{
	double now = mono_now();
	if (!flush && now - j->window_start < j->interval)
		return;
	for (unsigned i = 0; i < j->nkeys; i++) {
		struct agg *a = &j->keys[i];
		if (!a->count)
			continue;
		char msg[1024];
		snprintf(msg, sizeof(msg), "%llu more %s finding%s for importer %s, exporter %s in the last %.0f s "
			 "(last buffer %" PRIu64 ")", a->count, dt_rule_info[a->rule].id, a->count == 1 ? "" : "s",
			 a->importer[0] ? a->importer : "-", a->exporter[0] ? a->exporter : "-", now - j->window_start,
			 a->last_buf);
		log_entry(j, a->rule, a->sev, a->last_buf, a->importer, a->exporter, 0, a->count, msg);
	}
	j->nkeys = 0;
	j->window_start = now;
}

void dt_journal_counts(const struct dt_journal *j, unsigned long long *entries, unsigned long long *folded)
{
	*entries = j->entries;
	*folded = j->folded;
}

void dt_journal_free(struct dt_journal *j)
{
	if (!j)
		return;
	dt_journal_tick(j, true);
	free(j);
}
