/* secret_env: whether an environment variable's name says it holds a secret
 * (core/data/secret_env.txt), one decision for every stage. */
#ifndef MCPAUDIT_SECRET_ENV_H
#define MCPAUDIT_SECRET_ENV_H

#include <stdbool.h>

#define SECRET_ENV_LIST "core/data/secret_env.txt"

/* GITHUB_TOKEN, apiKey, X-API-Key, DATABASE_URL: true; AUTH_URL, SESSION_TIMEOUT,
 * KEYBOARD_LAYOUT, PATH, NULL: false. Thread-safe. */
bool secret_env_name(const char *name);

#endif
