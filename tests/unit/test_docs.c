/* docs: documented hosts from README*, docs/, server.json, package.json and pyproject.toml,
 * written to a temporary folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/doc_words.h"
#include "core/docs.h"
#include "core/strbuf.h"

static char root[64];

static void write_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int make_root(void **state)
{
	(void)state;
	snprintf(root, sizeof root, "/tmp/mcpaudit-docs-XXXXXX");
	return mkdtemp(root) ? 0 : -1;
}

static int remove_root(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
	return system(cmd) == 0 ? 0 : -1;
}

/* The source of pattern in r->documented, or NULL when it is not there. */
static const char *source_of(const struct report *r, const char *pattern)
{
	for (size_t i = 0; i < r->documented.len; i++)
		if (strcmp(r->documented.items[i].pattern, pattern) == 0)
			return r->documented.items[i].source;
	return NULL;
}

static struct report *collect(void)
{
	struct report *r = report_new();

	assert_non_null(r);
	assert_int_equal(docs_collect(r, root), 0);
	return r;
}

static const char readme[] =
	"# Weather MCP server\n"                                               /* 1 */
	"Talks to https://api.weather.test/v1/points and wss://Stream.Weather.Test:8443/ws.\n"
	"Forecasts come from forecast.example.com, tiles from tiles.example.org.\n"
	"Questions: help@support.example.net or see github.com/acme/weather.\n"
	"\n"                                                                   /* 5 */
	"```sh\n"
	"curl -H 'x: y' https://api.rates.example.com/latest\n"
	"```\n"
	"Edit `src/index.js`, `package.json`, README.md, config.py and setup.sh.\n"
	"Requires node.js 20 and version 1.2.3; see CHANGELOG.md.\n"          /* 10 */
	"```python\n"
	"asyncio.run(main())\n"
	"self.host = os.environ['HOST']\n"
	"```\n"
	"Local: http://localhost:3000 and http://127.0.0.1:8080.\n"             /* 15 */
	"Raw: http://203.0.113.7:81/x, and [docs](https://docs.example.com/guide).\n"
	"Mirror at mirror.example.invalid.\n";

struct doc_case {
	const char *pattern, *source;  /* source NULL: must not be taken */
};

static const struct doc_case readme_cases[] = {
	{"api.weather.test", "README.md:2"},
	{"stream.weather.test", "README.md:2"},
	{"forecast.example.com", "README.md:3"},
	{"tiles.example.org", "README.md:3"},
	{"support.example.net", "README.md:4"},
	{"github.com", "README.md:4"},
	{"api.rates.example.com", "README.md:7"},
	{"203.0.113.7", "README.md:16"},
	{"docs.example.com", "README.md:16"},
	{"mirror.example.invalid", "README.md:17"},
	/* file names, code, versions, e-mail local parts and local hosts are not hosts */
	{"help", NULL},
	{"index.js", NULL},
	{"src/index.js", NULL},
	{"package.json", NULL},
	{"readme.md", NULL},
	{"config.py", NULL},
	{"setup.sh", NULL},
	{"node.js", NULL},
	{"1.2.3", NULL},
	{"changelog.md", NULL},
	{"asyncio.run", NULL},
	{"self.host", NULL},
	{"os.environ", NULL},
	{"localhost", NULL},
	{"127.0.0.1", NULL},
	{"weather.test", NULL},
};

static void check_cases(const struct report *r, const struct doc_case *cases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *got = source_of(r, cases[i].pattern);
		if ((got == NULL) != (cases[i].source == NULL) || (got && strcmp(got, cases[i].source) != 0))
			fail_msg("%s: source %s, want %s", cases[i].pattern, got ? got : "(none)",
				 cases[i].source ? cases[i].source : "(none)");
	}
}

/* The docs' words, for services named without a host: whole words only, without case,
 * first place kept. Failed before the words were recorded (r->doc_words stayed NULL):
 * checked by building without the doc_words_scan call in scan_text. */
