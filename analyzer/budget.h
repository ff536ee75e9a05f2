/* CPU-time budgets for the work on one file: tree-sitter's progress callbacks stop parsing
 * and query matching once a file has used its allowance, so hostile input cannot hang a scan. */
#ifndef MCPAUDIT_BUDGET_H
#define MCPAUDIT_BUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <tree_sitter/api.h>

/* The allowance is a base plus a share per mebibyte of source: a large minified file takes
 * longer to parse honestly, while the hostile cases are small files that take quadratic time. */
#define PARSE_BUDGET_BASE_MS 1000u
#define QUERY_BUDGET_BASE_MS 2000u
#define BUDGET_MS_PER_MIB 1500u

struct budget {
	struct timespec deadline;   /* on this thread's CPU clock */
	unsigned ms;                /* the allowance, for the report */
	unsigned calls;             /* progress callbacks since the clock was last read */
	uint32_t offset;            /* the byte the work had reached when last asked */
	bool spent;
};

/* The allowance for len bytes of source with the given base (builds with a sanitizer, which
 * runs several times slower, get a larger one). */
unsigned budget_for(unsigned base_ms, size_t len);
/* Allow ms of the calling thread's CPU time from now. */
void budget_start(struct budget *b, unsigned ms);
/* Whether the allowance is used up (reads the clock now and then; sticky once true). */
bool budget_spent(struct budget *b);
/* Options that make ts_parser_parse_with_options / ts_query_cursor_exec_with_options
 * stop when b is spent; b must outlive the parse or the cursor's use. */
TSParseOptions budget_parse_options(struct budget *b);
TSQueryCursorOptions budget_query_options(struct budget *b);

#endif
