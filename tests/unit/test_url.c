/* url: parsing URLs into scheme, host and port; literal address forms; local hosts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/hostname.h"
#include "core/url.h"

struct url_case {
	const char *input;
	bool ok;
	const char *scheme, *host;
	int port;
	size_t path_offset;
};

static const struct url_case url_cases[] = {
	{"https://api.example.com/v1/x", true, "https", "api.example.com", 443, 23},
	{"HTTP://API.Example.COM", true, "http", "api.example.com", 80, 22},
	{"https://api.example.com:8443/x", true, "https", "api.example.com", 8443, 28},
	{"https://api.example.com./", true, "https", "api.example.com", 443, 24},
	/* Found by fuzz_url (tests/fuzz/regressions/fuzz_url): only one trailing dot was dropped,
	 * so the host kept one, against url_parts' promise. Failed before the fix (checked by
	 * running this test without it). */
	{"https://api.example.com../", true, "https", "api.example.com", 443, 25},
	{"//2027.0.0../", true, "", "2027.0.0", 0, 12},
	{"https://./", false, NULL, NULL, 0, 0},
	{"wss://relay.example.net/ws?x=1", true, "wss", "relay.example.net", 443, 23},
	{"ws://relay.example.net", true, "ws", "relay.example.net", 80, 22},
	/* userinfo: the last '@' ends it, even with '@' in the password */
	{"https://user:p@ss@db.example.com:5/x", true, "https", "db.example.com", 5, 34},
	{"postgres://u:pw@db.example.com/app", true, "postgres", "db.example.com", 5432, 30},
	{"postgresql://db.example.com", true, "postgresql", "db.example.com", 5432, 27},
	{"redis://:secret@cache.example.com", true, "redis", "cache.example.com", 6379, 33},
	{"rediss://cache.example.com", true, "rediss", "cache.example.com", 6379, 26},
	{"mongodb+srv://u:p@cluster.example.net/db", true, "mongodb+srv", "cluster.example.net", 27017, 37},
	{"mysql://db.example.com:3307", true, "mysql", "db.example.com", 3307, 27},
	{"amqp://mq.example.com", true, "amqp", "mq.example.com", 5672, 21},
	{"smtp://mail.example.com", true, "smtp", "mail.example.com", 25, 23},
	{"smtps://mail.example.com", true, "smtps", "mail.example.com", 465, 24},
	{"ftp://files.example.com/a", true, "ftp", "files.example.com", 21, 23},
	{"gopher://old.example.com", true, "gopher", "old.example.com", 70, 24},
	{"foo://thing.example.com", true, "foo", "thing.example.com", 0, 23},
	/* IPv6 in brackets, with and without a port, and with a zone id */
	{"http://[2001:db8::1]:8080/x", true, "http", "2001:db8::1", 8080, 25},
	{"https://[2001:DB8::1]/", true, "https", "2001:db8::1", 443, 21},
	/* the URL Standard has no zone ids: Node refuses this URL (Python reads it) */
	{"http://[fe80::1%25eth0]/", false, NULL, NULL, 0, 0},
	/* as Node reads them (issue 8 item 15; tests/url/test_url_runtimes.py asks Node itself):
	 * these found no host, or another one, before url_parse followed the URL Standard */
	{"https:\\\\evil.example.net/x", true, "https", "evil.example.net", 443, 24},
	{"http:evil.example.net", true, "http", "evil.example.net", 80, 21},
	{"https://%65vil.example.net/", true, "https", "evil.example.net", 443, 26},
	{"https://ev\til.exa\nmple.net/", true, "https", "evil.example.net", 443, 26},
	{"http://0x7f.1/", true, "http", "127.0.0.1", 80, 13},
	{"http://3325256711/", true, "http", "198.51.100.7", 80, 17},
	{"http://[2001:DB8:0:0:0:0:0:5]/", true, "http", "2001:db8::5", 80, 29},
	{"https://\xd0\xb0pple.example/", true, "https", "xn--pple-43d.example", 443, 22},
	{"https://a.example.com@b.example.net/", true, "https", "b.example.net", 443, 35},
	{"http://203.0.113.5:81", true, "http", "203.0.113.5", 81, 21},
	/* scheme-relative */
	{"//cdn.example.com/lib.js", true, "", "cdn.example.com", 0, 17},
	{"https://example.com?q=1", true, "https", "example.com", 443, 19},
	{"https://example.com#frag", true, "https", "example.com", 443, 19},
	{"https://example.com\\evil.net", true, "https", "example.com", 443, 19},
	/* not URLs, or broken ones */
	{"api.example.com/v1", false, NULL, NULL, 0, 0},
	{"/relative/path", false, NULL, NULL, 0, 0},
	{"mailto:someone@example.com", false, NULL, NULL, 0, 0},
	{"https://", false, NULL, NULL, 0, 0},
	{"https:///path", true, "https", "path", 443, 13},  /* slashes after a special scheme are skipped */
	{"https://user@/x", false, NULL, NULL, 0, 0},
	{"https://example.com:99999/", false, NULL, NULL, 0, 0},
	{"https://example.com:80a/", false, NULL, NULL, 0, 0},
	{"http://[2001:db8::1/", false, NULL, NULL, 0, 0},
	{"http://[not-v6]/", false, NULL, NULL, 0, 0},
	{"http://[::1]x/", false, NULL, NULL, 0, 0},
	{"https://{?}.example.com/", true, "https", "{", 443, 9},  /* '?' ends the host, Node says "{" */
	{"http://198.51.100.256/", false, NULL, NULL, 0, 0},
	{"https://exa mple.com/", false, NULL, NULL, 0, 0},
	{"1https://example.com", false, NULL, NULL, 0, 0},
	{"averyveryverylongscheme://example.com", false, NULL, NULL, 0, 0},
	{"", false, NULL, NULL, 0, 0},
};

