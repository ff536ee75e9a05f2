/* Inside the sandbox: the fake network, the server process, the MCP session, and a JSON
 * record of all of it for the dynamic stage outside. */
#include "tracer/session.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/types.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/progress.h"
#include "core/strbuf.h"
#include "core/vec.h"
#include "tracer/decode/http.h"
#include "tracer/decode/tls.h"
#include "tracer/canary.h"
#include "tracer/capture.h"
#include "tracer/flows.h"
#include "tracer/driver.h"
#include "core/json_read.h"
#include "tracer/netsim.h"
#include "tracer/pidns.h"
#include "tracer/redirect.h"
#include "tracer/sandbox.h"
#include "tracer/unix_watch.h"

#define STDERR_TAIL 4096
#define MAX_LATER_TARGETS 32 /* requests after the first named per connection */
#define BODY_START_MAX 200   /* characters of a request body shown (inside TLS) */

struct phase_mark {
	char *phase;
	double ms;                 /* since the epoch, to the microsecond */
};

/* A packet-level event the sinkholes cannot see: a SYN to a port nobody listens on, a UDP
 * datagram, QUIC, a DNS-over-HTTPS request. Written by the capture thread only. */
struct wire_event {
	const char *kind;          /* "syn", "udp", "quic", "doh" */
	int family;
	uint8_t addr[16];
	uint16_t port;
	double ms;
	uint64_t packet;
};

#define EXTRA_CAPTURES 8   /* interfaces besides lo that get a capture of their own */
/* A canary in a UDP datagram (any port: QUIC's 443 carries plaintext too when a server
 * makes up its own protocol). */
struct udp_hit {
	const struct canary *canary;
	const char *encoding;
	int family;
	uint8_t addr[16];
	uint16_t port;
	double ms;
};

struct run {
	const struct session_config *cfg;
	struct netsim *ns;
	/* Every other interface of the namespace (the veth pair): what a server sends out of it
	 * with SO_BINDTODEVICE, to broadcast or to link-local multicast never reaches lo. */
	struct capture *extra[EXTRA_CAPTURES];
	size_t n_extra;
	char extra_error[CAPTURE_ERRBUF_SIZE];
	pthread_mutex_t flows_lock;   /* the captures' threads share flows */
	bool catch_all;               /* other TCP ports are redirected to the catch-all */
	struct flows *flows;
	VEC(struct wire_event) wire;
	VEC(struct udp_hit) udp_hits; /* written by the capture thread, read once it stopped */
	/* One time line for every record: the fake network's epoch (its events count whole
	 * milliseconds from it), the same instant on the capture's wall clock, and the driver's
	 * t0 set to it. Phases, packets and file opens keep microseconds: a fast server does a
	 * whole tools/list, tools/call and its request within one millisecond. */
	struct timespec epoch;
	struct timeval t0_real;
	VEC(struct phase_mark) phases;
	pthread_mutex_t phase_lock;   /* phases is appended by the driver, read by the watchers */
	struct progress *progress;    /* the phase on a terminal; NULL or disabled: nothing */
	uint64_t t0;
	/* the server's stderr, drained by a thread so a chatty server never blocks on it */
	int stderr_fd;
	char tail[STDERR_TAIL];
	size_t tail_len;
	pthread_t drain;
	uint64_t empty_since;         /* when the namespace was first seen with no process but ours */
	const struct unix_watch *unix;/* running: it sees the timers the server arms; else NULL */
	struct pidns_mark mark;       /* the target's threads as the last request went out */
	uint64_t idle_since;          /* when the target was first seen unable to act on its own */
	uint64_t idle_activity;       /* the fake network's counts then */
	/* the ports the fake network listened on before the server started, and when the
	 * server was first seen listening on one of its own (0: not yet) */
	uint16_t before[NETSIM_MAX_SINKHOLE_PORTS * 4 + 16];
	size_t nbefore;
	uint64_t listening_since;
};

/* After the last process of the target exits, what it sent may still be on its way to the
 * fake network's threads and the capture (a datagram queued, a connection in the accept
 * queue): this long is theirs before the waits end. */
#define GONE_GRACE_MS 200
#define GONE_CHECK_MS 20
/* How long the target must stay unable to act on its own (target_idle) before the quiet
 * period ends early: as long as packets in flight get after its exit. */
#define IDLE_SETTLE_MS GONE_GRACE_MS

static double run_ms(const struct run *run)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - run->epoch.tv_sec) * 1000.0 + (double)(now.tv_nsec - run->epoch.tv_nsec) / 1e6;
}

/* microseconds are all the clocks resolve; more digits would only pad the record */
static double to_us(double ms)
{
	return (double)(long long)(ms * 1000.0) / 1000.0;
}

/* Takes the fake network's epoch as the run's: the capture's wall clock at that instant is
 * now minus the time since, both clocks read back to back. */
static void set_epoch(struct run *run, struct timespec epoch)
{
	struct timeval now;
	double since;
	long long us;

	run->epoch = epoch;
	since = run_ms(run);
	gettimeofday(&now, NULL);
	us = (long long)now.tv_sec * 1000000 + now.tv_usec - (long long)(since * 1000.0);
	run->t0_real.tv_sec = (time_t)(us / 1000000);
	run->t0_real.tv_usec = (suseconds_t)(us % 1000000);
	run->t0 = (uint64_t)epoch.tv_sec * 1000u + (uint64_t)epoch.tv_nsec / 1000000u;
}

static void on_phase(void *ctx, const char *phase, uint64_t ms)
{
	struct run *run = ctx;
	struct phase_mark p = {xstrdup(phase), run_ms(run)};

	(void)ms;  /* the driver's clock counts whole milliseconds */
	progress_set(run->progress, "mcpaudit: trace: %s (%.1f s)", phase, progress_elapsed(run->progress));
	pthread_mutex_lock(&run->phase_lock);
	if (!p.phase || run->phases.len >= 4096 || vec_push(&run->phases, p) != 0)
		free(p.phase);
	pthread_mutex_unlock(&run->phase_lock);
}

