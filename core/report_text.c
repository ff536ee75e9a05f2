/* The terminal report: destinations grouped by endpoint (undocumented first) with the code
 * lines under each, then the other findings by severity, incomplete work and a summary. */
#include "core/report_format.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/version.h"

/* Evidence lines shown per endpoint without --verbose: enough to find the call sites. */
#define EVIDENCE_SHOWN 3

#define ANSI_RESET "\033[0m"
#define ANSI_BOLD "\033[1m"
#define ANSI_DIM "\033[2m"
#define ANSI_RED "\033[31m"
#define ANSI_YELLOW "\033[33m"
#define ANSI_CYAN "\033[36m"
#define ANSI_BOLD_RED "\033[1;31m"
#define ANSI_BOLD_GREEN "\033[1;32m"
#define ANSI_BOLD_YELLOW "\033[1;33m"

/* Phases named after "reached from" for code the run never exercised. */
#define PHASES_SHOWN 8
/* Dependency names listed under a package. */
#define DEPENDENCIES_SHOWN 20

static const char *const severity_colour[] = {
	[SEV_INFO] = ANSI_DIM,  [SEV_LOW] = ANSI_CYAN,  [SEV_MEDIUM] = ANSI_YELLOW,
	[SEV_HIGH] = ANSI_RED, [SEV_CRITICAL] = ANSI_BOLD_RED,
};

/* Indexed by enum verdict_result. */
static const struct {
	const char *word;
	const char *colour;
} verdict_text[] = {
	[VERDICT_NONE] = {NULL, NULL},
	[VERDICT_PASS] = {"PASS", ANSI_BOLD_GREEN},
	[VERDICT_REVIEW] = {"REVIEW", ANSI_BOLD_YELLOW},
	[VERDICT_FAIL] = {"FAIL", ANSI_BOLD_RED},
};

static const struct {
	const char *title;
	const char *colour;
} group_heading[] = {
	[EG_UNDOCUMENTED] = {"Undocumented destinations", ANSI_RED},
	[EG_UNRESOLVED] = {"Destinations chosen at run time or only partly known", ANSI_YELLOW},
	[EG_DOCUMENTED] = {"Documented destinations", ANSI_DIM},
};

/* The whole report is built in memory and written once: a failed write is then one
 * error, and the terminal never sees half an escape sequence. */
struct text {
	struct strbuf b;
	const struct report_options *o;
	int rc;  /* first append failure, sticky */
};

static void put(struct text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct text *t, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (strbuf_vprintf(&t->b, fmt, ap) != 0)
		t->rc = -1;
	va_end(ap);
}

/* Attacker-controlled text: never a raw control byte on the terminal. */
static void put_clean(struct text *t, const char *s)
{
	if (report_clean(&t->b, s, CLEAN_TERMINAL) != 0)
		t->rc = -1;
}

static void colour_on(struct text *t, const char *ansi)
{
	if (t->o->color)
		put(t, "%s", ansi);
}

static void colour_off(struct text *t)
{
	colour_on(t, ANSI_RESET);
}

static void put_painted(struct text *t, const char *ansi, const char *s)
{
	colour_on(t, ansi);
	put_clean(t, s);
	colour_off(t);
}

static void put_location(struct text *t, const char *file, unsigned line)
{
	put_clean(t, file ? file : "(no file)");
	if (line)
		put(t, ":%u", line);
}

static void put_host(struct text *t, const struct endpoint *ep)
{
	colour_on(t, ANSI_BOLD);
	if (ep->host)
		put_clean(t, ep->host);
	else if (ep->host_suffix) {
		put(t, "*");
		put_clean(t, ep->host_suffix);
	} else
		put(t, ep->kind == EK_USER_DIRECTED ? "(host from a tool argument)" : "(unknown host)");
	colour_off(t);
}

/* "  label value" when there is a value; label may be empty. */
static void put_field(struct text *t, const char *label, const char *value)
{
	if (!value)
		return;
	put(t, "  %s%s", label, *label ? " " : "");
	put_clean(t, value);
}

static void put_evidence(struct text *t, const struct evidence *e)
{
	put(t, "    ");
	if (e->file)
		put_location(t, e->file, e->line);
	else if (e->packet)
		put(t, "%s packet %lu", e->stage ? e->stage : "dynamic", e->packet);
	else
		put(t, "%s", e->stage ? e->stage : "dynamic");
	put_field(t, "", e->api ? e->api : "?");
	put_field(t, "phase", e->phase);
	if (!e->file && e->expression) {  /* a dynamic event: what was seen */
		put(t, "  ");
		put_clean(t, e->expression);
	}
	put_field(t, "env", e->env_var);
	put_field(t, "decoded by", e->decoded_by);
	put_field(t, "package", e->package);
	put(t, "\n");
}

