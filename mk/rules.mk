# SPDX-License-Identifier: Apache-2.0
# src/rules: every rule, and analyse (a trace through engine and rules).
RULES_SRCS := $(sort $(wildcard src/rules/*.c))
RULES_DEPS := engine ingest common
