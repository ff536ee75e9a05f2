/* readme_start: the README's way of starting the server (see readme_start.h). */
#include "audit/readme_start.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/clientconfig.h"
#include "core/secret_env.h"
#include "core/strbuf.h"

#define LINE_MAX_WORDS 96

/* README names, most usual first: the first that exists is read. */
static const char *const readme_names[] = {"README.md", "readme.md", "Readme.md", "README.markdown", "README",
					   "README.rst", NULL};

/* Variables a README may not set for the server: the sandbox's identity of the user, and
 * the loader's and the shell's search paths. */
static const char *const env_refused[] = {"HOME", "USER", "LOGNAME", "PATH", "SHELL", "PWD", NULL};

/* One fenced code block (CommonMark 4.5): its text and the README line of its first line. */
struct block {
	const char *text;
	size_t len;
	unsigned line;
};

/* ---- fenced code ---------------------------------------------------------------------- */

/* The fence that opens or closes at line (after indentation): '`' or '~' repeated 3 or more
 * times; its length in *n, 0 when the line is no fence. */
static char fence_at(const char *line, size_t *n)
{
	const char *p = line + strspn(line, " \t");
	char c = *p;

	*n = 0;
	if (c != '`' && c != '~')
		return 0;
	while (p[*n] == c)
		(*n)++;
	return *n >= 3 ? c : 0;
}

/* Whether line closes a fence of c opened with open characters: as long or longer, and
 * nothing but blanks after it. */
static bool closes(const char *line, char c, size_t open)
{
	size_t n;
	const char *rest;

	if (fence_at(line, &n) != c || n < open)
		return false;
	rest = line + strspn(line, " \t") + n;
	rest += strspn(rest, " \t\r");
	return *rest == '\n' || *rest == '\0';
}

static const char *next_line(const char *p)
{
	const char *eol = strchr(p, '\n');

	return eol ? eol + 1 : p + strlen(p);
}

/* The next fenced block at or after *at (a line start); *line is *at's line number. Returns
 * false when there is none. An unclosed fence runs to the end, as CommonMark says. */
static bool next_block(const char **at, unsigned *line, struct block *b)
{
	const char *p = *at;
	char c = 0;
	size_t open = 0;

	for (; *p && !c; (*line)++, p = next_line(p))
		c = fence_at(p, &open);
	if (!c)
		return false;
	b->text = p;
	b->line = *line;
	while (*p && !closes(p, c, open)) {
		p = next_line(p);
		(*line)++;
	}
	b->len = (size_t)(p - b->text);
	*at = *p ? next_line(p) : p;
	*line += *p != '\0';
	return true;
}

/* ---- matching the package ------------------------------------------------------------- */

/* PEP 503: names compare lower case, with runs of '-', '_' and '.' as one '-'. */
static bool pypi_same(const char *a, size_t an, const char *b)
{
	size_t i = 0, j = 0, bn = strlen(b);

	while (i < an && j < bn) {
		bool sa = strchr("-_.", a[i]) != NULL, sb = strchr("-_.", b[j]) != NULL;
		if (sa && sb) {
			while (i < an && strchr("-_.", a[i]))
				i++;
			while (j < bn && strchr("-_.", b[j]))
				j++;
			continue;
		}
		if (sa || sb || tolower((unsigned char)a[i]) != tolower((unsigned char)b[j]))
			return false;
		i++;
		j++;
	}
	return i == an && j == bn;
}

/* Whether t starts the package name of ecosystem. */
static bool starts_package(const struct client_target *t, const char *ecosystem, const char *name)
{
	size_t n;

	if (t->kind == CT_NPM && !strcmp(ecosystem, "npm")) {
		n = 1 + strcspn(t->spec + 1, "@");  /* "@scope/x@1.2" is @scope/x */
		return strlen(name) == n && !strncmp(t->spec, name, n);
	}
	if (t->kind == CT_PYPI && !strcmp(ecosystem, "pypi")) {
		n = strcspn(t->spec, "=[");
		return pypi_same(t->spec, n, name);
	}
	return false;
}

