/* http_hint: where a server that did not answer on stdio listens, from what it printed and
 * the ports it listened on. Table-driven; written with the module (the e2e test
 * tests/e2e/test_audit_start.py is the one that failed on the old audit). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <string.h>

#include "audit/http_hint.h"

struct hint_case {
	const char *output;
	uint16_t listening;   /* 0: none seen */
	bool found;
	uint16_t port;
	const char *path;
	const char *why;      /* a part of the reason */
};

static const struct hint_case cases[] = {
	{"Widget MCP server listening on http://localhost:3717/mcp\n", 0, true, 3717, "/mcp", "printed"},
	{"Server running at http://127.0.0.1:8931/mcp/v1.\n", 0, true, 8931, "/mcp/v1", "printed"},
	{"INFO: Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)\n", 0, true, 8000, "/mcp", "printed"},
	/* kept as announced: the driver tries it with streamable HTTP, then with the legacy transport */
	{"SSE endpoint: http://[::1]:9090/sse\n", 0, true, 9090, "/sse", "legacy SSE"},
	/* a remote address is documentation, not where this server listens */
	{"see https://docs.example.com:443/x and http://api.example.com:8080/mcp\n", 0, false, 0, NULL, NULL},
	{"Error: listen EADDRINUSE: address already in use 127.0.0.1:3000\n    at Server.setupListenHandle\n", 0, true,
	 3000, "/mcp", "tried to listen on port 3000"},
	{"ERROR: [Errno 98] error while attempting to bind on address ('0.0.0.0', 8000): address already in use\n", 0,
	 true, 8000, "/mcp", "port 8000"},
	{"starting...\n", 4100, true, 4100, "/mcp", "listened on TCP port 4100"},
	/* what it printed wins over a port seen (a second port may be a metrics page) */
	{"ready: http://localhost:5123/mcp\n", 9100, true, 5123, "/mcp", "printed"},
	{"http://localhost:99999/mcp and http://localhost:/mcp\n", 0, false, 0, NULL, NULL},
	{"", 0, false, 0, NULL, NULL},
	/* the path goes into the driver's request line: it stops at anything a path cannot hold */
	{"at http://localhost:4000/mcp\r\nX-Evil: 1\n", 0, true, 4000, "/mcp", "printed"},
	{"at http://localhost:4001/a\x01b\n", 0, true, 4001, "/a", "printed"},
};

static void test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const struct hint_case *c = &cases[i];
		struct trace_seen seen = {.output = (char *)c->output, .n_listening = c->listening ? 1 : 0,
					  .listening = {c->listening}};
		struct http_hint h;
		bool found = http_hint_find(&seen, &h);
		if (found != c->found)
			fail_msg("case %zu (%s): found %d", i, c->output, found);
		if (!found)
			continue;
		if (h.port != c->port || strcmp(h.path, c->path) || !strstr(h.why, c->why))
			fail_msg("case %zu: port %u path %s why '%s'", i, h.port, h.path, h.why);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
