/* dns: DNS messages (RFC 1035 section 4, RFC 3596 AAAA, RFC 9460 SVCB/HTTPS), parsed and answered. */
#ifndef MCPAUDIT_TRACER_DNS_H
#define MCPAUDIT_TRACER_DNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracer/decode/reader.h"

#define DNS_HEADER_LEN 12
#define DNS_LABEL_MAX 63     /* RFC 1035 section 2.3.4 */
#define DNS_NAME_WIRE_MAX 255 /* the same, for a whole name in wire form */
/* Presentation form: each wire byte becomes at most 4 characters ("\DDD"). */
#define DNS_NAME_TEXT_MAX (DNS_NAME_WIRE_MAX * 4 + 1)
#define DNS_QUESTIONS_MAX 4
#define DNS_ANSWERS_MAX 16
/* A compression pointer must point before the start of the name (or of the
 * earlier jump target) it appears in, so chains are strictly backwards and end;
 * this cap only bounds the work. */
#define DNS_POINTERS_MAX 64
/* Big enough for any reply dns_build_answer writes. */
#define DNS_REPLY_MAX 512

#define DNS_TYPE_A 1
#define DNS_TYPE_NS 2
#define DNS_TYPE_CNAME 5
#define DNS_TYPE_SOA 6
#define DNS_TYPE_PTR 12
#define DNS_TYPE_MX 15
#define DNS_TYPE_TXT 16
#define DNS_TYPE_AAAA 28
#define DNS_TYPE_SRV 33
#define DNS_TYPE_OPT 41
#define DNS_TYPE_SVCB 64
#define DNS_TYPE_HTTPS 65
#define DNS_TYPE_ANY 255
#define DNS_CLASS_IN 1

#define DNS_RCODE_NOERROR 0
#define DNS_RCODE_FORMERR 1
#define DNS_RCODE_SERVFAIL 2
#define DNS_RCODE_NXDOMAIN 3

struct dns_question {
	char name[DNS_NAME_TEXT_MAX]; /* presentation form, no trailing dot; "." for the root */
	size_t labels;
	uint16_t type, qclass;
};

/* An answer record of type A, AAAA or CNAME (others are counted, not kept). */
struct dns_answer {
	char name[DNS_NAME_TEXT_MAX];
	uint16_t type, rclass;
	uint32_t ttl;
	uint8_t addr[16];		/* A: the first 4 bytes; AAAA: all 16 */
	char target[DNS_NAME_TEXT_MAX]; /* CNAME */
};

/* A parsed message: owns no memory; about 40 KB, so callers on small stacks
 * allocate it. */
struct dns_msg {
	uint16_t id, flags;
	bool response, truncated_flag; /* QR; TC */
	uint8_t opcode, rcode;
	uint16_t qdcount, ancount, nscount, arcount;
	size_t n_questions, n_answers;
	size_t answers_skipped; /* answer records of other types */
	bool capped;		/* more questions or answers than the arrays hold */
	struct dns_question questions[DNS_QUESTIONS_MAX];
	struct dns_answer answers[DNS_ANSWERS_MAX];
};

/* A whole message (a UDP payload, or one TCP message without its prefix): the
 * header, the question and answer sections; authority and additional sections are
 * not read. Returns DECODE_OK (with capped set when arrays were too small);
 * DECODE_TRUNCATED when the message ends inside a field; DECODE_MALFORMED for a
 * bad name (a compression pointer that does not point strictly backwards, into
 * the header or past the end, a label over 63 bytes, a name over 255, a reserved
 * label type) or a record whose data overruns its length. */
enum decode_status dns_parse(const uint8_t *p, size_t len, struct dns_msg *out);

/* DNS over TCP (RFC 1035 section 4.2.2): the 2-byte length prefix, then the
 * message. *consumed is set to prefix + message when a whole message is present.
 * DECODE_TRUNCATED means more bytes are needed. */
enum decode_status dns_parse_tcp(const uint8_t *p, size_t len, struct dns_msg *out, size_t *consumed);

/* The name at offset off of the message msg[0..len) in presentation form (out is
 * always NUL-terminated); *end is set to the offset after the name where it
 * appears. Returns as dns_parse; on failure out holds the labels read so far. */
enum decode_status dns_read_name(const uint8_t *msg, size_t len, size_t off, char *out, size_t out_size,
				 size_t *end);

/* What a reply holds; dns_write_reply is the one DNS encoder (the fake resolver's answers
 * and dns_build_answer's). */
struct dns_reply_parts {
	uint16_t id, query_flags;   /* the query's: opcode, RD and CD are echoed */
	uint16_t rcode;
	const uint8_t *question;    /* the question in wire form (name, QTYPE, QCLASS), or NULL */
	size_t question_len;
	const uint8_t *addr;        /* one A (4 bytes) or AAAA (16) answer naming the question, or NULL */
	size_t addr_len;
	uint32_t ttl;
};

/* Write the reply rp describes (header, question, answer) into out[0..out_size).
 * Returns DECODE_OK with *out_len set; DECODE_UNSUPPORTED for an answer without a
 * question or with another addr_len; DECODE_CAP when out_size is too small. */
enum decode_status dns_write_reply(const struct dns_reply_parts *rp, uint8_t *out, size_t out_size, size_t *out_len);

enum dns_reply {
	DNS_REPLY_ADDRESS,  /* one A (addr_len 4) or AAAA (addr_len 16) answer */
	DNS_REPLY_NODATA,   /* NOERROR, no answers (e.g. for HTTPS/SVCB, so no ECH keys) */
	DNS_REPLY_NXDOMAIN, /* name error, no answers */
};

/* Write into out[0..out_size) the reply to query (a standard query with exactly
 * one question): the id, RD and the question echoed, AA and RA set, and the answer
 * named by reply, whose name points at the question. The record type follows
 * addr_len, not the question's type; the caller picks which to give. No EDNS OPT
 * record is added. Over TCP the caller adds the 2-byte length prefix.
 * Returns DECODE_OK with *out_len set; DECODE_MALFORMED or DECODE_TRUNCATED for a
 * query that does not parse; DECODE_UNSUPPORTED for a response, another opcode or
 * a question count other than 1 (or an addr_len other than 4 and 16); DECODE_CAP
 * when out_size is too small (DNS_REPLY_MAX always suffices). */
enum decode_status dns_build_answer(const uint8_t *query, size_t query_len, enum dns_reply reply,
				    const uint8_t *addr, size_t addr_len, uint32_t ttl, uint8_t *out,
				    size_t out_size, size_t *out_len);

#endif
