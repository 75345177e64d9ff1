// SPDX-License-Identifier: Apache-2.0
/* See control.h. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <yajl/yajl_gen.h>

#include "daemon/control.h"

#define MAX_CLIENTS 16
#define CLIENT_IDLE_SECONDS 5.0
#define REPLY_TIMEOUT_MS 2000

struct client {
	int fd;
	char buf[DT_PROTO_MAX_REQUEST + 1];
	size_t len;
	double since;
};

struct dt_control {
	int fd;
	char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
	gid_t group;
	bool have_group;
	struct client clients[MAX_CLIENTS];
	unsigned long long served, refused;
};

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int fill_addr(struct sockaddr_un *sa, const char *path, char *err, size_t errlen)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path)) {
		snprintf(err, errlen, "%s: socket path longer than %zu bytes", path, sizeof(sa->sun_path) - 1);
		return -1;
	}
	memcpy(sa->sun_path, path, strlen(path));
	return 0;
}

struct dt_control *dt_control_open(const char *path, const char *group, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	if (fill_addr(&sa, path, err, errlen) < 0)
		return NULL;
	struct dt_control *c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	for (int i = 0; i < MAX_CLIENTS; i++)
		c->clients[i].fd = -1;
	snprintf(c->path, sizeof(c->path), "%s", path);
	if (group) {
		struct group *g = getgrnam(group);
		char *end;
		unsigned long gid = strtoul(group, &end, 10);
		if (!g && (*end || end == group)) {
			snprintf(err, errlen, "--socket-group %s: no such group", group);
			free(c);
			return NULL;
		}
		c->group = g ? g->gr_gid : (gid_t)gid;
		c->have_group = true;
	}
	/* The directory (default /run/dmabuf-trace, the unit's RuntimeDirectory) may need creating. */
	char dir[sizeof(c->path)];
	snprintf(dir, sizeof(dir), "%s", path);
	char *slash = strrchr(dir, '/');
	if (slash && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0750) == 0 && c->have_group && chown(dir, (uid_t)-1, c->group) < 0) {
			/* best effort: the socket's own mode and group are what count */
		}
	}
	c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (c->fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		free(c);
		return NULL;
	}
	if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		if (errno != EADDRINUSE)
			goto fail;
		/* Stale (a killed daemon's) or live? Only a live one answers a connect. */
		int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		bool live = probe >= 0 && connect(probe, (struct sockaddr *)&sa, sizeof(sa)) == 0;
		if (probe >= 0)
			close(probe);
		struct stat st;
		if (live || lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "%s: %s", path, live ? "another daemon is listening there" : "exists and is not a socket");
			close(c->fd);
			free(c);
			return NULL;
		}
		unlink(path);
		if (bind(c->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			goto fail;
	}
	if (listen(c->fd, 8) < 0)
		goto fail;
	if (chmod(path, 0660) < 0 || (c->have_group && chown(path, (uid_t)-1, c->group) < 0)) {
		snprintf(err, errlen, "%s: cannot set mode 0660 / group: %s", path, strerror(errno));
		close(c->fd);
		unlink(path);
		free(c);
		return NULL;
	}
	return c;
fail:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	close(c->fd);
	free(c);
	return NULL;
}

/* Is gid among the supplementary groups of pid ("Groups:" in /proc/PID/status)? */
static bool in_groups(pid_t pid, gid_t gid)
{
	char path[64], line[4096];
	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	FILE *f = fopen(path, "re");
	if (!f)
		return false;
	bool found = false;
	while (!found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Groups:", 7) != 0)
			continue;
		char *p = line + 7, *end;
		for (;;) {
			unsigned long g = strtoul(p, &end, 10);
			if (end == p)
				break;
			if ((gid_t)g == gid)
				found = true;
			p = end;
		}
	}
	fclose(f);
	return found;
}

static bool peer_allowed(const struct dt_control *c, int fd)
{
	struct ucred cred;
	socklen_t len = sizeof(cred);
	if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) < 0)
		return false;
	if (cred.uid == 0 || cred.uid == geteuid())
		return true;
	return c->have_group && (cred.gid == c->group || in_groups(cred.pid, c->group));
}

void dt_control_error_reply(FILE *out, const char *msg)
{
	yajl_gen g = yajl_gen_alloc(NULL);
	if (!g)
		return;
	yajl_gen_map_open(g);
	yajl_gen_string(g, (const unsigned char *)"version", 7);
	yajl_gen_integer(g, DT_PROTO_VERSION);
	yajl_gen_string(g, (const unsigned char *)"ok", 2);
	yajl_gen_bool(g, 0);
	yajl_gen_string(g, (const unsigned char *)"error", 5);
	yajl_gen_string(g, (const unsigned char *)msg, strlen(msg));
	yajl_gen_map_close(g);
	const unsigned char *b;
	size_t n;
	yajl_gen_get_buf(g, &b, &n);
	fwrite(b, 1, n, out);
	fputc('\n', out);
	yajl_gen_free(g);
}

static void drop(struct client *cl)
{
	close(cl->fd);
	cl->fd = -1;
	cl->len = 0;
}

