/* Finding source files under a path without being led astray: links, loops, special files, dependency folders. */
#include "analyzer/walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/strbuf.h"

#define WALK_MAX_FILES 200000
#define WALK_MAX_DEPTH 64
/* Not in the header's contract but needed all the same: links inside the tree can make
 * a tree of empty folders exponentially large (two links to the next folder, 30 times
 * over) without ever looping, so folders visited and entries per folder are capped too. */
#define WALK_MAX_FOLDERS 200000
#define WALK_MAX_ENTRIES 1000000
#define WALK_MAX_PATH 4096

/* A folder on the current path, by identity: what a link loop comes back to. */
struct dir_id {
	dev_t dev;
	ino_t ino;
};

struct walker {
	struct walk_result *out;
	struct report *r;
	bool include_deps;
	char *root_real;        /* realpath of the root: followed links must stay under it */
	char path[WALK_MAX_PATH]; /* the entry being visited: root + "/" + rel */
	size_t len, root_len;
	struct dir_id path_ids[WALK_MAX_DEPTH + 1];
	unsigned folders;
	bool stopped;           /* a global cap was hit: walk no further */
	bool out_of_memory;
};

/* Folders that are never source of the server under audit, and are not dependencies. */
static const char *const ignored_dirs[] = {".git", ".hg", ".svn", "__pycache__"};
/* Folders holding installed dependencies (a virtualenv is recognised by its pyvenv.cfg). */
static const char *const dep_dirs[] = {"node_modules", "site-packages", "dist-packages"};
static const char *const python_dep_dirs[] = {"site-packages", "dist-packages"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static bool in_list(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

/* ---- Dependency package names ---- */

/* The package name at the start of p ("name/...", "@scope/name/...", or "mod.py"):
 * two segments for a scoped npm package, else one; a file directly in the dependency
 * folder is a single-file module, named without its extension. */
static char *package_name_at(const char *p, bool scoped)
{
	const char *end = strchr(p, '/');
	const char *dot;

	if (scoped && end)
		end = strchr(end + 1, '/');
	if (end)
		return xstrndup(p, (size_t)(end - p));
	dot = strrchr(p, '.');
	return xstrndup(p, dot && dot > p ? (size_t)(dot - p) : strlen(p));
}

static bool segment_is(const char *seg, size_t n, const char *const *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		if (strlen(list[i]) == n && strncmp(seg, list[i], n) == 0)
			return true;
	return false;
}

/* The package a file inside a dependency folder belongs to, from its relative path: after
 * the innermost node_modules, "name" or "@scope/name"; after the innermost site-packages or
 * dist-packages, the top-level module. NULL when the file is in no dependency folder. */
static char *package_for_rel(const char *rel)
{
	const char *pkg = NULL, *seg = rel;
	bool node = false;

	for (const char *end; (end = strchr(seg, '/')) != NULL; seg = end + 1) {
		size_t n = (size_t)(end - seg);

		if (n == 12 && strncmp(seg, "node_modules", n) == 0) {
			pkg = end + 1;
			node = true;
		} else if (segment_is(seg, n, python_dep_dirs, COUNT(python_dep_dirs))) {
			pkg = end + 1;
			node = false;
		}
	}
	if (!pkg || *pkg == '.')   /* .bin, .pnpm: npm's own folders, not packages */
		return NULL;
	return package_name_at(pkg, node && *pkg == '@');
}

/* ---- Recording what was not walked ---- */

/* A refusal: an incomplete entry, counted as a skipped file. */
static void refuse(struct walker *w, const char *rel, const char *reason, const char *detail)
{
	int rc;

	if (detail)
		rc = report_add_incomplete(w->r, rel, "%s (%s)", reason, detail);
	else
		rc = report_add_incomplete(w->r, rel, "%s", reason);
	if (rc != 0)
		w->out_of_memory = true;
	w->r->files_skipped++;
}

/* A global cap: recorded once, and the walk stops. */
static void stop(struct walker *w, const char *rel, unsigned cap, const char *what)
{
	if (report_add_incomplete(w->r, rel, "stopped after %u %s: the rest of the tree was not "
				  "scanned", cap, what) != 0)
		w->out_of_memory = true;
	w->stopped = true;
}

static const char *file_type_name(mode_t m)
{
	if (S_ISFIFO(m))
		return "a named pipe (FIFO)";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISBLK(m))
		return "a block device";
	return "not a regular file";
}

/* ---- Reading a folder ---- */

static int compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void free_names(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* The entry names of folder path, sorted so the walk (and the report) is the same on
 * every run. Returns 0, or -1 with errno set (the folder could not be read).
 * *truncated is set when the folder had more than WALK_MAX_ENTRIES entries. */
static int read_names(const char *path, char ***names_out, size_t *n_out, bool *truncated)
{
	VEC(char *) names = {0};
	struct dirent *de;
	DIR *d = opendir(path);
	int saved = 0;

	*truncated = false;
	if (!d)
		return -1;
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		char *copy;

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		if (names.len >= WALK_MAX_ENTRIES) {
			*truncated = true;
			break;
		}
		copy = xstrdup(de->d_name);
		if (!copy || vec_push(&names, copy) != 0) {
			free(copy);
			saved = ENOMEM;
			goto out;
		}
		errno = 0;
	}
	saved = errno;   /* readdir returns NULL on error too: tell the two apart */
out:
	closedir(d);
	if (saved) {
		free_names(names.items, names.len);
		errno = saved;
		return -1;
	}
	if (names.len > 1)   /* an empty folder has no array at all, and qsort wants one */
		qsort(names.items, names.len, sizeof *names.items, compare_names);
	*names_out = names.items;
	*n_out = names.len;
	return 0;
}

/* ---- The walk ---- */

/* The current entry, as root + "/" + rel in path (one buffer, grown and cut back as the
 * walk goes down and up, so a deep tree costs no stack). */
static const char *cur_path(const struct walker *w)
{
	return w->len ? w->path : "/";
}

static const char *cur_rel(const struct walker *w)
{
	return w->len > w->root_len ? w->path + w->root_len + 1 : ".";
}

/* Append "/name" to the current path. Returns false when it would not fit. */
static bool push_name(struct walker *w, const char *name)
{
	size_t n = strlen(name);

	if (w->len + 1 + n >= sizeof w->path)
		return false;
	w->path[w->len] = '/';
	memcpy(w->path + w->len + 1, name, n + 1);
	w->len += 1 + n;
	return true;
}

static void walk_dir(struct walker *w, const struct stat *st, unsigned depth);

/* True when real (a resolved path) is the root or lies under it. */
static bool inside_root(const struct walker *w, const char *real)
{
	size_t n = strlen(w->root_real);

	if (strncmp(real, w->root_real, n) != 0)
		return false;
	/* "/" as root: everything is inside; else the next byte must end a segment */
	return n == 1 || real[n] == '\0' || real[n] == '/';
}

static void add_file(struct walker *w, const char *path, const char *rel, enum grammar g, off_t size)
{
	struct source_file f;

	/* Checked before adding, so that exactly the cap is not reported as cut short. */
	if (w->out->files.len >= WALK_MAX_FILES) {
		stop(w, rel, WALK_MAX_FILES, "source files");
		return;
	}
	f = (struct source_file){xstrdup(path), xstrdup(rel), NULL, g, (long long)size};
	if (w->include_deps)
		f.package = package_for_rel(rel);
	if (!f.path || !f.rel || vec_push(&w->out->files, f) != 0) {
		free(f.path);
		free(f.rel);
		free(f.package);
		w->out_of_memory = true;
	}
}

/* A regular file: kept when it has a source extension and can be read. path is what
 * source_read will open: never a link itself (it opens with O_NOFOLLOW). */
static void visit_file(struct walker *w, const char *path, const char *rel, off_t size)
{
	const char *by_design = lang_skip_reason(rel);
	enum grammar g;

	if (by_design) {
		if (report_add_skipped(w->r, rel, by_design) != 0)
			w->out_of_memory = true;
		return;
	}
	if (!lang_for_path(rel, &g))
		return;
	if (access(path, R_OK) != 0) {
		refuse(w, rel, "cannot read", strerror(errno));
		return;
	}
	add_file(w, path, rel, g, size);
}

/* True for a folder of installed dependencies (the current path). */
static bool is_dep_dir(struct walker *w, const char *name)
{
	struct stat st;
	size_t len = w->len;
	bool venv;

	if (in_list(name, dep_dirs, COUNT(dep_dirs)))
		return true;
	venv = push_name(w, "pyvenv.cfg") && lstat(w->path, &st) == 0 && S_ISREG(st.st_mode);
	w->path[w->len = len] = '\0';
	return venv;
}

/* A folder met in the walk (the current path): skipped, refused, or entered. */
static void visit_dir(struct walker *w, const char *name, const struct stat *st, unsigned depth)
{
	if (in_list(name, ignored_dirs, COUNT(ignored_dirs)))
		return;
	if (!w->include_deps && is_dep_dir(w, name)) {
		w->out->deps_skipped++;
		return;
	}
	for (unsigned i = 0; i <= depth; i++) {
		if (w->path_ids[i].dev == st->st_dev && w->path_ids[i].ino == st->st_ino) {
			refuse(w, cur_rel(w), "symbolic link loop: leads back to a folder being walked",
			       NULL);
			return;
		}
	}
	if (depth + 1 > WALK_MAX_DEPTH) {
		refuse(w, cur_rel(w), "folder not entered: nested more than 64 levels deep", NULL);
		return;
	}
	if (++w->folders > WALK_MAX_FOLDERS) {
		stop(w, cur_rel(w), WALK_MAX_FOLDERS, "folders");
		return;
	}
	walk_dir(w, st, depth + 1);
}

/* A symbolic link (the current path): followed only when its target stays inside the
 * root. A link that is broken or leads out matters only when it could have been a source
 * file or a folder. Returns the target (caller frees) with *st describing it, or NULL. */
static char *follow_link(struct walker *w, struct stat *st)
{
	const char *rel = cur_rel(w);
	bool source = lang_for_path(rel, NULL);
	char *real = realpath(w->path, NULL);

	if (!real) {
		if (source || errno == ELOOP)
			refuse(w, rel, "broken symbolic link", strerror(errno));
		return NULL;
	}
	if (stat(real, st) != 0) {
		if (source)
			refuse(w, rel, "broken symbolic link", strerror(errno));
		goto fail;
	}
	if (!inside_root(w, real)) {
		if (source || S_ISDIR(st->st_mode))
			refuse(w, rel, "symbolic link out of the scanned folder, not followed", real);
		goto fail;
	}
	return real;
fail:
	free(real);
	return NULL;
}

/* One entry (the current path). */
static void visit(struct walker *w, const char *name, unsigned depth)
{
	const char *rel = cur_rel(w);
	char *real = NULL;
	struct stat st;

	if (lstat(w->path, &st) != 0) {
		if (lang_for_path(name, NULL))
			refuse(w, rel, "cannot stat", strerror(errno));
		return;
	}
	if (S_ISLNK(st.st_mode) && !(real = follow_link(w, &st)))
		return;
	if (S_ISDIR(st.st_mode))
		visit_dir(w, name, &st, depth);
	else if (S_ISREG(st.st_mode))
		visit_file(w, real ? real : w->path, rel, st.st_size);
	else if (lang_for_path(name, NULL))
		refuse(w, rel, "not read: it is", file_type_name(st.st_mode));
	free(real);
}

/* Walk the folder at the current path, which sits at depth on it (the root is 0). */
static void walk_dir(struct walker *w, const struct stat *st, unsigned depth)
{
	size_t len = w->len;
	char **names = NULL;
	size_t n = 0;
	bool truncated;

	if (read_names(cur_path(w), &names, &n, &truncated) != 0) {
		if (errno == ENOMEM)
			w->out_of_memory = true;
		else
			refuse(w, cur_rel(w), "cannot read folder", strerror(errno));
		return;
	}
	if (truncated)
		refuse(w, cur_rel(w), "folder has more than 1,000,000 entries: the rest were not read",
		       NULL);
	w->path_ids[depth] = (struct dir_id){st->st_dev, st->st_ino};
	for (size_t i = 0; i < n && !w->stopped && !w->out_of_memory; i++) {
		if (!push_name(w, names[i])) {
			refuse(w, cur_rel(w), "path longer than 4096 bytes, not read", names[i]);
			continue;
		}
		visit(w, names[i], depth);
		w->path[w->len = len] = '\0';
	}
	free_names(names, n);
}

/* ---- Entry points ---- */

/* A single file given on the command line: its folder is the root. */
static int walk_single_file(struct walker *w, const char *path, const struct stat *st,
			    const struct stat *lst)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;
	char *real = NULL;
	enum grammar g;

	w->out->root = slash ? (slash == path ? xstrdup("/") : xstrndup(path, (size_t)(slash - path)))
			     : xstrdup(".");
	if (!w->out->root)
		return -1;
	if (!lang_for_path(name, &g))
		return report_add_incomplete(w->r, name, "not a JavaScript, TypeScript or Python "
						      "source file, not scanned");
	/* The user named this file: follow it even if it is a link (source_read opens
	 * with O_NOFOLLOW, so hand it the target). */
	if (S_ISLNK(lst->st_mode) && !(real = realpath(path, NULL)))
		return -1;
	visit_file(w, real ? real : path, name, st->st_size);
	free(real);
	return 0;
}

