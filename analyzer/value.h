/* Abstract values of the partial evaluator: strings with unknown parts, objects, modules. */
#ifndef MCPAUDIT_VALUE_H
#define MCPAUDIT_VALUE_H

#include <stdbool.h>
#include <stddef.h>

#include "analyzer/arena.h"
#include "analyzer/bounds.h"

/* Caps that keep hostile code from making one value grow without bound. */
#define VALUE_MAX_PARTS 64
#define VALUE_MAX_PROPS 64
#define VALUE_MAX_ITEMS 64
#define VALUE_MAX_TEXT 8192
#define VALUE_MAX_CHAIN 8

enum part_kind {
	PART_TEXT,   /* known text */
	PART_HOLE,   /* unknown text; .text is the source expression (capped) */
	PART_REF,    /* a value exported by another module: .module (resolved path) + .text (name) */
};

/* A hole that stands for a parameter of a named function or constructor, which callers in
 * other modules may bind (analyzer/flow.h): resolved per call site at the link step. */
struct param_ref {
	const char *module;     /* the function's module key (flow_module_key) */
	const char *function;   /* the name its callers use (the class's for a constructor) */
	const char *name;       /* the parameter's name (Python keyword arguments) */
	const char *key;        /* a destructuring parameter: the property it reads, else NULL */
	int index;              /* its position among the arguments callers pass */
};

struct part {
	enum part_kind kind;
	const char *text;
	size_t len;
	const char *module;
	const struct param_ref *param;  /* PART_HOLE only: the parameter it stands for, or NULL */
};

enum value_kind {
	VAL_UNKNOWN,
	VAL_STRING,   /* parts */
	VAL_NUMBER,   /* parts hold its text */
	VAL_OBJECT,   /* props */
	VAL_ARRAY,    /* items */
	VAL_ALT,      /* one of items (branches, several call sites) */
	VAL_MODULE,   /* a module, or something reached from it: .name "https.request", "axios.create()" */
	VAL_ENVOBJ,   /* process.env / os.environ itself */
	VAL_FUNCTION, /* a function defined in this file: .name is its name, .node_id its start byte */
};

enum value_flag {
	VF_DECODED = 1u << 0,     /* went through a decoder (decoded_by says which) */
	VF_ENV = 1u << 1,         /* comes from an environment variable (env_var) */
	VF_USER = 1u << 2,        /* comes from a tool argument */
	VF_SECRET = 1u << 3,      /* taint: a secret-looking environment variable */
	VF_ENVDUMP = 1u << 4,     /* taint: the whole environment */
	VF_CREDFILE = 1u << 5,    /* taint: content of a credential file */
	VF_IDENTITY = 1u << 6,    /* taint: host or user identity */
	VF_DYNCODE = 1u << 7,     /* found inside dynamically evaluated code */
	VF_COMPUTED = 1u << 8,    /* built from data at run time (not only constants) */
	VF_LIMIT = 1u << 9,       /* a resolver bound was hit while building it */
	VF_PARAM = 1u << 10,      /* an unresolved function parameter */
	VF_SPARE = 1u << 11,      /* made when the arena was full: its arena's spare (arena_spare) */
	VF_SDK_DEFAULT = 1u << 12, /* a catalogued client library's default host (analyzer/catalog.h) */
	VF_LAUNCH = 1u << 13,     /* configuration read at launch (command line, configuration file,
				   * analyzer/launch.h): with VF_ENV, and its members are too */
};

#define VF_TAINT (VF_SECRET | VF_ENVDUMP | VF_CREDFILE | VF_IDENTITY)

struct prop {
	const char *key;
	struct value *value;
};

struct value {
	enum value_kind kind;
	unsigned flags;
	unsigned bounds;         /* BOUND_BIT of each bound that dropped part of it or of what it
				  * was made from (analyzer/bounds.h); merged like flags */
	struct part *parts;
	size_t nparts;
	struct prop *props;
	size_t nprops;
	struct value **items;
	size_t nitems;
	const char *name;        /* VAL_MODULE / VAL_FUNCTION */
	unsigned node_id;        /* VAL_FUNCTION: start byte of the function node */
	struct value *base;      /* VAL_MODULE from a client factory: its base URL, else NULL */
	const char *env_var;     /* first environment variable involved */
	const char *secret_env;  /* the secret variable whose value it carries (VF_SECRET); ""
				  * when it carries several different ones, NULL when none */
	const char *decoded_by;  /* first decoder involved */
	const char **chain;      /* taint path ("file:line: code"), never modified in place: */
	size_t nchain;           /* values share it after a struct copy */
};

