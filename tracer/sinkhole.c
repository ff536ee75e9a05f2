/* sinkhole: classifying and delimiting the first bytes a client sends to a sinkhole
 * (HTTP/1.1 message framing, RFC 9112 sections 2, 6 and 7.1; TLS records, RFC 8446 5.1). */
#include "tracer/sinkhole.h"

#include <string.h>

#define MAX_CONTENT_LENGTH (1u << 30)
#define MAX_CHUNK_DIGITS 8

const char sinkhole_http_response[] = "HTTP/1.1 200 OK\r\n"
				      "Content-Type: application/json\r\n"
				      "Content-Length: 2\r\n"
				      "Connection: close\r\n"
				      "\r\n"
				      "{}";
const char sinkhole_http_continue[] = "HTTP/1.1 100 Continue\r\n\r\n";

static const char *const http_methods[] = {
	"GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ",
};

static const uint16_t default_ports[] = {
	80, 443, 8080, 8443, 8000, 8888, 3000, 5000, 9000, 4444, 21, 22, 25, 465, 587, 3306, 5432, 6379, 27017,
};

/* Servers that speak first: without a greeting their clients never send a byte. */
static const struct {
	uint16_t port;
	const char *banner;
} banners[] = {
	{21, "220 FTP server ready\r\n"},
	{22, "SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3\r\n"},
	{25, "220 mail.localdomain ESMTP Postfix\r\n"},
	{587, "220 mail.localdomain ESMTP Postfix\r\n"},
};

static const char *const protocol_names[] = {
	[SINKHOLE_UNKNOWN] = "unknown",
	[SINKHOLE_HTTP] = "http",
	[SINKHOLE_TLS] = "tls",
	[SINKHOLE_OTHER] = "other",
};

static char lower(uint8_t c)
{
	return (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
}

/* Whether p[0, len) starts with lit (lower case), ignoring case. */
static bool starts_with_ci(const uint8_t *p, size_t len, const char *lit)
{
	size_t n = strlen(lit);
	if (len < n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(p[i]) != lit[i])
			return false;
	return true;
}

enum sinkhole_protocol sinkhole_classify(const uint8_t *p, size_t len)
{
	bool maybe = false;

	if (len == 0)
		return SINKHOLE_UNKNOWN;
	if (p[0] == 0x16)
		return len < 2 ? SINKHOLE_UNKNOWN : p[1] == 0x03 ? SINKHOLE_TLS : SINKHOLE_OTHER;
	for (size_t i = 0; i < sizeof http_methods / sizeof http_methods[0]; i++) {
		size_t n = strlen(http_methods[i]);
		if (len >= n && memcmp(p, http_methods[i], n) == 0)
			return SINKHOLE_HTTP;
		if (len < n && memcmp(p, http_methods[i], len) == 0)
			maybe = true;
	}
	return maybe ? SINKHOLE_UNKNOWN : SINKHOLE_OTHER;
}

const char *sinkhole_protocol_name(enum sinkhole_protocol proto)
{
	return (unsigned)proto < sizeof protocol_names / sizeof protocol_names[0] ? protocol_names[proto]
										     : "unknown";
}

/* The offset just past the blank line that ends the header, or 0 when there is none yet. */
static size_t header_end(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i + 1] == '\n')
			return i + 2;
		if (p[i + 1] == '\r' && i + 2 < len && p[i + 2] == '\n')
			return i + 3;
	}
	return 0;
}

/* Parse a decimal Content-Length value (spaces around allowed). Returns false when bad. */
static bool parse_length(const uint8_t *v, size_t n, size_t *out)
{
	size_t i = 0, value = 0, digits = 0;

	while (i < n && (v[i] == ' ' || v[i] == '\t'))
		i++;
	for (; i < n && v[i] >= '0' && v[i] <= '9'; i++, digits++) {
		value = value * 10 + (size_t)(v[i] - '0');
		if (value > MAX_CONTENT_LENGTH)
			return false;
	}
	while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r'))
		i++;
	*out = value;
	return digits > 0 && i == n;
}

/* Whether a header value contains word (lower case), ignoring case. */
static bool value_has(const uint8_t *v, size_t n, const char *word)
{
	for (size_t i = 0; i < n; i++)
		if (starts_with_ci(v + i, n - i, word))
			return true;
	return false;
}

