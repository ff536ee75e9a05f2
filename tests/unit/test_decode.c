/* Unit tests for analyzer/decode.c: byte-literal tables for each decoder (RFC 4648 vectors,
 * url-safe and unpadded forms, invalid input), output-buffer bounds, and decode_is_text. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "analyzer/decode.h"

typedef long (*decoder_fn)(const char *in, size_t len, char *out, size_t outcap);

/* One decoder call: input (with explicit length, so NULs and odd bytes can be given),
 * expected result (NULL = the decoder must return -1). */
struct decode_case {
	const char *what;
	decoder_fn fn;
	const char *in;
	size_t inlen;       /* 0 = strlen(in) */
	const char *want;
	size_t wantlen;     /* 0 = strlen(want) */
};

#define B64 decode_base64
#define B32 decode_base32
#define HEX decode_hex
#define PCT decode_percent
#define R13 decode_rot13

static const struct decode_case decode_cases[] = {
	/* RFC 4648 section 10 test vectors */
	{"b64 empty", B64, "", 0, "", 0},
	{"b64 f", B64, "Zg==", 0, "f", 0},
	{"b64 fo", B64, "Zm8=", 0, "fo", 0},
	{"b64 foo", B64, "Zm9v", 0, "foo", 0},
	{"b64 foob", B64, "Zm9vYg==", 0, "foob", 0},
	{"b64 fooba", B64, "Zm9vYmE=", 0, "fooba", 0},
	{"b64 foobar", B64, "Zm9vYmFy", 0, "foobar", 0},
	/* a URL, standard alphabet */
	{"b64 url", B64, "aHR0cHM6Ly9jMi5leGFtcGxlLm5ldC94", 0, "https://c2.example.net/x", 0},
	/* padding is optional */
	{"b64 no padding 1", B64, "Zg", 0, "f", 0},
	{"b64 no padding 2", B64, "Zm8", 0, "fo", 0},
	{"b64 no padding url", B64, "aHR0cHM6Ly9leGFtcGxlLmNvbS8", 0, "https://example.com/", 0},
	/* url-safe alphabet (section 5): 0xfb 0xff 0xbf is "+/+/" standard, "-_-_" url-safe */
	{"b64 std +/", B64, "+/+/", 0, "\xfb\xff\xbf", 0},
	{"b64 urlsafe -_", B64, "-_-_", 0, "\xfb\xff\xbf", 0},
	{"b64 urlsafe text", B64, "aHR0cHM6Ly9leGFtcGxlLmNvbS8_YT0-", 0, "https://example.com/?a=>", 0},
	/* whitespace (line-wrapped base64) is skipped */
	{"b64 wrapped", B64, "Zm9v\nYmFy\n", 0, "foobar", 0},
	{"b64 trailing space", B64, "Zm9v  ", 0, "foo", 0},
	/* invalid characters */
	{"b64 bad char !", B64, "Zm9v!mFy", 0, NULL, 0},
	{"b64 bad char .", B64, "aHR0cHM6Ly9.", 0, NULL, 0},
	{"b64 padding in the middle", B64, "Zg==Zg==", 0, NULL, 0},
	{"b64 NUL byte", B64, "Zm\0v", 4, NULL, 0},
	{"b64 high byte", B64, "Zm\xc3\xa9v", 0, NULL, 0},
	/* a lone trailing character carries 6 bits: not a byte */
	{"b64 lone char", B64, "Z", 0, NULL, 0},
	{"b64 lone trailing char", B64, "Zm9vY", 0, NULL, 0},
	{"b64 lone trailing char padded", B64, "Zm9vY===", 0, NULL, 0},

	/* base32, RFC 4648 section 10 */
	{"b32 empty", B32, "", 0, "", 0},
	{"b32 f", B32, "MY======", 0, "f", 0},
	{"b32 fo", B32, "MZXQ====", 0, "fo", 0},
	{"b32 foo", B32, "MZXW6===", 0, "foo", 0},
	{"b32 foob", B32, "MZXW6YQ=", 0, "foob", 0},
	{"b32 fooba", B32, "MZXW6YTB", 0, "fooba", 0},
	{"b32 foobar", B32, "MZXW6YTBOI======", 0, "foobar", 0},
	{"b32 lower case", B32, "mzxw6ytboi", 0, "foobar", 0},
	{"b32 unpadded", B32, "MZXW6", 0, "foo", 0},
	{"b32 host", B32, "NB2HI4DTHIXS6ZLYMFWXA3DFFZXGK5BP", 0, "https://example.net/", 0},
	{"b32 digit 1 not in alphabet", B32, "MZXW1===", 0, NULL, 0},
	{"b32 digit 8 not in alphabet", B32, "MZXW8===", 0, NULL, 0},
	{"b32 base64 char", B32, "MZ+W6===", 0, NULL, 0},
	{"b32 padding in the middle", B32, "MY======MY======", 0, NULL, 0},

	/* hex */
	{"hex empty", HEX, "", 0, "", 0},
	{"hex url", HEX, "68747470733a2f2f6578616d706c652e6f7267", 0, "https://example.org", 0},
	{"hex upper", HEX, "48545450", 0, "HTTP", 0},
	{"hex mixed case", HEX, "4a4B", 0, "JK", 0},
	{"hex NUL byte out", HEX, "610062", 0, "a\0b", 3},
	{"hex odd length", HEX, "6874747", 0, NULL, 0},
	{"hex one digit", HEX, "6", 0, NULL, 0},
	{"hex bad digit g", HEX, "68g4", 0, NULL, 0},
	{"hex bad digit space", HEX, "68 4", 0, NULL, 0},
	{"hex 0x prefix", HEX, "0x68", 0, NULL, 0},

	/* percent-encoding: %XX decoded, anything else copied */
	{"pct plain", PCT, "https://example.com/", 0, "https://example.com/", 0},
	{"pct colon slash", PCT, "https%3A%2F%2Fexample.com%2f", 0, "https://example.com/", 0},
	{"pct space", PCT, "a%20b", 0, "a b", 0},
	{"pct plus is not space", PCT, "a+b", 0, "a+b", 0},
	{"pct bad digits kept", PCT, "a%zzb", 0, "a%zzb", 0},
	{"pct truncated at end", PCT, "ab%4", 0, "ab%4", 0},
	{"pct lone percent at end", PCT, "ab%", 0, "ab%", 0},
	{"pct double", PCT, "%2541", 0, "%41", 0},

	/* rot13 */
	{"rot13 host", R13, "uggcf://rknzcyr.pbz/", 0, "https://example.com/", 0},
	{"rot13 both cases", R13, "NOpq", 0, "ABcd", 0},
	{"rot13 non-letters", R13, "0123-_./:", 0, "0123-_./:", 0},
	{"rot13 empty", R13, "", 0, "", 0},
};

