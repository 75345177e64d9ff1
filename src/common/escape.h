/* SPDX-License-Identifier: Apache-2.0 */
/* Escaping of untrusted strings (buffer names set with DMA_BUF_SET_NAME, comm,
 * device names from trace files) for each output. Every renderer goes through here. */
#ifndef DT_ESCAPE_H
#define DT_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* The one "plain byte" rule of every fast path (the reader's strings, the findings' and the trace writer's
 * JSON, a recorder stack learnt once): a byte is plain when no output escapes it -- not below 0x20, not 0x7f
 * or above, not '"', not '\\'. Plain bytes are copied as they are; anything else takes the slow path. */
static inline bool dt_plain_byte(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* Bit 8k+7 set: byte k of the 8 in x (a little-endian load), or a byte below it, is not plain; other bits are
 * 0. The bit tricks of "haszero"/"hasless"/"hasmore" (Sean Anderson's bit hacks): a borrow or carry only
 * reaches the bytes above a byte that is not plain, so the answer is exact for the whole word and for any
 * bytes at its low end. */
static inline uint64_t dt_plain_bad8(uint64_t x)
{
	const uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
	uint64_t q = x ^ (ones * '"'), b = x ^ (ones * '\\');
	return (((x - ones * 0x20) & ~x) | ((x + ones * (0x7f - 0x7e)) | x) | ((q - ones) & ~q) | ((b - ones) & ~b)) &
	       highs;
}

/* True when all 8 bytes at s are plain. */
static inline bool dt_plain8(const char *s)
{
	uint64_t x;
	memcpy(&x, s, 8);
	return !dt_plain_bad8(x);
}

#ifdef __SSE2__
/* Bit k set: byte k of the 16 at s is not plain (SSE2: every x86-64). */
static inline __attribute__((always_inline)) unsigned dt_plain_bad16(const char *s)
{
	__m128i x = _mm_loadu_si128((const __m128i *)(const void *)s);
	/* signed: 0x80..0xff are below 0x20 too */
	__m128i bad = _mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(x, _mm_set1_epi8(0x20)), _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f))),
				   _mm_or_si128(_mm_cmpeq_epi8(x, _mm_set1_epi8('"')), _mm_cmpeq_epi8(x, _mm_set1_epi8('\\'))));
	return (unsigned)_mm_movemask_epi8(bad);
}
#endif

/* The length of the NUL-terminated s when every byte before its NUL is plain, else cap + 1; cap when no NUL
 * is in s's first cap bytes (all plain). One pass for strnlen and the check: the NUL is the first byte that is
 * not plain. cap is a multiple of 16 (a stack frame's buffer: DT_FRAME_MAX bytes). */
static inline __attribute__((always_inline)) size_t dt_plain_len(const char *s, size_t cap)
{
#ifdef __SSE2__
	for (size_t i = 0; i < cap; i += 16) {
		unsigned bad = dt_plain_bad16(s + i);
		if (bad) {
			size_t at = i + (size_t)__builtin_ctz(bad);
			return s[at] ? cap + 1 : at;
		}
	}
	return cap;
#else
	size_t i = 0;
	for (; i < cap && s[i]; i++)
		if (!dt_plain_byte((unsigned char)s[i]))
			return cap + 1;
	return i;
#endif
}

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
