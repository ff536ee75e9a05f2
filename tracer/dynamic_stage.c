/* The dynamic stage: sandbox -> fake network and MCP session (session.c) -> the record of
 * what the server tried -> endpoints and findings with their phases. */
#include "tracer/dynamic_stage.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "core/embedded.h"
#include "core/hostname.h"
#include "core/strbuf.h"
#include "core/url.h"
#include "tracer/canary.h"
#include "tracer/identity.h"
#include "tracer/driver.h"
#include "tracer/sandbox.h"
#include "tracer/netsim.h"
#include "tracer/session.h"
#include "tracer/tls_ca.h"
#include "tracer/trust_store.h"
#include "core/term.h"

#define RESULT_MAX ((size_t)256 << 20)
#define DNS_FANOUT 50   /* unique names under one site that count as a channel */

struct fanout_site {
	char *site;
	unsigned n;             /* distinct names counted */
	VEC(char *) names;      /* the first DNS_FANOUT of them */
};

/* ---- reading the record ---- */

static char *read_fd(int fd, size_t *len)
{
	struct strbuf b = STRBUF_INIT(RESULT_MAX);
	char buf[65536];
	ssize_t n;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return NULL;
	while ((n = read(fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
		if (n > 0 && strbuf_append(&b, buf, (size_t)n) != 0)
			break;
	*len = b.len;
	return strbuf_take(&b);
}

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* The driver's phase transitions, and when the server answered initialize. */
struct timeline {
	const cJSON *phases;
	double initialized_ms;
};

/* The phase active at ms: start-up until the server answered initialize (it is still
 * loading, whatever the driver was doing), then the last transition at or before it. */
static const char *phase_at(const struct timeline *tl, double ms)
{
	const char *phase = DRIVER_PHASE_STARTUP;
	const cJSON *p;

	/* clocks tick in milliseconds: an event in the same millisecond as a transition is
	 * taken to belong to the phase before it (the server acts on what it already had) */
	if (ms <= tl->initialized_ms)
		return phase;
	cJSON_ArrayForEach(p, tl->phases) {
		if (num_of(p, "ms") >= ms && num_of(p, "ms") > 0)
			break;
		phase = str_of(p, "phase") ? str_of(p, "phase") : phase;
	}
	return phase;
}

/* ---- endpoints ---- */

static bool is_probe(const char *host)
{
	return host && strcasecmp(host, DRIVER_PROBE_HOST) == 0;
}

static void add_event_at(struct report *r, const char *host, int port, const char *scheme, const char *api,
			 const char *detail, const char *phase, double ms, const char *path, enum evidence_content content)
{
	enum endpoint_kind kind = is_probe(host) ? EK_USER_DIRECTED : host_is_ip(host) ? EK_IP : EK_LITERAL;
	struct endpoint *ep = report_endpoint(r, host, NULL, port, scheme, kind);
	struct evidence ev = {0};
	char expr[1100];

	if (!ep)
		return;
	snprintf(expr, sizeof expr, "%.1000s (at %.0f ms)", detail, ms);
	ev.stage = "dynamic";
	ev.api = (char *)api;
	ev.expression = expr;
	ev.phase = (char *)phase;
	ev.packet = 0;
	ev.time_ms = ms;
	ev.path = (char *)path;
	ev.content = content;
	endpoint_add_evidence(ep, &ev);
}

static void add_event(struct report *r, const char *host, int port, const char *scheme, const char *api,
		      const char *detail, const char *phase, double ms)
{
	add_event_at(r, host, port, scheme, api, detail, phase, ms, NULL, CONTENT_NONE);
}

/* A label that carries data: long, or mostly hex/base32-looking characters. */
static bool data_label(const char *name)
{
	const char *dot = strchr(name, '.');
	size_t len = dot ? (size_t)(dot - name) : strlen(name), digits = 0;

	for (size_t i = 0; i < len; i++)
		digits += isdigit((unsigned char)name[i]) != 0;
	return len >= 32 || (len >= 16 && digits * 4 >= len);
}

/* The machine's identity in a look-up: values are the sandbox's user and host names. */
static void identity_leak(struct report *r, const char *name, const char *phase, const char *const *identity)
{
	static const char *const what[] = {"user name", "host name"};
	const char *encoding;
	size_t which;
	struct finding *f;

	if (!identity || !identity_in_dns_name(name, identity, 2, &which, &encoding))
		return;
	f = report_add_finding(r, "dns-exfiltration", name, NULL, 0,
			       "the server looked up %s, which carries the machine's %s (%s, %s) (during %s)", name,
			       what[which], identity[which], encoding, phase);
	if (f)
		f->phase = xstrdup(phase);
}

static void dns_events(struct report *r, const cJSON *doc, const struct timeline *phases,
		       const char *const *identity)
{
	const cJSON *q;

	cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(doc, "dns")) {
		const char *name = str_of(q, "name");
		const char *phase = phase_at(phases, num_of(q, "ms"));
		char detail[900];
		struct finding *f;
		if (!name || !*name || host_is_local(name))
			continue;
		snprintf(detail, sizeof detail, "DNS query type %d for %s over %s to %s%s%s", (int)num_of(q, "type"), name,
			 str_of(q, "transport") ? str_of(q, "transport") : "?", str_of(q, "server") ? str_of(q, "server") : "?",
			 str_of(q, "process") ? ", by " : "", str_of(q, "process") ? str_of(q, "process") : "");
		add_event(r, name, 53, "dns", "dns", detail, phase, num_of(q, "ms"));
		if (data_label(name) && !is_probe(name)) {
			f = report_add_finding(r, "dns-exfiltration", name, NULL, 0,
					       "the server looked up %s, whose first label looks like data (during %s)",
					       name, phase);
			if (f)
				f->phase = xstrdup(phase);
		} else if (!is_probe(name)) {
			identity_leak(r, name, phase, identity);
		}
	}
}

/* The requests after the first on a kept-alive connection: their paths are evidence too. */
static void later_requests(struct report *r, const cJSON *c, const char *dest, int port, const char *scheme,
			   const char *phase)
{
	const cJSON *t;

	cJSON_ArrayForEach(t, cJSON_GetObjectItemCaseSensitive(c, "later_targets")) {
		char detail[URL_HOST_MAX + 400];
		if (!cJSON_IsString(t))
			continue;
		snprintf(detail, sizeof detail, "a later HTTP request on the same connection to %s: %.300s", dest,
			 t->valuestring);
		add_event_at(r, dest, port, scheme, scheme, detail, phase, num_of(c, "ms"), t->valuestring, CONTENT_SEEN);
	}
}

/* What a request read inside TLS adds to the event: its size, type and first bytes. */
static void inside_detail(const cJSON *c, char *out, size_t len)
{
	const char *type = str_of(c, "content_type"), *body = str_of(c, "body_start");

	if (num_of(c, "body_bytes") <= 0 && !body)
		return;  /* a GET: its target says it all */
	snprintf(out, len, " (%.0f-byte body%s%.100s%s%.200s%s)", num_of(c, "body_bytes"), type ? ", " : "",
		 type ? type : "", body ? ": " : "", body ? body : "",
		 cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "inside_truncated")) ? ", more than was kept" : "");
}

