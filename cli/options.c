/* options: the table of commands and options, and the parser every command uses on it. */
#include "cli/options.h"

#include <stdio.h>
#include <string.h>

#include "cli/completion.h"
#include "core/report_format.h"
#include "core/rules.h"

#define S CLI_BIT(CLI_SCAN)
#define T CLI_BIT(CLI_TRACE)
#define A CLI_BIT(CLI_AUDIT)
#define B CLI_BIT(CLI_BATCH)
#define ALL_COMMANDS ((1u << CLI_NCOMMANDS) - 1)

const struct cli_command_info cli_commands[CLI_NCOMMANDS] = {
	[CLI_SCAN] = {"scan", "[options] PATH...",
		      "static stage: read a server's source for network destinations",
		      "Read an MCP server's source (JavaScript, TypeScript, Python) in the folders or "
		      "files given, find every outbound network destination it can reach, and flag those "
		      "its documentation does not name. Nothing of the server runs."},
	[CLI_TRACE] = {"trace", "[options] -- COMMAND [ARGS...]",
		       "dynamic stage: run a server in a network sandbox and drive it",
		       "Run a stdio MCP server in a network sandbox (its own namespaces, fake DNS, "
		       "sinkholes), drive it over MCP (initialize, list, call every tool) and report "
		       "every destination it tried, with the phase it tried it in."},
	[CLI_AUDIT] = {"audit", "[options] TARGET...",
		       "pre-install audit: both stages, metadata, a verdict",
		       "Audit a server before installing it: both stages, the package's metadata and "
		       "install scripts, one endpoint list and a verdict (pass, review, fail). TARGET is "
		       "a folder, an archive (.tgz, .zip, .whl), npm:NAME[@VERSION], pypi:NAME[==VERSION], "
		       "or an MCP client configuration (each configured server is audited)."},
	[CLI_BATCH] = {"batch", "LIST --out DIR [options] [audit options]",
		       "audit every target of a list, resumably",
		       "Audit every target in LIST, each in its own 'mcpaudit audit' process. LIST has one "
		       "target a line; '#' comments and blank lines are skipped, repeats are audited once, "
		       "'-' reads standard input. Reports go to DIR/reports/SLUG/, one JSON line per target "
		       "to DIR/summary.jsonl. Run the same command again to resume: targets with a verdict "
		       "are skipped, the ones that could not be audited are tried again (docs/batch.md)."},
	[CLI_BASELINE] = {"baseline", "[options] REPORT.json",
			  "write a policy that accepts every finding of a report",
			  "Read a JSON report (of scan, trace or audit; '-' reads standard input) and write a "
			  "policy whose \"suppress\" list accepts each of its findings: one with a file by its "
			  "file and fingerprint, one without (what a run saw) by its rule, host and phase. A "
			  "finding that has neither cannot be named and is listed on standard error. Save it "
			  "as .mcpaudit.json, or merge it into yours, so that only new findings fail."},
	[CLI_HELP] = {"help", "[COMMAND]",
		      "this text, or a command's own help",
		      "Print the usage of mcpaudit, or of one command with only its options; or the "
		      "man page, or a shell's completion script."},
};

static const char *color_at(size_t i)
{
	static const char *const names[] = {"auto", "always", "never"};

	return i < sizeof names / sizeof names[0] ? names[i] : NULL;
}

static const char *severity_at(size_t i)
{
	return i <= SEV_CRITICAL ? severity_name((enum severity)i) : NULL;
}

