/* Incomplete entries for the bounds that reached a call site's destination. */
#include "analyzer/bound_report.h"

#include <stdlib.h>

static int add_one(struct bound_hits *h, unsigned line, const char *api, enum bound b)
{
	for (size_t i = 0; i < h->len; i++)
		if (h->items[i].line == line && h->items[i].bound == b) {
			h->items[i].count++;
			return 0;
		}
	if (h->len == h->cap) {
		size_t cap = h->cap ? h->cap * 2 : 8;
		struct bound_hit *n = realloc(h->items, cap * sizeof *n);
		if (!n)
			return -1;
		h->items = n;
		h->cap = cap;
	}
	h->items[h->len++] = (struct bound_hit){line, b, api, 1};
	return 0;
}

int bound_hits_add(struct bound_hits *h, unsigned line, const char *api, unsigned bits)
{
	for (unsigned b = 0; b < BOUND_COUNT; b++)
		if ((bits & BOUND_BIT(b)) && add_one(h, line, api, (enum bound)b) != 0)
			return -1;
	return 0;
}

static int by_line(const void *a, const void *b)
{
	const struct bound_hit *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return (x->bound > y->bound) - (x->bound < y->bound);
}

void bound_hits_report(struct report *r, struct bound_tally *t, const char *file, struct bound_hits *h)
{
	if (h->len > 1)
		qsort(h->items, h->len, sizeof *h->items, by_line);
	for (size_t i = 0; i < h->len; i++) {
		const struct bound_hit *x = &h->items[i];
		const struct bound_info *b = bound_info(x->bound);
		if (t->entries >= BOUND_REPORT_MAX) {
			t->more++;
			continue;
		}
		t->entries++;
		report_add_incomplete(r, file,
				      "line %u: bound %s (%u %s) hit: the destination of %s is missing what it "
				      "cut (%u reading%s of the call site)", x->line, b->name, b->limit, b->what,
				      x->api, x->count, x->count == 1 ? "" : "s");
	}
	h->len = 0;
}

void bound_tally_finish(struct report *r, const struct bound_tally *t)
{
	if (t->more)
		report_add_incomplete(r, NULL, "and %u more call sites where a bound of the static engine was hit "
				      "(only the first %u are listed)", t->more, BOUND_REPORT_MAX);
}

void bound_hits_free(struct bound_hits *h)
{
	free(h->items);
	h->items = NULL;
	h->len = h->cap = 0;
}
