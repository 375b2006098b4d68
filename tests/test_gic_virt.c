// SPDX-License-Identifier: MIT
/*
 * test_gic_virt.c — the GICv2 virtualization extensions against
 * ../shared/spec/gic.md §4 and §9: GICH reset values and masks, list
 * registers, the virtual CPU interface (acknowledge, EOI, EOImode,
 * active+pending), MISR/EISR/ELRSR and every maintenance condition, the
 * maintenance PPI, and hardware deactivation through a HW = 1 LR.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "models/gic/gic_int.h"
#include "gic_test_util.h"

#define GICH_HCR 0x000
#define GICH_VTR 0x004
#define GICH_VMCR 0x008
#define GICH_MISR 0x010
#define GICH_EISR0 0x020
#define GICH_ELRSR0 0x030
#define GICH_APR 0x0F0
#define GICH_LR(n) (0x100 + 4 * (n))
#define GICV_CTLR 0x00
#define GICV_PMR 0x04
#define GICV_BPR 0x08
#define GICV_IAR 0x0C
#define GICV_EOIR 0x10
#define GICV_RPR 0x14
#define GICV_HPPIR 0x18
#define GICV_ABPR 0x1C
#define GICV_DIR 0x1000
#define GICD_CTLR 0x000
#define GICD_ISENABLER 0x100
#define GICD_ISPENDR 0x200
#define GICD_ISACTIVER 0x300
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR 0x800
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0C
#define GICC_EOIR 0x10

#define H GIC_BANK_HYP
#define V GIC_BANK_VCPU

/* GICH_HCR bits (§4.2) */
#define HCR_EN 0x1
#define HCR_UIE 0x2
#define HCR_LRENPIE 0x4
#define HCR_NPIE 0x8
#define HCR_VGRP0EIE 0x10
#define HCR_VGRP0DIE 0x20
#define HCR_VGRP1EIE 0x40
#define HCR_VGRP1DIE 0x80
/* GICH_MISR bits */
#define MISR_EOI 0x1
#define MISR_U 0x2
#define MISR_LRENP 0x4
#define MISR_NP 0x8
#define MISR_VGRP0E 0x10
#define MISR_VGRP0D 0x20
#define MISR_VGRP1E 0x40
#define MISR_VGRP1D 0x80

/* A GICH_LR value (§4.3) built from the spec's field positions. */
static uint32_t lr(uint32_t vid, unsigned state, uint8_t prio)
{
	return vid | (uint32_t)(prio >> 3) << 23 | state << 28;
}
#define LR_EOI (1u << 19)
#define LR_HW (1u << 31)
#define LR_GRP1 (1u << 30)
#define LR_PID(p) ((uint32_t)(p) << 10)
#define LR_CPUID(c) ((uint32_t)(c) << 10)
enum { INVALID, PENDING, ACTIVE, PENDING_ACTIVE };

static const struct gic_config gic400 = {
	.version = GIC_V2, .ncpus = 2, .nr_irqs = 256, .prio_bits = 5, .nr_lrs = 4,
};

static void setup(void)
{
	gic_make(&gic400);
}

TestSuite(gic_virt, .init = setup, .fini = gic_fini);

/* The guest's interface on: Group 0 enabled, PMR 0xF8 (VMCR fields §4.2). */
static void guest_on(unsigned cpu)
{
	wr(H, cpu, GICH_HCR, HCR_EN);
	wr(V, cpu, GICV_CTLR, 0x1);
	wr(V, cpu, GICV_PMR, 0xF8);
}

