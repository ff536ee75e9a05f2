/* metadata: see metadata.h. */
#include "audit/metadata.h"
#include "audit/pep508.h"

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

#include "analyzer/lang.h"
#include "core/hostname.h"
#include "core/json_read.h"
#include "core/json_report.h"
#include "core/policy.h"
#include "core/strbuf.h"
#include "core/url.h"

#define MANIFEST_MAX ((size_t)4 << 20)  /* bytes of a manifest read */
#define COMMAND_MAX 8192                 /* bytes of a script command read as shell */
#define WORDS_MAX 256                    /* words of one simple command looked at */
#define SCRIPT_DEPTH_MAX 4               /* sh -c and npm run nesting followed */
#define DEPENDENCIES_MAX 2000            /* dependencies checked per package */
#define NAME_BUF 256                     /* npm names are at most 214 bytes */
#define SNIPPET_MAX 300
#define SHOWN_COMMAND_MAX 200            /* of a command quoted in a message */
#define WHAT_MAX 1000                    /* of the description of what a script does */
#define FINISH_CHAIN_MAX 5               /* evidence lines metadata_finish adds per script */
#define DAY_SECONDS 86400LL

static const char popular_list[] = "core/data/popular_packages.txt";

enum ecosystem { ECO_NONE, ECO_NPM, ECO_PYPI };

static const char *const ecosystem_names[] = {NULL, "npm", "pypi"};

/* The popular names of core/data/popular_packages.txt, by section. */
struct popular {
	VEC(char *) npm;     /* lower case */
	VEC(char *) pypi;    /* PEP 503 normalised */
	VEC(char *) scopes;  /* "@types": scopes whose names are their owners' */
};

/* A dependency as the manifest names it, before it is judged. */
struct dependency {
	char *name;
	char *normal;        /* the name as its registry compares names */
	char *installs;      /* npm alias "npm:real@1": the package really installed, else NULL */
	char *file;          /* the manifest naming it */
	unsigned line;       /* 0: look it up in package.json's text if it is reported */
};

struct meta {
	const struct metadata_options *o;
	struct report *r;
	struct package_info *p;
	char root[PATH_MAX];           /* the package folder, resolved */
	enum ecosystem eco;
	const char *manifest;          /* the main manifest, for findings ("package.json") */
	char *text;                    /* package.json's text, for lines */
	struct json_doc doc;           /* package.json, read as npm reads it */
	const cJSON *json;             /* its root, borrowed from doc */
	const cJSON *scripts;          /* its "scripts", borrowed from json */
	const char *app_reason;        /* why it is application-style, or NULL */
	VEC(struct dependency) deps;
	bool deps_capped;              /* some were left out (DEPENDENCIES_MAX) */
	struct popular popular;
	bool popular_loaded;
};

/* ---- small helpers ---- */

static int set_str(char **dst, const char *s)
{
	char *copy = xstrdup(s);

	if (s && !copy)
		return -1;
	free(*dst);
	*dst = copy;
	return 0;
}

static int set_if_empty(char **dst, const char *s)
{
	return *dst || !s || !*s ? 0 : set_str(dst, s);
}

static bool str_in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* 1-based line of the byte at pos in text. */
/* The line of pos in text. */
static unsigned line_at(const char *text, const char *pos)
{
	return text_line_at(text, (size_t)(pos - text));
}

/* rel folded into a path below the root: "./a//b/../c" -> "a/c". Returns false when rel is
 * absolute, names a variable or the home folder, or climbs above the root. */
static bool normalise_path(const char *rel, char *out, size_t len)
{
	size_t n = 0;

	if (!rel || !*rel || rel[0] == '/' || rel[0] == '~' || strchr(rel, '$') || strchr(rel, '%'))
		return false;
	for (const char *p = rel; *p;) {
		size_t k = strcspn(p, "/\\");
		if (k == 2 && p[0] == '.' && p[1] == '.') {
			if (n == 0)
				return false;
			while (n > 0 && out[n - 1] != '/')
				n--;
			n = n > 0 ? n - 1 : 0;
		} else if (k && !(k == 1 && p[0] == '.')) {
			if (n + (n > 0) + k + 1 > len)
				return false;
			if (n > 0)
				out[n++] = '/';
			memcpy(out + n, p, k);
			n += k;
		}
		p += k;
		while (*p == '/' || *p == '\\')
			p++;
	}
	out[n] = '\0';
	return n > 0;
}

enum place { PLACE_INSIDE, PLACE_ABSENT, PLACE_OUTSIDE };

/* Where rel (relative to the root) leads, resolving links; full gets the resolved path. */
static enum place locate(const struct meta *m, const char *rel, char full[PATH_MAX])
{
	char path[PATH_MAX];
	size_t n = strlen(m->root);

	if ((size_t)snprintf(path, sizeof path, "%s/%s", m->root, rel) >= sizeof path || !realpath(path, full))
		return PLACE_ABSENT;
	if (strncmp(full, m->root, n) != 0 || (full[n] != '/' && full[n] != '\0'))
		return PLACE_OUTSIDE;
	return PLACE_INSIDE;
}

static bool regular_file_inside(const struct meta *m, const char *rel)
{
	char full[PATH_MAX];
	struct stat st;

	return locate(m, rel, full) == PLACE_INSIDE && stat(full, &st) == 0 && S_ISREG(st.st_mode);
}

/* The bytes of rel (below the root), NUL-terminated, in *out (caller frees). Returns 0; 1
 * when there is no such file; 2 when there is one but it is not read (a folder, a link out
 * of the package, unreadable, too large: an incomplete entry says why); -1 when memory runs
 * out. */
static int read_file(struct meta *m, const char *rel, size_t cap, char **out, size_t *len)
{
	char full[PATH_MAX];
	FILE *f;
	int rc;

	*out = NULL;
	switch (locate(m, rel, full)) {
	case PLACE_ABSENT:
		return 1;
	case PLACE_OUTSIDE:
		return report_add_incomplete(m->r, rel, "links outside the package: not read") ? -1 : 2;
	case PLACE_INSIDE:
		break;
	}
	if (!regular_file_inside(m, rel))
		return report_add_incomplete(m->r, rel, "not a regular file: not read") ? -1 : 2;
	if (!(f = fopen(full, "rb")))
		return report_add_incomplete(m->r, rel, "cannot read: %s", strerror(errno)) ? -1 : 2;
	rc = -1;
	if (!(*out = malloc(cap + 1)))
		goto out;
	*len = fread(*out, 1, cap + 1, f);
	if (ferror(f) || *len > cap) {
		free(*out);
		*out = NULL;
		rc = ferror(f) ? report_add_incomplete(m->r, rel, "cannot read: read error")
			       : report_add_incomplete(m->r, rel, "larger than %zu bytes: not read", cap);
		rc = rc ? -1 : 2;
		goto out;
	}
	(*out)[*len] = '\0';
	rc = 0;
out:
	fclose(f);
	return rc;
}

/* ---- package names ---- */

/* A name as its registry compares them: npm case-folded; PyPI as PEP 503 says, case-folded
 * with each run of '-', '_' and '.' one '-'. */
static void normal_name(enum ecosystem eco, const char *name, char *out, size_t len)
{
	size_t n = 0;

	for (const char *c = name; *c && n + 1 < len; c++) {
		bool sep = *c == '-' || *c == '_' || *c == '.';
		if (eco == ECO_PYPI && sep) {
			if (n == 0 || out[n - 1] != '-')
				out[n++] = '-';
			continue;
		}
		out[n++] = (char)tolower((unsigned char)*c);
	}
	out[n] = '\0';
}

/* The name with '-', '_' and '.' dropped: "cross_env" and "crossenv" both give "crossenv". */
static void drop_separators(const char *name, char *out, size_t len)
{
	size_t n = 0;

	for (const char *c = name; *c && n + 1 < len; c++)
		if (*c != '-' && *c != '_' && *c != '.')
			out[n++] = *c;
	out[n] = '\0';
}

/* Look-alike characters folded to the letter they pass for. */
static const char *const lookalikes[][2] = {{"rn", "m"}, {"vv", "w"}, {"1", "l"}, {"0", "o"}};

static void fold_lookalikes(const char *name, char *out, size_t len)
{
	size_t n = 0;

	for (const char *c = name; *c && n + 1 < len;) {
		size_t i, k = 0;
		for (i = 0; i < sizeof lookalikes / sizeof *lookalikes; i++) {
			k = strlen(lookalikes[i][0]);
			if (strncmp(c, lookalikes[i][0], k) == 0)
				break;
		}
		if (i < sizeof lookalikes / sizeof *lookalikes) {
			out[n++] = lookalikes[i][1][0];
			c += k;
		} else {
			out[n++] = *c++;
		}
	}
	out[n] = '\0';
}

/* Whether a and b differ by exactly one insertion, deletion, substitution or swap of two
 * neighbouring characters (Damerau-Levenshtein distance 1, optimal string alignment). */
static bool one_edit_apart(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), i = 0;

	if (la < lb) {
		const char *t = a;
		a = b;
		b = t;
		la = lb;
		lb = strlen(b);
	}
	if (la - lb > 1)
		return false;
	while (i < lb && a[i] == b[i])
		i++;
	if (la != lb)
		return strcmp(a + i + 1, b + i) == 0;
	if (i == la)
		return false;
	if (strcmp(a + i + 1, b + i + 1) == 0)
		return true;
	return i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && strcmp(a + i + 2, b + i + 2) == 0;
}

/* Names under five characters have too many real neighbours one edit away. */
#define EDIT_MIN_LEN 5

/* How d (normalised) imitates popular name p, or NULL when it does not. */
static const char *imitation(const char *d, const char *p)
{
	char dk[NAME_BUF], pk[NAME_BUF], df[NAME_BUF], pf[NAME_BUF];

	if (strcmp(d, p) == 0)
		return NULL;
	drop_separators(d, dk, sizeof dk);
	drop_separators(p, pk, sizeof pk);
	if (strcmp(dk, pk) == 0)
		return "the same name with its separators changed";
	fold_lookalikes(dk, df, sizeof df);
	fold_lookalikes(pk, pf, sizeof pf);
	if (strcmp(df, pf) == 0)
		return "look-alike characters";
	if (strlen(d) >= EDIT_MIN_LEN && strlen(p) >= EDIT_MIN_LEN && one_edit_apart(d, p))
		return "one character added, removed, changed or swapped";
	return NULL;
}

