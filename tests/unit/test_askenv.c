/* askenv: the variables a server that would not start asks for, and what it is given. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "audit/askenv.h"
#include "tracer/driver.h"

/* The "NAME=..." entry for name in list, or NULL. */
static const char *entry(const askenv_list *list, const char *name)
{
	size_t n = strlen(name);

	for (size_t i = 0; i < list->len; i++)
		if (!strncmp(list->items[i], name, n) && list->items[i][n] == '=')
			return list->items[i] + n + 1;
	return NULL;
}

static void test_slack(void **state)
{
	struct askenv a = {0};

	(void)state;
	assert_int_equal(askenv_find("server crash: stderr ends: Please set SLACK_BOT_TOKEN and SLACK_TEAM_ID "
				     "environment variables\n", NULL, NULL, &a), 2);
	assert_non_null(entry(&a.secret_env, "SLACK_BOT_TOKEN"));      /* a canary, not a value */
	assert_null(entry(&a.env, "SLACK_BOT_TOKEN"));
	assert_string_equal(entry(&a.env, "SLACK_TEAM_ID"), "mcpaudit-placeholder");
	assert_string_equal(entry(&a.shown, "SLACK_BOT_TOKEN"), "(canary)");
	askenv_free(&a);
}

static void test_placeholders_point_at_the_probe(void **state)
{
	struct askenv a = {0};

	(void)state;
	assert_int_equal(askenv_find("Error: GITLAB_API_URL is required; set JIRA_HOST and SMTP_PORT", NULL, NULL, &a), 3);
	assert_string_equal(entry(&a.env, "GITLAB_API_URL"), "https://" DRIVER_PROBE_HOST "/");
	assert_string_equal(entry(&a.env, "JIRA_HOST"), DRIVER_PROBE_HOST);
	assert_string_equal(entry(&a.env, "SMTP_PORT"), "8080");
	askenv_free(&a);
}

static void test_not_asked(void **state)
{
	struct askenv a = {0};
	const char *env[] = {"BRAVE_API_KEY=x", NULL};
	const char *secrets[] = {"GITHUB_TOKEN=y", NULL};

	(void)state;
	/* a stack trace's error codes are not configuration */
	assert_int_equal(askenv_find("Error [ERR_MODULE_NOT_FOUND]: Cannot find package 'zod' imported from "
				     "/x/index.js (ERR_INVALID_ARG_TYPE)", NULL, NULL, &a), 0);
	/* names without a word asking for them */
	assert_int_equal(askenv_find("connected with MY_API_KEY to the service", NULL, NULL, &a), 0);
	/* what is set already is not asked for again */
	assert_int_equal(askenv_find("BRAVE_API_KEY environment variable is required (GITHUB_TOKEN missing)", env,
				     secrets, &a), 0);
	assert_int_equal(askenv_find(NULL, NULL, NULL, &a), 0);
	/* a name inside a longer word does not count */
	assert_int_equal(askenv_find("missing xAPI_KEY and lowercase api_key", NULL, NULL, &a), 0);
	askenv_free(&a);
}

static void test_capped_and_unique(void **state)
{
	struct askenv a = {0};
	char text[4096];
	size_t n = (size_t)snprintf(text, sizeof text, "Missing environment variables:");

	(void)state;
	for (int i = 0; i < 20 && n < sizeof text; i++)
		n += (size_t)snprintf(text + n, sizeof text - n, " V%02d_KEY V%02d_KEY", i, i);
	assert_int_equal(askenv_find(text, NULL, NULL, &a), ASKENV_MAX);
	assert_int_equal(a.shown.len, ASKENV_MAX);
	assert_non_null(entry(&a.shown, "V00_KEY"));
	assert_null(entry(&a.shown, "V19_KEY"));
	askenv_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slack),
		cmocka_unit_test(test_placeholders_point_at_the_probe),
		cmocka_unit_test(test_not_asked),
		cmocka_unit_test(test_capped_and_unique),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
