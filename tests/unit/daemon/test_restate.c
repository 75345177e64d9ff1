// SPDX-License-Identifier: Apache-2.0
/* Restated state (src/daemon/restate.c): a segment or snapshot that starts at any event of a run, with the
 * run's state restated at its start (written and read back through the trace format), gives the findings
 * the whole run gave from that event on. Every golden and guest trace is cut before every event (a sample
 * of cuts for long ones), once and twice (a restated state restated again, as SIGHUP does). */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "common/read_file.h"
#include "daemon/restate.h"
#include "engine/constraints.h"
#include "ingest/trace_reader.h"
#include "ingest/trace_writer.h"
#include "rules/rules.h"

#define MAX_CUTS 120

struct rec {
	int rule, sev;
	uint64_t buf, att;
	bool incomplete, unverified, provisional;
	char key[1400]; /* dev and message, the message's "+1.234567s" times (relative to the trace's start) cut */
};

struct findings {
	struct rec *v;
	size_t n, cap;
	size_t *at; /* for the whole run: the event index each finding was emitted at (n = at the end) */
	size_t event;
};

static void normalize(char *out, size_t outsz, const char *dev, const char *msg)
{
	size_t o = (size_t)snprintf(out, outsz, "%s|", dev);
	for (const char *p = msg; *p && o + 1 < outsz; p++) {
		if (*p == '+' && p[1] >= '0' && p[1] <= '9') {
			const char *q = p + 1;
			while ((*q >= '0' && *q <= '9') || *q == '.')
				q++;
			if (*q == 's') {
				out[o++] = 'T';
				p = q - 1;
				continue;
			}
		}
		out[o++] = *p;
	}
	out[o] = '\0';
}

static void on_finding(void *ctx, const struct dt_finding *f)
{
	struct findings *fs = ctx;
	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 64;
		fs->v = realloc(fs->v, fs->cap * sizeof(*fs->v));
		fs->at = realloc(fs->at, fs->cap * sizeof(*fs->at));
		assert_non_null(fs->v);
		assert_non_null(fs->at);
	}
	struct rec *r = &fs->v[fs->n];
	memset(r, 0, sizeof(*r));
	r->rule = f->rule;
	r->sev = f->sev;
	r->buf = f->buf ? f->buf->ino : 0;
	r->att = f->att ? f->att->id : 0;
	r->incomplete = f->incomplete;
	r->unverified = f->unverified;
	r->provisional = f->provisional;
	normalize(r->key, sizeof(r->key), f->att && f->att->dev ? f->att->dev : "", dt_finding_message(f));
	const struct dt_first_map *m = f->rule == DT_RULE_LATE_ATTACH && f->buf ? &f->buf->first_map : NULL;
	if (m && m->seen) { /* who mapped first, as JSON's mapper fields show it: restated too */
		const struct dt_caller *w = &m->who;
		size_t o = strlen(r->key);
		o += (size_t)snprintf(r->key + o, sizeof(r->key) - o, "|who %d %s %d %lld", w->known,
				      w->comm ? w->comm : "-", w->has_pid, (long long)w->pid);
		for (unsigned i = 0; i < w->nframes && o < sizeof(r->key); i++)
			o += (size_t)snprintf(r->key + o, sizeof(r->key) - o, " <%s>", w->frames[i]);
	}
	fs->at[fs->n] = fs->event;
	fs->n++;
}

static int rec_cmp(const void *x, const void *y)
{
	const struct rec *a = x, *b = y;
	if (a->rule != b->rule)
		return a->rule - b->rule;
	if (a->buf != b->buf)
		return a->buf < b->buf ? -1 : 1;
	if (a->att != b->att)
		return a->att < b->att ? -1 : 1;
	if (a->sev != b->sev)
		return a->sev - b->sev;
	if (a->incomplete != b->incomplete || a->unverified != b->unverified || a->provisional != b->provisional)
		return (a->incomplete - b->incomplete) * 4 + (a->unverified - b->unverified) * 2 +
		       (a->provisional - b->provisional);
	return strcmp(a->key, b->key);
}

/* One trace's events, copied out of the reader. */
struct trace {
	char name[300];
	struct dt_event *ev;
	size_t n;
	struct dt_constraints *cons;
};

static void copy_event(struct dt_event *dst, const struct dt_event *src)
{
	memcpy(dst, src, sizeof(*dst));
	dst->segs = NULL;
	dst->stack = NULL;
	if (src->nsegs) {
		dst->segs = malloc(src->nsegs * sizeof(*dst->segs));
		assert_non_null(dst->segs);
		memcpy(dst->segs, src->segs, src->nsegs * sizeof(*dst->segs));
	}
	if (src->nstack) {
		dst->stack = malloc(src->nstack * sizeof(*dst->stack));
		assert_non_null(dst->stack);
		memcpy(dst->stack, src->stack, src->nstack * sizeof(*dst->stack));
	}
}

