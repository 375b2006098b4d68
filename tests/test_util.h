/* SPDX-License-Identifier: MIT */
/* test_util.h — small helpers shared by the test programs. */
#ifndef KVMSIM_TEST_UTIL_H
#define KVMSIM_TEST_UTIL_H

#include <criterion/criterion.h>
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <kvmsim/kvm.h>
#include <kvmsim/kvmsim.h>

/* Expects -1 and @err from a call; @why says which rule. */
#define EXPECT_ERRNO(call, err, why)                                           \
	do {                                                                   \
		errno = 0;                                                     \
		int r_ = (call);                                               \
		cr_assert_eq(r_, -1, "%s: returned %d, expected -1 (%s)", #call, \
			     r_, why);                                         \
		cr_assert_eq(errno, (err), "%s: errno %d, expected %d (%s)",    \
			     #call, errno, (err), why);                        \
	} while (0)

/* Expects success (>= 0) from a call; returns its value. */
#define EXPECT_OK(call, why)                                                   \
	({                                                                     \
		errno = 0;                                                     \
		int r_ = (call);                                               \
		cr_assert_geq(r_, 0, "%s: failed with errno %d (%s)", #call,    \
			      errno, why);                                     \
		r_;                                                            \
	})

/* A VM on a fresh simulated host of @arch; the system handle goes to
 * *@sys, or is closed when @sys is NULL. */
static inline int open_vm(const char *arch, int *sys)
{
	int s = kvmsim_open(arch), vm;

	cr_assert_geq(s, 0, "kvmsim_open(%s)", arch);
	vm = kvmsim_ioctl(s, KVM_CREATE_VM, 0UL);
	cr_assert_geq(vm, 0, "KVM_CREATE_VM on %s: errno %d", arch, errno);
	if (sys)
		*sys = s;
	else
		kvmsim_close(s);
	return vm;
}

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

/* Write @text to @path (a test's fixture); fails the test if it cannot. */
static inline void test_spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	cr_assert(f, "cannot write %s", path);
	fputs(text, f);
	cr_assert_eq(fclose(f), 0, "cannot write %s", path);
}

/* How many times @needle occurs in @hay, not overlapping. */
static inline unsigned test_count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

/*
 * Append to @buf (@off: its length so far, updated) one source of a
 * summary.json as kvmsim run writes it, with every field that compare and
 * sweep check (wl_summary_load()): its name, latency p50 and p99 (p99.9
 * and max as p99), and coalesced count; the rest plausible constants.
 */
static inline void test_summary_source(char *buf, size_t n, size_t *off, const char *name,
				       unsigned p50, unsigned p99, unsigned coalesced)
{
	int k = snprintf(buf + *off, n - *off,
			 "{\"name\": \"%s\", \"asserted\": %u, \"delivered\": 1000, "
			 "\"coalesced\": %u, \"throughput\": 100000.0, "
			 "\"latency_ns\": {\"count\": 1000, \"p50\": %u, \"p99\": %u, "
			 "\"p99.9\": %u, \"max\": %u}, \"stages_mean_ns\": {}, "
			 "\"completion_ns\": {\"count\": 0}, \"exits_per_interrupt\": 1.0}",
			 name, 1000 + coalesced, coalesced, p50, p99, p99, p99);

	cr_assert(k > 0 && (size_t)k < n - *off, "summary fixture too long");
	*off += (size_t)k;
}

/* Files this process and its children write stop at @bytes, as on a full
 * disk: a write past it fails with EFBIG (SIGXFSZ ignored, so nothing is
 * killed; no root needed). The limit before goes to *@saved. */
static inline void test_fsize_limit(rlim_t bytes, struct rlimit *saved)
{
	struct rlimit small = { .rlim_cur = bytes };

	signal(SIGXFSZ, SIG_IGN);
	cr_assert_eq(getrlimit(RLIMIT_FSIZE, saved), 0);
	small.rlim_max = saved->rlim_max;
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, &small), 0);
}

/* Lift test_fsize_limit()'s limit. */
static inline void test_fsize_restore(const struct rlimit *saved)
{
	cr_assert_eq(setrlimit(RLIMIT_FSIZE, saved), 0);
}

/* A small deterministic generator for the mutations below (xorshift64*). */
static inline uint64_t mut_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * UINT64_C(2685821657736338717);
}

/*
 * @orig (@n bytes) mutated at random, NUL-terminated, malloc'd: one to
 * three of a byte deleted, replaced or inserted from the punctuation and
 * digits of YAML, CSV, JSON and traces, a line duplicated, the text cut
 * short, a number made 0, negative, huge, tiny, not a number or a
 * fraction. For fuzzing what kvmsim reads: it must refuse a mutant with
 * a message naming the place, or take it, never crash.
 */
static inline char *mutant(const char *orig, size_t n, uint64_t *seed)
{
	static const char alphabet[] = ":{}[],-#'\"\n =0123456789.e_xyz";
	static const char *const extreme[] = {
		"0",	      "-1",	"-0",	   "1e308",   "1e-300", ".nan", "-.inf", "4294967296",
		"18446744073709551616", "0.0000001", "9007199254740993", "2.5",
	};
	size_t cap = 2 * n + 32, len = n;
	char *t = malloc(cap + 1);

	cr_assert_not_null(t);
	memcpy(t, orig, n);
	for (int k = 0, nk = 1 + (int)(mut_next(seed) % 3); k < nk && len; k++) {
		uint64_t r = mut_next(seed);
		size_t at = (size_t)(r >> 8) % len, b = at, e = at;
		char c = alphabet[(r >> 40) % (sizeof(alphabet) - 1)];
		const char *x = extreme[(r >> 40) % (sizeof(extreme) / sizeof(extreme[0]))];

		switch (r % 10) {
		case 0:
		case 1: /* delete */
			memmove(t + at, t + at + 1, len - at - 1);
			len--;
			break;
		case 2:
		case 3: /* replace */
			t[at] = c;
			break;
		case 4:
		case 5: /* insert */
			memmove(t + at + 1, t + at, len - at);
			t[at] = c;
			len++;
			break;
		case 6: /* duplicate the line at @at */
			while (b && t[b - 1] != '\n')
				b--;
			while (e < len && t[e] != '\n')
				e++;
			if (e < len && len + (e - b + 1) <= cap) {
				memmove(t + e + 1 + (e - b + 1), t + e + 1, len - e - 1);
				memcpy(t + e + 1, t + b, e - b + 1);
				len += e - b + 1;
			}
			break;
		case 7: /* cut short */
			len = at;
			break;
		default: /* the next number made an extreme one */
			while (b < len && !(t[b] >= '0' && t[b] <= '9'))
				b++;
			for (e = b; e < len && strchr("0123456789.e+-", t[e]); e++)
				;
			if (b < len && len - (e - b) + strlen(x) <= cap) {
				memmove(t + b + strlen(x), t + e, len - e);
				memcpy(t + b, x, strlen(x));
				len = len - (e - b) + strlen(x);
			}
			break;
		}
	}
	t[len] = '\0';
	return t;
}

#endif
