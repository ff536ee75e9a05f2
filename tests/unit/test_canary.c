/* canary: formats and checksums, uniqueness, planted files, every encoding found, no false hits, DNS labels. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <regex.h>
#include <sys/random.h>

#include "core/strbuf.h"
#include "tracer/canary.h"

/* ------------------------------------------------------------ encoders of our own */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* RFC 4648 section 4 (url: section 5), with padding. Caller frees. */
static char *base64(const char *in, size_t n, bool url)
{
	char *out = malloc((n + 2) / 3 * 4 + 1), *o = out;

	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)(uint8_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)(uint8_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= (uint8_t)in[i + 2];
		*o++ = b64[v >> 18];
		*o++ = b64[(v >> 12) & 63];
		*o++ = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		*o++ = i + 2 < n ? b64[v & 63] : '=';
	}
	*o = '\0';
	for (o = out; url && *o; o++)
		*o = *o == '+' ? '-' : *o == '/' ? '_' : *o;
	return out;
}

/* RFC 4648 section 6, lower-case (as DNS tunnels send it), no padding. */
static char *base32_lower(const char *in, size_t n)
{
	static const char a[] = "abcdefghijklmnopqrstuvwxyz234567";
	char *out = malloc(n * 8 / 5 + 2), *o = out;
	unsigned acc = 0;
	int bits = 0;

	for (size_t i = 0; i < n; i++) {
		acc = (acc << 8) | (uint8_t)in[i];
		for (bits += 8; bits >= 5; bits -= 5)
			*o++ = a[(acc >> (bits - 5)) & 31];
	}
	if (bits)
		*o++ = a[(acc << (5 - bits)) & 31];
	*o = '\0';
	return out;
}

static char *hex(const char *in, size_t n, bool upper)
{
	char *out = malloc(2 * n + 1);

	for (size_t i = 0; i < n; i++)
		snprintf(out + 2 * i, 3, upper ? "%02X" : "%02x", (uint8_t)in[i]);
	out[2 * n] = '\0';
	return out;
}

static char *percent(const char *in, size_t n)
{
	char *out = malloc(3 * n + 1), *o = out;

	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)in[i];
		if ((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || ch == '-' ||
		    ch == '_' || ch == '.' || ch == '~')
			*o++ = (char)ch;
		else
			o += snprintf(o, 4, "%%%02X", ch);
	}
	*o = '\0';
	return out;
}

static char *reversed(const char *in, size_t n)
{
	char *out = malloc(n + 1);

	for (size_t i = 0; i < n; i++)
		out[i] = in[n - 1 - i];
	out[n] = '\0';
	return out;
}

/* ------------------------------------------------------------ helpers */

struct hits {
	size_t n;
	const struct canary *last;
	char encoding[32];
	size_t offset;
};

static void on_hit(void *ctx, const struct canary *c, const char *encoding, size_t offset)
{
	struct hits *h = ctx;

	h->n++;
	h->last = c;
	snprintf(h->encoding, sizeof h->encoding, "%s", encoding);
	h->offset = offset;
}

static struct canary_set *make_set(void)
{
	struct canary_set *set = NULL;
	char err[256] = "";

	assert_int_equal(canary_set_new(NULL, 0, &set, err, sizeof err), CANARY_OK);
	assert_non_null(set);
	return set;
}

static const struct canary *must_find(const struct canary_set *set, const char *name)
{
	const struct canary *c = canary_find(set, name);

	assert_non_null(c);
	return c;
}

static const struct canary_file *file_at(const struct canary_set *set, const char *path)
{
	for (size_t i = 0; i < set->files.len; i++)
		if (strcmp(set->files.items[i].path, path) == 0)
			return &set->files.items[i];
	fail_msg("no planted file %s", path);
	return NULL;
}

static bool matches(const char *re, const char *s)
{
	regex_t rx;
	int rc;

	assert_int_equal(regcomp(&rx, re, REG_EXTENDED | REG_NOSUB), 0);
	rc = regexec(&rx, s, 0, NULL, 0);
	regfree(&rx);
	return rc == 0;
}

/* ------------------------------------------------------------ tests */

