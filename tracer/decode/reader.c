/* reader: the out-of-line part of the bounded reader (printable copies of untrusted bytes). */
#include "tracer/decode/reader.h"

bool reader_escape(const uint8_t *p, size_t n, char *out, size_t out_size)
{
	static const char hex[] = "0123456789abcdef";
	size_t o = 0;
	bool fits = true;

	if (out_size == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		uint8_t c = p[i];
		bool plain = c >= 0x20 && c < 0x7f && c != '\\';
		size_t want = plain ? 1 : 4;
		if (o + want >= out_size) {
			fits = false;
			break;
		}
		if (plain) {
			out[o++] = (char)c;
			continue;
		}
		out[o++] = '\\';
		out[o++] = 'x';
		out[o++] = hex[c >> 4];
		out[o++] = hex[c & 15];
	}
	out[o] = '\0';
	return fits;
}

bool reader_text(struct reader *r, size_t n, char *out, size_t out_size)
{
	const uint8_t *b = reader_bytes(r, n);
	if (!b) {
		if (out_size)
			out[0] = '\0';
		return false;
	}
	return reader_escape(b, n, out, out_size);
}
