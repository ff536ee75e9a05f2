/* observe: the observed state of each endpoint across the two stages, hidden egress, and
 * the verdict against the policy's thresholds. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "audit/observe.h"

static struct endpoint *add(struct report *r, const char *host, const char *suffix, enum endpoint_kind kind,
			    const char *stage, const char *phase)
{
	struct endpoint *ep = report_endpoint(r, host, suffix, 443, "https", kind);
	struct evidence ev = {.stage = (char *)stage, .phase = (char *)phase, .api = "fetch"};

	assert_non_null(ep);
	assert_int_equal(endpoint_add_evidence(ep, &ev), 0);
	return ep;
}

static void test_observed(void **state)
{
	struct report *r = report_new();
	struct endpoint *both, *code_only, *run_only, *suffix_code, *suffix_run, *in_string, *user_code, *user_run;

	(void)state;
	r->static_ran = r->dynamic_ran = true;
	both = add(r, "api.example.com", NULL, EK_LITERAL, "static", "tool:get");
	add(r, "api.example.com", NULL, EK_IP, "dynamic", "tools/call get");  /* another identity */
	code_only = add(r, "never.example.com", NULL, EK_LITERAL, "static", "tool:rare");
	run_only = add(r, "hidden.example.net", NULL, EK_LITERAL, "dynamic", "startup");
	suffix_code = add(r, NULL, ".cdn.example.org", EK_PARTIAL, "static", "startup");
	suffix_run = add(r, "eu1.cdn.example.org", NULL, EK_LITERAL, "dynamic", "startup");
	in_string = add(r, "default.example.com", NULL, EK_LITERAL, "dynamic", "tools/call fetch");
	assert_int_equal(report_add_url_string(r, "https://default.example.com/readme", "x.js", 3), 0);
	user_code = add(r, NULL, NULL, EK_USER_DIRECTED, "static", "tool:fetch");
	user_run = add(r, "mcpaudit-probe.example.org", NULL, EK_USER_DIRECTED, "dynamic", "tools/call fetch");
	add(r, "localhost", NULL, EK_LITERAL, "dynamic", "tools/call kubectl_get");  /* hidden, not egress */
	observe_endpoints(r);
	assert_int_equal(both->observed, OBS_CONFIRMED);
	assert_int_equal(code_only->observed, OBS_NOT_EXERCISED);
	assert_int_equal(run_only->observed, OBS_HIDDEN);
	assert_int_equal(suffix_code->observed, OBS_CONFIRMED);
	assert_int_equal(suffix_run->observed, OBS_CONFIRMED);
	assert_int_equal(in_string->observed, OBS_CONFIRMED);  /* the code holds it as a URL string */
	assert_int_equal(user_code->observed, OBS_CONFIRMED);
	assert_int_equal(user_run->observed, OBS_CONFIRMED);

	/* hidden-egress: only the hidden endpoint, and only while it is undocumented */
	assert_int_equal(observe_hidden_egress(r), 0);
	{
		unsigned n = 0;
		for (size_t i = 0; i < r->findings.len; i++)
			if (!strcmp(r->findings.items[i]->rule_id, "hidden-egress")) {
				n++;
				assert_string_equal(r->findings.items[i]->host, "hidden.example.net");
				assert_int_equal(r->findings.items[i]->severity, SEV_HIGH);
				assert_string_equal(r->findings.items[i]->phase, "startup");
			}
		assert_int_equal(n, 1);
	}
	report_free(r);
}

static void test_one_stage(void **state)
{
	struct report *r = report_new();
	struct endpoint *code, *run;

	(void)state;
	r->static_ran = true;
	code = add(r, "a.example.com", NULL, EK_LITERAL, "static", "startup");
	observe_endpoints(r);
	assert_int_equal(code->observed, OBS_STATIC_ONLY_RUN);
	report_free(r);

	r = report_new();
	r->dynamic_ran = true;
	run = add(r, "b.example.com", NULL, EK_LITERAL, "dynamic", "startup");
	observe_endpoints(r);
	assert_int_equal(run->observed, OBS_DYNAMIC_ONLY_RUN);
	/* documented hidden egress is not a finding */
	run->documented_by = DOC_EXACT;
	run->observed = OBS_HIDDEN;
	assert_int_equal(observe_hidden_egress(r), 0);
	assert_int_equal(r->findings.len, 0);
	report_free(r);
}

static enum verdict_result judge(enum severity worst, bool incomplete, bool dynamic_ran, bool static_only,
				 struct policy *p)
{
	struct report *r = report_new();
	enum verdict_result v;

	r->static_ran = true;
	r->dynamic_ran = dynamic_ran;
	if ((int)worst >= 0) {
		struct finding *f = report_add_finding(r, "undocumented-egress", "x.example.net", NULL, 0, "m");
		assert_non_null(f);
		f->severity = worst;
	}
	if (incomplete)
		assert_int_equal(report_add_incomplete(r, "a.js", "syntax error"), 0);
	assert_int_equal(observe_verdict(r, p, static_only), 0);
	v = r->verdict.result;
	assert_true(r->verdict.reasons.len >= 1);
	report_free(r);
	return v;
}

static void test_verdict(void **state)
{
	struct policy p;

	(void)state;
	policy_init(&p);  /* fail on high, review on medium */
	assert_int_equal(judge(SEV_CRITICAL, false, true, false, &p), VERDICT_FAIL);
	assert_int_equal(judge(SEV_HIGH, false, true, false, &p), VERDICT_FAIL);
	assert_int_equal(judge(SEV_MEDIUM, false, true, false, &p), VERDICT_REVIEW);
	assert_int_equal(judge(SEV_LOW, false, true, false, &p), VERDICT_PASS);
	assert_int_equal(judge((enum severity)-1, false, true, false, &p), VERDICT_PASS);
	assert_int_equal(judge(SEV_LOW, true, true, false, &p), VERDICT_REVIEW);   /* incomplete */
	assert_int_equal(judge(SEV_LOW, false, false, false, &p), VERDICT_REVIEW); /* the server did not run */
	assert_int_equal(judge(SEV_LOW, false, false, true, &p), VERDICT_PASS);    /* --static-only */
	p.fail_on = SEV_CRITICAL;
	p.review_on = SEV_HIGH;
	assert_int_equal(judge(SEV_HIGH, false, true, false, &p), VERDICT_REVIEW);
	assert_int_equal(judge(SEV_MEDIUM, false, true, false, &p), VERDICT_PASS);
	policy_free(&p);
}

static void test_reasons_capped(void **state)
{
	struct report *r = report_new();
	struct policy p;
	char host[64];

	(void)state;
	policy_init(&p);
	r->static_ran = r->dynamic_ran = true;
	for (int i = 0; i < 25; i++) {
		snprintf(host, sizeof host, "h%d.example.net", i);
		assert_non_null(report_add_finding(r, "undocumented-egress", host, NULL, 0, "to %s", host));
		assert_non_null(report_add_finding(r, "undocumented-egress", host, NULL, 0, "to %s", host));
	}
	assert_int_equal(observe_verdict(r, &p, false), 0);
	assert_int_equal(r->verdict.result, VERDICT_FAIL);
	/* ten named (the same rule and host once), then the rest counted */
	assert_int_equal(r->verdict.reasons.len, 11);
	assert_non_null(strstr(r->verdict.reasons.items[10], "15 more"));
	policy_free(&p);
	report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_observed),
		cmocka_unit_test(test_one_stage),
		cmocka_unit_test(test_verdict),
		cmocka_unit_test(test_reasons_capped),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
