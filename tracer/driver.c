/* driver: an MCP client over stdio or streamable HTTP that exercises every tool, resource and prompt
 * of a server (MCP specification 2025-11-25, "Lifecycle", "Transports"; JSON-RPC 2.0). */
#include "tracer/driver.h"
#include "tracer/driver_http.h"
#include "core/json_read.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#define READ_CHUNK ((size_t)64 << 10)
#define MAX_PROBLEMS 64
#define MAX_SERVER_REQUESTS 256
#define MAX_PHASE 512            /* bytes of a phase name (a tool name is the server's choice) */
#define MAX_ARGS_TEXT ((size_t)64 << 10)
#define MAX_DETAIL 512
#define INIT_SLICE_MS 500        /* initialize's wait between two listens_instead polls */
#define MAX_LONG_LINE_TEXT ((size_t)64 << 10) /* start of an over-long line kept for the canary search */
#define GEN_MAX_DEPTH 8
#define GEN_MAX_PROPERTIES 64
#define GEN_MAX_ITEMS 8
#define GEN_MAX_STRING 4096
#define GEN_MAX_VALUES 2000      /* values per generated argument object, whatever the schema's shape */
#define FLUSH_MS 500             /* at shutdown, time to write what is still queued */
#define MIN_CALL_MS 250          /* the least time an item gets, however many share the session */

static const char *const protocol_versions[] = {"2024-11-05", "2025-03-26", "2025-06-18", "2025-11-25"};

/* ---------------------------------------------------------------- names */

static const char *const problem_names[] = {
	[DRIVER_PROBLEM_CRASH] = "crash",
	[DRIVER_PROBLEM_TIMEOUT] = "timeout",
	[DRIVER_PROBLEM_HUNG] = "hang",
	[DRIVER_PROBLEM_DEADLINE] = "deadline",
	[DRIVER_PROBLEM_FLOOD] = "flood",
	[DRIVER_PROBLEM_INVALID_JSON] = "invalid-json",
	[DRIVER_PROBLEM_STDIN_CLOSED] = "stdin-closed",
	[DRIVER_PROBLEM_PROTOCOL] = "protocol",
	[DRIVER_PROBLEM_CAP] = "cap",
	[DRIVER_PROBLEM_HTTP] = "http",
	[DRIVER_PROBLEM_SESSION_EXPIRED] = "session-expired",
	[DRIVER_PROBLEM_UNKNOWN_TARGET] = "unknown-target",
	[DRIVER_PROBLEM_UNEXERCISED] = "unexercised",
};

static const char *const outcome_names[] = {
	[DRIVER_CALL_OK] = "ok",
	[DRIVER_CALL_ERROR] = "error",
	[DRIVER_CALL_TIMEOUT] = "timeout",
	[DRIVER_CALL_CLOSED] = "closed",
};

const char *driver_problem_name(enum driver_problem_kind k)
{
	if ((size_t)k >= sizeof problem_names / sizeof *problem_names || !problem_names[k])
		return "?";
	return problem_names[k];
}

const char *driver_outcome_name(enum driver_outcome o)
{
	if ((size_t)o >= sizeof outcome_names / sizeof *outcome_names || !outcome_names[o])
		return "?";
	return outcome_names[o];
}

bool driver_protocol_supported(const char *version)
{
	if (!version)
		return false;
	for (size_t i = 0; i < sizeof protocol_versions / sizeof *protocol_versions; i++)
		if (strcmp(version, protocol_versions[i]) == 0)
			return true;
	return false;
}

uint64_t driver_clock_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void driver_config_init(struct driver_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->probe_host = DRIVER_PROBE_HOST;
	cfg->init_timeout_ms = 30000;
	cfg->call_timeout_ms = 10000;
	cfg->quiet_ms = 5000;
	cfg->shutdown_ms = 1000;
	cfg->max_line = (size_t)16 << 20;
	cfg->max_text = (size_t)8 << 20;
	cfg->max_pages = 16;
	cfg->max_items = 1024;
	cfg->max_timeouts = 3;
}

/* ------------------------------------------------------- argument generation */

/* What a property's name says about the value a server expects. */
enum hint { H_NONE, H_URL, H_HOST, H_EMAIL, H_PATH, H_DIR, H_QUERY, H_OWNER, H_ID };

/* Words of a property name (split at '_', '-', '.', camelCase), last word first. */
static const struct {
	const char *word;
	enum hint hint;
} name_hints[] = {
	{"url", H_URL}, {"uri", H_URL}, {"endpoint", H_URL}, {"link", H_URL}, {"href", H_URL},
	{"webhook", H_URL}, {"website", H_URL}, {"homepage", H_URL}, {"feed", H_URL},
	{"host", H_HOST}, {"hostname", H_HOST}, {"domain", H_HOST}, {"server", H_HOST},
	{"email", H_EMAIL}, {"mail", H_EMAIL},
	{"path", H_PATH}, {"file", H_PATH}, {"filename", H_PATH}, {"filepath", H_PATH},
	{"dir", H_DIR}, {"directory", H_DIR}, {"folder", H_DIR}, {"cwd", H_DIR}, {"workspace", H_DIR},
	{"query", H_QUERY}, {"q", H_QUERY}, {"search", H_QUERY}, {"term", H_QUERY},
	{"keyword", H_QUERY}, {"keywords", H_QUERY}, {"prompt", H_QUERY},
	{"owner", H_OWNER}, {"repo", H_OWNER}, {"repository", H_OWNER}, {"org", H_OWNER},
	{"organization", H_OWNER}, {"user", H_OWNER}, {"username", H_OWNER}, {"project", H_OWNER},
	{"id", H_ID},
};

/* String formats (JSON Schema 2020-12 section 7.3) and what to send for them. */
enum fmt_value { F_URL, F_EMAIL, F_HOST, F_FIXED };
static const struct {
	const char *format;
	enum fmt_value kind;
	const char *fixed;
} formats[] = {
	{"uri", F_URL, NULL}, {"url", F_URL, NULL}, {"iri", F_URL, NULL},
	{"uri-reference", F_URL, NULL}, {"iri-reference", F_URL, NULL}, {"uri-template", F_URL, NULL},
	{"email", F_EMAIL, NULL}, {"idn-email", F_EMAIL, NULL},
	{"hostname", F_HOST, NULL}, {"idn-hostname", F_HOST, NULL},
	{"date-time", F_FIXED, "2025-01-15T12:00:00Z"}, {"date", F_FIXED, "2025-01-15"},
	{"time", F_FIXED, "12:00:00Z"}, {"duration", F_FIXED, "PT1H"},
	{"ipv4", F_FIXED, "192.0.2.10"}, {"ipv6", F_FIXED, "2001:db8::10"},
	{"uuid", F_FIXED, "3f2504e0-4f89-41d3-9a0c-0305e82c3301"},
	{"regex", F_FIXED, "test"}, {"json-pointer", F_FIXED, "/test"},
};

struct gen {
	const struct driver_config *cfg;
	const cJSON *root;   /* for "$ref": "#/..." */
	unsigned left;       /* values still to generate: a recursive schema stays small */
};

static enum hint hint_for(const char *name)
{
	char words[8][32];
	size_t nwords = 0, wl = 0;

