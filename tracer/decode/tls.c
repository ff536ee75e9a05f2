/* tls: the ClientHello at the start of a TLS stream (RFC 8446 section 4.1.2; SNI, RFC 6066 section 3; ALPN, RFC 7301). */
#include "tracer/decode/tls.h"

#include <stdlib.h>
#include <string.h>

#define RECORD_HANDSHAKE 22
#define RECORD_HEADER_LEN 5
#define RECORD_PLAINTEXT_MAX 16384 /* RFC 8446 section 5.1: 2^14 */
#define HANDSHAKE_CLIENT_HELLO 1

/* RFC 8446 section 5.1: a handshake record, TLS 1.0 to 1.3 framing (SSL 3.0's
 * 0x0300 as well, some stacks still send it in the first record). */
static enum decode_status record_header(struct reader *r, uint16_t *version, uint16_t *length)
{
	uint8_t type = reader_u8(r);
	if (!r->error && type != RECORD_HANDSHAKE)
		return DECODE_MALFORMED;
	uint8_t major = reader_u8(r);
	if (!r->error && major != 3)
		return DECODE_MALFORMED;
	uint8_t minor = reader_u8(r);
	if (!r->error && minor > 4)
		return DECODE_MALFORMED;
	*length = reader_u16(r);
	*version = (uint16_t)(major << 8 | minor);
	if (r->error)
		return DECODE_TRUNCATED;
	if (*length == 0 || *length > RECORD_PLAINTEXT_MAX)
		return DECODE_MALFORMED;
	return DECODE_OK;
}

/* RFC 6066 section 3: ServerNameList, the first host_name kept. */
static enum decode_status server_name(struct reader *ext, struct tls_client_hello *out)
{
	struct reader list = reader_sub(ext, reader_u16(ext));
	if (ext->error || reader_left(ext) != 0 || reader_left(&list) == 0)
		return DECODE_MALFORMED;
	while (reader_left(&list) > 0) {
		uint8_t type = reader_u8(&list);
		uint16_t n = reader_u16(&list);
		const uint8_t *host = reader_bytes(&list, n);
		if (!host || n == 0)
			return DECODE_MALFORMED;
		if (type != 0 || out->has_sni)
			continue;
		out->has_sni = true;
		size_t keep = n > TLS_HOST_NAME_MAX ? TLS_HOST_NAME_MAX : n;
		if (!reader_escape(host, keep, out->sni, sizeof out->sni) || keep < n)
			out->capped = true;
	}
	return DECODE_OK;
}

/* RFC 7301 section 3.1: ProtocolNameList. */
static enum decode_status alpn(struct reader *ext, struct tls_client_hello *out)
{
	struct reader list = reader_sub(ext, reader_u16(ext));
	if (ext->error || reader_left(ext) != 0 || reader_left(&list) < 2)
		return DECODE_MALFORMED;
	while (reader_left(&list) > 0) {
		uint8_t n = reader_u8(&list);
		const uint8_t *name = reader_bytes(&list, n);
		if (!name || n == 0)
			return DECODE_MALFORMED;
		if (out->n_alpn == TLS_ALPN_MAX) {
			out->capped = true;
			continue;
		}
		if (!reader_escape(name, n, out->alpn[out->n_alpn++], TLS_ALPN_TEXT_MAX))
			out->capped = true;
	}
	return DECODE_OK;
}

/* RFC 8446 section 4.2.1: the client's list of versions. */
static enum decode_status supported_versions(struct reader *ext, struct tls_client_hello *out)
{
	struct reader list = reader_sub(ext, reader_u8(ext));
	if (ext->error || reader_left(ext) != 0 || reader_left(&list) % 2)
		return DECODE_MALFORMED;
	while (reader_left(&list) > 0)
		if (reader_u16(&list) == 0x0304)
			out->offers_tls13 = true;
	return DECODE_OK;
}

static enum decode_status extensions(struct reader *r, struct tls_client_hello *out)
{
	bool seen_sni = false, seen_alpn = false;
	while (reader_left(r) > 0) {
		uint16_t type = reader_u16(r);
		struct reader ext = reader_sub(r, reader_u16(r));
		if (r->error)
			return DECODE_MALFORMED;
		if (++out->n_extensions > TLS_EXTENSIONS_MAX)
			return DECODE_CAP;
		enum decode_status st = DECODE_OK;
		if (type == TLS_EXT_SERVER_NAME) {
			if (seen_sni)
				return DECODE_MALFORMED; /* RFC 8446 section 4.2: one of each */
			seen_sni = true;
			st = server_name(&ext, out);
		} else if (type == TLS_EXT_ALPN) {
			if (seen_alpn)
				return DECODE_MALFORMED;
			seen_alpn = true;
			st = alpn(&ext, out);
		} else if (type == TLS_EXT_SUPPORTED_VERSIONS) {
			st = supported_versions(&ext, out);
		} else if (type == TLS_EXT_ECH) {
			out->has_ech = true;
		}
		if (st != DECODE_OK)
			return st;
	}
	return DECODE_OK;
}

