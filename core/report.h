/* The report model both stages fill and every writer reads: endpoints, findings, incomplete work. */
#ifndef MCPAUDIT_REPORT_H
#define MCPAUDIT_REPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/rules.h"
#include "core/vec.h"

struct doc_words;

#define REPORT_SCHEMA_VERSION 1

/* How a destination was learnt, in the words of the JSON "kind" field. */
enum endpoint_kind {
	EK_LITERAL,        /* written out in the code (maybe through constants and concatenation) */
	EK_ENV_DEFAULT,    /* the default of an environment variable */
	EK_USER_DIRECTED,  /* from a tool argument: host unknown */
	EK_OBFUSCATED,     /* only after decoding or dynamic code */
	EK_PARTIAL,        /* part of the host is known (a suffix, say) */
	EK_IP,             /* a literal IPv4/IPv6 address */
	EK_SDK_DEFAULT,    /* the default host of a client library the code constructs (catalog) */
};

/* How an endpoint came to count as documented ("documented_by.match"). */
/* DOC_SERVICE_NAME: a client library's own default host (sdk-default) whose service the
 * docs name as a word ("uses the OpenAI API"). */
enum doc_match { DOC_NONE, DOC_EXACT, DOC_SITE, DOC_ALLOW, DOC_POLICY, DOC_SERVICE_NAME };

/* An audit runs both stages; this says which of them saw an endpoint (JSON "observed"). */
enum observed {
	OBS_NONE,             /* not an audit: the field is left out */
	OBS_CONFIRMED,        /* in the code, and the run contacted it */
	OBS_NOT_EXERCISED,    /* in the code, but the run never contacted it */
	OBS_HIDDEN,           /* contacted, but nowhere in the code the static stage read */
	OBS_STATIC_ONLY_RUN,  /* in the code; the dynamic stage did not run */
	OBS_DYNAMIC_ONLY_RUN, /* contacted; the static stage did not run (no code to read) */
};

/* Whether a dynamic event showed what was sent (JSON evidence "content"). */
enum evidence_content {
	CONTENT_NONE,      /* static, a DNS query, a bare SYN: nothing to read beyond the event */
	CONTENT_SEEN,      /* the bytes were read: plain HTTP or TCP, or TLS the tracer terminated */
	CONTENT_ENCRYPTED, /* TLS left closed (--no-tls-intercept, a client that refused the run's
			    * CA, QUIC): only the name it asked for was seen */
};

/* One piece of evidence: a call site (static) or a packet (dynamic). Owns its strings. */
struct evidence {
	char *stage;        /* "static" or "dynamic" */
	char *file;         /* relative to the target root; NULL for dynamic */
	unsigned line;      /* 1-based; 0 when unknown */
	unsigned column;    /* 1-based; 0 when unknown */
	char *api;          /* "fetch", "https.request", "requests.post", "dns:A", ... */
	char *expression;   /* source text of the destination (capped), or a packet summary */
	char *phase;        /* "startup", "tool:NAME", "other"; NULL when unknown */
	char *package;      /* dependency the file belongs to (with --include-deps), else NULL */
	char *env_var;      /* the variable for env-configurable destinations, else NULL */
	char *decoded_by;   /* "base64", "hex", "char-codes", "reverse", ...; NULL if plain */
	char *path;         /* the request's path and query ("/api/webhooks/1/x"), NULL when unknown;
			     * matched against path-qualified exfil channels (core/channels.h) */
	unsigned long packet; /* dynamic: packet number in the capture; 0 for static */
	double time_ms;       /* dynamic: milliseconds since the run started (the first such event
			       * of its kind and phase); unused for static */
	enum evidence_content content;
};