static bool load(struct trace *t, const char *path)
{
	char err[600];
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", path);
	struct dt_reader *r = dt_reader_open(path, NULL, NULL, err, sizeof(err));
	if (!r)
		return false;
	size_t cap = 0;
	const struct dt_event *ev;
	int got;
	while ((got = dt_reader_next(r, &ev)) > 0) {
		if (t->n == cap) {
			cap = cap ? cap * 2 : 64;
			t->ev = realloc(t->ev, cap * sizeof(*t->ev));
			assert_non_null(t->ev);
		}
		copy_event(&t->ev[t->n++], ev);
	}
	/* the profile beside the trace (as the golden suite passes it), else the one recorded in its header */
	char profile[320];
	snprintf(profile, sizeof(profile), "%.*s.profile", (int)(strlen(path) - 6), path);
	size_t len;
	char *text = access(profile, R_OK) == 0 ? dt_read_file(profile, 1 << 20, "profile", &len, err, sizeof(err)) : NULL;
	const char *recorded = dt_reader_header(r)->profile;
	if (text || recorded) {
		t->cons = dt_constraints_parse(profile, text ? text : recorded, err, sizeof(err));
		assert_non_null(t->cons);
	}
	free(text);
	dt_reader_close(r);
	return got == 0 && t->n > 0;
}

static void trace_free(struct trace *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->ev[i].segs);
		free(t->ev[i].stack);
	}
	free(t->ev);
	dt_constraints_free(t->cons);
}

static struct dt_checker *checker(struct trace *t, struct findings *fs)
{
	struct dt_checker_opts o = {t->cons, on_finding, NULL, fs};
	struct dt_checker *c = dt_checker_new(&o);
	assert_non_null(c);
	return c;
}

/* ---- a segment: the restated state as trace text (header + lines), then read back ---- */

struct text {
	char *p;
	size_t n, cap;
	struct dt_writer *fmt;
	uint64_t seq;
};

static void append(struct text *x, const char *s, size_t len)
{
	if (x->n + len + 1 > x->cap) {
		x->cap = (x->n + len + 1) * 2;
		x->p = realloc(x->p, x->cap);
		assert_non_null(x->p);
	}
	memcpy(x->p + x->n, s, len);
	x->n += len;
}

static int write_state(void *ctx, struct dt_event *ev)
{
	struct text *x = ctx;
	const char *line;
	size_t len;
	ev->seq = ++x->seq;
	assert_int_equal(dt_writer_format(x->fmt, ev, &line, &len), 0);
	append(x, line, len);
	return 0;
}

/* A new checker that starts from c's state, as a segment read alone does; *seq: the last seq used. */
static struct dt_checker *segment_from(struct trace *t, struct dt_checker *c, struct findings *fs, uint64_t *seq,
				       int *restated)
{
	static const char header[] = "{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1,\"kernel\":\"x\","
				     "\"clock\":\"boottime\"}\n";
	struct text x = {0};
	x.fmt = dt_writer_new(-1, "restate");
	assert_non_null(x.fmt);
	append(&x, header, sizeof(header) - 1);
	*restated = dt_restate(dt_checker_engine(c), write_state, &x);
	assert_true(*restated >= 0);
	char err[600];
	struct dt_reader *r = dt_reader_open_mem("segment", x.p, x.n, NULL, NULL, err, sizeof(err));
	assert_non_null(r);
	struct dt_checker *s = checker(t, fs);
	const struct dt_event *ev;
	int got, n = 0;
	while ((got = dt_reader_next(r, &ev)) > 0) {
		assert_true(ev->has & DT_HAS_STATE);
		if (dt_checker_feed(s, ev) < 0)
			fail_msg("%s: restated line %d refused: %s", t->name, n + 1, dt_checker_error(s));
		n++;
	}
	if (got < 0)
		fail_msg("%s: restated state unreadable: %s\n%.*s", t->name, dt_reader_error(r), (int)x.n, x.p);
	assert_int_equal(n, *restated);
	dt_reader_close(r);
	dt_writer_free(x.fmt);
	free(x.p);
	*seq = x.seq;
	return s;
}

/* Feeds t's events [from, to) with seqs after *seq (a segment numbers its own lines). */
static void feed_range(struct trace *t, struct dt_checker *c, struct findings *fs, size_t from, size_t to,
		       uint64_t *seq)
{
	for (size_t i = from; i < to; i++) {
		struct dt_event e = t->ev[i];
		e.seq = ++*seq;
		fs->event = i;
		if (dt_checker_feed(c, &e) < 0)
			fail_msg("%s: event %zu refused after the cut: %s", t->name, i, dt_checker_error(c));
	}
	fs->event = t->n;
}

