// SPDX-License-Identifier: Apache-2.0
#include "rules/rule_docs.h"

const struct dt_rule_doc dt_rule_docs[DT_RULE__COUNT] = {
	[DT_RULE_LATE_ATTACH] = {"error if the last known layout breaks the late importer's limits, else warning; once "
				 "per buffer and device",
				 "max-segments contiguous max-segment-size segment-boundary"},
	[DT_RULE_SEGMENT_COUNT] = {"error", "max-segments"},
	[DT_RULE_NOT_CONTIGUOUS] = {"error", "contiguous"},
	[DT_RULE_SEGMENT_SIZE] = {"error; warning if the limit is only the kernel's 64 KiB default",
				  "max-segment-size"},
	[DT_RULE_SEGMENT_BOUNDARY] = {"error", "segment-boundary"},
	[DT_RULE_MAP_FAILED] = {"info", ""},
	[DT_RULE_UNBALANCED_UNMAP] = {"warning", ""},
	[DT_RULE_DETACH_WHILE_MAPPED] = {"error", ""},
	[DT_RULE_UNKNOWN_ATTACHMENT] = {"warning", ""},
	[DT_RULE_RELEASE_WITH_ATTACHMENTS] = {"error", ""},
	[DT_RULE_LEAK_AT_END] = {"info", ""},
	[DT_RULE_LOST_EVENTS] = {"warning", ""},
	[DT_RULE_CONTIGUOUS_BY_CHANCE] = {"warning", "contiguous provides=contiguous"},
	[DT_RULE_USE_AFTER_DETACH] = {"error", ""},
};
