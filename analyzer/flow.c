/* Package-wide, per-call-site flow: calls of other modules' functions recorded with their
 * arguments, and call sites that wait for a parameter expanded once per caller. */
#include "analyzer/flow.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/eval.h"
#include "analyzer/lang.h"
#include "analyzer/model_call.h"

void flow_module_key(const char *rel, char *out, size_t cap)
{
	size_t n;

	snprintf(out, cap, "%s", rel);
	out[strlen(out) - lang_suffix_len(out)] = '\0';
	n = strlen(out);
	if (n >= 6 && strcmp(out + n - 6, "/index") == 0)
		out[n - 6] = '\0';
	else if (n >= 9 && strcmp(out + n - 9, "/__init__") == 0)
		out[n - 9] = '\0';
	else if (!strcmp(out, "index") || !strcmp(out, "__init__"))
		out[0] = '\0';
}

struct value *flow_param(struct module *m, const char *function, const char *name, const char *key, int index)
{
	char module[1024];
	struct param_ref ref = {module, function, name, key, index};

	if (!function || index < 0 || m->dyncode_depth)
		return value_hole(m->arena, name, strlen(name), VF_PARAM);
	flow_module_key(m->rel, module, sizeof module);
	return value_param(m->arena, &ref);
}

bool flow_keeps_params(const struct module *m)
{
	return m->out && m->out->package && !m->dyncode_depth;
}

struct value *flow_param_member(struct module *m, const struct value *obj, const char *key)
{
	struct param_ref ref;
	char *path;
	size_t n;

	if (m->dyncode_depth || obj->kind != VAL_STRING || obj->nparts != 1 || !obj->parts[0].param)
		return NULL;
	ref = *obj->parts[0].param;
	/* a dependency's summary names one option (arg0.baseURL); the server's own code is
	 * followed through nested ones (config.auth.baseUrl) */
	if (ref.key && flow_keeps_params(m))
		return NULL;
	if (ref.key) {
		n = strlen(ref.key) + strlen(key) + 2;
		if (!(path = arena_alloc(m->arena, n)))
			return NULL;
		snprintf(path, n, "%s.%s", ref.key, key);
		key = path;
	}
	ref.key = key;
	return value_param(m->arena, &ref);
}

/* ---- recording the calls of other modules' functions ---- */

/* Whether the leftmost name of callee is bound by an import or a variable (a require()):
 * only those can name another module's function, and naming costs evaluation. */
static bool may_be_imported(struct module *m, TSNode callee)
{
	const struct named_nodes *e;
	uint32_t n;

	/* (0, mod_1.fn)(...): TypeScript's and Babel's CommonJS output calls imports this way */
	if (!ts_node_is_null(eval_await_operand(m, callee)))
		callee = eval_await_operand(m, callee);
	while ((node_is(callee, "parenthesized_expression") || node_is(callee, "sequence_expression")) &&
	       (n = ts_node_named_child_count(callee)) > 0)
		callee = ts_node_named_child(callee, n - 1);
	while (node_is(callee, "member_expression") || node_is(callee, "attribute"))
		callee = child(m, callee, F_OBJECT);
	if (!node_is(callee, "identifier") || !(e = name_table_get(&m->decls, node_text(m, callee, 200))))
		return false;
	for (size_t i = 0; i < e->decls.len; i++) {
		enum decl_kind k = e->decls.items[i].kind;
		if (k == DK_IMPORT_DEFAULT || k == DK_IMPORT_NS || k == DK_IMPORT_NAME || k == DK_IMPORT_MODULE ||
		    k == DK_VAR || k == DK_PATTERN)
			return true;
	}
	return false;
}

