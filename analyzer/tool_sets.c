/* Tool handlers the registration does not hold inline: a handler named through an object
 * (server.tool("x", schema, handlers.get)), the functions of a collection a loop registers
 * one tool each for, and those a low-level dispatcher picks by the tool's name
 * (handlers[request.params.name](request.params.arguments)). Their parameters are tool
 * arguments. Found from the syntax tree alone, before any evaluation. */
#include "analyzer/tool_sets.h"

#include <string.h>

/* How far references are followed (x = y; y = handlers.get; ...). */
#define MAX_HOPS 6
/* Nodes of a dispatcher looked at for the call that picks a handler. */
#define MAX_DISPATCH_NODES 4000

/* Keys of a tool description object that hold its function ({name, schema, run}). */
static const char *const handler_keys[] = {"handler", "run", "execute", "callback", "fn", "func", "call", NULL};

/* The value bound to identifier n by a variable or assignment, else a null node. */
static TSNode bound_value(struct module *m, TSNode n)
{
	const struct named_nodes *e;

	if (!node_is(n, "identifier") || !(e = name_table_get(&m->decls, node_text(m, n, 200))))
		return (TSNode){0};
	for (size_t i = 0; i < e->decls.len; i++) {
		const struct decl *d = &e->decls.items[i];
		if ((d->kind == DK_VAR || d->kind == DK_ASSIGN || d->kind == DK_FUNCTION || d->kind == DK_CLASS) &&
		    d->has_value && !ts_node_is_null(d->value))
			return d->value;
	}
	return (TSNode){0};
}

static TSNode strip(struct module *m, TSNode n)
{
	while (node_is(n, "parenthesized_expression") || node_is(n, "await_expression") || node_is(n, "await") ||
	       node_is(n, "as_expression") || node_is(n, "satisfies_expression"))
		n = ts_node_named_child(n, 0);
	(void)m;
	return n;
}

static bool is_literal(TSNode n)
{
	return node_is(n, "object") || node_is(n, "dictionary") || node_is(n, "array") || node_is(n, "list");
}

static bool is_call(TSNode n)
{
	return node_is(n, "call_expression") || node_is(n, "call");
}

static TSNode member_object(struct module *m, TSNode n)
{
	if (node_is(n, "member_expression") || node_is(n, "attribute"))
		return child(m, n, F_OBJECT);
	return (TSNode){0};
}

static TSNode member_key(struct module *m, TSNode n)
{
	return child(m, n, m->js ? F_PROPERTY : F_ATTRIBUTE);
}

/* The object, dictionary, array or list literal expr stands for: itself, a variable bound
 * to one, Object.entries/values(x), x.items()/x.values(); a null node when none. */
static TSNode collection(struct module *m, TSNode expr, int hops)
{
	TSNode args[2];

	expr = strip(m, expr);
	if (hops > MAX_HOPS || ts_node_is_null(expr))
		return (TSNode){0};
	if (is_literal(expr))
		return expr;
	if (node_is(expr, "identifier"))
		return collection(m, bound_value(m, expr), hops + 1);
	if (!is_call(expr))
		return (TSNode){0};
	if (named_children(child(m, expr, F_ARGUMENTS), args, 2) == 1 &&
	    node_text_eq(m, member_object(m, child(m, expr, F_FUNCTION)), "Object"))
		return collection(m, args[0], hops + 1);    /* Object.entries(x), Object.values(x) */
	return collection(m, member_object(m, child(m, expr, F_FUNCTION)), hops + 1);  /* x.items() */
}

/* The pair of object or dictionary obj under key (quotes ignored), or a null node. */
static TSNode entry(struct module *m, TSNode obj, const char *key)
{
	TSNode kids[64];
	size_t n = named_children(obj, kids, 64);

	for (size_t i = 0; i < n; i++) {
		const char *k;
		size_t len;
		if (node_is(kids[i], "method_definition") && node_text_eq(m, child(m, kids[i], F_NAME), key))
			return kids[i];
		if (!node_is(kids[i], "pair"))
			continue;
		k = node_text(m, child(m, kids[i], F_KEY), 200);
		len = strlen(k);
		if (len >= 2 && (k[0] == '"' || k[0] == '\'') && strlen(key) == len - 2 && !strncmp(k + 1, key, len - 2))
			return child(m, kids[i], F_VALUE);
		if (!strcmp(k, key))
			return child(m, kids[i], F_VALUE);
	}
	return (TSNode){0};
}

