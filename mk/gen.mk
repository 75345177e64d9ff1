# SPDX-License-Identifier: Apache-2.0
# Trace generator (benchmarks, stress tests).
$(O)/gen-trace: tools/gen/gen-trace.c $(O)/libdtcore.a
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(O)/libdtcore.a $(LDLIBS_CORE)
all: $(O)/gen-trace
