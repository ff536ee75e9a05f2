/* json_clean: makes a server's JSON-RPC text safe for cJSON without losing what the driver
 * needs (RFC 8259; RFC 3629 for UTF-8). cJSON refuses a whole message for one lone UTF-16
 * surrogate or for nesting past 1,000 levels, and it cuts a string at a decoded U+0000: a
 * hostile server used all three to hide its tools. */
#ifndef MCPAUDIT_JSON_CLEAN_H
#define MCPAUDIT_JSON_CLEAN_H

#include <stddef.h>

#include <cjson/cJSON.h>

#include "core/strbuf.h"

/* In a string parsed by json_clean_parse, this byte stands for a U+0000 the server sent
 * (as "\u0000"). 0xFF is never part of UTF-8 (RFC 3629 section 1), and json_clean replaces
 * every raw 0xFF byte the server sent, so the mark is unambiguous: json_clean_unmark turns
 * text that carries it back into the server's exact escape. */
#define JSON_CLEAN_NUL '\xff'

/* Deepest nesting json_clean keeps: a deeper value reads as null. The driver's own walks
 * (argument generation, the canary search) recurse over what is left. */
#define JSON_CLEAN_MAX_DEPTH 128

/* What json_clean changed. */
struct json_clean_stats {
	unsigned long surrogates;  /* lone surrogate escapes, now "\ufffd" */
	unsigned long deep_values; /* values deeper than max_depth, now null */
	unsigned long nuls;        /* "\u0000" (or a raw NUL byte) in strings, now JSON_CLEAN_NUL */
	unsigned long bad_bytes;   /* raw 0xFF bytes, now U+FFFD */
};

/* Rewrite text[0..len) into out: lone surrogate escapes become "\ufffd", "\u0000" (or a
 * raw NUL byte) inside a string the byte JSON_CLEAN_NUL, raw 0xFF bytes U+FFFD, and any value nested deeper than
 * max_depth the literal null. Everything else is copied as it is (text that is not JSON
 * stays not JSON). st is added to. Returns 0, or -1 when memory runs out. */
int json_clean(const char *text, size_t len, unsigned max_depth, struct strbuf *out, struct json_clean_stats *st);

/* json_clean, then cJSON. Caller deletes the result; NULL when it is still not JSON (or
 * memory ran out). */
cJSON *json_clean_parse(const char *text, size_t len, unsigned max_depth, struct json_clean_stats *st);

/* Copy of s with each JSON_CLEAN_NUL replaced by the six characters "\u0000": in JSON text
 * printed by cJSON (the mark can only be inside a string) that is the escape the server
 * sent, so a name goes back exactly; for a person it reads as what it is. Caller frees;
 * NULL in or out of memory gives NULL. */
char *json_clean_unmark(const char *s);

#endif
