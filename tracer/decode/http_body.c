/* http_body: de-chunking (RFC 9112 section 7.1) and content codings (RFC 9110 section
 * 8.4.1.2 deflate is zlib's format, RFC 1950, though some send raw RFC 1951; 8.4.1.3 gzip,
 * RFC 1952, possibly several members; RFC 7932 br), each a streaming stage feeding the next. */
#include "tracer/decode/http_body.h"

#include <brotli/decode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#define OUT_PIECE 16384
#define CHUNK_LINE_MAX 1024 /* chunk-size, extensions and trailer lines */

enum coding { CODING_GZIP, CODING_DEFLATE, CODING_BR };

struct stage {
	enum coding coding;
	bool started, ended;
	uint8_t first[2]; /* deflate: the bytes that tell zlib's format from raw */
	size_t n_first;
	z_stream z;
	BrotliDecoderState *br;
};

enum chunk_state { CH_SIZE, CH_DATA, CH_DATA_CRLF, CH_TRAILER, CH_DONE };

struct http_body {
	http_body_out_fn out;
	void *ctx;
	uint64_t cap, given;
	enum decode_status status;
	char bad_coding[32];
	char codings[64];
	/* framing */
	bool chunked;
	uint64_t left;          /* Content-Length bytes still to come, or of this chunk */
	enum chunk_state ch;
	char line[CHUNK_LINE_MAX];
	size_t line_len;
	/* decoding, last applied first */
	struct stage stages[HTTP_BODY_CODINGS_MAX];
	size_t n_stages;
};

static void problem(struct http_body *b, enum decode_status st)
{
	if (b->status == DECODE_OK)
		b->status = st;
}

/* The decoded end of the pipeline: hand out, up to the cap. */
static void give(struct http_body *b, const uint8_t *p, size_t n)
{
	if (b->given >= b->cap) {
		if (n)
			problem(b, DECODE_CAP);
		return;
	}
	if (n > b->cap - b->given) {
		n = (size_t)(b->cap - b->given);
		problem(b, DECODE_CAP);
	}
	b->given += n;
	if (n)
		b->out(b->ctx, p, n);
}

static void run_stage(struct http_body *b, size_t i, const uint8_t *p, size_t n);

static void pass_on(struct http_body *b, size_t i, const uint8_t *p, size_t n)
{
	if (i + 1 < b->n_stages)
		run_stage(b, i + 1, p, n);
	else
		give(b, p, n);
}

static bool zlib_start(struct stage *s, int window_bits)
{
	memset(&s->z, 0, sizeof s->z);
	s->started = inflateInit2(&s->z, window_bits) == Z_OK;
	return s->started;
}

/* RFC 1950 section 2.2: CM 8 and the header a multiple of 31. */
static bool zlib_header(const uint8_t h[2])
{
	return (h[0] & 0x0f) == 8 && ((unsigned)h[0] << 8 | h[1]) % 31 == 0;
}

static void inflate_bytes(struct http_body *b, size_t i, const uint8_t *p, size_t n);

/* "deflate" should be zlib's format, but some clients send raw deflate: the first two
 * bytes tell (a raw block cannot also be a valid zlib header with the checksum). */
static void start_deflate(struct http_body *b, size_t i, const uint8_t *p, size_t n)
{
	struct stage *s = &b->stages[i];
	uint8_t first[2];

	while (s->n_first < 2 && n > 0) {
		s->first[s->n_first++] = *p++;
		n--;
	}
	if (s->n_first < 2)
		return;
	memcpy(first, s->first, 2);
	if (!zlib_start(s, zlib_header(first) ? 15 : -15)) {
		problem(b, DECODE_NOMEM);
		return;
	}
	inflate_bytes(b, i, first, 2);
	if (n)
		inflate_bytes(b, i, p, n);
}

/* gzip (15 + 32 reads a gzip or zlib header) and deflate through zlib. */
static void run_zlib(struct http_body *b, size_t i, const uint8_t *p, size_t n)
{
	struct stage *s = &b->stages[i];

	if (!s->started && s->coding == CODING_DEFLATE) {
		start_deflate(b, i, p, n);
		return;
	}
	if (!s->started && !zlib_start(s, 15 + 32)) {
		problem(b, DECODE_NOMEM);
		return;
	}
	inflate_bytes(b, i, p, n);
}

