/* The JSON report: the contract other tools read, described by docs/report.schema.json.
 * Keys are added in a fixed order (cJSON keeps insertion order), so output is stable. */
#include "core/report_format.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/version.h"

/* Every add_* below returns the node it added, or NULL when memory ran out. cJSON's own
 * adders fail on a NULL parent too, so one check at the end covers a whole object. */

struct cJSON *report_json_string(const char *s)
{
	struct strbuf b = STRBUF_INIT(0);
	cJSON *node;

	if (!s)
		return cJSON_CreateNull();
	if (report_clean(&b, s, CLEAN_UTF8) != 0) {
		strbuf_free(&b);
		return NULL;
	}
	node = cJSON_CreateString(strbuf_str(&b));
	strbuf_free(&b);
	return node;
}

int report_json_print(FILE *out, struct cJSON *doc)
{
	char *text = doc ? cJSON_Print(doc) : NULL;
	int rc = -1;

	if (!text)
		goto out;
	if (fputs(text, out) == EOF || fputc('\n', out) == EOF)
		goto out;
	rc = 0;
out:
	free(text);
	cJSON_Delete(doc);
	return rc;
}

static cJSON *add_str(cJSON *obj, const char *key, const char *s)
{
	cJSON *node = report_json_string(s);

	if (!node || !cJSON_AddItemToObject(obj, key, node)) {
		cJSON_Delete(node);
		return NULL;
	}
	return node;
}

/* A count, or null when zero means "unknown" (lines, columns, ports). */
static cJSON *add_uint_or_null(cJSON *obj, const char *key, unsigned long n)
{
	return n ? cJSON_AddNumberToObject(obj, key, (double)n) : cJSON_AddNullToObject(obj, key);
}