/* A client that refused the run's certificate: where it went is known, what it sent is not. */
static void refused_finding(struct report *r, const cJSON *c, const char *dest, int port, const char *phase)
{
	const char *why = str_of(c, "tls_refused");
	bool alert = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "tls_alert"));
	struct finding *f;

	if (!why || is_probe(dest))
		return;
	f = report_add_finding(r, "tls-interception-refused", dest, NULL, 0,
			       "a client refused the trace's certificate for %s port %d (%s%.100s)%s%.200s: what it "
			       "sent over TLS was not seen (during %s)", dest, port, alert ? "its alert: " : "", why,
			       str_of(c, "process") ? ", by " : "", str_of(c, "process") ? str_of(c, "process") : "", phase);
	if (f)
		f->phase = xstrdup(phase);
}

static void connection_events(struct report *r, const cJSON *doc, const struct timeline *phases)
{
	const cJSON *c;

	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "connections")) {
		const char *name = str_of(c, "name"), *address = str_of(c, "address");
		const char *proto = str_of(c, "protocol"), *sni = str_of(c, "sni"), *host = str_of(c, "host");
		const char *phase = phase_at(phases, num_of(c, "ms"));
		int port = (int)num_of(c, "port");
		char detail[900], hostbuf[URL_HOST_MAX], inside[400] = "";
		const char *dest = sni ? sni : name ? name : address;
		bool tls = proto && !strcmp(proto, "tls"), http = proto && !strcmp(proto, "http");
		bool inside_tls = tls && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "intercepted"));
		const char *method = str_of(c, "method"), *target = str_of(c, "target");
		bool request = (http || inside_tls) && method;
		if (http && host && url_authority_host(host, hostbuf, sizeof hostbuf))  /* name[:port], [v6][:port] */
			dest = name ? name : hostbuf;
		if (!dest)
			continue;
		if (inside_tls && method)
			inside_detail(c, inside, sizeof inside);
		snprintf(detail, sizeof detail, "TCP to %s port %d%s%s%s%s%s%.200s%s%s%s%.200s", address ? address : "?",
			 port, sni ? ", TLS SNI " : "", sni ? sni : "", request ? inside_tls ? ", HTTPS " : ", HTTP " : "",
			 request ? method : "", request ? " " : "", request && target ? target : "",
			 request && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "http2")) ? " over HTTP/2" : "", inside,
			 str_of(c, "process") ? ", by " : "", str_of(c, "process") ? str_of(c, "process") : "");
		add_event_at(r, dest, port, tls ? "https" : http ? "http" : "tcp",
			     inside_tls ? "https" : tls ? "tls-sni" : http ? "http" : "tcp", detail, phase, num_of(c, "ms"),
			     request ? target : NULL, tls && !inside_tls ? CONTENT_ENCRYPTED : CONTENT_SEEN);
		if (str_of(c, "scan_problem"))
			report_add_incomplete(r, NULL, "connection to %s port %d: %s", dest, port, str_of(c, "scan_problem"));
		refused_finding(r, c, dest, port, phase);
		if (inside_tls && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "doh")) && !is_probe(dest)) {
			/* the capture finds DNS over plain HTTP; over HTTPS only a terminated connection shows it */
			struct finding *f = report_add_finding(r, "doh-egress", dest, NULL, 0, "the server resolved names "
							       "over HTTPS through %s (read inside TLS; during %s)", dest, phase);
			if (f)
				f->phase = xstrdup(phase);
		}
		later_requests(r, c, dest, port, inside_tls ? "https" : "http", phase);
		if (cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(c, "caught")) && !tls && !http && name &&
		    !is_probe(dest)) {
			/* a port no sinkhole serves, with a protocol that is not the web's: what a
			 * bare TCP connection attempt used to show, now with what it sent */
			struct finding *f = report_add_finding(r, "raw-socket-egress", dest, NULL, 0,
							       "the server opened a plain TCP connection to %s port %d "
							       "(during %s)", dest, port, phase);
			if (f)
				f->phase = xstrdup(phase);
		}
		if (!name && host_is_ip(dest) && !is_probe(dest)) {
			/* on a user's machine 127.0.0.1 is their databases, Docker, dev servers */
			struct finding *f = report_add_finding(r, "raw-socket-egress", dest, NULL, 0,
							       host_is_local(dest) ? "the server connected to the local "
							       "address %s port %d: a service of the user's machine (during %s)"
							       : "the server connected to the literal address %s port %d "
							       "(during %s)", dest, port, phase);
			if (f)
				f->phase = xstrdup(phase);
		}
	}
}

