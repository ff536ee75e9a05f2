/* The SARIF 2.1.0 report (OASIS SARIF v2.1.0, errata 01), shaped for GitHub code scanning:
 * every catalogue rule with help text and security-severity, 1-based lines, relative URIs
 * under %SRCROOT%, partial fingerprints and external suppressions. */
#include "core/report_format.h"

#include <cjson/cJSON.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/policy.h"
#include "core/sarif_paths.h"
#include "core/strbuf.h"
#include "core/version.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define SRCROOT "%SRCROOT%"
/* The partialFingerprints key: versioned, so a change in how we hash starts afresh. */
#define FINGERPRINT_KEY "mcpaudit/v2"
/* Where each rule's help lives: the catalogue's page, one anchor per rule. */
#define RULE_HELP_URI MCPAUDIT_INFO_URI "/rules#"

/* What a result without a file points at when its destination has no call site either:
 * the first of these the target has, so that GitHub shows the alert on a file. */
static const char *const manifest_names[] = {"package.json", "pyproject.toml", "setup.py", "server.json",
					     "README.md", NULL};

/* What one run's writer needs besides the report. */
struct run_context {
	const struct report *r;
	struct sarif_base base;
};

/* Per severity: SARIF level (3.27.10) and GitHub's security-severity score (0.0-10.0). */
static const struct {
	const char *level;
	const char *score;
} severity_sarif[] = {
	[SEV_INFO] = {"note", "1.0"},      [SEV_LOW] = {"note", "3.0"},
	[SEV_MEDIUM] = {"warning", "5.5"}, [SEV_HIGH] = {"error", "8.0"},
	[SEV_CRITICAL] = {"error", "9.5"},
};

/* Tags GitHub shows with each rule ("security" makes it a security alert). */
static const struct {
	const char *rule_id;
	const char *topic;
} rule_topics[] = {
	{"credential-access", "credentials"},  {"credential-flow", "credentials"},
	{"dynamic-code-execution", "code-execution"}, {"unparsed-file", "coverage"},
};

static const char *rule_topic(const char *id)
{
	for (size_t i = 0; i < sizeof rule_topics / sizeof rule_topics[0]; i++)
		if (strcmp(rule_topics[i].rule_id, id) == 0)
			return rule_topics[i].topic;
	return "network";
}

static bool add_text(cJSON *obj, const char *key, const char *s)
{
	cJSON *node = report_json_string(s);

	if (!node || !cJSON_AddItemToObject(obj, key, node)) {
		cJSON_Delete(node);
		return false;
	}
	return true;
}

/* {"text": s} under key, the shape of SARIF's message and multiformatMessageString. */
static cJSON *add_message(cJSON *obj, const char *key, const char *s)
{
	cJSON *m = cJSON_AddObjectToObject(obj, key);

	return m && add_text(m, "text", s) ? m : NULL;
}

/* "undocumented-egress" -> "UndocumentedEgress": SARIF's rule name is an identifier. */
static char *rule_name(const char *id)
{
	char *name = malloc(strlen(id) + 1), *q = name;
	bool upper = true;

	for (const char *p = id; name && *p; p++) {
		if (*p == '-') {
			upper = true;
			continue;
		}
		*q++ = upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
		upper = false;
	}
	if (name)
		*q = '\0';
	return name;
}

static bool add_rule_help(cJSON *rule, const struct rule *ru)
{
	char *md = xasprintf("**%s** (`%s`, %s)\n\n%s", ru->title, ru->id,
			     severity_name(ru->severity), ru->help);
	cJSON *help = add_message(rule, "help", ru->help);
	bool ok = md && help && add_text(help, "markdown", md);

	free(md);
	return ok;
}

