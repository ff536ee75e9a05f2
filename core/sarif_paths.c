/* sarif_paths: SARIF uris relative to the repository root, and UTF-16 columns. */
#include "core/sarif_paths.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CLIMB 64                       /* folders climbed looking for .git */
#define MAX_SOURCE_BYTES ((off_t)64 << 20)  /* a longer file gets no column */

static const char *const base_descriptions[] = {
	[SARIF_BASE_REPOSITORY] = "the root of the git repository holding the target",
	[SARIF_BASE_GIVEN] = "the folder given with --sarif-root",
	[SARIF_BASE_TARGET] = "the audited target's own folder (no git repository above it)",
};

const char *sarif_base_description(const struct sarif_base *b)
{
	return base_descriptions[b->kind];
}

/* Cuts path (absolute) to its parent folder. False at "/". */
static bool climb(char *path)
{
	char *slash = strrchr(path, '/');

	if (strcmp(path, "/") == 0 || !slash)
		return false;
	if (slash == path)
		path[1] = '\0';
	else
		*slash = '\0';
	return true;
}

/* The folder above dir (itself included) holding ".git", a folder or, in a worktree or a
 * submodule, a file: read with lstat only, nothing of it is run or followed. */
static bool find_repository(const char *dir, char *out, size_t len)
{
	char at[PATH_MAX], probe[PATH_MAX + 8];
	struct stat st;

	snprintf(at, sizeof at, "%s", dir);
	for (int i = 0; i < MAX_CLIMB; i++) {
		snprintf(probe, sizeof probe, "%s%s.git", at, strcmp(at, "/") ? "/" : "");
		if (lstat(probe, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode))) {
			snprintf(out, len, "%s", at);
			return true;
		}
		if (!climb(at))
			break;
	}
	return false;
}

int sarif_base_init(struct sarif_base *b, const char *report_root, const char *given)
{
	const char *root = report_root && *report_root ? report_root : ".";
	char cwd[PATH_MAX];

	memset(b, 0, sizeof *b);
	/* a root that is gone (an audit's unpacked copy, a report built in a test) is still
	 * named, made absolute by its text */
	if (!realpath(root, b->target)) {
		if (root[0] != '/' && !getcwd(cwd, sizeof cwd))
			return -1;
		if ((size_t)snprintf(b->target, sizeof b->target, "%s/%s", root[0] == '/' ? "" : cwd, root) >=
		    sizeof b->target)
			return -1;
	}
	if (given) {
		b->kind = SARIF_BASE_GIVEN;
		return realpath(given, b->root) ? 0 : -1;
	}
	if (find_repository(b->target, b->root, sizeof b->root)) {
		b->kind = SARIF_BASE_REPOSITORY;
		return 0;
	}
	b->kind = SARIF_BASE_TARGET;
	snprintf(b->root, sizeof b->root, "%s", b->target);
	return 0;
}

/* The segments of an absolute path after lexical clean-up ("." dropped, ".." pops), into
 * segs (pointers into buf, which it modifies). Returns how many. */
static size_t segments(char *buf, const char **segs, size_t max)
{
	size_t n = 0;

	for (char *p = buf, *next; p && *p; p = next) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		next = strchr(p, '/');
		if (next)
			*next++ = '\0';
		if (strcmp(p, ".") == 0)
			continue;
		if (strcmp(p, "..") == 0) {
			if (n)
				n--;
			continue;
		}
		if (n < max)
			segs[n++] = p;
	}
	return n;
}

/* RFC 3986 path percent-encoding: unreserved characters stay, every other byte (space,
 * '%', '#', '?', non-ASCII, hostile bytes) becomes %XX. */
static int encode_segment(struct strbuf *out, const char *s)
{
	int rc = 0;

	for (const unsigned char *p = (const unsigned char *)s; *p && rc == 0; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr("-._~", *p))
			rc = strbuf_putc(out, (char)*p);
		else
			rc = strbuf_printf(out, "%%%02X", *p);
	}
	return rc;
}

int sarif_base_uri(const struct sarif_base *b, const char *file, struct strbuf *out)
{
	enum { MAX_SEGS = 256 };
	char full[2 * PATH_MAX + 2], base[PATH_MAX];
	const char *fs[MAX_SEGS], *bs[MAX_SEGS];
	size_t nf, nb, common = 0;
	int rc = 0;

	snprintf(full, sizeof full, "%s/%s", file[0] == '/' ? "" : b->target, file);
	snprintf(base, sizeof base, "%s", b->root);
	nf = segments(full, fs, MAX_SEGS);
	nb = segments(base, bs, MAX_SEGS);
	while (common < nf && common < nb && strcmp(fs[common], bs[common]) == 0)
		common++;
	for (size_t i = common; i < nb && rc == 0; i++)
		rc = strbuf_puts(out, "../");
	for (size_t i = common; i < nf && rc == 0; i++)
		rc = (i > common ? strbuf_putc(out, '/') : 0) || encode_segment(out, fs[i]);
	if (rc == 0 && nf == common)
		rc = strbuf_putc(out, '.');
	return rc ? -1 : 0;
}

/* UTF-16 code units of the first n bytes of s (a UTF-8 lead byte of 4 counts 2; a
 * continuation byte nothing; an invalid byte 1, as a replacement character). */
static unsigned utf16_units(const unsigned char *s, size_t n)
{
	unsigned units = 0;

	for (size_t i = 0; i < n; i++) {
		if ((s[i] & 0xC0) == 0x80)
			continue;
		units += s[i] >= 0xF0 && s[i] <= 0xF4 ? 2 : 1;
	}
	return units;
}

unsigned sarif_utf16_column(const struct sarif_base *b, const char *file, unsigned line, unsigned byte_column)
{
	char path[2 * PATH_MAX + 2];
	struct stat st;
	FILE *f = NULL;
	char *text = NULL;
	size_t cap = 0;
	ssize_t got = -1;
	unsigned column = 0;
	int fd;

	if (!line || !byte_column)
		return 0;
	snprintf(path, sizeof path, "%s/%s", file[0] == '/' ? "" : b->target, file);
	/* a FIFO must not hang the writer, nor a device feed it for ever */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > MAX_SOURCE_BYTES ||
	    !(f = fdopen(fd, "r"))) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	for (unsigned n = 0; n < line; n++)
		if ((got = getline(&text, &cap, f)) < 0)
			break;
	if (got >= 0 && (size_t)got >= byte_column - 1)
		column = utf16_units((const unsigned char *)text, byte_column - 1) + 1;
	free(text);
	fclose(f);
	return column;
}
