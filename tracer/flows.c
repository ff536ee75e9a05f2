/* flows: per-flow events from captured packets: TCP handshakes, the client's first bytes reassembled in order and decoded, UDP datagrams. */
#include "tracer/flows.h"

#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "core/vec.h"
#include "tracer/decode/ip.h"
#include "tracer/decode/tcp.h"
#include "tracer/decode/udp.h"

#define BUCKETS 4096
#define DNS_PORT 53
#define QUIC_PORT 443
/* Offsets from the stream's start at or past 2^31 are before it (sequence
 * arithmetic, RFC 9293 section 3.4): old retransmissions, or junk. */
#define SEQ_BEFORE_START 0x80000000u
#define BUFFER_FIRST 2048

/* What the rest of the client's stream is decoded as. */
enum stream_state {
	STREAM_SNIFF, /* not known yet: TLS, HTTP, or (to port 53) DNS */
	STREAM_HTTP,  /* HTTP/1.x requests, one after another */
	STREAM_DNS,   /* length-prefixed DNS messages */
	STREAM_DONE,  /* nothing more to decode (TLS after its hello, or opaque) */
};

/* What a decoding step did. */
enum step { STEP_MORE, STEP_WAIT, STEP_DONE };

struct held_segment {
	uint32_t offset; /* from the stream's start */
	size_t len;
	uint8_t *bytes;
};

struct flow {
	struct flow *next; /* in its bucket */
	struct flow_key key;
	uint32_t base; /* sequence number of stream byte 0: the client's ISN + 1 */
	uint8_t *buf;  /* the contiguous stream [0, len), at most the table's cap */
	size_t len, alloc;
	uint64_t highest; /* one past the furthest stream byte seen */
	VEC(struct held_segment) held;
	size_t decode_off;
	enum stream_state state;
	unsigned requests;
	bool ended, midstream, decoded;
};

struct flows {
	flows_event_fn fn;
	void *user;
	size_t cap;
	struct flow *buckets[BUCKETS];
	size_t n_flows;
	struct flows_stats stats;
	struct timeval ts; /* of the packet in hand */
	uint64_t number;
	/* Decoded messages handed to events: kept here, not on the stack (the DNS
	 * message alone is some 40 KB). */
	struct dns_msg dns;
	struct tls_client_hello tls;
	struct http_request http;
};

static void emit(struct flows *f, struct flow_event *ev)
{
	ev->ts = f->ts;
	ev->packet_number = f->number;
	f->fn(ev, f->user);
}

static struct flow_key make_key(const struct ip_packet *ip, uint16_t src_port, uint16_t dst_port, bool src_is_client)
{
	struct flow_key k;
	memset(&k, 0, sizeof k); /* padding too: keys are hashed and compared as bytes */
	k.family = ip->family;
	memcpy(k.client, src_is_client ? ip->src : ip->dst, 16);
	memcpy(k.server, src_is_client ? ip->dst : ip->src, 16);
	k.client_port = src_is_client ? src_port : dst_port;
	k.server_port = src_is_client ? dst_port : src_port;
	return k;
}

/* FNV-1a. */
static size_t bucket_of(const struct flow_key *k)
{
	const uint8_t *p = (const uint8_t *)k;
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < sizeof *k; i++)
		h = (h ^ p[i]) * 16777619u;
	return h % BUCKETS;
}

static struct flow *find(struct flows *f, const struct flow_key *k)
{
	for (struct flow *fl = f->buckets[bucket_of(k)]; fl; fl = fl->next)
		if (memcmp(&fl->key, k, sizeof *k) == 0)
			return fl;
	return NULL;
}

static void release_stream(struct flow *fl)
{
	for (size_t i = 0; i < fl->held.len; i++)
		free(fl->held.items[i].bytes);
	vec_free(&fl->held);
	free(fl->buf);
	fl->buf = NULL;
	fl->len = fl->alloc = 0;
}

/* Append stream bytes [offset, offset + n) where offset <= fl->len; bytes already
 * there win (the first copy of an overlap is kept). */
