/* One source file under analysis: its tree, its bindings, tools and calls, and what it yields. */
#ifndef MCPAUDIT_MODULE_H
#define MCPAUDIT_MODULE_H

#include <stdbool.h>
#include <stdint.h>
#include <tree_sitter/api.h>

#include "analyzer/arena.h"
#include "analyzer/lang.h"
#include "analyzer/value.h"
#include "core/vec.h"

enum decl_kind {
	DK_VAR, DK_ASSIGN, DK_FUNCTION, DK_CLASS, DK_PARAM, DK_PATTERN, DK_IMPORT_DEFAULT,
	DK_IMPORT_NS, DK_IMPORT_NAME, DK_IMPORT_MODULE, DK_SELF_FIELD, DK_ITER,
	DK_STORE,    /* x[k] = v, x.k = v: v is stored into x (its taint goes with x) */
};

struct decl {
	enum decl_kind kind;
	bool pending;           /* scope and owner are computed once the function index exists */
	TSNode basis;           /* the node they are computed from */
	const char *key;        /* destructuring: the property it reads ({a: b} binds b to key a) */
	TSNode fallback;        /* destructuring: the default ({a = 'x'}), or a null node */
	bool loop;              /* a for-loop variable: its initial value says nothing */
	bool param_field;       /* constructor(private x = ...): a parameter that is also a field */
	TSNode target;          /* DK_STORE: what is stored into (x.k, x[k]), for x.k's value */
	const char *name;
	TSNode name_node;       /* the identifier (for DK_PATTERN: the identifier inside the pattern) */
	TSNode value;           /* bound expression, default, or pattern; may be null */
	bool has_value;
	TSNode owner;           /* DK_PARAM: the function node; DK_SELF_FIELD: the class; else the declaration */
	const char *module;     /* imports: the module specifier as written */
	const char *import_name;/* DK_IMPORT_NAME: the exported name */
	uint32_t scope_start, scope_end; /* where the binding is visible */
	uint32_t pos;           /* start byte of the binding */
	bool weak;              /* a var or assignment of nothing, None, null or undefined: says
				   nothing about where the name points (set when it is added) */
};

struct named_nodes {
	const char *name;
	VEC(TSNode) nodes;
	VEC(struct decl) decls;
	bool has_store;         /* some decl is a DK_STORE (x.k = v): reads need not look otherwise */
	unsigned assigns;       /* how many decls are DK_ASSIGN: a read of a name never reassigned
				   need not look for other assignments reaching it */
};

/* A string-keyed table of nodes and declarations (open addressing, arena-backed). */
struct name_table {
	struct named_nodes *slots;
	size_t cap, used;
};

struct tool_handler {
	const char *tool;       /* NULL for a dispatcher that handles every tool */
	uint32_t start, end;    /* byte range of the handler function (or dispatch block) */
	uint32_t stmt_start;    /* a dispatch block: where its statement starts (the if or case) */
	bool block;             /* a dispatch block, not a function */
};

/* What the link step needs of a call site after the file's tree is gone. */
struct call_site {
	const char *category;   /* "http", "websocket", "socket", "udp", "dns", "subprocess", "database",
				   "mail", "dyncode", "dynimport", "readfile", "envdump" */
	const char *api;        /* resolved callee name */
	unsigned line, column;
	const char *expression; /* source text of the destination argument, capped */
	const char *snippet;    /* the source line, capped */
	const char *role;       /* "any", "url", "host", "address", "command", "code", "module", "path", "env" */
	struct value *dest;
	struct value *port;     /* separate port argument, or NULL */
	struct value *args;     /* subprocess argument vector, or NULL */
	struct value *others;   /* every other argument (headers, body): for credential flow */
	struct value *base;     /* a client's base URL (axios.create({baseURL})) still to be joined
				 * to a destination that starts unknown (a path parameter bound
				 * at the link step, analyzer/link.c), or NULL */
	const char *context;    /* "startup", "tool:NAME", "tool:*", or "fn:NAME" (resolved at link) */
	const char *tool_case;  /* context "fn:NAME": the tool name its switch on a parameter picks
				   here (tool_case_of), or NULL */
	const char *decoded_code; /* dyncode: set when the code string was decoded */
	bool in_dyncode;        /* found inside code evaluated from a string */
	const char *services;   /* a catalogued client: the names of its service (borrowed from
				   * the catalog, which outlives every site), for its sdk-default host */
	const char *members;    /* "host,uri": the options the client reads its destination from,
				 * when dest is another module's export (an options object known
				 * only at the link step, analyzer/link.c), or NULL */
};

/* A call from one context to a function by name (the call graph). */
struct call_edge {
	const char *from;       /* "startup", "tool:NAME", "tool:*" or "fn:NAME" */
	const char *module;     /* NULL for this file, else the import specifier */
	const char *name;       /* the function's name (exported name for imports) */
	const char *tool_case;  /* from "fn:NAME": as call_site.tool_case, or NULL */
};

/* A call of another module's function, with what it passes (analyzer/flow.h): the link
 * step binds them to that function's parameters, one call site at a time. */
