/* Resolved call sites -> endpoints and intrinsic findings in a report. */
#ifndef MCPAUDIT_EMIT_H
#define MCPAUDIT_EMIT_H

#include "analyzer/module.h"
#include "core/report.h"

/* Add s's endpoints (one per alternative destination) and findings to r. The site's
 * values must have no module references left (see link.h). Returns true when a resolver
 * bound left one of its destinations without a known host (the file is then incomplete). */
bool emit_call_site(struct report *r, const struct file_result *fr, const struct call_site *s);

/* The bounds (BOUND_BIT, analyzer/bounds.h) that dropped part of s's destination or base
 * URL, the emission's own cap on alternatives included. */
unsigned emit_site_bounds(const struct call_site *s);

/* URL literals of fr that no call requests, as info-level url_strings. Call after every
 * call site has been emitted. */
void emit_url_strings(struct report *r, const struct file_result *fr);

#endif
