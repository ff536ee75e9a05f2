/* archive: see archive.h. */
#include "audit/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

struct unpack {
	struct archive *in, *out;
	char dest[PATH_MAX];
	const char *path;
	uint64_t max_bytes;
	size_t max_entries, seen;
	struct unpack_result *res;
	char *err;
	size_t errlen;
	/* the symbolic links written so far, and every path each one's target passes through
	 * (both from the top, lexically normalised): a link may not pass through a link */
	VEC(char *) links;
	VEC(char *) passed;
};

static int fail(struct unpack *u, const char *entry, const char *fmt, const char *detail)
	__attribute__((format(printf, 3, 0)));

static int fail(struct unpack *u, const char *entry, const char *fmt, const char *detail)
{
	char what[300];

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(what, sizeof what, fmt, detail);  /* fmt: a literal with one %s, from this file */
#pragma GCC diagnostic pop
	if (entry)
		snprintf(u->err, u->errlen, "%s: entry '%.200s': %s", u->path, entry, what);
	else
		snprintf(u->err, u->errlen, "%s: %s", u->path, what);
	return -1;
}

static int refuse(struct unpack *u, const char *entry, const char *reason)
{
	struct unpack_refusal r = {xasprintf("%.300s", entry ? entry : "(no name)"), xstrdup(reason)};

	if (!r.entry || !r.reason || vec_push(&u->res->refused, r) != 0) {
		free(r.entry);
		free(r.reason);
		return -1;
	}
	return 0;
}

/* A relative path with no ".." component, after any "./" prefixes: NULL when fine, else why. */
static const char *bad_path(const char *name)
{
	if (!name || !*name)
		return "no name";
	if (name[0] == '/')
		return "absolute path";
	for (const char *p = name; *p;) {
		size_t n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.')
			return "'..' in the path";
		p += n;
		while (*p == '/')
			p++;
	}
	return NULL;
}

/* Appends "/" (unless path is empty) and the n bytes at c to path[PATH_MAX]; false when it
 * would not fit. */
static bool append_component(char *path, size_t *len, const char *c, size_t n)
{
	if (*len + n + 2 >= PATH_MAX)
		return false;
	if (*len)
		path[(*len)++] = '/';
	memcpy(path + *len, c, n);
	*len += n;
	return true;
}

/* The paths a symbolic link at name pointing at target passes through, resolved lexically
 * from name's folder, each from the top ("a", "a/b", "a" again after "a/b/.."), pushed on
 * out (caller frees the strings). Returns false when the target is empty or absolute, climbs
 * above the top, or memory runs out. */
static bool link_steps(const char *name, const char *target, void *outp)
{
	VEC(char *) *out = outp;
	char path[PATH_MAX];
	size_t len = 0;
	const char *slash = strrchr(name, '/');

	if (!target || !*target || target[0] == '/')
		return false;
	/* start in name's folder, as a path from the top without "." components */
	for (const char *p = name; slash && p < slash;) {
		size_t n = strcspn(p, "/");
		if (n > (size_t)(slash - p))
			n = (size_t)(slash - p);
		if (n && !(n == 1 && p[0] == '.') && !append_component(path, &len, p, n))
			return false;
		p += n;
		while (p < slash && *p == '/')
			p++;
	}
	for (const char *p = target; *p;) {
		size_t n = strcspn(p, "/");
		char *step;
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			char *up = len ? memrchr(path, '/', len) : NULL;
			if (!len)
				return false;
			len = up ? (size_t)(up - path) : 0;
		} else if (n && !(n == 1 && p[0] == '.') && !append_component(path, &len, p, n)) {
			return false;
		}
		if (len && (!(step = xstrndup(path, len)) || vec_push(out, step) != 0)) {
			free(step);
			return false;
		}
		p += n;
		while (*p == '/')
			p++;
	}
	return true;
}

/* name without "./" components and doubled slashes, as link_steps writes paths. Caller frees. */
static char *normal_name(const char *name)
{
	struct strbuf b = STRBUF_INIT(PATH_MAX);

	for (const char *p = name; *p;) {
		size_t n = strcspn(p, "/");
		if (n && !(n == 1 && p[0] == '.')) {
			if (b.len)
				strbuf_putc(&b, '/');
			strbuf_append(&b, p, n);
		}
		p += n;
		while (*p == '/')
			p++;
	}
	return b.s ? strbuf_take(&b) : xstrdup("");
}

