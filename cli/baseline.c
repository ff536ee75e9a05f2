/* `mcpaudit baseline REPORT.json`: a policy whose suppressions accept every finding of a
 * report, so that a project adopting mcpaudit fails only on what is new. */
#include "cli/baseline.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli/help.h"
#include "cli/options.h"
#include "core/json_read.h"
#include "core/policy.h"
#include "core/rules.h"
#include "core/strbuf.h"
#include "core/term.h"

#define MAX_REPORT_BYTES ((size_t)256 << 20)

enum { BASELINE_OK = 0, BASELINE_ERROR = 2 };

struct baseline {
	const char *report;      /* the report's path, "-" for standard input */
	const char *output;      /* NULL: standard output */
	const char *reason;      /* NULL: "baseline of REPORT on DATE" */
	const char *expires;     /* NULL: none */
	cJSON *suppress;         /* the entries so far; owned */
	size_t unnamed;          /* findings with neither a file nor a host and phase */
};

static int usage_error(const char *fmt, const char *arg) __attribute__((format(printf, 1, 0)));

static int usage_error(const char *fmt, const char *arg)
{
	fputs("mcpaudit baseline: ", stderr);
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	term_printf(stderr, fmt, arg);
#pragma GCC diagnostic pop
	fputs("\nTry 'mcpaudit baseline --help'.\n", stderr);
	return BASELINE_ERROR;
}

/* Returns -1 to go on, or an exit code. */
static int parse_args(struct baseline *b, int argc, char **argv)
{
	struct cli_parser p;
	const struct cli_option *o;
	char err[512];
	int id;

	cli_parser_init(&p, CLI_BASELINE);
	optind = 0;
	while ((id = cli_next_option(&p, argc, argv, &o, err, sizeof err)) != -1) {
		if (id == -2)
			return usage_error("%s", err);
		if (id == 'h') {
			help_command(stdout, CLI_BASELINE);
			return BASELINE_OK;
		}
		if (id == 'o')
			b->output = optarg;
		else if (id == OPT_REASON)
			b->reason = optarg;
		else if (id == OPT_EXPIRES && !policy_valid_date(optarg))
			return usage_error("--expires wants a date YYYY-MM-DD, not '%s'", optarg);
		else if (id == OPT_EXPIRES)
			b->expires = optarg;
	}
	if (optind >= argc)
		return usage_error("%s", "baseline needs a REPORT.json (or - for standard input)");
	if (optind + 1 < argc)
		return usage_error("baseline takes one REPORT, not also '%s'", argv[optind + 1]);
	b->report = argv[optind];
	return -1;
}