/* Packet-level events: SYNs to ports nobody listens on, UDP, QUIC, DNS over HTTPS. */
static void wire_events(struct report *r, const cJSON *doc, const struct timeline *tl)
{
	const cJSON *w;

	cJSON_ArrayForEach(w, cJSON_GetObjectItemCaseSensitive(doc, "wire")) {
		const char *kind = str_of(w, "kind"), *name = str_of(w, "name"), *address = str_of(w, "address");
		const char *dest = name ? name : address, *phase = phase_at(tl, num_of(w, "ms"));
		int port = (int)num_of(w, "port");
		char detail[300];
		struct finding *f = NULL;
		if (!kind || !dest)
			continue;
		snprintf(detail, sizeof detail, "%s to %s port %d, packet %.0f", kind, address ? address : "?", port,
			 num_of(w, "packet"));
		/* QUIC's content is never read: the tracer answers no QUIC, so clients fall back to TCP */
		add_event_at(r, dest, port, !strcmp(kind, "syn") ? "tcp" : kind, kind, detail, phase, num_of(w, "ms"), NULL,
			     !strcmp(kind, "quic") ? CONTENT_ENCRYPTED : CONTENT_NONE);
		if (is_probe(dest))
			continue;  /* the driver's own destination: user-directed */
		if (!strcmp(kind, "doh"))
			f = report_add_finding(r, "doh-egress", dest, NULL, 0, "the server resolved names over HTTPS "
					       "through %s (during %s)", dest, phase);
		else if (!name || strcmp(kind, "syn") == 0 || strcmp(kind, "udp") == 0)
			f = report_add_finding(r, "raw-socket-egress", dest, NULL, 0, "the server sent %s to %s port %d "
					       "(during %s)", !strcmp(kind, "syn") ? "a TCP connection attempt" : kind,
					       dest, port, phase);
		if (f)
			f->phase = xstrdup(phase);
	}
}

static void file_opens(struct report *r, const cJSON *doc, const struct timeline *tl)
{
	const cJSON *o;

	cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(doc, "file_opens")) {
		const char *phase = str_of(o, "phase") ? str_of(o, "phase") : phase_at(tl, num_of(o, "ms"));
		const char *path = str_of(o, "path") ? str_of(o, "path") : "?";
		/* a .env in its own working folder is how dotenv configures a server: worth
		 * knowing, not alarming; what it does with the values shows on the wire, where
		 * they are canaries. A file in HOME is someone else's secret. */
		bool own = !strncmp(path, "./", 2), host = path[0] == '/';
		struct finding *f = report_add_finding(r, "credential-access", NULL, NULL, 0,
						       own ? "the server read %s in its working folder, as dotenv does "
							     "(during %s); its values are canaries, watched for on the network"
						       : host ? "the server opened the host's credential file %s (during "
								"%s); the sandbox showed it an empty decoy"
							   : "the server opened the planted credential file %s (during %s)",
						       path, phase);
		if (f) {
			f->phase = xstrdup(phase);
			if (own)
				f->severity = SEV_LOW;
		}
	}
}

/* Attempts to reach a UNIX socket the sandbox did not make: a host daemon's, covered. */
static void unix_sockets(struct report *r, const cJSON *doc, const struct timeline *tl)
{
	const cJSON *u;

	cJSON_ArrayForEach(u, cJSON_GetObjectItemCaseSensitive(doc, "unix_sockets")) {
		const char *phase = str_of(u, "phase") ? str_of(u, "phase") : phase_at(tl, num_of(u, "ms"));
		const char *path = str_of(u, "path") ? str_of(u, "path") : "?";
		struct finding *f = report_add_finding(r, "host-socket-access", NULL, NULL, 0,
						       "the server tried to reach the UNIX socket %s with %s%s%s (during %s);"
						       " inside the sandbox nothing listens there",
						       path, str_of(u, "call") ? str_of(u, "call") : "connect",
						       str_of(u, "process") ? ", as " : "",
						       str_of(u, "process") ? str_of(u, "process") : "", phase);
		if (f)
			f->phase = xstrdup(phase);
	}
	if (num_of(doc, "unix_sockets_over_cap") > 0)
		report_add_incomplete(r, NULL, "%.0f more attempts to reach UNIX sockets were not recorded",
				      num_of(doc, "unix_sockets_over_cap"));
	if (str_of(doc, "unix_watch_error"))
		report_add_incomplete(r, NULL, "attempts to reach UNIX sockets were not watched: %s",
				      str_of(doc, "unix_watch_error"));
}

/* Whether name is already among the site's distinct names; adds it when not (up to
 * DNS_FANOUT: past that the count is all that matters). */
static bool seen_name(struct fanout_site *fs, const char *name)
{
	char *copy;

	for (size_t i = 0; i < fs->names.len; i++)
		if (!strcasecmp(fs->names.items[i], name))
			return true;
	if (fs->names.len >= DNS_FANOUT || !(copy = xstrdup(name)) || vec_push(&fs->names, copy) != 0)
		return fs->names.len < DNS_FANOUT;  /* out of memory: do not count it */
	return false;
}

