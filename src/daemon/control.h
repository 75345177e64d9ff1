// SPDX-License-Identifier: Apache-2.0
/* The daemon's control socket (docs/daemon-protocol.md): a UNIX stream socket, mode 0660, group
 * --socket-group; every peer is checked with SO_PEERCRED (root, the daemon's own user, or a member of
 * the socket's group). Never blocks the daemon on a slow or hostile client: requests are read without
 * blocking, bounded in size and time; a bad request gets an error reply. */
#ifndef DT_DAEMON_CONTROL_H
#define DT_DAEMON_CONTROL_H

#include <stdio.h>

#include "daemon/proto.h"

#define DT_DEFAULT_SOCKET "/run/dmabuf-trace/control"

struct dt_control;

/* The handler writes the reply lines to out (one JSON object per line; see the protocol). */
typedef void (*dt_control_fn)(void *ctx, const struct dt_request *req, FILE *out);

/* Creates the socket (replacing a stale one; refusing when a daemon answers there). NULL with err set. */
struct dt_control *dt_control_open(const char *path, const char *group, char *err, size_t errlen);
/* Accepts and serves what is pending; returns at once. */
void dt_control_poll(struct dt_control *c, dt_control_fn fn, void *ctx);
/* Requests served and refused so far. */
void dt_control_counts(const struct dt_control *c, unsigned long long *served, unsigned long long *refused);
void dt_control_close(struct dt_control *c);

/* Client side: connects to path, sends one request line. Returns a stream for the reply lines, or NULL
 * with err set (no daemon there, permission). */
FILE *dt_control_request(const char *path, const char *request_line, char *err, size_t errlen);
/* One JSON error reply line. */
void dt_control_error_reply(FILE *out, const char *msg);

#endif
