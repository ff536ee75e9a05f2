/* Documented endpoints: the hosts a server's own README, docs, manifest and homepage name. */
#include "core/docs.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core/doc_words.h"
#include "core/hostname.h"
#include "core/json_read.h"
#include "core/json_report.h"
#include "core/policy.h"
#include "core/strbuf.h"
#include "core/url.h"

#define DOCS_FILE_MAX ((size_t)4 << 20)  /* larger files are not documentation */
#define DOCS_DEPTH_MAX 8                 /* docs/a/b/.../h */
#define DOCS_FILES_MAX 2000              /* files read per target */
#define DOCS_URL_MAX 2048                /* longer URLs are cut before parsing */

static const char code_hosts_list[] = "core/data/code_hosts.txt";
static const char community_links_list[] = "core/data/community_links.txt";

struct docs_walk {
	struct report *r;
	const char *root;           /* the folder sources are relative to */
	char real_root[PATH_MAX];   /* its resolved path: nothing outside it is read */
	unsigned files;             /* read so far, against DOCS_FILES_MAX */
	bool files_capped;          /* the cap was hit and said so once */
};

/* ---- what counts as a host in prose ---- */

/* Top-level domains that are also everyday file extensions ("README.md", "server.py",
 * "setup.sh", "main.rs", "MANIFEST.in") or property names ("package.name",
 * "init.author.email", "scripts.build", "user.id", "element.style"): in prose these name
 * files and fields far more often than hosts. A host under one of them is still taken from
 * a URL ("https://docs.rs", "https://example.info"). */
static const char *const ambiguous_tlds[] = {
	"md", "py", "sh", "rs", "zip", "java", "map", "so", "in", "tf", "pm", "ml", "mov",
	"name", "email", "build", "man", "inc", "run", "host", "data", "id", "style", "call",
	"next", "date", "click", "events", "post", "open", "read", "save", "search", "author",
	NULL,
};

/* Receivers that start "name.member" in code samples: "self.host", "response.data",
 * "app.run" are attribute accesses, not hosts, though .host, .data and .run are TLDs. */
static const char *const code_receivers[] = {
	"self", "this", "app", "req", "res", "request", "response", "resp", "os", "sys",
	"process", "config", "server", "client", "module", "exports", "window", "document",
	"json", "ctx", "args", "kwargs", "options", "opts", "params", "props", "event", "err",
	"error", "result", "data", "console", "logger", "log", "settings", "env", "url", NULL,
};

static bool in_list(const char *const *list, const char *s, size_t n)
{
	for (; *list; list++)
		if (strlen(*list) == n && strncasecmp(*list, s, n) == 0)
			return true;
	return false;
}

static bool plausible_bare_host(const char *host)
{
	const char *first_dot = strchr(host, '.'), *tld = strrchr(host, '.');

	if (!first_dot || !host_is_name(host) || !hostname_tld_known(host))
		return false;
	if (in_list(ambiguous_tlds, tld + 1, strlen(tld + 1)))
		return false;
	return !(first_dot == tld && in_list(code_receivers, host, (size_t)(first_dot - host)));
}

/* ---- recording ---- */

static int add_host(struct docs_walk *w, const char *host, const char *rel, unsigned line)
{
	char source[PATH_MAX + 16];

	if (host_is_local(host))
		return 0;  /* "http://localhost:3000" in a README documents no egress */
	snprintf(source, sizeof source, "%s:%u", rel, line);
	return report_add_documented(w->r, host, source, DOC_EXACT);
}

static bool is_token_char(char c)
{
	return isalnum((unsigned char)c) || c == '.' || c == '-' || c == '_';
}

/* Where a URL starting at p ends: at white space, quotes, brackets and the like. */
static size_t url_extent(const char *p, size_t n)
{
	size_t i = 0;

	while (i < n && !isspace((unsigned char)p[i]) && !strchr("\"'`<>()[]{}|^\\", p[i]))
		i++;
	return i;
}

struct link {
	const char *host, *path;
};

