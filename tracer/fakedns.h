/* fakedns: the fake resolver's wire format (RFC 1035 section 4) and its synthetic address table. */
#ifndef MCPAUDIT_FAKEDNS_H
#define MCPAUDIT_FAKEDNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A name in presentation form: at most 255 wire bytes, each label byte that is not a
 * letter, digit, '-' or '_' written as \DDD (RFC 4343), so four bytes per wire byte. */
#define FAKEDNS_NAME_WIRE_MAX 255
#define FAKEDNS_NAME_TEXT_MAX (4 * FAKEDNS_NAME_WIRE_MAX + 1)
/* An answer is the header, the question copied back and at most one A or AAAA record. */
#define FAKEDNS_ANSWER_MAX 512

enum fakedns_type {
	FAKEDNS_TYPE_A = 1,
	FAKEDNS_TYPE_AAAA = 28,
	FAKEDNS_TYPE_HTTPS = 65, /* RFC 9460: answered NODATA so no ECH keys are handed out */
};

enum fakedns_rcode {
	FAKEDNS_RCODE_NOERROR = 0,
	FAKEDNS_RCODE_FORMERR = 1,
	FAKEDNS_RCODE_SERVFAIL = 2,
	FAKEDNS_RCODE_NXDOMAIN = 3,
	FAKEDNS_RCODE_NOTIMP = 4,
};

enum fakedns_parse_status {
	FAKEDNS_PARSE_OK,      /* one question, read in full */
	FAKEDNS_PARSE_FORMERR, /* the header is readable but the rest is not: answer FORMERR */
	FAKEDNS_PARSE_NOTIMP,  /* an opcode other than QUERY: answer NOTIMP */
	FAKEDNS_PARSE_DROP,    /* shorter than a header, or a response: no answer at all */
};

/* One parsed query. name is lower-cased for look-ups; the question bytes as sent (with
 * their case, for resolvers that randomise it) are copied back from the message. */
struct fakedns_query {
	uint16_t id;
	uint16_t flags;
	uint16_t qtype, qclass;
	char name[FAKEDNS_NAME_TEXT_MAX]; /* "" for the root, or as far as it was read */
	size_t question_end;              /* offset just past QTYPE/QCLASS when OK */
};

/* Parse a query message from untrusted bytes. Names may use compression pointers, but only
 * backwards, so loops are impossible; a name over 255 bytes or a label over 63 is FORMERR.
 * On FORMERR, id and flags are valid (for the error answer) and name holds what was read. */
enum fakedns_parse_status fakedns_parse_query(const uint8_t *p, size_t len, struct fakedns_query *q);

/* Build an answer into out (at least FAKEDNS_ANSWER_MAX bytes): header with QR, AA, RA and
 * the query's RD, the question copied from msg, and one record when addr is given
 * (addr_len 4 for A, 16 for AAAA). With rcode FORMERR/NOTIMP the question is left out.
 * Returns the answer's length, or 0 when it would not fit. */
size_t fakedns_build_answer(const uint8_t *msg, const struct fakedns_query *q, enum fakedns_rcode rcode,
			    const uint8_t *addr, size_t addr_len, uint8_t *out, size_t outlen);

/* The synthetic address table: each name gets index n (in order of first query, never
 * reused), its A address is 198.18.0.0/15 + 1 + n and its AAAA address fd00:6d63:7061::/48
 * + 1 + n. Not thread-safe: its owner locks. */
struct fakedns_table;

#define FAKEDNS_TABLE_MAX 131070 /* the usable addresses of 198.18.0.0/15 */

/* Caller frees with fakedns_table_free. max_names 0 or above FAKEDNS_TABLE_MAX means the
 * maximum. Returns NULL when memory runs out. */
struct fakedns_table *fakedns_table_new(size_t max_names);
void fakedns_table_free(struct fakedns_table *t);

enum fakedns_table_status { FAKEDNS_TABLE_OK, FAKEDNS_TABLE_FULL, FAKEDNS_TABLE_NOMEM };

/* The index of name (lower-case presentation form), allocating the next one for a new name. */
enum fakedns_table_status fakedns_table_index(struct fakedns_table *t, const char *name, size_t *index);
size_t fakedns_table_count(const struct fakedns_table *t);
/* The name of index n, or NULL past the end. Borrowed: valid until fakedns_table_free. */
const char *fakedns_table_name(const struct fakedns_table *t, size_t index);

/* The synthetic addresses of index n (network byte order). */
void fakedns_address_v4(size_t index, uint8_t out[4]);
void fakedns_address_v6(size_t index, uint8_t out[16]);
/* The index an address (family AF_INET or AF_INET6) stands for, or false when it is
 * outside both pools. It may be past the table's count: look it up with fakedns_table_name. */
bool fakedns_address_index(int family, const uint8_t *addr, size_t *index);

#endif
