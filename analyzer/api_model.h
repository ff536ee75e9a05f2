/* API models as data: every overload of a network API, told apart by arity and by the kind
 * of each evaluated argument, and where its destination parts live (docs/api-models.md). */
#ifndef MCPAUDIT_API_MODEL_H
#define MCPAUDIT_API_MODEL_H

#include <stdbool.h>
#include <stddef.h>

#define API_MAX_PARAMS 8
#define API_MAX_PARTS 4
#define API_MAX_ALTS 3

/* What an argument is after evaluation. AK_UNKNOWN (nothing known) fits every parameter;
 * AK_ANY appears only in models (a parameter that takes anything). */
enum arg_kind { AK_UNKNOWN, AK_STR, AK_NUM, AK_OBJ, AK_FN, AK_ARR, AK_ANY };

/* Which part of the destination a value is. */
enum api_role {
	AR_URL,     /* a URL string or URL object (a relative one joins the client's base) */
	AR_TARGET,  /* a URL, or an options object {host, hostname, port, path, protocol} */
	AR_HOST,    /* a host name (or host:port) */
	AR_PORT,    /* a port number */
	AR_ADDRESS, /* a (host, port) pair */
	AR_LOCAL,   /* a local IPC path: no network destination */
	AR_SOURCE,  /* a URL when its known text starts with a scheme, else a file name: nothing */
};

/* One place a part may be read from: argN, argN.member, argN[i], kw.name, or 'constant'. */
struct api_path {
	int arg;              /* positional index, or -1 */
	const char *keyword;  /* keyword argument name (Python), or NULL */
	const char *member;   /* property of the argument, or NULL */
	int index;            /* item of the argument, or -1 */
	const char *constant; /* a literal value (a default host), or NULL */
};

struct api_part {
	enum api_role role;
	struct api_path alts[API_MAX_ALTS]; /* the first that is present wins */
	size_t nalts;
};

struct api_overload {
	const char *api;       /* "net.connect"; "dns.promises.*" for every member */
	const char *category;  /* "http", "socket", "udp", "dns", "websocket", "mail", ... */
	unsigned line;         /* in the model file */
	enum arg_kind params[API_MAX_PARAMS];
	size_t nparams, min;   /* min: the parameters before the first optional one */
	bool rest;             /* "...": any number of further arguments */
	struct api_part parts[API_MAX_PARTS];
	size_t nparts;
};

struct api_models;

/* Parse a model file's text (the format is in docs/api-models.md). On failure returns NULL
 * and writes "file:line: what" into err. Caller frees with api_models_free. */
struct api_models *api_models_parse(const char *text, const char *file, char *err, size_t errlen);
void api_models_free(struct api_models *ms);

/* The embedded models of a language ("javascript", "python"), parsed once; borrowed, valid
 * for the life of the process. NULL when there is none or it does not parse (err says why). */
const struct api_models *api_models_get(const char *language, char *err, size_t errlen);

/* Hand the API name of every overload of ms ("net.connect", "dns.promises.*") to fn. */
void api_models_each(const struct api_models *ms, void (*fn)(void *ctx, const char *api), void *ctx);

/* Whether api (a resolved callee name) is modelled. */
bool api_models_has(const struct api_models *ms, const char *api);

/* The first overload of api in the file's order (its category when no overload fits), or
 * NULL. Borrowed from ms. */
const struct api_overload *api_models_first(const struct api_models *ms, const char *api);

/* The overload of api that fits the evaluated arguments best: arity within its range, every
 * argument's kind fitting its parameter, then the most exact kinds, then the first in the
 * file. kinds[i] is the kind of positional argument i; keywords the keyword names (Python).
 * NULL when no overload fits. Borrowed from ms. */
const struct api_overload *api_models_pick(const struct api_models *ms, const char *api, const enum arg_kind *kinds,
					   size_t nargs);

/* Parse one kind name ("str"); false when unknown. */
bool api_kind_parse(const char *name, enum arg_kind *out);

#endif
