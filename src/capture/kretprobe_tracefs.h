// SPDX-License-Identifier: Apache-2.0
/* A kretprobe with a chosen maxactive, made through tracefs (libbpf 1.1 cannot set maxactive on the perf
 * kprobe it creates). For tests only: maxactive 1 makes concurrent calls miss, and those misses must show
 * up counted as lost (kprobe link "missed", 6.7+). */
#ifndef DT_CAPTURE_KRETPROBE_TRACEFS_H
#define DT_CAPTURE_KRETPROBE_TRACEFS_H

#include <bpf/libbpf.h>

/* NULL with errno set on failure. The tracefs event is removed again by dt_kretprobe_tracefs_cleanup. */
struct bpf_link *dt_kretprobe_tracefs_attach(struct bpf_program *prog, const char *func, int maxactive);
void dt_kretprobe_tracefs_cleanup(void);

#endif
