/* json_read: see json_read.h. Recursive descent over RFC 8259 (section 2 to 7); ECMA-262
 * JSON.parse (section 25.5.1) decides what a duplicate key means. */
#include "core/json_read.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

struct parser {
	const char *s;
	size_t len, at;
	unsigned line;
	size_t line_start;          /* offset where the current line begins, for columns */
	enum json_dialect dialect;
	struct json_doc *doc;
	struct json_read_error *e;
	char path[JSON_READ_PATH_MAX + 4];
	size_t path_len;
};

static int fail(struct parser *p, const char *what)
{
	p->e->line = p->line;
	p->e->column = (unsigned)(p->at - p->line_start + 1);
	snprintf(p->e->what, sizeof p->e->what, "%s", what);
	return -1;
}

static int peek(const struct parser *p)
{
	return p->at < p->len ? (unsigned char)p->s[p->at] : -1;
}

static void newline(struct parser *p)
{
	p->line++;
	p->line_start = p->at + 1;
}

/* A JSONC comment at p->at; false (nothing taken) when there is none. -1 when unterminated. */
static int skip_comment(struct parser *p)
{
	if (p->dialect != JSON_JSONC || p->at + 1 >= p->len || p->s[p->at] != '/')
		return 0;
	if (p->s[p->at + 1] == '/') {
		while (p->at < p->len && p->s[p->at] != '\n')
			p->at++;
		return 1;
	}
	if (p->s[p->at + 1] != '*')
		return 0;
	for (p->at += 2; p->at + 1 < p->len; p->at++) {
		if (p->s[p->at] == '*' && p->s[p->at + 1] == '/') {
			p->at += 2;
			return 1;
		}
		if (p->s[p->at] == '\n')
			newline(p);
	}
	return fail(p, "unterminated comment");
}

/* RFC 8259 section 2: space, tab, line feed, carriage return; JSONC comments too. */
static int skip_space(struct parser *p)
{
	for (;;) {
		int c = peek(p), r;
		if (c == ' ' || c == '\t' || c == '\r' || (p->dialect == JSON_RPC && c >= 0 && c < 0x20 && c != '\n')) {
			p->at++;  /* JSON_RPC: any control byte, as cJSON took it */
		} else if (c == '\n') {
			newline(p);
			p->at++;
		} else if ((r = skip_comment(p)) != 1) {
			return r;
		}
	}
}

static int expect_literal(struct parser *p, const char *word)
{
	size_t n = strlen(word);

	if (p->len - p->at < n || memcmp(p->s + p->at, word, n) != 0)
		return fail(p, "unexpected character");
	p->at += n;
	return 0;
}

/* ---- strings ---- */

static int hex4(const struct parser *p, size_t at, unsigned *out)
{
	*out = 0;
	if (p->len - at < 4)
		return -1;
	for (size_t i = 0; i < 4; i++) {
		char c = p->s[at + i];
		unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
			     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
			     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10) : 16u;
		if (d == 16)
			return -1;
		*out = *out << 4 | d;
	}
	return 0;
}

static void put_utf8(struct strbuf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	strbuf_append(b, u, n);
}

/* A \u escape at p->at (just past the 'u'); a surrogate pair takes the next escape too, and
 * a lone surrogate becomes U+FFFD. */
static int unicode_escape(struct parser *p, struct strbuf *b)
{
	unsigned hi, lo;

	if (hex4(p, p->at, &hi) != 0)
		return fail(p, "bad \\u escape");
	p->at += 4;
	if (hi >= 0xD800 && hi <= 0xDBFF && p->len - p->at >= 6 && p->s[p->at] == '\\' && p->s[p->at + 1] == 'u' &&
	    hex4(p, p->at + 2, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
		p->at += 6;
		put_utf8(b, 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));
		return 0;
	}
	if (hi >= 0xD800 && hi <= 0xDFFF)
		p->doc->repairs.surrogates++;
	put_utf8(b, hi >= 0xD800 && hi <= 0xDFFF ? 0xFFFD : hi);
	return 0;
}

static int simple_escape(struct parser *p, struct strbuf *b)
{
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	const char *hit = p->at < p->len ? memchr(from, p->s[p->at], sizeof from - 1) : NULL;

	if (p->at < p->len && p->s[p->at] == 'u') {
		p->at++;
		return unicode_escape(p, b);
	}
	if (!hit)
		return fail(p, "bad escape in a string");
	strbuf_putc(b, to[hit - from]);
	p->at++;
	return 0;
}

