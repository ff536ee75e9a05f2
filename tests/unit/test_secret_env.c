/* secret_env: one decision, for every stage, whether a variable's name holds a secret
 * (core/data/secret_env.txt). Before issue 8 ("one home") the analyzer's glob list and the
 * audit's word test disagreed: the analyzer took AUTH_URL and SESSION_TIMEOUT for secrets
 * and the audit did not take DATABASE_URL for one. The rows marked "disagreed" failed on
 * one of the two old functions (checked by running this table against both:
 * eval_is_secret_name and client_secret_name at commit b7a3d2a). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/policy.h"
#include "core/secret_env.h"

struct name_case {
	const char *name;
	bool secret;
};

static const struct name_case cases[] = {
	{"GITHUB_TOKEN", true}, {"GITHUB_PERSONAL_ACCESS_TOKEN", true}, {"OPENAI_API_KEY", true},
	{"apiKey", true}, {"X-API-Key", true}, {"Authorization", true}, {"DB_PASSWORD", true},
	{"SMTP_PASSWD", true}, {"AWS_SECRET_ACCESS_KEY", true}, {"GOOGLE_CREDENTIALS", true},
	{"Cookie", true}, {"SESSION_ID", true}, {"PRIVATE_KEY", true}, {"GITLAB_PAT", true},
	{"SLACKTOKEN", true}, {"client_secret", true}, {"SENTRY_DSN", true},
	{"DATABASE_URL", true},   /* disagreed: a connection string carries its password */
	{"REDIS_URL", true}, {"MONGODB_URI", true},
	{"KEYBOARD_LAYOUT", false}, {"PATH", false}, {"PWD", false}, {"HOME", false}, {"LOG_LEVEL", false},
	{"NODE_ENV", false}, {"PRIVATE_KEY_PATH", false},
	{"AUTH_URL", false},        /* disagreed: a place, not a secret */
	{"SESSION_TIMEOUT", false}, /* disagreed: a duration */
	{"TOKEN_FILE", false}, {"MONKEY", false}, {"AUTHOR", false}, {"PASSTHROUGH", false},
	{"PASS_THROUGH", false}, {"PORT", false}, {"", false}, {NULL, false},
};

static void test_names(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
		if (secret_env_name(cases[i].name) != cases[i].secret)
			fail_msg("'%s' should %sbe secret", cases[i].name ? cases[i].name : "(null)",
				 cases[i].secret ? "" : "not ");
}

static int known_kind(const char *entry, void *arg)
{
	static const char *const kinds[] = {"word ", "ending ", "harmless ", "secret ", "plain "};
	bool ok = false;

	(*(unsigned *)arg)++;
	for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
		ok |= strncmp(entry, kinds[i], strlen(kinds[i])) == 0;
	if (!ok)
		fail_msg("unknown line kind: %s", entry);
	return 0;
}

static void test_list_parses(void **state)
{
	unsigned n = 0;

	(void)state;
	assert_int_equal(policy_each_listed(SECRET_ENV_LIST, known_kind, &n), 0);
	assert_true(n >= 8);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_list_parses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
