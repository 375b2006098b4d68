// SPDX-License-Identifier: MIT
/*
 * gic_regs_redist.c — the GICv3 redistributor of each CPU (GICR, §5.4):
 * the RD_base frame (control, TYPER, the WAKER power handshake) and the
 * SGI_base frame at +0x10000 (SGI/PPI configuration, the GICD per-IRQ
 * families restricted to INTIDs 0-31). LPIs are not modelled
 * (GICR_TYPER.PLPIS = 0), so PROPBASER/PENDBASER are absent.
 */
#include "models/gic/gic_int.h"

#define GICR_WAKER_PROCESSORSLEEP (1u << 1)
#define GICR_WAKER_CHILDRENASLEEP (1u << 2)
#define GICR_TYPER_LAST (1ull << 4)

/* GICR_IIDR: the distributor's implementer and product. */
static uint64_t read_iidr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx)
{
	(void)c;
	(void)r;
	(void)idx;
	return gic->cfg.impl == GIC_IMPL_KVM44 ? 0x4B00043B : 0x0000043B;
}

/*
 * GICR_TYPER, as QEMU builds it (§5.4): Affinity_Value [63:32] = Aff3.
 * Aff2.Aff1.Aff0 of the CPU, CommonLPIAff [25:24] = 1, Processor_Number
 * [23:8] = CPU index, Last [4] on the final redistributor of the region.
 */
static uint64_t read_typer(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			   unsigned idx)
{
	uint64_t aff = (c->mpidr & 0xffffff) | ((c->mpidr >> 32 & 0xff) << 24);
	uint64_t v = aff << 32 | 1ull << 24 | (uint64_t)c->idx << 8;

	(void)r;
	(void)idx;
	if (c->idx == gic->cfg.ncpus - 1)
		v |= GICR_TYPER_LAST;
	return v;
}

/* GICR_WAKER (§5.4): clearing ProcessorSleep wakes the redistributor after
 * waker_cycles; ChildrenAsleep follows. KVM's emulation has no sleep. */
static uint64_t read_waker(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			   unsigned idx)
{
	uint32_t v = 0;

	(void)gic;
	(void)r;
	(void)idx;
	if (c->processor_sleep)
		v |= GICR_WAKER_PROCESSORSLEEP;
	if (c->children_asleep)
		v |= GICR_WAKER_CHILDRENASLEEP;
	return v;
}

static void write_waker(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			unsigned idx, uint64_t val)
{
	bool sleep = val & GICR_WAKER_PROCESSORSLEEP;

	(void)r;
	(void)idx;
	if (gic->cfg.impl == GIC_IMPL_KVM44 || sleep == c->processor_sleep)
		return;
	c->processor_sleep = sleep;
	sim_cancel(gic->sim, &c->waker_ev);
	sim_schedule_in(gic->sim, &c->waker_ev,
			sim_clock_time(&gic->cfg.clock, gic->cfg.waker_cycles),
			SIM_PRIO_DEFAULT);
}

static const uint8_t gicr_ids[12] = { 0x44, 0x00, 0x00, 0x00, 0x93, 0xB4,
				      0x3B, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };

static uint64_t read_id(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			unsigned idx)
{
	(void)gic;
	(void)c;
	(void)r;
	return gicr_ids[idx];
}

#define SGI_BASE 0x10000
#define V3 GIC_R_V3
#define W32 GIC_W32
#define PER_IRQ(nm, o, l, b, w, fl, a, get, set)                               \
	{ .name = nm, .off = SGI_BASE + (o), .len = l, .size = 4, .widths = w, \
	  .bpi = b, .flags = fl, .arg = a, .get_irq = get, .set_irq = set }

static const struct gic_reg gicr_regs[] = {
	/* GICR_CTLR: EnableLPIs and the rest need LPIs: RAZ/WI */
	{ .name = "GICR_CTLR", .off = 0x0000, .len = 4, .size = 4, .widths = W32, .flags = V3 },
	{ .name = "GICR_IIDR", .off = 0x0004, .len = 4, .size = 4, .widths = W32,
	  .flags = V3 | GIC_R_IMPL, .read = read_iidr },
	{ .name = "GICR_TYPER", .off = 0x0008, .len = 8, .size = 8,
	  .widths = GIC_W32 | GIC_W64, .flags = V3 | GIC_R_IMPL, .read = read_typer },
	{ .name = "GICR_STATUSR", .off = 0x0010, .len = 4, .size = 4, .widths = W32,
	  .flags = V3 | GIC_R_HW_ONLY },
	{ .name = "GICR_WAKER", .off = 0x0014, .len = 4, .size = 4, .widths = W32,
	  .flags = V3 | GIC_R_IMPL, .reset = 0x6, .wmask = GICR_WAKER_PROCESSORSLEEP,
	  .read = read_waker, .write = write_waker },
	{ .name = "GICR_PIDR4-CIDR3", .off = 0xFFD0, .len = 0x30, .size = 4, .widths = W32,
	  .flags = V3 | GIC_R_IMPL, .read = read_id },
	PER_IRQ("GICR_IGROUPR0", 0x080, 4, 1, W32, V3, 0, gic_get_group, gic_set_group),
	PER_IRQ("GICR_ISENABLER0", 0x100, 4, 1, W32, V3, 1, gic_get_enable, gic_set_enable),
	PER_IRQ("GICR_ICENABLER0", 0x180, 4, 1, W32, V3, 0, gic_get_enable, gic_set_enable),
	PER_IRQ("GICR_ISPENDR0", 0x200, 4, 1, W32, V3, 1, gic_get_pending, gic_set_pending),
	PER_IRQ("GICR_ICPENDR0", 0x280, 4, 1, W32, V3, 0, gic_get_pending, gic_set_pending),
	PER_IRQ("GICR_ISACTIVER0", 0x300, 4, 1, W32, V3, 1, gic_get_active, gic_set_active),
	PER_IRQ("GICR_ICACTIVER0", 0x380, 4, 1, W32, V3, 0, gic_get_active, gic_set_active),
	PER_IRQ("GICR_IPRIORITYR", 0x400, 0x20, 8, GIC_W8 | W32, V3, 0, gic_get_priority,
		gic_set_priority),
	PER_IRQ("GICR_ICFGR", 0xC00, 8, 2, W32, V3, 0, gic_get_config, gic_set_config),
	PER_IRQ("GICR_IGRPMODR0", 0xD00, 4, 1, W32, V3 | GIC_R_HW_ONLY, 0, gic_get_grpmod,
		gic_set_grpmod),
	/* GICR_NSACR: Non-secure access control, RAZ/WI with DS = 1 */
	{ .name = "GICR_NSACR", .off = SGI_BASE + 0xE00, .len = 4, .size = 4, .widths = W32,
	  .flags = V3 | GIC_R_HW_ONLY },
};

const struct gic_bank_desc gic_redist_bank = { gicr_regs,
					       sizeof(gicr_regs) / sizeof(gicr_regs[0]) };
