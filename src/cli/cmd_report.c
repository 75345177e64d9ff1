/* dmabuf-trace report --html OUT.html TRACE: a self-contained page for people. */
#include "cli/commands.h"
#include "render/html.h"
#include "cli/model_command.h"

int dt_cmd_report(struct dt_cli *cli)
{
	return dt_model_render_to(cli, cli->html, "html", dt_html_write);
}
