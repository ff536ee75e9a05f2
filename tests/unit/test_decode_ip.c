/* decode_ip: link layers, IPv4 and IPv6 (with extension headers), TCP and UDP headers, from byte literals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <arpa/inet.h>
#include <cmocka.h>
#include <pcap/dlt.h>
#include <sys/socket.h>

#include "tracer/decode/ip.h"
#include "tracer/decode/tcp.h"
#include "tracer/decode/udp.h"

#define ZERO_MACS "\0\0\0\0\0\0\0\0\0\0\0\0"
#define V4_LO "\x7f\x00\x00\x01"
#define V6_LO "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\x01"
#define V6_DOC "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\0\0\0\x05"

/* IPv4 TCP SYN 127.0.0.1:54321 -> 127.0.0.1:443 with the usual Linux options. */
#define V4_SYN                                                                                              \
	"\x45\x00\x00\x3c\x1c\x46\x40\x00\x40\x06\x00\x00" V4_LO V4_LO                                      \
	"\xd4\x31\x01\xbb\x11\x22\x33\x44\x00\x00\x00\x00\xa0\x02\xff\xd7\x00\x00\x00\x00"                  \
	"\x02\x04\xff\xd7\x04\x02\x08\x0a\x00\x00\x00\x01\x00\x00\x00\x00\x01\x03\x03\x07"
/* IPv4 UDP 127.0.0.1:40000 -> 127.0.0.53:53, 4 bytes of payload. */
#define V4_UDP                                                                                              \
	"\x45\x00\x00\x20\x00\x01\x00\x00\x40\x11\x00\x00" V4_LO "\x7f\x00\x00\x35"                        \
	"\x9c\x40\x00\x35\x00\x0c\x00\x00"                                                                  \
	"abcd"
/* IPv6 UDP ::1:40000 -> 2001:db8::5:53. */
#define V6_UDP                                                                                              \
	"\x60\x00\x00\x00\x00\x0c\x11\x40" V6_LO V6_DOC "\x9c\x40\x00\x35\x00\x0c\x00\x00"                  \
	"abcd"

struct ip_case {
	const char *name;
	int dlt;
	const char *bytes;
	size_t len;
	enum decode_status status;
	int family;
	uint8_t proto;
	const char *src, *dst;
	size_t payload_len;
	bool fragment;
	uint32_t frag_offset;
};

#define BYTES(s) s, sizeof(s) - 1

static const struct ip_case ip_cases[] = {
	{"ethernet (loopback, zero MACs) IPv4 TCP SYN", DLT_EN10MB, BYTES(ZERO_MACS "\x08\x00" V4_SYN),
	 DECODE_OK, AF_INET, 6, "127.0.0.1", "127.0.0.1", 40, false, 0},
	{"ethernet padding is dropped", DLT_EN10MB, BYTES(ZERO_MACS "\x08\x00" V4_UDP "\0\0\0\0\0\0"), DECODE_OK,
	 AF_INET, 17, "127.0.0.1", "127.0.0.53", 12, false, 0},
	{"ethernet 802.1Q tag", DLT_EN10MB, BYTES(ZERO_MACS "\x81\x00\x00\x05\x08\x00" V4_UDP), DECODE_OK,
	 AF_INET, 17, "127.0.0.1", "127.0.0.53", 12, false, 0},
	{"ethernet three VLAN tags", DLT_EN10MB,
	 BYTES(ZERO_MACS "\x81\x00\x00\x05\x81\x00\x00\x05\x81\x00\x00\x05\x08\x00" V4_UDP), DECODE_CAP, 0, 0,
	 NULL, NULL, 0, false, 0},
	{"ethernet ARP", DLT_EN10MB, BYTES(ZERO_MACS "\x08\x06\x00\x01\x08\x00\x06\x04\x00\x01"), DECODE_UNSUPPORTED,
	 0, 0, NULL, NULL, 0, false, 0},
	{"ethernet IPv6 ethertype over an IPv4 packet", DLT_EN10MB, BYTES(ZERO_MACS "\x86\xdd" V4_UDP),
	 DECODE_MALFORMED, 0, 0, NULL, NULL, 0, false, 0},
	{"DLT_NULL IPv4 (host order AF_INET)", DLT_NULL, BYTES("\x02\x00\x00\x00" V4_UDP), DECODE_OK, AF_INET, 17,
	 "127.0.0.1", "127.0.0.53", 12, false, 0},
	{"DLT_LOOP IPv6 (network order)", DLT_LOOP, BYTES("\x00\x00\x00\x1e" V6_UDP), DECODE_OK, AF_INET6, 17,
	 "::1", "2001:db8::5", 12, false, 0},
	{"DLT_RAW IPv6 UDP", DLT_RAW, BYTES(V6_UDP), DECODE_OK, AF_INET6, 17, "::1", "2001:db8::5", 12, false, 0},
	{"DLT_IPV4", DLT_IPV4, BYTES(V4_SYN), DECODE_OK, AF_INET, 6, "127.0.0.1", "127.0.0.1", 40, false, 0},
	{"Linux SLL IPv4", DLT_LINUX_SLL,
	 BYTES("\x00\x00\x03\x04\x00\x06\x00\x00\x00\x00\x00\x00\x00\x00\x08\x00" V4_UDP), DECODE_OK, AF_INET, 17,
	 "127.0.0.1", "127.0.0.53", 12, false, 0},
	{"Linux SLL2 IPv6", DLT_LINUX_SLL2,
	 BYTES("\x86\xdd\x00\x00\x00\x00\x00\x01\x03\x04\x00\x06\x00\x00\x00\x00\x00\x00\x00\x00" V6_UDP),
	 DECODE_OK, AF_INET6, 17, "::1", "2001:db8::5", 12, false, 0},
	{"IPv4 with options (IHL 6)", DLT_RAW,
	 BYTES("\x46\x00\x00\x20\x00\x01\x00\x00\x40\x11\x00\x00" V4_LO V4_LO "\x01\x01\x01\x00"
	       "\x9c\x40\x00\x35\x00\x08\x00\x00"),
	 DECODE_OK, AF_INET, 17, "127.0.0.1", "127.0.0.1", 8, false, 0},
	{"IPv4 first fragment (MF)", DLT_RAW,
	 BYTES("\x45\x00\x00\x1c\x00\x01\x20\x00\x40\x11\x00\x00" V4_LO V4_LO "\x9c\x40\x00\x35\x05\xdc\x00\x00"),
	 DECODE_OK, AF_INET, 17, "127.0.0.1", "127.0.0.1", 8, true, 0},
	{"IPv4 later fragment", DLT_RAW, BYTES("\x45\x00\x00\x1c\x00\x01\x00\xb9\x40\x11\x00\x00" V4_LO V4_LO "abcdefgh"),
	 DECODE_OK, AF_INET, 17, "127.0.0.1", "127.0.0.1", 8, true, 1480},
	{"IPv4 snapped short", DLT_RAW, BYTES("\x45\x00\x05\xdc\x00\x01\x00\x00\x40\x06\x00\x00" V4_LO V4_LO "ab"),
	 DECODE_OK, AF_INET, 6, "127.0.0.1", "127.0.0.1", 2, false, 0},
	{"IPv4 IHL 4", DLT_RAW, BYTES("\x44\x00\x00\x14\x00\x01\x00\x00\x40\x11\x00\x00" V4_LO V4_LO),
	 DECODE_MALFORMED, 0, 0, NULL, NULL, 0, false, 0},
	{"IPv4 total length under IHL", DLT_RAW, BYTES("\x45\x00\x00\x10\x00\x01\x00\x00\x40\x11\x00\x00" V4_LO V4_LO),
	 DECODE_MALFORMED, 0, 0, NULL, NULL, 0, false, 0},
	{"version 5", DLT_RAW, BYTES("\x55\x00\x00\x14"), DECODE_MALFORMED, 0, 0, NULL, NULL, 0, false, 0},
	{"empty", DLT_RAW, BYTES(""), DECODE_TRUNCATED, 0, 0, NULL, NULL, 0, false, 0},
	{"unknown link type", 105, BYTES(V4_UDP), DECODE_UNSUPPORTED, 0, 0, NULL, NULL, 0, false, 0},
	{"IPv6 hop-by-hop, then a first fragment, then UDP", DLT_RAW,
	 BYTES("\x60\x00\x00\x00\x00\x1c\x00\x40" V6_LO V6_DOC "\x2c\x00\x01\x04\x00\x00\x00\x00"
	       "\x11\x00\x00\x01\x12\x34\x56\x78"
	       "\x9c\x40\x00\x35\x00\x0c\x00\x00"
	       "abcd"),
	 DECODE_OK, AF_INET6, 17, "::1", "2001:db8::5", 12, true, 0},
	{"IPv6 later fragment", DLT_RAW,
	 BYTES("\x60\x00\x00\x00\x00\x0c\x2c\x40" V6_LO V6_DOC "\x11\x00\x05\xa8\x12\x34\x56\x78"
	       "abcd"),
	 DECODE_OK, AF_INET6, 17, "::1", "2001:db8::5", 4, true, 1448},
	{"IPv6 routing and destination options (2 units)", DLT_RAW,
	 BYTES("\x60\x00\x00\x00\x00\x2c\x2b\x40" V6_LO V6_DOC "\x3c\x00\x00\x00\x00\x00\x00\x00"
	       "\x06\x01\x00\x00\x00\x00\x00\x00\x01\x06\x00\x00\x00\x00\x00\x00"
	       "\xd4\x31\x01\xbb\x00\x00\x00\x01\x00\x00\x00\x00\x50\x02\xff\xff\x00\x00\x00\x00"),
	 DECODE_OK, AF_INET6, 6, "::1", "2001:db8::5", 20, false, 0},
	{"IPv6 nine destination-options headers", DLT_RAW,
	 BYTES("\x60\x00\x00\x00\x00\x48\x3c\x40" V6_LO V6_DOC
	       "\x3c\x00\x01\x04\x00\x00\x00\x00\x3c\x00\x01\x04\x00\x00\x00\x00\x3c\x00\x01\x04\x00\x00\x00\x00"
	       "\x3c\x00\x01\x04\x00\x00\x00\x00\x3c\x00\x01\x04\x00\x00\x00\x00\x3c\x00\x01\x04\x00\x00\x00\x00"
	       "\x3c\x00\x01\x04\x00\x00\x00\x00\x3c\x00\x01\x04\x00\x00\x00\x00\x11\x00\x01\x04\x00\x00\x00\x00"),
	 DECODE_CAP, 0, 0, NULL, NULL, 0, false, 0},
	{"IPv6 extension header past the payload length", DLT_RAW,
	 BYTES("\x60\x00\x00\x00\x00\x04\x00\x40" V6_LO V6_DOC "\x11\x00\x01\x04\x00\x00\x00\x00"),
	 DECODE_MALFORMED, 0, 0, NULL, NULL, 0, false, 0},
	{"IPv6 jumbogram", DLT_RAW, BYTES("\x60\x00\x00\x00\x00\x00\x00\x40" V6_LO V6_DOC), DECODE_UNSUPPORTED, 0, 0,
	 NULL, NULL, 0, false, 0},
};