/* The length of the valid UTF-8 sequence at s[0..n), or 0 (RFC 3629 section 4). */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
	size_t want = s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
		      : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;

	if (!want || n < want)
		return 0;
	for (size_t i = 1; i < want; i++)
		if ((s[i] & 0xC0) != 0x80)
			return 0;
	if ((s[0] == 0xE0 && s[1] < 0xA0) || (s[0] == 0xED && s[1] > 0x9F) || (s[0] == 0xF0 && s[1] < 0x90) ||
	    (s[0] == 0xF4 && s[1] > 0x8F))
		return 0;
	return want;
}

/* The string just read: its NULs counted and, in JSON_RPC, each made JSON_NUL_MARK. */
static int string_done(struct parser *p, struct strbuf *b)
{
	for (size_t i = 0; i < b->len; i++) {
		if (b->s[i])
			continue;
		p->doc->repairs.nuls++;
		if (p->dialect == JSON_RPC)
			b->s[i] = JSON_NUL_MARK;  /* elsewhere json_nul records it, with the true length */
	}
	return b->truncated ? fail(p, "string too long") : 0;
}

/* Decodes the string whose opening quote is at p->at into b (NUL bytes kept). */
static int read_string(struct parser *p, struct strbuf *b)
{
	p->at++;
	while (p->at < p->len) {
		unsigned char c = (unsigned char)p->s[p->at];
		size_t n;
		if (c == '"') {
			p->at++;
			return string_done(p, b);
		}
		if (c == '\\') {
			p->at++;
			if (simple_escape(p, b) != 0)
				return -1;
		} else if (c < 0x20 && p->dialect == JSON_RPC) {
			strbuf_putc(b, (char)c);  /* not JSON, but cJSON took it */
			p->at++;
		} else if (c < 0x20) {
			return fail(p, "control character in a string");
		} else if (c < 0x80) {
			strbuf_putc(b, (char)c);
			p->at++;
		} else if ((n = utf8_sequence((const unsigned char *)p->s + p->at, p->len - p->at)) != 0) {
			strbuf_append(b, p->s + p->at, n);
			p->at += n;
		} else {
			put_utf8(b, 0xFFFD);
			p->doc->repairs.bad_bytes++;
			p->at++;
		}
	}
	return fail(p, "unterminated string");
}

/* ---- paths, duplicates and NULs ---- */

static size_t path_push(struct parser *p, const char *key, size_t n)
{
	size_t was = p->path_len, room = JSON_READ_PATH_MAX - p->path_len;

	if (p->path_len > JSON_READ_PATH_MAX)
		return was;
	if (p->path_len && room)
		p->path[p->path_len++] = '.', room--;
	for (size_t i = 0; i < n && room; i++, room--)
		p->path[p->path_len++] = key[i] ? key[i] : '?';
	if (!room && n) {
		memcpy(p->path + p->path_len, "...", 3);
		p->path_len += 3;
	}
	p->path[p->path_len] = '\0';
	return was;
}

static void path_pop(struct parser *p, size_t was)
{
	p->path_len = was;
	p->path[was] = '\0';
}

static char *top_of(const char *path)
{
	const char *dot = strchr(path, '.');

	return dot ? xstrndup(path, (size_t)(dot - path)) : xstrdup(path);
}

static int record_dup(struct parser *p, unsigned line, unsigned first_line)
{
	struct json_dup d = {xstrdup(p->path), top_of(p->path), line, first_line};

	if (!d.path || !d.top || vec_push(&p->doc->dups, d) != 0) {
		free(d.path);
		free(d.top);
		return fail(p, "out of memory");
	}
	return 0;
}

static int record_nul(struct parser *p, const cJSON *item, size_t len, unsigned line, bool in_key)
{
	struct json_nul n = {xstrdup(p->path), line, in_key, item, len};

	if (!n.path || vec_push(&p->doc->nuls, n) != 0) {
		free(n.path);
		return fail(p, "out of memory");
	}
	return 0;
}

/* ---- values ---- */

static int read_value(struct parser *p, unsigned depth, cJSON **out);

/* A string value: cJSON copies up to the first NUL, so a string holding one gets its whole
 * bytes put back and is recorded. */
