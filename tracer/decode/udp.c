/* udp: the UDP header (RFC 768). */
#include "tracer/decode/udp.h"

#include <string.h>

enum decode_status udp_parse(const uint8_t *p, size_t len, struct udp_datagram *out)
{
	memset(out, 0, sizeof *out);
	struct reader r = reader_init(p, len);
	out->src_port = reader_u16(&r);
	out->dst_port = reader_u16(&r);
	out->length = reader_u16(&r);
	reader_u16(&r); /* checksum */
	if (r.error)
		return DECODE_TRUNCATED;
	if (out->length < 8)
		return DECODE_MALFORMED;
	size_t want = out->length - 8u, have = len - 8;
	out->truncated = have < want;
	out->payload = p + 8;
	out->payload_len = out->truncated ? have : want;
	return DECODE_OK;
}