/* Whether d is p, its separators changed or its characters look-alikes (no edits). */
static bool same_or_lookalike(const char *d, const char *p)
{
	const char *how = imitation(d, p);

	return strcmp(d, p) == 0 || (how && strcmp(how, "the same name with its separators changed") == 0) ||
	       (how && strcmp(how, "look-alike characters") == 0);
}

static bool listed(const char *const *items, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(items[i], name) == 0)
			return true;
	return false;
}

static bool known_scope(const struct popular *pl, const char *name)
{
	const char *slash = strchr(name, '/');
	size_t n = slash ? (size_t)(slash - name) : 0;

	for (size_t i = 0; n && i < pl->scopes.len; i++)
		if (strlen(pl->scopes.items[i]) == n && strncmp(pl->scopes.items[i], name, n) == 0)
			return true;
	return false;
}

/* A scoped name's scope and bare name run together: "@modelcontextprotocol/sdk" ->
 * "modelcontextprotocol-sdk". */
static void unscoped(const char *scoped, char *out, size_t len)
{
	snprintf(out, len, "%s", scoped + 1);
	for (char *c = out; *c; c++)
		if (*c == '/')
			*c = '-';
}

/* The npm package d (normalised) imitates, and how, or NULL. A name under a scope that the
 * popular packages' owners hold cannot be an imitation: only they publish there. */
static const char *npm_imitated(const struct popular *pl, const char *d, const char **how)
{
	const char *bare = d[0] == '@' && strchr(d, '/') ? strchr(d, '/') + 1 : NULL;
	char joined[NAME_BUF];

	if (listed((const char *const *)pl->npm.items, pl->npm.len, d) || (bare && known_scope(pl, d)))
		return NULL;
	for (size_t i = 0; i < pl->npm.len; i++)
		if ((*how = imitation(d, pl->npm.items[i])))
			return pl->npm.items[i];
	for (size_t i = 0; i < pl->npm.len; i++) {
		const char *p = pl->npm.items[i];
		if (bare && p[0] != '@' && same_or_lookalike(bare, p)) {
			*how = "a popular name under another scope";
			return p;
		}
		if (!bare && p[0] == '@') {
			unscoped(p, joined, sizeof joined);
			if (same_or_lookalike(d, joined)) {
				*how = "a scoped package's name without its scope";
				return p;
			}
		}
	}
	return NULL;
}

static const char *pypi_imitated(const struct popular *pl, const char *d, const char **how)
{
	if (listed((const char *const *)pl->pypi.items, pl->pypi.len, d))
		return NULL;
	for (size_t i = 0; i < pl->pypi.len; i++)
		if ((*how = imitation(d, pl->pypi.items[i])))
			return pl->pypi.items[i];
	return NULL;
}

/* ---- the popular list ---- */

struct popular_load {
	struct popular *pl;
	enum ecosystem section;
	bool scopes;
	bool oom;
};

static int add_popular(const char *entry, void *arg)
{
	struct popular_load *l = arg;
	char name[NAME_BUF];
	char *copy;

	if (entry[0] == '[') {
		l->scopes = strcmp(entry, "[scopes]") == 0;
		l->section = strcmp(entry, "[pypi]") == 0 ? ECO_PYPI : ECO_NPM;
		return 0;
	}
	normal_name(l->scopes ? ECO_NPM : l->section, entry, name, sizeof name);
	if (!(copy = xstrdup(name))) {
		l->oom = true;
		return -1;
	}
	if (l->scopes ? vec_push(&l->pl->scopes, copy) : l->section == ECO_PYPI ? vec_push(&l->pl->pypi, copy)
										  : vec_push(&l->pl->npm, copy)) {
		free(copy);
		l->oom = true;
		return -1;
	}
	return 0;
}

/* The scopes of popular scoped npm names are their owners' too. */
static int add_owned_scopes(struct popular *pl)
{
	for (size_t i = 0, n = pl->npm.len; i < n; i++) {
		const char *p = pl->npm.items[i], *slash = strchr(p, '/');
		char *scope;
		if (p[0] != '@' || !slash || known_scope(pl, p))
			continue;
		if (!(scope = xstrndup(p, (size_t)(slash - p))) || vec_push(&pl->scopes, scope) != 0) {
			free(scope);
			return -1;
		}
	}
	return 0;
}

/* Loads the list; a missing list is an incomplete entry. Returns 0 or -1 (out of memory). */
static int load_popular(struct meta *m)
{
	struct popular_load l = {&m->popular, ECO_NPM, false, false};

	if (policy_each_listed(popular_list, add_popular, &l) != 0) {
		if (l.oom)
			return -1;
		return report_add_incomplete(m->r, popular_list, "not embedded: dependencies not checked for "
								 "typosquats") ? -1 : 0;
	}
	m->popular_loaded = true;
	return add_owned_scopes(&m->popular);
}

static void free_names(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
}

static void popular_free(struct popular *pl)
{
	free_names(pl->npm.items, pl->npm.len);
	vec_free(&pl->npm);
	free_names(pl->pypi.items, pl->pypi.len);
	vec_free(&pl->pypi);
	free_names(pl->scopes.items, pl->scopes.len);
	vec_free(&pl->scopes);
}

/* ---- dependencies ---- */

static void dependency_clear(struct dependency *d)
{
	free(d->name);
	free(d->normal);
	free(d->installs);
	free(d->file);
}

/* Record a dependency once (by normalised name). installs: an npm alias's real package. */
static int add_dependency(struct meta *m, const char *name, const char *installs, const char *file,
			  unsigned line)
{
	struct dependency d = {NULL, NULL, NULL, NULL, line};
	char normal[NAME_BUF];

	if (!name || !*name)
		return 0;
	normal_name(m->eco, name, normal, sizeof normal);
	for (size_t i = 0; i < m->deps.len; i++)
		if (strcmp(m->deps.items[i].normal, normal) == 0)
			return 0;
	if (m->deps.len >= DEPENDENCIES_MAX) {
		m->deps_capped = true;  /* check_dependencies says so */
		return 0;
	}
	d.name = xstrdup(name);
	d.normal = xstrdup(normal);
	d.installs = xstrdup(installs);
	d.file = xstrdup(file);
	if (!d.name || !d.normal || (installs && !d.installs) || !d.file || vec_push(&m->deps, d) != 0) {
		dependency_clear(&d);
		return -1;
	}
	return 0;
}

static int typosquat_finding(struct meta *m, const struct dependency *d, const char *checked)
{
	char norm[NAME_BUF];
	const char *how = NULL, *popular;
	struct finding *f;

	unsigned line = d->line;

	normal_name(m->eco, checked, norm, sizeof norm);
	popular = m->eco == ECO_NPM ? npm_imitated(&m->popular, norm, &how) : pypi_imitated(&m->popular, norm, &how);
	if (!popular)
		return 0;
	if (!line && strcmp(d->file, "package.json") == 0)
		line = text_json_key_line(m->text, d->name);  /* only now: it reads the whole text */
	if (d->installs)
		f = report_add_finding(m->r, "typosquat-dependency", NULL, d->file, line,
				       "dependency \"%s\" installs \"%s\" (an npm alias), which imitates the "
				       "popular package \"%s\" (%s)", d->name, checked, popular, how);
	else
		f = report_add_finding(m->r, "typosquat-dependency", NULL, d->file, line,
				       "dependency \"%s\" imitates the popular package \"%s\" (%s)", d->name,
				       popular, how);
	if (!f || !(f->snippet = xstrdup(checked)) || !(f->dependency = xstrdup(checked)) ||
	    !(f->fingerprint = policy_fingerprint(f->rule_id, d->file, checked)))
		return -1;
	return 0;
}

static int cmp_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Judge each dependency, then hand the sorted names to the package. */
static int check_dependencies(struct meta *m)
{
	struct package_info *p = m->p;

	if (m->deps_capped &&
	    report_add_incomplete(m->r, m->manifest, "more than %d dependencies: the rest not checked",
				  DEPENDENCIES_MAX) != 0)
		return -1;
	for (size_t i = 0; i < m->deps.len; i++) {
		const struct dependency *d = &m->deps.items[i];
		if (m->popular_loaded && typosquat_finding(m, d, d->installs ? d->installs : d->name) != 0)
			return -1;
		if (vec_push(&p->dependencies, d->name) != 0)
			return -1;
		m->deps.items[i].name = NULL;  /* now the package's */
	}
	if (p->dependencies.len > 1)
		qsort(p->dependencies.items, p->dependencies.len, sizeof *p->dependencies.items, cmp_strings);
	return 0;
}

static void deps_free(struct meta *m)
{
	for (size_t i = 0; i < m->deps.len; i++)
		dependency_clear(&m->deps.items[i]);
	vec_free(&m->deps);
}

/* ---- install scripts read as shell ---- */

/* What one script does, gathered while its command is read. */
struct scan {
	struct meta *m;
	bool egress;
	char host[URL_HOST_MAX];     /* the first destination named, or "" */
	char file[PATH_MAX];         /* the first file it runs, relative to the root, or "" */
	char arg_host[URL_HOST_MAX]; /* host of a URL among the current command's words, or "" */
	struct strbuf what;          /* what it does, "; "-separated */
	int status;                  /* -1 once memory ran out */
};

static void say(struct scan *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct scan *s, const char *fmt, ...)
{
	va_list ap;

	if (s->what.len && strbuf_puts(&s->what, "; ") != 0)
		s->status = -1;
	va_start(ap, fmt);
	if (strbuf_vprintf(&s->what, fmt, ap) != 0)
		s->status = -1;
	va_end(ap);
}

static void note_egress(struct scan *s, const char *host)
{
	s->egress = true;
	if (!s->host[0] && host && *host)
		snprintf(s->host, sizeof s->host, "%s", host);
}

