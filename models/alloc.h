/* SPDX-License-Identifier: MIT */
/*
 * alloc.h — arrays of a model's per-CPU state in cache lines of their own.
 */
#ifndef KVMSIM_MODELS_ALLOC_H
#define KVMSIM_MODELS_ALLOC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/*
 * calloc() for a type declared __attribute__((aligned(@align))): @n zeroed
 * elements of @size bytes (a multiple of @align, as sizeof makes it), at an
 * address that is a multiple of @align. NULL when out of memory or when
 * n * size overflows. free() gives it back.
 */
static inline void *calloc_aligned(size_t align, size_t n, size_t size)
{
	void *p;

	if (size && n > SIZE_MAX / size)
		return NULL;
	p = aligned_alloc(align, n * size);
	if (p)
		memset(p, 0, n * size);
	return p;
}

#endif
