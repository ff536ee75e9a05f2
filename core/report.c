/* The report model: construction, merging, ordering and counting. */
#include "core/report.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/doc_words.h"
#include "core/redact.h"
#include "core/strbuf.h"

static const char *const kind_names[] = {"literal", "env-default", "user-directed",
					 "obfuscated", "partial", "ip", "sdk-default"};
static const char *const match_names[] = {"none", "exact", "site", "allow", "policy",
					  "service-name"};

const char *endpoint_kind_name(enum endpoint_kind k)
{
	return (unsigned)k <= EK_SDK_DEFAULT ? kind_names[k] : "unknown";
}

const char *doc_match_name(enum doc_match m)
{
	return (unsigned)m <= DOC_SERVICE_NAME ? match_names[m] : "none";
}

static const char *const observed_names[] = {NULL, "confirmed", "not-exercised", "hidden",
					     "static-only-run", "dynamic-only-run"};
static const char *const verdict_names[] = {NULL, "pass", "review", "fail"};

const char *evidence_content_name(enum evidence_content c)
{
	return c == CONTENT_SEEN ? "seen" : c == CONTENT_ENCRYPTED ? "encrypted" : NULL;
}

bool endpoint_content_seen(const struct endpoint *ep, bool *known)
{
	bool seen = true;

	*known = false;
	for (size_t i = 0; i < ep->evidence.len; i++) {
		if (ep->evidence.items[i].content == CONTENT_NONE)
			continue;
		*known = true;
		seen = seen && ep->evidence.items[i].content == CONTENT_SEEN;
	}
	return *known && seen;
}

const char *observed_name(enum observed o)
{
	return (unsigned)o <= OBS_DYNAMIC_ONLY_RUN ? observed_names[o] : NULL;
}

const char *verdict_name(enum verdict_result v)
{
	return (unsigned)v <= VERDICT_FAIL ? verdict_names[v] : NULL;
}

struct report *report_new(void)
{
	struct report *r = calloc(1, sizeof *r);

	if (r)
		r->execution_successful = true;
	return r;
}

static void evidence_clear(struct evidence *e)
{
	free(e->stage);
	free(e->file);
	free(e->api);
	free(e->expression);
	free(e->phase);
	free(e->package);
	free(e->env_var);
	free(e->decoded_by);
	free(e->path);
}

static void endpoint_free(struct endpoint *ep)
{
	if (!ep)
		return;
	free(ep->host);
	free(ep->host_suffix);
	free(ep->scheme);
	free(ep->path);
	free(ep->registrable_domain);
	free(ep->documented_source);
	free(ep->services);
	for (size_t i = 0; i < ep->evidence.len; i++)
		evidence_clear(&ep->evidence.items[i]);
	vec_free(&ep->evidence);
	free(ep);
}

static void free_string_list(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
}

static void finding_free(struct finding *f)
{
	if (!f)
		return;
	free(f->message);
	free(f->host);
	free(f->file);
	free(f->snippet);
	free(f->dependency);
	free(f->fingerprint);
	free(f->phase);
	free(f->package);
	free(f->suppressed);
	free_string_list(f->chain.items, f->chain.len);
	vec_free(&f->chain);
	free_string_list(f->events.items, f->events.len);
	vec_free(&f->events);
	free(f);
}


static void package_free(struct package_info *p)
{
	if (!p)
		return;
	free(p->ecosystem);
	free(p->name);
	free(p->version);
	free(p->source);
	free(p->integrity);
	free(p->created);
	free(p->published);
	free(p->lockfile);
	for (size_t i = 0; i < p->scripts.len; i++) {
		free(p->scripts.items[i].name);
		free(p->scripts.items[i].command);
		free(p->scripts.items[i].file);
	}
	vec_free(&p->scripts);
	for (size_t i = 0; i < p->bins.len; i++) {
		free(p->bins.items[i].name);
		free(p->bins.items[i].path);
	}
	vec_free(&p->bins);
	free_string_list(p->dependencies.items, p->dependencies.len);
	vec_free(&p->dependencies);
	free_string_list(p->requirements.items, p->requirements.len);
	vec_free(&p->requirements);
	free_string_list(p->command.items, p->command.len);
	vec_free(&p->command);
	free(p->started_from);
	free(p->started_why);
	free(p->transport);
	free(p->transport_url);
	free(p->transport_why);
	free(p);
}