static void inflate_bytes(struct http_body *b, size_t i, const uint8_t *p, size_t n)
{
	struct stage *s = &b->stages[i];
	uint8_t out[OUT_PIECE];

	s->z.next_in = (Bytef *)p;
	s->z.avail_in = (uInt)n;
	for (bool more_out = false; (s->z.avail_in > 0 || more_out) && b->status != DECODE_CAP;) {
		int rc;
		if (s->ended) {
			/* gzip may hold several members (RFC 1952 section 2.2); anything else after
			 * the end is dropped */
			if (s->coding != CODING_GZIP || inflateReset(&s->z) != Z_OK)
				return;
			s->ended = false;
		}
		s->z.next_out = out;
		s->z.avail_out = sizeof out;
		rc = inflate(&s->z, Z_NO_FLUSH);
		more_out = s->z.avail_out == 0; /* output may be waiting without more input */
		pass_on(b, i, out, sizeof out - s->z.avail_out);
		if (rc == Z_STREAM_END) {
			s->ended = true;
			more_out = false;
			continue;
		}
		if (rc != Z_OK && rc != Z_BUF_ERROR) {
			problem(b, rc == Z_MEM_ERROR ? DECODE_NOMEM : DECODE_MALFORMED);
			return;
		}
		if (rc == Z_BUF_ERROR)
			return; /* no progress possible: it needs more input */
	}
}

static void run_brotli(struct http_body *b, size_t i, const uint8_t *p, size_t n)
{
	struct stage *s = &b->stages[i];
	size_t avail_in = n;
	const uint8_t *next_in = p;

	if (!s->br && !(s->br = BrotliDecoderCreateInstance(NULL, NULL, NULL))) {
		problem(b, DECODE_NOMEM);
		return;
	}
	while (!s->ended && b->status != DECODE_CAP) {
		uint8_t out[OUT_PIECE], *next_out = out;
		size_t avail_out = sizeof out;
		BrotliDecoderResult rc = BrotliDecoderDecompressStream(s->br, &avail_in, &next_in, &avail_out, &next_out, NULL);
		pass_on(b, i, out, sizeof out - avail_out);
		if (rc == BROTLI_DECODER_RESULT_SUCCESS)
			s->ended = true;
		else if (rc == BROTLI_DECODER_RESULT_ERROR)
			problem(b, DECODE_MALFORMED);
		if (rc != BROTLI_DECODER_RESULT_NEEDS_MORE_OUTPUT)
			return;
	}
}

static void run_stage(struct http_body *b, size_t i, const uint8_t *p, size_t n)
{
	if (b->status == DECODE_MALFORMED || b->status == DECODE_NOMEM)
		return;
	if (b->stages[i].coding == CODING_BR)
		run_brotli(b, i, p, n);
	else
		run_zlib(b, i, p, n);
}

/* The framed body's bytes, into the first decoding stage (or out). */
static void body_bytes(struct http_body *b, const uint8_t *p, size_t n)
{
	if (b->n_stages && b->status != DECODE_UNSUPPORTED)
		run_stage(b, 0, p, n);
	else
		give(b, p, n);
}

static const struct {
	const char *name;
	enum coding coding;
} codings[] = {
	{"gzip", CODING_GZIP}, {"x-gzip", CODING_GZIP}, {"deflate", CODING_DEFLATE}, {"br", CODING_BR},
};

/* Add the codings of a header value, in the order applied; chunked is framing. */
static void add_codings(struct http_body *b, const char *value, enum coding *list, size_t *n)
{
	char copy[HTTP_VALUE_MAX], *save = NULL;

	snprintf(copy, sizeof copy, "%s", value);
	for (char *t = strtok_r(copy, ", \t", &save); t; t = strtok_r(NULL, ", \t", &save)) {
		size_t k;
		if (!strcasecmp(t, "identity") || !strcasecmp(t, "chunked"))
			continue;
		for (k = 0; k < sizeof codings / sizeof *codings && strcasecmp(codings[k].name, t) != 0; k++)
			;
		if (k == sizeof codings / sizeof *codings || *n == HTTP_BODY_CODINGS_MAX) {
			snprintf(b->bad_coding, sizeof b->bad_coding, "%.31s", t);
			problem(b, DECODE_UNSUPPORTED);
			return;
		}
		list[(*n)++] = codings[k].coding;
		snprintf(b->codings + strlen(b->codings), sizeof b->codings - strlen(b->codings), "%s%s",
			 b->codings[0] ? ", " : "", codings[k].name);
	}
}