/* Constructors: arena-allocated, never NULL. When the arena is full they return its spare
 * block as an unknown value (VF_LIMIT | VF_SPARE): writable by the caller, owned by that
 * arena alone, and reused by the next failure (the file is then reported incomplete). */
struct value *value_unknown(struct arena *a, const char *why);
struct value *value_text(struct arena *a, const char *s, size_t n);
struct value *value_hole(struct arena *a, const char *expr, size_t n, unsigned flags);
struct value *value_ref(struct arena *a, const char *module, const char *name);
struct value *value_module(struct arena *a, const char *name);
struct value *value_new(struct arena *a, enum value_kind kind);

/* Concatenation as strings (objects and unknowns become holes); flags and chains merge. */
struct value *value_concat(struct arena *a, const struct value *l, const struct value *r);
/* Add to obj (VAL_OBJECT) or arr; silently drops past the caps and sets VF_LIMIT. */
void value_set_prop(struct arena *a, struct value *obj, const char *key, struct value *v);
void value_push_item(struct arena *a, struct value *arr, struct value *v);
/* Property of an object (NULL if absent or not an object). */
struct value *value_get_prop(const struct value *obj, const char *key);
/* v marked as cut short by the bounds in bits (BOUND_BIT): v itself when it is not shared
 * (fresh) or already marked, else a shallow copy, so that other readers of v are not marked. */
struct value *value_bounded(struct arena *a, struct value *v, unsigned bits, bool fresh);
/* The bounds that reached v or anything in it (items, properties, base). */
unsigned value_bounds(const struct value *v);
/* Copy flags, bounds, env_var, secret_env, decoded_by and chain from src into dst (dst is modified). */
void value_absorb(struct arena *a, struct value *dst, const struct value *src);
/* Merge src's secret_env into dst's (a second, different variable makes it ""). */
void value_merge_secret(struct value *dst, const struct value *src);
void value_add_chain(struct arena *a, struct value *v, const char *step);

/* The whole string when every part is known text, else NULL. Borrowed (arena). */
const char *value_constant(struct arena *a, const struct value *v);
/* Render as text with each unknown part replaced by the byte VALUE_HOLE_MARK.
 * Returns the length, writing at most cap-1 bytes and a NUL. */
#define VALUE_HOLE_MARK '\x01'
size_t value_render(const struct value *v, char *out, size_t cap);
bool value_has_refs(const struct value *v);
/* Whether v holds a hole standing for a parameter (struct param_ref). */
bool value_has_params(const struct value *v);
/* An unresolved parameter's hole (VF_PARAM) that remembers which parameter it is. */
struct value *value_param(struct arena *a, const struct param_ref *ref);
/* Whether v can contribute to a destination: known text, a module reference, a module,
 * provenance flags, or a structure holding one. Exports that cannot are not kept. */
bool value_useful(const struct value *v);
/* v rebuilt with each string or number in it (in objects, arrays, alternatives) replaced
 * by leaf(ctx, a, it, depth); v itself when it holds none that pred says to rebuild.
 * Past max_depth a part becomes an unknown marked VF_LIMIT. */
typedef struct value *(*value_leaf_fn)(void *ctx, struct arena *a, struct value *s, int depth);
struct value *value_rebuild(struct arena *a, struct value *v, bool (*pred)(const struct value *),
			    value_leaf_fn leaf, void *ctx, int depth, int max_depth);
/* Deep copy of v into a (values built in scratch memory outlive it this way). */
struct value *value_copy(struct arena *a, const struct value *v);
bool value_is_stringish(const struct value *v);
/* How many values v is made of (itself, its parts' holders, items and props), counting
 * no further than cap. */
size_t value_weight(const struct value *v, size_t cap);

#endif
