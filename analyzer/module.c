/* Per-file tables (declarations, calls, tool handlers) and the context each call runs in. */
#include "analyzer/module.h"

#include <stdio.h>
#include <string.h>

#include "analyzer/eval.h"
#include "analyzer/query.h"
#include "analyzer/tool_sets.h"

const char *const field_names[F_COUNT] = {
	"object", "property", "attribute", "function", "arguments", "constructor", "name", "value", "key", "left", "right", "operator", "body", "parameters", "parameter", "consequence", "alternative", "index", "subscript", "condition", "pattern", "flags",
};

TSNode child(const struct module *m, TSNode n, enum field f)
{
	if (ts_node_is_null(n) || !n.id || !m->fields[f])
		return (TSNode){0};
	return ts_node_child_by_field_id(n, m->fields[f]);
}

/* FNV-1a: the tables only need spread, not secrecy. */
size_t name_hash(const char *s)
{
	size_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct named_nodes *name_table_get(const struct name_table *t, const char *name)
{
	if (!t->cap)
		return NULL;
	for (size_t i = name_hash(name) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
		if (!t->slots[i].name)
			return NULL;
		if (strcmp(t->slots[i].name, name) == 0)
			return &t->slots[i];
	}
}

static int grow(struct name_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 64;
	struct named_nodes *slots = calloc(cap, sizeof *slots);

	if (!slots)
		return -1;
	for (size_t i = 0; i < t->cap; i++) {
		struct named_nodes *e = &t->slots[i];
		size_t j;
		if (!e->name)
			continue;
		for (j = name_hash(e->name) & (cap - 1); slots[j].name; j = (j + 1) & (cap - 1))
			;
		slots[j] = *e;
	}
	free(t->slots);
	t->slots = slots;
	t->cap = cap;
	return 0;
}

struct named_nodes *name_table_put(struct name_table *t, struct arena *a, const char *name)
{
	struct named_nodes *e = name_table_get(t, name);
	size_t i;

	if (e)
		return e;
	if ((t->used + 1) * 2 > t->cap && grow(t) != 0)
		return NULL;
	for (i = name_hash(name) & (t->cap - 1); t->slots[i].name; i = (i + 1) & (t->cap - 1))
		;
	t->slots[i].name = arena_strdup(a, name);
	t->used++;
	return &t->slots[i];
}

static uint64_t *memo_probe(uint64_t *keys, size_t cap, uint64_t key)
{
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull) & (cap - 1);

	while (keys[i] && keys[i] != key)
		i = (i + 1) & (cap - 1);
	return &keys[i];
}

static bool memo_grow(struct pos_memo *t, struct arena *a)
{
	size_t cap = t->cap ? t->cap * 2 : 256;
	uint64_t *keys = arena_alloc(a, cap * sizeof *keys), *k;
	void **values = arena_alloc(a, cap * sizeof *values);

	if (!keys || !values)
		return false;
	memset(keys, 0, cap * sizeof *keys);
	for (size_t i = 0; i < t->cap; i++) {
		if (!t->keys[i])
			continue;
		k = memo_probe(keys, cap, t->keys[i]);
		*k = t->keys[i];
		values[k - keys] = t->values[i];
	}
	t->keys = keys;
	t->values = values;
	t->cap = cap;
	return true;
}

void **pos_memo_slot(struct pos_memo *t, struct arena *a, uint64_t key, bool *found)
{
	uint64_t *k;

	*found = false;
	if ((t->used + 1) * 2 > t->cap && !memo_grow(t, a))
		return NULL;
	k = memo_probe(t->keys, t->cap, key);
	if (*k) {
		*found = true;
		return &t->values[k - t->keys];
	}
	*k = key;
	t->used++;
	t->values[k - t->keys] = NULL;
	return &t->values[k - t->keys];
}

const char *node_text(struct module *m, TSNode n, size_t max)
{
	uint32_t a, b;
	size_t len;

	if (ts_node_is_null(n) || !n.id)
		return "";
	a = ts_node_start_byte(n);
	b = ts_node_end_byte(n);
	if (b < a || b > m->len)
		return "";
	len = b - a;
	if (!max)
		max = 64 << 10;
	if (len > max)
		len = max;
	const char *s = arena_strndup(m->arena, m->src + a, len);
	return s ? s : "";
}

bool node_is(TSNode n, const char *type)
{
	return !ts_node_is_null(n) && strcmp(ts_node_type(n), type) == 0;
}

bool node_text_eq(struct module *m, TSNode n, const char *s)
{
	uint32_t a, b;
	size_t len = strlen(s);

	if (ts_node_is_null(n) || !n.id)
		return false;
	a = ts_node_start_byte(n);
	b = ts_node_end_byte(n);
	return b - a == len && b <= m->len && memcmp(m->src + a, s, len) == 0;
}

static const char *const js_function_types[] = {
	"function_declaration", "function_expression", "arrow_function", "method_definition",
	"generator_function_declaration", "generator_function", "function", NULL};
static const char *const py_function_types[] = {"function_definition", "lambda", NULL};

bool is_function_node(struct module *m, TSNode n)
{
	const char *t;

	if (!ts_node_is_named(n))  /* the `function` keyword token is not a function */
		return false;
	t = ts_node_type(n);

	for (const char *const *p = m->js ? js_function_types : py_function_types; *p; p++)
		if (strcmp(t, *p) == 0)
			return true;
	return false;
}

