/* url_probe: prints what url_parse_as makes of each string of a JSON array on stdin, for
 * test_url_runtimes.py to compare with Node and Python themselves. Output: one JSON array
 * of {"whatwg": HOST|null, "whatwg_port": N, "python": HOST|null, "python_port": N}. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/strbuf.h"
#include "core/url.h"

static void add_result(cJSON *o, const char *s, enum url_dialect d, const char *host_key, const char *port_key)
{
	struct url_parts u;

	if (url_parse_as(s, d, &u)) {
		cJSON_AddStringToObject(o, host_key, u.host);
		cJSON_AddNumberToObject(o, port_key, u.port);
	} else {
		cJSON_AddNullToObject(o, host_key);
		cJSON_AddNumberToObject(o, port_key, 0);
	}
}

int main(void)
{
	struct strbuf in = STRBUF_INIT(1 << 20);
	char buf[4096];
	size_t n;
	cJSON *list, *out = cJSON_CreateArray(), *it;
	char *text;

	while ((n = fread(buf, 1, sizeof buf, stdin)) > 0)
		strbuf_append(&in, buf, n);
	list = cJSON_Parse(strbuf_str(&in));
	if (!cJSON_IsArray(list) || !out) {
		fprintf(stderr, "url_probe: stdin is not a JSON array\n");
		return 2;
	}
	cJSON_ArrayForEach(it, list) {
		cJSON *o = cJSON_CreateObject();
		const char *s = cJSON_GetStringValue(it);
		if (!o || !s)
			return 2;
		add_result(o, s, URL_WHATWG, "whatwg", "whatwg_port");
		add_result(o, s, URL_PYTHON, "python", "python_port");
		cJSON_AddItemToArray(out, o);
	}
	text = cJSON_PrintUnformatted(out);
	puts(text ? text : "null");
	free(text);
	cJSON_Delete(list);
	cJSON_Delete(out);
	strbuf_free(&in);
	return 0;
}
