/* The static stage: walk -> read -> parse and match (on all cores) -> link -> endpoints + findings. */
#include "analyzer/static_stage.h"

#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "analyzer/analyze.h"
#include "analyzer/bound_report.h"
#include "analyzer/emit.h"
#include "analyzer/eval.h"
#include "analyzer/lang.h"
#include "analyzer/link.h"
#include "analyzer/prefilter.h"
#include "analyzer/summary.h"
#include "analyzer/summary_cache.h"
#include "analyzer/walk.h"
#include "analyzer/wide.h"
#include "core/strbuf.h"
#include "core/progress.h"
#include "core/term.h"

#define MAX_SOURCE_BYTES ((size_t)32 << 20)
#define TRIM_AFTER_BYTES (64 << 10)

/* One file's outcome, filled by a worker, read by the main thread after the join. */
struct file_job {
	const struct source_file *src;
	const char *rel;            /* as reported (prefixed when several paths were given) */
	struct file_result result;
	char why[256];              /* why it could not be analysed, when failed */
	bool failed;
	unsigned bad_utf8_line;
	off_t size;                 /* for scheduling: largest first */
	struct dep_package *dep;    /* the installed npm package it belongs to, or NULL */
	bool first;                 /* analysed before the rest: its package is summarised from it */
};

/* An installed npm package among the files, for its summary (analyzer/summary.h). */
struct dep_package {
	const char *name;           /* borrowed from the walk */
	char dir[4096];             /* ".../node_modules/NAME" */
	struct package_id id;
	bool known;                 /* identified: name, version and integrity */
	bool cached;                /* its summaries were read from the cache */
	struct dep_package *next;
};

struct pool {
	struct file_job *jobs;
	size_t njobs;
	atomic_size_t next;
	const struct query_set *queries;
	struct name_table *local_modules;
	struct eval_dispatch *const *dispatch;
	const struct summary_set *summaries;
	const struct prefilter *prefilter;
	bool verbose;
	struct progress *progress;
	atomic_size_t done;
};

static void analyse_job(struct analysis_env *env, struct file_job *job)
{
	size_t len = 0;
	char *src = source_read(job->src->path, MAX_SOURCE_BYTES, &len, &job->bad_utf8_line, job->why,
				sizeof job->why);

	if (!src) {
		job->failed = true;
		return;
	}
	job->result.arena = arena_new();
	job->result.rel = job->rel;
	job->result.package = job->src->package;
	job->result.grammar = job->src->grammar;
	if (!job->result.arena ||
	    analyze_source(env, job->src->grammar, src, len, &job->result, job->why, sizeof job->why) != ANALYZE_OK) {
		if (!job->why[0])
			snprintf(job->why, sizeof job->why, "out of memory");
		job->failed = true;
	}
	free(src);
}

static void show_progress(struct pool *p)
{
	size_t done = atomic_fetch_add(&p->done, 1) + 1;
	double s = progress_elapsed(p->progress);

	progress_set(p->progress, "mcpaudit: scan: %zu/%zu files, %.0f files/s", done, p->njobs,
		     s > 0 ? (double)done / s : 0.0);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	struct analysis_env env = {ts_parser_new(), p->queries, p->local_modules, p->dispatch, p->summaries,
				   p->prefilter};
	size_t i;

	if (!env.parser)
		return NULL;
	while ((i = atomic_fetch_add(&p->next, 1)) < p->njobs) {
		analyse_job(&env, &p->jobs[i]);
		/* a large file's parse stack and tree are freed but stay mapped: hand them back so
		 * the peak is one file's worth, not the sum of the largest ones */
		if (p->jobs[i].size > TRIM_AFTER_BYTES)
			malloc_trim(0);
		if (p->verbose)
			term_printf(stderr, "mcpaudit: [%zu/%zu] %s\n", i + 1, p->njobs, p->jobs[i].rel);
		show_progress(p);
	}
	ts_parser_delete(env.parser);
	return NULL;
}

static unsigned worker_count(unsigned jobs, size_t files)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	unsigned n = jobs ? jobs : (unsigned)(cores > 0 ? cores : 1);

	if (n > files)
		n = (unsigned)files;
	return n ? n : 1;
}

static void run_pool(struct pool *p, unsigned jobs)
{
	pthread_t threads[256];
	unsigned n = worker_count(jobs, p->njobs), started = 0;

	atomic_init(&p->next, 0);
	atomic_init(&p->done, 0);
	for (unsigned i = 1; i < n && i < 256; i++)
		if (pthread_create(&threads[started], NULL, worker, p) == 0)
			started++;
	worker(p);  /* the main thread works too */
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
}

/* Compile the queries of every grammar some file needs (compiling costs tens of
 * milliseconds a grammar). With a query folder for rule development, all of them, so a
 * broken query is reported even when no file of its language is scanned. */
static int load_queries(struct query_set qs[GRAMMAR_COUNT], const struct file_job *jobs, size_t n,
			const char *dir, char *err, size_t errlen)
{
	bool used[GRAMMAR_COUNT] = {false};

	for (size_t i = 0; i < n; i++)
		used[jobs[i].src->grammar] = true;
	memset(qs, 0, sizeof(struct query_set) * GRAMMAR_COUNT);
	for (int g = 0; g < GRAMMAR_COUNT; g++) {
		if (!used[g] && !dir)
			continue;
		if (query_set_load(&qs[g], (enum grammar)g, dir, err, errlen) != 0) {
			for (int k = 0; k < g; k++)
				query_set_free(&qs[k]);
			return -1;
		}
	}
	return 0;
}

/* Dependencies to summarise first; then largest files first, so no thread is left with a
 * big one at the end. */
static int cmp_job_size(const void *a, const void *b)
{
	const struct file_job *x = a, *y = b;

	if (x->first != y->first)
		return x->first ? -1 : 1;

	if (x->size != y->size)
		return x->size < y->size ? 1 : -1;
	return strcmp(x->rel, y->rel);
}

/* ---- dependency summaries: packages first, then the code that calls them ---- */

/* The folder of the npm package a dependency's file is in (".../node_modules/NAME" of
 * its path), into out; false for a file in no node_modules (Python's site-packages). */
static bool package_dir(const struct source_file *src, char *out, size_t cap)
{
	char needle[300];
	const char *at = NULL, *p = src->path;

	snprintf(needle, sizeof needle, "node_modules/%s/", src->package);
	while ((p = strstr(p, needle)))
		at = p++;
	if (!at)
		return false;
	snprintf(out, cap, "%.*s", (int)(at - src->path + strlen(needle) - 1), src->path);
	return true;
}

static struct dep_package *package_of(struct dep_package **list, const struct source_file *src)
{
	char dir[4096];
	struct dep_package *d;

	if (!src->package || !package_dir(src, dir, sizeof dir))
		return NULL;
	for (d = *list; d; d = d->next)
		if (!strcmp(d->dir, dir))
			return d;
	if (!(d = calloc(1, sizeof *d)))
		return NULL;
	d->name = src->package;
	snprintf(d->dir, sizeof d->dir, "%s", dir);
	d->next = *list;
	*list = d;
	return d;
}

/* Identify a package and read its cached summaries; a package that cannot be identified is
 * not summarised, and the report says so. */
static void identify_package(struct dep_package *d, const struct file_job *jobs, size_t n, const char *cache,
			     struct summary_locks *locks, struct summary_set *sums, struct report *r)
{
	const char **paths = calloc(n ? n : 1, sizeof *paths);
	size_t k = 0;
	char why[512];

	for (size_t i = 0; paths && i < n; i++)
		if (jobs[i].dep == d)
			paths[k++] = jobs[i].src->path;
	if (!paths || summary_cache_identify_in(locks, d->dir, d->name, paths, k, &d->id, why, sizeof why) != 0) {
		report_add_incomplete(r, d->dir, "dependency %s not summarised: %s", d->name,
				      paths ? why : "out of memory");
	} else {
		d->known = true;
		d->cached = cache && summary_cache_load(cache, &d->id, sums) == 1;
	}
	free(paths);
}

/* Group the dependencies' files by package, read what the cache holds, and mark the files
 * of every other package to be analysed first. Returns how many are. */
static size_t plan_dependencies(struct file_job *jobs, size_t n, struct dep_package **list, const char *cache,
				struct summary_set *sums, struct report *r)
{
	size_t first = 0;
	struct summary_locks locks = {0};

	for (size_t i = 0; i < n; i++)
		jobs[i].dep = package_of(list, jobs[i].src);
	for (struct dep_package *d = *list; d; d = d->next)
		identify_package(d, jobs, n, cache, &locks, sums, r);
	summary_locks_free(&locks);
	for (size_t i = 0; i < n; i++)
		if ((jobs[i].first = jobs[i].dep && jobs[i].dep->known && !jobs[i].dep->cached))
			first++;
	return first;
}