	if (!name)
		return H_NONE;
	/* Split into lower-case words; a word longer than 31 bytes is cut. */
	for (const char *p = name;; p++) {
		bool boundary = *p == '\0' || *p == '_' || *p == '-' || *p == '.' || *p == ' ' ||
				(*p >= 'A' && *p <= 'Z' && p > name && p[-1] >= 'a' && p[-1] <= 'z');
		if (boundary && wl) {
			words[nwords][wl] = '\0';
			if (++nwords == 8)
				break;
			wl = 0;
		}
		if (*p == '\0')
			break;
		if (*p != '_' && *p != '-' && *p != '.' && *p != ' ' && wl < 31)
			words[nwords][wl++] = (char)((*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
	}
	for (size_t w = nwords; w-- > 0;)
		for (size_t i = 0; i < sizeof name_hints / sizeof *name_hints; i++)
			if (strcmp(words[w], name_hints[i].word) == 0)
				return name_hints[i].hint;
	return H_NONE;
}

/* A copy of at most cap bytes of s (core's xstrndup copies exactly n), for people to read:
 * a NUL the server sent shows as "\u0000" (core/json_read.h). Caller frees. */
static char *dup_capped(const char *s, size_t cap)
{
	char *shown = json_unmark(s);
	char *copy = shown ? xstrndup(shown, strnlen(shown, cap)) : NULL;

	free(shown);
	return copy;
}

static char *probe_url(const struct driver_config *cfg)
{
	return xasprintf("https://%s/page", cfg->probe_host ? cfg->probe_host : DRIVER_PROBE_HOST);
}

/* The string for a property: by format, then by name, then "test". Caller frees. */
static char *string_value(const struct gen *g, const cJSON *schema, const char *name)
{
	const char *host = g->cfg->probe_host ? g->cfg->probe_host : DRIVER_PROBE_HOST;
	const cJSON *fmt = cJSON_GetObjectItemCaseSensitive(schema, "format");

	if (cJSON_IsString(fmt)) {
		for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
			if (strcmp(fmt->valuestring, formats[i].format) != 0)
				continue;
			switch (formats[i].kind) {
			case F_URL: return probe_url(g->cfg);
			case F_EMAIL: return xasprintf("alex@%s", host);
			case F_HOST: return xstrdup(host);
			case F_FIXED: return xstrdup(formats[i].fixed);
			}
		}
	}
	switch (hint_for(name)) {
	case H_URL: return probe_url(g->cfg);
	case H_HOST: return xstrdup(host);
	case H_EMAIL: return xasprintf("alex@%s", host);
	case H_PATH: return xasprintf("%s/README.md", g->cfg->server_dir ? g->cfg->server_dir : ".");
	case H_DIR: return xstrdup(g->cfg->server_dir ? g->cfg->server_dir : ".");
	case H_OWNER: return xstrdup("example");
	case H_ID: return xstrdup("1");
	case H_QUERY:
	case H_NONE: break;
	}
	return xstrdup("test");
}

/* floor and ceil without libm (not linked); values past 2^53 are already integers. */
static double floor_of(double x)
{
	long long i;

	if (!(x > -9e15 && x < 9e15))
		return x;
	i = (long long)x;
	return (double)i > x ? (double)(i - 1) : (double)i;
}

static double ceil_of(double x)
{
	return -floor_of(-x);
}

static bool number_of(const cJSON *schema, const char *key, double *v)
{
	const cJSON *n = cJSON_GetObjectItemCaseSensitive(schema, key);

	if (!cJSON_IsNumber(n))
		return false;
	*v = n->valuedouble;
	return true;
}

/* A value of 1 moved inside [minimum, maximum] (exclusive bounds and multipleOf honoured). */
static double number_value(const cJSON *schema, bool integer)
{
	double lo = 0, hi = 0, m = 0, v = 1;
	bool has_lo = number_of(schema, "minimum", &lo), has_hi = number_of(schema, "maximum", &hi);
	bool lo_ex = false, hi_ex = false;

	/* draft 6+: exclusiveMinimum is a number; draft 4: a boolean beside minimum */
	if (number_of(schema, "exclusiveMinimum", &lo))
		has_lo = lo_ex = true;
	else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(schema, "exclusiveMinimum")))
		lo_ex = has_lo;
	if (number_of(schema, "exclusiveMaximum", &hi))
		has_hi = hi_ex = true;
	else if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(schema, "exclusiveMaximum")))
		hi_ex = has_hi;
	if (has_lo && (v < lo || (lo_ex && v <= lo)))
		v = integer ? (lo_ex ? floor_of(lo) + 1 : ceil_of(lo)) : (lo_ex ? (has_hi ? (lo + hi) / 2 : lo + 1) : lo);
	if (has_hi && (v > hi || (hi_ex && v >= hi)))
		v = integer ? (hi_ex ? ceil_of(hi) - 1 : floor_of(hi)) : (hi_ex ? (has_lo ? (lo + hi) / 2 : hi - 1) : hi);
	if (number_of(schema, "multipleOf", &m) && m > 0 && v / m > -9e15 && v / m < 9e15) {
		double up = ceil_of(v / m) * m;
		v = (!has_hi || up <= hi) ? up : floor_of(v / m) * m;
	}
	return v;
}

static const cJSON *resolve_ref(const struct gen *g, const cJSON *schema)
{
	const cJSON *ref = cJSON_GetObjectItemCaseSensitive(schema, "$ref");
	const cJSON *at = g->root;
	char token[256];

	if (!cJSON_IsString(ref) || strncmp(ref->valuestring, "#", 1) != 0)
		return schema;
	/* RFC 6901 JSON pointer after the '#' */
	for (const char *p = ref->valuestring + 1; *p == '/' && at;) {
		size_t n = 0;
		for (p++; *p && *p != '/' && n + 1 < sizeof token; p++) {
			if (p[0] == '~' && (p[1] == '0' || p[1] == '1')) {
				token[n++] = p[1] == '0' ? '~' : '/';
				p++;
			} else {
				token[n++] = *p;
			}
		}
		token[n] = '\0';
		at = cJSON_GetObjectItemCaseSensitive(at, token);
	}
	return cJSON_IsObject(at) ? at : schema;
}

/* The schema to generate from: $ref followed, the first non-null branch of anyOf/oneOf,
 * the first branch of allOf. */
static const cJSON *effective_schema(const struct gen *g, const cJSON *schema)
{
	static const char *const combiners[] = {"anyOf", "oneOf", "allOf"};

	for (int hop = 0; hop < GEN_MAX_DEPTH && cJSON_IsObject(schema); hop++) {
		const cJSON *next = resolve_ref(g, schema);
		const cJSON *branch = NULL;
		if (next != schema) {
			schema = next;
			continue;
		}
		if (cJSON_GetObjectItemCaseSensitive(schema, "type") ||
		    cJSON_GetObjectItemCaseSensitive(schema, "properties") ||
		    cJSON_GetObjectItemCaseSensitive(schema, "enum") ||
		    cJSON_GetObjectItemCaseSensitive(schema, "const"))
			return schema;
		for (size_t c = 0; c < 3 && !branch; c++) {
			const cJSON *alts = cJSON_GetObjectItemCaseSensitive(schema, combiners[c]);
			const cJSON *alt;
			cJSON_ArrayForEach(alt, alts) {
				const cJSON *t = cJSON_GetObjectItemCaseSensitive(alt, "type");
				if (!cJSON_IsString(t) || strcmp(t->valuestring, "null") != 0) {
					branch = alt;
					break;
				}
			}
		}
		if (!branch)
			return schema;
		schema = branch;
	}
	return schema;
}

/* "string", "integer", ...: the first non-null type, inferred when absent. */
static const char *type_of(const cJSON *schema)
{
	const cJSON *t = cJSON_GetObjectItemCaseSensitive(schema, "type");
	const cJSON *e;

	if (cJSON_IsString(t))
		return t->valuestring;
	cJSON_ArrayForEach(e, t) {
		if (cJSON_IsString(e) && strcmp(e->valuestring, "null") != 0)
			return e->valuestring;
	}
	if (cJSON_GetObjectItemCaseSensitive(schema, "properties"))
		return "object";
	if (cJSON_GetObjectItemCaseSensitive(schema, "items"))
		return "array";
	if (cJSON_IsArray(t) && cJSON_GetArraySize(t) > 0)
		return "null";
	return "string";
}

static cJSON *gen_value(struct gen *g, const cJSON *schema, const char *name, int depth);

static cJSON *gen_object(struct gen *g, const cJSON *schema, int depth)
{
	cJSON *obj = cJSON_CreateObject();
	const cJSON *props = cJSON_GetObjectItemCaseSensitive(schema, "properties");
	const cJSON *p;
	unsigned n = 0;

	if (!obj || depth >= GEN_MAX_DEPTH || g->left == 0)
		return obj;
	/* Required and optional properties alike: an optional one may be where the egress hides. */
	cJSON_ArrayForEach(p, props) {
		cJSON *v;
		if (!p->string || n++ >= GEN_MAX_PROPERTIES)
			break;
		v = gen_value(g, p, p->string, depth + 1);
		if (!v || !cJSON_AddItemToObject(obj, p->string, v)) {
			cJSON_Delete(v);
			cJSON_Delete(obj);
			return NULL;
		}
	}
	return obj;
}

static cJSON *gen_array(struct gen *g, const cJSON *schema, const char *name, int depth)
{
	cJSON *arr = cJSON_CreateArray();
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(schema, "items");
	double min = 1, max = GEN_MAX_ITEMS;
	int n;

	if (!arr || depth >= GEN_MAX_DEPTH || g->left == 0)
		return arr;
	if (number_of(schema, "minItems", &min) && min < 1)
		min = 1;
	if (number_of(schema, "maxItems", &max) && max < min)
		min = max;
	if (max < min)
		min = max;
	n = min > GEN_MAX_ITEMS ? GEN_MAX_ITEMS : (int)min;
	for (int i = 0; i < n; i++) {
		/* distinct numbers and strings keep uniqueItems happy */
		cJSON *v = gen_value(g, cJSON_IsObject(items) ? items : NULL, name, depth + 1);
		if (v && i > 0 && cJSON_IsNumber(v))
			cJSON_SetNumberValue(v, v->valuedouble + i);
		if (!v || !cJSON_AddItemToArray(arr, v)) {
			cJSON_Delete(v);
			cJSON_Delete(arr);
			return NULL;
		}
	}
	return arr;
}