/* The host of the first URL in text that is not a local address, into host; false if none. */
static bool first_url_host(const char *text, char host[URL_HOST_MAX])
{
	for (const char *p = strstr(text, "://"); p; p = strstr(p + 3, "://")) {
		const char *start = p;
		char url[1024];
		struct url_parts u;
		size_t n;
		while (start > text && (isalnum((unsigned char)start[-1]) || start[-1] == '+' || start[-1] == '-'))
			start--;
		n = strcspn(start, " \t\r\n'\"`),;<>\\");
		if (start == p || n >= sizeof url)
			continue;
		memcpy(url, start, n);
		url[n] = '\0';
		if (url_parse(url, &u) && u.host[0] && !host_is_local(u.host)) {
			snprintf(host, URL_HOST_MAX, "%s", u.host);
			return true;
		}
	}
	return false;
}

/* A bare destination argument ("user@host:path", "host.example.com/x", an IP), into host.
 * Only a known top-level domain counts, so "out.txt" is no host (but "x.sh" would be). */
static bool bare_host(const char *arg, char host[URL_HOST_MAX])
{
	const char *at = strchr(arg, '@');
	const char *h = at ? at + 1 : arg;
	size_t n = strcspn(h, ":/");

	if (arg[0] == '-' || arg[0] == '.' || arg[0] == '/' || n == 0 || n >= URL_HOST_MAX)
		return false;
	memcpy(host, h, n);
	host[n] = '\0';
	for (char *c = host; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	return (host_is_ip(host) || (host_is_name(host) && hostname_tld_known(host))) && !host_is_local(host);
}

static int scan_command(struct scan *s, const char *command, unsigned depth);

/* Records the file a script runs (normalised, inside the root); node finds "x" as x.js. */
static void runs_file(struct scan *s, const char *path, const char *with)
{
	char rel[PATH_MAX], candidate[PATH_MAX];
	bool node = with && strcmp(with, "node") == 0;

	if (!normalise_path(path, rel, sizeof rel)) {
		say(s, "runs %s, outside the package", path);
		return;
	}
	for (size_t i = 0; node && !regular_file_inside(s->m, rel) && lang_node_suffix(i); i++) {
		if ((size_t)snprintf(candidate, sizeof candidate, "%s%s", rel, lang_node_suffix(i)) < sizeof candidate &&
		    regular_file_inside(s->m, candidate))
			snprintf(rel, sizeof rel, "%s", candidate);
	}
	if (!s->file[0])
		snprintf(s->file, sizeof s->file, "%s", rel);
	say(s, "runs %s%s%s%s", rel, with ? " with " : "", with ? with : "",
	    regular_file_inside(s->m, rel) ? "" : " (not in the package)");
}

/* Network APIs and tools in inline code, as text: enough for a one-liner, which is all an
 * install script's inline code usually is. Matched without regard to case. */
static const char *const network_words[] = {
	"require('http", "require(\"http", "require('node:http", "require(\"node:http", "require('net')",
	"require(\"net\")", "require('dgram", "require(\"dgram", "require('tls", "require(\"tls",
	"require('dns", "require(\"dns", "from 'http", "from \"http", "http.get", "https.get",
	"http.request", "https.request", "fetch(", "XMLHttpRequest", "WebSocket", "net.connect",
	"createConnection", "urllib", "urlopen", "requests.", "http.client", "httpx", "socket.",
	"Invoke-WebRequest", "Invoke-RestMethod", "iwr ", "irm ", "Net.WebClient", "DownloadString",
	"DownloadFile", "Start-BitsTransfer", "LWP::", "IO::Socket", "Net::HTTP", "open-uri", "curl ",
	"wget ", NULL};

/* A quoted host name in code that uses the network ({host: 'x.example.org'}), into host. */
static bool quoted_host(const char *code, char host[URL_HOST_MAX])
{
	for (const char *q = code; (q = strpbrk(q, "'\"`")); q++) {
		const char *end = strchr(q + 1, *q);
		size_t n = end ? (size_t)(end - q - 1) : 0;
		if (!end)
			return false;
		if (n && n < URL_HOST_MAX) {
			memcpy(host, q + 1, n);
			host[n] = '\0';
			if (host_is_name(host) && hostname_tld_known(host) && !host_is_local(host))
				return true;
		}
		q = end;
	}
	host[0] = '\0';
	return false;
}

/* node -e "require('./postinstall')": the file it loads. */
static void required_file(struct scan *s, const char *code)
{
	static const char *const calls[] = {"require('.", "require(\".", NULL};
	char path[PATH_MAX];

	for (size_t i = 0; calls[i]; i++) {
		const char *req = strstr(code, calls[i]);
		size_t n = req ? strcspn(req + 9, "'\"") : 0;
		if (req && n < sizeof path) {
			memcpy(path, req + 9, n);  /* 9: past "require('" */
			path[n] = '\0';
			runs_file(s, path, "node");
			return;
		}
	}
}

/* Inline code (node -e, python -c, ...): egress when it names a URL or uses a network API. */
static void scan_code(struct scan *s, const char *code, const char *lang)
{
	char host[URL_HOST_MAX] = "";
	bool api = false, url = first_url_host(code, host);

	for (size_t i = 0; network_words[i] && !api; i++)
		api = strcasestr(code, network_words[i]) != NULL;
	if (!url && api)
		quoted_host(code, host);
	if (url || api) {
		note_egress(s, host);
		say(s, "runs inline %s code that uses the network%s%s", lang, host[0] ? ": " : "", host);
	} else {
		say(s, "runs inline %s code", lang);
	}
	if (strcmp(lang, "node") == 0)
		required_file(s, code);
}

/* The index of the first word from i that is neither an option nor an option's value. */
static size_t first_operand(char **argv, size_t argc, size_t i, const char *const *valued)
{
	for (; i < argc; i++) {
		if (argv[i][0] != '-')
			return i;
		if (valued && str_in(argv[i], valued))
			i++;
	}
	return argc;
}

/* An interpreter with no file to run: it reads its program from what came before. */
static void starts(struct scan *s, const char *program, bool piped_in)
{
	say(s, piped_in ? "pipes the output into %s" : "starts %s", program);
}

/* A command's scanner: argv[0] is the program's name as the table knows it. Returns 0, or
 * -1 when memory runs out. */
typedef int (*command_scanner)(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth);

/* Options of network tools that take a value: the next word is not a destination. */
static const char *const network_valued[] = {
	"-o", "-O", "-H", "-d", "-X", "-u", "-A", "-e", "-T", "-F", "-b", "-c", "-w", "-m", "-p", "-i",
	"-l", "-P", "-U", "-x", "--output", "--output-document", "--header", "--data", "--data-binary",
	"--request", "--user", "--user-agent", "--referer", "--upload-file", "--form", "--cookie",
	"--cookie-jar", "--write-out", "--max-time", "--proxy", NULL};

/* Whether a word names this machine ("http://localhost:3000", "127.0.0.1"). */
static bool names_local_host(const char *word)
{
	struct url_parts u;
	const char *at = strchr(word, '@');
	char host[URL_HOST_MAX];
	size_t n;

	if (strstr(word, "://"))
		return url_parse(word, &u) && host_is_local(u.host);
	word = at ? at + 1 : word;
	n = strcspn(word, ":/");
	if (n == 0 || n >= sizeof host)
		return false;
	memcpy(host, word, n);
	host[n] = '\0';
	return host_is_local(host);
}

static int scan_network_tool(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth)
{
	char host[URL_HOST_MAX];
	bool local = false;

	snprintf(host, sizeof host, "%s", s->arg_host);
	for (size_t i = first_operand(argv, argc, 1, network_valued); !host[0] && i < argc;
	     i = first_operand(argv, argc, i + 1, network_valued)) {
		local |= names_local_host(argv[i]);
		if (strstr(argv[i], "://") || !bare_host(argv[i], host))
			host[0] = '\0';
	}
	if (!host[0] && local) {
		say(s, "talks to the local machine with %s", argv[0]);
		return 0;
	}
	note_egress(s, host);
	say(s, "uses the network with %s%s%s", argv[0], host[0] ? ": " : "", host);
	return 0;
}

static const char *const shell_valued[] = {"-o", "+o", NULL};

static int scan_shell(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth)
{
	size_t f;

	for (size_t i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") != 0 || i + 1 >= argc)
			continue;
		say(s, "runs %s -c", argv[0]);
		if (depth + 1 >= SCRIPT_DEPTH_MAX) {
			say(s, "nested too deep: not read further");
			return 0;
		}
		return scan_command(s, argv[i + 1], depth + 1);
	}
	f = first_operand(argv, argc, 1, shell_valued);
	if (f < argc)
		runs_file(s, argv[f], argv[0]);
	else
		starts(s, argv[0], piped_in);
	return 0;
}

static const char *const node_valued[] = {"-r", "--require", "--import", "--loader", "--experimental-loader",
					  "-C", "--conditions", "--title", NULL};
static const char *const node_eval[] = {"-e", "--eval", "-p", "--print", NULL};

static int scan_node(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth)
{
	size_t f;

	for (size_t i = 1; i < argc; i++) {
		if (str_in(argv[i], node_eval) && i + 1 < argc) {
			scan_code(s, argv[i + 1], "node");
			return 0;
		}
		if (strncmp(argv[i], "--eval=", 7) == 0) {
			scan_code(s, argv[i] + 7, "node");
			return 0;
		}
	}
	f = first_operand(argv, argc, 1, node_valued);
	if (f < argc)
		runs_file(s, argv[f], "node");
	else
		starts(s, argv[0], piped_in);
	return 0;
}

static void python_module(struct scan *s, char **argv, size_t argc)
{
	if (strcmp(argv[0], "pip") == 0 && argc > 1 && strcmp(argv[1], "install") == 0) {
		s->egress = true;
		say(s, "installs Python packages (pip install)");
	} else {
		say(s, "runs the Python module %s", argv[0]);
	}
}

static int scan_python(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth)
{
	size_t f;

	for (size_t i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-c") == 0 && i + 1 < argc) {
			scan_code(s, argv[i + 1], "Python");
			return 0;
		}
		if (strcmp(argv[i], "-m") == 0 && i + 1 < argc) {
			python_module(s, argv + i + 1, argc - i - 1);
			return 0;
		}
	}
	f = first_operand(argv, argc, 1, NULL);
	if (f < argc)
		runs_file(s, argv[f], "python");
	else
		starts(s, argv[0], piped_in);
	return 0;
}

