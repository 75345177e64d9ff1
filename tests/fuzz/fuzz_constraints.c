/* SPDX-License-Identifier: Apache-2.0 */
/* libFuzzer target: the constraints profile parser (dt_constraints_parse) and the
 * matcher (dt_constraints_apply) over a few device/driver names. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine/constraints.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* dt_constraints_load refuses NUL bytes before parsing: the parser sees C strings. */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	char err[512];
	struct dt_constraints *c = dt_constraints_parse("fuzz.profile", text, err, sizeof(err));
	if (c) {
		static const char *const devs[][2] = {
			{"vivid.0", "vivid"}, {"0000:00:04.0", "virtio-pci"}, {"vgem", NULL}, {"?", NULL}, {"", ""},
		};
		for (size_t i = 0; i < sizeof(devs) / sizeof(devs[0]); i++) {
			struct dt_limits lim = {0};
			dt_constraints_apply(c, devs[i][0], devs[i][1], &lim);
		}
		dt_constraints_free(c);
	} else if (!memchr(err, '\0', sizeof(err))) {
		abort(); /* the message must be terminated */
	}
	free(text);
	return 0;
}
