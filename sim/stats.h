/* SPDX-License-Identifier: MIT */
/*
 * stats.h — statistics: a log-linear (HDR-style) histogram and named
 * counters.
 *
 * The histogram keeps exact count, minimum, maximum and sum, and puts each
 * value in a bin whose width is at most 10^-digits of the values it holds:
 * a percentile read back is never below the exact one and exceeds it by
 * less than 10^-digits relative (bins of values below 2*10^digits are one
 * unit wide, so small values are exact). It covers the whole uint64_t
 * range; its bin array grows with the largest value recorded.
 */
#ifndef KVMSIM_SIM_STATS_H
#define KVMSIM_SIM_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sim.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SIM_HIST_MIN_DIGITS 1
#define SIM_HIST_MAX_DIGITS 5

struct sim_hist {
	unsigned digits;   /* significant decimal digits */
	unsigned sub_bits; /* log2(bins per power-of-two bucket, doubled) */
	size_t nbins;      /* bins allocated */
	uint64_t *counts;
	uint64_t total;
	uint64_t min, max; /* exact; min = UINT64_MAX while empty */
	unsigned __int128 sum;
};

/**
 * sim_hist_init() - an empty histogram.
 * @h: histogram
 * @digits: significant decimal digits, SIM_HIST_MIN_DIGITS..MAX_DIGITS
 *
 * Returns 0, -EINVAL for bad @digits, or -ENOMEM.
 */
int sim_hist_init(struct sim_hist *h, unsigned digits);

/** sim_hist_destroy() - free a histogram's bins. */
void sim_hist_destroy(struct sim_hist *h);

/** sim_hist_reset() - forget every value; keeps the configuration. */
void sim_hist_reset(struct sim_hist *h);

/**
 * sim_hist_record_n() - record @n occurrences of @v.
 *
 * Returns 0, or -ENOMEM if the bins could not grow to hold @v (nothing is
 * recorded then).
 */
int sim_hist_record_n(struct sim_hist *h, uint64_t v, uint64_t n);

/* The bin of @v: values below 2^sub_bits have one each, then every power
 * of two has 2^(sub_bits - 1) bins. (Internal, for the inline below.) */
static inline size_t sim_hist_bin_of(const struct sim_hist *h, uint64_t v)
{
	uint64_t sub_mask = (UINT64_C(1) << h->sub_bits) - 1;
	unsigned b = (unsigned)(64 - __builtin_clzll(v | sub_mask)) - h->sub_bits;
	size_t half = (size_t)1 << (h->sub_bits - 1);

	if (b == 0)
		return (size_t)v;
	return ((size_t)(b + 1) << (h->sub_bits - 1)) + (size_t)(v >> b) - half;
}

/* The totals of a recorded @v, @n times. (Internal.) */
static inline void sim_hist_count_(struct sim_hist *h, uint64_t v, uint64_t n)
{
	h->total += n;
	h->sum += (unsigned __int128)v * n;
	if (v < h->min)
		h->min = v;
	if (v > h->max)
		h->max = v;
}

/* sim_hist_record_n() of one: inline where the bins already hold @v (a
 * latency is recorded several times per interrupt). */
static inline int sim_hist_record(struct sim_hist *h, uint64_t v)
{
	size_t bin = sim_hist_bin_of(h, v);

	if (__builtin_expect(bin >= h->nbins, 0))
		return sim_hist_record_n(h, v, 1);
	h->counts[bin]++;
	sim_hist_count_(h, v, 1);
	return 0;
}

/**
 * sim_hist_percentile_ppm() - the value at a percentile.
 * @ppm: percentile in parts per million (p99.9 is 999000); 0 gives min
 *
 * Nearest-rank definition: the smallest recorded value v such that at least
 * ceil(ppm * count / 10^6) values are <= v, reported as the top of v's bin
 * (never above the exact maximum). 0 when empty.
 */
uint64_t sim_hist_percentile_ppm(const struct sim_hist *h, uint32_t ppm);

/** sim_hist_mean() - exact sum / count, rounded for reports. 0 if empty. */
double sim_hist_mean(const struct sim_hist *h);

/**
 * sim_hist_merge() - add every value of @src to @dst.
 *
 * Returns 0, -EINVAL when their digits differ, or -ENOMEM.
 */
int sim_hist_merge(struct sim_hist *dst, const struct sim_hist *src);

/**
 * sim_hist_bin() - bin @i's value range and count, for dumps.
 *
 * Returns false past the last allocated bin. Bins are in increasing value
 * order; empty bins are reported too.
 */
bool sim_hist_bin(const struct sim_hist *h, size_t i, uint64_t *lo,
		  uint64_t *hi, uint64_t *count);

/* A named event counter. */
struct sim_counter {
	const char *name;
	uint64_t value;
};

static inline void sim_counter_add(struct sim_counter *c, uint64_t n)
{
	c->value += n;
}

/**
 * sim_counter_get() - the counter named @name in @sim, created at 0 when new.
 *
 * Set-up time (allocates; the pointer stays valid for the sim's lifetime).
 * Returns NULL when memory is exhausted.
 */
struct sim_counter *sim_counter_get(struct sim *sim, const char *name);

/**
 * sim_counter_at() - the @i-th counter in creation order, NULL past the end.
 */
const struct sim_counter *sim_counter_at(const struct sim *sim, size_t i);

#ifdef __cplusplus
}
#endif

#endif /* KVMSIM_SIM_STATS_H */
