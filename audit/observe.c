/* observe: one endpoint list from both stages, and the audit's verdict. */
#include "audit/observe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/strbuf.h"
#include "core/url.h"

#define MAX_REASONS 10   /* findings named one by one in the verdict; the rest are counted */

static bool has_stage(const struct endpoint *ep, const char *stage)
{
	for (size_t i = 0; i < ep->evidence.len; i++)
		if (ep->evidence.items[i].stage && !strcmp(ep->evidence.items[i].stage, stage))
			return true;
	return false;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0 && (suffix[0] == '.' || n == m || s[n - m - 1] == '.');
}

/* Whether the code's endpoint names this host: the same host, or a partial one (a known
 * suffix) it ends with. */
static bool code_names(const struct endpoint *code, const char *host)
{
	if (!host)
		return false;
	if (code->host)
		return strcasecmp(code->host, host) == 0;
	return code->kind == EK_PARTIAL && code->host_suffix && ends_with(host, code->host_suffix);
}

/* Whether some other endpoint with evidence of stage names the same destination. */
static bool seen_elsewhere(const struct report *r, const struct endpoint *ep, const char *stage)
{
	bool want_code = !strcmp(stage, "static");

	for (size_t i = 0; i < r->endpoints.len; i++) {
		const struct endpoint *o = r->endpoints.items[i];
		if (o == ep || !has_stage(o, stage))
			continue;
		if (ep->kind == EK_USER_DIRECTED && o->kind == EK_USER_DIRECTED)
			return true;  /* the driver's own URL, requested through a tool argument */
		if (want_code ? code_names(o, ep->host) : code_names(ep, o->host))
			return true;
	}
	return false;
}

/* Whether the code holds the host in a URL it never visibly requests (a default value, a
 * table of mirrors): then the code does contain it, though no call site was tied to it. */
static bool in_url_strings(const struct report *r, const char *host)
{
	struct url_parts u;

	for (size_t i = 0; host && i < r->url_strings.len; i++)
		if (url_parse(r->url_strings.items[i].url, &u) && !strcasecmp(u.host, host))
			return true;
	return false;
}

void observe_endpoints(struct report *r)
{
	for (size_t i = 0; i < r->endpoints.len; i++) {
		struct endpoint *ep = r->endpoints.items[i];
		bool in_code = has_stage(ep, "static"), contacted = has_stage(ep, "dynamic");

		if (!in_code && !contacted)
			continue;  /* from a client configuration: neither stage saw it */
		if (in_code && !contacted)
			contacted = r->dynamic_ran && seen_elsewhere(r, ep, "dynamic");
		if (contacted && !in_code)
			in_code = r->static_ran && (seen_elsewhere(r, ep, "static") || in_url_strings(r, ep->host));
		if (in_code && contacted)
			ep->observed = OBS_CONFIRMED;
		else if (in_code)
			ep->observed = r->dynamic_ran ? OBS_NOT_EXERCISED : OBS_STATIC_ONLY_RUN;
		else
			ep->observed = r->static_ran ? OBS_HIDDEN : OBS_DYNAMIC_ONLY_RUN;
	}
}

/* The phase of an endpoint's first dynamic evidence: when the run reached it. */
static const char *first_phase(const struct endpoint *ep)
{
	for (size_t i = 0; i < ep->evidence.len; i++)
		if (ep->evidence.items[i].phase && ep->evidence.items[i].stage &&
		    !strcmp(ep->evidence.items[i].stage, "dynamic"))
			return ep->evidence.items[i].phase;
	return "unknown";
}

int observe_hidden_egress(struct report *r)
{
	for (size_t i = 0; i < r->endpoints.len; i++) {
		const struct endpoint *ep = r->endpoints.items[i];
		struct finding *f;

		/* the sandbox's own loopback (a local service the server looks for: kubectl's
		 * localhost:8080) is listed, but it is not egress, as in the policy */
		if (ep->observed != OBS_HIDDEN || ep->documented_by != DOC_NONE || !ep->host ||
		    ep->kind == EK_USER_DIRECTED || host_is_local(ep->host))
			continue;
		f = report_add_finding(r, "hidden-egress", ep->host, NULL, 0,
				       "the run contacted %s (phase %s), which is documented nowhere and which the "
				       "static stage found nowhere in the package's code: built at run time, "
				       "decoded, downloaded, or inside a dependency",
				       ep->host, first_phase(ep));
		if (!f)
			return -1;
		free(f->phase);
		f->phase = xstrdup(first_phase(ep));
	}
	return 0;
}

/* ---- the verdict ---- */

/* One reason per finding at or above min, most severe first, the same rule and host once. */
static int name_findings(struct report *r, enum severity min, unsigned *named)
{
	unsigned more = 0;

	for (int sev = SEV_CRITICAL; sev >= (int)min; sev--) {
		for (size_t i = 0; i < r->findings.len; i++) {
			const struct finding *f = r->findings.items[i];
			bool dup = false;
			if (f->suppressed || (int)f->severity != sev)
				continue;
			for (size_t j = 0; j < i && !dup; j++) {
				const struct finding *g = r->findings.items[j];
				dup = !g->suppressed && g->severity == f->severity && !strcmp(g->rule_id, f->rule_id) &&
				      (g->host && f->host ? !strcmp(g->host, f->host) : !g->host && !f->host);
			}
			if (dup)
				continue;
			if (*named >= MAX_REASONS) {
				more++;
				continue;
			}
			if (report_add_reason(r, "%s %s: %s", severity_name(f->severity), f->rule_id, f->message) != 0)
				return -1;
			(*named)++;
		}
	}
	if (more && report_add_reason(r, "and %u more finding%s at or above %s", more, more == 1 ? "" : "s",
				      severity_name(min)) != 0)
		return -1;
	return 0;
}

static int incomplete_reason(struct report *r)
{
	if (!r->incomplete.len)
		return 0;
	return report_add_reason(r, "the audit is incomplete (%zu item%s), first: %s%s%s", r->incomplete.len,
				 r->incomplete.len == 1 ? "" : "s",
				 r->incomplete.items[0].file ? r->incomplete.items[0].file : "",
				 r->incomplete.items[0].file ? ": " : "", r->incomplete.items[0].reason);
}

int observe_verdict(struct report *r, const struct policy *p, bool static_only)
{
	int max = report_max_severity(r);
	unsigned named = 0;

	if (max >= (int)p->fail_on) {
		r->verdict.result = VERDICT_FAIL;
		return name_findings(r, p->fail_on, &named) == 0 && incomplete_reason(r) == 0 ? 0 : -1;
	}
	if (max >= (int)p->review_on || r->incomplete.len || (!static_only && !r->dynamic_ran) || !r->static_ran) {
		r->verdict.result = VERDICT_REVIEW;
		if (max >= (int)p->review_on && name_findings(r, p->review_on, &named) != 0)
			return -1;
		if (incomplete_reason(r) != 0)
			return -1;
		if (!static_only && !r->dynamic_ran &&
		    report_add_reason(r, "the server was not run, so nothing it does at run time was seen") != 0)
			return -1;
		if (!r->static_ran && report_add_reason(r, "no code was read (a remote server, or no file the static stage could parse): a person has to review it") != 0)
			return -1;
		return 0;
	}
	r->verdict.result = VERDICT_PASS;
	return report_add_reason(r, "no finding at or above %s; %zu endpoint%s, %u undocumented%s",
				 severity_name(p->review_on), r->endpoints.len, r->endpoints.len == 1 ? "" : "s",
				 report_undocumented_count(r),
				 static_only ? "; static stage only (--static-only): the server was not run" : "");
}
