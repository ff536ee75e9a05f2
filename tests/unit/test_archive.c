/* archive: real archives written at test time with libarchive (tar.gz, zip), good and
 * hostile; each hostile one is refused with a reason or stopped with an error, and nothing
 * appears outside the private folder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <archive.h>
#include <archive_entry.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "audit/archive.h"

static char top[64], dest[128], arc[128], outside[128];

static int setup(void **state)
{
	(void)state;
	snprintf(top, sizeof top, "/tmp/mcpaudit-archive-XXXXXX");
	if (!mkdtemp(top))
		return -1;
	snprintf(dest, sizeof dest, "%s/x/y", top);  /* two levels down: ../.. stays in top */
	snprintf(arc, sizeof arc, "%s/a.pkg", top);
	snprintf(outside, sizeof outside, "%s/x/escaped", top);
	char d[128];
	snprintf(d, sizeof d, "%s/x", top);
	return mkdir(d, 0755) == 0 && mkdir(dest, 0755) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	return system(cmd) == 0 ? 0 : -1;
}

struct item {
	const char *name;
	unsigned type;       /* AE_IFREG, AE_IFDIR, AE_IFLNK, AE_IFCHR */
	const char *data;    /* file content, or the link target */
	const char *hardlink;
};

static struct archive *writer(bool zip)
{
	struct archive *a = archive_write_new();

	assert_non_null(a);
	if (zip) {
		archive_write_set_format_zip(a);
	} else {
		archive_write_set_format_pax_restricted(a);
		archive_write_add_filter_gzip(a);
	}
	assert_int_equal(archive_write_open_filename(a, arc), ARCHIVE_OK);
	return a;
}

static void add(struct archive *a, const struct item *it)
{
	struct archive_entry *e = archive_entry_new();
	size_t len = it->type == AE_IFREG && it->data ? strlen(it->data) : 0;

	archive_entry_set_pathname(e, it->name);
	archive_entry_set_filetype(e, it->type);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)len);
	if (it->type == AE_IFLNK)
		archive_entry_set_symlink(e, it->data);
	if (it->type == AE_IFCHR)
		archive_entry_set_rdev(e, makedev(1, 3));
	if (it->hardlink)
		archive_entry_set_hardlink(e, it->hardlink);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	if (len)
		assert_int_equal(archive_write_data(a, it->data, len), (la_ssize_t)len);
	archive_entry_free(e);
}

static void make(bool zip, const struct item *items, size_t n)
{
	struct archive *a = writer(zip);

	for (size_t i = 0; i < n; i++)
		add(a, &items[i]);
	assert_int_equal(archive_write_free(a), ARCHIVE_OK);
}

static bool exists(const char *rel_to_top)
{
	char p[256];
	struct stat st;

	snprintf(p, sizeof p, "%s/%s", top, rel_to_top);
	return lstat(p, &st) == 0;
}

static const char *reason_for(const struct unpack_result *r, const char *entry)
{
	for (size_t i = 0; i < r->refused.len; i++)
		if (strcmp(r->refused.items[i].entry, entry) == 0)
			return r->refused.items[i].reason;
	return NULL;
}

static void test_good_package(void **state)
{
	static const struct item items[] = {
		{"package/", AE_IFDIR, NULL, NULL},
		{"package/package.json", AE_IFREG, "{\"name\": \"x\"}\n", NULL},
		{"package/dist/index.js", AE_IFREG, "console.log(1)\n", NULL},
		{"package/README.md", AE_IFLNK, "dist/../package.json", NULL},
	};
	struct unpack_result r = {0};
	char err[512] = "";
	(void)state;

	for (int zip = 0; zip <= 1; zip++) {
		make(zip, items, 4);
		assert_int_equal(archive_unpack(arc, dest, NULL, &r, err, sizeof err), 0);
		assert_int_equal(r.refused.len, 0);
		assert_int_equal(r.entries, 4);
		assert_true(exists("x/y/package/dist/index.js"));
		assert_true(exists("x/y/package/README.md"));
		unpack_result_free(&r);
		memset(&r, 0, sizeof r);
		char cmd[256];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'/*", dest);
		assert_int_equal(system(cmd), 0);
	}
}

