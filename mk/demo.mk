# SPDX-License-Identifier: Apache-2.0
# make demo: the main job on a bundled default. With the VM harness available it
# boots Debian's 6.12 kernel and traces real drivers live (tools/demo); the bundled
# example trace is what it analyses when no guest can boot.
demo: DEPS_GROUPS += build vm test
demo: deps
	$(Q)$(MAKE) --no-print-directory all
	$(Q)O=$(O) tools/demo
