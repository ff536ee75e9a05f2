/* Growth for VEC arrays: doubling, with overflow checks. */
#include "core/vec.h"

#include <stdint.h>
#include <stdlib.h>

int vec_reserve_(void **items, size_t *cap, size_t want, size_t elem)
{
	size_t n;
	void *p;

	if (want <= *cap)
		return 0;
	n = *cap ? *cap : 8;
	while (n < want) {
		if (n > SIZE_MAX / 2)
			return -1;
		n *= 2;
	}
	if (n > SIZE_MAX / elem)
		return -1;
	p = realloc(*items, n * elem);
	if (!p)
		return -1;
	*items = p;
	*cap = n;
	return 0;
}