/* The method name of the class a call or new of cls makes, or a null node. */
static TSNode class_method(struct module *m, TSNode made, const char *name)
{
	TSNode ctor = child(m, made, node_is(made, "new_expression") ? F_CONSTRUCTOR : F_FUNCTION);
	TSNode cls = strip(m, bound_value(m, ctor)), kids[128];
	size_t n;

	if (!node_is(cls, "class_declaration") && !node_is(cls, "class_definition") && !node_is(cls, "class"))
		return (TSNode){0};
	n = named_children(child(m, cls, F_BODY), kids, 128);
	for (size_t i = 0; i < n; i++) {
		TSNode f = node_is(kids[i], "decorated_definition") ? ts_node_named_child(kids[i], ts_node_named_child_count(kids[i]) - 1) : kids[i];
		if ((node_is(f, "method_definition") || node_is(f, "function_definition")) &&
		    node_text_eq(m, child(m, f, F_NAME), name))
			return f;
	}
	return (TSNode){0};
}

TSNode tool_sets_function(struct module *m, TSNode expr, int hops)
{
	TSNode obj, v;
	const char *key;

	expr = strip(m, expr);
	if (hops > MAX_HOPS || ts_node_is_null(expr))
		return (TSNode){0};
	if (is_function_node(m, expr))
		return expr;
	if (node_is(expr, "identifier"))
		return tool_sets_function(m, bound_value(m, expr), hops + 1);
	if (node_is(expr, "object") || node_is(expr, "dictionary")) {   /* {name, schema, run} */
		for (const char *const *k = handler_keys; *k; k++)
			if (!ts_node_is_null(v = entry(m, expr, *k)))
				return tool_sets_function(m, v, hops + 1);
		return (TSNode){0};
	}
	if (ts_node_is_null(obj = member_object(m, expr)))
		return (TSNode){0};
	key = node_text(m, member_key(m, expr), 200);
	if (!ts_node_is_null(v = collection(m, obj, hops + 1)) && (node_is(v, "object") || node_is(v, "dictionary")))
		return tool_sets_function(m, entry(m, v, key), hops + 1);
	v = strip(m, bound_value(m, obj));  /* h.fetch with h = Handlers() */
	if (is_call(v) || node_is(v, "new_expression"))
		return class_method(m, v, key);
	return (TSNode){0};
}

static void add_handler(struct module *m, TSNode fn, const char *tool)
{
	struct tool_handler t = {0};

	if (ts_node_is_null(fn) || is_tool_handler(m, fn) || m->tools.len >= 1024)
		return;
	t.tool = tool;
	t.start = t.stmt_start = ts_node_start_byte(fn);
	t.end = ts_node_end_byte(fn);
	vec_push(&m->tools, t);
}

/* The tool name a collection entry has: its key, or the "name" of a description object. */
static const char *entry_tool_name(struct module *m, TSNode key, TSNode value)
{
	const char *k;
	size_t len;

	if (ts_node_is_null(key) && (node_is(value, "object") || node_is(value, "dictionary")))
		key = entry(m, value, "name");
	if (ts_node_is_null(key) || (!node_is(key, "string") && !node_is(key, "property_identifier") &&
				     !node_is(key, "identifier")))
		return NULL;
	k = node_text(m, key, 200);
	len = strlen(k);
	if (len >= 2 && (k[0] == '"' || k[0] == '\'' || k[0] == '`'))
		return arena_strndup(m->arena, k + 1, len - 2);
	return k;
}

/* Every function of the collection expr names becomes a tool handler. */
static void add_collection(struct module *m, TSNode expr)
{
	TSNode lit = collection(m, expr, 0), kids[256];
	size_t n = ts_node_is_null(lit) ? 0 : named_children(lit, kids, 256);

	for (size_t i = 0; i < n; i++) {
		TSNode key = {0}, value = kids[i];
		if (node_is(kids[i], "pair")) {
			key = child(m, kids[i], F_KEY);
			value = child(m, kids[i], F_VALUE);
		} else if (node_is(kids[i], "method_definition")) {
			key = child(m, kids[i], F_NAME);
		}
		add_handler(m, tool_sets_function(m, value, 0), entry_tool_name(m, key, strip(m, value)));
	}
}

void tool_sets_from_loop(struct module *m, TSNode registration)
{
	for (TSNode p = ts_node_parent(registration); !ts_node_is_null(p); p = ts_node_parent(p)) {
		if (is_function_node(m, p))
			return;
		if (node_is(p, "for_in_statement") || node_is(p, "for_statement")) {
			add_collection(m, child(m, p, F_RIGHT));
			return;
		}
	}
}

