/* clientconfig: see clientconfig.h. */
#include "audit/clientconfig.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/json_read.h"
#include "core/json_report.h"
#include "analyzer/lang.h"
#include "core/secret_env.h"
#include "core/strbuf.h"

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define PROJECT_MAX_CLIMB 8       /* folders climbed from a script to its project file */
#define CLIENT_CONFIG_MAX_PAIRS 256u /* env or headers entries per server */

struct loader {
	const char *path;      /* the file as given, for messages */
	const char *text;      /* the parsed text, for line numbers */
	const char *base;      /* absolute folder for relative paths */
	const cJSON *inputs;   /* VS Code's "inputs" array, or NULL */
	char *err;
	size_t errlen;
};

/* ---- errors ---------------------------------------------------------------------------- */

static int fail(const struct loader *l, const char *server, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Writes "FILE: line N: server 'S': what" to err, the parts that are known; returns -1.
 * Callers pass names and field names, never a configured value. */
static int fail(const struct loader *l, const char *server, const char *fmt, ...)
{
	char what[300];
	va_list ap;
	int line = server ? (int)text_json_key_line(l->text, server) : 0;

	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	if (server && line)
		snprintf(l->err, l->errlen, "%s: line %d: server '%.80s': %s", l->path, line, server, what);
	else if (server)
		snprintf(l->err, l->errlen, "%s: server '%.80s': %s", l->path, server, what);
	else
		snprintf(l->err, l->errlen, "%s: %s", l->path, what);
	return -1;
}

static int oom(const struct loader *l)
{
	return fail(l, NULL, "out of memory");
}

/* ---- reading JSONC --------------------------------------------------------------------- */

/* Reads the whole file, NUL-terminated. Returns 0, or -1 (err set) when it cannot be read,
 * is not a regular file, is over the cap, or holds a NUL byte. */
static int read_file(const struct loader *l, char **out, size_t *len)
{
	FILE *f = fopen(l->path, "rb");
	struct stat st;
	char *buf = NULL;
	size_t n;
	int rc = -1;

	if (!f)
		return fail(l, NULL, "cannot open: %s", strerror(errno));
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
		fail(l, NULL, "not a regular file");
		goto out;
	}
	if ((uint64_t)st.st_size > CLIENT_CONFIG_MAX_BYTES) {
		fail(l, NULL, "larger than %zu bytes: not a client configuration", CLIENT_CONFIG_MAX_BYTES);
		goto out;
	}
	if (!(buf = malloc((size_t)st.st_size + 2))) {
		oom(l);
		goto out;
	}
	n = fread(buf, 1, (size_t)st.st_size + 1, f);  /* one more: a file that grew is cut, not overrun */
	if (ferror(f)) {
		fail(l, NULL, "cannot read: %s", strerror(errno));
		goto out;
	}
	buf[n] = '\0';
	if (memchr(buf, '\0', n)) {
		fail(l, NULL, "holds a NUL byte: not a text file");
		goto out;
	}
	*out = buf;
	*len = n;
	buf = NULL;
	rc = 0;
out:
	fclose(f);
	free(buf);
	return rc;
}

/* Parses text as VS Code's JSONC parser does (comments, trailing commas, the last of two
 * equal keys), which reads everything the stricter JSON.parse of the other clients reads, the
 * same way. Returns 0 with doc filled, or -1 (err set, with the line and column). */
static int parse_text(const struct loader *l, const char *text, size_t len, struct json_doc *doc)
{
	struct json_read_error e;

	if (text[strspn(text, " \t\r\n")] == '\0')
		return fail(l, NULL, "empty: no JSON in it");
	if (json_read(text, len, JSON_JSONC, doc, &e) != 0)
		return fail(l, NULL, "line %u, column %u: not valid JSON (%s)", e.line, e.column, e.what);
	return 0;
}

/* ---- fields ---------------------------------------------------------------------------- */

/* A string member, borrowed from the tree, or NULL when absent or null. Returns -1 (err set)
 * when it is something else. */
static int opt_string(const struct loader *l, const cJSON *obj, const char *key, const char *server,
		      const char **out)
{
	/* the tree came from json_read: a key is there once, the last in the file, as the
	 * client takes it (client_config_report reports the duplicate) */
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	*out = NULL;
	if (!it || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsString(it))
		return fail(l, server, "\"%s\" is not a string", key);
	*out = it->valuestring;
	return 0;
}

static int opt_bool(const struct loader *l, const cJSON *obj, const char *key, const char *server, bool *out)
{
	const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

	if (!it || cJSON_IsNull(it))
		return 0;
	if (!cJSON_IsBool(it))
		return fail(l, server, "\"%s\" is not true or false", key);
	*out = cJSON_IsTrue(it);
	return 0;
}

/* ---- secrets --------------------------------------------------------------------------- */

/* Prefixes of tokens issued by known services, with the characters that must follow. */
static const struct {
	const char *prefix;
	size_t min_rest;
} token_prefixes[] = {
	{"ghp_", 20}, {"gho_", 20}, {"ghu_", 20}, {"ghs_", 20}, {"ghr_", 20}, /* GitHub */
	{"github_pat_", 20},                                                   /* GitHub fine-grained */
	{"glpat-", 16},                                                        /* GitLab */
	{"sk-", 16}, {"sk_live_", 16}, {"sk_test_", 16}, {"rk_live_", 16},     /* OpenAI, Anthropic, Stripe */
	{"xoxb-", 10}, {"xoxa-", 10}, {"xoxp-", 10},                           /* Slack */
	{"AKIA", 12}, {"ASIA", 12},                                            /* AWS access key ids */
	{"npm_", 20}, {"pypi-", 20},                                           /* package registries */
	{"hf_", 20}, {"AIza", 20}, {"ya29.", 20},                              /* Hugging Face, Google */
	{"eyJ", 20},                                                           /* a JWT's header */
};

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), m = strlen(tail);

	return n > m && strcmp(s + n - m, tail) == 0;
}

/* How many characters from the start of s are a token's ([A-Za-z0-9_.-]), if they run to the end; else 0. */
static size_t token_chars(const char *s)
{
	size_t n = 0;

	while (isalnum((unsigned char)s[n]) || s[n] == '_' || s[n] == '-' || s[n] == '.')
		n++;
	return s[n] ? 0 : n;
}

/* A URL whose user part has a password, or with a query parameter named like a secret. */
static bool url_credential(const char *v)
{
	const char *auth = strstr(v, "://"), *end, *at;

	if (!auth)
		return false;
	auth += 3;
	end = auth + strcspn(auth, "/?#");
	at = memchr(auth, '@', (size_t)(end - auth));
	if (at && memchr(auth, ':', (size_t)(at - auth)))
		return true;
	for (const char *p = strchr(end, '?'); p; p = strchr(p + 1, '&')) {
		char name[64];
		size_t n = strcspn(p + 1, "=&#");
		if (p[1 + n] != '=' || n == 0 || n >= sizeof name || !p[2 + n] || p[2 + n] == '&')
			continue;
		memcpy(name, p + 1, n);
		name[n] = '\0';
		if (secret_env_name(name))
			return true;
	}
	return false;
}

/* Whether a part between - and _ is a word: three or more letters and nothing else
 * ("my-server-2024"). A random key does not break into words. */
