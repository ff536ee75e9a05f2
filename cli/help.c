/* help: usage texts and the man page, both written from the option table, so neither can
 * drift from what the parser accepts. */
#include "cli/help.h"

#include <stdbool.h>
#include <string.h>

#include "core/rules.h"
#include "core/version.h"

#define WIDTH 79          /* a usage line's last column */
#define HELP_COLUMN 26    /* where an option's help starts */

static const char tagline[] =
	"Audit an MCP server's source (JavaScript, TypeScript, Python) and its behaviour for "
	"outbound network destinations and flag those its documentation does not name.";

/* Exit codes, by command: what a script may rely on. */
static const char *const exit_codes[CLI_NCOMMANDS] = {
	[CLI_SCAN] = "0  nothing at or above the failure threshold and, with --fail-on-incomplete, "
		     "nothing incomplete (audit: verdict pass, or review with nothing incomplete)\n"
		     "1  findings at or above the threshold (audit: verdict fail), or, with "
		     "--fail-on-incomplete, anything incomplete: not a pass\n"
		     "2  usage or runtime error (nothing was checked, or the report could not be "
		     "written)\n",
	[CLI_BATCH] = "2  usage error, a target could not be audited (its summary line says why), or "
		      "the batch was interrupted: run it again to resume (the first that applies)\n"
		      "1  a target's verdict is fail\n"
		      "0  every target has a verdict, pass or review\n",
	[CLI_BASELINE] = "0  the policy was written (a finding that cannot be named is listed on standard "
			 "error)\n"
			 "2  usage error, or the report could not be read or the policy written\n",
};

static const char *exit_codes_of(enum cli_command cmd)
{
	return exit_codes[cmd] ? exit_codes[cmd] : exit_codes[CLI_SCAN];
}

/* Print text from column col, breaking at spaces before WIDTH; every further line starts
 * at column indent. Ends with a newline. */
static void wrap(FILE *out, const char *text, size_t col, size_t indent)
{
	while (*text) {
		size_t word = strcspn(text, " ");
		if (col > indent && col + word > WIDTH) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = indent;
		}
		fwrite(text, 1, word, out);
		col += word;
		text += word;
		if (*text == ' ') {
			text++;
			if (col + 1 + strcspn(text, " ") <= WIDTH) {
				fputc(' ', out);
				col++;
			} else if (*text) {
				fprintf(out, "\n%*s", (int)indent, "");
				col = indent;
			}
		}
	}
	fputc('\n', out);
}

/* Each line of a text with one "N  meaning" item per line, wrapped under its meaning. */
static void print_items(FILE *out, const char *text)
{
	char line[512];

	while (*text) {
		size_t n = strcspn(text, "\n");
		size_t take = n < sizeof line - 1 ? n : sizeof line - 1;
		memcpy(line, text, take);
		line[take] = '\0';
		fputs("  ", out);
		wrap(out, line, 2, 5);
		text += n + (text[n] == '\n');
	}
}

static void print_option(FILE *out, const struct cli_option *o)
{
	int col;

	if (o->short_name)
		col = fprintf(out, "  -%c, --%s%s%s", o->short_name, o->name, o->arg ? " " : "",
			      o->arg ? o->arg : "");
	else
		col = fprintf(out, "      --%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	if (col + 2 > HELP_COLUMN) {
		fputc('\n', out);
		col = 0;
	}
	fprintf(out, "%*s", HELP_COLUMN - col, "");
	wrap(out, o->help, HELP_COLUMN, HELP_COLUMN);
}

static void print_rules(FILE *out)
{
	fputs("Rules (severity):\n", out);
	for (const struct rule *r = rules; r->id; r++)
		fprintf(out, "  %-24s %-8s %s\n", r->id, severity_name(r->severity), r->title);
}

void help_general(FILE *out)
{
	fprintf(out, "Usage: mcpaudit COMMAND [options] ...\n");
	for (int c = 0; c < CLI_NCOMMANDS; c++)
		fprintf(out, "       mcpaudit %s %s\n", cli_commands[c].name, cli_commands[c].synopsis);
	fputs("       mcpaudit --help | --version\n\n", out);
	wrap(out, tagline, 0, 0);
	fputs("\nCommands:\n", out);
	for (int c = 0; c < CLI_NCOMMANDS; c++)
		fprintf(out, "  %-10s%s\n", cli_commands[c].name, cli_commands[c].summary);
	fputs("\n'mcpaudit help COMMAND' or 'mcpaudit COMMAND --help' lists a command's options.\n\n", out);
	print_rules(out);
	fputs("\nExit codes:\n", out);
	print_items(out, exit_codes_of(CLI_SCAN));
}

void help_command(FILE *out, enum cli_command cmd)
{
	const struct cli_command_info *ci = &cli_commands[cmd];
	bool handed_on = false;

	fprintf(out, "Usage: mcpaudit %s %s\n\n", ci->name, ci->synopsis);
	wrap(out, ci->description, 0, 0);
	fputs("\nOptions:\n", out);
	for (const struct cli_option *o = cli_options; o->name; o++) {
		/* batch hands the audit's options on: listed apart, after its own */
		if (cmd == CLI_BATCH && (o->commands & CLI_BIT(CLI_AUDIT)) && o->id != 'h')
			handed_on = true;
		else if (o->commands & CLI_BIT(cmd))
			print_option(out, o);
	}
	if (handed_on) {
		fputs("\nAudit options, handed to every audit:\n", out);
		for (const struct cli_option *o = cli_options; o->name; o++)
			if ((o->commands & CLI_BIT(CLI_BATCH)) && (o->commands & CLI_BIT(CLI_AUDIT)) &&
			    o->id != 'h')
				print_option(out, o);
	}
	if (cmd == CLI_HELP)
		return;
	fputs("\nExit codes:\n", out);
	print_items(out, exit_codes_of(cmd));
}

