# The analysis core and the dmabuf-trace binary.
CORE_SRCS := src/common/event.c src/ingest/trace_reader.c src/ingest/trace_writer.c src/common/escape.c src/common/units.c \
	src/engine/constraints.c src/common/u64map.c src/engine/engine.c src/rules/rules.c src/render/findings.c src/rules/analyse.c \
	src/common/output_file.c \
	src/render/describe.c src/common/json_gen.c src/common/read_file.c src/render/model.c src/render/baseline.c src/render/junit.c src/common/output_stream.c src/render/perfetto.c \
	src/render/html.c src/render/advise.c src/render/state.c src/render/summary.c \
	src/common/errors.c src/ingest/sniff.c src/rules/select.c src/rules/rule_docs.c
CLI_SRCS := src/cli/cli.c src/cli/main.c src/cli/model_command.c $(sort $(wildcard src/cli/cmd_*.c))

CORE_OBJS := $(patsubst src/%.c,$(O)/obj/%.o,$(CORE_SRCS))
CLI_OBJS := $(patsubst src/%.c,$(O)/obj/%.o,$(CLI_SRCS))

# Extra objects/libs other components add to the binary (e.g. the BPF capture).
# record links the BPF capture (mk/bpf.mk).
DT_EXTRA_OBJS ?=
DT_EXTRA_LIBS ?= $(O)/libcapture.a -lbpf -lelf -lz

all: $(O)/dmabuf-trace

# rm first: ar r keeps members whose source went away (a moved file's old object kept its symbols).
$(O)/libdtcore.a: $(CORE_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@
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
$(O)/obj/cli/cmd_record.o: $(O)/dmabuf_trace.skel.h
