/* config: .mcpaudit.json and MCPAUDIT_* variables, turned into option words for the parser. */
#include "cli/config.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/strbuf.h"

#define MAX_WALK 64   /* folders climbed at most: a loop of links cannot keep us going */

void config_words_free(struct config_words *w)
{
	for (size_t i = 0; i < w->argv.len; i++)
		free(w->argv.items[i]);
	vec_free(&w->argv);
}

/* Push a word; the label first when w is empty. Takes word (NULL: out of memory). */
static int push_word(struct config_words *w, char *word)
{
	char *label;

	if (!word)
		return -1;
	if (w->argv.len == 0 && (!(label = xstrdup(w->label ? w->label : "defaults")) ||
				 vec_push(&w->argv, label) != 0)) {
		free(word);
		return -1;
	}
	if (vec_push(&w->argv, word) != 0) {
		free(word);
		return -1;
	}
	return 0;
}

/* The folder to start from: path itself when it is a folder, else the folder it is in. */
static int start_folder(const char *path, char *out, size_t len)
{
	struct stat st;
	const char *slash;

	if (!realpath(path, out))
		return -1;
	if (stat(out, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	slash = strrchr(out, '/');
	if (slash == out)
		out[1] = '\0';
	else if (slash)
		out[slash - out] = '\0';
	(void)len;
	return 0;
}

static int find_from(const char *start, char *out, size_t len)
{
	char dir[PATH_MAX];

	if (start_folder(start, dir, sizeof dir) != 0)
		return 0;
	for (int depth = 0; depth < MAX_WALK; depth++) {
		struct stat st;
		char *slash;
		if ((size_t)snprintf(out, len, "%s%s%s", dir, strcmp(dir, "/") ? "/" : "", CONFIG_NAME) >= len)
			return -1;
		if (stat(out, &st) == 0 && S_ISREG(st.st_mode))
			return 1;
		if (strcmp(dir, "/") == 0)
			return 0;
		slash = strrchr(dir, '/');
		if (slash == dir)
			dir[1] = '\0';
		else
			*slash = '\0';
	}
	return 0;
}

int config_find(const char *const *starts, size_t nstarts, char *out, size_t len)
{
	for (size_t i = 0; i < nstarts; i++) {
		int rc = starts[i] ? find_from(starts[i], out, len) : 0;
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* The option of the table named name ('_' taken as '-'), for any command, or NULL. */
static const struct cli_option *option_named(const char *name, enum cli_command cmd)
{
	const struct cli_option *any = NULL;
	char norm[64];
	size_t n = strlen(name);

	if (n >= sizeof norm)
		return NULL;
	for (size_t i = 0; i <= n; i++)
		norm[i] = name[i] == '_' ? '-' : name[i];
	for (const struct cli_option *o = cli_options; o->name; o++) {
		if (strcmp(o->name, norm) != 0)
			continue;
		if (o->commands & CLI_BIT(cmd))
			return o;
		any = o;
	}
	return any;
}

/* Options that choose the defaults themselves, or ask for help, are no defaults. */
static bool settable(const struct cli_option *o)
{
	return o->id != 'h' && o->id != OPT_CONFIG && o->id != OPT_NO_CONFIG && !(o->commands & CLI_BIT(CLI_HELP));
}

static int unknown_option(const char *path, const char *name, char *err, size_t errlen)
{
	const char *names[128];
	const char *near;
	size_t n = 0;

	for (const struct cli_option *o = cli_options; o->name && n < sizeof names / sizeof names[0]; o++)
		if (settable(o))
			names[n++] = o->name;
	near = cli_suggest(name, names, n);
	return err_printf(err, errlen, "%s: \"options\": unknown option \"%s\"%s%s%s", path, name,
		    near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
}

/* One value of an option: a string, a number or (for a flag) true; paths relative to dir. */
static int option_word(const char *path, const char *dir, const struct cli_option *o, const cJSON *v,
		       struct config_words *w, char *err, size_t errlen)
{
	char number[32];
	const char *text;

	if (!o->arg) {
		if (!cJSON_IsBool(v))
			return err_printf(err, errlen, "%s: \"options\": \"%s\" must be true or false", path, o->name);
		return cJSON_IsTrue(v) ? push_word(w, xasprintf("--%s", o->name)) : 0;
	}
	if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble <= 1e9 &&
	    v->valuedouble == (double)(long)v->valuedouble) {
		snprintf(number, sizeof number, "%ld", (long)v->valuedouble);
		text = number;
	} else if (cJSON_IsString(v)) {
		text = v->valuestring;
	} else {
		return err_printf(err, errlen, "%s: \"options\": \"%s\" must be a string or a whole number%s", path, o->name,
			    cJSON_IsArray(v) ? " (or an array of them)" : "");
	}
	if (o->file_arg && text[0] != '/' && text[0] != '-')
		return push_word(w, xasprintf("--%s=%s/%s", o->name, dir, text));
	return push_word(w, xasprintf("--%s=%s", o->name, text));
}

static int options_words(const char *path, const cJSON *options, enum cli_command cmd, struct config_words *w,
			 char *err, size_t errlen)
{
	char dir[PATH_MAX];
	const char *slash = strrchr(path, '/');
	const cJSON *kv;

	if (!cJSON_IsObject(options))
		return err_printf(err, errlen, "%s: \"options\" must be an object of option names", path);
	snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
	cJSON_ArrayForEach(kv, options) {
		const struct cli_option *o = option_named(kv->string, cmd);
		const cJSON *v;
		if (!o || !settable(o))
			return unknown_option(path, kv->string, err, errlen);
		if (!(o->commands & CLI_BIT(cmd)))
			continue;   /* another command's default */
		if (!cJSON_IsArray(kv)) {
			if (option_word(path, dir, o, kv, w, err, errlen) != 0)
				return err[0] ? -1 : err_printf(err, errlen, "%s: out of memory", path);
			continue;
		}
		cJSON_ArrayForEach(v, kv)
			if (option_word(path, dir, o, v, w, err, errlen) != 0)
				return err[0] ? -1 : err_printf(err, errlen, "%s: out of memory", path);
	}
	return 0;
}

int config_load(const char *path, enum cli_command cmd, struct policy *p, struct config_words *w,
		char *err, size_t errlen)
{
	cJSON *options = NULL;
	int rc;

	err[0] = '\0';
	if (policy_load_config(p, path, &options, err, errlen) != 0)
		return -1;
	rc = options ? options_words(path, options, cmd, w, err, errlen) : 0;
	cJSON_Delete(options);
	return rc;
}

/* "fail-on" -> "MCPAUDIT_FAIL_ON" into buf. */
static void env_name(const char *option, char *buf, size_t len)
{
	size_t n = (size_t)snprintf(buf, len, "MCPAUDIT_");

	for (; *option && n + 1 < len; option++)
		buf[n++] = *option == '-' ? '_' : (char)toupper((unsigned char)*option);
	buf[n] = '\0';
}

static int env_flag(const char *name, const char *value, bool *on, char *err, size_t errlen)
{
	static const char *const yes[] = {"1", "true", "yes", "on"}, *const no[] = {"", "0", "false", "no", "off"};

	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (strcasecmp(value, yes[i]) == 0) {
			*on = true;
			return 0;
		}
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (strcasecmp(value, no[i]) == 0) {
			*on = false;
			return 0;
		}
	return err_printf(err, errlen, "%s wants 1, true, yes, 0, false or no, not '%s'", name, value);
}

int config_from_env(enum cli_command cmd, struct config_words *w, char *err, size_t errlen)
{
	for (const struct cli_option *o = cli_options; o->name; o++) {
		char name[80];
		const char *value;
		bool on = false;
		if (!(o->commands & CLI_BIT(cmd)) || !settable(o))
			continue;
		env_name(o->name, name, sizeof name);
		if (!(value = getenv(name)))
			continue;
		if (o->arg) {
			if (push_word(w, xasprintf("--%s=%s", o->name, value)) != 0)
				return err_printf(err, errlen, "out of memory");
			continue;
		}
		if (env_flag(name, value, &on, err, errlen) != 0)
			return -1;
		if (on && push_word(w, xasprintf("--%s", o->name)) != 0)
			return err_printf(err, errlen, "out of memory");
	}
	return 0;
}
