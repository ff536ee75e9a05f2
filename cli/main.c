/* mcpaudit's command-line front: parse options, run a stage, write the report, map to an exit code. */
#include <errno.h>
#include <getopt.h>
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
#include "cli/batch.h"
#include "tracer/dynamic_stage.h"
#include "core/docs.h"
#include "core/policy.h"
#include "core/report.h"
#include "core/report_format.h"
#include "core/strbuf.h"
#include "core/version.h"
#include "core/term.h"

/* Documented exit codes. */
enum exit_code { EXIT_CLEAN = 0, EXIT_FINDINGS = 1, EXIT_ERROR = 2 };

static const char usage_text[] =
	"Usage: mcpaudit scan [options] PATH...\n"
	"       mcpaudit trace [options] -- COMMAND [ARGS...]\n"
	"       mcpaudit audit [options] TARGET...\n"
	"       mcpaudit batch LIST --out DIR [options]   (see docs/batch.md)\n"
	"       mcpaudit --help | --version\n"
	"\n"
	"Audit an MCP server's source (JavaScript, TypeScript, Python) for outbound network\n"
	"destinations and flag those its documentation does not name.\n"
	"\n"
	"Commands:\n"
	"  scan PATH...            static stage: a server's folder(s) or single files\n"
	"  trace -- COMMAND        dynamic stage: run a stdio MCP server in a network sandbox\n"
	"                          (its own namespaces, fake DNS, sinkholes), drive it over MCP\n"
	"                          and report every destination it tried, with the phase\n"
	"  audit TARGET...         pre-install audit: both stages, the package's metadata and\n"
	"                          install scripts, one endpoint list and a verdict (pass, review,\n"
	"                          fail). TARGET: a folder, an archive (.tgz, .zip, .whl),\n"
	"                          npm:NAME[@VERSION], pypi:NAME[==VERSION], or an MCP client\n"
	"                          configuration (each configured server is audited)\n"
	"  batch LIST --out DIR    audit every target listed in LIST (one per line), resumably\n"
	"\n"
	"Options:\n"
	"  -f, --format FMT        text (default), json, sarif, markdown or html\n"
	"  -o, --output FILE       write the report to FILE instead of standard output\n"
	"  -a, --allow PATTERN     an allowed destination (repeatable): api.example.com,\n"
	"                          *.example.com, 203.0.113.0/24, [2001:db8::]/32, each with an\n"
	"                          optional :port\n"
	"  -p, --policy FILE       JSON policy: allow/deny patterns, suppressions, fail_on,\n"
	"                          strict_docs, use_docs (see docs/policy.md)\n"
	"      --no-docs           do not take documented hosts from README*, docs/**, server.json\n"
	"                          and the package homepage (trust only --allow and the policy)\n"
	"      --docs PATH         also take documented hosts from PATH, a documentation folder\n"
	"                          (read recursively) or file (repeatable; kept with --no-docs)\n"
	"      --strict-docs       a documented host covers only itself, not its whole site\n"
	"      --include-deps      also scan node_modules, vendored site-packages and virtualenvs\n"
	"                          (skipped by default, and the report says how many)\n"
	"      --fail-on SEV       info, low, medium, high (default) or critical: exit 1 when a\n"
	"                          finding is at or above it (audit: the verdict is fail)\n"
	"      --review-on SEV     audit: below --fail-on, at or above this the verdict is review\n"
	"                          (default medium)\n"
	"      --fail-on-incomplete, --no-fail-on-incomplete\n"
	"                          exit 1 when the report lists anything incomplete (a tool never\n"
	"                          called, a reply not read, a cap hit): on for trace and audit,\n"
	"                          off for scan\n"
	"      --static-only       audit: do not install or run anything, read the code only\n"
	"      --discover          audit: also every server configured in the MCP clients found\n"
	"                          under $HOME, $XDG_CONFIG_HOME and the working folder\n"
	"      --output-dir DIR    audit: write report.txt, .json, .sarif, .md and .html into DIR\n"
	"                          (one folder per target when there are several)\n"
	"  -j, --jobs N            worker threads (default: number of cores)\n"
	"      --cwd DIR           trace: the server's folder (default: the current one)\n"
	"      --root DIR          trace, audit: the folder the sandbox shows, writable (default:\n"
	"                          the server's; a folder above it when it reads its siblings)\n"
	"  -e, --env NAME=VALUE    trace, audit: an environment variable for the server\n"
	"                          (repeatable)\n"
	"      --quiet-period S    trace, audit: seconds to wait after the last call (default 5)\n"
	"      --startup-wait S    trace: seconds the server runs alone before initialize, so its\n"
	"                          own start-up traffic shows as such (default 1; 0: none)\n"
	"      --timeout S         trace, audit: the whole run (default 120)\n"
	"      --call-timeout S    trace: each MCP request (default 10)\n"
	"      --no-calls          trace: start, list, stop (no tools/call)\n"
	"      --pcap FILE         trace: keep the raw capture in FILE (for Wireshark)\n"
	"      --http PORT[/PATH]  trace: the server speaks MCP streamable HTTP on PORT of its own\n"
	"                          loopback (path default /mcp) instead of stdio\n"
	"      --queries DIR       load tree-sitter queries from DIR (rule development)\n"
	"      --color WHEN        auto (default), always or never; NO_COLOR turns auto off\n"
	"  -q, --quiet             text report: only findings at or above the threshold\n"
	"  -v, --verbose           text report: every call site and info finding; progress\n"
	"  -V, --version           print the version\n"
	"  -h, --help              this text\n"
	"\n"
	"Rules (severity):\n"
	"%s"
	"\n"
	"Exit codes:\n"
	"  0  nothing at or above the failure threshold and, with --fail-on-incomplete, nothing\n"
	"     incomplete (audit: verdict pass, or review with nothing incomplete)\n"
	"  1  findings at or above the threshold (audit: verdict fail), or, with\n"
	"     --fail-on-incomplete, anything incomplete: not a pass\n"
	"  2  usage or runtime error (nothing was checked, or the report could not be written)\n";

