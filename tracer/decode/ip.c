/* ip: IPv4 (RFC 791) and IPv6 (RFC 8200) headers, and the link layers libpcap gives on Linux loopback. */
#include "tracer/decode/ip.h"

#include <pcap/dlt.h>
#include <string.h>
#include <sys/socket.h>

#define ETHERTYPE_IPV4 0x0800
#define ETHERTYPE_IPV6 0x86dd
#define ETHERTYPE_VLAN 0x8100
#define ETHERTYPE_QINQ 0x88a8
#define VLAN_TAGS_MAX 2

/* RFC 791 section 3.1. */
static enum decode_status parse_ipv4(struct reader *r, struct ip_packet *out)
{
	size_t start = r->off;
	uint8_t vihl = reader_u8(r);
	reader_u8(r); /* type of service */
	uint16_t total = reader_u16(r);
	reader_u16(r); /* identification */
	uint16_t frag = reader_u16(r);
	out->ttl = reader_u8(r);
	out->proto = reader_u8(r);
	reader_u16(r); /* header checksum: loopback offloads it, so it is not checked */
	const uint8_t *src = reader_bytes(r, 4);
	const uint8_t *dst = reader_bytes(r, 4);
	if (r->error)
		return DECODE_TRUNCATED;
	size_t ihl = (size_t)(vihl & 0x0f) * 4;
	if (ihl < 20 || total < ihl)
		return DECODE_MALFORMED;
	if (!reader_skip(r, ihl - 20)) /* options */
		return DECODE_TRUNCATED;
	out->family = AF_INET;
	memcpy(out->src, src, 4);
	memcpy(out->dst, dst, 4);
	out->frag_offset = (uint32_t)(frag & 0x1fff) * 8;
	out->fragment = (frag & 0x2000) || out->frag_offset;
	size_t want = total - ihl, have = r->len - start - ihl;
	out->truncated = have < want;
	out->payload = r->p + r->off;
	out->payload_len = out->truncated ? have : want; /* drop link-layer padding */
	return DECODE_OK;
}

static bool ipv6_extension(uint8_t next)
{
	return next == 0 || next == 43 || next == 60 || next == 51;
}

/* RFC 8200 sections 4.3-4.6 (hop-by-hop, routing, destination options) and RFC 4302
 * (AH, whose length is in 4-octet units); section 4.5 for the fragment header. */
static enum decode_status walk_ipv6_extensions(struct reader *r, uint8_t next, struct ip_packet *out)
{
	for (int n = 0;; n++) {
		if (!ipv6_extension(next) && next != 44)
			break;
		if (n == IP6_EXT_HEADERS_MAX)
			return DECODE_CAP;
		uint8_t following = reader_u8(r);
		uint8_t hlen = reader_u8(r);
		if (next == 44) {
			uint16_t offflags = reader_u16(r);
			reader_skip(r, 4); /* identification */
			if (r->error)
				return DECODE_TRUNCATED;
			out->fragment = true;
			out->frag_offset = (uint32_t)(offflags & 0xfff8);
			next = following;
			if (out->frag_offset)
				break; /* later fragments carry no further headers */
			continue;
		}
		size_t skip = next == 51 ? ((size_t)hlen + 2) * 4 - 2 : ((size_t)hlen + 1) * 8 - 2;
		if (!reader_skip(r, skip))
			return DECODE_TRUNCATED;
		next = following;
	}
	out->proto = next;
	return DECODE_OK;
}

/* RFC 8200 section 3. */
static enum decode_status parse_ipv6(struct reader *r, struct ip_packet *out)
{
	reader_u32(r); /* version, traffic class, flow label */
	uint16_t plen = reader_u16(r);
	uint8_t next = reader_u8(r);
	out->ttl = reader_u8(r);
	const uint8_t *src = reader_bytes(r, 16);
	const uint8_t *dst = reader_bytes(r, 16);
	if (r->error)
		return DECODE_TRUNCATED;
	if (plen == 0 && next == 0)
		return DECODE_UNSUPPORTED; /* a jumbogram (RFC 2675) */
	out->family = AF_INET6;
	memcpy(out->src, src, 16);
	memcpy(out->dst, dst, 16);
	size_t body = r->off;
	/* Extension headers are read within the captured bytes and the payload length. */
	struct reader ext = reader_init(r->p + body, r->len - body < plen ? r->len - body : plen);
	enum decode_status st = walk_ipv6_extensions(&ext, next, out);
	if (st != DECODE_OK)
		return st == DECODE_TRUNCATED && r->len - body >= plen ? DECODE_MALFORMED : st;
	size_t have = r->len - body - ext.off;
	size_t want = plen - ext.off;
	out->truncated = have < want;
	out->payload = r->p + body + ext.off;
	out->payload_len = out->truncated ? have : want;
	return DECODE_OK;
}