/* Many distinct names under one site: the names themselves carry data. The same name
 * looked up again (A and AAAA, one per request) is one name. */
static void dns_fanout(struct report *r, const cJSON *doc)
{
	struct fanout_site sites[64];
	size_t nsites = 0;
	const cJSON *q;

	cJSON_ArrayForEach(q, cJSON_GetObjectItemCaseSensitive(doc, "dns")) {
		const char *name = str_of(q, "name");
		char *site = name && !is_probe(name) ? hostname_registrable(name) : NULL;
		size_t i;
		if (!site)
			continue;
		for (i = 0; i < nsites && strcmp(sites[i].site, site) != 0; i++)
			;
		if (i == nsites && nsites < 64)
			sites[nsites++] = (struct fanout_site){.site = site};
		else
			free(site);
		if (i < nsites && !seen_name(&sites[i], name))
			sites[i].n++;
	}
	for (size_t i = 0; i < nsites; i++) {
		if (sites[i].n >= DNS_FANOUT)
			report_add_finding(r, "dns-exfiltration", sites[i].site, NULL, 0,
					   "%d or more distinct names looked up under %s: unique names can carry data out",
					   DNS_FANOUT, sites[i].site);
		free(sites[i].site);
		for (size_t k = 0; k < sites[i].names.len; k++)
			free(sites[i].names.items[k]);
		vec_free(&sites[i].names);
	}
}

static void capture_problems(struct report *r, const cJSON *doc)
{
	const cJSON *cap = cJSON_GetObjectItemCaseSensitive(doc, "capture");

	if (str_of(cap, "others_error"))
		report_add_incomplete(r, NULL, "no capture on some of the sandbox's interfaces besides lo (%s): what "
				      "was sent out of them was not seen", str_of(cap, "others_error"));
	if (str_of(cap, "error"))
		report_add_incomplete(r, NULL, "no packet capture (%s): connection attempts to closed ports, UDP "
				      "and QUIC were not seen", str_of(cap, "error"));
	else if (num_of(cap, "dropped_kernel") > 0 || num_of(cap, "dropped_interface") > 0)
		report_add_incomplete(r, NULL, "the capture dropped %.0f packets (kernel) and %.0f (interface) of "
				      "%.0f: events may be missing", num_of(cap, "dropped_kernel"),
				      num_of(cap, "dropped_interface"), num_of(cap, "received"));
}

static void canary_hits(struct report *r, const cJSON *doc, const struct timeline *tl,
			const struct canary_set *set)
{
	const cJSON *h;

	cJSON_ArrayForEach(h, cJSON_GetObjectItemCaseSensitive(doc, "canary_hits")) {
		const char *where = str_of(h, "where"), *host = str_of(h, "host");
		bool mcp = where && !strcmp(where, "mcp");
		/* an MCP answer names its call (the driver marks where each phase's text starts) */
		const char *phase = mcp ? str_of(h, "phase") ? str_of(h, "phase") : "mcp" : phase_at(tl, num_of(h, "ms"));
		const char *layer = str_of(h, "layer");
		char via[160] = "";
		struct finding *f;
		/* a websocket or a gzip body inside HTTPS: both layers are named */
		if (layer && cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(h, "decrypted")) && strcmp(layer, NETSIM_TLS_LAYER))
			snprintf(via, sizeof via, " in a %.60s, in a %s", layer, NETSIM_TLS_LAYER);
		else if (layer && strcmp(layer, "udp") != 0)
			snprintf(via, sizeof via, " in a %.60s", layer);
		else if (layer)
			snprintf(via, sizeof via, " in a UDP datagram");
		f = report_add_finding(
			r, "credential-exfiltration", host, NULL, 0,
			mcp ? "the canary %s (planted as %s) came back to the client over MCP, %s-encoded%s%s (during %s)"
			    : "the canary %s (planted as %s) was sent to %s, %s-encoded%s (during %s)",
			str_of(h, "canary"), str_of(h, "planted") ? str_of(h, "planted") : "?",
			mcp ? str_of(h, "encoding") : host ? host : "?", mcp ? "" : str_of(h, "encoding"),
			mcp ? "" : via, phase);
		const struct canary *c = set && str_of(h, "canary") ? canary_find(set, str_of(h, "canary")) : NULL;
		if (f)
			f->phase = xstrdup(phase);
		if (f && !mcp && host && c && canary_own_service(set, c, host))
			f->own_service = true;  /* policy_apply decides, once docs are known */
	}
}

/* The names of one of the server's lists, as the record has them. */
static int listed(struct report *r, enum coverage_list which, const cJSON *list)
{
	const cJSON *n;

	cJSON_ArrayForEach(n, list)
		if (cJSON_IsString(n) && report_add_listed(r, which, n->valuestring) != 0)
			return -1;
	return 0;
}

/* What the run exercised: what the server listed, every request and how it ended, the
 * phases it went through. Returns 0 or -1 (out of memory: the section is incomplete). */