static int is_community_entry(const char *entry, void *arg)
{
	const struct link *l = arg;
	const char *slash = strchr(entry, '/');
	size_t hn = slash ? (size_t)(slash - entry) : strlen(entry);

	/* Returning 1 stops the walk: the URL is an invite or community link. */
	return strlen(l->host) == hn && strncasecmp(l->host, entry, hn) == 0 && slash &&
	       strncmp(l->path, slash, strlen(slash)) == 0;
}

/* An invite to a chat server (discord.com/invite/x): where people talk, not an API. */
static bool community_link(const char *host, const char *path)
{
	struct link l = {host, path && *path ? path : "/"};

	return policy_each_listed(community_links_list, is_community_entry, &l) != 0;
}

/* p[0..n) starts with a URL whose scheme is the token [p, p + scheme): add its host.
 * Returns how many bytes the URL takes, so the scan skips it. */
static size_t take_url(struct docs_walk *w, const char *p, size_t n, const char *rel,
		       unsigned line, int *rc)
{
	size_t len = url_extent(p, n);
	char buf[DOCS_URL_MAX];
	struct url_parts u;

	memcpy(buf, p, len < sizeof buf ? len : sizeof buf - 1);
	buf[len < sizeof buf ? len : sizeof buf - 1] = '\0';
	if (url_parse(buf, &u) && (host_is_name(u.host) || host_is_ip(u.host)) &&
	    !community_link(u.host, buf + u.path_offset) && add_host(w, u.host, rel, line) != 0)
		*rc = -1;
	return len;
}

/* A bare token [p, p + n) in prose: strip sentence punctuation, then keep it if it looks
 * like a real host. before/after are the bytes around it (or '\0'). */
static int take_token(struct docs_walk *w, const char *p, size_t n, char before, char after,
		      const char *rel, unsigned line)
{
	char host[URL_HOST_MAX];

	while (n && strchr(".-_", p[n - 1]))
		n--;
	while (n && strchr(".-_", p[0]))
		p++, n--;
	if (n == 0 || n >= sizeof host)
		return 0;
	/* "user@example.com" documents example.com, not "user"; "src/config.io" is a path;
	 * "asyncio.run(" is a call. */
	if (after == '@' || after == '(' || after == '[' || before == '/' || before == '\\')
		return 0;
	for (size_t i = 0; i < n; i++)
		host[i] = (char)tolower((unsigned char)p[i]);
	host[n] = '\0';
	if (plausible_bare_host(host) || host_is_ipv4(host))
		return add_host(w, host, rel, line);
	return 0;
}

/* Every URL and bare host name in one line of text. */
static int scan_line(struct docs_walk *w, const char *p, size_t n, const char *rel, unsigned line)
{
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0;) {
		size_t j = i;
		if (!is_token_char(p[i])) {
			i++;
			continue;
		}
		while (j < n && is_token_char(p[j]))
			j++;
		if (n - j >= 3 && memcmp(p + j, "://", 3) == 0 && isalpha((unsigned char)p[i])) {
			i += take_url(w, p + i, n - i, rel, line, &rc);
			continue;
		}
		rc = take_token(w, p + i, j - i, i ? p[i - 1] : '\0', j < n ? p[j] : '\0', rel, line);
		i = j;
	}
	return rc;
}

/* Every line of text, numbered from 1; fenced code counts ("curl https://api.x.com"). Its
 * words are kept too, for services the docs name without a host (core/doc_words.h). */
static int scan_text(struct docs_walk *w, const char *text, size_t len, const char *rel)
{
	unsigned line = 1;

	for (size_t i = 0; i < len; line++) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len;
		if (scan_line(w, text + i, end - i, rel, line) != 0 ||
		    doc_words_scan(&w->r->doc_words, text + i, end - i, rel, line) != 0)
			return -1;
		i = end + 1;
	}
	return 0;
}

/* ---- reading files safely ---- */

/* "a/b" into buf; false when it does not fit (such a path is skipped). */
static bool join_path(char *buf, size_t len, const char *a, const char *b)
{
	int n = snprintf(buf, len, "%s/%s", a, b);

	return n >= 0 && (size_t)n < len;
}

/* Whether path resolves to somewhere inside the target (a symlink may point out of it). */
static bool inside_root(const struct docs_walk *w, const char *path)
{
	char real[PATH_MAX];
	size_t n = strlen(w->real_root);

	if (!realpath(path, real))
		return false;
	return strncmp(real, w->real_root, n) == 0 && (real[n] == '/' || real[n] == '\0' ||
						      (n == 1 && w->real_root[0] == '/'));
}

