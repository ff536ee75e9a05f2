/* Abstract values: construction and the string operations the evaluator needs. */
#include "analyzer/value.h"

#include <string.h>

_Static_assert(sizeof(struct value) <= ARENA_SPARE, "a value fits in an arena's spare block");

struct value *value_new(struct arena *a, enum value_kind kind)
{
	struct value *v = arena_alloc(a, sizeof *v);

	if (!v) {
		/* the arena's own block, not one shared by every thread: callers write to it */
		v = arena_spare(a, sizeof *v);
		v->kind = VAL_UNKNOWN;
		v->flags = VF_LIMIT | VF_SPARE;
		return v;
	}
	v->kind = kind;
	return v;
}

/* A value made when memory had run out: nothing is added to it or linked from it (linking
 * the spare block into itself would make a cycle). */
static bool spent(const struct value *v)
{
	return v->flags & VF_SPARE;
}

struct value *value_unknown(struct arena *a, const char *why)
{
	struct value *v = value_new(a, VAL_UNKNOWN);

	if (!spent(v))
		v->name = why;
	return v;
}

static bool add_part(struct arena *a, struct value *v, struct part p)
{
	struct part *np;

	if (spent(v))
		return false;
	if (v->nparts >= VALUE_MAX_PARTS) {
		v->flags |= VF_LIMIT;
		v->bounds |= BOUND_BIT(BOUND_PARTS);
		return false;
	}
	/* merge adjacent text so decoders see whole strings */
	if (p.kind == PART_TEXT && v->nparts && v->parts[v->nparts - 1].kind == PART_TEXT) {
		struct part *last = &v->parts[v->nparts - 1];
		size_t n = last->len + p.len;
		char *s;
		if (n > VALUE_MAX_TEXT) {
			v->flags |= VF_LIMIT;
			v->bounds |= BOUND_BIT(BOUND_TEXT);
			return false;
		}
		s = arena_alloc(a, n + 1);
		if (!s)
			return false;
		memcpy(s, last->text, last->len);
		memcpy(s + last->len, p.text, p.len);
		last->text = s;
		last->len = n;
		return true;
	}
	np = arena_alloc(a, sizeof *np * (v->nparts + 1));
	if (!np)
		return false;
	if (v->nparts)
		memcpy(np, v->parts, sizeof *np * v->nparts);
	np[v->nparts++] = p;
	v->parts = np;
	return true;
}

struct value *value_text(struct arena *a, const char *s, size_t n)
{
	struct value *v = value_new(a, VAL_STRING);
	struct part p = {PART_TEXT, NULL, 0, NULL, NULL};

	if (n > VALUE_MAX_TEXT) {
		n = VALUE_MAX_TEXT;
		if (!spent(v)) {
			v->flags |= VF_LIMIT;
			v->bounds |= BOUND_BIT(BOUND_TEXT);
		}
	}
	p.text = arena_strndup(a, s, n);
	p.len = p.text ? n : 0;
	if (p.text)
		add_part(a, v, p);
	return v;
}

struct value *value_hole(struct arena *a, const char *expr, size_t n, unsigned flags)
{
	struct value *v = value_new(a, VAL_STRING);
	struct part p = {PART_HOLE, NULL, 0, NULL, NULL};

	if (n > 200)
		n = 200;
	p.text = expr ? arena_strndup(a, expr, n) : "";
	p.len = p.text ? strlen(p.text) : 0;
	add_part(a, v, p);
	if (!spent(v))
		v->flags |= flags;
	return v;
}

struct value *value_ref(struct arena *a, const char *module, const char *name)
{
	struct value *v = value_new(a, VAL_STRING);
	struct part p = {PART_REF, arena_strdup(a, name), 0, arena_strdup(a, module), NULL};

	p.len = p.text ? strlen(p.text) : 0;
	add_part(a, v, p);
	return v;
}