static cJSON *gen_string(const struct gen *g, const cJSON *schema, const char *name)
{
	char *s = string_value(g, schema, name);
	double minl = 0, maxl = GEN_MAX_STRING;
	size_t len;
	cJSON *v;

	if (!s)
		return NULL;
	len = strlen(s);
	number_of(schema, "maxLength", &maxl);
	if (number_of(schema, "minLength", &minl) && minl > (double)len) {
		size_t want = minl > GEN_MAX_STRING ? GEN_MAX_STRING : (size_t)minl;
		char *p = realloc(s, want + 1);
		if (!p) {
			free(s);
			return NULL;
		}
		s = p;
		memset(s + len, 'x', want - len);
		s[want] = '\0';
		len = want;
	}
	if (maxl >= 0 && (double)len > maxl)
		s[(size_t)maxl] = '\0';
	v = cJSON_CreateString(s);
	free(s);
	return v;
}

/* A value satisfying schema (as far as a generator without regexes can), or NULL on
 * allocation failure. */
static cJSON *gen_value(struct gen *g, const cJSON *schema, const char *name, int depth)
{
	const cJSON *k;
	const char *type;

	if (g->left > 0)
		g->left--;
	if (!cJSON_IsObject(schema))
		return gen_string(g, NULL, name);
	schema = effective_schema(g, schema);
	if ((k = cJSON_GetObjectItemCaseSensitive(schema, "const")))
		return cJSON_Duplicate(k, true);
	if ((k = cJSON_GetObjectItemCaseSensitive(schema, "enum")) && cJSON_GetArraySize(k) > 0)
		return cJSON_Duplicate(cJSON_GetArrayItem(k, 0), true);
	if ((k = cJSON_GetObjectItemCaseSensitive(schema, "default")))
		return cJSON_Duplicate(k, true);
	k = cJSON_GetObjectItemCaseSensitive(schema, "examples");
	if (cJSON_IsArray(k) && cJSON_GetArraySize(k) > 0)
		return cJSON_Duplicate(cJSON_GetArrayItem(k, 0), true);
	type = type_of(schema);
	if (strcmp(type, "object") == 0)
		return gen_object(g, schema, depth);
	if (strcmp(type, "array") == 0)
		return gen_array(g, schema, name, depth);
	if (strcmp(type, "integer") == 0)
		return cJSON_CreateNumber(number_value(schema, true));
	if (strcmp(type, "number") == 0)
		return cJSON_CreateNumber(number_value(schema, false));
	if (strcmp(type, "boolean") == 0)
		return cJSON_CreateTrue();
	if (strcmp(type, "null") == 0)
		return cJSON_CreateNull();
	return gen_string(g, schema, name);
}

cJSON *driver_tool_arguments(const struct driver_config *cfg, const cJSON *input_schema)
{
	struct gen g = {cfg, input_schema, GEN_MAX_VALUES};

	if (!cJSON_IsObject(input_schema))
		return cJSON_CreateObject();
	return gen_object(&g, effective_schema(&g, input_schema), 0);
}

cJSON *driver_prompt_arguments(const struct driver_config *cfg, const cJSON *arguments)
{
	struct gen g = {cfg, NULL, GEN_MAX_VALUES};
	cJSON *obj = cJSON_CreateObject();
	const cJSON *a;
	unsigned n = 0;

	cJSON_ArrayForEach(a, arguments) {
		const cJSON *name = cJSON_GetObjectItemCaseSensitive(a, "name");
		cJSON *v;
		if (!obj || n++ >= GEN_MAX_PROPERTIES)
			break;
		if (!cJSON_IsString(name))
			continue;
		v = gen_string(&g, NULL, name->valuestring);
		if (!v || !cJSON_AddItemToObject(obj, name->valuestring, v)) {
			cJSON_Delete(v);
			cJSON_Delete(obj);
			return NULL;
		}
	}
	return obj;
}

/* ---------------------------------------------------------------- session */

struct session;

/* How messages reach the server and its messages come back: newline-delimited
 * JSON on pipes, or HTTP exchanges. The session logic above it is the same. */
struct transport {
	/* Hand one serialised message to the server (text, malloc'd, consumed);
	 * id is the JSON-RPC id of the request it carries, or 0. */
	void (*send)(struct session *s, char *text, size_t len, long id);
	/* Move bytes both ways for at most wait_ms, handing what arrives to handle_line. */
	void (*step)(struct session *s, int wait_ms);
	bool (*flushed)(const struct session *s);  /* nothing of ours is still on its way */
	bool (*settled)(const struct session *s);  /* nothing more can come from the server */
	/* The session stopped waiting for request id (answered or not). */
	void (*finish)(struct session *s, long id, bool answered);
	/* initialize chose a protocol version (a supported one, or NULL). */
	void (*negotiated)(struct session *s, const char *version);
	/* The end of the session as the transport says it: close stdin, DELETE the session. */
	void (*end)(struct session *s);
	void (*release)(struct session *s);        /* frees the transport's state; safe after a failed open */
};

/* The stdio transport's state. */
struct pipe_link {
	int to_fd, from_fd;
	struct strbuf out;       /* queued for the server; out_off bytes of it already written */
	size_t out_off;
	char *chunk;             /* READ_CHUNK bytes */
	char *line;              /* the line being assembled, at most max_line bytes */
	size_t line_len, line_cap;
	bool skipping;           /* inside an over-long line: drop bytes up to the next newline */
};

struct session {
	const struct driver_config *cfg;
	const struct transport *tp;
	struct pipe_link pipe;   /* stdio */
	struct driver_http *http;/* streamable HTTP */
	struct driver_result *res;
	uint64_t t0, deadline;
	char *root_uri;          /* file:// URI of server_dir */
	long next_id, want_id;   /* want_id: the request being waited for, or 0 */
	cJSON *reply;            /* its answer, once seen */
	unsigned timeouts_in_row;
	unsigned long deep_seen;  /* messages nested past JSON_RPC_MAX_DEPTH */
	bool lost;               /* the awaited answer can no longer come (its HTTP stream ended without it) */
	bool shutting_down, gone, stdin_closed, nomem;
	bool idling;  /* in the quiet period: target_idle may end it */
	uint64_t horizon_ms;  /* with idling: see driver_config.target_idle */
};

static uint64_t since_t0(const struct session *s)
{
	uint64_t now = driver_clock_ms();
	return now > s->t0 ? now - s->t0 : 0;
}

