#include <stdio.h>

#include "rules/analyse.h"
#include "common/errors.h"
#include "ingest/source.h"

enum dt_status dt_load_constraints(const char *path, struct dt_constraints **out)
{
	*out = NULL;
	if (!path)
		return DT_OK;
	char err[512];
	*out = dt_constraints_load(path, err, sizeof(err));
	if (!*out) {
		dt_err("%s", err);
		return DT_ERR_INPUT;
	}
	return DT_OK;
}

enum dt_status dt_analyse(struct dt_analysis *a)
{
	char err[512];
	struct dt_source *r = dt_source_open(a->path, a->accept_bufinfo ? DT_SRC_AUTO_OR_BUFINFO : DT_SRC_AUTO, dt_warn_cb, NULL, err, sizeof(err));
	if (!r) {
		dt_err("%s", err);
		return DT_ERR_INPUT;
	}
	struct dt_engine_opts opts = {a->constraints, a->on_finding, a->on_event, a->ctx};
	struct dt_engine *e = dt_engine_new(&opts);
	if (!e) {
		dt_source_close(r);
		dt_err("out of memory");
		return DT_ERR_SYSTEM;
	}
	if (a->on_start)
		a->on_start(a->ctx, e);
	enum dt_status rc = DT_OK;
	int got;
	const struct dt_event *ev;
	bool first = true;
	while ((got = dt_source_next(r, &ev)) > 0) {
		if (first) {
			a->seen_event = true;
			a->first_seen_ts = ev->ts;
			if (a->stop_relative) /* resolved against the first event, as the text output counts */
				a->stop_ts = ev->ts + a->stop_ts < ev->ts ? UINT64_MAX : ev->ts + a->stop_ts;
		}
		first = false;
		if (a->stop_set && ev->ts > a->stop_ts) {
			a->stopped = true;
			break;
		}
		if (dt_engine_feed(e, ev) < 0) {
			dt_err("%s:%llu: %s", dt_source_name(r), (unsigned long long)ev->line, dt_engine_error(e));
			rc = DT_ERR_INPUT;
			break;
		}
	}
	if (got < 0) {
		dt_err("%s", dt_source_error(r));
		rc = DT_ERR_INPUT;
	}
	if (rc == DT_OK && a->on_end)
		a->on_end(a->ctx, e);
	if (rc == DT_OK && !a->stopped)
		dt_engine_finish(e);
	a->stats = *dt_engine_stats(e);
	a->truncated = dt_source_truncated(r);
	dt_source_summary(r); /* ftrace input: lines used and unused */
	dt_engine_free(e);
	dt_source_close(r);
	return rc;
}
