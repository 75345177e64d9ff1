/* SPDX-License-Identifier: Apache-2.0 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "common/escape.h"

/* Length of the well-formed UTF-8 sequence at s (1..4), or 0 if invalid. *cp gets the code point. */
static size_t utf8_seq(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t n;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if ((c & 0xe0) == 0xc0) {
		n = 2, v = c & 0x1f, min = 0x80;
	} else if ((c & 0xf0) == 0xe0) {
		n = 3, v = c & 0x0f, min = 0x800;
	} else if ((c & 0xf8) == 0xf0) {
		n = 4, v = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3f);
	}
	if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0;
	*cp = v;
	return n;
}

/* Code points a terminal would act on rather than show. */
static bool invisible_control(uint32_t cp)
{
	return cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp <= 0x9f) || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069) || cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

struct out {
	char *p;
	size_t size, used;
	bool full;
};

static void put(struct out *o, const char *s, size_t n)
{
	if (o->full)
		return;
	if (o->used + n + 4 > o->size) { /* room for "..." and NUL */
		if (o->size >= 4) {
			memcpy(o->p + o->used, "...", 3);
			o->used += 3;
		}
		o->full = true;
		return;
	}
	memcpy(o->p + o->used, s, n);
	o->used += n;
}

static void put_hex(struct out *o, unsigned char c)
{
	char hex[5];
	snprintf(hex, sizeof(hex), "\\x%02x", c);
	put(o, hex, 4);
}

static size_t finish(struct out *o)
{
	if (o->size)
		o->p[o->used] = '\0';
	return o->used;
}

enum mode { TEXT, UTF8, XML };

static size_t escape(char *outp, size_t outsz, const char *s, size_t len, enum mode mode)
{
	struct out o = {outp, outsz, 0, outsz < 4};
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < len && !o.full;) {
		uint32_t cp;
		size_t n = utf8_seq(u + i, len - i, &cp);
		if (n == 0) {
			put_hex(&o, u[i]);
			i++;
			continue;
		}
		if (mode != UTF8 && invisible_control(cp)) {
			if (mode == TEXT && cp == '\n')
				put(&o, "\\n", 2);
			else if (mode == TEXT && cp == '\t')
				put(&o, "\\t", 2);
			else
				for (size_t k = 0; k < n; k++)
					put_hex(&o, u[i + k]);
		} else if (mode == TEXT && (cp == '\\' || cp == '"')) {
			char e[2] = {'\\', (char)cp};
			put(&o, e, 2);
		} else if (mode == XML && cp == '&') {
			put(&o, "&amp;", 5);
		} else if (mode == XML && cp == '<') {
			put(&o, "&lt;", 4);
		} else if (mode == XML && cp == '>') {
			put(&o, "&gt;", 4);
		} else if (mode == XML && cp == '"') {
			put(&o, "&quot;", 6);
		} else if (mode == XML && cp == '\'') {
			put(&o, "&#39;", 5);
		} else {
			put(&o, s + i, n);
		}
		i += n;
	}
	return finish(&o);
}

size_t dt_escape_text(char *out, size_t outsz, const char *s, size_t len)
{
	return escape(out, outsz, s, len, TEXT);
}

size_t dt_sanitize_utf8(char *out, size_t outsz, const char *s, size_t len)
{
	return escape(out, outsz, s, len, UTF8);
}

size_t dt_escape_xml(char *out, size_t outsz, const char *s, size_t len)
{
	return escape(out, outsz, s, len, XML);
}
