/* scan and http_body: canaries hidden by encoding in a client stream are found: gzip,
 * deflate and brotli bodies, chunked bodies, past the first 16 KiB, masked WebSocket
 * frames, UTF-16, JSON \uXXXX escapes. Every row also checks that a search of the bytes
 * as sent (all the old tracer did: canary_search over the sinkhole's first 16 KiB) misses
 * the canary, so each row failed before the fix (issue 8 item 13); checked by running the
 * rows against canary_search alone, the old code path, where every "hidden" row failed. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <brotli/encode.h>
#include <zlib.h>

#include "core/strbuf.h"
#include "tracer/canary.h"
#include "tracer/decode/http_body.h"
#include "tracer/scan.h"

static const char list[] = "token tok tok_{base62:36}\n"
			   "token fixed ghp_Fixed0Canary0For0Byte0Literal0Test9\n";

/* gzip (RFC 1952) of {"t":"ghp_Fixed0Canary0For0Byte0Literal0Test9"}, made by Python's gzip
 * module with mtime 0: a byte literal, independent of our own encoder use below. */
static const uint8_t fixed_gzip[] = {
	0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0xff, 0xab, 0x56, 0x2a, 0x51, 0xb2, 0x52, 0x4a,
	0xcf, 0x28, 0x88, 0x77, 0xcb, 0xac, 0x48, 0x4d, 0x31, 0x70, 0x4e, 0xcc, 0x4b, 0x2c, 0xaa, 0x34, 0x70,
	0xcb, 0x2f, 0x32, 0x70, 0xaa, 0x2c, 0x49, 0x35, 0xf0, 0xc9, 0x2c, 0x49, 0x2d, 0x4a, 0xcc, 0x31, 0x08,
	0x49, 0x2d, 0x2e, 0xb1, 0x54, 0xaa, 0x05, 0x00, 0xc9, 0x0c, 0x28, 0xd2, 0x2f, 0x00, 0x00, 0x00};

/* ---- encoders: the real libraries, as a thief's client would use them ---- */

static void zlib_encode(struct strbuf *out, const char *in, size_t n, int window_bits)
{
	z_stream z = {0};
	uint8_t buf[1 << 16];

	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, window_bits, 8, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)in;
	z.avail_in = (uInt)n;
	z.next_out = buf;
	z.avail_out = sizeof buf;
	assert_int_equal(deflate(&z, Z_FINISH), Z_STREAM_END);
	strbuf_append(out, (const char *)buf, sizeof buf - z.avail_out);
	deflateEnd(&z);
}

static void brotli_encode(struct strbuf *out, const char *in, size_t n)
{
	uint8_t buf[1 << 16];
	size_t len = sizeof buf;

	assert_true(BrotliEncoderCompress(5, 22, BROTLI_MODE_TEXT, n, (const uint8_t *)in, &len, buf));
	strbuf_append(out, (const char *)buf, len);
}

static void websocket_frame(struct strbuf *out, const char *in, size_t n)
{
	static const uint8_t mask[4] = {0x37, 0xfa, 0x21, 0x3d};

	strbuf_putc(out, (char)0x81); /* FIN, text */
	if (n < 126) {
		strbuf_putc(out, (char)(0x80 | n));
	} else {
		strbuf_putc(out, (char)(0x80 | 126));
		strbuf_putc(out, (char)(n >> 8));
		strbuf_putc(out, (char)n);
	}
	strbuf_append(out, (const char *)mask, 4);
	for (size_t i = 0; i < n; i++)
		strbuf_putc(out, (char)(in[i] ^ mask[i & 3]));
}

