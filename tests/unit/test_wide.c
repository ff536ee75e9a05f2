/* Unit tests for the wide-node walk (analyzer/wide.c): the walk skips subtrees too small to
 * hold a wide node or to nest past the depth bound, and still finds both. The first test
 * failed before the skip (the walk visited every node of the tree); checked by making
 * nothing_below return false. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tree_sitter/api.h>

#include "analyzer/lang.h"
#include "analyzer/wide.h"

#define MAX_DEPTH 1000

/* wide_find over src parsed as JavaScript; *nodes gets the tree's node count. */
static void find(const char *src, struct wide_list *w, uint32_t *nodes)
{
	TSParser *p = ts_parser_new();
	TSTree *t;

	assert_non_null(p);
	assert_true(ts_parser_set_language(p, grammar_ts_language(GRAMMAR_JAVASCRIPT)));
	t = ts_parser_parse_string(p, NULL, src, (uint32_t)strlen(src));
	assert_non_null(t);
	*nodes = ts_node_descendant_count(ts_tree_root_node(t));
	wide_find(ts_tree_root_node(t), MAX_DEPTH, w);
	ts_tree_delete(t);
	ts_parser_delete(p);
}

/* src: n copies of piece between head and tail. */
static char *repeat(const char *head, const char *piece, size_t n, const char *tail)
{
	size_t len = strlen(head) + strlen(piece) * n + strlen(tail) + 1;
	char *s = malloc(len), *q = s;

	assert_non_null(s);
	q += snprintf(q, len, "%s", head);
	for (size_t i = 0; i < n; i++)
		q += snprintf(q, len - (size_t)(q - s), "%s", piece);
	snprintf(q, len - (size_t)(q - s), "%s", tail);
	return s;
}

static void test_ordinary_code_is_skipped(void **state)
{
	char *src = repeat("", "function f(a) { return a + 1; }\n", 2000, "");
	struct wide_list *w = calloc(1, sizeof *w);
	uint32_t nodes;

	(void)state;
	assert_non_null(w);
	find(src, w, &nodes);
	assert_int_equal(w->n, 0);
	assert_false(w->too_deep);
	assert_true(nodes > 20000);
	/* the program node and its 2000 functions, not their insides */
	assert_true(w->visited < nodes / 5);
	free(w);
	free(src);
}

static void test_wide_node_still_found(void **state)
{
	char *src = repeat("function g() { return 1; }\nvar x = [", ",", 6000, "1];\n");
	struct wide_list *w = calloc(1, sizeof *w);
	uint32_t nodes;

	(void)state;
	assert_non_null(w);
	find(src, w, &nodes);
	assert_int_equal(w->n, 1);
	assert_true(w->longest_run >= 6000);
	free(w);
	free(src);
}

static void test_depth_bound_still_seen(void **state)
{
	struct wide_list *w = calloc(1, sizeof *w);
	char *deep = repeat("x = ", "[", 1200, ""), *src, *shallow;
	uint32_t nodes;

	(void)state;
	assert_non_null(w);
	/* 1200 nested arrays: deeper than the bound, with fewer than 1024 nodes below most */
	src = repeat(deep, "]", 1200, ";\n");
	find(src, w, &nodes);
	assert_true(w->too_deep);
	free(src);
	free(deep);
	/* 300 nested arrays: within it */
	deep = repeat("x = ", "[", 300, "");
	shallow = repeat(deep, "]", 300, ";\n");
	find(shallow, w, &nodes);
	assert_false(w->too_deep);
	free(shallow);
	free(deep);
	free(w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ordinary_code_is_skipped),
		cmocka_unit_test(test_wide_node_still_found),
		cmocka_unit_test(test_depth_bound_still_seen),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