static void *drain_stderr(void *arg)
{
	struct run *run = arg;
	char buf[4096];
	ssize_t n;

	while ((n = read(run->stderr_fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR)) {
		if (n <= 0)
			continue;
		/* keep the last STDERR_TAIL bytes */
		if ((size_t)n >= STDERR_TAIL) {
			memcpy(run->tail, buf + n - STDERR_TAIL, STDERR_TAIL);
			run->tail_len = STDERR_TAIL;
		} else {
			size_t keep = run->tail_len + (size_t)n > STDERR_TAIL ? STDERR_TAIL - (size_t)n : run->tail_len;
			memmove(run->tail, run->tail + run->tail_len - keep, keep);
			memcpy(run->tail + keep, buf, (size_t)n);
			run->tail_len = keep + (size_t)n;
		}
	}
	return NULL;
}

static const char *address_text(const struct netsim_addr *a, char *buf, size_t len)
{
	if (!inet_ntop(a->family, a->addr, buf, (socklen_t)len))
		snprintf(buf, len, "?");
	return buf;
}

static void add_str(cJSON *o, const char *key, const char *value)
{
	if (value && *value)
		cJSON_AddStringToObject(o, key, value);
}

static cJSON *dns_record(const struct netsim_dns_query *q)
{
	cJSON *o = cJSON_CreateObject();
	char addr[INET6_ADDRSTRLEN];

	if (!o)
		return NULL;
	add_str(o, "name", q->name);
	cJSON_AddNumberToObject(o, "type", q->qtype);
	cJSON_AddStringToObject(o, "transport", netsim_transport_name(q->transport));
	cJSON_AddStringToObject(o, "server", address_text(&q->server, addr, sizeof addr));
	cJSON_AddNumberToObject(o, "ms", (double)q->time_us / 1000.0);
	add_str(o, "process", q->process);
	if (q->malformed)
		cJSON_AddTrueToObject(o, "malformed");
	return o;
}

/* The targets of the requests after the first on a kept-alive connection (RFC 9112 section
 * 9.3), as far as the kept bytes p[0, len) go: each is matched against exfiltration channels. */
static void add_later_targets(cJSON *o, const uint8_t *p, size_t len, const struct http_request *first)
{
	struct http_request next;
	cJSON *list = NULL;
	size_t off = first->head_len + (size_t)first->content_length;

	if (first->chunked || !first->body_complete)
		return;
	for (unsigned n = 0; n < MAX_LATER_TARGETS && off < len; n++) {
		if (http_parse_request(p + off, len - off, &next) != DECODE_OK)
			break;
		if (!list && !(list = cJSON_AddArrayToObject(o, "later_targets")))
			return;
		cJSON_AddItemToArray(list, cJSON_CreateString(next.target));
		if (next.chunked || !next.body_complete)
			break;
		off += next.head_len + (size_t)next.content_length;
	}
}

/* The start of a request body as text for the report: printable ASCII kept, other bytes
 * as '.', at most BODY_START_MAX characters. Caller frees. */
static char *body_start(const uint8_t *p, size_t n)
{
	size_t len = n < BODY_START_MAX ? n : BODY_START_MAX;
	char *s = malloc(len + 1);

	if (!s)
		return NULL;
	for (size_t i = 0; i < len; i++)
		s[i] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '.';
	s[len] = '\0';
	return s;
}

/* An HTTP/1.x request at the start of p[0, len): its method, target, Host, and (inside TLS,
 * where nothing else shows them) its size, content type and the start of its body. Returns
 * false when the bytes are not one. */
static bool describe_http(cJSON *o, const uint8_t *p, size_t len, bool inside_tls)
{
	struct http_request http;
	char *body;

	if (http_parse_request(p, len, &http) != DECODE_OK)
		return false;
	add_str(o, "method", http.method);
	add_str(o, "target", http.target);
	add_str(o, "host", http.host);
	add_str(o, "user_agent", http.user_agent);
	if (http.doh)
		cJSON_AddTrueToObject(o, "doh");
	if (inside_tls) {
		add_str(o, "content_type", http.content_type);
		cJSON_AddNumberToObject(o, "headers", (double)http.n_headers);
		cJSON_AddNumberToObject(o, "body_bytes", http.has_content_length ? (double)http.content_length
										 : (double)http.body_len);
		if (http.body_len && (body = body_start(http.body, http.body_len)) != NULL) {
			cJSON_AddStringToObject(o, "body_start", body);
			free(body);
		}
	}
	add_later_targets(o, p, len, &http);
	return true;
}

/* A TLS connection the sinkhole terminated: whether the client took our certificate, and
 * what it sent inside. */
static void describe_tls(cJSON *o, const struct netsim_connection *c)
{
	if (!c->tls_name && !c->tls_refused)
		return;
	if (c->tls_name)
		add_str(o, "tls_name", c->tls_name);
	if (c->tls_refused) {
		cJSON_AddStringToObject(o, "tls_refused", c->tls_refused);
		if (c->tls_alert)
			cJSON_AddTrueToObject(o, "tls_alert");
		return;
	}
	if (!c->tls_intercepted)
		return;
	cJSON_AddTrueToObject(o, "intercepted");
	if (c->http2)
		cJSON_AddTrueToObject(o, "http2");
	cJSON_AddNumberToObject(o, "inside_bytes", (double)c->plain_len);
	if (c->plain_truncated)
		cJSON_AddTrueToObject(o, "inside_truncated");
	describe_http(o, c->plain_bytes, c->plain_len, true);
}

/* What the client said first: an HTTP request's Host and target, or a TLS SNI (and, for
 * a terminated connection, the request inside). */
static void describe_first_bytes(cJSON *o, const struct netsim_connection *c)
{
	struct tls_client_hello *hello;

	if (!c->first_len)
		return;
	if (describe_http(o, c->first_bytes, c->first_len, false)) {
		cJSON_AddStringToObject(o, "protocol", "http");
		return;
	}
	hello = calloc(1, sizeof *hello);
	if (hello && tls_parse_client_hello(c->first_bytes, c->first_len, hello) == DECODE_OK) {
		cJSON_AddStringToObject(o, "protocol", "tls");
		if (hello->has_sni)
			add_str(o, "sni", hello->sni);
		if (hello->n_alpn)
			add_str(o, "alpn", hello->alpn[0]);
	} else {
		cJSON_AddStringToObject(o, "protocol", sinkhole_protocol_name(c->protocol));
	}
	free(hello);
}

static cJSON *connection_record(const struct netsim *ns, const struct netsim_connection *c)
{
	cJSON *o = cJSON_CreateObject();
	char addr[INET6_ADDRSTRLEN];
	const char *name;

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "address", address_text(&c->local, addr, sizeof addr));
	cJSON_AddNumberToObject(o, "port", c->local.port);
	/* a synthetic address means the client looked the name up first */
	name = netsim_name_for_address(ns, c->local.family, c->local.addr);
	add_str(o, "name", name);
	cJSON_AddNumberToObject(o, "ms", (double)c->time_us / 1000.0);
	add_str(o, "process", c->process);
	if (c->caught)
		cJSON_AddBoolToObject(o, "caught", true);
	add_str(o, "scan_problem", c->scan_problem);
	describe_first_bytes(o, c);
	describe_tls(o, c);
	return o;
}

/* ---- canary files: who opens them ---- */

#define MAX_WATCHES 256

struct file_open {
	char *path;                   /* borrowed from the watch */
	double ms;
	char *phase;                  /* the phase current when the open was seen (owned) */
};

/* The phase current now: more exact than placing a timestamp afterwards, when a fast
 * server runs a whole session within a millisecond. Caller frees. */
static char *current_phase(struct run *run)
{
	char *p;

	pthread_mutex_lock(&run->phase_lock);
	p = xstrdup(run->phases.len ? run->phases.items[run->phases.len - 1].phase : DRIVER_PHASE_STARTUP);
	pthread_mutex_unlock(&run->phase_lock);
	return p;
}

struct file_watch {
	int fd;                       /* inotify */
	int wd[MAX_WATCHES];
	char *path[MAX_WATCHES];      /* as the report names it: "~/.aws/credentials", "./.env" */
	size_t n;
	struct run *run;
	pthread_t thread;
	bool started;
	int wake;                     /* eventfd: watch_stop tells the thread to drain and end */
	VEC(struct file_open) opens;  /* written by the thread */
};

static void watch_add(struct file_watch *w, const char *real, const char *shown)
{
	int wd;

	if (w->n >= MAX_WATCHES || (wd = inotify_add_watch(w->fd, real, IN_OPEN | IN_ACCESS)) < 0)
		return;
	w->wd[w->n] = wd;
	w->path[w->n++] = xstrdup(shown);
}

