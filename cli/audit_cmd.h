/* audit_cmd: `mcpaudit audit TARGET...`: expand client configurations into their servers,
 * audit each target on its own, write the reports, and return the exit code. */
#ifndef MCPAUDIT_AUDIT_CMD_H
#define MCPAUDIT_AUDIT_CMD_H

#include <stddef.h>

#include "audit/audit.h"
#include "core/report_format.h"

struct audit_cmd {
	struct audit_options audit;     /* policy, stages, timeouts, docs */
	const char *const *env;         /* -e NAME=VALUE, NULL-terminated; may be NULL */
	enum report_format format;      /* what goes to standard output (or output) */
	const char *output;             /* -o FILE, or NULL: standard output */
	const char *output_dir;         /* --output-dir: every format, or NULL */
	struct report_options report;   /* colour, verbosity, fail_on */
	bool fail_on_incomplete;        /* a report listing anything incomplete exits 1 */
	bool discover;                  /* also every server of the client configurations found on
					 * this machine (audit/discover.h) */
};

/* Returns 0 (every verdict pass or review), 1 (a verdict is fail, or with fail_on_incomplete
 * a report lists anything incomplete) or 2 (a target could not be audited, or a report
 * could not be written); one target's failure never stops the rest. */
int audit_cmd_run(const struct audit_cmd *a, char *const *targets, size_t n);

#endif
