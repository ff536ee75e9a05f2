/* Loading .scm queries (embedded or from a folder) and evaluating their predicates,
 * which the tree-sitter C library leaves to its caller (ts_query_predicates_for_pattern). */
#include "analyzer/query.h"

#include <dirent.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/api_model.h"
#include "core/embedded.h"
#include "core/strbuf.h"

/* Query files that build tables rather than report calls. */
static const char *const index_files[] = {"declarations.scm", "tools.scm", "calls.scm", NULL};

enum pred_op { P_EQ, P_NOT_EQ, P_MATCH, P_NOT_MATCH, P_ANY_OF, P_RESOLVES_TO, P_MODELLED };

struct predicate {
	enum pred_op op;
	uint32_t capture;
	bool arg_is_capture;     /* #eq? @a @b */
	uint32_t arg_capture;
	const char **args;       /* string arguments */
	size_t nargs;
	regex_t re;
	bool has_re;
	char needle[16];         /* a literal every match contains ("://"): checked before regexec */
	/* #resolves-to?: the names sorted for bsearch, and the "x.*" prefixes, each with the
	 * group header it belongs to */
	struct api_name *exact, *prefixes;
	size_t nexact, nprefixes;
	const struct api_models *models;  /* #modelled?: the language's API models (borrowed) */
};

struct api_name {
	const char *name;   /* for a prefix: the text before '*' */
	size_t len;
	const char *tag;    /* "category=http role=any" or NULL */
	const char *suffix; /* "x.*.goto": what the name must end with after the prefix, or NULL */
};

static const struct {
	const char *name;
	enum pred_op op;
} pred_ops[] = {
	{"eq?", P_EQ}, {"not-eq?", P_NOT_EQ}, {"match?", P_MATCH}, {"not-match?", P_NOT_MATCH},
	{"any-of?", P_ANY_OF}, {"resolves-to?", P_RESOLVES_TO},
	{"modelled?", P_MODELLED},
};

static void predicate_free(struct predicate *p)
{
	if (!p)
		return;
	if (p->has_re)
		regfree(&p->re);
	free(p->args);
	free(p->exact);
	free(p->prefixes);
	free(p);
}

static int cmp_api_name(const void *a, const void *b)
{
	return strcmp(((const struct api_name *)a)->name, ((const struct api_name *)b)->name);
}

/* Index a #resolves-to? list once, so each call costs a binary search, not a scan. */
static int index_api_names(struct predicate *p)
{
	const char *tag = NULL;

	p->exact = calloc(p->nargs ? p->nargs : 1, sizeof *p->exact);
	p->prefixes = calloc(p->nargs ? p->nargs : 1, sizeof *p->prefixes);
	if (!p->exact || !p->prefixes)
		return -1;
	for (size_t i = 0; i < p->nargs; i++) {
		const char *a = p->args[i], *star = strchr(a, '*');
		if (strchr(a, '=')) {
			tag = a;
		} else if (star) {
			/* "x.*" is every name under x; "x.*.goto" every name under x ending in .goto */
			p->prefixes[p->nprefixes++] = (struct api_name){a, (size_t)(star - a), tag, star[1] ? star + 1 : NULL};
		} else {
			p->exact[p->nexact++] = (struct api_name){a, strlen(a), tag, NULL};
		}
	}
	if (p->nexact > 1)
		qsort(p->exact, p->nexact, sizeof *p->exact, cmp_api_name);
	return 0;
}

/* Whether name is in p's list; *tag gets its group header. */
static bool api_listed(const struct predicate *p, const char *name, const char **tag)
{
	struct api_name key = {name, 0, NULL, NULL};
	const struct api_name *hit = p->nexact ? bsearch(&key, p->exact, p->nexact, sizeof key, cmp_api_name) : NULL;

	if (hit) {
		*tag = hit->tag;
		return true;
	}
	for (size_t i = 0; i < p->nprefixes; i++) {
		const char *suffix = p->prefixes[i].suffix;
		size_t n = strlen(name), m = suffix ? strlen(suffix) : 0;
		if (strncmp(name, p->prefixes[i].name, p->prefixes[i].len) == 0 &&
		    (!suffix || (n >= p->prefixes[i].len + m && strcmp(name + n - m, suffix) == 0))) {
			*tag = p->prefixes[i].tag;
			return true;
		}
	}
	return false;
}