static bool add_rule(cJSON *list, const struct rule *ru)
{
	cJSON *rule = cJSON_CreateObject();
	char *name = rule_name(ru->id);
	cJSON *conf, *props, *tags;
	bool ok = rule && name && cJSON_AddItemToArray(list, rule);

	if (!ok) {
		cJSON_Delete(rule);
		free(name);
		return false;
	}
	char *help_uri = xasprintf("%s%s", RULE_HELP_URI, ru->id);
	ok = help_uri && add_text(rule, "id", ru->id) && add_text(rule, "name", name) &&
	     add_text(rule, "helpUri", help_uri) &&
	     add_message(rule, "shortDescription", ru->title) &&
	     add_message(rule, "fullDescription", ru->help) && add_rule_help(rule, ru);
	free(name);
	free(help_uri);
	conf = ok ? cJSON_AddObjectToObject(rule, "defaultConfiguration") : NULL;
	ok = conf && add_text(conf, "level", severity_sarif[ru->severity].level);
	props = ok ? cJSON_AddObjectToObject(rule, "properties") : NULL;
	ok = props && add_text(props, "security-severity", severity_sarif[ru->severity].score);
	tags = ok ? cJSON_AddArrayToObject(props, "tags") : NULL;
	return tags && cJSON_AddItemToArray(tags, cJSON_CreateString("security")) &&
	       cJSON_AddItemToArray(tags, cJSON_CreateString("mcp")) &&
	       cJSON_AddItemToArray(tags, cJSON_CreateString(rule_topic(ru->id)));
}

static bool add_driver(cJSON *run)
{
	cJSON *tool = cJSON_AddObjectToObject(run, "tool");
	cJSON *driver = cJSON_AddObjectToObject(tool, "driver");
	cJSON *list;
	bool ok = driver && add_text(driver, "name", MCPAUDIT_NAME) &&
		  add_text(driver, "version", MCPAUDIT_VERSION) &&
		  add_text(driver, "semanticVersion", MCPAUDIT_VERSION) &&
		  add_text(driver, "informationUri", MCPAUDIT_INFO_URI);

	list = ok ? cJSON_AddArrayToObject(driver, "rules") : NULL;
	for (const struct rule *ru = rules; list && ru->id; ru++)
		if (!add_rule(list, ru))
			return false;
	return list != NULL;
}

/* artifactLocation: the file's uri from the base (the repository root), under %SRCROOT%. */
static bool add_artifact(cJSON *loc, const struct run_context *c, const char *file)
{
	struct strbuf uri = STRBUF_INIT(0);
	cJSON *art = cJSON_AddObjectToObject(loc, "artifactLocation");
	bool ok = art && sarif_base_uri(&c->base, file, &uri) == 0 && add_text(art, "uri", strbuf_str(&uri)) &&
		  add_text(art, "uriBaseId", SRCROOT);

	strbuf_free(&uri);
	return ok;
}

/* The report's columns are bytes; the run declares UTF-16 code units (SARIF's default
 * columnKind, which GitHub and editors use), so each is converted from the line itself,
 * and left out when the file can no longer be read. */
static bool add_region(cJSON *phys, const struct run_context *c, const char *file, unsigned line,
		       unsigned byte_column, const char *snippet)
{
	unsigned column = sarif_utf16_column(&c->base, file, line, byte_column);
	cJSON *region;

	if (line == 0)  /* SARIF lines are 1-based: an unknown line gets no region at all */
		return true;
	region = cJSON_AddObjectToObject(phys, "region");
	if (!region || !cJSON_AddNumberToObject(region, "startLine", line))
		return false;
	if (column && !cJSON_AddNumberToObject(region, "startColumn", column))
		return false;
	return !snippet || add_message(region, "snippet", snippet);
}

/* The first manifest of manifest_names the target has (a regular file), or NULL. */
static const char *target_manifest(const struct run_context *c)
{
	char path[PATH_MAX + 32];
	struct stat st;

	for (const char *const *m = manifest_names; *m; m++) {
		snprintf(path, sizeof path, "%s/%s", c->base.target, *m);
		if (lstat(path, &st) == 0 && S_ISREG(st.st_mode))
			return *m;
	}
	return NULL;
}

/* Where a finding points. GitHub rejects a whole upload when one result has no location
 * ("locationFromSarifResult: expected at least one location"), so a finding without a
 * file borrows its destination's first call site, failing that the target's manifest
 * (package.json, ...), and only failing both the target's folder itself. */
