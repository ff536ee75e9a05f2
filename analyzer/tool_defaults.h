/* Defaults of tool arguments: a tool argument left out by the caller takes the default its
 * input schema declares (zod `.default('https://...')`, JSON Schema `"default"`, a Python
 * parameter default), so that default is a destination of its own, checked against the docs. */
#ifndef MCPAUDIT_TOOL_DEFAULTS_H
#define MCPAUDIT_TOOL_DEFAULTS_H

#include "analyzer/module.h"
#include "analyzer/value.h"

/* At most this many defaults are kept per file; later ones are ignored (they only add
 * destinations, so missing one loses recall, never hides a finding already made). */
#define TOOL_DEFAULTS_MAX 64

/* user (a tool argument's value) joined with the default the file's schemas declare for
 * the argument called key, as alternatives; user itself when none is declared. The table
 * is built on first use from m's tree, in m's index arena. Never NULL. */
struct value *tool_default_join(struct module *m, const char *key, struct value *user);

/* user joined with the value of default_node (a parameter's own default), as above. */
struct value *tool_default_join_node(struct module *m, TSNode default_node, struct value *user);

#endif
