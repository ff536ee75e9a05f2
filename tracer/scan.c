/* scan: a client stream's canary search through the layers a thief can hide in: HTTP/1.1
 * framing and codings (RFC 9112, RFC 9110 section 8.4), WebSocket frames (RFC 6455
 * section 5), and JSON string escapes (RFC 8259 section 7). */
#include "tracer/scan.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "tracer/decode/http.h"
#include "tracer/decode/http_body.h"

/* A canary search over one view of the stream, and the same view with JSON escapes undone. */
struct lane {
	struct canary_stream *plain, *unescaped;
	const char *layer;          /* "gzip body", ...: of the plain view */
	/* a JSON escape split across pieces: "\u00" waiting for its last digits */
	char pending[6];
	size_t n_pending;
};

enum framing { FR_HEAD, FR_BODY, FR_WEBSOCKET, FR_OPAQUE };

struct scan {
	const struct canary_set *set;
	struct lane raw, decoded;   /* decoded: made when a message needs it */
	bool decoding;              /* the current message's bytes differ from the bytes sent */
	enum framing framing;
	uint8_t *head;              /* the request head being gathered, HTTP_HEAD_MAX bytes */
	size_t head_len;
	struct http_request req;
	struct http_body *body;
	bool websocket;             /* the head asked to upgrade to it */
	/* a WebSocket frame: its header gathered, then its payload unmasked */
	uint8_t ws_header[14];
	size_t ws_header_len;
	uint64_t ws_left;
	bool ws_in_payload;
	uint8_t ws_mask[4];
	uint64_t ws_at;
	uint64_t decoded_bytes;
	struct scan_hit hits[SCAN_HITS_MAX];
	size_t n_hits;
	const char *problem;
};

struct hit_ctx {
	struct scan *s;
	const char *layer;
};

static void on_hit(void *ctx, const struct canary *c, const char *encoding, size_t offset)
{
	struct hit_ctx *h = ctx;
	struct scan *s = h->s;

	(void)offset;
	for (size_t i = 0; i < s->n_hits; i++)
		if (s->hits[i].canary == c)
			return; /* once per connection, the first way it was seen */
	if (s->n_hits < SCAN_HITS_MAX)
		s->hits[s->n_hits++] = (struct scan_hit){c, encoding, h->layer, false};
}

static int hex_digit(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Undo \uXXXX and \/ (the escapes that hide a token's characters) into out; other bytes
 * are copied. A sequence cut at the end of p waits in the lane for the next piece.
 * Returns the bytes written (at most n + 6). */
static size_t unescape(struct lane *l, const uint8_t *p, size_t n, uint8_t *out)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++) {
		char c = (char)p[i];
		if (l->n_pending == 0 && c != '\\') {
			out[w++] = (uint8_t)c;
			continue;
		}
		l->pending[l->n_pending++] = c;
		if (l->n_pending == 2 && c != 'u') {
			/* "\/" is "/"; any other escape is kept as written */
			if (c == '/')
				out[w++] = '/';
			else
				memcpy(out + w, l->pending, 2), w += 2;
			l->n_pending = 0;
		} else if (l->n_pending > 2 && hex_digit(c) < 0) {
			memcpy(out + w, l->pending, l->n_pending);
			w += l->n_pending;
			l->n_pending = 0;
		} else if (l->n_pending == 6) {
			unsigned v = 0;
			for (int k = 2; k < 6; k++)
				v = v * 16 + (unsigned)hex_digit(l->pending[k]);
			out[w++] = v < 0x80 ? (uint8_t)v : (uint8_t)'?'; /* every canary is ASCII */
			l->n_pending = 0;
		}
	}
	return w;
}

static void lane_feed(struct scan *s, struct lane *l, const uint8_t *p, size_t n)
{
	struct hit_ctx plain = {s, l->layer}, json = {s, "json-escaped"};
	uint8_t out[4096 + 8];

	canary_stream_feed(l->plain, p, n, on_hit, &plain);
	if (l->n_pending == 0 && !memchr(p, '\\', n)) {
		/* nothing to undo: the unescaped view is these same bytes, searched just above;
		 * it needs only its tail, for an escape that comes later */
		size_t keep = canary_stream_keep(l->unescaped);
		if (n > keep) {
			p += n - keep;
			n = keep;
		}
		canary_stream_feed(l->unescaped, p, n, on_hit, &json);
		return;
	}
	while (n > 0) {
		size_t take = n < 4096 ? n : 4096;
		canary_stream_feed(l->unescaped, out, unescape(l, p, take, out), on_hit, &json);
		p += take;
		n -= take;
	}
}

