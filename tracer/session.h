/* One traced run inside the sandbox: fake network up, server started, MCP session, results out. */
#ifndef MCPAUDIT_SESSION_H
#define MCPAUDIT_SESSION_H

#include <stdbool.h>
#include <stdint.h>

struct canary_set;
struct tls_ca;

/* Processes and threads the server may run at once: a fork bomb stops here. Node with its
 * worker pool, npx and a few child processes stay well below. */
#define SESSION_MAX_PROCESSES 1024

/* The phase of everything a package's install script does. */
#define SESSION_PHASE_INSTALL "install"
/* After an install script ends, what it left running gets this long to show itself. */
#define SESSION_INSTALL_LINGER_MS 1000
/* Ports a server listens on that the record lists, and the bytes of what it wrote on stdout
 * instead of answering initialize: enough to find where it listens (the audit's HTTP retry). */
#define SESSION_MAX_LISTENING 8
#define SESSION_STDOUT_HEAD 4096
/* A server seen listening this long without answering initialize on stdio is not waited for. */
#define SESSION_LISTEN_GRACE_MS 3000

struct session_config {
	const char *const *argv;      /* the server's command */
	const char *const *env;       /* "NAME=VALUE" for the server (canaries included) */
	const char *cwd;
	const char *home;             /* HOME inside */
	const char *user;             /* USER/LOGNAME inside */
	uint32_t quiet_ms, call_timeout_ms, timeout_ms;
	uint32_t startup_ms;          /* the server runs alone this long before initialize */
	bool no_calls;
	bool install_mode;            /* run argv to its end, no MCP: everything is phase "install" */
	uint16_t http_port;           /* streamable HTTP on 127.0.0.1:http_port; 0: stdio */
	const char *http_path;        /* NULL: "/mcp" */
	bool patient_init;            /* stdio: wait for initialize the whole time even when the
				       * server listens on a port */
	int result_fd;                /* where the JSON record of the run is written */
	int pcap_fd;                  /* the raw capture goes here when > 0 */
	const struct canary_set *canaries; /* searched for in all the server sends; may be NULL */
	struct tls_ca *tls_ca;        /* the run's CA: TLS to a sinkhole is terminated; NULL: not */
	bool progress;                /* the phase as a status line on stderr (a terminal's) */
};

/* The sandbox's inside() for a session_config: runs the fake DNS and sinkholes, starts the
 * server, drives it, stops everything, and writes one JSON document to result_fd:
 *   {"phases": [{"phase", "ms"}], "dns": [{"name", "type", "transport", "server", "ms"}],
 *    "connections": [{"address", "port", "name", "protocol", "host", "sni", "method",
 *                     "target", "user_agent", "ms"}],
 *    "server": {"name", "version", "tools": [...]}, "problems": [{"kind", "detail", "ms"}],
 *    "canary_hits": [{"canary", "planted", "encoding", "where", "host", "port", "ms"}],
 *    "exit": "...", "stderr_tail": "...", "stats": {...}, "error": null|"..."}
 * Returns 0 when the document was written (whatever the server did), 1 otherwise. */
int session_inside(void *arg);

#endif
