# Reliability and security (issue 6): libFuzzer targets, ASan+UBSan and valgrind runs of the
# unit and golden tests, fault injection, untrusted strings, kernel-address scan, output files.
#   make fuzz                      each fuzz target for FUZZ_SECONDS (default 60), corpus in $(O)/fuzz/corpus-*
#   make check                     runs the suites fuzz-smoke sanitize valgrind faults escape (+ guest-faults)
#   make check-fuzz-smoke ...      one suite
# The sanitized build is a second out-of-tree build in $(SAN_O) (default $(O)/asan).
# docs/reliability.md lists every bad input tried and what it gets.

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 4
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -Iinclude -Isrc -D_GNU_SOURCE
FUZZ_TARGETS := trace constraints ftrace
FUZZ_BINS := $(patsubst %,$(O)/fuzz/fuzz_%,$(FUZZ_TARGETS))

$(O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(CORE_SRCS) $(wildcard src/*/*.h include/*.h)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(CORE_SRCS) $(LDLIBS_CORE)

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)

# Long runs: the committed seeds plus a growing corpus in $(O)/fuzz; crashes land in $(O)/fuzz/crash-*.
# A crash must become a file in tests/fuzz/regress/TARGET/ (replayed by the fuzz-smoke suite).
fuzz: DEPS_GROUPS += build fuzz
fuzz: deps
	$(Q)$(MAKE) --no-print-directory fuzz-build
	$(Q)rc=0; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(O)/fuzz/corpus-$$t; \
		echo "fuzz: $$t for $(FUZZ_SECONDS)s (log $(O)/fuzz/$$t.log)"; \
		$(O)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
			-dict=tests/fuzz/$$t.dict -artifact_prefix=$(O)/fuzz/ -print_final_stats=1 \
			$(O)/fuzz/corpus-$$t tests/fuzz/corpus/$$t tests/fuzz/regress/$$t >$(O)/fuzz/$$t.log 2>&1 || rc=1; \
		grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' \
			$(O)/fuzz/$$t.log | sed "s/^/fuzz: $$t: /"; \
	done; exit $$rc

# Sanitized out-of-tree build (ASan+UBSan): the binary and the unit tests.
SAN_O ?= $(O)/asan
SAN_CFLAGS ?= -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
.PHONY: sanitize-build
sanitize-build:
	$(Q)$(MAKE) --no-print-directory O=$(SAN_O) CFLAGS='$(SAN_CFLAGS)' LDFLAGS='$(SAN_CFLAGS)' \
		DT_NO_SAN_BUILD=1 $(SAN_O)/dmabuf-trace $(patsubst $(O)/%,$(SAN_O)/%,$(UNIT_BINS))

ifneq ($(DT_NO_SAN_BUILD),1)
check-build: $(FUZZ_BINS) sanitize-build
CHECK_SUITES += fuzz-smoke sanitize valgrind faults escape
check: DEPS_GROUPS += fuzz
.PHONY: check-fuzz-smoke check-sanitize check-valgrind check-faults check-escape check-guest-faults
check-fuzz-smoke check-sanitize check-valgrind check-faults check-escape: check-%: check-build
	$(Q)O=$(O) SAN_O=$(SAN_O) tests/run $*
# One 6.12 guest boot: SIGKILL, tiny ring during a storm, full tmpfs, unprivileged record, hostile names,
# kernel-address scan, output file modes (tests/suite-guest-faults). Part of make check with the VM suites.
check-guest-faults: check-build $(O)/dmabuf-exercise
	$(Q)O=$(O) tests/run guest-faults
# VM_E2E (mk/vm.mk, default 1) is defined after this file is read: only 0 turns the guest off.
ifneq ($(VM_E2E),0)
CHECK_SUITES += guest-faults
check-build: $(O)/dmabuf-exercise
endif
endif
