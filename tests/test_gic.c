// SPDX-License-Identifier: MIT
/*
 * test_gic.c — the GICv2 distributor and CPU interface against
 * ../shared/spec/gic.md §1-§3: register tables, reset values and masks,
 * the edge and level state machines, priorities, PMR, BPR and preemption,
 * SGI sources, EOImode, groups, and the signalling delay. A GIC-400-class
 * configuration: 4 CPUs, 256 INTIDs, 5 priority bits, 4 list registers.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "models/gic/gic_int.h"
#include "gic_test_util.h"

/* Offsets from gic.md §2.1 and §3.1 */
#define GICD_CTLR 0x000
#define GICD_TYPER 0x004
#define GICD_IIDR 0x008
#define GICD_IGROUPR 0x080
#define GICD_ISENABLER 0x100
#define GICD_ICENABLER 0x180
#define GICD_ISPENDR 0x200
#define GICD_ICPENDR 0x280
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICD_ICFGR 0xC00
#define GICD_SGIR 0xF00
#define GICD_CPENDSGIR 0xF10
#define GICD_SPENDSGIR 0xF20
#define GICD_PIDR0 0xFE0
#define GICD_PIDR2 0xFE8
#define GICD_CIDR0 0xFF0
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_BPR 0x08
#define GICC_IAR 0x0C
#define GICC_EOIR 0x10
#define GICC_RPR 0x14
#define GICC_HPPIR 0x18
#define GICC_ABPR 0x1C
#define GICC_AIAR 0x20
#define GICC_APR0 0xD0
#define GICC_IIDR 0xFC
#define GICC_DIR 0x1000

#define D GIC_BANK_DIST
#define C GIC_BANK_CPU

static const struct gic_config gic400 = {
	.version = GIC_V2, .ncpus = 4, .nr_irqs = 256, .prio_bits = 5, .nr_lrs = 4,
};

static void setup(void)
{
	gic_make(&gic400);
}

TestSuite(gic, .init = setup, .fini = gic_fini);

/* Bit helpers for per-IRQ registers */
static uint32_t bitreg(uint32_t base, unsigned intid)
{
	return base + intid / 32 * 4;
}

static bool bit(uint32_t base, unsigned cpu, unsigned intid)
{
	return rd(D, cpu, bitreg(base, intid)) >> (intid % 32) & 1;
}

static void setbit(uint32_t base, unsigned cpu, unsigned intid)
{
	wr(D, cpu, bitreg(base, intid), 1u << (intid % 32));
}

static void set_prio(unsigned cpu, unsigned intid, uint8_t prio)
{
	cr_assert_eq(gic_write(gic, D, cpu, GICD_IPRIORITYR + intid, 1, prio), GIC_ACCESS_OK);
}

static void set_target(unsigned intid, uint8_t mask)
{
	cr_assert_eq(gic_write(gic, D, 0, GICD_ITARGETSR + intid, 1, mask), GIC_ACCESS_OK);
}

static void set_edge(unsigned intid, bool edge)
{
	uint32_t off = GICD_ICFGR + intid / 16 * 4;
	uint32_t v = (uint32_t)rd(D, 0, off);
	unsigned sh = intid % 16 * 2 + 1;

	wr(D, 0, off, edge ? v | 1u << sh : v & ~(1u << sh));
}

/* Distributor and every CPU interface on for Group 0, PMR 0xF0 (Linux). */
static void enable_all(void)
{
	wr(D, 0, GICD_CTLR, 0x3);
	for (unsigned c = 0; c < 4; c++) {
		wr(C, c, GICC_CTLR, 0x3);
		wr(C, c, GICC_PMR, 0xF0);
	}
}

/* An SPI ready to fire at CPU @cpu with @prio. */
static void spi(unsigned intid, unsigned cpu, uint8_t prio, bool edge)
{
	set_target(intid, (uint8_t)(1u << cpu));
	set_prio(0, intid, prio);
	set_edge(intid, edge);
	setbit(GICD_ISENABLER, 0, intid);
}

/* ---- tables ------------------------------------------------------------------ */

Test(gic, every_bank_table_is_sorted_and_non_overlapping)
{
	const struct gic_bank_desc *banks[] = { &gic_dist_bank,	  &gic_cpu_bank,
						&gic_hyp_bank,	  &gic_vcpu_bank,
						&gic_redist_bank, &gic_icc_bank,
						&gic_icv_bank };

	for (size_t b = 0; b < sizeof(banks) / sizeof(banks[0]); b++) {
		for (size_t i = 0; i < banks[b]->n; i++) {
			const struct gic_reg *r = &banks[b]->regs[i];

			cr_assert_gt(r->len, 0, "%s", r->name);
			cr_assert(r->bpi ? r->get_irq && r->set_irq : !r->get_irq, "%s", r->name);
			if (i)
				cr_assert_geq(r->off, banks[b]->regs[i - 1].off +
							      banks[b]->regs[i - 1].len,
					      "%s overlaps %s", r->name,
					      banks[b]->regs[i - 1].name);
		}
	}
}