/* perl -e, ruby -e. */
static int scan_e_interpreter(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth)
{
	size_t f;

	for (size_t i = 1; i < argc; i++) {
		if (strcmp(argv[i], "-e") == 0 && i + 1 < argc) {
			scan_code(s, argv[i + 1], argv[0]);
			return 0;
		}
	}
	f = first_operand(argv, argc, 1, NULL);
	if (f < argc)
		runs_file(s, argv[f], argv[0]);
	else
		starts(s, argv[0], piped_in);
	return 0;
}

static bool option_is(const char *word, const char *const *names)
{
	for (; *names; names++)
		if (strcasecmp(word, *names) == 0)
			return true;
	return false;
}

static const char *const ps_file[] = {"-File", "-f", NULL};
static const char *const ps_encoded[] = {"-EncodedCommand", "-enc", "-ec", "-e", NULL};
static const char *const ps_command[] = {"-Command", "-c", NULL};

static int scan_powershell(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth)
{
	for (size_t i = 1; i < argc; i++) {
		if (option_is(argv[i], ps_file) && i + 1 < argc) {
			runs_file(s, argv[i + 1], argv[0]);
			return 0;
		}
		if (option_is(argv[i], ps_encoded)) {
			say(s, "runs an encoded PowerShell command (what it does is hidden)");
			return 0;
		}
		if (option_is(argv[i], ps_command) && i + 1 < argc) {
			scan_code(s, argv[i + 1], "PowerShell");
			return 0;
		}
		if (argv[i][0] != '-') {  /* the command itself, without -Command */
			scan_code(s, argv[i], "PowerShell");
			return 0;
		}
	}
	starts(s, argv[0], piped_in);
	return 0;
}

/* The command of the package.json script name, or NULL. */
static const char *npm_script(const struct meta *m, const char *name)
{
	const cJSON *c = m->scripts ? cJSON_GetObjectItemCaseSensitive(m->scripts, name) : NULL;

	return cJSON_IsString(c) ? c->valuestring : NULL;
}

static int follow_script(struct scan *s, const char *name, unsigned depth)
{
	const char *command = npm_script(s->m, name);

	if (!command) {
		say(s, "runs the npm script \"%s\" (not in package.json)", name);
		return 0;
	}
	say(s, "runs the npm script \"%s\"", name);
	if (depth + 1 >= SCRIPT_DEPTH_MAX) {
		say(s, "nested too deep: not read further");
		return 0;
	}
	return scan_command(s, command, depth + 1);
}

static const char *const run_verbs[] = {"run", "run-script", "rum", "urn", NULL};
static const char *const install_verbs[] = {"install", "i", "add", "in", "isntall", NULL};
static const char *const npm_script_verbs[] = {"start", "test", "stop", "restart", NULL};

/* npm, yarn, pnpm, bun: "run NAME" follows the script; installing named packages is egress;
 * "yarn NAME" (not npm) runs a script too. */
static int scan_package_manager(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth)
{
	size_t v = first_operand(argv, argc, 1, NULL);
	const char *verb = v < argc ? argv[v] : NULL;
	size_t operand = verb ? first_operand(argv, argc, v + 1, NULL) : argc;

	if (!verb) {
		say(s, "runs %s", argv[0]);
		return 0;
	}
	if (str_in(verb, run_verbs) && operand < argc)
		return follow_script(s, argv[operand], depth);
	if (str_in(verb, install_verbs) && operand < argc) {
		s->egress = true;
		say(s, "installs packages from the registry (%s %s %s)", argv[0], verb, argv[operand]);
		return 0;
	}
	if ((str_in(verb, npm_script_verbs) || strcmp(argv[0], "npm") != 0) && !str_in(verb, install_verbs) &&
	    npm_script(s->m, verb))
		return follow_script(s, verb, depth);
	say(s, "runs %s %s", argv[0], verb);
	return 0;
}

/* run-s, run-p, npm-run-all: every operand is a script name. */
static int scan_run_all(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth)
{
	for (size_t i = 1; i < argc; i++)
		if (argv[i][0] != '-' && follow_script(s, argv[i], depth) != 0)
			return -1;
	return 0;
}

static int scan_pip(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth)
{
	python_module(s, argv, argc);
	return 0;
}

/* node-gyp and friends compile the package's own C/C++ sources: a build, not a download. */
static int scan_native_build(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth)
{
	say(s, "builds a native addon (%s%s%s)", argv[0], argc > 1 ? " " : "", argc > 1 ? argv[1] : "");
	return 0;
}

/* prebuild-install and node-pre-gyp fetch a binary from a release page and install it. */
static int scan_binary_download(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth)
{
	note_egress(s, s->arg_host);
	say(s, "downloads a prebuilt binary (%s)", argv[0]);
	return 0;
}

static int scan_quiet(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth)
{
	return 0;
}

/* Anything else: a path runs that file; a URL among its words counts as egress. */
static int scan_other(struct scan *s, char **argv, size_t argc, bool piped_in, unsigned depth)
{
	if (strchr(argv[0], '/'))
		runs_file(s, argv[0], NULL);
	else if (s->arg_host[0])
		say(s, "runs %s with a URL: %s", argv[0], s->arg_host);
	else
		say(s, "runs %s", argv[0]);
	if (s->arg_host[0])
		note_egress(s, s->arg_host);
	return 0;
}

static const struct command_kind {
	const char *name;
	command_scanner scan;
} command_kinds[] = {
	{"curl", scan_network_tool}, {"wget", scan_network_tool}, {"nc", scan_network_tool},
	{"ncat", scan_network_tool}, {"netcat", scan_network_tool}, {"ssh", scan_network_tool},
	{"scp", scan_network_tool}, {"sftp", scan_network_tool}, {"rsync", scan_network_tool},
	{"ftp", scan_network_tool}, {"tftp", scan_network_tool}, {"telnet", scan_network_tool},
	{"socat", scan_network_tool}, {"aria2c", scan_network_tool}, {"iwr", scan_network_tool},
	{"irm", scan_network_tool}, {"invoke-webrequest", scan_network_tool},
	{"invoke-restmethod", scan_network_tool},
	{"sh", scan_shell}, {"bash", scan_shell}, {"zsh", scan_shell}, {"dash", scan_shell}, {"ksh", scan_shell},
	{"node", scan_node}, {"nodejs", scan_node}, {"tsx", scan_node}, {"ts-node", scan_node},
	{"python", scan_python}, {"py", scan_python},
	{"perl", scan_e_interpreter}, {"ruby", scan_e_interpreter},
	{"powershell", scan_powershell}, {"pwsh", scan_powershell},
	{"npm", scan_package_manager}, {"yarn", scan_package_manager}, {"pnpm", scan_package_manager},
	{"bun", scan_package_manager},
	{"run-s", scan_run_all}, {"run-p", scan_run_all}, {"npm-run-all", scan_run_all},
	{"pip", scan_pip}, {"pip3", scan_pip},
	{"node-gyp", scan_native_build}, {"node-gyp-build", scan_native_build}, {"cmake-js", scan_native_build},
	{"prebuild-install", scan_binary_download}, {"node-pre-gyp", scan_binary_download},
	{"prebuild", scan_binary_download},
	/* they print or do nothing: a URL in a message is not a request */
	{"echo", scan_quiet}, {"printf", scan_quiet}, {"exit", scan_quiet}, {"true", scan_quiet},
	{":", scan_quiet}, {"cd", scan_quiet},
	{NULL, scan_other},
};

/* The program's name as the table knows it: folder and ".exe"/".cmd" dropped, lower case,
 * "python3.12" -> "python". */
static void program_name(const char *word, char *out, size_t len)
{
	const char *base = strrchr(word, '/') ? strrchr(word, '/') + 1 : word;
	size_t n;

	snprintf(out, len, "%s", base);
	for (char *c = out; *c; c++)
		*c = (char)tolower((unsigned char)*c);
	n = strlen(out);
	if (n > 4 && (ends_with(out, ".exe") || ends_with(out, ".cmd")))
		out[n - 4] = '\0';
	if (strncmp(out, "python", 6) == 0 && strspn(out + 6, "0123456789.") == strlen(out + 6))
		out[6] = '\0';
}

static bool is_assignment(const char *w)
{
	size_t n = strspn(w, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");

	return n > 0 && w[n] == '=' && !isdigit((unsigned char)w[0]);
}

/* Programs that run the rest of the line: skipped, with their options and assignments. */
static const char *const wrappers[] = {"sudo", "env", "exec", "nohup", "time", "command", "nice",
				       "cross-env", "npx", "pnpx", "bunx", NULL};

static size_t skip_wrappers(char **words, size_t n)
{
	size_t i = 0;
	char name[64];

	while (i < n) {
		program_name(words[i], name, sizeof name);
		if (is_assignment(words[i])) {
			i++;
			continue;
		}
		if (!str_in(name, wrappers))
			break;
		for (i++; i < n && (words[i][0] == '-' || is_assignment(words[i])); i++) {
			if (strcmp(words[i], "--") == 0) {
				i++;
				break;
			}
		}
	}
	return i;
}

/* Redirections ("> out", "2>&1", "<in") are not arguments: drops them, in place. */
static size_t drop_redirections(char **words, size_t n)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		const char *w = words[i] + strspn(words[i], "0123456789&");
		if (*w == '>' || *w == '<') {
			if (w[strspn(w, "<>&|")] == '\0')
				i++;  /* "> out": the target is the next word */
			continue;
		}
		words[k++] = words[i];
	}
	return k;
}

static int scan_simple(struct scan *s, char **words, size_t n, bool piped_in, unsigned depth)
{
	const struct command_kind *k;
	char name[64], *program;
	size_t i;
	int rc;

	n = drop_redirections(words, n);
	i = skip_wrappers(words, n);
	if (i >= n)
		return 0;
	program_name(words[i], name, sizeof name);
	for (k = command_kinds; k->name && strcmp(k->name, name) != 0; k++)
		;
	s->arg_host[0] = '\0';
	for (size_t j = i + 1; j < n && k->scan != scan_quiet && !s->arg_host[0]; j++)
		if (!first_url_host(words[j], s->arg_host))
			s->arg_host[0] = '\0';
	if (s->arg_host[0])
		note_egress(s, s->arg_host);
	/* scanners see the program by its table name; scan_other the word as written */
	program = words[i];
	if (k->name)
		words[i] = name;
	rc = k->scan(s, words + i, n - i, piped_in, depth);
	words[i] = program;
	return rc;
}

