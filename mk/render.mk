# SPDX-License-Identifier: Apache-2.0
# src/render: text/JSON findings, JUnit, baseline, Perfetto, HTML, advise, the in-memory model.
RENDER_SRCS := $(sort $(wildcard src/render/*.c))
RENDER_DEPS := rules engine ingest common
