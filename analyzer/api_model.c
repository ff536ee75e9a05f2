/* API models as data: parsing the model files and picking an overload from evaluated
 * argument kinds (format: docs/api-models.md). */
#include "analyzer/api_model.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"

struct api_models {
	struct api_overload *items;  /* sorted by api, then by line */
	size_t n;
	size_t *prefixes;            /* indexes of "x.*" entries */
	size_t nprefixes;
	char *text;                  /* owned copy of the file the names point into */
};

static const struct {
	const char *name;
	enum arg_kind kind;
} kind_names[] = {
	{"str", AK_STR}, {"num", AK_NUM}, {"obj", AK_OBJ}, {"fn", AK_FN}, {"arr", AK_ARR}, {"any", AK_ANY},
};

static const struct {
	const char *name;
	enum api_role role;
} role_names[] = {
	{"url", AR_URL}, {"target", AR_TARGET}, {"host", AR_HOST}, {"port", AR_PORT},
	{"address", AR_ADDRESS}, {"local", AR_LOCAL}, {"source", AR_SOURCE},
};

bool api_kind_parse(const char *name, enum arg_kind *out)
{
	for (size_t i = 0; i < sizeof kind_names / sizeof kind_names[0]; i++) {
		if (strcmp(kind_names[i].name, name) == 0) {
			*out = kind_names[i].kind;
			return true;
		}
	}
	return false;
}

/* "arg1.host", "arg0[1]", "kw.port", "'localhost'" into p; false when malformed. */
static bool parse_path(char *s, struct api_path *p)
{
	char *end;
	long n;

	memset(p, 0, sizeof *p);
	p->arg = -1;
	p->index = -1;
	if (s[0] == '\'') {
		end = strchr(s + 1, '\'');
		if (!end || end[1])
			return false;
		*end = '\0';
		p->constant = s + 1;
		return true;
	}
	if (strncmp(s, "kw.", 3) == 0) {
		p->keyword = s + 3;
		return s[3] != '\0';
	}
	if (strncmp(s, "arg", 3) != 0 || s[3] < '0' || s[3] > '9')
		return false;
	n = strtol(s + 3, &end, 10);
	if (n >= API_MAX_PARAMS * 2)
		return false;
	p->arg = (int)n;
	if (*end == '.') {
		p->member = end + 1;
		return end[1] != '\0';
	}
	if (*end == '[') {
		n = strtol(end + 1, &end, 10);
		if (*end != ']' || end[1] || n < 0 || n > 16)
			return false;
		p->index = (int)n;
		return true;
	}
	return *end == '\0';
}

/* "host=arg1|'localhost'" into part. */
static bool parse_part(char *s, struct api_part *part)
{
	char *eq = strchr(s, '='), *alt, *save = NULL;
	bool known = false;

	if (!eq)
		return false;
	*eq = '\0';
	for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++) {
		if (strcmp(role_names[i].name, s) == 0) {
			part->role = role_names[i].role;
			known = true;
		}
	}
	if (!known)
		return false;
	part->nalts = 0;
	for (alt = strtok_r(eq + 1, "|", &save); alt; alt = strtok_r(NULL, "|", &save)) {
		if (part->nalts >= API_MAX_ALTS || !parse_path(alt, &part->alts[part->nalts++]))
			return false;
	}
	return part->nalts > 0;
}

/* "obj,fn?" or "-" into o's parameters. */
static bool parse_params(char *s, struct api_overload *o)
{
	char *k, *save = NULL;
	bool optional_seen = false;

	if (strcmp(s, "-") == 0)
		return true;
	for (k = strtok_r(s, ",", &save); k; k = strtok_r(NULL, ",", &save)) {
		size_t n = strlen(k);
		bool optional = n > 1 && k[n - 1] == '?';
		if (strcmp(k, "...") == 0) {
			o->rest = true;
			continue;
		}
		if (optional)
			k[n - 1] = '\0';
		if (o->rest || o->nparams >= API_MAX_PARAMS || !api_kind_parse(k, &o->params[o->nparams]))
			return false;
		if (optional)
			optional_seen = true;
		else if (optional_seen)
			return false;  /* a required parameter after an optional one: write two lines */
		o->nparams++;
		if (!optional_seen)
			o->min = o->nparams;
	}
	return true;
}