static bool has_word(const char *v)
{
	while (*v) {
		size_t n = strcspn(v, "-_"), letters = 0;
		while (letters < n && isalpha((unsigned char)v[letters]))
			letters++;
		if (n >= 3 && letters == n)
			return true;
		v += n + (v[n] != '\0');
	}
	return false;
}

/* At least 24 characters of base64, hex or URL-safe alphabets, letters and digits mixed, with
 * at least 12 different characters, not a path and not made of words: what long keys look like. */
static bool random_looking(const char *v)
{
	bool seen[128] = {false}, digit = false, alpha = false;
	size_t n = 0, distinct = 0;

	if (v[0] == '/' || v[0] == '.' || v[0] == '~')
		return false;
	for (; v[n]; n++) {
		unsigned char c = (unsigned char)v[n];
		if (!isalnum(c) && !strchr("+/=_-", c))
			return false;
		digit = digit || isdigit(c);
		alpha = alpha || isalpha(c);
		distinct += !seen[c];
		seen[c] = true;
	}
	return n >= 24 && digit && alpha && distinct >= 12 && !has_word(v);
}

bool client_secret_value(const char *v)
{
	static const char *const schemes[] = {"Bearer ", "Basic ", "token "};

	if (!v)
		return false;
	for (size_t i = 0; i < ARRAY_LEN(schemes); i++)
		if (strncasecmp(v, schemes[i], strlen(schemes[i])) == 0)
			v += strlen(schemes[i]);
	if (strncmp(v, "-----BEGIN", 10) == 0)
		return true;
	for (size_t i = 0; i < ARRAY_LEN(token_prefixes); i++) {
		size_t n = strlen(token_prefixes[i].prefix);
		if (strncmp(v, token_prefixes[i].prefix, n) == 0 && token_chars(v + n) >= token_prefixes[i].min_rest)
			return true;
	}
	return url_credential(v) || random_looking(v);
}

/* Whether the VS Code input id was declared with "password": true, or is named like a secret. */
static bool input_secret(const struct loader *l, const char *id)
{
	const cJSON *in;

	cJSON_ArrayForEach(in, l->inputs) {
		const cJSON *iid = cJSON_GetObjectItemCaseSensitive(in, "id");
		if (cJSON_IsString(iid) && strcmp(iid->valuestring, id) == 0 &&
		    cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(in, "password")))
			return true;
	}
	return secret_env_name(id);
}

/* Whether a placeholder in v stands for a secret: ${input:ID} (see input_secret), or
 * ${env:NAME}, ${NAME} or ${NAME:-default} with NAME named like a secret. */
static bool placeholder_secret(const struct loader *l, const char *v)
{
	for (const char *p = strstr(v, "${"); p; p = strstr(p + 2, "${")) {
		const char *end = strchr(p, '}');
		char name[128];
		if (!end)
			break;
		snprintf(name, sizeof name, "%.*s", (int)(end - p - 2), p + 2);
		if (strncmp(name, "input:", 6) == 0) {
			if (input_secret(l, name + 6))
				return true;
			continue;
		}
		char *inner = strncmp(name, "env:", 4) == 0 ? name + 4 : name;
		inner[strcspn(inner, ":")] = '\0';
		if (secret_env_name(inner))
			return true;
	}
	return false;
}

/* ---- env and headers ------------------------------------------------------------------- */

/* A pair's value as text: strings as they are, numbers written out (VS Code allows them). */
static char *pair_value(const cJSON *v)
{
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	if (v->valuedouble > -1e15 && v->valuedouble < 1e15 && v->valuedouble == (double)(long long)v->valuedouble)
		return xasprintf("%lld", (long long)v->valuedouble);
	return xasprintf("%.17g", v->valuedouble);
}

static int push_pair(const struct loader *l, struct client_envs *list, const cJSON *v)
{
	struct client_env e = {xstrdup(v->string), pair_value(v), false};

	if (!e.name || !e.value || vec_push(list, e) != 0) {
		free(e.name);
		free(e.value);
		return oom(l);
	}
	list->items[list->len - 1].secret =
		secret_env_name(e.name) || client_secret_value(e.value) || placeholder_secret(l, e.value);
	return 0;
}

/* Reads the object key (env, headers) of server s into list. Values are strings or numbers;
 * null means "unset" in VS Code and is skipped. Returns 0, or -1 (err set, naming the entry
 * and never its value). */
static int read_pairs(const struct loader *l, const cJSON *s, const char *key, const char *server,
		      struct client_envs *list)
{
	const cJSON *obj = cJSON_GetObjectItemCaseSensitive(s, key), *v;

	if (!obj || cJSON_IsNull(obj))
		return 0;
	if (!cJSON_IsObject(obj))
		return fail(l, server, "\"%s\" is not an object", key);
	if ((size_t)cJSON_GetArraySize(obj) > CLIENT_CONFIG_MAX_PAIRS)
		return fail(l, server, "\"%s\" has more than %u entries", key, CLIENT_CONFIG_MAX_PAIRS);
	cJSON_ArrayForEach(v, obj) {
		if (cJSON_IsNull(v))
			continue;
		if (!cJSON_IsString(v) && !cJSON_IsNumber(v))
			return fail(l, server, "%s.%.80s is not a string", key, v->string);
		if (push_pair(l, list, v) != 0)
			return -1;
	}
	return 0;
}

/* ---- paths ----------------------------------------------------------------------------- */

/* s with ${workspaceFolder} and ${userHome} replaced, as VS Code and Cursor do before they
 * start a server. Caller frees; NULL when memory runs out. */
static char *expand(const struct loader *l, const char *s)
{
	const char *home = getenv("HOME");
	const struct {
		const char *name, *value;
	} vars[] = {{"${workspaceFolder}", l->base}, {"${userHome}", home}};
	struct strbuf b = STRBUF_INIT(0);
	int rc = 0;

	while (*s && rc == 0) {
		size_t i = 0;
		while (i < ARRAY_LEN(vars) && !(vars[i].value && strncmp(s, vars[i].name, strlen(vars[i].name)) == 0))
			i++;
		if (i < ARRAY_LEN(vars)) {
			rc = strbuf_puts(&b, vars[i].value);
			s += strlen(vars[i].name);
		} else {
			rc = strbuf_putc(&b, *s++);
		}
	}
	if (rc != 0) {
		strbuf_free(&b);
		return NULL;
	}
	return strbuf_take(&b);
}

/* dir/path, or path when it is absolute. Caller frees; NULL when memory runs out. */
static char *join(const char *dir, const char *path)
{
	return path[0] == '/' ? xstrdup(path) : xasprintf("%s/%s", dir, path);
}

/* The path, absolute and expanded, resolved through links when it exists. Caller frees. */
static char *absolute(const struct loader *l, const char *dir, const char *path)
{
	char *expanded = expand(l, path), *full = expanded ? join(dir, expanded) : NULL, *real;

	free(expanded);
	if (!full)
		return NULL;
	real = realpath(full, NULL);
	if (!real)
		return full;
	free(full);
	return real;
}

static void cut_last(char *path)
{
	char *slash = strrchr(path, '/');

	if (slash == path)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
}

