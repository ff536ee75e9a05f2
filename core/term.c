/* term: terminal output that cannot be steered by the strings it shows (see term.h). */
#include "core/term.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>

#include "core/report_format.h"
#include "core/strbuf.h"

#define MAX_MESSAGE ((size_t)64 << 10)

/* The formatted text, cleaned; a final newline kept when keep_newline. Caller frees. */
static char *cleaned(const char *fmt, va_list ap, bool keep_newline)
{
	struct strbuf raw = STRBUF_INIT(MAX_MESSAGE), out = STRBUF_INIT(4 * MAX_MESSAGE);
	bool newline = false;
	char *text = NULL;

	if (strbuf_vprintf(&raw, fmt, ap) != 0)
		goto out;
	if (keep_newline && raw.len && raw.s[raw.len - 1] == '\n') {
		raw.s[--raw.len] = '\0';
		newline = true;
	}
	if (report_clean(&out, strbuf_str(&raw), CLEAN_TERMINAL) != 0)
		goto out;
	/* A message past the cap is cut, and says so: a reader must not take it for whole. */
	if (raw.truncated && strbuf_printf(&out, " [cut: longer than %zu KiB]", MAX_MESSAGE >> 10) != 0)
		goto out;
	if ((newline || (keep_newline && raw.truncated)) && strbuf_putc(&out, '\n') != 0)
		goto out;
	text = out.s ? strbuf_take(&out) : xstrdup("");
out:
	strbuf_free(&raw);
	strbuf_free(&out);
	return text;
}

void term_vprintf(FILE *f, const char *fmt, va_list ap)
{
	char *text = cleaned(fmt, ap, true);

	if (text)
		fputs(text, f);
	free(text);
}

void term_printf(FILE *f, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	term_vprintf(f, fmt, ap);
	va_end(ap);
}

void term_status(FILE *f, const char *fmt, ...)
{
	va_list ap;
	char *text;

	va_start(ap, fmt);
	text = cleaned(fmt, ap, false);
	va_end(ap);
	if (text)
		fprintf(f, "\r%s\033[K", text);
	free(text);
}

void term_status_clear(FILE *f)
{
	fputs("\r\033[K", f);
}
