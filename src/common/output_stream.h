/* A stdio stream over dt_open_output (0600, no symlink, no overwrite without --force),
 * and closing it with error checking: shared by baseline, export, report. */
#ifndef DT_OUTPUT_STREAM_H
#define DT_OUTPUT_STREAM_H

#include <stdbool.h>
#include <stdio.h>

/* NULL with *status set: DT_EXIT_INPUT (exists, symlink) or DT_EXIT_SYSTEM. */
FILE *dt_output_fopen(const char *path, bool force, int *status);
/* Flushes and closes; returns DT_EXIT_OK or DT_EXIT_SYSTEM after printing the error. */
int dt_output_fclose(FILE *f, const char *path);

#endif
