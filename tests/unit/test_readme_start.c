/* readme_start: the README entry that starts this package, table-driven. Each case is a
 * README and what must come out of it (the arguments joined by spaces, the variables, the
 * line). Written with the module (it did not exist before); the e2e test
 * tests/e2e/test_audit_start.py is the one that failed on the old audit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/readme_start.h"
#include "core/strbuf.h"

struct readme_case {
	const char *what;
	const char *ecosystem, *name;
	const char *readme;
	int found;
	const char *args;    /* joined by ' ' */
	const char *env;     /* "A=1 B=2" */
	const char *secret;  /* names only, joined by ' ' */
	const char *from;
};

static const struct readme_case cases[] = {
	{"a configuration fragment without braces, the other server skipped", "npm", "@ex/widget",
	 "# w\n\n```jsonc\n\"mcpServers\": {\n  // ours\n  \"a\": {\"command\": \"npx\", \"args\": [\"-y\", \"other\"]},\n"
	 "  \"b\": {\"command\": \"npx\", \"args\": [\"-y\", \"@ex/widget@1.2.0\", \"--stdio\", \"--port\", \"0\"],\n"
	 "         \"env\": {\"LOG_LEVEL\": \"debug\", \"EX_TOKEN\": \"<your token>\"}},\n}\n```\n",
	 1, "--stdio --port 0", "LOG_LEVEL=debug", "EX_TOKEN", "README.md:7"},
	{"a command line with a prompt, a continuation and a variable before it", "npm", "widget",
	 "~~~sh\n$ EX_MODE=fast npx -y widget \\\n    --stdio --name 'a b'  # comment\n~~~\n",
	 1, "--stdio --name a b", "EX_MODE=fast", "", "README.md:2"},
	{"uvx for a Python package, names compared as PEP 503 says", "pypi", "Widget_Server",
	 "```\nuvx widget-server --transport stdio\n```\n", 1, "--transport stdio", "", "", "README.md:2"},
	{"a README may not set the sandbox's HOME, PATH or the loader", "npm", "widget",
	 "```\nHOME=/ LD_PRELOAD=x.so PATH=/x EX_ON=1 npx -y widget\n```\n", 1, "", "EX_ON=1", "", "README.md:2"},
	{"another package only", "npm", "widget", "```\nnpx -y widget-two --stdio\n```\n", 0, NULL, NULL, NULL, NULL},
	{"a remote server added with claude mcp add", "npm", "widget",
	 "```\nclaude mcp add -t http widget https://mcp.example.com/mcp\n```\n", 0, NULL, NULL, NULL, NULL},
	{"commands outside code blocks are prose, not instructions", "npm", "widget",
	 "Run npx -y widget --stdio to start it.\n", 0, NULL, NULL, NULL, NULL},
	{"-e values of claude mcp add, and the configuration before the command line", "npm", "widget",
	 "```\nclaude mcp add w -s user -e EX_KEY=sk-abcdefghijklmnop0123 -- npx -y widget --stdio\n```\n"
	 "```json\n{\"mcpServers\": {\"w\": {\"command\": \"npx\", \"args\": [\"widget\", \"--json\"]}}}\n```\n",
	 1, "--json", "", "", "README.md:5"},
};

static char *joined(char *const *items, size_t n, bool names)
{
	struct strbuf b = STRBUF_INIT(0);

	for (size_t i = 0; i < n; i++) {
		strbuf_puts(&b, i ? " " : "");
		strbuf_append(&b, items[i], names ? strcspn(items[i], "=") : strlen(items[i]));
	}
	return strbuf_take(&b);
}

static void check(const struct readme_case *c, const char *dir)
{
	struct readme_start rs = {0};
	char *path = xasprintf("%s/README.md", dir), *s;
	FILE *f = fopen(path, "w");
	int rc;

	assert_non_null(f);
	fputs(c->readme, f);
	fclose(f);
	rc = readme_start_find(dir, c->ecosystem, c->name, &rs);
	if (rc != c->found)
		fail_msg("%s: found %d, want %d", c->what, rc, c->found);
	if (c->found) {
		s = joined(rs.args.items, rs.args.len, false);
		if (strcmp(s ? s : "", c->args))
			fail_msg("%s: args '%s', want '%s'", c->what, s, c->args);
		free(s);
		s = joined(rs.env.items, rs.env.len, false);
		if (strcmp(s ? s : "", c->env))
			fail_msg("%s: env '%s', want '%s'", c->what, s, c->env);
		free(s);
		s = joined(rs.secret_env.items, rs.secret_env.len, true);
		if (strcmp(s ? s : "", c->secret))
			fail_msg("%s: secrets '%s', want '%s'", c->what, s, c->secret);
		free(s);
		if (strcmp(rs.from, c->from))
			fail_msg("%s: from %s, want %s", c->what, rs.from, c->from);
	}
	readme_start_free(&rs);
	unlink(path);
	free(path);
}

static void test_cases(void **state)
{
	char dir[] = "/tmp/readme_start_XXXXXX";

	(void)state;
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check(&cases[i], dir);
	rmdir(dir);
}

static void test_no_readme(void **state)
{
	struct readme_start rs = {0};

	(void)state;
	assert_int_equal(readme_start_find("/nonexistent.invalid", "npm", "widget", &rs), 0);
	readme_start_free(&rs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_no_readme),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
