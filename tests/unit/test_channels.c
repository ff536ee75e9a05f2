/* Path-qualified exfiltration channels (core/channels.c, core/data/exfil_channels.txt) and
 * their use by policy_apply: a Discord webhook is reported even when discord.com is
 * documented. Before the fix (issue 8 item 11) there was no channel list and a request to
 * a documented discord.com got no finding: checked by building this test against the old
 * policy.c with check_channels removed, where test_policy_channels failed on its first row. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/channels.h"
#include "core/docs.h"
#include "core/policy.h"
#include "core/report.h"

struct match_case {
	const char *host, *path;
	bool want;
};

static const struct match_case match_cases[] = {
	{"discord.com", "/api/webhooks/1234/secret", true},
	{"discord.com", "/api/v10/webhooks/1234/secret", true},
	{"ptb.discord.com", "/api/webhooks/1/x", true},
	{"discordapp.com", "/api/webhooks/1/x", true},
	{"discord.com", "https://discord.com/api/webhooks/1/x", true},  /* absolute-form target */
	{"discord.com", "/api//webhooks/1/x", true},                     /* as a server routes it */
	{"discord.com", "/api/./webhooks/1/x", true},
	{"discord.com", "/api/x/../webhooks/1/x", true},
	{"discord.com", "/%61pi/webhooks/1/x", true},
	{"discord.com", "/api/v10/users/@me", false},
	{"discord.com", "/invite/abc", false},
	{"docs.google.com", "/forms/d/e/1FAIpQLSe/formResponse", true},
	{"docs.google.com", "/forms/u/0/d/e/1FAIpQLSe/formResponse?entry.1=x", true},
	{"docs.google.com", "/forms/d/e/1FAIpQLSe/viewform", false},
	{"docs.google.com", "/document/d/abc/edit", false},
	{"script.google.com", "/macros/s/AKfycb/exec", true},
	{"api.github.com", "/gists", true},
	{"api.github.com", "/gists/abc123", true},
	{"api.github.com", "/repos/o/r/issues", false},
	{"hooks.slack.com", "/services/T0/B0/x", true},
	{"api.telegram.org", "/bot123:AAE/sendMessage", true},
	{"x.webhook.office.com", "/webhookb2/abc", true},
	{"webhook.office.com", "/webhookb2/abc", false},  /* "*." is below the suffix only */
	{"discord.example.com", "/api/webhooks/1/x", false},
	{"discord.com", NULL, false},
	{NULL, "/api/webhooks/1/x", false},
};

static void test_match(void **state)
{
	struct channels c;
	char err[300];

	(void)state;
	assert_int_equal(channels_load(NULL, 0, &c, err, sizeof err), 0);
	assert_true(c.items.len >= 20);
	for (size_t i = 0; i < sizeof match_cases / sizeof *match_cases; i++) {
		const struct match_case *m = &match_cases[i];
		const struct exfil_channel *ch = channels_match(&c, m->host, m->path);
		if ((ch != NULL) != m->want)
			fail_msg("%s %s: matched %d, want %d", m->host ? m->host : "(null)", m->path ? m->path : "(null)",
				 ch != NULL, m->want);
		if (ch)
			assert_true(strncmp(ch->source, "https://", 8) == 0);
	}
	assert_non_null(channels_on_host(&c, "discord.com"));
	assert_null(channels_on_host(&c, "api.example.com"));
	channels_free(&c);
}

static void test_bad_lists(void **state)
{
	static const char *const bad[] = {
		"discord.com /api/webhooks/\n",                             /* no source */
		"discord.com api/webhooks/ https://example.com/doc\n",      /* path without '/' */
		"discord.com /api/ http://example.com/doc\n",               /* source not https */
		"203.0.113.0/24 /api/ https://example.com/doc\n",           /* not a name */
		"discord.com:443 /api/ https://example.com/doc\n",          /* a port */
		"discord.com /api/ https://example.com/doc extra\n",
	};
	struct channels c;
	char err[300];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		err[0] = '\0';
		if (channels_load(bad[i], strlen(bad[i]), &c, err, sizeof err) == 0)
			fail_msg("accepted: %s", bad[i]);
		assert_non_null(strstr(err, ":1"));
	}
	assert_int_equal(channels_load("# only a comment\n\nx.example.com /a https://example.com/d#frag\n", 61, &c, err,
				       sizeof err), 0);
	assert_int_equal(c.items.len, 1);
	assert_string_equal(c.items.items[0].source, "https://example.com/d#frag");
	channels_free(&c);
}

