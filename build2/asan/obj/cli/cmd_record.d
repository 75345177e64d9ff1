build2/asan/obj/cli/cmd_record.o: src/cli/cmd_record.c \
 include/dmabuf_trace_defaults.h src/rules/analyse.h src/rules/rules.h \
 src/engine/engine.h src/common/event.h src/engine/constraints.h \
 src/ingest/bufinfo.h src/ingest/sink.h src/capture/capture.h \
 include/dmabuf_trace_abi.h include/dmabuf_trace_defaults.h \
 src/cli/commands.h src/cli/cli.h src/common/errors.h src/render/format.h \
 src/render/findings.h src/ingest/reorder.h src/common/output_file.h \
 src/ingest/trace_writer.h src/common/version.h
include/dmabuf_trace_defaults.h:
src/rules/analyse.h:
src/rules/rules.h:
src/engine/engine.h:
src/common/event.h:
src/engine/constraints.h:
src/ingest/bufinfo.h:
src/ingest/sink.h:
src/capture/capture.h:
include/dmabuf_trace_abi.h:
include/dmabuf_trace_defaults.h:
src/cli/commands.h:
src/cli/cli.h:
src/common/errors.h:
src/render/format.h:
src/render/findings.h:
src/ingest/reorder.h:
src/common/output_file.h:
src/ingest/trace_writer.h:
src/common/version.h:
