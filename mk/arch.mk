# SPDX-License-Identifier: Apache-2.0
# Target architecture: the one place that maps it to the compiler, the BPF target and Debian.
#   make                 builds for this machine (ARCH from `uname -m`)
#   make ARCH=arm64      cross-builds for arm64 (aarch64 accepted too) into build/arm64: the BPF object,
#                        static dmabuf-trace and dmabuf-exercise (`make deps ARCH=arm64` installs the
#                        cross compiler and the :arm64 -dev packages)
# Spellings: DT_ARCH is `uname -m`'s (x86_64, aarch64); BPF_ARCH the __TARGET_ARCH_ suffix of
# bpf_tracing.h (x86, arm64); DEB_ARCH Debian's (amd64, arm64).
# Included first by the Makefile (O and CC depend on it); the guard keeps the wildcard include of
# mk/*.mk from reading it twice.
ifndef DT_ARCH_MK
DT_ARCH_MK := 1

HOST_ARCH := $(shell uname -m)
ARCH ?= $(HOST_ARCH)
DT_ARCH := $(patsubst amd64,x86_64,$(patsubst arm64,aarch64,$(ARCH)))
ifeq ($(DT_ARCH),x86_64)
BPF_ARCH := x86
DEB_ARCH := amd64
GNU_TRIPLET := x86_64-linux-gnu
else ifeq ($(DT_ARCH),aarch64)
BPF_ARCH := arm64
DEB_ARCH := arm64
GNU_TRIPLET := aarch64-linux-gnu
else
$(error ARCH=$(ARCH): supported are x86_64 (amd64) and aarch64 (arm64))
endif
HOST_DT_ARCH := $(patsubst amd64,x86_64,$(patsubst arm64,aarch64,$(HOST_ARCH)))

# Cross builds: the Debian cross toolchain, static binaries for a guest's busybox initramfs, and
# their own output folder so that a native and a cross build coexist.
ifneq ($(DT_ARCH),$(HOST_DT_ARCH))
CROSS_COMPILE ?= $(GNU_TRIPLET)-
O ?= build/$(DEB_ARCH)
STATIC ?= 1
DEPS_GROUPS += cross-$(DEB_ARCH)
endif
ifneq ($(CROSS_COMPILE),)
ifeq ($(origin CC),default)
CC := $(CROSS_COMPILE)gcc
endif
ifeq ($(origin AR),default)
AR := $(CROSS_COMPILE)ar
endif
endif

# A static link: Debian ships yajl's static library as libyajl_s.a.
ifeq ($(STATIC),1)
LDFLAGS += -static
YAJL_LIB := -l:libyajl_s.a
else
YAJL_LIB := -lyajl
endif

# A failed step never leaves a half-written output behind for the next make to trust.
.DELETE_ON_ERROR:

endif
