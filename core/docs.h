/* Documented endpoints from a target's own documentation. */
#ifndef MCPAUDIT_DOCS_H
#define MCPAUDIT_DOCS_H

#include "core/report.h"

/* Add to r->documented (as DOC_EXACT, with "FILE:LINE" sources relative to root) every URL
 * and bare host name in root's README* files, docs/ (recursively) (Markdown, reStructuredText, text),
 * an MCP registry manifest server.json, package.json "homepage" and pyproject.toml project
 * URLs, except homepages on code hosts and registries (core/data/code_hosts.txt);
 * "repository" and "bugs" document nothing. The words of the text files go to r->doc_words
 * (core/doc_words.h), for services named without a host. Files larger than 4 MiB are skipped with an
 * incomplete entry. Returns 0, or -1 when memory runs out. */
int docs_collect(struct report *r, const char *root);

/* --docs PATH: every documentation file (.md, .markdown, .rst, .txt, .adoc) under the
 * folder PATH, recursively, or the single file PATH, whatever its name; sources read
 * "NAME/FILE:LINE" with NAME the last part of PATH. Returns 0; -1 when memory runs out or
 * PATH cannot be read (with err). */
int docs_collect_path(struct report *r, const char *path, char *err, size_t errlen);

#endif
