// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace state --live: the machine's live dma-bufs now. From the daemon (exporter, size, name,
 * attachments and whether each is mapped), else from debugfs bufinfo, else (no debugfs) from the BPF dmabuf
 * iterator (6.16+) (both: attachments without map state);
 * either way with the processes holding each buffer (fds and mmaps, /proc), and how many processes
 * could not be read. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yajl/yajl_gen.h>
#include <yajl/yajl_tree.h>

#include "cli/commands.h"
#include "common/errors.h"
#include "common/escape.h"
#include "common/json_gen.h"
#include "common/units.h"
#include "daemon/control.h"
#include "daemon/holders.h"
#include "daemon/holders_json.h"
#include "daemon/proto.h"
#include "capture/capture.h"
#include "ingest/bufinfo.h"

struct live_att {
	char dev[DT_STR_MAX], driver[DT_STR_MAX];
	bool has_driver;
	int mapped; /* 1, 0, -1 unknown (bufinfo) */
};

struct live_buf {
	uint64_t ino, size;
	char exporter[DT_STR_MAX], name[DT_STR_MAX];
	bool has_name;
	struct live_att *atts;
	size_t natts;
};

struct live {
	struct live_buf *v;
	size_t n, cap;
	const char *source; /* "daemon", "bufinfo" or "iterator" (the dmabuf iterator) */
	bool oom;
	bool daemon_holders;  /* the daemon read /proc (with its capabilities): h holds its reply's */
	struct dt_holders h;
};

static const char *str_at(yajl_val o, const char *k);
static uint64_t u64_at(yajl_val o, const char *k);

static void add_holder(struct live *l, uint64_t ino, yajl_val o)
{
	struct dt_holders *h = &l->h;
	if (h->n == h->cap) {
		size_t ncap = h->cap ? h->cap * 2 : 32;
		struct dt_holder *nv = realloc(h->v, ncap * sizeof(*nv));
		if (!nv) {
			l->oom = true;
			return;
		}
		h->v = nv;
		h->cap = ncap;
	}
	struct dt_holder *x = &h->v[h->n++];
	memset(x, 0, sizeof(*x));
	x->ino = ino;
	x->pid = (int)u64_at(o, "pid");
	const char *comm = str_at(o, "comm");
	snprintf(x->comm, sizeof(x->comm), "%s", comm ? comm : "?");
	x->fds = (unsigned)u64_at(o, "fds");
	x->maps = (unsigned)u64_at(o, "mmaps");
}

static struct live_buf *add_buf(struct live *l)
{
	if (l->n == l->cap) {
		size_t ncap = l->cap ? l->cap * 2 : 32;
		struct live_buf *nv = realloc(l->v, ncap * sizeof(*nv));
		if (!nv) {
			l->oom = true;
			return NULL;
		}
		l->v = nv;
		l->cap = ncap;
	}
	struct live_buf *b = &l->v[l->n++];
	memset(b, 0, sizeof(*b));
	return b;
}

static struct live_att *add_att(struct live *l, struct live_buf *b)
{
	struct live_att *na = realloc(b->atts, (b->natts + 1) * sizeof(*na));
	if (!na) {
		l->oom = true;
		return NULL;
	}
	b->atts = na;
	memset(&na[b->natts], 0, sizeof(*na));
	return &na[b->natts++];
}

static const char *str_at(yajl_val o, const char *k)
{
	const char *p[] = {k, NULL};
	yajl_val v = yajl_tree_get(o, p, yajl_t_string);
	return v ? YAJL_GET_STRING(v) : NULL;
}

static uint64_t u64_at(yajl_val o, const char *k)
{
	const char *p[] = {k, NULL};
	yajl_val v = yajl_tree_get(o, p, yajl_t_number);
	return v && YAJL_IS_INTEGER(v) && YAJL_GET_INTEGER(v) >= 0 ? (uint64_t)YAJL_GET_INTEGER(v) : 0;
}

