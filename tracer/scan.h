/* scan: everything a client sends on one connection, searched for canaries as it arrives:
 * the bytes as sent, HTTP bodies de-chunked and decompressed, WebSocket frames unmasked,
 * and each of those with JSON \uXXXX escapes undone. Memory stays bounded however long
 * the connection: each search keeps only a canary-length tail. */
#ifndef MCPAUDIT_TRACER_SCAN_H
#define MCPAUDIT_TRACER_SCAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracer/canary.h"

#define SCAN_DECODED_MAX ((uint64_t)64 << 20) /* decoded bytes searched per connection */
#define SCAN_HITS_MAX 64

/* A canary found: in which encoding, and through which layer ("gzip body", "websocket",
 * "json-escaped", NULL for the bytes as sent). Strings are static; c is borrowed from the set. */
struct scan_hit {
	const struct canary *canary;
	const char *encoding;
	const char *layer;
	bool decrypted;    /* found inside a TLS connection the tracer terminated */
};

struct scan;

/* A scan over one connection's client bytes; set is borrowed and must outlive it.
 * NULL when memory runs out. Caller frees with scan_free. */
struct scan *scan_new(const struct canary_set *set);
void scan_free(struct scan *s);

/* The next n bytes the client sent, in order. */
void scan_feed(struct scan *s, const uint8_t *p, size_t n);

/* The hits so far (borrowed, valid until the next feed or scan_free). */
const struct scan_hit *scan_hits(const struct scan *s, size_t *n);

/* Why part of the connection could not be searched decoded ("a body in the 'zstd' coding",
 * "corrupt gzip body", "over 64 MiB decoded", "WebSocket permessage-deflate"), or NULL.
 * The bytes as sent are always searched. Static string. */
const char *scan_problem(const struct scan *s);

#endif
