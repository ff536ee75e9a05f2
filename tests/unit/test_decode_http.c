/* decode_http: HTTP/1.x request heads and body starts from byte literals, DNS-over-HTTPS, cut and broken requests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "tracer/decode/http.h"

#define BYTES(s) s, sizeof(s) - 1

#define GET_NODE                                                                                           \
	"GET /v1/items?q=1 HTTP/1.1\r\nHost: api.example.com\r\nUser-Agent: node\r\nAccept: */*\r\n"          \
	"Connection: keep-alive\r\n\r\n"
#define POST_JSON                                                                                          \
	"POST /collect HTTP/1.1\r\nhost: t.example.net:8080\r\ncontent-type: application/json\r\n"            \
	"Content-Length: 14\r\n\r\n{\"k\":\"secret\"}"
#define DOH_POST                                                                                           \
	"POST /dns-query HTTP/1.1\r\nHost: dns.example\r\nContent-Type: application/dns-message\r\n"          \
	"Content-Length: 4\r\n\r\n\x12\x34\x01\x20"

struct http_case {
	const char *name;
	const char *bytes;
	size_t len;
	enum decode_status status;
	const char *method, *target, *host, *user_agent, *content_type;
	const char *body;
	bool body_complete, doh;
};

static const struct http_case http_cases[] = {
	{"GET from node", BYTES(GET_NODE), DECODE_OK, "GET", "/v1/items?q=1", "api.example.com", "node", "", "", true,
	 false},
	{"POST with a JSON body", BYTES(POST_JSON), DECODE_OK, "POST", "/collect", "t.example.net:8080", "",
	 "application/json", "{\"k\":\"secret\"}", true, false},
	{"body not all here yet", BYTES("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc"), DECODE_OK,
	 "POST", "/x", "a", "", "", "abc", false, false},
	{"bytes past the body are the next request",
	 BYTES("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nabGET / HTTP/1.1\r\n"), DECODE_OK, "POST",
	 "/x", "a", "", "", "ab", true, false},
	{"bare LF line ends, HTTP/1.0, no Host", BYTES("GET / HTTP/1.0\nUser-Agent: curl/8.5.0\n\n"), DECODE_OK,
	 "GET", "/", "", "curl/8.5.0", "", "", true, false},
	{"absolute-form target through a proxy",
	 BYTES("GET http://other.example/dns-query?dns=AAAB HTTP/1.1\r\nHost: other.example\r\n\r\n"), DECODE_OK,
	 "GET", "http://other.example/dns-query?dns=AAAB", "other.example", "", "", "", true, true},
	{"CONNECT", BYTES("CONNECT api.example.com:443 HTTP/1.1\r\nHost: api.example.com:443\r\n\r\n"), DECODE_OK,
	 "CONNECT", "api.example.com:443", "api.example.com:443", "", "", "", true, false},
	{"DoH POST", BYTES(DOH_POST), DECODE_OK, "POST", "/dns-query", "dns.example", "", "application/dns-message",
	 "\x12\x34\x01\x20", true, true},
	{"DoH GET", BYTES("GET /dns-query?dns=q80BAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB HTTP/1.1\r\nHost: d\r\n"
			  "Accept: application/dns-message\r\n\r\n"),
	 DECODE_OK, "GET", "/dns-query?dns=q80BAAABAAAAAAAAA3d3dwdleGFtcGxlA2NvbQAAAQAB", "d", "", "", "", true, true},
	{"JSON DNS API", BYTES("GET /resolve?name=x.example&type=A HTTP/1.1\r\nHost: d\r\nAccept: application/dns-json\r\n\r\n"),
	 DECODE_OK, "GET", "/resolve?name=x.example&type=A", "d", "", "", "", true, true},
	{"/dns-query-like path is not DoH", BYTES("GET /dns-queryx HTTP/1.1\r\nHost: d\r\n\r\n"), DECODE_OK, "GET",
	 "/dns-queryx", "d", "", "", "", true, false},
	{"unprintable bytes in a value", BYTES("GET / HTTP/1.1\r\nHost: a\x01" "b\r\n\r\n"), DECODE_OK, "GET", "/",
	 "a\\x01b", "", "", "", true, false},
	{"chunked body kept with its framing",
	 BYTES("POST /u HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"), DECODE_OK,
	 "POST", "/u", "a", "", "", "3\r\nabc\r\n0\r\n\r\n", false, false},
	{"HTTP/2 preface", BYTES("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"), DECODE_UNSUPPORTED, NULL, NULL, NULL, NULL, NULL,
	 NULL, false, false},
	{"TLS", BYTES("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"), DECODE_MALFORMED, NULL, NULL, NULL, NULL, NULL,
	 NULL, false, false},
	{"SSH banner", BYTES("SSH-2.0-OpenSSH_9.6\r\n"), DECODE_MALFORMED, NULL, NULL, NULL, NULL, NULL, NULL, false,
	 false},
	{"empty line first", BYTES("\r\nGET / HTTP/1.1\r\n\r\n"), DECODE_MALFORMED, NULL, NULL, NULL, NULL, NULL, NULL,
	 false, false},
	{"no version", BYTES("GET /\r\n\r\n"), DECODE_MALFORMED, NULL, NULL, NULL, NULL, NULL, NULL, false, false},
	{"two spaces", BYTES("GET  / HTTP/1.1\r\n\r\n"), DECODE_MALFORMED, NULL, NULL, NULL, NULL, NULL, NULL, false,
	 false},
	{"lower-case version", BYTES("GET / http/1.1\r\n\r\n"), DECODE_MALFORMED, NULL, NULL, NULL, NULL, NULL, NULL,
	 false, false},
	{"obs-fold", BYTES("GET / HTTP/1.1\r\nHost: a\r\n b\r\n\r\n"), DECODE_MALFORMED, NULL, NULL, NULL, NULL, NULL,
	 NULL, false, false},
	{"space before the colon", BYTES("GET / HTTP/1.1\r\nHost : a\r\n\r\n"), DECODE_MALFORMED, NULL, NULL, NULL,
	 NULL, NULL, NULL, false, false},
	{"two Host fields", BYTES("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"), DECODE_MALFORMED, NULL, NULL, NULL,
	 NULL, NULL, NULL, false, false},
	{"conflicting Content-Length", BYTES("POST / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab"),
	 DECODE_MALFORMED, NULL, NULL, NULL, NULL, NULL, NULL, false, false},
	{"negative Content-Length", BYTES("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n"), DECODE_MALFORMED, NULL,
	 NULL, NULL, NULL, NULL, NULL, false, false},
	{"method over 31 bytes", BYTES("ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFG / HTTP/1.1\r\n\r\n"), DECODE_MALFORMED, NULL,
	 NULL, NULL, NULL, NULL, NULL, false, false},
	{"head not finished", BYTES("GET / HTTP/1.1\r\nHost: a\r\n"), DECODE_TRUNCATED, NULL, NULL, NULL, NULL, NULL,
	 NULL, false, false},
	{"nothing", BYTES(""), DECODE_TRUNCATED, NULL, NULL, NULL, NULL, NULL, NULL, false, false},
};

