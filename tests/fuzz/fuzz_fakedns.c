/* fuzz_fakedns: the fake DNS server's query handling (tracer/fakedns.c, RFC 1035 4.1, and
 * netsim's DNS over UDP and over TCP with 2-byte length prefixes, RFC 1035 4.2.2).
 *
 * Every input is first parsed and answered by direct calls on an exact-size copy (so a read
 * past the end is caught), then sent to a running netsim on 127.0.0.1: the first byte picks
 * UDP (the rest is one datagram) or TCP (the rest is a stream of length-prefixed messages).
 * The harness waits until netsim has logged the queries it sent, so every input is handled
 * before the next; the address table is kept small so that it fills. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "tracer/fakedns.h"
#include "tracer/netsim.h"
#include "tests/fuzz/fuzz_util.h"

#define WAIT_MS 2000 /* netsim answers in microseconds; this only stops a hang from hiding */

static struct netsim *ns;
static struct fakedns_table *table;
static int udp_fd = -1;

static void setup(void)
{
	static const char *const loopback[] = {"127.0.0.1"};
	struct netsim_config cfg;
	char err[256];

	netsim_config_init(&cfg);
	cfg.addresses = loopback;
	cfg.n_addresses = 1;
	cfg.dns_port = 0;
	cfg.n_sinkhole_ports = 0;
	cfg.max_names = 64;
	cfg.max_queries = 1000;
	/* netsim binds UDP to a free port and then TCP to the same number, which another
	 * process may hold: try a few ports before giving up */
	for (int tries = 0; tries < 20 && netsim_start(&cfg, &ns, err, sizeof err) != NETSIM_OK; tries++)
		ns = NULL;
	if (!ns) {
		fprintf(stderr, "fuzz_fakedns: netsim_start: %s\n", err);
		abort();
	}
	table = fakedns_table_new(64);
	udp_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (!table || udp_fd < 0)
		abort();
}

static struct sockaddr_in server(void)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(netsim_dns_port(ns))};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sa;
}

/* Parse and answer as netsim does, on the exact bytes. */
static void direct(const uint8_t *p, size_t n)
{
	struct fakedns_query q;
	uint8_t out[FAKEDNS_ANSWER_MAX], addr[16];
	size_t index = 0;
	enum fakedns_parse_status st = fakedns_parse_query(p, n, &q);

	if (st == FAKEDNS_PARSE_DROP)
		return;
	if (st == FAKEDNS_PARSE_OK && q.name[0] && fakedns_table_index(table, q.name, &index) == FAKEDNS_TABLE_OK)
		fakedns_table_name(table, index);
	fakedns_address_v6(index, addr);
	fakedns_build_answer(p, &q, st == FAKEDNS_PARSE_OK ? FAKEDNS_RCODE_NOERROR : FAKEDNS_RCODE_FORMERR,
			     st == FAKEDNS_PARSE_OK ? addr : NULL, q.qtype == FAKEDNS_TYPE_A ? 4 : 16, out, sizeof out);
}

static size_t logged(void)
{
	struct netsim_stats s;

	netsim_stats(ns, &s);
	return s.queries + s.queries_over_cap;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* Wait until netsim has logged `want` queries in all; read (and drop) answers meanwhile. */
static void wait_logged(int fd, size_t want)
{
	uint64_t until = now_ms() + WAIT_MS;
	uint8_t buf[4096];

	while (logged() < want && now_ms() < until) {
		struct pollfd p = {fd, POLLIN, 0};
		if (poll(&p, 1, 1) > 0 && recv(fd, buf, sizeof buf, MSG_DONTWAIT) == 0)
			break;
	}
	if (logged() < want) {
		fprintf(stderr, "fuzz_fakedns: netsim logged %zu of %zu queries within %d ms\n", logged(), want,
			WAIT_MS);
		abort();
	}
	while (recv(fd, buf, sizeof buf, MSG_DONTWAIT) > 0)
		;
}

static void over_udp(const uint8_t *p, size_t n)
{
	struct sockaddr_in sa = server();
	size_t before = logged();

	if (sendto(udp_fd, p, n, 0, (struct sockaddr *)&sa, sizeof sa) == (ssize_t)n)
		wait_logged(udp_fd, before + 1);
}

/* How many complete length-prefixed messages the stream holds. */
static size_t frames(const uint8_t *p, size_t n)
{
	size_t count = 0, off = 0;

	while (n - off >= 2) {
		size_t len = (size_t)p[off] << 8 | p[off + 1];
		if (n - off - 2 < len)
			break;
		off += 2 + len;
		count++;
	}
	return count;
}

static void over_tcp(const uint8_t *p, size_t n)
{
	struct sockaddr_in sa = server();
	size_t before = logged();
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		abort();
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0 && send(fd, p, n, MSG_NOSIGNAL) == (ssize_t)n)
		wait_logged(fd, before + frames(p, n));
	close(fd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *p;

	if (size < 1 || size > 8192)
		return 0;
	if (!ns)
		setup();
	p = malloc(size - 1 ? size - 1 : 1);
	if (!p)
		return 0;
	memcpy(p, data + 1, size - 1);
	direct(p, size - 1);
	if (data[0] & 1)
		over_tcp(p, size - 1);
	else
		over_udp(p, size - 1);
	free(p);
	return 0;
}
