/* tcp: the TCP header (RFC 9293 section 3.1). */
#ifndef MCPAUDIT_TRACER_TCP_H
#define MCPAUDIT_TRACER_TCP_H

#include <stddef.h>
#include <stdint.h>

#include "tracer/decode/reader.h"

#define TCP_FIN 0x01
#define TCP_SYN 0x02
#define TCP_RST 0x04
#define TCP_PSH 0x08
#define TCP_ACK 0x10
#define TCP_URG 0x20

/* One segment; payload is borrowed from the bytes given to tcp_parse. */
struct tcp_segment {
	uint16_t src_port, dst_port;
	uint32_t seq, ack;
	uint8_t flags; /* TCP_* (ECE and CWR are kept in the upper bits) */
	uint16_t window;
	size_t header_len; /* data offset, in bytes */
	const uint8_t *payload;
	size_t payload_len;
};

/* Returns DECODE_OK, DECODE_TRUNCATED when the header is cut short, or
 * DECODE_MALFORMED for a data offset under 5 words. */
enum decode_status tcp_parse(const uint8_t *p, size_t len, struct tcp_segment *out);

#endif