Test(gic_virt, gich_reset_values_and_masks)
{
	cr_expect_eq(rd(H, 0, GICH_HCR), 0);
	cr_expect_eq(rd(H, 0, GICH_VTR), 0x90000003, "GIC-400: 4 LRs, 5 bits");
	cr_expect_eq(rd(H, 0, GICH_VMCR), 2u << 21 | 3u << 18,
		     "binary points read back at their minima");
	cr_expect_eq(rd(H, 0, GICH_MISR), 0);
	cr_expect_eq(rd(H, 0, GICH_EISR0), 0);
	cr_expect_eq(rd(H, 0, GICH_ELRSR0), 0xF, "four empty LRs");
	cr_expect_eq(rd(H, 0, GICH_APR), 0);
	cr_expect_eq(rd(H, 0, GICH_LR(0)), 0);
	/* writable masks */
	wr(H, 0, GICH_HCR, 0xFFFFFFFF);
	cr_expect_eq(rd(H, 0, GICH_HCR), 0xF80000FF);
	wr(H, 0, GICH_LR(1), 0xFFFFFFFF);
	cr_expect_eq(rd(H, 0, GICH_LR(1)), 0xFF8FFFFF, "bits 22:20 reserved");
	wr(H, 0, GICH_VMCR, 0);
	cr_expect_eq(rd(H, 0, GICH_VMCR), 2u << 21 | 3u << 18,
		     "writing 0 resets the binary points");
	wr(H, 0, GICH_LR(4), 0x10000020);
	cr_expect_eq(rd(H, 0, GICH_LR(4)), 0, "LRs beyond ListRegs are RAZ/WI");
	/* GICV view of the same state */
	cr_expect_eq(rd(V, 0, GICV_BPR), 2);
	cr_expect_eq(rd(V, 0, GICV_ABPR), 3);
	wr(V, 0, GICV_PMR, 0xFF);
	cr_expect_eq(rd(V, 0, GICV_PMR), 0xF8);
	cr_expect_eq(rd(H, 0, GICH_VMCR) >> 27, 0x1F, "VMPriMask = PMR[7:3]");
}

Test(gic_virt, pending_lr_is_acknowledged_and_completed_by_the_guest)
{
	guest_on(0);
	wr(H, 0, GICH_LR(0), lr(40, PENDING, 0xA0));
	cr_expect(line(0, GIC_OUT_VIRQ));
	cr_expect_not(line(0, GIC_OUT_IRQ), "no physical interrupt");
	cr_expect_eq(rd(V, 0, GICV_HPPIR), 40);
	cr_expect_eq(rd(V, 0, GICV_IAR), 40);
	cr_expect_eq(rd(H, 0, GICH_LR(0)) >> 28 & 3, ACTIVE);
	cr_expect_eq(rd(H, 0, GICH_APR), 1u << (0xA0 >> 3));
	cr_expect_eq(rd(V, 0, GICV_RPR), 0xA0);
	cr_expect_not(line(0, GIC_OUT_VIRQ));
	cr_expect_eq(rd(H, 0, GICH_ELRSR0) & 1, 0, "occupied");
	wr(V, 0, GICV_EOIR, 40);
	cr_expect_eq(rd(H, 0, GICH_LR(0)) >> 28 & 3, INVALID);
	cr_expect_eq(rd(H, 0, GICH_ELRSR0) & 1, 1, "empty again");
	cr_expect_eq(rd(V, 0, GICV_RPR), 0xFF);
	cr_expect_eq(rd(H, 0, GICH_MISR), 0, "no EOI maintenance requested");
}

Test(gic_virt, virtual_interface_needs_en_and_group_enable_and_pmr)
{
	wr(H, 0, GICH_LR(0), lr(40, PENDING, 0xA0));
	wr(V, 0, GICV_CTLR, 0x1);
	wr(V, 0, GICV_PMR, 0xF8);
	cr_expect_not(line(0, GIC_OUT_VIRQ), "HCR.En = 0");
	cr_expect_eq(rd(V, 0, GICV_IAR), 1023);
	wr(H, 0, GICH_HCR, HCR_EN);
	cr_expect(line(0, GIC_OUT_VIRQ));
	wr(V, 0, GICV_PMR, 0xA0);
	cr_expect_not(line(0, GIC_OUT_VIRQ), "priority must be below PMR");
	wr(V, 0, GICV_PMR, 0xF8);
	wr(V, 0, GICV_CTLR, 0x0);
	cr_expect_not(line(0, GIC_OUT_VIRQ), "Group 0 disabled");
	/* Group 0 with FIQEn is a virtual FIQ */
	wr(V, 0, GICV_CTLR, 0x1 | 0x8);
	cr_expect(line(0, GIC_OUT_VFIQ));
	cr_expect_not(line(0, GIC_OUT_VIRQ));
}

Test(gic_virt, lowest_priority_then_lowest_lr_index)
{
	guest_on(0);
	wr(H, 0, GICH_LR(0), lr(50, PENDING, 0xA0));
	wr(H, 0, GICH_LR(1), lr(51, PENDING, 0x80));
	wr(H, 0, GICH_LR(2), lr(52, PENDING, 0x80));
	cr_expect_eq(rd(V, 0, GICV_IAR), 51);
	/* 52 (0x80) cannot preempt 51 (0x80) */
	cr_expect_eq(rd(V, 0, GICV_IAR), 1023);
	wr(V, 0, GICV_EOIR, 51);
	cr_expect_eq(rd(V, 0, GICV_IAR), 52);
	wr(V, 0, GICV_EOIR, 52);
	cr_expect_eq(rd(V, 0, GICV_IAR), 50);
}

