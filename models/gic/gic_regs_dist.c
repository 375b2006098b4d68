// SPDX-License-Identifier: MIT
/*
 * gic_regs_dist.c — the distributor (GICD, §2 and §5.3) and the per-IRQ
 * family handlers it shares with the GICv3 redistributor's SGI frame.
 */
#include "models/gic/gic_int.h"

static bool is_kvm(const struct gic *gic)
{
	return gic->cfg.impl == GIC_IMPL_KVM44;
}

static void start_rwp(struct gic *gic)
{
	/* §5.3: RWP reads 1 while a CTLR or ICENABLER write propagates */
	if (gic->cfg.version == GIC_V3)
		gic->rwp_until = sim_now(gic->sim) +
				 sim_clock_time(&gic->cfg.clock, gic->cfg.rwp_cycles);
}

/* ---- per-IRQ families (set/clear pairs share one handler: arg 1 = set) ---- */

uint32_t gic_get_group(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		       unsigned intid)
{
	(void)r;
	return gic_irq_of(gic, c, intid)->group1;
}

void gic_set_group(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		   unsigned intid, uint32_t field)
{
	(void)r;
	/* KVM 4.4: IGROUPR is RAZ/WI (v2) and RAO/WI (v3), kvm-api.md §3.4 */
	if (is_kvm(gic))
		return;
	gic_irq_of(gic, c, intid)->group1 = field;
	gic_irq_update(gic, c, intid);
}

uint32_t gic_get_grpmod(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			unsigned intid)
{
	(void)r;
	return gic_irq_of(gic, c, intid)->grpmod;
}

void gic_set_grpmod(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		    unsigned intid, uint32_t field)
{
	(void)r;
	/* With DS = 1 the modifier only selects "Secure Group 1", which is
	 * then treated as Group 0 (§5.5): stored, no effect on delivery. */
	gic_irq_of(gic, c, intid)->grpmod = field;
}

uint32_t gic_get_enable(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			unsigned intid)
{
	(void)r;
	return gic_irq_of(gic, c, intid)->enabled;
}

void gic_set_enable(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		    unsigned intid, uint32_t field)
{
	if (!field)
		return;
	/* GICv2 SGIs are always enabled: RAO/WI (§2.2) */
	if (gic->cfg.version == GIC_V2 && intid < GIC_NR_SGI)
		return;
	gic_irq_of(gic, c, intid)->enabled = r->arg;
	if (!r->arg)
		start_rwp(gic);
	gic_irq_update(gic, c, intid);
}

uint32_t gic_get_pending(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			 unsigned intid)
{
	(void)r;
	return gic_irq_is_pending(gic_irq_of(gic, c, intid));
}

void gic_set_pending(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		     unsigned intid, uint32_t field)
{
	struct gic_irq *irq;

	if (!field)
		return;
	/* GICv2 SGI bits are RO here: SPENDSGIR/CPENDSGIR own them (§2.2) */
	if (gic->cfg.version == GIC_V2 && intid < GIC_NR_SGI)
		return;
	irq = gic_irq_of(gic, c, intid);
	irq->latch = r->arg;
	if (r->arg)
		gic_trace(gic, GIC_TR_PENDING, c->idx, intid, 1);
	gic_irq_update(gic, c, intid);
}

uint32_t gic_get_active(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			unsigned intid)
{
	(void)r;
	return gic_irq_of(gic, c, intid)->active;
}

void gic_set_active(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		    unsigned intid, uint32_t field)
{
	if (!field)
		return;
	gic_irq_of(gic, c, intid)->active = r->arg;
	gic_irq_update(gic, c, intid);
}

uint32_t gic_get_priority(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned intid)
{
	(void)r;
	return gic_irq_of(gic, c, intid)->priority;
}

void gic_set_priority(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		      unsigned intid, uint32_t field)
{
	(void)r;
	/* unimplemented low-order bits are RAZ/WI (§1.5) */
	gic_irq_of(gic, c, intid)->priority = (uint8_t)field & gic->prio_mask;
	gic_irq_update(gic, c, intid);
}

uint32_t gic_get_config(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			unsigned intid)
{
	(void)r;
	return gic_irq_of(gic, c, intid)->edge ? 2 : 0; /* Int_config, bit 2m+1 */
}