/* The other module's function callee names (one reference to its export), or false. */
static bool imported_function(struct module *m, TSNode callee, const char **module, const char **name)
{
	struct value *v;

	eval_reset(m);
	if (m->steps < EVAL_MAX_STEPS - EVAL_CALLEE_STEPS)
		m->steps = m->steps_start = EVAL_MAX_STEPS - EVAL_CALLEE_STEPS;
	m->quick = true;
	v = eval_node(m, eval_callee_target(m, callee));
	m->quick = false;
	if (m->js && v->kind == VAL_MODULE && strncmp(v->name, "file:", 5) == 0) {
		*module = v->name + 5;  /* a default import (module.exports = fn) called as it is */
		*name = "default";
		return true;
	}
	if (v->kind != VAL_STRING || v->nparts != 1 || v->parts[0].kind != PART_REF)
		return false;
	*module = v->parts[0].module;
	*name = v->parts[0].text;
	return true;
}

/* The call (or new) an instance was made by: the value of obj's declaration, awaited or
 * not; a null node when obj is no variable bound to one. */
static TSNode instance_origin(struct module *m, TSNode obj)
{
	const struct named_nodes *e;
	TSNode v;

	if (!node_is(obj, "identifier") || !(e = name_table_get(&m->decls, node_text(m, obj, 200))))
		return (TSNode){0};
	for (size_t i = 0; i < e->decls.len; i++) {
		enum decl_kind k = e->decls.items[i].kind;
		if ((k != DK_VAR && k != DK_ASSIGN) || !e->decls.items[i].has_value)
			continue;
		v = e->decls.items[i].value;
		while (node_is(v, "await_expression") || node_is(v, "await"))
			v = ts_node_named_child(v, 0);
		if (node_is(v, "call_expression") || node_is(v, "call") || node_is(v, "new_expression"))
			return v;
	}
	return (TSNode){0};
}

/* obj.method(...) where obj was made by another module's class (new Cls(), ns.Cls(),
 * Cls.create() is not one): the method "Cls.method" of Cls's module (flow_method_name). */
static bool instance_method(struct module *m, TSNode callee, const char **module, const char **name)
{
	TSNode made, ctor, prop = child(m, callee, m->js ? F_PROPERTY : F_ATTRIBUTE);
	const char *cls, *meth;
	char *full;
	size_t n;

	if (!node_is(callee, "member_expression") && !node_is(callee, "attribute"))
		return false;
	if (ts_node_is_null(prop) || ts_node_is_null(made = instance_origin(m, child(m, callee, F_OBJECT))))
		return false;
	ctor = child(m, made, node_is(made, "new_expression") ? F_CONSTRUCTOR : F_FUNCTION);
	if (ts_node_is_null(ctor) || !imported_function(m, ctor, module, &cls) || !strcmp(cls, "default"))
		return false;
	meth = node_text(m, prop, 200);
	n = strlen(cls) + strlen(meth) + 2;
	if (!(full = arena_alloc(m->arena, n)))
		return false;
	snprintf(full, n, "%s.%s", cls, meth);
	*name = full;
	return true;
}

static struct value **copy_values(struct arena *a, struct value *const *v, size_t n)
{
	struct value **c = n ? arena_alloc(a, sizeof *c * n) : NULL;

	for (size_t i = 0; c && i < n; i++)
		c[i] = value_copy(a, v[i]);
	return c;
}

/* The call graph's edge for a call of another module's function or method ("Cls.method"
 * runs the function named method there): its phase reaches the callee at the link step. */
static void record_edge(struct module *m, TSNode call, const char *module, const char *name)
{
	struct arena *out = m->out->arena;
	const char *dot = strrchr(name, '.');
	struct call_edge e = {arena_strdup(out, context_of(m, call)), module, arena_strdup(out, dot ? dot + 1 : name),
			      NULL};

	if (e.from && !strncmp(e.from, "fn:", 3))
		e.tool_case = arena_strdup(out, tool_case_of(m, call));

	if (e.from && e.name && m->out->edges.len < 100000)
		vec_push(&m->out->edges, e);
}

