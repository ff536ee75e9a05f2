/* config: the defaults a command starts from before its command line: the project's
 * .mcpaudit.json (policy keys, and "options" by their long names) and MCPAUDIT_*
 * environment variables. Both become "--name=value" words that the command line's own
 * parser reads, so they are checked exactly as options are. */
#ifndef MCPAUDIT_CLI_CONFIG_H
#define MCPAUDIT_CLI_CONFIG_H

#include <stddef.h>

#include "cli/options.h"
#include "core/policy.h"
#include "core/vec.h"

#define CONFIG_NAME ".mcpaudit.json"

/* Words for the parser: argv[0] is a label, the rest "--name[=value]"; all owned. */
struct config_words {
	const char *label;   /* argv[0]: set it before the first word; borrowed */
	VEC(char *) argv;
};

void config_words_free(struct config_words *w);

/* The configuration file for a command: the first CONFIG_NAME walking up from each start
 * folder in turn (NULL entries skipped), into out. Returns 1 found, 0 none, -1 error. */
int config_find(const char *const *starts, size_t nstarts, char *out, size_t len);

/* Reads the file at path: its policy keys into p, its "options" into w (for cmd; options
 * of other commands are left for them, unknown names are an error with the closest known
 * one). Relative paths in options are taken from the file's folder. Returns 0, or -1 with
 * "PATH: what is wrong" in err. */
int config_load(const char *path, enum cli_command cmd, struct policy *p, struct config_words *w,
		char *err, size_t errlen);

/* MCPAUDIT_NAME variables (NAME: an option's long name, upper case, '-' as '_') of cmd's
 * options into w: "MCPAUDIT_FORMAT=sarif" is --format=sarif; a flag takes 1/true/yes or
 * 0/false/no/"" (not given). Returns 0, or -1 with the variable named in err. */
int config_from_env(enum cli_command cmd, struct config_words *w, char *err, size_t errlen);

#endif
