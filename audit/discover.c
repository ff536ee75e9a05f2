/* discover: where MCP clients keep their configurations, and which of them exist here. */
#include "audit/discover.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit/clientconfig.h"
#include "core/json_read.h"
#include "core/strbuf.h"

enum place { HOME, CONFIG, CWD };

/* Every place a client keeps its servers, per the clients' own documentation. */
static const struct {
	const char *client;
	enum place in;
	const char *rel;
} places[] = {
	{"Claude Desktop", CONFIG, "Claude/claude_desktop_config.json"},
	{"Claude Desktop", HOME, "Library/Application Support/Claude/claude_desktop_config.json"},
	{"Claude Code", HOME, ".claude.json"},
	{"Claude Code", CWD, ".mcp.json"},
	{"Cursor", HOME, ".cursor/mcp.json"},
	{"Cursor", CWD, ".cursor/mcp.json"},
	{"VS Code", CONFIG, "Code/User/settings.json"},
	{"VS Code", CONFIG, "Code/User/mcp.json"},
	{"VS Code Insiders", CONFIG, "Code - Insiders/User/settings.json"},
	{"VS Code Insiders", CONFIG, "Code - Insiders/User/mcp.json"},
	{"VS Code", HOME, "Library/Application Support/Code/User/settings.json"},
	{"VS Code", HOME, "Library/Application Support/Code/User/mcp.json"},
	{"VS Code", CWD, ".vscode/mcp.json"},
	{"Cline", CONFIG, "Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json"},
	{"Cline", HOME,
	 "Library/Application Support/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json"},
	{"Windsurf", HOME, ".codeium/windsurf/mcp_config.json"},
	{"Zed", CONFIG, "zed/settings.json"},
	{"Zed", CWD, ".zed/settings.json"},
	{"Continue", HOME, ".continue/config.json"},
	{"Continue", HOME, ".continue/config.yaml"},
	{"Continue", HOME, ".continue/mcpServers"},  /* a folder: one file per server block */
	{"Continue", CWD, ".continue/mcpServers"},
};

#define CONFIG_MAX_BYTES CLIENT_CONFIG_MAX_BYTES

static bool yaml_name(const char *path)
{
	size_t n = strlen(path);

	return (n > 5 && !strcmp(path + n - 5, ".yaml")) || (n > 4 && !strcmp(path + n - 4, ".yml"));
}

/* Why a file is not read as a configuration, or NULL when it is: YAML (Continue's) is not
 * read; JSON(C) without a server section holds no servers (VS Code's settings.json mostly);
 * one that does not parse is read, so that the error names its line. */
static const char *why_not_read(const char *path, bool *unsupported)
{
	struct json_doc doc = {0};
	struct json_read_error e;
	size_t len = 0;
	char *text;
	bool parses;

	*unsupported = false;
	if (yaml_name(path)) {
		*unsupported = true;
		return "YAML, which mcpaudit does not read: audit its servers' packages by name";
	}
	if (client_config_detect(path))
		return NULL;
	text = xreadfile(path, CONFIG_MAX_BYTES, &len);
	parses = text && json_read(text, len, JSON_JSONC, &doc, &e) == 0;
	json_doc_free(&doc);
	free(text);
	return parses ? "no MCP servers in it" : NULL;
}

/* Appends path unless its real path is listed already. */
static int add(discovered_list *out, const char *path, const char *client)
{
	char real[PATH_MAX], other[PATH_MAX];
	struct discovered d = {.client = client};

	if (!realpath(path, real))
		return 0;
	for (size_t i = 0; i < out->len; i++)
		if (realpath(out->items[i].path, other) && !strcmp(other, real))
			return 0;
	if (out->len >= DISCOVER_MAX)
		return 0;
	d.not_read = why_not_read(path, &d.unsupported);
	if (!(d.path = xstrdup(path)) || vec_push(out, d) != 0) {
		free(d.path);
		return -1;
	}
	return 0;
}

/* The .json and .yaml files of a folder (Continue's mcpServers/), in name order. */
static int add_folder(discovered_list *out, const char *dir, const char *client)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort), rc = 0;

	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t len = strlen(name);
		char *path;
		if (rc == 0 && name[0] != '.' && ((len > 5 && !strcmp(name + len - 5, ".json")) || yaml_name(name))) {
			path = xasprintf("%s/%s", dir, name);
			rc = path ? add(out, path, client) : -1;
			free(path);
		}
		free(names[i]);
	}
	free(names);
	return rc;
}

int discover_configs(const char *home, const char *config_home, const char *cwd, discovered_list *out)
{
	char *xdg = !config_home && home ? xasprintf("%s/.config", home) : NULL;
	const char *base[] = {[HOME] = home, [CONFIG] = config_home ? config_home : xdg, [CWD] = cwd};
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof places / sizeof places[0]; i++) {
		const char *dir = base[places[i].in];
		char *path = dir && *dir ? xasprintf("%s/%s", dir, places[i].rel) : NULL;
		struct stat st;
		if (path && stat(path, &st) == 0)
			rc = S_ISDIR(st.st_mode) ? add_folder(out, path, places[i].client)
						 : S_ISREG(st.st_mode) ? add(out, path, places[i].client) : 0;
		free(path);
	}
	free(xdg);
	return rc;
}

void discover_free(discovered_list *list)
{
	for (size_t i = 0; i < list->len; i++)
		free(list->items[i].path);
	vec_free(list);
}
