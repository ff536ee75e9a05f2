/* lang: the one table of source-file extensions (issue 8, "one home": it was written out in
 * six places that disagreed, e.g. the client-config reader did not take .pyw, .jsx or .tsx
 * for scripts and the module index did not strip .mts or .cts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "analyzer/lang.h"

struct ext_case {
	const char *path;
	bool source;
	size_t suffix;  /* lang_suffix_len */
	bool node;      /* lang_node_runs */
};

static const struct ext_case cases[] = {
	{"src/index.js", true, 3, true},      {"a.mjs", true, 4, true},        {"a.cjs", true, 4, true},
	{"A.JS", true, 3, true},              {"a.jsx", true, 4, false},       {"a.ts", true, 3, false},
	{"a.mts", true, 4, false},            {"a.cts", true, 4, false},       {"a.tsx", true, 4, false},
	{"server.py", true, 3, false},        {"gui.pyw", true, 4, false},     {"types.d.ts", false, 3, false},
	{"README.md", false, 0, false},       {".js", false, 0, false},        {"dir.js/file", false, 0, false},
	{"noext", false, 0, false},
};

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		const struct ext_case *c = &cases[i];
		if (lang_for_path(c->path, NULL) != c->source || lang_suffix_len(c->path) != c->suffix ||
		    lang_node_runs(c->path) != c->node)
			fail_msg("%s: source %d suffix %zu node %d", c->path, lang_for_path(c->path, NULL),
				 lang_suffix_len(c->path), lang_node_runs(c->path));
	}
}

static void test_node_suffixes(void **state)
{
	(void)state;
	assert_string_equal(lang_node_suffix(0), ".js");  /* node's own order: .js first */
	assert_string_equal(lang_node_suffix(1), ".cjs");
	assert_string_equal(lang_node_suffix(2), ".mjs");
	assert_null(lang_node_suffix(3));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_node_suffixes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
