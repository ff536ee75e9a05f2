/* decode_dns: DNS messages from byte literals (compression, loops, oversized labels and names, TCP framing) and the reply builder. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tracer/decode/dns.h"

#define BYTES(s) s, sizeof(s) - 1
#define L63 "\x3f" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define L61 "\x3d" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define L62 "\x3e" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define L64 "\x40" "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

#define Q_HEADER "\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00"
#define WWW_EXAMPLE_COM "\x03www\x07" "example\x03" "com\x00"
#define QUERY_A Q_HEADER WWW_EXAMPLE_COM "\x00\x01\x00\x01"
/* The same query with an EDNS OPT record (what glibc and c-ares send). */
#define QUERY_A_EDNS                                                                                        \
	"\x12\x34\x01\x20\x00\x01\x00\x00\x00\x00\x00\x01" WWW_EXAMPLE_COM "\x00\x01\x00\x01"                \
	"\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00"
/* www.example.com CNAME cdn.example.com (compressed into the question), cdn A 93.184.216.34
 * (its name a pointer to the CNAME's target, which itself ends in a pointer). */
#define RESPONSE_CNAME_A                                                                                   \
	"\x12\x34\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00" WWW_EXAMPLE_COM "\x00\x01\x00\x01"                \
	"\xc0\x0c\x00\x05\x00\x01\x00\x00\x0e\x10\x00\x06\x03" "cdn\xc0\x10"                                 \
	"\xc0\x2d\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x5d\xb8\xd8\x22"
#define RESPONSE_AAAA                                                                                      \
	"\xab\xcd\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00\x07" "example\x03" "com\x00\x00\x1c\x00\x01"      \
	"\xc0\x0c\x00\x1c\x00\x01\x00\x00\x00\x3c\x00\x10\x20\x01\x0d\xb8\x00\x00\x00\x00\x00\x00\x00\x00"   \
	"\x00\x00\x00\x01"
#define QUERY_HTTPS Q_HEADER "\x07" "example\x03" "com\x00\x00\x41\x00\x01"
/* An MX answer (kept as skipped), then an NXDOMAIN-style response with an SOA in authority. */
#define RESPONSE_MX                                                                                        \
	"\x00\x01\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00\x07" "example\x03" "com\x00\x00\x0f\x00\x01"      \
	"\xc0\x0c\x00\x0f\x00\x01\x00\x00\x00\x3c\x00\x07\x00\x0a\x02mx\xc0\x0c"
#define RESPONSE_NXDOMAIN                                                                                  \
	"\x00\x02\x81\x83\x00\x01\x00\x00\x00\x01\x00\x00\x04nope\x07" "example\x03" "com\x00\x00\x01\x00\x01" \
	"\xc0\x11\x00\x06\x00\x01\x00\x00\x00\x3c\x00\x02\xc0\x11"

struct dns_case {
	const char *name;
	const char *bytes;
	size_t len;
	enum decode_status status;
	bool response;
	uint8_t rcode;
	const char *qname;
	uint16_t qtype;
	size_t n_answers;
	const char *first_answer; /* "TYPE name value" */
};

