// SPDX-License-Identifier: Apache-2.0
/* libFuzzer target: the daemon's control-request parser (docs/daemon-protocol.md). Any bytes must give
 * either a request or an error message, never a crash or a read past the input. */
#include <stddef.h>
#include <stdint.h>

#include "daemon/proto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dt_request req;
	char err[300];
	if (dt_proto_parse_request((const char *)data, size, &req, err, sizeof(err)) < 0 && !err[0])
		__builtin_trap(); /* a refusal always says why */
	return 0;
}
