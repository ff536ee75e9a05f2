/* channels: the list of path-qualified exfiltration channels and matching a request against it. */
#include "core/channels.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/embedded.h"
#include "core/strbuf.h"

#define LINE_MAX_LEN 1024

/* Whether path starts with pattern, '*' matching any run of characters other than '/'. */
static bool prefix_match(const char *pattern, const char *path)
{
	for (; *pattern; pattern++) {
		if (*pattern == '*') {
			/* shortest run first, then longer, never across a '/' */
			for (;; path++) {
				if (prefix_match(pattern + 1, path))
					return true;
				if (!*path || *path == '/')
					return false;
			}
		}
		if (*pattern != *path)
			return false;
		path++;
	}
	return true;
}

/* "https://host:8443/a?b" -> "/a?b"; a path already is one; "" for neither. */
static const char *path_part(const char *target)
{
	const char *scheme = strstr(target, "://");

	if (target[0] == '/' || !scheme)
		return target;
	target = scheme + 3;
	target += strcspn(target, "/");
	return target;
}

static int hex_value(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* The path as a server routes it: unreserved characters percent-decoded (RFC 3986 section
 * 6.2.2.2), empty segments collapsed and dot segments removed (section 5.2.4), so that
 * "/api//webhooks", "/api/./webhooks" and "/%61pi/webhooks" are "/api/webhooks". Stops at
 * the query. out has CHANNEL_PATH_MAX * 4 bytes; a longer path is cut. */
static void normalise(const char *path, char *out, size_t cap)
{
	size_t n = 0;

	for (const char *p = path; *p && *p != '?' && *p != '#' && n + 1 < cap; p++) {
		char c = *p;
		if (c == '%' && hex_value(p[1]) >= 0 && hex_value(p[2]) >= 0) {
			char d = (char)(hex_value(p[1]) * 16 + hex_value(p[2]));
			if ((d >= '0' && d <= '9') || (d >= 'a' && d <= 'z') || (d >= 'A' && d <= 'Z') || strchr("-._~", d)) {
				c = d;
				p += 2;
			}
		}
		out[n++] = c;
		out[n] = '\0';
		if (n >= 2 && out[n - 1] == '/' && out[n - 2] == '/')
			n--; /* "//" */
		else if (n >= 3 && !strcmp(out + n - 3, "/./"))
			n -= 2;
		else if (n >= 4 && !strcmp(out + n - 4, "/../")) {
			n -= 4;
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n == 0)
				out[n++] = '/';
		}
	}
	out[n] = '\0';
}

static void channel_clear(struct exfil_channel *ch)
{
	host_pattern_free(&ch->host);
	free(ch->path);
	free(ch->source);
}

static int parse_line(struct channels *out, char *line, unsigned lineno, char *err, size_t errlen)
{
	char host[300], path[CHANNEL_PATH_MAX], source[LINE_MAX_LEN], extra[2], why[200] = "", where[64];
	struct exfil_channel ch = {.line = lineno};
	int n;

	for (char *p = line; *p; p++)  /* a comment, not a URL's fragment */
		if (*p == '#' && (p == line || p[-1] == ' ' || p[-1] == '\t')) {
			*p = '\0';
			break;
		}
	n = sscanf(line, "%299s %255s %1023s %1s", host, path, source, extra);
	if (n <= 0)
		return 0;
	if (n != 3 || path[0] != '/' || strncmp(source, "https://", 8) != 0) {
		snprintf(err, errlen, "%s:%u: expected 'HOST /PATH https://SOURCE'", CHANNELS_LIST, lineno);
		return -1;
	}
	snprintf(where, sizeof where, "%s:%u", CHANNELS_LIST, lineno);
	if (host_pattern_parse(host, where, &ch.host, why, sizeof why) != 0 ||
	    (ch.host.kind != HP_EXACT && ch.host.kind != HP_WILDCARD) || ch.host.port) {
		if (!why[0] || ch.host.kind == HP_EXACT || ch.host.kind == HP_WILDCARD)
			snprintf(why, sizeof why, "a name or *.suffix without a port");
		host_pattern_free(&ch.host);
		snprintf(err, errlen, "%s: %s", where, why);
		return -1;
	}
	ch.path = xstrdup(path);
	ch.source = xstrdup(source);
	if (!ch.path || !ch.source || vec_push(&out->items, ch) != 0) {
		channel_clear(&ch);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

int channels_load(const char *text, size_t len, struct channels *out, char *err, size_t errlen)
{
	unsigned lineno = 0;

	memset(out, 0, sizeof *out);
	if (!text) {
		const struct embedded_file *f = embedded_find(embedded_data, CHANNELS_LIST);
		if (!f) {
			snprintf(err, errlen, "%s is not built in", CHANNELS_LIST);
			return -1;
		}
		text = (const char *)f->bytes;
		len = f->len;
	}
	for (const char *p = text, *end = text + len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((nl ? nl : end) - p);
		char line[LINE_MAX_LEN];
		lineno++;
		if (n >= sizeof line) {
			snprintf(err, errlen, "%s:%u: line longer than %d bytes", CHANNELS_LIST, lineno, LINE_MAX_LEN - 1);
			goto fail;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		if (parse_line(out, line, lineno, err, errlen) != 0)
			goto fail;
		p += n + 1;
	}
	return 0;
fail:
	channels_free(out);
	return -1;
}

void channels_free(struct channels *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->items.len; i++)
		channel_clear(&c->items.items[i]);
	vec_free(&c->items);
}

const struct exfil_channel *channels_match(const struct channels *c, const char *host, const char *path)
{
	char norm[CHANNEL_PATH_MAX * 4];

	if (!host || !path)
		return NULL;
	normalise(path_part(path), norm, sizeof norm);
	for (size_t i = 0; i < c->items.len; i++)
		if (host_pattern_match(&c->items.items[i].host, host, 0) && prefix_match(c->items.items[i].path, norm))
			return &c->items.items[i];
	return NULL;
}

const struct exfil_channel *channels_on_host(const struct channels *c, const char *host)
{
	for (size_t i = 0; host && i < c->items.len; i++)
		if (host_pattern_match(&c->items.items[i].host, host, 0))
			return &c->items.items[i];
	return NULL;
}