const struct cli_option cli_options[] = {
	{"format", 'f', 'f', "FMT", CLI_REPORTING, report_format_name_at, false,
	 "the report's format: text (default), json, sarif, markdown or html"},
	{"output", 'o', 'o', "FILE", CLI_REPORTING, NULL, true,
	 "write the report to FILE instead of standard output"},
	{"sarif-root", 0, OPT_SARIF_ROOT, "DIR", CLI_REPORTING | B, NULL, true,
	 "SARIF uris are relative to DIR (default: the root of the git repository holding the "
	 "target, found from its .git; else the target)"},
	{"out", 'o', 'o', "DIR", B, NULL, true, "the output folder (created when missing)"},
	{"output", 'o', 'o', "FILE", CLI_BIT(CLI_BASELINE), NULL, true,
	 "write the policy to FILE instead of standard output"},
	{"reason", 0, OPT_REASON, "TEXT", CLI_BIT(CLI_BASELINE), NULL, false,
	 "the reason every entry gives (default: \"baseline of REPORT on DATE\"; a finding the report "
	 "already shows as suppressed keeps its reason)"},
	{"expires", 0, OPT_EXPIRES, "DATE", CLI_BIT(CLI_BASELINE), NULL, false,
	 "YYYY-MM-DD: after this day the entries no longer suppress, and the findings come back"},
	{"allow", 'a', 'a', "PATTERN", S | T | A | B, NULL, false,
	 "an allowed destination (repeatable): api.example.com, *.example.com, 203.0.113.0/24, "
	 "[2001:db8::]/32, each with an optional :port"},
	{"policy", 'p', 'p', "FILE", S | T | A | B, NULL, true,
	 "JSON policy: allow/deny patterns, suppressions, fail_on, strict_docs, use_docs "
	 "(see docs/policy.md)"},
	{"no-docs", 0, OPT_NO_DOCS, NULL, S | T | A | B, NULL, false,
	 "do not take documented hosts from README*, docs/**, server.json and the package "
	 "homepage (trust only --allow and the policy)"},
	{"docs", 0, OPT_DOCS, "PATH", S | T | A | B, NULL, true,
	 "also take documented hosts from PATH, a documentation folder (read recursively) or "
	 "file (repeatable; kept with --no-docs)"},
	{"strict-docs", 0, OPT_STRICT_DOCS, NULL, S | T | A | B, NULL, false,
	 "a documented host covers only itself, not its whole site"},
	{"include-deps", 0, OPT_INCLUDE_DEPS, NULL, S | A | B, NULL, false,
	 "also scan node_modules, vendored site-packages and virtualenvs (skipped by default, "
	 "and the report says how many)"},
	{"fail-on", 0, OPT_FAIL_ON, "SEV", S | T | A | B, severity_at, false,
	 "info, low, medium, high (default) or critical: exit 1 when a finding is at or above "
	 "it (audit: the verdict is fail)"},
	{"review-on", 0, OPT_REVIEW_ON, "SEV", A | B, severity_at, false,
	 "below --fail-on, at or above this the verdict is review (default medium)"},
	{"fail-on-incomplete", 0, OPT_FAIL_ON_INCOMPLETE, NULL, CLI_REPORTING, NULL, false,
	 "exit 1 when the report lists anything incomplete (a tool never called, a reply not "
	 "read, a cap hit): the default of trace and audit"},
	{"no-fail-on-incomplete", 0, OPT_NO_FAIL_ON_INCOMPLETE, NULL, CLI_REPORTING, NULL, false,
	 "do not exit 1 for what is incomplete alone: the default of scan"},
	{"static-only", 0, OPT_STATIC_ONLY, NULL, A | B, NULL, false,
	 "do not install or run anything, read the code only"},
	{"discover", 0, OPT_DISCOVER, NULL, A, NULL, false,
	 "also audit every server configured in the MCP clients found under $HOME, "
	 "$XDG_CONFIG_HOME and the working folder (Claude Desktop and Code, Cursor, VS Code, Cline, "
	 "Windsurf, Zed, Continue); no TARGET is needed then"},
	{"output-dir", 0, OPT_OUTPUT_DIR, "DIR", A, NULL, true,
	 "write report.txt, .json, .sarif, .md and .html into DIR (one folder per target when "
	 "there are several)"},
	{"jobs", 'j', 'j', "N", S | A, NULL, false, "worker threads (default: number of cores)"},
	{"jobs", 'j', 'j', "N", B, NULL, false,
	 "audits at once (default 1: one audit already keeps the cores busy)"},
	{"shard", 0, OPT_SHARD, "I/N", B, NULL, false,
	 "only the targets whose position in LIST (from 0, repeats left out) modulo N is I; "
	 "'--shard N' takes I from JOB_COMPLETION_INDEX"},
	{"target-timeout", 0, OPT_TARGET_TIMEOUT, "S", B, NULL, false,
	 "stop an audit after S seconds (default 900)"},
	{"cwd", 0, OPT_CWD, "DIR", T, NULL, true, "the server's folder (default: the current one)"},
	{"root", 0, OPT_ROOT, "DIR", T | A | B, NULL, true,
	 "the folder the sandbox shows, writable (default: the server's; a folder above it when "
	 "it reads its siblings)"},
	{"env", 'e', 'e', "NAME=VALUE", T | A | B, NULL, false,
	 "an environment variable for the server (repeatable)"},
	{"quiet-period", 0, OPT_QUIET_PERIOD, "S", T | A | B, NULL, false,
	 "seconds to wait after the last call (default 5)"},
	{"startup-wait", 0, OPT_STARTUP_WAIT, "S", T, NULL, false,
	 "seconds the server runs alone before initialize, so its own start-up traffic shows as "
	 "such (default 1; 0: none)"},
	{"timeout", 0, OPT_TIMEOUT, "S", T | A | B, NULL, false, "the whole run (default 120)"},
	{"call-timeout", 0, OPT_CALL_TIMEOUT, "S", T, NULL, false, "each MCP request (default 10)"},
	{"no-calls", 0, OPT_NO_CALLS, NULL, T, NULL, false, "start, list, stop (no tools/call)"},
	{"no-tls-intercept", 0, OPT_NO_TLS_INTERCEPT, NULL, T | A | B, NULL, false,
	 "leave the server's TLS closed (by default it is terminated with a per-run CA the sandbox "
	 "trusts, so HTTPS requests are read); only the SNI is seen then"},
	{"pcap", 0, OPT_PCAP, "FILE", T, NULL, true, "keep the raw capture in FILE (for Wireshark)"},
	{"http", 0, OPT_HTTP, "PORT[/PATH]", T, NULL, false,
	 "the server speaks MCP streamable HTTP on PORT of its own loopback (path default /mcp) "
	 "instead of stdio"},
	{"queries", 0, OPT_QUERIES, "DIR", S, NULL, true,
	 "load tree-sitter queries from DIR (rule development)"},
	{"color", 0, OPT_COLOR, "WHEN", CLI_REPORTING, color_at, false,
	 "auto (default), always or never; NO_COLOR turns auto off"},
	{"config", 0, OPT_CONFIG, "FILE", S | T | A | B, NULL, true,
	 "take the policy and default options from FILE (JSONC, as .mcpaudit.json) instead of the "
	 ".mcpaudit.json found walking up from the working folder (scan, trace: then from the target)"},
	{"no-config", 0, OPT_NO_CONFIG, NULL, S | T | A | B, NULL, false,
	 "read no .mcpaudit.json (MCPAUDIT_* variables still apply)"},
	{"quiet", 'q', 'q', NULL, CLI_REPORTING, NULL, false,
	 "text report: only findings at or above the threshold"},
	{"verbose", 'v', 'v', NULL, CLI_REPORTING, NULL, false,
	 "text report: every call site and info finding; progress"},
	{"man", 0, OPT_MAN, NULL, CLI_BIT(CLI_HELP), NULL, false,
	 "write the man page, mcpaudit(1), in roff"},
	{"completion", 0, OPT_COMPLETION, "SHELL", CLI_BIT(CLI_HELP), completion_shell_at, false,
	 "write the completion script for SHELL: bash, zsh or fish"},
	{"help", 'h', 'h', NULL, ALL_COMMANDS, NULL, false, "this text"},
	{NULL, 0, 0, NULL, 0, NULL, false, NULL},
};

