/* Splitting URLs and host names into the parts the policy and the report use. */
#ifndef MCPAUDIT_URL_H
#define MCPAUDIT_URL_H

#include <stdbool.h>
#include <stddef.h>

#define URL_HOST_MAX 256
#define URL_TEXT_MAX 8192  /* a longer URL is not parsed */

/* Whose parser to imitate: a destination means what the program's runtime makes of it. */
enum url_dialect {
	URL_WHATWG,  /* JavaScript: Node's new URL and fetch (the WHATWG URL Standard) */
	URL_PYTHON,  /* Python: urllib.parse.urlsplit(s).hostname, which requests and httpx follow */
};

struct url_parts {
	char scheme[16];          /* lower-case, "" when absent ("//host/x") */
	char host[URL_HOST_MAX];  /* lower-case, brackets removed from IPv6, no trailing dot */
	int port;                 /* explicit port, else the scheme's default, else 0 */
	size_t path_offset;       /* where the path starts in the input ("" -> its length) */
};

/* Parse an absolute URL (or "//host...") as the dialect's runtime does:
 *   URL_WHATWG: tabs and newlines anywhere are dropped; for http(s), ws(s) and ftp any run
 *     of '/' and '\' follows the scheme ("https:\\evil.example.net", "http:evil.example.net"),
 *     the host is percent-decoded, mapped by UTS #46 (an IDN becomes its xn-- form) and read
 *     as IPv4 in all the numeric forms (0x7f.1, 2130706433, 0177.0.0.1); IPv6 is written
 *     in its canonical form; a zone id makes it invalid.
 *   URL_PYTHON: a host only after "scheme://" or "//", a backslash is part of the host,
 *     percent escapes are kept; a zone id is dropped.
 * Both: userinfo ends at the last '@'; a trailing dot is dropped; port is the explicit one
 * or the scheme's default. Returns false (out undefined) when the runtime would find no
 * host (or refuse the URL), or the host is too long. */
bool url_parse_as(const char *s, enum url_dialect d, struct url_parts *out);

/* url_parse_as(s, URL_WHATWG, out): for text that no language owns (documentation,
 * package.json, client configurations, which JavaScript programs read). */
bool url_parse(const char *s, struct url_parts *out);

/* The host of an authority "[userinfo@]host[:port]" (an HTTP Host header, RFC 9110 section
 * 7.2): brackets of an IPv6 literal removed, lower-cased, no trailing dot, into host[len].
 * False when there is none or it does not fit. */
bool url_authority_host(const char *authority, char *host, size_t len);

/* A host name written in Unicode, in place in buf (len bytes), in its xn-- form by UTS #46
 * non-transitional (the URL Standard's domain to ASCII, libidn2): the form in which url_parse
 * reports hosts, so that a pattern written as "bücher.example" matches them. An ASCII name
 * is left as it is. False when libidn2 refuses the name or the result does not fit. */
bool url_host_to_ascii(char *buf, size_t len);

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