static void *watch_loop(void *arg)
{
	struct file_watch *w = arg;
	char buf[4096] __attribute__((aligned(__alignof__(struct inotify_event))));

	for (bool last = false; !last;) {
		struct pollfd p[2] = {{w->fd, POLLIN, 0}, {w->wake, POLLIN, 0}};
		ssize_t n;
		if (poll(p, 2, -1) <= 0)
			continue;
		/* told to stop: one more non-blocking read takes what came just before */
		last = p[1].revents != 0;
		n = read(w->fd, buf, sizeof buf);
		for (char *e = buf; n > 0 && e < buf + n;) {
			const struct inotify_event *ev = (const struct inotify_event *)e;
			for (size_t i = 0; i < w->n; i++) {
				struct file_open o = {w->path[i], run_ms(w->run), NULL};
				/* one open per file is enough to report; reads after it add nothing */
				bool seen = false;
				for (size_t k = 0; k < w->opens.len; k++)
					seen |= w->opens.items[k].path == w->path[i];
				if (w->wd[i] == ev->wd && !seen) {
					o.phase = current_phase(w->run);
					if (vec_push(&w->opens, o) != 0)
						free(o.phase);
				}
			}
			e += sizeof *ev + ev->len;
		}
	}
	return NULL;
}

/* Watch every planted canary file (opening one is credential access). */
static void watch_start(struct file_watch *w, struct run *run, const struct session_config *cfg)
{
	char real[4096], shown[600];

	w->run = run;
	w->fd = inotify_init1(IN_CLOEXEC | IN_NONBLOCK);
	w->wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (w->fd < 0 || w->wake < 0 || !cfg->canaries)
		return;
	for (size_t i = 0; i < cfg->canaries->files.len; i++) {
		const struct canary_file *f = &cfg->canaries->files.items[i];
		snprintf(real, sizeof real, "%s/%s", f->in_home ? cfg->home : cfg->cwd, f->path);
		snprintf(shown, sizeof shown, "%s/%.500s", f->in_home ? "~" : ".", f->path);
		watch_add(w, real, shown);
	}
	/* the decoys over the host's own credential files (/etc/shadow, a Kubernetes token) */
	size_t n;
	const char *const *covered = sandbox_covered_credentials(&n);
	for (size_t i = 0; i < n; i++)
		watch_add(w, covered[i], covered[i]);
	w->started = w->n && pthread_create(&w->thread, NULL, watch_loop, w) == 0;
}

static void watch_stop(struct file_watch *w, cJSON *doc)
{
	cJSON *opens = doc ? cJSON_AddArrayToObject(doc, "file_opens") : NULL;

	if (w->started && eventfd_write(w->wake, 1) == 0)
		pthread_join(w->thread, NULL);
	for (size_t i = 0; opens && i < w->opens.len; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "path", w->opens.items[i].path);
		cJSON_AddNumberToObject(o, "ms", to_us(w->opens.items[i].ms));
		add_str(o, "phase", w->opens.items[i].phase);
		cJSON_AddItemToArray(opens, o);
	}
	for (size_t i = 0; i < w->opens.len; i++)
		free(w->opens.items[i].phase);
	vec_free(&w->opens);
	for (size_t i = 0; i < w->n; i++)
		free(w->path[i]);
	if (w->fd >= 0)
		close(w->fd);
	if (w->wake >= 0)
		close(w->wake);
}

/* ---- UNIX socket attempts ---- */

static double clock_ms(void *ctx)
{
	return run_ms(ctx);
}

static char *clock_phase(void *ctx)
{
	return current_phase(ctx);
}

static void add_unix(cJSON *doc, const struct unix_watch *w)
{
	cJSON *list = cJSON_AddArrayToObject(doc, "unix_sockets");

	for (size_t i = 0; list && i < w->attempts.len; i++) {
		const struct unix_attempt *a = &w->attempts.items[i];
		cJSON *o = cJSON_CreateObject();
		if (!o)
			break;
		cJSON_AddStringToObject(o, "path", a->path);
		cJSON_AddStringToObject(o, "call", a->call);
		cJSON_AddNumberToObject(o, "ms", to_us(a->ms));
		add_str(o, "phase", a->phase);
		add_str(o, "process", a->process);
		cJSON_AddItemToArray(list, o);
	}
	if (w->over_cap)
		cJSON_AddNumberToObject(doc, "unix_sockets_over_cap", (double)w->over_cap);
}

/* ---- the capture ---- */

static double ms_since(const struct run *run, const struct timeval *ts)
{
	double d = (double)(ts->tv_sec - run->t0_real.tv_sec) * 1000.0 + (double)(ts->tv_usec - run->t0_real.tv_usec) / 1000.0;

	return d > 0 ? d : 0;
}

static bool sinkhole_port(const struct run *run, uint16_t port)
{
	size_t n;
	const uint16_t *ports = netsim_sinkhole_ports(run->ns, &n);

	for (size_t i = 0; i < n; i++)
		if (ports[i] == port)
			return true;
	/* a connection redirected to the catch-all: its log entry has the original port */
	return port == 53 || (run->catch_all && port == netsim_catch_port(run->ns));
}

/* TCP to any other port goes to the catch-all listener. Where that cannot be set up, such a
 * connection stays a bare attempt (a SYN in the capture); the record says why. */
static bool catch_all(cJSON *doc, struct netsim *ns)
{
	size_t n;
	const uint16_t *ports = netsim_sinkhole_ports(ns, &n);
	char why[300] = "";

	if (redirect_other_ports(netsim_catch_port(ns), ports, n, why, sizeof why) == 0)
		return true;
	why[strcspn(why, "\n")] = '\0';
	cJSON_AddStringToObject(doc, "catch_all_unavailable", why);
	return false;
}

/* The driver's own connections to a server that speaks HTTP: 127.0.0.1 or ::1 at its port. */
static bool driver_flow(const struct run *run, const struct flow_key *k)
{
	static const uint8_t v6_loopback[16] = {[15] = 1};

	if (!run->cfg->http_port || k->server_port != run->cfg->http_port)
		return false;
	return k->family == AF_INET ? k->server[0] == 127 : !memcmp(k->server, v6_loopback, 16);
}

struct udp_ctx {
	struct run *run;
	const struct flow_event *ev;
};

static void on_udp_hit(void *ctx, const struct canary *c, const char *encoding, size_t offset)
{
	struct udp_ctx *u = ctx;
	struct udp_hit h = {c, encoding, u->ev->key.family, {0}, u->ev->key.server_port, ms_since(u->run, &u->ev->ts)};

	(void)offset;
	memcpy(h.addr, u->ev->key.server, sizeof h.addr);
	for (size_t i = 0; i < u->run->udp_hits.len; i++)
		if (u->run->udp_hits.items[i].canary == c && u->run->udp_hits.items[i].port == h.port &&
		    !memcmp(u->run->udp_hits.items[i].addr, h.addr, sizeof h.addr))
			return; /* one per canary and destination */
	if (u->run->udp_hits.len < 10000)
		vec_push(&u->run->udp_hits, h);
}

/* Every UDP payload but DNS the fake resolver read (its names are searched as names). */
static void search_udp(struct run *run, const struct flow_event *ev)
{
	struct udp_ctx u = {run, ev};

	if (run->cfg->canaries && ev->payload_len && ev->kind != FLOW_EVENT_DNS)
		canary_search(run->cfg->canaries, ev->payload, ev->payload_len, on_udp_hit, &u);
}

static void on_flow(const struct flow_event *ev, void *user)
{
	struct run *run = user;
	struct wire_event w = {0};

	if (driver_flow(run, &ev->key))
		return;
	if (ev->kind == FLOW_EVENT_UDP || ev->kind == FLOW_EVENT_QUIC)
		search_udp(run, ev);
	switch (ev->kind) {
	case FLOW_EVENT_SYN:
		if (sinkhole_port(run, ev->key.server_port))
			return;  /* the sinkhole logs it, with what was sent */
		w.kind = "syn";
		break;
	case FLOW_EVENT_UDP:
		if (ev->key.server_port == 53 || ev->key.client_port == 53)
			return;
		w.kind = "udp";
		break;
	case FLOW_EVENT_QUIC:
		w.kind = "quic";
		break;
	case FLOW_EVENT_HTTP_REQUEST:
		if (!ev->http || !ev->http->doh)
			return;
		w.kind = "doh";
		break;
	default:
		return;
	}
	w.family = ev->key.family;
	memcpy(w.addr, ev->key.server, sizeof w.addr);
	w.port = ev->key.server_port;
	w.ms = ms_since(run, &ev->ts);
	w.packet = ev->packet_number;
	if (run->wire.len < 100000)
		vec_push(&run->wire, w);
}

static void on_packet(const struct capture_packet *pkt, void *user)
{
	struct run *run = user;

	pthread_mutex_lock(&run->flows_lock);
	flows_packet(run->flows, pkt->dlt, pkt->bytes, pkt->caplen, &pkt->ts, pkt->number);
	pthread_mutex_unlock(&run->flows_lock);
}

/* A capture, outbound only, on each interface but lo. One that cannot start leaves its
 * reason in run->extra_error (the report's incomplete). */
static void capture_others(struct run *run)
{
	struct if_nameindex *ifs = if_nameindex();

	if (!ifs) {
		snprintf(run->extra_error, sizeof run->extra_error, "listing the interfaces: %s", strerror(errno));
		return;
	}
	for (struct if_nameindex *i = ifs; i->if_index; i++) {
		char why[CAPTURE_ERRBUF_SIZE];
		struct capture *c;
		if (!strcmp(i->if_name, "lo"))
			continue;
		if (run->n_extra >= EXTRA_CAPTURES) {
			snprintf(run->extra_error, sizeof run->extra_error, "more than %d interfaces", EXTRA_CAPTURES);
			break;
		}
		if (capture_start(&(struct capture_options){.interface = i->if_name, .snaplen = 65535, .outbound_only = true,
							    .buffer_size = 4u << 20}, on_packet, run, &c, why) == CAPTURE_OK)
			run->extra[run->n_extra++] = c;
		else
			snprintf(run->extra_error, sizeof run->extra_error, "%s", why);
	}
	if_freenameindex(ifs);
}

struct stopping {
	struct capture *c;
	struct capture_stats st;
	pthread_t thread;
	bool threaded;
};

static void *stop_one(void *arg)
{
	struct stopping *s = arg;

	capture_stop(s->c, &s->st);
	return NULL;
}

/* Ends the capture on lo (its figures in st) and the other captures (their drops added to
 * st), all at once: closing a packet socket waits for an RCU grace period (tens of
 * milliseconds on a busy machine), and one after the other those waits add up. */
static void stop_captures(struct run *run, struct capture *lo, struct capture_stats *st)
{
	struct stopping extra[EXTRA_CAPTURES] = {{0}};

	for (size_t i = 0; i < run->n_extra; i++) {
		extra[i].c = run->extra[i];
		extra[i].threaded = pthread_create(&extra[i].thread, NULL, stop_one, &extra[i]) == 0;
	}
	capture_stop(lo, st);
	for (size_t i = 0; i < run->n_extra; i++) {
		struct capture_stats *x = &extra[i].st;
		if (extra[i].threaded)
			pthread_join(extra[i].thread, NULL);
		else
			stop_one(&extra[i]);
		st->dropped_kernel += x->dropped_kernel;
		st->dropped_interface += x->dropped_interface;
		st->received += x->received;
		st->packets += x->packets;
	}
	run->n_extra = 0;
}

static void add_capture(cJSON *doc, struct run *run, const struct capture_stats *st, const char *cap_err)
{
	cJSON *wire = cJSON_AddArrayToObject(doc, "wire");
	cJSON *cap = cJSON_AddObjectToObject(doc, "capture");
	char addr[INET6_ADDRSTRLEN];

	for (size_t i = 0; wire && i < run->wire.len; i++) {
		const struct wire_event *w = &run->wire.items[i];
		cJSON *o = cJSON_CreateObject();
		const char *name = netsim_name_for_address(run->ns, w->family, w->addr);
		if (!o)
			break;
		cJSON_AddStringToObject(o, "kind", w->kind);
		cJSON_AddStringToObject(o, "address", inet_ntop(w->family, w->addr, addr, sizeof addr) ? addr : "?");
		add_str(o, "name", name);
		cJSON_AddNumberToObject(o, "port", w->port);
		cJSON_AddNumberToObject(o, "ms", to_us(w->ms));
		cJSON_AddNumberToObject(o, "packet", (double)w->packet);
		cJSON_AddItemToArray(wire, o);
	}
	if (!cap)
		return;
	if (cap_err) {
		cJSON_AddStringToObject(cap, "error", cap_err);
		return;
	}
	if (run->extra_error[0])
		cJSON_AddStringToObject(cap, "others_error", run->extra_error);
	cJSON_AddNumberToObject(cap, "packets", (double)st->packets);
	cJSON_AddNumberToObject(cap, "received", (double)st->received);
	cJSON_AddNumberToObject(cap, "dropped_kernel", (double)st->dropped_kernel);
	cJSON_AddNumberToObject(cap, "dropped_interface", (double)st->dropped_interface);
	cJSON_AddNumberToObject(cap, "truncated", (double)st->truncated);
	if (!st->stats_known)
		cJSON_AddFalseToObject(cap, "stats_known");
}

/* ---- canaries: searched in every payload, DNS name and MCP answer ---- */

struct hit_ctx {
	cJSON *hits;
	const char *where;
	const char *host;
	int port;
	double ms;
	const struct driver_result *dr;  /* "mcp": the session whose text is searched, else NULL */
};

/* The hit's record, added to h->hits (borrowed from it); NULL when memory runs out. */
static cJSON *add_hit(struct hit_ctx *h, const struct canary *c, const char *encoding, const char *layer,
		      bool decrypted)
{
	cJSON *o = cJSON_CreateObject();

	if (!o)
		return NULL;
	cJSON_AddStringToObject(o, "canary", c->name);
	add_str(o, "planted", c->planted);
	cJSON_AddStringToObject(o, "encoding", encoding);
	add_str(o, "layer", layer);
	if (decrypted)
		cJSON_AddBoolToObject(o, "decrypted", true);
	cJSON_AddStringToObject(o, "where", h->where);
	add_str(o, "host", h->host);
	if (h->port)
		cJSON_AddNumberToObject(o, "port", h->port);
	cJSON_AddNumberToObject(o, "ms", (double)h->ms);
	cJSON_AddItemToArray(h->hits, o);
	return o;
}

/* A canary in the MCP answers is laid at the phase (the call) whose answer held it. */
static void on_hit(void *ctx, const struct canary *c, const char *encoding, size_t offset)
{
	struct hit_ctx *h = ctx;
	cJSON *o = add_hit(h, c, encoding, NULL, false);

	if (o && h->dr)
		add_str(o, "phase", driver_text_phase_at(h->dr, offset));
}

static void search_canaries(cJSON *doc, const struct canary_set *set, const struct netsim *ns,
			    const struct driver_result *dr, const struct run *run)
{
	cJSON *hits = cJSON_AddArrayToObject(doc, "canary_hits");
	struct netsim_stats st;
	char addr[INET6_ADDRSTRLEN];

	if (!set || !hits)
		return;
	netsim_stats(ns, &st);
	for (size_t i = 0; i < st.connections; i++) {
		const struct netsim_connection *c = netsim_connection_at(ns, i);
		const char *name = netsim_name_for_address(ns, c->local.family, c->local.addr);
		struct hit_ctx h = {hits, "connection", name ? name : address_text(&c->local, addr, sizeof addr),
				    c->local.port, (double)c->time_us / 1000.0, NULL};
		/* the sinkhole searched all it was sent, through every layer; its first bytes only
		 * when that search could not be set up */
		for (size_t k = 0; k < c->n_hits; k++)
			add_hit(&h, c->hits[k].canary, c->hits[k].encoding, c->hits[k].layer, c->hits[k].decrypted);
		if (!c->n_hits)
			canary_search(set, c->first_bytes, c->first_len, on_hit, &h);
	}
	for (size_t i = 0; i < run->udp_hits.len; i++) {
		const struct udp_hit *u = &run->udp_hits.items[i];
		const char *name = netsim_name_for_address(ns, u->family, u->addr);
		struct hit_ctx h = {hits, "udp", name ? name : inet_ntop(u->family, u->addr, addr, sizeof addr) ? addr : "?",
				    u->port, u->ms, NULL};
		add_hit(&h, u->canary, u->encoding, "udp", false);
	}
	for (size_t i = 0; i < st.queries; i++) {
		const struct netsim_dns_query *q = netsim_dns_query_at(ns, i);
		struct hit_ctx h = {hits, "dns", q->name, 53, (double)q->time_us / 1000.0, NULL};
		if (q->name && *q->name)
			canary_search_dns(set, q->name, on_hit, &h);
	}
	if (dr && dr->text.len) {
		/* a secret handed to the model is as gone as one sent to a host */
		struct hit_ctx h = {hits, "mcp", NULL, 0, 0, dr};
		canary_search(set, (const uint8_t *)strbuf_str(&dr->text), dr->text.len, on_hit, &h);
	}
}

/* The .env and other working-folder canaries, written into the writable copy of the
 * server's folder (never over a file the server ships). */
static void plant_workdir_files(const struct session_config *cfg)
{
	for (size_t i = 0; cfg->canaries && i < cfg->canaries->files.len; i++) {
		const struct canary_file *f = &cfg->canaries->files.items[i];
		char path[4096];
		FILE *fp;
		if (f->in_home)
			continue;
		snprintf(path, sizeof path, "%s/%s", cfg->cwd, f->path);
		if (access(path, F_OK) == 0 || !(fp = fopen(path, "wx")))
			continue;
		fwrite(f->content, 1, f->len, fp);
		fclose(fp);
		chmod(path, f->mode);
		/* the server's own, as a user's .env is, and not seconds old */
		(void)sandbox_give_to_server(path);
	}
}

static void add_netsim(cJSON *doc, const struct netsim *ns)
{
	struct netsim_stats st;
	cJSON *dns = cJSON_AddArrayToObject(doc, "dns");
	cJSON *conns = cJSON_AddArrayToObject(doc, "connections");
	cJSON *stats = cJSON_AddObjectToObject(doc, "stats");

	netsim_stats(ns, &st);
	for (size_t i = 0; dns && i < st.queries; i++)
		cJSON_AddItemToArray(dns, dns_record(netsim_dns_query_at(ns, i)));
	for (size_t i = 0; conns && i < st.connections; i++)
		cJSON_AddItemToArray(conns, connection_record(ns, netsim_connection_at(ns, i)));
	if (stats) {
		cJSON_AddNumberToObject(stats, "queries_over_cap", (double)st.queries_over_cap);
		cJSON_AddNumberToObject(stats, "connections_over_cap", (double)st.connections_over_cap);
		cJSON_AddNumberToObject(stats, "connections_refused", (double)st.connections_refused);
		cJSON_AddNumberToObject(stats, "names_over_cap", (double)st.names_over_cap);
		cJSON_AddNumberToObject(stats, "tls_setup_failed", (double)st.tls_setup_failed);
	}
}

/* The driver moves on the moment initialize is answered: the next phase's start says when,
 * to the microsecond; the driver's own end time counts whole milliseconds. */
static double initialized_at(const struct run *run, uint64_t end_ms)
{
	for (size_t i = 1; i < run->phases.len; i++)
		if (!strcmp(run->phases.items[i - 1].phase, "initialize") && strcmp(run->phases.items[i].phase, "initialize"))
			return to_us(run->phases.items[i].ms);
	return (double)end_ms;
}

/* A name the server sent, shown with its NULs as "\\u0000" (json_unmark). */
static void add_shown(cJSON *list, const char *name)
{
	char *shown = json_unmark(name);

	cJSON_AddItemToArray(list, cJSON_CreateString(shown ? shown : "?"));
	free(shown);
}

/* server.resources (by URI) or server.prompts (by name), as listed: the report's coverage. */
static void add_listed(cJSON *server, const char *key, const struct driver_result *dr)
{
	cJSON *list = server ? cJSON_AddArrayToObject(server, key) : NULL;
	bool resources = !strcmp(key, "resources");
	size_t n = resources ? dr->resources.len : dr->prompts.len;

	for (size_t i = 0; list && i < n; i++)
		add_shown(list, resources ? dr->resources.items[i].uri : dr->prompts.items[i].name);
}

/* Every request the driver sent and how it ended: the report's coverage. */
static void add_calls(cJSON *doc, const struct driver_result *dr)
{
	cJSON *calls = cJSON_AddArrayToObject(doc, "calls");

	for (size_t i = 0; calls && i < dr->calls.len; i++) {
		const struct driver_call *c = &dr->calls.items[i];
		cJSON *o = cJSON_CreateObject();
		char *target = c->target ? json_unmark(c->target) : NULL;
		if (!o)
			break;
		add_str(o, "method", c->method);
		add_str(o, "target", target);
		add_str(o, "arguments", c->arguments);
		cJSON_AddStringToObject(o, "outcome", driver_outcome_name(c->outcome));
		add_str(o, "detail", c->detail);
		cJSON_AddNumberToObject(o, "start_ms", (double)c->start_ms);
		cJSON_AddNumberToObject(o, "end_ms", (double)c->end_ms);
		cJSON_AddItemToArray(calls, o);
		free(target);
	}
}

static void add_driver(cJSON *doc, const struct driver_result *dr, const struct run *run)
{
	cJSON *server = cJSON_AddObjectToObject(doc, "server");
	cJSON *tools = server ? cJSON_AddArrayToObject(server, "tools") : NULL;
	cJSON *problems = cJSON_AddArrayToObject(doc, "problems");

	cJSON_AddBoolToObject(doc, "driven", dr != NULL);
	if (!dr)
		return;
	cJSON_AddNumberToObject(doc, "quiet_ms", (double)dr->quiet_ms);
	/* what a server that never answered wrote instead (a listening URL, a usage line) */
	if (!dr->lines || dr->invalid_lines == dr->lines) {
		char *head = xstrndup(strbuf_str(&dr->text), dr->text.len < SESSION_STDOUT_HEAD ? dr->text.len
												   : SESSION_STDOUT_HEAD);
		add_str(doc, "stdout_head", head);
		free(head);
	}
	if (server) {
		add_str(server, "name", dr->server_name);
		add_str(server, "version", dr->server_version);
		add_str(server, "protocol", dr->protocol_version);
		add_str(server, "transport", !run->cfg->http_port ? "stdio" : dr->legacy_sse ? "sse" : "streamable-http");
	}
	for (size_t i = 0; tools && i < dr->tools.len; i++)
		add_shown(tools, dr->tools.items[i].name);
	add_listed(server, "resources", dr);
	add_listed(server, "prompts", dr);
	add_calls(doc, dr);
	/* Until the server has answered initialize it is still loading: what it sends then is
	 * start-up traffic, whatever the driver was doing. */
	for (size_t i = 0; i < dr->calls.len; i++) {
		const struct driver_call *c = &dr->calls.items[i];
		if (c->method && !strcmp(c->method, "initialize")) {
			cJSON_AddNumberToObject(doc, "initialized_ms", initialized_at(run, c->end_ms));
			/* only a server that answered initialize was exercised at all */
			cJSON_AddBoolToObject(doc, "initialized", c->outcome == DRIVER_CALL_OK);
			cJSON_AddStringToObject(doc, "initialize_outcome", driver_outcome_name(c->outcome));
			add_str(doc, "initialize_detail", c->detail);
			break;
		}
	}
	if (problems && dr->problems_dropped) {
		cJSON *p = cJSON_CreateObject();
		char detail[120];
		snprintf(detail, sizeof detail, "%zu more problems of the server not listed", dr->problems_dropped);
		cJSON_AddStringToObject(p, "kind", driver_problem_name(DRIVER_PROBLEM_CAP));
		cJSON_AddStringToObject(p, "detail", detail);
		cJSON_AddNumberToObject(p, "ms", 0);
		cJSON_AddItemToArray(problems, p);
	}
	for (size_t i = 0; problems && i < dr->problems.len; i++) {
		cJSON *p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "kind", driver_problem_name(dr->problems.items[i].kind));
		add_str(p, "detail", dr->problems.items[i].detail);
		cJSON_AddNumberToObject(p, "ms", (double)dr->problems.items[i].ms);
		cJSON_AddItemToArray(problems, p);
	}
}

static void add_phases(cJSON *doc, const struct run *run)
{
	cJSON *phases = cJSON_AddArrayToObject(doc, "phases");

	for (size_t i = 0; phases && i < run->phases.len; i++) {
		cJSON *p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "phase", run->phases.items[i].phase);
		cJSON_AddNumberToObject(p, "ms", to_us(run->phases.items[i].ms));
		cJSON_AddItemToArray(phases, p);
	}
}