/* Walk the chunked body starting at p[0]; *end is set past the last chunk's trailer.
 * Returns COMPLETE, MORE or BAD. */
static enum sinkhole_http_status chunked_end(const uint8_t *p, size_t len, size_t *end)
{
	size_t pos = 0;

	for (;;) {
		size_t size = 0, digits = 0;
		for (; pos < len; pos++, digits++) {
			uint8_t c = p[pos];
			int d = c >= '0' && c <= '9' ? c - '0' : lower(c) >= 'a' && lower(c) <= 'f' ? lower(c) - 'a' + 10 : -1;
			if (d < 0)
				break;
			if (digits == MAX_CHUNK_DIGITS)
				return SINKHOLE_HTTP_BAD;
			size = size * 16 + (size_t)d;
		}
		if (pos == len)
			return SINKHOLE_HTTP_MORE;
		if (digits == 0 || size > MAX_CONTENT_LENGTH)
			return SINKHOLE_HTTP_BAD;
		const uint8_t *nl = memchr(p + pos, '\n', len - pos); /* chunk extensions are skipped */
		if (!nl)
			return SINKHOLE_HTTP_MORE;
		pos = (size_t)(nl - p) + 1;
		if (size == 0) {
			size_t t = header_end(p + pos - 1, len - pos + 1); /* trailers end at a blank line */
			if (t == 0)
				return SINKHOLE_HTTP_MORE;
			*end = pos - 1 + t;
			return SINKHOLE_HTTP_COMPLETE;
		}
		if (len - pos < size + 2)
			return SINKHOLE_HTTP_MORE;
		pos += size;
		pos += p[pos] == '\r' ? 2 : 1;
	}
}

enum sinkhole_http_status sinkhole_http_parse(const uint8_t *p, size_t len, struct sinkhole_http_request *req)
{
	size_t body = 0, line, chunk_end;
	bool chunked = false, have_length = false;

	memset(req, 0, sizeof *req);
	req->header_len = header_end(p, len);
	if (req->header_len == 0)
		return SINKHOLE_HTTP_MORE;
	line = (size_t)((const uint8_t *)memchr(p, '\n', len) - p) + 1; /* past the request line */
	while (line < req->header_len) {
		const uint8_t *l = p + line;
		size_t n = (size_t)((const uint8_t *)memchr(l, '\n', req->header_len - line) - l);
		const uint8_t *colon = memchr(l, ':', n);
		line += n + 1;
		if (!colon)
			continue;
		const uint8_t *v = colon + 1;
		size_t vn = n - (size_t)(v - l);
		if (starts_with_ci(l, n, "content-length:")) {
			if (!parse_length(v, vn, &body))
				return SINKHOLE_HTTP_BAD;
			have_length = true;
		} else if (starts_with_ci(l, n, "transfer-encoding:")) {
			chunked = value_has(v, vn, "chunked");
		} else if (starts_with_ci(l, n, "expect:")) {
			req->expect_continue = value_has(v, vn, "100-continue");
		} else if (starts_with_ci(l, n, "connection:")) {
			req->close = value_has(v, vn, "close");
		}
	}
	if (chunked) { /* RFC 9112 6.3: chunked wins over Content-Length */
		enum sinkhole_http_status st = chunked_end(p + req->header_len, len - req->header_len, &chunk_end);
		if (st == SINKHOLE_HTTP_BAD)
			return st;
		if (st == SINKHOLE_HTTP_MORE)
			return SINKHOLE_HTTP_HEADERS;
		req->total_len = req->header_len + chunk_end;
		return SINKHOLE_HTTP_COMPLETE;
	}
	req->total_len = req->header_len + (have_length ? body : 0);
	return len >= req->total_len ? SINKHOLE_HTTP_COMPLETE : SINKHOLE_HTTP_HEADERS;
}

size_t sinkhole_tls_record_len(const uint8_t *p, size_t len)
{
	if (len < 5)
		return 0;
	return 5 + ((size_t)p[3] << 8 | p[4]);
}

const char *sinkhole_banner(uint16_t port)
{
	for (size_t i = 0; i < sizeof banners / sizeof banners[0]; i++)
		if (banners[i].port == port)
			return banners[i].banner;
	return NULL;
}

const uint16_t *sinkhole_default_ports(size_t *count)
{
	*count = sizeof default_ports / sizeof default_ports[0];
	return default_ports;
}
