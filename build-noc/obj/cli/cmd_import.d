build-noc/obj/cli/cmd_import.o: src/cli/cmd_import.c src/cli/cli.h \
 src/common/errors.h src/render/format.h src/rules/rules.h \
 src/rules/select.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/cli/commands.h \
 src/ingest/source.h src/ingest/trace_reader.h src/common/output_file.h \
 src/ingest/trace_writer.h src/common/version.h
src/cli/cli.h:
src/common/errors.h:
src/render/format.h:
src/rules/rules.h:
src/rules/select.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/cli/commands.h:
src/ingest/source.h:
src/ingest/trace_reader.h:
src/common/output_file.h:
src/ingest/trace_writer.h:
src/common/version.h:
