/* netsim, fakedns, sinkhole: DNS wire parsing from byte literals, the synthetic address table,
 * sinkhole framing, and the running simulation on loopback (real UDP/TCP DNS and sinkholes). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "unit_skip.h"

#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "tracer/fakedns.h"
#include "tracer/netsim.h"
#include "tracer/sinkhole.h"

#define SKIP_EXIT 77

/* ---- fakedns: parsing from byte literals ---- */

#define HDR(id_hi, id_lo, fl_hi, fl_lo, qd) id_hi, id_lo, fl_hi, fl_lo, 0, qd, 0, 0, 0, 0, 0, 0

struct parse_case {
	const char *what;
	uint8_t msg[300];
	size_t len;
	enum fakedns_parse_status want;
	const char *name;
	uint16_t qtype;
};

static const struct parse_case parse_cases[] = {
	{"plain A", {HDR(0x12, 0x34, 0x01, 0x00, 1), 3, 'w', 'w', 'w', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c',
		     'o', 'm', 0, 0, 1, 0, 1},
	 33, FAKEDNS_PARSE_OK, "www.example.com", 1},
	{"upper case is folded", {HDR(0, 1, 1, 0, 1), 3, 'A', 'p', 'I', 0, 0, 28, 0, 1}, 21, FAKEDNS_PARSE_OK, "api",
	 28},
	/* RFC 1035 section 5.1 presentation form, as tracer/decode/dns.c (the one name reader) writes it */
	{"odd bytes are escaped", {HDR(0, 1, 1, 0, 1), 3, 'a', '.', 0xff, 0, 0, 65, 0, 1}, 21, FAKEDNS_PARSE_OK,
	 "a\\.\\255", 65},
	{"root", {HDR(0, 1, 1, 0, 1), 0, 0, 1, 0, 1}, 17, FAKEDNS_PARSE_OK, "", 1},
	{"EDNS record after the question is ignored",
	 {HDR(0, 1, 1, 0, 1), 1, 'a', 0, 0, 1, 0, 1, 0, 0, 41, 0x10, 0, 0, 0, 0, 0, 0, 0},
	 30, FAKEDNS_PARSE_OK, "a", 1},
	{"shorter than a header", {0, 1, 1, 0, 0, 1}, 6, FAKEDNS_PARSE_DROP, "", 0},
	{"a response", {HDR(0, 1, 0x81, 0x80, 1), 0, 0, 1, 0, 1}, 17, FAKEDNS_PARSE_DROP, "", 0},
	{"opcode STATUS", {HDR(0, 1, 0x10, 0, 1), 0, 0, 1, 0, 1}, 17, FAKEDNS_PARSE_NOTIMP, "", 0},
	{"no question", {HDR(0, 1, 1, 0, 0)}, 12, FAKEDNS_PARSE_FORMERR, "", 0},
	{"two questions", {HDR(0, 1, 1, 0, 2), 0, 0, 1, 0, 1, 0, 0, 1, 0, 1}, 22, FAKEDNS_PARSE_FORMERR, "", 0},
	{"pointer to itself", {HDR(0, 1, 1, 0, 1), 0xc0, 12, 0, 1, 0, 1}, 18, FAKEDNS_PARSE_FORMERR, "", 0},
	{"pointer forward", {HDR(0, 1, 1, 0, 1), 0xc0, 14, 0, 0, 1, 0, 1}, 19, FAKEDNS_PARSE_FORMERR, "", 0},
	/* refused at the pointer (it does not point before its own run of labels): "a" was read */
	{"pointer back to its own start", {HDR(0, 1, 1, 0, 1), 1, 'a', 0xc0, 12, 0, 1, 0, 1}, 20,
	 FAKEDNS_PARSE_FORMERR, "a", 0},
	{"cut in a label", {HDR(0, 1, 1, 0, 1), 5, 'a', 'b'}, 15, FAKEDNS_PARSE_FORMERR, "", 0},
	{"cut before the type", {HDR(0, 1, 1, 0, 1), 1, 'a', 0, 0}, 16, FAKEDNS_PARSE_FORMERR, "a", 0},
	{"extended label type", {HDR(0, 1, 1, 0, 1), 0x41, 'a', 0, 0, 1, 0, 1}, 19, FAKEDNS_PARSE_FORMERR, "", 0},
	{"empty", {0}, 0, FAKEDNS_PARSE_DROP, "", 0},
};

static void test_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		const struct parse_case *c = &parse_cases[i];
		struct fakedns_query q;
		enum fakedns_parse_status st = fakedns_parse_query(c->msg, c->len, &q);
		if (st != c->want)
			fail_msg("%s: status %d, want %d", c->what, st, c->want);
		if (strcmp(q.name, c->name) != 0)
			fail_msg("%s: name \"%s\", want \"%s\"", c->what, q.name, c->name);
		if (st == FAKEDNS_PARSE_OK && q.qtype != c->qtype)
			fail_msg("%s: qtype %u, want %u", c->what, q.qtype, c->qtype);
	}
}

/* Build a query for name (dotted, plain) into buf; returns its length. */
static size_t build_query(uint8_t *buf, uint16_t id, const char *name, uint16_t qtype)
{
	size_t n = 12;
	memset(buf, 0, 12);
	buf[0] = (uint8_t)(id >> 8);
	buf[1] = (uint8_t)id;
	buf[2] = 0x01; /* RD */
	buf[5] = 1;
	while (*name) {
		const char *dot = strchr(name, '.');
		size_t l = dot ? (size_t)(dot - name) : strlen(name);
		buf[n++] = (uint8_t)l;
		memcpy(buf + n, name, l);
		n += l;
		name += l + (dot ? 1 : 0);
	}
	buf[n++] = 0;
	buf[n++] = (uint8_t)(qtype >> 8);
	buf[n++] = (uint8_t)qtype;
	buf[n++] = 0;
	buf[n++] = 1;
	return n;
}

