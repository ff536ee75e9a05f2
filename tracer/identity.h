/* identity: does a DNS name carry the sandbox's user or host name?
 *
 * A server that leaks who and where it runs often puts it in a look-up, encoded so no
 * label looks like a word: "6a6f7264616e.x.example.net". The names are short (4 to 13
 * characters), below the length at which a label looks like data, but the tracer knows
 * them exactly, so it looks for them: plain as a whole label, and as hex, base32 and
 * base64 (each ignoring case, since resolvers may change it) anywhere in the labels
 * joined. */
#ifndef MCPAUDIT_IDENTITY_H
#define MCPAUDIT_IDENTITY_H

#include <stdbool.h>
#include <stddef.h>

/* Whether name carries one of values[0..n). On true, *which is the index and *encoding
 * "plain", "hex", "base32" or "base64" (static strings). Encoded forms shorter than 6
 * characters are not looked for: they occur by chance. */
bool identity_in_dns_name(const char *name, const char *const *values, size_t n, size_t *which,
			  const char **encoding);

#endif
