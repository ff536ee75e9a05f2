/* Work budgets, counted in tree-sitter's progress callbacks (called every 100 parse or query
 * operations), with a CPU-time ceiling behind them. The thread's CPU clock, not the wall
 * clock: a loaded machine running eight scans at once must not reach the ceiling either. */
#include "analyzer/budget.h"

#include <errno.h>
#include <stdlib.h>

/* Reading the CPU clock is a system call: look at it on every CLOCK_EVERY-th callback. */
#define CLOCK_EVERY 8u
#define ALLOWANCE_MAX ((uint64_t)1 << 40)

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define SANITIZER_SLOWDOWN 3u
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
#define SANITIZER_SLOWDOWN 3u
#endif
#endif
#ifndef SANITIZER_SLOWDOWN
#define SANITIZER_SLOWDOWN 1u
#endif

/* MCPAUDIT_WORK_BUDGET: a positive count, else 0. */
static uint64_t forced_allowance(void)
{
	const char *env = getenv("MCPAUDIT_WORK_BUDGET");
	char *end;
	unsigned long long n;

	if (!env || !*env)
		return 0;
	errno = 0;
	n = strtoull(env, &end, 10);
	return errno || *end || n == 0 || n > ALLOWANCE_MAX ? 0 : n;
}

uint64_t budget_for(unsigned base, size_t len)
{
	uint64_t forced = forced_allowance();
	uint64_t n = base + (uint64_t)len * BUDGET_PER_MIB / (1u << 20);

	if (forced)
		return forced;
	return n > ALLOWANCE_MAX ? ALLOWANCE_MAX : n;
}

static void now(struct timespec *t)
{
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, t) != 0)
		clock_gettime(CLOCK_MONOTONIC, t);
}

void budget_start(struct budget *b, uint64_t allowance)
{
	/* the ceiling of a forced (tiny) allowance is the ordinary one for a small file: it
	 * must not be what stops the work */
	uint64_t k = (allowance < PARSE_BUDGET_BASE ? PARSE_BUDGET_BASE : allowance) / 1000u;
	uint64_t ms = k * BUDGET_CEILING_MS_PER_K * SANITIZER_SLOWDOWN;

	if (ms > 36000000u)
		ms = 36000000u;
	now(&b->deadline);
	b->deadline.tv_sec += (time_t)(ms / 1000);
	b->deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (b->deadline.tv_nsec >= 1000000000L) {
		b->deadline.tv_sec++;
		b->deadline.tv_nsec -= 1000000000L;
	}
	b->allowance = allowance;
	b->ceiling_ms = (unsigned)ms;
	b->calls = 0;
	b->offset = 0;
	b->spent = false;
	b->by_time = false;
}

bool budget_spent(struct budget *b)
{
	struct timespec t;

	if (b->spent)
		return true;
	if (++b->calls > b->allowance)
		return b->spent = true;
	if (b->calls % CLOCK_EVERY)
		return false;
	now(&t);
	b->spent = b->by_time = t.tv_sec > b->deadline.tv_sec ||
				(t.tv_sec == b->deadline.tv_sec && t.tv_nsec >= b->deadline.tv_nsec);
	return b->spent;
}

static bool parse_progress(TSParseState *state)
{
	struct budget *b = state->payload;

	b->offset = state->current_byte_offset;
	return budget_spent(b);
}

static bool query_progress(TSQueryCursorState *state)
{
	struct budget *b = state->payload;

	b->offset = state->current_byte_offset;
	return budget_spent(b);
}

TSParseOptions budget_parse_options(struct budget *b)
{
	return (TSParseOptions){.payload = b, .progress_callback = parse_progress};
}

TSQueryCursorOptions budget_query_options(struct budget *b)
{
	return (TSQueryCursorOptions){.payload = b, .progress_callback = query_progress};
}