static int walk_root_dir(struct walker *w, const char *path, const struct stat *st)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 1 && path[0] == '/')
		n = 0;   /* the root folder: children are "/name", not "//name" */
	if (n >= sizeof w->path) {
		errno = ENAMETOOLONG;
		return -1;
	}
	memcpy(w->path, path, n);
	w->path[n] = '\0';
	w->len = w->root_len = n;
	w->out->root = xstrdup(cur_path(w));
	w->root_real = realpath(cur_path(w), NULL);
	if (!w->out->root || !w->root_real)
		return -1;
	walk_dir(w, st, 0);
	return 0;
}

int walk_path(const char *path, bool include_deps, struct walk_result *out, struct report *r,
	      char *err, size_t errlen)
{
	struct walker *w;
	struct stat st, lst;
	int rc = -1;

	memset(out, 0, sizeof *out);
	if (stat(path, &st) != 0 || lstat(path, &lst) != 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a file or folder: it is %s", path,
			 file_type_name(st.st_mode));
		return -1;
	}
	if (S_ISDIR(st.st_mode) && access(path, R_OK | X_OK) != 0) {
		snprintf(err, errlen, "%s: cannot read folder: %s", path, strerror(errno));
		return -1;
	}
	w = calloc(1, sizeof *w);   /* holds a path buffer: too big for a thread's stack */
	if (!w) {
		snprintf(err, errlen, "%s: out of memory", path);
		return -1;
	}
	*w = (struct walker){.out = out, .r = r, .include_deps = include_deps};
	if (S_ISDIR(st.st_mode))
		rc = walk_root_dir(w, path, &st);
	else
		rc = walk_single_file(w, path, &st, &lst);
	if (rc != 0 || w->out_of_memory) {
		snprintf(err, errlen, "%s: %s", path, rc != 0 ? strerror(errno) : "out of memory");
		rc = -1;
		walk_result_free(out);
	}
	free(w->root_real);
	free(w);
	return rc;
}

