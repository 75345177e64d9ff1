// SPDX-License-Identifier: Apache-2.0
/* The "holders" member of a buffer in `state --live`: the one listing both the daemon's reply and the
 * daemon-less client print, so the two stay the same shape. */
#ifndef DT_DAEMON_HOLDERS_JSON_H
#define DT_DAEMON_HOLDERS_JSON_H

#include <stdint.h>

#include <yajl/yajl_gen.h>

#include "daemon/holders.h"

/* Writes "holders": [{pid, comm, fds, mmaps}, ...] for the buffer with inode ino into the open map of g. */
void dt_holders_json(yajl_gen g, const struct dt_holders *h, uint64_t ino);

#endif
