/* own_service: whether a secret's destination is its own service (core/data/own_services.txt),
 * one decision for the static stage's credential flows and the dynamic stage's canaries. */
#ifndef MCPAUDIT_OWN_SERVICE_H
#define MCPAUDIT_OWN_SERVICE_H

#include <stdbool.h>

#define OWN_SERVICES_LIST "core/data/own_services.txt"

/* Whether host is the own service of the secret in environment variable name: a variable
 * listed for a service, when host is (or is below) one of its domains; an unlisted one
 * when it is named after host (a "_"-separated word of three letters or more, not a
 * generic one such as API or TOKEN, is a label of host left of its public suffix:
 * WEATHER_API_KEY and api.weather.example.com). NULLs give false. */
bool own_service_env(const char *name, const char *host);

/* Whether the secret in variable name belongs to another service than host's: the list
 * names the variable for a service, and host is not one of that service's domains
 * (GITHUB_TOKEN to discord.com). An unlisted variable (KEYLESS_PROXY_SECRET) is nobody
 * else's: false. NULLs give false. */
bool own_service_env_other(const char *name, const char *host);

/* Whether host is the own service of the canary token called name (core/data/canaries.txt). */
bool own_service_canary(const char *name, const char *host);

#endif
