/* The MCP client of the dynamic stage: drives a server over stdio (newline-delimited JSON-RPC 2.0)
 * or streamable HTTP (POST per message, JSON or SSE answers, Mcp-Session-Id). */
#ifndef MCPAUDIT_DRIVER_H
#define MCPAUDIT_DRIVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "core/strbuf.h"
#include "core/vec.h"

/* The reserved name every URL, host and e-mail the driver makes up points at
 * (RFC 2606 example.org), so the report can call traffic to it user-directed. */
#define DRIVER_PROBE_HOST "mcpaudit-probe.example.org"
/* The protocol version offered; the server may answer with any of driver_protocol_versions. */
#define DRIVER_PROTOCOL_VERSION "2025-11-25"

/* Phase names passed to the phase callback, in the order a session goes through them.
 * Per-item phases are the prefix, a space and the item: "tools/call NAME",
 * "resources/read URI", "prompts/get NAME". */
#define DRIVER_PHASE_STARTUP "startup"
#define DRIVER_PHASE_INITIALIZE "initialize"
#define DRIVER_PHASE_TOOLS_LIST "tools/list"
#define DRIVER_PHASE_RESOURCES_LIST "resources/list"
#define DRIVER_PHASE_PROMPTS_LIST "prompts/list"
#define DRIVER_PHASE_TOOLS_CALL "tools/call"
#define DRIVER_PHASE_RESOURCES_READ "resources/read"
#define DRIVER_PHASE_PROMPTS_GET "prompts/get"
#define DRIVER_PHASE_IDLE "idle"
#define DRIVER_PHASE_SHUTDOWN "shutdown"

/* Called at every phase transition. phase is borrowed for the call only; ms is
 * the time since cfg->t0_ms. */
typedef void (*driver_phase_fn)(void *ctx, const char *phase, uint64_t ms);

struct driver_config {
	const char *server_dir;   /* the server's folder: the roots/list answer and path arguments */
	const char *probe_host;   /* reserved host for URLs/hosts/e-mails (DRIVER_PROBE_HOST) */
	uint64_t t0_ms;           /* driver_clock_ms() at the start of the run; 0: when driver_run starts */
	uint64_t deadline_ms;     /* absolute driver_clock_ms() time the whole session ends by; 0: t0 + 120 s */
	uint32_t init_timeout_ms; /* for initialize: a server may take long to start (30 s) */
	uint32_t call_timeout_ms; /* per request after initialize (10 s); a tool, resource or prompt
				   * gets less when the session's time left, shared equally among the
				   * items still to call, is less (but at least 250 ms) */
	uint32_t quiet_ms;        /* idle period after the last call (5 s) */
	uint32_t shutdown_ms;     /* after closing stdin (HTTP: the DELETE), how long to read what is left (1 s) */
	size_t max_line;          /* longest line (HTTP: JSON body, SSE event) accepted from the server (16 MiB) */
	size_t max_text;          /* cap on the server text kept for the canary search (8 MiB) */
	unsigned max_pages;       /* pages followed per list (16) */
	unsigned max_items;       /* tools, resources and prompts kept and exercised per list (1024) */
	unsigned max_timeouts;    /* consecutive timeouts before a ping; unanswered too, the server
				   * counts as hung (3) */
	bool no_calls;            /* initialize and list only: no tools/call, resources/read, prompts/get */
	driver_phase_fn phase;    /* may be NULL */
	void *phase_ctx;
	/* May be NULL. True once no process of the server is left (after a grace for packets in
	 * flight): nothing can call out any more, so after EOF on its output the waits (the quiet
	 * period, the shutdown read) end then instead of running out. Asked every
	 * DRIVER_GONE_CHECK_MS once the output has ended. */
	bool (*target_gone)(void *ctx);
	void *target_gone_ctx;
	/* May be NULL. True once nothing of the server can act on its own before horizon_ms
	 * (every process blocked with no time-out or a later one, no timer armed, nothing in
	 * flight): the quiet period then ends early, since until then only the client could
	 * wake the server. horizon_ms is when waiting out the quiet period, the flush and the
	 * shutdown read would have stopped watching. Asked every DRIVER_IDLE_CHECK_MS during
	 * the quiet period; the callee decides how long the state must hold. before_last is
	 * called just before the last request (the ping) is sent, so that the callee can tell
	 * what ran after it. Both or neither. */
	bool (*target_idle)(void *ctx, uint64_t horizon_ms);
	void (*before_last)(void *ctx);
	void *target_idle_ctx;
	/* stdio: polled about twice a second while initialize waits for its answer; true ends
	 * the wait at once (the server listens on a port instead of answering here). NULL:
	 * the whole init_timeout_ms */
	bool (*listens_instead)(void *ctx);
	void *listens_ctx;
};

#define DRIVER_GONE_CHECK_MS 20
#define DRIVER_IDLE_CHECK_MS 50

enum driver_status { DRIVER_OK, DRIVER_NOMEM, DRIVER_BAD_CONFIG, DRIVER_SYSTEM };

/* How one request ended. */
enum driver_outcome {
	DRIVER_CALL_OK,      /* a result (a tool result with isError is DRIVER_CALL_ERROR) */
	DRIVER_CALL_ERROR,   /* a JSON-RPC error or a tool result with isError */
	DRIVER_CALL_TIMEOUT, /* no answer within its timeout or before the deadline */
	DRIVER_CALL_CLOSED,  /* the server closed stdout (or stdin) before answering; HTTP: the
			      * server went away, or the response ended without the answer */
};

/* What went wrong on the server's side; the report's "incomplete" list. */
enum driver_problem_kind {
	DRIVER_PROBLEM_CRASH,        /* EOF on stdout before shutdown; HTTP: a connection refused
				      * after one was accepted */
	DRIVER_PROBLEM_TIMEOUT,      /* a request unanswered in time */
	DRIVER_PROBLEM_HUNG,         /* max_timeouts in a row: no more requests sent */
	DRIVER_PROBLEM_DEADLINE,     /* the session deadline cut the run short */
	DRIVER_PROBLEM_FLOOD,        /* a line (HTTP: a JSON body or an SSE event) longer than max_line (skipped) */
	DRIVER_PROBLEM_INVALID_JSON, /* a line that is not JSON or not JSON-RPC */
	DRIVER_PROBLEM_STDIN_CLOSED, /* writing to the server failed (it closed stdin) */
	DRIVER_PROBLEM_PROTOCOL,     /* an initialize answer the driver did not expect */
	DRIVER_PROBLEM_CAP,          /* a list, the text buffer or the problem list hit its cap */
	DRIVER_PROBLEM_HTTP,         /* HTTP: an error status, a malformed response, a response without its answer */
	DRIVER_PROBLEM_SESSION_EXPIRED, /* HTTP: 404 to a request with Mcp-Session-Id; nothing more is sent */
	DRIVER_PROBLEM_UNKNOWN_TARGET,  /* a listed tool, prompt or resource answered "unknown"/"not found" */
	DRIVER_PROBLEM_UNEXERCISED,     /* listed items never called (deadline, hang, exit): named */
};

struct driver_problem {
	enum driver_problem_kind kind;
	char *detail;   /* owned */
	uint64_t ms;    /* since t0 */
};

/* One request the driver sent. */
struct driver_call {
	char *method;      /* "initialize", "tools/call", ... */
	char *target;      /* tool or prompt name, resource URI; NULL for the others */
	char *arguments;   /* the params sent, as compact JSON (capped at 64 KiB); may be NULL */
	enum driver_outcome outcome;
	char *detail;      /* error message or "isError" text (capped); NULL when none */
	uint64_t start_ms, end_ms;
};

/* Names and URIs the driver sends back are kept whole and exact: a NUL the server wrote
 * ("\u0000") is the byte JSON_NUL_MARK in them (core/json_read.h; json_unmark
 * shows it). Every other string of the result is for people: capped, NUL shown as "\u0000". */
struct driver_tool {
	char *name;
	char *description;    /* NULL when absent */
	cJSON *input_schema;  /* owned copy; NULL when absent */
};

struct driver_resource {
	char *uri;
	char *name;           /* NULL when absent */
};

struct driver_prompt {
	char *name;
	cJSON *arguments;     /* owned copy of the prompt's "arguments" array; NULL when absent */
};

/* Where the server text of a phase starts in driver_result.text: a canary found at an
 * offset came back during the last phase that starts at or before it. */
struct driver_text_phase {
	size_t offset;
	char *phase;   /* owned: "initialize", "tools/call NAME", ... */
};

