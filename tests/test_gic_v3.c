// SPDX-License-Identifier: MIT
/*
 * test_gic_v3.c — GICv3 against ../shared/spec/gic.md §5: the distributor
 * with affinity routing (IROUTER, RAZ/WI private range, RWP), the
 * redistributors (TYPER with Last, the WAKER handshake, the SGI frame),
 * the ICC system registers (IAR0/1 by group, EOIR, CBPR, SGI1R target
 * lists and IRM), and ICH/ICV (64-bit LRs, ICV acknowledge and EOI, traps,
 * hardware deactivation, the architectural MISR rules).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "models/gic/gic_int.h"
#include "gic_test_util.h"

#define GICD_CTLR 0x0000
#define GICD_TYPER 0x0004
#define GICD_IIDR 0x0008
#define GICD_ISENABLER 0x0100
#define GICD_ISPENDR 0x0200
#define GICD_IPRIORITYR 0x0400
#define GICD_ITARGETSR 0x0800
#define GICD_SGIR 0x0F00
#define GICD_IGROUPR 0x0080
#define GICD_IROUTER(n) (0x6000 + 8 * (n))
#define GICD_PIDR2 0xFFE8
#define GICR_TYPER 0x0008
#define GICR_WAKER 0x0014
#define GICR_PIDR2 0xFFE8
#define SGI_BASE 0x10000
#define GICR_IGROUPR0 (SGI_BASE + 0x080)
#define GICR_ISENABLER0 (SGI_BASE + 0x100)
#define GICR_ISPENDR0 (SGI_BASE + 0x200)
#define GICR_IPRIORITYR (SGI_BASE + 0x400)
#define GICR_ICFGR0 (SGI_BASE + 0xC00)

#define ICC_PMR_EL1 GIC_SYSREG(3, 0, 4, 6, 0)
#define ICC_IAR0_EL1 GIC_SYSREG(3, 0, 12, 8, 0)
#define ICC_EOIR0_EL1 GIC_SYSREG(3, 0, 12, 8, 1)
#define ICC_BPR0_EL1 GIC_SYSREG(3, 0, 12, 8, 3)
#define ICC_AP1R0_EL1 GIC_SYSREG(3, 0, 12, 9, 0)
#define ICC_DIR_EL1 GIC_SYSREG(3, 0, 12, 11, 1)
#define ICC_RPR_EL1 GIC_SYSREG(3, 0, 12, 11, 3)
#define ICC_SGI1R_EL1 GIC_SYSREG(3, 0, 12, 11, 5)
#define ICC_SGI0R_EL1 GIC_SYSREG(3, 0, 12, 11, 7)
#define ICC_IAR1_EL1 GIC_SYSREG(3, 0, 12, 12, 0)
#define ICC_EOIR1_EL1 GIC_SYSREG(3, 0, 12, 12, 1)
#define ICC_HPPIR1_EL1 GIC_SYSREG(3, 0, 12, 12, 2)
#define ICC_BPR1_EL1 GIC_SYSREG(3, 0, 12, 12, 3)
#define ICC_CTLR_EL1 GIC_SYSREG(3, 0, 12, 12, 4)
#define ICC_SRE_EL1 GIC_SYSREG(3, 0, 12, 12, 5)
#define ICC_IGRPEN1_EL1 GIC_SYSREG(3, 0, 12, 12, 7)
#define ICC_SRE_EL2 GIC_SYSREG(3, 4, 12, 9, 5)
#define ICH_HCR_EL2 GIC_SYSREG(3, 4, 12, 11, 0)
#define ICH_VTR_EL2 GIC_SYSREG(3, 4, 12, 11, 1)
#define ICH_MISR_EL2 GIC_SYSREG(3, 4, 12, 11, 2)
#define ICH_EISR_EL2 GIC_SYSREG(3, 4, 12, 11, 3)
#define ICH_ELRSR_EL2 GIC_SYSREG(3, 4, 12, 11, 5)
#define ICH_VMCR_EL2 GIC_SYSREG(3, 4, 12, 11, 7)
#define ICH_AP1R0_EL2 GIC_SYSREG(3, 4, 12, 9, 0)
#define ICH_LR_EL2(n) GIC_SYSREG(3, 4, 12, 12 + ((n) >> 3), (n) & 7)

#define D GIC_BANK_DIST
#define R GIC_BANK_REDIST
#define ICC GIC_BANK_ICC
#define ICV GIC_BANK_ICV

static const struct gic_config gic500 = {
	.version = GIC_V3, .ncpus = 4, .nr_irqs = 128, .prio_bits = 5, .nr_lrs = 4,
	.rwp_cycles = 20, .waker_cycles = 50,
};

static void setup(void)
{
	gic_make(&gic500);
}

TestSuite(gic_v3, .init = setup, .fini = gic_fini);

/* ICH_LR<n>_EL2 (§5.6) */
static uint64_t lr(uint32_t vid, unsigned state, uint8_t prio, bool grp1)
{
	return vid | (uint64_t)prio << 48 | (uint64_t)grp1 << 60 | (uint64_t)state << 62;
}
#define LR_HW (1ull << 61)
#define LR_EOI (1ull << 41)
#define LR_PID(p) ((uint64_t)(p) << 32)
enum { INVALID, PENDING, ACTIVE, PENDING_ACTIVE };