void walk_result_free(struct walk_result *wr)
{
	if (!wr)
		return;
	for (size_t i = 0; i < wr->files.len; i++) {
		free(wr->files.items[i].path);
		free(wr->files.items[i].rel);
		free(wr->files.items[i].package);
	}
	vec_free(&wr->files);
	free(wr->root);
	wr->root = NULL;
	wr->deps_skipped = 0;
}

/* ---- Reading a source file ---- */

/* Bounds on the second byte of a multi-byte sequence, by lead byte; the remaining bytes
 * are always 80..BF. These exclude overlong forms (E0 80..9F, F0 80..8F), UTF-16
 * surrogates (ED A0..BF) and code points above U+10FFFF (F4 90..): Unicode 15, table 3-7. */
struct utf8_lead {
	uint8_t first, last;   /* lead byte range */
	uint8_t lo, hi;        /* second byte range */
	uint8_t length;        /* bytes in the sequence */
};

static const struct utf8_lead utf8_leads[] = {
	{0xC2, 0xDF, 0x80, 0xBF, 2}, {0xE0, 0xE0, 0xA0, 0xBF, 3}, {0xE1, 0xEC, 0x80, 0xBF, 3},
	{0xED, 0xED, 0x80, 0x9F, 3}, {0xEE, 0xEF, 0x80, 0xBF, 3}, {0xF0, 0xF0, 0x90, 0xBF, 4},
	{0xF1, 0xF3, 0x80, 0xBF, 4}, {0xF4, 0xF4, 0x80, 0x8F, 4},
};