static int coverage(struct report *r, const cJSON *doc)
{
	const cJSON *server = cJSON_GetObjectItemCaseSensitive(doc, "server"), *c;

	r->coverage.ran = true;
	r->coverage.transport = str_of(server, "transport") ? xstrdup(str_of(server, "transport")) : NULL;
	if (listed(r, COVERAGE_TOOLS, cJSON_GetObjectItemCaseSensitive(server, "tools")) != 0 ||
	    listed(r, COVERAGE_RESOURCES, cJSON_GetObjectItemCaseSensitive(server, "resources")) != 0 ||
	    listed(r, COVERAGE_PROMPTS, cJSON_GetObjectItemCaseSensitive(server, "prompts")) != 0)
		return -1;
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "calls")) {
		struct coverage_call call = {(char *)str_of(c, "method"), (char *)str_of(c, "target"),
					     (char *)str_of(c, "arguments"), (char *)str_of(c, "outcome"),
					     (char *)str_of(c, "detail"), num_of(c, "start_ms"), num_of(c, "end_ms")};
		if (call.method && call.outcome && report_add_call(r, &call) != 0)
			return -1;
	}
	cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(doc, "phases")) {
		const struct coverage_phase *last = r->coverage.phases.len ?
			&r->coverage.phases.items[r->coverage.phases.len - 1] : NULL;
		if (!str_of(c, "phase") || (last && !strcmp(last->phase, str_of(c, "phase"))))
			continue;  /* the session marks its start-up twice: around the start-up wait */
		if (report_add_phase(r, str_of(c, "phase"), num_of(c, "ms")) != 0)
			return -1;
	}
	return 0;
}

static void problems(struct report *r, const cJSON *doc)
{
	const cJSON *p, *stats = cJSON_GetObjectItemCaseSensitive(doc, "stats");
	const char *tail = str_of(doc, "stderr_tail");

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(doc, "problems"))
		report_add_incomplete(r, NULL, "server %s: %s (at %.0f ms)%s%.300s", str_of(p, "kind"),
				      str_of(p, "detail") ? str_of(p, "detail") : "", num_of(p, "ms"),
				      tail && *tail ? "; stderr ends: " : "", tail ? tail : "");
	if (num_of(stats, "queries_over_cap") > 0 || num_of(stats, "connections_over_cap") > 0 ||
	    num_of(stats, "connections_refused") > 0 || num_of(stats, "names_over_cap") > 0)
		report_add_incomplete(r, NULL, "the fake network's logs overflowed: %.0f queries, %.0f connections "
				      "not logged, %.0f connections refused, %.0f names unanswered",
				      num_of(stats, "queries_over_cap"), num_of(stats, "connections_over_cap"),
				      num_of(stats, "connections_refused"), num_of(stats, "names_over_cap"));
	if (num_of(stats, "tls_setup_failed") > 0)
		report_add_incomplete(r, NULL, "%.0f TLS connections were read only to their ClientHello (out of "
				      "memory): what they sent inside was not seen", num_of(stats, "tls_setup_failed"));
	if (str_of(doc, "error"))
		report_add_incomplete(r, NULL, "trace: %s", str_of(doc, "error"));
}

/* An install script that failed or hung: npm would have stopped the install there, and
 * what the script meant to do after that point was not seen. */
static void install_exit(struct report *r, const cJSON *doc)
{
	const char *exit_text = str_of(doc, "exit");

	if (exit_text && strcmp(exit_text, "exited with status 0") != 0)
		report_add_incomplete(r, NULL, "install script %s; stderr ends: %.300s", exit_text,
				      str_of(doc, "stderr_tail") ? str_of(doc, "stderr_tail") : "");
}

/* Why a server that started never answered initialize: nothing of it was exercised, so
 * there is no verdict to give (exit 2, not "passes"). */
static void never_initialized(const cJSON *doc, char *err, size_t errlen)
{
	const char *outcome = str_of(doc, "initialize_outcome"), *tail = str_of(doc, "stderr_tail");
	const char *exit_text = str_of(doc, "exit") ? str_of(doc, "exit") : "?";
	char why[700];

	if (outcome && !strcmp(outcome, "timeout"))
		snprintf(why, sizeof why, "the server did not answer initialize in time (then %s)", exit_text);
	else if (outcome && !strcmp(outcome, "error"))
		snprintf(why, sizeof why, "the server refused initialize: %.500s",
			 str_of(doc, "initialize_detail") ? str_of(doc, "initialize_detail") : "no detail");
	else
		snprintf(why, sizeof why, "the server exited before answering initialize (%s)", exit_text);
	snprintf(err, errlen, "%s%s%.600s", why, tail && *tail ? "; stderr ends: " : "", tail ? tail : "");
}

/* The canaries are ours and are the evidence, but a report shows them by name: their values
 * (and random parts) are redacted by report_finish like any secret. */
static void register_canaries(struct report *r, const struct canary_set *set)
{
	for (size_t i = 0; set && i < set->canaries.len; i++) {
		const struct canary *c = &set->canaries.items[i];
		char label[160];
		snprintf(label, sizeof label, "canary %s", c->name);
		report_add_secret(r, c->value, label);
		report_add_secret(r, c->value + c->core, label);
	}
}

/* The record's hints of where the server listens, for the caller. */
static void fill_seen(const cJSON *doc, struct trace_seen *seen)
{
	const cJSON *p;
	const char *head = str_of(doc, "stdout_head"), *tail = str_of(doc, "stderr_tail");

	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(doc, "listening"))
		if (cJSON_IsNumber(p) && p->valuedouble >= 1 && p->valuedouble <= 65535 &&
		    seen->n_listening < TRACE_SEEN_PORTS)
			seen->listening[seen->n_listening++] = (uint16_t)p->valuedouble;
	free(seen->output);
	seen->output = (head && *head) || (tail && *tail) ? xasprintf("%s\n%s", head ? head : "", tail ? tail : "")
							  : NULL;
}

