/* audit: one target -> fetched package -> static stage, metadata, install scripts and
 * traced server -> one endpoint list -> documentation and policy -> verdict. */
#include "audit/audit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "analyzer/static_stage.h"
#include "audit/askenv.h"
#include "audit/clientconfig.h"
#include "audit/deps.h"
#include "audit/http_hint.h"
#include "audit/launch.h"
#include "audit/metadata.h"
#include "audit/npmspec.h"
#include "audit/proc.h"
#include "audit/readme_start.h"
#include "audit/observe.h"
#include "audit/source.h"
#include "core/docs.h"
#include "core/strbuf.h"
#include "core/url.h"
#include "tracer/dynamic_stage.h"
#include "core/term.h"

#define DEFAULT_TIMEOUT 120
#define INSTALL_TIMEOUT 120   /* one install script, at most */

static unsigned timeout_of(const struct audit_options *o)
{
	return o->timeout_s ? o->timeout_s : DEFAULT_TIMEOUT;
}

static void now_text(char *iso, size_t isolen, char *day, size_t daylen)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(iso, isolen, "%Y-%m-%dT%H:%M:%SZ", &tm);
	strftime(day, daylen, "%Y-%m-%d", &tm);
}

static const char *source_kind_word(enum source_kind k)
{
	switch (k) {
	case SRC_NPM: return "npm";
	case SRC_PYPI: return "pypi";
	case SRC_ARCHIVE: return "archive";
	default: return "folder";
	}
}

/* With --verbose, how long each step took, on stderr (bench/audit.sh reads these); on a
 * terminal otherwise, one line that says what the audit is doing, cleared at the end. */
struct laps {
	bool on;
	bool tty;
	const char *label;
	struct timespec t;
	double cpu;             /* CPU seconds at t: this process and its waited-for children */
};

/* User and system time of this process and of every child it has waited for (npm, the
 * sandbox): a step's wall time on a shared machine says little without it. */
static double cpu_seconds(void)
{
	struct rusage self, kids;

	getrusage(RUSAGE_SELF, &self);
	getrusage(RUSAGE_CHILDREN, &kids);
	return (double)(self.ru_utime.tv_sec + self.ru_stime.tv_sec + kids.ru_utime.tv_sec + kids.ru_stime.tv_sec) +
	       (double)(self.ru_utime.tv_usec + self.ru_stime.tv_usec + kids.ru_utime.tv_usec + kids.ru_stime.tv_usec) /
		       1e6;
}

static void step(struct laps *l, const char *what)
{
	if (l->tty && !l->on)
		term_status(stderr, "mcpaudit: %.60s: %s...", l->label, what);
}

static void steps_done(struct laps *l)
{
	if (l->tty && !l->on)
		term_status_clear(stderr);
}