int cli_command_find(const char *name)
{
	for (int i = 0; i < CLI_NCOMMANDS; i++)
		if (strcmp(cli_commands[i].name, name) == 0)
			return i;
	return -1;
}

const struct cli_option *cli_option_by_id(enum cli_command cmd, int id)
{
	for (const struct cli_option *o = cli_options; o->name; o++)
		if (o->id == id && (o->commands & CLI_BIT(cmd)))
			return o;
	return NULL;
}

/* Edit distance counting a swap of two neighbours as one edit (optimal string alignment:
 * "scna" is one edit from "scan"), for words up to 64 bytes; longer ones are never a typo
 * of ours and get SIZE_MAX. */
static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	size_t rows[3][65], *older = rows[0], *prev = rows[1], *cur = rows[2];

	if (la > 64 || lb > 64)
		return (size_t)-1;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *t;
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t best = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && older[j - 2] + 1 < best)
				best = older[j - 2] + 1;
			cur[j] = best;
		}
		t = older;
		older = prev;
		prev = cur;
		cur = t;
	}
	return prev[lb];
}

const char *cli_suggest(const char *word, const char *const *candidates, size_t n)
{
	/* a third of the word may be wrong, at least one letter, at most three */
	size_t allowed = strlen(word) / 3, best = (size_t)-1;
	const char *found = NULL;

	if (allowed < 1)
		allowed = 1;
	if (allowed > 3)
		allowed = 3;
	for (size_t i = 0; i < n; i++) {
		size_t d = edit_distance(word, candidates[i]);
		if (d <= allowed && d < best) {
			best = d;
			found = candidates[i];
		}
	}
	return found;
}

void cli_parser_init(struct cli_parser *p, enum cli_command cmd)
{
	size_t nl = 0, ns = 0;

	memset(p, 0, sizeof *p);
	p->cmd = cmd;
	/* ':' first: a missing argument returns ':', told apart from an unknown option */
	p->shortopts[ns++] = ':';
	for (const struct cli_option *o = cli_options; o->name; o++) {
		if (!(o->commands & CLI_BIT(cmd)))
			continue;
		if (nl + 1 < sizeof p->longopts / sizeof p->longopts[0])
			p->longopts[nl++] = (struct option){o->name, o->arg ? required_argument : no_argument,
							    NULL, o->id};
		if (o->short_name && ns + 3 < sizeof p->shortopts) {
			p->shortopts[ns++] = (char)o->short_name;
			if (o->arg)
				p->shortopts[ns++] = ':';
		}
	}
}