Test(gic_virt, virtual_preemption_uses_the_virtual_binary_point)
{
	guest_on(0);
	wr(H, 0, GICH_LR(0), lr(50, PENDING, 0xA0));
	cr_assert_eq(rd(V, 0, GICV_IAR), 50);
	wr(H, 0, GICH_LR(1), lr(51, PENDING, 0x98));
	cr_expect(line(0, GIC_OUT_VIRQ), "BPR 2: 0x98 preempts 0xA0");
	wr(V, 0, GICV_BPR, 4);
	cr_expect(line(0, GIC_OUT_VIRQ), "running priority 0xA0 stays in GICH_APR");
	wr(H, 0, GICH_LR(1), lr(51, PENDING, 0xB0));
	cr_expect_not(line(0, GIC_OUT_VIRQ), "0xB0 cannot preempt 0xA0");
}

Test(gic_virt, pending_and_active_lr_is_not_a_candidate)
{
	guest_on(0);
	wr(H, 0, GICH_LR(0), lr(40, PENDING_ACTIVE, 0xA0));
	cr_expect_not(line(0, GIC_OUT_VIRQ));
	cr_expect_eq(rd(V, 0, GICV_IAR), 1023);
	/* the guest completes the active instance: the LR is pending again */
	wr(H, 0, GICH_APR, 1u << (0xA0 >> 3));
	wr(V, 0, GICV_EOIR, 40);
	cr_expect_eq(rd(H, 0, GICH_LR(0)) >> 28 & 3, PENDING);
	cr_expect(line(0, GIC_OUT_VIRQ));
	cr_expect_eq(rd(V, 0, GICV_IAR), 40);
}

Test(gic_virt, virtual_sgi_reports_its_source_cpu)
{
	guest_on(0);
	wr(H, 0, GICH_LR(0), lr(2, PENDING, 0xA0) | LR_CPUID(1));
	cr_expect_eq(rd(V, 0, GICV_HPPIR), 2 | 1u << 10);
	cr_expect_eq(rd(V, 0, GICV_IAR), 2 | 1u << 10);
	wr(V, 0, GICV_EOIR, 2 | 1u << 10);
	cr_expect_eq(rd(H, 0, GICH_LR(0)) >> 28 & 3, INVALID);
}

Test(gic_virt, eoi_maintenance_for_a_level_interrupt)
{
	guest_on(0);
	wr(H, 0, GICH_LR(0), lr(40, PENDING, 0xA0) | LR_EOI);
	cr_assert_eq(rd(V, 0, GICV_IAR), 40);
	cr_expect_not(gic_irq_pending(gic, 0, 25));
	wr(V, 0, GICV_EOIR, 40);
	cr_expect_eq(rd(H, 0, GICH_EISR0), 1);
	cr_expect_eq(rd(H, 0, GICH_MISR) & MISR_EOI, MISR_EOI);
	cr_expect_eq(rd(H, 0, GICH_ELRSR0) & 1, 0, "not empty until consumed (§9.6)");
	cr_expect(gic_irq_pending(gic, 0, 25), "maintenance PPI 25 asserted");
	cr_expect_not(gic_irq_pending(gic, 1, 25), "only on this CPU");
	/* the hypervisor consumes it: the level drops */
	wr(H, 0, GICH_LR(0), 0);
	cr_expect_eq(rd(H, 0, GICH_MISR), 0);
	cr_expect_not(gic_irq_pending(gic, 0, 25));
}

Test(gic_virt, underflow_is_zero_or_one_valid_lr)
{
	guest_on(0);
	wr(H, 0, GICH_HCR, HCR_EN | HCR_UIE);
	cr_expect_eq(rd(H, 0, GICH_MISR) & MISR_U, MISR_U, "zero valid");
	wr(H, 0, GICH_LR(0), lr(40, PENDING, 0xA0));
	cr_expect_eq(rd(H, 0, GICH_MISR) & MISR_U, MISR_U, "one valid");
	wr(H, 0, GICH_LR(1), lr(41, PENDING, 0xA0));
	cr_expect_eq(rd(H, 0, GICH_MISR) & MISR_U, 0, "two valid");
	cr_expect_not(gic_irq_pending(gic, 0, 25));
	cr_assert_eq(rd(V, 0, GICV_IAR), 40);
	wr(V, 0, GICV_EOIR, 40);
	cr_expect_eq(rd(H, 0, GICH_MISR) & MISR_U, MISR_U);
	cr_expect(gic_irq_pending(gic, 0, 25));
	/* no maintenance interrupt while HCR.En = 0 */
	wr(H, 0, GICH_HCR, HCR_UIE);
	cr_expect_not(gic_irq_pending(gic, 0, 25));
}

