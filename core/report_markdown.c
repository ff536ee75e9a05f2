/* The Markdown report: a security review a person reads in a pull request (GitHub
 * Flavored Markdown). Hosts, paths, messages and code come from the scanned server, so
 * every piece of them is escaped for the place it lands: table cell, prose or code block. */
#include "core/report_format.h"

#include <stdarg.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/version.h"

/* Phases named after "reached from" for code the run never exercised. */
#define PHASES_SHOWN 8
/* Dependency names listed in the package table. */
#define DEPENDENCIES_SHOWN 30

struct md {
	struct strbuf b;
	const struct report_options *o;
	int rc;  /* first append failure, sticky */
};

static void put(struct md *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct md *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (strbuf_vprintf(&m->b, fmt, ap) != 0)
		m->rc = -1;
	va_end(ap);
}

/* Markdown and HTML that hostile text could use: inline HTML, table splits, emphasis,
 * links and images, code spans, and @-mentions that would notify people. Entities work
 * everywhere GitHub renders, including table cells. */
static const struct {
	char c;
	const char *escaped;
} md_escapes[] = {
	{'|', "\\|"},   {'`', "\\`"},   {'\\', "\\\\"}, {'*', "\\*"},  {'_', "\\_"},
	{'[', "\\["},   {']', "\\]"},   {'~', "\\~"},   {'#', "\\#"},  {'<', "&lt;"},
	{'>', "&gt;"},  {'&', "&amp;"}, {'@', "&#64;"}, {'!', "\\!"},
};

static const char *md_escape_of(char c)
{
	for (size_t i = 0; i < sizeof md_escapes / sizeof md_escapes[0]; i++)
		if (md_escapes[i].c == c)
			return md_escapes[i].escaped;
	return NULL;
}

/* Untrusted text as inert Markdown on one line (for prose and table cells). */
static void put_text(struct md *m, const char *s)
{
	struct strbuf clean = STRBUF_INIT(0);

	if (report_clean(&clean, s ? s : "", CLEAN_TERMINAL) != 0)
		m->rc = -1;
	for (const char *p = strbuf_str(&clean); *p; p++) {
		const char *esc = md_escape_of(*p);
		if (esc ? strbuf_puts(&m->b, esc) : strbuf_putc(&m->b, *p))
			m->rc = -1;
	}
	strbuf_free(&clean);
}

/* Longest run of backticks in s: a code fence or span must be longer to contain it. */
static size_t longest_backtick_run(const char *s)
{
	size_t best = 0, run = 0;

	for (; *s; s++) {
		run = *s == '`' ? run + 1 : 0;
		if (run > best)
			best = run;
	}
	return best;
}

static void put_fence(struct md *m, const char *indent, size_t n, const char *info)
{
	put(m, "%s", indent);
	for (size_t i = 0; i < n; i++)
		put(m, "`");
	put(m, "%s\n", info);
}

/* A fenced code block (CommonMark 4.5) whose fence no line of s can close. Inside a code
 * block nothing is interpreted, so only control bytes need escaping; they include the
 * newline, so s stays one line and indent keeps the block inside a list item. */
static void put_code_block(struct md *m, const char *indent, const char *s, const char *info)
{
	struct strbuf clean = STRBUF_INIT(0);
	size_t fence;

	if (report_clean(&clean, s, CLEAN_TERMINAL) != 0)
		m->rc = -1;
	fence = longest_backtick_run(strbuf_str(&clean)) + 1;
	fence = fence < 3 ? 3 : fence;
	put_fence(m, indent, fence, info);
	put(m, "%s%s\n", indent, strbuf_str(&clean));
	put_fence(m, indent, fence, "");
	strbuf_free(&clean);
}

static void put_backticks(struct md *m, size_t n)
{
	for (size_t i = 0; i < n; i++)
		put(m, "`");
}

/* Untrusted text as a code span (CommonMark 6.1) inside a table cell: the fence is longer
 * than any backtick run in it, and pipes are escaped, which GFM requires even in spans. */