struct value *value_module(struct arena *a, const char *name)
{
	struct value *v = value_new(a, VAL_MODULE);

	if (!spent(v))
		v->name = arena_strdup(a, name);
	return v;
}

void value_add_chain(struct arena *a, struct value *v, const char *step)
{
	const char **grown;

	if (spent(v) || !step || v->nchain >= VALUE_MAX_CHAIN)
		return;
	for (size_t i = 0; i < v->nchain; i++)
		if (strcmp(v->chain[i], step) == 0)
			return;
	/* copy on write: another value may point at the same array */
	grown = arena_alloc(a, sizeof *grown * (v->nchain + 1));
	if (!grown)
		return;
	if (v->nchain)
		memcpy(grown, v->chain, sizeof *grown * v->nchain);
	grown[v->nchain] = arena_strdup(a, step);
	v->chain = grown;
	v->nchain++;
}

void value_merge_secret(struct value *dst, const struct value *src)
{
	if (spent(dst) || !src || !src->secret_env || dst == src)
		return;
	if (!dst->secret_env)
		dst->secret_env = src->secret_env;
	else if (strcmp(dst->secret_env, src->secret_env) != 0)
		dst->secret_env = "";
}

void value_absorb(struct arena *a, struct value *dst, const struct value *src)
{
	if (spent(dst) || !src)
		return;
	value_merge_secret(dst, src);
	dst->flags |= src->flags;
	dst->bounds |= src->bounds;
	if (!dst->env_var)
		dst->env_var = src->env_var;
	if (!dst->decoded_by)
		dst->decoded_by = src->decoded_by;
	for (size_t i = 0; i < src->nchain; i++)
		value_add_chain(a, dst, src->chain[i]);
}

/* Append v's string form to out. */
static void append_as_string(struct arena *a, struct value *out, const struct value *v)
{
	if ((v->kind == VAL_STRING || v->kind == VAL_NUMBER) && v->nparts) {
		for (size_t i = 0; i < v->nparts; i++)
			add_part(a, out, v->parts[i]);
	} else if (v->kind == VAL_STRING || v->kind == VAL_NUMBER) {
		/* the empty string */
	} else if (v->kind == VAL_ALT && v->nitems) {
		append_as_string(a, out, v->items[0]);
	} else {
		struct part p = {PART_HOLE, v->name ? v->name : "", 0, NULL, NULL};
		p.len = strlen(p.text);
		add_part(a, out, p);
	}
	value_absorb(a, out, v);
}

/* Alternatives a concatenation spells out one by one; past this it takes the first. */

static size_t alt_count(const struct value *v)
{
	return v->kind == VAL_ALT && v->nitems ? v->nitems : 1;
}

static const struct value *alt_item(const struct value *v, size_t i)
{
	return v->kind == VAL_ALT && v->nitems ? v->items[i] : v;
}

struct value *value_concat(struct arena *a, const struct value *l, const struct value *r)
{
	struct value *v;
	size_t nl = alt_count(l), nr = alt_count(r);

	/* (a or b) + '/x' is a + '/x' or b + '/x' */
	if ((nl > 1 || nr > 1) && nl * nr <= CONCAT_MAX_ALTS) {
		v = value_new(a, VAL_ALT);
		for (size_t i = 0; i < nl; i++)
			for (size_t k = 0; k < nr; k++)
				value_push_item(a, v, value_concat(a, alt_item(l, i), alt_item(r, k)));
		/* a credential file's content in any alternative: the whole may carry it. Only
		 * that: a union of every taint and of the tool-argument mark (a secret
		 * variable, an argument in one branch) raised a high finding on a negative
		 * control of the blind servers (aggregate figures only: not read) */
		for (size_t i = 0; i < v->nitems; i++) {
			v->flags |= v->items[i]->flags & VF_CREDFILE;
			for (size_t c = 0; (v->items[i]->flags & VF_CREDFILE) && c < v->items[i]->nchain; c++)
				value_add_chain(a, v, v->items[i]->chain[c]);
		}
		return v;
	}
	v = value_new(a, VAL_STRING);
	append_as_string(a, v, l);
	append_as_string(a, v, r);
	/* more combinations than kept: the alternatives became one unknown part */
	if ((nl > 1 || nr > 1) && !spent(v))
		v->bounds |= BOUND_BIT(BOUND_CONCAT_ALTS);
	return v;
}