static void record_call(struct module *m, TSNode call)
{
	struct arena *out = m->out->arena;
	struct flow_call fc = {0};
	struct call_args a;
	TSNode callee = child(m, call, node_is(call, "new_expression") ? F_CONSTRUCTOR : F_FUNCTION);
	const char *module, *name;

	/* retry(fn, [a, b]) hands fn on with its arguments (calls.scm's calls.applied): the
	 * array is a call of fn, wherever fn is defined */
	if (node_is(call, "array"))
		callee = ts_node_prev_named_sibling(call);
	if (ts_node_is_null(callee) || (node_is(call, "array") && !node_is(callee, "identifier")))
		return;
	if (!(may_be_imported(m, callee) && imported_function(m, callee, &module, &name)) &&
	    !instance_method(m, callee, &module, &name))
		return;
	fc.module = arena_strdup(out, module);
	fc.name = arena_strdup(out, name);
	fc.line = ts_node_start_point(call).row + 1;
	eval_reset(m);
	model_call_args(m, call, callee, &a);
	fc.nargs = a.n;
	fc.args = copy_values(out, a.vals, a.n);
	fc.nkw = a.nkw;
	fc.kw_args = copy_values(out, a.kw_vals, a.nkw);
	fc.keywords = a.nkw ? arena_alloc(out, sizeof *fc.keywords * a.nkw) : NULL;
	for (size_t i = 0; fc.keywords && i < a.nkw; i++)
		fc.keywords[i] = arena_strdup(out, a.keywords[i]);
	if ((fc.nargs && !fc.args) || (fc.nkw && (!fc.kw_args || !fc.keywords)))
		return;
	vec_push(&m->out->calls, fc);
	record_edge(m, call, fc.module, fc.name);
}

void flow_record_calls(struct module *m)
{
	struct arena *keep = m->arena;

	if (m->dyncode_depth)
		return;
	m->arena = m->scratch;
	for (size_t i = 0; i < m->calls.cap && m->out->calls.len < FLOW_MAX_CALLS; i++) {
		const struct named_nodes *e = &m->calls.slots[i];
		for (size_t k = 0; e->name && k < e->nodes.len && k < FLOW_MAX_CALLS_PER_NAME; k++) {
			record_call(m, e->nodes.items[k]);
			arena_reset(m->scratch);
		}
	}
	m->arena = keep;
}

/* The export and member a store's target names ("settings.apiRoot" of `settings.apiRoot`
 * where settings is another module's export), with that module in *module; NULL when the
 * object is not an import or the key not a plain name. */
static const char *store_target(struct module *m, TSNode target, const char **module)
{
	TSNode obj = child(m, target, F_OBJECT);
	TSNode key = child(m, target, m->js ? F_PROPERTY : F_ATTRIBUTE);
	struct value *v;
	const struct part *p;
	size_t n;
	char *name;

	if (ts_node_is_null(obj) || ts_node_is_null(key) || !node_is(obj, "identifier") ||
	    !(node_is(key, "property_identifier") || node_is(key, "identifier")))
		return NULL;
	v = eval_node(m, obj);
	if (!v || v->kind != VAL_STRING || v->nparts != 1 || v->parts[0].kind != PART_REF)
		return NULL;
	p = &v->parts[0];
	n = p->len + 1 + (ts_node_end_byte(key) - ts_node_start_byte(key)) + 1;
	if (!(name = arena_alloc(m->out->arena, n)))
		return NULL;
	snprintf(name, n, "%.*s.%s", (int)p->len, p->text, node_text(m, key, 200));
	*module = arena_strdup(m->out->arena, p->module);
	return *module ? name : NULL;
}

static void record_store(struct module *m, const struct decl *d)
{
	struct export_store st = {0};

	if (d->kind != DK_STORE || !d->has_value || ts_node_is_null(d->target) ||
	    !(node_is(d->target, "member_expression") || node_is(d->target, "attribute")))
		return;
	eval_reset(m);
	if (!(st.name = store_target(m, d->target, &st.module)))
		return;
	if ((st.value = value_copy(m->out->arena, eval_node(m, d->value))))
		vec_push(&m->out->stores, st);
}

