/* fuzz_docs: the documented-host extractor (core/docs.c) over a target's documentation.
 * The input is split at FUZZ_SEPARATOR into README.md, docs/guide.rst, server.json,
 * package.json and pyproject.toml, written to a fresh folder that docs_collect reads;
 * the first part is also read on its own through docs_collect_path (--docs). */
#include <stdlib.h>

#include "core/docs.h"
#include "tests/fuzz/fuzz_util.h"

static const char *const files[] = {"README.md", "docs/guide.rst", "server.json", "package.json",
				    "pyproject.toml"};
#define NFILES (sizeof files / sizeof files[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[NFILES];
	size_t n = fuzz_split(data, size, parts, NFILES);
	struct report *r = report_new();
	char err[256];
	const char *readme;

	if (!r)
		return 0;
	fuzz_clear();
	for (size_t i = 0; i < n; i++)
		fuzz_write(files[i], parts[i].p, parts[i].n);
	docs_collect(r, fuzz_dir());
	readme = fuzz_write("notes.txt", parts[0].p, parts[0].n);
	docs_collect_path(r, readme, err, sizeof err);
	report_free(r);
	return 0;
}
