# SPDX-License-Identifier: Apache-2.0
# src/common: escape, units, maps, file reading, JSON helpers, output files, statuses and the error voice.
COMMON_SRCS := $(sort $(wildcard src/common/*.c))
COMMON_DEPS :=