Test(gic, every_register_of_the_v2_maps_is_present)
{
	static const uint32_t dist[] = { 0x000, 0x004, 0x008, 0x080, 0x0FC, 0x100, 0x17C,
					 0x180, 0x200, 0x280, 0x300, 0x380, 0x400, 0x7F8,
					 0x800, 0xBF8, 0xC00, 0xCFC, 0xF00, 0xF10, 0xF1C,
					 0xF20, 0xF2C, 0xFD0, 0xFE8, 0xFFC };
	static const uint32_t cpu[] = { 0x00, 0x04, 0x08, 0x0C, 0x10, 0x14, 0x18, 0x1C,
					0x20, 0x24, 0x28, 0xD0, 0xDC, 0xE0, 0xEC, 0xFC,
					0x1000 };
	static const uint32_t hyp[] = { 0x000, 0x004, 0x008, 0x010, 0x020, 0x024,
					0x030, 0x034, 0x0F0, 0x100, 0x1FC };

	for (size_t i = 0; i < sizeof(dist) / sizeof(dist[0]); i++)
		cr_expect(gic_has_reg(gic_config(gic), D, dist[i]), "GICD %#x", dist[i]);
	for (size_t i = 0; i < sizeof(cpu) / sizeof(cpu[0]); i++) {
		cr_expect(gic_has_reg(gic_config(gic), C, cpu[i]), "GICC %#x", cpu[i]);
		/* GICV: the GICC layout without NSAPRn (§4.4) */
		if (cpu[i] < 0xE0 || cpu[i] > 0xEC)
			cr_expect(gic_has_reg(gic_config(gic), GIC_BANK_VCPU, cpu[i]), "GICV %#x",
				  cpu[i]);
	}
	for (size_t i = 0; i < sizeof(hyp) / sizeof(hyp[0]); i++)
		cr_expect(gic_has_reg(gic_config(gic), GIC_BANK_HYP, hyp[i]), "GICH %#x", hyp[i]);
	/* reserved offsets and the v3-only banks */
	cr_expect_not(gic_has_reg(gic_config(gic), D, 0x00C));
	cr_expect_not(gic_has_reg(gic_config(gic), D, 0x6100));
	cr_expect_not(gic_has_reg(gic_config(gic), GIC_BANK_REDIST, 0x0));
	cr_expect_not(gic_has_reg(gic_config(gic), GIC_BANK_ICC, GIC_SYSREG(3, 0, 4, 6, 0)));
}

Test(gic, distributor_reset_values)
{
	/* §2.2: TYPER = (256/32 - 1) | (4 - 1) << 5; GIC-400 IIDR and IDs */
	cr_expect_eq(rd(D, 0, GICD_CTLR), 0);
	cr_expect_eq(rd(D, 0, GICD_TYPER), 0x67);
	cr_expect_eq(rd(D, 0, GICD_IIDR), 0x0200143B);
	cr_expect_eq(rd(D, 0, GICD_PIDR2), 0x2B);
	cr_expect_eq(rd(D, 0, GICD_PIDR2) >> 4 & 0xf, 2, "ArchRev");
	cr_expect_eq(rd(D, 0, GICD_PIDR0), 0x90);
	cr_expect_eq(rd(D, 0, GICD_CIDR0), 0x0D);
	cr_expect_eq(rd(D, 0, GICD_IGROUPR), 0);
	cr_expect_eq(rd(D, 0, GICD_ISENABLER), 0x0000FFFF, "SGIs always enabled");
	cr_expect_eq(rd(D, 0, GICD_ISENABLER + 4), 0);
	cr_expect_eq(rd(D, 0, GICD_ISPENDR), 0);
	cr_expect_eq(rd(D, 0, GICD_ISACTIVER), 0);
	cr_expect_eq(rd(D, 0, GICD_IPRIORITYR + 40), 0);
	cr_expect_eq(rd(D, 2, GICD_ITARGETSR), 0x04040404, "own CPU bit for 0-31");
	cr_expect_eq(rd(D, 0, GICD_ITARGETSR + 32), 0);
	cr_expect_eq(rd(D, 0, GICD_ICFGR), 0xAAAAAAAA, "SGIs edge");
	cr_expect_eq(rd(D, 0, GICD_ICFGR + 8), 0, "SPIs level");
}

