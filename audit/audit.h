/* audit: the pre-install audit of one target. The package is fetched and unpacked with
 * none of its code run (source.c), read by the static stage and the metadata checks,
 * then, unless static_only, its dependencies are installed with scripts disabled
 * (deps.c), its own install scripts run in the sandbox (phase "install") and its server
 * is started and traced; both stages' endpoints are joined (observe.c), compared with
 * its documentation and the policy, and judged: pass, review or fail. */
#ifndef MCPAUDIT_AUDIT_H
#define MCPAUDIT_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/policy.h"
#include "core/report.h"

struct audit_options {
	const struct policy *policy;
	bool static_only;
	bool include_deps;
	unsigned jobs;                /* static stage threads; 0: cores */
	unsigned timeout_s;           /* the traced run, and each installer (default 120) */
	unsigned quiet_s;             /* idle time after the last call (0: the tracer's default) */
	const char *const *docs;      /* --docs paths, NULL-terminated; may be NULL */
	const char *root;             /* the folder the sandbox shows, or NULL: the package's */
	bool no_tls_intercept;        /* trace_options.no_tls_intercept for every traced run */
	bool verbose;
};

/* One thing to audit: a package (spec), a remote server (remote_url) or something that
 * cannot be audited (unsupported). From the command line, or a client configuration. */
struct audit_target {
	const char *spec;                 /* folder, archive, npm:NAME[@V], pypi:NAME[==V] */
	const char *label;                /* "claude_desktop_config.json: memory", or NULL */
	const char *const *command;       /* the configured command, run in the package folder, or
					   * NULL: from the manifest */
	const char *const *server_args;   /* arguments after the package name (npx PKG ARGS) */
	const char *cwd;                  /* the configured working folder (inside the package's), or
					   * NULL: the package's folder */
	const char *const *env;           /* "NAME=VALUE" for the server */
	const char *const *secret_env;    /* "NAME=VALUE" whose value becomes a canary */
	const char *remote_url;           /* a remote MCP server: nothing to fetch */
	const char *unsupported;          /* why this cannot be audited */
	const char *config;               /* the client configuration it comes from, or NULL: its
					   * own findings (duplicate keys, decoy sections) go into
					   * the report */
};

/* Audit t into r (a fresh report). Returns 0 with r complete (verdict set); or -1 with
 * err when nothing could be audited (the package could not be fetched or unpacked):
 * the caller exits 2. */
int audit_run(const struct audit_target *t, const struct audit_options *o, struct report *r, char *err,
	      size_t errlen);

#endif
