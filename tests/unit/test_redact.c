/* redact: no secret-looking value reaches any report format (issue 8 item 5). Before the
 * fix report_finish redacted nothing and every row of secrets[] appeared verbatim in every
 * format: checked by building this test with the redact_report call in report_finish
 * commented out, where test_all_formats failed on its first secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/redact.h"
#include "core/report.h"
#include "core/report_format.h"
#include "core/strbuf.h"

#define CANARY "ghp_Q8fZ3kT0pLmN4vX7yR2sW9bC1dE6gH5jK0aB"

/* What a server read on a host and sent (or printed): none may be written as it is. */
static const char *const secrets[] = {
	/* /etc/shadow as root */
	"$6$rounds=5000$saltsalt$Xk2mYq9vLr3tZp8wNc4bHs7dFg1jKe6uAo5iPl0zQx",
	/* a Kubernetes service-account token (a JWT) from /var/run/secrets/... */
	"eyJhbGciOiJSUzI1NiIsImtpZCI6IkFiQzEyMyJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0.c2lnbmF0dXJlLXNpZ25hdHVyZQ",
	/* a CI .env value */
	"hunter2-Secret9x",
	"AKIAZ7Q3XK2LMN4PQR5T",
	"sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUvWx",
	"xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
	"-----BEGIN OPENSSH PRIVATE KEY-----",
	"s3cr3t-p4ss",
	CANARY,
};

static struct report *leaky_report(void)
{
	struct report *r = report_new();
	struct endpoint *ep;
	struct evidence ev = {0};
	struct finding *f;

	assert_non_null(r);
	assert_int_equal(report_add_secret(r, CANARY, "canary github_token"), 0);
	ep = report_endpoint(r, "leak.example.net", NULL, 80, "http", EK_LITERAL);
	assert_non_null(ep);
	ev.stage = (char *)"dynamic";
	ev.api = (char *)"http";
	ev.expression = (char *)"TCP to 198.18.0.1 port 80, HTTP POST /?shadow=root:$6$rounds=5000$saltsalt$Xk2mYq9vLr3tZp8wNc4bHs7dFg1jKe6uAo5iPl0zQx:19000:0:99999:7:::";
	ev.path = (char *)"/collect?t=" CANARY "&k=AKIAZ7Q3XK2LMN4PQR5T";
	assert_int_equal(endpoint_add_evidence(ep, &ev), 0);
	f = report_add_finding(r, "credential-exfiltration", "leak.example.net", NULL, 0,
			       "the server sent %s and Authorization: Bearer "
			       "eyJhbGciOiJSUzI1NiIsImtpZCI6IkFiQzEyMyJ9.eyJpc3MiOiJrdWJlcm5ldGVzL3NlcnZpY2VhY2NvdW50In0."
			       "c2lnbmF0dXJlLXNpZ25hdHVyZQ", CANARY);
	assert_non_null(f);
	f->snippet = xstrdup("DB_PASSWORD=hunter2-Secret9x STRIPE=sk_live_51HxYzAbCdEfGhIjKlMnOpQrStUvWx");
	assert_int_equal(finding_add_chain(f, "src/a.js:3: const slack = 'xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx'"), 0);
	assert_int_equal(finding_add_chain(f, "src/a.js:4: const url = 'https://bob:s3cr3t-p4ss@db.example.net/'"), 0);
	assert_int_equal(report_add_incomplete(r, NULL, "server crashed; stderr ends: -----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk\n"), 0);
	/* code that only names secrets stays readable */
	f = report_add_finding(r, "credential-flow", "x.example.net", "src/b.js", 7, "a secret environment variable flows");
	assert_non_null(f);
	f->snippet = xstrdup("const token = process.env.GITHUB_TOKEN; headers = { Authorization: `token ${token}` }");
	report_finish(r);
	return r;
}

static char *written(const struct report *r, enum report_format fmt)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct report_options o = {false, true, false, "trace", SEV_HIGH, NULL};

	assert_non_null(f);
	assert_int_equal(report_write(f, r, fmt, &o), 0);
	fclose(f);
	return buf;
}

static void test_all_formats(void **state)
{
	static const enum report_format fmts[] = {FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_MARKDOWN, FMT_HTML};
	static const char *const names[] = {"text", "json", "sarif", "markdown", "html"};
	struct report *r = leaky_report();

	(void)state;
	for (size_t i = 0; i < sizeof fmts / sizeof *fmts; i++) {
		char *out = written(r, fmts[i]);
		for (size_t k = 0; k < sizeof secrets / sizeof *secrets; k++)
			if (strstr(out, secrets[k]))
				fail_msg("%s output holds %s", names[i], secrets[k]);
		if (getenv("REDACT_DUMP")) fputs(out, stderr);
		if (!strstr(out, "canary github_token") && !strstr(out, "canary github\\_token")) /* Markdown escapes _ */
			fail_msg("%s output does not name the canary", names[i]);
		if (!strstr(out, "process.env.GITHUB_TOKEN"))
			fail_msg("%s output redacted code that only names a secret", names[i]);
		free(out);
	}
	report_free(r);
}

struct text_case {
	const char *in, *want;
};

static const struct text_case text_cases[] = {
	{"root:$6$abcdefgh$0123456789abcdef:19000:0:99999:7:::", "root[redacted shadow-hash]:19000:0:99999:7:::"},
	{"API_KEY=Zx81-kQp2-77aa", "API_KEY=[redacted secret-assignment]"},
	{"password: \"correct-horse-9\"", "password: \"[redacted secret-assignment]\""},
	{"token = getToken()", "token = getToken()"},
	{"token: headers", "token: headers"},
	{"const key = process.env.OPENAI_API_KEY", "const key = process.env.OPENAI_API_KEY"},
	{"https://api.example.com/v1?x=1", "https://api.example.com/v1?x=1"},
	{"ghp_" "abcdefghijklmnopqrstuvwxyz0123456789", "[redacted github-token]"},
	{"t=" CANARY "!", "t=[canary github_token]!"},
};

static void test_texts(void **state)
{
	struct report *r = report_new();

	(void)state;
	assert_int_equal(report_add_secret(r, CANARY, "canary github_token"), 0);
	for (size_t i = 0; i < sizeof text_cases / sizeof *text_cases; i++) {
		char *out = redact_text(text_cases[i].in, r);
		assert_non_null(out);
		if (strcmp(out, text_cases[i].want) != 0)
			fail_msg("%s -> %s, want %s", text_cases[i].in, out, text_cases[i].want);
		free(out);
	}
	report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_formats),
		cmocka_unit_test(test_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
