/* askenv: the variables a crashed server asked for, and values to give it. */
#include "audit/askenv.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "audit/clientconfig.h"
#include "core/secret_env.h"
#include "core/strbuf.h"
#include "tracer/driver.h"

/* Name endings that configure a service; ERR_MODULE_NOT_FOUND and the like do not. */
static const char *const endings[] = {"_KEY", "_TOKEN", "_SECRET", "_ID", "_URL", "_URI", "_HOST", "_USER",
				      "_USERNAME", "_PASSWORD", "_PASS", "_ENDPOINT", "_DOMAIN", "_ORG", "_PROJECT",
				      "_REGION", "_ACCOUNT", "_WORKSPACE", "_TEAM", "_EMAIL", "_PAT", "_PORT",
				      "_BASE", "_ORGANIZATION", "_TENANT", NULL};

/* Words that say the text is about configuration, not a stack trace. */
static const char *const asking[] = {"environment", "env var", "not set", "required", "missing", "please set",
				     "must be set", "must set", "is not defined", NULL};

static bool ends_like_config(const char *name, size_t n)
{
	for (const char *const *e = endings; *e; e++) {
		size_t m = strlen(*e);
		if (n > m && !strncmp(name + n - m, *e, m))
			return true;
	}
	return false;
}

static bool text_asks(const char *text)
{
	for (const char *const *w = asking; *w; w++)
		if (strcasestr(text, *w))
			return true;
	return false;
}

static bool listed(const char *const *list, const char *name, size_t n)
{
	for (const char *const *e = list; e && *e; e++)
		if (!strncmp(*e, name, n) && (*e)[n] == '=')
			return true;
	return false;
}

/* A placeholder that makes the server start and sends nothing anywhere new. */
static const char *placeholder(const char *name, size_t n)
{
	static const struct {
		const char *ending, *value;
	} table[] = {
		{"_URL", "https://" DRIVER_PROBE_HOST "/"}, {"_URI", "https://" DRIVER_PROBE_HOST "/"},
		{"_ENDPOINT", "https://" DRIVER_PROBE_HOST "/"}, {"_BASE", "https://" DRIVER_PROBE_HOST "/"},
		{"_HOST", DRIVER_PROBE_HOST}, {"_DOMAIN", DRIVER_PROBE_HOST}, {"_PORT", "8080"},
		{"_EMAIL", "user@" DRIVER_PROBE_HOST}, {"_REGION", "us-east-1"},
	};

	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		size_t m = strlen(table[i].ending);
		if (n > m && !strncmp(name + n - m, table[i].ending, m))
			return table[i].value;
	}
	return "mcpaudit-placeholder";
}

/* Push s onto list, taking it; frees it when that fails. */
static int take(askenv_list *list, char *s)
{
	if (s && vec_push(list, s) == 0)
		return 0;
	free(s);
	return -1;
}

static int add(struct askenv *out, const char *name, size_t n)
{
	char *copy = xstrndup(name, n);
	bool secret = copy && secret_env_name(copy);
	int rc = -1;

	if (!copy)
		return -1;
	if (secret)
		rc = take(&out->secret_env, xasprintf("%s=%s", copy, "00000000000000000000000000000000")) == 0 &&
		     take(&out->shown, xasprintf("%s=(canary)", copy)) == 0 ? 0 : -1;
	else
		rc = take(&out->env, xasprintf("%s=%s", copy, placeholder(name, n))) == 0 &&
		     take(&out->shown, xasprintf("%s=%s", copy, placeholder(name, n))) == 0 ? 0 : -1;
	free(copy);
	return rc;
}

static bool already(const struct askenv *out, const char *name, size_t n)
{
	for (size_t i = 0; i < out->shown.len; i++)
		if (!strncmp(out->shown.items[i], name, n) && out->shown.items[i][n] == '=')
			return true;
	return false;
}

int askenv_find(const char *text, const char *const *env, const char *const *secret_env, struct askenv *out)
{
	const char *p = text;

	if (!text || !text_asks(text))
		return 0;
	while (*p && out->shown.len < ASKENV_MAX) {
		size_t n = 0;
		if (!isupper((unsigned char)*p) || (p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))) {
			p++;
			continue;
		}
		while (isupper((unsigned char)p[n]) || isdigit((unsigned char)p[n]) || p[n] == '_')
			n++;
		if (n >= 4 && n < 64 && memchr(p, '_', n) && ends_like_config(p, n) && !listed(env, p, n) &&
		    !listed(secret_env, p, n) && !already(out, p, n) && add(out, p, n) != 0)
			return -1;
		p += n ? n : 1;
	}
	return (int)out->shown.len;
}

static void free_list(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
}

void askenv_free(struct askenv *a)
{
	free_list(a->env.items, a->env.len);
	vec_free(&a->env);
	free_list(a->secret_env.items, a->secret_env.len);
	vec_free(&a->secret_env);
	free_list(a->shown.items, a->shown.len);
	vec_free(&a->shown);
}