static void test_decode_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof decode_cases / sizeof decode_cases[0]; i++) {
		const struct decode_case *c = &decode_cases[i];
		size_t inlen = c->inlen ? c->inlen : strlen(c->in);
		char out[256];
		long n;

		memset(out, 'X', sizeof out);
		n = c->fn(c->in, inlen, out, sizeof out);
		if (!c->want) {
			if (n != -1)
				fail_msg("%s: got %ld bytes, want -1", c->what, n);
			continue;
		}
		size_t wantlen = c->wantlen ? c->wantlen : strlen(c->want);
		if (n != (long)wantlen)
			fail_msg("%s: got %ld bytes, want %zu", c->what, n, wantlen);
		if (memcmp(out, c->want, wantlen) != 0)
			fail_msg("%s: wrong bytes", c->what);
		if (out[wantlen] != '\0')
			fail_msg("%s: output not NUL-terminated", c->what);
	}
}

/* Output bounds: each decoder needs room for its output plus a NUL. With exactly that
 * it succeeds; one byte less returns -1 and writes nothing past outcap. */
struct bound_case {
	const char *what;
	decoder_fn fn;
	const char *in;
	size_t outlen;   /* decoded length */
};

static const struct bound_case bound_cases[] = {
	{"base64", B64, "aHR0cHM6Ly9leGFtcGxlLmNvbS8", 20},
	{"base32", B32, "NB2HI4DTHIXS6ZLYMFWXA3DFFZRW63JP", 20},
	{"hex", HEX, "68747470733a2f2f6578616d706c652e636f6d2f", 20},
	{"percent", PCT, "https%3A%2F%2Fexample.com%2F", 20},
	{"rot13", R13, "uggcf://rknzcyr.pbz/", 20},
};

