/* clientconfig: read an MCP client's configuration file into the servers it would start,
 * each as a target to audit (a registry package, a local folder, a remote URL, or a reason
 * why it cannot be audited).
 *
 * Formats, told apart by content first and by file name second:
 *   claude-desktop  claude_desktop_config.json   {"mcpServers": {NAME: {command, args, env}}}
 *   claude-code     .mcp.json                    {"mcpServers": {NAME: {type, command, args, env,
 *                                                url, headers}}}
 *   cursor          .cursor/mcp.json             {"mcpServers": {...}} with command or url
 *   vscode          .vscode/mcp.json, settings.json  {"servers": {...}, "inputs": [...]} or
 *                                                {"mcp": {"servers": {...}}}; also envFile, cwd
 *   cline           cline_mcp_settings.json      {"mcpServers": {...}} with disabled, autoApprove
 *   windsurf        mcp_config.json              {"mcpServers": {...}} with serverUrl for remote
 *   zed             settings.json                {"context_servers": {NAME: {command, args, env}}}
 *                                                (or "command": {path, args, env})
 *   continue        config.json                  {"experimental": {"modelContextProtocolServers":
 *                                                [{"transport": {type, command, args, env}}]}}
 *   claude-code     ~/.claude.json               also {"projects": {DIR: {"mcpServers": {...}}}},
 *                                                each run in DIR, with the top-level map
 *   mcp-servers     any other file with a top-level "mcpServers" object
 * Every file is read as JSONC (comments and trailing commas allowed), as VS Code writes them,
 * with core/json_read: of two equal keys the last counts, as in every client. A file with
 * several server maps gives the servers of all of them (each client reads only one, so
 * the others may be decoys), in the order of the table in clientconfig.c.
 *
 * Relative paths (a script, a cwd, an envFile) are resolved as the client would start the
 * server: against the configured cwd, else against client_config.base, which is the
 * workspace folder for a file inside .vscode/ or .cursor/ and the file's own folder
 * otherwise. ${workspaceFolder} and ${userHome} are expanded in the command, its arguments,
 * cwd and envFile; ${input:ID} and ${env:NAME} are left for the caller.
 *
 * A server's environment and headers are kept with a secret flag on each entry whose name
 * or value looks like a credential, so that the caller can swap the value for a canary.
 * Error messages name the file, the line where one can be found, and the server, and never
 * quote a value. */
#ifndef MCPAUDIT_CLIENTCONFIG_H
#define MCPAUDIT_CLIENTCONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "core/vec.h"

#define CLIENT_CONFIG_MAX_BYTES ((size_t)4 << 20) /* a larger file is refused */
#define CLIENT_CONFIG_MAX_SERVERS 1000u
#define CLIENT_CONFIG_MAX_PROJECTS 256u  /* ~/.claude.json's projects with servers */

enum client_target_kind {
	CT_NPM,          /* spec "pkg@ver" or "@scope/pkg@ver" (version optional) */
	CT_PYPI,         /* spec "pkg==ver" (version optional; extras dropped) */
	CT_LOCAL,        /* spec: the folder to audit, absolute */
	CT_REMOTE,       /* spec: the server's http(s) URL */
	CT_UNSUPPORTED,  /* spec NULL; reason says why and what to do instead */
};

struct client_env {
	char *name;
	char *value;   /* as configured: may be a placeholder such as "${input:token}" */
	bool secret;   /* the name or value looks like a credential, or the placeholder stands for one */
};

/* A VEC(struct client_env) with a name, so that one function can fill env and headers. */
struct client_envs {
	struct client_env *items;
	size_t len, cap;
};

