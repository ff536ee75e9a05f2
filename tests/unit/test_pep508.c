/* pep508: which Python requirements may reach pip's command line (issue 8, item 1).
 *
 * Before the fix every name metadata read went to `pip install` as it was, in the package
 * folder: "evilsdist.tar.gz" was built as a local sdist and "-e" became an option (checked
 * by auditing tests/e2e/test_audit_deps.py's sample with the old build: its build backend
 * ran twice on the host). This module did not exist then; these cases pin what it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "audit/pep508.h"

struct accepted {
	const char *text;
	const char *normal;
	const char *extras;
	const char *plain;          /* name, extras and specifiers as pip gets them without the marker */
	const char *marker_extras;
};

static const struct accepted accepted[] = {
	{"requests", "requests", "", "requests", ""},
	{"  Zope.Interface  ", "zope-interface", "", "Zope.Interface", ""},
	{"requests[socks, Security]>=2.8.1,<3 ; python_version >= \"3.8\"", "requests", ",socks,security,",
	 "requests[socks, Security]>=2.8.1,<3", ""},
	{"name (>=1.0, !=1.5.*)", "name", "", "name (>=1.0, !=1.5.*)", ""},
	{"PySocks!=1.5.7,>=1.5.6; extra == 'socks'", "pysocks", "", "PySocks!=1.5.7,>=1.5.6", ",socks,"},
	{"x; (os_name=='a' or os_name=='b') and 'Dev' == extra", "x", "", "x", ",dev,"},
	{"x===1.0+local", "x", "", "x===1.0+local", ""},
	{"pywin32>=1; sys_platform not in \"linux, darwin\"", "pywin32", "", "pywin32>=1", ""},
	{"tomli; python_version<\"3.11\"", "tomli", "", "tomli", ""},
};

struct refused {
	const char *text;
	const char *why;   /* a word of the reason */
};

static const struct refused refused[] = {
	{"-e ./dir", "option"},
	{"--index-url=http://198.51.100.1/simple", "option"},
	{"-r requirements.txt", "option"},
	{"evilsdist.tar.gz", "archive"},
	{"evil.whl", "archive"},
	{"Evil.ZIP", "archive"},
	{"./dir", "path"},
	{"../evil", "path"},
	{"/tmp/evil.tar.gz", "path"},
	{"~/evil", "path"},
	{"dir/sub", "path"},
	{"file:///tmp/x", "path"},
	{"name @ https://198.51.100.1/name.tar.gz", "direct reference"},
	{"name@file:///tmp/x", "direct reference"},
	{"name[x] @ git+ssh://git@example.com/x.git ; python_version>'3'", "direct reference"},
	{"name; python_version >= '3' @ http://198.51.100.1/x", "direct reference"},
	{"name >= 1 extra", "after the requirement"},
	{"name ==", "without a version"},
	{"name; os_name == 'a", "unterminated"},
	{"name; evil_var == 'a'", "unknown variable"},
	{"name; os_name ~ 'a'", "comparison"},
	{"name; ((((((((((((((((((os_name=='a'))))))))))))))))))", "too deep"},
	{"", "not a project name"},
	{"na me", "after the requirement"},
	{"name[a b]", "extras"},
};

static void test_accepted(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++) {
		const struct accepted *a = &accepted[i];
		struct pep508 r;
		char why[256] = "";
		if (!pep508_parse(a->text, &r, why, sizeof why))
			fail_msg("%s: refused: %s", a->text, why);
		assert_string_equal(r.normal, a->normal);
		assert_string_equal(r.extras, a->extras);
		assert_int_equal(r.plain_len, strlen(a->plain));
		assert_memory_equal(a->text + r.plain_off, a->plain, r.plain_len);
		assert_string_equal(r.marker_extras, a->marker_extras);
	}
}

static void test_refused(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		struct pep508 r;
		char why[256] = "";
		if (pep508_parse(refused[i].text, &r, why, sizeof why))
			fail_msg("%s: accepted", refused[i].text);
		if (!strstr(why, refused[i].why))
			fail_msg("%s: reason \"%s\" does not say \"%s\"", refused[i].text, why, refused[i].why);
	}
}

static void test_extras_list(void **state)
{
	(void)state;
	assert_true(pep508_has_extra(",a,socks,", "socks"));
	assert_false(pep508_has_extra(",a,socks,", "sock"));
	assert_false(pep508_has_extra(",a,socks,", "ocks"));
	assert_false(pep508_has_extra("", "a"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_accepted),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_extras_list),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