static void same_findings(const struct trace *t, const struct findings *whole, size_t from, struct findings *seg,
			  const char *what, size_t cut)
{
	struct rec *want = malloc((whole->n + 1) * sizeof(*want));
	assert_non_null(want);
	size_t nw = 0;
	for (size_t i = 0; i < whole->n; i++)
		if (whole->at[i] >= from)
			want[nw++] = whole->v[i];
	qsort(want, nw, sizeof(*want), rec_cmp);
	if (seg->n)
		qsort(seg->v, seg->n, sizeof(*seg->v), rec_cmp);
	for (size_t i = 0; i < nw || i < seg->n; i++) {
		if (i < nw && i < seg->n && rec_cmp(&want[i], &seg->v[i]) == 0)
			continue;
		fail_msg("%s cut %s before event %zu: the whole run has %zu findings from there, the segment %zu;\n"
			 "  first difference: whole %s\n                    segment %s", t->name, what, cut, nw, seg->n,
			 i < nw ? want[i].key : "(none)", i < seg->n ? seg->v[i].key : "(none)");
	}
	free(want);
}

static void free_findings(struct findings *f)
{
	free(f->v);
	free(f->at);
	memset(f, 0, sizeof(*f));
}

static int cuts_checked;

static void check_trace(const char *path)
{
	struct trace t;
	if (!load(&t, path)) {
		trace_free(&t);
		return; /* not a whole trace of events (a cut or header-only one): nothing to cut */
	}
	struct findings whole = {0};
	struct dt_checker *w = checker(&t, &whole);
	for (size_t i = 0; i < t.n; i++) {
		whole.event = i;
		if (dt_checker_feed(w, &t.ev[i]) < 0)
			fail_msg("%s: event %zu refused: %s", path, i, dt_checker_error(w));
	}
	whole.event = t.n;
	dt_checker_finish(w);

	/* the run again, cut before every event (or MAX_CUTS of them) */
	struct findings ignored = {0};
	struct dt_checker *run = checker(&t, &ignored);
	size_t step = t.n > MAX_CUTS ? t.n / MAX_CUTS : 1;
	for (size_t k = 0; k <= t.n; k++) {
		if (k % step == 0 || k == t.n) {
			struct findings seg = {0};
			uint64_t seq;
			int restated;
			struct dt_checker *s = segment_from(&t, run, &seg, &seq, &restated);
			size_t k2 = k + (t.n - k) / 2;
			feed_range(&t, s, &seg, k, k2, &seq);
			/* a second cut in the middle of the rest: the restated state restated again */
			struct findings seg2 = {0};
			uint64_t seq2;
			int restated2;
			struct dt_checker *s2 = segment_from(&t, s, &seg2, &seq2, &restated2);
			uint64_t seq_copy = seq;
			feed_range(&t, s, &seg, k2, t.n, &seq_copy);
			dt_checker_finish(s);
			feed_range(&t, s2, &seg2, k2, t.n, &seq2);
			dt_checker_finish(s2);
			same_findings(&t, &whole, k, &seg, "once", k);
			same_findings(&t, &whole, k2, &seg2, "twice", k2);
			dt_checker_free(s);
			dt_checker_free(s2);
			free_findings(&seg);
			free_findings(&seg2);
			cuts_checked++;
		}
		if (k < t.n && dt_checker_feed(run, &t.ev[k]) < 0)
			fail_msg("%s: event %zu refused: %s", path, k, dt_checker_error(run));
	}
	dt_checker_free(run);
	dt_checker_free(w);
	free_findings(&whole);
	free_findings(&ignored);
	trace_free(&t);
}

static void check_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		if (len > 6 && strcmp(de->d_name + len - 6, ".jsonl") == 0) {
			char path[600];
			snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
			check_trace(path);
		}
	}
	closedir(d);
}

static void every_cut_of_every_trace(void **state)
{
	(void)state;
	cuts_checked = 0;
	check_dir("tests/traces");
	check_dir("tests/traces/real");
	check_dir("tests/traces/ftrace/6.1");
	check_dir("tests/traces/ftrace/6.12");
	assert_true(cuts_checked > 100); /* the traces were found (run from the top of the tree) */
	print_message("%d cuts checked\n", cuts_checked);
}

/* The boundary the issue names, spelled out: the first map (by virtio-gpu) ended before the cut, vivid.0
 * attaches after it. And the memory of "once per device": a device attached at the first map re-attaching,
 * and a late device re-attaching, after the cut, are not late again. */
