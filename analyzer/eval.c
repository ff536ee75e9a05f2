/* The partial evaluator: follows bindings, imports, fields, parameters and return values,
 * and applies the string operations and decoders that hide a destination. Every walk is
 * bounded by EVAL_MAX_DEPTH and EVAL_MAX_STEPS. */
#include "analyzer/eval.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyze.h"
#include "analyzer/decode.h"
#include "analyzer/flow.h"
#include "analyzer/lang.h"
#include "analyzer/launch.h"
#include "analyzer/tool_defaults.h"
#include "analyzer/url_mutation.h"
#include "core/embedded.h"
#include "core/secret_env.h"

typedef struct value *(*eval_fn)(struct module *m, TSNode n);
typedef struct value *(*builtin_fn)(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt);

#define PATH_TEXT_MAX 2048
#define MAX_ARGS EVAL_MAX_ARGS

static struct value *eval_call(struct module *m, TSNode n);
static struct value *member_of(struct module *m, struct value *obj, const char *key, TSNode at);

void eval_reset(struct module *m)
{
	/* Every call site has EVAL_MAX_STEPS; the whole file has a budget too, so hostile
	 * code cannot make each of a million calls use all of theirs. Past it, call sites get
	 * a few steps each (literals still resolve) and the file is marked incomplete. */
	m->file_steps += m->steps - m->steps_start;
	if (!m->budget_spent && m->file_steps > EVAL_FILE_STEPS + EVAL_STEPS_PER_BYTE * (unsigned long)m->len) {
		m->budget_spent = true;
		m->out->budget_spent = true;
	}
	m->steps = m->budget_spent ? EVAL_MAX_STEPS - EVAL_CALLEE_STEPS : 0;
	m->steps_start = m->steps;
	m->depth = 0;
}

/* A bound was hit while evaluating n: say so (once per file), or, naming a callee, that
 * the full budget should decide. */
static void note_limit(struct module *m, TSNode n)
{
	m->limits++;
	if (m->quick)
		m->quick_exhausted = true;
	else if (!m->out->limit_hit) {
		m->out->limit_hit = true;
		m->out->limit_line = ts_node_start_point(n).row + 1;
	}
}

static struct value *limit(struct module *m, TSNode n, enum bound b)
{
	note_limit(m, n);
	return value_bounded(m->arena, value_hole(m->arena, "…", 3, VF_LIMIT), BOUND_BIT(b), true);
}

static struct value *hole_of(struct module *m, TSNode n, unsigned flags)
{
	const char *t = node_text(m, n, 120);

	return value_hole(m->arena, t, strlen(t), flags | VF_COMPUTED);
}

/* A hole carrying src's taint (flags under mask) and the secret variable with it. */
static struct value *hole_from(struct module *m, TSNode n, const struct value *src, unsigned mask)
{
	struct value *v = hole_of(m, n, src->flags & mask);

	if (src->flags & mask & VF_SECRET)
		value_merge_secret(v, src);
	return v;
}

static struct value *key_hole(struct module *m, const char *key, const struct value *src, unsigned mask)
{
	struct value *v = value_hole(m->arena, key, strlen(key), src->flags & mask);

	if (src->flags & mask & VF_SECRET)
		value_merge_secret(v, src);
	return v;
}

static unsigned line_of(struct module *m, TSNode n)
{
	return ts_node_start_point(n).row + 1 + m->line_offset;
}

/* "src/a.js:3: const t = process.env.X" for taint chains: the whole source line, capped. */
static const char *chain_step(struct module *m, TSNode n)
{
	uint32_t a = ts_node_start_byte(n), b = a;
	char buf[200];

	while (a > 0 && m->src[a - 1] != '\n' && ts_node_start_byte(n) - a < 100)
		a--;
	while (b < m->len && m->src[b] != '\n' && b - a < 140)
		b++;
	while (a < b && isspace((unsigned char)m->src[a]))
		a++;
	snprintf(buf, sizeof buf, "%s:%u: %.*s", m->rel, line_of(m, n), (int)(b - a), m->src + a);
	return arena_strdup(m->arena, buf);
}

/* ---- knowledge lists ---- */

static bool list_match(const char *list_name, const char *s, bool glob, bool substring)
{
	const struct embedded_file *f = embedded_find(embedded_data, list_name);
	const char *p, *end;
	char line[256];

	if (!f)
		return false;
	for (p = (const char *)f->bytes; *p; p = *end ? end + 1 : end) {
		size_t n;
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		n = (size_t)(end - p);
		if (n == 0 || *p == '#' || n >= sizeof line)
			continue;
		memcpy(line, p, n);
		line[n] = '\0';
		if ((glob && fnmatch(line, s, 0) == 0) || (substring && strstr(s, line)) ||
		    (!glob && !substring && strcmp(line, s) == 0))
			return true;
	}
	return false;
}

bool eval_is_credential_path(const char *path)
{
	return list_match("analyzer/data/credential_paths.txt", path, false, true);
}

/* ---- small helpers ---- */

static size_t call_args(struct module *m, TSNode call, TSNode *out)
{
	TSNode args = child(m, call, F_ARGUMENTS);

	if (node_is(call, "array"))  /* retry(fn, [a, b]): fn's arguments (calls.scm) */
		return named_children(call, out, MAX_ARGS);
	if (ts_node_is_null(args))
		return 0;
	if (!node_is(args, "arguments") && !node_is(args, "argument_list")) {
		out[0] = args;  /* a template literal tag call: f`...` */
		return 1;
	}
	return named_children(args, out, MAX_ARGS);
}

TSNode eval_await_operand(struct module *m, TSNode n)
{
	TSNode args[MAX_ARGS], none = {0};
	size_t k;

	if (!m->js || !node_is(n, "call_expression") || !node_text_eq(m, child(m, n, F_FUNCTION), "await") ||
	    name_table_get(&m->decls, "await") || (k = call_args(m, n, args)) == 0)
		return none;
	return args[k - 1];  /* await (0, mod.fn): the parentheses' comma list is read as the arguments */
}

/* Positional argument i (keyword arguments are not positional). */
static bool positional(TSNode *args, size_t n, size_t i, TSNode *out)
{
	size_t k = 0;

	for (size_t j = 0; j < n; j++) {
		if (node_is(args[j], "keyword_argument"))
			continue;
		if (k++ == i) {
			*out = args[j];
			return true;
		}
	}
	return false;
}

static bool keyword(struct module *m, TSNode *args, size_t n, const char *name, TSNode *out)
{
	for (size_t j = 0; j < n; j++) {
		if (node_is(args[j], "keyword_argument") &&
		    node_text_eq(m, child(m, args[j], F_NAME), name)) {
			*out = child(m, args[j], F_VALUE);
			return true;
		}
	}
	return false;
}

static struct value *arg_value(struct module *m, TSNode *args, size_t n, size_t i)
{
	TSNode a;

	return positional(args, n, i, &a) ? eval_node(m, a) : NULL;
}

static const char *const_arg(struct module *m, TSNode *args, size_t n, size_t i)
{
	struct value *v = arg_value(m, args, n, i);

	return v ? value_constant(m->arena, v) : NULL;
}

static struct value *decoded(struct module *m, const char *text, long len, const char *by,
			     const struct value *from)
{
	struct value *v;

	if (len < 0 || !decode_is_text(text, (size_t)len))
		return NULL;
	v = value_text(m->arena, text, (size_t)len);
	value_absorb(m->arena, v, from);
	v->flags |= VF_DECODED;
	if (!v->decoded_by)
		v->decoded_by = by;
	return v;
}

/* Pass the taint and provenance of every argument through an unknown result. */
static struct value *opaque_call(struct module *m, TSNode call, TSNode *args, size_t nargs)
{
	struct value *v = hole_of(m, call, 0);

	/* new Client(token) is an object holding the secret, not the secret: what its
	 * methods return is not tainted by it (sending it is seen at the call that does) */
	if (node_is(call, "new_expression"))
		return v;

	for (size_t i = 0; i < nargs; i++) {
		struct value *a = eval_node(m, args[i]);
		if (a->flags & (VF_TAINT | VF_USER))
			value_absorb(m->arena, v, a);
		if (a->kind == VAL_ENVOBJ)
			v->flags |= VF_ENVDUMP;
	}
	v->flags &= ~(unsigned)(VF_DECODED | VF_ENV);
	return v;
}

/* ---- module names ---- */

/* Resolve "." and ".." in a relative path, in place ("a/./b/../c" -> "a/c"). */
static void normalise_path(char *p, size_t cap)
{
	char *parts[128], *save = NULL, buf[PATH_TEXT_MAX];
	size_t n = 0, len = 0;

	snprintf(buf, sizeof buf, "%s", p);
	for (char *s = strtok_r(buf, "/", &save); s && n < 128; s = strtok_r(NULL, "/", &save)) {
		if (strcmp(s, ".") == 0 || !*s)
			continue;
		if (strcmp(s, "..") == 0) {
			if (n)
				n--;
			continue;
		}
		parts[n++] = s;
	}
	p[0] = '\0';
	for (size_t i = 0; i < n && len < cap; i++)
		len += (size_t)snprintf(p + len, cap - len, "%s%s", i ? "/" : "", parts[i]);
}

static void strip_suffix(char *p, const char *suffix)
{
	size_t a = strlen(p), b = strlen(suffix);

	if (a > b && strcmp(p + a - b, suffix) == 0)
		p[a - b] = '\0';
}

/* Python's "..pkg.mod" relative to dir: one ".." per dot after the first. */
static void python_module_path(const char *dir, const char *spec, char *path, size_t cap)
{
	size_t dots = strspn(spec, "."), len;

	len = (size_t)snprintf(path, cap, "%s", dir);
	for (size_t i = 1; i < dots && len < cap; i++)
		len += (size_t)snprintf(path + len, cap - len, "/..");
	if (len < cap)
		len += (size_t)snprintf(path + len, cap - len, "/%s", spec + dots);
	for (char *c = path + (len < cap ? len : cap - 1) - strlen(spec + dots); c >= path && *c; c++)
		if (*c == '.')
			*c = '/';
}

/* "file:<path relative to root, no extension>" for a module of this server, else NULL. */
static const char *local_module(struct module *m, const char *spec)
{
	char path[PATH_TEXT_MAX], dir[PATH_TEXT_MAX / 2];
	const char *slash = strrchr(m->rel, '/');
	char *r;

	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - m->rel) : 0, m->rel);
	if (m->js) {
		if (strncmp(spec, "./", 2) != 0 && strncmp(spec, "../", 3) != 0 && strcmp(spec, ".") != 0)
			return NULL;
		snprintf(path, sizeof path, "%.*s/%.*s", 900, dir, 900, spec);
	} else if (spec[0] == '.') {
		python_module_path(dir, spec, path, sizeof path);
	} else {
		/* an absolute import is ours only when the file is in the tree */
		char mod[PATH_TEXT_MAX / 2];
		snprintf(mod, sizeof mod, "%s", spec);
		for (char *c = mod; *c; c++)
			if (*c == '.')
				*c = '/';
		snprintf(path, sizeof path, "%.*s/%.*s", 900, dir, 900, mod);
		normalise_path(path, sizeof path);
		if (!m->local_modules || (!name_table_get(m->local_modules, path) &&
					  !name_table_get(m->local_modules, mod)))
			return NULL;
		if (!name_table_get(m->local_modules, path))
			snprintf(path, sizeof path, "%s", mod);
	}
	normalise_path(path, sizeof path);
	path[strlen(path) - lang_suffix_len(path)] = '\0';
	strip_suffix(path, "/index");
	strip_suffix(path, "/__init__");
	if (!strcmp(path, "index") || !strcmp(path, "__init__"))
		path[0] = '\0';
	r = arena_alloc(m->arena, strlen(path) + 6);
	if (r)
		snprintf(r, strlen(path) + 6, "file:%s", path);
	return r;
}

static struct value *module_value(struct module *m, const char *spec)
{
	const char *local;

	if (!spec)
		return value_unknown(m->arena, "module");
	if (strncmp(spec, "node:", 5) == 0)
		spec += 5;
	local = local_module(m, spec);
	return value_module(m->arena, local ? local : spec);
}

/* Module specifier text without quotes. */
static const char *unquote(struct module *m, const char *s)
{
	size_t n;

	if (!s)
		return "";
	n = strlen(s);

	if (n >= 2 && (s[0] == '"' || s[0] == '\'' || s[0] == '`') && s[n - 1] == s[0])
		return arena_strndup(m->arena, s + 1, n - 2);
	return s;
}

/* ---- strings ---- */