static const char *last_component(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool has_entry(const char *dir, const char *name)
{
	char *p = xasprintf("%s/%s", dir, name);
	bool yes = p && access(p, F_OK) == 0;

	free(p);
	return yes;
}

static const char *const project_files[] = {"package.json", "pyproject.toml", "setup.py", NULL};

/* The nearest folder from start up that holds a project file; start itself when none does
 * before the climb reaches the top of a git repository, the home folder or the root. Those
 * are never taken: a stray package.json in $HOME must not turn the audit of one script into
 * the audit of everything. Caller frees; NULL when memory runs out. */
static char *project_root(const char *start)
{
	const char *home = getenv("HOME");
	char *dir = xstrdup(start);

	for (int up = 0; dir && up < PROJECT_MAX_CLIMB; up++) {
		if (strcmp(dir, "/") == 0 || (home && strcmp(dir, home) == 0))
			break;
		for (const char *const *f = project_files; *f; f++)
			if (has_entry(dir, *f))
				return dir;
		if (has_entry(dir, ".git"))
			break;
		cut_last(dir);
	}
	free(dir);
	return xstrdup(start);
}

/* ---- targets --------------------------------------------------------------------------- */

static int unsupported(struct client_target *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Makes t unsupported, with the reason. Returns 0, or -1 when memory runs out. */
static int unsupported(struct client_target *t, const char *fmt, ...)
{
	char why[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof why, fmt, ap);
	va_end(ap);
	free(t->spec);
	free(t->reason);
	t->spec = NULL;
	t->kind = CT_UNSUPPORTED;
	t->reason = xstrdup(why);
	return t->reason ? 0 : -1;
}

/* Makes t a local target: the project around the script or folder at path, taken from the
 * server's working folder; unsupported when nothing is there. Returns 0, or -1 (no memory). */
static int set_local(const struct loader *l, struct client_target *t, const char *path)
{
	const char *dir = t->cwd ? t->cwd : l->base;
	char *full = absolute(l, dir, path), *folder;
	struct stat st;

	if (!full)
		return -1;
	if (stat(full, &st) != 0) {
		free(full);
		return unsupported(t, "'%.200s' does not exist (relative paths are taken from %.200s)", path, dir);
	}
	if (!S_ISDIR(st.st_mode))
		cut_last(full);
	folder = project_root(full);
	free(full);
	if (!folder)
		return -1;
	if (strcmp(folder, "/") == 0 || (getenv("HOME") && strcmp(folder, getenv("HOME")) == 0)) {
		free(folder);  /* auditing all of it would be slow and noisy, and not what was meant */
		return unsupported(t, "'%.200s' sits directly in the home folder or the root, which is not "
				   "audited whole: move it into a project folder, or run `mcpaudit scan` on the file",
				   path);
	}
	t->kind = CT_LOCAL;
	free(t->spec);
	t->spec = folder;
	return 0;
}

static const char *const name_chars =
	"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~";

/* "name", "name@version", "@scope/name", "@scope/name@version", as npx takes them; not a
 * path, a git or URL spec, or an alias (npm:other@1). */
static bool npm_spec_ok(const char *s)
{
	size_t n;

	if (*s == '@') {
		n = strspn(s + 1, name_chars);
		if (!n || s[1 + n] != '/')
			return false;
		s += n + 2;
	}
	n = strspn(s, name_chars);
	if (!n)
		return false;
	s += n;
	return !*s || (s[0] == '@' && s[1] && !strpbrk(s + 1, " \t:/"));
}

/* "name", "name==1.0", "name@1.0" or "name@latest", extras allowed ("name[cli]==1.0"), as
 * "name==1.0" or "name"; NULL when s is anything else (a range, a path, a URL) or memory runs
 * out. Extras are dropped: they add dependencies, not code of the package itself. */
static char *pypi_spec(const char *s)
{
	size_t n = strspn(s, name_chars);
	const char *rest = s + n, *version = NULL;

	if (!n || strchr(s, '~') || s[0] == '.')
		return NULL;
	if (*rest == '[') {
		const char *close = strchr(rest, ']');
		if (!close)
			return NULL;
		rest = close + 1;
	}
	if (strncmp(rest, "==", 2) == 0)
		version = rest + 2;
	else if (*rest == '@')
		version = strcmp(rest + 1, "latest") == 0 ? NULL : rest + 1;
	else if (*rest)
		return NULL;
	if (version && (!*version || strpbrk(version, " \t:/,;<>=!~*")))
		return NULL;
	return version ? xasprintf("%.*s==%s", (int)n, s, version) : xstrndup(s, n);
}

static bool path_like(const char *s)
{
	return s[0] == '/' || strncmp(s, "./", 2) == 0 || strncmp(s, "../", 3) == 0 || strcmp(s, ".") == 0 ||
	       strncmp(s, "file:", 5) == 0 || strncmp(s, "${", 2) == 0;
}

static int copy_args(struct client_target *t, size_t from)
{
	for (size_t i = from; i < t->argv.len; i++) {
		char *a = xstrdup(t->argv.items[i]);
		if (!a || vec_push(&t->server_args, a) != 0) {
			free(a);
			return -1;
		}
	}
	return 0;
}

/* Makes t a registry package (kind CT_NPM or CT_PYPI) named by pkg, whose server arguments
 * start at argv[args]; a path makes it local, anything else unsupported. Returns 0 or -1. */
static int set_package(const struct loader *l, struct client_target *t, enum client_target_kind kind,
		       const char *pkg, size_t args)
{
	char *spec;

	if (path_like(pkg))
		return set_local(l, t, strncmp(pkg, "file:", 5) == 0 ? pkg + 5 : pkg);
	if (kind == CT_NPM)
		spec = npm_spec_ok(pkg) ? xstrdup(pkg) : NULL;
	else
		spec = pypi_spec(pkg);
	if (!spec)
		return unsupported(t, "the %s package is not given as a plain registry name (a version range, "
				   "git, URL or alias spec?): only NAME or NAME%sVERSION is audited",
				   kind == CT_NPM ? "npm" : "Python", kind == CT_NPM ? "@" : "==");
	t->kind = kind;
	t->spec = spec;
	return copy_args(t, args);
}

/* ---- launchers ------------------------------------------------------------------------- */

struct launcher;
typedef int (*launcher_map)(const struct loader *l, struct client_target *t, const struct launcher *ln,
			    size_t first);

struct launcher {
	const char *command;             /* base name, lower case, without .exe or .cmd */
	const char *sub;                 /* the subcommand that must follow, or NULL */
	launcher_map map;
	enum client_target_kind kind;    /* what map_package makes */
	const char *const *valued;       /* options that take the next argument as value */
	const char *const *naming;       /* options whose value names what runs: package, module, folder */
	const char *const *inline_code;  /* options that run code given on the command line */
	bool naming_is_last;             /* python -m: what follows the module is the module's */
};

/* Where a launcher's own options end. */
struct operand {
	size_t at;               /* the first operand; argv.len when there is none */
	const char *named;       /* the value of the first naming option, or NULL */
	const char *inline_opt;  /* the inline-code option met (static), or NULL */
};

/* The list entry equal to the option in arg (up to any '='), or NULL. */
static const char *option_in(const char *const *list, const char *arg)
{
	size_t n = strcspn(arg, "=");

	for (; list && *list; list++)
		if (strlen(*list) == n && strncmp(*list, arg, n) == 0)
			return *list;
	return NULL;
}

/* Steps over a launcher's options from argv[i] to its first operand ("--" ends them too). */
static struct operand find_operand(const struct client_target *t, const struct launcher *ln, size_t i)
{
	struct operand o = {t->argv.len, NULL, NULL};

	for (; i < t->argv.len; i++) {
		const char *a = t->argv.items[i], *eq = strchr(a, '='), *naming;
		const char *value = eq ? eq + 1 : i + 1 < t->argv.len ? t->argv.items[i + 1] : NULL;
		if (strcmp(a, "--") == 0) {
			o.at = i + 1;
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			o.at = i;
			break;
		}
		if (!o.inline_opt)
			o.inline_opt = option_in(ln->inline_code, a);
		naming = option_in(ln->naming, a);
		if (naming && !o.named)
			o.named = value;
		if (!eq && (naming || option_in(ln->valued, a) || option_in(ln->inline_code, a)))
			i++;
		if (naming && ln->naming_is_last) {
			o.at = i + 1;
			break;
		}
	}
	if (o.at > t->argv.len)
		o.at = t->argv.len;
	return o;
}

static bool script_name(const char *s)
{
	return lang_for_path(s, NULL);
}

static const struct launcher *lookup(const char *command, const char *sub);
static int map_script(const struct loader *l, struct client_target *t, const struct launcher *ln,
		      size_t first);

/* npx, npm exec, pnpm dlx, bunx, yarn dlx (CT_NPM); uvx, uv tool run, pipx run (CT_PYPI). */
static int map_package(const struct loader *l, struct client_target *t, const struct launcher *ln,
		       size_t first)
{
	struct operand o = find_operand(t, ln, first);
	const struct launcher *runner;
	char name[64];

	if (o.inline_opt)
		return unsupported(t, "%s %s runs a command line, not a package: trace it by hand with "
				   "`mcpaudit trace -- %s ...`", ln->command, o.inline_opt, ln->command);
	if (o.at >= t->argv.len && !o.named)
		return unsupported(t, "%s is given no package", ln->command);
	if (o.named)
		return set_package(l, t, ln->kind, o.named, o.at + 1);
	/* npx tsx server.ts: a runner fetched from the registry for a local script. The
	 * version goes (tsx@4 is tsx); a scoped name keeps its leading '@' and matches none. */
	snprintf(name, sizeof name, "%s", t->argv.items[o.at]);
	name[1 + strcspn(name + 1, "@")] = '\0';
	runner = ln->kind == CT_NPM ? lookup(name, NULL) : NULL;
	if (runner && runner->map == map_script)
		return runner->map(l, t, runner, o.at + 1);
	return set_package(l, t, ln->kind, t->argv.items[o.at], o.at + 1);
}

/* python -m MODULE: local when the module is in the working folder (pkg/mod.py or pkg/mod/),
 * or when a cwd is configured; otherwise an installed module, which has no folder to audit. */
static int set_module(const struct loader *l, struct client_target *t, const char *module)
{
	const char *dir = t->cwd ? t->cwd : l->base;
	char *rel = xstrdup(module), *py;
	bool found;

	if (!rel)
		return -1;
	for (char *p = rel; *p; p++)
		*p = *p == '.' ? '/' : *p;
	py = xasprintf("%s/%s.py", dir, rel);
	found = py && (access(py, F_OK) == 0 || has_entry(dir, rel));
	free(py);
	if (found || t->cwd) {
		int rc = set_local(l, t, found ? rel : ".");
		free(rel);
		return rc;
	}
	free(rel);
	return unsupported(t, "python -m %.100s: no such module in %.200s, so an installed one: audit its "
			   "PyPI package instead, or set \"cwd\"", module, dir);
}

/* node, python, deno run, tsx, ts-node, bun run: a script, local unless it comes from a URL. */
static int map_script(const struct loader *l, struct client_target *t, const struct launcher *ln,
		       size_t first)
{
	struct operand o = find_operand(t, ln, first);
	const char *script;

	if (o.inline_opt)
		return unsupported(t, "%s %s runs code given on its command line: trace it by hand with "
				   "`mcpaudit trace -- %s ...`", ln->command, o.inline_opt, ln->command);
	if (o.named)
		return set_module(l, t, o.named);
	if (o.at >= t->argv.len)
		return unsupported(t, "%s is given no script", ln->command);
	script = t->argv.items[o.at];
	if (strncmp(script, "npm:", 4) == 0)
		return set_package(l, t, CT_NPM, script + 4, o.at + 1);
	if (strstr(script, "://") || strncmp(script, "jsr:", 4) == 0)
		return unsupported(t, "%s runs a script from a URL or jsr:, which is not audited", ln->command);
	return set_local(l, t, script);
}

/* uv [--directory D] run [--directory D | --project D] [options] SCRIPT|COMMAND [args]; and
 * uv tool run, which is uvx. */
static int map_uv(const struct loader *l, struct client_target *t, const struct launcher *ln, size_t first)
{
	struct operand o = find_operand(t, ln, first), in;
	const char *dir = o.named, *sub = o.at < t->argv.len ? t->argv.items[o.at] : "";

	if (strcmp(sub, "tool") == 0 && o.at + 1 < t->argv.len && strcmp(t->argv.items[o.at + 1], "run") == 0)
		return map_package(l, t, lookup("uvx", NULL), o.at + 2);
	if (strcmp(sub, "run") != 0)
		return unsupported(t, "uv is not started with `uv run` or `uv tool run`: trace it by hand with "
				   "`mcpaudit trace -- uv ...`");
	in = find_operand(t, ln, o.at + 1);
	if (in.named)
		dir = in.named;
	if (dir)
		return set_local(l, t, dir);
	if (in.at < t->argv.len && (script_name(t->argv.items[in.at]) || strchr(t->argv.items[in.at], '/')))
		return set_local(l, t, t->argv.items[in.at]);
	if (t->cwd)
		return set_local(l, t, ".");
	return unsupported(t, "uv run without --directory runs the project of the client's working folder, "
			   "which the configuration does not say: add --directory or \"cwd\"");
}

static int map_container(const struct loader *l, struct client_target *t, const struct launcher *ln,
			 size_t first)
{
	return unsupported(t, "container images are not audited: run `mcpaudit trace -- %s ...` by hand",
			   ln->command);
}

static int map_shell(const struct loader *l, struct client_target *t, const struct launcher *ln, size_t first)
{
	return unsupported(t, "a %s command line is not audited: run `mcpaudit trace -- %s ...` by hand",
			   ln->command, ln->command);
}

static int classify(const struct loader *l, struct client_target *t, size_t at);

/* cmd /c COMMAND ...: how Windows configurations start npx; what follows is the command. */
static int map_cmd_c(const struct loader *l, struct client_target *t, const struct launcher *ln, size_t first)
{
	const char *next = first < t->argv.len ? last_component(t->argv.items[first]) : "";

	if (first >= t->argv.len || strncasecmp(next, "cmd", 3) == 0)
		return unsupported(t, "cmd /c is given no command, or another cmd");
	return classify(l, t, first);
}

static const char *const npx_valued[] = {"--registry", "--cache", "--userconfig", "-w", "--workspace",
					 "--prefix", "--loglevel", "--node-options", NULL};
static const char *const package_naming[] = {"-p", "--package", NULL};
static const char *const npx_inline[] = {"-c", "--call", NULL};
static const char *const pnpm_inline[] = {"-c", "--shell-mode", NULL};
static const char *const uv_valued[] = {
	"--with", "--with-editable", "--with-requirements", "-w", "--python", "-p", "--index", "--index-url",
	"-i", "--extra-index-url", "--default-index", "--find-links", "-f", "--constraints", "-c",
	"--overrides", "--build-constraints", "-b", "--env-file", "--cache-dir", "--config-file",
	"--python-platform", "--index-strategy", "--keyring-provider", "--resolution", "--prerelease",
	"--exclude-newer", "--color", "--config-setting", "-C", "--refresh-package", "--upgrade-package",
	"-P", "--reinstall-package", "--allow-insecure-host", "--link-mode", "--group", "--extra",
	"--package", "--only-group", "--no-group", "--script", "-s", NULL};
static const char *const uvx_naming[] = {"--from", NULL};
static const char *const uv_naming[] = {"--directory", "--project", NULL};
static const char *const pipx_valued[] = {"--python", "--index-url", "-i", "--pip-args", "--backend",
					  "--fetch-python", NULL};
static const char *const pipx_naming[] = {"--spec", NULL};
static const char *const node_valued[] = {"-r", "--require", "--import", "--loader", "--experimental-loader",
					  "-C", "--conditions", "--env-file", "--title", "--input-type",
					  "--inspect-port", NULL};
static const char *const node_inline[] = {"-e", "--eval", "-p", "--print", NULL};
static const char *const python_valued[] = {"-W", "-X", "--check-hash-based-pycs", NULL};
static const char *const python_naming[] = {"-m", NULL};
static const char *const python_inline[] = {"-c", NULL};
static const char *const deno_valued[] = {"-c", "--config", "--import-map", "--lock", "--cert", "--location",
					  "--seed", "-L", "--log-level", "--env-file", "--v8-flags", NULL};
static const char *const tsx_valued[] = {"--tsconfig", "-r", "--require", "--import", "--env-file",
					 "-P", "--project", "-C", "--compiler", "-O", "--compiler-options",
					 "--cwd", NULL};
static const char *const bun_valued[] = {"--cwd", "-r", "--preload", "-c", "--config", "--env-file",
					 "--tsconfig-override", NULL};

/* How each launcher is read; entries with a subcommand come before the same command without. */
static const struct launcher launchers[] = {
	{"npx", NULL, map_package, CT_NPM, npx_valued, package_naming, npx_inline, false},
	{"npm", "exec", map_package, CT_NPM, npx_valued, package_naming, npx_inline, false},
	{"pnpm", "dlx", map_package, CT_NPM, NULL, package_naming, pnpm_inline, false},
	{"pnpx", NULL, map_package, CT_NPM, NULL, package_naming, pnpm_inline, false},
	{"yarn", "dlx", map_package, CT_NPM, NULL, package_naming, NULL, false},
	{"bunx", NULL, map_package, CT_NPM, NULL, package_naming, NULL, false},
	{"bun", "x", map_package, CT_NPM, NULL, package_naming, NULL, false},
	{"bun", "run", map_script, CT_LOCAL, bun_valued, NULL, NULL, false},
	{"uvx", NULL, map_package, CT_PYPI, uv_valued, uvx_naming, NULL, false},
	{"uv", NULL, map_uv, CT_LOCAL, uv_valued, uv_naming, NULL, false},
	{"pipx", "run", map_package, CT_PYPI, pipx_valued, pipx_naming, NULL, false},
	{"node", NULL, map_script, CT_LOCAL, node_valued, NULL, node_inline, false},
	{"nodejs", NULL, map_script, CT_LOCAL, node_valued, NULL, node_inline, false},
	{"python", NULL, map_script, CT_LOCAL, python_valued, python_naming, python_inline, true},
	{"deno", "run", map_script, CT_LOCAL, deno_valued, NULL, NULL, false},
	{"tsx", NULL, map_script, CT_LOCAL, tsx_valued, NULL, node_inline, false},
	{"ts-node", NULL, map_script, CT_LOCAL, tsx_valued, NULL, node_inline, false},
	{"docker", NULL, map_container, CT_UNSUPPORTED, NULL, NULL, NULL, false},
	{"podman", NULL, map_container, CT_UNSUPPORTED, NULL, NULL, NULL, false},
	{"nerdctl", NULL, map_container, CT_UNSUPPORTED, NULL, NULL, NULL, false},
	{"cmd", "/c", map_cmd_c, CT_UNSUPPORTED, NULL, NULL, NULL, false},
	{"cmd", NULL, map_shell, CT_UNSUPPORTED, NULL, NULL, NULL, false},
	{"sh", NULL, map_shell, CT_UNSUPPORTED, NULL, NULL, NULL, false},
	{"bash", NULL, map_shell, CT_UNSUPPORTED, NULL, NULL, NULL, false},
	{"zsh", NULL, map_shell, CT_UNSUPPORTED, NULL, NULL, NULL, false},
	{"powershell", NULL, map_shell, CT_UNSUPPORTED, NULL, NULL, NULL, false},
	{"pwsh", NULL, map_shell, CT_UNSUPPORTED, NULL, NULL, NULL, false},
};

static const struct launcher *lookup(const char *command, const char *sub)
{
	for (size_t i = 0; i < ARRAY_LEN(launchers); i++) {
		const struct launcher *ln = &launchers[i];
		if (strcmp(ln->command, command) == 0 && (!ln->sub || (sub && strcasecmp(ln->sub, sub) == 0)))
			return ln;
	}
	return NULL;
}

/* The launcher's name in cmd: its base name, lower case, without .exe/.cmd/.bat, and
 * python3.12 as python. */
static void command_name(const char *cmd, char *name, size_t size)
{
	const char *base = cmd + strlen(cmd);
	size_t n;

	while (base > cmd && base[-1] != '/' && base[-1] != '\\')
		base--;
	snprintf(name, size, "%s", base);
	for (char *p = name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	n = strlen(name);
	if (n > 4 && (ends_with(name, ".exe") || ends_with(name, ".cmd") || ends_with(name, ".bat")))
		name[n - 4] = '\0';
	if (strncmp(name, "python", 6) == 0 && name[6 + strspn(name + 6, "0123456789.")] == '\0')
		name[6] = '\0';
}

/* Maps the command at argv[at] and what follows to a target. Returns 0, or -1 when memory
 * runs out: what cannot be audited is a target with a reason, not an error. */
static int classify(const struct loader *l, struct client_target *t, size_t at)
{
	const char *cmd = t->argv.items[at];
	const struct launcher *ln;
	char name[64];

	command_name(cmd, name, sizeof name);
	ln = lookup(name, at + 1 < t->argv.len ? t->argv.items[at + 1] : NULL);
	if (ln)
		return ln->map(l, t, ln, ln->sub ? at + 2 : at + 1);
	if (script_name(cmd))  /* a script started through its #! line */
		return set_local(l, t, cmd);
	if (strchr(cmd, '/') || strchr(cmd, '\\'))
		return unsupported(t, "the program %.200s is not audited: run `mcpaudit trace -- %.200s ...` by hand",
				   cmd, cmd);
	return unsupported(t, "'%.60s' is not a launcher mcpaudit knows (npx, uvx, node, python, ...): run "
			   "`mcpaudit trace -- %.60s ...` by hand", cmd, cmd);
}

/* ---- servers --------------------------------------------------------------------------- */

static const struct {
	const char *type, *transport;
} transports[] = {
	{"stdio", "stdio"}, {"http", "http"}, {"streamable-http", "http"}, {"streamableHttp", "http"},
	{"streamable_http", "http"}, {"sse", "sse"},
};

/* The transport a "type" names, or NULL for one not known. */
static const char *transport_of(const char *type)
{
	for (size_t i = 0; i < ARRAY_LEN(transports); i++)
		if (strcmp(transports[i].type, type) == 0)
			return transports[i].transport;
	return NULL;
}

static int push_arg(const struct loader *l, struct client_target *t, const char *arg)
{
	char *a = expand(l, arg);

	if (!a || vec_push(&t->argv, a) != 0) {
		free(a);
		return oom(l);
	}
	return 0;
}

static int read_args(const struct loader *l, const cJSON *s, struct client_target *t)
{
	const cJSON *args = cJSON_GetObjectItemCaseSensitive(s, "args"), *a;
	size_t i = 0;

	if (!args || cJSON_IsNull(args))
		return 0;
	if (!cJSON_IsArray(args))
		return fail(l, t->server, "\"args\" is not an array of strings");
	cJSON_ArrayForEach(a, args) {
		if (!cJSON_IsString(a))
			return fail(l, t->server, "args[%zu] is not a string", i);
		if (push_arg(l, t, a->valuestring) != 0)
			return -1;
		i++;
	}
	return 0;
}

/* cwd and envFile, made absolute against the base folder. */
static int read_paths(const struct loader *l, const cJSON *s, struct client_target *t)
{
	const char *cwd, *env_file;

	if (opt_string(l, s, "cwd", t->server, &cwd) != 0 || opt_string(l, s, "envFile", t->server, &env_file) != 0)
		return -1;
	if (cwd && *cwd && !(t->cwd = absolute(l, l->base, cwd)))
		return oom(l);
	if (env_file && *env_file && !(t->env_file = absolute(l, t->cwd ? t->cwd : l->base, env_file)))
		return oom(l);
	return 0;
}

static int load_stdio(const struct loader *l, const cJSON *s, struct client_target *t, const char *command,
		      bool has_url)
{
	if (!command && has_url)
		return fail(l, t->server, "\"type\": \"stdio\" needs a \"command\"");
	if (!command)
		return fail(l, t->server, "has neither \"command\" nor \"url\"");
	if (!*command)
		return fail(l, t->server, "\"command\" is empty");
	if (push_arg(l, t, command) != 0 || read_args(l, s, t) != 0 || read_paths(l, s, t) != 0)
		return -1;
	return classify(l, t, 0) != 0 ? oom(l) : 0;
}

static int load_remote(const struct loader *l, struct client_target *t, const char *type, const char *url)
{
	if (!url)
		return fail(l, t->server, "\"type\": \"%.20s\" needs a \"url\"", type);
	if (strncasecmp(url, "http://", 7) != 0 && strncasecmp(url, "https://", 8) != 0)
		return fail(l, t->server, "the URL is not an http:// or https:// one");
	t->kind = CT_REMOTE;
	t->url_secret = url_credential(url);
	return (t->spec = xstrdup(url)) ? 0 : oom(l);
}

/* Whether the URL's path ends in /sse: with no "type", the older SSE transport is told apart
 * from streamable HTTP only by that convention. */
static bool sse_path(const char *url)
{
	size_t n = strcspn(url, "?#");

	return n >= 4 && strncmp(url + n - 4, "/sse", 4) == 0;
}

/* "url", or Windsurf's "serverUrl". */
static int read_url(const struct loader *l, const cJSON *s, const char *server, const char **url)
{
	if (opt_string(l, s, "url", server, url) != 0)
		return -1;
	return *url ? 0 : opt_string(l, s, "serverUrl", server, url);
}

/* Zed's older form: "command": {"path": "npx", "args": [...], "env": {...}}. */
static int load_zed_command(const struct loader *l, const cJSON *cmd, struct client_target *t)
{
	const char *path;

	if (opt_string(l, cmd, "path", t->server, &path) != 0 || read_pairs(l, cmd, "env", t->server, &t->env) != 0)
		return -1;
	return load_stdio(l, cmd, t, path, false);
}

/* Reads one server entry, named name, into t. Returns 0, or -1 (err set). */
static int load_server_named(const struct loader *l, const cJSON *s, const char *name, struct client_target *t)
{
	const char *type, *url, *command;
	const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(s, "command");

	t->transport = "stdio";
	if (!(t->server = xstrdup(name)))
		return oom(l);
	if (!cJSON_IsObject(s))
		return fail(l, t->server, "is not an object");
	if (cJSON_IsObject(cmd))
		return load_zed_command(l, cmd, t);
	if (opt_string(l, s, "type", t->server, &type) != 0 ||
	    opt_string(l, s, "command", t->server, &command) != 0 || read_url(l, s, t->server, &url) != 0 ||
	    opt_bool(l, s, "disabled", t->server, &t->disabled) != 0 ||
	    read_pairs(l, s, "env", t->server, &t->env) != 0 ||
	    read_pairs(l, s, "headers", t->server, &t->headers) != 0)
		return -1;
	if (!command && !url && !strcmp(t->section, "context_servers"))
		return unsupported(t, "a Zed extension's server (no command in the settings): audit the extension's "
				   "package by name") ? oom(l) : 0;
	if (type && !transport_of(type))
		return unsupported(t, "the transport \"%.40s\" is not one mcpaudit can reach", type) ? oom(l) : 0;
	if (type)
		t->transport = transport_of(type);
	else if (!command && url)
		t->transport = sse_path(url) ? "sse" : "http";
	if (strcmp(t->transport, "stdio") != 0)
		return load_remote(l, t, type, url);
	return load_stdio(l, s, t, command, url != NULL);
}

/* ---- the file -------------------------------------------------------------------------- */

/* The server maps, each with the clients that read it. A client reads one and ignores the
 * others, so a file with two may show a reviewer a decoy: every one present is audited. */
static const struct section {
	const char *parent, *key;  /* root[parent][key], or root[key] without a parent */
	const char *name;          /* as shown */
	bool list;                 /* an array of entries, not a map by name */
} sections[] = {
	{NULL, "mcpServers", "mcpServers", false},  /* Claude Desktop, Claude Code, Cursor, Windsurf, Cline */
	{NULL, "servers", "servers", false},        /* VS Code's .vscode/mcp.json */
	{"mcp", "servers", "mcp.servers", false},   /* VS Code's settings.json, nested */
	{NULL, "mcp.servers", "mcp.servers", false},  /* VS Code's settings.json, the dotted key */
	{NULL, "context_servers", "context_servers", false},  /* Zed's settings.json */
	/* Continue's config.json: [{"transport": {"type": "stdio", "command", "args", "env"}}] */
	{"experimental", "modelContextProtocolServers", "experimental.modelContextProtocolServers", true},
};

/* Claude Code's ~/.claude.json also keeps servers per project, each started in its folder:
 * {"projects": {"/path": {"mcpServers": {...}}}}. Not alternatives: all of them run. */
#define PROJECTS_NAME "projects.mcpServers"
#define FOUND_MAX (ARRAY_LEN(sections) + CLIENT_CONFIG_MAX_PROJECTS)

struct found_sections {
	const cJSON *servers[FOUND_MAX];
	const char *name[FOUND_MAX];
	const char *key[FOUND_MAX];      /* the member's own key, to find its line */
	const char *project[FOUND_MAX];  /* the project's folder (borrowed from the tree), or NULL */
	bool list[FOUND_MAX];
	size_t len;
	size_t alternatives;             /* of sections[]: more than one means a decoy may hide */
};

/* The per-project maps of Claude Code. Returns 0, or -1 (err set). */
static int find_projects(const struct loader *l, const cJSON *root, struct found_sections *found)
{
	const cJSON *p, *projects = cJSON_GetObjectItemCaseSensitive(root, "projects");

	if (!cJSON_IsObject(projects))
		return 0;
	cJSON_ArrayForEach(p, projects) {
		const cJSON *map = cJSON_IsObject(p) ? cJSON_GetObjectItemCaseSensitive(p, "mcpServers") : NULL;
		if (!map || (cJSON_IsObject(map) && !map->child))
			continue;
		if (!cJSON_IsObject(map))
			return fail(l, NULL, "\"projects\": \"%.200s\": \"mcpServers\" is not an object", p->string);
		if (found->len == FOUND_MAX)
			return fail(l, NULL, "more than %u projects with servers", CLIENT_CONFIG_MAX_PROJECTS);
		found->servers[found->len] = map;
		found->key[found->len] = p->string;
		found->project[found->len] = p->string;
		found->list[found->len] = false;
		found->name[found->len++] = PROJECTS_NAME;
	}
	return 0;
}

/* Finds every server map present. Returns 0 with found filled, or -1 (err set) when there is
 * none or one is not an object (an array, for a list section). */
static int find_servers(const struct loader *l, const cJSON *root, struct found_sections *found)
{
	found->len = found->alternatives = 0;
	for (size_t i = 0; i < ARRAY_LEN(sections); i++) {
		const cJSON *in = sections[i].parent ? cJSON_GetObjectItemCaseSensitive(root, sections[i].parent) : root;
		const cJSON *map = cJSON_IsObject(in) ? cJSON_GetObjectItemCaseSensitive(in, sections[i].key) : NULL;
		if (!map)
			continue;
		if (sections[i].list ? !cJSON_IsArray(map) : !cJSON_IsObject(map))
			return fail(l, NULL, "\"%s\" is not an %s", sections[i].name, sections[i].list ? "array" : "object");
		found->servers[found->len] = map;
		found->key[found->len] = sections[i].key;
		found->project[found->len] = NULL;
		found->list[found->len] = sections[i].list;
		found->name[found->len++] = sections[i].name;
		found->alternatives++;
	}
	if (find_projects(l, root, found) != 0)
		return -1;
	if (!found->len)
		return fail(l, NULL, "no \"mcpServers\", \"servers\" or \"mcp\": {\"servers\"} object: not an MCP "
			    "client configuration");
	return 0;
}

static const cJSON *find_inputs(const cJSON *root)
{
	const cJSON *in = cJSON_GetObjectItemCaseSensitive(root, "inputs");

	if (!in)
		in = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(root, "mcp"), "inputs");
	return cJSON_IsArray(in) ? in : NULL;
}

/* File names each client writes, and the folder the file must be in. */
static const struct {
	const char *file, *folder, *format;
} named_formats[] = {
	{"claude_desktop_config.json", NULL, "claude-desktop"},
	{".mcp.json", NULL, "claude-code"},
	{".claude.json", NULL, "claude-code"},
	{"mcp.json", ".cursor", "cursor"},
	{"cline_mcp_settings.json", NULL, "cline"},
	{"mcp_config.json", NULL, "windsurf"},
};

/* Sections only one client reads. */
static const struct {
	const char *section, *format;
} section_formats[] = {
	{"context_servers", "zed"},
	{"experimental.modelContextProtocolServers", "continue"},
	{PROJECTS_NAME, "claude-code"},
};

/* Fields only one client writes, for a file whose name says nothing. */
static const struct {
	const char *field, *format;
} field_formats[] = {
	{"serverUrl", "windsurf"},
	{"autoApprove", "cline"},
	{"alwaysAllow", "cline"},
};

/* The client that wrote the file: the section decides first ("servers" is VS Code's alone),
 * then the file's name and folder (dir, absolute), then fields only one client uses. */
static const char *detect_format(const char *path, const char *dir, const struct found_sections *found)
{
	const char *file = last_component(path), *folder = last_component(dir);
	const cJSON *s, *servers = found->servers[0];

	for (size_t i = 0; i < ARRAY_LEN(section_formats); i++)
		if (!strcmp(found->name[0], section_formats[i].section))
			return section_formats[i].format;
	if (strcmp(found->name[0], "mcpServers") != 0 || strcmp(folder, ".vscode") == 0)
		return "vscode";
	for (size_t i = 0; i < ARRAY_LEN(named_formats); i++)
		if (strcmp(file, named_formats[i].file) == 0 &&
		    (!named_formats[i].folder || strcmp(folder, named_formats[i].folder) == 0))
			return named_formats[i].format;
	cJSON_ArrayForEach(s, servers)
		for (size_t i = 0; i < ARRAY_LEN(field_formats); i++)
			if (cJSON_IsObject(s) && cJSON_GetObjectItemCaseSensitive(s, field_formats[i].field))
				return field_formats[i].format;
	return "mcp-servers";
}

/* The file's folder, absolute and resolved. Caller frees; NULL with errno set. */
static char *real_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == path ? xstrdup("/") : slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
	char *real = dir ? realpath(dir, NULL) : NULL;

	free(dir);
	return real;
}

static void strings_free(char **items, size_t len)
{
	for (size_t i = 0; i < len; i++)
		free(items[i]);
	free(items);
}

static void envs_free(struct client_envs *v)
{
	for (size_t i = 0; i < v->len; i++) {
		free(v->items[i].name);
		free(v->items[i].value);
	}
	vec_free(v);
}

void client_target_free(struct client_target *t)
{
	free(t->server);
	free(t->spec);
	strings_free(t->argv.items, t->argv.len);
	strings_free(t->server_args.items, t->server_args.len);
	free(t->cwd);
	free(t->env_file);
	envs_free(&t->env);
	envs_free(&t->headers);
	free(t->reason);
	free(t->project);
	memset(t, 0, sizeof *t);
}

/* One entry of a list section: {"name"?, "transport": {...}} (Continue), named by its
 * "name" or its place. */
static int load_listed(const struct loader *l, const cJSON *entry, size_t i, struct client_target *t)
{
	const cJSON *name = cJSON_GetObjectItemCaseSensitive(entry, "name");
	const cJSON *transport = cJSON_GetObjectItemCaseSensitive(entry, "transport");
	char *label = cJSON_IsString(name) ? xstrdup(name->valuestring) : xasprintf("[%zu]", i);
	int rc;

	if (!label)
		return oom(l);
	if (!cJSON_IsObject(transport)) {
		rc = fail(l, label, "has no \"transport\" object");
		free(label);
		return rc;
	}
	rc = load_server_named(l, transport, label, t);
	free(label);
	return rc;
}

static int load_servers(const struct loader *l, const struct found_sections *found, size_t at,
			struct client_config *out)
{
	const cJSON *s;
	struct loader here = *l;
	size_t i = 0;

	if (out->targets.len + (size_t)cJSON_GetArraySize(found->servers[at]) > CLIENT_CONFIG_MAX_SERVERS)
		return fail(l, NULL, "more than %u servers", CLIENT_CONFIG_MAX_SERVERS);
	if (found->project[at])
		here.base = found->project[at];  /* Claude Code starts a project's servers in its folder */
	cJSON_ArrayForEach(s, found->servers[at]) {
		struct client_target t = {.section = found->name[at]};
		int rc = (found->project[at] && !(t.project = xstrdup(found->project[at]))) ? oom(l)
			 : found->list[at] ? load_listed(&here, s, i++, &t)
					   : load_server_named(&here, s, s->string ? s->string : "", &t);
		if (rc != 0 || (vec_push(&out->targets, t) != 0 && oom(l))) {
			client_target_free(&t);
			return -1;
		}
	}
	return 0;
}

/* Reads root's server maps into out (path, format and base already set). Returns 0 or -1
 * (err set). */
static int load_root(struct loader *l, const cJSON *root, const char *dir, struct client_config *out)
{
	struct found_sections found;
	int rc = 0;

	if (!cJSON_IsObject(root))
		return fail(l, NULL, "the top level is not a JSON object");
	if (find_servers(l, root, &found) != 0)
		return -1;
	out->format = detect_format(out->path, dir, &found);
	out->sections = found.alternatives;
	l->inputs = find_inputs(root);
	for (size_t i = 0; rc == 0 && i < found.len; i++)
		rc = load_servers(l, &found, i, out);
	return rc;
}

int client_config_parse(const char *label, const char *text, size_t len, const char *base,
			struct client_config *out, char *err, size_t errlen)
{
	struct loader l = {.path = label, .text = text, .base = base, .err = err, .errlen = errlen};
	struct json_doc doc = {0};
	int rc = -1;

	if (errlen)
		err[0] = '\0';
	if (!(out->path = xstrdup(label)) || !(out->base = xstrdup(base))) {
		oom(&l);
		goto out;
	}
	if (parse_text(&l, text, len, &doc) != 0)
		goto out;
	rc = load_root(&l, doc.root, base, out);
out:
	json_doc_free(&doc);
	if (rc != 0)
		client_config_free(out);
	return rc;
}

int client_config_load(const char *path, struct client_config *out, char *err, size_t errlen)
{
	struct loader l = {.path = path, .err = err, .errlen = errlen};
	struct json_doc doc = {0};
	char *text = NULL, *dir = NULL;
	size_t len;
	int rc = -1;

	if (errlen)
		err[0] = '\0';
	if (!(out->path = xstrdup(path))) {
		oom(&l);
		goto out;
	}
	if (read_file(&l, &text, &len) != 0 || parse_text(&l, text, len, &doc) != 0)
		goto out;
	l.text = text;
	if (!(dir = real_folder(path))) {
		fail(&l, NULL, "cannot resolve its folder: %s", strerror(errno));
		goto out;
	}
	/* VS Code and Cursor start servers in the workspace folder, the one above .vscode/.cursor */
	if (!(out->base = xstrdup(dir))) {
		oom(&l);
		goto out;
	}
	if (strcmp(last_component(dir), ".vscode") == 0 || strcmp(last_component(dir), ".cursor") == 0)
		cut_last(out->base);
	l.base = out->base;
	rc = load_root(&l, doc.root, dir, out);
out:
	json_doc_free(&doc);
	free(text);
	free(dir);
	if (rc != 0)
		client_config_free(out);
	return rc;
}

int client_target_from_argv(const char *const *argv, const char *base, struct client_target *out)
{
	char err[256];
	struct loader l = {.path = "command line", .base = base, .err = err, .errlen = sizeof err};

	out->transport = "stdio";
	for (const char *const *a = argv; a && *a; a++) {
		char *copy = xstrdup(*a);
		if (!copy || vec_push(&out->argv, copy) != 0) {
			free(copy);
			return -1;
		}
	}
	if (!out->argv.len)
		return unsupported(out, "an empty command line") ? -1 : 0;
	return classify(&l, out, 0);
}

void client_config_free(struct client_config *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->targets.len; i++)
		client_target_free(&c->targets.items[i]);
	vec_free(&c->targets);
	free(c->path);
	free(c->base);
	memset(c, 0, sizeof *c);
}