static bool add_locations(cJSON *result, const struct run_context *c, const struct finding *f)
{
	const char *file = f->file;
	unsigned line = f->line, column = f->column;
	const char *snippet = f->snippet;
	cJSON *locs = cJSON_AddArrayToObject(result, "locations");
	cJSON *loc = cJSON_CreateObject();
	cJSON *phys;

	if (!loc || !cJSON_AddItemToArray(locs, loc)) {
		cJSON_Delete(loc);
		return false;
	}
	for (size_t i = 0; !file && f->host && i < c->r->endpoints.len; i++) {
		const struct endpoint *ep = c->r->endpoints.items[i];
		const struct evidence *e = endpoint_first_evidence(ep);
		if (ep->host && strcmp(ep->host, f->host) == 0 && e && e->file) {
			file = e->file;
			line = e->line;
			column = e->column;
			snippet = NULL;
		}
	}
	if (!file && (file = target_manifest(c)) != NULL) {
		line = 1;
		column = 0;
		snippet = NULL;
	}
	phys = cJSON_AddObjectToObject(loc, "physicalLocation");
	return phys && add_artifact(phys, c, file ? file : ".") &&
	       add_region(phys, c, file ? file : ".", file ? line : 0, column, snippet);
}

/* How many results already in list have this rule and fingerprint. */
static unsigned same_alert_count(const cJSON *list, const char *rule_id, const char *print)
{
	const cJSON *res;
	unsigned n = 0;

	cJSON_ArrayForEach(res, list) {
		const cJSON *id = cJSON_GetObjectItemCaseSensitive(res, "ruleId");
		const cJSON *fp = cJSON_GetObjectItemCaseSensitive(
			cJSON_GetObjectItemCaseSensitive(res, "partialFingerprints"), FINGERPRINT_KEY);
		n += cJSON_IsString(id) && cJSON_IsString(fp) && strcmp(id->valuestring, rule_id) == 0 &&
		     strcmp(fp->valuestring, print) == 0;
	}
	return n;
}

/* GitHub keeps an alert across runs by rule and fingerprint, and folds results of one run
 * that share both into one alert. A finding with code starts from the hash of it (what a
 * suppression names), one without (what a run saw) from its phase, package and severity
 * (the run's groups differ by those); both add the host, since one line can reach two.
 * Results that still clash (two calls to one host on one line) are told apart by their
 * order. Returns false on allocation failure. */
static bool add_fingerprint(cJSON *res, const cJSON *list, const struct finding *f)
{
	cJSON *fp = cJSON_AddObjectToObject(res, "partialFingerprints");
	char *key, *print = NULL, *nth = NULL;
	unsigned seen;
	bool ok = false;

	if (f->fingerprint)
		key = xasprintf("%s\n%s", f->fingerprint, f->host ? f->host : "");
	else
		key = xasprintf("\n%s\n%s\n%s\n%s", f->host ? f->host : "", f->phase ? f->phase : "",
				f->package ? f->package : "", severity_name(f->severity));
	print = key ? policy_fingerprint(f->rule_id, NULL, key) : NULL;
	if (!fp || !print)
		goto out;
	seen = same_alert_count(list, f->rule_id, print);
	if (seen && !(nth = xasprintf("%s-%u", print, seen + 1)))
		goto out;
	ok = add_text(fp, FINGERPRINT_KEY, nth ? nth : print);
out:
	free(key);
	free(print);
	free(nth);
	return ok;
}

static bool add_suppression(cJSON *result, const struct finding *f)
{
	cJSON *list, *s;

	if (!f->suppressed)
		return true;
	list = cJSON_AddArrayToObject(result, "suppressions");
	s = cJSON_CreateObject();
	if (!s || !cJSON_AddItemToArray(list, s)) {
		cJSON_Delete(s);
		return false;
	}
	return add_text(s, "kind", "external") &&
	       add_text(s, "justification", f->suppressed);
}

/* In an audit, what the run saw of the finding's destination ("confirmed",
 * "not-exercised", "hidden", ...); NULL outside an audit or without a destination. */