/* Read rel (under root) into *out, NUL-terminated; caller frees. Returns 0 when read,
 * 1 when skipped (missing, outside the root, too large: incomplete entry where it matters),
 * -1 when memory runs out. */
static int read_doc(struct docs_walk *w, const char *rel, char **out, size_t *len)
{
	char path[PATH_MAX];
	struct stat st;
	FILE *f = NULL;
	int rc = 1;

	*out = NULL;
	if (!join_path(path, sizeof path, w->root, rel) || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
		return 1;
	if (!inside_root(w, path))
		return report_add_incomplete(w->r, rel, "links outside the target: not read for documented hosts") ? -1 : 1;
	if ((size_t)st.st_size > DOCS_FILE_MAX)
		return report_add_incomplete(w->r, rel, "larger than 4 MiB: not read for documented hosts") ? -1 : 1;
	if (w->files >= DOCS_FILES_MAX) {
		if (w->files_capped)
			return 1;
		w->files_capped = true;
		return report_add_incomplete(w->r, rel, "more than %d documentation files: this and "
					     "later ones not read", DOCS_FILES_MAX) ? -1 : 1;
	}
	if (!(f = fopen(path, "rb")))
		return report_add_incomplete(w->r, rel, "cannot read: %s", strerror(errno)) ? -1 : 1;
	if (!(*out = malloc(DOCS_FILE_MAX + 1))) {
		rc = -1;
		goto out;
	}
	*len = fread(*out, 1, DOCS_FILE_MAX, f);
	(*out)[*len] = '\0';
	w->files++;
	rc = 0;
out:
	fclose(f);
	return rc;
}

static int scan_file(struct docs_walk *w, const char *rel)
{
	char *text;
	size_t len;
	int rc = read_doc(w, rel, &text, &len);

	if (rc == 0)
		rc = scan_text(w, text, len, rel);
	free(text);
	return rc < 0 ? -1 : 0;
}

/* ---- which files ---- */

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

struct names {
	char **items;
	size_t len, cap;
};

static void names_free(struct names *n)
{
	for (size_t i = 0; i < n->len; i++)
		free(n->items[i]);
	vec_free(n);
}

/* The entries of folder rel (under root), sorted so that the first source of a host is
 * stable. Returns 0, 1 when the folder cannot be opened, -1 when memory runs out. */
static int list_folder(const struct docs_walk *w, const char *rel, struct names *out)
{
	char path[PATH_MAX];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	snprintf(path, sizeof path, "%s%s%s", w->root, *rel ? "/" : "", rel);
	if (!(d = opendir(path)))
		return 1;
	while ((de = readdir(d)) && rc == 0) {
		char *name;
		if (de->d_name[0] == '.')
			continue;
		name = xstrdup(de->d_name);
		if (!name || vec_push(out, name) != 0) {
			free(name);
			rc = -1;
		}
	}
	closedir(d);
	if (out->len)
		qsort(out->items, out->len, sizeof *out->items, cmp_names);
	return rc;
}

static bool is_readme(const char *name)
{
	return strncasecmp(name, "readme", 6) == 0 && (name[6] == '\0' || name[6] == '.');
}

static bool is_doc_text(const char *name)
{
	static const char *const exts[] = {"md", "markdown", "rst", "txt", "adoc", NULL};
	const char *dot = strrchr(name, '.');

	return dot && in_list(exts, dot + 1, strlen(dot + 1));
}

static int scan_readmes(struct docs_walk *w)
{
	struct names names = {0};
	int rc = list_folder(w, "", &names);

	for (size_t i = 0; rc == 0 && i < names.len; i++)
		if (is_readme(names.items[i]))
			rc = scan_file(w, names.items[i]);
	names_free(&names);
	return rc < 0 ? -1 : 0;
}

/* docs/, recursively: documentation text files, depth-first. Linked files are read when
 * they resolve inside the root; linked folders are not entered, so no link can make a loop
 * or multiply the tree. */
static int scan_docs_folder(struct docs_walk *w, const char *rel, int depth)
{
	struct names names = {0};
	int rc;

	if (depth > DOCS_DEPTH_MAX)
		return report_add_incomplete(w->r, rel, "deeper than %d folders: not read for documented hosts",
					     DOCS_DEPTH_MAX);
	rc = list_folder(w, rel, &names);
	for (size_t i = 0; rc == 0 && i < names.len; i++) {
		char child[PATH_MAX], path[PATH_MAX];
		struct stat st;
		bool link;
		if (!join_path(child, sizeof child, rel, names.items[i]) ||
		    !join_path(path, sizeof path, w->root, child) || lstat(path, &st) != 0)
			continue;
		link = S_ISLNK(st.st_mode);
		if (link && stat(path, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode) && !link)
			rc = scan_docs_folder(w, child, depth + 1);
		else if (S_ISREG(st.st_mode) && is_doc_text(names.items[i]))
			rc = scan_file(w, child);
	}
	names_free(&names);
	return rc < 0 ? -1 : 0;
}

/* ---- manifests ---- */

/* 1-based line of the first occurrence of needle in text, 0 when absent. */
static unsigned line_of(const char *text, const char *needle)
{
	const char *at = *needle ? strstr(text, needle) : NULL;
	unsigned line = 1;

	if (!at)
		return 0;
	for (const char *p = text; p < at; p++)
		line += *p == '\n';
	return line;
}

static int is_code_host_entry(const char *entry, void *host)
{
	/* Returning 1 stops the walk: the host is on (or under) a listed code host. */
	return hostname_within(host, entry, true);
}

static bool on_code_host(const char *host)
{
	return policy_each_listed(code_hosts_list, is_code_host_entry, (void *)host) != 0;
}

/* A homepage-like URL: documents its host unless that is where the code is kept. */
static int take_site_url(struct docs_walk *w, const char *url, const char *text, const char *rel)
{
	struct url_parts u;

	if (!url || !url_parse(url, &u) || on_code_host(u.host))
		return 0;
	return add_host(w, u.host, rel, line_of(text, url));
}

/* server.json (MCP registry manifest): remotes[].url are the server's own endpoints and
 * websiteUrl its site; "repository" documents nothing. */
static int scan_server_json(struct docs_walk *w, const char *text, size_t len)
{
	static const char *const acted_on[] = {"remotes", "websiteUrl", "packages", NULL};
	struct json_doc doc = {0};
	struct json_read_error e;
	const cJSON *root, *remotes, *list, *site, *remote;
	struct url_parts u;
	int rc = 0;

	/* the registry (Go's encoding/json) keeps the last of two equal keys, as json_read does */
	if (json_read(text, len, JSON_STRICT, &doc, &e) != 0)
		return report_add_incomplete(w->r, "server.json", "not valid JSON (line %u, column %u: %s): no "
					     "documented hosts taken", e.line, e.column, e.what);
	root = doc.root;
	remotes = cJSON_GetObjectItemCaseSensitive(root, "remotes");
	list = cJSON_IsArray(remotes) ? remotes : NULL;
	site = cJSON_GetObjectItemCaseSensitive(root, "websiteUrl");
	rc = json_report_ambiguities(w->r, &doc, "server.json", acted_on);
	cJSON_ArrayForEach(remote, list) {
		const char *url = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(remote, "url"));
		if (rc == 0 && url && url_parse(url, &u))
			rc = add_host(w, u.host, "server.json", line_of(text, url));
	}
	if (rc == 0 && cJSON_IsString(site) && url_parse(site->valuestring, &u))
		rc = add_host(w, u.host, "server.json", line_of(text, site->valuestring));
	json_doc_free(&doc);
	return rc;
}