static void describe_exit(int status, char *exit_text, size_t len)
{
	if (WIFEXITED(status))
		snprintf(exit_text, len, "exited with status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(exit_text, len, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(exit_text, len, "ended");
}

/* Whether no process but ours has been left in the namespace for GONE_GRACE_MS: nothing of
 * the target can call out any more (a daemon it left is a process too). */
static bool target_gone(void *ctx)
{
	struct run *run = ctx;
	uint64_t now = driver_clock_ms();

	if (pidns_others_alive()) {
		run->empty_since = 0;
		return false;
	}
	if (!run->empty_since)
		run->empty_since = now;
	return now - run->empty_since >= GONE_GRACE_MS;
}

/* Whether nothing is queued on any TCP or UDP socket of the namespace (proc(5)'s
 * tx_queue:rx_queue, the accept backlog for a listener): nothing is in flight between the
 * server and the fake network. False when a table cannot be read. */
static bool sockets_drained(void)
{
	static const char *const tables[] = {"/proc/net/tcp", "/proc/net/tcp6", "/proc/net/udp", "/proc/net/udp6"};
	char line[512];

	for (size_t i = 0; i < sizeof tables / sizeof tables[0]; i++) {
		FILE *f = fopen(tables[i], "re");
		bool drained = true;
		if (!f)
			return errno == ENOENT && strchr(tables[i], '6');  /* no IPv6 in the kernel */
		for (bool head = true; drained && fgets(line, sizeof line, f); head = false) {
			unsigned long tx, rx;
			if (!head)  /* "sl local rem st tx_queue:rx_queue ..." */
				drained = sscanf(line, "%*s %*s %*s %*s %lx:%lx", &tx, &rx) == 2 && tx == 0 && rx == 0;
		}
		fclose(f);
		if (!drained)
			return false;
	}
	return true;
}

/* The fake network's counts, summed: a change is activity. */
static uint64_t network_activity(const struct netsim *ns)
{
	struct netsim_stats st;

	netsim_stats(ns, &st);
	return st.queries + st.queries_over_cap + st.connections + st.connections_over_cap + st.connections_refused;
}

/* Whether the target has been unable to act on its own for IDLE_SETTLE_MS (see
 * driver_config.target_idle): no timer ever armed, every process blocked with no time-out,
 * no socket of the namespace with anything queued, and the fake network's counts unchanged
 * meanwhile. Any doubt (no watch, an unreadable /proc) keeps the quiet period running. */
static bool target_idle(void *ctx, uint64_t horizon_ms)
{
	struct run *run = ctx;
	uint64_t now = driver_clock_ms(), activity = network_activity(run->ns);

	if (!run->unix || unix_watch_timers(run->unix) || !pidns_others_waiting(&run->mark, horizon_ms) ||
	    !sockets_drained()) {
		run->idle_since = 0;
		return false;
	}
	if (!run->idle_since || activity != run->idle_activity) {
		run->idle_since = now;
		run->idle_activity = activity;
		return false;
	}
	return now - run->idle_since >= IDLE_SETTLE_MS;
}

static void before_last(void *ctx)
{
	struct run *run = ctx;

	(void)pidns_mark_take(&run->mark, driver_clock_ms());  /* not taken: only waits with no time-out count */
}

/* SIGTERM, a moment to exit (1 s, looked at every 10 ms), then SIGKILL; the exit status as text. */
static void stop_server(pid_t pid, char *exit_text, size_t len)
{
	int status = 0;

	kill(pid, SIGTERM);
	for (int i = 0; i < 100; i++) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			goto done;
		usleep(10 * 1000);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
done:
	describe_exit(status, exit_text, len);
}

static void driver_setup(struct driver_config *dc, struct run *run)
{
	const struct session_config *cfg = run->cfg;

	driver_config_init(dc);
	dc->server_dir = cfg->cwd;
	dc->t0_ms = run->t0;
	dc->deadline_ms = run->t0 + cfg->timeout_ms;
	dc->quiet_ms = cfg->quiet_ms;
	dc->call_timeout_ms = cfg->call_timeout_ms;
	dc->no_calls = cfg->no_calls;
	dc->phase = on_phase;
	dc->phase_ctx = run;
	dc->target_gone = target_gone;
	dc->target_gone_ctx = run;
	dc->target_idle = target_idle;
	dc->before_last = before_last;
	dc->target_idle_ctx = run;
}

/* The tracer is PID 1 of the server's namespace, and /proc/1/cmdline would say so: look
 * like an ordinary init instead (the sandbox must not name mcpaudit). The argument area
 * is this process's own copy since the fork, so the tracer outside is unchanged. */
static void disguise_as_init(void)
{
	(void)sandbox_disguise("/sbin/init", "init");
}

/* The server's own HTTP port is its, not a sinkhole's. ports holds the rest. */
static void sinkhole_ports_without(struct netsim_config *nc, uint16_t port, uint16_t *ports)
{
	size_t n = 0;

	if (!port)
		return;
	for (size_t i = 0; i < nc->n_sinkhole_ports && n < NETSIM_MAX_SINKHOLE_PORTS; i++)
		if (nc->sinkhole_ports[i] != port)
			ports[n++] = nc->sinkhole_ports[i];
	nc->sinkhole_ports = ports;
	nc->n_sinkhole_ports = n;
}

/* The TCP ports something listens on in this network namespace (/proc/net/tcp and tcp6,
 * state 0A), at most max; how many. */
static size_t listening_ports(uint16_t *ports, size_t max)
{
	static const char *const tables[] = {"/proc/net/tcp", "/proc/net/tcp6"};
	size_t n = 0;

	for (size_t t = 0; t < 2; t++) {
		FILE *f = fopen(tables[t], "re");
		char line[512];
		while (f && n < max && fgets(line, sizeof line, f)) {
			unsigned port, state;
			bool seen = false;
			if (sscanf(line, " %*u: %*[0-9A-Fa-f]:%x %*[0-9A-Fa-f]:%*x %x", &port, &state) != 2 ||
			    state != 0x0A)
				continue;
			for (size_t i = 0; i < n; i++)
				seen |= ports[i] == port;
			if (!seen)
				ports[n++] = (uint16_t)port;
		}
		if (f)
			fclose(f);
	}
	return n;
}

/* The driver asks while initialize waits: a server that has listened on a port of its own
 * for SESSION_LISTEN_GRACE_MS and still not answered on stdio is an HTTP server. */
static bool listens_instead(void *ctx)
{
	struct run *run = ctx;
	uint16_t now[NETSIM_MAX_SINKHOLE_PORTS * 4 + 16];
	size_t n = listening_ports(now, sizeof now / sizeof now[0]);
	bool own = false;

	for (size_t i = 0; i < n && !own; i++) {
		own = true;
		for (size_t j = 0; j < run->nbefore; j++)
			own &= run->before[j] != now[i];
	}
	if (!own)
		return false;
	if (!run->listening_since)
		run->listening_since = driver_clock_ms();
	return driver_clock_ms() - run->listening_since >= SESSION_LISTEN_GRACE_MS;
}

/* The ports the server listens on: those listened on now that the fake network did not
 * listen on before it started. A server that answers neither on stdio nor says where it
 * listens is found this way (the audit then drives it over HTTP). */
static void add_listening(cJSON *doc, const struct run *run)
{
	uint16_t now[SESSION_MAX_LISTENING * 4];
	size_t n = listening_ports(now, sizeof now / sizeof now[0]), added = 0;
	cJSON *list = cJSON_AddArrayToObject(doc, "listening");

	for (size_t i = 0; list && i < n && added < SESSION_MAX_LISTENING; i++) {
		bool old = false;
		for (size_t j = 0; j < run->nbefore; j++)
			old |= run->before[j] == now[i];
		if (!old) {
			cJSON_AddItemToArray(list, cJSON_CreateNumber(now[i]));
			added++;
		}
	}
}

/* Over HTTP the server's stdin is empty and its stdout joins its stderr (both only logs). */
static int http_stdio(int in[2], int out[2], int errp[2])
{
	int null = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (null < 0)
		return -1;
	close(in[0]);
	in[0] = null;
	close(out[1]);
	out[1] = dup(errp[1]);
	return out[1] < 0 ? -1 : 0;
}

static enum driver_status drive(const struct session_config *cfg, const char *http_path, struct driver_config *dc,
				int in, int out, struct driver_result **dr, char *err, size_t errlen)
{
	if (!cfg->http_port)
		return driver_run(dc, in, out, dr, err, errlen);
	close(in);  /* nothing reads the server's stdin */
	return driver_run_http(dc, "127.0.0.1", cfg->http_port, http_path, dr, err, errlen);
}

/* Before initialize the server runs alone for a moment, as under a client that starts its
 * servers at launch: what it sends on its own then is start-up traffic. A client that is
 * quick to initialize would see the same traffic a little later, inside a list or call, and
 * a loaded machine (a lazily loaded HTTP client, a slow DNS thread) delays it too. */
static void let_start(uint32_t ms)
{
	struct timespec t = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&t, &t) < 0 && errno == EINTR)
		;
}

/* The start-up wait, ended early once nothing of the target is left to start, or once it
 * has started and cannot act on its own before the wait would end (target_idle with the
 * wait's end as horizon and a mark taken as it begins: a poll or epoll time-out counts only
 * when it ends after that, so a timer due within the wait keeps it going): until the wait's
 * end it would send nothing, and the rest of the wait was waiting for nothing (most of a
 * fast server's second, issue 10). A later timer fires while it is driven, as it did. */
static void let_start_while_alive(struct run *run, uint32_t ms)
{
	uint64_t end = driver_clock_ms() + ms, checked = 0;

	(void)pidns_mark_take(&run->mark, driver_clock_ms());  /* not taken: only waits with no time-out count */
	for (uint64_t now; (now = driver_clock_ms()) < end && !target_gone(run);) {
		if (now - checked >= DRIVER_IDLE_CHECK_MS) {
			checked = now;
			if (target_idle(run, end))
				break;
		}
		let_start(end - now < GONE_CHECK_MS ? (uint32_t)(end - now) : GONE_CHECK_MS);
	}
	run->idle_since = 0;  /* the quiet period's own watch starts afresh */
}

/* An install script is not a server: it runs until it ends, and then whatever it left
 * running (a daemon it spawned) gets a moment to show itself before everything goes. */
static void run_to_end(pid_t pid, uint64_t deadline_ms, char *exit_text, size_t len)
{
	int status;

	for (;;) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid) {
			describe_exit(status, exit_text, len);
			let_start(SESSION_INSTALL_LINGER_MS);
			return;
		}
		if (w < 0 && errno != EINTR) {
			snprintf(exit_text, len, "ended");
			return;
		}
		if (driver_clock_ms() >= deadline_ms) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			snprintf(exit_text, len, "timed out");
			return;
		}
		let_start(20);
	}
}

