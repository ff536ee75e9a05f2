/* ip: IPv4 (RFC 791) and IPv6 (RFC 8200) headers, and the link layers libpcap gives on Linux loopback. */
#ifndef MCPAUDIT_TRACER_IP_H
#define MCPAUDIT_TRACER_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracer/decode/reader.h"

/* Extension headers walked before giving up with DECODE_CAP (RFC 8200 section 4.1
 * expects at most one of each, dest-options twice). */
#define IP6_EXT_HEADERS_MAX 8

#define IP_PROTO_TCP 6
#define IP_PROTO_UDP 17
#define IP_PROTO_ICMP 1
#define IP_PROTO_ICMPV6 58

/* One IP packet. payload is borrowed from the bytes given to the parser and
 * valid as long as they are. For IPv4 only the first 4 bytes of src/dst are
 * used. */
struct ip_packet {
	int family; /* AF_INET or AF_INET6 */
	uint8_t src[16], dst[16];
	uint8_t proto; /* the upper-layer protocol after any IPv6 extension headers */
	uint8_t ttl;   /* TTL or hop limit */
	const uint8_t *payload;
	size_t payload_len;
	bool fragment;        /* part of a fragmented datagram (not reassembled) */
	uint32_t frag_offset; /* in bytes; non-zero means payload holds no upper-layer header */
	bool truncated;       /* the capture holds less than the header's length says */
};

/* IPv4 or IPv6, by the version nibble. Returns DECODE_OK; DECODE_TRUNCATED when
 * the header itself is cut short; DECODE_MALFORMED for a bad version, IHL or
 * length; DECODE_CAP after IP6_EXT_HEADERS_MAX extension headers;
 * DECODE_UNSUPPORTED for IPv6 jumbograms. A payload cut by the snapshot length is
 * DECODE_OK with truncated set. */
enum decode_status ip_parse(const uint8_t *p, size_t len, struct ip_packet *out);

/* A captured frame of libpcap link type dlt (DLT_EN10MB, DLT_NULL, DLT_LOOP,
 * DLT_RAW, DLT_IPV4, DLT_IPV6, DLT_LINUX_SLL, DLT_LINUX_SLL2): the link header is
 * skipped and the IP packet inside parsed. Returns as ip_parse, or
 * DECODE_UNSUPPORTED for another link type or a frame that carries no IP (ARP). */
enum decode_status ip_parse_link(int dlt, const uint8_t *p, size_t len, struct ip_packet *out);

#endif
