/* A set of documentation words: open addressing on the lower-cased word. */
#include "core/doc_words.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define WORD_MIN 2
#define WORD_MAX 40

struct doc_word {
	char *key;       /* lower case */
	char *spelling;  /* as first written */
	char *source;    /* "README.md:12" */
};

struct doc_words {
	struct doc_word *slots;
	size_t cap, used;   /* cap is a power of two; kept at most half full */
};

static uint64_t hash_word(const char *w, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)tolower((unsigned char)w[i])) * 1099511628211ull;
	return h;
}

/* The slot holding w[0..n), or the empty slot where it goes. */
static struct doc_word *slot_of(const struct doc_words *s, const char *w, size_t n)
{
	size_t i = (size_t)hash_word(w, n) & (s->cap - 1);

	while (s->slots[i].key && !(strlen(s->slots[i].key) == n && strncasecmp(s->slots[i].key, w, n) == 0))
		i = (i + 1) & (s->cap - 1);
	return &s->slots[i];
}

static int grow(struct doc_words *s)
{
	struct doc_words bigger = {calloc(s->cap ? s->cap * 2 : 256, sizeof *s->slots), s->cap ? s->cap * 2 : 256, s->used};

	if (!bigger.slots)
		return -1;
	for (size_t i = 0; i < s->cap; i++)
		if (s->slots[i].key)
			*slot_of(&bigger, s->slots[i].key, strlen(s->slots[i].key)) = s->slots[i];
	free(s->slots);
	*s = bigger;
	return 0;
}

int doc_words_add(struct doc_words **set, const char *w, size_t n, const char *rel, unsigned line)
{
	struct doc_word *slot;
	char source[4096];

	if (n < WORD_MIN || n > WORD_MAX)
		return 0;
	if (!*set && !(*set = calloc(1, sizeof **set)))
		return -1;
	if (((*set)->used + 1) * 2 > (*set)->cap && grow(*set) != 0)
		return -1;
	slot = slot_of(*set, w, n);
	if (slot->key)
		return 0;  /* the first place a word appears is the one shown */
	snprintf(source, sizeof source, "%s:%u", rel, line);
	slot->key = strndup(w, n);
	slot->spelling = strndup(w, n);
	slot->source = strdup(source);
	if (!slot->key || !slot->spelling || !slot->source) {
		free(slot->key);
		free(slot->spelling);
		free(slot->source);
		memset(slot, 0, sizeof *slot);
		return -1;
	}
	for (char *p = slot->key; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	(*set)->used++;
	return 0;
}

const char *doc_words_find(const struct doc_words *set, const char *word, const char **spelling)
{
	const struct doc_word *slot;

	if (!set || !set->cap || !word)
		return NULL;
	slot = slot_of(set, word, strlen(word));
	if (!slot->key)
		return NULL;
	if (spelling)
		*spelling = slot->spelling;
	return slot->source;
}

int doc_words_scan(struct doc_words **set, const char *text, size_t n, const char *rel, unsigned line)
{
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && (isalnum((unsigned char)text[j]) || text[j] == '_') && !(text[j] & 0x80))
			j++;
		if (j > i && doc_words_add(set, text + i, j - i, rel, line) != 0)
			return -1;
		i = j > i ? j : i + 1;
	}
	return 0;
}

void doc_words_free(struct doc_words *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->cap; i++) {
		free(set->slots[i].key);
		free(set->slots[i].spelling);
		free(set->slots[i].source);
	}
	free(set->slots);
	free(set);
}
