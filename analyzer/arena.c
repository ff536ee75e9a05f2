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
};

struct arena *arena_new(void)
{
	return calloc(1, sizeof(struct arena));
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

	if (size > ARENA_CAP || a->total > ARENA_CAP - size)
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

	if (n > ARENA_CAP)  /* also keeps the rounding below from overflowing */
		return NULL;
	n = (n + align - 1) / align * align;
	if (n == 0)
		n = align;
	if (!b || b->size - b->used < n) {
		b = new_block(a, n);
		if (!b)
			return NULL;
	}
	p = (char *)b->data + b->used;
	b->used += n;
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
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
