#include <stdio.h>

#include "rules/analyse.h"
#include "common/errors.h"
#include "ingest/source.h"

static void print_warning(void *ctx, const char *msg)
{
	dt_warn("%s", msg);
}

int dt_load_constraints(const char *path, struct dt_constraints **out)
{
	*out = NULL;
	if (!path)
		return 0;
	char err[512];
	*out = dt_constraints_load(path, err, sizeof(err));
	if (!*out) {
		dt_err("%s", err);
		return -1;
	}
	return 0;
}

int dt_analyse(struct dt_analysis *a)
{
	char err[512];
	struct dt_source *r = dt_source_open(a->path, DT_SRC_AUTO, print_warning, NULL, err, sizeof(err));
	if (!r) {
		dt_err("%s", err);
		return DT_EXIT_INPUT;
	}
	struct dt_engine_opts opts = {a->constraints, a->on_finding, a->on_event, a->ctx};
	struct dt_engine *e = dt_engine_new(&opts);
	if (!e) {
		dt_source_close(r);
		dt_err("out of memory");
		return DT_EXIT_SYSTEM;
	}
	if (a->on_start)
		a->on_start(a->ctx, e);
	int rc = DT_EXIT_OK, got;
	const struct dt_event *ev;
	struct dt_constraints *from_header = NULL; /* the segment's own profile, when none was given */
	bool fed = false;
	while ((got = dt_source_next(r, &ev)) > 0) {
		if (got == 2) {
			/* A daemon segment that does not continue the previous one. */
			const struct dt_segdir_boundary *b = dt_source_boundary(r);
			if (b->boot_changed && fed)
				dt_engine_finish(e); /* what was live when that boot's trace ended */
			struct dt_constraints *old = from_header, *next = NULL;
			if (!a->constraints && b->profile) {
				next = dt_constraints_parse(b->profile_name ? b->profile_name : "profile in the segment header",
							    b->profile, err, sizeof(err));
				if (!next) {
					dt_err("%s: %s", dt_source_name(r), err);
					rc = DT_EXIT_INPUT;
					break;
				}
			}
			dt_engine_reset(e, a->constraints ? a->constraints : next);
			from_header = next;
			dt_constraints_free(old);
			continue;
		}
		fed = true;
		if (a->stop_set && ev->ts > a->stop_ts) {
			a->stopped = true;
			break;
		}
		if (dt_engine_feed(e, ev) < 0) {
			dt_err("%s:%llu: %s", dt_source_name(r), (unsigned long long)ev->line,
				dt_engine_error(e));
			rc = DT_EXIT_INPUT;
			break;
		}
	}
	if (got < 0) {
		dt_err("%s", dt_source_error(r));
		rc = DT_EXIT_INPUT;
	}
	if (rc == DT_EXIT_OK && a->on_end)
		a->on_end(a->ctx, e);
	/* A segment whose daemon went on: what is live is not left over. */
	if (rc == DT_EXIT_OK && !a->stopped && !dt_source_continues(r))
		dt_engine_finish(e);
	a->stats = *dt_engine_stats(e);
	a->truncated = dt_source_truncated(r);
	dt_source_summary(r, stderr); /* ftrace input: lines used and unused */
	dt_engine_free(e);
	dt_constraints_free(from_header);
	dt_source_close(r);
	return rc;
}
