/* URL and host-name splitting (RFC 3986 section 3.2 authority, with WHATWG's leniency for "\"). */
#include "core/url.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

struct scheme_port {
	const char *scheme;
	int port;
};

/* Well-known ports of the schemes servers put in URLs and connection strings. */
static const struct scheme_port default_ports[] = {
	{"http", 80},        {"https", 443},     {"ws", 80},          {"wss", 443},
	{"ftp", 21},         {"ftps", 990},      {"sftp", 22},        {"ssh", 22},
	{"scp", 22},         {"telnet", 23},     {"smtp", 25},        {"smtps", 465},
	{"submission", 587}, {"imap", 143},      {"imaps", 993},      {"pop3", 110},
	{"pop3s", 995},      {"dns", 53},        {"ldap", 389},       {"ldaps", 636},
	{"redis", 6379},     {"rediss", 6379},   {"postgres", 5432},  {"postgresql", 5432},
	{"mysql", 3306},     {"mariadb", 3306},  {"mongodb", 27017},  {"mongodb+srv", 27017},
	{"amqp", 5672},      {"amqps", 5671},    {"mqtt", 1883},      {"mqtts", 8883},
	{"nats", 4222},      {"kafka", 9092},    {"memcached", 11211}, {"rtsp", 554},
	{"gopher", 70},      {"irc", 6667},      {"ircs", 6697},      {"xmpp", 5222},
	{"sip", 5060},       {"sips", 5061},     {"git", 9418},       {"rsync", 873},
	{"grpc", 443},       {"grpcs", 443},     {NULL, 0},
};

int url_default_port(const char *scheme)
{
	if (!scheme)
		return 0;
	for (const struct scheme_port *sp = default_ports; sp->scheme; sp++)
		if (strcasecmp(sp->scheme, scheme) == 0)
			return sp->port;
	return 0;
}

/* Length of "scheme" in "scheme://", or 0 when s does not start with one. */
static size_t scheme_length(const char *s)
{
	size_t n = 0;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '-' || s[n] == '.')
		n++;
	return strncmp(s + n, "://", 3) == 0 ? n : 0;
}

static bool ends_authority(char c)
{
	return c == '\0' || c == '/' || c == '?' || c == '#' || c == '\\' ||
	       isspace((unsigned char)c);
}

/* Host bytes we accept: DNS letters, digits, '-', '_', '.', and non-ASCII (IDN) bytes. */
static bool host_char_ok(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.' ||
	       (unsigned char)c >= 0x80;
}

/* "1".."65535" in [p, p+n); returns the port or -1. An empty port is 0. */
static int parse_port(const char *p, size_t n)
{
	int v = 0;

	if (n > 5)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v <= 65535 ? v : -1;
}

static void lower_copy(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[n] = '\0';
}

/* "[v6]" or "[v6]:port" in [h, end). Zone ids ("%25eth0") are dropped. */
static bool split_bracketed(const char *h, const char *end, struct url_parts *out, int *port)
{
	const char *close = memchr(h, ']', (size_t)(end - h));
	const char *zone;
	size_t n;
	unsigned char addr[16];

	if (!close)
		return false;
	zone = memchr(h, '%', (size_t)(close - h));
	n = (size_t)((zone ? zone : close) - (h + 1));
	if (n == 0 || n >= sizeof out->host)
		return false;
	lower_copy(out->host, h + 1, n);
	if (inet_pton(AF_INET6, out->host, addr) != 1)
		return false;
	if (close + 1 == end)
		return true;
	if (close[1] != ':')
		return false;
	*port = parse_port(close + 2, (size_t)(end - close - 2));
	return *port >= 0;
}

/* "host" or "host:port" in [h, end). */
static bool split_plain(const char *h, const char *end, struct url_parts *out, int *port)
{
	const char *colon = memchr(h, ':', (size_t)(end - h));
	const char *hend = colon ? colon : end;
	size_t n = (size_t)(hend - h);

	while (n > 0 && h[n - 1] == '.')
		n--;  /* "example.com." names the same host; extra dots are dropped too: no trailing dot */
	if (n == 0 || n >= sizeof out->host)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!host_char_ok(h[i]))
			return false;
	lower_copy(out->host, h, n);
	if (!colon)
		return true;
	*port = parse_port(colon + 1, (size_t)(end - colon - 1));
	return *port >= 0;
}