static void problem(struct session *s, enum driver_problem_kind kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Kinds that come at most once and sum up the run: kept past MAX_PROBLEMS, so that 64
 * timeouts of decoys cannot push out which items were never called. */
static bool once_per_session(enum driver_problem_kind kind)
{
	return kind == DRIVER_PROBLEM_CRASH || kind == DRIVER_PROBLEM_HUNG || kind == DRIVER_PROBLEM_DEADLINE ||
	       kind == DRIVER_PROBLEM_UNEXERCISED;
}

static void problem(struct session *s, enum driver_problem_kind kind, const char *fmt, ...)
{
	struct driver_problem p = {kind, NULL, since_t0(s)};
	struct strbuf b = STRBUF_INIT(MAX_DETAIL);
	va_list ap;

	if (s->res->problems.len >= MAX_PROBLEMS && !once_per_session(kind)) {
		s->res->problems_dropped++;
		return;
	}
	va_start(ap, fmt);
	if (strbuf_vprintf(&b, fmt, ap) < 0)
		s->nomem = true;
	va_end(ap);
	p.detail = strbuf_take(&b);
	if (!p.detail || vec_push(&s->res->problems, p) < 0) {
		free(p.detail);
		s->nomem = true;
	}
}

static void keep_text(struct session *s, const char *text, size_t len)
{
	bool was = s->res->text.truncated;

	if (strbuf_append(&s->res->text, text, len) < 0 || strbuf_putc(&s->res->text, '\n') < 0)
		s->nomem = true;
	if (!was && s->res->text.truncated)
		problem(s, DRIVER_PROBLEM_CAP, "server text over %zu bytes: the rest is not searched for canaries",
			s->cfg->max_text);
}

/* Every string in a message (keys too: a server can hide data in a key). */
static void keep_strings(struct session *s, const cJSON *v)
{
	const cJSON *c;

	if (v->string)
		keep_text(s, v->string, strlen(v->string));
	if (cJSON_IsString(v) && v->valuestring)
		keep_text(s, v->valuestring, strlen(v->valuestring));
	cJSON_ArrayForEach(c, v) keep_strings(s, c);
}

/* Remember where the text of phase name starts, so that a canary in it can be laid at
 * the call that returned it. */
static void mark_text_phase(struct session *s, const char *name)
{
	struct driver_text_phase m = {s->res->text.len, xstrdup(name)};

	if (!m.phase || vec_push(&s->res->text_phases, m) < 0) {
		free(m.phase);
		s->nomem = true;
	}
}

static void set_phase(struct session *s, const char *phase, const char *item)
{
	char name[MAX_PHASE];
	char *shown = item ? json_unmark(item) : NULL;

	if (item)
		snprintf(name, sizeof name, "%s %s", phase, shown ? shown : "?");
	else
		snprintf(name, sizeof name, "%s", phase);
	if (s->cfg->phase)
		s->cfg->phase(s->cfg->phase_ctx, name, since_t0(s));
	mark_text_phase(s, name);
	free(shown);
}

/* Queue a message (the request id it carries, or 0); the pump sends it. Consumes msg. */
static void queue(struct session *s, cJSON *msg, long id)
{
	char *text = msg ? cJSON_PrintUnformatted(msg) : NULL;

	cJSON_Delete(msg);
	if (text && strchr(text, JSON_NUL_MARK)) {
		/* a name with a NUL goes back as the server wrote it, not cut short */
		char *exact = json_unmark(text);
		free(text);
		text = exact;
	}
	if (!text) {
		s->nomem = true;
		return;
	}
	if (s->stdin_closed)
		free(text);
	else
		s->tp->send(s, text, strlen(text), id);
}

static cJSON *message(const cJSON *id, long num_id, const char *method)
{
	cJSON *m = cJSON_CreateObject();

	if (!m || !cJSON_AddStringToObject(m, "jsonrpc", "2.0"))
		goto fail;
	if (id && !cJSON_AddItemToObject(m, "id", cJSON_Duplicate(id, true)))
		goto fail;
	if (!id && num_id && !cJSON_AddNumberToObject(m, "id", (double)num_id))
		goto fail;
	if (method && !cJSON_AddStringToObject(m, "method", method))
		goto fail;
	return m;
fail:
	cJSON_Delete(m);
	return NULL;
}

/* The answer to a request from the server (MCP "Client features"). */
static cJSON *client_answer(struct session *s, const char *method)
{
	if (strcmp(method, "ping") == 0)
		return cJSON_CreateObject();
	if (strcmp(method, "roots/list") == 0) {
		cJSON *r = cJSON_Parse("{\"roots\":[{\"name\":\"workspace\"}]}");
		cJSON *root = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "roots"), 0);
		if (root && !cJSON_AddStringToObject(root, "uri", s->root_uri)) {
			cJSON_Delete(r);
			return NULL;
		}
		return r;
	}
	if (strcmp(method, "sampling/createMessage") == 0)
		return cJSON_Parse("{\"role\":\"assistant\",\"content\":{\"type\":\"text\",\"text\":\"OK.\"},"
				   "\"model\":\"claude-sonnet-4-5\",\"stopReason\":\"endTurn\"}");
	if (strcmp(method, "elicitation/create") == 0)
		return cJSON_Parse("{\"action\":\"decline\"}");
	return NULL;
}

static void answer_server(struct session *s, const cJSON *msg, const char *method)
{
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");
	cJSON *reply = message(id, 0, NULL);
	cJSON *result = client_answer(s, method);
	char *copy;

	if (s->res->server_requests.len < MAX_SERVER_REQUESTS) {
		copy = dup_capped(method, MAX_PHASE);
		if (!copy || vec_push(&s->res->server_requests, copy) < 0) {
			free(copy);
			s->nomem = true;
		}
	}
	if (reply && result) {
		cJSON_AddItemToObject(reply, "result", result);
	} else if (reply) {
		cJSON *e = cJSON_Parse("{\"code\":-32601,\"message\":\"Method not found\"}");
		if (!e || !cJSON_AddItemToObject(reply, "error", e)) {
			cJSON_Delete(e);
			s->nomem = true;
		}
	} else {
		cJSON_Delete(result);
	}
	queue(s, reply, 0);
}

static void invalid_line(struct session *s, const char *line, size_t len, const char *why)
{
	s->res->invalid_lines++;
	if (s->res->invalid_lines <= 8)
		problem(s, DRIVER_PROBLEM_INVALID_JSON, "%s: %.80s", why, line);
	keep_text(s, line, len);
}

static void handle_message(struct session *s, const cJSON *msg, const char *line, size_t len)
{
	const cJSON *method = cJSON_GetObjectItemCaseSensitive(msg, "method");
	const cJSON *id = cJSON_GetObjectItemCaseSensitive(msg, "id");

	if (!cJSON_IsObject(msg)) {
		invalid_line(s, line, len, "not a JSON-RPC message");
		return;
	}
	keep_strings(s, msg);
	if (cJSON_IsString(method)) {
		if (id && !cJSON_IsNull(id))
			answer_server(s, msg, method->valuestring);
		return; /* notifications need no answer */
	}
	if (cJSON_IsNumber(id) && s->want_id && id->valuedouble == (double)s->want_id && !s->reply &&
	    (cJSON_GetObjectItemCaseSensitive(msg, "result") || cJSON_GetObjectItemCaseSensitive(msg, "error"))) {
		s->reply = cJSON_Duplicate(msg, true);
		if (!s->reply)
			s->nomem = true;
	}
	/* Other answers are late ones to requests that timed out: ignored. */
}

/* One message, read as json_read_message does: a lone surrogate or a NUL in a string no
 * longer costs the whole message, and nesting too deep loses only the deep part (its text
 * is kept for the canary search). NULL when it is not JSON. */
static cJSON *parse_line(struct session *s, const char *line, size_t len)
{
	struct json_repairs st = {0};
	cJSON *msg = json_read_message(line, len, JSON_RPC_MAX_DEPTH, &st);

	if (msg && st.deep_values) {
		keep_text(s, line, len < MAX_LONG_LINE_TEXT ? len : MAX_LONG_LINE_TEXT);
		if (!s->deep_seen++)
			problem(s, DRIVER_PROBLEM_CAP, "a message nested deeper than %d levels: the deeper parts "
				"were read as null", JSON_RPC_MAX_DEPTH);
	}
	return msg;
}

static void handle_line(struct session *s, const char *line, size_t len)
{
	cJSON *msg, *m;

	while (len && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
		len--;
	if (len == 0)
		return;
	s->res->lines++;
	msg = parse_line(s, line, len);
	if (!msg) {
		invalid_line(s, line, len, "invalid JSON");
		return;
	}
	if (cJSON_IsArray(msg)) { /* a JSON-RPC batch (2025-03-26) */
		cJSON_ArrayForEach(m, msg) handle_message(s, m, line, len);
	} else {
		handle_message(s, msg, line, len);
	}
	cJSON_Delete(msg);
}

/* A message over max_line: its start kept for the canary search, then skipped. */
static void over_long(struct session *s, const char *start, size_t len)
{
	s->res->long_lines++;
	if (len < MAX_LONG_LINE_TEXT)
		keep_text(s, start, len);
	problem(s, DRIVER_PROBLEM_FLOOD, "a line over %zu bytes from the server: skipped", s->cfg->max_line);
}

/* The server can no longer be reached; a crash unless the session is ending. */
static void server_gone(struct session *s, const char *why)
{
	s->gone = true;
	if (!s->shutting_down) {
		s->res->crashed = true;
		s->res->crash_ms = since_t0(s);
		problem(s, DRIVER_PROBLEM_CRASH, "%s during the session", why);
	}
}

/* ------------------------------------------------------- stdio transport */

/* Room for want bytes of the line being assembled; false when out of memory. */
static bool line_room(struct session *s, size_t want)
{
	struct pipe_link *l = &s->pipe;
	size_t cap = l->line_cap ? l->line_cap : 4096;
	char *q;

	if (want <= l->line_cap)
		return true;
	while (cap < want)
		cap *= 2;
	if (cap > s->cfg->max_line + 1)
		cap = s->cfg->max_line + 1;
	q = realloc(l->line, cap);
	if (!q) {
		s->nomem = true;
		return false;
	}
	l->line = q;
	l->line_cap = cap;
	return true;
}

/* Split bytes into lines, never holding more than max_line of one line. */
static void feed(struct session *s, const char *p, size_t n)
{
	struct pipe_link *l = &s->pipe;

	while (n > 0) {
		const char *nl = memchr(p, '\n', n);
		size_t take = nl ? (size_t)(nl - p) : n;
		size_t step = nl ? take + 1 : n;
		if (l->skipping) {
			l->skipping = !nl;
		} else if (l->line_len + take > s->cfg->max_line) {
			over_long(s, l->line, l->line_len);
			l->line_len = 0;
			l->skipping = !nl;
		} else {
			if (!line_room(s, l->line_len + take + 1))
				return;
			memcpy(l->line + l->line_len, p, take);
			l->line_len += take;
			if (nl) {
				l->line[l->line_len] = '\0';
				handle_line(s, l->line, l->line_len);
				l->line_len = 0;
			}
		}
		p += step;
		n -= step;
	}
}

static void on_eof(struct session *s)
{
	struct pipe_link *l = &s->pipe;

	if (l->line_len && !l->skipping) {
		l->line[l->line_len] = '\0';
		handle_line(s, l->line, l->line_len);
		l->line_len = 0;
	}
	server_gone(s, "the server closed its stdout (exited?)");
}

static void write_some(struct session *s)
{
	struct pipe_link *l = &s->pipe;
	ssize_t n = write(l->to_fd, l->out.s + l->out_off, l->out.len - l->out_off);

	if (n > 0) {
		l->out_off += (size_t)n;
		if (l->out_off == l->out.len) {
			l->out.len = l->out_off = 0;
			l->out.s[0] = '\0';
		}
	} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
		s->stdin_closed = true;
		l->out.len = l->out_off = 0;
		problem(s, DRIVER_PROBLEM_STDIN_CLOSED, "writing to the server failed: %s", strerror(errno));
	}
}

