/* tls_term: a TLS server over memory BIOs (RFC 8446, RFC 5246), with a leaf per SNI
 * (RFC 6066 section 3) and ALPN offering h2 and http/1.1 (RFC 7301 section 3.2). */
#include "tracer/tls_term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "core/strbuf.h"
#include "tracer/decode/reader.h"
#include "tracer/tls_ca.h"

#define SNI_MAX 253
#define READ_CHUNK 16384

struct tls_term_ctx {
	SSL_CTX *ssl_ctx;
	struct tls_ca *ca;
};

struct tls_term {
	SSL *ssl;
	BIO *rbio, *wbio;            /* owned by ssl */
	struct tls_term_ctx *ctx;
	char *fallback_name;
	char name[SNI_MAX + 1];      /* "" until the ClientHello was read */
	char failure[160];           /* "" until it failed */
	bool client_alert;
	bool established;
	enum tls_term_state state;
};

static int term_index = -1; /* SSL ex_data slot of the struct tls_term; set once, before any thread runs a handshake */

/* The host_name of a server_name extension (RFC 6066 section 3), into out; false when there
 * is none or it is malformed. */
static bool sni_from_extension(const unsigned char *p, size_t len, char *out, size_t outlen)
{
	struct reader r = reader_init(p, len);
	size_t list = reader_u16(&r);

	if (r.error || list != reader_left(&r))
		return false;
	while (reader_left(&r) >= 3) {
		uint8_t type = reader_u8(&r);
		size_t n = reader_u16(&r);
		if (!reader_has(&r, n))
			return false;
		if (type == 0 && n > 0 && n < outlen) {
			memcpy(out, r.p + r.off, n);
			out[n] = '\0';
			return memchr(out, '\0', n) == NULL;
		}
		r.off += n;
	}
	return false;
}

/* Picks the leaf as soon as the ClientHello is read: for its SNI, or the fallback name. */
static int on_client_hello(SSL *ssl, int *alert, void *arg)
{
	struct tls_term *t = SSL_get_ex_data(ssl, term_index);
	const unsigned char *ext;
	size_t len;
	(void)arg;

	if (!t)
		return SSL_CLIENT_HELLO_ERROR;
	if (!(SSL_client_hello_get0_ext(ssl, TLSEXT_TYPE_server_name, &ext, &len) == 1 &&
	      sni_from_extension(ext, len, t->name, sizeof t->name)))
		snprintf(t->name, sizeof t->name, "%s", t->fallback_name ? t->fallback_name : "localhost");
	if (!tls_ca_use_leaf(t->ctx->ca, ssl, t->name)) {
		*alert = SSL_AD_UNRECOGNIZED_NAME;
		snprintf(t->failure, sizeof t->failure, "no certificate could be made for the name");
		return SSL_CLIENT_HELLO_ERROR;
	}
	return SSL_CLIENT_HELLO_SUCCESS;
}

/* h2 when the client offers it (tracer/h2sink.h reads it), else http/1.1; a client that
 * offers neither gets no ALPN at all and speaks what it likes (an h2 preface is read as h2). */
static int on_alpn(SSL *ssl, const unsigned char **out, unsigned char *outlen, const unsigned char *in,
		   unsigned int inlen, void *arg)
{
	static const unsigned char ours[] = "\x02h2\x08http/1.1";
	unsigned char *chosen;
	(void)ssl;
	(void)arg;

	if (SSL_select_next_proto(&chosen, outlen, ours, sizeof ours - 1, in, inlen) != OPENSSL_NPN_NEGOTIATED)
		return SSL_TLSEXT_ERR_NOACK;
	*out = chosen;
	return SSL_TLSEXT_ERR_OK;
}

/* Keeps the first alert the client sends: its refusal of our certificate says why. */
static void on_info(const SSL *ssl, int where, int ret)
{
	struct tls_term *t = SSL_get_ex_data(ssl, term_index);

	if (!t || !(where & SSL_CB_READ_ALERT) || t->failure[0])
		return;
	if ((ret & 0xff) == SSL_AD_CLOSE_NOTIFY)
		return;
	snprintf(t->failure, sizeof t->failure, "%s", SSL_alert_desc_string_long(ret));
	t->client_alert = true;
}

struct tls_term_ctx *tls_term_ctx_new(struct tls_ca *ca, char *err, size_t errlen)
{
	struct tls_term_ctx *ctx = calloc(1, sizeof *ctx);