static bool lane_init(struct lane *l, const struct canary_set *set, const char *layer)
{
	l->layer = layer;
	l->plain = canary_stream_new(set);
	l->unescaped = canary_stream_new(set);
	return l->plain && l->unescaped;
}

static void lane_free(struct lane *l)
{
	canary_stream_free(l->plain);
	canary_stream_free(l->unescaped);
}

static void set_problem(struct scan *s, const char *why)
{
	if (!s->problem)
		s->problem = why;
}

/* Decoded bytes of a body or a WebSocket message. */
static void decoded_out(void *ctx, const uint8_t *p, size_t n)
{
	struct scan *s = ctx;

	if (!s->decoding)
		return; /* a plain body: the raw lane saw these very bytes, in one run */
	s->decoded_bytes += n;
	lane_feed(s, &s->decoded, p, n);
}

/* The decoded lane, made the first time a message needs it. */
static bool start_decoding(struct scan *s, const char *layer)
{
	if (!s->decoded.plain && !lane_init(&s->decoded, s->set, layer)) {
		lane_free(&s->decoded);
		memset(&s->decoded, 0, sizeof s->decoded);
		set_problem(s, "out of memory while decoding an HTTP body");
		return s->decoding = false;
	}
	s->decoded.layer = layer;
	return s->decoding = true;
}

static const char *body_layer(const struct http_body *b, bool chunked)
{
	static const struct {
		const char *codings, *layer;
	} names[] = {{"gzip", "gzip body"}, {"deflate", "deflate body"}, {"br", "brotli body"}};

	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (!strcmp(http_body_codings(b), names[i].codings))
			return names[i].layer;
	if (http_body_codings(b)[0])
		return "body under several codings";
	return chunked ? "chunked body" : "body";
}

static void body_problem(struct scan *s)
{
	switch (http_body_status(s->body)) {
	case DECODE_UNSUPPORTED:
		set_problem(s, "an HTTP body in a coding that is not decoded (searched as sent)");
		break;
	case DECODE_MALFORMED:
		set_problem(s, "an HTTP body whose chunks or compressed data are corrupt (searched up to there)");
		break;
	case DECODE_CAP:
		set_problem(s, "over 64 MiB of decoded HTTP bodies (the rest searched as sent)");
		break;
	case DECODE_NOMEM:
		set_problem(s, "out of memory while decoding an HTTP body");
		break;
	default:
		break;
	}
}

static bool is_websocket(const struct http_request *r)
{
	return !strcasecmp(r->upgrade, "websocket");
}

/* A complete request head is in s->head: set up its body. Returns the head's length, or 0
 * when the stream is not HTTP/1.x (or the head is too long) and stays opaque. */
static size_t start_body(struct scan *s, bool *wait)
{
	enum decode_status st = http_parse_request(s->head, s->head_len, &s->req);
	uint64_t room = SCAN_DECODED_MAX > s->decoded_bytes ? SCAN_DECODED_MAX - s->decoded_bytes : 0;

	*wait = st == DECODE_TRUNCATED;
	if (st != DECODE_OK) {
		if (st == DECODE_CAP)
			set_problem(s, "an HTTP request head over 16 KiB (searched as sent)");
		return 0;
	}
	s->websocket = is_websocket(&s->req);
	http_body_free(s->body);
	s->body = http_body_new(&s->req, room, decoded_out, s);
	if (!s->body) {
		set_problem(s, "out of memory while decoding an HTTP body");
		return 0;
	}
	s->decoding = false;
	if ((s->req.chunked || http_body_codings(s->body)[0]) && http_body_status(s->body) == DECODE_OK)
		start_decoding(s, body_layer(s->body, s->req.chunked));
	return s->req.head_len;
}

/* Gather a head; once whole, what follows it is the body. Returns the bytes of p used. */
static size_t feed_head(struct scan *s, const uint8_t *p, size_t n)
{
	size_t take = n < HTTP_HEAD_MAX - s->head_len ? n : HTTP_HEAD_MAX - s->head_len;
	size_t before = s->head_len, head;
	bool wait;

	memcpy(s->head + s->head_len, p, take);
	s->head_len += take;
	head = start_body(s, &wait);
	if (!head) {
		if (!wait || s->head_len == HTTP_HEAD_MAX)
			s->framing = FR_OPAQUE;
		return take;
	}
	s->head_len = 0;
	s->framing = FR_BODY;
	return head - before;
}