static void put_code_span(struct md *m, const char *s)
{
	struct strbuf clean = STRBUF_INIT(0);
	const char *p;
	size_t fence;
	bool pad;

	if (report_clean(&clean, s ? s : "", CLEAN_TERMINAL) != 0)
		m->rc = -1;
	p = strbuf_str(&clean);
	fence = longest_backtick_run(p) + 1;
	/* a span that starts or ends with a backtick needs a space inside its fence */
	pad = clean.len && (p[0] == '`' || p[clean.len - 1] == '`');
	if (clean.len)
		put_backticks(m, fence);
	put(m, "%s", pad ? " " : "");
	for (; *p; p++)
		if (*p == '|' ? strbuf_puts(&m->b, "\\|") : strbuf_putc(&m->b, *p))
			m->rc = -1;
	put(m, "%s", pad ? " " : "");
	if (clean.len)
		put_backticks(m, fence);
	strbuf_free(&clean);
}

static void put_where(struct md *m, const char *file, unsigned line)
{
	put_text(m, file ? file : "(no file)");
	if (file && line)
		put(m, ":%u", line);
}

static void put_host_cell(struct md *m, const struct endpoint *ep)
{
	if (ep->host) {
		put_text(m, ep->host);
	} else if (ep->host_suffix) {
		put(m, "\\*");
		put_text(m, ep->host_suffix);
	} else {
		put(m, "%s", ep->kind == EK_USER_DIRECTED ? "(from a tool argument)" : "(unknown)");
	}
	if (ep->port)
		put(m, ":%d", ep->port);
}

/* "src/a.js:3 (+2 more)": the first call site, enough to start reading. */
static void put_where_cell(struct md *m, const struct endpoint *ep, const struct evidence *e)
{
	if (!e) {
		put(m, "-");
		return;
	}
	if (e->file)
		put_where(m, e->file, e->line);
	else
		put(m, "packet %lu", e->packet);
	if (ep->evidence.len > 1)
		put(m, " (+%zu more)", ep->evidence.len - 1);
}

/* An audit's word on the endpoint; for code the run missed, the phases that reach it. */
static void put_observed_cell(struct md *m, const struct endpoint *ep)
{
	const char *phases[PHASES_SHOWN];
	size_t n = 0;

	put(m, ep->observed == OBS_HIDDEN ? "**%s**" : "%s", report_observed_label(ep->observed));
	if (ep->observed == OBS_NOT_EXERCISED)
		n = endpoint_phases(ep, "static", phases, PHASES_SHOWN);
	for (size_t i = 0; i < n; i++) {
		put(m, "%s", i ? ", " : " (reached from ");
		put_text(m, phases[i]);
	}
	put(m, "%s | ", n ? ")" : "");
}

static void put_endpoint_row(struct md *m, const struct endpoint *ep, bool audit)
{
	const struct evidence *e = endpoint_first_evidence(ep);

	put(m, "| ");
	put_host_cell(m, ep);
	put(m, " | ");
	if (ep->documented_by != DOC_NONE) {
		put(m, "%s, ", doc_match_name(ep->documented_by));
		put_text(m, ep->documented_source);
	} else {
		put_text(m, ep->registrable_domain ? ep->registrable_domain : "-");
	}
	put(m, " | %s | ", endpoint_kind_name(ep->kind));
	if (audit)
		put_observed_cell(m, ep);
	put_where_cell(m, ep, e);
	put(m, " | ");
	put_text(m, e && e->phase ? e->phase : "-");
	put(m, " |\n");
}

static const struct {
	const char *title;
	const char *second_column;
} group_md[] = {
	[EG_UNDOCUMENTED] = {"Undocumented destinations", "Site"},
	[EG_UNRESOLVED] = {"Destinations chosen at run time or only partly known", "Site"},
	[EG_DOCUMENTED] = {"Documented destinations", "Documented by"},
};

/* True in an audit, whose endpoints say what the run saw of them. */
static bool any_observed(const struct report *r)
{
	for (size_t i = 0; i < r->endpoints.len; i++)
		if (r->endpoints.items[i]->observed != OBS_NONE)
			return true;
	return false;
}

static void put_endpoint_group(struct md *m, const struct report *r, enum endpoint_group g)
{
	bool any = false, audit = any_observed(r);

	for (size_t i = 0; i < r->endpoints.len; i++) {
		const struct endpoint *ep = r->endpoints.items[i];
		if (endpoint_group_of(ep) != g)
			continue;
		if (!any) {
			put(m, "## %s\n\n", group_md[g].title);
			put(m, "| Host | %s | Kind |%s Where | Phase |\n", group_md[g].second_column,
			    audit ? " Observed |" : "");
			put(m, "| --- | --- | --- |%s --- | --- |\n", audit ? " --- |" : "");
			any = true;
		}
		put_endpoint_row(m, ep, audit);
	}
	if (any)
		put(m, "\n");
}

/* A list item line under a finding; nothing when value is NULL. */
static void put_sub_item(struct md *m, const char *label, const char *value)
{
	if (!value)
		return;
	put(m, "  - %s", label);
	put_text(m, value);
	put(m, "\n");
}

static void put_finding(struct md *m, const struct finding *f)
{
	put(m, "- **%s**: ", f->rule_id);
	put_text(m, f->message);
	if (f->file) {
		put(m, " (");
		put_where(m, f->file, f->line);
		put(m, ")");
	}
	put(m, "\n");
	put_sub_item(m, "destination: ", f->host);
	put_sub_item(m, "phase: ", f->phase);
	put_sub_item(m, "package: ", f->package);
	put_sub_item(m, "suppressed: ", f->suppressed);
	for (size_t i = 0; i < f->chain.len; i++)
		put_sub_item(m, "via ", f->chain.items[i]);
	for (size_t i = 0; i < f->events.len; i++)
		put_sub_item(m, "event: ", f->events.items[i]);
	if (f->snippet) {
		put(m, "\n");
		put_code_block(m, "  ", f->snippet, "");
	}
}

static const char *const severity_title[] = {
	[SEV_INFO] = "Info", [SEV_LOW] = "Low", [SEV_MEDIUM] = "Medium",
	[SEV_HIGH] = "High", [SEV_CRITICAL] = "Critical",
};

/* Findings by severity, most severe first; suppressed ones in a section of their own. */
static void put_findings(struct md *m, const struct report *r, bool suppressed)
{
	bool any = false;

	for (int s = SEV_CRITICAL; s >= SEV_INFO; s--) {
		bool heading = false;
		for (size_t i = 0; i < r->findings.len; i++) {
			const struct finding *f = r->findings.items[i];
			if ((int)f->severity != s || (f->suppressed != NULL) != suppressed)
				continue;
			if (!any)
				put(m, "## %s\n\n", suppressed ? "Suppressed findings" : "Findings");
			if (!heading)
				put(m, "### %s\n\n", severity_title[s]);
			any = heading = true;
			put_finding(m, f);
		}
		if (heading)
			put(m, "\n");
	}
}

static void put_incomplete(struct md *m, const struct report *r)
{
	if (r->incomplete.len == 0)
		return;
	put(m, "## Incomplete\n\n");
	for (size_t i = 0; i < r->incomplete.len; i++) {
		put(m, "- ");
		put_text(m, r->incomplete.items[i].file ? r->incomplete.items[i].file : "(whole run)");
		put(m, ": ");
		put_text(m, r->incomplete.items[i].reason);
		put(m, "\n");
	}
	put(m, "\n");
}

static int put_unreached(void *ctx, const char *method, const char *name)
{
	struct md *m = ctx;

	put(m, "| %s | ", method);
	put_code_span(m, name);
	put(m, " | | not called | |\n");
	return 0;
}

/* What the run exercised: every request with its arguments and how it ended, what was
 * listed and not called, the phases. */