	if (term_index < 0)
		term_index = SSL_get_ex_new_index(0, NULL, NULL, NULL, NULL);
	if (!ctx || term_index < 0 || !(ctx->ssl_ctx = SSL_CTX_new(TLS_server_method()))) {
		snprintf(err, errlen, "tls: cannot make a server context");
		tls_term_ctx_free(ctx);
		return NULL;
	}
	ctx->ca = ca;
	SSL_CTX_set_client_hello_cb(ctx->ssl_ctx, on_client_hello, NULL);
	SSL_CTX_set_alpn_select_cb(ctx->ssl_ctx, on_alpn, NULL);
	SSL_CTX_set_info_callback(ctx->ssl_ctx, on_info);
	/* no tickets or cache: each connection is a full handshake, and so a full record */
	SSL_CTX_set_session_cache_mode(ctx->ssl_ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_num_tickets(ctx->ssl_ctx, 0);
	SSL_CTX_set_options(ctx->ssl_ctx, SSL_OP_NO_TICKET);
	return ctx;
}

void tls_term_ctx_free(struct tls_term_ctx *ctx)
{
	if (!ctx)
		return;
	SSL_CTX_free(ctx->ssl_ctx);
	free(ctx);
}

struct tls_term *tls_term_new(struct tls_term_ctx *ctx, const char *fallback_name)
{
	struct tls_term *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	t->ctx = ctx;
	t->fallback_name = fallback_name ? xstrdup(fallback_name) : NULL;
	t->ssl = SSL_new(ctx->ssl_ctx);
	t->rbio = BIO_new(BIO_s_mem());
	t->wbio = BIO_new(BIO_s_mem());
	if (!t->ssl || !t->rbio || !t->wbio || SSL_set_ex_data(t->ssl, term_index, t) != 1) {
		BIO_free(t->rbio);
		BIO_free(t->wbio);
		SSL_free(t->ssl);
		free(t->fallback_name);
		free(t);
		return NULL;
	}
	BIO_set_mem_eof_return(t->rbio, -1); /* no more input yet, not the end of it */
	SSL_set_bio(t->ssl, t->rbio, t->wbio);
	SSL_set_accept_state(t->ssl);
	return t;
}

void tls_term_free(struct tls_term *t)
{
	if (!t)
		return;
	SSL_free(t->ssl); /* and its BIOs */
	free(t->fallback_name);
	free(t);
}

/* The state after an OpenSSL call returned r: still waiting for bytes, or failed. */
static enum tls_term_state after_error(struct tls_term *t, int r)
{
	int e = SSL_get_error(t->ssl, r);
	unsigned long code;

	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return t->state;
	if (e == SSL_ERROR_ZERO_RETURN)
		return t->state = TLS_TERM_CLOSED;
	code = ERR_peek_error();
	if (!t->failure[0])
		snprintf(t->failure, sizeof t->failure, "%s",
			 code ? ERR_reason_error_string(code) ? ERR_reason_error_string(code) : "TLS error" : "TLS error");
	ERR_clear_error();
	return t->state = TLS_TERM_FAILED;
}

static enum tls_term_state read_plain(struct tls_term *t, void (*plain)(void *, const uint8_t *, size_t), void *arg)
{
	uint8_t buf[READ_CHUNK];

	for (;;) {
		int r = SSL_read(t->ssl, buf, sizeof buf);
		if (r <= 0)
			return after_error(t, r);
		plain(arg, buf, (size_t)r);
	}
}

enum tls_term_state tls_term_input(struct tls_term *t, const uint8_t *p, size_t n,
				   void (*plain)(void *arg, const uint8_t *p, size_t n), void *arg)
{
	if (t->state == TLS_TERM_FAILED || t->state == TLS_TERM_CLOSED)
		return t->state;
	ERR_clear_error();
	if (n && BIO_write(t->rbio, p, (int)n) != (int)n) {
		snprintf(t->failure, sizeof t->failure, "out of memory");
		return t->state = TLS_TERM_FAILED;
	}
	if (t->state == TLS_TERM_HANDSHAKE) {
		int r = SSL_do_handshake(t->ssl);
		if (r != 1)
			return after_error(t, r);
		t->state = TLS_TERM_OPEN;
		t->established = true;
	}
	return read_plain(t, plain, arg);
}

bool tls_term_write(struct tls_term *t, const void *p, size_t n)
{
	ERR_clear_error();
	if (t->state != TLS_TERM_OPEN || n == 0)
		return n == 0;
	if (SSL_write(t->ssl, p, (int)n) != (int)n) {
		ERR_clear_error();
		return false;
	}
	return true;
}

size_t tls_term_output(struct tls_term *t, uint8_t *out, size_t cap)
{
	int n = cap ? BIO_read(t->wbio, out, (int)(cap > INT32_MAX ? INT32_MAX : cap)) : 0;

	return n > 0 ? (size_t)n : 0;
}

bool tls_term_has_output(const struct tls_term *t)
{
	return BIO_ctrl_pending(t->wbio) > 0;
}

const char *tls_term_name(const struct tls_term *t)
{
	return t->name[0] ? t->name : NULL;
}

bool tls_term_h2(const struct tls_term *t)
{
	const unsigned char *alpn = NULL;
	unsigned int len = 0;

	SSL_get0_alpn_selected(t->ssl, &alpn, &len);
	return len == 2 && memcmp(alpn, "h2", 2) == 0;
}

bool tls_term_established(const struct tls_term *t)
{
	return t->established;
}

const char *tls_term_failure(const struct tls_term *t)
{
	return t->failure[0] ? t->failure : NULL;
}

bool tls_term_client_alert(const struct tls_term *t)
{
	return t->client_alert;
}
