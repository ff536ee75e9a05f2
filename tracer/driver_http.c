/* driver_http: MCP streamable HTTP (MCP 2025-11-25 "Transports: Streamable HTTP") on plain sockets:
 * HTTP/1.1 messages and chunked coding (RFC 9112 sections 2-7), server-sent events (WHATWG HTML 9.2.6).
 * A server that refuses the first POST with a 4xx is tried with the legacy HTTP+SSE transport
 * (MCP 2024-11-05), as "Backwards Compatibility" in the 2025-11-25 transports section says:
 * GET the same URL; an SSE stream whose first event is `endpoint` names where to POST, and
 * every message of the server comes on that stream as a `message` event. */
#include "tracer/driver_http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/strbuf.h"
#include "core/vec.h"

#define MAX_HEAD ((size_t)16 << 10) /* status line and header fields of one response */
#define MAX_EXCHANGES 16            /* open at once; later messages wait in the queue */
#define MAX_QUEUED 256              /* messages waiting for a slot (a server may flood requests) */
#define MAX_SESSION_ID 256
#define MAX_CHUNK_LINE 1024              /* a chunk-size line with its extensions, a trailer field */
#define MAX_KEPT_TEXT ((size_t)64 << 10) /* start of a dropped body kept for the canary search */
#define MAX_DETAIL 320
#define RETRY_MS 50 /* between connection attempts while the server starts */
#define READ_CHUNK ((size_t)64 << 10)
#define ORDER_MS 2000   /* a notification or answer holds later messages back this long */
#define ANSWER_MS 10000 /* an answer or notification not acknowledged by then is dropped */
#define MAX_EVENT 32    /* an SSE event type the driver tells apart ("endpoint", "message") */

enum x_state { X_WAIT, X_CONNECTING, X_SENDING, X_HEAD, X_BODY, X_DONE };
enum framing { FR_LENGTH, FR_CHUNKED, FR_CLOSE };
enum chunk_state { C_SIZE, C_DATA, C_DATA_END, C_TRAILER };
enum content { CT_JSON, CT_SSE, CT_ERROR };
/* Which transport the server speaks: not known until the first request is answered. */
enum mode { M_PROBING, M_STREAMABLE, M_LEGACY };

struct outgoing {
	char *text; /* NULL for the DELETE */
	size_t len;
	long id;
};

/* One request and its response, on its own connection (Connection: close). */
struct exchange {
	int fd;
	enum x_state state;
	long id;           /* JSON-RPC id of the request carried; 0 for the others */
	bool finished;     /* the caller has its answer: the slot may be taken back */
	bool with_session; /* the request carried Mcp-Session-Id */
	uint64_t retry_at; /* X_WAIT: next connection attempt */
	uint64_t started;  /* when it was taken from the queue */
	struct strbuf req; /* the whole request; req_off bytes sent */
	size_t req_off;
	char head[MAX_HEAD + 1];
	size_t head_len;
	int status;
	enum framing framing;
	uint64_t left; /* FR_LENGTH: body bytes to come; C_DATA: bytes of the chunk */
	enum chunk_state chunk;
	char line[MAX_CHUNK_LINE + 1];
	size_t line_len;
	enum content content;
	struct strbuf body;           /* CT_JSON, CT_ERROR: the body so far (at most max_body) */
	bool dropped;                 /* the body (CT_JSON) or the current event (CT_SSE) is over the cap */
	struct strbuf sse_line, data; /* CT_SSE: the line being assembled, the event's data */
	bool cr;                      /* CT_SSE: the last byte was CR (a CRLF split between reads) */
	bool in_line;                 /* CT_SSE: the current line has bytes (kept or not) */
	char event[MAX_EVENT + 1];    /* CT_SSE: the current event's type; "" is "message" */
	bool stream;                  /* the legacy transport's GET: the server's messages come on it */
};

struct driver_http {
	struct sockaddr_storage addr;
	socklen_t addrlen;
	char *host_header, *path;
	size_t max_body;
	struct driver_http_events ev;
	char *session_id, *protocol;
	bool connected_once, gone, nomem;
	VEC(struct outgoing) queue;
	struct exchange *x[MAX_EXCHANGES];
	size_t nx;
	char *chunk; /* READ_CHUNK bytes */
	enum mode mode;
	struct outgoing first;          /* M_PROBING: the first request, sent again over the legacy transport */
	int post_status;                /* falling back: the status the first POST got */
	char post_failed[MAX_DETAIL];   /* falling back: and what it said */
	char *post_path;                /* M_LEGACY: where messages are POSTed (the endpoint event) */
};

static uint64_t now_ms(void)
{
	return driver_clock_ms();
}

static void report(struct driver_http *h, enum driver_problem_kind kind, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void report(struct driver_http *h, enum driver_problem_kind kind, const char *fmt, ...)
{
	char detail[MAX_DETAIL];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	h->ev.problem(h->ev.ctx, kind, detail);
}

/* ---------------------------------------------------------------- set-up */

static bool path_ok(const char *path)
{
	if (path[0] != '/')
		return false;
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p <= ' ' || *p >= 0x7f)
			return false;
	return strlen(path) < 1024;
}