/* Shell splitting: words are unquoted in place, in the copy of the command. */
struct splitter {
	char *words[WORDS_MAX];
	size_t n;
	bool in_word;
	char *w;  /* where the next byte of a word goes; never ahead of the byte being read */
};

static void start_word(struct splitter *sp)
{
	if (sp->in_word)
		return;
	sp->in_word = true;
	if (sp->n < WORDS_MAX)
		sp->words[sp->n++] = sp->w;
}

static void end_word(struct splitter *sp)
{
	if (sp->in_word)
		*sp->w++ = '\0';
	sp->in_word = false;
}

/* Copies a quoted string's inside (r at the opening quote); returns what follows it. */
static char *unquote(struct splitter *sp, char *r)
{
	char q = *r++;

	start_word(sp);  /* "" is a word too */
	while (*r && *r != q) {
		if (q == '"' && *r == '\\' && r[1] && strchr("\"\\$`", r[1]))
			r++;
		*sp->w++ = *r++;
	}
	return *r ? r + 1 : r;
}

/* The length of the operator at r that ends a simple command, or 0 when none does. "&" right
 * after '<' or '>' or before '>' belongs to a redirection ("2>&1", "&>"). */
static size_t command_break(const char *r, bool after_redirect)
{
	if (*r == '&' && (r[1] == '>' || after_redirect))
		return 0;
	if ((r[0] == '&' && r[1] == '&') || (r[0] == '|' && r[1] == '|') || (r[0] == '$' && r[1] == '('))
		return 2;
	return *r && strchr(";&|()`\n", *r) ? 1 : 0;
}

/* Reads command as shell: each simple command is looked at in order, "|" marking the next as
 * reading the previous one's output. Substitutions ($(...), `...`) and subshells are split
 * off and looked at as commands of their own. Returns 0 or -1 (out of memory). */
static int scan_command(struct scan *s, const char *command, unsigned depth)
{
	char *buf = xstrndup(command, COMMAND_MAX), *r;
	struct splitter sp = {.w = buf};
	bool piped = false, after_redirect = false;

	if (!buf)
		return -1;
	for (r = buf; s->status == 0;) {
		char c = *r;  /* read first: ending a word may write over it */
		size_t op = command_break(r, after_redirect);
		after_redirect = sp.in_word && (c == '>' || c == '<');
		if (c == '\0' || op) {
			end_word(&sp);
			if (sp.n && scan_simple(s, sp.words, sp.n, piped, depth) != 0)
				s->status = -1;
			piped = c == '|' && op == 1 && sp.n;
			sp.n = 0;
			if (c == '\0')
				break;
			r += op;
		} else if (c == ' ' || c == '\t' || c == '\r') {
			end_word(&sp);
			r++;
		} else if (c == '\'' || c == '"') {
			r = unquote(&sp, r);
		} else {
			start_word(&sp);
			if (c == '\\' && r[1])
				r++;
			*sp.w++ = *r++;
		}
	}
	free(buf);
	return s->status;
}

/* ---- install scripts ---- */

static int add_script(struct meta *m, const char *name, const char *command, const struct scan *s)
{
	struct install_script is = {xstrdup(name), xstrdup(command), s->file[0] ? xstrdup(s->file) : NULL,
				    s->egress};

	if (!is.name || !is.command || (s->file[0] && !is.file) || vec_push(&m->p->scripts, is) != 0) {
		free(is.name);
		free(is.command);
		free(is.file);
		return -1;
	}
	return 0;
}

/* The install-script finding: "NAME: COMMAND" as its snippet is what metadata_finish finds it
 * by. why, when given, says what the script does instead of what reading it found. */
static int script_finding(struct meta *m, const char *name, const char *command, const struct scan *s,
			  const char *file, unsigned line, const char *why)
{
	size_t n = strlen(command);
	int shown = n > SHOWN_COMMAND_MAX ? SHOWN_COMMAND_MAX : (int)n;
	const char *what = why ? why : strbuf_str(&s->what);
	struct finding *f;

	f = report_add_finding(m->r, "install-script", s->host[0] ? s->host : NULL, file, line,
			       "%s runs `%.*s%s`%s%s", name, shown, command, (size_t)shown < n ? "..." : "",
			       *what ? ": " : "", what);
	if (!f || !(f->snippet = xasprintf("%s: %.*s", name, SNIPPET_MAX, command)) ||
	    !(f->fingerprint = policy_fingerprint(f->rule_id, file, f->snippet)))
		return -1;
	if (m->o->from_registry && m->eco == ECO_NPM && !strcmp(name, "prepare")) {
		/* npm runs prepare for a git or folder install, never for one from the registry:
		 * listed, and raised only by what its own file is seen to do */
		f->severity = SEV_INFO;
		return finding_add_chain(f, "npm does not run prepare when installing from the registry");
	}
	if (s->egress)
		f->severity = SEV_HIGH;
	return 0;
}

static int install_script(struct meta *m, const char *name, const char *command, const char *file,
			  unsigned line, const char *why)
{
	struct scan s = {.m = m, .what = STRBUF_INIT(WHAT_MAX)};
	int rc = -1;

	if (scan_command(&s, command, 0) != 0 || add_script(m, name, command, &s) != 0 ||
	    script_finding(m, name, command, &s, file, line, why) != 0)
		goto out;
	rc = 0;
out:
	strbuf_free(&s.what);
	return rc;
}

/* npm's lifecycle scripts that run on install, in the order npm runs them. */
static const char *const lifecycle[] = {"preinstall", "install", "postinstall", "prepare", NULL};

static int npm_scripts(struct meta *m)
{
	bool own_install = false;

	for (size_t i = 0; lifecycle[i]; i++) {
		const cJSON *c = m->scripts ? cJSON_GetObjectItemCaseSensitive(m->scripts, lifecycle[i]) : NULL;
		if (!cJSON_IsString(c) || !*c->valuestring)
			continue;
		own_install |= i < 2;
		if (install_script(m, lifecycle[i], c->valuestring, "package.json",
				   text_json_key_line(m->text, lifecycle[i]), NULL) != 0)
			return -1;
	}
	/* npm's default: with a binding.gyp and no install or preinstall, it builds the addon */
	if (!own_install && regular_file_inside(m, "binding.gyp") &&
	    install_script(m, "install", "node-gyp rebuild", "binding.gyp", 0,
			   "npm's default install for a package with a binding.gyp: builds a native addon") != 0)
		return -1;
	return 0;
}

/* ---- npm manifest ---- */

static int add_bin(struct meta *m, const char *name, const char *path, bool is_file)
{
	char rel[PATH_MAX];
	struct bin_entry b;

	if (is_file && !normalise_path(path, rel, sizeof rel))
		return report_add_incomplete(m->r, m->manifest, "bin \"%s\" points outside the package (%s): "
					     "ignored", name, path);
	b.name = xstrdup(name);
	b.path = xstrdup(is_file ? rel : path);
	if (!b.name || !b.path || vec_push(&m->p->bins, b) != 0) {
		free(b.name);
		free(b.path);
		return -1;
	}
	return 0;
}

/* "bin": "cli.js" (named after the package, scope dropped) or {"name": "path", ...}. */
static int npm_bins(struct meta *m, const cJSON *bin)
{
	const cJSON *b;
	const char *name = m->p->name;

	if (cJSON_IsString(bin) && name) {
		if (name[0] == '@' && strchr(name, '/'))
			name = strchr(name, '/') + 1;
		return add_bin(m, name, bin->valuestring, true);
	}
	cJSON_ArrayForEach(b, bin)
		if (cJSON_IsString(b) && b->string && add_bin(m, b->string, b->valuestring, true) != 0)
			return -1;
	return 0;
}

/* The package an alias installs: "npm:real@^1" -> "real", "npm:@s/real@1" -> "@s/real". */
static char *alias_target(const char *spec)
{
	const char *t, *at;

	if (!spec || strncmp(spec, "npm:", 4) != 0)
		return NULL;
	t = spec + 4;
	at = strchr(t + (t[0] == '@'), '@');
	return xstrndup(t, at ? (size_t)(at - t) : strlen(t));
}

static const char *const npm_dependency_fields[] = {"dependencies", "optionalDependencies",
						    "peerDependencies", NULL};

static int npm_dependencies(struct meta *m, const cJSON *root)
{
	for (size_t i = 0; npm_dependency_fields[i]; i++) {
		const cJSON *d, *deps = cJSON_GetObjectItemCaseSensitive(root, npm_dependency_fields[i]);
		cJSON_ArrayForEach(d, deps) {
			char *target = cJSON_IsString(d) ? alias_target(d->valuestring) : NULL;
			int rc = d->string ? add_dependency(m, d->string, target, "package.json", 0) : 0;
			free(target);
			if (rc != 0)
				return -1;
		}
	}
	return 0;
}

/* The package.json members npm acts on: an ambiguity there changes what an install does. */
static const char *const npm_acted_on[] = {
	"name", "version", "scripts", "dependencies", "devDependencies", "optionalDependencies",
	"peerDependencies", "peerDependenciesMeta", "bundleDependencies", "bundledDependencies",
	"overrides", "bin", "main", "exports", "imports", "type", "files", "directories", "man",
	"engines", "os", "cpu", "workspaces", "gypfile", "publishConfig", "packageManager", NULL,
};

