/* json_read: parse a JSON file the way the program that also reads it does.
 *
 * package.json, npm's lockfiles, server.json and the MCP clients' configurations are read by
 * other programs too: npm and Node (JSON.parse), the Electron clients (JSON.parse), VS Code
 * (its JSONC parser), Python (json). All of them keep the LAST of two equal keys, in the
 * position of the first; cJSON keeps both and cJSON_GetObjectItem returns the first. A
 * reader that sees the first "scripts" audits a package npm never installs, so every such
 * file goes through json_read instead of cJSON_Parse:
 *   - a duplicate key is resolved as JSON.parse does (last value wins, first position kept),
 *     at every depth, and recorded with both lines, so that the caller can report it;
 *   - keys are compared with their decoded bytes and length ("scr\u0069pts" is "scripts",
 *     "scripts\u0000" is not), and a string holding a NUL is recorded with its true length,
 *     which cJSON cannot carry;
 *   - the grammar is RFC 8259 as JSON.parse takes it (plus a leading byte order mark, which
 *     npm and Node strip); JSON_JSONC adds VS Code's comments and trailing commas;
 *   - a lone UTF-16 surrogate escape and an invalid UTF-8 byte become U+FFFD, as they do when
 *     the JavaScript string reaches UTF-8.
 * The tree is an ordinary cJSON tree for the caller to read.
 *
 * The same reader takes a hostile MCP server's JSON-RPC messages (JSON_RPC, json_read_message):
 * cJSON alone refused a whole message for one lone surrogate or for nesting past 1,000
 * levels, and cut a string at a decoded U+0000, and a server used all three to hide its
 * tools. There a NUL in a string or key becomes the byte JSON_NUL_MARK (json_unmark turns it
 * back into the server's "\u0000"), a value nested deeper than the cap reads as null, and
 * raw control bytes in strings are taken (cJSON took them); each repair is counted. */
#ifndef MCPAUDIT_JSON_READ_H
#define MCPAUDIT_JSON_READ_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/vec.h"

#define JSON_READ_MAX_DEPTH 512u  /* deeper nesting is an error, not a stack overflow */
#define JSON_READ_PATH_MAX 200u   /* a recorded path is cut here (with "...") */

enum json_dialect {
	JSON_STRICT,  /* JSON.parse, Python json */
	JSON_JSONC,   /* VS Code: also // and block comments, a trailing comma before } or ] */
	JSON_RPC,     /* a server's JSON-RPC message for the driver: see json_read_message */
};

/* In a string read as JSON_RPC, this byte stands for a U+0000 the server sent (as "\u0000"
 * or as a raw NUL byte). 0xFF is never part of UTF-8 (RFC 3629 section 1) and the reader
 * turns every invalid byte into U+FFFD, so the mark is unambiguous. */
#define JSON_NUL_MARK '\xff'

/* The driver's nesting cap: a deeper value reads as null. Its own walks (argument
 * generation, the canary search) recurse over what is left. */
#define JSON_RPC_MAX_DEPTH 128u

/* What the reader changed in the text it was given. */
struct json_repairs {
	unsigned long surrogates;  /* lone surrogate escapes, now U+FFFD */
	unsigned long bad_bytes;   /* bytes that are not UTF-8, now U+FFFD */
	unsigned long nuls;        /* NULs in strings and keys (JSON_RPC: now JSON_NUL_MARK) */
	unsigned long deep_values; /* JSON_RPC: values nested past the cap, now null */
};

struct json_dup {
	char *path;          /* the key's members from the top, dotted: "scripts", "dependencies.x" */
	char *top;           /* the top-level member it is in ("scripts" for "scripts.postinstall") */
	unsigned line;       /* the later occurrence, whose value was kept */
	unsigned first_line; /* the earlier one, dropped */
};

struct json_nul {
	char *path;          /* as in json_dup; for a key, the path of the member */
	unsigned line;
	bool in_key;         /* the NUL is in a member's key (its name in the tree shows "\u0000") */
	const cJSON *item;   /* the string value or the member; borrowed from json_doc.root */
	size_t len;          /* the string's true length in bytes */
};

struct json_doc {
	cJSON *root;                 /* owned: freed by json_doc_free */
	VEC(struct json_dup) dups;   /* in the order they were met */
	VEC(struct json_nul) nuls;   /* strings and keys holding a NUL byte (not in JSON_RPC) */
	struct json_repairs repairs;
	unsigned max_depth;          /* JSON_RPC: the cap (0: JSON_RPC_MAX_DEPTH) */
};

struct json_read_error {
	unsigned line, column;  /* 1-based, where reading stopped */
	char what[96];          /* "expected ':'", "nested deeper than 512", "out of memory" */
};

/* Parses text[0..len) into doc (zeroed by the caller). Returns 0, or -1 with e set and doc
 * left empty. A string value holding a NUL keeps all its bytes in valuestring (see
 * json_string_length); a key holding a NUL is stored with each NUL written as "\u0000", so
 * that no lookup of the shorter name finds it. Free doc with json_doc_free either way. */
int json_read(const char *text, size_t len, enum json_dialect dialect, struct json_doc *doc,
	      struct json_read_error *e);

void json_doc_free(struct json_doc *doc);

/* The tree alone, for a reader of a file whose ambiguities are reported elsewhere (the
 * metadata check reports package.json's). Caller frees with cJSON_Delete; NULL when text is
 * not valid JSON or memory runs out. */
cJSON *json_read_tree(const char *text, size_t len, enum json_dialect dialect);

/* The length in bytes of the string item of doc, NUL bytes included; 0 for a non-string. */
size_t json_string_length(const struct json_doc *doc, const cJSON *item);

/* A server's JSON-RPC message as JSON_RPC reads it, values nested deeper than max_depth (0:
 * JSON_RPC_MAX_DEPTH) as null; repairs (may be NULL) is added to. Duplicate keys resolve as
 * JSON.parse does, as in the MCP clients. Caller frees with cJSON_Delete; NULL when the text
 * is not JSON or memory ran out. */
cJSON *json_read_message(const char *text, size_t len, unsigned max_depth, struct json_repairs *repairs);

/* Copy of s with each JSON_NUL_MARK replaced by the six characters "\u0000": in JSON text
 * printed by cJSON (the mark can only be inside a string) that is the escape the server
 * sent, so a name goes back exactly; for a person it reads as what it is. Caller frees;
 * NULL in or out of memory gives NULL. */
char *json_unmark(const char *s);

#endif
