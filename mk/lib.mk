# SPDX-License-Identifier: Apache-2.0
# libdtcore.a: every layer below the CLI, without the BPF capture (analysis needs no BPF toolchain).
CORE_SRCS := $(COMMON_SRCS) $(INGEST_SRCS) $(ENGINE_SRCS) $(RULES_SRCS) $(RENDER_SRCS)
CORE_OBJS := $(patsubst src/%.c,$(O)/obj/%.o,$(CORE_SRCS))

$(O)/libdtcore.a: $(CORE_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(O)/obj/%.o: src/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<
