/* mcpaudit's command-line front: parse options, run a stage, write the report, map to an exit code. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/static_stage.h"
#include "cli/audit_cmd.h"
#include "cli/baseline.h"
#include "cli/batch.h"
#include "cli/completion.h"
#include "cli/config.h"
#include "cli/help.h"
#include "cli/options.h"
#include "tracer/dynamic_stage.h"
#include "core/docs.h"
#include "core/policy.h"
#include "core/report.h"
#include "core/report_format.h"
#include "core/strbuf.h"
#include "core/version.h"
#include "core/progress.h"
#include "core/term.h"

/* Documented exit codes. */
enum exit_code { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };

struct cli {
	enum cli_command cmd;
	const char *format;
	const char *output;
	const char *policy_file;
	const char *color;
	const char *fail_on;
	bool no_docs, strict_docs, quiet, verbose;
	struct scan_options scan;
	struct trace_options trace;
	VEC(const char *) env;
	VEC(const char *) docs;       /* --docs: documentation named on the command line */
	bool tracing;
	bool auditing;
	bool discover;                /* audit --discover */
	bool static_only;
	const char *output_dir;
	const char *review_on;
	const char *sarif_root;
	int fail_on_incomplete;       /* 1 on, 0 off, -1 the command's default */
	struct policy policy;
	char config_path[PATH_MAX];   /* the configuration file read, or "" */
};

static int usage_error(enum cli_command cmd, const char *fmt, const char *arg)
	__attribute__((format(printf, 2, 0)));

/* The message, and where to read more: the command's own help, or the tool's. */
static int usage_error(enum cli_command cmd, const char *fmt, const char *arg)
{
	fprintf(stderr, "mcpaudit: ");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	term_printf(stderr, fmt, arg);
#pragma GCC diagnostic pop
	if (cmd == CLI_HELP)
		fprintf(stderr, "\nTry 'mcpaudit help'.\n");
	else
		fprintf(stderr, "\nTry 'mcpaudit %s --help'.\n", cli_commands[cmd].name);
	return EXIT_ERROR;
}