static bool listed(char *const *items, size_t len, const char *s)
{
	for (size_t i = 0; i < len; i++)
		if (strcmp(items[i], s) == 0)
			return true;
	return false;
}

static void free_strings(char **items, size_t len)
{
	for (size_t i = 0; i < len; i++)
		free(items[i]);
}

/* Why the symbolic link at name pointing at target must not be written, or NULL; a link
 * that is written is remembered. Lexically inside is not enough: "a -> ." then "b -> a/.."
 * climbs out through a, and so does "b -> a/.." written before "a -> .". So no link may pass
 * through another, in either order. "" means out of memory. */
static const char *link_refusal(struct unpack *u, const char *name, const char *target)
{
	VEC(char *) steps = {0};
	char *self = normal_name(name);
	const char *why = NULL;

	if (!self)
		return "";
	if (!link_steps(name, target, &steps))
		why = "symbolic link pointing outside the archive";
	for (size_t i = 0; !why && i < steps.len; i++)
		if (listed(u->links.items, u->links.len, steps.items[i]) || strcmp(steps.items[i], self) == 0)
			why = "symbolic link whose target passes through a symbolic link";
	if (!why && listed(u->passed.items, u->passed.len, self))
		why = "symbolic link that an earlier link's target passes through";
	if (!why) {
		if (vec_push(&u->links, self) != 0)
			why = "";
		else
			self = NULL;
		for (size_t i = 0; !why && i < steps.len; i++)
			if (vec_push(&u->passed, steps.items[i]) != 0)
				why = "";
			else
				steps.items[i] = NULL;
	}
	free_strings(steps.items, steps.len);
	vec_free(&steps);
	free(self);
	return why;
}

/* Why this entry must not be written, or NULL. */
static const char *refusal(struct archive_entry *e)
{
	const char *name = archive_entry_pathname(e), *why = bad_path(name);
	const char *hard = archive_entry_hardlink(e);

	if (why)
		return why;
	if (hard)
		return bad_path(hard) ? "hard link to a path outside the archive" : NULL;
	switch (archive_entry_filetype(e)) {
	case AE_IFREG:
	case AE_IFDIR:
		return NULL;
	case AE_IFLNK:
		return NULL;  /* link_refusal, which needs the links written so far */
	case AE_IFCHR:
	case AE_IFBLK:
		return "device node";
	case AE_IFIFO:
		return "FIFO";
	case AE_IFSOCK:
		return "socket";
	default:
		return "unknown entry type";
	}
}

/* Copies the entry's data, counting what is really written. */
static int copy_data(struct unpack *u, const char *name)
{
	const void *buf;
	size_t size;
	la_int64_t offset;
	char limit[64];

	for (;;) {
		int r = archive_read_data_block(u->in, &buf, &size, &offset);
		if (r == ARCHIVE_EOF)
			return 0;
		if (r < ARCHIVE_WARN)
			return fail(u, name, "damaged or truncated: %s", archive_error_string(u->in));
		u->res->bytes += size;
		if (u->res->bytes > u->max_bytes) {
			snprintf(limit, sizeof limit, "%llu", (unsigned long long)u->max_bytes);
			return fail(u, name, "unpacks to more than %s bytes (a decompression bomb?): stopped", limit);
		}
		if (archive_write_data_block(u->out, buf, size, offset) < ARCHIVE_WARN)
			return fail(u, name, "cannot write: %s", archive_error_string(u->out));
	}
}

/* Points the entry (and a hard link's target) into dest, with tame permissions. */
static int place(struct unpack *u, struct archive_entry *e)
{
	char *full = xasprintf("%s/%s", u->dest, archive_entry_pathname(e)), *link = NULL;
	unsigned type = archive_entry_filetype(e);

	if (!full)
		return -1;
	archive_entry_copy_pathname(e, full);
	if (archive_entry_hardlink(e)) {
		if (!(link = xasprintf("%s/%s", u->dest, archive_entry_hardlink(e)))) {
			free(full);
			return -1;
		}
		archive_entry_copy_hardlink(e, link);
	}
	/* the size an archive claims is not trusted: data is counted as it is written, and a
	 * declared size would let the writer extend a cut-off file to it */
	archive_entry_unset_size(e);
	if (type == AE_IFDIR)
		archive_entry_set_perm(e, 0755);
	else if (type == AE_IFREG)
		archive_entry_set_perm(e, archive_entry_perm(e) & 0111 ? 0755 : 0644);
	free(full);
	free(link);
	return 0;
}

