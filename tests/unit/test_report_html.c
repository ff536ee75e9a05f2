/* Unit tests for the HTML report, and for the audit fields (verdict, package, observed) in
 * the text, Markdown and SARIF reports, over hand-built reports full of hostile strings.
 * Given a folder as argument, also writes audit.html, audit.md, audit.txt, audit.sarif,
 * scan.html and crowded.html there, to look at in a browser or validate. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "core/report_format.h"
#include "core/strbuf.h"

/* What a hostile package can put in any string the report shows. */
#define SCRIPT_TAG "<script>alert(1)</script>"
#define ATTR_BREAK "\"><img src=x>"
#define BIDI "\xe2\x80\xae"  /* U+202E RIGHT-TO-LEFT OVERRIDE */
#define HOSTILE_HOST "x" ATTR_BREAK ".example.net"
#define HOSTILE_HOST_HTML "x&quot;&gt;&lt;img src=x&gt;.example.net"

static const struct report_options audit_options = {false, false, false, "audit", SEV_HIGH, NULL};
static const struct report_options scan_options = {false, false, false, "scan", SEV_HIGH, NULL};

static void add_evidence(struct endpoint *ep, const char *stage, const char *file, unsigned line,
			 const char *api, const char *expression, const char *phase)
{
	struct evidence e = {0};

	e.stage = (char *)stage;
	e.file = (char *)file;
	e.line = line;
	e.api = (char *)api;
	e.expression = (char *)expression;
	e.phase = (char *)phase;
	e.packet = file ? 0 : 3;
	assert_int_equal(endpoint_add_evidence(ep, &e), 0);
}

static struct endpoint *add_endpoint(struct report *r, const char *host, enum endpoint_kind kind,
				     enum observed observed)
{
	struct endpoint *ep = report_endpoint(r, host, NULL, host ? 443 : 0, host ? "https" : NULL,
					      kind);

	assert_non_null(ep);
	ep->observed = observed;
	return ep;
}

/* One endpoint in each observed state, a user-directed one and a hostile host. */
static void add_audit_endpoints(struct report *r)
{
	struct endpoint *ep;

	ep = add_endpoint(r, "api.weather.gov", EK_LITERAL, OBS_CONFIRMED);
	ep->documented_by = DOC_EXACT;
	ep->documented_source = xstrdup("README.md:12");
	add_evidence(ep, "static", "src/index.js", 30, "fetch", "'https://api.weather.gov/points'",
		     "tool:forecast");
	add_evidence(ep, "dynamic", NULL, 0, "tls:sni", "api.weather.gov", "tool:forecast");
	ep = add_endpoint(r, "t.example.net", EK_LITERAL, OBS_NOT_EXERCISED);
	add_evidence(ep, "static", "src/fetch.js", 12, "fetch", "'https://t.example.net/' + q",
		     "tool:fetch_url");
	ep = add_endpoint(r, "cdn.hidden.example", EK_LITERAL, OBS_HIDDEN);
	add_evidence(ep, "dynamic", NULL, 0, "dns:A", "A? cdn.hidden.example", "install");
	ep = add_endpoint(r, NULL, EK_USER_DIRECTED, OBS_STATIC_ONLY_RUN);
	add_evidence(ep, "static", "src/fetch.js", 20, "fetch", "args.url", "tool:fetch_url");
	ep = add_endpoint(r, HOSTILE_HOST, EK_OBFUSCATED, OBS_DYNAMIC_ONLY_RUN);
	add_evidence(ep, "dynamic", NULL, 0, "http", SCRIPT_TAG, "startup");
	assert_int_equal(report_add_documented(r, "api.weather.gov", "README.md:12", DOC_EXACT), 0);
}

