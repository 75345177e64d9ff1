# Tests: unit (cmocka), golden traces, CLI behaviour; the VM end-to-end suite
# adds itself to CHECK_SUITES from mk/vm.mk. tests/run prints the closing tally.
UNIT_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BINS := $(patsubst tests/unit/%.c,$(O)/tests/%,$(UNIT_SRCS))

$(O)/tests/%: tests/unit/%.c $(O)/libdtcore.a
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(O)/libdtcore.a $(LDLIBS_CORE) -lcmocka

.PHONY: check-build check-unit check-golden check-cli
check-build: $(O)/dmabuf-trace $(UNIT_BINS)

# Suites tests/run knows: unit golden cli (+ vm, bench-smoke, ... from other fragments).
CHECK_SUITES += unit golden cli

check: DEPS_GROUPS += build test
check: deps
	$(Q)$(MAKE) --no-print-directory check-build
	$(Q)O=$(O) tests/run $(CHECK_SUITES)

check-unit check-golden check-cli: check-%: check-build
	$(Q)O=$(O) tests/run $*