static void read_some(struct session *s)
{
	ssize_t n = read(s->pipe.from_fd, s->pipe.chunk, READ_CHUNK);

	if (n > 0)
		feed(s, s->pipe.chunk, (size_t)n);
	else if (n == 0 || (errno != EAGAIN && errno != EINTR))
		on_eof(s);
}

static bool want_write(const struct session *s)
{
	return s->pipe.out.len > s->pipe.out_off && !s->stdin_closed;
}

static void pipe_send(struct session *s, char *text, size_t len, long id)
{
	if (strbuf_append(&s->pipe.out, text, len) < 0 || strbuf_putc(&s->pipe.out, '\n') < 0)
		s->nomem = true;
	free(text);
}

static void pipe_step(struct session *s, int wait_ms)
{
	struct pollfd fds[2];
	nfds_t nfds = 0;
	int rc;

	if (!s->gone)
		fds[nfds++] = (struct pollfd){.fd = s->pipe.from_fd, .events = POLLIN};
	if (want_write(s))
		fds[nfds++] = (struct pollfd){.fd = s->pipe.to_fd, .events = POLLOUT};
	rc = poll(fds, nfds, wait_ms);
	for (nfds_t i = 0; rc > 0 && i < nfds; i++) {
		if (fds[i].fd == s->pipe.from_fd && fds[i].revents)
			read_some(s);
		else if (fds[i].fd == s->pipe.to_fd && fds[i].revents)
			write_some(s);
	}
}

static bool pipe_flushed(const struct session *s)
{
	return !want_write(s);
}

static bool pipe_settled(const struct session *s)
{
	return s->gone;
}

static void pipe_finish(struct session *s, long id, bool answered)
{
	/* a late answer on stdout is read and ignored */
}

static void pipe_negotiated(struct session *s, const char *version)
{
}

static void pipe_end(struct session *s)
{
	close(s->pipe.to_fd);
	s->pipe.to_fd = -1;
}

static void pipe_release(struct session *s)
{
	if (s->pipe.to_fd >= 0)
		close(s->pipe.to_fd);
	s->pipe.to_fd = -1;
	strbuf_free(&s->pipe.out);
	free(s->pipe.chunk);
	free(s->pipe.line);
}

static const struct transport stdio_transport = {
	pipe_send, pipe_step, pipe_flushed, pipe_settled, pipe_finish, pipe_negotiated, pipe_end, pipe_release,
};

/* ------------------------------------------------ streamable HTTP transport */

static void http_message(void *ctx, const char *text, size_t len)
{
	handle_line(ctx, text, len);
}

static void http_text(void *ctx, const char *text, size_t len)
{
	keep_text(ctx, text, len);
}

static void http_problem(void *ctx, enum driver_problem_kind kind, const char *detail)
{
	struct session *s = ctx;

	if (kind == DRIVER_PROBLEM_FLOOD)
		s->res->long_lines++;
	/* The server forgot us: nothing more can be sent in this session. */
	if (kind == DRIVER_PROBLEM_SESSION_EXPIRED)
		s->stdin_closed = true;
	problem(s, kind, "%s", detail);
}

/* A JSON-RPC error standing for an HTTP error status, so the call records it. */
static cJSON *error_reply(long id, const char *detail)
{
	cJSON *m = message(NULL, id, NULL);
	cJSON *e = cJSON_CreateObject();

	if (!m || !e || !cJSON_AddNumberToObject(e, "code", -32000) ||
	    !cJSON_AddStringToObject(e, "message", detail) || !cJSON_AddItemToObject(m, "error", e)) {
		cJSON_Delete(e);
		cJSON_Delete(m);
		return NULL;
	}
	return m;
}

static void http_ended(void *ctx, long id, int status, const char *detail)
{
	struct session *s = ctx;

	if (id != s->want_id || s->reply)
		return;
	if (detail && status >= 300) {
		s->reply = error_reply(id, detail);
		s->nomem |= !s->reply;
		return;
	}
	s->lost = true;
	if (!detail)
		problem(s, DRIVER_PROBLEM_HTTP, "HTTP %d to request %ld without its answer", status, id);
}

static void http_gone(void *ctx, const char *why)
{
	server_gone(ctx, why);
}

static void http_send(struct session *s, char *text, size_t len, long id)
{
	if (driver_http_post(s->http, text, len, id) < 0)
		s->nomem = true;
}

static void http_step(struct session *s, int wait_ms)
{
	if (driver_http_step(s->http, wait_ms) < 0)
		s->nomem = true;
}

static bool http_flushed(const struct session *s)
{
	return s->gone || driver_http_flushed(s->http);
}

static bool http_settled(const struct session *s)
{
	return s->gone || driver_http_settled(s->http);
}

static void http_finish(struct session *s, long id, bool answered)
{
	driver_http_finish(s->http, id, answered);
}

static void http_negotiated(struct session *s, const char *version)
{
	if (driver_http_set_protocol(s->http, version) < 0)
		s->nomem = true;
}

static void http_end(struct session *s)
{
	/* After a 404 the session is gone already: a DELETE would only get another. */
	if (!s->stdin_closed && driver_http_delete(s->http) < 0)
		s->nomem = true;
}

static void http_release(struct session *s)
{
	driver_http_free(s->http);
	s->http = NULL;
}

static const struct transport http_transport = {
	http_send, http_step, http_flushed, http_settled, http_finish, http_negotiated, http_end, http_release,
};

/* ---------------------------------------------------------------- conversation */

/* Whether pump is done: time is up, the awaited reply is here or cannot come,
 * nothing more can come during shutdown, or (flushed_only) nothing is left to send. */
static bool pump_done(const struct session *s, uint64_t now, uint64_t until_ms, bool flushed_only)
{
	if (s->nomem || s->reply || now >= until_ms)
		return true;
	/* EOF on the server's output (all it wrote is read) and no process of it left */
	if (s->gone && s->cfg->target_gone && s->cfg->target_gone(s->cfg->target_gone_ctx))
		return true;
	if (s->idling && !s->gone && s->cfg->target_idle && s->cfg->target_idle(s->cfg->target_idle_ctx, s->horizon_ms))
		return true;
	if (s->want_id && (s->gone || s->stdin_closed || s->lost))
		return true;
	if (s->shutting_down && s->tp->settled(s))
		return true;
	return flushed_only && s->tp->flushed(s);
}

/* Move messages both ways (answering the server's requests on the way) until pump_done. */
static void pump(struct session *s, uint64_t until_ms, bool flushed_only)
{
	for (;;) {
		uint64_t now = driver_clock_ms();
		if (pump_done(s, now, until_ms, flushed_only))
			return;
		uint64_t slice = s->gone && s->cfg->target_gone ? DRIVER_GONE_CHECK_MS
				 : s->idling && s->cfg->target_idle ? DRIVER_IDLE_CHECK_MS : 1000;
		s->tp->step(s, (int)(until_ms - now > slice ? slice : until_ms - now));
	}
}

static bool session_over(struct session *s)
{
	if (s->nomem || s->gone || s->stdin_closed || s->res->hung)
		return true;
	if (driver_clock_ms() >= s->deadline) {
		if (!s->res->deadline_hit)
			problem(s, DRIVER_PROBLEM_DEADLINE, "the session deadline was reached");
		s->res->deadline_hit = true;
		return true;
	}
	return false;
}

static char *capped_json(const cJSON *v, size_t cap)
{
	char *text = v ? cJSON_PrintUnformatted(v) : NULL;

	if (text && strlen(text) > cap)
		text[cap] = '\0';
	return text;
}