static const struct dns_case dns_cases[] = {
	{"A query", BYTES(QUERY_A), DECODE_OK, false, 0, "www.example.com", 1, 0, NULL},
	{"A query with EDNS", BYTES(QUERY_A_EDNS), DECODE_OK, false, 0, "www.example.com", 1, 0, NULL},
	{"HTTPS query", BYTES(QUERY_HTTPS), DECODE_OK, false, 0, "example.com", 65, 0, NULL},
	{"CNAME then A, chained pointers", BYTES(RESPONSE_CNAME_A), DECODE_OK, true, 0, "www.example.com", 1, 2,
	 "5 www.example.com cdn.example.com"},
	{"AAAA", BYTES(RESPONSE_AAAA), DECODE_OK, true, 0, "example.com", 28, 1, "28 example.com 2001:db8::1"},
	{"MX is skipped", BYTES(RESPONSE_MX), DECODE_OK, true, 0, "example.com", 15, 0, NULL},
	{"NXDOMAIN", BYTES(RESPONSE_NXDOMAIN), DECODE_OK, true, 3, "nope.example.com", 1, 0, NULL},
	{"root name", BYTES(Q_HEADER "\x00\x00\x02\x00\x01"), DECODE_OK, false, 0, ".", 2, 0, NULL},
	{"dot and backslash and a control byte in a label",
	 BYTES(Q_HEADER "\x05" "a.b\\\x01\x03" "com\x00\x00\x01\x00\x01"), DECODE_OK, false, 0, "a\\.b\\\\\\001.com", 1,
	 0, NULL},
	{"name of exactly 255 bytes", BYTES(Q_HEADER L63 L63 L63 L61 "\x00\x00\x01\x00\x01"), DECODE_OK, false, 0,
	 NULL, 1, 0, NULL},
	{"name of 256 bytes", BYTES(Q_HEADER L63 L63 L63 L62 "\x00\x00\x01\x00\x01"), DECODE_MALFORMED, false, 0,
	 NULL, 0, 0, NULL},
	{"label of 64 bytes", BYTES(Q_HEADER L64 "\x00\x00\x01\x00\x01"), DECODE_MALFORMED, false, 0, NULL, 0, 0,
	 NULL},
	{"reserved label type 0x80", BYTES(Q_HEADER "\x80\x00\x00\x01\x00\x01"), DECODE_MALFORMED, false, 0, NULL,
	 0, 0, NULL},
	{"pointer to itself", BYTES("\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" WWW_EXAMPLE_COM
				     "\x00\x01\x00\x01\xc0\x21\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x01\x02\x03\x04"),
	 DECODE_MALFORMED, true, 0, NULL, 0, 0, NULL},
	{"two pointers in a loop", BYTES("\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" WWW_EXAMPLE_COM
					  "\x00\x01\x00\x01\x01x\xc0\x23\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x01\x02\x03"
					  "\x04\x01y\xc0\x21"),
	 DECODE_MALFORMED, true, 0, NULL, 0, 0, NULL},
	{"label then pointer back into the same name", BYTES(Q_HEADER "\x01" "a\xc0\x0c\x00\x01\x00\x01"),
	 DECODE_MALFORMED, false, 0, NULL, 0, 0, NULL},
	{"forward pointer", BYTES(Q_HEADER "\xc0\x12\x00\x01\x00\x01\x01" "a\x00"), DECODE_MALFORMED, false, 0, NULL,
	 0, 0, NULL},
	{"pointer into the header", BYTES(Q_HEADER "\x01" "a\xc0\x02\x00\x01\x00\x01"), DECODE_MALFORMED, false, 0,
	 NULL, 0, 0, NULL},
	{"A with 5 bytes of data", BYTES("\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" WWW_EXAMPLE_COM
					  "\x00\x01\x00\x01\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x05\x01\x02\x03\x04\x05"),
	 DECODE_MALFORMED, true, 0, NULL, 0, 0, NULL},
	{"CNAME running past its data", BYTES("\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" WWW_EXAMPLE_COM
					       "\x00\x01\x00\x01\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x3c\x00\x02\x03"
					       "cdn\x00"),
	 DECODE_MALFORMED, true, 0, NULL, 0, 0, NULL},
	{"CNAME shorter than its data", BYTES("\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00" WWW_EXAMPLE_COM
					       "\x00\x01\x00\x01\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x3c\x00\x03\xc0\x0c"
					       "\x00"),
	 DECODE_MALFORMED, true, 0, NULL, 0, 0, NULL},
	{"answer count past the end", BYTES("\x12\x34\x81\x80\x00\x01\x00\x02\x00\x00\x00\x00" WWW_EXAMPLE_COM
					     "\x00\x01\x00\x01"),
	 DECODE_TRUNCATED, true, 0, NULL, 0, 0, NULL},
	{"11 bytes", BYTES("\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00"), DECODE_TRUNCATED, false, 0, NULL, 0, 0,
	 NULL},
};

static void answer_text(const struct dns_answer *a, char *out, size_t size)
{
	if (a->type == DNS_TYPE_CNAME)
		snprintf(out, size, "5 %s %s", a->name, a->target);
	else if (a->type == DNS_TYPE_A)
		snprintf(out, size, "1 %s %u.%u.%u.%u", a->name, a->addr[0], a->addr[1], a->addr[2], a->addr[3]);
	else /* only the documentation prefix shows up in these tests */
		snprintf(out, size, "28 %s %s", a->name,
			 a->addr[0] == 0x20 && a->addr[1] == 0x01 && a->addr[15] == 1 ? "2001:db8::1" : "?");
}

static void test_dns_table(void **state)
{
	struct dns_msg *m = malloc(sizeof *m);
	(void)state;
	assert_non_null(m);
	for (size_t i = 0; i < sizeof dns_cases / sizeof dns_cases[0]; i++) {
		const struct dns_case *c = &dns_cases[i];
		enum decode_status st = dns_parse((const uint8_t *)c->bytes, c->len, m);
		if (st != c->status)
			fail_msg("%s: status %d, want %d", c->name, st, c->status);
		if (st != DECODE_OK)
			continue;
		if (m->response != c->response || m->rcode != c->rcode || m->n_questions != 1 ||
		    m->questions[0].type != c->qtype || m->n_answers != c->n_answers)
			fail_msg("%s: response %d rcode %u questions %zu type %u answers %zu", c->name, m->response,
				 m->rcode, m->n_questions, m->questions[0].type, m->n_answers);
		if (c->qname && strcmp(m->questions[0].name, c->qname) != 0)
			fail_msg("%s: name \"%s\", want \"%s\"", c->name, m->questions[0].name, c->qname);
		char text[2 * DNS_NAME_TEXT_MAX + 16];
		if (c->first_answer) {
			answer_text(&m->answers[0], text, sizeof text);
			if (strcmp(text, c->first_answer) != 0)
				fail_msg("%s: answer \"%s\", want \"%s\"", c->name, text, c->first_answer);
		}
	}
	free(m);
}

static void test_dns_cname_chain(void **state)
{
	static const uint8_t msg[] = RESPONSE_CNAME_A;
	struct dns_msg *m = malloc(sizeof *m);
	(void)state;
	assert_non_null(m);
	assert_int_equal(dns_parse(msg, sizeof msg - 1, m), DECODE_OK);
	assert_int_equal(m->id, 0x1234);
	assert_string_equal(m->answers[1].name, "cdn.example.com");
	assert_int_equal(m->answers[1].ttl, 60);
	assert_memory_equal(m->answers[1].addr, "\x5d\xb8\xd8\x22", 4);
	assert_int_equal(m->answers[0].ttl, 3600);
	free(m);
}

static void test_dns_255_name_text(void **state)
{
	static const uint8_t msg[] = Q_HEADER L63 L63 L63 L61 "\x00\x00\x01\x00\x01";
	char name[DNS_NAME_TEXT_MAX];
	size_t end = 0;
	(void)state;
	assert_int_equal(dns_read_name(msg, sizeof msg - 1, DNS_HEADER_LEN, name, sizeof name, &end), DECODE_OK);
	assert_int_equal(strlen(name), 63 * 3 + 61 + 3);
	assert_int_equal(end, DNS_HEADER_LEN + 255);
	/* a small output buffer is cut, never overrun */
	char small[10];
	assert_int_equal(dns_read_name(msg, sizeof msg - 1, DNS_HEADER_LEN, small, sizeof small, &end), DECODE_OK);
	assert_int_equal(strlen(small), 9);
	assert_int_equal(dns_read_name(msg, sizeof msg - 1, sizeof msg, small, sizeof small, &end), DECODE_TRUNCATED);
}

static void test_dns_caps(void **state)
{
	/* 17 A answers: 16 kept, capped set. */
	uint8_t msg[512];
	size_t n = 0;
	struct dns_msg *m = malloc(sizeof *m);
	(void)state;
	assert_non_null(m);
	memcpy(msg, "\x00\x07\x81\x80\x00\x01\x00\x11\x00\x00\x00\x00\x01" "a\x00\x00\x01\x00\x01", 19);
	n = 19;
	for (int i = 0; i < 17; i++) {
		memcpy(msg + n, "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\x0a\x00\x00", 15);
		msg[n + 15] = (uint8_t)i;
		n += 16;
	}
	assert_int_equal(dns_parse(msg, n, m), DECODE_OK);
	assert_int_equal(m->n_answers, DNS_ANSWERS_MAX);
	assert_true(m->capped);
	assert_int_equal(m->answers[15].addr[3], 15);
	free(m);
}

