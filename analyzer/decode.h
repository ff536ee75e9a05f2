/* Decoders the partial evaluator applies to constant strings: how URLs get hidden. */
#ifndef MCPAUDIT_DECODE_H
#define MCPAUDIT_DECODE_H

#include <stdbool.h>
#include <stddef.h>

/* Each decoder writes at most outcap-1 bytes plus a NUL into out and returns the length
 * written, or -1 when the input is not valid for it (or the output would not fit). */
long decode_base64(const char *in, size_t len, char *out, size_t outcap);   /* RFC 4648 sec. 4 and 5 (url-safe), padding optional */
long decode_base32(const char *in, size_t len, char *out, size_t outcap);   /* RFC 4648 sec. 6 */
long decode_hex(const char *in, size_t len, char *out, size_t outcap);
long decode_percent(const char *in, size_t len, char *out, size_t outcap);  /* RFC 3986 sec. 2.1 */
long decode_rot13(const char *in, size_t len, char *out, size_t outcap);

/* Whether the decoded bytes are printable text worth treating as a string (no control
 * bytes but tab/newline, valid UTF-8): binary results are not destinations. */
bool decode_is_text(const char *s, size_t len);

#endif
