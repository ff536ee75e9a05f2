/* json_clean: rewrite untrusted JSON text so cJSON parses it whole (RFC 8259 section 7 for
 * string escapes; RFC 3629 for UTF-8). A scanner, not a parser: it only tracks strings and
 * bracket depth, so what it does not understand it leaves for cJSON to refuse. */
#include "tracer/json_clean.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT_UTF8 "\xef\xbf\xbd" /* U+FFFD */

struct cleaner {
	const unsigned char *p;
	size_t len;
	struct strbuf *out;
	struct json_clean_stats *st;
	int rc;
};

static void emit(struct cleaner *c, const void *s, size_t n)
{
	if (c->rc == 0 && strbuf_append(c->out, s, n) < 0)
		c->rc = -1;
}

static int hex_digit(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* The code unit of "\uXXXX" at p[i] (bounded by len); false when it is not one. */
static bool u_escape(const unsigned char *p, size_t len, size_t i, unsigned *cu)
{
	unsigned v = 0;

	if (i + 6 > len || p[i] != '\\' || p[i + 1] != 'u')
		return false;
	for (size_t k = 2; k < 6; k++) {
		int d = hex_digit(p[i + k]);
		if (d < 0)
			return false;
		v = v << 4 | (unsigned)d;
	}
	*cu = v;
	return true;
}

/* One "\uXXXX" at p[i] (known to be one): the bytes it becomes; returns its length in the input. */
static size_t clean_escape(struct cleaner *c, size_t i, unsigned cu)
{
	unsigned lo;

	if (cu == 0) {
		/* cJSON would end the string here: a mark json_clean_unmark turns back */
		emit(c, "\xff", 1);
		c->st->nuls++;
		return 6;
	}
	if (cu >= 0xd800 && cu <= 0xdbff && u_escape(c->p, c->len, i + 6, &lo) && lo >= 0xdc00 && lo <= 0xdfff) {
		emit(c, c->p + i, 12);  /* a proper pair */
		return 12;
	}
	if (cu >= 0xd800 && cu <= 0xdfff) {
		emit(c, "\\ufffd", 6);
		c->st->surrogates++;
		return 6;
	}
	emit(c, c->p + i, 6);
	return 6;
}

/* The string literal opening at p[i]; returns the index after it. */
static size_t clean_string(struct cleaner *c, size_t i)
{
	const unsigned char *p = c->p;
	unsigned cu;

	emit(c, "\"", 1);
	for (i++; i < c->len && c->rc == 0;) {
		size_t run = i;
		while (run < c->len && p[run] != '"' && p[run] != '\\' && p[run] != 0xff && p[run] != 0)
			run++;
		emit(c, p + i, run - i);
		i = run;
		if (i >= c->len)
			break;
		if (p[i] == '"') {
			emit(c, "\"", 1);
			return i + 1;
		}
		if (p[i] == 0xff) {
			emit(c, REPLACEMENT_UTF8, 3);
			c->st->bad_bytes++;
			i++;
		} else if (p[i] == 0) {
			/* not JSON, but cJSON takes it, and would end the string there */
			emit(c, "\xff", 1);
			c->st->nuls++;
			i++;
		} else if (u_escape(p, c->len, i, &cu)) {
			i += clean_escape(c, i, cu);
		} else {
			size_t n = i + 1 < c->len ? 2 : 1;  /* "\n", "\"", or a bad escape cJSON refuses */
			emit(c, p + i, n);
			i += n;
		}
	}
	return c->len;
}

/* The array or object opening at p[i], not looked into; returns the index after it. */
static size_t skip_value(const unsigned char *p, size_t len, size_t i)
{
	size_t depth = 0;
	bool in_string = false;

	for (; i < len; i++) {
		if (in_string) {
			if (p[i] == '\\')
				i++;
			else if (p[i] == '"')
				in_string = false;
		} else if (p[i] == '"') {
			in_string = true;
		} else if (p[i] == '[' || p[i] == '{') {
			depth++;
		} else if ((p[i] == ']' || p[i] == '}') && --depth == 0) {
			return i + 1;
		}
	}
	return len;
}

static bool structural(unsigned char ch)
{
	return ch == '"' || ch == '[' || ch == ']' || ch == '{' || ch == '}';
}

int json_clean(const char *text, size_t len, unsigned max_depth, struct strbuf *out, struct json_clean_stats *st)
{
	struct cleaner c = {(const unsigned char *)text, len, out, st, 0};
	unsigned depth = 0;

	for (size_t i = 0; i < len && c.rc == 0;) {
		unsigned char ch = c.p[i];
		size_t run = i;
		if (ch == '"') {
			i = clean_string(&c, i);
		} else if ((ch == '[' || ch == '{') && depth >= max_depth) {
			i = skip_value(c.p, len, i);
			emit(&c, "null", 4);
			st->deep_values++;
		} else if (ch == '[' || ch == '{' || ch == ']' || ch == '}') {
			depth = ch == '[' || ch == '{' ? depth + 1 : depth ? depth - 1 : 0;
			emit(&c, &ch, 1);
			i++;
		} else {
			while (run < len && !structural(c.p[run]))
				run++;
			emit(&c, c.p + i, run - i);
			i = run;
		}
	}
	return c.rc;
}

cJSON *json_clean_parse(const char *text, size_t len, unsigned max_depth, struct json_clean_stats *st)
{
	struct strbuf b = STRBUF_INIT(0);
	cJSON *v = NULL;

	if (json_clean(text, len, max_depth, &b, st) == 0 && !b.truncated)
		v = cJSON_ParseWithLength(strbuf_str(&b), b.len);
	strbuf_free(&b);
	return v;
}

char *json_clean_unmark(const char *s)
{
	struct strbuf b = STRBUF_INIT(0);
	const char *mark;
	int rc = 0;

	if (!s)
		return NULL;
	if (!strchr(s, JSON_CLEAN_NUL))
		return xstrdup(s);
	while (rc == 0 && (mark = strchr(s, JSON_CLEAN_NUL))) {
		rc = strbuf_append(&b, s, (size_t)(mark - s)) | strbuf_puts(&b, "\\u0000");
		s = mark + 1;
	}
	if (rc != 0 || strbuf_puts(&b, s) != 0) {
		strbuf_free(&b);
		return NULL;
	}
	return strbuf_take(&b);
}
