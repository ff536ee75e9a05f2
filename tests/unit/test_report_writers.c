/* Unit tests for the report writers: every format over one hand-built report holding
 * hostile strings. Given a folder as argument, also writes the documents there
 * (report.json, report.sarif, report.md, report.txt) for tests/schema to validate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "core/report_format.h"
#include "core/strbuf.h"

/* Everything a scanned server controls can hold these. */
#define HOSTILE_HOST "evil|`x`<script>.example.net"
#define HOSTILE_FILE "src/a|b`c<script>alert(1)</script>\x1b[2J.js"
#define HOSTILE_MESSAGE \
	"sends to \x1b]8;;http://x\x07 @everyone | `rm -rf` <img src=x> \xff\xfe end"
#define HOSTILE_SNIPPET "fetch(`https://evil.example.net/${'```'}`) // \x1b[31m\xc3\x28"

static struct evidence static_evidence(const char *file, unsigned line, const char *api,
				       const char *phase)
{
	struct evidence e = {0};

	e.stage = (char *)"static";
	e.file = (char *)file;
	e.line = line;
	e.column = 3;
	e.api = (char *)api;
	e.expression = (char *)"'https://' + host";
	e.phase = (char *)phase;
	return e;
}

static void add_documented_endpoint(struct report *r)
{
	struct endpoint *ep = report_endpoint(r, "api.weather.gov", NULL, 443, "https", EK_LITERAL);
	struct evidence e = static_evidence("src/index.js", 30, "fetch", "tool:forecast");

	assert_non_null(ep);
	ep->documented_by = DOC_EXACT;
	ep->documented_source = xstrdup("README.md:12");
	ep->registrable_domain = xstrdup("weather.gov");
	ep->path = xstrdup("/points");
	assert_int_equal(endpoint_add_evidence(ep, &e), 0);
	assert_int_equal(report_add_documented(r, "api.weather.gov", "README.md:12", DOC_EXACT), 0);
}

static void add_undocumented_endpoint(struct report *r)
{
	struct endpoint *ep = report_endpoint(r, HOSTILE_HOST, NULL, 443, "https", EK_OBFUSCATED);
	struct evidence e = static_evidence(HOSTILE_FILE, 14, "fetch", "startup");
	struct evidence pkt = {0};

	assert_non_null(ep);
	ep->registrable_domain = xstrdup("example.net");
	e.decoded_by = (char *)"base64";
	e.expression = (char *)HOSTILE_SNIPPET;
	assert_int_equal(endpoint_add_evidence(ep, &e), 0);
	pkt.stage = (char *)"dynamic";
	pkt.api = (char *)"dns:A";
	pkt.expression = (char *)"A? evil.example.net";
	pkt.packet = 7;
	assert_int_equal(endpoint_add_evidence(ep, &pkt), 0);
}

static void add_user_directed_endpoint(struct report *r)
{
	struct endpoint *ep = report_endpoint(r, NULL, NULL, 0, NULL, EK_USER_DIRECTED);
	struct evidence e = static_evidence("src/index.js", 40, "fetch", "tool:fetch_url");

	assert_non_null(ep);
	assert_int_equal(endpoint_add_evidence(ep, &e), 0);
}

static void add_findings(struct report *r)
{
	struct finding *f;

	f = report_add_finding(r, "undocumented-egress", HOSTILE_HOST, HOSTILE_FILE, 14, "%s",
			       HOSTILE_MESSAGE);
	assert_non_null(f);
	f->column = 3;
	f->snippet = xstrdup(HOSTILE_SNIPPET);
	f->fingerprint = xstrdup("0123456789abcdef");
	f->phase = xstrdup("startup");
	assert_int_equal(finding_add_chain(f, "%s", "src/a.js:3: const t = process.env.GITHUB_TOKEN"),
			 0);
	f = report_add_finding(r, "dynamic-code-execution", NULL, "test/fixture.js", 2,
			       "eval of a literal");
	assert_non_null(f);
	f->suppressed = xstrdup("fixture | reviewed <b>by</b> `sec` team");
	f->fingerprint = xstrdup("fedcba9876543210");
	f = report_add_finding(r, "user-directed-egress", NULL, "src/index.js", 40,
			       "URL from tool argument");
	assert_non_null(f);
	/* A finding with neither file nor line: SARIF must still give GitHub a location. */
	f = report_add_finding(r, "exfil-prone-destination", HOSTILE_HOST, NULL, 0, "paste service");
	assert_non_null(f);
	f = report_add_finding(r, "unparsed-file", NULL, "lib/blob.js", 0, "binary content");
	assert_non_null(f);
}