static void test_parse_long_names(void **state)
{
	uint8_t msg[600];
	struct fakedns_query q;
	size_t n = 12;
	(void)state;

	/* 63-byte labels: four make 4 * 64 + 1 = 257 wire bytes, over 255 */
	memset(msg, 0, sizeof msg);
	msg[2] = 1;
	msg[5] = 1;
	for (int l = 0; l < 4; l++) {
		msg[n++] = 63;
		memset(msg + n, 'x', 63);
		n += 63;
	}
	msg[n++] = 0;
	n += 4;
	assert_int_equal(fakedns_parse_query(msg, n, &q), FAKEDNS_PARSE_FORMERR);
	/* three of 63 and one of 61: 255 exactly */
	msg[12 + 3 * 64] = 61;
	msg[12 + 3 * 64 + 62] = 0;
	assert_int_equal(fakedns_parse_query(msg, 12 + 3 * 64 + 63 + 4, &q), FAKEDNS_PARSE_OK);
	assert_int_equal(strlen(q.name), 253);
	/* a label of 64 */
	n = build_query(msg, 1, "a", 1);
	msg[12] = 64;
	assert_int_equal(fakedns_parse_query(msg, n, &q), FAKEDNS_PARSE_FORMERR);
}

static void test_parse_backward_pointer(void **state)
{
	/* "x" then a pointer: back to itself (a loop), then into the header */
	uint8_t msg[64] = {HDR(0, 9, 1, 0, 1), 1, 'x', 0xc0, 12};
	struct fakedns_query q;
	(void)state;
	/* the pointer at 14 to 12 would read "x" forever: the second jump is refused */
	assert_int_equal(fakedns_parse_query(msg, 20, &q), FAKEDNS_PARSE_FORMERR);
	/* 0xc0 0x0b points into the header (offset 11): no name lives there. The one name
	 * reader (tracer/decode/dns.c, the fuzzed one) refuses it, as it refuses every pointer
	 * before the first question */
	msg[14] = 0xc0;
	msg[15] = 11;
	msg[16] = 0;
	msg[17] = 1;
	msg[18] = 0;
	msg[19] = 1;
	assert_int_equal(fakedns_parse_query(msg, 20, &q), FAKEDNS_PARSE_FORMERR);
}

static void test_build_answer(void **state)
{
	uint8_t msg[64], out[FAKEDNS_ANSWER_MAX];
	const uint8_t addr[4] = {198, 18, 0, 1};
	struct fakedns_query q;
	size_t qn = build_query(msg, 0xbeef, "Ex.com", 1), n;
	(void)state;

	assert_int_equal(fakedns_parse_query(msg, qn, &q), FAKEDNS_PARSE_OK);
	n = fakedns_build_answer(msg, &q, FAKEDNS_RCODE_NOERROR, addr, 4, out, sizeof out);
	assert_int_equal(n, qn + 16);
	assert_int_equal(out[0], 0xbe);
	assert_int_equal(out[1], 0xef);
	assert_int_equal(out[2], 0x85); /* QR, AA, RD */
	assert_int_equal(out[3], 0x80); /* RA, NOERROR */
	assert_int_equal(out[7], 1);
	assert_memory_equal(out + 12, msg + 12, qn - 12); /* the question as sent, case kept */
	assert_int_equal(out[qn], 0xc0);
	assert_int_equal(out[qn + 1], 12);
	assert_memory_equal(out + n - 4, addr, 4);
	/* FORMERR carries no question */
	n = fakedns_build_answer(msg, &q, FAKEDNS_RCODE_FORMERR, NULL, 0, out, sizeof out);
	assert_int_equal(n, 12);
	assert_int_equal(out[3] & 0x0f, 1);
	assert_int_equal(out[5], 0);
	/* too small a buffer */
	assert_int_equal(fakedns_build_answer(msg, &q, FAKEDNS_RCODE_NOERROR, addr, 4, out, 20), 0);
}

/* ---- fakedns: the address table ---- */

static void test_table(void **state)
{
	struct fakedns_table *t = fakedns_table_new(3);
	size_t a, b, c, i;
	uint8_t v4[4], v6[16];
	char name[16];
	(void)state;

	assert_non_null(t);
	assert_int_equal(fakedns_table_index(t, "a.example", &a), FAKEDNS_TABLE_OK);
	assert_int_equal(fakedns_table_index(t, "b.example", &b), FAKEDNS_TABLE_OK);
	assert_int_equal(fakedns_table_index(t, "a.example", &c), FAKEDNS_TABLE_OK);
	assert_int_equal(a, 0);
	assert_int_equal(b, 1);
	assert_int_equal(c, 0);
	assert_int_equal(fakedns_table_index(t, "c.example", &c), FAKEDNS_TABLE_OK);
	assert_int_equal(fakedns_table_index(t, "d.example", &c), FAKEDNS_TABLE_FULL);
	assert_int_equal(fakedns_table_count(t), 3);
	assert_string_equal(fakedns_table_name(t, 1), "b.example");
	assert_null(fakedns_table_name(t, 3));
	fakedns_table_free(t);
	fakedns_table_free(NULL);

	/* growth keeps every index */
	t = fakedns_table_new(0);
	for (i = 0; i < 5000; i++) {
		snprintf(name, sizeof name, "n%zu", i);
		assert_int_equal(fakedns_table_index(t, name, &a), FAKEDNS_TABLE_OK);
		assert_int_equal(a, i);
	}
	for (i = 0; i < 5000; i += 499) {
		snprintf(name, sizeof name, "n%zu", i);
		assert_int_equal(fakedns_table_index(t, name, &a), FAKEDNS_TABLE_OK);
		assert_int_equal(a, i);
	}
	fakedns_table_free(t);

	/* addresses: in order, in the pools, and back again */
	fakedns_address_v4(0, v4);
	assert_memory_equal(v4, ((uint8_t[]){198, 18, 0, 1}), 4);
	fakedns_address_v4(300, v4);
	assert_memory_equal(v4, ((uint8_t[]){198, 18, 1, 45}), 4);
	assert_true(fakedns_address_index(AF_INET, v4, &i));
	assert_int_equal(i, 300);
	fakedns_address_v4(FAKEDNS_TABLE_MAX - 1, v4);
	assert_memory_equal(v4, ((uint8_t[]){198, 19, 255, 254}), 4);
	fakedns_address_v6(300, v6);
	assert_memory_equal(v6, ((uint8_t[]){0xfd, 0, 0x6d, 0x63, 0x70, 0x61, 0, 0, 0, 0, 0, 0, 0, 0, 1, 45}), 16);
	assert_true(fakedns_address_index(AF_INET6, v6, &i));
	assert_int_equal(i, 300);
	assert_false(fakedns_address_index(AF_INET, (uint8_t[]){198, 18, 0, 0}, &i));
	assert_false(fakedns_address_index(AF_INET, (uint8_t[]){198, 20, 0, 1}, &i));
	assert_false(fakedns_address_index(AF_INET, (uint8_t[]){8, 8, 8, 8}, &i));
	v6[8] = 1;
	assert_false(fakedns_address_index(AF_INET6, v6, &i));
}

/* ---- sinkhole framing ---- */

struct classify_case {
	const char *bytes;
	size_t len;
	enum sinkhole_protocol want;
};

static const struct classify_case classify_cases[] = {
	{"GET / HTTP/1.1\r\n", 16, SINKHOLE_HTTP},
	{"POST /x HTTP/1.1\r\n", 18, SINKHOLE_HTTP},
	{"OPTIONS * HTTP/1.1\r\n", 20, SINKHOLE_HTTP},
	{"GE", 2, SINKHOLE_UNKNOWN},
	{"", 0, SINKHOLE_UNKNOWN},
	{"\x16", 1, SINKHOLE_UNKNOWN},
	{"\x16\x03\x01\x00\x05", 5, SINKHOLE_TLS},
	{"\x16\x02", 2, SINKHOLE_OTHER},
	{"get / HTTP/1.1", 14, SINKHOLE_OTHER},
	{"SSH-2.0-x\r\n", 11, SINKHOLE_OTHER},
	{"*1\r\n$4\r\nPING\r\n", 14, SINKHOLE_OTHER},
};

struct http_case {
	const char *what, *bytes;
	enum sinkhole_http_status want;
	size_t total;
	bool expect, close;
};

static const struct http_case http_cases[] = {
	{"GET", "GET / HTTP/1.1\r\nHost: a\r\n\r\n", SINKHOLE_HTTP_COMPLETE, 27, false, false},
	{"bare LF", "GET / HTTP/1.0\nHost: a\n\n", SINKHOLE_HTTP_COMPLETE, 24, false, false},
	{"header not done", "GET / HTTP/1.1\r\nHost: a\r\n", SINKHOLE_HTTP_MORE, 0, false, false},
	{"body complete", "POST / HTTP/1.1\r\ncontent-LENGTH: 3\r\n\r\nabc", SINKHOLE_HTTP_COMPLETE, 41, false, false},
	{"body short", "POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\nabc", SINKHOLE_HTTP_HEADERS, 43, false, false},
	{"expect", "POST / HTTP/1.1\r\nContent-Length: 5\r\nExpect: 100-Continue\r\n\r\n", SINKHOLE_HTTP_HEADERS, 65,
	 true, false},
	{"close", "GET / HTTP/1.1\r\nConnection: Close\r\n\r\nGET", SINKHOLE_HTTP_COMPLETE, 37, false, true},
	{"bad length", "POST / HTTP/1.1\r\nContent-Length: 1x\r\n\r\n", SINKHOLE_HTTP_BAD, 0, false, false},
	{"huge length", "POST / HTTP/1.1\r\nContent-Length: 99999999999999999999\r\n\r\n", SINKHOLE_HTTP_BAD, 0, false,
	 false},
	{"chunked", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", SINKHOLE_HTTP_COMPLETE, 60,
	 false, false},
	{"chunked with trailer", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;x=y\r\na\r\n0\r\nT: v\r\n\r\n",
	 SINKHOLE_HTTP_COMPLETE, 68, false, false},
	{"chunked, more to come", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nab", SINKHOLE_HTTP_HEADERS, 0,
	 false, false},
	{"chunked, bad size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", SINKHOLE_HTTP_BAD, 0, false,
	 false},
	{"chunked, huge size", "POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nfffffffff\r\n", SINKHOLE_HTTP_BAD, 0,
	 false, false},
};

static void test_sinkhole_framing(void **state)
{
	size_t n;
	(void)state;
	for (size_t i = 0; i < sizeof classify_cases / sizeof classify_cases[0]; i++) {
		const struct classify_case *c = &classify_cases[i];
		enum sinkhole_protocol p = sinkhole_classify((const uint8_t *)c->bytes, c->len);
		if (p != c->want)
			fail_msg("classify(\"%s\") = %s, want %s", c->bytes, sinkhole_protocol_name(p),
				 sinkhole_protocol_name(c->want));
	}
	for (size_t i = 0; i < sizeof http_cases / sizeof http_cases[0]; i++) {
		const struct http_case *c = &http_cases[i];
		struct sinkhole_http_request req;
		enum sinkhole_http_status st =
			sinkhole_http_parse((const uint8_t *)c->bytes, strlen(c->bytes), &req);
		if (st != c->want)
			fail_msg("%s: status %d, want %d", c->what, st, c->want);
		if (c->total && req.total_len != c->total)
			fail_msg("%s: total %zu, want %zu", c->what, req.total_len, c->total);
		if (req.expect_continue != c->expect || req.close != c->close)
			fail_msg("%s: expect %d close %d", c->what, req.expect_continue, req.close);
	}
	assert_int_equal(sinkhole_tls_record_len((const uint8_t *)"\x16\x03\x01\x02", 4), 0);
	assert_int_equal(sinkhole_tls_record_len((const uint8_t *)"\x16\x03\x01\x02\x00", 5), 517);
	assert_non_null(sinkhole_banner(25));
	assert_string_equal(sinkhole_banner(21), "220 FTP server ready\r\n");
	assert_null(sinkhole_banner(443));
	assert_int_equal(sinkhole_default_ports(&n)[0], 80);
	assert_int_equal(n, 19);
	assert_string_equal(sinkhole_protocol_name(SINKHOLE_TLS), "tls");
}

/* Every prefix of every case, and random bytes, on exact-size heap copies: under ASan an
 * over-read anywhere in the parsers fails here. */
