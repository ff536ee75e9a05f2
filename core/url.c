/* URL and host-name splitting as the runtimes do it: the WHATWG URL Standard (Node's new URL,
 * fetch) for JavaScript, urllib.parse for Python. */
#include "core/url.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <stdio.h>
#include <stdlib.h>
#include <idn2.h>

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

/* ---- the input as the runtime sees it ---- */

/* The URL after the runtime's clean-up: leading C0 controls and spaces gone (and trailing
 * ones for WHATWG), ASCII tab, LF and CR removed anywhere (both WHATWG and urllib.parse do),
 * with each kept byte's offset in the input, so that path_offset still points into it. */
struct cleaned {
	char text[URL_TEXT_MAX];
	uint16_t from[URL_TEXT_MAX];
	size_t len, input_len;
};

static bool clean_input(const char *s, enum url_dialect d, struct cleaned *c)
{
	size_t n = strlen(s), i = 0;

	c->len = 0;
	c->input_len = n;
	while (i < n && (unsigned char)s[i] <= 0x20)
		i++;
	if (d == URL_WHATWG)
		while (n > i && (unsigned char)s[n - 1] <= 0x20)
			n--;
	for (; i < n; i++) {
		if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			continue;
		if (c->len + 1 >= sizeof c->text)
			return false;
		c->from[c->len] = (uint16_t)i;
		c->text[c->len++] = s[i];
	}
	c->text[c->len] = '\0';
	return true;
}

static size_t input_offset(const struct cleaned *c, size_t at)
{
	return at < c->len ? c->from[at] : c->input_len;
}

static void lower_copy(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[n] = '\0';
}

/* "scheme:" at the start: its length, or 0 (RFC 3986 section 3.1 characters). */
static size_t scheme_length(const char *s)
{
	size_t n = 0;

	if (!isalpha((unsigned char)s[0]))
		return 0;
	while (isalnum((unsigned char)s[n]) || s[n] == '+' || s[n] == '-' || s[n] == '.')
		n++;
	return s[n] == ':' ? n : 0;
}

/* WHATWG URL section 3.1: the special schemes (file has no host to reach). */
static bool special_scheme(const char *scheme)
{
	static const char *const special[] = {"http", "https", "ws", "wss", "ftp", NULL};

	for (const char *const *p = special; *p; p++)
		if (strcmp(*p, scheme) == 0)
			return true;
	return false;
}

/* "1".."65535" (or "" for none: 0) in [p, p+n); -1 when not digits or too large. */
static int parse_port(const char *p, size_t n)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)p[i]))
			return -1;
		v = v * 10 + (p[i] - '0');
		if (v > 65535)
			return -1;
	}
	return (int)v;
}

/* ---- WHATWG hosts (URL Standard section 3.5, host parsing) ---- */

static bool all_ascii_digits(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return n > 0;
}

/* A name in its xn-- form by UTS #46 (flags: IDN2_NONTRANSITIONAL for the URL Standard,
 * IDN2_TRANSITIONAL for Python's IDNA 2003 codec) into buf; false when libidn2 refuses it. */
static bool to_ascii(char *buf, size_t len, int flags)
{
	char *ascii = NULL;
	bool ok = idn2_to_ascii_8z(buf, &ascii, flags | IDN2_NFC_INPUT) == IDN2_OK && strlen(ascii) < len;

	if (ok)
		memcpy(buf, ascii, strlen(ascii) + 1);
	idn2_free(ascii);
	return ok;
}

static bool has_non_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

bool url_host_to_ascii(char *buf, size_t len)
{
	return !has_non_ascii(buf) || to_ascii(buf, len, IDN2_NONTRANSITIONAL);
}

static int hex_value(char c)
{
	return isdigit((unsigned char)c) ? c - '0' : isxdigit((unsigned char)c) ? tolower((unsigned char)c) - 'a' + 10 : -1;
}

/* Percent-decodes [p, p+n) into out (a "%" not followed by two hex digits stays). */
static bool percent_decode(const char *p, size_t n, char *out, size_t outlen)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		if (k + 1 >= outlen)
			return false;
		if (p[i] == '%' && i + 2 < n && hex_value(p[i + 1]) >= 0 && hex_value(p[i + 2]) >= 0) {
			out[k++] = (char)(hex_value(p[i + 1]) * 16 + hex_value(p[i + 2]));
			i += 2;
		} else {
			out[k++] = p[i];
		}
	}
	out[k] = '\0';
	return true;
}

