# SPDX-License-Identifier: Apache-2.0
# Tests: one runner (tests/run NAME...) over suites tests/suite-NAME; `make check` runs every suite that
# CHECK_SUITES lists and ends with the tally. `make check-NAME` runs one suite and builds only what that
# suite needs (SUITE_NEEDS_NAME). Unit tests mirror src/: tests/unit/<folder>/test_*.c.
UNIT_SRCS := $(sort $(wildcard tests/unit/*/test_*.c))
CAPTURE_UNIT_SRCS := $(filter tests/unit/capture/%,$(UNIT_SRCS))
ifneq ($(CAPTURE),1)
UNIT_SRCS := $(filter-out $(CAPTURE_UNIT_SRCS),$(UNIT_SRCS))
endif
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/tests/%,$(UNIT_SRCS))

$(O)/tests/capture/%: tests/unit/capture/%.c $(O)/libcapture.a $(O)/libdtcore.a
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(O)/libcapture.a $(O)/libdtcore.a -lbpf -lelf -lz $(LDLIBS_CORE) -lcmocka

$(O)/tests/%: tests/unit/%.c $(O)/libdtcore.a
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(O)/libdtcore.a $(LDLIBS_CORE) -lcmocka

# What each suite needs built; suites of other fragments add their own SUITE_NEEDS_<name>.
SUITE_NEEDS_unit := $(UNIT_BINS)
SUITE_NEEDS_golden := $(O)/dmabuf-trace
SUITE_NEEDS_cli := $(O)/dmabuf-trace $(O)/gen-trace
SUITE_NEEDS_layers :=
CHECK_SUITES += unit golden cli layers

.PHONY: check-build
# Everything the suites of `make check` need (evaluated after every fragment was read).
check-build: $$(foreach s,$$(CHECK_SUITES),$$(SUITE_NEEDS_$$(s)))

check: DEPS_GROUPS += build test
check: deps
	$(Q)$(MAKE) --no-print-directory check-build
	$(Q)O=$(O) SAN_O=$(SAN_O) CAPTURE=$(CAPTURE) tests/run $(CHECK_SUITES)

check-%: $$(SUITE_NEEDS_$$*)
	$(Q)O=$(O) SAN_O=$(SAN_O) CAPTURE=$(CAPTURE) tests/run $*
