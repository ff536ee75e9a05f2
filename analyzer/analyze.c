/* One file: parse once, build the tables with the index queries, then run the sink
 * queries and record each matched call with its resolved destination. */
#include "analyzer/analyze.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/bounds.h"
#include "analyzer/budget.h"
#include "analyzer/api_model.h"
#include "analyzer/model_call.h"
#include "analyzer/catalog.h"
#include "analyzer/summary.h"
#include "analyzer/eval.h"
#include "analyzer/flow.h"
#include "analyzer/prefilter.h"
#include "analyzer/wide.h"

#define MAX_DYNCODE_DEPTH 2
#define QUERY_MATCH_LIMIT 512
#define QUERY_MAX_START_DEPTH 1000

/* Resolved callee names are kept by node position (m->callees), so the many
 * #resolves-to? predicates on one call evaluate its callee once. */
static uint64_t node_key(TSNode n)
{
	return ((uint64_t)ts_node_start_byte(n) << 32 | ts_node_end_byte(n)) + 1;
}

static const char *callee_name(struct module *m, TSNode callee)
{
	bool found;
	void **slot = pos_memo_slot(&m->callees, m->index_arena, node_key(callee), &found);
	const char *name;

	if (slot && found)
		return *slot;
	name = eval_callee_quick(m, callee);
	name = name ? arena_strdup(m->index_arena, name) : NULL;
	if (slot)
		*slot = (void *)name;
	return name;
}

static const char *resolves_to(void *ctx, TSNode node)
{
	return callee_name(ctx, node);
}

/* ---- recording call sites ---- */

struct sink_captures {
	TSNode call, callee, dest, port, args;
	const char *category;
	const char *role;
	char category_buf[32], role_buf[32];
	bool has_callee, has_dest, has_port, has_args;
};

/* "category=http role=any": the value of key in a group header, copied into buf. */
static const char *tag_value(const char *tag, const char *key, char *buf, size_t cap)
{
	const char *p = tag ? strstr(tag, key) : NULL;

	if (!p)
		return NULL;
	p += strlen(key);
	snprintf(buf, cap, "%.*s", (int)strcspn(p, " "), p);
	return buf;
}

/* A category without a group header gets its usual role. */
static const char *default_role(const char *category)
{
	if (!strcmp(category, "readfile"))
		return "path";
	if (!strcmp(category, "dynimport"))
		return "module";
	return "any";
}

static void read_captures(const struct compiled_query *q, const TSQueryMatch *match, const char *tag,
			  struct sink_captures *s)
{
	memset(s, 0, sizeof *s);
	tag_value(tag, "category=", s->category_buf, sizeof s->category_buf);
	tag_value(tag, "role=", s->role_buf, sizeof s->role_buf);
	for (uint16_t i = 0; i < match->capture_count; i++) {
		const char *name = query_capture_name(q, match->captures[i].index);
		TSNode n = match->captures[i].node;
		if (strcmp(name, "call") == 0) {
			s->call = n;
		} else if (strncmp(name, "call.", 5) == 0) {
			s->call = n;
			snprintf(s->category_buf, sizeof s->category_buf, "%s", name + 5);
		} else if (strcmp(name, "callee") == 0) {
			s->callee = n;
			s->has_callee = true;
		} else if (strcmp(name, "dest.port") == 0) {
			s->port = n;
			s->has_port = true;
		} else if (strcmp(name, "dest.args") == 0) {
			s->args = n;
			s->has_args = true;
		} else if (strcmp(name, "dest") == 0) {
			s->dest = n;
			s->has_dest = true;
		} else if (strncmp(name, "dest.", 5) == 0 || strncmp(name, "dyn.", 4) == 0) {
			s->dest = n;
			s->has_dest = true;
			snprintf(s->role_buf, sizeof s->role_buf, "%s", strchr(name, '.') + 1);
		}
	}
	s->category = s->category_buf[0] ? s->category_buf : NULL;
	s->role = s->role_buf[0] ? s->role_buf : s->category ? default_role(s->category) : "any";
}

static const char *line_text(struct module *m, TSNode n)
{
	uint32_t a = ts_node_start_byte(n), b = a;

	while (a > 0 && m->src[a - 1] != '\n' && ts_node_start_byte(n) - a < 160)
		a--;
	while (b < m->len && m->src[b] != '\n' && b - a < 240)
		b++;
	while (a < b && (m->src[a] == ' ' || m->src[a] == '\t'))
		a++;
	return arena_strndup(m->arena, m->src + a, b - a);
}

/* Every argument but the destination ones, for the credential-flow check. */
static struct value *other_args(struct module *m, const struct sink_captures *s)
{
	TSNode args = child(m, s->call, F_ARGUMENTS);
	struct value *all = value_new(m->arena, VAL_ARRAY);
	uint32_t n = ts_node_named_child_count(args);

	for (uint32_t i = 0; i < n && i < 8; i++) {
		TSNode a = ts_node_named_child(args, i);
		struct value *v;
		if (ts_node_eq(a, s->dest) || (s->has_port && ts_node_eq(a, s->port)))
			continue;
		eval_reset(m);
		v = eval_node(m, a);
		value_push_item(m->arena, all, v);
		value_absorb(m->arena, all, v);
		if (v->kind == VAL_ENVOBJ)
			all->flags |= VF_ENVDUMP;  /* json=dict(os.environ): the environment itself */
	}
	return all;
}