/* ---- what the entry gives ------------------------------------------------------------- */

static int push_copy(readme_strings *v, const char *s)
{
	char *c = xstrdup(s);

	if (c && vec_push(v, c) == 0)
		return 0;
	free(c);
	return -1;
}

/* A shell variable name, as in NAME=VALUE before a command. */
static bool shell_name(const char *name, size_t n)
{
	if (!n || n > 128 || (!isalpha((unsigned char)name[0]) && name[0] != '_'))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_')
			return false;
	return true;
}

static bool env_name_ok(const char *name, size_t n)
{
	if (!shell_name(name, n) || !strncmp(name, "LD_", 3))
		return false;
	for (const char *const *r = env_refused; *r; r++)
		if (strlen(*r) == n && !strncmp(*r, name, n))
			return false;
	return true;
}

/* One variable of the entry; a name the README may not set is left out. */
static int add_env(struct readme_start *out, const char *name, const char *value, bool secret)
{
	char *kv;

	if (!env_name_ok(name, strlen(name)) || out->env.len + out->secret_env.len >= README_START_MAX_ENV)
		return 0;
	if (!(kv = xasprintf("%s=%s", name, value)))
		return -1;
	if (vec_push(secret ? &out->secret_env : &out->env, kv) != 0) {
		free(kv);
		return -1;
	}
	return 0;
}

/* "NAME=VALUE" from a command line: secret by its name or its value, as in a configuration. */
static int add_env_assignment(struct readme_start *out, const char *word)
{
	const char *eq = strchr(word, '=');
	char *name = eq ? xstrndup(word, (size_t)(eq - word)) : NULL;
	int rc;

	if (!eq)
		return 0;
	if (!name)
		return -1;
	rc = add_env(out, name, eq + 1, secret_env_name(name) || client_secret_value(eq + 1));
	free(name);
	return rc;
}

static int take_target(struct readme_start *out, const struct client_target *t, const char *from,
		       const char *shape)
{
	for (size_t i = 0; i < t->server_args.len && i < README_START_MAX_ARGS; i++)
		if (push_copy(&out->args, t->server_args.items[i]) != 0)
			return -1;
	for (size_t i = 0; i < t->env.len; i++)
		if (add_env(out, t->env.items[i].name, t->env.items[i].value, t->env.items[i].secret) != 0)
			return -1;
	out->shape = shape;
	return (out->from = xstrdup(from)) ? 1 : -1;
}

/* ---- example configurations ----------------------------------------------------------- */

static bool names_servers(const struct block *b)
{
	static const char *const keys[] = {"\"mcpServers\"", "\"servers\"", "\"context_servers\"", NULL};

	for (const char *const *k = keys; *k; k++)
		if (memmem(b->text, b->len, *k, strlen(*k)))
			return true;
	return false;
}

/* The block as a configuration, or as the inside of one ("mcpServers": {...} alone, as
 * READMEs often show it). Returns 0 with cfg filled, or -1. */
static int parse_block(const struct block *b, const char *root, struct client_config *cfg)
{
	char err[256], *wrapped;
	int rc;

	if (client_config_parse("README", b->text, b->len, root, cfg, err, sizeof err) == 0)
		return 0;
	memset(cfg, 0, sizeof *cfg);
	if (!(wrapped = xasprintf("{%.*s\n}", (int)b->len, b->text)))
		return -1;
	rc = client_config_parse("README", wrapped, strlen(wrapped), root, cfg, err, sizeof err);
	free(wrapped);
	return rc;
}

