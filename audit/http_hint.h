/* http_hint: where a server that did not answer MCP on stdio listens for it over HTTP
 * instead: the loopback URL it printed ("listening on http://localhost:3717/mcp"), the port
 * it found taken (EADDRINUSE: the fake network holds the usual ports during the first run),
 * or a TCP port it listened on without a word. The audit runs it again, driven over
 * streamable HTTP at that port. */
#ifndef MCPAUDIT_HTTP_HINT_H
#define MCPAUDIT_HTTP_HINT_H

#include <stdbool.h>
#include <stdint.h>

#include "tracer/dynamic_stage.h"

#define HTTP_HINT_PATH_MAX 128

struct http_hint {
	uint16_t port;
	char path[HTTP_HINT_PATH_MAX];  /* the announced path (a legacy ".../sse" too), or "/mcp" */
	char why[320];                  /* "it printed http://localhost:3717/mcp", ... */
};

/* Whether seen shows where the server listens; out filled when it does. */
bool http_hint_find(const struct trace_seen *seen, struct http_hint *out);

#endif
