/* Dependency summaries: deriving them from a dependency's call sites, finding one by the
 * server's callee name, and describing it as evidence. */
#include "analyzer/summary.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow.h"
#include "core/hostname.h"
#include "core/strbuf.h"
#include "core/url.h"

#define SUMMARY_MAX_ALTS 64
#define SUMMARY_MAX_DEPTH 8

/* Sink categories that reach the network: a summary of a subprocess or a file read would
 * say nothing about destinations. */
static const char *const network_categories[] = {
	"http", "websocket", "socket", "udp", "dns", "database", "mail", NULL,
};

struct summary_set *summary_set_new(void)
{
	struct summary_set *s = calloc(1, sizeof *s);

	if (s && !(s->arena = arena_new())) {
		free(s);
		return NULL;
	}
	return s;
}

void summary_set_free(struct summary_set *s)
{
	if (!s)
		return;
	vec_free(&s->items);
	arena_free(s->arena);
	free(s);
}

static size_t count_package(const struct summary_set *s, const char *package)
{
	size_t n = 0;

	for (size_t i = 0; i < s->items.len; i++)
		n += strcmp(s->items.items[i].lib.package, package) == 0;
	return n;
}

int summary_add(struct summary_set *s, const char *package, const char *version, const char *function,
		const char *category, const char *default_url, const char *const *options, size_t noptions,
		const char *sink)
{
	struct summary e = {0};
	char callee[512];

	if (count_package(s, package) >= SUMMARY_MAX_PER_PACKAGE)
		return -1;
	snprintf(callee, sizeof callee, "%s.%s", package, function);
	e.lib.package = arena_strdup(s->arena, package);
	e.lib.callee = arena_strdup(s->arena, callee);
	e.lib.category = arena_strdup(s->arena, category);
	e.lib.default_url = arena_strdup(s->arena, default_url);
	e.lib.version = arena_strdup(s->arena, version);
	for (size_t i = 0; i < noptions && i < CATALOG_MAX_OPTIONS; i++)
		e.lib.options[e.lib.noptions++] = arena_strdup(s->arena, options[i]);
	e.function = arena_strdup(s->arena, function);
	e.sink = arena_strdup(s->arena, sink);
	if (!e.lib.package || !e.lib.callee || !e.lib.category || !e.lib.version || !e.function || !e.sink)
		return -1;
	s->sorted = false;
	return vec_push(&s->items, e);
}

/* ---- deriving ---- */

/* What one function of the package was found to do, while its sites are read. */
struct fn_reach {
	const char *function;
	const char *category;
	const char *options[CATALOG_MAX_OPTIONS];
	size_t noptions;
	char default_url[URL_HOST_MAX + 64];
	char sink[512];
};

struct derive {
	const char *const *modules;   /* module keys of the package's files */
	size_t nmodules;
	struct fn_reach *fns;
	size_t nfns;
	struct arena *arena;          /* option strings, until they are added */
};

static bool network_category(const char *c)
{
	for (const char *const *n = network_categories; *n; n++)
		if (!strcmp(*n, c))
			return true;
	return false;
}

static bool in_package(const struct derive *d, const char *module)
{
	for (size_t i = 0; i < d->nmodules; i++)
		if (!strcmp(d->modules[i], module))
			return true;
	return false;
}

/* The string alternatives of v (alternatives of alternatives flattened), at most cap. */
static size_t alternatives(const struct value *v, const struct value **out, size_t cap, int depth)
{
	size_t n = 0;

	if (!v || depth > SUMMARY_MAX_DEPTH)
		return 0;
	if (v->kind != VAL_ALT) {
		if (v->kind == VAL_STRING && v->nparts && cap)
			out[n++] = v;
		return n;
	}
	for (size_t i = 0; i < v->nitems && n < cap; i++)
		n += alternatives(v->items[i], out + n, cap - n, depth + 1);
	return n;
}

/* The first part of a string that is not empty text (a template literal starts with one). */
static const struct part *first_part(const struct value *v)
{
	for (size_t i = 0; i < v->nparts; i++)
		if (v->parts[i].kind != PART_TEXT || v->parts[i].len)
			return &v->parts[i];
	return NULL;
}

/* The origin of the URL a default alternative starts with ("https://api.x.example" of
 * "https://api.x.example/v1/" + path): the path there is the call's, not the default's. */
static bool default_prefix(const struct value *v, char *out, size_t cap)
{
	struct url_parts u;
	char text[URL_HOST_MAX + 512];
	char *hole;

	if (!first_part(v) || first_part(v)->kind != PART_TEXT)
		return false;
	value_render(v, text, sizeof text);
	if ((hole = strchr(text, VALUE_HOLE_MARK)))
		*hole = '\0';
	if (!strstr(text, "://") || !url_parse(text, &u) || !u.host[0] || host_is_local(u.host) || host_is_ipv6(u.host))
		return false;
	if (u.port && u.port != url_default_port(u.scheme))
		snprintf(out, cap, "%s://%s:%d", u.scheme, u.host, u.port);
	else
		snprintf(out, cap, "%s://%s", u.scheme, u.host);
	return true;
}

