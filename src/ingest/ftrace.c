/* SPDX-License-Identifier: Apache-2.0 */
/* ftrace text -> dt_events. See ingest_ftrace.h and docs/ftrace.md. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "dmabuf_trace_defaults.h"
#include "common/errors.h"
#include "common/escape.h"
#include "common/errors.h"
#include "ingest/ftrace.h"
#include "common/u64map.h"

#define DEV_MAX 64
#define MAX_WARNINGS 5
/* Kprobe segments carried by the recipe's dt_map_ret event (a0..a59, l0..l59). */
#define KP_SEGS DT_RECIPE_SEGS

struct ft_buf {
	uint64_t ino;
};

struct ft_att {
	uint64_t id; /* trace-unique counter */
	uint64_t ino;
	char dev[DEV_MAX];
	bool from_tp;  /* learned from the dma_buf:* tracepoints (no map events: attribute dma_map_sg) */
	bool mapped;
	uint64_t phys0; /* first phys address of the live dma_map_sg (tracepoint attribution) */
	uint64_t map_seq; /* seq of that map: of two mappings of one buffer by one device, the later unmaps first */
};

/* Per-task state between an entry probe and its return probe. */
struct ft_pending {
	bool attach, map, detail;
	uint64_t attach_ts;
	/* dt_attach */
	uint64_t dmabuf, ino, size, drv, parms, mss, sbm, dyn;
	char dev[DEV_MAX], driver[DEV_MAX], bus[DEV_MAX], exp[DEV_MAX];
	/* dt_map */
	uint64_t att;
	int dir;
	/* dma:dma_map_sg seen inside the dt_map window */
	char ddev[DEV_MAX];
	uint64_t dnents, dorig;
	bool dtrunc;
	uint32_t dn;
	struct dt_seg dsegs[128];
};

struct lhdr {
	char comm[DT_STR_MAX];
	int64_t pid, cpu;
	uint64_t ts;
	const char *event; /* NUL-terminated */
	const char *body;
};

/* "# device: NAME bus=BUS driver=DRV" lines of the recipe's save step: the machine's device -> driver map at
 * capture time, for the tracepoints that name only the device. */
struct ft_device {
	char name[DEV_MAX], bus[DEV_MAX], driver[DEV_MAX]; /* driver "" when none is bound */
	bool ambiguous; /* the name is on two buses with different drivers */
};

struct dt_ftrace {
	char *name;
	FILE *f;
	bool own;
	dt_ftrace_warn_fn warn;
	void *warn_ctx;
	char *line;
	size_t cap;
	uint64_t lineno;
	char err[256];
	char kernel[128];
	bool have_kernel;
	unsigned warnings;

	struct u64map bufs;  /* dmabuf pointer -> ft_buf */
	struct u64map atts;  /* attachment pointer (or hashed %p) -> ft_att */
	struct u64map pend;  /* pid -> ft_pending */
	uint64_t next_att, seq;
	bool saw_kprobes, saw_tracepoints;
	struct ft_device *devices;
	size_t ndevices, devices_cap;
	uint64_t tp_attaches, tp_attaches_without_driver;
	uint64_t attach_stacks; /* attach events that came with a kernel stack (the recipe's stacktrace trigger) */

	struct dt_event ev;
	struct dt_seg segs[DT_SEGS_MAX];
	char stack[DT_STACK_MAX][DT_FRAME_MAX];
	struct dt_ftrace_stats st;
	/* An event is returned only once the lines after it are not its kernel stack (the recipe's
	 * stacktrace triggers print "<stack trace>" and "=> frame" lines after the event): held here, and the
	 * first line that is not part of it kept for the next call. */
	bool held, pushed_back;
	bool user_stack; /* the stack lines after the held event are a user stack: not its code path */
	uint64_t order_ts; /* the latest event line's time: a line before it is said once */
	uint64_t overwritten; /* the header's entries written but no longer in the buffer: lost before the first */
	bool warned_order;
	bool is_event;  /* the line read last is an event line, its header in h */
	struct lhdr h;
	/* A tracepoint detach of an attachment still mapped there: its unmap is handed out first, the detach
	 * (from these) next. */
	bool queued_detach;
	struct lhdr q_h;
	uint64_t q_ino, q_att;
};

/* ---- small parsing helpers ---------------------------------------------------------------------------- */

static void warnf(struct dt_ftrace *t, const char *fmt, ...)
{
	t->st.malformed++;
	if (!t->warn || ++t->warnings > MAX_WARNINGS)
		return;
	char msg[512];
	int n = snprintf(msg, sizeof(msg), "%s:%" PRIu64 ": ", t->name, t->lineno);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	t->warn(t->warn_ctx, msg);
}

/* Untrusted text quoted in a warning (a buffer name with a newline makes lines of its own): the first 60
 * bytes, escaped. */
static const char *quoted(char *out, size_t outsz, const char *s)
{
	dt_escape_text(out, outsz, s, strnlen(s, 60));
	return out;
}

/* Value of "key=" in a kprobe/tracepoint body: quoted strings are unquoted, "(fault)" is returned as is.
 * Copies into out; returns false when the key is absent. */
static bool kv(const char *body, const char *key, char *out, size_t outlen)
{
	size_t kl = strlen(key);
	for (const char *p = body; (p = strstr(p, key)) != NULL; p += kl) {
		if ((p != body && p[-1] != ' ') || p[kl] != '=')
			continue;
		const char *v = p + kl + 1, *e;
		if (*v == '"') {
			v++;
			e = v;
			/* closing quote followed by a space or the end */
			while (*e && !(e[0] == '"' && (e[1] == ' ' || e[1] == '\0' || e[1] == '\n')))
				e++;
		} else {
			e = v;
			while (*e && *e != ' ' && *e != '\n')
				e++;
		}
		size_t n = (size_t)(e - v);
		if (n >= outlen)
			n = outlen - 1;
		memcpy(out, v, n);
		out[n] = '\0';
		return true;
	}
	return false;
}

static bool kv_u64(const char *body, const char *key, uint64_t *out)
{
	char v[64], *end;
	if (!kv(body, key, v, sizeof(v)) || !v[0] || v[0] == '(')
		return false;
	errno = 0;
	if (v[0] == '-') {
		long long s = strtoll(v, &end, 0);
		*out = (uint64_t)s;
	} else {
		*out = strtoull(v, &end, 0);
	}
	return !errno && *end == '\0';
}

static bool kv_str(const char *body, const char *key, char *out, size_t outlen)
{
	return kv(body, key, out, outlen) && strcmp(out, "(fault)") != 0;
}

static bool is_err_ptr(uint64_t p)
{
	return p >= (uint64_t)-4095;
}

static void *xcalloc(size_t n)
{
	void *p = calloc(1, n);
	if (!p) {
		dt_err("out of memory");
		exit(3);
	}
	return p;
}