struct package_info *report_package(struct report *r)
{
	package_free(r->package);
	r->package = calloc(1, sizeof *r->package);
	return r->package;
}

int report_add_reason(struct report *r, const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -1;
	if (vec_push(&r->verdict.reasons, s) != 0) {
		free(s);
		return -1;
	}
	return 0;
}

static void coverage_call_free(struct coverage_call *c)
{
	free(c->method);
	free(c->target);
	free(c->arguments);
	free(c->outcome);
	free(c->detail);
}

static void coverage_free(struct coverage *c)
{
	free_string_list(c->tools.items, c->tools.len);
	vec_free(&c->tools);
	free_string_list(c->resources.items, c->resources.len);
	vec_free(&c->resources);
	free_string_list(c->prompts.items, c->prompts.len);
	vec_free(&c->prompts);
	for (size_t i = 0; i < c->calls.len; i++)
		coverage_call_free(&c->calls.items[i]);
	vec_free(&c->calls);
	for (size_t i = 0; i < c->phases.len; i++)
		free(c->phases.items[i].phase);
	vec_free(&c->phases);
	free(c->transport);
	*c = (struct coverage){0};
}

int report_add_call(struct report *r, const struct coverage_call *c)
{
	struct coverage_call copy = {xstrdup(c->method), xstrdup(c->target), xstrdup(c->arguments),
				     xstrdup(c->outcome), xstrdup(c->detail), c->start_ms, c->end_ms};

	if (!copy.method || !copy.outcome || (c->target && !copy.target) || (c->arguments && !copy.arguments) ||
	    (c->detail && !copy.detail) || vec_push(&r->coverage.calls, copy) != 0) {
		coverage_call_free(&copy);
		return -1;
	}
	return 0;
}

int report_add_phase(struct report *r, const char *phase, double ms)
{
	struct coverage_phase p = {xstrdup(phase), ms};

	if (!p.phase || vec_push(&r->coverage.phases, p) != 0) {
		free(p.phase);
		return -1;
	}
	return 0;
}

int report_add_listed(struct report *r, enum coverage_list which, const char *name)
{
	char *copy = xstrdup(name);
	int rc = -1;

	if (!copy)
		return -1;
	switch (which) {
	case COVERAGE_TOOLS: rc = vec_push(&r->coverage.tools, copy); break;
	case COVERAGE_RESOURCES: rc = vec_push(&r->coverage.resources, copy); break;
	case COVERAGE_PROMPTS: rc = vec_push(&r->coverage.prompts, copy); break;
	}
	if (rc != 0)
		free(copy);
	return rc;
}

void report_free(struct report *r)
{
	if (!r)
		return;
	package_free(r->package);
	free_string_list(r->verdict.reasons.items, r->verdict.reasons.len);
	vec_free(&r->verdict.reasons);
	for (size_t i = 0; i < r->targets.len; i++)
		free(r->targets.items[i]);
	vec_free(&r->targets);
	free(r->root);
	for (size_t i = 0; i < r->documented.len; i++) {
		free(r->documented.items[i].pattern);
		free(r->documented.items[i].source);
	}
	vec_free(&r->documented);
	doc_words_free(r->doc_words);
	for (size_t i = 0; i < r->endpoints.len; i++)
		endpoint_free(r->endpoints.items[i]);
	vec_free(&r->endpoints);
	for (size_t i = 0; i < r->findings.len; i++)
		finding_free(r->findings.items[i]);
	vec_free(&r->findings);
	for (size_t i = 0; i < r->incomplete.len; i++) {
		free(r->incomplete.items[i].file);
		free(r->incomplete.items[i].reason);
	}
	vec_free(&r->incomplete);
	for (size_t i = 0; i < r->url_strings.len; i++) {
		free(r->url_strings.items[i].url);
		free(r->url_strings.items[i].file);
	}
	for (size_t i = 0; i < r->secrets.len; i++) {
		free(r->secrets.items[i].value);
		free(r->secrets.items[i].label);
	}
	vec_free(&r->secrets);
	vec_free(&r->url_strings);
	for (size_t i = 0; i < r->skipped_by_design.len; i++)
		free(r->skipped_by_design.items[i].file);
	vec_free(&r->skipped_by_design);
	coverage_free(&r->coverage);
	free(r->error);
	free(r);
}