struct endpoint {
	char *host;               /* lower-case, no trailing dot; an IP as text; NULL when unknown */
	char *host_suffix;        /* EK_PARTIAL: the known end of the host (".example.com") */
	int port;                 /* 0 when unknown */
	char *scheme;             /* "https", "wss", "tcp", "udp", "dns", "smtp", ...; NULL if unknown */
	char *path;               /* first path seen, for the reader; may be NULL */
	char *registrable_domain; /* eTLD+1 (libpsl), NULL for IPs and unknown hosts */
	enum endpoint_kind kind;
	enum doc_match documented_by;
	char *documented_source;  /* "README.md:12", "--allow", "policy.json"; NULL when undocumented */
	char *services;           /* EK_SDK_DEFAULT: the library's service names, comma-separated
				   * ("openai"), that documentation may name it by; else NULL */
	VEC(struct evidence) evidence;
	enum observed observed;   /* audit only: what the two stages agree on; OBS_NONE elsewhere */
};

struct finding {
	const char *rule_id;      /* borrowed from the rule catalogue */
	enum severity severity;
	char *message;
	char *host;               /* destination when the rule has one, else NULL */
	char *file;               /* relative to the target root, or NULL */
	unsigned line, column;    /* 1-based; 0 when unknown */
	char *snippet;            /* the code line or packet summary, capped */
	char *fingerprint;        /* hash of rule + file + normalised matched code (for suppressions) */
	char *phase;
	char *package;
	VEC(char *) chain;        /* evidence chain: "src/a.js:3: const t = process.env.GITHUB_TOKEN" */
	/* A finding of the run stands for every event of its rule, host, phase and severity
	 * (report_finish groups them): each event's own message; empty when it is one event. */
	VEC(char *) events;
	char *suppressed;         /* reason when a policy/baseline entry covers it, else NULL */
	char *dependency;         /* typosquat-dependency: the registry name it is about (an npm
				   * alias's real package), else NULL */
	/* credential-flow only: the secret is a named env variable (not a file, the whole
	 * environment, or host identity), so sending it to a documented host is normal. */
	bool named_secret_only;
	/* credential-exfiltration: the canary went to its own service's domain (a GitHub token
	 * to api.github.com); at a documented host that is info, not critical. credential-flow:
	 * the one named secret is not another service's (core/own_service.h: GITHUB_TOKEN
	 * belongs to GitHub only); only then does a documented host make it normal. */
	bool own_service;
};

struct incomplete {
	char *file;    /* or packet/phase description; NULL when it concerns the whole run */
	char *reason;
};

struct documented_host {
	char *pattern;   /* "api.example.com", "*.example.com", "203.0.113.0/24", with optional ":port" */
	char *source;    /* "README.md:12", "package.json homepage", "--allow", "policy.json" */
	enum doc_match match_kind; /* DOC_EXACT for docs, DOC_ALLOW for --allow, DOC_POLICY for policy */
};

/* A URL that appears in code as a string but is never requested (info only). */
struct url_string {
	char *url;
	char *file;
	unsigned line;
};

/* A file left out on purpose because it holds no code that runs (analyzer/lang.c's list). */
struct skipped_file {
	char *file;          /* owned */
	const char *reason;  /* borrowed, static */
};

enum verdict_result { VERDICT_NONE, VERDICT_PASS, VERDICT_REVIEW, VERDICT_FAIL };

/* An audit's conclusion, shown first in every format. */
struct verdict {
	enum verdict_result result;  /* VERDICT_NONE: not an audit */
	VEC(char *) reasons;         /* one sentence each, most serious first */
};

/* A lifecycle script of the package ("postinstall": "node scripts/setup.js"). */
struct install_script {
	char *name;       /* "preinstall", "install", "postinstall", "prepare" */
	char *command;    /* the command as written */
	char *file;       /* the script file it runs, relative to the package root, or NULL */
	bool egress;      /* the script (inline or its file) makes or contains egress */
};

struct bin_entry {
	char *name;
	char *path;       /* npm: the file, relative to the package root; Python: "module:function" */
};