static void put_coverage(struct md *m, const struct report *r)
{
	const struct coverage *c = &r->coverage;

	if (!c->ran)
		return;
	put(m, "## Coverage\n\nListed: %zu tools, %zu resources, %zu prompts.\n\nPhases: ", c->tools.len,
	    c->resources.len, c->prompts.len);
	for (size_t i = 0; i < c->phases.len; i++) {
		put(m, "%s", i ? ", " : "");
		put_code_span(m, c->phases.items[i].phase);
	}
	put(m, ".\n\n| Request | Target | Arguments | Outcome | Detail |\n| --- | --- | --- | --- | --- |\n");
	for (size_t i = 0; i < c->calls.len; i++) {
		const struct coverage_call *call = &c->calls.items[i];
		put(m, "| %s | ", call->method);
		put_code_span(m, call->target);
		put(m, " | ");
		put_code_span(m, call->arguments);
		put(m, " | %s (%.0f ms) | ", call->outcome, call->end_ms - call->start_ms);
		put_code_span(m, call->detail);
		put(m, " |\n");
	}
	coverage_each_unreached(c, put_unreached, m);
	put(m, "\n");
}

/* Single-quoted for a POSIX shell: ' becomes '\''. */
static void put_shell_word(struct strbuf *b, const char *s)
{
	strbuf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			strbuf_puts(b, "'\\''");
		else
			strbuf_putc(b, *s);
	}
	strbuf_putc(b, '\'');
}

static void put_reproduce(struct md *m, const struct report *r)
{
	struct strbuf cmd = STRBUF_INIT(0);

	strbuf_printf(&cmd, "%s %s --format markdown --fail-on %s", MCPAUDIT_NAME,
		      m->o->command ? m->o->command : "scan", severity_name(m->o->fail_on));
	if (r->include_deps)
		strbuf_puts(&cmd, " --include-deps");
	for (size_t i = 0; i < r->targets.len; i++) {
		strbuf_putc(&cmd, ' ');
		put_shell_word(&cmd, r->targets.items[i]);
	}
	put(m, "## Reproduce\n\n");
	put_code_block(m, "", strbuf_str(&cmd), "sh");
	put(m, "\nAdd the same --allow, --policy and --no-docs options as the original run.\n");
	strbuf_free(&cmd);
}

static unsigned count_group(const struct report *r, enum endpoint_group g)
{
	unsigned n = 0;

	for (size_t i = 0; i < r->endpoints.len; i++)
		n += endpoint_group_of(r->endpoints.items[i]) == g;
	return n;
}

/* What each observed state means, once under the tables of an audit. */
static void put_observed_legend(struct md *m, const struct report *r)
{
	bool seen[OBS_DYNAMIC_ONLY_RUN + 1] = {false};
	bool first = true;

	for (size_t i = 0; i < r->endpoints.len; i++)
		if ((unsigned)r->endpoints.items[i]->observed <= OBS_DYNAMIC_ONLY_RUN)
			seen[r->endpoints.items[i]->observed] = true;
	for (int o = OBS_CONFIRMED; o <= OBS_DYNAMIC_ONLY_RUN; o++) {
		if (!seen[o])
			continue;
		put(m, "%s*%s*: %s", first ? "Observed: " : "; ", report_observed_label((enum observed)o),
		    report_observed_meaning((enum observed)o));
		first = false;
	}
	if (!first)
		put(m, ".\n\n");
}

/* An audit's verdict, first under the title, with its reasons as a list. */
static void put_audit_verdict(struct md *m, const struct report *r)
{
	static const char *const words[] = {
		[VERDICT_PASS] = "PASS", [VERDICT_REVIEW] = "REVIEW", [VERDICT_FAIL] = "FAIL",
	};
	const struct verdict *v = &r->verdict;

	if (!verdict_name(v->result))
		return;
	put(m, "## Verdict: %s\n\n", words[v->result]);
	for (size_t i = 0; i < v->reasons.len; i++) {
		put(m, "- ");
		put_text(m, v->reasons.items[i]);
		put(m, "\n");
	}
	put(m, "%s", v->reasons.len ? "\n" : "");
}

/* A row of the package table whose value is a code span; nothing when value is NULL. */
static void put_code_row(struct md *m, const char *label, const char *value)
{
	if (!value)
		return;
	put(m, "| %s | ", label);
	put_code_span(m, value);
	put(m, " |\n");
}