static int string_value(struct parser *p, cJSON **out)
{
	struct strbuf b = STRBUF_INIT(0);
	unsigned line = p->line;
	char *whole;
	int rc = -1;

	if (read_string(p, &b) != 0)
		goto out;
	if (!(*out = cJSON_CreateString(strbuf_str(&b)))) {
		fail(p, "out of memory");
		goto out;
	}
	if (memchr(strbuf_str(&b), '\0', b.len)) {
		if (!(whole = cJSON_malloc(b.len + 1))) {
			fail(p, "out of memory");
			goto out;
		}
		memcpy(whole, b.s, b.len + 1);
		cJSON_free((*out)->valuestring);
		(*out)->valuestring = whole;
		if (record_nul(p, *out, b.len, line, false) != 0)
			goto out;
	}
	rc = 0;
out:
	strbuf_free(&b);
	return rc;
}

/* RFC 8259 section 6: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static int number_value(struct parser *p, cJSON **out)
{
	size_t start = p->at;
	char buf[64];

#define DIGITS(min)                                                                             \
	do {                                                                                    \
		size_t d0 = p->at;                                                              \
		while (peek(p) >= '0' && peek(p) <= '9')                                        \
			p->at++;                                                                \
		if (p->at - d0 < (min))                                                         \
			return fail(p, "bad number");                                           \
	} while (0)
	if (peek(p) == '-')
		p->at++;
	if (peek(p) == '0')
		p->at++;
	else
		DIGITS(1);
	if (peek(p) == '.') {
		p->at++;
		DIGITS(1);
	}
	if (peek(p) == 'e' || peek(p) == 'E') {
		p->at++;
		if (peek(p) == '+' || peek(p) == '-')
			p->at++;
		DIGITS(1);
	}
#undef DIGITS
	if (p->at - start >= sizeof buf)
		return fail(p, "number too long");
	memcpy(buf, p->s + start, p->at - start);
	buf[p->at - start] = '\0';
	*out = cJSON_CreateNumber(strtod(buf, NULL));
	return *out ? 0 : fail(p, "out of memory");
}

/* The keys of the object being read, decoded, in the tree's order: cJSON's names stop at a
 * NUL, and "a\u0000" and "a" must stay two keys. */
struct seen_key {
	char *bytes;
	size_t len;
	unsigned line;
};

struct seen_keys {
	struct seen_key *items;
	size_t len, cap;
};

static void seen_free(struct seen_keys *k)
{
	for (size_t i = 0; i < k->len; i++)
		free(k->items[i].bytes);
	vec_free(k);
}

/* The key as stored in the tree: its bytes, with each NUL written as "\u0000". */
static char *stored_key(const struct strbuf *key)
{
	struct strbuf b = STRBUF_INIT(0);

	for (size_t i = 0; i < key->len; i++)
		if (key->s[i])
			strbuf_putc(&b, key->s[i]);
		else
			strbuf_puts(&b, "\\u0000");
	return b.s ? strbuf_take(&b) : xstrdup("");
}

static bool in_subtree(const cJSON *top, const cJSON *item)
{
	if (top == item)
		return true;
	for (const cJSON *c = top->child; c; c = c->next)
		if (in_subtree(c, item))
			return true;
	return false;
}

/* Forgets the NULs recorded inside old, which a later duplicate is about to replace (and
 * free): what was dropped is no longer in the tree. */
static void forget_nuls(struct json_doc *doc, const cJSON *old)
{
	size_t k = 0;

	for (size_t i = 0; i < doc->nuls.len; i++) {
		if (in_subtree(old, doc->nuls.items[i].item))
			free(doc->nuls.items[i].path);
		else
			doc->nuls.items[k++] = doc->nuls.items[i];
	}
	doc->nuls.len = k;
}

/* Puts value under key in obj as JSON.parse does (CreateDataProperty): a key seen before
 * keeps its place and takes the new value. Takes value (freed on failure). */
static int put_member(struct parser *p, cJSON *obj, struct seen_keys *seen, const struct strbuf *key,
		      cJSON *value, unsigned line)
{
	bool has_nul = key->len && memchr(key->s, '\0', key->len) != NULL;
	cJSON *old = obj->child;
	size_t i;

	for (i = 0; i < seen->len; i++, old = old->next)
		if (seen->items[i].len == key->len && memcmp(seen->items[i].bytes, strbuf_str(key), key->len) == 0)
			break;
	if (!(value->string = stored_key(key))) {
		cJSON_Delete(value);
		return fail(p, "out of memory");
	}
	if (i < seen->len) {
		unsigned first = seen->items[i].line;
		seen->items[i].line = line;
		forget_nuls(p->doc, old);
		if (!cJSON_ReplaceItemViaPointer(obj, old, value)) {
			cJSON_Delete(value);
			return fail(p, "out of memory");
		}
		return record_dup(p, line, first);
	}
	{
		struct seen_key k = {malloc(key->len + 1), key->len, line};
		if (k.bytes)
			memcpy(k.bytes, strbuf_str(key), key->len + 1);
		if (!k.bytes || vec_push(seen, k) != 0) {
			free(k.bytes);
			cJSON_Delete(value);
			return fail(p, "out of memory");
		}
	}
	cJSON_AddItemToArray(obj, value);
	return has_nul ? record_nul(p, value, key->len, line, true) : 0;
}