static void test_url_parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof url_cases / sizeof url_cases[0]; i++) {
		const struct url_case *c = &url_cases[i];
		struct url_parts u;
		bool ok = url_parse(c->input, &u);
		if (ok != c->ok)
			fail_msg("url_parse(\"%s\") = %d, want %d", c->input, ok, c->ok);
		if (!ok)
			continue;
		if (strcmp(u.scheme, c->scheme) != 0 || strcmp(u.host, c->host) != 0 ||
		    u.port != c->port || u.path_offset != c->path_offset)
			fail_msg("url_parse(\"%s\") = {%s, %s, %d, %zu}, want {%s, %s, %d, %zu}", c->input,
				 u.scheme, u.host, u.port, u.path_offset, c->scheme, c->host, c->port,
				 c->path_offset);
	}
}

/* urllib.parse's reading of the strings on which it differs from Node. */
static const struct url_case python_cases[] = {
	{"https:\\\\evil.example.net/", false, NULL, NULL, 0, 0},
	{"http:evil.example.net", false, NULL, NULL, 0, 0},
	{"https://%65vil.example.net/", true, "https", "%65vil.example.net", 443, 26},
	{"https://ev\til.example.net/", true, "https", "evil.example.net", 443, 25},
	{"https://good.example.com\\.evil.example.net/", true, "https", "good.example.com\\.evil.example.net", 443, 42},
	{"http://[fe80::1%25eth0]:81/", true, "http", "fe80::1", 81, 26},
	{"http://0x7f.1/", true, "http", "0x7f.1", 80, 13},
	{"//cdn.example.com/lib.js", true, "", "cdn.example.com", 0, 17},
};

static void test_url_parse_python(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof python_cases / sizeof python_cases[0]; i++) {
		const struct url_case *c = &python_cases[i];
		struct url_parts u;
		bool ok = url_parse_as(c->input, URL_PYTHON, &u);
		if (ok != c->ok)
			fail_msg("python \"%s\" = %d, want %d", c->input, ok, c->ok);
		if (ok && (strcmp(u.scheme, c->scheme) || strcmp(u.host, c->host) || u.port != c->port ||
			   u.path_offset != c->path_offset))
			fail_msg("python \"%s\" = {%s, %s, %d, %zu}", c->input, u.scheme, u.host, u.port, u.path_offset);
	}
}

/* The Host header's host, which the dynamic stage names an HTTP connection by. Before
 * url_authority_host it took everything before the first ':' (dynamic_stage.c), and the
 * first case gave "[2001" (checked by evaluating that expression on this table). */
static void test_authority_host(void **state)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
		{"[2001:db8::5]:8080", "2001:db8::5"},
		{"[2001:db8::5]", "2001:db8::5"},
		{"API.Example.com:8443", "api.example.com"},
		{"api.example.com.", "api.example.com"},
		{"user@api.example.com:80", "api.example.com"},
		{"198.51.100.7:81", "198.51.100.7"},
		{"", NULL},
		{":80", NULL},
	};
	char host[URL_HOST_MAX];

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		bool ok = url_authority_host(cases[i].in, host, sizeof host);
		if (ok != (cases[i].want != NULL) || (ok && strcmp(host, cases[i].want) != 0))
			fail_msg("url_authority_host(\"%s\") = %s", cases[i].in, ok ? host : "false");
	}
}

static void test_url_parse_long_host(void **state)
{
	char url[600] = "https://";
	struct url_parts u;

	(void)state;
	memset(url + 8, 'a', 300);
	assert_false(url_parse(url, &u));
	assert_false(url_parse(NULL, &u));
}

struct host_case {
	const char *host;
	bool ipv4, ipv6, name, local;
};

