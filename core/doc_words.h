/* The words of a target's own documentation, so that the policy can ask whether the docs
 * name a service ("uses the OpenAI API") without writing its host. */
#ifndef MCPAUDIT_DOC_WORDS_H
#define MCPAUDIT_DOC_WORDS_H

#include <stddef.h>

struct doc_words;

/* Remember the word w[0..n) (a run of ASCII letters, digits and '_'; compared without case)
 * with where it first appears ("README.md", line). *set is created on first use. Words
 * shorter than 2 or longer than 40 bytes are not kept. Returns 0, or -1 when memory runs out. */
int doc_words_add(struct doc_words **set, const char *w, size_t n, const char *rel, unsigned line);

/* Whether word is in set: its first source ("README.md:12", borrowed) and its spelling
 * there ("OpenAI", borrowed) through *spelling; NULL when absent or set is NULL. */
const char *doc_words_find(const struct doc_words *set, const char *word, const char **spelling);

/* Every run of ASCII letters, digits and '_' in text[0..n) (a regular expression's \w, so
 * "OPENAI_API_KEY" is one word and names no service), as a word of line `line` of rel.
 * Returns 0, or -1 when memory runs out. */
int doc_words_scan(struct doc_words **set, const char *text, size_t n, const char *rel, unsigned line);

void doc_words_free(struct doc_words *set);

#endif
