/* `mcpaudit batch`: many audits, one child process each, one summary line per target (docs/batch.md). */
#include "cli/batch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "cli/help.h"
#include "cli/options.h"
#include "core/policy.h"
#include "core/report_format.h"
#include "core/rules.h"
#include "core/strbuf.h"
#include "core/vec.h"
#include "core/term.h"

/* Documented exit codes (docs/batch.md); when several apply, the highest wins. */
enum batch_exit { BATCH_OK = 0, BATCH_FAILED = 1, BATCH_ERROR = 2 };

/* Caps: everything read from LIST, from the summary and from the children's files is bounded. */
#define MAX_TARGET_LEN 4096             /* one LIST line */
#define MAX_TARGETS 1000000
#define MAX_JOBS 64
#define MAX_SHARDS 100000
#define MAX_TARGET_TIMEOUT 604800       /* a week */
#define MAX_SUMMARY_LINE (1u << 20)     /* a longer summary.jsonl line is not ours: ignored */
#define MAX_REPORT_BYTES ((size_t)64 << 20)
#define STDERR_TAIL 4096                /* bytes at the end of stderr.log searched for its last line */
#define MAX_REASON 400                  /* an error reason in the summary */
#define SLUG_READABLE 64                /* readable characters of a slug, before its hash */
#define DEFAULT_TARGET_TIMEOUT 900
#define KILL_GRACE_SECONDS 10           /* after the SIGTERM, the SIGKILL */
#define TICK_MS 1000                    /* how often timeouts and the terminal's progress line are seen to */

/* The running binary, whatever its path or name: a batch never mixes two versions. */
static const char self_exe[] = "/proc/self/exe";

/* What `audit --output-dir` writes. Removed before a target runs again, so an attempt that
 * fails early cannot leave an earlier attempt's report to be read as its own. */
static const char *const report_files[] = {"report.json", "report.txt", "report.sarif", "report.md",
					   "report.html", NULL};

/* ---- Options ---- */

/* The audit options batch hands to every child (those of the option table that both batch
 * and audit take) are checked here as far as they can be: a typo should stop the batch at
 * once, not fail ten thousand audits one by one. A check returns true when arg is good;
 * else false with the reason in err. Options not listed here take anything. */
static bool check_policy(const char *arg, char *err, size_t errlen);
static bool check_allow(const char *arg, char *err, size_t errlen);
static bool check_seconds(const char *arg, char *err, size_t errlen);

static const struct {
	int id;
	bool (*check)(const char *arg, char *err, size_t errlen);
} pass_checks[] = {
	{'p', check_policy},
	{'a', check_allow},
	{OPT_TIMEOUT, check_seconds},
	{OPT_QUIET_PERIOD, check_seconds},
};

struct options {
	const char *list;
	const char *out;
	unsigned jobs;
	unsigned target_timeout;
	unsigned shard_index, shard_count;   /* shard_count 0: the whole list */
	VEC(char *) pass;                    /* "--name[=value]" for every child; owned */
};

/* ---- Targets and the run ---- */

/* Where a target stands: first from an earlier run's last summary line, then from this run. */
enum standing { ST_NEW, ST_PASS, ST_REVIEW, ST_FAIL, ST_ERROR };

/* The verdicts as the report and the summary spell them, by standing. */
static const char *const standing_names[] = {NULL, "pass", "review", "fail", NULL};

struct target {
	char *name;              /* the LIST line, trimmed */
	char *slug;              /* its folder under DIR/reports */
	size_t position;         /* in the list without repeats: what --shard divides */
	enum standing standing;
};

/* How one audit ended. */
struct outcome {
	int exit_code;           /* -1 when it did not exit by itself */
	int signal;              /* the signal that ended it, else 0 */
	bool timed_out;
	double seconds;
	const char *failure;     /* it could not even start: why; else NULL */
};

struct child {
	pid_t pid;               /* also the id of its process group */
	struct target *target;
	double started;          /* monotonic seconds */
	bool timed_out;          /* its group has had the SIGTERM of the timeout */
	double term_sent;        /* when */
};

struct tally {
	size_t total;                          /* targets in this shard */
	size_t ran;                            /* finished in this run */
	size_t by_standing[ST_ERROR + 1];      /* this shard's targets with a line, by standing */
	double started;
};

struct batch {
	struct options opt;
	VEC(struct target) targets;            /* the list in order, without repeats */
	VEC(struct target *) by_name;          /* the same sorted by name, for the summary's look-ups */
	VEC(struct target *) queue;            /* this shard's targets without a verdict, in list order */
	size_t next;                           /* queue items started so far */
	VEC(struct child) running;
	char *reports_dir, *summary_path;
	int summary_fd, devnull_fd;
	struct tally tally;
	bool tty;                              /* stderr is a terminal: progress rewritten in place */
	bool progress_shown;                   /* a progress line is on the terminal now */
	const struct target *last;             /* the target finished last, for the progress line */
	sigset_t watched, old_mask;
	int stop_signal;                       /* SIGINT, SIGTERM or SIGHUP came: stopping */
	bool write_failed;                     /* a summary line could not be written */
};

static void say(struct batch *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct batch *b, const char *fmt, ...)
{
	va_list ap;

	if (b->progress_shown) {
		term_status_clear(stderr);
		b->progress_shown = false;
	}
	fputs("mcpaudit batch: ", stderr);
	va_start(ap, fmt);
	term_vprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("mcpaudit batch: ", stderr);
	va_start(ap, fmt);
	term_vprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'mcpaudit batch --help'.\n", stderr);
	return BATCH_ERROR;
}

static double now_seconds(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A whole number from min to max, digits only (strtoul alone takes " -1"). */
static bool parse_uint(const char *s, unsigned long min, unsigned long max, unsigned *out)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = (unsigned)v;
	return true;
}

static bool check_policy(const char *arg, char *err, size_t errlen)
{
	struct policy p;
	bool ok;

	policy_init(&p);
	ok = policy_load_file(&p, arg, err, errlen) == 0;
	policy_free(&p);
	return ok;
}

static bool check_allow(const char *arg, char *err, size_t errlen)
{
	struct policy p;
	bool ok;

	policy_init(&p);
	ok = policy_add_allow(&p, arg, "--allow", err, errlen) == 0;
	policy_free(&p);
	return ok;
}

static bool check_seconds(const char *arg, char *err, size_t errlen)
{
	unsigned s;

	if (parse_uint(arg, 1, 86400, &s))
		return true;
	snprintf(err, errlen, "wants seconds from 1 to 86400, not '%s'", arg);
	return false;
}

