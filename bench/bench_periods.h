/* SPDX-License-Identifier: MIT */
/*
 * bench_periods.h — the mixed clock periods and phases of pattern (a),
 * shared by bench/sched.c and bench/sched_systemc.cpp so that both kernels
 * run the same schedule.
 */
#ifndef KVMSIM_BENCH_PERIODS_H
#define KVMSIM_BENCH_PERIODS_H

#include <stdint.h>

/* Periods of real on-chip clocks, in ps: 1 GHz core, 800 MHz, 300 MHz
 * interconnect, 100 MHz, 25 MHz and 24 MHz (arch timer), 10 MHz, 1 MHz. */
static const uint64_t bench_periods_ps[8] = {
	1000, 1250, 3333, 10000, 40000, 41667, 100000, 1000000,
};

static inline uint64_t bench_period(unsigned i)
{
	return bench_periods_ps[i % 8];
}

/* First edge: a fixed pseudo-random phase inside the first period. */
static inline uint64_t bench_phase(unsigned i)
{
	uint64_t z = (uint64_t)i * UINT64_C(0x9e3779b97f4a7c15);

	z = (z ^ (z >> 31)) * UINT64_C(0xbf58476d1ce4e5b9);
	return 1 + (z >> 33) % bench_period(i);
}

#endif
