/* deps: install an audited package's dependencies into its private copy, outside the
 * sandbox but with every install script disabled (npm install --ignore-scripts; Python
 * through audit/pydeps.c: wheels only, nothing built), so none of their code runs here. */
#ifndef MCPAUDIT_DEPS_H
#define MCPAUDIT_DEPS_H

#include <stddef.h>

#include "core/report.h"

/* Install what root's manifest needs, unless it is there already (node_modules). A failure
 * is not an error of the audit: it becomes an incomplete entry on r (the server may not
 * start without them). timeout_s bounds each installer. Returns 0, or -1 when memory ran out. */
int deps_install(const char *root, const struct package_info *pkg, unsigned timeout_s, struct report *r);

/* The first dependency of root's package.json that npm would fetch from somewhere other
 * than the registry (a URL, a git repository, a GitHub shorthand, a path), as "NAME (SPEC)";
 * NULL when there is none or package.json cannot be read. Caller frees with free. */
char *deps_off_registry(const char *root);

#endif
