/* SPDX-License-Identifier: Apache-2.0 */
/* How every text renderer names a buffer and an importer, with untrusted strings
 * passed through an escaper (dt_escape_text for terminals, dt_escape_xml for HTML/XML). */
#ifndef DT_DESCRIBE_H
#define DT_DESCRIBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef size_t (*dt_escaper)(char *out, size_t outsz, const char *s, size_t len);

/* "4242 (system, 4 MiB, "frame0")"; "4242 (export not traced)" when nothing is known of its export,
 * "..., exported before tracing)" when it was seeded from bufinfo. */
const char *dt_format_buffer(char *out, size_t outsz, uint64_t ino, const char *exporter, uint64_t size,
			     const char *name, bool provisional, dt_escaper esc);
/* "vivid.0 [vivid]", "vgem [no driver]", "? [unknown]" for an attachment whose attach was not traced. */
const char *dt_format_device(char *out, size_t outsz, const char *dev, const char *driver, bool provisional,
			     dt_escaper esc);
/* The notes every text renderer appends to a finding's message. Incomplete: an event before it was lost, or
 * arrived late (out of ts order), so what it would have changed was judged without it. */
#define DT_NOTE_PROVISIONAL " [trace started mid-way]"
#define DT_NOTE_INCOMPLETE " [incomplete: events were lost or arrived late before it]"

#endif
