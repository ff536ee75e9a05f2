/* h2sink: a server-side HTTP/2 session over memory (RFC 9113; header compression RFC 7541
 * is libnghttp2's) whose requests are written out as HTTP/1.1 messages (RFC 9112). */
#include "tracer/h2sink.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nghttp2/nghttp2.h>

#include "core/strbuf.h"

static const char answer_body[] = "{}";

/* One request as it arrives: its pseudo-headers, its other fields as text, its body. */
struct stream {
	struct strbuf method, path, authority, fields;
	struct strbuf body; /* bytes, not text: appended with their length */
	size_t body_total;
	size_t answered; /* bytes of answer_body sent */
	bool reported;
	struct stream *prev, *next; /* the session's open streams */
};

struct h2sink {
	nghttp2_session *session;
	h2sink_request_fn request;
	void *arg;
	unsigned requests;
	size_t buffered; /* body bytes held by the open streams */
	const char *problem;
	bool failed;
	struct stream *open; /* nghttp2 forgets its streams' user data when deleted: we do not */
};

static void stream_free(struct stream *st)
{
	if (!st)
		return;
	strbuf_free(&st->method);
	strbuf_free(&st->path);
	strbuf_free(&st->authority);
	strbuf_free(&st->fields);
	strbuf_free(&st->body);
	free(st);
}

static void unlink_stream(struct h2sink *s, struct stream *st)
{
	if (st->prev)
		st->prev->next = st->next;
	else
		s->open = st->next;
	if (st->next)
		st->next->prev = st->prev;
}

static int on_begin_headers(nghttp2_session *session, const nghttp2_frame *frame, void *user)
{
	struct h2sink *s = user;
	struct stream *st;

	if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST)
		return 0;
	if (!(st = calloc(1, sizeof *st)))
		return NGHTTP2_ERR_CALLBACK_FAILURE;
	st->method = (struct strbuf)STRBUF_INIT(64);
	st->path = (struct strbuf)STRBUF_INIT(H2SINK_HEAD_MAX);
	st->authority = (struct strbuf)STRBUF_INIT(512);
	st->fields = (struct strbuf)STRBUF_INIT(H2SINK_HEAD_MAX);
	st->body = (struct strbuf)STRBUF_INIT(H2SINK_BODY_MAX);
	st->next = s->open;
	if (s->open)
		s->open->prev = st;
	s->open = st;
	nghttp2_session_set_stream_user_data(session, frame->hd.stream_id, st);
	return 0;
}

/* A field without CR or LF, so the transcript's framing is ours (nghttp2 already refuses
 * them in names and values; this keeps the promise local). */
static void put_clean(struct strbuf *b, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		strbuf_putc(b, p[i] == '\r' || p[i] == '\n' ? ' ' : (char)p[i]);
}

/* The pseudo-header a field fills (RFC 9113 section 8.3.1), or NULL for a regular field. */
static struct strbuf *pseudo(struct stream *st, const uint8_t *name, size_t n)
{
	static const struct {
		const char *name;
		size_t offset;
	} table[] = {
		{":method", offsetof(struct stream, method)},
		{":path", offsetof(struct stream, path)},
		{":authority", offsetof(struct stream, authority)},
	};

	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (strlen(table[i].name) == n && memcmp(table[i].name, name, n) == 0)
			return (struct strbuf *)((char *)st + table[i].offset);
	return NULL;
}

static int on_header(nghttp2_session *session, const nghttp2_frame *frame, const uint8_t *name, size_t namelen,
		     const uint8_t *value, size_t valuelen, uint8_t flags, void *user)
{
	struct stream *st = nghttp2_session_get_stream_user_data(session, frame->hd.stream_id);
	struct strbuf *b;
	(void)flags;
	(void)user;

	if (!st || frame->hd.type != NGHTTP2_HEADERS)
		return 0;
	if ((b = pseudo(st, name, namelen)) != NULL) {
		put_clean(b, value, valuelen);
		return 0;
	}
	if (namelen && name[0] == ':')
		return 0; /* :scheme, :protocol: not fields of an HTTP/1.1 message */
	if ((namelen == 14 && memcmp(name, "content-length", 14) == 0) ||
	    (namelen == 4 && memcmp(name, "host", 4) == 0))
		return 0; /* the transcript writes its own, from what arrived */
	put_clean(&st->fields, name, namelen);
	strbuf_puts(&st->fields, ": ");
	put_clean(&st->fields, value, valuelen);
	strbuf_puts(&st->fields, "\r\n");
	return 0;
}

