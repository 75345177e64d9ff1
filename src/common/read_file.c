/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/read_file.h"

char *dt_read_file(const char *path, size_t max_bytes, const char *what, size_t *len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "re");
	if (!f) {
		if (what)
			snprintf(err, errlen, "%s: cannot open %s: %s", path, what, strerror(errno));
		else
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char *text = NULL;
	size_t n = 0, cap = 0;
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (n + got > max_bytes) {
			snprintf(err, errlen, "%s: larger than %zu bytes%s%s", path, max_bytes, what ? ": not a " : "",
				 what ? what : "");
			goto fail;
		}
		if (n + got + 1 > cap) {
			cap = (n + got + 1) * 2;
			char *nt = realloc(text, cap);
			if (!nt) {
				snprintf(err, errlen, "%s: out of memory", path);
				goto fail;
			}
			text = nt;
		}
		memcpy(text + n, chunk, got);
		n += got;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error (is it a directory?)", path);
		goto fail;
	}
	fclose(f);
	if (!text && !(text = calloc(1, 1))) {
		snprintf(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	text[n] = '\0';
	*len = n;
	return text;
fail:
	free(text);
	fclose(f);
	return NULL;
}