/* URL Standard: forbidden domain code points (forbidden host code points, C0 controls, '%',
 * U+007F). */
static bool forbidden_domain_byte(unsigned char c)
{
	return c <= 0x20 || c == 0x7F || (c < 0x80 && strchr("#%/:<>?@[\\]^|", c));
}

/* One IPv4 part: decimal, 0x hex or 0-prefixed octal (URL Standard "IPv4 number parser").
 * -1 when it is not a number. */
static long long ipv4_number(const char *p, size_t n)
{
	int base = 10;
	long long v = 0;

	if (n >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		base = 16, p += 2, n -= 2;
	else if (n >= 2 && p[0] == '0')
		base = 8, p++, n--;
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int d = hex_value(p[i]);
		if (d < 0 || d >= base)
			return -1;
		v = v * base + d;
		if (v > 0xFFFFFFFFLL)
			v = 0x100000000LL;  /* too large either way; keep it from overflowing */
	}
	return v;
}

/* The URL Standard's "ends in a number": the last label (a trailing empty one dropped) is
 * all digits or 0x and hex digits. */
static bool ends_in_number(const char *h)
{
	size_t n = strlen(h);
	const char *last;

	if (n && h[n - 1] == '.')
		n--;
	last = h + n;
	while (last > h && last[-1] != '.')
		last--;
	if (last == h + n)
		return false;
	if (all_ascii_digits(last, (size_t)(h + n - last)))
		return true;
	return h + n - last >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X') &&
	       strspn(last + 2, "0123456789abcdefABCDEF") == (size_t)(h + n - last - 2);
}

/* The URL Standard's IPv4 parser: 1 to 4 parts, the last filling the rest of the address
 * (0x7f.1 is 127.0.0.1, 2130706433 too). Writes the dotted form; false when invalid. */
static bool whatwg_ipv4(const char *h, char *out, size_t outlen)
{
	long long parts[4];
	size_t np = 0, n = strlen(h);
	unsigned long long addr;

	if (n && h[n - 1] == '.')
		n--;
	for (const char *p = h; p <= h + n;) {
		const char *dot = memchr(p, '.', (size_t)(h + n - p));
		size_t len = dot ? (size_t)(dot - p) : (size_t)(h + n - p);
		if (np == 4 || len == 0 || (parts[np++] = ipv4_number(p, len)) < 0)
			return false;
		if (!dot)
			break;
		p = dot + 1;
	}
	for (size_t i = 0; i + 1 < np; i++)
		if (parts[i] > 255)
			return false;
	if (parts[np - 1] >= 1LL << (8 * (5 - np)))
		return false;
	addr = (unsigned long long)parts[np - 1];
	for (size_t i = 0; i + 1 < np; i++)
		addr += (unsigned long long)parts[i] << (8 * (3 - i));
	snprintf(out, outlen, "%llu.%llu.%llu.%llu", addr >> 24, addr >> 16 & 255, addr >> 8 & 255, addr & 255);
	return true;
}

/* The URL Standard's IPv6 serializer: lower-case hex pieces, the first longest run of two or
 * more zero pieces as "::" (inet_ntop writes the IPv4-mapped form differently). */
static void ipv6_serialize(const unsigned char a[16], char *out, size_t outlen)
{
	size_t best = 16, best_len = 1, k = 0;

	for (size_t i = 0; i < 8;) {
		size_t j = i;
		while (j < 8 && !a[2 * j] && !a[2 * j + 1])
			j++;
		if (j - i > best_len)
			best = i, best_len = j - i;
		i = j > i ? j : i + 1;
	}
	out[0] = '\0';
	for (size_t i = 0; i < 8; i++) {
		if (i == best) {
			k += (size_t)snprintf(out + k, outlen - k, "::");  /* the piece before wrote no ':' */
			i += best_len - 1;
			continue;
		}
		k += (size_t)snprintf(out + k, outlen - k, "%x%s", (unsigned)(a[2 * i] << 8 | a[2 * i + 1]),
				      i < 7 && i + 1 != best ? ":" : "");
		if (k >= outlen)
			return;
	}
}

/* "[v6]" (the brackets included in [h, h+n)): the address serialized, or false. The URL
 * Standard has no zone ids: "%" makes the URL invalid. */
