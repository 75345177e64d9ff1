/* SPDX-License-Identifier: Apache-2.0 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/analyse.h"
#include "common/errors.h"
#include "ingest/source.h"

int dt_load_constraints(const char *path, struct dt_constraints **out)
{
	*out = NULL;
	if (!path || strcmp(path, "none") == 0)
		return 0;
	char err[512];
	*out = dt_constraints_load(path, err, sizeof(err));
	if (!*out) {
		dt_err("%s", err);
		return -1;
	}
	return 0;
}

/* The profile for this trace: the one given, else the one recorded in its header. */
static int choose_constraints(const struct dt_analysis *a, const struct dt_source *r, struct dt_constraints **recorded,
			      const struct dt_constraints **use)
{
	const struct dt_header *h = dt_source_header(r);
	if (!h || !h->profile)
		return 0;
	const char *name = h->profile_name.set ? h->profile_name.s : "unnamed";
	if (a->constraints_given) {
		/* The same text as recorded: nothing to tell apart. */
		if (a->constraints && strcmp(dt_constraints_text(a->constraints), h->profile) == 0)
			return 0;
		dt_info("%s: constraints: %s as given, not the profile recorded in the trace (%s)", dt_source_name(r),
		       a->constraints ? dt_constraints_name(a->constraints) : "none", name);
		return 0;
	}
	char label[400], err[512];
	snprintf(label, sizeof(label), "%s: the profile recorded in the header (%s)", dt_source_name(r), name);
	*recorded = dt_constraints_parse(label, h->profile, err, sizeof(err));
	if (!*recorded) {
		dt_err("%s", err);
		return -1;
	}
	*use = *recorded;
	dt_info("%s: constraints: the profile recorded in the trace (%s); --constraints FILE or none overrides it",
	       dt_source_name(r), name);
	return 0;
}

int dt_analyse(struct dt_analysis *a)
{
	char err[512];
	struct dt_source *r = dt_source_open(a->path, a->accept_bufinfo ? DT_SRC_AUTO_OR_BUFINFO : DT_SRC_AUTO, dt_warn_cb, NULL, err,
					     sizeof(err));
	if (!r) {
		dt_err("%s", err);
		return DT_EXIT_INPUT;
	}
	/* The header, and with it the profile the trace was recorded with, is read with the first event. */
	const struct dt_event *ev = NULL;
	int got = dt_source_next(r, &ev);
	if (got == 2) /* a directory of daemon segments: the first segment starts */
		got = dt_source_next(r, &ev);
	struct dt_constraints *recorded = NULL;
	const struct dt_constraints *use = a->constraints;
	if (got >= 0 && choose_constraints(a, r, &recorded, &use) < 0) {
		dt_source_close(r);
		return DT_EXIT_INPUT;
	}
	if (a->keep_profile && use) {
		a->used_profile_name = strdup(dt_constraints_name(use));
		a->used_profile_text = strdup(dt_constraints_text(use));
	}
	struct dt_checker_opts opts = {use, a->on_finding, a->on_event, a->ctx};
	struct dt_checker *c = dt_checker_new(&opts);
	if (!c) {
		dt_constraints_free(recorded);
		dt_source_close(r);
		dt_err("out of memory");
		return DT_EXIT_SYSTEM;
	}
	const struct dt_header *h = dt_source_header(r);
	dt_checker_set_redacted(c, h && h->redacted);
	if (a->on_start)
		a->on_start(a->ctx, dt_checker_engine(c));
	int rc = DT_EXIT_OK;
	if (got > 0) {
		a->seen_event = true;
		a->first_seen_ts = ev->ts;
		if (a->stop_relative) /* resolved against the first event, as the text output counts */
			a->stop_ts = ev->ts + a->stop_ts < ev->ts ? UINT64_MAX : ev->ts + a->stop_ts;
	}
	for (; got > 0; got = dt_source_next(r, &ev)) {
		if (got == 2) {
			/* A daemon segment that does not continue the previous one (a reboot, a restarted daemon,
			 * a segment removed by retention, a new profile): its restated state rebuilds the objects. */
			const struct dt_segdir_boundary *b = dt_source_boundary(r);
			if (b->boot_changed)
				dt_checker_finish(c); /* what was live when that boot's trace ended */
			struct dt_constraints *next = NULL;
			if (!a->constraints_given && b->profile) {
				char label[400];
				snprintf(label, sizeof(label), "%s: the profile recorded in the header (%s)", dt_source_name(r),
					 b->profile_name ? b->profile_name : "unnamed");
				next = dt_constraints_parse(label, b->profile, err, sizeof(err));
				if (!next) {
					dt_err("%s", err);
					rc = DT_EXIT_INPUT;
					break;
				}
			}
			dt_checker_reset(c, a->constraints_given ? a->constraints : next);
			const struct dt_header *sh = dt_source_header(r);
			dt_checker_set_redacted(c, sh && sh->redacted); /* this segment's header says */
			dt_constraints_free(recorded);
			recorded = next;
			continue;
		}
		if (a->stop_set && ev->ts > a->stop_ts) {
			a->stopped = true;
			break;
		}
		if (dt_checker_feed(c, ev) < 0) {
			dt_err("%s:%llu: %s", dt_source_name(r), (unsigned long long)ev->line,
				dt_checker_error(c));
			rc = DT_EXIT_INPUT;
			break;
		}
	}
	if (got < 0) {
		dt_err("%s", dt_source_error(r));
		rc = DT_EXIT_INPUT;
	}
	if (rc == DT_EXIT_OK && a->on_end)
		a->on_end(a->ctx, dt_checker_engine(c));
	/* A segment whose daemon went on: what is live is not left over. */
	if (rc == DT_EXIT_OK && !a->stopped && !dt_source_continues(r))
		dt_checker_finish(c);
	a->stats = dt_checker_stats(c);
	a->truncated = dt_source_truncated(r);
	dt_source_summary(r); /* ftrace input: lines used and unused */
	dt_checker_free(c);
	dt_constraints_free(recorded);
	dt_source_close(r);
	return rc;
}