static void add_package(struct report *r)
{
	struct package_info *p = report_package(r);
	struct install_script s = {0};
	struct bin_entry b = {0};

	assert_non_null(p);
	p->ecosystem = xstrdup("npm");
	p->name = xstrdup("weather-mcp");
	p->version = xstrdup("1.2.3");
	p->source = xstrdup("npm:weather-mcp@1.2.3");
	p->integrity = xstrdup("sha512-AAAA|`bb`");
	p->created = xstrdup("2025-01-02T03:04:05Z");
	p->published = xstrdup("2025-06-01T00:00:00Z");
	p->versions = 7;
	s.name = xstrdup("postinstall");
	s.command = xstrdup("node setup.js " SCRIPT_TAG);
	s.file = xstrdup("setup.js");
	s.egress = true;
	assert_int_equal(vec_push(&p->scripts, s), 0);
	b.name = xstrdup("weather-mcp");
	b.path = xstrdup("bin/cli.js");
	assert_int_equal(vec_push(&p->bins, b), 0);
	assert_int_equal(vec_push(&p->dependencies, xstrdup("node-fetch")), 0);
	assert_int_equal(vec_push(&p->command, xstrdup("node")), 0);
	assert_int_equal(vec_push(&p->command, xstrdup("bin/cli.js")), 0);
}

static void add_findings(struct report *r)
{
	struct finding *f;

	f = report_add_finding(r, "credential-exfiltration", "cdn.hidden.example", NULL, 0,
			       "the canary left for %s", "cdn.hidden.example " BIDI "gnp.exe");
	assert_non_null(f);
	f->phase = xstrdup("install");
	f = report_add_finding(r, "undocumented-egress", HOSTILE_HOST, "src/" SCRIPT_TAG ".js", 4,
			       "%s", "sends to " ATTR_BREAK);
	assert_non_null(f);
	f->snippet = xstrdup("fetch('" SCRIPT_TAG "')\n  .then(x)");
	assert_int_equal(finding_add_chain(f, "%s", "src/a.js:3: const t = process.env.TOKEN"), 0);
	f = report_add_finding(r, "undocumented-egress", "t.example.net", "src/fetch.js", 12,
			       "t.example.net is not documented");
	assert_non_null(f);
	f = report_add_finding(r, "dynamic-code-execution", NULL, "test/x.js", 2, "eval");
	assert_non_null(f);
	f->suppressed = xstrdup("fixture");
}

static struct report *audit_report(void)
{
	struct report *r = report_new();

	assert_non_null(r);
	assert_int_equal(vec_push(&r->targets, xstrdup("/tmp/unpacked/package")), 0);
	r->root = xstrdup("/tmp/unpacked/package");
	r->files_found = r->files_parsed = 3;
	r->languages = 1u;
	r->static_ran = r->dynamic_ran = true;
	r->verdict.result = VERDICT_FAIL;
	assert_int_equal(report_add_reason(r, "%s", "an install script contacts cdn.hidden.example"), 0);
	assert_int_equal(report_add_reason(r, "%s", "reason with " SCRIPT_TAG " and " BIDI "txt"), 0);
	add_package(r);
	add_audit_endpoints(r);
	add_findings(r);
	assert_int_equal(report_add_incomplete(r, "lib/" ATTR_BREAK, "%s", "not UTF-8 \xff"), 0);
	report_finish(r);
	return r;
}

/* A plain scan report: no verdict, no package, no observed state. */
static struct report *scan_report(void)
{
	struct report *r = report_new();
	struct endpoint *ep;

	assert_non_null(r);
	assert_int_equal(vec_push(&r->targets, xstrdup("samples/x")), 0);
	ep = add_endpoint(r, "t.metrics.example.net", EK_LITERAL, OBS_NONE);
	add_evidence(ep, "static", "index.js", 18, "fetch", "'https://t.metrics.example.net/'",
		     "startup");
	assert_non_null(report_add_finding(r, "undocumented-egress", "t.metrics.example.net",
					   "index.js", 18, "not documented"));
	report_finish(r);
	return r;
}

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

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* An event handler attribute (" onload=", " onerror="): our markup has none. */
static bool has_event_attribute(const char *tag)
{
	for (const char *p = strstr(tag, " on"); p; p = strstr(p + 1, " on")) {
		const char *q = p + 3;
		while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z'))
			q++;
		if (*q == '=')
			return true;
	}
	return false;
}

