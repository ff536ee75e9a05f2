/* fuzz_archive: the package unpacker (audit/archive.c archive_unpack) over tar, tar.gz, zip
 * and wheel bytes, with small limits so that a bomb stops early. Everything unpacked must
 * stay inside the destination folder: after each run the harness walks the temp folder and
 * aborts on any file outside dest (the archive itself aside) and on any symbolic link that
 * resolves (through other links too) to a place outside dest. */
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "audit/archive.h"
#include "tests/fuzz/fuzz_util.h"

static char archive[PATH_MAX], dest[PATH_MAX], real_dest[PATH_MAX];

static bool inside(const char *p, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(p, dir, n) == 0 && (p[n] == '/' || p[n] == '\0');
}

static int check_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	char target[PATH_MAX];

	if (ftw->level == 0 || strcmp(p, archive) == 0)
		return 0;
	if (!inside(p, dest)) {
		fprintf(stderr, "fuzz_archive: %s was written outside %s\n", p, dest);
		abort();
	}
	if (flag == FTW_SL && realpath(p, target) && !inside(target, real_dest)) {
		fprintf(stderr, "fuzz_archive: the link %s leads to %s, outside %s\n", p, target, dest);
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct unpack_limits limits = {.max_bytes = 4 << 20, .max_entries = 200};
	struct unpack_result res = {0};
	char err[512];

	fuzz_clear();
	snprintf(archive, sizeof archive, "%s", fuzz_write("package.tgz", data, size));
	snprintf(dest, sizeof dest, "%s", fuzz_mkdir("dest"));
	if (!realpath(dest, real_dest))
		abort();
	archive_unpack(archive, dest, &limits, &res, err, sizeof err);
	unpack_result_free(&res);
	nftw(fuzz_dir(), check_entry, 16, FTW_PHYS);
	return 0;
}