Test(gic, cpu_interface_reset_values)
{
	/* §3.1, GIC-400: BPR 2, ABPR 3, IIDR 0x0202143B */
	cr_expect_eq(rd(C, 1, GICC_CTLR), 0);
	cr_expect_eq(rd(C, 1, GICC_PMR), 0);
	cr_expect_eq(rd(C, 1, GICC_BPR), 2);
	cr_expect_eq(rd(C, 1, GICC_ABPR), 3);
	cr_expect_eq(rd(C, 1, GICC_IAR), 0x3FF);
	cr_expect_eq(rd(C, 1, GICC_RPR), 0xFF);
	cr_expect_eq(rd(C, 1, GICC_HPPIR), 0x3FF);
	cr_expect_eq(rd(C, 1, GICC_APR0), 0);
	cr_expect_eq(rd(C, 1, GICC_IIDR), 0x0202143B);
	cr_expect_eq((rd(C, 1, GICC_IIDR) >> 16) & 0xf, 2, "ArchitectureVersion");
}

Test(gic, read_only_and_masked_bits)
{
	/* 5 priority bits: low three bits RAZ/WI (§1.5) */
	set_prio(0, 40, 0xFF);
	cr_expect_eq(rd(D, 0, GICD_IPRIORITYR + 40), 0xF8);
	wr(C, 0, GICC_PMR, 0xFF);
	cr_expect_eq(rd(C, 0, GICC_PMR), 0xF8);
	/* binary points below the minimum set the minimum (§3.2) */
	wr(C, 0, GICC_BPR, 0);
	wr(C, 0, GICC_ABPR, 0);
	cr_expect_eq(rd(C, 0, GICC_BPR), 2);
	cr_expect_eq(rd(C, 0, GICC_ABPR), 3);
	wr(C, 0, GICC_BPR, 7);
	cr_expect_eq(rd(C, 0, GICC_BPR), 7);
	/* GICC_CTLR writable mask 0x21F (§3.2) */
	wr(C, 0, GICC_CTLR, 0xFFFFFFFF);
	cr_expect_eq(rd(C, 0, GICC_CTLR), 0x21F);
	/* ICFGR0 is RO (SGIs edge); SGI enables RAO/WI */
	wr(D, 0, GICD_ICFGR, 0);
	cr_expect_eq(rd(D, 0, GICD_ICFGR), 0xAAAAAAAA);
	wr(D, 0, GICD_ICENABLER, 0xFFFFFFFF);
	cr_expect_eq(rd(D, 0, GICD_ISENABLER), 0x0000FFFF);
	/* targets limited to the implemented CPUs; RO for INTIDs 0-31 */
	set_target(40, 0xFF);
	cr_expect_eq(rd(D, 0, GICD_ITARGETSR + 40) & 0xff, 0x0F);
	wr(D, 1, GICD_ITARGETSR, 0xFFFFFFFF);
	cr_expect_eq(rd(D, 1, GICD_ITARGETSR), 0x02020202);
	/* GICD_CTLR: EnableGrp0 and EnableGrp1 only */
	wr(D, 0, GICD_CTLR, 0xFFFFFFFF);
	cr_expect_eq(rd(D, 0, GICD_CTLR), 0x3);
	/* ID registers are read-only */
	wr(D, 0, GICD_IIDR, 0);
	cr_expect_eq(rd(D, 0, GICD_IIDR), 0x0200143B);
}

Test(gic, bad_widths_and_holes_read_as_zero)
{
	uint64_t v = 1;

	cr_expect_eq(gic_read(gic, D, 0, GICD_ISENABLER, 1, &v), GIC_ACCESS_WIDTH);
	cr_expect_eq(v, 0);
	cr_expect_eq(gic_read(gic, D, 0, GICD_IPRIORITYR + 41, 1, &v), GIC_ACCESS_OK,
		     "IPRIORITYR is byte accessible");
	cr_expect_eq(gic_write(gic, D, 0, 0x00C, 4, 1), GIC_ACCESS_UNMAPPED);
	cr_expect_eq(gic_read(gic, D, 0, 0x00C, 4, &v), GIC_ACCESS_UNMAPPED);
	cr_expect_eq(v, 0);
	cr_expect_eq(gic_read(gic, C, 0, GICC_PMR, 1, &v), GIC_ACCESS_WIDTH);
	/* INTIDs beyond TYPER.ITLinesNumber are RAZ/WI */
	setbit(GICD_ISENABLER, 0, 256);
	cr_expect_eq(rd(D, 0, bitreg(GICD_ISENABLER, 256)), 0);
	cr_expect_gt(gic->counters[GIC_TR_BAD_ACCESS], 0);
}

