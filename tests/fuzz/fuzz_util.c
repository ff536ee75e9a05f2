/* fuzz_util: a private temp folder per fuzzing process and input splitting (see fuzz_util.h). */
#include "tests/fuzz/fuzz_util.h"

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[PATH_MAX];
static char path[PATH_MAX];

static int remove_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
	if (ftw->level == 0)
		return 0; /* the folder itself: fuzz_clear keeps it */
	if (flag == FTW_DP)
		chmod(p, 0700); /* a folder an archive left read-only */
	return remove(p) == 0 || errno == ENOENT ? 0 : -1;
}

void fuzz_clear(void)
{
	if (dir[0])
		nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void remove_dir(void)
{
	fuzz_clear();
	rmdir(dir);
}

const char *fuzz_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	if (dir[0])
		return dir;
	snprintf(dir, sizeof dir, "%s/mcpaudit-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir)) {
		perror("fuzz_dir: mkdtemp");
		abort();
	}
	atexit(remove_dir);
	return dir;
}

/* Make every folder above the file path names. */
static void make_parents(char *full)
{
	for (char *s = strchr(full + strlen(fuzz_dir()) + 1, '/'); s; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(full, 0700) != 0 && errno != EEXIST) {
			perror(full);
			abort();
		}
		*s = '/';
	}
}

static const char *full_path(const char *rel)
{
	if ((size_t)snprintf(path, sizeof path, "%s/%s", fuzz_dir(), rel) >= sizeof path)
		abort();
	make_parents(path);
	return path;
}

const char *fuzz_write(const char *rel, const uint8_t *p, size_t n)
{
	const char *full = full_path(rel);
	FILE *f = fopen(full, "wb");

	if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f) != 0) {
		perror(full);
		abort();
	}
	return full;
}

const char *fuzz_mkdir(const char *rel)
{
	const char *full = full_path(rel);

	if (mkdir(full, 0700) != 0 && errno != EEXIST) {
		perror(full);
		abort();
	}
	return full;
}

size_t fuzz_split(const uint8_t *p, size_t n, struct fuzz_part *parts, size_t max)
{
	size_t k = 0;

	while (k + 1 < max) {
		const uint8_t *sep = n ? memchr(p, FUZZ_SEPARATOR, n) : NULL;
		if (!sep)
			break;
		parts[k++] = (struct fuzz_part){p, (size_t)(sep - p)};
		n -= (size_t)(sep - p) + 1;
		p = sep + 1;
	}
	parts[k++] = (struct fuzz_part){p, n};
	return k;
}