static enum analyze_status analyze_inner(struct analysis_env *env, enum grammar g, const char *src,
					 size_t len, struct file_result *out, char *why, size_t whylen,
					 const struct call_site *dyn_parent, struct module *parent, int dyn_depth);

/* What flows into the call from its other arguments: their flags and taint path, and those
 * that wait for a parameter (flow.h binds them per caller, with the caller's taint). */
static void keep_other_args(struct module *m, struct value *others, struct value *all)
{
	value_absorb(m->arena, others, all);
	for (size_t i = 0; i < all->nitems; i++) {
		if (!value_has_params(all->items[i]))
			continue;
		others->kind = VAL_ARRAY;
		value_push_item(m->arena, others, all->items[i]);
	}
}

/* eval("...decoded code...") : analyse the code as code, its calls attributed to the eval line. */
static void analyse_code_string(struct module *m, const struct call_site *site)
{
	const char *code = value_constant(m->arena, site->dest);
	char why[128];

	if (!code || m->dyncode_depth >= MAX_DYNCODE_DEPTH || !*code)
		return;
	analyze_inner(m->env, m->grammar, code, strlen(code), m->out, why, sizeof why, site, m,
		      m->dyncode_depth + 1);
}

/* Copy what a call site refers to out of scratch memory. */
static void persist_site(struct arena *a, struct call_site *s)
{
	s->category = arena_strdup(a, s->category);
	s->api = arena_strdup(a, s->api);
	s->expression = arena_strdup(a, s->expression);
	s->snippet = arena_strdup(a, s->snippet);
	s->role = arena_strdup(a, s->role);
	s->context = arena_strdup(a, s->context);
	s->tool_case = arena_strdup(a, s->tool_case);
	s->members = arena_strdup(a, s->members);
	s->decoded_code = arena_strdup(a, s->decoded_code);
	s->dest = value_copy(a, s->dest);
	s->port = value_copy(a, s->port);
	s->args = value_copy(a, s->args);
	s->others = value_copy(a, s->others);
	s->base = value_copy(a, s->base);
}

/* Calls that cannot give a finding are not kept until the link step: reads of ordinary
 * files, serialising something that is not the environment, code and imports spelled out
 * in the source. A value still waiting for another module's export is kept. */
static bool worth_keeping(struct module *m, const struct call_site *s)
{
	const char *c;
	char path[1024];

	if (value_has_refs(s->dest))
		return true;
	if (!strcmp(s->category, "envdump"))
		return s->dest->kind == VAL_ENVOBJ;
	if (!strcmp(s->category, "readfile")) {
		value_render(s->dest, path, sizeof path);
		return eval_is_credential_path(path);
	}
	if (!strcmp(s->category, "dyncode") || !strcmp(s->category, "dynimport")) {
		c = value_constant(m->arena, s->dest);
		return !c || (s->dest->flags & VF_DECODED);
	}
	return true;
}

/* A modelled API (#modelled?): the overload picked from the evaluated arguments says which
 * argument is the destination. False for a local IPC path (nothing to record). */
static bool read_model(struct module *m, struct sink_captures *s, struct value **dest, struct value **port)
{
	char err[160];
	const struct api_models *ms = api_models_get(m->js ? "javascript" : "python", err, sizeof err);
	struct model_reading r;
	const char *api;

	eval_reset(m);
	api = eval_callee_name(m, s->callee, NULL);
	if (!model_read_call(m, ms, api, s->call, s->callee, &r) || !r.dest)
		return false;
	snprintf(s->category_buf, sizeof s->category_buf, "%s", r.category);
	snprintf(s->role_buf, sizeof s->role_buf, "%s", r.role);
	s->category = s->category_buf;
	s->role = s->role_buf;
	s->dest = r.dest_node;
	s->has_dest = true;
	s->port = r.port_node;
	s->has_port = false;
	*dest = r.dest;
	*port = r.port;
	return true;
}

/* f.call(t, url), f.apply(t, [url]), Reflect.apply(f, t, [url]), a bound f: the pattern read
 * the source's argument at the API's position; take the API's own argument there. */
static void unwrap_dest(struct module *m, struct sink_captures *s, struct value **dest)
{
	struct call_args a;
	TSNode raw[CALL_MAX_ARGS];
	size_t n = named_children(child(m, s->call, F_ARGUMENTS), raw, CALL_MAX_ARGS);

	eval_reset(m);
	model_call_args(m, s->call, s->callee, &a);
	for (size_t i = 0; i < n; i++) {
		if (!ts_node_eq(raw[i], s->dest))
			continue;
		if (i < a.n) {
			*dest = a.vals[i];
			if (a.nodes[i].id)
				s->dest = a.nodes[i];
		}
		return;
	}
}

/* What a call site's values are read with, besides its captures. */
struct site_inputs {
	const struct catalog_entry *lib;  /* a catalogued client (or a dependency's summary) */
	const struct summary *sum;
	struct value *base;               /* the client's base URL, for a relative destination */
	bool model;                       /* the destination is read through an API model */
};

