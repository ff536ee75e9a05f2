/* flows: TCP reassembly (out of order, duplicates, overlaps, caps, sequence wrap) and per-flow events, from synthetic segments. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pcap/dlt.h>

#include "tracer/flows.h"

#define CLIENT_PORT 40000
#define EVENTS_MAX 64

/* A copy of what an event said, kept past the callback. */
struct seen {
	enum flow_event_kind kind;
	uint16_t client_port, server_port;
	char text[256]; /* host, SNI or DNS name */
	uint8_t *payload;
	size_t payload_len;
	uint64_t stream_bytes;
	bool capped, gaps, midstream, decoded, over_tcp;
};

struct recorder {
	struct seen events[EVENTS_MAX];
	size_t n;
};

static void record(const struct flow_event *ev, void *user)
{
	struct recorder *r = user;
	if (r->n == EVENTS_MAX)
		fail_msg("more than %d events", EVENTS_MAX);
	struct seen *s = &r->events[r->n++];
	memset(s, 0, sizeof *s);
	s->kind = ev->kind;
	s->client_port = ev->key.client_port;
	s->server_port = ev->key.server_port;
	if (ev->http)
		snprintf(s->text, sizeof s->text, "%.30s %.60s %.100s", ev->http->method, ev->http->host, ev->http->target);
	if (ev->tls)
		snprintf(s->text, sizeof s->text, "%.200s", ev->tls->sni);
	if (ev->dns && ev->dns->n_questions)
		snprintf(s->text, sizeof s->text, "%.200s", ev->dns->questions[0].name);
	s->payload = malloc(ev->payload_len + 1);
	assert_non_null(s->payload);
	if (ev->payload_len)
		memcpy(s->payload, ev->payload, ev->payload_len);
	s->payload_len = ev->payload_len;
	s->stream_bytes = ev->stream_bytes;
	s->capped = ev->stream_capped;
	s->gaps = ev->stream_gaps;
	s->midstream = ev->midstream;
	s->decoded = ev->decoded;
	s->over_tcp = ev->over_tcp;
}

static void recorder_free(struct recorder *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->events[i].payload);
	r->n = 0;
}

static size_t count(const struct recorder *r, enum flow_event_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->events[i].kind == kind;
	return n;
}

static const struct seen *first(const struct recorder *r, enum flow_event_kind kind)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->events[i].kind == kind)
			return &r->events[i];
	fail_msg("no event of kind %d", kind);
	return NULL;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* An IPv4 packet (DLT_RAW) 127.0.0.1 -> 127.0.0.1 carrying a TCP segment or a UDP datagram. */
static void send_packet(struct flows *f, uint8_t proto, uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags,
			const void *payload, size_t n)
{
	static uint64_t number;
	size_t l4 = proto == 6 ? 20 : 8, total = 20 + l4 + n;
	uint8_t *pkt = calloc(1, total);
	assert_non_null(pkt);
	memcpy(pkt, "\x45\x00\x00\x00\x00\x01\x40\x00\x40\x00\x00\x00\x7f\x00\x00\x01\x7f\x00\x00\x01", 20);
	put16(pkt + 2, (uint16_t)total);
	pkt[9] = proto;
	uint8_t *t = pkt + 20;
	put16(t, sport);
	put16(t + 2, dport);
	if (proto == 6) {
		put32(t + 4, seq);
		t[12] = 0x50;
		t[13] = flags;
		put16(t + 14, 65535);
	} else {
		put16(t + 4, (uint16_t)(8 + n));
	}
	if (n)
		memcpy(t + l4, payload, n);
	struct timeval ts = {1, (long)number};
	flows_packet(f, DLT_RAW, pkt, total, &ts, ++number);
	free(pkt);
}

#define TCP 6
#define UDP 17
#define SYN 0x02
#define ACK 0x10
#define PSH_ACK 0x18
#define FIN_ACK 0x11
#define RST 0x04

static void client(struct flows *f, uint16_t dport, uint32_t isn, size_t offset, const char *bytes, size_t n,
		   uint8_t flags)
{
	send_packet(f, TCP, CLIENT_PORT, dport, isn + 1 + (uint32_t)offset, flags, bytes, n);
}

static void handshake(struct flows *f, uint16_t dport, uint32_t isn)
{
	send_packet(f, TCP, CLIENT_PORT, dport, isn, SYN, NULL, 0);
	send_packet(f, TCP, dport, CLIENT_PORT, 5000, SYN | ACK, NULL, 0);
	send_packet(f, TCP, CLIENT_PORT, dport, isn + 1, ACK, NULL, 0);
}

static const char request[] = "POST /v1/collect HTTP/1.1\r\nHost: t.example.net\r\nContent-Type: application/json\r\n"
			      "Content-Length: 20\r\n\r\n{\"token\":\"ghp_1234\"}";

