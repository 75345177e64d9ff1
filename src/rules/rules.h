/* Rule ids are a public contract (CI filters and baselines use them): never rename. */
#ifndef DT_RULES_H
#define DT_RULES_H

enum dt_severity { DT_SEV_INFO, DT_SEV_WARNING, DT_SEV_ERROR };

enum dt_rule_id {
	DT_RULE_LATE_ATTACH,
	DT_RULE_SEGMENT_COUNT,
	DT_RULE_NOT_CONTIGUOUS,
	DT_RULE_SEGMENT_SIZE,
	DT_RULE_SEGMENT_BOUNDARY,
	DT_RULE_MAP_FAILED,
	DT_RULE_UNBALANCED_UNMAP,
	DT_RULE_DETACH_WHILE_MAPPED,
	DT_RULE_UNKNOWN_ATTACHMENT,
	DT_RULE_RELEASE_WITH_ATTACHMENTS,
	DT_RULE_LEAK_AT_END,
	DT_RULE_LOST_EVENTS,
	DT_RULE__COUNT,
};

struct dt_rule_info {
	const char *id;
	const char *summary;
};

extern const struct dt_rule_info dt_rule_info[DT_RULE__COUNT];
const char *dt_severity_name(enum dt_severity s);
/* Returns -1 if unknown. */
int dt_severity_from_name(const char *s);

#endif