static void test_checksum_vectors(void **state)
{
	/* computed independently with Python's zlib.crc32 and base62 0-9A-Za-z */
	char sum[7];

	canary_checksum6("aB7cD8eF9gH0jK1mN2pQ3rS4tU5vW6", 30, sum);
	assert_string_equal(sum, "2M5jQM");
	canary_checksum6("abcdefgh12345678903ZZZZZZZZZZZ", 30, sum);
	assert_string_equal(sum, "0p5S0Y"); /* left-padded with '0' */
}

struct format_case {
	const char *name, *regex;
	bool checksum; /* prefix + 30 base62 + crc32 */
};

static const struct format_case formats[] = {
	{"aws_access_key_id", "^AKIA[A-Z2-7]{16}$", false},
	{"aws_secret_access_key", "^[A-Za-z0-9/+]{40}$", false},
	{"github_token", "^ghp_[A-Za-z0-9]{36}$", true},
	{"gh_oauth_token", "^gho_[A-Za-z0-9]{36}$", true},
	{"github_fine_grained", "^github_pat_11[A-Z0-9]{20}_[A-Za-z0-9]{59}$", false},
	{"openai_api_key", "^(sk-(proj|svcacct)-[A-Za-z0-9_-]{74}T3BlbkFJ[A-Za-z0-9_-]{74}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})$",
	 false},
	{"anthropic_api_key", "^sk-ant-api03-[A-Za-z0-9_-]{93}AA$", false},
	{"npm_token", "^npm_[A-Za-z0-9]{36}$", true},
	{"slack_bot_token", "^xoxb-[0-9]{11,12}-[0-9]{13}-[A-Za-z0-9]{24}$", false},
	{"stripe_secret_key", "^(sk|rk)_live_51[A-Za-z0-9]{97}$", false},
	{"generic_api_key", "^([0-9a-f]{32}|[A-Za-z0-9]{40}|[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12})$", false},
	{"database_url", "^(postgres|postgresql|mysql)://[a-z]+:[A-Za-z0-9]{16,24}@(localhost|127\\.0\\.0\\.1):[0-9]+/[a-z_]+$", false},
	{"docker_pat", "^dckr_pat_[A-Za-z0-9_-]{27}$", false},
	{"huggingface_token", "^hf_[A-Za-z]{34}$", false},
	{"ssh_private_key", "^[A-Za-z0-9+/]{2380}$", false},
};

