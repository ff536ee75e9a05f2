/* Report writers' front: the format table, and the escaping and grouping every writer shares. */
#include "core/report_format.h"

#include <stdint.h>
#include <string.h>

#include "core/strbuf.h"

typedef int (*report_writer_fn)(FILE *out, const struct report *r, const struct report_options *o);

static const struct {
	const char *name;
	enum report_format format;
} format_names[] = {
	{"text", FMT_TEXT},   {"json", FMT_JSON},         {"sarif", FMT_SARIF},
	{"markdown", FMT_MARKDOWN}, {"md", FMT_MARKDOWN}, {"html", FMT_HTML},
};

/* Indexed by enum report_format. */
static const report_writer_fn writers[] = {
	[FMT_TEXT] = report_write_text,
	[FMT_JSON] = report_write_json,
	[FMT_SARIF] = report_write_sarif,
	[FMT_MARKDOWN] = report_write_markdown,
	[FMT_HTML] = report_write_html,
};

/* Indexed by enum observed. */
static const struct {
	const char *label;
	const char *meaning;
} observed_words[] = {
	[OBS_NONE] = {NULL, NULL},
	[OBS_CONFIRMED] = {"confirmed", "in the code and contacted by the run"},
	[OBS_NOT_EXERCISED] = {"not exercised", "in the code, but the run never contacted it"},
	[OBS_HIDDEN] = {"hidden", "contacted, but nowhere in the code (obfuscated, in a "
				  "dependency, or downloaded at run time)"},
	[OBS_STATIC_ONLY_RUN] = {"code only", "in the code; the server was not run"},
	[OBS_DYNAMIC_ONLY_RUN] = {"run only", "contacted by the run; there was no code to read"},
};

/* Bit i of report.languages is the analyzer's enum language value i. */
static const char *const language_names[] = {"javascript", "typescript", "python"};

int report_write(FILE *out, const struct report *r, enum report_format fmt,
		 const struct report_options *o)
{
	if ((unsigned)fmt >= sizeof writers / sizeof writers[0])
		return -1;
	return writers[fmt](out, r, o);
}

bool report_format_parse(const char *name, enum report_format *out)
{
	for (size_t i = 0; i < sizeof format_names / sizeof format_names[0]; i++) {
		if (strcmp(name, format_names[i].name) == 0) {
			*out = format_names[i].format;
			return true;
		}
	}
	return false;
}

const char *report_format_name_at(size_t i)
{
	return i < sizeof format_names / sizeof format_names[0] ? format_names[i].name : NULL;
}

const char *report_language_name(unsigned bit)
{
	return bit < sizeof language_names / sizeof language_names[0] ? language_names[bit] : NULL;
}

enum endpoint_group endpoint_group_of(const struct endpoint *ep)
{
	if (ep->documented_by != DOC_NONE)
		return EG_DOCUMENTED;
	return ep->host ? EG_UNDOCUMENTED : EG_UNRESOLVED;
}

const struct evidence *endpoint_first_evidence(const struct endpoint *ep)
{
	for (size_t i = 0; i < ep->evidence.len; i++)
		if (ep->evidence.items[i].file)
			return &ep->evidence.items[i];
	return ep->evidence.len ? &ep->evidence.items[0] : NULL;
}

const char *report_observed_label(enum observed o)
{
	return (unsigned)o <= OBS_DYNAMIC_ONLY_RUN ? observed_words[o].label : NULL;
}

const char *report_observed_meaning(enum observed o)
{
	return (unsigned)o <= OBS_DYNAMIC_ONLY_RUN ? observed_words[o].meaning : NULL;
}

static bool phase_listed(const char *const *phases, size_t n, const char *phase)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(phases[i], phase) == 0)
			return true;
	return false;
}

