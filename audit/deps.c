/* deps: dependencies installed with scripts disabled. */
#include "audit/deps.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "audit/launch.h"
#include "audit/npmdeps.h"
#include "audit/pydeps.h"
#include "core/strbuf.h"

static bool exists(const char *root, const char *rel)
{
	char *p = xasprintf("%s/%s", root, rel);
	struct stat st;
	bool ok = p && stat(p, &st) == 0;

	free(p);
	return ok;
}

int deps_install(const char *root, const struct package_info *pkg, unsigned timeout_s, struct report *r)
{
	if (!pkg || (!pkg->dependencies.len && !pkg->requirements.len))
		return 0;
	if (exists(root, "package.json"))
		return exists(root, "node_modules") ? 0 : npmdeps_install(root, timeout_s, r);
	if (pkg->ecosystem && !strcmp(pkg->ecosystem, "pypi"))
		return exists(root, LAUNCH_PYTHON_DEPS) ? 0 : pydeps_install(root, pkg->requirements.items,
										    pkg->requirements.len, timeout_s, r);
	return 0;
}
