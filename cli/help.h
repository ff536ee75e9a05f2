/* help: the usage texts and the man page, written from the option table (cli/options.h). */
#ifndef MCPAUDIT_CLI_HELP_H
#define MCPAUDIT_CLI_HELP_H

#include <stdio.h>

#include "cli/options.h"

/* The whole tool's usage: the commands, the rules, the exit codes. */
void help_general(FILE *out);

/* One command's usage, with only its own options. */
void help_command(FILE *out, enum cli_command cmd);

/* The man page, mcpaudit(1), in roff (docs/mcpaudit.1 is this output). */
void help_man_page(FILE *out);

#endif