static void lap(struct laps *l, const char *what)
{
	struct timespec now;
	double cpu;

	if (!l->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	cpu = cpu_seconds();
	term_printf(stderr, "mcpaudit: %s in %.2f s (cpu %.2f s)\n", what,
		(double)(now.tv_sec - l->t.tv_sec) + (double)(now.tv_nsec - l->t.tv_nsec) / 1e9, cpu - l->cpu);
	l->t = now;
	l->cpu = cpu;
}

/* Insert a copy of str at position at of list (a VEC of owned strings). */
#define vec_insert_string(list, at, str)                                                     \
	do {                                                                                 \
		char *copy_ = xstrdup(str);                                                   \
		if (copy_ && vec_push((list), NULL) == 0) {                                   \
			memmove(&(list)->items[(at) + 1], &(list)->items[(at)],               \
				((list)->len - 1 - (at)) * sizeof *(list)->items);            \
			(list)->items[(at)] = copy_;                                          \
		} else {                                                                      \
			free(copy_);                                                          \
		}                                                                             \
	} while (0)

/* ---- stages ---- */

static void run_static(const struct audit_source *s, const struct audit_options *o, struct report *r)
{
	const char *paths[] = {s->root};
	struct scan_options so = {.paths = paths, .npaths = 1, .include_deps = o->include_deps, .jobs = o->jobs,
				  .verbose = o->verbose};
	char err[1024] = "";

	if (static_stage_run(&so, r, err, sizeof err) != 0)
		report_add_incomplete(r, NULL, "static stage: %s", err);
	else
		r->static_ran = true;
}

/* Lifecycle scripts npm runs on an install: from a registry or an archive the first
 * three; from a folder (a clone) also prepare. */
static bool npm_runs(const char *script, enum source_kind k)
{
	return !strcmp(script, "preinstall") || !strcmp(script, "install") || !strcmp(script, "postinstall") ||
	       (k == SRC_FOLDER && !strcmp(script, "prepare"));
}

/* One dynamic_stage_run, merged into r. A run that could not happen is an incomplete
 * entry, not a failure of the audit. Returns true when it ran. */
static bool traced(struct trace_options *to, const char *what, struct report *r)
{
	struct report *d = report_new();
	char err[1024] = "";
	bool ok = false;

	if (!d)
		return false;
	if (dynamic_stage_run(to, d, err, sizeof err) != 0)
		report_add_incomplete(r, NULL, "%s: %s", what, err);
	else
		ok = report_merge(r, d) == 0;
	report_free(d);
	return ok;
}

/* "npm_lifecycle_event=postinstall" and the rest npm sets for a script. */
static int script_env(const char *name, const struct package_info *pkg, char *env[5])
{
	env[0] = xasprintf("npm_lifecycle_event=%s", name);
	env[1] = xasprintf("npm_package_name=%s", pkg->name ? pkg->name : "");
	env[2] = xasprintf("npm_package_version=%s", pkg->version ? pkg->version : "");
	env[3] = xstrdup("npm_config_user_agent=npm/10.8.2 node/v18.19.0 linux x64");
	env[4] = NULL;
	return env[0] && env[1] && env[2] && env[3] ? 0 : -1;
}

static void run_install_scripts(const struct audit_source *s, const struct audit_options *o, const char *root,
				struct report *r)
{
	const struct package_info *pkg = r->package;

	for (size_t i = 0; pkg && i < pkg->scripts.len; i++) {
		const struct install_script *is = &pkg->scripts.items[i];
		const char *argv[] = {"sh", "-c", is->command, NULL};
		char *env[5] = {0}, what[64];
		struct trace_options to = {.argv = argv, .cwd = s->root, .root = root, .install_mode = true,
					   .timeout_seconds = timeout_of(o) < INSTALL_TIMEOUT ? timeout_of(o) : INSTALL_TIMEOUT,
					   .no_tls_intercept = o->no_tls_intercept, .verbose = o->verbose};

		if (!is->command || !npm_runs(is->name, s->kind))
			continue;
		if (script_env(is->name, pkg, env) == 0) {
			to.env = (const char *const *)env;
			snprintf(what, sizeof what, "install script %s", is->name);
			if (traced(&to, what, r))
				r->dynamic_ran = true;
		}
		for (int k = 0; k < 4; k++)
			free(env[k]);
	}
}

/* Whether list (each "NAME=VALUE") sets the variable of kv. */
static bool sets(const char *const *list, const char *kv)
{
	size_t n = strcspn(kv, "=");

	for (const char *const *e = list; e && *e; e++)
		if (!strncmp(*e, kv, n) && (*e)[n] == '=')
			return true;
	return false;
}

/* The server's environment: the configured variables, the README's that they do not set,
 * then the launcher's own. */
static char **server_env(const struct audit_target *t, const struct readme_start *rs, const struct launch *l)
{
	size_t n = 0;
	char **env;

	for (const char *const *e = t->env; e && *e; e++)
		n++;
	env = calloc(n + rs->env.len + l->env.len + 1, sizeof *env);
	if (!env)
		return NULL;
	n = 0;
	for (const char *const *e = t->env; e && *e; e++)
		env[n++] = (char *)*e;
	for (size_t i = 0; i < rs->env.len; i++)
		if (!sets(t->env, rs->env.items[i]) && !sets(t->secret_env, rs->env.items[i]))
			env[n++] = rs->env.items[i];
	for (size_t i = 0; i < l->env.len; i++)
		env[n++] = l->env.items[i];
	return env;
}

/* A configured command names files in the package's folder; after a private copy was
 * made (to install dependencies), the same files in the copy. */
static char *moved_path(const struct audit_source *s, const char *arg)
{
	size_t n = s->origin ? strlen(s->origin) : 0;

	if (n && !strncmp(arg, s->origin, n) && (arg[n] == '/' || !arg[n]) && strcmp(s->origin, s->root))
		return xasprintf("%s%s", s->root, arg + n);
	return xstrdup(arg);
}

/* One run into a fresh report; NULL when the run could not happen (err says why). */
static struct report *trace_once(const struct trace_options *to, char *err, size_t errlen)
{
	struct report *d = report_new();

	if (d && dynamic_stage_run(to, d, err, errlen) != 0) {
		report_free(d);
		return NULL;
	}
	return d;
}

/* What the server said when it went wrong: the run's incomplete entries, or why it could
 * not be driven at all. Caller frees. */
static char *complaint_of(const struct report *d, const char *err)
{
	struct strbuf b = STRBUF_INIT(1 << 16);

	if (!d)
		strbuf_puts(&b, err);
	for (size_t i = 0; d && i < d->incomplete.len; i++) {
		strbuf_puts(&b, d->incomplete.items[i].reason);
		strbuf_putc(&b, '\n');
	}
	return strbuf_take(&b);
}

/* list followed by more, NULL-terminated; the strings stay borrowed. Caller frees. */
static const char **joined(const char *const *list, char *const *more, size_t nmore)
{
	size_t n = 0;
	const char **out;

	while (list && list[n])
		n++;
	if (!(out = calloc(n + nmore + 1, sizeof *out)))
		return NULL;
	for (size_t i = 0; i < n; i++)
		out[i] = list[i];
	for (size_t i = 0; i < nmore; i++)
		out[n + i] = more[i];
	return out;
}

/* The run after askenv's: the variables it asked for given (a key as a canary, the rest as
 * placeholders), listed in the report before the command. Returns the new report or NULL
 * (err set); env and secrets are what again points at, freed by the caller. */
static struct report *with_asked_env(const struct trace_options *to, const struct askenv *ask,
				     struct trace_options *again, const char ***env, const char ***secrets,
				     struct report *r, char *err, size_t errlen)
{
	*env = joined(to->env, ask->env.items, ask->env.len);
	*secrets = joined(to->secret_env, ask->secret_env.items, ask->secret_env.len);
	if (!*env || !*secrets)
		return NULL;
	again->env = *env;
	again->secret_env = *secrets;
	for (size_t i = 0; r->package && i < ask->shown.len; i++)
		vec_insert_string(&r->package->command, i, ask->shown.items[i]);
	err[0] = '\0';
	return trace_once(again, err, errlen);
}

/* The driver found only the legacy HTTP+SSE transport at the port: the report says so. */
static void legacy_sse(struct package_info *p)
{
	char *why = xasprintf("%s; it refused streamable HTTP's POST, and a GET of the same URL opened the legacy "
			      "HTTP+SSE transport's event stream", p->transport_why ? p->transport_why : "");

	free(p->transport);
	p->transport = xstrdup("sse");
	if (why) {
		free(p->transport_why);
		p->transport_why = why;
	}
}

/* A server that answered nothing on stdio but listens (said so, or was seen to): run it
 * again driven over streamable HTTP at that port. NULL when there is no such sign, or the
 * run failed (err then has both runs' reasons). */
static struct report *over_http(struct trace_options *again, const struct trace_seen *seen, struct report *r,
				char *err, size_t errlen)
{
	struct http_hint hint;
	char stdio_err[1024];

	if (!http_hint_find(seen, &hint))
		return NULL;
	snprintf(stdio_err, sizeof stdio_err, "%s", err);
	again->http_port = hint.port;
	again->http_path = hint.path;
	again->seen = NULL;
	if (r->package) {
		r->package->transport = xstrdup("streamable-http");
		r->package->transport_url = xasprintf("http://127.0.0.1:%u%s", hint.port, hint.path);
		r->package->transport_why = xasprintf("%s", hint.why);
	}
	err[0] = '\0';
	struct report *d = trace_once(again, err, errlen);
	if (d && r->package && d->coverage.transport && !strcmp(d->coverage.transport, "sse"))
		legacy_sse(r->package);
	if (!d) {
		struct strbuf both = STRBUF_INIT(4096);
		strbuf_printf(&both, "over streamable HTTP at port %u (%s): %s; over stdio before: %s", hint.port,
			      hint.why, err, stdio_err);
		snprintf(err, errlen, "%s", strbuf_str(&both));
		strbuf_free(&both);
	}
	return d;
}

/* Over HTTP it failed too: perhaps a slow stdio server that also listens on a port (the
 * stdio run stopped waiting once it listened). The whole wait on stdio, once more; NULL
 * when that fails too (the HTTP run's reasons stand). */
static struct report *patiently(struct trace_options *again, struct report *r)
{
	char err[1024] = "";
	struct report *d;

	again->http_port = 0;
	again->http_path = NULL;
	again->patient_init = true;
	if (!(d = trace_once(again, err, sizeof err)))
		return NULL;
	free(r->package->transport_url);
	free(r->package->transport_why);
	r->package->transport_url = NULL;
	r->package->transport_why = xstrdup("it did not answer over HTTP, and answered on stdio when given the "
					    "whole time to start");
	free(r->package->transport);
	r->package->transport = xstrdup("stdio");
	return d;
}

/* Run the server; when it stops at once asking for variables (an API key, a team id), run
 * it again with them; when it answers nothing on stdio but listens on a port, run it again
 * over HTTP. The report says how it was reached. */
static void trace_server(struct trace_options *to, struct report *r)
{
	char err[1024] = "", *complaint;
	struct trace_seen seen = {0};
	struct trace_options again = *to;
	struct report *d;
	struct askenv ask = {0};
	const char **env = NULL, **secrets = NULL;

	again.seen = &seen;
	d = trace_once(&again, err, sizeof err);
	complaint = d && !d->incomplete.len ? NULL : complaint_of(d, err);
	if (complaint && askenv_find(complaint, to->env, to->secret_env, &ask) > 0) {
		report_free(d);
		d = with_asked_env(to, &ask, &again, &env, &secrets, r, err, sizeof err);
	}
	if (!d && (d = over_http(&again, &seen, r, err, sizeof err)) == NULL && r->package &&
	    r->package->transport_url)
		d = patiently(&again, r);
	if (r->package && !r->package->transport)
		r->package->transport = xstrdup("stdio");
	if (!d)
		report_add_incomplete(r, NULL, "dynamic stage: %s", err);
	else if (report_merge(r, d) == 0)
		r->dynamic_ran = true;
	report_free(d);
	askenv_free(&ask);
	free(complaint);
	free(env);
	free(secrets);
	free(seen.output);
}

/* The README's secrets that the configuration does not set, after the configured ones. */
static const char **server_secrets(const struct audit_target *t, const struct readme_start *rs)
{
	const char **out = joined(t->secret_env, NULL, 0);
	size_t n = 0;

	while (out && out[n])
		n++;
	for (size_t i = 0; out && i < rs->secret_env.len; i++) {
		const char **more;
		if (sets(t->env, rs->secret_env.items[i]) || sets(t->secret_env, rs->secret_env.items[i]))
			continue;
		if (!(more = realloc(out, (n + 2) * sizeof *out))) {
			free(out);
			return NULL;
		}
		out = more;
		out[n++] = rs->secret_env.items[i];
		out[n] = NULL;
	}
	return out;
}

/* Where the command comes from and why, for the report. */
static void say_started(const struct audit_target *t, const struct readme_start *rs, const struct launch *l,
			struct package_info *p)
{
	if (t->command) {
		p->started_from = xstrdup(t->config ? t->config : "the client configuration");
		p->started_why = xstrdup("the client configuration's command");
	} else if (rs->from) {
		p->started_from = xstrdup(rs->from);
		p->started_why = xasprintf("%s, with the arguments and environment variables of the README's example "
					   "%s (%zu arguments, %zu variables; secrets as canaries)", l->how,
					   rs->shape, rs->args.len, rs->env.len + rs->secret_env.len);
	} else {
		p->started_from = xstrdup(t->config && t->server_args ? t->config : "manifest");
		p->started_why = xstrdup(l->how ? l->how : "the manifest");
	}
}

/* The configured command, its files moved into the private copy. */
static void configured_command(const struct audit_source *s, const struct audit_target *t, struct launch *l)
{
	for (const char *const *a = t->command; *a; a++)
		vec_push(&l->argv, moved_path(s, *a));
	vec_push(&l->argv, NULL);
	l->how = xstrdup("the client configuration's command");
}

/* The command from the manifest, with the configured arguments, or else the README's.
 * Returns 0, or -1 with why set. */
static int manifest_command(const struct audit_source *s, const struct audit_target *t, const struct report *r,
			    struct readme_start *rs, struct launch *l, char *why, size_t whylen)
{
	const char **args = NULL;
	int rc;

	/* a configured server runs as configured; the README speaks for a package named alone */
	if (!t->config && !t->server_args && r->package &&
	    readme_start_find(s->root, r->package->ecosystem, r->package->name, rs) < 0) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	if (rs->from && !(args = joined(NULL, rs->args.items, rs->args.len))) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	rc = launch_find(s->root, r->package, rs->from ? args : t->server_args, l, why, whylen);
	free(args);
	return rc;
}

static void run_server(const struct audit_source *s, const struct audit_target *t, const struct audit_options *o,
		       const char *root, struct report *r)
{
	struct launch l = {0};
	struct readme_start rs = {0};
	char why[512];
	char **env = NULL;
	const char **secrets = NULL;

	if (t->command) {
		configured_command(s, t, &l);
	} else if (manifest_command(s, t, r, &rs, &l, why, sizeof why) != 0) {
		report_add_incomplete(r, NULL, "dynamic stage skipped: %s", why);
		goto out;
	}
	for (size_t i = 0; r->package && l.argv.items[i]; i++)
		vec_push(&r->package->command, xstrdup(l.argv.items[i]));
	if (r->package)
		say_started(t, &rs, &l, r->package);
	if (!(env = server_env(t, &rs, &l)) || !(secrets = server_secrets(t, &rs)))
		goto out;
	{
		char *cwd = t->cwd ? moved_path(s, t->cwd) : NULL;
		struct trace_options to = {.argv = (const char *const *)l.argv.items, .cwd = cwd ? cwd : s->root, .root = root,
					   .env = (const char *const *)env, .secret_env = secrets,
					   .timeout_seconds = timeout_of(o), .quiet_seconds = o->quiet_s,
					   .no_tls_intercept = o->no_tls_intercept, .verbose = o->verbose};
		trace_server(&to, r);
		free(cwd);
	}
out:
	free(env);
	free(secrets);
	readme_start_free(&rs);
	launch_free(&l);
}

/* Dependencies into a private copy of the package, scripts disabled. A failure is an
 * incomplete entry: the run goes on without them. */
static void install_deps(struct audit_source *s, const struct audit_options *o, struct report *r, struct laps *l)
{
	char err[1024];

	step(l, "installing dependencies (scripts disabled)");
	if (r->package && (r->package->dependencies.len || r->package->requirements.len) &&
	    source_make_private(s, NULL, err, sizeof err) != 0)
		report_add_incomplete(r, NULL, "dependencies not installed: %s", err);
	else
		deps_install(s->root, r->package, timeout_of(o), r);
	lap(l, "dependencies installed");
}

static void run_dynamic(struct audit_source *s, const struct audit_target *t, const struct audit_options *o,
			struct report *r, struct laps *l)
{
	const char *root;

	if (!o->include_deps)
		install_deps(s, o, r, l);
	root = o->root && !s->workdir ? o->root : s->root;
	step(l, "running the install scripts in the sandbox");
	run_install_scripts(s, o, root, r);
	lap(l, "install scripts run");
	step(l, "tracing the server in the sandbox");
	run_server(s, t, o, root, r);
	lap(l, "server traced");
}

/* ---- typosquats against the registry ---- */

#define ESTABLISHED_DAYS 365    /* a dependency this old ... */
#define ESTABLISHED_VERSIONS 10 /* ... with this many versions is not a fresh imitation */

/* Days since the earliest date of an npm "time" object, and how many versions it lists. */
static bool registry_age(const char *json, const char *today, long *days, unsigned *versions)
{
	cJSON *t = cJSON_Parse(json), *v;
	const char *first = NULL;
	struct tm a = {0}, b = {0};

	*versions = 0;
	cJSON_ArrayForEach(v, t)
		if (cJSON_IsString(v) && strcmp(v->string, "modified") && strcmp(v->string, "created")) {
			(*versions)++;
			if (!first || strcmp(v->valuestring, first) < 0)
				first = v->valuestring;
		}
	if (!first || !strptime(first, "%Y-%m-%d", &a) || !strptime(today, "%Y-%m-%d", &b)) {
		cJSON_Delete(t);
		return false;
	}
	*days = (long)((timegm(&b) - timegm(&a)) / 86400);
	cJSON_Delete(t);
	return true;
}

/* A name one edit from a popular package may be an established package of its own (preact
 * and react): the registry says how old it is. Lowered to low when it has years and many
 * versions behind it; kept, and said, when the registry does not know it at all. */
static void check_typosquats(const struct audit_options *o, const char *today, struct report *r)
{
	for (size_t i = 0; r->package && r->package->ecosystem && !strcmp(r->package->ecosystem, "npm") &&
			   i < r->findings.len; i++) {
		struct finding *f = r->findings.items[i];
		const char *name = strcmp(f->rule_id, "typosquat-dependency") ? NULL : f->dependency;
		/* the name is the package's: never an option, a path or a URL to npm view */
		const char *argv[] = {"npm", "view", "--json", "--", name, "time", NULL};
		struct proc_result pr;
		char err[256];
		long days;
		unsigned versions;

		if (!name || !npmspec_name_valid(name, strlen(name)) ||
		    proc_run(argv, NULL, timeout_of(o), &pr, err, sizeof err) != 0)
			continue;
		if (pr.status == 0 && registry_age(pr.out, today, &days, &versions) && days >= ESTABLISHED_DAYS &&
		    versions >= ESTABLISHED_VERSIONS) {
			f->severity = SEV_LOW;
			finding_add_chain(f, "but %s is established on the registry: first published %ld days ago, "
					  "%u versions", name, days, versions);
		} else if (pr.status != 0 && strstr(pr.err_text, "E404")) {
			finding_add_chain(f, "%s is not on the registry at all: whoever publishes it first decides "
					  "what this package installs", name);
		}
		proc_result_free(&pr);
	}
}

/* ---- judging ---- */

/* Code in an install script's own file runs at install time, not when the server starts. */
static void mark_install_files(struct report *r)
{
	for (size_t s = 0; r->package && s < r->package->scripts.len; s++) {
		const char *file = r->package->scripts.items[s].file;
		for (size_t i = 0; file && i < r->endpoints.len; i++) {
			struct endpoint *ep = r->endpoints.items[i];
			for (size_t k = 0; k < ep->evidence.len; k++) {
				struct evidence *ev = &ep->evidence.items[k];
				if (ev->file && !strcmp(ev->file, file) && ev->stage && !strcmp(ev->stage, "static")) {
					free(ev->phase);
					ev->phase = xstrdup("install");
				}
			}
		}
		for (size_t i = 0; file && i < r->findings.len; i++) {
			struct finding *f = r->findings.items[i];
			if (f->file && !strcmp(f->file, file)) {
				free(f->phase);
				f->phase = xstrdup("install");
			}
		}
	}
}

static int judge(const struct audit_source *s, const struct audit_options *o, struct report *r, const char *day)
{
	char err[1024];

	for (const char *const *d = o->docs; d && *d; d++)
		if (docs_collect_path(r, *d, err, sizeof err) != 0) {
			report_add_incomplete(r, *d, "%s", err);
		}
	if (o->policy->use_docs && docs_collect(r, s->root) != 0)
		return -1;
	if (policy_add_documented(o->policy, r) != 0 || report_fold_by_host(r) != 0)
		return -1;
	mark_install_files(r);
	observe_endpoints(r);
	if (policy_apply(o->policy, r, day) != 0)
		return -1;
	metadata_finish(r);
	if (observe_hidden_egress(r) != 0)
		return -1;
	report_finish(r);
	return observe_verdict(r, o->policy, o->static_only);
}

static void note_refusals(const struct audit_source *s, struct report *r)
{
	for (size_t i = 0; i < s->unpacked.refused.len; i++)
		report_add_incomplete(r, s->unpacked.refused.items[i].entry, "archive entry not unpacked: %s",
				      s->unpacked.refused.items[i].reason);
}

static int describe_package(const struct audit_source *s, const struct audit_target *t, struct report *r)
{
	struct package_info *p = report_package(r);

	if (!p)
		return -1;
	p->source = s->kind == SRC_NPM ? xasprintf("npm:%s@%s", s->name, s->version) :
		    s->kind == SRC_PYPI ? xasprintf("pypi:%s%s%s", s->name, s->version ? "==" : "",
						    s->version ? s->version : "") :
		    xasprintf("%s %s", source_kind_word(s->kind), t->spec);
	p->integrity = xstrdup(s->integrity);
	return 0;
}

/* A remote server: nothing to read or run; its address is the one endpoint to review. */
static int audit_remote(const struct audit_target *t, const struct audit_options *o, struct report *r)
{
	struct url_parts u;
	struct endpoint *ep = NULL;
	struct finding *f;
	struct package_info *p = report_package(r);
	char day[11], iso[32];

	now_text(iso, sizeof iso, day, sizeof day);
	if (!p)
		return -1;
	p->source = xasprintf("remote %s", t->remote_url);
	if (url_parse(t->remote_url, &u))
		ep = report_endpoint(r, u.host, NULL, u.port, u.scheme, EK_LITERAL);
	if (ep) {
		struct evidence ev = {.stage = "config", .api = "remote server", .expression = (char *)t->remote_url,
				      .file = (char *)t->label};
		endpoint_add_evidence(ep, &ev);
	}
	f = report_add_finding(r, "remote-server", ep ? ep->host : NULL, NULL, 0,
			       "%s is a remote MCP server: its code cannot be read or run here, and everything "
			       "the client sends it leaves the machine", t->remote_url);
	if (!f || policy_add_documented(o->policy, r) != 0)
		return -1;
	/* not egress of a package but the server itself: the policy decides whether it is
	 * known (allowed: info), not the documentation of code that is not there */
	for (size_t i = 0; ep && i < o->policy->allow.len; i++)
		if (host_pattern_match(&o->policy->allow.items[i], ep->host, ep->port)) {
			ep->documented_by = DOC_ALLOW;
			ep->documented_source = xstrdup(o->policy->allow.items[i].source);
			f->severity = SEV_INFO;
			break;
		}
	for (size_t i = 0; ep && i < o->policy->deny.len; i++)
		if (host_pattern_match(&o->policy->deny.items[i], ep->host, ep->port))
			f->severity = SEV_HIGH;
	report_finish(r);
	return observe_verdict(r, o->policy, true);
}

int audit_run(const struct audit_target *t, const struct audit_options *o, struct report *r, char *err,
	      size_t errlen)
{
	struct audit_source s = {0};
	struct laps l = {.on = o->verbose, .tty = isatty(STDERR_FILENO) == 1,
			 .label = t->label ? t->label : t->spec ? t->spec : "target"};
	char day[11], iso[32];
	int rc = -1;

	now_text(iso, sizeof iso, day, sizeof day);
	if (t->config && client_config_report(t->config, r) != 0)
		return -1;
	if (t->remote_url) {
		vec_push(&r->targets, xstrdup(t->label ? t->label : t->remote_url));
		return audit_remote(t, o, r);
	}
	if (t->unsupported) {
		/* listed, so a configuration's other servers are still audited and this one is not
		 * forgotten: a person has to look at it */
		vec_push(&r->targets, xstrdup(t->label ? t->label : "server"));
		report_add_incomplete(r, NULL, "not audited: %s", t->unsupported);
		report_finish(r);
		return observe_verdict(r, o->policy, true);
	}
	clock_gettime(CLOCK_MONOTONIC, &l.t);
	l.cpu = cpu_seconds();
	step(&l, "getting the package");
	if (source_fetch(t->spec, &(struct source_options){.timeout_s = timeout_of(o)}, &s, err, errlen) != 0)
		goto out;
	lap(&l, "fetched and unpacked");
	note_refusals(&s, r);
	if (describe_package(&s, t, r) != 0)
		goto oom;
	step(&l, "reading the manifest and the registry's record");
	{
		struct metadata_options mo = {.root = s.root, .registry = s.registry, .version = s.version,
					      .today = iso, .from_registry = s.kind == SRC_NPM || s.kind == SRC_PYPI};
		if (metadata_check(&mo, r, err, errlen) != 0)
			goto out;
		check_typosquats(o, day, r);
		lap(&l, "metadata checked");
	}
	/* --include-deps reads the dependencies too: they must be there first (installed with
	 * scripts disabled, which runs none of their code, even with --static-only) */
	if (o->include_deps)
		install_deps(&s, o, r, &l);
	step(&l, "reading the code");
	run_static(&s, o, r);
	lap(&l, "static stage");
	if (!o->static_only)
		run_dynamic(&s, t, o, r, &l);
	step(&l, "judging");
	if (judge(&s, o, r, day) != 0)
		goto oom;
	lap(&l, "judged");
	/* the stages name the private folder, which is gone after the audit: name the target */
	for (size_t i = 0; i < r->targets.len; i++)
		free(r->targets.items[i]);
	r->targets.len = 0;
	free(r->root);
	r->root = xstrdup(s.kind == SRC_FOLDER ? s.root : r->package->source);
	if (vec_push(&r->targets, xstrdup(t->label ? t->label : t->spec)) != 0)
		goto oom;
	rc = 0;
	goto out;
oom:
	snprintf(err, errlen, "out of memory");
out:
	steps_done(&l);
	source_free(&s);
	return rc;
}