static void put(struct u64map *m, uint64_t k, void *v)
{
	if (u64map_put(m, k, v) < 0) {
		dt_err("out of memory");
		exit(3);
	}
}

static struct ft_pending *pending(struct dt_ftrace *t, int64_t pid)
{
	struct ft_pending *p = u64map_get(&t->pend, (uint64_t)pid);
	if (!p) {
		p = xcalloc(sizeof(*p));
		put(&t->pend, (uint64_t)pid, p);
	}
	return p;
}

static void remember_buf(struct dt_ftrace *t, uint64_t dmabuf, uint64_t ino)
{
	if (!dmabuf || !ino)
		return;
	struct ft_buf *b = u64map_get(&t->bufs, dmabuf);
	if (!b) {
		b = xcalloc(sizeof(*b));
		put(&t->bufs, dmabuf, b);
	}
	b->ino = ino;
}

static struct ft_att *new_att(struct dt_ftrace *t, uint64_t key, uint64_t ino, const char *dev, bool from_tp)
{
	struct ft_att *a = u64map_del(&t->atts, key); /* a reused address: the old one is gone */
	free(a);
	a = xcalloc(sizeof(*a));
	a->id = ++t->next_att;
	a->ino = ino;
	a->from_tp = from_tp;
	snprintf(a->dev, sizeof(a->dev), "%s", dev);
	put(&t->atts, key, a);
	return a;
}

static const struct ft_device *device_named(const struct dt_ftrace *t, const char *name)
{
	for (size_t i = 0; i < t->ndevices; i++)
		if (!strcmp(t->devices[i].name, name))
			return t->devices[i].ambiguous ? NULL : &t->devices[i];
	return NULL;
}

/* "NAME bus=BUS driver=DRV" (driver "-": none bound). */
static void parse_device_line(struct dt_ftrace *t, const char *s)
{
	char name[DEV_MAX], bus[DEV_MAX] = "", driver[DEV_MAX] = "";
	if (sscanf(s, "%63s", name) != 1 || !kv(s, "bus", bus, sizeof(bus)) || !kv(s, "driver", driver, sizeof(driver))) {
		char q[60 * 4 + 4];
		warnf(t, "device map line: expected \"# device: NAME bus=BUS driver=DRIVER\", got \"%s\"",
		      quoted(q, sizeof(q), s));
		return;
	}
	if (!strcmp(driver, "-"))
		driver[0] = '\0';
	for (size_t i = 0; i < t->ndevices; i++) {
		struct ft_device *d = &t->devices[i];
		if (!strcmp(d->name, name)) {
			if (strcmp(d->driver, driver) || strcmp(d->bus, bus))
				d->ambiguous = true; /* which one attached is not in the log */
			return;
		}
	}
	if (t->ndevices == t->devices_cap) {
		size_t cap = t->devices_cap ? 2 * t->devices_cap : 16;
		struct ft_device *n = realloc(t->devices, cap * sizeof(*n));
		if (!n) {
			dt_err("out of memory");
			exit(3);
		}
		t->devices = n;
		t->devices_cap = cap;
	}
	struct ft_device *d = &t->devices[t->ndevices++];
	memset(d, 0, sizeof(*d));
	snprintf(d->name, sizeof(d->name), "%s", name);
	snprintf(d->bus, sizeof(d->bus), "%s", bus);
	snprintf(d->driver, sizeof(d->driver), "%s", driver);
}

/* ---- event construction ----------------------------------------------------------------------------- */


static struct dt_event *begin(struct dt_ftrace *t, const struct lhdr *h, enum dt_event_type type)
{
	struct dt_event *ev = &t->ev;
	dt_event_clear(ev);
	ev->type = type;
	ev->ts = h->ts;
	ev->seq = ++t->seq;
	ev->line = t->lineno;
	ev->has |= DT_HAS_TS | DT_HAS_SEQ;
	if (h->pid >= 0) {
		ev->pid = ev->tid = h->pid;
		ev->has |= DT_HAS_PID | DT_HAS_TID;
		dt_str_set(&ev->comm, h->comm, strlen(h->comm));
	}
	if (h->cpu >= 0) {
		ev->cpu = h->cpu;
		ev->has |= DT_HAS_CPU;
	}
	ev->segs = t->segs;
	ev->nsegs = 0;
	ev->stack = t->stack;
	ev->nstack = 0;
	return ev;
}

static void set_str(struct dt_str *s, const char *v)
{
	dt_str_set(s, v, strlen(v));
}

static enum dt_dma_dir dir_from_kernel(long d)
{
	switch (d) {
	case 0: return DT_DIR_BIDIRECTIONAL;
	case 1: return DT_DIR_TO_DEVICE;
	case 2: return DT_DIR_FROM_DEVICE;
	default: return DT_DIR_UNSET;
	}
}

static enum dt_dma_dir dir_from_name(const char *s)
{
	if (!strncmp(s, "BIDIRECTIONAL", 13))
		return DT_DIR_BIDIRECTIONAL;
	if (!strncmp(s, "TO_DEVICE", 9))
		return DT_DIR_TO_DEVICE;
	if (!strncmp(s, "FROM_DEVICE", 11))
		return DT_DIR_FROM_DEVICE;
	return DT_DIR_UNSET;
}

/* "{0x1,0x2}" -> values; returns the count parsed (<= max), -1 if malformed. */
static int parse_array(const char *body, const char *key, uint64_t *vals, int max)
{
	char k[32];
	snprintf(k, sizeof(k), " %s={", key);
	const char *p = strstr(body, k);
	if (!p)
		return -1;
	p += strlen(k);
	int n = 0;
	while (*p && *p != '}') {
		char *end;
		uint64_t v = strtoull(p, &end, 0);
		if (end == p)
			return -1;
		if (n < max)
			vals[n] = v;
		n++;
		p = end;
		if (*p == ',')
			p++;
	}
	return *p == '}' ? (n < max ? n : max) : -1;
}

/* Tracepoint dma:dma_map_sg body -> device, counts and DMA segments. */
struct sgdetail {
	char dev[DEV_MAX];
	enum dt_dma_dir dir;
	uint64_t nents, orig; /* DMA segments, CPU entries (full counts) */
	bool trunc;
	uint32_t n;
	uint64_t addr[128], len[128], phys0;
};

