/* tls_term: the server side of a client's TLS connection to a sinkhole, terminated with a
 * leaf of the per-run CA (tracer/tls_ca.h) so that what the client sends can be read. No
 * sockets: the caller hands in the bytes it received and sends the bytes it is given, as
 * OpenSSL's memory BIOs allow. ALPN (RFC 7301) offers h2 and http/1.1, h2 first: the
 * caller reads h2 with tracer/h2sink.h when tls_term_h2 says it was chosen. */
#ifndef MCPAUDIT_TLS_TERM_H
#define MCPAUDIT_TLS_TERM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tls_ca;

/* What one context shares between connections: the SSL_CTX. */
struct tls_term_ctx;

/* A server context minting from ca (borrowed: it must outlive the context). NULL with
 * err set when OpenSSL fails. Caller frees with tls_term_ctx_free. */
struct tls_term_ctx *tls_term_ctx_new(struct tls_ca *ca, char *err, size_t errlen);
void tls_term_ctx_free(struct tls_term_ctx *ctx);

enum tls_term_state {
	TLS_TERM_HANDSHAKE, /* the handshake is under way */
	TLS_TERM_OPEN,      /* done: application data flows */
	TLS_TERM_CLOSED,    /* the client sent close_notify */
	TLS_TERM_FAILED,    /* the handshake or a record failed (tls_term_failure says how) */
};

struct tls_term;

/* One connection. fallback_name names the leaf when the ClientHello carries no SNI (the
 * address the client dialled, as text). NULL when memory runs out. Caller frees with
 * tls_term_free. */
struct tls_term *tls_term_new(struct tls_term_ctx *ctx, const char *fallback_name);
void tls_term_free(struct tls_term *t);

/* Hands the next n bytes the client sent to the TLS engine. The decrypted application data
 * they complete is passed to plain(arg, p, n), in order, as it comes. Returns the state. */
enum tls_term_state tls_term_input(struct tls_term *t, const uint8_t *p, size_t n,
				   void (*plain)(void *arg, const uint8_t *p, size_t n), void *arg);

/* Encrypts n bytes of our answer. Returns false when the connection cannot carry it. */
bool tls_term_write(struct tls_term *t, const void *p, size_t n);

/* Moves up to cap bytes the engine wants sent to the client into out; returns how many. */
size_t tls_term_output(struct tls_term *t, uint8_t *out, size_t cap);

/* Whether bytes are waiting for tls_term_output. */
bool tls_term_has_output(const struct tls_term *t);

/* The name the leaf was minted for: the SNI, else the fallback name; NULL before the
 * ClientHello was read (borrowed, valid until tls_term_free). */
const char *tls_term_name(const struct tls_term *t);

/* Whether ALPN chose h2 (RFC 9113 section 3.2): what the client sends inside is HTTP/2. */
bool tls_term_h2(const struct tls_term *t);

/* Whether the handshake completed. */
bool tls_term_established(const struct tls_term *t);

/* Why it failed: the TLS alert the client sent ("unknown CA", "bad certificate",
 * RFC 8446 section 6.2), or OpenSSL's reason when the client sent none; NULL while it has
 * not failed. Borrowed, valid until tls_term_free. */
const char *tls_term_failure(const struct tls_term *t);

/* Whether the failure came as an alert from the client (it refused our certificate or
 * gave up), rather than a broken record. */
bool tls_term_client_alert(const struct tls_term *t);

#endif