Test(gic, uniprocessor_itargetsr_is_raz_wi)
{
	struct gic_config one = gic400;

	gic_fini();
	one.ncpus = 1;
	gic_make(&one);
	cr_expect_eq(rd(D, 0, GICD_ITARGETSR), 0);
	set_target(40, 1);
	cr_expect_eq(rd(D, 0, GICD_ITARGETSR + 40), 0);
}

/* ---- state machines (§1.3) ----------------------------------------------------- */

Test(gic, edge_spi_pending_active_and_active_pending)
{
	enable_all();
	spi(40, 0, 0x80, true);
	gic_set_irq(gic, 0, 40, true);
	cr_assert(bit(GICD_ISPENDR, 0, 40));
	cr_assert(line(0, GIC_OUT_IRQ));
	cr_assert_eq(rd(C, 0, GICC_IAR), 40);
	cr_expect_not(bit(GICD_ISPENDR, 0, 40), "acknowledge clears the latch");
	cr_expect(bit(GICD_ISACTIVER, 0, 40));
	cr_expect_not(line(0, GIC_OUT_IRQ), "running priority now 0x80");
	/* a new edge while active: active and pending */
	gic_set_irq(gic, 0, 40, false);
	gic_set_irq(gic, 0, 40, true);
	cr_expect(bit(GICD_ISPENDR, 0, 40) && bit(GICD_ISACTIVER, 0, 40));
	cr_expect_eq(rd(C, 0, GICC_IAR), 0x3FF, "A+P is not a candidate");
	wr(C, 0, GICC_EOIR, 40);
	cr_expect_not(bit(GICD_ISACTIVER, 0, 40));
	cr_expect(line(0, GIC_OUT_IRQ), "A+P -> pending is forwarded again");
	cr_expect_eq(rd(C, 0, GICC_IAR), 40);
	wr(C, 0, GICC_EOIR, 40);
	cr_expect_not(bit(GICD_ISPENDR, 0, 40) || bit(GICD_ISACTIVER, 0, 40));
	cr_expect_eq(rd(C, 0, GICC_IAR), 0x3FF);
}

Test(gic, edges_coalesce_while_pending)
{
	enable_all();
	spi(40, 0, 0x80, true);
	for (int i = 0; i < 3; i++) {
		gic_set_irq(gic, 0, 40, true);
		gic_set_irq(gic, 0, 40, false);
	}
	cr_expect_eq(rd(C, 0, GICC_IAR), 40);
	wr(C, 0, GICC_EOIR, 40);
	cr_expect_eq(rd(C, 0, GICC_IAR), 0x3FF, "three edges, one interrupt");
}

Test(gic, level_spi_follows_its_line)
{
	enable_all();
	spi(41, 0, 0x80, false);
	gic_set_irq(gic, 0, 41, true);
	cr_expect(bit(GICD_ISPENDR, 0, 41));
	gic_set_irq(gic, 0, 41, false);
	cr_expect_not(bit(GICD_ISPENDR, 0, 41), "goes away without being taken");
	cr_expect_not(line(0, GIC_OUT_IRQ));
	gic_set_irq(gic, 0, 41, true);
	cr_expect_eq(rd(C, 0, GICC_IAR), 41);
	cr_expect(bit(GICD_ISPENDR, 0, 41) && bit(GICD_ISACTIVER, 0, 41),
		  "line still high: A+P");
	gic_set_irq(gic, 0, 41, false);
	cr_expect_not(bit(GICD_ISPENDR, 0, 41), "device serviced: active");
	wr(C, 0, GICC_EOIR, 41);
	cr_expect_not(bit(GICD_ISACTIVER, 0, 41));
	/* EOI with the line still high: pending again */
	gic_set_irq(gic, 0, 41, true);
	cr_expect_eq(rd(C, 0, GICC_IAR), 41);
	wr(C, 0, GICC_EOIR, 41);
	cr_expect(bit(GICD_ISPENDR, 0, 41));
	cr_expect(line(0, GIC_OUT_IRQ));
}

Test(gic, software_pending_latch_of_a_level_interrupt)
{
	enable_all();
	spi(41, 0, 0x80, false);
	setbit(GICD_ISPENDR, 0, 41);
	cr_expect(bit(GICD_ISPENDR, 0, 41), "ISPENDR sets the latch");
	gic_set_irq(gic, 0, 41, true);
	setbit(GICD_ICPENDR, 0, 41);
	cr_expect(bit(GICD_ISPENDR, 0, 41), "ICPENDR: still pending, line high");
	gic_set_irq(gic, 0, 41, false);
	cr_expect_not(bit(GICD_ISPENDR, 0, 41));
	setbit(GICD_ISPENDR, 0, 41);
	cr_expect_eq(rd(C, 0, GICC_IAR), 41);
	cr_expect_not(bit(GICD_ISPENDR, 0, 41), "acknowledge clears the latch");
}

Test(gic, disabled_interrupt_pends_but_is_not_forwarded)
{
	enable_all();
	spi(42, 0, 0x80, true);
	setbit(GICD_ICENABLER, 0, 42);
	gic_set_irq(gic, 0, 42, true);
	cr_expect(bit(GICD_ISPENDR, 0, 42));
	cr_expect_eq(rd(C, 0, GICC_HPPIR), 0x3FF);
	cr_expect_not(line(0, GIC_OUT_IRQ));
	setbit(GICD_ISENABLER, 0, 42);
	cr_expect(line(0, GIC_OUT_IRQ));
	/* a group disabled in the distributor gates forwarding, not state */
	wr(D, 0, GICD_CTLR, 0);
	cr_expect_not(line(0, GIC_OUT_IRQ));
	cr_expect(bit(GICD_ISPENDR, 0, 42));
	cr_expect_eq(rd(C, 0, GICC_IAR), 0x3FF);
}

Test(gic, isactiver_and_icactiver_set_and_clear_active)
{
	enable_all();
	spi(43, 0, 0x80, true);
	setbit(GICD_ISACTIVER, 0, 43);
	gic_set_irq(gic, 0, 43, true);
	cr_expect_not(line(0, GIC_OUT_IRQ), "active: not a candidate");
	setbit(GICD_ICACTIVER, 0, 43);
	cr_expect(line(0, GIC_OUT_IRQ));
}

Test(gic, ppis_are_banked_per_cpu)
{
	enable_all();
	set_prio(1, 27, 0x80);
	setbit(GICD_ISENABLER, 1, 27);
	gic_set_irq(gic, 1, 27, true);
	cr_expect(bit(GICD_ISPENDR, 1, 27));
	cr_expect_not(bit(GICD_ISPENDR, 0, 27));
	cr_expect_not(bit(GICD_ISENABLER, 0, 27));
	cr_expect(line(1, GIC_OUT_IRQ));
	cr_expect_not(line(0, GIC_OUT_IRQ));
	cr_expect_eq(rd(C, 1, GICC_IAR), 27);
}

/* ---- priorities (§1.5, §1.6) ----------------------------------------------------- */

Test(gic, pmr_masks_strictly)
{
	enable_all();
	spi(40, 0, 0x80, true);
	wr(C, 0, GICC_PMR, 0x80);
	gic_set_irq(gic, 0, 40, true);
	cr_expect_not(line(0, GIC_OUT_IRQ), "priority must be below PMR");
	cr_expect_eq(rd(C, 0, GICC_HPPIR), 0x3FF);
	cr_expect_eq(rd(C, 0, GICC_IAR), 0x3FF);
	wr(C, 0, GICC_PMR, 0x88);
	cr_expect(line(0, GIC_OUT_IRQ));
	cr_expect_eq(rd(C, 0, GICC_HPPIR), 40);
}

Test(gic, highest_priority_then_lowest_intid_wins)
{
	enable_all();
	spi(50, 0, 0xA0, true);
	spi(45, 0, 0x60, true);
	spi(44, 0, 0x60, true);
	gic_set_irq(gic, 0, 50, true);
	gic_set_irq(gic, 0, 45, true);
	gic_set_irq(gic, 0, 44, true);
	cr_expect_eq(rd(C, 0, GICC_HPPIR), 44);
	cr_expect_eq(rd(C, 0, GICC_IAR), 44);
	wr(C, 0, GICC_EOIR, 44);
	cr_expect_eq(rd(C, 0, GICC_IAR), 45);
	wr(C, 0, GICC_EOIR, 45);
	cr_expect_eq(rd(C, 0, GICC_IAR), 50);
}

/* SPIs 32-255 span four 64-bit words of ready bits: the highest priority
 * wins wherever it lies, and a word that empties and fills again counts. */