/* Append a new object to an array; NULL on failure. */
static cJSON *push_object(cJSON *array)
{
	cJSON *o = cJSON_CreateObject();

	if (o && !cJSON_AddItemToArray(array, o)) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static bool push_string(cJSON *array, const char *s)
{
	cJSON *node = report_json_string(s);

	if (!node || !cJSON_AddItemToArray(array, node)) {
		cJSON_Delete(node);
		return false;
	}
	return true;
}

/* Only when there are any: most scans have none, and the list can be long. */
static bool add_skipped(cJSON *t, const struct report *r)
{
	cJSON *list;
	bool ok = true;

	if (!r->skipped_by_design.len)
		return true;
	list = cJSON_AddArrayToObject(t, "skipped_by_design");
	for (size_t i = 0; list && ok && i < r->skipped_by_design.len; i++) {
		cJSON *o = push_object(list);
		ok = o && add_str(o, "file", r->skipped_by_design.items[i].file) &&
		     add_str(o, "reason", r->skipped_by_design.items[i].reason);
	}
	return list && ok;
}

static bool add_target(cJSON *doc, const struct report *r)
{
	cJSON *t = cJSON_AddObjectToObject(doc, "target");
	cJSON *paths = cJSON_AddArrayToObject(t, "paths");
	cJSON *langs;
	bool ok = t && paths;

	for (size_t i = 0; ok && i < r->targets.len; i++)
		ok = push_string(paths, r->targets.items[i]);
	ok = ok && add_str(t, "root", r->root);
	ok = ok && cJSON_AddNumberToObject(t, "files_found", r->files_found);
	ok = ok && cJSON_AddNumberToObject(t, "files_parsed", r->files_parsed);
	/* the name the contract uses: the files actually analysed */
	ok = ok && cJSON_AddNumberToObject(t, "files_scanned", r->files_parsed);
	ok = ok && cJSON_AddNumberToObject(t, "files_skipped", r->files_skipped);
	ok = ok && cJSON_AddNumberToObject(t, "deps_skipped", r->deps_skipped);
	ok = ok && cJSON_AddBoolToObject(t, "include_deps", r->include_deps);
	ok = ok && add_skipped(t, r);
	langs = ok ? cJSON_AddArrayToObject(t, "languages") : NULL;
	for (unsigned bit = 0; langs && report_language_name(bit); bit++)
		if (r->languages & (1u << bit))
			ok = ok && push_string(langs, report_language_name(bit));
	return ok && langs;
}

static bool add_documented(cJSON *doc, const struct report *r)
{
	cJSON *list = cJSON_AddArrayToObject(doc, "documented");
	bool ok = list != NULL;

	for (size_t i = 0; ok && i < r->documented.len; i++) {
		const struct documented_host *d = &r->documented.items[i];
		cJSON *o = push_object(list);
		ok = o && add_str(o, "host", d->pattern) && add_str(o, "source", d->source) &&
		     add_str(o, "match", doc_match_name(d->match_kind));
	}
	return ok;
}

static bool add_evidence(cJSON *list, const struct evidence *e)
{
	cJSON *o = push_object(list);
	bool ok = o && add_str(o, "stage", e->stage) && add_str(o, "file", e->file) &&
		  add_uint_or_null(o, "line", e->line) && add_uint_or_null(o, "column", e->column) &&
		  add_str(o, "api", e->api) && add_str(o, "expression", e->expression) &&
		  add_str(o, "phase", e->phase) && add_str(o, "package", e->package) &&
		  add_str(o, "env_var", e->env_var) && add_str(o, "decoded_by", e->decoded_by);

	/* Packet numbers only mean something for a capture; static evidence has none. */
	if (ok && e->packet)
		ok = cJSON_AddNumberToObject(o, "packet", (double)e->packet) != NULL;
	if (ok && e->stage && !strcmp(e->stage, "dynamic"))
		ok = cJSON_AddNumberToObject(o, "time_ms", e->time_ms) != NULL;
	if (ok && e->content != CONTENT_NONE)
		ok = add_str(o, "content", evidence_content_name(e->content)) != NULL;
	return ok;
}

static bool add_documented_by(cJSON *o, const struct endpoint *ep)
{
	cJSON *by;

	if (ep->documented_by == DOC_NONE)
		return cJSON_AddNullToObject(o, "documented_by") != NULL;
	by = cJSON_AddObjectToObject(o, "documented_by");
	return by && add_str(by, "match", doc_match_name(ep->documented_by)) &&
	       add_str(by, "source", ep->documented_source);
}

/* The schema promises 1-65535 or null; whatever else a parser let through is unknown. */
static unsigned long port_or_zero(int port)
{
	return port > 0 && port <= 65535 ? (unsigned long)port : 0;
}

static bool add_endpoint(cJSON *list, const struct endpoint *ep)
{
	cJSON *o = push_object(list);
	cJSON *ev;
	bool seen, known;
	bool ok = o && add_str(o, "host", ep->host) && add_str(o, "host_suffix", ep->host_suffix) &&
		  add_uint_or_null(o, "port", port_or_zero(ep->port)) &&
		  add_str(o, "scheme", ep->scheme) && add_str(o, "path", ep->path) &&
		  add_str(o, "registrable_domain", ep->registrable_domain) &&
		  cJSON_AddBoolToObject(o, "documented", ep->documented_by != DOC_NONE) &&
		  add_documented_by(o, ep) && add_str(o, "kind", endpoint_kind_name(ep->kind));

	if (ok && ep->observed != OBS_NONE)
		ok = add_str(o, "observed", observed_name(ep->observed)) != NULL;
	if (ok && (seen = endpoint_content_seen(ep, &known), known))
		ok = cJSON_AddBoolToObject(o, "content_seen", seen) != NULL;

	ev = ok ? cJSON_AddArrayToObject(o, "evidence") : NULL;
	for (size_t i = 0; ev && i < ep->evidence.len; i++)
		if (!add_evidence(ev, &ep->evidence.items[i]))
			return false;
	return ev != NULL;
}

static bool add_finding(cJSON *list, const struct finding *f)
{
	cJSON *o = push_object(list);
	cJSON *chain, *events;
	bool ok = o && add_str(o, "rule_id", f->rule_id) &&
		  add_str(o, "severity", severity_name(f->severity)) &&
		  add_str(o, "message", f->message) && add_str(o, "host", f->host) &&
		  add_str(o, "file", f->file) && add_uint_or_null(o, "line", f->line) &&
		  add_uint_or_null(o, "column", f->column) && add_str(o, "snippet", f->snippet) &&
		  add_str(o, "fingerprint", f->fingerprint) && add_str(o, "phase", f->phase) &&
		  add_str(o, "package", f->package);

	chain = ok ? cJSON_AddArrayToObject(o, "chain") : NULL;
	ok = chain != NULL;
	for (size_t i = 0; ok && i < f->chain.len; i++)
		ok = push_string(chain, f->chain.items[i]);
	events = ok ? cJSON_AddArrayToObject(o, "events") : NULL;
	ok = events != NULL;
	for (size_t i = 0; ok && i < f->events.len; i++)
		ok = push_string(events, f->events.items[i]);
	return ok && cJSON_AddBoolToObject(o, "suppressed", f->suppressed != NULL) &&
	       add_str(o, "suppression_reason", f->suppressed);
}

static bool add_lists(cJSON *doc, const struct report *r)
{
	cJSON *eps = cJSON_AddArrayToObject(doc, "endpoints");
	cJSON *fs = cJSON_AddArrayToObject(doc, "findings");
	cJSON *inc = cJSON_AddArrayToObject(doc, "incomplete");
	cJSON *urls = cJSON_AddArrayToObject(doc, "url_strings");
	bool ok = eps && fs && inc && urls;

	for (size_t i = 0; ok && i < r->endpoints.len; i++)
		ok = add_endpoint(eps, r->endpoints.items[i]);
	for (size_t i = 0; ok && i < r->findings.len; i++)
		ok = add_finding(fs, r->findings.items[i]);
	for (size_t i = 0; ok && i < r->incomplete.len; i++) {
		cJSON *o = push_object(inc);
		ok = o && add_str(o, "file", r->incomplete.items[i].file) &&
		     add_str(o, "reason", r->incomplete.items[i].reason);
	}
	for (size_t i = 0; ok && i < r->url_strings.len; i++) {
		const struct url_string *u = &r->url_strings.items[i];
		cJSON *o = push_object(urls);
		ok = o && add_str(o, "url", u->url) && add_str(o, "file", u->file) &&
		     add_uint_or_null(o, "line", u->line);
	}
	return ok;
}

static unsigned suppressed_count(const struct report *r)
{
	unsigned n = 0;

	for (size_t i = 0; i < r->findings.len; i++)
		n += r->findings.items[i]->suppressed != NULL;
	return n;
}

static bool add_summary(cJSON *doc, const struct report *r, const struct report_options *o)
{
	unsigned counts[SEV_CRITICAL + 1], total = 0;
	int max = report_max_severity(r);
	cJSON *s = cJSON_AddObjectToObject(doc, "summary");
	cJSON *by;
	bool ok;

	report_count_findings(r, counts);
	for (int sev = SEV_INFO; sev <= SEV_CRITICAL; sev++)
		total += counts[sev];
	ok = s && cJSON_AddNumberToObject(s, "endpoints", (double)r->endpoints.len) &&
	     cJSON_AddNumberToObject(s, "undocumented", report_undocumented_count(r)) &&
	     cJSON_AddNumberToObject(s, "findings", total) &&
	     cJSON_AddNumberToObject(s, "suppressed", suppressed_count(r));
	by = ok ? cJSON_AddObjectToObject(s, "findings_by_severity") : NULL;
	/* Most severe first, as a reader scans it. */
	for (int sev = SEV_CRITICAL; by && sev >= SEV_INFO; sev--)
		if (!cJSON_AddNumberToObject(by, severity_name((enum severity)sev), counts[sev]))
			return false;
	return by && add_str(s, "max_severity", max < 0 ? NULL : severity_name((enum severity)max)) &&
	       add_str(s, "fail_on", severity_name(o->fail_on)) &&
	       cJSON_AddBoolToObject(s, "failed", report_fails(r, o));
}

/* Audit only: the verdict comes first, as a reader (or a pipeline) wants it. */
static bool add_verdict(cJSON *doc, const struct report *r)
{
	cJSON *v, *reasons;
	bool ok;

	if (r->verdict.result == VERDICT_NONE)
		return true;
	v = cJSON_AddObjectToObject(doc, "verdict");
	reasons = v && add_str(v, "result", verdict_name(r->verdict.result)) ?
		  cJSON_AddArrayToObject(v, "reasons") : NULL;
	ok = reasons != NULL;
	for (size_t i = 0; ok && i < r->verdict.reasons.len; i++)
		ok = push_string(reasons, r->verdict.reasons.items[i]);
	return ok;
}

static bool add_string_array(cJSON *o, const char *key, char *const *items, size_t n)
{
	cJSON *a = cJSON_AddArrayToObject(o, key);
	bool ok = a != NULL;

	for (size_t i = 0; ok && i < n; i++)
		ok = push_string(a, items[i]);
	return ok;
}

/* How the server was started and reached, and why so; null when it was not started. */
static bool add_started(cJSON *o, const struct package_info *p)
{
	cJSON *st;

	if (!p->started_from)
		return cJSON_AddNullToObject(o, "started") != NULL;
	st = cJSON_AddObjectToObject(o, "started");
	return st && add_string_array(st, "command", p->command.items, p->command.len) &&
	       add_str(st, "from", p->started_from) && add_str(st, "why", p->started_why) &&
	       add_str(st, "transport", p->transport ? p->transport : "stdio") && add_str(st, "url", p->transport_url) &&
	       add_str(st, "transport_why", p->transport_why);
}

static bool add_package(cJSON *doc, const struct report *r)
{
	const struct package_info *p = r->package;
	cJSON *o, *scripts, *bins;
	bool ok;

	if (!p)
		return true;
	o = cJSON_AddObjectToObject(doc, "package");
	ok = o && add_str(o, "ecosystem", p->ecosystem) && add_str(o, "name", p->name) &&
	     add_str(o, "version", p->version) && add_str(o, "source", p->source) &&
	     add_str(o, "integrity", p->integrity) && add_str(o, "created", p->created) &&
	     add_str(o, "published", p->published) &&
	     add_uint_or_null(o, "versions", p->versions) && add_str(o, "lockfile", p->lockfile);
	scripts = ok ? cJSON_AddArrayToObject(o, "install_scripts") : NULL;
	ok = scripts != NULL;
	for (size_t i = 0; ok && i < p->scripts.len; i++) {
		const struct install_script *is = &p->scripts.items[i];
		cJSON *so = push_object(scripts);
		ok = so && add_str(so, "name", is->name) && add_str(so, "command", is->command) &&
		     add_str(so, "file", is->file) && cJSON_AddBoolToObject(so, "egress", is->egress);
	}
	bins = ok ? cJSON_AddArrayToObject(o, "bin") : NULL;
	ok = bins != NULL;
	for (size_t i = 0; ok && i < p->bins.len; i++) {
		cJSON *bo = push_object(bins);
		ok = bo && add_str(bo, "name", p->bins.items[i].name) &&
		     add_str(bo, "path", p->bins.items[i].path);
	}
	return ok && add_string_array(o, "dependencies", p->dependencies.items, p->dependencies.len) &&
	       add_string_array(o, "command", p->command.items, p->command.len) && add_started(o, p);
}

static bool add_stages(cJSON *doc, const struct report *r)
{
	cJSON *o;

	if (r->verdict.result == VERDICT_NONE)
		return true;
	o = cJSON_AddObjectToObject(doc, "stages");
	return o && cJSON_AddBoolToObject(o, "static", r->static_ran) &&
	       cJSON_AddBoolToObject(o, "dynamic", r->dynamic_ran);
}

static bool add_call(cJSON *list, const struct coverage_call *c)
{
	cJSON *o = push_object(list);

	return o && add_str(o, "method", c->method) && add_str(o, "target", c->target) &&
	       add_str(o, "arguments", c->arguments) && add_str(o, "outcome", c->outcome) &&
	       add_str(o, "detail", c->detail) && cJSON_AddNumberToObject(o, "start_ms", c->start_ms) &&
	       cJSON_AddNumberToObject(o, "end_ms", c->end_ms);
}

static int push_step(void *list, const char *method, const char *name)
{
	char *step = xasprintf("%s %s", method, name);
	bool ok = step && push_string(list, step);

	free(step);
	return ok ? 0 : -1;
}

/* The listed items no request reached, as "tools/call NAME". */
static bool add_not_called(cJSON *o, const struct coverage *c)
{
	cJSON *list = cJSON_AddArrayToObject(o, "not_called");

	return list && coverage_each_unreached(c, push_step, list) == 0;
}

cJSON *report_json_coverage(const struct report *r)
{
	const struct coverage *c = &r->coverage;
	cJSON *o = c->ran ? cJSON_CreateObject() : cJSON_CreateNull();
	cJSON *calls, *phases;
	bool ok;

	if (!o || !c->ran)
		return o;
	ok = add_string_array(o, "tools", c->tools.items, c->tools.len) &&
	     add_string_array(o, "resources", c->resources.items, c->resources.len) &&
	     add_string_array(o, "prompts", c->prompts.items, c->prompts.len) && add_not_called(o, c) &&
	     add_str(o, "transport", c->transport);
	calls = ok ? cJSON_AddArrayToObject(o, "calls") : NULL;
	for (size_t i = 0; calls && i < c->calls.len; i++)
		if (!add_call(calls, &c->calls.items[i]))
			calls = NULL;
	phases = calls ? cJSON_AddArrayToObject(o, "phases") : NULL;
	for (size_t i = 0; phases && i < c->phases.len; i++) {
		cJSON *p = push_object(phases);
		if (!p || !add_str(p, "phase", c->phases.items[i].phase) ||
		    !cJSON_AddNumberToObject(p, "ms", c->phases.items[i].ms))
			phases = NULL;
	}
	if (!phases) {
		cJSON_Delete(o);
		return NULL;
	}
	return o;
}

static bool add_coverage(cJSON *doc, const struct report *r)
{
	cJSON *c = report_json_coverage(r);

	if (!c || !cJSON_AddItemToObject(doc, "coverage", c)) {
		cJSON_Delete(c);
		return false;
	}
	return true;
}

static bool add_header(cJSON *doc, const struct report *r, const struct report_options *o)
{
	/* Milliseconds are all a reader needs, and fewer digits keep golden files calm.
	 * (Rounded by hand: round() would pull in libm for one call.) */
	double ms = r->duration_seconds > 0 ? r->duration_seconds * 1000.0 + 0.5 : 0;
	double secs = (double)(long long)ms / 1000.0;
	cJSON *tool;

	if (!cJSON_AddNumberToObject(doc, "schema_version", REPORT_SCHEMA_VERSION))
		return false;
	tool = cJSON_AddObjectToObject(doc, "tool");
	return add_str(tool, "name", MCPAUDIT_NAME) && add_str(tool, "version", MCPAUDIT_VERSION) &&
	       add_str(doc, "command", o->command ? o->command : "scan") && add_verdict(doc, r) &&
	       add_target(doc, r) && add_package(doc, r) && add_stages(doc, r) &&
	       cJSON_AddBoolToObject(doc, "execution_successful", r->execution_successful) &&
	       add_str(doc, "error", r->error) &&
	       cJSON_AddNumberToObject(doc, "duration_seconds", secs);
}

int report_write_json(FILE *out, const struct report *r, const struct report_options *o)
{
	cJSON *doc = cJSON_CreateObject();
	bool ok = doc && add_header(doc, r, o) && add_documented(doc, r) && add_lists(doc, r) &&
		  add_coverage(doc, r) && add_summary(doc, r, o);

	if (!ok) {
		cJSON_Delete(doc);
		return -1;
	}
	return report_json_print(out, doc);
}
