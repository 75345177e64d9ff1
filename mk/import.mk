# Post-mortem ingest without BPF (issue 8): ftrace text importer, the ingest layer that picks a reader by
# content, the bufinfo seeder of `record`, and their tests (tests/suite-ftrace).
IMPORT_SRCS := src/ingest/sink.c src/ingest/source.c src/ingest/ftrace.c src/ingest/bufinfo.c
IMPORT_OBJS := $(patsubst src/%.c,$(O)/obj/%.o,$(IMPORT_SRCS))

# Part of the core library (analyse.c reads every input through src/ingest/source.c). CORE_OBJS was fixed by
# core.mk, hence the extra prerequisite; CORE_SRCS is read later by other fragments (fuzz, sanitized builds).
CORE_SRCS += $(IMPORT_SRCS)
$(O)/libdtcore.a: $(IMPORT_OBJS)

CHECK_SUITES += ftrace

.PHONY: check-ftrace ftrace-fixtures
check-ftrace: check-build
	$(Q)O=$(O) tests/run ftrace

# Re-captures tests/traces/ftrace/ in the 6.1 and 6.12 guests (several minutes of TCG).
ftrace-fixtures: $(O)/dmabuf-trace $(O)/dmabuf-exercise
	$(Q)O=$(O) tests/ftrace/capture-fixtures
