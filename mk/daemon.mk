# SPDX-License-Identifier: Apache-2.0
# dmabuf-trace daemon (issue 15): segments, control socket, flight recorder, journal, metrics, holders.
# WITH_SYSTEMD=1 (default when libsystemd-dev is installed) sends findings to the journal through
# libsystemd; WITH_SYSTEMD=0 for static guest builds (Debian ships no static libsystemd).
DAEMON_DEPS := render rules engine ingest common capture
# A static (cross) build has no libsystemd.a on Debian: off there unless asked for.
ifneq ($(filter -static,$(LDFLAGS)),)
WITH_SYSTEMD ?= 0
else
WITH_SYSTEMD ?= $(shell pkg-config --exists libsystemd 2>/dev/null && echo 1 || echo 0)
endif
DAEMON_SRCS := $(sort $(wildcard src/daemon/*.c))
DAEMON_OBJS := $(patsubst src/%.c,$(O)/obj/%.o,$(DAEMON_SRCS))
CLI_OBJS += $(DAEMON_OBJS)
ifeq ($(WITH_SYSTEMD),1)
LDLIBS_CORE += -lsystemd
endif
$(DAEMON_OBJS): ALL_CFLAGS += -DWITH_SYSTEMD=$(WITH_SYSTEMD) -DDT_NO_CAPTURE=$(if $(filter 1,$(CAPTURE)),0,1)
$(O)/dmabuf-trace: $(DAEMON_OBJS)

# Host tests (tests/suite-daemon) and the protocol parser's unit test and fuzz target.
CHECK_SUITES += daemon
.PHONY: check-daemon
SUITE_NEEDS_daemon := $(O)/dmabuf-trace $(O)/gen-trace $(O)/tests/daemon/test_proto
check-daemon: $(SUITE_NEEDS_daemon)
	$(Q)O=$(O) tests/run daemon
# (an explicit rule: the unit pattern rule links libdtcore.a only, and proto.c is above it)
$(O)/tests/daemon/test_proto: tests/unit/daemon/test_proto.c $(O)/obj/daemon/proto.o
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(O)/obj/daemon/proto.o $(LDLIBS_CORE) -lcmocka
$(O)/fuzz/fuzz_proto: tests/fuzz/fuzz_proto.c src/daemon/proto.c
	$(call msg,FUZZCC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -o $@ $^ $(LDLIBS_CORE)
fuzz-build: $(O)/fuzz/fuzz_proto

# The systemd unit: installed, not enabled.
SYSTEMD_UNITDIR ?= $(PREFIX)/lib/systemd/system
install: install-daemon-unit
.PHONY: install-daemon-unit
install-daemon-unit:
	install -d $(DESTDIR)$(SYSTEMD_UNITDIR)
	sed 's|@BINDIR@|$(PREFIX)/bin|' tools/systemd/dmabuf-trace.service > $(DESTDIR)$(SYSTEMD_UNITDIR)/dmabuf-trace.service
	chmod 0644 $(DESTDIR)$(SYSTEMD_UNITDIR)/dmabuf-trace.service

# Debian package: build, lintian, install into a cached Debian 12 chroot (tests/suite-package; slow, root).
.PHONY: package-check
package-check:
	$(Q)O=$(O) tests/run package

# The daemon tracing the 6.12 guest's kernel (tests/suite-vm-daemon: one busybox boot, ~4 min of TCG, then the
# unit under a real systemd, tests/suite-vm-systemd: a second boot, ~65 s of guest time).
ifneq ($(VM_E2E),0)
CHECK_SUITES += vm-daemon
endif
SUITE_NEEDS_vm-daemon := $(O)/dmabuf-trace $(O)/dmabuf-exercise
.PHONY: check-vm-daemon
check-vm-daemon: $(SUITE_NEEDS_vm-daemon)
	$(Q)O=$(O) tests/run vm-daemon
# The installed unit under a real systemd alone (tests/suite-vm-systemd, also run by vm-daemon: one 6.12 boot of a
# Debian 12 root whose PID 1 is systemd, tools/vm/systemd-boot; root; ~65 s of guest time, 76 s wall).
SUITE_NEEDS_vm-systemd := $(O)/dmabuf-trace $(O)/dmabuf-exercise
.PHONY: check-vm-systemd
check-vm-systemd: $(SUITE_NEEDS_vm-systemd)
	$(Q)O=$(O) tests/run vm-systemd
$(O)/tests/daemon/test_restate: tests/unit/daemon/test_restate.c $(O)/obj/daemon/restate.o $(O)/libdtcore.a
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(O)/obj/daemon/restate.o $(O)/libdtcore.a $(LDLIBS_CORE) -lcmocka
$(O)/tests/daemon/test_holders: tests/unit/daemon/test_holders.c $(O)/obj/daemon/holders.o
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(O)/obj/daemon/holders.o -lcmocka
