/* h2sink: the server side of an HTTP/2 connection (RFC 9113) a client opened inside TLS to
 * a sinkhole: each request it sends is handed back written out as an HTTP/1.1 message (so
 * the one reader of HTTP requests, the canary search and the report read it unchanged) and
 * answered 200 with the JSON body "{}", like the plain HTTP sinkhole. Built on libnghttp2;
 * no sockets: the caller hands in the decrypted bytes and sends what it is given. */
#ifndef MCPAUDIT_H2SINK_H
#define MCPAUDIT_H2SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define H2SINK_BODY_MAX (1u << 20) /* body bytes kept per request for its transcript */
#define H2SINK_BUFFERED_MAX (4u << 20) /* ... and by all the open requests of one connection */
#define H2SINK_HEAD_MAX (16u * 1024) /* header text kept per request */
#define H2SINK_STREAMS 32          /* streams open at once (SETTINGS_MAX_CONCURRENT_STREAMS) */

/* Called once per request as it ends (or is reset): p[0, n) is
 * "METHOD PATH HTTP/1.1\r\nHost: AUTHORITY\r\n<fields>\r\nContent-Length: N\r\n\r\n<body>",
 * N the body's full size, the body cut at H2SINK_BODY_MAX (or where the connection's
 * H2SINK_BUFFERED_MAX ran out). Borrowed for the call only. */
typedef void (*h2sink_request_fn)(void *arg, const uint8_t *p, size_t n);

struct h2sink;

/* A session that reports each request to request(arg, ...). NULL when memory runs out.
 * Caller frees with h2sink_free. */
struct h2sink *h2sink_new(h2sink_request_fn request, void *arg);
void h2sink_free(struct h2sink *s);

/* The next n bytes the client sent (from the connection preface on). Returns false when
 * they are not HTTP/2 or the session ended: nothing more will be read. */
bool h2sink_input(struct h2sink *s, const uint8_t *p, size_t n);

/* Hands what the session has to send (settings, acknowledgements, answers) to
 * out(arg, p, n), which returns false when it cannot take them. Returns false when the
 * session is over (GOAWAY sent or received, or out refused). */
bool h2sink_output(struct h2sink *s, bool (*out)(void *arg, const uint8_t *p, size_t n), void *arg);

/* The connection ended: the requests still open are reported with what came of them. */
void h2sink_finish(struct h2sink *s);

/* Requests reported so far. */
unsigned h2sink_requests(const struct h2sink *s);

/* Why part of what the client sent is not in the transcripts (a body past the caps above,
 * a head over H2SINK_HEAD_MAX, HTTP/2 that could not be read), or NULL. Static string. */
const char *h2sink_problem(const struct h2sink *s);

/* Whether p[0, n) starts like the HTTP/2 connection preface (RFC 9113 section 3.4): a
 * client that skipped ALPN but speaks h2 anyway. */
bool h2sink_preface(const uint8_t *p, size_t n);

#endif