static int record_to_report(struct report *r, const char *text, const struct canary_set *set,
			    const char *const *identity, struct trace_seen *seen, char *err, size_t errlen)
{
	cJSON *doc = cJSON_Parse(text);
	struct timeline tl;
	bool install_mode = doc && str_of(doc, "mode") && !strcmp(str_of(doc, "mode"), "install");

	if (!doc) {
		snprintf(err, errlen, "the traced run left no readable record");
		return -1;
	}
	if (seen)
		fill_seen(doc, seen);
	if (str_of(doc, "exit") && !strcmp(str_of(doc, "exit"), "not started")) {
		/* the server never ran: nothing was checked */
		snprintf(err, errlen, "the server could not be started: %s",
			 str_of(doc, "error") ? str_of(doc, "error") : "unknown reason");
		cJSON_Delete(doc);
		return -1;
	}
	if (install_mode)
		install_exit(r, doc);
	else if (cJSON_IsFalse(cJSON_GetObjectItemCaseSensitive(doc, "driven"))) {
		/* the driver could not talk to the server at all: nothing was exercised */
		snprintf(err, errlen, "the server could not be driven: %s",
			 str_of(doc, "error") ? str_of(doc, "error") : "unknown reason");
		cJSON_Delete(doc);
		return -1;
	} else if (!cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(doc, "initialized"))) {
		never_initialized(doc, err, errlen);
		cJSON_Delete(doc);
		return -1;
	}
	register_canaries(r, set);
	tl.phases = cJSON_GetObjectItemCaseSensitive(doc, "phases");
	tl.initialized_ms = num_of(doc, "initialized_ms");
	connection_events(r, doc, &tl);
	dns_events(r, doc, &tl, identity);
	canary_hits(r, doc, &tl, set);
	wire_events(r, doc, &tl);
	file_opens(r, doc, &tl);
	unix_sockets(r, doc, &tl);
	dns_fanout(r, doc);
	if (!install_mode && coverage(r, doc) != 0)
		report_add_incomplete(r, NULL, "out of memory: the coverage section is incomplete");
	capture_problems(r, doc);
	problems(r, doc);
	r->files_found = r->files_parsed = 0;
	cJSON_Delete(doc);
	return 0;
}

/* ---- the run ---- */

struct files {
	struct sandbox_file *items;
	size_t len, cap;
};

struct strings {
	char **items;
	size_t len, cap;
};

static bool env_given(const struct trace_options *o, const char *name)
{
	size_t n = strlen(name);

	for (const char *const *e = o->env; e && *e; e++)
		if (strncmp(*e, name, n) == 0 && (*e)[n] == '=')
			return true;
	return false;
}

/* Whether a later env entry of the set names the same variable. */
static bool set_later(const struct canary_set *set, size_t i)
{
	for (size_t j = i + 1; j < set->env.len; j++)
		if (!strcmp(set->env.items[j].name, set->env.items[i].name))
			return true;
	return false;
}

/* The token template for a canary shaped like value: its prefix ("ghp_", "sk-proj-", up
 * to the last '_' or '-' in the first 16 characters) kept, the rest random, as long. */
static char *secret_template(const char *value)
{
	size_t n = strlen(value), prefix = 0, rest;

	for (size_t i = 0; i < n && i < 16; i++) {
		if (value[i] == '_' || value[i] == '-')
			prefix = i + 1;
		else if (!isalnum((unsigned char)value[i]))
			break;
	}
	rest = n - prefix;
	rest = rest < 16 ? 16 : rest > 120 ? 120 : rest;
	return xasprintf("%.*s{base62:%zu}", (int)prefix, value, rest);
}

/* The built-in canary list, plus a token for each configured secret in the variable it
 * came from: the server sees a value of the right shape, never the user's own. */
static char *canary_list_with(const char *const *secret_env, size_t *len)
{
	const struct embedded_file *f = embedded_find(embedded_data, "core/data/canaries.txt");
	struct strbuf b = STRBUF_INIT(0);
	unsigned n = 0;

	if (!f || strbuf_append(&b, (const char *)f->bytes, f->len) != 0)
		goto fail;
	for (const char *const *e = secret_env; e && *e; e++) {
		const char *eq = strchr(*e, '=');
		char *tmpl = eq ? secret_template(eq + 1) : NULL;
		int rc = tmpl ? strbuf_printf(&b, "\ntoken configured_%u %s\nenv %.*s configured_%u\n", n, tmpl,
					       (int)(eq - *e), *e, n) : -1;
		free(tmpl);
		if (rc != 0)
			goto fail;
		n++;
	}
	*len = b.len;
	return strbuf_take(&b);
fail:
	strbuf_free(&b);
	return NULL;
}

/* Where client libraries look for the certificates they trust, each pointed at the sandbox's
 * trust store (tracer/trust_store.h), which holds the run's CA: Node adds NODE_EXTRA_CA_CERTS
 * (the CA alone) to its own list; OpenSSL, Python's ssl, requests, curl, botocore, pip and
 * git take their variable's file instead of theirs (the bundle: the host's CAs and ours). */
static const struct {
	const char *name;
	bool ca_alone;    /* the CA's own file, else the bundle */
	bool folder;      /* the hashed folder */
} trust_variables[] = {
	{"NODE_EXTRA_CA_CERTS", true, false}, {"SSL_CERT_FILE", false, false}, {"SSL_CERT_DIR", false, true},
	{"REQUESTS_CA_BUNDLE", false, false}, {"CURL_CA_BUNDLE", false, false}, {"AWS_CA_BUNDLE", false, false},
	{"PIP_CERT", false, false},           {"GIT_SSL_CAINFO", false, false},
};