static void print_usage(FILE *out)
{
	char rules_text[4096];
	size_t n = 0;

	rules_text[0] = '\0';
	for (const struct rule *r = rules; r->id && n < sizeof rules_text; r++)
		n += (size_t)snprintf(rules_text + n, sizeof rules_text - n, "  %-24s %-8s %s\n",
				      r->id, severity_name(r->severity), r->title);
	fprintf(out, usage_text, rules_text);
}

struct cli {
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
	int fail_on_incomplete;       /* 1 on, 0 off, -1 the command's default */
	struct policy policy;
};

enum long_only { OPT_NO_DOCS = 256, OPT_STRICT_DOCS, OPT_INCLUDE_DEPS, OPT_FAIL_ON, OPT_QUERIES,
		 OPT_COLOR, OPT_CWD, OPT_ROOT, OPT_QUIET_PERIOD, OPT_TIMEOUT, OPT_CALL_TIMEOUT, OPT_NO_CALLS, OPT_PCAP,
		 OPT_HTTP, OPT_STARTUP_WAIT, OPT_DOCS, OPT_STATIC_ONLY, OPT_OUTPUT_DIR, OPT_REVIEW_ON,
		 OPT_FAIL_ON_INCOMPLETE, OPT_NO_FAIL_ON_INCOMPLETE, OPT_DISCOVER };

static const struct option long_options[] = {
	{"format", required_argument, NULL, 'f'},
	{"output", required_argument, NULL, 'o'},
	{"allow", required_argument, NULL, 'a'},
	{"policy", required_argument, NULL, 'p'},
	{"no-docs", no_argument, NULL, OPT_NO_DOCS},
	{"docs", required_argument, NULL, OPT_DOCS},
	{"strict-docs", no_argument, NULL, OPT_STRICT_DOCS},
	{"include-deps", no_argument, NULL, OPT_INCLUDE_DEPS},
	{"fail-on", required_argument, NULL, OPT_FAIL_ON},
	{"jobs", required_argument, NULL, 'j'},
	{"queries", required_argument, NULL, OPT_QUERIES},
	{"color", required_argument, NULL, OPT_COLOR},
	{"cwd", required_argument, NULL, OPT_CWD},
	{"root", required_argument, NULL, OPT_ROOT},
	{"env", required_argument, NULL, 'e'},
	{"quiet-period", required_argument, NULL, OPT_QUIET_PERIOD},
	{"timeout", required_argument, NULL, OPT_TIMEOUT},
	{"call-timeout", required_argument, NULL, OPT_CALL_TIMEOUT},
	{"no-calls", no_argument, NULL, OPT_NO_CALLS},
	{"pcap", required_argument, NULL, OPT_PCAP},
	{"http", required_argument, NULL, OPT_HTTP},
	{"startup-wait", required_argument, NULL, OPT_STARTUP_WAIT},
	{"static-only", no_argument, NULL, OPT_STATIC_ONLY},
	{"discover", no_argument, NULL, OPT_DISCOVER},
	{"output-dir", required_argument, NULL, OPT_OUTPUT_DIR},
	{"review-on", required_argument, NULL, OPT_REVIEW_ON},
	{"fail-on-incomplete", no_argument, NULL, OPT_FAIL_ON_INCOMPLETE},
	{"no-fail-on-incomplete", no_argument, NULL, OPT_NO_FAIL_ON_INCOMPLETE},
	{"quiet", no_argument, NULL, 'q'},
	{"verbose", no_argument, NULL, 'v'},
	{"version", no_argument, NULL, 'V'},
	{"help", no_argument, NULL, 'h'},
	{NULL, 0, NULL, 0},
};

