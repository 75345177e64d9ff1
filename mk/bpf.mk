# SPDX-License-Identifier: Apache-2.0
# src/capture + bpf/ (CAPTURE=1 only): BPF object, skeleton, libcapture.a, dt-capture-dump.
# The kernel types come from bpf/kernel_types.h (no build host BTF, no network); CO-RE relocates
# them on the target kernel. The BPF target architecture (pt_regs layout) comes from mk/arch.mk.

BPF_CFLAGS = -target bpf -g -O2 -D__TARGET_ARCH_$(BPF_ARCH) -Wall -Wno-unused-function \
	-Iinclude -Ibpf
CAPTURE_SRCS := $(wildcard src/capture/*.c)
CAPTURE_OBJS := $(patsubst src/%.c,$(O)/%.o,$(CAPTURE_SRCS))
CAPTURE_LIBS := -lbpf -lelf -lz
CAPTURE_DEPS := ingest common

.PHONY: bpf capture
ifeq ($(CAPTURE),1)
all: capture
endif
capture: $(O)/libcapture.a $(O)/dt-capture-dump
bpf: $(O)/dmabuf_trace.skel.h

$(O)/dmabuf_trace.bpf.o: bpf/dmabuf_trace.bpf.c include/dmabuf_trace_abi.h $(wildcard bpf/*.h)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(O)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp.o
	$(Q)$(BPFTOOL) gen object $@ $@.tmp.o && rm -f $@.tmp.o

$(O)/dmabuf_trace.skel.h: $(O)/dmabuf_trace.bpf.o
	$(call msg,SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< name dmabuf_trace_bpf > $@.tmp && mv $@.tmp $@

$(CAPTURE_OBJS): $(O)/dmabuf_trace.skel.h
$(O)/capture/%.o: src/capture/%.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(O)/libcapture.a: $(CAPTURE_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(O)/capture/tools/%.o: src/capture/tools/%.c $(O)/dmabuf_trace.skel.h
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(O)/dt-capture-dump: $(O)/capture/tools/dt-capture-dump.o $(O)/libcapture.a $(O)/libdtcore.a
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CAPTURE_LIBS) $(LDLIBS_CORE)

# The recorder's user space on the host (decode, live stage, writer, engine) fed with the ring records of a
# trace: a round trip to compare and a workload for callgrind (dt-ring-bench IN.jsonl OUT.jsonl).
capture: $(O)/dt-ring-bench
# (in tools/: it drives every layer from the capture up, as record does)
$(O)/dt-ring-bench: tools/bench/dt-ring-bench.c $(O)/libcapture.a $(O)/libdtcore.a $(O)/dmabuf_trace.skel.h
	$(call msg,CC,$@)
	$(Q)$(CC) $(ALL_CFLAGS) -MF $(O)/dt-ring-bench.d -o $@ $< $(O)/libcapture.a $(O)/libdtcore.a $(CAPTURE_LIBS) $(LDLIBS_CORE)

# test helper for the guest (tests/capture/guest-capture.sh scenario "vmap")
capture: $(O)/vmap-test
$(O)/vmap-test: tests/capture/vmap-test.c
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -Wall -o $@ $<

# CO-RE relocations against another kernel's BTF, without booting it (tools/btf-from-image cuts
# the BTF out of a Debian kernel image): dt-core-check [-o OBJECT] BTF_FILE
capture: $(O)/dt-core-check
$(O)/dt-core-check: $(O)/capture/tools/dt-core-check.o
	$(call msg,LD,$@)
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CAPTURE_LIBS) $(LDLIBS_CORE)

# The raw capture against the driver's own view in one guest (tests/suite-capture).
SUITE_NEEDS_capture := $(O)/dt-capture-dump $(O)/vmap-test $(O)/dmabuf-exercise
ifneq ($(VM_E2E),0)
CHECK_SUITES += capture
endif