/* "I/N", or "N" alone with I from JOB_COMPLETION_INDEX, which Kubernetes sets in each pod
 * of an Indexed Job. I counts from 0, as that variable does. */
static bool parse_shard(const char *s, struct options *o)
{
	const char *slash = strchr(s, '/');
	const char *index_text = getenv("JOB_COMPLETION_INDEX");
	const char *count_text = slash ? slash + 1 : s;
	char digits[16];

	if (slash) {
		size_t n = (size_t)(slash - s);
		if (n == 0 || n >= sizeof digits)
			return false;
		memcpy(digits, s, n);
		digits[n] = '\0';
		index_text = digits;
	} else if (!index_text) {
		fprintf(stderr, "mcpaudit batch: '--shard %s' takes I from JOB_COMPLETION_INDEX, "
			"which is not set\n", s);
		return false;
	}
	return parse_uint(count_text, 1, MAX_SHARDS, &o->shard_count) &&
	       parse_uint(index_text, 0, MAX_SHARDS - 1, &o->shard_index) &&
	       o->shard_index < o->shard_count;
}

/* Hands o on to every child as "--name" or "--name=value". Returns -1 to go on, or an exit code. */
static int pass_through(struct options *o, const struct cli_option *opt)
{
	char err[1024] = "";
	char *arg;

	for (size_t i = 0; i < sizeof pass_checks / sizeof pass_checks[0]; i++)
		if (pass_checks[i].id == opt->id && !pass_checks[i].check(optarg, err, sizeof err))
			return usage_error("--%s: %s", opt->name, err);
	arg = opt->arg ? xasprintf("--%s=%s", opt->name, optarg) : xasprintf("--%s", opt->name);
	if (!arg || vec_push(&o->pass, arg) != 0) {
		free(arg);
		return usage_error("%s", "out of memory");
	}
	return -1;
}

/* Returns -1 to go on, or an exit code (--help, a usage error). */
static int parse_option(struct options *o, const struct cli_option *opt)
{
	if ((opt->commands & CLI_BIT(CLI_AUDIT)) && opt->id != 'h')
		return pass_through(o, opt);
	switch (opt->id) {
	case 'o': o->out = optarg; break;
	case 'j':
		if (!parse_uint(optarg, 1, MAX_JOBS, &o->jobs))
			return usage_error("--jobs wants a number from 1 to %d, not '%s'", MAX_JOBS, optarg);
		break;
	case OPT_SHARD:
		if (!parse_shard(optarg, o))
			return usage_error("--shard wants I/N (0 <= I < N <= %d) or N, not '%s'", MAX_SHARDS,
					   optarg);
		break;
	case OPT_TARGET_TIMEOUT:
		if (!parse_uint(optarg, 1, MAX_TARGET_TIMEOUT, &o->target_timeout))
			return usage_error("--target-timeout wants seconds from 1 to %d, not '%s'",
					   MAX_TARGET_TIMEOUT, optarg);
		break;
	case 'h': help_command(stdout, CLI_BATCH); return BATCH_OK;
	}
	return -1;
}

/* Returns -1 to go on, or an exit code. */
static int parse_args(struct options *o, int argc, char **argv)
{
	struct cli_parser p;
	const struct cli_option *opt;
	char err[512];
	int id, rc;

	cli_parser_init(&p, CLI_BATCH);
	optind = 1;
	while ((id = cli_next_option(&p, argc, argv, &opt, err, sizeof err)) != -1) {
		if (id == -2)
			return usage_error("%s", err);
		if ((rc = parse_option(o, opt)) >= 0)
			return rc;
	}
	if (optind >= argc)
		return usage_error("%s", "batch needs a LIST of targets (a file, or - for standard input)");
	if (optind + 1 < argc)
		return usage_error("batch takes one LIST, not also '%s'", argv[optind + 1]);
	if (!o->out)
		return usage_error("%s", "batch needs --out DIR");
	o->list = argv[optind];
	return -1;
}

/* ---- The list ---- */

/* One line, without its '\n', into buf (cap bytes and a NUL). Returns its length; -1 at the
 * end of input; -2 when it is longer than cap or holds a NUL byte (the rest of it is
 * skipped). *newline says whether the line ended with '\n' (a torn last line does not). */
static long read_line(FILE *in, char *buf, size_t cap, bool *newline)
{
	size_t n = 0;
	bool bad = false;
	int c;

	while ((c = getc_unlocked(in)) != EOF && c != '\n') {
		if (c == '\0' || n == cap)
			bad = true;
		else
			buf[n++] = (char)c;
	}
	buf[n] = '\0';
	*newline = c == '\n';
	if (c == EOF && n == 0 && !bad)
		return -1;
	return bad ? -2 : (long)n;
}

/* The line trimmed in place; NULL for a comment or a blank line. */
static char *trim(char *line)
{
	char *end;

	while (*line == ' ' || *line == '\t')
		line++;
	end = line + strlen(line);
	while (end > line && (end[-1] == '\r' || end[-1] == ' ' || end[-1] == '\t'))
		*--end = '\0';
	return *line == '\0' || *line == '#' ? NULL : line;
}

/* Valid UTF-8 without control characters: what a summary line and a terminal carry as is,
 * so the "target" field reads back byte for byte when the batch resumes. */
static bool printable_text(const char *s)
{
	struct strbuf b = STRBUF_INIT(0);
	bool ok;

	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return false;
	ok = report_clean(&b, s, CLEAN_UTF8) == 0 && strcmp(strbuf_str(&b), s) == 0;
	strbuf_free(&b);
	return ok;
}

/* Returns 0, or -1 after saying why. */
static int add_list_line(struct batch *b, char *buf, long len, size_t lineno)
{
	struct target t = {0};
	char *text;

	if (len == -2) {
		say(b, "%s line %zu is longer than %d bytes or holds a NUL byte", b->opt.list, lineno,
		    MAX_TARGET_LEN);
		return -1;
	}
	if (!(text = trim(buf)))
		return 0;
	if (!printable_text(text)) {
		say(b, "%s line %zu is not valid UTF-8 or holds control characters", b->opt.list, lineno);
		return -1;
	}
	if (b->targets.len >= MAX_TARGETS) {
		say(b, "%s has more than %d targets: split it", b->opt.list, MAX_TARGETS);
		return -1;
	}
	t.name = xstrdup(text);
	t.position = b->targets.len;
	if (!t.name || vec_push(&b->targets, t) != 0) {
		free(t.name);
		say(b, "out of memory");
		return -1;
	}
	return 0;
}

