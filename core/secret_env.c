/* secret_env: names split into words and compared with the lists of core/data/secret_env.txt. */
#include "core/secret_env.h"

#include <ctype.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "core/policy.h"

#define WORDS_MAX 128
#define WORD_LEN 48

enum kind { K_WORD, K_ENDING, K_HARMLESS, K_SECRET, K_PLAIN, K_COUNT };

static const char *const kind_names[K_COUNT] = {"word", "ending", "harmless", "secret", "plain"};

/* The lists, read once from the embedded file. */
static struct {
	char items[K_COUNT][WORDS_MAX][WORD_LEN];
	size_t n[K_COUNT];
} lists;
static pthread_once_t lists_once = PTHREAD_ONCE_INIT;

static int add_line(const char *entry, void *arg)
{
	char copy[512], *save = NULL, *t;
	int k;

	(void)arg;
	snprintf(copy, sizeof copy, "%s", entry);
	t = strtok_r(copy, " \t", &save);
	for (k = 0; t && k < K_COUNT && strcmp(kind_names[k], t) != 0; k++)
		;
	if (!t || k == K_COUNT)
		return 0; /* the unit test checks every line parses */
	while ((t = strtok_r(NULL, " \t", &save)) && lists.n[k] < WORDS_MAX)
		snprintf(lists.items[k][lists.n[k]++], WORD_LEN, "%s", t);
	return 0;
}

static void load(void)
{
	policy_each_listed(SECRET_ENV_LIST, add_line, NULL);
}

static bool in(enum kind k, const char *s)
{
	for (size_t i = 0; i < lists.n[k]; i++)
		if (strcmp(lists.items[k][i], s) == 0)
			return true;
	return false;
}

static bool ends_with_listed(const char *word)
{
	size_t n = strlen(word);

	for (size_t i = 0; i < lists.n[K_ENDING]; i++) {
		size_t m = strlen(lists.items[K_ENDING][i]);
		if (n > m && strcmp(word + n - m, lists.items[K_ENDING][i]) == 0)
			return true;
	}
	return false;
}

bool secret_env_name(const char *name)
{
	char word[WORD_LEN], last[WORD_LEN] = "", upper[256];
	size_t n = 0, u = 0;
	bool hit = false;

	if (!name)
		return false;
	pthread_once(&lists_once, load);
	for (const char *p = name;; p++) {
		unsigned char c = (unsigned char)*p;
		bool split = !isalnum(c) || (p > name && islower((unsigned char)p[-1]) && isupper(c));
		if (split && n) {
			word[n] = '\0';
			hit = hit || in(K_WORD, word) || ends_with_listed(word);
			memcpy(last, word, n + 1);
			n = 0;
		}
		if (!c)
			break;
		if (u + 1 < sizeof upper)
			upper[u++] = (char)toupper(c);
		if (isalnum(c) && n < sizeof word - 1)
			word[n++] = (char)toupper(c);
	}
	upper[u] = '\0';
	if (in(K_SECRET, upper))
		return true;
	return hit && !in(K_HARMLESS, last) && !in(K_PLAIN, upper);
}
