/* pep508: registry requirements only (PEP 508 without URLs), checked before pip sees them. */
#include "audit/pep508.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define MARKER_DEPTH_MAX 16   /* nested parentheses in a marker */

/* pip reads an argument ending like this as an archive file to build or install
 * (pip/_internal/utils/filetypes.py ARCHIVE_EXTENSIONS), even when it is a valid name. */
static const char *const archive_suffixes[] = {".zip", ".whl", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tlz",
					       ".tar.lz", ".tar.lzma", ".tar.gz", ".tgz", ".tar", NULL};

/* PEP 508 marker variables (and the legacy dotted ones packaging still accepts). */
static const char *const marker_variables[] = {
	"python_version", "python_full_version", "os_name", "sys_platform", "platform_release",
	"platform_system", "platform_version", "platform_machine", "platform_python_implementation",
	"implementation_name", "implementation_version", "extra", "os.name", "sys.platform",
	"platform.version", "platform.machine", "platform.python_implementation", "python_implementation", NULL};

/* PEP 440 comparison operators, longest first so "===" is not read as "==". */
static const char *const version_operators[] = {"===", "==", "!=", "<=", ">=", "~=", "<", ">", NULL};

struct cursor {
	const char *p;
	char *why;
	size_t whylen;
	struct pep508 *out;
};

static bool fail(struct cursor *c, const char *what)
{
	snprintf(c->why, c->whylen, "%s", what);
	return false;
}

static void skip_space(struct cursor *c)
{
	while (*c->p == ' ' || *c->p == '\t')
		c->p++;
}

static bool name_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '-' || ch == '_' || ch == '.';
}

/* A PEP 508 identifier at the cursor: letter or digit, then letters, digits, "-_.", ending
 * in a letter or digit. Returns its length, 0 when there is none. */
static size_t identifier(const char *p)
{
	size_t n = 0;

	if (!isalnum((unsigned char)p[0]))
		return 0;
	while (name_char(p[n]))
		n++;
	while (n > 0 && !isalnum((unsigned char)p[n - 1]))
		n--;
	return n;
}

void pep508_normalise(const char *name, size_t n, char *out, size_t len)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < len; i++) {
		if (name[i] == '-' || name[i] == '_' || name[i] == '.') {
			if (k == 0 || out[k - 1] != '-')
				out[k++] = '-';
		} else {
			out[k++] = (char)tolower((unsigned char)name[i]);
		}
	}
	if (len)
		out[k] = '\0';
}

/* Append ",extra," (normalised) to list, keeping the ",a,b," form. */
static void list_add(char *list, size_t len, const char *name, size_t n)
{
	char norm[PEP508_NAME_MAX + 1];
	size_t used = strlen(list);

	pep508_normalise(name, n, norm, sizeof norm);
	if (pep508_has_extra(list, norm))
		return;
	snprintf(list + used, len - used, "%s%s,", used ? "" : ",", norm);
}

bool pep508_has_extra(const char *list, const char *extra)
{
	size_t n = strlen(extra);

	for (const char *p = list; n && (p = strstr(p, extra)); p++)
		if (p > list && p[-1] == ',' && p[n] == ',')
			return true;
	return false;
}

static bool looks_like_archive(const char *name, size_t n)
{
	for (const char *const *s = archive_suffixes; *s; s++) {
		size_t k = strlen(*s);
		if (n > k && strncasecmp(name + n - k, *s, k) == 0)
			return true;
	}
	return false;
}

static bool read_name(struct cursor *c)
{
	size_t n;

	skip_space(c);
	if (*c->p == '-')
		return fail(c, "an option to pip, not a requirement");
	if (*c->p == '.' || *c->p == '/' || *c->p == '~' || *c->p == '\\')
		return fail(c, "a path, not a requirement");
	n = identifier(c->p);
	if (n == 0)
		return fail(c, "not a project name");
	if (n > PEP508_NAME_MAX)
		return fail(c, "a project name longer than 200 characters");
	if (c->p[n] == '/' || c->p[n] == ':' || c->p[n] == '\\')
		return fail(c, "a path or URL, not a requirement");
	if (looks_like_archive(c->p, n))
		return fail(c, "a name pip reads as an archive file to build");
	pep508_normalise(c->p, n, c->out->normal, sizeof c->out->normal);
	c->p += n;
	return true;
}

static bool read_extras(struct cursor *c)
{
	skip_space(c);
	if (*c->p != '[')
		return true;
	c->p++;
	for (;;) {
		size_t n;
		skip_space(c);
		if (*c->p == ']' && !c->out->extras[0])
			break;  /* "name[]" */
		if (!(n = identifier(c->p)) || n > PEP508_NAME_MAX)
			return fail(c, "an extra that is not a name");
		list_add(c->out->extras, sizeof c->out->extras, c->p, n);
		c->p += n;
		skip_space(c);
		if (*c->p == ']')
			break;
		if (*c->p++ != ',')
			return fail(c, "an extras list that is not [a, b]");
	}
	c->p++;
	return true;
}

static const char *version_operator(const char *p)
{
	for (const char *const *op = version_operators; *op; op++)
		if (strncmp(p, *op, strlen(*op)) == 0)
			return *op;
	return NULL;
}

/* One "OP VERSION": a PEP 440 version or prefix match, no spaces inside. */
static bool read_one_specifier(struct cursor *c)
{
	const char *op = version_operator(c->p);
	size_t n;

	if (!op)
		return fail(c, "version specifiers that are not PEP 440 comparisons");
	c->p += strlen(op);
	skip_space(c);
	n = strspn(c->p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.*+!_-");
	if (n == 0 || n > 128)
		return fail(c, "a version specifier without a version");
	c->p += n;
	return true;
}

static bool read_specifiers(struct cursor *c)
{
	bool paren;

	skip_space(c);
	if (*c->p == '@')
		return fail(c, "a direct reference (name @ URL): pip would fetch and build it from where the package chose");
	paren = *c->p == '(';
	c->p += paren;
	skip_space(c);
	if (version_operator(c->p))
		for (;;) {
			if (!read_one_specifier(c))
				return false;
			skip_space(c);
			if (*c->p != ',')
				break;
			c->p++;
			skip_space(c);
		}
	if (paren && *c->p++ != ')')
		return fail(c, "version specifiers without their closing parenthesis");
	return true;
}

/* A marker value: a variable or a quoted string of printable characters. */
static bool read_marker_value(struct cursor *c, bool *is_extra, const char **str, size_t *strlen_out)
{
	char q;

	skip_space(c);
	q = *c->p;
	*is_extra = false;
	*str = NULL;
	if (q == '"' || q == '\'') {
		const char *start = ++c->p;
		while (*c->p && *c->p != q && isprint((unsigned char)*c->p))
			c->p++;
		if (*c->p != q)
			return fail(c, "a marker with an unterminated or unprintable string");
		*str = start;
		*strlen_out = (size_t)(c->p - start);
		c->p++;
		return true;
	}
	for (const char *const *v = marker_variables; *v; v++) {
		size_t n = strlen(*v);
		if (strncmp(c->p, *v, n) == 0 && !name_char(c->p[n])) {
			*is_extra = strcmp(*v, "extra") == 0;
			c->p += n;
			return true;
		}
	}
	return fail(c, "a marker naming an unknown variable");
}

static bool read_marker_operator(struct cursor *c)
{
	const char *op;

	skip_space(c);
	if ((op = version_operator(c->p))) {
		c->p += strlen(op);
		return true;
	}
	if (strncmp(c->p, "in", 2) == 0 && !name_char(c->p[2])) {
		c->p += 2;
		return true;
	}
	if (strncmp(c->p, "not", 3) == 0 && (c->p[3] == ' ' || c->p[3] == '\t')) {
		c->p += 3;
		skip_space(c);
		if (strncmp(c->p, "in", 2) == 0 && !name_char(c->p[2])) {
			c->p += 2;
			return true;
		}
	}
	return fail(c, "a marker with an unknown comparison");
}

static bool read_marker_or(struct cursor *c, int depth);

/* "VALUE OP VALUE" or "( MARKER )"; an "extra" compared with a string records the extra. */
static bool read_marker_atom(struct cursor *c, int depth)
{
	bool left_extra, right_extra;
	const char *ls, *rs;
	size_t ln = 0, rn = 0;

	skip_space(c);
	if (*c->p == '(') {
		c->p++;
		if (depth >= MARKER_DEPTH_MAX)
			return fail(c, "a marker nested too deep");
		if (!read_marker_or(c, depth + 1))
			return false;
		skip_space(c);
		if (*c->p++ != ')')
			return fail(c, "a marker without its closing parenthesis");
		return true;
	}
	if (!read_marker_value(c, &left_extra, &ls, &ln) || !read_marker_operator(c) ||
	    !read_marker_value(c, &right_extra, &rs, &rn))
		return false;
	if (left_extra && rs)
		list_add(c->out->marker_extras, sizeof c->out->marker_extras, rs, rn);
	if (right_extra && ls)
		list_add(c->out->marker_extras, sizeof c->out->marker_extras, ls, ln);
	return true;
}

/* The keyword ("and", "or") at the cursor after space, consumed; false when absent. */
static bool keyword(struct cursor *c, const char *word)
{
	const char *p = c->p;
	size_t n = strlen(word);

	while (*p == ' ' || *p == '\t')
		p++;
	if (p == c->p && c->p[-1] != ')' && c->p[-1] != '"' && c->p[-1] != '\'')
		return false;  /* a keyword needs space before it, unless a token ended */
	if (strncmp(p, word, n) != 0 || name_char(p[n]) || p[n] == '"' || p[n] == '\'')
		return false;
	c->p = p + n;
	return true;
}

static bool read_marker_and(struct cursor *c, int depth)
{
	if (!read_marker_atom(c, depth))
		return false;
	while (keyword(c, "and"))
		if (!read_marker_atom(c, depth))
			return false;
	return true;
}

static bool read_marker_or(struct cursor *c, int depth)
{
	if (!read_marker_and(c, depth))
		return false;
	while (keyword(c, "or"))
		if (!read_marker_and(c, depth))
			return false;
	return true;
}

bool pep508_parse(const char *text, struct pep508 *out, char *why, size_t whylen)
{
	struct cursor c = {text, why, whylen, out};
	const char *plain_start;

	memset(out, 0, sizeof *out);
	skip_space(&c);
	plain_start = c.p;
	if (!read_name(&c) || !read_extras(&c) || !read_specifiers(&c))
		return false;
	out->plain_off = (size_t)(plain_start - text);
	out->plain_len = (size_t)(c.p - plain_start);
	while (out->plain_len && (plain_start[out->plain_len - 1] == ' ' || plain_start[out->plain_len - 1] == '\t'))
		out->plain_len--;
	skip_space(&c);
	if (*c.p == ';') {
		c.p++;
		out->has_marker = true;
		if (!read_marker_or(&c, 0))
			return false;
		skip_space(&c);
	}
	if (*c.p == '@' || strstr(c.p, "://"))
		return fail(&c, "a direct reference (name @ URL): pip would fetch and build it from where the package chose");
	if (*c.p)
		return fail(&c, "text after the requirement that PEP 508 does not allow");
	return true;
}