/* Wake every redistributor and wait out the handshake; distributor on
 * for Group 1; every CPU interface on for Group 1 with PMR 0xF0. */
static void bring_up(void)
{
	for (unsigned c = 0; c < 4; c++)
		wr(R, c, GICR_WAKER, 0);
	sim_run_for(sim, SIM_US(1));
	wr(D, 0, GICD_CTLR, 0x2);
	for (unsigned c = 0; c < 4; c++) {
		wr64(ICC, c, ICC_PMR_EL1, 0xF0);
		wr64(ICC, c, ICC_IGRPEN1_EL1, 1);
	}
}

static void spi(unsigned intid, unsigned cpu, uint8_t prio)
{
	cr_assert_eq(gic_write(gic, D, 0, GICD_IPRIORITYR + intid, 1, prio), GIC_ACCESS_OK);
	wr(D, 0, GICD_IGROUPR + intid / 32 * 4,
	   rd(D, 0, GICD_IGROUPR + intid / 32 * 4) | 1u << (intid % 32));
	wr64(D, 0, GICD_IROUTER(intid), cpu); /* Aff0 = cpu */
	wr(D, 0, GICD_ISENABLER + intid / 32 * 4, 1u << (intid % 32));
}

Test(gic_v3, distributor_identification_and_control)
{
	/* TYPER: ITLinesNumber 3, IDbits 16 (0xF << 19), No1N */
	cr_expect_eq(rd(D, 0, GICD_TYPER), 3 | 0xFu << 19 | 1u << 25);
	cr_expect_eq(rd(D, 0, GICD_IIDR) & 0xfff, 0x43B);
	cr_expect_eq(rd(D, 0, GICD_PIDR2) >> 4 & 0xf, 3, "ArchRev 3");
	/* ARE and DS read as one; only the group enables are writable */
	cr_expect_eq(rd(D, 0, GICD_CTLR), 0x50);
	/* GICv2-only registers are RES0 with ARE (§5.2) */
	cr_expect_not(gic_has_reg(gic_config(gic), D, GICD_ITARGETSR));
	cr_expect_not(gic_has_reg(gic_config(gic), D, GICD_SGIR));
	cr_expect_not(gic_has_reg(gic_config(gic), GIC_BANK_CPU, 0));
}

Test(gic_v3, rwp_is_set_while_a_ctlr_write_propagates)
{
	sim_run_until(sim, SIM_NS(100));
	wr(D, 0, GICD_CTLR, 0x2);
	cr_expect(rd(D, 0, GICD_CTLR) >> 31, "RWP");
	sim_run_until(sim, SIM_NS(119));
	cr_expect(rd(D, 0, GICD_CTLR) >> 31);
	sim_run_until(sim, SIM_NS(120));
	cr_expect_eq(rd(D, 0, GICD_CTLR), 0x52, "20 cycles later");
}

Test(gic_v3, private_range_of_the_distributor_is_raz_wi)
{
	wr(D, 0, GICD_ISENABLER, 0xFFFFFFFF);
	cr_expect_eq(rd(D, 0, GICD_ISENABLER), 0);
	cr_expect_eq(rd(R, 0, GICR_ISENABLER0), 0, "SGI/PPI enables live in the GICR");
	cr_expect_eq(rd(D, 0, GICD_ISENABLER + 4), 0);
}

