/* fuzz_url: URL and host normalisation (core/url.c, core/hostname.c) and the policy's host
 * patterns (core/policy.c host_pattern_*), on one NUL-terminated string.
 *
 * Besides not crashing, each reader's own promises are checked: url_parse's host fits its
 * buffer, is lower-case and has no trailing dot; a host pattern formats to text that parses
 * back to the same pattern; a host is within its own registrable domain. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/hostname.h"
#include "core/policy.h"
#include "core/url.h"
#include "tests/fuzz/fuzz_util.h"

static void check_url(const char *s)
{
	struct url_parts u;
	size_t n;

	if (!url_parse(s, &u))
		return;
	n = strnlen(u.host, sizeof u.host);
	if (n == 0 || n == sizeof u.host || u.host[n - 1] == '.' || u.path_offset > strlen(s))
		abort();
	for (size_t i = 0; i < n; i++)
		if (isupper((unsigned char)u.host[i]))
			abort();
	url_default_port(u.scheme);
	host_is_local(u.host);
	host_is_name(u.host);
}

static void check_host(const char *s)
{
	char *reg;

	host_is_ip(s);
	host_is_name(s);
	host_is_local(s);
	hostname_tld_known(s);
	reg = hostname_registrable(s);
	if (reg && !hostname_within(s, reg, true))
		abort();
	free(reg);
}

static void check_pattern(const char *s)
{
	struct host_pattern hp = {0}, again = {0};
	char text[600], err[256];

	if (host_pattern_parse(s, "fuzz", &hp, err, sizeof err) != 0)
		return;
	host_pattern_match(&hp, "api.example.com", 443);
	host_pattern_match(&hp, s, 0);
	if (host_pattern_format(&hp, text, sizeof text) == 0) {
		if (host_pattern_parse(text, "fuzz", &again, err, sizeof err) != 0) {
			fprintf(stderr, "'%s' formats as '%s', which does not parse: %s\n", s, text, err);
			abort();
		}
		host_pattern_free(&again);
	}
	host_pattern_free(&hp);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s;

	if (size > 4096)
		return 0;
	s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_url(s);
	check_host(s);
	check_pattern(s);
	free(s);
	return 0;
}
