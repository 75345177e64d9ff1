build-noc/obj/cli/cmd_check.o: src/cli/cmd_check.c src/rules/analyse.h \
 src/common/errors.h src/engine/engine.h include/dmabuf_trace_defaults.h \
 src/engine/constraints.h src/common/event.h src/rules/rules.h \
 src/render/baseline.h src/cli/cli.h src/render/format.h \
 src/rules/select.h src/cli/commands.h src/common/escape.h \
 src/render/junit.h src/render/model.h src/render/describe.h \
 src/render/findings.h src/render/summary.h
src/rules/analyse.h:
src/common/errors.h:
src/engine/engine.h:
include/dmabuf_trace_defaults.h:
src/engine/constraints.h:
src/common/event.h:
src/rules/rules.h:
src/render/baseline.h:
src/cli/cli.h:
src/render/format.h:
src/rules/select.h:
src/cli/commands.h:
src/common/escape.h:
src/render/junit.h:
src/render/model.h:
src/render/describe.h:
src/render/findings.h:
src/render/summary.h:
