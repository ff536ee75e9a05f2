/* A growable, capped, always NUL-terminated string buffer (cf. curl's dynbuf). */
#ifndef MCPAUDIT_STRBUF_H
#define MCPAUDIT_STRBUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *s;          /* NUL-terminated; NULL until the first append */
	size_t len, cap;
	size_t max;       /* hard cap on len; 0 means 64 MiB */
	bool truncated;   /* an append hit max: the text was cut, not lost silently */
};

#define STRBUF_INIT(maxlen) {NULL, 0, 0, (maxlen), false}

/* Appends return 0, or -1 on allocation failure. Hitting max is not an
 * error: the text is cut at max and truncated is set. */
int strbuf_append(struct strbuf *b, const char *s, size_t n);
int strbuf_puts(struct strbuf *b, const char *s);
int strbuf_putc(struct strbuf *b, char c);
int strbuf_printf(struct strbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int strbuf_vprintf(struct strbuf *b, const char *fmt, va_list ap);
/* The string, never NULL ("" when empty). Borrowed until the next append or free. */
const char *strbuf_str(const struct strbuf *b);
/* Hand the string to the caller (caller frees with free); the buffer is reset. */
char *strbuf_take(struct strbuf *b);
void strbuf_free(struct strbuf *b);

/* Small string helpers. Caller frees the results with free; NULL in, NULL out. */
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* An error message into err (cut to errlen, never fails). Returns -1, so that a failing
 * function can end with `return err_printf(err, errlen, ...)`. */
int err_printf(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The 1-based line of text that byte offset off is on. */
unsigned text_line_at(const char *text, size_t off);
/* The line where the JSON key "key" (a quoted string followed by ':') first appears, or 0:
 * cJSON keeps no positions, and a reader needs the line. */
unsigned text_json_key_line(const char *text, const char *key);

/* The first max bytes of the file at path, NUL-terminated (len, when not NULL, gets the
 * count). NULL when it cannot be opened or memory runs out. */
char *xreadfile(const char *path, size_t max, size_t *len);

/* mkdir -p: path and every missing folder above it, made with mode. Returns 0, or -1 with
 * errno set (a name too long is ENAMETOOLONG). */
int xmkdirs(const char *path, unsigned mode);

/* All n bytes of p to fd, again after EINTR and short writes. Returns 0, or -1 (errno set
 * by write, or 0 when write wrote nothing). Only write(2): safe in a forked child. */
int xwrite_all(int fd, const void *p, size_t n);

#endif