void flow_record_stores(struct module *m)
{
	struct arena *keep = m->arena;

	if (m->dyncode_depth)
		return;
	m->arena = m->scratch;
	for (size_t i = 0; i < m->decls.cap && m->out->stores.len < FLOW_MAX_STORES; i++) {
		const struct named_nodes *e = &m->decls.slots[i];
		for (size_t k = 0; e->name && e->has_store && k < e->decls.len && m->out->stores.len < FLOW_MAX_STORES; k++) {
			record_store(m, &e->decls.items[k]);
			arena_reset(m->scratch);
		}
	}
	m->arena = keep;
}

/* ---- binding the parameters of a call site, one caller at a time ---- */

/* A caller, found by "module\x1fname" of the function it calls. */
struct caller {
	char *key;
	const struct flow_call *call;
	const char *file;       /* the caller's file (relative path), for the reading's evidence */
};

struct flow {
	struct caller *callers;
	size_t ncallers;
};

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct caller *)a)->key, ((const struct caller *)b)->key);
}

static char *caller_key(const char *module, const char *name)
{
	size_t n = strlen(module) + strlen(name) + 2;
	char *k = malloc(n);

	if (k)
		snprintf(k, n, "%s\x1f%s", module, name);
	return k;
}

/* Every recorded call, keyed by the name the called function has in its own module (an
 * export under another name, or default, is looked up). */
static int index_callers(struct flow *f, struct file_result **files, size_t n, flow_export_fn exported, void *ctx)
{
	size_t total = 0;

	for (size_t i = 0; i < n; i++)
		total += files[i]->calls.len;
	if (!total)
		return 0;
	if (!(f->callers = calloc(total, sizeof *f->callers)))
		return -1;
	for (size_t i = 0; i < n; i++) {
		for (size_t k = 0; k < files[i]->calls.len; k++) {
			const struct flow_call *c = &files[i]->calls.items[k];
			const struct value *v = exported(ctx, c->module, c->name);
			const char *name = v && v->kind == VAL_FUNCTION && v->name ? v->name : c->name;
			if (!(f->callers[f->ncallers].key = caller_key(c->module, name)))
				return -1;
			f->callers[f->ncallers].file = files[i]->rel;
			f->callers[f->ncallers++].call = c;
		}
	}
	qsort(f->callers, f->ncallers, sizeof *f->callers, by_key);
	return 0;
}

/* The callers of ref's function: *first is the first of the returned count. */
static size_t callers_of(const struct flow *f, const struct param_ref *ref, size_t *first)
{
	struct caller want = {caller_key(ref->module, ref->function), NULL, NULL};
	const struct caller *hit;
	size_t lo, end;

	if (!want.key)
		return 0;
	hit = f->ncallers ? bsearch(&want, f->callers, f->ncallers, sizeof *f->callers, by_key) : NULL;
	free(want.key);
	if (!hit)
		return 0;
	for (lo = (size_t)(hit - f->callers); lo > 0 && by_key(&f->callers[lo - 1], hit) == 0; lo--)
		;
	for (end = (size_t)(hit - f->callers); end < f->ncallers && by_key(&f->callers[end], hit) == 0; end++)
		;
	*first = lo;
	return end - lo;
}

static bool same_function(const struct param_ref *a, const struct param_ref *b)
{
	return !strcmp(a->module, b->module) && !strcmp(a->function, b->function);
}

static struct value *member_path(struct arena *a, struct value *v, const char *path, int depth);

/* Member key (len bytes) of what a caller passes: a property of an object it spells out, of
 * each of several values, of another module's export, or of a parameter of the caller's
 * own (bound in turn, one level up). NULL when it is none of these. */
static struct value *member_step(struct arena *a, struct value *v, const char *key, size_t len, int depth)
{
	char name[512];

