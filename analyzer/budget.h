/* Work budgets for one file: tree-sitter's progress callbacks stop parsing and query
 * matching once a file has used its allowance, so hostile input cannot hang a scan. The
 * allowance is counted in progress callbacks (tree-sitter calls one every so many parse or
 * match operations), so one input gives the same report on any machine and under any load.
 * A CPU-time ceiling about three times what the count allows on an ordinary machine stays as
 * a last resort, and the report says so when it is what stopped the work: tree-sitter's
 * error recovery can work for seconds between two callbacks (60,000 nested arrow functions
 * after a syntax error: 14 s of CPU for fewer than 50,000 callbacks). */
#ifndef MCPAUDIT_BUDGET_H
#define MCPAUDIT_BUDGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <tree_sitter/api.h>

/* The allowance is a base plus a share per mebibyte of source: a large minified file takes
 * longer to parse honestly, while the hostile cases are small files that take quadratic
 * work. Measured on bench/run.sh's tree (5,068 files): parsing makes about 55 callbacks a
 * millisecond, at most 4,231 for one file (531 KB) and 27,700 a MiB; matching at most 8,434
 * (the same file). The figures are about one and two seconds of work plus 1.5 s a MiB, the
 * former CPU-time budgets. */
#define PARSE_BUDGET_BASE 50000u
#define QUERY_BUDGET_BASE 100000u
#define BUDGET_PER_MIB 80000u
/* The CPU-time ceiling: milliseconds per thousand callbacks of the allowance (3.3 times what
 * they take at 55 a millisecond; 3 s for a small file's parse, the former budget's 1 s was
 * reached by no file of the bench tree). */
#define BUDGET_CEILING_MS_PER_K 60u

struct budget {
	struct timespec deadline;   /* the ceiling, on this thread's CPU clock */
	uint64_t allowance;         /* progress callbacks allowed */
	uint64_t calls;             /* progress callbacks so far */
	unsigned ceiling_ms;        /* the ceiling, for the report */
	uint32_t offset;            /* the byte the work had reached when last asked */
	bool spent;
	bool by_time;               /* the ceiling stopped it, not the count */
};

/* The allowance for len bytes of source with the given base; MCPAUDIT_WORK_BUDGET (a count)
 * replaces it when set, for tests that need a tiny one. */
uint64_t budget_for(unsigned base, size_t len);
/* Allow that many progress callbacks from now (and the matching CPU-time ceiling). */
void budget_start(struct budget *b, uint64_t allowance);
/* Whether the allowance is used up (counts one callback; sticky once true). */
bool budget_spent(struct budget *b);
/* Options that make ts_parser_parse_with_options / ts_query_cursor_exec_with_options
 * stop when b is spent; b must outlive the parse or the cursor's use. */
TSParseOptions budget_parse_options(struct budget *b);
TSQueryCursorOptions budget_query_options(struct budget *b);

#endif