static size_t js_escape(const char *s, size_t n, char *out)
{
	unsigned long cp;
	char *end;

	if (n < 2)
		return 0;
	switch (s[1]) {
	case 'n': out[0] = '\n'; return 1;
	case 't': out[0] = '\t'; return 1;
	case 'r': out[0] = '\r'; return 1;
	case '0': out[0] = '\0'; return 0;
	case 'x':
		cp = strtoul((char[3]){n > 2 ? s[2] : 0, n > 3 ? s[3] : 0, 0}, &end, 16);
		break;
	case 'u':
		if (n > 2 && s[2] == '{')
			cp = strtoul(s + 3, &end, 16);
		else {
			char hex[5] = {0};
			memcpy(hex, s + 2, n - 2 < 4 ? n - 2 : 4);
			cp = strtoul(hex, &end, 16);
		}
		break;
	case '\n':
		return 0;
	default:
		out[0] = s[1];
		return 1;
	}
	if (cp < 0x80) {
		out[0] = (char)cp;
		return cp ? 1 : 0;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	return 0;
}

static void append_escape(struct module *m, struct value *v, TSNode esc)
{
	const char *t = node_text(m, esc, 16);
	char out[4];
	size_t k = js_escape(t, strlen(t), out);

	if (k)
		*v = *value_concat(m->arena, v, value_text(m->arena, out, k));
}

/* String and template literals of both languages: text, escapes and substitutions. */
static struct value *eval_string(struct module *m, TSNode n)
{
	struct value *v = value_text(m->arena, "", 0);
	uint32_t k = ts_node_child_count(n);
	bool raw = false;

	for (uint32_t i = 0; i < k; i++) {
		TSNode c = ts_node_child(n, i);
		const char *t = ts_node_type(c);
		if (strcmp(t, "string_start") == 0) {
			raw = strpbrk(node_text(m, c, 8), "rR") != NULL;
		} else if (strcmp(t, "string_fragment") == 0 || strcmp(t, "string_content") == 0) {
			uint32_t nk = ts_node_named_child_count(c);
			if (nk == 0 || raw) {
				/* one byte past the cap, so that value_text sees the cut and says so */
				const char *s = node_text(m, c, VALUE_MAX_TEXT + 1);
				v = value_concat(m->arena, v, value_text(m->arena, s, strlen(s)));
				continue;
			}
			/* Python string_content holds its escape sequences as children */
			uint32_t pos = ts_node_start_byte(c);
			for (uint32_t j = 0; j < nk; j++) {
				TSNode e = ts_node_named_child(c, j);
				uint32_t es = ts_node_start_byte(e);
				if (es > pos)
					v = value_concat(m->arena, v, value_text(m->arena, m->src + pos, es - pos));
				if (node_is(e, "escape_sequence"))
					append_escape(m, v, e);
				pos = ts_node_end_byte(e);
			}
			if (ts_node_end_byte(c) > pos)
				v = value_concat(m->arena, v,
						 value_text(m->arena, m->src + pos, ts_node_end_byte(c) - pos));
		} else if (strcmp(t, "escape_sequence") == 0) {
			append_escape(m, v, c);
		} else if (strcmp(t, "template_substitution") == 0 || strcmp(t, "interpolation") == 0) {
			TSNode e = ts_node_named_child(c, 0);
			v = value_concat(m->arena, v, eval_node(m, e));
		}
	}
	return v;
}

static struct value *eval_concatenated(struct module *m, TSNode n)
{
	struct value *v = value_text(m->arena, "", 0);
	TSNode kids[VALUE_MAX_PARTS + 1];
	size_t k = named_children(n, kids, VALUE_MAX_PARTS + 1);

	for (size_t i = 0; i < k && i < VALUE_MAX_PARTS; i++)
		v = value_concat(m->arena, v, eval_node(m, kids[i]));
	return k > VALUE_MAX_PARTS ? value_bounded(m->arena, v, BOUND_BIT(BOUND_PARTS), false) : v;
}

static struct value *eval_number(struct module *m, TSNode n)
{
	const char *t = node_text(m, n, 40);
	struct value *v = value_text(m->arena, t, strlen(t));

	v->kind = VAL_NUMBER;
	return v;
}

/* ---- names ---- */

static const char *const js_globals[] = {
	"fetch", "WebSocket", "EventSource", "XMLHttpRequest", "eval", "Function", "atob", "btoa",
	"Buffer", "String", "JSON", "Object", "process", "require", "decodeURIComponent", "decodeURI",
	"encodeURIComponent", "encodeURI", "unescape", "escape", "URL", "Request", "Array", "Map",
	"__importDefault", "__importStar", "_interopRequireDefault", "globalThis", "window", "self", "global", "navigator",
	NULL};
static const char *const py_globals[] = {
	"exec", "eval", "compile", "open", "__import__", "getattr", "bytes", "bytearray", "chr", "str",
	"repr", "dict", "map", "list", "tuple", "int", NULL};

static struct value *global_value(struct module *m, const char *name)
{
	for (const char *const *g = m->js ? js_globals : py_globals; *g; g++)
		if (strcmp(*g, name) == 0)
			return value_module(m->arena, name);
	return NULL;
}

/* Which declaration of a name is in force at byte pos: the innermost scope, and in it
 * the last binding before pos (else the first one after: hoisting, later definitions). */
/* `let x;` and `x = None` (module.c's add_decl decides it once per binding) */
static bool weak_binding(const struct decl *d)
{
	return d->weak;
}

static const struct decl *pick_decl(const struct named_nodes *e, uint32_t pos, bool allow_weak);

static const struct decl *best_decl(const struct named_nodes *e, uint32_t pos, TSNode at)
{
	const struct decl *d = pick_decl(e, pos, false);

	(void)at;
	return d ? d : pick_decl(e, pos, true);
}

static const struct decl *pick_decl(const struct named_nodes *e, uint32_t pos, bool allow_weak)
{
	const struct decl *best = NULL;

	for (size_t i = 0; i < e->decls.len; i++) {
		const struct decl *d = &e->decls.items[i];
		if (pos < d->scope_start || pos >= d->scope_end || d->kind == DK_STORE)
			continue;
		if (!allow_weak && weak_binding(d))
			continue;
		if (d->has_value && ts_node_start_byte(d->value) <= pos && pos < ts_node_end_byte(d->value) &&
		    d->kind != DK_FUNCTION && d->kind != DK_CLASS && d->kind != DK_PARAM)
			continue;  /* x = f(x): not itself */
		if (!best || d->scope_start > best->scope_start) {
			best = d;
			continue;
		}
		if (d->scope_start < best->scope_start)
			continue;
		if (d->pos <= pos && (best->pos > pos || d->pos > best->pos))
			best = d;
	}
	return best;
}

/* Position of a parameter among its function's parameters, counting from 0. */
static int param_index(struct module *m, TSNode fn, TSNode name, bool *has_self)
{
	TSNode params = child(m, fn, F_PARAMETERS);
	uint32_t n;
	int idx = 0;

	*has_self = false;
	if (ts_node_is_null(params)) {
		params = child(m, fn, F_PARAMETER);
		return ts_node_is_null(params) ? -1 : 0;
	}
	TSNode kids[64];
	n = (uint32_t)named_children(params, kids, 64);
	for (uint32_t i = 0; i < n; i++) {
		TSNode p = kids[i];
		if (i == 0 && !m->js && (node_text_eq(m, p, "self") || node_text_eq(m, p, "cls")))
			*has_self = true;
		if (ts_node_start_byte(p) <= ts_node_start_byte(name) && ts_node_end_byte(name) <= ts_node_end_byte(p))
			return idx;
		idx++;
	}
	return -1;
}

static bool contains_dispatch_block(struct module *m, TSNode fn)
{
	uint32_t s = ts_node_start_byte(fn), e = ts_node_end_byte(fn);

	for (size_t i = 0; i < m->tools.len; i++)
		if (m->tools.items[i].block && s <= m->tools.items[i].start && m->tools.items[i].end <= e)
			return true;
	return false;
}

static TSNode function_at(struct module *m, uint32_t start)
{
	return function_starting_at(m, start);
}

/* Callers are followed MAX_CALLER_DEPTH levels deep (analyzer/bounds.h): each level fans out
 * to four call sites. */

/* A value kept for reuse (a variable's initial value, a parameter's value from its
 * callers), made with no frame binding parameters: it then depends only on its node and
 * on the budget left when it was made. One that hit no bound is reused wherever no more
 * caller levels are left than when it was made (it is then at least as complete as
 * evaluating again would give), at no cost in steps. One cut short by a bound is reused
 * only where the steps and depth left are no more than then either, and costs the steps
 * it took and says the bound was hit, as evaluating again would. */
struct kept_value {
	struct value *v;        /* in the index arena; NULL: nothing found */
	unsigned cost;          /* steps it took */
	unsigned steps_left, depth_left, callers_left; /* the budget when it was made */
	bool limited;           /* a bound was hit while making it */
};

static bool reuse_kept(struct module *m, const struct kept_value *k, TSNode at, struct value **out)
{
	if (MAX_CALLER_DEPTH - m->caller_depth > k->callers_left)
		return false;  /* more caller levels now: evaluate again */
	if (k->limited) {
		if (EVAL_MAX_STEPS - m->steps > k->steps_left || EVAL_MAX_DEPTH - m->depth > k->depth_left)
			return false;
		note_limit(m, at);
		m->steps = m->steps + k->cost > EVAL_MAX_STEPS ? EVAL_MAX_STEPS + 1 : m->steps + k->cost;
	}
	*out = k->v;
	return true;
}

/* The budget at the start of an evaluation to keep: kept_value_made records it. */
struct kept_start {
	unsigned steps, depth, caller_depth, limits;
};

static struct kept_start kept_start(const struct module *m)
{
	return (struct kept_start){m->steps, m->depth, m->caller_depth, m->limits};
}

static void kept_value_made(struct module *m, struct kept_value *k, struct value *v, struct kept_start st)
{
	*k = (struct kept_value){v ? value_copy(m->index_arena, v) : NULL, m->steps - st.steps,
				 EVAL_MAX_STEPS - st.steps, EVAL_MAX_DEPTH - st.depth,
				 MAX_CALLER_DEPTH - st.caller_depth, m->limits != st.limits};
}

/* Parameter values found through callers, per (function, position): every use of a
 * parameter would otherwise evaluate all its callers' arguments again, at every level
 * of the callers' own parameters. */
#define MEMO_SLOTS 1024

struct param_memo {
	uint64_t key[MEMO_SLOTS];
	struct kept_value value[MEMO_SLOTS];
};

static struct kept_value *memo_slot(struct module *m, uint32_t fn_start, int idx, bool *hit)
{
	uint64_t key = ((uint64_t)fn_start << 8 | (uint64_t)(idx & 0xff)) + 1;
	size_t i = (size_t)(key * 0x9e3779b97f4a7c15ull) % MEMO_SLOTS;

	*hit = false;
	if (!m->memo && !(m->memo = arena_alloc(m->index_arena, sizeof *m->memo)))
		return NULL;
	for (size_t probe = 0; probe < 8; probe++, i = (i + 1) % MEMO_SLOTS) {
		if (m->memo->key[i] == key) {
			*hit = true;
			return &m->memo->value[i];
		}
		if (!m->memo->key[i]) {
			m->memo->key[i] = key;
			return &m->memo->value[i];
		}
	}
	return NULL;  /* full around here: do without */
}

/* The name callers use for fn: its own, or its class's for a constructor. */
static const char *callee_name_of(struct module *m, TSNode fn)
{
	const char *name = function_name(m, fn);
	bool ctor = node_is(fn, "method_definition") &&
		    node_text_eq(m, child(m, fn, F_NAME), "constructor");

	if (ctor || (!m->js && name && strcmp(name, "__init__") == 0)) {
		TSNode cls = enclosing_class(m, fn);
		TSNode cname = child(m, cls, F_NAME);
		/* var x = class { ... } */
		if (ts_node_is_null(cname) && !ts_node_is_null(cls) && node_is(ts_node_parent(cls), "variable_declarator"))
			cname = child(m, ts_node_parent(cls), F_NAME);
		name = node_text(m, cname, 200);
		return *name ? name : NULL;
	}
	return name;
}

/* Objects whose methods share names with a server's own (get, set, append): a call
 * through one is never a call of the server's method. response.headers.get('content-type')
 * is not HubSpotClient.get(path). */
static const char *const builtin_receivers[] = {
	"headers", "searchParams", "params", "query", "cookies", "env", "console", "process", "JSON", "Math",
	"Object", "Reflect", "Promise", "localStorage", "sessionStorage", "URLSearchParams", "os", "path",
	"environ", "sys", NULL,
};

static bool builtin_receiver(struct module *m, TSNode callee)
{
	TSNode obj = child(m, callee, F_OBJECT);
	TSNode last;

	if (ts_node_is_null(obj))
		return false;
	/* the last name of the receiver: headers in response.headers, os in os */
	last = node_is(obj, "member_expression") ? child(m, obj, F_PROPERTY) :
	       node_is(obj, "attribute") ? child(m, obj, F_ATTRIBUTE) : obj;
	if (ts_node_is_null(last) || !(node_is(last, "identifier") || node_is(last, "property_identifier")))
		return false;
	for (const char *const *b = builtin_receivers; *b; b++)
		if (node_text_eq(m, last, *b))
			return true;
	return false;
}

/* Whether a class has a superclass (extends, or Python bases): then this.method() inside
 * it may reach an inherited method of another class. */
static bool has_superclass(struct module *m, TSNode cls)
{
	for (uint32_t i = 0; !ts_node_is_null(cls) && i < ts_node_named_child_count(cls); i++) {
		TSNode c = ts_node_named_child(cls, i);
		if (node_is(c, "class_heritage") || node_is(c, "argument_list"))
			return true;
	}
	(void)m;
	return false;
}

/* this.method(...) (self.method(...)) calls its own class's method: inside another class
 * that extends nothing it is never a call of fn. Two classes of one bundle that both have
 * a request() are not each other's callers. */
static bool other_class_self_call(struct module *m, TSNode callee, TSNode call, TSNode fn)
{
	TSNode obj = child(m, callee, F_OBJECT), mine, theirs;

	if (ts_node_is_null(obj) || !(node_is(obj, "this") || (node_is(obj, "identifier") && node_text_eq(m, obj, "self"))))
		return false;
	mine = enclosing_class(m, fn);
	theirs = enclosing_class(m, call);
	if (ts_node_is_null(mine) || ts_node_is_null(theirs))
		return false;
	return ts_node_start_byte(mine) != ts_node_start_byte(theirs) && !has_superclass(m, theirs);
}

/* The name the object holding fn (a function stored as {key: fn}) is bound to: api in
 * `const api = {send: (u) => fetch(u)}`; a null node when fn is not in an object, or the
 * object is not bound to a plain name (an array element, an argument). */
static TSNode pair_owner(struct module *m, TSNode fn)
{
	TSNode pair = ts_node_parent(fn), obj, bind, name = {0};

	if (!node_is(pair, "pair"))
		return name;
	obj = ts_node_parent(pair);
	bind = ts_node_parent(obj);
	if (node_is(bind, "variable_declarator"))
		name = child(m, bind, F_NAME);
	else if (node_is(bind, "assignment_expression") || node_is(bind, "assignment"))
		name = child(m, bind, F_LEFT);
	return !ts_node_is_null(name) && node_is(name, "identifier") ? name : (TSNode){0};
}

/* A call api.key(...) of a function stored in an object reaches it only through the name
 * that object is bound to: x.key(...) on any other receiver is some other object's key
 * (cache.get(k) is not handlers.get), and an object bound to no name is reached by none. */
static bool other_owner_call(struct module *m, TSNode callee, TSNode owner)
{
	TSNode recv = child(m, callee, F_OBJECT);

	if (ts_node_is_null(recv))
		return false;
	if (ts_node_is_null(owner))
		return true;   /* an unnamed object's key: no receiver is known to hold it */
	return !node_is(recv, "identifier") || !node_text_eq(m, recv, node_text(m, owner, 200));
}

/* Values the callers of fn pass for parameter idx (at most four call sites). */
/* How many callers of a function are read (each level of callers fans out this much). */

size_t eval_local_callers(struct module *m, TSNode fn, TSNode *calls, size_t cap)
{
	const char *name = callee_name_of(m, fn);
	struct named_nodes *e;
	TSNode owner;
	size_t n = 0;
	bool method, stored, ctor = node_is(fn, "method_definition") &&
			    node_text_eq(m, child(m, fn, F_NAME), "constructor");
	bool init = !m->js && name && function_name(m, fn) && strcmp(function_name(m, fn), "__init__") == 0;

	if (!name || !(e = name_table_get(&m->calls, name)))
		return 0;
	method = node_is(fn, "method_definition") || !ts_node_is_null(enclosing_class(m, fn));
	/* a function stored in an object ({send: (u) => fetch(u)}) is also called as api.send(u),
	 * through the name the object is bound to */
	stored = node_is(ts_node_parent(fn), "pair");
	owner = pair_owner(m, fn);
	for (size_t i = 0; i < e->nodes.len && n < cap; i++) {
		TSNode callee = child(m, e->nodes.items[i], F_FUNCTION);
		/* retry(fn, [a, b]) hands a function on by name, with its arguments */
		if (node_is(e->nodes.items[i], "array")) {
			if (!method && !stored)
				calls[n++] = e->nodes.items[i];
			continue;
		}
		/* a function is called by name, a method through an object: requests.get(...)
		 * is not a call of this file's get() */
		if (!ts_node_is_null(callee) && !ctor && !init && node_is(callee, "identifier") == method &&
		    !(stored && !other_owner_call(m, callee, owner)))
			continue;
		/* new ns.Cls(...) names another module's class, not this file's */
		if (ts_node_is_null(callee) && !node_is(child(m, e->nodes.items[i], F_CONSTRUCTOR), "identifier"))
			continue;
		if (method && !ts_node_is_null(callee) &&
		    (builtin_receiver(m, callee) || other_class_self_call(m, callee, e->nodes.items[i], fn)))
			continue;
		calls[n++] = e->nodes.items[i];
	}
	return n;
}

/* Whether fn has callers in its file that the caller depth left unread. */
static bool callers_left_out(struct module *m, TSNode fn)
{
	TSNode one;

	return eval_local_callers(m, fn, &one, 1) > 0;
}

static struct value *from_callers(struct module *m, TSNode fn, int idx, bool has_self, const char *pname)
{
	TSNode calls[MAX_LOCAL_CALLERS + 1];
	size_t ncalls;
	struct value *alt;

	/* one more than is read, to know whether callers were left out */
	if (idx < 0 || (has_self && idx == 0) || !(ncalls = eval_local_callers(m, fn, calls, MAX_LOCAL_CALLERS + 1)))
		return NULL;
	alt = value_new(m->arena, VAL_ALT);
	if (ncalls > MAX_LOCAL_CALLERS) {
		ncalls = MAX_LOCAL_CALLERS;
		alt->bounds |= BOUND_BIT(BOUND_LOCAL_CALLERS);
	}
	for (size_t i = 0; i < ncalls; i++) {
		TSNode args[MAX_ARGS], a;
		size_t n = call_args(m, calls[i], args);
		/* obj.method(a) passes a as the parameter after self; Class(a) too */
		size_t want = (size_t)idx - (has_self ? 1 : 0);
		if (positional(args, n, want, &a) || (pname && keyword(m, args, n, pname, &a)))
			value_push_item(m->arena, alt, eval_node(m, a));
	}
	if (alt->nitems == 0)
		return NULL;
	if (alt->nitems == 1)
		return alt->bounds ? value_bounded(m->arena, alt->items[0], BOUND_BIT(BOUND_LOCAL_CALLERS), false) : alt->items[0];
	return alt;
}

bool eval_bind_caller(struct module *m, TSNode fn, TSNode call, struct frame *f, struct value **vals)
{
	TSNode args[MAX_ARGS];
	size_t n = call_args(m, call, args);

	for (size_t i = 0; i < n; i++) {
		if (node_is(args[i], "keyword_argument") || node_is(args[i], "spread_element") ||
		    node_is(args[i], "list_splat") || node_is(args[i], "dictionary_splat"))
			return false;  /* positions say nothing of which parameter it binds */
		vals[i] = eval_node(m, args[i]);
	}
	f->function_start = ts_node_start_byte(fn);
	f->function = fn;
	f->args = vals;
	f->nargs = n;
	f->next = m->frames;
	m->frames = f;
	return true;
}

void eval_unbind(struct module *m, struct frame *f)
{
	m->frames = f->next;
}

static struct value *destructured(struct module *m, const struct decl *d, struct value *v)
{
	return d->key && d->kind == DK_PARAM && strcmp(d->key, "") ? member_of(m, v, d->key, d->name_node) : v;
}

static bool is_pattern(TSNode n)
{
	return node_is(n, "object_pattern") || node_is(n, "array_pattern") || node_is(n, "pattern_list") ||
	       node_is(n, "tuple_pattern") || node_is(n, "list_pattern");
}

/* A tool handler's parameter: what the caller sends, or the default the parameter or the
 * tool's input schema declares when the caller leaves it out. */
static struct value *tool_argument(struct module *m, const struct decl *d)
{
	struct value *v = value_hole(m->arena, d->name, strlen(d->name), VF_USER);

	if (!ts_node_is_null(d->fallback))
		return tool_default_join_node(m, d->fallback, v);   /* ({url = 'https://...'}) */
	if (d->has_value && !d->key && !is_pattern(d->value))
		return tool_default_join_node(m, d->value, v);      /* def fetch(url: str = "https://...") */
	return tool_default_join(m, d->key && *d->key ? d->key : d->name, v);
}

/* Whether other modules call fn by a name: a function, or a class through its constructor
 * (a method is called through an instance, which names no module). */
static bool called_by_name(struct module *m, TSNode fn)
{
	const char *name = function_name(m, fn);

	if (node_is(fn, "method_definition"))
		return node_text_eq(m, child(m, fn, F_NAME), "constructor");
	if (!m->js && !ts_node_is_null(enclosing_class(m, fn)))
		return name && strcmp(name, "__init__") == 0;
	return name != NULL;
}

/* A method of a named class as other modules call it through an instance: "Cls.method"
 * (flow.c's instance_method), else NULL. */
static const char *method_name(struct module *m, TSNode fn)
{
	TSNode cls = enclosing_class(m, fn);
	const char *name = function_name(m, fn), *cname;
	char *full;
	size_t n;

	if (!name || ts_node_is_null(cls) || !node_is(ts_node_parent(fn), m->js ? "class_body" : "block"))
		return NULL;
	cname = node_text(m, child(m, cls, F_NAME), 200);
	if (!*cname)
		return NULL;
	n = strlen(cname) + strlen(name) + 2;
	if (!(full = arena_alloc(m->arena, n)))
		return NULL;
	snprintf(full, n, "%s.%s", cname, name);
	return full;
}

static struct value *either(struct module *m, struct value *l, struct value *r);

/* import('https').then((m) => m.get(url)): the callback's first parameter is the module
 * (a promise's value is read as the value, as await reads it). NULL otherwise. */
static struct value *then_module(struct module *m, TSNode fn, int idx)
{
	TSNode args, callee;
	struct value *recv;

	if (!m->js || idx != 0 || (!node_is(fn, "arrow_function") && !node_is(fn, "function_expression")) ||
	    !node_is(args = ts_node_parent(fn), "arguments") ||
	    !ts_node_eq(ts_node_named_child(args, 0), fn))
		return NULL;
	callee = child(m, ts_node_parent(args), F_FUNCTION);
	if (!node_is(callee, "member_expression") || !node_text_eq(m, child(m, callee, F_PROPERTY), "then"))
		return NULL;
	recv = eval_node(m, child(m, callee, F_OBJECT));
	return recv->kind == VAL_MODULE ? recv : NULL;
}

/* An argument that may be undefined at run time: an unbound parameter of the caller, or
 * undefined / None itself. */
static bool maybe_left_out(const struct value *v)
{
	if (v->kind != VAL_STRING || v->nparts != 1 || v->parts[0].kind != PART_HOLE)
		return false;
	return (v->flags & VF_PARAM) || v->parts[0].param ||
	       (v->parts[0].len == 9 && !memcmp(v->parts[0].text, "undefined", 9)) ||
	       (v->parts[0].len == 4 && !memcmp(v->parts[0].text, "None", 4));
}

static bool same_param(const struct param_ref *a, const struct param_ref *b)
{
	return a->index == b->index && a->module && b->module && a->function && b->function &&
	       !strcmp(a->module, b->module) && !strcmp(a->function, b->function);
}

static struct value *own_method(struct module *m, TSNode obj, TSNode prop);

/* The name of fn's parameter at position pos (a plain one, or one with a default), or NULL. */
static const char *param_name_at(struct module *m, TSNode fn, size_t pos)
{
	TSNode params = child(m, fn, F_PARAMETERS), kids[64], p;

	if (ts_node_is_null(params))
		return pos == 0 && node_is(p = child(m, fn, F_PARAMETER), "identifier") ? node_text(m, p, 120) : NULL;
	if (named_children(params, kids, 64) <= pos)
		return NULL;
	p = kids[pos];
	if (node_is(p, "required_parameter") || node_is(p, "optional_parameter"))
		p = child(m, p, F_PATTERN);
	if (node_is(p, "assignment_pattern"))
		p = child(m, p, F_LEFT);
	return node_is(p, "identifier") ? node_text(m, p, 120) : NULL;
}

/* The function of this file a call calls: f(...) or this.f(...), or a null node. */
static TSNode local_callee(struct module *m, TSNode call)
{
	TSNode callee = child(m, call, F_FUNCTION);
	struct value *f = NULL;

	if (node_is(callee, "identifier"))
		f = eval_node(m, callee);
	else if (node_is(callee, "member_expression"))
		f = own_method(m, child(m, callee, F_OBJECT), child(m, callee, F_PROPERTY));
	return f && f->kind == VAL_FUNCTION ? function_at(m, f->node_id) : (TSNode){0};
}

/* A function passed as an argument to a function of this file that calls it
 * (withTab(async (t) => t.goto(u)) where withTab(work) runs work(tab); this.guarded((pg)
 * => ...) where guarded(fn) runs fn(this.page)): its parameter idx is the argument that
 * call passes there, read with the outer call's arguments bound to the helper's
 * parameters. The helper's first such call is read; NULL when there is none. */
static struct value *callback_param(struct module *m, TSNode fn, int idx)
{
	TSNode args = ts_node_parent(fn), call, host, outer[MAX_ARGS], inner[MAX_ARGS], a;
	const struct named_nodes *e;
	struct value *vals[MAX_ARGS], *v = NULL;
	struct frame fr = {0};
	const char *pname = NULL;
	size_t n;

	if (!m->js || idx < 0 || !(node_is(fn, "arrow_function") || node_is(fn, "function_expression")) ||
	    !node_is(args, "arguments") || m->caller_depth >= MAX_CALLER_DEPTH)
		return NULL;
	call = ts_node_parent(args);
	n = call_args(m, call, outer);
	for (size_t k = 0; k < n && !pname; k++)
		if (ts_node_eq(outer[k], fn) && !ts_node_is_null(host = local_callee(m, call)))
			pname = param_name_at(m, host, k);
	if (!pname || !(e = name_table_get(&m->calls, pname)))
		return NULL;
	for (struct frame *f = m->frames; f; f = f->next)
		if (f->function_start == ts_node_start_byte(host))
			return NULL;  /* recursion */
	for (size_t i = 0; i < e->nodes.len; i++) {
		TSNode c = e->nodes.items[i];
		if (ts_node_start_byte(c) < ts_node_start_byte(host) || ts_node_end_byte(c) > ts_node_end_byte(host) ||
		    !node_is(child(m, c, F_FUNCTION), "identifier") ||
		    !positional(inner, call_args(m, c, inner), (size_t)idx, &a))
			continue;
		m->caller_depth++;
		if (eval_bind_caller(m, host, call, &fr, vals)) {
			v = eval_node(m, a);
			eval_unbind(m, &fr);
		}
		m->caller_depth--;
		break;
	}
	return v;
}

/* The __awaiter(this, args, void 0, function* (...) {...}) call whose generator fn is, or a
 * null node: TypeScript's down-levelled async function runs fn with the outer function's
 * arguments. */
static TSNode awaiter_call(struct module *m, TSNode fn)
{
	TSNode args, call;
	const char *callee;
	size_t len;

	/* the parent last: finding it walks down from the root, and every parameter read asks */
	if (!m->js || !node_is(fn, "generator_function") || !node_is(args = ts_node_parent(fn), "arguments") ||
	    ts_node_named_child_count(args) != 4 || !ts_node_eq(ts_node_named_child(args, 3), fn))
		return (TSNode){0};
	call = ts_node_parent(args);
	callee = node_text(m, child(m, call, F_FUNCTION), 200);
	len = strlen(callee);
	if (len < 9 || strcmp(callee + len - 9, "__awaiter") != 0)
		return (TSNode){0};  /* __awaiter, tslib.__awaiter, tslib_1.__awaiter */
	return call;
}

TSNode eval_awaiter_outer(struct module *m, TSNode fn)
{
	TSNode call = awaiter_call(m, fn);

	if (ts_node_is_null(call) || !node_text_eq(m, ts_node_named_child(ts_node_parent(fn), 1), "arguments"))
		return (TSNode){0};
	return enclosing_function(m, call, false);
}

/* TypeScript's down-levelled async function: `function f(a_1) { return __awaiter(this,
 * arguments, void 0, function* (a) {...}); }` runs the generator with f's own arguments, so
 * its parameter idx is f's parameter idx (callers bind f's). NULL for any other function. */
static struct value *awaiter_param(struct module *m, TSNode fn, int idx)
{
	TSNode call = awaiter_call(m, fn), outer, params, kids[64], p;

	if (idx < 0 || ts_node_is_null(call))
		return NULL;
	/* an arrow function passes its parameters as an array: `(_a) => __awaiter(this, [_a], ...)` */
	if (node_is(p = ts_node_named_child(ts_node_parent(fn), 1), "array"))
		return named_children(p, kids, 64) > (size_t)idx && !node_is(kids[idx], "spread_element") ?
			       eval_node(m, kids[idx]) : NULL;
	if (ts_node_is_null(outer = eval_awaiter_outer(m, fn)) ||
	    ts_node_is_null(params = child(m, outer, F_PARAMETERS)) || named_children(params, kids, 64) <= (size_t)idx)
		return NULL;
	p = kids[idx];
	if (node_is(p, "assignment_pattern"))
		p = child(m, p, F_LEFT);
	return node_is(p, "identifier") ? eval_node(m, p) : NULL;
}

/* A parameter of a command-line command (a Python function under @click.option,
 * @app.command() of typer): the option --name, set at launch; its literal default is the
 * variable's default. NULL for any other parameter. */
static struct value *command_option(struct module *m, TSNode fn, const struct decl *d)
{
	TSNode dd;
	char name[128];
	struct value *v;
	bool command = false;

	/* the parent after the language: finding it walks down from the root */
	if (m->js || !node_is(dd = ts_node_parent(fn), "decorated_definition"))
		return NULL;
	for (uint32_t i = 0; i < ts_node_named_child_count(dd) && !command; i++) {
		TSNode dec = ts_node_named_child(dd, i), e;
		struct value *callee;
		if (!node_is(dec, "decorator") || ts_node_is_null(e = ts_node_named_child(dec, 0)))
			continue;
		if (node_is(e, "call"))
			e = child(m, e, F_FUNCTION);
		callee = eval_node(m, e);
		command = callee->kind == VAL_MODULE && launch_command_decorator(callee->name);
	}
	if (!command)
		return NULL;
	launch_member_name(NULL, d->name, name, sizeof name);
	v = value_hole(m->arena, d->name, strlen(d->name), VF_ENV | VF_LAUNCH);
	v->env_var = arena_strdup(m->arena, name);
	if (d->has_value && !is_pattern(d->value) && value_constant(m->arena, eval_node(m, d->value)))
		return either(m, v, eval_node(m, d->value));  /* def main(url="https://...") */
	return v;
}

static struct value *param_value(struct module *m, const struct decl *d)
{
	TSNode fn = d->owner;
	bool has_self = false, hit = false;
	int idx;
	struct value *v = NULL;
	struct kept_value *slot = NULL;

	/* a parameter with no function around it (a constructor that did not parse) binds nothing */
	if (ts_node_is_null(fn))
		return value_hole(m->arena, d->name, strlen(d->name), VF_PARAM);
	idx = param_index(m, fn, d->name_node, &has_self);
	for (struct frame *f = m->frames; f; f = f->next) {
		if (f->function_start == ts_node_start_byte(fn)) {
			size_t i = (size_t)idx - (has_self ? 1 : 0);
			if (idx < 0 || i >= f->nargs)
				return value_hole(m->arena, d->name, strlen(d->name), VF_PARAM);
			return destructured(m, d, f->args[i]);
		}
	}
	if (is_tool_handler(m, fn) || contains_dispatch_block(m, fn))
		return tool_argument(m, d);
	if ((v = then_module(m, fn, idx)))
		return destructured(m, d, v);
	if ((v = command_option(m, fn, d)))
		return v;
	if ((v = awaiter_param(m, fn, idx)))
		return destructured(m, d, v);
	if ((v = callback_param(m, fn, idx)))
		return destructured(m, d, v);
	if (!m->frames && m->steps <= EVAL_MAX_STEPS)
		slot = memo_slot(m, ts_node_start_byte(fn), idx, &hit);
	if (!(slot && hit && reuse_kept(m, slot, d->name_node, &v)) && m->caller_depth < MAX_CALLER_DEPTH) {
		struct kept_start st = kept_start(m);
		m->caller_depth++;
		v = from_callers(m, fn, idx, has_self, d->kind == DK_PARAM && !d->key ? d->name : NULL);
		m->caller_depth--;
		if (slot)
			kept_value_made(m, slot, v, st);
	}
	/* a caller that forwards its own unbound parameter (getInstance(key, base) calling
	 * new C(key, base)) or passes undefined may leave it out: then the default holds */
	if (v && d->has_value && !is_pattern(d->value) && maybe_left_out(v))
		v = either(m, v, eval_node(m, d->value));
	/* a local caller that only forwards its own parameter (static create(c) { return new
	 * C(c); }) leaves callers in other modules (new C({...})) to bind it as well */
	if (v && v->kind == VAL_STRING && v->nparts == 1 && v->parts[0].kind == PART_HOLE && v->parts[0].param) {
		struct value *own = flow_param(m, called_by_name(m, fn) ? callee_name_of(m, fn) : method_name(m, fn),
					       d->name, d->key && *d->key ? d->key : NULL, idx - (has_self ? 1 : 0));
		if (own->kind == VAL_STRING && own->nparts == 1 && own->parts[0].param &&
		    !same_param(own->parts[0].param, v->parts[0].param)) {
			struct value *alt = value_new(m->arena, VAL_ALT);
			value_push_item(m->arena, alt, v);
			value_push_item(m->arena, alt, own);
			alt->flags = v->flags & (VF_TAINT | VF_USER);
			v = alt;
		}
	}
	if (v)
		return destructured(m, d, v);
	/* callers in other modules may bind it: flow.h, at the link step */
	v = flow_param(m, called_by_name(m, fn) ? callee_name_of(m, fn) : method_name(m, fn), d->name,
		       d->key && *d->key ? d->key : NULL, idx - (has_self ? 1 : 0));
	if (m->caller_depth >= MAX_CALLER_DEPTH && callers_left_out(m, fn))
		v = value_bounded(m->arena, v, BOUND_BIT(BOUND_CALLER_DEPTH), false);
	if (d->has_value && !is_pattern(d->value))
		return flow_keeps_params(m) ? either(m, v, eval_node(m, d->value)) : eval_node(m, d->value);
	return v;
}

/* Bundlers keep the package name in the variable: esbuild writes
 * `var import_node_fetch = __toESM(require_lib())` and `var axios_default = axios`,
 * rollup and webpack `axios__default`. When such a variable is bound to something
 * other than a literal, it stands for the bundled package. */
static struct value *bundled_module(struct module *m, const struct decl *d)
{
	const char *n = d->name, *t;
	char pkg[128];
	size_t len = strlen(n);

	if (!m->js || d->kind != DK_VAR)
		return NULL;
	t = ts_node_type(d->value);
	if (!strcmp(t, "string") || !strcmp(t, "template_string") || !strcmp(t, "number") || !strcmp(t, "object"))
		return NULL;
	if (strncmp(n, "import_", 7) == 0 && len > 7)
		snprintf(pkg, sizeof pkg, "%s", n + 7);
	else if (len > 9 && strcmp(n + len - 9, "__default") == 0)
		snprintf(pkg, sizeof pkg, "%.*s", (int)(len - 9), n);
	else if (len > 8 && strcmp(n + len - 8, "_default") == 0)
		snprintf(pkg, sizeof pkg, "%.*s", (int)(len - 8), n);
	else
		return NULL;
	for (char *c = pkg; *c; c++)
		if (*c == '_')
			*c = '-';
	/* node built-ins keep their names: import_node_https -> https */
	if (strncmp(pkg, "node-", 5) == 0 && (!strcmp(pkg + 5, "https") || !strcmp(pkg + 5, "http") ||
					     !strcmp(pkg + 5, "net") || !strcmp(pkg + 5, "dns") ||
					     !strcmp(pkg + 5, "child-process") || !strcmp(pkg + 5, "dgram") ||
					     !strcmp(pkg + 5, "tls") || !strcmp(pkg + 5, "fs") || !strcmp(pkg + 5, "os")))
		memmove(pkg, pkg + 5, strlen(pkg + 5) + 1);
	if (!strcmp(pkg, "child-process"))
		snprintf(pkg, sizeof pkg, "child_process");
	return value_module(m->arena, pkg);
}

/* A variable's initial value. Naming the callees of a bundle evaluates the same few
 * variables (a module object, a helper table) from thousands of call sites, each up to
 * the step bound: kept (struct kept_value) when no caller fan-out is under way either. */
#define VAR_MEMO_MIN_STEPS 128
/* Copies past this many bytes a file are not kept: the memo must not raise the peak. */
#define VAR_MEMO_MAX_BYTES ((size_t)4 << 20)

static struct value *var_value(struct module *m, TSNode value)
{
	bool found = false, clean = !m->frames && m->caller_depth == 0 && m->steps <= EVAL_MAX_STEPS;
	void **slot = clean ? pos_memo_slot(&m->var_values, m->index_arena,
					    (uint64_t)ts_node_start_byte(value) + 1, &found) : NULL;
	struct kept_start st = kept_start(m);
	struct kept_value *k;
	struct value *v;

	if (slot && *slot && reuse_kept(m, *slot, value, &v))
		return v;
	v = eval_node(m, value);
	/* a value that took few steps is cheaper to evaluate again than to keep */
	if (slot && m->steps - st.steps >= VAR_MEMO_MIN_STEPS && m->var_memo_bytes < VAR_MEMO_MAX_BYTES) {
		size_t used = arena_used(m->index_arena);
		if ((k = arena_alloc(m->index_arena, sizeof *k))) {
			kept_value_made(m, k, v, st);
			*slot = k;
		}
		m->var_memo_bytes += arena_used(m->index_arena) - used;
	}
	return v;
}

static struct value *decl_value(struct module *m, const struct decl *d, TSNode at)
{
	struct value *v;

	switch (d->kind) {
	case DK_FUNCTION:
	case DK_CLASS:
		v = value_new(m->arena, VAL_FUNCTION);
		v->name = d->name;
		v->node_id = ts_node_start_byte(d->value);
		return v;
	case DK_PARAM:
		return param_value(m, d);
	case DK_PATTERN:
		v = member_of(m, eval_node(m, d->value), d->key, at);
		/* const { URL = 'https://...' } = process.env */
		return d->fallback.id ? either(m, v, eval_node(m, d->fallback)) : v;
	case DK_IMPORT_DEFAULT:
	case DK_IMPORT_NS:
		return module_value(m, unquote(m, d->module));
	case DK_IMPORT_NAME: {
		const char *spec = unquote(m, d->module);
		if (!*spec || !d->import_name)
			return hole_of(m, d->name_node, 0);
		struct value *mod = module_value(m, spec);
		if (!m->js && spec[0] == '.' && spec[strspn(spec, ".")] == '\0') {
			/* from . import config: a sibling module */
			char buf[512];
			snprintf(buf, sizeof buf, "%s%s", spec, d->import_name);
			return module_value(m, arena_strdup(m->arena, buf));
		}
		return member_of(m, mod, d->import_name, at);
	}
	case DK_IMPORT_MODULE:
		return module_value(m, d->module);
	case DK_ITER: {
		struct value *it = eval_node(m, d->value);
		if (it->kind == VAL_ARRAY && it->nitems) {
			struct value *alt = value_new(m->arena, VAL_ALT);
			for (size_t i = 0; i < it->nitems; i++)
				value_push_item(m->arena, alt, it->items[i]);
			return alt;
		}
		return hole_of(m, d->name_node, 0);
	}
	default:
		if (!d->has_value || d->loop)
			return hole_of(m, d->name_node, 0);
		if ((v = bundled_module(m, d)))
			return v;
		v = var_value(m, d->value);
		if (node_is(d->value, "new_expression"))
			v = url_mutation_apply(m, d, v, at);
		if (v->flags & VF_TAINT) {
			struct value *c = value_new(m->arena, v->kind);
			*c = *v;
			value_add_chain(m->arena, c, chain_step(m, d->name_node));
			return c;
		}
		return v;
	}
}

/* Without a memo slot free, stores whose values read their object are followed two levels. */
#define MAX_STORE_DEPTH 2

/* out[k] = process.env[k] (in a loop, a callback, anywhere in out's scope): what is stored
 * into the object taints it, whatever the key. Only taint is taken, not the structure: the
 * keys and the order of the stores are not known. */
/* The taint every store into d's object carries (a value holding only flags, secret and
 * chain), or NULL when none does. Once per binding: each read of the object would evaluate
 * every store again, and stores that read the object (`env.B = env.A`) again in turn. A
 * store read while its object's stores are being evaluated adds nothing (a cycle). */
static const struct value *stores_taint(struct module *m, const struct named_nodes *e, const struct decl *d)
{
	static const char busy;
	bool hit = false;
	void **slot = pos_memo_slot(&m->store_taint, m->index_arena, ((uint64_t)d->pos << 1 | 1) + 1, &hit);
	struct value *t;

	if (slot && hit)
		return *slot == &busy ? NULL : *slot;
	if (!slot && m->store_depth >= MAX_STORE_DEPTH)
		return NULL;
	if (slot)
		*slot = (void *)&busy;
	m->store_depth++;
	t = value_new(m->arena, VAL_UNKNOWN);
	for (size_t i = 0; i < e->decls.len; i++) {
		const struct decl *st = &e->decls.items[i];
		struct value *stored;
		if (st->kind != DK_STORE || !st->has_value || st->pos < d->scope_start || st->pos >= d->scope_end)
			continue;
		stored = eval_node(m, st->value);
		if (!(stored->flags & VF_TAINT) && stored->kind != VAL_ENVOBJ)
			continue;
		t->flags |= (stored->flags & VF_TAINT) | (stored->kind == VAL_ENVOBJ ? VF_ENVDUMP : 0);
		value_merge_secret(t, stored);
		for (size_t k = 0; k < stored->nchain; k++)
			value_add_chain(m->arena, t, stored->chain[k]);
		value_add_chain(m->arena, t, chain_step(m, st->name_node));
	}
	m->store_depth--;
	t = (t->flags & VF_TAINT) ? value_copy(m->index_arena, t) : NULL;
	if (slot)
		*slot = t;
	return t;
}

static struct value *with_stores(struct module *m, const struct named_nodes *e, const struct decl *d,
				 struct value *v, TSNode use)
{
	const struct value *t;
	struct value *c;

	(void)use;
	if (!e->has_store || m->quick || !(t = stores_taint(m, e, d)))
		return v;
	c = value_new(m->arena, v->kind);
	*c = *v;
	c->flags |= t->flags & VF_TAINT;
	value_merge_secret(c, t);
	for (size_t k = 0; k < t->nchain; k++)
		value_add_chain(m->arena, c, t->chain[k]);
	return c;
}

/* The declaration of a JavaScript variable in force at pos (let, var), or NULL when the
 * innermost binding there is something else (a parameter, a function, an import). */
static const struct decl *declaring(const struct named_nodes *e, uint32_t pos)
{
	const struct decl *best = NULL;

	for (size_t i = 0; i < e->decls.len; i++) {
		const struct decl *d = &e->decls.items[i];
		if (d->kind == DK_STORE || d->kind == DK_ASSIGN || pos < d->scope_start || pos >= d->scope_end)
			continue;
		if (!best || d->scope_start > best->scope_start)
			best = d;
	}
	return best && best->kind == DK_VAR && !best->loop ? best : NULL;
}

/* Whether a declaration other than root binds the name in the function at scope_start. */
static bool declared_in(const struct named_nodes *e, const struct decl *root, uint32_t scope_start)
{
	for (size_t i = 0; i < e->decls.len; i++) {
		const struct decl *d = &e->decls.items[i];
		if (d != root && d->kind != DK_STORE && d->kind != DK_ASSIGN && d->scope_start == scope_start)
			return true;
	}
	return false;
}


/* `let base = a; if (x) base = b; function url() { return base }`: read from another
 * function than the one declaring it, a reassigned variable holds any value assigned to
 * it (when the reader runs is not known). Every assigned value, as alternatives; NULL
 * when the variable is not reassigned or is read where it is declared (the last binding
 * before the read is in force there). */
static struct value *reassigned(struct module *m, const struct named_nodes *e, TSNode at)
{
	uint32_t pos = ts_node_start_byte(at);
	const struct decl *root = declaring(e, pos);
	TSNode fn;
	struct value *alt;

	if (!m->js || !root)
		return NULL;
	fn = enclosing_function(m, at, false);
	if (ts_node_is_null(fn) || ts_node_start_byte(fn) == root->scope_start)
		return NULL;
	alt = value_new(m->arena, VAL_ALT);
	if (!weak_binding(root))
		value_push_item(m->arena, alt, decl_value(m, root, at));
	for (size_t i = 0; i < e->decls.len; i++) {
		const struct decl *a = &e->decls.items[i];
		if (a->kind != DK_ASSIGN || !a->has_value || a->scope_start < root->scope_start ||
		    a->scope_end > root->scope_end || weak_binding(a) ||
		    (ts_node_start_byte(a->value) <= pos && pos < ts_node_end_byte(a->value)))
			continue;
		if (a->scope_start != root->scope_start && declared_in(e, root, a->scope_start))
			continue;  /* a local of its own function */
		if (alt->nitems >= MAX_REASSIGNED) {
			alt = value_bounded(m->arena, alt, BOUND_BIT(BOUND_REACHING), true);
			break;
		}
		value_push_item(m->arena, alt, decl_value(m, a, at));
	}
	/* `let base;` assigned in one set-up function: that value (an alternative needs two) */
	if (alt->nitems == 1 && weak_binding(root))
		return alt->items[0];
	if (alt->nitems < 2)
		return NULL;
	return alt;
}

/* Where an assignment sits relative to a read at pos. */
enum placement {
	PLACED_ALWAYS,   /* its statement is directly in a block that holds the read: it runs first */
	PLACED_MAYBE,    /* under an if, try, loop or in another function: it may not run */
	PLACED_ELSEWHERE /* in a class body: a class attribute, not this variable */
};

/* Statement kinds an assignment climbs through to its block: x = v, let x = v, export let. */
static const char *const statement_parts[] = {
	"assignment", "expression_statement", "variable_declarator", "lexical_declaration",
	"variable_declaration", "assignment_expression", "export_statement", NULL,
};
static const char *const blocks[] = {"module", "block", "program", "statement_block", "class_body", NULL};

static bool node_in(TSNode n, const char *const *types)
{
	for (size_t i = 0; types[i]; i++)
		if (node_is(n, types[i]))
			return true;
	return false;
}

#define MAX_ANCESTORS 128

/* The ancestors of n from the root down into out, in one walk down the tree (what
 * ts_node_parent does once per ancestor: asking it of each in turn costs the square of the
 * depth). Returns how many, or MAX_ANCESTORS + 1 when there are more. */
static size_t ancestors(TSNode n, TSNode out[MAX_ANCESTORS])
{
	TSNode at;
	size_t k = 0;

	if (ts_node_is_null(n) || (at = ts_tree_root_node(n.tree)).id == n.id)
		return 0;
	for (;;) {
		TSNode next = ts_node_child_with_descendant(at, n);
		if (k == MAX_ANCESTORS)
			return MAX_ANCESTORS + 1;
		out[k++] = at;
		if (ts_node_is_null(next) || next.id == n.id)
			return k;
		at = next;
	}
}

/* The nearest n ancestors of node into near (nearest first; null nodes past the root). */
static void nearest_ancestors(TSNode node, TSNode *near, size_t n)
{
	TSNode up[MAX_ANCESTORS];
	size_t k = ancestors(node, up);

	for (size_t i = 0; i < n; i++) {
		if (k <= MAX_ANCESTORS)
			near[i] = i < k ? up[k - 1 - i] : (TSNode){0};
		else
			near[i] = i ? (ts_node_is_null(near[i - 1]) ? near[i - 1] : ts_node_parent(near[i - 1]))
				    : ts_node_parent(node);
	}
}

static enum placement placement_of(const struct decl *d, uint32_t pos)
{
	/* the value's parent, its statement parts up to 4 and the block and class around them:
	 * found in one walk down the tree, not one ts_node_parent each */
	TSNode up[6], n, p;

	nearest_ancestors(d->value, up, 6);
	for (int i = 0; i < 4 && !ts_node_is_null(n = up[i]) && node_in(n, statement_parts); i++) {
		p = up[i + 1];
		if (!node_in(p, blocks))
			continue;
		if (node_is(p, "class_body") || node_is(up[i + 2], "class_definition"))
			return PLACED_ELSEWHERE;
		return ts_node_start_byte(p) <= pos && pos < ts_node_end_byte(p) ? PLACED_ALWAYS : PLACED_MAYBE;
	}
	return PLACED_MAYBE;
}


/* Whether c assigns the variable d binds: in its function scope, an assignment or the
 * declaration root (JavaScript's let or var; another `let` of the name is a block's own). */
static bool assigns_same(const struct decl *c, const struct decl *d, const struct decl *root, uint32_t pos)
{
	if (c->kind != DK_ASSIGN && c != d && c != root)
		return false;
	if (!c->has_value || c->loop || c->scope_start != d->scope_start || c->scope_end != d->scope_end)
		return false;
	return !(ts_node_start_byte(c->value) <= pos && pos < ts_node_end_byte(c->value));  /* x = f(x) */
}

static int cmp_decl_pos(const void *a, const void *b)
{
	const struct decl *x = *(const struct decl *const *)a, *y = *(const struct decl *const *)b;

	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The assignments of d's variable that can reach a read at pos (reaching definitions,
 * approximated): going back from the last one before the read (from the last one of all
 * when the read is in a function of its own, which runs later), each is an alternative
 * until one that always runs first. `BASE = a` then `if os.getenv("X"): BASE = b` reach a
 * later read both. NULL when fewer than two values reach it (the usual binding applies). */
static struct value *reaching(struct module *m, const struct named_nodes *e, const struct decl *d, TSNode at,
			      bool later, bool *cut)
{
	const struct decl *found[MAX_BINDINGS];
	uint32_t pos = ts_node_start_byte(at);
	size_t n = 0;
	const struct decl *root = m->js ? declaring(e, pos) : NULL;
	struct value *alt;

	for (size_t i = 0; i < e->decls.len; i++) {
		const struct decl *c = &e->decls.items[i];
		if (!assigns_same(c, d, root, pos) || (!later && c->pos >= pos))
			continue;
		if (n == MAX_BINDINGS) {
			*cut = true;
			return NULL;  /* minified reuse: no verdict worth its cost */
		}
		found[n++] = c;
	}
	if (n < 2)
		return NULL;
	qsort(found, n, sizeof *found, cmp_decl_pos);
	alt = value_new(m->arena, VAL_ALT);
	for (size_t i = n; i-- > 0;) {
		enum placement p = placement_of(found[i], pos);
		if (p == PLACED_ELSEWHERE)
			continue;
		if (alt->nitems >= MAX_REASSIGNED) {
			alt = value_bounded(m->arena, alt, BOUND_BIT(BOUND_REACHING), true);
			break;
		}
		if (!weak_binding(found[i])) {
			struct value *v = decl_value(m, found[i], at);
			value_push_item(m->arena, alt, v);
			alt->flags |= v->flags & (VF_TAINT | VF_USER);  /* as either() keeps them */
			value_merge_secret(alt, v);
		}
		if (p == PLACED_ALWAYS)
			break;
	}
	return alt->nitems < 2 ? NULL : alt;
}

/* A read of d's variable that more than one assignment reaches: every reaching value.
 * JavaScript reads from another function keep reassigned()'s rule. */
static struct value *reaching_read(struct module *m, const struct named_nodes *e, const struct decl *d, TSNode at,
				   bool *cut)
{
	TSNode fn;
	bool later;
	struct value *v;

	if (e->assigns == 0 || (d->kind != DK_ASSIGN && d->kind != DK_VAR))
		return NULL;
	fn = enclosing_function(m, at, false);
	later = ts_node_is_null(fn) ? d->scope_start != 0 : ts_node_start_byte(fn) != d->scope_start;
	if (m->js && later)
		return reassigned(m, e, at);
	/* a name bound hundreds of times is minified reuse: the usual binding, as before */
	if (e->decls.len > 4 * MAX_BINDINGS) {
		*cut = true;
		return NULL;
	}
	if (!m->js && e->assigns < 2)
		return NULL;
	if ((v = reaching(m, e, d, at, later, cut)) || !m->js)
		return v;
	/* `let base; function init() { base = X }` read in init: reassigned() reads the let's
	 * every assignment from the function it is declared in */
	return reassigned(m, e, at);
}

struct value *eval_module_variable(struct module *m, TSNode name, TSNode value)
{
	struct named_nodes *e = name_table_get(&m->decls, node_text(m, name, 200));
	const struct decl *d = e ? best_decl(e, ts_node_start_byte(name), name) : NULL;
	bool cut = false;
	struct value *v = d && !m->js && e->decls.len >= 2 ? reaching(m, e, d, name, true, &cut) : NULL;

	v = v ? v : eval_node(m, value);
	return cut ? value_bounded(m->arena, v, BOUND_BIT(BOUND_BINDINGS), false) : v;
}

/* Statements whose body may not run: an assignment in one leaves the value before it in
 * force for a read after it (tree-sitter-javascript and -python node types). */
static const char *const conditional_nodes[] = {
	"if_statement", "else_clause", "elif_clause", "switch_case", "switch_default", "catch_clause",
	"except_clause", "for_statement", "for_in_statement", "while_statement", "do_statement",
	"ternary_expression", "conditional_expression", NULL,
};

/* Whether node (an assignment's target) sits in a statement that may not run and that the
 * read at does not sit in. */
/* One ancestor p of a binding: 1 when it makes the binding conditional, 0 when it ends
 * the search (the read is inside it too, or it is another function: reassigned() looks
 * at those), -1 to go on up. */
static int conditional_step(struct module *m, TSNode p, uint32_t pos)
{
	if (ts_node_start_byte(p) <= pos && pos < ts_node_end_byte(p))
		return 0;
	if (is_function_node(m, p))
		return 0;
	for (const char *const *c = conditional_nodes; *c; c++)
		if (node_is(p, *c))
			return 1;
	return -1;
}

static bool conditional_at(struct module *m, TSNode node, TSNode at)
{
	uint32_t pos = ts_node_start_byte(at);
	TSNode up[MAX_ANCESTORS];
	size_t n = ancestors(node, up);
	int r;

	if (n <= MAX_ANCESTORS) {
		for (size_t i = n; i-- > 0;)
			if ((r = conditional_step(m, up[i], pos)) >= 0)
				return r;
		return false;
	}
	for (TSNode p = ts_node_parent(node); !ts_node_is_null(p); p = ts_node_parent(p))
		if ((r = conditional_step(m, p, pos)) >= 0)
			return r;
	return false;
}

/* Whether the binding d (an assignment) sits in a statement that may not run and that the
 * read at does not sit in: `let b = X; if (sub) { b = f(b); } return b;`. */
static bool conditional_binding(struct module *m, const struct decl *d, TSNode at)
{
	if (d->kind != DK_ASSIGN && (m->js || d->kind != DK_VAR))
		return false;
	return conditional_at(m, d->name_node, at);
}


/* The value of binding d read at `at`: when d may not have run (conditional_binding), the
 * binding before it is an alternative too, followed back a few steps. */
static struct value *binding_value(struct module *m, const struct named_nodes *e, const struct decl *d, TSNode at,
				   int depth)
{
	struct value *v = decl_value(m, d, at), *alt;
	const struct decl *prev;

	if (!d->pos || !conditional_binding(m, d, at) ||
	    !(prev = pick_decl(e, d->pos - 1, false)) || prev == d || prev->pos >= d->pos || !prev->has_value)
		return v;
	if (depth >= MAX_CONDITIONAL)
		return value_bounded(m->arena, v, BOUND_BIT(BOUND_CONDITIONAL), false);
	alt = value_new(m->arena, VAL_ALT);
	value_push_item(m->arena, alt, v);
	value_push_item(m->arena, alt, binding_value(m, e, prev, at, depth + 1));
	alt->flags = (alt->items[0]->flags | alt->items[1]->flags) & (VF_TAINT | VF_USER);
	value_merge_secret(alt, alt->items[0]);
	value_merge_secret(alt, alt->items[1]);
	return alt;
}

static struct value *eval_identifier(struct module *m, TSNode n)
{
	const char *name = node_text(m, n, 200);
	struct named_nodes *e = name_table_get(&m->decls, name);
	const struct decl *d = e ? best_decl(e, ts_node_start_byte(n), n) : NULL;
	struct value *g;

	if (d) {
		bool cut = false;
		struct value *v = reaching_read(m, e, d, n, &cut);
		v = with_stores(m, e, d, v ? v : binding_value(m, e, d, n, 0), n);
		return cut ? value_bounded(m->arena, v, BOUND_BIT(BOUND_BINDINGS), false) : v;
	}
	if (m->parent) {
		/* code run by eval() sees the bindings of the module that runs it */
		e = name_table_get(&m->parent->decls, name);
		d = e ? best_decl(e, (uint32_t)m->parent->len - 1, n) : NULL;
		if (d && (d->scope_start == 0 || d->kind >= DK_IMPORT_DEFAULT))
			return decl_value(m->parent, d, d->name_node);
	}
	if (strcmp(name, "undefined") == 0)
		return value_unknown(m->arena, "undefined");
	g = global_value(m, name);
	return g ? g : value_hole(m->arena, name, strlen(name), 0);
}

/* ---- this.x and self.x ---- */

static TSNode function_starting_at_or_class(struct module *m, uint32_t start)
{
	TSNode root = ts_tree_root_node(m->tree);
	TSNode n = ts_node_descendant_for_byte_range(root, start, start);

	/* the class node starting there: a handful of parents up from its first token */
	for (int i = 0; i < 3 && !ts_node_is_null(n); i++, n = ts_node_parent(n))
		if (ts_node_start_byte(n) == start && ts_node_is_named(n) &&
		    (node_is(n, "class_declaration") || node_is(n, "class") ||
						       node_is(n, "class_definition") ||
						       node_is(n, "abstract_class_declaration")))
			return n;
	return (TSNode){0};
}

/* A binding made directly in the body of class cls (Python `BASE = '...'` under class C,
 * a static field): what self.BASE and C.BASE read. NULL when there is none. */
static struct value *class_attribute(struct module *m, const struct named_nodes *e, TSNode cls)
{
	uint32_t s, end;

	if (!e || ts_node_is_null(cls))
		return NULL;
	s = ts_node_start_byte(cls);
	end = ts_node_end_byte(cls);
	for (size_t i = 0; i < e->decls.len; i++) {
		const struct decl *d = &e->decls.items[i];
		TSNode fn;
		uint32_t pos = d->pos;
		if ((d->kind != DK_ASSIGN && d->kind != DK_VAR && d->kind != DK_SELF_FIELD) || !d->has_value ||
		    pos < s || pos >= end)
			continue;
		fn = enclosing_function(m, d->name_node, false);
		if (d->kind != DK_SELF_FIELD && !ts_node_is_null(fn) && ts_node_start_byte(fn) > s)
			continue;  /* a local of a method */
		if (ts_node_start_byte(enclosing_class(m, d->name_node)) != s)
			continue;  /* a nested class's */
		return eval_node(m, d->value);
	}
	return NULL;
}

/* A field declared with nothing in it yet (`config = null;`, `self.x = None`). */
static bool placeholder_field(const struct decl *d)
{
	return weak_binding(d) || (d->has_value && (node_is(d->value, "null") || node_is(d->value, "undefined") ||
						   node_is(d->value, "none")));
}

static struct value *field_value(struct module *m, const char *key, TSNode at)
{
	struct named_nodes *e = name_table_get(&m->decls, key);
	uint32_t pos = ts_node_start_byte(at);

	/* `config = null;` declares the field: a value assigned to it elsewhere is the one read */
	for (int weak = 0; weak < 2; weak++)
	for (size_t i = 0; e && i < e->decls.len; i++) {
		const struct decl *d = &e->decls.items[i];
		if (d->kind != DK_SELF_FIELD || pos < d->scope_start || pos >= d->scope_end ||
		    placeholder_field(d) != (weak == 1))
			continue;
		if (d->param_field) {
			/* constructor(private base = X): a parameter that is also a field */
			struct decl p = *d;
			p.kind = DK_PARAM;
			p.owner = enclosing_function(m, d->name_node, false);
			return param_value(m, &p);
		}
		if (d->has_value)
			return eval_node(m, d->value);
	}
	return class_attribute(m, e, enclosing_class(m, at));
}

/* ---- member access ---- */

static bool is_index(const char *key)
{
	return key[0] && strspn(key, "0123456789") == strlen(key);
}

static struct value *env_var(struct module *m, const char *name, TSNode at)
{
	struct value *v = value_hole(m->arena, name, strlen(name), VF_ENV);

	v->env_var = arena_strdup(m->arena, name);
	if (secret_env_name(name)) {
		v->flags |= VF_SECRET;
		v->secret_env = v->env_var;
		value_add_chain(m->arena, v, chain_step(m, at));
	}
	return v;
}

/* Member key of obj, made as v: configured at launch when obj is a command-line source
 * (process.argv, a parser's options) or already launch configuration (a configuration
 * file's content, an option's value); v then carries VF_ENV | VF_LAUNCH and the name. */
static void launch_member(struct module *m, const struct value *obj, const char *key, struct value *v)
{
	char name[128];

	if (obj->flags & VF_LAUNCH) {
		v->flags |= VF_ENV | VF_LAUNCH;
		v->env_var = obj->env_var;
		return;
	}
	if (obj->kind != VAL_MODULE || launch_source_of(obj->name) == LAUNCH_NONE)
		return;
	launch_member_name(obj->name, key, name, sizeof name);
	v->flags |= VF_ENV | VF_LAUNCH;
	v->env_var = arena_strdup(m->arena, name);
}

/* Member key of a parser's options object, or an element of the argument list: a string
 * set at launch (like env_var(): `opts.url || 'https://...'` has that default). NULL when
 * obj is no such source, or key names a method of the list (process.argv.slice). */
static struct value *launch_option(struct module *m, const struct value *obj, const char *key)
{
	enum launch_source kind = launch_source_of(obj->name);
	char name[128];
	struct value *v;

	if (kind == LAUNCH_NONE || (kind == LAUNCH_ARGV && !is_index(key)))
		return NULL;
	launch_member_name(obj->name, key, name, sizeof name);
	v = value_hole(m->arena, key, strlen(key), VF_ENV | VF_LAUNCH);
	v->env_var = arena_strdup(m->arena, name);
	return v;
}

/* Methods of the environment object that give all of it (as a copy, pairs, values or
 * names). */
static bool env_view(const char *method)
{
	static const char *const views[] = {"copy", "items", "values", "keys", "entries", "toObject", NULL};

	for (const char *const *v = views; *v; v++)
		if (!strcmp(*v, method))
			return true;
	return false;
}

/* A value that holds the whole environment, or any variable of it (a copy made by
 * iteration, a computed name): reported where it is sent. */
static struct value *env_dump(struct module *m, TSNode at)
{
	struct value *v = hole_of(m, at, VF_ENVDUMP);

	value_add_chain(m->arena, v, chain_step(m, at));
	return v;
}

/* table[key] with a key that does not evaluate (a region, a cloud, an environment name):
 * any of its values, as alternatives. NULL when the table is no object or array, or holds
 * nothing that can be part of a destination (a table of handlers stays unknown). */
static struct value *any_entry(struct module *m, const struct value *table)
{
	struct value *alt;
	bool useful = false;

	if ((table->kind != VAL_OBJECT || !table->nprops) && (table->kind != VAL_ARRAY || !table->nitems))
		return NULL;
	alt = value_new(m->arena, VAL_ALT);
	for (size_t i = 0; i < table->nprops; i++)
		value_push_item(m->arena, alt, table->props[i].value);
	for (size_t i = 0; i < table->nitems; i++)
		value_push_item(m->arena, alt, table->items[i]);
	for (size_t i = 0; i < alt->nitems && !useful; i++)
		useful = value_useful(alt->items[i]) && alt->items[i]->kind != VAL_FUNCTION &&
			 alt->items[i]->kind != VAL_MODULE;
	if (!useful)
		return NULL;
	/* the table's taint as a hole of it had it, with the secret's name: a server's own
	 * key among a request's parameters is told from another service's by that name */
	alt->flags = table->flags & (VF_TAINT | VF_USER);
	alt->bounds |= table->bounds;   /* entries the table dropped are entries of it */
	if (table->flags & VF_SECRET)
		value_merge_secret(alt, table);
	return alt->nitems == 1 ? value_bounded(m->arena, alt->items[0], alt->bounds, false) : alt;
}

/* Whether v can name a callee (a function, a module, another module's export): a member
 * that is one keeps the first alternative's, as a call needs one callee (the interop
 * helpers' `mod.__esModule ? mod : {default: mod}` is one module either way). */
static bool names_callee(const struct value *v)
{
	return v->kind == VAL_FUNCTION || v->kind == VAL_MODULE || value_has_refs(v);
}

/* Alternatives whose members are each taken (MEMBER_MAX_ALTS, analyzer/bounds.h): a region
 * or cloud table has a few entries; past this the first one's member stands for all, as
 * before (members of members of a generated API's many entries grew without bound). And
 * members as large as MEMBER_MAX_WEIGHT are not spread over them either: copying the
 * alternatives' shared parts apart (value_copy) grew a scan of generated API tables to
 * hundreds of megabytes. */

/* key of one of several values: that member of each (cloud.graphApi of the table entry
 * for any cloud). */
static struct value *member_of_each(struct module *m, struct value *alt, const char *key, TSNode at)
{
	struct value *first, *out, *it;

	if (!alt->nitems)
		return value_unknown(m->arena, key);
	first = member_of(m, alt->items[0], key, at);
	if (alt->nitems == 1 || names_callee(first))
		return first;
	if (m->member_alts)  /* one level: a member of these members keeps to the first */
		return value_bounded(m->arena, first, BOUND_BIT(BOUND_MEMBER_ALTS), false);
	/* past these the first member stands for all: the others' are dropped */
	if (alt->nitems > MEMBER_MAX_ALTS)
		return value_bounded(m->arena, first, BOUND_BIT(BOUND_MEMBER_ALTS), false);
	if (value_weight(first, MEMBER_MAX_WEIGHT) >= MEMBER_MAX_WEIGHT)
		return value_bounded(m->arena, first, BOUND_BIT(BOUND_MEMBER_WEIGHT), false);
	m->member_alts++;  /* one level: a member of these members keeps to the first */
	out = value_new(m->arena, VAL_ALT);
	value_push_item(m->arena, out, first);
	for (size_t i = 1; i < alt->nitems; i++) {
		if (names_callee(it = member_of(m, alt->items[i], key, at)))
			continue;
		if (value_weight(it, MEMBER_MAX_WEIGHT) < MEMBER_MAX_WEIGHT)
			value_push_item(m->arena, out, it);
		else
			out->bounds |= BOUND_BIT(BOUND_MEMBER_WEIGHT);
	}
	m->member_alts--;
	out->flags = alt->flags & (VF_TAINT | VF_USER);
	return out;
}

/* The bounds a member inherits from the value it is read from: those that dropped
 * whole alternatives or callers (a member of a dropped alternative is dropped too), not the
 * caps on one value's pieces, properties or items (another member may be complete). */
#define INHERITED_BOUNDS (~(BOUND_BIT(BOUND_PARTS) | BOUND_BIT(BOUND_PROPS) | BOUND_BIT(BOUND_ITEMS) | \
			    BOUND_BIT(BOUND_TEXT)))

