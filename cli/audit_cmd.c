/* audit_cmd: targets (and client configurations) -> one audit each -> reports -> exit code. */
#include "cli/audit_cmd.h"

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "audit/clientconfig.h"
#include "audit/discover.h"
#include "audit/source.h"
#include "core/strbuf.h"
#include "core/term.h"
#include "core/version.h"

enum { CODE_CLEAN = 0, CODE_FAIL = 1, CODE_ERROR = 2 };

typedef VEC(const char *) str_list;

/* One target to audit and the strings it owns. */
struct job {
	struct audit_target t;
	VEC(char *) owned;          /* every string below */
	str_list command, server_args, env, secret_env;
};

typedef VEC(struct job *) job_list;

static const char *own(struct job *j, char *s)
{
	if (s && vec_push(&j->owned, s) != 0) {
		free(s);
		return NULL;
	}
	return s;
}

static void job_free(struct job *j)
{
	if (!j)
		return;
	for (size_t i = 0; i < j->owned.len; i++)
		free(j->owned.items[i]);
	vec_free(&j->owned);
	vec_free(&j->command);
	vec_free(&j->server_args);
	vec_free(&j->env);
	vec_free(&j->secret_env);
	free(j);
}

/* NULL-terminate a list and hand out its items (NULL when the list is empty). */
static const char *const *terminated(str_list *list)
{
	if (!list->len)
		return NULL;
	if (vec_push(list, NULL) != 0)
		return NULL;
	return list->items;
}

static int add_cli_env(struct job *j, const char *const *env)
{
	for (const char *const *e = env; e && *e; e++)
		if (vec_push(&j->env, *e) != 0)
			return -1;
	return 0;
}

/* A configured path argument as the client would see it: relative to the configured cwd
 * or the configuration's folder. Arguments that name no file stay as they are. */
static char *resolved_arg(const struct client_config *cfg, const struct client_target *ct, const char *arg)
{
	char *joined, real[PATH_MAX];

	if (arg[0] == '-' || !strchr(arg, '/') || arg[0] == '/')
		return xstrdup(arg);
	joined = xasprintf("%s/%s", ct->cwd ? ct->cwd : cfg->base, arg);
	if (joined && realpath(joined, real)) {
		free(joined);
		return xstrdup(real);
	}
	free(joined);
	return xstrdup(arg);
}

static int job_from_config(const struct client_config *cfg, const struct client_target *ct,
			   const char *const *cli_env, struct job *j)
{
	char *base = xstrdup(cfg->path);
	const char *prefix = ct->kind == CT_NPM ? "npm:" : ct->kind == CT_PYPI ? "pypi:" : "";

	/* with several server maps, the same name may be in two: say which one */
	j->t.label = own(j, ct->project ? xasprintf("%s: %s: %s", base ? basename(base) : cfg->path, ct->project, ct->server)
			    : cfg->sections > 1
				    ? xasprintf("%s: %s.%s", base ? basename(base) : cfg->path, ct->section, ct->server)
				    : xasprintf("%s: %s", base ? basename(base) : cfg->path, ct->server));
	j->t.config = own(j, xstrdup(cfg->path));
	free(base);
	if (ct->kind == CT_REMOTE)
		j->t.remote_url = own(j, xstrdup(ct->url_secret ? "(a URL that carries a credential)" : ct->spec));
	else if (ct->kind == CT_UNSUPPORTED)
		j->t.unsupported = own(j, xstrdup(ct->reason));
	else
		j->t.spec = own(j, xasprintf("%s%s", prefix, ct->spec));
	for (size_t i = 0; ct->kind == CT_LOCAL && i < ct->argv.len; i++)
		if (vec_push(&j->command, own(j, resolved_arg(cfg, ct, ct->argv.items[i]))) != 0)
			return -1;
	for (size_t i = 0; i < ct->server_args.len; i++)
		if (vec_push(&j->server_args, own(j, xstrdup(ct->server_args.items[i]))) != 0)
			return -1;
	for (size_t i = 0; i < ct->env.len; i++) {
		const struct client_env *e = &ct->env.items[i];
		const char *kv = own(j, xasprintf("%s=%s", e->name, e->value));
		if (!kv || vec_push(e->secret ? &j->secret_env : &j->env, kv) != 0)
			return -1;
	}
	if (ct->kind == CT_LOCAL && ct->cwd)
		j->t.cwd = own(j, xstrdup(ct->cwd));
	return add_cli_env(j, cli_env);
}

