/* SPDX-License-Identifier: Apache-2.0 */
#include <stdarg.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/units.h"

/* Decimal digits of v at p, backwards from the end; returns the first digit. */
static char *digits_before(char *end, uint64_t v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/* Messages format sizes for every finding, so this avoids printf: the same text as
 * "%" PRIu64 " %s" or "%.1f %s" would give, rounding included (the quotient by a power of two
 * is exact in a double below 2^53; printf then rounds half to even, as here). */
const char *dt_fmt_size(char *out, size_t outsz, uint64_t b)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	int u = 0;
	uint64_t whole = b;
	while (whole >= 1024 && u < 4) {
		whole /= 1024;
		u++;
	}
	uint64_t div = 1ull << (10 * u);
	if (b % div && b >= (1ull << 53)) { /* beyond exact doubles: printf's rounding of the double */
		snprintf(out, outsz, "%.1f %s", (double)b / (double)div, unit[u]);
		return out;
	}
	char tmp[40], *end = tmp + 32, *p;
	if (b % div == 0) {
		p = digits_before(end, b / div);
	} else {
		uint64_t tenths = b / div * 10 + (b % div) * 10 / div, rest = (b % div) * 10 % div;
		if (rest * 2 > div || (rest * 2 == div && (tenths & 1)))
			tenths++;
		*--end = (char)('0' + tenths % 10);
		*--end = '.';
		p = digits_before(end, tenths / 10);
		end += 2;
	}
	*end++ = ' ';
	size_t ul = strlen(unit[u]);
	memcpy(end, unit[u], ul + 1);
	size_t n = (size_t)(end + ul - p);
	if (outsz) {
		size_t k = n < outsz ? n : outsz - 1;
		memcpy(out, p, k);
		out[k] = '\0';
	}
	return out;
}

const char *dt_fmt_size_exact(char *out, size_t outsz, uint64_t b)
{
	dt_fmt_size(out, outsz, b);
	if (strchr(out, '.')) { /* rounded to tenths of its unit */
		size_t n = strlen(out);
		snprintf(out + n, outsz > n ? outsz - n : 0, " (%" PRIu64 " bytes)", b);
	}
	return out;
}

int dt_parse_size(const char *s, uint64_t *out)
{
	if (!s || !*s || *s == '-' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	char *end;
	/* Decimal unless 0x: base 0 would read "010" as octal 8. */
	bool hex = s[0] == '0' && (s[1] == 'x' || s[1] == 'X');
	unsigned long long v = strtoull(s, &end, hex ? 16 : 10);
	if (errno || end == s)
		return -1;
	unsigned shift = 0;
	if (*end) {
		switch (toupper((unsigned char)*end)) {
		case 'K': shift = 10; break;
		case 'M': shift = 20; break;
		case 'G': shift = 30; break;
		default: return -1;
		}
		end++;
		if (strcasecmp(end, "") != 0 && strcasecmp(end, "iB") != 0 && strcasecmp(end, "B") != 0)
			return -1;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return -1;
	*out = (uint64_t)v << shift;
	return 0;
}

char *dt_join(char *out, size_t outsz, ...)
{
	if (!outsz)
		return out;
	size_t n = 0;
	va_list ap;
	va_start(ap, outsz);
	for (const char *part; (part = va_arg(ap, const char *)) && n + 1 < outsz;) {
		size_t len = strlen(part);
		if (len > outsz - 1 - n)
			len = outsz - 1 - n;
		memcpy(out + n, part, len);
		n += len;
	}
	va_end(ap);
	out[n] = '\0';
	return out;
}
