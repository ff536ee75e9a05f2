/* clientconfig: every sample under samples/clients/ read into its targets; a table of
 * command lines (npx, uvx, node, python -m, uv run, docker, cmd /c, ...) written to a scratch
 * folder and mapped; the secret tests; and bad files, each refused with an error that names
 * the file (and the line) and never quotes a secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/clientconfig.h"
#include "core/report.h"

static char source[PATH_MAX];  /* the source tree, from this file's path */
static char top[PATH_MAX];     /* the scratch folder, resolved */

static void write_file(const char *rel, const char *text)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", top, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static void make_dir(const char *rel)
{
	char path[PATH_MAX + 64];

	snprintf(path, sizeof path, "%s/%s", top, rel);
	assert_int_equal(mkdir(path, 0755), 0);
}

/* A scratch tree: a node project with its script one folder down, a Python project with a
 * module, a loose script, and a .git so that climbing for a project stops here. */
static int setup(void **state)
{
	char tmpl[] = "/tmp/mcpaudit-clientconfig-XXXXXX";
	(void)state;

	if (!mkdtemp(tmpl) || !realpath(tmpl, top))
		return -1;
	make_dir(".git");
	make_dir("proj");
	make_dir("proj/src");
	write_file("proj/package.json", "{\"name\": \"proj\"}\n");
	write_file("proj/src/server.js", "// server\n");
	write_file("proj/src/server.ts", "// server\n");
	make_dir("pyproj");
	make_dir("pyproj/pkgmod");
	write_file("pyproj/pyproject.toml", "[project]\nname = \"pyproj\"\n");
	write_file("pyproj/pkgmod/__main__.py", "# main\n");
	write_file("pyproj/tool.py", "# tool\n");
	make_dir("loose");
	write_file("loose/x.py", "# loose\n");
	return 0;
}

static int teardown(void **state)
{
	char cmd[PATH_MAX + 64];
	(void)state;

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

static const struct client_target *target(const struct client_config *c, const char *server)
{
	for (size_t i = 0; i < c->targets.len; i++)
		if (strcmp(c->targets.items[i].server, server) == 0)
			return &c->targets.items[i];
	fail_msg("no target '%s' in %s", server, c->path);
	return NULL;
}

static const struct client_env *env(const struct client_target *t, const char *name)
{
	for (size_t i = 0; i < t->env.len; i++)
		if (strcmp(t->env.items[i].name, name) == 0)
			return &t->env.items[i];
	for (size_t i = 0; i < t->headers.len; i++)
		if (strcmp(t->headers.items[i].name, name) == 0)
			return &t->headers.items[i];
	fail_msg("no env or header '%s' in server '%s'", name, t->server);
	return NULL;
}

static void joined(char *out, size_t size, char *const *items, size_t n)
{
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(out);
		snprintf(out + len, size - len, "%s%s", i ? " " : "", items[i]);
	}
}

static void assert_args(const struct client_target *t, const char *want)
{
	char got[1024];

	joined(got, sizeof got, t->server_args.items, t->server_args.len);
	assert_string_equal(got, want);
}

static void assert_argv(const struct client_target *t, const char *want)
{
	char got[2048];

	joined(got, sizeof got, t->argv.items, t->argv.len);
	assert_string_equal(got, want);
}

/* The sample's folder, resolved, as a LOCAL spec must be. */
static void assert_sample_folder(const struct client_target *t, const char *sample)
{
	char path[PATH_MAX + 64], real[PATH_MAX];

	assert_int_equal(t->kind, CT_LOCAL);
	snprintf(path, sizeof path, "%s/samples/%s", source, sample);
	assert_non_null(realpath(path, real));
	assert_string_equal(t->spec, real);
}

