/* The sink pass's pre-filter: a set of trigger words and one scan over a file's bytes. */
#include "analyzer/prefilter.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/catalog.h"
#include "analyzer/lang.h"
#include "analyzer/query.h"
#include "analyzer/summary.h"

#define MAX_WORD 128

/* Names the evaluator gives a member of these any name (analyzer/eval.c: `globalThis[k]`
 * is the global k), so a file that spells one may reach any global. */
static const char *const any_global[] = {"globalThis", "window", "self", "global", NULL};

/* Open addressing, power-of-two capacity; words are owned. */
struct prefilter {
	char **slots;
	size_t cap, used;
	bool failed;
};

static bool ident_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$';
}

static uint64_t hash_word(const char *w, size_t n)
{
	uint64_t h = 1469598103934665603ull;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)w[i]) * 1099511628211ull;
	return h;
}

static bool has_word(const struct prefilter *pf, const char *w, size_t n)
{
	for (size_t i = hash_word(w, n) & (pf->cap - 1);; i = (i + 1) & (pf->cap - 1)) {
		const char *s = pf->slots[i];
		if (!s)
			return false;
		if (!strncmp(s, w, n) && !s[n])
			return true;
	}
}

static bool grow(struct prefilter *pf)
{
	size_t cap = pf->cap ? pf->cap * 2 : 512;
	char **slots = calloc(cap, sizeof *slots);

	if (!slots)
		return false;
	for (size_t k = 0; k < pf->cap; k++) {
		size_t i;
		if (!pf->slots[k])
			continue;
		for (i = hash_word(pf->slots[k], strlen(pf->slots[k])) & (cap - 1); slots[i]; i = (i + 1) & (cap - 1))
			;
		slots[i] = pf->slots[k];
	}
	free(pf->slots);
	pf->slots = slots;
	pf->cap = cap;
	return true;
}

static void add_word(struct prefilter *pf, const char *w, size_t n)
{
	size_t i;
	char *copy;

	if (pf->failed || !n)
		return;
	if (pf->cap && has_word(pf, w, n))
		return;
	if ((pf->used + 1) * 2 > pf->cap && !grow(pf)) {
		pf->failed = true;
		return;
	}
	if (!(copy = strndup(w, n))) {
		pf->failed = true;
		return;
	}
	for (i = hash_word(w, n) & (pf->cap - 1); pf->slots[i]; i = (i + 1) & (pf->cap - 1))
		;
	pf->slots[i] = copy;
	pf->used++;
}

/* The longest identifier word of a name's first segment ("node-fetch.x" gives "fetch"):
 * wherever the file spells the segment, it spells that word whole. A segment with no such
 * word cannot be ruled out by any text, so it makes every file a candidate. */
static void add_name(void *ctx, const char *name)
{
	struct prefilter *pf = ctx;
	size_t seg = strcspn(name, "."), best = 0, at = 0;

	for (size_t i = 0; i < seg;) {
		size_t j = i;
		while (j < seg && ident_byte((unsigned char)name[j]))
			j++;
		if (j - i > best) {
			best = j - i;
			at = i;
		}
		i = j + 1;
	}
	if (!best || best >= MAX_WORD)
		pf->failed = true;
	else
		add_word(pf, name + at, best);
}

struct prefilter *prefilter_new(const struct query_set *qs, const struct summary_set *sums)
{
	const char *off = getenv("MCPAUDIT_NO_PREFILTER");
	struct prefilter *pf;

	if ((off && *off) || !(pf = calloc(1, sizeof *pf)))
		return NULL;
	for (int g = 0; g < GRAMMAR_COUNT; g++)
		if (grammar_is_js((enum grammar)g))
			query_set_each_sink_name(&qs[g], add_name, pf);
	catalog_each_callee(GRAMMAR_JAVASCRIPT, add_name, pf);
	for (size_t i = 0; sums && i < sums->items.len; i++)
		add_name(pf, sums->items.items[i].lib.callee);
	for (size_t i = 0; any_global[i]; i++)
		add_word(pf, any_global[i], strlen(any_global[i]));
	if (pf->failed) {
		prefilter_free(pf);
		return NULL;
	}
	return pf;
}

void prefilter_free(struct prefilter *pf)
{
	if (!pf)
		return;
	for (size_t i = 0; i < pf->cap; i++)
		free(pf->slots[i]);
	free(pf->slots);
	free(pf);
}

static size_t skip_space(const char *s, size_t len, size_t i)
{
	while (i < len && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r'))
		i++;
	return i;
}

/* A plain '...' or "..." literal at s[i]: the index past it, or 0 when there is none (a
 * template, an escape, an expression), for then the evaluator may make any name of it. */
static size_t plain_literal(const char *s, size_t len, size_t i)
{
	char q;

	if (i >= len || (s[i] != '\'' && s[i] != '"'))
		return 0;
	q = s[i];
	for (i++; i < len && s[i] != q; i++)
		if (s[i] == '\\' || s[i] == '\n')
			return 0;
	return i < len ? i + 1 : 0;
}

/* After the word require, import or from ending at s[i]: whether a module specifier follows
 * that is not a plain literal (require(x), import(`./${y}`), from '\x61xios'). A comment
 * between the word and its parenthesis counts as computed: it is not looked into. */
static bool computed_specifier(const char *s, size_t len, size_t i, bool from)
{
	size_t j = skip_space(s, len, i);

	if (j >= len)
		return false;
	if (s[j] == '\'' || s[j] == '"')
		return !plain_literal(s, len, j);
	if (from)
		return false;  /* Array.from(x): no specifier */
	if (s[j] == '`' || s[j] == '/')
		return true;
	if (s[j] != '(')
		return false;
	j = plain_literal(s, len, skip_space(s, len, j + 1));
	return !j || (j = skip_space(s, len, j)) >= len || s[j] != ')';
}

static bool word_is(const char *w, size_t n, const char *lit)
{
	return n == strlen(lit) && !memcmp(w, lit, n);
}

bool prefilter_needs_sinks(const struct prefilter *pf, const char *src, size_t len, bool own_file)
{
	if (!pf || (own_file && memmem(src, len, "://", 3)))
		return true;
	for (size_t i = 0; i < len;) {
		size_t start = i, n;
		if (!ident_byte((unsigned char)src[i])) {
			i++;
			continue;
		}
		while (i < len && ident_byte((unsigned char)src[i]))
			i++;
		n = i - start;
		if (n < MAX_WORD && has_word(pf, src + start, n))
			return true;
		if ((word_is(src + start, n, "require") || word_is(src + start, n, "import")) &&
		    computed_specifier(src, len, i, false))
			return true;
		if (word_is(src + start, n, "from") && computed_specifier(src, len, i, true))
			return true;
	}
	return false;
}