/* Reads and parses path for the functions that need only its tree. Returns 0 with doc
 * filled, or -1 (l's err set). */
static int load_doc(const struct loader *l, struct json_doc *doc, char **text)
{
	size_t len;

	*text = NULL;
	return read_file(l, text, &len) == 0 ? parse_text(l, *text, len, doc) : -1;
}

bool client_config_detect(const char *path)
{
	char err[512];
	struct loader l = {.path = path, .err = err, .errlen = sizeof err};
	struct found_sections found;
	struct json_doc doc = {0};
	size_t n = strlen(path);
	char *text = NULL;
	bool yes = false;

	if (n < 5 || strcasecmp(path + n - 5, ".json") != 0)
		return false;
	if (load_doc(&l, &doc, &text) == 0 && cJSON_IsObject(doc.root))
		yes = find_servers(&l, doc.root, &found) == 0;
	json_doc_free(&doc);
	free(text);
	return yes;
}

/* Every member of a client configuration decides what runs on the user's machine. */
static const char *const config_acted_on[] = {"*", NULL};

int client_config_report(const char *path, struct report *r)
{
	char err[512];
	struct loader l = {.path = path, .err = err, .errlen = sizeof err};
	struct found_sections found;
	struct json_doc doc = {0};
	char *text = NULL;
	int rc = 0;

	if (load_doc(&l, &doc, &text) != 0 || !cJSON_IsObject(doc.root) || find_servers(&l, doc.root, &found) != 0) {
		json_doc_free(&doc);
		free(text);
		return report_add_incomplete(r, path, "the configuration could not be read again: %s", err);
	}
	rc = json_report_ambiguities(r, &doc, path, config_acted_on);
	if (rc == 0 && found.alternatives > 1) {
		struct strbuf names = STRBUF_INIT(200);
		for (size_t i = 0; i < found.len; i++)
			strbuf_printf(&names, "%s\"%s\"", i ? (i + 1 == found.len ? " and " : ", ") : "", found.name[i]);
		if (!report_add_finding(r, "client-config-sections", NULL, path, text_json_key_line(text, found.key[1]),
					"%zu server sections (%s): each client runs one of them and ignores the others; "
					"all are audited", found.len, strbuf_str(&names)))
			rc = -1;
		strbuf_free(&names);
	}
	json_doc_free(&doc);
	free(text);
	return rc;
}

const char *client_target_kind_name(enum client_target_kind kind)
{
	static const char *const names[] = {
		[CT_NPM] = "npm", [CT_PYPI] = "pypi", [CT_LOCAL] = "local",
		[CT_REMOTE] = "remote", [CT_UNSUPPORTED] = "unsupported",
	};

	return (unsigned)kind < ARRAY_LEN(names) ? names[kind] : "unknown";
}
