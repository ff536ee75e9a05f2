/* http_body: one HTTP/1.1 message body, streamed: de-chunked (RFC 9112 section 7.1) and its
 * content and transfer codings undone (RFC 9110 section 8.4.1: gzip, deflate; RFC 7932: br). */
#ifndef MCPAUDIT_TRACER_HTTP_BODY_H
#define MCPAUDIT_TRACER_HTTP_BODY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracer/decode/http.h"

#define HTTP_BODY_CODINGS_MAX 4 /* codings stacked on one body; more is DECODE_UNSUPPORTED */

/* Where decoded bytes go, in order, in pieces of any size. */
typedef void (*http_body_out_fn)(void *ctx, const uint8_t *p, size_t n);

struct http_body;

/* A decoder for the body that follows head. decoded_cap bounds the bytes given to out
 * (a decompression bomb stops there with DECODE_CAP). Returns NULL when memory runs out;
 * an unknown coding ("zstd") is not an error here: http_body_status says
 * DECODE_UNSUPPORTED and the body's bytes are passed on as they are. Caller frees with
 * http_body_free. */
struct http_body *http_body_new(const struct http_request *head, uint64_t decoded_cap, http_body_out_fn out,
				void *ctx);
void http_body_free(struct http_body *b);

/* Give the next n bytes of the stream. Returns how many belong to this body (the rest
 * starts the next message); *done is set once the body has ended (by its length, the
 * last chunk and trailer, or a framing error: see http_body_status). */
size_t http_body_feed(struct http_body *b, const uint8_t *p, size_t n, bool *done);

/* DECODE_OK; DECODE_MALFORMED for bad chunk framing or corrupt compressed data (what was
 * decoded so far was given out); DECODE_UNSUPPORTED for an unknown coding; DECODE_CAP
 * past decoded_cap; DECODE_NOMEM. The first problem is kept. */
enum decode_status http_body_status(const struct http_body *b);
/* The coding that could not be decoded ("zstd"), or "" . Borrowed. */
const char *http_body_coding(const struct http_body *b);
/* Whether any coding other than chunked was undone: "gzip", "br, gzip" ("" for none). Borrowed. */
const char *http_body_codings(const struct http_body *b);

#endif