static int scan_package_json(struct docs_walk *w, const char *text, size_t len)
{
	cJSON *root = json_read_tree(text, len, JSON_STRICT);
	int rc = take_site_url(w, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(root, "homepage")),
			       text, "package.json");

	cJSON_Delete(root);
	return rc;
}

/* The quoted value of a TOML 'key = "value"' line, copied into buf; NULL if none. */
static const char *toml_string_value(const char *line, size_t n, char *buf, size_t len)
{
	const char *eq = memchr(line, '=', n), *open, *close;

	if (!eq)
		return NULL;
	for (open = eq + 1; open < line + n && isspace((unsigned char)*open); open++)
		;
	if (open >= line + n || (*open != '"' && *open != '\''))
		return NULL;
	close = memchr(open + 1, *open, (size_t)(line + n - open - 1));
	if (!close || (size_t)(close - open - 1) >= len)
		return NULL;
	memcpy(buf, open + 1, (size_t)(close - open - 1));
	buf[close - open - 1] = '\0';
	return buf;
}

/* pyproject.toml [project.urls]: Homepage, Documentation, ... except code hosts. */
static int scan_pyproject(struct docs_walk *w, const char *text, size_t len)
{
	bool in_urls = false;
	unsigned line = 1;
	int rc = 0;

	(void)len;  /* read line by line up to the NUL read_doc puts at the end */
	for (const char *p = text; *p && rc == 0; line++) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		char value[DOCS_URL_MAX];
		struct url_parts u;
		while (n && isspace((unsigned char)*p))
			p++, n--;
		if (n && *p == '[')
			in_urls = n >= 14 && strncmp(p, "[project.urls]", 14) == 0;
		else if (in_urls && toml_string_value(p, n, value, sizeof value) && url_parse(value, &u) &&
			 !on_code_host(u.host))
			rc = add_host(w, u.host, "pyproject.toml", line);
		p = nl ? nl + 1 : p + n;
	}
	return rc;
}

