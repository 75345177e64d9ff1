# SPDX-License-Identifier: Apache-2.0
# libFuzzer targets (tests/fuzz/fuzz_*.c) over the analysis library's sources.
#   make fuzz                 each target for FUZZ_SECONDS (default 60), corpus in $(O)/fuzz/corpus-*
#   make check-fuzz-smoke     regressions replayed + FUZZ_SMOKE_SECONDS (default 4) per target
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 4
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=undefined -Iinclude -Isrc -D_GNU_SOURCE
FUZZ_TARGETS := $(patsubst tests/fuzz/fuzz_%.c,%,$(sort $(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS := $(patsubst %,$(O)/fuzz/fuzz_%,$(FUZZ_TARGETS))

$(O)/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(CORE_SRCS) $(wildcard src/*/*.h include/*.h)
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $< $(CORE_SRCS) $(LDLIBS_CORE)

.PHONY: fuzz fuzz-build
fuzz-build: $(FUZZ_BINS)

# Long runs: the committed seeds plus a growing corpus in $(O)/fuzz; crashes land in $(O)/fuzz/crash-*.
# A crash must become a file in tests/fuzz/regress/TARGET/ (replayed by the fuzz-smoke suite). Only the
# folders that exist are passed: libFuzzer stops at a missing one.
fuzz: DEPS_GROUPS += build fuzz
fuzz: deps
	$(Q)$(MAKE) --no-print-directory fuzz-build
	$(Q)rc=0; for t in $(FUZZ_TARGETS); do \
		mkdir -p $(O)/fuzz/corpus-$$t; \
		dirs="$(O)/fuzz/corpus-$$t"; \
		for d in tests/fuzz/corpus/$$t tests/fuzz/regress/$$t; do [ -d $$d ] && dirs="$$dirs $$d"; done; \
		dict=; [ -f tests/fuzz/$$t.dict ] && dict=-dict=tests/fuzz/$$t.dict; \
		echo "fuzz: $$t for $(FUZZ_SECONDS)s (log $(O)/fuzz/$$t.log)"; \
		$(O)/fuzz/fuzz_$$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
			$$dict -artifact_prefix=$(O)/fuzz/ -print_final_stats=1 $$dirs >$(O)/fuzz/$$t.log 2>&1 || rc=1; \
		grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)' \
			$(O)/fuzz/$$t.log | sed "s/^/fuzz: $$t: /"; \
	done; exit $$rc

SUITE_NEEDS_fuzz-smoke := $(FUZZ_BINS)
CHECK_SUITES += fuzz-smoke
check: DEPS_GROUPS += fuzz
