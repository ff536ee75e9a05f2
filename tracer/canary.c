/* canary: per-run random credentials in each service's real format (the list is
 * core/data/canaries.txt), and a one-pass search for them in every encoding a thief
 * might use (RFC 4648 base64, base64url, base32 and base16; RFC 3986 percent-encoding). */
#include "tracer/canary.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/embedded.h"
#include "core/own_service.h"
#include "core/strbuf.h"

#define LIST_NAME "core/data/canaries.txt"
#define MAX_LINE 1024
#define MAX_WRAP 4096

/* ------------------------------------------------------------- randomness */

/* Bytes from getrandom(2), fetched in blocks; failed is sticky. */
struct rng {
	uint8_t buf[256];
	size_t pos;
	bool failed;
};

static uint8_t rng_byte(struct rng *r)
{
	if (r->pos == 0 || r->pos == sizeof r->buf) {
		ssize_t n;
		do {
			n = getrandom(r->buf, sizeof r->buf, 0);
		} while (n < 0 && errno == EINTR);
		if (n != (ssize_t)sizeof r->buf)
			r->failed = true;
		r->pos = 0;
	}
	return r->buf[r->pos++];
}

/* A uniform number below n (1..256), by rejection sampling: no modulo bias. */
static unsigned rng_below(struct rng *r, unsigned n)
{
	unsigned limit = 256 - 256 % n;

	for (;;) {
		uint8_t b = rng_byte(r);
		if (b < limit || r->failed)
			return b % n;
	}
}

/* A uniform character of alphabet. */
static char rng_char(struct rng *r, const char *alphabet, size_t n)
{
	return alphabet[rng_below(r, (unsigned)n)];
}

/* ------------------------------------------------------------- formats */