/* Length of the well-formed UTF-8 sequence at p, or 0 when it is ill-formed or cut short. */
static size_t utf8_sequence(const uint8_t *p, size_t len)
{
	const struct utf8_lead *l = NULL;

	if (p[0] < 0x80)
		return 1;
	for (size_t i = 0; i < COUNT(utf8_leads) && !l; i++)
		if (p[0] >= utf8_leads[i].first && p[0] <= utf8_leads[i].last)
			l = &utf8_leads[i];
	if (!l || len < l->length || p[1] < l->lo || p[1] > l->hi)
		return 0;
	for (size_t i = 2; i < l->length; i++)
		if (p[i] < 0x80 || p[i] > 0xBF)
			return 0;
	return l->length;
}

/* 1-based line of the first byte that is not well-formed UTF-8, or 0 when all are. */
static unsigned first_bad_utf8_line(const uint8_t *p, size_t len)
{
	unsigned line = 1;

	for (size_t i = 0, n; i < len; i += n) {
		n = utf8_sequence(p + i, len - i);
		if (n == 0)
			return line;
		if (p[i] == '\n' && line < UINT_MAX)
			line++;
	}
	return 0;
}

static void describe_size(char *buf, size_t buflen, size_t bytes)
{
	if (bytes >= ((size_t)1 << 20) && bytes % ((size_t)1 << 20) == 0)
		snprintf(buf, buflen, "%zu MiB", bytes >> 20);
	else
		snprintf(buf, buflen, "%zu bytes", bytes);
}