static struct value *member_value(struct module *m, struct value *obj, const char *key, TSNode at);

static struct value *member_of(struct module *m, struct value *obj, const char *key, TSNode at)
{
	struct value *v = member_value(m, obj, key, at);
	unsigned bits = obj->bounds & INHERITED_BOUNDS;

	return bits ? value_bounded(m->arena, v, bits, false) : v;
}

static struct value *member_value(struct module *m, struct value *obj, const char *key, TSNode at)
{
	struct value *v;

	if (!key && obj->kind == VAL_ENVOBJ)
		return env_dump(m, at);  /* process.env[k]: any variable, so all of them */
	if (!key && (v = any_entry(m, obj)))
		return v;
	if (!key) {
		v = hole_from(m, at, obj, (VF_USER | VF_TAINT));
		launch_member(m, obj, NULL, v);  /* process.argv[i] */
		return v;
	}
	switch (obj->kind) {
	case VAL_OBJECT:
		v = value_get_prop(obj, key);
		if (!v && (obj->bounds & BOUND_BIT(BOUND_PROPS)))  /* it may be past the cap */
			return value_bounded(m->arena, key_hole(m, key, obj, (VF_USER | VF_TAINT)), BOUND_BIT(BOUND_PROPS), false);
		return v ? v : key_hole(m, key, obj, (VF_USER | VF_TAINT));
	case VAL_ARRAY:
		if (is_index(key) && strtoul(key, NULL, 10) < obj->nitems)
			return obj->items[strtoul(key, NULL, 10)];
		return key_hole(m, key, obj, (VF_USER | VF_TAINT));
	case VAL_ALT:
		return member_of_each(m, obj, key, at);
	case VAL_FUNCTION:
		/* Cls.BASE: a static field of a class of this file */
		v = class_attribute(m, name_table_get(&m->decls, key), function_starting_at_or_class(m, obj->node_id));
		return v ? v : value_hole(m->arena, key, strlen(key), 0);
	case VAL_ENVOBJ:
		return env_var(m, key, at);
	case VAL_MODULE: {
		char buf[512];
		struct value *c;
		if ((strcmp(obj->name, "process") == 0 && strcmp(key, "env") == 0) ||
		    (strcmp(obj->name, "os") == 0 && strcmp(key, "environ") == 0))
			return value_new(m->arena, VAL_ENVOBJ);
		if (strcmp(key, "default") == 0 && strncmp(obj->name, "file:", 5) != 0)
			return obj;
		/* globalThis.fetch is fetch */
		if (!strcmp(obj->name, "global") || !strcmp(obj->name, "globalThis") || !strcmp(obj->name, "window") ||
		    !strcmp(obj->name, "self"))
			return value_module(m->arena, key);
		if (strncmp(obj->name, "file:", 5) == 0)
			return value_ref(m->arena, obj->name + 5, key);
		snprintf(buf, sizeof buf, "%s.%s", obj->name, key);
		v = value_module(m->arena, buf);
		v->base = obj->base;
		v->props = obj->props;  /* an object schema's fields, through .strict() and the like */
		v->nprops = obj->nprops;
		v->flags = obj->flags & VF_USER;
		if ((c = launch_option(m, obj, key)))
			return c;
		launch_member(m, obj, key, v);
		return v;
	}
	case VAL_STRING:
		if (value_has_refs(obj) && obj->nparts == 1) {
			char buf[512];
			snprintf(buf, sizeof buf, "%s.%s", obj->parts[0].text, key);
			return value_ref(m->arena, obj->parts[0].module, buf);
		}
		/* fall through */
	default:
		if ((v = flow_param_member(m, obj, key)))
			return v;
		v = key_hole(m, key, obj, (VF_USER | VF_TAINT | VF_PARAM));
		value_absorb(m->arena, v, obj);
		v->flags &= ~(unsigned)(VF_DECODED | VF_ENV);
		launch_member(m, obj, key, v);  /* cfg.apiUrl of a configuration file */
		/* args.url of a tool handler: its schema's default is a destination too */
		return obj->flags & VF_USER ? tool_default_join(m, key, v) : v;
	}
}