static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
static const char b64_std[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
static const char b64_url[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static const struct {
	const char *name;
	const char *chars;
} classes[] = {
	{"base62", base62},
	{"base32", b32},
	{"base64", b64_std},
	{"url", b64_url},
	{"hex", "0123456789abcdef"},
	{"HEX", "0123456789ABCDEF"},
	{"digit", "0123456789"},
	{"lower", "abcdefghijklmnopqrstuvwxyz0123456789"},
	{"upper", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"},
	{"alpha", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"},
};

/* CRC-32/ISO-HDLC (zlib's crc32), bitwise: a handful of short tokens need no table. */
static uint32_t crc32_of(const char *p, size_t n)
{
	uint32_t crc = 0xFFFFFFFFu;

	for (size_t i = 0; i < n; i++) {
		crc ^= (uint8_t)p[i];
		for (int k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
	}
	return ~crc;
}

void canary_checksum6(const char *body, size_t len, char out[7])
{
	uint32_t v = crc32_of(body, len);

	for (int i = 5; i >= 0; i--) {
		out[i] = base62[v % 62];
		v /= 62;
	}
	out[6] = '\0';
}

/* Expand a token template ("ghp_{base62:30}{crc32}") into value/core. Returns 0, or -1
 * with err set. */
static int expand_token(const char *tmpl, struct rng *r, struct canary *c, char *err, size_t errlen)
{
	struct strbuf v = STRBUF_INIT(CANARY_MAX_VALUE), rnd = STRBUF_INIT(CANARY_MAX_VALUE);
	bool seen_random = false;
	int rc = -1;

	for (const char *p = tmpl; *p;) {
		const char *close;
		char cls[16];
		unsigned long n = 0;
		size_t k;
		if (*p != '{') {
			strbuf_putc(&v, *p++);
			continue;
		}
		if (!seen_random)
			c->core = v.len;
		seen_random = true;
		close = strchr(p, '}');
		if (!close) {
			snprintf(err, errlen, "'{' without '}'");
			goto out;
		}
		if (close - p == 6 && strncmp(p, "{crc32}", 7) == 0) {
			char sum[7];
			canary_checksum6(strbuf_str(&rnd), rnd.len, sum);
			strbuf_puts(&v, sum);
			c->core_end = v.len;
			p = close + 1;
			continue;
		}
		if (sscanf(p, "{%15[A-Za-z0-9]:%lu}", cls, &n) != 2 || n == 0 || n > CANARY_MAX_VALUE) {
			snprintf(err, errlen, "bad placeholder '%.*s'", (int)(close - p + 1), p);
			goto out;
		}
		for (k = 0; k < sizeof classes / sizeof *classes && strcmp(classes[k].name, cls) != 0; k++)
			;
		if (k == sizeof classes / sizeof *classes) {
			snprintf(err, errlen, "unknown class '%s'", cls);
			goto out;
		}
		for (unsigned long i = 0; i < n; i++) {
			char ch = rng_char(r, classes[k].chars, strlen(classes[k].chars));
			strbuf_putc(&v, ch);
			strbuf_putc(&rnd, ch);
		}
		c->core_end = v.len;
		p = close + 1;
	}
	if (v.truncated || v.len == 0) {
		snprintf(err, errlen, "a value must be 1 to %d bytes", CANARY_MAX_VALUE);
		goto out;
	}
	if (!seen_random) {
		c->core = 0;
		c->core_end = v.len;
	}
	c->len = v.len;
	c->value = strbuf_take(&v);
	rc = c->value ? 0 : -1;
	if (rc)
		snprintf(err, errlen, "out of memory");
out:
	strbuf_free(&v);
	strbuf_free(&rnd);
	return rc;
}

/* ------------------------------------------------------------- encodings */

/* Bits-per-character encoding (6: base64, 5: base32) of whole groups of p; no padding. */
static void encode_bits(struct strbuf *out, const uint8_t *p, size_t n, const char *alphabet, int bits)
{
	uint32_t acc = 0;
	int have = 0;

	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | p[i];
		have += 8;
		while (have >= bits) {
			have -= bits;
			strbuf_putc(out, alphabet[(acc >> have) & ((1u << bits) - 1)]);
		}
	}
	if (have > 0)
		strbuf_putc(out, alphabet[(acc << (bits - have)) & ((1u << bits) - 1)]);
}

static char *base64_padded(const char *a, const char *b)
{
	struct strbuf in = STRBUF_INIT(CANARY_MAX_FILE), out = STRBUF_INIT(CANARY_MAX_FILE);

	strbuf_puts(&in, a);
	strbuf_puts(&in, b);
	encode_bits(&out, (const uint8_t *)strbuf_str(&in), in.len, b64_std, 6);
	while (out.len % 4)
		strbuf_putc(&out, '=');
	strbuf_free(&in);
	return strbuf_take(&out);
}

/* ------------------------------------------------------------- the list */

/* An "extra VARIABLE NAME" line: a variable the run may or may not get. */
struct extra {
	char *variable;
	char *token;
	unsigned line;
};

struct parser {
	struct canary_set *set;
	VEC(struct extra) extras;  /* the pool the next "extras" line draws from */
	struct rng rng;
	unsigned line;
	/* the file block being read */
	bool in_file;
	unsigned file_line;
	struct canary_file file;
	struct strbuf body;
	char *err;
	size_t errlen;
};

static int fail(struct parser *ps, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int fail(struct parser *ps, unsigned line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	snprintf(ps->err, ps->errlen, "%s: line %u: %s", LIST_NAME, line, msg);
	return -1;
}

static struct canary *find_mut(struct canary_set *set, const char *name, size_t n)
{
	for (size_t i = 0; i < set->canaries.len; i++)
		if (strlen(set->canaries.items[i].name) == n && strncmp(set->canaries.items[i].name, name, n) == 0)
			return &set->canaries.items[i];
	return NULL;
}

const struct canary *canary_find(const struct canary_set *set, const char *name)
{
	return find_mut((struct canary_set *)set, name, strlen(name));
}

/* Append "where" to a canary's planted list unless it is there already. */
static int add_planted(struct canary *c, const char *where)
{
	struct strbuf b = STRBUF_INIT(0);
	const char *p = c->planted;
	size_t n = strlen(where);

	for (const char *q = p; (q = strstr(q, where)); q += n)
		if ((q == p || q[-1] == ' ') && (q[n] == ',' || q[n] == '\0'))
			return 0;
	strbuf_puts(&b, p);
	if (*p)
		strbuf_puts(&b, ", ");
	strbuf_puts(&b, where);
	if (!b.s)
		return -1;
	free(c->planted);
	c->planted = strbuf_take(&b);
	return 0;
}

/* Expands every one of TEMPLATES ("A|B|C"), so that a bad one is an error in every run,
 * and keeps one picked at random in c. Returns 0, or -1 with why set. */
static int expand_one_of(const char *templates, struct rng *r, struct canary *c, char *why, size_t whylen)
{
	unsigned n = 1, pick;
	const char *p = templates;

	for (const char *q = templates; (q = strchr(q, '|')); q++)
		n++;
	if (n > 256) {
		snprintf(why, whylen, "over 256 templates");
		return -1;
	}
	pick = rng_below(r, n);
	for (unsigned k = 0; k < n; k++) {
		size_t len = strcspn(p, "|");
		char tmpl[MAX_LINE];
		struct canary tried = {0};
		snprintf(tmpl, sizeof tmpl, "%.*s", (int)len, p);
		if (!len || expand_token(tmpl, r, &tried, why, whylen) < 0) {
			if (!len)
				snprintf(why, whylen, "an empty template");
			if (k > pick) {
				free(c->value);
				c->value = NULL;
			}
			return -1;
		}
		if (k == pick)
			*c = tried;
		else
			free(tried.value);
		p += len + 1;
	}
	return 0;
}

static int parse_token(struct parser *ps, const char *name, const char *templates)
{
	struct canary c = {0};
	char why[160];

	if (ps->set->canaries.len >= CANARY_MAX)
		return fail(ps, ps->line, "more than %d tokens", CANARY_MAX);
	if (find_mut(ps->set, name, strlen(name)))
		return fail(ps, ps->line, "token '%s' defined twice", name);
	if (expand_one_of(templates, &ps->rng, &c, why, sizeof why) < 0)
		return fail(ps, ps->line, "%s", why);
	c.name = xstrdup(name);
	c.planted = xstrdup("");
	if (!c.name || !c.planted || vec_push(&ps->set->canaries, c) < 0) {
		free(c.name);
		free(c.planted);
		free(c.value);
		return fail(ps, ps->line, "out of memory");
	}
	return 0;
}

static int parse_env(struct parser *ps, const char *var, const char *token)
{
	struct canary *c = find_mut(ps->set, token, strlen(token));
	struct canary_env e = {NULL, c};
	char where[300];

	if (!c)
		return fail(ps, ps->line, "unknown token '%s' (tokens come before their use)", token);
	snprintf(where, sizeof where, "env %s", var);
	e.name = xstrdup(var);
	if (!e.name || add_planted(c, where) < 0 || vec_push(&ps->set->env, e) < 0) {
		free(e.name);
		return fail(ps, ps->line, "out of memory");
	}
	return 0;
}

/* extra VARIABLE NAME: into the pool of variables a run may get. */
static int parse_extra(struct parser *ps, const char *var, const char *token)
{
	struct extra x = {xstrdup(var), xstrdup(token), ps->line};

	if (!find_mut(ps->set, token, strlen(token))) {
		free(x.variable);
		free(x.token);
		return fail(ps, ps->line, "unknown token '%s' (tokens come before their use)", token);
	}
	if (!x.variable || !x.token || vec_push(&ps->extras, x) < 0) {
		free(x.variable);
		free(x.token);
		return fail(ps, ps->line, "out of memory");
	}
	return 0;
}

static void extras_clear(struct parser *ps)
{
	for (size_t i = 0; i < ps->extras.len; i++) {
		free(ps->extras.items[i].variable);
		free(ps->extras.items[i].token);
	}
	vec_free(&ps->extras);
}

/* extras MIN MAX: MIN to MAX of the pool above, picked at random, become env lines (in
 * the pool's order); the pool is then empty. */
static int parse_extras(struct parser *ps, const char *min_text, const char *max_text)
{
	char *end1, *end2;
	unsigned long min = strtoul(min_text, &end1, 10), max = strtoul(max_text, &end2, 10);
	size_t n = ps->extras.len, want;
	bool taken[CANARY_MAX] = {false};
	int rc = 0;

	if (*end1 || *end2 || min > max || max > n || n > CANARY_MAX)
		return fail(ps, ps->line, "extras: want 'extras MIN MAX' with MIN <= MAX <= %zu (the extra lines above)", n);
	want = min + rng_below(&ps->rng, (unsigned)(max - min + 1));
	for (size_t k = 0; k < want; k++) {  /* the k-th pick: one of the n - k left */
		unsigned skip = rng_below(&ps->rng, (unsigned)(n - k));
		size_t i = 0;
		for (;; i++)
			if (!taken[i] && skip-- == 0)
				break;
		taken[i] = true;
	}
	for (size_t i = 0; i < n && rc == 0; i++)
		if (taken[i])
			rc = parse_env(ps, ps->extras.items[i].variable, ps->extras.items[i].token);
	extras_clear(ps);
	return rc;
}

/* One "${NAME[/W][@base64:TEXT]}" at p (after "${"); appends to out. Returns the
 * length consumed up to and including '}', or -1. */
static int substitute(struct parser *ps, const char *p, struct strbuf *out, size_t *column)
{
	const char *close = strchr(p, '}');
	size_t n = strcspn(p, "/@}");
	struct canary *c = close ? find_mut(ps->set, p, n) : NULL;
	char where[1100];
	unsigned long wrap = 0;

	if (!c)
		return fail(ps, ps->file_line, "unknown token in '${%.*s'", (int)n, p);
	snprintf(where, sizeof where, "%s%s", ps->file.in_home ? "~/" : "./", ps->file.path);
	if (add_planted(c, where) < 0)
		return fail(ps, ps->file_line, "out of memory");
	if (p[n] == '@') {
		char prefix[128];
		char *enc;
		if (strncmp(p + n, "@base64:", 8) != 0 || close - (p + n + 8) >= (long)sizeof prefix)
			return fail(ps, ps->file_line, "bad encoding in '${%.*s}'", (int)(close - p), p);
		snprintf(prefix, sizeof prefix, "%.*s", (int)(close - (p + n + 8)), p + n + 8);
		enc = base64_padded(prefix, c->value);
		strbuf_puts(out, enc ? enc : "");
		*column += enc ? strlen(enc) : 0;
		free(enc);
		return (int)(close - p + 1);
	}
	if (p[n] == '/' && (sscanf(p + n + 1, "%lu", &wrap) != 1 || wrap == 0 || wrap > MAX_WRAP))
		return fail(ps, ps->file_line, "bad wrap width in '${%.*s}'", (int)(close - p), p);
	for (size_t i = 0; i < c->len; i++) {
		if (wrap && *column >= wrap) {
			strbuf_putc(out, '\n');
			*column = 0;
		}
		strbuf_putc(out, c->value[i]);
		(*column)++;
	}
	return (int)(close - p + 1);
}

static int finish_file(struct parser *ps)
{
	struct strbuf out = STRBUF_INIT(CANARY_MAX_FILE);
	const char *t = strbuf_str(&ps->body);
	size_t column = 0;

	if (!ps->in_file)
		return 0;
	ps->in_file = false;
	while (*t) {
		if (t[0] == '$' && t[1] == '{') {
			int used = substitute(ps, t + 2, &out, &column);
			if (used < 0)
				goto fail;
			t += 2 + used;
			continue;
		}
		column = *t == '\n' ? 0 : column + 1;
		strbuf_putc(&out, *t++);
	}
	if (out.truncated || !out.s) {
		fail(ps, ps->file_line, "file content over %d bytes, or out of memory", CANARY_MAX_FILE);
		goto fail;
	}
	ps->file.len = out.len;
	ps->file.content = strbuf_take(&out);
	if (vec_push(&ps->set->files, ps->file) < 0) {
		fail(ps, ps->file_line, "out of memory");
		goto fail;
	}
	memset(&ps->file, 0, sizeof ps->file);
	strbuf_free(&ps->body);
	return 0;
fail:
	strbuf_free(&out);
	return -1;
}

static int parse_file(struct parser *ps, const char *where, const char *path, const char *mode)
{
	char *end;
	unsigned long m = strtoul(mode, &end, 8);

	if (strcmp(where, "home") != 0 && strcmp(where, "cwd") != 0)
		return fail(ps, ps->line, "a file is in 'home' or 'cwd', not '%s'", where);
	if (*end || m > 0777 || path[0] == '/' || strstr(path, ".."))
		return fail(ps, ps->line, "bad file path or mode");
	if (ps->set->files.len >= CANARY_MAX_FILES)
		return fail(ps, ps->line, "more than %d files", CANARY_MAX_FILES);
	ps->in_file = true;
	ps->file_line = ps->line;
	ps->file.path = xstrdup(path);
	ps->file.in_home = where[0] == 'h';
	ps->file.mode = (unsigned)m;
	ps->body = (struct strbuf)STRBUF_INIT(CANARY_MAX_FILE);
	return ps->file.path ? 0 : fail(ps, ps->line, "out of memory");
}

bool canary_own_service(const struct canary_set *set, const struct canary *c, const char *host)
{
	if (own_service_canary(c->name, host))
		return true;
	/* a token planted in a variable is that variable's secret too (GITHUB_TOKEN, or a
	 * configured secret's canary in the variable the client config gives it) */
	for (size_t i = 0; set && i < set->env.len; i++)
		if (set->env.items[i].canary == c && own_service_env(set->env.items[i].name, host))
			return true;
	return false;
}

static int parse_line(struct parser *ps, char *line)
{
	char kind[16], a[256], b[MAX_LINE], c[16];
	int n;

	if (line[0] == '|') {
		if (!ps->in_file)
			return fail(ps, ps->line, "'|' line outside a file block");
		strbuf_puts(&ps->body, line[1] == ' ' ? line + 2 : line + 1);
		strbuf_putc(&ps->body, '\n');
		return 0;
	}
	if (finish_file(ps) < 0)
		return -1;
	if (line[0] == '#' || line[strspn(line, " \t")] == '\0')
		return 0;
	n = sscanf(line, "%15s %255s %1023s %15s", kind, a, b, c);
	if (strcmp(kind, "token") == 0 && n == 3)
		return parse_token(ps, a, b);
	if (strcmp(kind, "env") == 0 && n == 3)
		return parse_env(ps, a, b);
	if (strcmp(kind, "file") == 0 && n == 4)
		return parse_file(ps, a, b, c);
	if (strcmp(kind, "extra") == 0 && n == 3)
		return parse_extra(ps, a, b);
	if (strcmp(kind, "extras") == 0 && n == 3)
		return parse_extras(ps, a, b);
	return fail(ps, ps->line, "expected 'token NAME TEMPLATE[|TEMPLATE...]', 'env VAR NAME', "
		    "'extra VAR NAME', 'extras MIN MAX' or 'file home|cwd PATH MODE' "
		    "(each token's own service is in " OWN_SERVICES_LIST ")");
}

/* ------------------------------------------------------------- the search index */

struct canary_needle {
	uint32_t canary;       /* index in set->canaries */
	uint32_t key;          /* first four bytes, lower-cased */
	const char *encoding;  /* static name */
	uint8_t *bytes;
	size_t len;
};

static uint8_t fold(uint8_t ch)
{
	return ch >= 'A' && ch <= 'Z' ? (uint8_t)(ch + 32) : ch;
}

static uint32_t key_at(const uint8_t *p)
{
	return (uint32_t)fold(p[0]) | (uint32_t)fold(p[1]) << 8 | (uint32_t)fold(p[2]) << 16 |
	       (uint32_t)fold(p[3]) << 24;
}

static size_t slot_of(uint32_t key, size_t mask)
{
	return (size_t)((key * 2654435761u) >> 7) & mask;
}

struct needles {
	VEC(struct canary_needle) v;
	bool nomem;
};

static void add_needle(struct needles *ns, uint32_t canary, const char *encoding, const char *p, size_t n)
{
	struct canary_needle nd = {canary, 0, encoding, NULL, n};

	if (n < CANARY_MIN_NEEDLE)
		return;
	for (size_t i = 0; i < ns->v.len; i++) /* the same string twice (hex of digits, say) */
		if (ns->v.items[i].canary == canary && ns->v.items[i].len == n && memcmp(ns->v.items[i].bytes, p, n) == 0)
			return;
	nd.bytes = malloc(n);
	if (!nd.bytes) {
		ns->nomem = true;
		return;
	}
	memcpy(nd.bytes, p, n);
	nd.key = key_at(nd.bytes);
	if (vec_push(&ns->v, nd) < 0) {
		free(nd.bytes);
		ns->nomem = true;
	}
}

/* The base64/base64url/base32 forms of w wherever it sits in the encoded stream: for
 * each alignment, the characters that depend on w's bytes alone. */
static void add_base_forms(struct needles *ns, uint32_t ci, const char *w, size_t n)
{
	static const struct {
		const char *name, *alphabet;
		int bits;
		size_t group;
	} bases[] = {{"base64", b64_std, 6, 3}, {"base64url", b64_url, 6, 3}, {"base32", b32, 5, 5}};
	uint8_t *tmp = malloc(n + 8);

	if (!tmp) {
		ns->nomem = true;
		return;
	}
	for (size_t b = 0; b < sizeof bases / sizeof *bases; b++) {
		for (size_t k = 0; k < bases[b].group; k++) {
			struct strbuf enc = STRBUF_INIT(0);
			size_t whole = (k + n) / bases[b].group * bases[b].group;
			size_t skip = (8 * k + (size_t)bases[b].bits - 1) / (size_t)bases[b].bits;
			memset(tmp, 0, k);
			memcpy(tmp + k, w, n);
			encode_bits(&enc, tmp, whole, bases[b].alphabet, bases[b].bits);
			if (enc.len > skip)
				add_needle(ns, ci, bases[b].name, enc.s + skip, enc.len - skip);
			strbuf_free(&enc);
		}
	}
	free(tmp);
}

/* UTF-16LE and UTF-16BE of w (JavaScript's Buffer.from(s, "utf16le"), Windows text, a
 * JSON body re-encoded): every canary is ASCII, so each character is it and a zero byte. */
static void add_utf16_forms(struct needles *ns, uint32_t ci, const char *w, size_t n)
{
	uint8_t *le = malloc(2 * n), *be = malloc(2 * n);

	if (!le || !be) {
		ns->nomem = true;
	} else {
		for (size_t i = 0; i < n; i++) {
			le[2 * i] = be[2 * i + 1] = (uint8_t)w[i];
			le[2 * i + 1] = be[2 * i] = 0;
		}
		add_needle(ns, ci, "utf-16", (const char *)le, 2 * n);
		add_needle(ns, ci, "utf-16", (const char *)be, 2 * n); /* inside a LE text the two overlap */
	}
	free(le);
	free(be);
}

static void add_forms(struct needles *ns, uint32_t ci, const char *w, size_t n)
{
	static const char unreserved[] = "-._~";
	struct strbuf hex = STRBUF_INIT(0), HEX = STRBUF_INIT(0), url = STRBUF_INIT(0), lurl = STRBUF_INIT(0);
	char *rev = malloc(n + 1);

	if (!rev) {
		ns->nomem = true;
		return;
	}
	add_needle(ns, ci, "plain", w, n);
	for (size_t i = 0; i < n; i++) {
		uint8_t ch = (uint8_t)w[i];
		bool keep = (ch >= '0' && ch <= '9') || (fold(ch) >= 'a' && fold(ch) <= 'z') ||
			    (ch && strchr(unreserved, ch));
		rev[n - 1 - i] = (char)ch;
		strbuf_printf(&hex, "%02x", ch);
		strbuf_printf(&HEX, "%02X", ch);
		strbuf_printf(&url, keep ? "%c" : "%%%02X", ch);
		strbuf_printf(&lurl, keep ? "%c" : "%%%02x", ch);
	}
	add_needle(ns, ci, "hex", strbuf_str(&hex), hex.len);
	add_needle(ns, ci, "hex", strbuf_str(&HEX), HEX.len);
	if (url.len != n) {
		add_needle(ns, ci, "url-encoded", strbuf_str(&url), url.len);
		add_needle(ns, ci, "url-encoded", strbuf_str(&lurl), lurl.len);
	}
	add_needle(ns, ci, "reversed", rev, n);
	add_utf16_forms(ns, ci, w, n);
	add_base_forms(ns, ci, w, n);
	if (hex.truncated || !hex.s || !HEX.s || !url.s || !lurl.s)
		ns->nomem = true;
	free(rev);
	strbuf_free(&hex);
	strbuf_free(&HEX);
	strbuf_free(&url);
	strbuf_free(&lurl);
}

static int by_key(const void *a, const void *b)
{
	const struct canary_needle *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Needles for each canary (its value, random part, and the first and last
 * CANARY_MIN_NEEDLE characters of that part), sorted by key, and the slot table. */
static int build_index(struct canary_set *set)
{
	struct needles ns = {0};

	for (uint32_t i = 0; i < set->canaries.len && !ns.nomem; i++) {
		const struct canary *c = &set->canaries.items[i];
		size_t core_len = c->core_end - c->core;
		add_forms(&ns, i, c->value, c->len);
		if (c->core || c->core_end < c->len)
			add_forms(&ns, i, c->value + c->core, core_len);
		if (core_len > CANARY_MIN_NEEDLE) {
			add_forms(&ns, i, c->value + c->core, CANARY_MIN_NEEDLE);
			add_forms(&ns, i, c->value + c->core_end - CANARY_MIN_NEEDLE, CANARY_MIN_NEEDLE);
		}
	}
	set->needles = ns.v.items;
	set->n_needles = ns.v.len;
	if (ns.nomem)
		return -1;
	qsort(set->needles, set->n_needles, sizeof *set->needles, by_key);
	for (set->n_slots = 16; set->n_slots < 2 * set->n_needles;)
		set->n_slots *= 2;
	set->slots = calloc(set->n_slots, sizeof *set->slots);
	if (!set->slots)
		return -1;
	/* each distinct key's slot holds 1 + the index of its first needle */
	for (size_t i = 0; i < set->n_needles; i++) {
		size_t s;
		if (i > 0 && set->needles[i].key == set->needles[i - 1].key)
			continue;
		for (s = slot_of(set->needles[i].key, set->n_slots - 1); set->slots[s]; s = (s + 1) & (set->n_slots - 1))
			;
		set->slots[s] = (uint32_t)i + 1;
	}
	return 0;
}

enum canary_status canary_set_new(const char *list, size_t len, struct canary_set **out, char *err,
				  size_t errlen)
{
	struct parser ps = {0};
	enum canary_status st = CANARY_BAD_LIST;
	const char *end;

	*out = NULL;
	if (!list) {
		const struct embedded_file *f = embedded_find(embedded_data, LIST_NAME);
		if (!f) {
			snprintf(err, errlen, "%s is not built in", LIST_NAME);
			return CANARY_BAD_LIST;
		}
		list = (const char *)f->bytes;
		len = f->len;
	}
	ps.set = calloc(1, sizeof *ps.set);
	ps.err = err;
	ps.errlen = errlen;
	if (!ps.set) {
		snprintf(err, errlen, "out of memory");
		return CANARY_NOMEM;
	}
	for (const char *p = list; p < list + len; p = end + 1) {
		char line[MAX_LINE];
		size_t n;
		end = memchr(p, '\n', (size_t)(list + len - p));
		if (!end)
			end = list + len;
		n = (size_t)(end - p);
		ps.line++;
		while (n && (p[n - 1] == '\r' || p[n - 1] == ' '))
			n--;
		if (n >= sizeof line) {
			fail(&ps, ps.line, "line longer than %d bytes", MAX_LINE - 1);
			goto out;
		}
		memcpy(line, p, n);
		line[n] = '\0';
		if (parse_line(&ps, line) < 0)
			goto out;
	}
	if (finish_file(&ps) < 0)
		goto out;
	if (ps.extras.len) {
		fail(&ps, ps.extras.items[0].line, "an 'extra' line with no 'extras MIN MAX' after it");
		goto out;
	}
	if (ps.rng.failed) {
		snprintf(err, errlen, "getrandom failed: %s", strerror(errno));
		st = CANARY_NO_RANDOM;
		goto out;
	}
	if (build_index(ps.set) < 0) {
		snprintf(err, errlen, "out of memory");
		st = CANARY_NOMEM;
		goto out;
	}
	*out = ps.set;
	ps.set = NULL;
	st = CANARY_OK;
out:
	extras_clear(&ps);
	free(ps.file.path);
	strbuf_free(&ps.body);
	canary_set_free(ps.set);
	memset(&ps.rng, 0, sizeof ps.rng); /* no secret bytes left on the stack */
	return st;
}

void canary_set_free(struct canary_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->canaries.len; i++) {
		free(set->canaries.items[i].name);
		free(set->canaries.items[i].value);
		free(set->canaries.items[i].planted);
	}
	for (size_t i = 0; i < set->env.len; i++)
		free(set->env.items[i].name);
	for (size_t i = 0; i < set->files.len; i++) {
		free(set->files.items[i].path);
		free(set->files.items[i].content);
	}
	for (size_t i = 0; i < set->n_needles; i++)
		free(set->needles[i].bytes);
	vec_free(&set->canaries);
	vec_free(&set->env);
	vec_free(&set->files);
	free(set->needles);
	free(set->slots);
	free(set);
}

/* ------------------------------------------------------------- the search */

static bool same(const uint8_t *a, const uint8_t *b, size_t n, bool fold_case)
{
	if (!fold_case)
		return memcmp(a, b, n) == 0;
	for (size_t i = 0; i < n; i++)
		if (fold(a[i]) != fold(b[i]))
			return false;
	return true;
}

/* The needles whose key is the one at p: [first, end) of set->needles, or first == end. */
static size_t lookup(const struct canary_set *set, uint32_t key, size_t *end)
{
	size_t mask = set->n_slots - 1;

	for (size_t s = slot_of(key, mask); set->slots[s]; s = (s + 1) & mask) {
		size_t i = set->slots[s] - 1;
		if (set->needles[i].key != key)
			continue;
		for (*end = i; *end < set->n_needles && set->needles[*end].key == key; (*end)++)
			;
		return i;
	}
	*end = 0;
	return 0;
}

/* One pass: at each offset, the needles sharing the next four (folded) bytes. A canary
 * already in seen is not reported again; one found is added to it. */
static size_t search_seen(const struct canary_set *set, const uint8_t *buf, size_t len, bool fold_case,
			  bool seen[CANARY_MAX], canary_hit_fn hit, void *ctx)
{
	size_t found = 0;

	if (!set || !set->n_slots || len < CANARY_MIN_NEEDLE)
		return 0;
	for (size_t at = 0; at + CANARY_MIN_NEEDLE <= len; at++) {
		size_t end, i = lookup(set, key_at(buf + at), &end);
		for (; i < end; i++) {
			const struct canary_needle *nd = &set->needles[i];
			if (seen[nd->canary] || nd->len > len - at || !same(buf + at, nd->bytes, nd->len, fold_case))
				continue;
			seen[nd->canary] = true;
			found++;
			if (hit)
				hit(ctx, &set->canaries.items[nd->canary], nd->encoding, at);
		}
	}
	return found;
}

static size_t search(const struct canary_set *set, const uint8_t *buf, size_t len, bool fold_case,
		     canary_hit_fn hit, void *ctx)
{
	bool seen[CANARY_MAX] = {false};

	return search_seen(set, buf, len, fold_case, seen, hit, ctx);
}

size_t canary_search(const struct canary_set *set, const uint8_t *buf, size_t len, canary_hit_fn hit,
		     void *ctx)
{
	return search(set, buf, len, false, hit, ctx);
}

/* ------------------------------------------------------------- the streaming search */

struct canary_stream {
	const struct canary_set *set;
	bool seen[CANARY_MAX];
	size_t keep;       /* the longest needle less one: a hit may start this far back */
	size_t tail_len;   /* bytes of the previous pieces at the start of work */
	uint64_t offset;   /* stream offset of work[0] */
	uint8_t *work;     /* keep + CANARY_STREAM_PIECE bytes */
};

struct canary_stream *canary_stream_new(const struct canary_set *set)
{
	struct canary_stream *cs = calloc(1, sizeof *cs);

	if (!cs)
		return NULL;
	cs->set = set;
	for (size_t i = 0; set && i < set->n_needles; i++)
		if (set->needles[i].len > cs->keep + 1)
			cs->keep = set->needles[i].len - 1;
	cs->work = malloc(cs->keep + CANARY_STREAM_PIECE);
	if (!cs->work) {
		free(cs);
		return NULL;
	}
	return cs;
}

void canary_stream_free(struct canary_stream *cs)
{
	if (!cs)
		return;
	free(cs->work);
	free(cs);
}

struct offset_ctx {
	canary_hit_fn hit;
	void *ctx;
	uint64_t base;
};

static void hit_at_stream_offset(void *ctx, const struct canary *c, const char *encoding, size_t offset)
{
	struct offset_ctx *o = ctx;

	if (o->hit)
		o->hit(o->ctx, c, encoding, (size_t)(o->base + offset));
}

size_t canary_stream_keep(const struct canary_stream *cs)
{
	return cs ? cs->keep : 0;
}

size_t canary_stream_feed(struct canary_stream *cs, const uint8_t *p, size_t n, canary_hit_fn hit, void *ctx)
{
	size_t found = 0;

	while (cs && n > 0) {
		size_t take = n < CANARY_STREAM_PIECE ? n : CANARY_STREAM_PIECE;
		struct offset_ctx o = {hit, ctx, cs->offset};
		size_t len = cs->tail_len + take, keep;
		memcpy(cs->work + cs->tail_len, p, take);
		found += search_seen(cs->set, cs->work, len, false, cs->seen, hit_at_stream_offset, &o);
		keep = len < cs->keep ? len : cs->keep;
		memmove(cs->work, cs->work + len - keep, keep);
		cs->offset += len - keep;
		cs->tail_len = keep;
		p += take;
		n -= take;
	}
	return found;
}

size_t canary_search_dns(const struct canary_set *set, const char *name, canary_hit_fn hit, void *ctx)
{
	uint8_t joined[1024]; /* a DNS name is at most 255 bytes; a decoded one stays under this */
	size_t n = 0;

	for (const char *p = name; p && *p && n < sizeof joined; p++)
		if (*p != '.')
			joined[n++] = (uint8_t)*p;
	return search(set, joined, n, true, hit, ctx);
}
