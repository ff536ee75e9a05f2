/* channels: path-qualified exfiltration channels (core/data/exfil_channels.txt): a Discord
 * webhook, a Google Form's formResponse, a gist, on sites that are otherwise ordinary. */
#ifndef MCPAUDIT_CHANNELS_H
#define MCPAUDIT_CHANNELS_H

#include <stdbool.h>
#include <stddef.h>

#include "core/policy.h"
#include "core/vec.h"

#define CHANNELS_LIST "core/data/exfil_channels.txt"
#define CHANNEL_PATH_MAX 256

struct exfil_channel {
	struct host_pattern host;  /* exact or "*.suffix" */
	char *path;                /* path prefix; '*' stands for one segment's text */
	char *source;              /* the service's documentation of the channel */
	unsigned line;             /* in the list */
};

struct channels {
	VEC(struct exfil_channel) items;
};

/* Parse a list in the format documented in core/data/exfil_channels.txt; text NULL means
 * that embedded file. Returns 0 with *out filled (caller frees with channels_free), or -1
 * with err naming the line ("core/data/exfil_channels.txt:12: no SOURCE"). */
int channels_load(const char *text, size_t len, struct channels *out, char *err, size_t errlen);
void channels_free(struct channels *c);

/* The channel that a request to host with path (path and query, "/api/webhooks/1/x", or an
 * absolute "https://host/path" as a proxy request has it) goes through, or NULL. Borrowed. */
const struct exfil_channel *channels_match(const struct channels *c, const char *host, const char *path);

/* The first channel on host whatever the path (an HTTPS request, whose path is not seen),
 * or NULL. Borrowed. */
const struct exfil_channel *channels_on_host(const struct channels *c, const char *host);

#endif