/* An audit's word on the endpoint: "not exercised: in the code, but the run never
 * contacted it; reached from tool:fetch_url". Nothing outside an audit. */
static void put_observed(struct text *t, const struct endpoint *ep)
{
	const char *phases[PHASES_SHOWN];
	size_t n = 0;

	if (!report_observed_label(ep->observed))
		return;
	put(t, "    ");
	put_painted(t, ep->observed == OBS_HIDDEN ? ANSI_BOLD_RED : ANSI_BOLD,
		    report_observed_label(ep->observed));
	put(t, ": %s", report_observed_meaning(ep->observed));
	if (ep->observed == OBS_NOT_EXERCISED)
		n = endpoint_phases(ep, "static", phases, PHASES_SHOWN);
	for (size_t i = 0; i < n; i++) {
		put(t, "%s", i ? ", " : "; reached from ");
		put_clean(t, phases[i]);
	}
	put(t, "\n");
}

static void put_endpoint(struct text *t, const struct endpoint *ep)
{
	size_t shown = t->o->verbose ? ep->evidence.len : EVIDENCE_SHOWN;

	put(t, "  ");
	put_host(t, ep);
	put_field(t, "", ep->scheme);
	if (ep->port)
		put(t, "%s%d", ep->scheme ? ":" : "  port ", ep->port);
	put_field(t, "", endpoint_kind_name(ep->kind));
	if (!ep->host || !ep->registrable_domain || strcmp(ep->host, ep->registrable_domain) != 0)
		put_field(t, "site", ep->registrable_domain);
	if (ep->documented_by != DOC_NONE)
		put_field(t, doc_match_name(ep->documented_by),
			  ep->documented_source ? ep->documented_source : "");
	put(t, "\n");
	put_observed(t, ep);
	for (size_t i = 0; i < ep->evidence.len && i < shown; i++)
		put_evidence(t, &ep->evidence.items[i]);
	if (ep->evidence.len > shown)
		put(t, "    ... and %zu more (--verbose shows them)\n", ep->evidence.len - shown);
}

static const char *site_of(const struct endpoint *ep)
{
	return ep->registrable_domain ? ep->registrable_domain : ep->host ? ep->host : "";
}

/* Hosts of one site together (api.x.example.net beside t.example.net), then by host. */
static int cmp_by_site(const void *pa, const void *pb)
{
	const struct endpoint *a = *(const struct endpoint *const *)pa;
	const struct endpoint *b = *(const struct endpoint *const *)pb;
	int c = strcmp(site_of(a), site_of(b));

	if (c)
		return c;
	return strcmp(a->host ? a->host : "", b->host ? b->host : "");
}

static void put_group(struct text *t, int g, const struct endpoint **eps, size_t n)
{
	colour_on(t, group_heading[g].colour);
	put(t, "%s\n", group_heading[g].title);
	colour_off(t);
	if (n > 1)
		qsort(eps, n, sizeof *eps, cmp_by_site);
	for (size_t i = 0; i < n; i++) {
		size_t same = 0;
		for (size_t k = i; k < n && strcmp(site_of(eps[k]), site_of(eps[i])) == 0; k++)
			same += k == i || !eps[k]->host || !eps[k - 1]->host || strcmp(eps[k]->host, eps[k - 1]->host) != 0;
		/* a site with several hosts gets a line of its own: the hosts are one party */
		if (same > 1 && (i == 0 || strcmp(site_of(eps[i - 1]), site_of(eps[i])) != 0) && *site_of(eps[i])) {
			put(t, "  site ");
			put_clean(t, site_of(eps[i]));
			put(t, " (%zu hosts)\n", same);
		}
		put_endpoint(t, eps[i]);
	}
	put(t, "\n");
}

static void put_endpoints(struct text *t, const struct report *r)
{
	const struct endpoint **eps = calloc(r->endpoints.len ? r->endpoints.len : 1, sizeof *eps);

	if (!eps)
		return;
	for (int g = EG_UNDOCUMENTED; g <= EG_DOCUMENTED; g++) {
		size_t n = 0;
		for (size_t i = 0; i < r->endpoints.len; i++)
			if (endpoint_group_of(r->endpoints.items[i]) == (enum endpoint_group)g)
				eps[n++] = r->endpoints.items[i];
		if (n)
			put_group(t, g, eps, n);
	}
	free(eps);
}