static void test_formats(void **state)
{
	struct canary_set *set = make_set();

	/* the embedded list names each service's own domains */
	assert_true(canary_own_service(set, must_find(set, "github_token"), "api.github.com"));
	assert_true(canary_own_service(set, must_find(set, "aws_secret_access_key"), "sts.us-east-1.amazonaws.com"));
	assert_false(canary_own_service(set, must_find(set, "github_token"), "api.openai.com"));
	assert_false(canary_own_service(set, must_find(set, "ssh_private_key"), "github.com"));

	for (size_t i = 0; i < sizeof formats / sizeof *formats; i++) {
		const struct canary *c = must_find(set, formats[i].name);
		char sum[7];
		if (!matches(formats[i].regex, c->value))
			fail_msg("%s = %s does not match %s", c->name, c->value, formats[i].regex);
		assert_int_equal(strlen(c->value), c->len);
		if (formats[i].checksum) {
			const char *body = strchr(c->value, '_') + 1;
			canary_checksum6(body, 30, sum);
			assert_string_equal(body + 30, sum);
		}
	}
	/* the fixed prefix is not part of the random core */
	assert_int_equal(must_find(set, "github_token")->core, 4);
	assert_int_equal(must_find(set, "anthropic_api_key")->core, strlen("sk-ant-api03-"));
	assert_int_equal(must_find(set, "generic_api_key")->core, 0);
	/* never the documentation examples */
	assert_string_not_equal(must_find(set, "aws_access_key_id")->value, "AKIAIOSFODNN7EXAMPLE");
	assert_string_not_equal(must_find(set, "aws_secret_access_key")->value,
				"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
	canary_set_free(set);
}

static void test_unique(void **state)
{
	struct canary_set *a = make_set(), *b = make_set();

	assert_int_equal(a->canaries.len, b->canaries.len);
	for (size_t i = 0; i < a->canaries.len; i++) {
		assert_string_not_equal(a->canaries.items[i].value, b->canaries.items[i].value);
		for (size_t j = i + 1; j < a->canaries.len; j++)
			assert_string_not_equal(a->canaries.items[i].value, a->canaries.items[j].value);
		/* and run b's values are nowhere in run a's search */
		assert_int_equal(canary_search(a, (const uint8_t *)b->canaries.items[i].value,
					       b->canaries.items[i].len, NULL, NULL), 0);
	}
	canary_set_free(a);
	canary_set_free(b);
}

static void test_planted(void **state)
{
	struct canary_set *set = make_set();
	const struct canary *key = must_find(set, "aws_access_key_id");
	const struct canary_file *f;
	char *want, *auth;
	bool env_seen = false;

	for (size_t i = 0; i < set->env.len; i++)
		if (strcmp(set->env.items[i].name, "AWS_ACCESS_KEY_ID") == 0 && set->env.items[i].canary == key)
			env_seen = true;
	assert_true(env_seen);
	assert_string_equal(key->planted, "env AWS_ACCESS_KEY_ID, ~/.aws/credentials");
	assert_string_equal(must_find(set, "gh_oauth_token")->planted, "~/.netrc, ~/.config/gh/hosts.yml");
	assert_string_equal(must_find(set, "dotenv_database_password")->planted, "./.env");

	f = file_at(set, ".aws/credentials");
	assert_true(f->in_home);
	assert_int_equal(f->mode, 0600);
	want = xasprintf("[default]\naws_access_key_id = %s\naws_secret_access_key = %s\nregion = us-east-1\n",
			 key->value, must_find(set, "aws_secret_access_key")->value);
	assert_string_equal(f->content, want);
	assert_int_equal(f->len, strlen(want));
	free(want);

	f = file_at(set, ".ssh/id_rsa");
	assert_true(matches("^-----BEGIN OPENSSH PRIVATE KEY-----\n(b3BlbnNzaC1rZXktdjEAAAAA[A-Za-z0-9+/]{46}\n)"
			    "([A-Za-z0-9+/]{70}\n)+[A-Za-z0-9+/]{1,70}\n-----END OPENSSH PRIVATE KEY-----\n$",
			    f->content));
	f = file_at(set, ".npmrc");
	want = xasprintf("//registry.npmjs.org/:_authToken=%s\n", must_find(set, "npm_token")->value);
	assert_string_equal(f->content, want);
	free(want);
	f = file_at(set, ".git-credentials");
	assert_true(matches("^https://alex:github_pat_[A-Za-z0-9_]+@github.com\n$", f->content));
	file_at(set, ".netrc");
	file_at(set, ".config/gh/hosts.yml");

	/* Docker's auth is base64("user:token") */
	f = file_at(set, ".docker/config.json");
	want = xasprintf("alex:%s", must_find(set, "docker_pat")->value);
	auth = base64(want, strlen(want), false);
	assert_non_null(strstr(f->content, auth));
	free(auth);
	free(want);

	f = file_at(set, ".env");
	assert_false(f->in_home);
	assert_non_null(strstr(f->content, must_find(set, "dotenv_openai_api_key")->value));

	/* nothing names the auditor: the sandbox must look ordinary */
	for (size_t i = 0; i < set->files.len; i++)
		assert_null(strstr(set->files.items[i].content, "mcpaudit"));
	canary_set_free(set);
}

typedef char *(*encoder)(const char *in, size_t n);

static char *enc_plain(const char *in, size_t n) { return xstrndup(in, n); }
static char *enc_b64(const char *in, size_t n) { return base64(in, n, false); }
static char *enc_b64url(const char *in, size_t n) { return base64(in, n, true); }
static char *enc_b32(const char *in, size_t n) { return base32_lower(in, n); }
static char *enc_hex(const char *in, size_t n) { return hex(in, n, false); }
static char *enc_HEX(const char *in, size_t n) { return hex(in, n, true); }

static char *enc_b32_upper(const char *in, size_t n)
{
	char *s = base32_lower(in, n);

	for (char *p = s; *p; p++)
		if (*p >= 'a' && *p <= 'z')
			*p = (char)(*p - 32);
	return s;
}

static const struct {
	const char *name;
	encoder enc;
	const char *want;
} encodings[] = {
	{"plain", enc_plain, "plain"},
	{"base64", enc_b64, "base64"},
	{"base64url", enc_b64url, "base64"}, /* same bytes as base64 unless a '+' or '/' shows */
	{"base32", enc_b32_upper, "base32"},
	{"hex", enc_hex, "hex"},
	{"HEX", enc_HEX, "hex"},
	{"url-encoded", percent, NULL},
	{"reversed", reversed, "reversed"},
};

/* Each canary inside a JSON body, after 0, 1 and 2 bytes of context (the three
 * base64 alignments), encoded every way. */
static void test_encodings(void **state)
{
	static const char *const names[] = {"aws_secret_access_key", "github_token", "openai_api_key",
					    "slack_bot_token", "ssh_private_key", "docker_pat"};
	struct canary_set *set = make_set();

	for (size_t n = 0; n < sizeof names / sizeof *names; n++) {
		const struct canary *c = must_find(set, names[n]);
		for (size_t e = 0; e < sizeof encodings / sizeof *encodings; e++) {
			for (size_t shift = 0; shift < 3; shift++) {
				struct strbuf plain = STRBUF_INIT(0), hay = STRBUF_INIT(0);
				struct hits h = {0};
				char *enc;
				strbuf_append(&plain, "k=v&", shift + 1);
				strbuf_puts(&plain, c->value);
				enc = encodings[e].enc(strbuf_str(&plain), plain.len);
				strbuf_printf(&hay, "POST /collect HTTP/1.1\r\nHost: x\r\n\r\n{\"d\":\"%s\"}", enc);
				assert_int_equal(canary_search(set, (const uint8_t *)strbuf_str(&hay), hay.len, on_hit, &h), 1);
				if (h.last != c)
					fail_msg("%s in %s (shift %zu): found %s", c->name, encodings[e].name, shift,
						 h.last ? h.last->name : "nothing");
				if (encodings[e].want && strncmp(h.encoding, encodings[e].want, strlen(encodings[e].want)) != 0)
					fail_msg("%s in %s: reported as %s", c->name, encodings[e].name, h.encoding);
				free(enc);
				strbuf_free(&plain);
				strbuf_free(&hay);
			}
		}
	}
	/* a '+' or '/' in the secret makes URL-encoding differ from plain */
	{
		const struct canary *c = must_find(set, "aws_secret_access_key");
		char *enc = percent(c->value, c->len);
		struct hits h = {0};
		if (strcmp(enc, c->value) != 0) {
			canary_search(set, (const uint8_t *)enc, strlen(enc), on_hit, &h);
			assert_string_equal(h.encoding, "url-encoded");
		}
		free(enc);
	}
	canary_set_free(set);
}

static void test_partial_and_files(void **state)
{
	struct canary_set *set = make_set();
	const struct canary *c = must_find(set, "openai_api_key");
	const struct canary_file *f = file_at(set, ".aws/credentials");
	struct hits h = {0};
	char buf[64];
	char *enc;

	/* the first 16 characters of the random part, on their own */
	snprintf(buf, sizeof buf, "key=%.16s;", c->value + c->core);
	assert_int_equal(canary_search(set, (const uint8_t *)buf, strlen(buf), on_hit, &h), 1);
	assert_ptr_equal(h.last, c);
	assert_int_equal(h.offset, 4);
	/* 15 are not enough */
	snprintf(buf, sizeof buf, "key=%.15s;", c->value + c->core);
	assert_int_equal(canary_search(set, (const uint8_t *)buf, strlen(buf), NULL, NULL), 0);
	/* whole files, base64-encoded, give up both AWS values */
	enc = base64(f->content, f->len, false);
	assert_int_equal(canary_search(set, (const uint8_t *)enc, strlen(enc), NULL, NULL), 2);
	free(enc);
	/* the SSH key, wrapped over lines, is still found (its first and last characters) */
	f = file_at(set, ".ssh/id_rsa");
	memset(&h, 0, sizeof h);
	assert_int_equal(canary_search(set, (const uint8_t *)f->content, f->len, on_hit, &h), 1);
	assert_string_equal(h.last->name, "ssh_private_key");
	enc = hex(f->content, f->len, false);
	assert_int_equal(canary_search(set, (const uint8_t *)enc, strlen(enc), NULL, NULL), 1);
	free(enc);
	/* every planted file gives up what it holds */
	for (size_t i = 0; i < set->files.len; i++)
		assert_true(canary_search(set, (const uint8_t *)set->files.items[i].content, set->files.items[i].len,
					  NULL, NULL) >= 1);
	/* each canary reported once, however often it appears */
	{
		struct strbuf b = STRBUF_INIT(0);
		for (int i = 0; i < 5; i++)
			strbuf_printf(&b, "%s %s ", c->value, must_find(set, "npm_token")->value);
		memset(&h, 0, sizeof h);
		assert_int_equal(canary_search(set, (const uint8_t *)strbuf_str(&b), b.len, on_hit, &h), 2);
		assert_int_equal(h.n, 2);
		strbuf_free(&b);
	}
	canary_set_free(set);
}

static void test_no_false_hits(void **state)
{
	static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	struct canary_set *set = make_set(), *other = make_set();
	uint8_t buf[4096];

	for (int round = 0; round < 1000; round++) {
		assert_int_equal(getrandom(buf, sizeof buf, 0), (ssize_t)sizeof buf);
		/* every other buffer is text in the canaries' own alphabet: the harder case */
		if (round % 2)
			for (size_t i = 0; i < sizeof buf; i++)
				buf[i] = (uint8_t)alnum[buf[i] & 63];
		assert_int_equal(canary_search(set, buf, sizeof buf, NULL, NULL), 0);
	}
	/* another run's files share every fixed part (prefixes, headers, layout) */
	for (size_t i = 0; i < other->files.len; i++)
		assert_int_equal(canary_search(set, (const uint8_t *)other->files.items[i].content,
					       other->files.items[i].len, NULL, NULL), 0);
	/* and short or empty input */
	assert_int_equal(canary_search(set, (const uint8_t *)"", 0, NULL, NULL), 0);
	assert_int_equal(canary_search(set, NULL, 0, NULL, NULL), 0);
	canary_set_free(other);
	canary_set_free(set);
}

/* name = encoded value split into labels of at most 63 characters, under a domain. */
static char *split_labels(const char *enc, size_t label, const char *domain)
{
	struct strbuf b = STRBUF_INIT(0);
	size_t n = strlen(enc);

	for (size_t i = 0; i < n; i += label)
		strbuf_printf(&b, "%.*s.", (int)(n - i < label ? n - i : label), enc + i);
	strbuf_puts(&b, domain);
	return strbuf_take(&b);
}

static void test_dns_labels(void **state)
{
	static const struct {
		encoder enc;
		size_t label;
		const char *want;
	} cases[] = {
		{enc_hex, 63, "hex"}, {enc_hex, 7, "hex"}, {enc_b32, 50, "base32"},
		{enc_plain, 10, "plain"}, {enc_HEX, 63, "hex"},
	};
	struct canary_set *set = make_set();
	const struct canary *c = must_find(set, "github_token");

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *enc = cases[i].enc(c->value, c->len);
		char *name = split_labels(enc, cases[i].label, "x7.attacker-domain.example");
		struct hits h = {0};
		assert_int_equal(canary_search_dns(set, name, on_hit, &h), 1);
		assert_ptr_equal(h.last, c);
		assert_string_equal(h.encoding, cases[i].want);
		free(name);
		free(enc);
	}
	/* the plain value with its case changed (0x20 randomisation) */
	{
		char *v = xstrdup(c->value);
		struct hits h = {0};
		for (char *p = v; *p; p += 2)
			*p = (char)((*p >= 'a' && *p <= 'z') ? *p - 32 : (*p >= 'A' && *p <= 'Z') ? *p + 32 : *p);
		assert_int_equal(canary_search_dns(set, v, on_hit, &h), 1);
		free(v);
	}
	assert_int_equal(canary_search_dns(set, "www.example.com", NULL, NULL), 0);
	assert_int_equal(canary_search_dns(set, "", NULL, NULL), 0);
	canary_set_free(set);
}