size_t named_children(TSNode n, TSNode *out, size_t cap)
{
	TSTreeCursor cur;
	size_t k = 0;

	if (ts_node_is_null(n) || !n.id)
		return 0;
	cur = ts_tree_cursor_new(n);
	if (ts_tree_cursor_goto_first_child(&cur)) {
		do {
			TSNode c = ts_tree_cursor_current_node(&cur);
			if (ts_node_is_named(c) && strcmp(ts_node_type(c), "comment") != 0)
				out[k++] = c;
		} while (k < cap && ts_tree_cursor_goto_next_sibling(&cur));
	}
	ts_tree_cursor_delete(&cur);
	return k;
}

static int cmp_span(const void *pa, const void *pb)
{
	const struct span *a = pa, *b = pb;

	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	return a->end > b->end ? -1 : a->end < b->end;  /* outer first */
}

/* Sort spans and link each to its innermost container (a stack walk). */
static void link_spans(struct span *sp, size_t n)
{
	int32_t stack[512];
	size_t top = 0;

	if (n > 1)
		qsort(sp, n, sizeof *sp, cmp_span);
	for (size_t i = 0; i < n; i++) {
		while (top && sp[stack[top - 1]].end < sp[i].end)
			top--;
		sp[i].parent = top ? stack[top - 1] : -1;
		if (top < 512)
			stack[top++] = (int32_t)i;
	}
}

/* Index of the innermost span containing [s, e), not equal to it when !include_self. */
static int32_t innermost(const struct span *sp, size_t n, uint32_t s, uint32_t e, bool include_self)
{
	size_t lo = 0, hi = n;
	int32_t j;

	while (lo < hi) {  /* last span with start <= s */
		size_t mid = (lo + hi) / 2;
		if (sp[mid].start <= s)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (j = (int32_t)lo - 1; j >= 0; j = sp[j].parent) {
		if (sp[j].start <= s && e <= sp[j].end && (include_self || sp[j].start != s || sp[j].end != e))
			return j;
	}
	return -1;
}

TSNode enclosing_function(struct module *m, TSNode n, bool include_self)
{
	int32_t j = innermost(m->functions.items, m->functions.len, ts_node_start_byte(n), ts_node_end_byte(n),
			      include_self);

	return j < 0 ? (TSNode){0} : m->functions.items[j].node;
}

TSNode enclosing_class(struct module *m, TSNode n)
{
	int32_t j = innermost(m->classes.items, m->classes.len, ts_node_start_byte(n), ts_node_end_byte(n), true);

	return j < 0 ? (TSNode){0} : m->classes.items[j].node;
}

static struct span *span_at(struct module *m, uint32_t start)
{
	size_t lo = 0, hi = m->functions.len;

	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (m->functions.items[mid].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < m->functions.len && m->functions.items[lo].start == start; lo++)
		return &m->functions.items[lo];
	return NULL;
}

TSNode function_starting_at(struct module *m, uint32_t start)
{
	struct span *sp = span_at(m, start);

	return sp ? sp->node : (TSNode){0};
}

static const char *compute_function_name(struct module *m, TSNode fn)
{
	TSNode name = child(m, fn, F_NAME);
	TSNode parent;

	if (!ts_node_is_null(name))
		return node_text(m, name, 200);
	parent = ts_node_parent(fn);
	if (node_is(parent, "variable_declarator"))
		name = child(m, parent, F_NAME);
	else if (node_is(parent, "pair"))
		name = child(m, parent, F_KEY);
	else if (node_is(parent, "assignment_expression") || node_is(parent, "assignment"))
		name = child(m, parent, F_LEFT);
	if (ts_node_is_null(name))
		return NULL;
	if (node_is(name, "member_expression"))
		name = child(m, name, F_PROPERTY);
	else if (node_is(name, "attribute"))
		name = child(m, name, F_ATTRIBUTE);
	if (!node_is(name, "identifier") && !node_is(name, "property_identifier"))
		return NULL;
	return node_text(m, name, 200);
}

/* Names are computed once per function (the parent lookup is the expensive part) and
 * kept in the file's long-lived arena. */
const char *function_name(struct module *m, TSNode fn)
{
	struct span *sp = span_at(m, ts_node_start_byte(fn));
	struct arena *saved = m->arena;
	const char *name;

	if (sp && sp->named)
		return sp->name;
	m->arena = m->index_arena;
	name = compute_function_name(m, fn);
	m->arena = saved;
	if (sp && ts_node_eq(sp->node, fn)) {
		sp->name = name;
		sp->named = true;
	}
	return name;
}

/* ---- building the tables from index-phase matches ---- */

/* The range a binding is visible in: its function (or the whole file). Block scopes are
 * not modelled: within a function the binding before the use wins (see best_decl). */
static void scope_of(struct module *m, TSNode n, uint32_t *start, uint32_t *end)
{
	TSNode fn = enclosing_function(m, n, false);

	if (ts_node_is_null(fn)) {
		*start = 0;
		*end = (uint32_t)m->len;
		return;
	}
	*start = ts_node_start_byte(fn);
	*end = ts_node_end_byte(fn);
}

/* `let x;` and `x = None` say nothing about where x points: `try: import httpx /
 * except ImportError: httpx = None` must still resolve to the module. Kept in the decl:
 * the evaluator asks it of every binding of a name on every read of it. */
static bool weak_binding(const struct decl *d)
{
	const char *t;

	if (d->kind != DK_VAR && d->kind != DK_ASSIGN)
		return false;
	if (!d->has_value)
		return true;
	t = ts_node_type(d->value);
	return !strcmp(t, "none") || !strcmp(t, "null") || !strcmp(t, "undefined");
}

static void add_decl(struct module *m, struct decl d)
{
	struct named_nodes *e;

	if (!d.name || !*d.name)
		return;
	d.weak = weak_binding(&d);
	e = name_table_put(&m->decls, m->arena, d.name);
	if (!e || e->decls.len >= 4096)  /* a name bound thousands of times is minified noise */
		return;
	if (vec_push(&e->decls, d) != 0)
		return;
	e->has_store |= d.kind == DK_STORE;
	e->assigns += d.kind == DK_ASSIGN;
}

struct captures {
	TSNode node[24];
	const char *name[24];
	size_t n;
};

static bool cap(const struct captures *c, const char *name, TSNode *out)
{
	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->name[i], name) == 0) {
			*out = c->node[i];
			return true;
		}
	}
	return false;
}

