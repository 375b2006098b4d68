/* SPDX-License-Identifier: MIT */
/*
 * test_alloc.c — models/alloc.h: zeroed arrays in cache lines of their own.
 */
#include <criterion/criterion.h>
#include <stdint.h>

#include "models/alloc.h"

/* a per-CPU state as the models declare theirs */
struct two_lines {
	uint64_t hot[3];
	char cold[70];
} __attribute__((aligned(64)));

Test(alloc, an_array_is_zeroed_and_each_element_starts_a_cache_line)
{
	const size_t n = 7;
	struct two_lines *a;

	cr_assert_eq(sizeof(struct two_lines), 128);
	for (int round = 0; round < 4; round++) {
		a = calloc_aligned(_Alignof(struct two_lines), n, sizeof(*a));
		cr_assert_not_null(a);
		for (size_t i = 0; i < n; i++)
			cr_assert_eq((uintptr_t)&a[i] % 64, 0, "element %zu at %p", i, (void *)&a[i]);
		for (size_t k = 0; k < n * sizeof(*a); k++)
			cr_assert_eq(((const unsigned char *)a)[k], 0, "byte %zu", k);
		memset(a, 0xa5, n * sizeof(*a)); /* the next round's block may be this one */
		free(a);
	}
}

Test(alloc, a_size_that_overflows_is_refused_not_wrapped)
{
	/* n * size wraps to 128 bytes: calloc() refuses it, so must this */
	size_t n = SIZE_MAX / 128 + 2;

	cr_assert_null(calloc_aligned(64, n, 128));
	cr_assert_null(calloc_aligned(64, SIZE_MAX, SIZE_MAX));
}

Test(alloc, no_elements_give_a_pointer_free_takes)
{
	void *p = calloc_aligned(64, 0, 128);

	free(p); /* NULL or a unique pointer, as calloc(0, n) */
}