/* Which findings the Findings section lists. Undocumented hosts are already shown as
 * endpoints above, so the normal view leaves their findings out; --quiet shows exactly
 * what makes the run fail, whatever the rule. */
static bool finding_shown(const struct text *t, const struct finding *f)
{
	if (t->o->quiet)
		return !f->suppressed && f->severity >= t->o->fail_on;
	if (t->o->verbose)
		return true;
	return !f->suppressed && f->severity > SEV_INFO &&
	       strcmp(f->rule_id, "undocumented-egress") != 0;
}

#define DETAIL_INDENT "\n           "

/* A line of detail under a finding; nothing when value is NULL. */
static void put_detail(struct text *t, const char *label, const char *value)
{
	if (!value)
		return;
	put(t, "%s%s", DETAIL_INDENT, label);
	put_clean(t, value);
}

/* The events a finding of the run stands for: all with --verbose, else the first
 * TEXT_EVENTS and how many more (the JSON report has every one). */
#define TEXT_EVENTS 5

static void put_events(struct text *t, const struct finding *f)
{
	size_t shown = t->o->verbose || f->events.len <= TEXT_EVENTS + 1 ? f->events.len : TEXT_EVENTS;

	for (size_t i = 0; i < shown; i++)
		put_detail(t, "- ", f->events.items[i]);
	if (shown < f->events.len)
		put(t, "%s- %zu more (--verbose lists them)\n", DETAIL_INDENT, f->events.len - shown);
}

static void put_finding(struct text *t, const struct finding *f)
{
	char sev[16];

	snprintf(sev, sizeof sev, "%-8s", severity_name(f->severity));
	for (char *p = sev; *p; p++)
		*p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
	put(t, "  ");
	put_painted(t, severity_colour[f->severity], sev);
	put(t, " %s  ", f->rule_id);
	if (f->file || !f->host)
		put_location(t, f->file, f->line);
	else
		put_clean(t, f->host);
	put_detail(t, "", f->message);
	if (f->snippet) {
		put(t, "%s> ", DETAIL_INDENT);
		put_painted(t, ANSI_DIM, f->snippet);
	}
	for (size_t i = 0; t->o->verbose && i < f->chain.len; i++)
		put_detail(t, "via ", f->chain.items[i]);
	put_events(t, f);
	put_detail(t, "suppressed: ", f->suppressed);
	put(t, "\n");
}

static void put_findings(struct text *t, const struct report *r)
{
	bool heading = false;

	/* report_finish sorted findings most severe first. */
	for (size_t i = 0; i < r->findings.len; i++) {
		if (!finding_shown(t, r->findings.items[i]))
			continue;
		if (!heading) {
			colour_on(t, ANSI_BOLD);
			put(t, "Findings\n");
			colour_off(t);
			heading = true;
		}
		put_finding(t, r->findings.items[i]);
	}
	if (heading)
		put(t, "\n");
}

static void put_incomplete(struct text *t, const struct report *r)
{
	if (r->incomplete.len == 0)
		return;
	colour_on(t, ANSI_BOLD);
	put(t, "Incomplete (%zu)\n", r->incomplete.len);
	colour_off(t);
	for (size_t i = 0; i < r->incomplete.len; i++) {
		put(t, "  ");
		put_clean(t, r->incomplete.items[i].file ? r->incomplete.items[i].file : "(run)");
		put(t, ": ");
		put_clean(t, r->incomplete.items[i].reason);
		put(t, "\n");
	}
	put(t, "\n");
}

/* Requests listed without --verbose: a server can list hundreds of tools. */
#define TEXT_CALLS 20

static void put_call(struct text *t, const struct coverage_call *c)
{
	char args[210];

	put(t, "  %s", c->method);
	if (c->target) {
		put(t, " ");
		put_clean(t, c->target);
	}
	if (c->arguments) {
		snprintf(args, sizeof args, "%.200s%s", c->arguments, strlen(c->arguments) > 200 ? "..." : "");
		put(t, " ");
		put_clean(t, args);
	}
	put(t, ": %s (%.0f ms)", c->outcome, c->end_ms - c->start_ms);
	if (c->detail) {
		put(t, ": ");
		put_clean(t, c->detail);
	}
	put(t, "\n");
}

static int put_unreached(void *ctx, const char *method, const char *name)
{
	struct text *t = ctx;

	put(t, "  not called: %s ", method);
	put_clean(t, name);
	put(t, "\n");
	return 0;
}

