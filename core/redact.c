/* redact: known secrets and secret-looking patterns replaced in every piece of evidence. */
#include "core/redact.h"

#include <regex.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/policy.h"
#include "core/report.h"
#include "core/strbuf.h"

#define PATTERNS_LIST "core/data/secret_patterns.txt"
#define PATTERNS_MAX 64
#define VALUE_MIN 8
#define REDACT_MAX (1u << 20) /* a longer text is replaced whole */

struct pattern {
	char label[48];
	bool value;  /* the match names the secret; its value follows */
	regex_t re;
};

struct patterns {
	struct pattern p[PATTERNS_MAX];
	size_t n;
	bool bad;
};

static int add_pattern(const char *entry, void *arg)
{
	struct patterns *ps = arg;
	char label[48], kind[16];
	int used = 0;
	struct pattern *p = &ps->p[ps->n];

	if (ps->n == PATTERNS_MAX || sscanf(entry, "%47s %15s %n", label, kind, &used) != 2 || !entry[used]) {
		ps->bad = true;
		return 0;
	}
	snprintf(p->label, sizeof p->label, "%s", label);
	p->value = !strncmp(kind, "value", 5);
	if (regcomp(&p->re, entry + used, REG_EXTENDED | (strstr(kind, "/i") ? REG_ICASE : 0)) != 0) {
		ps->bad = true;
		return 0;
	}
	ps->n++;
	return 0;
}

static void patterns_free(struct patterns *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		regfree(&ps->p[i].re);
}

/* Where a value after "name=" ends: at white space, quotes and the punctuation that ends
 * a value in a query string, a header, JSON or code. */
static size_t value_len(const char *v)
{
	return strcspn(v, " \t\r\n\"'`,;&)]}<>|");
}

/* A secret, not code or prose: long enough, not a call or a member access, not already
 * redacted, with a digit or a symbol in it. */
static bool looks_secret(const char *v, size_t n)
{
	bool mixed = false;

	if (n < VALUE_MIN || v[0] == '[' || v[0] == '$' || memchr(v, '(', n) || memchr(v, '.', n) ||
	    memchr(v, '{', n))
		return false;
	for (size_t i = 0; i < n; i++)
		mixed |= !((v[i] >= 'a' && v[i] <= 'z') || (v[i] >= 'A' && v[i] <= 'Z') || v[i] == '_');
	return mixed;
}

/* One pattern over text: every match replaced. Returns a new string, or NULL. */
static char *apply(const struct pattern *p, const char *text)
{
	struct strbuf out = STRBUF_INIT(0);
	const char *at = text;
	regmatch_t m;

	while (*at && regexec(&p->re, at, 1, &m, at == text ? 0 : REG_NOTBOL) == 0 && m.rm_eo > m.rm_so) {
		const char *v = at + m.rm_eo;
		size_t n = value_len(v);
		if (!p->value) {
			strbuf_append(&out, at, (size_t)m.rm_so);
			strbuf_printf(&out, "[redacted %s]", p->label);
			at += m.rm_eo;
			continue;
		}
		strbuf_append(&out, at, (size_t)m.rm_eo);
		if (looks_secret(v, n)) {
			strbuf_printf(&out, "[redacted %s]", p->label);
			v += n;
		}
		at = v;
	}
	strbuf_puts(&out, at);
	if (!out.s)
		strbuf_puts(&out, "");
	return strbuf_take(&out);
}

/* Every occurrence of value replaced by "[label]". Returns a new string, or NULL. */
static char *replace_all(const char *text, const char *value, const char *label)
{
	struct strbuf out = STRBUF_INIT(0);
	size_t n = strlen(value);
	const char *at = text, *hit;

	while ((hit = strstr(at, value))) {
		strbuf_append(&out, at, (size_t)(hit - at));
		strbuf_printf(&out, "[%s]", label);
		at = hit + n;
	}
	strbuf_puts(&out, at);
	if (!out.s)
		strbuf_puts(&out, "");
	return strbuf_take(&out);
}

static int by_length_desc(const void *a, const void *b)
{
	size_t x = strlen((*(const struct known_secret *const *)a)->value);
	size_t y = strlen((*(const struct known_secret *const *)b)->value);

	return x < y ? 1 : x > y ? -1 : 0;
}