/* Open path for reading, refusing links and anything but a regular file; O_NONBLOCK so
 * that a FIFO swapped in after the walk cannot block the open. Returns the descriptor
 * and its size, or -1 with why filled in. */
static int open_regular(const char *path, size_t max_bytes, off_t *size, char *why, size_t whylen)
{
	char limit[32];
	struct stat st;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ELOOP)
			snprintf(why, whylen, "not read: it is a symbolic link");
		else
			snprintf(why, whylen, "cannot read: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0) {
		snprintf(why, whylen, "cannot read: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "not read: it is %s", file_type_name(st.st_mode));
		close(fd);
		return -1;
	}
	if ((uintmax_t)st.st_size > max_bytes) {
		describe_size(limit, sizeof limit, max_bytes);
		snprintf(why, whylen, "file is larger than %s (%jd bytes)", limit, (intmax_t)st.st_size);
		close(fd);
		return -1;
	}
	*size = st.st_size;
	return fd;
}

/* Read up to cap bytes (fewer if the file shrank). Returns the count, or -1 with errno set. */
static ssize_t read_all(int fd, char *buf, size_t cap)
{
	size_t got = 0;

	while (got < cap) {
		ssize_t n = read(fd, buf + got, cap - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return (ssize_t)got;
}

char *source_read(const char *path, size_t max_bytes, size_t *len, unsigned *bad_utf8_line,
		  char *why, size_t whylen)
{
	const char *nul;
	char *buf = NULL;
	off_t size;
	ssize_t n;
	int fd = open_regular(path, max_bytes, &size, why, whylen);

	*len = 0;
	*bad_utf8_line = 0;
	if (fd < 0)
		return NULL;
	/* The size at fstat is the cap: bytes appended while we read are not ours to judge. */
	buf = malloc((size_t)size + 1);
	if (!buf) {
		snprintf(why, whylen, "cannot read: out of memory");
		goto fail;
	}
	n = read_all(fd, buf, (size_t)size);
	if (n < 0) {
		snprintf(why, whylen, "cannot read: %s", strerror(errno));
		goto fail;
	}
	buf[n] = '\0';
	nul = memchr(buf, '\0', (size_t)n);
	if (nul) {
		snprintf(why, whylen, "binary content (NUL byte at offset %td)", nul - buf);
		goto fail;
	}
	close(fd);
	*len = (size_t)n;
	*bad_utf8_line = first_bad_utf8_line((const uint8_t *)buf, (size_t)n);
	return buf;
fail:
	free(buf);
	close(fd);
	return NULL;
}
