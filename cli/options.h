/* options: the command line's one table of commands and options. The parser of every
 * command, every --help, the man page and the shell completions are all made from it, so
 * an option documented is an option accepted and the other way round. */
#ifndef MCPAUDIT_CLI_OPTIONS_H
#define MCPAUDIT_CLI_OPTIONS_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

enum cli_command { CLI_SCAN, CLI_TRACE, CLI_AUDIT, CLI_BATCH, CLI_BASELINE, CLI_HELP, CLI_NCOMMANDS };
#define CLI_BIT(c) (1u << (c))
/* The commands that write a report (and take the report options). */
#define CLI_REPORTING (CLI_BIT(CLI_SCAN) | CLI_BIT(CLI_TRACE) | CLI_BIT(CLI_AUDIT))

struct cli_command_info {
	const char *name;
	const char *synopsis;      /* what follows "mcpaudit NAME " in a usage line */
	const char *summary;       /* one line, for the list of commands */
	const char *description;   /* a paragraph for its own help (wrapped when printed) */
};

/* What getopt_long returns for each option: its short letter, else one of these. */
enum cli_option_id {
	OPT_NO_DOCS = 256, OPT_STRICT_DOCS, OPT_INCLUDE_DEPS, OPT_FAIL_ON, OPT_QUERIES,
	OPT_COLOR, OPT_CWD, OPT_ROOT, OPT_QUIET_PERIOD, OPT_TIMEOUT, OPT_CALL_TIMEOUT,
	OPT_NO_CALLS, OPT_PCAP, OPT_HTTP, OPT_STARTUP_WAIT, OPT_DOCS, OPT_STATIC_ONLY,
	OPT_OUTPUT_DIR, OPT_REVIEW_ON, OPT_FAIL_ON_INCOMPLETE, OPT_NO_FAIL_ON_INCOMPLETE,
	OPT_SHARD, OPT_TARGET_TIMEOUT, OPT_MAN, OPT_COMPLETION,
	OPT_CONFIG, OPT_NO_CONFIG, OPT_REASON, OPT_EXPIRES, OPT_SARIF_ROOT, OPT_NO_TLS_INTERCEPT, OPT_DISCOVER,
};

/* The accepted values of an option, by position; NULL past the end. */
typedef const char *(*cli_value_at)(size_t i);

struct cli_option {
	const char *name;          /* the long name, without "--" */
	int short_name;            /* its letter, or 0 */
	int id;                    /* what the parser returns: short_name or an OPT_* */
	const char *arg;           /* the argument's name in help (FILE, SEV), or NULL: none */
	unsigned commands;         /* CLI_BIT of every command that takes it */
	cli_value_at values;       /* the only values accepted, or NULL: any */
	bool file_arg;             /* the argument is a path (for the shell completions) */
	const char *help;          /* one paragraph, wrapped when printed */
};

/* The tables, in the order help lists them. cli_options ends with a NULL name. */
extern const struct cli_command_info cli_commands[CLI_NCOMMANDS];
extern const struct cli_option cli_options[];

/* The command named name, or -1. */
int cli_command_find(const char *name);

/* The option of cmd that the parser returned id for. Borrowed from the table; NULL when
 * none (which the parser never returns). */
const struct cli_option *cli_option_by_id(enum cli_command cmd, int id);

/* The closest of n candidates to word, when it is close enough to be a likely typo; else
 * NULL. Borrowed from candidates. */
const char *cli_suggest(const char *word, const char *const *candidates, size_t n);

/* getopt_long's tables for one command. */
struct cli_parser {
	enum cli_command cmd;
	struct option longopts[64];
	char shortopts[64];
};

void cli_parser_init(struct cli_parser *p, enum cli_command cmd);

/* The next option of argv, from optind (set it before the first call). Returns the option's
 * id with optarg set and *opt its entry, -1 at the first operand or after "--", or -2 with a
 * message in err: an unknown option (with the closest known one, or the command it belongs
 * to), a missing argument, or a value not among the option's values. */
int cli_next_option(struct cli_parser *p, int argc, char **argv, const struct cli_option **opt,
		    char *err, size_t errlen);

/* The accepted values as text, "a, b or c", into buf. Returns buf. */
const char *cli_values_text(cli_value_at values, char *buf, size_t len);

#endif
