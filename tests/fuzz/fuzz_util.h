/* fuzz_util: what the libFuzzer harnesses share: a private temp folder per process for
 * readers that only take a path, and splitting one input into several files. */
#ifndef MCPAUDIT_FUZZ_UTIL_H
#define MCPAUDIT_FUZZ_UTIL_H

#include <stddef.h>
#include <stdint.h>

/* Byte that splits an input into the files of a folder (fuzz_split). */
#define FUZZ_SEPARATOR '\0'

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A folder of this process's own, made on first use under $TMPDIR (else /tmp) and removed
 * with everything in it at exit. Borrowed, static. Aborts when it cannot be made: a harness
 * without its folder would fuzz nothing. */
const char *fuzz_dir(void);

/* Write n bytes to fuzz_dir()/rel, making the folders rel names. Returns the full path
 * (static buffer, valid until the next call), aborting on failure. */
const char *fuzz_write(const char *rel, const uint8_t *p, size_t n);

/* Make fuzz_dir()/rel as a folder (and the folders above it). Returns the full path
 * as fuzz_write does. */
const char *fuzz_mkdir(const char *rel);

/* Remove everything inside fuzz_dir() (the folder itself stays), so no input sees the files
 * of the one before. */
void fuzz_clear(void);

struct fuzz_part {
	const uint8_t *p;
	size_t n;
};

/* Split p at each FUZZ_SEPARATOR into at most max parts (the last one takes the rest,
 * separators included). Returns the number of parts, at least 1. */
size_t fuzz_split(const uint8_t *p, size_t n, struct fuzz_part *parts, size_t max);

#endif