/* What an audit learnt about the package itself (manifest and registry). All owned. */
struct package_info {
	char *ecosystem;     /* "npm", "pypi", or NULL (a folder without a manifest) */
	char *name;
	char *version;
	char *source;        /* "npm:NAME@VERSION", "archive PATH", "folder PATH", "remote URL" */
	char *integrity;     /* the registry's dist.integrity the archive was checked against */
	char *created;       /* first publication of the package (ISO 8601), or NULL */
	char *published;     /* publication of this version, or NULL */
	unsigned versions;   /* versions published; 0 when unknown */
	char *lockfile;      /* the lockfile found at the package root, or NULL */
	VEC(struct install_script) scripts;
	VEC(struct bin_entry) bins;
	VEC(char *) dependencies;  /* runtime dependency names */
	VEC(char *) requirements;  /* Python: each requirement as the manifest writes it ("x>=1;
				    * marker"), unchecked: what the dependency install is asked for */
	VEC(char *) command;       /* how the dynamic stage started the server; empty if it did not */
	char *started_from;        /* where command came from: "README.md:42", "package.json",
				    * the client configuration's file; NULL if not started */
	char *started_why;         /* how it was chosen, a sentence; NULL if not started */
	char *transport;           /* how the driver reached it: "stdio", "streamable-http" or "sse" */
	char *transport_url;       /* streamable-http: the endpoint inside the sandbox, else NULL */
	char *transport_why;       /* streamable-http: what showed the endpoint, else NULL */
};

/* One request the dynamic stage's MCP client sent (JSON coverage.calls). Owns its strings. */
struct coverage_call {
	char *method;     /* "initialize", "tools/list", "tools/call", "resources/read", "ping", ... */
	char *target;     /* the tool or prompt name, the resource URI; NULL for the others */
	char *arguments;  /* the params sent, compact JSON (redacted by report_finish); NULL if none */
	char *outcome;    /* "ok", "error", "timeout", "closed" */
	char *detail;     /* the error text or isError text; NULL when none */
	double start_ms, end_ms;  /* since the run started */
};

/* A step of the run as the driver went through it: "startup", "initialize", "tools/list",
 * "tools/call NAME", "idle" (the quiet period), "shutdown". */
struct coverage_phase {
	char *phase;
	double ms;        /* when it began, since the run started */
};

/* What the dynamic stage exercised (JSON "coverage"); ran is false when no run drove a
 * server (a scan, an install script), and the writers leave the section out. */
struct coverage {
	bool ran;
	VEC(char *) tools, resources, prompts; /* as the server listed them (resources by URI) */
	VEC(struct coverage_call) calls;       /* in the order sent */
	VEC(struct coverage_phase) phases;     /* in the order run */
	char *transport;                       /* "stdio", "streamable-http" or "sse" (the legacy
						* HTTP+SSE transport); NULL when not known */
};

/* A value the run itself made secret (a canary): never shown, its label is. */
struct known_secret {
	char *value;
	char *label;                  /* "canary github_token" */
};

struct report {
	VEC(char *) targets;          /* paths as given */
	char *root;                   /* root that evidence paths are relative to */
	unsigned files_found, files_parsed, files_skipped;
	unsigned deps_skipped;        /* dependency folders not scanned (no --include-deps) */
	bool include_deps;
	unsigned languages;           /* bit set of enum language (analyzer/lang.h) */
	VEC(struct documented_host) documented;
	struct doc_words *doc_words;  /* every word of the target's docs (core/doc_words.h); owned */
	VEC(struct endpoint *) endpoints;
	VEC(struct finding *) findings;
	VEC(struct incomplete) incomplete;
	VEC(struct url_string) url_strings;
	VEC(struct skipped_file) skipped_by_design; /* in walk order */
	bool execution_successful;    /* false when the run failed (exit 2) */
	char *error;                  /* why, when it failed */
	double duration_seconds;
	/* audit only */
	struct package_info *package; /* NULL: not an audit, or nothing known */
	struct verdict verdict;
	bool static_ran, dynamic_ran;
	VEC(struct known_secret) secrets; /* redacted by report_finish, never written */
	struct coverage coverage;     /* dynamic stage only */
};

/* Caller frees with report_free. Returns NULL when memory runs out. */
struct report *report_new(void);
void report_free(struct report *r);

/* The endpoint with this (host or suffix, port, scheme, kind) identity, created if new.
 * Borrowed, owned by r. host and scheme are copied (host lower-cased, trailing dot
 * removed). Returns NULL on allocation failure. */