/* Lower-case copy without a trailing dot; NULL stays NULL. */
static char *normalise_host(const char *host)
{
	char *h = xstrdup(host);
	size_t n;

	if (!h)
		return NULL;
	for (char *p = h; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	n = strlen(h);
	if (n > 1 && h[n - 1] == '.')
		h[n - 1] = '\0';
	return h;
}

static bool same_str(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static struct endpoint *find_endpoint(struct report *r, const char *host, const char *suffix,
				      int port, const char *scheme, enum endpoint_kind kind)
{
	for (size_t i = 0; i < r->endpoints.len; i++) {
		struct endpoint *ep = r->endpoints.items[i];
		if (ep->kind == kind && ep->port == port && same_str(ep->host, host) &&
		    same_str(ep->host_suffix, suffix) && same_str(ep->scheme, scheme))
			return ep;
	}
	return NULL;
}

struct endpoint *report_endpoint(struct report *r, const char *host, const char *host_suffix,
				 int port, const char *scheme, enum endpoint_kind kind)
{
	char *h = normalise_host(host);
	char *s = normalise_host(host_suffix);
	struct endpoint *ep = NULL;

	if ((host && !h) || (host_suffix && !s))
		goto out;
	ep = find_endpoint(r, h, s, port, scheme, kind);
	if (ep)
		goto out;
	ep = calloc(1, sizeof *ep);
	if (!ep)
		goto out;
	ep->host = h;
	ep->host_suffix = s;
	h = s = NULL;
	ep->port = port;
	ep->scheme = xstrdup(scheme);
	ep->kind = kind;
	if (vec_push(&r->endpoints, ep) != 0) {
		endpoint_free(ep);
		ep = NULL;
	}
out:
	free(h);
	free(s);
	return ep;
}

static void evidence_copy(struct evidence *dst, const struct evidence *src)
{
	dst->stage = xstrdup(src->stage);
	dst->file = xstrdup(src->file);
	dst->line = src->line;
	dst->column = src->column;
	dst->api = xstrdup(src->api);
	dst->expression = xstrdup(src->expression);
	dst->phase = xstrdup(src->phase);
	dst->package = xstrdup(src->package);
	dst->env_var = xstrdup(src->env_var);
	dst->decoded_by = xstrdup(src->decoded_by);
	dst->path = xstrdup(src->path);
	dst->packet = src->packet;
	dst->time_ms = src->time_ms;
	dst->content = src->content;
}

/* The same call site, or (dynamic evidence, which has no file) the same kind of event in
 * the same phase: one per phase is kept, so a later phase's event is not lost. */
static bool same_evidence(const struct evidence *a, const struct evidence *b)
{
	return a->line == b->line && a->column == b->column && a->packet == b->packet && a->content == b->content &&
	       same_str(a->file, b->file) && same_str(a->api, b->api) && same_str(a->stage, b->stage) &&
	       (a->file || (same_str(a->phase, b->phase) && same_str(a->path, b->path)));
}

int endpoint_add_evidence(struct endpoint *ep, const struct evidence *ev)
{
	struct evidence e;

	for (size_t i = 0; i < ep->evidence.len; i++)
		if (same_evidence(&ep->evidence.items[i], ev))
			return 0;
	evidence_copy(&e, ev);
	if (vec_push(&ep->evidence, e) != 0) {
		evidence_clear(&e);
		return -1;
	}
	return 0;
}

struct finding *report_add_finding(struct report *r, const char *rule_id, const char *host,
				   const char *file, unsigned line, const char *fmt, ...)
{
	const struct rule *rule = rule_find(rule_id);
	struct strbuf msg = STRBUF_INIT(4096);
	struct finding *f;
	va_list ap;

	if (!rule)
		return NULL;
	f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	va_start(ap, fmt);
	strbuf_vprintf(&msg, fmt, ap);
	va_end(ap);
	f->rule_id = rule->id;
	f->severity = rule->severity;
	f->message = strbuf_take(&msg);
	f->host = normalise_host(host);
	f->file = xstrdup(file);
	f->line = line;
	if (vec_push(&r->findings, f) != 0) {
		finding_free(f);
		return NULL;
	}
	return f;
}

int finding_add_chain(struct finding *f, const char *fmt, ...)
{
	struct strbuf b = STRBUF_INIT(1024);
	char *s;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	s = strbuf_take(&b);
	for (size_t i = 0; s && i < f->chain.len; i++) {
		if (strcmp(f->chain.items[i], s) == 0) {  /* one step reached two ways */
			free(s);
			return 0;
		}
	}
	if (!s || vec_push(&f->chain, s) != 0) {
		free(s);
		return -1;
	}
	return 0;
}

int report_add_incomplete(struct report *r, const char *file, const char *fmt, ...)
{
	struct strbuf b = STRBUF_INIT(2048);
	struct incomplete inc;
	va_list ap;

	va_start(ap, fmt);
	strbuf_vprintf(&b, fmt, ap);
	va_end(ap);
	inc.file = xstrdup(file);
	inc.reason = strbuf_take(&b);
	if (vec_push(&r->incomplete, inc) != 0) {
		free(inc.file);
		free(inc.reason);
		return -1;
	}
	return 0;
}

int report_add_documented(struct report *r, const char *pattern, const char *source,
			  enum doc_match match_kind)
{
	struct documented_host d = {normalise_host(pattern), xstrdup(source), match_kind};

	for (size_t i = 0; i < r->documented.len; i++) {
		if (same_str(r->documented.items[i].pattern, d.pattern)) {
			free(d.pattern);
			free(d.source);
			return 0;  /* first source wins: it is the earliest line */
		}
	}
	if (!d.pattern || vec_push(&r->documented, d) != 0) {
		free(d.pattern);
		free(d.source);
		return -1;
	}
	return 0;
}

int report_add_skipped(struct report *r, const char *file, const char *reason)
{
	struct skipped_file s = {xstrdup(file), reason};

	if (!s.file || vec_push(&r->skipped_by_design, s) != 0) {
		free(s.file);
		return -1;
	}
	return 0;
}

int report_add_url_string(struct report *r, const char *url, const char *file, unsigned line)
{
	struct url_string u = {xstrdup(url), xstrdup(file), line};

	if (!u.url || vec_push(&r->url_strings, u) != 0) {
		free(u.url);
		free(u.file);
		return -1;
	}
	return 0;
}

/* How good an endpoint is as the one row for its host: what the code says first (it has
 * the scheme, port and path as written), then a connection over a bare DNS lookup. */
static int fold_rank(const struct endpoint *ep)
{
	for (size_t i = 0; i < ep->evidence.len; i++)
		if (ep->evidence.items[i].stage && !strcmp(ep->evidence.items[i].stage, "static"))
			return 0;
	return ep->scheme && !strcmp(ep->scheme, "dns") ? 2 : 1;
}

static int fold_into(struct endpoint *into, struct endpoint *ep)
{
	for (size_t i = 0; i < ep->evidence.len; i++)
		if (endpoint_add_evidence(into, &ep->evidence.items[i]) != 0)
			return -1;
	if (!into->path && ep->path) {
		into->path = ep->path;
		ep->path = NULL;
	}
	if (!into->port)
		into->port = ep->port;
	if (!into->services) {
		into->services = ep->services;
		ep->services = NULL;
	}
	return 0;
}

static int merge_endpoint(struct report *dst, struct endpoint *ep)
{
	struct endpoint *into = find_endpoint(dst, ep->host, ep->host_suffix, ep->port,
					      ep->scheme, ep->kind);

	if (!into)
		return vec_push(&dst->endpoints, ep);
	if (fold_into(into, ep) != 0)
		return -1;
	endpoint_free(ep);
	return 0;
}

int report_fold_by_host(struct report *r)
{
	size_t n = 0;

	for (size_t i = 0; i < r->endpoints.len; i++) {
		struct endpoint *ep = r->endpoints.items[i], *best = NULL;
		size_t at = 0;
		if (!ep->host) {
			r->endpoints.items[n++] = ep;
			continue;
		}
		for (size_t j = 0; j < n; j++)
			if (r->endpoints.items[j]->host && !strcmp(r->endpoints.items[j]->host, ep->host)) {
				best = r->endpoints.items[j];
				at = j;
				break;
			}
		if (!best) {
			r->endpoints.items[n++] = ep;
			continue;
		}
		if (fold_rank(ep) < fold_rank(best)) {  /* the better row takes the other's place */
			r->endpoints.items[at] = ep;
			ep = best;
			best = r->endpoints.items[at];
		}
		if (fold_into(best, ep) != 0)
			return -1;
		endpoint_free(ep);
	}
	r->endpoints.len = n;
	return 0;
}

#define MOVE_ALL(dstv, srcv)                                                    \
	do {                                                                    \
		for (size_t i_ = 0; i_ < (srcv)->len; i_++)                     \
			if (vec_push((dstv), (srcv)->items[i_]) != 0)           \
				rc = -1;                                        \
		vec_free(srcv);                                                 \
	} while (0)

int report_merge(struct report *dst, struct report *src)
{
	int rc = 0;

	for (size_t i = 0; i < src->endpoints.len; i++)
		if (merge_endpoint(dst, src->endpoints.items[i]) != 0)
			rc = -1;
	vec_free(&src->endpoints);
	MOVE_ALL(&dst->findings, &src->findings);
	MOVE_ALL(&dst->incomplete, &src->incomplete);
	MOVE_ALL(&dst->url_strings, &src->url_strings);
	MOVE_ALL(&dst->secrets, &src->secrets);
	MOVE_ALL(&dst->skipped_by_design, &src->skipped_by_design);
	if (!dst->coverage.ran && src->coverage.ran) {  /* one run per report */
		coverage_free(&dst->coverage);
		dst->coverage = src->coverage;
		src->coverage = (struct coverage){0};
	}
	dst->files_found += src->files_found;
	dst->files_parsed += src->files_parsed;
	dst->files_skipped += src->files_skipped;
	dst->languages |= src->languages;
	return rc;
}

static int cmp_str(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

static int cmp_endpoint(const void *pa, const void *pb)
{
	const struct endpoint *a = *(const struct endpoint *const *)pa;
	const struct endpoint *b = *(const struct endpoint *const *)pb;
	int c = cmp_str(a->host ? a->host : a->host_suffix, b->host ? b->host : b->host_suffix);

	if (c)
		return c;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if ((c = cmp_str(a->scheme, b->scheme)))
		return c;
	return (int)a->kind - (int)b->kind;
}

static int cmp_evidence(const void *pa, const void *pb)
{
	const struct evidence *a = pa, *b = pb;
	int c = cmp_str(a->file, b->file);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	if (a->packet != b->packet)
		return a->packet < b->packet ? -1 : 1;
	return cmp_str(a->api, b->api);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct finding *a = *(const struct finding *const *)pa;
	const struct finding *b = *(const struct finding *const *)pb;
	int c;

	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	if ((c = strcmp(a->rule_id, b->rule_id)))
		return c;
	if ((c = cmp_str(a->file, b->file)))
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	if (a->column != b->column)
		return a->column < b->column ? -1 : 1;
	if ((c = cmp_str(a->host, b->host)))
		return c;
	return cmp_str(a->message, b->message);
}

static int cmp_incomplete(const void *pa, const void *pb)
{
	const struct incomplete *a = pa, *b = pb;
	int c = cmp_str(a->file, b->file);

	return c ? c : cmp_str(a->reason, b->reason);
}

static int cmp_url_string(const void *pa, const void *pb)
{
	const struct url_string *a = pa, *b = pb;
	int c = cmp_str(a->file, b->file);

	if (c)
		return c;
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return cmp_str(a->url, b->url);
}

/* qsort with an empty array may get NULL, which qsort's contract forbids. */
#define SORT(v, cmp) do { if ((v)->len > 1) qsort((v)->items, (v)->len, sizeof *(v)->items, cmp); } while (0)

static bool same_finding(const struct finding *a, const struct finding *b)
{
	return a->line == b->line && a->column == b->column && strcmp(a->rule_id, b->rule_id) == 0 &&
	       same_str(a->file, b->file) && same_str(a->host, b->host) &&
	       same_str(a->message, b->message);
}

/* A finding of the run: no file, and the phase it happened in. */
static bool run_finding(const struct finding *f)
{
	return !f->file && f->phase;
}

static int cmp_str_nocase(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcasecmp(a, b);
}

/* Run findings by rule, host, phase, package, suppression and severity; the others after
 * them. */
static int cmp_group(const void *pa, const void *pb)
{
	const struct finding *a = *(const struct finding *const *)pa;
	const struct finding *b = *(const struct finding *const *)pb;
	int c;

	if (run_finding(a) != run_finding(b))
		return run_finding(a) ? -1 : 1;
	if (!run_finding(a))
		return 0;
	if ((c = strcmp(a->rule_id, b->rule_id)) || (c = cmp_str_nocase(a->host, b->host)) ||
	    (c = strcmp(a->phase, b->phase)) || (c = cmp_str(a->package, b->package)))
		return c;
	if ((a->suppressed != NULL) != (b->suppressed != NULL))
		return a->suppressed ? 1 : -1;
	if (a->severity != b->severity)
		return a->severity > b->severity ? -1 : 1;
	return cmp_str(a->message, b->message);
}

static bool same_group(const struct finding *a, const struct finding *b)
{
	return run_finding(a) && run_finding(b) && !strcmp(a->rule_id, b->rule_id) &&
	       !cmp_str_nocase(a->host, b->host) && !strcmp(a->phase, b->phase) &&
	       same_str(a->package, b->package) && (a->suppressed != NULL) == (b->suppressed != NULL) &&
	       a->severity == b->severity;
}

/* head stands for members[0..n) (head is members[0]): their messages become its events (an
 * event seen twice, once), in message order, and its message says how many more there are.
 * Returns 0 or -1. */
static int absorb(struct finding **members, size_t n)
{
	struct finding *head = members[0];
	char *summary;

	for (size_t i = 0; i < n; i++) {
		char *m = xstrdup(members[i]->message ? members[i]->message : "");
		bool seen = false;
		for (size_t k = 0; m && k < head->events.len && !seen; k++)
			seen = !strcmp(head->events.items[k], m);
		if (seen) {
			free(m);
			continue;
		}
		if (!m || vec_push(&head->events, m) != 0) {
			free(m);
			return -1;
		}
	}
	if (head->events.len < 2) {  /* duplicates of one event: the dedup below drops them */
		free_string_list(head->events.items, head->events.len);
		head->events.len = 0;
		return 0;
	}
	summary = xasprintf("%s; and %zu more like it (listed in its events)", head->message ? head->message : "",
			    head->events.len - 1);
	if (!summary)
		return -1;
	free(head->message);
	head->message = summary;
	return 0;
}

/* One finding per rule, host and phase of the run: a tool that returns the environment
 * is one finding carrying every canary, a host looked up and then connected to is one.
 * Severity is part of the group: what the policy lowered (a canary sent to its own
 * documented service, a dotenv read of the server's own .env) stays apart from what it
 * did not, so that it is not raised again by the company it keeps.
 * Their per-event fingerprints (which held a packet summary) go: SARIF keys such a finding
 * by rule, host and phase, as a suppression names it. Returns 0 or -1 (out of memory: the
 * findings stay ungrouped from there on). */
static int group_run_findings(struct report *r)
{
	size_t keep = 0, i = 0;
	int rc = 0;

	SORT(&r->findings, cmp_group);
	while (i < r->findings.len) {
		struct finding *head = r->findings.items[i];
		size_t n = 1;
		while (i + n < r->findings.len && same_group(head, r->findings.items[i + n]))
			n++;
		if (run_finding(head)) {
			free(head->fingerprint);
			head->fingerprint = NULL;
		}
		if (n > 1 && rc == 0 && (rc = absorb(&r->findings.items[i], n)) == 0) {
			for (size_t k = 1; k < n; k++)
				finding_free(r->findings.items[i + k]);
			r->findings.items[keep++] = head;
			i += n;
			continue;
		}
		r->findings.items[keep++] = head;
		i++;
	}
	r->findings.len = keep;
	return rc;
}

void report_finish(struct report *r)
{
	size_t n = 0;

	if (group_run_findings(r) != 0)
		report_add_incomplete(r, NULL, "grouping the run's findings ran out of memory: some are listed apart");
	for (size_t i = 0; i < r->endpoints.len; i++) {
		struct endpoint *ep = r->endpoints.items[i];
		SORT(&ep->evidence, cmp_evidence);
	}
	SORT(&r->endpoints, cmp_endpoint);
	SORT(&r->findings, cmp_finding);
	for (size_t i = 0; i < r->findings.len; i++) {
		if (n && same_finding(r->findings.items[n - 1], r->findings.items[i])) {
			finding_free(r->findings.items[i]);
			continue;
		}
		r->findings.items[n++] = r->findings.items[i];
	}
	r->findings.len = n;
	SORT(&r->incomplete, cmp_incomplete);
	SORT(&r->url_strings, cmp_url_string);
	/* last: reports get uploaded, and every writer runs after this */
	if (redact_report(r) != 0)
		report_add_incomplete(r, NULL, "redaction ran out of memory: some evidence was replaced whole");
}

int report_add_secret(struct report *r, const char *value, const char *label)
{
	struct known_secret k;

	if (!value || strlen(value) < 16)
		return 0;
	k.value = xstrdup(value);
	k.label = xstrdup(label);
	if (!k.value || !k.label || vec_push(&r->secrets, k) != 0) {
		free(k.value);
		free(k.label);
		return -1;
	}
	return 0;
}

void report_count_findings(const struct report *r, unsigned counts[SEV_CRITICAL + 1])
{
	memset(counts, 0, sizeof(unsigned) * (SEV_CRITICAL + 1));
	for (size_t i = 0; i < r->findings.len; i++)
		if (!r->findings.items[i]->suppressed)
			counts[r->findings.items[i]->severity]++;
}

int report_max_severity(const struct report *r)
{
	int max = -1;

	for (size_t i = 0; i < r->findings.len; i++) {
		const struct finding *f = r->findings.items[i];
		if (!f->suppressed && (int)f->severity > max)
			max = (int)f->severity;
	}
	return max;
}

unsigned report_undocumented_count(const struct report *r)
{
	unsigned n = 0;

	for (size_t i = 0; i < r->endpoints.len; i++) {
		const struct endpoint *ep = r->endpoints.items[i];
		if (ep->documented_by == DOC_NONE && ep->host)
			n++;
	}
	return n;
}