Test(gic_v3, redistributor_typer_names_affinity_and_last)
{
	for (unsigned c = 0; c < 4; c++) {
		uint64_t t = rd64(R, c, GICR_TYPER);

		cr_expect_eq(t >> 32, c, "Aff0 = vCPU id");
		cr_expect_eq(t >> 8 & 0xffff, c, "Processor_Number");
		cr_expect_eq(t >> 4 & 1, c == 3, "Last");
	}
	cr_expect_eq(rd(R, 0, GICR_PIDR2) >> 4 & 0xf, 3);
	/* 32-bit halves of the 64-bit register */
	cr_expect_eq(rd(R, 2, GICR_TYPER + 4), 2);
}

Test(gic_v3, waker_handshake_gates_delivery)
{
	cr_expect_eq(rd(R, 0, GICR_WAKER), 0x6, "ProcessorSleep, ChildrenAsleep");
	wr(D, 0, GICD_CTLR, 0x2);
	wr64(ICC, 0, ICC_PMR_EL1, 0xF0);
	wr64(ICC, 0, ICC_IGRPEN1_EL1, 1);
	spi(40, 0, 0x80);
	gic_set_irq(gic, 0, 40, true);
	cr_expect_not(line(0, GIC_OUT_IRQ), "asleep: nothing forwarded");
	sim_run_until(sim, SIM_NS(10));
	wr(R, 0, GICR_WAKER, 0);
	cr_expect_eq(rd(R, 0, GICR_WAKER), 0x4, "children still asleep");
	sim_run_until(sim, SIM_NS(59));
	cr_expect_not(line(0, GIC_OUT_IRQ));
	sim_run_until(sim, SIM_NS(60));
	cr_expect_eq(rd(R, 0, GICR_WAKER), 0);
	cr_expect(line(0, GIC_OUT_IRQ));
}

Test(gic_v3, irouter_routes_an_spi_by_affinity)
{
	bring_up();
	spi(40, 2, 0x80);
	cr_expect_eq(rd64(D, 0, GICD_IROUTER(40)), 2);
	gic_set_irq(gic, 0, 40, true);
	cr_expect(line(2, GIC_OUT_IRQ));
	cr_expect_not(line(0, GIC_OUT_IRQ));
	/* re-routing a pending SPI moves it */
	wr64(D, 0, GICD_IROUTER(40), 1);
	cr_expect(line(1, GIC_OUT_IRQ));
	cr_expect_not(line(2, GIC_OUT_IRQ));
	/* Interrupt_Routing_Mode is RAZ/WI with No1N; a route to no PE leaves
	 * the SPI pending and undelivered */
	wr64(D, 0, GICD_IROUTER(40), 1ull << 31 | 0x0900);
	cr_expect_eq(rd64(D, 0, GICD_IROUTER(40)), 0x0900);
	for (unsigned c = 0; c < 4; c++)
		cr_expect_not(line(c, GIC_OUT_IRQ));
	cr_expect(gic_irq_pending(gic, 0, 40));
}

Test(gic_v3, iar_reads_only_its_group)
{
	bring_up();
	spi(40, 0, 0x80);
	gic_set_irq(gic, 0, 40, true);
	cr_expect(line(0, GIC_OUT_IRQ), "Group 1 -> IRQ");
	cr_expect_eq(rd64(ICC, 0, ICC_IAR0_EL1), 1023);
	cr_expect_eq(rd64(ICC, 0, ICC_HPPIR1_EL1), 40);
	cr_expect_eq(rd64(ICC, 0, ICC_IAR1_EL1), 40);
	cr_expect_eq(rd64(ICC, 0, ICC_AP1R0_EL1), 1u << (0x80 >> 3));
	cr_expect_eq(rd64(ICC, 0, ICC_RPR_EL1), 0x80);
	/* EOIR0 does not complete a Group 1 priority */
	wr64(ICC, 0, ICC_EOIR0_EL1, 40);
	cr_expect_eq(rd64(ICC, 0, ICC_RPR_EL1), 0x80);
	wr64(ICC, 0, ICC_EOIR1_EL1, 40);
	cr_expect_eq(rd64(ICC, 0, ICC_RPR_EL1), 0xFF);
	cr_expect_not(gic_irq_active(gic, 0, 40));
}

/*
 * §1.5: with 8 priority bits there are 128 preemption levels, one active
 * priority bit each over four registers (ICC_AP1R0..3_EL1, bit = group
 * priority >> 1 with BPR1 at its minimum, 1); the running priority and
 * preemption read all four, not only the first.
 */
Test(gic_v3, running_priority_comes_from_every_active_priority_register)
{
	struct gic_config eight = gic500;

	eight.prio_bits = 8;
	gic_fini();
	gic_make(&eight);
	bring_up();
	cr_assert_eq(rd64(ICC, 0, ICC_BPR1_EL1), 1, "BPR1 minimum with 7 preemption bits");
	spi(40, 0, 0xC0);
	spi(41, 0, 0xC0);
	spi(42, 0, 0xA0);
	gic_set_irq(gic, 0, 40, true);
	cr_assert_eq(rd64(ICC, 0, ICC_IAR1_EL1), 40);
	gic_set_irq(gic, 0, 40, false); /* level: the device is served */
	cr_expect_eq(rd64(ICC, 0, ICC_AP1R0_EL1 + 3), 1u << 0, "level 0x60: AP1R3 bit 0");
	cr_expect_eq(rd64(ICC, 0, ICC_RPR_EL1), 0xC0);
	gic_set_irq(gic, 0, 41, true);
	cr_expect_not(line(0, GIC_OUT_IRQ), "an equal priority does not preempt");
	gic_set_irq(gic, 0, 42, true);
	cr_expect(line(0, GIC_OUT_IRQ), "0xA0 preempts 0xC0");
	cr_assert_eq(rd64(ICC, 0, ICC_IAR1_EL1), 42);
	gic_set_irq(gic, 0, 42, false);
	cr_expect_eq(rd64(ICC, 0, ICC_AP1R0_EL1 + 2), 1u << 16, "level 0x50: AP1R2 bit 16");
	cr_expect_eq(rd64(ICC, 0, ICC_RPR_EL1), 0xA0);
	cr_expect_not(line(0, GIC_OUT_IRQ));
	wr64(ICC, 0, ICC_EOIR1_EL1, 42);
	cr_expect_eq(rd64(ICC, 0, ICC_RPR_EL1), 0xC0, "back to the priority in AP1R3");
	cr_expect_not(line(0, GIC_OUT_IRQ), "41 still cannot preempt");
	wr64(ICC, 0, ICC_EOIR1_EL1, 40);
	cr_expect_eq(rd64(ICC, 0, ICC_RPR_EL1), 0xFF);
	cr_expect(line(0, GIC_OUT_IRQ), "idle: 41 is signalled");
}

Test(gic_v3, group0_is_fiq_and_eoimode_splits)
{
	bring_up();
	wr64(ICC, 0, GIC_SYSREG(3, 0, 12, 12, 6), 1); /* ICC_IGRPEN0_EL1 */
	wr64(ICC, 0, ICC_CTLR_EL1, 0x2);              /* EOImode */
	cr_assert_eq(gic_write(gic, D, 0, GICD_IPRIORITYR + 41, 1, 0x40), GIC_ACCESS_OK);
	wr64(D, 0, GICD_IROUTER(41), 0);
	wr(D, 0, GICD_ISENABLER + 4, 1u << 9);
	wr(D, 0, GICD_CTLR, 0x3);
	gic_set_irq(gic, 0, 41, true);
	cr_expect(line(0, GIC_OUT_FIQ));
	cr_assert_eq(rd64(ICC, 0, ICC_IAR0_EL1), 41);
	wr64(ICC, 0, ICC_EOIR0_EL1, 41);
	cr_expect(gic_irq_active(gic, 0, 41), "EOImode 1: drop only");
	wr64(ICC, 0, ICC_DIR_EL1, 41);
	cr_expect_not(gic_irq_active(gic, 0, 41));
}

