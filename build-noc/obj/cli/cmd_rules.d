build-noc/obj/cli/cmd_rules.o: src/cli/cmd_rules.c src/cli/cli.h \
 src/common/errors.h src/render/format.h src/rules/rules.h \
 src/rules/select.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/cli/commands.h \
 src/common/json_gen.h src/rules/rule_docs.h
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
src/common/json_gen.h:
src/rules/rule_docs.h:
