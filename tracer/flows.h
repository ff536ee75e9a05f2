/* flows: per-flow events from captured packets: TCP handshakes, the client's first bytes reassembled in order and decoded, UDP datagrams. */
#ifndef MCPAUDIT_TRACER_FLOWS_H
#define MCPAUDIT_TRACER_FLOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/time.h>

#include "tracer/decode/dns.h"
#include "tracer/decode/http.h"
#include "tracer/decode/tls.h"

#define FLOWS_PAYLOAD_DEFAULT (16u * 1024) /* client-to-server bytes kept per TCP flow */
#define FLOWS_PAYLOAD_MAX (1u << 20)
#define FLOWS_MAX 65536		   /* TCP flows tracked; packets of more are counted as untracked */
#define FLOWS_HELD_MAX 64	   /* out-of-order segments held per flow; more are dropped and counted */
#define FLOWS_HTTP_REQUESTS_MAX 64 /* requests decoded per connection */

/* A TCP connection, client (the side that sent the SYN) first; for UDP, client is
 * the sender of the datagram. Addresses as in struct ip_packet. */
struct flow_key {
	int family;
	uint8_t client[16], server[16];
	uint16_t client_port, server_port;
};

enum flow_event_kind {
	FLOW_EVENT_SYN,		 /* a connection attempt (the client's first SYN), once per flow */
	FLOW_EVENT_TLS_HELLO,	 /* the client's stream starts with a ClientHello: tls */
	FLOW_EVENT_HTTP_REQUEST, /* an HTTP/1.x request, each one on a kept-alive connection: http */
	FLOW_EVENT_DNS,		 /* a DNS message, a UDP datagram or one over TCP: dns */
	FLOW_EVENT_QUIC,	 /* a UDP datagram to port 443 */
	FLOW_EVENT_UDP,		 /* any other UDP datagram (including port-53 ones that did not decode) */
	FLOW_EVENT_STREAM_END,	 /* a TCP flow ended (FIN, RST or flows_finish): its client payload */
};

/* Everything here is borrowed and valid only during the callback. */
struct flow_event {
	enum flow_event_kind kind;
	struct flow_key key;
	struct timeval ts;	/* of the packet that completed the event */
	uint64_t packet_number; /* likewise, as the capture numbered it */
	bool over_tcp;		/* DNS over TCP (RFC 1035 section 4.2.2) */
	const struct tls_client_hello *tls;
	const struct http_request *http;
	const struct dns_msg *dns;
	/* UDP, QUIC, DNS: the datagram's payload (DNS over TCP: the message).
	 * STREAM_END: the client's reassembled payload, at most the flow cap. */
	const uint8_t *payload;
	size_t payload_len;
	/* STREAM_END only. */
	uint64_t stream_bytes; /* client payload seen in total, past the cap too */
	bool stream_capped;    /* more than the cap was sent */
	bool stream_gaps;      /* held segments never joined the stream (lost or dropped) */
	bool midstream;	       /* the flow's SYN was not seen: client is the first to send */
	bool decoded;	       /* the stream's start decoded as TLS, HTTP or DNS */
};

typedef void (*flows_event_fn)(const struct flow_event *ev, void *user);

/* Counts a report's `incomplete` list needs: nothing is dropped silently. */
struct flows_stats {
	uint64_t packets;
	uint64_t not_ip;	     /* link types or ethertypes other than IP */
	uint64_t malformed;	     /* IP, TCP or UDP headers that did not decode */
	uint64_t fragments;	     /* IP fragments (not reassembled; a first fragment is still read) */
	uint64_t other_protocols;   /* ICMP and the rest */
	uint64_t tcp_flows, udp_datagrams;
	uint64_t untracked_segments; /* TCP segments of flows past FLOWS_MAX */
	uint64_t held_dropped;	     /* out-of-order segments past FLOWS_HELD_MAX */
	uint64_t streams_undecoded;  /* ended streams whose start was neither TLS, HTTP nor DNS */
	uint64_t nomem;
};

struct flows;

/* A flow table that calls fn for every event. payload_cap is the number of client
 * bytes kept per TCP flow (0: FLOWS_PAYLOAD_DEFAULT; at most FLOWS_PAYLOAD_MAX).
 * Returns NULL when memory runs out. The caller frees with flows_free. Not
 * thread-safe: feed it from one thread (the capture thread) at a time. */
struct flows *flows_new(size_t payload_cap, flows_event_fn fn, void *user);

/* Frees the table without calling fn; flows_free(NULL) is a no-op. */
void flows_free(struct flows *f);

/* One captured frame of link type dlt (see ip_parse_link). Events for it are
 * delivered before this returns. */
void flows_packet(struct flows *f, int dlt, const uint8_t *bytes, size_t len, const struct timeval *ts,
		  uint64_t packet_number);

/* End every open TCP flow: requests still waiting for more bytes are decoded from
 * what is there, and each flow gets its STREAM_END. Call once capture has stopped. */
void flows_finish(struct flows *f);

void flows_get_stats(const struct flows *f, struct flows_stats *out);

#endif
