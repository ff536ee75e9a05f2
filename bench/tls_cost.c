/* bench_tls_cost: what terminating TLS costs the tracer (issue 11). Prints, each the mean of
 * N runs: making the per-run CA (tls_ca_new), minting one leaf, and one client exchange
 * through a running sinkhole on loopback: plain HTTP (the baseline), HTTPS with the leaf
 * cached (the usual case: one name, many connections) and HTTPS to a new name each time
 * (a leaf minted per connection). The client is OpenSSL in this process; its own share of
 * the handshake is in the HTTPS figures, as it is in a traced server's.
 * Usage: bench_tls_cost [N] (default 200). A benchmark: it prints figures, asserts nothing. */
#include <arpa/inet.h>
#include <stdbool.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/pem.h>
#include <openssl/ssl.h>

#include "tracer/netsim.h"
#include "tracer/tls_ca.h"

static const char request[] = "GET /v1/ping HTTP/1.1\r\nHost: api.example.com\r\nConnection: close\r\n\r\n";

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static int dial(uint16_t port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	int on = 1;

	inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr);
	/* as curl and Node do: without it Nagle holds the request behind the Finished message */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		perror("connect");
		exit(2);
	}
	return fd;
}

/* Whether the sinkhole's whole answer is in buf[0, n): it ends with its JSON body "{}" (the
 * sinkhole keeps the connection for a second request, so the end of the stream does not
 * say it, as for a client that reads Content-Length). */
static bool answered(const char *buf, size_t n)
{
	return n >= 2 && buf[n - 2] == '{' && buf[n - 1] == '}';
}

/* One plain HTTP exchange: request, whole answer. */
static void plain_exchange(uint16_t port)
{
	char buf[1024];
	size_t got = 0;
	ssize_t r;
	int fd = dial(port);

	if (send(fd, request, strlen(request), 0) < 0)
		exit(2);
	while (!answered(buf, got) && (r = recv(fd, buf + got, sizeof buf - got, 0)) > 0)
		got += (size_t)r;
	close(fd);
}

/* One HTTPS exchange for name, verified against the CA; exits when it fails. */
static void tls_exchange(SSL_CTX *ctx, uint16_t port, const char *name)
{
	char buf[1024];
	size_t got = 0;
	int fd = dial(port), r;
	SSL *ssl = SSL_new(ctx);

	SSL_set_fd(ssl, fd);
	SSL_set_tlsext_host_name(ssl, name);
	SSL_set1_host(ssl, name);
	if (SSL_connect(ssl) != 1 || SSL_write(ssl, request, (int)strlen(request)) <= 0) {
		fprintf(stderr, "bench_tls_cost: the HTTPS exchange with %s failed\n", name);
		exit(2);
	}
	while (!answered(buf, got) && (r = SSL_read(ssl, buf + got, (int)(sizeof buf - got))) > 0)
		got += (size_t)r;
	SSL_free(ssl);
	close(fd);
}

static SSL_CTX *client_for(const struct tls_ca *ca)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_client_method());
	BIO *b = BIO_new_mem_buf(tls_ca_pem(ca), -1);
	X509 *x = PEM_read_bio_X509(b, NULL, NULL, NULL);

	X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), x);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	X509_free(x);
	BIO_free(b);
	return ctx;
}

/* The mean time tls_ca_use_leaf takes for a name it has not seen (a leaf minted and signed). */
static double mint_time(struct tls_ca *ca, int n)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	SSL *ssl = SSL_new(ctx);
	char name[64];
	double t = now_ms();

	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "m%d.mint.example.net", i);
		if (!tls_ca_use_leaf(ca, ssl, name))
			exit(2);
	}
	t = (now_ms() - t) / n;
	SSL_free(ssl);
	SSL_CTX_free(ctx);
	return t;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? (int)strtol(argv[1], NULL, 10) : 200;
	static const uint16_t port0[] = {0};
	static const char *const loopback[] = {"127.0.0.1"};
	struct netsim_config cfg = {.addresses = loopback, .n_addresses = 1, .sinkhole_ports = port0,
				    .n_sinkhole_ports = 1, .max_connections = 1000000};
	struct netsim *ns = NULL;
	struct tls_ca *ca = NULL;
	char err[256], name[64];
	double t, ca_ms, plain_ms, cached_ms, fresh_ms, mint_ms;
	size_t nports;
	uint16_t port;
	SSL_CTX *ctx;

	if (n <= 0)
		n = 200;
	t = now_ms();
	for (int i = 0; i < n; i++) {
		tls_ca_free(ca);
		if (!(ca = tls_ca_new("mkcert development CA", "mkcert bench@bench", err, sizeof err))) {
			fprintf(stderr, "bench_tls_cost: %s\n", err);
			return 2;
		}
	}
	ca_ms = (now_ms() - t) / n;
	cfg.tls_ca = ca;
	if (netsim_start(&cfg, &ns, err, sizeof err) != NETSIM_OK) {
		fprintf(stderr, "bench_tls_cost: %s\n", err);
		return 2;
	}
	port = netsim_sinkhole_ports(ns, &nports)[0];
	ctx = client_for(ca);
	tls_exchange(ctx, port, "api.example.com"); /* mint the cached leaf, warm up */
	plain_exchange(port);
	t = now_ms();
	for (int i = 0; i < n; i++)
		plain_exchange(port);
	plain_ms = (now_ms() - t) / n;
	t = now_ms();
	for (int i = 0; i < n; i++)
		tls_exchange(ctx, port, "api.example.com");
	cached_ms = (now_ms() - t) / n;
	t = now_ms();
	for (int i = 0; i < n; i++) {
		snprintf(name, sizeof name, "h%d.bench.example.net", i);
		tls_exchange(ctx, port, name);
	}
	fresh_ms = (now_ms() - t) / n;
	mint_ms = mint_time(ca, n);
	printf("runs                              %d\n", n);
	printf("CA generation (per trace run)     %.3f ms\n", ca_ms);
	printf("plain HTTP exchange (baseline)    %.3f ms\n", plain_ms);
	printf("HTTPS exchange, leaf cached       %.3f ms  (+%.3f ms per connection)\n", cached_ms, cached_ms - plain_ms);
	printf("HTTPS exchange, new name          %.3f ms  (+%.3f ms per connection)\n", fresh_ms, fresh_ms - plain_ms);
	printf("minting one leaf                  %.3f ms\n", mint_ms);
	printf("leaves minted                     %zu\n", tls_ca_minted(ca));
	SSL_CTX_free(ctx);
	netsim_free(ns);
	tls_ca_free(ca);
	return 0;
}