	snprintf(name, sizeof name, "%.*s", (int)len, key);
	if (v->kind == VAL_OBJECT)
		return value_get_prop(v, name);
	if (v->kind == VAL_ALT && depth < 4) {
		struct value *alt = value_new(a, VAL_ALT), *it;
		for (size_t i = 0; i < v->nitems; i++)
			if ((it = member_path(a, v->items[i], name, depth + 1)))
				value_push_item(a, alt, it);
		return alt->nitems ? alt : NULL;
	}
	if (v->kind != VAL_STRING || v->nparts != 1)
		return NULL;
	if (v->parts[0].kind == PART_REF) {
		char ref[1024];
		if (snprintf(ref, sizeof ref, "%.*s.%s", (int)v->parts[0].len, v->parts[0].text, name) >= (int)sizeof ref)
			return NULL;
		return value_ref(a, v->parts[0].module, ref);
	}
	if (v->parts[0].param) {
		struct param_ref r = *v->parts[0].param;
		char path[1024];
		if (snprintf(path, sizeof path, "%s%s%s", r.key ? r.key : "", r.key ? "." : "", name) >= (int)sizeof path)
			return NULL;
		r.key = path;
		return value_param(a, &r);
	}
	return NULL;
}

/* v.a.b... for a dotted path, or NULL. */
static struct value *member_path(struct arena *a, struct value *v, const char *path, int depth)
{
	while (v && *path) {
		size_t len = strcspn(path, ".");
		v = member_step(a, v, path, len, depth);
		path += len + (path[len] == '.');
	}
	return v;
}

/* What caller c passes for ref, or NULL. A member of something member_path cannot
 * follow (args.url of the tool's arguments) is unknown, but keeps where it comes from:
 * the caller's user input or secret. */
static struct value *argument(struct arena *a, const struct flow_call *c, const struct param_ref *ref)
{
	struct value *v = NULL, *h;

	if ((size_t)ref->index < c->nargs)
		v = c->args[ref->index];
	for (size_t i = 0; i < c->nkw; i++)
		if (!strcmp(c->keywords[i], ref->name))
			v = c->kw_args[i];
	if (!v || !ref->key)
		return v;
	if ((h = member_path(a, v, ref->key, 0)))
		return h;
	if (!(v->flags & (VF_USER | VF_TAINT)))
		return NULL;
	h = value_hole(a, ref->key, strlen(ref->key), v->flags & (VF_USER | VF_TAINT));
	value_merge_secret(h, v);
	return h;
}

/* One part as a value of its own (a reference or parameter keeps what it names). */
static struct value *part_value(struct arena *a, const struct part *p)
{
	if (p->kind == PART_REF)
		return value_ref(a, p->module, p->text);
	if (p->kind == PART_TEXT)
		return value_text(a, p->text, p->len);
	if (p->param)
		return value_param(a, p->param);
	return value_hole(a, p->text, p->len, 0);
}

/* A parameter's function and the caller binding it. */
struct binding {
	const struct param_ref *fn;
	const struct flow_call *call;
};

static struct value *bind_string(struct arena *a, struct value *v, const struct param_ref *fn,
				 const struct flow_call *c)
{
	struct value *out = value_text(a, "", 0), *arg;

	for (size_t i = 0; i < v->nparts; i++) {
		const struct part *p = &v->parts[i];
		struct value *piece;
		if (!p->param || !same_function(p->param, fn)) {
			piece = part_value(a, p);
		} else if (!(arg = argument(a, c, p->param))) {
			piece = value_hole(a, p->text, p->len, 0);  /* not passed: unknown for good */
		} else {
			if (v->nparts == 1)
				return arg;     /* the whole value: an options object stays one */
			piece = arg;
		}
		out = value_concat(a, out, piece);
	}
	value_absorb(a, out, v);
	return out;
}

static struct value *bind_leaf(void *ctx, struct arena *a, struct value *v, int depth)
{
	const struct binding *b = ctx;

	(void)depth;
	return bind_string(a, v, b->fn, b->call);
}

static struct value *bind(struct arena *a, struct value *v, const struct param_ref *fn, const struct flow_call *c)
{
	struct binding b = {fn, c};