/* The destination, port, argument vector and other arguments of the call s, read now (with
 * whatever caller frames are bound). False when there is no destination. */
static bool evaluate_site(struct module *m, struct sink_captures *s, const struct site_inputs *in,
			  struct value *dest, struct value *port, struct call_site *site)
{
	eval_reset(m);
	site->dest = in->lib ? catalog_destination(m, in->lib, s->dest) : dest ? dest : eval_node(m, s->dest);
	if (!site->dest)
		return false;
	if (in->sum)
		site->expression = summary_describe(m, in->sum);
	else if (in->lib && (site->dest->flags & VF_SDK_DEFAULT))
		site->expression = catalog_describe(m->arena, in->lib);
	site->services = in->lib ? in->lib->services : NULL;
	/* client(options) with options another module exports: its members are read there */
	if (in->lib && site->dest->kind == VAL_STRING && site->dest->nparts == 1 &&
	    site->dest->parts[0].kind == PART_REF)
		site->members = catalog_members(m->arena, in->lib);
	if (in->base && (!strcmp(site->role, "url") || !strcmp(site->role, "any")) && value_is_stringish(site->dest)) {
		char text[16];
		value_render(site->dest, text, sizeof text);
		if (!strstr(text, "://") && text[0] != VALUE_HOLE_MARK)
			site->dest = eval_url_join(m, in->base, site->dest);
		else if (text[0] == VALUE_HOLE_MARK)
			site->base = in->base;  /* a path or a whole URL: known once callers bind it */
	}
	if (port) {
		site->port = port;
	} else if (s->has_port) {
		eval_reset(m);
		site->port = eval_node(m, s->port);
	}
	if (s->has_args && !strcmp(s->category, "subprocess")) {  /* spawn(program, args) */
		eval_reset(m);
		site->args = eval_node(m, s->args);
	}
	/* only what flows in matters for the other arguments: keep their flags and taint
	 * path, not the values (a results arena per file lives until the link step) */
	site->others = value_new(m->arena, VAL_UNKNOWN);
	keep_other_args(m, site->others, other_args(m, s));
	/* a client library sending its own API key to its own default host is what it is for */
	if (in->lib && (site->dest->flags & VF_SDK_DEFAULT))
		site->others->flags &= ~(unsigned)VF_SECRET;
	return true;
}

static void keep_site(struct module *m, struct call_site *site, size_t replace)
{
	if (!worth_keeping(m, site))
		return;
	persist_site(m->out->arena, site);
	if (replace != (size_t)-1)
		m->out->sites.items[replace] = *site;
	else
		vec_push(&m->out->sites, *site);
}

/* ---- a wrapper's call site, once per caller ---- */

/* A function of this file whose parameter reaches a sink's destination (request(path) ->
 * fetch(BASE + path), executeGitCommand(cmd) -> exec(cmd)) is, in effect, a sink of its
 * own: each call of it is read as a call of the sink with that call's arguments. The
 * combined reading (eval.c's from_callers) sees only the first MAX_LOCAL_CALLERS callers,
 * so a wrapper with more callers is read once per caller, every caller, and each reading
 * is reported at the call that supplies the destination.
 *
 * Bounds: callers of callers followed (MAX_CALLER_CHAIN levels; a function deeper up the
 * chain is read with its parameters unbound, as its callers in other modules bind them at
 * the link step), callers read a function (WRAPPER_MAX_CALLERS), readings one call site may
 * become (MAX_CALLER_SITES) and readings a file may make in all (WRAPPER_FILE_READINGS).
 * Past the callers' or the sites' bound the combined site is kept as well, marked cut short
 * (VF_LIMIT: listed in incomplete); past the file's the old four-caller reading stands. */
#define MAX_CALLER_CHAIN 3
#define WRAPPER_FILE_READINGS 4096
/* How many callers the combined reading binds (eval.c's MAX_LOCAL_CALLERS) */
#define COMBINED_CALLERS 4

/* The per-caller readings of one call site in a function of this file. */
struct caller_sites {
	struct sink_captures *s;
	const struct site_inputs *in;
	const struct call_site *proto;
	TSNode fns[MAX_CALLER_CHAIN], calls[MAX_CALLER_CHAIN];
	TSNode found[MAX_CALLER_CHAIN][WRAPPER_MAX_CALLERS];
	struct call_site out[MAX_CALLER_SITES];
	size_t n;
	bool failed;     /* a caller could not be bound: the one combined site stands */
	bool wide;       /* a function has more callers than the combined reading binds */
	unsigned cut;    /* BOUND_BIT of each bound past which callers or readings were not read */
	bool relocate;   /* the destination names a parameter: readings sit at their callers */
};

static unsigned site_taint(const struct call_site *site)
{
	return ((site->dest ? site->dest->flags : 0) | (site->others ? site->others->flags : 0) |
		(site->args ? site->args->flags : 0)) & VF_TAINT;
}

/* The function of this file whose callers bind what a node inside it reads: a named
 * function that is no tool handler (its parameters are tool arguments), else a null node. */
