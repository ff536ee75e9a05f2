/* netsim: the fake DNS server and the sinkhole listeners, on one epoll event-loop thread. */
#include "tracer/netsim.h"
#include "tracer/attribution.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/hostname.h"
#include "core/strbuf.h"
#include "tracer/fakedns.h"
#include "tracer/h2sink.h"
#include "tracer/tls_term.h"

#define DEFAULT_MAX_LOG 100000
#define DEFAULT_MAX_OPEN 512
#define DEFAULT_FIRST_BYTES (16 * 1024)
#define DEFAULT_FIRST_BYTES_TOTAL (64u * 1024 * 1024)
#define DEFAULT_IDLE_MS 2000
#define DEFAULT_LIFETIME_MS 10000
#define LOG_CHUNK 1024
#define UDP_BUF (64 * 1024)
#define DNS_TCP_BUF (2 + 65535)
#define OUT_CAP (64 * 1024)     /* queued answers per connection before it is dropped */
#define MAX_HTTP_REQUESTS 2     /* answered per connection: the first and a keep-alive second */
#define UDP_BATCH 64            /* datagrams read per wake-up, so TCP is not starved */
#define BIND_ATTEMPTS 16        /* for a free port that must be free for UDP and TCP alike */

/* What an epoll event points at. */
enum source_kind { SOURCE_WAKE, SOURCE_DNS_UDP, SOURCE_DNS_TCP, SOURCE_SINKHOLE, SOURCE_CONN };

struct source {
	enum source_kind kind;
	int fd;
	uint16_t port; /* listeners: the bound port */
};

struct conn {
	struct source src; /* first: the epoll pointer is the conn's */
	bool dns;          /* DNS over TCP, else a sinkhole */
	bool caught;       /* accepted by the catch-all: local is the original destination */
	struct netsim_addr local, peer;
	uint64_t accepted_ms, deadline_ms, end_ms;
	uint64_t accepted_us;
	uint8_t *in;
	size_t in_len, in_cap, in_max;
	uint8_t out[OUT_CAP];
	size_t out_len, out_off;
	uint32_t events;   /* what epoll watches for */
	bool close_after;  /* close once out is flushed */
	bool truncated;
	enum sinkhole_protocol protocol;
	size_t http_off;   /* where the next HTTP request starts */
	unsigned http_requests;
	bool sent_continue;
	char *process;     /* the client process, found at accept (with attribute) */
	struct scan *scan; /* the canary search over everything it sends, or NULL */
	bool draining;     /* past the cap: read and searched, no longer kept or answered */
	/* A terminated TLS connection (netsim_config.tls_ca): what it sends inside is kept in
	 * plain, searched by plain_scan and answered like plain HTTP, encrypted. */
	struct tls_term *tls;
	uint8_t *plain;
	size_t plain_len;
	bool plain_truncated;
	bool plain_draining; /* past the cap inside: decrypted and searched, no longer answered */
	struct scan *plain_scan;
	bool expired;        /* closed by the idle or lifetime limit, not by either side */
	bool inside_known;   /* whether what it speaks inside was decided: h2 or HTTP/1.x */
	struct h2sink *h2;   /* h2 inside: its requests reach plain written out as HTTP/1.1 */
};

/* An append-only log in fixed chunks, so logged entries never move and can be read while
 * the loop appends (count read under the lock). */
struct chunk_log {
	void **chunks;
	size_t elem, len, max, nchunks;
};

struct netsim {
	/* Set before the loop starts, then read-only. */
	size_t max_open, first_cap, first_total;
	const struct canary_set *canaries;
	struct tls_term_ctx *tls;     /* NULL: TLS is read to the end of its ClientHello */
	unsigned idle_ms, lifetime_ms;
	bool attribute;
	struct timespec start;
	int epfd;
	struct source wake;
	struct source *listeners;
	size_t n_listeners;
	uint16_t dns_port;
	uint16_t *sink_ports;
	size_t n_sink_ports;
	uint16_t catch_port;          /* the catch-all listener's port, or 0 */
	pthread_t thread;
	bool running;

	/* The loop thread's own. */
	struct conn **conns;
	size_t n_conns;
	uint8_t *udp_buf;
	size_t first_used;

	/* Shared: under lock. */
	pthread_mutex_t lock;
	struct fakedns_table *table;
	struct chunk_log queries, connections;
	struct netsim_stats stats; /* queries and connections are the logs' lengths */
};

/* ---- small helpers ---- */

static uint64_t elapsed_ms(const struct netsim *ns)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)(now.tv_sec - ns->start.tv_sec) * 1000 + (uint64_t)(now.tv_nsec / 1000000) -
	       (uint64_t)(ns->start.tv_nsec / 1000000);
}

static uint64_t elapsed_us(const struct netsim *ns)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (uint64_t)((now.tv_sec - ns->start.tv_sec) * 1000000LL + (now.tv_nsec - ns->start.tv_nsec) / 1000);
}

static void lock(const struct netsim *ns)
{
	pthread_mutex_lock((pthread_mutex_t *)&ns->lock); /* the lock is not part of the value */
}

static void unlock(const struct netsim *ns)
{
	pthread_mutex_unlock((pthread_mutex_t *)&ns->lock);
}

static void addr_from_sockaddr(const struct sockaddr_storage *ss, struct netsim_addr *a)
{
	memset(a, 0, sizeof *a);
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;
		a->family = AF_INET;
		memcpy(a->addr, &s4->sin_addr, 4);
		a->port = ntohs(s4->sin_port);
	} else if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
		a->family = AF_INET6;
		memcpy(a->addr, &s6->sin6_addr, 16);
		a->port = ntohs(s6->sin6_port);
	}
}

static bool log_init(struct chunk_log *l, size_t elem, size_t max)
{
	l->elem = elem;
	l->max = max;
	l->nchunks = (max + LOG_CHUNK - 1) / LOG_CHUNK;
	l->chunks = calloc(l->nchunks, sizeof *l->chunks);
	return l->chunks != NULL;
}

/* A zeroed new entry, or NULL when the log is full or memory ran out. Under the lock. */
static void *log_append(struct chunk_log *l)
{
	size_t c = l->len / LOG_CHUNK;
	if (l->len >= l->max)
		return NULL;
	if (!l->chunks[c] && !(l->chunks[c] = calloc(LOG_CHUNK, l->elem)))
		return NULL;
	return (char *)l->chunks[c] + (l->len++ % LOG_CHUNK) * l->elem;
}

