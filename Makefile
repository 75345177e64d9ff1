# SPDX-License-Identifier: Apache-2.0
# dmabuf-trace — see README.md. `make check` runs every test, `make demo` the main job.
# Out-of-tree build: all outputs go to $(O) (default build/, build/arm64 for `make ARCH=arm64`).
# V=1 shows commands.
# Layout: one mk/<folder>.mk per source folder (its sources and the layers it may use), then the
# fragments for tests, tools and the guests. docs/architecture.md draws the layers.

include mk/arch.mk
O ?= build
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
CLANG ?= clang
# Debian installs bpftool in /usr/sbin, which is not on a non-root user's PATH.
BPFTOOL ?= $(or $(shell command -v bpftool 2>/dev/null),/usr/sbin/bpftool)
# The BPF capture (record) needs clang and bpftool at build time; without them the analysis-only
# binary is built (`make CLANG=false BPFTOOL=false` forces it) and `make deps` brings the rest.
CAPTURE ?= $(shell $(CLANG) --version >/dev/null 2>&1 && $(BPFTOOL) version >/dev/null 2>&1 && echo 1 || echo 0)
# The QEMU end-to-end suites (tests/suite-vm, tests/suite-guest-faults); VM_E2E=0 skips the guests.
VM_E2E ?= 1

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' $(1) $(2)
endif

CFLAGS ?= -O2 -g
WARNFLAGS := -Wall -Wextra -Wshadow -Wno-unused-parameter -Wmissing-prototypes -Wstrict-prototypes
ALL_CFLAGS := -std=gnu11 $(WARNFLAGS) $(CFLAGS) -Iinclude -Isrc -I$(O) -D_GNU_SOURCE -MMD -MP
# libbpf: the ftrace recipe reads kernel BTF (ingest/kernel_offsets.c); no BPF toolchain needed.
# libzstd: .jsonl.zst traces (ingest/trace_reader.c, trace_writer.c); -pthread: the reader thread.
LDLIBS_CORE := $(YAJL_LIB) -lzstd -lbpf -lelf -lz -pthread

.PHONY: all check demo bench install clean deps capture-note FORCE
.DELETE_ON_ERROR:
.SECONDEXPANSION:
all:

# Source folders, bottom layer first; then everything built from them. The order is explicit:
# a fragment may read the variables of those included before it.
include mk/common.mk mk/ingest.mk mk/engine.mk mk/rules.mk mk/render.mk mk/lib.mk mk/bpf.mk mk/cli.mk
include $(filter-out mk/common.mk mk/ingest.mk mk/engine.mk mk/rules.mk mk/render.mk mk/lib.mk mk/bpf.mk \
	mk/cli.mk,$(sort $(wildcard mk/*.mk)))

all: capture-note
capture-note:
ifneq ($(CAPTURE),1)
	@echo "note: built without BPF capture (CLANG=$(CLANG) or BPFTOOL=$(BPFTOOL) does not run): every analysis command works," \
		"'record' does not; 'make deps' installs the BPF toolchain"
endif

deps:
	$(Q)tools/install-deps $(DEPS_GROUPS)

clean:
	rm -rf $(O)

-include $(shell find $(O) -name '*.d' 2>/dev/null)
