// SPDX-License-Identifier: Apache-2.0
/* See proto.h. Requests are tiny: yajl's tree parser on a bounded, NUL-terminated copy. */
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_tree.h>

#include "daemon/proto.h"

static const char *const cmd_names[] = {
	[DT_REQ_STATUS] = "status",
	[DT_REQ_STATE] = "state",
	[DT_REQ_SNAPSHOT] = "snapshot",
	[DT_REQ_METRICS] = "metrics",
};

const char *dt_request_cmd_name(enum dt_request_cmd c)
{
	return (unsigned)c < sizeof(cmd_names) / sizeof(cmd_names[0]) ? cmd_names[c] : "?";
}

static yajl_val field(yajl_val obj, const char *name)
{
	for (size_t i = 0; i < obj->u.object.len; i++)
		if (strcmp(obj->u.object.keys[i], name) == 0)
			return obj->u.object.values[i];
	return NULL;
}

int dt_proto_parse_request(const char *text, size_t len, struct dt_request *req, char *err, size_t errlen)
{
	memset(req, 0, sizeof(*req));
	if (len > DT_PROTO_MAX_REQUEST) {
		snprintf(err, errlen, "request longer than %d bytes", DT_PROTO_MAX_REQUEST);
		return -1;
	}
	if (memchr(text, '\0', len)) {
		snprintf(err, errlen, "request holds a NUL byte");
		return -1;
	}
	char buf[DT_PROTO_MAX_REQUEST + 1];
	memcpy(buf, text, len);
	buf[len] = '\0';
	char perr[256];
	yajl_val root = yajl_tree_parse(buf, perr, sizeof(perr));
	if (!root) {
		/* yajl's message spans lines and quotes the input: keep its first line only */
		char *nl = strchr(perr, '\n');
		if (nl)
			*nl = '\0';
		snprintf(err, errlen, "not JSON: %s", perr[0] ? perr : "parse error");
		return -1;
	}
	int rc = -1;
	if (!YAJL_IS_OBJECT(root)) {
		snprintf(err, errlen, "a request is a JSON object");
		goto out;
	}
	yajl_val v = field(root, "version");
	if (!v || !YAJL_IS_INTEGER(v)) {
		snprintf(err, errlen, "\"version\" (an integer) is required");
		goto out;
	}
	if (YAJL_GET_INTEGER(v) != DT_PROTO_VERSION) {
		snprintf(err, errlen, "protocol version %lld is not supported (this daemon speaks %d)",
			 (long long)YAJL_GET_INTEGER(v), DT_PROTO_VERSION);
		goto out;
	}
	yajl_val c = field(root, "cmd");
	if (!c || !YAJL_IS_STRING(c)) {
		snprintf(err, errlen, "\"cmd\" (a string) is required");
		goto out;
	}
	const char *name = YAJL_GET_STRING(c);
	size_t i;
	for (i = 0; i < sizeof(cmd_names) / sizeof(cmd_names[0]); i++)
		if (strcmp(name, cmd_names[i]) == 0)
			break;
	if (i == sizeof(cmd_names) / sizeof(cmd_names[0])) {
		snprintf(err, errlen, "unknown cmd (status, state, snapshot, metrics)");
		goto out;
	}
	req->cmd = (enum dt_request_cmd)i;
	yajl_val last = field(root, "last_ns");
	if (last) {
		if (req->cmd != DT_REQ_SNAPSHOT || !YAJL_IS_INTEGER(last) || YAJL_GET_INTEGER(last) < 0) {
			snprintf(err, errlen, "\"last_ns\" is a non-negative integer, for snapshot only");
			goto out;
		}
		req->last_ns = (uint64_t)YAJL_GET_INTEGER(last);
	}
	rc = 0;
out:
	yajl_tree_free(root);
	return rc;
}