static struct report *hostile_report(void)
{
	struct report *r = report_new();

	assert_non_null(r);
	vec_push(&r->targets, xstrdup("samples/it's here"));
	r->root = xstrdup("samples/it's here");
	r->files_found = 4;
	r->files_parsed = 3;
	r->files_skipped = 1;
	r->deps_skipped = 2;
	r->languages = 1u << 0 | 1u << 2;  /* javascript, python */
	r->duration_seconds = 0.123456;
	add_documented_endpoint(r);
	add_undocumented_endpoint(r);
	add_user_directed_endpoint(r);
	add_findings(r);
	assert_int_equal(report_add_incomplete(r, HOSTILE_FILE, "%s", "not UTF-8 \xff"), 0);
	assert_int_equal(report_add_incomplete(r, NULL, "%s", "depth cap hit"), 0);
	assert_int_equal(report_add_url_string(r, "https://docs.example.org/x", "src/index.js", 3), 0);
	report_finish(r);
	return r;
}

static const struct report_options default_options = {false, false, false, "scan", SEV_HIGH, NULL};

/* The document fmt writes for r, NUL-terminated; caller frees. */
static char *render(const struct report *r, enum report_format fmt, const struct report_options *o)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	assert_non_null(mem);
	assert_int_equal(report_write(mem, r, fmt, o), 0);
	assert_int_equal(fclose(mem), 0);
	assert_non_null(text);
	return text;
}

/* True when s is entirely well-formed UTF-8 (what strict JSON parsers demand). */
static bool valid_utf8(const char *s)
{
	struct strbuf b = STRBUF_INIT(0);
	bool same;

	assert_int_equal(report_clean(&b, s, CLEAN_UTF8), 0);
	same = strcmp(strbuf_str(&b), s) == 0;
	strbuf_free(&b);
	return same;
}

static const cJSON *get(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v)
		fail_msg("missing key %s", key);
	return v;
}

static void test_format_parse(void **state)
{
	static const struct {
		const char *name;
		bool ok;
		enum report_format fmt;
	} cases[] = {
		{"text", true, FMT_TEXT},         {"json", true, FMT_JSON},
		{"sarif", true, FMT_SARIF},       {"markdown", true, FMT_MARKDOWN},
		{"md", true, FMT_MARKDOWN},       {"JSON", false, FMT_TEXT},
		{"", false, FMT_TEXT},            {"html", true, FMT_HTML},
		{"htm", false, FMT_TEXT},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum report_format got = FMT_TEXT;
		assert_int_equal(report_format_parse(cases[i].name, &got), cases[i].ok);
		if (cases[i].ok)
			assert_int_equal(got, cases[i].fmt);
	}
}