struct http_body *http_body_new(const struct http_request *head, uint64_t decoded_cap, http_body_out_fn out,
				void *ctx)
{
	struct http_body *b = calloc(1, sizeof *b);
	enum coding applied[2 * HTTP_BODY_CODINGS_MAX];
	size_t n = 0;

	if (!b)
		return NULL;
	b->out = out;
	b->ctx = ctx;
	b->cap = decoded_cap;
	b->chunked = head->chunked;
	b->left = head->chunked ? 0 : head->has_content_length ? head->content_length : 0;
	/* applied: content codings first, then transfer codings */
	add_codings(b, head->content_encoding, applied, &n);
	add_codings(b, head->transfer_encoding, applied, &n);
	for (size_t i = 0; i < n && i < HTTP_BODY_CODINGS_MAX; i++)
		b->stages[b->n_stages++].coding = applied[n - 1 - i];
	return b;
}

void http_body_free(struct http_body *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->n_stages; i++) {
		if (b->stages[i].started)
			inflateEnd(&b->stages[i].z);
		if (b->stages[i].br)
			BrotliDecoderDestroyInstance(b->stages[i].br);
	}
	free(b);
}

/* One line of chunk framing ends here (CRLF, or a bare LF). Returns false on a bad line. */
static bool chunk_line(struct http_body *b)
{
	char *end;
	unsigned long long size;

	b->line[b->line_len] = '\0';
	if (b->ch == CH_TRAILER) {
		if (b->line_len == 0)
			b->ch = CH_DONE;
		return true;
	}
	if (b->ch == CH_DATA_CRLF) {
		b->ch = CH_SIZE;
		return b->line_len == 0;
	}
	size = strtoull(b->line, &end, 16);
	if (end == b->line || (*end && *end != ';' && *end != ' ' && *end != '\t') || b->line_len > 16)
		return false;
	b->left = size;
	b->ch = size ? CH_DATA : CH_TRAILER;
	return true;
}

static size_t feed_chunked(struct http_body *b, const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n && b->ch != CH_DONE) {
		if (b->ch == CH_DATA) {
			size_t take = n - i < b->left ? n - i : (size_t)b->left;
			body_bytes(b, p + i, take);
			i += take;
			b->left -= take;
			if (!b->left)
				b->ch = CH_DATA_CRLF;
			continue;
		}
		if (p[i] == '\n') {
			if (b->line_len && b->line[b->line_len - 1] == '\r')
				b->line_len--;
			i++;
			if (!chunk_line(b)) {
				problem(b, DECODE_MALFORMED);
				b->ch = CH_DONE;
			}
			b->line_len = 0;
			continue;
		}
		if (b->line_len + 1 >= sizeof b->line) {
			problem(b, DECODE_MALFORMED);
			b->ch = CH_DONE;
			break;
		}
		b->line[b->line_len++] = (char)p[i++];
	}
	return i;
}

size_t http_body_feed(struct http_body *b, const uint8_t *p, size_t n, bool *done)
{
	size_t used;

	if (b->chunked) {
		used = feed_chunked(b, p, n);
		*done = b->ch == CH_DONE;
		return used;
	}
	used = n < b->left ? n : (size_t)b->left;
	body_bytes(b, p, used);
	b->left -= used;
	*done = b->left == 0;
	return used;
}

enum decode_status http_body_status(const struct http_body *b)
{
	return b->status;
}

const char *http_body_coding(const struct http_body *b)
{
	return b->bad_coding;
}

const char *http_body_codings(const struct http_body *b)
{
	return b->codings;
}