static bool parse_map_sg(const char *body, struct sgdetail *d)
{
	memset(d, 0, sizeof(*d));
	if (sscanf(body, "%63s", d->dev) != 1)
		return false;
	const char *p = strstr(body, " dir=");
	if (!p)
		return false;
	d->dir = dir_from_name(p + 5);
	int na = parse_array(body, "dma_addrs", d->addr, 128);
	int nl = parse_array(body, "sizes", d->len, 128);
	if (na < 0 || nl < 0 || na != nl)
		return false;
	d->n = (uint32_t)na;
	uint64_t ph[1];
	if (parse_array(body, "phys_addrs", ph, 1) > 0)
		d->phys0 = ph[0];
	unsigned a, b, c, e;
	p = strstr(body, " nents=");
	const char *q = strstr(body, " ents=");
	if (p && q && sscanf(p, " nents=%u/%u", &a, &b) == 2 && sscanf(q, " ents=%u/%u", &c, &e) == 2) {
		d->orig = b;
		d->nents = e;
		d->trunc = strstr(body, "[TRUNCATED]") != NULL || e > d->n;
	} else { /* before the 128-entry cap: arrays are complete */
		uint64_t tmp[1];
		int np = parse_array(body, "phys_addrs", tmp, 1);
		(void)np;
		d->nents = d->n;
		d->orig = 0;
		const char *pa = strstr(body, " phys_addrs={");
		if (pa) { /* count the CPU entries */
			uint64_t cnt = 1;
			for (pa += 13; *pa && *pa != '}'; pa++)
				cnt += *pa == ',';
			d->orig = cnt;
		}
	}
	return true;
}

static void fill_map_segs(struct dt_event *ev, const uint64_t *addr, const uint64_t *len, uint32_t n, uint64_t total)
{
	if (n > DT_SEGS_MAX)
		n = DT_SEGS_MAX;
	for (uint32_t i = 0; i < n; i++) {
		ev->segs[i].addr = addr[i];
		ev->segs[i].len = len[i];
	}
	ev->nsegs = n;
	ev->segs_total = total;
	ev->has |= DT_HAS_SEGS | DT_HAS_SEGS_TOTAL | DT_HAS_NENTS;
	ev->nents = total;
}

/* ---- the recipe's kprobe events ---------------------------------------------------------------------- */

static struct dt_event *kp_export(struct dt_ftrace *t, const struct lhdr *h)
{
	uint64_t ptr = 0, ino = 0, size = 0;
	char exp[DT_STR_MAX] = "";
	if (!kv_u64(h->body, "ptr", &ptr)) {
		warnf(t, "dt_export without ptr=");
		return NULL;
	}
	if (is_err_ptr(ptr) || !ptr) { /* the export failed: nothing to track */
		t->st.redundant++;
		return NULL;
	}
	if (!kv_u64(h->body, "ino", &ino) || !kv_u64(h->body, "size", &size) || !ino) {
		warnf(t, "dt_export: ino= or size= missing or unreadable");
		return NULL;
	}
	kv_str(h->body, "exp", exp, sizeof(exp));
	remember_buf(t, ptr, ino);
	struct dt_event *ev = begin(t, h, DT_EV_EXPORT);
	ev->buf = ino;
	ev->size = size;
	ev->has |= DT_HAS_BUF | DT_HAS_SIZE;
	set_str(&ev->exporter, exp[0] ? exp : "?");
	return ev;
}

static struct dt_event *kp_attach(struct dt_ftrace *t, const struct lhdr *h)
{
	struct ft_pending *p = pending(t, h->pid);
	memset(p->dev, 0, sizeof(p->dev));
	p->driver[0] = p->bus[0] = p->exp[0] = '\0';
	p->dmabuf = p->ino = p->size = p->drv = p->parms = p->mss = p->sbm = p->dyn = 0;
	if (!kv_u64(h->body, "dmabuf", &p->dmabuf) || !kv_str(h->body, "dev", p->dev, sizeof(p->dev))) {
		warnf(t, "dt_attach without dmabuf= or dev=");
		return NULL;
	}
	kv_u64(h->body, "ino", &p->ino);
	kv_u64(h->body, "size", &p->size);
	kv_u64(h->body, "drv", &p->drv);
	kv_u64(h->body, "parms", &p->parms);
	if (p->parms) {
		kv_u64(h->body, "mss", &p->mss);
		kv_u64(h->body, "sbm", &p->sbm);
	}
	kv_u64(h->body, "dyn", &p->dyn);
	if (p->drv)
		kv_str(h->body, "driver", p->driver, sizeof(p->driver));
	kv_str(h->body, "bus", p->bus, sizeof(p->bus));
	if (p->ino)
		remember_buf(t, p->dmabuf, p->ino);
	else {
		struct ft_buf *b = u64map_get(&t->bufs, p->dmabuf);
		p->ino = b ? b->ino : 0;
	}
	p->attach = true;
	p->attach_ts = h->ts;
	t->st.used++;
	return NULL;
}

static struct dt_event *kp_attach_ret(struct dt_ftrace *t, const struct lhdr *h)
{
	struct ft_pending *p = u64map_get(&t->pend, (uint64_t)h->pid);
	uint64_t att = 0;
	if (!kv_u64(h->body, "att", &att)) {
		warnf(t, "dt_attach_ret without att=");
		return NULL;
	}
	if (!p || !p->attach || !p->ino) {
		t->st.unmatched++;
		return NULL;
	}
	p->attach = false;
	struct dt_event *ev = begin(t, h, DT_EV_ATTACH);
	ev->buf = p->ino;
	ev->has |= DT_HAS_BUF;
	set_str(&ev->dev, p->dev);
	if (is_err_ptr(att) || !att) {
		ev->err = att ? (int64_t)att : -12;
		ev->has |= DT_HAS_ERR;
		return ev;
	}
	struct ft_att *a = new_att(t, att, p->ino, p->dev, false);
	ev->att = a->id;
	ev->has |= DT_HAS_ATT;
	if (p->driver[0])
		set_str(&ev->driver, p->driver);
	if (p->bus[0])
		set_str(&ev->bus, p->bus);
	ev->dynamic = p->dyn != 0;
	ev->dma_parms = p->parms && p->mss; /* declared, not the kernel's 64 KiB default */
	ev->max_seg_size = p->parms && p->mss ? p->mss : DT_KERNEL_DEFAULT_MAX_SEG_SIZE;
	ev->seg_boundary_mask = p->parms && p->sbm ? p->sbm : UINT64_MAX;
	ev->has |= DT_HAS_DMA_PARMS | DT_HAS_MAX_SEG_SIZE | DT_HAS_SEG_BOUNDARY;
	return ev;
}

static struct dt_event *kp_map(struct dt_ftrace *t, const struct lhdr *h)
{
	uint64_t att = 0, dir = 0;
	if (!kv_u64(h->body, "att", &att)) {
		warnf(t, "dt_map without att=");
		return NULL;
	}
	kv_u64(h->body, "dir", &dir);
	struct ft_pending *p = pending(t, h->pid);
	p->map = true;
	p->detail = false;
	p->att = att;
	p->dir = (int)dir;
	t->st.used++;
	return NULL;
}

