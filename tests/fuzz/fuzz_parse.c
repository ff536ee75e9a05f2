/* fuzz_parse: a libFuzzer entry point over the parsers that read what the target wrote:
 * core/json_read (JSON, JSONC and the driver's JSON-RPC) and core/url (WHATWG and Python).
 * Not built by default.
 *
 * Build and run (clang with libFuzzer), from the repository root:
 *
 *   clang -std=c11 -D_GNU_SOURCE -I. -g -O1 -fsanitize=fuzzer,address,undefined \
 *         tests/fuzz/fuzz_parse.c core/json_read.c core/url.c core/strbuf.c core/vec.c \
 *         -lcjson -lidn2 -o fuzz_parse
 *   ./fuzz_parse -max_len=4096 corpus/
 *
 * The first input byte picks the parser; the rest is the text. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/json_read.h"
#include "core/url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;
	struct json_doc doc = {0};
	struct json_read_error e;
	struct url_parts u;

	if (size < 1)
		return 0;
	if (!(text = malloc(size)))
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0] % 5) {
	case 0:
	case 1:
		if (json_read(text, size - 1, data[0] % 5 ? JSON_JSONC : JSON_STRICT, &doc, &e) == 0)
			for (size_t i = 0; i < doc.nuls.len; i++)
				(void)json_string_length(&doc, doc.nuls.items[i].item);
		json_doc_free(&doc);
		break;
	case 4: {  /* the driver's JSON-RPC dialect: the tree, printed, unmarked */
		cJSON *msg = json_read_message(text, size - 1, 0, NULL);
		char *printed = msg ? cJSON_PrintUnformatted(msg) : NULL;
		free(json_unmark(printed));
		free(printed);
		cJSON_Delete(msg);
		break;
	}
	default:
		(void)url_parse_as(text, data[0] % 5 == 2 ? URL_WHATWG : URL_PYTHON, &u);
		break;
	}
	free(text);
	return 0;
}
