/* decode_tls: ClientHello parsing (SNI, ALPN, versions, ECH) from byte literals, whole, split over records, cut and broken. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tracer/decode/tls.h"

#define BYTES(s) s, sizeof(s) - 1
#define R32 "RRRRRRRRRRRRRRRRRRRRRRRRRRRRRRRR"
#define S32 "SSSSSSSSSSSSSSSSSSSSSSSSSSSSSSSS"
#define EXT_SNI "\x00\x00\x00\x10\x00\x0e\x00\x00\x0b" "example.com"
#define EXT_ALPN "\x00\x10\x00\x0e\x00\x0c\x02" "h2\x08" "http/1.1"
#define EXT_VERSIONS "\x00\x2b\x00\x03\x02\x03\x04"

/* A TLS 1.3 ClientHello as a browser or Node sends it, trimmed to the fields read:
 * record header, handshake header, version, random, a 32-byte session id, three
 * suites, null compression, then server_name, ALPN (h2, http/1.1) and
 * supported_versions. */
#define HELLO                                                                                              \
	"\x16\x03\x01\x00\x80"                                                                              \
	"\x01\x00\x00\x7c"                                                                                  \
	"\x03\x03" R32 "\x20" S32 "\x00\x06\x13\x01\x13\x02\x13\x03\x01\x00"                                 \
	"\x00\x2d" EXT_SNI EXT_ALPN EXT_VERSIONS

/* The start of a ClientHello body (41 bytes) for the shorter cases, which the
 * test wraps in record and handshake headers. */
#define BODY "\x03\x03" R32 "\x00\x00\x02\x13\x01\x01\x00"

struct hello_case {
	const char *name;
	const char *body; /* ClientHello body, or a whole stream when raw */
	size_t len;
	bool raw;
	enum decode_status status;
	const char *sni; /* NULL: none */
	size_t n_alpn;
	bool ech, capped;
};

static const struct hello_case hello_cases[] = {
	{"browser-shaped hello", BYTES(HELLO), true, DECODE_OK, "example.com", 2, false, false},
	{"no extensions at all", BYTES(BODY), false, DECODE_OK, NULL, 0, false, false},
	{"ALPN only", BYTES(BODY "\x00\x12" EXT_ALPN), false, DECODE_OK, NULL, 2, false, false},
	{"SNI and ECH", BYTES(BODY "\x00\x18" EXT_SNI "\xfe\x0d\x00\x00"), false, DECODE_OK, "example.com", 0, true,
	 false},
	{"nine ALPN protocols", BYTES(BODY "\x00\x18\x00\x10\x00\x14\x00\x12\x01" "a\x01" "b\x01" "c\x01" "d\x01"
					   "e\x01" "f\x01" "g\x01" "h\x01" "i"),
	 false, DECODE_OK, NULL, TLS_ALPN_MAX, false, true},
	{"unprintable SNI bytes escaped", BYTES(BODY "\x00\x0e\x00\x00\x00\x0a\x00\x08\x00\x00\x05" "a\n.\\b"), false,
	 DECODE_OK, "a\\x0a.\\x5cb", 0, false, false},
	{"SNI twice", BYTES(BODY "\x00\x28" EXT_SNI EXT_SNI), false, DECODE_MALFORMED, NULL, 0, false, false},
	{"SNI list longer than its extension", BYTES(BODY "\x00\x14\x00\x00\x00\x10\x00\x0f\x00\x00\x0b" "example.com"),
	 false, DECODE_MALFORMED, NULL, 0, false, false},
	{"empty host_name", BYTES(BODY "\x00\x09\x00\x00\x00\x05\x00\x03\x00\x00\x00"), false, DECODE_MALFORMED, NULL,
	 0, false, false},
	{"empty ALPN protocol", BYTES(BODY "\x00\x07\x00\x10\x00\x03\x00\x01\x00"), false, DECODE_MALFORMED, NULL, 0,
	 false, false},
	{"extensions longer than the hello", BYTES(BODY "\x00\x30" EXT_SNI), false, DECODE_MALFORMED, NULL, 0, false,
	 false},
	{"odd cipher suite length", BYTES("\x03\x03" R32 "\x00\x00\x03\x13\x01\x01\x01\x00"), false, DECODE_MALFORMED,
	 NULL, 0, false, false},
	{"no compression methods", BYTES("\x03\x03" R32 "\x00\x00\x02\x13\x01\x00"), false, DECODE_MALFORMED, NULL, 0,
	 false, false},
	{"HTTP is not TLS", BYTES("GET / HTTP/1.1\r\n"), true, DECODE_MALFORMED, NULL, 0, false, false},
	{"a ServerHello", BYTES("\x16\x03\x03\x00\x05\x02\x00\x00\x01\x00"), true, DECODE_MALFORMED, NULL, 0, false,
	 false},
	{"application data", BYTES("\x17\x03\x03\x00\x10"), true, DECODE_MALFORMED, NULL, 0, false, false},
	{"version 4.x", BYTES("\x16\x04"), true, DECODE_MALFORMED, NULL, 0, false, false},
	{"minor version 5", BYTES("\x16\x03\x05"), true, DECODE_MALFORMED, NULL, 0, false, false},
	{"empty record", BYTES("\x16\x03\x01\x00\x00"), true, DECODE_MALFORMED, NULL, 0, false, false},
	{"record over 2^14", BYTES("\x16\x03\x01\x40\x01"), true, DECODE_MALFORMED, NULL, 0, false, false},
	{"ServerHello type seen before the record is whole", BYTES("\x16\x03\x03\x00\x50\x02"), true,
	 DECODE_MALFORMED, NULL, 0, false, false},
	{"one byte", BYTES("\x16"), true, DECODE_TRUNCATED, NULL, 0, false, false},
	{"nothing", BYTES(""), true, DECODE_TRUNCATED, NULL, 0, false, false},
	{"hello over the cap", BYTES("\x16\x03\x01\x00\x04\x01\x01\x00\x01"), true, DECODE_CAP, NULL, 0, false, false},
	{"handshake header split over records", BYTES("\x16\x03\x01\x00\x02\x01\x00\x16\x03\x01\x00\x02\x00\x29"),
	 true, DECODE_UNSUPPORTED, NULL, 0, false, false},
};

/* Record and handshake headers around a ClientHello body. */
static size_t wrap(const char *body, size_t n, uint8_t *out)
{
	size_t hs = n + 4;
	uint8_t head[9] = {0x16, 0x03, 0x01, (uint8_t)(hs >> 8), (uint8_t)hs, 0x01, 0, (uint8_t)(n >> 8), (uint8_t)n};
	memcpy(out, head, sizeof head);
	memcpy(out + sizeof head, body, n);
	return n + sizeof head;
}

static void check_hello(const struct hello_case *c, const uint8_t *p, size_t len)
{
	struct tls_client_hello h;
	enum decode_status st = tls_parse_client_hello(p, len, &h);
	if (st != c->status)
		fail_msg("%s: status %d, want %d", c->name, st, c->status);
	if (st != DECODE_OK)
		return;
	if (h.has_sni != (c->sni != NULL) || (c->sni && strcmp(h.sni, c->sni) != 0))
		fail_msg("%s: sni %d \"%s\", want \"%s\"", c->name, h.has_sni, h.sni, c->sni ? c->sni : "(none)");
	if (h.n_alpn != c->n_alpn || h.has_ech != c->ech || h.capped != c->capped)
		fail_msg("%s: alpn %zu ech %d capped %d", c->name, h.n_alpn, h.has_ech, h.capped);
	if (h.consumed != len)
		fail_msg("%s: consumed %zu of %zu", c->name, h.consumed, len);
}

static void test_hello_table(void **state)
{
	uint8_t buf[512];
	(void)state;
	for (size_t i = 0; i < sizeof hello_cases / sizeof hello_cases[0]; i++) {
		const struct hello_case *c = &hello_cases[i];
		if (c->raw)
			check_hello(c, (const uint8_t *)c->body, c->len);
		else
			check_hello(c, buf, wrap(c->body, c->len, buf));
	}
}

