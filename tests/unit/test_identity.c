/* identity: the sandbox's user and host names found in DNS names, plain and encoded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "tracer/identity.h"

static const char *const ids[] = {"jordan", "build-box"};

static void found(const char *name, size_t want_which, const char *want_encoding)
{
	size_t which = 99;
	const char *encoding = NULL;

	if (!identity_in_dns_name(name, ids, 2, &which, &encoding))
		fail_msg("%s: no identity found, want %s", name, want_encoding);
	assert_int_equal(which, want_which);
	assert_string_equal(encoding, want_encoding);
}

static void not_found(const char *name)
{
	size_t which;
	const char *encoding = NULL;

	if (identity_in_dns_name(name, ids, 2, &which, &encoding))
		fail_msg("%s: identity %zu found as %s", name, which, encoding);
}

static void test_encodings(void **state)
{
	(void)state;
	found("jordan.t.example.net", 0, "plain");
	found("JORDAN.t.example.net", 0, "plain");
	found("6a6f7264616e.q.example.net", 0, "hex");              /* "jordan" */
	found("x6A6F7264616E1.q.example.net", 0, "hex");            /* inside a label, upper case */
	found("6a6f7264.616e.q.example.net", 0, "hex");             /* split over labels */
	found("njxxezdbny.b.example.org", 0, "base32");             /* "jordan" */
	found("am9yZGFu.b.example.org", 0, "base64");               /* "jordan" */
	found("676275696c642d626f78.d.example.org", 1, "hex");      /* "gbuild-box" */
	found("build-box.leak.example.com", 1, "plain");
}

static void test_no_false_hits(void **state)
{
	(void)state;
	not_found("api.example.com");
	not_found("jordan-tools.example.com");     /* not the whole label */
	not_found("jordans.example.com");
	not_found("cdn-0a1b2c3d4e5f.example.net");
	not_found("");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_no_false_hits),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
