/* The client-library catalog: parsing the embedded TSV files, finding an entry by callee,
 * and evaluating where a construction of a catalogued client sends its requests. */
#include "analyzer/catalog.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "analyzer/eval.h"
#include "core/embedded.h"
#include "core/hostname.h"
#include "core/strbuf.h"
#include "core/url.h"

#define CATALOG_MAX_ENTRIES 2048
#define CATALOG_COLUMNS 9        /* required (the ninth, integrity, is provenance only);
				  * a tenth, services, is optional */
#define CATALOG_SERVICES_MAX 128

/* One ecosystem's catalog: its entries sorted by callee, and the text they point into. */
struct catalog {
	const char *file;
	struct catalog_entry *entries;
	size_t n;
	char *text;
};

static struct catalog catalogs[] = {
	{"analyzer/data/catalog_npm.tsv", NULL, 0, NULL},
	{"analyzer/data/catalog_pypi.tsv", NULL, 0, NULL},
	{"analyzer/data/catalog_commands.tsv", NULL, 0, NULL},
};

enum { CATALOG_NPM, CATALOG_PYPI, CATALOG_COMMANDS };

static pthread_once_t load_once = PTHREAD_ONCE_INIT;
static int load_status;
static char load_error[256];

static int cmp_callee(const void *a, const void *b)
{
	return strcmp(((const struct catalog_entry *)a)->callee, ((const struct catalog_entry *)b)->callee);
}

static const char *column(char *s)
{
	return strcmp(s, "-") == 0 ? NULL : s;
}

/* Split "arg0.baseURL,kw:base_url" into e->options (the text is modified in place). */
static void split_options(char *s, struct catalog_entry *e)
{
	for (char *p = s; p && *p && e->noptions < CATALOG_MAX_OPTIONS;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		e->options[e->noptions++] = p;
		p = comma ? comma + 1 : NULL;
	}
}

/* Words that name no service in a package name ("@slack/web-api", "posthog-node"). */
static const char *const generic_words[] = {
	"sdk", "node", "js", "client", "core", "api", "ai", "python", "py", "server", "web", "rest",
	"bot", "lib", "official", "io", "http", "service", "services", "backend", "hub", "com",
	"org", "net", "dev", "app", "the", "for", "and",
	/* everyday words that a README uses for other things ("command line", "maps") */
	"analytics", "database", "marketing", "commerce", "inference", "generative", "graph",
	"blob", "maps", "connector", "google", "line", "segment", "trigger", "together",
	"square",
	/* protocols and parts every client has: "run `npm run auth`", "OAuth2 sign-in" */
	"auth", "oauth", "oauth2", "library", NULL,
};

static bool generic_word(const char *w, size_t n)
{
	for (const char *const *g = generic_words; *g; g++)
		if (strlen(*g) == n && strncasecmp(*g, w, n) == 0)
			return true;
	return false;
}

/* Append each word of text[0..n) (runs of letters and digits, 3 or more, not generic)
 * to s, comma-separated, lower case, without repeats. */
static void add_words(struct strbuf *s, const char *text, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;
		char word[64];
		while (j < n && isalnum((unsigned char)text[j]))
			j++;
		if (j - i >= 3 && j - i < sizeof word && !generic_word(text + i, j - i)) {
			char padded[sizeof word + 2];
			for (size_t k = 0; k < j - i; k++)
				word[k] = (char)tolower((unsigned char)text[i + k]);
			word[j - i] = '\0';
			snprintf(padded, sizeof padded, ",%s,", word);
			char have[CATALOG_SERVICES_MAX + 2];
			snprintf(have, sizeof have, ",%s,", strbuf_str(s));
			if (!strstr(have, padded))
				strbuf_printf(s, "%s%s", strbuf_str(s)[0] ? "," : "", word);
		}
		i = j > i ? j : i + 1;
	}
}

/* The word that names the vendor of host's registrable domain site: its first label
 * ("openai.com": "openai"), or, when the rest is a company's domain that the public suffix
 * list's private section lists (oauth2.googleapis.com: googleapis.com), that domain's
 * first label ("googleapis"): "oauth2" or "gmail" names an API, not who runs it. */
static void add_site_word(struct strbuf *s, const char *site)
{
	const char *dot = strchr(site, '.');

	if (dot && hostname_private_suffix(dot + 1))
		site = dot + 1;
	dot = strchr(site, '.');
	add_words(s, site, dot ? (size_t)(dot - site) : strlen(site));
}

