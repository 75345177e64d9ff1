# SPDX-License-Identifier: Apache-2.0
# src/engine: the timeline state machine and the constraints profile.
ENGINE_SRCS := $(sort $(wildcard src/engine/*.c))
ENGINE_DEPS := ingest common
