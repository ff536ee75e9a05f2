/* fuzz_static_file: the static stage over one source file (FUZZ_GRAMMAR: JavaScript,
 * TypeScript or Python, chosen at build time), from parsing to the written report.
 *
 * The stage's own entry (static_stage_run) compiles every query on each call, tens of
 * milliseconds; this harness compiles them once and then runs the per-file steps it runs:
 * analyze_source, link_results, emit_call_site, emit_url_strings, then policy_apply and the
 * JSON and text writers on what came out. The walk and the folder-level steps are fuzzed by
 * fuzz_static_folder. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analyzer/analyze.h"
#include "analyzer/emit.h"
#include "analyzer/eval.h"
#include "analyzer/link.h"
#include "core/policy.h"
#include "core/report_format.h"
#include "tests/fuzz/fuzz_util.h"

#ifndef FUZZ_GRAMMAR
#error "FUZZ_GRAMMAR must name the grammar (GRAMMAR_JAVASCRIPT, GRAMMAR_TYPESCRIPT, GRAMMAR_PYTHON)"
#endif

static struct query_set queries[GRAMMAR_COUNT];
static struct eval_dispatch *dispatch[GRAMMAR_COUNT];
static struct name_table local_modules;
static struct analysis_env env;
static FILE *sink;

static void setup(void)
{
	char err[512];

	if (query_set_load(&queries[FUZZ_GRAMMAR], FUZZ_GRAMMAR, NULL, err, sizeof err) != 0) {
		fprintf(stderr, "fuzz_static_file: %s\n", err);
		abort();
	}
	for (int g = 0; g < GRAMMAR_COUNT; g++)
		if (!(dispatch[g] = eval_dispatch_new(grammar_ts_language((enum grammar)g))))
			abort();
	env = (struct analysis_env){ts_parser_new(), queries, &local_modules, dispatch};
	sink = fopen("/dev/null", "w");
	if (!env.parser || !sink)
		abort();
}

static void free_result(struct file_result *fr)
{
	vec_free(&fr->sites);
	vec_free(&fr->edges);
	vec_free(&fr->calls);
	vec_free(&fr->exports);
	vec_free(&fr->functions);
	vec_free(&fr->urls);
	arena_free(fr->arena);
}

/* Policy and writers over what the file gave, as scan does. */
static void finish_report(struct report *r)
{
	struct policy p;
	struct report_options o = {.command = "scan", .verbose = true, .fail_on = SEV_HIGH};

	policy_init(&p);
	policy_apply(&p, r, "2026-01-01");
	policy_free(&p);
	report_finish(r);
	report_write(sink, r, FMT_JSON, &o);
	report_write(sink, r, FMT_TEXT, &o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct file_result fr = {.rel = "fuzz.src", .grammar = FUZZ_GRAMMAR};
	struct file_result *one = &fr;
	struct report *r = report_new();
	char why[256] = "";
	/* an exact-size copy, so that a read past the end is caught */
	char *src = malloc(size ? size : 1);

	if (!env.parser)
		setup();
	fr.arena = arena_new();
	if (!r || !src || !fr.arena)
		goto out;
	memcpy(src, data, size);
	if (analyze_source(&env, FUZZ_GRAMMAR, src, size, &fr, why, sizeof why) != ANALYZE_OK)
		goto out;
	if (link_results(&one, 1) != 0)
		goto out;
	for (size_t k = 0; k < fr.sites.len; k++)
		emit_call_site(r, &fr, &fr.sites.items[k]);
	emit_url_strings(r, &fr);
	finish_report(r);
out:
	free_result(&fr);
	report_free(r);
	free(src);
	return 0;
}