Test(gic_v3, icc_ctlr_sre_and_binary_points)
{
	/* PRIbits = 5 - 1, IDbits 0 (16 bits); CBPR and EOImode writable */
	cr_expect_eq(rd64(ICC, 0, ICC_CTLR_EL1), 4u << 8);
	wr64(ICC, 0, ICC_CTLR_EL1, ~0ull);
	cr_expect_eq(rd64(ICC, 0, ICC_CTLR_EL1), 4u << 8 | 0x3);
	cr_expect_eq(rd64(ICC, 0, ICC_SRE_EL1), 0x7);
	cr_expect_eq(rd64(ICC, 0, ICC_SRE_EL2), 0xF);
	/* CBPR: BPR1 reads min(BPR0 + 1, 7) and ignores writes */
	wr64(ICC, 0, ICC_BPR0_EL1, 4);
	cr_expect_eq(rd64(ICC, 0, ICC_BPR1_EL1), 5);
	wr64(ICC, 0, ICC_BPR1_EL1, 7);
	cr_expect_eq(rd64(ICC, 0, ICC_BPR1_EL1), 5);
	wr64(ICC, 0, ICC_CTLR_EL1, 0);
	cr_expect_eq(rd64(ICC, 0, ICC_BPR1_EL1), 3, "own value again (reset: min + 1)");
	uint64_t v;
	cr_expect_eq(gic_read(gic, ICC, 0, ICC_PMR_EL1, 4, &v), GIC_ACCESS_WIDTH,
		     "system registers are 64-bit");
}

Test(gic_v3, sgi1r_target_list_and_irm)
{
	bring_up();
	wr(R, 1, GICR_IGROUPR0, 0xFFFFFFFF);
	wr(R, 3, GICR_IGROUPR0, 0xFFFFFFFF);
	wr(R, 1, GICR_ISENABLER0, 0xFFFF);
	wr(R, 3, GICR_ISENABLER0, 0xFFFF);
	/* CPU0 -> Aff0 1 and 3 in cluster 0, SGI 6 */
	wr64(ICC, 0, ICC_SGI1R_EL1, 6ull << 24 | 0xA);
	cr_expect(line(1, GIC_OUT_IRQ) && line(3, GIC_OUT_IRQ));
	cr_expect_not(line(2, GIC_OUT_IRQ));
	cr_expect_eq(rd64(ICC, 1, ICC_IAR1_EL1), 6, "no source field in v3");
	/* IRM: everyone but the sender; SGI 7 is Group 0 on CPU 2 (not
	 * configured), so SGI1R does not reach it */
	wr64(ICC, 3, ICC_SGI1R_EL1, 7ull << 24 | 1ull << 40);
	cr_expect(gic_irq_pending(gic, 1, 7));
	cr_expect_not(gic_irq_pending(gic, 3, 7), "not the sender");
	cr_expect_not(gic_irq_pending(gic, 2, 7), "group mismatch");
	wr64(ICC, 3, ICC_SGI0R_EL1, 7ull << 24 | 1ull << 40);
	cr_expect(gic_irq_pending(gic, 2, 7), "SGI0R for a Group 0 SGI");
	/* another cluster (Aff1 = 1) has no PEs */
	wr64(ICC, 0, ICC_SGI1R_EL1, 8ull << 24 | 1ull << 16 | 0x2);
	cr_expect_not(gic_irq_pending(gic, 1, 8));
}

Test(gic_v3, redistributor_sgi_frame_configures_private_interrupts)
{
	bring_up();
	cr_expect_eq(rd(R, 0, GICR_ICFGR0), 0xAAAAAAAA);
	wr(R, 0, GICR_IGROUPR0, 1u << 27);
	cr_assert_eq(gic_write(gic, R, 0, GICR_IPRIORITYR + 27, 1, 0xA0), GIC_ACCESS_OK);
	wr(R, 0, GICR_ISENABLER0, 1u << 27);
	gic_set_irq(gic, 0, 27, true);
	cr_expect(rd(R, 0, GICR_ISPENDR0) >> 27 & 1);
	cr_expect_eq(rd64(ICC, 0, ICC_IAR1_EL1), 27);
	cr_expect_eq(rd(R, 1, GICR_ISPENDR0), 0, "banked per redistributor");
}

/* ---- ICH / ICV ------------------------------------------------------------------ */

static void guest_on(unsigned cpu)
{
	wr64(ICC, cpu, ICH_HCR_EL2, 1);
	wr64(ICV, cpu, ICC_PMR_EL1, 0xF8);
	wr64(ICV, cpu, ICC_IGRPEN1_EL1, 1);
}

