/* The HTML report: one self-contained page (inline CSS and SVG, no script, nothing loaded)
 * that a reviewer opens in a browser, attaches to a ticket or prints. Every string from the
 * scanned server is cleaned of display hazards and then HTML-escaped, and a
 * Content-Security-Policy forbids every load, so even an escaping bug fetches nothing. */
#include "core/report_format.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/version.h"

#define PICTURE_MAX 40       /* endpoints drawn around the server; the table lists them all */
#define RADIAL_FROM 17       /* from this many nodes, labels run outward along the radius */
#define SERVER_R 50.0        /* radius of the server's disc */
#define NODE_R 11.0          /* radius of an endpoint's disc */
#define HOST_CHARS 40        /* characters of a host beside its node */
#define EDGE_CHARS 30        /* characters of an edge's phase label */
#define PHASES_SHOWN 8       /* distinct phases listed per endpoint */
#define EVIDENCE_SHOWN 3     /* evidence lines per endpoint in the table */
#define EXPRESSION_CHARS 110 /* characters of an expression in the table */
#define DEPENDENCIES_SHOWN 60
#define SHORT_INPUT_MAX 4096 /* bytes of a string read before it is shortened for display */
#define PI 3.14159265358979323846

/* The Content-Security-Policy: no script, no font, no frame, no fetch, no remote image;
 * only the inline style sheet and data: images (of which the page has none). */
#define HTML_CSP "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

/* The whole page is built in memory and written once: a failed write is one error. */
struct html {
	struct strbuf b;
	const struct report *r;
	const struct report_options *o;
	int rc;  /* first append failure, sticky */
};

static void put(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Our own markup: never a string from the report. */
static void put(struct html *h, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (strbuf_vprintf(&h->b, fmt, ap) != 0)
		h->rc = -1;
	va_end(ap);
}

/* The five characters that can end text or an attribute value (HTML Living Standard 13.1). */
static const struct {
	char c;
	const char *entity;
} html_escapes[] = {
	{'&', "&amp;"}, {'<', "&lt;"}, {'>', "&gt;"}, {'"', "&quot;"}, {'\'', "&#39;"},
};

/* Append n bytes of already cleaned text with the characters above as entities. */
static void put_escaped(struct html *h, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *entity = NULL;
		for (size_t k = 0; k < sizeof html_escapes / sizeof html_escapes[0]; k++)
			if (html_escapes[k].c == s[i])
				entity = html_escapes[k].entity;
		if (entity ? strbuf_puts(&h->b, entity) : strbuf_putc(&h->b, s[i]))
			h->rc = -1;
	}
}

/* Untrusted text on one line: control bytes and bidi overrides become visible escapes
 * (report_clean), then markup characters become entities. */
static void put_text(struct html *h, const char *s)
{
	struct strbuf clean = STRBUF_INIT(0);

	if (report_clean(&clean, s ? s : "", CLEAN_TERMINAL) != 0)
		h->rc = -1;
	put_escaped(h, strbuf_str(&clean), clean.len);
	strbuf_free(&clean);
}

/* Untrusted text as put_text, with a line-break opportunity (<wbr>) after each dot, so a
 * long host name in a narrow column breaks between its labels, not inside one. */
static void put_breakable(struct html *h, const char *s)
{
	struct strbuf clean = STRBUF_INIT(0);
	const char *p, *dot;

	if (report_clean(&clean, s ? s : "", CLEAN_TERMINAL) != 0)
		h->rc = -1;
	for (p = strbuf_str(&clean); (dot = strchr(p, '.')) != NULL; p = dot + 1) {
		put_escaped(h, p, (size_t)(dot - p) + 1);
		put(h, "<wbr>");
	}
	put_escaped(h, p, strlen(p));
	strbuf_free(&clean);
}

/* Untrusted text for a <pre>: as put_text line by line, keeping the line breaks. */
static void put_lines(struct html *h, const char *s)
{
	while (s && *s) {
		size_t n = strcspn(s, "\n");
		char *line = xstrndup(s, n);
		if (!line)
			h->rc = -1;
		put_text(h, line);
		free(line);
		s += n;
		if (*s == '\n') {
			put(h, "\n");
			s++;
		}
	}
}

/* s with every run of white space (line breaks, indentation) as one space. 0 or -1. */
static int flatten(struct strbuf *out, const char *s)
{
	bool space = false;
	int rc = 0;

	for (; s && *s && rc == 0; s++) {
		bool ws = *s == ' ' || *s == '\n' || *s == '\r' || *s == '\t';
		if (ws && !space)
			rc = strbuf_putc(out, ' ');
		else if (!ws)
			rc = strbuf_putc(out, *s);
		space = ws;
	}
	return rc;
}

/* Untrusted text on one line, white space flattened, cut after max characters (code
 * points, counted after cleaning) with an ellipsis. */
static void put_short(struct html *h, const char *s, size_t max)
{
	struct strbuf flat = STRBUF_INIT(SHORT_INPUT_MAX), clean = STRBUF_INIT(0);
	const char *p;
	size_t chars = 0, n;

	if (flatten(&flat, s) != 0 || report_clean(&clean, strbuf_str(&flat), CLEAN_TERMINAL) != 0)
		h->rc = -1;
	p = strbuf_str(&clean);
	for (n = 0; p[n]; n++)
		if (((unsigned char)p[n] & 0xc0) != 0x80 && chars++ == max)
			break;
	put_escaped(h, p, n);
	if (p[n] || flat.truncated)
		put(h, "&hellip;");
	strbuf_free(&flat);
	strbuf_free(&clean);
}

static void put_where(struct html *h, const char *file, unsigned line)
{
	put_text(h, file);
	if (line)
		put(h, ":%u", line);
}

static const char *const group_class[] = {
	[EG_UNDOCUMENTED] = "g-undoc", [EG_UNRESOLVED] = "g-unres", [EG_DOCUMENTED] = "g-doc",
};

static const char *const severity_title[] = {
	[SEV_INFO] = "Info", [SEV_LOW] = "Low", [SEV_MEDIUM] = "Medium",
	[SEV_HIGH] = "High", [SEV_CRITICAL] = "Critical",
};

static const struct {
	const char *word;   /* shown big */
	const char *gloss;  /* what it asks of the reader */
} verdict_words[] = {
	[VERDICT_NONE] = {NULL, NULL},
	[VERDICT_PASS] = {"PASS", "Nothing found that should stop its use."},
	[VERDICT_REVIEW] = {"REVIEW", "A person should look at the points below before use."},
	[VERDICT_FAIL] = {"FAIL", "Do not use it as it is: the points below are blocking."},
};

