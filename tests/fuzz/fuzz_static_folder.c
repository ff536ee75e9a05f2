/* fuzz_static_folder: the static stage's own entry (static_stage_run: walk, parse and
 * match, module index, linking across files, emit) over a small folder whose files import
 * one another. The input is split at FUZZ_SEPARATOR into the files below, in this order;
 * the seeds import between them ("./m.js", "./util", "from config import ..."). Slower than
 * fuzz_static_file (the stage compiles its queries on every run), but the only harness that
 * reaches the walk and the cross-file linking. */
#include <stdio.h>
#include <stdlib.h>

#include "analyzer/static_stage.h"
#include "tests/fuzz/fuzz_util.h"

static const char *const files[] = {"index.js", "m.js", "lib/util.ts", "main.py", "config.py"};
#define NFILES (sizeof files / sizeof files[0])

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[NFILES];
	size_t n = fuzz_split(data, size, parts, NFILES);
	const char *root = fuzz_dir();
	struct scan_options o = {.paths = &root, .npaths = 1, .jobs = 1};
	struct report *r = report_new();
	char err[512];

	fuzz_clear();
	for (size_t i = 0; i < n; i++)
		fuzz_write(files[i], parts[i].p, parts[i].n);
	if (r)
		static_stage_run(&o, r, err, sizeof err);
	report_free(r);
	return 0;
}
