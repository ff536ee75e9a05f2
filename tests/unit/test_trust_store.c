/* trust_store_add_vendored: which certifi bundles in a server's folder get the run's CA.
 * Real files in a temporary folder (no namespace is needed to walk and append). The walk
 * runs as root before the sandbox's tree is read-only, so a link planted by the audited
 * package must never lead it to a file outside the folder: links are not followed.
 * test_bundles_found failed before trust_store_add_vendored existed (checked: with the call
 * returning 0 at once, the vendored bundles keep no CA); test_links_and_depth_left_alone
 * fails when links are followed (checked: with O_NOFOLLOW and the link checks removed, the
 * file outside the folder gets the CA). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "tracer/trust_store.h"

static const char ca[] = "-----BEGIN CERTIFICATE-----\nMIIB(the run's CA)\n-----END CERTIFICATE-----\n";
static const char original[] = "-----BEGIN CERTIFICATE-----\nMIIB(a public root)\n-----END CERTIFICATE-----\n";

struct fixture {
	char root[64];
};

static void make_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* mkdir -p of root/rel. */
static void make_dirs(const char *root, const char *rel)
{
	char path[PATH_MAX];
	int n = snprintf(path, sizeof path, "%s/%s", root, rel);

	for (int i = (int)strlen(root) + 1; i <= n; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		char c = path[i];
		path[i] = '\0';
		mkdir(path, 0755);
		path[i] = c;
	}
}

static char *read_rel(const struct fixture *f, const char *rel)
{
	char path[PATH_MAX];

	snprintf(path, sizeof path, "%s/%s", f->root, rel);
	return xreadfile(path, 1 << 20, NULL);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	char path[PATH_MAX];

	assert_non_null(f);
	snprintf(f->root, sizeof f->root, "/tmp/mcpaudit-trust-XXXXXX");
	assert_non_null(mkdtemp(f->root));
	make_dirs(f->root, "srv/.venv/lib/python3.11/site-packages/certifi");
	make_dirs(f->root, "srv/vendor/certifi");
	make_dirs(f->root, "srv/linked/certifi");
	make_dirs(f->root, "outside/certifi");
	make_dirs(f->root, "srv/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/certifi");
	snprintf(path, sizeof path, "%s/srv/.venv/lib/python3.11/site-packages/certifi/cacert.pem", f->root);
	make_file(path, original);
	snprintf(path, sizeof path, "%s/srv/vendor/certifi/cacert.pem", f->root);
	make_file(path, original);
	snprintf(path, sizeof path, "%s/outside/certifi/cacert.pem", f->root);
	make_file(path, original);
	snprintf(path, sizeof path, "%s/srv/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/certifi/cacert.pem", f->root);
	make_file(path, original);
	/* a bundle that is a link to a file outside, and a folder that is a link outside */
	snprintf(path, sizeof path, "%s/srv/linked/certifi/cacert.pem", f->root);
	assert_int_equal(symlink("../../../outside/certifi/cacert.pem", path), 0);
	snprintf(path, sizeof path, "%s/srv/escape", f->root);
	assert_int_equal(symlink("../outside", path), 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", f->root);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void assert_has_ca(const struct fixture *f, const char *rel, bool want)
{
	char *text = read_rel(f, rel);

	assert_non_null(text);
	assert_int_equal(strncmp(text, original, strlen(original)), 0); /* what was there stays first */
	if (want)
		assert_non_null(strstr(text, ca));
	else
		assert_string_equal(text, original);
	free(text);
}

/* The walk over the server's folder srv: the two bundles in it are changed. */
static void add_to_srv(const struct fixture *f)
{
	char folder[PATH_MAX], err[256] = "";

	snprintf(folder, sizeof folder, "%s/srv", f->root);
	assert_int_equal(trust_store_add_vendored(folder, ca, err, sizeof err), 2);
}

static void test_bundles_found(void **state)
{
	struct fixture *f = *state;

	add_to_srv(f);
	assert_has_ca(f, "srv/.venv/lib/python3.11/site-packages/certifi/cacert.pem", true);
	assert_has_ca(f, "srv/vendor/certifi/cacert.pem", true);
}

static void test_links_and_depth_left_alone(void **state)
{
	struct fixture *f = *state;

	add_to_srv(f);
	/* reached only through a link to a file, or a link to a folder: never written */
	assert_has_ca(f, "outside/certifi/cacert.pem", false);
	/* 13 folders deep: past TRUST_STORE_VENDORED_DEPTH */
	assert_has_ca(f, "srv/d1/d2/d3/d4/d5/d6/d7/d8/d9/d10/d11/d12/certifi/cacert.pem", false);
}

static void test_missing_folder_is_an_error(void **state)
{
	char err[256] = "";
	(void)state;

	assert_int_equal(trust_store_add_vendored("/nonexistent/mcpaudit-test", ca, err, sizeof err), -1);
	assert_non_null(strstr(err, "/nonexistent/mcpaudit-test"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bundles_found, setup, teardown),
		cmocka_unit_test_setup_teardown(test_links_and_depth_left_alone, setup, teardown),
		cmocka_unit_test(test_missing_folder_is_an_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