static void check_field(const char *name, const char *what, const char *got, const char *want)
{
	if (strcmp(got, want) != 0)
		fail_msg("%s: %s \"%s\", want \"%s\"", name, what, got, want);
}

static void test_http_table(void **state)
{
	static struct http_request req;
	(void)state;
	for (size_t i = 0; i < sizeof http_cases / sizeof http_cases[0]; i++) {
		const struct http_case *c = &http_cases[i];
		enum decode_status st = http_parse_request((const uint8_t *)c->bytes, c->len, &req);
		if (st != c->status)
			fail_msg("%s: status %d, want %d", c->name, st, c->status);
		if (st != DECODE_OK)
			continue;
		check_field(c->name, "method", req.method, c->method);
		check_field(c->name, "target", req.target, c->target);
		check_field(c->name, "host", req.host, c->host);
		check_field(c->name, "user-agent", req.user_agent, c->user_agent);
		check_field(c->name, "content-type", req.content_type, c->content_type);
		if (req.body_len != strlen(c->body) || memcmp(req.body, c->body, req.body_len) != 0)
			fail_msg("%s: body of %zu bytes differs", c->name, req.body_len);
		if (req.body_complete != c->body_complete || req.doh != c->doh)
			fail_msg("%s: body_complete %d doh %d", c->name, req.body_complete, req.doh);
	}
}

static void test_http_pipelined(void **state)
{
	static const uint8_t two[] = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nxyGET /b HTTP/1.1\r\n"
				     "Host: h\r\n\r\n";
	static struct http_request req;
	(void)state;
	assert_int_equal(http_parse_request(two, sizeof two - 1, &req), DECODE_OK);
	size_t next = req.head_len + (size_t)req.content_length;
	assert_int_equal(http_parse_request(two + next, sizeof two - 1 - next, &req), DECODE_OK);
	assert_string_equal(req.target, "/b");
	assert_int_equal(req.n_headers, 1);
}

static void test_http_caps(void **state)
{
	static struct http_request req;
	size_t n = HTTP_HEAD_MAX + 100;
	uint8_t *big = malloc(n);
	(void)state;
	assert_non_null(big);
	/* a head that never ends */
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	memset(big + 19, 'a', n - 19);
	assert_int_equal(http_parse_request(big, n, &req), DECODE_CAP);
	assert_int_equal(http_parse_request(big, HTTP_HEAD_MAX - 1, &req), DECODE_TRUNCATED);
	/* a long target is cut; a long body is given back up to HTTP_BODY_MAX */
	memset(big, 'a', n);
	memcpy(big, "GET /", 5);
	memcpy(big + 3000, " HTTP/1.1\r\nContent-Length: 99999\r\n\r\n", 37);
	assert_int_equal(http_parse_request(big, n, &req), DECODE_OK);
	assert_true(req.capped);
	assert_int_equal(strlen(req.target), HTTP_TARGET_MAX - 1);
	assert_int_equal(req.body_len, HTTP_BODY_MAX);
	assert_false(req.body_complete);
	free(big);
}

/* Every strict prefix of a valid request wants more bytes; every prefix of any
 * case stays in bounds (exact-size copies, for ASan). */
static void test_every_prefix(void **state)
{
	static struct http_request req;
	(void)state;
	for (size_t i = 0; i < sizeof http_cases / sizeof http_cases[0]; i++) {
		const struct http_case *c = &http_cases[i];
		for (size_t n = 0; n < c->len; n++) {
			uint8_t *copy = malloc(n ? n : 1);
			assert_non_null(copy);
			memcpy(copy, c->bytes, n);
			enum decode_status st = http_parse_request(copy, n, &req);
			if (st == DECODE_OK)
				assert_true(req.body + req.body_len <= copy + n);
			free(copy);
			if (c->status == DECODE_OK && st != DECODE_TRUNCATED && st != DECODE_OK)
				fail_msg("%s: prefix of %zu bytes: status %d", c->name, n, st);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_http_table),
		cmocka_unit_test(test_http_pipelined),
		cmocka_unit_test(test_http_caps),
		cmocka_unit_test(test_every_prefix),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