static void collect(const struct compiled_query *q, const TSQueryMatch *match, struct captures *c)
{
	c->n = 0;
	for (uint16_t i = 0; i < match->capture_count && c->n < 24; i++) {
		c->node[c->n] = match->captures[i].node;
		c->name[c->n++] = query_capture_name(q, match->captures[i].index);
	}
}

/* The element positions of an array pattern's children: [a, , b] binds a to 0 and b to 2
 * (a hole is no node, only a comma). */
static size_t array_positions(TSNode pattern, TSNode *kids, unsigned *pos, size_t max)
{
	uint32_t n = ts_node_child_count(pattern);
	unsigned at = 0;
	size_t k = 0;

	for (uint32_t i = 0; i < n && k < max; i++) {
		TSNode c = ts_node_child(pattern, i);
		if (!ts_node_is_named(c)) {
			at += !strcmp(ts_node_type(c), ",");
			continue;
		}
		kids[k] = c;
		pos[k++] = at;
	}
	return k;
}

/* Identifiers bound by a destructuring pattern, each pointing at the pattern: by property
 * name for an object pattern, by position for an array pattern. */
static void add_pattern_names(struct module *m, TSNode pattern, TSNode value, bool has_value,
			      enum decl_kind kind)
{
	TSNode kids[64];
	unsigned pos[64];
	bool array = node_is(pattern, "array_pattern") || node_is(pattern, "pattern_list") ||
		     node_is(pattern, "tuple_pattern") || node_is(pattern, "list_pattern");
	size_t n = array ? array_positions(pattern, kids, pos, 64) : named_children(pattern, kids, 64);

	for (size_t i = 0; i < n; i++) {
		TSNode c = kids[i], id = c;
		struct decl d = {0};
		TSNode fallback = {0};
		char index[16];
		if (node_is(c, "pair_pattern"))
			id = child(m, c, F_VALUE);
		else if (node_is(c, "object_assignment_pattern")) {
			fallback = child(m, c, F_RIGHT);
			id = child(m, c, F_LEFT);
		}
		if (node_is(id, "assignment_pattern")) {
			fallback = child(m, id, F_RIGHT);
			id = child(m, id, F_LEFT);
		}
		if (!node_is(id, "identifier") && !node_is(id, "shorthand_property_identifier_pattern"))
			continue;
		d.kind = kind;
		d.name = node_text(m, id, 200);
		d.name_node = id;
		snprintf(index, sizeof index, "%u", array ? pos[i] : 0);
		d.key = array ? arena_strdup(m->arena, index) :
			node_is(c, "pair_pattern") ? node_text(m, child(m, c, F_KEY), 200) : d.name;
		d.fallback = fallback;
		d.value = has_value ? value : pattern;
		d.has_value = true;
		d.pending = true;
		d.basis = pattern;
		d.pos = ts_node_start_byte(id);
		add_decl(m, d);
	}
}

/* What kind of binding a declaration match is, and its name node. */
static bool classify_decl(struct module *m, const struct captures *c, struct decl *d, TSNode *name)
{
	TSNode whole = {0}, alias = {0}, value = {0};

	if (cap(c, "decl.param", name)) {
		d->kind = DK_PARAM;
	} else if (cap(c, "decl.import_default", name) || cap(c, "decl.import_ns", name)) {
		d->kind = cap(c, "decl.import_ns", &whole) ? DK_IMPORT_NS : DK_IMPORT_DEFAULT;
	} else if (cap(c, "decl.import_name", &whole)) {
		d->kind = DK_IMPORT_NAME;
		d->import_name = node_text(m, whole, 200);
		*name = cap(c, "decl.import_alias", &alias) ? alias : whole;
	} else if (cap(c, "decl.import_module", &whole)) {
		d->kind = DK_IMPORT_MODULE;
		if (cap(c, "decl.import_alias", &alias)) {
			d->module = node_text(m, whole, 200);
			*name = alias;
		} else {
			/* `import urllib.request` binds `urllib` to the top package */
			*name = ts_node_named_child_count(whole) ? ts_node_named_child(whole, 0) : whole;
			d->module = node_text(m, *name, 200);
		}
	} else if (cap(c, "decl.field", name) || (d->param_field = cap(c, "decl.param_field", name))) {
		d->kind = DK_SELF_FIELD;
	} else if (!cap(c, "decl.name", name)) {
		return false;
	} else if (cap(c, "decl.function", &whole) || cap(c, "decl.class", &value)) {
		d->kind = ts_node_is_null(whole) ? DK_CLASS : DK_FUNCTION;
		d->value = ts_node_is_null(whole) ? value : whole;
		d->has_value = true;
	} else if (cap(c, "decl.iter", &value)) {
		d->kind = DK_ITER;
		d->value = value;
		d->has_value = true;
	} else if (cap(c, "decl.store", &whole)) {
		d->kind = DK_STORE;
		d->target = child(m, whole, F_LEFT);
	} else {
		d->kind = cap(c, "decl.assign", &whole) ? DK_ASSIGN : DK_VAR;
	}
	return true;
}