static int on_data_chunk(nghttp2_session *session, uint8_t flags, int32_t stream_id, const uint8_t *data, size_t len,
			 void *user)
{
	struct stream *st = nghttp2_session_get_stream_user_data(session, stream_id);
	struct h2sink *s = user;
	size_t room, before;
	(void)flags;

	if (!st)
		return 0;
	st->body_total += len;
	room = H2SINK_BUFFERED_MAX - s->buffered;
	before = st->body.len;
	if (len && strbuf_append(&st->body, (const char *)data, len < room ? len : room) != 0)
		return NGHTTP2_ERR_CALLBACK_FAILURE;
	if (st->body.len - before < len) /* cut by either cap */
		s->problem = "an HTTP/2 request body over 1 MiB, or over 4 MiB at once on one connection (the rest "
			     "not searched)";
	s->buffered += st->body.len - before;
	return 0;
}

/* The request written out as an HTTP/1.1 message, handed to the caller. */
static void report(struct h2sink *s, struct stream *st)
{
	struct strbuf t = STRBUF_INIT(0);

	if (st->reported)
		return;
	st->reported = true;
	strbuf_printf(&t, "%s %s HTTP/1.1\r\n", st->method.len ? strbuf_str(&st->method) : "GET",
		      st->path.len ? strbuf_str(&st->path) : "/");
	if (st->authority.len)
		strbuf_printf(&t, "Host: %s\r\n", strbuf_str(&st->authority));
	strbuf_append(&t, strbuf_str(&st->fields), st->fields.len);
	strbuf_printf(&t, "Content-Length: %zu\r\n\r\n", st->body_total);
	if (st->fields.truncated || st->path.truncated)
		s->problem = "an HTTP/2 request head over 16 KiB (cut)";
	if (st->body.len)
		strbuf_append(&t, st->body.s, st->body.len);
	if (t.s)
		s->request(s->arg, (const uint8_t *)t.s, t.len);
	s->requests++;
	strbuf_free(&t);
}

static ssize_t read_answer(nghttp2_session *session, int32_t stream_id, uint8_t *buf, size_t length,
			   uint32_t *flags, nghttp2_data_source *source, void *user)
{
	struct stream *st = nghttp2_session_get_stream_user_data(session, stream_id);
	size_t left = st ? sizeof answer_body - 1 - st->answered : 0;
	size_t n = left < length ? left : length;
	(void)source;
	(void)user;

	if (n)
		memcpy(buf, answer_body + st->answered, n);
	if (st)
		st->answered += n;
	if (n == left)
		*flags |= NGHTTP2_DATA_FLAG_EOF;
	return (ssize_t)n;
}

/* 200, application/json, "{}": what the plain HTTP sinkhole answers. */
static int answer(nghttp2_session *session, int32_t stream_id)
{
	static char length[] = "2";
	nghttp2_nv nv[] = {
		{(uint8_t *)":status", (uint8_t *)"200", 7, 3, NGHTTP2_NV_FLAG_NONE},
		{(uint8_t *)"content-type", (uint8_t *)"application/json", 12, 16, NGHTTP2_NV_FLAG_NONE},
		{(uint8_t *)"content-length", (uint8_t *)length, 14, 1, NGHTTP2_NV_FLAG_NONE},
	};
	nghttp2_data_provider body = {.read_callback = read_answer};

	return nghttp2_submit_response(session, stream_id, nv, sizeof nv / sizeof nv[0], &body) == 0
		       ? 0
		       : NGHTTP2_ERR_CALLBACK_FAILURE;
}