void gic_set_config(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		    unsigned intid, uint32_t field)
{
	struct gic_irq *irq;

	(void)r;
	if (intid < GIC_NR_SGI)
		return; /* ICFGR0: SGIs are edge, RO (§2.2) */
	irq = gic_irq_of(gic, c, intid);
	irq->edge = field & 2;
	gic_irq_update(gic, c, intid);
}

/* ITARGETSR (v2): bytes for INTIDs 0-31 read the accessing CPU's bit (§2.2);
 * a uniprocessor GIC has the whole register RAZ/WI. */
static uint32_t get_targets(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			    unsigned intid)
{
	(void)r;
	if (gic->cfg.ncpus == 1)
		return 0;
	if (intid < GIC_NR_PRIV)
		return 1u << c->idx;
	return gic_irq_of(gic, c, intid)->targets;
}

static void set_targets(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			unsigned intid, uint32_t field)
{
	struct gic_irq *irq;

	(void)r;
	if (gic->cfg.ncpus == 1 || intid < GIC_NR_PRIV)
		return;
	irq = gic_irq_of(gic, c, intid);
	field &= (1u << gic->cfg.ncpus) - 1;
	if (is_kvm(gic)) {
		/* KVM 4.4 keeps one target vCPU per SPI: the lowest bit set,
		 * vCPU 0 when none (vgic_set_target_reg) */
		field = field ? field & -field : 1;
	}
	irq->targets = (uint8_t)field;
	gic_irq_update(gic, c, intid);
	gic_update_all(gic); /* CPUs that lost it */
}

/* CPENDSGIR/SPENDSGIR (v2): byte per SGI of the accessing CPU, bit per
 * source CPU (§2.2). */
static uint32_t get_sgi_src(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			    unsigned intid)
{
	(void)gic;
	(void)r;
	return c->priv[intid].sgi_src;
}

static void set_sgi_src(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			unsigned intid, uint32_t field)
{
	struct gic_irq *irq = &c->priv[intid];

	field &= (1u << gic->cfg.ncpus) - 1;
	if (r->arg)
		irq->sgi_src |= (uint8_t)field;
	else
		irq->sgi_src &= (uint8_t)~field;
	irq->latch = irq->sgi_src != 0;
	gic_irq_update(gic, c, intid);
}

/* ---- whole registers ---------------------------------------------------------- */

/* GICD_CTLR (§2.2, §5.3). KVM 4.4 keeps one enable bit: bit 0 on v2
 * (vgic_dist_ctlr), EnableGrp1 on v3 (ARE and DS read as one). */
#define GICD_CTLR_ENABLEGRP0 (1u << 0)
#define GICD_CTLR_ENABLEGRP1 (1u << 1)
#define GICD_CTLR_ARE (1u << 4)
#define GICD_CTLR_DS (1u << 6)
#define GICD_CTLR_RWP (1u << 31)

static uint64_t read_ctlr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx)
{
	uint32_t v = 0;

	(void)c;
	(void)r;
	(void)idx;
	if (is_kvm(gic) && gic->cfg.version == GIC_V2)
		return gic->grp_en[0];
	if (gic->grp_en[0] && !is_kvm(gic))
		v |= GICD_CTLR_ENABLEGRP0;
	if (gic->grp_en[1])
		v |= GICD_CTLR_ENABLEGRP1;
	if (gic->cfg.version == GIC_V3) {
		v |= GICD_CTLR_ARE | GICD_CTLR_DS; /* affinity routing, one
						    * Security state: RAO */
		if (sim_now(gic->sim) < gic->rwp_until)
			v |= GICD_CTLR_RWP;
	}
	return v;
}

static void write_ctlr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		       unsigned idx, uint64_t val)
{
	(void)c;
	(void)r;
	(void)idx;
	if (is_kvm(gic)) {
		bool en = gic->cfg.version == GIC_V2 ? val & 1 : val & GICD_CTLR_ENABLEGRP1;

		gic->grp_en[0] = gic->grp_en[1] = en;
	} else {
		gic->grp_en[0] = val & GICD_CTLR_ENABLEGRP0;
		gic->grp_en[1] = val & GICD_CTLR_ENABLEGRP1;
	}
	start_rwp(gic);
	gic_update_all(gic);
}

