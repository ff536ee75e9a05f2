/* Bump allocation in chained blocks. */
#include "analyzer/arena.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define FIRST_BLOCK ((size_t)512)   /* most files' results are small: start small, double */
#define BLOCK_SIZE ((size_t)64 << 10)
#define ARENA_CAP ((size_t)256 << 20)

struct block {
	struct block *next;
	size_t used, size;
	max_align_t data[];
};

struct arena {
	struct block *head;
	size_t total;
	size_t cap;
	bool failed;
	max_align_t spare[ARENA_SPARE / sizeof(max_align_t)];
};

/* MCPAUDIT_ARENA_CAP lowers the cap (never raises it): tests sweep it to make every
 * allocation site in the evaluator fail in turn. */
static size_t configured_cap(void)
{
	const char *env = getenv("MCPAUDIT_ARENA_CAP");
	char *end;
	unsigned long long n;

	if (!env || !*env)
		return ARENA_CAP;
	n = strtoull(env, &end, 10);
	return *end || n == 0 || n > ARENA_CAP ? ARENA_CAP : (size_t)n;
}

struct arena *arena_new(void)
{
	struct arena *a = calloc(1, sizeof(struct arena));

	if (a)
		a->cap = configured_cap();
	return a;
}

void arena_free(struct arena *a)
{
	struct block *b, *next;

	if (!a)
		return;
	for (b = a->head; b; b = next) {
		next = b->next;
		free(b);
	}
	free(a);
}

static struct block *new_block(struct arena *a, size_t need)
{
	size_t grow = a->head ? a->head->size * 2 : FIRST_BLOCK;
	size_t size = grow > BLOCK_SIZE ? BLOCK_SIZE : grow;

	if (need > size)
		size = need;
	struct block *b;

	if (size > a->cap || a->total > a->cap - size)
		return NULL;
	b = malloc(sizeof *b + size);
	if (!b)
		return NULL;
	b->used = 0;
	b->size = size;
	b->next = a->head;
	a->head = b;
	a->total += size;
	return b;
}

void *arena_alloc(struct arena *a, size_t n)
{
	struct block *b = a->head;
	size_t align = sizeof(max_align_t);
	void *p;

	if (n > ARENA_CAP) {  /* also keeps the rounding below from overflowing */
		a->failed = true;
		return NULL;
	}
	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	if (!b || b->size - b->used < n) {
		b = new_block(a, n);
		if (!b) {
			a->failed = true;
			return NULL;
		}
	}
	p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

const char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (!p)
		return "";
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

const char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

void *arena_spare(struct arena *a, size_t n)
{
	if (!a || n > sizeof a->spare)
		return NULL;
	memset(a->spare, 0, n);
	return a->spare;
}

bool arena_failed(const struct arena *a)
{
	return a && a->failed;
}

size_t arena_cap(const struct arena *a)
{
	return a ? a->cap : ARENA_CAP;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}

void arena_reset(struct arena *a)
{
	struct block *b, *next;

	if (!a || !a->head)
		return;
	for (b = a->head->next; b; b = next) {
		next = b->next;
		free(b);
	}
	/* the newest block is at the head: keep it, empty */
	a->head->next = NULL;
	a->head->used = 0;
	a->total = a->head->size;
}
