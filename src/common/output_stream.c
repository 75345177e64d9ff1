/* SPDX-License-Identifier: Apache-2.0 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "common/errors.h"
#include "common/output_file.h"
#include "common/output_stream.h"

FILE *dt_output_fopen(const char *path, bool force, enum dt_status *status)
{
	int fd = dt_open_output(path, force);
	if (fd < 0) {
		*status = dt_output_status(fd);
		return NULL;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		dt_err("%s: %s", path, strerror(errno));
		close(fd);
		*status = DT_ERR_SYSTEM;
	}
	return f;
}

enum dt_status dt_output_fclose(FILE *f, const char *path)
{
	bool bad = ferror(f);
	errno = 0;
	if (fclose(f) != 0 || bad) {
		dt_err("%s: write error%s%s", path, errno ? ": " : "", errno ? strerror(errno) : "");
		return DT_ERR_SYSTEM;
	}
	return DT_OK;
}
