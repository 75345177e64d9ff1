// SPDX-License-Identifier: Apache-2.0
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

#include "ingest/ftrace.h"
#include "ingest/sniff.h"

const char *dt_look_name(enum dt_look l)
{
	switch (l) {
	case DT_LOOK_TRACE: return "a dmabuf-trace trace (format v1)";
	case DT_LOOK_FTRACE: return "ftrace text";
	case DT_LOOK_BUFINFO: return "a debugfs dma_buf/bufinfo snapshot";
	case DT_LOOK_DMESG: return "a kernel log (dmesg)";
	case DT_LOOK_GZIP: return "gzip-compressed data";
	case DT_LOOK_ZSTD: return "zstd-compressed data";
	case DT_LOOK_BINARY: return "binary data";
	case DT_LOOK_OTHER: return "text of no known kind";
	}
	return "?";
}

/* "[    1.234567] ..." (dmesg), "<6>[    1.234567] ..." (/dev/kmsg, dmesg -r), "[Mon Jan  1 ...] ..." (dmesg -T). */
static bool dmesg_line(const char *s, size_t n)
{
	size_t i = 0;
	if (i < n && s[i] == '<') {
		while (i < n && s[i] != '>')
			i++;
		i++;
	}
	if (i >= n || s[i] != '[')
		return false;
	i++;
	while (i < n && s[i] == ' ')
		i++;
	size_t digits = 0;
	while (i < n && isdigit((unsigned char)s[i]))
		i++, digits++;
	if (digits && i < n && s[i] == '.') {
		i++;
		size_t frac = 0;
		while (i < n && isdigit((unsigned char)s[i]))
			i++, frac++;
		return frac >= 3 && i < n && s[i] == ']';
	}
	/* dmesg -T: "[Mon Dec  1 19:30:40 2026]" */
	return !digits && n - i >= 4 && isupper((unsigned char)s[i]) && memchr(s + i, ']', n - i) &&
	       memchr(s + i, ':', n - i);
}

/* journalctl -k / syslog: "Dec 01 19:30:40 host kernel: ..." */
static bool syslog_kernel_line(const char *s, size_t n)
{
	if (n < 16 || !isupper((unsigned char)s[0]) || s[3] != ' ' || s[9] != ':' || s[12] != ':')
		return false;
	return memmem(s, n, " kernel: ", 9) != NULL;
}

enum dt_look dt_sniff(const char *buf, size_t len)
{
	const unsigned char *u = (const unsigned char *)buf;
	if (len >= 2 && u[0] == 0x1f && u[1] == 0x8b)
		return DT_LOOK_GZIP;
	if (len >= 4 && u[0] == 0x28 && u[1] == 0xb5 && u[2] == 0x2f && u[3] == 0xfd)
		return DT_LOOK_ZSTD;
	size_t i = 0;
	while (i < len && isspace(u[i]))
		i++;
	if (i == len || buf[i] == '{')
		return DT_LOOK_TRACE;
	/* NUL bytes before any JSON: not text at all (a NUL inside a trace is the reader's file:line error), unless
	 * what comes before the first is ftrace text (its reader warns of each such line, file:line). */
	const char *nul = memchr(buf, '\0', len);
	if (nul)
		return dt_ftrace_sniff(buf, (size_t)(nul - buf)) ? DT_LOOK_FTRACE : DT_LOOK_BINARY;
	/* Line-based looks: the first few non-empty lines decide. */
	unsigned dmesg = 0, lines = 0;
	for (size_t p = i; p < len && lines < 8;) {
		const char *nl = memchr(buf + p, '\n', len - p);
		size_t e = nl ? (size_t)(nl - buf) : len;
		const char *s = buf + p;
		size_t n = e - p;
		if (n) {
			lines++;
			if ((n >= 16 && !memcmp(s, "Dma-buf Objects:", 16)) ||
			    (n >= 20 && !strncmp(s, "size", 4) && memmem(s, n, "exp_name", 8)))
				return DT_LOOK_BUFINFO;
			if (dmesg_line(s, n) || syslog_kernel_line(s, n))
				dmesg++;
		}
		if (!nl)
			break;
		p = e + 1;
	}
	if (dmesg && dmesg * 2 >= lines)
		return DT_LOOK_DMESG;
	if (dt_ftrace_sniff(buf, len))
		return DT_LOOK_FTRACE;
	return DT_LOOK_OTHER;
}