static int read_npm(struct meta *m)
{
	const cJSON *name, *version, *scripts;
	struct json_read_error e;
	size_t len;
	int rc = read_file(m, "package.json", MANIFEST_MAX, &m->text, &len);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (json_read(m->text, len, JSON_STRICT, &m->doc, &e) != 0)
		return report_add_incomplete(m->r, "package.json", "invalid JSON at line %u, column %u (%s): install "
					     "scripts, bins and dependencies not checked", e.line, e.column, e.what);
	m->json = m->doc.root;
	if (json_report_ambiguities(m->r, &m->doc, "package.json", npm_acted_on) != 0)
		return -1;
	if (!cJSON_IsObject(m->json))
		return report_add_incomplete(m->r, "package.json", "not a JSON object: install scripts, bins and "
					     "dependencies not checked");
	name = cJSON_GetObjectItemCaseSensitive(m->json, "name");
	version = cJSON_GetObjectItemCaseSensitive(m->json, "version");
	scripts = cJSON_GetObjectItemCaseSensitive(m->json, "scripts");
	m->scripts = cJSON_IsObject(scripts) ? scripts : NULL;
	if (set_str(&m->p->name, cJSON_GetStringValue(name)) != 0 ||
	    set_str(&m->p->version, cJSON_GetStringValue(version)) != 0 || npm_scripts(m) != 0 ||
	    npm_bins(m, cJSON_GetObjectItemCaseSensitive(m->json, "bin")) != 0 || npm_dependencies(m, m->json) != 0)
		return -1;
	if (m->p->bins.len)
		m->app_reason = "a bin entry";
	else if (npm_script(m, "start"))
		m->app_reason = "a start script";
	return 0;
}

/* ---- Python manifests ---- */

/* A PEP 508 requirement's project name ("requests[socks]>=2; python_version>'3'" ->
 * "requests"), into out; false when there is none. */