static TSNode bound_function(struct module *m, TSNode n, const struct caller_sites *cs, size_t depth)
{
	TSNode fn = enclosing_function(m, n, false), outer;

	/* a down-levelled async function's body is its generator: callers bind the outer one */
	if (!ts_node_is_null(fn) && !ts_node_is_null(outer = eval_awaiter_outer(m, fn)))
		fn = outer;
	if (ts_node_is_null(fn) || !function_name(m, fn) || is_tool_handler(m, fn))
		return (TSNode){0};
	for (size_t i = 0; i < depth; i++)
		if (ts_node_eq(cs->fns[i], fn))
			return (TSNode){0};  /* recursion */
	return fn;
}

/* Whether a node's identifiers name a parameter of fn (text compared, at most 64
 * parameters and 2000 nodes looked at): request(u) inside get2(u) hands its caller's value on. */
static bool mentions_param(struct module *m, TSNode n, TSNode fn)
{
	TSNode params, kids[64];
	size_t np, seen = 0;
	TSTreeCursor c;
	bool found = false;

	if (ts_node_is_null(n) || ts_node_is_null(fn))
		return false;   /* a model's destination read from no single argument; no function */
	params = child(m, fn, F_PARAMETERS);
	if (ts_node_is_null(params))
		params = child(m, fn, F_PARAMETER);
	if (ts_node_is_null(params))
		return false;
	np = node_is(params, "identifier") ? (kids[0] = params, 1) : named_children(params, kids, 64);
	c = ts_tree_cursor_new(n);
	for (bool more = true; more && !found && seen++ < 2000;) {
		TSNode x = ts_tree_cursor_current_node(&c);
		if (node_is(x, "identifier"))
			for (size_t i = 0; i < np && !found; i++) {
				TSNode p = kids[i];
				/* x = 1, {x}, *x: the name inside the parameter */
				if (!node_is(p, "identifier") && ts_node_named_child_count(p))
					p = ts_node_named_child(p, 0);
				found = node_is(p, "identifier") && node_text_eq(m, x, node_text(m, p, 200));
			}
		if (ts_tree_cursor_goto_first_child(&c))
			continue;
		while (!(more = ts_tree_cursor_goto_next_sibling(&c)) && ts_tree_cursor_goto_parent(&c))
			;
	}
	ts_tree_cursor_delete(&c);
	return found;
}

/* The call that supplies a reading's destination: the first up the chain whose arguments
 * do not hand on a parameter of the function it sits in (calls[j] sits in fns[j + 1]). */
static TSNode supplying_call(struct module *m, const struct caller_sites *cs, size_t depth)
{
	size_t j = 0;

	while (j + 1 < depth && mentions_param(m, child(m, cs->calls[j], F_ARGUMENTS), cs->fns[j + 1]))
		j++;
	return cs->calls[j];
}

/* A reading is reported at the call that supplies its destination (call; a null node when
 * the wrapper's own text names it, fetch(LOG_URL, {body: msg}): it stays at the sink), with
 * the wrapper's sink in its expression ("s6() -> fetch(url) at line 13"), in the phase of
 * the outermost call of its chain (a tool handler's call is that tool's). */
static void at_caller(struct module *m, struct call_site *site, TSNode call, TSNode outermost)
{
	char buf[400];
	const char *callee;

	site->context = context_of(m, outermost);
	site->tool_case = strncmp(site->context, "fn:", 3) == 0 ? tool_case_of(m, outermost) : NULL;
	if (ts_node_is_null(call))
		return;
	callee = node_text(m, call, 120);
	snprintf(buf, sizeof buf, "%s -> %s(%s) at line %u", callee ? callee : "", site->api ? site->api : "",
		 site->expression ? site->expression : "", site->line);
	site->expression = arena_strdup(m->arena, buf);
	site->line = ts_node_start_point(call).row + 1 + m->line_offset;
	site->column = ts_node_start_point(call).column + 1;
	site->snippet = line_text(m, call);
}

/* Read the site with the chain of callers fns[0..depth) bound, outermost first. */
static void read_with_chain(struct module *m, struct caller_sites *cs, size_t depth)
{
	struct frame frames[MAX_CALLER_CHAIN];
	struct value *vals[MAX_CALLER_CHAIN][EVAL_MAX_ARGS];
	struct sink_captures s = *cs->s;
	struct value *dest = NULL, *port = NULL;
	size_t bound = 0;
	struct call_site *site = &cs->out[cs->n];

	m->wrapper_readings++;
	for (size_t j = depth; j-- > 0; bound++) {
		eval_reset(m);
		if (!eval_bind_caller(m, cs->fns[j], cs->calls[j], &frames[j], vals[j])) {
			cs->failed = true;
			goto out;
		}
	}
	*site = *cs->proto;
	if (cs->in->model && !read_model(m, &s, &dest, &port)) {
		cs->failed = true;
		goto out;
	}
	if (evaluate_site(m, &s, cs->in, dest, port, site)) {
		at_caller(m, site, cs->relocate ? supplying_call(m, cs, depth) : (TSNode){0}, cs->calls[depth - 1]);
		cs->n++;
	}
out:
	for (size_t j = depth - bound; j < depth; j++)
		eval_unbind(m, &frames[j]);
}