static int usage_error(const char *fmt, const char *arg) __attribute__((format(printf, 1, 0)));

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "mcpaudit: ");
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	term_printf(stderr, fmt, arg);
#pragma GCC diagnostic pop
	fprintf(stderr, "\nTry 'mcpaudit --help'.\n");
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
			return usage_error("--env wants NAME=VALUE, not '%s'", optarg);
		vec_push(&c->env, optarg);
		break;
	case OPT_QUIET_PERIOD:
		if (!parse_count(optarg, 3600, &c->trace.quiet_seconds))
			return usage_error("--quiet-period wants seconds from 1 to 3600, not '%s'", optarg);
		break;
	case OPT_TIMEOUT:
		if (!parse_count(optarg, 86400, &c->trace.timeout_seconds))
			return usage_error("--timeout wants seconds from 1 to 86400, not '%s'", optarg);
		break;
	case OPT_CALL_TIMEOUT:
		if (!parse_count(optarg, 3600, &c->trace.call_timeout_seconds))
			return usage_error("--call-timeout wants seconds from 1 to 3600, not '%s'", optarg);
		break;
	case OPT_NO_CALLS: c->trace.no_calls = true; break;
	case OPT_PCAP: c->trace.pcap_file = optarg; break;
	case OPT_STARTUP_WAIT: {
		char *end;
		double s = strtod(optarg, &end);
		if (end == optarg || *end || !(s >= 0 && s <= 600))
			return usage_error("--startup-wait wants seconds from 0 to 600, not '%s'", optarg);
		c->trace.startup_ms = (unsigned)(s * 1000.0 + 0.5);
		c->trace.no_startup_wait = c->trace.startup_ms == 0;
		break;
	}
	case OPT_HTTP:
		if (!parse_http(optarg, &c->trace))
			return usage_error("--http wants PORT or PORT/PATH (a port from 1 to 65535, a path "
					   "of printable characters), not '%s'", optarg);
		break;
	}
	return -1;
}

