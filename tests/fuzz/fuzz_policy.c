/* fuzz_policy: policy files (core/policy.c policy_load_file), then the loaded policy
 * applied to a small report, as scan does with --policy. */
#include <stdlib.h>

#include "core/policy.h"
#include "tests/fuzz/fuzz_util.h"

/* A report with an endpoint and a finding for the policy's patterns and suppressions. */
static struct report *small_report(void)
{
	struct report *r = report_new();
	struct endpoint *e = r ? report_endpoint(r, "api.example.com", NULL, 443, "https", EK_LITERAL) : NULL;
	struct evidence ev = {.stage = "static", .file = "index.js", .line = 3};

	if (e)
		endpoint_add_evidence(e, &ev);
	if (r)
		report_add_finding(r, "dynamic-code-execution", NULL, "index.js", 3, "eval(%s)", "x");
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *path = fuzz_write("policy.json", data, size);
	struct policy p;
	struct report *r;
	char err[512];

	policy_init(&p);
	if (policy_load_file(&p, path, err, sizeof err) == 0 && (r = small_report())) {
		policy_add_documented(&p, r);
		policy_apply(&p, r, "2026-01-01");
		report_free(r);
	}
	policy_free(&p);
	return 0;
}
