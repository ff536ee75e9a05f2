/* Reading a call of a modelled API: effective arguments through identity-keeping wrappers,
 * overload choice by evaluated kinds, destination parts (docs/api-models.md). */
#include "analyzer/model_call.h"

#include <ctype.h>
#include <string.h>

#include "analyzer/eval.h"

enum arg_kind model_kind_of(const struct value *v)
{
	enum arg_kind k, first = AK_UNKNOWN;

	switch (v->kind) {
	case VAL_STRING:
		/* a value with no known text at all says nothing about its kind: a parameter,
		 * an unresolved call, an environment variable */
		for (size_t i = 0; i < v->nparts; i++)
			if (v->parts[i].kind == PART_TEXT && v->parts[i].len)
				return AK_STR;
		return AK_UNKNOWN;
	case VAL_NUMBER:
		return AK_NUM;
	case VAL_OBJECT:
	case VAL_ENVOBJ:
		return AK_OBJ;
	case VAL_ARRAY:
		return AK_ARR;
	case VAL_FUNCTION:
		return AK_FN;
	case VAL_ALT:
		/* branches that agree on a kind have it */
		for (size_t i = 0; i < v->nitems; i++) {
			k = model_kind_of(v->items[i]);
			if (i == 0)
				first = k;
			else if (k != first)
				return AK_UNKNOWN;
		}
		return first;
	case VAL_UNKNOWN:
	case VAL_MODULE:
		break;
	}
	return AK_UNKNOWN;
}

/* The module or function value among v's alternatives, or NULL. */
static struct value *callable_of(struct value *v)
{
	for (size_t i = 0; v->kind == VAL_ALT && i < v->nitems; i++)
		if (v->items[i]->kind == VAL_MODULE || v->items[i]->kind == VAL_FUNCTION)
			return v->items[i];
	return v->kind == VAL_MODULE || v->kind == VAL_FUNCTION ? v : NULL;
}

static void push_arg(struct call_args *a, struct value *v, TSNode n)
{
	if (a->n < CALL_MAX_ARGS) {
		a->vals[a->n] = v;
		a->nodes[a->n++] = n;
	}
}

static void push_keyword(struct call_args *a, const char *name, struct value *v, TSNode n)
{
	if (a->nkw < CALL_MAX_ARGS) {
		a->keywords[a->nkw] = name;
		a->kw_vals[a->nkw] = v;
		a->kw_nodes[a->nkw++] = n;
	}
}

/* f.apply(t, list) / Reflect.apply(f, t, list): the list's items are the arguments. */
static void spread_list(struct module *m, TSNode list, struct call_args *a)
{
	TSNode items[CALL_MAX_ARGS];
	struct value *v;
	TSNode none = {0};

	if (node_is(list, "array") || node_is(list, "list") || node_is(list, "tuple")) {
		size_t n = named_children(list, items, CALL_MAX_ARGS);
		for (size_t i = 0; i < n; i++)
			push_arg(a, eval_node(m, items[i]), items[i]);
		return;
	}
	v = eval_node(m, list);
	for (size_t i = 0; v->kind == VAL_ARRAY && i < v->nitems; i++)
		push_arg(a, v->items[i], none);
}

/* What callee really calls, and how the source arguments map onto its parameters. */
static TSNode wrapped_target(struct module *m, TSNode callee, TSNode *raw, size_t nraw, struct call_args *a,
			     TSNode *spread)
{
	struct wrapper w;

	*spread = (TSNode){0};
	if (!eval_wrapper(m, callee, raw, nraw, &w))
		return callee;
	a->wrapped = true;
	a->shift = w.shift;
	*spread = w.spread;
	return w.target;
}

void model_call_args(struct module *m, TSNode call, TSNode callee, struct call_args *out)
{
	TSNode raw[CALL_MAX_ARGS], spread, target, none = {0};
	/* retry(fn, [a, b]) (calls.scm's calls.applied): the array is fn's argument list */
	size_t nraw = named_children(node_is(call, "array") ? call : child(m, call, F_ARGUMENTS), raw, CALL_MAX_ARGS);
	struct value *fv;

	memset(out, 0, sizeof *out);
	target = wrapped_target(m, callee, raw, nraw, out, &spread);
	fv = callable_of(eval_node(m, target));
	/* bind(t, x) and functools.partial(f, x): x comes first */
	for (size_t i = 0; fv && i < fv->nitems; i++)
		push_arg(out, fv->items[i], none);
	for (size_t i = 0; fv && i < fv->nprops; i++)
		push_keyword(out, fv->props[i].key, fv->props[i].value, none);
	out->bound = out->n;
	if (!ts_node_is_null(spread) && spread.id) {
		spread_list(m, spread, out);
		return;
	}
	for (size_t i = out->shift; i < nraw; i++) {
		if (node_is(raw[i], "keyword_argument")) {
			TSNode v = child(m, raw[i], F_VALUE);
			push_keyword(out, node_text(m, child(m, raw[i], F_NAME), 64), eval_node(m, v), v);
		} else {
			push_arg(out, eval_node(m, raw[i]), raw[i]);
		}
	}
}