static void test_dns_tcp(void **state)
{
	static const uint8_t framed[] = "\x00\x21" QUERY_A "\x00\x21" QUERY_A;
	struct dns_msg *m = malloc(sizeof *m);
	size_t used = 0;
	(void)state;
	assert_non_null(m);
	assert_int_equal(sizeof QUERY_A - 1, 0x21);
	assert_int_equal(dns_parse_tcp(framed, sizeof framed - 1, m, &used), DECODE_OK);
	assert_int_equal(used, 0x23);
	assert_string_equal(m->questions[0].name, "www.example.com");
	assert_int_equal(dns_parse_tcp(framed + used, sizeof framed - 1 - used, m, &used), DECODE_OK);
	for (size_t n = 0; n < 0x23; n++)
		assert_int_equal(dns_parse_tcp(framed, n, m, &used), DECODE_TRUNCATED);
	/* a length prefix shorter than the message inside: broken, not "wait for more" */
	static const uint8_t short_prefix[] = "\x00\x10" QUERY_A;
	assert_int_equal(dns_parse_tcp(short_prefix, sizeof short_prefix - 1, m, &used), DECODE_MALFORMED);
	free(m);
}

struct reply_case {
	const char *name;
	const char *query;
	size_t query_len;
	enum dns_reply reply;
	const char *addr;
	size_t addr_len;
	enum decode_status status;
	const char *want;
	size_t want_len;
};

static const struct reply_case reply_cases[] = {
	{"A", BYTES(QUERY_A), DNS_REPLY_ADDRESS, "\xc6\x12\x00\x07", 4, DECODE_OK,
	 BYTES("\x12\x34\x85\x80\x00\x01\x00\x01\x00\x00\x00\x00" WWW_EXAMPLE_COM "\x00\x01\x00\x01"
	       "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\xc6\x12\x00\x07")},
	{"A to a query with EDNS (no OPT echoed, AD dropped)", BYTES(QUERY_A_EDNS), DNS_REPLY_ADDRESS,
	 "\xc6\x12\x00\x07", 4, DECODE_OK,
	 BYTES("\x12\x34\x85\x80\x00\x01\x00\x01\x00\x00\x00\x00" WWW_EXAMPLE_COM "\x00\x01\x00\x01"
	       "\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x3c\x00\x04\xc6\x12\x00\x07")},
	{"AAAA", BYTES(Q_HEADER WWW_EXAMPLE_COM "\x00\x1c\x00\x01"), DNS_REPLY_ADDRESS,
	 "\xfd\x00\0\0\0\0\0\0\0\0\0\0\0\0\0\x09", 16, DECODE_OK,
	 BYTES("\x12\x34\x85\x80\x00\x01\x00\x01\x00\x00\x00\x00" WWW_EXAMPLE_COM "\x00\x1c\x00\x01"
	       "\xc0\x0c\x00\x1c\x00\x01\x00\x00\x00\x3c\x00\x10\xfd\x00\0\0\0\0\0\0\0\0\0\0\0\0\0\x09")},
	{"NODATA for HTTPS", BYTES(QUERY_HTTPS), DNS_REPLY_NODATA, NULL, 0, DECODE_OK,
	 BYTES("\x12\x34\x85\x80\x00\x01\x00\x00\x00\x00\x00\x00\x07" "example\x03" "com\x00\x00\x41\x00\x01")},
	{"NXDOMAIN", BYTES(QUERY_A), DNS_REPLY_NXDOMAIN, NULL, 0, DECODE_OK,
	 BYTES("\x12\x34\x85\x83\x00\x01\x00\x00\x00\x00\x00\x00" WWW_EXAMPLE_COM "\x00\x01\x00\x01")},
	{"a response is not a query", BYTES(RESPONSE_AAAA), DNS_REPLY_NODATA, NULL, 0, DECODE_UNSUPPORTED, NULL, 0},
	{"two questions", BYTES("\x12\x34\x01\x00\x00\x02\x00\x00\x00\x00\x00\x00\x01" "a\x00\x00\x01\x00\x01\x01"
				"b\x00\x00\x01\x00\x01"),
	 DNS_REPLY_NODATA, NULL, 0, DECODE_UNSUPPORTED, NULL, 0},
	{"address of 5 bytes", BYTES(QUERY_A), DNS_REPLY_ADDRESS, "\x01\x02\x03\x04\x05", 5, DECODE_UNSUPPORTED,
	 NULL, 0},
	{"query name with a loop", BYTES(Q_HEADER "\x01" "a\xc0\x0c\x00\x01\x00\x01"), DNS_REPLY_NODATA, NULL, 0,
	 DECODE_MALFORMED, NULL, 0},
	{"query cut in its question", BYTES(Q_HEADER "\x03www"), DNS_REPLY_NODATA, NULL, 0, DECODE_TRUNCATED, NULL,
	 0},
};