int session_inside(void *arg)
{
	const struct session_config *cfg = arg;
	struct run run = {.cfg = cfg, .stderr_fd = -1, .phase_lock = PTHREAD_MUTEX_INITIALIZER,
			  .flows_lock = PTHREAD_MUTEX_INITIALIZER};
	struct netsim_config nc;
	struct netsim *ns = NULL;
	struct driver_config dc;
	struct driver_result *dr = NULL;
	struct spawn_config sc = {0};
	int in[2] = {-1, -1}, out[2] = {-1, -1}, errp[2] = {-1, -1};
	char err[512] = "", exit_text[128] = "not started", cap_err[CAPTURE_ERRBUF_SIZE] = "";
	struct capture *cap = NULL;
	struct capture_stats cst = {0};
	struct file_watch watch = {.fd = -1, .wake = -1};
	struct unix_watch unix_socks = {.listener = -1, .wake = -1};
	int listener = -1;
	bool drained = false;
	pid_t pid = -1;
	char *argv[256];
	size_t nargv = 0;
	uint16_t ports[NETSIM_MAX_SINKHOLE_PORTS];
	char *http_path;
	cJSON *doc = cJSON_CreateObject();
	char *text = NULL;
	int rc = 1;

	/* the server's argv points into the argument area disguise_as_init overwrites */
	for (size_t i = 0; cfg->argv[i] && nargv + 1 < sizeof argv / sizeof argv[0]; i++)
		argv[nargv++] = xstrdup(cfg->argv[i]);
	argv[nargv] = NULL;
	http_path = cfg->http_path ? xstrdup(cfg->http_path) : NULL;
	disguise_as_init();
	run.progress = progress_new(stderr, cfg->progress);
	run.t0 = driver_clock_ms();
	clock_gettime(CLOCK_MONOTONIC, &run.epoch);
	netsim_config_init(&nc);
	nc.attribute = true;
	nc.catch_all = true;
	nc.canaries = cfg->canaries;
	nc.tls_ca = cfg->tls_ca;
	sinkhole_ports_without(&nc, cfg->http_port, ports);
	if (!doc || netsim_start(&nc, &ns, err, sizeof err) != NETSIM_OK)
		goto report;
	run.ns = ns;
	run.catch_all = catch_all(doc, ns);
	set_epoch(&run, netsim_epoch(ns));
	run.flows = flows_new(0, on_flow, &run);
	/* 65535 bytes of each packet is all the decoders read; a smaller snapshot length gives the
	 * kernel ring more slots, and bursts of small packets need slots, not bytes */
	if (run.flows && capture_start(&(struct capture_options){.interface = "lo", .pcap_fd = cfg->pcap_fd,
								   .snaplen = 65535},
				       on_packet, &run, &cap, cap_err) != CAPTURE_OK) {
		cap = NULL;
		if (!cap_err[0])
			snprintf(cap_err, sizeof cap_err, "the capture could not start");
	}
	if (cap)
		capture_others(&run);
	if (pipe(in) != 0 || pipe(out) != 0 || pipe(errp) != 0 || ((cfg->http_port || cfg->install_mode) && http_stdio(in, out, errp) != 0)) {
		snprintf(err, sizeof err, "pipe: %s", strerror(errno));
		goto report;
	}
	on_phase(&run, cfg->install_mode ? SESSION_PHASE_INSTALL : DRIVER_PHASE_STARTUP, 0);
	plant_workdir_files(cfg);
	watch_start(&watch, &run, cfg);
	sc.argv = (const char *const *)argv;
	sc.env = cfg->env;
	sc.cwd = cfg->cwd;
	sc.limits.memory_bytes = (rlim_t)4 << 30;
	sc.limits.open_files = 1024;
	sc.limits.processes = SESSION_MAX_PROCESSES;
	sc.limits.file_bytes = (rlim_t)1 << 30;
	sc.limits.cpu_seconds = cfg->timeout_ms / 1000 + 10;
	sc.listener = &listener;
	run.nbefore = listening_ports(run.before, sizeof run.before / sizeof run.before[0]);
	pid = sandbox_spawn(&sc, in[0], out[1], errp[1], err, sizeof err);
	if (listener >= 0 && unix_watch_start(&unix_socks, listener, &(struct unix_watch_clock){clock_ms, clock_phase, &run}) < 0)
		cJSON_AddStringToObject(doc, "unix_watch_error", strerror(errno));
	else if (listener >= 0)
		run.unix = &unix_socks;
	close(in[0]);
	close(out[1]);
	close(errp[1]);
	in[0] = out[1] = errp[1] = -1;
	if (pid < 0)
		goto report;
	run.stderr_fd = errp[0];
	drained = pthread_create(&run.drain, NULL, drain_stderr, &run) == 0;
	if (cfg->install_mode) {
		close(in[1]);
		in[1] = -1;
		run_to_end(pid, run.t0 + cfg->timeout_ms, exit_text, sizeof exit_text);
	} else {
		let_start_while_alive(&run, cfg->startup_ms);
		driver_setup(&dc, &run);
		if (!cfg->http_port && !cfg->patient_init) {
			dc.listens_instead = listens_instead;
			dc.listens_ctx = &run;
		}
		if (drive(cfg, http_path, &dc, in[1], out[0], &dr, err, sizeof err) != DRIVER_OK)
			dr = NULL;
		in[1] = -1;  /* the driver closes the server's stdin */
		if (doc)
			add_listening(doc, &run);
		stop_server(pid, exit_text, sizeof exit_text);
	}
	/* We are PID 1 of the namespace: everything the server left behind (daemons, children
	 * holding its stderr) goes now, so the drain below ends. */
	kill(-1, SIGKILL);
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
report:
	progress_set(run.progress, "mcpaudit: trace: reading what the run sent (%.1f s)", progress_elapsed(run.progress));
	unix_watch_stop(&unix_socks);
	if (drained)
		pthread_join(run.drain, NULL);
	if (cap) {
		stop_captures(&run, cap, &cst);
		flows_finish(run.flows);
	}
	if (ns)
		netsim_stop(ns);
	if (doc) {
		add_phases(doc, &run);
		if (ns)
			add_netsim(doc, ns);
		if (cfg->install_mode)
			cJSON_AddStringToObject(doc, "mode", "install");
		else
			add_driver(doc, dr, &run);
		if (ns)
			search_canaries(doc, cfg->canaries, ns, dr, &run);
		if (ns)
			add_capture(doc, &run, &cst, cap ? NULL : cap_err[0] ? cap_err : "no capture");
		watch_stop(&watch, doc);
		add_unix(doc, &unix_socks);
		char *tail = xstrndup(run.tail, run.tail_len);
		cJSON_AddStringToObject(doc, "exit", exit_text);
		cJSON_AddStringToObject(doc, "stderr_tail", tail ? tail : "");
		free(tail);
		if (err[0])
			cJSON_AddStringToObject(doc, "error", err);
		text = cJSON_PrintUnformatted(doc);
	}
	progress_end(run.progress);  /* erased before anything else is printed */
	if (text && xwrite_all(cfg->result_fd, text, strlen(text)) == 0)
		rc = 0;
	free(text);
	cJSON_Delete(doc);
	driver_result_free(dr);
	unix_watch_free(&unix_socks);
	netsim_free(ns);
	flows_free(run.flows);
	vec_free(&run.wire);
	pidns_mark_free(&run.mark);
	vec_free(&run.udp_hits);
	free(http_path);
	for (size_t i = 0; i < nargv; i++)
		free(argv[i]);
	for (size_t i = 0; i < run.phases.len; i++)
		free(run.phases.items[i].phase);
	vec_free(&run.phases);
	int fds[] = {in[0], in[1], out[0], out[1], errp[0], errp[1]};
	for (size_t i = 0; i < sizeof fds / sizeof fds[0]; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	return rc;
}
