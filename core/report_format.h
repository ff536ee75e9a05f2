/* Report writers: text, JSON, SARIF 2.1.0, Markdown and HTML, behind one dispatch table. */
#ifndef MCPAUDIT_REPORT_FORMAT_H
#define MCPAUDIT_REPORT_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include "core/report.h"

enum report_format { FMT_TEXT, FMT_JSON, FMT_SARIF, FMT_MARKDOWN, FMT_HTML };

struct report_options {
	bool color;               /* ANSI colour (text only): on a terminal and NO_COLOR unset */
	bool verbose;             /* text: every evidence line, info findings, url strings */
	bool quiet;               /* text: only the findings at or above fail_on and the summary */
	const char *command;      /* "scan", "trace", ...: named in the report */
	enum severity fail_on;    /* threshold, shown in the summary and SARIF */
	const char *sarif_root;   /* SARIF uris are relative to this folder; NULL: the git
				   * repository holding the target, else the target */
};

/* Write r to out in fmt. Returns 0, or -1 when writing fails (errno is set). */
int report_write(FILE *out, const struct report *r, enum report_format fmt,
		 const struct report_options *o);

/* "text", "json", "sarif", "markdown" (also "md"), "html"; false when unknown. */
bool report_format_parse(const char *name, enum report_format *out);
/* The names report_format_parse takes, by position; NULL past the end. Static strings. */
const char *report_format_name_at(size_t i);

/* A SARIF log of one run per report, for several targets (an audit of many): new, add each
 * report as it is done (with own_category, each run gets its own automationDetails, which
 * GitHub needs to keep them apart), write, free. sarif_log_new returns NULL when memory
 * runs out; the others return 0 or -1. */
struct sarif_log;
struct sarif_log *sarif_log_new(void);
int sarif_log_add(struct sarif_log *l, const struct report *r, const struct report_options *o, bool own_category);
/* Writes the log and empties it: once per log. */
int sarif_log_write(FILE *out, struct sarif_log *l);
void sarif_log_free(struct sarif_log *l);

/* One writer per format, each in its own file (report_<format>.c). */
int report_write_text(FILE *out, const struct report *r, const struct report_options *o);
int report_write_json(FILE *out, const struct report *r, const struct report_options *o);
int report_write_sarif(FILE *out, const struct report *r, const struct report_options *o);
int report_write_markdown(FILE *out, const struct report *r, const struct report_options *o);
int report_write_html(FILE *out, const struct report *r, const struct report_options *o);

/* What the writers share (report_format.c, report_json.c). Everything a scanned server
 * wrote (hosts, file names, code, messages) is attacker-controlled: it goes through
 * report_clean before it reaches a terminal, a Markdown page or a JSON string. */
struct strbuf;
struct cJSON;

enum clean_mode {
	CLEAN_UTF8,      /* JSON: only bytes that are not valid UTF-8 become "\xNN" */
	CLEAN_TERMINAL,  /* also C0/C1 controls, DEL and bidi overrides ("\x1b", "\u202e") */
};

/* Append s (NULL appends nothing) to b, escaped as mode says. Returns 0 or -1. */
int report_clean(struct strbuf *b, const char *s, enum clean_mode mode);

/* Where an endpoint belongs in a report read by a person, in reading order. */
enum endpoint_group {
	EG_UNDOCUMENTED,  /* a known host nothing documents (what report_undocumented_count counts) */
	EG_UNRESOLVED,    /* undocumented but no host: user-directed, partial, env without default */
	EG_DOCUMENTED,
};
enum endpoint_group endpoint_group_of(const struct endpoint *ep);

/* The evidence a reader should open first: a call site with a file before packets.
 * Borrowed from ep; NULL when it has no evidence. */
const struct evidence *endpoint_first_evidence(const struct endpoint *ep);

/* An audit's word for what the two stages agree on ("not exercised"), and what it means
 * ("in the code, but the run never contacted it"): one wording for every format read by a
 * person. Static strings; NULL for OBS_NONE (not an audit: say nothing). */
const char *report_observed_label(enum observed o);
const char *report_observed_meaning(enum observed o);

/* The distinct phases of ep's evidence ("startup", "tool:fetch_url", "install"), in the
 * order first seen, only from evidence of stage ("static", "dynamic"; NULL for any).
 * Stores at most max pointers, borrowed from ep, in phases; returns how many. */
size_t endpoint_phases(const struct endpoint *ep, const char *stage, const char **phases,
		       size_t max);

/* Language names for the bits of report.languages, in the analyzer's enum order
 * (bit 0 javascript, 1 typescript, 2 python); NULL past the end. */
const char *report_language_name(unsigned bit);

/* True when an unsuppressed finding is at or above o->fail_on (exit code 1). */
bool report_fails(const struct report *r, const struct report_options *o);

/* A cJSON string node holding s with invalid UTF-8 escaped, or a JSON null when s is NULL.
 * Caller owns it (usually by adding it to an object). NULL when memory runs out. */
struct cJSON *report_json_string(const char *s);
/* The report's coverage section as JSON ("coverage"): a JSON null when no run drove a
 * server. Caller owns it; NULL when memory runs out. */
struct cJSON *report_json_coverage(const struct report *r);
/* Calls fn for each listed tool, resource and prompt that no request reached (a deadline,
 * a hang, a crash, --no-calls) with the request that would have ("tools/call") and its
 * name; stops at fn's first non-zero return and gives it, else 0. */
int coverage_each_unreached(const struct coverage *c, int (*fn)(void *ctx, const char *method, const char *name),
			    void *ctx);
/* How the requests for method ("tools/call", ...) ended: counts[0..3] = ok, error, timeout,
 * closed. Returns how many there were. */
size_t coverage_outcomes(const struct coverage *c, const char *method, size_t counts[4]);
/* Print doc pretty and free it. Returns 0, or -1 (doc is freed either way). */
int report_json_print(FILE *out, struct cJSON *doc);

#endif