static void finish_job(struct job *j)
{
	j->t.command = terminated(&j->command);
	j->t.server_args = terminated(&j->server_args);
	j->t.env = terminated(&j->env);
	j->t.secret_env = terminated(&j->secret_env);
}

/* The jobs for each server of the configuration at path. Returns 0, 1 (it cannot be read
 * or has no servers: said on stderr) or -1 (out of memory). */
static int expand_config(const char *path, const char *const *cli_env, job_list *jobs)
{
	struct client_config cfg = {0};
	char err[1024];
	int rc = 0;

	if (client_config_load(path, &cfg, err, sizeof err) != 0) {
		term_printf(stderr, "mcpaudit: %s\n", err);
		return 1;
	}
	if (!cfg.targets.len) {
		/* nothing to audit is an error, never an empty report that exits 0 like a pass */
		term_printf(stderr, "mcpaudit: %s: no MCP servers configured: nothing to audit\n", path);
		rc = 1;
	}
	for (size_t i = 0; rc == 0 && i < cfg.targets.len; i++) {
		struct job *j = calloc(1, sizeof *j);
		if (!j || job_from_config(&cfg, &cfg.targets.items[i], cli_env, j) != 0 || vec_push(jobs, j) != 0) {
			job_free(j);
			rc = -1;
			break;
		}
		finish_job(j);
	}
	client_config_free(&cfg);
	return rc;
}

/* The jobs for one command-line target: itself, or each server of a configuration. */
static int expand(const char *arg, const char *const *cli_env, job_list *jobs)
{
	if (source_is_package(arg) || !client_config_detect(arg)) {
		struct job *j = calloc(1, sizeof *j);
		if (!j || !(j->t.spec = own(j, xstrdup(arg))) || add_cli_env(j, cli_env) != 0 ||
		    vec_push(jobs, j) != 0) {
			job_free(j);
			return -1;
		}
		finish_job(j);
		return 0;
	}
	return expand_config(arg, cli_env, jobs);
}

/* A configuration found but not readable here (YAML): a job that says so, so that its
 * servers are not forgotten. Returns 0 or -1. */
static int unreadable_job(const struct discovered *d, job_list *jobs)
{
	struct job *j = calloc(1, sizeof *j);

	if (!j || !(j->t.label = own(j, xasprintf("%s (%s)", d->path, d->client))) ||
	    !(j->t.unsupported = own(j, xasprintf("%s: %s", d->path, d->not_read))) || vec_push(jobs, j) != 0) {
		job_free(j);
		return -1;
	}
	finish_job(j);
	return 0;
}

/* --discover: the client configurations of this machine, listed on stderr, each server a
 * job. Returns 0, 1 (none with servers found, or one could not be read) or -1. */
static int expand_discovered(const char *const *cli_env, job_list *jobs)
{
	discovered_list found = {0};
	char cwd[PATH_MAX];
	size_t before = jobs->len;
	int rc = discover_configs(getenv("HOME"), getenv("XDG_CONFIG_HOME"), getcwd(cwd, sizeof cwd), &found);

	for (size_t i = 0; rc >= 0 && i < found.len; i++) {
		const struct discovered *d = &found.items[i];
		int one;
		term_printf(stderr, "mcpaudit: found %s: %s%s%s\n", d->client, d->path, d->not_read ? ": " : "",
			    d->not_read ? d->not_read : "");
		if (d->unsupported)
			rc = unreadable_job(d, jobs) < 0 ? -1 : rc;
		else if (!d->not_read && (one = expand_config(d->path, cli_env, jobs)) != 0)
			rc = one < 0 ? -1 : 1;
	}
	if (rc >= 0 && jobs->len == before) {
		term_printf(stderr, "mcpaudit: --discover: no MCP client configuration with servers under %s, %s or "
			    "the working folder\n", getenv("HOME") ? getenv("HOME") : "(no HOME)",
			    getenv("XDG_CONFIG_HOME") ? getenv("XDG_CONFIG_HOME") : "~/.config");
		rc = 1;
	}
	discover_free(&found);
	return rc;
}

/* ---- writing ---- */

