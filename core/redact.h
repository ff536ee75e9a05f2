/* redact: secret-looking values out of a report's evidence before any writer sees it (the
 * patterns are core/data/secret_patterns.txt; the run's canaries become their names). */
#ifndef MCPAUDIT_REDACT_H
#define MCPAUDIT_REDACT_H

#include <stddef.h>

struct report;

/* Rewrite, in place, every finding's message, snippet and chain, every evidence's
 * expression and path, every incomplete reason, the verdict's reasons and the error:
 * each of r->secrets becomes "[canary NAME]" (its label), each pattern match
 * "[redacted LABEL]". Hosts, files and fingerprints are left alone. Returns 0, or -1 when
 * memory runs out or the pattern list does not compile (then the texts that could not be
 * redacted are replaced whole by "[redacted]": fail closed). */
int redact_report(struct report *r);

/* The same for one string: a new string the caller frees, or NULL when memory runs out.
 * secrets may be NULL. */
char *redact_text(const char *s, const struct report *r);

#endif