static void test_hostile_entries(void **state)
{
	char abs_name[160];
	struct item items[] = {
		{"../escaped", AE_IFREG, "up\n", NULL},
		{"a/../../escaped2", AE_IFREG, "up\n", NULL},
		{abs_name, AE_IFREG, "abs\n", NULL},
		{"link", AE_IFLNK, "../../x/escaped3", NULL},
		{"abslink", AE_IFLNK, "/etc", NULL},
		{"hard", AE_IFREG, NULL, "/etc/passwd"},
		{"hard2", AE_IFREG, NULL, "../escaped"},
		{"null", AE_IFCHR, NULL, NULL},
		{"ok.txt", AE_IFREG, "fine\n", NULL},
	};
	struct unpack_result r = {0};
	char err[512] = "";
	(void)state;

	snprintf(abs_name, sizeof abs_name, "%s/x/escaped4", top);
	make(false, items, sizeof items / sizeof *items);
	assert_int_equal(archive_unpack(arc, dest, NULL, &r, err, sizeof err), 0);
	assert_string_equal(reason_for(&r, "../escaped"), "'..' in the path");
	assert_string_equal(reason_for(&r, "a/../../escaped2"), "'..' in the path");
	assert_non_null(reason_for(&r, abs_name + 1) ? reason_for(&r, abs_name + 1) : reason_for(&r, abs_name));
	assert_string_equal(reason_for(&r, "link"), "symbolic link pointing outside the archive");
	assert_string_equal(reason_for(&r, "abslink"), "symbolic link pointing outside the archive");
	assert_string_equal(reason_for(&r, "hard"), "hard link to a path outside the archive");
	assert_string_equal(reason_for(&r, "hard2"), "hard link to a path outside the archive");
	assert_string_equal(reason_for(&r, "null"), "device node");
	assert_int_equal(r.entries, 1);
	assert_true(exists("x/y/ok.txt"));
	assert_false(exists("x/escaped"));
	assert_false(exists("escaped2"));
	assert_false(exists("x/escaped3"));
	assert_false(exists("x/escaped4"));
	assert_false(exists("x/y/link"));
	assert_false(exists("x/y/null"));
	unpack_result_free(&r);
}

/* A link whose target climbs through another link: each is inside on its own, together they
 * reach the folder above the package ("sub/l1 -> ." makes "sub/l1/.." the top, so
 * "l2 -> sub/l1/../.." is above it). Before link_refusal, l2 and m1 were written and not
 * listed (checked by running this test on the old build: reason_for(l2) was NULL). */
static void test_link_through_link(void **state)
{
	static const struct item items[] = {
		{"pkg/sub/", AE_IFDIR, NULL, NULL},
		{"pkg/sub/l1", AE_IFLNK, ".", NULL},
		{"pkg/l2", AE_IFLNK, "sub/l1/../..", NULL},
		/* the other order: the link passed through comes after the one passing */
		{"pkg/m2", AE_IFLNK, "d/m1/../../..", NULL},
		{"pkg/d/", AE_IFDIR, NULL, NULL},
		{"pkg/d/m1", AE_IFLNK, "..", NULL},
		{"pkg/ok", AE_IFLNK, "sub", NULL},
	};
	struct unpack_result r = {0};
	char err[512] = "";
	(void)state;

	make(false, items, sizeof items / sizeof *items);
	assert_int_equal(archive_unpack(arc, dest, NULL, &r, err, sizeof err), 0);
	assert_non_null(reason_for(&r, "pkg/l2"));
	assert_non_null(reason_for(&r, "pkg/d/m1"));
	assert_string_equal(reason_for(&r, "pkg/l2"), "symbolic link whose target passes through a symbolic link");
	assert_string_equal(reason_for(&r, "pkg/d/m1"), "symbolic link that an earlier link's target passes through");
	assert_null(reason_for(&r, "pkg/sub/l1"));
	assert_null(reason_for(&r, "pkg/m2"));
	assert_null(reason_for(&r, "pkg/ok"));
	assert_false(exists("x/y/pkg/l2"));
	assert_false(exists("x/y/pkg/d/m1"));
	assert_true(exists("x/y/pkg/ok"));
	unpack_result_free(&r);
}

