/* tcp: the TCP header (RFC 9293 section 3.1). */
#include "tracer/decode/tcp.h"

#include <string.h>

enum decode_status tcp_parse(const uint8_t *p, size_t len, struct tcp_segment *out)
{
	memset(out, 0, sizeof *out);
	struct reader r = reader_init(p, len);
	out->src_port = reader_u16(&r);
	out->dst_port = reader_u16(&r);
	out->seq = reader_u32(&r);
	out->ack = reader_u32(&r);
	uint8_t offset = reader_u8(&r);
	out->flags = reader_u8(&r);
	out->window = reader_u16(&r);
	reader_u32(&r); /* checksum, urgent pointer */
	if (r.error)
		return DECODE_TRUNCATED;
	out->header_len = (size_t)(offset >> 4) * 4;
	if (out->header_len < 20)
		return DECODE_MALFORMED;
	if (!reader_skip(&r, out->header_len - 20)) /* options */
		return DECODE_TRUNCATED;
	out->payload = p + r.off;
	out->payload_len = len - r.off;
	return DECODE_OK;
}