/* RFC 4648 section 4 with padding. Caller frees. */
static char *base64_of(const char *in)
{
	static const char a[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t n = strlen(in);
	char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;

	assert_non_null(out);
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)(uint8_t)in[i] << 16 | (i + 1 < n ? (uint32_t)(uint8_t)in[i + 1] << 8 : 0) |
			     (i + 2 < n ? (uint8_t)in[i + 2] : 0);
		*o++ = a[v >> 18];
		*o++ = a[(v >> 12) & 63];
		*o++ = i + 1 < n ? a[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? a[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

enum body_kind { B_PLAIN, B_GZIP, B_DEFLATE, B_RAW_DEFLATE, B_BROTLI, B_CHUNKED, B_CHUNKED_GZIP, B_WEBSOCKET,
		 B_UTF16, B_JSON_ESCAPED, B_FAR, B_GZIP_BASE64, B_TWO_REQUESTS };

struct row {
	const char *name;
	enum body_kind kind;
	const char *want_encoding, *want_layer;
};

static const struct row rows[] = {
	{"gzip body", B_GZIP, "plain", "gzip body"},
	{"deflate (zlib) body", B_DEFLATE, "plain", "deflate body"},
	{"deflate sent raw", B_RAW_DEFLATE, "plain", "deflate body"},
	{"brotli body", B_BROTLI, "plain", "brotli body"},
	{"chunked, split inside the token", B_CHUNKED, "plain", "chunked body"},
	{"gzip, chunked", B_CHUNKED_GZIP, "plain", "gzip body"},
	{"masked WebSocket frame", B_WEBSOCKET, "plain", "websocket"},
	{"UTF-16LE body", B_UTF16, "utf-16", NULL},
	{"JSON \\u escapes", B_JSON_ESCAPED, "plain", "json-escaped"},
	{"after 40 KiB of padding", B_FAR, "plain", NULL},
	{"base64 inside gzip", B_GZIP_BASE64, "base64", "gzip body"},
	{"gzip in the second request of a connection", B_TWO_REQUESTS, "plain", "gzip body"},
};

static void head(struct strbuf *s, const char *extra, size_t len)
{
	strbuf_printf(s, "POST /collect HTTP/1.1\r\nHost: t.example.com\r\n%s", extra);
	if (len != (size_t)-1)
		strbuf_printf(s, "Content-Length: %zu\r\n", len);
	strbuf_puts(s, "\r\n");
}

static void with_body(struct strbuf *s, const char *extra, const struct strbuf *body)
{
	head(s, extra, body->len);
	strbuf_append(s, body->s, body->len);
}

/* The client's bytes for one row, carrying value. */
static void build(enum body_kind kind, const char *value, struct strbuf *s)
{
	struct strbuf json = STRBUF_INIT(0), body = STRBUF_INIT(0);
	size_t n = strlen(value);

	strbuf_printf(&json, "{\"token\":\"%s\"}", value);
	switch (kind) {
	case B_PLAIN:
		with_body(s, "", &json);
		break;
	case B_GZIP:
	case B_TWO_REQUESTS:
		if (kind == B_TWO_REQUESTS) {
			struct strbuf first = STRBUF_INIT(0);
			strbuf_puts(&first, "{\"hello\":1}");
			with_body(s, "", &first);
			strbuf_free(&first);
		}
		zlib_encode(&body, json.s, json.len, 15 + 16);
		with_body(s, "Content-Encoding: gzip\r\n", &body);
		break;
	case B_DEFLATE:
		zlib_encode(&body, json.s, json.len, 15);
		with_body(s, "Content-Encoding: deflate\r\n", &body);
		break;
	case B_RAW_DEFLATE:
		zlib_encode(&body, json.s, json.len, -15);
		with_body(s, "Content-Encoding: deflate\r\n", &body);
		break;
	case B_BROTLI:
		/* with nothing to compress brotli stores the bytes as they are (RFC 7932 section
		 * 9.2, uncompressed meta-blocks): a realistic body compresses */
		for (int i = 0; i < 200; i++)
			strbuf_puts(&json, ",{\"field\":\"value\"}");
		brotli_encode(&body, json.s, json.len);
		with_body(s, "Content-Encoding: br\r\n", &body);
		break;
	case B_CHUNKED:
		head(s, "Transfer-Encoding: chunked\r\n", (size_t)-1);
		/* 7 bytes a chunk: every piece of the token is shorter than any needle */
		for (size_t i = 0; i < json.len; i += 7)
			strbuf_printf(s, "%zx;ext=1\r\n%.*s\r\n", json.len - i < 7 ? json.len - i : 7,
				      (int)(json.len - i < 7 ? json.len - i : 7), json.s + i);
		strbuf_puts(s, "0\r\nX-Trailer: 1\r\n\r\n");
		break;
	case B_CHUNKED_GZIP:
		zlib_encode(&body, json.s, json.len, 15 + 16);
		head(s, "Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", (size_t)-1);
		for (size_t i = 0; i < body.len; i += 10) { /* binary: no %s */
			size_t k = body.len - i < 10 ? body.len - i : 10;
			strbuf_printf(s, "%zX\r\n", k);
			strbuf_append(s, body.s + i, k);
			strbuf_puts(s, "\r\n");
		}
		strbuf_puts(s, "0\r\n\r\n");
		break;
	case B_WEBSOCKET:
		strbuf_puts(s, "GET /socket HTTP/1.1\r\nHost: t.example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
			       "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
		websocket_frame(s, "hello", 5);
		websocket_frame(s, json.s, json.len);
		break;
	case B_UTF16:
		for (size_t i = 0; i < json.len; i++)
			strbuf_putc(&body, json.s[i]), strbuf_putc(&body, '\0');
		with_body(s, "Content-Type: text/plain; charset=utf-16le\r\n", &body);
		break;
	case B_JSON_ESCAPED:
		strbuf_puts(&body, "{\"token\":\"");
		for (size_t i = 0; i < n; i++)
			strbuf_printf(&body, i % 3 ? "%c" : "\\u%04X", value[i]);
		strbuf_puts(&body, "\"}");
		with_body(s, "", &body);
		break;
	case B_FAR:
		for (size_t i = 0; i < 40 * 1024; i++)
			strbuf_putc(&body, "abcdefgh"[i % 8]);
		strbuf_append(&body, json.s, json.len);
		with_body(s, "", &body);
		break;
	case B_GZIP_BASE64: {
		char *b = base64_of(value);
		struct strbuf enc = STRBUF_INIT(0);
		strbuf_printf(&enc, "{\"d\":\"%s\"}", b);
		zlib_encode(&body, enc.s, enc.len, 15 + 16);
		with_body(s, "Content-Encoding: gzip\r\n", &body);
		free(b);
		strbuf_free(&enc);
		break;
	}
	}
	assert_non_null(s->s);
	strbuf_free(&json);
	strbuf_free(&body);
}

static struct canary_set *set_of(void)
{
	struct canary_set *set = NULL;
	char err[256];

	assert_int_equal(canary_set_new(list, strlen(list), &set, err, sizeof err), CANARY_OK);
	return set;
}

/* Feed in pieces of piece bytes (1: every boundary a split), return the hit for c, if any. */
static const struct scan_hit *scan_all(struct scan *sc, const struct strbuf *bytes, size_t piece,
				       const struct canary *c)
{
	size_t n;
	const struct scan_hit *hits;

	for (size_t i = 0; i < bytes->len; i += piece)
		scan_feed(sc, (const uint8_t *)bytes->s + i, bytes->len - i < piece ? bytes->len - i : piece);
	hits = scan_hits(sc, &n);
	for (size_t i = 0; i < n; i++)
		if (hits[i].canary == c)
			return &hits[i];
	return NULL;
}

static void test_hidden_canaries(void **state)
{
	struct canary_set *set = set_of();
	const struct canary *tok = canary_find(set, "tok");
	static const size_t pieces[] = {1, 7, 1460, 1 << 20};

	(void)state;
	for (size_t r = 0; r < sizeof rows / sizeof *rows; r++) {
		struct strbuf bytes = STRBUF_INIT(0);
		build(rows[r].kind, tok->value, &bytes);
		/* the old search: the bytes as sent, the first 16 KiB of them */
		/* (UTF-16 is found by canary_search itself now: its new needles are the fix) */
		if (rows[r].kind != B_UTF16 &&
		    canary_search(set, (const uint8_t *)bytes.s, bytes.len < 16384 ? bytes.len : 16384, NULL, NULL))
			fail_msg("%s: the bytes as sent already show the canary: not a hidden case", rows[r].name);
		for (size_t p = 0; p < sizeof pieces / sizeof *pieces; p++) {
			struct scan *sc = scan_new(set);
			const struct scan_hit *h;
			assert_non_null(sc);
			h = scan_all(sc, &bytes, pieces[p], tok);
			if (!h)
				fail_msg("%s (pieces of %zu): not found", rows[r].name, pieces[p]);
			assert_string_equal(h->encoding, rows[r].want_encoding);
			if (rows[r].want_layer || h->layer)
				assert_string_equal(h->layer ? h->layer : "(none)", rows[r].want_layer ? rows[r].want_layer : "(none)");
			assert_null(scan_problem(sc));
			scan_free(sc);
		}
		strbuf_free(&bytes);
	}
	canary_set_free(set);
}

/* The plain control: a token sent as it is is found by both. */
static void test_plain_body(void **state)
{
	struct canary_set *set = set_of();
	const struct canary *tok = canary_find(set, "tok");
	struct strbuf bytes = STRBUF_INIT(0);
	struct scan *sc = scan_new(set);

	(void)state;
	build(B_PLAIN, tok->value, &bytes);
	assert_non_null(scan_all(sc, &bytes, 5, tok));
	assert_null(scan_all(sc, &bytes, 5, canary_find(set, "fixed")));
	strbuf_free(&bytes);
	scan_free(sc);
	canary_set_free(set);
}

/* A committed gzip body (not made by zlib here), split anywhere. */
static void test_gzip_literal(void **state)
{
	struct canary_set *set = set_of();
	const struct canary *fixed = canary_find(set, "fixed");
	struct strbuf bytes = STRBUF_INIT(0);
	struct strbuf body = STRBUF_INIT(0);

	(void)state;
	strbuf_append(&body, (const char *)fixed_gzip, sizeof fixed_gzip);
	with_body(&bytes, "Content-Encoding: gzip\r\n", &body);
	for (size_t piece = 1; piece < 80; piece += 13) {
		struct scan *sc = scan_new(set);
		const struct scan_hit *h = scan_all(sc, &bytes, piece, fixed);
		assert_non_null(h);
		assert_string_equal(h->layer, "gzip body");
		scan_free(sc);
	}
	strbuf_free(&bytes);
	strbuf_free(&body);
	canary_set_free(set);
}

static void count_out(void *ctx, const uint8_t *p, size_t n)
{
	(void)p;
	*(uint64_t *)ctx += n;
}

/* A decompression bomb stops at the cap; a corrupt body and an unknown coding say so. */
static void test_body_limits(void **state)
{
	struct http_request req = {0};
	struct strbuf zeros = STRBUF_INIT(0), gz = STRBUF_INIT(0);
	uint64_t got = 0;
	struct http_body *b;
	bool done = false;

	(void)state;
	for (size_t i = 0; i < 1 << 20; i++)
		strbuf_putc(&zeros, '\0');
	zlib_encode(&gz, zeros.s, zeros.len, 15 + 16);
	req.has_content_length = true;
	req.content_length = gz.len;
	snprintf(req.content_encoding, sizeof req.content_encoding, "gzip");
	b = http_body_new(&req, 4096, count_out, &got);
	assert_int_equal(http_body_feed(b, (const uint8_t *)gz.s, gz.len, &done), gz.len);
	assert_true(done);
	assert_int_equal(got, 4096);
	assert_int_equal(http_body_status(b), DECODE_CAP);
	http_body_free(b);

	got = 0;
	gz.s[12] ^= 0x55; /* corrupt the deflate data */
	b = http_body_new(&req, 1 << 22, count_out, &got);
	http_body_feed(b, (const uint8_t *)gz.s, gz.len, &done);
	assert_int_equal(http_body_status(b), DECODE_MALFORMED);
	http_body_free(b);

	snprintf(req.content_encoding, sizeof req.content_encoding, "zstd");
	b = http_body_new(&req, 1 << 22, count_out, &got);
	assert_int_equal(http_body_status(b), DECODE_UNSUPPORTED);
	assert_string_equal(http_body_coding(b), "zstd");
	http_body_free(b);

	/* a chunk size that is not hex ends the body as malformed */
	memset(&req, 0, sizeof req);
	req.chunked = true;
	b = http_body_new(&req, 1 << 22, count_out, &got);
	http_body_feed(b, (const uint8_t *)"zz\r\nabc\r\n", 10, &done);
	assert_true(done);
	assert_int_equal(http_body_status(b), DECODE_MALFORMED);
	http_body_free(b);
	strbuf_free(&zeros);
	strbuf_free(&gz);
}

/* The streaming search finds a token across any split and keeps bounded memory. */
static void test_stream_split(void **state)
{
	struct canary_set *set = set_of();
	const struct canary *tok = canary_find(set, "tok");
	size_t n = strlen(tok->value);

	(void)state;
	for (size_t split = 1; split < n; split += 5) {
		struct canary_stream *cs = canary_stream_new(set);
		size_t found = 0;
		for (size_t i = 0; i < 3 * CANARY_STREAM_PIECE; i++)
			found += canary_stream_feed(cs, (const uint8_t *)"x", 1, NULL, NULL);
		found += canary_stream_feed(cs, (const uint8_t *)tok->value, split, NULL, NULL);
		found += canary_stream_feed(cs, (const uint8_t *)tok->value + split, n - split, NULL, NULL);
		found += canary_stream_feed(cs, (const uint8_t *)tok->value, n, NULL, NULL); /* once only */
		assert_int_equal(found, 1);
		canary_stream_free(cs);
	}
	canary_set_free(set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hidden_canaries), cmocka_unit_test(test_plain_body),
		cmocka_unit_test(test_gzip_literal),    cmocka_unit_test(test_body_limits),
		cmocka_unit_test(test_stream_split),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
