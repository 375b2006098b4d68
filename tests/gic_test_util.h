/* SPDX-License-Identifier: MIT */
/*
 * gic_test_util.h — a fresh GIC per test and short register accessors for
 * the GIC model tests (test_gic*.c).
 */
#ifndef KVMSIM_TESTS_GIC_TEST_UTIL_H
#define KVMSIM_TESTS_GIC_TEST_UTIL_H

#include <criterion/criterion.h>

#include "models/gic/gic.h"
#include "sim/sim.h"

static struct sim *sim;
static struct gic *gic;

/* What each CPU's output wires did: level and time of the last change. */
static struct {
	bool level[GIC_NR_OUTPUTS];
	sim_time_t when[GIC_NR_OUTPUTS];
	unsigned changes[GIC_NR_OUTPUTS];
} wires[8];

static void wire_set(void *ctx, unsigned n, bool level)
{
	unsigned cpu = (unsigned)(uintptr_t)ctx;

	wires[cpu].level[n] = level;
	wires[cpu].when[n] = sim_now(sim);
	wires[cpu].changes[n]++;
}

static struct gic *gic_make(const struct gic_config *cfg)
{
	sim = sim_create(NULL);
	cr_assert_not_null(sim);
	gic = gic_create(sim, cfg);
	cr_assert_not_null(gic);
	memset(wires, 0, sizeof(wires));
	for (unsigned c = 0; c < cfg->ncpus && c < 8; c++)
		for (unsigned o = 0; o < GIC_NR_OUTPUTS; o++)
			irq_line_connect(gic_output(gic, c, o), wire_set,
					 (void *)(uintptr_t)c, o);
	return gic;
}

static void gic_fini(void)
{
	gic_destroy(gic);
	sim_destroy(sim);
	gic = NULL;
	sim = NULL;
}

static uint64_t rd(enum gic_bank bank, unsigned cpu, uint32_t off)
{
	uint64_t v = 0xdeadbeef;

	cr_assert_eq(gic_read(gic, bank, cpu, off, 4, &v), GIC_ACCESS_OK,
		     "read bank %d offset %#x", bank, off);
	return v;
}

static void wr(enum gic_bank bank, unsigned cpu, uint32_t off, uint64_t val)
{
	cr_assert_eq(gic_write(gic, bank, cpu, off, 4, val), GIC_ACCESS_OK,
		     "write bank %d offset %#x", bank, off);
}

static inline uint64_t rd64(enum gic_bank bank, unsigned cpu, uint32_t off)
{
	uint64_t v = 0xdeadbeef;

	cr_assert_eq(gic_read(gic, bank, cpu, off, 8, &v), GIC_ACCESS_OK,
		     "read bank %d offset %#x", bank, off);
	return v;
}

static inline void wr64(enum gic_bank bank, unsigned cpu, uint32_t off, uint64_t val)
{
	cr_assert_eq(gic_write(gic, bank, cpu, off, 8, val), GIC_ACCESS_OK,
		     "write bank %d offset %#x", bank, off);
}

static inline bool line(unsigned cpu, enum gic_output o)
{
	return wires[cpu].level[o];
}

#endif /* KVMSIM_TESTS_GIC_TEST_UTIL_H */
