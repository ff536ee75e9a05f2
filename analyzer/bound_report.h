/* Incomplete entries for the bounds that dropped part of a call site's destination
 * (analyzer/bounds.h): one entry per file, line and bound, with how many of the site's
 * readings (per caller, per caller in another module) it cut, and at most
 * BOUND_REPORT_MAX entries in a report, then one that says how many more there were. */
#ifndef MCPAUDIT_BOUND_REPORT_H
#define MCPAUDIT_BOUND_REPORT_H

#include <stddef.h>

#include "analyzer/bounds.h"
#include "core/report.h"

#define BOUND_REPORT_MAX 64

/* Hits of one file, gathered before they are reported. Caller-owned; zero it first. */
struct bound_hits {
	struct bound_hit {
		unsigned line;
		enum bound bound;
		const char *api;    /* borrowed: the call site's */
		unsigned count;
	} *items;
	size_t len, cap;
};

/* The report's running total (zero it first). */
struct bound_tally {
	unsigned entries;   /* entries added */
	unsigned more;      /* (file, line, bound) triples past BOUND_REPORT_MAX */
};

/* Count each bound in bits (BOUND_BIT) once more at line. Returns 0 or -1 (out of memory). */
int bound_hits_add(struct bound_hits *h, unsigned line, const char *api, unsigned bits);
/* Add h's entries for file to r, and empty h (its memory is kept for the next file). */
void bound_hits_report(struct report *r, struct bound_tally *t, const char *file, struct bound_hits *h);
/* The final "and N more" entry, when there were more. */
void bound_tally_finish(struct report *r, const struct bound_tally *t);
void bound_hits_free(struct bound_hits *h);

#endif
