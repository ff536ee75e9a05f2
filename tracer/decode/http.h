/* http: HTTP/1.x requests (RFC 9112: request line, header fields, the start of the body), and DNS-over-HTTPS (RFC 8484). */
#ifndef MCPAUDIT_TRACER_HTTP_H
#define MCPAUDIT_TRACER_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracer/decode/reader.h"

#define HTTP_HEAD_MAX 16384  /* request line and header fields, blank line included */
#define HTTP_METHOD_MAX 32
#define HTTP_TARGET_MAX 2048 /* escaped text; longer targets are cut and capped set */
#define HTTP_VALUE_MAX 512   /* each kept header value */
#define HTTP_BODY_MAX 4096   /* body bytes given back */

struct http_request {
	char method[HTTP_METHOD_MAX];
	char target[HTTP_TARGET_MAX]; /* printable: \xHH for other bytes */
	int version_minor;	      /* HTTP/1.x */
	char host[HTTP_VALUE_MAX], user_agent[HTTP_VALUE_MAX], content_type[HTTP_VALUE_MAX],
		accept[HTTP_VALUE_MAX];
	/* RFC 9110 section 8.4 and RFC 9112 section 6.1: the codings applied to the body, in
	 * the order applied ("gzip", "br, gzip"); section 7.8: "websocket" for RFC 6455. */
	char content_encoding[HTTP_VALUE_MAX], transfer_encoding[HTTP_VALUE_MAX], upgrade[HTTP_VALUE_MAX];
	bool has_host;
	bool has_content_length, chunked;
	uint64_t content_length;
	size_t n_headers;
	size_t head_len; /* bytes up to and including the blank line */
	/* The body bytes present after the head, at most HTTP_BODY_MAX and at most
	 * content_length; borrowed from the bytes given to the parser. */
	const uint8_t *body;
	size_t body_len;
	bool body_complete; /* content_length bytes (or none) follow the head */
	bool doh;	    /* DNS over HTTPS: /dns-query, or application/dns-message (or -json) */
	bool capped;	    /* a field was cut to fit */
};

/* A request at the start of p[0..len). Returns DECODE_OK once the head is
 * complete (the body may still be partial: body_complete); DECODE_TRUNCATED when
 * the bytes so far are a consistent beginning of a request and the caller should
 * come back with more; DECODE_MALFORMED when they are not HTTP/1.x (a bad method
 * token, request line or header field, obs-fold, duplicate Host or conflicting
 * Content-Length); DECODE_UNSUPPORTED for another version (the HTTP/2 preface,
 * with method and target filled); DECODE_CAP when no head ends within
 * HTTP_HEAD_MAX bytes. */
enum decode_status http_parse_request(const uint8_t *p, size_t len, struct http_request *out);

#endif