Test(gic_v3, ich_reset_values)
{
	cr_expect_eq(rd64(ICC, 0, ICH_HCR_EL2), 0);
	cr_expect_eq(rd64(ICC, 0, ICH_VTR_EL2), 3 | 4u << 26 | 4u << 29);
	cr_expect_eq(rd64(ICC, 0, ICH_VMCR_EL2), 2u << 21 | 3u << 18 | 1u << 3,
		     "VBPR0 min, VBPR1 min + 1, VFIQEn");
	cr_expect_eq(rd64(ICC, 0, ICH_ELRSR_EL2), 0xF);
	cr_expect_eq(rd64(ICC, 0, ICH_EISR_EL2), 0);
	cr_expect_eq(rd64(ICC, 0, ICH_MISR_EL2), 0);
	cr_expect_eq(rd64(ICC, 0, ICH_LR_EL2(0)), 0);
	cr_expect_not(gic_has_reg(gic_config(gic), ICC, ICH_LR_EL2(16)));
}

Test(gic_v3, icv_acknowledge_and_eoi_through_64bit_lrs)
{
	guest_on(0);
	wr64(ICC, 0, ICH_LR_EL2(2), lr(4242, PENDING, 0xA7, true));
	cr_expect_eq(rd64(ICC, 0, ICH_LR_EL2(2)) >> 48 & 0xff, 0xA0,
		     "priority bits below PRIbits are RES0");
	cr_expect(line(0, GIC_OUT_VIRQ));
	cr_expect_eq(rd64(ICV, 0, ICC_HPPIR1_EL1), 4242);
	cr_expect_eq(rd64(ICV, 0, ICC_IAR0_EL1), 1023, "Group 1 LR");
	cr_expect_eq(rd64(ICV, 0, ICC_IAR1_EL1), 4242);
	cr_expect_eq(rd64(ICC, 0, ICH_AP1R0_EL2), 1u << (0xA0 >> 3));
	cr_expect_eq(rd64(ICC, 0, ICH_LR_EL2(2)) >> 62, ACTIVE);
	wr64(ICV, 0, ICC_EOIR1_EL1, 4242);
	cr_expect_eq(rd64(ICC, 0, ICH_LR_EL2(2)) >> 62, INVALID);
	cr_expect_eq(rd64(ICC, 0, ICH_ELRSR_EL2), 0xF);
	cr_expect_eq(rd64(ICV, 0, ICC_RPR_EL1), 0xFF);
}

Test(gic_v3, icv_sgi_generation_and_trap_controls_trap)
{
	uint64_t v;

	guest_on(0);
	cr_expect_eq(gic_write(gic, ICV, 0, ICC_SGI1R_EL1, 8, 1ull << 24 | 1),
		     GIC_ACCESS_TRAP, "SGIs always trap (§9.11)");
	cr_expect_not(gic_irq_pending(gic, 0, 1));
	cr_expect_eq(gic_read(gic, ICV, 0, ICC_IAR1_EL1, 8, &v), GIC_ACCESS_OK);
	wr64(ICC, 0, ICH_HCR_EL2, 1 | 1u << 12); /* TALL1 */
	cr_expect_eq(gic_read(gic, ICV, 0, ICC_IAR1_EL1, 8, &v), GIC_ACCESS_TRAP);
	cr_expect_eq(gic_read(gic, ICV, 0, ICC_IAR0_EL1, 8, &v), GIC_ACCESS_OK);
	wr64(ICC, 0, ICH_HCR_EL2, 1 | 1u << 14); /* TDIR */
	cr_expect_eq(gic_write(gic, ICV, 0, ICC_DIR_EL1, 8, 0), GIC_ACCESS_TRAP);
	cr_expect_eq(gic_read(gic, ICV, 0, ICC_PMR_EL1, 8, &v), GIC_ACCESS_OK);
	wr64(ICC, 0, ICH_HCR_EL2, 1 | 1u << 10); /* TC */
	cr_expect_eq(gic_read(gic, ICV, 0, ICC_PMR_EL1, 8, &v), GIC_ACCESS_TRAP);
	cr_expect_eq(gic_read(gic, ICV, 0, ICC_RPR_EL1, 8, &v), GIC_ACCESS_TRAP);
}

