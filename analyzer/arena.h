/* A bump allocator: memory for one analysed file, freed at once (cf. tcpdump's netdissect-alloc). */
#ifndef MCPAUDIT_ARENA_H
#define MCPAUDIT_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct arena;

/* Caller frees with arena_free. NULL when memory runs out. The cap is ARENA_CAP, or the
 * smaller MCPAUDIT_ARENA_CAP (bytes) from the environment: a fault-injection knob the
 * tests use to make allocation fail everywhere in the evaluator. */
struct arena *arena_new(void);
void arena_free(struct arena *a);

/* Zeroed memory that lives until arena_free; NULL when memory runs out or the arena
 * has reached its cap (256 MiB: a hostile file cannot make it grow without bound). */
void *arena_alloc(struct arena *a, size_t n);
/* Copies of strings. When memory runs out they return a shared empty string (never to be
 * written), so a caller reading the text cannot crash; arena_failed says it happened.
 * arena_strdup(a, NULL) is NULL. */
const char *arena_strndup(struct arena *a, const char *s, size_t n);
const char *arena_strdup(struct arena *a, const char *s);
/* For constructors that must hand out writable memory when a is full: a zeroed block of
 * n bytes (n <= ARENA_SPARE) that lives as long as a. The same block every time, zeroed
 * again, so what an earlier caller wrote there is lost (the file is incomplete anyway:
 * arena_failed says so); but it is never shared with another arena, file or thread.
 * NULL when n is too large. */
#define ARENA_SPARE 256
void *arena_spare(struct arena *a, size_t n);
/* Whether an allocation from a has ever failed (the cap was reached): sticky across
 * arena_reset, so the file's analysis can be reported as incomplete. */
bool arena_failed(const struct arena *a);
/* The cap in bytes, for the report. */
size_t arena_cap(const struct arena *a);
size_t arena_used(const struct arena *a);
/* Free everything but the first block, for scratch memory reused per call site. */
void arena_reset(struct arena *a);

#endif
