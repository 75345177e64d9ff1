/* dmabuf-trace export --perfetto OUT.json TRACE: the timeline for the Perfetto UI. */
#include "cli/commands.h"
#include "cli/model_command.h"
#include "render/perfetto.h"

int dt_cmd_export(struct dt_cli *cli)
{
	return dt_model_render_to(cli, cli->perfetto, "perfetto", dt_perfetto_write);
}