/* A whole number from 1 to max. */
static bool parse_count(const char *s, unsigned max, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v == 0 || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

/* PORT or PORT/PATH: the server's streamable HTTP endpoint inside the sandbox. optarg
 * outlives the run, so the path can point into it. */
static bool parse_http(const char *s, struct trace_options *t)
{
	const char *slash = strchr(s, '/');
	char digits[8];
	size_t n = slash ? (size_t)(slash - s) : strlen(s);
	unsigned port;

	if (n == 0 || n >= sizeof digits)
		return false;
	memcpy(digits, s, n);
	digits[n] = '\0';
	if (!parse_count(digits, 65535, &port))
		return false;
	for (const char *p = slash; p && *p; p++)
		if (*p <= ' ' || *p == 0x7f)
			return false;
	t->http_port = (uint16_t)port;
	t->http_path = slash;
	return true;
}

static int trace_option(struct cli *c, int opt)
{
	switch (opt) {
	case OPT_CWD: c->trace.cwd = optarg; break;
	case OPT_ROOT: c->trace.root = optarg; break;
	case 'e':
		if (!strchr(optarg, '=') || optarg[0] == '=')
			return usage_error(c->cmd, "--env wants NAME=VALUE, not '%s'", optarg);
		vec_push(&c->env, optarg);
		break;
	case OPT_QUIET_PERIOD:
		if (!parse_count(optarg, 3600, &c->trace.quiet_seconds))
			return usage_error(c->cmd, "--quiet-period wants seconds from 1 to 3600, not '%s'", optarg);
		break;
	case OPT_TIMEOUT:
		if (!parse_count(optarg, 86400, &c->trace.timeout_seconds))
			return usage_error(c->cmd, "--timeout wants seconds from 1 to 86400, not '%s'", optarg);
		break;
	case OPT_CALL_TIMEOUT:
		if (!parse_count(optarg, 3600, &c->trace.call_timeout_seconds))
			return usage_error(c->cmd, "--call-timeout wants seconds from 1 to 3600, not '%s'", optarg);
		break;
	case OPT_NO_CALLS: c->trace.no_calls = true; break;
	case OPT_NO_TLS_INTERCEPT: c->trace.no_tls_intercept = true; break;
	case OPT_PCAP: c->trace.pcap_file = optarg; break;
	case OPT_STARTUP_WAIT: {
		char *end;
		double s = strtod(optarg, &end);
		if (end == optarg || *end || !(s >= 0 && s <= 600))
			return usage_error(c->cmd, "--startup-wait wants seconds from 0 to 600, not '%s'", optarg);
		c->trace.startup_ms = (unsigned)(s * 1000.0 + 0.5);
		c->trace.no_startup_wait = c->trace.startup_ms == 0;
		break;
	}
	case OPT_HTTP:
		if (!parse_http(optarg, &c->trace))
			return usage_error(c->cmd, "--http wants PORT or PORT/PATH (a port from 1 to 65535, a path "
					   "of printable characters), not '%s'", optarg);
		break;
	}
	return -1;
}

/* Returns -1 to go on, or an exit code. */
static int parse_option(struct cli *c, int opt)
{
	char err[512];

	switch (opt) {
	case 'f': c->format = optarg; break;
	case 'o': c->output = optarg; break;
	case 'p': c->policy_file = optarg; break;
	case 'a':
		if (policy_add_allow(&c->policy, optarg, "--allow", err, sizeof err) != 0)
			return usage_error(c->cmd, "--allow: %s", err);
		break;
	case OPT_NO_DOCS: c->no_docs = true; break;
	case OPT_DOCS:
		/* checked now: a trace should not run for a minute and then fail on a typo */
		if (access(optarg, R_OK) != 0)
			return usage_error(c->cmd, "--docs %s: no readable file or folder there", optarg);
		vec_push(&c->docs, optarg);
		break;
	case OPT_STRICT_DOCS: c->strict_docs = true; break;
	case OPT_INCLUDE_DEPS: c->scan.include_deps = true; break;
	case OPT_FAIL_ON: c->fail_on = optarg; break;
	case OPT_FAIL_ON_INCOMPLETE: c->fail_on_incomplete = 1; break;
	case OPT_NO_FAIL_ON_INCOMPLETE: c->fail_on_incomplete = 0; break;
	case 'j':
		if (!parse_count(optarg, 256, &c->scan.jobs))
			return usage_error(c->cmd, "--jobs wants a number from 1 to 256, not '%s'", optarg);
		break;
	case OPT_QUERIES: c->scan.queries_dir = optarg; break;
	case OPT_COLOR: c->color = optarg; break;
	case 'q': c->quiet = true; break;
	case 'v': c->verbose = c->scan.verbose = true; break;
	case OPT_ROOT: case 'e': case OPT_TIMEOUT: case OPT_QUIET_PERIOD: case OPT_NO_TLS_INTERCEPT:
	case OPT_CWD: case OPT_CALL_TIMEOUT: case OPT_NO_CALLS: case OPT_PCAP:
	case OPT_HTTP: case OPT_STARTUP_WAIT:
		return trace_option(c, opt);
	case OPT_STATIC_ONLY: c->static_only = true; break;
	case OPT_DISCOVER: c->discover = true; break;
	case OPT_OUTPUT_DIR: c->output_dir = optarg; break;
	case OPT_REVIEW_ON: c->review_on = optarg; break;
	case OPT_SARIF_ROOT: c->sarif_root = optarg; break;
	case 'h': help_command(stdout, c->cmd); return EXIT_CLEAN;
	}
	return -1;
}

static bool want_color(const char *when, const char *output)
{
	if (when && strcmp(when, "always") == 0)
		return true;
	if (when && strcmp(when, "never") == 0)
		return false;
	if (getenv("NO_COLOR") && *getenv("NO_COLOR"))
		return false;
	return !output && isatty(STDOUT_FILENO);
}

static void today(char buf[11])
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, 11, "%Y-%m-%d", &tm);
}