/* The trust variables the user did not set with --env; ca_name is the CA's file in the store. */
static int plant_trust(const struct trace_options *o, const char *ca_name, struct strings *env)
{
	for (size_t i = 0; ca_name && i < sizeof trust_variables / sizeof trust_variables[0]; i++) {
		const char *file = trust_variables[i].ca_alone ? ca_name : TRUST_STORE_BUNDLE;
		char *e = trust_variables[i].folder ? xasprintf("%s=%s", trust_variables[i].name, TRUST_STORE_DIR)
						    : xasprintf("%s=%s/%s", trust_variables[i].name, TRUST_STORE_DIR, file);
		if (env_given(o, trust_variables[i].name)) {
			free(e);
			continue;
		}
		if (!e || vec_push(env, e) != 0) {
			free(e);
			return -1;
		}
	}
	return 0;
}

/* The server's environment: what --env gives, then the canaries it does not override,
 * then the identity of an ordinary user and, with a CA (ca_name its file name, else NULL),
 * the variables that make clients trust it. Fake-HOME files from the canary set. */
static int plant(const struct canary_set *set, const struct trace_options *o, const char *home,
		 const char *user, const char *ca_name, struct strings *env, struct files *files)
{
	char *e;

	for (const char *const *x = o->env; x && *x; x++)
		if (!(e = xstrdup(*x)) || vec_push(env, e) != 0)
			return -1;
	for (size_t i = 0; i < set->env.len; i++) {
		if (env_given(o, set->env.items[i].name))
			continue;  /* the user's real value: the server needs it */
		if (set_later(set, i))
			continue;  /* a configured secret's canary replaces the built-in one */
		if (!(e = xasprintf("%s=%s", set->env.items[i].name, set->env.items[i].canary->value)) ||
		    vec_push(env, e) != 0)
			return -1;
	}
	if (vec_push(env, xasprintf("HOME=%s", home)) != 0 || vec_push(env, xasprintf("USER=%s", user)) != 0 ||
	    vec_push(env, xasprintf("LOGNAME=%s", user)) != 0 || plant_trust(o, ca_name, env) != 0 ||
	    vec_push(env, NULL) != 0)
		return -1;
	for (size_t i = 0; i < set->files.len; i++) {
		const struct canary_file *f = &set->files.items[i];
		struct sandbox_file sf = {f->path, f->content, f->len, (mode_t)f->mode};
		if (f->in_home && vec_push(files, sf) != 0)
			return -1;
	}
	return 0;
}

/* The host credential files the sandbox covers with decoys: the "# @anywhere" names and
 * the "# @host" paths of the one list of credential paths (see its head). Each array is
 * NULL-terminated, its strings owned; free with strings_free. */
static int credential_sections(struct strings *names, struct strings *paths)
{
	const struct embedded_file *f = embedded_find(embedded_data, "analyzer/data/credential_paths.txt");
	struct strings *into = NULL;
	const char *p, *end;

	if (!f)
		return -1;
	for (p = (const char *)f->bytes; p < (const char *)f->bytes + f->len; p = end + 1) {
		end = memchr(p, '\n', (size_t)((const char *)f->bytes + f->len - p));
		if (!end)
			end = (const char *)f->bytes + f->len;
		size_t n = (size_t)(end - p);
		char *line;
		if (n == 11 && !memcmp(p, "# @anywhere", 11))
			into = names;
		else if (n == 7 && !memcmp(p, "# @host", 7))
			into = paths;
		else if (into && n && *p != '#' && (!(line = xstrndup(p, n)) || vec_push(into, line) != 0))
			return -1;
	}
	return vec_push(names, NULL) != 0 || vec_push(paths, NULL) != 0 ? -1 : 0;
}

static void strings_free(struct strings *s)
{
	for (size_t i = 0; i < s->len; i++)
		free(s->items[i]);
	vec_free(s);
}

static const char *const user_names[] = {"alex", "sam", "jordan", "casey", "riley"};

/* The run's CA, named as mkcert names a developer's own ("mkcert development CA", "mkcert
 * user@host"): a local CA in the trust store is ordinary on a developer's machine. The
 * sandbox's trust store gets it (sc), ca_name its file name there. NULL with err on failure. */
static struct tls_ca *run_ca(struct sandbox_config *sc, const char *user, char *ca_name, size_t ca_name_len,
			     char *err, size_t errlen)
{
	char cn[128];
	struct tls_ca *ca;

	snprintf(cn, sizeof cn, "mkcert %s@%s", user, sc->hostname);
	if (!(ca = tls_ca_new("mkcert development CA", cn, err, errlen)))
		return NULL;
	tls_ca_hashed_name(ca, ca_name, ca_name_len);
	sc->trust_ca_pem = tls_ca_pem(ca);
	sc->trust_ca_hashed_name = ca_name;
	return ca;
}