static void test_custom_list(void **state)
{
	static const char list[] = "# a small list\n"
				   "token t T-{hex:20}\n"
				   "token u {digit:16}\n"
				   "env GITHUB_TOKEN t\n"
				   "file cwd conf/x.ini 0644\n"
				   "| a=${t/8}\n"
				   "|\n"
				   "| b=${u@base64:me:}\n";
	struct canary_set *set = NULL;
	char err[256] = "";
	const struct canary *t;
	char *want;

	assert_int_equal(canary_set_new(list, sizeof list - 1, &set, err, sizeof err), CANARY_OK);
	t = must_find(set, "t");
	assert_int_equal(t->core, 2);
	assert_int_equal(set->env.len, 1);
	assert_int_equal(set->files.len, 1);
	assert_int_equal(set->files.items[0].mode, 0644);
	/* wrapped at 8 columns counting the "a=" before it */
	want = xasprintf("a=%.6s\n%.8s\n%.8s\n\nb=", t->value, t->value + 6, t->value + 14);
	assert_memory_equal(set->files.items[0].content, want, strlen(want));
	free(want);
	assert_string_equal(t->planted, "env GITHUB_TOKEN, ./conf/x.ini");
	/* its own service, through the variable it is planted in (core/data/own_services.txt):
	 * the domains and below, on label boundaries only */
	assert_true(canary_own_service(set, t, "github.com"));
	assert_true(canary_own_service(set, t, "api.github.com"));
	assert_true(canary_own_service(set, t, "raw.githubusercontent.com"));
	assert_false(canary_own_service(set, t, "evilgithub.com"));
	assert_false(canary_own_service(set, t, "github.com.example.org"));
	assert_false(canary_own_service(set, t, "example.com"));
	assert_false(canary_own_service(set, must_find(set, "u"), "github.com"));
	canary_set_free(set);
}

