/* Unit tests for the installed-dependency cache (audit/depcache.c): a stored tree comes back
 * whole (files, executable bits, links, nested folders), linked read-only or copied; a
 * changed file, an entry under another key, an entry others
 * can write to or that belongs to another user, and a tree with a FIFO are refused. Each
 * refusal check failed when its check was taken out of depcache.c (the digest comparison,
 * the key hashed first, private_to_us, the file-type test), one at a time. */
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

#include "audit/depcache.h"
#include "audit/source.h"
#include "core/strbuf.h"
#include "unit_skip.h"

struct world {
	char top[64];
	char cache[128];
	char from[128];   /* the package whose node_modules is stored */
	char to[128];     /* the package it is restored into */
	char key[DEPCACHE_KEY_LEN + 1];
};

static void put(const char *path, const char *text, mode_t mode)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	assert_int_equal(chmod(path, mode), 0);
}

static char *slurp(const char *path)
{
	size_t len;

	return xreadfile(path, 1 << 20, &len);
}

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof *w);
	char p[300];

	snprintf(w->top, sizeof w->top, "/tmp/mcpaudit-depcache-XXXXXX");
	assert_non_null(mkdtemp(w->top));
	snprintf(w->cache, sizeof w->cache, "%s/cache", w->top);
	snprintf(w->from, sizeof w->from, "%s/from", w->top);
	snprintf(w->to, sizeof w->to, "%s/to", w->top);
	mkdir(w->from, 0700);
	mkdir(w->to, 0700);
	snprintf(p, sizeof p, "%s/node_modules", w->from);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/node_modules/dep", w->from);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/node_modules/dep/index.js", w->from);
	put(p, "module.exports = 1;\n", 0644);
	snprintf(p, sizeof p, "%s/node_modules/dep/cli.js", w->from);
	put(p, "#!/usr/bin/env node\n", 0755);
	snprintf(p, sizeof p, "%s/node_modules/.bin", w->from);
	mkdir(p, 0755);
	snprintf(p, sizeof p, "%s/node_modules/.bin/dep", w->from);
	assert_int_equal(symlink("../dep/cli.js", p), 0);
	depcache_key("{\"lockfileVersion\": 3}", 22, w->key);
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;

	source_remove_tree(w->top);
	free(w);
	return 0;
}

static void store(struct world *w)
{
	char err[300] = "";

	assert_int_equal(depcache_store(w->cache, w->key, w->from, err, sizeof err), 0);
}

/* The entry's copy of a file, made writable (as its owner can) and changed. */
static void tamper(struct world *w, const char *rel, const char *text)
{
	char p[400];

	snprintf(p, sizeof p, "%s/%s/tree/%s", w->cache, w->key, rel);
	chmod(p, 0644);
	put(p, text, 0444);
}

static void refused(struct world *w, const char *key)
{
	char why[300] = "x", p[300];
	struct stat st;

	assert_int_equal(depcache_restore(w->cache, key, w->to, why, sizeof why), 0);
	assert_true(why[0] != '\0');
	snprintf(p, sizeof p, "%s/node_modules", w->to);
	assert_int_not_equal(lstat(p, &st), 0);  /* no copy of a refused entry is left */
	snprintf(p, sizeof p, "%s/%s", w->cache, key);
	assert_int_not_equal(lstat(p, &st), 0);  /* and the entry is gone, to be stored again */
}

/* Stores the tree, restores it into w->to and checks dep/index.js there; its stat in st. */
static void restored_index(struct world *w, struct stat *st)
{
	char why[300] = "x", p[400];
	char *text;

	store(w);
	assert_int_equal(depcache_restore(w->cache, w->key, w->to, why, sizeof why), 1);
	snprintf(p, sizeof p, "%s/node_modules/dep/index.js", w->to);
	text = slurp(p);
	assert_string_equal(text, "module.exports = 1;\n");
	free(text);
	assert_int_equal(stat(p, st), 0);
}

static void test_round_trip(void **state)
{
	struct world *w = *state;
	char p[400], link[100] = "";
	struct stat st, cst;

	restored_index(w, &st);
	/* a link to the entry's file (one file system here) or a copy; a link is read-only, as
	 * the entry's files are: nothing writes one in place (the sandbox overlays the folder) */
	snprintf(p, sizeof p, "%s/%s/tree/dep/index.js", w->cache, w->key);
	assert_int_equal(stat(p, &cst), 0);
	assert_int_equal(cst.st_mode & 0222, 0);
	assert_true(cst.st_ino != st.st_ino || (st.st_mode & 0222) == 0);
	snprintf(p, sizeof p, "%s/node_modules/dep/cli.js", w->to);
	assert_int_equal(stat(p, &st), 0);
	assert_true(st.st_mode & 0100);
	snprintf(p, sizeof p, "%s/node_modules/.bin/dep", w->to);
	assert_true(readlink(p, link, sizeof link - 1) > 0);
	assert_string_equal(link, "../dep/cli.js");
}

/* Across file systems (a tmpfs cache, the package on disk, or the other way) every file is
 * copied: the restored one is writable by its owner and not the entry's. */