/* The collection a handler is picked from: x[name], x.get(name), x.find(...), each maybe
 * through a variable or a member of what it picks (tool.handler). */
static TSNode picked_from(struct module *m, TSNode callee, int hops)
{
	TSNode v;

	callee = strip(m, callee);
	if (hops > MAX_HOPS || ts_node_is_null(callee))
		return (TSNode){0};
	if (node_is(callee, "subscript_expression") || node_is(callee, "subscript"))
		return child(m, callee, m->js ? F_OBJECT : F_VALUE);
	if (node_is(callee, "identifier")) {
		v = strip(m, bound_value(m, callee));
		if (is_call(v))    /* h = x.get(name) / x.find(t => ...) */
			return member_object(m, child(m, v, F_FUNCTION));
		return picked_from(m, v, hops + 1);
	}
	return picked_from(m, member_object(m, callee), hops + 1);   /* tool.handler(args) */
}

/* Whether expr is (a member of) a parameter of fn or a variable fn binds: what a
 * dispatcher passes on of the request (name, arguments, req.params.name). */
static bool from_dispatcher(struct module *m, TSNode expr, TSNode fn)
{
	const struct named_nodes *e;

	expr = strip(m, expr);
	while (node_is(expr, "member_expression") || node_is(expr, "attribute") ||
	       node_is(expr, "subscript_expression") || node_is(expr, "subscript"))
		expr = strip(m, child(m, expr, node_is(expr, "subscript") ? F_VALUE : F_OBJECT));
	if (!node_is(expr, "identifier") || !(e = name_table_get(&m->decls, node_text(m, expr, 200))))
		return false;
	for (size_t i = 0; i < e->decls.len; i++) {
		const struct decl *d = &e->decls.items[i];
		if (d->kind == DK_PARAM ? ts_node_start_byte(d->owner) == ts_node_start_byte(fn)
					: d->kind == DK_PATTERN && d->scope_start == ts_node_start_byte(fn))
			return true;
	}
	return false;
}

/* The function of this file a dispatcher's call hands the request on to (handle(name,
 * args), await dispatch(req.params.name, req.params.arguments)), or a null node. */
static TSNode forwarded_to(struct module *m, TSNode call, TSNode dispatcher)
{
	TSNode args[8], fn;
	size_t n = named_children(child(m, call, F_ARGUMENTS), args, 8);
	bool passes = false;

	for (size_t i = 0; i < n && !passes; i++)
		passes = from_dispatcher(m, args[i], dispatcher);
	if (!passes || !node_is(strip(m, child(m, call, F_FUNCTION)), "identifier"))
		return (TSNode){0};
	fn = tool_sets_function(m, child(m, call, F_FUNCTION), 0);
	return ts_node_eq(fn, dispatcher) ? (TSNode){0} : fn;
}

/* How many functions a dispatcher hands the request on through (call_tool -> dispatch ->
 * HANDLERS[name](arguments)). */
#define MAX_FORWARDS 3

static void from_dispatch(struct module *m, TSNode dispatcher, int forwards);

static void dispatch_call(struct module *m, TSNode call, TSNode dispatcher, int forwards)
{
	TSNode from = picked_from(m, child(m, call, F_FUNCTION), 0), to;

	if (!ts_node_is_null(from))
		add_collection(m, from);
	else if (forwards < MAX_FORWARDS && !ts_node_is_null(to = forwarded_to(m, call, dispatcher)))
		from_dispatch(m, to, forwards + 1);
}

void tool_sets_from_dispatch(struct module *m, TSNode dispatcher)
{
	from_dispatch(m, dispatcher, 0);
}

static void from_dispatch(struct module *m, TSNode dispatcher, int forwards)
{
	TSTreeCursor cur = ts_tree_cursor_new(dispatcher);
	unsigned seen = 0;
	bool down = true;

	while (seen++ < MAX_DISPATCH_NODES) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		if (down && is_call(n))
			dispatch_call(m, n, dispatcher, forwards);
		if (down && ts_tree_cursor_goto_first_child(&cur))
			continue;
		if (ts_tree_cursor_goto_next_sibling(&cur)) {
			down = true;
			continue;
		}
		if (!ts_tree_cursor_goto_parent(&cur) || ts_node_eq(ts_tree_cursor_current_node(&cur), dispatcher))
			break;
		down = false;
	}
	ts_tree_cursor_delete(&cur);
}
