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
 * The tree is an ordinary cJSON tree for the caller to read. */
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
	VEC(struct json_nul) nuls;   /* strings and keys holding a NUL byte */
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

#endif