static void put_text_row(struct md *m, const char *label, const char *value)
{
	if (!value)
		return;
	put(m, "| %s | ", label);
	put_text(m, value);
	put(m, " |\n");
}

static void put_scripts_row(struct md *m, const struct package_info *p)
{
	put(m, "| Install scripts | %s", p->scripts.len ? "" : "none");
	for (size_t i = 0; i < p->scripts.len; i++) {
		const struct install_script *s = &p->scripts.items[i];
		put(m, "%s", i ? "<br>" : "");
		put_text(m, s->name);
		put(m, ": ");
		put_code_span(m, s->command);
		if (s->file) {
			put(m, " (runs ");
			put_code_span(m, s->file);
			put(m, ")");
		}
		put(m, "%s", s->egress ? " **makes network requests**" : "");
	}
	put(m, " |\n");
}

/* The command that started the server, one code span with its words joined by spaces. */
static void put_command_span(struct md *m, const struct package_info *p)
{
	struct strbuf cmd = STRBUF_INIT(0);

	for (size_t i = 0; i < p->command.len; i++)
		if (strbuf_puts(&cmd, i ? " " : "") != 0 || strbuf_puts(&cmd, p->command.items[i]) != 0)
			m->rc = -1;
	if (cmd.len)
		put_code_span(m, strbuf_str(&cmd));
	strbuf_free(&cmd);
}

static void put_package_lists(struct md *m, const struct package_info *p)
{
	put(m, "| Executables (bin) | %s", p->bins.len ? "" : "none");
	for (size_t i = 0; i < p->bins.len; i++) {
		put(m, "%s", i ? "<br>" : "");
		put_code_span(m, p->bins.items[i].name);
		put(m, " → ");
		put_code_span(m, p->bins.items[i].path);
	}
	put(m, " |\n| Dependencies | ");
	if (p->dependencies.len)
		put(m, "%zu", p->dependencies.len);
	else
		put(m, "none");
	for (size_t i = 0; i < p->dependencies.len && i < DEPENDENCIES_SHOWN; i++) {
		put(m, "%s", i ? ", " : ": ");
		put_text(m, p->dependencies.items[i]);
	}
	if (p->dependencies.len > DEPENDENCIES_SHOWN)
		put(m, " and %zu more", p->dependencies.len - DEPENDENCIES_SHOWN);
	put(m, " |\n| Started as | %s", p->command.len ? "" : "not run");
	put_command_span(m, p);
	put(m, " |\n");
	put_text_row(m, "Started from", p->started_from);
	put_text_row(m, "Chosen because", p->started_why);
	put_text_row(m, "Driven over", p->transport_url ? p->transport_url : p->transport);
	put_text_row(m, "Transport chosen because", p->transport_why);
}

/* The facts about the package an audit read: where it came from, how old it is, what
 * runs when it is installed. */
static void put_package(struct md *m, const struct report *r)
{
	const struct package_info *p = r->package;

	if (!p)
		return;
	put(m, "## Package\n\n| | |\n| --- | --- |\n| Name | ");
	put_text(m, p->name ? p->name : "(unnamed)");
	if (p->version) {
		put(m, "@");
		put_text(m, p->version);
	}
	if (p->ecosystem) {
		put(m, " (");
		put_text(m, p->ecosystem);
		put(m, ")");
	}
	put(m, " |\n");
	put_text_row(m, "Source", p->source);
	put_code_row(m, "Integrity", p->integrity);
	put_text_row(m, "First published", p->created);
	put_text_row(m, "This version published", p->published);
	if (p->versions)
		put(m, "| Versions published | %u |\n", p->versions);
	put(m, "| Lockfile | ");
	put_text(m, p->lockfile ? p->lockfile : "none");
	put(m, " |\n");
	put_scripts_row(m, p);
	put_package_lists(m, p);
	put(m, "\n");
}