/* One line "api category params part..." (comment already cut) into o. */
static const char *parse_line(char *line, struct api_overload *o)
{
	char *save = NULL, *tok;
	char *f[3 + API_MAX_PARTS + 1];
	size_t nf = 0;

	for (tok = strtok_r(line, " \t", &save); tok; tok = strtok_r(NULL, " \t", &save)) {
		if (nf >= sizeof f / sizeof f[0])
			return "too many destination parts";
		f[nf++] = tok;
	}
	if (nf < 4)
		return "want: api category params part...";
	o->api = f[0];
	o->category = f[1];
	if (!parse_params(f[2], o))
		return "bad parameter list (kinds: str num obj fn arr any, '?' optional at the end, '...')";
	for (size_t i = 3; i < nf; i++)
		if (!parse_part(f[i], &o->parts[o->nparts++]))
			return "bad destination part (role=path|path, roles: url target host port address local)";
	return NULL;
}

static int cmp_overload(const void *a, const void *b)
{
	const struct api_overload *x = a, *y = b;
	int c = strcmp(x->api, y->api);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static bool add_overload(struct api_models *ms, size_t *cap, const struct api_overload *o)
{
	if (ms->n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct api_overload *grown = realloc(ms->items, ncap * sizeof *grown);
		if (!grown)
			return false;
		ms->items = grown;
		*cap = ncap;
	}
	ms->items[ms->n++] = *o;
	return true;
}

static bool index_prefixes(struct api_models *ms)
{
	ms->prefixes = calloc(ms->n ? ms->n : 1, sizeof *ms->prefixes);
	if (!ms->prefixes)
		return false;
	for (size_t i = 0; i < ms->n; i++) {
		size_t len = strlen(ms->items[i].api);
		if (len >= 2 && strcmp(ms->items[i].api + len - 2, ".*") == 0)
			ms->prefixes[ms->nprefixes++] = i;
	}
	return true;
}

struct api_models *api_models_parse(const char *text, const char *file, char *err, size_t errlen)
{
	struct api_models *ms = calloc(1, sizeof *ms);
	size_t cap = 0;
	unsigned lineno = 0;
	char *p, *next;

	if (!ms || !(ms->text = strdup(text)))
		goto nomem;
	for (p = ms->text; p && *p; p = next) {
		struct api_overload o = {0};
		const char *why;
		next = strchr(p, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		p[strcspn(p, "#")] = '\0';
		if (p[strspn(p, " \t\r")] == '\0')
			continue;
		p[strcspn(p, "\r")] = '\0';
		o.line = lineno;
		if ((why = parse_line(p, &o)) != NULL) {
			snprintf(err, errlen, "%s:%u: %s", file, lineno, why);
			goto fail;
		}
		if (!add_overload(ms, &cap, &o))
			goto nomem;
	}
	if (ms->n > 1)
		qsort(ms->items, ms->n, sizeof *ms->items, cmp_overload);
	if (!index_prefixes(ms))
		goto nomem;
	return ms;
nomem:
	snprintf(err, errlen, "%s: out of memory", file);
fail:
	api_models_free(ms);
	return NULL;
}

void api_models_free(struct api_models *ms)
{
	if (!ms)
		return;
	free(ms->items);
	free(ms->prefixes);
	free(ms->text);
	free(ms);
}

/* ---- the embedded model files, parsed once ---- */

static const char *const languages[] = {"javascript", "python"};
static struct api_models *loaded[sizeof languages / sizeof languages[0]];
static char load_error[256];
static pthread_once_t load_once = PTHREAD_ONCE_INIT;

static void load_all(void)
{
	char name[128];

	for (size_t i = 0; i < sizeof languages / sizeof languages[0]; i++) {
		const struct embedded_file *f;
		snprintf(name, sizeof name, "analyzer/models/%s.txt", languages[i]);
		f = embedded_find(embedded_data, name);
		if (f)
			loaded[i] = api_models_parse((const char *)f->bytes, name, load_error, sizeof load_error);
	}
}

const struct api_models *api_models_get(const char *language, char *err, size_t errlen)
{
	pthread_once(&load_once, load_all);
	for (size_t i = 0; i < sizeof languages / sizeof languages[0]; i++) {
		if (strcmp(languages[i], language) == 0) {
			if (!loaded[i])
				snprintf(err, errlen, "%s", load_error[0] ? load_error : "no API model file");
			return loaded[i];
		}
	}
	snprintf(err, errlen, "no API models for language %s", language);
	return NULL;
}

/* ---- lookup and overload choice ---- */

/* The first overload of exactly api (index), or ms->n. */
static size_t first_exact(const struct api_models *ms, const char *api)
{
	size_t lo = 0, hi = ms->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(ms->items[mid].api, api) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < ms->n && strcmp(ms->items[lo].api, api) == 0 ? lo : ms->n;
}

/* Whether "x.*" entry o covers api (any name under x). */
static bool prefix_covers(const struct api_overload *o, const char *api)
{
	size_t len = strlen(o->api) - 1;  /* keep the dot */

	return strncmp(api, o->api, len) == 0 && api[len] != '\0';
}


const struct api_overload *api_models_first(const struct api_models *ms, const char *api)
{
	size_t i;

	if (!ms || !api)
		return NULL;
	if ((i = first_exact(ms, api)) < ms->n)
		return &ms->items[i];
	for (i = 0; i < ms->nprefixes; i++)
		if (prefix_covers(&ms->items[ms->prefixes[i]], api))
			return &ms->items[ms->prefixes[i]];
	return NULL;
}

void api_models_each(const struct api_models *ms, void (*fn)(void *ctx, const char *api), void *ctx)
{
	for (size_t i = 0; ms && i < ms->n; i++)
		fn(ctx, ms->items[i].api);
}

bool api_models_has(const struct api_models *ms, const char *api)
{
	return api_models_first(ms, api) != NULL;
}

/* How well the arguments fit o: -1 when they do not, else the number of exact kinds. */
static int fit(const struct api_overload *o, const enum arg_kind *kinds, size_t nargs)
{
	int exact = 0;

	if (nargs < o->min || (nargs > o->nparams && !o->rest))
		return -1;
	for (size_t i = 0; i < nargs && i < o->nparams; i++) {
		if (o->params[i] == AK_ANY || kinds[i] == AK_UNKNOWN)
			continue;
		if (o->params[i] != kinds[i])
			return -1;
		exact++;
	}
	return exact;
}

static void consider(const struct api_overload *o, const enum arg_kind *kinds, size_t nargs,
		     const struct api_overload **best, int *best_score)
{
	int score = fit(o, kinds, nargs);

	if (score > *best_score || (score == *best_score && score >= 0 && *best && o->line < (*best)->line)) {
		*best = o;
		*best_score = score;
	}
}

const struct api_overload *api_models_pick(const struct api_models *ms, const char *api, const enum arg_kind *kinds,
					   size_t nargs)
{
	const struct api_overload *best = NULL;
	int best_score = -1;
	size_t i;

	if (!ms || !api)
		return NULL;
	for (i = first_exact(ms, api); i < ms->n && strcmp(ms->items[i].api, api) == 0; i++)
		consider(&ms->items[i], kinds, nargs, &best, &best_score);
	if (best)
		return best;
	for (i = 0; i < ms->nprefixes; i++)
		if (prefix_covers(&ms->items[ms->prefixes[i]], api))
			consider(&ms->items[ms->prefixes[i]], kinds, nargs, &best, &best_score);
	return best;
}