static void test_clean(void **state)
{
	static const struct {
		const char *in;
		enum clean_mode mode;
		const char *out;
	} cases[] = {
		{"plain.example.net", CLEAN_TERMINAL, "plain.example.net"},
		{"a\x1b[31mb", CLEAN_TERMINAL, "a\\x1b[31mb"},
		{"a\x1b[31mb", CLEAN_UTF8, "a\x1b[31mb"},
		{"tab\there\n", CLEAN_TERMINAL, "tab\there\\x0a"},
		{"bad\xff\xfe", CLEAN_UTF8, "bad\\xff\\xfe"},
		{"overlong\xc0\xaf", CLEAN_UTF8, "overlong\\xc0\\xaf"},
		{"surrogate\xed\xa0\x80", CLEAN_UTF8, "surrogate\\xed\\xa0\\x80"},
		{"cut\xe2\x82", CLEAN_UTF8, "cut\\xe2\\x82"},
		{"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", CLEAN_TERMINAL,
		 "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"},
		{"rtl\xe2\x80\xae" "cod", CLEAN_TERMINAL, "rtl\\u202ecod"},
		{"c1\xc2\x9b", CLEAN_TERMINAL, "c1\\x9b"},
		{"del\x7f", CLEAN_TERMINAL, "del\\x7f"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct strbuf b = STRBUF_INIT(0);
		assert_int_equal(report_clean(&b, cases[i].in, cases[i].mode), 0);
		assert_string_equal(strbuf_str(&b), cases[i].out);
		strbuf_free(&b);
	}
}

static void check_json_endpoints(const cJSON *eps)
{
	int documented = 0, user_directed = 0;
	const cJSON *ep;

	assert_int_equal(cJSON_GetArraySize(eps), 3);
	cJSON_ArrayForEach(ep, eps) {
		const cJSON *by = get(ep, "documented_by");
		const cJSON *kind = get(ep, "kind");
		assert_true(cJSON_IsArray(get(ep, "evidence")));
		if (cJSON_IsTrue(get(ep, "documented"))) {
			documented++;
			assert_string_equal(get(by, "match")->valuestring, "exact");
			assert_string_equal(get(by, "source")->valuestring, "README.md:12");
			assert_int_equal(get(ep, "port")->valueint, 443);
		} else {
			assert_true(cJSON_IsNull(by));
		}
		if (strcmp(kind->valuestring, "user-directed") == 0) {
			user_directed++;
			assert_true(cJSON_IsNull(get(ep, "host")));
			assert_true(cJSON_IsNull(get(ep, "port")));
		}
	}
	assert_int_equal(documented, 1);
	assert_int_equal(user_directed, 1);
}

static void check_json_findings(const cJSON *fs)
{
	int suppressed = 0;
	const cJSON *f;

	assert_int_equal(cJSON_GetArraySize(fs), 5);
	cJSON_ArrayForEach(f, fs) {
		assert_non_null(rule_find(get(f, "rule_id")->valuestring));
		assert_true(cJSON_IsArray(get(f, "chain")));
		if (cJSON_IsTrue(get(f, "suppressed"))) {
			suppressed++;
			assert_non_null(strstr(get(f, "suppression_reason")->valuestring, "fixture"));
		} else {
			assert_true(cJSON_IsNull(get(f, "suppression_reason")));
		}
		if (cJSON_IsNull(get(f, "file")))
			assert_true(cJSON_IsNull(get(f, "line")));
	}
	assert_int_equal(suppressed, 1);
}

static void test_json(void **state)
{
	struct report *r = *state;
	char *text = render(r, FMT_JSON, &default_options);
	cJSON *doc = cJSON_Parse(text);
	const cJSON *summary, *langs, *by;

	assert_true(valid_utf8(text));
	assert_non_null(doc);
	/* schema_version leads: consumers can dispatch on it before reading the rest. */
	assert_string_equal(doc->child->string, "schema_version");
	assert_int_equal(get(doc, "schema_version")->valueint, 1);
	assert_string_equal(get(get(doc, "tool"), "name")->valuestring, "mcpaudit");
	assert_string_equal(get(doc, "command")->valuestring, "scan");
	langs = get(get(doc, "target"), "languages");
	assert_int_equal(cJSON_GetArraySize(langs), 2);
	assert_string_equal(cJSON_GetArrayItem(langs, 0)->valuestring, "javascript");
	assert_string_equal(cJSON_GetArrayItem(langs, 1)->valuestring, "python");
	assert_true(cJSON_IsNull(get(doc, "error")));
	assert_true(get(doc, "duration_seconds")->valuedouble < 0.1235);
	check_json_endpoints(get(doc, "endpoints"));
	check_json_findings(get(doc, "findings"));
	assert_int_equal(cJSON_GetArraySize(get(doc, "incomplete")), 2);
	assert_int_equal(cJSON_GetArraySize(get(doc, "url_strings")), 1);
	summary = get(doc, "summary");
	by = get(summary, "findings_by_severity");
	assert_int_equal(get(summary, "findings")->valueint, 4);
	assert_int_equal(get(summary, "suppressed")->valueint, 1);
	assert_int_equal(get(summary, "undocumented")->valueint, 1);
	assert_int_equal(get(by, "high")->valueint, 2);
	assert_int_equal(get(by, "medium")->valueint, 0);  /* the medium one is suppressed */
	assert_string_equal(get(summary, "max_severity")->valuestring, "high");
	assert_true(cJSON_IsTrue(get(summary, "failed")));
	/* The invalid bytes survive as visible escapes, not as broken UTF-8. */
	assert_non_null(strstr(text, "\\\\xff\\\\xfe"));
	cJSON_Delete(doc);
	free(text);
}

static void check_sarif_result(const cJSON *res, const cJSON *rules_json)
{
	const char *id = get(res, "ruleId")->valuestring;
	const cJSON *rule = cJSON_GetArrayItem(rules_json, get(res, "ruleIndex")->valueint);
	const cJSON *loc = cJSON_GetArrayItem(get(res, "locations"), 0);
	const cJSON *phys = get(loc, "physicalLocation");
	const cJSON *region = cJSON_GetObjectItemCaseSensitive(phys, "region");
	const char *uri = get(get(phys, "artifactLocation"), "uri")->valuestring;

	assert_non_null(rule);
	assert_string_equal(get(rule, "id")->valuestring, id);
	assert_true(region == NULL || get(region, "startLine")->valueint >= 1);
	/* URIs are percent-encoded: nothing hostile reaches a consumer unescaped. */
	assert_null(strpbrk(uri, "|`<> \x1b"));
	if (cJSON_GetObjectItemCaseSensitive(res, "suppressions"))
		assert_string_equal(
			get(cJSON_GetArrayItem(get(res, "suppressions"), 0), "kind")->valuestring,
			"external");
}

static void test_sarif(void **state)
{
	struct report *r = *state;
	char *text = render(r, FMT_SARIF, &default_options);
	cJSON *doc = cJSON_Parse(text);
	const cJSON *run, *driver, *rules_json, *res;
	size_t n = 0;

	assert_true(valid_utf8(text));
	assert_non_null(doc);
	assert_string_equal(get(doc, "version")->valuestring, "2.1.0");
	run = cJSON_GetArrayItem(get(doc, "runs"), 0);
	driver = get(get(run, "tool"), "driver");
	rules_json = get(driver, "rules");
	for (const struct rule *ru = rules; ru->id; ru++)
		n++;
	assert_int_equal(cJSON_GetArraySize(rules_json), (int)n);
	assert_string_equal(
		get(get(cJSON_GetArrayItem(rules_json, 0), "properties"), "security-severity")->valuestring,
		"8.0");
	assert_true(cJSON_IsTrue(
		get(cJSON_GetArrayItem(get(run, "invocations"), 0), "executionSuccessful")));
	assert_int_equal(cJSON_GetArraySize(get(run, "results")), 5);
	cJSON_ArrayForEach(res, get(run, "results"))
		check_sarif_result(res, rules_json);
	cJSON_Delete(doc);
	free(text);
}

/* Every table row of a GFM table has as many unescaped pipes as the header. */
static void check_table_pipes(const char *md)
{
	int header = -1;

	for (const char *line = md; line && *line;) {
		const char *end = strchr(line, '\n');
		int pipes = 0;
		for (const char *p = line; p < (end ? end : line + strlen(line)); p++)
			pipes += *p == '|' && (p == line || p[-1] != '\\');
		if (*line == '|' && header < 0)
			header = pipes;
		else if (*line == '|')
			assert_int_equal(pipes, header);
		else
			header = -1;
		line = end ? end + 1 : NULL;
	}
}

static void test_markdown(void **state)
{
	struct report *r = *state;
	char *text = render(r, FMT_MARKDOWN, &default_options);

	assert_null(strchr(text, '\x1b'));
	assert_null(strstr(text, "<script>"));
	assert_null(strstr(text, "<img"));
	assert_null(strstr(text, "@everyone"));
	assert_non_null(strstr(text, "evil\\|\\`x\\`&lt;script&gt;.example.net"));
	assert_non_null(strstr(text, "fails at `--fail-on high`"));
	assert_non_null(strstr(text, "## Undocumented destinations"));
	assert_non_null(strstr(text, "## Suppressed findings"));
	/* The snippet holds a ``` run, so its fence must be longer. */
	assert_non_null(strstr(text, "\n  ````\n  fetch("));
	assert_non_null(strstr(text, "'samples/it'\\''s here'"));
	check_table_pipes(text);
	free(text);
}

static void test_text(void **state)
{
	struct report *r = *state;
	struct report_options o = default_options;
	char *plain = render(r, FMT_TEXT, &o);
	char *quiet, *coloured;

	assert_null(strchr(plain, '\x1b'));
	assert_true(valid_utf8(plain));
	assert_non_null(strstr(plain, "\\x1b[2J"));
	/* Undocumented destinations come before documented ones. */
	assert_true(strstr(plain, "Undocumented") < strstr(plain, "Documented destinations"));
	assert_non_null(strstr(plain, "phase tool:forecast"));
	assert_non_null(strstr(plain, "FAILS at --fail-on high"));
	o.quiet = true;
	quiet = render(r, FMT_TEXT, &o);
	assert_null(strstr(quiet, "user-directed-egress"));
	assert_non_null(strstr(quiet, "exfil-prone-destination"));
	o.quiet = false;
	o.verbose = o.color = true;
	coloured = render(r, FMT_TEXT, &o);
	assert_non_null(strstr(coloured, "\x1b[1m"));
	assert_null(strstr(coloured, "\x1b[2J"));  /* the hostile sequence stays escaped */
	assert_non_null(strstr(coloured, "https://docs.example.org/x"));
	free(plain);
	free(quiet);
	free(coloured);
}

static void test_failed_run(void **state)
{
	struct report *r = report_new();
	char *json, *sarif;
	cJSON *doc;

	(void)state;
	assert_non_null(r);
	r->execution_successful = false;
	r->error = xstrdup("static stage not built yet");
	json = render(r, FMT_JSON, &default_options);
	doc = cJSON_Parse(json);
	assert_false(cJSON_IsTrue(get(doc, "execution_successful")));
	assert_string_equal(get(doc, "error")->valuestring, "static stage not built yet");
	assert_true(cJSON_IsNull(get(get(doc, "summary"), "max_severity")));
	cJSON_Delete(doc);
	sarif = render(r, FMT_SARIF, &default_options);
	assert_non_null(strstr(sarif, "\"executionSuccessful\":\tfalse"));
	free(json);
	free(sarif);
	report_free(r);
}

static int setup(void **state)
{
	*state = hostile_report();
	return 0;
}

static int teardown(void **state)
{
	report_free(*state);
	return 0;
}

/* Write every format into dir for the schema test. Returns 0 or 1. */
static int dump(const char *dir)
{
	static const struct {
		enum report_format fmt;
		const char *name;
	} outputs[] = {{FMT_JSON, "report.json"}, {FMT_SARIF, "report.sarif"},
		       {FMT_MARKDOWN, "report.md"}, {FMT_TEXT, "report.txt"}};
	struct report *r = NULL;
	int rc = 0;

	setup((void **)&r);
	for (size_t i = 0; i < sizeof outputs / sizeof outputs[0]; i++) {
		char *path = xasprintf("%s/%s", dir, outputs[i].name);
		FILE *f = path ? fopen(path, "w") : NULL;
		if (!f || report_write(f, r, outputs[i].fmt, &default_options) != 0)
			rc = 1;
		if (f && fclose(f) != 0)
			rc = 1;
		free(path);
	}
	report_free(r);
	return rc;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_parse),
		cmocka_unit_test(test_clean),
		cmocka_unit_test_setup_teardown(test_json, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sarif, setup, teardown),
		cmocka_unit_test_setup_teardown(test_markdown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_text, setup, teardown),
		cmocka_unit_test(test_failed_run),
	};

	if (argc > 1)
		return dump(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
