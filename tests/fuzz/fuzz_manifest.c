/* fuzz_manifest: the pre-install audit's manifest readers: package.json, pyproject.toml,
 * setup.cfg, PKG-INFO and a wheel's METADATA and entry_points.txt (audit/metadata.c
 * metadata_check, with the registry's record), the launch command (audit/launch.c
 * launch_find) and the off-registry dependency check before npm install (audit/deps.c).
 *
 * The first byte picks the layout below; the rest is split at FUZZ_SEPARATOR into its
 * files, in order, and a last part that is the registry's JSON record (npm packument or
 * PyPI JSON; not JSON means none). Lockfiles are only looked for by name, never read. */
#include <stdlib.h>

#include <cjson/cJSON.h>

#include "audit/npmdeps.h"
#include "audit/launch.h"
#include "audit/metadata.h"
#include "tests/fuzz/fuzz_util.h"

#define MAX_FILES 4

static const char *const layouts[][MAX_FILES] = {
	{"package.json", "binding.gyp", NULL},
	{"pyproject.toml", "setup.cfg", "pkg-1.0.dist-info/entry_points.txt", NULL},
	{"PKG-INFO", "setup.cfg", NULL},
	{"pkg-1.0.dist-info/METADATA", "pkg-1.0.dist-info/entry_points.txt", "pkg/__main__.py", NULL},
};
#define NLAYOUTS (sizeof layouts / sizeof layouts[0])

static void check(const char *root, const cJSON *registry)
{
	struct metadata_options o = {.root = root, .registry = registry, .today = "2026-01-01T00:00:00Z",
				     .from_registry = registry != NULL};
	struct report *r = report_new();
	struct launch l = {0};
	char err[256];

	if (!r)
		return;
	metadata_check(&o, r, err, sizeof err);
	metadata_finish(r);
	launch_find(root, r->package, NULL, &l, err, sizeof err);
	launch_free(&l);
	unsigned refused = 0;
	npmdeps_check_manifest(root, r, &refused);
	report_free(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_part parts[MAX_FILES + 1];
	const char *const *files;
	size_t nfiles = 0, n;
	cJSON *registry = NULL;

	if (size < 1)
		return 0;
	files = layouts[data[0] % NLAYOUTS];
	while (nfiles < MAX_FILES && files[nfiles])
		nfiles++;
	n = fuzz_split(data + 1, size - 1, parts, nfiles + 1);
	fuzz_clear();
	for (size_t i = 0; i < n && i < nfiles; i++)
		fuzz_write(files[i], parts[i].p, parts[i].n);
	if (n == nfiles + 1)
		registry = cJSON_ParseWithLength((const char *)parts[nfiles].p, parts[nfiles].n);
	check(fuzz_dir(), registry);
	cJSON_Delete(registry);
	return 0;
}