/* The key a store writes: k of x.k, the constant of x[k]; NULL when it does not evaluate. */
static const char *store_key(struct module *m, TSNode target)
{
	TSNode k = child(m, target, F_PROPERTY);

	if (ts_node_is_null(k))
		k = child(m, target, F_ATTRIBUTE);
	if (!ts_node_is_null(k))
		return node_text(m, k, 200);
	k = child(m, target, F_INDEX);
	if (ts_node_is_null(k))
		k = child(m, target, F_SUBSCRIPT);
	return ts_node_is_null(k) ? NULL : value_constant(m->arena, eval_node(m, k));
}

/* The last store of key into the object named at id before byte at (NULL: none), and the
 * first one after it in *after. */
static const struct decl *store_before(struct module *m, const struct named_nodes *e, const struct decl *d,
				       const char *key, uint32_t at, const struct decl **after)
{
	const struct decl *before = NULL;

	for (size_t i = 0; i < e->decls.len; i++) {
		const struct decl *st = &e->decls.items[i];
		const char *k;
		if (st->kind != DK_STORE || !st->has_value || ts_node_is_null(st->target) ||
		    st->pos < d->scope_start || st->pos >= d->scope_end || st->pos == at)
			continue;
		if (!(k = store_key(m, st->target)) || strcmp(k, key) != 0)
			continue;
		if (st->pos < at && (!before || st->pos > before->pos))
			before = st;
		else if (after && st->pos > at && (!*after || st->pos < (*after)->pos))
			*after = st;
	}
	return before;
}

/* x.key after `x.key = v` or `x['key'] = v` (api.send = fetch; handlers['get'] =
 * requests.get): what the last such store before the use wrote, else the first one after
 * it (a store in a set-up function that runs first). A store in a branch the use is not in
 * may not have run: the one before it is an alternative too (a region's base URL set in
 * each branch of an if). NULL when nothing stores key into x. */
static struct value *stored_member(struct module *m, TSNode id, const char *key)
{
	struct named_nodes *e = name_table_get(&m->decls, node_text(m, id, 200));
	uint32_t at = ts_node_start_byte(id);
	const struct decl *d, *before, *after = NULL, *prev;
	struct value *alt;

	if (!e || !e->has_store || !key || !(d = best_decl(e, at, id)))
		return NULL;
	if (!(before = store_before(m, e, d, key, at, &after)))
		return after ? eval_node(m, after->value) : NULL;
	if (m->member_alts)  /* inside another spread (x.d = `${x.d} ...` in branches): one */
		return eval_node(m, before->value);
	m->member_alts++;
	alt = value_new(m->arena, VAL_ALT);
	value_push_item(m->arena, alt, eval_node(m, before->value));
	for (int i = 0; i < MAX_CONDITIONAL && conditional_at(m, before->target, id) &&
			(prev = store_before(m, e, d, key, before->pos, NULL)); i++, before = prev)
		value_push_item(m->arena, alt, eval_node(m, prev->value));
	m->member_alts--;
	for (size_t i = 0; i < alt->nitems; i++)
		alt->flags |= alt->items[i]->flags & (VF_TAINT | VF_USER);
	return alt->nitems == 1 ? alt->items[0] : alt;
}

static struct value *object_literal_member(struct module *m, TSNode obj, const char *key);

/* x.key where x is bound to an object literal: evaluate that one property, not the whole
 * object (utility objects with hundreds of methods are everywhere in bundles). NULL when
 * x is not such a binding or the literal does not spell key out (spreads, computed keys). */
static struct value *literal_member(struct module *m, TSNode id, const char *key)
{
	struct named_nodes *e = name_table_get(&m->decls, node_text(m, id, 200));
	const struct decl *d = e ? best_decl(e, ts_node_start_byte(id), id) : NULL;

	if (!d || (d->kind != DK_VAR && d->kind != DK_ASSIGN) || !d->has_value || d->loop ||
	    (!node_is(d->value, "object") && !node_is(d->value, "dictionary")))
		return NULL;
	return object_literal_member(m, d->value, key);
}

static struct value *object_literal_member(struct module *m, TSNode obj, const char *key)
{
	TSNode kids[VALUE_MAX_PROPS * 4];
	size_t n;

	n = named_children(obj, kids, sizeof kids / sizeof kids[0]);
	for (size_t i = n; i > 0; i--) {  /* the last one wins, as in the language */
		TSNode c = kids[i - 1], k;
		if (node_is(c, "spread_element") || node_is(c, "dictionary_splat"))
			return NULL;
		if (!node_is(c, "pair"))
			continue;
		k = child(m, c, F_KEY);
		if (node_is(k, "computed_property_name"))
			return NULL;
		if (node_text_eq(m, k, key) ||
		    ((node_is(k, "string")) && value_constant(m->arena, eval_node(m, k)) &&
		     strcmp(value_constant(m->arena, eval_node(m, k)), key) == 0))
			return eval_node(m, child(m, c, F_VALUE));
	}
	return NULL;
}

/* `this.key` in a method of an object literal: the literal's own property. */
static struct value *object_method_this(struct module *m, TSNode at, const char *key)
{
	TSNode fn = enclosing_function(m, at, false), p;

	if (ts_node_is_null(fn))
		return NULL;
	p = ts_node_parent(fn);
	if (node_is(p, "pair"))
		p = ts_node_parent(p);
	return node_is(p, "object") ? object_literal_member(m, p, key) : NULL;
}

static struct value *instance_method(struct module *m, TSNode obj, TSNode call, const char *key, bool getter,
				     TSNode *args, size_t nargs);
static struct value *instance_field(struct module *m, TSNode obj, const char *key);

/* The class of this module that the call makes an instance of (Python `Settings()`), or a
 * null node. */
static TSNode called_class(struct module *m, TSNode call)
{
	TSNode callee = child(m, call, F_FUNCTION);
	const struct named_nodes *e;
	const struct decl *d;

	if (!node_is(call, "call") || !node_is(callee, "identifier") ||
	    !(e = name_table_get(&m->decls, node_text(m, callee, 200))) ||
	    !(d = best_decl(e, ts_node_start_byte(callee), callee)) || d->kind != DK_CLASS)
		return (TSNode){0};
	return d->value;
}

/* A string literal's text (without quotes) in the arena, or NULL. */
static const char *literal_text(struct module *m, TSNode n)
{
	return ts_node_is_null(n) || !node_is(n, "string") ? NULL : value_constant(m->arena, eval_node(m, n));
}

