/* Output formats and colour choice shared by every renderer; the CLI's flags fill them. */
#ifndef DT_RENDER_FORMAT_H
#define DT_RENDER_FORMAT_H

enum dt_format { FMT_TEXT, FMT_JSON, FMT_JUNIT };
enum dt_color { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

#endif