static size_t feed_body(struct scan *s, const uint8_t *p, size_t n)
{
	bool done = false;
	size_t used = http_body_feed(s->body, p, n, &done);

	if (!done)
		return used;
	body_problem(s);
	s->framing = s->websocket ? FR_WEBSOCKET : FR_HEAD;
	if (s->websocket)
		start_decoding(s, "websocket");
	return used;
}

/* RFC 6455 section 5.2: the header's length (2 to 14 bytes), once enough of it is here. */
static size_t ws_header_size(const uint8_t *h, size_t have)
{
	size_t len = 2;

	if (have < 2)
		return 0;
	len += (h[1] & 0x7f) == 126 ? 2 : (h[1] & 0x7f) == 127 ? 8 : 0;
	len += h[1] & 0x80 ? 4 : 0;
	return len;
}

static void ws_start_frame(struct scan *s)
{
	const uint8_t *h = s->ws_header;
	size_t at = 2;
	uint64_t len = h[1] & 0x7f;

	if (len == 126) {
		len = (uint64_t)h[2] << 8 | h[3];
		at = 4;
	} else if (len == 127) {
		len = 0;
		for (int i = 0; i < 8; i++)
			len = len << 8 | h[2 + i];
		at = 10;
	}
	memset(s->ws_mask, 0, sizeof s->ws_mask);
	if (h[1] & 0x80)
		memcpy(s->ws_mask, h + at, 4);
	if (h[0] & 0x40) /* RSV1: permessage-deflate (RFC 7692) */
		set_problem(s, "WebSocket messages compressed with permessage-deflate (searched as sent)");
	s->ws_left = len;
	s->ws_at = 0;
}

/* Client frames are always masked (RFC 6455 section 5.3): unmask, then search. */
static size_t feed_websocket(struct scan *s, const uint8_t *p, size_t n)
{
	size_t used = 0;

	while (used < n) {
		uint8_t out[4096];
		size_t take, need;
		if (!s->ws_in_payload) {
			s->ws_header[s->ws_header_len++] = p[used++];
			need = ws_header_size(s->ws_header, s->ws_header_len);
			if (need && s->ws_header_len == need) {
				ws_start_frame(s);
				s->ws_header_len = 0;
				s->ws_in_payload = s->ws_left > 0;
			}
			continue;
		}
		take = n - used < sizeof out ? n - used : sizeof out;
		if (take > s->ws_left)
			take = (size_t)s->ws_left;
		for (size_t i = 0; i < take; i++)
			out[i] = p[used + i] ^ s->ws_mask[(s->ws_at + i) & 3];
		if (s->decoded_bytes < SCAN_DECODED_MAX)
			decoded_out(s, out, take);
		used += take;
		s->ws_at += take;
		s->ws_left -= take;
		s->ws_in_payload = s->ws_left > 0;
	}
	return used;
}

void scan_feed(struct scan *s, const uint8_t *p, size_t n)
{
	if (!s)
		return;
	lane_feed(s, &s->raw, p, n);
	while (n > 0 && s->framing != FR_OPAQUE) {
		size_t used = s->framing == FR_HEAD ? feed_head(s, p, n)
			      : s->framing == FR_BODY ? feed_body(s, p, n)
						      : feed_websocket(s, p, n);
		p += used;
		n -= used;
	}
}

struct scan *scan_new(const struct canary_set *set)
{
	struct scan *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->set = set;
	s->head = malloc(HTTP_HEAD_MAX);
	if (!s->head || !lane_init(&s->raw, set, NULL)) {
		scan_free(s);
		return NULL;
	}
	return s;
}

void scan_free(struct scan *s)
{
	if (!s)
		return;
	lane_free(&s->raw);
	lane_free(&s->decoded);
	http_body_free(s->body);
	free(s->head);
	free(s);
}

const struct scan_hit *scan_hits(const struct scan *s, size_t *n)
{
	*n = s ? s->n_hits : 0;
	return s ? s->hits : NULL;
}

const char *scan_problem(const struct scan *s)
{
	return s ? s->problem : NULL;
}
