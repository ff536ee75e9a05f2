/* fakedns: bounded DNS query parsing and answer building (RFC 1035 section 4), and the table
 * that gives each name its own synthetic address. */
#include "tracer/fakedns.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/strbuf.h"
#include "tracer/decode/dns.h"

#define FLAG_QR 0x8000u
#define OPCODE_MASK 0x7800u
#define ANSWER_TTL 60

static const uint8_t pool_v4[4] = {198, 18, 0, 0};
static const uint8_t pool_v6[6] = {0xfd, 0x00, 0x6d, 0x63, 0x70, 0x61};

static bool get_u16(const uint8_t *p, size_t len, size_t off, uint16_t *v)
{
	if (off > len || len - off < 2)
		return false;
	*v = (uint16_t)(p[off] << 8 | p[off + 1]);
	return true;
}

/* The query's name by the fuzzed reader of tracer/decode/dns.c, lower-cased (resolvers
 * and the logs compare names without case); the root is "". */
static bool read_name(const uint8_t *p, size_t len, size_t *off, char *out)
{
	size_t end = 0;
	enum decode_status st = dns_read_name(p, len, *off, out, FAKEDNS_NAME_TEXT_MAX, &end);

	for (char *c = out; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	if (st != DECODE_OK)
		return false;
	if (!strcmp(out, "."))
		out[0] = '\0';
	*off = end;
	return true;
}

enum fakedns_parse_status fakedns_parse_query(const uint8_t *p, size_t len, struct fakedns_query *q)
{
	uint16_t qdcount;
	size_t off = DNS_HEADER_LEN;

	memset(q, 0, sizeof *q);
	if (len < DNS_HEADER_LEN)
		return FAKEDNS_PARSE_DROP;
	get_u16(p, len, 0, &q->id);
	get_u16(p, len, 2, &q->flags);
	get_u16(p, len, 4, &qdcount);
	if (q->flags & FLAG_QR)
		return FAKEDNS_PARSE_DROP; /* a response: answering it could start a loop */
	if (q->flags & OPCODE_MASK)
		return FAKEDNS_PARSE_NOTIMP;
	if (qdcount != 1)
		return FAKEDNS_PARSE_FORMERR;
	if (!read_name(p, len, &off, q->name))
		return FAKEDNS_PARSE_FORMERR;
	if (!get_u16(p, len, off, &q->qtype) || !get_u16(p, len, off + 2, &q->qclass))
		return FAKEDNS_PARSE_FORMERR;
	q->question_end = off + 4;
	return FAKEDNS_PARSE_OK;
}

size_t fakedns_build_answer(const uint8_t *msg, const struct fakedns_query *q, enum fakedns_rcode rcode,
			    const uint8_t *addr, size_t addr_len, uint8_t *out, size_t outlen)
{
	bool question = rcode != FAKEDNS_RCODE_FORMERR && rcode != FAKEDNS_RCODE_NOTIMP;
	struct dns_reply_parts rp = {.id = q->id, .query_flags = q->flags, .rcode = (uint16_t)rcode,
				     .addr = addr, .addr_len = addr_len, .ttl = ANSWER_TTL};
	size_t n = 0;

	if (question && q->question_end < DNS_HEADER_LEN)
		return 0;
	if (question) {
		/* the question as the query had it: a pointer in it points inside it, at the
		 * same offset in the answer */
		rp.question = msg + DNS_HEADER_LEN;
		rp.question_len = q->question_end - DNS_HEADER_LEN;
	}
	return dns_write_reply(&rp, out, outlen, &n) == DECODE_OK ? n : 0;
}

/* ---- the address table: names in order of first query, with an open-addressing index ---- */

#define EMPTY_SLOT SIZE_MAX

struct fakedns_table {
	char **names;
	size_t count, names_cap, max_names;
	size_t *slots; /* indices into names, or EMPTY_SLOT; a power of two long */
	size_t nslots;
};

static uint64_t name_hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (uint8_t)*s) * 1099511628211ull;
	return h;
}

