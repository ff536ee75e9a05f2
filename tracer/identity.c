/* identity: see identity.h. */
#include "tracer/identity.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define FORM_MAX 128
#define FORM_MIN 6

static void hex(const char *v, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)v; *p && n + 2 < FORM_MAX; p++) {
		out[n++] = digits[*p >> 4];
		out[n++] = digits[*p & 15];
	}
	out[n] = '\0';
}

/* RFC 4648 base32 or base64 without padding, lower-cased; bits per character 5 or 6. */
static void base_n(const char *v, const char *alphabet, unsigned bits, char *out)
{
	unsigned long acc = 0;
	unsigned have = 0;
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)v; *p && n + 3 < FORM_MAX; p++) {
		acc = (acc << 8) | *p;
		have += 8;
		while (have >= bits) {
			have -= bits;
			out[n++] = (char)tolower((unsigned char)alphabet[(acc >> have) & ((1u << bits) - 1)]);
		}
	}
	if (have)
		out[n++] = (char)tolower((unsigned char)alphabet[(acc << (bits - have)) & ((1u << bits) - 1)]);
	out[n] = '\0';
}

/* The labels joined, lower-cased. */
static void joined(const char *name, char *out, size_t len)
{
	size_t n = 0;

	for (const char *p = name; *p && n + 1 < len; p++)
		if (*p != '.')
			out[n++] = (char)tolower((unsigned char)*p);
	out[n] = '\0';
}

static bool whole_label(const char *name, const char *v)
{
	size_t n = strlen(v);

	for (const char *p = name; p && *p; p = strchr(p, '.') ? strchr(p, '.') + 1 : NULL)
		if (!strncasecmp(p, v, n) && (p[n] == '.' || p[n] == '\0'))
			return true;
	return false;
}

bool identity_in_dns_name(const char *name, const char *const *values, size_t n, size_t *which,
			  const char **encoding)
{
	char all[512], form[FORM_MAX];

	joined(name, all, sizeof all);
	for (size_t i = 0; i < n; i++) {
		const char *v = values[i];
		if (!v || !*v)
			continue;
		*which = i;
		if (whole_label(name, v)) {
			*encoding = "plain";
			return true;
		}
		hex(v, form);
		if (strlen(form) >= FORM_MIN && strstr(all, form)) {
			*encoding = "hex";
			return true;
		}
		base_n(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", 5, form);
		if (strlen(form) >= FORM_MIN && strstr(all, form)) {
			*encoding = "base32";
			return true;
		}
		base_n(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/", 6, form);
		/* the last character carries padding bits a different tail changes: leave it out */
		form[strlen(form) > 0 ? strlen(form) - 1 : 0] = '\0';
		if (strlen(form) >= FORM_MIN && strstr(all, form)) {
			*encoding = "base64";
			return true;
		}
	}
	return false;
}
