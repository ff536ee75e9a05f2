/* json_report: the duplicate-json-key findings of a file read with json_read. */
#ifndef MCPAUDIT_JSON_REPORT_H
#define MCPAUDIT_JSON_REPORT_H

#include "core/json_read.h"
#include "core/report.h"

/* Adds one duplicate-json-key finding to r for each duplicate key and each key or string
 * holding a NUL in doc, naming file and the line. high_tops (NULL-terminated, or NULL)
 * lists the top-level members whose ambiguity is high severity (those the other program
 * acts on); "*" in it makes every one high. Returns 0 or -1 (out of memory). */
int json_report_ambiguities(struct report *r, const struct json_doc *doc, const char *file,
			    const char *const *high_tops);

#endif
