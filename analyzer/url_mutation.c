/* Following assignments to a URL object's parts (WHATWG URL setters) to the URL it ends up as. */
#include "analyzer/url_mutation.h"

#include <stdio.h>
#include <string.h>

#include "analyzer/eval.h"
#include "analyzer/wide.h"
#include "core/url.h"

/* Nodes visited looking for assignments: beyond this the rest are left out. */
#define URL_MUTATION_NODES 200000
#define URL_MUTATION_ALTS 8

enum url_part_kind { UP_HREF, UP_PROTOCOL, UP_HOST, UP_HOSTNAME, UP_PORT, UP_PATHNAME, UP_SEARCH, UP_PARAM };

static const struct {
	const char *property;
	enum url_part_kind kind;
} setters[] = {
	{"href", UP_HREF}, {"protocol", UP_PROTOCOL}, {"host", UP_HOST}, {"hostname", UP_HOSTNAME},
	{"port", UP_PORT}, {"pathname", UP_PATHNAME}, {"search", UP_SEARCH},
};

struct mutation {
	enum url_part_kind kind;
	TSNode value;      /* the new value (UP_PARAM: the parameter's value) */
	TSNode key;        /* UP_PARAM: the parameter's name */
};

struct mutations {
	struct mutation items[URL_MUTATION_MAX];
	size_t n;
};

/* The URL taken apart: each piece a value, so an unknown host can sit next to a known path. */
struct url_pieces {
	struct value *scheme, *host, *port, *path, *query;
};

static bool names_variable(struct module *m, TSNode obj, const char *name)
{
	return node_is(obj, "identifier") && node_text_eq(m, obj, name);
}

/* u.host = v */
static void assignment(struct module *m, TSNode n, const char *name, struct mutations *out)
{
	TSNode left = child(m, n, F_LEFT);

	if (!node_is(left, "member_expression") || !names_variable(m, child(m, left, F_OBJECT), name))
		return;
	for (size_t i = 0; i < sizeof setters / sizeof *setters; i++)
		if (node_text_eq(m, child(m, left, F_PROPERTY), setters[i].property) && out->n < URL_MUTATION_MAX) {
			struct mutation *mu = &out->items[out->n++];
			memset(mu, 0, sizeof *mu);
			mu->kind = setters[i].kind;
			mu->value = child(m, n, F_RIGHT);
		}
}

/* u.searchParams.set(k, v) / .append(k, v) */
static void param_call(struct module *m, TSNode n, const char *name, struct mutations *out)
{
	TSNode fn = child(m, n, F_FUNCTION), args = child(m, n, F_ARGUMENTS), sp;

	if (!node_is(fn, "member_expression") || ts_node_named_child_count(args) != 2)
		return;
	if (!node_text_eq(m, child(m, fn, F_PROPERTY), "set") && !node_text_eq(m, child(m, fn, F_PROPERTY), "append"))
		return;
	sp = child(m, fn, F_OBJECT);
	if (!node_is(sp, "member_expression") || !node_text_eq(m, child(m, sp, F_PROPERTY), "searchParams") ||
	    !names_variable(m, child(m, sp, F_OBJECT), name) || out->n >= URL_MUTATION_MAX)
		return;
	out->items[out->n++] = (struct mutation){UP_PARAM, ts_node_named_child(args, 1), ts_node_named_child(args, 0)};
}

/* The assignments to name's parts in [from, to), in document order, by walking the tree
 * (at most URL_MUTATION_NODES nodes). */
static void collect_walk(struct module *m, const char *name, uint32_t from, uint32_t to, struct mutations *out)
{
	TSTreeCursor cur = ts_tree_cursor_new(ts_tree_root_node(m->tree));
	unsigned visited = 0;

	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		bool inside = ts_node_end_byte(n) > from && ts_node_start_byte(n) < to;
		if (++visited > URL_MUTATION_NODES)
			break;
		if (inside && node_is(n, "assignment_expression"))
			assignment(m, n, name, out);
		else if (inside && node_is(n, "call_expression"))
			param_call(m, n, name, out);
		if (!(inside && ts_tree_cursor_goto_first_child(&cur)) && !cursor_skip_subtree(&cur))
			break;
	}
	ts_tree_cursor_delete(&cur);
}

/* Whether n could write a part of some URL object: x.part = v, or a two-argument
 * x.searchParams.set/append(k, v). */
static bool url_write(struct module *m, TSNode n)
{
	TSNode target;

	if (node_is(n, "assignment_expression")) {
		target = child(m, n, F_LEFT);
		return node_is(target, "member_expression") && node_is(child(m, target, F_OBJECT), "identifier");
	}
	if (!node_is(n, "call_expression"))
		return false;
	target = child(m, n, F_FUNCTION);
	return node_is(target, "member_expression") && ts_node_named_child_count(child(m, n, F_ARGUMENTS)) == 2;
}

/* The file's url_write nodes in document order, found in one walk: each URL variable
 * read would otherwise walk the tree again. Only for a tree small enough that no walk
 * of collect_walk is cut (false otherwise: walk each time, as before). */
static bool find_writes(struct module *m)
{
	TSNode root = ts_tree_root_node(m->tree);
	TSTreeCursor cur;

	if (m->url_writes_ready)
		return true;
	if (ts_node_descendant_count(root) > URL_MUTATION_NODES)
		return false;
	cur = ts_tree_cursor_new(root);
	m->url_writes_ready = true;
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		if (url_write(m, n) && vec_push(&m->url_writes, n) != 0) {
			m->url_writes_ready = false;  /* out of memory: walk each time */
			vec_free(&m->url_writes);
			break;
		}
		if (!ts_tree_cursor_goto_first_child(&cur) && !cursor_skip_subtree(&cur))
			break;
	}
	ts_tree_cursor_delete(&cur);
	return m->url_writes_ready;
}