struct policy_case {
	const char *host, *path, *api;
	const char *documented;  /* a README pattern, or NULL */
	unsigned want;           /* exfil-prone-destination findings */
	int severity;            /* of the first, when want */
};

static const struct policy_case policy_cases[] = {
	/* the bug: discord.com documented (by an invite link, say), a webhook POST passed */
	{"discord.com", "/api/webhooks/1/tok", "fetch", "discord.com", 1, SEV_HIGH},
	{"discord.com", "/api/webhooks/1/tok", "fetch", NULL, 1, SEV_HIGH},
	{"discord.com", "/api/v10/channels/1/messages", "fetch", "discord.com", 0, 0},
	{"api.github.com", "/gists", "http", "api.github.com", 1, SEV_HIGH},
	/* HTTPS seen only as a TLS server name: a note, the path is not known */
	{"discord.com", NULL, "tls-sni", "discord.com", 1, SEV_INFO},
	{"api.example.com", NULL, "tls-sni", NULL, 0, 0},
};

static void test_policy_channels(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof policy_cases / sizeof *policy_cases; i++) {
		const struct policy_case *c = &policy_cases[i];
		struct report *r = report_new();
		struct endpoint *ep;
		struct evidence e = {0};
		struct policy p;
		unsigned n = 0;
		const struct finding *first = NULL;
		assert_non_null(r);
		if (c->documented)
			assert_int_equal(report_add_documented(r, c->documented, "README.md:2", DOC_EXACT), 0);
		ep = report_endpoint(r, c->host, NULL, 443, "https", EK_LITERAL);
		assert_non_null(ep);
		e.stage = (char *)"dynamic";
		e.api = (char *)c->api;
		e.path = (char *)c->path;
		e.phase = (char *)"startup";
		assert_int_equal(endpoint_add_evidence(ep, &e), 0);
		policy_init(&p);
		assert_int_equal(policy_apply(&p, r, "2026-01-01"), 0);
		for (size_t k = 0; k < r->findings.len; k++)
			if (!strcmp(r->findings.items[k]->rule_id, "exfil-prone-destination") && n++ == 0)
				first = r->findings.items[k];
		if (n != c->want)
			fail_msg("row %zu (%s %s): %u findings, want %u", i, c->host, c->path ? c->path : "-", n, c->want);
		if (first)
			assert_int_equal((int)first->severity, c->severity);
		report_free(r);
		policy_free(&p);
	}
}

/* Two requests on one connection in one phase: the second's path is evidence of its own
 * (dynamic evidence used to be one per phase, so a webhook after a GET was lost). */
static void test_second_request_kept(void **state)
{
	struct report *r = report_new();
	struct endpoint *ep = report_endpoint(r, "discord.com", NULL, 80, "http", EK_LITERAL);
	struct evidence e = {.stage = (char *)"dynamic", .api = (char *)"http", .phase = (char *)"startup"};

	(void)state;
	e.path = (char *)"/api/v10/gateway";
	assert_int_equal(endpoint_add_evidence(ep, &e), 0);
	e.path = (char *)"/api/webhooks/1/tok";
	assert_int_equal(endpoint_add_evidence(ep, &e), 0);
	assert_int_equal(ep->evidence.len, 2);
	report_free(r);
}

/* An invite link documents no host (core/data/community_links.txt); a docs link does. */
static void test_invite_documents_nothing(void **state)
{
	char dir[] = "/tmp/mcpaudit-channels-XXXXXX", path[300];
	struct report *r = report_new();
	FILE *f;
	bool discord = false, weather = false;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/README.md", dir);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs("Chat: https://discord.com/invite/abc and https://discord.gg/xyz\nAPI: https://api.weather.example.com/v1\n", f);
	fclose(f);
	assert_int_equal(docs_collect(r, dir), 0);
	for (size_t i = 0; i < r->documented.len; i++) {
		discord |= strstr(r->documented.items[i].pattern, "discord") != NULL;
		weather |= !strcmp(r->documented.items[i].pattern, "api.weather.example.com");
	}
	assert_false(discord);
	assert_true(weather);
	remove(path);
	rmdir(dir);
	report_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match),
		cmocka_unit_test(test_bad_lists),
		cmocka_unit_test(test_policy_channels),
		cmocka_unit_test(test_second_request_kept),
		cmocka_unit_test(test_invite_documents_nothing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