	return value_rebuild(a, v, value_has_params, bind_leaf, &b, 0, 16);
}

/* The first parameter in v that some caller binds, or NULL. */
static const struct param_ref *bindable(const struct flow *f, const struct value *v, int depth)
{
	const struct param_ref *r;
	size_t first;

	if (!v || depth > 16)
		return NULL;
	for (size_t i = 0; i < v->nparts; i++)
		if (v->parts[i].param && callers_of(f, v->parts[i].param, &first))
			return v->parts[i].param;
	for (size_t i = 0; i < v->nitems; i++)
		if ((r = bindable(f, v->items[i], depth + 1)))
			return r;
	for (size_t i = 0; i < v->nprops; i++)
		if ((r = bindable(f, v->props[i].value, depth + 1)))
			return r;
	return NULL;
}

static const struct param_ref *site_param(const struct flow *f, const struct call_site *s)
{
	const struct param_ref *r = bindable(f, s->dest, 0);

	if (!r)
		r = bindable(f, s->port, 0);
	if (!r)
		r = bindable(f, s->args, 0);
	if (!r)
		r = bindable(f, s->base, 0);
	return r ? r : bindable(f, s->others, 0);
}

/* The other arguments carry what flows into the call: what a caller binds there adds its
 * taint to this call site alone. */
static void absorb_deep(struct arena *a, struct value *into, const struct value *v, int depth)
{
	if (!v || depth > 8)
		return;
	if (v != into)
		value_absorb(a, into, v);
	for (size_t i = 0; i < v->nitems; i++)
		absorb_deep(a, into, v->items[i], depth + 1);
	for (size_t i = 0; i < v->nprops; i++)
		absorb_deep(a, into, v->props[i].value, depth + 1);
}

static struct value *bind_others(struct arena *a, struct value *others, const struct param_ref *fn,
				 const struct flow_call *c)
{
	struct value *out = bind(a, others, fn, c);

	if (out && out != others)
		absorb_deep(a, out, out, 0);
	return out;
}

static struct call_site bound_site(struct arena *a, const struct call_site *s, const struct param_ref *fn,
				   const struct flow_call *c)
{
	struct call_site b = *s;

	b.dest = bind(a, s->dest, fn, c);
	b.port = bind(a, s->port, fn, c);
	b.args = bind(a, s->args, fn, c);
	b.others = bind_others(a, s->others, fn, c);
	b.base = bind(a, s->base, fn, c);
	return b;
}

/* The call site as it was, marked as cut short: the callers past the bound are unknown. */
static struct call_site limited_site(struct arena *a, const struct call_site *s, enum bound bound)
{
	struct call_site b = *s;
	struct value *d = value_new(a, s->dest->kind);

	*d = *s->dest;
	d->flags |= VF_LIMIT;
	d->bounds |= BOUND_BIT(bound);
	b.dest = d;
	return b;
}

/* The reading's evidence names the caller that bound it: "url (bound at index.js:13)". */
static void name_caller(struct arena *a, struct call_site *b, const struct caller *c)
{
	char buf[400];

	snprintf(buf, sizeof buf, "%s (bound at %s:%u)", b->expression ? b->expression : "", c->file ? c->file : "?",
		 c->call->line);
	b->expression = arena_strdup(a, buf);
}

/* Expand site k for the callers of the parameter it waits for, every caller up to
 * FLOW_MAX_CALLERS, callers of callers up to FLOW_MAX_DEPTH, while *budget (the readings
 * one call site may still become) lasts; past any bound the site as it was is kept too,
 * marked cut short. */