static bool lookup_op(const char *name, enum pred_op *op)
{
	for (size_t i = 0; i < sizeof pred_ops / sizeof pred_ops[0]; i++) {
		if (strcmp(pred_ops[i].name, name) == 0) {
			*op = pred_ops[i].op;
			return true;
		}
	}
	return false;
}

/* Build one predicate from steps[0..n) (a predicate's steps without the Done step). */
static struct predicate *build_predicate(const TSQuery *q, const TSQueryPredicateStep *steps,
					 uint32_t n, char *err, size_t errlen)
{
	struct predicate *p = calloc(1, sizeof *p);
	uint32_t len;
	const char *opname;

	if (!p)
		goto fail;
	if (n < 2 || steps[0].type != TSQueryPredicateStepTypeString ||
	    steps[1].type != TSQueryPredicateStepTypeCapture) {
		snprintf(err, errlen, "a predicate must be (#op? @capture ...)");
		goto fail;
	}
	opname = ts_query_string_value_for_id(q, steps[0].value_id, &len);
	if (!lookup_op(opname, &p->op)) {
		snprintf(err, errlen, "unknown predicate #%s", opname);
		goto fail;
	}
	p->capture = steps[1].value_id;
	if (n == 3 && steps[2].type == TSQueryPredicateStepTypeCapture) {
		p->arg_is_capture = true;
		p->arg_capture = steps[2].value_id;
		return p;
	}
	p->nargs = n - 2;
	p->args = calloc(p->nargs ? p->nargs : 1, sizeof *p->args);
	if (!p->args)
		goto fail;
	for (uint32_t i = 2; i < n; i++) {
		if (steps[i].type != TSQueryPredicateStepTypeString) {
			snprintf(err, errlen, "#%s wants string arguments", opname);
			goto fail;
		}
		p->args[i - 2] = ts_query_string_value_for_id(q, steps[i].value_id, &len);
	}
	if (p->op == P_MODELLED && (p->nargs != 1 || !(p->models = api_models_get(p->args[0], err, errlen))))
		goto fail;
	if (p->op == P_RESOLVES_TO && index_api_names(p) != 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (p->op == P_MATCH || p->op == P_NOT_MATCH) {
		if (p->nargs != 1 || regcomp(&p->re, p->args[0], REG_EXTENDED | REG_NOSUB) != 0) {
			snprintf(err, errlen, "#%s wants one valid extended regular expression", opname);
			goto fail;
		}
		p->has_re = true;
		if (strstr(p->args[0], "://"))
			snprintf(p->needle, sizeof p->needle, "://");
	}
	return p;
fail:
	predicate_free(p);
	return NULL;
}

/* On failure *bad_pattern is the pattern at fault (UINT32_MAX for out of memory). */
static int build_predicates(struct compiled_query *cq, uint32_t *bad_pattern, char *err, size_t errlen)
{
	*bad_pattern = UINT32_MAX;
	cq->npatterns = ts_query_pattern_count(cq->query);
	cq->preds = calloc(cq->npatterns ? cq->npatterns : 1, sizeof *cq->preds);
	if (!cq->preds)
		return -1;
	for (uint32_t pat = 0; pat < cq->npatterns; pat++) {
		uint32_t nsteps, start = 0, count = 0;
		const TSQueryPredicateStep *steps = ts_query_predicates_for_pattern(cq->query, pat, &nsteps);
		for (uint32_t i = 0; i < nsteps; i++)
			if (steps[i].type == TSQueryPredicateStepTypeDone)
				count++;
		cq->preds[pat] = calloc(count + 1, sizeof *cq->preds[pat]);
		if (!cq->preds[pat])
			return -1;
		count = 0;
		for (uint32_t i = 0; i < nsteps; i++) {
			if (steps[i].type != TSQueryPredicateStepTypeDone)
				continue;
			cq->preds[pat][count] = build_predicate(cq->query, steps + start, i - start, err, errlen);
			if (!cq->preds[pat][count]) {
				*bad_pattern = pat;
				return -1;
			}
			count++;
			start = i + 1;
		}
	}
	return 0;
}

static const char *const error_names[] = {"none", "syntax error", "unknown node type",
					  "unknown field", "unknown capture", "impossible pattern",
					  "language mismatch"};

/* Line and column (1-based) of byte offset in text. */
static void offset_position(const char *text, uint32_t offset, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (uint32_t i = 0; i < offset && text[i]; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* A query file's text, before the files of one phase are compiled together. */
struct piece {
	char *name;
	char *text;
	size_t len;
	size_t offset;   /* where it starts in the combined text */
};

struct pieces {
	struct piece items[256];
	size_t n;
};

static enum query_phase phase_of(const char *name)
{
	const char *base = strrchr(name, '/');

	for (size_t i = 0; index_files[i]; i++)
		if (strcmp(base ? base + 1 : name, index_files[i]) == 0)
			return QUERY_INDEX;
	return QUERY_SINK;
}

/* "javascript/network.scm:12:3" for byte off of the combined text. */
static void locate(const struct pieces *ps, const char *text, uint32_t off, char *buf, size_t len)
{
	const struct piece *p = &ps->items[0];
	unsigned line, col;

	for (size_t i = 0; i < ps->n; i++)
		if (ps->items[i].offset <= off)
			p = &ps->items[i];
	offset_position(text + p->offset, off - (uint32_t)p->offset, &line, &col);
	snprintf(buf, len, "%s:%u:%u", p->name, line, col);
}

static void compile_error(const struct pieces *ps, const char *text, uint32_t off, TSQueryError kind,
			  enum grammar g, char *err, size_t errlen)
{
	char where[320];

	locate(ps, text, off, where, sizeof where);
	snprintf(err, errlen, "query %s: %s (for the %s grammar)", where,
		 (unsigned)kind < 7 ? error_names[kind] : "error", grammar_name(g));
}

/* Compile the files of one phase as one query: one pass over each tree matches them all. */
static int compile_phase(struct query_set *qs, enum query_phase phase, struct pieces *ps, char *err,
			 size_t errlen)
{
	struct strbuf text = STRBUF_INIT((size_t)16 << 20);
	struct compiled_query cq = {0};
	struct compiled_query *grown;
	struct pieces mine = {0};
	char perr[256] = "";
	uint32_t off;
	TSQueryError kind;
	int rc = -1;

	for (size_t i = 0; i < ps->n; i++) {
		if (phase_of(ps->items[i].name) != phase)
			continue;
		mine.items[mine.n] = ps->items[i];
		mine.items[mine.n++].offset = text.len;
		strbuf_append(&text, ps->items[i].text, ps->items[i].len);
		strbuf_putc(&text, '\n');
	}
	if (!mine.n) {
		rc = 0;
		goto out;
	}
	cq.query = ts_query_new(grammar_ts_language(qs->grammar), strbuf_str(&text), (uint32_t)text.len, &off, &kind);
	if (!cq.query) {
		compile_error(&mine, strbuf_str(&text), off, kind, qs->grammar, err, errlen);
		goto out;
	}
	cq.name = xasprintf("%s (%s queries)", grammar_name(qs->grammar), phase == QUERY_INDEX ? "index" : "sink");
	cq.phase = phase;
	uint32_t bad;
	if (build_predicates(&cq, &bad, perr, sizeof perr) != 0) {
		if (bad == UINT32_MAX) {
			snprintf(err, errlen, "query %s: out of memory", cq.name);
		} else {
			/* name the file and line of the pattern, as for a syntax error */
			char where[320];
			locate(&mine, strbuf_str(&text), ts_query_start_byte_for_pattern(cq.query, bad), where,
			       sizeof where);
			snprintf(err, errlen, "query %s: %s", where, perr);
		}
		goto out;
	}
	grown = realloc(qs->queries, sizeof *grown * (qs->nqueries + 1));
	if (!grown)
		goto out;
	qs->queries = grown;
	qs->queries[qs->nqueries++] = cq;
	memset(&cq, 0, sizeof cq);
	rc = 0;
out:
	for (uint32_t p = 0; cq.preds && p < cq.npatterns; p++) {
		for (size_t k = 0; cq.preds[p] && cq.preds[p][k]; k++)
			predicate_free(cq.preds[p][k]);
		free(cq.preds[p]);
	}
	free(cq.preds);
	free(cq.name);
	if (cq.query)
		ts_query_delete(cq.query);
	strbuf_free(&text);
	return rc;
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct strbuf b = STRBUF_INIT((size_t)4 << 20);
	char buf[8192];
	size_t n;

	if (!f)
		return NULL;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		strbuf_append(&b, buf, n);
	fclose(f);
	*len = b.len;
	return strbuf_take(&b);
}

static int add_piece(struct pieces *ps, const char *name, const char *text, size_t len)
{
	if (ps->n >= sizeof ps->items / sizeof ps->items[0])
		return -1;
	ps->items[ps->n].name = xstrdup(name);
	ps->items[ps->n].text = xstrndup(text, len);
	ps->items[ps->n].len = len;
	ps->n++;
	return 0;
}

/* Collect every .scm file of one folder ("javascript") from dir or the embedded table. */
static int load_folder(struct pieces *ps, const char *folder, const char *dir, char *err, size_t errlen)
{
	char *names[256];
	size_t n = 0, flen = strlen(folder);
	int rc = 0;

	if (!dir) {
		for (const struct embedded_file *f = embedded_queries; f->name; f++)
			if (strncmp(f->name, folder, flen) == 0 && f->name[flen] == '/' &&
			    add_piece(ps, f->name, (const char *)f->bytes, f->len) != 0)
				return -1;
		return 0;
	}
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", dir, folder);
	DIR *d = opendir(path);
	if (!d)
		return 0;  /* a folder a grammar does not use may be absent */
	for (struct dirent *e; (e = readdir(d)) && n < 256;) {
		size_t l = strlen(e->d_name);
		if (l > 4 && strcmp(e->d_name + l - 4, ".scm") == 0)
			names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_names);
	for (size_t i = 0; i < n; i++) {
		char name[512], file[4608];
		size_t len;
		char *text;
		snprintf(name, sizeof name, "%s/%s", folder, names[i]);
		snprintf(file, sizeof file, "%s/%s", dir, name);
		if (rc == 0) {
			text = read_whole(file, &len);
			if (!text) {
				snprintf(err, errlen, "cannot read query %s", file);
				rc = -1;
			} else {
				rc = add_piece(ps, name, text, len);
				free(text);
			}
		}
		free(names[i]);
	}
	return rc;
}

int query_set_load(struct query_set *out, enum grammar g, const char *dir, char *err, size_t errlen)
{
	struct pieces *ps = calloc(1, sizeof *ps);
	int rc = -1;

	memset(out, 0, sizeof *out);
	out->grammar = g;
	if (!ps)
		return -1;
	if (grammar_is_js(g)) {
		if (load_folder(ps, "javascript", dir, err, errlen) != 0)
			goto out;
		/* TypeScript reuses the JavaScript queries; a few node types differ */
		if (load_folder(ps, g == GRAMMAR_JAVASCRIPT ? "javascript-only" : "typescript", dir, err, errlen) != 0)
			goto out;
	} else if (load_folder(ps, "python", dir, err, errlen) != 0) {
		goto out;
	}
	if (ps->n == 0) {
		snprintf(err, errlen, "no queries found for the %s grammar%s%s", grammar_name(g),
			 dir ? " in " : "", dir ? dir : "");
		goto out;
	}
	if (compile_phase(out, QUERY_INDEX, ps, err, errlen) != 0 ||
	    compile_phase(out, QUERY_SINK, ps, err, errlen) != 0)
		goto out;
	rc = 0;
out:
	for (size_t i = 0; i < ps->n; i++) {
		free(ps->items[i].name);
		free(ps->items[i].text);
	}
	free(ps);
	if (rc != 0)
		query_set_free(out);
	return rc;
}

void query_set_free(struct query_set *qs)
{
	for (size_t i = 0; i < qs->nqueries; i++) {
		struct compiled_query *cq = &qs->queries[i];
		for (uint32_t p = 0; p < cq->npatterns; p++) {
			for (size_t k = 0; cq->preds[p] && cq->preds[p][k]; k++)
				predicate_free(cq->preds[p][k]);
			free(cq->preds[p]);
		}
		free(cq->preds);
		free(cq->name);
		ts_query_delete(cq->query);
	}
	free(qs->queries);
	memset(qs, 0, sizeof *qs);
}

const char *query_capture_name(const struct compiled_query *q, uint32_t i)
{
	uint32_t len;

	return ts_query_capture_name_for_id(q->query, i, &len);
}

/* Text of the first node captured as capture in m (borrowed from src), or NULL. */
static bool capture_node(const TSQueryMatch *m, uint32_t capture, TSNode *out)
{
	for (uint16_t i = 0; i < m->capture_count; i++) {
		if (m->captures[i].index == capture) {
			*out = m->captures[i].node;
			return true;
		}
	}
	return false;
}

static bool text_equals(const char *src, TSNode n, const char *s)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	size_t len = strlen(s);

	return b - a == len && memcmp(src + a, s, len) == 0;
}

static bool node_matches_re(const char *src, TSNode n, const regex_t *re)
{
	uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
	char small[512];
	bool ok;

	if (b - a >= sizeof small)
		return false;  /* capped: callee text longer than this is never an API name */
	memcpy(small, src + a, b - a);
	small[b - a] = '\0';
	ok = regexec(re, small, 0, NULL, 0) == 0;
	return ok;
}

static bool predicate_ok(const struct predicate *p, const TSQueryMatch *m, const char *src,
			 resolves_to_fn resolves, void *ctx, const char **tag)
{
	TSNode n, other;
	bool hit = false;

	if (!capture_node(m, p->capture, &n))
		return p->op == P_NOT_EQ || p->op == P_NOT_MATCH;  /* optional capture absent */
	switch (p->op) {
	case P_EQ:
	case P_NOT_EQ:
		if (p->arg_is_capture) {
			uint32_t a = ts_node_start_byte(n), b = ts_node_end_byte(n);
			uint32_t c, d;
			if (!capture_node(m, p->arg_capture, &other))
				return false;
			c = ts_node_start_byte(other);
			d = ts_node_end_byte(other);
			hit = b - a == d - c && memcmp(src + a, src + c, b - a) == 0;
		} else {
			hit = p->nargs == 1 && text_equals(src, n, p->args[0]);
		}
		return p->op == P_EQ ? hit : !hit;
	case P_MATCH:
		if (p->needle[0] && !memmem(src + ts_node_start_byte(n), ts_node_end_byte(n) - ts_node_start_byte(n),
					    p->needle, strlen(p->needle)))
			return false;
		return node_matches_re(src, n, &p->re);
	case P_NOT_MATCH:
		return !node_matches_re(src, n, &p->re);
	case P_ANY_OF:
		for (size_t i = 0; i < p->nargs; i++)
			if (text_equals(src, n, p->args[i]))
				return true;
		return false;
	case P_RESOLVES_TO:
	{
		const char *name = resolves ? resolves(ctx, n) : NULL;
		return name && api_listed(p, name, tag);
	}
	case P_MODELLED:
	{
		const char *name = resolves ? resolves(ctx, n) : NULL;
		if (!name || !api_models_has(p->models, name))
			return false;
		*tag = QUERY_MODEL_TAG;
		return true;
	}
	}
	return false;
}

void query_set_each_sink_name(const struct query_set *qs, query_name_fn fn, void *ctx)
{
	for (size_t i = 0; i < qs->nqueries; i++) {
		const struct compiled_query *q = &qs->queries[i];
		if (q->phase != QUERY_SINK)
			continue;
		for (uint32_t k = 0; k < q->npatterns; k++) {
			for (struct predicate **p = q->preds[k]; p && *p; p++) {
				if ((*p)->op == P_MODELLED)
					api_models_each((*p)->models, fn, ctx);
				for (size_t a = 0; (*p)->op == P_RESOLVES_TO && a < (*p)->nargs; a++)
					if (!strchr((*p)->args[a], '='))
						fn(ctx, (*p)->args[a]);
			}
		}
	}
}

bool query_match_ok(const struct compiled_query *q, const TSQueryMatch *m, const char *src,
		    resolves_to_fn resolves, void *ctx, const char **tag)
{
	struct predicate **preds = q->preds[m->pattern_index];

	*tag = NULL;
	/* cheap predicates first: #resolves-to? runs the evaluator */
	for (size_t i = 0; preds[i]; i++)
		if (preds[i]->op != P_RESOLVES_TO && preds[i]->op != P_MODELLED && !predicate_ok(preds[i], m, src, resolves, ctx, tag))
			return false;
	for (size_t i = 0; preds[i]; i++)
		if ((preds[i]->op == P_RESOLVES_TO || preds[i]->op == P_MODELLED) && !predicate_ok(preds[i], m, src, resolves, ctx, tag))
			return false;
	return true;
}
