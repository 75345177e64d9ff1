# dmabuf-trace daemon (issue 15): segments, control socket, flight recorder, journal, metrics, holders.
# WITH_SYSTEMD=1 (default when libsystemd-dev is installed) sends findings to the journal through
# libsystemd; WITH_SYSTEMD=0 for static guest builds (Debian ships no static libsystemd).
WITH_SYSTEMD ?= $(shell pkg-config --exists libsystemd 2>/dev/null && echo 1 || echo 0)
DAEMON_SRCS := $(sort $(wildcard src/daemon/*.c))
DAEMON_OBJS := $(patsubst src/%.c,$(O)/obj/%.o,$(DAEMON_SRCS))
DT_EXTRA_OBJS += $(DAEMON_OBJS)
ifeq ($(WITH_SYSTEMD),1)
DT_EXTRA_LIBS += -lsystemd
endif
$(DAEMON_OBJS): ALL_CFLAGS += -DWITH_SYSTEMD=$(WITH_SYSTEMD)
$(O)/dmabuf-trace: $(DAEMON_OBJS)