static struct dt_event *kp_map_ret(struct dt_ftrace *t, const struct lhdr *h)
{
	struct ft_pending *p = u64map_get(&t->pend, (uint64_t)h->pid);
	uint64_t sgt = 0;
	if (!kv_u64(h->body, "sgt", &sgt)) {
		warnf(t, "dt_map_ret without sgt=");
		return NULL;
	}
	if (!p || !p->map) {
		t->st.unmatched++;
		return NULL;
	}
	p->map = false;
	struct ft_att *a = u64map_get(&t->atts, p->att);
	if (!a) {
		t->st.unmatched++;
		return NULL;
	}
	struct dt_event *ev = begin(t, h, DT_EV_MAP);
	ev->buf = a->ino;
	ev->att = a->id;
	ev->has |= DT_HAS_BUF | DT_HAS_ATT;
	ev->dir = dir_from_kernel(p->dir);
	if (is_err_ptr(sgt) || !sgt) {
		ev->err = sgt ? (int64_t)sgt : -12;
		ev->has |= DT_HAS_ERR;
		return ev;
	}
	uint64_t nents = 0, orig = 0;
	if (!kv_u64(h->body, "nents", &nents)) {
		warnf(t, "dt_map_ret without nents=");
		t->seq--;
		return NULL;
	}
	kv_u64(h->body, "orig", &orig);
	uint64_t addr[KP_SEGS], len[KP_SEGS];
	uint32_t n = 0;
	for (; n < KP_SEGS && n < nents; n++) {
		char ka[8], kl[8];
		snprintf(ka, sizeof(ka), "a%u", n);
		snprintf(kl, sizeof(kl), "l%u", n);
		if (!kv_u64(h->body, ka, &addr[n]) || !kv_u64(h->body, kl, &len[n]))
			break;
	}
	if (p->detail && !strcmp(p->ddev, a->dev) && p->dn > n) {
		/* dma:dma_map_sg inside this map: up to 128 segments */
		uint64_t da[128], dl[128];
		for (uint32_t i = 0; i < p->dn; i++) {
			da[i] = p->dsegs[i].addr;
			dl[i] = p->dsegs[i].len;
		}
		fill_map_segs(ev, da, dl, p->dn, nents);
	} else {
		fill_map_segs(ev, addr, len, n, nents);
		/* no exporter DMA mapping inside: the kernel returned a cached mapping */
	}
	if (orig) {
		ev->orig_nents = orig;
		ev->has |= DT_HAS_ORIG_NENTS;
	}
	p->detail = false;
	a->mapped = true;
	return ev;
}

static struct dt_event *kp_att_event(struct dt_ftrace *t, const struct lhdr *h, enum dt_event_type type)
{
	uint64_t att = 0;
	if (!kv_u64(h->body, "att", &att)) {
		warnf(t, "%s without att=", h->event);
		return NULL;
	}
	struct ft_att *a = u64map_get(&t->atts, att);
	if (!a) {
		t->st.unmatched++;
		return NULL;
	}
	struct dt_event *ev = begin(t, h, type);
	ev->buf = a->ino;
	ev->att = a->id;
	ev->has |= DT_HAS_BUF | DT_HAS_ATT;
	if (type == DT_EV_DETACH)
		free(u64map_del(&t->atts, att));
	else
		a->mapped = false;
	return ev;
}

static struct dt_event *kp_release(struct dt_ftrace *t, const struct lhdr *h)
{
	uint64_t dmabuf = 0;
	if (!kv_u64(h->body, "dmabuf", &dmabuf)) {
		warnf(t, "dt_release without dmabuf=");
		return NULL;
	}
	struct ft_buf *b = u64map_del(&t->bufs, dmabuf);
	if (!b) {
		t->st.unmatched++;
		return NULL;
	}
	struct dt_event *ev = begin(t, h, DT_EV_RELEASE);
	ev->buf = b->ino;
	ev->has |= DT_HAS_BUF;
	free(b);
	return ev;
}

/* ---- tracepoints ------------------------------------------------------------------------------------- */

/* dma_buf:* (7.0+): "exp_name=%s size=%zu ino=%lu[ attachment:%p is_dynamic=%d dev_name=%s | fd=%d]" */
static struct dt_event *tp_dma_buf(struct dt_ftrace *t, const struct lhdr *h)
{
	const char *e = h->event + 8; /* after "dma_buf_" */
	uint64_t ino = 0, size = 0;
	char exp[DT_STR_MAX] = "";
	if (!kv_u64(h->body, "ino", &ino) || !kv_u64(h->body, "size", &size) ||
	    !kv(h->body, "exp_name", exp, sizeof(exp))) {
		warnf(t, "%s: expected exp_name=, size= and ino=", h->event);
		return NULL;
	}
	if (!strcmp(e, "export")) {
		struct dt_event *ev = begin(t, h, DT_EV_EXPORT);
		ev->buf = ino;
		ev->size = size;
		ev->has |= DT_HAS_BUF | DT_HAS_SIZE;
		set_str(&ev->exporter, exp);
		return ev;
	}
	if (!strcmp(e, "dynamic_attach") || !strcmp(e, "detach")) {
		const char *p = strstr(h->body, " attachment:");
		char dev[DEV_MAX] = "";
		uint64_t dyn = 0;
		if (!p || !kv(h->body, "dev_name", dev, sizeof(dev))) {
			warnf(t, "%s: expected attachment: and dev_name=", h->event);
			return NULL;
		}
		uint64_t key = strtoull(p + 12, NULL, 16);
		kv_u64(h->body, "is_dynamic", &dyn);
		if (e[0] == 'd' && e[1] == 'y') {
			if (t->saw_kprobes) { /* the recipe's probes carry more: limits, driver, bus */
				t->st.redundant++;
				return NULL;
			}
			struct ft_att *a = new_att(t, key, ino, dev, true);
			struct dt_event *ev = begin(t, h, DT_EV_ATTACH);
			ev->buf = ino;
			ev->att = a->id;
			ev->has |= DT_HAS_BUF | DT_HAS_ATT;
			set_str(&ev->dev, dev);
			ev->dynamic = dyn != 0;
			/* The driver and bus from the capture's device map; limits are not in the tracepoint: left
			 * unset, the engine then knows only the kernel's defaults (docs/ftrace.md). */
			const struct ft_device *d = device_named(t, dev);
			t->tp_attaches++;
			if (d) {
				if (d->driver[0])
					set_str(&ev->driver, d->driver);
				set_str(&ev->bus, d->bus);
			} else {
				t->tp_attaches_without_driver++;
			}
			return ev;
		}
		struct ft_att *a = u64map_get(&t->atts, key);
		if (!a || !a->from_tp) {
			if (a || t->saw_kprobes)
				t->st.redundant++;
			else
				t->st.unmatched++;
			return NULL;
		}
		if (a->mapped) {
			/* Mapped by a dma_map_sg whose dma_unmap_sg did not show before the detach: the exporter
			 * unmaps in its detach (cached mappings), or the unmap was not attributable. The tracepoints
			 * cannot tell a real detach-while-mapped from that, so the unmap is taken to happen here. */
			struct dt_event *ev = begin(t, h, DT_EV_UNMAP);
			ev->buf = a->ino;
			ev->att = a->id;
			ev->has |= DT_HAS_BUF | DT_HAS_ATT;
			t->queued_detach = true;
			t->q_h = *h;
			t->q_h.event = t->q_h.body = NULL;
			t->q_ino = a->ino;
			t->q_att = a->id;
			free(u64map_del(&t->atts, key));
			return ev;
		}
		struct dt_event *ev = begin(t, h, DT_EV_DETACH);
		ev->buf = a->ino;
		ev->att = a->id;
		ev->has |= DT_HAS_BUF | DT_HAS_ATT;
		free(u64map_del(&t->atts, key));
		return ev;
	}
	/* fd, get, put, mmap, mmap_internal: reference counting and CPU access, no attach/map state */
	t->st.redundant++;
	return NULL;
}