static const char *observed_of(const struct report *r, const char *host)
{
	for (size_t i = 0; host && i < r->endpoints.len; i++) {
		const struct endpoint *ep = r->endpoints.items[i];
		if (ep->observed != OBS_NONE && ep->host && strcmp(ep->host, host) == 0)
			return observed_name(ep->observed);
	}
	return NULL;
}

static bool add_string_list(cJSON *obj, const char *key, char *const *items, size_t n)
{
	cJSON *list = cJSON_AddArrayToObject(obj, key);

	for (size_t i = 0; list && i < n; i++) {
		cJSON *node = report_json_string(items[i]);
		if (!node || !cJSON_AddItemToArray(list, node)) {
			cJSON_Delete(node);
			return false;
		}
	}
	return list != NULL;
}

/* What SARIF has no field for: the finding's own severity (a rule may raise it), the
 * destination and what an audit's run saw of it, the phase, the evidence chain and the
 * events a finding of the run stands for. */
static bool add_result_properties(cJSON *result, const struct report *r, const struct finding *f)
{
	cJSON *props = cJSON_AddObjectToObject(result, "properties");
	const char *observed = observed_of(r, f->host);
	bool ok = props && add_text(props, "severity", severity_name(f->severity));

	if (ok && f->host)
		ok = add_text(props, "host", f->host);
	if (ok && observed)
		ok = add_text(props, "observed", observed);
	if (ok && f->phase)
		ok = add_text(props, "phase", f->phase);
	if (ok && f->package)
		ok = add_text(props, "package", f->package);
	/* left out when empty, as SARIF viewers show every property */
	return ok && (!f->chain.len || add_string_list(props, "chain", f->chain.items, f->chain.len)) &&
	       (!f->events.len || add_string_list(props, "events", f->events.items, f->events.len));
}

static bool add_result(cJSON *list, const struct run_context *c, const struct finding *f)
{
	const struct rule *ru = rule_find(f->rule_id);
	cJSON *res = cJSON_CreateObject();
	bool ok = ru && res && cJSON_AddItemToArray(list, res);

	if (!ok) {
		cJSON_Delete(res);
		return false;
	}
	ok = add_text(res, "ruleId", f->rule_id) &&
	     cJSON_AddNumberToObject(res, "ruleIndex", (double)(ru - rules)) &&
	     add_text(res, "level", severity_sarif[f->severity].level) &&
	     add_message(res, "message", f->message) && add_locations(res, c, f) && add_fingerprint(res, list, f);
	return ok && add_suppression(res, f) && add_result_properties(res, c->r, f);
}

/* An audit's verdict and which stages ran, as the JSON report's "verdict" and "stages". */
static bool add_verdict(cJSON *props, const struct report *r)
{
	cJSON *v = cJSON_AddObjectToObject(props, "verdict");
	cJSON *stages;

	if (!v || !add_text(v, "result", verdict_name(r->verdict.result)) ||
	    !add_string_list(v, "reasons", r->verdict.reasons.items, r->verdict.reasons.len))
		return false;
	stages = cJSON_AddObjectToObject(props, "stages");
	return stages && cJSON_AddBoolToObject(stages, "static", r->static_ran) &&
	       cJSON_AddBoolToObject(stages, "dynamic", r->dynamic_ran);
}

static bool add_package_lists(cJSON *o, const struct package_info *p)
{
	cJSON *scripts = cJSON_AddArrayToObject(o, "install_scripts");
	cJSON *bins;
	bool ok = scripts != NULL;

	for (size_t i = 0; ok && i < p->scripts.len; i++) {
		const struct install_script *is = &p->scripts.items[i];
		cJSON *so = cJSON_CreateObject();
		ok = so && cJSON_AddItemToArray(scripts, so);
		if (!ok)
			cJSON_Delete(so);
		ok = ok && add_text(so, "name", is->name) && add_text(so, "command", is->command) &&
		     add_text(so, "file", is->file) && cJSON_AddBoolToObject(so, "egress", is->egress);
	}
	bins = ok ? cJSON_AddArrayToObject(o, "bin") : NULL;
	ok = bins != NULL;
	for (size_t i = 0; ok && i < p->bins.len; i++) {
		cJSON *bo = cJSON_CreateObject();
		ok = bo && cJSON_AddItemToArray(bins, bo);
		if (!ok)
			cJSON_Delete(bo);
		ok = ok && add_text(bo, "name", p->bins.items[i].name) &&
		     add_text(bo, "path", p->bins.items[i].path);
	}
	return ok && add_string_list(o, "dependencies", p->dependencies.items, p->dependencies.len) &&
	       add_string_list(o, "command", p->command.items, p->command.len);
}