static int write_file(const char *path, const struct report *r, enum report_format fmt,
		      const struct report_options *ro)
{
	FILE *f = fopen(path, "w");
	int rc;

	if (!f) {
		term_printf(stderr, "mcpaudit: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	rc = report_write(f, r, fmt, ro);
	if (fclose(f) != 0)
		rc = -1;
	if (rc != 0)
		term_printf(stderr, "mcpaudit: writing %s failed: %s\n", path, strerror(errno));
	return rc;
}

static const struct {
	const char *name;
	enum report_format fmt;
} every_format[] = {
	{"report.txt", FMT_TEXT}, {"report.json", FMT_JSON}, {"report.sarif", FMT_SARIF},
	{"report.md", FMT_MARKDOWN}, {"report.html", FMT_HTML},
};

static int write_dir(const char *dir, const struct report *r, const struct report_options *ro)
{
	struct report_options plain = *ro;
	int rc = 0;

	plain.color = false;
	if (xmkdirs(dir, 0755) != 0) {
		term_printf(stderr, "mcpaudit: cannot make %s: %s\n", dir, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof every_format / sizeof every_format[0]; i++) {
		char *path = xasprintf("%s/%s", dir, every_format[i].name);
		if (!path || write_file(path, r, every_format[i].fmt, &plain) != 0)
			rc = -1;
		free(path);
	}
	return rc;
}

/* A folder name for the i-th of several targets: its position, then its name made safe. */
static char *slug(size_t i, const char *label)
{
	struct strbuf b = STRBUF_INIT(100);

	strbuf_printf(&b, "%02zu-", i + 1);
	for (const char *p = label; *p && b.len < 90; p++)
		strbuf_putc(&b, (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
				       *p == '.' || *p == '-' ? *p : '_');
	return strbuf_take(&b);
}

/* ---- running ---- */

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static const char *label_of(const struct audit_target *t)
{
	return t->label ? t->label : t->spec ? t->spec : t->remote_url ? t->remote_url : "target";
}

/* Audit one job into r. Returns its exit code. */
static int audit_one(const struct audit_cmd *a, const struct job *j, struct report *r)
{
	char err[2048] = "";
	struct timespec t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (a->audit.verbose)
		term_printf(stderr, "mcpaudit: auditing %s\n", label_of(&j->t));
	if (audit_run(&j->t, &a->audit, r, err, sizeof err) != 0) {
		term_printf(stderr, "mcpaudit: %s\n", err);
		r->execution_successful = false;
		free(r->error);
		r->error = xstrdup(err);
		if (!r->targets.len)
			vec_push(&r->targets, xstrdup(label_of(&j->t)));
		r->duration_seconds = seconds_since(&t0);
		return CODE_ERROR;
	}
	r->duration_seconds = seconds_since(&t0);
	return r->verdict.result == VERDICT_FAIL || (a->fail_on_incomplete && r->incomplete.len) ? CODE_FAIL : CODE_CLEAN;
}

static int output_one(const struct audit_cmd *a, const struct report *r, size_t i, size_t n, FILE *out,
		      struct sarif_log *sarif, const char *label)
{
	int rc = 0;

	if (a->output_dir) {
		char *s = n > 1 ? slug(i, label) : NULL;
		char *dir = n > 1 ? xasprintf("%s/%s", a->output_dir, s) : xstrdup(a->output_dir);
		rc = dir ? write_dir(dir, r, &a->report) : -1;
		free(dir);
		free(s);
	}
	/* a failed audit's report says why in JSON; the text forms said it on stderr */
	if (!r->execution_successful && (a->format == FMT_TEXT || a->format == FMT_MARKDOWN))
		return rc;
	if (sarif)   /* several targets: one run each, written together at the end */
		return sarif_log_add(sarif, r, &a->report, true) == 0 ? rc : -1;
	if (a->format == FMT_JSON && n > 1 && fputs(i == 0 ? "" : ",\n", out) == EOF)
		return -1;
	if (a->format == FMT_TEXT && i > 0 && fputc('\n', out) == EOF)
		return -1;
	if (report_write(out, r, a->format, &a->report) != 0)
		rc = -1;
	return rc;
}

/* Several targets in JSON: one document, {"schema_version", "tool", "command", "reports":
 * [...], "summary"} (docs/report-format.md), written around the reports as they come. */
struct envelope_tally {
	size_t reports, by_verdict[VERDICT_FAIL + 1], errors;
};

static int envelope_open(FILE *out)
{
	return fprintf(out, "{\n\t\"schema_version\":\t1,\n\t\"tool\":\t{\n\t\t\"name\":\t\"%s\",\n"
		       "\t\t\"version\":\t\"%s\"\n\t},\n\t\"command\":\t\"audit\",\n\t\"reports\":\t[\n",
		       MCPAUDIT_NAME, MCPAUDIT_VERSION) < 0 ? -1 : 0;
}

static void envelope_count(struct envelope_tally *t, const struct report *r)
{
	t->reports++;
	if (!r->execution_successful)
		t->errors++;
	else if (r->verdict.result <= VERDICT_FAIL)
		t->by_verdict[r->verdict.result]++;
}

static int envelope_close(FILE *out, const struct envelope_tally *t)
{
	return fprintf(out, "\t],\n\t\"summary\":\t{\n\t\t\"reports\":\t%zu,\n\t\t\"pass\":\t%zu,\n"
		       "\t\t\"review\":\t%zu,\n\t\t\"fail\":\t%zu,\n\t\t\"not_audited\":\t%zu\n\t}\n}\n",
		       t->reports, t->by_verdict[VERDICT_PASS], t->by_verdict[VERDICT_REVIEW],
		       t->by_verdict[VERDICT_FAIL], t->errors) < 0 ? -1 : 0;
}

static int worse(int a, int b)
{
	return a == CODE_ERROR || b == CODE_ERROR ? CODE_ERROR : a > b ? a : b;
}

int audit_cmd_run(const struct audit_cmd *a, char *const *targets, size_t n)
{
	job_list jobs = {0};
	struct sarif_log *sarif = NULL;
	struct envelope_tally tally = {0};
	FILE *out = stdout;
	int code = CODE_CLEAN;

	for (size_t i = 0; i <= n; i++) {
		int rc = i < n ? expand(targets[i], a->env, &jobs) : a->discover ? expand_discovered(a->env, &jobs) : 0;
		if (rc < 0) {
			term_printf(stderr, "mcpaudit: out of memory\n");
			code = CODE_ERROR;
			goto out;
		}
		if (rc > 0)
			code = CODE_ERROR;
	}
	if (!jobs.len) {  /* no report at all, not an empty one (nor an empty -o file) */
		code = CODE_ERROR;
		goto out;
	}
	if (jobs.len > 1 && !a->output_dir && a->format == FMT_HTML) {
		term_printf(stderr, "mcpaudit: %zu targets: HTML reports need --output-dir (one folder each)\n",
			jobs.len);
		code = CODE_ERROR;
		goto out;
	}
	if (a->format == FMT_SARIF && jobs.len > 1 && !(sarif = sarif_log_new())) {
		code = CODE_ERROR;
		goto out;
	}
	if (a->output && !(out = fopen(a->output, "w"))) {
		term_printf(stderr, "mcpaudit: cannot write %s: %s\n", a->output, strerror(errno));
		code = CODE_ERROR;
		goto out;
	}
	if (a->format == FMT_JSON && jobs.len > 1 && envelope_open(out) != 0)
		code = CODE_ERROR;
	for (size_t i = 0; i < jobs.len; i++) {
		struct report *r = report_new();
		if (!r) {
			code = CODE_ERROR;
			break;
		}
		code = worse(code, audit_one(a, jobs.items[i], r));
		if (output_one(a, r, i, jobs.len, out, sarif, label_of(&jobs.items[i]->t)) != 0)
			code = CODE_ERROR;
		envelope_count(&tally, r);
		report_free(r);
	}
	if (a->format == FMT_JSON && jobs.len > 1 && envelope_close(out, &tally) != 0)
		code = CODE_ERROR;
	if (sarif && sarif_log_write(out, sarif) != 0)
		code = CODE_ERROR;
	if ((out != stdout ? fclose(out) : fflush(out)) != 0) {
		term_printf(stderr, "mcpaudit: writing the report failed: %s\n", strerror(errno));
		code = CODE_ERROR;
	}
out:
	sarif_log_free(sarif);
	for (size_t i = 0; i < jobs.len; i++)
		job_free(jobs.items[i]);
	vec_free(&jobs);
	return code;
}
