/* tls: the ClientHello at the start of a TLS stream (RFC 8446 section 4.1.2; SNI, RFC 6066 section 3; ALPN, RFC 7301). */
#ifndef MCPAUDIT_TRACER_TLS_H
#define MCPAUDIT_TRACER_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracer/decode/reader.h"

#define TLS_HOST_NAME_MAX 255 /* a DNS name; a longer server_name is cut and capped set */
#define TLS_SNI_TEXT_MAX (TLS_HOST_NAME_MAX * 4 + 1)
#define TLS_ALPN_MAX 8	    /* protocols kept; more set capped */
#define TLS_ALPN_TEXT_MAX 64 /* per protocol name; longer ones are cut and capped set */
#define TLS_EXTENSIONS_MAX 128
/* A ClientHello split over several records is gathered up to this size (the
 * largest real ones, with post-quantum key shares and padding, are a few KB). */
#define TLS_HELLO_MAX 65536

#define TLS_EXT_SERVER_NAME 0
#define TLS_EXT_ALPN 16
#define TLS_EXT_SUPPORTED_VERSIONS 43
#define TLS_EXT_ECH 0xfe0d

struct tls_client_hello {
	uint16_t record_version, legacy_version;
	bool has_sni;
	char sni[TLS_SNI_TEXT_MAX]; /* host_name, printable (\xHH for other bytes) */
	size_t n_alpn;
	char alpn[TLS_ALPN_MAX][TLS_ALPN_TEXT_MAX];
	bool offers_tls13; /* supported_versions lists 0x0304 */
	bool has_ech;	   /* encrypted_client_hello: sni is then the outer, public name */
	size_t n_extensions;
	bool capped; /* a cap above was hit: the fields hold what fit */
	size_t consumed; /* bytes of the stream the records holding the hello take */
};

/* The first bytes of a client's TCP stream. Returns DECODE_OK; DECODE_TRUNCATED
 * when what is there is a consistent beginning of a ClientHello and more bytes
 * are needed; DECODE_MALFORMED when the bytes are not a TLS handshake record (some
 * other protocol) or the hello is broken (a vector overrunning its parent, a
 * duplicate SNI or ALPN extension); DECODE_CAP when the hello is larger than
 * TLS_HELLO_MAX or has more than TLS_EXTENSIONS_MAX extensions; DECODE_NOMEM. */
enum decode_status tls_parse_client_hello(const uint8_t *p, size_t len, struct tls_client_hello *out);

#endif
