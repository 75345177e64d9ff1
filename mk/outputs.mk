# SPDX-License-Identifier: Apache-2.0
# Outputs for CI and people: check --format junit, baseline, export --perfetto,
# report --html, advise (src/), the man page and bash completion (installed here),
# and their test suite tests/suite-outputs (make check-outputs).
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions

.PHONY: install-man install-completion install-docs
install: install-man install-completion install-docs

install-man: docs/dmabuf-trace.1
	install -D -m 0644 docs/dmabuf-trace.1 $(DESTDIR)$(MANDIR)/man1/dmabuf-trace.1

install-completion: tools/completion/dmabuf-trace.bash
	install -D -m 0644 tools/completion/dmabuf-trace.bash $(DESTDIR)$(BASHCOMPDIR)/dmabuf-trace

# The suite installs the browser group (chromium, xmllint, groff) itself when missing.
CHECK_SUITES += outputs
check: DEPS_GROUPS += browser
SUITE_NEEDS_outputs := $(O)/dmabuf-trace

# The docs the man page's SEE ALSO names.
DOCDIR ?= $(PREFIX)/share/doc/dmabuf-trace
INSTALLED_DOCS := docs/trace-format.md docs/constraints.md docs/baseline-format.md docs/ftrace.md docs/architecture.md
install-docs: $(INSTALLED_DOCS)
	install -d $(DESTDIR)$(DOCDIR)
	install -m 0644 $(INSTALLED_DOCS) $(DESTDIR)$(DOCDIR)/