/* The field's Field(...) call, or a null node: `x: str = Field('d', alias='X')`. */
static TSNode field_call(struct module *m, TSNode right)
{
	TSNode callee = node_is(right, "call") ? child(m, right, F_FUNCTION) : (TSNode){0};
	const char *t = ts_node_is_null(callee) ? "" : node_text(m, callee, 64);
	size_t len = strlen(t);

	return (len >= 5 && !strcmp(t + len - 5, "Field") && (len == 5 || t[len - 6] == '.')) ? right : (TSNode){0};
}

/* The value of one field of a settings class: the variable the settings class reads for
 * it, its literal default the variable's default. The variable is the field's name in
 * upper case (pydantic matches any case; upper is the convention) after the class's
 * env_prefix, or the name Field(alias= / validation_alias= / env=) gives (used as it
 * is: pydantic-settings applies no prefix to an alias). The default is the assigned
 * literal, or Field's default= or first positional argument. */
static struct value *settings_value(struct module *m, TSNode assign, const char *prefix)
{
	static const char *const alias_keys[] = {"validation_alias", "alias", "env", NULL};
	TSNode right = child(m, assign, F_RIGHT), field = field_call(m, right), args[MAX_ARGS], a = {0};
	const char *key = node_text(m, child(m, assign, F_LEFT), 120), *alias = NULL;
	size_t n = ts_node_is_null(field) ? 0 : call_args(m, field, args);
	char name[192];
	struct value *v, *def;

	for (size_t i = 0; !ts_node_is_null(field) && alias_keys[i] && !alias; i++)
		if (keyword(m, args, n, alias_keys[i], &a))
			alias = literal_text(m, a);
	if (alias) {
		snprintf(name, sizeof name, "%s", alias);
	} else {
		snprintf(name, sizeof name, "%s%s", prefix ? prefix : "", key);
		for (char *p = name; *p; p++)
			*p = (char)toupper((unsigned char)*p);
	}
	v = env_var(m, name, assign);
	if (!ts_node_is_null(field)) {
		right = (TSNode){0};
		if (!keyword(m, args, n, "default", &right) && positional(args, n, 0, &a) && !node_is(a, "ellipsis"))
			right = a;
	}
	if (!ts_node_is_null(right) && value_constant(m->arena, def = eval_node(m, right)))
		return either(m, v, def);
	return v;
}

/* The env_prefix of a settings class body: `model_config = SettingsConfigDict(env_prefix=
 * 'X_')` or `= {'env_prefix': 'X_'}` (pydantic v2), or `class Config: env_prefix = 'X_'`
 * (v1); NULL when none. */
static const char *settings_prefix(struct module *m, TSNode *kids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		TSNode a = ts_node_named_child(kids[i], 0), body, inner[64], args[MAX_ARGS], p;
		if (node_is(kids[i], "expression_statement") && node_is(a, "assignment") &&
		    node_text_eq(m, child(m, a, F_LEFT), "model_config")) {
			TSNode right = child(m, a, F_RIGHT);
			if (node_is(right, "call") && keyword(m, args, call_args(m, right, args), "env_prefix", &p))
				return literal_text(m, p);
			if (node_is(right, "dictionary"))
				return value_constant(m->arena, value_get_prop(eval_node(m, right), "env_prefix"));
		}
		if (node_is(kids[i], "class_definition") && node_text_eq(m, child(m, kids[i], F_NAME), "Config") &&
		    !ts_node_is_null(body = child(m, kids[i], F_BODY))) {
			size_t k = named_children(body, inner, 64);
			for (size_t j = 0; j < k; j++) {
				TSNode b = ts_node_named_child(inner[j], 0);
				if (node_is(inner[j], "expression_statement") && node_is(b, "assignment") &&
				    node_text_eq(m, child(m, b, F_LEFT), "env_prefix"))
					return literal_text(m, child(m, b, F_RIGHT));
			}
		}
	}
	return NULL;
}

/* pydantic's BaseSettings: `Settings()` of such a class of this module is an object whose
 * fields (`api_url: str`, `timeout: int = 5`) are read from the environment, so that
 * settings.api_url (here or in a module importing settings) is $API_URL. NULL for any
 * other call. */
static struct value *settings_instance(struct module *m, TSNode call)
{
	TSNode cls = called_class(m, call), sup = {0}, body, kids[256];
	struct value *obj;
	const char *prefix;
	size_t n;

	if (m->js || ts_node_is_null(cls))
		return NULL;
	for (uint32_t i = 0; i < ts_node_named_child_count(cls) && !node_is(sup, "argument_list"); i++)
		sup = ts_node_named_child(cls, i);
	if (!node_is(sup, "argument_list") || !strstr(node_text(m, sup, 200), "BaseSettings"))
		return NULL;
	body = child(m, cls, F_BODY);
	n = ts_node_is_null(body) ? 0 : named_children(body, kids, 256);
	prefix = settings_prefix(m, kids, n);
	obj = value_new(m->arena, VAL_OBJECT);
	for (size_t i = 0; i < n; i++) {
		TSNode a = ts_node_named_child(kids[i], 0);
		if (node_is(kids[i], "expression_statement") && node_is(a, "assignment") &&
		    node_is(child(m, a, F_LEFT), "identifier") && !node_text_eq(m, child(m, a, F_LEFT), "model_config"))
			value_set_prop(m->arena, obj, node_text(m, child(m, a, F_LEFT), 120), settings_value(m, a, prefix));
	}
	return obj;
}

static struct value *eval_member(struct module *m, TSNode n)
{
	TSNode obj = child(m, n, F_OBJECT);
	TSNode prop = child(m, n, F_PROPERTY);
	const char *key;

	if (ts_node_is_null(obj)) {  /* python attribute */
		obj = child(m, n, F_OBJECT);
	}
	if (ts_node_is_null(prop))
		prop = child(m, n, F_ATTRIBUTE);
	key = node_text(m, prop, 200);
	if (node_is(obj, "this") || (node_is(obj, "identifier") && !m->js && node_text_eq(m, obj, "self"))) {
		struct value *f = field_value(m, key, n);
		if (!f && m->js)
			f = object_method_this(m, n, key);
		if (f)
			return f;
	}
	if (node_is(obj, "identifier")) {
		struct value *v = stored_member(m, obj, key);
		if (v || (v = literal_member(m, obj, key)))
			return v;
	}
	if (m->js && !node_is(obj, "this")) {
		struct value *v = instance_method(m, obj, n, key, true, NULL, 0);
		if (v || (v = instance_field(m, obj, key)))
			return v;
	}
	return member_of(m, eval_node(m, obj), key, n);
}

/* Python s[::-1] and s[a:b] on known strings. */
static struct value *slice(struct module *m, struct value *s, TSNode sl)
{
	const char *c = value_constant(m->arena, s);
	const char *t = node_text(m, sl, 40);
	size_t n;
	char *out;

	if (!c)
		return hole_from(m, sl, s, (VF_USER | VF_TAINT));
	n = strlen(c);
	out = arena_alloc(m->arena, n + 1);
	if (!out)
		return value_unknown(m->arena, "oom");
	if (strcmp(t, "::-1") == 0) {
		for (size_t i = 0; i < n; i++)
			out[i] = c[n - 1 - i];
		struct value *v = value_text(m->arena, out, n);
		value_absorb(m->arena, v, s);
		v->flags |= VF_DECODED;
		if (!v->decoded_by)
			v->decoded_by = "reverse";
		return v;
	}
	long a = 0, b = (long)n;
	if (sscanf(t, "%ld:%ld", &a, &b) < 1 && sscanf(t, ":%ld", &b) < 1)
		return hole_of(m, sl, 0);
	if (a < 0) a += (long)n;
	if (b < 0) b += (long)n;
	if (a < 0) a = 0;
	if (b > (long)n) b = (long)n;
	if (a > b) a = b;
	return value_text(m->arena, c + a, (size_t)(b - a));
}

/* Whether key is a parameter that no call being evaluated binds: `TABLE[cloud]` in
 * `function endpoints(cloud = 'global')` reads whichever entry a caller names, whatever
 * the default (a table's every value is then a destination). */
static bool free_parameter(struct module *m, TSNode key)
{
	const struct named_nodes *e;
	const struct decl *d;

	if (!node_is(key, "identifier") || !(e = name_table_get(&m->decls, node_text(m, key, 200))) ||
	    !(d = best_decl(e, ts_node_start_byte(key), key)) || d->kind != DK_PARAM || ts_node_is_null(d->owner))
		return false;
	for (struct frame *f = m->frames; f; f = f->next)
		if (f->function_start == ts_node_start_byte(d->owner))
			return false;
	return true;
}

static struct value *eval_subscript(struct module *m, TSNode n)
{
	TSNode obj = child(m, n, F_OBJECT);
	TSNode idx = child(m, n, F_INDEX);
	struct value *o, *k;

	if (ts_node_is_null(obj))
		obj = child(m, n, F_VALUE);
	if (ts_node_is_null(idx))
		idx = child(m, n, F_SUBSCRIPT);
	o = eval_node(m, obj);
	if (node_is(idx, "slice"))
		return slice(m, o, idx);
	k = eval_node(m, idx);
	if (node_is(obj, "identifier")) {
		struct value *v = stored_member(m, obj, value_constant(m->arena, k));
		if (v)
			return v;
	}
	if (free_parameter(m, idx) && (k = any_entry(m, o)))
		return k;
	return member_of(m, o, value_constant(m->arena, k), n);
}

/* ---- operators ---- */

/* a || b, a ?? b, a or b: an environment variable with a default yields the default,
 * marked env-configurable; otherwise either side. */
static bool env_hole(const struct value *v)
{
	return (v->flags & VF_ENV) && v->kind == VAL_STRING && v->nparts == 1 && v->parts[0].kind == PART_HOLE;
}

static struct value *either(struct module *m, struct value *l, struct value *r)
{
	struct value *v;

	if (env_hole(l) && r->kind == VAL_ALT) {
		/* env || (a or b): each default is the variable's default (an alternative's own
		 * flags are what the destinations are read with) */
		v = value_new(m->arena, VAL_ALT);
		for (size_t i = 0; i < r->nitems; i++)
			value_push_item(m->arena, v, either(m, l, r->items[i]));
		v->flags = r->flags | (l->flags & (VF_ENV | VF_TAINT));
		return v;
	}
	if (env_hole(l)) {
		v = value_new(m->arena, r->kind);
		*v = *r;
		v->flags |= VF_ENV | (l->flags & VF_TAINT);
		value_merge_secret(v, l);
		v->env_var = l->env_var;
		for (size_t i = 0; i < l->nchain; i++)
			value_add_chain(m->arena, v, l->chain[i]);
		return v;
	}
	if (l->kind == VAL_STRING && l->nparts == 1 && l->parts[0].kind == PART_HOLE && !(l->flags & VF_USER) &&
	    !(l->parts[0].param && flow_keeps_params(m))) {
		v = value_new(m->arena, r->kind);
		*v = *r;
		value_absorb(m->arena, v, l);
		return v;
	}
	v = value_new(m->arena, VAL_ALT);
	value_push_item(m->arena, v, l);
	value_push_item(m->arena, v, r);
	v->flags = (l->flags | r->flags) & (VF_TAINT | VF_USER);
	value_merge_secret(v, l);
	value_merge_secret(v, r);
	return v;
}

/* Python "fmt" % args: %s, %d, %r, %(name)s. */
static struct value *percent_format(struct module *m, struct value *fmt, struct value *args)
{
	const char *f = value_constant(m->arena, fmt);
	struct value *v = value_text(m->arena, "", 0);
	size_t k = 0;

	if (!f)
		return value_concat(m->arena, fmt, args);
	while (*f) {
		const char *p = strchr(f, '%');
		if (!p) {
			v = value_concat(m->arena, v, value_text(m->arena, f, strlen(f)));
			break;
		}
		v = value_concat(m->arena, v, value_text(m->arena, f, (size_t)(p - f)));
		if (p[1] == '%') {
			v = value_concat(m->arena, v, value_text(m->arena, "%", 1));
			f = p + 2;
			continue;
		}
		const char *q = p + 1;
		struct value *item = NULL;
		if (*q == '(') {
			const char *e = strchr(q, ')');
			if (e) {
				item = value_get_prop(args, arena_strndup(m->arena, q + 1, (size_t)(e - q - 1)));
				q = e + 1;
			}
		} else if (args->kind == VAL_ARRAY) {
			item = k < args->nitems ? args->items[k++] : NULL;
		} else {
			item = args;
		}
		while (*q && strchr("0123456789.-+ #", *q))
			q++;
		if (*q)
			q++;
		v = value_concat(m->arena, v, item ? item : value_hole(m->arena, "%s", 2, 0));
		f = q;
	}
	return v;
}

static struct value *eval_binary(struct module *m, TSNode n)
{
	TSNode lt = child(m, n, F_LEFT), rt = child(m, n, F_RIGHT);
	TSNode op = child(m, n, F_OPERATOR);
	const char *o = node_text(m, op, 4);
	struct value *l, *r;

	if (strcmp(o, "+") && strcmp(o, "||") && strcmp(o, "??") && strcmp(o, "or") && strcmp(o, "%") &&
	    strcmp(o, "/"))
		return hole_of(m, n, 0);
	l = eval_node(m, lt);
	r = eval_node(m, rt);
	if (!strcmp(o, "||") || !strcmp(o, "??") || !strcmp(o, "or"))
		return either(m, l, r);
	if (!strcmp(o, "%"))
		return value_is_stringish(l) ? percent_format(m, l, r) : hole_of(m, n, 0);
	if (!strcmp(o, "/")) {  /* pathlib: Path.home() / ".ssh" */
		if (!value_is_stringish(l) || !value_is_stringish(r)) {
			struct value *h = hole_of(m, n, (l->flags | r->flags) & VF_TAINT);
			value_merge_secret(h, l);
			value_merge_secret(h, r);
			return h;
		}
		return value_concat(m->arena, value_concat(m->arena, l, value_text(m->arena, "/", 1)), r);
	}
	return value_concat(m->arena, l, r);
}

static bool in_list(const char *const *list, const char *s);

/* Whether cond tests the expression e: is it, or an operand of a comparison, negation or
 * parentheses around it (env.X, !env.X, env.X !== undefined, os.getenv(X) is None). */
static bool tests_expr(struct module *m, TSNode cond, TSNode e, const char *text, int depth)
{
	static const char *const tests[] = {"parenthesized_expression", "unary_expression", "binary_expression",
					    "not_operator", "comparison_operator", NULL};

	if (ts_node_is_null(cond) || depth > 2)
		return false;
	if (ts_node_end_byte(cond) - ts_node_start_byte(cond) == ts_node_end_byte(e) - ts_node_start_byte(e) &&
	    node_text_eq(m, cond, text))
		return true;
	if (!in_list(tests, ts_node_type(cond)))
		return false;
	for (uint32_t i = 0; i < ts_node_named_child_count(cond); i++)
		if (tests_expr(m, ts_node_named_child(cond, i), e, text, depth + 1))
			return true;
	return false;
}

static struct value *eval_ternary(struct module *m, TSNode n)
{
	TSNode a = child(m, n, F_CONSEQUENCE);
	TSNode b = child(m, n, F_ALTERNATIVE);
	TSNode cond = child(m, n, F_CONDITION);
	struct value *v = value_new(m->arena, VAL_ALT), *va, *vb;

	if (ts_node_is_null(a)) {  /* python: body if cond else alt */
		a = ts_node_named_child(n, 0);
		cond = ts_node_named_child(n, 1);
		b = ts_node_named_child(n, 2);
	}
	va = eval_node(m, a);
	vb = eval_node(m, b);
	/* env.X ? env.X : d, and !env.X ? d : env.X: the variable with a default, as env.X || d */
	if (env_hole(va) && tests_expr(m, cond, a, node_text(m, a, 512), 0))
		return either(m, va, vb);
	if (env_hole(vb) && tests_expr(m, cond, b, node_text(m, b, 512), 0))
		return either(m, vb, va);
	value_push_item(m->arena, v, va);
	value_push_item(m->arena, v, vb);
	for (size_t i = 0; i < v->nitems; i++) {
		v->flags |= v->items[i]->flags & (VF_TAINT | VF_USER);
		value_merge_secret(v, v->items[i]);
	}
	return v;
}

static struct value *eval_first_child(struct module *m, TSNode n)
{
	TSNode kids[4];
	size_t k = named_children(n, kids, 4);

	for (size_t i = 0; i < k; i++)
		if (!node_is(kids[i], "type_annotation"))
			return eval_node(m, kids[i]);
	return value_unknown(m->arena, "empty");
}

static struct value *eval_last_child(struct module *m, TSNode n)
{
	uint32_t k = ts_node_named_child_count(n);

	return k ? eval_node(m, ts_node_named_child(n, k - 1)) : value_unknown(m->arena, "empty");
}

static struct value *eval_right(struct module *m, TSNode n)
{
	return eval_node(m, child(m, n, F_RIGHT));
}

static struct value *eval_value_field(struct module *m, TSNode n)
{
	return eval_node(m, child(m, n, F_VALUE));
}

/* ---- literals of structure ---- */

/* {...s}: s's properties into o. A spread of alternatives ({...(c ? {host: a} : {socketPath:
 * b})}) gives each alternative's properties; a key two of them set is either value. */
static void spread_into(struct module *m, struct value *o, const struct value *s)
{
	const char *set[VALUE_MAX_PROPS];  /* keys this spread has set: those become either value */
	size_t nset = 0;

	if (s->kind == VAL_OBJECT) {
		for (size_t j = 0; j < s->nprops; j++)
			value_set_prop(m->arena, o, s->props[j].key, s->props[j].value);
		return;
	}
	for (size_t i = 0; s->kind == VAL_ALT && i < s->nitems; i++) {
		const struct value *it = s->items[i];
		for (size_t j = 0; it->kind == VAL_OBJECT && j < it->nprops; j++) {
			struct value *had = NULL, *alt;
			for (size_t k = 0; k < nset && !had; k++)
				if (!strcmp(set[k], it->props[j].key))
					had = value_get_prop(o, set[k]);
			if (!had) {
				value_set_prop(m->arena, o, it->props[j].key, it->props[j].value);
				if (nset < VALUE_MAX_PROPS)
					set[nset++] = it->props[j].key;
				continue;
			}
			alt = value_new(m->arena, VAL_ALT);
			value_push_item(m->arena, alt, had);
			value_push_item(m->arena, alt, it->props[j].value);
			value_set_prop(m->arena, o, it->props[j].key, alt);
		}
	}
}

static struct value *eval_object(struct module *m, TSNode n)
{
	struct value *o = value_new(m->arena, VAL_OBJECT);
	TSNode kids[VALUE_MAX_PROPS + 1];
	size_t k = named_children(n, kids, VALUE_MAX_PROPS + 1);

	if (k > VALUE_MAX_PROPS) {  /* the properties past the cap are not read */
		k = VALUE_MAX_PROPS;
		o = value_bounded(m->arena, o, BOUND_BIT(BOUND_PROPS), true);
	}
	for (size_t i = 0; i < k; i++) {
		TSNode c = kids[i];
		if (node_is(c, "pair")) {
			TSNode key = child(m, c, F_KEY);
			struct value *kv = node_is(key, "computed_property_name") ? eval_first_child(m, key) : eval_node(m, key);
			const char *ks = value_constant(m->arena, kv);
			struct value *val;
			if (!ks && (node_is(key, "property_identifier") || node_is(key, "identifier")))
				ks = node_text(m, key, 200);
			val = eval_node(m, child(m, c, F_VALUE));
			if (ks)
				value_set_prop(m->arena, o, ks, val);
			o->flags |= val->flags & (VF_TAINT | VF_USER);
			value_merge_secret(o, val);
			if (val->kind == VAL_ENVOBJ)
				o->flags |= VF_ENVDUMP;
		} else if (node_is(c, "shorthand_property_identifier")) {
			struct value *val = eval_identifier(m, c);
			value_set_prop(m->arena, o, node_text(m, c, 200), val);
			o->flags |= val->flags & (VF_TAINT | VF_USER);
			value_merge_secret(o, val);
		} else if (node_is(c, "spread_element") || node_is(c, "dictionary_splat")) {
			struct value *s = eval_first_child(m, c);
			if (s->kind == VAL_ENVOBJ)
				o->flags |= VF_ENVDUMP;  /* {...process.env}, {**os.environ} */
			spread_into(m, o, s);
			o->flags |= s->flags & (VF_TAINT | VF_USER);
			value_merge_secret(o, s);
		}
	}
	for (size_t j = 0; j < o->nprops; j++)
		for (size_t c = 0; c < o->props[j].value->nchain; c++)
			value_add_chain(m->arena, o, o->props[j].value->chain[c]);
	return o;
}

/* TypeScript enum { A = 'x', B } as an object of its members. */
static struct value *eval_enum_body(struct module *m, TSNode n)
{
	struct value *o = value_new(m->arena, VAL_OBJECT);
	TSNode kids[VALUE_MAX_PROPS + 1];
	size_t k = named_children(n, kids, VALUE_MAX_PROPS + 1);

	if (k > VALUE_MAX_PROPS) {
		k = VALUE_MAX_PROPS;
		o = value_bounded(m->arena, o, BOUND_BIT(BOUND_PROPS), true);
	}
	for (size_t i = 0; i < k; i++) {
		if (node_is(kids[i], "enum_assignment"))
			value_set_prop(m->arena, o, node_text(m, child(m, kids[i], F_NAME), 200),
				       eval_node(m, child(m, kids[i], F_VALUE)));
	}
	return o;
}

static struct value *eval_array(struct module *m, TSNode n)
{
	struct value *a = value_new(m->arena, VAL_ARRAY);
	TSNode kids[VALUE_MAX_ITEMS + 1];
	size_t k = named_children(n, kids, VALUE_MAX_ITEMS + 1);

	for (size_t i = 0; i < k && i < VALUE_MAX_ITEMS; i++) {
		TSNode c = kids[i];
		struct value *v;
		v = eval_node(m, c);
		value_push_item(m->arena, a, v);
		a->flags |= v->flags & (VF_TAINT | VF_USER);
		value_merge_secret(a, v);
		for (size_t j = 0; j < v->nchain; j++)
			value_add_chain(m->arena, a, v->chain[j]);
	}
	if (k > VALUE_MAX_ITEMS) {
		a->flags |= VF_LIMIT;
		a = value_bounded(m->arena, a, BOUND_BIT(BOUND_ITEMS), true);
	}
	return a;
}

static struct value *eval_function(struct module *m, TSNode n)
{
	struct value *v = value_new(m->arena, VAL_FUNCTION);

	v->name = function_name(m, n);
	v->node_id = ts_node_start_byte(n);
	return v;
}

/* ---- calls ---- */

/* Character codes from numbers (constant) into text. */
static struct value *from_char_codes(struct module *m, struct value **codes, size_t n, const struct value *from)
{
	char buf[VALUE_MAX_TEXT];
	size_t len = 0;

	for (size_t i = 0; i < n; i++) {
		const char *c = value_constant(m->arena, codes[i]);
		char *end;
		long cp;
		if (!c)
			return NULL;
		cp = strtol(c, &end, 0);
		if (*end || cp <= 0 || cp > 0x7f || len + 1 >= sizeof buf)
			return NULL;  /* only ASCII: host names and URLs */
		buf[len++] = (char)cp;
	}
	struct value *v = decoded(m, buf, (long)len, "char-codes", from);
	return v;
}