/* ---- The man page ---- */

/* s as roff text: backslashes doubled, '-' as "\-" (a real minus, for copy and search),
 * and a leading '.' or '\'' made literal. */
static void roff(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

static void man_option(FILE *out, const struct cli_option *o)
{
	fputs(".TP\n", out);
	if (o->short_name)
		fprintf(out, "\\fB\\-%c\\fR, ", o->short_name);
	fputs("\\fB\\-\\-", out);
	roff(out, o->name);
	fputs("\\fR", out);
	if (o->arg) {
		fputs(" \\fI", out);
		roff(out, o->arg);
		fputs("\\fR", out);
	}
	fputc('\n', out);
	roff(out, o->help);
	fputc('\n', out);
}

/* "N  meaning" lines as tagged paragraphs. */
static void man_items(FILE *out, const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");
		size_t tag = strcspn(text, " ");
		const char *meaning = text + tag + strspn(text + tag, " ");
		char line[512];
		size_t take = (size_t)(text + n - meaning);

		if (take >= sizeof line)
			take = sizeof line - 1;
		memcpy(line, meaning, take);
		line[take] = '\0';
		fprintf(out, ".TP\n.B %.*s\n", (int)tag, text);
		roff(out, line);
		fputc('\n', out);
		text += n + (text[n] == '\n');
	}
}

static void man_command(FILE *out, enum cli_command cmd)
{
	const struct cli_command_info *ci = &cli_commands[cmd];

	fprintf(out, ".SS \"mcpaudit %s ", ci->name);
	roff(out, ci->synopsis);
	fputs("\"\n", out);
	roff(out, ci->description);
	fputc('\n', out);
	for (const struct cli_option *o = cli_options; o->name; o++)
		if ((o->commands & CLI_BIT(cmd)) && o->id != 'h')
			man_option(out, o);
}

void help_man_page(FILE *out)
{
	fprintf(out, ".\\\" Generated by 'mcpaudit help --man' from cli/options.c; do not edit.\n"
		".TH MCPAUDIT 1 \"\" \"%s %s\" \"User Commands\"\n.SH NAME\n"
		"mcpaudit \\- audit MCP servers for undocumented network destinations\n.SH SYNOPSIS\n",
		MCPAUDIT_NAME, MCPAUDIT_VERSION);
	for (int c = 0; c < CLI_NCOMMANDS; c++) {
		fprintf(out, ".B mcpaudit %s\n", cli_commands[c].name);
		roff(out, cli_commands[c].synopsis);
		fputs("\n.br\n", out);
	}
	fputs(".B mcpaudit\n\\-\\-help | \\-\\-version\n.SH DESCRIPTION\n", out);
	roff(out, tagline);
	fputs("\n.SH COMMANDS\n", out);
	for (int c = 0; c < CLI_NCOMMANDS; c++)
		man_command(out, (enum cli_command)c);
	fputs(".SH RULES\n", out);
	for (const struct rule *r = rules; r->id; r++) {
		fprintf(out, ".TP\n.B %s\n", r->id);
		fprintf(out, "(%s) ", severity_name(r->severity));
		roff(out, r->title);
		fputc('\n', out);
	}
	fputs(".SH \"EXIT STATUS\"\n", out);
	man_items(out, exit_codes_of(CLI_SCAN));
	fputs(".PP\nbatch:\n", out);
	man_items(out, exit_codes_of(CLI_BATCH));
	fputs(".PP\nbaseline:\n", out);
	man_items(out, exit_codes_of(CLI_BASELINE));
	fputs(".SH ENVIRONMENT\n.TP\n.B NO_COLOR\nwhen set and not empty, "
	      "\\-\\-color auto does not colour\n"
	      ".TP\n.B MCPAUDIT_\\fINAME\\fR\nthe default of the option \\-\\-\\fIname\\fR of the "
	      "command run (upper case, '_' for '\\-'): MCPAUDIT_FORMAT=sarif, MCPAUDIT_FAIL_ON=medium; "
	      "a flag takes 1, true, yes or 0, false, no. Over the configuration file, under the "
	      "command line.\n"
	      ".TP\n.B MCPAUDIT_CONFIG\nthe configuration file, as \\-\\-config\n"
	      ".SH FILES\n.TP\n.B .mcpaudit.json\nthe project's policy (docs/policy.md) and, under "
	      "\"options\", default options by their long names; JSON with comments. The first found "
	      "walking up from the working folder (for scan and trace, then from the target; never "
	      "from an audit's target) is read first, unless \\-\\-no\\-config.\n"
	      ".SH \"SEE ALSO\"\nREADME.md, docs/policy.md, docs/report\\-format.md, docs/batch.md\n", out);
}
