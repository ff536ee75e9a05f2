/* Configuration a server reads when it is started: its command line (process.argv,
 * sys.argv, and the options object a command-line parser returns). A destination taken
 * from it is chosen by whoever launches the server, as with an environment variable, so it
 * is reported like one (VF_ENV), under the option's name ("--base-url", "process.argv").
 * One job: tell which module access paths (as analyzer/eval.c names them,
 * "commander.program.opts()") are such sources, from the table in launch.c. */
#ifndef MCPAUDIT_ANALYZER_LAUNCH_H
#define MCPAUDIT_ANALYZER_LAUNCH_H

#include <stdbool.h>
#include <stddef.h>

enum launch_source {
	LAUNCH_NONE,
	LAUNCH_ARGV,     /* the argument list itself: any member is a command-line argument */
	LAUNCH_OPTIONS,  /* a parser's options object: member k is the option --k */
};

/* What the module access path `name` is (LAUNCH_NONE: not launch configuration). */
enum launch_source launch_source_of(const char *name);

/* The name member `key` (NULL: computed) of the source `name` is reported under, written to
 * out (at most cap-1 bytes and a NUL): "--base-url" for base_url, "process.argv" for argv. */
void launch_member_name(const char *name, const char *key, char *out, size_t cap);

/* Whether a decorator naming `name` ("click.option", "typer.Typer().command") makes the
 * function it decorates a command-line command: its parameters are options (--name). */
bool launch_command_decorator(const char *name);

#endif
