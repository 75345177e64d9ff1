/* SPDX-License-Identifier: Apache-2.0 */
/* Escaping of untrusted strings (buffer names set with DMA_BUF_SET_NAME, comm,
 * device names from trace files) for each output. Every renderer goes through here. */
#ifndef DT_ESCAPE_H
#define DT_ESCAPE_H

#include <stddef.h>

/* Terminal/plain text: printable ASCII and well-formed printable UTF-8 pass;
 * control bytes, C1/bidi controls and invalid UTF-8 become \xNN; '\\' and '"' are
 * backslash-escaped. Always NUL-terminates; cuts with "..." when out is too small. */
size_t dt_escape_text(char *out, size_t outsz, const char *s, size_t len);

/* Valid UTF-8 for JSON generators: invalid bytes become the text \xNN; control
 * characters stay (the JSON generator escapes them). */
size_t dt_sanitize_utf8(char *out, size_t outsz, const char *s, size_t len);

/* HTML/XML text and attribute values: as dt_sanitize_utf8, then & < > " ' as entities,
 * control characters as \xNN text (XML 1.0 cannot carry them). */
size_t dt_escape_xml(char *out, size_t outsz, const char *s, size_t len);

#endif
