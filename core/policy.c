/* Host patterns, the JSON policy file, and the comparison of endpoints with what is documented. */
#include "core/policy.h"

#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/channels.h"
#include "core/doc_words.h"
#include "core/embedded.h"
#include "core/hostname.h"
#include "core/json_read.h"
#include "core/strbuf.h"
#include "core/url.h"

#define POLICY_FILE_MAX ((size_t)1 << 20)  /* a policy is hand-written: 1 MiB is plenty */
#define POLICY_ENTRIES_MAX 10000           /* per list (allow, deny, suppress) */
#define PATTERN_TEXT_MAX (URL_HOST_MAX + 16)

static const char exfil_list_name[] = "core/data/exfil_services.txt";

/* ---- host patterns ---- */

static int fail(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Writes the message into err (when there is room) and returns -1, for "return fail(...)". */
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* "1".."65535"; -1 otherwise. */
static int port_number(const char *s)
{
	char *end;
	long v;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	return (errno || *end || v < 1 || v > 65535) ? -1 : (int)v;
}

/* Cut an optional ":port" off buf in place ("[v6]/n:port" loses its brackets too). A text
 * with two or more colons and no brackets is a bare IPv6 address, which has no port. */
static int split_port(char *buf, int *port, char *err, size_t errlen)
{
	char *colon;

	*port = 0;
	if (buf[0] == '[') {
		char *close = strchr(buf, ']');
		if (!close)
			return fail(err, errlen, "'%s' opens '[' without closing it", buf);
		colon = close[1] == '/' ? strchr(close, ':') : (close[1] == ':' ? close + 1 : NULL);
		if (!colon && close[1] && close[1] != '/')
			return fail(err, errlen, "unexpected text after ']' in '%s'", buf);
		if (colon)
			*colon++ = '\0';
		memmove(close, close + 1, strlen(close + 1) + 1);
		memmove(buf, buf + 1, strlen(buf));
	} else {
		colon = strchr(buf, ':');
		if (!colon || strchr(colon + 1, ':'))
			return 0;
		*colon++ = '\0';
	}
	if (colon && (*port = port_number(colon)) < 0)
		return fail(err, errlen, "'%s' is not a port (1-65535)", colon);
	return 0;
}

/* Zero the address bits past the prefix, so that matching compares networks. */
static void mask_address(uint8_t *addr, int nbytes, int prefix)
{
	for (int i = 0; i < nbytes; i++) {
		int keep = prefix - 8 * i;
		if (keep <= 0)
			addr[i] = 0;
		else if (keep < 8)
			addr[i] &= (uint8_t)(0xff << (8 - keep));
	}
}

static int parse_cidr(char *buf, struct host_pattern *out, char *err, size_t errlen)
{
	char *slash = strchr(buf, '/');
	char text[INET6_ADDRSTRLEN];
	int max;

	if (slash)
		*slash = '\0';
	if (inet_pton(AF_INET, buf, out->addr) == 1)
		out->kind = HP_CIDR4, max = 32;
	else if (inet_pton(AF_INET6, buf, out->addr) == 1)
		out->kind = HP_CIDR6, max = 128;
	else
		return fail(err, errlen, "'%s' is not an IPv4 or IPv6 address", buf);
	out->prefix = max;
	if (slash) {
		char *end;
		long v = strtol(slash + 1, &end, 10);
		if (!isdigit((unsigned char)slash[1]) || *end || v < 0 || v > max)
			return fail(err, errlen, "'/%s' is not a prefix length (0-%d)", slash + 1, max);
		out->prefix = (int)v;
	}
	mask_address(out->addr, max / 8, out->prefix);
	inet_ntop(max == 32 ? AF_INET : AF_INET6, out->addr, text, sizeof text);
	out->host = out->prefix == max ? xstrdup(text) : xasprintf("%s/%d", text, out->prefix);
	return out->host ? 0 : fail(err, errlen, "out of memory");
}

/* buf is PATTERN_TEXT_MAX bytes: a name in Unicode grows into its xn-- form in place. */
static int parse_name(char *buf, struct host_pattern *out, char *err, size_t errlen)
{
	bool wildcard = strncmp(buf, "*.", 2) == 0;
	char *name = wildcard ? buf + 2 : buf;
	size_t n = strlen(name);

	if (n > 1 && name[n - 1] == '.')
		name[n - 1] = '\0';
	if (strchr(name, '*'))
		return fail(err, errlen, "'%s': '*' is only allowed as a whole first label ('*.example.com')",
			    buf);
	/* hosts are reported in their xn-- form (url_parse): the pattern must be too */
	if (!url_host_to_ascii(name, PATTERN_TEXT_MAX - (size_t)(name - buf)))
		return fail(err, errlen, "'%s' is not a valid international domain name", buf);
	if (!host_is_name(name))
		return fail(err, errlen,
			    "'%s' is not a host name, '*.' wildcard, IP address or CIDR range", buf);
	out->kind = wildcard ? HP_WILDCARD : HP_EXACT;
	out->host = xstrdup(name);
	return out->host ? 0 : fail(err, errlen, "out of memory");
}

int host_pattern_parse(const char *text, const char *source, struct host_pattern *out,
		       char *err, size_t errlen)
{
	char buf[PATTERN_TEXT_MAX];
	size_t n = text ? strlen(text) : 0;
	int port, rc;

	memset(out, 0, sizeof *out);
	if (n == 0)
		return fail(err, errlen, "empty host pattern");
	if (n >= sizeof buf)
		return fail(err, errlen, "host pattern longer than %zu bytes", sizeof buf - 1);
	for (size_t i = 0; i <= n; i++)
		buf[i] = (char)tolower((unsigned char)text[i]);
	if (strstr(buf, "://"))
		return fail(err, errlen, "'%s' is a URL: give the host alone (api.example.com)", text);
	if (strpbrk(buf, " \t\r\n"))
		return fail(err, errlen, "'%s' contains white space", text);
	if (split_port(buf, &port, err, errlen) != 0)
		return -1;
	if (strchr(buf, '/') || host_is_ip(buf))
		rc = parse_cidr(buf, out, err, errlen);
	else
		rc = parse_name(buf, out, err, errlen);
	if (rc != 0) {
		host_pattern_free(out);
		return -1;
	}
	out->port = port;
	out->source = xstrdup(source ? source : "");
	return 0;
}

void host_pattern_free(struct host_pattern *hp)
{
	if (!hp)
		return;
	free(hp->host);
	free(hp->source);
	hp->host = hp->source = NULL;
}

int host_pattern_format(const struct host_pattern *hp, char *buf, size_t len)
{
	const char *host = hp->host ? hp->host : "";
	const char *star = hp->kind == HP_WILDCARD ? "*." : "";
	bool brackets = hp->kind == HP_CIDR6 && hp->port;
	int n;

	if (hp->port)
		n = snprintf(buf, len, "%s%s%s%s:%d", brackets ? "[" : "", star, host,
			     brackets ? "]" : "", hp->port);
	else
		n = snprintf(buf, len, "%s%s", star, host);
	return (n < 0 || (size_t)n >= len) ? -1 : 0;
}

/* Length of host without one trailing dot. */
static size_t host_len(const char *host)
{
	size_t n = strlen(host);

	return (n > 1 && host[n - 1] == '.') ? n - 1 : n;
}

static bool prefix_equal(const uint8_t *a, const uint8_t *b, int bits)
{
	int whole = bits / 8, rest = bits % 8;

	if (memcmp(a, b, (size_t)whole) != 0)
		return false;
	return rest == 0 || ((a[whole] ^ b[whole]) & (0xff << (8 - rest))) == 0;
}

static bool cidr_match(const struct host_pattern *hp, const char *host)
{
	static const uint8_t v4mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	uint8_t addr[16];

	if (hp->kind == HP_CIDR4 && inet_pton(AF_INET, host, addr) == 1)
		return prefix_equal(addr, hp->addr, hp->prefix);
	if (inet_pton(AF_INET6, host, addr) != 1)
		return false;
	if (hp->kind == HP_CIDR6)
		return prefix_equal(addr, hp->addr, hp->prefix);
	/* "::ffff:203.0.113.5" is the IPv4 address in IPv6 clothing. */
	return memcmp(addr, v4mapped, 12) == 0 && prefix_equal(addr + 12, hp->addr, hp->prefix);
}

bool host_pattern_match(const struct host_pattern *hp, const char *host, int port)
{
	if (!hp || !host || !hp->host)
		return false;
	if (hp->port && hp->port != port)
		return false;  /* an unknown port (0) does not prove the allowed one */
	switch (hp->kind) {
	case HP_EXACT: return hostname_within(host, hp->host, true) && host_len(host) == host_len(hp->host);
	case HP_WILDCARD: return hostname_within(host, hp->host, false);
	case HP_CIDR4:
	case HP_CIDR6: return cidr_match(hp, host);
	}
	return false;
}

/* ---- the policy ---- */

void policy_init(struct policy *p)
{
	memset(p, 0, sizeof *p);
	p->fail_on = SEV_HIGH;
	p->review_on = SEV_MEDIUM;
	p->use_docs = true;
}

static void suppression_clear(struct suppression *s)
{
	free(s->rule_id);
	free(s->file);
	free(s->fingerprint);
	free(s->reason);
	free(s->expires);
	free(s->host);
	free(s->phase);
}

static void patterns_free(struct policy *p)
{
	for (size_t i = 0; i < p->allow.len; i++)
		host_pattern_free(&p->allow.items[i]);
	for (size_t i = 0; i < p->deny.len; i++)
		host_pattern_free(&p->deny.items[i]);
	vec_free(&p->allow);
	vec_free(&p->deny);
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	patterns_free(p);
	for (size_t i = 0; i < p->suppressions.len; i++)
		suppression_clear(&p->suppressions.items[i]);
	vec_free(&p->suppressions);
}

/* Parse text and append it to the list (items, len, cap): see PUSH_PATTERN. */
static int push_pattern(struct host_pattern **items, size_t *len, size_t *cap, const char *text,
			const char *source, char *err, size_t errlen)
{
	struct host_pattern hp;

	if (*len >= POLICY_ENTRIES_MAX)
		return fail(err, errlen, "more than %d patterns", POLICY_ENTRIES_MAX);
	if (host_pattern_parse(text, source, &hp, err, errlen) != 0)
		return -1;
	if (!hp.source || vec_reserve_((void **)items, cap, *len + 1, sizeof **items) != 0) {
		host_pattern_free(&hp);
		return fail(err, errlen, "out of memory");
	}
	(*items)[(*len)++] = hp;
	return 0;
}

#define PUSH_PATTERN(v, ...) push_pattern(&(v)->items, &(v)->len, &(v)->cap, __VA_ARGS__)

int policy_add_allow(struct policy *p, const char *pattern, const char *source,
		     char *err, size_t errlen)
{
	return PUSH_PATTERN(&p->allow, pattern, source, err, errlen);
}

/* ---- policy file ---- */

struct load {
	struct policy *p;
	const char *path;
	char *err;
	size_t errlen;
};

static int load_patterns(struct load *l, const cJSON *v, const char *key,
			 struct host_pattern **items, size_t *len, size_t *cap)
{
	char why[512];
	size_t i = 0;
	const cJSON *item;

	if (!cJSON_IsArray(v))
		return fail(l->err, l->errlen, "%s: \"%s\" must be an array of host patterns", l->path, key);
	cJSON_ArrayForEach(item, v) {
		if (!cJSON_IsString(item))
			return fail(l->err, l->errlen, "%s: \"%s\"[%zu] must be a string", l->path, key, i);
		if (push_pattern(items, len, cap, item->valuestring, l->path, why, sizeof why) != 0)
			return fail(l->err, l->errlen, "%s: \"%s\"[%zu]: %s", l->path, key, i, why);
		i++;
	}
	return 0;
}

static int load_allow(struct load *l, const cJSON *v)
{
	return load_patterns(l, v, "allow", &l->p->allow.items, &l->p->allow.len, &l->p->allow.cap);
}

static int load_deny(struct load *l, const cJSON *v)
{
	return load_patterns(l, v, "deny", &l->p->deny.items, &l->p->deny.len, &l->p->deny.cap);
}

static int load_severity(struct load *l, const cJSON *v, const char *key, enum severity *out)
{
	if (!cJSON_IsString(v) || !severity_parse(v->valuestring, out))
		return fail(l->err, l->errlen,
			    "%s: \"%s\" must be \"info\", \"low\", \"medium\", \"high\" or \"critical\"",
			    l->path, key);
	return 0;
}

static int load_fail_on(struct load *l, const cJSON *v)
{
	return load_severity(l, v, "fail_on", &l->p->fail_on);
}

static int load_review_on(struct load *l, const cJSON *v)
{
	return load_severity(l, v, "review_on", &l->p->review_on);
}

static int load_bool(struct load *l, const cJSON *v, const char *key, bool *out)
{
	if (!cJSON_IsBool(v))
		return fail(l->err, l->errlen, "%s: \"%s\" must be true or false", l->path, key);
	*out = cJSON_IsTrue(v);
	return 0;
}

static int load_strict_docs(struct load *l, const cJSON *v)
{
	return load_bool(l, v, "strict_docs", &l->p->strict_docs);
}

static int load_use_docs(struct load *l, const cJSON *v)
{
	return load_bool(l, v, "use_docs", &l->p->use_docs);
}

bool policy_valid_date(const char *s)
{
	static const char shape[] = "dddd-dd-dd";
	int month, day;

	if (strlen(s) != sizeof shape - 1)
		return false;
	for (size_t i = 0; shape[i]; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != '-')
			return false;
	month = (s[5] - '0') * 10 + (s[6] - '0');
	day = (s[8] - '0') * 10 + (s[9] - '0');
	return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

struct suppress_field {
	const char *key;
	size_t offset;     /* of the char * in struct suppression */
	bool required;
	const char *why;   /* said when it is missing */
};

/* required: always; file and fingerprint, or host and phase, are checked as pairs */
static const struct suppress_field suppress_fields[] = {
	{"rule", offsetof(struct suppression, rule_id), true, "the rule id it silences"},
	{"file", offsetof(struct suppression, file), false, NULL},
	{"fingerprint", offsetof(struct suppression, fingerprint), false, NULL},
	{"reason", offsetof(struct suppression, reason), true, "why the finding is accepted"},
	{"expires", offsetof(struct suppression, expires), false, NULL},
	{"host", offsetof(struct suppression, host), false, NULL},
	{"phase", offsetof(struct suppression, phase), false, NULL},
	{NULL, 0, false, NULL},
};

/* A finding with a file is named by file and fingerprint, one without by host and phase;
 * never by a path or a pattern. Returns 0 or -1 with err set. */
static int check_suppression_target(struct load *l, const struct suppression *s, size_t i)
{
	if (!s->file && !s->host)
		return fail(l->err, l->errlen, "%s: \"suppress\"[%zu]: missing \"file\" (with \"fingerprint\"), "
			    "or \"host\" and \"phase\" for a finding without a file", l->path, i);
	if (s->file && (s->host || s->phase))
		return fail(l->err, l->errlen, "%s: \"suppress\"[%zu]: \"host\" and \"phase\" are for a finding "
			    "without a file; one with a file is named by \"file\" and \"fingerprint\"", l->path, i);
	if (s->file && (!s->fingerprint || !*s->fingerprint))
		return fail(l->err, l->errlen, "%s: \"suppress\"[%zu]: missing \"fingerprint\" (the finding's "
			    "fingerprint, so that new code is not covered)", l->path, i);
	if (s->file && (!*s->file || strchr(s->file, '*') || s->file[strlen(s->file) - 1] == '/'))
		return fail(l->err, l->errlen,
			    "%s: \"suppress\"[%zu]: \"file\" must name one file, not a pattern or folder",
			    l->path, i);
	if (s->host && (!s->phase || !*s->phase))
		return fail(l->err, l->errlen, "%s: \"suppress\"[%zu]: missing \"phase\" (\"startup\", "
			    "\"tool:NAME\", ...: the host is accepted in that phase only)", l->path, i);
	if (s->host && (!*s->host || strpbrk(s->host, "*/ ") || strpbrk(s->phase, "*")))
		return fail(l->err, l->errlen, "%s: \"suppress\"[%zu]: \"host\" and \"phase\" must name one host "
			    "and one phase, not a pattern", l->path, i);
	return 0;
}

static const struct suppress_field *suppress_field(const char *key)
{
	for (const struct suppress_field *f = suppress_fields; f->key; f++)
		if (strcmp(f->key, key) == 0)
			return f;
	return NULL;
}

/* Checks the values a suppression's strings must have, once they are all read. */
static int check_suppression(struct load *l, const struct suppression *s, size_t i)
{
	for (const struct suppress_field *f = suppress_fields; f->key; f++) {
		const char *value = *(char *const *)((const char *)s + f->offset);
		if (f->required && (!value || !*value))
			return fail(l->err, l->errlen, "%s: \"suppress\"[%zu]: missing \"%s\" (%s)",
				    l->path, i, f->key, f->why);
	}
	if (!rule_find(s->rule_id))
		return fail(l->err, l->errlen, "%s: \"suppress\"[%zu]: unknown rule \"%s\"", l->path, i,
			    s->rule_id);
	if (check_suppression_target(l, s, i) != 0)
		return -1;
	if (s->expires && !policy_valid_date(s->expires))
		return fail(l->err, l->errlen, "%s: \"suppress\"[%zu]: \"expires\" must be YYYY-MM-DD",
			    l->path, i);
	return 0;
}

static int read_suppression(struct load *l, const cJSON *obj, size_t i, struct suppression *s)
{
	const cJSON *kv;

	if (!cJSON_IsObject(obj))
		return fail(l->err, l->errlen, "%s: \"suppress\"[%zu] must be an object", l->path, i);
	cJSON_ArrayForEach(kv, obj) {
		const struct suppress_field *f = suppress_field(kv->string);
		char **slot;
		if (!f)
			return fail(l->err, l->errlen, "%s: \"suppress\"[%zu]: unknown key \"%s\"", l->path,
				    i, kv->string);
		if (!cJSON_IsString(kv))
			return fail(l->err, l->errlen, "%s: \"suppress\"[%zu]: \"%s\" must be a string",
				    l->path, i, kv->string);
		slot = (char **)((char *)s + f->offset);
		free(*slot);
		if (!(*slot = xstrdup(kv->valuestring)))
			return fail(l->err, l->errlen, "%s: out of memory", l->path);
	}
	return check_suppression(l, s, i);
}

static int load_suppress(struct load *l, const cJSON *v)
{
	const cJSON *obj;
	size_t i = 0;

	if (!cJSON_IsArray(v))
		return fail(l->err, l->errlen, "%s: \"suppress\" must be an array of objects", l->path);
	cJSON_ArrayForEach(obj, v) {
		struct suppression s = {0};
		if (l->p->suppressions.len >= POLICY_ENTRIES_MAX) {
			return fail(l->err, l->errlen, "%s: \"suppress\": more than %d entries", l->path,
				    POLICY_ENTRIES_MAX);
		}
		if (read_suppression(l, obj, i, &s) != 0) {
			suppression_clear(&s);
			return -1;
		}
		if (vec_push(&l->p->suppressions, s) != 0) {
			suppression_clear(&s);
			return fail(l->err, l->errlen, "%s: out of memory", l->path);
		}
		i++;
	}
	return 0;
}

struct policy_key {
	const char *key;
	int (*load)(struct load *l, const cJSON *v);
};

static const struct policy_key policy_keys[] = {
	{"allow", load_allow},           {"deny", load_deny},         {"fail_on", load_fail_on},
	{"review_on", load_review_on},
	{"strict_docs", load_strict_docs}, {"use_docs", load_use_docs}, {"suppress", load_suppress},
	{NULL, NULL},
};

static int load_object(struct load *l, const cJSON *root)
{
	const cJSON *kv;
	unsigned seen = 0;

	if (!cJSON_IsObject(root))
		return fail(l->err, l->errlen, "%s: the policy must be a JSON object", l->path);
	cJSON_ArrayForEach(kv, root) {
		const struct policy_key *k = policy_keys;
		while (k->key && strcmp(k->key, kv->string) != 0)
			k++;
		if (!k->key)
			return fail(l->err, l->errlen,
				    "%s: unknown key \"%s\" (allow, deny, fail_on, review_on, strict_docs, use_docs, suppress)",
				    l->path, kv->string);
		if (seen & (1u << (k - policy_keys)))
			return fail(l->err, l->errlen, "%s: key \"%s\" given twice", l->path, kv->string);
		seen |= 1u << (k - policy_keys);
		if (k->load(l, kv) != 0)
			return -1;
	}
	return 0;
}

/* The whole file, NUL-terminated, in *out (caller frees). Returns 0 or -1 with err set. */
static int read_policy_text(struct load *l, char **out, size_t *len)
{
	FILE *f = fopen(l->path, "rb");
	char *text = NULL;
	size_t n;
	int rc = -1;

	if (!f)
		return fail(l->err, l->errlen, "%s: %s", l->path, strerror(errno));
	if (!(text = malloc(POLICY_FILE_MAX + 1))) {
		fail(l->err, l->errlen, "%s: out of memory", l->path);
		goto out;
	}
	errno = 0;
	n = fread(text, 1, POLICY_FILE_MAX + 1, f);
	if (ferror(f)) {
		fail(l->err, l->errlen, "%s: %s", l->path, errno ? strerror(errno) : "read error");
		goto out;
	}
	if (n > POLICY_FILE_MAX) {
		fail(l->err, l->errlen, "%s: larger than %zu bytes", l->path, POLICY_FILE_MAX);
		goto out;
	}
	text[n] = '\0';
	*out = text;
	*len = n;
	text = NULL;
	rc = 0;
out:
	free(text);
	fclose(f);
	return rc;
}

/* The file at path in dialect into p; with options, its member "options" is taken out
 * first and handed over. Returns 0, or -1 with err set. */
static int load_file(struct policy *p, const char *path, enum json_dialect dialect, cJSON **options,
		     char *err, size_t errlen)
{
	struct load l = {p, path, err, errlen};
	struct json_doc doc = {0};
	struct json_read_error e;
	char *text = NULL;
	size_t len = 0;
	int rc = -1;

	if (read_policy_text(&l, &text, &len) != 0)
		goto out;
	if (json_read(text, len, dialect, &doc, &e) != 0) {
		fail(err, errlen, "%s:%u:%u: invalid JSON (%s)", path, e.line, e.column, e.what);
		goto out;
	}
	/* cJSON would end "api.example.com\u0000.evil.example.net" at the NUL and allow
	 * api.example.com: a policy says what it means or is refused */
	if (doc.nuls.len) {
		fail(err, errlen, "%s:%u: the %s at \"%s\" holds a NUL byte (\\u0000): refused", path,
		     doc.nuls.items[0].line, doc.nuls.items[0].in_key ? "key" : "string", doc.nuls.items[0].path);
		goto out;
	}
	/* two "allow" keys: one of them would be ignored without a word */
	if (doc.dups.len) {
		fail(err, errlen, "%s:%u: \"%s\" given twice (also line %u): refused", path, doc.dups.items[0].line,
		     doc.dups.items[0].path, doc.dups.items[0].first_line);
		goto out;
	}
	if (options && cJSON_IsObject(doc.root))
		*options = cJSON_DetachItemFromObjectCaseSensitive(doc.root, "options");
	rc = load_object(&l, doc.root);
out:
	json_doc_free(&doc);
	free(text);
	return rc;
}

int policy_load_file(struct policy *p, const char *path, char *err, size_t errlen)
{
	return load_file(p, path, JSON_STRICT, NULL, err, errlen);
}

int policy_load_config(struct policy *p, const char *path, cJSON **options, char *err, size_t errlen)
{
	*options = NULL;
	if (load_file(p, path, JSON_JSONC, options, err, errlen) == 0)
		return 0;
	cJSON_Delete(*options);
	*options = NULL;
	return -1;
}

/* ---- knowledge lists and fingerprints ---- */

int policy_each_listed(const char *list_name, int (*each)(const char *entry, void *arg), void *arg)
{
	const struct embedded_file *f = embedded_find(embedded_data, list_name);
	const char *p, *end;

	if (!f)
		return -1;
	for (p = (const char *)f->bytes, end = p + f->len; p < end;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *e = nl ? nl : end;
		const char *hash = memchr(p, '#', (size_t)(e - p));
		char entry[PATTERN_TEXT_MAX];
		size_t n;
		const char *stop = hash ? hash : e;
		while (p < stop && isspace((unsigned char)*p))
			p++;
		while (stop > p && isspace((unsigned char)stop[-1]))
			stop--;
		n = (size_t)(stop - p);
		if (n > 0 && n < sizeof entry) {
			memcpy(entry, p, n);
			entry[n] = '\0';
			if (each(entry, arg) != 0)
				return -1;
		}
		p = e + 1;
	}
	return 0;
}

char *policy_fingerprint(const char *rule_id, const char *file, const char *code)
{
	/* FNV-1a 64: stable across runs and platforms, and enough to tell code apart. White
	 * space is collapsed so that reformatting does not void a suppression. */
	uint64_t h = 0xcbf29ce484222325ULL;
	const char *parts[3] = {rule_id ? rule_id : "", file ? file : "", code ? code : ""};

	for (int i = 0; i < 3; i++) {
		bool space = false, started = false;
		for (const char *c = parts[i]; *c; c++) {
			if (isspace((unsigned char)*c)) {
				space = started;
				continue;
			}
			if (space)
				h = (h ^ ' ') * 0x100000001b3ULL;
			space = false;
			started = true;
			h = (h ^ (unsigned char)*c) * 0x100000001b3ULL;
		}
		h = (h ^ 0) * 0x100000001b3ULL;  /* separator: ("ab","c") differs from ("a","bc") */
	}
	return xasprintf("%016llx", (unsigned long long)h);
}

/* ---- comparing endpoints with the documentation and the policy ---- */

struct doc_entry {
	struct host_pattern hp;
	enum doc_match match;  /* DOC_EXACT (docs), DOC_ALLOW or DOC_POLICY */
	const char *source;    /* borrowed from r->documented */
	char *site;            /* registrable domain of a name pattern, else NULL */
};

struct apply {
	const struct policy *p;
	struct report *r;
	VEC(struct doc_entry) docs;
	VEC(struct host_pattern) exfil;
	struct channels channels;
};

/* Where an endpoint goes, as far as it is known. */
struct target {
	const char *host;  /* the whole host, or NULL */
	const char *tail;  /* no host: the label-aligned end of the known suffix, else NULL */
	int port;
	char *site;        /* registrable domain, or NULL; owned */
};

/* The part of a partial host's suffix that is made of whole labels: ".x.example.com" ->
 * "x.example.com", "-api.example.com" -> "example.com" (the unknown text joins "-api"). */
static const char *suffix_tail(const char *suffix)
{
	const char *dot = suffix ? strchr(suffix, '.') : NULL;

	return dot && dot[1] ? dot + 1 : NULL;
}

/* false when the endpoint has neither a host nor a suffix. A suffix without a whole label
 * ("{?}example") still counts: nothing can document it, so it is reported. */
static bool target_init(struct target *t, const struct endpoint *ep)
{
	memset(t, 0, sizeof *t);
	t->host = ep->host;
	t->tail = ep->host ? NULL : suffix_tail(ep->host_suffix);
	t->port = ep->port;
	if (!t->host && !ep->host_suffix)
		return false;
	/* A tail that is itself a public suffix ("github.io") yields NULL: the site is unknown. */
	t->site = hostname_registrable(t->host ? t->host : t->tail);
	return true;
}

static bool target_local(const struct target *t)
{
	return host_is_local(t->host ? t->host : t->tail);
}

/* Exact, wildcard and CIDR matching; a partial host is covered only by a wildcard whose
 * domain contains the whole known tail. */
static bool pattern_covers(const struct host_pattern *hp, const struct target *t)
{
	if (t->host)
		return host_pattern_match(hp, t->host, t->port);
	if (!t->tail || hp->kind != HP_WILDCARD || (hp->port && hp->port != t->port))
		return false;
	return hostname_within(t->tail, hp->host, true);
}

/* How t is documented, and by which entry (*by, NULL when undocumented). */
static enum doc_match classify(const struct apply *a, const struct target *t,
			       const struct doc_entry **by)
{
	*by = NULL;
	for (size_t i = 0; i < a->docs.len; i++) {
		if (pattern_covers(&a->docs.items[i].hp, t)) {
			*by = &a->docs.items[i];
			return (*by)->match;
		}
	}
	if (a->p->strict_docs || !t->site)
		return DOC_NONE;
	/* Site level: only the target's own docs widen to the site; an allow or policy entry
	 * says exactly what it means, and has "*." when it means more. */
	for (size_t i = 0; i < a->docs.len; i++) {
		const struct doc_entry *d = &a->docs.items[i];
		if (d->match == DOC_EXACT && d->hp.kind == HP_EXACT && d->site &&
		    strcmp(d->site, t->site) == 0) {
			*by = d;
			return DOC_SITE;
		}
	}
	return DOC_NONE;
}

static const char *phase_words(const char *phase, char *buf, size_t len)
{
	if (!phase)
		return "";
	if (strcmp(phase, "startup") == 0)
		return " at startup";
	if (strncmp(phase, "tool:", 5) == 0) {
		snprintf(buf, len, " in tool %s", phase + 5);
		return buf;
	}
	if (strcmp(phase, "other") == 0)
		return "";
	snprintf(buf, len, " during %s", phase);  /* the run's phases: "tools/call NAME", "install" */
	return buf;
}

/* "called from src/index.js:14 via fetch at startup" */
static void describe_evidence(const struct evidence *e, char *buf, size_t len)
{
	char phase[160], line[16] = "";

	if (e->line)
		snprintf(line, sizeof line, ":%u", e->line);
	if (e->file)
		snprintf(buf, len, "called from %s%s", e->file, line);
	else if (e->packet)
		snprintf(buf, len, "seen in packet %lu", e->packet);
	else if (e->stage && !strcmp(e->stage, "dynamic"))
		snprintf(buf, len, e->api && !strcmp(e->api, "dns") ? "looked up by the run" :
				   "contacted by the run (%s)", e->api ? e->api : "traffic");
	else
		snprintf(buf, len, "seen %s", e->stage ? e->stage : "");
	if (e->api && (!e->stage || strcmp(e->stage, "dynamic")))
		snprintf(buf + strlen(buf), len - strlen(buf), " via %s", e->api);
	snprintf(buf + strlen(buf), len - strlen(buf), "%s",
		 phase_words(e->phase, phase, sizeof phase));
}

static int fill_finding(struct finding *f, const struct endpoint *ep, const struct evidence *e)
{
	char *code;

	f->column = e->column;
	f->phase = xstrdup(e->phase);
	f->package = xstrdup(e->package);
	f->snippet = xstrdup(e->expression);
	/* The host is part of the fingerprint: a suppression of fetch(url) must not follow url
	 * to a new destination. */
	code = xasprintf("%s %s", ep->host ? ep->host : ep->host_suffix, e->expression ? e->expression : "");
	f->fingerprint = policy_fingerprint(f->rule_id, e->file, code);
	free(code);
	if (!f->fingerprint)
		return -1;
	if (e->file)
		return finding_add_chain(f, "%s:%u: %s", e->file, e->line, e->expression ? e->expression : "");
	return 0;
}

/* One finding of rule_id per piece of evidence, each "head (where)". */
static int add_per_evidence(struct apply *a, const struct endpoint *ep, const char *rule_id,
			    const char *head)
{
	static const struct evidence none = {0};
	size_t n = ep->evidence.len ? ep->evidence.len : 1;
	char where[600];

	for (size_t i = 0; i < n; i++) {
		const struct evidence *e = ep->evidence.len ? &ep->evidence.items[i] : &none;
		struct finding *f;
		describe_evidence(e, where, sizeof where);
		f = report_add_finding(a->r, rule_id, ep->host ? ep->host : ep->host_suffix, e->file,
				       e->line, "%s (%s)", head, where);
		if (!f || fill_finding(f, ep, e) != 0)
			return -1;
	}
	return 0;
}

/* "api.example.com", or "{?}.x.example.com" for a partial host. */
static void display_host(const struct endpoint *ep, char *buf, size_t len)
{
	if (ep->host)
		snprintf(buf, len, "%s", ep->host);
	else
		snprintf(buf, len, "{?}%s", ep->host_suffix ? ep->host_suffix : "");
}

static const struct host_pattern *denied_by(const struct apply *a, const struct target *t)
{
	for (size_t i = 0; i < a->p->deny.len; i++)
		if (pattern_covers(&a->p->deny.items[i], t))
			return &a->p->deny.items[i];
	return NULL;
}

static int check_egress(struct apply *a, const struct endpoint *ep, const struct target *t)
{
	const struct host_pattern *deny = denied_by(a, t);
	char host[URL_HOST_MAX + 8], pattern[PATTERN_TEXT_MAX], head[1024];

	if (ep->kind == EK_USER_DIRECTED || target_local(t))
		return 0;
	if (!deny && ep->documented_by != DOC_NONE)
		return 0;
	display_host(ep, host, sizeof host);
	if (deny) {
		host_pattern_format(deny, pattern, sizeof pattern);
		snprintf(head, sizeof head, "%s is denied by policy (%s in %s)", host, pattern,
			 deny->source);
	} else {
		snprintf(head, sizeof head, "%s is not documented", host);
	}
	return add_per_evidence(a, ep, "undocumented-egress", head);
}

/* ---- lookalikes ---- */

/* Same length, and where they differ one has '-' and the other '.' (api-github.com). */
static bool hyphen_for_dot(const char *host, const char *doc)
{
	bool differs = false;

	if (strlen(host) != strlen(doc))
		return false;
	for (; *host; host++, doc++) {
		if (*host == *doc)
			continue;
		if (!((*host == '-' && *doc == '.') || (*host == '.' && *doc == '-')))
			return false;
		differs = true;
	}
	return differs;
}

/* Optimal string alignment distance (a transposition costs 1) of two DNS labels;
 * 99 when either is longer than a label may be. */
static int edit_distance(const char *a, size_t n, const char *b, size_t m)
{
	int prev2[64], prev[64], cur[64];

	if (n > 63 || m > 63)
		return 99;
	for (size_t j = 0; j <= m; j++)
		prev[j] = (int)j;
	for (size_t i = 1; i <= n; i++) {
		cur[0] = (int)i;
		for (size_t j = 1; j <= m; j++) {
			int cost = a[i - 1] != b[j - 1];
			int best = prev[j - 1] + cost;
			if (prev[j] + 1 < best)
				best = prev[j] + 1;
			if (cur[j - 1] + 1 < best)
				best = cur[j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    prev2[j - 2] + 1 < best)
				best = prev2[j - 2] + 1;
			cur[j] = best;
		}
		memcpy(prev2, prev, sizeof prev);
		memcpy(prev, cur, sizeof cur);
	}
	return prev[m];
}

/* githuh.com beside github.com: the first labels of the two registrable domains are a
 * typo apart, under the same public suffix. Short labels get less room, since two edits
 * turn "gitlab" into "github". */
static bool near_miss(const char *site, const char *doc_site)
{
	const char *dot = strchr(site, '.'), *ddot = strchr(doc_site, '.');
	size_t n, m;
	int allowed, d;

	if (!dot || !ddot || strcmp(dot, ddot) != 0)
		return false;
	n = (size_t)(dot - site);
	m = (size_t)(ddot - doc_site);
	allowed = m >= 8 ? 2 : m >= 5 ? 1 : 0;
	d = edit_distance(site, n, doc_site, m);
	return d >= 1 && d <= allowed;
}

/* github-api.example.net beside github.com: the documented site's name is a hyphen- or
 * underscore-separated part of a compound label before the host's public suffix. A label
 * that is the name alone does not count: github.net is a TLD swap (example.net beside
 * example.org is not an imitation), and github.map.fastly.net is a CDN. Nor does a longer
 * word: githubusercontent.com is GitHub's own. */
static bool name_in_compound(const char *host, const char *site, const char *doc_site)
{
	const char *ddot = strchr(doc_site, '.'), *dot = strchr(site, '.');
	size_t m = ddot ? (size_t)(ddot - doc_site) : 0;
	size_t end = strlen(host) - (dot ? strlen(dot) : 0);

	if (m < 5)
		return false;
	for (size_t i = 0; i < end;) {
		size_t label = i, j;
		bool compound = false;
		for (j = i; j < end && host[j] != '.'; j++)
			compound |= host[j] == '-' || host[j] == '_';
		for (size_t k = label; compound && k + m <= j; k++) {
			bool starts = k == label || host[k - 1] == '-' || host[k - 1] == '_';
			bool ends = k + m == j || host[k + m] == '-' || host[k + m] == '_';
			if (starts && ends && strncmp(host + k, doc_site, m) == 0)
				return true;
		}
		i = j + 1;
	}
	return false;
}

/* How host (of registrable domain site) imitates the documented entry d, or NULL. */
static const char *imitation(const char *host, const char *site, const struct doc_entry *d)
{
	size_t n;

	if (!d->site || strcmp(site, d->site) == 0)
		return NULL;
	if (hyphen_for_dot(host, d->hp.host))
		return "a hyphen in place of a dot";
	n = strlen(d->hp.host);
	if (strncmp(host, d->hp.host, n) == 0 && host[n] == '.')
		return "the documented name followed by another domain";
	if (near_miss(site, d->site))
		return "a misspelling of the documented domain";
	if (name_in_compound(host, site, d->site))
		return "the documented name inside another domain";
	return NULL;
}

static int check_lookalike(struct apply *a, const struct endpoint *ep, const struct target *t)
{
	char head[1024];

	if (ep->documented_by != DOC_NONE || ep->kind == EK_USER_DIRECTED || !t->host || !t->site ||
	    host_is_ip(t->host) || target_local(t))
		return 0;
	for (size_t i = 0; i < a->docs.len; i++) {
		const struct doc_entry *d = &a->docs.items[i];
		const char *how = imitation(t->host, t->site, d);
		if (!how)
			continue;
		snprintf(head, sizeof head, "%s imitates %s%s, documented in %s: %s", t->host,
			 d->hp.kind == HP_WILDCARD ? "*." : "", d->hp.host, d->source, how);
		return add_per_evidence(a, ep, "lookalike-domain", head);
	}
	return 0;
}

static int check_exfil(struct apply *a, const struct endpoint *ep, const struct target *t)
{
	char host[URL_HOST_MAX + 8], pattern[PATTERN_TEXT_MAX], head[1024];

	if (ep->kind == EK_USER_DIRECTED)
		return 0;
	for (size_t i = 0; i < a->exfil.len; i++) {
		if (!pattern_covers(&a->exfil.items[i], t))
			continue;
		display_host(ep, host, sizeof host);
		host_pattern_format(&a->exfil.items[i], pattern, sizeof pattern);
		snprintf(head, sizeof head,
			 "%s is a paste, webhook, tunnel or request-bin service often used to carry "
			 "data out (listed as %s)", host, pattern);
		return add_per_evidence(a, ep, "exfil-prone-destination", head);
	}
	return 0;
}

/* One finding per request that went through a path-qualified channel (a Discord webhook
 * on a documented discord.com is still one), and a note for HTTPS to a host that has
 * channels, where the path is not seen. */
static int check_channels(struct apply *a, const struct endpoint *ep, const struct target *t)
{
	bool noted = false;

	if (ep->kind == EK_USER_DIRECTED || !t->host)
		return 0;
	for (size_t i = 0; i < ep->evidence.len; i++) {
		const struct evidence *e = &ep->evidence.items[i];
		const struct exfil_channel *ch = channels_match(&a->channels, t->host, e->path);
		const struct endpoint one = {.host = ep->host, .evidence = {(struct evidence *)e, 1, 1}};
		char head[1024];
		if (!ch && !noted && e->api && !strcmp(e->api, "tls-sni") &&
		    (ch = channels_on_host(&a->channels, t->host)) != NULL) {
			snprintf(head, sizeof head, "%s has exfiltration channels (%s..., see %s); the run's "
				 "requests to it were encrypted, so which paths it used is not known", t->host,
				 ch->path, ch->source);
			noted = true;
			if (add_per_evidence(a, &one, "exfil-prone-destination", head) != 0)
				return -1;
			a->r->findings.items[a->r->findings.len - 1]->severity = SEV_INFO;
			continue;
		}
		if (!ch)
			continue;
		snprintf(head, sizeof head, "a request to %s%.200s goes through a channel that carries data to "
			 "whoever made the URL (%s%s, %s; listed in %s line %u)", t->host, e->path,
			 t->host, ch->path, ch->source, CHANNELS_LIST, ch->line);
		if (add_per_evidence(a, &one, "exfil-prone-destination", head) != 0)
			return -1;
	}
	return 0;
}

/* Whether t is a paste, webhook or tunnel service, or a host with exfiltration channels:
 * such a host is never documented by a service's name. */
static bool exfil_prone(const struct apply *a, const struct target *t)
{
	for (size_t i = 0; i < a->exfil.len; i++)
		if (pattern_covers(&a->exfil.items[i], t))
			return true;
	return t->host && channels_on_host(&a->channels, t->host) != NULL;
}

/* A client library's own default host (sdk-default, never a configured one) whose service
 * the docs name as a word ("uses the OpenAI API"): a reader of those docs expects that
 * vendor's API, reached through its official client. Even "we send nothing to OpenAI"
 * names it; what goes there is still checked by credential-flow. Returns 0 or -1. */
static int service_named(const struct apply *a, struct endpoint *ep, const struct target *t)
{
	char names[256], source[4352];
	const char *spelling = NULL, *at = NULL;

	if (ep->kind != EK_SDK_DEFAULT || !ep->services || !t->host || a->p->strict_docs || exfil_prone(a, t))
		return 0;
	snprintf(names, sizeof names, "%s", ep->services);
	for (char *name = names, *comma; name && !at; name = comma ? comma + 1 : NULL) {
		if ((comma = strchr(name, ',')))
			*comma = '\0';
		at = doc_words_find(a->r->doc_words, name, &spelling);
	}
	if (!at)
		return 0;
	snprintf(source, sizeof source, "%s as '%s'", at, spelling);
	ep->documented_by = DOC_SERVICE_NAME;
	return (ep->documented_source = xstrdup(source)) ? 0 : -1;
}

static int apply_endpoint(struct apply *a, struct endpoint *ep)
{
	const struct doc_entry *by;
	struct target t;
	int rc = -1;

	if (!target_init(&t, ep))
		return 0;  /* user-directed or unknown: nothing to compare */
	free(ep->registrable_domain);
	free(ep->documented_source);
	ep->registrable_domain = xstrdup(t.site);
	ep->documented_by = classify(a, &t, &by);
	ep->documented_source = by ? xstrdup(by->source) : NULL;
	if ((t.site && !ep->registrable_domain) || (by && !ep->documented_source))
		goto out;
	if (ep->documented_by == DOC_NONE && service_named(a, ep, &t) != 0)
		goto out;
	if (check_egress(a, ep, &t) != 0 || check_lookalike(a, ep, &t) != 0 ||
	    check_exfil(a, ep, &t) != 0 || check_channels(a, ep, &t) != 0)
		goto out;
	rc = 0;
out:
	free(t.site);
	return rc;
}

/* ---- credential flows and suppressions ---- */

static bool host_documented(const struct apply *a, const char *host)
{
	const struct doc_entry *by;
	struct target t = {host, NULL, 0, NULL};
	bool yes;

	for (size_t i = 0; i < a->r->endpoints.len; i++) {
		const struct endpoint *ep = a->r->endpoints.items[i];
		if (ep->host && strcmp(ep->host, host) == 0 && ep->documented_by != DOC_NONE)
			return true;
	}
	t.site = hostname_registrable(host);
	yes = classify(a, &t, &by) != DOC_NONE;
	free(t.site);
	return yes;
}

/* A named secret sent to its own service, documented (GITHUB_TOKEN to api.github.com), is
 * how an API client works, not a leak; to any other documented host it still is one. Dropped findings are freed through a throw-away report
 * so that report.c stays the only place that knows how to free one. */
static int drop_expected_credential_flows(struct apply *a)
{
	struct report *trash = NULL;
	size_t keep = 0;
	int rc = 0;

	for (size_t i = 0; i < a->r->findings.len; i++) {
		struct finding *f = a->r->findings.items[i];
		bool drop = f->named_secret_only && f->own_service && f->host &&
			    strcmp(f->rule_id, "credential-flow") == 0 && host_documented(a, f->host);
		if (drop && (trash || (trash = report_new())) && vec_push(&trash->findings, f) == 0)
			continue;
		if (drop)
			rc = -1;
		a->r->findings.items[keep++] = f;
	}
	a->r->findings.len = keep;
	report_free(trash);
	return rc;
}

/* A canary that went to its own service's documented API (a GitHub token to a documented
 * api.github.com) is how a client of that service works: info, still listed. Anywhere
 * else, documented or not, it stays critical: exfiltration through an allowlisted
 * service is a known technique. */
static int expected_canary_hits(struct apply *a)
{
	for (size_t i = 0; i < a->r->findings.len; i++) {
		struct finding *f = a->r->findings.items[i];
		struct strbuf b = {0};
		if (!f->own_service || !f->host || strcmp(f->rule_id, "credential-exfiltration") != 0 ||
		    !host_documented(a, f->host))
			continue;
		strbuf_puts(&b, f->message ? f->message : "");
		strbuf_puts(&b, "; expected: the token's own service, documented");
		if (!b.s)
			return -1;
		free(f->message);
		f->message = strbuf_take(&b);
		f->severity = SEV_INFO;
	}
	return 0;
}

static const char *without_dot_slash(const char *path)
{
	while (path[0] == '.' && path[1] == '/')
		path += 2;
	return path;
}

/* Does s name f: the same rule, and the same file and fingerprint, or, for a finding
 * without a file, the same host (any case) and phase? */
static bool suppression_names(const struct suppression *s, const struct finding *f)
{
	if (strcmp(s->rule_id, f->rule_id) != 0)
		return false;
	if (s->file)
		return f->file && f->fingerprint && strcmp(s->fingerprint, f->fingerprint) == 0 &&
		       strcmp(without_dot_slash(s->file), without_dot_slash(f->file)) == 0;
	return !f->file && f->host && f->phase && strcasecmp(s->host, f->host) == 0 &&
	       strcmp(s->phase, f->phase) == 0;
}

static const struct suppression *suppression_for(const struct policy *p, const struct finding *f,
						 const char *today)
{
	for (size_t i = 0; i < p->suppressions.len; i++) {
		const struct suppression *s = &p->suppressions.items[i];
		if (!suppression_names(s, f))
			continue;
		/* "expires": "2027-01-01" still holds on that day; ISO dates compare as text. */
		if (s->expires && today && strcmp(today, s->expires) > 0)
			continue;
		return s;
	}
	return NULL;
}

static int apply_suppressions(const struct policy *p, struct report *r, const char *today)
{
	for (size_t i = 0; i < r->findings.len; i++) {
		struct finding *f = r->findings.items[i];
		const struct suppression *s = suppression_for(p, f, today);
		if (!s)
			continue;
		free(f->suppressed);
		if (!(f->suppressed = xstrdup(s->reason)))
			return -1;
	}
	return 0;
}

/* ---- setting up ---- */

static int load_docs(struct apply *a)
{
	char err[256];

	for (size_t i = 0; i < a->r->documented.len; i++) {
		const struct documented_host *dh = &a->r->documented.items[i];
		struct doc_entry d = {.match = dh->match_kind, .source = dh->source};
		if (host_pattern_parse(dh->pattern, dh->source, &d.hp, err, sizeof err) != 0) {
			if (report_add_incomplete(a->r, NULL, "documented pattern from %s ignored: %s",
						  dh->source ? dh->source : "?", err) != 0)
				return -1;
			continue;
		}
		if (d.hp.kind == HP_EXACT || d.hp.kind == HP_WILDCARD)
			d.site = hostname_registrable(d.hp.host);
		if (vec_push(&a->docs, d) != 0) {
			host_pattern_free(&d.hp);
			free(d.site);
			return -1;
		}
	}
	return 0;
}

static int add_exfil(const char *entry, void *arg)
{
	struct apply *a = arg;
	char err[256];

	if (PUSH_PATTERN(&a->exfil, entry, exfil_list_name, err, sizeof err) == 0)
		return 0;
	/* A bad line in our own list is a bug the unit tests catch; skip it, do not stop. */
	return report_add_incomplete(a->r, NULL, "%s: %s", exfil_list_name, err);
}

static void apply_free(struct apply *a)
{
	for (size_t i = 0; i < a->docs.len; i++) {
		host_pattern_free(&a->docs.items[i].hp);
		free(a->docs.items[i].site);
	}
	vec_free(&a->docs);
	for (size_t i = 0; i < a->exfil.len; i++)
		host_pattern_free(&a->exfil.items[i]);
	vec_free(&a->exfil);
	channels_free(&a->channels);
}

int policy_apply(const struct policy *p, struct report *r, const char *today)
{
	struct apply a = {.p = p, .r = r};
	size_t n = r->endpoints.len;
	char err[300];
	int rc = -1;

	if (load_docs(&a) != 0)
		goto out;
	if (policy_each_listed(exfil_list_name, add_exfil, &a) != 0 &&
	    report_add_incomplete(r, NULL, "the exfil-prone service list is missing") != 0)
		goto out;
	if (channels_load(NULL, 0, &a.channels, err, sizeof err) != 0 &&
	    report_add_incomplete(r, NULL, "exfiltration channels not checked: %s", err) != 0)
		goto out;
	for (size_t i = 0; i < n; i++)
		if (apply_endpoint(&a, r->endpoints.items[i]) != 0)
			goto out;
	if (drop_expected_credential_flows(&a) != 0 || expected_canary_hits(&a) != 0 ||
	    apply_suppressions(p, r, today) != 0)
		goto out;
	rc = 0;
out:
	apply_free(&a);
	return rc;
}

int policy_add_documented(const struct policy *p, struct report *r)
{
	for (size_t i = 0; i < p->allow.len; i++) {
		const struct host_pattern *hp = &p->allow.items[i];
		char text[300];
		if (hp->kind == HP_EXACT || hp->kind == HP_WILDCARD)
			snprintf(text, sizeof text, "%s%s", hp->kind == HP_WILDCARD ? "*." : "", hp->host);
		else
			snprintf(text, sizeof text, "%s", hp->host ? hp->host : "");
		if (report_add_documented(r, text, hp->source,
					  strcmp(hp->source, "--allow") == 0 ? DOC_ALLOW : DOC_POLICY) != 0)
			return -1;
	}
	return 0;
}