/* Every chain of callers of fns[depth - 1] (through calls[depth - 1]'s function, and so on
 * while there are callers), each read as a site of its own. */
static void expand_callers(struct module *m, struct caller_sites *cs, size_t depth)
{
	TSNode *calls = cs->found[depth - 1];
	size_t n, cap = m->wrapper_readings < WRAPPER_FILE_READINGS ? WRAPPER_MAX_CALLERS : COMBINED_CALLERS;

	n = eval_local_callers(m, cs->fns[depth - 1], calls, cap);
	if (!n) {
		cs->failed = true;
		return;
	}
	cs->wide |= n > COMBINED_CALLERS && cap > COMBINED_CALLERS;
	if (n == WRAPPER_MAX_CALLERS)
		cs->cut |= BOUND_BIT(BOUND_WRAPPER_CALLERS);
	for (size_t i = 0; i < n && !cs->failed; i++) {
		TSNode outer = depth < MAX_CALLER_CHAIN ? bound_function(m, calls[i], cs, depth) : (TSNode){0};
		TSNode more[1];
		if (cs->n == MAX_CALLER_SITES) {
			cs->cut |= BOUND_BIT(BOUND_CALLER_SITES);
			return;
		}
		cs->calls[depth - 1] = calls[i];
		if (!ts_node_is_null(outer) && eval_local_callers(m, outer, more, 1)) {
			cs->fns[depth] = outer;
			expand_callers(m, cs, depth + 1);
		} else {
			read_with_chain(m, cs, depth);
		}
	}
}

/* Whether an earlier reading says the same (flow_same_reading: sixty calls of
 * request('/path') reach one host; one finding, at the first caller). */
static bool same_reading(const struct caller_sites *cs, size_t k)
{
	for (size_t i = 0; i < k; i++)
		if (flow_same_reading(&cs->out[i], &cs->out[k]))
			return true;
	return false;
}

/* The site once more for the callers past a bound, which were not read: its destination
 * is unknown and cut short (VF_LIMIT), so the report lists it under incomplete. */
static void keep_limited(struct module *m, const struct call_site *proto, unsigned bounds)
{
	struct call_site b = *proto;

	if (!(b.dest = value_unknown(m->arena, "callers past the bound")))
		return;
	b.dest->flags |= VF_LIMIT;
	b.dest->bounds |= bounds;
	b.port = NULL;
	b.args = NULL;
	keep_site(m, &b, (size_t)-1);
}

/* A call site inside a function of this file its callers bind (post(url, body) called as
 * post(A, {token}) and post(B, {q})): the value of a parameter is every caller's, so a
 * secret one caller passes would go with every host, and past the combined reading's
 * callers a destination is not seen at all. When the callers differ in what secret flows,
 * or there are more callers than the combined reading binds, the site is kept once per
 * caller (identical readings once), each with that caller's destination and data. False
 * when that is not needed (or cannot be done): the one site stands. */
static bool keep_per_caller(struct module *m, struct sink_captures *s, const struct site_inputs *in,
			    const struct call_site *proto)
{
	struct caller_sites *cs;
	TSNode fn;
	bool kept = false;

	if (m->frames || m->dyncode_depth || ts_node_is_null(fn = bound_function(m, s->call, NULL, 0)))
		return false;
	if (!(cs = calloc(1, sizeof *cs)))
		return false;
	cs->s = s;
	cs->in = in;
	cs->proto = proto;
	cs->fns[0] = fn;
	/* the sink's own function, or the __awaiter generator in it, whose parameter it reads */
	cs->relocate = s->has_dest && (mentions_param(m, s->dest, fn) ||
				       mentions_param(m, s->dest, enclosing_function(m, s->call, false)) ||
				       (s->has_port && mentions_param(m, s->port, fn)));
	expand_callers(m, cs, 1);
	if (cs->failed || cs->n < 2)
		goto out;
	kept = cs->wide;
	for (size_t i = 1; i < cs->n && !kept; i++)
		kept = site_taint(&cs->out[i]) != site_taint(&cs->out[0]);
	for (size_t i = 0; kept && i < cs->n; i++)
		if (!same_reading(cs, i))
			keep_site(m, &cs->out[i], (size_t)-1);
	if (kept && cs->cut)
		keep_limited(m, proto, cs->cut);
out:
	free(cs);
	return kept;
}