static bool requirement_name(const char *req, char *out, size_t len)
{
	size_t n;

	while (*req == ' ' || *req == '\t')
		req++;
	n = strspn(req, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-");
	if (n == 0 || n >= len)
		return false;
	memcpy(out, req, n);
	out[n] = '\0';
	return true;
}

/* The requirement as written, for the installer (audit/pydeps.c checks it: it may be an
 * option or a path as well as a name). */
static int add_install_requirement(struct meta *m, const char *req)
{
	size_t n;
	char *copy;

	req += strspn(req, " \t");
	n = strlen(req);
	while (n > 0 && isspace((unsigned char)req[n - 1]))
		n--;
	for (size_t i = 0; i < m->p->requirements.len; i++)
		if (strlen(m->p->requirements.items[i]) == n && !strncmp(m->p->requirements.items[i], req, n))
			return 0;
	if (n == 0 || m->p->requirements.len >= DEPENDENCIES_MAX)
		return 0;  /* more than that: check_dependencies says the rest was not checked */
	if (!(copy = xstrndup(req, n)) || vec_push(&m->p->requirements, copy) != 0) {
		free(copy);
		return -1;
	}
	return 0;
}

static int add_requirement(struct meta *m, const char *req, const char *file, unsigned line)
{
	char name[NAME_BUF];

	if (add_install_requirement(m, req) != 0)
		return -1;
	return requirement_name(req, name, sizeof name) ? add_dependency(m, name, NULL, file, line) : 0;
}

/* ---- a line-based reader for the parts of TOML that pyproject.toml's [project] uses ---- */

/* One "key = value" line: the value's raw text spans [value, value_end). */
struct toml_entry {
	const char *table;   /* "project", "project.scripts", "" before any header */
	char key[128];       /* quotes removed; dotted keys kept as written ("urls.home") */
	const char *value, *value_end;
};

typedef int (*toml_entry_fn)(struct meta *m, const char *text, const struct toml_entry *e);

static const char *line_end(const char *p)
{
	while (*p && *p != '\n')
		p++;
	return p;
}

/* After a string starting at p (a quote); triple-quoted strings may span lines. */
static const char *skip_string(const char *p)
{
	char q = *p;

	if (p[1] == q && p[2] == q) {
		const char *e = strstr(p + 3, q == '"' ? "\"\"\"" : "'''");
		return e ? e + 3 : p + strlen(p);
	}
	for (p++; *p && *p != q && *p != '\n'; p++)
		if (q == '"' && *p == '\\' && p[1])
			p++;
	return *p == q ? p + 1 : p;
}

/* The end of the value starting at v: the end of its line, or of the array or inline table
 * it opens, with comments and strings skipped. */
static const char *value_end(const char *v)
{
	int depth = 0;
	const char *p = v, *last = v;

	while (*p) {
		if (*p == '"' || *p == '\'') {
			p = skip_string(p);
			last = p;
			continue;
		}
		if (*p == '#') {
			p = line_end(p);
			continue;
		}
		if (*p == '\n' && depth <= 0)
			break;
		depth += (*p == '[' || *p == '{') - (*p == ']' || *p == '}');
		if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
			last = p + 1;
		p++;
	}
	return last;
}

/* A basic ("...") or literal ('...') one-line string at v, unescaped into out. */
static bool toml_string(const char *v, const char *end, char *out, size_t len)
{
	char q = *v;
	size_t n = 0;

	if ((q != '"' && q != '\'') || len == 0)
		return false;
	for (v++; v < end && *v != q && *v != '\n'; v++) {
		char c = *v;
		if (q == '"' && c == '\\' && v + 1 < end) {
			c = *++v;
			c = c == 'n' ? '\n' : c == 't' ? '\t' : c;
		}
		if (n + 1 < len)
			out[n++] = c;
	}
	out[n] = '\0';
	return v < end && *v == q;
}

/* Adds each string directly inside the array at v as a requirement of pyproject.toml. */
static int toml_requirements(struct meta *m, const char *text, const char *v, const char *end)
{
	int depth = 0;
	char s[1024];

	if (*v != '[')
		return 0;
	for (const char *p = v; p < end;) {
		if (*p == '"' || *p == '\'') {
			const char *after = skip_string(p);
			if (depth == 1 && toml_string(p, end, s, sizeof s) &&
			    add_requirement(m, s, "pyproject.toml", line_at(text, p)) != 0)
				return -1;
			p = after;
		} else if (*p == '#') {
			p = line_end(p);
		} else {
			depth += (*p == '[' || *p == '{') - (*p == ']' || *p == '}');
			p++;
		}
	}
	return 0;
}

/* "[ tool . \"poetry\" ]" -> "tool.poetry"; "[[...]]" (arrays of tables) -> "". */
static const char *toml_header(const char *p, char *table, size_t len)
{
	size_t n = 0;

	table[0] = '\0';
	if (p[1] == '[')
		return line_end(p);
	for (p++; *p && *p != ']' && *p != '\n'; p++)
		if (*p != ' ' && *p != '\t' && *p != '"' && *p != '\'' && n + 1 < len)
			table[n++] = *p;
	table[n] = '\0';
	return line_end(p);
}

/* The key before '=' on the line at p, into e->key; returns the '=' or NULL. */
static const char *toml_key(const char *p, struct toml_entry *e)
{
	const char *eq = p;
	size_t n = 0;

	while (*eq && *eq != '=' && *eq != '\n')
		eq = (*eq == '"' || *eq == '\'') ? skip_string(eq) : eq + 1;
	if (*eq != '=')
		return NULL;
	for (const char *c = p; c < eq; c++)
		if (*c != ' ' && *c != '\t' && *c != '"' && *c != '\'' && n + 1 < sizeof e->key)
			e->key[n++] = *c;
	e->key[n] = '\0';
	return n ? eq : NULL;
}

/* Calls each for every key = value line of text, with the table it is in. */
static int toml_each(struct meta *m, const char *text, toml_entry_fn each)
{
	char table[128] = "";
	struct toml_entry e = {.table = table};

	for (const char *p = text; *p;) {
		const char *eq;
		p += strspn(p, " \t\r\n");
		if (*p == '\0')
			break;
		if (*p == '#') {
			p = line_end(p);
		} else if (*p == '[') {
			p = toml_header(p, table, sizeof table);
		} else if ((eq = toml_key(p, &e))) {
			e.value = eq + 1 + strspn(eq + 1, " \t");
			e.value_end = value_end(e.value);
			if (each(m, text, &e) != 0)
				return -1;
			p = e.value_end > e.value ? e.value_end : line_end(p);
		} else {
			p = line_end(p);
		}
	}
	return 0;
}

static int pyproject_bin(struct meta *m, const struct toml_entry *e)
{
	char target[512];

	if (!toml_string(e->value, e->value_end, target, sizeof target))
		snprintf(target, sizeof target, "%.*s", (int)(e->value_end - e->value), e->value);
	return add_bin(m, e->key, target, false);
}

static int pyproject_entry(struct meta *m, const char *text, const struct toml_entry *e)
{
	char s[512];
	bool project = strcmp(e->table, "project") == 0, poetry = strcmp(e->table, "tool.poetry") == 0;

	if ((project || poetry) && strcmp(e->key, "name") == 0 && toml_string(e->value, e->value_end, s, sizeof s))
		return set_if_empty(&m->p->name, s);
	if ((project || poetry) && strcmp(e->key, "version") == 0 &&
	    toml_string(e->value, e->value_end, s, sizeof s))
		return set_if_empty(&m->p->version, s);
	if (project && strcmp(e->key, "dependencies") == 0)
		return toml_requirements(m, text, e->value, e->value_end);
	if (strcmp(e->table, "tool.poetry.dependencies") == 0 && strcmp(e->key, "python") != 0)
		return add_install_requirement(m, e->key) != 0 ? -1 :
		       add_dependency(m, e->key, NULL, "pyproject.toml", line_at(text, e->value));
	if (strcmp(e->table, "project.scripts") == 0 || strcmp(e->table, "project.gui-scripts") == 0 ||
	    strcmp(e->table, "tool.poetry.scripts") == 0)
		return pyproject_bin(m, e);
	return 0;
}

/* Whether a Requires-Dist line is only for an extra: its marker compares the variable
 * "extra" (`; extra == "test"`), so pip does not install it by default. A name or a
 * version holding the text "extra" ("extra-lib") is no marker. A line pep508 refuses is
 * not optional: add_requirement reports it. */
static bool only_for_extra(const char *req)
{
	struct pep508 r;
	char why[128];

	return pep508_parse(req, &r, why, sizeof why) && r.marker_extras[0];
}

/* PKG-INFO and a wheel's METADATA (core metadata, RFC 822 style headers). */
static int read_core_metadata(struct meta *m, const char *rel)
{
	char *text, value[1024];
	size_t len;
	int rc = read_file(m, rel, MANIFEST_MAX, &text, &len);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	for (const char *p = text; *p && *p != '\n' && *p != '\r' && rc == 0;) {
		const char *e = line_end(p), *colon = memchr(p, ':', (size_t)(e - p));
		if (colon && *p != ' ' && *p != '\t') {
			const char *v = colon + 1 + strspn(colon + 1, " \t");
			snprintf(value, sizeof value, "%.*s", (int)(e - v), v);
			value[strcspn(value, "\r")] = '\0';
			if (strncasecmp(p, "Name:", 5) == 0)
				rc = set_if_empty(&m->p->name, value);
			else if (strncasecmp(p, "Version:", 8) == 0)
				rc = set_if_empty(&m->p->version, value);
			else if (strncasecmp(p, "Requires-Dist:", 14) == 0 && !only_for_extra(value))
				rc = add_requirement(m, value, rel, line_at(text, p));
		}
		p = *e ? e + 1 : e;
	}
	free(text);
	return rc;
}

/* ---- setup.cfg and entry_points.txt (INI) ---- */

/* Calls each(m, file, section, key, value, line) for each value line, continuation lines
 * (indented) with the key they continue. */
static int ini_each(struct meta *m, const char *rel,
		    int (*each)(struct meta *m, const char *file, const char *section, const char *key,
				const char *value, unsigned line))
{
	char *text, section[128] = "", key[128] = "", value[1024];
	size_t len;
	int rc = read_file(m, rel, MANIFEST_MAX, &text, &len);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	for (const char *p = text; *p && rc == 0;) {
		const char *e = line_end(p), *t = p + strspn(p, " \t");
		bool indented = t > p;
		int n = (int)(e - t);
		while (n > 0 && isspace((unsigned char)t[n - 1]))
			n--;
		if (n == 0 || *t == '#' || *t == ';') {
			/* blank or comment */
		} else if (!indented && *t == '[') {
			snprintf(section, sizeof section, "%.*s", (int)strcspn(t + 1, "]\n"), t + 1);
			key[0] = '\0';
		} else if (indented && key[0]) {
			snprintf(value, sizeof value, "%.*s", n, t);
			rc = each(m, rel, section, key, value, line_at(text, p));
		} else {
			size_t k = strcspn(t, "=:\n");
			const char *v = t + k + (t[k] == '=' || t[k] == ':');
			while (k > 0 && isspace((unsigned char)t[k - 1]))
				k--;
			snprintf(key, sizeof key, "%.*s", (int)k, t);
			v += strspn(v, " \t");
			snprintf(value, sizeof value, "%.*s", (int)(t + n - v > 0 ? t + n - v : 0), v);
			if (value[0])
				rc = each(m, rel, section, key, value, line_at(text, p));
		}
		p = *e ? e + 1 : e;
	}
	free(text);
	return rc;
}

/* "name = module:function" into a bin. */
static int entry_point(struct meta *m, const char *line_text)
{
	char name[128];
	size_t k = strcspn(line_text, "=");
	const char *target = line_text + k + (line_text[k] == '=');

	while (k > 0 && isspace((unsigned char)line_text[k - 1]))
		k--;
	if (k == 0 || k >= sizeof name)
		return 0;
	snprintf(name, sizeof name, "%.*s", (int)k, line_text);
	return add_bin(m, name, target + strspn(target, " \t"), false);
}

static int setup_cfg_value(struct meta *m, const char *file, const char *section, const char *key,
			   const char *value, unsigned line)
{
	if (strcmp(section, "metadata") == 0 && strcmp(key, "name") == 0)
		return set_if_empty(&m->p->name, value);
	if (strcmp(section, "metadata") == 0 && strcmp(key, "version") == 0 && !strchr(value, ':'))
		return set_if_empty(&m->p->version, value);  /* "attr: pkg.__version__" is not one */
	if (strcmp(section, "options") == 0 && strcmp(key, "install_requires") == 0)
		return add_requirement(m, value, file, line);
	if (strcmp(section, "options.entry_points") == 0 && strcmp(key, "console_scripts") == 0)
		return entry_point(m, value);
	return 0;
}

static int entry_points_value(struct meta *m, const char *file, const char *section, const char *key,
			      const char *value, unsigned line)
{
	char joined[512];

	if (strcmp(section, "console_scripts") != 0 && strcmp(section, "gui_scripts") != 0)
		return 0;
	snprintf(joined, sizeof joined, "%s = %s", key, value);
	return entry_point(m, joined);
}

/* The first *.dist-info folder at the root (a wheel's metadata), into out; false if none. */
static bool find_dist_info(const struct meta *m, char *out, size_t len)
{
	DIR *d = opendir(m->root);
	struct dirent *de;
	bool found = false;

	if (!d)
		return false;
	while (!found && (de = readdir(d)))
		if (ends_with(de->d_name, ".dist-info") && strlen(de->d_name) < len) {
			snprintf(out, len, "%s", de->d_name);
			found = true;
		}
	closedir(d);
	return found;
}

static int read_pyproject(struct meta *m)
{
	char *text;
	size_t len;
	int rc = read_file(m, "pyproject.toml", MANIFEST_MAX, &text, &len);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	rc = toml_each(m, text, pyproject_entry);
	free(text);
	return rc;
}

static int read_python(struct meta *m)
{
	char info[NAME_MAX + 1], rel[NAME_MAX + 32];
	bool wheel = find_dist_info(m, info, sizeof info);

	if (read_pyproject(m) != 0 || read_core_metadata(m, "PKG-INFO") != 0 ||
	    ini_each(m, "setup.cfg", setup_cfg_value) != 0)
		return -1;
	if (wheel) {
		snprintf(rel, sizeof rel, "%s/METADATA", info);
		if (read_core_metadata(m, rel) != 0)
			return -1;
		snprintf(rel, sizeof rel, "%s/entry_points.txt", info);
		if (ini_each(m, rel, entry_points_value) != 0)
			return -1;
	}
	if (regular_file_inside(m, "setup.py") &&
	    install_script(m, "setup.py", "python setup.py", "setup.py", 0,
			   "pip runs it, with the user's rights, when it installs the package from source") != 0)
		return -1;
	if (m->p->bins.len)
		m->app_reason = "console scripts";
	return 0;
}

/* The manifest that says which ecosystem the package is in, first match wins. */
static const struct manifest_kind {
	const char *file;
	enum ecosystem eco;
} manifests[] = {
	{"package.json", ECO_NPM}, {"pyproject.toml", ECO_PYPI}, {"setup.cfg", ECO_PYPI},
	{"setup.py", ECO_PYPI}, {"PKG-INFO", ECO_PYPI}, {NULL, ECO_NONE},
};

static int read_manifest(struct meta *m)
{
	char info[NAME_MAX + 1], full[PATH_MAX];
	const struct manifest_kind *k;

	for (k = manifests; k->file; k++)
		if (locate(m, k->file, full) != PLACE_ABSENT)
			break;
	m->eco = k->eco;
	m->manifest = k->file;
	if (!k->file && find_dist_info(m, info, sizeof info)) {
		m->eco = ECO_PYPI;
		m->manifest = "METADATA";
	}
	if (m->eco == ECO_NONE)
		return 0;
	if (set_str(&m->p->ecosystem, ecosystem_names[m->eco]) != 0)
		return -1;
	return m->eco == ECO_NPM ? read_npm(m) : read_python(m);
}

/* ---- age, from the registry ---- */

/* Days since 1970-01-01 of a civil date (Howard Hinnant's days_from_civil). */
static long long days_from_civil(long long y, unsigned mon, unsigned d)
{
	y -= mon <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (mon > 2 ? mon - 3 : mon + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + (long long)doe - 719468;
}

/* Seconds since the epoch of "YYYY-MM-DD[THH:MM:SS...]" (UTC); false when it is not one. */
static bool parse_time(const char *s, long long *out)
{
	unsigned y, mo, d, h = 0, mi = 0, sec = 0;
	int n = 0;

	if (!s || sscanf(s, "%4u-%2u-%2u%n", &y, &mo, &d, &n) != 3 || n != 10 || mo < 1 || mo > 12 || d < 1 ||
	    d > 31)
		return false;
	if ((s[10] == 'T' || s[10] == ' ') && sscanf(s + 11, "%2u:%2u:%2u", &h, &mi, &sec) != 3)
		return false;
	*out = days_from_civil(y, mo, d) * DAY_SECONDS + h * 3600LL + mi * 60LL + sec;
	return true;
}

/* Whole days from date to today (0 when date is later), or -1 when either is not a date. */
static long long age_days(const char *date, const char *today)
{
	long long a, b;

	if (!parse_time(date, &a) || !parse_time(today, &b))
		return -1;
	return b > a ? (b - a) / DAY_SECONDS : 0;
}

/* npm's packument: time.created, time[VERSION], and the versions object. */
static int npm_dates(struct meta *m, const cJSON *reg, const char *version)
{
	const cJSON *time = cJSON_GetObjectItemCaseSensitive(reg, "time");
	const cJSON *versions = cJSON_GetObjectItemCaseSensitive(reg, "versions"), *t;
	unsigned n = 0;

	if (set_str(&m->p->created, cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(time, "created"))) != 0 ||
	    (version && set_str(&m->p->published,
				cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(time, version))) != 0))
		return -1;
	if (cJSON_IsObject(versions)) {
		n = (unsigned)cJSON_GetArraySize(versions);
	} else {
		cJSON_ArrayForEach(t, time)
			n += t->string && strcmp(t->string, "created") != 0 && strcmp(t->string, "modified") != 0 &&
			     strcmp(t->string, "unpublished") != 0;
	}
	m->p->versions = n;
	return 0;
}

/* The earliest upload time among a PyPI release's files, or NULL. */
static const char *release_time(const cJSON *files)
{
	const char *first = NULL;
	const cJSON *f;

	cJSON_ArrayForEach(f, files) {
		const char *t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "upload_time_iso_8601"));
		if (!t)
			t = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(f, "upload_time"));
		if (t && (!first || strcmp(t, first) < 0))
			first = t;
	}
	return first;
}

/* PyPI's JSON: releases {VERSION: [files]}; the first upload is the creation. */
static int pypi_dates(struct meta *m, const cJSON *reg, const char *version)
{
	const cJSON *rel;
	const char *created = NULL;
	unsigned n = 0;

	cJSON_ArrayForEach(rel, cJSON_GetObjectItemCaseSensitive(reg, "releases")) {
		const char *t = release_time(rel);
		if (!t)
			continue;  /* a release with no files was never installable */
		n++;
		if (!created || strcmp(t, created) < 0)
			created = t;
		if (version && rel->string && strcmp(rel->string, version) == 0 && set_str(&m->p->published, t) != 0)
			return -1;
	}
	m->p->versions = n;
	return set_str(&m->p->created, created);
}