/* 0 read from the daemon, -1 no daemon (quietly), -2 the daemon answered badly (said). */
static int from_daemon(struct live *l, const char *socket_path)
{
	char err[600], req[64];
	snprintf(req, sizeof(req), "{\"version\":%d,\"cmd\":\"state\"}\n", DT_PROTO_VERSION);
	FILE *f = dt_control_request(socket_path ? socket_path : DT_DEFAULT_SOCKET, req, err, sizeof(err));
	if (!f) {
		if (socket_path) /* asked for this daemon: say why it is not used */
			dt_warn("%s; reading debugfs bufinfo (else the dmabuf iterator) instead", err);
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n = getline(&line, &cap, f);
	fclose(f);
	char perr[256];
	yajl_val root = n > 0 ? yajl_tree_parse(line, perr, sizeof(perr)) : NULL;
	free(line);
	const char *bp[] = {"buffers", NULL}, *okp[] = {"ok", NULL};
	yajl_val ok = root ? yajl_tree_get(root, okp, yajl_t_any) : NULL;
	yajl_val bufs = root ? yajl_tree_get(root, bp, yajl_t_array) : NULL;
	if (!ok || !YAJL_IS_TRUE(ok) || !bufs) {
		dt_err("the daemon's state reply is not valid");
		yajl_tree_free(root);
		return -2;
	}
	l->source = "daemon";
	const char *rp[] = {"processes_read", NULL};
	l->daemon_holders = yajl_tree_get(root, rp, yajl_t_number) != NULL; /* older daemons: read here */
	if (l->daemon_holders) {
		l->h.unreadable = (unsigned)u64_at(root, "processes_unreadable");
		l->h.scanned = (unsigned)u64_at(root, "processes_read") + l->h.unreadable;
	}
	for (size_t i = 0; i < bufs->u.array.len; i++) {
		yajl_val o = bufs->u.array.values[i];
		struct live_buf *b = add_buf(l);
		if (!b)
			break;
		b->ino = u64_at(o, "buf");
		b->size = u64_at(o, "size");
		const char *e = str_at(o, "exporter"), *nm = str_at(o, "name");
		snprintf(b->exporter, sizeof(b->exporter), "%s", e ? e : "?");
		if (nm) {
			snprintf(b->name, sizeof(b->name), "%s", nm);
			b->has_name = true;
		}
		const char *ap[] = {"attachments", NULL};
		yajl_val atts = yajl_tree_get(o, ap, yajl_t_array);
		for (size_t j = 0; atts && j < atts->u.array.len; j++) {
			yajl_val ao = atts->u.array.values[j];
			struct live_att *a = add_att(l, b);
			if (!a)
				break;
			const char *dev = str_at(ao, "dev"), *drv = str_at(ao, "driver");
			snprintf(a->dev, sizeof(a->dev), "%s", dev ? dev : "?");
			if (drv) {
				snprintf(a->driver, sizeof(a->driver), "%s", drv);
				a->has_driver = true;
			}
			const char *mp[] = {"mapped", NULL};
			yajl_val m = yajl_tree_get(ao, mp, yajl_t_any);
			a->mapped = m && YAJL_IS_TRUE(m) ? 1 : 0;
		}
		const char *hp[] = {"holders", NULL};
		yajl_val hs = l->daemon_holders ? yajl_tree_get(o, hp, yajl_t_array) : NULL;
		for (size_t j = 0; hs && j < hs->u.array.len; j++)
			add_holder(l, b->ino, hs->u.array.values[j]);
	}
	yajl_tree_free(root);
	return 0;
}

static int bufinfo_event(void *ctx, const struct dt_event *ev)
{
	struct live *l = ctx;
	if (ev->type == DT_EV_EXPORT) {
		struct live_buf *b = add_buf(l);
		if (!b)
			return -1;
		b->ino = ev->buf;
		b->size = ev->size;
		snprintf(b->exporter, sizeof(b->exporter), "%s", ev->exporter.s);
		if (ev->name.set) {
			snprintf(b->name, sizeof(b->name), "%s", ev->name.s);
			b->has_name = true;
		}
	} else if (ev->type == DT_EV_ATTACH && l->n) {
		struct live_att *a = add_att(l, &l->v[l->n - 1]);
		if (!a)
			return -1;
		snprintf(a->dev, sizeof(a->dev), "%s", ev->dev.s);
		a->mapped = -1;
	}
	return 0;
}

/* 0 read, 1 not readable (why in why: the iterator is tried next), -1 failed (said). */
static int from_bufinfo(struct live *l, const char *path, char *why, size_t whylen)
{
	const char *used;
	bool failed;
	FILE *f = dt_bufinfo_open(path, &used, &failed);
	if (!f) {
		if (failed)
			return -1;
		snprintf(why, whylen, "%s cannot be read (debugfs mounted? root?)", used);
		return 1;
	}
	char err[600];
	l->source = "bufinfo";
	int n = dt_bufinfo_parse(f, used, 0, bufinfo_event, l, err, sizeof(err));
	fclose(f);
	if (n < 0) {
		dt_err("%s", err);
		return -1;
	}
	return 0;
}

/* Without debugfs: the BPF dmabuf iterator (6.16+), loaded alone, gives the same buffers and attached
 * devices as bufinfo. 0, or -1 (said, with why bufinfo could not be used either). */
static int from_iterator(struct live *l, const char *bufinfo_why)
{
	char err[256];
	struct dt_capture *cap;
	void *buf = NULL;
	size_t len = 0;
	struct dt_seed_counts n;
	if (dt_capture_open_iter_only(&cap, err, sizeof(err)) < 0 ||
	    dt_capture_dmabuf_iter_read(cap, &buf, &len, err, sizeof(err)) < 0) {
		dt_capture_close(cap);
		dt_err("no daemon answers, %s and %s", bufinfo_why, err);
		return -1;
	}
	dt_capture_close(cap);
	l->source = "iterator";
	int r = dt_capture_dmabuf_iter_seed(buf, len, 0, bufinfo_event, l, &n, err, sizeof(err));
	free(buf);
	if (r < 0) {
		dt_err("%s", err);
		return -1;
	}
	if (n.cut_buffers)
		dt_warn("the dmabuf iterator lists at most %d attachments of a buffer: %u buffers have more", DT_SEED_ATTS_MAX,
			n.cut_buffers);
	return 0;
}

static void esc(char *out, size_t outsz, const char *s)
{
	dt_escape_text(out, outsz, s, strlen(s));
}

static void print_text(const struct live *l, const struct dt_holders *h)
{
	char e1[DT_STR_MAX * 4 + 4], e2[DT_STR_MAX * 4 + 4], sz[32];
	for (size_t i = 0; i < l->n; i++) {
		const struct live_buf *b = &l->v[i];
		esc(e1, sizeof(e1), b->exporter);
		printf("buf %" PRIu64 " (%s, %s", b->ino, e1, dt_fmt_size(sz, sizeof(sz), b->size));
		if (b->has_name) {
			esc(e2, sizeof(e2), b->name);
			printf(", \"%s\"", e2);
		}
		printf(")\n");
		for (size_t j = 0; j < b->natts; j++) {
			const struct live_att *a = &b->atts[j];
			esc(e1, sizeof(e1), a->dev);
			esc(e2, sizeof(e2), a->has_driver ? a->driver : "");
			printf("  attached %s%s%s%s: %s\n", e1, a->has_driver ? " [" : "", e2, a->has_driver ? "]" : "",
			       a->mapped < 0 ? "map state unknown (no daemon)" : a->mapped ? "mapped" : "not mapped");
		}
		for (size_t k = 0; k < h->n; k++) {
			if (h->v[k].ino != b->ino)
				continue;
			esc(e1, sizeof(e1), h->v[k].comm);
			printf("  held by %s[%d]: %u fd%s, %u mmap%s\n", e1, h->v[k].pid, h->v[k].fds,
			       h->v[k].fds == 1 ? "" : "s", h->v[k].maps, h->v[k].maps == 1 ? "" : "s");
		}
	}
	printf("%zu buffers (from the %s); holders from /proc (read by the %s): %u processes read, %u could not be "
	       "read%s\n", l->n, strcmp(l->source, "iterator") ? l->source : "BPF dmabuf iterator", l->daemon_holders ? "daemon" : "client", h->scanned - h->unreadable, h->unreadable,
	       h->unreadable ? " (needs CAP_SYS_PTRACE)" : "");
}

static void print_json(const struct live *l, const struct dt_holders *h)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	for (size_t i = 0; i < l->n; i++) {
		const struct live_buf *b = &l->v[i];
		yajl_gen_map_open(g);
		dt_json_u64(g, "buf", b->ino);
		dt_json_str(g, "exporter", b->exporter);
		dt_json_u64(g, "size", b->size);
		if (b->has_name)
			dt_json_str(g, "name", b->name);
		dt_json_key(g, "attachments");
		yajl_gen_array_open(g);
		for (size_t j = 0; j < b->natts; j++) {
			const struct live_att *a = &b->atts[j];
			yajl_gen_map_open(g);
			dt_json_str(g, "dev", a->dev);
			if (a->has_driver)
				dt_json_str(g, "driver", a->driver);
			else
				dt_json_null(g, "driver");
			if (a->mapped < 0)
				dt_json_null(g, "mapped");
			else
				dt_json_bool(g, "mapped", a->mapped);
			yajl_gen_map_close(g);
		}
		yajl_gen_array_close(g);
		dt_holders_json(g, h, b->ino);
		yajl_gen_map_close(g);
		const unsigned char *out;
		size_t n;
		yajl_gen_get_buf(g, &out, &n);
		fwrite(out, 1, n, stdout);
		fputc('\n', stdout);
		yajl_gen_clear(g);
		yajl_gen_reset(g, NULL);
	}
	yajl_gen_map_open(g);
	dt_json_str(g, "type", "summary");
	dt_json_str(g, "source", l->source);
	dt_json_u64(g, "buffers", l->n);
	dt_json_str(g, "holders_read_by", l->daemon_holders ? "daemon" : "client");
	dt_json_u64(g, "processes_read", h->scanned - h->unreadable);
	dt_json_u64(g, "processes_unreadable", h->unreadable);
	yajl_gen_map_close(g);
	const unsigned char *out;
	size_t n;
	yajl_gen_get_buf(g, &out, &n);
	fwrite(out, 1, n, stdout);
	fputc('\n', stdout);
	yajl_gen_free(g);
}

int dt_state_live(struct dt_cli *cli)
{
	struct live l = {0};
	int r = from_daemon(&l, cli->socket_path);
	if (r == -2)
		return DT_EXIT_SYSTEM;
	if (r < 0) {
		char why[400];
		int b = from_bufinfo(&l, cli->seed_bufinfo, why, sizeof(why));
		if (b < 0 || (b > 0 && from_iterator(&l, why) < 0))
			return DT_EXIT_SYSTEM;
	}
	if (!l.daemon_holders)
		dt_holders_scan(&l.h, "/proc");
	if (cli->format == FMT_JSON)
		print_json(&l, &l.h);
	else
		print_text(&l, &l.h);
	dt_holders_free(&l.h);
	for (size_t i = 0; i < l.n; i++)
		free(l.v[i].atts);
	free(l.v);
	return l.oom ? DT_EXIT_SYSTEM : DT_EXIT_OK;
}