/* The style sheet. No url(), no @import, no web font: the page loads nothing. */
static const char *const css[] = {
	"*{box-sizing:border-box}",
	"body{margin:0;background:#fff;color:#1b1f24;font:15px/1.5 system-ui,-apple-system,"
	"\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,\"Noto Sans\",\"Liberation Sans\",sans-serif}",
	"main{max-width:1200px;margin:0 auto;padding:32px 28px 48px}",
	"h1{font-size:26px;margin:2px 0 4px;line-height:1.25;word-break:break-word}",
	"h2{font-size:19px;margin:36px 0 12px;padding-bottom:6px;border-bottom:1px solid #d0d7de}",
	"h3{font-size:15px;margin:22px 0 8px}",
	"code,pre,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,\"Liberation Mono\","
	"\"DejaVu Sans Mono\",monospace;font-size:12.5px}",
	"header{border-bottom:3px solid #1b1f24;padding-bottom:14px;margin-bottom:22px}",
	".kicker{text-transform:uppercase;letter-spacing:.08em;font-size:12px;color:#57606a;"
	"font-weight:600}",
	".subtitle{color:#57606a;margin:0}",
	".verdict{border:1px solid;border-left-width:10px;border-radius:6px;padding:16px 22px;"
	"margin:0 0 20px}",
	".verdict .label{font-size:12px;text-transform:uppercase;letter-spacing:.08em;font-weight:600}",
	".verdict .result{font-size:36px;font-weight:800;letter-spacing:.05em;line-height:1.1}",
	".verdict .gloss{font-weight:600;margin:4px 0 0}",
	".verdict ul{margin:10px 0 0;padding-left:22px}",
	".v-pass{background:#edf7ee;border-color:#2e7d32;color:#1b4d1e}",
	".v-review{background:#fff5de;border-color:#d98a00;color:#5c3d00}",
	".v-fail{background:#fdecea;border-color:#c62828;color:#7f1414}",
	".alert{background:#fdecea;border:1px solid #c62828;border-radius:6px;padding:10px 16px;"
	"color:#7f1414;margin:0 0 20px}",
	"table{border-collapse:collapse;width:100%;font-size:13.5px}",
	"th,td{text-align:left;vertical-align:top;padding:7px 8px;border-bottom:1px solid #d0d7de}",
	"thead th{background:#f6f8fa;font-weight:600;border-bottom:2px solid #c4ccd5;white-space:nowrap}",
	"table.kv th{width:220px;background:#f6f8fa;font-weight:600}",
	"td code{overflow-wrap:anywhere}",
	"table.endpoints td:first-child{min-width:170px}table.endpoints td:last-child{min-width:180px}",
	"table.endpoints td.obs-cell{min-width:150px}",
	".scroll{overflow-x:auto}td.loc-cell code{overflow-wrap:normal}",
	"tr.g-undoc td:first-child{border-left:4px solid #c62828}",
	"tr.g-unres td:first-child{border-left:4px solid #d98a00}",
	"tr.g-doc td:first-child{border-left:4px solid #2e7d32}",
	".host{font-weight:600;overflow-wrap:anywhere}",
	".sub{color:#57606a;font-size:12px}",
	".ev{margin:0 0 4px}",
	".ok{color:#2e7d32;font-weight:600}.bad{color:#c62828;font-weight:600}"
	".warn{color:#9a6200;font-weight:600}",
	".none{color:#57606a;font-style:italic}",
	".cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(100px,1fr));gap:10px}",
	".card{border:1px solid #d0d7de;border-radius:6px;padding:10px 12px}",
	".card .n{font-size:24px;font-weight:700;line-height:1.2}",
	".card .l{font-size:11px;color:#57606a;text-transform:uppercase;letter-spacing:.02em}",
	".card.hot .n{color:#c62828}",
	".facts{margin:12px 0 0;color:#3b444f;font-size:13.5px}",
	".badge{display:inline-block;font-size:11px;font-weight:700;letter-spacing:.05em;"
	"padding:1px 7px;border-radius:3px;color:#fff;text-transform:uppercase;vertical-align:1px}",
	".b-critical{background:#7f0000}.b-high{background:#c62828}.b-medium{background:#d35400}"
	".b-low{background:#1f6feb}.b-info{background:#6e7781}",
	".tag{display:inline-block;font-size:12px;padding:0 6px;margin:1px 3px 1px 0;"
	"border-radius:3px;background:#eef1f4;border:1px solid #d0d7de}",
	".tag.install{background:#fdecea;border-color:#f0b4b0}",
	".obs{font-weight:600}.obs-confirmed{color:#1b4d1e}.obs-not-exercised{color:#57606a}"
	".obs-hidden{color:#c62828}",
	".finding{border:1px solid #d0d7de;border-left:5px solid #6e7781;border-radius:6px;"
	"padding:10px 14px;margin:0 0 10px}",
	".f-critical{border-left-color:#7f0000}.f-high{border-left-color:#c62828}"
	".f-medium{border-left-color:#d35400}.f-low{border-left-color:#1f6feb}",
	".f-head{display:flex;flex-wrap:wrap;gap:4px 10px;align-items:baseline}",
	".rule{font-weight:600}.loc{color:#57606a}",
	".msg{margin:6px 0}",
	".meta{margin:4px 0;font-size:13px;color:#3b444f}",
	"pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:4px;padding:8px 10px;"
	"white-space:pre-wrap;word-break:break-all;margin:8px 0}",
	".chain{margin:6px 0 0;padding-left:22px;font-size:13px}",
	".picture{border:1px solid #d0d7de;border-radius:6px;padding:8px;background:#fcfdfe}",
	".picture svg{display:block;width:100%;height:auto;max-height:1000px}",
	"svg text{font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,Arial,sans-serif;"
	"fill:#1b1f24}",
	"svg .nl{font-size:12.5px;font-weight:600}svg .ns{font-size:10.5px;fill:#57606a}",
	"svg .el{font-size:10px;fill:#3b444f}svg .more{font-size:12px;fill:#57606a}",
	"line.edge{stroke-width:1.6;opacity:.7}line.dashed{stroke-dasharray:6 5}",
	"circle.node{stroke:#fff;stroke-width:2}circle.ring{fill:none;stroke-width:2}",
	"circle.server{fill:#1b2a3a}svg text.st{fill:#fff;font-weight:700;font-size:13px}",
	"svg text.ss{fill:#c9d4df;font-size:10.5px}",
	"circle.g-undoc{fill:#c62828}circle.g-unres{fill:#d98a00}circle.g-doc{fill:#2e7d32}",
	"circle.ring.g-undoc{fill:none;stroke:#c62828}circle.ring.g-unres{fill:none;stroke:#d98a00}"
	"circle.ring.g-doc{fill:none;stroke:#2e7d32}",
	"line.g-undoc{stroke:#c62828}line.g-unres{stroke:#d98a00}line.g-doc{stroke:#2e7d32}",
	".legend{list-style:none;padding:0;margin:10px 4px 0;display:flex;flex-wrap:wrap;"
	"gap:6px 20px;font-size:13px;color:#3b444f}",
	".sw{display:inline-block;width:12px;height:12px;border-radius:50%;vertical-align:-1px;"
	"margin-right:6px}",
	".sw.g-undoc{background:#c62828}.sw.g-unres{background:#d98a00}.sw.g-doc{background:#2e7d32}",
	".sw.ring{border:2px solid #57606a;box-shadow:0 0 0 2px #fff,0 0 0 4px #57606a}",
	".ln{display:inline-block;width:26px;border-top:2px solid #57606a;vertical-align:middle;"
	"margin-right:6px}.ln.dashed{border-top-style:dashed}",
	"footer{margin-top:40px;padding-top:12px;border-top:1px solid #d0d7de;color:#57606a;"
	"font-size:12px}",
	"@page{margin:14mm}",
	"@media print{body{font-size:10.5pt}main{max-width:none;padding:0}.scroll{overflow:visible}h2{break-after:avoid}"
	"tr,.finding,.verdict,.card,.picture{break-inside:avoid}thead{display:table-header-group}"
	"*{-webkit-print-color-adjust:exact;print-color-adjust:exact}}",
};

