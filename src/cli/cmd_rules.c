// SPDX-License-Identifier: Apache-2.0
/* dmabuf-trace rules: the rule ids (a public contract: CI filters, baselines, --rule), what each means,
 * its severity and the profile keys that affect it. */
#include <stdio.h>
#include <string.h>

#include <yajl/yajl_gen.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "common/json_gen.h"
#include "rules/rule_docs.h"

static int run_rules(struct dt_cli *cli)
{
	if (cli->format == FMT_JSON) {
		yajl_gen g = yajl_gen_alloc(NULL);
		if (!g) {
			dt_err("out of memory");
			return DT_EXIT_SYSTEM;
		}
		for (int r = 0; r < DT_RULE__COUNT; r++) {
			const struct dt_rule_doc *d = &dt_rule_docs[r];
			yajl_gen_map_open(g);
			dt_json_str(g, "rule", dt_rule_info[r].id);
			dt_json_str(g, "summary", dt_rule_info[r].summary);
			dt_json_str(g, "severity", d->severity);
			dt_json_key(g, "profile_keys");
			yajl_gen_array_open(g);
			for (const char *k = d->profile_keys; k && *k;) {
				size_t n = strcspn(k, " ");
				yajl_gen_string(g, (const unsigned char *)k, n);
				k += n;
				k += strspn(k, " ");
			}
			yajl_gen_array_close(g);
			yajl_gen_map_close(g);
			const unsigned char *buf;
			size_t len;
			yajl_gen_get_buf(g, &buf, &len);
			fwrite(buf, 1, len, stdout);
			fputc('\n', stdout);
			yajl_gen_clear(g);
			yajl_gen_reset(g, NULL);
		}
		yajl_gen_free(g);
		return DT_EXIT_OK;
	}
	for (int r = 0; r < DT_RULE__COUNT; r++) {
		const struct dt_rule_doc *d = &dt_rule_docs[r];
		printf("%-25s %s\n%25s severity: %s\n", dt_rule_info[r].id, dt_rule_info[r].summary, "",
		       d->severity ? d->severity : "(not documented)");
		if (d->profile_keys && *d->profile_keys)
			printf("%25s profile: %s\n", "", d->profile_keys);
	}
	return DT_EXIT_OK;
}

const struct dt_command dt_rules_command = {
	.name = "rules",
	.args_doc = "",
	.summary = "List the rules: id, what it flags, its severity and the constraints-profile keys that affect it.",
	.details = "Rule ids never change: CI filters (--rule, --no-rule), baselines and JUnit classnames use them.\n\n"
		   "Examples:\n"
		   "  dmabuf-trace rules\n"
		   "  dmabuf-trace rules --format json | jq -r .rule",
	.exits = "Exit status: 0 printed, 2 usage error.",
	.formats = FMT_BIT(FMT_TEXT) | FMT_BIT(FMT_JSON),
	.flags = DT_CMD_FLAGS(F_FORMAT, F_OUTPUT, F_FORCE),
	.min_args = 0,
	.max_args = 0,
	.stdout_output = true,
	.run = run_rules,
};