Test(gic_v3, icv_hw_lr_deactivates_the_physical_ppi)
{
	bring_up();
	/* the 4.4 timer: KVM marks the physical PPI 27 active itself */
	wr(R, 0, SGI_BASE + 0x300, 1u << 27); /* GICR_ISACTIVER0 */
	guest_on(0);
	wr64(ICC, 0, ICH_LR_EL2(0), lr(27, PENDING, 0xA0, true) | LR_HW | LR_PID(27));
	cr_assert_eq(rd64(ICV, 0, ICC_IAR1_EL1), 27);
	wr64(ICV, 0, ICC_EOIR1_EL1, 27);
	cr_expect_not(gic_irq_active(gic, 0, 27));
	cr_expect_eq(rd64(ICC, 0, ICH_MISR_EL2), 0);
}

Test(gic_v3, misr_follows_the_architecture_not_qemu)
{
	guest_on(0);
	/* LRENP = LRENPIE AND EOIcount != 0 (QEMU's OR is a slip, §5.6) */
	wr64(ICC, 0, ICH_HCR_EL2, 1 | 0x4);
	cr_expect_eq(rd64(ICC, 0, ICH_MISR_EL2) & 0x4, 0);
	wr64(ICC, 0, ICH_HCR_EL2, 1 | 1u << 27);
	cr_expect_eq(rd64(ICC, 0, ICH_MISR_EL2) & 0x4, 0);
	wr64(ICC, 0, ICH_HCR_EL2, 1 | 0x4 | 1u << 27);
	cr_expect_eq(rd64(ICC, 0, ICH_MISR_EL2) & 0x4, 0x4);
	/* VGrp0D = VGrp0DIE AND NOT VENG0, whatever VENG1 is */
	wr64(ICC, 0, ICH_HCR_EL2, 1 | 0x20);
	cr_expect_eq(rd64(ICC, 0, ICH_MISR_EL2), 0x20, "VENG0 = 0, VENG1 = 1");
	wr64(ICV, 0, GIC_SYSREG(3, 0, 12, 12, 6), 1); /* ICV_IGRPEN0 */
	cr_expect_eq(rd64(ICC, 0, ICH_MISR_EL2), 0);
}

Test(gic_v3, icv_eoi_checks_group_and_priority)
{
	guest_on(0);
	wr64(ICC, 0, ICH_LR_EL2(0), lr(40, PENDING, 0xA0, true));
	cr_assert_eq(rd64(ICV, 0, ICC_IAR1_EL1), 40);
	/* EOIR0 drops the priority but the LR is Group 1: not deactivated */
	wr64(ICV, 0, ICC_EOIR0_EL1, 40);
	cr_expect_eq(rd64(ICV, 0, ICC_RPR_EL1), 0xFF);
	cr_expect_eq(rd64(ICC, 0, ICH_LR_EL2(0)) >> 62, ACTIVE);
	/* EOIcount for an EOI that names no active LR */
	wr64(ICC, 0, ICH_AP1R0_EL2, 1u << (0xA0 >> 3));
	wr64(ICV, 0, ICC_EOIR1_EL1, 99);
	cr_expect_eq(rd64(ICC, 0, ICH_HCR_EL2) >> 27, 1);
}

Test(gic_v3, bad_configurations_are_rejected)
{
	struct gic_config bad = gic500;

	bad.nr_lrs = 17;
	cr_expect_null(gic_create(sim, &bad));
	bad = gic500;
	bad.vprio_bits = 4;
	cr_expect_null(gic_create(sim, &bad));
	bad = gic500;
	bad.ncpus = 257;
	cr_expect_null(gic_create(sim, &bad));
}

/* ---- resolved accesses (gic_reg_ref) ------------------------------------------------------ */

/*
 * The same random accesses through gic_read()/gic_write() on one GIC and
 * through resolved references on a twin: every value read, every
 * register and every wire agree. The set has registers that resolve
 * (ICC, ICH, ICV that may trap) and accesses that do not (a per-IRQ bank,
 * a 4-byte access of a system register, an unmapped offset), which go
 * through the access engine each time.
 */