static void test_round_trip_copied(void **state)
{
	struct world *w = *state;
	char shm[] = "/dev/shm/mcpaudit-depcache-XXXXXX", p[400];
	struct stat st, fst;

	if (!mkdtemp(shm))
		unit_skip("no /dev/shm to hold a cache on another file system");
	snprintf(w->cache, sizeof w->cache, "%s/cache", shm);
	snprintf(p, sizeof p, "%s/node_modules/dep/index.js", w->from);
	if (stat(shm, &st) != 0 || stat(p, &fst) != 0 || st.st_dev == fst.st_dev) {
		source_remove_tree(shm);
		unit_skip("/dev/shm and /tmp are one file system: nothing to copy across");
	}
	restored_index(w, &st);
	assert_int_equal(st.st_mode & 0777, 0644);
	source_remove_tree(shm);
}

static void test_none(void **state)
{
	struct world *w = *state;
	char why[300] = "x";

	assert_int_equal(depcache_restore(w->cache, w->key, w->to, why, sizeof why), 0);
	assert_string_equal(why, "");
}

static void test_tampered_file_refused(void **state)
{
	struct world *w = *state;

	store(w);
	tamper(w, "dep/index.js", "require('child_process').exec('id');\n");
	refused(w, w->key);
}

static void test_added_file_refused(void **state)
{
	struct world *w = *state;
	char p[400];

	store(w);
	snprintf(p, sizeof p, "%s/%s/tree/dep", w->cache, w->key);
	chmod(p, 0755);
	snprintf(p, sizeof p, "%s/%s/tree/dep/extra.js", w->cache, w->key);
	put(p, "x\n", 0444);
	snprintf(p, sizeof p, "%s/%s/tree/dep", w->cache, w->key);
	chmod(p, 0555);
	refused(w, w->key);
}

/* Two files joined into one, the second's record inside the first's bytes: with the bytes
 * hashed as they come (a newline after each file) the stream was the same and the entry
 * was used (checked with the depcache.c of c4386c9); each file's own digest goes into the
 * hash now, of fixed length. */
static void test_files_joined_refused(void **state)
{
	struct world *w = *state;
	static const char joined[] = "#!/usr/bin/env node\n\nf-\0dep/index.js\0module.exports = 1;\n";
	char p[400];
	FILE *f;

	store(w);
	snprintf(p, sizeof p, "%s/%s/tree/dep", w->cache, w->key);
	chmod(p, 0755);
	snprintf(p, sizeof p, "%s/%s/tree/dep/cli.js", w->cache, w->key);
	chmod(p, 0755);
	assert_non_null(f = fopen(p, "w"));
	assert_int_equal(fwrite(joined, 1, sizeof joined - 1, f), sizeof joined - 1);
	fclose(f);
	chmod(p, 0555);
	snprintf(p, sizeof p, "%s/%s/tree/dep/index.js", w->cache, w->key);
	assert_int_equal(unlink(p), 0);
	snprintf(p, sizeof p, "%s/%s/tree/dep", w->cache, w->key);
	chmod(p, 0555);
	refused(w, w->key);
}

/* Another lockfile's tree under this lockfile's name: its digest was made with its key. */
static void test_entry_under_other_key_refused(void **state)
{
	struct world *w = *state;
	char other[DEPCACHE_KEY_LEN + 1], a[300], b[300];

	store(w);
	depcache_key("{\"lockfileVersion\": 2}", 22, other);
	snprintf(a, sizeof a, "%s/%s", w->cache, w->key);
	snprintf(b, sizeof b, "%s/%s", w->cache, other);
	assert_int_equal(rename(a, b), 0);
	refused(w, other);
}

static void test_writable_by_others_refused(void **state)
{
	struct world *w = *state;
	char p[300];

	store(w);
	snprintf(p, sizeof p, "%s/%s", w->cache, w->key);
	assert_int_equal(chmod(p, 0770), 0);
	refused(w, w->key);
}

static void test_other_owner_refused(void **state)
{
	struct world *w = *state;
	char p[300];

	if (geteuid() != 0)
		unit_skip("only root can give the entry to another user");
	store(w);
	snprintf(p, sizeof p, "%s/%s/digest", w->cache, w->key);
	assert_int_equal(chown(p, 65534, 65534), 0);
	refused(w, w->key);
}

static void test_fifo_not_stored(void **state)
{
	struct world *w = *state;
	char p[300], err[300] = "";
	struct stat st;

	snprintf(p, sizeof p, "%s/node_modules/dep/pipe", w->from);
	assert_int_equal(mkfifo(p, 0644), 0);
	assert_int_equal(depcache_store(w->cache, w->key, w->from, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a file"));
	snprintf(p, sizeof p, "%s/%s", w->cache, w->key);
	assert_int_not_equal(lstat(p, &st), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_copied, setup, teardown),
		cmocka_unit_test_setup_teardown(test_none, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tampered_file_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_added_file_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_files_joined_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_entry_under_other_key_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_writable_by_others_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_owner_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_not_stored, setup, teardown),
	};
	return unit_finish(cmocka_run_group_tests(tests, NULL, NULL));
}
