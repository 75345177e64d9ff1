// SPDX-License-Identifier: Apache-2.0
/* The control protocol's request parser: valid requests, and every class of bad one gets a reason. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "daemon/proto.h"

static int parse(const char *s, struct dt_request *r, char *err)
{
	return dt_proto_parse_request(s, strlen(s), r, err, 300);
}

static void test_valid(void **state)
{
	(void)state;
	struct dt_request r;
	char err[300];
	assert_int_equal(parse("{\"version\":1,\"cmd\":\"status\"}", &r, err), 0);
	assert_int_equal(r.cmd, DT_REQ_STATUS);
	assert_int_equal(parse("{\"cmd\":\"snapshot\",\"version\":1,\"last_ns\":5000}", &r, err), 0);
	assert_int_equal(r.cmd, DT_REQ_SNAPSHOT);
	assert_int_equal(r.last_ns, 5000);
	assert_int_equal(parse("{\"version\":1,\"cmd\":\"state\",\"unknown\":[1,2]}", &r, err), 0);
	assert_int_equal(r.cmd, DT_REQ_STATE);
}

static void expect_error(const char *req, const char *needle)
{
	struct dt_request r;
	char err[300] = "";
	assert_int_equal(parse(req, &r, err), -1);
	if (!strstr(err, needle))
		fail_msg("\"%s\": error \"%s\" lacks \"%s\"", req, err, needle);
}

static void test_errors(void **state)
{
	(void)state;
	expect_error("", "not JSON");
	expect_error("{", "not JSON");
	expect_error("[1]", "JSON object");
	expect_error("{\"cmd\":\"status\"}", "version");
	expect_error("{\"version\":2,\"cmd\":\"status\"}", "version 2 is not supported");
	expect_error("{\"version\":\"1\",\"cmd\":\"status\"}", "version");
	expect_error("{\"version\":1}", "cmd");
	expect_error("{\"version\":1,\"cmd\":\"rm -rf\"}", "unknown cmd");
	expect_error("{\"version\":1,\"cmd\":\"status\",\"last_ns\":1}", "snapshot only");
	expect_error("{\"version\":1,\"cmd\":\"snapshot\",\"last_ns\":-1}", "non-negative");
	char big[DT_PROTO_MAX_REQUEST + 10];
	memset(big, ' ', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	expect_error(big, "longer than 4096");
	struct dt_request r;
	char err[300];
	assert_int_equal(dt_proto_parse_request("{\"version\":1,\0}", 15, &r, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "NUL"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