Test(gic, highest_priority_spi_is_found_in_every_part_of_the_range)
{
	static const struct {
		unsigned intid;
		uint8_t prio;
	} spis[] = { { 250, 0x20 }, { 40, 0x80 }, { 160, 0x40 }, { 100, 0x40 }, { 255, 0x60 } };

	enable_all();
	for (unsigned i = 0; i < 5; i++) {
		spi(spis[i].intid, 1, spis[i].prio, true);
		gic_set_irq(gic, 0, spis[i].intid, true);
	}
	/* by priority, ties to the lower INTID: 250, 100, 160, 255, 40 */
	static const unsigned order[] = { 250, 100, 160, 255, 40 };
	for (unsigned i = 0; i < 5; i++) {
		cr_expect_eq(rd(C, 1, GICC_HPPIR), order[i]);
		cr_expect_eq(rd(C, 1, GICC_IAR), order[i]);
		wr(C, 1, GICC_EOIR, order[i]);
		if (i == 1) {
			/* 100 was the only one of its word (SPIs 96-159): pend
			 * one there again, and clear 160 before it is taken */
			gic_set_irq(gic, 0, 100, false);
			gic_set_irq(gic, 0, 100, true);
			cr_expect_eq(rd(C, 1, GICC_HPPIR), 100);
			cr_expect_eq(rd(C, 1, GICC_IAR), 100);
			wr(C, 1, GICC_EOIR, 100);
			wr(D, 0, bitreg(GICD_ICPENDR, 160), 1u << (160 % 32));
			cr_expect_eq(rd(C, 1, GICC_HPPIR), 255, "160 no longer pending");
			i++;
		}
	}
	cr_expect_eq(rd(C, 1, GICC_HPPIR), 1023, "nothing left");
}

Test(gic, preemption_nests_and_running_priority_follows)
{
	enable_all();
	spi(40, 0, 0x80, true);
	spi(41, 0, 0x40, true);
	spi(42, 0, 0xA0, true);
	gic_set_irq(gic, 0, 40, true);
	cr_assert_eq(rd(C, 0, GICC_IAR), 40);
	cr_expect_eq(rd(C, 0, GICC_RPR), 0x80);
	gic_set_irq(gic, 0, 42, true);
	cr_expect_not(line(0, GIC_OUT_IRQ), "0xA0 cannot preempt 0x80");
	cr_expect_eq(rd(C, 0, GICC_IAR), 0x3FF);
	cr_expect_eq(rd(C, 0, GICC_HPPIR), 42, "HPPIR ignores the running priority");
	gic_set_irq(gic, 0, 41, true);
	cr_expect(line(0, GIC_OUT_IRQ), "0x40 preempts");
	cr_assert_eq(rd(C, 0, GICC_IAR), 41);
	cr_expect_eq(rd(C, 0, GICC_RPR), 0x40);
	cr_expect_eq(rd(C, 0, GICC_APR0), (1u << (0x40 >> 3)) | (1u << (0x80 >> 3)));
	wr(C, 0, GICC_EOIR, 41);
	cr_expect_eq(rd(C, 0, GICC_RPR), 0x80);
	wr(C, 0, GICC_EOIR, 40);
	cr_expect_eq(rd(C, 0, GICC_RPR), 0xFF);
	cr_expect(line(0, GIC_OUT_IRQ), "0xA0 now");
}

Test(gic, binary_point_decides_preemption_not_subpriority)
{
	enable_all();
	spi(40, 0, 0x90, true);
	spi(41, 0, 0x88, true);
	/* BPR 2: group priority [7:3]; 0x88 < 0x90 preempts */
	gic_set_irq(gic, 0, 40, true);
	cr_assert_eq(rd(C, 0, GICC_IAR), 40);
	cr_expect_eq(rd(C, 0, GICC_RPR), 0x90);
	gic_set_irq(gic, 0, 41, true);
	cr_expect(line(0, GIC_OUT_IRQ));
	cr_assert_eq(rd(C, 0, GICC_IAR), 41);
	wr(C, 0, GICC_EOIR, 41);
	wr(C, 0, GICC_EOIR, 40);
	/* BPR 4: group priority [7:5]; 0x90 runs at 0x80 and 0x88 (group
	 * priority 0x80, subpriority 0x08) cannot preempt it */
	wr(C, 0, GICC_BPR, 4);
	gic_set_irq(gic, 0, 40, false);
	gic_set_irq(gic, 0, 40, true);
	cr_assert_eq(rd(C, 0, GICC_IAR), 40);
	cr_expect_eq(rd(C, 0, GICC_RPR), 0x80);
	gic_set_irq(gic, 0, 41, false);
	gic_set_irq(gic, 0, 41, true);
	cr_expect_not(line(0, GIC_OUT_IRQ));
	cr_expect_eq(rd(C, 0, GICC_IAR), 0x3FF);
	cr_expect_eq(rd(C, 0, GICC_HPPIR), 41);
}