/* Everything the session learnt. All strings and cJSON values are owned by the result. */
struct driver_result {
	char *server_name, *server_version; /* serverInfo; NULL when absent */
	char *protocol_version;             /* the version the server chose; NULL without an answer */
	VEC(struct driver_tool) tools;
	VEC(struct driver_resource) resources;
	VEC(struct driver_prompt) prompts;
	VEC(struct driver_call) calls;
	VEC(char *) server_requests;        /* methods the server asked the client, in order (capped) */
	VEC(struct driver_problem) problems;/* capped at 64 (crash, hang, deadline and unexercised are
					      * always kept); problems_dropped counts the rest */
	size_t problems_dropped;
	/* Every string the server sent (results, contents, its own requests and
	 * notifications) and the raw text of its invalid lines, newline-separated,
	 * capped at max_text (text.truncated says so): for the canary search. */
	struct strbuf text;
	VEC(struct driver_text_phase) text_phases; /* in offset order, one per phase change */
	unsigned long lines, invalid_lines, long_lines, timeouts;
	bool crashed;        /* stdout closed before shutdown */
	uint64_t crash_ms;
	bool hung;
	bool deadline_hit;
	uint64_t quiet_ms;   /* how long the quiet period after the last call lasted (target_idle
			      * or the server's exit can end it before quiet_ms) */
	bool legacy_sse;     /* driver_run_http reached it over the legacy HTTP+SSE transport */
};

/* Defaults as documented in struct driver_config; server_dir must be set by the caller. */
void driver_config_init(struct driver_config *cfg);

/* CLOCK_MONOTONIC in milliseconds: the clock of t0_ms and deadline_ms. */
uint64_t driver_clock_ms(void);

/* Run a whole session: initialize, lists, every call (tools, resources and prompts in an
 * order drawn at random per run), ping, the quiet period, shutdown. to_server is the server's stdin: the driver makes it non-blocking
 * and always closes it (that is the shutdown); from_server, its stdout, is set
 * non-blocking and left open. Whatever the server does, the session ends by
 * cfg->deadline_ms (plus the shutdown wait, itself bounded by the deadline).
 * Returns DRIVER_OK with *out set (caller frees with driver_result_free) even
 * when the server crashed, hung or sent garbage: that is in the result. On
 * another status *out is NULL and err says why. SIGPIPE is blocked in the
 * calling thread for the duration. */
enum driver_status driver_run(const struct driver_config *cfg, int to_server, int from_server,
			      struct driver_result **out, char *err, size_t errlen);
/* The same session over MCP streamable HTTP (2025-06-18 and later) at
 * http://host:port/path: each message is a POST; a request's answer comes as
 * application/json or as an SSE stream, on which the server may also send its
 * own requests (answered with POSTs of their own); Mcp-Session-Id from the
 * initialize response and MCP-Protocol-Version are sent after initialize; the
 * session ends with a DELETE. host is a numeric address ("127.0.0.1", "::1"),
 * path NULL means "/mcp". Connections are retried until the server listens,
 * within init_timeout_ms. Timeouts, caps and the deadline are those of
 * driver_run; what the transport saw goes in the result's problems (an error
 * status, a 404 that ends the session: DRIVER_PROBLEM_HTTP,
 * DRIVER_PROBLEM_SESSION_EXPIRED). A server that answers the first POST with a 4xx is
 * tried with the legacy HTTP+SSE transport (MCP 2024-11-05: GET path for an SSE stream
 * whose first event names where to POST; its messages come on that stream); the
 * result's legacy_sse says so. Returns and *out as for driver_run;
 * DRIVER_BAD_CONFIG for a host that is not a numeric address, port 0 or a bad path. */
enum driver_status driver_run_http(const struct driver_config *cfg, const char *host, uint16_t port,
				   const char *path, struct driver_result **out, char *err, size_t errlen);
void driver_result_free(struct driver_result *r);
/* The phase during which the server sent the text at offset of r->text; NULL before any
 * phase. Borrowed, valid as long as r. */
const char *driver_text_phase_at(const struct driver_result *r, size_t offset);

/* Arguments for a tool, generated from its inputSchema (cJSON object; NULL or
 * not an object gives {}). Caller frees with cJSON_Delete; NULL when out of memory. */
cJSON *driver_tool_arguments(const struct driver_config *cfg, const cJSON *input_schema);
/* Arguments for prompts/get from a prompt's "arguments" array: every one a string. */
cJSON *driver_prompt_arguments(const struct driver_config *cfg, const cJSON *arguments);

/* "crash", "timeout", ...; "?" out of range. Borrowed, static. */
const char *driver_problem_name(enum driver_problem_kind k);
/* "ok", "error", "timeout", "closed". Borrowed, static. */
const char *driver_outcome_name(enum driver_outcome o);
/* Whether a protocol version is one the driver accepts. */
bool driver_protocol_supported(const char *version);

#endif
