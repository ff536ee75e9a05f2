/* pydeps: install a Python package's dependencies on the auditing host without building
 * anything and without letting the package name a path, an option or a URL to pip.
 *
 * Each round: the requirements (checked by audit/pep508.c, passed after "--") are
 * downloaded with `pip download --only-binary :all: --no-deps` into an empty private
 * folder, from an empty private working folder (so a name cannot be a local file); only
 * wheels may come back; they are installed with `pip install --no-index --no-deps
 * --target`. The next round asks for what the installed wheels' METADATA requires
 * (Requires-Dist, with the extras that were asked for). pip itself never resolves, so it
 * never meets a direct URL reference in a dependency's metadata, and it never builds an
 * sdist: --only-binary does not stop pip building a local path or a direct URL, which is
 * why neither may reach it. */
#ifndef MCPAUDIT_PYDEPS_H
#define MCPAUDIT_PYDEPS_H

#include <stddef.h>

#include "core/report.h"

#define PYDEPS_ROUNDS_MAX 16      /* levels of dependencies followed */
#define PYDEPS_PROJECTS_MAX 400   /* projects installed */

/* Install requirements (as the manifest writes them) into root/LAUNCH_PYTHON_DEPS. A
 * refused requirement, a failed download or install, a non-wheel, and a cap reached each
 * become an incomplete entry on r naming what was not installed. timeout_s bounds each
 * pip run. Returns 0, or -1 when memory ran out. */
int pydeps_install(const char *root, char *const *requirements, size_t n, unsigned timeout_s, struct report *r);

#endif