Test(gic_virt, no_pending_interrupt_condition)
{
	guest_on(0);
	wr(H, 0, GICH_HCR, HCR_EN | HCR_NPIE);
	wr(H, 0, GICH_LR(0), lr(40, PENDING, 0xA0));
	cr_expect_eq(rd(H, 0, GICH_MISR) & MISR_NP, 0);
	cr_assert_eq(rd(V, 0, GICV_IAR), 40);
	cr_expect_eq(rd(H, 0, GICH_MISR) & MISR_NP, MISR_NP, "active is not pending");
}

Test(gic_virt, eoicount_counts_eois_without_an_lr)
{
	guest_on(0);
	wr(H, 0, GICH_HCR, HCR_EN | HCR_LRENPIE);
	wr(H, 0, GICH_LR(0), lr(40, PENDING, 0xA0));
	cr_assert_eq(rd(V, 0, GICV_IAR), 40);
	/* the hypervisor takes the active interrupt out of the LRs */
	wr(H, 0, GICH_LR(0), 0);
	cr_expect_eq(rd(H, 0, GICH_MISR) & MISR_LRENP, 0);
	wr(V, 0, GICV_EOIR, 40);
	cr_expect_eq(rd(H, 0, GICH_HCR) >> 27, 1, "EOICount");
	cr_expect_eq(rd(H, 0, GICH_MISR) & MISR_LRENP, MISR_LRENP);
	cr_expect(gic_irq_pending(gic, 0, 25));
	/* an EOI that drops nothing does not count (§9.8) */
	wr(V, 0, GICV_EOIR, 40);
	cr_expect_eq(rd(H, 0, GICH_HCR) >> 27, 1);
	/* EOICount is writable and wraps at 5 bits */
	wr(H, 0, GICH_HCR, HCR_EN | 31u << 27);
	wr(H, 0, GICH_LR(0), lr(41, PENDING, 0xA0));
	cr_assert_eq(rd(V, 0, GICV_IAR), 41);
	wr(H, 0, GICH_LR(0), 0);
	wr(V, 0, GICV_EOIR, 41);
	cr_expect_eq(rd(H, 0, GICH_HCR) >> 27, 0);
}

Test(gic_virt, group_enable_and_disable_notifications)
{
	wr(H, 0, GICH_HCR, HCR_EN | HCR_VGRP0EIE | HCR_VGRP0DIE | HCR_VGRP1EIE |
				   HCR_VGRP1DIE);
	cr_expect_eq(rd(H, 0, GICH_MISR), MISR_VGRP0D | MISR_VGRP1D);
	wr(V, 0, GICV_CTLR, 0x1);
	cr_expect_eq(rd(H, 0, GICH_MISR), MISR_VGRP0E | MISR_VGRP1D);
	wr(V, 0, GICV_CTLR, 0x3);
	cr_expect_eq(rd(H, 0, GICH_MISR), MISR_VGRP0E | MISR_VGRP1E);
}

Test(gic_virt, eoimode_1_splits_drop_and_deactivate)
{
	guest_on(0);
	wr(V, 0, GICV_CTLR, 0x1 | 1u << 9);
	wr(H, 0, GICH_LR(0), lr(40, PENDING, 0xA0));
	cr_assert_eq(rd(V, 0, GICV_IAR), 40);
	wr(V, 0, GICV_EOIR, 40);
	cr_expect_eq(rd(V, 0, GICV_RPR), 0xFF);
	cr_expect_eq(rd(H, 0, GICH_LR(0)) >> 28 & 3, ACTIVE, "only dropped");
	wr(V, 0, GICV_DIR, 40);
	cr_expect_eq(rd(H, 0, GICH_LR(0)) >> 28 & 3, INVALID);
	/* DIR of an ID with no active LR counts in EOICount */
	wr(V, 0, GICV_DIR, 77);
	cr_expect_eq(rd(H, 0, GICH_HCR) >> 27, 1);
}

/* §4.7: a physical SPI handled by the host with EOImode 1 stays active
 * and is deactivated by the guest through a HW = 1 LR. */