/* The service names of e when the catalog gives none: the words of its package name and
 * the word of its default host's site (api.openai.com: "openai"; add_site_word).
 * Allocated for the program's life, like the catalog; NULL when there are none. */
static const char *derive_services(const struct catalog_entry *e)
{
	struct strbuf s = STRBUF_INIT(CATALOG_SERVICES_MAX);
	struct url_parts u;
	char *site = NULL, *out = NULL;

	add_words(&s, e->package, strlen(e->package));
	if (e->default_url && !strchr(e->default_url, '*') && url_parse(e->default_url, &u) &&
	    !host_is_local(u.host) && (site = hostname_registrable(u.host)))
		add_site_word(&s, site);
	if (strbuf_str(&s)[0])
		out = strdup(strbuf_str(&s));
	free(site);
	strbuf_free(&s);
	return out;
}

/* Fill e from one tab-separated line; false when it does not have every column. */
static bool parse_line(char *line, struct catalog_entry *e)
{
	char *col[CATALOG_COLUMNS + 1];
	size_t n = 0;

	for (char *p = line; p && n < CATALOG_COLUMNS + 1;) {
		char *tab = strchr(p, '\t');
		if (tab)
			*tab = '\0';
		col[n++] = p;
		p = tab ? tab + 1 : NULL;
	}
	if (n < CATALOG_COLUMNS || !*col[0] || !*col[1])
		return false;
	memset(e, 0, sizeof *e);
	e->package = col[0];
	e->callee = col[1];
	e->category = col[2];
	e->default_url = column(col[3]);
	if (column(col[4]))
		split_options(col[4], e);
	e->env = column(col[5]);
	e->version = col[6];
	e->services = n > CATALOG_COLUMNS ? column(col[CATALOG_COLUMNS]) : derive_services(e);
	return true;
}

static int load_one(struct catalog *c, char *err, size_t errlen)
{
	const struct embedded_file *f = embedded_find(embedded_data, c->file);
	unsigned lineno = 0;
	char *p;

	if (!f) {
		snprintf(err, errlen, "%s: not embedded", c->file);
		return -1;
	}
	c->text = strdup((const char *)f->bytes);
	c->entries = calloc(CATALOG_MAX_ENTRIES, sizeof *c->entries);
	if (!c->text || !c->entries) {
		snprintf(err, errlen, "%s: out of memory", c->file);
		return -1;
	}
	for (p = c->text; p && *p;) {
		char *nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lineno++;
		if (*p && *p != '#') {
			if (c->n == CATALOG_MAX_ENTRIES || !parse_line(p, &c->entries[c->n])) {
				snprintf(err, errlen, "%s:%u: %s", c->file, lineno,
					 c->n == CATALOG_MAX_ENTRIES ? "too many entries" : "expected 9 tab-separated columns");
				return -1;
			}
			c->n++;
		}
		p = nl ? nl + 1 : NULL;
	}
	qsort(c->entries, c->n, sizeof *c->entries, cmp_callee);
	return 0;
}

static void load_all(void)
{
	for (size_t i = 0; i < sizeof catalogs / sizeof *catalogs; i++)
		if (load_one(&catalogs[i], load_error, sizeof load_error) != 0) {
			load_status = -1;
			return;
		}
}

int catalog_load(char *err, size_t errlen)
{
	pthread_once(&load_once, load_all);
	if (load_status != 0)
		snprintf(err, errlen, "%s", load_error);
	return load_status;
}

static const struct catalog_entry *find_exact(const struct catalog *c, const char *callee)
{
	struct catalog_entry key = {.callee = callee};

	return bsearch(&key, c->entries, c->n, sizeof *c->entries, cmp_callee);
}

void catalog_each_callee(enum grammar g, void (*fn)(void *ctx, const char *callee), void *ctx)
{
	const struct catalog *c = &catalogs[g == GRAMMAR_PYTHON ? CATALOG_PYPI : CATALOG_NPM];

	pthread_once(&load_once, load_all);
	for (size_t i = 0; i < c->n; i++)
		fn(ctx, c->entries[i].callee);
}

