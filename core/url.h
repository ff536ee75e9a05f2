/* Splitting URLs and host names into the parts the policy and the report use. */
#ifndef MCPAUDIT_URL_H
#define MCPAUDIT_URL_H

#include <stdbool.h>
#include <stddef.h>

#define URL_HOST_MAX 256

struct url_parts {
	char scheme[16];          /* lower-case, "" when absent ("//host/x") */
	char host[URL_HOST_MAX];  /* lower-case, brackets removed from IPv6, no trailing dot */
	int port;                 /* explicit port, else the scheme's default, else 0 */
	size_t path_offset;       /* where the path starts in the input ("" -> its length) */
};

/* Parse an absolute URL "scheme://[user@]host[:port][/path]" or "//host...".
 * Returns false (out undefined) when s is not one, or the host is empty or too long. */
bool url_parse(const char *s, struct url_parts *out);

/* Default port for a scheme ("https" -> 443, "ws" -> 80, "redis" -> 6379, ...), 0 if unknown. */
int url_default_port(const char *scheme);

/* Literal address forms. */
bool host_is_ipv4(const char *host);
bool host_is_ipv6(const char *host);
bool host_is_ip(const char *host);

/* A plausible DNS host name: labels of [A-Za-z0-9-_], at least one dot, a TLD that is
 * not all digits. "localhost" is accepted too. */
bool host_is_name(const char *host);

/* Loopback, link-local and unspecified destinations ("localhost", 127/8, ::1, 0.0.0.0):
 * not egress. */
bool host_is_local(const char *host);

#endif
