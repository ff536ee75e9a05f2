/* RFC 4648 base64/base32, hex, percent-decoding and rot13, on bounded buffers. */
#include "analyzer/decode.h"

#include <ctype.h>
#include <string.h>

static int b64_value(int c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+' || c == '-') return 62;
	if (c == '/' || c == '_') return 63;
	return -1;
}

long decode_base64(const char *in, size_t len, char *out, size_t outcap)
{
	unsigned acc = 0;
	int bits = 0;
	size_t n = 0;

	if (outcap == 0)
		return -1;

	while (len && (in[len - 1] == '=' || isspace((unsigned char)in[len - 1])))
		len--;
	for (size_t i = 0; i < len; i++) {
		int v;
		if (isspace((unsigned char)in[i]))
			continue;
		if ((v = b64_value((unsigned char)in[i])) < 0)
			return -1;
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n + 1 >= outcap)
				return -1;
			out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	if (bits >= 6)  /* a lone trailing character is not base64 */
		return -1;
	out[n] = '\0';
	return (long)n;
}

long decode_base32(const char *in, size_t len, char *out, size_t outcap)
{
	unsigned long long acc = 0;
	int bits = 0;
	size_t n = 0;

	if (outcap == 0)
		return -1;

	while (len && in[len - 1] == '=')
		len--;
	/* 8 characters carry 5 bytes: a final group of 1, 3 or 6 characters is impossible */
	if (len % 8 == 1 || len % 8 == 3 || len % 8 == 6)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int c = toupper((unsigned char)in[i]), v;
		if (c >= 'A' && c <= 'Z') v = c - 'A';
		else if (c >= '2' && c <= '7') v = c - '2' + 26;
		else return -1;
		acc = (acc << 5) | (unsigned)v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			if (n + 1 >= outcap)
				return -1;
			out[n++] = (char)((acc >> bits) & 0xff);
		}
	}
	out[n] = '\0';
	return (long)n;
}

static int hex_value(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	return -1;
}

long decode_hex(const char *in, size_t len, char *out, size_t outcap)
{
	size_t n = 0;

	if (outcap == 0)
		return -1;

	if (len % 2)
		return -1;
	for (size_t i = 0; i < len; i += 2) {
		int hi = hex_value((unsigned char)in[i]), lo = hex_value((unsigned char)in[i + 1]);
		if (hi < 0 || lo < 0 || n + 1 >= outcap)
			return -1;
		out[n++] = (char)(hi << 4 | lo);
	}
	out[n] = '\0';
	return (long)n;
}

long decode_percent(const char *in, size_t len, char *out, size_t outcap)
{
	size_t n = 0;

	if (outcap == 0)
		return -1;

	for (size_t i = 0; i < len; i++) {
		char c = in[i];
		if (c == '%' && i + 2 < len + 0 + 1 && i + 2 <= len - 1 + 1 && i + 2 < len + 1) {
			int hi = i + 1 < len ? hex_value((unsigned char)in[i + 1]) : -1;
			int lo = i + 2 < len ? hex_value((unsigned char)in[i + 2]) : -1;
			if (hi >= 0 && lo >= 0) {
				c = (char)(hi << 4 | lo);
				i += 2;
			}
		}
		if (n + 1 >= outcap)
			return -1;
		out[n++] = c;
	}
	out[n] = '\0';
	return (long)n;
}

long decode_rot13(const char *in, size_t len, char *out, size_t outcap)
{
	if (outcap == 0)
		return -1;
	if (len + 1 > outcap)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)in[i];
		if (c >= 'a' && c <= 'z')
			c = 'a' + (c - 'a' + 13) % 26;
		else if (c >= 'A' && c <= 'Z')
			c = 'A' + (c - 'A' + 13) % 26;
		out[i] = (char)c;
	}
	out[len] = '\0';
	return (long)len;
}

/* Printable text in well-formed UTF-8 (RFC 3629 section 4: no overlongs, no surrogates,
 * nothing above U+10FFFF); tab, CR and LF are the only control bytes allowed. */
bool decode_is_text(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		unsigned cp, need;
		if (c < 0x80) {
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)
				return false;
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf) { need = 1; cp = c & 0x1f; }
		else if (c >= 0xe0 && c <= 0xef) { need = 2; cp = c & 0x0f; }
		else if (c >= 0xf0 && c <= 0xf4) { need = 3; cp = c & 0x07; }
		else return false;
		if (len - i <= need)
			return false;
		for (unsigned k = 1; k <= need; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return false;
			cp = cp << 6 | (p[i + k] & 0x3f);
		}
		if ((need == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
		    (need == 3 && (cp < 0x10000 || cp > 0x10ffff)))
			return false;
		i += need + 1;
	}
	return true;
}
