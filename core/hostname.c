/* Registrable domains (eTLD+1) from the Public Suffix List, via libpsl. */
#include "core/hostname.h"

#include <libpsl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/strbuf.h"
#include "core/url.h"

/* The list is read once and never changes: a write-once pointer behind pthread_once is the
 * only shared state, so lookups need no lock (libpsl's queries do not modify the context). */
static pthread_once_t psl_once = PTHREAD_ONCE_INIT;
static const psl_ctx_t *psl_loaded;

static void load_psl(void)
{
	/* psl_latest(NULL) picks the newer of the system list (publicsuffix package) and the
	 * built-in one; psl_builtin() is the fallback when no file can be read. */
	psl_ctx_t *ctx = psl_latest(NULL);

	psl_loaded = ctx ? ctx : psl_builtin();
}

const struct psl_ctx_st *hostname_psl(void)
{
	pthread_once(&psl_once, load_psl);
	return psl_loaded;
}

/* Lower-case copy of src[0..n) into dst; false when it does not fit in cap. */
static bool copy_lower(char *dst, size_t cap, const char *src, size_t n)
{
	if (n == 0 || n >= cap)
		return false;
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)((src[i] >= 'A' && src[i] <= 'Z') ? src[i] + 32 : src[i]);
	dst[n] = '\0';
	return true;
}

char *hostname_registrable(const char *host)
{
	const psl_ctx_t *psl = hostname_psl();
	char lower[URL_HOST_MAX];
	const char *reg;
	size_t n;

	if (!psl || !host || host_is_ip(host))
		return NULL;
	n = strlen(host);
	if (n > 1 && host[n - 1] == '.')
		n--;
	if (!copy_lower(lower, sizeof lower, host, n))
		return NULL;
	/* an empty label ("a..b", ".a", "a.." before the one trailing dot dropped above) makes
	 * it no host name: libpsl would still answer, with a domain the host is not within */
	if (lower[0] == '.' || lower[n - 1] == '.' || strstr(lower, ".."))
		return NULL;
	/* Borrowed pointer into lower; NULL when lower is itself a public suffix. */
	reg = psl_registrable_domain(psl, lower);
	return reg ? xstrdup(reg) : NULL;
}

/* RFC 2606 names: not in the list, but what documentation and our samples must use. */
static const char *const reserved_tlds[] = {"test", "example", "invalid", NULL};

bool hostname_tld_known(const char *host)
{
	const psl_ctx_t *psl = hostname_psl();
	const char *dot, *tld;
	char lower[64];

	if (!host || !(dot = strrchr(host, '.')))
		return false;
	tld = dot + 1;
	if (!copy_lower(lower, sizeof lower, tld, strlen(tld)))
		return false;
	for (const char *const *r = reserved_tlds; *r; r++)
		if (strcmp(lower, *r) == 0)
			return true;
	return psl && psl_is_public_suffix2(psl, lower, PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE);
}

bool hostname_private_suffix(const char *domain)
{
	const psl_ctx_t *psl = hostname_psl();
	char lower[URL_HOST_MAX];

	if (!psl || !domain || !copy_lower(lower, sizeof lower, domain, strlen(domain)))
		return false;
	return psl_is_public_suffix2(psl, lower, PSL_TYPE_PRIVATE | PSL_TYPE_NO_STAR_RULE) &&
	       !psl_is_public_suffix2(psl, lower, PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE);
}

static size_t host_len(const char *host)
{
	size_t n = strlen(host);

	return (n > 1 && host[n - 1] == '.') ? n - 1 : n;
}

bool hostname_within(const char *host, const char *domain, bool or_equal)
{
	size_t n = host_len(host), m = host_len(domain);

	if (n == m)
		return or_equal && strncasecmp(host, domain, n) == 0;
	return n > m && host[n - m - 1] == '.' && strncasecmp(host + n - m, domain, m) == 0;
}
