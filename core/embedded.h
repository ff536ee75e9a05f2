/* Files compiled into the binary: queries and knowledge lists (see cmake/embed.cmake). */
#ifndef MCPAUDIT_EMBEDDED_H
#define MCPAUDIT_EMBEDDED_H

#include <stddef.h>

struct embedded_file {
	const char *name;              /* path relative to its folder, e.g. "javascript/calls.scm" */
	const unsigned char *bytes;    /* NUL-terminated for convenience; len excludes the NUL */
	size_t len;
};

/* Tables end with an entry whose name is NULL. */
extern const struct embedded_file embedded_queries[];
extern const struct embedded_file embedded_data[];

/* Borrowed pointer to the entry called name, or NULL. */
const struct embedded_file *embedded_find(const struct embedded_file *table, const char *name);

#endif