static const void *log_at(const struct chunk_log *l, size_t i)
{
	return (const char *)l->chunks[i / LOG_CHUNK] + (i % LOG_CHUNK) * l->elem;
}

static void log_free(struct chunk_log *l, void (*free_entry)(void *))
{
	for (size_t i = 0; free_entry && i < l->len; i++)
		free_entry((char *)l->chunks[i / LOG_CHUNK] + (i % LOG_CHUNK) * l->elem);
	for (size_t c = 0; l->chunks && c < l->nchunks; c++)
		free(l->chunks[c]);
	free(l->chunks);
	l->chunks = NULL;
}

static void free_query(void *e)
{
	free((char *)((struct netsim_dns_query *)e)->name);
	free((char *)((struct netsim_dns_query *)e)->process);
}

static void free_connection(void *e)
{
	free((uint8_t *)((struct netsim_connection *)e)->first_bytes);
	free((char *)((struct netsim_connection *)e)->process);
	free((struct scan_hit *)((struct netsim_connection *)e)->hits);
	free((uint8_t *)((struct netsim_connection *)e)->plain_bytes);
	free((char *)((struct netsim_connection *)e)->tls_name);
	free((char *)((struct netsim_connection *)e)->tls_refused);
}

/* ---- DNS: the answer to one message, and its log entry ---- */

/* Top-level domains that never exist on the internet, so a real resolver answers NXDOMAIN
 * (RFC 6761 section 6.4 for .invalid, RFC 7686 for .onion, RFC 9476 for .alt): a fake
 * network that gives them an address is a sandbox. */
static const char *const nonexistent_tlds[] = {"invalid", "onion", "alt"};

static bool nonexistent_name(const char *name)
{
	for (size_t i = 0; i < sizeof nonexistent_tlds / sizeof nonexistent_tlds[0]; i++)
		if (hostname_within(name, nonexistent_tlds[i], true))
			return true;
	return false;
}

/* Find (or hand out) the synthetic address of q's name. Under the lock. Returns the
 * address length (4 or 16), or 0 with *rcode SERVFAIL when the pool is full. */
static size_t synthetic_address(struct netsim *ns, const struct fakedns_query *q, uint8_t addr[16],
				enum fakedns_rcode *rcode)
{
	size_t index;
	enum fakedns_table_status st = fakedns_table_index(ns->table, q->name, &index);

	if (st != FAKEDNS_TABLE_OK) {
		ns->stats.names_over_cap++;
		*rcode = FAKEDNS_RCODE_SERVFAIL;
		return 0;
	}
	ns->stats.names = fakedns_table_count(ns->table);
	if (q->qtype == FAKEDNS_TYPE_A) {
		fakedns_address_v4(index, addr);
		return 4;
	}
	fakedns_address_v6(index, addr);
	return 16;
}

/* Answer msg into out (FAKEDNS_ANSWER_MAX bytes) and log the query. Returns the answer's
 * length, or 0 when the message gets no answer. */
static size_t dns_answer(struct netsim *ns, const uint8_t *msg, size_t len, enum netsim_transport transport,
			 const struct netsim_addr *server, const struct netsim_addr *client, bool truncated,
			 uint8_t *out)
{
	struct fakedns_query q;
	enum fakedns_parse_status st = fakedns_parse_query(msg, len, &q);
	enum fakedns_rcode rcode = FAKEDNS_RCODE_NOERROR;
	uint8_t addr[16];
	size_t addr_len = 0, n = 0;
	struct netsim_dns_query *e;
	/* looked up before the lock: it reads /proc, and the client may be waiting */
	char *who = ns->attribute ? attribution_find(client->family, client->addr, client->port,
						      transport == NETSIM_UDP) : NULL;

	lock(ns);
	if (st == FAKEDNS_PARSE_FORMERR)
		rcode = FAKEDNS_RCODE_FORMERR;
	else if (st == FAKEDNS_PARSE_NOTIMP)
		rcode = FAKEDNS_RCODE_NOTIMP;
	else if (st == FAKEDNS_PARSE_OK && q.name[0] && nonexistent_name(q.name))
		rcode = FAKEDNS_RCODE_NXDOMAIN;
	else if (st == FAKEDNS_PARSE_OK && q.qclass == 1 && q.name[0] &&
		 (q.qtype == FAKEDNS_TYPE_A || q.qtype == FAKEDNS_TYPE_AAAA))
		addr_len = synthetic_address(ns, &q, addr, &rcode);
	/* Every other type, HTTPS/SVCB (65) included, is NODATA: NOERROR and no record. */
	if (st != FAKEDNS_PARSE_DROP)
		n = fakedns_build_answer(msg, &q, rcode, addr_len ? addr : NULL, addr_len, out, FAKEDNS_ANSWER_MAX);
	e = log_append(&ns->queries);
	if (!e) {
		ns->stats.queries_over_cap++;
		goto out;
	}
	e->process = who;
	who = NULL;
	e->name = xstrdup(q.name);
	e->qtype = st == FAKEDNS_PARSE_OK ? q.qtype : 0;
	e->rcode = (uint8_t)rcode;
	e->answered = n > 0;
	e->answered_address = n > 0 && addr_len > 0;
	e->malformed = st != FAKEDNS_PARSE_OK;
	e->truncated = truncated;
	e->transport = transport;
	e->server = *server;
	e->client = *client;
	e->time_us = elapsed_us(ns);
	e->time_ms = e->time_us / 1000;
	ns->stats.queries = ns->queries.len;
out:
	unlock(ns);
	free(who);
	return n;
}

/* ---- DNS over UDP: the answer leaves from the address the query was sent to ---- */

/* The destination of a datagram from its IP_PKTINFO / IPV6_PKTINFO control message. */
static bool datagram_destination(struct msghdr *mh, struct netsim_addr *dst, int *ifindex)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(mh); c; c = CMSG_NXTHDR(mh, c)) {
		if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
			struct in_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof pi);
			dst->family = AF_INET;
			memcpy(dst->addr, &pi.ipi_addr, 4);
			*ifindex = pi.ipi_ifindex;
			return true;
		}
		if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
			struct in6_pktinfo pi;
			memcpy(&pi, CMSG_DATA(c), sizeof pi);
			dst->family = AF_INET6;
			memcpy(dst->addr, &pi.ipi6_addr, 16);
			*ifindex = (int)pi.ipi6_ifindex;
			return true;
		}
	}
	return false;
}

/* Send answer to peer with the source address set to src (sendmsg with the matching
 * PKTINFO control message). A lost answer is the client's to retry: errors are ignored. */
static void send_from(int fd, const uint8_t *answer, size_t n, struct sockaddr_storage *peer, socklen_t peer_len,
		      const struct netsim_addr *src, int ifindex)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} control;
	struct iovec iov = {(void *)answer, n};
	struct msghdr mh = {.msg_name = peer, .msg_namelen = peer_len, .msg_iov = &iov, .msg_iovlen = 1};
	struct cmsghdr *c;

	memset(&control, 0, sizeof control);
	mh.msg_control = control.buf;
	c = (struct cmsghdr *)control.buf;
	if (src->family == AF_INET) {
		struct in_pktinfo pi = {0};
		memcpy(&pi.ipi_spec_dst, src->addr, 4);
		mh.msg_controllen = CMSG_SPACE(sizeof pi);
		c->cmsg_level = IPPROTO_IP;
		c->cmsg_type = IP_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof pi);
		memcpy(CMSG_DATA(c), &pi, sizeof pi);
	} else if (src->family == AF_INET6) {
		struct in6_pktinfo pi = {0};
		memcpy(&pi.ipi6_addr, src->addr, 16);
		pi.ipi6_ifindex = (unsigned)ifindex;
		mh.msg_controllen = CMSG_SPACE(sizeof pi);
		c->cmsg_level = IPPROTO_IPV6;
		c->cmsg_type = IPV6_PKTINFO;
		c->cmsg_len = CMSG_LEN(sizeof pi);
		memcpy(CMSG_DATA(c), &pi, sizeof pi);
	} else {
		mh.msg_control = NULL;
	}
	(void)sendmsg(fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
}

static void on_dns_udp(struct netsim *ns, const struct source *src)
{
	for (int i = 0; i < UDP_BATCH; i++) {
		union {
			char buf[CMSG_SPACE(sizeof(struct in6_pktinfo)) + CMSG_SPACE(sizeof(struct in_pktinfo))];
			struct cmsghdr align;
		} control;
		struct sockaddr_storage peer;
		struct iovec iov = {ns->udp_buf, UDP_BUF};
		struct msghdr mh = {.msg_name = &peer, .msg_namelen = sizeof peer, .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = control.buf, .msg_controllen = sizeof control.buf};
		struct netsim_addr server = {0}, client;
		uint8_t answer[FAKEDNS_ANSWER_MAX];
		int ifindex = 0;
		ssize_t got = recvmsg(src->fd, &mh, MSG_DONTWAIT);
		size_t n;

		if (got < 0)
			return; /* EAGAIN, or an error the next wake-up sees again */
		addr_from_sockaddr(&peer, &client);
		if (!datagram_destination(&mh, &server, &ifindex)) {
			struct sockaddr_storage local;
			socklen_t ll = sizeof local;
			if (getsockname(src->fd, (struct sockaddr *)&local, &ll) == 0)
				addr_from_sockaddr(&local, &server);
		}
		server.port = src->port;
		n = dns_answer(ns, ns->udp_buf, (size_t)got, NETSIM_UDP, &server, &client,
			       (mh.msg_flags & MSG_TRUNC) != 0, answer);
		if (n)
			send_from(src->fd, answer, n, &peer, mh.msg_namelen, &server, ifindex);
	}
}

/* ---- connections: DNS over TCP and sinkholes ---- */

/* Watch for input until the connection is closing, and for output while some is queued. */
static void conn_set_events(struct netsim *ns, struct conn *c, bool want_out)
{
	uint32_t events = (c->close_after ? 0 : EPOLLIN) | (want_out ? EPOLLOUT : 0);
	struct epoll_event ev = {.events = events, .data.ptr = &c->src};

	if (c->events != events && epoll_ctl(ns->epfd, EPOLL_CTL_MOD, c->src.fd, &ev) == 0)
		c->events = events;
}

/* The hits of the search over the bytes as sent and, for a terminated TLS connection, of
 * the one over what it sent inside (layer NETSIM_TLS_LAYER when nothing else hid it). */
static void copy_hits(struct netsim_connection *e, const struct scan *scan, const struct scan *plain)
{
	size_t n = 0, m = 0;
	const struct scan_hit *hits = scan ? scan_hits(scan, &n) : NULL;
	const struct scan_hit *inside = plain ? scan_hits(plain, &m) : NULL;
	struct scan_hit *copy = n + m ? malloc((n + m) * sizeof *copy) : NULL;

	if (!copy)
		return;
	if (n)
		memcpy(copy, hits, n * sizeof *copy);
	for (size_t i = 0; i < m; i++) {
		copy[n + i] = inside[i];
		copy[n + i].decrypted = true;
		if (!copy[n + i].layer)
			copy[n + i].layer = NETSIM_TLS_LAYER;
	}
	e->hits = copy;
	e->n_hits = n + m;
}

/* A copy of p[0, n) while the budget of kept bytes lasts (*used grows), else NULL. */
static uint8_t *keep_bytes(struct netsim *ns, const uint8_t *p, size_t n)
{
	uint8_t *copy;

	if (n == 0 || ns->first_used + n > ns->first_total || !(copy = malloc(n)))
		return NULL;
	memcpy(copy, p, n);
	ns->first_used += n;
	return copy;
}

/* What the log says of a terminated TLS connection. Under the lock. */
static void log_tls(struct netsim *ns, struct netsim_connection *e, const struct conn *c, uint8_t *plain)
{
	const char *failure = tls_term_failure(c->tls);

	e->tls_name = xstrdup(tls_term_name(c->tls));
	e->tls_intercepted = tls_term_established(c->tls);
	e->plain_bytes = plain;
	e->plain_len = plain ? c->plain_len : 0;
	e->plain_truncated = c->plain_truncated || (c->plain_len > 0 && !plain);
	if (!e->tls_intercepted)
		e->tls_refused = xstrdup(failure      ? failure
					 : c->expired ? "the handshake was still under way when the tracer's time limit closed it"
						      : "the client ended the connection during the handshake");
	e->tls_alert = !e->tls_intercepted && tls_term_client_alert(c->tls);
	e->http2 = c->h2 != NULL;
	if (c->h2) {
		e->http_requests = h2sink_requests(c->h2);
		if (h2sink_problem(c->h2))
			e->scan_problem = h2sink_problem(c->h2);
	}
	if (scan_problem(c->plain_scan))
		e->scan_problem = scan_problem(c->plain_scan);
	(void)ns;
}

/* Log a sinkhole connection as it closes. The first bytes are copied while the total
 * budget lasts; past it the entry keeps no bytes and says so. */
static void log_connection(struct netsim *ns, const struct conn *c)
{
	struct netsim_connection *e;
	bool kept = c->in_len == 0 || ns->first_used + c->in_len <= ns->first_total;
	uint8_t *copy = keep_bytes(ns, c->in, c->in_len);
	uint8_t *plain = c->tls ? keep_bytes(ns, c->plain, c->plain_len) : NULL;

	lock(ns);
	e = log_append(&ns->connections);
	if (!e) {
		ns->stats.connections_over_cap++;
		unlock(ns);
		free(copy);
		free(plain);
		return;
	}
	if (!kept)
		ns->stats.first_bytes_over_cap++;
	e->local = c->local;
	e->peer = c->peer;
	e->time_ms = c->accepted_ms;
	e->time_us = c->accepted_us;
	e->end_ms = elapsed_ms(ns);
	e->protocol = c->protocol;
	e->first_bytes = copy;
	e->first_len = copy ? c->in_len : 0;
	e->truncated = c->truncated || (c->in_len > 0 && !copy);
	e->http_requests = c->http_requests;
	e->process = xstrdup(c->process);
	e->caught = c->caught;
	e->scan_problem = scan_problem(c->scan);
	copy_hits(e, c->scan, c->plain_scan);
	if (c->tls)
		log_tls(ns, e, c, plain);
	ns->stats.connections = ns->connections.len;
	unlock(ns);
}

static void conn_close(struct netsim *ns, size_t i)
{
	struct conn *c = ns->conns[i];

	if (c->h2)
		h2sink_finish(c->h2); /* requests cut off by the end are still what it sent */
	if (!c->dns)
		log_connection(ns, c);
	epoll_ctl(ns->epfd, EPOLL_CTL_DEL, c->src.fd, NULL);
	close(c->src.fd);
	free(c->in);
	free(c->process);
	scan_free(c->scan);
	scan_free(c->plain_scan);
	tls_term_free(c->tls);
	h2sink_free(c->h2);
	free(c->plain);
	free(c);
	ns->conns[i] = ns->conns[--ns->n_conns];
}

static size_t conn_index(const struct netsim *ns, const struct conn *c)
{
	size_t i = 0;
	while (i < ns->n_conns && ns->conns[i] != c)
		i++;
	return i;
}

/* Send what is queued. Returns false when the connection is finished (closed by us). */
static bool conn_flush(struct netsim *ns, struct conn *c)
{
	while (c->out_off < c->out_len) {
		ssize_t n = send(c->src.fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			conn_set_events(ns, c, true);
			return true;
		}
		if (n <= 0)
			return false;
		c->out_off += (size_t)n;
	}
	c->out_off = c->out_len = 0;
	conn_set_events(ns, c, false);
	return !c->close_after;
}

/* Queue bytes; a client that does not read its answers is cut off at OUT_CAP. */
static void conn_queue(struct conn *c, const void *p, size_t n)
{
	if (n > sizeof c->out - c->out_len) {
		c->close_after = true;
		return;
	}
	memcpy(c->out + c->out_len, p, n);
	c->out_len += n;
}

/* Answer every complete length-prefixed message (RFC 1035 4.2.2) and keep the rest. */
static void dns_tcp_input(struct netsim *ns, struct conn *c)
{
	size_t off = 0;

	while (c->in_len - off >= 2) {
		size_t mlen = (size_t)c->in[off] << 8 | c->in[off + 1];
		uint8_t answer[2 + FAKEDNS_ANSWER_MAX];
		size_t n;
		if (c->in_len - off - 2 < mlen)
			break;
		n = dns_answer(ns, c->in + off + 2, mlen, NETSIM_TCP, &c->local, &c->peer, false, answer + 2);
		if (n) {
			answer[0] = (uint8_t)(n >> 8);
			answer[1] = (uint8_t)n;
			conn_queue(c, answer, n + 2);
		}
		off += 2 + mlen;
	}
	memmove(c->in, c->in + off, c->in_len - off);
	c->in_len -= off;
}

/* Queue an answer to what the client sent: as is, or encrypted on a terminated TLS connection. */
static void conn_answer(struct conn *c, const char *text)
{
	if (!c->tls)
		conn_queue(c, text, strlen(text));
	else if (!tls_term_write(c->tls, text, strlen(text)))
		c->close_after = true;
}

/* Answer each complete HTTP request in buf[0, len) (the bytes as sent, or what was sent
 * inside TLS) with 200 (up to MAX_HTTP_REQUESTS), or 100 Continue when a client waits
 * for it before its body. */
static void http_input(struct conn *c, const uint8_t *buf, size_t len, bool full)
{
	struct sinkhole_http_request req;

	while (c->http_requests < MAX_HTTP_REQUESTS && c->http_off < len) {
		enum sinkhole_http_status st = sinkhole_http_parse(buf + c->http_off, len - c->http_off, &req);
		if (st == SINKHOLE_HTTP_HEADERS && req.expect_continue && !c->sent_continue) {
			conn_answer(c, sinkhole_http_continue);
			c->sent_continue = true;
		}
		if (st == SINKHOLE_HTTP_COMPLETE || st == SINKHOLE_HTTP_BAD || full) {
			/* A request we cannot delimit, or one past the cap, is answered all the same. */
			conn_answer(c, sinkhole_http_response);
			c->http_requests++;
			c->sent_continue = false;
			if (st != SINKHOLE_HTTP_COMPLETE || req.total_len == 0) {
				c->close_after = true;
				return;
			}
			c->http_off += req.total_len;
			continue;
		}
		return;
	}
	if (c->http_requests >= MAX_HTTP_REQUESTS)
		c->close_after = true;
}

static void sinkhole_input(struct conn *c, bool full)
{
	if (c->protocol == SINKHOLE_UNKNOWN)
		c->protocol = sinkhole_classify(c->in, c->in_len);
	if (c->protocol == SINKHOLE_HTTP) {
		http_input(c, c->in, c->in_len, full);
	} else if (c->protocol == SINKHOLE_TLS) {
		size_t rec = sinkhole_tls_record_len(c->in, c->in_len);
		if (rec && c->in_len >= rec)
			c->close_after = true; /* the ClientHello record is in: there is no answer to give */
	}
	if (full)
		c->close_after = true;
}

/* The client sent more: its idle time starts again (never past its lifetime). */
static void conn_active(struct netsim *ns, struct conn *c)
{
	c->deadline_ms = elapsed_ms(ns) + ns->idle_ms;
	if (c->deadline_ms > c->end_ms)
		c->deadline_ms = c->end_ms;
}

/* Past the cap, a scanned connection is read to its end: searched, not kept. Returns
 * false when the client is finished. */
static bool conn_drain(struct netsim *ns, struct conn *c)
{
	uint8_t buf[16384];

	for (;;) {
		ssize_t n = recv(c->src.fd, buf, sizeof buf, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return conn_flush(ns, c);
		if (n <= 0)
			return false;
		scan_feed(c->scan, buf, (size_t)n);
		conn_active(ns, c);
	}
}

/* ---- terminated TLS: the bytes inside are kept, searched and answered ---- */

/* What the client sent inside, as HTTP/1.x: searched whole, kept up to the connection's cap. */
static void plain_keep(void *arg, const uint8_t *p, size_t n)
{
	struct conn *c = arg;
	size_t room = c->in_max - c->plain_len;

	scan_feed(c->plain_scan, p, n);
	if (n > room) {
		c->plain_truncated = true;
		n = room;
	}
	if (n == 0 || (!c->plain && !(c->plain = malloc(c->in_max)))) {
		c->plain_truncated = c->plain_truncated || n > 0;
		return;
	}
	memcpy(c->plain + c->plain_len, p, n);
	c->plain_len += n;
}

/* Decrypted bytes from the client: HTTP/1.x kept as they are; h2 (chosen by ALPN, or a
 * client that sends its preface without it) read by a session whose requests are kept. */
static void on_plain(void *arg, const uint8_t *p, size_t n)
{
	struct conn *c = arg;

	if (!c->inside_known) {
		c->inside_known = true;
		if ((tls_term_h2(c->tls) || h2sink_preface(p, n)) && !(c->h2 = h2sink_new(plain_keep, c)))
			c->close_after = true;
	}
	if (!c->h2)
		plain_keep(c, p, n);
	else if (!h2sink_input(c->h2, p, n))
		c->close_after = true;
}

/* Encrypts what the h2 session sends. */
static bool h2_send(void *arg, const uint8_t *p, size_t n)
{
	struct conn *c = arg;

	return tls_term_write(c->tls, p, n);
}

/* Moves what the TLS engine has to send into the output queue; a client that does not
 * read it is cut off at OUT_CAP, as for plain answers. */
static void tls_pull_output(struct conn *c)
{
	while (tls_term_has_output(c->tls)) {
		size_t n = tls_term_output(c->tls, c->out + c->out_len, sizeof c->out - c->out_len);
		if (n == 0) {
			c->close_after = true;
			return;
		}
		c->out_len += n;
	}
}

/* The next bytes of a terminated connection: decrypted, then the HTTP inside answered. */
static void tls_feed(struct conn *c, const uint8_t *p, size_t n)
{
	enum tls_term_state st = tls_term_input(c->tls, p, n, on_plain, c);

	if (c->h2) { /* h2 answers each request itself; it ends at a GOAWAY or an answer not sent */
		if (st == TLS_TERM_OPEN && !h2sink_output(c->h2, h2_send, c))
			c->close_after = true;
	} else if ((st == TLS_TERM_OPEN || st == TLS_TERM_CLOSED) && !c->plain_draining) {
		http_input(c, c->plain, c->plain_len, c->plain_truncated);
		if (c->plain_truncated && st == TLS_TERM_OPEN && c->plain_scan) {
			/* answered; the rest it sends inside is decrypted and searched to its end */
			c->close_after = false;
			c->plain_draining = true;
		}
	}
	if (st == TLS_TERM_FAILED || st == TLS_TERM_CLOSED)
		c->close_after = true;
	tls_pull_output(c);
}

/* A ClientHello on a sinkhole with a CA: start terminating. Returns false (read to the end
 * of the ClientHello, as without a CA) when it is not TLS or memory ran out. */
static bool tls_start(struct netsim *ns, struct conn *c)
{
	char address[INET6_ADDRSTRLEN];

	if (c->protocol == SINKHOLE_UNKNOWN)
		c->protocol = sinkhole_classify(c->in, c->in_len);
	if (!ns->tls || c->protocol != SINKHOLE_TLS)
		return false;
	if (!inet_ntop(c->local.family, c->local.addr, address, sizeof address))
		address[0] = '\0';
	if (ns->canaries)
		c->plain_scan = scan_new(ns->canaries);
	if (!(c->tls = tls_term_new(ns->tls, address[0] ? address : NULL))) {
		lock(ns);
		ns->stats.tls_setup_failed++;
		unlock(ns);
		return false;
	}
	return true;
}

/* Reads a terminated connection: the raw bytes are kept up to the cap (the ClientHello
 * the report reads its SNI from) and searched as sent; all of them go to the TLS engine.
 * Returns false when the client is finished. */
static bool tls_read(struct netsim *ns, struct conn *c)
{
	uint8_t buf[16384];
	bool ended = false;

	while (!c->close_after) {
		ssize_t n = recv(c->src.fd, buf, sizeof buf, MSG_DONTWAIT);
		size_t keep;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			ended = true;
			break;
		}
		keep = (size_t)n < c->in_cap - c->in_len ? (size_t)n : c->in_cap - c->in_len;
		memcpy(c->in + c->in_len, buf, keep);
		scan_feed(c->scan, buf, keep);
		c->in_len += keep;
		conn_active(ns, c);
		tls_feed(c, buf, (size_t)n);
	}
	return conn_flush(ns, c) && !ended;
}

/* Read what the client sent, up to the connection's cap, and answer it. Returns false when
 * it is finished. What came with the end of the stream is handled (logged, answered) first:
 * a client may write its query and close its side at once. */
static bool conn_read(struct netsim *ns, struct conn *c)
{
	bool ended = false;

	if (c->draining)
		return conn_drain(ns, c);
	if (c->tls)
		return tls_read(ns, c);
	for (;;) {
		ssize_t n;
		if (c->in_len == c->in_cap) {
			size_t cap = c->in_cap ? c->in_cap * 2 : 1024;
			uint8_t *in;
			if (c->in_cap == c->in_max) {
				c->truncated = true;
				break;
			}
			cap = cap > c->in_max ? c->in_max : cap;
			if (!(in = realloc(c->in, cap)))
				return false;
			c->in = in;
			c->in_cap = cap;
		}
		n = recv(c->src.fd, c->in + c->in_len, c->in_cap - c->in_len, MSG_DONTWAIT);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			break;
		if (n <= 0) {
			ended = true; /* the client closed (or reset) its side */
			break;
		}
		scan_feed(c->scan, c->in + c->in_len, (size_t)n);  /* a DNS connection has none */
		c->in_len += (size_t)n;
		conn_active(ns, c);
	}
	if (c->dns) {
		dns_tcp_input(ns, c);
	} else if (tls_start(ns, c)) {
		tls_feed(c, c->in, c->in_len);  /* the ClientHello, and whatever came with it */
		return conn_flush(ns, c) && !ended;
	} else {
		sinkhole_input(c, c->truncated);
	}
	if (!ended && c->truncated && c->scan) {
		/* the answer (if any) is queued; keep reading what else it sends, to its end */
		c->close_after = false;
		c->draining = true;
		return conn_drain(ns, c);
	}
	return conn_flush(ns, c) && !ended;  /* a half-closed client still gets its answers */
}

