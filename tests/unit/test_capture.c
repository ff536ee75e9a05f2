/* capture: a live libpcap capture on loopback of traffic the test makes to its own listeners, decoded through flows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>

#include "unit_skip.h"
#include <netinet/in.h>
#include <pcap/pcap.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tracer/capture.h"
#include "tracer/flows.h"

#define EVENTS_MAX 256
#define DNS_HOST 0x7f4d0035u /* 127.77.0.53 */

struct seen {
	enum flow_event_kind kind;
	uint16_t server_port;
	char text[300];
};

/* Filled on the capture thread, read after capture_stop has joined it. */
struct observer {
	struct flows *flows;
	struct seen events[EVENTS_MAX];
	size_t n;
	uint64_t last_number;
	bool numbers_in_order;
};

static void on_event(const struct flow_event *ev, void *user)
{
	struct observer *o = user;
	if (o->n == EVENTS_MAX)
		return;
	struct seen *s = &o->events[o->n++];
	s->kind = ev->kind;
	s->server_port = ev->key.server_port;
	s->text[0] = '\0';
	if (ev->http)
		snprintf(s->text, sizeof s->text, "%.20s %.100s %.100s", ev->http->method, ev->http->host,
			 ev->http->target);
	if (ev->tls)
		snprintf(s->text, sizeof s->text, "%.200s", ev->tls->sni);
	if (ev->dns && ev->dns->n_questions)
		snprintf(s->text, sizeof s->text, "%.200s", ev->dns->questions[0].name);
}

static void on_packet(const struct capture_packet *pkt, void *user)
{
	struct observer *o = user;
	if (pkt->number != o->last_number + 1)
		o->numbers_in_order = false;
	o->last_number = pkt->number;
	flows_packet(o->flows, pkt->dlt, pkt->bytes, pkt->caplen, &pkt->ts, pkt->number);
}

static const struct seen *find_event(const struct observer *o, enum flow_event_kind kind, uint16_t port,
				     const char *text)
{
	for (size_t i = 0; i < o->n; i++)
		if (o->events[i].kind == kind && o->events[i].server_port == port &&
		    (!text || strcmp(o->events[i].text, text) == 0))
			return &o->events[i];
	return NULL;
}

/* A socket bound on loopback to host:port (port 0: any); -1 when the bind fails. */
static int bound_socket(int type, uint32_t host, uint16_t port, struct sockaddr_in *addr)
{
	int fd = socket(AF_INET, type | SOCK_CLOEXEC, 0);
	socklen_t len = sizeof *addr;
	assert_true(fd >= 0);
	memset(addr, 0, sizeof *addr);
	addr->sin_family = AF_INET;
	addr->sin_addr.s_addr = htonl(host);
	addr->sin_port = htons(port);
	if (bind(fd, (struct sockaddr *)addr, sizeof *addr) != 0) {
		close(fd);
		return -1;
	}
	assert_int_equal(getsockname(fd, (struct sockaddr *)addr, &len), 0);
	return fd;
}

/* One TCP connection to the listener: send bytes, let the listener read them,
 * close both ends. */
static void tcp_exchange(int listener, const struct sockaddr_in *addr, const void *bytes, size_t n)
{
	char buf[4096];
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(c >= 0);
	assert_int_equal(connect(c, (const struct sockaddr *)addr, sizeof *addr), 0);
	int s = accept(listener, NULL, NULL);
	assert_true(s >= 0);
	assert_int_equal(send(c, bytes, n, 0), (ssize_t)n);
	size_t got = 0;
	while (got < n) {
		ssize_t r = recv(s, buf, sizeof buf, 0);
		assert_true(r > 0);
		got += (size_t)r;
	}
	close(c);
	close(s);
}

static const char dns_query[] = "\xbe\xef\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x05probe\x07"
				"example\x03" "com\x00\x00\x01\x00\x01";
static const char http_request[] = "GET /ping?x=1 HTTP/1.1\r\nHost: probe.example.net\r\nUser-Agent: t\r\n\r\n";
#define R32 "RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR"
static const char client_hello[] = "\x16\x03\x01\x00\x3d\x01\x00\x00\x39\x03\x03" R32
				   "\x00\x00\x02\x13\x01\x01\x00\x00\x0e\x00\x00\x00\x0a\x00\x08\x00\x00\x05t.net";

