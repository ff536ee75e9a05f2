/* own_service: one table (core/data/own_services.txt) decides, for both stages, whether a
 * secret goes to its own service. Before issue 8 item 12 the static stage had no such
 * decision (any documented host dropped a credential flow) and the table lived in
 * canaries.txt for the tracer only: the rows marking a token to another service false
 * are what the old static behaviour got wrong (see test_policy's credential-flow test). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/own_service.h"
#include "core/policy.h"

struct env_case {
	const char *name, *host;
	bool want;
};

static const struct env_case env_cases[] = {
	{"GITHUB_TOKEN", "api.github.com", true},
	{"github_token", "api.github.com", true},            /* names compare upper-cased */
	{"GH_TOKEN", "raw.githubusercontent.com", true},
	{"GITHUB_TOKEN", "discord.com", false},              /* the bug: another documented host */
	{"GITHUB_TOKEN", "github.example.net", false},       /* listed: its service's domains only */
	{"GITHUB_TOKEN", "evilgithub.com", false},
	{"AWS_SECRET_ACCESS_KEY", "sts.us-east-1.amazonaws.com", true},
	{"OPENAI_API_KEY", "api.openai.com", true},
	{"OPENAI_API_KEY", "api.anthropic.com", false},
	{"SLACK_BOT_TOKEN", "slack.com", true},
	{"WEATHER_API_KEY", "api.weather.example.com", true}, /* named after the host */
	{"BOOKS_API_KEY", "api.books.example.com", true},
	{"WEATHER_API_KEY", "collect.example.net", false},
	{"API_KEY", "api.example.com", false},               /* generic words name no service */
	{"MY_TOKEN", "my.example.com", false},               /* under three letters */
	{"EXAMPLE_TOKEN", "api.example.com", true},
	{"WEATHER_API_KEY", "weather.com.example.net", true}, /* a label, wherever it is */
	{"STRIPE_SECRET_KEY", "api.stripe.com", true},
	{NULL, "api.github.com", false},
	{"GITHUB_TOKEN", NULL, false},
};

static void test_env(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof env_cases / sizeof *env_cases; i++) {
		const struct env_case *c = &env_cases[i];
		if (own_service_env(c->name, c->host) != c->want)
			fail_msg("%s to %s: want %d", c->name ? c->name : "(null)", c->host ? c->host : "(null)", c->want);
	}
}

/* What the static stage asks: is a named secret known to be another service's? */
static const struct env_case other_cases[] = {
	{"GITHUB_TOKEN", "discord.com", true},          /* the bug */
	{"OPENAI_API_KEY", "api.weather.example.com", true},
	{"GITHUB_TOKEN", "api.github.com", false},
	{"KEYLESS_PROXY_SECRET", "api.firecrawl.dev", false}, /* unlisted: nobody else's */
	{"WEATHER_API_KEY", "api.weather.example.com", false},
	{NULL, "discord.com", false},
};

static void test_other(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof other_cases / sizeof *other_cases; i++) {
		const struct env_case *c = &other_cases[i];
		if (own_service_env_other(c->name, c->host) != c->want)
			fail_msg("%s to %s: another service's %d, want %d", c->name ? c->name : "(null)", c->host,
				 !c->want, c->want);
	}
}

static void test_canary(void **state)
{
	(void)state;
	assert_true(own_service_canary("github_token", "api.github.com"));
	assert_true(own_service_canary("dotenv_openai_api_key", "api.openai.com"));
	assert_false(own_service_canary("github_token", "api.openai.com"));
	assert_false(own_service_canary("ssh_private_key", "github.com"));
	assert_false(own_service_canary("generic_api_key", "api.example.com")); /* no name rule for tokens */
}

static int well_formed(const char *entry, void *arg)
{
	char a[64], b[512], c[512], d[512], e[2];

	(*(unsigned *)arg)++;
	if (sscanf(entry, "%63s %511s %511s %511s %1s", a, b, c, d, e) != 4)
		fail_msg("malformed line: %s", entry);
	return 0;
}

static void test_list_parses(void **state)
{
	unsigned n = 0;

	(void)state;
	assert_int_equal(policy_each_listed(OWN_SERVICES_LIST, well_formed, &n), 0);
	assert_true(n >= 10);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_other),
		cmocka_unit_test(test_canary),
		cmocka_unit_test(test_list_parses),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
