/* Tool handlers reached through objects and collections rather than written inline. */
#ifndef MCPAUDIT_TOOL_SETS_H
#define MCPAUDIT_TOOL_SETS_H

#include "analyzer/module.h"

/* The function expr names: a function, a variable bound to one, obj.key of an object
 * literal (or of an instance of this file's class: its method), or the handler of a tool
 * description object ({name, run}); a null node when none. hops: 0. */
TSNode tool_sets_function(struct module *m, TSNode expr, int hops);

/* A registration inside a for loop over a collection (for (const [n, t] of
 * Object.entries(tools)) server.tool(n, t.schema, ...)): every function of the collection
 * is a tool handler, named by its key. Adds to m->tools. */
void tool_sets_from_loop(struct module *m, TSNode registration);

/* A dispatcher that calls a handler it picks from a collection (x[name](args),
 * x.get(name), x.find(...).handler): every function of the collection is a tool handler.
 * Adds to m->tools. */
void tool_sets_from_dispatch(struct module *m, TSNode dispatcher);

#endif