/* RFC 8446 section 4.1.2: the ClientHello body (without the handshake header). */
static enum decode_status client_hello(struct reader *r, struct tls_client_hello *out)
{
	out->legacy_version = reader_u16(r);
	reader_skip(r, 32); /* random */
	reader_skip(r, reader_u8(r)); /* legacy_session_id */
	uint16_t suites = reader_u16(r);
	if (suites < 2 || suites % 2)
		return DECODE_MALFORMED;
	reader_skip(r, suites);
	uint8_t compression = reader_u8(r);
	if (!r->error && compression == 0)
		return DECODE_MALFORMED;
	reader_skip(r, compression);
	if (r->error)
		return DECODE_MALFORMED;
	if (reader_left(r) == 0)
		return DECODE_OK; /* no extensions: SSL 3.0 and early TLS clients */
	struct reader exts = reader_sub(r, reader_u16(r));
	if (r->error || reader_left(r) != 0)
		return DECODE_MALFORMED;
	return extensions(&exts, out);
}

/* The handshake messages of the records at the start of the stream, gathered
 * while the hello spans several records. *hello is borrowed from p when one
 * record holds it, else a copy the caller frees (*owned). */
static enum decode_status gather(const uint8_t *p, size_t len, struct tls_client_hello *out, const uint8_t **hello,
				 size_t *hello_len, uint8_t **owned)
{
	struct reader r = reader_init(p, len);
	uint8_t *buf = NULL;
	size_t have = 0, want = 0;
	enum decode_status st;

	for (;;) {
		uint16_t version, rlen;
		st = record_header(&r, &version, &rlen);
		if (st != DECODE_OK)
			goto out;
		if (r.off == RECORD_HEADER_LEN)
			out->record_version = version;
		if (!reader_has(&r, rlen)) {
			/* Not all here yet: an early look at the handshake type turns
			 * garbage into DECODE_MALFORMED instead of waiting for more. */
			bool other = have == 0 && reader_left(&r) >= 1 && r.p[r.off] != HANDSHAKE_CLIENT_HELLO;
			st = other ? DECODE_MALFORMED : DECODE_TRUNCATED;
			goto out;
		}
		const uint8_t *frag = reader_bytes(&r, rlen);
		if (have == 0) {
			struct reader h = reader_init(frag, rlen);
			uint8_t type = reader_u8(&h);
			want = 4 + (size_t)reader_u24(&h);
			if (h.error || type != HANDSHAKE_CLIENT_HELLO) {
				st = h.error ? DECODE_UNSUPPORTED : DECODE_MALFORMED; /* a split handshake header */
				goto out;
			}
			if (want > TLS_HELLO_MAX) {
				st = DECODE_CAP;
				goto out;
			}
			if (rlen >= want) {
				*hello = frag;
				*hello_len = want;
				out->consumed = r.off;
				st = DECODE_OK;
				goto out;
			}
			buf = malloc(want);
			if (!buf) {
				st = DECODE_NOMEM;
				goto out;
			}
		}
		size_t take = rlen < want - have ? rlen : want - have;
		memcpy(buf + have, frag, take);
		have += take;
		if (have == want) {
			*hello = buf;
			*hello_len = want;
			*owned = buf;
			buf = NULL;
			out->consumed = r.off;
			st = DECODE_OK;
			goto out;
		}
	}
out:
	free(buf);
	return st;
}

enum decode_status tls_parse_client_hello(const uint8_t *p, size_t len, struct tls_client_hello *out)
{
	const uint8_t *hello = NULL;
	size_t hello_len = 0;
	uint8_t *owned = NULL;

	memset(out, 0, sizeof *out);
	enum decode_status st = gather(p, len, out, &hello, &hello_len, &owned);
	if (st != DECODE_OK)
		goto out;
	struct reader r = reader_init(hello + 4, hello_len - 4);
	st = client_hello(&r, out);
out:
	free(owned);
	return st;
}
