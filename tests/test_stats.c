// SPDX-License-Identifier: MIT
/*
 * test_stats.c — the log-linear histogram against exact sorted data (the
 * relative-error bound of stats.h), its exact count/min/max/mean, merge
 * and reset, and the named counters.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "sim/rng.h"
#include "sim/sim.h"
#include "sim/stats.h"

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* Nearest-rank percentile of sorted data: the ceil(ppm * n / 1e6)-th value. */
static uint64_t exact_percentile(const uint64_t *sorted, size_t n, uint32_t ppm)
{
	unsigned __int128 r = ((unsigned __int128)ppm * n + 999999) / 1000000;
	size_t rank = r ? (size_t)r : 1;

	return sorted[rank - 1];
}

static const uint32_t ppms[] = { 0, 1, 10000, 250000, 500000, 900000, 990000,
				 999000, 999900, 1000000 };

static void check_against_exact(unsigned digits, uint64_t *v, size_t n)
{
	struct sim_hist h;
	double bound = pow(10.0, -(double)digits);
	unsigned __int128 sum = 0;

	cr_assert_eq(sim_hist_init(&h, digits), 0);
	for (size_t i = 0; i < n; i++) {
		cr_assert_eq(sim_hist_record(&h, v[i]), 0);
		sum += v[i];
	}
	qsort(v, n, sizeof(*v), cmp_u64);
	cr_assert_eq(h.total, n);
	cr_assert_eq(h.min, v[0]);
	cr_assert_eq(h.max, v[n - 1]);
	cr_assert(fabs(sim_hist_mean(&h) - (double)sum / n) <=
		  1e-9 * ((double)sum / n));
	for (size_t k = 0; k < sizeof(ppms) / sizeof(ppms[0]); k++) {
		uint64_t want = exact_percentile(v, n, ppms[k]);
		uint64_t got = sim_hist_percentile_ppm(&h, ppms[k]);

		if (ppms[k] == 0)
			want = v[0];
		cr_assert_geq(got, want, "digits %u ppm %u: %llu < exact %llu",
			      digits, ppms[k], (unsigned long long)got,
			      (unsigned long long)want);
		cr_assert((double)(got - want) <= bound * (double)want,
			  "digits %u ppm %u: %llu vs exact %llu beyond 1e-%u",
			  digits, ppms[k], (unsigned long long)got,
			  (unsigned long long)want, digits);
	}
	sim_hist_destroy(&h);
}

Test(stats, percentiles_within_relative_error_bound_of_exact_data)
{
	struct sim_rng r;
	size_t n = 50000;
	uint64_t *v = malloc(n * sizeof(*v));

	sim_rng_seed(&r, 5, 0);
	for (unsigned d = SIM_HIST_MIN_DIGITS; d <= SIM_HIST_MAX_DIGITS; d++) {
		/* heavy-tailed latencies in ps (lognormal around 2 us) */
		for (size_t i = 0; i < n; i++)
			v[i] = (uint64_t)sim_rng_lognormal(&r, log(2e6), 1.5);
		check_against_exact(d, v, n);
		/* the whole 64-bit range */
		for (size_t i = 0; i < n; i++)
			v[i] = sim_rng_next(&r) >> sim_rng_below(&r, 64);
		check_against_exact(d, v, n);
		/* small values are exact */
		for (size_t i = 0; i < n; i++)
			v[i] = sim_rng_below(&r, 100);
		check_against_exact(d, v, n);
	}
	free(v);
}

Test(stats, small_values_are_recorded_exactly)
{
	struct sim_hist h;

	sim_hist_init(&h, 3);
	/* below 2 * 10^3 every value has its own bin */
	for (uint64_t x = 0; x < 2000; x++)
		sim_hist_record(&h, x);
	for (uint32_t k = 1; k <= 2000; k++)
		cr_assert_eq(sim_hist_percentile_ppm(&h, (uint32_t)(k * 500ull)),
			     k - 1);
	sim_hist_destroy(&h);
}