static void check_address(const char *what, const char *name, int family, const uint8_t *got, const char *want)
{
	uint8_t bytes[16] = {0};
	if (inet_pton(family, want, bytes) != 1)
		fail_msg("%s: bad test address %s", name, want);
	if (memcmp(bytes, got, family == AF_INET ? 4 : 16) != 0)
		fail_msg("%s: %s differs from %s", name, what, want);
}

static void test_ip_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof ip_cases / sizeof ip_cases[0]; i++) {
		const struct ip_case *c = &ip_cases[i];
		struct ip_packet ip;
		enum decode_status st = ip_parse_link(c->dlt, (const uint8_t *)c->bytes, c->len, &ip);
		if (st != c->status)
			fail_msg("%s: status %d, want %d", c->name, st, c->status);
		if (st != DECODE_OK)
			continue;
		if (ip.family != c->family || ip.proto != c->proto || ip.payload_len != c->payload_len ||
		    ip.fragment != c->fragment || ip.frag_offset != c->frag_offset)
			fail_msg("%s: family %d proto %u payload %zu fragment %d offset %u", c->name, ip.family,
				 ip.proto, ip.payload_len, ip.fragment, ip.frag_offset);
		check_address("src", c->name, c->family, ip.src, c->src);
		check_address("dst", c->name, c->family, ip.dst, c->dst);
		assert_true(ip.payload >= (const uint8_t *)c->bytes);
		assert_true(ip.payload + ip.payload_len <= (const uint8_t *)c->bytes + c->len);
	}
}

