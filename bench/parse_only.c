/* The floor for bench/run.sh: read and parse every listed file with tree-sitter, and nothing else. */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <tree_sitter/api.h>

#include "analyzer/lang.h"

#define MAX_FILES 1000000
#define MAX_LINE 4096
#define MAX_FILE_BYTES ((size_t)32 << 20)   /* mcpaudit refuses larger files: so do we */
#define MAX_JOBS 256

struct file_list {
	char **paths;
	size_t len, cap;
};

/* Shared by the workers: the next file to take, and what they did. */
struct parse_run {
	const struct file_list *files;
	atomic_size_t next;
	atomic_ullong bytes;
	atomic_uint parsed, failed;
};

static void usage(void)
{
	fprintf(stderr, "usage: bench_parse_only [--jobs N] LIST-FILE\n"
			"Parses every file named in LIST-FILE (one path a line) with the grammar\n"
			"mcpaudit would choose, on N threads, and prints the time taken.\n");
}

static int list_push(struct file_list *l, const char *line, size_t n)
{
	char *copy;

	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 1024;
		char **p = realloc(l->paths, cap * sizeof *p);

		if (!p)
			return -1;
		l->paths = p;
		l->cap = cap;
	}
	copy = malloc(n + 1);
	if (!copy)
		return -1;
	memcpy(copy, line, n);
	copy[n] = '\0';
	l->paths[l->len++] = copy;
	return 0;
}

/* Read the list: one path a line, at most MAX_FILES lines of MAX_LINE bytes.
 * Returns 0, or -1 with a message printed. */
static int list_read(const char *name, struct file_list *l)
{
	char line[MAX_LINE];
	FILE *f = fopen(name, "r");
	int rc = -1;

	if (!f) {
		fprintf(stderr, "bench_parse_only: %s: %s\n", name, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f)) {
		size_t n = strcspn(line, "\n");

		if (line[n] != '\n' && !feof(f)) {
			fprintf(stderr, "bench_parse_only: %s: a line longer than %d bytes\n", name, MAX_LINE);
			goto out;
		}
		if (n == 0)
			continue;
		if (l->len >= MAX_FILES) {
			fprintf(stderr, "bench_parse_only: %s: more than %d files\n", name, MAX_FILES);
			goto out;
		}
		if (list_push(l, line, n) != 0) {
			fprintf(stderr, "bench_parse_only: out of memory\n");
			goto out;
		}
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}

static void list_free(struct file_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		free(l->paths[i]);
	free(l->paths);
}

/* The whole file, or NULL (too large, unreadable). Caller frees. */
static char *slurp(const char *path, size_t *len)
{
	struct stat st;
	char *buf = NULL;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_FILE_BYTES)
		goto out;
	buf = malloc((size_t)st.st_size + 1);
	if (buf) {
		*len = fread(buf, 1, (size_t)st.st_size, f);
		buf[*len] = '\0';
	}
out:
	fclose(f);
	return buf;
}

static bool parse_one(TSParser *parser, const char *path, size_t *bytes)
{
	enum grammar g;
	size_t len = 0;
	char *src;
	TSTree *tree;

	if (!lang_for_path(path, &g) || !ts_parser_set_language(parser, grammar_ts_language(g)))
		return false;
	src = slurp(path, &len);
	if (!src)
		return false;
	tree = ts_parser_parse_string(parser, NULL, src, (uint32_t)len);
	free(src);
	if (!tree)
		return false;
	ts_tree_delete(tree);
	*bytes = len;
	return true;
}

static void *worker(void *arg)
{
	struct parse_run *run = arg;
	TSParser *parser = ts_parser_new();

	for (;;) {
		size_t i = atomic_fetch_add(&run->next, 1), bytes = 0;

		if (i >= run->files->len)
			break;
		if (parser && parse_one(parser, run->files->paths[i], &bytes)) {
			atomic_fetch_add(&run->parsed, 1);
			atomic_fetch_add(&run->bytes, bytes);
		} else {
			atomic_fetch_add(&run->failed, 1);
		}
	}
	ts_parser_delete(parser);
	return NULL;
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (unsigned)n;
}

static bool parse_jobs(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || end == s || v == 0 || v > MAX_JOBS)
		return false;
	*out = (unsigned)v;
	return true;
}

/* Run the workers; returns the seconds they took, or -1 when a thread could not start. */
static double run_workers(struct parse_run *run, unsigned jobs)
{
	pthread_t threads[MAX_JOBS];
	struct timespec t0, t1;
	unsigned started = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (started < jobs && pthread_create(&threads[started], NULL, worker, run) == 0)
		started++;
	for (unsigned i = 0; i < started; i++)
		pthread_join(threads[i], NULL);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (started == 0)
		return -1;
	return (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
	struct file_list files = {0};
	struct parse_run run = {.files = &files};
	unsigned jobs = default_jobs();
	const char *list = NULL;
	double secs;
	int rc = 2;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--jobs") == 0 && i + 1 < argc && parse_jobs(argv[i + 1], &jobs))
			i++;
		else if (argv[i][0] != '-' && !list)
			list = argv[i];
		else
			return usage(), 2;
	}
	if (!list)
		return usage(), 2;
	if (list_read(list, &files) != 0)
		goto out;
	secs = run_workers(&run, jobs);
	if (secs < 0) {
		fprintf(stderr, "bench_parse_only: no thread could be started\n");
		goto out;
	}
	printf("parsed %u files (%llu bytes) in %.3f s with %u threads; %u not parsed\n",
	       atomic_load(&run.parsed), atomic_load(&run.bytes), secs, jobs, atomic_load(&run.failed));
	rc = atomic_load(&run.failed) ? 1 : 0;
out:
	list_free(&files);
	return rc;
}
