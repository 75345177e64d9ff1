/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/output_file.h"

enum dt_status dt_output_status(int neg_errno)
{
	switch (-neg_errno) {
	case EEXIST:
	case ELOOP:
	case EISDIR:
	case ENOENT:
	case ENOTDIR: return DT_EXIT_INPUT;
	default: return DT_EXIT_SYSTEM;
	}
}

int dt_open_output(const char *path, bool force)
{
	if (strcmp(path, "-") == 0)
		return dup(STDOUT_FILENO);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST && force) {
		struct stat st;
		if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
			dt_err("%s: refusing to write through a symbolic link", path);
			return -ELOOP;
		}
		fd = open(path, O_WRONLY | O_TRUNC | O_NOFOLLOW | O_CLOEXEC);
		/* A file overwritten gets the mode a new one would have. Not a FIFO or a device (--force -o /dev/null
		 * as root would leave /dev/null unwritable for everyone else). Not fatal: a file we do not own. */
		struct stat fst;
		if (fd >= 0 && fstat(fd, &fst) == 0 && S_ISREG(fst.st_mode))
			(void)!fchmod(fd, 0600);
	}
	if (fd < 0) {
		int e = errno;
		struct stat st;
		if (e == EEXIST && lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) {
			dt_err("%s: is a symbolic link: never written through, even with --force", path);
			return -ELOOP;
		}
		if (e == EEXIST && !force && lstat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
			dt_err("%s: is a directory", path);
			return -EISDIR;
		}
		if (e == EEXIST)
			dt_err("%s: exists (use --force to overwrite)", path);
		else if (e == ELOOP)
			dt_err("%s: refusing to write through a symbolic link", path);
		else
			dt_err("%s: cannot create: %s", path, strerror(e));
		return -e;
	}
	return fd;
}
