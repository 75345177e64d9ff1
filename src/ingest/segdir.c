// SPDX-License-Identifier: Apache-2.0
/* See segdir.h. */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/segdir.h"
#include "ingest/segment_open.h"

struct dt_segdir {
	char *dir;
	char **files; /* sorted by segment number */
	size_t nfiles, next_file;
	struct dt_reader *cur;
	char *cur_name;
	dt_warn_fn warn;
	void *warn_ctx;

	/* what the previous segment said */
	bool have_prev;
	char prev_boot[DT_STR_MAX];
	bool prev_continues;
	unsigned long long prev_segment;
	unsigned long long prev_last_ts;
	char *prev_profile;
	struct dt_event gap; /* segments missing between two of one boot: their events are lost */
	bool gap_pending;

	bool skipping_state; /* continuing segment: its restated state is already held */
	const struct dt_event *pending; /* first event of a segment, held behind a boundary */
	struct dt_segdir_boundary boundary;
	char *boundary_profile, *boundary_profile_name;
	int truncated;
	char err[600];
};

bool dt_segment_name_parse(const char *name, unsigned long long *number)
{
	if (strncmp(name, "seg-", 4) != 0)
		return false;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(name + 4, &end, 10);
	if (errno || end == name + 4 || end - (name + 4) != 8)
		return false;
	if (strcmp(end, ".jsonl") != 0 && strcmp(end, ".jsonl.zst") != 0)
		return false;
	*number = n;
	return true;
}

static int by_number(const void *x, const void *y)
{
	unsigned long long a = 0, b = 0;
	dt_segment_name_parse(strrchr(*(char *const *)x, '/') + 1, &a);
	dt_segment_name_parse(strrchr(*(char *const *)y, '/') + 1, &b);
	/* one number twice (plain and .zst): by name, so the order does not depend on readdir's */
	return a < b ? -1 : a > b ? 1 : strcmp(*(char *const *)x, *(char *const *)y);
}

