/* npmspec: which package.json specs npm installs from the registry (issue 8, item 3).
 *
 * Before the fix deps.c called a spec off the registry only when it held '/' or ':', and
 * only in dependencies and optionalDependencies: "evil.tgz" and ".." (files to npm) passed,
 * and peerDependencies or overrides were never looked at (tests/e2e/test_audit_deps.py shows
 * npm connecting with the build from b7a3d2a). This module did not exist then. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "audit/npmspec.h"

static const char *const registry[] = {
	"1.2.3", "^1.2.3", "~1.2", ">=1.0.0 <2.0.0 || 3.x", "latest", "next", "*", "", "1.0.0-beta.1+build.5",
	"npm:lodash@^4", "npm:@scope/pkg@1.x", "npm:lodash", "$ok-dep", "x",
};

static const char *const elsewhere[] = {
	"git+ssh://git@example.com/x/y.git", "https://example.com/x.tgz", "http://192.0.2.1/x.tgz", "user/repo",
	"github:user/repo", "user/repo#v1", "file:../x", "link:../x", "workspace:*", "./x", "../x", ".", "..",
	"~/x", "/tmp/x", "evil.tgz", "evil.tar.gz", "evil.TAR", "npm:lodash@https://example.com/x.tgz",
	"npm:../x", "npm:-x@1", "$../x", "1.0.0\n", "a\\b", "x@1",
};

static void test_registry_specs(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof registry / sizeof *registry; i++)
		if (!npmspec_on_registry(registry[i]))
			fail_msg("\"%s\" refused", registry[i]);
}

static void test_specs_elsewhere(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof elsewhere / sizeof *elsewhere; i++)
		if (npmspec_on_registry(elsewhere[i]))
			fail_msg("\"%s\" accepted", elsewhere[i]);
}

static void test_names(void **state)
{
	static const char *const good[] = {"lodash", "@scope/pkg", "a.b-c_d~e", NULL};
	static const char *const bad[] = {"-e", ".x", "_x", "user/repo", "@scope", "@/x", "@scope/", "@a/b/c",
					  "a b", "a:b", "", NULL};

	(void)state;
	for (const char *const *n = good; *n; n++)
		assert_true(npmspec_name_valid(*n, strlen(*n)));
	for (const char *const *n = bad; *n; n++)
		if (npmspec_name_valid(*n, strlen(*n)))
			fail_msg("\"%s\" accepted as a name", *n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry_specs),
		cmocka_unit_test(test_specs_elsewhere),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