static void record_sink(struct module *m, const struct compiled_query *q, const TSQueryMatch *match,
			const char *tag)
{
	struct sink_captures s;
	struct call_site site = {0};
	struct site_inputs in = {0};
	struct value *dest = NULL, *port = NULL;

	read_captures(q, match, tag, &s);
	if (s.category && !strcmp(s.category, "model") &&
	    (!s.has_callee || !(in.model = read_model(m, &s, &dest, &port))))
		return;
	if (!s.category || !s.has_dest)
		return;
	if (!dest && s.has_callee && s.has_dest && eval_callee_wrapped(m, s.callee))
		unwrap_dest(m, &s, &dest);
	/* sdk.scm matches every call and construction: only catalogued clients, and functions
	 * of dependencies whose summary says they reach the network, go on */
	if (!strcmp(s.category, "sdk")) {
		const char *callee = s.has_callee ? callee_name(m, s.callee) : NULL;
		in.lib = catalog_find(m->grammar, callee);
		/* the summary was read from the installed version's code, the catalog from a
		 * pinned one: with a default host of its own it is the better witness */
		if ((in.sum = summary_find(m->env->summaries, callee)) && (!in.lib || in.sum->lib.default_url))
			in.lib = &in.sum->lib;
		else
			in.sum = NULL;
		if (!in.lib)
			return;
		snprintf(s.category_buf, sizeof s.category_buf, "%s", in.lib->category);
	}
	/* one record per call and category: a pattern with a separate port capture is the
	 * more specific reading of the same call and replaces a general one */
	size_t replace = (size_t)-1;
	for (size_t i = m->out->sites.len; i > 0 && i + 8 > m->out->sites.len; i--) {
		const struct call_site *o = &m->out->sites.items[i - 1];
		if (o->line == ts_node_start_point(s.call).row + 1 + m->line_offset &&
		    o->column == ts_node_start_point(s.call).column + 1 && strcmp(o->category, s.category) == 0 &&
		    !o->in_dyncode) {
			if (!s.has_port || o->port)
				return;
			replace = i - 1;
			break;
		}
	}
	site.category = arena_strdup(m->arena, s.category);
	site.role = arena_strdup(m->arena, s.role);
	eval_reset(m);
	if (s.has_callee) {
		site.api = eval_callee_name(m, s.callee, &in.base);
	}
	if (!site.api)
		site.api = strcmp(s.category, "dynimport") == 0 ? "import" : node_text(m, s.callee, 80);
	site.line = ts_node_start_point(s.call).row + 1 + m->line_offset;
	site.column = ts_node_start_point(s.call).column + 1;
	site.expression = node_text(m, s.dest.id ? s.dest : child(m, s.call, F_ARGUMENTS), 240);
	site.snippet = line_text(m, s.call);
	if (m->dyncode_depth) {
		site.in_dyncode = true;
		site.line = m->line_offset;
		site.column = 0;
		site.context = m->dyncode_via;
	} else {
		site.context = context_of(m, s.call);
		if (!strncmp(site.context, "fn:", 3))
			site.tool_case = tool_case_of(m, s.call);
	}
	if (!evaluate_site(m, &s, &in, dest, port, &site))
		return;
	if (strcmp(site.category, "dyncode") == 0)
		analyse_code_string(m, &site);
	if (replace == (size_t)-1 && keep_per_caller(m, &s, &in, &site))
		return;
	keep_site(m, &site, replace);
}

static void record_url(struct module *m, const struct compiled_query *q, const TSQueryMatch *match)
{
	struct url_literal u;

	/* URL strings are listed for the server's own code only, and a few per file */
	if (m->dyncode_depth || m->out->package || m->out->urls.len >= 32 || match->capture_count < 1)
		return;
	u.url = arena_strdup(m->out->arena, node_text(m, match->captures[0].node, 300));
	u.line = ts_node_start_point(match->captures[0].node).row + 1;
	vec_push(&m->out->urls, u);
}

/* ---- the call graph: who calls which named function, from where ---- */