static int read_member(struct parser *p, unsigned depth, cJSON *obj, struct seen_keys *seen)
{
	struct strbuf key = STRBUF_INIT(0);
	unsigned line = p->line;
	cJSON *value = NULL;
	size_t was;
	int rc = -1;

	if (peek(p) != '"') {
		fail(p, "expected a key in quotes");
		goto out;
	}
	if (read_string(p, &key) != 0 || skip_space(p) != 0)
		goto out;
	if (peek(p) != ':') {
		fail(p, "expected ':'");
		goto out;
	}
	p->at++;
	was = path_push(p, strbuf_str(&key), key.len);
	if (skip_space(p) == 0 && read_value(p, depth + 1, &value) == 0)
		rc = put_member(p, obj, seen, &key, value, line);
	else
		cJSON_Delete(value);
	path_pop(p, was);
out:
	strbuf_free(&key);
	return rc;
}

/* After a member or element: ',' then another, or the closing character. JSONC allows a
 * comma before the close. Returns 1 when the container is closed, 0 for another, -1. */
static int next_or_close(struct parser *p, char close)
{
	if (skip_space(p) != 0)
		return -1;
	if (peek(p) == close) {
		p->at++;
		return 1;
	}
	if (peek(p) != ',')
		return fail(p, close == '}' ? "expected ',' or '}'" : "expected ',' or ']'");
	p->at++;
	if (skip_space(p) != 0)
		return -1;
	if (p->dialect == JSON_JSONC && peek(p) == close) {
		p->at++;
		return 1;
	}
	return 0;
}

static int read_object(struct parser *p, unsigned depth, cJSON **out)
{
	struct seen_keys seen = {0};
	int r = 0;

	if (!(*out = cJSON_CreateObject()))
		return fail(p, "out of memory");
	p->at++;
	if (skip_space(p) != 0)
		r = -1;
	else if (peek(p) == '}')
		p->at++, r = 1;
	while (r == 0 && (r = read_member(p, depth, *out, &seen)) == 0)
		r = next_or_close(p, '}');
	seen_free(&seen);
	return r < 0 ? -1 : 0;
}

static int read_array(struct parser *p, unsigned depth, cJSON **out)
{
	size_t index = 0;
	int r = 0;

	if (!(*out = cJSON_CreateArray()))
		return fail(p, "out of memory");
	p->at++;
	if (skip_space(p) != 0)
		r = -1;
	else if (peek(p) == ']')
		p->at++, r = 1;
	while (r == 0) {
		char num[24];
		int n = snprintf(num, sizeof num, "%zu", index++);
		size_t was = path_push(p, num, (size_t)n);
		cJSON *item = NULL;
		r = read_value(p, depth + 1, &item);
		path_pop(p, was);
		if (r == 0)
			cJSON_AddItemToArray(*out, item);
		else
			cJSON_Delete(item);
		if (r == 0)
			r = next_or_close(p, ']');
	}
	return r < 0 ? -1 : 0;
}

/* JSON_RPC: the array or object at p->at, past the cap, stepped over without recursion
 * (strings and brackets only: its inside is not checked) and read as null. */
static int skip_deep(struct parser *p, cJSON **out)
{
	size_t depth = 0;
	bool in_string = false;

	for (; p->at < p->len; p->at++) {
		char c = p->s[p->at];
		if (c == '\n')
			newline(p);
		if (in_string) {
			if (c == '\\')
				p->at++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == '{') {
			depth++;
		} else if ((c == ']' || c == '}') && --depth == 0) {
			p->at++;
			p->doc->repairs.deep_values++;
			*out = cJSON_CreateNull();
			return *out ? 0 : fail(p, "out of memory");
		}
	}
	return fail(p, "unexpected end of the text");
}

/* One value at p->at (space already skipped) into *out; on failure *out may hold a part
 * of the tree, which the caller frees. */