/* What the run exercised: what was listed, how the calls ended, which phases ran. */
static void put_coverage(struct text *t, const struct report *r)
{
	const struct coverage *c = &r->coverage;
	size_t counts[4], n, shown = t->o->verbose || c->calls.len <= TEXT_CALLS + 1 ? c->calls.len : TEXT_CALLS;

	if (!c->ran)
		return;
	colour_on(t, ANSI_BOLD);
	put(t, "Coverage\n");
	colour_off(t);
	put(t, "  listed: %zu tools, %zu resources, %zu prompts\n", c->tools.len, c->resources.len, c->prompts.len);
	for (size_t m = 0; m < 3; m++) {
		static const char *const methods[] = {"tools/call", "resources/read", "prompts/get"};
		if ((n = coverage_outcomes(c, methods[m], counts)))
			put(t, "  %s: %zu sent, %zu ok, %zu error, %zu timed out, %zu closed\n", methods[m], n, counts[0],
			    counts[1], counts[2], counts[3]);
	}
	put(t, "  phases:");
	for (size_t i = 0; i < c->phases.len; i++) {
		put(t, "%s ", i ? "," : "");
		put_clean(t, c->phases.items[i].phase);
	}
	put(t, "\n");
	for (size_t i = 0; i < shown; i++)
		put_call(t, &c->calls.items[i]);
	if (shown < c->calls.len)
		put(t, "  %zu more requests (--verbose lists them)\n", c->calls.len - shown);
	coverage_each_unreached(c, put_unreached, t);
	put(t, "\n");
}

static void put_url_strings(struct text *t, const struct report *r)
{
	if (!t->o->verbose || r->url_strings.len == 0)
		return;
	put(t, "URL strings never requested (%zu)\n", r->url_strings.len);
	for (size_t i = 0; i < r->url_strings.len; i++) {
		const struct url_string *u = &r->url_strings.items[i];
		put(t, "  ");
		put_location(t, u->file, u->line);
		put_field(t, "", u->url);
		put(t, "\n");
	}
	put(t, "\n");
}

static void put_header(struct text *t, const struct report *r)
{
	put(t, "%s %s %s of ", MCPAUDIT_NAME, MCPAUDIT_VERSION,
	    t->o->command ? t->o->command : "scan");
	for (size_t i = 0; i < r->targets.len; i++) {
		put(t, "%s", i ? ", " : "");
		put_clean(t, r->targets.items[i]);
	}
	put(t, "\n  %u files found, %u parsed, %u skipped", r->files_found, r->files_parsed,
	    r->files_skipped);
	if (r->skipped_by_design.len)
		put(t, "; %zu skipped by design (declaration files, source maps: no code that runs)",
		    r->skipped_by_design.len);
	if (r->deps_skipped)
		put(t, "; %u dependency folders not scanned (--include-deps scans them)",
		    r->deps_skipped);
	if (r->verdict.result != VERDICT_NONE)
		put(t, "\n  static stage %s, dynamic stage %s", r->static_ran ? "ran" : "did not run",
		    r->dynamic_ran ? "ran" : "did not run");
	put(t, "\n\n");
}

/* An audit's verdict comes before anything else: it is the line a reader or a log
 * needs. Nothing for a scan or a trace. */
static void put_verdict(struct text *t, const struct report *r)
{
	const struct verdict *v = &r->verdict;

	if (!verdict_name(v->result))
		return;
	colour_on(t, verdict_text[v->result].colour);
	put(t, "VERDICT: %s", verdict_text[v->result].word);
	colour_off(t);
	put(t, "\n");
	for (size_t i = 0; i < v->reasons.len; i++) {
		put(t, "  - ");
		put_clean(t, v->reasons.items[i]);
		put(t, "\n");
	}
	put(t, "\n");
}

/* "  label        value" under the package; nothing when value is NULL. */
static void put_fact(struct text *t, const char *label, const char *value)
{
	if (!value)
		return;
	put(t, "  %-14s", label);
	put_clean(t, value);
	put(t, "\n");
}

static void put_scripts(struct text *t, const struct package_info *p)
{
	for (size_t i = 0; i < p->scripts.len; i++) {
		const struct install_script *s = &p->scripts.items[i];
		put(t, "  %-14s", i ? "" : "install");
		put_clean(t, s->name);
		put(t, ": ");
		put_clean(t, s->command);
		put_field(t, "(runs", s->file);
		put(t, "%s", s->file ? ")" : "");
		if (s->egress)
			put_painted(t, ANSI_RED, "  makes network requests");
		put(t, "\n");
	}
	if (p->scripts.len == 0)
		put_fact(t, "install", "no install scripts");
}