struct flow_call {
	const char *module;     /* the callee's module key */
	const char *name;       /* the name it is imported by (its exported name) */
	unsigned line;
	size_t nargs, nkw;
	struct value **args;    /* positional arguments as the callee receives them */
	const char **keywords;  /* Python keyword arguments: names ... */
	struct value **kw_args; /* ... and values */
};

struct export_entry {
	const char *name;       /* "API_BASE", "default", "default.API_BASE" */
	struct value *value;
};

/* A value this file stores into an object another module of the server exports
 * (`settings.apiRoot = v` of an imported settings): readers of that export in any module
 * see it as an alternative to the object's own value (analyzer/link.c). */
struct export_store {
	const char *module;     /* the exporting module's key */
	const char *name;       /* the export and the member: "settings.apiRoot" */
	struct value *value;
};

struct url_literal {
	const char *url;
	unsigned line;
};

struct file_result {
	struct arena *arena;
	const char *rel;        /* path relative to the root */
	const char *package;    /* dependency, or NULL */
	enum grammar grammar;
	VEC(struct call_site) sites;
	VEC(struct call_edge) edges;
	VEC(struct flow_call) calls;  /* calls of other modules' functions (flow.h) */
	VEC(struct export_entry) exports;
	VEC(struct export_store) stores;  /* into other modules' exports (flow.h) */
	VEC(const char *) functions;  /* named functions defined here */
	VEC(struct url_literal) urls;
	unsigned error_line;    /* first syntax error (tree-sitter recovered), or 0 */
	unsigned error_count;
	bool too_deep;          /* nesting deeper than the queries look: code below was not matched */
	bool budget_spent;      /* the file's resolver budget ran out: later call sites got a few steps */
	bool limit_hit;         /* a resolver bound was hit somewhere (it matters only where a
				 * destination is left partly unknown: emit_call_site says) */
	unsigned limit_line;
	bool matches_dropped;   /* tree-sitter's match limit dropped query matches */
	uint64_t query_budget;    /* nonzero: query matching stopped at this allowance (analyzer/budget.h) ... */
	unsigned query_ceiling_ms; /* ... or, nonzero, at this CPU-time ceiling ... */
	unsigned query_stop_line; /* ... having reached this line */
	unsigned wide_nodes;    /* nodes with a long run of tokens, left out of query matching */
	unsigned wide_line;     /* the first one's line */
	unsigned wide_run;      /* the longest run of tokens in one of them */
	bool pieces_capped;     /* around wide nodes, more pieces than are matched one by one */
	size_t memory_cap;      /* nonzero: an evaluator arena reached this cap (bytes) */
};

struct pending_tool;
struct tool_default_table;

/* A function or class of the file, for "which function is this in" without walking
 * parents (ts_node_parent searches down from the root: too slow on minified files). */
struct span {
	TSNode node;
	uint32_t start, end;
	int32_t parent;         /* index of the innermost enclosing span, or -1 */
	const char *name;       /* function_name, cached; NULL until asked */
	bool named;
};

struct pending_export {
	TSNode name, value;
	bool is_default;
};

/* A map from a position key (a node's bytes, never 0) to a pointer, for the file's
 * memos: open addressing, grown in the arena it is given (so freed with it). */
struct pos_memo {
	uint64_t *keys;      /* 0 marks a free slot */
	void **values;
	size_t cap, used;
};
/* The slot of key in t (a new one, NULL-valued, when *found is false); NULL on OOM. */
void **pos_memo_slot(struct pos_memo *t, struct arena *a, uint64_t key, bool *found);

