/* archive: unpack a package archive (.tgz/.tar.gz, .zip, .whl, plain tar) with libarchive
 * into a private folder, refusing whatever could write outside it or exhaust the machine.
 *
 * Each entry is checked before anything is written: no absolute path, no ".." component,
 * no symbolic link whose target leaves the folder or passes through another symbolic link
 * (in either order of the two in the archive), no hard link to anything but an entry
 * already unpacked, no device, FIFO or socket. A refused entry is skipped and listed with
 * its reason; the rest unpacks. Limits on the bytes actually written (not the sizes the
 * archive claims) and on the number of entries stop a tar or zip bomb, and a damaged or
 * truncated archive stops the unpacking: both are errors. Permissions are reduced to 0644
 * and 0755; owners, ACLs, extended attributes and timestamps are not restored. */
#ifndef MCPAUDIT_ARCHIVE_H
#define MCPAUDIT_ARCHIVE_H

#include <stddef.h>
#include <stdint.h>

#include "core/vec.h"

#define ARCHIVE_MAX_BYTES_DEFAULT ((uint64_t)512 << 20) /* 512 MiB written */
#define ARCHIVE_MAX_ENTRIES_DEFAULT 50000u

struct unpack_limits {
	uint64_t max_bytes;  /* 0: ARCHIVE_MAX_BYTES_DEFAULT */
	size_t max_entries;  /* 0: ARCHIVE_MAX_ENTRIES_DEFAULT */
};

struct unpack_refusal {
	char *entry;   /* the name as the archive gives it (capped) */
	char *reason;  /* "absolute path", "'..' in the path", ... */
};

struct unpack_result {
	VEC(struct unpack_refusal) refused;
	size_t entries;    /* entries unpacked */
	uint64_t bytes;    /* bytes written */
};

/* Unpacks the archive at path into dest, an existing empty folder. Returns 0 when the
 * whole archive was read (res->refused lists what was skipped); -1 with err naming the
 * archive (and the entry, where one is at fault) when it cannot be opened, is damaged or
 * truncated, or passes a limit; what was unpacked before stays in dest for the caller to
 * remove. res must be zeroed; free it with unpack_result_free. */
int archive_unpack(const char *path, const char *dest, const struct unpack_limits *limits,
		   struct unpack_result *res, char *err, size_t errlen);

void unpack_result_free(struct unpack_result *res);

#endif