Test(gic, eoimode_splits_priority_drop_and_deactivation)
{
	enable_all();
	wr(C, 0, GICC_CTLR, 0x3 | 1u << 9);
	spi(40, 0, 0x80, true);
	gic_set_irq(gic, 0, 40, true);
	cr_assert_eq(rd(C, 0, GICC_IAR), 40);
	wr(C, 0, GICC_EOIR, 40);
	cr_expect_eq(rd(C, 0, GICC_RPR), 0xFF, "priority dropped");
	cr_expect(bit(GICD_ISACTIVER, 0, 40), "still active");
	wr(C, 0, GICC_DIR, 40);
	cr_expect_not(bit(GICD_ISACTIVER, 0, 40));
}

Test(gic, dir_with_eoimode_0_and_stray_eois_are_ignored)
{
	enable_all();
	spi(40, 0, 0x80, true);
	gic_set_irq(gic, 0, 40, true);
	cr_assert_eq(rd(C, 0, GICC_IAR), 40);
	wr(C, 0, GICC_DIR, 40);
	cr_expect(bit(GICD_ISACTIVER, 0, 40), "DIR with EOImode 0 is ignored");
	wr(C, 0, GICC_EOIR, 1023);
	cr_expect_eq(rd(C, 0, GICC_RPR), 0x80, "spurious ID ignored");
	wr(C, 0, GICC_EOIR, 40);
	uint64_t before = gic->counters[GIC_TR_BAD_EOI];
	wr(C, 0, GICC_EOIR, 40);
	cr_expect_eq(gic->counters[GIC_TR_BAD_EOI], before + 1, "EOI with nothing active");
}

/* ---- SGIs (§2.2, §2.3) ------------------------------------------------------------- */

Test(gic, sgir_target_list_and_source_cpu)
{
	enable_all();
	wr(D, 1, GICD_SGIR, 3 | 0x5u << 16); /* CPU1 -> CPUs 0 and 2, SGI 3 */
	cr_expect(line(0, GIC_OUT_IRQ) && line(2, GIC_OUT_IRQ));
	cr_expect_not(line(1, GIC_OUT_IRQ) || line(3, GIC_OUT_IRQ));
	cr_expect_eq(rd(D, 0, GICD_SPENDSGIR) >> 24, 0x02, "SGI 3 from CPU1");
	cr_expect_eq(rd(C, 0, GICC_IAR), 3 | 1u << 10);
	cr_expect_eq(rd(D, 0, GICD_SPENDSGIR) >> 24, 0);
	cr_expect_eq(rd(C, 2, GICC_IAR), 3 | 1u << 10);
}

Test(gic, sgi_from_two_sources_is_taken_twice)
{
	enable_all();
	wr(D, 3, GICD_SGIR, 5 | 0x1u << 16);
	wr(D, 1, GICD_SGIR, 5 | 0x1u << 16);
	cr_assert_eq(rd(C, 0, GICC_IAR), 5 | 1u << 10, "lowest source first");
	cr_expect(bit(GICD_ISPENDR, 0, 5) && bit(GICD_ISACTIVER, 0, 5), "A+P");
	wr(C, 0, GICC_EOIR, 5 | 1u << 10);
	cr_expect_eq(rd(C, 0, GICC_IAR), 5 | 3u << 10);
	wr(C, 0, GICC_EOIR, 5 | 3u << 10);
	cr_expect_eq(rd(C, 0, GICC_IAR), 0x3FF);
}

Test(gic, sgir_filters)
{
	enable_all();
	wr(D, 2, GICD_SGIR, 1 | 1u << 24); /* all but the requester */
	cr_expect(line(0, GIC_OUT_IRQ) && line(1, GIC_OUT_IRQ) && line(3, GIC_OUT_IRQ));
	cr_expect_not(line(2, GIC_OUT_IRQ));
	wr(D, 2, GICD_SGIR, 1 | 2u << 24); /* only the requester */
	cr_expect(line(2, GIC_OUT_IRQ));
	cr_expect_eq(rd(C, 2, GICC_IAR), 1 | 2u << 10);
	uint64_t before = gic->counters[GIC_TR_SGI];
	wr(D, 2, GICD_SGIR, 1 | 3u << 24); /* reserved */
	cr_expect_eq(gic->counters[GIC_TR_SGI], before);
}

Test(gic, pending_sgi_registers_set_and_clear_sources)
{
	enable_all();
	cr_assert_eq(gic_write(gic, D, 0, GICD_SPENDSGIR + 7, 1, 0x0A), GIC_ACCESS_OK);
	cr_expect(bit(GICD_ISPENDR, 0, 7));
	cr_expect_eq(rd(D, 0, GICD_SPENDSGIR + 4) >> 24, 0x0A);
	cr_assert_eq(gic_write(gic, D, 0, GICD_CPENDSGIR + 7, 1, 0x02), GIC_ACCESS_OK);
	cr_expect_eq(rd(D, 0, GICD_SPENDSGIR + 4) >> 24, 0x08);
	cr_assert_eq(gic_write(gic, D, 0, GICD_CPENDSGIR + 7, 1, 0x08), GIC_ACCESS_OK);
	cr_expect_not(bit(GICD_ISPENDR, 0, 7), "no source left");
	/* ISPENDR0/ICPENDR0 SGI bits are read-only */
	setbit(GICD_ISPENDR, 0, 7);
	cr_expect_not(bit(GICD_ISPENDR, 0, 7));
}