/* Words joined by sep after a label, at most max of them; nothing when there are none. */
static void put_list(struct text *t, const char *label, char *const *items, size_t n,
		     const char *sep, size_t max)
{
	if (n == 0)
		return;
	put(t, "  %-14s", label);
	for (size_t i = 0; i < n && i < max; i++) {
		put(t, "%s", i ? sep : "");
		put_clean(t, items[i]);
	}
	if (n > max)
		put(t, " and %zu more", n - max);
	put(t, "\n");
}

static void put_package(struct text *t, const struct report *r)
{
	const struct package_info *p = r->package;

	if (!p)
		return;
	colour_on(t, ANSI_BOLD);
	put(t, "Package ");
	put_clean(t, p->name ? p->name : "(unnamed)");
	if (p->version) {
		put(t, "@");
		put_clean(t, p->version);
	}
	colour_off(t);
	put_field(t, "", p->ecosystem);
	put(t, "\n");
	put_fact(t, "source", p->source);
	put_fact(t, "integrity", p->integrity);
	put_fact(t, "created", p->created);
	put_fact(t, "published", p->published);
	if (p->versions)
		put(t, "  %-14s%u\n", "versions", p->versions);
	put_fact(t, "lockfile", p->lockfile ? p->lockfile : "none");
	put_scripts(t, p);
	for (size_t i = 0; i < p->bins.len; i++) {
		put(t, "  %-14s", i ? "" : "bin");
		put_clean(t, p->bins.items[i].name);
		put(t, " -> ");
		put_clean(t, p->bins.items[i].path);
		put(t, "\n");
	}
	put_list(t, "dependencies", p->dependencies.items, p->dependencies.len, ", ",
		 DEPENDENCIES_SHOWN);
	put_list(t, "started as", p->command.items, p->command.len, " ", p->command.len);
	put_fact(t, "started from", p->started_from);
	put_fact(t, "because", p->started_why);
	put_fact(t, "driven over", p->transport_url ? p->transport_url : p->transport);
	put_fact(t, "because", p->transport_why);
	put(t, "\n");
}

static void put_summary(struct text *t, const struct report *r)
{
	unsigned counts[SEV_CRITICAL + 1], total = 0, suppressed = 0;
	bool fails = report_fails(r, t->o);

	report_count_findings(r, counts);
	for (size_t i = 0; i < r->findings.len; i++)
		suppressed += r->findings.items[i]->suppressed != NULL;
	put(t, "%zu destinations, %u undocumented; ", r->endpoints.len,
	    report_undocumented_count(r));
	for (int s = SEV_INFO; s <= SEV_CRITICAL; s++)
		total += counts[s];
	put(t, "%u findings", total);
	for (int s = SEV_CRITICAL, first = 1; s >= SEV_INFO; s--) {
		if (!counts[s])
			continue;
		put(t, "%s%u %s", first ? " (" : ", ", counts[s], severity_name((enum severity)s));
		first = 0;
	}
	put(t, "%s", total ? ")" : "");
	if (suppressed)
		put(t, ", %u suppressed", suppressed);
	put(t, "; ");
	/* a partial run is never a pass: a tool never called or a reply not read may be where
	 * the finding is */
	colour_on(t, fails ? ANSI_BOLD_RED : r->incomplete.len ? ANSI_BOLD_YELLOW : ANSI_BOLD);
	if (fails)
		put(t, "FAILS at --fail-on %s", severity_name(t->o->fail_on));
	else if (!r->incomplete.len)
		put(t, "passes at --fail-on %s", severity_name(t->o->fail_on));
	if (r->incomplete.len)
		put(t, "%sincomplete: %zu item%s not exercised or not read%s", fails ? "; " : "", r->incomplete.len,
		    r->incomplete.len == 1 ? "" : "s", fails ? "" : "; not a pass");
	colour_off(t);
	put(t, "\n");
}

int report_write_text(FILE *out, const struct report *r, const struct report_options *o)
{
	struct text t = {STRBUF_INIT(0), o, 0};

	put_verdict(&t, r);
	if (!r->execution_successful) {
		put(&t, "mcpaudit: the run failed: ");
		put_clean(&t, r->error ? r->error : "?");
		put(&t, "\n");
	}
	if (!o->quiet) {
		put_header(&t, r);
		put_package(&t, r);
		put_endpoints(&t, r);
	}
	put_findings(&t, r);
	if (!o->quiet) {
		put_coverage(&t, r);
		put_incomplete(&t, r);
		put_url_strings(&t, r);
	}
	put_summary(&t, r);
	if (t.rc == 0 && fwrite(strbuf_str(&t.b), 1, t.b.len, out) != t.b.len)
		t.rc = -1;
	strbuf_free(&t.b);
	return t.rc;
}
