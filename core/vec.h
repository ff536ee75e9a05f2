/* A typed growable array, in the manner of tree-sitter's lib/src/array.h. */
#ifndef MCPAUDIT_VEC_H
#define MCPAUDIT_VEC_H

#include <stddef.h>

#define VEC(T) struct { T *items; size_t len, cap; }

/* Grow *items to hold at least want elements of size elem.
 * Returns 0, or -1 (the array is unchanged) when memory runs out. */
int vec_reserve_(void **items, size_t *cap, size_t want, size_t elem);

/* Append x; evaluates to 0, or -1 on allocation failure. */
#define vec_push(v, x)                                                          \
	(vec_reserve_((void **)&(v)->items, &(v)->cap, (v)->len + 1,            \
		      sizeof *(v)->items) == 0                                  \
		 ? ((v)->items[(v)->len++] = (x), 0)                            \
		 : -1)

/* Free the storage (not the elements). */
#define vec_free(v) (free((v)->items), (v)->items = NULL, (v)->len = (v)->cap = 0)

#endif