Test(gic_virt, hw_lr_deactivates_the_physical_interrupt)
{
	wr(GIC_BANK_DIST, 0, GICD_CTLR, 0x1);
	wr(GIC_BANK_CPU, 0, GICC_CTLR, 0x1 | 1u << 9);
	wr(GIC_BANK_CPU, 0, GICC_PMR, 0xF0);
	cr_assert_eq(gic_write(gic, GIC_BANK_DIST, 0, GICD_ITARGETSR + 50, 1, 1), GIC_ACCESS_OK);
	cr_assert_eq(gic_write(gic, GIC_BANK_DIST, 0, GICD_IPRIORITYR + 50, 1, 0x80),
		     GIC_ACCESS_OK);
	wr(GIC_BANK_DIST, 0, GICD_ISENABLER + 4, 1u << (50 - 32));
	gic_set_irq(gic, 0, 50, true);
	cr_assert_eq(rd(GIC_BANK_CPU, 0, GICC_IAR), 50);
	wr(GIC_BANK_CPU, 0, GICC_EOIR, 50); /* priority drop only */
	cr_assert(gic_irq_active(gic, 0, 50));
	gic_set_irq(gic, 0, 50, false);
	gic_set_irq(gic, 0, 50, true); /* a new edge: physical A+P, no host IRQ */
	cr_expect_not(line(0, GIC_OUT_IRQ));

	guest_on(0);
	wr(H, 0, GICH_LR(0), lr(40, PENDING, 0xA0) | LR_HW | LR_PID(50));
	cr_assert_eq(rd(V, 0, GICV_IAR), 40);
	wr(V, 0, GICV_EOIR, 40);
	cr_expect_not(gic_irq_active(gic, 0, 50), "physical interrupt deactivated");
	cr_expect_eq(rd(H, 0, GICH_MISR), 0, "no maintenance");
	cr_expect_eq(rd(H, 0, GICH_ELRSR0) & 1, 1);
	cr_expect(line(0, GIC_OUT_IRQ), "the pending edge reaches the host now");
}

Test(gic_virt, hw_lr_with_an_sgi_physical_id_is_ignored)
{
	guest_on(0);
	wr(GIC_BANK_DIST, 0, GICD_ISACTIVER, 1u << 3);
	wr(H, 0, GICH_LR(0), lr(40, PENDING, 0xA0) | LR_HW | LR_PID(3));
	cr_assert_eq(rd(V, 0, GICV_IAR), 40);
	wr(V, 0, GICV_EOIR, 40);
	cr_expect(gic_irq_active(gic, 0, 3), "UNPREDICTABLE: ignored (§4.3)");
}

Test(gic_virt, virtual_interrupt_wire_follows_after_its_delay)
{
	struct gic_config slow = gic400;

	gic_fini();
	slow.vsignal_cycles = 5;
	gic_make(&slow);
	guest_on(0);
	wr(H, 0, GICH_LR(0), lr(40, PENDING, 0xA0));
	cr_expect_not(line(0, GIC_OUT_VIRQ));
	sim_run_until(sim, SIM_NS(10));
	cr_expect(line(0, GIC_OUT_VIRQ));
	cr_expect_eq(wires[0].when[GIC_OUT_VIRQ], SIM_NS(5));
}

/* ---- the world switch at once (gic_vif_restore / gic_vif_save) ---------------------- */

#define ICH_AP1R0_EL2 GIC_SYSREG(3, 4, 12, 9, 0)
#define ICH_HCR_EL2 GIC_SYSREG(3, 4, 12, 11, 0)
#define ICH_MISR_EL2 GIC_SYSREG(3, 4, 12, 11, 2)
#define ICH_EISR_EL2 GIC_SYSREG(3, 4, 12, 11, 3)
#define ICH_ELRSR_EL2 GIC_SYSREG(3, 4, 12, 11, 5)
#define ICH_VMCR_EL2 GIC_SYSREG(3, 4, 12, 11, 7)
#define ICH_LR_EL2(n) GIC_SYSREG(3, 4, 12, 12 + ((n) >> 3), (n) & 7)