/* The root evidence paths are relative to: the single folder scanned, else "". */
static int collect_docs(struct cli *c, struct report *r)
{
	char err[PATH_MAX + 200];

	/* named on the command line: trusted even with --no-docs, and unreadable is an error */
	for (size_t i = 0; i < c->docs.len; i++)
		if (docs_collect_path(r, c->docs.items[i], err, sizeof err) != 0) {
			term_printf(stderr, "mcpaudit: %s\n", err);
			return -1;
		}
	if (!c->policy.use_docs)
		return 0;
	if (c->tracing)
		return docs_collect(r, c->trace.cwd ? c->trace.cwd : ".");
	for (size_t i = 0; i < c->scan.npaths; i++)
		if (docs_collect(r, c->scan.paths[i]) != 0)
			return -1;
	return 0;
}

static int write_report(struct cli *c, const struct report *r, enum report_format fmt)
{
	struct report_options ro = {0};
	FILE *out = stdout;
	int rc;

	ro.color = fmt == FMT_TEXT && want_color(c->color, c->output);
	ro.verbose = c->verbose;
	ro.quiet = c->quiet;
	ro.command = c->tracing ? "trace" : "scan";
	ro.fail_on = c->policy.fail_on;
	ro.sarif_root = c->sarif_root;
	if (c->output && !(out = fopen(c->output, "w"))) {
		term_printf(stderr, "mcpaudit: cannot write %s: %s\n", c->output, strerror(errno));
		return -1;
	}
	rc = report_write(out, r, fmt, &ro);
	if (fflush(out) != 0)
		rc = -1;
	if (out != stdout && fclose(out) != 0)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "mcpaudit: writing the report failed: %s\n", strerror(errno));
	return rc;
}

