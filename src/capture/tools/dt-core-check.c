// SPDX-License-Identifier: Apache-2.0
/* dt-core-check: resolves the CO-RE relocations of the capture's BPF object against a kernel's BTF
 * file without booting that kernel (e.g. BTF cut out of a Debian kernel image).
 *   dt-core-check [-o BPF_OBJECT] BTF_FILE
 * Prints one line per program: "ok NAME" or "FAIL NAME: relocation ..." (a field or type the
 * program reads without bpf_core_field_exists() that this kernel does not have), and exits 1 if
 * any program has an unresolved relocation. Default object: the one built into the skeleton of
 * this build's architecture. Needs to run where bpf() works (root): libbpf relocates during
 * load; programs failing to load afterwards for host reasons (no kprobes, fentry refused, another
 * architecture's instructions) do not count, only relocations. */
#include "dmabuf_trace.skel.h"

#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_PROGS 64
#define MAX_RELOS 128

static struct prog_result {
	char name[64];
	char why[256];
	int guarded;                   /* poisoned reads behind a false bpf_core_field_exists() */
	char spec[MAX_RELOS][96];      /* relo #N: "struct T.field" as libbpf names it */
	bool exists[MAX_RELOS];        /* relo #N is a bpf_core_field_exists() check */
	char absent[8][96];            /* fields a field_exists relocation found absent */
	int nabsent;
} g_res[MAX_PROGS];
static int g_nres;

static struct prog_result *result_for(const char *name)
{
	for (int i = 0; i < g_nres; i++)
		if (!strcmp(g_res[i].name, name))
			return &g_res[i];
	if (g_nres == MAX_PROGS)
		return NULL;
	snprintf(g_res[g_nres].name, sizeof(g_res[0].name), "%s", name);
	return &g_res[g_nres++];
}

/* "<kind> [id] struct T.field (..." -> "struct T.field" */
static void relo_spec(const char *p, char *out, size_t len)
{
	const char *s = strchr(p, ']'), *e;

	out[0] = 0;
	if (!s)
		return;
	s += 2;
	e = strstr(s, " (");
	snprintf(out, len, "%.*s", (int)(e ? e - s : (long)strcspn(s, "\n")), s);
}

/* libbpf names each relocation "prog 'NAME': relo #N: ..." and poisons the instruction
 * ("substituting insn #N w/ invalid insn") when no candidate in the target BTF matches a field the
 * program reads. A read behind bpf_core_field_exists() of a field this kernel lacks is poisoned
 * too, but is dead code the verifier removes: those count as guarded, not as failures. */
static int on_log(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[512], name[64];
	struct prog_result *r;
	const char *p;
	int n;

	vsnprintf(line, sizeof(line), fmt, ap);
	if (getenv("DT_CORE_CHECK_DEBUG"))
		fputs(line, stderr);
	if (sscanf(line, "libbpf: prog '%63[^']'", name) != 1 || !(p = strstr(line, "relo #")) ||
	    sscanf(p, "relo #%d:", &n) != 1 || n < 0 || n >= MAX_RELOS || !(r = result_for(name)))
		return 0;
	p = strchr(p, ':') + 2;
	if (*p == '<') {
		if (!r->spec[n][0]) {
			relo_spec(p, r->spec[n], sizeof(r->spec[n]));
			r->exists[n] = !strncmp(p, "<field_exists>", 14);
		}
		return 0;
	}
	if (strstr(p, "no matching targets") && r->exists[n] && r->nabsent < 8) {
		/* an existence check that found no such field: patched to false, not poisoned */
		memcpy(r->absent[r->nabsent++], r->spec[n], sizeof(r->absent[0]));
		return 0;
	}
	if (strstr(p, "invalid insn") || strstr(p, "failed")) {
		for (int i = 0; i < r->nabsent && strstr(p, "invalid insn"); i++)
			if (!strcmp(r->absent[i], r->spec[n])) {
				r->guarded++;
				return 0;
			}
		if (!r->why[0]) {
			size_t m = strcspn(p, "\n");
			snprintf(r->why, sizeof(r->why), "relo #%d (%s): %.*s", n, r->spec[n], (int)m, p);
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	LIBBPF_OPTS(bpf_object_open_opts, oo);
	const char *objpath = NULL;
	struct bpf_object *obj;
	struct bpf_program *p;
	int opt, bad = 0, n = 0;

	while ((opt = getopt(argc, argv, "o:")) != -1) {
		if (opt == 'o')
			objpath = optarg;
		else
			goto usage;
	}
	if (optind + 1 != argc)
		goto usage;
	oo.btf_custom_path = argv[optind];
	if (access(oo.btf_custom_path, R_OK)) {
		fprintf(stderr, "dt-core-check: %s: %s\n", oo.btf_custom_path, strerror(errno));
		return 2;
	}
	libbpf_set_print(on_log);
	if (objpath) {
		obj = bpf_object__open_file(objpath, &oo);
	} else {
		size_t sz;
		const void *data = dmabuf_trace_bpf__elf_bytes(&sz);

		obj = bpf_object__open_mem(data, sz, &oo);
	}
	if (!obj) {
		fprintf(stderr, "dt-core-check: cannot open the BPF object: %s\n", strerror(errno));
		return 2;
	}
	/* Every program variant gets relocated (autoload is on by default for all of them). */
	bpf_object__load(obj);
	bpf_object__for_each_program(p, obj) {
		const char *name = bpf_program__name(p);
		struct prog_result *r = result_for(name);

		n++;
		if (r && r->why[0]) {
			printf("FAIL %s: %s\n", name, r->why);
			bad++;
		} else if (r && r->guarded) {
			printf("ok   %s (%d read(s) of fields this kernel lacks, behind bpf_core_field_exists)\n", name,
			       r->guarded);
		} else {
			printf("ok   %s\n", name);
		}
	}
	bpf_object__close(obj);
	printf("%s: %d programs, %d with unresolved relocations\n", oo.btf_custom_path, n, bad);
	return bad ? 1 : 0;
usage:
	fprintf(stderr, "usage: dt-core-check [-o BPF_OBJECT] BTF_FILE\n");
	return 2;
}
