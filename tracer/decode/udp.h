/* udp: the UDP header (RFC 768). */
#ifndef MCPAUDIT_TRACER_UDP_H
#define MCPAUDIT_TRACER_UDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracer/decode/reader.h"

/* One datagram; payload is borrowed from the bytes given to udp_parse. */
struct udp_datagram {
	uint16_t src_port, dst_port;
	uint16_t length; /* as the header says, header included */
	const uint8_t *payload;
	size_t payload_len;
	bool truncated; /* the capture holds less than length */
};

/* Returns DECODE_OK, DECODE_TRUNCATED when the 8-byte header is cut short, or
 * DECODE_MALFORMED for a length under 8 (a length of 0, used by IPv6 jumbograms,
 * included). Bytes past length are dropped; fewer than length set truncated. */
enum decode_status udp_parse(const uint8_t *p, size_t len, struct udp_datagram *out);

#endif
