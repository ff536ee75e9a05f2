/* Unit tests for analyzer/walk.c and analyzer/lang.c: a real temporary tree with links,
 * loops, special files and dependency folders; source_read on byte-literal cases. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/lang.h"
#include "analyzer/walk.h"
#include "core/report.h"
#include "core/strbuf.h"

/* ---- Building the tree ---- */

struct tree {
	char root[64];
	bool as_root;   /* running as root: permission bits do not stop us reading */
};

static char *tree_path(const struct tree *t, const char *rel)
{
	return xasprintf("%s/%s", t->root, rel);
}

static void write_file(const struct tree *t, const char *rel, const char *text, size_t len)
{
	char *p = tree_path(t, rel);
	FILE *f = fopen(p, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	fclose(f);
	free(p);
}

static void make_dir(const struct tree *t, const char *rel)
{
	char *p = tree_path(t, rel);

	assert_int_equal(mkdir(p, 0755), 0);
	free(p);
}

static void make_link(const struct tree *t, const char *rel, const char *target)
{
	char *p = tree_path(t, rel);

	assert_int_equal(symlink(target, p), 0);
	free(p);
}

#define TEXT(t, rel, s) write_file((t), (rel), (s), sizeof(s) - 1)

static const char *const tree_dirs[] = {
	"src", "empty", ".git", ".git/hooks", "__pycache__",
	"node_modules", "node_modules/@scope", "node_modules/@scope/name",
	"node_modules/left", "node_modules/left/lib", "node_modules/left/node_modules",
	"node_modules/left/node_modules/inner", ".venv", ".venv/lib", ".venv/lib/python3.11",
	".venv/lib/python3.11/site-packages", ".venv/lib/python3.11/site-packages/requests",
};

static const char *const tree_files[] = {
	"a.js", "b.py", "c.txt", "types.d.ts", "src/index.ts", "src/view.tsx",
	".git/hooks/x.js", "__pycache__/m.py", "node_modules/@scope/name/index.js",
	"node_modules/left/lib/x.js", "node_modules/left/node_modules/inner/i.js",
	".venv/pyvenv.cfg", ".venv/lib/python3.11/site-packages/requests/api.py",
	".venv/lib/python3.11/site-packages/six.py",
};

static int tree_setup(void **state)
{
	struct tree *t = calloc(1, sizeof *t);
	char *fifo;

	assert_non_null(t);
	snprintf(t->root, sizeof t->root, "/tmp/mcpaudit-walk-XXXXXX");
	assert_non_null(mkdtemp(t->root));
	t->as_root = geteuid() == 0;
	for (size_t i = 0; i < sizeof tree_dirs / sizeof *tree_dirs; i++)
		make_dir(t, tree_dirs[i]);
	for (size_t i = 0; i < sizeof tree_files / sizeof *tree_files; i++)
		TEXT(t, tree_files[i], "fetch('https://t.example.net/x');\n");
	make_link(t, "loop", ".");                 /* a folder link back to the root */
	make_link(t, "src/up", "..");              /* and one from below */
	make_link(t, "x.js", "/etc/passwd");       /* out of the tree */
	make_link(t, "etc", "/etc");               /* a folder out of the tree */
	make_link(t, "link.js", "a.js");           /* inside: followed */
	make_link(t, "self.js", "self.js");        /* a link to itself */
	make_link(t, "gone.js", "nowhere.js");     /* dangling */
	make_link(t, "gone.txt", "nowhere.txt");   /* dangling, not source: no matter */
	fifo = tree_path(t, "p.js");
	assert_int_equal(mkfifo(fifo, 0644), 0);
	free(fifo);
	if (!t->as_root) {   /* root reads it anyway: the case means nothing then */
		TEXT(t, "secret.js", "x\n");
		fifo = tree_path(t, "secret.js");
		assert_int_equal(chmod(fifo, 0), 0);
		free(fifo);
	}
	*state = t;
	return 0;
}

static int tree_teardown(void **state)
{
	struct tree *t = *state;
	char *cmd = xasprintf("rm -rf '%s'", t->root);

	assert_int_equal(system(cmd), 0);
	free(cmd);
	free(t);
	return 0;
}

/* ---- Looking at the result ---- */

static const struct source_file *find_file(const struct walk_result *w, const char *rel)
{
	for (size_t i = 0; i < w->files.len; i++)
		if (strcmp(w->files.items[i].rel, rel) == 0)
			return &w->files.items[i];
	return NULL;
}

/* The reason recorded for rel, or NULL. */
static const char *incomplete_reason(const struct report *r, const char *rel)
{
	for (size_t i = 0; i < r->incomplete.len; i++)
		if (r->incomplete.items[i].file && strcmp(r->incomplete.items[i].file, rel) == 0)
			return r->incomplete.items[i].reason;
	return NULL;
}

static void assert_incomplete(const struct report *r, const char *rel, const char *words)
{
	const char *reason = incomplete_reason(r, rel);

	if (!reason)
		fail_msg("no incomplete entry for %s", rel);
	if (!strstr(reason, words))
		fail_msg("%s: reason \"%s\" does not say \"%s\"", rel, reason, words);
}

static void assert_files(const struct walk_result *w, const char *const *rels, size_t n)
{
	for (size_t i = 0; i < w->files.len && i < n; i++)
		assert_string_equal(w->files.items[i].rel, rels[i]);
	assert_int_equal(w->files.len, n);
}

/* ---- The walk ---- */

/* One walk of a path under the tree ("" for its root), with its report and error text. */
struct walked {
	struct walk_result w;
	struct report *r;
	char err[256];
	int rc;
};

static void walk_rel(struct walked *wd, const struct tree *t, const char *rel, bool deps)
{
	char *p = *rel ? tree_path(t, rel) : xasprintf("%s", t->root);

	memset(wd, 0, sizeof *wd);
	wd->r = report_new();
	assert_non_null(wd->r);
	wd->rc = walk_path(p, deps, &wd->w, wd->r, wd->err, sizeof wd->err);
	free(p);
}

static void walked_free(struct walked *wd)
{
	walk_result_free(&wd->w);   /* safe after a failed walk too */
	report_free(wd->r);
}

static void test_walk_tree(void **state)
{
	const struct tree *t = *state;
	static const char *const want[] = {"a.js", "b.py", "link.js", "src/index.ts", "src/view.tsx"};
	static const struct {
		const char *rel, *words;
	} refused[] = {
		{"loop", "symbolic link loop"},    {"src/up", "symbolic link loop"},
		{"x.js", "out of the scanned folder"}, {"etc", "out of the scanned folder"},
		{"self.js", "broken symbolic link"}, {"gone.js", "broken symbolic link"},
		{"p.js", "FIFO"},
	};
	unsigned skipped = sizeof refused / sizeof *refused + (t->as_root ? 0 : 1);
	const struct source_file *f;
	struct walked wd;

	walk_rel(&wd, t, "", false);
	assert_int_equal(wd.rc, 0);
	assert_string_equal(wd.w.root, t->root);
	assert_files(&wd.w, want, sizeof want / sizeof *want);
	assert_int_equal(wd.w.deps_skipped, 2);   /* node_modules, .venv */
	f = find_file(&wd.w, "src/view.tsx");
	assert_int_equal(f->grammar, GRAMMAR_TSX);
	assert_null(f->package);
	assert_int_equal(find_file(&wd.w, "b.py")->grammar, GRAMMAR_PYTHON);
	/* The link is opened through its target: source_read refuses links. */
	assert_non_null(strstr(find_file(&wd.w, "link.js")->path, "/a.js"));
	assert_non_null(strstr(find_file(&wd.w, "src/index.ts")->path, "/src/index.ts"));
	for (size_t i = 0; i < sizeof refused / sizeof *refused; i++)
		assert_incomplete(wd.r, refused[i].rel, refused[i].words);
	assert_null(incomplete_reason(wd.r, "gone.txt"));
	assert_null(incomplete_reason(wd.r, "empty"));
	assert_null(incomplete_reason(wd.r, "c.txt"));
	if (t->as_root)
		print_message("running as root: the unreadable-file case is not checked\n");
	else
		assert_incomplete(wd.r, "secret.js", "cannot read (Permission denied)");
	assert_int_equal(wd.r->incomplete.len, skipped);
	assert_int_equal(wd.r->files_skipped, skipped);
	walked_free(&wd);
}

static void test_walk_deps(void **state)
{
	static const struct {
		const char *rel, *package;
	} want[] = {
		{".venv/lib/python3.11/site-packages/requests/api.py", "requests"},
		{".venv/lib/python3.11/site-packages/six.py", "six"},
		{"a.js", NULL}, {"b.py", NULL}, {"link.js", NULL},
		{"node_modules/@scope/name/index.js", "@scope/name"},
		{"node_modules/left/lib/x.js", "left"},
		{"node_modules/left/node_modules/inner/i.js", "inner"},
		{"src/index.ts", NULL}, {"src/view.tsx", NULL},
	};
	struct walked wd;

	walk_rel(&wd, *state, "", true);
	assert_int_equal(wd.rc, 0);
	assert_int_equal(wd.w.files.len, sizeof want / sizeof *want);
	for (size_t i = 0; i < wd.w.files.len; i++) {
		const struct source_file *f = &wd.w.files.items[i];

		assert_string_equal(f->rel, want[i].rel);
		if (want[i].package)
			assert_string_equal(f->package, want[i].package);
		else
			assert_null(f->package);
	}
	assert_int_equal(wd.w.deps_skipped, 0);
	walked_free(&wd);
}

static void test_walk_single_file(void **state)
{
	const struct tree *t = *state;
	struct walked wd;

	walk_rel(&wd, t, "src/index.ts", false);
	assert_int_equal(wd.rc, 0);
	assert_int_equal(wd.w.files.len, 1);
	assert_string_equal(wd.w.files.items[0].rel, "index.ts");
	assert_non_null(strstr(wd.w.files.items[0].path, "/src/index.ts"));
	assert_non_null(strstr(wd.w.root, "/src"));
	walked_free(&wd);

	walk_rel(&wd, t, "c.txt", false);   /* named, but not source: said so, not dropped */
	assert_int_equal(wd.rc, 0);
	assert_int_equal(wd.w.files.len, 0);
	assert_incomplete(wd.r, "c.txt", "not a JavaScript, TypeScript or Python source file");
	walked_free(&wd);
}

static void test_walk_trailing_slash_and_empty(void **state)
{
	const struct tree *t = *state;
	struct walked wd;

	walk_rel(&wd, t, "empty//", false);
	assert_int_equal(wd.rc, 0);
	assert_int_equal(wd.w.files.len, 0);
	assert_int_equal(wd.r->incomplete.len, 0);
	assert_int_equal(strlen(wd.w.root), strlen(t->root) + strlen("/empty"));
	walked_free(&wd);
}

static void test_walk_missing(void **state)
{
	struct walked wd;

	walk_rel(&wd, *state, "does-not-exist", false);
	assert_int_equal(wd.rc, -1);
	assert_non_null(strstr(wd.err, "does-not-exist"));
	assert_non_null(strstr(wd.err, "No such file or directory"));
	walked_free(&wd);

	walk_rel(&wd, *state, "p.js", false);   /* a FIFO given directly */
	assert_int_equal(wd.rc, -1);
	assert_non_null(strstr(wd.err, "FIFO"));
	walked_free(&wd);
}

/* A chain of nested folders deeper than the cap: recorded, not recursed into. */
static void test_walk_depth_cap(void **state)
{
	const struct tree *t = *state;
	struct strbuf rel = STRBUF_INIT(4096);
	struct walked wd;

	strbuf_puts(&rel, "deep");
	make_dir(t, strbuf_str(&rel));
	for (int i = 0; i < 70; i++) {
		strbuf_puts(&rel, "/d");
		make_dir(t, strbuf_str(&rel));
	}
	strbuf_puts(&rel, "/z.js");
	TEXT(t, strbuf_str(&rel), "1\n");
	walk_rel(&wd, t, "deep", false);
	assert_int_equal(wd.rc, 0);
	assert_int_equal(wd.w.files.len, 0);
	assert_int_equal(wd.r->incomplete.len, 1);
	assert_non_null(strstr(wd.r->incomplete.items[0].reason, "more than 64 levels"));
	walked_free(&wd);
	strbuf_free(&rel);
}

/* ---- lang ---- */

static void test_lang_table(void **state)
{
	static const struct {
		const char *name;
		bool source;
		enum grammar g;
	} cases[] = {
		{"a.js", true, GRAMMAR_JAVASCRIPT},   {"a.mjs", true, GRAMMAR_JAVASCRIPT},
		{"a.cjs", true, GRAMMAR_JAVASCRIPT},  {"a.jsx", true, GRAMMAR_JAVASCRIPT},
		{"A.JS", true, GRAMMAR_JAVASCRIPT},   {"a.ts", true, GRAMMAR_TYPESCRIPT},
		{"a.mts", true, GRAMMAR_TYPESCRIPT},  {"a.cts", true, GRAMMAR_TYPESCRIPT},
		{"x/a.tsx", true, GRAMMAR_TSX},       {"a.py", true, GRAMMAR_PYTHON},
		{"a.pyw", true, GRAMMAR_PYTHON},      {"a.d.ts", false, 0},
		{"a.d.mts", false, 0},                {"a.d.cts", false, 0},
		{"a.json", false, 0},                 {".js", false, 0},
		{"js", false, 0},                     {"a.js.map", false, 0},
		{"a.pyc", false, 0},                  {"d.ts/a.txt", false, 0},
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		enum grammar g = GRAMMAR_COUNT;
		bool got = lang_for_path(cases[i].name, &g);

		if (got != cases[i].source)
			fail_msg("%s: expected %s", cases[i].name, cases[i].source ? "source" : "not source");
		if (got)
			assert_int_equal(g, cases[i].g);
	}
	assert_int_equal(grammar_language(GRAMMAR_TSX), LANG_TYPESCRIPT);
	assert_string_equal(grammar_name(GRAMMAR_TSX), "tsx");
	assert_string_equal(language_name(grammar_language(GRAMMAR_PYTHON)), "python");
	assert_true(grammar_is_js(GRAMMAR_TYPESCRIPT));
	assert_false(grammar_is_js(GRAMMAR_PYTHON));
	for (int g = 0; g < GRAMMAR_COUNT; g++)
		assert_non_null(grammar_ts_language((enum grammar)g));
}

/* ---- source_read ---- */

struct read_case {
	const char *name;
	const char *bytes;
	size_t len;
	unsigned bad_line;       /* expected first invalid UTF-8 line */
	const char *refused;     /* expected words in why, or NULL when read */
};

#define RC(name, s, line, why) {name, s, sizeof(s) - 1, line, why}

static const struct read_case read_cases[] = {
	RC("ascii", "const a = 1;\nfetch(a);\n", 0, NULL),
	RC("empty", "", 0, NULL),
	RC("multibyte", "// caf\xc3\xa9 \xe2\x82\xac \xf0\x9d\x84\x9e \xf4\x8f\xbf\xbf\n", 0, NULL),
	RC("bom kept", "\xef\xbb\xbf" "a\n", 0, NULL),
	RC("latin1", "a\n// caf\xe9\n", 2, NULL),
	RC("overlong 2", "a\nb\n\xc0\xaf\n", 3, NULL),
	RC("overlong c1", "\xc1\xbf", 1, NULL),
	RC("overlong 3", "\n\xe0\x80\xaf", 2, NULL),
	RC("overlong 4", "\xf0\x80\x80\xaf", 1, NULL),
	RC("surrogate", "x\n\xed\xa0\x80\n", 2, NULL),
	RC("above max", "\xf4\x90\x80\x80", 1, NULL),
	RC("f5 lead", "\xf5\x80\x80\x80", 1, NULL),
	RC("lone continuation", "ok\n\x80", 2, NULL),
	RC("truncated at end", "a\n\xe2\x82", 2, NULL),
	RC("truncated mid", "\xe2\x82z\n", 1, NULL),
	RC("bad third byte", "\xf0\x9d\x84z", 1, NULL),
	RC("nul", "abcde\0fg", 0, "binary content (NUL byte at offset 5)"),
	RC("binary", "\x7f" "ELF\x02\x01\x01\0\0\0", 0, "NUL byte at offset 7"),
};

static char *write_case(const struct tree *t, size_t i)
{
	char *rel = xasprintf("case-%zu.js", i);
	char *p = tree_path(t, rel);

	write_file(t, rel, read_cases[i].bytes, read_cases[i].len);
	free(rel);
	return p;
}

static void test_source_read_cases(void **state)
{
	const struct tree *t = *state;

	for (size_t i = 0; i < sizeof read_cases / sizeof *read_cases; i++) {
		const struct read_case *c = &read_cases[i];
		char *p = write_case(t, i);
		char why[256] = "";
		size_t len = 99;
		unsigned line = 99;
		char *got = source_read(p, 1 << 20, &len, &line, why, sizeof why);

		if (c->refused) {
			if (got || !strstr(why, c->refused))
				fail_msg("%s: want refusal \"%s\", got \"%s\"", c->name, c->refused, why);
		} else {
			if (!got)
				fail_msg("%s: refused: %s", c->name, why);
			assert_int_equal(len, c->len);
			assert_memory_equal(got, c->bytes, c->len);
			assert_int_equal(got[len], '\0');
			if (line != c->bad_line)
				fail_msg("%s: bad UTF-8 line %u, want %u", c->name, line, c->bad_line);
		}
		free(got);
		free(p);
	}
}

static void test_source_read_refusals(void **state)
{
	const struct tree *t = *state;
	static const struct {
		const char *rel;
		size_t max;
		const char *why;
	} cases[] = {
		{"a.js", 10, "file is larger than 10 bytes (34 bytes)"},
		{"a.js", 16, "file is larger than 16 bytes (34 bytes)"},
		{"link.js", 1 << 20, "not read: it is a symbolic link"},
		{"p.js", 1 << 20, "not read: it is a named pipe (FIFO)"},   /* and did not block */
		{"missing.js", 1 << 20, "cannot read: No such file or directory"},
		{"secret.js", 1 << 20, "cannot read: Permission denied"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *p = tree_path(t, cases[i].rel);
		char why[256] = "";
		size_t len;
		unsigned line;

		if (t->as_root && strcmp(cases[i].rel, "secret.js") == 0) {
			free(p);
			continue;
		}
		assert_null(source_read(p, cases[i].max, &len, &line, why, sizeof why));
		assert_string_equal(why, cases[i].why);
		free(p);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lang_table),
		cmocka_unit_test(test_walk_tree),
		cmocka_unit_test(test_walk_deps),
		cmocka_unit_test(test_walk_single_file),
		cmocka_unit_test(test_walk_trailing_slash_and_empty),
		cmocka_unit_test(test_walk_missing),
		cmocka_unit_test(test_walk_depth_cap),
		cmocka_unit_test(test_source_read_cases),
		cmocka_unit_test(test_source_read_refusals),
	};

	return cmocka_run_group_tests(tests, tree_setup, tree_teardown);
}
