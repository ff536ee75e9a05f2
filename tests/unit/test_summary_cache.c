/* Unit tests for the dependency-summary cache's key (analyzer/summary_cache.c): a package's
 * own package.json "_integrity" is not its identity. Two packages with the same "_integrity"
 * and different code got the same key before (so a tampered one read a clean one's cached
 * summary): checked by running this test against the summary_cache.c of 4cf3e0e, where
 * both tests failed (the claimed integrity was the key; a nested package was looked up
 * as node_modules/NAME). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/summary_cache.h"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

/* root/node_modules/<name> holding package.json (with the given _integrity) and index.js. */
static void make_package(const char *root, const char *name, const char *integrity, const char *code,
			 char *dir, size_t cap, char *js, size_t jscap)
{
	char path[600], pkg[300];

	snprintf(path, sizeof path, "%s/node_modules", root);
	mkdir(root, 0700);
	mkdir(path, 0700);
	snprintf(dir, cap, "%s/node_modules/%s", root, name);
	mkdir(dir, 0700);
	snprintf(pkg, sizeof pkg, "{\"name\": \"%s\", \"version\": \"1.0.0\", \"_integrity\": \"%s\"}", name, integrity);
	snprintf(path, sizeof path, "%s/package.json", dir);
	write_file(path, pkg);
	snprintf(js, jscap, "%s/index.js", dir);
	write_file(js, code);
}

static void test_same_claimed_integrity_different_code(void **state)
{
	char tmpl[] = "/tmp/mcpaudit-sumcache-XXXXXX", a[600], b[600], dir_a[700], dir_b[700], js_a[800], js_b[800];
	char err[256];
	struct package_id id_a, id_b;
	const char *pa[1], *pb[1];
	const char *claimed = "sha512-sameclaimedintegrity==";

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	snprintf(a, sizeof a, "%s/a", tmpl);
	snprintf(b, sizeof b, "%s/b", tmpl);
	make_package(a, "client", claimed, "module.exports = () => fetch('https://clean.example.com');\n",
		     dir_a, sizeof dir_a, js_a, sizeof js_a);
	make_package(b, "client", claimed, "module.exports = () => fetch('https://tampered.example.net');\n",
		     dir_b, sizeof dir_b, js_b, sizeof js_b);
	pa[0] = js_a;
	pb[0] = js_b;
	assert_int_equal(summary_cache_identify(dir_a, "client", pa, 1, &id_a, err, sizeof err), 0);
	assert_int_equal(summary_cache_identify(dir_b, "client", pb, 1, &id_b, err, sizeof err), 0);
	assert_string_not_equal(id_a.integrity, claimed);
	assert_string_not_equal(id_a.integrity, id_b.integrity);
	assert_int_equal(strncmp(id_a.integrity, "files-sha256-", 13), 0);
}

/* The project's lock file names the package by its folder's path, nested ones too. */
static void test_lock_file_by_path(void **state)
{
	char tmpl[] = "/tmp/mcpaudit-sumcache-XXXXXX", dir[700], js[800], path[700], nested[800], err[256];
	struct package_id id;
	const char *p[1];

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	make_package(tmpl, "outer", "sha512-claimed==", "module.exports = 1;\n", dir, sizeof dir, js, sizeof js);
	snprintf(path, sizeof path, "%s/package-lock.json", tmpl);
	write_file(path, "{\"lockfileVersion\": 3, \"packages\": {"
			 "\"node_modules/outer\": {\"version\": \"1.0.0\", \"integrity\": \"sha512-outerlock==\"},"
			 "\"node_modules/outer/node_modules/inner\": {\"version\": \"1.0.0\", \"integrity\": \"sha512-innerlock==\"}}}");
	p[0] = js;
	assert_int_equal(summary_cache_identify(dir, "outer", p, 1, &id, err, sizeof err), 0);
	assert_string_equal(id.integrity, "sha512-outerlock==");
	make_package(dir, "inner", "sha512-claimed==", "module.exports = 2;\n", nested, sizeof nested, js, sizeof js);
	p[0] = js;
	assert_int_equal(summary_cache_identify(nested, "inner", p, 1, &id, err, sizeof err), 0);
	assert_string_equal(id.integrity, "sha512-innerlock==");
}

/* One scan reads a project's lock file once for all its packages (summary_locks): after
 * the first package, the file is replaced with garbage and the second is still named
 * from the tree read first; without the locks it is read again. Before the change each
 * package read and parsed the lock file again (3% of a scan of the bench's servers tree,
 * which has hundreds of packages); checked by making lock_integrity ignore locks: the
 * second assert_string_equal then fails. */
static void test_lock_file_read_once(void **state)
{
	char tmpl[] = "/tmp/mcpaudit-sumcache-XXXXXX", dir_a[700], dir_b[700], js_a[800], js_b[800], path[700];
	char err[256];
	struct package_id id;
	struct summary_locks locks = {0};
	const char *p[1];

	(void)state;
	assert_non_null(mkdtemp(tmpl));
	make_package(tmpl, "first", "sha512-claimed==", "module.exports = 1;\n", dir_a, sizeof dir_a, js_a, sizeof js_a);
	make_package(tmpl, "second", "sha512-claimed==", "module.exports = 2;\n", dir_b, sizeof dir_b, js_b, sizeof js_b);
	snprintf(path, sizeof path, "%s/package-lock.json", tmpl);
	write_file(path, "{\"lockfileVersion\": 3, \"packages\": {"
			 "\"node_modules/first\": {\"integrity\": \"sha512-firstlock==\"},"
			 "\"node_modules/second\": {\"integrity\": \"sha512-secondlock==\"}}}");
	p[0] = js_a;
	assert_int_equal(summary_cache_identify_in(&locks, dir_a, "first", p, 1, &id, err, sizeof err), 0);
	assert_string_equal(id.integrity, "sha512-firstlock==");
	write_file(path, "not json");
	p[0] = js_b;
	assert_int_equal(summary_cache_identify_in(&locks, dir_b, "second", p, 1, &id, err, sizeof err), 0);
	assert_string_equal(id.integrity, "sha512-secondlock==");
	summary_locks_free(&locks);
	/* read again without the locks: the file's own hash, since the lock file is garbage now */
	assert_int_equal(summary_cache_identify(dir_b, "second", p, 1, &id, err, sizeof err), 0);
	assert_int_equal(strncmp(id.integrity, "files-sha256-", 13), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_claimed_integrity_different_code),
		cmocka_unit_test(test_lock_file_by_path),
		cmocka_unit_test(test_lock_file_read_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
