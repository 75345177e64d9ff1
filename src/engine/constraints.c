/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "engine/constraints.h"
#include "common/read_file.h"
#include "common/units.h"

/* Precedence: a device match beats a driver match beats the catch-all "*". */
enum tier { TIER_ANY, TIER_DRIVER, TIER_DEVICE };

struct rule {
	enum tier tier;
	bool by_driver;
	bool by_exporter; /* exporter=GLOB provides=...: what an exporter guarantees, not an importer's limits */
	bool provides_contiguous;
	char *glob;
	struct dt_limits lim;
};

struct dt_constraints {
	struct rule *rules;
	size_t n;
	char *name, *text; /* where it came from and what it said: recorded into traces and baselines */
};

static void fail(char *err, size_t errlen, const char *name, int line, const char *fmt, ...)
{
	int n = snprintf(err, errlen, "%s:%d: ", name, line);
	va_list ap;
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < errlen)
		vsnprintf(err + n, errlen - (size_t)n, fmt, ap);
	va_end(ap);
}

static int parse_prop(struct dt_limits *lim, const char *tok, char *why, size_t whylen)
{
	const char *eq = strchr(tok, '=');
	if (!eq || eq == tok) {
		snprintf(why, whylen, "expected property=value, got \"%.40s\"", tok);
		return -1;
	}
	size_t klen = (size_t)(eq - tok);
	const char *val = eq + 1;
	uint64_t v;
#define KEY(s) (klen == strlen(s) && strncmp(tok, s, klen) == 0)
	if (KEY("max-segments")) {
		if (dt_parse_size(val, &v) < 0 || v == 0) {
			snprintf(why, whylen, "max-segments needs a positive integer, got \"%.40s\"", val);
			return -1;
		}
		lim->max_segments = v;
		lim->set |= DT_LIM_MAX_SEGMENTS;
	} else if (KEY("contiguous")) {
		if (!strcasecmp(val, "yes") || !strcasecmp(val, "true") || !strcmp(val, "1"))
			lim->contiguous = true;
		else if (!strcasecmp(val, "no") || !strcasecmp(val, "false") || !strcmp(val, "0"))
			lim->contiguous = false;
		else {
			snprintf(why, whylen, "contiguous needs yes or no, got \"%.40s\"", val);
			return -1;
		}
		lim->set |= DT_LIM_CONTIGUOUS;
	} else if (KEY("max-segment-size")) {
		if (dt_parse_size(val, &v) < 0 || v == 0) {
			snprintf(why, whylen, "max-segment-size needs a size such as 65536, 64K or 1M, got \"%.40s\"",
				 val);
			return -1;
		}
		lim->max_seg_size = v;
		lim->set |= DT_LIM_MAX_SEG_SIZE;
	} else if (KEY("segment-boundary")) {
		if (dt_parse_size(val, &v) < 0 || v == 0 || (v & (v + 1)) != 0) {
			snprintf(why, whylen,
				 "segment-boundary needs a mask of the form 2^n-1 such as 0xffffffff, got \"%.40s\"", val);
			return -1;
		}
		lim->seg_boundary_mask = v;
		lim->set |= DT_LIM_SEG_BOUNDARY;
	} else {
		snprintf(why, whylen,
			 "unknown property \"%.*s\" (known: max-segments, contiguous, max-segment-size, segment-boundary)",
			 (int)(klen > 40 ? 40 : klen), tok);
		return -1;
	}
#undef KEY
	return 0;
}

/* exporter=GLOB provides=contiguous|none */
static int parse_exporter_line(struct rule *r, char *save, char *why, size_t whylen)
{
	int props = 0;
	char *tok;
	while ((tok = strtok_r(NULL, " \t\r", &save))) {
		if (strncmp(tok, "provides=", 9) != 0) {
			snprintf(why, whylen, "an exporter= line takes only provides=contiguous or provides=none, got \"%.40s\"",
				 tok);
			return -1;
		}
		if (!strcmp(tok + 9, "contiguous"))
			r->provides_contiguous = true;
		else if (!strcmp(tok + 9, "none"))
			r->provides_contiguous = false;
		else {
			snprintf(why, whylen, "provides needs contiguous or none, got \"%.40s\"", tok + 9);
			return -1;
		}
		props++;
	}
	if (!props) {
		snprintf(why, whylen, "no properties after the matcher");
		return -1;
	}
	r->glob = strdup(r->glob);
	return r->glob ? 0 : -1;
}