static int by_name_then_position(const void *pa, const void *pb)
{
	const struct target *x = *(const struct target *const *)pa, *y = *(const struct target *const *)pb;
	int c = strcmp(x->name, y->name);

	return c ? c : (x->position > y->position) - (x->position < y->position);
}

static int by_name_key(const void *key, const void *elem)
{
	return strcmp((const char *)key, (*(const struct target *const *)elem)->name);
}

/* Rebuild b->by_name from b->targets. Returns 0 or -1. */
static int index_by_name(struct batch *b)
{
	b->by_name.len = 0;
	for (size_t i = 0; i < b->targets.len; i++)
		if (vec_push(&b->by_name, &b->targets.items[i]) != 0)
			return -1;
	if (b->by_name.len)
		qsort(b->by_name.items, b->by_name.len, sizeof *b->by_name.items, by_name_then_position);
	return 0;
}

static struct target *find_target(const struct batch *b, const char *name)
{
	struct target **t;

	if (!b->by_name.len)
		return NULL;
	t = bsearch(name, b->by_name.items, b->by_name.len, sizeof *b->by_name.items, by_name_key);
	return t ? *t : NULL;
}

/* Keep the first of each repeated target, in list order: positions (what --shard divides)
 * are counted without repeats, so every shard agrees on them. Returns 0 or -1. */
static int drop_repeats(struct batch *b)
{
	size_t kept = 0;

	if (index_by_name(b) != 0)
		return -1;
	for (size_t i = 1; i < b->by_name.len; i++)
		if (strcmp(b->by_name.items[i]->name, b->by_name.items[i - 1]->name) == 0)
			b->by_name.items[i]->position = SIZE_MAX;  /* sorted after its first: a repeat */
	for (size_t i = 0; i < b->targets.len; i++) {
		struct target t = b->targets.items[i];
		if (t.position == SIZE_MAX) {
			free(t.name);
			continue;
		}
		t.position = kept;
		b->targets.items[kept++] = t;
	}
	b->targets.len = kept;
	return index_by_name(b);  /* the compaction moved them */
}

/* FNV-1a, 64 bits: not for security, only to tell apart targets that read alike. */
static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ULL;
	}
	return h;
}

static bool slug_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
	       c == '-';
}

/* A folder name for target: its letters, digits, '.' and '-', every other run of bytes
 * as one '_', the last SLUG_READABLE of them (the package name and version are at the
 * end), then '-' and 12 hex digits of a hash of the whole target, so targets that read
 * alike still get folders of their own. Never empty, no '/', never starts with '.', '-'
 * or '_'. Caller frees; NULL when memory runs out. */
static char *make_slug(const char *target)
{
	char readable[MAX_TARGET_LEN + 1];
	const char *start;
	size_t n = 0;

	for (const unsigned char *p = (const unsigned char *)target; *p && n < MAX_TARGET_LEN; p++) {
		if (slug_char(*p))
			readable[n++] = (char)*p;
		else if (n == 0 || readable[n - 1] != '_')
			readable[n++] = '_';
	}
	while (n > 0 && readable[n - 1] == '_')
		n--;
	readable[n] = '\0';
	start = n > SLUG_READABLE ? readable + n - SLUG_READABLE : readable;
	while (*start == '.' || *start == '-' || *start == '_')
		start++;
	return xasprintf("%s-%012llx", *start ? start : "target",
			 (unsigned long long)(fnv1a(target) & 0xffffffffffffULL));
}

/* Read LIST into b->targets, in order, without comments, blank lines and repeats, each with
 * its slug. Returns 0, or -1 after saying why. */
static int read_list(struct batch *b)
{
	bool stdin_list = strcmp(b->opt.list, "-") == 0;
	FILE *in = stdin_list ? stdin : fopen(b->opt.list, "r");
	char *line = malloc(MAX_TARGET_LEN + 1);
	size_t lineno = 0;
	bool newline;
	long len;
	int rc = -1;

	if (!in || !line) {
		say(b, "cannot read %s: %s", b->opt.list, strerror(errno));
		goto out;
	}
	while ((len = read_line(in, line, MAX_TARGET_LEN, &newline)) != -1)
		if (add_list_line(b, line, len, ++lineno) != 0)
			goto out;
	if (ferror(in)) {
		say(b, "cannot read %s: %s", b->opt.list, strerror(errno));
		goto out;
	}
	if (drop_repeats(b) != 0)
		goto out;
	for (size_t i = 0; i < b->targets.len; i++)
		if (!(b->targets.items[i].slug = make_slug(b->targets.items[i].name)))
			goto out;
	rc = 0;
out:
	free(line);
	if (in && !stdin_list)
		fclose(in);
	return rc;
}

/* ---- The output folder and the summary ---- */

static char *path_join(const char *dir, const char *name)
{
	return xasprintf("%s/%s", dir, name);
}

/* mkdir -p. Returns 0, or -1 with errno set. */
static int make_dirs(const char *path)
{
	char *copy = xstrdup(path);
	int rc = 0;

	if (!copy)
		return -1;
	for (char *p = copy + 1; rc == 0 && *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0755) != 0 && errno != EEXIST)
			rc = -1;
		*p = '/';
	}
	if (rc == 0 && mkdir(copy, 0755) != 0 && errno != EEXIST)
		rc = -1;
	free(copy);
	return rc;
}

/* Create DIR and DIR/reports, open the summary for appending and /dev/null for the
 * children. Returns 0, or -1 after saying why. */