static bool same_case(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Whether name is a function this file defines (a declaration, a function-valued
 * binding, or a method): calls to anything else lead nowhere in the call graph. */
static bool defines_function(struct module *m, const struct named_nodes *d, const char *name)
{
	const struct named_nodes *methods = name_table_get(&m->calls, name);

	if (methods && methods->decls.len)
		return true;
	for (size_t k = 0; d && k < d->decls.len; k++) {
		const struct decl *x = &d->decls.items[k];
		if (x->kind == DK_FUNCTION || x->kind == DK_CLASS ||
		    ((x->kind == DK_VAR || x->kind == DK_ASSIGN) && x->has_value && is_function_node(m, x->value)))
			return true;
	}
	return false;
}

static void record_edges(struct module *m)
{
	for (size_t i = 0; i < m->calls.cap; i++) {
		struct named_nodes *e = &m->calls.slots[i];
		struct named_nodes *d;
		const char *module = NULL, *name;
		size_t first;
		if (!e->name || !e->nodes.len)
			continue;
		name = e->name;
		d = name_table_get(&m->decls, e->name);
		for (size_t k = 0; d && k < d->decls.len; k++) {
			if (d->decls.items[k].kind == DK_IMPORT_NAME) {
				module = eval_local_module(m, d->decls.items[k].module);
				name = d->decls.items[k].import_name;
			}
		}
		if (!module && !defines_function(m, d, e->name))
			continue;
		module = arena_strdup(m->arena, module);
		name = arena_strdup(m->arena, name);
		first = m->out->edges.len;
		for (size_t k = 0; k < e->nodes.len && k < 64; k++) {
			struct call_edge edge = {context_of(m, e->nodes.items[k]), module, name, NULL};
			bool seen = false;
			if (!strncmp(edge.from, "fn:", 3))
				edge.tool_case = tool_case_of(m, e->nodes.items[k]);
			for (size_t j = first; j < m->out->edges.len && !seen; j++)
				seen = strcmp(m->out->edges.items[j].from, edge.from) == 0 &&
				       same_case(m->out->edges.items[j].tool_case, edge.tool_case);
			if (!seen && m->out->edges.len < 100000)
				vec_push(&m->out->edges, edge);
		}
	}
}

/* ---- syntax errors ---- */

static void count_errors(struct module *m, TSNode root)
{
	TSTreeCursor cur;
	unsigned visited = 0;

	if (!ts_node_has_error(root))
		return;
	cur = ts_tree_cursor_new(root);
	for (;;) {
		TSNode n = ts_tree_cursor_current_node(&cur);
		if (++visited > 200000)
			break;
		if (ts_node_is_error(n) || ts_node_is_missing(n)) {
			if (!m->out->error_line)
				m->out->error_line = ts_node_start_point(n).row + 1;
			m->out->error_count++;
		} else if (ts_node_has_error(n) && ts_tree_cursor_goto_first_child(&cur)) {
			continue;
		}
		if (!cursor_skip_subtree(&cur))
			break;
	}
	ts_tree_cursor_delete(&cur);
}

/* ---- driving the queries ---- */

/* One query pass over a file's tree, in pieces around its wide nodes, under its budget. */
struct matching {
	struct module *m;
	const struct compiled_query *q;
	TSQueryCursor *cursor;
	struct budget *budget;
	bool index;
};

static void take_match(struct matching *mt, const TSQueryMatch *match)
{
	struct module *m = mt->m;
	const char *tag;

	if (!mt->index)
		m->arena = m->scratch;
	if (query_match_ok(mt->q, match, m->src, resolves_to, m, &tag)) {
		if (mt->index)
			index_match(m, mt->q, match);
		else if (match->capture_count &&
			 strncmp(query_capture_name(mt->q, match->captures[0].index), "url.", 4) == 0)
			record_url(m, mt->q, match);
		else
			record_sink(m, mt->q, match, tag);
	}
	if (!mt->index) {
		m->arena = m->index_arena;
		arena_reset(m->scratch);
	}
}

/* Match the query over the subtree n; false once the budget is spent. */
static bool match_piece(void *ctx, TSNode n)
{
	struct matching *mt = ctx;
	TSQueryCursorOptions options = budget_query_options(mt->budget);
	TSQueryMatch match;

	if (budget_spent(mt->budget))
		return false;
	ts_query_cursor_exec_with_options(mt->cursor, mt->q->query, n, &options);
	while (ts_query_cursor_next_match(mt->cursor, &match))
		take_match(mt, &match);
	if (ts_query_cursor_did_exceed_match_limit(mt->cursor))
		mt->m->out->matches_dropped = true;
	return !mt->budget->spent;
}

/* Returns false when the pass stopped early (budget spent or too many pieces). */
static bool run_query(struct module *m, const struct compiled_query *q, TSNode root, bool index,
		      struct budget *budget, const struct wide_list *wide)
{
	struct matching mt = {m, q, ts_query_cursor_new(), budget, index};
	bool whole;

	if (!mt.cursor)
		return false;
	ts_query_cursor_set_match_limit(mt.cursor, QUERY_MATCH_LIMIT);
	/* query matching slows down quadratically on hostile nesting: patterns start at
	 * most this deep, and deeper files are recorded as incomplete (wide_find says) */
	ts_query_cursor_set_max_start_depth(mt.cursor, QUERY_MAX_START_DEPTH);
	whole = wide_pieces(root, wide, match_piece, &mt);
	ts_query_cursor_delete(mt.cursor);
	return whole;
}

/* 1-based line of byte offset in src. */
static unsigned line_at(const char *src, size_t len, size_t offset)
{
	unsigned line = 1;

	for (size_t i = 0; i < offset && i < len; i++)
		line += src[i] == '\n';
	return line;
}

/* The source as tree-sitter's input: ts_parser_parse_string has no options. */
struct source_text {
	const char *src;
	uint32_t len;
};

static const char *read_source(void *payload, uint32_t byte, TSPoint position, uint32_t *bytes_read)
{
	const struct source_text *t = payload;

	(void)position;
	*bytes_read = byte < t->len ? t->len - byte : 0;
	return byte < t->len ? t->src + byte : "";
}

/* Parse under the file's parse budget. NULL with why filled when it failed or ran out. */
static TSTree *parse(TSParser *parser, enum grammar g, const char *src, size_t len, char *why, size_t whylen)
{
	struct budget budget;
	TSParseOptions options = budget_parse_options(&budget);
	struct source_text text = {src, (uint32_t)len};
	TSInput input = {&text, read_source, TSInputEncodingUTF8, NULL};
	TSTree *tree;

	if (!ts_parser_set_language(parser, grammar_ts_language(g))) {
		snprintf(why, whylen, "the %s grammar could not be loaded", grammar_name(g));
		return NULL;
	}
	budget_start(&budget, budget_for(PARSE_BUDGET_BASE, len));
	tree = ts_parser_parse_with_options(parser, NULL, input, options);
	if (tree)
		return tree;
	/* a cancelled parse would otherwise resume on the parser's next file */
	ts_parser_reset(parser);
	if (budget.spent && budget.by_time)
		snprintf(why, whylen, "the parse budget's time ceiling (%.1f s of CPU time for %zu KB) was reached "
			 "at line %u", budget.ceiling_ms / 1000.0, (len + 1023) / 1024, line_at(src, len, budget.offset));
	else if (budget.spent)
		snprintf(why, whylen, "the parse budget (%llu units of work for %zu KB) ran out at line %u",
			 (unsigned long long)budget.allowance, (len + 1023) / 1024, line_at(src, len, budget.offset));
	else
		snprintf(why, whylen, "the parser gave up");
	return NULL;
}

/* After the queries: which of the file's budgets and caps were hit. */
static void record_limits(struct module *m, const struct budget *query_budget, const struct wide_list *wide,
			  bool pieces_capped)
{
	struct file_result *out = m->out;

	if (query_budget->spent) {
		out->query_budget = query_budget->allowance;
		out->query_ceiling_ms = query_budget->by_time ? query_budget->ceiling_ms : 0;
		out->query_stop_line = line_at(m->src, m->len, query_budget->offset);
	}
	if (wide->n) {
		out->wide_nodes = (unsigned)wide->n;
		out->wide_line = ts_node_start_point(wide->nodes[0]).row + 1;
		out->wide_run = wide->longest_run;
	}
	out->pieces_capped |= pieces_capped && !query_budget->spent;
	if (arena_failed(m->scratch) || arena_failed(m->index_arena) || arena_failed(out->arena))
		out->memory_cap = arena_cap(m->scratch);
}

static void free_tables(struct module *m)
{
	struct name_table *tables[] = {&m->decls, &m->calls};

	for (size_t t = 0; t < 2; t++) {
		for (size_t i = 0; i < tables[t]->cap; i++) {
			vec_free(&tables[t]->slots[i].nodes);
			vec_free(&tables[t]->slots[i].decls);
		}
		free(tables[t]->slots);
	}
	vec_free(&m->tools);
	vec_free(&m->pending_exports);
	vec_free(&m->functions);
	vec_free(&m->classes);
	vec_free(&m->url_writes);
}

static enum analyze_status analyze_inner(struct analysis_env *env, enum grammar g, const char *src,
					 size_t len, struct file_result *out, char *why, size_t whylen,
					 const struct call_site *dyn_parent, struct module *parent, int dyn_depth)
{
	const struct query_set *qs = &env->queries[g];
	struct module m = {0};
	struct budget query_budget;
	struct wide_list *wide;
	bool whole = true;
	TSTree *tree;
	TSNode root;

	tree = parse(env->parser, g, src, len, why, whylen);
	if (!tree)
		return ANALYZE_PARSE_FAILED;
	root = ts_tree_root_node(tree);
	m.out = out;
	m.scratch = arena_new();
	m.index_arena = arena_new();
	m.arena = m.index_arena;
	wide = malloc(sizeof *wide);
	if (!m.scratch || !m.index_arena || !wide) {
		free(wide);
		arena_free(m.scratch);
		arena_free(m.index_arena);
		ts_tree_delete(tree);
		snprintf(why, whylen, "out of memory");
		return ANALYZE_NOMEM;
	}
	m.src = src;
	m.len = len;
	m.grammar = g;
	m.js = grammar_is_js(g);
	m.tree = tree;
	m.rel = out->rel;
	m.env = env;
	m.local_modules = env->local_modules;
	m.fields = eval_dispatch_fields(env->dispatch[g]);
	m.dyncode_depth = dyn_depth;
	m.parent = parent;
	if (dyn_parent) {
		m.line_offset = dyn_parent->line;
		m.dyncode_via = dyn_parent->context;
	} else {
		count_errors(&m, root);
	}
	wide_find(root, QUERY_MAX_START_DEPTH, wide);
	if (!dyn_parent)
		out->too_deep = wide->too_deep;
	budget_start(&query_budget, budget_for(QUERY_BUDGET_BASE, len));
	for (size_t i = 0; i < qs->nqueries; i++)
		if (qs->queries[i].phase == QUERY_INDEX)
			whole &= run_query(&m, &qs->queries[i], root, true, &query_budget, wide);
	index_finish(&m);
	/* the sink pass, unless the file's bytes show it can record nothing (code decoded from
	 * a string is never skipped: its text is not the file's) */
	bool sinks = dyn_parent || !m.js || prefilter_needs_sinks(env->prefilter, src, len, !out->package);
	for (size_t i = 0; sinks && i < qs->nqueries; i++)
		if (qs->queries[i].phase == QUERY_SINK)
			whole &= run_query(&m, &qs->queries[i], root, false, &query_budget, wide);
	if (!dyn_parent) {
		flow_record_calls(&m);
		flow_record_stores(&m);
	}
	m.arena = out->arena;  /* the call graph outlives the tables */
	if (!dyn_parent)
		record_edges(&m);
	record_limits(&m, &query_budget, wide, !whole);
	free(wide);
	free_tables(&m);
	arena_free(m.scratch);
	arena_free(m.index_arena);
	ts_tree_delete(tree);
	return ANALYZE_OK;
}

enum analyze_status analyze_source(struct analysis_env *env, enum grammar g, const char *src, size_t len,
				   struct file_result *out, char *why, size_t whylen)
{
	return analyze_inner(env, g, src, len, out, why, whylen, NULL, NULL, 0);
}
