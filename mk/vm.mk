# Real-kernel harness: the in-guest scenario driver and the QEMU end-to-end tests (tools/vm, tests/e2e).
#   make vm-e2e            both kernels (VM_KERNELS="6.1 6.12"), all scenarios; summary line "e2e: N passed, N failed"
#   make vm-run K=6.12 S="late-attach clean"   one boot, results dir printed
#   make check             runs them as the suite "vm" (tests/suite-vm: one PASS/FAIL line per e2e test, in the
#                          closing tally); VM_E2E=0 skips the guests

VM_KERNELS ?= 6.1 6.12
EXERCISE_SRCS := $(wildcard tools/exercise/*.c)

all: $(O)/dmabuf-exercise

$(O)/dmabuf-exercise: $(EXERCISE_SRCS) $(wildcard tools/exercise/*.h)
	$(call msg,CC,$@)
	@mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Wno-format-truncation -MF $(O)/dmabuf-exercise.d -o $@ $(EXERCISE_SRCS)

.PHONY: vm-e2e vm-run vm-kernels
vm-kernels:
	$(Q)for k in $(VM_KERNELS); do tools/vm/fetch-kernel $$k >/dev/null || exit 1; done

vm-e2e: $(O)/dmabuf-exercise $(O)/dmabuf-trace
	$(Q)tools/install-deps vm test
	$(Q)O=$(O) tests/e2e/run $(VM_KERNELS)

vm-run: $(O)/dmabuf-exercise
	$(Q)O=$(O) tools/vm/run --kernel $(or $(K),6.12) $(or $(S),clean late-attach noncontig segment-size lifecycle setname storm:500)

SUITE_NEEDS_vm := $(O)/dmabuf-trace $(O)/dmabuf-exercise
ifeq ($(VM_E2E),1)
CHECK_SUITES += vm
endif
export VM_KERNELS
DEPS_GROUPS += vm