/* dma:dma_map_sg: detail of the recipe's dt_map window on the same task, or (dma_buf tracepoints
 * only) a map of the one live attachment of that device. */
static struct dt_event *tp_map_sg(struct dt_ftrace *t, const struct lhdr *h)
{
	static struct sgdetail d;
	if (!parse_map_sg(h->body, &d)) {
		char q[60 * 4 + 4];
		warnf(t, "dma_map_sg: cannot parse \"%s\"", quoted(q, sizeof(q), h->body));
		return NULL;
	}
	struct ft_pending *p = u64map_get(&t->pend, (uint64_t)h->pid);
	if (p && p->map) {
		snprintf(p->ddev, sizeof(p->ddev), "%s", d.dev);
		p->dnents = d.nents;
		p->dorig = d.orig;
		p->dtrunc = d.trunc;
		p->dn = d.n;
		for (uint32_t i = 0; i < d.n; i++) {
			p->dsegs[i].addr = d.addr[i];
			p->dsegs[i].len = d.len[i];
		}
		p->detail = true;
		t->st.used++;
		return NULL;
	}
	struct ft_att *found = NULL;
	unsigned n = 0;
	for (size_t i = 0; i < t->atts.cap; i++) {
		struct ft_att *a = t->atts.slots[i].val;
		if (a && a->from_tp && !a->mapped && !strcmp(a->dev, d.dev)) {
			found = a;
			n++;
		}
	}
	if (n != 1) { /* a DMA mapping that is not (attributably) a dma-buf map */
		t->st.foreign++;
		return NULL;
	}
	struct dt_event *ev = begin(t, h, DT_EV_MAP);
	ev->buf = found->ino;
	ev->att = found->id;
	ev->has |= DT_HAS_BUF | DT_HAS_ATT;
	ev->dir = d.dir;
	fill_map_segs(ev, d.addr, d.len, d.n, d.nents);
	if (d.orig) {
		ev->orig_nents = d.orig;
		ev->has |= DT_HAS_ORIG_NENTS;
	}
	found->mapped = true;
	found->phys0 = d.phys0;
	found->map_seq = ev->seq;
	return ev;
}

static struct dt_event *tp_unmap_sg(struct dt_ftrace *t, const struct lhdr *h)
{
	char dev[DEV_MAX];
	uint64_t ph[1];
	if (sscanf(h->body, "%63s", dev) != 1 || parse_array(h->body, "phys_addrs", ph, 1) < 0) {
		char q[60 * 4 + 4];
		warnf(t, "dma_unmap_sg: cannot parse \"%s\"", quoted(q, sizeof(q), h->body));
		return NULL;
	}
	/* Same device and first physical address; of several (two queues of one device mapping one buffer),
	 * the latest mapping: teardown usually runs in reverse. */
	struct ft_att *m = NULL;
	for (size_t i = 0; i < t->atts.cap; i++) {
		struct ft_att *a = t->atts.slots[i].val;
		if (a && a->from_tp && a->mapped && a->phys0 == ph[0] && !strcmp(a->dev, dev) && (!m || a->map_seq > m->map_seq))
			m = a;
	}
	if (m) {
		struct dt_event *ev = begin(t, h, DT_EV_UNMAP);
		ev->buf = m->ino;
		ev->att = m->id;
		ev->has |= DT_HAS_BUF | DT_HAS_ATT;
		m->mapped = false;
		return ev;
	}
	/* with the recipe, unmaps come from dt_unmap; this is the exporter's DMA-level detail */
	if (t->saw_kprobes)
		t->st.redundant++;
	else
		t->st.foreign++;
	return NULL;
}

/* ---- line parsing ------------------------------------------------------------------------------------ */

/* After the '-' of a task field: "PID [(TGID)] [CPU]"; the '[' of the CPU field, or NULL. */
static char *cpu_field_after_pid(char *p)
{
	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p))
		p++;
	if (*p != ' ')
		return NULL;
	while (*p == ' ')
		p++;
	if (*p == '(') { /* the record-tgid option: "(   123)" or "(-------)" */
		char *c = strchr(p, ')');
		if (!c || c - p > 12 || c[1] != ' ')
			return NULL;
		p = c + 1;
		while (*p == ' ')
			p++;
	}
	if (*p != '[' || !isdigit((unsigned char)p[1]))
		return NULL;
	char *q = p + 1;
	while (isdigit((unsigned char)*q))
		q++;
	return *q == ']' ? p : NULL;
}

/* "  comm-pid  [cpu] flags  secs.frac: event: body" (also trace-cmd report, with or without flags/TGID).
 * The kernel prints the task field "%16s-%-7d": the comm is the task's own name (TASK_COMM_LEN, at most 15
 * bytes), untrusted, and may hold '-', ' ', '[', '#', "=> " and digits. So the task field is the last
 * "-PID [CPU]" whose comm fits in 15 bytes: all the kernel prints after it (cpu, timestamp, event name) is
 * longer than that, so a look-alike in the comm is passed over and one in the body is never reached. */
