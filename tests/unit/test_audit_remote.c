/* audit_remote through audit_run: a remote MCP server (a URL in a client configuration) is
 * one endpoint and one remote-server finding, whose severity the policy sets.
 *
 * Issue 13: remote-server had no unit test. Checked to fail by breaking audit/audit.c's
 * audit_remote: without its allow loop the allowlisted server stays medium (test_allowed
 * fails); without its deny loop the denied one stays medium (test_denied fails); with
 * report_add_finding's host NULL, test_default fails. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "audit/audit.h"

#define URL "https://mcp.example.com:8443/mcp"

static const struct finding *only_finding(const struct report *r, const char *rule)
{
	const struct finding *found = NULL;
	size_t n = 0;

	for (size_t i = 0; i < r->findings.len; i++)
		if (strcmp(r->findings.items[i]->rule_id, rule) == 0) {
			found = r->findings.items[i];
			n++;
		}
	assert_int_equal(n, 1);
	return found;
}

/* Audits URL under p into a fresh report; caller frees it with report_free. */
static struct report *audit_url(const struct policy *p, const char *url)
{
	struct audit_target t = {.remote_url = url, .label = "mcp.json: docs"};
	struct audit_options o = {.policy = p, .static_only = true};
	struct report *r = report_new();
	char err[256] = "";

	assert_non_null(r);
	assert_int_equal(audit_run(&t, &o, r, err, sizeof err), 0);
	return r;
}

static void test_default(void **state)
{
	struct policy p;
	struct report *r;
	const struct finding *f;

	(void)state;
	policy_init(&p);
	r = audit_url(&p, URL);
	f = only_finding(r, "remote-server");
	assert_int_equal(f->severity, SEV_MEDIUM);
	assert_string_equal(f->host, "mcp.example.com");
	assert_non_null(strstr(f->message, URL));
	assert_int_equal(r->endpoints.len, 1);
	assert_string_equal(r->endpoints.items[0]->host, "mcp.example.com");
	assert_int_equal(r->endpoints.items[0]->port, 8443);
	assert_string_equal(r->endpoints.items[0]->scheme, "https");
	assert_int_equal(r->endpoints.items[0]->documented_by, DOC_NONE);
	assert_int_equal(r->verdict.result, VERDICT_REVIEW);  /* medium: a person looks at it */
	report_free(r);
	policy_free(&p);
}

static void test_allowed(void **state)
{
	struct policy p;
	struct report *r;
	char err[256];

	(void)state;
	policy_init(&p);
	assert_int_equal(policy_add_allow(&p, "mcp.example.com", "--allow", err, sizeof err), 0);
	r = audit_url(&p, URL);
	assert_int_equal(only_finding(r, "remote-server")->severity, SEV_INFO);
	assert_int_equal(r->endpoints.items[0]->documented_by, DOC_ALLOW);
	assert_string_equal(r->endpoints.items[0]->documented_source, "--allow");
	/* still review, but only because no code was read, not for the finding */
	assert_int_equal(r->verdict.result, VERDICT_REVIEW);
	assert_int_equal(r->verdict.reasons.len, 1);
	assert_non_null(strstr(r->verdict.reasons.items[0], "no code was read"));
	report_free(r);
	/* an allow entry for another host changes nothing */
	policy_free(&p);
	policy_init(&p);
	assert_int_equal(policy_add_allow(&p, "other.example.com", "--allow", err, sizeof err), 0);
	r = audit_url(&p, URL);
	assert_int_equal(only_finding(r, "remote-server")->severity, SEV_MEDIUM);
	report_free(r);
	policy_free(&p);
}

static void test_denied(void **state)
{
	char path[] = "/tmp/mcpaudit-remote-policy-XXXXXX";
	const char text[] = "{\"deny\": [\"*.example.com\"]}";
	struct policy p;
	struct report *r;
	char err[256] = "";
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, sizeof text - 1), (ssize_t)(sizeof text - 1));
	close(fd);
	policy_init(&p);
	assert_int_equal(policy_load_file(&p, path, err, sizeof err), 0);
	unlink(path);
	r = audit_url(&p, URL);
	assert_int_equal(only_finding(r, "remote-server")->severity, SEV_HIGH);
	assert_int_equal(r->verdict.result, VERDICT_FAIL);
	report_free(r);
	policy_free(&p);
}

/* A URL that does not parse: still a finding to review, with no host to show. */
static void test_unparsable(void **state)
{
	struct policy p;
	struct report *r;

	(void)state;
	policy_init(&p);
	r = audit_url(&p, "not a url");
	assert_null(only_finding(r, "remote-server")->host);
	assert_int_equal(r->endpoints.len, 0);
	assert_int_not_equal(r->verdict.result, VERDICT_PASS);
	report_free(r);
	policy_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default),
		cmocka_unit_test(test_allowed),
		cmocka_unit_test(test_denied),
		cmocka_unit_test(test_unparsable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