Test(gic_v3, resolved_accesses_equal_looked_up_ones)
{
	static const struct {
		enum gic_bank bank;
		uint32_t off;
		unsigned size;
		bool resolves;
	} regs[] = {
		{ ICC, ICC_IAR1_EL1, 8, true },    { ICC, ICC_EOIR1_EL1, 8, true },
		{ ICC, ICC_DIR_EL1, 8, true },     { ICC, ICC_SGI1R_EL1, 8, true },
		{ ICC, ICC_PMR_EL1, 8, true },     { ICC, ICC_CTLR_EL1, 8, true },
		{ ICC, ICH_HCR_EL2, 8, true },     { ICC, ICH_LR_EL2(0), 8, true },
		{ ICC, ICH_LR_EL2(1), 8, true },   { ICC, ICH_VMCR_EL2, 8, true },
		{ ICV, ICC_IAR1_EL1, 8, true },    { ICV, ICC_EOIR1_EL1, 8, true },
		{ ICV, ICC_PMR_EL1, 8, true },     { ICV, ICC_DIR_EL1, 8, true },
		{ R, GICR_ISPENDR0, 4, false },    { D, GICD_ISENABLER + 4, 4, false },
		{ ICC, ICC_PMR_EL1, 4, false },    { ICC, GIC_SYSREG(3, 0, 15, 15, 7), 8, false },
		{ R, GICR_IPRIORITYR, 4, false },
	};
	enum { NREGS = sizeof(regs) / sizeof(regs[0]) };
	struct gic_reg_ref ref[NREGS];
	struct gic *twin = gic_create(sim, &gic500);
	uint64_t s = 0x2545F4914F6CDD1Dull;

	cr_assert_not_null(twin);
	for (struct gic *g = gic; g; g = g == gic ? twin : NULL) {
		for (unsigned c = 0; c < 4; c++)
			gic_write(g, R, c, GICR_WAKER, 4, 0);
	}
	sim_run_for(sim, SIM_US(1));
	for (unsigned i = 0; i < NREGS; i++) {
		gic_reg_ref_init(twin, regs[i].bank, regs[i].off, regs[i].size, &ref[i]);
		cr_assert_eq(ref[i].r != NULL, regs[i].resolves, "register %u", i);
	}
	for (unsigned round = 0; round < 20000; round++) {
		unsigned i, cpu;
		uint64_t v, a = 0;

		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		i = (unsigned)(s % NREGS);
		cpu = (unsigned)(s >> 8) % 5; /* CPU 4 does not exist */
		v = s >> 12;
		switch (s >> 60 & 3) {
		case 0: /* a plausible value */
			v &= 0x1ff;
			if (regs[i].off == ICH_HCR_EL2)
				v = 1 | (s >> 20 & 1) << 12 | (s >> 21 & 1) << 10; /* TALL1, TC */
			if (regs[i].off == ICC_SGI1R_EL1)
				v = (s >> 20 & 0xf) << 24 | (s >> 24 & 0xf);
			break;
		case 1:
			v = lr((uint32_t)(v & 0x7f), (unsigned)(s >> 40 & 3), (uint8_t)(s >> 44), true);
			break;
		default:
			break;
		}
		if (s >> 59 & 1) {
			gic_write(gic, regs[i].bank, cpu, regs[i].off, regs[i].size, v);
			gic_ref_write(twin, &ref[i], cpu, v);
		} else {
			gic_read(gic, regs[i].bank, cpu, regs[i].off, regs[i].size, &a);
			cr_assert_eq(gic_ref_read(twin, &ref[i], cpu), a, "round %u: register %u",
				     round, i);
		}
		sim_run_for(sim, SIM_NS(50));
		for (unsigned c = 0; c < 4; c++) {
			for (unsigned k = 0; k < NREGS; k++) {
				uint64_t x = 0, y = 0;
				bool side = regs[k].off == ICC_IAR1_EL1;

				if (side || regs[k].off == ICC_EOIR1_EL1 || regs[k].off == ICC_DIR_EL1 ||
				    regs[k].off == ICC_SGI1R_EL1)
					continue; /* reading has effects, or write-only */
				gic_read(gic, regs[k].bank, c, regs[k].off, regs[k].size, &x);
				gic_read(twin, regs[k].bank, c, regs[k].off, regs[k].size, &y);
				cr_assert_eq(y, x, "round %u: CPU %u register %u", round, c, k);
			}
			for (unsigned o = 0; o < GIC_NR_OUTPUTS; o++)
				cr_assert_eq(twin->cpu[c].want[o], gic->cpu[c].want[o],
					     "round %u: CPU %u output %u", round, c, o);
		}
	}
	gic_destroy(twin);
}