/* The whole report, NUL-terminated (caller frees), or NULL with the reason on stderr. */
static char *read_report(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	struct strbuf b = STRBUF_INIT(MAX_REPORT_BYTES);
	char chunk[65536];
	size_t n;

	if (!f) {
		term_printf(stderr, "mcpaudit baseline: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && !b.truncated)
		if (strbuf_append(&b, chunk, n) != 0)
			break;
	if (ferror(f) || b.truncated || (n > 0 && !b.truncated)) {
		term_printf(stderr, "mcpaudit baseline: %s: %s\n", path,
			    b.truncated ? "larger than 256 MiB" : ferror(f) ? strerror(errno) : "out of memory");
		strbuf_free(&b);
		b.s = NULL;
	}
	if (f != stdin)
		fclose(f);
	*len = b.len;
	return b.s ? strbuf_take(&b) : NULL;
}

static const char *string_of(const cJSON *finding, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(finding, key);

	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* Does suppress already hold an entry equal to e? */
static bool already_there(const cJSON *suppress, const cJSON *e)
{
	const cJSON *other;

	cJSON_ArrayForEach(other, suppress)
		if (cJSON_Compare(other, e, true))
			return true;
	return false;
}

/* The entry naming finding f as the policy loader reads it, or NULL when the finding has
 * nothing a suppression may name. Caller owns it. */
static cJSON *entry_for(const struct baseline *b, const cJSON *f, const char *default_reason)
{
	const char *rule = string_of(f, "rule_id"), *file = string_of(f, "file");
	const char *fingerprint = string_of(f, "fingerprint"), *host = string_of(f, "host");
	const char *phase = string_of(f, "phase"), *kept = string_of(f, "suppression_reason");
	cJSON *e;

	if (!rule || !rule_find(rule))
		return NULL;
	/* the loader's rules: one file (no pattern, no folder), or one host and one phase */
	if (file && (!fingerprint || strchr(file, '*') || file[strlen(file) - 1] == '/'))
		return NULL;
	if (!file && (!host || !phase || strpbrk(host, "*/ ") || strchr(phase, '*')))
		return NULL;
	if (!(e = cJSON_CreateObject()))
		return NULL;
	cJSON_AddStringToObject(e, "rule", rule);
	if (file) {
		cJSON_AddStringToObject(e, "file", file);
		cJSON_AddStringToObject(e, "fingerprint", fingerprint);
	} else {
		cJSON_AddStringToObject(e, "host", host);
		cJSON_AddStringToObject(e, "phase", phase);
	}
	cJSON_AddStringToObject(e, "reason", b->reason ? b->reason : kept ? kept : default_reason);
	if (b->expires)
		cJSON_AddStringToObject(e, "expires", b->expires);
	return e;
}

static int add_findings(struct baseline *b, const cJSON *findings, const char *default_reason)
{
	const cJSON *f;

	cJSON_ArrayForEach(f, findings) {
		cJSON *e = entry_for(b, f, default_reason);
		if (!e) {
			const char *message = string_of(f, "message");
			b->unnamed++;
			term_printf(stderr, "mcpaudit baseline: not accepted (no file, or no host and phase, to "
				    "name it by): %s: %s\n", string_of(f, "rule_id") ? string_of(f, "rule_id") : "?",
				    message ? message : "");
			continue;
		}
		if (already_there(b->suppress, e))
			cJSON_Delete(e);
		else if (!cJSON_AddItemToArray(b->suppress, e))
			return -1;
	}
	return 0;
}

/* A report is one object with "findings"; several targets give {"reports": [...]} (or,
 * from older builds, a bare array of reports). */
static int add_report(struct baseline *b, const cJSON *doc, const char *default_reason)
{
	const cJSON *findings = cJSON_GetObjectItemCaseSensitive(doc, "findings");
	const cJSON *reports = cJSON_IsArray(doc) ? doc : cJSON_GetObjectItemCaseSensitive(doc, "reports");
	const cJSON *r;

	if (cJSON_IsArray(findings))
		return add_findings(b, findings, default_reason);
	if (!cJSON_IsArray(reports))
		return 1;
	cJSON_ArrayForEach(r, reports)
		if (add_report(b, r, default_reason) < 0)
			return -1;
	return 0;
}

static int write_policy(const struct baseline *b, const cJSON *suppress)
{
	cJSON *policy = cJSON_CreateObject();
	char *text = NULL;
	FILE *out = stdout;
	int rc = -1;

	if (!policy || !cJSON_AddItemReferenceToObject(policy, "suppress", (cJSON *)suppress) ||
	    !(text = cJSON_Print(policy)))
		goto out;
	if (b->output && !(out = fopen(b->output, "w"))) {
		term_printf(stderr, "mcpaudit baseline: cannot write %s: %s\n", b->output, strerror(errno));
		goto out;
	}
	fprintf(out, "%s\n", text);
	rc = fflush(out) == 0 ? 0 : -1;
	if (out != stdout && fclose(out) != 0)
		rc = -1;
	if (rc != 0)
		fprintf(stderr, "mcpaudit baseline: writing the policy failed: %s\n", strerror(errno));
out:
	free(text);
	cJSON_Delete(policy);
	return rc;
}

int baseline_main(int argc, char **argv)
{
	struct baseline b = {0};
	struct json_doc doc = {0};
	struct json_read_error e;
	char *text = NULL, reason[512], day[11];
	size_t len = 0;
	time_t now = time(NULL);
	struct tm tm;
	int rc;

	if ((rc = parse_args(&b, argc, argv)) >= 0)
		return rc;
	rc = BASELINE_ERROR;
	if (!(text = read_report(b.report, &len)))
		goto out;
	if (json_read(text, len, JSON_STRICT, &doc, &e) != 0) {
		term_printf(stderr, "mcpaudit baseline: %s:%u:%u: not JSON (%s)\n", b.report, e.line, e.column, e.what);
		goto out;
	}
	gmtime_r(&now, &tm);
	strftime(day, sizeof day, "%Y-%m-%d", &tm);
	/* the report's name without its folder: the policy is committed, the local path is not */
	snprintf(reason, sizeof reason, "baseline of %s on %s",
		 strrchr(b.report, '/') ? strrchr(b.report, '/') + 1 : b.report, day);
	if (!(b.suppress = cJSON_CreateArray()))
		goto out;
	if ((rc = add_report(&b, doc.root, reason)) != 0) {
		if (rc > 0)
			term_printf(stderr, "mcpaudit baseline: %s: not a mcpaudit JSON report (no \"findings\")\n",
				    b.report);
		rc = BASELINE_ERROR;
		goto out;
	}
	rc = write_policy(&b, b.suppress) == 0 ? BASELINE_OK : BASELINE_ERROR;
	if (b.unnamed)
		fprintf(stderr, "mcpaudit baseline: %zu finding(s) could not be accepted; they will still be "
			"reported\n", b.unnamed);
out:
	cJSON_Delete(b.suppress);
	json_doc_free(&doc);
	free(text);
	return rc;
}