static void on_conn(struct netsim *ns, struct conn *c, uint32_t events)
{
	bool alive = true;

	if (events & EPOLLOUT)
		alive = conn_flush(ns, c);
	if (alive && !c->close_after && (events & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		alive = conn_read(ns, c);
	else if (alive && c->close_after && (events & (EPOLLHUP | EPOLLERR)))
		alive = false; /* closing anyway, and the client is gone: do not wait to flush */
	if (!alive)
		conn_close(ns, conn_index(ns, c));
}

/* Where a connection redirected by the kernel's NAT was going (SO_ORIGINAL_DST, 80 for
 * both families in linux/netfilter_ipv4.h and netfilter_ipv6/ip6_tables.h). Returns 0. */
static int original_destination(int fd, struct sockaddr_storage *out)
{
	socklen_t len = sizeof *out;

	if (out->ss_family == AF_INET6 && getsockopt(fd, SOL_IPV6, 80, out, &len) == 0)
		return 0;
	len = sizeof *out;
	return out->ss_family == AF_INET ? getsockopt(fd, SOL_IP, 80, out, &len) : -1;
}

static void on_accept(struct netsim *ns, const struct source *src)
{
	for (;;) {
		struct sockaddr_storage peer, local;
		socklen_t pl = sizeof peer, ll = sizeof local;
		int fd = accept4(src->fd, (struct sockaddr *)&peer, &pl, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct conn *c;
		struct epoll_event ev = {.events = EPOLLIN};
		const char *banner;
		bool c_caught = false;

		if (fd < 0)
			return;
		if (ns->n_conns >= ns->max_open || getsockname(fd, (struct sockaddr *)&local, &ll) != 0 ||
		    !(c = calloc(1, sizeof *c))) {
			lock(ns);
			ns->stats.connections_refused++;
			unlock(ns);
			close(fd);
			continue;
		}
		if (ns->catch_port && src->port == ns->catch_port) {
			/* redirected here from another port: the log wants where it was going */
			c_caught = original_destination(fd, &local) == 0;
		}
		c->src = (struct source){SOURCE_CONN, fd, src->port};
		c->caught = c_caught;
		c->dns = src->kind == SOURCE_DNS_TCP;
		c->in_max = c->dns ? DNS_TCP_BUF : ns->first_cap;
		if (!c->dns && ns->canaries)
			c->scan = scan_new(ns->canaries); /* NULL (out of memory): first bytes only */
		addr_from_sockaddr(&local, &c->local);
		addr_from_sockaddr(&peer, &c->peer);
		if (ns->attribute)  /* now, while the client still holds the socket */
			c->process = attribution_find(c->peer.family, c->peer.addr, c->peer.port, false);
		c->events = EPOLLIN;
		c->accepted_us = elapsed_us(ns);
		c->accepted_ms = elapsed_ms(ns);
		c->end_ms = c->accepted_ms + ns->lifetime_ms;
		c->deadline_ms = c->accepted_ms + ns->idle_ms;
		ev.data.ptr = &c->src;
		ns->conns[ns->n_conns++] = c;
		if (epoll_ctl(ns->epfd, EPOLL_CTL_ADD, fd, &ev) != 0) {
			conn_close(ns, ns->n_conns - 1);
			continue;
		}
		if (!c->dns && (banner = sinkhole_banner(c->local.port)) != NULL) {
			conn_queue(c, banner, strlen(banner));
			if (!conn_flush(ns, c))
				conn_close(ns, ns->n_conns - 1);
		}
	}
}

/* Whether the client's bytes wait unread in the socket. */
static bool has_unread(const struct conn *c)
{
	int n = 0;

	return ioctl(c->src.fd, FIONREAD, &n) == 0 && n > 0;
}

/* Close the connections past their deadline; returns the ms to the next deadline, or -1.
 * A connection whose bytes came but were not read yet (the loop was busy with others, as in
 * a burst) is not idle: its idle time starts again, within its lifetime. */
static int expire(struct netsim *ns)
{
	uint64_t now = elapsed_ms(ns), next = UINT64_MAX;

	for (size_t i = 0; i < ns->n_conns;) {
		struct conn *c = ns->conns[i];
		if (c->deadline_ms <= now && now < c->end_ms && has_unread(c))
			conn_active(ns, c);
		if (c->deadline_ms <= now) {
			c->expired = true;
			conn_close(ns, i); /* moves the last connection to i */
			continue;
		}
		if (c->deadline_ms < next)
			next = c->deadline_ms;
		i++;
	}
	return next == UINT64_MAX ? -1 : (int)(next - now);
}

static void *event_loop(void *arg)
{
	struct netsim *ns = arg;
	struct epoll_event ev[64];
	bool stop = false;

	while (!stop) {
		int n = epoll_wait(ns->epfd, ev, 64, expire(ns));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			lock(ns);
			ns->stats.loop_failed = true;
			unlock(ns);
			break;
		}
		for (int i = 0; i < n; i++) {
			struct source *src = ev[i].data.ptr;
			switch (src->kind) {
			case SOURCE_WAKE:
				stop = true;
				break;
			case SOURCE_DNS_UDP:
				on_dns_udp(ns, src);
				break;
			case SOURCE_DNS_TCP:
			case SOURCE_SINKHOLE:
				on_accept(ns, src);
				break;
			case SOURCE_CONN:
				on_conn(ns, (struct conn *)src, ev[i].events);
				break;
			}
		}
	}
	return NULL;
}

/* ---- start, stop, accessors ---- */

static const char *const wildcard_addresses[] = {"0.0.0.0", "::"};

void netsim_config_init(struct netsim_config *cfg)
{
	memset(cfg, 0, sizeof *cfg);
	cfg->dns_port = 53;
	cfg->sinkhole_ports = sinkhole_default_ports(&cfg->n_sinkhole_ports);
}

static bool parse_address(const char *text, struct sockaddr_storage *ss, socklen_t *len)
{
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

	memset(ss, 0, sizeof *ss);
	if (inet_pton(AF_INET, text, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		*len = sizeof *s4;
		return true;
	}
	if (inet_pton(AF_INET6, text, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		*len = sizeof *s6;
		return true;
	}
	return false;
}

/* One bound socket: UDP with PKTINFO, or a listening TCP socket. *port 0 means a free port,
 * set to the bound one. Returns the descriptor, or -1 with errno and err set. */
static int bind_socket(const char *address, int type, uint16_t *port, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int fd, on = 1, saved;
	const char *what = "socket";

	if (!parse_address(address, &ss, &len)) {
		snprintf(err, errlen, "netsim: not a numeric address: %s", address);
		errno = EINVAL;
		return -1;
	}
	((struct sockaddr_in *)&ss)->sin_port = htons(*port); /* same offset in sockaddr_in6 */
	fd = socket(ss.ss_family, type | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		goto fail;
	what = "setsockopt";
	if (ss.ss_family == AF_INET6 && setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on) != 0)
		goto fail;
	if (type == SOCK_STREAM && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on) != 0)
		goto fail;
	if (type == SOCK_DGRAM && ss.ss_family == AF_INET && setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &on, sizeof on))
		goto fail;
	if (type == SOCK_DGRAM && ss.ss_family == AF_INET6 &&
	    setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on) != 0)
		goto fail;
	what = "bind";
	if (bind(fd, (struct sockaddr *)&ss, len) != 0)
		goto fail;
	what = "listen";
	if (type == SOCK_STREAM && listen(fd, 128) != 0)
		goto fail;
	what = "getsockname";
	len = sizeof ss;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) != 0)
		goto fail;
	*port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return fd;