static const struct host_case host_cases[] = {
	{"203.0.113.5", true, false, false, false},
	{"127.0.0.1", true, false, false, true},
	{"127.8.9.10", true, false, false, true},
	{"0.0.0.0", true, false, false, true},
	{"169.254.169.254", true, false, false, true},
	{"10.0.0.1", true, false, false, false},
	{"::1", false, true, false, true},
	{"::", false, true, false, true},
	{"fe80::1", false, true, false, true},
	{"::ffff:127.0.0.1", false, true, false, true},
	{"::ffff:203.0.113.5", false, true, false, false},
	{"2001:db8::1", false, true, false, false},
	{"localhost", false, false, true, true},
	{"LOCALHOST.", false, false, true, true},
	{"api.localhost", false, false, true, true},
	{"api.example.com", false, false, true, false},
	{"_dmarc.example.com", false, false, true, false},
	{"example", false, false, false, false},
	{"1.2.3", false, false, false, false},
	{"a..b.com", false, false, false, false},
	{"bad host.com", false, false, false, false},
	{"", false, false, false, false},
};

static void test_host_forms(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof host_cases / sizeof host_cases[0]; i++) {
		const struct host_case *c = &host_cases[i];
		if (host_is_ipv4(c->host) != c->ipv4 || host_is_ipv6(c->host) != c->ipv6 ||
		    host_is_ip(c->host) != (c->ipv4 || c->ipv6) || host_is_name(c->host) != c->name ||
		    host_is_local(c->host) != c->local)
			fail_msg("host \"%s\": v4 %d v6 %d name %d local %d", c->host, host_is_ipv4(c->host),
				 host_is_ipv6(c->host), host_is_name(c->host), host_is_local(c->host));
	}
	assert_false(host_is_ip(NULL));
	assert_false(host_is_name(NULL));
	assert_false(host_is_local(NULL));
}

static void test_default_ports(void **state)
{
	(void)state;
	assert_int_equal(url_default_port("https"), 443);
	assert_int_equal(url_default_port("WSS"), 443);
	assert_int_equal(url_default_port("redis"), 6379);
	assert_int_equal(url_default_port("mongodb"), 27017);
	assert_int_equal(url_default_port("nope"), 0);
	assert_int_equal(url_default_port(NULL), 0);
}

struct registrable_case {
	const char *host, *want;
};

static const struct registrable_case registrable_cases[] = {
	{"api.github.com", "github.com"},
	{"API.GitHub.com.", "github.com"},
	{"a.github.io", "a.github.io"},    /* private section: each user is a site */
	{"x.a.github.io", "a.github.io"},
	{"www.bbc.co.uk", "bbc.co.uk"},
	{"api.foo.test", "foo.test"},      /* reserved TLD, through the default "*" rule */
	{"x.y.weather.example", "weather.example"},
	{"github.io", NULL},
	{"com", NULL},
	{"203.0.113.5", NULL},
	{"2001:db8::1", NULL},
	/* Found by fuzz_url (tests/fuzz/regressions/fuzz_url): an empty label made libpsl answer
	 * for a name that is not one ("example.com." for the first, "*..*." for the last), which
	 * the host is not within. Failed before the fix (checked by running this test without it). */
	{"a.b.example.com..", NULL},
	{"a..example.com", NULL},
	{".example.com", NULL},
	{"*..*..", NULL},
};

static void test_registrable(void **state)
{
	(void)state;
	assert_non_null(hostname_psl());
	assert_ptr_equal(hostname_psl(), hostname_psl());
	for (size_t i = 0; i < sizeof registrable_cases / sizeof registrable_cases[0]; i++) {
		const struct registrable_case *c = &registrable_cases[i];
		char *got = hostname_registrable(c->host);
		if ((got == NULL) != (c->want == NULL) || (got && strcmp(got, c->want) != 0))
			fail_msg("hostname_registrable(\"%s\") = %s, want %s", c->host, got ? got : "NULL",
				 c->want ? c->want : "NULL");
		free(got);
	}
}

static void test_tld_known(void **state)
{
	(void)state;
	assert_true(hostname_tld_known("api.example.com"));
	assert_true(hostname_tld_known("api.forecast.test"));
	assert_true(hostname_tld_known("x.example"));
	assert_true(hostname_tld_known("bbc.CO.UK"));
	assert_false(hostname_tld_known("index.js"));
	assert_false(hostname_tld_known("package.json"));
	assert_false(hostname_tld_known("localhost"));
	assert_false(hostname_tld_known(NULL));
}

/* A company's domain listed in the private section, not a registry's suffix: what makes
 * "googleapis", not "oauth2", the name derived for oauth2.googleapis.com (catalog.c). */
static void test_private_suffix(void **state)
{
	(void)state;
	assert_true(hostname_private_suffix("googleapis.com"));
	assert_true(hostname_private_suffix("GitHub.IO"));
	assert_false(hostname_private_suffix("com"));
	assert_false(hostname_private_suffix("co.uk"));
	assert_false(hostname_private_suffix("example.com"));
	assert_false(hostname_private_suffix("api.github.io"));
	assert_false(hostname_private_suffix(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_parse_table),
		cmocka_unit_test(test_url_parse_long_host),
		cmocka_unit_test(test_url_parse_python),
		cmocka_unit_test(test_authority_host),
		cmocka_unit_test(test_host_forms),
		cmocka_unit_test(test_default_ports),
		cmocka_unit_test(test_registrable),
		cmocka_unit_test(test_private_suffix),
		cmocka_unit_test(test_tld_known),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
