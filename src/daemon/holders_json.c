// SPDX-License-Identifier: Apache-2.0
/* See holders_json.h. */
#include "common/json_gen.h"
#include "daemon/holders_json.h"

void dt_holders_json(yajl_gen g, const struct dt_holders *h, uint64_t ino)
{
	dt_json_key(g, "holders");
	yajl_gen_array_open(g);
	for (size_t k = 0; k < h->n; k++) {
		if (h->v[k].ino != ino)
			continue;
		yajl_gen_map_open(g);
		dt_json_u64(g, "pid", (uint64_t)h->v[k].pid);
		dt_json_str(g, "comm", h->v[k].comm);
		dt_json_u64(g, "fds", h->v[k].fds);
		dt_json_u64(g, "mmaps", h->v[k].maps);
		yajl_gen_map_close(g);
	}
	yajl_gen_array_close(g);
}
