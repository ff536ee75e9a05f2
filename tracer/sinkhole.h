/* sinkhole: what a sinkhole listener does with the first bytes of a connection (HTTP/1.x
 * requests answered, TLS read to the end of the ClientHello record, banners for
 * server-speaks-first protocols). No sockets here: netsim drives it. */
#ifndef MCPAUDIT_SINKHOLE_H
#define MCPAUDIT_SINKHOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the first bytes of a connection look like. */
enum sinkhole_protocol {
	SINKHOLE_UNKNOWN, /* too few bytes to tell yet */
	SINKHOLE_HTTP,    /* an HTTP/1.x request line (RFC 9112 section 3) */
	SINKHOLE_TLS,     /* a TLS handshake record (RFC 8446 section 5.1: 0x16 0x03 ...) */
	SINKHOLE_OTHER,   /* anything else: read what comes, then close */
};

enum sinkhole_protocol sinkhole_classify(const uint8_t *p, size_t len);
/* A stable lower-case name: "unknown", "http", "tls", "other". */
const char *sinkhole_protocol_name(enum sinkhole_protocol proto);

/* One HTTP/1.x request found at the start of p. */
struct sinkhole_http_request {
	size_t header_len;   /* up to and including the blank line */
	size_t total_len;    /* header_len plus the body (Content-Length, or chunks to the last) */
	bool expect_continue; /* "Expect: 100-continue": send the interim answer before the body */
	bool close;           /* "Connection: close" */
};

enum sinkhole_http_status {
	SINKHOLE_HTTP_MORE,     /* the header or body is not complete yet */
	SINKHOLE_HTTP_HEADERS,  /* the header is complete, the body is not (see expect_continue) */
	SINKHOLE_HTTP_COMPLETE, /* the whole request is in p[0, total_len) */
	SINKHOLE_HTTP_BAD,      /* not a request we can delimit (bad Content-Length, say) */
};

/* Delimit the request at the start of untrusted bytes p[0, len). Only the header fields that
 * say where the request ends are read; a body of unknown length (chunked with a bad chunk
 * size) is BAD. */
enum sinkhole_http_status sinkhole_http_parse(const uint8_t *p, size_t len, struct sinkhole_http_request *req);

/* The answer to every HTTP request: 200 with a JSON body "{}" and Connection: close. */
extern const char sinkhole_http_response[];
extern const char sinkhole_http_continue[];

/* The length of the TLS record at the start of p (5 + its length field), or 0 when p does
 * not hold its header yet. */
size_t sinkhole_tls_record_len(const uint8_t *p, size_t len);

/* The banner a server sends first on this port (SMTP and FTP 220, SSH version), or NULL. */
const char *sinkhole_banner(uint16_t port);

/* The default sinkhole ports (borrowed, static). */
const uint16_t *sinkhole_default_ports(size_t *count);

#endif