int dynamic_stage_run(const struct trace_options *o, struct report *r, char *err, size_t errlen)
{
	struct sandbox_config sc = {0};
	struct session_config ss = {0};
	char cwd[PATH_MAX], root[PATH_MAX], home[64], limit_note[400] = "";
	const char *identity[2];
	const char *user = user_names[(unsigned)getpid() % (sizeof user_names / sizeof user_names[0])];
	FILE *result = tmpfile();
	struct canary_set *canaries = NULL;
	struct strings env = {0}, cred_names = {0}, cred_paths = {0};
	struct files files = {0};
	char hiding_note[400] = "", ca_name[32] = "";
	struct sandbox_timing timing = {0};
	struct tls_ca *ca = NULL;
	char *text = NULL, *list = NULL;
	size_t len = 0, list_len = 0;
	int status = -1, rc = -1;

	if (!result) {
		snprintf(err, errlen, "cannot make a temporary file: %s", strerror(errno));
		return -1;
	}
	if (!realpath(o->cwd ? o->cwd : ".", cwd)) {
		snprintf(err, errlen, "%s: %s", o->cwd ? o->cwd : ".", strerror(errno));
		goto out;
	}
	if (!realpath(o->root ? o->root : cwd, root)) {
		snprintf(err, errlen, "%s: %s", o->root, strerror(errno));
		goto out;
	}
	if (strncmp(cwd, root, strlen(root)) != 0 || (cwd[strlen(root)] != '/' && cwd[strlen(root)] != '\0')) {
		snprintf(err, errlen, "--cwd %s is not inside --root %s", cwd, root);
		goto out;
	}
	snprintf(home, sizeof home, "/home/%s", user);
	sc.home = home;
	sc.hostname = sandbox_random_hostname();
	identity[0] = user;
	identity[1] = sc.hostname;
	sc.workdir = root;
	sc.max_processes = SESSION_MAX_PROCESSES + 64;  /* the tracer's own threads count too */
	sc.limit_note = limit_note;
	sc.limit_note_len = sizeof limit_note;
	sc.hiding_note = hiding_note;
	sc.hiding_note_len = sizeof hiding_note;
	if (credential_sections(&cred_names, &cred_paths) != 0) {
		snprintf(err, errlen, "the list of credential paths is missing or out of memory");
		goto out;
	}
	sc.cred_names = (const char *const *)cred_names.items;
	sc.cred_paths = (const char *const *)cred_paths.items;
	if (o->secret_env && o->secret_env[0] && !(list = canary_list_with(o->secret_env, &list_len))) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (!o->no_tls_intercept && !(ca = run_ca(&sc, user, ca_name, sizeof ca_name, err, errlen)))
		goto out;
	if (canary_set_new(list, list_len, &canaries, err, errlen) != CANARY_OK ||
	    plant(canaries, o, home, user, ca ? ca_name : NULL, &env, &files) != 0)
		goto out;
	ss.tls_ca = ca;
	sc.home_files = files.items;
	sc.n_home_files = files.len;
	ss.canaries = canaries;
	ss.argv = o->argv;
	ss.env = (const char *const *)env.items;
	ss.cwd = cwd;
	ss.home = home;
	ss.user = user;
	ss.quiet_ms = (o->quiet_seconds ? o->quiet_seconds : 5) * 1000u;
	ss.startup_ms = o->no_startup_wait ? 0 : o->startup_ms ? o->startup_ms : 1000u;
	ss.call_timeout_ms = (o->call_timeout_seconds ? o->call_timeout_seconds : 10) * 1000u;
	ss.timeout_ms = (o->timeout_seconds ? o->timeout_seconds : 120) * 1000u;
	ss.no_calls = o->no_calls;
	ss.progress = o->progress;
	ss.install_mode = o->install_mode;
	ss.http_port = o->http_port;
	ss.http_path = o->http_path;
	ss.patient_init = o->patient_init;
	ss.result_fd = fileno(result);
	/* opened here, where the path is writable; the capture inside writes through the fd */
	if (o->pcap_file && (ss.pcap_fd = open(o->pcap_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		snprintf(err, errlen, "%s: %s", o->pcap_file, strerror(errno));
		goto out;
	}
	sc.timing = &timing;
	if (sandbox_run(&sc, session_inside, &ss, &status, err, errlen) != 0)
		goto out;
	if (o->verbose)  /* the sandbox's fixed costs, apart from the run inside (bench/trace.sh) */
		term_printf(stderr, "mcpaudit: sandbox: host walk %.1f ms (%zu entries), set-up %.1f ms, tear-down %.1f ms\n",
			    timing.walk_ms, timing.walk_entries, timing.setup_ms, timing.teardown_ms);
	text = read_fd(fileno(result), &len);
	if (!text || !len) {
		snprintf(err, errlen, "the sandboxed run ended (status %d) without a record", status);
		goto out;
	}
	if (o->verbose)  /* the raw record of the run, for whoever debugs a trace */
		term_printf(stderr, "mcpaudit: trace record: %s\n", text);
	rc = record_to_report(r, text, canaries, identity, o->seen, err, errlen);
	if (ca && access(TRUST_STORE_DIR, F_OK) != 0)
		report_add_incomplete(r, NULL, "the host has no %s: only clients that read the trust variables "
				      "(NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, ...) could trust the run's CA", TRUST_STORE_DIR);
	if (limit_note[0])
		report_add_incomplete(r, NULL, "the server's processes were not limited (no pids cgroup: %s); "
				      "a fork bomb could exhaust the host's process table", limit_note);
	if (hiding_note[0])
		report_add_incomplete(r, NULL, "%s", hiding_note);
	vec_push(&r->targets, xstrdup(cwd));
	r->root = xstrdup(cwd);
out:
	if (ss.pcap_fd > 0)
		close(ss.pcap_fd);
	free(text);
	free(list);
	fclose(result);
	for (size_t i = 0; i < env.len; i++)
		free(env.items[i]);
	vec_free(&env);
	vec_free(&files);
	strings_free(&cred_names);
	strings_free(&cred_paths);
	canary_set_free(canaries);
	tls_ca_free(ca);  /* the CA's key existed only in memory: it ends with the run */
	return rc;
}
