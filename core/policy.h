/* Documented endpoints and the user's policy, and what follows from comparing endpoints with them. */
#ifndef MCPAUDIT_POLICY_H
#define MCPAUDIT_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/report.h"
#include "core/vec.h"

enum host_pattern_kind { HP_EXACT, HP_WILDCARD, HP_CIDR4, HP_CIDR6 };

struct host_pattern {
	enum host_pattern_kind kind;
	char *host;          /* HP_EXACT: the host; HP_WILDCARD: the suffix after "*." */
	uint8_t addr[16];    /* CIDR network address (4 or 16 bytes used) */
	int prefix;          /* CIDR prefix length */
	int port;            /* 0: any port */
	char *source;        /* where it came from: "--allow", "policy.json", "README.md:3" */
};

/* One accepted finding, never a path. A finding with a file is named by its file and
 * fingerprint; one without (what a run saw: a connection, a DNS query, a canary) by its
 * host and phase ("startup", "tool:fetch_url"), exactly: no wildcard, no folder. */
struct suppression {
	char *rule_id;       /* required */
	char *file;          /* with fingerprint, or NULL for a file-less finding */
	char *fingerprint;   /* hash of the matched code (finding.fingerprint), with file */
	char *reason;        /* required */
	char *expires;       /* "YYYY-MM-DD" or NULL; an expired entry no longer suppresses */
	char *host;          /* with phase, when file is NULL: the finding's host */
	char *phase;         /* the finding's phase */
};

struct policy {
	VEC(struct host_pattern) allow;
	VEC(struct host_pattern) deny;
	VEC(struct suppression) suppressions;
	enum severity fail_on;   /* default SEV_HIGH */
	enum severity review_on; /* audit: below fail_on, at or above this the verdict is "review"
				  * (default SEV_MEDIUM) */
	bool use_docs;           /* take documented hosts from the target's docs (default true) */
	bool strict_docs;        /* only exact documented hosts count, no site-level match */
};

/* Defaults: fail on high, docs on, site-level matching on. */
void policy_init(struct policy *p);
void policy_free(struct policy *p);

/* Parse "api.example.com", "*.example.com", "203.0.113.0/24", "[2001:db8::]/32",
 * each with an optional ":port". Returns 0, or -1 with a message in err. */
int host_pattern_parse(const char *text, const char *source, struct host_pattern *out,
		       char *err, size_t errlen);
void host_pattern_free(struct host_pattern *hp);
/* Whether host (and port, 0 = unknown) matches. A pattern with a port never matches an
 * unknown port. "*.example.com" matches every subdomain, at any depth, but not
 * example.com itself. */
bool host_pattern_match(const struct host_pattern *hp, const char *host, int port);
/* The pattern as text host_pattern_parse reads back ("*.example.com:8443",
 * "[2001:db8::/32]:443"). Returns 0, or -1 when buf is too small. */
int host_pattern_format(const struct host_pattern *hp, char *buf, size_t len);

int policy_add_allow(struct policy *p, const char *pattern, const char *source,
		     char *err, size_t errlen);

/* Load a JSON policy file:
 *   {"allow": ["api.example.com", ...], "deny": [...], "fail_on": "high", "review_on": "medium",
 *    "strict_docs": false, "use_docs": true,
 *    "suppress": [{"rule": "...", "file": "...", "fingerprint": "...", "reason": "...",
 *                  "expires": "2027-01-01"},
 *                 {"rule": "...", "host": "...", "phase": "...", "reason": "..."}]}
 * Returns 0, or -1 with "FILE: what is wrong" in err. */
int policy_load_file(struct policy *p, const char *path, char *err, size_t errlen);

/* As policy_load_file for a project's configuration file (.mcpaudit.json): JSONC (comments
 * and trailing commas), and its member "options", when there is one, is taken out before
 * the policy's keys are read and given to the caller in *options (caller frees with
 * cJSON_Delete; NULL when there is none). */
struct cJSON;
int policy_load_config(struct policy *p, const char *path, struct cJSON **options, char *err,
		       size_t errlen);

/* "YYYY-MM-DD" with a plausible month and day (an expiry). */
bool policy_valid_date(const char *s);

/* Compare r's endpoints with r->documented and p, in place:
 * - set each endpoint's registrable_domain and documented_by/documented_source
 *   (exact or wildcard or CIDR match; else site-level: same registrable domain as a
 *   documented host, unless strict_docs);
 * - add undocumented-egress for each piece of evidence of an undocumented endpoint with a
 *   known host or suffix (never for user-directed ones), and for denied hosts;
 * - add lookalike-domain for hosts imitating a documented one, and
 *   exfil-prone-destination for hosts of the curated list;
 * - drop credential-flow findings with named_secret_only and own_service whose host is
 *   documented;
 * - mark findings covered by an unexpired suppression as suppressed, with its reason.
 * today is "YYYY-MM-DD" (for expiries). Returns 0 or -1 (out of memory). */
int policy_apply(const struct policy *p, struct report *r, const char *today);

/* List the policy's allow patterns (and --allow's) among r's documented hosts, so a
 * report shows what it was compared with. Returns 0 or -1. */
int policy_add_documented(const struct policy *p, struct report *r);

/* Fingerprint of a finding for suppressions: a hash of the rule, the file and the matched
 * code with white space collapsed (so reformatting keeps it, new code does not). NULLs count
 * as "". Caller frees with free; NULL when memory runs out. */
char *policy_fingerprint(const char *rule_id, const char *file, const char *code);

/* Call each(entry, arg) for every entry of an embedded knowledge list ("core/data/x.txt"):
 * one per line, '#' comments and blank lines skipped, white space trimmed. Returns 0, or
 * -1 when the list is not embedded or each returns non-zero. */
int policy_each_listed(const char *list_name, int (*each)(const char *entry, void *arg), void *arg);

#endif