/* The version the registry record is read for: the one audited, the manifest's, or latest. */
static const char *registry_version(const struct meta *m)
{
	const cJSON *reg = m->o->registry;
	const cJSON *info = cJSON_GetObjectItemCaseSensitive(reg, "info");

	if (m->o->version)
		return m->o->version;
	if (m->p->version)
		return m->p->version;
	if (cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(info, "version")))
		return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(info, "version"));
	return cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(
		cJSON_GetObjectItemCaseSensitive(reg, "dist-tags"), "latest"));
}

static int new_package_finding(struct meta *m, long long created_days, long long version_days)
{
	const struct package_info *p = m->p;
	struct strbuf b = STRBUF_INIT(512);
	struct finding *f;
	int rc = -1;

	if (created_days >= 0)
		strbuf_printf(&b, "first published %lld day%s ago", created_days, created_days == 1 ? "" : "s");
	if (p->versions)
		strbuf_printf(&b, "%s%u version%s", b.len ? ", " : "", p->versions, p->versions == 1 ? "" : "s");
	if (version_days >= 0)
		strbuf_printf(&b, "%sversion %s published %lld day%s ago", b.len ? ", " : "",
			      p->version ? p->version : "audited", version_days, version_days == 1 ? "" : "s");
	f = report_add_finding(m->r, "new-package", NULL, NULL, 0, "%s%s%s is new: %s",
			       p->name ? "\"" : "", p->name ? p->name : "the package", p->name ? "\"" : "",
			       strbuf_str(&b));
	if (f && (f->fingerprint = policy_fingerprint(f->rule_id, NULL, p->name ? p->name : "")))
		rc = 0;
	strbuf_free(&b);
	return rc;
}

static int check_registry(struct meta *m)
{
	const cJSON *reg = m->o->registry;
	const char *version;
	long long created_days, version_days;
	bool pypi;

	if (!reg)
		return 0;
	pypi = cJSON_IsObject(cJSON_GetObjectItemCaseSensitive(reg, "releases"));
	version = registry_version(m);
	if ((pypi ? pypi_dates(m, reg, version) : npm_dates(m, reg, version)) != 0)
		return -1;
	if (!m->p->created && !m->p->published)
		return report_add_incomplete(m->r, NULL, "the registry record has no publication dates: "
					     "package age not checked");
	if (version && !m->p->published && report_add_incomplete(m->r, NULL, "the registry record has no "
								  "publication date for version %s", version) != 0)
		return -1;
	if (!parse_time(m->o->today, &(long long){0}))
		return report_add_incomplete(m->r, NULL, "no current date: package age not checked");
	created_days = age_days(m->p->created, m->o->today);
	version_days = age_days(m->p->published, m->o->today);
	if ((created_days >= 0 && created_days < METADATA_NEW_DAYS) ||
	    (m->p->versions && m->p->versions < METADATA_FEW_VERSIONS && version_days >= 0 &&
	     version_days < METADATA_NEW_DAYS))
		return new_package_finding(m, created_days, version_days);
	return 0;
}

/* ---- lockfile ---- */

/* Whether every requirement of a requirements.txt is pinned with "==" (no wildcard, no
 * included file whose pins are unknown). */
static bool requirements_pinned(struct meta *m)
{
	char *text;
	size_t len;
	bool pinned = true, any = false;

	if (read_file(m, "requirements.txt", MANIFEST_MAX, &text, &len) != 0)
		return false;
	for (char *p = text; *p;) {
		char *e = (char *)line_end(p), *t = p + strspn(p, " \t");
		size_t n = strcspn(t, "#\r\n");
		if (n && *t == '-')  /* options; "--hash" continues a pinned line */
			pinned &= strncmp(t, "--hash", 6) == 0 || strncmp(t, "--index-url", 11) == 0 ||
				  strncmp(t, "--extra-index-url", 17) == 0 || strncmp(t, "-i ", 3) == 0;
		else if (n && t[0] != '\\') {
			char *eq = strstr(t, "==");
			any = true;
			pinned &= eq && eq < t + n && !memchr(eq, '*', (size_t)(t + n - eq));
		}
		p = *e ? e + 1 : e;
	}
	free(text);
	return pinned && any;
}

static const struct lockfile_kind {
	const char *file;
	enum ecosystem eco;
	bool pins_published;  /* still pins dependencies when the package comes from the registry */
} lockfiles[] = {
	/* npm never publishes package-lock.json; only a shrinkwrap reaches the user's install */
	{"npm-shrinkwrap.json", ECO_NPM, true}, {"package-lock.json", ECO_NPM, false},
	{"yarn.lock", ECO_NPM, false}, {"pnpm-lock.yaml", ECO_NPM, false}, {"bun.lock", ECO_NPM, false},
	{"bun.lockb", ECO_NPM, false},
	{"uv.lock", ECO_PYPI, true}, {"poetry.lock", ECO_PYPI, true}, {"Pipfile.lock", ECO_PYPI, true},
	{"pdm.lock", ECO_PYPI, true}, {"requirements.txt", ECO_PYPI, true},
	{NULL, ECO_NONE, false},
};

static int check_lockfile(struct meta *m)
{
	const struct lockfile_kind *k;
	struct finding *f;

	for (k = lockfiles; k->file; k++) {
		if (k->eco != m->eco || (m->o->from_registry && m->eco == ECO_NPM && !k->pins_published) ||
		    !regular_file_inside(m, k->file))
			continue;
		if (strcmp(k->file, "requirements.txt") != 0 || requirements_pinned(m))
			break;
	}
	if (k->file)
		return set_str(&m->p->lockfile, k->file);
	if (!m->app_reason || m->p->dependencies.len == 0)
		return 0;
	f = report_add_finding(m->r, "no-lockfile", NULL, m->manifest, 0,
			       "an application-style package (it has %s) with %zu dependenc%s and no lockfile%s",
			       m->app_reason, m->p->dependencies.len, m->p->dependencies.len == 1 ? "y" : "ies",
			       m->o->from_registry && m->eco == ECO_NPM
				       ? " that reaches its users (a published npm package pins them only with "
					 "npm-shrinkwrap.json)"
				       : "");
	if (!f || !(f->fingerprint = policy_fingerprint(f->rule_id, m->manifest, m->app_reason)))
		return -1;
	return 0;
}

/* ---- the entry points ---- */

static void meta_free(struct meta *m)
{
	json_doc_free(&m->doc);
	free(m->text);
	deps_free(m);
	popular_free(&m->popular);
}

int metadata_check(const struct metadata_options *o, struct report *r, char *err, size_t errlen)
{
	struct meta m = {.o = o, .r = r};
	int rc = -1;

	if (!(m.p = r->package ? r->package : report_package(r)))
		goto out;
	if (!o->root || !realpath(o->root, m.root)) {
		rc = report_add_incomplete(r, o->root, "cannot open the package folder: %s",
					   o->root ? strerror(errno) : "none given");
		goto out;
	}
	if (load_popular(&m) != 0 || read_manifest(&m) != 0 ||
	    (o->version && set_str(&m.p->version, o->version) != 0) || check_registry(&m) != 0 ||
	    check_dependencies(&m) != 0 || check_lockfile(&m) != 0)
		goto out;
	rc = 0;
out:
	if (rc != 0)
		snprintf(err, errlen, "package metadata: out of memory");
	meta_free(&m);
	return rc;
}

static struct finding *find_script_finding(struct report *r, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < r->findings.len; i++) {
		struct finding *f = r->findings.items[i];
		if (strcmp(f->rule_id, "install-script") == 0 && f->snippet && strncmp(f->snippet, name, n) == 0 &&
		    f->snippet[n] == ':')
			return f;
	}
	return NULL;
}

/* Whether evidence e shows the script s at work: a static call site in its file, or a packet
 * of the install phase. */
static bool shows_script(const struct install_script *s, const struct evidence *e)
{
	if (e->stage && strcmp(e->stage, "static") == 0)
		return s->file && e->file && strcmp(e->file, s->file) == 0;
	if (e->stage && strcmp(e->stage, "dynamic") == 0 && e->phase)
		return strcmp(e->phase, "install") == 0 ||
		       (strncmp(e->phase, "install:", 8) == 0 && strcmp(e->phase + 8, s->name) == 0);
	return false;
}

/* Marks s as making egress and raises its finding; the host and a chain line are added
 * while memory lasts. */
static void raise_script(struct install_script *s, struct finding *f, const struct endpoint *ep,
			 const struct evidence *e)
{
	const char *dest = ep->host ? ep->host : ep->host_suffix ? ep->host_suffix : "an unknown host";

	s->egress = true;
	if (!f)
		return;
	if (f->severity < SEV_HIGH)
		f->severity = SEV_HIGH;
	if (!f->host && ep->host)
		f->host = xstrdup(ep->host);
	if (f->chain.len >= FINISH_CHAIN_MAX)
		return;
	if (e->file)
		finding_add_chain(f, "%s:%u: %s -> %s", e->file, e->line, e->api ? e->api : "call", dest);
	else
		finding_add_chain(f, "install run: %s -> %s", e->expression ? e->expression : "traffic", dest);
}

void metadata_finish(struct report *r)
{
	struct package_info *p = r->package;

	for (size_t i = 0; p && i < p->scripts.len; i++) {
		struct install_script *s = &p->scripts.items[i];
		struct finding *f = find_script_finding(r, s->name);
		for (size_t j = 0; j < r->endpoints.len; j++) {
			const struct endpoint *ep = r->endpoints.items[j];
			if (ep->host && host_is_local(ep->host))
				continue;
			for (size_t k = 0; k < ep->evidence.len; k++) {
				const struct evidence *e = &ep->evidence.items[k];
				/* a script left at info (prepare from the registry) never ran: the
				 * install phase's traffic is the other scripts' */
				bool ran = !(f && f->severity == SEV_INFO && e->stage && !strcmp(e->stage, "dynamic"));
				if (ran && shows_script(s, e))
					raise_script(s, f, ep, e);
			}
		}
	}
}