/* The text of a JSON-RPC error or of a tool result with isError; NULL when neither. */
static char *failure_detail(const cJSON *reply, bool *failed)
{
	const cJSON *err = cJSON_GetObjectItemCaseSensitive(reply, "error");
	const cJSON *result = cJSON_GetObjectItemCaseSensitive(reply, "result");
	const cJSON *msg = cJSON_GetObjectItemCaseSensitive(err, "message");

	*failed = err != NULL;
	if (err)
		return cJSON_IsString(msg) ? dup_capped(msg->valuestring, MAX_DETAIL) : capped_json(err, MAX_DETAIL);
	if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(result, "isError"))) {
		const cJSON *c = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(result, "content"), 0);
		const cJSON *t = cJSON_GetObjectItemCaseSensitive(c, "text");
		*failed = true;
		return cJSON_IsString(t) ? dup_capped(t->valuestring, MAX_DETAIL) : xstrdup("isError");
	}
	return NULL;
}

/* Words of an answer that say the server does not have what was asked for (the MCP
 * SDKs: "Unknown tool: x", "Tool x not found", "MCP error -32602: ..."): both of a pair
 * must appear, lower-cased; NULL matches anything. */
static const struct {
	const char *first, *second;
} unknown_words[] = {
	{"unknown tool", NULL}, {"no such tool", NULL}, {"tool not found", NULL},
	{"unknown prompt", NULL}, {"prompt not found", NULL}, {"unknown resource", NULL},
	{"resource not found", NULL}, {"method not found", NULL}, {"not found", "tool"},
	{"not found", "prompt"}, {"not registered", NULL}, {"does not exist", NULL},
};

/* Whether a failed answer to tools/call, prompts/get or resources/read says the item does
 * not exist: the driver asked for something else than the server listed (or the server
 * lists what it will not run). JSON-RPC -32601 is "Method not found". */
static bool says_unknown(const cJSON *reply, const char *detail)
{
	const cJSON *code = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(reply, "error"), "code");

	if (cJSON_IsNumber(code) && code->valuedouble == -32601)
		return true;
	for (size_t i = 0; detail && i < sizeof unknown_words / sizeof *unknown_words; i++)
		if (strcasestr(detail, unknown_words[i].first) &&
		    (!unknown_words[i].second || strcasestr(detail, unknown_words[i].second)))
			return true;
	return false;
}

static bool is_item_method(const char *method)
{
	return !strcmp(method, "tools/call") || !strcmp(method, "prompts/get") || !strcmp(method, "resources/read");
}

static void record_call(struct session *s, struct driver_call *call)
{
	if (!call->method || vec_push(&s->res->calls, *call) < 0) {
		free(call->method);
		free(call->target);
		free(call->arguments);
		free(call->detail);
		s->nomem = true;
	}
}

static cJSON *request(struct session *s, const char *method, const char *target, cJSON *params,
		      uint32_t timeout);

/* max_timeouts requests in a row unanswered: a ping says whether the server is hung or only
 * slow on those requests (a decoy tool that never answers must not stop the rest). */
static void check_alive(struct session *s)
{
	if (s->res->hung || s->timeouts_in_row < s->cfg->max_timeouts)
		return;
	cJSON_Delete(request(s, "ping", NULL, NULL, s->cfg->call_timeout_ms));
	if (s->timeouts_in_row == 0 || s->nomem || s->gone || s->stdin_closed || driver_clock_ms() >= s->deadline)
		return;  /* alive, or over for another reason that session_over reports */
	s->res->hung = true;
	problem(s, DRIVER_PROBLEM_HUNG, "%u requests in a row unanswered, and then a ping: no more sent",
		s->timeouts_in_row);
}

/* initialize's wait, in slices, asking between them whether the server listens on a port
 * instead of answering on stdio: such a server would only run out the whole timeout. */
static void wait_initialize(struct session *s, uint64_t end)
{
	while (s->cfg->listens_instead) {
		uint64_t now = driver_clock_ms();
		pump(s, now + INIT_SLICE_MS < end ? now + INIT_SLICE_MS : end, false);
		if (s->reply || s->gone || s->stdin_closed || s->nomem || driver_clock_ms() >= end)
			return;
		if (s->cfg->listens_instead(s->cfg->listens_ctx)) {
			problem(s, DRIVER_PROBLEM_TIMEOUT, "initialize: the server listens on a port instead of answering "
				"on stdio: not waited for further");
			return;
		}
	}
	pump(s, end, false);
}

/* Send a request and wait up to timeout ms for its answer. Consumes params. Returns the
 * whole response (caller deletes) when it is a result, NULL otherwise; the call is
 * recorded either way. */
static cJSON *request(struct session *s, const char *method, const char *target, cJSON *params,
		      uint32_t timeout)
{
	struct driver_call call = {0};
	long id = ++s->next_id;
	uint64_t until = driver_clock_ms() + timeout;
	cJSON *msg = message(NULL, id, method);
	cJSON *reply;
	bool failed = false, timed_out = false;

	call.start_ms = since_t0(s);
	call.method = xstrdup(method);
	call.target = target ? dup_capped(target, MAX_PHASE) : NULL;
	call.arguments = capped_json(params, MAX_ARGS_TEXT);
	if (msg && params)
		cJSON_AddItemToObject(msg, "params", params);
	else
		cJSON_Delete(params);
	queue(s, msg, id);
	s->want_id = id;
	s->lost = false;
	if (!strcmp(method, "initialize"))
		wait_initialize(s, until < s->deadline ? until : s->deadline);
	else
		pump(s, until < s->deadline ? until : s->deadline, false);
	reply = s->reply;
	s->reply = NULL;
	s->want_id = 0;
	s->tp->finish(s, id, reply != NULL);
	call.end_ms = since_t0(s);
	if (reply) {
		s->timeouts_in_row = 0;
		call.detail = failure_detail(reply, &failed);
		call.outcome = failed ? DRIVER_CALL_ERROR : DRIVER_CALL_OK;
		if (failed && target && is_item_method(method) && says_unknown(reply, call.detail))
			problem(s, DRIVER_PROBLEM_UNKNOWN_TARGET, "%s %.200s: the server says there is no such "
				"item (%.200s): not exercised", method, call.target ? call.target : "?",
				call.detail ? call.detail : "no detail");
	} else if (s->gone || s->stdin_closed || s->lost) {
		call.outcome = DRIVER_CALL_CLOSED;
	} else if (!s->nomem) {
		call.outcome = DRIVER_CALL_TIMEOUT;
		s->res->timeouts++;
		s->timeouts_in_row++;
		timed_out = true;
		problem(s, DRIVER_PROBLEM_TIMEOUT, "%s%s%.200s: no answer in %u ms", method, target ? " " : "",
			call.target ? call.target : "", timeout);
	}
	record_call(s, &call);
	if (timed_out && strcmp(method, "ping") != 0)
		check_alive(s);
	if (failed || !cJSON_GetObjectItemCaseSensitive(reply, "result")) {
		cJSON_Delete(reply);
		return NULL;
	}
	return reply;
}

static cJSON *initialize_params(void)
{
	return cJSON_Parse("{\"protocolVersion\":\"" DRIVER_PROTOCOL_VERSION "\","
			   "\"capabilities\":{\"roots\":{\"listChanged\":true},\"sampling\":{},\"elicitation\":{}},"
			   "\"clientInfo\":{\"name\":\"claude-ai\",\"version\":\"0.1.0\"}}");
}

/* A string of the server's for people to read (capped, NUL shown). */
static char *string_at(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? dup_capped(v->valuestring, MAX_PHASE) : NULL;
}