static void test_parsers_stay_in_bounds(void **state)
{
	struct fakedns_query q;
	struct sinkhole_http_request req;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	(void)state;

	for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		for (size_t n = 0; n <= parse_cases[i].len; n++) {
			uint8_t *p = malloc(n ? n : 1);
			memcpy(p, parse_cases[i].msg, n);
			(void)fakedns_parse_query(p, n, &q);
			assert_true(strlen(q.name) < FAKEDNS_NAME_TEXT_MAX);
			free(p);
		}
	}
	for (size_t i = 0; i < sizeof http_cases / sizeof http_cases[0]; i++) {
		size_t len = strlen(http_cases[i].bytes);
		for (size_t n = 0; n <= len; n++) {
			uint8_t *p = malloc(n ? n : 1);
			memcpy(p, http_cases[i].bytes, n);
			(void)sinkhole_http_parse(p, n, &req);
			(void)sinkhole_classify(p, n);
			(void)sinkhole_tls_record_len(p, n);
			free(p);
		}
	}
	for (int round = 0; round < 20000; round++) {
		size_t n = 12 + round % 80;
		uint8_t *p = malloc(n);
		for (size_t k = 0; k < n; k++) {
			seed ^= seed << 13, seed ^= seed >> 7, seed ^= seed << 17;
			/* small values and pointers are the interesting ones */
			p[k] = (uint8_t)(seed % 3 == 0 ? 0xc0 | (seed >> 8 & 1) : seed % 3 == 1 ? seed >> 8 & 15 : seed >> 8);
		}
		p[2] = 1;
		p[4] = 0;
		p[5] = 1;
		(void)fakedns_parse_query(p, n, &q);
		(void)sinkhole_http_parse(p, n, &req);
		free(p);
	}
}

/* ---- the running simulation, on loopback ---- */

static const uint16_t three_free_ports[] = {0, 0, 0};
static const char *const loopback[] = {"127.0.0.1"};

static struct netsim *start_local(struct netsim_config *cfg)
{
	struct netsim *ns = NULL;
	char err[256] = "";

	cfg->addresses = cfg->addresses ? cfg->addresses : loopback;
	cfg->n_addresses = cfg->n_addresses ? cfg->n_addresses : 1;
	if (!cfg->sinkhole_ports) {
		cfg->sinkhole_ports = three_free_ports;
		cfg->n_sinkhole_ports = 3;
	}
	if (netsim_start(cfg, &ns, err, sizeof err) != NETSIM_OK)
		fail_msg("netsim_start: %s", err);
	return ns;
}

static void set_timeout(int fd, int ms)
{
	struct timeval tv = {ms / 1000, (ms % 1000) * 1000};
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

static int connect_to(const char *address, uint16_t port, int type)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	socklen_t len = sizeof *s4;
	int fd;

	memset(&ss, 0, sizeof ss);
	if (inet_pton(AF_INET, address, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
	} else {
		assert_int_equal(inet_pton(AF_INET6, address, &s6->sin6_addr), 1);
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		len = sizeof *s6;
	}
	fd = socket(ss.ss_family, type, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&ss, len) != 0)
		fail_msg("connect %s:%u: %s", address, port, strerror(errno));
	set_timeout(fd, 2000);
	return fd;
}

/* One query over UDP to address:port; returns the answer's length (0 when none came). */
static size_t udp_ask(const char *address, uint16_t port, const uint8_t *q, size_t qlen, uint8_t *ans, size_t cap,
		      int timeout_ms)
{
	int fd = connect_to(address, port, SOCK_DGRAM);
	ssize_t n;

	set_timeout(fd, timeout_ms);
	assert_int_equal(send(fd, q, qlen, 0), (ssize_t)qlen);
	n = recv(fd, ans, cap, 0);
	close(fd);
	return n > 0 ? (size_t)n : 0;
}

