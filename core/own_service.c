/* own_service: the list of services, their domains, variables and canaries, and the site-name rule. */
#include "core/own_service.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/hostname.h"
#include "core/policy.h"

#define FIELD_MAX 512

struct query {
	const char *host;
	char name[128];   /* upper-cased variable, or the canary's name */
	bool canary;
	bool listed;  /* some line names it */
	bool yes;
};

/* Whether item is in the comma-separated list (as a glob for variables). */
static bool in_list(const char *list, const char *item, bool glob)
{
	char copy[FIELD_MAX], *save = NULL;

	snprintf(copy, sizeof copy, "%s", list);
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (glob ? fnmatch(t, item, 0) == 0 : strcmp(t, item) == 0)
			return true;
	return false;
}

static bool host_in_domains(const char *host, const char *domains)
{
	char copy[FIELD_MAX], *save = NULL;

	snprintf(copy, sizeof copy, "%s", domains);
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (hostname_within(host, t, true))
			return true;
	return false;
}

static int check_entry(const char *entry, void *arg)
{
	struct query *q = arg;
	char service[64], domains[FIELD_MAX], vars[FIELD_MAX], canaries[FIELD_MAX];

	if (sscanf(entry, "%63s %511s %511s %511s", service, domains, vars, canaries) != 4)
		return 0; /* a malformed line is the unit test's to catch */
	if (!in_list(q->canary ? canaries : vars, q->name, !q->canary))
		return 0;
	q->listed = true;
	q->yes = host_in_domains(q->host, domains);
	return q->yes; /* 1 stops the walk */
}

/* Words that name what a secret is, not whose: "API" in WEATHER_API_KEY says nothing of the
 * service, and "api" is the first label of half the APIs. */
static const char *const generic_words[] = {
	"API", "KEY", "KEYS", "TOKEN", "TOKENS", "SECRET", "SECRETS", "ACCESS", "AUTH", "OAUTH", "PAT",
	"PASSWORD", "PASS", "CLIENT", "APP", "BOT", "BEARER", "PRIVATE", "PUBLIC", "SERVICE", "ACCOUNT",
	"USER", "DEFAULT", "PROD", "DEV", "TEST", "URL", "WEB", "WWW", "MCP", "SERVER", "HOST", NULL,
};

static bool generic(const char *w, size_t n)
{
	for (const char *const *g = generic_words; *g; g++)
		if (strlen(*g) == n && strncasecmp(*g, w, n) == 0)
			return true;
	return false;
}

/* WEATHER_API_KEY to api.weather.example.com: a word of the name (three letters or more,
 * not a generic one) is a label of the host left of its public suffix. */
static bool named_after_host(const char *upper, const char *host)
{
	char *site = hostname_registrable(host);
	size_t own = site ? strlen(host) - strlen(site) + strcspn(site, ".") : 0; /* "api.weather.example" */
	bool yes = false;

	for (const char *w = upper; own && *w && !yes; w += strcspn(w, "_"), w += *w == '_') {
		size_t len = strcspn(w, "_");
		if (len < 3 || generic(w, len))
			continue;
		for (size_t i = 0; i < own && !yes; i += strcspn(host + i, ".") + 1)
			yes = strcspn(host + i, ".") == len && strncasecmp(host + i, w, len) == 0;
	}
	free(site);
	return yes;
}

/* Look name up in the list for host; false when either is NULL. */
static bool look_up(const char *name, const char *host, bool canary, struct query *q)
{
	size_t i;

	*q = (struct query){host, "", canary, false, false};
	if (!name || !host)
		return false;
	for (i = 0; name[i] && i + 1 < sizeof q->name; i++)
		q->name[i] = canary ? name[i] : (char)toupper((unsigned char)name[i]);
	q->name[i] = '\0';
	policy_each_listed(OWN_SERVICES_LIST, check_entry, q);
	return true;
}

static bool ask(const char *name, const char *host, bool canary)
{
	struct query q;

	if (!look_up(name, host, canary, &q))
		return false;
	/* a listed variable belongs to its listed service only: GITHUB_TOKEN to a documented
	 * github.example.net is not GitHub */
	return q.yes || (!canary && !q.listed && named_after_host(q.name, host));
}

bool own_service_env(const char *name, const char *host)
{
	return ask(name, host, false);
}

bool own_service_env_other(const char *name, const char *host)
{
	struct query q;

	return look_up(name, host, false, &q) && q.listed && !q.yes;
}

bool own_service_canary(const char *name, const char *host)
{
	return ask(name, host, true);
}
