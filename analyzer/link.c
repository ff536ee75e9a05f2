/* Link step: module references -> exported values; named functions -> phases. */
#include "analyzer/link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/flow.h"

#define LINK_MAX_DEPTH 8
#define MAX_PHASES 4

/* A string-keyed map to small integers (open addressing). */
struct index_map {
	char **keys;
	size_t *vals;
	size_t cap, used;
};

static size_t *map_find(const struct index_map *m, const char *key)
{
	if (!m->cap)
		return NULL;
	for (size_t i = name_hash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
		if (strcmp(m->keys[i], key) == 0)
			return &m->vals[i];
	return NULL;
}

static int map_put(struct index_map *m, const char *key, size_t val)
{
	size_t i;

	if ((m->used + 1) * 2 > m->cap) {
		struct index_map g = {0};
		g.cap = m->cap ? m->cap * 2 : 64;
		g.keys = calloc(g.cap, sizeof *g.keys);
		g.vals = calloc(g.cap, sizeof *g.vals);
		if (!g.keys || !g.vals) {
			free(g.keys);
			free(g.vals);
			return -1;
		}
		for (size_t k = 0; k < m->cap; k++) {
			if (!m->keys[k])
				continue;
			for (i = name_hash(m->keys[k]) & (g.cap - 1); g.keys[i]; i = (i + 1) & (g.cap - 1))
				;
			g.keys[i] = m->keys[k];
			g.vals[i] = m->vals[k];
			g.used++;
		}
		free(m->keys);
		free(m->vals);
		*m = g;
	}
	for (i = name_hash(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1)) {
		if (strcmp(m->keys[i], key) == 0) {
			m->vals[i] = val;
			return 0;
		}
	}
	m->keys[i] = strdup(key);
	if (!m->keys[i])
		return -1;
	m->vals[i] = val;
	m->used++;
	return 0;
}

static void map_free(struct index_map *m)
{
	for (size_t i = 0; i < m->cap; i++)
		free(m->keys[i]);
	free(m->keys);
	free(m->vals);
}

struct linker {
	struct file_result **files;
	size_t n;
	struct index_map modules;  /* module key -> file index; .ts beats dist .js is not needed: same key */
	VEC(const struct export_store *) stores;  /* every file's stores into other modules' exports */
};

static struct value *subst(struct linker *l, struct arena *a, struct value *v, int depth);

/* obj.a.b for the dotted path "a.b" (an imported config's nested option), or NULL; of
 * several values (a table's entry for any region), that member of each, made in a (none
 * without one). */
static struct value *prop_path(struct arena *a, struct value *obj, const char *path, int depth)
{
	char key[256];

	while (obj && *path) {
		size_t len = strcspn(path, ".");
		if (len >= sizeof key)
			return NULL;
		if (obj->kind == VAL_ALT && a && depth < 4) {
			struct value *alt = value_new(a, VAL_ALT), *it;
			for (size_t i = 0; i < obj->nitems; i++)
				if ((it = prop_path(a, obj->items[i], path, depth + 1)))
					value_push_item(a, alt, it);
			return alt->nitems ? alt : NULL;
		}
		memcpy(key, path, len);
		key[len] = '\0';
		obj = value_get_prop(obj, key);
		path += len + (path[len] == '.');
	}
	return obj;
}

/* Whether fr exports the first len bytes of name. */
static bool has_export(const struct file_result *fr, const char *name, size_t len)
{
	for (size_t i = 0; i < fr->exports.len; i++)
		if (strlen(fr->exports.items[i].name) == len && !strncmp(fr->exports.items[i].name, name, len))
			return true;
	return false;
}

static struct value *own_export(struct linker *l, struct arena *a, const char *module, const char *name, int depth);

/* module's export name (settings.apiRoot) as its own value v (NULL: none) and, as
 * alternatives, what other modules store into it; only where a is given (the parameter
 * binding's look-ups, without an arena, see the own value). */
static struct value *export_value(struct linker *l, struct arena *a, const char *module, const char *name, int depth)
{
	struct value *v = own_export(l, a, module, name, depth), *alt = NULL;

	for (size_t i = 0; a && i < l->stores.len; i++) {
		const struct export_store *st = l->stores.items[i];
		if (strcmp(st->name, name) != 0 || strcmp(st->module, module) != 0)
			continue;
		if (!alt) {
			alt = value_new(a, VAL_ALT);
			if (v)
				value_push_item(a, alt, v);
		}
		value_push_item(a, alt, st->value);
	}
	return alt ? alt : v;
}

static struct value *own_export(struct linker *l, struct arena *a, const char *module, const char *name, int depth)
{
	size_t *idx = map_find(&l->modules, module);
	const struct file_result *fr;
	char head[256];
	const char *dot;

	if (!idx || depth > LINK_MAX_DEPTH)
		return NULL;
	fr = l->files[*idx];
	for (int pass = 0; pass < 3; pass++) {
		const char *want = name;
		if (pass == 1) {
			if (strncmp(name, "default.", 8) != 0)
				continue;
			want = name + 8;
		}
		if (pass == 2) {
			/* the longest exported prefix: service.getConfig() of service, then .url */
			for (dot = name + strlen(name); dot > name; dot--)
				if (*dot == '.' && has_export(fr, name, (size_t)(dot - name)))
					break;
			if (dot == name)
				break;
			snprintf(head, sizeof head, "%.*s", (int)(dot - name), name);
			want = head;
		}
		for (size_t i = fr->exports.len; i > 0; i--) {
			struct value *v = fr->exports.items[i - 1].value;
			if (strcmp(fr->exports.items[i - 1].name, want) != 0)
				continue;
			if (pass == 2)
				return prop_path(a, v, dot + 1, 0);
			return v;
		}
	}
	/* export * from './x': look there */
	for (size_t i = 0; i < fr->exports.len; i++) {
		const struct value *star = fr->exports.items[i].value;
		struct value *v;
		if (strcmp(fr->exports.items[i].name, "*") != 0 || star->nparts != 1 ||
		    star->parts[0].kind != PART_REF)
			continue;
		if ((v = export_value(l, a, star->parts[0].module, name, depth + 1)))
			return v;
	}
	return NULL;
}

static struct value *exported(void *ctx, const char *module, const char *name)
{
	return export_value(ctx, NULL, module, name, 0);
}

static struct value *subst_string(struct linker *l, struct arena *a, struct value *v, int depth)
{
	struct value *out = value_text(a, "", 0);

	for (size_t i = 0; i < v->nparts; i++) {
		const struct part *p = &v->parts[i];
		struct value *piece;
		if (p->kind == PART_REF) {
			piece = export_value(l, a, p->module, p->text, depth);
			piece = piece ? subst(l, a, piece, depth + 1) : value_hole(a, p->text, p->len, 0);
		} else if (p->kind == PART_TEXT) {
			piece = value_text(a, p->text, p->len);
		} else {
			piece = value_hole(a, p->text, p->len, 0);
		}
		out = value_concat(a, out, piece);
	}
	if (v->nparts == 1 && v->parts[0].kind == PART_REF) {
		struct value *whole = export_value(l, a, v->parts[0].module, v->parts[0].text, depth);
		if (whole && !value_is_stringish(whole))
			out = subst(l, a, whole, depth + 1);  /* an imported object or module */
	}
	value_absorb(a, out, v);
	return out;
}

static struct value *subst_leaf(void *ctx, struct arena *a, struct value *v, int depth)
{
	return subst_string(ctx, a, v, depth);
}

static struct value *subst(struct linker *l, struct arena *a, struct value *v, int depth)
{
	return value_rebuild(a, v, value_has_refs, subst_leaf, l, depth, LINK_MAX_DEPTH);
}

/* A client's request with the path its callers pass: each alternative that is no absolute
 * URL is joined to the client's base (axios, got and ky resolve a relative path against
 * it); one that starts with a tool argument may be a whole URL as well. */
static struct value *with_base(struct arena *a, struct value *base, struct value *dest)
{
	struct value *out = value_new(a, VAL_ALT);
	char text[256];

	for (size_t i = 0; i < (dest->kind == VAL_ALT ? dest->nitems : 1); i++) {
		struct value *d = dest->kind == VAL_ALT ? dest->items[i] : dest;
		value_render(d, text, sizeof text);
		if (strstr(text, "://") || !value_is_stringish(d)) {
			value_push_item(a, out, d);
			continue;
		}
		value_push_item(a, out, value_concat(a, base, d));
		if (text[0] == VALUE_HOLE_MARK && (d->flags & VF_USER))
			value_push_item(a, out, d);
	}
	value_absorb(a, out, dest);
	return out->nitems == 1 ? out->items[0] : out;
}

/* ---- phases through the call graph ---- */

/* A call from one function to another; a call from inside a switch on the tool's name
 * passes "tool:*" on as that case's tool. */
struct fn_call {
	size_t to;
	const char *tool_phase;  /* "tool:CASE", or NULL */
};

struct fn_node {
	const char *phases[MAX_PHASES];
	size_t nphases;
	VEC(struct fn_call) callees;
};

/* "tool:CASE" in a (NULL when there is no case, or no memory). */
static const char *case_phase(struct arena *a, const char *tool_case)
{
	size_t n = tool_case ? strlen(tool_case) + 6 : 0;
	char *p = n ? arena_alloc(a, n) : NULL;

	if (p)
		snprintf(p, n, "tool:%s", tool_case);
	return p;
}

/* The phase a function running in phase p gives what it calls with this case. */
static const char *through_case(const char *p, const char *tool_phase)
{
	return tool_phase && !strcmp(p, "tool:*") ? tool_phase : p;
}

struct fn_nodes {
	VEC(struct fn_node) v;
};

static size_t fn_index(struct index_map *fns, struct fn_nodes *fn, size_t file, const char *name)
{
	char key[512];
	size_t *idx;
	struct fn_node empty = {0};

	snprintf(key, sizeof key, "%zu:%s", file, name);
	if ((idx = map_find(fns, key)))
		return *idx;
	if (vec_push(&fn->v, empty) != 0 || map_put(fns, key, fn->v.len - 1) != 0)
		return (size_t)-1;
	return fn->v.len - 1;
}

static bool add_phase(struct fn_node *f, const char *phase)
{
	for (size_t i = 0; i < f->nphases; i++)
		if (strcmp(f->phases[i], phase) == 0)
			return false;
	if (f->nphases >= MAX_PHASES)
		return false;
	f->phases[f->nphases++] = phase;
	return true;
}

static size_t target_file(struct linker *l, size_t from, const char *module)
{
	size_t *idx;

	if (!module)
		return from;
	if (strncmp(module, "file:", 5) == 0)
		module += 5;
	idx = map_find(&l->modules, module);
	return idx ? *idx : (size_t)-1;
}

static int compute_phases(struct linker *l)
{
	struct index_map fns = {0};
	struct fn_nodes all = {0};
	VEC(size_t) work = {0};
	int rc = -1;

	for (size_t i = 0; i < l->n; i++) {
		for (size_t k = 0; k < l->files[i]->edges.len; k++) {
			const struct call_edge *e = &l->files[i]->edges.items[k];
			size_t tf = target_file(l, i, e->module), to, from;
			if (tf == (size_t)-1)
				continue;
			to = fn_index(&fns, &all, tf, e->name);
			if (to == (size_t)-1)
				goto out;
			if (strncmp(e->from, "fn:", 3) == 0) {
				struct fn_call c = {to, case_phase(l->files[i]->arena, e->tool_case)};
				from = fn_index(&fns, &all, i, e->from + 3);
				if (from == (size_t)-1 || vec_push(&all.v.items[from].callees, c) != 0)
					goto out;
			} else if (add_phase(&all.v.items[to], e->from) && vec_push(&work, to) != 0) {
				goto out;
			}
		}
	}
	while (work.len) {
		size_t f = work.items[--work.len];
		for (size_t c = 0; c < all.v.items[f].callees.len; c++) {
			size_t t = all.v.items[f].callees.items[c].to;
			const char *tp = all.v.items[f].callees.items[c].tool_phase;
			bool changed = false;
			for (size_t p = 0; p < all.v.items[f].nphases; p++)
				changed |= add_phase(&all.v.items[t], through_case(all.v.items[f].phases[p], tp));
			if (changed && vec_push(&work, t) != 0)
				goto out;
		}
	}
	for (size_t i = 0; i < l->n; i++) {
		for (size_t k = 0; k < l->files[i]->sites.len; k++) {
			struct call_site *s = &l->files[i]->sites.items[k];
			char key[512];
			size_t *idx;
			if (strncmp(s->context, "fn:", 3) != 0)
				continue;
			snprintf(key, sizeof key, "%zu:%s", i, s->context + 3);
			idx = map_find(&fns, key);
			s->context = idx && all.v.items[*idx].nphases ? all.v.items[*idx].phases[0] : "other";
			s->context = through_case(s->context, case_phase(l->files[i]->arena, s->tool_case));
		}
	}
	rc = 0;
out:
	for (size_t i = 0; i < all.v.len; i++)
		vec_free(&all.v.items[i].callees);
	vec_free(&all.v);
	vec_free(&work);
	map_free(&fns);
	return rc;
}

/* A client's options object another module exports: the destination is the first of its
 * members the client reads (members "host,uri"), else the object as it was. */
static struct value *options_member(struct value *dest, const char *members)
{
	char key[64];
	struct value *v;

	while (members && *members && dest->kind == VAL_OBJECT) {
		size_t len = strcspn(members, ",");
		if (len < sizeof key) {
			memcpy(key, members, len);
			key[len] = '\0';
			if ((v = value_get_prop(dest, key)) && (value_is_stringish(v) || v->kind == VAL_ALT))
				return v;
		}
		members += len + (members[len] == ',');
	}
	return dest;
}

int link_results(struct file_result **files, size_t n)
{
	struct linker l = {files, n, {0}, {0}};
	char key[1024];
	int rc = -1;

	for (size_t i = 0; i < n; i++) {
		flow_module_key(files[i]->rel, key, sizeof key);
		/* src/x.ts and dist/x.js are different modules; same key only within one folder */
		if (!map_find(&l.modules, key) && map_put(&l.modules, key, i) != 0)
			goto out;
		for (size_t k = 0; k < files[i]->stores.len; k++)
			if (vec_push(&l.stores, &files[i]->stores.items[k]) != 0)
				goto out;
	}
	/* parameters first: what a caller passes may itself name another module's export */
	if (flow_expand(files, n, exported, &l) != 0)
		goto out;
	for (size_t i = 0; i < n; i++) {
		struct file_result *fr = files[i];
		for (size_t k = 0; k < fr->sites.len; k++) {
			struct call_site *s = &fr->sites.items[k];
			s->dest = options_member(subst(&l, fr->arena, s->dest, 0), s->members);
			s->port = subst(&l, fr->arena, s->port, 0);
			s->args = subst(&l, fr->arena, s->args, 0);
			s->others = subst(&l, fr->arena, s->others, 0);
			if (s->base)
				s->dest = with_base(fr->arena, subst(&l, fr->arena, s->base, 0), s->dest);
		}
	}
	rc = compute_phases(&l);
out:
	map_free(&l.modules);
	vec_free(&l.stores);
	return rc;
}