static int expand_site(const struct flow *f, struct file_result *fr, size_t k, int depth, size_t *budget)
{
	const struct param_ref *fn = site_param(f, &fr->sites.items[k]);
	struct call_site base;
	size_t first, n, idx;

	if (!fn)
		return 0;
	if (depth >= FLOW_MAX_DEPTH) {
		fr->sites.items[k] = limited_site(fr->arena, &fr->sites.items[k], BOUND_FLOW_DEPTH);
		return 0;
	}
	base = fr->sites.items[k];
	n = callers_of(f, fn, &first);
	for (size_t i = 0; i < n && i < FLOW_MAX_CALLERS && *budget; i++) {
		struct call_site b = bound_site(fr->arena, &base, fn, f->callers[first + i].call);
		name_caller(fr->arena, &b, &f->callers[first + i]);
		if (i == 0) {
			fr->sites.items[k] = b;
			idx = k;
		} else {
			if (vec_push(&fr->sites, b) != 0)
				return -1;
			idx = fr->sites.len - 1;
			(*budget)--;
		}
		if (expand_site(f, fr, idx, depth + 1, budget) != 0)
			return -1;
	}
	if ((n > FLOW_MAX_CALLERS || !*budget) &&
	    vec_push(&fr->sites, limited_site(fr->arena, &base, n > FLOW_MAX_CALLERS ? BOUND_FLOW_CALLERS : BOUND_FLOW_SITES)) != 0)
		return -1;
	return 0;
}

/* A rendered value up to its host: "https://api.example.com/a1" and ".../a2" reach the
 * same place. Text without a scheme is kept whole (a command line, a host name). */
static void origin_of(const struct value *v, char *out, size_t cap)
{
	char *p;

	value_render(v, out, cap);
	if ((p = strstr(out, "://")) && (p = strpbrk(p + 3, "/?#")))
		*p = '\0';
}

static bool same_rendering(const struct value *x, const struct value *y, bool origin)
{
	char a[512], b[512];

	if (!x || !y)
		return !x == !y;
	if (origin) {
		origin_of(x, a, sizeof a);
		origin_of(y, b, sizeof b);
	} else {
		value_render(x, a, sizeof a);
		value_render(y, b, sizeof b);
	}
	return strcmp(a, b) == 0 && !((x->flags ^ y->flags) & (VF_USER | VF_TAINT | VF_LIMIT));
}

static unsigned site_flags(const struct call_site *s)
{
	return ((s->dest ? s->dest->flags : 0) | (s->others ? s->others->flags : 0) |
		(s->args ? s->args->flags : 0)) & (VF_TAINT | VF_USER);
}

bool flow_same_reading(const struct call_site *x, const struct call_site *y)
{
	return site_flags(x) == site_flags(y) && strcmp(x->category, y->category) == 0 &&
	       same_rendering(x->dest, y->dest, true) && same_rendering(x->port, y->port, false) &&
	       same_rendering(x->args, y->args, false) && same_rendering(x->base, y->base, true);
}

/* Drop the readings of site k (k itself and those from `from` on) that an earlier one of
 * them says already: sixty callers of request('/path') reach one host. */
static void drop_same(struct file_result *fr, size_t k, size_t from)
{
	size_t out = from;

	for (size_t i = from; i < fr->sites.len; i++) {
		bool dup = flow_same_reading(&fr->sites.items[k], &fr->sites.items[i]);
		for (size_t j = from; j < out && !dup; j++)
			dup = flow_same_reading(&fr->sites.items[j], &fr->sites.items[i]);
		if (!dup)
			fr->sites.items[out++] = fr->sites.items[i];
	}
	fr->sites.len = out;
}

int flow_expand(struct file_result **files, size_t n, flow_export_fn exported, void *ctx)
{
	struct flow f = {0};
	int rc = -1;

	if (index_callers(&f, files, n, exported, ctx) != 0)
		goto out;
	for (size_t i = 0; f.ncallers && i < n; i++) {
		size_t len = files[i]->sites.len;
		for (size_t k = 0; k < len; k++) {
			size_t from = files[i]->sites.len, budget = FLOW_MAX_SITES;
			if (expand_site(&f, files[i], k, 0, &budget) != 0)
				goto out;
			drop_same(files[i], k, from);
		}
	}
	rc = 0;
out:
	for (size_t i = 0; i < f.ncallers; i++)
		free(f.callers[i].key);
	free(f.callers);
	return rc;
}