/* The package's source without the local path SARIF must not upload: "folder /home/x/srv"
 * becomes "folder srv", "archive /tmp/p.tgz" "archive p.tgz"; registry sources stay. */
static bool add_source(cJSON *o, const char *source)
{
	const char *space = source ? strchr(source, ' ') : NULL;
	const char *slash;
	char *local;
	bool ok;

	if (!space || space[1] != '/')
		return add_text(o, "source", source);
	slash = strrchr(space, '/');
	local = xasprintf("%.*s %s", (int)(space - source), source, slash[1] ? slash + 1 : ".");
	ok = local && add_text(o, "source", local);
	free(local);
	return ok;
}

/* The audited package, in the JSON report's "package" shape. */
static bool add_package(cJSON *props, const struct package_info *p)
{
	cJSON *o = cJSON_AddObjectToObject(props, "package");
	bool ok = o && add_text(o, "ecosystem", p->ecosystem) && add_text(o, "name", p->name) &&
		  add_text(o, "version", p->version) && add_source(o, p->source) &&
		  add_text(o, "integrity", p->integrity) && add_text(o, "created", p->created) &&
		  add_text(o, "published", p->published);

	ok = ok && (p->versions ? cJSON_AddNumberToObject(o, "versions", p->versions)
				: cJSON_AddNullToObject(o, "versions"));
	return ok && add_text(o, "lockfile", p->lockfile) && add_package_lists(o, p);
}

/* The run's coverage, as the JSON report has it (report_json_coverage). */
static bool add_coverage(cJSON *props, const struct report *r)
{
	cJSON *c = report_json_coverage(r);

	if (!c || !cJSON_AddItemToObject(props, "coverage", c)) {
		cJSON_Delete(c);
		return false;
	}
	return true;
}

/* SARIF has no place for a verdict, a package or what a run exercised, so the run's
 * property bag (3.8) carries them. A scan adds nothing here. */
static bool add_run_properties(cJSON *run, const struct report *r)
{
	cJSON *props;

	if (r->verdict.result == VERDICT_NONE && !r->package && !r->coverage.ran)
		return true;
	props = cJSON_AddObjectToObject(run, "properties");
	if (!props)
		return false;
	if (r->verdict.result != VERDICT_NONE && !add_verdict(props, r))
		return false;
	if (r->coverage.ran && !add_coverage(props, r))
		return false;
	return !r->package || add_package(props, r->package);
}

/* %SRCROOT%, the base of every uri, described but without its local path: an absolute
 * file: URI of the machine that wrote the log is what a public upload must not carry, and
 * GitHub reads the uris from the repository root anyway (3.14.14 allows a base without a
 * uri: the consumer supplies it). */
static bool add_base_ids(cJSON *run, const struct run_context *c)
{
	cJSON *ids = cJSON_AddObjectToObject(run, "originalUriBaseIds");
	cJSON *root = cJSON_AddObjectToObject(ids, SRCROOT);

	return root && add_message(root, "description", sarif_base_description(&c->base));
}