struct manifest {
	const char *name;
	int (*scan)(struct docs_walk *w, const char *text, size_t len);
};

static const struct manifest manifests[] = {
	{"server.json", scan_server_json},
	{"package.json", scan_package_json},
	{"pyproject.toml", scan_pyproject},
	{NULL, NULL},
};

static int scan_manifests(struct docs_walk *w)
{
	for (const struct manifest *m = manifests; m->name; m++) {
		char *text;
		size_t len;
		int rc = read_doc(w, m->name, &text, &len);
		if (rc == 0)
			rc = m->scan(w, text, len);
		free(text);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* ---- entry ---- */

/* The folder of root when it is a file; copied into buf. */
static const char *root_folder(const char *root, char *buf, size_t len)
{
	struct stat st;
	const char *slash;

	if (stat(root, &st) != 0)
		return NULL;
	if (S_ISDIR(st.st_mode))
		return root;
	slash = strrchr(root, '/');
	if (!slash)
		return ".";
	snprintf(buf, len, "%.*s", (int)(slash == root ? 1 : slash - root), root);
	return buf;
}

int docs_collect_path(struct report *r, const char *path, char *err, size_t errlen)
{
	struct docs_walk w = {.r = r};
	char real[PATH_MAX];
	struct stat st;
	char *slash;

	if (!realpath(path, real) || stat(real, &st) != 0) {
		snprintf(err, errlen, "--docs %s: %s", path, strerror(errno));
		return -1;
	}
	slash = strrchr(real, '/');
	if (!slash || !slash[1]) {
		snprintf(err, errlen, "--docs %s: give a folder or file below /", path);
		return -1;
	}
	*slash = '\0';
	w.root = *real ? real : "/";
	if (!realpath(w.root, w.real_root)) {
		snprintf(err, errlen, "--docs %s: %s", path, strerror(errno));
		return -1;
	}
	if (S_ISDIR(st.st_mode))
		return scan_docs_folder(&w, slash + 1, 1);
	return scan_file(&w, slash + 1) < 0 ? -1 : 0;
}

int docs_collect(struct report *r, const char *root)
{
	struct docs_walk w = {.r = r};
	char folder[PATH_MAX], docs[PATH_MAX];

	w.root = root ? root_folder(root, folder, sizeof folder) : NULL;
	if (!w.root || !realpath(w.root, w.real_root))
		return 0;  /* a path that does not exist is the static stage's to report */
	if (scan_readmes(&w) != 0 || scan_manifests(&w) != 0)
		return -1;
	if (join_path(docs, sizeof docs, w.root, "docs") && inside_root(&w, docs) &&
	    scan_docs_folder(&w, "docs", 1) != 0)
		return -1;
	return 0;
}
