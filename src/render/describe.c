/* SPDX-License-Identifier: Apache-2.0 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "render/describe.h"
#include "common/escape.h"
#include "common/event.h"
#include "common/units.h"

const char *dt_format_buffer(char *out, size_t outsz, uint64_t ino, const char *exporter, uint64_t size,
			     const char *name, bool provisional, dt_escaper esc)
{
	char sz[32], exp[DT_STR_MAX * 6], nm[DT_STR_MAX * 6];
	if (provisional && !exporter) {
		snprintf(out, outsz, "%" PRIu64 " (export not traced)", ino);
		return out;
	}
	esc(exp, sizeof(exp), exporter ? exporter : "?", exporter ? strlen(exporter) : 1);
	if (name)
		esc(nm, sizeof(nm), name, strlen(name));
	/* quotes as entities for XML, so the result also fits in an attribute value */
	const char *q = esc == dt_escape_xml ? "&quot;" : "\"";
	snprintf(out, outsz, "%" PRIu64 " (%s, %s%s%s%s%s%s)", ino, exp, dt_fmt_size(sz, sizeof(sz), size),
		 name ? ", " : "", name ? q : "", name ? nm : "", name ? q : "",
		 provisional ? ", exported before tracing" : "");
	return out;
}

const char *dt_format_device(char *out, size_t outsz, const char *dev, const char *driver, bool provisional,
			     dt_escaper esc)
{
	char d[DT_STR_MAX * 6], drv[DT_STR_MAX * 6];
	esc(d, sizeof(d), dev ? dev : "?", dev ? strlen(dev) : 1);
	if (driver)
		esc(drv, sizeof(drv), driver, strlen(driver));
	snprintf(out, outsz, "%s [%s]", d, provisional ? "unknown" : driver ? drv : "no driver");
	return out;
}