/* Summarise each package analysed first from its files, and keep it in the cache. */
static int summarise_packages(struct dep_package *list, struct file_job *jobs, size_t n, const char *cache,
			      struct summary_set *sums, bool verbose)
{
	struct file_result **files = calloc(n ? n : 1, sizeof *files);

	if (!files)
		return -1;
	for (struct dep_package *d = list; d; d = d->next) {
		size_t k = 0;
		char why[512];
		if (!d->known || d->cached)
			continue;
		for (size_t i = 0; i < n; i++)
			if (jobs[i].dep == d && !jobs[i].failed)
				files[k++] = &jobs[i].result;
		if (summary_derive(sums, d->id.name, d->id.version, files, k) < 0) {
			free(files);
			return -1;
		}
		/* a cache that cannot be written costs time on the next run, nothing else */
		if (cache && summary_cache_store(cache, &d->id, sums, why, sizeof why) != 0 && verbose)
			term_printf(stderr, "mcpaudit: summary cache: %s\n", why);
	}
	free(files);
	summary_set_seal(sums);
	return 0;
}

static void free_packages(struct dep_package *list)
{
	while (list) {
		struct dep_package *next = list->next;
		free(list);
		list = next;
	}
}

/* Module keys of every file, so `from config import X` can tell our config from a package. */
static void index_modules(struct name_table *t, struct arena *a, struct file_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char key[1024];
		snprintf(key, sizeof key, "%s", jobs[i].rel);
		key[strlen(key) - lang_suffix_len(key)] = '\0';
		size_t kl = strlen(key);
		if (kl > 9 && strcmp(key + kl - 9, "/__init__") == 0)
			key[kl - 9] = '\0';
		name_table_put(t, a, key);
	}
}

/* The budgets and caps that cut a file's analysis short, each with its figure. */
static void report_limits(struct report *r, const struct file_job *job)
{
	const struct file_result *fr = &job->result;

	if (fr->query_ceiling_ms)
		report_add_incomplete(r, job->rel,
				      "the query budget's time ceiling (%.1f s of CPU time) was reached at line %u: calls after "
				      "it were not matched", fr->query_ceiling_ms / 1000.0, fr->query_stop_line);
	else if (fr->query_budget)
		report_add_incomplete(r, job->rel,
				      "the query budget (%llu units of work) ran out at line %u: calls after it were not matched",
				      (unsigned long long)fr->query_budget, fr->query_stop_line);
	if (fr->wide_nodes)
		report_add_incomplete(r, job->rel,
				      "%u wide node%s (the first at line %u, a run of %u tokens) left out of query "
				      "matching, past the wide-node cost cap of %llu steps: calls directly around %s were not matched",
				      fr->wide_nodes, fr->wide_nodes == 1 ? "" : "s", fr->wide_line, fr->wide_run,
				      (unsigned long long)WIDE_COST, fr->wide_nodes == 1 ? "it" : "them");
	if (fr->pieces_capped)
		report_add_incomplete(r, job->rel,
				      "more than %u pieces around wide nodes: the rest of the file was not matched",
				      WIDE_MAX_PIECES);
	if (fr->memory_cap)
		report_add_incomplete(r, job->rel,
				      "the evaluator's memory cap (%zu %s per arena) was reached: some destinations are "
				      "unresolved or missing", fr->memory_cap >> (fr->memory_cap >= (1u << 20) ? 20 : 10),
				      fr->memory_cap >= (1u << 20) ? "MiB" : "KiB");
}

static void report_job(struct report *r, const struct file_job *job)
{
	struct finding *f;

	if (job->failed) {
		r->files_skipped++;
		report_add_incomplete(r, job->rel, "not analysed: %s", job->why);
		f = report_add_finding(r, "unparsed-file", NULL, job->rel, 0, "%s could not be analysed: %s",
				       job->rel, job->why);
		if (f)
			f->package = xstrdup(job->src->package);
		return;
	}
	r->files_parsed++;
	r->languages |= 1u << grammar_language(job->src->grammar);
	if (job->bad_utf8_line)
		report_add_incomplete(r, job->rel, "invalid UTF-8 at line %u: analysed as far as it parses",
				      job->bad_utf8_line);
	if (job->result.error_count) {
		report_add_incomplete(r, job->rel,
				      "%u syntax error%s, the first at line %u: analysed as far as it parses",
				      job->result.error_count, job->result.error_count == 1 ? "" : "s",
				      job->result.error_line);
		f = report_add_finding(r, "unparsed-file", NULL, job->rel, job->result.error_line,
				       "%s has %u syntax error%s (first at line %u); code there was not analysed",
				       job->rel, job->result.error_count, job->result.error_count == 1 ? "" : "s",
				       job->result.error_line);
		if (f)
			f->package = xstrdup(job->src->package);
	}
	if (job->result.too_deep)
		report_add_incomplete(r, job->rel,
				      "nesting deeper than 1000 levels: calls below that depth were not matched");
	if (job->result.budget_spent)
		report_add_incomplete(r, job->rel,
				      "the resolver's budget for this file ran out: later destinations are only partly resolved");
	if (job->result.matches_dropped)
		report_add_incomplete(r, job->rel,
				      "the query engine's match limit was reached: some call sites may be missing");
	report_limits(r, job);
}

/* A resolver bound is hit now and then in ordinary code, on a value no call needs; only one
 * that reached a call site's destination (analyzer/bounds.h: the bits travel with the value)
 * makes the file incomplete, named with the site and the bound: what it dropped may be the
 * host itself or a host beside the ones found. */
static void emit_file(struct report *r, struct bound_tally *t, struct bound_hits *h, const struct file_result *fr)
{
	const struct call_site *limited = NULL;

	for (size_t k = 0; k < fr->sites.len; k++) {
		const struct call_site *s = &fr->sites.items[k];
		bool cut = emit_call_site(r, fr, s);
		unsigned bits = emit_site_bounds(s);
		if (cut && !bits && !limited)
			limited = s;
		if (bits && bound_hits_add(h, s->line, s->api, bits) != 0)
			report_add_incomplete(r, fr->rel, "out of memory while listing the bounds hit");
	}
	bound_hits_report(r, t, fr->rel, h);
	if (limited)  /* cut short by what names no bound (the memory cap) */
		report_add_incomplete(r, fr->rel, "a resolver bound was hit: the destination of %s at line %u "
				      "is only partly known", limited->api, limited->line);
}

static void free_jobs(struct file_job *jobs, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		vec_free(&jobs[i].result.sites);
		vec_free(&jobs[i].result.edges);
		vec_free(&jobs[i].result.calls);
		vec_free(&jobs[i].result.exports);
		vec_free(&jobs[i].result.stores);
		vec_free(&jobs[i].result.functions);
		vec_free(&jobs[i].result.urls);
		arena_free(jobs[i].result.arena);
		free((char *)jobs[i].rel);
	}
	free(jobs);
}

/* Walk every path; jobs point into walks, which must outlive them. */
static int collect_files(const struct scan_options *o, struct walk_result *walks, struct report *r,
			 struct file_job **out, size_t *nout, char *err, size_t errlen)
{
	size_t total = 0, k = 0;
	struct file_job *jobs;

	for (size_t i = 0; i < o->npaths; i++) {
		if (walk_path(o->paths[i], o->include_deps, &walks[i], r, err, errlen) != 0)
			return -1;
		total += walks[i].files.len;
		r->deps_skipped += walks[i].deps_skipped;
	}
	jobs = calloc(total ? total : 1, sizeof *jobs);
	if (!jobs) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < o->npaths; i++) {
		for (size_t f = 0; f < walks[i].files.len; f++, k++) {
			jobs[k].src = &walks[i].files.items[f];
			jobs[k].rel = o->npaths > 1 ? xasprintf("%s/%s", walks[i].root, jobs[k].src->rel)
						    : xstrdup(jobs[k].src->rel);
			jobs[k].size = (off_t)jobs[k].src->size;  /* the walk's stat: no second one */
		}
	}
	r->root = xstrdup(o->npaths == 1 ? walks[0].root : ".");
	r->include_deps = o->include_deps;
	*out = jobs;
	*nout = total;
	return 0;
}

