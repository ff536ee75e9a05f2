/* Registrable domains (eTLD+1) from the Public Suffix List, via libpsl. */
#ifndef MCPAUDIT_HOSTNAME_H
#define MCPAUDIT_HOSTNAME_H

#include <stdbool.h>

struct psl_ctx_st;

/* The Public Suffix List: the system's (publicsuffix package) when present, else
 * libpsl's built-in copy. Borrowed, loaded once, valid for the life of the process;
 * safe to use from several threads. NULL only if neither can be loaded. */
const struct psl_ctx_st *hostname_psl(void);

/* eTLD+1 of host ("api.github.com" -> "github.com", "a.github.io" -> "a.github.io",
 * private section included). Caller frees with free. NULL for IPs, for a host that is
 * itself a public suffix, for one with an empty label ("a..example.com"), and on allocation
 * failure. */
char *hostname_registrable(const char *host);

/* Whether host's last label is a top-level domain the list names (its default "*" rule
 * does not count) or one reserved for tests and examples by RFC 2606 ("test", "example",
 * "invalid"). Tells "api.example.com" from "index.js" in prose. */
bool hostname_tld_known(const char *host);

/* Whether domain is a public suffix only through the list's private section: a company's
 * own domain whose subdomains are its APIs or its customers' ("googleapis.com",
 * "github.io"), not a registry's TLD ("com", "co.uk"). Case-insensitive. */
bool hostname_private_suffix(const char *domain);

/* Whether host is one of domain's subdomains, at a label boundary, or (or_equal) domain
 * itself; case-insensitive, a trailing dot ignored on either. "api.github.com" is within
 * "github.com"; "evilgithub.com" is not. */
bool hostname_within(const char *host, const char *domain, bool or_equal);

#endif
