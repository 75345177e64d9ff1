/* One error voice and one set of statuses for every layer. Library code returns a
 * dt_status and says what went wrong through dt_err()/dt_warn(); only main() turns the
 * status into the process exit status (the numbers are the documented exit codes). */
#ifndef DT_ERRORS_H
#define DT_ERRORS_H

enum dt_status {
	DT_EXIT_OK = 0,
	DT_EXIT_FINDINGS = 1, /* an error-severity finding */
	DT_EXIT_INPUT = 2,    /* usage or malformed input */
	DT_EXIT_SYSTEM = 3,   /* the system refused: privileges, BPF load, disk full */
};

/* "dmabuf-trace: what\n" on stderr. */
void dt_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "dmabuf-trace: warning: what\n" on stderr. */
void dt_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