static size_t count(const char *s, const char *needle)
{
	size_t n = 0;

	for (const char *p = strstr(s, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* Fails when a tag we wrote could load anything: src or href attributes, a URL with a
 * scheme in any attribute, url() or @import in the style sheet. */
static void check_loads_nothing(const char *html)
{
	static const char *const banned_anywhere[] = {"url(", "@import", "<link", "<iframe",
						      "<object", "<embed", "<base", "<form"};

	for (size_t i = 0; i < sizeof banned_anywhere / sizeof banned_anywhere[0]; i++)
		if (strcasestr(html, banned_anywhere[i]))
			fail_msg("found %s", banned_anywhere[i]);
	assert_null(strcasestr(html, "<script"));
	assert_null(strcasestr(html, "<img"));
	for (const char *p = strchr(html, '<'); p; p = strchr(p + 1, '<')) {
		const char *end = strchr(p, '>');
		char *tag;
		assert_non_null(end);
		tag = xstrndup(p, (size_t)(end - p));
		assert_non_null(tag);
		if (strcasestr(tag, " src=") || strcasestr(tag, " href=") ||
		    strcasestr(tag, "http://") || strcasestr(tag, "https://") ||
		    has_event_attribute(tag))
			fail_msg("a tag that could load or run something: %s", tag);
		free(tag);
	}
}

static void check_balanced(const char *html)
{
	static const char *const tags[] = {"table", "section", "tr", "svg", "ul", "ol", "pre", "g"};

	for (size_t i = 0; i < sizeof tags / sizeof tags[0]; i++) {
		char open[32], close[32];
		size_t opened;

		snprintf(open, sizeof open, "<%s>", tags[i]);
		snprintf(close, sizeof close, "</%s>", tags[i]);
		opened = count(html, open);
		snprintf(open, sizeof open, "<%s ", tags[i]);
		opened += count(html, open);
		if (opened != count(html, close))
			fail_msg("<%s>: %zu opened, %zu closed", tags[i], opened, count(html, close));
	}
}

static void test_html_audit(void **state)
{
	struct report *r = *state;
	char *html = render(r, FMT_HTML, &audit_options);
	const char *verdict = strstr(html, "id=\"verdict\"");
	const char *table = strstr(html, "<table class=\"endpoints\"");

	assert_true(starts_with(html, "<!DOCTYPE html>"));
	assert_non_null(strstr(html, "<meta http-equiv=\"Content-Security-Policy\" content=\""
				     "default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"));
	check_loads_nothing(html);
	check_balanced(html);
	/* hostile text arrives escaped, and the bidi override as a visible escape */
	assert_non_null(strstr(html, "&lt;script&gt;alert(1)&lt;/script&gt;"));
	assert_non_null(strstr(html, HOSTILE_HOST_HTML));
	assert_null(strstr(html, BIDI));
	assert_non_null(strstr(html, "\\u202e"));
	assert_null(strchr(html, '\x1b'));
	/* the verdict comes first, before the package and the endpoint table */
	assert_non_null(verdict);
	assert_non_null(table);
	assert_true(verdict < strstr(html, "id=\"package\""));
	assert_true(verdict < table);
	assert_true(verdict < strstr(html, "<svg"));
	assert_non_null(strstr(html, "<div class=\"result\">FAIL</div>"));
	assert_non_null(strstr(html, "<title>mcpaudit security review: weather-mcp@1.2.3</title>"));
	/* one node per endpoint, and every host in the page */
	assert_int_equal(count(html, "<circle class=\"node "), r->endpoints.len);
	assert_int_equal(count(html, "<circle class=\"ring "), 1);  /* the hidden one */
	assert_int_equal(count(html, "class=\"edge g-undoc dashed\""), 1);  /* not exercised */
	assert_non_null(strstr(html, "api.weather.gov"));
	assert_non_null(strstr(html, "t.example.net"));
	assert_non_null(strstr(html, "cdn.hidden.example"));
	assert_non_null(strstr(html, "(host from a tool argument)"));
	/* the observed states, each in its own words */
	assert_non_null(strstr(html, "<th>Observed</th>"));
	assert_non_null(strstr(html, ">confirmed</span>"));
	assert_non_null(strstr(html, ">not exercised</span>"));
	assert_non_null(strstr(html, "reached from tool:fetch_url"));
	assert_non_null(strstr(html, ">hidden</span>"));
	assert_non_null(strstr(html, "<span class=\"tag install\">install</span>"));
	/* package facts, findings most severe first, incomplete work */
	assert_non_null(strstr(html, "sha512-AAAA|`bb`"));
	assert_non_null(strstr(html, "makes network requests"));
	assert_true(strstr(html, "<h3>Critical (1)</h3>") < strstr(html, "<h3>High (2)</h3>"));
	assert_non_null(strstr(html, "<h2>Suppressed findings</h2>"));
	assert_non_null(strstr(html, "<h2>Incomplete (1)</h2>"));
	assert_non_null(strstr(html, "lib/&quot;&gt;&lt;img src=x&gt;"));
	free(html);
}

static void test_html_scan(void **state)
{
	struct report *r = scan_report();
	char *html = render(r, FMT_HTML, &scan_options);

	(void)state;
	check_loads_nothing(html);
	check_balanced(html);
	assert_null(strstr(html, "id=\"verdict\""));
	assert_null(strstr(html, "id=\"package\""));
	assert_null(strstr(html, "Observed"));
	assert_null(strstr(html, "dashed\""));
	assert_int_equal(count(html, "<circle class=\"node "), 1);
	assert_non_null(strstr(html, "t.metrics.example.net"));
	assert_non_null(strstr(html, "<title>mcpaudit security review: samples/x</title>"));
	free(html);
	report_free(r);
}

static void test_html_empty(void **state)
{
	struct report *r = report_new();
	char *html;

	(void)state;
	assert_non_null(r);
	report_finish(r);
	html = render(r, FMT_HTML, &scan_options);
	check_loads_nothing(html);
	check_balanced(html);
	assert_non_null(strstr(html, "<svg"));
	assert_int_equal(count(html, "<circle class=\"node "), 0);
	assert_non_null(strstr(html, "No outbound destinations found."));
	assert_non_null(strstr(html, "No findings."));
	free(html);
	report_free(r);
	/* a failed run says so */
	r = report_new();
	assert_non_null(r);
	r->execution_successful = false;
	r->error = xstrdup("could not read " SCRIPT_TAG);
	html = render(r, FMT_HTML, &scan_options);
	assert_non_null(strstr(html, "The run failed"));
	assert_non_null(strstr(html, "could not read &lt;script&gt;"));
	free(html);
	report_free(r);
}

/* 45 endpoints, every third one documented. */
static struct report *crowded_report(void)
{
	struct report *r = report_new();

	assert_non_null(r);
	for (int i = 0; i < 45; i++) {
		char host[64];
		struct endpoint *ep;
		snprintf(host, sizeof host, "h%02d.%s.example.net", i, i % 2 ? "api" : "telemetry");
		ep = add_endpoint(r, host, EK_LITERAL, OBS_NONE);
		add_evidence(ep, "static", "a.js", (unsigned)i + 1, "fetch", host,
			     i % 2 ? "startup" : "tool:search");
		if (i % 3 == 0) {
			ep->documented_by = DOC_EXACT;
			ep->documented_source = xstrdup("README.md:1");
		}
	}
	report_finish(r);
	return r;
}

/* More endpoints than the picture draws: 40 nodes, labels turned outward, and a note. */
static void test_html_crowded(void **state)
{
	struct report *r = crowded_report();
	char *html;

	(void)state;
	html = render(r, FMT_HTML, &scan_options);
	check_balanced(html);
	assert_int_equal(count(html, "<circle class=\"node "), 40);
	assert_non_null(strstr(html, "and 5 more destinations"));
	assert_int_equal(count(html, "<tr class=\"g-undoc\">"), 30);
	assert_int_equal(count(html, "<tr class=\"g-doc\">"), 15);
	assert_int_equal(count(html, "<circle class=\"node g-undoc\""), 30);  /* all drawn */
	assert_non_null(strstr(html, "h44.telemetry.example.net"));
	assert_non_null(strstr(html, "rotate("));
	free(html);
	report_free(r);
}

static void test_text_verdict_first(void **state)
{
	struct report *r = *state;
	struct report_options o = audit_options;
	char *plain = render(r, FMT_TEXT, &o);
	char *quiet, *coloured;

	assert_true(starts_with(plain, "VERDICT: FAIL\n  - an install script contacts"));
	assert_null(strstr(plain, BIDI));
	assert_non_null(strstr(plain, "\\u202etxt"));
	assert_non_null(strstr(plain, "Package weather-mcp@1.2.3  npm\n"));
	assert_non_null(strstr(plain, "postinstall: node setup.js"));
	assert_non_null(strstr(plain, "not exercised: in the code, but the run never contacted it; "
				      "reached from tool:fetch_url"));
	assert_non_null(strstr(plain, "    hidden: contacted, but nowhere in the code"));
	assert_non_null(strstr(plain, "    confirmed: in the code and contacted by the run"));
	assert_true(strstr(plain, "VERDICT") < strstr(plain, "Undocumented destinations"));
	o.quiet = true;
	quiet = render(r, FMT_TEXT, &o);
	assert_true(starts_with(quiet, "VERDICT: FAIL\n"));
	o.quiet = false;
	o.color = true;
	coloured = render(r, FMT_TEXT, &o);
	assert_true(starts_with(coloured, "\x1b[1;31mVERDICT: FAIL\x1b[0m\n"));
	free(plain);
	free(quiet);
	free(coloured);
}

/* Every row of a GFM table has as many unescaped pipes as its header. */
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

static void test_markdown_verdict_first(void **state)
{
	struct report *r = *state;
	char *md = render(r, FMT_MARKDOWN, &audit_options);
	const char *verdict = strstr(md, "## Verdict: FAIL\n\n- an install script contacts");

	assert_true(starts_with(md, "# mcpaudit security review: weather-mcp@1.2.3\n\n## Verdict: FAIL\n"));
	assert_non_null(verdict);
	assert_true(verdict < strstr(md, "## Package"));
	assert_true(verdict < strstr(md, "| Host |"));
	assert_true(strstr(md, "## Package") < strstr(md, "| Host |"));
	/* markup only in a code span and a code block, where CommonMark shows it as text */
	assert_int_equal(count(md, "<script"), 2);
	assert_non_null(strstr(md, "`node setup.js " SCRIPT_TAG "`"));
	assert_non_null(strstr(md, "\n  ```\n  fetch('" SCRIPT_TAG "')"));
	assert_non_null(strstr(md, "reason with &lt;script&gt;"));
	assert_null(strstr(md, "<img"));
	assert_null(strstr(md, BIDI));
	assert_non_null(strstr(md, "| Integrity | `` sha512-AAAA\\|`bb` `` |"));
	assert_non_null(strstr(md, "| Host | Site | Kind | Observed | Where | Phase |"));
	assert_non_null(strstr(md, "not exercised (reached from tool:fetch\\_url)"));
	assert_non_null(strstr(md, "| **hidden** |"));
	assert_non_null(strstr(md, "*confirmed*: in the code and contacted by the run"));
	assert_non_null(strstr(md, "| Stages | static ran, dynamic ran |"));
	check_table_pipes(md);
	free(md);
}

static const cJSON *get(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!v)
		fail_msg("missing key %s", key);
	return v;
}

static void test_sarif_audit(void **state)
{
	struct report *r = *state;
	char *text = render(r, FMT_SARIF, &audit_options);
	cJSON *doc = cJSON_Parse(text);
	const cJSON *run, *props, *res;
	int observed = 0;

	assert_non_null(doc);
	run = cJSON_GetArrayItem(get(doc, "runs"), 0);
	props = get(run, "properties");
	assert_string_equal(get(get(props, "verdict"), "result")->valuestring, "fail");
	assert_int_equal(cJSON_GetArraySize(get(get(props, "verdict"), "reasons")), 2);
	assert_true(cJSON_IsTrue(get(get(props, "stages"), "dynamic")));
	assert_string_equal(get(get(props, "package"), "name")->valuestring, "weather-mcp");
	assert_int_equal(get(get(props, "package"), "versions")->valueint, 7);
	cJSON_ArrayForEach(res, get(run, "results")) {
		const cJSON *o = cJSON_GetObjectItemCaseSensitive(get(res, "properties"), "observed");
		if (o && strcmp(o->valuestring, "not-exercised") == 0)
			observed++;
		if (o && strcmp(o->valuestring, "hidden") == 0)
			observed++;
	}
	assert_int_equal(observed, 2);
	cJSON_Delete(doc);
	free(text);
}

/* Without audit fields the three writers add nothing of them. */
static void test_scan_has_no_audit_fields(void **state)
{
	struct report *r = scan_report();
	char *text = render(r, FMT_TEXT, &scan_options);
	char *md = render(r, FMT_MARKDOWN, &scan_options);
	char *sarif = render(r, FMT_SARIF, &scan_options);
	cJSON *doc = cJSON_Parse(sarif);

	(void)state;
	assert_true(starts_with(text, "mcpaudit "));
	assert_null(strstr(text, "VERDICT"));
	assert_null(strstr(text, "Package"));
	assert_null(strstr(text, "stage"));
	assert_null(strstr(md, "Verdict"));
	assert_null(strstr(md, "Observed"));
	assert_null(strstr(md, "## Package"));
	assert_null(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(get(doc, "runs"), 0),
						     "properties"));
	assert_null(strstr(sarif, "\"observed\""));
	cJSON_Delete(doc);
	free(text);
	free(md);
	free(sarif);
	report_free(r);
}

static int setup(void **state)
{
	*state = audit_report();
	return 0;
}

static int teardown(void **state)
{
	report_free(*state);
	return 0;
}

static int write_file(const char *dir, const char *name, const struct report *r,
		      enum report_format fmt, const struct report_options *o)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = path ? fopen(path, "w") : NULL;
	int rc = f && report_write(f, r, fmt, o) == 0 ? 0 : 1;

	if (f && fclose(f) != 0)
		rc = 1;
	free(path);
	return rc;
}