static void load_sample(const char *rel, struct client_config *c, const char *format, size_t n)
{
	char path[PATH_MAX + 64], err[512] = "";

	snprintf(path, sizeof path, "%s/samples/clients/%s", source, rel);
	if (client_config_load(path, c, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_string_equal(c->format, format);
	assert_int_equal(c->targets.len, n);
	assert_true(client_config_detect(path));
}

static void test_claude_desktop(void **state)
{
	struct client_config c = {0};
	const struct client_target *t;
	(void)state;

	load_sample("claude_desktop_config.json", &c, "claude-desktop", 3);
	t = target(&c, "memory");
	assert_int_equal(t->kind, CT_NPM);
	assert_string_equal(t->spec, "@modelcontextprotocol/server-memory@2026.1.26");
	assert_string_equal(t->transport, "stdio");
	assert_argv(t, "npx -y @modelcontextprotocol/server-memory@2026.1.26");
	assert_args(t, "");
	assert_false(env(t, "MEMORY_FILE_PATH")->secret);

	t = target(&c, "rates");
	assert_sample_folder(t, "06-startup-telemetry-js");
	assert_argv(t, "node ../06-startup-telemetry-js/index.js");
	assert_null(t->cwd);
	assert_true(env(t, "RATES_API_KEY")->secret);
	assert_false(env(t, "KEYBOARD_LAYOUT")->secret);

	t = target(&c, "envcheck");
	assert_sample_folder(t, "31-canary-thief-py");
	assert_true(env(t, "AWS_SECRET_ACCESS_KEY")->secret);
	assert_string_equal(env(t, "AWS_SECRET_ACCESS_KEY")->value, "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
	assert_false(env(t, "LOG_LEVEL")->secret);
	client_config_free(&c);
	assert_null(c.path);
}

static void test_claude_code(void **state)
{
	struct client_config c = {0};
	const struct client_target *t;
	char want[PATH_MAX + 64];
	(void)state;

	load_sample("claude-code/.mcp.json", &c, "claude-code", 3);
	snprintf(want, sizeof want, "%s/samples/clients/claude-code", source);
	assert_string_equal(c.base, want);
	t = target(&c, "filesystem");
	assert_int_equal(t->kind, CT_NPM);
	assert_string_equal(t->spec, "@modelcontextprotocol/server-filesystem@2026.1.14");
	assert_args(t, ".");
	t = target(&c, "time");
	assert_int_equal(t->kind, CT_PYPI);
	assert_string_equal(t->spec, "mcp-server-time==2026.10.19");
	assert_args(t, "--local-timezone UTC");
	t = target(&c, "docs");
	assert_int_equal(t->kind, CT_REMOTE);
	assert_string_equal(t->spec, "https://mcp.example.com/mcp");
	assert_string_equal(t->transport, "http");
	assert_int_equal(t->argv.len, 0);
	assert_false(t->url_secret);
	assert_true(env(t, "Authorization")->secret);
	assert_string_equal(env(t, "Authorization")->value, "Bearer ${DOCS_TOKEN}");
	client_config_free(&c);
}

static void test_cursor(void **state)
{
	struct client_config c = {0};
	const struct client_target *t;
	(void)state;

	load_sample("cursor/.cursor/mcp.json", &c, "cursor", 3);
	assert_true(strlen(c.base) > 7 && strcmp(c.base + strlen(c.base) - 7, "/cursor") == 0);
	assert_sample_folder(target(&c, "calculator"), "01-clean-calculator");
	t = target(&c, "github");
	assert_int_equal(t->kind, CT_UNSUPPORTED);
	assert_null(t->spec);
	assert_non_null(strstr(t->reason, "container images are not audited"));
	assert_non_null(strstr(t->reason, "mcpaudit trace -- docker"));
	assert_null(strstr(t->reason, "ghp_"));
	assert_true(env(t, "GITHUB_PERSONAL_ACCESS_TOKEN")->secret);
	t = target(&c, "search");
	assert_int_equal(t->kind, CT_REMOTE);
	assert_string_equal(t->spec, "https://search.example.net/mcp");
	assert_string_equal(t->transport, "http");
	client_config_free(&c);
}

static void test_vscode(void **state)
{
	struct client_config c = {0};
	const struct client_target *t;
	char want[PATH_MAX + 128];
	(void)state;

	load_sample("vscode/.vscode/mcp.json", &c, "vscode", 4);
	t = target(&c, "weather");
	assert_sample_folder(t, "02-weather-js");
	snprintf(want, sizeof want, "node %s/../../02-weather-js/index.js", c.base);  /* ${workspaceFolder} expanded */
	assert_argv(t, want);
	assert_true(env(t, "WEATHER_API_KEY")->secret);  /* an input declared "password": true */
	assert_string_equal(env(t, "WEATHER_API_KEY")->value, "${input:weather-key}");
	assert_false(env(t, "UNITS")->secret);
	assert_sample_folder(target(&c, "forecast"), "03-forecast-site-docs-py");
	t = target(&c, "inventory");
	assert_sample_folder(t, "22-package-config-py");
	assert_non_null(t->cwd);
	snprintf(want, sizeof want, "%s/samples/22-package-config-py", source);
	assert_string_equal(t->cwd, want);
	t = target(&c, "fetch");
	assert_int_equal(t->kind, CT_PYPI);
	assert_string_equal(t->spec, "mcp-server-fetch==2026.10.24");
	assert_args(t, "");
	client_config_free(&c);
}

static void test_cline(void **state)
{
	struct client_config c = {0};
	const struct client_target *t;
	(void)state;

	load_sample("cline/cline_mcp_settings.json", &c, "cline", 3);
	t = target(&c, "memo");
	assert_sample_folder(t, "16-handwritten-jsonrpc-js");
	assert_false(t->disabled);
	t = target(&c, "tides");  /* npx -y tsx SCRIPT: a local script through a fetched runner */
	assert_sample_folder(t, "18-tides-ts");
	assert_true(t->disabled);
	t = target(&c, "notes");
	assert_int_equal(t->kind, CT_REMOTE);
	assert_string_equal(t->transport, "sse");
	assert_true(env(t, "X-API-Key")->secret);
	client_config_free(&c);
}

static void test_windsurf(void **state)
{
	struct client_config c = {0};
	const struct client_target *t;
	(void)state;

	load_sample("windsurf/mcp_config.json", &c, "windsurf", 3);
	t = target(&c, "filesystem");
	assert_int_equal(t->kind, CT_NPM);
	assert_args(t, "/tmp");
	t = target(&c, "git");
	assert_int_equal(t->kind, CT_PYPI);
	assert_string_equal(t->spec, "mcp-server-git==2026.10.19");
	assert_args(t, "--repository .");
	t = target(&c, "remote-docs");
	assert_int_equal(t->kind, CT_REMOTE);
	assert_string_equal(t->spec, "https://mcp.example.com/sse");
	assert_string_equal(t->transport, "sse");
	client_config_free(&c);
}

struct command_case {
	const char *server;  /* the server entry's JSON */
	enum client_target_kind kind;
	const char *spec;    /* CT_LOCAL: relative to the scratch folder; NULL: not checked */
	const char *args;    /* server_args joined with spaces; NULL: not checked */
	const char *reason;  /* CT_UNSUPPORTED: part of the reason */
};

static const struct command_case command_cases[] = {
	{"{\"command\": \"npx\", \"args\": [\"-y\", \"@scope/pkg@1.2.3\", \"--flag\", \"x\"]}",
	 CT_NPM, "@scope/pkg@1.2.3", "--flag x", NULL},
	{"{\"command\": \"npx\", \"args\": [\"--yes\", \"plain-pkg\"]}", CT_NPM, "plain-pkg", "", NULL},
	{"{\"command\": \"npx\", \"args\": [\"-y\", \"-p\", \"@scope/pkg@1\", \"pkg-bin\", \"a\"]}",
	 CT_NPM, "@scope/pkg@1", "a", NULL},
	{"{\"command\": \"npx\", \"args\": [\"--package=tool@2\", \"tool-bin\"]}", CT_NPM, "tool@2", "", NULL},
	{"{\"command\": \"npx\", \"args\": [\"--registry\", \"https://registry.example.com\", \"pkg@3\"]}",
	 CT_NPM, "pkg@3", "", NULL},
	{"{\"command\": \"npm\", \"args\": [\"exec\", \"--yes\", \"--\", \"pkg@1\", \"a\"]}", CT_NPM, "pkg@1", "a", NULL},
	{"{\"command\": \"pnpm\", \"args\": [\"dlx\", \"pkg@1\"]}", CT_NPM, "pkg@1", "", NULL},
	{"{\"command\": \"bunx\", \"args\": [\"pkg\"]}", CT_NPM, "pkg", "", NULL},
	{"{\"command\": \"yarn\", \"args\": [\"dlx\", \"pkg@latest\"]}", CT_NPM, "pkg@latest", "", NULL},
	{"{\"command\": \"C:\\\\Program Files\\\\nodejs\\\\npx.cmd\", \"args\": [\"-y\", \"pkg@1\"]}",
	 CT_NPM, "pkg@1", "", NULL},
	{"{\"command\": \"cmd\", \"args\": [\"/c\", \"npx\", \"-y\", \"pkg@1\", \"z\"]}", CT_NPM, "pkg@1", "z", NULL},
	{"{\"command\": \"npx\", \"args\": [\"-c\", \"echo hi\"]}", CT_UNSUPPORTED, NULL, NULL, "runs a command line"},
	{"{\"command\": \"npx\", \"args\": [\"github:someone/repo\"]}", CT_UNSUPPORTED, NULL, NULL, "plain registry name"},
	{"{\"command\": \"npx\", \"args\": [\"-y\"]}", CT_UNSUPPORTED, NULL, NULL, "no package"},
	{"{\"command\": \"npx\", \"args\": [\"-y\", \"tsx\", \"proj/src/server.ts\"]}", CT_LOCAL, "proj", NULL, NULL},
	{"{\"command\": \"npx\", \"args\": [\"./proj\"]}", CT_LOCAL, "proj", NULL, NULL},
	{"{\"command\": \"uvx\", \"args\": [\"pkg==1.0\", \"a\"]}", CT_PYPI, "pkg==1.0", "a", NULL},
	{"{\"command\": \"uvx\", \"args\": [\"pkg@1.0\"]}", CT_PYPI, "pkg==1.0", "", NULL},
	{"{\"command\": \"uvx\", \"args\": [\"pkg[cli]@latest\"]}", CT_PYPI, "pkg", "", NULL},
	{"{\"command\": \"uvx\", \"args\": [\"--python\", \"3.12\", \"--from\", \"pkg==2\", \"cmd\", \"a\"]}",
	 CT_PYPI, "pkg==2", "a", NULL},
	{"{\"command\": \"uvx\", \"args\": [\"pkg>=1\"]}", CT_UNSUPPORTED, NULL, NULL, "plain registry name"},
	{"{\"command\": \"uv\", \"args\": [\"tool\", \"run\", \"pkg==3\"]}", CT_PYPI, "pkg==3", "", NULL},
	{"{\"command\": \"pipx\", \"args\": [\"run\", \"--spec\", \"pkg==1\", \"app\", \"x\"]}", CT_PYPI, "pkg==1", "x", NULL},
	{"{\"command\": \"pipx\", \"args\": [\"run\", \"pkg\"]}", CT_PYPI, "pkg", "", NULL},
	{"{\"command\": \"node\", \"args\": [\"proj/src/server.js\", \"--port\", \"1\"]}", CT_LOCAL, "proj", NULL, NULL},
	{"{\"command\": \"node\", \"args\": [\"--require\", \"x.js\", \"server.js\"], \"cwd\": \"proj/src\"}",
	 CT_LOCAL, "proj", NULL, NULL},
	{"{\"command\": \"/usr/bin/node\", \"args\": [\"missing.js\"]}", CT_UNSUPPORTED, NULL, NULL, "does not exist"},
	{"{\"command\": \"node\", \"args\": [\"-e\", \"require('x')\"]}", CT_UNSUPPORTED, NULL, NULL, "node -e runs code"},
	{"{\"command\": \"tsx\", \"args\": [\"proj/src/server.ts\"]}", CT_LOCAL, "proj", NULL, NULL},
	{"{\"command\": \"deno\", \"args\": [\"run\", \"--allow-net\", \"npm:pkg@1\"]}", CT_NPM, "pkg@1", "", NULL},
	{"{\"command\": \"deno\", \"args\": [\"run\", \"https://x.example/s.ts\"]}", CT_UNSUPPORTED, NULL, NULL, "URL"},
	{"{\"command\": \"python3\", \"args\": [\"pyproj/tool.py\"]}", CT_LOCAL, "pyproj", NULL, NULL},
	{"{\"command\": \"python3.12\", \"args\": [\"-u\", \"loose/x.py\"]}", CT_LOCAL, "loose", NULL, NULL},
	{"{\"command\": \"python\", \"args\": [\"-m\", \"pkgmod\", \"--flag\"], \"cwd\": \"pyproj\"}",
	 CT_LOCAL, "pyproj", NULL, NULL},
	{"{\"command\": \"python\", \"args\": [\"-m\", \"not_here\"]}", CT_UNSUPPORTED, NULL, NULL, "installed"},
	{"{\"command\": \"python3\", \"args\": [\"-c\", \"import x\"]}", CT_UNSUPPORTED, NULL, NULL, "-c runs code"},
	{"{\"command\": \"uv\", \"args\": [\"run\", \"--directory\", \"pyproj\", \"tool.py\"]}", CT_LOCAL, "pyproj", NULL, NULL},
	{"{\"command\": \"uv\", \"args\": [\"--directory\", \"pyproj\", \"run\", \"tool.py\"]}", CT_LOCAL, "pyproj", NULL, NULL},
	{"{\"command\": \"uv\", \"args\": [\"run\", \"pyproj/tool.py\"]}", CT_LOCAL, "pyproj", NULL, NULL},
	{"{\"command\": \"uv\", \"args\": [\"run\", \"some-cmd\"]}", CT_UNSUPPORTED, NULL, NULL, "--directory"},
	{"{\"command\": \"uv\", \"args\": [\"pip\", \"list\"]}", CT_UNSUPPORTED, NULL, NULL, "uv run"},
	{"{\"command\": \"pyproj/tool.py\"}", CT_LOCAL, "pyproj", NULL, NULL},
	{"{\"command\": \"docker\", \"args\": [\"run\", \"-i\", \"--rm\", \"registry.example.com/x:1\"]}",
	 CT_UNSUPPORTED, NULL, NULL, "mcpaudit trace -- docker"},
	{"{\"command\": \"podman\", \"args\": [\"run\", \"img\"]}", CT_UNSUPPORTED, NULL, NULL, "container"},
	{"{\"command\": \"/opt/server/bin/mcp-server\"}", CT_UNSUPPORTED, NULL, NULL, "the program /opt/server/bin/mcp-server"},
	{"{\"command\": \"mystery-launcher\", \"args\": [\"x\"]}", CT_UNSUPPORTED, NULL, NULL, "not a launcher"},
	{"{\"command\": \"bash\", \"args\": [\"-c\", \"npx pkg\"]}", CT_UNSUPPORTED, NULL, NULL, "bash command line"},
	{"{\"type\": \"websocket\", \"url\": \"wss://x.example/\"}", CT_UNSUPPORTED, NULL, NULL, "transport"},
	{"{\"type\": \"streamableHttp\", \"url\": \"https://x.example/mcp\"}", CT_REMOTE, "https://x.example/mcp", NULL, NULL},
	{"{\"command\": \"npx\", \"args\": [\"pkg@1\"], \"url\": \"https://x.example/mcp\"}", CT_NPM, "pkg@1", NULL, NULL},
};

/* Writes {"mcpServers": {"s": SERVER}} to cfg.json in the scratch folder and loads it. */
static void load_server(const char *server, struct client_config *c)
{
	char text[2048], path[PATH_MAX + 64], err[512] = "";

	snprintf(text, sizeof text, "{\"mcpServers\": {\"s\": %s}}\n", server);
	write_file("cfg.json", text);
	snprintf(path, sizeof path, "%s/cfg.json", top);
	if (client_config_load(path, c, err, sizeof err) != 0)
		fail_msg("%s: %s", server, err);
	assert_int_equal(c->targets.len, 1);
}

static void test_commands(void **state)
{
	(void)state;

	for (size_t i = 0; i < sizeof command_cases / sizeof command_cases[0]; i++) {
		const struct command_case *k = &command_cases[i];
		struct client_config c = {0};
		const struct client_target *t;
		char want[PATH_MAX + 64];

		load_server(k->server, &c);
		t = &c.targets.items[0];
		if (t->kind != k->kind)
			fail_msg("%s: kind %s, reason %s", k->server, client_target_kind_name(t->kind),
				 t->reason ? t->reason : "-");
		if (k->kind == CT_LOCAL) {
			snprintf(want, sizeof want, "%s/%s", top, k->spec);
			assert_string_equal(t->spec, want);
		} else if (k->spec) {
			assert_string_equal(t->spec, k->spec);
		}
		if (k->args)
			assert_args(t, k->args);
		if (k->reason && !strstr(t->reason, k->reason))
			fail_msg("%s: reason '%s' lacks '%s'", k->server, t->reason, k->reason);
		assert_true((t->kind == CT_UNSUPPORTED) == (t->reason != NULL));
		client_config_free(&c);
	}
}

/* A script right in the home folder: its folder is not a project, and all of $HOME is not audited. */
static void test_home_folder(void **state)
{
	struct client_config c = {0};
	char home[PATH_MAX + 64], *old = getenv("HOME") ? strdup(getenv("HOME")) : NULL;
	(void)state;

	snprintf(home, sizeof home, "%s/loose", top);
	assert_int_equal(setenv("HOME", home, 1), 0);
	load_server("{\"command\": \"python3\", \"args\": [\"loose/x.py\"]}", &c);
	assert_int_equal(c.targets.items[0].kind, CT_UNSUPPORTED);
	assert_non_null(strstr(c.targets.items[0].reason, "home folder"));
	client_config_free(&c);
	load_server("{\"command\": \"node\", \"args\": [\"${userHome}/../proj/src/server.js\"]}", &c);
	assert_int_equal(c.targets.items[0].kind, CT_LOCAL);
	client_config_free(&c);
	if (old)
		setenv("HOME", old, 1);
	else
		unsetenv("HOME");
	free(old);
}

static void test_env_and_placeholders(void **state)
{
	struct client_config c = {0};
	const struct client_target *t;
	(void)state;

	load_server("{\"command\": \"npx\", \"args\": [\"pkg\"], \"env\": {"
		    "\"GH\": \"ghp_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE\", \"A\": \"${env:GITHUB_TOKEN}\","
		    "\"B\": \"${HOME}\", \"C\": \"${API_KEY:-none}\", \"PORT\": 8080, \"GONE\": null,"
		    "\"DATABASE_URL\": \"postgres://u:EXAMPLEpw@db.example.com/x\", \"SESSION_TIMEOUT\": \"30\"}}",
		    &c);
	t = &c.targets.items[0];
	assert_int_equal(t->env.len, 7);  /* null unsets: skipped */
	assert_true(env(t, "GH")->secret);
	assert_true(env(t, "A")->secret);
	assert_false(env(t, "B")->secret);
	assert_true(env(t, "C")->secret);
	assert_string_equal(env(t, "PORT")->value, "8080");
	assert_false(env(t, "PORT")->secret);
	assert_true(env(t, "DATABASE_URL")->secret);
	assert_false(env(t, "SESSION_TIMEOUT")->secret);
	client_config_free(&c);

	load_server("{\"url\": \"https://x.example/sse?api_key=EXAMPLE\", \"disabled\": true}", &c);
	t = &c.targets.items[0];
	assert_int_equal(t->kind, CT_REMOTE);
	assert_string_equal(t->transport, "sse");
	assert_true(t->url_secret);
	assert_true(t->disabled);
	client_config_free(&c);
}

static void test_secret_values(void **state)
{
	static const char *const secret[] = {
		"ghp_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE", "github_pat_EXAMPLE0EXAMPLE0EXAMPLE0EXAMPLE",
		"sk-EXAMPLEEXAMPLEEXAMPLEEXAMPLE", "xoxb-000000000-EXAMPLE", "AKIAIOSFODNN7EXAMPLE",
		"glpat-EXAMPLEEXAMPLEEXAM", "npm_EXAMPLEEXAMPLEEXAMPLEEXAMPLE", "Bearer ghp_EXAMPLEEXAMPLEEXAMPLEEXAMPLE",
		"-----BEGIN OPENSSH PRIVATE KEY-----", "https://user:EXAMPLEpw@x.example/", "https://x.example/?token=abc",
		"8f3a9c2b7e1d4f6a0b5c9e8d7f6a5b4c3d2e1f0a", "dGhpc0lzQW5FeGFtcGxlS2V5Rm9yVGVzdHM5OQ==",
		"123e4567-e89b-12d3-a456-426614174000",
	};
	static const char *const plain[] = {
		"info", "us", "8080", "/usr/local/share/some-long-folder/with/file2.txt", "my-long-server-name-2024-edition",
		"https://mcp.example.com/mcp", "sk-short", "ghp_", "${input:x}", "production_database_replica_2",
		"mcp-server-1.internal.example.com", "",
	};
	(void)state;

	for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++)
		if (!client_secret_value(secret[i]))
			fail_msg("'%s' should be secret", secret[i]);
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
		if (client_secret_value(plain[i]))
			fail_msg("'%s' should not be secret", plain[i]);
}

static void test_jsonc(void **state)
{
	struct client_config c = {0};
	char path[PATH_MAX + 64], err[512] = "";
	(void)state;

	make_dir(".vscode");
	write_file(".vscode/mcp.json",
		   "\xEF\xBB\xBF// a comment with \"quotes\" and a { brace\n"
		   "{\n"
		   "  /* block\n     comment */ \"servers\": {\n"
		   "    \"remote\": {\"type\": \"http\", \"url\": \"https://x.example/mcp\"}, // '//' in a string stays\n"
		   "    \"local\": {\"type\": \"stdio\", \"command\": \"node\", \"args\": [\"${workspaceFolder}/proj/src/server.js\",],},\n"
		   "  },\n"
		   "}\n");
	snprintf(path, sizeof path, "%s/.vscode/mcp.json", top);
	if (client_config_load(path, &c, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_string_equal(c.format, "vscode");
	assert_string_equal(c.base, top);  /* the workspace: the folder above .vscode */
	assert_string_equal(target(&c, "remote")->spec, "https://x.example/mcp");
	assert_int_equal(target(&c, "local")->kind, CT_LOCAL);
	client_config_free(&c);

	/* VS Code's settings.json: "mcp": {"servers": ...} */
	write_file("settings.json", "{\"editor.tabSize\": 8, \"mcp\": {\"servers\": {\"u\": {\"command\": \"uvx\", "
				    "\"args\": [\"pkg\"]}}}}");
	snprintf(path, sizeof path, "%s/settings.json", top);
	assert_int_equal(client_config_load(path, &c, err, sizeof err), 0);
	assert_string_equal(c.format, "vscode");
	assert_int_equal(target(&c, "u")->kind, CT_PYPI);
	client_config_free(&c);
}

struct bad_case {
	const char *text;
	const char *want;  /* part of the error */
	int line;          /* the line the error must name, or 0 */
};

static const struct bad_case bad_cases[] = {
	{"{\"mcpServers\": {\n  \"s\": {\"command\": \"npx\"\n  \"args\": []}}}", "not valid JSON", 3},
	{"", "empty", 0},
	{"   \n", "empty", 0},
	{"{}", "no \"mcpServers\"", 0},
	{"[1, 2]", "not a JSON object", 0},
	{"{\"mcpServers\": []}", "\"mcpServers\" is not an object", 0},
	{"{\"servers\": \"x\"}", "\"servers\" is not an object", 0},
	{"{\"mcpServers\": {\n\n\"s\": {\"env\": {}}}}", "server 's': has neither \"command\" nor \"url\"", 3},
	{"{\"mcpServers\": {\"s\": 3}}", "server 's': is not an object", 0},
	{"{\"mcpServers\": {\"s\": {\"command\": 7}}}", "\"command\" is not a string", 0},
	{"{\"mcpServers\": {\"s\": {\"command\": \"\"}}}", "\"command\" is empty", 0},
	{"{\"mcpServers\": {\"s\": {\"command\": \"npx\", \"args\": \"-y pkg\"}}}", "\"args\" is not an array", 0},
	{"{\"mcpServers\": {\"s\": {\"command\": \"npx\", \"args\": [\"-y\", 1],\n"
	 "\"env\": {\"GH\": \"ghp_EXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLE\"}}}}", "args[1] is not a string", 0},
	{"{\"mcpServers\": {\"s\": {\"command\": \"npx\", \"env\": {\"GH\": [\"ghp_EXAMPLEEXAMPLEEXAMPLEEXAM\"]}}}}",
	 "env.GH is not a string", 0},
	{"{\"mcpServers\": {\"s\": {\"command\": \"npx\", \"disabled\": \"yes\"}}}", "\"disabled\" is not true or false", 0},
	{"{\"mcpServers\": {\"s\": {\"type\": \"http\"}}}", "needs a \"url\"", 0},
	{"{\"mcpServers\": {\"s\": {\"type\": \"stdio\", \"url\": \"https://x.example/\"}}}", "needs a \"command\"", 0},
	{"{\"mcpServers\": {\"s\": {\"url\": \"ftp://x.example/\"}}}", "not an http", 0},
	{"{\"mcpServers\": {\"s\": {\"command\": \"npx\", \"env\": \"A=1\"}}}", "\"env\" is not an object", 0},
	{"{\"mcpServers\": {\"s\": {\"command\": \"x\"}}} trailing", "not valid JSON", 1},
	{"{\"mcpServers\": {\"s\": {\"command\": \"x\"} /* never closed", "not valid JSON", 0},
	{"{\"projects\": {\"/p\": {\"mcpServers\": [1]}}}", "\"projects\": \"/p\": \"mcpServers\" is not an object", 0},
	{"{\"experimental\": {\"modelContextProtocolServers\": {}}}", "is not an array", 0},
	{"{\"experimental\": {\"modelContextProtocolServers\": [{\"command\": \"npx\"}]}}", "has no \"transport\"", 0},
};

static const struct finding *finding_of(const struct report *r, const char *rule, size_t nth)
{
	for (size_t i = 0; i < r->findings.len; i++)
		if (strcmp(r->findings.items[i]->rule_id, rule) == 0 && nth-- == 0)
			return r->findings.items[i];
	return NULL;
}

/* A VS Code file with a decoy "mcpServers" (VS Code ignores it) and the "servers" VS Code
 * runs, and a server naming "command" twice. Before json_read and the section table, only
 * "mcpServers" was read (the real server was never audited: checked by loading this file
 * with the old build, which gave the one target "decoy"), and a repeated key was an error. */
static void test_decoy_sections_and_duplicates(void **state)
{
	struct client_config c = {0};
	char path[PATH_MAX + 64], err[512] = "";
	struct report *r = report_new();
	const struct finding *f;
	(void)state;

	make_dir(".vscode");
	write_file(".vscode/mcp.json",
		   "{\n"
		   "  \"mcpServers\": {\"decoy\": {\"command\": \"npx\", \"args\": [\"-y\", \"safe-pkg\"]}},\n"
		   "  \"servers\": {\"real\": {\"command\": \"npx\", \"args\": [\"-y\", \"shown-pkg\"],\n"
		   "                       \"args\": [\"-y\", \"evil-pkg\"]}}\n"
		   "}\n");
	snprintf(path, sizeof path, "%s/.vscode/mcp.json", top);
	if (client_config_load(path, &c, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_string_equal(c.format, "vscode");
	assert_int_equal(c.sections, 2);
	assert_int_equal(c.targets.len, 2);
	assert_string_equal(target(&c, "decoy")->section, "mcpServers");
	assert_string_equal(target(&c, "real")->section, "servers");
	assert_string_equal(target(&c, "real")->spec, "evil-pkg");  /* the last "args", as VS Code reads it */
	client_config_free(&c);

	assert_int_equal(client_config_report(path, r), 0);
	assert_non_null(f = finding_of(r, "client-config-sections", 0));
	assert_int_equal(f->line, 3);
	assert_non_null(f = finding_of(r, "duplicate-json-key", 0));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_int_equal(f->line, 4);
	assert_non_null(strstr(f->message, "servers.real.args"));
	assert_null(finding_of(r, "duplicate-json-key", 1));
	report_free(r);
}

/* Loads the scratch file rel, which must read as the client format. */
static void load_written(const char *rel, struct client_config *c, const char *format)
{
	char path[PATH_MAX + 64], err[512] = "";

	snprintf(path, sizeof path, "%s/%s", top, rel);
	if (client_config_load(path, c, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_string_equal(c->format, format);
}

/* ~/.claude.json's per-project maps (each started in its project folder, all of them run:
 * no decoy finding), Zed's context_servers (both command forms, an extension's entry kept
 * as not audited) and Continue's list. Written with --discover: before, a file with only
 * project sections or a context_servers map was "not an MCP client configuration". */
static void test_projects_zed_continue(void **state)
{
	struct client_config c = {0};
	char path[PATH_MAX + 64], err[512] = "", proj[PATH_MAX + 64];
	struct report *r = report_new();
	const struct client_target *t;
	(void)state;

	snprintf(proj, sizeof proj, "%s/proj", top);
	snprintf(path, sizeof path, "%s/.claude.json", top);
	{
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fprintf(f, "{\"mcpServers\": {\"u\": {\"command\": \"npx\", \"args\": [\"-y\", \"user-pkg\"]}},\n"
			   " \"projects\": {\"%s\": {\"mcpServers\": {\"p\": {\"command\": \"node\", \"args\": [\"src/server.js\"]}}},\n"
			   "              \"/nowhere.invalid\": {\"mcpServers\": {}}}}\n", proj);
		fclose(f);
	}
	if (client_config_load(path, &c, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_string_equal(c.format, "claude-code");
	assert_int_equal(c.targets.len, 2);
	assert_int_equal(c.sections, 1);  /* the projects are not alternatives */
	t = target(&c, "p");
	assert_string_equal(t->project, proj);
	assert_int_equal(t->kind, CT_LOCAL);
	assert_string_equal(t->spec, proj);  /* src/server.js is the project's, not the home folder's */
	assert_null(target(&c, "u")->project);
	client_config_free(&c);
	assert_int_equal(client_config_report(path, r), 0);
	assert_null(finding_of(r, "client-config-sections", 0));
	report_free(r);

	write_file("zed.json", "{\"context_servers\": {\n"
			       "  \"a\": {\"source\": \"custom\", \"command\": \"npx\", \"args\": [\"-y\", \"zed-a\"]},\n"
			       "  \"b\": {\"command\": {\"path\": \"uvx\", \"args\": [\"zed-b\"], \"env\": {\"B_TOKEN\": \"x\"}}},\n"
			       "  \"c\": {\"settings\": {}}}}\n");
	load_written("zed.json", &c, "zed");
	assert_string_equal(target(&c, "a")->spec, "zed-a");
	assert_int_equal(target(&c, "b")->kind, CT_PYPI);
	assert_true(env(target(&c, "b"), "B_TOKEN")->secret);
	assert_int_equal(target(&c, "c")->kind, CT_UNSUPPORTED);
	client_config_free(&c);

	write_file("continue.json", "{\"experimental\": {\"modelContextProtocolServers\": [\n"
				    "  {\"transport\": {\"type\": \"stdio\", \"command\": \"npx\", \"args\": [\"cont-a\"]}},\n"
				    "  {\"name\": \"named\", \"transport\": {\"type\": \"sse\", \"url\": \"https://mcp.example.com/sse\"}}]}}\n");
	load_written("continue.json", &c, "continue");
	assert_string_equal(target(&c, "[0]")->spec, "cont-a");
	assert_int_equal(target(&c, "named")->kind, CT_REMOTE);
	client_config_free(&c);
}

static void test_bad_inputs(void **state)
{
	char path[PATH_MAX + 64];
	(void)state;

	snprintf(path, sizeof path, "%s/bad.json", top);
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		const struct bad_case *k = &bad_cases[i];
		struct client_config c = {0};
		char err[512] = "", line[32];

		write_file("bad.json", k->text);
		if (client_config_load(path, &c, err, sizeof err) != -1)
			fail_msg("case %zu loaded: %s", i, k->text);
		if (strncmp(err, path, strlen(path)) != 0 || !strstr(err, k->want))
			fail_msg("case %zu: error '%s' should name the file and say '%s'", i, err, k->want);
		snprintf(line, sizeof line, "line %d", k->line);
		if (k->line && !strstr(err, line))
			fail_msg("case %zu: error '%s' should give %s", i, err, line);
		assert_null(strstr(err, "ghp_"));  /* no value is quoted */
		assert_null(c.path);
		assert_int_equal(c.targets.len, 0);
		client_config_free(&c);
	}
}

static void test_files(void **state)
{
	struct client_config c = {0};
	char path[PATH_MAX + 64], err[512] = "";
	FILE *f;
	(void)state;

	snprintf(path, sizeof path, "%s/huge.json", top);
	f = fopen(path, "w");
	assert_non_null(f);
	assert_int_equal(ftruncate(fileno(f), (off_t)CLIENT_CONFIG_MAX_BYTES + 1), 0);
	fclose(f);
	assert_int_equal(client_config_load(path, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "larger than"));
	assert_non_null(strstr(err, path));
	assert_false(client_config_detect(path));

	snprintf(path, sizeof path, "%s/none.json", top);
	assert_int_equal(client_config_load(path, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "cannot open"));

	snprintf(path, sizeof path, "%s/proj", top);
	assert_int_equal(client_config_load(path, &c, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a regular file"));

	write_file("nul.json", "{\"mcpServers\": {}}");
	snprintf(path, sizeof path, "%s/nul.json", top);
	assert_int_equal(client_config_load(path, &c, err, sizeof err), 0);  /* empty: no targets */
	assert_int_equal(c.targets.len, 0);
	assert_string_equal(c.format, "mcp-servers");
	client_config_free(&c);
	client_config_free(NULL);

	snprintf(path, sizeof path, "%s/proj/package.json", top);
	assert_false(client_config_detect(path));
	write_file("notes.txt", "{\"mcpServers\": {}}");
	snprintf(path, sizeof path, "%s/notes.txt", top);
	assert_false(client_config_detect(path));
	write_file("list.json", "{\"servers\": [1]}");
	snprintf(path, sizeof path, "%s/list.json", top);
	assert_false(client_config_detect(path));
	assert_string_equal(client_target_kind_name(CT_PYPI), "pypi");
}

int main(void)
{
	char *slash, real[PATH_MAX];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_claude_desktop),
		cmocka_unit_test(test_claude_code),
		cmocka_unit_test(test_cursor),
		cmocka_unit_test(test_vscode),
		cmocka_unit_test(test_cline),
		cmocka_unit_test(test_windsurf),
		cmocka_unit_test(test_secret_values),
		cmocka_unit_test_setup_teardown(test_commands, setup, teardown),
		cmocka_unit_test_setup_teardown(test_home_folder, setup, teardown),
		cmocka_unit_test_setup_teardown(test_env_and_placeholders, setup, teardown),
		cmocka_unit_test_setup_teardown(test_jsonc, setup, teardown),
		cmocka_unit_test_setup_teardown(test_projects_zed_continue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_bad_inputs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_decoy_sections_and_duplicates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files, setup, teardown),
	};

	/* the source tree from this file's path: tests/unit/test_clientconfig.c */
	snprintf(source, sizeof source, "%s", __FILE__);
	for (int i = 0; i < 3 && (slash = strrchr(source, '/')); i++)
		*slash = '\0';
	if (realpath(source, real))
		snprintf(source, sizeof source, "%s", real);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
