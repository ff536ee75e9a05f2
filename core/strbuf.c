/* strbuf: growable capped strings. */
#include "core/strbuf.h"

#include <errno.h>
#include <unistd.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define DEFAULT_MAX ((size_t)64 << 20)

int strbuf_append(struct strbuf *b, const char *s, size_t n)
{
	size_t max = b->max ? b->max : DEFAULT_MAX;
	size_t want;
	char *p;

	if (b->len + n > max) {
		n = max - b->len;
		b->truncated = true;
	}
	want = b->len + n + 1;
	if (want > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < want)
			cap *= 2;
		p = realloc(b->s, cap);
		if (!p)
			return -1;
		b->s = p;
		b->cap = cap;
	}
	if (n)
		memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
	return 0;
}

int strbuf_puts(struct strbuf *b, const char *s)
{
	return strbuf_append(b, s, strlen(s));
}

int strbuf_putc(struct strbuf *b, char c)
{
	return strbuf_append(b, &c, 1);
}

int strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap)
{
	char small[256];
	va_list ap2;
	int n;
	char *big;
	int rc;

	va_copy(ap2, ap);
	n = vsnprintf(small, sizeof small, fmt, ap);
	if (n < 0) {
		va_end(ap2);
		return -1;
	}
	if ((size_t)n < sizeof small) {
		va_end(ap2);
		return strbuf_append(b, small, (size_t)n);
	}
	big = malloc((size_t)n + 1);
	if (!big) {
		va_end(ap2);
		return -1;
	}
	vsnprintf(big, (size_t)n + 1, fmt, ap2);
	va_end(ap2);
	rc = strbuf_append(b, big, (size_t)n);
	free(big);
	return rc;
}

int strbuf_printf(struct strbuf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = strbuf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

const char *strbuf_str(const struct strbuf *b)
{
	return b->s ? b->s : "";
}

char *strbuf_take(struct strbuf *b)
{
	char *s = b->s ? b->s : xstrdup("");
	b->s = NULL;
	b->len = b->cap = 0;
	b->truncated = false;
	return s;
}

void strbuf_free(struct strbuf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

char *xstrdup(const char *s)
{
	return s ? xstrndup(s, strlen(s)) : NULL;
}

char *xstrndup(const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	n = strnlen(s, n);  /* like strndup: never past the string's end */
	p = malloc(n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *xasprintf(const char *fmt, ...)
{
	struct strbuf b = STRBUF_INIT(0);
	va_list ap;

	va_start(ap, fmt);
	if (strbuf_vprintf(&b, fmt, ap) != 0) {
		va_end(ap);
		strbuf_free(&b);
		return NULL;
	}
	va_end(ap);
	return strbuf_take(&b);
}

char *xreadfile(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f)
		return NULL;
	buf = malloc(max + 1);
	n = buf ? fread(buf, 1, max, f) : 0;
	fclose(f);
	if (buf)
		buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

int xmkdirs(const char *path, unsigned mode)
{
	char buf[PATH_MAX];

	if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
		errno = ENAMETOOLONG;
		return -1;
	}
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, (mode_t)mode) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, (mode_t)mode) != 0 && errno != EEXIST ? -1 : 0;
}

unsigned text_line_at(const char *text, size_t off)
{
	unsigned line = 1;

	for (size_t i = 0; i < off && text[i]; i++)
		line += text[i] == '\n';
	return line;
}

unsigned text_json_key_line(const char *text, const char *key)
{
	size_t n = strlen(key);

	if (!text)
		return 0;
	for (const char *q = strchr(text, '"'); q; q = strchr(q + 1, '"')) {
		const char *after = q + 1 + n;
		if (strncmp(q + 1, key, n) != 0 || *after != '"')
			continue;
		after++;
		while (*after == ' ' || *after == '\t' || *after == '\r' || *after == '\n')
			after++;
		if (*after == ':')
			return text_line_at(text, (size_t)(q - text));
	}
	return 0;
}

int err_printf(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

int xwrite_all(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = write(fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		c += w;
		n -= (size_t)w;
	}
	return 0;
}