static int prepare_out(struct batch *b)
{
	b->reports_dir = path_join(b->opt.out, "reports");
	b->summary_path = path_join(b->opt.out, "summary.jsonl");
	if (!b->reports_dir || !b->summary_path) {
		say(b, "out of memory");
		return -1;
	}
	if (make_dirs(b->reports_dir) != 0) {
		say(b, "cannot create %s: %s", b->reports_dir, strerror(errno));
		return -1;
	}
	b->summary_fd = open(b->summary_path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
	if (b->summary_fd < 0) {
		say(b, "cannot open %s: %s", b->summary_path, strerror(errno));
		return -1;
	}
	b->devnull_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
	if (b->devnull_fd < 0 || access(self_exe, X_OK) != 0) {
		say(b, "cannot set up the children (/dev/null, %s): %s", self_exe, strerror(errno));
		return -1;
	}
	return 0;
}

/* A standing from a verdict's name; ST_NEW when it is not one. */
static enum standing standing_of(const char *verdict)
{
	for (int s = ST_PASS; s <= ST_FAIL; s++)
		if (strcmp(verdict, standing_names[s]) == 0)
			return (enum standing)s;
	return ST_NEW;
}

/* One line of an earlier run. Returns false when it is not a summary record. A later line
 * for the same target replaces the standing an earlier one gave. */
static bool take_summary_line(struct batch *b, const char *text)
{
	cJSON *rec;
	const cJSON *target, *verdict;
	struct target *t;
	bool ok;

	if (text[strspn(text, " \t\r")] == '\0')
		return true;  /* a blank line: the '\n' that ended a torn line, say */
	rec = cJSON_ParseWithOpts(text, NULL, 1);
	target = cJSON_GetObjectItemCaseSensitive(rec, "target");
	verdict = cJSON_GetObjectItemCaseSensitive(rec, "verdict");
	ok = cJSON_IsObject(rec) && cJSON_IsString(target) && (cJSON_IsNull(verdict) || cJSON_IsString(verdict));
	if (ok && (t = find_target(b, target->valuestring))) {
		t->standing = cJSON_IsString(verdict) ? standing_of(verdict->valuestring) : ST_ERROR;
		if (t->standing == ST_NEW)
			t->standing = ST_ERROR;  /* a verdict this version does not know: audit again */
	}
	cJSON_Delete(rec);
	return ok;
}

/* Read what earlier runs wrote to summary.jsonl. A line that is not a record is ignored
 * with a warning; a torn last line (a run killed mid-write) always is, and gets the '\n' it
 * lacks, so the next record starts on a line of its own. Returns 0, or -1 after saying why. */
static int resume(struct batch *b)
{
	FILE *in = fopen(b->summary_path, "r");
	char *line = malloc(MAX_SUMMARY_LINE + 1);
	size_t lineno = 0;
	bool newline, torn = false;
	long len;
	int rc = -1;

	if (!in || !line) {
		say(b, "cannot read %s: %s", b->summary_path, strerror(errno));
		goto out;
	}
	while ((len = read_line(in, line, MAX_SUMMARY_LINE, &newline)) != -1) {
		lineno++;
		torn = !newline;
		if (torn)
			say(b, "%s line %zu is cut off (a run stopped while writing it?): ignored, "
			    "its target runs again", b->summary_path, lineno);
		else if (len == -2 || !take_summary_line(b, line))
			say(b, "%s line %zu is not a summary record: ignored", b->summary_path, lineno);
	}
	if (ferror(in) || (torn && write(b->summary_fd, "\n", 1) != 1)) {
		say(b, "cannot read or mend %s: %s", b->summary_path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(line);
	if (in)
		fclose(in);
	return rc;
}

/* This shard's targets, counted by standing; those without a verdict queue in list order. */
static int select_queue(struct batch *b)
{
	for (size_t i = 0; i < b->targets.len; i++) {
		struct target *t = &b->targets.items[i];
		if (b->opt.shard_count && t->position % b->opt.shard_count != b->opt.shard_index)
			continue;
		b->tally.total++;
		if (t->standing >= ST_PASS && t->standing <= ST_FAIL) {
			b->tally.by_standing[t->standing]++;
			continue;
		}
		t->standing = ST_NEW;
		if (vec_push(&b->queue, t) != 0) {
			say(b, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* ---- Progress ---- */

static size_t done_count(const struct tally *t)
{
	size_t n = 0;

	for (int s = ST_PASS; s <= ST_ERROR; s++)
		n += t->by_standing[s];
	return n;
}

static void put_duration(struct strbuf *line, double seconds)
{
	unsigned long s = (unsigned long)(seconds + 0.5);

	if (s >= 3600)
		strbuf_printf(line, "%luh%02lum", s / 3600, s / 60 % 60);
	else if (s >= 60)
		strbuf_printf(line, "%lum%02lus", s / 60, s % 60);
	else
		strbuf_printf(line, "%lus", s);
}

/* Targets a minute and the time left, from this run's pace. */
static void put_pace(struct strbuf *line, const struct tally *t)
{
	double minutes = (now_seconds() - t->started) / 60.0;
	double rate = t->ran && minutes > 0 ? (double)t->ran / minutes : 0;
	size_t left = t->total - done_count(t);

	if (rate > 0)
		strbuf_printf(line, ", %.1f/min", rate);
	else
		strbuf_puts(line, ", -/min");
	strbuf_puts(line, ", ETA ");
	if (left == 0)
		strbuf_puts(line, "0s");
	else if (rate > 0)
		put_duration(line, (double)left / rate * 60.0);
	else
		strbuf_puts(line, "-");
}

/* On a terminal the line must fit its width, or the '\r' would rewrite only its last row.
 * Cut at a character boundary. */
static void fit_terminal(struct strbuf *line)
{
	struct winsize ws;
	size_t n;

	if (ioctl(STDERR_FILENO, TIOCGWINSZ, &ws) != 0 || ws.ws_col < 20 || line->len < ws.ws_col)
		return;
	n = (size_t)ws.ws_col - 1;
	while (n > 0 && ((unsigned char)line->s[n] & 0xc0) == 0x80)
		n--;
	line->s[n] = '\0';
	line->len = n;
}

/* "mcpaudit batch: 12/40 done, 1 fail, 0 errors, 3.5/min, ETA 8m00s - TARGET: pass". On a
 * terminal it is rewritten in place (and every tick, for the clock); elsewhere it is one
 * line per finished target, for logs. why is the error of the target just finished, or NULL. */
static void show_progress(struct batch *b, const char *why)
{
	const struct tally *t = &b->tally;
	struct strbuf line = STRBUF_INIT(4096);
	size_t errors = t->by_standing[ST_ERROR];

	strbuf_printf(&line, "mcpaudit batch: %zu/%zu done, %zu fail, %zu error%s", done_count(t), t->total,
		      t->by_standing[ST_FAIL], errors, errors == 1 ? "" : "s");
	put_pace(&line, t);
	if (b->last) {
		strbuf_puts(&line, " - ");
		report_clean(&line, b->last->name, CLEAN_TERMINAL);
		strbuf_puts(&line, ": ");
		strbuf_puts(&line, b->last->standing == ST_ERROR ? "error" : standing_names[b->last->standing]);
		if (why && !b->tty) {
			strbuf_puts(&line, " (");
			report_clean(&line, why, CLEAN_TERMINAL);
			strbuf_puts(&line, ")");
		}
	}
	if (b->tty) {
		fit_terminal(&line);
		term_status(stderr, "%s", strbuf_str(&line));
		b->progress_shown = true;
	} else {
		fprintf(stderr, "%s\n", strbuf_str(&line));
	}
	fflush(stderr);
	strbuf_free(&line);
}

/* ---- Reading what an audit left ---- */

/* The whole of a regular file of at most max bytes, NUL-terminated. Caller frees *text.
 * Returns 0, or -1 (missing, not a regular file, too big, unreadable). */
static int read_small_file(const char *path, size_t max, char **text, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);  /* a FIFO must not hang the batch */
	size_t got = 0;
	ssize_t n = 1;

	*text = NULL;
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max ||
	    !(*text = malloc((size_t)st.st_size + 1))) {
		close(fd);
		return -1;
	}
	while (got < (size_t)st.st_size && (n = read(fd, *text + got, (size_t)st.st_size - got)) > 0)
		got += (size_t)n;
	close(fd);
	(*text)[got] = '\0';
	*len = got;
	return n < 0 ? -1 : 0;
}

/* DIR/report.json parsed, or NULL when missing, too big or not JSON. Caller frees with
 * cJSON_Delete. */
static cJSON *load_one_report(const char *dir)
{
	char *path = path_join(dir, "report.json");
	char *text = NULL;
	size_t len = 0;
	cJSON *doc = NULL;

	if (path && read_small_file(path, MAX_REPORT_BYTES, &text, &len) == 0)
		doc = cJSON_ParseWithLength(text, len);
	free(text);
	free(path);
	if (!cJSON_IsObject(doc)) {
		cJSON_Delete(doc);
		doc = NULL;
	}
	return doc;
}

/* src into dst of cap bytes, cut when longer (a reason is a line, not a log). */
static void copy_capped(char *dst, size_t cap, const char *src)
{
	size_t n = strnlen(src, cap - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The last non-blank line of DIR/stderr.log (searched in its last STDERR_TAIL bytes) into
 * why. Returns false when there is none. */
static bool last_stderr_line(const char *dir, char *why, size_t len)
{
	char buf[STDERR_TAIL + 1];
	char *path = path_join(dir, "stderr.log");
	int fd = path ? open(path, O_RDONLY | O_CLOEXEC) : -1;
	off_t size = fd >= 0 ? lseek(fd, 0, SEEK_END) : -1;
	ssize_t n = size > 0 ? pread(fd, buf, STDERR_TAIL, size > STDERR_TAIL ? size - STDERR_TAIL : 0) : 0;
	char *start;

	free(path);
	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	for (char *p = buf; p < buf + n; p++)
		if (*p == '\0')
			*p = ' ';  /* a NUL would end the line early */
	while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r' || buf[n - 1] == ' '))
		buf[--n] = '\0';
	start = memrchr(buf, '\n', (size_t)n);
	start = start ? start + 1 : buf;
	if (!*start)
		return false;
	copy_capped(why, len, start);
	return true;
}

static const cJSON *member(const cJSON *object, const char *key)
{
	return cJSON_IsObject(object) ? cJSON_GetObjectItemCaseSensitive(object, key) : NULL;
}

/* The verdict in a report, or ST_NEW when it has none. */
static enum standing report_verdict(const cJSON *report)
{
	const cJSON *result = member(member(report, "verdict"), "result");

	return cJSON_IsString(result) ? standing_of(result->valuestring) : ST_NEW;
}

/* Why an audit that exited with neither 0 nor 1 failed: the report's error, else the
 * last line it wrote to stderr, else its exit code. */
static void explain_exit(const char *dir, const struct outcome *o, const cJSON *report, char *why, size_t len)
{
	const cJSON *error = member(report, "error");

	if (cJSON_IsString(error) && *error->valuestring)
		copy_capped(why, len, error->valuestring);
	else if (!last_stderr_line(dir, why, len))
		snprintf(why, len, "exit code %d", o->exit_code);
}

/* The target's standing from how its audit ended and the report it left; for ST_ERROR,
 * the reason in why. */
static enum standing judge(const struct batch *b, const char *dir, const struct outcome *o,
			   const cJSON *report, char *why, size_t len)
{
	enum standing verdict = report_verdict(report);

	if (o->failure)
		snprintf(why, len, "could not start the audit: %s", o->failure);
	else if (o->timed_out)
		snprintf(why, len, "timed out after %u s", b->opt.target_timeout);
	else if (o->signal)
		snprintf(why, len, "killed by signal %d (%s)", o->signal, strsignal(o->signal));
	else if (o->exit_code != 0 && o->exit_code != 1)
		explain_exit(dir, o, report, why, len);
	else if (verdict != ST_NEW)
		return verdict;
	else
		snprintf(why, len, "%s", report ? "report.json has no verdict" : "the audit wrote no report.json");
	return ST_ERROR;
}

/* ---- A client configuration: one report per configured server ---- */

#define MAX_SERVER_REPORTS 1000

static const char *const severity_keys[] = {"critical", "high", "medium", "low", "info"};

/* What a configuration's line starts from: the counts its servers' reports add up to. */
static const char sums_skeleton[] =
	"{\"verdict\": {\"result\": \"pass\"}, \"summary\": {\"endpoints\": 0, \"undocumented\": 0,"
	" \"findings_by_severity\": {\"critical\": 0, \"high\": 0, \"medium\": 0, \"low\": 0, \"info\": 0}}}";

static void add_count(cJSON *sums, const char *key, const cJSON *v)
{
	cJSON *sum = cJSON_GetObjectItemCaseSensitive(sums, key);

	if (cJSON_IsNumber(sum) && cJSON_IsNumber(v))
		cJSON_SetNumberValue(sum, sum->valuedouble + v->valuedouble);
}

/* Fold one server's report into sums: counts added, the worse verdict kept (none beats
 * all: the target has no verdict then), the first error kept with the server's folder. */
static void fold_report(cJSON *sums, const cJSON *report, const char *server)
{
	cJSON *summary = cJSON_GetObjectItemCaseSensitive(sums, "summary");
	cJSON *by = cJSON_GetObjectItemCaseSensitive(summary, "findings_by_severity");
	const cJSON *theirs = member(report, "summary"), *error = member(report, "error");
	enum standing was = report_verdict(sums), now = report_verdict(report);

	add_count(summary, "endpoints", member(theirs, "endpoints"));
	add_count(summary, "undocumented", member(theirs, "undocumented"));
	for (size_t i = 0; i < sizeof severity_keys / sizeof severity_keys[0]; i++)
		add_count(by, severity_keys[i], member(member(theirs, "findings_by_severity"), severity_keys[i]));
	if (now == ST_NEW)
		cJSON_DeleteItemFromObjectCaseSensitive(sums, "verdict");
	else if (was != ST_NEW && now > was)
		cJSON_ReplaceItemInObjectCaseSensitive(cJSON_GetObjectItemCaseSensitive(sums, "verdict"), "result",
						       cJSON_CreateString(standing_names[now]));
	if (cJSON_IsString(error) && !member(sums, "error")) {
		char *text = xasprintf("%s: %s", server, error->valuestring);
		if (text)
			cJSON_AddItemToObject(sums, "error", report_json_string(text));
		free(text);
	}
}

static int skip_dots(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

/* The reports of a configuration's servers (DIR/NN-NAME/report.json), folded into one,
 * or NULL when there are none. Caller frees with cJSON_Delete. */
static cJSON *load_server_reports(const char *dir)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, skip_dots, alphasort);
	cJSON *sums = NULL;
	size_t folded = 0;

	for (int i = 0; i < n; i++) {
		char *sub = folded < MAX_SERVER_REPORTS ? path_join(dir, names[i]->d_name) : NULL;
		cJSON *report = sub ? load_one_report(sub) : NULL;
		if (report && (sums || (sums = cJSON_Parse(sums_skeleton)))) {
			fold_report(sums, report, names[i]->d_name);
			folded++;
		}
		cJSON_Delete(report);
		free(sub);
		free(names[i]);
	}
	free(names);
	return sums;
}

/* The audit's report: DIR/report.json for one package or folder, the servers' reports
 * folded together for a client configuration. NULL when there is none. */
static cJSON *load_report(const char *dir)
{
	cJSON *report = load_one_report(dir);

	return report ? report : load_server_reports(dir);
}

/* ---- The summary record ---- */

static bool add(cJSON *object, const char *key, cJSON *value)
{
	if (!value)
		return false;
	cJSON_AddItemToObject(object, key, value);
	return true;
}

static cJSON *copy_string(const cJSON *v)
{
	return cJSON_IsString(v) ? cJSON_CreateString(v->valuestring) : cJSON_CreateNull();
}

static cJSON *copy_number(const cJSON *v)
{
	return cJSON_IsNumber(v) ? cJSON_CreateNumber(v->valuedouble) : cJSON_CreateNull();
}

/* {"critical": n, ..., "info": n} from the report's summary.findings_by_severity, or null. */
static cJSON *severity_counts(const cJSON *by)
{
	cJSON *o;

	if (!cJSON_IsObject(by))
		return cJSON_CreateNull();
	o = cJSON_CreateObject();
	for (size_t i = 0; o && i < sizeof severity_keys / sizeof severity_keys[0]; i++)
		if (!add(o, severity_keys[i], copy_number(member(by, severity_keys[i])))) {
			cJSON_Delete(o);
			return NULL;
		}
	return o;
}

/* One summary.jsonl record with its '\n' (docs/batch.md lists the fields). Without a
 * verdict the counts are null: an audit that could not finish has not found "0 findings".
 * Caller frees; NULL when memory runs out. */
static char *summary_record(const struct target *t, const struct outcome *o, const cJSON *report,
			    const char *why)
{
	const cJSON *package = member(report, "package");
	const cJSON *summary = t->standing == ST_ERROR ? NULL : member(report, "summary");
	cJSON *rec = cJSON_CreateObject();
	char *text = NULL, *line = NULL;
	/* milliseconds are plenty, and keep the lines short */
	double seconds = (double)(long long)(o->seconds * 1000.0 + 0.5) / 1000.0;
	bool ok = rec && add(rec, "target", report_json_string(t->name)) &&
		  add(rec, "slug", cJSON_CreateString(t->slug)) &&
		  add(rec, "name", copy_string(member(package, "name"))) &&
		  add(rec, "version", copy_string(member(package, "version"))) &&
		  add(rec, "verdict", t->standing == ST_ERROR ? cJSON_CreateNull()
							      : cJSON_CreateString(standing_names[t->standing])) &&
		  add(rec, "exit_code", o->exit_code >= 0 ? cJSON_CreateNumber(o->exit_code) : cJSON_CreateNull()) &&
		  add(rec, "findings", severity_counts(member(summary, "findings_by_severity"))) &&
		  add(rec, "endpoints", copy_number(member(summary, "endpoints"))) &&
		  add(rec, "undocumented", copy_number(member(summary, "undocumented"))) &&
		  add(rec, "duration_seconds", cJSON_CreateNumber(seconds)) &&
		  add(rec, "error", t->standing == ST_ERROR ? report_json_string(why) : cJSON_CreateNull());

	if (ok && (text = cJSON_PrintUnformatted(rec)))
		line = xasprintf("%s\n", text);
	cJSON_free(text);
	cJSON_Delete(rec);
	return line;
}

/* One write(2) per record on the O_APPEND descriptor: the kernel appends it whole, so
 * batches sharing the folder (shards) never interleave their lines. Returns 0 or -1. */
static int append_record(struct batch *b, const char *line)
{
	size_t len = strlen(line);
	ssize_t n = write(b->summary_fd, line, len);

	if (n == (ssize_t)len)
		return 0;
	if (n > 0 && write(b->summary_fd, "\n", 1) != 1)
		n = -1;  /* the torn line stays unterminated: the next run mends it */
	say(b, "cannot append to %s: %s", b->summary_path, n < 0 ? strerror(errno) : "short write");
	b->write_failed = true;
	return -1;
}

/* A target's audit is over: its summary line, the tally, the progress line. */
static void record(struct batch *b, struct target *t, const struct outcome *o)
{
	char *dir = path_join(b->reports_dir, t->slug);
	cJSON *report = dir ? load_report(dir) : NULL;
	char why[MAX_REASON + 1] = "";
	char *line;

	t->standing = dir ? judge(b, dir, o, report, why, sizeof why) : ST_ERROR;
	if (!dir)
		snprintf(why, sizeof why, "out of memory");
	line = summary_record(t, o, report, why);
	if (!line || append_record(b, line) != 0)
		b->write_failed = true;
	b->tally.by_standing[t->standing]++;
	b->tally.ran++;
	b->last = t;
	if (t->standing == ST_ERROR && b->tty) {
		struct strbuf msg = STRBUF_INIT(2048);
		report_clean(&msg, t->name, CLEAN_TERMINAL);
		strbuf_puts(&msg, ": ");
		report_clean(&msg, why, CLEAN_TERMINAL);
		say(b, "%s", strbuf_str(&msg));  /* kept on screen: the progress line moves on */
		strbuf_free(&msg);
	}
	show_progress(b, t->standing == ST_ERROR ? why : NULL);
	free(line);
	cJSON_Delete(report);
	free(dir);
}

/* ---- Children ---- */

/* Remove an earlier attempt's report files from dir. Returns 0, or -1 with errno set. */
static int clear_report_files(const char *dir)
{
	for (const char *const *f = report_files; *f; f++) {
		char *path = path_join(dir, *f);
		int rc = path ? unlink(path) : -1;
		bool gone = rc == 0 || errno == ENOENT || errno == ENOTDIR;
		free(path);
		if (!gone)
			return -1;
	}
	return 0;
}

/* ... and from the servers' folders a configuration's audit made there. */
static int clear_reports(const char *dir)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, skip_dots, alphasort);
	int rc = n < 0 ? -1 : clear_report_files(dir);

	for (int i = 0; i < n; i++) {
		char *sub = rc == 0 ? path_join(dir, names[i]->d_name) : NULL;
		if (sub)
			rc = clear_report_files(sub);  /* a file gives ENOTDIR: nothing to clear */
		free(sub);
		free(names[i]);
	}
	free(names);
	return rc;
}

/* A child's argument list: a VEC with a name, to be passed to child_argv. */
struct arg_list {
	const char **items;
	size_t len, cap;
};

/* mcpaudit audit --output-dir DIR [options] -- TARGET, borrowing every string.
 * Returns 0 or -1 (out of memory). */
static int child_argv(const struct batch *b, const char *dir, const char *target, struct arg_list *argv)
{
	/* "--": a target may start with '-' */
	const char *head[] = {"mcpaudit", "audit", "--output-dir", dir}, *tail[] = {"--", target, NULL};
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < sizeof head / sizeof head[0]; i++)
		rc = vec_push(argv, head[i]);
	for (size_t i = 0; rc == 0 && i < b->opt.pass.len; i++)
		rc = vec_push(argv, b->opt.pass.items[i]);
	for (size_t i = 0; rc == 0 && i < sizeof tail / sizeof tail[0]; i++)
		rc = vec_push(argv, tail[i]);
	return rc;
}

/* In the child, between fork and exec: never returns. The audit gets its own process
 * group (so a timeout or Ctrl-C can stop all it started), /dev/null for input and output
 * (the reports are files) and stderr.log, and the signal mask batch found. */
static void exec_audit(const struct batch *b, const char *const *argv, int log_fd)
{
	static const char msg[] = "mcpaudit batch: cannot run /proc/self/exe\n";

	(void)setpgid(0, 0);
	if (dup2(b->devnull_fd, STDIN_FILENO) >= 0 && dup2(b->devnull_fd, STDOUT_FILENO) >= 0 &&
	    dup2(log_fd, STDERR_FILENO) >= 0) {
		sigprocmask(SIG_SETMASK, &b->old_mask, NULL);
		execv(self_exe, (char *const *)argv);
		if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0)
			_exit(127);
	}
	_exit(127);
}

/* Start the audit of t in DIR/reports/SLUG. Returns 0, or -1 with the reason in err. */
static int start_child(struct batch *b, struct target *t, char *err, size_t errlen)
{
	struct arg_list argv = {0};
	struct child c = {0};
	char *dir = path_join(b->reports_dir, t->slug);
	char *log = dir ? path_join(dir, "stderr.log") : NULL;
	int log_fd = -1, rc = -1;

	if (!log || child_argv(b, dir, t->name, &argv) != 0) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if ((mkdir(dir, 0755) != 0 && errno != EEXIST) || clear_reports(dir) != 0 ||
	    (log_fd = open(log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0) {
		snprintf(err, errlen, "cannot prepare %s: %s", dir, strerror(errno));
		goto out;
	}
	if ((c.pid = fork()) == 0)
		exec_audit(b, argv.items, log_fd);
	if (c.pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		goto out;
	}
	(void)setpgid(c.pid, c.pid);  /* in both processes: a kill right after fork finds the group */
	c.target = t;
	c.started = now_seconds();
	if (vec_push(&b->running, c) != 0) {
		kill(-c.pid, SIGKILL);
		waitpid(c.pid, NULL, 0);
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	rc = 0;
out:
	if (log_fd >= 0)
		close(log_fd);
	vec_free(&argv);
	free(log);
	free(dir);
	return rc;
}

/* Reap pid, and record its target unless the batch is stopping and the audit did not finish
 * on its own (an interrupted target has no line, so a rerun audits it). */
static void finish_child(struct batch *b, pid_t pid)
{
	struct outcome o = {.exit_code = -1};
	struct child c;
	size_t i;
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return;
	for (i = 0; i < b->running.len && b->running.items[i].pid != pid; i++)
		;
	if (i == b->running.len)
		return;  /* not an audit of ours */
	c = b->running.items[i];
	b->running.items[i] = b->running.items[--b->running.len];
	o.seconds = now_seconds() - c.started;
	o.timed_out = c.timed_out;
	if (WIFEXITED(status))
		o.exit_code = WEXITSTATUS(status);
	else if (WIFSIGNALED(status))
		o.signal = WTERMSIG(status);
	if (b->stop_signal && !(o.exit_code == 0 || o.exit_code == 1))
		return;
	record(b, c.target, &o);
}

/* Collect every child that has ended. Its process group is killed before the child is
 * reaped: whatever it left running dies with it, and while the child is a zombie its id
 * (the group's) cannot have been reused. */
static void reap(struct batch *b)
{
	siginfo_t si;

	for (;;) {
		memset(&si, 0, sizeof si);
		if (waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT) != 0 || si.si_pid == 0)
			return;
		for (size_t i = 0; i < b->running.len; i++)
			if (b->running.items[i].pid == si.si_pid)
				(void)kill(-si.si_pid, SIGKILL);
		finish_child(b, si.si_pid);
	}
}

/* --target-timeout: SIGTERM to the audit's group, SIGKILL KILL_GRACE_SECONDS later. */
static void enforce_timeouts(struct batch *b)
{
	double now = now_seconds();

	for (size_t i = 0; i < b->running.len; i++) {
		struct child *c = &b->running.items[i];
		if (!c->timed_out && now - c->started >= b->opt.target_timeout) {
			(void)kill(-c->pid, SIGTERM);
			c->timed_out = true;
			c->term_sent = now;
		} else if (c->timed_out && now - c->term_sent >= KILL_GRACE_SECONDS) {
			(void)kill(-c->pid, SIGKILL);
		}
	}
}

/* Wait up to ms for a child to end or a stop signal; returns the stop signal, or 0. */
static int wait_event(struct batch *b, long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
	siginfo_t si;
	int sig = sigtimedwait(&b->watched, &si, &ts);

	return sig == SIGINT || sig == SIGTERM || sig == SIGHUP ? sig : 0;
}

static void signal_all(struct batch *b, int sig)
{
	for (size_t i = 0; i < b->running.len; i++)
		(void)kill(-b->running.items[i].pid, sig);
}

static const char *stop_signal_name(int sig)
{
	static const struct {
		int sig;
		const char *name;
	} names[] = {{SIGINT, "SIGINT"}, {SIGTERM, "SIGTERM"}, {SIGHUP, "SIGHUP"}};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].sig == sig)
			return names[i].name;
	return "a signal";
}

/* Ctrl-C or SIGTERM: SIGTERM to every audit's group, SIGKILL after the grace or at a
 * second signal, and reap them all. */
static void stop_children(struct batch *b)
{
	double deadline = now_seconds() + KILL_GRACE_SECONDS;

	say(b, "stopping on %s: %zu audit%s cut short; the same command resumes", stop_signal_name(b->stop_signal),
	    b->running.len, b->running.len == 1 ? "" : "s");
	signal_all(b, SIGTERM);
	while (b->running.len) {
		if (wait_event(b, 200) || now_seconds() >= deadline)
			signal_all(b, SIGKILL);
		reap(b);
	}
}

/* A target whose audit could not start still gets its line, with the reason. */
static void start_next(struct batch *b)
{
	struct target *t = b->queue.items[b->next++];
	char err[512];

	if (start_child(b, t, err, sizeof err) != 0) {
		struct outcome o = {.exit_code = -1, .failure = err};
		record(b, t, &o);
	}
}

/* From here to release_signals, SIGCHLD, SIGINT, SIGTERM and SIGHUP are blocked and taken
 * with sigtimedwait: no handler, no global state. SIGPIPE is held too: a reader of the
 * progress that goes away (| head) must not kill the batch and orphan its audits; writes
 * to stderr fail instead. */
static void hold_signals(struct batch *b)
{
	sigset_t held;

	sigemptyset(&b->watched);
	sigaddset(&b->watched, SIGCHLD);
	sigaddset(&b->watched, SIGINT);
	sigaddset(&b->watched, SIGTERM);
	sigaddset(&b->watched, SIGHUP);
	held = b->watched;
	sigaddset(&held, SIGPIPE);
	sigprocmask(SIG_BLOCK, &held, &b->old_mask);
}

static void release_signals(struct batch *b)
{
	struct timespec zero = {0, 0};
	sigset_t pipe_only;

	sigemptyset(&pipe_only);
	sigaddset(&pipe_only, SIGPIPE);
	while (sigtimedwait(&pipe_only, NULL, &zero) == SIGPIPE)
		;  /* delivered now, it would kill the batch at its last step */
	sigprocmask(SIG_SETMASK, &b->old_mask, NULL);
}

/* Run the queue, jobs at a time, until it is done or a stop signal comes. */
static void run_queue(struct batch *b)
{
	b->tally.started = now_seconds();
	while (!b->stop_signal && (b->next < b->queue.len || b->running.len)) {
		while (b->running.len < b->opt.jobs && b->next < b->queue.len)
			start_next(b);
		b->stop_signal = wait_event(b, TICK_MS);
		reap(b);
		enforce_timeouts(b);
		if (b->tty && !b->stop_signal)
			show_progress(b, NULL);
	}
	if (b->stop_signal)
		stop_children(b);
}

/* ---- The command ---- */

static void announce(struct batch *b)
{
	char shard[64] = "";

	if (b->opt.shard_count)
		snprintf(shard, sizeof shard, " (shard %u/%u)", b->opt.shard_index, b->opt.shard_count);
	say(b, "%zu target%s%s, %zu already done, %zu to audit, %u at a time, into %s", b->tally.total,
	    b->tally.total == 1 ? "" : "s", shard, done_count(&b->tally), b->queue.len, b->opt.jobs, b->opt.out);
}

static int exit_code(const struct batch *b)
{
	if (b->stop_signal || b->write_failed || b->tally.by_standing[ST_ERROR])
		return BATCH_ERROR;
	return b->tally.by_standing[ST_FAIL] ? BATCH_FAILED : BATCH_OK;
}

static void conclude(struct batch *b, int code)
{
	const size_t *n = b->tally.by_standing;

	if (b->progress_shown) {
		fputc('\n', stderr);
		b->progress_shown = false;
	}
	say(b, "%zu/%zu done: %zu pass, %zu review, %zu fail, %zu error%s; %s (exit %d)", done_count(&b->tally),
	    b->tally.total, n[ST_PASS], n[ST_REVIEW], n[ST_FAIL], n[ST_ERROR], n[ST_ERROR] == 1 ? "" : "s",
	    b->summary_path, code);
}

static void batch_free(struct batch *b)
{
	for (size_t i = 0; i < b->targets.len; i++) {
		free(b->targets.items[i].name);
		free(b->targets.items[i].slug);
	}
	vec_free(&b->targets);
	vec_free(&b->by_name);
	vec_free(&b->queue);
	vec_free(&b->running);
	for (size_t i = 0; i < b->opt.pass.len; i++)
		free(b->opt.pass.items[i]);
	vec_free(&b->opt.pass);
	free(b->reports_dir);
	free(b->summary_path);
	if (b->summary_fd >= 0)
		close(b->summary_fd);
	if (b->devnull_fd >= 0)
		close(b->devnull_fd);
}

int batch_main(int argc, char **argv)
{
	struct batch b = {.summary_fd = -1, .devnull_fd = -1};
	int rc;

	b.opt.jobs = 1;
	b.opt.target_timeout = DEFAULT_TARGET_TIMEOUT;
	b.tty = isatty(STDERR_FILENO);
	if ((rc = parse_args(&b.opt, argc, argv)) >= 0)
		goto out;
	rc = BATCH_ERROR;
	if (read_list(&b) != 0 || prepare_out(&b) != 0 || resume(&b) != 0 || select_queue(&b) != 0)
		goto out;
	hold_signals(&b);
	announce(&b);
	run_queue(&b);
	rc = exit_code(&b);
	conclude(&b, rc);
	release_signals(&b);
out:
	batch_free(&b);
	return rc;
}