bool url_parse(const char *s, struct url_parts *out)
{
	size_t slen, authority;
	const char *h, *end, *at;
	int port = 0;

	if (!s || !out)
		return false;
	memset(out, 0, sizeof *out);
	slen = scheme_length(s);
	if (slen >= sizeof out->scheme)
		return false;
	if (slen > 0)
		lower_copy(out->scheme, s, slen);
	else if (strncmp(s, "//", 2) != 0)
		return false;
	authority = slen > 0 ? slen + 3 : 2;
	for (end = s + authority; !ends_authority(*end); end++)
		;
	out->path_offset = (size_t)(end - s);
	/* The last '@' ends the userinfo: passwords may contain '@' unencoded. */
	h = s + authority;
	for (at = end; at > h && at[-1] != '@'; at--)
		;
	if (at > h)
		h = at;
	if (h == end)
		return false;
	if (*h == '[' ? !split_bracketed(h, end, out, &port) : !split_plain(h, end, out, &port))
		return false;
	out->port = port ? port : url_default_port(out->scheme);
	return true;
}

bool host_is_ipv4(const char *host)
{
	struct in_addr a;

	return host && inet_pton(AF_INET, host, &a) == 1;
}

bool host_is_ipv6(const char *host)
{
	struct in6_addr a;

	return host && inet_pton(AF_INET6, host, &a) == 1;
}

bool host_is_ip(const char *host)
{
	return host_is_ipv4(host) || host_is_ipv6(host);
}

static bool label_ok(const char *p, size_t n)
{
	if (n == 0 || n > 63)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)p[i]) && p[i] != '-' && p[i] != '_')
			return false;
	return true;
}

static bool all_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return true;
}

bool host_is_name(const char *host)
{
	size_t len, labels = 0;
	const char *p, *dot;

	if (!host)
		return false;
	len = strlen(host);
	if (len > 1 && host[len - 1] == '.')
		len--;
	if (len == 0 || len > 253)
		return false;
	if (len == 9 && strncasecmp(host, "localhost", 9) == 0)
		return true;
	for (p = host;; p = dot + 1) {
		size_t rest = len - (size_t)(p - host);
		dot = memchr(p, '.', rest);
		size_t n = dot ? (size_t)(dot - p) : rest;
		if (!label_ok(p, n))
			return false;
		labels++;
		if (!dot)
			return labels >= 2 && !all_digits(p, n);
	}
}

static bool ipv4_is_local(const uint8_t a[4])
{
	return a[0] == 127 || (a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0) ||
	       (a[0] == 169 && a[1] == 254);
}

static bool ipv6_is_local(const uint8_t a[16])
{
	static const uint8_t zero[16];
	static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

	if (memcmp(a, zero, 15) == 0 && (a[15] == 0 || a[15] == 1))
		return true;  /* "::" and "::1" */
	if (a[0] == 0xfe && (a[1] & 0xc0) == 0x80)
		return true;  /* fe80::/10 link-local */
	return memcmp(a, v4mapped, 12) == 0 && ipv4_is_local(a + 12);
}

static bool ends_with_ci(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

bool host_is_local(const char *host)
{
	uint8_t a[16];
	char trimmed[URL_HOST_MAX];
	size_t n;

	if (!host || (n = strlen(host)) == 0 || n >= sizeof trimmed)
		return false;
	memcpy(trimmed, host, n + 1);
	if (n > 1 && trimmed[n - 1] == '.')
		trimmed[n - 1] = '\0';
	if (strcasecmp(trimmed, "localhost") == 0 || ends_with_ci(trimmed, ".localhost"))
		return true;
	if (inet_pton(AF_INET, trimmed, a) == 1)
		return ipv4_is_local(a);
	if (inet_pton(AF_INET6, trimmed, a) == 1)
		return ipv6_is_local(a);
	return false;
}