static void test_words(void **state)
{
	const char *spelling = NULL;
	char path[256];
	struct report *r;

	(void)state;
	snprintf(path, sizeof path, "%s/docs", root);
	mkdir(path, 0755);
	write_file("README.md", "# Ask\n\nUses the OpenAI API.\nBilling by Stripe; posts to Slack.\n"
		   "openai again\nnot a word: posthogging, xsentry, ANTHROPIC_API_KEY\n");
	write_file("docs/more.md", "Errors go to Sentry.\n");
	r = collect();
	assert_string_equal(doc_words_find(r->doc_words, "openai", &spelling), "README.md:3");
	assert_string_equal(spelling, "OpenAI");
	assert_string_equal(doc_words_find(r->doc_words, "STRIPE", NULL), "README.md:4");
	assert_string_equal(doc_words_find(r->doc_words, "slack", NULL), "README.md:4");
	assert_string_equal(doc_words_find(r->doc_words, "sentry", NULL), "docs/more.md:1");
	assert_null(doc_words_find(r->doc_words, "posthog", NULL));   /* inside a longer word */
	assert_null(doc_words_find(r->doc_words, "anthropic", NULL)); /* _ joins words, as \w */
	assert_non_null(doc_words_find(r->doc_words, "anthropic_api_key", NULL));
	report_free(r);
}

static void test_readme(void **state)
{
	struct report *r;

	(void)state;
	write_file("README.md", readme);
	r = collect();
	check_cases(r, readme_cases, sizeof readme_cases / sizeof readme_cases[0]);
	for (size_t i = 0; i < r->documented.len; i++)
		assert_int_equal(r->documented.items[i].match_kind, DOC_EXACT);
	report_free(r);
}

static const struct doc_case tree_cases[] = {
	{"api.geo.example.com", "docs/api/usage.md:2"},
	{"maps.example.org", "docs/notes.rst:1"},
	{"alt.example.net", "Readme.txt:1"},
	{"remote.example.com", "server.json:4"},
	{"www.example.net", "server.json:6"},
	{"acme.example", "package.json:3"},
	{"docs.acme.example", "pyproject.toml:6"},
	/* ignored: other extensions, repository links, code hosts, files out of docs/ */
	{"ignored.example.com", NULL},
	{"repo.example.com", NULL},
	{"gitlab.com", NULL},
	{"acme.github.io", NULL},
	{"bugs.example.com", NULL},
	{"src.example.com", NULL},
};

static void test_tree(void **state)
{
	char path[256];
	struct report *r;

	(void)state;
	snprintf(path, sizeof path, "%s/docs", root);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/docs/api", root);
	mkdir(path, 0755);
	write_file("docs/api/usage.md", "# Usage\nCalls api.geo.example.com.\n");
	write_file("docs/notes.rst", "See https://maps.example.org\n");
	write_file("docs/script.js", "fetch('https://ignored.example.com')\n");
	write_file("src.md", "src.example.com\n");
	write_file("Readme.txt", "alt.example.net\n");
	write_file("server.json", "{\n  \"name\": \"io.example/acme\",\n  \"remotes\": [\n"
				  "    {\"type\": \"sse\", \"url\": \"https://remote.example.com/sse\"}],\n"
				  "  \"repository\": {\"url\": \"https://repo.example.com/x\"},\n"
				  "  \"websiteUrl\": \"https://www.example.net/\"\n}\n");
	write_file("package.json", "{\n  \"name\": \"acme\",\n  \"homepage\": \"https://acme.example/\",\n"
				   "  \"bugs\": \"https://bugs.example.com\"\n}\n");
	write_file("pyproject.toml", "[project]\nname = \"acme\"\nurls = \"x\"\n\n[project.urls]\n"
				     "Documentation = \"https://docs.acme.example/\"\n"
				     "Source = \"https://gitlab.com/acme/acme\"\n"
				     "Pages = 'https://acme.github.io/'\n[tool.x]\nHome = \"https://bugs.example.com\"\n");
	r = collect();
	check_cases(r, tree_cases, sizeof tree_cases / sizeof tree_cases[0]);
	report_free(r);
}

static void test_code_host_homepage(void **state)
{
	struct report *r;

	(void)state;
	write_file("package.json", "{\"homepage\": \"https://github.com/acme/acme#readme\"}");
	r = collect();
	assert_null(source_of(r, "github.com"));
	report_free(r);
}

