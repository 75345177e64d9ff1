# The analysis core and the dmabuf-trace binary.
CORE_SRCS := src/event.c src/trace_reader.c src/trace_writer.c src/escape.c src/units.c \
	src/constraints.c src/u64map.c src/engine.c src/rules.c $(sort $(wildcard src/rules/*.c)) src/findings_out.c src/analyse.c \
	src/output_file.c \
	src/describe.c src/json_gen.c src/read_file.c src/model.c src/model_command.c src/baseline.c src/findings_junit.c src/output_stream.c src/perfetto.c \
	src/html_report.c src/advise.c
CLI_SRCS := src/cli.c src/main.c $(sort $(wildcard src/cmd_*.c))

CORE_OBJS := $(patsubst src/%.c,$(O)/obj/%.o,$(CORE_SRCS))
CLI_OBJS := $(patsubst src/%.c,$(O)/obj/%.o,$(CLI_SRCS))

# Extra objects/libs other components add to the binary (e.g. the BPF capture).
# record links the BPF capture (mk/bpf.mk).
DT_EXTRA_OBJS ?=
DT_EXTRA_LIBS ?= $(O)/libcapture.a -lbpf -lelf -lz

all: $(O)/dmabuf-trace

$(O)/libdtcore.a: $(CORE_OBJS)
	$(call msg,AR,$@)
	$(Q)$(AR) rcs $@ $^

$(O)/dmabuf-trace: $(CLI_OBJS) $(O)/libdtcore.a $(DT_EXTRA_OBJS) $(O)/libcapture.a
	$(call msg,LINK,$@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $(CLI_OBJS) $(DT_EXTRA_OBJS) $(O)/libdtcore.a $(DT_EXTRA_LIBS) $(LDLIBS_CORE)

$(O)/obj/%.o: src/%.c | $(O)/obj
	$(call msg,CC,$@)
	$(Q)mkdir -p $(dir $@)
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(O)/obj:
	$(Q)mkdir -p $@

install: $(O)/dmabuf-trace
	install -D -m 0755 $(O)/dmabuf-trace $(DESTDIR)$(PREFIX)/bin/dmabuf-trace

# cmd_record.c includes the generated skeleton's ABI through capture.h.
$(O)/obj/cmd_record.o: $(O)/dmabuf_trace.skel.h