struct client_target {
	char *server;             /* the configuration's name for it */
	enum client_target_kind kind;
	char *spec;               /* see enum client_target_kind; NULL for CT_UNSUPPORTED */
	const char *transport;    /* "stdio", "http" or "sse"; static, never NULL */
	VEC(char *) argv;         /* stdio: the command and its arguments, as configured (path
				   * variables expanded); empty for a remote server */
	VEC(char *) server_args;  /* CT_NPM, CT_PYPI: the arguments after the package (or after
				   * the command it names, with npx -p or uvx --from) */
	char *cwd;                /* the configured cwd made absolute, or NULL: then start argv in
				   * client_config.base */
	char *env_file;           /* VS Code's envFile made absolute, or NULL; not read */
	struct client_envs env;     /* the configured environment, in the file's order */
	struct client_envs headers; /* remote servers' HTTP headers */
	bool url_secret;          /* CT_REMOTE: the URL itself carries a credential (user:password@
				   * or a key=/token= parameter): do not print spec */
	bool disabled;            /* "disabled": true; still listed */
	char *reason;             /* CT_UNSUPPORTED: why, in a sentence; else NULL */
	const char *section;      /* the server map it is in ("mcpServers", "servers", "mcp.servers",
				   * "context_servers", "projects.mcpServers", ...); static */
	char *project;            /* "projects.mcpServers": the project folder (Claude Code starts
				   * the server there, relative paths are its), else NULL */
};

struct client_config {
	char *path;           /* the file, as given */
	const char *format;   /* "claude-desktop", "claude-code", "cursor", "vscode", "cline",
			       * "windsurf", "zed", "continue" or "mcp-servers"; static */
	char *base;           /* absolute folder that relative paths are resolved against */
	VEC(struct client_target) targets;  /* in the file's order */
	size_t sections;      /* server maps in the file: more than one means each client runs
			       * only some of targets (all are listed) */
};

/* Reads the configuration at path into out, which must be zeroed. Returns 0 (a file whose
 * server section is empty gives no targets), or -1 with "FILE: line N: what is wrong" (the
 * line when one is known) in err, and out left empty: the file cannot be read, is larger
 * than CLIENT_CONFIG_MAX_BYTES, is not valid JSON(C), has no server section, or a server
 * has neither command nor url, or a field of the wrong type. Free out with
 * client_config_free, after success or failure. */
int client_config_load(const char *path, struct client_config *out, char *err, size_t errlen);

/* The same from text already in memory (a README's example configuration): label names it
 * in messages, base is the absolute folder relative paths are resolved against. */
int client_config_parse(const char *label, const char *text, size_t len, const char *base,
			struct client_config *out, char *err, size_t errlen);

/* Reads a command line (argv, NULL-terminated: "npx", "-y", "PKG", "--stdio") as a server
 * entry with that command would be read, into out, which must be zeroed; relative paths
 * against base. Returns 0 (what cannot be audited is CT_UNSUPPORTED with a reason), or -1
 * when memory ran out. Free out with client_target_free either way. */
int client_target_from_argv(const char *const *argv, const char *base, struct client_target *out);
void client_target_free(struct client_target *t);

/* Adds the file's own findings to r: duplicate-json-key for a key written twice (the client
 * takes the last, and so does client_config_load) and client-config-sections when it has
 * more than one server map. A file that cannot be read again is listed as incomplete.
 * Returns 0 or -1 (out of memory). */
struct report;
int client_config_report(const char *path, struct report *r);

/* Frees what out holds and zeroes it; NULL is a no-op. */
void client_config_free(struct client_config *c);

/* Whether path looks like a client configuration: a .json file, no larger than
 * CLIENT_CONFIG_MAX_BYTES, whose top level has an object "mcpServers", "servers" or
 * "mcp": {"servers"}. */
bool client_config_detect(const char *path);

/* "npm", "pypi", "local", "remote" or "unsupported"; static. */
const char *client_target_kind_name(enum client_target_kind kind);

/* Whether a value looks like a secret (names: core/secret_env.h): it starts with a known
 * token prefix (ghp_, github_pat_, sk-, xoxb-, AKIA, glpat-, npm_, ...), is a private key,
 * is a URL with a password or a key parameter, or is a long random-looking string. */
bool client_secret_value(const char *value);

#endif
