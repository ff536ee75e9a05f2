/* The bounded partial evaluator: what string (URL, host, command) an expression yields. */
#ifndef MCPAUDIT_EVAL_H
#define MCPAUDIT_EVAL_H

#include <tree_sitter/api.h>

#include "analyzer/module.h"
#include "analyzer/value.h"

/* Bounds per call site: nesting depth and total steps. Hitting one yields an unknown part
 * and sets VF_LIMIT, which the report records. */
#define EVAL_MAX_DEPTH 48
#define EVAL_MAX_STEPS 4000
#define EVAL_CALLEE_STEPS 64
/* Steps for a whole file: a base plus some per byte of source. */
#define EVAL_FILE_STEPS 1000000UL
#define EVAL_STEPS_PER_BYTE 2UL

/* Arguments of one call the evaluator reads (String.fromCharCode(...) spells URLs one
 * argument per letter). */
#define EVAL_MAX_ARGS 128

struct eval_dispatch;
/* The evaluator table for a grammar (caller frees with eval_dispatch_free); NULL on OOM. */
struct eval_dispatch *eval_dispatch_new(const TSLanguage *lang);
void eval_dispatch_free(struct eval_dispatch *d);
/* The grammar's field ids, in enum field order (borrowed from d). */
const TSFieldId *eval_dispatch_fields(const struct eval_dispatch *d);

/* What a Python module variable assigned at `name` (to `value`) holds for the modules that
 * import it: every assignment that can reach the module's end (one under an if, a try),
 * else value's own. Never NULL. */
struct value *eval_module_variable(struct module *m, TSNode name, TSNode value);
/* The function whose arguments a down-levelled async function's generator runs with
 * (`function f(a) { return __awaiter(this, arguments, void 0, function* (a) {...}) }`: f
 * for the generator), or a null node when fn is no such generator. */
TSNode eval_awaiter_outer(struct module *m, TSNode fn);
/* The calls of this file's function fn that bind its parameters (as a parameter's value
 * is read from its callers), at most cap, in source order; 0 when none. */
size_t eval_local_callers(struct module *m, TSNode fn, TSNode *calls, size_t cap);
/* Until eval_unbind(m, f): fn's parameters are call's arguments (evaluated now, into vals,
 * EVAL_MAX_ARGS of them; f and vals are the caller's). false, nothing bound, when the call
 * passes keyword or spread arguments. */
bool eval_bind_caller(struct module *m, TSNode fn, TSNode call, struct frame *f, struct value **vals);
void eval_unbind(struct module *m, struct frame *f);
/* Reset the per-call-site budget. */
void eval_reset(struct module *m);
/* Value of expression n (never NULL; arena-allocated). */
struct value *eval_node(struct module *m, TSNode n);
/* The resolved name of a callee expression ("https.request", "axios.create().get"), or
 * NULL when it is not something imported or global. */
const char *eval_callee_name(struct module *m, TSNode callee, struct value **base);
/* A call through a wrapper that keeps the function's identity (JavaScript): f.call(t, a...),
 * f.apply(t, list), Reflect.apply(f, t, list). */
struct wrapper {
	TSNode target;  /* the function's expression */
	size_t shift;   /* source arguments before the function's own */
	TSNode spread;  /* the list holding the function's arguments, or a null node */
};
/* Whether callee (whose call has the nraw argument nodes raw) is such a wrapper; fills w. */
bool eval_wrapper(struct module *m, TSNode callee, TSNode *raw, size_t nraw, struct wrapper *w);
/* The function a wrapper call really calls (eval_wrapper's target), else callee itself. */
TSNode eval_callee_target(struct module *m, TSNode callee);
/* tree-sitter-javascript reads `await (0, mod.fn)(x)` as a call of a function named await
 * whose result is called: n's operand (the last of a comma list) when n is such an `await(...)`, else a null node. */
TSNode eval_await_operand(struct module *m, TSNode n);
/* Whether callee is such a wrapper (its arguments are not the function's). */
bool eval_callee_wrapped(struct module *m, TSNode callee);
/* What a function of this file (fv, a VAL_FUNCTION) returns, its parameters unbound (holes
 * its callers in other modules bind, analyzer/flow.h); NULL when fv is no function or
 * returns nothing. */
struct value *eval_function_result(struct module *m, const struct value *fv);
/* What the methods of an instance return, for an exported instance
 * (`export const service = new Service()`, or Service.getInstance()): other modules' calls
 * service.method() are those values (module.c). */
struct method_result {
	const char *name;       /* the method's name (borrowed, m's arena) */
	bool getter;            /* `get name()`: read as service.name, not called */
	struct value *result;   /* what it returns, its parameters unbound */
};
/* Fills out with at most cap methods of the class of this file that value (an exported
 * binding's expression) makes an instance of; returns how many (0: no such class). */
size_t eval_instance_methods(struct module *m, TSNode value, struct method_result *out, size_t cap);
/* A static method of a class of this file that returns an instance of one (`static
 * load() { return new C(...) }`, `static create(c) { return ok(new C(c)) }`). */
struct static_factory {
	const char *name;       /* the static method's name (m's arena) */
	TSNode made;            /* the expression it returns (for eval_instance_methods) */
};
/* Fills out with at most cap static factories of the class value names (a class
 * declaration, or its name); returns how many. */
size_t eval_static_factories(struct module *m, TSNode value, struct static_factory *out, size_t cap);
/* base joined with a relative path (new URL(path, base) semantics). */
struct value *eval_url_join(struct module *m, struct value *base, struct value *path);
/* "file:<path>" when spec names a module of this server, else NULL. */
const char *eval_local_module(struct module *m, const char *spec);
/* The same with a small step budget and no limit recorded: for the #resolves-to? test
 * that runs on every call of a file. */
const char *eval_callee_quick(struct module *m, TSNode callee);
/* Whether a path names a credential file (analyzer/data/credential_paths.txt). */
bool eval_is_credential_path(const char *path);

#endif
