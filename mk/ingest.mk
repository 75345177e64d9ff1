# SPDX-License-Identifier: Apache-2.0
# src/ingest: trace reader/writer, ftrace import, bufinfo, source sniffing, the event path (sink.h).
INGEST_SRCS := $(sort $(wildcard src/ingest/*.c))
INGEST_DEPS := common

# Post-mortem ingest without BPF: tests/suite-ftrace (real guest logs), and the fixtures' re-capture.
SUITE_NEEDS_ftrace := $(O)/dmabuf-trace
CHECK_SUITES += ftrace
.PHONY: ftrace-fixtures
# Re-captures tests/traces/ftrace/ in the 6.1, 6.12 and latest (7.x) guests (several minutes of TCG).
ftrace-fixtures: $(O)/dmabuf-trace $(O)/dmabuf-exercise
	$(Q)O=$(O) tests/ftrace/capture-fixtures