static void test_decode_output_bounds(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bound_cases / sizeof bound_cases[0]; i++) {
		const struct bound_case *c = &bound_cases[i];
		char out[64];
		size_t len = strlen(c->in);

		/* exactly enough */
		memset(out, 'X', sizeof out);
		if (c->fn(c->in, len, out, c->outlen + 1) != (long)c->outlen)
			fail_msg("%s: outcap %zu should fit", c->what, c->outlen + 1);
		if (memcmp(out, "https://example.com/", 20) != 0 || out[20] != '\0')
			fail_msg("%s: wrong output at exact capacity", c->what);
		/* smaller capacities: -1, and the bytes past outcap are untouched */
		for (size_t cap = 1; cap <= c->outlen; cap++) {
			memset(out, 'X', sizeof out);
			long n = c->fn(c->in, len, out, cap);
			if (n != -1)
				fail_msg("%s: outcap %zu returned %ld, want -1", c->what, cap, n);
			for (size_t k = cap; k < sizeof out; k++)
				if (out[k] != 'X')
					fail_msg("%s: outcap %zu wrote byte %zu", c->what, cap, k);
		}
	}
}

struct text_case {
	const char *what;
	const char *s;
	size_t len;  /* 0 = strlen */
	bool text;
};

static const struct text_case text_cases[] = {
	{"ascii url", "https://example.com/x?a=1", 0, true},
	{"tab newline cr", "a\tb\nc\r\n", 0, true},
	{"empty", "", 0, true},
	{"utf-8 2-byte", "caf\xc3\xa9", 0, true},
	{"utf-8 3-byte", "\xe2\x82\xac 5", 0, true},
	{"utf-8 4-byte", "\xf0\x9f\x98\x80", 0, true},
	{"utf-8 max code point", "\xf4\x8f\xbf\xbf", 0, true},
	{"NUL byte", "ab\0c", 4, false},
	{"control 0x01", "a\x01", 0, false},
	{"escape 0x1b", "\x1b[31m", 0, false},
	{"DEL 0x7f", "a\x7f", 0, false},
	{"lone continuation byte", "a\x80z", 0, false},
	{"latin-1 byte", "caf\xe9", 0, false},
	{"truncated 2-byte at end", "caf\xc3", 0, false},
	{"truncated 3-byte at end", "x\xe2\x82", 0, false},
	{"truncated 4-byte", "\xf0\x9f\x98z", 0, false},
	{"bad continuation", "\xc3\x28", 0, false},
	{"overlong '/' 2-byte c0", "\xc0\xaf", 0, false},
	{"overlong 2-byte c1", "\xc1\xbf", 0, false},
	{"f5 lead byte", "\xf5\x80\x80\x80", 0, false},
	{"ff byte", "\xff", 0, false},
	{"binary from base64 of garbage", "\xfb\xff\xbf", 0, false},
};

static void test_decode_is_text(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof text_cases / sizeof text_cases[0]; i++) {
		const struct text_case *c = &text_cases[i];
		size_t len = c->len ? c->len : strlen(c->s);
		if (decode_is_text(c->s, len) != c->text)
			fail_msg("decode_is_text(%s) = %d, want %d", c->what, !c->text, c->text);
	}
}