static void index_decl(struct module *m, const struct captures *c)
{
	struct decl d = {0};
	TSNode name = {0}, value = {0}, src = {0};

	d.has_value = cap(c, "decl.value", &value) || cap(c, "decl.default", &value);
	d.value = value;
	if (cap(c, "decl.pattern", &name)) {
		add_pattern_names(m, name, value, d.has_value, DK_PATTERN);
		return;
	}
	if (cap(c, "decl.param_pattern", &name)) {
		add_pattern_names(m, name, value, false, DK_PARAM);
		return;
	}
	if (!classify_decl(m, c, &d, &name))
		return;
	if (cap(c, "decl.source", &src))
		d.module = node_text(m, src, 300);
	d.name = node_text(m, name, 200);
	d.name_node = name;
	d.pos = ts_node_start_byte(name);
	if (d.kind >= DK_IMPORT_DEFAULT && d.kind <= DK_IMPORT_MODULE) {
		d.scope_start = 0;
		d.scope_end = (uint32_t)m->len;
	} else {
		d.pending = true;
		/* a function is visible around its declaration, not only inside it */
		d.basis = (d.kind == DK_FUNCTION || d.kind == DK_CLASS) ? d.value : name;
	}
	add_decl(m, d);
}

/* Python: whether the function d is assigned in says `global NAME` for it (the
 * assignment then binds the module's variable). */
static bool declared_global(struct module *m, const struct decl *d)
{
	TSNode fn = enclosing_function(m, d->basis, false), stmts[64], names[32];
	size_t n = named_children(child(m, fn, F_BODY), stmts, 64);

	for (size_t i = 0; i < n; i++) {
		size_t k = node_is(stmts[i], "global_statement") ? named_children(stmts[i], names, 32) : 0;
		for (size_t j = 0; j < k; j++)
			if (node_text_eq(m, names[j], d->name))
				return true;
	}
	return false;
}

/* Scopes and owners, once the function and class spans are known. A parameter of a
 * type signature (no function around it) binds nothing. */
