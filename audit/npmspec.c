/* npmspec: npm names and registry specs, by the characters they are made of. */
#include "audit/npmspec.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

#define SPEC_MAX 256

bool npmspec_name_valid(const char *s, size_t n)
{
	size_t i = 0;

	if (n == 0 || n > 214)
		return false;
	if (s[0] == '@') {
		const char *slash = memchr(s, '/', n);
		if (!slash || slash == s + 1 || slash == s + n - 1 || memchr(slash + 1, '/', n - (size_t)(slash + 1 - s)))
			return false;
		i = 1;
	}
	if (s[i] == '-' || s[i] == '.' || s[i] == '_')
		return false;
	for (; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr("-._~/", s[i]))
			return false;
	return s[0] == '@' || !memchr(s, '/', n);
}

static bool ends_with_tarball(const char *s)
{
	static const char *const suffixes[] = {".tgz", ".tar.gz", ".tar", NULL};  /* npm-package-arg isFilename */
	size_t n = strlen(s);

	for (const char *const *x = suffixes; *x; x++)
		if (n >= strlen(*x) && strcasecmp(s + n - strlen(*x), *x) == 0)
			return true;
	return false;
}

/* A semver range or dist-tag: versions, operators, "||", "x", spaces; a tag's letters. No
 * '/', ':', '#', '@' or '\\' (which make URLs, shorthands and paths), not starting with '.'
 * (a relative path) and not ending like a tarball file. */
static bool range_or_tag(const char *s)
{
	if (strlen(s) > SPEC_MAX || s[0] == '.' || ends_with_tarball(s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr(" .*^~<>=|+-_", *s))
			return false;
	return true;
}

bool npmspec_on_registry(const char *spec)
{
	const char *at;

	if (spec[0] == '$')
		return npmspec_name_valid(spec + 1, strlen(spec + 1));  /* overrides: "$foo" */
	if (strncmp(spec, "npm:", 4) != 0)
		return range_or_tag(spec);
	spec += 4;
	at = strchr(spec + (spec[0] == '@'), '@');
	if (!npmspec_name_valid(spec, at ? (size_t)(at - spec) : strlen(spec)))
		return false;
	return !at || range_or_tag(at + 1);
}