struct value *value_bounded(struct arena *a, struct value *v, unsigned bits, bool fresh)
{
	struct value *c;

	if (spent(v) || (v->bounds & bits) == bits)
		return v;
	c = fresh ? v : value_new(a, v->kind);
	if (spent(c))
		return c;
	if (!fresh)
		*c = *v;
	c->bounds |= bits;
	return c;
}

/* How deep value_bounds looks: destinations sit near the top of a value. */
#define BOUNDS_MAX_DEPTH 6

static unsigned bounds_at(const struct value *v, int depth)
{
	unsigned b;

	if (!v || depth > BOUNDS_MAX_DEPTH)
		return 0;
	b = v->bounds;
	for (size_t i = 0; i < v->nitems; i++)
		b |= bounds_at(v->items[i], depth + 1);
	for (size_t i = 0; i < v->nprops; i++)
		b |= bounds_at(v->props[i].value, depth + 1);
	return b | bounds_at(v->base, depth + 1);
}

unsigned value_bounds(const struct value *v)
{
	return bounds_at(v, 0);
}

void value_set_prop(struct arena *a, struct value *obj, const char *key, struct value *val)
{
	struct prop *np;

	if (spent(obj) || !key)
		return;
	for (size_t i = 0; i < obj->nprops; i++) {
		if (strcmp(obj->props[i].key, key) == 0) {
			obj->props[i].value = val;
			return;
		}
	}
	if (obj->nprops >= VALUE_MAX_PROPS) {
		obj->flags |= VF_LIMIT;
		obj->bounds |= BOUND_BIT(BOUND_PROPS);
		return;
	}
	np = arena_alloc(a, sizeof *np * (obj->nprops + 1));
	if (!np)
		return;
	if (obj->nprops)
		memcpy(np, obj->props, sizeof *np * obj->nprops);
	np[obj->nprops].key = arena_strdup(a, key);
	np[obj->nprops++].value = val;
	obj->props = np;
}

void value_push_item(struct arena *a, struct value *arr, struct value *val)
{
	struct value **ni;

	if (spent(arr))
		return;
	if (arr->nitems >= VALUE_MAX_ITEMS) {
		arr->flags |= VF_LIMIT;
		arr->bounds |= BOUND_BIT(BOUND_ITEMS);
		return;
	}
	ni = arena_alloc(a, sizeof *ni * (arr->nitems + 1));
	if (!ni)
		return;
	if (arr->nitems)
		memcpy(ni, arr->items, sizeof *ni * arr->nitems);
	ni[arr->nitems++] = val;
	arr->items = ni;
}

struct value *value_get_prop(const struct value *obj, const char *key)
{
	if (!obj || obj->kind != VAL_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->nprops; i++)
		if (strcmp(obj->props[i].key, key) == 0)
			return obj->props[i].value;
	return NULL;
}

const char *value_constant(struct arena *a, const struct value *v)
{
	if (!v || (v->kind != VAL_STRING && v->kind != VAL_NUMBER))
		return NULL;
	if (v->nparts == 0)
		return "";
	for (size_t i = 0; i < v->nparts; i++)
		if (v->parts[i].kind != PART_TEXT)
			return NULL;
	return v->nparts == 1 ? v->parts[0].text : NULL;
}