static bool env_has(const struct canary_set *set, const char *name)
{
	for (size_t i = 0; i < set->env.len; i++)
		if (strcmp(set->env.items[i].name, name) == 0)
			return true;
	return false;
}

/* The planted variables differ from run to run (issue 8 item 17: the same dozen secret
 * variables every run gave the sandbox away), the always-needed ones stay, values take
 * more than one shape, and every planted value is still found. Failed before the extra
 * pool (one env-name set in all 40 runs, one generic_api_key shape), checked on the build
 * before it. */
static void test_varied_set(void **state)
{
	static const char *const always[] = {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "OPENAI_API_KEY"};
	char first_names[4096] = "";
	bool names_differ = false, shapes[3] = {false, false, false};

	for (int run = 0; run < 40; run++) {
		struct canary_set *set = make_set();
		char names[4096] = "";
		const char *g = must_find(set, "generic_api_key")->value;
		size_t used = 0;

		for (size_t i = 0; i < sizeof always / sizeof *always; i++)
			assert_true(env_has(set, always[i]));
		assert_in_range(set->env.len, 4 + 2, 4 + 6);
		for (size_t i = 0; i < set->env.len; i++) {
			const struct canary *c = set->env.items[i].canary;
			used += (size_t)snprintf(names + used, sizeof names - used, "%s ", set->env.items[i].name);
			assert_true(used < sizeof names);
			assert_int_equal(canary_search(set, (const uint8_t *)c->value, c->len, NULL, NULL), 1);
		}
		if (run == 0)
			snprintf(first_names, sizeof first_names, "%s", names);
		else if (strcmp(first_names, names) != 0)
			names_differ = true;
		shapes[strlen(g) == 40 ? 1 : strchr(g, '-') ? 2 : 0] = true;
		canary_set_free(set);
	}
	assert_true(names_differ);
	assert_true(shapes[0] + shapes[1] + shapes[2] >= 2);
}