static char *redact_with(const char *s, const struct report *r, const struct patterns *ps)
{
	const struct known_secret *sorted[256];
	size_t n = 0;
	char *cur;

	if (!s)
		return NULL;
	if (strlen(s) > REDACT_MAX || ps->bad)
		return xstrdup("[redacted]");
	cur = xstrdup(s);
	for (size_t i = 0; r && i < r->secrets.len && n < sizeof sorted / sizeof *sorted; i++)
		sorted[n++] = &r->secrets.items[i];
	qsort(sorted, n, sizeof *sorted, by_length_desc); /* a canary's value before its random part */
	for (size_t i = 0; cur && i < n; i++) {
		char *next = strstr(cur, sorted[i]->value) ? replace_all(cur, sorted[i]->value, sorted[i]->label) : cur;
		if (next != cur)
			free(cur);
		cur = next;
	}
	for (size_t i = 0; cur && i < ps->n; i++) {
		char *next = apply(&ps->p[i], cur);
		free(cur);
		cur = next;
	}
	return cur;
}

static int load(struct patterns *ps)
{
	memset(ps, 0, sizeof *ps);
	if (policy_each_listed(PATTERNS_LIST, add_pattern, ps) != 0)
		ps->bad = true;
	return ps->bad ? -1 : 0;
}

char *redact_text(const char *s, const struct report *r)
{
	struct patterns ps;
	char *out;

	load(&ps);
	out = redact_with(s, r, &ps);
	patterns_free(&ps);
	return out;
}

/* Replace *field with its redacted form; on failure with "[redacted]". */
static int field(char **f, const struct report *r, const struct patterns *ps)
{
	char *red;

	if (!*f)
		return 0;
	red = redact_with(*f, r, ps);
	free(*f);
	*f = red ? red : xstrdup("[redacted]");
	return red ? 0 : -1;
}

/* The arguments the run sent and the errors it got back can hold what a server said. */
static int redact_coverage(struct report *r, const struct patterns *ps)
{
	int rc = 0;

	for (size_t i = 0; i < r->coverage.calls.len; i++)
		rc |= field(&r->coverage.calls.items[i].arguments, r, ps) |
		      field(&r->coverage.calls.items[i].detail, r, ps);
	return rc;
}

static int redact_findings(struct report *r, const struct patterns *ps)
{
	int rc = 0;

	for (size_t i = 0; i < r->findings.len; i++) {
		struct finding *f = r->findings.items[i];
		rc |= field(&f->message, r, ps) | field(&f->snippet, r, ps);
		for (size_t k = 0; k < f->chain.len; k++)
			rc |= field(&f->chain.items[k], r, ps);
		for (size_t k = 0; k < f->events.len; k++)
			rc |= field(&f->events.items[k], r, ps);
	}
	return rc;
}

static int redact_evidence(struct report *r, const struct patterns *ps)
{
	int rc = 0;

	for (size_t i = 0; i < r->endpoints.len; i++) {
		struct endpoint *ep = r->endpoints.items[i];
		rc |= field(&ep->path, r, ps);
		for (size_t k = 0; k < ep->evidence.len; k++)
			rc |= field(&ep->evidence.items[k].expression, r, ps) | field(&ep->evidence.items[k].path, r, ps);
	}
	return rc;
}

int redact_report(struct report *r)
{
	struct patterns ps;
	int rc = load(&ps);

	rc |= redact_findings(r, &ps) | redact_evidence(r, &ps) | redact_coverage(r, &ps) | field(&r->error, r, &ps);
	for (size_t i = 0; i < r->incomplete.len; i++)
		rc |= field(&r->incomplete.items[i].reason, r, &ps);
	for (size_t i = 0; i < r->verdict.reasons.len; i++)
		rc |= field(&r->verdict.reasons.items[i], r, &ps);
	for (size_t i = 0; i < r->url_strings.len; i++)
		rc |= field(&r->url_strings.items[i].url, r, &ps);
	patterns_free(&ps);
	return rc ? -1 : 0;
}
