# SPDX-License-Identifier: Apache-2.0
# Real-kernel harness: the in-guest scenario driver and the QEMU end-to-end tests (tools/vm, tests/e2e).
#   make vm-e2e            the kernel x arch matrix (VM_CELLS, default amd64 5.10 6.1 6.12 latest, arm64 6.1 6.12
#                          latest; MATRIX=quick: VM_QUICK_CELLS, one cell per arch); "e2e: N passed, N failed"
#   make vm-run K=6.12 [A=arm64] S="late-attach clean"   one boot, results dir printed
#   make refresh-kernels   move the pinned Debian kernel versions (tools/vm/kernels.lock) to the newest ones
#   make vm-kernels        fetch every cell's kernel (arm64: busybox, the clients' packages) into the cache
#   make check             runs them as the suite "vm" (tests/suite-vm: one PASS/FAIL line per e2e test, in the
#                          closing tally); VM_E2E=0 skips the guests

VM_CELLS ?= amd64:5.10 amd64:6.1 amd64:6.12 amd64:latest arm64:6.1 arm64:6.12 arm64:latest
VM_CELLS_SKIPPED ?=
VM_QUICK_CELLS ?= amd64:6.12 arm64:latest
ifeq ($(MATRIX),quick)
VM_CELLS := $(VM_QUICK_CELLS)
endif
EXERCISE_SRCS := $(wildcard tools/exercise/*.c)

all: $(O)/dmabuf-exercise

$(O)/dmabuf-exercise: $(EXERCISE_SRCS) $(wildcard tools/exercise/*.h) tests/kmod/dt_testexp.h
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) $(LDFLAGS) -Wno-format-truncation -MF $(O)/dmabuf-exercise.d -o $@ $(EXERCISE_SRCS) -pthread

.PHONY: vm-e2e vm-run vm-kernels refresh-kernels
vm-kernels:
	$(Q)for c in $(VM_CELLS); do tools/vm/fetch-kernel --arch $${c%%:*} $${c#*:} >/dev/null || exit 1; done
	$(Q)case " $(VM_CELLS) " in *" arm64:"*) tools/vm/fetch-kernel --arch arm64 --busybox >/dev/null && \
		tools/vm/fetch-kernel --arch arm64 --sysroot >/dev/null ;; esac

refresh-kernels:
	$(Q)tools/vm/fetch-kernel --update-lock --arch amd64
	$(Q)tools/vm/fetch-kernel --update-lock --arch arm64
	$(Q)git diff --stat -- tools/vm/kernels.lock

vm-e2e: $(O)/dmabuf-exercise $(O)/dmabuf-trace
	$(Q)tools/install-deps vm test
	$(Q)O=$(O) tests/e2e/run $(VM_CELLS)

vm-run: $(O)/dmabuf-exercise
	$(Q)O=$(O) tools/vm/run --arch $(or $(A),amd64) --kernel $(or $(K),6.12) $(or $(S),clean late-attach noncontig segment-size lifecycle setname storm:500)

SUITE_NEEDS_vm := $(O)/dmabuf-trace $(O)/dmabuf-exercise
ifeq ($(VM_E2E),1)
CHECK_SUITES += vm
endif
export VM_CELLS VM_CELLS_SKIPPED
DEPS_GROUPS += vm