static int parse_line(struct rule *r, char *line, char *why, size_t whylen)
{
	char *save = NULL;
	char *tok = strtok_r(line, " \t\r", &save);
	if (strncmp(tok, "exporter=", 9) == 0) {
		r->glob = tok + 9;
		r->by_exporter = true;
		if (!*r->glob) {
			snprintf(why, whylen, "empty exporter pattern");
			return -1;
		}
		return parse_exporter_line(r, save, why, whylen);
	}
	if (strncmp(tok, "device=", 7) == 0) {
		r->glob = tok + 7;
		r->tier = strcmp(r->glob, "*") == 0 ? TIER_ANY : TIER_DEVICE;
	} else if (strncmp(tok, "driver=", 7) == 0) {
		r->glob = tok + 7;
		r->by_driver = true;
		r->tier = strcmp(r->glob, "*") == 0 ? TIER_ANY : TIER_DRIVER;
	} else {
		snprintf(why, whylen, "a line must start with device=GLOB, driver=GLOB or exporter=GLOB, got \"%.40s\"", tok);
		return -1;
	}
	if (!*r->glob) {
		snprintf(why, whylen, "empty %s pattern", r->by_driver ? "driver" : "device");
		return -1;
	}
	int props = 0;
	while ((tok = strtok_r(NULL, " \t\r", &save))) {
		if (parse_prop(&r->lim, tok, why, whylen) < 0)
			return -1;
		props++;
	}
	if (!props) {
		snprintf(why, whylen, "no properties after the matcher");
		return -1;
	}
	r->glob = strdup(r->glob);
	return r->glob ? 0 : -1;
}

struct dt_constraints *dt_constraints_parse(const char *name, const char *text, char *err, size_t errlen)
{
	struct dt_constraints *c = calloc(1, sizeof(*c));
	char *copy = strdup(text);
	if (c) {
		c->name = strdup(name);
		c->text = strdup(text);
	}
	if (!c || !copy || !c->name || !c->text) {
		fail(err, errlen, name, 0, "out of memory");
		goto bad;
	}
	int lineno = 0;
	char *save = NULL;
	/* strtok_r would skip empty lines and lose the count: walk by hand. */
	for (char *line = copy, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *p = line + strspn(line, " \t\r");
		if (!*p)
			continue;
		for (char *q = p; *q; q++)
			if ((unsigned char)*q < 0x20 && *q != '\t' && *q != '\r') {
				fail(err, errlen, name, lineno, "control character in line");
				goto bad;
			}
		struct rule *nr = realloc(c->rules, (c->n + 1) * sizeof(*nr));
		if (!nr) {
			fail(err, errlen, name, lineno, "out of memory");
			goto bad;
		}
		c->rules = nr;
		memset(&c->rules[c->n], 0, sizeof(c->rules[0]));
		char why[200];
		if (parse_line(&c->rules[c->n], p, why, sizeof(why)) < 0) {
			fail(err, errlen, name, lineno, "%s", why);
			goto bad;
		}
		c->n++;
	}
	(void)save;
	free(copy);
	return c;
bad:
	free(copy);
	dt_constraints_free(c);
	return NULL;
}

#define DT_PROFILE_MAX (1024 * 1024)

struct dt_constraints *dt_constraints_load(const char *path, char *err, size_t errlen)
{
	/* A profile is a few lines: refuse /dev/zero or a huge file instead of reading forever. */
	size_t len;
	char *text = dt_read_file(path, DT_PROFILE_MAX, "constraints", &len, err, errlen);
	if (!text)
		return NULL;
	if (memchr(text, '\0', len)) {
		free(text);
		snprintf(err, errlen, "%s: binary data (NUL byte) in constraints file", path);
		return NULL;
	}
	struct dt_constraints *c = dt_constraints_parse(path, text, err, errlen);
	free(text);
	return c;
}

unsigned dt_constraints_apply(const struct dt_constraints *c, const char *dev, const char *driver,
			      struct dt_limits *out)
{
	if (!c)
		return 0;
	unsigned applied = 0;
	/* Lower tiers first so higher tiers override; within a tier, later lines win. */
	for (int tier = TIER_ANY; tier <= TIER_DEVICE; tier++) {
		for (size_t i = 0; i < c->n; i++) {
			const struct rule *r = &c->rules[i];
			if ((int)r->tier != tier || r->by_exporter)
				continue;
			const char *subject = r->by_driver ? driver : dev;
			/* driver= lines, even driver=*, never match a device with no driver bound. */
			if (!subject || (tier != TIER_ANY && fnmatch(r->glob, subject, 0) != 0))
				continue;
			const struct dt_limits *l = &r->lim;
			if (l->set & DT_LIM_MAX_SEGMENTS)
				out->max_segments = l->max_segments;
			if (l->set & DT_LIM_CONTIGUOUS)
				out->contiguous = l->contiguous;
			if (l->set & DT_LIM_MAX_SEG_SIZE)
				out->max_seg_size = l->max_seg_size;
			if (l->set & DT_LIM_SEG_BOUNDARY)
				out->seg_boundary_mask = l->seg_boundary_mask;
			applied |= l->set;
		}
	}
	out->set |= applied;
	return applied;
}

const char *dt_constraints_name(const struct dt_constraints *c) { return c->name; }
const char *dt_constraints_text(const struct dt_constraints *c) { return c->text; }

bool dt_constraints_exporter_contiguous(const struct dt_constraints *c, const char *exporter, bool *declared)
{
	bool contiguous = false;
	*declared = false;
	for (size_t i = 0; c && exporter && i < c->n; i++) {
		const struct rule *r = &c->rules[i];
		if (r->by_exporter && fnmatch(r->glob, exporter, 0) == 0) {
			contiguous = r->provides_contiguous; /* a later line wins */
			*declared = true;
		}
	}
	return contiguous;
}

void dt_constraints_free(struct dt_constraints *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->rules[i].glob);
	free(c->rules);
	free(c->name);
	free(c->text);
	free(c);
}