static int one_entry(struct unpack *u, struct archive_entry *e)
{
	char name[400];
	const char *why;

	snprintf(name, sizeof name, "%s", archive_entry_pathname(e) ? archive_entry_pathname(e) : "");
	if (++u->seen > u->max_entries) {
		char n[32];
		snprintf(n, sizeof n, "%zu", u->max_entries);
		return fail(u, NULL, "more than %s entries (an archive bomb?): stopped", n);
	}
	why = refusal(e);
	if (!why && archive_entry_filetype(e) == AE_IFLNK && !archive_entry_hardlink(e) &&
	    (why = link_refusal(u, name, archive_entry_symlink(e))) && !*why)
		return fail(u, name, "%s", "out of memory");
	if (why)
		return refuse(u, name, why) != 0 ? fail(u, name, "%s", "out of memory") : 0;
	bool is_file = archive_entry_filetype(e) == AE_IFREG && !archive_entry_hardlink(e);
	if (place(u, e) != 0)
		return fail(u, name, "%s", "out of memory");
	if (archive_write_header(u->out, e) < ARCHIVE_WARN) {
		/* libarchive's own secure checks (a link through a link) land here */
		char reason[300];
		snprintf(reason, sizeof reason, "not written: %s", archive_error_string(u->out));
		return refuse(u, name, reason) != 0 ? fail(u, name, "%s", "out of memory") : 0;
	}
	/* zip entries streamed with a data descriptor declare no size: always read the data */
	if (is_file && copy_data(u, name) != 0)
		return -1;
	if (archive_write_finish_entry(u->out) < ARCHIVE_WARN)
		return fail(u, name, "cannot finish: %s", archive_error_string(u->out));
	u->res->entries++;
	return 0;
}

static int open_both(struct unpack *u)
{
	u->in = archive_read_new();
	u->out = archive_write_disk_new();
	if (!u->in || !u->out)
		return fail(u, NULL, "%s", "out of memory");
	archive_read_support_filter_all(u->in);
	archive_read_support_format_tar(u->in);
	archive_read_support_format_gnutar(u->in);
	archive_read_support_format_zip(u->in);
	/* never through an existing link; paths are checked above, and made absolute here */
	archive_write_disk_set_options(u->out, ARCHIVE_EXTRACT_SECURE_SYMLINKS | ARCHIVE_EXTRACT_SECURE_NODOTDOT);
	if (archive_read_open_filename(u->in, u->path, 64 * 1024) != ARCHIVE_OK)
		return fail(u, NULL, "cannot open: %s", archive_error_string(u->in));
	return 0;
}

int archive_unpack(const char *path, const char *dest, const struct unpack_limits *limits,
		   struct unpack_result *res, char *err, size_t errlen)
{
	struct unpack u = {.path = path, .res = res, .err = err, .errlen = errlen};
	struct archive_entry *e;
	int rc = -1, r;

	u.max_bytes = limits && limits->max_bytes ? limits->max_bytes : ARCHIVE_MAX_BYTES_DEFAULT;
	u.max_entries = limits && limits->max_entries ? limits->max_entries : ARCHIVE_MAX_ENTRIES_DEFAULT;
	if (!realpath(dest, u.dest)) {
		snprintf(err, errlen, "%s: %s", dest, strerror(errno));
		return -1;
	}
	if (open_both(&u) != 0)
		goto out;
	while ((r = archive_read_next_header(u.in, &e)) != ARCHIVE_EOF) {
		if (r < ARCHIVE_WARN) {
			fail(&u, NULL, "damaged or truncated: %s", archive_error_string(u.in));
			goto out;
		}
		if (one_entry(&u, e) != 0)
			goto out;
	}
	if (u.seen == 0) {
		fail(&u, NULL, "%s", "no entries: not an archive, or an empty one");
		goto out;
	}
	rc = 0;
out:
	if (u.in)
		archive_read_free(u.in);
	if (u.out)
		archive_write_free(u.out);
	free_strings(u.links.items, u.links.len);
	free_strings(u.passed.items, u.passed.len);
	vec_free(&u.links);
	vec_free(&u.passed);
	return rc;
}

void unpack_result_free(struct unpack_result *res)
{
	for (size_t i = 0; i < res->refused.len; i++) {
		free(res->refused.items[i].entry);
		free(res->refused.items[i].reason);
	}
	vec_free(&res->refused);
}
