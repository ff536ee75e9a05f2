/* dns: DNS messages (RFC 1035 section 4, RFC 3596 AAAA, RFC 9460 SVCB/HTTPS), parsed and answered. */
#include "tracer/decode/dns.h"

#include <stdio.h>
#include <string.h>

/* A name in uncompressed wire form. */
struct wire_name {
	uint8_t bytes[DNS_NAME_WIRE_MAX];
	size_t len, labels;
};

/* RFC 1035 section 4.1.4. Reads the name at r's position into name; r is left
 * after the name where it appears (after the first pointer, if any). Every
 * pointer must point before the start of the run of labels it ends, which makes
 * chains strictly backwards: loops and forward pointers are DECODE_MALFORMED. */
static enum decode_status read_wire_name(struct reader *r, struct wire_name *name)
{
	size_t pos = r->off, run_start = r->off, after = 0;
	int jumps = 0;

	name->len = name->labels = 0;
	for (;;) {
		if (pos >= r->len)
			return jumps ? DECODE_MALFORMED : DECODE_TRUNCATED;
		uint8_t c = r->p[pos];
		if ((c & 0xc0) == 0xc0) {
			if (pos + 1 >= r->len)
				return jumps ? DECODE_MALFORMED : DECODE_TRUNCATED;
			size_t target = (size_t)(c & 0x3f) << 8 | r->p[pos + 1];
			if (target >= run_start || target < DNS_HEADER_LEN || ++jumps > DNS_POINTERS_MAX)
				return DECODE_MALFORMED;
			if (jumps == 1)
				after = pos + 2;
			pos = run_start = target;
			continue;
		}
		if (c & 0xc0)
			return DECODE_MALFORMED; /* 0x40 extended (RFC 6891 deprecates it) and 0x80 reserved */
		if (name->len + 1u + c > DNS_NAME_WIRE_MAX)
			return DECODE_MALFORMED;
		if (c == 0) {
			name->bytes[name->len++] = 0;
			r->off = jumps ? after : pos + 1;
			return DECODE_OK;
		}
		if (pos + 1 + c > r->len)
			return jumps ? DECODE_MALFORMED : DECODE_TRUNCATED;
		memcpy(name->bytes + name->len, r->p + pos, 1u + c);
		name->len += 1u + c;
		name->labels++;
		pos += 1u + c;
	}
}

/* Presentation form (RFC 1035 section 5.1, as dig writes it): "\." and "\\" for
 * dots and backslashes inside labels, "\DDD" for other unprintable bytes. */
static void name_text(const struct wire_name *name, char *out, size_t out_size)
{
	size_t o = 0, i = 0;

	if (out_size == 0)
		return;
	out[0] = '\0';
	if (name->labels == 0) {
		snprintf(out, out_size, ".");
		return;
	}
	while (i < name->len && name->bytes[i] != 0) {
		size_t n = name->bytes[i++];
		if (o > 0 && o + 1 < out_size)
			out[o++] = '.';
		for (size_t k = 0; k < n; k++, i++) {
			uint8_t c = name->bytes[i];
			int w;
			if (c == '.' || c == '\\')
				w = snprintf(out + o, out_size - o, "\\%c", c);
			else if (c > 0x20 && c < 0x7f)
				w = snprintf(out + o, out_size - o, "%c", c);
			else
				w = snprintf(out + o, out_size - o, "\\%03u", c);
			if (w < 0 || (size_t)w >= out_size - o)
				return;
			o += (size_t)w;
		}
	}
	out[o < out_size ? o : out_size - 1] = '\0';
}

enum decode_status dns_read_name(const uint8_t *msg, size_t len, size_t off, char *out, size_t out_size,
				 size_t *end)
{
	struct reader r = reader_init(msg, len);
	struct wire_name name;

	if (out_size)
		out[0] = '\0';
	if (off > len)
		return DECODE_TRUNCATED;
	r.off = off;
	enum decode_status st = read_wire_name(&r, &name);
	if (st != DECODE_OK) {
		if (name.labels)  /* what was read: a malformed name may still carry data */
			name_text(&name, out, out_size);
		return st;
	}
	name_text(&name, out, out_size);
	*end = r.off;
	return DECODE_OK;
}