/* A name or URI the driver sends back: whole, a NUL still marked (queue restores it). */
static char *exact_at(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

static bool initialize(struct session *s)
{
	cJSON *reply = request(s, "initialize", NULL, initialize_params(), s->cfg->init_timeout_ms);
	const cJSON *result = cJSON_GetObjectItemCaseSensitive(reply, "result");
	const cJSON *info = cJSON_GetObjectItemCaseSensitive(result, "serverInfo");

	if (!reply)
		return false;
	s->res->protocol_version = string_at(result, "protocolVersion");
	s->res->server_name = string_at(info, "name");
	s->res->server_version = string_at(info, "version");
	if (!driver_protocol_supported(s->res->protocol_version))
		problem(s, DRIVER_PROBLEM_PROTOCOL, "the server chose protocol version %.40s: carrying on",
			s->res->protocol_version ? s->res->protocol_version : "(none)");
	s->tp->negotiated(s, driver_protocol_supported(s->res->protocol_version) ? s->res->protocol_version : NULL);
	cJSON_Delete(reply);
	queue(s, message(NULL, 0, "notifications/initialized"), 0);
	return true;
}

typedef int (*item_fn)(struct session *s, const cJSON *item);

static int add_tool(struct session *s, const cJSON *item)
{
	struct driver_tool t = {exact_at(item, "name"), string_at(item, "description"), NULL};
	const cJSON *schema = cJSON_GetObjectItemCaseSensitive(item, "inputSchema");

	if (!t.name) {
		free(t.description);
		return 0;
	}
	t.input_schema = schema ? cJSON_Duplicate(schema, true) : NULL;
	if ((schema && !t.input_schema) || vec_push(&s->res->tools, t) < 0) {
		free(t.name);
		free(t.description);
		cJSON_Delete(t.input_schema);
		return -1;
	}
	return 0;
}

static int add_resource(struct session *s, const cJSON *item)
{
	struct driver_resource r = {exact_at(item, "uri"), string_at(item, "name")};

	if (r.uri && vec_push(&s->res->resources, r) == 0)
		return 0;
	free(r.name);
	return r.uri ? (free(r.uri), -1) : 0;
}

static int add_prompt(struct session *s, const cJSON *item)
{
	struct driver_prompt p = {exact_at(item, "name"), NULL};
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(item, "arguments");

	if (!p.name)
		return 0;
	p.arguments = args ? cJSON_Duplicate(args, true) : NULL;
	if ((args && !p.arguments) || vec_push(&s->res->prompts, p) < 0) {
		free(p.name);
		cJSON_Delete(p.arguments);
		return -1;
	}
	return 0;
}

/* One list method, following nextCursor for at most max_pages pages. */
static void list_all(struct session *s, const char *method, const char *key, size_t *count, item_fn add)
{
	char *cursor = NULL;

	set_phase(s, method, NULL);
	for (unsigned page = 0; !session_over(s); page++) {
		cJSON *params = cJSON_CreateObject(), *reply;
		const cJSON *result, *item, *next;
		if (page == s->cfg->max_pages) {
			problem(s, DRIVER_PROBLEM_CAP, "%s: more than %u pages, the rest not listed", method,
				s->cfg->max_pages);
			break;
		}
		if (cursor && params)
			cJSON_AddStringToObject(params, "cursor", cursor);
		reply = request(s, method, NULL, params, s->cfg->call_timeout_ms);
		result = cJSON_GetObjectItemCaseSensitive(reply, "result");
		cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(result, key)) {
			if (*count >= s->cfg->max_items) {
				problem(s, DRIVER_PROBLEM_CAP, "%s: more than %u items, the rest ignored", method,
					s->cfg->max_items);
				break;
			}
			if (add(s, item) < 0)
				s->nomem = true;
		}
		next = cJSON_GetObjectItemCaseSensitive(result, "nextCursor");
		free(cursor);
		cursor = cJSON_IsString(next) && *count < s->cfg->max_items ? xstrdup(next->valuestring) : NULL;
		cJSON_Delete(reply);
		if (!cursor)
			break;
	}
	free(cursor);
}

static cJSON *params_with(const char *key, const char *value, const char *args_key, cJSON *args)
{
	cJSON *p = cJSON_CreateObject();

	if (!p || !cJSON_AddStringToObject(p, key, value))
		goto fail;
	if (args_key) {
		if (!args || !cJSON_AddItemToObject(p, args_key, args))
			goto fail;
		args = NULL; /* owned by p now */
	}
	return p;
fail:
	cJSON_Delete(args);
	cJSON_Delete(p);
	return NULL;
}

/* One tool, resource or prompt to exercise. */
struct work {
	enum { W_TOOL, W_RESOURCE, W_PROMPT } kind;
	size_t index;
};

static const char *const work_method[] = {
	[W_TOOL] = "tools/call", [W_RESOURCE] = "resources/read", [W_PROMPT] = "prompts/get",
};
static const char *const work_phase[] = {
	[W_TOOL] = DRIVER_PHASE_TOOLS_CALL, [W_RESOURCE] = DRIVER_PHASE_RESOURCES_READ,
	[W_PROMPT] = DRIVER_PHASE_PROMPTS_GET,
};

static const char *work_target(const struct driver_result *r, const struct work *w)
{
	switch (w->kind) {
	case W_TOOL: return r->tools.items[w->index].name;
	case W_RESOURCE: return r->resources.items[w->index].uri;
	default: return r->prompts.items[w->index].name;
	}
}

static cJSON *work_params(const struct session *s, const struct work *w)
{
	const struct driver_result *r = s->res;

	switch (w->kind) {
	case W_TOOL:
		return params_with("name", r->tools.items[w->index].name, "arguments",
				   driver_tool_arguments(s->cfg, r->tools.items[w->index].input_schema));
	case W_RESOURCE:
		return params_with("uri", r->resources.items[w->index].uri, NULL, NULL);
	default:
		return params_with("name", r->prompts.items[w->index].name, "arguments",
				   driver_prompt_arguments(s->cfg, r->prompts.items[w->index].arguments));
	}
}

/* Every listed item, in an order drawn at random for this run (Fisher-Yates over
 * getrandom): the server cannot put what it hides behind decoys that use up the time.
 * Caller frees; NULL when there is nothing (*n 0) or memory ran out. */
static struct work *work_order(const struct driver_result *r, size_t *n)
{
	size_t total = r->tools.len + r->resources.len + r->prompts.len, k = 0;
	struct work *w = total ? calloc(total, sizeof *w) : NULL;
	uint64_t state = 0;

	*n = w ? total : 0;
	if (!w)
		return NULL;
	for (size_t i = 0; i < r->tools.len; i++)
		w[k++] = (struct work){W_TOOL, i};
	for (size_t i = 0; i < r->resources.len; i++)
		w[k++] = (struct work){W_RESOURCE, i};
	for (size_t i = 0; i < r->prompts.len; i++)
		w[k++] = (struct work){W_PROMPT, i};
	if (getrandom(&state, sizeof state, GRND_NONBLOCK) != (ssize_t)sizeof state)
		state ^= driver_clock_ms() * 0x9e3779b97f4a7c15u ^ (uint64_t)getpid();
	for (size_t i = total; i > 1; i--) {
		struct work t;
		size_t j;
		state = state * 6364136223846793005u + 1442695040888963407u; /* Knuth's MMIX LCG */
		j = (size_t)((state >> 33) % i);
		t = w[i - 1];
		w[i - 1] = w[j];
		w[j] = t;
	}
	return w;
}

/* The time one request may take: an equal share of what is left of the session among the
 * items still to go, within [MIN_CALL_MS, call_timeout_ms], so that slow items cannot
 * starve the others. */
static uint32_t call_budget(const struct session *s, size_t left)
{
	uint64_t now = driver_clock_ms(), share;
	uint32_t cap = s->cfg->call_timeout_ms, floor = cap < MIN_CALL_MS ? cap : MIN_CALL_MS;

	share = s->deadline > now ? (s->deadline - now) / (left ? left : 1) : 0;
	return share < floor ? floor : share > cap ? cap : (uint32_t)share;
}

/* What the run never called (w[done..n), the session having ended first), and why: the
 * report's incomplete list names them. */
static void report_unexercised(struct session *s, const struct work *w, size_t done, size_t n)
{
	struct strbuf names = STRBUF_INIT(MAX_DETAIL);
	size_t missed = n - done;

	for (size_t i = done; i < n && i - done < 10; i++) {
		char *shown = dup_capped(work_target(s->res, &w[i]), 80);
		strbuf_printf(&names, "%s%s %s", i > done ? ", " : "", work_method[w[i].kind], shown ? shown : "?");
		free(shown);
	}
	if (missed)
		problem(s, DRIVER_PROBLEM_UNEXERCISED, "%zu of %zu listed items never called (%s): %s%s", missed, n,
			s->res->deadline_hit ? "the session deadline" : s->res->hung ? "the server hung"
			: s->gone ? "the server exited" : "the session ended", strbuf_str(&names),
			missed > 10 ? ", ..." : "");
	strbuf_free(&names);
}

static void exercise(struct session *s)
{
	size_t n, i;
	struct work *w = work_order(s->res, &n);

	if (!w && (s->res->tools.len || s->res->resources.len || s->res->prompts.len)) {
		s->nomem = true;
		return;
	}
	for (i = 0; i < n && !session_over(s); i++) {
		const char *target = work_target(s->res, &w[i]);
		set_phase(s, work_phase[w[i].kind], target);
		cJSON_Delete(request(s, work_method[w[i].kind], target, work_params(s, &w[i]), call_budget(s, n - i)));
	}
	report_unexercised(s, w, i, n);
	free(w);
}

