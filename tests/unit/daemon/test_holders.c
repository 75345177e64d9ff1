// SPDX-License-Identifier: Apache-2.0
/* holders: dma-buf fds and mmaps read from a /proc laid out by the test (the real one has no dma-buf on
 * the host; the guest suite checks the real thing). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "daemon/holders.h"

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static void test_maps_and_unreadable(void **state)
{
	(void)state;
	char root[] = "/tmp/dt-holders-XXXXXX", p[256];
	assert_non_null(mkdtemp(root));
	snprintf(p, sizeof(p), "%s/4242", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/4242/fd", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/4242/comm", root);
	put(p, "cam\\x1b\n");
	snprintf(p, sizeof(p), "%s/4242/maps", root);
	put(p, "55d0c000-55d0d000 r--p 00000000 08:01 777 /usr/bin/cam\n"
	       "7f0000000000-7f0000100000 rw-s 00000000 00:08 1234                       /dmabuf:frame0\n"
	       "7f0000100000-7f0000200000 rw-s 00000000 00:08 1234                       /dmabuf:frame0\n"
	       "7f0000200000-7f0000300000 rw-s 00000000 00:08 99 anon_inode:dmabuf\n");
	/* a process without fd/ and maps: counted as unreadable, not guessed */
	snprintf(p, sizeof(p), "%s/17", root);
	mkdir(p, 0755);
	struct dt_holders h;
	assert_int_equal(dt_holders_scan(&h, root), 0);
	assert_int_equal(h.scanned, 2);
	assert_int_equal(h.unreadable, 1);
	assert_int_equal(h.n, 2);
	unsigned found = 0;
	for (size_t i = 0; i < h.n; i++) {
		assert_int_equal(h.v[i].pid, 4242);
		if (h.v[i].ino == 1234) {
			assert_int_equal(h.v[i].maps, 2);
			found++;
		}
		if (h.v[i].ino == 99) {
			assert_int_equal(h.v[i].maps, 1);
			found++;
		}
	}
	assert_int_equal(found, 2);
	dt_holders_free(&h);
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	assert_int_equal(system(cmd), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_maps_and_unreadable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