static void test_ip_snapped_is_flagged(void **state)
{
	static const uint8_t pkt[] = "\x45\x00\x05\xdc\x00\x01\x00\x00\x40\x06\x00\x00" V4_LO V4_LO "ab";
	struct ip_packet ip;
	(void)state;
	assert_int_equal(ip_parse(pkt, sizeof pkt - 1, &ip), DECODE_OK);
	assert_true(ip.truncated);
	assert_int_equal(ip_parse((const uint8_t *)V4_UDP, sizeof V4_UDP - 1, &ip), DECODE_OK);
	assert_false(ip.truncated);
}

static void test_tcp_syn(void **state)
{
	static const uint8_t frame[] = ZERO_MACS "\x08\x00" V4_SYN;
	struct ip_packet ip;
	struct tcp_segment seg;
	(void)state;
	assert_int_equal(ip_parse_link(DLT_EN10MB, frame, sizeof frame - 1, &ip), DECODE_OK);
	assert_int_equal(tcp_parse(ip.payload, ip.payload_len, &seg), DECODE_OK);
	assert_int_equal(seg.src_port, 54321);
	assert_int_equal(seg.dst_port, 443);
	assert_int_equal(seg.seq, 0x11223344u);
	assert_int_equal(seg.flags, TCP_SYN);
	assert_int_equal(seg.header_len, 40);
	assert_int_equal(seg.window, 0xffd7);
	assert_int_equal(seg.payload_len, 0);
}

struct tcp_case {
	const char *name;
	const char *bytes;
	size_t len;
	enum decode_status status;
	uint8_t flags;
	size_t payload_len;
};

static const struct tcp_case tcp_cases[] = {
	{"PSH ACK with 3 bytes", BYTES("\x01\xbb\xd4\x31\x00\x00\x00\x02\x11\x22\x33\x45\x50\x18\x01\x00\0\0\0\0GET"),
	 DECODE_OK, TCP_PSH | TCP_ACK, 3},
	{"FIN ACK", BYTES("\x01\xbb\xd4\x31\x00\x00\x00\x02\x11\x22\x33\x45\x50\x11\x01\x00\0\0\0\0"), DECODE_OK,
	 TCP_FIN | TCP_ACK, 0},
	{"data offset 4", BYTES("\x01\xbb\xd4\x31\x00\x00\x00\x02\x11\x22\x33\x45\x40\x11\x01\x00\0\0\0\0"),
	 DECODE_MALFORMED, 0, 0},
	{"options past the end", BYTES("\x01\xbb\xd4\x31\x00\x00\x00\x02\x11\x22\x33\x45\xf0\x02\x01\x00\0\0\0\0\x01"),
	 DECODE_TRUNCATED, 0, 0},
	{"19 bytes", BYTES("\x01\xbb\xd4\x31\x00\x00\x00\x02\x11\x22\x33\x45\x50\x11\x01\x00\0\0\0"), DECODE_TRUNCATED,
	 0, 0},
};