static bool parse_header(char *line, struct lhdr *h)
{
	enum { COMM_MAX = 15 };
	char *s = line;
	while (*s == ' ' || *s == '\t')
		s++;
	char *dash = NULL, *lb = NULL;
	for (char *p = s; p <= s + COMM_MAX && *p; p++) {
		char *c = *p == '-' ? cpu_field_after_pid(p + 1) : NULL;
		if (c) {
			dash = p;
			lb = c;
		}
	}
	if (!dash)
		return false;
	char *rb = strchr(lb, ']');
	h->cpu = strtoll(lb + 1, NULL, 10);
	h->pid = strtoll(dash + 1, NULL, 10);
	size_t n = (size_t)(dash - s);
	memcpy(h->comm, s, n); /* n <= COMM_MAX < sizeof(h->comm) */
	h->comm[n] = '\0';
	/* timestamp: the first token "digits.digits:" after ']' */
	char *p = rb + 1;
	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (!*p)
			return false;
		char *tok = p;
		while (*p && !isspace((unsigned char)*p))
			p++;
		if (p[-1] == ':' && isdigit((unsigned char)tok[0])) {
			char *dot = strchr(tok, '.');
			if (dot && dot < p) {
				uint64_t sec = strtoull(tok, NULL, 10), frac = 0;
				int digits = 0;
				for (char *d = dot + 1; d < p - 1 && isdigit((unsigned char)*d) && digits < 9; d++, digits++)
					frac = frac * 10 + (uint64_t)(*d - '0');
				for (; digits < 9; digits++)
					frac *= 10;
				h->ts = sec * 1000000000ull + frac;
				break;
			}
		}
	}
	while (isspace((unsigned char)*p))
		p++;
	/* trace-cmd report --ts-diff: "(+2198)" between the time and the event's name */
	if (p[0] == '(' && (p[1] == '+' || p[1] == '-')) {
		char *close = strchr(p, ')');
		if (close && close[1] && isspace((unsigned char)close[1])) {
			p = close + 1;
			while (isspace((unsigned char)*p))
				p++;
		}
	}
	char *colon = strchr(p, ':');
	if (!colon || colon == p)
		return false;
	*colon = '\0';
	h->event = p;
	char *b = colon + 1;
	while (*b == ' ')
		b++;
	/* strip the trailing newline */
	size_t bl = strlen(b);
	while (bl && (b[bl - 1] == '\n' || b[bl - 1] == '\r'))
		b[--bl] = '\0';
	h->body = b;
	return true;
}

static struct dt_event *dispatch(struct dt_ftrace *t, struct lhdr *h)
{
	const char *e = h->event;
	if (!strncmp(e, "dt_", 3)) {
		t->saw_kprobes = true;
		/* skip the probe location "(func+0x4/0x50)" or "(caller+0x12/0x90 [mod] <- func)" */
		const char *b = h->body;
		if (*b == '(') {
			const char *c = strchr(b, ')');
			if (c)
				b = c + 1;
			while (*b == ' ')
				b++;
		}
		h->body = b;
		if (!strcmp(e, "dt_export"))
			return kp_export(t, h);
		if (!strcmp(e, "dt_attach"))
			return kp_attach(t, h);
		if (!strcmp(e, "dt_attach_ret"))
			return kp_attach_ret(t, h);
		if (!strcmp(e, "dt_map"))
			return kp_map(t, h);
		if (!strcmp(e, "dt_map_ret"))
			return kp_map_ret(t, h);
		if (!strcmp(e, "dt_unmap"))
			return kp_att_event(t, h, DT_EV_UNMAP);
		if (!strcmp(e, "dt_detach"))
			return kp_att_event(t, h, DT_EV_DETACH);
		if (!strcmp(e, "dt_release"))
			return kp_release(t, h);
		t->st.foreign++;
		return NULL;
	}
	if (!strncmp(e, "dma_buf_", 8)) {
		t->saw_tracepoints = true;
		return tp_dma_buf(t, h);
	}
	if (!strcmp(e, "dma_map_sg"))
		return tp_map_sg(t, h);
	if (!strcmp(e, "dma_unmap_sg"))
		return tp_unmap_sg(t, h);
	t->st.foreign++;
	return NULL;
}

/* A line saying events were lost on a CPU: the kernel's "CPU:N [LOST M EVENTS]" and, when it could not
 * count them, "CPU:N [LOST EVENTS]"; trace-cmd report's "CPU:N [M EVENTS DROPPED]" and "CPU:N [EVENTS DROPPED]". */
static bool lost_line(const char *s, unsigned *cpu, unsigned long long *count, bool *count_known)
{
	int end = -1;
	*count_known = true;
	if (sscanf(s, "CPU:%u [LOST %llu EVENTS]%n", cpu, count, &end) == 2 && end > 0)
		return true;
	if (sscanf(s, "CPU:%u [%llu EVENTS DROPPED]%n", cpu, count, &end) == 2 && end > 0)
		return true;
	*count_known = false;
	end = -1;
	if (sscanf(s, "CPU:%u [LOST EVENTS]%n", cpu, &end) == 1 && end > 0)
		return true;
	end = -1;
	return sscanf(s, "CPU:%u [EVENTS DROPPED]%n", cpu, &end) == 1 && end > 0;
}

/* A line that is not an event line: a comment, the recipe's "# kernel:" and "# device:" lines, a loss
 * line, trace-cmd's preamble; anything else is warned about. */
static struct dt_event *process_other_line(struct dt_ftrace *t, char *line)
{
	char *s = line;
	while (isspace((unsigned char)*s))
		s++;
	if (!*s || *s == '#') {
		t->st.comments++;
		static const char km[] = "# kernel:";
		if (!strncmp(s, km, sizeof(km) - 1)) {
			char *k = s + sizeof(km) - 1;
			while (*k == ' ')
				k++;
			size_t n = strcspn(k, " \r\n");
			if (n && n < sizeof(t->kernel)) {
				memcpy(t->kernel, k, n);
				t->kernel[n] = '\0';
				t->have_kernel = true;
			}
		}
		static const char dm[] = "# device:";
		if (!strncmp(s, dm, sizeof(dm) - 1)) {
			const char *d = s + sizeof(dm) - 1;
			while (*d == ' ')
				d++;
			parse_device_line(t, d);
		}
		/* The trace file's header: fewer entries in the buffer than were written means the ring wrapped and
		 * overwrote the oldest (the kernel prints no LOST line for those): lost, before the first event. */
		unsigned long long in_buffer, written;
		if (sscanf(s, "# entries-in-buffer/entries-written: %llu/%llu", &in_buffer, &written) == 2 &&
		    written > in_buffer) {
			t->overwritten = written - in_buffer; /* a lost event at the first event line's time */
			t->st.comments--;
			t->st.used++;
		}
		return NULL;
	}
	unsigned cpu;
	unsigned long long lost = 0;
	bool count_known;
	if (lost_line(s, &cpu, &lost, &count_known)) {
		struct lhdr h = {.pid = -1, .cpu = cpu, .ts = t->ev.ts};
		struct dt_event *ev = begin(t, &h, DT_EV_LOST);
		ev->count = count_known ? lost : 1; /* count_known:false: the count is a lower bound */
		ev->has |= DT_HAS_COUNT | (count_known ? 0 : DT_HAS_COUNT_UNKNOWN);
		t->st.used++;
		t->st.emitted++;
		return ev;
	}
	if (!strncmp(s, "cpus=", 5) || !strncmp(s, "version =", 9) || !strncmp(s, "CPU ", 4)) {
		t->st.comments++; /* trace-cmd report preamble, "CPU 0 is empty" */
		return NULL;
	}
	char q[60 * 4 + 4];
	warnf(t, "not an ftrace event line: \"%s\"", quoted(q, sizeof(q), s));
	return NULL;
}

