/* npmdeps: install an npm package's dependencies on the auditing host from the user's own
 * registry only, with no script run and nothing fetched from a place the package chose.
 *
 * In order:
 *  1. package.json: every spec in dependencies, optionalDependencies, peerDependencies,
 *     devDependencies (npm resolves them too), overrides (nested), resolutions, and every
 *     name in bundleDependencies must be a registry spec (audit/npmspec.c); workspaces must
 *     stay inside the package. One refused: nothing is installed.
 *  2. The package's .npmrc, package-lock.json, npm-shrinkwrap.json and yarn.lock are set
 *     aside (npm follows a lockfile's "resolved" URLs as written); a lockfile's resolved
 *     URLs off the registry are reported as not used.
 *  3. The registry is the user's (npm config read in an empty private folder) and passed
 *     explicitly. npm runs with git=false (it never starts git, so no ssh remote sees the
 *     user's keys), GIT_SSH_COMMAND=false and no git protocol allowed, and, unless the
 *     user has a proxy of their own, every host but the registry's goes through a proxy
 *     that refuses (a bound loopback port nobody listens on), so a dependency of a
 *     dependency cannot make npm connect elsewhere while it resolves. With a user proxy,
 *     npm's allow-git/allow-remote/allow-file=none do that job instead (npm 11 and later).
 *  4. `npm install --package-lock-only` resolves the tree of a package.json without the
 *     devDependencies (set aside meanwhile: a user installing the package never gets them),
 *     asking the registry for fresh metadata; every entry of the lockfile it writes must
 *     resolve under the registry, else nothing is installed.
 *  5. `npm ci --ignore-scripts --omit=dev` installs exactly that lockfile (each version
 *     pinned with its integrity hash: a cached tarball is used without asking the registry).
 * Everything refused is an incomplete entry naming the dependency and where it pointed. */
#ifndef MCPAUDIT_NPMDEPS_H
#define MCPAUDIT_NPMDEPS_H

#include "core/report.h"

#define NPMDEPS_REPORTED_MAX 20   /* refusals listed one by one; the rest counted */

/* Install root's npm dependencies into root/node_modules (root must be a private copy).
 * timeout_s bounds each npm run. Returns 0 (failures are incomplete entries on r), or -1
 * when memory ran out. */
int npmdeps_install(const char *root, unsigned timeout_s, struct report *r);

/* Step 1 alone (package.json's specs), for the fuzz harness and tests: refusals go to r as
 * incomplete entries and are counted in *refused. Returns 0, or -1 when memory ran out. */
int npmdeps_check_manifest(const char *root, struct report *r, unsigned *refused);

#endif