static int run_scan(struct cli *c, enum report_format fmt)
{
	struct report *r = report_new();
	char err[1024] = "";
	char day[11];
	struct timespec t0, t1;
	int code = EXIT_ERROR;

	if (!r)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	if (!c->tracing)
		for (size_t i = 0; i < c->scan.npaths; i++)
			vec_push(&r->targets, xstrdup(c->scan.paths[i]));
	if ((c->tracing ? dynamic_stage_run(&c->trace, r, err, sizeof err)
			: static_stage_run(&c->scan, r, err, sizeof err)) != 0) {
		term_printf(stderr, "mcpaudit: %s\n", err);
		r->execution_successful = false;
		r->error = xstrdup(err);
		if (fmt != FMT_TEXT)
			write_report(c, r, fmt);
		goto out;
	}
	if (collect_docs(c, r) != 0 || policy_add_documented(&c->policy, r) != 0)
		goto out;
	today(day);
	if (policy_apply(&c->policy, r, day) != 0)
		goto out;
	report_finish(r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	r->duration_seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	if (write_report(c, r, fmt) != 0)
		goto out;
	code = report_max_severity(r) >= (int)c->policy.fail_on || (c->fail_on_incomplete && r->incomplete.len)
		       ? EXIT_FINDINGS : EXIT_CLEAN;
out:
	report_free(r);
	return code;
}

static int run_audit(struct cli *c, enum report_format fmt, char *const *targets, size_t n)
{
	struct audit_cmd a = {0};

	a.audit.policy = &c->policy;
	a.audit.static_only = c->static_only;
	a.audit.include_deps = c->scan.include_deps;
	a.audit.jobs = c->scan.jobs;
	a.audit.timeout_s = c->trace.timeout_seconds;
	a.audit.quiet_s = c->trace.quiet_seconds;
	a.audit.docs = c->docs.items;
	a.audit.root = c->trace.root;
	a.audit.no_tls_intercept = c->trace.no_tls_intercept;
	a.audit.verbose = c->verbose;
	a.discover = c->discover;
	a.env = c->env.items;
	a.format = fmt;
	a.output = c->output;
	a.output_dir = c->output_dir;
	a.report.color = fmt == FMT_TEXT && want_color(c->color, c->output);
	a.report.verbose = c->verbose;
	a.report.quiet = c->quiet;
	a.report.command = "audit";
	a.report.fail_on = c->policy.fail_on;
	a.report.sarif_root = c->sarif_root;
	a.fail_on_incomplete = c->fail_on_incomplete != 0;
	return audit_cmd_run(&a, targets, n);
}

/* Policy file first, then the command line on top of it. */
static int settle_policy(struct cli *c)
{
	char err[1024];

	if (c->policy_file && policy_load_file(&c->policy, c->policy_file, err, sizeof err) != 0) {
		term_printf(stderr, "mcpaudit: %s\n", err);
		return EXIT_ERROR;
	}
	if (c->no_docs)
		c->policy.use_docs = false;
	if (c->strict_docs)
		c->policy.strict_docs = true;
	if (c->fail_on && !severity_parse(c->fail_on, &c->policy.fail_on))
		return usage_error(c->cmd, "--fail-on wants info, low, medium, high or critical, not '%s'",
				   c->fail_on);
	if (c->review_on && !severity_parse(c->review_on, &c->policy.review_on))
		return usage_error(c->cmd, "--review-on wants info, low, medium, high or critical, not '%s'",
				   c->review_on);
	return -1;
}

/* "unknown command 'scna'; did you mean 'scan'?" */
static int unknown_command(const char *word)
{
	const char *names[CLI_NCOMMANDS];
	const char *near;

	for (int i = 0; i < CLI_NCOMMANDS; i++)
		names[i] = cli_commands[i].name;
	near = cli_suggest(word, names, CLI_NCOMMANDS);
	if (word[0] == '-')
		term_printf(stderr, "mcpaudit: '%s' before any command; the command comes first\n", word);
	else if (near)
		term_printf(stderr, "mcpaudit: unknown command '%s'; did you mean '%s'?\n", word, near);
	else
		term_printf(stderr, "mcpaudit: unknown command '%s'\n", word);
	fprintf(stderr, "Try 'mcpaudit help'.\n");
	return EXIT_ERROR;
}

/* `mcpaudit help [COMMAND]`, `help --man`, `help --completion SHELL`. */
static int help_main(int argc, char **argv)
{
	struct cli_parser p;
	const struct cli_option *o;
	char err[512];
	int opt, cmd;

	cli_parser_init(&p, CLI_HELP);
	optind = 1;
	while ((opt = cli_next_option(&p, argc, argv, &o, err, sizeof err)) != -1) {
		if (opt == -2)
			return usage_error(CLI_HELP, "%s", err);
		if (opt == OPT_MAN)
			help_man_page(stdout);
		else if (opt == OPT_COMPLETION)
			completion_write(stdout, optarg);
		else
			help_command(stdout, CLI_HELP);
		return fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_ERROR;
	}
	if (optind >= argc) {
		help_general(stdout);
		return EXIT_CLEAN;
	}
	if (optind + 1 < argc)
		return usage_error(CLI_HELP, "help takes one COMMAND, not also '%s'", argv[optind + 1]);
	if ((cmd = cli_command_find(argv[optind])) < 0)
		return unknown_command(argv[optind]);
	help_command(stdout, (enum cli_command)cmd);
	return EXIT_CLEAN;
}

/* The options of argv (argv[0] names where they come from: the command, a configuration
 * file, "environment"), up to the first operand, which is argv[optind] after. Messages
 * name the source when it is not the command line. Returns -1 to go on, or an exit code. */
static int parse_options(struct cli *c, int argc, char **argv, bool command_line)
{
	struct cli_parser p;
	const struct cli_option *o;
	char err[512], msg[PATH_MAX + 600];
	int opt, rc;

	cli_parser_init(&p, c->cmd);
	optind = 0;   /* glibc: start over, also on another argv */
	while ((opt = cli_next_option(&p, argc, argv, &o, err, sizeof err)) != -1) {
		if (opt == -2 && command_line)
			return usage_error(c->cmd, "%s", err);
		if (opt == -2) {
			snprintf(msg, sizeof msg, "%s: %s", argv[0], err);
			return usage_error(c->cmd, "%s", msg);
		}
		if ((rc = parse_option(c, opt)) >= 0)
			return rc;
	}
	return -1;
}

/* Where the defaults come from, as the command line says (--config FILE, --no-config),
 * read with the same parser on a copy of argv (getopt reorders what it reads); errors are
 * left for the real parse. *first is the first operand, or NULL. */
static void config_choice(enum cli_command cmd, int argc, char **argv, const char **file, bool *none,
			  const char **first, const char **cwd)
{
	struct cli_parser p;
	const struct cli_option *o;
	char err[512], **copy = calloc((size_t)argc + 1, sizeof *copy);
	int opt;

	*first = NULL;
	if (!copy)
		return;
	memcpy(copy, argv, (size_t)argc * sizeof *copy);
	cli_parser_init(&p, cmd);
	optind = 0;
	while ((opt = cli_next_option(&p, argc, copy, &o, err, sizeof err)) != -1) {
		if (opt == OPT_CONFIG)
			*file = optarg;
		else if (opt == OPT_NO_CONFIG)
			*none = true;
		else if (opt == OPT_CWD)
			*cwd = optarg;
	}
	if (optind < argc)
		*first = copy[optind];
	free(copy);
}

/* The project's .mcpaudit.json (found, or named by --config or MCPAUDIT_CONFIG) and the
 * MCPAUDIT_* variables, read before the command line so that it overrides them. argv[0] is
 * the command's name. An audit never looks for the file from its targets: those are the
 * packages under review, whose own files must not decide their verdict. Returns -1 to go
 * on, or an exit code. */
static int load_defaults(struct cli *c, int argc, char **argv, struct config_words *file_words,
			 struct config_words *env_words)
{
	const char *file = getenv("MCPAUDIT_CONFIG"), *first = NULL, *cwd = NULL;
	const char *no = getenv("MCPAUDIT_NO_CONFIG");
	bool none = no && *no && strcmp(no, "0") != 0;
	char found[PATH_MAX], err[PATH_MAX + 600];
	int rc;

	if (file && !*file)
		file = NULL;
	config_choice(c->cmd, argc, argv, &file, &none, &first, &cwd);
	if (!none && !file) {
		const char *starts[2] = {".", c->cmd == CLI_TRACE ? cwd : c->cmd == CLI_SCAN ? first : NULL};
		if ((rc = config_find(starts, 2, found, sizeof found)) < 0)
			return usage_error(c->cmd, "%s", "a folder's name is too long to look for " CONFIG_NAME);
		file = rc == 1 ? found : NULL;
	}
	if (file && !none) {
		snprintf(c->config_path, sizeof c->config_path, "%s", file);
		file_words->label = c->config_path;
		if (config_load(file, c->cmd, &c->policy, file_words, err, sizeof err) != 0) {
			term_printf(stderr, "mcpaudit: %s\n", err);
			return EXIT_ERROR;
		}
		if (file_words->argv.len && (rc = parse_options(c, (int)file_words->argv.len, file_words->argv.items, false)) >= 0)
			return rc;
	}
	env_words->label = "environment";
	if (config_from_env(c->cmd, env_words, err, sizeof err) != 0)
		return usage_error(c->cmd, "%s", err);
	if (env_words->argv.len && (rc = parse_options(c, (int)env_words->argv.len, env_words->argv.items, false)) >= 0)
		return rc;
	return -1;
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	struct config_words file_words = {0}, env_words = {0};
	enum report_format fmt;
	int rc, cmd;

	policy_init(&c.policy);
	if (argc < 2) {
		/* a bare command is a question: the answer, but to stderr and as an error, since
		 * nothing was checked */
		help_general(stderr);
		rc = EXIT_ERROR;
		goto out;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		help_general(stdout);
		rc = EXIT_CLEAN;
		goto out;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("%s %s\n", MCPAUDIT_NAME, MCPAUDIT_VERSION);
		rc = EXIT_CLEAN;
		goto out;
	}
	if ((cmd = cli_command_find(argv[1])) < 0) {
		rc = unknown_command(argv[1]);
		goto out;
	}
	if (cmd == CLI_BATCH || cmd == CLI_HELP || cmd == CLI_BASELINE) {
		rc = cmd == CLI_BATCH ? batch_main(argc - 1, argv + 1) :
		     cmd == CLI_HELP ? help_main(argc - 1, argv + 1) : baseline_main(argc - 1, argv + 1);
		goto out;
	}
	c.cmd = (enum cli_command)cmd;
	c.tracing = c.cmd == CLI_TRACE;
	c.auditing = c.cmd == CLI_AUDIT;
	/* A trace or audit that left tools uncalled or replies unread is not a pass (exit 0
	 * says "nothing at or above the threshold", which nobody can say of what was never
	 * run). A scan's incomplete entries are mostly caps and skipped files: opt in. */
	c.fail_on_incomplete = c.tracing || c.auditing ? 1 : 0;
	if ((rc = load_defaults(&c, argc - 1, argv + 1, &file_words, &env_words)) >= 0 ||
	    (rc = parse_options(&c, argc - 1, argv + 1, true)) >= 0)
		goto out;
	optind++;   /* parse_options read from argv + 1 */
	if (c.verbose && file_words.label)
		term_printf(stderr, "mcpaudit: configuration from %s\n", file_words.label);
	if (optind >= argc && !c.discover) {
		rc = usage_error(c.cmd, "%s", c.tracing ? "trace needs the server's command after --" :
				       c.auditing ? "audit needs at least one TARGET" : "scan needs at least one PATH");
		goto out;
	}
	if (c.tracing) {
		if (vec_push(&c.env, NULL) != 0) {
			rc = EXIT_ERROR;
			goto out;
		}
		c.trace.argv = (const char *const *)&argv[optind];
		c.trace.env = c.env.items;
		c.trace.verbose = c.verbose;
	}
	/* a status line only for a person at a terminal: never in a pipe, a file or a CI log */
	c.scan.progress = c.trace.progress = progress_wanted(c.quiet, c.verbose);
	c.scan.paths = (const char *const *)&argv[optind];
	c.scan.npaths = (size_t)(argc - optind);
	if (!report_format_parse(c.format ? c.format : "text", &fmt)) {
		rc = usage_error(c.cmd, "unknown --format '%s'", c.format);
		goto out;
	}
	if ((rc = settle_policy(&c)) >= 0)
		goto out;
	if (c.auditing) {
		if (vec_push(&c.env, NULL) != 0 || vec_push(&c.docs, NULL) != 0) {
			rc = EXIT_ERROR;
			goto out;
		}
		c.docs.len--;  /* collect_docs counts them; the audit reads the NULL-terminated list */
		rc = run_audit(&c, fmt, &argv[optind], (size_t)(argc - optind));
		goto out;
	}
	rc = run_scan(&c, fmt);
out:
	config_words_free(&file_words);
	config_words_free(&env_words);
	vec_free(&c.env);
	vec_free(&c.docs);
	policy_free(&c.policy);
	return rc;
}