static void test_zip_traversal(void **state)
{
	static const struct item items[] = {
		{"../../zipped", AE_IFREG, "up\n", NULL},
		{"pkg/ok.py", AE_IFREG, "print(1)\n", NULL},
	};
	struct unpack_result r = {0};
	char err[512] = "";
	(void)state;

	make(true, items, 2);
	assert_int_equal(archive_unpack(arc, dest, NULL, &r, err, sizeof err), 0);
	assert_string_equal(reason_for(&r, "../../zipped"), "'..' in the path");
	assert_false(exists("zipped"));
	assert_true(exists("x/y/pkg/ok.py"));
	unpack_result_free(&r);
}

/* 64 MiB of zeros compress to about 64 KiB: the limit on bytes written stops it. */
static void test_zip_bomb(void **state)
{
	struct archive *a;
	struct archive_entry *e = archive_entry_new();
	static char zeros[1 << 16];
	struct unpack_limits lim = {.max_bytes = 4 << 20};
	struct unpack_result r = {0};
	char err[512] = "";
	struct stat st;
	char path[256];
	(void)state;

	a = writer(true);
	archive_entry_set_pathname(e, "bomb.bin");
	archive_entry_set_filetype(e, AE_IFREG);
	archive_entry_set_perm(e, 0644);
	archive_entry_set_size(e, (la_int64_t)64 << 20);
	assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
	for (int i = 0; i < 1024; i++)
		assert_int_equal(archive_write_data(a, zeros, sizeof zeros), (la_ssize_t)sizeof zeros);
	archive_entry_free(e);
	assert_int_equal(archive_write_free(a), ARCHIVE_OK);
	assert_int_equal(stat(arc, &st), 0);
	assert_true(st.st_size < (1 << 20));
	assert_int_equal(archive_unpack(arc, dest, &lim, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "more than 4194304 bytes"));
	assert_non_null(strstr(err, "bomb.bin"));
	snprintf(path, sizeof path, "%s/bomb.bin", dest);
	assert_true(stat(path, &st) != 0 || st.st_size <= (4 << 20));
	unpack_result_free(&r);
}

/* 100,000 empty files: stopped at the entry limit, with an error, not a silent cut. */
static void test_many_files(void **state)
{
	struct archive *a = writer(false);
	struct unpack_limits lim = {.max_entries = 20000};
	struct unpack_result r = {0};
	char err[512] = "", name[32];
	(void)state;

	for (int i = 0; i < 100000; i++) {
		struct archive_entry *e = archive_entry_new();
		snprintf(name, sizeof name, "f/%d", i);
		archive_entry_set_pathname(e, name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, 0);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		archive_entry_free(e);
	}
	assert_int_equal(archive_write_free(a), ARCHIVE_OK);
	assert_int_equal(archive_unpack(arc, dest, &lim, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, "more than 20000 entries"));
	assert_int_equal(r.entries, 20000);
	unpack_result_free(&r);
}

static void test_truncated_and_garbage(void **state)
{
	static const struct item items[] = {
		{"pkg/big.js", AE_IFREG,
		 "/* a file long enough that cutting the archive lands in its data */\n"
		 "const a = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';\n",
		 NULL},
		{"pkg/next.js", AE_IFREG, "x\n", NULL},
	};
	struct unpack_result r = {0};
	char err[512] = "";
	struct stat st;
	FILE *f;
	(void)state;

	make(false, items, 2);
	assert_int_equal(stat(arc, &st), 0);
	assert_int_equal(truncate(arc, st.st_size / 2), 0);
	assert_int_equal(archive_unpack(arc, dest, NULL, &r, err, sizeof err), -1);
	if (!strstr(err, "truncated"))  /* at open (the gzip trailer) or in an entry's data */
		fail_msg("%s", err);
	assert_non_null(strstr(err, arc));
	unpack_result_free(&r);
	memset(&r, 0, sizeof r);
	f = fopen(arc, "w");
	assert_non_null(f);
	fputs("this is not an archive at all\n", f);
	fclose(f);
	assert_int_equal(archive_unpack(arc, dest, NULL, &r, err, sizeof err), -1);
	assert_non_null(strstr(err, arc));
	unpack_result_free(&r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_good_package, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_entries, setup, teardown),
		cmocka_unit_test_setup_teardown(test_link_through_link, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zip_traversal, setup, teardown),
		cmocka_unit_test_setup_teardown(test_zip_bomb, setup, teardown),
		cmocka_unit_test_setup_teardown(test_many_files, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_and_garbage, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