static void test_dns_build_answer(void **state)
{
	struct dns_msg *m = malloc(sizeof *m);
	(void)state;
	assert_non_null(m);
	for (size_t i = 0; i < sizeof reply_cases / sizeof reply_cases[0]; i++) {
		const struct reply_case *c = &reply_cases[i];
		uint8_t out[DNS_REPLY_MAX];
		size_t n = 0;
		enum decode_status st = dns_build_answer((const uint8_t *)c->query, c->query_len, c->reply,
							 (const uint8_t *)c->addr, c->addr_len, 60, out, sizeof out, &n);
		if (st != c->status)
			fail_msg("%s: status %d, want %d", c->name, st, c->status);
		if (st != DECODE_OK)
			continue;
		if (n != c->want_len || memcmp(out, c->want, n) != 0)
			fail_msg("%s: reply of %zu bytes differs from the %zu expected", c->name, n, c->want_len);
		/* and it parses back */
		assert_int_equal(dns_parse(out, n, m), DECODE_OK);
		assert_true(m->response);
		assert_int_equal(m->n_answers, c->reply == DNS_REPLY_ADDRESS ? 1 : 0);
	}
	free(m);
}

static void test_dns_build_answer_small_buffer(void **state)
{
	static const uint8_t query[] = QUERY_A;
	uint8_t out[DNS_REPLY_MAX];
	size_t n = 1;
	(void)state;
	for (size_t size = 0; size < 49; size++) {
		assert_int_equal(dns_build_answer(query, sizeof query - 1, DNS_REPLY_ADDRESS,
						  (const uint8_t *)"\x01\x02\x03\x04", 4, 60, out, size, &n),
				 DECODE_CAP);
		assert_int_equal(n, 0);
	}
	assert_int_equal(dns_build_answer(query, sizeof query - 1, DNS_REPLY_ADDRESS,
					  (const uint8_t *)"\x01\x02\x03\x04", 4, 60, out, 49, &n),
			 DECODE_OK);
	assert_int_equal(n, 49);
}

/* Every prefix of every case in a buffer of exactly that size (ASan sees any
 * overread); a prefix of a valid message never parses as more than it holds. */
static void test_every_prefix(void **state)
{
	struct dns_msg *m = malloc(sizeof *m);
	(void)state;
	assert_non_null(m);
	for (size_t i = 0; i < sizeof dns_cases / sizeof dns_cases[0]; i++) {
		const struct dns_case *c = &dns_cases[i];
		for (size_t n = 0; n < c->len; n++) {
			uint8_t *copy = malloc(n ? n : 1);
			assert_non_null(copy);
			memcpy(copy, c->bytes, n);
			enum decode_status st = dns_parse(copy, n, m);
			/* a cut valid message wants more bytes (or is whole up to sections not read) */
			if (c->status == DECODE_OK && st != DECODE_OK && st != DECODE_TRUNCATED)
				fail_msg("%s: prefix of %zu bytes: status %d", c->name, n, st);
			uint8_t out[DNS_REPLY_MAX];
			size_t used;
			dns_build_answer(copy, n, DNS_REPLY_NXDOMAIN, NULL, 0, 0, out, sizeof out, &used);
			free(copy);
		}
	}
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_dns_table),
		cmocka_unit_test(test_dns_cname_chain),
		cmocka_unit_test(test_dns_255_name_text),
		cmocka_unit_test(test_dns_caps),
		cmocka_unit_test(test_dns_tcp),
		cmocka_unit_test(test_dns_build_answer),
		cmocka_unit_test(test_dns_build_answer_small_buffer),
		cmocka_unit_test(test_every_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
