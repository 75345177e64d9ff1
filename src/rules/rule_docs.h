// SPDX-License-Identifier: Apache-2.0
/* What each rule means for a person: its severity and the profile keys that change it. Shown by
 * `dmabuf-trace rules` and the man page's RULES section (a test keeps the two in sync). */
#ifndef DT_RULE_DOCS_H
#define DT_RULE_DOCS_H

#include "rules/rules.h"

struct dt_rule_doc {
	const char *severity;     /* "error", or how it is decided */
	const char *profile_keys; /* constraints profile properties that affect it; "" for none */
};

/* Indexed by enum dt_rule_id; an entry with severity NULL is a rule not yet documented (a test fails). */
extern const struct dt_rule_doc dt_rule_docs[DT_RULE__COUNT];

#endif