static int from_configuration(const struct block *b, const char *root, const char *file, const char *ecosystem,
			      const char *name, struct readme_start *out)
{
	struct client_config cfg = {0};
	int rc = 0;

	if (!names_servers(b) || parse_block(b, root, &cfg) != 0)
		return 0;
	for (size_t i = 0; rc == 0 && i < cfg.targets.len; i++) {
		const struct client_target *t = &cfg.targets.items[i];
		char *block = xstrndup(b->text, b->len), from[300];
		unsigned at = block ? text_json_key_line(block, t->server) : 0;
		free(block);
		if (!starts_package(t, ecosystem, name))
			continue;
		snprintf(from, sizeof from, "%s:%u", file, b->line + (at ? at - 1 : 0));
		rc = take_target(out, t, from, "client configuration");
	}
	client_config_free(&cfg);
	return rc;
}

/* ---- command lines -------------------------------------------------------------------- */

typedef readme_strings words;

static void words_free(words *w)
{
	for (size_t i = 0; i < w->len; i++)
		free(w->items[i]);
	w->len = 0;
}

/* Splits a shell line into words as sh would for plain words and quotes; stops at a
 * comment, ';', '|' or '&'. Returns 0, or -1 when memory ran out. */
static int split_words(const char *p, words *out)
{
	struct strbuf w = STRBUF_INIT(4096);
	int rc = 0;

	while (rc == 0 && out->len < LINE_MAX_WORDS) {
		bool any = false;
		p += strspn(p, " \t");
		if (!*p || strchr("#;|&", *p))
			break;
		free(strbuf_take(&w));
		while (*p && !strchr(" \t;|&", *p)) {
			char q = *p == '\'' || *p == '"' ? *p++ : 0;
			any = true;
			for (; *p && (q ? *p != q : !strchr(" \t;|&'\"", *p)); p++) {
				if (*p == '\\' && q != '\'' && p[1])
					p++;
				strbuf_putc(&w, *p);
			}
			if (q && *p == q)
				p++;
		}
		if (any)
			rc = push_copy(out, strbuf_str(&w));
	}
	strbuf_free(&w);
	return rc;
}

/* `claude mcp add [-s S] [-t T] [-e K=V]... NAME [--] COMMAND...`: the index of COMMAND, or
 * 0 when the line adds a remote server or is no such line; its -e values go to assign. */
static size_t claude_add(const words *w, words *assign)
{
	bool named = false;

	if (w->len < 5 || strcmp(w->items[0], "claude") || strcmp(w->items[1], "mcp") || strcmp(w->items[2], "add"))
		return 0;
	for (size_t i = 3; i < w->len; i++) {
		const char *a = w->items[i];
		if (!strcmp(a, "--"))
			return named && i + 1 < w->len ? i + 1 : 0;
		if ((!strcmp(a, "-t") || !strcmp(a, "--transport")) && i + 1 < w->len && strcmp(w->items[i + 1], "stdio"))
			return 0;
		if ((!strcmp(a, "-e") || !strcmp(a, "--env")) && i + 1 < w->len)
			vec_push(assign, w->items[++i]);  /* borrowed from w */
		else if (a[0] == '-')
			i += !strchr(a, '=') && i + 1 < w->len;
		else if (!named)
			named = true;
		else
			return i;
	}
	return 0;
}

/* Where the command starts: after `claude mcp add ... --`, or after NAME=VALUE words
 * (`API_KEY=... npx -y PKG`); those values go to assign (borrowed from w). */
static size_t command_start(const words *w, words *assign)
{
	size_t at = claude_add(w, assign);

	if (at || !strcmp(w->items[0], "claude"))
		return at ? at : w->len;
	while (at < w->len && strchr(w->items[at], '=') && shell_name(w->items[at], strcspn(w->items[at], "=")))
		vec_push(assign, w->items[at++]);
	return at;
}

/* One logical line: the command it runs, when that starts the package, with the variables
 * set for it. Returns 1, 0 or -1. */
