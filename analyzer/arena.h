/* A bump allocator: memory for one analysed file, freed at once (cf. tcpdump's netdissect-alloc). */
#ifndef MCPAUDIT_ARENA_H
#define MCPAUDIT_ARENA_H

#include <stddef.h>

struct arena;

/* Caller frees with arena_free. NULL when memory runs out. */
struct arena *arena_new(void);
void arena_free(struct arena *a);

/* Zeroed memory that lives until arena_free; NULL when memory runs out or the arena
 * has reached its cap (256 MiB: a hostile file cannot make it grow without bound). */
void *arena_alloc(struct arena *a, size_t n);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
size_t arena_used(const struct arena *a);
/* Free everything but the first block, for scratch memory reused per call site. */
void arena_reset(struct arena *a);

#endif