static size_t recv_all(int fd, uint8_t *buf, size_t want)
{
	size_t got = 0;
	while (got < want) {
		ssize_t n = recv(fd, buf + got, want - got, 0);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/* The A or AAAA record of an answer to a query of qlen bytes (its rdata at the end). */
static void answer_address(const uint8_t *ans, size_t n, size_t qlen, size_t alen, uint8_t *out)
{
	assert_int_equal(n, qlen + 12 + alen);
	assert_int_equal(ans[7], 1);
	memcpy(out, ans + n - alen, alen);
}

static uint8_t rcode_of(const uint8_t *ans)
{
	return ans[3] & 0x0f;
}

static void wait_for_connections(const struct netsim *ns, size_t want)
{
	struct netsim_stats st;
	for (int i = 0; i < 300; i++) {
		netsim_stats(ns, &st);
		if (st.connections >= want)
			return;
		usleep(10000);
	}
	fail_msg("%zu connections logged, want %zu", st.connections, want);
}

static void test_dns_udp(void **state)
{
	struct netsim_config cfg = {0};
	struct netsim *ns = start_local(&cfg);
	uint16_t port = netsim_dns_port(ns);
	uint8_t q[300], ans[600], a1[4], a2[4], a3[4], v6[16];
	size_t qn, n;
	struct netsim_stats st;
	const struct netsim_dns_query *e;
	(void)state;

	assert_int_not_equal(port, 0);
	qn = build_query(q, 1, "telemetry.example.com", FAKEDNS_TYPE_A);
	n = udp_ask("127.0.0.1", port, q, qn, ans, sizeof ans, 2000);
	answer_address(ans, n, qn, 4, a1);
	assert_int_equal(a1[0], 198);
	assert_true((a1[1] & 0xfe) == 18);
	assert_int_equal(ans[0], 0);
	assert_int_equal(ans[1], 1);
	/* the same name (in any case) keeps its address; another name gets the next one */
	qn = build_query(q, 2, "TELEMETRY.Example.com", FAKEDNS_TYPE_A);
	answer_address(ans, udp_ask("127.0.0.1", port, q, qn, ans, sizeof ans, 2000), qn, 4, a2);
	assert_memory_equal(a1, a2, 4);
	assert_memory_equal(ans + 12, q + 12, qn - 12);
	qn = build_query(q, 3, "other.example.net", FAKEDNS_TYPE_A);
	answer_address(ans, udp_ask("127.0.0.1", port, q, qn, ans, sizeof ans, 2000), qn, 4, a3);
	assert_memory_not_equal(a1, a3, 4);
	/* AAAA: the private pool, the same index as the name's A */
	qn = build_query(q, 4, "other.example.net", FAKEDNS_TYPE_AAAA);
	answer_address(ans, udp_ask("127.0.0.1", port, q, qn, ans, sizeof ans, 2000), qn, 16, v6);
	assert_memory_equal(v6, ((uint8_t[]){0xfd, 0, 0x6d, 0x63, 0x70, 0x61}), 6);
	/* back from addresses to names */
	assert_string_equal(netsim_name_for_address(ns, AF_INET, a1), "telemetry.example.com");
	assert_string_equal(netsim_name_for_address(ns, AF_INET, a3), "other.example.net");
	assert_string_equal(netsim_name_for_address(ns, AF_INET6, v6), "other.example.net");
	assert_null(netsim_name_for_address(ns, AF_INET, (uint8_t[]){198, 18, 0, 200}));
	assert_null(netsim_name_for_address(ns, AF_INET, (uint8_t[]){127, 0, 0, 1}));
	/* HTTPS (65) and TXT: NODATA */
	for (uint16_t type = 16; type <= FAKEDNS_TYPE_HTTPS; type += FAKEDNS_TYPE_HTTPS - 16) {
		qn = build_query(q, 5, "ech.example.org", type);
		n = udp_ask("127.0.0.1", port, q, qn, ans, sizeof ans, 2000);
		assert_int_equal(n, qn);
		assert_int_equal(rcode_of(ans), 0);
		assert_int_equal(ans[7], 0);
	}
	netsim_stats(ns, &st);
	assert_int_equal(st.queries, 6);
	assert_int_equal(st.names, 2);
	e = netsim_dns_query_at(ns, 1);
	assert_string_equal(e->name, "telemetry.example.com");
	assert_int_equal(e->qtype, FAKEDNS_TYPE_A);
	assert_int_equal(e->transport, NETSIM_UDP);
	assert_true(e->answered && e->answered_address && !e->malformed && !e->truncated);
	assert_int_equal(e->server.family, AF_INET);
	assert_memory_equal(e->server.addr, ((uint8_t[]){127, 0, 0, 1}), 4);
	assert_int_equal(e->server.port, port);
	assert_int_equal(e->client.family, AF_INET);
	assert_int_equal(netsim_dns_query_at(ns, 5)->qtype, FAKEDNS_TYPE_HTTPS);
	assert_false(netsim_dns_query_at(ns, 5)->answered_address);
	assert_null(netsim_dns_query_at(ns, 6));
	assert_string_equal(netsim_transport_name(e->transport), "udp");
	netsim_free(ns);
}

static void test_dns_malformed(void **state)
{
	struct netsim_config cfg = {0};
	struct netsim *ns = start_local(&cfg);
	uint16_t port = netsim_dns_port(ns);
	uint8_t q[300], ans[600];
	const uint8_t loop[] = {HDR(0, 7, 1, 0, 1), 0xc0, 12, 0, 1, 0, 1};
	const uint8_t garbage[] = {1, 2, 3};
	const uint8_t response[] = {HDR(0, 8, 0x81, 0x80, 1), 0, 0, 1, 0, 1};
	size_t n, qn;
	struct netsim_stats st;
	(void)state;

	n = udp_ask("127.0.0.1", port, loop, sizeof loop, ans, sizeof ans, 2000);
	assert_int_equal(n, 12);
	assert_int_equal(rcode_of(ans), FAKEDNS_RCODE_FORMERR);
	assert_int_equal(udp_ask("127.0.0.1", port, garbage, sizeof garbage, ans, sizeof ans, 200), 0);
	assert_int_equal(udp_ask("127.0.0.1", port, response, sizeof response, ans, sizeof ans, 200), 0);
	/* still answering */
	qn = build_query(q, 9, "after.example", FAKEDNS_TYPE_A);
	assert_int_equal(udp_ask("127.0.0.1", port, q, qn, ans, sizeof ans, 2000), qn + 16);
	netsim_stats(ns, &st);
	assert_int_equal(st.queries, 4);
	for (size_t i = 0; i < 3; i++)
		assert_true(netsim_dns_query_at(ns, i)->malformed);
	assert_true(netsim_dns_query_at(ns, 0)->answered);
	assert_false(netsim_dns_query_at(ns, 1)->answered);
	assert_false(netsim_dns_query_at(ns, 3)->malformed);
	netsim_free(ns);
}

static void test_dns_tcp(void **state)
{
	struct netsim_config cfg = {0};
	struct netsim *ns = start_local(&cfg);
	uint16_t port = netsim_dns_port(ns);
	uint8_t q[600], ans[600], a_tcp[4], a_udp[4], v6[16];
	size_t q1, q2, n;
	int fd;
	const struct netsim_dns_query *e;
	(void)state;

	/* two queries in one write (pipelined), each with its length prefix */
	q1 = build_query(q + 2, 1, "tcp.example", FAKEDNS_TYPE_A);
	q[0] = 0;
	q[1] = (uint8_t)q1;
	q2 = build_query(q + 4 + q1, 2, "tcp.example", FAKEDNS_TYPE_AAAA);
	q[2 + q1] = 0;
	q[3 + q1] = (uint8_t)q2;
	fd = connect_to("127.0.0.1", port, SOCK_STREAM);
	assert_int_equal(send(fd, q, 4 + q1 + q2, 0), (ssize_t)(4 + q1 + q2));
	n = recv_all(fd, ans, 2 + q1 + 16);
	assert_int_equal(n, 2 + q1 + 16);
	assert_int_equal(ans[1], q1 + 16);
	answer_address(ans + 2, q1 + 16, q1, 4, a_tcp);
	n = recv_all(fd, ans, 2 + q2 + 28);
	assert_int_equal(n, 2 + q2 + 28);
	answer_address(ans + 2, q2 + 28, q2, 16, v6);
	close(fd);
	/* the same name over UDP: the same address */
	q1 = build_query(q, 3, "tcp.example", FAKEDNS_TYPE_A);
	answer_address(ans, udp_ask("127.0.0.1", port, q, q1, ans, sizeof ans, 2000), q1, 4, a_udp);
	assert_memory_equal(a_tcp, a_udp, 4);
	e = netsim_dns_query_at(ns, 0);
	assert_int_equal(e->transport, NETSIM_TCP);
	assert_string_equal(e->name, "tcp.example");
	assert_int_equal(e->server.port, port);
	assert_int_equal(netsim_dns_query_at(ns, 1)->qtype, FAKEDNS_TYPE_AAAA);
	netsim_free(ns);
}

/* A client that writes its length-prefixed query and shuts its side at once: the query and
 * the end of the stream reach the simulation in one wake-up, and the query must still be
 * answered and logged. Failed before the fix (conn_read returned at the end of the stream
 * without handling what it had just read: no query logged, no answer; checked on the
 * build before it). */
static void test_dns_tcp_query_then_close(void **state)
{
	struct netsim_config cfg = {0};
	struct netsim *ns = start_local(&cfg);
	uint16_t port = netsim_dns_port(ns);
	enum { CLIENTS = 8 };
	struct netsim_stats st;
	size_t answered = 0;
	(void)state;

	for (int i = 0; i < CLIENTS; i++) {
		uint8_t q[300], ans[300];
		char name[32];
		size_t n;
		int fd = connect_to("127.0.0.1", port, SOCK_STREAM);
		snprintf(name, sizeof name, "closing%d.example", i);
		n = build_query(q + 2, (uint16_t)(10 + i), name, FAKEDNS_TYPE_A);
		q[0] = 0;
		q[1] = (uint8_t)n;
		/* the query and the FIN close together: the server is slower to wake than this */
		assert_int_equal(send(fd, q, n + 2, 0), (ssize_t)(n + 2));
		assert_int_equal(shutdown(fd, SHUT_WR), 0);
		usleep(20000);
		answered += recv_all(fd, ans, 2 + n + 16) == 2 + n + 16;
		close(fd);
	}
	for (int i = 0; i < 300; i++) {
		netsim_stats(ns, &st);
		if (st.queries >= CLIENTS)
			break;
		usleep(10000);
	}
	assert_int_equal(st.queries, CLIENTS);
	assert_int_equal(answered, CLIENTS);
	assert_string_equal(netsim_dns_query_at(ns, 0)->name, "closing0.example");
	netsim_free(ns);
}

static void test_sinkhole_http(void **state)
{
	struct netsim_config cfg = {0};
	struct netsim *ns = start_local(&cfg);
	size_t nports;
	const uint16_t *ports = netsim_sinkhole_ports(ns, &nports);
	const char get[] = "GET /v1/collect?id=1 HTTP/1.1\r\nHost: t.example.com\r\n\r\n";
	const char post_head[] = "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nabc";
	const char two[] = "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n";
	size_t rlen = strlen(sinkhole_http_response);
	char buf[1024];
	const struct netsim_connection *c;
	ssize_t n;
	int fd;
	(void)state;

	assert_int_equal(nports, 3);
	assert_int_not_equal(ports[0], 0);
	assert_int_not_equal(ports[0], ports[1]);
	fd = connect_to("127.0.0.1", ports[0], SOCK_STREAM);
	assert_int_equal(send(fd, get, strlen(get), 0), (ssize_t)strlen(get));
	assert_int_equal(recv_all(fd, (uint8_t *)buf, rlen), rlen);
	assert_memory_equal(buf, "HTTP/1.1 200 OK\r\n", 17);
	assert_memory_equal(buf + rlen - 2, "{}", 2);
	close(fd);
	wait_for_connections(ns, 1);
	c = netsim_connection_at(ns, 0);
	assert_int_equal(c->protocol, SINKHOLE_HTTP);
	assert_int_equal(c->http_requests, 1);
	assert_int_equal(c->first_len, strlen(get));
	assert_memory_equal(c->first_bytes, get, strlen(get));
	assert_int_equal(c->local.port, ports[0]);
	assert_memory_equal(c->local.addr, ((uint8_t[]){127, 0, 0, 1}), 4);
	assert_int_not_equal(c->peer.port, 0);
	assert_false(c->truncated);

	/* a body in two writes: the answer waits for all of it */
	fd = connect_to("127.0.0.1", ports[1], SOCK_STREAM);
	set_timeout(fd, 200);
	assert_int_equal(send(fd, post_head, strlen(post_head), 0), (ssize_t)strlen(post_head));
	assert_true(recv(fd, buf, sizeof buf, 0) < 0);
	set_timeout(fd, 2000);
	assert_int_equal(send(fd, "def", 3, 0), 3);
	assert_int_equal(recv_all(fd, (uint8_t *)buf, rlen), rlen);
	close(fd);
	wait_for_connections(ns, 2);
	c = netsim_connection_at(ns, 1);
	assert_int_equal(c->first_len, strlen(post_head) + 3);
	assert_memory_equal(c->first_bytes + c->first_len - 6, "abcdef", 6);

	/* keep-alive: a second request on the same connection is answered too */
	fd = connect_to("127.0.0.1", ports[2], SOCK_STREAM);
	assert_int_equal(send(fd, two, strlen(two), 0), (ssize_t)strlen(two));
	assert_int_equal(recv_all(fd, (uint8_t *)buf, 2 * rlen), 2 * rlen);
	n = recv(fd, buf, sizeof buf, 0); /* then the server closes */
	assert_true(n <= 0);
	close(fd);
	wait_for_connections(ns, 3);
	assert_int_equal(netsim_connection_at(ns, 2)->http_requests, 2);
	netsim_free(ns);
}

static void test_sinkhole_tls_and_other(void **state)
{
	struct netsim_config cfg = {0};
	struct netsim *ns;
	size_t nports;
	const uint16_t *ports;
	uint8_t hello[5 + 300], junk[200], buf[64];
	const struct netsim_connection *c;
	struct netsim_stats st;
	int fd;
	(void)state;

	cfg.first_bytes_cap = 100;
	cfg.idle_timeout_ms = 200;
	ns = start_local(&cfg);
	ports = netsim_sinkhole_ports(ns, &nports);
	/* a ClientHello-ish record, small enough for the cap once cut: send it in two parts */
	memset(hello, 0xab, sizeof hello);
	memcpy(hello, "\x16\x03\x01\x00\x40", 5);
	fd = connect_to("127.0.0.1", ports[0], SOCK_STREAM);
	assert_int_equal(send(fd, hello, 20, 0), 20);
	usleep(50000);
	assert_int_equal(send(fd, hello + 20, 5 + 0x40 - 20, 0), 5 + 0x40 - 20);
	assert_true(recv(fd, buf, sizeof buf, 0) <= 0); /* closed after the record, no answer */
	close(fd);
	wait_for_connections(ns, 1);
	c = netsim_connection_at(ns, 0);
	assert_int_equal(c->protocol, SINKHOLE_TLS);
	assert_int_equal(c->first_len, 5 + 0x40);
	assert_false(c->truncated);

	/* over the cap: kept up to it, marked truncated, closed */
	memset(junk, 'Z', sizeof junk);
	fd = connect_to("127.0.0.1", ports[1], SOCK_STREAM);
	assert_int_equal(send(fd, junk, sizeof junk, 0), (ssize_t)sizeof junk);
	assert_true(recv(fd, buf, sizeof buf, 0) <= 0);
	close(fd);
	wait_for_connections(ns, 2);
	c = netsim_connection_at(ns, 1);
	assert_int_equal(c->protocol, SINKHOLE_OTHER);
	assert_int_equal(c->first_len, 100);
	assert_true(c->truncated);

	/* a client that sends nothing: closed after the idle timeout */
	fd = connect_to("127.0.0.1", ports[2], SOCK_STREAM);
	assert_true(recv(fd, buf, sizeof buf, 0) == 0);
	close(fd);
	wait_for_connections(ns, 3);
	c = netsim_connection_at(ns, 2);
	assert_int_equal(c->protocol, SINKHOLE_UNKNOWN);
	assert_int_equal(c->first_len, 0);
	assert_true(c->end_ms - c->time_ms >= 150);

	/* a connection still open at netsim_stop is logged by it */
	fd = connect_to("127.0.0.1", ports[0], SOCK_STREAM);
	assert_int_equal(send(fd, "GET", 3, 0), 3);
	usleep(50000);
	netsim_stop(ns);
	netsim_stop(ns);
	netsim_stats(ns, &st);
	assert_int_equal(st.connections, 4);
	c = netsim_connection_at(ns, 3);
	assert_int_equal(c->first_len, 3);
	close(fd);
	netsim_free(ns);
}

static void test_caps(void **state)
{
	struct netsim_config cfg = {0};
	struct netsim *ns;
	uint8_t q[300], ans[600];
	char name[32];
	size_t qn;
	struct netsim_stats st;
	int fds[3];
	uint8_t buf[8];
	(void)state;

	cfg.max_queries = 20;
	cfg.max_names = 3;
	cfg.max_open = 2;
	ns = start_local(&cfg);
	for (int i = 0; i < 30; i++) {
		snprintf(name, sizeof name, "n%d.example", i % 4);
		qn = build_query(q, (uint16_t)i, name, FAKEDNS_TYPE_A);
		size_t n = udp_ask("127.0.0.1", netsim_dns_port(ns), q, qn, ans, sizeof ans, 2000);
		/* the fourth name finds the pool full: SERVFAIL, counted */
		assert_int_equal(rcode_of(ans), i % 4 == 3 ? FAKEDNS_RCODE_SERVFAIL : 0);
		assert_int_equal(n, i % 4 == 3 ? qn : qn + 16);
	}
	netsim_stats(ns, &st);
	assert_int_equal(st.queries, 20);
	assert_int_equal(st.queries_over_cap, 10);
	assert_int_equal(st.names, 3);
	assert_int_equal(st.names_over_cap, 7);
	assert_null(netsim_dns_query_at(ns, 20));

	/* max_open: the third connection at once is closed on accept, and counted */
	for (int i = 0; i < 3; i++) {
		fds[i] = connect_to("127.0.0.1", netsim_sinkhole_ports(ns, &qn)[0], SOCK_STREAM);
		usleep(30000);
	}
	assert_true(recv(fds[2], buf, sizeof buf, 0) <= 0);
	netsim_stats(ns, &st);
	assert_int_equal(st.connections_refused, 1);
	for (int i = 0; i < 3; i++)
		close(fds[i]);
	netsim_free(ns);
}

struct worker {
	uint16_t port;
	int id, queries, answered;
	uint8_t first[4];
};

#define WORKER_QUERIES 250

static void *worker_main(void *arg)
{
	struct worker *w = arg;
	uint8_t q[300], ans[600];
	char name[64];
	int fd = connect_to("127.0.0.1", w->port, SOCK_DGRAM);

	for (int i = 0; i < WORKER_QUERIES; i++) {
		snprintf(name, sizeof name, "w%d-q%d.example.com", w->id, i);
		size_t qn = build_query(q, (uint16_t)i, name, FAKEDNS_TYPE_A);
		ssize_t n;
		w->queries++;
		if (send(fd, q, qn, 0) != (ssize_t)qn)
			continue;
		n = recv(fd, ans, sizeof ans, 0);
		if (n == (ssize_t)(qn + 16) && ans[0] == q[0] && ans[1] == q[1]) {
			w->answered++;
			if (i == 0)
				memcpy(w->first, ans + n - 4, 4);
		}
	}
	close(fd);
	return NULL;
}

static void test_concurrent(void **state)
{
	struct netsim_config cfg = {0};
	struct netsim *ns = start_local(&cfg);
	struct worker w[4];
	pthread_t t[4];
	struct netsim_stats st;
	size_t seen_while_running = 0;
	char want[64];
	(void)state;

	for (int i = 0; i < 4; i++) {
		w[i] = (struct worker){.port = netsim_dns_port(ns), .id = i};
		assert_int_equal(pthread_create(&t[i], NULL, worker_main, &w[i]), 0);
	}
	/* read the logs while they grow */
	for (int k = 0; k < 50; k++) {
		netsim_stats(ns, &st);
		for (size_t i = seen_while_running; i < st.queries; i++)
			assert_non_null(netsim_dns_query_at(ns, i)->name);
		seen_while_running = st.queries;
		usleep(2000);
	}
	for (int i = 0; i < 4; i++)
		pthread_join(t[i], NULL);
	netsim_stats(ns, &st);
	assert_int_equal(st.queries, 4 * WORKER_QUERIES);
	assert_int_equal(st.names, 4 * WORKER_QUERIES);
	assert_int_equal(st.queries_over_cap, 0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(w[i].answered, WORKER_QUERIES);
		snprintf(want, sizeof want, "w%d-q0.example.com", i);
		assert_string_equal(netsim_name_for_address(ns, AF_INET, w[i].first), want);
	}
	netsim_free(ns);
}

static void test_start_errors(void **state)
{
	struct netsim_config cfg = {0};
	const char *const bad[] = {"not-an-address"};
	const char *const public_addr[] = {"192.0.2.1"};
	struct netsim *ns = NULL, *again = NULL;
	char err[256] = "";
	uint16_t taken[1];
	(void)state;

	netsim_free(NULL);
	netsim_stop(NULL);
	cfg.addresses = bad;
	cfg.n_addresses = 1;
	assert_int_equal(netsim_start(&cfg, &ns, err, sizeof err), NETSIM_ERR_CONFIG);
	assert_null(ns);
	assert_non_null(strstr(err, "not-an-address"));
	/* an address this machine does not have: bind fails, and says so */
	cfg.addresses = public_addr;
	assert_int_equal(netsim_start(&cfg, &ns, err, sizeof err), NETSIM_ERR_SOCKET);
	assert_non_null(strstr(err, "bind"));
	/* a port already taken */
	memset(&cfg, 0, sizeof cfg);
	ns = start_local(&cfg);
	taken[0] = netsim_sinkhole_ports(ns, &(size_t){0})[0];
	memset(&cfg, 0, sizeof cfg);
	cfg.sinkhole_ports = taken;
	cfg.n_sinkhole_ports = 1;
	cfg.addresses = loopback;
	cfg.n_addresses = 1;
	assert_int_equal(netsim_start(&cfg, &again, err, sizeof err), NETSIM_ERR_SOCKET);
	assert_null(again);
	netsim_free(ns);
	/* the defaults */
	netsim_config_init(&cfg);
	assert_int_equal(cfg.dns_port, 53);
	assert_int_equal(cfg.n_sinkhole_ports, 19);
	assert_null(cfg.addresses);
}

/* ---- in a network namespace of its own: the wildcard and the reply's source address ---- */

static int bring_up_loopback(void)
{
	struct ifreq ifr;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	int rc = -1;

	memset(&ifr, 0, sizeof ifr);
	snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "lo");
	if (fd >= 0 && ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
		ifr.ifr_flags |= IFF_UP;
		rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
	}
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Runs in a child: a wildcard DNS server must answer a query sent to 127.0.0.2 from
 * 127.0.0.2 (the connected client socket drops anything else). Exit 0 passes. */
static int namespace_child(void)
{
	struct netsim_config cfg = {0};
	struct netsim *ns = NULL;
	char err[256];
	uint8_t q[300], ans[600];
	size_t qn = build_query(q, 42, "pktinfo.example", FAKEDNS_TYPE_A);
	const struct netsim_dns_query *e;
	struct netsim_stats st;
	uint16_t ports[1] = {0};
	int fd, rc = 1;

	if (unshare(CLONE_NEWNET) != 0)
		return SKIP_EXIT;
	if (bring_up_loopback() != 0)
		return 2;
	cfg.sinkhole_ports = ports;
	cfg.n_sinkhole_ports = 1;
	if (netsim_start(&cfg, &ns, err, sizeof err) != NETSIM_OK) {
		fprintf(stderr, "%s\n", err);
		return 3;
	}
	for (int i = 2; i <= 3; i++) {
		char address[16];
		snprintf(address, sizeof address, "127.0.0.%d", i);
		if (udp_ask(address, netsim_dns_port(ns), q, qn, ans, sizeof ans, 2000) != qn + 16)
			goto out;
	}
	e = netsim_dns_query_at(ns, 1);
	if (!e || memcmp(e->server.addr, ((uint8_t[]){127, 0, 0, 3}), 4) != 0)
		goto out;
	/* IPv6 through the :: wildcard, when the kernel has it */
	netsim_stats(ns, &st);
	if (!st.ipv6_unavailable) {
		if (udp_ask("::1", netsim_dns_port(ns), q, qn, ans, sizeof ans, 2000) != qn + 16)
			goto out;
		e = netsim_dns_query_at(ns, 2);
		if (!e || e->server.family != AF_INET6 || e->client.family != AF_INET6)
			goto out;
	}
	/* a sinkhole on the wildcard sees the destination the client wanted */
	fd = connect_to("127.0.0.9", netsim_sinkhole_ports(ns, &qn)[0], SOCK_STREAM);
	close(fd);
	netsim_stop(ns);
	if (!netsim_connection_at(ns, 0) ||
	    memcmp(netsim_connection_at(ns, 0)->local.addr, ((uint8_t[]){127, 0, 0, 9}), 4) != 0)
		goto out;
	rc = 0;
out:
	netsim_free(ns);
	return rc;
}

static void test_reply_from_asked_address(void **state)
{
	int status = 0;
	pid_t pid;
	(void)state;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(namespace_child());
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	if (WEXITSTATUS(status) == SKIP_EXIT)
		unit_skip("not root: no network namespace to bind the wildcard in safely");
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_table),
		cmocka_unit_test(test_parse_long_names),
		cmocka_unit_test(test_parse_backward_pointer),
		cmocka_unit_test(test_build_answer),
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_sinkhole_framing),
		cmocka_unit_test(test_parsers_stay_in_bounds),
		cmocka_unit_test(test_dns_udp),
		cmocka_unit_test(test_dns_malformed),
		cmocka_unit_test(test_dns_tcp),
		cmocka_unit_test(test_dns_tcp_query_then_close),
		cmocka_unit_test(test_sinkhole_http),
		cmocka_unit_test(test_sinkhole_tls_and_other),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_start_errors),
		cmocka_unit_test(test_reply_from_asked_address),
	};
	return unit_finish(cmocka_run_group_tests(tests, NULL, NULL));
}