/* The address and Host header of host:port; false when host is not a numeric address. */
static bool set_address(struct driver_http *h, const char *host, uint16_t port)
{
	struct sockaddr_in *v4 = (struct sockaddr_in *)&h->addr;
	struct sockaddr_in6 *v6 = (struct sockaddr_in6 *)&h->addr;

	if (inet_pton(AF_INET, host, &v4->sin_addr) == 1) {
		v4->sin_family = AF_INET;
		v4->sin_port = htons(port);
		h->addrlen = sizeof *v4;
		h->host_header = xasprintf("%s:%u", host, (unsigned)port);
		return true;
	}
	if (inet_pton(AF_INET6, host, &v6->sin6_addr) == 1) {
		v6->sin6_family = AF_INET6;
		v6->sin6_port = htons(port);
		h->addrlen = sizeof *v6;
		h->host_header = xasprintf("[%s]:%u", host, (unsigned)port);
		return true;
	}
	return false;
}

enum driver_status driver_http_new(struct driver_http **out, const char *host, uint16_t port,
                                   const char *path, size_t max_body, const struct driver_http_events *ev,
                                   char *err, size_t errlen)
{
	struct driver_http *h;

	*out = NULL;
	if (!path)
		path = "/mcp";
	if (!host || port == 0 || max_body == 0 || !path_ok(path)) {
		snprintf(err, errlen,
		         "driver: an HTTP server needs a host, a port and a path starting with '/'");
		return DRIVER_BAD_CONFIG;
	}
	h = calloc(1, sizeof *h);
	if (!h)
		goto nomem;
	h->max_body = max_body;
	h->ev = *ev;
	if (!set_address(h, host, port)) {
		snprintf(err, errlen, "driver: %.100s is not a numeric IPv4 or IPv6 address", host);
		driver_http_free(h);
		return DRIVER_BAD_CONFIG;
	}
	h->path = xstrdup(path);
	h->chunk = malloc(READ_CHUNK);
	if (!h->host_header || !h->path || !h->chunk)
		goto nomem;
	*out = h;
	return DRIVER_OK;
nomem:
	driver_http_free(h);
	snprintf(err, errlen, "driver: out of memory");
	return DRIVER_NOMEM;
}

static void exchange_free(struct exchange *x)
{
	if (!x)
		return;
	if (x->fd >= 0)
		close(x->fd);
	strbuf_free(&x->req);
	strbuf_free(&x->body);
	strbuf_free(&x->sse_line);
	strbuf_free(&x->data);
	free(x);
}

void driver_http_free(struct driver_http *h)
{
	if (!h)
		return;
	for (size_t i = 0; i < h->nx; i++)
		exchange_free(h->x[i]);
	for (size_t i = 0; i < h->queue.len; i++)
		free(h->queue.items[i].text);
	vec_free(&h->queue);
	free(h->host_header);
	free(h->path);
	free(h->session_id);
	free(h->protocol);
	free(h->chunk);
	free(h->first.text);
	free(h->post_path);
	free(h);
}

/* ---------------------------------------------------------------- the caller's side */

static void forget_first(struct driver_http *h)
{
	free(h->first.text);
	h->first = (struct outgoing){NULL, 0, 0};
}


int driver_http_post(struct driver_http *h, char *text, size_t len, long id)
{
	struct outgoing o = {text, len, id};

	if (h->gone) {
		free(text);
		return 0;
	}
	if (h->queue.len >= MAX_QUEUED) {
		report(h, DRIVER_PROBLEM_CAP, "more than %d messages waiting for the server: one dropped",
		       MAX_QUEUED);
		free(text);
		return 0;
	}
	if (vec_push(&h->queue, o) < 0) {
		free(text);
		return -1;
	}
	return 0;
}

int driver_http_set_protocol(struct driver_http *h, const char *version)
{
	free(h->protocol);
	h->protocol = version ? xstrdup(version) : NULL;
	return version && !h->protocol ? -1 : 0;
}

int driver_http_delete(struct driver_http *h)
{
	struct outgoing o = {NULL, 0, 0};

	/* Streams the caller is done with would only hold the shutdown up; the legacy
	 * transport's session ends when its stream is closed. */
	for (size_t i = 0; i < h->nx; i++)
		if (h->x[i]->finished || h->x[i]->stream)
			h->x[i]->state = X_DONE;
	if (!h->session_id || h->gone)
		return 0;
	return vec_push(&h->queue, o);
}

static void compact(struct driver_http *h)
{
	size_t n = 0;

	for (size_t i = 0; i < h->nx; i++) {
		if (h->x[i]->state == X_DONE)
			exchange_free(h->x[i]);
		else
			h->x[n++] = h->x[i];
	}
	h->nx = n;
}

void driver_http_finish(struct driver_http *h, long id, bool answered)
{
	size_t n = 0;

	/* Given up while the legacy transport was being tried: the stream is not wanted any more. */
	if (!answered && h->mode == M_PROBING && h->first.text && h->first.id == id) {
		forget_first(h);
		for (size_t i = 0; i < h->nx; i++)
			if (h->x[i]->stream)
				h->x[i]->state = X_DONE;
	}
	for (size_t i = 0; i < h->nx; i++) {
		if (h->x[i]->id != id)
			continue;
		if (answered)
			h->x[i]->finished = true;
		else
			h->x[i]->state = X_DONE;
	}
	compact(h);
	/* A request still queued (no slot, or the server never listened) is not sent any more. */
	for (size_t i = 0; i < h->queue.len; i++) {
		if (h->queue.items[i].id == id && id != 0)
			free(h->queue.items[i].text);
		else
			h->queue.items[n++] = h->queue.items[i];
	}
	h->queue.len = n;
}

