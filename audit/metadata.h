/* metadata: what a package's manifest and its registry record say before it is installed:
 * install scripts, bin entries, age, dependencies that imitate popular packages, lockfile.
 *
 * These are the supply-chain checks advised before installing a package an AI assistant
 * suggested: an install script runs with the user's rights before anyone reads the code; a
 * brand-new package or a dependency one letter away from a popular one is how typosquats and
 * "slopsquats" look; an application without a lockfile picks up whatever a dependency
 * publishes next.
 *
 * Manifests read, from the package root:
 *  - npm: package.json (name, version, scripts, bin, dependencies, optionalDependencies,
 *    peerDependencies); a binding.gyp without an install or preinstall script counts as the
 *    implicit "install": "node-gyp rebuild" that npm runs.
 *  - Python: pyproject.toml ([project] name, version, dependencies; [project.scripts];
 *    [tool.poetry] name, version, [tool.poetry.dependencies], [tool.poetry.scripts]), PKG-INFO
 *    or a *.dist-info/METADATA (Name, Version, Requires-Dist without an extra), setup.cfg
 *    ([metadata] name, version; [options] install_requires; console_scripts), a
 *    *.dist-info/entry_points.txt (console_scripts), and setup.py as a script pip runs.
 *    Dependencies are the union of what these name.
 *
 * The pyproject.toml reader is line based, not a TOML parser: it reads [table] headers,
 * key = "string" and key = [arrays of strings] spanning lines, with comments. It does not
 * read inline tables for [project] (project = {...}), dotted keys that define the project
 * table elsewhere (project.name = ...), arrays of tables, or escapes beyond \" \\ \n \t. Names
 * in setup.py itself (install_requires, entry_points) are not read.
 *
 * Inline install scripts are read as shell commands (quotes, pipes, &&, ;, $(...), sh -c,
 * npm run NAME into the named script): network tools, inline code (node -e, python -c, perl
 * -e, powershell -Command) with URLs or network APIs, package installs and binary downloads
 * count as egress; a script that runs a file (node scripts/x.js, sh ./install.sh) records
 * it. Variables are not expanded and aliases not resolved: a command hidden in $VAR is not
 * seen. */
#ifndef MCPAUDIT_METADATA_H
#define MCPAUDIT_METADATA_H

#include <stdbool.h>
#include <stddef.h>

#include "core/report.h"

struct cJSON;

/* Age below which a package or version counts as new, and the version count below which a
 * package counts as barely published. */
#define METADATA_NEW_DAYS 30
#define METADATA_FEW_VERSIONS 3

struct metadata_options {
	const char *root;             /* the unpacked package folder */
	/* The registry's record, or NULL when unknown (a local folder): npm's packument
	 * (https://registry.npmjs.org/NAME: "time" {created, VERSION: date}, "versions",
	 * "dist-tags") or PyPI's JSON (https://pypi.org/pypi/NAME/json: "releases" {VERSION:
	 * [{upload_time_iso_8601}]}). Borrowed for the call. */
	const struct cJSON *registry;
	const char *version;          /* the version audited, or NULL: the manifest's */
	const char *today;            /* "YYYY-MM-DDTHH:MM:SSZ" (or "YYYY-MM-DD"): now */
	bool from_registry;           /* an npm:/pypi: target: then only npm-shrinkwrap.json
				       * counts as an npm package's lockfile (npm never publishes
				       * package-lock.json); Python lockfiles count either way */
};

/* Fill r->package from the manifest and the registry record, and add findings:
 *  - install-script (medium; high with egress, and the host when one is named) for each of
 *    preinstall, install, postinstall, prepare, and for a Python setup.py;
 *  - new-package (medium) when the package was first published less than METADATA_NEW_DAYS
 *    before today, or has fewer than METADATA_FEW_VERSIONS versions and this version is
 *    that new;
 *  - typosquat-dependency (high) for each runtime dependency whose name imitates a package
 *    of core/data/popular_packages.txt (one edit for names of five or more characters,
 *    separators changed or dropped, look-alike characters, a popular name under an unknown
 *    scope, a popular scoped name without its scope); an exact popular name never counts;
 *  - no-lockfile (low) for an application-style package (a bin, a start script, console
 *    scripts) with dependencies and no lockfile at its root.
 * Also fills ecosystem, name, version (o->version wins), created, published, versions,
 * lockfile, scripts, bins, dependencies (sorted names) and requirements (Python, as written). Uses r->package when the caller
 * already made it (keeping source and integrity), else makes one; call once per report. An
 * unreadable, oversized (4 MiB) or invalid manifest, missing dates, more than 2000
 * dependencies and a missing list become incomplete entries naming the file (and line), not
 * errors. Returns 0, or -1 with err set when memory runs out (r then holds what was done). */
int metadata_check(const struct metadata_options *o, struct report *r, char *err, size_t errlen);

/* After both stages ran: an install script whose file holds static evidence of an endpoint
 * (evidence.file equal to the script's file), or any install script when the run produced
 * dynamic evidence with phase "install" (or "install:NAME" for the script NAME), gets
 * egress set and its install-script finding raised to high, with the host and a chain line
 * per evidence (a few). Files the script's file requires in turn are not followed. Local
 * hosts (localhost, 127.0.0.1) do not count. The dynamic stage runs every install script
 * with phase "install" and merges the runs, so such evidence raises every script. When
 * memory runs out the severities are raised all the same; a host or chain line is missing. */
void metadata_finish(struct report *r);

#endif
