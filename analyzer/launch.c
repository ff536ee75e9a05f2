/* Command-line sources as data: see launch.h. */
#include "analyzer/launch.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* A source is a module access path under `root` (the module, then '.', '(' or '/', or
 * nothing) ending with `suffix` ("" : anything under the root). */
static const struct {
	const char *root;
	const char *suffix;
	enum launch_source kind;
} sources[] = {
	{"process.argv", "", LAUNCH_ARGV},
	{"sys.argv", "", LAUNCH_ARGV},
	/* commander: program.opts(), new Command().opts() */
	{"commander", ".opts()", LAUNCH_OPTIONS},
	{"commander", ".optsWithGlobals()", LAUNCH_OPTIONS},
	/* yargs(hideBin(process.argv)).option(...).argv / .parse() / .parseSync() */
	{"yargs", ".argv", LAUNCH_OPTIONS},
	{"yargs", ".parse()", LAUNCH_OPTIONS},
	{"yargs", ".parseSync()", LAUNCH_OPTIONS},
	{"minimist", "minimist()", LAUNCH_OPTIONS},
	/* zx re-exports minimist, and the script's arguments parsed by it */
	{"zx", ".minimist()", LAUNCH_OPTIONS},
	{"zx", ".argv", LAUNCH_OPTIONS},
	{"mri", "mri()", LAUNCH_OPTIONS},
	{"meow", ".flags", LAUNCH_OPTIONS},
	/* util.parseArgs({options}).values */
	{"util", ".parseArgs().values", LAUNCH_OPTIONS},
	{"node:util", ".parseArgs().values", LAUNCH_OPTIONS},
	/* argparse.ArgumentParser().parse_args() */
	{"argparse", ".parse_args()", LAUNCH_OPTIONS},
	{"argparse", ".parse_intermixed_args()", LAUNCH_OPTIONS},
};

static bool under_root(const char *name, const char *root)
{
	size_t n = strlen(root);

	return strncmp(name, root, n) == 0 && strchr(".(/", name[n]) != NULL;  /* includes the NUL */
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && strcmp(s + a - b, suffix) == 0;
}

static int find_source(const char *name)
{
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
		if (under_root(name, sources[i].root) && ends_with(name, sources[i].suffix))
			return (int)i;
	return -1;
}

enum launch_source launch_source_of(const char *name)
{
	int i = find_source(name);

	return i < 0 ? LAUNCH_NONE : sources[i].kind;
}

void launch_member_name(const char *name, const char *key, char *out, size_t cap)
{
	int i = find_source(name);

	if (i >= 0 && sources[i].kind == LAUNCH_ARGV) {
		snprintf(out, cap, "%s", sources[i].root);  /* process.argv.slice().0: process.argv */
		return;
	}
	if (!key || !strcmp(key, "_")) {
		snprintf(out, cap, "command-line arguments");  /* yargs' and minimist's positionals */
		return;
	}
	/* Python's dest base_url is the option --base-url */
	snprintf(out, cap, "--%s", key);
	for (char *p = out + 2; *p; p++)
		if (*p == '_')
			*p = '-';
}

/* Decorators that make a function a command whose parameters are its options. */
static const char *const command_roots[] = {"click", "asyncclick", "typer", "cyclopts"};

bool launch_command_decorator(const char *name)
{
	for (size_t i = 0; name && i < sizeof command_roots / sizeof command_roots[0]; i++)
		if (under_root(name, command_roots[i]))
			return true;
	return false;
}