static uint64_t ws_rng(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A register value that often is one KVM would write: a plausible LR, a
 * small HCR, zero; otherwise any bits, reserved ones included. */
static uint64_t ws_value(uint64_t *s, bool v2, bool is_lr)
{
	uint64_t r = ws_rng(s), pick = r % 4;

	if (pick == 0)
		return 0;
	if (pick == 1 && is_lr)
		return v2 ? (r >> 8 & 0x3ff) | (r >> 20 & 3) << 28 | (r >> 24 & 0x1f) << 23 |
				    (r >> 30 & 1) << 30 | (r >> 32 & 1) << 19
			  : (r >> 8 & 0x3ff) | (r >> 20 & 3) << 62 | (r >> 24 & 0xff) << 48 |
				    (uint64_t)(r >> 30 & 1) << 60 | (uint64_t)(r >> 32 & 1) << 41;
	if (pick == 1)
		return r & 0xff;
	return ws_rng(s) ^ r << 32;
}

/* One world switch each way on CPU 1, by register accesses on @a and at
 * once on @b: the same values read, the same state and wires after. */
static void ws_compare(struct gic *a, struct gic *b, uint64_t seed)
{
	const struct gic_config *cfg = gic_config(a);
	bool v2 = cfg->version == GIC_V2;
	enum gic_bank bank = v2 ? GIC_BANK_HYP : GIC_BANK_ICC;
	unsigned size = v2 ? 4 : 8, grp = v2 ? 0 : 1, n = cfg->nr_lrs;
	uint32_t o_vmcr = v2 ? GICH_VMCR : ICH_VMCR_EL2, o_apr = v2 ? GICH_APR : ICH_AP1R0_EL2;
	uint32_t o_hcr = v2 ? GICH_HCR : ICH_HCR_EL2;
	struct gic_cpu *ca = &a->cpu[1], *cb = &b->cpu[1];
	uint64_t s = seed;

	for (unsigned round = 0; round < 3000; round++) {
		struct gic_vif from = { 0 }, to = { 0 };
		struct gic_vif_status st;
		uint64_t v;

		/* restore */
		from.vmcr = (uint32_t)ws_value(&s, v2, false);
		from.apr[grp][0] = (uint32_t)ws_value(&s, v2, false);
		for (unsigned i = 0; i < n; i++)
			from.lr[i] = ws_value(&s, v2, true);
		from.hcr = (uint32_t)ws_value(&s, v2, false) | (round % 3 ? GICH_HCR_EN : 0);
		gic_write(a, bank, 1, o_vmcr, size, from.vmcr);
		gic_write(a, bank, 1, o_apr, size, from.apr[grp][0]);
		for (unsigned i = 0; i < n; i++)
			gic_write(a, bank, 1, v2 ? GICH_LR(i) : ICH_LR_EL2(i), size, from.lr[i]);
		gic_write(a, bank, 1, o_hcr, size, from.hcr);
		gic_vif_restore(b, 1, &from, grp);
		cr_assert_eq(cb->vif.vmcr, ca->vif.vmcr, "round %u: VMCR", round);
		cr_assert_eq(cb->vif.hcr, ca->vif.hcr, "round %u: HCR", round);
		cr_assert_eq(cb->vif.apr[grp][0], ca->vif.apr[grp][0], "round %u: APR", round);
		for (unsigned i = 0; i < n; i++)
			cr_assert_eq(cb->vif.lr[i], ca->vif.lr[i], "round %u: LR%u", round, i);
		for (unsigned o = GIC_OUT_VIRQ; o <= GIC_OUT_VFIQ; o++)
			cr_assert_eq(cb->want[o], ca->want[o], "round %u: output %u", round, o);
		cr_assert_eq(gic_irq_pending(b, 1, cfg->maint_ppi),
			     gic_irq_pending(a, 1, cfg->maint_ppi), "round %u: maintenance", round);

		/* the guest runs a little: the same acknowledge on both */
		if (round % 2) {
			uint32_t ia = gic_vif_acknowledge(a, ca, v2 ? -1 : 1);

			cr_assert_eq(gic_vif_acknowledge(b, cb, v2 ? -1 : 1), ia);
		}

		/* save */
		gic_vif_save(b, 1, &to, grp, &st);
		gic_read(a, bank, 1, o_vmcr, size, &v);
		cr_assert_eq(to.vmcr, v, "round %u: VMCR read", round);
		gic_read(a, bank, 1, v2 ? GICH_MISR : ICH_MISR_EL2, size, &v);
		cr_assert_eq(st.misr, v, "round %u: MISR read", round);
		gic_read(a, bank, 1, v2 ? GICH_EISR0 : ICH_EISR_EL2, size, &v);
		cr_assert_eq(st.eisr, v, "round %u: EISR read", round);
		gic_read(a, bank, 1, v2 ? GICH_ELRSR0 : ICH_ELRSR_EL2, size, &v);
		cr_assert_eq(st.elrsr, v, "round %u: ELRSR read", round);
		gic_read(a, bank, 1, o_apr, size, &v);
		cr_assert_eq(to.apr[grp][0], v, "round %u: APR read", round);
		for (unsigned i = 0; i < n; i++) {
			gic_read(a, bank, 1, v2 ? GICH_LR(i) : ICH_LR_EL2(i), size, &v);
			cr_assert_eq(to.lr[i], v, "round %u: LR%u read", round, i);
		}
		gic_write(a, bank, 1, o_hcr, size, 0);
		cr_assert_eq(cb->vif.hcr, 0);
		for (unsigned o = GIC_OUT_VIRQ; o <= GIC_OUT_VFIQ; o++)
			cr_assert_eq(cb->want[o], ca->want[o], "round %u: output %u", round, o);
		cr_assert_eq(gic_irq_pending(b, 1, cfg->maint_ppi),
			     gic_irq_pending(a, 1, cfg->maint_ppi), "round %u: maintenance", round);
		sim_run_for(sim, SIM_NS(100)); /* the wires settle */
	}
}

Test(gic_virt, world_switch_at_once_equals_its_register_accesses)
{
	static const struct gic_config cfgs[] = {
		{ .version = GIC_V2, .ncpus = 2, .nr_irqs = 256, .prio_bits = 5, .nr_lrs = 4 },
		{ .version = GIC_V3, .ncpus = 2, .nr_irqs = 128, .prio_bits = 5, .nr_lrs = 4,
		  .vprio_bits = 5 },
		{ .version = GIC_V3, .ncpus = 2, .nr_irqs = 128, .prio_bits = 8, .nr_lrs = 16,
		  .vprio_bits = 7 },
	};

	for (unsigned k = 0; k < sizeof(cfgs) / sizeof(cfgs[0]); k++) {
		struct gic *b = gic_create(sim, &cfgs[k]);
		struct gic *a;

		gic_destroy(gic);
		gic = a = gic_create(sim, &cfgs[k]);
		cr_assert_not_null(a);
		cr_assert_not_null(b);
		ws_compare(a, b, 0x9e3779b97f4a7c15ull + k);
		gic_destroy(b);
	}
}

/* ---- the status registers follow every write ----------------------------------------- */

/* MISR, EISR and ELRSR as §4.2 defines them from the list registers, HCR
 * and VMCR read back through GICH. */
static void status_of_lrs(unsigned cpu, uint32_t *misr, uint32_t *eisr, uint32_t *elrsr)
{
	uint32_t hcr = rd(H, cpu, GICH_HCR), vmcr = rd(H, cpu, GICH_VMCR);
	unsigned valid = 0;
	bool pending = false;

	*misr = *eisr = *elrsr = 0;
	for (unsigned n = 0; n < 4; n++) {
		uint32_t v = rd(H, cpu, GICH_LR(n));
		unsigned state = v >> 28 & 3;

		if (state == INVALID) {
			if (!(v & LR_HW) && (v & LR_EOI))
				*eisr |= 1u << n;
			else
				*elrsr |= 1u << n;
			continue;
		}
		valid++;
		/* NP: no LR "in the Pending state" (01; not 11, §4.2) */
		pending |= state == PENDING;
	}
	if (*eisr)
		*misr |= MISR_EOI;
	if ((hcr & HCR_UIE) && valid <= 1)
		*misr |= MISR_U;
	if ((hcr & HCR_LRENPIE) && (hcr >> 27))
		*misr |= MISR_LRENP;
	if ((hcr & HCR_NPIE) && !pending)
		*misr |= MISR_NP;
	/* VMCR: VENG0 bit 0, VENG1 bit 1 */
	if ((hcr & HCR_VGRP0EIE) && (vmcr & 1))
		*misr |= MISR_VGRP0E;
	if ((hcr & HCR_VGRP0DIE) && !(vmcr & 1))
		*misr |= MISR_VGRP0D;
	if ((hcr & HCR_VGRP1EIE) && (vmcr & 2))
		*misr |= MISR_VGRP1E;
	if ((hcr & HCR_VGRP1DIE) && !(vmcr & 2))
		*misr |= MISR_VGRP1D;
}

/* GICV_HPPIR from the list registers and VMCR read back (§4.4, §3: the
 * lowest priority value, then the lowest index, among Pending LRs of an
 * enabled group; the PMR applies, the running priority does not; Group 1
 * reads 1022 without AckCtl; a software SGI carries its source CPU). */
static uint32_t hppir_of_lrs(unsigned cpu)
{
	uint32_t vmcr = rd(H, cpu, GICH_VMCR), best = 0, pmr = vmcr >> 27 << 3;
	int cand = -1;

	for (unsigned n = 0; n < 4; n++) {
		uint32_t v = rd(H, cpu, GICH_LR(n)), prio = (v >> 23 & 0x1f) << 3;
		bool grp1 = v & LR_GRP1;

		if ((v >> 28 & 3) != PENDING || !(vmcr & (grp1 ? 2 : 1)))
			continue;
		if (cand < 0 || prio < (rd(H, cpu, GICH_LR(cand)) >> 23 & 0x1f) << 3)
			cand = (int)n;
	}
	if (cand < 0)
		return 1023;
	best = rd(H, cpu, GICH_LR(cand));
	if ((best >> 23 & 0x1f) << 3 >= pmr)
		return 1023;
	if ((best & LR_GRP1) && !(vmcr & 4)) /* VMCR AckCtl, bit 2 */
		return 1022;
	if (!(best & LR_HW) && (best & 0x3ff) < 16)
		return (best & 0x3ff) | (best & (7u << 10));
	return best & 0x3ff;
}

/*
 * Random writes of list registers, VMCR and HCR by every path that makes
 * them (GICH accesses, the guest's GICV accesses, acknowledge, EOI and
 * deactivation, a world switch at once each way, a reset): after each one, MISR,
 * EISR, ELRSR and GICV_HPPIR read what the list registers and VMCR read
 * back say they are.
 * The model keeps one pass over the list registers until one of them or
 * VMCR is written; a path that wrote without saying so would leave these
 * reads stale.
 */
Test(gic_virt, status_registers_follow_every_write_of_the_list_registers)
{
	uint64_t s = 0x2545f4914f6cdd1dull;
	uint32_t acked = 1023;

	guest_on(0);
	for (unsigned round = 0; round < 20000; round++) {
		uint64_t r = ws_rng(&s);
		uint32_t misr, eisr, elrsr;

		switch (round % 1000 == 999 ? 9 : r % 9) {
		case 9:
			gic_reset(gic); /* every LR empty, VMCR as at reset */
			break;
		case 0:
		case 1:
			wr(H, 0, GICH_LR(r >> 8 & 3), (uint32_t)ws_value(&s, true, true));
			break;
		case 2:
			wr(H, 0, GICH_VMCR, (uint32_t)ws_rng(&s));
			break;
		case 3:
			wr(H, 0, GICH_HCR, (uint32_t)(ws_rng(&s) & 0xf80000ff) | HCR_EN);
			break;
		case 4:
			wr(V, 0, r >> 8 & 1 ? GICV_CTLR : GICV_PMR, (uint32_t)ws_rng(&s) & 0x2ff);
			break;
		case 5:
			acked = rd(V, 0, GICV_IAR);
			break;
		case 6:
			wr(V, 0, GICV_EOIR, r >> 8 & 1 ? acked : (uint32_t)(r >> 16 & 0x3ff));
			break;
		case 7:
			wr(V, 0, GICV_DIR, r >> 8 & 1 ? acked : (uint32_t)(r >> 16 & 0x3ff));
			break;
		case 8: {
			struct gic_vif v = { 0 };
			struct gic_vif_status st;

			/* back in with what was saved, a new VMCR or HCR, and
			 * some new list registers */
			gic_vif_save(gic, 0, &v, 0, &st);
			v.hcr = (uint32_t)(r >> 8 & 0xff) | HCR_EN;
			if (r >> 16 & 1)
				v.vmcr = (uint32_t)ws_rng(&s);
			for (unsigned n = 0; n < 4; n++)
				if (ws_rng(&s) % 3 == 0)
					v.lr[n] = ws_value(&s, true, true);
			gic_vif_restore(gic, 0, &v, 0);
			break;
		}
		}
		status_of_lrs(0, &misr, &eisr, &elrsr);
		cr_assert_eq(rd(H, 0, GICH_ELRSR0), elrsr, "round %u: ELRSR", round);
		cr_assert_eq(rd(H, 0, GICH_EISR0), eisr, "round %u: EISR", round);
		cr_assert_eq(rd(H, 0, GICH_MISR), misr, "round %u: MISR", round);
		cr_assert_eq(rd(V, 0, GICV_HPPIR), hppir_of_lrs(0), "round %u: HPPIR", round);
		if (round % 1000 == 999)
			guest_on(0);
	}
}