static enum decode_status parse_question(struct reader *r, struct dns_msg *out)
{
	struct wire_name name;
	enum decode_status st = read_wire_name(r, &name);
	if (st != DECODE_OK)
		return st;
	uint16_t type = reader_u16(r), qclass = reader_u16(r);
	if (r->error)
		return DECODE_TRUNCATED;
	if (out->n_questions == DNS_QUESTIONS_MAX) {
		out->capped = true;
		return DECODE_OK;
	}
	struct dns_question *q = &out->questions[out->n_questions++];
	name_text(&name, q->name, sizeof q->name);
	q->labels = name.labels;
	q->type = type;
	q->qclass = qclass;
	return DECODE_OK;
}

/* The RDATA of a kept record: an address of the exact size, or a CNAME whose
 * name must end exactly at the end of the RDATA. */
static enum decode_status parse_rdata(struct reader *r, size_t rdlen, struct dns_answer *a)
{
	if (a->type == DNS_TYPE_A || a->type == DNS_TYPE_AAAA) {
		size_t want = a->type == DNS_TYPE_A ? 4 : 16;
		if (rdlen != want)
			return DECODE_MALFORMED;
		memcpy(a->addr, r->p + r->off, want);
		r->off += want;
		return DECODE_OK;
	}
	/* CNAME: compression may point anywhere earlier in the message, so the name is
	 * read on the whole message, then checked against the RDATA length. */
	size_t start = r->off;
	struct wire_name target;
	enum decode_status st = read_wire_name(r, &target);
	if (st == DECODE_TRUNCATED || (st == DECODE_OK && r->off - start != rdlen))
		return DECODE_MALFORMED;
	if (st != DECODE_OK)
		return st;
	name_text(&target, a->target, sizeof a->target);
	return DECODE_OK;
}

static bool kept_type(uint16_t type)
{
	return type == DNS_TYPE_A || type == DNS_TYPE_AAAA || type == DNS_TYPE_CNAME;
}

static enum decode_status parse_answer(struct reader *r, struct dns_msg *out)
{
	struct wire_name name;
	enum decode_status st = read_wire_name(r, &name);
	if (st != DECODE_OK)
		return st;
	uint16_t type = reader_u16(r), rclass = reader_u16(r);
	uint32_t ttl = reader_u32(r);
	uint16_t rdlen = reader_u16(r);
	if (r->error || !reader_has(r, rdlen))
		return DECODE_TRUNCATED;
	if (!kept_type(type)) {
		out->answers_skipped++;
		reader_skip(r, rdlen);
		return DECODE_OK;
	}
	if (out->n_answers == DNS_ANSWERS_MAX) {
		out->capped = true;
		reader_skip(r, rdlen);
		return DECODE_OK;
	}
	struct dns_answer *a = &out->answers[out->n_answers];
	memset(a, 0, sizeof *a);
	name_text(&name, a->name, sizeof a->name);
	a->type = type;
	a->rclass = rclass;
	a->ttl = ttl;
	/* The record may not read past its RDATA: a reader ending there, but the
	 * message's start kept so that compression pointers still resolve. */
	struct reader rd = reader_init(r->p, r->off + rdlen);
	rd.off = r->off;
	st = parse_rdata(&rd, rdlen, a);
	if (st != DECODE_OK)
		return st;
	r->off += rdlen;
	out->n_answers++;
	return DECODE_OK;
}

enum decode_status dns_parse(const uint8_t *p, size_t len, struct dns_msg *out)
{
	struct reader r = reader_init(p, len);
	enum decode_status st = DECODE_OK;

	memset(out, 0, offsetof(struct dns_msg, questions));
	out->id = reader_u16(&r);
	out->flags = reader_u16(&r);
	out->qdcount = reader_u16(&r);
	out->ancount = reader_u16(&r);
	out->nscount = reader_u16(&r);
	out->arcount = reader_u16(&r);
	if (r.error)
		return DECODE_TRUNCATED;
	out->response = out->flags & 0x8000;
	out->opcode = (out->flags >> 11) & 0x0f;
	out->truncated_flag = out->flags & 0x0200;
	out->rcode = out->flags & 0x0f;
	for (unsigned i = 0; i < out->qdcount && st == DECODE_OK; i++)
		st = parse_question(&r, out);
	for (unsigned i = 0; i < out->ancount && st == DECODE_OK; i++)
		st = parse_answer(&r, out);
	return st;
}

enum decode_status dns_parse_tcp(const uint8_t *p, size_t len, struct dns_msg *out, size_t *consumed)
{
	struct reader r = reader_init(p, len);
	uint16_t msglen = reader_u16(&r);
	const uint8_t *msg = reader_bytes(&r, msglen);