static void test_hello_fields(void **state)
{
	static const uint8_t hello[] = HELLO;
	struct tls_client_hello h;
	(void)state;
	assert_int_equal(sizeof hello - 1, 5 + 0x80);
	assert_int_equal(tls_parse_client_hello(hello, sizeof hello - 1, &h), DECODE_OK);
	assert_string_equal(h.alpn[0], "h2");
	assert_string_equal(h.alpn[1], "http/1.1");
	assert_true(h.offers_tls13);
	assert_int_equal(h.record_version, 0x0301);
	assert_int_equal(h.legacy_version, 0x0303);
	assert_int_equal(h.n_extensions, 3);
	/* what follows the hello in the stream is left alone */
	uint8_t more[sizeof hello + 8];
	memcpy(more, hello, sizeof hello - 1);
	memcpy(more + sizeof hello - 1, "\x14\x03\x03\x00\x01\x01\x17\x03", 8);
	assert_int_equal(tls_parse_client_hello(more, sizeof more - 1, &h), DECODE_OK);
	assert_int_equal(h.consumed, sizeof hello - 1);
}

/* The same hello with its handshake message split over two records (50 + 78). */
static size_t split_hello(uint8_t *out)
{
	static const uint8_t hello[] = HELLO;
	const uint8_t *hs = hello + 5;
	memcpy(out, "\x16\x03\x01\x00\x32", 5);
	memcpy(out + 5, hs, 50);
	memcpy(out + 55, "\x16\x03\x03\x00\x4e", 5);
	memcpy(out + 60, hs + 50, 78);
	return 138;
}

static void test_hello_split_over_records(void **state)
{
	uint8_t stream[138];
	struct tls_client_hello h;
	(void)state;
	size_t n = split_hello(stream);
	assert_int_equal(tls_parse_client_hello(stream, n, &h), DECODE_OK);
	assert_string_equal(h.sni, "example.com");
	assert_int_equal(h.n_alpn, 2);
	assert_int_equal(h.consumed, 138);
	/* a second record that is not a handshake */
	stream[55] = 0x17;
	assert_int_equal(tls_parse_client_hello(stream, n, &h), DECODE_MALFORMED);
}

/* Every strict prefix of a valid stream, in a buffer of exactly that size, is
 * "need more bytes": never an error, never an overread. */
static void every_prefix_wants_more(const uint8_t *stream, size_t len)
{
	for (size_t n = 0; n < len; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		struct tls_client_hello h;
		assert_non_null(copy);
		memcpy(copy, stream, n);
		enum decode_status st = tls_parse_client_hello(copy, n, &h);
		free(copy);
		if (st != DECODE_TRUNCATED)
			fail_msg("prefix of %zu bytes: status %d", n, st);
	}
}

static void test_every_prefix(void **state)
{
	static const uint8_t hello[] = HELLO;
	uint8_t stream[138];
	(void)state;
	every_prefix_wants_more(hello, sizeof hello - 1);
	every_prefix_wants_more(stream, split_hello(stream));
	/* and broken cases, cut anywhere, stay in bounds */
	for (size_t i = 0; i < sizeof hello_cases / sizeof hello_cases[0]; i++) {
		uint8_t buf[512];
		const struct hello_case *c = &hello_cases[i];
		size_t len = c->raw ? c->len : wrap(c->body, c->len, buf);
		const uint8_t *p = c->raw ? (const uint8_t *)c->body : buf;
		for (size_t n = 0; n < len; n++) {
			uint8_t *copy = malloc(n ? n : 1);
			struct tls_client_hello h;
			assert_non_null(copy);
			memcpy(copy, p, n);
			tls_parse_client_hello(copy, n, &h);
			free(copy);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hello_table),
		cmocka_unit_test(test_hello_fields),
		cmocka_unit_test(test_hello_split_over_records),
		cmocka_unit_test(test_every_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
