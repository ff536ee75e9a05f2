/* Languages: the tables from file extension to grammar, and from grammar to language. */
#include "analyzer/lang.h"

#include <string.h>
#include <strings.h>

#include <tree_sitter/api.h>

const TSLanguage *tree_sitter_javascript(void);
const TSLanguage *tree_sitter_typescript(void);
const TSLanguage *tree_sitter_tsx(void);
const TSLanguage *tree_sitter_python(void);

struct extension {
	const char *suffix;   /* with the dot */
	enum grammar grammar;
	bool node;            /* node runs it as it is ("node x.mjs"), and tries it for "x" */
};

/* Matched without regard to case: Node loads "X.JS" as readily as "x.js", and a
 * payload must not escape the scan by its spelling. */
static const struct extension extensions[] = {
	{".js", GRAMMAR_JAVASCRIPT, true},  {".cjs", GRAMMAR_JAVASCRIPT, true},
	{".mjs", GRAMMAR_JAVASCRIPT, true}, {".jsx", GRAMMAR_JAVASCRIPT, false},
	{".ts", GRAMMAR_TYPESCRIPT, false}, {".mts", GRAMMAR_TYPESCRIPT, false},
	{".cts", GRAMMAR_TYPESCRIPT, false}, {".tsx", GRAMMAR_TSX, false},
	{".py", GRAMMAR_PYTHON, false},     {".pyw", GRAMMAR_PYTHON, false},
};

/* Files never parsed because they hold no code that runs: declaration files describe types
 * (a URL in one is in a type or a doc comment), and a source map's sourcesContent is the
 * code before the build, not what node loads (the built file is scanned instead). The walk
 * lists each with its reason (report.skipped_by_design): left out, never silently. */
struct by_design {
	const char *suffix;
	const char *reason;
};

static const struct by_design skipped_by_design[] = {
	{".d.ts", "TypeScript declaration file: types only, no code that runs"},
	{".d.mts", "TypeScript declaration file: types only, no code that runs"},
	{".d.cts", "TypeScript declaration file: types only, no code that runs"},
	{".map", "source map: not the code that runs (the built file is scanned)"},
};

struct grammar_entry {
	const char *name;
	enum language language;
	const TSLanguage *(*ts_language)(void);
};

static const struct grammar_entry grammars[GRAMMAR_COUNT] = {
	[GRAMMAR_JAVASCRIPT] = {"javascript", LANG_JAVASCRIPT, tree_sitter_javascript},
	[GRAMMAR_TYPESCRIPT] = {"typescript", LANG_TYPESCRIPT, tree_sitter_typescript},
	[GRAMMAR_TSX] = {"tsx", LANG_TYPESCRIPT, tree_sitter_tsx},
	[GRAMMAR_PYTHON] = {"python", LANG_PYTHON, tree_sitter_python},
};

static const char *const language_names[LANG_COUNT] = {
	[LANG_JAVASCRIPT] = "javascript",
	[LANG_TYPESCRIPT] = "typescript",
	[LANG_PYTHON] = "python",
};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* True when name (a whole file name) ends with suffix and has something before it:
 * a file called just ".js" is a hidden file with no extension. */
static bool has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);

	return n > s && strcasecmp(name + n - s, suffix) == 0;
}

/* The entry for path's extension, or NULL when the scan has no grammar for it. */
static const struct extension *extension_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;

	for (size_t i = 0; i < COUNT(extensions); i++)
		if (has_suffix(name, extensions[i].suffix))
			return &extensions[i];
	return NULL;
}

const char *lang_skip_reason(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash ? slash + 1 : path;

	for (size_t i = 0; i < COUNT(skipped_by_design); i++)
		if (has_suffix(name, skipped_by_design[i].suffix))
			return skipped_by_design[i].reason;
	return NULL;
}

bool lang_for_path(const char *path, enum grammar *out)
{
	const struct extension *e;

	if (lang_skip_reason(path))
		return false;
	e = extension_of(path);
	if (e && out)
		*out = e->grammar;
	return e != NULL;
}

size_t lang_suffix_len(const char *path)
{
	const struct extension *e = extension_of(path);

	return e ? strlen(e->suffix) : 0;
}

bool lang_node_runs(const char *path)
{
	const struct extension *e = extension_of(path);

	return e && e->node;
}

const char *lang_node_suffix(size_t i)
{
	for (size_t k = 0; k < COUNT(extensions); k++)
		if (extensions[k].node && i-- == 0)
			return extensions[k].suffix;
	return NULL;
}

enum language grammar_language(enum grammar g)
{
	return (unsigned)g < GRAMMAR_COUNT ? grammars[g].language : LANG_JAVASCRIPT;
}

const struct TSLanguage *grammar_ts_language(enum grammar g)
{
	return (unsigned)g < GRAMMAR_COUNT ? grammars[g].ts_language() : NULL;
}

const char *language_name(enum language l)
{
	return (unsigned)l < LANG_COUNT ? language_names[l] : "unknown";
}

const char *grammar_name(enum grammar g)
{
	return (unsigned)g < GRAMMAR_COUNT ? grammars[g].name : "unknown";
}

bool grammar_is_js(enum grammar g)
{
	return g == GRAMMAR_JAVASCRIPT || g == GRAMMAR_TYPESCRIPT || g == GRAMMAR_TSX;
}
