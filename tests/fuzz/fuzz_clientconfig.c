/* fuzz_clientconfig: MCP client configurations, JSONC included (audit/clientconfig.c).
 * The first byte picks the file name (the format is told by content first, by name second);
 * the rest is the file. Detection and loading are both run, and every target's fields are
 * read back as the audit would. */
#include <stdlib.h>
#include <string.h>

#include "audit/clientconfig.h"
#include "tests/fuzz/fuzz_util.h"

static const char *const names[] = {
	"claude_desktop_config.json", ".mcp.json", ".cursor/mcp.json", ".vscode/mcp.json",
	".vscode/settings.json", "cline_mcp_settings.json", "mcp_config.json", "other.json",
};
#define NNAMES (sizeof names / sizeof names[0])

/* Touch every string the loader handed back, so a dangling or unterminated one is caught. */
static void read_back(const struct client_config *c)
{
	size_t sum = strlen(c->format) + strlen(c->base);

	for (size_t i = 0; i < c->targets.len; i++) {
		const struct client_target *t = &c->targets.items[i];
		sum += strlen(t->server) + strlen(t->transport) + strlen(client_target_kind_name(t->kind));
		sum += (t->spec ? strlen(t->spec) : 0) + (t->reason ? strlen(t->reason) : 0);
		sum += (t->cwd ? strlen(t->cwd) : 0) + (t->env_file ? strlen(t->env_file) : 0);
		for (size_t k = 0; k < t->argv.len; k++)
			sum += strlen(t->argv.items[k]);
		for (size_t k = 0; k < t->server_args.len; k++)
			sum += strlen(t->server_args.items[k]);
		for (size_t k = 0; k < t->env.len; k++)
			sum += strlen(t->env.items[k].name) + strlen(t->env.items[k].value);
		for (size_t k = 0; k < t->headers.len; k++)
			sum += strlen(t->headers.items[k].name) + strlen(t->headers.items[k].value);
	}
	if (sum == (size_t)-1)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct client_config c = {0};
	const char *path;
	char err[512];

	if (size < 1)
		return 0;
	fuzz_clear();
	path = fuzz_write(names[data[0] % NNAMES], data + 1, size - 1);
	client_config_detect(path);
	if (client_config_load(path, &c, err, sizeof err) == 0)
		read_back(&c);
	client_config_free(&c);
	return 0;
}