fail:
	saved = errno;
	snprintf(err, errlen, "netsim: %s %s port %u (%s): %s", what, address, (unsigned)*port,
		 type == SOCK_DGRAM ? "udp" : "tcp", strerror(saved));
	if (fd >= 0)
		close(fd);
	errno = saved;
	return -1;
}

static void close_listeners_from(struct netsim *ns, size_t from)
{
	while (ns->n_listeners > from)
		close(ns->listeners[--ns->n_listeners].fd);
}

/* Bind one service (DNS: UDP and TCP; a sinkhole: TCP) on every address, all on the same
 * port. With port 0 the first socket picks a free port and the others follow it, so the
 * whole service is retried when that port is taken for another protocol or address. */
static enum netsim_status open_service(struct netsim *ns, const char *const *addresses, size_t n_addresses,
				       enum source_kind kind, uint16_t want, uint16_t *bound, char *err,
				       size_t errlen)
{
	for (int attempt = 0; attempt < BIND_ATTEMPTS; attempt++) {
		size_t first = ns->n_listeners;
		uint16_t port = want;
		bool retry = false;
		for (size_t a = 0; a < n_addresses && !retry; a++) {
			for (int udp = kind == SOURCE_DNS_UDP ? 1 : 0; udp >= 0; udp--) {
				int fd = bind_socket(addresses[a], udp ? SOCK_DGRAM : SOCK_STREAM, &port, err, errlen);
				if (fd < 0 && errno == EAFNOSUPPORT && addresses == wildcard_addresses && a == 1) {
					ns->stats.ipv6_unavailable = true;
					break;
				}
				if (fd < 0 && errno == EADDRINUSE && want == 0 && ns->n_listeners > first) {
					retry = true;
					break;
				}
				if (fd < 0)
					goto fail;
				ns->listeners[ns->n_listeners++] = (struct source){
					udp ? SOURCE_DNS_UDP : kind == SOURCE_DNS_UDP ? SOURCE_DNS_TCP : kind, fd, port};
			}
		}
		if (!retry) {
			*bound = port;
			return NETSIM_OK;
		}
		close_listeners_from(ns, first);
	}
fail:
	return NETSIM_ERR_SOCKET;
}

static enum netsim_status set_caps(struct netsim *ns, const struct netsim_config *cfg, char *err, size_t errlen)
{
	size_t max_queries = cfg->max_queries ? cfg->max_queries : DEFAULT_MAX_LOG;
	size_t max_conns = cfg->max_connections ? cfg->max_connections : DEFAULT_MAX_LOG;

	ns->max_open = cfg->max_open ? cfg->max_open : DEFAULT_MAX_OPEN;
	ns->first_cap = cfg->first_bytes_cap ? cfg->first_bytes_cap : DEFAULT_FIRST_BYTES;
	ns->first_total = cfg->first_bytes_total ? cfg->first_bytes_total : DEFAULT_FIRST_BYTES_TOTAL;
	ns->idle_ms = cfg->idle_timeout_ms ? cfg->idle_timeout_ms : DEFAULT_IDLE_MS;
	ns->attribute = cfg->attribute;
	ns->canaries = cfg->canaries;
	if (cfg->tls_ca && !(ns->tls = tls_term_ctx_new(cfg->tls_ca, err, errlen)))
		return NETSIM_ERR_TLS;
	ns->lifetime_ms = cfg->lifetime_ms ? cfg->lifetime_ms : DEFAULT_LIFETIME_MS;
	if (cfg->n_addresses > NETSIM_MAX_ADDRESSES || cfg->n_sinkhole_ports > NETSIM_MAX_SINKHOLE_PORTS) {
		snprintf(err, errlen, "netsim: at most %d addresses and %d sinkhole ports", NETSIM_MAX_ADDRESSES,
			 NETSIM_MAX_SINKHOLE_PORTS);
		return NETSIM_ERR_CONFIG;
	}
	for (size_t i = 0; i < cfg->n_addresses; i++) {
		struct sockaddr_storage ss;
		socklen_t len;
		if (!parse_address(cfg->addresses[i], &ss, &len)) {
			snprintf(err, errlen, "netsim: not a numeric address: %s", cfg->addresses[i]);
			return NETSIM_ERR_CONFIG;
		}
	}
	if (!log_init(&ns->queries, sizeof(struct netsim_dns_query), max_queries) ||
	    !log_init(&ns->connections, sizeof(struct netsim_connection), max_conns) ||
	    !(ns->table = fakedns_table_new(cfg->max_names)) || !(ns->udp_buf = malloc(UDP_BUF)) ||
	    !(ns->conns = calloc(ns->max_open, sizeof *ns->conns)) ||
	    !(ns->sink_ports = calloc(cfg->n_sinkhole_ports + 1, sizeof *ns->sink_ports)) ||
	    !(ns->listeners = calloc(NETSIM_MAX_ADDRESSES * (2 + cfg->n_sinkhole_ports), sizeof *ns->listeners))) {
		snprintf(err, errlen, "netsim: out of memory");
		return NETSIM_ERR_NOMEM;
	}
	return NETSIM_OK;
}