static void test_tcp_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof tcp_cases / sizeof tcp_cases[0]; i++) {
		const struct tcp_case *c = &tcp_cases[i];
		struct tcp_segment seg;
		enum decode_status st = tcp_parse((const uint8_t *)c->bytes, c->len, &seg);
		if (st != c->status)
			fail_msg("%s: status %d, want %d", c->name, st, c->status);
		if (st == DECODE_OK && (seg.flags != c->flags || seg.payload_len != c->payload_len))
			fail_msg("%s: flags %#x payload %zu", c->name, seg.flags, seg.payload_len);
	}
}

struct udp_case {
	const char *name;
	const char *bytes;
	size_t len;
	enum decode_status status;
	size_t payload_len;
	bool truncated;
};

static const struct udp_case udp_cases[] = {
	{"4 bytes", BYTES("\x9c\x40\x00\x35\x00\x0c\x00\x00" "abcd"), DECODE_OK, 4, false},
	{"trailing bytes dropped", BYTES("\x9c\x40\x00\x35\x00\x0a\x00\x00" "abcd"), DECODE_OK, 2, false},
	{"snapped short", BYTES("\x9c\x40\x00\x35\x00\x10\x00\x00" "abcd"), DECODE_OK, 4, true},
	{"length 7", BYTES("\x9c\x40\x00\x35\x00\x07\x00\x00"), DECODE_MALFORMED, 0, false},
	{"length 0 (jumbogram)", BYTES("\x9c\x40\x00\x35\x00\x00\x00\x00"), DECODE_MALFORMED, 0, false},
	{"7 bytes", BYTES("\x9c\x40\x00\x35\x00\x07\x00"), DECODE_TRUNCATED, 0, false},
};

static void test_udp_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof udp_cases / sizeof udp_cases[0]; i++) {
		const struct udp_case *c = &udp_cases[i];
		struct udp_datagram d;
		enum decode_status st = udp_parse((const uint8_t *)c->bytes, c->len, &d);
		if (st != c->status)
			fail_msg("%s: status %d, want %d", c->name, st, c->status);
		if (st == DECODE_OK && (d.payload_len != c->payload_len || d.truncated != c->truncated))
			fail_msg("%s: payload %zu truncated %d", c->name, d.payload_len, d.truncated);
		if (st == DECODE_OK)
			assert_int_equal(d.dst_port, 53);
	}
}

/* Every prefix of every case, copied to a buffer of exactly that size so that
 * ASan sees any read past it: the decoders fail cleanly or parse what is there. */
static void test_every_prefix(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof ip_cases / sizeof ip_cases[0]; i++) {
		const struct ip_case *c = &ip_cases[i];
		for (size_t n = 0; n <= c->len; n++) {
			uint8_t *copy = malloc(n ? n : 1);
			assert_non_null(copy);
			memcpy(copy, c->bytes, n);
			struct ip_packet ip;
			if (ip_parse_link(c->dlt, copy, n, &ip) == DECODE_OK) {
				assert_true(ip.payload + ip.payload_len <= copy + n);
				struct tcp_segment seg;
				struct udp_datagram d;
				if (ip.proto == IP_PROTO_TCP && tcp_parse(ip.payload, ip.payload_len, &seg) == DECODE_OK)
					assert_true(seg.payload + seg.payload_len <= copy + n);
				if (ip.proto == IP_PROTO_UDP && udp_parse(ip.payload, ip.payload_len, &d) == DECODE_OK)
					assert_true(d.payload + d.payload_len <= copy + n);
			}
			free(copy);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ip_table),	cmocka_unit_test(test_ip_snapped_is_flagged),
		cmocka_unit_test(test_tcp_syn),		cmocka_unit_test(test_tcp_table),
		cmocka_unit_test(test_udp_table),	cmocka_unit_test(test_every_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