static bool whatwg_ipv6(const char *h, size_t n, char *out, size_t outlen)
{
	char inner[64];
	unsigned char a[16];

	if (n < 3 || h[n - 1] != ']' || n - 2 >= sizeof inner)
		return false;
	memcpy(inner, h + 1, n - 2);
	inner[n - 2] = '\0';
	if (inet_pton(AF_INET6, inner, a) != 1)
		return false;
	ipv6_serialize(a, out, outlen);
	return true;
}

/* A special scheme's host: percent-decoded, mapped to ASCII by UTS #46 (libidn2, non-
 * transitional, as the URL Standard's domain to ASCII), checked for forbidden code points,
 * then read as IPv4 when it ends in a number. The result is what the runtime resolves: an
 * IDN look-alike shows as its xn-- form. */
static bool whatwg_domain(const char *h, size_t n, char *out, size_t outlen)
{
	char decoded[URL_HOST_MAX * 3];

	if (n == 0 || !percent_decode(h, n, decoded, sizeof decoded))
		return false;
	if (has_non_ascii(decoded) && !to_ascii(decoded, sizeof decoded, IDN2_NONTRANSITIONAL))
		return false;
	for (char *c = decoded; *c; c++) {
		if (forbidden_domain_byte((unsigned char)*c))
			return false;
		*c = (char)tolower((unsigned char)*c);
	}
	if (!decoded[0])
		return false;
	if (ends_in_number(decoded))
		return whatwg_ipv4(decoded, out, outlen);
	if (strlen(decoded) >= outlen)
		return false;
	memcpy(out, decoded, strlen(decoded) + 1);
	return true;
}

/* A non-special scheme's host (URL Standard "opaque host"): kept as written, lower-cased
 * here because the name resolves the same either way. */
static bool opaque_host(const char *h, size_t n, char *out, size_t outlen)
{
	if (n && h[0] == '[')
		return whatwg_ipv6(h, n, out, outlen);
	if (n == 0 || n >= outlen)
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)h[i] != '%' && forbidden_domain_byte((unsigned char)h[i]) && (unsigned char)h[i] > 0x20)
			return false;
	lower_copy(out, h, n);
	return true;
}

/* Splits [a, a+n) (the authority) into host and port: the userinfo ends at the last '@',
 * the port starts at the first ':' outside brackets. */
static void split_authority(const char *a, size_t n, const char **host, size_t *hlen, const char **port,
			    size_t *plen)
{
	const char *end = a + n, *at = end, *colon = NULL;
	bool brackets = false;

	while (at > a && at[-1] != '@')
		at--;
	*host = at > a ? at : a;
	for (const char *c = *host; c < end && !colon; c++) {
		if (*c == '[')
			brackets = true;
		else if (*c == ']')
			brackets = false;
		else if (*c == ':' && !brackets)
			colon = c;
	}
	*hlen = (size_t)((colon ? colon : end) - *host);
	*port = colon ? colon + 1 : end;
	*plen = (size_t)(end - *port);
}

/* new URL(s) in Node, for an absolute URL; "//host/x" is read as if the page were http(s). */
static bool parse_whatwg(const struct cleaned *c, struct url_parts *out)
{
	const char *s = c->text, *a, *hp, *pp;
	size_t slen = scheme_length(s), at, n, hlen, plen;
	bool special;
	int port;

	if (slen >= sizeof out->scheme)
		return false;
	lower_copy(out->scheme, s, slen);
	if (slen == 0 && strncmp(s, "//", 2) != 0)
		return false;
	special = slen == 0 || special_scheme(out->scheme);
	at = slen ? slen + 1 : 0;
	if (special) {
		while (s[at] == '/' || s[at] == '\\')  /* "special authority ignore slashes" */
			at++;
	} else if (strncmp(s + at, "//", 2) == 0) {
		at += 2;
	} else {
		return false;  /* an opaque path ("mailto:x@example.com"): no host */
	}
	a = s + at;
	n = special ? strcspn(a, "/?#\\") : strcspn(a, "/?#");
	out->path_offset = input_offset(c, at + n);
	split_authority(a, n, &hp, &hlen, &pp, &plen);
	if ((port = parse_port(pp, plen)) < 0)
		return false;
	if (special ? (hlen && hp[0] == '[' ? !whatwg_ipv6(hp, hlen, out->host, sizeof out->host)
					    : !whatwg_domain(hp, hlen, out->host, sizeof out->host))
		    : !opaque_host(hp, hlen, out->host, sizeof out->host))
		return false;
	out->port = port ? port : url_default_port(out->scheme);
	return true;
}

