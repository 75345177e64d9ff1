// SPDX-License-Identifier: Apache-2.0
#include <errno.h>
#include <fnmatch.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "rules/select.h"

int dt_time_arg_parse(const char *s, struct dt_time_arg *out)
{
	memset(out, 0, sizeof(*out));
	if (!s || !*s)
		return -1;
	if (*s != '+') {
		char *end;
		errno = 0;
		if (*s < '0' || *s > '9')
			return -1;
		unsigned long long v = strtoull(s, &end, 10);
		if (errno || *end)
			return -1;
		out->set = true;
		out->ns = v;
		return 0;
	}
	char *end;
	errno = 0;
	double v = strtod(s + 1, &end);
	if (errno || end == s + 1 || !(v >= 0) || !isfinite(v) || s[1] == '-' || s[1] == '+')
		return -1;
	double scale;
	if (!*end || !strcmp(end, "s"))
		scale = 1e9;
	else if (!strcmp(end, "ms"))
		scale = 1e6;
	else if (!strcmp(end, "us"))
		scale = 1e3;
	else if (!strcmp(end, "ns"))
		scale = 1;
	else
		return -1;
	double ns = v * scale;
	if (ns > 1.8e19)
		return -1;
	out->set = true;
	out->relative = true;
	out->ns = (uint64_t)(ns + 0.5);
	return 0;
}

uint64_t dt_time_arg_resolve(const struct dt_time_arg *t, uint64_t t0)
{
	if (!t->relative)
		return t->ns;
	return t->ns > UINT64_MAX - t0 ? UINT64_MAX : t0 + t->ns;
}

bool dt_select_active(const struct dt_select *s)
{
	return s->nbufs || s->npids || s->ncomms || s->ndevs || s->ndrivers || s->nexporters || s->since.set ||
	       s->until.set;
}

static bool glob_any(const char *const *pats, unsigned n, const char *s)
{
	if (!n)
		return true;
	if (!s)
		return false;
	for (unsigned i = 0; i < n; i++)
		if (fnmatch(pats[i], s, 0) == 0)
			return true;
	return false;
}

bool dt_select_rule(const struct dt_select *s, enum dt_rule_id rule)
{
	uint32_t bit = 1u << rule;
	if (s->rules_off & bit)
		return false;
	return !s->rule_only || (s->rules_on & bit);
}

bool dt_select_buffer(const struct dt_select *s, uint64_t ino, const char *exporter, bool have_buf)
{
	if (!have_buf)
		return !s->nbufs && !s->nexporters;
	if (s->nbufs) {
		bool hit = false;
		for (unsigned i = 0; i < s->nbufs && !hit; i++)
			hit = s->bufs[i] == ino;
		if (!hit)
			return false;
	}
	return glob_any(s->exporters, s->nexporters, exporter);
}

bool dt_select_device(const struct dt_select *s, const char *dev, const char *driver)
{
	return glob_any(s->devs, s->ndevs, dev) && glob_any(s->drivers, s->ndrivers, driver);
}

bool dt_select_task(const struct dt_select *s, bool known, int64_t pid, const char *comm)
{
	if (!known)
		return !s->npids && !s->ncomms;
	if (s->npids) {
		bool hit = false;
		for (unsigned i = 0; i < s->npids && !hit; i++)
			hit = s->pids[i] == pid;
		if (!hit)
			return false;
	}
	return glob_any(s->comms, s->ncomms, comm);
}

bool dt_select_time(const struct dt_select *s, uint64_t ts, uint64_t t0)
{
	if (s->since.set && ts < dt_time_arg_resolve(&s->since, t0))
		return false;
	if (s->until.set && ts > dt_time_arg_resolve(&s->until, t0))
		return false;
	return true;
}

bool dt_select_finding(const struct dt_select *s, const struct dt_finding *f, uint64_t t0)
{
	if (!dt_select_rule(s, f->rule))
		return false;
	if (!dt_select_buffer(s, f->buf ? f->buf->ino : 0, f->buf ? f->buf->exporter : NULL, f->buf != NULL))
		return false;
	const char *dev = f->att ? f->att->dev : NULL;
	if (!dev && f->ev && f->ev->type == DT_EV_ATTACH && f->ev->dev.set)
		dev = f->ev->dev.s; /* a refused attach names its device */
	if (!dt_select_device(s, dev, f->att ? f->att->driver : NULL))
		return false;
	bool task = f->ev && f->ev->comm.set;
	if (!dt_select_task(s, task, task ? f->ev->pid : 0, task ? f->ev->comm.s : NULL))
		return false;
	return dt_select_time(s, f->ts, t0);
}