static struct dt_event *process_event_line(struct dt_ftrace *t, struct lhdr *h)
{
	uint64_t before = t->st.used + t->st.foreign + t->st.redundant + t->st.unmatched + t->st.malformed;
	struct dt_event *ev = dispatch(t, h);
	if (ev) {
		t->st.used++;
		t->st.emitted++;
	} else if (t->st.used + t->st.foreign + t->st.redundant + t->st.unmatched + t->st.malformed == before) {
		t->st.foreign++; /* every path should have counted; never lose a line from the tally */
	}
	return ev;
}

/* ---- public API -------------------------------------------------------------------------------------- */

struct dt_ftrace *dt_ftrace_open(const char *name, FILE *f, bool own, dt_ftrace_warn_fn warn, void *warn_ctx)
{
	struct dt_ftrace *t = calloc(1, sizeof(*t));
	if (!t)
		return NULL;
	t->name = strdup(name);
	t->f = f;
	t->own = own;
	t->warn = warn;
	t->warn_ctx = warn_ctx;
	if (!t->name) {
		free(t);
		return NULL;
	}
	return t;
}

/* Tracing's own frames at the top of a stacktrace trigger's stack: not the code path of interest. */
static bool tracing_frame(const char *f)
{
	static const char *const prefixes[] = {"trace_event_raw_event_", "__traceiter_", "__do_trace_", "perf_trace_",
					       "trace_event_buffer_", "event_triggers_call", "__trace_stack",
					       "stacktrace_trigger", "trace_buffer_", "kprobe_dispatcher", "kretprobe_dispatcher",
					       "kprobe_trace_func", "kretprobe_trace_func", "__kretprobe_trampoline",
					       "kretprobe_trampoline", "arch_rethook_", "rethook_", "kretprobe_rethook_handler",
					       /* arm64: a kprobe is a BRK exception */
					       "kretprobe_brk_handler", "kprobe_brk_handler", "do_el1_brk64", "el1_brk64",
					       "el1h_64_sync", "call_break_hook", "brk_handler", NULL};
	for (const char *const *p = prefixes; *p; p++)
		if (!strncmp(f, *p, strlen(*p)))
			return true;
	return false;
}

/* "0xffffffffc0a1b2c3" or "ffffffffc0a1b2c3": a kernel address where kallsyms had no name. */
static bool address_only(const char *f)
{
	if (f[0] == '0' && f[1] == 'x')
		f += 2;
	size_t n = strspn(f, "0123456789abcdefABCDEF");
	return n >= 8 && f[n] == '\0';
}

/* A stack line is used when it belongs to the held event, else the stack of an event that made none of its own. */
static void count_stack_line(struct dt_ftrace *t)
{
	if (t->held)
		t->st.used++;
	else
		t->st.redundant++;
}

/* A line of a kernel stack printed after an event: "<stack trace>" (an event line of its own) or
 * "=> sym+0x35/0x120 [mod]". Frames go to the held event as "sym+0x35 [mod]" (the recorder's form; no
 * address: a "<ffff...>" of the sym-addr option is dropped). */
static bool stack_line(struct dt_ftrace *t, const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	if (!strncmp(s, "=> ", 3)) {
		const char *f = s + 3;
		size_t sym = strcspn(f, "/ \t\r\n<");
		char frame[DT_FRAME_MAX];
		const char *mod = strchr(f, '[');
		size_t n = sym < sizeof(frame) - 1 ? sym : sizeof(frame) - 1;
		memcpy(frame, f, n);
		frame[n] = '\0';
		if (mod) {
			size_t ml = strcspn(mod, "]\r\n");
			if (mod[ml] == ']')
				snprintf(frame + n, sizeof(frame) - n, " %.*s", (int)(ml + 1), mod);
		}
		/* Innermost frame = the first caller outside the dma-buf core, as record writes it; a frame kallsyms
		 * could not name is printed as its address ("0xffff..."; trace-cmd: bare hex): never written. */
		bool core = !t->ev.nstack && !mod && !strncmp(frame, "dma_buf_", 8);
		if (address_only(frame))
			snprintf(frame, sizeof(frame), "?");
		if (t->held && !t->user_stack && !core && !tracing_frame(frame) && t->ev.nstack < DT_STACK_MAX) {
			snprintf(t->stack[t->ev.nstack++], DT_FRAME_MAX, "%s", frame);
			if (t->ev.nstack == 1 && t->ev.type == DT_EV_ATTACH)
				t->attach_stacks++;
		}
		count_stack_line(t);
		return true;
	}
	const char *st = strstr(s, ": <stack trace>");
	bool user = false;
	if (!st)
		user = (st = strstr(s, ": <user stack trace>")) != NULL;
	if (st && st[2] == '<' && strchr(st + 2, '>') && strchr(st + 2, '>')[1] <= ' ') {
		t->user_stack = user;
		count_stack_line(t);
		return true;
	}
	return false;
}

/* trace-cmd report prints a stack as an event of its own ("kernel_stack:  <stack trace >"), its frames as
 * "=> sym (addr)" lines after it. */
static bool stack_event(struct dt_ftrace *t, const struct lhdr *h)
{
	if (strcmp(h->event, "kernel_stack") != 0 && strcmp(h->event, "user_stack") != 0)
		return false;
	t->user_stack = !strcmp(h->event, "user_stack");
	count_stack_line(t);
	return true;
}

/* Event lines come in time order in the trace file and trace-cmd report (they merge the per-CPU buffers): one
 * going back is said once, whether or not it makes an event (a map after its detach makes none). */
static void check_order(struct dt_ftrace *t, const struct lhdr *h)
{
	if (h->ts < t->order_ts && !t->warned_order && t->warn) {
		t->warned_order = true;
		char msg[512];
		snprintf(msg, sizeof(msg), "%s:%" PRIu64 ": time goes back %" PRIu64 " ns (per-CPU buffers one after the "
			 "other? the trace file and trace-cmd report merge them by time): findings that depend on order "
			 "may be wrong from here on", t->name, t->lineno, t->order_ts - h->ts);
		t->warn(t->warn_ctx, msg);
	}
	if (h->ts > t->order_ts)
		t->order_ts = h->ts;
}