static void settle_decl(struct module *m, struct decl *d)
{
	TSNode owner;

	d->pending = false;
	if (d->kind == DK_PARAM) {
		owner = enclosing_function(m, d->basis, false);
		if (ts_node_is_null(owner)) {
			d->scope_start = d->scope_end = 0;
			return;
		}
		d->owner = owner;
		d->scope_start = ts_node_start_byte(owner);
		d->scope_end = ts_node_end_byte(owner);
		return;
	}
	if (d->kind == DK_SELF_FIELD && !ts_node_is_null(owner = enclosing_class(m, d->basis))) {
		/* self.x = ... is visible in the whole class */
		d->owner = owner;
		d->scope_start = ts_node_start_byte(owner);
		d->scope_end = ts_node_end_byte(owner);
		return;
	}
	scope_of(m, d->basis, &d->scope_start, &d->scope_end);
	if (d->kind == DK_ASSIGN && !m->js && declared_global(m, d))
		d->scope_start = 0, d->scope_end = (uint32_t)m->len;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void settle_decls(struct module *m)
{
	link_spans(m->functions.items, m->functions.len);
	link_spans(m->classes.items, m->classes.len);
	if (m->loop_vars.len > 1)
		qsort(m->loop_vars.items, m->loop_vars.len, sizeof *m->loop_vars.items, cmp_u32);
	for (size_t i = 0; i < m->decls.cap; i++) {
		for (size_t k = 0; m->decls.slots[i].name && k < m->decls.slots[i].decls.len; k++) {
			struct decl *d = &m->decls.slots[i].decls.items[k];
			if (d->pending)
				settle_decl(m, d);
			if (d->kind == DK_VAR && m->loop_vars.len &&
			    bsearch(&d->pos, m->loop_vars.items, m->loop_vars.len, sizeof d->pos, cmp_u32))
				d->loop = true;
		}
	}
	vec_free(&m->loop_vars);
}

static void index_span(struct module *m, const struct captures *c)
{
	TSNode n;
	struct span sp = {0};
	bool fn = cap(c, "scope.function", &n);

	if (!fn && !cap(c, "scope.class", &n))
		return;
	sp.node = n;
	sp.start = ts_node_start_byte(n);
	sp.end = ts_node_end_byte(n);
	if (fn && m->functions.len < 1000000)
		vec_push(&m->functions, sp);
	else if (!fn && m->classes.len < 100000)
		vec_push(&m->classes, sp);
}

struct captures;
static void index_tool(struct module *m, const struct captures *c);

/* Values an export may be made of (value_weight). */
#define EXPORT_MAX_WEIGHT 2048

static void add_export(struct module *m, const char *name, struct value *v);

/* An exported function's return value, as the export "name()": another module's call of it
 * (`const config = loadConfig()`) is that value (eval.c's imported_result). */
static void add_function_result(struct module *m, const char *name, const struct value *fn)
{
	char key[512];
	struct value *r;

	if (fn->kind != VAL_FUNCTION || snprintf(key, sizeof key, "%s()", name) >= (int)sizeof key)
		return;
	eval_reset(m);
	if ((r = eval_function_result(m, fn)))
		add_export(m, key, r);
}

/* An exported instance's methods, as the exports "name.method()" (a getter's as
 * "name.prop"): another module's service.method() is what it returns. */
static void add_instance_methods(struct module *m, const char *name, TSNode value)
{
	struct method_result r[64];
	size_t n = eval_instance_methods(m, value, r, sizeof r / sizeof r[0]);
	char key[512];

	for (size_t i = 0; i < n; i++)
		if (snprintf(key, sizeof key, "%s.%s%s", name, r[i].name, r[i].getter ? "" : "()") < (int)sizeof key)
			add_export(m, key, r[i].result);
}

/* An exported class's static factories (`static load() { return new C(...) }`), their
 * instance's methods as the exports "C.load().method()" and getters as "C.load().prop":
 * another module's `C.load().url`, or `const c = C.load(); c.url`. */
static void add_static_factories(struct module *m, const char *name, TSNode value)
{
	struct method_result r[64];
	struct static_factory f[16];
	size_t nf = eval_static_factories(m, value, f, sizeof f / sizeof f[0]);
	char key[512];

	for (size_t i = 0; i < nf; i++) {
		size_t n = eval_instance_methods(m, f[i].made, r, sizeof r / sizeof r[0]);
		for (size_t k = 0; k < n; k++)
			if (snprintf(key, sizeof key, "%s.%s().%s%s", name, f[i].name, r[k].name, r[k].getter ? "" : "()") <
			    (int)sizeof key)
				add_export(m, key, r[k].result);
	}
}

static void add_export(struct module *m, const char *name, struct value *v)
{
	struct export_entry e;

	/* unknowns never become part of a destination, and keeping every export of a
	 * dependency tree adds up; a default export that is a function is kept, for the
	 * name its module calls it by (flow.h: its callers import it under another) */
	if (!value_useful(v) && !(v->kind == VAL_FUNCTION && !strcmp(name, "default")))
		return;
	/* a generated API description (thousands of endpoint objects) is copied into every
	 * value that reads it at the link step: such exports are not kept */
	if (value_weight(v, EXPORT_MAX_WEIGHT) >= EXPORT_MAX_WEIGHT)
		return;
	/* exports outlive the file's tables: the link step reads them */
	e.name = arena_strdup(m->out->arena, name);
	e.value = value_copy(m->out->arena, v);

	if (m->out->exports.len < 512)
		vec_push(&m->out->exports, e);
}

/* Exports are evaluated once every binding is indexed (see index_finish). */
/* export { a as b } from './x' and export * from './x': references to the other module,
 * resolved at link time like imports. Packages re-exported this way are not followed. */
static void index_reexport(struct module *m, const struct captures *c)
{
	TSNode src, name, alias;
	const char *module;

	if (!cap(c, "export.source", &src) || !(module = eval_local_module(m, node_text(m, src, 300))))
		return;
	module += 5;  /* "file:" */
	if (cap(c, "export.all", &name)) {
		add_export(m, "*", value_ref(m->arena, module, "*"));
	} else if (cap(c, "export.reexport", &name)) {
		const char *inner = node_text(m, name, 200);
		add_export(m, cap(c, "export.alias", &alias) ? node_text(m, alias, 200) : inner,
			   value_ref(m->arena, module, inner));
	}
}

static void index_export(struct module *m, const struct captures *c)
{
	struct pending_export pe = {0};
	TSNode src;

	if (cap(c, "export.source", &src)) {
		index_reexport(m, c);
		return;
	}

	if (cap(c, "export.function", &pe.name)) {
		pe.value = ts_node_parent(pe.name);  /* export function f() {}: what f() returns */
	} else if (cap(c, "export.class", &pe.name)) {
		pe.value = pe.name;  /* the class, found by its name (add_static_factories) */
	} else if (cap(c, "export.local", &pe.value)) {
		if (!cap(c, "export.alias", &pe.name))
			pe.name = pe.value;
	} else if (cap(c, "export.default", &pe.value))
		pe.is_default = true;
	else if (!cap(c, "export.name", &pe.name) || !cap(c, "export.value", &pe.value))
		return;
	if (m->pending_exports.len < 512)
		vec_push(&m->pending_exports, pe);
}

struct pending_tool {
	struct captures c;
};

/* Whether a later pending export of a Python module has export i's name (BASE = a, later
 * BASE = b: importers see what reaches the end, eval_module_variable). */
static bool later_export(struct module *m, size_t i)
{
	const struct pending_export *pe = &m->pending_exports.items[i];

	if (m->js)
		return false;
	for (size_t k = i + 1; k < m->pending_exports.len; k++) {
		const struct pending_export *q = &m->pending_exports.items[k];
		if (!q->is_default && ts_node_end_byte(q->name) - ts_node_start_byte(q->name) ==
					      ts_node_end_byte(pe->name) - ts_node_start_byte(pe->name) &&
		    !strncmp(m->src + ts_node_start_byte(q->name), m->src + ts_node_start_byte(pe->name),
			     ts_node_end_byte(pe->name) - ts_node_start_byte(pe->name)))
			return true;
	}
	return false;
}

void index_finish(struct module *m)
{
	settle_decls(m);
	for (size_t i = 0; i < m->pending_tools.len; i++) {
		index_tool(m, &m->pending_tools.items[i]->c);
		free(m->pending_tools.items[i]);
	}
	vec_free(&m->pending_tools);
	for (size_t i = 0; i < m->pending_exports.len; i++) {
		struct pending_export *pe = &m->pending_exports.items[i];
		struct value *v;
		if (!pe->is_default && later_export(m, i))
			continue;  /* one entry per name: the last, with every value reaching it */
		eval_reset(m);
		v = pe->is_default ? eval_node(m, pe->value) : eval_module_variable(m, pe->name, pe->value);
		if (!pe->is_default) {
			add_export(m, node_text(m, pe->name, 200), v);
			add_function_result(m, node_text(m, pe->name, 200), v);
			add_instance_methods(m, node_text(m, pe->name, 200), pe->value);
			add_static_factories(m, node_text(m, pe->name, 200), pe->value);
			continue;
		}
		add_export(m, "default", v);
		add_function_result(m, "default", v);
		for (size_t k = 0; v->kind == VAL_OBJECT && k < v->nprops; k++) {
			add_export(m, v->props[k].key, v->props[k].value);
			add_function_result(m, v->props[k].key, v->props[k].value);
		}
	}
	vec_free(&m->pending_exports);
}

static void index_call(struct module *m, const struct captures *c)
{
	TSNode name, site;
	struct named_nodes *e;

	if (cap(c, "fn.method", &name) && cap(c, "fn.def", &site)) {
		e = name_table_put(&m->calls, m->arena, node_text(m, name, 200));
		if (e && e->decls.len < 64) {
			struct decl d = {.kind = DK_FUNCTION, .value = site, .has_value = true};
			vec_push(&e->decls, d);
		}
		return;
	}
	if (!cap(c, "calls.site", &site))
		return;
	if (!cap(c, "calls.name", &name) && !cap(c, "calls.method", &name) &&
	    !cap(c, "calls.applied", &name))
		return;
	e = name_table_put(&m->calls, m->arena, node_text(m, name, 200));
	if (e && e->nodes.len < 256)
		vec_push(&e->nodes, site);
}

static void index_tool(struct module *m, const struct captures *c)
{
	struct tool_handler t = {0};
	TSNode n, handler;

	if (cap(c, "tool.dispatch_block", &handler)) {
		t.block = true;
	} else if (cap(c, "tool.dispatch", &handler)) {
		/* a function for every tool */
	} else if (cap(c, "tool.config", &n)) {
		/* {name, execute|handler|run|callback} */
		uint32_t k = ts_node_named_child_count(n);
		bool found = false;
		for (uint32_t i = 0; i < k && !found; i++) {
			TSNode pair = ts_node_named_child(n, i);
			TSNode key = child(m, pair, F_KEY);
			if (node_is(pair, "pair") && (node_text_eq(m, key, "execute") || node_text_eq(m, key, "handler") ||
						      node_text_eq(m, key, "run") || node_text_eq(m, key, "callback"))) {
				handler = child(m, pair, F_VALUE);
				found = true;
			}
		}
		if (!found || !cap(c, "tool.name", &n))
			return;
		t.tool = node_text(m, n, 200);
	} else if (cap(c, "tool.handler", &handler)) {
		TSNode dec;
		if (cap(c, "tool.name", &n)) {
			/* server.tool(name, ...) with the name in a constant */
			const char *name;
			eval_reset(m);
			name = value_constant(m->arena, eval_node(m, n));
			t.tool = name ? arena_strdup(m->arena, name) : node_text(m, n, 200);
		}
		else if (cap(c, "tool.fname", &n))
			t.tool = node_text(m, n, 200);
		/* @mcp.tool(name="x") overrides the function name */
		if (cap(c, "tool.decorator", &dec)) {
			const char *text = node_text(m, dec, 400), *p = strstr(text, "name=");
			if (p && (p[5] == '"' || p[5] == '\'')) {
				const char *q = strchr(p + 6, p[5]);
				if (q)
					t.tool = arena_strndup(m->arena, p + 6, (size_t)(q - p - 6));
			}
		}
	} else {
		return;
	}
	if (t.tool && t.tool[0] && (t.tool[0] == '"' || t.tool[0] == '\'' || t.tool[0] == '`'))
		t.tool = arena_strndup(m->arena, t.tool + 1, strlen(t.tool) >= 2 ? strlen(t.tool) - 2 : 0);
	/* a handler passed by name or through an object: the function it names */
	if (!t.block && !is_function_node(m, handler))
		handler = tool_sets_function(m, handler, 0);
	if (ts_node_is_null(handler) ||
	    (!t.block && !is_function_node(m, handler) && !node_is(handler, "function_definition")))
		return;
	t.start = ts_node_start_byte(handler);
	t.end = ts_node_end_byte(handler);
	/* `if (... === 'tools/call' && name === 'x') { block }`: the name is in the statement */
	t.stmt_start = t.block ? ts_node_start_byte(ts_node_parent(handler)) : t.start;
	if (m->tools.len < 1024)
		vec_push(&m->tools, t);
	if (t.block)
		return;
	/* handlers reached from this one: a collection it is registered for, or picks from */
	if (t.tool)
		tool_sets_from_loop(m, handler);
	else
		tool_sets_from_dispatch(m, handler);
}

void index_match(struct module *m, const struct compiled_query *q, const TSQueryMatch *match)
{
	struct captures c;

	collect(q, match, &c);
	if (!c.n)
		return;
	if (strncmp(c.name[0], "export.", 7) == 0 || (c.n > 1 && strncmp(c.name[c.n - 1], "export.", 7) == 0)) {
		for (size_t i = 0; i < c.n; i++)
			if (strncmp(c.name[i], "export.", 7) == 0) {
				index_export(m, &c);
				return;
			}
	}
	for (size_t i = 0; i < c.n; i++) {
		if (strncmp(c.name[i], "scope.", 6) == 0) {
			index_span(m, &c);
			return;
		}
		if (strcmp(c.name[i], "loop.variable") == 0) {
			uint32_t pos = ts_node_start_byte(c.node[i]);
			if (m->loop_vars.len < 100000)
				vec_push(&m->loop_vars, pos);
			return;
		}
		if (strncmp(c.name[i], "decl.", 5) == 0) {
			index_decl(m, &c);
			return;
		}
		if (strncmp(c.name[i], "calls.", 6) == 0 || strncmp(c.name[i], "fn.", 3) == 0) {
			index_call(m, &c);
			return;
		}
		if (strncmp(c.name[i], "tool.", 5) == 0) {
			/* after every binding is known: handlers are often named functions */
			struct pending_tool *pt = calloc(1, sizeof *pt);
			if (!pt)
				return;
			pt->c = c;
			if (m->pending_tools.len >= 1024 || vec_push(&m->pending_tools, pt) != 0)
				free(pt);
			return;
		}
		if (strncmp(c.name[i], "export.", 7) == 0) {
			index_export(m, &c);
			return;
		}
	}
}

/* ---- where a call runs ---- */

bool is_tool_handler(struct module *m, TSNode fn)
{
	uint32_t s = ts_node_start_byte(fn), e = ts_node_end_byte(fn);

	for (size_t i = 0; i < m->tools.len; i++)
		if (!m->tools.items[i].block && m->tools.items[i].start == s && m->tools.items[i].end == e)
			return true;
	return false;
}

/* Inside a dispatcher, the tool name from `case "x":`, `if (name === "x")` or `if name == "x":`. */
/* The tool name a condition tests: the string compared with == / === in it, looking
 * through && / and, parentheses and the "tools/call" test beside it. NULL when none. */
static const char *compared_name(struct module *m, TSNode cond, int depth)
{
	TSNode kids[4];
	size_t n;

	if (ts_node_is_null(cond) || depth > 6)
		return NULL;
	if (node_is(cond, "string")) {
		const char *t = node_text(m, cond, 200);
		size_t l = strlen(t);
		if (l >= 2 && (l - 2 != 10 || strncmp(t + 1, "tools/call", 10) != 0))
			return arena_strndup(m->arena, t + 1, l - 2);
		return NULL;
	}
	if (!node_is(cond, "binary_expression") && !node_is(cond, "comparison_operator") &&
	    !node_is(cond, "boolean_operator") && !node_is(cond, "parenthesized_expression"))
		return NULL;
	n = named_children(cond, kids, 4);
	for (size_t i = 0; i < n; i++) {
		const char *name = compared_name(m, kids[i], depth + 1);
		if (name)
			return name;
	}
	return NULL;
}

/* Inside a dispatcher, the tool name from `case "x":`, `if (name === "x")` or `if name == "x":`. */
static const char *dispatch_case_name(struct module *m, TSNode n, uint32_t stop)
{
	for (TSNode p = n; !ts_node_is_null(p) && ts_node_start_byte(p) >= stop; p = ts_node_parent(p)) {
		const char *name = NULL;
		if (node_is(p, "switch_case")) {
			name = compared_name(m, child(m, p, F_VALUE), 0);
		} else if (node_is(p, "if_statement") || node_is(p, "elif_clause")) {
			TSNode cons = child(m, p, F_CONSEQUENCE);
			if (ts_node_is_null(cons) || ts_node_start_byte(n) < ts_node_start_byte(cons) ||
			    ts_node_end_byte(n) > ts_node_end_byte(cons))
				continue;
			name = compared_name(m, child(m, p, F_CONDITION), 0);
		}
		if (name)
			return name;
	}
	return NULL;
}

static const struct tool_handler *handler_at(struct module *m, TSNode fn, bool block_only)
{
	uint32_t s = ts_node_start_byte(fn), e = ts_node_end_byte(fn);

	for (size_t i = 0; i < m->tools.len; i++) {
		const struct tool_handler *t = &m->tools.items[i];
		if (block_only ? (t->block && t->start <= s && e <= t->end) : (!t->block && t->start == s && t->end == e))
			return t;
	}
	return NULL;
}

static const char *prefixed(struct module *m, const char *prefix, const char *name)
{
	size_t a = strlen(prefix), b = strlen(name);
	char *s = arena_alloc(m->arena, a + b + 1);

	if (!s)
		return prefix;
	memcpy(s, prefix, a);
	memcpy(s + a, name, b + 1);
	return s;
}

/* What a parameter holding the tool's name is called: a switch on `method` or `kind` picks
 * something else ('GET', 'json'), not a tool. */
static const char *const tool_name_words[] = {"name", "tool", NULL};

static bool tool_name_word(const char *id)
{
	for (const char *const *w = tool_name_words; *w; w++)
		if (strcasestr(id, *w))
			return true;
	return false;
}

/* Whether id names a parameter of fn, or `name` taken from one (const { name } = req.params),
 * that holds a tool's name. */
static bool names_parameter(struct module *m, TSNode id, TSNode fn)
{
	const struct named_nodes *e;

	if (!node_is(id, "identifier") || !tool_name_word(node_text(m, id, 200)) ||
	    !(e = name_table_get(&m->decls, node_text(m, id, 200))))
		return false;
	for (size_t i = 0; i < e->decls.len; i++) {
		const struct decl *d = &e->decls.items[i];
		if (d->kind == DK_PARAM && ts_node_start_byte(d->owner) == ts_node_start_byte(fn))
			return true;
		if (d->kind == DK_PATTERN && d->key && !strcmp(d->key, "name") &&
		    d->scope_start == ts_node_start_byte(fn))
			return true;
	}
	return false;
}

static TSNode unparenthesized(TSNode n)
{
	while (node_is(n, "parenthesized_expression") && ts_node_named_child_count(n) == 1)
		n = ts_node_named_child(n, 0);
	return n;
}

/* The string cond compares a parameter of fn with (p === "x", "x" == p, p == "x" and
 * more), or NULL. */
static const char *compared_with_parameter(struct module *m, TSNode cond, TSNode fn, int depth)
{
	TSNode kids[4];
	size_t n;

	cond = unparenthesized(cond);
	if (depth > 4 || (!node_is(cond, "binary_expression") && !node_is(cond, "comparison_operator") &&
			  !node_is(cond, "boolean_operator")))
		return NULL;
	n = named_children(cond, kids, 4);
	if (n == 2 && !node_is(cond, "boolean_operator") && !node_text_eq(m, child(m, cond, F_OPERATOR), "||")) {
		for (size_t i = 0; i < 2; i++)
			if (node_is(kids[i], "string") && names_parameter(m, unparenthesized(kids[1 - i]), fn))
				return compared_name(m, kids[i], 0);
	}
	/* a && b: either side; a || b names two tools, neither is the one */
	if (node_text_eq(m, child(m, cond, F_OPERATOR), "&&") || node_text_eq(m, child(m, cond, F_OPERATOR), "and"))
		for (size_t i = 0; i < n; i++) {
			const char *name = compared_with_parameter(m, kids[i], fn, depth + 1);
			if (name)
				return name;
		}
	return NULL;
}

/* How far up from a call site a switch or if on the tool name is looked for. */
#define MAX_CASE_DEPTH 24

static const char *case_of_parameter(struct module *m, TSNode n, TSNode fn)
{
	uint32_t stop = ts_node_start_byte(fn);
	TSNode p = ts_node_parent(n);

	for (int k = 0; k < MAX_CASE_DEPTH && !ts_node_is_null(p) && ts_node_start_byte(p) > stop; k++, n = p,
	     p = ts_node_parent(p)) {
		if (node_is(p, "switch_case")) {
			TSNode sw = ts_node_parent(ts_node_parent(p));
			if (node_is(sw, "switch_statement") && names_parameter(m, unparenthesized(child(m, sw, F_VALUE)), fn))
				return compared_name(m, child(m, p, F_VALUE), 0);
		} else if ((node_is(p, "if_statement") || node_is(p, "elif_clause")) &&
			   ts_node_eq(child(m, p, F_CONSEQUENCE), n)) {
			const char *name = compared_with_parameter(m, child(m, p, F_CONDITION), fn, 0);
			if (name)
				return name;
		}
	}
	return NULL;
}

/* Whether fn has a parameter that may hold a tool's name (or destructures `name` from
 * one): only then is a switch or if above a call worth looking for (walking up the tree
 * costs, on minified code most). */
static bool takes_tool_name(struct module *m, TSNode fn)
{
	TSNode params = child(m, fn, F_PARAMETERS), kids[16];
	size_t n;
	const struct named_nodes *e;

	if (ts_node_is_null(params))
		return tool_name_word(node_text(m, child(m, fn, F_PARAMETER), 64));  /* x => ... */
	n = named_children(params, kids, 16);
	for (size_t i = 0; i < n; i++)
		if (tool_name_word(node_text(m, kids[i], 64)))
			return true;
	if (!n || !(e = name_table_get(&m->decls, "name")))
		return false;
	for (size_t i = 0; i < e->decls.len; i++)
		if (e->decls.items[i].kind == DK_PATTERN && e->decls.items[i].scope_start == ts_node_start_byte(fn))
			return true;
	return false;
}

const char *tool_case_of(struct module *m, TSNode n)
{
	for (TSNode fn = enclosing_function(m, n, false); !ts_node_is_null(fn);
	     fn = enclosing_function(m, fn, false)) {
		if (handler_at(m, fn, false))
			return NULL;
		if (function_name(m, fn))
			return takes_tool_name(m, fn) ? case_of_parameter(m, n, fn) : NULL;
	}
	return NULL;
}

/* Callbacks run in the phase of the code around them, so anonymous functions are
 * looked through; a named function's phase comes from the call graph at link time. */
const char *context_of(struct module *m, TSNode n)
{
	const struct tool_handler *blk = handler_at(m, n, true);
	const char *name;

	if (blk) {
		name = dispatch_case_name(m, n, blk->stmt_start);
		return name ? prefixed(m, "tool:", name) : "tool:*";
	}
	for (TSNode fn = enclosing_function(m, n, false); !ts_node_is_null(fn);
	     fn = enclosing_function(m, fn, false)) {
		const struct tool_handler *t = handler_at(m, fn, false);
		if (t) {
			if (t->tool)
				return prefixed(m, "tool:", t->tool);
			name = dispatch_case_name(m, n, t->start);
			return name ? prefixed(m, "tool:", name) : "tool:*";
		}
		name = function_name(m, fn);
		if (name)
			return prefixed(m, "fn:", name);
	}
	return "startup";
}
