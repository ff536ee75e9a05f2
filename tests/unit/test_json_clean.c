/* json_read_message (what a hostile server's JSON-RPC message becomes for the driver) and
 * term (terminal output): table-driven, byte literals. Issue 8, items 8, 9 and 16: each case
 * of the tables below made cJSON refuse the whole message, cut a string, or reached the
 * terminal raw before the fix (checked with cJSON_Parse on the same input and with fprintf
 * in place of term_printf). The cases were json_clean's (tracer/json_clean.c) before
 * json_read took its job; the trees are the same. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/json_read.h"
#include "core/term.h"

/* in: the server's text; out: the tree read, as cJSON prints it (NULL: not JSON) */
static const struct {
	const char *in;
	const char *out;
	unsigned long surrogates, deep, nuls, bad;
} cases[] = {
	{"{\"a\":\"plain\"}", "{\"a\":\"plain\"}", 0, 0, 0, 0},
	/* a lone high surrogate, a lone low one, and a proper pair */
	{"[\"\\ud800\",\"x\\udc00y\",\"\\ud83d\\ude00\"]", "[\"\xef\xbf\xbd\",\"x\xef\xbf\xbdy\",\"\xf0\x9f\x98\x80\"]", 2, 0, 0, 0},
	/* a high surrogate followed by another high one: both lone */
	{"\"\\uD800\\uD800\"", "\"\xef\xbf\xbd\xef\xbf\xbd\"", 2, 0, 0, 0},
	/* a NUL escape is kept as the mark, in keys as in values */
	{"{\"search_issues\\u0000\":\"a\\u0000b\"}", "{\"search_issues\xff\":\"a\xff" "b\"}", 0, 0, 2, 0},
	/* a raw 0xFF byte the server sent cannot pass for the mark */
	{"\"a\xff\"", "\"a\xef\xbf\xbd\"", 0, 0, 0, 1},
	/* an escaped backslash before u0000 is text, not a NUL */
	{"\"\\\\u0000\"", "\"\\\\u0000\"", 0, 0, 0, 0},
	/* brackets inside strings do not count as nesting */
	{"[\"[[[[\",{\"k\":\"}}\"}]", "[\"[[[[\",{\"k\":\"}}\"}]", 0, 0, 0, 0},
	/* depth 3 kept: the fourth level reads as null, strings with brackets skipped whole */
	{"[[[[\"]\",[1]],2],3],4]", "[[[null,2],3],4]", 0, 1, 0, 0},
	{"{\"a\":{\"b\":{\"c\":{\"d\":1}},\"e\":2}}", "{\"a\":{\"b\":{\"c\":null},\"e\":2}}", 0, 1, 0, 0},
	/* a duplicate key: the last value, as JSON.parse in the MCP clients */
	{"{\"tools\":[],\"tools\":[1]}", "{\"tools\":[1]}", 0, 0, 0, 0},
	/* not JSON stays not JSON */
	{"not json {", NULL, 0, 0, 0, 0},
};

static void test_clean_table(void **state)
{
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct json_repairs st = {0};
		cJSON *v = json_read_message(cases[i].in, strlen(cases[i].in), 3, &st);
		char *printed = v ? cJSON_PrintUnformatted(v) : NULL;
		if (!cases[i].out ? printed != NULL : !printed || strcmp(printed, cases[i].out) != 0)
			fail_msg("case %zu: got %s, want %s", i, printed ? printed : "(not JSON)",
				 cases[i].out ? cases[i].out : "(not JSON)");
		assert_int_equal(st.surrogates, cases[i].surrogates);
		assert_int_equal(st.deep_values, cases[i].deep);
		assert_int_equal(st.nuls, cases[i].nuls);
		assert_int_equal(st.bad_bytes, cases[i].bad);
		free(printed);
		cJSON_Delete(v);
	}
}

/* A raw NUL inside a string (not JSON, but cJSON took it and cut the string) is the mark too. */
static void test_raw_nul_in_string(void **state)
{
	static const char in[] = "{\"name\":\"a\0b\"}";
	struct json_repairs st = {0};
	cJSON *v = json_read_message(in, sizeof in - 1, 8, &st);

	assert_non_null(v);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(v, "name")->valuestring, "a\xff" "b");
	assert_int_equal(st.nuls, 1);
	cJSON_Delete(v);
}

/* A NUL byte between values is no end of the message (cJSON took it as space). */
static void test_nul_byte_in_input(void **state)
{
	static const char in[] = "[1,\0 2]";
	cJSON *v = json_read_message(in, sizeof in - 1, 8, NULL);

	assert_non_null(v);
	assert_int_equal(cJSON_GetArraySize(v), 2);
	assert_int_equal(cJSON_GetArrayItem(v, 1)->valueint, 2);
	cJSON_Delete(v);
}