bool driver_http_flushed(const struct driver_http *h)
{
	if (h->queue.len > 0)
		return false;
	for (size_t i = 0; i < h->nx; i++)
		if (h->x[i]->id == 0 && !h->x[i]->stream)
			return false;
	return true;
}

bool driver_http_settled(const struct driver_http *h)
{
	if (h->queue.len > 0)
		return false;
	for (size_t i = 0; i < h->nx; i++)
		if (!h->x[i]->stream)
			return false;
	return true;
}

bool driver_http_legacy(const struct driver_http *h)
{
	return h->mode == M_LEGACY;
}

const char *driver_http_session_id(const struct driver_http *h)
{
	return h->session_id;
}

/* ---------------------------------------------------------------- ending an exchange */

/* MCP: a 404 to a request that carried the session id means the server ended the
 * session. Said once the response is over, so the error body is kept first. */
static void check_expired(struct driver_http *h, const struct exchange *x)
{
	if (x->status == 404 && x->with_session)
		report(h, DRIVER_PROBLEM_SESSION_EXPIRED,
		       "HTTP 404 to a request with Mcp-Session-Id %.80s: the session expired",
		       h->session_id ? h->session_id : "");
}

static bool open_stream(struct driver_http *h);

/* The legacy transport's stream is over. Before its endpoint event, the fallback failed:
 * the first request ends with both answers. After it, the server is gone. */
static void stream_over(struct driver_http *h, struct exchange *x, const char *why)
{
	char detail[MAX_DETAIL * 2];

	x->state = X_DONE;
	if (h->gone)
		return;
	if (h->mode == M_PROBING) {
		snprintf(detail, sizeof detail, "%s; GET %s for the legacy HTTP+SSE transport: %s", h->post_failed,
		         h->path, why);
		h->mode = M_STREAMABLE;
		h->ev.problem(h->ev.ctx, DRIVER_PROBLEM_HTTP, detail);
		h->ev.ended(h->ev.ctx, h->first.id, h->post_status, detail);
		forget_first(h);
		return;
	}
	h->gone = true;
	snprintf(detail, sizeof detail, "the server's SSE stream at %s ended: %s (exited?)", h->path, why);
	h->ev.gone(h->ev.ctx, detail);
}

/* The first request got a 4xx: perhaps a server of the legacy transport. True when the
 * fallback has begun (the caller hears of the request again when it is over). */
static bool fall_back(struct driver_http *h, struct exchange *x)
{
	if (h->mode != M_PROBING || x->stream || x->status / 100 != 4 || !h->first.text || x->id != h->first.id)
		return false;
	if (x->body.len > 0)
		h->ev.text(h->ev.ctx, x->body.s, x->body.len);
	h->post_status = x->status;
	snprintf(h->post_failed, sizeof h->post_failed, "POST %s: HTTP %d%s%.120s", h->path, x->status,
	         x->body.len ? ": " : "", x->body.len ? x->body.s : "");
	for (char *p = h->post_failed; *p; p++)
		if (*p == '\r' || *p == '\n')
			*p = ' ';
	return open_stream(h);
}