int static_stage_run(const struct scan_options *o, struct report *r, char *err, size_t errlen)
{
	struct query_set qs[GRAMMAR_COUNT];
	struct walk_result *walks = calloc(o->npaths ? o->npaths : 1, sizeof *walks);
	struct file_job *jobs = NULL;
	struct file_result **results = NULL;
	struct name_table modules = {0};
	struct arena *names = arena_new();
	struct pool pool = {0};
	struct progress *prog = NULL;
	struct eval_dispatch *dispatch[GRAMMAR_COUNT] = {NULL};
	struct summary_set *sums = summary_set_new();
	struct dep_package *deps = NULL;
	struct bound_hits hits = {0};
	struct bound_tally tally = {0};
	struct prefilter *filter = NULL;
	char cache_buf[4096];
	const char *cache = summary_cache_dir(cache_buf, sizeof cache_buf) ? cache_buf : NULL;
	size_t njobs = 0, nresults = 0, nfirst;
	int rc = -1;

	memset(qs, 0, sizeof qs);
	if (!walks || !names || !sums) {
		free(walks);
		arena_free(names);
		summary_set_free(sums);
		return -1;
	}
	if (collect_files(o, walks, r, &jobs, &njobs, err, errlen) != 0 ||
	    load_queries(qs, jobs, njobs, o->queries_dir, err, errlen) != 0)
		goto out;
	r->files_found = (unsigned)njobs + r->files_skipped;
	index_modules(&modules, names, jobs, njobs);
	nfirst = plan_dependencies(jobs, njobs, &deps, cache, sums, r);
	if (njobs > 1)
		qsort(jobs, njobs, sizeof *jobs, cmp_job_size);
	for (int g = 0; g < GRAMMAR_COUNT; g++)
		if (!(dispatch[g] = eval_dispatch_new(grammar_ts_language((enum grammar)g))))
			goto out;
	/* the dependencies not in the summary cache first: the server's calls of them are
	 * read with their summaries */
	prog = progress_new(stderr, o->progress);
	filter = prefilter_new(qs, NULL);
	pool = (struct pool){jobs, nfirst, 0, qs, &modules, dispatch, NULL, filter, o->verbose, prog, 0};
	run_pool(&pool, o->jobs);
	if (summarise_packages(deps, jobs, nfirst, cache, sums, o->verbose) != 0)
		goto out;
	/* the summaries' names are trigger words from here on */
	prefilter_free(filter);
	filter = prefilter_new(qs, sums);
	pool = (struct pool){jobs + nfirst, njobs - nfirst, 0, qs, &modules, dispatch, sums, filter, o->verbose, prog, 0};
	run_pool(&pool, o->jobs);
	progress_end(prog);
	prog = NULL;
	results = calloc(njobs ? njobs : 1, sizeof *results);
	if (!results)
		goto out;
	for (size_t i = 0; i < njobs; i++) {
		report_job(r, &jobs[i]);
		if (!jobs[i].failed)
			results[nresults++] = &jobs[i].result;
	}
	if (r->files_parsed == 0) {
		if (njobs == 0 && !r->files_skipped)
			snprintf(err, errlen, "no JavaScript, TypeScript or Python source files found in %s",
				 o->npaths ? o->paths[0] : "");
		else
			snprintf(err, errlen, "no source file could be analysed (%u skipped)", r->files_skipped);
		for (size_t i = 0; i < r->incomplete.len; i++)
			term_printf(stderr, "mcpaudit: %s: %s\n", r->incomplete.items[i].file ? r->incomplete.items[i].file : "",
				r->incomplete.items[i].reason);
		goto out;
	}
	if (link_results(results, nresults) != 0) {
		snprintf(err, errlen, "out of memory while linking modules");
		goto out;
	}
	for (size_t i = 0; i < nresults; i++)
		emit_file(r, &tally, &hits, results[i]);
	bound_tally_finish(r, &tally);
	for (size_t i = 0; i < nresults; i++)
		emit_url_strings(r, results[i]);
	rc = 0;
out:
	progress_end(prog);
	bound_hits_free(&hits);
	free(results);
	if (jobs)
		free_jobs(jobs, njobs);
	for (size_t i = 0; i < o->npaths; i++)
		walk_result_free(&walks[i]);
	free(walks);
	for (size_t i = 0; i < modules.cap; i++) {
		vec_free(&modules.slots[i].nodes);
		vec_free(&modules.slots[i].decls);
	}
	free(modules.slots);
	arena_free(names);
	free_packages(deps);
	prefilter_free(filter);
	summary_set_free(sums);
	for (int g = 0; g < GRAMMAR_COUNT; g++) {
		query_set_free(&qs[g]);
		eval_dispatch_free(dispatch[g]);
	}
	return rc;
}