static bool add_invocation(cJSON *run, const struct report *r)
{
	cJSON *list = cJSON_AddArrayToObject(run, "invocations");
	cJSON *inv = cJSON_CreateObject();
	cJSON *notes, *note;

	if (!inv || !cJSON_AddItemToArray(list, inv)) {
		cJSON_Delete(inv);
		return false;
	}
	if (!cJSON_AddBoolToObject(inv, "executionSuccessful", r->execution_successful))
		return false;
	if (!r->error)
		return true;
	/* Why the run failed, where SARIF viewers look for it. */
	notes = cJSON_AddArrayToObject(inv, "toolExecutionNotifications");
	note = cJSON_CreateObject();
	if (!note || !cJSON_AddItemToArray(notes, note)) {
		cJSON_Delete(note);
		return false;
	}
	return add_text(note, "level", "error") && add_message(note, "message", r->error);
}

struct sarif_log {
	cJSON *doc;
	cJSON *runs;    /* borrowed from doc */
};

struct sarif_log *sarif_log_new(void)
{
	struct sarif_log *l = calloc(1, sizeof *l);

	if (!l || !(l->doc = cJSON_CreateObject()) || !add_text(l->doc, "$schema", SARIF_SCHEMA) ||
	    !add_text(l->doc, "version", "2.1.0") || !(l->runs = cJSON_AddArrayToObject(l->doc, "runs"))) {
		sarif_log_free(l);
		return NULL;
	}
	return l;
}

void sarif_log_free(struct sarif_log *l)
{
	if (!l)
		return;
	cJSON_Delete(l->doc);
	free(l);
}

/* "mcpaudit/audit/weather-server@1.2.0/": GitHub takes each run with the same tool and
 * category for a re-upload of the one before, so the runs of several targets need their
 * own category. Named by the package, else the target's last path segment, never by a
 * local path. */
static bool add_automation(cJSON *run, const struct run_context *c, const struct report_options *o)
{
	const struct package_info *p = c->r->package;
	const char *slash = strrchr(c->base.target, '/');
	struct strbuf id = STRBUF_INIT(400);
	const char *name = p && p->name ? p->name : slash && slash[1] ? slash + 1 : "target";
	cJSON *ad = cJSON_AddObjectToObject(run, "automationDetails");
	bool ok;

	ok = strbuf_printf(&id, "mcpaudit/%s/", o->command ? o->command : "scan") == 0;
	for (const char *q = name; ok && *q; q++)
		ok = strbuf_putc(&id, strchr("/\\ \t\n", *q) || (unsigned char)*q < 0x20 ? '-' : *q) == 0;
	if (ok && p && p->version)
		ok = strbuf_printf(&id, "@%s", p->version) == 0;
	ok = ok && strbuf_putc(&id, '/') == 0 && ad && add_text(ad, "id", strbuf_str(&id));
	strbuf_free(&id);
	return ok;
}

int sarif_log_add(struct sarif_log *l, const struct report *r, const struct report_options *o, bool own_category)
{
	struct run_context c = {r, {0}};
	cJSON *run = cJSON_CreateObject();
	cJSON *results;

	/* SARIF carries levels, not our threshold: the consumer decides what fails */
	if (!run || !cJSON_AddItemToArray(l->runs, run)) {
		cJSON_Delete(run);
		return -1;
	}
	if (sarif_base_init(&c.base, r->root, o->sarif_root) != 0)
		return -1;
	if (!add_driver(run) || (own_category && !add_automation(run, &c, o)) || !add_invocation(run, r) ||
	    !add_base_ids(run, &c) || !add_text(run, "columnKind", "utf16CodeUnits"))
		return -1;
	results = cJSON_AddArrayToObject(run, "results");
	for (size_t i = 0; results && i < r->findings.len; i++)
		if (!add_result(results, &c, r->findings.items[i]))
			return -1;
	return results && add_run_properties(run, r) ? 0 : -1;
}

int sarif_log_write(FILE *out, struct sarif_log *l)
{
	cJSON *doc = l->doc;

	l->doc = NULL;   /* report_json_print frees it */
	return report_json_print(out, doc);
}

int report_write_sarif(FILE *out, const struct report *r, const struct report_options *o)
{
	struct sarif_log *l = sarif_log_new();
	int rc = l && sarif_log_add(l, r, o, false) == 0 ? sarif_log_write(out, l) : -1;

	sarif_log_free(l);
	return rc;
}