const struct catalog_entry *catalog_find(enum grammar g, const char *callee)
{
	const struct catalog *c = &catalogs[g == GRAMMAR_PYTHON ? CATALOG_PYPI : CATALOG_NPM];
	const struct catalog_entry *e;
	char name[256];
	char *dot;

	if (!callee)
		return NULL;
	pthread_once(&load_once, load_all);
	if (!c->entries)
		return NULL;
	if ((e = find_exact(c, callee)) || strlen(callee) + 2 >= sizeof name)
		return e;
	/* "x.openai.*" lists every method of an instance: try each shorter prefix. The star
	 * stands for members, not for a call's result: googleapis' `google.*` (each API's
	 * factory) must not take `google.sheets().spreadsheets.get`, a method of what the
	 * factory made, whose destination is the factory's (a row of its own, configured at
	 * the factory's call, where it is reported). */
	snprintf(name, sizeof name, "%s", callee);
	while ((dot = strrchr(name, '.')) && dot != name && !strstr(callee + (dot - name), "()")) {
		dot[1] = '*';
		dot[2] = '\0';
		if ((e = find_exact(c, name)))
			return e;
		*dot = '\0';
	}
	return NULL;
}

/* ---- commands a child process runs ---- */

#define COMMAND_MAX_WORDS 64

/* Whether the word w[0..n) is in the comma-separated list (subcommands of a command row). */
static bool in_list(const char *list, const char *w, size_t n)
{
	for (const char *p = list; p && *p;) {
		size_t len = strcspn(p, ",");
		if (len == n && strncmp(p, w, n) == 0)
			return true;
		p = p[len] ? p + len + 1 : NULL;
	}
	return false;
}

/* Whether row e's callee ("npx", "npm install,i,ci") names the tool at words[i] (a path's
 * last part, so /usr/bin/npm is npm) and, when it lists subcommands, the next word that is
 * not an option is one of them. */
static bool command_matches(const struct catalog_entry *e, char *const *words, size_t nwords, size_t i)
{
	const char *tool = strrchr(words[i], '/') ? strrchr(words[i], '/') + 1 : words[i];
	size_t toollen = strcspn(e->callee, " ");
	const char *subs = e->callee[toollen] ? e->callee + toollen + 1 : NULL;

	if (strlen(tool) != toollen || strncmp(tool, e->callee, toollen) != 0)
		return false;
	if (!subs)
		return true;
	for (size_t k = i + 1; k < nwords; k++)
		if (words[k][0] != '-')
			return in_list(subs, words[k], strlen(words[k]));
	return false;
}

const struct catalog_entry *catalog_find_command(const char *cmd)
{
	const struct catalog *c = &catalogs[CATALOG_COMMANDS];
	char copy[1024], *words[COMMAND_MAX_WORDS], *save = NULL;
	size_t n = 0;

	if (!cmd)
		return NULL;
	pthread_once(&load_once, load_all);
	if (!c->entries)
		return NULL;
	snprintf(copy, sizeof copy, "%s", cmd);
	for (char *w = strtok_r(copy, " \t\n'\"`;|&()", &save); w && n < COMMAND_MAX_WORDS;
	     w = strtok_r(NULL, " \t\n'\"`;|&()", &save))
		words[n++] = w;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < c->n; k++)
			if (command_matches(&c->entries[k], words, n, i))
				return &c->entries[k];
	return NULL;
}

/* ---- evaluating the configured destination ---- */

/* The positional argument at index i of args (comments and keyword arguments skipped). */
static bool positional_arg(TSNode args, unsigned i, TSNode *out)
{
	uint32_t n = ts_node_named_child_count(args);

	for (uint32_t k = 0; k < n; k++) {
		TSNode a = ts_node_named_child(args, k);
		if (node_is(a, "comment") || node_is(a, "keyword_argument"))
			continue;
		if (i-- == 0) {
			*out = a;
			return true;
		}
	}
	return false;
}

/* Python keyword argument name=... of args. */
static bool keyword_arg(struct module *m, TSNode args, const char *name, TSNode *out)
{
	uint32_t n = ts_node_named_child_count(args);

	for (uint32_t k = 0; k < n; k++) {
		TSNode a = ts_node_named_child(args, k);
		if (node_is(a, "keyword_argument") && node_text_eq(m, child(m, a, F_NAME), name)) {
			*out = child(m, a, F_VALUE);
			return !ts_node_is_null(*out);
		}
	}
	return false;
}

/* A list of brokers or nodes (kafkajs `brokers: [a, b]`, `nodes: [...]`): the client
 * connects to one of them, so each string in it is an alternative. NULL when none is. */
static struct value *array_alternatives(struct module *m, struct value *arr)
{
	struct value *alt = NULL;

	for (size_t i = 0; i < arr->nitems; i++) {
		if (!value_is_stringish(arr->items[i]))
			continue;
		if (!alt)
			alt = value_new(m->arena, VAL_ALT);
		value_push_item(m->arena, alt, arr->items[i]);
	}
	return alt;
}