/* ---- 1-of-N, groups, FIQ -------------------------------------------------------- */

Test(gic, spi_to_several_cpus_is_taken_once)
{
	enable_all();
	spi(60, 0, 0x80, true);
	set_target(60, 0x3);
	gic_set_irq(gic, 0, 60, true);
	cr_expect(line(0, GIC_OUT_IRQ) && line(1, GIC_OUT_IRQ));
	cr_expect_eq(rd(C, 1, GICC_IAR), 60);
	cr_expect_not(line(0, GIC_OUT_IRQ));
	cr_expect_eq(rd(C, 0, GICC_IAR), 0x3FF);
}

Test(gic, group1_needs_ackctl_or_the_aliased_iar)
{
	enable_all();
	spi(40, 0, 0x80, true);
	setbit(GICD_IGROUPR, 0, 40);
	gic_set_irq(gic, 0, 40, true);
	cr_expect(line(0, GIC_OUT_IRQ), "Group 1 is IRQ");
	cr_expect_eq(rd(C, 0, GICC_HPPIR), 1022);
	cr_expect_eq(rd(C, 0, GICC_IAR), 1022);
	cr_expect_eq(rd(C, 0, GICC_AIAR), 40);
	cr_expect_eq(rd(C, 0, GICC_APR0 + 0x10), 1u << (0x80 >> 3), "Group 1 in NSAPR");
	cr_expect_eq(rd(C, 0, GICC_APR0), 0);
}

Test(gic, group0_signals_fiq_with_fiqen)
{
	enable_all();
	wr(C, 0, GICC_CTLR, 0x3 | 1u << 3);
	spi(40, 0, 0x80, true);
	gic_set_irq(gic, 0, 40, true);
	cr_expect(line(0, GIC_OUT_FIQ));
	cr_expect_not(line(0, GIC_OUT_IRQ));
}

Test(gic, cpu_interface_group_disable_gates_the_signal)
{
	enable_all();
	spi(40, 0, 0x80, true);
	wr(C, 0, GICC_CTLR, 0x2); /* Group 0 off */
	gic_set_irq(gic, 0, 40, true);
	cr_expect_not(line(0, GIC_OUT_IRQ));
	cr_expect_eq(rd(C, 0, GICC_IAR), 0x3FF);
	wr(C, 0, GICC_CTLR, 0x3);
	cr_expect(line(0, GIC_OUT_IRQ));
}

/* ---- timing -------------------------------------------------------------------- */

Test(gic, irq_wire_follows_after_the_signal_delay)
{
	struct gic_config slow = gic400;

	gic_fini();
	slow.signal_cycles = 10; /* 1 GHz default clock: 10 ns */
	gic_make(&slow);
	enable_all();
	spi(40, 0, 0x80, true);
	sim_run_until(sim, SIM_NS(100));
	gic_set_irq(gic, 0, 40, true);
	cr_expect_not(line(0, GIC_OUT_IRQ));
	sim_run_until(sim, SIM_NS(200));
	cr_expect(line(0, GIC_OUT_IRQ));
	cr_expect_eq(wires[0].when[GIC_OUT_IRQ], SIM_NS(110));
	cr_expect_eq(rd(C, 0, GICC_IAR), 40);
	sim_run_until(sim, SIM_NS(300));
	cr_expect_not(line(0, GIC_OUT_IRQ));
	cr_expect_eq(wires[0].when[GIC_OUT_IRQ], SIM_NS(210));
}

Test(gic, create_rejects_bad_configurations)
{
	struct gic_config bad = gic400;

	bad.ncpus = 9;
	cr_expect_null(gic_create(sim, &bad));
	bad = gic400;
	bad.nr_irqs = 100;
	cr_expect_null(gic_create(sim, &bad));
	bad = gic400;
	bad.prio_bits = 3;
	cr_expect_null(gic_create(sim, &bad));
	bad = gic400;
	bad.nr_lrs = 65;
	cr_expect_null(gic_create(sim, &bad));
	bad = gic400;
	bad.vprio_bits = 8; /* GICH_LR holds 5 */
	cr_expect_null(gic_create(sim, &bad));
}
