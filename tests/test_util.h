/* SPDX-License-Identifier: MIT */
/* test_util.h — small helpers shared by the test programs. */
#ifndef KVMSIM_TEST_UTIL_H
#define KVMSIM_TEST_UTIL_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

/* The whole of @path, NUL-terminated (length in *len); fails the test if
 * it cannot be read. */
static inline char *test_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	cr_assert(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n, "cannot read %s", path);
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#endif