/* Write the documents into dir for a person or a validator to look at. Returns 0 or 1. */
static int dump(const char *dir)
{
	struct report *audit = NULL, *scan = scan_report();
	int rc = 0;

	setup((void **)&audit);
	rc |= write_file(dir, "audit.html", audit, FMT_HTML, &audit_options);
	rc |= write_file(dir, "audit.md", audit, FMT_MARKDOWN, &audit_options);
	rc |= write_file(dir, "audit.txt", audit, FMT_TEXT, &audit_options);
	rc |= write_file(dir, "audit.sarif", audit, FMT_SARIF, &audit_options);
	rc |= write_file(dir, "scan.html", scan, FMT_HTML, &scan_options);
	report_free(audit);
	report_free(scan);
	scan = crowded_report();
	rc |= write_file(dir, "crowded.html", scan, FMT_HTML, &scan_options);
	report_free(scan);
	return rc;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_html_audit, setup, teardown),
		cmocka_unit_test(test_html_scan),
		cmocka_unit_test(test_html_empty),
		cmocka_unit_test(test_html_crowded),
		cmocka_unit_test_setup_teardown(test_text_verdict_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_markdown_verdict_first, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sarif_audit, setup, teardown),
		cmocka_unit_test(test_scan_has_no_audit_fields),
	};

	if (argc > 1)
		return dump(argv[1]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