/* The value at an option path ("arg1.host", "arg0.socket.host", "kw:base_url"), or NULL
 * when the call does not give it. */
static struct value *option_value(struct module *m, TSNode args, const char *path)
{
	char buf[128];
	struct value *v;
	TSNode a;
	char *key, *dot;
	const char *c;

	snprintf(buf, sizeof buf, "%s", path);
	if (strncmp(buf, "kw:", 3) == 0) {
		eval_reset(m);
		v = keyword_arg(m, args, buf + 3, &a) ? eval_node(m, a) : NULL;
		return v && v->kind == VAL_ARRAY ? array_alternatives(m, v) : v;
	}
	if (strncmp(buf, "arg", 3) != 0 || buf[3] < '0' || buf[3] > '9' || !positional_arg(args, (unsigned)(buf[3] - '0'), &a))
		return NULL;
	eval_reset(m);
	v = eval_node(m, a);
	for (key = buf[4] == '.' ? buf + 5 : NULL; key && v; key = dot ? dot + 1 : NULL) {
		dot = strchr(key, '.');
		if (dot)
			*dot = '\0';
		v = v->kind == VAL_OBJECT ? value_get_prop(v, key) : NULL;
	}
	if (v && v->kind == VAL_ARRAY)
		v = array_alternatives(m, v);
	if (!v || !(value_is_stringish(v) || v->kind == VAL_ALT))
		return NULL;
	/* new Redis(6379): a port, not a host */
	c = value_constant(m->arena, v);
	return c && *c && strspn(c, "0123456789") == strlen(c) ? NULL : v;
}

/* Whether v is nothing but an environment variable with no default: when it is unset
 * the library uses its own default. */
static bool env_only(struct module *m, const struct value *v)
{
	char text[256];

	if (!(v->flags & VF_ENV) || v->kind != VAL_STRING)
		return false;
	value_render(v, text, sizeof text);
	return text[0] == VALUE_HOLE_MARK && text[1] == '\0';
}

/* The default URL as a value; a star in its host (a region or account goes there, as in
 * star.amazonaws.com) is an unknown part, so the host is known by its suffix. */
struct value *catalog_default_value(struct arena *a, const struct catalog_entry *e)
{
	const char *star = strchr(e->default_url, '*');
	struct value *v;

	if (!star) {
		v = value_text(a, e->default_url, strlen(e->default_url));
	} else {
		v = value_concat(a, value_text(a, e->default_url, (size_t)(star - e->default_url)),
				 value_hole(a, "*", 1, 0));
		v = value_concat(a, v, value_text(a, star + 1, strlen(star + 1)));
	}
	v->flags |= VF_SDK_DEFAULT;
	return v;
}

struct value *catalog_destination(struct module *m, const struct catalog_entry *e, TSNode args)
{
	struct value *v = NULL, *alt;

	for (size_t i = 0; i < e->noptions && !v; i++)
		v = option_value(m, args, e->options[i]);
	if (!v)
		return e->default_url ? catalog_default_value(m->arena, e) : NULL;
	if (!e->default_url || !env_only(m, v))
		return v;
	alt = value_new(m->arena, VAL_ALT);
	value_push_item(m->arena, alt, v);
	value_push_item(m->arena, alt, catalog_default_value(m->arena, e));
	return alt;
}

const char *catalog_describe(struct arena *a, const struct catalog_entry *e)
{
	struct strbuf s = STRBUF_INIT(256);
	const char *out;

	strbuf_printf(&s, "%s %s default", e->package, e->version);
	for (size_t i = 0; i < e->noptions; i++)
		strbuf_printf(&s, "%s%s", i ? " or " : "; set by ", e->options[i]);
	if (e->env)
		strbuf_printf(&s, "%s$%s", e->noptions ? " or " : "; set by ", e->env);
	out = arena_strdup(a, strbuf_str(&s));
	strbuf_free(&s);
	return out;
}

const char *catalog_members(struct arena *a, const struct catalog_entry *e)
{
	struct strbuf s = STRBUF_INIT(64);
	const char *out = NULL;

	for (size_t i = 0; i < e->noptions; i++)
		if (!strncmp(e->options[i], "arg0.", 5) && !strchr(e->options[i] + 5, '.'))
			strbuf_printf(&s, "%s%s", *strbuf_str(&s) ? "," : "", e->options[i] + 5);
	if (*strbuf_str(&s))
		out = arena_strdup(a, strbuf_str(&s));
	strbuf_free(&s);
	return out;
}