/*
 * GICD_TYPER, field by field (§2.2, §5.3):
 *   ITLinesNumber [4:0] = nr_irqs / 32 - 1
 *   v2: CPUNumber [7:5] = ncpus - 1; SecurityExtn [10] = 0
 *   v3: IDbits [23:19]: 16 bits (0xf) on hardware as QEMU, 10 bits (9) in
 *       KVM 4.4's emulation (INTERRUPT_ID_BITS_SPIS); No1N [25] = 1
 */
static uint64_t read_typer(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			   unsigned idx)
{
	uint32_t v = gic->cfg.nr_irqs / 32 - 1;

	(void)c;
	(void)r;
	(void)idx;
	if (gic->cfg.version == GIC_V2)
		return v | (gic->cfg.ncpus - 1) << 5;
	v |= (is_kvm(gic) ? 9u : 0xfu) << 19;
	return v | 1u << 25;
}

/*
 * GICD_IIDR (§2.2, §5.3): Implementer [11:0] = 0x43B (Arm), Revision
 * [15:12], Variant [19:16], ProductID [31:24]. GIC-400: 0x0200143B; KVM
 * 4.4: ProductID 0x4B ('K') = 0x4B00043B; GICv3 hardware: Arm r0p0 as
 * QEMU's GIC-500 model, 0x0000043B.
 */
static uint64_t read_iidr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx)
{
	(void)c;
	(void)r;
	(void)idx;
	if (is_kvm(gic))
		return 0x4B00043B;
	return gic->cfg.version == GIC_V2 ? 0x0200143B : 0x0000043B;
}

/* ID registers PIDR4-7, PIDR0-3, CIDR0-3 (one byte each): GIC-400
 * (PIDR0-3 = 0x002BB490, ArchRev 2 in PIDR2[7:4]) and QEMU's GICv3
 * distributor (ArchRev 3). */