size_t endpoint_phases(const struct endpoint *ep, const char *stage, const char **phases,
		       size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < ep->evidence.len && n < max; i++) {
		const struct evidence *e = &ep->evidence.items[i];
		if (!e->phase || (stage && (!e->stage || strcmp(e->stage, stage) != 0)))
			continue;
		if (!phase_listed(phases, n, e->phase))
			phases[n++] = e->phase;
	}
	return n;
}

bool report_fails(const struct report *r, const struct report_options *o)
{
	return report_max_severity(r) >= (int)o->fail_on;
}

/* Length of the well-formed UTF-8 sequence at p (RFC 3629 section 4: no overlongs, no
 * surrogates, nothing above U+10FFFF) and its code point; 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *p, uint32_t *cp)
{
	size_t n;
	uint32_t c;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2, c = p[0] & 0x1fu;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		n = 3, c = p[0] & 0x0fu;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4, c = p[0] & 0x07u;
	else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)  /* also stops at the NUL terminator */
			return 0;
		c = (c << 6) | (p[i] & 0x3fu);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 || c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* Characters that move the cursor, recolour the screen, or reorder the text around them
 * (Trojan Source, CVE-2021-42574) when printed as they are. Tab stays: it is harmless. */
static bool is_display_hazard(uint32_t cp)
{
	return (cp < 0x20 && cp != '\t') || (cp >= 0x7f && cp <= 0x9f) ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

int report_clean(struct strbuf *b, const char *s, enum clean_mode mode)
{
	const unsigned char *p = (const unsigned char *)s;
	int rc = 0;

	while (p && *p && rc == 0) {
		uint32_t cp = 0;
		size_t n = utf8_sequence(p, &cp);
		if (n == 0) {
			rc = strbuf_printf(b, "\\x%02x", *p);
			n = 1;
		} else if (mode == CLEAN_TERMINAL && is_display_hazard(cp)) {
			rc = cp < 0x100 ? strbuf_printf(b, "\\x%02x", (unsigned)cp)
					: strbuf_printf(b, "\\u%04x", (unsigned)cp);
		} else {
			rc = strbuf_append(b, (const char *)p, n);
		}
		p += n;
	}
	return rc;
}

/* ---- coverage, as every writer shows it ---- */

/* The i-th listed item over tools, resources and prompts, and the request that exercises it. */
static const char *listed_at(const struct coverage *c, size_t i, const char **method)
{
	if (i < c->tools.len) {
		*method = "tools/call";
		return c->tools.items[i];
	}
	i -= c->tools.len;
	if (i < c->resources.len) {
		*method = "resources/read";
		return c->resources.items[i];
	}
	i -= c->resources.len;
	*method = "prompts/get";
	return i < c->prompts.len ? c->prompts.items[i] : NULL;
}

static bool reached(const struct coverage *c, const char *method, const char *name)
{
	for (size_t i = 0; i < c->calls.len; i++)
		if (!strcmp(c->calls.items[i].method, method) && c->calls.items[i].target &&
		    !strcmp(c->calls.items[i].target, name))
			return true;
	return false;
}

int coverage_each_unreached(const struct coverage *c, int (*fn)(void *ctx, const char *method, const char *name),
			    void *ctx)
{
	size_t total = c->tools.len + c->resources.len + c->prompts.len;
	const char *method;
	int rc = 0;

	for (size_t i = 0; i < total && rc == 0; i++) {
		const char *name = listed_at(c, i, &method);
		if (!reached(c, method, name))
			rc = fn(ctx, method, name);
	}
	return rc;
}

size_t coverage_outcomes(const struct coverage *c, const char *method, size_t counts[4])
{
	static const char *const names[] = {"ok", "error", "timeout", "closed"};
	size_t n = 0;

	counts[0] = counts[1] = counts[2] = counts[3] = 0;
	for (size_t i = 0; i < c->calls.len; i++) {
		if (strcmp(c->calls.items[i].method, method) != 0)
			continue;
		n++;
		for (size_t k = 0; k < 4; k++)
			counts[k] += !strcmp(c->calls.items[i].outcome, names[k]);
	}
	return n;
}