/* initialize .. ping; stops early when the server is gone, hung or out of time. */
static void converse(struct session *s)
{
	set_phase(s, DRIVER_PHASE_INITIALIZE, NULL);
	if (!initialize(s) || session_over(s))
		return;
	list_all(s, "tools/list", "tools", &s->res->tools.len, add_tool);
	list_all(s, "resources/list", "resources", &s->res->resources.len, add_resource);
	list_all(s, "prompts/list", "prompts", &s->res->prompts.len, add_prompt);
	if (!s->cfg->no_calls)
		exercise(s);
	if (session_over(s))
		return;
	if (s->cfg->before_last)
		s->cfg->before_last(s->cfg->target_idle_ctx);
	cJSON_Delete(request(s, "ping", NULL, NULL, s->cfg->call_timeout_ms));
}

static void idle_and_shutdown(struct session *s)
{
	uint64_t now = driver_clock_ms();

	set_phase(s, DRIVER_PHASE_IDLE, NULL);
	/* The server may still make requests (sampling, roots) while idle: keep answering. */
	uint64_t until = now + s->cfg->quiet_ms < s->deadline ? now + s->cfg->quiet_ms : s->deadline;

	s->idling = true;
	s->horizon_ms = until + FLUSH_MS + s->cfg->shutdown_ms;
	pump(s, until, false);
	s->idling = false;
	s->res->quiet_ms = driver_clock_ms() - now;
	set_phase(s, DRIVER_PHASE_SHUTDOWN, NULL);
	s->shutting_down = true;
	now = driver_clock_ms();
	pump(s, now + FLUSH_MS < s->deadline ? now + FLUSH_MS : s->deadline, true);
	s->tp->end(s);
	s->stdin_closed = true;
	now = driver_clock_ms();
	/* Read what the server says on its way out, until EOF. */
	s->want_id = 0;
	pump(s, now + s->cfg->shutdown_ms < s->deadline ? now + s->cfg->shutdown_ms : s->deadline, false);
}

static char *file_uri(const char *dir)
{
	static const char keep[] = "-._~/";
	struct strbuf b = STRBUF_INIT(8192);

	strbuf_puts(&b, "file://");
	for (const unsigned char *p = (const unsigned char *)dir; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
		    strchr(keep, *p))
			strbuf_putc(&b, (char)*p);
		else
			strbuf_printf(&b, "%%%02X", *p);
	}
	return strbuf_take(&b);
}

/* What every transport needs; tp->release is safe on the result whatever it returns. */
static enum driver_status session_init(struct session *s, const struct driver_config *cfg,
				       const struct transport *tp, char *err, size_t errlen)
{
	uint64_t now = driver_clock_ms();

	memset(s, 0, sizeof *s);
	s->cfg = cfg;
	s->tp = tp;
	s->pipe.to_fd = s->pipe.from_fd = -1;
	s->pipe.out = (struct strbuf)STRBUF_INIT(0);
	s->t0 = cfg->t0_ms ? cfg->t0_ms : now;
	s->deadline = cfg->deadline_ms ? cfg->deadline_ms : s->t0 + 120000;
	if (!cfg->server_dir || cfg->max_line == 0 || cfg->max_text == 0) {
		snprintf(err, errlen, "driver: server_dir, max_line and max_text must be set");
		return DRIVER_BAD_CONFIG;
	}
	s->res = calloc(1, sizeof *s->res);
	s->root_uri = file_uri(cfg->server_dir);
	if (!s->res || !s->root_uri) {
		snprintf(err, errlen, "driver: out of memory");
		return DRIVER_NOMEM;
	}
	s->res->text = (struct strbuf)STRBUF_INIT(cfg->max_text);
	return DRIVER_OK;
}

static enum driver_status pipe_open(struct session *s, int to_fd, int from_fd, char *err, size_t errlen)
{
	if (to_fd < 0 || from_fd < 0) {
		snprintf(err, errlen, "driver: both pipes must be set");
		return DRIVER_BAD_CONFIG;
	}
	s->pipe.to_fd = to_fd;
	s->pipe.from_fd = from_fd;
	if (fcntl(to_fd, F_SETFL, fcntl(to_fd, F_GETFL) | O_NONBLOCK) < 0 ||
	    fcntl(from_fd, F_SETFL, fcntl(from_fd, F_GETFL) | O_NONBLOCK) < 0) {
		snprintf(err, errlen, "driver: cannot make the server's pipes non-blocking: %s", strerror(errno));
		return DRIVER_SYSTEM;
	}
	s->pipe.chunk = malloc(READ_CHUNK);
	if (!s->pipe.chunk) {
		snprintf(err, errlen, "driver: out of memory");
		return DRIVER_NOMEM;
	}
	return DRIVER_OK;
}

/* The whole session over an open transport; the result is moved to *out. */
static enum driver_status converse_all(struct session *s, struct driver_result **out, char *err,
				       size_t errlen)
{
	set_phase(s, DRIVER_PHASE_STARTUP, NULL);
	converse(s);
	idle_and_shutdown(s);
	if (s->nomem) {
		snprintf(err, errlen, "driver: out of memory");
		return DRIVER_NOMEM;
	}
	*out = s->res;
	s->res = NULL;
	return DRIVER_OK;
}

static void session_free(struct session *s)
{
	s->tp->release(s);
	driver_result_free(s->res);
	cJSON_Delete(s->reply);
	free(s->root_uri);
}

enum driver_status driver_run(const struct driver_config *cfg, int to_server, int from_server,
			      struct driver_result **out, char *err, size_t errlen)
{
	struct session s;
	sigset_t pipe_set, old_set, pending;
	bool was_pending;
	enum driver_status st;

	*out = NULL;
	/* A write to a server that has exited must be an error, not a fatal signal. */
	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigpending(&pending);
	was_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
	st = session_init(&s, cfg, &stdio_transport, err, errlen);
	if (st == DRIVER_OK)
		st = pipe_open(&s, to_server, from_server, err, errlen);
	if (st == DRIVER_OK)
		st = converse_all(&s, out, err, errlen);
	else if (to_server >= 0 && s.pipe.to_fd < 0)
		close(to_server); /* always closed, as documented */
	session_free(&s);
	sigpending(&pending);
	if (!was_pending && sigismember(&pending, SIGPIPE)) {
		struct timespec zero = {0, 0};
		sigtimedwait(&pipe_set, NULL, &zero);
	}
	pthread_sigmask(SIG_SETMASK, &old_set, NULL);
	return st;
}

enum driver_status driver_run_http(const struct driver_config *cfg, const char *host, uint16_t port,
				   const char *path, struct driver_result **out, char *err, size_t errlen)
{
	struct session s;
	struct driver_http_events ev = {&s, http_message, http_text, http_problem, http_ended, http_gone};
	enum driver_status st;

	*out = NULL;
	st = session_init(&s, cfg, &http_transport, err, errlen);
	if (st == DRIVER_OK)
		st = driver_http_new(&s.http, host, port, path, cfg->max_line, &ev, err, errlen);
	if (st == DRIVER_OK)
		st = converse_all(&s, out, err, errlen);
	if (*out)
		(*out)->legacy_sse = driver_http_legacy(s.http);
	session_free(&s);
	return st;
}

void driver_result_free(struct driver_result *r)
{
	if (!r)
		return;
	free(r->server_name);
	free(r->server_version);
	free(r->protocol_version);
	for (size_t i = 0; i < r->text_phases.len; i++)
		free(r->text_phases.items[i].phase);
	vec_free(&r->text_phases);
	for (size_t i = 0; i < r->tools.len; i++) {
		free(r->tools.items[i].name);
		free(r->tools.items[i].description);
		cJSON_Delete(r->tools.items[i].input_schema);
	}
	for (size_t i = 0; i < r->resources.len; i++) {
		free(r->resources.items[i].uri);
		free(r->resources.items[i].name);
	}
	for (size_t i = 0; i < r->prompts.len; i++) {
		free(r->prompts.items[i].name);
		cJSON_Delete(r->prompts.items[i].arguments);
	}
	for (size_t i = 0; i < r->calls.len; i++) {
		free(r->calls.items[i].method);
		free(r->calls.items[i].target);
		free(r->calls.items[i].arguments);
		free(r->calls.items[i].detail);
	}
	for (size_t i = 0; i < r->server_requests.len; i++)
		free(r->server_requests.items[i]);
	for (size_t i = 0; i < r->problems.len; i++)
		free(r->problems.items[i].detail);
	vec_free(&r->tools);
	vec_free(&r->resources);
	vec_free(&r->prompts);
	vec_free(&r->calls);
	vec_free(&r->server_requests);
	vec_free(&r->problems);
	strbuf_free(&r->text);
	free(r);
}

const char *driver_text_phase_at(const struct driver_result *r, size_t offset)
{
	const char *phase = NULL;

	for (size_t i = 0; i < r->text_phases.len && r->text_phases.items[i].offset <= offset; i++)
		phase = r->text_phases.items[i].phase;
	return phase;
}
