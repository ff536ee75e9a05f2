/* netsim: the network the traced server sees inside its namespace: a fake DNS server that
 * gives every name its own synthetic address, and sinkhole TCP listeners that complete the
 * handshake and read the first bytes. One event-loop thread; thread-safe logs with caps. */
#ifndef MCPAUDIT_NETSIM_H
#define MCPAUDIT_NETSIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tracer/scan.h"
#include "tracer/sinkhole.h"

enum netsim_status {
	NETSIM_OK,
	NETSIM_ERR_CONFIG, /* a bad address, too many ports, ... (err says which) */
	NETSIM_ERR_SOCKET, /* a socket could not be made, bound or listened on (err names it) */
	NETSIM_ERR_NOMEM,
	NETSIM_ERR_THREAD,
	NETSIM_ERR_TLS,    /* the TLS server context could not be made (err says why) */
};

#define NETSIM_MAX_ADDRESSES 8
#define NETSIM_MAX_SINKHOLE_PORTS 64

struct netsim_config {
	/* Numeric addresses to listen on; NULL (or none) means the wildcards 0.0.0.0 and ::
	 * (IPv6 only, so both bind; skipped when the kernel has no IPv6 at all). */
	const char *const *addresses;
	size_t n_addresses;
	uint16_t dns_port;              /* UDP and TCP; 0 means a free port (tests) */
	const uint16_t *sinkhole_ports; /* 0 entries mean a free port each (tests) */
	size_t n_sinkhole_ports;
	/* Caps; 0 means the default in brackets. */
	size_t max_queries;          /* DNS log entries [100,000]; more are counted, not kept */
	size_t max_connections;      /* connection log entries [100,000] */
	size_t max_open;             /* connections open at once [512]; more are closed at once */
	size_t max_names;            /* synthetic names [131,070, the whole pool] */
	size_t first_bytes_cap;      /* bytes read and kept per connection [16 KiB] */
	size_t first_bytes_total;    /* bytes kept over all connections [64 MiB] */
	unsigned idle_timeout_ms;    /* a connection with nothing to read for this long closes [2,000] */
	unsigned lifetime_ms;        /* ... and any connection after this long [10,000] */
	bool attribute;              /* name the client process of each query and connection (via /proc) */
	/* One more listener, on a free port, for TCP to any other port: the caller redirects
	 * such connections to it (netsim_catch_port) and the log gives each its original
	 * destination (SO_ORIGINAL_DST), so a port outside the list is not a bare SYN. */
	bool catch_all;
	/* Canaries to search for in everything each connection sends (tracer/scan.h), past
	 * first_bytes_cap too: a connection is read to its end, keeping only a search tail.
	 * NULL: none. Borrowed; must outlive the simulation. */
	const struct canary_set *canaries;
	/* The run's CA: a TLS ClientHello on any sinkhole is answered with a leaf of it and the
	 * connection read inside (tracer/tls_term.h). NULL: TLS is read to the end of the
	 * ClientHello only. Borrowed; must outlive the simulation; only the loop thread uses it. */
	struct tls_ca *tls_ca;
};

/* The defaults for the sandbox: wildcard addresses, DNS on port 53, sinkholes on the
 * default ports (sinkhole_default_ports), default caps. */
void netsim_config_init(struct netsim_config *cfg);

/* An address as the logs keep it. */
struct netsim_addr {
	int family;       /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network byte order; the first 4 bytes for AF_INET */
	uint16_t port;    /* host byte order */
};

enum netsim_transport { NETSIM_UDP, NETSIM_TCP };

/* One DNS query, as received. */
struct netsim_dns_query {
	const char *name;          /* lower-case presentation form ("" when unreadable); borrowed */
	uint16_t qtype;            /* 0 when malformed */
	uint8_t rcode;             /* the answer's RCODE (enum fakedns_rcode) */
	bool answered;             /* false: dropped (a response, or shorter than a header) */
	bool answered_address;     /* an A or AAAA record was given */
	bool malformed;            /* not a well-formed query: FORMERR, NOTIMP or dropped */
	bool truncated;            /* the datagram was longer than the buffer */
	enum netsim_transport transport;
	struct netsim_addr server; /* the address and port the query was sent to */
	struct netsim_addr client;
	uint64_t time_ms;          /* monotonic, since netsim_start */
	uint64_t time_us;          /* the same, to the microsecond */
	const char *process;       /* with attribute: the client process ("pid 7 curl ..."), or NULL */
};

/* The layer of a canary hit inside terminated TLS (a noun phrase: "sent ... in a <layer>"). */
#define NETSIM_TLS_LAYER "TLS connection the tracer decrypted"

/* One sinkhole connection, logged when it closes. */
struct netsim_connection {
	struct netsim_addr local;    /* the destination the client wanted */
	struct netsim_addr peer;
	uint64_t time_ms, end_ms;    /* accepted and closed, since netsim_start */
	uint64_t time_us;            /* accepted, to the microsecond */
	enum sinkhole_protocol protocol;
	const uint8_t *first_bytes;  /* what the client sent, capped; borrowed */
	size_t first_len;
	bool truncated;              /* the client sent more than was kept */
	unsigned http_requests;      /* HTTP requests answered with 200 */
	const char *process;         /* with attribute: the client process, or NULL */
	bool caught;                 /* came through the catch-all listener (a port outside the list) */
	const struct scan_hit *hits; /* canaries in what it sent, in any layer (with canaries) */
	size_t n_hits;
	const char *scan_problem;    /* what could not be searched decoded, or NULL (static) */
	/* With tls_ca, a TLS connection: */
	const char *tls_name;        /* the name its leaf was minted for (the SNI, else the address) */
	bool tls_intercepted;        /* the handshake completed: plain_bytes is what it sent inside */
	const uint8_t *plain_bytes;  /* the decrypted bytes, capped like first_bytes; borrowed */
	size_t plain_len;
	bool plain_truncated;        /* it sent more inside than was kept (all of it was searched) */
	bool http2;                  /* it spoke h2 inside: plain_bytes holds its requests written
				      * out as HTTP/1.1 messages (tracer/h2sink.h) */
	const char *tls_refused;     /* the handshake failed: the client's alert ("unknown CA") or
				      * why it ended; NULL when it completed or was never tried */
	bool tls_alert;              /* tls_refused is an alert the client sent */
};

struct netsim_stats {
	size_t queries;              /* in the log */
	size_t queries_over_cap;     /* received but not logged: the log was full */
	size_t connections;          /* in the log */
	size_t connections_over_cap; /* closed but not logged: the log was full */
	size_t connections_refused;  /* closed at accept: max_open were open */
	size_t names;                /* synthetic names handed out */
	size_t names_over_cap;       /* queries answered SERVFAIL: the pool was full */
	size_t first_bytes_over_cap; /* connections whose bytes were not kept: first_bytes_total */
	size_t tls_setup_failed;     /* TLS connections read only to the ClientHello: out of memory */
	bool ipv6_unavailable;       /* the wildcard :: could not be used: no IPv6 in the kernel */
	bool loop_failed;            /* epoll failed; the event loop stopped early */
};

struct netsim;

/* Bind every socket, then start the event loop. On success *out is the running simulation
 * (caller frees with netsim_free). On failure returns the status, writes the reason to err,
 * and *out is NULL; nothing stays bound. */
enum netsim_status netsim_start(const struct netsim_config *cfg, struct netsim **out, char *err, size_t errlen);

/* Stop the event loop, close every socket and log the connections still open. Idempotent;
 * the logs and the address table stay readable until netsim_free. */
void netsim_stop(struct netsim *ns);

/* Stop (if running) and free everything, including what the accessors returned. NULL is a no-op. */
void netsim_free(struct netsim *ns);

/* The bound DNS port, and the bound sinkhole ports in the order of the configuration
 * (borrowed, valid until netsim_free). */
uint16_t netsim_dns_port(const struct netsim *ns);

/* The CLOCK_MONOTONIC instant the time_ms of its queries and connections count from. */
struct timespec netsim_epoch(const struct netsim *ns);
const uint16_t *netsim_sinkhole_ports(const struct netsim *ns, size_t *count);

/* Counts and overflows, read under the lock: callable while the loop runs. */
void netsim_stats(const struct netsim *ns, struct netsim_stats *out);

/* Log entry i, for i below the count netsim_stats gave (NULL past it). Entries never move or
 * change once logged, so these are callable while the loop runs. Borrowed until netsim_free. */
const struct netsim_dns_query *netsim_dns_query_at(const struct netsim *ns, size_t i);
const struct netsim_connection *netsim_connection_at(const struct netsim *ns, size_t i);

/* The name a synthetic address (family AF_INET or AF_INET6, network byte order) was handed
 * out for, or NULL when it is not one. Thread-safe; borrowed until netsim_free. */
const char *netsim_name_for_address(const struct netsim *ns, int family, const void *addr);

/* The catch-all listener's port, or 0 when there is none. */
uint16_t netsim_catch_port(const struct netsim *ns);

/* A stable lower-case name for a transport: "udp" or "tcp". */
const char *netsim_transport_name(enum netsim_transport t);

#endif