/* Register every listener and the wake-up descriptor with a new epoll instance. */
static enum netsim_status watch_all(struct netsim *ns, char *err, size_t errlen)
{
	struct epoll_event ev = {.events = EPOLLIN, .data.ptr = &ns->wake};

	ns->epfd = epoll_create1(EPOLL_CLOEXEC);
	ns->wake = (struct source){SOURCE_WAKE, eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC), 0};
	if (ns->epfd < 0 || ns->wake.fd < 0 || epoll_ctl(ns->epfd, EPOLL_CTL_ADD, ns->wake.fd, &ev) != 0)
		goto fail;
	for (size_t i = 0; i < ns->n_listeners; i++) {
		ev.data.ptr = &ns->listeners[i];
		if (epoll_ctl(ns->epfd, EPOLL_CTL_ADD, ns->listeners[i].fd, &ev) != 0)
			goto fail;
	}
	return NETSIM_OK;
fail:
	snprintf(err, errlen, "netsim: epoll: %s", strerror(errno));
	return NETSIM_ERR_SOCKET;
}

enum netsim_status netsim_start(const struct netsim_config *cfg, struct netsim **out, char *err, size_t errlen)
{
	struct netsim *ns = calloc(1, sizeof *ns);
	const char *const *addresses = cfg->n_addresses ? cfg->addresses : wildcard_addresses;
	size_t n_addresses = cfg->n_addresses ? cfg->n_addresses : 2;
	enum netsim_status st = NETSIM_ERR_NOMEM;

	*out = NULL;
	if (!ns) {
		snprintf(err, errlen, "netsim: out of memory");
		return NETSIM_ERR_NOMEM;
	}
	ns->epfd = ns->wake.fd = -1;
	clock_gettime(CLOCK_MONOTONIC, &ns->start);
	if (pthread_mutex_init(&ns->lock, NULL) != 0)
		goto out_nolock;
	if ((st = set_caps(ns, cfg, err, errlen)) != NETSIM_OK)
		goto out;
	st = open_service(ns, addresses, n_addresses, SOURCE_DNS_UDP, cfg->dns_port, &ns->dns_port, err, errlen);
	for (size_t i = 0; st == NETSIM_OK && i < cfg->n_sinkhole_ports; i++, ns->n_sink_ports++)
		st = open_service(ns, addresses, n_addresses, SOURCE_SINKHOLE, cfg->sinkhole_ports[i],
				  &ns->sink_ports[i], err, errlen);
	if (st == NETSIM_OK && cfg->catch_all)
		st = open_service(ns, addresses, n_addresses, SOURCE_SINKHOLE, 0, &ns->catch_port, err, errlen);
	if (st == NETSIM_OK)
		st = watch_all(ns, err, errlen);
	if (st != NETSIM_OK)
		goto out;
	if (pthread_create(&ns->thread, NULL, event_loop, ns) != 0) {
		snprintf(err, errlen, "netsim: cannot start the event loop thread");
		st = NETSIM_ERR_THREAD;
		goto out;
	}
	ns->running = true;
	*out = ns;
	return NETSIM_OK;
out:
	netsim_free(ns);
	return st;
out_nolock:
	free(ns);
	snprintf(err, errlen, "netsim: cannot make a mutex");
	return NETSIM_ERR_THREAD;
}

void netsim_stop(struct netsim *ns)
{
	uint64_t one = 1;

	if (!ns)
		return;
	if (ns->running) {
		/* An eventfd write fails only when its counter would overflow: not with one write. */
		while (write(ns->wake.fd, &one, sizeof one) < 0 && errno == EINTR)
			;
		pthread_join(ns->thread, NULL);
		ns->running = false;
	}
	while (ns->n_conns > 0)
		conn_close(ns, ns->n_conns - 1);
	close_listeners_from(ns, 0);
	if (ns->wake.fd >= 0)
		close(ns->wake.fd);
	if (ns->epfd >= 0)
		close(ns->epfd);
	ns->wake.fd = ns->epfd = -1;
}

void netsim_free(struct netsim *ns)
{
	if (!ns)
		return;
	netsim_stop(ns);
	log_free(&ns->queries, free_query);
	log_free(&ns->connections, free_connection);
	fakedns_table_free(ns->table);
	tls_term_ctx_free(ns->tls);
	free(ns->udp_buf);
	free(ns->conns);
	free(ns->sink_ports);
	free(ns->listeners);
	pthread_mutex_destroy(&ns->lock);
	free(ns);
}

uint16_t netsim_dns_port(const struct netsim *ns)
{
	return ns->dns_port;
}

struct timespec netsim_epoch(const struct netsim *ns)
{
	return ns->start;
}

uint16_t netsim_catch_port(const struct netsim *ns)
{
	return ns->catch_port;
}

const uint16_t *netsim_sinkhole_ports(const struct netsim *ns, size_t *count)
{
	*count = ns->n_sink_ports;
	return ns->sink_ports;
}

void netsim_stats(const struct netsim *ns, struct netsim_stats *out)
{
	lock(ns);
	*out = ns->stats;
	unlock(ns);
}

/* Entry i of a log when it is already logged: the length is read under the lock. */
static const void *logged_at(const struct netsim *ns, const struct chunk_log *l, size_t i)
{
	size_t n;

	lock(ns);
	n = l->len;
	unlock(ns);
	return i < n ? log_at(l, i) : NULL;
}

const struct netsim_dns_query *netsim_dns_query_at(const struct netsim *ns, size_t i)
{
	return logged_at(ns, &ns->queries, i);
}

const struct netsim_connection *netsim_connection_at(const struct netsim *ns, size_t i)
{
	return logged_at(ns, &ns->connections, i);
}

const char *netsim_name_for_address(const struct netsim *ns, int family, const void *addr)
{
	const char *name = NULL;
	size_t index;

	if (!fakedns_address_index(family, addr, &index))
		return NULL;
	lock(ns);
	name = fakedns_table_name(ns->table, index);
	unlock(ns);
	return name;
}

const char *netsim_transport_name(enum netsim_transport t)
{
	return t == NETSIM_TCP ? "tcp" : "udp";
}