/* The value path p reads from the arguments, or NULL when it is absent. */
static struct value *read_path(struct module *m, const struct call_args *a, const struct api_path *p, TSNode *node)
{
	struct value *v = NULL;

	*node = (TSNode){0};
	if (p->constant)
		return value_text(m->arena, p->constant, strlen(p->constant));
	if (p->keyword) {
		for (size_t i = 0; i < a->nkw; i++) {
			if (strcmp(a->keywords[i], p->keyword) == 0) {
				*node = a->kw_nodes[i];
				return a->kw_vals[i];
			}
		}
		return NULL;
	}
	if (p->arg < 0 || (size_t)p->arg >= a->n)
		return NULL;
	v = a->vals[p->arg];
	*node = a->nodes[p->arg];
	if (p->member) {
		struct value *got = value_get_prop(v, p->member);
		if (!got && (v->bounds & BOUND_BIT(BOUND_PROPS)))  /* it may be past the cap */
			got = value_bounded(m->arena, value_unknown(m->arena, p->member), BOUND_BIT(BOUND_PROPS), true);
		return got;
	}
	if (p->index >= 0)
		return v->kind == VAL_ARRAY && (size_t)p->index < v->nitems ? v->items[p->index] : NULL;
	return v;
}

static const char *role_name(enum api_role r)
{
	static const char *const names[] = {[AR_URL] = "url", [AR_TARGET] = "any", [AR_HOST] = "host",
					    [AR_PORT] = "port", [AR_ADDRESS] = "address", [AR_LOCAL] = "local",
					    [AR_SOURCE] = "url"};
	return names[r];
}

/* A "source" (xml.sax's system id) is fetched only when it is a URL: its first known text
 * has a scheme. A file name, or text whose start is not known, names no destination: such
 * calls read local files far more often than they fetch. */
static bool source_is_url(const struct value *v)
{
	if (!v || v->kind != VAL_STRING || v->nparts == 0 || v->parts[0].kind != PART_TEXT)
		return false;
	const char *t = v->parts[0].text, *end = t + v->parts[0].len, *colon = memchr(t, ':', v->parts[0].len);
	if (!colon || colon == t || end - colon < 3 || colon[1] != '/' || colon[2] != '/')
		return false;
	for (const char *c = t; c < colon; c++)
		if (!isalnum((unsigned char)*c) && *c != '+' && *c != '-' && *c != '.')
			return false;
	return true;
}

static void read_parts(struct module *m, const struct call_args *a, const struct api_overload *o,
		       struct model_reading *out)
{
	for (size_t i = 0; i < o->nparts; i++) {
		const struct api_part *part = &o->parts[i];
		struct value *v = NULL;
		TSNode node = {0};
		for (size_t k = 0; k < part->nalts && !v; k++)
			v = read_path(m, a, &part->alts[k], &node);
		if (part->role == AR_LOCAL || (part->role == AR_SOURCE && !source_is_url(v))) {
			out->dest = NULL;
			return;
		}
		if (part->role == AR_PORT) {
			out->port = v;
			out->port_node = node;
		} else if (!out->dest || part->role != AR_TARGET) {
			/* a host part beats an options object read for the same call */
			out->dest = v ? v : value_unknown(m->arena, "absent");
			out->dest_node = node;
			out->role = role_name(part->role);
		}
	}
}

bool model_read_call(struct module *m, const struct api_models *ms, const char *api, TSNode call, TSNode callee,
		     struct model_reading *out)
{
	struct call_args a;
	enum arg_kind kinds[CALL_MAX_ARGS];

	memset(out, 0, sizeof *out);
	if (!api_models_has(ms, api))
		return false;
	model_call_args(m, call, callee, &a);
	for (size_t i = 0; i < a.n; i++)
		kinds[i] = model_kind_of(a.vals[i]);
	out->overload = api_models_pick(ms, api, kinds, a.n);
	out->category = (out->overload ? out->overload : api_models_first(ms, api))->category;
	out->role = "any";
	if (!out->overload) {
		/* an arity or kind no overload has: the destination is unknown, not absent */
		out->dest = value_unknown(m->arena, "no overload fits");
		return true;
	}
	read_parts(m, &a, out->overload, out);
	return true;
}
