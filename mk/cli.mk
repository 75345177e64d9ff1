# SPDX-License-Identifier: Apache-2.0
# src/cli: main, the flag registry, one file per command; links the BPF capture when it was built.
CLI_SRCS := $(filter-out src/cli/cmd_record.c src/cli/cmd_record_unavailable.c,$(sort $(wildcard src/cli/*.c)))
CLI_DEPS := daemon render rules engine ingest common capture
ifeq ($(CAPTURE),1)
CLI_SRCS += src/cli/cmd_record.c
DT_CAPTURE_LIBS := $(O)/libcapture.a -lbpf -lelf -lz
else
CLI_SRCS += src/cli/cmd_record_unavailable.c
DT_CAPTURE_LIBS :=
endif
CLI_OBJS := $(patsubst src/%.c,$(O)/obj/%.o,$(CLI_SRCS))

all: $(O)/dmabuf-trace

$(O)/dmabuf-trace: $(CLI_OBJS) $(O)/libdtcore.a $(if $(filter 1,$(CAPTURE)),$(O)/libcapture.a)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(O)/libdtcore.a $(DT_CAPTURE_LIBS) $(LDLIBS_CORE)

# cmd_record.c includes the generated skeleton's ABI through capture.h.
$(O)/obj/cli/cmd_record.o: $(O)/dmabuf_trace.skel.h

install: $(O)/dmabuf-trace
	install -D -m 0755 $(O)/dmabuf-trace $(DESTDIR)$(PREFIX)/bin/dmabuf-trace
