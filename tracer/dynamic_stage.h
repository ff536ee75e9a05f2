/* The dynamic stage: command -> sandbox -> fake network -> MCP session -> endpoints + findings. */
#ifndef MCPAUDIT_DYNAMIC_STAGE_H
#define MCPAUDIT_DYNAMIC_STAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/report.h"

#define TRACE_SEEN_PORTS 8

/* How the server seemed to want to be reached, for a caller that tries again another way
 * (the audit drives a server that listens instead of answering on stdio over HTTP). */
struct trace_seen {
	uint16_t listening[TRACE_SEEN_PORTS];  /* TCP ports it listened on (not the fake network's) */
	size_t n_listening;
	char *output;   /* what it wrote on stdout instead of answering, then the end of its stderr;
			 * NULL when nothing; caller frees with free */
};

struct trace_options {
	const char *const *argv;      /* the server's command, NULL-terminated */
	const char *cwd;              /* its folder; NULL: "." */
	const char *root;             /* the folder made available (writable through an overlay or a
				       * copy): cwd or a folder above it; NULL: cwd */
	const char *const *env;       /* extra "NAME=VALUE" for the server, NULL-terminated; may be NULL */
	unsigned quiet_seconds;       /* idle period after the last call (default 5) */
	unsigned startup_ms;          /* the server starts on its own this long before initialize;
				       * 0: the default (1 s); use no_startup_wait for none */
	bool no_startup_wait;
	unsigned timeout_seconds;     /* the whole run (default 120) */
	unsigned call_timeout_seconds;/* per MCP request (default 10) */
	bool no_calls;                /* initialize and list only */
	const char *pcap_file;        /* keep the raw capture here (for Wireshark), or NULL */
	uint16_t http_port;           /* 0: the server speaks MCP over stdio; else streamable HTTP on
				       * this port of the sandbox's loopback */
	const char *http_path;        /* with http_port: the endpoint's path; NULL: "/mcp" */
	/* stdio: wait for initialize the whole time even when the server listens on a port (by
	 * default a server seen listening for SESSION_LISTEN_GRACE_MS is not waited for) */
	bool patient_init;
	/* Not an MCP server but a package's install script (sh -c COMMAND): run it to its end
	 * (or the timeout) with no MCP session; everything it sends has the phase "install". */
	bool install_mode;
	/* "NAME=VALUE" secrets from a client configuration: the server gets NAME, but set to a
	 * canary of the same shape, never VALUE; NULL-terminated, may be NULL */
	const char *const *secret_env;
	/* Do not terminate the server's TLS: HTTPS shows only its SNI, as a plain observer sees it */
	bool no_tls_intercept;
	struct trace_seen *seen;      /* out, or NULL: filled whether or not the run drove the server */
	bool verbose;
	bool progress;                /* the run's phase as a status line on stderr (core/progress.h) */
};

/* Run the server in the sandbox, drive it over MCP, and fill r with every destination it
 * tried (stage "dynamic", with the phase), and findings that need no documentation to
 * judge (raw sockets, DNS carrying data). What went wrong on the server's side (crash,
 * hang, timeouts, log overflows) becomes incomplete entries. Returns 0; or -1 with the
 * reason in err when the run could not happen (the sandbox refused, the command could not
 * be started): the caller must exit 2. */
int dynamic_stage_run(const struct trace_options *o, struct report *r, char *err, size_t errlen);

#endif
