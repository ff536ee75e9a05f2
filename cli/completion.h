/* completion: shell completion scripts (bash, zsh, fish), written from the option table. */
#ifndef MCPAUDIT_CLI_COMPLETION_H
#define MCPAUDIT_CLI_COMPLETION_H

#include <stddef.h>
#include <stdio.h>

/* The script for shell ("bash", "zsh" or "fish") to out. Returns 0, or -1 for another shell. */
int completion_write(FILE *out, const char *shell);

/* The shells completion_write knows, by position; NULL past the end. */
const char *completion_shell_at(size_t i);

#endif
