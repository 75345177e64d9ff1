// SPDX-License-Identifier: Apache-2.0
/* The control protocol (docs/daemon-protocol.md): one JSON object per line each way, requests at most
 * DT_PROTO_MAX_REQUEST bytes, a "version" field in both. This file only parses requests: it is what
 * the fuzzer (tests/fuzz/fuzz_proto.c) drives. */
#ifndef DT_DAEMON_PROTO_H
#define DT_DAEMON_PROTO_H

#include <stddef.h>
#include <stdint.h>

#define DT_PROTO_VERSION 1
#define DT_PROTO_MAX_REQUEST 4096

enum dt_request_cmd {
	DT_REQ_STATUS,
	DT_REQ_STATE,
	DT_REQ_SNAPSHOT,
	DT_REQ_METRICS,
};

struct dt_request {
	enum dt_request_cmd cmd;
	uint64_t last_ns; /* snapshot: 0 = everything the flight recorder holds */
};

/* 0, or -1 with a one-line reason in err (sent back as the error reply). */
int dt_proto_parse_request(const char *text, size_t len, struct dt_request *req, char *err, size_t errlen);
const char *dt_request_cmd_name(enum dt_request_cmd c);

#endif