static const uint8_t gicd_ids_v2[12] = { 0x04, 0x00, 0x00, 0x00, 0x90, 0xB4,
					 0x2B, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
static const uint8_t gicd_ids_v3[12] = { 0x44, 0x00, 0x00, 0x00, 0x92, 0xB4,
					 0x3B, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };

static uint64_t read_id(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			unsigned idx)
{
	(void)c;
	(void)r;
	return (gic->cfg.version == GIC_V2 ? gicd_ids_v2 : gicd_ids_v3)[idx];
}

/* GICD_SGIR (v2, §2.2) */
#define GICD_SGIR_INTID_SHIFT 0
#define GICD_SGIR_TARGETS_SHIFT 16
#define GICD_SGIR_FILTER_SHIFT 24

static void write_sgir(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		       unsigned idx, uint64_t val)
{
	unsigned sgi = (unsigned)GIC_FIELD_GET(val, GICD_SGIR_INTID_SHIFT, 4);
	unsigned list = (unsigned)GIC_FIELD_GET(val, GICD_SGIR_TARGETS_SHIFT, 8);
	unsigned all = (1u << gic->cfg.ncpus) - 1;

	(void)r;
	(void)idx;
	switch (GIC_FIELD_GET(val, GICD_SGIR_FILTER_SHIFT, 2)) {
	case 0:
		break;
	case 1:
		list = all & ~(1u << c->idx);
		break;
	case 2:
		list = 1u << c->idx;
		break;
	default:
		gic_trace(gic, GIC_TR_BAD_ACCESS, c->idx, 0xF00, 4);
		return; /* reserved filter */
	}
	list &= all;
	for (unsigned t = 0; t < gic->cfg.ncpus; t++)
		if (list & (1u << t))
			gic_sgi_generate(gic, c, sgi, t, false);
}

/* GICD_IROUTER<n> (v3, §5.3): idx 0 is INTID 32 */
static uint64_t read_irouter(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			     unsigned idx)
{
	(void)c;
	(void)r;
	if (idx + GIC_NR_PRIV >= gic->cfg.nr_irqs)
		return 0;
	return gic->spi[idx].irouter;
}

static void write_irouter(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx, uint64_t val)
{
	(void)c;
	(void)r;
	if (idx + GIC_NR_PRIV < gic->cfg.nr_irqs)
		gic_spi_set_route(gic, idx + GIC_NR_PRIV, val);
}

#define V2 GIC_R_V2
#define V3 GIC_R_V3
#define W32 GIC_W32
#define W8_32 (GIC_W8 | GIC_W32)
#define PER_IRQ(nm, o, l, b, w, fl, a, get, set)                               \
	{ .name = nm, .off = o, .len = l, .size = 4, .widths = w, .bpi = b,    \
	  .flags = fl, .arg = a, .get_irq = get, .set_irq = set }

static const struct gic_reg gicd_regs[] = {
	{ .name = "GICD_CTLR", .off = 0x000, .len = 4, .size = 4, .widths = W32,
	  .flags = V2 | V3, .wmask = 0x3, .read = read_ctlr, .write = write_ctlr },
	{ .name = "GICD_TYPER", .off = 0x004, .len = 4, .size = 4, .widths = W32,
	  .flags = V2 | V3 | GIC_R_IMPL, .read = read_typer },
	{ .name = "GICD_IIDR", .off = 0x008, .len = 4, .size = 4, .widths = W32,
	  .flags = V2 | V3 | GIC_R_IMPL, .read = read_iidr },
	{ .name = "GICD_STATUSR", .off = 0x010, .len = 4, .size = 4, .widths = W32,
	  .flags = V3 | GIC_R_HW_ONLY }, /* optional error reporting: RAZ/WI */
	PER_IRQ("GICD_IGROUPR", 0x080, 0x80, 1, W32, V2 | V3, 0, gic_get_group, gic_set_group),
	PER_IRQ("GICD_ISENABLER", 0x100, 0x80, 1, W32, V2 | V3, 1, gic_get_enable, gic_set_enable),
	PER_IRQ("GICD_ICENABLER", 0x180, 0x80, 1, W32, V2 | V3, 0, gic_get_enable, gic_set_enable),
	PER_IRQ("GICD_ISPENDR", 0x200, 0x80, 1, W32, V2 | V3, 1, gic_get_pending, gic_set_pending),
	PER_IRQ("GICD_ICPENDR", 0x280, 0x80, 1, W32, V2 | V3, 0, gic_get_pending, gic_set_pending),
	PER_IRQ("GICD_ISACTIVER", 0x300, 0x80, 1, W32, V2 | V3, 1, gic_get_active, gic_set_active),
	PER_IRQ("GICD_ICACTIVER", 0x380, 0x80, 1, W32, V2 | V3, 0, gic_get_active, gic_set_active),
	PER_IRQ("GICD_IPRIORITYR", 0x400, 0x400, 8, W8_32, V2 | V3, 0, gic_get_priority,
		gic_set_priority),
	PER_IRQ("GICD_ITARGETSR", 0x800, 0x400, 8, W8_32, V2, 0, get_targets, set_targets),
	PER_IRQ("GICD_ICFGR", 0xC00, 0x100, 2, W32, V2 | V3, 0, gic_get_config, gic_set_config),
	PER_IRQ("GICD_IGRPMODR", 0xD00, 0x80, 1, W32, V3 | GIC_R_HW_ONLY, 0, gic_get_grpmod,
		gic_set_grpmod),
	{ .name = "GICD_SGIR", .off = 0xF00, .len = 4, .size = 4, .widths = W32,
	  .flags = V2, .wmask = 0x03FF800F, .write = write_sgir },
	PER_IRQ("GICD_CPENDSGIR", 0xF10, 0x10, 8, W8_32, V2, 0, get_sgi_src, set_sgi_src),
	PER_IRQ("GICD_SPENDSGIR", 0xF20, 0x10, 8, W8_32, V2, 1, get_sgi_src, set_sgi_src),
	{ .name = "GICD_PIDR4-CIDR3", .off = 0xFD0, .len = 0x30, .size = 4, .widths = W32,
	  .flags = V2 | GIC_R_HW_ONLY | GIC_R_IMPL, .read = read_id },
	{ .name = "GICD_IROUTER", .off = 0x6100, .len = 8 * (GIC_MAX_IRQS - GIC_NR_PRIV),
	  .size = 8, .widths = GIC_W32 | GIC_W64, .flags = V3, .wmask = 0xff00ffffffull,
	  .read = read_irouter, .write = write_irouter },
	{ .name = "GICD_PIDR4-CIDR3", .off = 0xFFD0, .len = 0x30, .size = 4, .widths = W32,
	  .flags = V3 | GIC_R_IMPL, .read = read_id },
};

const struct gic_bank_desc gic_dist_bank = { gicd_regs,
					     sizeof(gicd_regs) / sizeof(gicd_regs[0]) };