/* A request whose END_STREAM arrived: report it and answer. */
static int on_frame(nghttp2_session *session, const nghttp2_frame *frame, void *user)
{
	struct stream *st = nghttp2_session_get_stream_user_data(session, frame->hd.stream_id);

	if (!st || !(frame->hd.flags & NGHTTP2_FLAG_END_STREAM) ||
	    (frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA))
		return 0;
	report(user, st);
	return answer(session, frame->hd.stream_id);
}

/* A stream closed: one reset before its end is still reported, with what came of it. */
static int on_close(nghttp2_session *session, int32_t stream_id, uint32_t code, void *user)
{
	struct stream *st = nghttp2_session_get_stream_user_data(session, stream_id);
	(void)code;

	if (!st)
		return 0;
	report(user, st);
	nghttp2_session_set_stream_user_data(session, stream_id, NULL);
	((struct h2sink *)user)->buffered -= st->body.len;
	unlink_stream(user, st);
	stream_free(st);
	return 0;
}

struct h2sink *h2sink_new(h2sink_request_fn request, void *arg)
{
	struct h2sink *s = calloc(1, sizeof *s);
	nghttp2_session_callbacks *cb = NULL;
	nghttp2_settings_entry settings[] = {{NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, H2SINK_STREAMS}};

	if (!s || nghttp2_session_callbacks_new(&cb) != 0)
		goto fail;
	nghttp2_session_callbacks_set_on_begin_headers_callback(cb, on_begin_headers);
	nghttp2_session_callbacks_set_on_header_callback(cb, on_header);
	nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, on_data_chunk);
	nghttp2_session_callbacks_set_on_frame_recv_callback(cb, on_frame);
	nghttp2_session_callbacks_set_on_stream_close_callback(cb, on_close);
	if (nghttp2_session_server_new(&s->session, cb, s) != 0)
		goto fail;
	nghttp2_session_callbacks_del(cb);
	s->request = request;
	s->arg = arg;
	if (nghttp2_submit_settings(s->session, NGHTTP2_FLAG_NONE, settings, 1) != 0) {
		h2sink_free(s);
		return NULL;
	}
	return s;
fail:
	nghttp2_session_callbacks_del(cb);
	free(s);
	return NULL;
}

void h2sink_finish(struct h2sink *s)
{
	for (struct stream *st = s->open; st; st = st->next)
		report(s, st);
}

void h2sink_free(struct h2sink *s)
{
	if (!s)
		return;
	nghttp2_session_del(s->session);
	while (s->open) {
		struct stream *st = s->open;
		unlink_stream(s, st);
		stream_free(st);
	}
	free(s);
}

bool h2sink_input(struct h2sink *s, const uint8_t *p, size_t n)
{
	if (s->failed)
		return false;
	if (nghttp2_session_mem_recv(s->session, p, n) < 0) {
		s->failed = true;
		if (!s->problem)
			s->problem = "HTTP/2 the tracer could not read (the rest not searched)";
		return false;
	}
	return true;
}

bool h2sink_output(struct h2sink *s, bool (*out)(void *arg, const uint8_t *p, size_t n), void *arg)
{
	const uint8_t *p;
	ssize_t n;

	while ((n = nghttp2_session_mem_send(s->session, &p)) > 0)
		if (!out(arg, p, (size_t)n))
			return false;
	return n == 0 && (nghttp2_session_want_read(s->session) || nghttp2_session_want_write(s->session));
}

unsigned h2sink_requests(const struct h2sink *s)
{
	return s->requests;
}

const char *h2sink_problem(const struct h2sink *s)
{
	return s->problem;
}

bool h2sink_preface(const uint8_t *p, size_t n)
{
	static const char preface[] = NGHTTP2_CLIENT_MAGIC;
	size_t len = sizeof preface - 1;

	return n > 0 && memcmp(p, preface, n < len ? n : len) == 0;
}