struct dt_segdir *dt_segdir_open(const char *dir, dt_warn_fn warn, void *warn_ctx, char *err, size_t errlen)
{
	DIR *dh = opendir(dir);
	if (!dh) {
		snprintf(err, errlen, "%s: cannot open the directory: %s", dir, strerror(errno));
		return NULL;
	}
	struct dt_segdir *d = calloc(1, sizeof(*d));
	if (!d)
		goto oom;
	d->dir = strdup(dir);
	d->warn = warn;
	d->warn_ctx = warn_ctx;
	size_t cap = 0;
	struct dirent *de;
	while ((de = readdir(dh))) {
		unsigned long long n;
		if (!dt_segment_name_parse(de->d_name, &n))
			continue;
		if (d->nfiles == cap) {
			cap = cap ? cap * 2 : 64;
			char **nf = realloc(d->files, cap * sizeof(*nf));
			if (!nf)
				goto oom;
			d->files = nf;
		}
		size_t len = strlen(dir) + strlen(de->d_name) + 2;
		d->files[d->nfiles] = malloc(len);
		if (!d->files[d->nfiles])
			goto oom;
		snprintf(d->files[d->nfiles], len, "%s/%s", dir, de->d_name);
		d->nfiles++;
	}
	closedir(dh);
	dh = NULL;
	if (!d->nfiles) {
		snprintf(err, errlen, "%s: no daemon segments (seg-NNNNNNNN.jsonl[.zst]) in this directory", dir);
		dt_segdir_close(d);
		return NULL;
	}
	qsort(d->files, d->nfiles, sizeof(*d->files), by_number);
	/* seg-N.jsonl and seg-N.jsonl.zst both present: the daemon was stopped while compressing; the
	 * plain file is complete and the .zst may not be. */
	size_t w = 0;
	for (size_t i = 0; i < d->nfiles; i++) {
		unsigned long long a = 0, b = 0;
		if (w) {
			dt_segment_name_parse(strrchr(d->files[w - 1], '/') + 1, &a);
			dt_segment_name_parse(strrchr(d->files[i], '/') + 1, &b);
		}
		if (w && a == b) {
			const char *prev_name = strrchr(d->files[w - 1], '/') + 1; /* not the directory's name */
			char *keep = strstr(prev_name, ".zst") ? d->files[i] : d->files[w - 1];
			char *drop = keep == d->files[i] ? d->files[w - 1] : d->files[i];
			free(drop);
			d->files[w - 1] = keep;
			continue;
		}
		d->files[w++] = d->files[i];
	}
	d->nfiles = w;
	return d;
oom:
	if (dh)
		closedir(dh);
	dt_segdir_close(d);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

static void set_boundary(struct dt_segdir *d, const struct dt_header *h, bool boot_changed)
{
	free(d->boundary_profile);
	free(d->boundary_profile_name);
	d->boundary_profile = h->profile ? strdup(h->profile) : NULL;
	d->boundary_profile_name = h->profile_name.set ? strdup(h->profile_name.s) : NULL;
	d->boundary.boot_changed = boot_changed;
	d->boundary.profile = d->boundary_profile;
	d->boundary.profile_name = d->boundary_profile_name;
}

/* Segments numbered between the previous one and this are not in the directory (the daemon numbers them
 * one by one and its retention removes the oldest only): said once, and within one boot a lost event of
 * an unknown number (cause gap) marks what follows as incomplete. */
static void note_missing(struct dt_segdir *d, const char *path, unsigned long long number, bool same_boot)
{
	if (d->warn) {
		char range[64], msg[700];
		unsigned long long first = d->prev_segment + 1, last = number - 1;
		if (first == last)
			snprintf(range, sizeof(range), "segment %08llu is", first);
		else
			snprintf(range, sizeof(range), "segments %08llu to %08llu are", first, last);
		snprintf(msg, sizeof(msg), "%s: %s missing before it: %s", path, range,
			 same_boot ? "their events are lost, and findings after them may be incomplete"
				   : "the boot changed, so nothing carries over");
		d->warn(d->warn_ctx, msg);
	}
	if (!same_boot)
		return;
	dt_event_clear(&d->gap);
	d->gap.type = DT_EV_LOST;
	d->gap.has = DT_HAS_TS | DT_HAS_COUNT | DT_HAS_SINCE;
	d->gap.ts = d->prev_last_ts;
	d->gap.since = d->prev_last_ts;
	d->gap.cause = DT_LOST_GAP;
	d->gap_pending = true;
}

/* Opens the next segment and reads up to its first event. 1: ready (maybe with a boundary), 0: no more, -1. */
static int open_next(struct dt_segdir *d, bool *boundary)
{
	*boundary = false;
	for (;;) {
		if (d->next_file >= d->nfiles)
			return 0;
		const char *path = d->files[d->next_file++];
		char err[512];
		d->cur = dt_segment_open(path, d->warn, d->warn_ctx, err, sizeof(err));
		if (!d->cur) {
			snprintf(d->err, sizeof(d->err), "%s", err);
			return -1;
		}
		free(d->cur_name);
		d->cur_name = strdup(path);
		const struct dt_event *ev = NULL;
		int r = dt_reader_next(d->cur, &ev);
		if (r < 0) {
			snprintf(d->err, sizeof(d->err), "%s", dt_reader_error(d->cur));
			return -1;
		}
		const struct dt_header *h = dt_reader_header(d->cur);
		bool same_boot = d->have_prev && h->boot_id.set && strcmp(d->prev_boot, h->boot_id.s) == 0;
		bool same_profile = (!d->prev_profile && !h->profile) ||
				    (d->prev_profile && h->profile && strcmp(d->prev_profile, h->profile) == 0);
		bool continuous = same_boot && same_profile && d->prev_continues && h->has_segment &&
				  h->segment == d->prev_segment + 1;
		if (!continuous) {
			*boundary = true;
			set_boundary(d, h, !same_boot);
		}
		if (d->have_prev && h->has_segment && d->prev_segment && h->segment > d->prev_segment + 1)
			note_missing(d, path, h->segment, same_boot);
		d->skipping_state = continuous;
		d->have_prev = true;
		snprintf(d->prev_boot, sizeof(d->prev_boot), "%s", h->boot_id.set ? h->boot_id.s : "");
		d->prev_segment = h->has_segment ? h->segment : 0;
		free(d->prev_profile);
		d->prev_profile = h->profile ? strdup(h->profile) : NULL;
		if (r == 0) {
			/* an empty segment (header only): its end line still tells whether the next continues */
			d->prev_continues = dt_reader_continues(d->cur);
			d->truncated += dt_reader_truncated(d->cur);
			d->prev_last_ts = dt_reader_last_ts(d->cur);
			if (*boundary) {
				d->pending = NULL;
				return 1;
			}
			dt_reader_close(d->cur);
			d->cur = NULL;
			continue;
		}
		d->pending = ev;
		return 1;
	}
}

int dt_segdir_next(struct dt_segdir *d, const struct dt_event **ev)
{
	for (;;) {
		if (d->gap_pending) {
			d->gap_pending = false;
			*ev = &d->gap;
			return 1;
		}
		if (d->pending) {
			*ev = d->pending;
			d->pending = NULL;
		} else if (d->cur) {
			int r = dt_reader_next(d->cur, ev);
			if (r < 0) {
				snprintf(d->err, sizeof(d->err), "%s", dt_reader_error(d->cur));
				return -1;
			}
			if (r == 0) {
				d->prev_continues = dt_reader_continues(d->cur);
				d->truncated += dt_reader_truncated(d->cur);
				d->prev_last_ts = dt_reader_last_ts(d->cur);
				dt_reader_close(d->cur);
				d->cur = NULL;
				continue;
			}
		} else {
			bool boundary;
			int r = open_next(d, &boundary);
			if (r <= 0)
				return r;
			if (boundary)
				return 2;
			continue;
		}
		if ((*ev)->has & DT_HAS_STATE) {
			if (d->skipping_state)
				continue;
		} else {
			d->skipping_state = false;
		}
		return 1;
	}
}

const struct dt_segdir_boundary *dt_segdir_boundary(const struct dt_segdir *d) { return &d->boundary; }
const char *dt_segdir_error(const struct dt_segdir *d) { return d->err; }
const char *dt_segdir_name(const struct dt_segdir *d) { return d->cur_name ? d->cur_name : d->dir; }
int dt_segdir_truncated(const struct dt_segdir *d) { return d->truncated + (d->cur ? dt_reader_truncated(d->cur) : 0); }
bool dt_segdir_continues(const struct dt_segdir *d) { return d->prev_continues; }

const struct dt_header *dt_segdir_header(const struct dt_segdir *d)
{
	return d->cur ? dt_reader_header(d->cur) : NULL;
}

const char *dt_segdir_kernel(const struct dt_segdir *d)
{
	if (!d->cur)
		return NULL;
	const struct dt_header *h = dt_reader_header(d->cur);
	return h->kernel.set ? h->kernel.s : NULL;
}

void dt_segdir_close(struct dt_segdir *d)
{
	if (!d)
		return;
	dt_reader_close(d->cur);
	for (size_t i = 0; i < d->nfiles; i++)
		free(d->files[i]);
	free(d->files);
	free(d->dir);
	free(d->cur_name);
	free(d->prev_profile);
	free(d->boundary_profile);
	free(d->boundary_profile_name);
	free(d);
}