/* "name@version" when the package is known, else the targets as given. */
static void put_subject(struct html *h)
{
	const struct package_info *p = h->r->package;

	if (p && p->name) {
		put_text(h, p->name);
		if (p->version) {
			put(h, "@");
			put_text(h, p->version);
		}
		return;
	}
	for (size_t i = 0; i < h->r->targets.len; i++) {
		put(h, "%s", i ? ", " : "");
		put_text(h, h->r->targets.items[i]);
	}
	if (h->r->targets.len == 0)
		put(h, "(no target)");
}

static void put_head(struct html *h)
{
	put(h, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
	put(h, "<meta http-equiv=\"Content-Security-Policy\" content=\"%s\">\n", HTML_CSP);
	put(h, "<meta name=\"referrer\" content=\"no-referrer\">\n");
	put(h, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
	put(h, "<meta name=\"generator\" content=\"%s %s\">\n", MCPAUDIT_NAME, MCPAUDIT_VERSION);
	put(h, "<title>%s security review: ", MCPAUDIT_NAME);
	put_subject(h);
	put(h, "</title>\n<style>\n");
	for (size_t i = 0; i < sizeof css / sizeof css[0]; i++)
		put(h, "%s\n", css[i]);
	put(h, "</style>\n</head>\n<body>\n<main>\n");
}

static void put_header(struct html *h)
{
	const struct report *r = h->r;

	put(h, "<header>\n<div class=\"kicker\">%s security review &middot; %s</div>\n<h1>",
	    MCPAUDIT_NAME, h->o->command ? h->o->command : "scan");
	put_subject(h);
	put(h, "</h1>\n<p class=\"subtitle\">");
	if (r->package && r->package->source) {
		put_text(h, r->package->source);
		put(h, " &middot; ");
	}
	put(h, "%u files found, %u parsed &middot; %s %s</p>\n</header>\n", r->files_found,
	    r->files_parsed, MCPAUDIT_NAME, MCPAUDIT_VERSION);
}

/* The audit's conclusion, first and big; nothing for a scan or a trace. */
static void put_verdict(struct html *h)
{
	const struct verdict *v = &h->r->verdict;
	const char *name = verdict_name(v->result);

	if (!name)
		return;
	put(h, "<section class=\"verdict v-%s\" id=\"verdict\">\n<div class=\"label\">Verdict</div>\n",
	    name);
	put(h, "<div class=\"result\">%s</div>\n<p class=\"gloss\">%s</p>\n",
	    verdict_words[v->result].word, verdict_words[v->result].gloss);
	if (v->reasons.len)
		put(h, "<ul>\n");
	for (size_t i = 0; i < v->reasons.len; i++) {
		put(h, "<li>");
		put_text(h, v->reasons.items[i]);
		put(h, "</li>\n");
	}
	put(h, "%s</section>\n", v->reasons.len ? "</ul>\n" : "");
}

static void put_failure(struct html *h)
{
	if (h->r->execution_successful)
		return;
	put(h, "<div class=\"alert\"><strong>The run failed:</strong> ");
	put_text(h, h->r->error ? h->r->error : "unknown error");
	put(h, ". Nothing below can be taken as clean.</div>\n");
}

/* One row of a two-column fact table; nothing when value is NULL. */
static void put_fact(struct html *h, const char *label, const char *value, bool code)
{
	if (!value)
		return;
	put(h, "<tr><th>%s</th><td>%s", label, code ? "<code>" : "");
	put_text(h, value);
	put(h, "%s</td></tr>\n", code ? "</code>" : "");
}

static void put_scripts(struct html *h, const struct package_info *p)
{
	put(h, "<tr><th>Install scripts</th><td>");
	if (p->scripts.len == 0)
		put(h, "<span class=\"none\">none</span>");
	for (size_t i = 0; i < p->scripts.len; i++) {
		const struct install_script *s = &p->scripts.items[i];
		put(h, "<div class=\"ev\"><code class=\"rule\">");
		put_text(h, s->name);
		put(h, "</code>: <code>");
		put_text(h, s->command);
		put(h, "</code>");
		if (s->file) {
			put(h, " <span class=\"sub\">runs ");
			put_text(h, s->file);
			put(h, "</span>");
		}
		if (s->egress)
			put(h, " <span class=\"bad\">makes network requests</span>");
		put(h, "</div>");
	}
	put(h, "</td></tr>\n");
}

static void put_bins(struct html *h, const struct package_info *p)
{
	put(h, "<tr><th>Executables (bin)</th><td>");
	if (p->bins.len == 0)
		put(h, "<span class=\"none\">none</span>");
	for (size_t i = 0; i < p->bins.len; i++) {
		put(h, "%s<code>", i ? "<br>" : "");
		put_text(h, p->bins.items[i].name);
		put(h, "</code> &rarr; <code>");
		put_text(h, p->bins.items[i].path);
		put(h, "</code>");
	}
	put(h, "</td></tr>\n");
}

static void put_dependencies(struct html *h, const struct package_info *p)
{
	size_t n = p->dependencies.len;

	put(h, "<tr><th>Dependencies</th><td>");
	if (n == 0)
		put(h, "<span class=\"none\">none</span>");
	else
		put(h, "%zu: ", n);
	for (size_t i = 0; i < n && i < DEPENDENCIES_SHOWN; i++) {
		put(h, "%s<code>", i ? ", " : "");
		put_text(h, p->dependencies.items[i]);
		put(h, "</code>");
	}
	if (n > DEPENDENCIES_SHOWN)
		put(h, " and %zu more", n - DEPENDENCIES_SHOWN);
	put(h, "</td></tr>\n");
}

static void put_command(struct html *h, const struct package_info *p)
{
	put(h, "<tr><th>Started as</th><td>");
	if (p->command.len == 0)
		put(h, "<span class=\"none\">not run</span>");
	else
		put(h, "<code>");
	for (size_t i = 0; i < p->command.len; i++) {
		put(h, "%s", i ? " " : "");
		put_text(h, p->command.items[i]);
	}
	put(h, "%s</td></tr>\n", p->command.len ? "</code>" : "");
}

static void put_package(struct html *h)
{
	const struct package_info *p = h->r->package;

	if (!p)
		return;
	put(h, "<section id=\"package\">\n<h2>Package</h2>\n<table class=\"kv\">\n");
	put(h, "<tr><th>Name</th><td><span class=\"host\">");
	put_subject(h);
	put(h, "</span>");
	if (p->ecosystem) {
		put(h, " <span class=\"sub\">(");
		put_text(h, p->ecosystem);
		put(h, ")</span>");
	}
	put(h, "</td></tr>\n");
	put_fact(h, "Source", p->source, false);
	put_fact(h, "Integrity", p->integrity, true);
	put_fact(h, "First published", p->created, false);
	put_fact(h, "This version published", p->published, false);
	if (p->versions)
		put(h, "<tr><th>Versions published</th><td>%u</td></tr>\n", p->versions);
	put(h, "<tr><th>Lockfile</th><td>");
	if (p->lockfile)
		put_text(h, p->lockfile);
	else
		put(h, "<span class=\"warn\">none</span>");
	put(h, "</td></tr>\n");
	put_scripts(h, p);
	put_bins(h, p);
	put_dependencies(h, p);
	put_command(h, p);
	put(h, "</table>\n</section>\n");
}

static unsigned count_group(const struct report *r, enum endpoint_group g)
{
	unsigned n = 0;

	for (size_t i = 0; i < r->endpoints.len; i++)
		n += endpoint_group_of(r->endpoints.items[i]) == g;
	return n;
}

static void put_card(struct html *h, unsigned n, const char *label, bool hot)
{
	put(h, "<div class=\"card%s\"><div class=\"n\">%u</div><div class=\"l\">%s</div></div>\n",
	    hot && n ? " hot" : "", n, label);
}

static void put_languages(struct html *h)
{
	unsigned n = 0;

	for (unsigned bit = 0; report_language_name(bit); bit++)
		if (h->r->languages & (1u << bit))
			put(h, "%s%s", n++ ? ", " : "", report_language_name(bit));
	if (n == 0)
		put(h, "none");
}

static void put_summary(struct html *h)
{
	const struct report *r = h->r;
	unsigned counts[SEV_CRITICAL + 1];

	report_count_findings(r, counts);
	put(h, "<section id=\"summary\">\n<h2>Summary</h2>\n<div class=\"cards\">\n");
	put_card(h, (unsigned)r->endpoints.len, "destinations", false);
	put_card(h, count_group(r, EG_UNDOCUMENTED), "undocumented", true);
	put_card(h, count_group(r, EG_UNRESOLVED), "chosen at run time", false);
	put_card(h, count_group(r, EG_DOCUMENTED), "documented", false);
	for (int s = SEV_CRITICAL; s >= SEV_INFO; s--)
		put_card(h, counts[s], severity_name((enum severity)s), s >= SEV_HIGH);
	put_card(h, (unsigned)r->incomplete.len, "incomplete", false);
	put(h, "</div>\n<p class=\"facts\">Files: %u found, %u parsed, %u skipped", r->files_found,
	    r->files_parsed, r->files_skipped);
	if (r->skipped_by_design.len)
		put(h, "; %zu skipped by design (declaration files, source maps)", r->skipped_by_design.len);
	if (r->deps_skipped)
		put(h, "; %u dependency folders not scanned", r->deps_skipped);
	put(h, ". Languages: ");
	put_languages(h);
	if (r->verdict.result != VERDICT_NONE)
		put(h, ". Stages: static %s, dynamic %s", r->static_ran ? "ran" : "did not run",
		    r->dynamic_ran ? "ran" : "did not run");
	put(h, ". Threshold: <strong>%s</strong> at <code>--fail-on %s</code>.</p>\n</section>\n",
	    report_fails(r, h->o) ? "fails" : "passes", severity_name(h->o->fail_on));
}

static bool any_observed(const struct report *r)
{
	for (size_t i = 0; i < r->endpoints.len; i++)
		if (r->endpoints.items[i]->observed != OBS_NONE)
			return true;
	return false;
}

/* Up to max endpoints in reading order (undocumented, chosen at run time, documented):
 * when the picture must leave some out, it leaves out the documented ones. */
static size_t reading_order(const struct report *r, const struct endpoint **out, size_t max)
{
	size_t n = 0;

	for (int g = EG_UNDOCUMENTED; g <= EG_DOCUMENTED; g++)
		for (size_t i = 0; i < r->endpoints.len && n < max; i++)
			if (endpoint_group_of(r->endpoints.items[i]) == (enum endpoint_group)g)
				out[n++] = r->endpoints.items[i];
	return n;
}

/* What names an endpoint: its host, "*.suffix", or why there is none. */
static void put_host(struct html *h, const struct endpoint *ep, size_t max)
{
	if (ep->host) {
		put_short(h, ep->host, max);
	} else if (ep->host_suffix) {
		put(h, "*");
		put_short(h, ep->host_suffix, max);
	} else {
		put(h, "%s", ep->kind == EK_USER_DIRECTED ? "(host from a tool argument)"
							  : "(unknown host)");
	}
}

/* "startup, tool:fetch_url" for an edge, shortened to fit along it. */
static void put_phase_list(struct html *h, const struct endpoint *ep, size_t max_chars)
{
	const char *phases[PHASES_SHOWN];
	size_t n = endpoint_phases(ep, NULL, phases, PHASES_SHOWN);
	struct strbuf joined = STRBUF_INIT(0);

	for (size_t i = 0; i < n; i++) {
		strbuf_puts(&joined, i ? ", " : "");
		strbuf_puts(&joined, phases[i]);
	}
	put_short(h, strbuf_str(&joined), max_chars);
	strbuf_free(&joined);
}

/* The SVG canvas: small pictures keep labels level beside the nodes; crowded ones turn
 * them outward along the radius, where they cannot overlap. */
struct layout {
	double cx, cy, radius;
	int width, height;
	bool radial;
};

static struct layout picture_layout(size_t n)
{
	struct layout l;

	l.radial = n >= RADIAL_FROM;
	l.radius = l.radial ? 250.0 : n <= 2 ? 110.0 : n <= 6 ? 150.0 : 195.0;
	l.width = l.radial ? 1080 : 1000;
	l.height = l.radial ? 1080 : (int)(2 * l.radius + 120);
	l.cx = l.width / 2.0;
	l.cy = l.height / 2.0;
	return l;
}

/* cos and sin of 2*pi*turn by their Taylor series (12 terms: error below 1e-11 on
 * [-pi, pi]). The core library does not link libm for one picture. */
static void unit_circle(double turn, double *c, double *s)
{
	double x = 2 * PI * (turn > 0.5 ? turn - 1.0 : turn);
	double tc = 1.0, ts = x;

	*c = 1.0;
	*s = x;
	for (int k = 1; k < 12; k++) {
		tc *= -x * x / ((2.0 * k - 1) * (2.0 * k));
		ts *= -x * x / ((2.0 * k) * (2.0 * k + 1));
		*c += tc;
		*s += ts;
	}
}

/* Node i of n, clockwise from the top, as a fraction of a turn in [0, 1). */
static double node_turn(size_t i, size_t n)
{
	double t = 0.75 + (double)i / (double)n;

	return t >= 1.0 ? t - 1.0 : t;
}

static void put_edge(struct html *h, const struct layout *l, const struct endpoint *ep, double turn)
{
	double c, s, deg = 360.0 * turn, mid = (SERVER_R + l->radius - NODE_R) / 2;
	bool left;

	unit_circle(turn, &c, &s);
	left = c < -1e-9;
	put(h, "<line class=\"edge %s%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>\n",
	    group_class[endpoint_group_of(ep)], ep->observed == OBS_NOT_EXERCISED ? " dashed" : "",
	    l->cx + SERVER_R * c, l->cy + SERVER_R * s, l->cx + (l->radius - NODE_R) * c,
	    l->cy + (l->radius - NODE_R) * s);
	/* Turned half a turn on the left so it reads left to right, and then set below its
	 * line instead of above: every label stays on the same side of its edge, so two
	 * neighbours never meet in the gap between them. */
	put(h, "<text class=\"el\" text-anchor=\"middle\" transform=\"translate(%.1f %.1f) "
	       "rotate(%.1f)\" y=\"%d\">", l->cx + mid * c, l->cy + mid * s,
	    left ? deg + 180.0 : deg, left ? 12 : -5);
	put_phase_list(h, ep, EDGE_CHARS);
	put(h, "</text>\n");
}

/* The tooltip of a node: everything the label has no room for. */
static void put_node_title(struct html *h, const struct endpoint *ep)
{
	const char *observed = report_observed_label(ep->observed);

	put(h, "<title>");
	put_host(h, ep, SHORT_INPUT_MAX);
	if (ep->port)
		put(h, ":%d", ep->port);
	put(h, " (%s, %s", endpoint_kind_name(ep->kind),
	    ep->documented_by != DOC_NONE ? "documented" : "undocumented");
	if (observed)
		put(h, ", %s", observed);
	put(h, ")</title>");
}

/* A level label beside the node: the host, and under it the kind and observed state. */
static void put_level_label(struct html *h, const struct layout *l, const struct endpoint *ep,
			    double c, double s)
{
	double d = l->radius + NODE_R + 8, x = l->cx + d * c, y = l->cy + d * s;
	const char *anchor = c > 0.3 ? "start" : c < -0.3 ? "end" : "middle";
	const char *observed = report_observed_label(ep->observed);
	double y1 = s < -0.7 ? y - 16 : s > 0.7 ? y + 10 : y - 1;

	put(h, "<text class=\"nl\" text-anchor=\"%s\" x=\"%.1f\" y=\"%.1f\">", anchor, x, y1);
	put_host(h, ep, HOST_CHARS);
	put(h, "</text>\n<text class=\"ns\" text-anchor=\"%s\" x=\"%.1f\" y=\"%.1f\">%s", anchor, x,
	    y1 + 13, endpoint_kind_name(ep->kind));
	if (ep->port)
		put(h, " &middot; port %d", ep->port);
	if (observed)
		put(h, " &middot; %s", observed);
	put(h, "</text>\n");
}

/* A label running outward along the node's radius, flipped on the left half. */
static void put_radial_label(struct html *h, const struct layout *l, const struct endpoint *ep,
			     double turn, double c, double s)
{
	double d = l->radius + NODE_R + 6, deg = 360.0 * turn;
	bool left = c < -1e-9;

	put(h, "<text class=\"nl\" text-anchor=\"%s\" dy=\"4\" transform=\"translate(%.1f %.1f) "
	       "rotate(%.1f)\">", left ? "end" : "start", l->cx + d * c, l->cy + d * s,
	    left ? deg + 180.0 : deg);
	put_host(h, ep, HOST_CHARS);
	put(h, "</text>\n");
}

static void put_node(struct html *h, const struct layout *l, const struct endpoint *ep, double turn)
{
	const char *g = group_class[endpoint_group_of(ep)];
	double c, s, x, y;

	unit_circle(turn, &c, &s);
	x = l->cx + l->radius * c;
	y = l->cy + l->radius * s;
	put(h, "<g>");
	put_node_title(h, ep);
	put(h, "<circle class=\"node %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.0f\"/>", g, x, y, NODE_R);
	if (ep->observed == OBS_HIDDEN)
		put(h, "<circle class=\"ring %s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.0f\"/>", g, x, y,
		    NODE_R + 5);
	put(h, "</g>\n");
	if (l->radial)
		put_radial_label(h, l, ep, turn, c, s);
	else
		put_level_label(h, l, ep, c, s);
}

static void put_server(struct html *h, const struct layout *l)
{
	const struct package_info *p = h->r->package;
	const char *name = p && p->name ? p->name : h->r->targets.len ? h->r->targets.items[0] : NULL;

	put(h, "<circle class=\"server\" cx=\"%.1f\" cy=\"%.1f\" r=\"%.0f\"/>\n", l->cx, l->cy,
	    SERVER_R);
	put(h, "<text class=\"st\" text-anchor=\"middle\" x=\"%.1f\" y=\"%.1f\">MCP server</text>\n",
	    l->cx, l->cy + (name ? -2 : 4));
	if (!name)
		return;
	put(h, "<text class=\"ss\" text-anchor=\"middle\" x=\"%.1f\" y=\"%.1f\">", l->cx, l->cy + 14);
	put_short(h, name, 14);
	put(h, "</text>\n");
}

static void put_legend(struct html *h, bool audit)
{
	put(h, "<ul class=\"legend\">\n<li><span class=\"sw g-undoc\"></span>undocumented</li>\n");
	put(h, "<li><span class=\"sw g-unres\"></span>user-directed or unresolved</li>\n");
	put(h, "<li><span class=\"sw g-doc\"></span>documented</li>\n");
	if (audit) {
		put(h, "<li><span class=\"ln\"></span>contacted by the run</li>\n");
		put(h, "<li><span class=\"ln dashed\"></span>in the code, not exercised by the run</li>\n");
		put(h, "<li><span class=\"sw ring\"></span>hidden: contacted, nowhere in the code</li>\n");
	}
	put(h, "<li>edge labels: the phases the evidence was seen in</li>\n</ul>\n");
}

/* The server in the middle, its destinations on a circle around it. */
static void put_picture(struct html *h)
{
	const struct report *r = h->r;
	const struct endpoint *shown[PICTURE_MAX];
	size_t n = reading_order(r, shown, PICTURE_MAX);
	struct layout l = picture_layout(n);

	put(h, "<section id=\"map\">\n<h2>Where it connects</h2>\n<div class=\"picture\">\n");
	put(h, "<svg role=\"img\" aria-label=\"The server and the %zu destinations it connects to\" "
	       "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\">\n", r->endpoints.len, l.width,
	    l.height, l.width, l.height);
	for (size_t i = 0; i < n; i++)
		put_edge(h, &l, shown[i], node_turn(i, n));
	put_server(h, &l);
	for (size_t i = 0; i < n; i++)
		put_node(h, &l, shown[i], node_turn(i, n));
	if (r->endpoints.len > n)
		put(h, "<text class=\"more\" x=\"12\" y=\"%d\">and %zu more destinations, listed in "
		       "the table below</text>\n", l.height - 12, r->endpoints.len - n);
	if (n == 0)
		put(h, "<text class=\"more\" text-anchor=\"middle\" x=\"%.1f\" y=\"%.1f\">no outbound "
		       "destinations found</text>\n", l.cx, l.cy + SERVER_R + 28);
	put(h, "</svg>\n");
	put_legend(h, any_observed(r));
	put(h, "</div>\n</section>\n");
}

static void put_documented_cell(struct html *h, const struct endpoint *ep)
{
	if (ep->documented_by == DOC_NONE) {
		put(h, "<td><span class=\"bad\">no</span></td>");
		return;
	}
	put(h, "<td><span class=\"ok\">yes</span><div class=\"sub\">");
	put_text(h, ep->documented_source ? ep->documented_source : "");
	put(h, " &middot; %s</div></td>", doc_match_name(ep->documented_by));
}

/* "not exercised" with its meaning; for code the run missed, the phases that reach it. */
static void put_observed_cell(struct html *h, const struct endpoint *ep)
{
	const char *phases[PHASES_SHOWN];
	size_t n = 0;

	put(h, "<td class=\"obs-cell\">");
	if (ep->observed != OBS_NONE) {
		put(h, "<span class=\"obs obs-%s\">%s</span><div class=\"sub\">%s",
		    observed_name(ep->observed), report_observed_label(ep->observed),
		    report_observed_meaning(ep->observed));
		if (ep->observed == OBS_NOT_EXERCISED)
			n = endpoint_phases(ep, "static", phases, PHASES_SHOWN);
		for (size_t i = 0; i < n; i++) {
			put(h, "%s", i ? ", " : "; reached from ");
			put_text(h, phases[i]);
		}
		put(h, "</div>");
	}
	put(h, "</td>");
}

static void put_location_cell(struct html *h, const struct endpoint *ep)
{
	const struct evidence *e = endpoint_first_evidence(ep);
	size_t in_code = 0;

	for (size_t i = 0; i < ep->evidence.len; i++)
		in_code += ep->evidence.items[i].file != NULL;
	put(h, "<td class=\"loc-cell\">");
	if (e && e->file) {
		put(h, "<code>");
		put_where(h, e->file, e->line);
		put(h, "</code>");
		if (in_code > 1)
			put(h, "<div class=\"sub\">and %zu more call sites</div>", in_code - 1);
	} else {
		put(h, "<span class=\"none\">not in the code read</span>");
	}
	put(h, "</td>");
}

static void put_phases_cell(struct html *h, const struct endpoint *ep)
{
	const char *phases[PHASES_SHOWN];
	size_t n = endpoint_phases(ep, NULL, phases, PHASES_SHOWN);

	put(h, "<td>");
	for (size_t i = 0; i < n; i++) {
		put(h, "<span class=\"tag%s\">", strcmp(phases[i], "install") == 0 ? " install" : "");
		put_short(h, phases[i], HOST_CHARS);
		put(h, "</span>");
	}
	put(h, "%s</td>", n ? "" : "&mdash;");
}

/* One line of evidence: the API and the code, or the packet and what it carried. */
static void put_evidence_line(struct html *h, const struct evidence *e)
{
	put(h, "<div class=\"ev\">");
	if (e->packet)
		put(h, "<span class=\"sub\">packet %lu</span> ", e->packet);
	else if (e->stage && strcmp(e->stage, "dynamic") == 0)
		put(h, "<span class=\"sub\">run</span> ");
	put(h, "<strong>");
	put_text(h, e->api ? e->api : "?");
	put(h, "</strong>");
	if (e->expression) {
		put(h, " <code>");
		put_short(h, e->expression, EXPRESSION_CHARS);
		put(h, "</code>");
	}
	if (e->decoded_by) {
		put(h, " <span class=\"warn\">decoded from ");
		put_text(h, e->decoded_by);
		put(h, "</span>");
	}
	if (e->env_var) {
		put(h, " <span class=\"sub\">env ");
		put_text(h, e->env_var);
		put(h, "</span>");
	}
	if (e->package) {
		put(h, " <span class=\"sub\">in dependency ");
		put_text(h, e->package);
		put(h, "</span>");
	}
	put(h, "</div>");
}

static void put_evidence_cell(struct html *h, const struct endpoint *ep)
{
	put(h, "<td>");
	for (size_t i = 0; i < ep->evidence.len && i < EVIDENCE_SHOWN; i++)
		put_evidence_line(h, &ep->evidence.items[i]);
	if (ep->evidence.len > EVIDENCE_SHOWN)
		put(h, "<div class=\"sub\">and %zu more</div>", ep->evidence.len - EVIDENCE_SHOWN);
	put(h, "</td>");
}

static void put_endpoint_row(struct html *h, const struct endpoint *ep, bool audit)
{
	put(h, "<tr class=\"%s\"><td><span class=\"host\">", group_class[endpoint_group_of(ep)]);
	if (ep->host) {
		put_breakable(h, ep->host);
	} else if (ep->host_suffix) {
		put(h, "*");
		put_breakable(h, ep->host_suffix);
	} else {
		put_host(h, ep, SHORT_INPUT_MAX);
	}
	put(h, "</span>");
	if (ep->registrable_domain && (!ep->host || strcmp(ep->host, ep->registrable_domain))) {
		put(h, "<div class=\"sub\">site ");
		put_text(h, ep->registrable_domain);
		put(h, "</div>");
	}
	if (ep->path) {
		put(h, "<div class=\"sub\">");
		put_short(h, ep->path, EXPRESSION_CHARS);
		put(h, "</div>");
	}
	if (ep->port)
		put(h, "</td><td>%d</td><td>", ep->port);
	else
		put(h, "</td><td>&mdash;</td><td>");
	if (ep->scheme)
		put_text(h, ep->scheme);
	else
		put(h, "&mdash;");
	put(h, "</td><td>%s</td>", endpoint_kind_name(ep->kind));
	put_documented_cell(h, ep);
	if (audit)
		put_observed_cell(h, ep);
	put_location_cell(h, ep);
	put_phases_cell(h, ep);
	put_evidence_cell(h, ep);
	put(h, "</tr>\n");
}

static void put_endpoints(struct html *h)
{
	const struct report *r = h->r;
	bool audit = any_observed(r);
	const struct endpoint **order;
	size_t n;

	put(h, "<section id=\"endpoints\">\n<h2>Destinations</h2>\n");
	if (r->endpoints.len == 0) {
		put(h, "<p class=\"none\">No outbound destinations found.</p>\n</section>\n");
		return;
	}
	order = calloc(r->endpoints.len, sizeof *order);
	if (!order) {
		h->rc = -1;
		return;
	}
	n = reading_order(r, order, r->endpoints.len);
	put(h, "<div class=\"scroll\">\n<table class=\"endpoints\">\n<thead><tr><th>Destination</th><th>Port</th>"
	       "<th>Scheme</th><th>Kind</th><th>Documented</th>%s<th>Code location</th>"
	       "<th>Phases</th><th>Evidence</th></tr></thead>\n<tbody>\n",
	    audit ? "<th>Observed</th>" : "");
	for (size_t i = 0; i < n; i++)
		put_endpoint_row(h, order[i], audit);
	put(h, "</tbody>\n</table>\n</div>\n</section>\n");
	free(order);
}

/* A line of detail under a finding; nothing when value is NULL. */
static void put_meta(struct html *h, const char *label, const char *value)
{
	if (!value)
		return;
	put(h, "<div class=\"meta\">%s: ", label);
	put_text(h, value);
	put(h, "</div>\n");
}

static void put_finding(struct html *h, const struct finding *f)
{
	const struct rule *ru = rule_find(f->rule_id);
	const char *sev = severity_name(f->severity);

	put(h, "<div class=\"finding f-%s\">\n<div class=\"f-head\"><span class=\"badge b-%s\">%s"
	       "</span> <code class=\"rule\">", sev, sev, sev);
	put_text(h, f->rule_id);
	put(h, "</code>");
	if (ru) {
		put(h, " <span>");
		put_text(h, ru->title);
		put(h, "</span>");
	}
	if (f->file) {
		put(h, " <code class=\"loc\">");
		put_where(h, f->file, f->line);
		put(h, "</code>");
	}
	put(h, "</div>\n<p class=\"msg\">");
	put_text(h, f->message);
	put(h, "</p>\n");
	put_meta(h, "Destination", f->host);
	put_meta(h, "Phase", f->phase);
	put_meta(h, "Package", f->package);
	put_meta(h, "Suppressed", f->suppressed);
	if (f->snippet) {
		put(h, "<pre><code>");
		put_lines(h, f->snippet);
		put(h, "</code></pre>\n");
	}
	if (f->chain.len)
		put(h, "<ol class=\"chain\">\n");
	for (size_t i = 0; i < f->chain.len; i++) {
		put(h, "<li><code>");
		put_text(h, f->chain.items[i]);
		put(h, "</code></li>\n");
	}
	if (f->chain.len)
		put(h, "</ol>\n");
	if (f->events.len)
		put(h, "<ul class=\"chain\">\n");
	for (size_t i = 0; i < f->events.len; i++) {
		put(h, "<li>");
		put_text(h, f->events.items[i]);
		put(h, "</li>\n");
	}
	put(h, "%s</div>\n", f->events.len ? "</ul>\n" : "");
}

/* Findings by severity, most severe first; suppressed ones in a section of their own. */
static void put_findings(struct html *h, bool suppressed)
{
	const struct report *r = h->r;
	bool any = false;

	for (int s = SEV_CRITICAL; s >= SEV_INFO; s--) {
		size_t count = 0;
		for (size_t i = 0; i < r->findings.len; i++)
			count += (int)r->findings.items[i]->severity == s &&
				 (r->findings.items[i]->suppressed != NULL) == suppressed;
		if (count == 0)
			continue;
		if (!any)
			put(h, "<section id=\"%s\">\n<h2>%s</h2>\n", suppressed ? "suppressed" : "findings",
			    suppressed ? "Suppressed findings" : "Findings");
		any = true;
		put(h, "<h3>%s (%zu)</h3>\n", severity_title[s], count);
		for (size_t i = 0; i < r->findings.len; i++) {
			const struct finding *f = r->findings.items[i];
			if ((int)f->severity == s && (f->suppressed != NULL) == suppressed)
				put_finding(h, f);
		}
	}
	if (any)
		put(h, "</section>\n");
	else if (!suppressed)
		put(h, "<section id=\"findings\">\n<h2>Findings</h2>\n<p class=\"none\">No findings."
		       "</p>\n</section>\n");
}

static int put_unreached(void *ctx, const char *method, const char *name)
{
	struct html *h = ctx;

	put(h, "<tr><td>%s</td><td><code>", method);
	put_text(h, name);
	put(h, "</code></td><td></td><td>not called</td><td></td></tr>\n");
	return 0;
}

static void put_call(struct html *h, const struct coverage_call *c)
{
	put(h, "<tr><td>");
	put_text(h, c->method);
	put(h, "</td><td><code>");
	put_text(h, c->target ? c->target : "");
	put(h, "</code></td><td><code>");
	put_text(h, c->arguments ? c->arguments : "");
	put(h, "</code></td><td>");
	put_text(h, c->outcome);
	put(h, " (%.0f ms)</td><td>", c->end_ms - c->start_ms);
	put_text(h, c->detail ? c->detail : "");
	put(h, "</td></tr>\n");
}

/* What the run exercised: every request with its arguments and how it ended, what was
 * listed and not called, the phases. */
static void put_coverage(struct html *h)
{
	const struct coverage *c = &h->r->coverage;

	if (!c->ran)
		return;
	put(h, "<section id=\"coverage\">\n<h2>Coverage</h2>\n<p>Listed: %zu tools, %zu resources, %zu prompts. "
	       "Phases: ", c->tools.len, c->resources.len, c->prompts.len);
	for (size_t i = 0; i < c->phases.len; i++) {
		put(h, "%s<code>", i ? ", " : "");
		put_text(h, c->phases.items[i].phase);
		put(h, "</code>");
	}
	put(h, ".</p>\n<table>\n<thead><tr><th>Request</th><th>Target</th><th>Arguments</th><th>Outcome</th>"
	       "<th>Detail</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < c->calls.len; i++)
		put_call(h, &c->calls.items[i]);
	coverage_each_unreached(c, put_unreached, h);
	put(h, "</tbody>\n</table>\n</section>\n");
}

static void put_incomplete(struct html *h)
{
	const struct report *r = h->r;

	if (r->incomplete.len == 0)
		return;
	put(h, "<section id=\"incomplete\">\n<h2>Incomplete (%zu)</h2>\n<p>Work that was not done: "
	       "a clean result does not cover it.</p>\n<table>\n<thead><tr><th>Where</th>"
	       "<th>Why</th></tr></thead>\n<tbody>\n", r->incomplete.len);
	for (size_t i = 0; i < r->incomplete.len; i++) {
		put(h, "<tr><td><code>");
		put_text(h, r->incomplete.items[i].file ? r->incomplete.items[i].file : "(whole run)");
		put(h, "</code></td><td>");
		put_text(h, r->incomplete.items[i].reason);
		put(h, "</td></tr>\n");
	}
	put(h, "</tbody>\n</table>\n</section>\n");
}

static void put_documented(struct html *h)
{
	const struct report *r = h->r;

	put(h, "<section id=\"documented\">\n<h2>Documented hosts</h2>\n");
	if (r->documented.len == 0) {
		put(h, "<p class=\"none\">The documentation names no host.</p>\n</section>\n");
		return;
	}
	put(h, "<table>\n<thead><tr><th>Host</th><th>Named in</th><th>Match</th></tr></thead>\n"
	       "<tbody>\n");
	for (size_t i = 0; i < r->documented.len; i++) {
		const struct documented_host *d = &r->documented.items[i];
		put(h, "<tr><td><span class=\"host\">");
		put_text(h, d->pattern);
		put(h, "</span></td><td>");
		put_text(h, d->source);
		put(h, "</td><td>%s</td></tr>\n", doc_match_name(d->match_kind));
	}
	put(h, "</tbody>\n</table>\n</section>\n");
}

static void put_url_strings(struct html *h)
{
	const struct report *r = h->r;

	if (r->url_strings.len == 0)
		return;
	put(h, "<section id=\"url-strings\">\n<h2>URL strings never requested (%zu)</h2>\n<table>\n"
	       "<thead><tr><th>URL</th><th>Where</th></tr></thead>\n<tbody>\n", r->url_strings.len);
	for (size_t i = 0; i < r->url_strings.len; i++) {
		const struct url_string *u = &r->url_strings.items[i];
		put(h, "<tr><td><code>");
		put_short(h, u->url, EXPRESSION_CHARS);
		put(h, "</code></td><td><code>");
		put_where(h, u->file, u->line);
		put(h, "</code></td></tr>\n");
	}
	put(h, "</tbody>\n</table>\n</section>\n");
}

static void put_footer(struct html *h)
{
	put(h, "<footer>Written by %s %s (%s). This page is self-contained: it runs no script and "
	       "loads nothing.</footer>\n</main>\n</body>\n</html>\n", MCPAUDIT_NAME, MCPAUDIT_VERSION,
	    h->o->command ? h->o->command : "scan");
}

int report_write_html(FILE *out, const struct report *r, const struct report_options *o)
{
	struct html h = {STRBUF_INIT(0), r, o, 0};

	put_head(&h);
	put_header(&h);
	put_verdict(&h);
	put_failure(&h);
	put_package(&h);
	put_summary(&h);
	put_picture(&h);
	put_endpoints(&h);
	put_findings(&h, false);
	put_findings(&h, true);
	put_coverage(&h);
	put_incomplete(&h);
	put_documented(&h);
	put_url_strings(&h);
	put_footer(&h);
	if (h.rc == 0 && fwrite(strbuf_str(&h.b), 1, h.b.len, out) != h.b.len)
		h.rc = -1;
	strbuf_free(&h.b);
	return h.rc;
}
