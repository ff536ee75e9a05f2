/* trust_store: the system certificate folder, as the sandbox sees it, with the run's CA. */
#include "tracer/trust_store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/strbuf.h"

#define ENTRIES_MAX 4096 /* entries of the host's folder copied; more is an error */

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Copies the host file from/name to fd (at most TRUST_STORE_MAX bytes). Returns 0 or -1. */
static int copy_into(int from, const char *name, int fd)
{
	char buf[65536];
	size_t total = 0;
	ssize_t n;
	int src = openat(from, name, O_RDONLY | O_CLOEXEC);

	if (src < 0)
		return errno == ENOENT ? 0 : -1; /* a dangling name: nothing to copy */
	while ((n = read(src, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
		if (n < 0)
			continue;
		total += (size_t)n;
		if (total > TRUST_STORE_MAX || xwrite_all(fd, buf, (size_t)n) != 0) {
			n = -1;
			break;
		}
	}
	close(src);
	return n < 0 ? -1 : 0;
}

/* The bundle: the host's (when it has one) then pem, on a line of its own. */
static int write_bundle(int from, const char *stage, const char *pem, char *err, size_t errlen)
{
	char path[PATH_MAX];
	int fd, rc;

	snprintf(path, sizeof path, "%s/%s", stage, TRUST_STORE_BUNDLE);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return fail(err, errlen, "create %s: %s", path, strerror(errno));
	rc = copy_into(from, TRUST_STORE_BUNDLE, fd) == 0 && xwrite_all(fd, "\n", 1) == 0 &&
	     xwrite_all(fd, pem, strlen(pem)) == 0 ? 0 : -1;
	close(fd);
	return rc ? fail(err, errlen, "write %s: %s", path, strerror(errno)) : 0;
}

/* One entry of the host's folder, made again in stage: a link as it is, a file copied, a
 * folder bound (Java's keystore lives in one). Other kinds are left out. */
static int copy_entry(int from, const char *stage, const char *name, char *err, size_t errlen)
{
	char path[PATH_MAX], host[PATH_MAX], target[PATH_MAX];
	struct stat st;
	ssize_t n;
	int fd, rc = 0;

	if (fstatat(from, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
		return 0;
	snprintf(path, sizeof path, "%s/%s", stage, name);
	if (S_ISLNK(st.st_mode)) {
		if ((n = readlinkat(from, name, target, sizeof target - 1)) < 0)
			return 0;
		target[n] = '\0';
		return symlink(target, path) == 0 ? 0 : fail(err, errlen, "symlink %s: %s", path, strerror(errno));
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(host, sizeof host, "%s/%s", TRUST_STORE_DIR, name);
		if (mkdir(path, 0755) != 0 || mount(host, path, NULL, MS_BIND | MS_REC, NULL) != 0)
			return fail(err, errlen, "bind %s: %s", host, strerror(errno));
		return 0;
	}
	if (!S_ISREG(st.st_mode))
		return 0;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)) < 0 || copy_into(from, name, fd) != 0)
		rc = fail(err, errlen, "copy %s/%s: %s", TRUST_STORE_DIR, name, strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

static int copy_entries(int from, const char *stage, const char *skip, char *err, size_t errlen)
{
	int dfd = dup(from);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	struct dirent *e;
	size_t n = 0;
	int rc = 0;

	if (!d) {
		if (dfd >= 0)
			close(dfd);
		return fail(err, errlen, "read %s: %s", TRUST_STORE_DIR, strerror(errno));
	}
	while (rc == 0 && (e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..") || !strcmp(e->d_name, TRUST_STORE_BUNDLE) ||
		    !strcmp(e->d_name, skip))
			continue;
		if (++n > ENTRIES_MAX)
			rc = fail(err, errlen, "%s has over %d entries", TRUST_STORE_DIR, ENTRIES_MAX);
		else
			rc = copy_entry(from, stage, e->d_name, err, errlen);
	}
	closedir(d);
	return rc;
}

int trust_store_add(const char *stage, const char *pem, const char *hashed_name, char *err, size_t errlen)
{
	char opts[64], path[PATH_MAX];
	int from, fd, rc = -1;

	from = open(TRUST_STORE_DIR, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (from < 0)
		return errno == ENOENT || errno == ENOTDIR ? 1 : fail(err, errlen, "open %s: %s", TRUST_STORE_DIR, strerror(errno));
	snprintf(opts, sizeof opts, "size=%zu,mode=0755", TRUST_STORE_MAX);
	if (mkdir(stage, 0755) != 0 || mount("tmpfs", stage, "tmpfs", MS_NOSUID | MS_NODEV, opts) != 0) {
		fail(err, errlen, "mount tmpfs on %s: %s", stage, strerror(errno));
		goto out;
	}
	if (copy_entries(from, stage, hashed_name, err, errlen) || write_bundle(from, stage, pem, err, errlen))
		goto out;
	snprintf(path, sizeof path, "%s/%s", stage, hashed_name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0 || xwrite_all(fd, pem, strlen(pem)) != 0) {
		fail(err, errlen, "write %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		goto out;
	}
	close(fd);
	if (mount(stage, TRUST_STORE_DIR, NULL, MS_BIND | MS_REC, NULL) != 0) {
		fail(err, errlen, "bind the sandbox's %s: %s", TRUST_STORE_DIR, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(from);
	return rc;
}

/* Appends pem to the bundle name in the folder dfd. Returns 1 when done, 0 when it is not a
 * regular file, -1 on failure. */
static int append_pem(int dfd, const char *name, const char *pem)
{
	struct stat st;
	int fd, rc;

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(st.st_mode))
		return 0;
	if ((fd = openat(dfd, name, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return -1;
	rc = xwrite_all(fd, "\n", 1) == 0 && xwrite_all(fd, pem, strlen(pem)) == 0 ? 1 : -1;
	close(fd);
	return rc;
}

int trust_store_vendored_folder(int dfd, const char *name, const char *pem, char *err, size_t errlen)
{
	int found = strcmp(name, "certifi") ? 0 : append_pem(dfd, "cacert.pem", pem);

	return found < 0 ? fail(err, errlen, "add the run's CA to a vendored certifi bundle: %s", strerror(errno)) : found;
}

/* Walks the folder dfd (owned: closed here), named name, depth deep. Returns the bundles
 * changed, or -1 with err. */
static int walk_vendored(int dfd, const char *name, unsigned depth, const char *pem, char *err, size_t errlen)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	int found = 0, rc;

	if (!d) {
		close(dfd);
		return 0;
	}
	if ((found = trust_store_vendored_folder(dfd, name, pem, err, errlen)) < 0) {
		closedir(d);
		return -1;
	}
	while (depth < TRUST_STORE_VENDORED_DEPTH && (e = readdir(d)) != NULL) {
		int sub;
		if (e->d_type != DT_DIR || !strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue; /* DT_LNK and the like: links are not followed */
		if ((sub = openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) < 0)
			continue;
		if ((rc = walk_vendored(sub, e->d_name, depth + 1, pem, err, errlen)) < 0) {
			closedir(d);
			return -1;
		}
		found += rc;
	}
	closedir(d);
	return found;
}

int trust_store_add_vendored(const char *folder, const char *pem, char *err, size_t errlen)
{
	int dfd = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (dfd < 0)
		return fail(err, errlen, "open %s: %s", folder, strerror(errno));
	return walk_vendored(dfd, "", 0, pem, err, errlen);
}