static const char boundary_trace[] =
	"{\"type\":\"header\",\"format\":\"dmabuf-trace\",\"version\":1,\"kernel\":\"x\",\"clock\":\"boottime\"}\n"
	"{\"type\":\"export\",\"ts\":1000,\"seq\":1,\"buf\":7,\"size\":4194304,\"exporter\":\"system\"}\n"
	"{\"type\":\"attach\",\"ts\":2000,\"seq\":2,\"buf\":7,\"att\":1,\"dev\":\"gpu\",\"max_seg_size\":4294967295}\n"
	"{\"type\":\"attach\",\"ts\":2500,\"seq\":3,\"buf\":7,\"att\":2,\"dev\":\"isp\",\"max_seg_size\":4294967295}\n"
	"{\"type\":\"map\",\"ts\":3000,\"seq\":4,\"buf\":7,\"att\":1,\"nents\":2,\"segs\":[[1048576,1048576],[8388608,1048576]]}\n"
	"{\"type\":\"attach\",\"ts\":3500,\"seq\":5,\"buf\":7,\"att\":3,\"dev\":\"enc\",\"max_seg_size\":65536}\n"
	"{\"type\":\"unmap\",\"ts\":4000,\"seq\":6,\"buf\":7,\"att\":1}\n"
	"{\"type\":\"detach\",\"ts\":4500,\"seq\":7,\"buf\":7,\"att\":1}\n"
	"{\"type\":\"detach\",\"ts\":4600,\"seq\":8,\"buf\":7,\"att\":2}\n"
	"{\"type\":\"detach\",\"ts\":4700,\"seq\":9,\"buf\":7,\"att\":3}\n"
	/* the cut: nothing is attached or mapped any more */
	"{\"type\":\"attach\",\"ts\":5000,\"seq\":10,\"buf\":7,\"att\":4,\"dev\":\"vivid.0\",\"max_seg_size\":65536}\n"
	"{\"type\":\"attach\",\"ts\":5100,\"seq\":11,\"buf\":7,\"att\":5,\"dev\":\"isp\",\"max_seg_size\":4294967295}\n"
	"{\"type\":\"attach\",\"ts\":5200,\"seq\":12,\"buf\":7,\"att\":6,\"dev\":\"enc\",\"max_seg_size\":65536}\n";

static void write_boundary_trace(char *path)
{
	int fd = mkstemps(path, 6);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, boundary_trace, sizeof(boundary_trace) - 1), (ssize_t)(sizeof(boundary_trace) - 1));
	close(fd);
}

static void late_attach_after_an_ended_first_map(void **state)
{
	(void)state;
	char path[] = "/tmp/test_restate.XXXXXX.jsonl";
	write_boundary_trace(path);
	struct trace t;
	assert_true(load(&t, path));
	unlink(path);
	assert_int_equal(t.n, 12);
	/* the run up to the cut (9 events), then the segment alone */
	struct findings before = {0}, seg = {0};
	struct dt_checker *run = checker(&t, &before);
	for (size_t i = 0; i < 9; i++)
		assert_int_equal(dt_checker_feed(run, &t.ev[i]), 0);
	assert_int_equal(before.n, 1); /* enc attached late while gpu's mapping lived: 1 MiB > its 64 KiB */
	assert_int_equal(before.v[0].rule, DT_RULE_LATE_ATTACH);
	uint64_t seq;
	int restated;
	struct dt_checker *s = segment_from(&t, run, &seg, &seq, &restated);
	/* export, first-map (ended), placed gpu and isp, late enc, the three detached attachments (gpu, isp, enc: an
	 * event naming one later is a use after free), the layout: nothing live but the buffer */
	assert_int_equal(restated, 9);
	feed_range(&t, s, &seg, 9, t.n, &seq);
	dt_checker_finish(s);
	size_t late = 0;
	for (size_t i = 0; i < seg.n; i++) {
		if (seg.v[i].rule != DT_RULE_LATE_ATTACH)
			continue;
		late++;
		assert_int_equal(seg.v[i].sev, DT_SEV_ERROR);
		assert_non_null(strstr(seg.v[i].key, "vivid.0|"));
		if (!strstr(seg.v[i].key, "after gpu mapped at Ts and unmapped at Ts"))
			fail_msg("%s", seg.v[i].key);
	}
	assert_int_equal(late, 1);
	dt_checker_free(s);
	dt_checker_free(run);
	free_findings(&before);
	free_findings(&seg);
	trace_free(&t);
}

static void every_cut_of_the_boundary_trace(void **state)
{
	(void)state;
	char path[] = "/tmp/test_restate.XXXXXX.jsonl";
	write_boundary_trace(path);
	cuts_checked = 0;
	check_trace(path);
	unlink(path);
	assert_int_equal(cuts_checked, 13);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(late_attach_after_an_ended_first_map),
		cmocka_unit_test(every_cut_of_the_boundary_trace),
		cmocka_unit_test(every_cut_of_every_trace),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