size_t value_render(const struct value *v, char *out, size_t cap)
{
	size_t n = 0;

	if (!cap)
		return 0;
	if (v && v->kind == VAL_ALT && v->nitems)
		return value_render(v->items[0], out, cap);
	if (!v || (v->kind != VAL_STRING && v->kind != VAL_NUMBER)) {
		if (cap > 1)
			out[n++] = VALUE_HOLE_MARK;
		out[n] = '\0';
		return n;
	}
	for (size_t i = 0; i < v->nparts && n + 1 < cap; i++) {
		const struct part *p = &v->parts[i];
		if (p->kind == PART_TEXT) {
			size_t k = p->len < cap - 1 - n ? p->len : cap - 1 - n;
			memcpy(out + n, p->text, k);
			n += k;
		} else {
			out[n++] = VALUE_HOLE_MARK;
		}
	}
	out[n] = '\0';
	return n;
}

/* Whether some part of v, or of a value in it, satisfies is. */
static bool any_part(const struct value *v, bool (*is)(const struct part *))
{
	if (!v)
		return false;
	for (size_t i = 0; i < v->nparts; i++)
		if (is(&v->parts[i]))
			return true;
	for (size_t i = 0; i < v->nitems; i++)
		if (any_part(v->items[i], is))
			return true;
	for (size_t i = 0; i < v->nprops; i++)
		if (any_part(v->props[i].value, is))
			return true;
	return false;
}

static bool is_ref(const struct part *p)
{
	return p->kind == PART_REF;
}

static bool is_param(const struct part *p)
{
	return p->param != NULL;
}

bool value_has_refs(const struct value *v)
{
	return any_part(v, is_ref);
}


bool value_has_params(const struct value *v)
{
	return any_part(v, is_param);
}

struct value *value_rebuild(struct arena *a, struct value *v, bool (*pred)(const struct value *),
			    value_leaf_fn leaf, void *ctx, int depth, int max_depth)
{
	struct value *out;

	if (!v || !pred(v))
		return v;
	if (depth > max_depth)
		return value_bounded(a, value_hole(a, "…", 3, VF_LIMIT), BOUND_BIT(BOUND_DEPTH), true);
	switch (v->kind) {
	case VAL_STRING:
	case VAL_NUMBER:
		return leaf(ctx, a, v, depth);
	case VAL_OBJECT:
		out = value_new(a, VAL_OBJECT);
		for (size_t i = 0; i < v->nprops; i++)
			value_set_prop(a, out, v->props[i].key,
				       value_rebuild(a, v->props[i].value, pred, leaf, ctx, depth + 1, max_depth));
		break;
	case VAL_ARRAY:
	case VAL_ALT:
		out = value_new(a, v->kind);
		for (size_t i = 0; i < v->nitems; i++)
			value_push_item(a, out, value_rebuild(a, v->items[i], pred, leaf, ctx, depth + 1, max_depth));
		break;
	default:
		return v;
	}
	value_absorb(a, out, v);
	return out;
}

static const struct param_ref *copy_param(struct arena *a, const struct param_ref *p)
{
	struct param_ref *c;

	if (!p || !(c = arena_alloc(a, sizeof *c)))
		return NULL;
	c->module = arena_strdup(a, p->module);
	c->function = arena_strdup(a, p->function);
	c->name = arena_strdup(a, p->name);
	c->key = arena_strdup(a, p->key);
	c->index = p->index;
	return c->module && c->function && c->name ? c : NULL;
}

struct value *value_param(struct arena *a, const struct param_ref *ref)
{
	struct value *v = value_hole(a, ref->name, strlen(ref->name), VF_PARAM);

	if (!spent(v) && v->nparts == 1)
		v->parts[0].param = copy_param(a, ref);
	return v;
}

static size_t weigh(const struct value *v, size_t n, size_t cap, int depth)
{
	if (!v || n >= cap || depth > 32)
		return n;
	n++;
	for (size_t i = 0; i < v->nitems && n < cap; i++)
		n = weigh(v->items[i], n, cap, depth + 1);
	for (size_t i = 0; i < v->nprops && n < cap; i++)
		n = weigh(v->props[i].value, n, cap, depth + 1);
	return n;
}