static void test_capture_loopback(void **state)
{
	struct observer *o = calloc(1, sizeof *o);
	struct sockaddr_in udp_addr, tcp_addr;
	char errbuf[CAPTURE_ERRBUF_SIZE], filter[128], pcap_path[] = "/tmp/mcpaudit-capture-XXXXXX";
	struct capture *cap = NULL;
	(void)state;
	assert_non_null(o);
	o->numbers_in_order = true;
	o->flows = flows_new(0, on_event, o);
	assert_non_null(o->flows);
	/* DNS on port 53 of an unusual loopback address (any 127/8 address is local);
	 * without root, or if it is taken, on any port (then seen as plain UDP) */
	int udp_server = bound_socket(SOCK_DGRAM, DNS_HOST, 53, &udp_addr);
	if (udp_server < 0) {
		print_message("127.77.0.53:53 not available: the DNS query goes to another port\n");
		udp_server = bound_socket(SOCK_DGRAM, DNS_HOST, 0, &udp_addr);
	}
	assert_true(udp_server >= 0);
	int listener = bound_socket(SOCK_STREAM, INADDR_LOOPBACK, 0, &tcp_addr);
	assert_true(listener >= 0);
	assert_int_equal(listen(listener, 4), 0);
	uint16_t udp_port = ntohs(udp_addr.sin_port), tcp_port = ntohs(tcp_addr.sin_port);
	/* only this test's traffic: the host's loopback may carry other things */
	snprintf(filter, sizeof filter, "(host 127.0.0.1 and tcp port %u) or (host 127.77.0.53 and udp port %u)",
		 tcp_port, udp_port);
	int tmp = mkstemp(pcap_path);
	assert_true(tmp >= 0);
	close(tmp);
	struct capture_options opts = {.interface = "lo", .filter = filter, .pcap_path = pcap_path};
	enum capture_status st = capture_start(&opts, on_packet, o, &cap, errbuf);
	if (st == CAPTURE_PERMISSION || (st != CAPTURE_OK && geteuid() != 0)) {
		print_message("cannot capture on lo (%s): needs root or CAP_NET_RAW\n", errbuf);
		close(udp_server);
		close(listener);
		unlink(pcap_path);
		flows_free(o->flows);
		free(o);
		unit_skip("cannot capture on lo: needs root or CAP_NET_RAW");
	}
	if (st != CAPTURE_OK)
		fail_msg("capture_start: %s", errbuf);

	int udp_client = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	assert_true(udp_client >= 0);
	assert_int_equal(sendto(udp_client, dns_query, sizeof dns_query - 1, 0, (struct sockaddr *)&udp_addr,
				sizeof udp_addr),
			 (ssize_t)(sizeof dns_query - 1));
	char buf[512];
	assert_true(recv(udp_server, buf, sizeof buf, 0) > 0);
	tcp_exchange(listener, &tcp_addr, http_request, sizeof http_request - 1);
	tcp_exchange(listener, &tcp_addr, client_hello, sizeof client_hello - 1);
	close(udp_client);

	struct capture_stats stats;
	assert_int_equal(capture_stop(cap, &stats), CAPTURE_OK);
	flows_finish(o->flows);

	assert_true(stats.packets >= 1 + 2 * 7);
	assert_true(stats.stats_known);
	assert_int_equal(stats.dropped_kernel, 0);
	assert_true(o->numbers_in_order);
	if (udp_port == 53 && !find_event(o, FLOW_EVENT_DNS, 53, "probe.example.com"))
		fail_msg("no DNS query seen (%zu events)", o->n);
	if (udp_port != 53 && !find_event(o, FLOW_EVENT_UDP, udp_port, NULL))
		fail_msg("no UDP datagram seen (%zu events)", o->n);
	assert_non_null(find_event(o, FLOW_EVENT_SYN, tcp_port, NULL));
	if (!find_event(o, FLOW_EVENT_HTTP_REQUEST, tcp_port, "GET probe.example.net /ping?x=1"))
		fail_msg("no HTTP request seen (%zu events)", o->n);
	if (!find_event(o, FLOW_EVENT_TLS_HELLO, tcp_port, "t.net"))
		fail_msg("no ClientHello seen (%zu events)", o->n);
	size_t ends = 0;
	for (size_t i = 0; i < o->n; i++)
		ends += o->events[i].kind == FLOW_EVENT_STREAM_END && o->events[i].server_port == tcp_port;
	assert_int_equal(ends, 2);

	/* the pcap file holds the same packets */
	char pcap_err[PCAP_ERRBUF_SIZE];
	pcap_t *saved = pcap_open_offline(pcap_path, pcap_err);
	if (!saved)
		fail_msg("pcap file: %s", pcap_err);
	struct pcap_pkthdr *h;
	const u_char *bytes;
	uint64_t n = 0;
	while (pcap_next_ex(saved, &h, &bytes) == 1)
		n++;
	pcap_close(saved);
	assert_int_equal(n, stats.packets);
	unlink(pcap_path);
	close(udp_server);
	close(listener);
	flows_free(o->flows);
	free(o);
}

/* Failures say why and leave nothing behind. */
static void test_capture_errors(void **state)
{
	char errbuf[CAPTURE_ERRBUF_SIZE];
	struct capture *cap = (struct capture *)1;
	struct capture_stats stats;
	(void)state;
	struct capture_options no_such = {.interface = "mcpaudit-none0"};
	enum capture_status st = capture_start(&no_such, NULL, NULL, &cap, errbuf);
	assert_int_not_equal(st, CAPTURE_OK);
	assert_null(cap);
	assert_true(errbuf[0] != '\0');
	struct capture_options bad_filter = {.interface = "lo", .filter = "this is not bpf"};
	st = capture_start(&bad_filter, NULL, NULL, &cap, errbuf);
	assert_int_not_equal(st, CAPTURE_OK);
	assert_null(cap);
	assert_int_equal(capture_stop(NULL, &stats), CAPTURE_OK);
	assert_int_equal(stats.packets, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_capture_loopback),
		cmocka_unit_test(test_capture_errors),
	};
	return unit_finish(cmocka_run_group_tests(tests, NULL, NULL));
}