/* extras MIN MAX draws from the extra lines above it; the random part of a value ends
 * before a fixed suffix, so a URL's password is found alone and its suffix is no needle. */
static void test_extras_and_suffix(void **state)
{
	static const char list[] = "token url postgres://app:{base62:24}@localhost:5432/app_production\n"
				   "token a A{hex:20}|B{hex:20}\n"
				   "token b {hex:20}\n"
				   "extra A_KEY a\n"
				   "extra B_KEY b\n"
				   "extras 1 1\n"
				   "env DATABASE_URL url\n";
	struct canary_set *set = NULL;
	char err[256] = "";
	const struct canary *url;
	static const char suffix[] = "user@localhost:5432/app_production and more";

	assert_int_equal(canary_set_new(list, sizeof list - 1, &set, err, sizeof err), CANARY_OK);
	assert_int_equal(set->env.len, 2);
	assert_true(env_has(set, "A_KEY") != env_has(set, "B_KEY"));
	assert_true(env_has(set, "DATABASE_URL"));
	url = must_find(set, "url");
	assert_int_equal(url->core, strlen("postgres://app:"));
	assert_int_equal(url->core_end, url->core + 24);
	assert_int_equal(canary_search(set, (const uint8_t *)url->value + url->core, 24, NULL, NULL), 1);
	assert_int_equal(canary_search(set, (const uint8_t *)suffix, strlen(suffix), NULL, NULL), 0);
	assert_true(must_find(set, "a")->value[0] == 'A' || must_find(set, "a")->value[0] == 'B');
	canary_set_free(set);
}

