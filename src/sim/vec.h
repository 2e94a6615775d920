/* SPDX-License-Identifier: MIT */
/*
 * Growable arrays: the one place that doubles an array's capacity.
 * Out of memory aborts: a simulation that cannot record its own state has
 * no meaningful result.
 */
#ifndef IOMMUSIM_SIM_VEC_H
#define IOMMUSIM_SIM_VEC_H

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

static inline void *vec_realloc(void *p, size_t nelem, size_t elem)
{
	p = realloc(p, nelem * elem);
	if (!p) {
		fprintf(stderr, "iommusim: out of memory\n");
		abort();
	}
	return p;
}

/*
 * VEC_RESERVE(arr, n, cap, first) - make room for one more element after
 * the @n in use: double @cap (starting at @first entries) when full.
 */
#define VEC_RESERVE(arr, n, cap, first) do {				\
	if ((n) >= (cap)) {						\
		(cap) = (cap) ? (cap) * 2 : (first);			\
		(arr) = vec_realloc((arr), (size_t)(cap), sizeof(*(arr))); \
	}								\
} while (0)

#endif
