/* Reading a call of a modelled API: its effective arguments (through identity-keeping
 * wrappers), the overload they fit, and the destination parts that overload names. */
#ifndef MCPAUDIT_MODEL_CALL_H
#define MCPAUDIT_MODEL_CALL_H

#include <tree_sitter/api.h>

#include "analyzer/api_model.h"
#include "analyzer/module.h"

#define CALL_MAX_ARGS 12

/* The arguments the called function receives: f.call(t, a) gives (a), f.apply(t, [a, b]) and
 * Reflect.apply(f, t, [a, b]) give (a, b), a function bound or partially applied with (x)
 * gives (x, ...). node is null for an argument with no node of its own. */
struct call_args {
	struct value *vals[CALL_MAX_ARGS];
	TSNode nodes[CALL_MAX_ARGS];
	size_t n;
	const char *keywords[CALL_MAX_ARGS];  /* Python keyword arguments */
	struct value *kw_vals[CALL_MAX_ARGS];
	TSNode kw_nodes[CALL_MAX_ARGS];
	size_t nkw;
	size_t shift;  /* syntactic positional index = effective index + shift - bound (wrappers) */
	size_t bound;  /* leading arguments that came from bind/partial */
	bool wrapped;  /* .call/.apply/Reflect.apply: positions differ from the source */
};

/* Evaluate call's effective arguments into out (values in m's arena). */
void model_call_args(struct module *m, TSNode call, TSNode callee, struct call_args *out);

/* What the chosen overload says about one call. */
struct model_reading {
	const struct api_overload *overload;  /* NULL: no overload fits (read as unknown) */
	const char *category;    /* the overload's, or the API's first one's */
	struct value *dest;      /* NULL when the destination is a local IPC path */
	TSNode dest_node;        /* its argument, or a null node */
	const char *role;        /* "url", "any", "host", "address" */
	struct value *port;      /* or NULL */
	TSNode port_node;
};

/* Read call (resolved name api) with the models ms. False when ms has no overload of api
 * at all. With no overload fitting, dest is an unknown value of the call (fail closed). */
bool model_read_call(struct module *m, const struct api_models *ms, const char *api, TSNode call, TSNode callee,
		     struct model_reading *out);

/* The kind of an evaluated value, for overload choice. */
enum arg_kind model_kind_of(const struct value *v);

#endif
