# dmabuf-trace — see README.md. `make check` runs every test, `make demo` the main job.
# Out-of-tree build: all outputs go to $(O) (default build/). V=1 shows commands.

O ?= build
PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
CLANG ?= clang
# Debian installs bpftool in /usr/sbin, which is not on a non-root user's PATH.
BPFTOOL ?= $(or $(shell command -v bpftool 2>/dev/null),/usr/sbin/bpftool)

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
LDLIBS_CORE := -lyajl -lzstd

.PHONY: all check demo bench install clean deps FORCE
all:

# Each component keeps its own rules in mk/*.mk (core, bpf, vm, tests, ...).
include $(sort $(wildcard mk/*.mk))

deps:
	$(Q)tools/install-deps $(DEPS_GROUPS)

clean:
	rm -rf $(O)

-include $(shell find $(O) -name '*.d' 2>/dev/null)
