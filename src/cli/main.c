/* dmabuf-trace: make dma-buf sharing visible and checkable. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "common/version.h"


#define EXIT_DOC                                                                                   \
	"Exit status: 0 no error finding, 1 an error-severity finding, 2 usage or input error, "   \
	"3 the system refused (privileges, BPF, disk full)."

const struct dt_command dt_commands[] = {
	{"check", CMD_CHECK, "TRACE...",
	 "Run the rules over recorded traces ('-' reads stdin) and print the findings.\v"
	 "Examples:\n"
	 "  dmabuf-trace check run.jsonl\n"
	 "  dmabuf-trace check --constraints board.profile --format json run.jsonl\n"
	 "  dmabuf-trace check --min-severity error a.jsonl b.jsonl\n\n" EXIT_DOC,
	 1, -1, dt_cmd_check},
	{"timeline", CMD_TIMELINE, "TRACE",
	 "Print each buffer's attach/map history with findings inline.\v"
	 "Examples:\n"
	 "  dmabuf-trace timeline run.jsonl\n"
	 "  dmabuf-trace timeline --buf 1234 run.jsonl\n\n" EXIT_DOC,
	 1, 1, dt_cmd_timeline},
	{"state", CMD_STATE, "TRACE",
	 "Print the live buffers and their attachments (device, driver, mapped or not) at a point of a trace: "
	 "what was attached when it hung.\v"
	 "--at NS stops before the first event later than NS (the trace's ts, CLOCK_BOOTTIME); without it, the "
	 "state at the end of the trace. --format json prints one object per buffer: buf, exporter, size, name, "
	 "provisional, attachments [{att, dev, driver, mapped, provisional}].\n\n"
	 "Examples:\n"
	 "  dmabuf-trace state run.jsonl\n"
	 "  dmabuf-trace state --at 5123456789 --format json run.jsonl\n\n"
	 "Exit status: 0, or 2 usage or input error.",
	 0, 1, dt_cmd_state},
	{"daemon", CMD_DAEMON, "",
	 "Trace always: segments in --dir (each a whole trace starting with the live state; closed ones zstd "
	 "compressed; rotation by size or age; retention by count or size), findings to the journal (or stderr), "
	 "a control socket for status, state --live and snapshot, optional Prometheus metrics.\v"
	 "Examples:\n"
	 "  dmabuf-trace daemon --dir /var/lib/dmabuf-trace --constraints board.profile --snapshot-on-error\n"
	 "  dmabuf-trace daemon --dir segs --rotate-size 1M --keep 20 --socket /tmp/dt.sock --metrics-file m.prom\n\n"
	 "SIGHUP re-reads the profile and starts a new segment; SIGTERM drains the ring buffer, closes the segment "
	 "and exits 0. A restarted daemon records the gap since the previous one's last event. The protocol of "
	 "the socket is docs/daemon-protocol.md.\n\n" EXIT_DOC,
	 0, 0, dt_cmd_daemon},
	{"status", CMD_STATUS, "",
	 "Ask the daemon: uptime, events, lost events by cause, findings per rule, the current segment.\v"
	 "Examples:\n  dmabuf-trace status\n  dmabuf-trace status --format json --socket /tmp/dt.sock\n\n"
	 "Exit status: 0, 2 usage, 3 no daemon answers.",
	 0, 0, dt_cmd_status},
	{"snapshot", CMD_SNAPSHOT, "",
	 "Write the daemon's flight recorder (its newest events) as a trace.\v"
	 "Examples:\n  dmabuf-trace snapshot -o before-hang.jsonl --last 30s\n\n"
	 "Buffers older than the window show as exported before tracing. Exit status: 0, 2 usage, 3 no daemon "
	 "answers or the file cannot be written.",
	 0, 0, dt_cmd_snapshot},
	{"record", CMD_RECORD, "[-- COMMAND [ARG...]]",
	 "Trace dma-buf activity live with BPF (root): print findings as they happen and write the trace. "
	 "With a COMMAND, trace until it exits.\v"
	 "Examples:\n"
	 "  dmabuf-trace record -o run.jsonl                 # until Ctrl-C\n"
	 "  dmabuf-trace record -o run.jsonl --duration 10\n"
	 "  dmabuf-trace record -o run.jsonl --constraints board.profile -- ./camera-test\n"
	 "  dmabuf-trace record --format json --quiet -o run.jsonl -p 1234\n\n"
	 "A first Ctrl-C (or SIGTERM) drains the ring buffer and prints a summary; a second exits at once. "
	 "Lost kernel events are counted in the trace and the summary.\n\n" EXIT_DOC,
	 0, -1, dt_cmd_record},
	{"redact", CMD_REDACT, "TRACE",
	 "Write the trace without its original segment addresses (physical addresses when there is no IOMMU), "
	 "for sharing: each back-to-back run of segments keeps its lengths, its adjacency and its offset to the "
	 "largest power-of-two boundary (up to 4 GiB) it crosses, on a random base; separate runs stay apart. "
	 "Every rule gives the same findings for boundary masks up to 4 GiB. The header says \"redacted\".\v"
	 "Examples:\n"
	 "  dmabuf-trace redact run.jsonl -o shared.jsonl\n"
	 "  dmabuf-trace record --redact -o run.jsonl -- ./camera-test\n\n" EXIT_DOC,
	 1, 1, dt_cmd_redact},
	{"import", CMD_IMPORT, "FILE",
	 "Convert kernel ftrace text (a saved /sys/kernel/tracing/trace or `trace-cmd report`) into a trace "
	 "(format v1) for post-mortem checks without BPF ('-' reads stdin; check also reads ftrace text directly).\v"
	 "Understood: the kprobe events of `dmabuf-trace ftrace-recipe`, the dma_buf:* tracepoints (7.0+) and "
	 "dma:dma_map_sg/dma_unmap_sg (6.12+); docs/ftrace.md. Lines it cannot use are counted in one summary line "
	 "on stderr, never fatal.\n\n"
	 "Examples:\n"
	 "  dmabuf-trace import --from ftrace saved.trace -o run.jsonl\n"
	 "  trace-cmd report | dmabuf-trace import --from ftrace - > run.jsonl\n"
	 "  dmabuf-trace check saved.trace\n\n" EXIT_DOC,
	 1, 1, dt_cmd_import},
	{"ftrace-recipe", CMD_RECIPE, "[BTF]",
	 "Print a shell script that sets up tracefs kprobe events whose log `import`/`check` understand, for "
	 "kernels where BPF is not allowed (offsets from the kernel's BTF, default /sys/kernel/btf/vmlinux).\v"
	 "Examples:\n"
	 "  dmabuf-trace ftrace-recipe > recipe.sh\n"
	 "  sudo sh recipe.sh start; ./camera-test; sudo sh recipe.sh save run.ftrace; sudo sh recipe.sh stop\n"
	 "  dmabuf-trace check run.ftrace\n\n" EXIT_DOC,
	 0, 1, dt_cmd_ftrace_recipe},
	{"baseline", CMD_BASELINE, "TRACE...",
	 "Write the findings of accepted runs as a baseline for check --baseline (docs/baseline-format.md).\v"
	 "Findings match on rule, exporter, importer device and driver, buffer name and size; never on inode "
	 "numbers, times or ids.\n\n"
	 "Examples:\n"
	 "  dmabuf-trace baseline -o known.baseline run1.jsonl run2.jsonl\n"
	 "  dmabuf-trace check --baseline known.baseline new-run.jsonl   # only new findings\n\n" EXIT_DOC,
	 1, -1, dt_cmd_baseline},
	{"export", CMD_EXPORT, "TRACE",
	 "Write the trace as Chrome trace-event JSON for the Perfetto UI (ui.perfetto.dev) or chrome://tracing.\v"
	 "Each buffer is a process: a track for the buffer (export to release) and one per importer, with the "
	 "attachment as a slice, its maps nested inside, findings as instant events and a flow from the exporter "
	 "to each importer.\n\n"
	 "Examples:\n"
	 "  dmabuf-trace export --perfetto run.perfetto.json run.jsonl\n"
	 "  dmabuf-trace export --perfetto - run.jsonl | jq .\n\n" EXIT_DOC,
	 1, 1, dt_cmd_export},
	{"report", CMD_REPORT, "TRACE",
	 "Write a self-contained HTML report: per-buffer swimlanes, findings with their messages, a summary per rule.\v"
	 "The file loads nothing from the network and runs no script.\n\n"
	 "Examples:\n"
	 "  dmabuf-trace report --html run.html run.jsonl\n"
	 "  dmabuf-trace report --html run.html --constraints board.profile run.jsonl\n\n" EXIT_DOC,
	 1, 1, dt_cmd_report},
	{"advise", CMD_ADVISE, "TRACE",
	 "For each buffer: the importers seen, the intersection of their limits, the most restrictive importer "
	 "(the device that should export or dictate the allocation) and whether the recorded backing satisfied "
	 "everyone.\v"
	 "Examples:\n"
	 "  dmabuf-trace advise run.jsonl\n"
	 "  dmabuf-trace advise --constraints board.profile run.jsonl\n\n"
	 "Exit status: 0 every importer was satisfied, 1 a recorded mapping broke an importer's limits, "
	 "2 usage or input error.",
	 1, 1, dt_cmd_advise},
};
const unsigned dt_ncommands = sizeof(dt_commands) / sizeof(dt_commands[0]);

static void usage(FILE *out)
{
	fprintf(out, "Usage: dmabuf-trace COMMAND [OPTION...] [ARG...]\n\n"
		     "Traces dma-buf sharing between devices and checks it: importers that map before every\n"
		     "importer attached, scatterlists that break an importer's DMA limits, and attachments\n"
		     "mapped, unmapped, detached or released out of order.\n\nCommands:\n");
	for (unsigned i = 0; i < dt_ncommands; i++) {
		const char *doc = dt_commands[i].doc;
		const char *end = strchr(doc, '\v');
		fprintf(out, "  %-10s %.*s\n", dt_commands[i].name, (int)(end ? end - doc : (long)strlen(doc)), doc);
	}
	fprintf(out, "\n'dmabuf-trace COMMAND --help' shows a command's options and examples.\n%s\n", EXIT_DOC);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return DT_EXIT_INPUT;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return DT_EXIT_OK;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("dmabuf-trace %s (trace format 1)\n", DT_VERSION_STRING);
		return DT_EXIT_OK;
	}
	for (unsigned i = 0; i < dt_ncommands; i++) {
		if (strcmp(argv[1], dt_commands[i].name) != 0)
			continue;
		struct dt_cli cli = {0};
		dt_cli_parse(&dt_commands[i], argc - 1, argv + 1, &cli);
		int rc = dt_commands[i].run(&cli);
		free(cli.args);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			perror("dmabuf-trace: writing output");
			return DT_EXIT_SYSTEM;
		}
		return rc;
	}
	fprintf(stderr, "dmabuf-trace: unknown command \"%s\" (try dmabuf-trace --help)\n", argv[1]);
	return DT_EXIT_INPUT;
}