/* The assignments to name's parts in [from, to), in document order. */
static void collect(struct module *m, const char *name, uint32_t from, uint32_t to, struct mutations *out)
{
	out->n = 0;
	if (!find_writes(m)) {
		collect_walk(m, name, from, to, out);
		return;
	}
	/* what the walk reaches: nodes overlapping the range (their ancestors do too) */
	for (size_t i = 0; i < m->url_writes.len; i++) {
		TSNode n = m->url_writes.items[i];
		if (ts_node_start_byte(n) >= to)
			break;
		if (ts_node_end_byte(n) <= from)
			continue;
		if (node_is(n, "assignment_expression"))
			assignment(m, n, name, out);
		else
			param_call(m, n, name, out);
	}
}

static struct value *text(struct module *m, const char *s, size_t n)
{
	return value_text(m->arena, s, n);
}

/* Split a known URL; false when it is not one. */
static bool split(struct module *m, const struct value *v, struct url_pieces *p)
{
	const char *s = value_constant(m->arena, v), *q;
	struct url_parts u;
	char port[16];

	if (!s || !url_parse_as(s, URL_WHATWG, &u) || !u.scheme[0] || !u.host[0])
		return false;
	p->scheme = text(m, u.scheme, strlen(u.scheme));
	p->host = text(m, u.host, strlen(u.host));
	q = strpbrk(s + u.path_offset, "?#");
	p->path = text(m, s + u.path_offset, q ? (size_t)(q - s - u.path_offset) : strlen(s + u.path_offset));
	p->query = q && *q == '?' ? text(m, q, strcspn(q, "#")) : text(m, "", 0);
	/* a port the text spells out is kept; the scheme's default needs none */
	q = strstr(s, "://");
	if (q && (q = strchr(q + 3, ':')) && q < s + u.path_offset && u.port > 0) {
		snprintf(port, sizeof port, "%d", u.port);
		p->port = text(m, port, strlen(port));
	} else {
		p->port = NULL;
	}
	return true;
}

static struct value *join(struct module *m, const struct url_pieces *p)
{
	struct value *v = value_concat(m->arena, p->scheme, text(m, "://", 3));

	v = value_concat(m->arena, v, p->host);
	if (p->port)
		v = value_concat(m->arena, value_concat(m->arena, v, text(m, ":", 1)), p->port);
	v = value_concat(m->arena, v, p->path);
	return value_concat(m->arena, v, p->query);
}

static struct value *strip(struct module *m, struct value *v, const char *chars)
{
	const char *s = value_constant(m->arena, v);
	size_t n;

	if (!s)
		return v;
	n = strlen(s);
	while (n && strchr(chars, s[n - 1]))
		n--;
	return text(m, s, n);
}

static void apply(struct module *m, struct url_pieces *p, const struct mutation *mu, struct value *nv)
{
	struct value *key, *sep;
	const char *query;

	switch (mu->kind) {
	case UP_HREF:
		split(m, nv, p);
		break;
	case UP_PROTOCOL:
		p->scheme = strip(m, nv, ":");
		break;
	case UP_HOST:     /* "h:8443" carries its own port */
		p->host = nv;
		p->port = NULL;
		break;
	case UP_HOSTNAME:
		p->host = nv;
		break;
	case UP_PORT:
		p->port = nv;
		break;
	case UP_PATHNAME:
		p->path = nv;
		break;
	case UP_SEARCH:
		p->query = nv;
		break;
	case UP_PARAM:
		/* a parameter never moves the host: one the code computes is left out of the
		 * path shown to the reader rather than shown as unknown bytes */
		key = eval_node(m, mu->key);
		if (!value_constant(m->arena, nv) || !value_constant(m->arena, key))
			break;
		query = value_constant(m->arena, p->query);
		sep = text(m, query && !*query ? "?" : "&", 1);
		p->query = value_concat(m->arena, value_concat(m->arena, p->query, sep),
					value_concat(m->arena, value_concat(m->arena, key, text(m, "=", 1)), nv));
		break;
	}
}

/* One alternative of the constructed URL after the mutations; NULL when it cannot be split. */
static struct value *apply_all(struct module *m, const struct value *base, const struct mutations *ms,
			       struct value **values)
{
	struct url_pieces p;
	struct value *out;

	if (!split(m, base, &p))
		return NULL;
	for (size_t i = 0; i < ms->n; i++)
		apply(m, &p, &ms->items[i], values[i]);
	out = join(m, &p);
	value_absorb(m->arena, out, base);
	return out;
}

struct value *url_mutation_apply(struct module *m, const struct decl *d, struct value *v, TSNode at)
{
	struct mutations ms;
	struct value *values[URL_MUTATION_MAX], *alt, *one;
	size_t n = v->kind == VAL_ALT ? v->nitems : 1;

	if (!m->js || !m->tree || !d->name)
		return v;
	collect(m, d->name, d->pos, ts_node_start_byte(at), &ms);
	if (!ms.n)
		return v;
	for (size_t i = 0; i < ms.n; i++)
		values[i] = eval_node(m, ms.items[i].value);
	alt = value_new(m->arena, VAL_ALT);
	for (size_t i = 0; i < n && i < URL_MUTATION_ALTS; i++) {
		const struct value *base = v->kind == VAL_ALT ? v->items[i] : v;
		one = apply_all(m, base, &ms, values);
		value_push_item(m->arena, alt, one ? one : (struct value *)base);
	}
	return alt->nitems == 1 ? alt->items[0] : alt;
}