static bool slots_alloc(struct fakedns_table *t, size_t nslots)
{
	size_t *slots = malloc(nslots * sizeof *slots);
	if (!slots)
		return false;
	for (size_t i = 0; i < nslots; i++)
		slots[i] = EMPTY_SLOT;
	for (size_t n = 0; n < t->count; n++) {
		size_t i = name_hash(t->names[n]) & (nslots - 1);
		while (slots[i] != EMPTY_SLOT)
			i = (i + 1) & (nslots - 1);
		slots[i] = n;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = nslots;
	return true;
}

struct fakedns_table *fakedns_table_new(size_t max_names)
{
	struct fakedns_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->max_names = max_names == 0 || max_names > FAKEDNS_TABLE_MAX ? FAKEDNS_TABLE_MAX : max_names;
	if (!slots_alloc(t, 64)) {
		free(t);
		return NULL;
	}
	return t;
}

void fakedns_table_free(struct fakedns_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->count; i++)
		free(t->names[i]);
	free(t->names);
	free(t->slots);
	free(t);
}

/* The slot holding name, or the empty slot where it would go. */
static size_t find_slot(const struct fakedns_table *t, const char *name)
{
	size_t i = name_hash(name) & (t->nslots - 1);

	while (t->slots[i] != EMPTY_SLOT && strcmp(t->names[t->slots[i]], name) != 0)
		i = (i + 1) & (t->nslots - 1);
	return i;
}

enum fakedns_table_status fakedns_table_index(struct fakedns_table *t, const char *name, size_t *index)
{
	size_t i = find_slot(t, name);
	char *copy;

	if (t->slots[i] != EMPTY_SLOT) {
		*index = t->slots[i];
		return FAKEDNS_TABLE_OK;
	}
	if (t->count >= t->max_names)
		return FAKEDNS_TABLE_FULL;
	/* Keep the load under a half, so a probe always meets an empty slot. */
	if ((t->count + 1) * 2 > t->nslots) {
		if (!slots_alloc(t, t->nslots * 2))
			return FAKEDNS_TABLE_NOMEM;
		i = find_slot(t, name);
	}
	if (t->count == t->names_cap) {
		size_t cap = t->names_cap ? t->names_cap * 2 : 64;
		char **names = realloc(t->names, cap * sizeof *names);
		if (!names)
			return FAKEDNS_TABLE_NOMEM;
		t->names = names;
		t->names_cap = cap;
	}
	copy = xstrdup(name);
	if (!copy)
		return FAKEDNS_TABLE_NOMEM;
	t->slots[i] = t->count;
	t->names[t->count] = copy;
	*index = t->count++;
	return FAKEDNS_TABLE_OK;
}

size_t fakedns_table_count(const struct fakedns_table *t)
{
	return t->count;
}

const char *fakedns_table_name(const struct fakedns_table *t, size_t index)
{
	return index < t->count ? t->names[index] : NULL;
}

void fakedns_address_v4(size_t index, uint8_t out[4])
{
	uint32_t a = ((uint32_t)pool_v4[0] << 24 | (uint32_t)pool_v4[1] << 16) + 1 + (uint32_t)index;
	out[0] = (uint8_t)(a >> 24);
	out[1] = (uint8_t)(a >> 16);
	out[2] = (uint8_t)(a >> 8);
	out[3] = (uint8_t)a;
}

void fakedns_address_v6(size_t index, uint8_t out[16])
{
	uint32_t v = 1 + (uint32_t)index;
	memset(out, 0, 16);
	memcpy(out, pool_v6, sizeof pool_v6);
	out[12] = (uint8_t)(v >> 24);
	out[13] = (uint8_t)(v >> 16);
	out[14] = (uint8_t)(v >> 8);
	out[15] = (uint8_t)v;
}

bool fakedns_address_index(int family, const uint8_t *addr, size_t *index)
{
	static const uint8_t zero[6];
	uint32_t v;

	if (family == AF_INET) {
		v = (uint32_t)addr[0] << 24 | (uint32_t)addr[1] << 16 | (uint32_t)addr[2] << 8 | addr[3];
		v -= (uint32_t)pool_v4[0] << 24 | (uint32_t)pool_v4[1] << 16;
	} else if (family == AF_INET6) {
		if (memcmp(addr, pool_v6, sizeof pool_v6) != 0 || memcmp(addr + 6, zero, 6) != 0)
			return false;
		v = (uint32_t)addr[12] << 24 | (uint32_t)addr[13] << 16 | (uint32_t)addr[14] << 8 | addr[15];
	} else {
		return false;
	}
	if (v == 0 || v > FAKEDNS_TABLE_MAX)
		return false;
	*index = v - 1;
	return true;
}
