/* SPDX-License-Identifier: Apache-2.0 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/units.h"

const char *dt_fmt_size(char *out, size_t outsz, uint64_t b)
{
	static const char *const unit[] = {"B", "KiB", "MiB", "GiB", "TiB"};
	int u = 0;
	uint64_t whole = b;
	while (whole >= 1024 && u < 4) {
		whole /= 1024;
		u++;
	}
	if (u == 0) {
		snprintf(out, outsz, "%" PRIu64 " B", b);
	} else {
		uint64_t div = 1ull << (10 * u);
		if (b % div == 0)
			snprintf(out, outsz, "%" PRIu64 " %s", b / div, unit[u]);
		else
			snprintf(out, outsz, "%.1f %s", (double)b / (double)div, unit[u]);
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