static void test_bad_lists(void **state)
{
	static const struct {
		const char *list, *err;
	} cases[] = {
		{"token a {b63:4}\n", "line 1: unknown class 'b63'"},
		{"\ntoken a {hex:4\n", "line 2: '{' without '}'"},
		{"token a {hex:0}\n", "line 1: bad placeholder"},
		{"token a X{hex:9999}\n", "line 1: bad placeholder"},
		{"token a {hex:8}\ntoken a {hex:8}\n", "line 2: token 'a' defined twice"},
		{"env X nope\n", "line 1: unknown token 'nope'"},
		{"| text\n", "line 1: '|' line outside a file block"},
		{"file tmp x 0600\n", "line 1: a file is in 'home' or 'cwd'"},
		{"file home ../x 0600\n", "line 1: bad file path or mode"},
		{"file home x 0999\n", "line 1: bad file path or mode"},
		{"file home x 0600\n| ${nope}\n", "line 1: unknown token"},
		{"token a {hex:8}\nfile home x 0600\n| ${a/0}\n", "line 2: bad wrap width"},
		{"token a {hex:8}\nfile home x 0600\n| ${a@rot13:x}\n", "line 2: bad encoding"},
		{"whatever\n", "line 1: expected"},
		/* own services moved to core/data/own_services.txt: the list refuses the old line */
		{"token a {hex:8}\nservice a example.com\n", "line 2: expected 'token NAME TEMPLATE"},
		{"token a {hex:8}|\n", "line 1: an empty template"},
		{"token a {hex:8}|{b63:2}\n", "line 1: unknown class 'b63'"},
		{"extra X nope\n", "line 1: unknown token 'nope'"},
		{"token a {hex:8}\nextra X a\n", "line 2: an 'extra' line with no 'extras MIN MAX' after it"},
		{"token a {hex:8}\nextra X a\nextras 1 2\n", "line 3: extras: want 'extras MIN MAX' with MIN <= MAX <= 1"},
		{"extras 0 x\n", "line 1: extras: want"},
	};

	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct canary_set *set = (struct canary_set *)cases;
		char err[256] = "";
		assert_int_equal(canary_set_new(cases[i].list, strlen(cases[i].list), &set, err, sizeof err),
				 CANARY_BAD_LIST);
		assert_null(set);
		if (!strstr(err, cases[i].err))
			fail_msg("case %zu: '%s' does not say '%s'", i, err, cases[i].err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum_vectors),
		cmocka_unit_test(test_formats),
		cmocka_unit_test(test_unique),
		cmocka_unit_test(test_planted),
		cmocka_unit_test(test_encodings),
		cmocka_unit_test(test_partial_and_files),
		cmocka_unit_test(test_no_false_hits),
		cmocka_unit_test(test_dns_labels),
		cmocka_unit_test(test_custom_list),
		cmocka_unit_test(test_varied_set),
		cmocka_unit_test(test_extras_and_suffix),
		cmocka_unit_test(test_bad_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
