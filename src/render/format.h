// SPDX-License-Identifier: Apache-2.0
/* Output formats a renderer can produce; each command says which of them it has (cli/cli.h). */
#ifndef DT_FORMAT_H
#define DT_FORMAT_H

enum dt_format { FMT_TEXT, FMT_JSON, FMT_JUNIT, FMT_PERFETTO, FMT_HTML, FMT__COUNT };
enum dt_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

#define FMT_BIT(f) (1u << (f))

#endif
