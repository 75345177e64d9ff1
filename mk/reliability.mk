# SPDX-License-Identifier: Apache-2.0
# Reliability and security suites: ASan+UBSan and valgrind runs of the unit and golden tests, fault
# injection, untrusted strings, kernel-address scan (docs/reliability.md lists every bad input tried).
# The sanitized build is a second out-of-tree build in $(SAN_O) (default $(O)/asan).
SAN_O ?= $(O)/asan
SAN_CFLAGS ?= -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
.PHONY: sanitize-build
sanitize-build:
	$(Q)$(MAKE) --no-print-directory O=$(SAN_O) CFLAGS='$(SAN_CFLAGS)' LDFLAGS='$(SAN_CFLAGS)' \
		CAPTURE=$(CAPTURE) $(SAN_O)/dmabuf-trace $(patsubst $(O)/%,$(SAN_O)/%,$(UNIT_BINS))

# ThreadSanitizer build of the threaded reader (feeder, parse workers, the caller taking chunks in order):
# check on traces big enough for many chunks (tests/suite-sanitize).
TSAN_O ?= $(O)/tsan
TSAN_CFLAGS ?= -O1 -g -fsanitize=thread
.PHONY: tsan-build
tsan-build:
	$(Q)$(MAKE) --no-print-directory O=$(TSAN_O) CFLAGS='$(TSAN_CFLAGS)' LDFLAGS='$(TSAN_CFLAGS)' \
		CAPTURE=$(CAPTURE) $(TSAN_O)/dmabuf-trace $(TSAN_O)/gen-trace

SUITE_NEEDS_sanitize := sanitize-build tsan-build
SUITE_NEEDS_valgrind := $(O)/dmabuf-trace $(UNIT_BINS)
SUITE_NEEDS_faults := $(O)/dmabuf-trace
SUITE_NEEDS_escape := $(O)/dmabuf-trace
CHECK_SUITES += sanitize valgrind faults escape
check: DEPS_GROUPS += fuzz

# One guest boot: SIGKILL, tiny ring during a storm, full tmpfs, unprivileged record, hostile names,
# kernel-address scan, output file modes (tests/suite-guest-faults). Part of make check with the VM suites.
SUITE_NEEDS_guest-faults := $(O)/dmabuf-trace $(O)/dmabuf-exercise
ifneq ($(VM_E2E),0)
CHECK_SUITES += guest-faults
endif
