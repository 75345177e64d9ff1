// SPDX-License-Identifier: Apache-2.0
/* One error voice for every layer, and the status library code returns instead of exit codes.
 * Code below src/cli/ says what went wrong (dt_err, dt_warn) and returns a dt_status; only the CLI turns a
 * status into an exit code (cli/cli.h). The CLI sets the voice up once per run: the command's name for the
 * prefix ("dmabuf-trace check: ...") and, under --format json, one JSON object per message on stderr. */
#ifndef DT_ERRORS_H
#define DT_ERRORS_H

#include <stdbool.h>
#include <stdio.h>

/* What a library call reports besides its message. The numbers are the documented exit codes (main.c
 * returns them); DT_OK/DT_ERR_* are the names library code uses, DT_EXIT_* the CLI's. */
enum dt_status {
	DT_EXIT_OK = 0,
	DT_EXIT_FINDINGS = 1, /* an error-severity finding */
	DT_EXIT_INPUT = 2,    /* usage or malformed input */
	DT_EXIT_SYSTEM = 3,   /* the system refused: privileges, BPF load, disk full */
	DT_OK = DT_EXIT_OK,
	DT_ERR_INPUT = DT_EXIT_INPUT,   /* the input or the request is unusable (malformed file, exists, bad option) */
	DT_ERR_SYSTEM = DT_EXIT_SYSTEM, /* the system refused: memory, privileges, BPF, disk */
};

/* command: shown in the prefix (NULL: "dmabuf-trace: "); json: messages as {"level","command","message"}. */
void dt_errors_setup(const char *command, bool json);
/* The stream messages go to (stderr; unit tests redirect it). */
void dt_errors_stream(FILE *f);

void dt_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "warning: " after the prefix; level "warning" in JSON. */
void dt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Progress and tallies that are not errors ("tracing ...", "seeded 3 buffers ..."). */
void dt_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* A dt_warn_fn-shaped adapter for readers that report warnings through a callback. */
void dt_warn_cb(void *ctx, const char *msg);

#endif
