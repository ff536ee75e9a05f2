/* tls_ca: the per-run certificate authority the sandbox trusts, and the leaf certificates it
 * mints for each name a client asks for (RFC 5280 profiles; EC P-256 keys, ECDSA-SHA256).
 * The keys live only in this process's memory: nothing here writes a file. */
#ifndef MCPAUDIT_TLS_CA_H
#define MCPAUDIT_TLS_CA_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/ssl.h>

#define TLS_CA_MAX_LEAVES 4096 /* names whose leaf is kept; past it each is minted afresh */

struct tls_ca;

/* A new CA whose subject is "O=<organization>, CN=<common_name>", valid from a day ago for
 * 90 days. Returns NULL with the reason in err when OpenSSL fails. Caller frees with
 * tls_ca_free, which also frees every leaf minted. */
struct tls_ca *tls_ca_new(const char *organization, const char *common_name, char *err, size_t errlen);
void tls_ca_free(struct tls_ca *ca);

/* The CA certificate in PEM, NUL-terminated (borrowed, valid until tls_ca_free). */
const char *tls_ca_pem(const struct tls_ca *ca);

/* The name of the CA certificate in a hashed certificate folder ("1a2b3c4d.0", as
 * `openssl rehash` names it), written to out (at least 16 bytes). */
void tls_ca_hashed_name(const struct tls_ca *ca, char *out, size_t outlen);

/* Puts the leaf certificate for name (a DNS name, or an IPv4/IPv6 address as text) and its
 * key on ssl, minting it the first time. A name that is neither a well-formed host name nor
 * an address is refused. Returns false when it is refused or OpenSSL fails. Not
 * thread-safe: one thread uses a CA's leaves. */
bool tls_ca_use_leaf(struct tls_ca *ca, SSL *ssl, const char *name);

/* Leaves minted so far (cache hits do not count). */
size_t tls_ca_minted(const struct tls_ca *ca);

#endif
