/* Report writers: text, JSON, SARIF 2.1.0 and Markdown, behind one dispatch table. */
#ifndef MCPAUDIT_REPORT_FORMAT_H
#define MCPAUDIT_REPORT_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/report.h"

enum report_format { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_MARKDOWN };

struct report_options {
	bool color;               /* ANSI colour (text only): on a terminal and NO_COLOR unset */
	bool verbose;             /* text: every evidence line, info findings, url strings */
	bool quiet;               /* text: only the findings at or above fail_on and the summary */
	const char *command;      /* "scan", "trace", ...: named in the report */
	enum severity fail_on;    /* threshold, shown in the summary and SARIF */
};

/* Write r to out in fmt. Returns 0, or -1 when writing fails (errno is set). */
int report_write(FILE *out, const struct report *r, enum report_format fmt,
		 const struct report_options *o);

/* "text", "json", "sarif", "markdown" (also "md"); false when unknown. */
bool report_format_parse(const char *name, enum report_format *out);

/* One writer per format, each in its own file (report_<format>.c). */
int report_write_text(FILE *out, const struct report *r, const struct report_options *o);
int report_write_json(FILE *out, const struct report *r, const struct report_options *o);
int report_write_sarif(FILE *out, const struct report *r, const struct report_options *o);
int report_write_markdown(FILE *out, const struct report *r, const struct report_options *o);

#endif