size_t value_weight(const struct value *v, size_t cap)
{
	return weigh(v, 0, cap, 0);
}

bool value_is_stringish(const struct value *v)
{
	return v && (v->kind == VAL_STRING || v->kind == VAL_NUMBER);
}

static struct value *copy_depth(struct arena *a, const struct value *v, int depth)
{
	struct value *c;

	if (!v)
		return NULL;
	c = value_new(a, v->kind);
	if (spent(c))
		return c;
	*c = *v;
	c->name = arena_strdup(a, v->name);
	c->env_var = arena_strdup(a, v->env_var);
	c->secret_env = arena_strdup(a, v->secret_env);
	c->decoded_by = arena_strdup(a, v->decoded_by);
	c->chain = v->nchain ? arena_alloc(a, sizeof *c->chain * v->nchain) : NULL;
	for (size_t i = 0; c->chain && i < v->nchain; i++)
		c->chain[i] = arena_strdup(a, v->chain[i]);
	if (!c->chain)
		c->nchain = 0;
	c->parts = v->nparts ? arena_alloc(a, sizeof *c->parts * v->nparts) : NULL;
	for (size_t i = 0; c->parts && i < v->nparts; i++) {
		c->parts[i] = v->parts[i];
		c->parts[i].text = arena_strndup(a, v->parts[i].text ? v->parts[i].text : "", v->parts[i].len);
		c->parts[i].module = arena_strdup(a, v->parts[i].module);
		c->parts[i].param = copy_param(a, v->parts[i].param);
	}
	if (!c->parts)
		c->nparts = 0;
	if (depth > 32) {  /* values are built within EVAL_MAX_DEPTH; this is a backstop */
		c->nprops = c->nitems = 0;
		c->base = NULL;
		c->flags |= VF_LIMIT;
		c->bounds |= BOUND_BIT(BOUND_DEPTH);
		return c;
	}
	c->props = v->nprops ? arena_alloc(a, sizeof *c->props * v->nprops) : NULL;
	for (size_t i = 0; c->props && i < v->nprops; i++) {
		c->props[i].key = arena_strdup(a, v->props[i].key);
		c->props[i].value = copy_depth(a, v->props[i].value, depth + 1);
	}
	if (!c->props)
		c->nprops = 0;
	c->items = v->nitems ? arena_alloc(a, sizeof *c->items * v->nitems) : NULL;
	for (size_t i = 0; c->items && i < v->nitems; i++)
		c->items[i] = copy_depth(a, v->items[i], depth + 1);
	if (!c->items)
		c->nitems = 0;
	c->base = copy_depth(a, v->base, depth + 1);
	return c;
}

struct value *value_copy(struct arena *a, const struct value *v)
{
	return copy_depth(a, v, 0);
}

static bool useful_depth(const struct value *v, int depth)
{
	if (!v || depth > 8)
		return false;
	if (v->flags & (VF_ENV | VF_USER | VF_TAINT | VF_DECODED))
		return true;
	switch (v->kind) {
	case VAL_STRING:
	case VAL_NUMBER:
		for (size_t i = 0; i < v->nparts; i++)
			if (v->parts[i].kind != PART_HOLE && v->parts[i].len)
				return true;
		return false;
	case VAL_MODULE:
		return true;
	case VAL_OBJECT:
		for (size_t i = 0; i < v->nprops; i++)
			if (useful_depth(v->props[i].value, depth + 1))
				return true;
		return false;
	case VAL_ARRAY:
	case VAL_ALT:
		for (size_t i = 0; i < v->nitems; i++)
			if (useful_depth(v->items[i], depth + 1))
				return true;
		return false;
	default:
		return false;
	}
}

bool value_useful(const struct value *v)
{
	return useful_depth(v, 0);
}