static void test_file_root_and_symlink(void **state)
{
	char path[256], outside[] = "/tmp/mcpaudit-outside-XXXXXX";
	struct report *r;
	FILE *f;
	int fd;

	(void)state;
	write_file("README.md", "api.inside.example.com\n");
	write_file("index.js", "x\n");
	/* a docs file that links out of the target is not read */
	fd = mkstemp(outside);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("secret.outside.example.com\n", f);
	fclose(f);
	snprintf(path, sizeof path, "%s/docs", root);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/docs/linked.md", root);
	assert_int_equal(symlink(outside, path), 0);
	/* linked folders are not entered: a loop cannot multiply the tree */
	snprintf(path, sizeof path, "%s/docs/loop", root);
	assert_int_equal(symlink(".", path), 0);
	write_file("docs/real.md", "api.real.example.com\n");
	snprintf(path, sizeof path, "%s/index.js", root);
	r = report_new();
	assert_int_equal(docs_collect(r, path), 0);  /* a file: its folder's docs */
	assert_string_equal(source_of(r, "api.inside.example.com"), "README.md:1");
	assert_null(source_of(r, "secret.outside.example.com"));
	assert_string_equal(source_of(r, "api.real.example.com"), "docs/real.md:1");
	assert_int_equal(r->incomplete.len, 1);  /* the link out */
	report_free(r);
	unlink(outside);
}

static void test_large_file_skipped(void **state)
{
	char path[256];
	struct report *r;
	FILE *f;

	(void)state;
	snprintf(path, sizeof path, "%s/README.md", root);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("big.example.com\n", f);
	for (int i = 0; i < 5 * 1024; i++)
		fprintf(f, "%01023d\n", 0);
	fclose(f);
	r = collect();
	assert_null(source_of(r, "big.example.com"));
	assert_int_equal(r->incomplete.len, 1);
	assert_string_equal(r->incomplete.items[0].file, "README.md");
	report_free(r);
}

static void test_missing_root(void **state)
{
	struct report *r = report_new();

	(void)state;
	assert_int_equal(docs_collect(r, "/nonexistent/mcpaudit"), 0);
	assert_int_equal(r->documented.len, 0);
	report_free(r);
}

/* --docs: a folder read recursively whatever the file names, or one file; sources name the
 * folder given; a missing path is an error naming it. */
static void test_docs_path(void **state)
{
	char path[256], err[512] = "";
	struct report *r = report_new();

	(void)state;
	snprintf(path, sizeof path, "%s/site", root);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/site/guide", root);
	mkdir(path, 0755);
	write_file("site/guide/sync.md", "# Sync\n\nPosts to https://sync.vendor.example.net/in\n");
	write_file("site/index.txt", "status.vendor.example.org\n");
	write_file("site/app.js", "fetch('https://not-docs.example.com')\n");
	write_file("extra.rst", "api.extra.example.com\n");
	snprintf(path, sizeof path, "%s/site", root);
	assert_int_equal(docs_collect_path(r, path, err, sizeof err), 0);
	assert_non_null(source_of(r, "sync.vendor.example.net"));
	assert_string_equal(source_of(r, "sync.vendor.example.net"), "site/guide/sync.md:3");
	assert_non_null(source_of(r, "status.vendor.example.org"));
	assert_null(source_of(r, "not-docs.example.com"));
	assert_null(source_of(r, "api.extra.example.com"));  /* outside the folder given */
	snprintf(path, sizeof path, "%s/extra.rst", root);
	assert_int_equal(docs_collect_path(r, path, err, sizeof err), 0);
	assert_string_equal(source_of(r, "api.extra.example.com"), "extra.rst:1");
	snprintf(path, sizeof path, "%s/missing", root);
	assert_int_equal(docs_collect_path(r, path, err, sizeof err), -1);
	assert_non_null(strstr(err, path));
	report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_readme, make_root, remove_root),
		cmocka_unit_test_setup_teardown(test_words, make_root, remove_root),
		cmocka_unit_test_setup_teardown(test_tree, make_root, remove_root),
		cmocka_unit_test_setup_teardown(test_code_host_homepage, make_root, remove_root),
		cmocka_unit_test_setup_teardown(test_file_root_and_symlink, make_root, remove_root),
		cmocka_unit_test_setup_teardown(test_large_file_skipped, make_root, remove_root),
		cmocka_unit_test(test_missing_root),
		cmocka_unit_test_setup_teardown(test_docs_path, make_root, remove_root),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