static void append(struct flows *f, struct flow *fl, uint32_t offset, const uint8_t *p, size_t n)
{
	if (offset + n <= fl->len)
		return;
	size_t skip = fl->len - offset, add = n - skip;
	if (fl->len + add > fl->alloc) {
		size_t want = fl->alloc ? fl->alloc : BUFFER_FIRST;
		while (want < fl->len + add)
			want *= 2;
		want = want < f->cap ? want : f->cap;
		uint8_t *grown = realloc(fl->buf, want);
		if (!grown) {
			f->stats.nomem++;
			return;
		}
		fl->buf = grown;
		fl->alloc = want;
	}
	memcpy(fl->buf + fl->len, p + skip, add);
	fl->len += add;
}

static void hold(struct flows *f, struct flow *fl, uint32_t offset, const uint8_t *p, size_t n)
{
	if (fl->held.len == FLOWS_HELD_MAX) {
		f->stats.held_dropped++;
		return;
	}
	struct held_segment h = {offset, n, malloc(n)};
	if (!h.bytes || vec_push(&fl->held, h) != 0) {
		free(h.bytes);
		f->stats.nomem++;
		return;
	}
	memcpy(h.bytes, p, n);
}

/* Move held segments that now touch the stream's end into it, in the order they
 * arrived, so that where copies overlap with different bytes the earlier one
 * mostly wins (as in append); a later copy only wins for bytes that no earlier
 * copy could join yet. */
static void join_held(struct flows *f, struct flow *fl)
{
	for (size_t i = 0; i < fl->held.len;) {
		struct held_segment h = fl->held.items[i];
		if (h.offset > fl->len) {
			i++;
			continue;
		}
		append(f, fl, h.offset, h.bytes, h.len);
		free(h.bytes);
		memmove(fl->held.items + i, fl->held.items + i + 1, (fl->held.len - i - 1) * sizeof h);
		fl->held.len--;
		i = 0; /* the stream grew: earlier ones may fit now */
	}
}

static enum step sniff(struct flows *f, struct flow *fl, const uint8_t *p, size_t n, bool final)
{
	if (fl->key.server_port == DNS_PORT) {
		fl->state = STREAM_DNS;
		return STEP_MORE;
	}
	enum decode_status tls = tls_parse_client_hello(p, n, &f->tls);
	if (tls == DECODE_OK) {
		struct flow_event ev = {.kind = FLOW_EVENT_TLS_HELLO, .key = fl->key, .tls = &f->tls};
		emit(f, &ev);
		fl->decoded = true;
		fl->state = STREAM_DONE;
		return STEP_DONE;
	}
	enum decode_status http = http_parse_request(p, n, &f->http);
	if (http == DECODE_OK) {
		fl->state = STREAM_HTTP;
		return STEP_MORE;
	}
	if ((tls == DECODE_TRUNCATED || http == DECODE_TRUNCATED) && !final)
		return STEP_WAIT;
	fl->state = STREAM_DONE;
	return STEP_DONE;
}

/* RFC 9112 section 9.3: the next request starts after this one's body. A request
 * is reported once its body (up to HTTP_BODY_MAX) is here, or the stream ends. */
static enum step next_http(struct flows *f, struct flow *fl, const uint8_t *p, size_t n, bool final)
{
	struct http_request *req = &f->http;
	enum decode_status st = http_parse_request(p, n, req);
	if (st == DECODE_TRUNCATED && !final)
		return STEP_WAIT;
	if (st != DECODE_OK) {
		fl->state = STREAM_DONE;
		return STEP_DONE;
	}
	if (!req->body_complete && req->body_len < HTTP_BODY_MAX && !final)
		return STEP_WAIT;
	struct flow_event ev = {.kind = FLOW_EVENT_HTTP_REQUEST, .key = fl->key, .http = req};
	emit(f, &ev);
	fl->decoded = true;
	if (req->chunked || !req->body_complete || ++fl->requests == FLOWS_HTTP_REQUESTS_MAX) {
		fl->state = STREAM_DONE;
		return STEP_DONE;
	}
	fl->decode_off += req->head_len + (size_t)req->content_length;
	return STEP_MORE;
}