static void test_out_of_order_duplicates_overlap(void **state)
{
	struct recorder r = {0};
	struct flows *f = flows_new(0, record, &r);
	size_t n = sizeof request - 1;
	(void)state;
	assert_non_null(f);
	handshake(f, 8080, 1000);
	/* three pieces [0,40) [40,90) [90,n): the last first, the middle twice, then
	 * one overlapping 30..100 with different bytes (the first copy must win) */
	client(f, 8080, 1000, 90, request + 90, n - 90, PSH_ACK);
	client(f, 8080, 1000, 40, request + 40, 50, PSH_ACK);
	client(f, 8080, 1000, 40, request + 40, 50, PSH_ACK);
	assert_int_equal(count(&r, FLOW_EVENT_HTTP_REQUEST), 0);
	client(f, 8080, 1000, 30, "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX", 70, PSH_ACK);
	client(f, 8080, 1000, 0, request, 40, PSH_ACK);
	assert_int_equal(count(&r, FLOW_EVENT_HTTP_REQUEST), 1);
	client(f, 8080, 1000, n, NULL, 0, FIN_ACK);
	assert_int_equal(count(&r, FLOW_EVENT_SYN), 1);
	assert_string_equal(first(&r, FLOW_EVENT_HTTP_REQUEST)->text, "POST t.example.net /v1/collect");
	const struct seen *end = first(&r, FLOW_EVENT_STREAM_END);
	assert_int_equal(end->payload_len, n);
	assert_memory_equal(end->payload, request, n);
	assert_false(end->gaps);
	assert_false(end->capped);
	assert_true(end->decoded);
	assert_int_equal(end->server_port, 8080);
	/* a late retransmission after the end changes nothing */
	client(f, 8080, 1000, 0, request, 40, PSH_ACK);
	assert_int_equal(count(&r, FLOW_EVENT_STREAM_END), 1);
	flows_free(f);
	recorder_free(&r);
}

/* The same request delivered in every two-piece split, second piece first. */
static void test_every_split(void **state)
{
	size_t n = sizeof request - 1;
	(void)state;
	for (size_t cut = 1; cut < n; cut++) {
		struct recorder r = {0};
		struct flows *f = flows_new(0, record, &r);
		assert_non_null(f);
		handshake(f, 80, 0xfffffff0u); /* sequence numbers wrap inside the stream */
		client(f, 80, 0xfffffff0u, cut, request + cut, n - cut, PSH_ACK);
		client(f, 80, 0xfffffff0u, 0, request, cut, PSH_ACK);
		flows_finish(f);
		if (count(&r, FLOW_EVENT_HTTP_REQUEST) != 1)
			fail_msg("cut at %zu: %zu requests", cut, count(&r, FLOW_EVENT_HTTP_REQUEST));
		assert_memory_equal(first(&r, FLOW_EVENT_STREAM_END)->payload, request, n);
		flows_free(f);
		recorder_free(&r);
	}
}

#define R32 "RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR"
static const char hello[] = "\x16\x03\x01\x00\x3d\x01\x00\x00\x39\x03\x03" R32
			    "\x00\x00\x02\x13\x01\x01\x00\x00\x0e\x00\x00\x00\x0a\x00\x08\x00\x00\x05t.net";

static void test_tls_and_keep_alive(void **state)
{
	struct recorder r = {0};
	struct flows *f = flows_new(0, record, &r);
	(void)state;
	assert_non_null(f);
	handshake(f, 443, 7);
	client(f, 443, 7, 20, hello + 20, sizeof hello - 1 - 20, PSH_ACK);
	client(f, 443, 7, 0, hello, 20, PSH_ACK);
	assert_string_equal(first(&r, FLOW_EVENT_TLS_HELLO)->text, "t.net");
	/* the server resets: the stream ends */
	send_packet(f, TCP, 443, CLIENT_PORT, 5001, RST, NULL, 0);
	assert_int_equal(count(&r, FLOW_EVENT_STREAM_END), 1);
	recorder_free(&r);

	/* two requests on one connection, the second waits for its body */
	static const char two[] = "GET /a HTTP/1.1\r\nHost: h\r\n\r\nPOST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 4\r\n\r\nab";
	handshake(f, 3000, 99);
	client(f, 3000, 99, 0, two, sizeof two - 1, PSH_ACK);
	assert_int_equal(count(&r, FLOW_EVENT_HTTP_REQUEST), 1);
	client(f, 3000, 99, sizeof two - 1, "cd", 2, PSH_ACK);
	assert_int_equal(count(&r, FLOW_EVENT_HTTP_REQUEST), 2);
	assert_string_equal(r.events[r.n - 1].text, "POST h /b");
	flows_free(f); /* without flows_finish: no more events, nothing leaks */
	recorder_free(&r);
}