	*consumed = 0;
	if (!msg)
		return DECODE_TRUNCATED;
	enum decode_status st = dns_parse(msg, msglen, out);
	if (st == DECODE_TRUNCATED)
		st = DECODE_MALFORMED; /* the whole message is here: it cannot grow */
	if (st == DECODE_OK)
		*consumed = 2u + msglen;
	return st;
}

/* A bounded writer for the reply, the mirror of struct reader. */
struct writer {
	uint8_t *p;
	size_t size, off;
	bool error;
};

static void put(struct writer *w, const void *bytes, size_t n)
{
	if (w->error || w->size - w->off < n) {
		w->error = true;
		return;
	}
	memcpy(w->p + w->off, bytes, n);
	w->off += n;
}

static void put_u16(struct writer *w, uint16_t v)
{
	uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
	put(w, b, 2);
}

static void put_u32(struct writer *w, uint32_t v)
{
	put_u16(w, (uint16_t)(v >> 16));
	put_u16(w, (uint16_t)v);
}

enum decode_status dns_write_reply(const struct dns_reply_parts *rp, uint8_t *out, size_t out_size, size_t *out_len)
{
	struct writer w = {out, out_size, 0, false};
	bool answer = rp->addr != NULL;

	*out_len = 0;
	if (answer && ((rp->addr_len != 4 && rp->addr_len != 16) || !rp->question))
		return DECODE_UNSUPPORTED;
	put_u16(&w, rp->id);
	/* QR, AA and RA; the query's opcode, RD and CD echoed (RFC 1035 4.1.1, RFC 4035 3.2.2) */
	put_u16(&w, (uint16_t)(0x8000 | 0x0400 | 0x0080 | (rp->query_flags & (0x7800 | 0x0100 | 0x0010)) |
			       (rp->rcode & 0x0f)));
	put_u16(&w, rp->question ? 1 : 0);
	put_u16(&w, answer ? 1 : 0);
	put_u16(&w, 0);
	put_u16(&w, 0);
	if (rp->question)
		put(&w, rp->question, rp->question_len);
	if (answer) {
		put_u16(&w, 0xc000 | DNS_HEADER_LEN); /* the question's name */
		put_u16(&w, rp->addr_len == 4 ? DNS_TYPE_A : DNS_TYPE_AAAA);
		put_u16(&w, DNS_CLASS_IN);
		put_u32(&w, rp->ttl);
		put_u16(&w, (uint16_t)rp->addr_len);
		put(&w, rp->addr, rp->addr_len);
	}
	if (w.error)
		return DECODE_CAP;
	*out_len = w.off;
	return DECODE_OK;
}

enum decode_status dns_build_answer(const uint8_t *query, size_t query_len, enum dns_reply reply,
				    const uint8_t *addr, size_t addr_len, uint32_t ttl, uint8_t *out,
				    size_t out_size, size_t *out_len)
{
	struct reader r = reader_init(query, query_len);
	struct wire_name name;
	uint8_t question[DNS_NAME_WIRE_MAX + 4];
	struct dns_reply_parts rp = {0};

	*out_len = 0;
	rp.id = reader_u16(&r);
	rp.query_flags = reader_u16(&r);
	uint16_t qdcount = reader_u16(&r);
	reader_skip(&r, 6);
	if (r.error)
		return DECODE_TRUNCATED;
	if ((rp.query_flags & 0x8000) || ((rp.query_flags >> 11) & 0x0f) != 0 || qdcount != 1)
		return DECODE_UNSUPPORTED;
	if (reply == DNS_REPLY_ADDRESS && addr_len != 4 && addr_len != 16)
		return DECODE_UNSUPPORTED;
	enum decode_status st = read_wire_name(&r, &name);
	if (st != DECODE_OK)
		return st;
	uint16_t qtype = reader_u16(&r), qclass = reader_u16(&r);
	if (r.error)
		return DECODE_TRUNCATED;
	/* the question as a plain name: a pointer in the query's could point anywhere */
	memcpy(question, name.bytes, name.len);
	question[name.len] = (uint8_t)(qtype >> 8);
	question[name.len + 1] = (uint8_t)qtype;
	question[name.len + 2] = (uint8_t)(qclass >> 8);
	question[name.len + 3] = (uint8_t)qclass;
	rp.question = question;
	rp.question_len = name.len + 4;
	rp.rcode = reply == DNS_REPLY_NXDOMAIN ? DNS_RCODE_NXDOMAIN : DNS_RCODE_NOERROR;
	rp.addr = reply == DNS_REPLY_ADDRESS ? addr : NULL;
	rp.addr_len = addr_len;
	rp.ttl = ttl;
	return dns_write_reply(&rp, out, out_size, out_len);
}