static enum step next_dns(struct flows *f, struct flow *fl, const uint8_t *p, size_t n, bool final)
{
	size_t used = 0;
	enum decode_status st = dns_parse_tcp(p, n, &f->dns, &used);
	if (st == DECODE_TRUNCATED && !final)
		return STEP_WAIT;
	if (st != DECODE_OK) {
		fl->state = STREAM_DONE;
		return STEP_DONE;
	}
	struct flow_event ev = {.kind = FLOW_EVENT_DNS,
				.key = fl->key,
				.over_tcp = true,
				.dns = &f->dns,
				.payload = p + 2,
				.payload_len = used - 2};
	emit(f, &ev);
	fl->decoded = true;
	fl->decode_off += used;
	return STEP_MORE;
}

/* Decode what the stream holds past decode_off; final means no more bytes will
 * come (the flow ended, or its buffer is full), so a partial message is decoded
 * as it is or given up. */
static void decode(struct flows *f, struct flow *fl, bool final)
{
	enum step step = STEP_MORE;
	while (step == STEP_MORE && fl->state != STREAM_DONE && fl->decode_off < fl->len) {
		const uint8_t *p = fl->buf + fl->decode_off;
		size_t n = fl->len - fl->decode_off;
		if (fl->state == STREAM_SNIFF)
			step = sniff(f, fl, p, n, final);
		else if (fl->state == STREAM_HTTP)
			step = next_http(f, fl, p, n, final);
		else
			step = next_dns(f, fl, p, n, final);
	}
}

static void end_flow(struct flows *f, struct flow *fl)
{
	if (fl->ended)
		return;
	decode(f, fl, true);
	struct flow_event ev = {
		.kind = FLOW_EVENT_STREAM_END,
		.key = fl->key,
		.payload = fl->buf,
		.payload_len = fl->len,
		.stream_bytes = fl->highest,
		.stream_capped = fl->highest > f->cap,
		.stream_gaps = fl->held.len > 0,
		.midstream = fl->midstream,
		.decoded = fl->decoded,
	};
	emit(f, &ev);
	if (!fl->decoded && fl->len > 0)
		f->stats.streams_undecoded++;
	release_stream(fl);
	fl->ended = true;
}

/* A new flow, or a fresh start for an old one whose 4-tuple is reused. */
static struct flow *open_flow(struct flows *f, struct flow *fl, const struct flow_key *k, uint32_t isn,
			      bool midstream)
{
	if (fl) {
		end_flow(f, fl);
		struct flow *next = fl->next;
		memset(fl, 0, sizeof *fl);
		fl->next = next;
	} else {
		if (f->n_flows == FLOWS_MAX)
			return NULL;
		fl = calloc(1, sizeof *fl);
		if (!fl) {
			f->stats.nomem++;
			return NULL;
		}
		size_t b = bucket_of(k);
		fl->next = f->buckets[b];
		f->buckets[b] = fl;
		f->n_flows++;
	}
	f->stats.tcp_flows++;
	fl->key = *k;
	fl->base = isn + 1;
	fl->midstream = midstream;
	return fl;
}

static void client_data(struct flows *f, struct flow *fl, uint32_t seq, const uint8_t *p, size_t n)
{
	uint32_t offset = seq - fl->base;
	if (offset >= SEQ_BEFORE_START || fl->ended)
		return;
	if ((uint64_t)offset + n > fl->highest)
		fl->highest = (uint64_t)offset + n;
	if (offset >= f->cap)
		return;
	size_t take = n < f->cap - offset ? n : f->cap - offset;
	if (offset > fl->len) {
		hold(f, fl, offset, p, take);
		return;
	}
	append(f, fl, offset, p, take);
	join_held(f, fl);
	decode(f, fl, fl->len >= f->cap);
}

