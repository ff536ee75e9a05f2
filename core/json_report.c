/* json_report: see json_report.h. */
#include "core/json_report.h"

#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"

static bool acted_on(const char *top, const char *const *high_tops)
{
	for (const char *const *k = high_tops; k && *k; k++)
		if (strcmp(*k, "*") == 0 || strcmp(*k, top) == 0)
			return true;
	return false;
}

static int raise(struct finding *f, const char *top, const char *const *high_tops)
{
	if (!f)
		return -1;
	if (acted_on(top, high_tops))
		f->severity = SEV_HIGH;
	return 0;
}

int json_report_ambiguities(struct report *r, const struct json_doc *doc, const char *file,
			    const char *const *high_tops)
{
	for (size_t i = 0; i < doc->dups.len; i++) {
		const struct json_dup *d = &doc->dups.items[i];
		struct finding *f = report_add_finding(
			r, "duplicate-json-key", NULL, file, d->line,
			"\"%s\" appears twice (lines %u and %u): npm, Node and the MCP clients use the one on "
			"line %u, a reader that takes the first sees the other",
			d->path, d->first_line, d->line, d->line);
		if (raise(f, d->top, high_tops) != 0)
			return -1;
	}
	for (size_t i = 0; i < doc->nuls.len; i++) {
		const struct json_nul *n = &doc->nuls.items[i];
		char *top = NULL;
		const char *dot = strchr(n->path, '.');
		struct finding *f = report_add_finding(
			r, "duplicate-json-key", NULL, file, n->line,
			"the %s at \"%s\" holds a NUL byte (%zu bytes in all): a C reader stops at it, "
			"JavaScript and Python do not",
			n->in_key ? "key" : "string", n->path, n->len);
		top = dot ? xstrndup(n->path, (size_t)(dot - n->path)) : xstrdup(n->path);
		if (!top || raise(f, top, high_tops) != 0) {
			free(top);
			return -1;
		}
		free(top);
	}
	return 0;
}