int dt_ftrace_next(struct dt_ftrace *t, const struct dt_event **out)
{
	for (;;) {
		if (t->queued_detach && !t->held) {
			t->queued_detach = false;
			struct dt_event *ev = begin(t, &t->q_h, DT_EV_DETACH);
			ev->buf = t->q_ino;
			ev->att = t->q_att;
			ev->has |= DT_HAS_BUF | DT_HAS_ATT;
			t->st.emitted++;
			t->held = true;
			t->user_stack = false;
			continue;
		}
		if (t->pushed_back) {
			t->pushed_back = false;
		} else {
			errno = 0;
			ssize_t n = getline(&t->line, &t->cap, t->f);
			if (n < 0) {
				if (ferror(t->f)) {
					snprintf(t->err, sizeof(t->err), "%s: read error: %s", t->name, strerror(errno));
					return -1;
				}
				if (t->held) {
					t->held = false;
					*out = &t->ev;
					return 1;
				}
				return 0;
			}
			t->lineno++;
			t->st.lines++;
			if (memchr(t->line, '\0', (size_t)n)) { /* binary junk: not text */
				warnf(t, "NUL byte in line");
				continue;
			}
			/* An event line first, by its header alone: its comm may look like a comment, a stack frame
			 * or a loss line. The kernel's own comments start in column 0, where a padded task field
			 * never does. */
			t->is_event = t->line[0] != '#' && parse_header(t->line, &t->h);
			if (t->is_event)
				check_order(t, &t->h);
			if (t->is_event && t->overwritten && !t->held) {
				struct lhdr h = {.pid = -1, .cpu = -1, .ts = t->h.ts};
				struct dt_event *ev = begin(t, &h, DT_EV_LOST);
				ev->count = t->overwritten;
				ev->has |= DT_HAS_COUNT;
				t->overwritten = 0;
				t->st.emitted++;
				t->pushed_back = true; /* this line is read again after the lost event */
				*out = ev;
				return 1;
			}
		}
		if (t->is_event ? stack_event(t, &t->h) : stack_line(t, t->line))
			continue;
		if (t->held) { /* this line is not the held event's stack: hand the event out, read the line next */
			t->held = false;
			t->pushed_back = true;
			*out = &t->ev;
			return 1;
		}
		if (t->is_event ? process_event_line(t, &t->h) : process_other_line(t, t->line)) {
			t->held = true;
			t->user_stack = false;
		}
	}
}

const char *dt_ftrace_error(const struct dt_ftrace *t)
{
	return t->err;
}

const char *dt_ftrace_kernel(const struct dt_ftrace *t)
{
	return t->have_kernel ? t->kernel : NULL;
}

const struct dt_ftrace_stats *dt_ftrace_stats(const struct dt_ftrace *t)
{
	return &t->st;
}

void dt_ftrace_summary(const struct dt_ftrace *t, FILE *out)
{
	char text[600];
	dt_ftrace_summary_text(t, text, sizeof(text));
	fprintf(out, "%s\n", text);
}

void dt_ftrace_summary_text(const struct dt_ftrace *t, char *out, size_t outsz)
{
	const struct dt_ftrace_stats *s = &t->st;
	uint64_t unused = s->foreign + s->redundant + s->unmatched + s->malformed;
	snprintf(out, outsz,
		"%s: ftrace: %" PRIu64 " lines, %" PRIu64 " used, %" PRIu64 " events; %" PRIu64
		" lines unused (%" PRIu64 " other events, %" PRIu64 " redundant, %" PRIu64 " unmatched, %" PRIu64
		" malformed), %" PRIu64 " comments",
		t->name, s->lines, s->used, s->emitted, unused, s->foreign, s->redundant, s->unmatched, s->malformed,
		s->comments);
}

/* What a log of the kernel's tracepoints alone (no recipe kprobes) cannot carry, per finding kind. */
/* What a log of the kernel's tracepoints alone (no recipe kprobes) cannot carry, per finding kind. */
size_t dt_ftrace_gaps(const struct dt_ftrace *t, char (*out)[DT_FTRACE_GAP_MAX], size_t max)
{
	const char *gaps[8];
	size_t k = 0, n = 0;
	if (!t->saw_tracepoints || t->saw_kprobes)
		return 0;
	gaps[k++] = "segment-size, segment-boundary: no dma_parms in the tracepoints, so every importer is judged "
		    "against the kernel's defaults only (64 KiB max segment: a warning, as for a device that declared "
		    "none; no boundary), not against limits it declared";
	if (!t->attach_stacks)
		gaps[k++] = "not-contiguous, contiguous-by-chance: no kernel stacks (the recipe's stacktrace trigger on "
			    "dma_buf_dynamic_attach), so limits the importer's code implies (videobuf2-dma-contig, DRM GEM DMA "
			    "helpers) are unknown: only a profile's contiguous=yes applies";
	gaps[k++] = "late-attach, map-failed, unbalanced-unmap, detach-while-mapped: maps and unmaps are seen only as "
		    "dma:dma_map_sg/dma_unmap_sg; cached mappings, failed maps and maps without a DMA-API call are not seen, "
		    "and a mapping still live at its detach is taken as unmapped there";
	gaps[k++] = "release-with-attachments: no release tracepoint (dma_buf_put does not say it dropped the last "
		    "reference)";
	gaps[k++] = "mapped-by: maps carry no kernel stack (dma_map_sg fires for every DMA mapping: no trigger there), "
		    "so findings name the task, not the code path; dma_map_sg keeps 128 segments";
	for (size_t i = 0; i < k && n < max; i++)
		snprintf(out[n++], DT_FTRACE_GAP_MAX, "%s", gaps[i]);
	if (t->tp_attaches_without_driver && n < max)
		snprintf(out[n++], DT_FTRACE_GAP_MAX,
			 "driver= profile lines: %" PRIu64 " of %" PRIu64 " attaches name a device the log's device map "
			 "(\"# device:\" lines of the recipe's save) does not list, so only device= lines match them",
			 t->tp_attaches_without_driver, t->tp_attaches);
	return n;
}

static void free_map(struct u64map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->slots[i].val);
	u64map_free(m);
}

void dt_ftrace_close(struct dt_ftrace *t)
{
	if (!t)
		return;
	free_map(&t->bufs);
	free_map(&t->atts);
	free_map(&t->pend);
	free(t->devices);
	if (t->own && t->f)
		fclose(t->f);
	free(t->line);
	free(t->name);
	free(t);
}

bool dt_ftrace_sniff(const char *buf, size_t len)
{
	size_t i = 0;
	while (i < len && isspace((unsigned char)buf[i]))
		i++;
	if (i < len && buf[i] == '{')
		return false;
	if (len - i >= 9 && !memcmp(buf + i, "# tracer:", 9))
		return true;
	if ((len - i >= 5 && !memcmp(buf + i, "cpus=", 5)) || (len - i >= 9 && !memcmp(buf + i, "# kernel:", 9)))
		return true;
	/* otherwise: one of the first lines parses as an event line, or is trace-cmd report's "cpus=N" (after its
	 * "version = N" and one "CPU N is empty" line per idle CPU, which do not count) */
	char line[1024];
	for (unsigned lines = 0; i < len && lines < 20;) {
		size_t e = i;
		while (e < len && buf[e] != '\n')
			e++;
		size_t n = e - i < sizeof(line) - 1 ? e - i : sizeof(line) - 1;
		memcpy(line, buf + i, n);
		line[n] = '\0';
		i = e + 1;
		unsigned cpu;
		char tail;
		if (!strncmp(line, "version = ", 10) || sscanf(line, "CPU %u is empty%c", &cpu, &tail) == 1)
			continue;
		if (!strncmp(line, "cpus=", 5))
			return true;
		struct lhdr h;
		if (line[0] != '#' && parse_header(line, &h))
			return true;
		lines++;
	}
	return false;
}