static bool is_syn(const struct tcp_segment *seg)
{
	return (seg->flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
}

static void tcp_segment(struct flows *f, const struct ip_packet *ip, const struct tcp_segment *seg)
{
	struct flow_key k = make_key(ip, seg->src_port, seg->dst_port, true);
	struct flow *fl = find(f, &k);
	if (!fl) {
		struct flow_key back = make_key(ip, seg->src_port, seg->dst_port, false);
		struct flow *reverse = find(f, &back);
		if (reverse) { /* server to client: only a reset ends the client's stream */
			if (seg->flags & TCP_RST)
				end_flow(f, reverse);
			return;
		}
	}
	if (is_syn(seg)) {
		if (fl && !fl->ended && fl->base == seg->seq + 1)
			return; /* a retransmitted SYN */
		fl = open_flow(f, fl, &k, seg->seq, false);
		if (!fl) {
			f->stats.untracked_segments++;
			return;
		}
		struct flow_event ev = {.kind = FLOW_EVENT_SYN, .key = k};
		emit(f, &ev);
		if (seg->payload_len) /* TCP Fast Open (RFC 7413): data on the SYN */
			client_data(f, fl, seg->seq + 1, seg->payload, seg->payload_len);
		return;
	}
	if (!fl && seg->payload_len == 0)
		return; /* ACKs and SYN-ACKs of flows not tracked */
	if (!fl && !(fl = open_flow(f, NULL, &k, seg->seq - 1, true))) {
		f->stats.untracked_segments++;
		return;
	}
	if (seg->payload_len)
		client_data(f, fl, seg->seq, seg->payload, seg->payload_len);
	if (seg->flags & (TCP_FIN | TCP_RST))
		end_flow(f, fl);
}

static void udp_datagram(struct flows *f, const struct ip_packet *ip, const struct udp_datagram *d)
{
	struct flow_event ev = {
		.kind = FLOW_EVENT_UDP,
		.key = make_key(ip, d->src_port, d->dst_port, true),
		.payload = d->payload,
		.payload_len = d->payload_len,
	};
	f->stats.udp_datagrams++;
	if ((d->dst_port == DNS_PORT || d->src_port == DNS_PORT) &&
	    dns_parse(d->payload, d->payload_len, &f->dns) == DECODE_OK) {
		ev.kind = FLOW_EVENT_DNS;
		ev.dns = &f->dns;
	} else if (d->dst_port == QUIC_PORT) {
		ev.kind = FLOW_EVENT_QUIC;
	}
	emit(f, &ev);
}

void flows_packet(struct flows *f, int dlt, const uint8_t *bytes, size_t len, const struct timeval *ts,
		  uint64_t packet_number)
{
	struct ip_packet ip;
	struct tcp_segment seg;
	struct udp_datagram d;

	f->stats.packets++;
	f->ts = *ts;
	f->number = packet_number;
	enum decode_status st = ip_parse_link(dlt, bytes, len, &ip);
	if (st != DECODE_OK) {
		if (st == DECODE_UNSUPPORTED)
			f->stats.not_ip++;
		else
			f->stats.malformed++;
		return;
	}
	if (ip.fragment) {
		f->stats.fragments++;
		if (ip.frag_offset)
			return;
	}
	if (ip.proto == IP_PROTO_TCP && tcp_parse(ip.payload, ip.payload_len, &seg) == DECODE_OK)
		tcp_segment(f, &ip, &seg);
	else if (ip.proto == IP_PROTO_UDP && udp_parse(ip.payload, ip.payload_len, &d) == DECODE_OK)
		udp_datagram(f, &ip, &d);
	else if (ip.proto == IP_PROTO_TCP || ip.proto == IP_PROTO_UDP)
		f->stats.malformed++;
	else
		f->stats.other_protocols++;
}

struct flows *flows_new(size_t payload_cap, flows_event_fn fn, void *user)
{
	struct flows *f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->fn = fn;
	f->user = user;
	f->cap = payload_cap ? payload_cap : FLOWS_PAYLOAD_DEFAULT;
	if (f->cap > FLOWS_PAYLOAD_MAX)
		f->cap = FLOWS_PAYLOAD_MAX;
	return f;
}

void flows_finish(struct flows *f)
{
	for (size_t b = 0; b < BUCKETS; b++)
		for (struct flow *fl = f->buckets[b]; fl; fl = fl->next)
			end_flow(f, fl);
}

void flows_free(struct flows *f)
{
	if (!f)
		return;
	for (size_t b = 0; b < BUCKETS; b++) {
		struct flow *fl = f->buckets[b];
		while (fl) {
			struct flow *next = fl->next;
			release_stream(fl);
			free(fl);
			fl = next;
		}
	}
	free(f);
}

void flows_get_stats(const struct flows *f, struct flows_stats *out)
{
	*out = f->stats;
}
