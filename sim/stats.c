// SPDX-License-Identifier: MIT
/*
 * stats.c — the log-linear histogram and the counter registry.
 *
 * Bin layout (as in Gil Tene's HdrHistogram with a unit of 1): let
 * S = 2^sub_bits be the smallest power of two >= 2 * 10^digits and H = S/2.
 * Values below S have one bin each. A value v >= S falls in bucket
 * b = floor(log2(v)) - (sub_bits - 1), whose H bins each span 2^b values:
 * v's bin starts at (v >> b) << b with (v >> b) in [H, S). A bin spans at
 * most 1/H <= 10^-digits of any value in it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sim_int.h"
#include "stats.h"

/* Inverse of sim_hist_bin_of(): the range of values that land in bin @i. */
static void bin_range(const struct sim_hist *h, size_t i, uint64_t *lo,
		      uint64_t *hi)
{
	size_t half = (size_t)1 << (h->sub_bits - 1);
	size_t s = half << 1;
	unsigned b;

	if (i < s) {
		*lo = *hi = i;
		return;
	}
	b = (unsigned)(i / half) - 1;
	*lo = (uint64_t)(i % half + half) << b;
	*hi = *lo + ((UINT64_C(1) << b) - 1);
}

static int grow_to(struct sim_hist *h, size_t bin)
{
	size_t half = (size_t)1 << (h->sub_bits - 1);
	size_t n = h->nbins;
	uint64_t *c;

	if (bin < n)
		return 0;
	while (n <= bin)
		n += 8 * half; /* eight more powers of two at a time */
	c = realloc(h->counts, n * sizeof(*c));
	if (!c)
		return -ENOMEM;
	memset(c + h->nbins, 0, (n - h->nbins) * sizeof(*c));
	h->counts = c;
	h->nbins = n;
	return 0;
}

int sim_hist_init(struct sim_hist *h, unsigned digits)
{
	uint64_t need, s = 1;
	unsigned bits = 0;

	memset(h, 0, sizeof(*h));
	if (digits < SIM_HIST_MIN_DIGITS || digits > SIM_HIST_MAX_DIGITS)
		return -EINVAL;
	need = 2;
	for (unsigned i = 0; i < digits; i++)
		need *= 10;
	while (s < need) {
		s <<= 1;
		bits++;
	}
	h->digits = digits;
	h->sub_bits = bits;
	h->min = UINT64_MAX;
	/* Start with the exact range plus ten powers of two. */
	return grow_to(h, ((size_t)s) + 10 * (s >> 1) - 1);
}

void sim_hist_destroy(struct sim_hist *h)
{
	free(h->counts);
	h->counts = NULL;
	h->nbins = 0;
}

void sim_hist_reset(struct sim_hist *h)
{
	memset(h->counts, 0, h->nbins * sizeof(*h->counts));
	h->total = 0;
	h->sum = 0;
	h->min = UINT64_MAX;
	h->max = 0;
}

int sim_hist_record_n(struct sim_hist *h, uint64_t v, uint64_t n)
{
	size_t bin = sim_hist_bin_of(h, v);

	if (bin >= h->nbins && grow_to(h, bin))
		return -ENOMEM;
	h->counts[bin] += n;
	if (n)
		sim_hist_count_(h, v, n);
	return 0;
}

uint64_t sim_hist_percentile_ppm(const struct sim_hist *h, uint32_t ppm)
{
	unsigned __int128 r;
	uint64_t rank, seen = 0;

	if (!h->total)
		return 0;
	if (ppm == 0)
		return h->min;
	if (ppm > 1000000)
		ppm = 1000000;
	r = ((unsigned __int128)ppm * h->total + 999999) / 1000000;
	rank = r ? (uint64_t)r : 1;
	for (size_t i = 0; i < h->nbins; i++) {
		seen += h->counts[i];
		if (seen >= rank) {
			uint64_t lo, hi;

			bin_range(h, i, &lo, &hi);
			return hi < h->max ? hi : h->max;
		}
	}
	return h->max;
}

double sim_hist_mean(const struct sim_hist *h)
{
	return h->total ? (double)h->sum / (double)h->total : 0.0;
}

int sim_hist_merge(struct sim_hist *dst, const struct sim_hist *src)
{
	if (dst->digits != src->digits)
		return -EINVAL;
	if (src->nbins > dst->nbins && grow_to(dst, src->nbins - 1))
		return -ENOMEM;
	for (size_t i = 0; i < src->nbins; i++)
		dst->counts[i] += src->counts[i];
	dst->total += src->total;
	dst->sum += src->sum;
	if (src->min < dst->min)
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	return 0;
}

bool sim_hist_bin(const struct sim_hist *h, size_t i, uint64_t *lo,
		  uint64_t *hi, uint64_t *count)
{
	if (i >= h->nbins)
		return false;
	bin_range(h, i, lo, hi);
	*count = h->counts[i];
	return true;
}

/* ---- counters --------------------------------------------------------- */

struct sim_counter *sim_counter_get(struct sim *sim, const char *name)
{
	struct sim_counter *c, **v;

	for (size_t i = 0; i < sim->ncounters; i++)
		if (strcmp(sim->counters[i]->name, name) == 0)
			return sim->counters[i];
	if (sim->ncounters == sim->capcounters) {
		size_t cap = sim->capcounters ? 2 * sim->capcounters : 16;

		v = realloc(sim->counters, cap * sizeof(*v));
		if (!v)
			return NULL;
		sim->counters = v;
		sim->capcounters = cap;
	}
	c = calloc(1, sizeof(*c) + strlen(name) + 1);
	if (!c)
		return NULL;
	c->name = strcpy((char *)(c + 1), name);
	sim->counters[sim->ncounters++] = c;
	return c;
}

const struct sim_counter *sim_counter_at(const struct sim *sim, size_t i)
{
	return i < sim->ncounters ? sim->counters[i] : NULL;
}

void sim_counters_free(struct sim *sim)
{
	for (size_t i = 0; i < sim->ncounters; i++)
		free(sim->counters[i]);
	free(sim->counters);
}