/* The per-file analysis state while the tree is alive. */
struct module {
	struct file_result *out;
	struct arena *arena;    /* where allocations go now: out->arena while indexing, scratch while
				   resolving one call site (reset after each, what lasts is copied out) */
	struct arena *scratch;
	struct arena *index_arena;   /* the tables above: freed when the file is done */
	VEC(uint32_t) loop_vars;     /* start bytes of for-loop variables */
	struct param_memo *memo;     /* parameter values from callers, per (function, index) */
	VEC(TSNode) url_writes;      /* url_mutation.c: the file's candidate URL part writes, in
				   document order, once looked for (url_writes_ready) */
	bool url_writes_ready;
	struct pos_memo returns;     /* each local function's returned expression (a TSNode in the
				   index arena), by start byte */
	unsigned caller_depth;       /* nested from_callers: bounded, it fans out */
	unsigned member_alts;        /* alternatives being spread (member_of_each, stored_member)
					or a callee being named (eval.c): nested ones keep to one */
	unsigned store_depth;        /* nested stores_taint without a memo slot: bounded */
	struct pos_memo store_taint; /* what the stores into a binding's object carry (eval.c
					stores_taint), by the binding's position */
	const TSFieldId *fields;     /* this grammar's ids for enum field */
	bool quick;                  /* naming a callee: a bound hit is not worth recording */
	bool quick_exhausted;        /* ... but says to try again with the full budget */
	const char *src;
	size_t len;
	enum grammar grammar;
	bool js;
	TSTree *tree;
	struct name_table decls;     /* name -> declarations */
	struct name_table calls;     /* callee name -> call sites; method name -> method definitions */
	VEC(struct tool_handler) tools;
	VEC(struct span) functions;  /* sorted by start once indexing is done */
	VEC(struct span) classes;
	VEC(struct pending_export) pending_exports;
	VEC(struct pending_tool *) pending_tools;
	struct name_table *local_modules; /* module paths of the scanned files, without extension */
	const char *rel;             /* == out->rel */
	struct analysis_env *env;    /* parser and queries, for code evaluated from strings */
	struct pos_memo callees;     /* resolved callee names (or NULL) by node bytes */
	struct pos_memo var_values;  /* eval.c's var_value: each variable's initial value (in the
				   index arena), by the value node's start byte */
	size_t var_memo_bytes;       /* what those copies take, capped */
	unsigned limits;             /* bounds hit so far (eval.c's limit): a memo taken while
				   this did not change was not cut short */
	struct tool_default_table *tool_defaults; /* tool_defaults.h: built on first use, index arena */
	/* evaluation state for the current call site */
	unsigned steps;
	unsigned steps_start;        /* where this evaluation's count began */
	unsigned long file_steps;    /* steps used by the whole file so far */
	unsigned wrapper_readings;   /* analyze.c: call sites read once per caller so far */
	bool budget_spent;
	unsigned depth;
	struct frame *frames;        /* interprocedural argument bindings, innermost first */
	int dyncode_depth;           /* > 0 while analysing decoded code */
	struct module *parent;       /* dyncode: the module whose eval() this is (its bindings apply) */
	const char *dyncode_via;
	unsigned line_offset;        /* dyncode: line of the eval call */
};

struct frame {
	uint32_t function_start;
	TSNode function;
	struct value **args;
	size_t nargs;
	struct frame *next;
};

/* The syntax-tree fields the analyzer reads, by id: looking a field up by name compares
 * strings on every call (ts_node_child_by_field_name). */
enum field {
	F_OBJECT, F_PROPERTY, F_ATTRIBUTE, F_FUNCTION, F_ARGUMENTS, F_CONSTRUCTOR, F_NAME, F_VALUE, F_KEY, F_LEFT, F_RIGHT, F_OPERATOR, F_BODY, F_PARAMETERS, F_PARAMETER, F_CONSEQUENCE, F_ALTERNATIVE, F_INDEX, F_SUBSCRIPT, F_CONDITION, F_PATTERN, F_FLAGS,
	F_COUNT
};

/* Field names in enum order, for building the per-grammar id table. */
extern const char *const field_names[F_COUNT];
/* n's child in field f (a null node when absent). */
TSNode child(const struct module *m, TSNode n, enum field f);

/* Hash of a NUL-terminated name, for the string-keyed tables. */
size_t name_hash(const char *s);

/* name_table: lookups return NULL when absent. Insert returns NULL on allocation failure. */
struct named_nodes *name_table_get(const struct name_table *t, const char *name);
struct named_nodes *name_table_put(struct name_table *t, struct arena *a, const char *name);

/* Text of a node, copied into the arena (capped at max bytes, 0 = 64 KiB). */
const char *node_text(struct module *m, TSNode n, size_t max);
bool node_is(TSNode n, const char *type);
bool node_text_eq(struct module *m, TSNode n, const char *s);
/* The innermost function-like ancestor of n (or n itself when include_self), or a null node.
 * Valid once indexing is done (index_finish). */
TSNode enclosing_function(struct module *m, TSNode n, bool include_self);
/* The innermost class around n, or a null node. */
TSNode enclosing_class(struct module *m, TSNode n);
/* The function of this file that starts at byte start, or a null node. */
TSNode function_starting_at(struct module *m, uint32_t start);
/* Up to cap named children of n (comments skipped), in order, with a tree cursor:
 * ts_node_named_child(n, i) costs O(i). Returns how many. */
size_t named_children(TSNode n, TSNode *out, size_t cap);
bool is_function_node(struct module *m, TSNode n);
/* A function node's name: declaration name, the variable or property it is assigned to,
 * or the method name; NULL for anonymous functions. */
const char *function_name(struct module *m, TSNode fn);

/* Build the declaration, call and tool tables from one index-phase query match. */
struct compiled_query;
void index_match(struct module *m, const struct compiled_query *q, const TSQueryMatch *match);
/* Evaluate the exports collected by index_match, once all bindings are known. */
void index_finish(struct module *m);
/* The context a node runs in: "startup", "tool:NAME", "tool:*" or "fn:NAME". */
const char *context_of(struct module *m, TSNode n);
/* When n's context is "fn:NAME": the tool name a `switch (p) case "x":` or `if p == "x"` on
 * a parameter p of that function picks for n (a dispatcher forwards the tool's name to
 * it: the link step makes "tool:*" "tool:x"); else NULL. Allocated in m->arena. */
const char *tool_case_of(struct module *m, TSNode n);
/* Whether fn is a registered tool handler (its parameters are tool arguments). */
bool is_tool_handler(struct module *m, TSNode fn);

#endif
