/* npmspec: what an npm package name and a dependency spec in a package.json are, as far
 * as the audit must know before npm sees them on the auditing host.
 *
 * npm reads a spec as a registry version, range or tag, or as a URL, a git repository, a
 * GitHub shorthand ("user/repo"), a local folder or tarball ("./x", "x.tgz"), or an alias
 * ("npm:other@1"): npm-package-arg's rules. Only the registry forms are accepted here, by
 * allowing what they are made of rather than listing what the others look like. */
#ifndef MCPAUDIT_NPMSPEC_H
#define MCPAUDIT_NPMSPEC_H

#include <stdbool.h>
#include <stddef.h>

/* An npm package name (scoped or not) of n bytes, safe on a command line: never starts
 * with '-' or '.', no path separators beyond the scope's one, at most 214 bytes. */
bool npmspec_name_valid(const char *s, size_t n);

/* Whether npm installs spec from the registry: a version, range or dist-tag ("^1.2",
 * ">=1 <2 || 3.x", "latest", "", "*"), an override's "$name" reference, or an alias
 * "npm:NAME" / "npm:NAME@RANGE" to one. Everything else (URLs, git, shorthands, paths,
 * file:, link:, workspace:, tarball names) is false. */
bool npmspec_on_registry(const char *spec);

#endif