/* Returns -1 to go on, or an exit code. */
static int parse_option(struct cli *c, int opt, char **allow_err)
{
	char err[512];

	switch (opt) {
	case 'f': c->format = optarg; break;
	case 'o': c->output = optarg; break;
	case 'p': c->policy_file = optarg; break;
	case 'a':
		if (policy_add_allow(&c->policy, optarg, "--allow", err, sizeof err) != 0)
			return usage_error("--allow: %s", err);
		break;
	case OPT_NO_DOCS: c->no_docs = true; break;
	case OPT_DOCS:
		/* checked now: a trace should not run for a minute and then fail on a typo */
		if (access(optarg, R_OK) != 0)
			return usage_error("--docs %s: no readable file or folder there", optarg);
		vec_push(&c->docs, optarg);
		break;
	case OPT_STRICT_DOCS: c->strict_docs = true; break;
	case OPT_INCLUDE_DEPS: c->scan.include_deps = true; break;
	case OPT_FAIL_ON: c->fail_on = optarg; break;
	case OPT_FAIL_ON_INCOMPLETE: c->fail_on_incomplete = 1; break;
	case OPT_NO_FAIL_ON_INCOMPLETE: c->fail_on_incomplete = 0; break;
	case 'j':
		if (!parse_count(optarg, 256, &c->scan.jobs))
			return usage_error("--jobs wants a number from 1 to 256, not '%s'", optarg);
		break;
	case OPT_QUERIES: c->scan.queries_dir = optarg; break;
	case OPT_COLOR: c->color = optarg; break;
	case 'q': c->quiet = true; break;
	case 'v': c->verbose = c->scan.verbose = true; break;
	case OPT_ROOT: case 'e': case OPT_TIMEOUT: case OPT_QUIET_PERIOD:
		if (!c->tracing && !c->auditing)
			return usage_error("%s", "that option is for 'trace' and 'audit'");
		return trace_option(c, opt);
	case OPT_CWD: case OPT_CALL_TIMEOUT: case OPT_NO_CALLS: case OPT_PCAP:
	case OPT_HTTP: case OPT_STARTUP_WAIT:
		if (!c->tracing)
			return usage_error("%s", "that option is for 'trace'");
		return trace_option(c, opt);
	case OPT_STATIC_ONLY: case OPT_OUTPUT_DIR: case OPT_REVIEW_ON: case OPT_DISCOVER:
		if (!c->auditing)
			return usage_error("%s", "that option is for 'audit'");
		if (opt == OPT_STATIC_ONLY)
			c->static_only = true;
		else if (opt == OPT_DISCOVER)
			c->discover = true;
		else if (opt == OPT_OUTPUT_DIR)
			c->output_dir = optarg;
		else
			c->review_on = optarg;
		break;
	case 'V': printf("%s %s\n", MCPAUDIT_NAME, MCPAUDIT_VERSION); return EXIT_CLEAN;
	case 'h': print_usage(stdout); return EXIT_CLEAN;
	default: (void)allow_err; return usage_error("%s", "unknown option");
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
		return usage_error("--fail-on wants info, low, medium, high or critical, not '%s'",
				   c->fail_on);
	if (c->review_on && !severity_parse(c->review_on, &c->policy.review_on))
		return usage_error("--review-on wants info, low, medium, high or critical, not '%s'",
				   c->review_on);
	return -1;
}

int main(int argc, char **argv)
{
	struct cli c = {0};
	enum report_format fmt;
	int opt, rc;

	policy_init(&c.policy);
	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		print_usage(stdout);
		rc = EXIT_CLEAN;
		goto out;
	}
	if (argc >= 2 && (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)) {
		printf("%s %s\n", MCPAUDIT_NAME, MCPAUDIT_VERSION);
		rc = EXIT_CLEAN;
		goto out;
	}
	if (argc >= 2 && strcmp(argv[1], "batch") == 0) {
		rc = batch_main(argc - 1, argv + 1);
		goto out;
	}
	if (argc < 2 || (strcmp(argv[1], "scan") != 0 && strcmp(argv[1], "trace") != 0 &&
			 strcmp(argv[1], "audit") != 0)) {
		rc = usage_error("unknown command '%s' (try 'scan', 'trace', 'audit' or 'batch')",
				 argc < 2 ? "" : argv[1]);
		goto out;
	}
	c.tracing = strcmp(argv[1], "trace") == 0;
	c.auditing = strcmp(argv[1], "audit") == 0;
	/* A trace or audit that left tools uncalled or replies unread is not a pass (exit 0
	 * says "nothing at or above the threshold", which nobody can say of what was never
	 * run). A scan's incomplete entries are mostly caps and skipped files: opt in. */
	c.fail_on_incomplete = c.tracing || c.auditing ? 1 : 0;
	optind = 2;
	while ((opt = getopt_long(argc, argv, "f:o:a:p:j:e:qvVh", long_options, NULL)) != -1) {
		if ((rc = parse_option(&c, opt, NULL)) >= 0)
			goto out;
	}
	if (optind >= argc && !c.discover) {
		rc = usage_error("%s", c.tracing ? "trace needs the server's command after --" :
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
	c.scan.paths = (const char *const *)&argv[optind];
	c.scan.npaths = (size_t)(argc - optind);
	if (!report_format_parse(c.format ? c.format : "text", &fmt)) {
		rc = usage_error("unknown --format '%s' (text, json, sarif, markdown, html)", c.format);
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
	vec_free(&c.env);
	vec_free(&c.docs);
	policy_free(&c.policy);
	return rc;
}