/* "arg0.baseURL" for the parameter (callers pass it at index, the member key of it). */
static const char *option_path(struct arena *a, const struct param_ref *p)
{
	char buf[256];

	if (p->key)
		snprintf(buf, sizeof buf, "arg%d.%s", p->index, p->key);
	else
		snprintf(buf, sizeof buf, "arg%d", p->index);
	return p->index >= 0 && p->index <= 9 ? arena_strdup(a, buf) : NULL;
}

static struct fn_reach *function_entry(struct derive *d, const char *function)
{
	for (size_t i = 0; i < d->nfns; i++)
		if (!strcmp(d->fns[i].function, function))
			return &d->fns[i];
	if (d->nfns == SUMMARY_MAX_PER_PACKAGE)
		return NULL;
	memset(&d->fns[d->nfns], 0, sizeof *d->fns);
	d->fns[d->nfns].function = function;
	return &d->fns[d->nfns++];
}

static void add_option(struct fn_reach *f, const char *option)
{
	for (size_t i = 0; i < f->noptions; i++)
		if (!strcmp(f->options[i], option))
			return;
	if (f->noptions < CATALOG_MAX_OPTIONS)
		f->options[f->noptions++] = option;
}

/* One call site: each alternative that starts with a parameter of a function of the
 * package names that function and option; an alternative that starts with a URL is the
 * default every one of them falls back to. A method ("Cls.get") is reached through an
 * instance, whose construction is what the server's code names: it is left out. */
static void derive_site(struct derive *d, const struct file_result *fr, const struct call_site *site)
{
	const struct value *alts[SUMMARY_MAX_ALTS];
	size_t n = alternatives(site->dest, alts, SUMMARY_MAX_ALTS, 0);
	char fallback[URL_HOST_MAX + 64] = "";

	if (!network_category(site->category))
		return;
	for (size_t i = 0; i < n && !fallback[0]; i++)
		if (!default_prefix(alts[i], fallback, sizeof fallback))
			fallback[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		const struct param_ref *p = first_part(alts[i]) ? first_part(alts[i])->param : NULL;
		struct fn_reach *f;
		const char *option;
		if (!p || strchr(p->function, '.') || !in_package(d, p->module) ||
		    !(option = option_path(d->arena, p)) || !(f = function_entry(d, p->function)))
			continue;
		add_option(f, option);
		if (!f->category) {
			f->category = site->category;
			snprintf(f->sink, sizeof f->sink, "%s:%u %s", fr->rel, site->line, site->api);
		}
		if (!f->default_url[0] && fallback[0])
			snprintf(f->default_url, sizeof f->default_url, "%s", fallback);
	}
}

/* The module keys of the package's files, in a. */
static const char **module_keys(struct arena *a, struct file_result *const *files, size_t n)
{
	const char **keys = arena_alloc(a, (n ? n : 1) * sizeof *keys);

	for (size_t i = 0; keys && i < n; i++) {
		char key[1024];
		flow_module_key(files[i]->rel, key, sizeof key);
		if (!(keys[i] = arena_strdup(a, key)))
			return NULL;
	}
	return keys;
}

int summary_derive(struct summary_set *s, const char *package, const char *version,
		   struct file_result *const *files, size_t n)
{
	struct derive d = {0};
	int added = -1;

	d.arena = arena_new();
	d.fns = calloc(SUMMARY_MAX_PER_PACKAGE, sizeof *d.fns);
	if (!d.arena || !d.fns || !(d.modules = module_keys(d.arena, files, n)))
		goto out;
	d.nmodules = n;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < files[i]->sites.len; k++)
			derive_site(&d, files[i], &files[i]->sites.items[k]);
	added = 0;
	for (size_t i = 0; i < d.nfns; i++) {
		const struct fn_reach *f = &d.fns[i];
		if (summary_add(s, package, version, f->function, f->category, f->default_url[0] ? f->default_url : NULL,
				f->options, f->noptions, f->sink) != 0) {
			added = -1;
			goto out;
		}
		added++;
	}
out:
	free(d.fns);
	arena_free(d.arena);
	return added;
}

/* ---- lookup and evidence ---- */

static int cmp_summary(const void *a, const void *b)
{
	return strcmp(((const struct summary *)a)->lib.callee, ((const struct summary *)b)->lib.callee);
}

void summary_set_seal(struct summary_set *s)
{
	if (s && s->items.len > 1)
		qsort(s->items.items, s->items.len, sizeof *s->items.items, cmp_summary);
	if (s)
		s->sorted = true;
}

const struct summary *summary_find(const struct summary_set *s, const char *callee)
{
	struct summary key = {.lib.callee = callee};

	if (!s || !callee || !s->sorted || !s->items.len)
		return NULL;
	return bsearch(&key, s->items.items, s->items.len, sizeof *s->items.items, cmp_summary);
}

const char *summary_describe(struct module *m, const struct summary *s)
{
	struct strbuf b = STRBUF_INIT(512);
	const char *out;

	strbuf_printf(&b, "%s %s %s reaches %s", s->lib.package, s->lib.version, s->function, s->sink);
	if (s->lib.default_url)
		strbuf_printf(&b, "; default %s", s->lib.default_url);
	for (size_t i = 0; i < s->lib.noptions; i++)
		strbuf_printf(&b, "%s%s", i ? " or " : "; set by ", s->lib.options[i]);
	out = arena_strdup(m->arena, strbuf_str(&b));
	strbuf_free(&b);
	return out;
}