static int read_value(struct parser *p, unsigned depth, cJSON **out)
{
	int c = peek(p);
	unsigned cap = p->doc->max_depth ? p->doc->max_depth : JSON_RPC_MAX_DEPTH;

	*out = NULL;
	if (p->dialect == JSON_RPC && (c == '[' || c == '{') && depth >= cap)
		return skip_deep(p, out);
	if (depth > JSON_READ_MAX_DEPTH)
		return fail(p, "nested too deeply");
	if (c == '{')
		return read_object(p, depth, out);
	if (c == '[')
		return read_array(p, depth, out);
	if (c == '"')
		return string_value(p, out);
	if (c == '-' || (c >= '0' && c <= '9'))
		return number_value(p, out);
	if (c == 't' || c == 'f' || c == 'n') {
		const char *word = c == 't' ? "true" : c == 'f' ? "false" : "null";
		if (expect_literal(p, word) != 0)
			return -1;
		*out = c == 'n' ? cJSON_CreateNull() : cJSON_CreateBool(c == 't');
		return *out ? 0 : fail(p, "out of memory");
	}
	return fail(p, c < 0 ? "unexpected end of the text" : "unexpected character");
}

int json_read(const char *text, size_t len, enum json_dialect dialect, struct json_doc *doc,
	      struct json_read_error *e)
{
	struct parser p = {.s = text, .len = len, .line = 1, .dialect = dialect, .doc = doc, .e = e};
	cJSON *root = NULL;

	memset(e, 0, sizeof *e);
	/* npm (json-parse-even-better-errors) and Node's require strip a byte order mark */
	if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		p.at = 3;
	if (skip_space(&p) != 0 || read_value(&p, 0, &root) != 0 || skip_space(&p) != 0)
		goto fail;
	if (p.at != len && dialect != JSON_RPC) {  /* cJSON ignored what followed a message */
		fail(&p, "text after the JSON value");
		goto fail;
	}
	doc->root = root;
	return 0;
fail:
	cJSON_Delete(root);
	json_doc_free(doc);
	return -1;
}

void json_doc_free(struct json_doc *doc)
{
	if (!doc)
		return;
	cJSON_Delete(doc->root);
	for (size_t i = 0; i < doc->dups.len; i++) {
		free(doc->dups.items[i].path);
		free(doc->dups.items[i].top);
	}
	for (size_t i = 0; i < doc->nuls.len; i++)
		free(doc->nuls.items[i].path);
	vec_free(&doc->dups);
	vec_free(&doc->nuls);
	doc->root = NULL;
}

cJSON *json_read_tree(const char *text, size_t len, enum json_dialect dialect)
{
	struct json_doc doc = {0};
	struct json_read_error e;
	cJSON *root;

	if (!text || json_read(text, len, dialect, &doc, &e) != 0)
		return NULL;
	root = doc.root;
	doc.root = NULL;
	json_doc_free(&doc);
	return root;
}

size_t json_string_length(const struct json_doc *doc, const cJSON *item)
{
	if (!cJSON_IsString(item) || !item->valuestring)
		return 0;
	for (size_t i = 0; i < doc->nuls.len; i++)
		if (doc->nuls.items[i].item == item && !doc->nuls.items[i].in_key)
			return doc->nuls.items[i].len;
	return strlen(item->valuestring);
}

cJSON *json_read_message(const char *text, size_t len, unsigned max_depth, struct json_repairs *repairs)
{
	struct json_doc doc = {.max_depth = max_depth};
	struct json_read_error e;
	cJSON *root = NULL;

	if (text && json_read(text, len, JSON_RPC, &doc, &e) == 0) {
		root = doc.root;
		doc.root = NULL;
	}
	if (repairs) {
		repairs->surrogates += doc.repairs.surrogates;
		repairs->bad_bytes += doc.repairs.bad_bytes;
		repairs->nuls += doc.repairs.nuls;
		repairs->deep_values += doc.repairs.deep_values;
	}
	json_doc_free(&doc);
	return root;
}

char *json_unmark(const char *s)
{
	struct strbuf b = STRBUF_INIT(0);
	const char *mark;
	int rc = 0;

	if (!s)
		return NULL;
	if (!strchr(s, JSON_NUL_MARK))
		return xstrdup(s);
	while (rc == 0 && (mark = strchr(s, JSON_NUL_MARK))) {
		rc = strbuf_append(&b, s, (size_t)(mark - s)) | strbuf_puts(&b, "\\u0000");
		s = mark + 1;
	}
	if (rc != 0 || strbuf_puts(&b, s) != 0) {
		strbuf_free(&b);
		return NULL;
	}
	return strbuf_take(&b);
}