static struct value *bi_from_char_code(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *vals[MAX_ARGS];
	struct value *v;

	if (nargs == 1 && node_is(args[0], "spread_element")) {
		struct value *arr = eval_first_child(m, args[0]);
		if (arr->kind == VAL_ARRAY && (v = from_char_codes(m, arr->items, arr->nitems, arr)))
			return v;
		return hole_of(m, call, 0);
	}
	for (size_t i = 0; i < nargs; i++)
		vals[i] = eval_node(m, args[i]);
	v = from_char_codes(m, vals, nargs, NULL);
	return v ? v : hole_of(m, call, 0);
}

static struct value *decode_with(struct module *m, struct value *in, const char *enc, TSNode call)
{
	const char *c = value_constant(m->arena, in);
	char out[VALUE_MAX_TEXT];
	long n = -1;
	const char *by = enc;

	if (!c)
		return hole_from(m, call, in, (VF_TAINT | VF_USER));
	if (!strcmp(enc, "base64") || !strcmp(enc, "base64url"))
		n = decode_base64(c, strlen(c), out, sizeof out), by = "base64";
	else if (!strcmp(enc, "hex"))
		n = decode_hex(c, strlen(c), out, sizeof out);
	else if (!strcmp(enc, "base32"))
		n = decode_base32(c, strlen(c), out, sizeof out);
	else if (!strcmp(enc, "rot13") || !strcmp(enc, "rot_13"))
		n = decode_rot13(c, strlen(c), out, sizeof out), by = "rot13";
	else if (!strcmp(enc, "percent"))
		n = decode_percent(c, strlen(c), out, sizeof out);
	else
		return in;
	struct value *v = decoded(m, out, n, by, in);
	if (v && !strcmp(enc, "percent") && strcmp(out, c) == 0)
		return in;  /* nothing was encoded: not a decoding */
	if (!v && strlen(c) + 1 >= sizeof out)  /* the decoder's output cap, not bad input */
		return value_bounded(m->arena, hole_of(m, call, 0), BOUND_BIT(BOUND_TEXT), true);
	return v ? v : hole_of(m, call, 0);
}

/* atob(x), base64.b64decode(x), bytes.fromhex(x) ...: the first argument decoded with the
 * encoding the builtins table gives. */
static struct value *bi_decode(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *v = arg_value(m, args, nargs, 0);

	return v ? decode_with(m, v, opt, call) : hole_of(m, call, 0);
}

static struct value *bi_codecs_decode(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *v = arg_value(m, args, nargs, 0);
	const char *enc = const_arg(m, args, nargs, 1);

	if (!v)
		return hole_of(m, call, 0);
	return decode_with(m, v, enc ? enc : "utf-8", call);
}

/* Buffer.from(s, 'base64' | 'hex' | 'base64url'); without an encoding it is s itself. */
static struct value *bi_buffer_from(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *v = arg_value(m, args, nargs, 0);
	const char *enc = const_arg(m, args, nargs, 1);

	if (!v)
		return hole_of(m, call, 0);
	if (v->kind == VAL_ARRAY) {
		struct value *s = from_char_codes(m, v->items, v->nitems, v);
		return s ? s : hole_from(m, call, v, VF_TAINT);
	}
	return enc ? decode_with(m, v, enc, call) : v;
}

/* bytes([104, 116, ...]) and bytearray(...) */
static struct value *bi_bytes(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *v = arg_value(m, args, nargs, 0), *s;

	if (!v)
		return hole_of(m, call, 0);
	if (v->kind == VAL_ARRAY && (s = from_char_codes(m, v->items, v->nitems, v)))
		return s;
	return value_is_stringish(v) ? v : hole_from(m, call, v, VF_TAINT);
}

static struct value *bi_chr(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *v = arg_value(m, args, nargs, 0), *s;

	if (v && (s = from_char_codes(m, &v, 1, v)))
		return s;
	return hole_of(m, call, 0);
}

static struct value *bi_passthrough(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *v = arg_value(m, args, nargs, 0);

	return v ? v : hole_of(m, call, 0);
}

#define MAP_NAME "Map"  /* VAL_OBJECT.name of a Map: its get(k) reads a property */

/* new Map([[k, v], ...]): an object whose entries get(k) finds (set() later is not seen). */
static struct value *bi_new_map(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *obj = value_new(m->arena, VAL_OBJECT), *entries = arg_value(m, args, nargs, 0);

	obj->name = MAP_NAME;
	for (size_t i = 0; entries && entries->kind == VAL_ARRAY && i < entries->nitems; i++) {
		struct value *e = entries->items[i];
		const char *key = e->kind == VAL_ARRAY && e->nitems >= 2 ? value_constant(m->arena, e->items[0]) : NULL;
		if (key)
			value_set_prop(m->arena, obj, key, e->items[1]);
	}
	return obj;
}

/* An encoding (btoa, JSON.stringify, b64encode): unknown text that carries its input's taint. */
static struct value *bi_encode(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	return opaque_call(m, call, args, nargs);
}

static struct value *bi_identity(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *v = hole_of(m, call, VF_IDENTITY);

	value_add_chain(m->arena, v, chain_step(m, call));
	return v;
}

static struct value *bi_homedir(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	return value_text(m->arena, "~", 1);
}

static struct value *join_values(struct module *m, struct value **items, size_t n, const char *sep)
{
	struct value *v = value_text(m->arena, "", 0);

	for (size_t i = 0; i < n; i++) {
		if (i && *sep)
			v = value_concat(m->arena, v, value_text(m->arena, sep, strlen(sep)));
		v = value_concat(m->arena, v, items[i]);
	}
	return v;
}

static struct value *bi_path_join(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *vals[MAX_ARGS];

	for (size_t i = 0; i < nargs; i++)
		vals[i] = eval_node(m, args[i]);
	return join_values(m, vals, nargs, "/");
}

/* new URL(path, base), url.resolve(base, path), urljoin(base, path) */
static struct value *url_join(struct module *m, struct value *base, struct value *path)
{
	const char *p = value_constant(m->arena, path), *b = value_constant(m->arena, base);
	char buf[VALUE_MAX_TEXT];

	if (!path)
		return base;
	if (!base)
		return path;
	if (p && strstr(p, "://"))
		return path;
	if (b && p) {
		const char *host = strstr(b, "://");
		const char *slash = host ? strchr(host + 3, '/') : NULL;
		if (p[0] == '/' && host)
			snprintf(buf, sizeof buf, "%.*s%s", slash ? (int)(slash - b) : (int)strlen(b), b, p);
		else {
			const char *last = strrchr(b, '/');
			if (last && (!host || last > host + 2))
				snprintf(buf, sizeof buf, "%.*s/%s", (int)(last - b), b, p);
			else
				snprintf(buf, sizeof buf, "%s/%s", b, p);
		}
		struct value *v = value_text(m->arena, buf, strlen(buf));
		value_absorb(m->arena, v, base);
		value_absorb(m->arena, v, path);
		return v;
	}
	return value_concat(m->arena, base, path);
}

static struct value *bi_new_url(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *p = arg_value(m, args, nargs, 0), *b = arg_value(m, args, nargs, 1);

	return p ? url_join(m, b, p) : hole_of(m, call, 0);
}

static struct value *bi_url_resolve(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *b = arg_value(m, args, nargs, 0), *p = arg_value(m, args, nargs, 1);

	return b ? url_join(m, b, p) : hole_of(m, call, 0);
}

/* os.environ.get('X', default), os.getenv('X', default) */
static struct value *bi_getenv(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	const char *name = const_arg(m, args, nargs, 0);
	struct value *env = env_var(m, name ? name : "?", call);
	struct value *def = arg_value(m, args, nargs, 1);

	return def ? either(m, env, def) : env;
}

static struct value *bi_require(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	const char *spec = const_arg(m, args, nargs, 0);

	return spec ? module_value(m, spec) : hole_of(m, call, 0);
}

/* __import__('a.b') returns the top package a (importlib.import_module returns a.b) */
static struct value *bi_dunder_import(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	const char *spec = const_arg(m, args, nargs, 0);

	if (!spec)
		return hole_of(m, call, 0);
	return module_value(m, arena_strndup(m->arena, spec, strcspn(spec, ".")));
}

static struct value *bi_getattr(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *obj = arg_value(m, args, nargs, 0);
	const char *key = const_arg(m, args, nargs, 1);

	return obj ? member_of(m, obj, key, call) : hole_of(m, call, 0);
}

/* open(path) / readFileSync(path): file content, a credential when the path is one. The
 * content is configuration the server was given (VF_LAUNCH): a destination read from it
 * is configured, like an environment variable, under the file's name. */
static struct value *bi_read_file(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *p = arg_value(m, args, nargs, 0);
	char path[1024];
	struct value *v = hole_of(m, call, VF_ENV | VF_LAUNCH);
	const char *known = p ? value_constant(m->arena, p) : NULL;

	v->env_var = known ? known : p && (p->flags & VF_ENV) && p->env_var ? p->env_var : "a configuration file";
	if (!p)
		return v;
	value_render(p, path, sizeof path);
	if (eval_is_credential_path(path)) {
		v->flags |= VF_CREDFILE;
		value_add_chain(m->arena, v, chain_step(m, call));
	}
	return v;
}

/* Object.assign(target, ...sources): the properties of all, later ones winning. */
static struct value *bi_object_assign(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *o = value_new(m->arena, VAL_OBJECT);

	for (size_t i = 0; i < nargs; i++) {
		struct value *a = eval_node(m, args[i]);
		for (size_t k = 0; a->kind == VAL_OBJECT && k < a->nprops; k++)
			value_set_prop(m->arena, o, a->props[k].key, a->props[k].value);
		o->flags |= a->flags & (VF_TAINT | VF_USER);
		value_merge_secret(o, a);
		if (a->kind == VAL_ENVOBJ)
			o->flags |= VF_ENVDUMP;  /* Object.assign({}, process.env) */
	}
	return o;
}

/* Object.entries(process.env), Object.keys(...): a view of the whole environment. */
static struct value *bi_object_view(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *v = arg_value(m, args, nargs, 0);

	return v && v->kind == VAL_ENVOBJ ? env_dump(m, call) : opaque_call(m, call, args, nargs);
}

static struct value *bi_dict(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *v = arg_value(m, args, nargs, 0);

	return v && v->kind == VAL_ENVOBJ ? v : opaque_call(m, call, args, nargs);
}

/* Environment schemas (zod, yup, joi, envalid, env-var): a field's default is what the
 * variable holds when it is unset, so a URL default is the variable's default destination,
 * as in `process.env.X || 'https://...'`. The builder chain stays a library value; its
 * default rides in base (read only by the parse below) and an object schema's fields in
 * props, until the schema parses the environment itself. */

/* The methods that give a field its default (zod .default/.catch, yup/joi .default,
 * env-var .default) and those that parse input with a schema, its result holding the
 * fields as themselves, or under data (zod safeParse) or value (joi validate). */
static const char *const schema_default_methods[] = {"default", "catch", NULL};
static const char *const schema_parse_methods[] = {"parse", "safeParse", "parseAsync", "safeParseAsync", "validate",
						   "validateSync", "cast", NULL};
/* Libraries whose field builders take their default as an option: url({default: ...}). */
static const char *const schema_option_libraries[] = {"envalid.", NULL};