enum decode_status ip_parse(const uint8_t *p, size_t len, struct ip_packet *out)
{
	memset(out, 0, sizeof *out);
	struct reader r = reader_init(p, len);
	if (!reader_has(&r, 1))
		return DECODE_TRUNCATED;
	switch (p[0] >> 4) {
	case 4:
		return parse_ipv4(&r, out);
	case 6:
		return parse_ipv6(&r, out);
	default:
		return DECODE_MALFORMED;
	}
}

/* A link type and how to step over its header: skip leaves the reader at the IP
 * packet and gives its ethertype, or 0 for "look at the version nibble". */
struct link_layer {
	int dlt;
	enum decode_status (*skip)(struct reader *r, uint16_t *proto);
};

/* IEEE 802.3 / Ethernet II: loopback shows as Ethernet with zero MACs. */
static enum decode_status skip_ethernet(struct reader *r, uint16_t *proto)
{
	reader_skip(r, 12);
	*proto = reader_u16(r);
	for (int tags = 0; (*proto == ETHERTYPE_VLAN || *proto == ETHERTYPE_QINQ); tags++) {
		if (tags == VLAN_TAGS_MAX)
			return DECODE_CAP;
		reader_u16(r); /* tag control */
		*proto = reader_u16(r);
	}
	return r->error ? DECODE_TRUNCATED : DECODE_OK;
}

/* DLT_NULL (host byte order) and DLT_LOOP (network order) carry an address family
 * whose IPv6 value differs between systems; the version nibble decides instead. */
static enum decode_status skip_null(struct reader *r, uint16_t *proto)
{
	*proto = 0;
	return reader_skip(r, 4) ? DECODE_OK : DECODE_TRUNCATED;
}

static enum decode_status skip_raw(struct reader *r, uint16_t *proto)
{
	*proto = 0;
	return DECODE_OK;
}

/* Linux cooked capture v1: packet type, ARPHRD type, address length, 8 address
 * bytes, then the protocol (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html). */
static enum decode_status skip_sll(struct reader *r, uint16_t *proto)
{
	reader_skip(r, 14);
	*proto = reader_u16(r);
	return r->error ? DECODE_TRUNCATED : DECODE_OK;
}

/* Linux cooked capture v2: the protocol first, then 18 more bytes
 * (https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL2.html). */
static enum decode_status skip_sll2(struct reader *r, uint16_t *proto)
{
	*proto = reader_u16(r);
	reader_skip(r, 18);
	return r->error ? DECODE_TRUNCATED : DECODE_OK;
}

static const struct link_layer link_layers[] = {
	{DLT_EN10MB, skip_ethernet}, {DLT_NULL, skip_null},	 {DLT_LOOP, skip_null},
	{DLT_RAW, skip_raw},	     {DLT_IPV4, skip_raw},	 {DLT_IPV6, skip_raw},
	{DLT_LINUX_SLL, skip_sll},   {DLT_LINUX_SLL2, skip_sll2},
};

enum decode_status ip_parse_link(int dlt, const uint8_t *p, size_t len, struct ip_packet *out)
{
	memset(out, 0, sizeof *out);
	const struct link_layer *link = NULL;
	for (size_t i = 0; i < sizeof link_layers / sizeof link_layers[0]; i++)
		if (link_layers[i].dlt == dlt)
			link = &link_layers[i];
	if (!link)
		return DECODE_UNSUPPORTED;
	struct reader r = reader_init(p, len);
	uint16_t proto = 0;
	enum decode_status st = link->skip(&r, &proto);
	if (st != DECODE_OK)
		return st;
	if (proto != 0 && proto != ETHERTYPE_IPV4 && proto != ETHERTYPE_IPV6)
		return DECODE_UNSUPPORTED;
	st = ip_parse(r.p + r.off, r.len - r.off, out);
	if (st == DECODE_OK && proto != 0 && (proto == ETHERTYPE_IPV4) != (out->family == AF_INET))
		return DECODE_MALFORMED; /* the link layer and the version nibble disagree */
	return st;
}
