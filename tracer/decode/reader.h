/* reader: a bounded big-endian reader over untrusted bytes, in the manner of tcpdump's extract.h. */
#ifndef MCPAUDIT_TRACER_READER_H
#define MCPAUDIT_TRACER_READER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The status every decoder under tracer/decode returns. */
enum decode_status {
	DECODE_OK,          /* parsed */
	DECODE_TRUNCATED,   /* consistent so far, but more bytes are needed */
	DECODE_MALFORMED,   /* not this protocol, or broken beyond repair */
	DECODE_UNSUPPORTED, /* well-formed, but a variant we do not decode */
	DECODE_CAP,         /* a cap was hit (name, extension count, header size ...) */
	DECODE_NOMEM,
};

/* A read position over p[0..len). A read that would cross len sets error,
 * returns zero (or NULL) and leaves off where it was; once error is set every
 * later read fails too, so a decoder may read a run of fields and check once. */
struct reader {
	const uint8_t *p;
	size_t len, off;
	bool error;
};

static inline struct reader reader_init(const uint8_t *p, size_t len)
{
	struct reader r = {p, p ? len : 0, 0, false};
	return r;
}

/* Bytes left to read (0 after an error). */
static inline size_t reader_left(const struct reader *r)
{
	return r->error ? 0 : r->len - r->off;
}

/* Does the reader hold at least n more bytes? Does not set error. */
static inline bool reader_has(const struct reader *r, size_t n)
{
	return !r->error && r->len - r->off >= n;
}

static inline bool reader_need(struct reader *r, size_t n)
{
	if (!reader_has(r, n))
		r->error = true;
	return !r->error;
}

static inline uint8_t reader_u8(struct reader *r)
{
	if (!reader_need(r, 1))
		return 0;
	return r->p[r->off++];
}

static inline uint16_t reader_u16(struct reader *r)
{
	if (!reader_need(r, 2))
		return 0;
	uint16_t v = (uint16_t)((uint16_t)r->p[r->off] << 8 | r->p[r->off + 1]);
	r->off += 2;
	return v;
}

static inline uint32_t reader_u24(struct reader *r)
{
	if (!reader_need(r, 3))
		return 0;
	uint32_t v = (uint32_t)r->p[r->off] << 16 | (uint32_t)r->p[r->off + 1] << 8 | r->p[r->off + 2];
	r->off += 3;
	return v;
}

static inline uint32_t reader_u32(struct reader *r)
{
	if (!reader_need(r, 4))
		return 0;
	uint32_t v = (uint32_t)r->p[r->off] << 24 | (uint32_t)r->p[r->off + 1] << 16 |
		     (uint32_t)r->p[r->off + 2] << 8 | r->p[r->off + 3];
	r->off += 4;
	return v;
}

/* n bytes, borrowed from the reader's buffer; NULL when fewer remain. */
static inline const uint8_t *reader_bytes(struct reader *r, size_t n)
{
	if (!reader_need(r, n))
		return NULL;
	const uint8_t *b = r->p + r->off;
	r->off += n;
	return b;
}

static inline bool reader_skip(struct reader *r, size_t n)
{
	return reader_bytes(r, n) != NULL;
}

/* A reader over the next n bytes (which this reader skips): for a length-prefixed
 * field whose contents must not run past its length. On error, an empty reader. */
static inline struct reader reader_sub(struct reader *r, size_t n)
{
	const uint8_t *b = reader_bytes(r, n);
	struct reader sub = reader_init(b, b ? n : 0);
	if (!b)
		sub.error = true;
	return sub;
}

/* Copy n bytes into out (size out_size, always NUL-terminated) as printable
 * text: bytes outside 0x21..0x7e other than space become \xHH. Returns false
 * when out was too small (the text is cut at a whole character) or the reader
 * holds fewer than n bytes. */
bool reader_text(struct reader *r, size_t n, char *out, size_t out_size);

/* The same escaping for bytes already in hand. */
bool reader_escape(const uint8_t *p, size_t n, char *out, size_t out_size);

#endif