static void test_dns_over_tcp_and_udp(void **state)
{
	static const char q[] = "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x03www\x07" "example\x03" "com\x00\x00\x01\x00\x01";
	char framed[2 * (sizeof q + 1)];
	struct recorder r = {0};
	struct flows *f = flows_new(0, record, &r);
	(void)state;
	assert_non_null(f);
	size_t qn = sizeof q - 1;
	framed[0] = 0;
	framed[1] = (char)qn;
	memcpy(framed + 2, q, qn);
	memcpy(framed + 2 + qn, framed, 2 + qn);
	handshake(f, 53, 1);
	client(f, 53, 1, 0, framed, 5, PSH_ACK);
	client(f, 53, 1, 5, framed + 5, 2 * (2 + qn) - 5, PSH_ACK);
	assert_int_equal(count(&r, FLOW_EVENT_DNS), 2);
	assert_true(first(&r, FLOW_EVENT_DNS)->over_tcp);
	assert_string_equal(first(&r, FLOW_EVENT_DNS)->text, "www.example.com");
	recorder_free(&r);

	send_packet(f, UDP, 41000, 53, 0, 0, q, qn);
	send_packet(f, UDP, 41000, 443, 0, 0, "\xc0\x00\x00\x00\x01", 5);
	send_packet(f, UDP, 41000, 9999, 0, 0, "hello", 5);
	send_packet(f, UDP, 41000, 53, 0, 0, "junk", 4);
	assert_int_equal(r.n, 4);
	assert_int_equal(r.events[0].kind, FLOW_EVENT_DNS);
	assert_false(r.events[0].over_tcp);
	assert_string_equal(r.events[0].text, "www.example.com");
	assert_int_equal(r.events[1].kind, FLOW_EVENT_QUIC);
	assert_int_equal(r.events[2].kind, FLOW_EVENT_UDP);
	assert_memory_equal(r.events[2].payload, "hello", 5);
	assert_int_equal(r.events[3].kind, FLOW_EVENT_UDP);
	struct flows_stats st;
	flows_get_stats(f, &st);
	assert_int_equal(st.udp_datagrams, 4);
	assert_int_equal(st.tcp_flows, 1);
	flows_free(f);
	recorder_free(&r);
}

static void test_caps(void **state)
{
	struct recorder r = {0};
	struct flows *f = flows_new(1024, record, &r);
	char block[100];
	(void)state;
	assert_non_null(f);
	memset(block, 'z', sizeof block);
	/* 2000 bytes into a 1024-byte cap */
	handshake(f, 9000, 0);
	for (size_t off = 0; off < 2000; off += 100)
		client(f, 9000, 0, off, block, 100, PSH_ACK);
	client(f, 9000, 0, 2000, NULL, 0, FIN_ACK);
	const struct seen *end = first(&r, FLOW_EVENT_STREAM_END);
	assert_int_equal(end->payload_len, 1024);
	assert_int_equal(end->stream_bytes, 2000);
	assert_true(end->capped);
	assert_false(end->decoded);
	recorder_free(&r);

	/* more out-of-order segments than are held: counted, and the end shows gaps */
	handshake(f, 9001, 0);
	send_packet(f, TCP, CLIENT_PORT, 9001, 0, SYN, NULL, 0); /* a retransmitted SYN: no new event */
	for (size_t i = 0; i < FLOWS_HELD_MAX + 6; i++)
		client(f, 9001, 0, 10 + i * 2, "ab", 1, PSH_ACK);
	flows_finish(f);
	assert_int_equal(count(&r, FLOW_EVENT_SYN), 1);
	end = first(&r, FLOW_EVENT_STREAM_END);
	assert_true(end->gaps);
	assert_int_equal(end->payload_len, 0);
	struct flows_stats st;
	flows_get_stats(f, &st);
	assert_int_equal(st.held_dropped, 6);
	assert_int_equal(st.streams_undecoded, 1);
	flows_free(f);
	recorder_free(&r);
}

static void test_midstream_and_junk(void **state)
{
	struct recorder r = {0};
	struct flows *f = flows_new(0, record, &r);
	(void)state;
	assert_non_null(f);
	client(f, 8443, 500, 0, "GET / HTTP/1.1\r\nHost: m\r\n\r\n", 27, PSH_ACK);
	assert_int_equal(count(&r, FLOW_EVENT_SYN), 0);
	assert_int_equal(count(&r, FLOW_EVENT_HTTP_REQUEST), 1);
	/* the server answers on the same flow: not a new one */
	send_packet(f, TCP, 8443, CLIENT_PORT, 1, PSH_ACK, "HTTP/1.1 200 OK\r\n\r\n", 19);
	flows_finish(f);
	assert_int_equal(count(&r, FLOW_EVENT_STREAM_END), 1);
	assert_true(first(&r, FLOW_EVENT_STREAM_END)->midstream);
	/* not IP, and a broken header */
	struct timeval ts = {0, 0};
	flows_packet(f, DLT_EN10MB, (const uint8_t *)"\0\0\0\0\0\0\0\0\0\0\0\0\x08\x06", 14, &ts, 1);
	flows_packet(f, DLT_RAW, (const uint8_t *)"\x45\x00\x00\x14", 4, &ts, 2);
	struct flows_stats st;
	flows_get_stats(f, &st);
	assert_int_equal(st.not_ip, 1);
	assert_int_equal(st.malformed, 1);
	flows_free(f);
	recorder_free(&r);
	flows_free(NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_out_of_order_duplicates_overlap),
		cmocka_unit_test(test_every_split),
		cmocka_unit_test(test_tls_and_keep_alive),
		cmocka_unit_test(test_dns_over_tcp_and_udp),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_midstream_and_junk),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
