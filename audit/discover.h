/* discover: the MCP client configurations on this machine, where each client keeps them:
 * Claude Desktop, Claude Code (~/.claude.json with its per-project sections, .mcp.json),
 * Cursor, VS Code (user settings.json and mcp.json, the workspace's .vscode/mcp.json),
 * Cline, Windsurf, Zed and Continue; under the home folder, the XDG configuration folder
 * (Linux) or Library/Application Support (macOS), and the working folder. The table of
 * places is in discover.c. */
#ifndef MCPAUDIT_DISCOVER_H
#define MCPAUDIT_DISCOVER_H

#include <stdbool.h>

#include "core/vec.h"

#define DISCOVER_MAX 256  /* configurations listed at most */

struct discovered {
	char *path;           /* as found (home, config folder or working folder joined) */
	const char *client;   /* "Claude Code", "VS Code", ...; static */
	/* NULL: to be read as a client configuration (one that cannot be parsed is still read,
	 * so that its error is shown); else why it is not (static): no MCP servers in it, or a
	 * format mcpaudit does not read */
	const char *not_read;
	bool unsupported;     /* not_read says it holds servers mcpaudit cannot read (YAML) */
};

typedef VEC(struct discovered) discovered_list;

/* Looks in home, config_home (NULL: home/.config) and cwd (any may be NULL) and appends each
 * configuration that exists, once (by its real path), to out. Returns 0, or -1 when memory
 * ran out. Free out with discover_free. */
int discover_configs(const char *home, const char *config_home, const char *cwd, discovered_list *out);
void discover_free(discovered_list *list);

#endif