struct endpoint *report_endpoint(struct report *r, const char *host, const char *host_suffix,
				 int port, const char *scheme, enum endpoint_kind kind);

/* Copies ev's strings into a new evidence on ep. Returns 0 or -1. */
int endpoint_add_evidence(struct endpoint *ep, const struct evidence *ev);

/* A new finding for rule_id (which must be in the catalogue) at its default severity,
 * with a printf-style message. Strings are copied. Borrowed, owned by r; NULL on failure. */
struct finding *report_add_finding(struct report *r, const char *rule_id, const char *host,
				   const char *file, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
int finding_add_chain(struct finding *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record work that was not done, and why. Returns 0 or -1. */
int report_add_incomplete(struct report *r, const char *file, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int report_add_documented(struct report *r, const char *pattern, const char *source,
			  enum doc_match match_kind);
/* reason must be static (it is not copied). Returns 0 or -1. */
int report_add_skipped(struct report *r, const char *file, const char *reason);
int report_add_url_string(struct report *r, const char *url, const char *file, unsigned line);

/* Move everything from src into dst (src is left empty but must still be freed).
 * Endpoints with the same identity are merged. Returns 0 or -1. */
int report_merge(struct report *dst, struct report *src);

/* One endpoint per host: the endpoints naming the same host (a call site, the run's DNS
 * lookup and its connection) become one, keeping the call site's scheme, port and kind,
 * with all the evidence. For audits, where both stages describe the same destination.
 * Returns 0 or -1 (out of memory: some endpoints may already be folded). */
int report_fold_by_host(struct report *r);

/* Group the findings of the run (no file, a phase): one per rule, host, phase, package and
 * severity, with the first member's message and every member's message in its events; then sort endpoints, findings and incomplete entries into a stable order and drop
 * exact duplicate findings, so output does not depend on thread scheduling; then redact
 * secret-looking values from all evidence (core/redact.h): every writer runs after this. */
void report_finish(struct report *r);

/* Remember value (16 bytes or more; shorter ones are ignored) as a secret to show as label
 * ("canary github_token") wherever it appears. Returns 0 or -1. */
int report_add_secret(struct report *r, const char *value, const char *label);

/* Highest severity among unsuppressed findings, or -1 when there are none. */
int report_max_severity(const struct report *r);
/* Number of unsuppressed findings at each severity (counts[SEV_CRITICAL + 1]). */
void report_count_findings(const struct report *r, unsigned counts[SEV_CRITICAL + 1]);
unsigned report_undocumented_count(const struct report *r);

/* Appends a call to r's coverage; strings are copied. Returns 0 or -1. */
int report_add_call(struct report *r, const struct coverage_call *c);
/* Appends a phase to r's coverage (phase copied). Returns 0 or -1. */
int report_add_phase(struct report *r, const char *phase, double ms);
enum coverage_list { COVERAGE_TOOLS, COVERAGE_RESOURCES, COVERAGE_PROMPTS };
/* Appends a copy of name to one of r's coverage lists. Returns 0 or -1. */
int report_add_listed(struct report *r, enum coverage_list which, const char *name);

/* A new empty package_info on r (replacing any), or NULL when memory runs out. */
struct package_info *report_package(struct report *r);
/* Append a reason to the verdict (printf-style). Returns 0 or -1. */
int report_add_reason(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

const char *endpoint_kind_name(enum endpoint_kind k);
const char *observed_name(enum observed o);        /* "confirmed", ...; NULL for OBS_NONE */
const char *evidence_content_name(enum evidence_content c); /* "seen", "encrypted"; NULL for CONTENT_NONE */
/* Whether what was sent to ep was read (JSON "content_seen"): *known is false when no
 * evidence of it says (static only, DNS only); else the result is false when any of its
 * connections stayed encrypted. */
bool endpoint_content_seen(const struct endpoint *ep, bool *known);
const char *verdict_name(enum verdict_result v);   /* "pass", "review", "fail"; NULL for none */
const char *doc_match_name(enum doc_match m);

#endif