Test(stats, bins_are_contiguous_and_within_bound)
{
	for (unsigned d = SIM_HIST_MIN_DIGITS; d <= SIM_HIST_MAX_DIGITS; d++) {
		struct sim_hist h;
		uint64_t lo, hi, c, next = 0;
		double bound = pow(10.0, -(double)d);

		sim_hist_init(&h, d);
		sim_hist_record(&h, UINT64_MAX); /* grow to the full range */
		for (size_t i = 0; sim_hist_bin(&h, i, &lo, &hi, &c); i++) {
			cr_assert_eq(lo, next, "digits %u bin %zu", d, i);
			cr_assert_geq(hi, lo);
			cr_assert((double)(hi - lo) <= bound * (double)lo || hi == lo);
			if (hi == UINT64_MAX)
				break;
			next = hi + 1;
		}
		cr_assert_eq(h.max, UINT64_MAX);
		cr_assert_eq(sim_hist_percentile_ppm(&h, 1000000), UINT64_MAX);
		sim_hist_destroy(&h);
	}
}

Test(stats, merge_equals_recording_everything_in_one)
{
	struct sim_hist a, b, all;
	struct sim_rng r;

	sim_hist_init(&a, 2);
	sim_hist_init(&b, 2);
	sim_hist_init(&all, 2);
	sim_rng_seed(&r, 8, 0);
	for (int i = 0; i < 10000; i++) {
		uint64_t x = sim_rng_below(&r, 1000000);
		uint64_t y = sim_rng_below(&r, UINT64_C(1) << 40);

		sim_hist_record(&a, x);
		sim_hist_record(&b, y);
		sim_hist_record(&all, x);
		sim_hist_record(&all, y);
	}
	cr_assert_eq(sim_hist_merge(&a, &b), 0);
	cr_assert_eq(a.total, all.total);
	cr_assert_eq(a.min, all.min);
	cr_assert_eq(a.max, all.max);
	cr_assert(a.sum == all.sum);
	for (size_t k = 0; k < sizeof(ppms) / sizeof(ppms[0]); k++)
		cr_assert_eq(sim_hist_percentile_ppm(&a, ppms[k]),
			     sim_hist_percentile_ppm(&all, ppms[k]));
	sim_hist_destroy(&b);
	sim_hist_init(&b, 3);
	cr_assert_eq(sim_hist_merge(&a, &b), -EINVAL,
		     "histograms of different precision cannot merge");
	sim_hist_destroy(&a);
	sim_hist_destroy(&b);
	sim_hist_destroy(&all);
}

Test(stats, reset_and_empty_histogram)
{
	struct sim_hist h;

	cr_assert_eq(sim_hist_init(&h, 0), -EINVAL);
	cr_assert_eq(sim_hist_init(&h, 6), -EINVAL);
	cr_assert_eq(sim_hist_init(&h, 3), 0);
	cr_assert_eq(sim_hist_percentile_ppm(&h, 500000), 0);
	cr_assert_eq(sim_hist_mean(&h), 0.0);
	sim_hist_record_n(&h, 777, 10);
	cr_assert_eq(h.total, 10);
	cr_assert_eq(sim_hist_mean(&h), 777.0);
	cr_assert_eq(sim_hist_percentile_ppm(&h, 500000), 777);
	sim_hist_reset(&h);
	cr_assert_eq(h.total, 0);
	cr_assert_eq(h.min, UINT64_MAX);
	cr_assert_eq(h.max, 0);
	cr_assert_eq(sim_hist_percentile_ppm(&h, 990000), 0);
	sim_hist_destroy(&h);
}

Test(stats, named_counters_are_found_by_name_in_creation_order)
{
	struct sim *sim = sim_create(NULL);
	struct sim_counter *a = sim_counter_get(sim, "gic.dist.reject");
	struct sim_counter *b = sim_counter_get(sim, "cpu0.exits");

	cr_assert_neq(a, b);
	cr_assert_eq(sim_counter_get(sim, "gic.dist.reject"), a);
	sim_counter_add(a, 3);
	sim_counter_add(a, 4);
	cr_assert_eq(a->value, 7);
	cr_assert_eq(b->value, 0);
	cr_assert_eq(sim_counter_at(sim, 0), a);
	cr_assert_str_eq(sim_counter_at(sim, 1)->name, "cpu0.exits");
	cr_assert_null(sim_counter_at(sim, 2));
	sim_destroy(sim);
}