static int from_line(const char *line, unsigned lineno, const char *root, const char *file, const char *ecosystem,
		     const char *name, struct readme_start *out)
{
	words w = {0}, assign = {0};
	struct client_target t = {0};
	size_t cmd;
	char from[300];
	int rc = split_words(line, &w);

	if (rc == 0 && w.len && (!strcmp(w.items[0], "$") || !strcmp(w.items[0], ">"))) {
		free(w.items[0]);
		memmove(w.items, w.items + 1, --w.len * sizeof *w.items);
	}
	if (rc != 0 || !w.len || (cmd = command_start(&w, &assign)) >= w.len)
		goto out;
	if ((rc = vec_push(&w, NULL)) != 0)  /* argv's terminator, not counted */
		goto out;
	w.len--;
	rc = client_target_from_argv((const char *const *)w.items + cmd, root, &t);
	if (rc != 0 || !starts_package(&t, ecosystem, name))
		goto out;
	for (size_t i = 0; rc == 0 && i < assign.len; i++)
		rc = add_env_assignment(out, assign.items[i]);
	snprintf(from, sizeof from, "%s:%u", file, lineno);
	rc = rc ? rc : take_target(out, &t, from, "command line");
out:
	client_target_free(&t);
	words_free(&w);
	vec_free(&w);
	vec_free(&assign);
	return rc;
}

/* Every logical line of a block (a trailing backslash continues it). Returns 1, 0 or -1. */
static int from_commands(const struct block *b, const char *root, const char *file, const char *ecosystem,
			 const char *name, struct readme_start *out)
{
	struct strbuf line = STRBUF_INIT(1 << 16);
	const char *p = b->text, *end = b->text + b->len;
	unsigned lineno = b->line, first = b->line;
	int rc = 0;

	while (rc == 0 && p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = eol ? (size_t)(eol - p) : (size_t)(end - p);
		bool more = n && p[n - 1] == '\\';
		if (!line.len)
			first = lineno;
		strbuf_append(&line, p, more ? n - 1 : n);
		if (!more) {
			rc = from_line(strbuf_str(&line), first, root, file, ecosystem, name, out);
			free(strbuf_take(&line));
		}
		p = eol ? eol + 1 : end;
		lineno++;
	}
	strbuf_free(&line);
	return rc;
}

/* ---- the README ----------------------------------------------------------------------- */

static char *read_readme(const char *root, const char **file)
{
	for (const char *const *n = readme_names; *n; n++) {
		char *path = xasprintf("%s/%s", root, *n);
		char *text = path ? xreadfile(path, README_START_MAX_BYTES, NULL) : NULL;
		free(path);
		if (text) {
			*file = *n;
			return text;
		}
	}
	return NULL;
}

int readme_start_find(const char *root, const char *ecosystem, const char *name, struct readme_start *out)
{
	const char *file = NULL, *at;
	char *text;
	unsigned line = 1;
	struct block b;
	int rc = 0;

	if (!ecosystem || !name || !(text = read_readme(root, &file)))
		return 0;
	/* configurations first, all of them: they say the most (command, args and env) */
	for (at = text, line = 1; rc == 0 && next_block(&at, &line, &b);)
		rc = from_configuration(&b, root, file, ecosystem, name, out);
	for (at = text, line = 1; rc == 0 && next_block(&at, &line, &b);)
		rc = from_commands(&b, root, file, ecosystem, name, out);
	free(text);
	return rc;
}

void readme_start_free(struct readme_start *s)
{
	for (size_t i = 0; i < s->args.len; i++)
		free(s->args.items[i]);
	for (size_t i = 0; i < s->env.len; i++)
		free(s->env.items[i]);
	for (size_t i = 0; i < s->secret_env.len; i++)
		free(s->secret_env.items[i]);
	vec_free(&s->args);
	vec_free(&s->env);
	vec_free(&s->secret_env);
	free(s->from);
	memset(s, 0, sizeof *s);
}