static bool in_list(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

static bool stringish(const struct value *v)
{
	return v && (v->kind == VAL_STRING || v->kind == VAL_ALT);
}

/* A builder's default, when this call of method on recv gives one: recv.default('https://')
 * on a value a library call made (not got.default(url), which is got itself). */
static struct value *schema_default(struct module *m, struct value *recv, const char *method, TSNode *args,
				    size_t nargs)
{
	struct value *d, *v;
	char buf[512];

	if (recv->kind != VAL_MODULE || !strstr(recv->name, "()") || !in_list(schema_default_methods, method) ||
	    !stringish(d = arg_value(m, args, nargs, 0)))
		return NULL;
	snprintf(buf, sizeof buf, "%s.%s()", recv->name, method);
	v = value_module(m->arena, buf);
	/* env-var's get('X') already names its variable: the default is that variable's */
	v->base = recv->base && (recv->base->flags & VF_ENV) ? either(m, recv->base, d) : d;
	v->props = recv->props;
	v->nprops = recv->nprops;
	return v;
}

/* The fields of an object schema that parsed the environment: each the variable of its
 * name, with the field's default when it has one. */
static struct value *schema_env_fields(struct module *m, const struct value *schema, TSNode at)
{
	struct value *o = value_new(m->arena, VAL_OBJECT), *f, *var;

	for (size_t i = 0; i < schema->nprops; i++) {
		f = schema->props[i].value;
		var = env_var(m, schema->props[i].key, at);
		if (f->kind == VAL_MODULE && stringish(f->base))
			var = (f->base->flags & VF_ENV) ? f->base : either(m, var, f->base);
		value_set_prop(m->arena, o, schema->props[i].key, var);
	}
	return o;
}

/* schema.parse(process.env) and its kin: the environment's fields; NULL otherwise. */
static struct value *schema_parse(struct module *m, struct value *recv, const char *method, TSNode call,
				  TSNode *args, size_t nargs)
{
	struct value *in, *fields, *out;

	if (recv->kind != VAL_MODULE || !recv->nprops || !in_list(schema_parse_methods, method) ||
	    !(in = arg_value(m, args, nargs, 0)) || in->kind != VAL_ENVOBJ)
		return NULL;
	fields = schema_env_fields(m, recv, call);
	out = value_new(m->arena, VAL_OBJECT);
	for (size_t i = 0; i < fields->nprops; i++)
		value_set_prop(m->arena, out, fields->props[i].key, fields->props[i].value);
	value_set_prop(m->arena, out, "data", fields);
	value_set_prop(m->arena, out, "value", fields);
	return out;
}

/* env-var: get('X') is the variable X, asString()/asUrlString()/required() keep it. */
static struct value *env_var_library(struct module *m, struct value *recv, const char *method, TSNode call,
				     TSNode *args, size_t nargs)
{
	const char *name;
	struct value *v;

	if (recv->kind != VAL_MODULE || strncmp(recv->name, "env-var", 7) != 0)
		return NULL;
	if (!strcmp(method, "get") && !strchr(recv->name, '(') && (name = const_arg(m, args, nargs, 0))) {
		v = value_module(m->arena, "env-var.get()");
		v->base = env_var(m, name, call);
		return v;
	}
	if (strstr(recv->name, ".get()") && recv->base && (!strncmp(method, "as", 2) || !strcmp(method, "required")))
		return recv->base;
	return NULL;
}

/* envalid's cleanEnv(process.env, {X: url({default: ...})}) */
static struct value *bi_clean_env(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *in = arg_value(m, args, nargs, 0), *specs = arg_value(m, args, nargs, 1);

	(void)opt;
	if (!in || in->kind != VAL_ENVOBJ || !specs || specs->kind != VAL_OBJECT)
		return opaque_call(m, call, args, nargs);
	return schema_env_fields(m, specs, call);
}

/* url({default: 'https://...'}) of a library that takes the default as an option. */
static struct value *schema_option_default(struct module *m, const char *callee, TSNode *args, size_t nargs)
{
	struct value *a;

	for (size_t i = 0; schema_option_libraries[i]; i++)
		if (!strncmp(callee, schema_option_libraries[i], strlen(schema_option_libraries[i])) &&
		    (a = arg_value(m, args, nargs, 0)) && a->kind == VAL_OBJECT && stringish(a = value_get_prop(a, "default")))
			return a;
	return NULL;
}

static struct value *bi_partial(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt);

static const struct {
	const char *name;
	builtin_fn fn;
	const char *opt;   /* the encoding, for bi_decode */
} builtins[] = {
	{"Map", bi_new_map, NULL}, {"String.fromCharCode", bi_from_char_code, NULL}, {"String.fromCodePoint", bi_from_char_code, NULL},
	{"Buffer.from", bi_buffer_from, NULL}, {"atob", bi_decode, "base64"}, {"btoa", bi_encode, NULL},
	{"decodeURIComponent", bi_decode, "percent"}, {"decodeURI", bi_decode, "percent"}, {"unescape", bi_decode, "percent"},
	{"querystring.unescape", bi_decode, "percent"}, {"urllib.parse.unquote", bi_decode, "percent"},
	{"encodeURIComponent", bi_encode, NULL}, {"encodeURI", bi_encode, NULL}, {"escape", bi_encode, NULL},
	{"JSON.stringify", bi_encode, NULL}, {"JSON.parse", bi_passthrough, NULL}, {"String", bi_passthrough, NULL},
	{"require", bi_require, NULL}, {"import", bi_require, NULL}, {"URL", bi_new_url, NULL}, {"url.URL", bi_new_url, NULL}, {"Request", bi_passthrough, NULL},
	{"url.resolve", bi_url_resolve, NULL}, {"path.join", bi_path_join, NULL}, {"path.resolve", bi_path_join, NULL},
	{"path.posix.join", bi_path_join, NULL}, {"os.homedir", bi_homedir, NULL}, {"os.hostname", bi_identity, NULL},
	{"os.userInfo", bi_identity, NULL}, {"os.networkInterfaces", bi_identity, NULL},
	{"__importDefault", bi_passthrough, NULL}, {"__importStar", bi_passthrough, NULL},
	{"_interopRequireDefault", bi_passthrough, NULL}, {"tslib.__importDefault", bi_passthrough, NULL},
	{"tslib.__importStar", bi_passthrough, NULL},
	{"fs.readFileSync", bi_read_file, NULL}, {"fs.readFile", bi_read_file, NULL}, {"fs.promises.readFile", bi_read_file, NULL},
	{"fs/promises.readFile", bi_read_file, NULL}, {"fs.createReadStream", bi_read_file, NULL},
	{"base64.b64decode", bi_decode, "base64"}, {"base64.urlsafe_b64decode", bi_decode, "base64"},
	{"base64.standard_b64decode", bi_decode, "base64"}, {"base64.decodebytes", bi_decode, "base64"},
	{"base64.b32decode", bi_decode, "base32"}, {"base64.b16decode", bi_decode, "hex"}, {"bytes.fromhex", bi_decode, "hex"},
	{"binascii.unhexlify", bi_decode, "hex"}, {"binascii.a2b_hex", bi_decode, "hex"}, {"binascii.a2b_base64", bi_decode, "base64"},
	{"codecs.decode", bi_codecs_decode, NULL}, {"bytes", bi_bytes, NULL}, {"bytearray", bi_bytes, NULL}, {"chr", bi_chr, NULL},
	{"str", bi_passthrough, NULL}, {"base64.b64encode", bi_encode, NULL}, {"base64.urlsafe_b64encode", bi_encode, NULL},
	{"binascii.hexlify", bi_encode, NULL}, {"json.dumps", bi_encode, NULL}, {"urllib.parse.urlencode", bi_encode, NULL},
	{"urllib.parse.quote", bi_passthrough, NULL}, {"urllib.parse.urljoin", bi_url_resolve, NULL},
	{"urlparse.urljoin", bi_url_resolve, NULL}, {"os.environ.get", bi_getenv, NULL}, {"os.getenv", bi_getenv, NULL},
	{"os.path.join", bi_path_join, NULL}, {"posixpath.join", bi_path_join, NULL}, {"os.path.expanduser", bi_passthrough, NULL},
	{"pathlib.Path", bi_passthrough, NULL}, {"pathlib.Path.home", bi_homedir, NULL}, {"socket.gethostname", bi_identity, NULL},
	{"platform.node", bi_identity, NULL}, {"getpass.getuser", bi_identity, NULL}, {"os.getlogin", bi_identity, NULL},
	{"os.uname", bi_identity, NULL}, {"socket.getfqdn", bi_identity, NULL}, {"open", bi_read_file, NULL},
	{"io.open", bi_read_file, NULL}, {"dict", bi_dict, NULL}, {"importlib.import_module", bi_require, NULL},
	{"__import__", bi_dunder_import, NULL}, {"getattr", bi_getattr, NULL}, {"urllib.request.Request", bi_passthrough, NULL},
	{"os.environ.copy", bi_dict, NULL}, {"Object.freeze", bi_passthrough, NULL},
	{"Object.assign", bi_object_assign, NULL}, {"structuredClone", bi_passthrough, NULL},
	{"Object.entries", bi_object_view, NULL}, {"Object.keys", bi_object_view, NULL},
	{"Object.values", bi_object_view, NULL}, {"Object.getOwnPropertyNames", bi_object_view, NULL},
	{"Reflect.ownKeys", bi_object_view, NULL},
	{"util.promisify", bi_passthrough, NULL}, {"functools.partial", bi_partial, NULL},
	{"functools.wraps", bi_passthrough, NULL}, {"envalid.cleanEnv", bi_clean_env, NULL},
	/* parsers of a configuration file's content: what they return is that content */
	{"json.load", bi_passthrough, NULL}, {"json.loads", bi_passthrough, NULL}, {"yaml.safe_load", bi_passthrough, NULL}, {"yaml.load", bi_passthrough, NULL},
	{"yaml.full_load", bi_passthrough, NULL}, {"tomllib.load", bi_passthrough, NULL}, {"tomli.load", bi_passthrough, NULL},
	{"toml.load", bi_read_file, NULL}, {"dotenv.dotenv_values", bi_read_file, NULL},
	{"yaml.parse", bi_passthrough, NULL}, {"js-yaml.load", bi_passthrough, NULL}, {"dotenv.parse", bi_passthrough, NULL},
};

/* A function with leading arguments (and keywords) bound: the same function, the bound values
 * in items (and props), which the model reader puts before the call's own. */
static struct value *bound_function(struct module *m, struct value *f, TSNode *args, size_t nargs, size_t from)
{
	struct value *v;

	for (size_t i = 0; f->kind == VAL_ALT && i < f->nitems; i++)
		if (f->items[i]->kind == VAL_MODULE || f->items[i]->kind == VAL_FUNCTION)
			f = f->items[i];
	if (f->kind != VAL_MODULE && f->kind != VAL_FUNCTION)
		return NULL;
	v = value_new(m->arena, f->kind);
	*v = *f;
	v->items = NULL;
	v->nitems = 0;
	v->props = NULL;
	v->nprops = 0;
	for (size_t i = 0; i < f->nitems; i++)
		value_push_item(m->arena, v, f->items[i]);
	for (size_t i = from; i < nargs; i++) {
		if (node_is(args[i], "keyword_argument"))
			value_set_prop(m->arena, v, node_text(m, child(m, args[i], F_NAME), 64),
				       eval_node(m, child(m, args[i], F_VALUE)));
		else
			value_push_item(m->arena, v, eval_node(m, args[i]));
	}
	return v;
}

/* functools.partial(f, a, k=v) */
static struct value *bi_partial(struct module *m, TSNode call, TSNode *args, size_t nargs, const char *opt)
{
	struct value *f = nargs ? eval_node(m, args[0]) : NULL;
	struct value *v = f ? bound_function(m, f, args, nargs, 1) : NULL;

	return v ? v : hole_of(m, call, 0);
}

/* Index of name in the builtins table, or -1. */
static int find_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof builtins / sizeof builtins[0]; i++)
		if (strcmp(builtins[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Client factories whose instances resolve relative URLs against a base. */
static const struct {
	const char *factory;
	const char *option;   /* option or keyword holding the base; NULL: the first argument */
} client_factories[] = {
	{"axios.create", "baseURL"}, {"got.extend", "prefixUrl"}, {"ky.create", "prefixUrl"},
	{"ky.extend", "prefixUrl"}, {"ofetch.create", "baseURL"}, {"undici.Pool", NULL},
	{"undici.Client", NULL}, {"httpx.Client", "base_url"}, {"httpx.AsyncClient", "base_url"},
	{"aiohttp.ClientSession", "base_url"}, {"wretch", NULL},
};

static struct value *client_base(struct module *m, const char *factory, TSNode *args, size_t nargs)
{
	for (size_t i = 0; i < sizeof client_factories / sizeof client_factories[0]; i++) {
		const char *opt = client_factories[i].option;
		TSNode kw;
		struct value *a;
		if (strcmp(client_factories[i].factory, factory) != 0)
			continue;
		if (!opt)
			return arg_value(m, args, nargs, 0);
		if (!m->js && keyword(m, args, nargs, opt, &kw))
			return eval_node(m, kw);
		a = arg_value(m, args, nargs, 0);
		return a ? value_get_prop(a, opt) : NULL;
	}
	return NULL;
}

/* The expression fn returns: an arrow function's expression body, else the value of its
 * first return (not looking into nested functions); a null node when there is none. */
static TSNode first_return(struct module *m, TSNode fn)
{
	TSNode body, found = {0};
	TSTreeCursor cur;
	unsigned visited = 0;

	body = child(m, fn, F_BODY);
	if (ts_node_is_null(body))
		return found;
	if (!node_is(body, "statement_block") && !node_is(body, "block")) {
		found = body;  /* arrow function with an expression body */
	} else {
		/* the first return with a value, not looking into nested functions */
		cur = ts_tree_cursor_new(body);
		bool down = true;
		while (visited++ < 2000) {
			TSNode c = ts_tree_cursor_current_node(&cur);
			if (node_is(c, "return_statement") && ts_node_named_child_count(c)) {
				found = ts_node_named_child(c, 0);
				break;
			}
			if (down && !is_function_node(m, c) && ts_tree_cursor_goto_first_child(&cur))
				continue;
			down = true;
			if (ts_tree_cursor_goto_next_sibling(&cur))
				continue;
			bool up = false;
			while (ts_tree_cursor_goto_parent(&cur)) {
				if (ts_node_eq(ts_tree_cursor_current_node(&cur), body))
					break;
				if (ts_tree_cursor_goto_next_sibling(&cur)) {
					up = true;
					break;
				}
			}
			if (!up)
				break;
		}
		ts_tree_cursor_delete(&cur);
	}
	return found;
}

/* first_return, searched once per function */
static TSNode returned_expression(struct module *m, TSNode fn, uint32_t start)
{
	bool hit;
	void **slot = pos_memo_slot(&m->returns, m->index_arena, (uint64_t)start + 1, &hit);
	TSNode found, *keep;

	if (slot && hit)
		return *(TSNode *)*slot;
	found = first_return(m, fn);
	if (slot && (keep = arena_alloc(m->index_arena, sizeof *keep))) {
		*keep = found;
		*slot = keep;
	}
	return found;
}

/* Return value of a function defined in this file, with its parameters bound to args. */
static struct value *call_local(struct module *m, const struct value *fv, TSNode call, TSNode *args,
				size_t nargs)
{
	TSNode fn = function_at(m, fv->node_id), found;
	struct frame fr = {0};
	struct value *vals[MAX_ARGS], *v;

	if (ts_node_is_null(fn) || !is_function_node(m, fn))
		return NULL;
	for (struct frame *f = m->frames; f; f = f->next)
		if (f->function_start == fv->node_id)
			return NULL;  /* recursion */
	found = returned_expression(m, fn, fv->node_id);
	if (ts_node_is_null(found) || found.id == NULL)
		return NULL;
	for (size_t i = 0; i < nargs; i++)
		vals[i] = eval_node(m, args[i]);
	fr.function_start = fv->node_id;
	fr.function = fn;
	fr.args = vals;
	fr.nargs = nargs;
	fr.next = m->frames;
	m->frames = &fr;
	v = eval_node(m, found);
	m->frames = fr.next;
	(void)call;
	return v;
}

/* Whether the host of joined (a URL built by joining arr) is spread over several
 * literal pieces: code that names its API writes the host in one piece. */
static bool host_split(struct module *m, const struct value *arr, const struct value *joined)
{
	const char *s = value_constant(m->arena, joined), *h, *end;
	size_t hl;

	if (!s || !(h = strstr(s, "://")))
		return false;
	h += 3;
	end = h + strcspn(h, "/:?#");
	hl = (size_t)(end - h);
	if (hl < 4)
		return false;
	for (size_t i = 0; i < arr->nitems; i++) {
		const char *c = value_constant(m->arena, arr->items[i]);
		if (c && strlen(c) >= hl && memmem(c, strlen(c), h, hl))
			return false;
	}
	return true;
}

/* A method call on a value: what each string and array method below reads. */
struct method_call {
	struct module *m;
	struct value *recv;
	const char *s;          /* recv as a constant string, or NULL */
	const char *method;
	TSNode call;
	TSNode *args;
	size_t nargs;
};

typedef struct value *(*method_fn)(const struct method_call *c);

/* Marks a join that spells the host out piece by piece as decoded. */
static void flag_spelled_out(struct module *m, const struct value *recv, struct value *v, const char *sep)
{
	size_t short_items = 0;

	if (v->flags & VF_DECODED)
		return;  /* already decoded on the way (reversed, char codes) */
	if (sep && !*sep && host_split(m, recv, v)) {
		v->flags |= VF_DECODED;
		v->decoded_by = "split-string";
		return;
	}
	if (!sep || *sep || recv->nitems < 4)
		return;
	/* ['h','t','t','p',...].join(''): spelled out letter by letter */
	for (size_t i = 0; i < recv->nitems; i++) {
		const char *c = value_constant(m->arena, recv->items[i]);
		short_items += c && strlen(c) <= 2;
	}
	if (short_items * 2 > recv->nitems) {
		v->flags |= VF_DECODED;
		v->decoded_by = "char-array";
	}
}

static struct value *m_join(const struct method_call *c)
{
	struct module *m = c->m;
	struct value *v;

	if (c->recv->kind == VAL_ARRAY) {
		const char *sep = const_arg(m, c->args, c->nargs, 0);
		v = join_values(m, c->recv->items, c->recv->nitems, c->nargs ? (sep ? sep : "") : ",");
		value_absorb(m->arena, v, c->recv);  /* [...].reverse().join(): the reversal counts */
		flag_spelled_out(m, c->recv, v, sep);
		return v;
	}
	if (c->s) {  /* python: sep.join(iterable) */
		struct value *it = arg_value(m, c->args, c->nargs, 0);
		if (it && it->kind == VAL_ARRAY)
			return join_values(m, it->items, it->nitems, c->s);
		return it ? it : hole_of(m, c->call, 0);
	}
	return NULL;
}

static struct value *m_reverse(const struct method_call *c)
{
	struct value *v;

	if (c->recv->kind != VAL_ARRAY)
		return NULL;
	v = value_new(c->m->arena, VAL_ARRAY);
	for (size_t i = c->recv->nitems; i > 0; i--)
		value_push_item(c->m->arena, v, c->recv->items[i - 1]);
	v->flags = c->recv->flags | VF_DECODED;
	v->decoded_by = "reverse";
	return v;
}

/* arr.map(String.fromCharCode) or arr.map(c => String.fromCharCode(c)) */
static struct value *m_map(const struct method_call *c)
{
	struct module *m = c->m;
	struct value *str, *v;
	const char *t;

	if (c->recv->kind != VAL_ARRAY || c->nargs != 1)
		return NULL;
	t = node_text(m, c->args[0], 200);
	if ((strstr(t, "fromCharCode") || strstr(t, "chr")) &&
	    (str = from_char_codes(m, c->recv->items, c->recv->nitems, c->recv))) {
		v = value_new(m->arena, VAL_ARRAY);
		for (size_t i = 0; str->nparts && i < str->parts[0].len; i++)
			value_push_item(m->arena, v, value_text(m->arena, str->parts[0].text + i, 1));
		v->flags = str->flags;
		v->decoded_by = str->decoded_by;
		return v;
	}
	return hole_from(m, c->call, c->recv, VF_TAINT);
}

static struct value *m_split(const struct method_call *c)
{
	struct module *m = c->m;
	const char *sep = const_arg(m, c->args, c->nargs, 0), *s = c->s;
	struct value *v;

	if (!s)
		return NULL;
	v = value_new(m->arena, VAL_ARRAY);
	if (sep && !*sep) {
		/* one more than is kept, so that value_push_item sees the cut and says so */
		for (size_t i = 0; s[i] && i <= VALUE_MAX_ITEMS; i++)
			value_push_item(m->arena, v, value_text(m->arena, s + i, 1));
	} else if (sep) {
		const char *p = s, *q;
		while ((q = strstr(p, sep)) && v->nitems < VALUE_MAX_ITEMS) {
			value_push_item(m->arena, v, value_text(m->arena, p, (size_t)(q - p)));
			p = q + strlen(sep);
		}
		value_push_item(m->arena, v, value_text(m->arena, p, strlen(p)));
		if (q)  /* pieces past the cap: the last one kept holds them all */
			v->bounds |= BOUND_BIT(BOUND_ITEMS);
	}
	value_absorb(m->arena, v, c->recv);
	return v;
}

/* The literal a .replace() pattern stands for: a string, or a regex without special
 * characters (/xx/g). *all says whether every occurrence is replaced. */
static const char *replace_pattern(const struct method_call *c, bool *all)
{
	struct module *m = c->m;
	const char *from = const_arg(m, c->args, c->nargs, 0);
	TSNode pat;

	*all = !m->js || !strcmp(c->method, "replaceAll");
	if (!from && positional(c->args, c->nargs, 0, &pat) && node_is(pat, "regex")) {
		TSNode flags = child(m, pat, F_FLAGS);
		const char *b = node_text(m, child(m, pat, F_PATTERN), 200);
		if (!strpbrk(b, "\\^$.|?*+()[]{}")) {
			from = b;
			*all = !ts_node_is_null(flags) && strchr(node_text(m, flags, 10), 'g');
		}
	}
	return from;
}

static struct value *m_replace(const struct method_call *c)
{
	struct module *m = c->m;
	const char *to = const_arg(m, c->args, c->nargs, 1), *from;
	char buf[VALUE_MAX_TEXT];
	size_t n = 0, fl;
	bool all;
	struct value *v;

	from = replace_pattern(c, &all);
	if (!c->s || !from || !to || !*from)
		return c->recv->kind == VAL_STRING ? c->recv : hole_from(m, c->call, c->recv, VF_TAINT);
	fl = strlen(from);
	for (const char *p = c->s; *p && n + 1 < sizeof buf;) {
		if (strncmp(p, from, fl) != 0) {
			buf[n++] = *p++;
			continue;
		}
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", to);
		p += fl;
		if (!all || n + 1 >= sizeof buf) {
			if (n + 1 < sizeof buf)
				n += (size_t)snprintf(buf + n, sizeof buf - n, "%s", p);
			break;
		}
	}
	if (n >= sizeof buf)
		n = sizeof buf - 1;
	v = value_text(m->arena, buf, n);
	value_absorb(m->arena, v, c->recv);
	return v;
}

static struct value *m_slice(const struct method_call *c)
{
	const char *a, *b, *s = c->s;
	long len, x, y;

	if (!s)
		return NULL;
	a = const_arg(c->m, c->args, c->nargs, 0);
	b = const_arg(c->m, c->args, c->nargs, 1);
	len = (long)strlen(s);
	x = a ? strtol(a, NULL, 10) : 0;
	y = b ? strtol(b, NULL, 10) : len;
	if (!strcmp(c->method, "substr"))
		y = x + y;
	if (x < 0) x += len;
	if (y < 0) y += len;
	if (x < 0) x = 0;
	if (y > len) y = len;
	if (x > y) x = y;
	return value_text(c->m->arena, s + x, (size_t)(y - x));
}

static struct value *m_concat(const struct method_call *c)
{
	struct value *v = c->recv;

	if (!value_is_stringish(c->recv))
		return NULL;
	for (size_t i = 0; i < c->nargs; i++)
		v = value_concat(c->m->arena, v, eval_node(c->m, c->args[i]));
	return v;
}

/* python "{}{}".format(a, b) and "{name}".format(name=...) */
static struct value *m_format(const struct method_call *c)
{
	struct module *m = c->m;
	struct value *out;
	size_t k = 0;

	if (!c->s)
		return NULL;
	out = value_text(m->arena, "", 0);
	for (const char *p = c->s; *p;) {
		const char *o = strchr(p, '{'), *e = o ? strchr(o, '}') : NULL, *key;
		struct value *item = NULL;
		TSNode kw;
		if (!o || !e) {
			out = value_concat(m->arena, out, value_text(m->arena, p, strlen(p)));
			break;
		}
		out = value_concat(m->arena, out, value_text(m->arena, p, (size_t)(o - p)));
		key = arena_strndup(m->arena, o + 1, (size_t)(e - o - 1));
		if (!*key)
			item = arg_value(m, c->args, c->nargs, k++);
		else if (isdigit((unsigned char)*key))
			item = arg_value(m, c->args, c->nargs, (size_t)strtoul(key, NULL, 10));
		else if (keyword(m, c->args, c->nargs, key, &kw))
			item = eval_node(m, kw);
		out = value_concat(m->arena, out, item ? item : value_hole(m->arena, key, strlen(key), 0));
		p = e + 1;
	}
	return out;
}

/* Methods that give back their receiver's text (or encode it: then unknown text that
 * still carries its input). */
static struct value *m_passthrough(const struct method_call *c)
{
	const char *enc = const_arg(c->m, c->args, c->nargs, 0);
	struct value *v;

	if (enc && (!strcmp(c->method, "toString") || !strcmp(c->method, "decode")) &&
	    (!strcmp(enc, "base64") || !strcmp(enc, "hex") || !strcmp(enc, "base64url"))) {
		v = hole_of(c->m, c->call, c->recv->flags & (VF_TAINT | VF_USER));
		value_absorb(c->m->arena, v, c->recv);
		v->flags &= ~(unsigned)(VF_DECODED | VF_ENV);
		return v;
	}
	return c->recv;
}

/* 'GET'.lower(), method.toLowerCase(): a known text changes case (getattr(requests,
 * method.lower()) names requests.get); an unknown one passes through. */
static struct value *m_case(const struct method_call *c)
{
	bool up = !strcmp(c->method, "upper") || !strcmp(c->method, "toUpperCase");
	struct value *text, *v;
	char *t;

	if (!c->s || c->recv->kind != VAL_STRING)
		return c->recv;
	text = value_text(c->m->arena, c->s, strlen(c->s));
	if (text->nparts != 1)
		return c->recv;
	t = (char *)text->parts[0].text;
	for (size_t i = 0; t[i]; i++)
		t[i] = (char)(up ? toupper((unsigned char)t[i]) : tolower((unsigned char)t[i]));
	/* the same value (flags, secrets, chain) with the new text */
	v = value_new(c->m->arena, VAL_STRING);
	*v = *c->recv;
	v->parts = text->parts;
	v->nparts = text->nparts;
	return v;
}

static const struct {
	const char *name;
	method_fn fn;
} string_methods[] = {
	{"join", m_join}, {"reverse", m_reverse}, {"map", m_map}, {"split", m_split},
	{"replace", m_replace}, {"replaceAll", m_replace}, {"slice", m_slice}, {"substring", m_slice},
	{"substr", m_slice}, {"concat", m_concat}, {"format", m_format},
	{"toString", m_passthrough}, {"trim", m_passthrough}, {"trimStart", m_passthrough},
	{"trimEnd", m_passthrough}, {"toLowerCase", m_case}, {"toUpperCase", m_case},
	{"decode", m_passthrough}, {"encode", m_passthrough}, {"strip", m_passthrough},
	{"lstrip", m_passthrough}, {"rstrip", m_passthrough}, {"lower", m_case},
	{"upper", m_case}, {"valueOf", m_passthrough}, {"normalize", m_passthrough},
	{"read", m_passthrough}, {"read_text", m_passthrough}, {"read_bytes", m_passthrough},
	{"readlines", m_passthrough}, {"href", m_passthrough}, {"toJSON", m_passthrough},
};

/* String and array methods the obfuscation techniques use; NULL when method is none of
 * them (or does not apply to recv). */
static struct value *string_method(struct module *m, struct value *recv, const char *method, TSNode call,
				   TSNode *args, size_t nargs)
{
	struct method_call c = {m, recv, value_constant(m->arena, recv), method, call, args, nargs};

	for (size_t i = 0; i < sizeof string_methods / sizeof string_methods[0]; i++)
		if (strcmp(string_methods[i].name, method) == 0)
			return string_methods[i].fn(&c);
	return NULL;
}

static struct value *factory_result(struct module *m, struct value *callee, TSNode *args, size_t nargs)
{
	char buf[512];
	struct value *v, *a;

	snprintf(buf, sizeof buf, "%s()", callee->name);
	v = value_module(m->arena, buf);
	v->base = client_base(m, callee->name, args, nargs);
	if (!v->base)
		v->base = schema_option_default(m, callee->name, args, nargs);
	if (!v->base)
		v->base = callee->base;
	/* z.object({...}): the fields, for a parse of the environment (schema_parse) */
	if (nargs && (a = arg_value(m, args, nargs, 0)) && a->kind == VAL_OBJECT && strlen(callee->name) > 7 &&
	    !strcmp(callee->name + strlen(callee->name) - 7, ".object")) {
		v->props = a->props;
		v->nprops = a->nprops;
	} else {
		v->props = callee->props;
		v->nprops = callee->nprops;
	}
	/* urlsplit(url).hostname is still the user's when url is: carry tool-argument
	 * provenance (not secrets: a client built with a token is not the token) */
	for (size_t i = 0; i < nargs && i < 8; i++)
		v->flags |= eval_node(m, args[i])->flags & VF_USER;
	return v;
}

/* this.method / self.method: the method of that name of the class the call is in (the
 * methods are indexed by name: JavaScript's in the call table, Python's as functions). */
/* How many superclasses up an inherited method is looked for. */
#define MAX_SUPERCLASSES 4

/* The class of this file cls extends (JavaScript `extends Name`), or a null node: one of
 * another module, an expression or none. */
static TSNode superclass(struct module *m, TSNode cls)
{
	const struct named_nodes *e;
	const struct decl *d;

	for (uint32_t i = 0; m->js && i < ts_node_named_child_count(cls); i++) {
		TSNode h = ts_node_named_child(cls, i), name;
		if (!node_is(h, "class_heritage"))
			continue;
		name = ts_node_named_child(h, 0);
		if (node_is(name, "extends_clause"))  /* TypeScript */
			name = child(m, name, F_VALUE);
		if (node_is(name, "identifier") && (e = name_table_get(&m->decls, node_text(m, name, 200))) &&
		    (d = best_decl(e, ts_node_start_byte(name), name)) && d->kind == DK_CLASS && d->has_value &&
		    ts_node_start_byte(d->value) != ts_node_start_byte(cls))
			return d->value;
	}
	return (TSNode){0};
}

static struct value *own_method(struct module *m, TSNode obj, TSNode prop)
{
	const char *key;
	const struct named_nodes *e;
	TSNode cls;

	if (!(node_is(obj, "this") || (!m->js && node_is(obj, "identifier") && node_text_eq(m, obj, "self"))))
		return NULL;
	cls = enclosing_class(m, obj);
	key = node_text(m, prop, 200);
	if (ts_node_is_null(cls) || !(e = name_table_get(m->js ? &m->calls : &m->decls, key)))
		return NULL;
	/* an inherited method: the class's own first, then its superclasses of this file */
	for (int level = 0; level < MAX_SUPERCLASSES && !ts_node_is_null(cls); level++, cls = superclass(m, cls)) {
		for (size_t i = 0; i < e->decls.len; i++) {
			const struct decl *d = &e->decls.items[i];
			struct value *f;
			if (d->kind != DK_FUNCTION || !d->has_value ||
			    ts_node_start_byte(enclosing_class(m, d->value)) != ts_node_start_byte(cls))
				continue;
			f = value_new(m->arena, VAL_FUNCTION);
			f->name = key;
			f->node_id = ts_node_start_byte(d->value);
			return f;
		}
	}
	return NULL;
}

/* A call of a function another module of the server exports: what it returns, a reference
 * "name()" the link step resolves (eval_function_result, kept as that module's export
 * when it can be part of a destination); the arguments' taint goes with it. NULL when f is
 * no such function or the call constructs (a class's instance is no return value). */
static struct value *imported_result(struct module *m, const struct value *f, TSNode call, TSNode *args,
				     size_t nargs)
{
	char name[512];
	struct value *v;

	if (f->kind != VAL_STRING || f->nparts != 1 || f->parts[0].kind != PART_REF || node_is(call, "new_expression") ||
	    m->quick)
		return NULL;
	if (snprintf(name, sizeof name, "%.*s()", (int)f->parts[0].len, f->parts[0].text) >= (int)sizeof name)
		return NULL;
	v = value_ref(m->arena, f->parts[0].module, name);
	value_absorb(m->arena, v, opaque_call(m, call, args, nargs));
	return v;
}

struct value *eval_function_result(struct module *m, const struct value *fv)
{
	TSNode fn, found;

	if (fv->kind != VAL_FUNCTION || ts_node_is_null(fn = function_at(m, fv->node_id)) || !is_function_node(m, fn))
		return NULL;
	found = returned_expression(m, fn, fv->node_id);
	return ts_node_is_null(found) ? NULL : eval_node(m, found);
}

static TSNode instance_class(struct module *m, TSNode value, int depth);

/* The class whose instance the function callee names returns (const ok = (v) => new Ok(v),
 * function make() { return new C(); }); a null node else. */
static TSNode returned_instance_class(struct module *m, TSNode callee, int depth)
{
	const struct named_nodes *e = name_table_get(&m->decls, node_text(m, callee, 200));
	const struct decl *d = e ? best_decl(e, ts_node_start_byte(callee), callee) : NULL;
	TSNode fn, found;

	if (!d || !d->has_value || (d->kind != DK_FUNCTION && d->kind != DK_VAR))
		return (TSNode){0};
	fn = d->value;
	if (!is_function_node(m, fn))
		return (TSNode){0};
	found = returned_expression(m, fn, ts_node_start_byte(fn));
	return ts_node_is_null(found) ? found : instance_class(m, found, depth);
}

/* The class of this file whose instance value makes: new C(...), a static factory
 * C.getInstance(...), or a name bound to one of those (a few steps); a null node else. */
static TSNode instance_class(struct module *m, TSNode value, int depth)
{
	const struct named_nodes *e;
	const struct decl *d;
	TSNode callee;

	while (node_is(value, "await_expression"))
		value = ts_node_named_child(value, 0);
	if (node_is(value, "identifier") && depth < 3 && (e = name_table_get(&m->decls, node_text(m, value, 200))) &&
	    (d = best_decl(e, ts_node_start_byte(value), value)) && d->kind == DK_VAR && d->has_value)
		return instance_class(m, d->value, depth + 1);
	if (node_is(value, "new_expression"))
		callee = child(m, value, F_CONSTRUCTOR);
	else if (node_is(value, "call_expression") && node_is(callee = child(m, value, F_FUNCTION), "member_expression"))
		callee = child(m, callee, F_OBJECT);
	else if (node_is(value, "call_expression") && node_is(callee, "identifier") && depth < 3)
		return returned_instance_class(m, callee, depth + 1);  /* ok(v) returning new Ok(v) */
	else
		return (TSNode){0};
	if (!node_is(callee, "identifier") || !(e = name_table_get(&m->decls, node_text(m, callee, 200))) ||
	    !(d = best_decl(e, ts_node_start_byte(callee), callee)) || d->kind != DK_CLASS)
		return (TSNode){0};
	return d->value;
}

/* Whether method (a method_definition) is static, or a setter. */
static bool static_or_setter(TSNode method)
{
	for (uint32_t i = 0; i < ts_node_child_count(method); i++) {
		const char *t = ts_node_type(ts_node_child(method, i));
		if (!strcmp(t, "static") || !strcmp(t, "set"))
			return true;
	}
	return false;
}

/* Whether method is a getter (read as a property, not called). */
static bool is_getter(TSNode method)
{
	for (uint32_t i = 0; i < ts_node_child_count(method); i++)
		if (!strcmp(ts_node_type(ts_node_child(method, i)), "get"))
			return true;
	return false;
}

/* The method of class body named key: static ones or the others, a getter or not; a null
 * node when there is none. */
static TSNode class_method(struct module *m, TSNode body, const char *key, bool statics, bool getter)
{
	for (uint32_t i = 0; i < ts_node_named_child_count(body); i++) {
		TSNode meth = ts_node_named_child(body, i);
		if (node_is(meth, "method_definition") && static_or_setter(meth) == statics &&
		    is_getter(meth) == getter && node_text_eq(m, child(m, meth, F_NAME), key))
			return meth;
	}
	return (TSNode){0};
}

/* The frames that bind what made one instance (instance_frames). */
#define INSTANCE_FRAMES 3
struct instance_binding {
	struct frame fr[INSTANCE_FRAMES];
	struct value *vals[INSTANCE_FRAMES][MAX_ARGS];
	size_t n;
};

static bool bind_made_by(struct module *m, TSNode fn, TSNode call, struct instance_binding *b)
{
	if (ts_node_is_null(fn) || b->n >= INSTANCE_FRAMES)
		return false;
	for (struct frame *f = m->frames; f; f = f->next)
		if (f->function_start == ts_node_start_byte(fn))
			return false;  /* recursion */
	if (!eval_bind_caller(m, fn, call, &b->fr[b->n], b->vals[b->n]))
		return false;
	b->n++;
	return true;
}

/* Bind the parameters of what made the instance value makes: new C(a) binds C's
 * constructor to a; a function or a static factory returning new C(x) binds its own
 * parameters, then the constructor with x read under them. A method of that instance then
 * reads the fields its own construction set (new Box(a).get() is a), not every
 * construction's in the file (every caller of the constructor). Undo with unbind_instance. */
static void bind_instance(struct module *m, TSNode value, struct instance_binding *b, int depth)
{
	const struct named_nodes *e;
	const struct decl *d;
	TSNode callee, cls, fn = {0};

	while (node_is(value, "await_expression"))
		value = ts_node_named_child(value, 0);
	if (depth >= 3)
		return;
	if (node_is(value, "identifier") && (e = name_table_get(&m->decls, node_text(m, value, 200))) &&
	    (d = best_decl(e, ts_node_start_byte(value), value)) && d->kind == DK_VAR && d->has_value) {
		bind_instance(m, d->value, b, depth + 1);
		return;
	}
	if (node_is(value, "new_expression")) {
		cls = instance_class(m, value, 0);
		if (!ts_node_is_null(cls) && !ts_node_is_null(cls = child(m, cls, F_BODY)))
			bind_made_by(m, class_method(m, cls, "constructor", false, false), value, b);
		return;
	}
	if (!node_is(value, "call_expression"))
		return;
	callee = child(m, value, F_FUNCTION);
	if (node_is(callee, "identifier") && (e = name_table_get(&m->decls, node_text(m, callee, 200))) &&
	    (d = best_decl(e, ts_node_start_byte(callee), callee)) && d->has_value &&
	    (d->kind == DK_FUNCTION || d->kind == DK_VAR) && is_function_node(m, d->value))
		fn = d->value;   /* ok(v) returning new Ok(v) */
	else if (node_is(callee, "member_expression") &&
		 !ts_node_is_null(cls = instance_class(m, value, 0)) && !ts_node_is_null(cls = child(m, cls, F_BODY)))
		fn = class_method(m, cls, node_text(m, child(m, callee, F_PROPERTY), 200), true, false);  /* C.create(v) */
	if (bind_made_by(m, fn, value, b))
		bind_instance(m, returned_expression(m, fn, ts_node_start_byte(fn)), b, depth + 1);
}

static void unbind_instance(struct module *m, struct instance_binding *b)
{
	if (b->n)
		m->frames = b->fr[0].next;
}

/* inst.field, inst an instance of a class of this file whose methods set this.field
 * (Result.ok(v).value, where the constructor stores v): the value that instance's
 * construction stored. NULL when the class sets no such field. */
static struct value *instance_field(struct module *m, TSNode obj, const char *key)
{
	TSNode cls = instance_class(m, obj, 0), body, at;
	struct instance_binding b;
	struct value *v;

	if (ts_node_is_null(cls) || ts_node_is_null(body = child(m, cls, F_BODY)) ||
	    ts_node_is_null(at = ts_node_named_child(body, 0)))
		return NULL;
	b.n = 0;
	bind_instance(m, obj, &b, 0);
	v = field_value(m, key, at);
	unbind_instance(m, &b);
	return v;
}

/* inst.method(...) or inst.getter, inst an instance of a class of this file (new C(...),
 * a static factory, a function returning new C(...)): the method's return value, this.x
 * read from the class's fields as that instance's construction set them (ok(url).unwrap(),
 * cfg.baseUrl). NULL when there is none. */
static struct value *instance_method(struct module *m, TSNode obj, TSNode call, const char *key, bool getter,
				     TSNode *args, size_t nargs)
{
	TSNode cls = m->js ? instance_class(m, obj, 0) : (TSNode){0}, body, meth;
	struct instance_binding b;
	struct value *f, *v;

	if (ts_node_is_null(cls) || ts_node_is_null(body = child(m, cls, F_BODY)) ||
	    ts_node_is_null(meth = class_method(m, body, key, false, getter)))
		return NULL;
	f = value_new(m->arena, VAL_FUNCTION);
	f->name = key;
	f->node_id = ts_node_start_byte(meth);
	b.n = 0;
	bind_instance(m, obj, &b, 0);
	v = call_local(m, f, call, args, nargs);
	unbind_instance(m, &b);
	return v;
}

size_t eval_instance_methods(struct module *m, TSNode value, struct method_result *out, size_t cap)
{
	TSNode cls = m->js ? instance_class(m, value, 0) : (TSNode){0}, body, meth, found;
	size_t n = 0;

	if (ts_node_is_null(cls) || ts_node_is_null(body = child(m, cls, F_BODY)))
		return 0;
	for (uint32_t i = 0; i < ts_node_named_child_count(body) && n < cap; i++) {
		meth = ts_node_named_child(body, i);
		if (!node_is(meth, "method_definition") || static_or_setter(meth) ||
		    node_text_eq(m, child(m, meth, F_NAME), "constructor"))
			continue;
		found = returned_expression(m, meth, ts_node_start_byte(meth));
		if (ts_node_is_null(found))
			continue;
		eval_reset(m);
		out[n].name = node_text(m, child(m, meth, F_NAME), 200);
		out[n].getter = is_getter(meth);
		out[n].result = eval_node(m, found);
		n++;
	}
	return n;
}

size_t eval_static_factories(struct module *m, TSNode value, struct static_factory *out, size_t cap)
{
	const struct named_nodes *e;
	const struct decl *d;
	TSNode cls = value, body, meth, found;
	size_t n = 0;

	if (!m->js)
		return 0;
	if ((node_is(value, "identifier") || node_is(value, "type_identifier")) &&
	    (e = name_table_get(&m->decls, node_text(m, value, 200))) &&
	    (d = best_decl(e, ts_node_start_byte(value), value)) && d->kind == DK_CLASS)
		cls = d->value;
	if (!(node_is(cls, "class_declaration") || node_is(cls, "class")) || ts_node_is_null(body = child(m, cls, F_BODY)))
		return 0;
	for (uint32_t i = 0; i < ts_node_named_child_count(body) && n < cap; i++) {
		meth = ts_node_named_child(body, i);
		if (!node_is(meth, "method_definition") || !static_or_setter(meth) || is_getter(meth))
			continue;
		found = returned_expression(m, meth, ts_node_start_byte(meth));
		if (ts_node_is_null(found) || ts_node_is_null(instance_class(m, found, 0)))
			continue;
		out[n].name = node_text(m, child(m, meth, F_NAME), 200);
		out[n].made = found;
		n++;
	}
	return n;
}

/* Promise.resolve(x) (the global, not a binding of that name): a promise of x, which an
 * await reads as x (a promise's value is read as the value). NULL for anything else. */
static struct value *resolved_promise(struct module *m, TSNode obj, TSNode prop, TSNode *args, size_t nargs)
{
	if (!m->js || nargs != 1 || !node_is(obj, "identifier") || !node_text_eq(m, obj, "Promise") ||
	    !node_text_eq(m, prop, "resolve") || name_table_get(&m->decls, "Promise"))
		return NULL;
	return eval_node(m, args[0]);
}

static struct value *eval_call(struct module *m, TSNode n)
{
	TSNode callee = child(m, n, F_FUNCTION);
	TSNode args[MAX_ARGS];
	size_t nargs;
	struct value *f, *v;

	if (ts_node_is_null(callee))
		callee = child(m, n, F_CONSTRUCTOR);
	if (!ts_node_is_null(eval_await_operand(m, n)))
		return eval_node(m, eval_await_operand(m, n));
	if ((v = settings_instance(m, n)))
		return v;
	nargs = call_args(m, n, args);
	if (node_is(callee, "member_expression") || node_is(callee, "attribute")) {
		TSNode obj = child(m, callee, F_OBJECT);
		TSNode prop = child(m, callee, F_PROPERTY);
		struct value *recv;
		if (ts_node_is_null(prop))
			prop = child(m, callee, F_ATTRIBUTE);
		if ((f = own_method(m, obj, prop)) && (v = call_local(m, f, n, args, nargs)))
			return v;
		if ((v = instance_method(m, obj, n, node_text(m, prop, 200), false, args, nargs)))
			return v;
		if ((v = resolved_promise(m, obj, prop, args, nargs)))
			return v;
		recv = eval_node(m, obj);
		if (recv->kind != VAL_MODULE && recv->kind != VAL_ENVOBJ) {
			v = string_method(m, recv, node_text(m, prop, 64), n, args, nargs);
			if (v)
				return v;
		}
		if (recv->kind == VAL_ENVOBJ && (node_text_eq(m, prop, "get")))
			return bi_getenv(m, n, args, nargs, NULL);
		if (recv->kind == VAL_OBJECT && recv->name && !strcmp(recv->name, MAP_NAME) &&
		    node_text_eq(m, prop, "get") && nargs >= 1) {
			const char *key = value_constant(m->arena, eval_node(m, args[0]));
			return member_of(m, recv, key, callee);
		}
		if (recv->kind == VAL_ENVOBJ && env_view(node_text(m, prop, 64)))
			return recv;  /* os.environ.copy(), .items(), .values(), .keys(): the whole of it */
		if ((v = schema_default(m, recv, node_text(m, prop, 64), args, nargs)) ||
		    (v = schema_parse(m, recv, node_text(m, prop, 64), n, args, nargs)) ||
		    (v = env_var_library(m, recv, node_text(m, prop, 64), n, args, nargs)))
			return v;
		if (m->js && (recv->kind == VAL_MODULE || recv->kind == VAL_FUNCTION) && node_text_eq(m, prop, "bind") &&
		    (v = bound_function(m, recv, args, nargs, 1)))
			return v;
		m->member_alts++;  /* a callee is one function: the first alternative's, as before */
		f = member_of(m, recv, node_text(m, prop, 200), callee);
		m->member_alts--;
		/* service.method() of an instance another module exports */
		if (recv->kind == VAL_STRING && recv->nparts == 1 && recv->parts[0].kind == PART_REF &&
		    (v = imported_result(m, f, n, args, nargs)))
			return v;
		if (recv->kind != VAL_MODULE && recv->kind != VAL_FUNCTION && recv->kind != VAL_ENVOBJ) {
			v = hole_from(m, n, recv, (VF_TAINT | VF_USER));
			value_absorb(m->arena, v, recv);
			v->flags &= ~(unsigned)(VF_DECODED | VF_ENV);
			launch_member(m, recv, NULL, v);  /* f.read(), cfg.url.strip() */
			return v;
		}
	} else {
		f = eval_node(m, callee);
	}
	if (f->kind == VAL_MODULE) {
		int b = find_builtin(f->name);
		if (b >= 0)
			return builtins[b].fn(m, n, args, nargs, builtins[b].opt);
		return factory_result(m, f, args, nargs);
	}
	if (f->kind == VAL_FUNCTION && (v = call_local(m, f, n, args, nargs)))
		return v;
	if ((v = imported_result(m, f, n, args, nargs)))
		return v;
	return opaque_call(m, n, args, nargs);
}

/* Python: ''.join(chr(c) for c in [...]) and [chr(c) for c in ...] */
static struct value *eval_comprehension(struct module *m, TSNode n)
{
	TSNode body = child(m, n, F_BODY);
	TSNode clause = ts_node_named_child(n, 1);
	TSNode iter = child(m, clause, F_RIGHT);
	struct value *it;
	const char *bt = node_text(m, body, 100);

	if (!node_is(clause, "for_in_clause") || ts_node_is_null(iter))
		return hole_of(m, n, 0);
	it = eval_node(m, iter);
	if (it->kind == VAL_ENVOBJ)
		return env_dump(m, n);  /* {k: v for k, v in os.environ.items()} */
	if (it->kind == VAL_ARRAY && strncmp(bt, "chr(", 4) == 0) {
		struct value *s = from_char_codes(m, it->items, it->nitems, it);
		if (s) {
			struct value *arr = value_new(m->arena, VAL_ARRAY);
			value_push_item(m->arena, arr, s);
			return arr;
		}
	}
	return hole_from(m, n, it, VF_TAINT);
}


/* import(spec): the callee of a dynamic import, called like require (builtins[] "import");
 * awaited or not, its value is the module (a promise's value is read as the value). */
static struct value *eval_import_keyword(struct module *m, TSNode n)
{
	(void)n;
	return value_module(m->arena, "import");
}

static const struct {
	const char *type;
	eval_fn fn;
} evaluators[] = {
	{"string", eval_string}, {"template_string", eval_string}, {"concatenated_string", eval_concatenated},
	{"number", eval_number}, {"integer", eval_number}, {"float", eval_number},
	{"identifier", eval_identifier}, {"shorthand_property_identifier", eval_identifier},
	{"binary_expression", eval_binary}, {"binary_operator", eval_binary}, {"boolean_operator", eval_binary},
	{"ternary_expression", eval_ternary}, {"conditional_expression", eval_ternary},
	{"parenthesized_expression", eval_first_child}, {"await_expression", eval_first_child},
	{"await", eval_first_child}, {"as_expression", eval_first_child}, {"non_null_expression", eval_first_child},
	{"satisfies_expression", eval_first_child}, {"type_assertion", eval_last_child},
	{"template_substitution", eval_first_child}, {"spread_element", eval_first_child},
	{"sequence_expression", eval_last_child}, {"expression_statement", eval_first_child},
	{"member_expression", eval_member}, {"attribute", eval_member},
	{"subscript_expression", eval_subscript}, {"subscript", eval_subscript},
	{"call_expression", eval_call}, {"new_expression", eval_call}, {"call", eval_call},
	{"object", eval_object}, {"dictionary", eval_object}, {"enum_body", eval_enum_body},
	{"array", eval_array}, {"list", eval_array}, {"tuple", eval_array}, {"expression_list", eval_array},
	{"arrow_function", eval_function}, {"function_expression", eval_function},
	{"lambda", eval_function}, {"function_declaration", eval_function}, {"function_definition", eval_function},
	{"assignment_expression", eval_right}, {"assignment", eval_right}, {"keyword_argument", eval_value_field},
	{"as_pattern", eval_first_child}, {"generator_expression", eval_comprehension},
	{"list_comprehension", eval_comprehension}, {"dictionary_comprehension", eval_comprehension},
	{"set_comprehension", eval_comprehension}, {"pair", eval_value_field},
	{"import", eval_import_keyword},
};

/* Node symbol -> evaluator, built once per grammar: eval_node runs for every node of
 * every resolved expression, and comparing type names there showed in profiles. */
struct eval_dispatch {
	TSFieldId fields[F_COUNT];
	uint32_t count;
	eval_fn fn[];
};

struct eval_dispatch *eval_dispatch_new(const TSLanguage *lang)
{
	uint32_t count = ts_language_symbol_count(lang);
	struct eval_dispatch *d = calloc(1, sizeof *d + sizeof(eval_fn) * count);

	if (!d)
		return NULL;
	d->count = count;
	for (int f = 0; f < F_COUNT; f++)
		d->fields[f] = ts_language_field_id_for_name(lang, field_names[f], (uint32_t)strlen(field_names[f]));
	for (uint32_t sym = 0; sym < count; sym++) {
		const char *name = ts_language_symbol_name(lang, (TSSymbol)sym);
		if (!name || ts_language_symbol_type(lang, (TSSymbol)sym) != TSSymbolTypeRegular)
			continue;
		for (size_t i = 0; i < sizeof evaluators / sizeof evaluators[0]; i++)
			if (strcmp(evaluators[i].type, name) == 0)
				d->fn[sym] = evaluators[i].fn;
	}
	return d;
}

const TSFieldId *eval_dispatch_fields(const struct eval_dispatch *d)
{
	return d->fields;
}

void eval_dispatch_free(struct eval_dispatch *d)
{
	free(d);
}

struct value *eval_node(struct module *m, TSNode n)
{
	struct value *v = NULL;
	TSSymbol sym;

	if (ts_node_is_null(n) || !n.id)
		return value_unknown(m->arena, "none");
	if (++m->steps > EVAL_MAX_STEPS || m->depth >= EVAL_MAX_DEPTH)
		return limit(m, n, m->depth >= EVAL_MAX_DEPTH ? BOUND_DEPTH : BOUND_STEPS);
	m->depth++;
	sym = ts_node_symbol(n);
	if (sym < m->env->dispatch[m->grammar]->count && m->env->dispatch[m->grammar]->fn[sym])
		v = m->env->dispatch[m->grammar]->fn[sym](m, n);
	m->depth--;
	return v ? v : hole_of(m, n, 0);
}

struct value *eval_url_join(struct module *m, struct value *base, struct value *path)
{
	return url_join(m, base, path);
}

const char *eval_local_module(struct module *m, const char *spec)
{
	return spec ? local_module(m, unquote(m, spec)) : NULL;
}

const char *eval_callee_quick(struct module *m, TSNode callee)
{
	const char *name;

	/* Naming a callee takes a few steps (a binding, an import, some members); a callee
	 * that needs more is not a module member, and evaluating big object literals on the
	 * way for every call of a file was most of the scan time. */
	eval_reset(m);
	if (m->steps < EVAL_MAX_STEPS - EVAL_CALLEE_STEPS)
		m->steps = m->steps_start = EVAL_MAX_STEPS - EVAL_CALLEE_STEPS;
	m->quick = true;
	m->quick_exhausted = false;
	name = eval_callee_name(m, callee, NULL);
	m->quick = false;
	if (!name && m->quick_exhausted) {
		/* not settled within the small budget: the full one decides */
		eval_reset(m);
		name = eval_callee_name(m, callee, NULL);
	}
	return name;
}

bool eval_wrapper(struct module *m, TSNode callee, TSNode *raw, size_t nraw, struct wrapper *w)
{
	TSNode prop;

	memset(w, 0, sizeof *w);
	if (!m->js)
		return false;
	/* Reflect.apply first: it is itself a member named apply */
	if (nraw >= 1 && node_text_eq(m, callee, "Reflect.apply")) {
		w->target = raw[0];
		w->shift = 2;
		if (nraw > 2)
			w->spread = raw[2];
		return true;
	}
	if (!node_is(callee, "member_expression"))
		return false;
	prop = child(m, callee, F_PROPERTY);
	if (!node_text_eq(m, prop, "call") && !node_text_eq(m, prop, "apply"))
		return false;
	w->target = child(m, callee, F_OBJECT);
	w->shift = 1;
	if (node_text_eq(m, prop, "apply") && nraw > 1)
		w->spread = raw[1];
	return true;
}

TSNode eval_callee_target(struct module *m, TSNode callee)
{
	TSNode args[MAX_ARGS], prop;
	struct wrapper w;

	/* What eval_wrapper decides, in the order that needs the call's arguments last: they
	 * cost a walk down from the root to find the call (ts_node_parent), and the callee of
	 * nearly every call is named here (that walk was 7% of a scan). Only Reflect.apply's
	 * target is an argument; f.call and f.apply's is f. */
	if (!m->js || !node_is(callee, "member_expression"))
		return callee;
	if (node_text_eq(m, callee, "Reflect.apply"))
		return eval_wrapper(m, callee, args, call_args(m, ts_node_parent(callee), args), &w) ? w.target : callee;
	prop = child(m, callee, F_PROPERTY);
	if (node_text_eq(m, prop, "call") || node_text_eq(m, prop, "apply"))
		return child(m, callee, F_OBJECT);
	return callee;
}

bool eval_callee_wrapped(struct module *m, TSNode callee)
{
	return !ts_node_eq(eval_callee_target(m, callee), callee);
}

const char *eval_callee_name(struct module *m, TSNode callee, struct value **base)
{
	struct value *v = eval_node(m, eval_callee_target(m, callee));

	/* fetchImpl = global.fetch ? global.fetch : crossFetch: any module alternative names it */
	for (size_t i = 0; v->kind == VAL_ALT && i < v->nitems; i++) {
		if (v->items[i]->kind == VAL_MODULE) {
			v = v->items[i];
			break;
		}
	}
	if (base)
		*base = v->kind == VAL_MODULE ? v->base : NULL;
	if (v->kind == VAL_MODULE)
		return v->name;
	return NULL;
}
