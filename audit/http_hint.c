/* http_hint: where a server listens for MCP over HTTP, from what a stdio run saw of it. */
#include "audit/http_hint.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define DEFAULT_PATH "/mcp"

/* The sandbox's own addresses, as a server names them when it says where it listens. */
static const char *const local_hosts[] = {"localhost", "127.0.0.1", "0.0.0.0", "[::]", "[::1]", "::1", NULL};

/* What a server writes when its port is taken (node, Python, Go). */
static const char *const port_taken[] = {"EADDRINUSE", "address already in use", NULL};

/* A port number of 1 to 5 digits at p; 0 when there is none. The number of digits in *n. */
static unsigned port_at(const char *p, size_t *n)
{
	unsigned v = 0;

	*n = 0;
	while (isdigit((unsigned char)p[*n]) && *n < 6)
		v = v * 10 + (unsigned)(p[(*n)++] - '0');
	return *n && *n <= 5 && v <= 65535 && !isdigit((unsigned char)p[*n]) ? v : 0;
}

/* The URL's path, as far as it has path characters; "/" and none become DEFAULT_PATH. A
 * legacy SSE endpoint (".../sse") is kept: the driver POSTs there first, as the MCP
 * specification's backwards-compatibility rules say, and on a 4xx opens its SSE stream;
 * *legacy says so. Returns the path's length as written. */
static size_t url_path(const char *p, struct http_hint *out, bool *legacy)
{
	/* RFC 3986 path and query characters only: the path goes into the driver's request line */
	size_t n = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%/?=&+:@!$*");

	while (n && strchr(".:", p[n - 1]))
		n--;  /* the end of the sentence, not of the path */
	*legacy = n >= 4 && !strncmp(p + n - 4, "/sse", 4);
	if (n <= 1 || *p != '/' || n >= sizeof out->path)
		snprintf(out->path, sizeof out->path, "%s", DEFAULT_PATH);
	else
		snprintf(out->path, sizeof out->path, "%.*s", (int)n, p);
	return n;
}

/* "http://HOST:PORT/path" with a local HOST anywhere in text. */
static bool from_url(const char *text, struct http_hint *out)
{
	for (const char *p = text; (p = strcasestr(p, "http://")); p += 7)
		for (const char *const *h = local_hosts; *h; h++) {
			size_t hn = strlen(*h), dn, n;
			unsigned port;
			bool legacy;
			if (strncasecmp(p + 7, *h, hn) || p[7 + hn] != ':' || !(port = port_at(p + 8 + hn, &dn)))
				continue;
			out->port = (uint16_t)port;
			n = url_path(p + 8 + hn + dn, out, &legacy);
			snprintf(out->why, sizeof out->why, "it printed %.*s%s", (int)(8 + hn + dn + n > 200 ? 200 : 8 + hn + dn + n),
				 p, legacy ? " (a legacy SSE endpoint)" : "");
			return true;
		}
	return false;
}

/* The last port in the line at p: after ':' (node's "127.0.0.1:3000") or ", " (Python's
 * "('127.0.0.1', 8000)"). */
static unsigned last_port(const char *line, size_t len)
{
	unsigned port = 0;

	for (size_t i = 0; i + 1 < len; i++) {
		size_t n, skip = line[i] == ':' ? 1 : line[i] == ',' && line[i + 1] == ' ' ? 2 : 0;
		unsigned v = skip && i + skip < len ? port_at(line + i + skip, &n) : 0;
		if (v)
			port = v;
	}
	return port;
}

/* A line saying the port the server wanted was taken. */
static bool from_taken(const char *text, struct http_hint *out)
{
	for (const char *line = text; *line;) {
		size_t len = strcspn(line, "\n");
		for (const char *const *w = port_taken; *w; w++) {
			char *copy = strndup(line, len);
			unsigned port = copy && strcasestr(copy, *w) ? last_port(copy, len) : 0;
			free(copy);
			if (port) {
				out->port = (uint16_t)port;
				snprintf(out->path, sizeof out->path, "%s", DEFAULT_PATH);
				snprintf(out->why, sizeof out->why, "it tried to listen on port %u (held by the fake network "
					 "during the stdio run: %s)", port, *w);
				return true;
			}
		}
		line += len + (line[len] == '\n');
	}
	return false;
}

bool http_hint_find(const struct trace_seen *seen, struct http_hint *out)
{
	memset(out, 0, sizeof *out);
	if (seen->output && from_url(seen->output, out))
		return true;
	if (seen->n_listening) {
		out->port = seen->listening[0];
		snprintf(out->path, sizeof out->path, "%s", DEFAULT_PATH);
		snprintf(out->why, sizeof out->why, "it listened on TCP port %u and did not answer on stdio",
			 out->port);
		return true;
	}
	return seen->output && from_taken(seen->output, out);
}