/* Serves one request line from cl; the reply goes out blocking, bounded by a send timeout. */
static void serve(struct dt_control *c, struct client *cl, size_t line_len, dt_control_fn fn, void *ctx)
{
	int fl = fcntl(cl->fd, F_GETFL);
	fcntl(cl->fd, F_SETFL, fl & ~O_NONBLOCK);
	struct timeval tv = {REPLY_TIMEOUT_MS / 1000, (REPLY_TIMEOUT_MS % 1000) * 1000};
	setsockopt(cl->fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	int dupfd = dup(cl->fd);
	FILE *out = dupfd >= 0 ? fdopen(dupfd, "w") : NULL;
	if (!out) {
		if (dupfd >= 0)
			close(dupfd);
		drop(cl);
		return;
	}
	struct dt_request req;
	char err[300];
	if (dt_proto_parse_request(cl->buf, line_len, &req, err, sizeof(err)) < 0) {
		c->refused++;
		dt_control_error_reply(out, err);
	} else {
		c->served++;
		fn(ctx, &req, out);
	}
	fclose(out);
	fcntl(cl->fd, F_SETFL, fl | O_NONBLOCK);
	/* Whatever followed the line is the next request. */
	size_t rest = cl->len - line_len - 1;
	memmove(cl->buf, cl->buf + line_len + 1, rest);
	cl->len = rest;
	cl->since = mono_now();
}

void dt_control_poll(struct dt_control *c, dt_control_fn fn, void *ctx)
{
	for (;;) {
		int fd = accept4(c->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
		if (fd < 0)
			break;
		if (!peer_allowed(c, fd)) {
			c->refused++;
			FILE *out = fdopen(fd, "w");
			if (out) {
				dt_control_error_reply(out, "permission denied: not root, the daemon's user or in the socket's group");
				fclose(out);
			} else {
				close(fd);
			}
			continue;
		}
		int slot = -1;
		for (int i = 0; i < MAX_CLIENTS && slot < 0; i++)
			if (c->clients[i].fd < 0)
				slot = i;
		if (slot < 0) {
			c->refused++;
			FILE *out = fdopen(fd, "w");
			if (out) {
				dt_control_error_reply(out, "busy: too many clients connected");
				fclose(out);
			} else {
				close(fd);
			}
			continue;
		}
		c->clients[slot] = (struct client){.fd = fd, .len = 0, .since = mono_now()};
	}
	double now = mono_now();
	for (int i = 0; i < MAX_CLIENTS; i++) {
		struct client *cl = &c->clients[i];
		if (cl->fd < 0)
			continue;
		for (;;) {
			size_t room = sizeof(cl->buf) - cl->len;
			ssize_t n = room ? read(cl->fd, cl->buf + cl->len, room) : 0;
			if (n > 0)
				cl->since = now;
			if (n < 0 && errno == EINTR)
				continue;
			if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				break;
			if (n <= 0 && room) { /* closed or failed */
				drop(cl);
				break;
			}
			cl->len += (size_t)(n > 0 ? n : 0);
			char *nl;
			while (cl->fd >= 0 && (nl = memchr(cl->buf, '\n', cl->len)))
				serve(c, cl, (size_t)(nl - cl->buf), fn, ctx);
			if (cl->fd >= 0 && cl->len == sizeof(cl->buf)) {
				/* DT_PROTO_MAX_REQUEST + 1 bytes and no newline */
				c->refused++;
				FILE *out = fdopen(dup(cl->fd), "w");
				if (out) {
					dt_control_error_reply(out, "request longer than 4096 bytes (one JSON object per line)");
					fclose(out);
				}
				drop(cl);
			}
			if (cl->fd < 0)
				break;
		}
		if (cl->fd >= 0 && now - cl->since > CLIENT_IDLE_SECONDS)
			drop(cl);
	}
}

void dt_control_counts(const struct dt_control *c, unsigned long long *served, unsigned long long *refused)
{
	*served = c->served;
	*refused = c->refused;
}

void dt_control_close(struct dt_control *c)
{
	if (!c)
		return;
	for (int i = 0; i < MAX_CLIENTS; i++)
		if (c->clients[i].fd >= 0)
			close(c->clients[i].fd);
	close(c->fd);
	unlink(c->path);
	free(c);
}

FILE *dt_control_request(const char *path, const char *request_line, char *err, size_t errlen)
{
	struct sockaddr_un sa;
	if (fill_addr(&sa, path, err, errlen) < 0)
		return NULL;
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "socket: %s", strerror(errno));
		return NULL;
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		snprintf(err, errlen, "%s: no daemon answers there: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	size_t n = strlen(request_line), off = 0;
	while (off < n) {
		ssize_t w = write(fd, request_line + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			close(fd);
			return NULL;
		}
		off += (size_t)w;
	}
	shutdown(fd, SHUT_WR);
	FILE *f = fdopen(fd, "r");
	if (!f) {
		snprintf(err, errlen, "%s", strerror(errno));
		close(fd);
	}
	return f;
}
