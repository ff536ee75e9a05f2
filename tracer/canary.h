/* Canary credentials: unique per-run secrets planted in the sandbox, and the search for them in what a server sends. */
#ifndef MCPAUDIT_CANARY_H
#define MCPAUDIT_CANARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/vec.h"

#define CANARY_MAX 128          /* tokens in a list */
#define CANARY_MAX_FILES 64
#define CANARY_MAX_VALUE 8192   /* bytes of one token value */
#define CANARY_MAX_FILE 65536   /* bytes of one planted file */
#define CANARY_MIN_NEEDLE 16    /* shortest string searched for */

enum canary_status { CANARY_OK, CANARY_NOMEM, CANARY_BAD_LIST, CANARY_NO_RANDOM };

/* One secret. All strings owned by the set. */
struct canary {
	char *name;     /* the token's name in the list: "github_token" */
	char *value;    /* the secret, NUL-terminated */
	size_t len;
	size_t core;    /* offset of the random part, after a fixed prefix such as "ghp_" */
	size_t core_end; /* its end, before a fixed suffix ("@localhost:5432/app"); len when none */
	char *planted;  /* where: "env GITHUB_TOKEN, ~/.netrc, ./.env" ("" when nowhere) */
};

/* An environment variable to set in the sandbox. */
struct canary_env {
	char *name;
	const struct canary *canary; /* borrowed from the set */
};

/* A file to write in the fake HOME (in_home) or the server's working folder. */
struct canary_file {
	char *path;     /* relative: ".aws/credentials", ".env" */
	bool in_home;
	unsigned mode;  /* 0600 */
	char *content;
	size_t len;
};

struct canary_needle; /* one encoded form of one canary; private to canary.c */

struct canary_set {
	VEC(struct canary) canaries;
	VEC(struct canary_env) env;
	VEC(struct canary_file) files;
	struct canary_needle *needles;  /* the search index */
	size_t n_needles;
	uint32_t *slots;                /* open-addressing table over needle prefixes */
	size_t n_slots;
};

/* Generate a set from a list in the format documented in core/data/canaries.txt; list
 * NULL means that embedded file. Values come from getrandom(2): unique per call.
 * Returns CANARY_OK with *out set (caller frees with canary_set_free), or another
 * status with err naming the list line ("line 12: unknown class 'b63'"). */
enum canary_status canary_set_new(const char *list, size_t len, struct canary_set **out, char *err,
				  size_t errlen);
void canary_set_free(struct canary_set *set);

/* Whether host is c's own service (api.github.com for a GitHub token; core/own_service.h,
 * by the token's name or a variable set plants it in): sending it there is how a client of
 * that service works. */
bool canary_own_service(const struct canary_set *set, const struct canary *c, const char *host);

/* Borrowed pointer to the canary called name, or NULL. */
const struct canary *canary_find(const struct canary_set *set, const char *name);

/* A hit: which canary, in which encoding ("plain", "base64", "base64url", "base32",
 * "hex", "url-encoded", "reversed", "utf-16"), at which byte offset of the searched buffer
 * (of the joined labels for DNS). c is borrowed from the set. */
typedef void (*canary_hit_fn)(void *ctx, const struct canary *c, const char *encoding, size_t offset);

/* Report every canary whose value, random part, or first or last CANARY_MIN_NEEDLE
 * characters of it occur in buf in any encoding; each canary at most once per call
 * (its earliest hit). Returns the number of canaries found. hit may be NULL. */
size_t canary_search(const struct canary_set *set, const uint8_t *buf, size_t len, canary_hit_fn hit,
		     void *ctx);
/* The same over a DNS name with its labels joined ("ghp_abc.def.x.example" searches
 * "ghp_abcdefxexample"), ignoring case (resolvers may change it, base32 and hex are
 * often lower-cased). */
size_t canary_search_dns(const struct canary_set *set, const char *name, canary_hit_fn hit, void *ctx);

/* A search over a stream given in pieces (a connection's bytes, a decompressed body),
 * with memory bounded by the longest encoded form: only that many bytes of the previous
 * pieces are kept, so a canary split across pieces is still found. Each canary is reported
 * at most once per stream; offsets count from the stream's start. */
#define CANARY_STREAM_PIECE 16384
struct canary_stream;
/* Borrows set (it must outlive the stream). NULL when memory runs out; caller frees with
 * canary_stream_free. */
struct canary_stream *canary_stream_new(const struct canary_set *set);
void canary_stream_free(struct canary_stream *cs);
/* How many bytes of the previous pieces a match can start in (the longest form, less one). */
size_t canary_stream_keep(const struct canary_stream *cs);
/* Search the next n bytes. Returns the number of canaries found for the first time. */
size_t canary_stream_feed(struct canary_stream *cs, const uint8_t *p, size_t n, canary_hit_fn hit, void *ctx);

/* GitHub's and npm's token checksum: CRC32 (ISO-HDLC) of body, base62 (0-9A-Za-z),
 * left-padded with '0' to 6 characters; out gets 7 bytes with the NUL. */
void canary_checksum6(const char *body, size_t len, char out[7]);

#endif