/* Python's hostname: lower-cased up to the first '%' (urllib.parse treats the rest as an
 * IPv6 zone, wherever it is), anything else kept; a non-ASCII name in its xn-- form. */
static bool python_name(const char *h, size_t n, char *out, size_t outlen)
{
	const char *pct = memchr(h, '%', n);

	if (n == 0 || n >= outlen)
		return false;
	lower_copy(out, h, pct ? (size_t)(pct - h) : n);
	if (pct) {
		memcpy(out + (pct - h), pct, n - (size_t)(pct - h));
		out[n] = '\0';
	}
	return !has_non_ascii(out) || to_ascii(out, outlen, IDN2_TRANSITIONAL);
}

/* urllib.parse.urlsplit(s).hostname and .port, Python 3.12: the scheme up to the first ':',
 * a netloc only after "//" and up to '/', '?' or '#' (a backslash is an ordinary byte), the
 * host after the last '@' up to ':' or inside brackets, lower-cased, percent escapes kept.
 * The zone of "[fe80::1%eth0]" is dropped here. IDNs are written in their xn-- form, as the
 * socket layer's idna encoding does before it resolves them. */
static bool parse_python(const struct cleaned *c, struct url_parts *out)
{
	const char *s = c->text, *colon = strchr(s, ':'), *a, *hp, *pp, *close;
	size_t slen = 0, at, n, hlen, plen;
	int port;

	if (colon && colon > s && isalpha((unsigned char)s[0]) &&
	    strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.") == (size_t)(colon - s))
		slen = (size_t)(colon - s);
	if (slen >= sizeof out->scheme)
		return false;
	lower_copy(out->scheme, s, slen);
	at = slen ? slen + 1 : 0;
	if (strncmp(s + at, "//", 2) != 0)
		return false;
	at += 2;
	a = s + at;
	n = strcspn(a, "/?#");
	out->path_offset = input_offset(c, at + n);
	if ((memchr(a, '[', n) != NULL) != (memchr(a, ']', n) != NULL))
		return false;  /* "Invalid IPv6 URL" */
	split_authority(a, n, &hp, &hlen, &pp, &plen);
	if (hlen && hp[0] == '[') {
		char inner[64];
		unsigned char addr[16];
		close = memchr(hp, ']', (size_t)(a + n - hp));
		hlen = close ? (size_t)(close - hp - 1) : 0;
		if (!close || hlen >= sizeof inner)
			return false;
		memcpy(inner, hp + 1, hlen);
		inner[hlen] = '\0';
		inner[strcspn(inner, "%")] = '\0';
		if (inet_pton(AF_INET6, inner, addr) != 1)
			return false;  /* urlsplit checks a bracketed host since 3.11 */
		lower_copy(out->host, inner, strlen(inner));
		pp = close[1] == ':' ? close + 2 : a + n;
		plen = (size_t)(a + n - pp);
	} else if (!python_name(hp, hlen, out->host, sizeof out->host)) {
		return false;
	}
	port = parse_port(pp, plen);
	out->port = port > 0 ? port : url_default_port(out->scheme);
	return true;
}

bool url_parse_as(const char *s, enum url_dialect d, struct url_parts *out)
{
	struct cleaned *c;
	bool ok;

	if (!s || !out)
		return false;
	memset(out, 0, sizeof *out);
	if (!(c = malloc(sizeof *c)))
		return false;
	ok = clean_input(s, d, c) && (d == URL_PYTHON ? parse_python(c, out) : parse_whatwg(c, out));
	if (ok) {
		size_t n = strlen(out->host);
		while (n > 0 && out->host[n - 1] == '.')
			out->host[--n] = '\0';  /* "example.com." names the same host; no trailing dot */
	}
	free(c);
	return ok && out->host[0];
}

bool url_authority_host(const char *authority, char *host, size_t len)
{
	const char *hp, *pp;
	size_t hlen, plen;

	if (!authority || !len)
		return false;
	split_authority(authority, strlen(authority), &hp, &hlen, &pp, &plen);
	if (hlen >= 2 && hp[0] == '[' && hp[hlen - 1] == ']')
		hp++, hlen -= 2;
	while (hlen > 1 && hp[hlen - 1] == '.')
		hlen--;
	if (hlen == 0 || hlen >= len)
		return false;
	lower_copy(host, hp, hlen);
	return true;
}

bool url_parse(const char *s, struct url_parts *out)
{
	return url_parse_as(s, URL_WHATWG, out);
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
