/* fuzz_decode: a libFuzzer entry point over every decoder in tracer/decode, built with the
 * other harnesses by -DMCPAUDIT_FUZZ=ON and run by scripts/fuzz.sh (docs/FUZZING.md).
 *
 * The first input byte picks the decoder (and, for frames, the link type); the
 * rest is given to it as untrusted bytes, the way the capture would. The last
 * choice feeds the flow table a run of raw IP packets, each preceded by a 2-byte
 * length, so that reassembly and the stream decoders see segments in any order. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <pcap/dlt.h>

#include "tracer/decode/dns.h"
#include "tracer/decode/http.h"
#include "tracer/decode/http_body.h"
#include "tracer/decode/ip.h"
#include "tracer/decode/tcp.h"
#include "tracer/decode/tls.h"
#include "tracer/decode/udp.h"
#include "tracer/fakedns.h"
#include "tracer/flows.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const int link_types[] = {DLT_EN10MB, DLT_NULL, DLT_LOOP, DLT_RAW, DLT_LINUX_SLL, DLT_LINUX_SLL2};

static void fuzz_frame(int dlt, const uint8_t *p, size_t n)
{
	struct ip_packet ip;
	struct tcp_segment seg;
	struct udp_datagram d;
	if (ip_parse_link(dlt, p, n, &ip) != DECODE_OK)
		return;
	if (ip.proto == IP_PROTO_TCP)
		tcp_parse(ip.payload, ip.payload_len, &seg);
	if (ip.proto == IP_PROTO_UDP)
		udp_parse(ip.payload, ip.payload_len, &d);
}

static void fuzz_dns(const uint8_t *p, size_t n)
{
	static struct dns_msg msg;
	uint8_t reply[DNS_REPLY_MAX];
	size_t used;
	dns_parse(p, n, &msg);
	dns_parse_tcp(p, n, &msg, &used);
	dns_build_answer(p, n, DNS_REPLY_ADDRESS, (const uint8_t *)"\xc6\x12\x00\x01", 4, 60, reply, sizeof reply,
			 &used);
	dns_build_answer(p, n, DNS_REPLY_NXDOMAIN, NULL, 0, 60, reply, sizeof reply, &used);
	/* the fake resolver's path: the same reader and encoder, as netsim calls them */
	struct fakedns_query q;
	uint8_t answer[FAKEDNS_ANSWER_MAX];
	enum fakedns_parse_status st = fakedns_parse_query(p, n, &q);
	if (st != FAKEDNS_PARSE_DROP)
		fakedns_build_answer(p, &q, st == FAKEDNS_PARSE_OK ? FAKEDNS_RCODE_NOERROR : FAKEDNS_RCODE_FORMERR,
				     st == FAKEDNS_PARSE_OK ? (const uint8_t *)"\xc6\x12\x00\x01" : NULL, 4, answer,
				     sizeof answer);
}

static void count_body(void *ctx, const uint8_t *p, size_t n)
{
	(void)p;
	*(size_t *)ctx += n;
}

/* An HTTP request and its body: head, then chunks and codings (gzip, deflate, br) undone. */
static void fuzz_http(const uint8_t *p, size_t n)
{
	static struct http_request req;
	struct http_body *b;
	size_t out = 0, used;
	bool done = false;

	if (http_parse_request(p, n, &req) != DECODE_OK)
		return;
	b = http_body_new(&req, 1 << 20, count_body, &out);
	if (!b)
		return;
	for (size_t at = req.head_len; at < n && !done; at += used)
		if (!(used = http_body_feed(b, p + at, n - at < 97 ? n - at : 97, &done)))
			break;
	http_body_free(b);
}

static void ignore_event(const struct flow_event *ev, void *user)
{
	(void)ev;
	(void)user;
}

static void fuzz_flows(const uint8_t *p, size_t n)
{
	struct flows *f = flows_new(2048, ignore_event, NULL);
	struct timeval ts = {0, 0};
	uint64_t number = 0;
	if (!f)
		return;
	while (n >= 2) {
		size_t len = (size_t)p[0] << 8 | p[1];
		p += 2;
		n -= 2;
		len = len < n ? len : n;
		flows_packet(f, DLT_RAW, p, len, &ts, ++number);
		p += len;
		n -= len;
	}
	flows_finish(f);
	flows_free(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tls_client_hello hello;
	if (size < 1)
		return 0;
	/* an exact-size copy, so that any read past the end is caught */
	size_t n = size - 1;
	uint8_t *p = malloc(n ? n : 1);
	if (!p)
		return 0;
	memcpy(p, data + 1, n);
	unsigned pick = data[0] % 10;
	if (pick < 6)
		fuzz_frame(link_types[pick], p, n);
	else if (pick == 6)
		fuzz_dns(p, n);
	else if (pick == 7)
		tls_parse_client_hello(p, n, &hello);
	else if (pick == 8)
		fuzz_http(p, n);
	else
		fuzz_flows(p, n);
	free(p);
	return 0;
}
