/* CPU-time budgets, read through tree-sitter's progress callbacks (called every 100 parse
 * or query operations). The thread's CPU clock, not the wall clock: a loaded machine
 * running eight scans at once must not cut ordinary files short. */
#include "analyzer/budget.h"

/* Reading the CPU clock is a system call: look at it on every CLOCK_EVERY-th callback. */
#define CLOCK_EVERY 8u

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

unsigned budget_for(unsigned base_ms, size_t len)
{
	unsigned long long ms = base_ms + (unsigned long long)len * BUDGET_MS_PER_MIB / (1u << 20);

	ms *= SANITIZER_SLOWDOWN;
	return ms > 3600000u ? 3600000u : (unsigned)ms;
}

static void now(struct timespec *t)
{
	if (clock_gettime(CLOCK_THREAD_CPUTIME_ID, t) != 0)
		clock_gettime(CLOCK_MONOTONIC, t);
}

void budget_start(struct budget *b, unsigned ms)
{
	now(&b->deadline);
	b->deadline.tv_sec += ms / 1000;
	b->deadline.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (b->deadline.tv_nsec >= 1000000000L) {
		b->deadline.tv_sec++;
		b->deadline.tv_nsec -= 1000000000L;
	}
	b->ms = ms;
	b->calls = 0;
	b->offset = 0;
	b->spent = false;
}

bool budget_spent(struct budget *b)
{
	struct timespec t;

	if (b->spent || ++b->calls % CLOCK_EVERY)
		return b->spent;
	now(&t);
	b->spent = t.tv_sec > b->deadline.tv_sec ||
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
