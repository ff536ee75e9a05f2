/* driver_http: the driver's MCP streamable-HTTP transport (POSTs, JSON or SSE answers, Mcp-Session-Id),
 * falling back to the legacy HTTP+SSE transport (a GET stream and an endpoint to POST to). */
#ifndef MCPAUDIT_DRIVER_HTTP_H
#define MCPAUDIT_DRIVER_HTTP_H

/* Internal to the driver: driver.c runs the MCP session and hands each message
 * to this module, which carries it in an HTTP/1.1 exchange with the server and
 * reports what comes back through struct driver_http_events. Callers outside
 * the driver use driver_run_http (driver.h). */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracer/driver.h"

struct driver_http;

/* What the link reports while it steps. Every pointer is borrowed for the call only.
 * A callback may call driver_http_post, driver_http_finish and driver_http_delete. */
struct driver_http_events {
	void *ctx;
	/* One JSON text (NUL-terminated at len) from a JSON body or an SSE event's data. */
	void (*message)(void *ctx, const char *text, size_t len);
	/* Bytes that are not a message but may carry a secret (an error body, the
	 * start of an over-long event): kept for the canary search. */
	void (*text)(void *ctx, const char *text, size_t len);
	/* Something the report's incomplete list should say. DRIVER_PROBLEM_FLOOD:
	 * a body or event over max_body, dropped; DRIVER_PROBLEM_SESSION_EXPIRED:
	 * a 404 to a request that carried the session id. */
	void (*problem)(void *ctx, enum driver_problem_kind kind, const char *detail);
	/* The exchange that carried request id is over. status is its HTTP status
	 * (0: no usable response); detail says why when the request's answer was not
	 * in it (NULL otherwise, but the answer may still be missing). */
	void (*ended)(void *ctx, long id, int status, const char *detail);
	/* A connection was refused after one had been accepted: the server is gone. */
	void (*gone)(void *ctx, const char *why);
};

/* A link to http://host:port/path. host is a numeric IPv4 or IPv6 address (no
 * name is looked up); path NULL means "/mcp". max_body caps a JSON body and an
 * SSE event's data. Returns DRIVER_OK with *out set (caller frees with
 * driver_http_free), or DRIVER_BAD_CONFIG / DRIVER_NOMEM with err filled. */
enum driver_status driver_http_new(struct driver_http **out, const char *host, uint16_t port,
                                   const char *path, size_t max_body, const struct driver_http_events *ev,
                                   char *err, size_t errlen);
void driver_http_free(struct driver_http *h);

/* POST one JSON-RPC message: text (len bytes, malloc'd) is consumed. id is the
 * JSON-RPC id of the request it carries, or 0 for an answer or a notification.
 * Connections are retried every 50 ms until one has been accepted (the server
 * may still be starting): the caller's timeout bounds that through
 * driver_http_finish. Returns 0, or -1 when out of memory. */
int driver_http_post(struct driver_http *h, char *text, size_t len, long id);
/* The MCP-Protocol-Version header sent from now on (NULL: none). 0, or -1 when out of memory. */
int driver_http_set_protocol(struct driver_http *h, const char *version);
/* The caller stops waiting for request id. Unanswered, its exchange is closed at
 * once; answered, it is read until its stream ends or its slot is needed. */
void driver_http_finish(struct driver_http *h, long id, bool answered);
/* Ask the server to end the session: DELETE with the session id, when there is one.
 * Returns 0, or -1 when out of memory. */
int driver_http_delete(struct driver_http *h);
/* One round of connecting, writing and reading, waiting at most wait_ms.
 * Returns 0, or -1 when out of memory. */
int driver_http_step(struct driver_http *h, int wait_ms);
/* Nothing waits to be sent and no answer or notification is in flight. */
bool driver_http_flushed(const struct driver_http *h);
/* Nothing waits to be sent and no exchange is open. */
bool driver_http_settled(const struct driver_http *h);
/* Whether the server is reached over the legacy HTTP+SSE transport (MCP 2024-11-05): its
 * first POST got a 4xx, and a GET of the same path opened an SSE stream whose first event
 * named the endpoint to POST to. Until then, and when that failed, false. */
bool driver_http_legacy(const struct driver_http *h);
/* The Mcp-Session-Id the server gave; NULL before. Borrowed, valid until driver_http_free. */
const char *driver_http_session_id(const struct driver_http *h);

#endif