/* "**3 undocumented destinations, 2 high findings** — fails at --fail-on high" */
static void put_headline(struct md *m, const struct report *r)
{
	unsigned counts[SEV_CRITICAL + 1];
	unsigned undocumented = report_undocumented_count(r);
	int max = report_max_severity(r);

	report_count_findings(r, counts);
	put(m, "**%u undocumented destination%s, ", undocumented, undocumented == 1 ? "" : "s");
	if (max < 0)
		put(m, "no findings");
	else
		put(m, "%u %s finding%s", counts[max], severity_name((enum severity)max),
		    counts[max] == 1 ? "" : "s");
	put(m, "** — %s at `--fail-on %s`\n\n", report_fails(r, m->o) ? "fails" : "passes",
	    severity_name(m->o->fail_on));
}

static void put_summary_table(struct md *m, const struct report *r)
{
	unsigned counts[SEV_CRITICAL + 1];

	report_count_findings(r, counts);
	put(m, "| | |\n| --- | --- |\n");
	put(m, "| Files | %u found, %u parsed, %u skipped |\n", r->files_found, r->files_parsed,
	    r->files_skipped);
	if (r->skipped_by_design.len)
		put(m, "| Skipped by design | %zu (declaration files, source maps: no code that runs) |\n",
		    r->skipped_by_design.len);
	if (r->deps_skipped)
		put(m, "| Dependency folders not scanned | %u (`--include-deps` scans them) |\n",
		    r->deps_skipped);
	put(m, "| Languages |");
	for (unsigned bit = 0, n = 0; report_language_name(bit); bit++)
		if (r->languages & (1u << bit))
			put(m, "%s%s", n++ ? ", " : " ", report_language_name(bit));
	put(m, " |\n");
	if (r->verdict.result != VERDICT_NONE)
		put(m, "| Stages | static %s, dynamic %s |\n", r->static_ran ? "ran" : "did not run",
		    r->dynamic_ran ? "ran" : "did not run");
	put(m, "| Destinations | %zu: %u undocumented, %u chosen at run time, %u documented |\n",
	    r->endpoints.len, count_group(r, EG_UNDOCUMENTED), count_group(r, EG_UNRESOLVED),
	    count_group(r, EG_DOCUMENTED));
	put(m, "| Findings | %u critical, %u high, %u medium, %u low, %u info |\n",
	    counts[SEV_CRITICAL], counts[SEV_HIGH], counts[SEV_MEDIUM], counts[SEV_LOW],
	    counts[SEV_INFO]);
	put(m, "| Incomplete | %zu |\n\n", r->incomplete.len);
}

static void put_title(struct md *m, const struct report *r)
{
	const struct package_info *p = r->package;

	put(m, "# %s security review: ", MCPAUDIT_NAME);
	if (p && p->name) {  /* an audited package: its name says more than a temporary folder */
		put_text(m, p->name);
		put(m, "%s", p->version ? "@" : "");
		put_text(m, p->version);
	}
	for (size_t i = 0; !(p && p->name) && i < r->targets.len; i++) {
		put(m, "%s", i ? ", " : "");
		put_text(m, r->targets.items[i]);
	}
	put(m, "\n\n");
	if (!r->execution_successful) {
		put(m, "> **The run failed**: ");
		put_text(m, r->error ? r->error : "unknown error");
		put(m, ". Nothing below can be taken as clean.\n\n");
	}
}

int report_write_markdown(FILE *out, const struct report *r, const struct report_options *o)
{
	struct md m = {STRBUF_INIT(0), o, 0};

	put_title(&m, r);
	put_audit_verdict(&m, r);
	put_package(&m, r);
	put_headline(&m, r);
	put_summary_table(&m, r);
	for (int g = EG_UNDOCUMENTED; g <= EG_DOCUMENTED; g++)
		put_endpoint_group(&m, r, (enum endpoint_group)g);
	put_observed_legend(&m, r);
	put_findings(&m, r, false);
	put_findings(&m, r, true);
	put_coverage(&m, r);
	put_incomplete(&m, r);
	put_reproduce(&m, r);
	put(&m, "\n<sub>%s %s</sub>\n", MCPAUDIT_NAME, MCPAUDIT_VERSION);
	if (m.rc == 0 && fwrite(strbuf_str(&m.b), 1, m.b.len, out) != m.b.len)
		m.rc = -1;
	strbuf_free(&m.b);
	return m.rc;
}