/* 100,000 levels: cJSON alone refuses it (its limit is 1,000); read with the cap, it parses. */
static void test_very_deep(void **state)
{
	size_t depth = 100000, n = 0;
	char *text = malloc(2 * depth + 64);
	struct json_repairs st = {0};
	cJSON *v, *tools;

	n += (size_t)snprintf(text, 64, "{\"tools\":[{\"name\":\"t\"}],\"x\":");
	memset(text + n, '[', depth);
	memset(text + n + depth, ']', depth);
	n += 2 * depth;
	text[n++] = '}';
	assert_null(cJSON_ParseWithLength(text, n));
	v = json_read_message(text, n, JSON_RPC_MAX_DEPTH, &st);
	assert_non_null(v);
	assert_int_equal(st.deep_values, 1);
	tools = cJSON_GetObjectItemCaseSensitive(v, "tools");
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(tools, 0), "name")->valuestring, "t");
	cJSON_Delete(v);
	free(text);
}

/* The mark survives cJSON both ways: parsed, printed, unmarked, it is the server's text. */
static void test_round_trip(void **state)
{
	static const char in[] = "{\"name\":\"search_issues\\u0000\"}";
	struct json_repairs st = {0};
	cJSON *v = json_read_message(in, sizeof in - 1, JSON_RPC_MAX_DEPTH, &st);
	char *printed, *exact;

	assert_non_null(v);
	assert_string_equal(cJSON_GetObjectItemCaseSensitive(v, "name")->valuestring, "search_issues\xff");
	printed = cJSON_PrintUnformatted(v);
	exact = json_unmark(printed);
	assert_string_equal(exact, in);
	assert_null(json_unmark(NULL));
	free(printed);
	free(exact);
	cJSON_Delete(v);
}

static char *term_output(void (*write)(FILE *f))
{
	FILE *f = tmpfile();
	char *buf = calloc(1, 4096);

	assert_non_null(f);
	assert_non_null(buf);
	write(f);
	rewind(f);
	assert_true(fread(buf, 1, 4095, f) > 0);
	fclose(f);
	return buf;
}

#define HOSTILE "\x1b[2J\x1b[1;32mVERDICT: PASS\x1b]52;c;ZXZpbA==\x07\xe2\x80\xae" "evil\r\x9b"

static void write_message(FILE *f)
{
	term_printf(f, "mcpaudit: %s: %s\n", HOSTILE, "done");
}

static void write_status(FILE *f)
{
	term_status(f, "mcpaudit: %.60s: %s...", HOSTILE, "reading the code");
}

static void test_term(void **state)
{
	char *msg = term_output(write_message), *status = term_output(write_status);

	assert_string_equal(msg, "mcpaudit: \\x1b[2J\\x1b[1;32mVERDICT: PASS\\x1b]52;c;ZXZpbA==\\x07\\u202eevil\\x0d\\x9b: "
				 "done\n");
	/* the status line's own carriage return and erase are all the control it sends */
	assert_true(strncmp(status, "\rmcpaudit: \\x1b[2J", 18) == 0);
	assert_non_null(strstr(status, "reading the code...\x1b[K"));
	assert_null(strchr(status + 1, '\r'));
	assert_ptr_equal(strchr(status, '\x1b'), status + strlen(status) - 3);
	free(msg);
	free(status);
}

/* A message past term's cap (64 KiB) is cut and says so, and keeps its line end. Before,
 * it was cut in silence and lost its newline (checked by running this test then). */
static void test_term_long(void **state)
{
	size_t n = 70u << 10;
	char *big = malloc(n + 1), *got = calloc(1, 2 * n);
	FILE *f = tmpfile();
	size_t len;

	(void)state;
	assert_non_null(big);
	assert_non_null(got);
	assert_non_null(f);
	memset(big, 'a', n);
	big[n] = '\0';
	term_printf(f, "record: %s\n", big);
	rewind(f);
	len = fread(got, 1, 2 * n - 1, f);
	fclose(f);
	assert_true(len > (64u << 10) && len < n);
	assert_non_null(strstr(got, "a [cut: longer than 64 KiB]\n"));
	assert_int_equal(got[len - 1], '\n');
	free(big);
	free(got);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_table),
		cmocka_unit_test(test_nul_byte_in_input),
		cmocka_unit_test(test_raw_nul_in_string),
		cmocka_unit_test(test_very_deep),
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_term),
		cmocka_unit_test(test_term_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
