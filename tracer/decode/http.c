/* http: HTTP/1.x requests (RFC 9112: request line, header fields, the start of the body), and DNS-over-HTTPS (RFC 8484). */
#include "tracer/decode/http.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* RFC 9110 section 5.6.2: tchar. */
static bool tchar(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* A line of the head, without its CRLF (or bare LF, RFC 9112 section 2.2). */
struct line {
	const uint8_t *p;
	size_t len;
};

static bool next_line(struct reader *r, struct line *line)
{
	const uint8_t *start = r->p + r->off;
	const uint8_t *nl = memchr(start, '\n', reader_left(r));
	if (!nl)
		return false;
	line->p = start;
	line->len = (size_t)(nl - start);
	if (line->len && start[line->len - 1] == '\r')
		line->len--;
	reader_skip(r, (size_t)(nl - start) + 1);
	return true;
}

/* The method must read as a token then SP from the first byte on, so that TLS
 * or other binary protocols are refused without waiting for a whole head. */
static enum decode_status method_prefix(const uint8_t *p, size_t len)
{
	size_t i = 0;
	while (i < len && i < HTTP_METHOD_MAX && tchar(p[i]))
		i++;
	if (i == len)
		return len < HTTP_METHOD_MAX ? DECODE_TRUNCATED : DECODE_MALFORMED;
	return i > 0 && p[i] == ' ' ? DECODE_OK : DECODE_MALFORMED;
}

/* RFC 9112 section 3: method SP request-target SP HTTP-version. */
static enum decode_status request_line(const struct line *l, struct http_request *out)
{
	const uint8_t *sp1 = memchr(l->p, ' ', l->len);
	if (!sp1 || sp1 == l->p || (size_t)(sp1 - l->p) >= HTTP_METHOD_MAX)
		return DECODE_MALFORMED;
	size_t mlen = (size_t)(sp1 - l->p);
	for (size_t i = 0; i < mlen; i++)
		if (!tchar(l->p[i]))
			return DECODE_MALFORMED;
	memcpy(out->method, l->p, mlen);
	out->method[mlen] = '\0';
	const uint8_t *target = sp1 + 1, *end = l->p + l->len;
	const uint8_t *sp2 = memchr(target, ' ', (size_t)(end - target));
	if (!sp2 || sp2 == target)
		return DECODE_MALFORMED;
	for (const uint8_t *c = target; c < sp2; c++)
		if (*c < 0x21 || *c == 0x7f)
			return DECODE_MALFORMED;
	if (!reader_escape(target, (size_t)(sp2 - target), out->target, sizeof out->target))
		out->capped = true;
	size_t vlen = (size_t)(end - sp2 - 1);
	const uint8_t *v = sp2 + 1;
	if (vlen != 8 || memcmp(v, "HTTP/", 5) != 0 || v[6] != '.' || v[5] < '0' || v[5] > '9' ||
	    v[7] < '0' || v[7] > '9')
		return DECODE_MALFORMED;
	out->version_minor = v[7] - '0';
	return v[5] == '1' ? DECODE_OK : DECODE_UNSUPPORTED;
}

/* Header fields kept as text, by lower-case name. */
struct kept_field {
	const char *name;
	size_t offset;
};

static const struct kept_field kept_fields[] = {
	{"host", offsetof(struct http_request, host)},
	{"user-agent", offsetof(struct http_request, user_agent)},
	{"content-type", offsetof(struct http_request, content_type)},
	{"accept", offsetof(struct http_request, accept)},
	{"content-encoding", offsetof(struct http_request, content_encoding)},
	{"transfer-encoding", offsetof(struct http_request, transfer_encoding)},
	{"upgrade", offsetof(struct http_request, upgrade)},
};

static bool name_is(const uint8_t *name, size_t len, const char *want)
{
	return strlen(want) == len && strncasecmp((const char *)name, want, len) == 0;
}

/* RFC 9112 section 6.3: 1*DIGIT, the same value if repeated. */
static enum decode_status content_length(const uint8_t *v, size_t n, struct http_request *out)
{
	uint64_t value = 0;
	if (n == 0 || n > 18)
		return DECODE_MALFORMED;
	for (size_t i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return DECODE_MALFORMED;
		value = value * 10 + (uint64_t)(v[i] - '0');
	}
	if (out->has_content_length && out->content_length != value)
		return DECODE_MALFORMED;
	out->has_content_length = true;
	out->content_length = value;
	return DECODE_OK;
}

/* RFC 9112 section 5.1: field-name ":" OWS field-value OWS. */
static enum decode_status header_field(const struct line *l, struct http_request *out)
{
	const uint8_t *colon = memchr(l->p, ':', l->len);
	if (!colon || colon == l->p)
		return DECODE_MALFORMED; /* obs-fold lines start with whitespace: refused too */
	size_t nlen = (size_t)(colon - l->p);
	for (size_t i = 0; i < nlen; i++)
		if (!tchar(l->p[i]))
			return DECODE_MALFORMED;
	const uint8_t *v = colon + 1, *end = l->p + l->len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	size_t vlen = (size_t)(end - v);
	out->n_headers++;
	if (name_is(l->p, nlen, "content-length"))
		return content_length(v, vlen, out);
	if (name_is(l->p, nlen, "transfer-encoding") && vlen >= 7 &&
	    strncasecmp((const char *)end - 7, "chunked", 7) == 0)
		out->chunked = true;
	if (name_is(l->p, nlen, "host")) {
		if (out->has_host)
			return DECODE_MALFORMED; /* RFC 9112 section 3.2 */
		out->has_host = true;
	}
	for (size_t i = 0; i < sizeof kept_fields / sizeof kept_fields[0]; i++) {
		if (!name_is(l->p, nlen, kept_fields[i].name))
			continue;
		char *dst = (char *)out + kept_fields[i].offset;
		if (!reader_escape(v, vlen, dst, HTTP_VALUE_MAX))
			out->capped = true;
	}
	return DECODE_OK;
}

static bool media_type_is(const char *value, const char *want)
{
	size_t n = strlen(want);
	return strncasecmp(value, want, n) == 0 && (value[n] == '\0' || value[n] == ';' || value[n] == ' ');
}

/* RFC 8484 section 4.1: the conventional /dns-query path and the media type;
 * application/dns-json is the JSON API some public resolvers also serve. */
static bool is_doh(const struct http_request *req)
{
	const char *path = req->target;
	const char *scheme_end = strstr(path, "://");
	if (scheme_end) /* absolute-form */
		path = strchr(scheme_end + 3, '/') ? strchr(scheme_end + 3, '/') : "";
	size_t n = strlen("/dns-query");
	if (strncmp(path, "/dns-query", n) == 0 && (path[n] == '\0' || path[n] == '?' || path[n] == '/'))
		return true;
	return media_type_is(req->content_type, "application/dns-message") ||
	       media_type_is(req->accept, "application/dns-message") ||
	       media_type_is(req->accept, "application/dns-json");
}

static void body(const uint8_t *p, size_t len, struct http_request *out)
{
	size_t present = len - out->head_len;
	uint64_t declared = out->has_content_length ? out->content_length : 0;
	if (out->chunked) /* the chunk framing is kept: canaries are searched in it as is */
		declared = present;
	size_t n = present < declared ? present : (size_t)declared;
	out->body_complete = !out->chunked && present >= declared;
	out->body = p + out->head_len;
	out->body_len = n < HTTP_BODY_MAX ? n : HTTP_BODY_MAX;
}

enum decode_status http_parse_request(const uint8_t *p, size_t len, struct http_request *out)
{
	memset(out, 0, sizeof *out);
	enum decode_status st = method_prefix(p, len);
	if (st != DECODE_OK)
		return st;
	struct reader r = reader_init(p, len < HTTP_HEAD_MAX ? len : HTTP_HEAD_MAX);
	struct line l;
	if (!next_line(&r, &l))
		return len < HTTP_HEAD_MAX ? DECODE_TRUNCATED : DECODE_CAP;
	st = request_line(&l, out);
	if (st != DECODE_OK)
		return st;
	for (;;) {
		if (!next_line(&r, &l))
			return len < HTTP_HEAD_MAX ? DECODE_TRUNCATED : DECODE_CAP;
		if (l.len == 0)
			break;
		st = header_field(&l, out);
		if (st != DECODE_OK)
			return st;
	}
	out->head_len = r.off;
	out->doh = is_doh(out);
	body(p, len, out);
	return DECODE_OK;
}
