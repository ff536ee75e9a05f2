/* Tool argument defaults from input schemas, found by one walk of the file's tree on first use. */
#include "analyzer/tool_defaults.h"

#include <string.h>

#include "analyzer/eval.h"
#include "analyzer/wide.h"

/* Visiting more nodes than this stops the walk (a minified bundle): defaults found so far stay. */
#define TOOL_DEFAULTS_NODES 400000
/* How far up from a default's string the property it belongs to may be. */
#define TOOL_DEFAULTS_UP 8

struct tool_default {
	const char *key;  /* the argument ("url") */
	TSNode value;     /* the default's string node */
};

struct tool_default_table {
	struct tool_default items[TOOL_DEFAULTS_MAX];
	size_t n;
};

/* The key of the object property whose value holds n ({url: z.string().default(...)}), or
 * NULL when n is not inside one near enough. */
static const char *property_around(struct module *m, TSNode n)
{
	for (int up = 0; up < TOOL_DEFAULTS_UP && !ts_node_is_null(n); up++, n = ts_node_parent(n)) {
		if (node_is(n, "pair")) {
			TSNode k = child(m, n, F_KEY);
			const char *text = node_text(m, k, 128);
			/* keys outlive the call site being evaluated: they go to the index arena */
			if (node_is(k, "string") && strlen(text) >= 2)
				return arena_strndup(m->index_arena, text + 1, strlen(text) - 2);
			return arena_strdup(m->index_arena, text);
		}
		if (node_is(n, "statement_block"))
			return NULL;
	}
	return NULL;
}

static bool is_string(TSNode n)
{
	return node_is(n, "string") || node_is(n, "template_string");
}

/* z.string().url().default('https://...'): the string, else a null node. */
static TSNode zod_default(struct module *m, TSNode call)
{
	TSNode fn = child(m, call, F_FUNCTION), args = child(m, call, F_ARGUMENTS), first;

	if (!node_is(fn, "member_expression") || !node_text_eq(m, child(m, fn, F_PROPERTY), "default") ||
	    ts_node_named_child_count(args) != 1)
		return (TSNode){0};
	first = ts_node_named_child(args, 0);
	return is_string(first) ? first : (TSNode){0};
}

/* {"default": "https://..."} inside a property schema: the string, else a null node. */
static TSNode schema_default(struct module *m, TSNode pair)
{
	TSNode k = child(m, pair, F_KEY), v = child(m, pair, F_VALUE);

	if (!(node_text_eq(m, k, "default") || node_text_eq(m, k, "\"default\"") || node_text_eq(m, k, "'default'")))
		return (TSNode){0};
	return is_string(v) ? v : (TSNode){0};
}

static void add(struct module *m, struct tool_default_table *t, TSNode at, TSNode value)
{
	const char *key = property_around(m, at);

	if (key && *key && t->n < TOOL_DEFAULTS_MAX)
		t->items[t->n++] = (struct tool_default){key, value};
}

static void visit(struct module *m, struct tool_default_table *t, TSNode n)
{
	TSNode s;

	if (node_is(n, "call_expression") && !ts_node_is_null(s = zod_default(m, n))) {
		add(m, t, ts_node_parent(n), s);
	} else if (node_is(n, "pair") && !ts_node_is_null(s = schema_default(m, n))) {
		/* the default's own pair is skipped: the property is the pair around its object */
		add(m, t, ts_node_parent(ts_node_parent(n)), s);
	}
}

static struct tool_default_table *build(struct module *m)
{
	struct tool_default_table *t = arena_alloc(m->index_arena, sizeof *t);
	TSTreeCursor cur;
	unsigned visited = 0;

	if (!t)
		return NULL;
	t->n = 0;
	if (!m->js || !m->tree)
		return t;  /* Python declares defaults on the handler's parameters */
	cur = ts_tree_cursor_new(ts_tree_root_node(m->tree));
	for (;;) {
		if (++visited > TOOL_DEFAULTS_NODES)
			break;
		visit(m, t, ts_tree_cursor_current_node(&cur));
		if (!ts_tree_cursor_goto_first_child(&cur) && !cursor_skip_subtree(&cur))
			break;
	}
	ts_tree_cursor_delete(&cur);
	return t;
}

static struct value *join(struct module *m, struct value *user, struct value *def)
{
	struct value *alt = value_new(m->arena, VAL_ALT);

	value_push_item(m->arena, alt, user);
	value_push_item(m->arena, alt, def);
	alt->flags = user->flags & (VF_TAINT | VF_USER);
	return alt;
}

struct value *tool_default_join(struct module *m, const char *key, struct value *user)
{
	if (!key || m->dyncode_depth)
		return user;
	if (!m->tool_defaults)
		m->tool_defaults = build(m);
	for (size_t i = 0; m->tool_defaults && i < m->tool_defaults->n; i++)
		if (strcmp(m->tool_defaults->items[i].key, key) == 0)
			return join(m, user, eval_node(m, m->tool_defaults->items[i].value));
	return user;
}

struct value *tool_default_join_node(struct module *m, TSNode default_node, struct value *user)
{
	return ts_node_is_null(default_node) ? user : join(m, user, eval_node(m, default_node));
}