/* The exchange is over without the response it should have brought. */
static void fail(struct driver_http *h, struct exchange *x, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(struct driver_http *h, struct exchange *x, const char *fmt, ...)
{
	char detail[MAX_DETAIL];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(detail, sizeof detail, fmt, ap);
	va_end(ap);
	if (x->stream) {
		stream_over(h, x, detail);
		return;
	}
	x->state = X_DONE;
	if (h->gone)
		return;
	h->ev.problem(h->ev.ctx, DRIVER_PROBLEM_HTTP, detail);
	check_expired(h, x);
	if (x->id)
		h->ev.ended(h->ev.ctx, x->id, x->status, detail);
}

/* The endpoint event's URL: a path on the server the stream came from (an absolute URL's
 * scheme and authority are dropped: the driver talks to no other address), or one relative
 * to the stream's. False when it is not a usable path. */
static bool take_endpoint(struct driver_http *h, const char *url)
{
	const char *p = url, *slash = strrchr(h->path, '/');
	char *path;

	while (*p == ' ' || *p == '\t')
		p++;
	if (!strncasecmp(p, "http://", 7) || !strncasecmp(p, "https://", 8)) {
		p = strchr(strstr(p, "//") + 2, '/');
		path = xstrdup(p ? p : "/");
	} else if (*p == '/') {
		path = xstrdup(p);
	} else {
		path = xasprintf("%.*s%s", (int)(slash - h->path + 1), h->path, p);
	}
	if (!path) {
		h->nomem = true;
		return false;
	}
	if (!path_ok(path)) {
		free(path);
		return false;
	}
	free(h->post_path);
	h->post_path = path;
	return true;
}

/* The first request again, at the head of the queue, now to the endpoint. */
static void resend_first(struct driver_http *h)
{
	if (vec_push(&h->queue, h->first) < 0) {
		h->nomem = true;
		return;
	}
	memmove(h->queue.items + 1, h->queue.items, (h->queue.len - 1) * sizeof *h->queue.items);
	h->queue.items[0] = h->first;
	h->first = (struct outgoing){NULL, 0, 0};
}

/* An event of the legacy transport's stream: the endpoint first, then messages. */
static void stream_event(struct driver_http *h, struct exchange *x)
{
	bool endpoint = !strcmp(x->event, "endpoint");

	if (x->state == X_DONE || h->mode == M_STREAMABLE || (h->mode == M_LEGACY && endpoint)) {
		h->ev.text(h->ev.ctx, x->data.s, x->data.len);
	} else if (h->mode == M_LEGACY) {
		if (x->event[0] && strcmp(x->event, "message"))
			h->ev.text(h->ev.ctx, x->data.s, x->data.len); /* not a message: kept for the canary search */
		else
			h->ev.message(h->ev.ctx, x->data.s, x->data.len);
	} else if (!endpoint) {
		h->ev.text(h->ev.ctx, x->data.s, x->data.len);
		stream_over(h, x, "its first event is not `endpoint`");
	} else if (!take_endpoint(h, x->data.s)) {
		h->ev.text(h->ev.ctx, x->data.s, x->data.len);
		if (!h->nomem)
			stream_over(h, x, "its endpoint event is not a usable URL");
	} else {
		h->mode = M_LEGACY;
		resend_first(h);
	}
}

static void deliver_event(struct driver_http *h, struct exchange *x)
{
	if (x->data.len > 0 && !x->dropped) {
		x->data.s[--x->data.len] = '\0'; /* the newline after the last data line */
		if (x->stream)
			stream_event(h, x);
		else
			h->ev.message(h->ev.ctx, x->data.s, x->data.len);
	}
	x->data.len = 0;
	x->dropped = false;
	x->event[0] = '\0';
}

/* The response is complete: hand over what it brought. */
static void complete(struct driver_http *h, struct exchange *x)
{
	char detail[MAX_DETAIL];
	const char *why = NULL;

	if (x->stream) {
		stream_over(h, x, "the stream ended");
		return;
	}
	x->state = X_DONE;
	if (x->content == CT_ERROR && fall_back(h, x))
		return;
	if (h->mode == M_LEGACY && x->content != CT_ERROR) {
		/* "Accepted": the answer comes on the stream; the body is kept for the canary search */
		if (x->body.len > 0 && !x->dropped)
			h->ev.text(h->ev.ctx, x->body.s, x->body.len);
		return;
	}
	if (x->content == CT_SSE) {
		/* An event cut off by the end of the stream is discarded by the SSE
		 * algorithm; a server could hide a secret there, so it is delivered. */
		if (x->sse_line.len > 0 && !x->dropped)
			h->ev.text(h->ev.ctx, x->sse_line.s, x->sse_line.len);
		deliver_event(h, x);
	} else if (x->content == CT_JSON && x->body.len > 0 && !x->dropped) {
		h->ev.message(h->ev.ctx, x->body.s, x->body.len);
	} else if (x->content == CT_ERROR) {
		if (x->body.len > 0)
			h->ev.text(h->ev.ctx, x->body.s, x->body.len);
		snprintf(detail, sizeof detail, "HTTP %d%s%.200s", x->status, x->body.len ? ": " : "",
		         x->body.len ? x->body.s : "");
		for (char *p = detail; *p; p++)
			if (*p == '\r' || *p == '\n')
				*p = ' ';
		why = detail;
		h->ev.problem(h->ev.ctx, DRIVER_PROBLEM_HTTP, detail);
		check_expired(h, x);
	}
	if (x->id)
		h->ev.ended(h->ev.ctx, x->id, x->status, why);
}

/* ---------------------------------------------------------------- body */

static void over_cap(struct driver_http *h, struct exchange *x, const char *what, const struct strbuf *start)
{
	if (start->len > 0)
		h->ev.text(h->ev.ctx, start->s, start->len < MAX_KEPT_TEXT ? start->len : MAX_KEPT_TEXT);
	report(h, DRIVER_PROBLEM_FLOOD, "%s over %zu bytes from the server: skipped", what, h->max_body);
	x->dropped = true;
}

/* Append while the total stays within cap; false (nothing appended) past it, or when out of memory. */
static bool append_capped(struct driver_http *h, struct strbuf *b, const char *p, size_t n, size_t cap)
{
	if (b->len + n > cap)
		return false;
	if (strbuf_append(b, p, n) < 0) {
		h->nomem = true;
		return false;
	}
	return true;
}

/* One SSE line (WHATWG HTML 9.2.6 "Interpreting an event stream"): only data and the blank line matter. */
static void sse_line(struct driver_http *h, struct exchange *x)
{
	const char *line = x->sse_line.len ? x->sse_line.s : "";
	const char *colon = strchr(line, ':');
	const char *value;

	/* "data" with no colon is a data line with an empty value; one the driver can do without */
	if (!colon)
		return;
	value = colon[1] == ' ' ? colon + 2 : colon + 1;
	if (colon - line == 5 && !strncmp(line, "event", 5)) {
		snprintf(x->event, sizeof x->event, "%s", value); /* a longer type is none the driver knows */
		return;
	}
	if (colon - line != 4 || strncmp(line, "data", 4) != 0)
		return; /* comments, id, retry: nothing the driver needs */
	if (!append_capped(h, &x->data, value, strlen(value), h->max_body) ||
	    !append_capped(h, &x->data, "\n", 1, h->max_body + 1)) {
		if (!h->nomem)
			over_cap(h, x, "an SSE event", &x->data);
		x->data.len = 0;
	}
}

/* Split the stream into lines at CRLF, LF or CR. A line longer than max_body
 * drops its event. */
static void sse_bytes(struct driver_http *h, struct exchange *x, const char *p, size_t n)
{
	while (n > 0 && !h->nomem) {
		size_t take = 0;
		if (x->cr && *p == '\n') {
			x->cr = false;
			p++;
			n--;
			continue;
		}
		x->cr = false;
		while (take < n && p[take] != '\n' && p[take] != '\r')
			take++;
		x->in_line |= take > 0;
		if (!x->dropped && !append_capped(h, &x->sse_line, p, take, h->max_body + 8) && !h->nomem) {
			over_cap(h, x, "an SSE line", &x->sse_line);
			x->sse_line.len = 0;
		}
		if (take == n)
			return;
		x->cr = p[take] == '\r';
		if (x->sse_line.s)
			x->sse_line.s[x->sse_line.len] = '\0';
		if (!x->in_line)
			deliver_event(h, x); /* the blank line ends an event */
		else if (!x->dropped)
			sse_line(h, x);
		x->sse_line.len = 0;
		x->in_line = false;
		p += take + 1;
		n -= take + 1;
	}
}

/* Decoded body bytes. */
static void body_bytes(struct driver_http *h, struct exchange *x, const char *p, size_t n)
{
	if (x->content == CT_SSE) {
		sse_bytes(h, x, p, n);
	} else if (!x->dropped && !append_capped(h, &x->body, p, n, h->max_body) && !h->nomem) {
		over_cap(h, x, x->content == CT_JSON ? "a JSON body" : "an error body", &x->body);
		x->body.len = 0;
	}
}

/* A line of the chunked coding into x->line; 1 when complete, 0 when more is needed, -1 when too long. */
static int chunk_line(struct exchange *x, const char **p, size_t *n)
{
	while (*n > 0) {
		char c = **p;
		(*p)++;
		(*n)--;
		if (c == '\n') {
			if (x->line_len && x->line[x->line_len - 1] == '\r')
				x->line_len--;
			x->line[x->line_len] = '\0';
			x->line_len = 0;
			return 1;
		}
		if (x->line_len == MAX_CHUNK_LINE)
			return -1;
		x->line[x->line_len++] = c;
	}
	return 0;
}

/* chunk-size [ chunk-ext ]: hex digits, then ';' or whitespace. */
static bool chunk_size(const char *line, uint64_t *size)
{
	char *end;
	unsigned long long v;

	if (!((*line >= '0' && *line <= '9') || (*line >= 'a' && *line <= 'f') ||
	      (*line >= 'A' && *line <= 'F')))
		return false;
	errno = 0;
	v = strtoull(line, &end, 16);
	if (errno || v > ((uint64_t)1 << 48) || (*end && *end != ';' && *end != ' ' && *end != '\t'))
		return false;
	*size = v;
	return true;
}

/* RFC 9112 section 7.1: chunked transfer coding, trailers read and ignored. */
static void chunked_bytes(struct driver_http *h, struct exchange *x, const char *p, size_t n)
{
	while (n > 0 && x->state == X_BODY && !h->nomem) {
		int got;
		if (x->chunk == C_DATA) {
			size_t take = n < x->left ? n : (size_t)x->left;
			body_bytes(h, x, p, take);
			p += take;
			n -= take;
			if ((x->left -= take) == 0)
				x->chunk = C_DATA_END;
			continue;
		}
		got = chunk_line(x, &p, &n);
		if (got < 0) {
			fail(h, x, "a chunked body line over %d bytes", MAX_CHUNK_LINE);
		} else if (got == 0) {
			return;
		} else if (x->chunk == C_SIZE) {
			if (!chunk_size(x->line, &x->left))
				fail(h, x, "a bad chunk size: %.40s", x->line);
			else
				x->chunk = x->left ? C_DATA : C_TRAILER;
		} else if (x->chunk == C_DATA_END) {
			if (x->line[0])
				fail(h, x, "no CRLF after a chunk");
			else
				x->chunk = C_SIZE;
		} else if (x->line[0] == '\0') { /* C_TRAILER: the blank line ends the message */
			complete(h, x);
		}
	}
}

/* Body bytes as they arrive, framing removed. */
static void framed_bytes(struct driver_http *h, struct exchange *x, const char *p, size_t n)
{
	size_t take;

	switch (x->framing) {
	case FR_CLOSE:
		body_bytes(h, x, p, n);
		break;
	case FR_CHUNKED:
		chunked_bytes(h, x, p, n);
		break;
	case FR_LENGTH:
		take = n < x->left ? n : (size_t)x->left;
		body_bytes(h, x, p, take);
		x->left -= take;
		if (x->left == 0 && x->state == X_BODY)
			complete(h, x);
		break;
	}
}

/* ---------------------------------------------------------------- head */

static bool header_is(const char *line, size_t name_len, const char *name)
{
	return strlen(name) == name_len && strncasecmp(line, name, name_len) == 0;
}

/* A session id is visible ASCII (0x21-0x7E) by the specification; anything else
 * would let the server inject header lines into our requests. */
static void take_session_id(struct driver_http *h, const char *v)
{
	size_t n = strlen(v);

	for (size_t i = 0; i < n; i++) {
		if (v[i] < 0x21 || v[i] > 0x7e) {
			report(h, DRIVER_PROBLEM_HTTP, "an Mcp-Session-Id with a byte 0x%02x: not used",
			       (unsigned)(unsigned char)v[i]);
			return;
		}
	}
	if (n == 0 || n > MAX_SESSION_ID) {
		report(h, DRIVER_PROBLEM_HTTP, "an Mcp-Session-Id of %zu bytes: not used", n);
		return;
	}
	h->session_id = xstrdup(v);
	if (!h->session_id)
		h->nomem = true;
}

/* One header field; false when it makes the response unusable. */
static bool header_field(struct driver_http *h, struct exchange *x, char *line, bool *sse)
{
	char *colon = strchr(line, ':'), *v, *end;
	size_t name_len;

	if (!colon)
		return true; /* obs-fold or garbage: ignored */
	name_len = (size_t)(colon - line);
	for (v = colon + 1; *v == ' ' || *v == '\t'; v++)
		;
	for (end = v + strlen(v); end > v && (end[-1] == ' ' || end[-1] == '\t'); end--)
		;
	*end = '\0';
	if (header_is(line, name_len, "content-type")) {
		*sse = strncasecmp(v, "text/event-stream", 17) == 0;
	} else if (header_is(line, name_len, "transfer-encoding")) {
		/* chunked must be the final coding (RFC 9112 section 6.1); it wins over Content-Length */
		if (end - v >= 7 && strcasecmp(end - 7, "chunked") == 0)
			x->framing = FR_CHUNKED;
	} else if (header_is(line, name_len, "content-length") && x->framing != FR_CHUNKED) {
		unsigned long long len;
		char *stop;
		if (*v < '0' || *v > '9')
			return false;
		errno = 0;
		len = strtoull(v, &stop, 10);
		if (errno || *stop)
			return false;
		x->framing = FR_LENGTH;
		x->left = len;
	} else if (header_is(line, name_len, "mcp-session-id") && !h->session_id && x->status / 100 == 2) {
		take_session_id(h, v);
	}
	return true;
}

/* Status line and header fields (RFC 9112 sections 4 and 5), NUL-terminated in
 * x->head. Returns false when the response is not one the driver can read. */
static bool parse_head(struct driver_http *h, struct exchange *x)
{
	char *save = NULL, *line = strtok_r(x->head, "\n", &save);
	bool sse = false;
	long status;
	char *end;

	if (!line || strncmp(line, "HTTP/1.", 7) != 0 || strlen(line) < 12 || line[8] != ' ')
		return false;
	status = strtol(line + 9, &end, 10);
	if (end != line + 12 || status < 100 || status > 599)
		return false;
	x->status = (int)status;
	x->framing = FR_CLOSE;
	while ((line = strtok_r(NULL, "\n", &save))) {
		size_t len = strlen(line);
		if (len && line[len - 1] == '\r')
			line[len - 1] = '\0';
		if (!header_field(h, x, line, &sse))
			return false;
	}
	if (x->status == 204 || x->status == 304 || x->status / 100 == 1) {
		x->framing = FR_LENGTH;
		x->left = 0;
	}
	/* Over the legacy transport a POST's answer is only an acknowledgement, read whole. */
	x->content = x->status / 100 != 2                       ? CT_ERROR
	             : sse && (x->stream || h->mode != M_LEGACY) ? CT_SSE
	                                                        : CT_JSON;
	return true;
}

/* Where the head ends (after its blank line), or 0 when not yet. */
static size_t head_end(const char *p, size_t n)
{
	for (size_t i = 1; i < n; i++) {
		if (p[i] != '\n')
			continue;
		if (p[i - 1] == '\n')
			return i + 1;
		if (i >= 2 && p[i - 1] == '\r' && p[i - 2] == '\n')
			return i + 1;
	}
	return 0;
}

static void after_head(struct driver_http *h, struct exchange *x)
{
	x->state = X_BODY;
	if (x->stream && x->content != CT_SSE) {
		char why[64];
		snprintf(why, sizeof why, x->content == CT_ERROR ? "HTTP %d" : "HTTP %d, not an event stream",
		         x->status);
		stream_over(h, x, why);
		return;
	}
	if (!x->stream && h->mode == M_PROBING && x->status / 100 == 2) {
		h->mode = M_STREAMABLE; /* it answers POSTs: no fallback needed */
		forget_first(h);
	}
	if (x->framing == FR_LENGTH && x->left == 0)
		complete(h, x);
}

/* Bytes received: the head first, then the body. */
static void received(struct driver_http *h, struct exchange *x, const char *p, size_t n)
{
	while (x->state == X_HEAD && n > 0) {
		size_t room = MAX_HEAD - x->head_len, take = n < room ? n : room, end;
		memcpy(x->head + x->head_len, p, take);
		x->head_len += take;
		end = head_end(x->head, x->head_len);
		if (!end) {
			if (x->head_len == MAX_HEAD)
				fail(h, x, "a response head over %zu bytes", MAX_HEAD);
			return;
		}
		/* Bytes past the head were not consumed: step back to them. */
		p += take - (x->head_len - end);
		n -= take - (x->head_len - end);
		x->head[end - 1] = '\0';
		if (!parse_head(h, x)) {
			fail(h, x, "a response that is not HTTP/1.x: %.60s", x->head);
		} else if (x->status / 100 == 1) {
			x->head_len = 0; /* 100 Continue and the like: the real response follows */
		} else {
			after_head(h, x);
		}
	}
	if (x->state == X_BODY && n > 0)
		framed_bytes(h, x, p, n);
}

/* ---------------------------------------------------------------- connection */

static void refused(struct driver_http *h, struct exchange *x, int err)
{
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	if (!h->connected_once) {
		x->state = X_WAIT; /* still starting: try again */
		x->retry_at = now_ms() + RETRY_MS;
		return;
	}
	x->state = X_DONE;
	if (!h->gone) {
		char why[MAX_DETAIL];
		h->gone = true;
		snprintf(why, sizeof why, "the server refused a new connection to %s (%s; exited?)",
		         h->host_header, strerror(err));
		h->ev.gone(h->ev.ctx, why);
	}
}

static void connect_now(struct driver_http *h, struct exchange *x)
{
	x->fd = socket(h->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (x->fd < 0) {
		fail(h, x, "socket: %s", strerror(errno));
		return;
	}
	if (connect(x->fd, (const struct sockaddr *)&h->addr, h->addrlen) == 0) {
		h->connected_once = true;
		x->state = X_SENDING;
	} else if (errno == EINPROGRESS) {
		x->state = X_CONNECTING;
	} else {
		refused(h, x, errno);
	}
}

static void connected(struct driver_http *h, struct exchange *x)
{
	int err = 0;
	socklen_t len = sizeof err;

	if (getsockopt(x->fd, SOL_SOCKET, SO_ERROR, &err, &len) < 0)
		err = errno;
	if (err) {
		refused(h, x, err);
		return;
	}
	h->connected_once = true;
	x->state = X_SENDING;
}

static void send_some(struct driver_http *h, struct exchange *x)
{
	ssize_t n = send(x->fd, x->req.s + x->req_off, x->req.len - x->req_off, MSG_NOSIGNAL);

	if (n > 0) {
		x->req_off += (size_t)n;
		if (x->req_off == x->req.len)
			x->state = X_HEAD;
	} else if (n < 0 && errno != EAGAIN && errno != EINTR) {
		fail(h, x, "sending the request failed: %s", strerror(errno));
	}
}

static void recv_some(struct driver_http *h, struct exchange *x)
{
	ssize_t n = recv(x->fd, h->chunk, READ_CHUNK, 0);

	if (n > 0) {
		received(h, x, h->chunk, (size_t)n);
	} else if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
		return;
	} else if (x->state == X_BODY && x->framing == FR_CLOSE) {
		complete(h, x); /* the body ends with the connection */
	} else {
		fail(h, x, "the connection closed %s: %s",
		     x->state == X_HEAD ? "before a response" : "mid-response",
		     n == 0 ? "end of stream" : strerror(errno));
	}
}

/* The request line, header fields and body of o (RFC 9112 section 3); -1 when out of memory.
 * The legacy transport's stream is a GET; its messages go to the endpoint it named. */
static int request_text(struct driver_http *h, struct exchange *x, const struct outgoing *o)
{
	struct strbuf *b = &x->req;
	const char *method = x->stream ? "GET" : o->text ? "POST" : "DELETE";
	const char *path = !x->stream && h->mode == M_LEGACY ? h->post_path : h->path;
	int rc = strbuf_printf(b, "%s %s HTTP/1.1\r\nHost: %s\r\nAccept: %s\r\n", method, path, h->host_header,
	                       x->stream ? "text/event-stream" : "application/json, text/event-stream");

	if (o->text)
		rc |= strbuf_printf(b, "Content-Type: application/json\r\nContent-Length: %zu\r\n", o->len);
	if (h->session_id)
		rc |= strbuf_printf(b, "Mcp-Session-Id: %s\r\n", h->session_id);
	if (h->protocol)
		rc |= strbuf_printf(b, "MCP-Protocol-Version: %s\r\n", h->protocol);
	rc |= strbuf_puts(b, "Connection: close\r\n\r\n");
	if (o->text)
		rc |= strbuf_append(b, o->text, o->len);
	return rc < 0 ? -1 : 0;
}

/* A new exchange carrying o (whose text is consumed), connecting; false when out of memory. */
static bool exchange_start(struct driver_http *h, struct outgoing o, bool stream)
{
	struct exchange *x = calloc(1, sizeof *x);
	int rc;

	if (!x) {
		free(o.text);
		return false;
	}
	x->fd = -1;
	x->id = o.id;
	x->stream = stream;
	x->started = now_ms();
	x->with_session = h->session_id != NULL;
	x->body = (struct strbuf)STRBUF_INIT(0);
	x->sse_line = (struct strbuf)STRBUF_INIT(0);
	x->data = (struct strbuf)STRBUF_INIT(0);
	x->req = (struct strbuf)STRBUF_INIT(0);
	h->x[h->nx++] = x;
	rc = request_text(h, x, &o);
	free(o.text);
	if (rc < 0 || x->req.truncated) {
		x->state = X_DONE;
		return false;
	}
	connect_now(h, x);
	return true;
}

/* An exchange for the first queued message; false when out of memory. Until the server
 * has answered a POST, the first request is kept for the legacy transport. */
static bool start(struct driver_http *h)
{
	struct outgoing o = h->queue.items[0];

	memmove(h->queue.items, h->queue.items + 1, (h->queue.len - 1) * sizeof *h->queue.items);
	h->queue.len--;
	if (h->mode == M_PROBING && !h->first.text && o.text && o.id) {
		h->first = (struct outgoing){xstrndup(o.text, o.len), o.len, o.id};
		if (!h->first.text) {
			free(o.text);
			return false;
		}
	}
	return exchange_start(h, o, false);
}

/* The legacy transport's GET, in a slot of its own; false when there is none or out of memory. */
static bool open_stream(struct driver_http *h)
{
	if (h->nx == MAX_EXCHANGES)
		return false;
	if (!exchange_start(h, (struct outgoing){NULL, 0, 0}, true)) {
		h->nomem = true;
		return false;
	}
	return true;
}

/* Whether a notification or an answer still holds the queue: each message must
 * reach the server in order (notifications/initialized before tools/list), but a
 * server that never acknowledges one must not stop the session. */
static bool held(struct driver_http *h, uint64_t now)
{
	for (size_t i = 0; i < h->nx; i++) {
		struct exchange *x = h->x[i];
		if (x->id != 0 || x->stream || x->state == X_DONE)
			continue;
		if (now - x->started < ORDER_MS)
			return true;
		if (now - x->started >= ANSWER_MS) {
			x->state = X_DONE;
			report(h, DRIVER_PROBLEM_HTTP,
			       "a notification or answer unacknowledged after %d ms: dropped", ANSWER_MS);
		}
	}
	return false;
}

/* Start queued messages in order while there are slots; an answered stream gives up its slot. */
static void start_queued(struct driver_http *h)
{
	while (h->queue.len > 0 && !h->nomem && !held(h, now_ms())) {
		if (h->gone) {
			for (size_t i = 0; i < h->queue.len; i++)
				free(h->queue.items[i].text);
			h->queue.len = 0;
			return;
		}
		if (h->nx == MAX_EXCHANGES) {
			for (size_t i = 0; i < h->nx; i++)
				if (h->x[i]->finished) {
					h->x[i]->state = X_DONE;
					break;
				}
			compact(h);
			if (h->nx == MAX_EXCHANGES)
				return;
		}
		if (!start(h))
			h->nomem = true;
	}
}

static short wanted_events(const struct exchange *x)
{
	switch (x->state) {
	case X_CONNECTING:
	case X_SENDING:
		return POLLOUT;
	case X_HEAD:
	case X_BODY:
		return POLLIN;
	case X_WAIT:
	case X_DONE:
		break;
	}
	return 0;
}

static void service(struct driver_http *h, struct exchange *x, short revents)
{
	if (x->state == X_CONNECTING)
		connected(h, x);
	else if (x->state == X_SENDING)
		send_some(h, x);
	else if (revents & (POLLIN | POLLHUP | POLLERR))
		recv_some(h, x);
}

int driver_http_step(struct driver_http *h, int wait_ms)
{
	struct pollfd fds[MAX_EXCHANGES];
	struct exchange *polled[MAX_EXCHANGES];
	nfds_t nfds = 0;
	uint64_t now;
	int rc;

	compact(h);
	start_queued(h);
	now = now_ms();
	if (h->queue.len > 0 && wait_ms > RETRY_MS)
		wait_ms = RETRY_MS; /* held back: look again soon */
	for (size_t i = 0; i < h->nx; i++) {
		struct exchange *x = h->x[i];
		if (x->state == X_WAIT) {
			int until = x->retry_at > now ? (int)(x->retry_at - now) : 0;
			if (until < wait_ms)
				wait_ms = until;
		} else if (wanted_events(x)) {
			polled[nfds] = x;
			fds[nfds++] = (struct pollfd){.fd = x->fd, .events = wanted_events(x)};
		}
	}
	rc = poll(fds, nfds, wait_ms < 0 ? 0 : wait_ms);
	if (rc < 0 && errno != EINTR)
		return h->nomem ? -1 : 0;
	for (nfds_t i = 0; rc > 0 && i < nfds && !h->nomem; i++)
		if (fds[i].revents && polled[i]->state != X_DONE)
			service(h, polled[i], fds[i].revents);
	now = now_ms();
	for (size_t i = 0; i < h->nx && !h->nomem; i++)
		if (h->x[i]->state == X_WAIT && now >= h->x[i]->retry_at)
			connect_now(h, h->x[i]);
	compact(h);
	return h->nomem ? -1 : 0;
}