const char *cli_values_text(cli_value_at values, char *buf, size_t len)
{
	size_t n = 0, count = 0;

	while (values(count))
		count++;
	buf[0] = '\0';
	for (size_t i = 0; i < count && n < len; i++)
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i == 0 ? "" : i + 1 == count ? " or " : ", ",
				      values(i));
	return buf;
}

/* The long option's name as written: "--name" or "--name=value" without "--" and "=value". */
static void option_word(const char *arg, char *buf, size_t len)
{
	size_t n;

	arg += strspn(arg, "-");
	n = strcspn(arg, "=");
	if (n >= len)
		n = len - 1;
	memcpy(buf, arg, n);
	buf[n] = '\0';
}

/* The commands that take an option named word, as "'trace' and 'audit'", into buf; "" when none. */
static void owners(const char *word, char *buf, size_t len)
{
	unsigned bits = 0;
	size_t n = 0;

	for (const struct cli_option *o = cli_options; o->name; o++)
		if (strcmp(o->name, word) == 0)
			bits |= o->commands;
	buf[0] = '\0';
	for (int c = 0; c < CLI_NCOMMANDS && n < len; c++)
		if (bits & CLI_BIT(c))
			n += (size_t)snprintf(buf + n, len - n, "%s'%s'", n ? ", " : "", cli_commands[c].name);
}

static void unknown_long(const struct cli_parser *p, const char *arg, char *err, size_t errlen)
{
	const char *names[64];
	char word[80], cmds[128];
	size_t n = 0;
	const char *near;

	option_word(arg, word, sizeof word);
	for (size_t i = 0; p->longopts[i].name; i++)
		if (strcmp(p->longopts[i].name, word) == 0) {
			snprintf(err, errlen, "option '--%s' takes no argument", word);
			return;
		}
	owners(word, cmds, sizeof cmds);
	if (cmds[0]) {
		snprintf(err, errlen, "--%s is an option of %s, not of '%s'", word, cmds,
			 cli_commands[p->cmd].name);
		return;
	}
	for (size_t i = 0; p->longopts[i].name && n < sizeof names / sizeof names[0]; i++)
		names[n++] = p->longopts[i].name;
	near = cli_suggest(word, names, n);
	if (near)
		snprintf(err, errlen, "unknown or ambiguous option '--%s'; did you mean '--%s'?", word, near);
	else
		snprintf(err, errlen, "unknown or ambiguous option '--%s'", word);
}

/* Is optarg one of o's values? Else the message, with the closest value. */
static bool value_ok(const struct cli_option *o, char *err, size_t errlen)
{
	const char *names[32];
	char list[256];
	size_t n = 0;
	const char *near;

	if (!o->values)
		return true;
	for (; n < sizeof names / sizeof names[0] && o->values(n); n++)
		if (strcmp(optarg, o->values(n)) == 0)
			return true;
	for (size_t i = 0; i < n; i++)
		names[i] = o->values(i);
	near = cli_suggest(optarg, names, n);
	snprintf(err, errlen, "--%s wants %s, not '%s'%s%s%s", o->name, cli_values_text(o->values, list, sizeof list),
		 optarg, near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
	return false;
}

int cli_next_option(struct cli_parser *p, int argc, char **argv, const struct cli_option **opt,
		    char *err, size_t errlen)
{
	int id;

	opterr = 0;
	optopt = 0;
	id = getopt_long(argc, argv, p->shortopts, p->longopts, NULL);
	if (id == -1)
		return -1;
	/* glibc: optopt is 0 for an unknown long option, the option's value for "--quiet=3" */
	if (id == '?' && strncmp(argv[optind - 1], "--", 2) == 0 && (!optopt || strchr(argv[optind - 1], '=')))
		unknown_long(p, argv[optind - 1], err, errlen);
	else if (id == '?')
		snprintf(err, errlen, "unknown option '-%c'", optopt);
	else if (id == ':')
		snprintf(err, errlen, "option '%s' wants an argument", argv[optind - 1]);
	if (id == '?' || id == ':')
		return -2;
	*opt = cli_option_by_id(p->cmd, id);
	if (!*opt) {
		snprintf(err, errlen, "unknown option");
		return -2;
	}
	return value_ok(*opt, err, errlen) ? id : -2;
}