/* BUG (analyzer/decode.c, decode_is_text): only the 2-byte overlong leads (0xc0, 0xc1) and
 * leads above 0xf4 are rejected. The 3- and 4-byte overlong forms, UTF-16 surrogates
 * and code points above U+10FFFF pass as "text", although RFC 3629 section 3 makes them
 * invalid UTF-8 and the header promises "valid UTF-8". A decoded payload can hide '/'
 * or '.' as "\xe0\x80\xaf" this way. Kept failing on purpose until decode.c checks the
 * second byte's range (RFC 3629 section 4: E0 A0-BF, ED 80-9F, F0 90-BF, F4 80-8F). */
static const struct text_case utf8_bug_cases[] = {
	{"overlong '/' 3-byte e0 80", "\xe0\x80\xaf", 0, false},
	{"overlong 3-byte e0 9f", "\xe0\x9f\xbf", 0, false},
	{"overlong '/' 4-byte f0 80", "\xf0\x80\x80\xaf", 0, false},
	{"surrogate d800 as ed a0 80", "\xed\xa0\x80", 0, false},
	{"above U+10FFFF f4 90", "\xf4\x90\x80\x80", 0, false},
};

static void test_decode_is_text_overlong_bug(void **state)
{
	unsigned wrong = 0;

	(void)state;
	for (size_t i = 0; i < sizeof utf8_bug_cases / sizeof utf8_bug_cases[0]; i++) {
		const struct text_case *c = &utf8_bug_cases[i];
		if (decode_is_text(c->s, strlen(c->s)) != c->text) {
			print_message("BUG decode_is_text accepts invalid UTF-8: %s\n", c->what);
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
}

/* BUG (analyzer/decode.c, decode_base32): RFC 4648 section 6 allows only 0, 2, 4, 5 or 7
 * characters in a final quantum; 1, 3 or 6 leave 5, 7 or 6 bits that are not a byte.
 * decode_base64 rejects its analogue (a lone trailing character), decode_base32 silently
 * drops the bits and succeeds, against the header's "-1 when the input is not valid". */
static const char *const b32_bad_lengths[] = {"M", "MZX", "MZXW6Y", "MZXW6YTBO"};

/* BUG (analyzer/decode.c, every decoder but rot13): with outcap 0 and an input that
 * decodes to nothing, `out[n] = '\0'` writes one byte into a zero-sized buffer. */
static const struct {
	const char *what;
	decoder_fn fn;
} zero_cap_cases[] = {
	{"base64", B64}, {"base32", B32}, {"hex", HEX}, {"percent", PCT}, {"rot13", R13},
};

static void test_decode_length_and_zero_cap_bugs(void **state)
{
	unsigned wrong = 0;

	(void)state;
	for (size_t i = 0; i < sizeof b32_bad_lengths / sizeof b32_bad_lengths[0]; i++) {
		char out[64];
		long n = decode_base32(b32_bad_lengths[i], strlen(b32_bad_lengths[i]), out, sizeof out);
		if (n != -1) {
			print_message("BUG decode_base32(\"%s\") = %ld, want -1 (impossible length)\n",
				      b32_bad_lengths[i], n);
			wrong++;
		}
	}
	for (size_t i = 0; i < sizeof zero_cap_cases / sizeof zero_cap_cases[0]; i++) {
		char out[4] = "XXX";
		long n = zero_cap_cases[i].fn("", 0, out, 0);
		if (n != -1 || out[0] != 'X') {
			print_message("BUG %s with outcap 0: returned %ld, out[0] %s\n", zero_cap_cases[i].what,
				      n, out[0] == 'X' ? "untouched" : "overwritten");
			wrong++;
		}
	}
	assert_int_equal(wrong, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_table),
		cmocka_unit_test(test_decode_output_bounds),
		cmocka_unit_test(test_decode_is_text),
		cmocka_unit_test(test_decode_is_text_overlong_bug),
		cmocka_unit_test(test_decode_length_and_zero_cap_bugs),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
