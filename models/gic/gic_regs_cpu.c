// SPDX-License-Identifier: MIT
/*
 * gic_regs_cpu.c — the GICv2 physical CPU interface (GICC, §3): each CPU
 * reaches its own interface at the same offsets.
 */
#include "models/gic/gic_int.h"

/* GICC_CTLR without Security Extensions (§3.2); QEMU's writable mask 0x21F */
#define GICC_CTLR_ENABLEGRP0 (1u << 0)
#define GICC_CTLR_ENABLEGRP1 (1u << 1)
#define GICC_CTLR_ACKCTL (1u << 2)
#define GICC_CTLR_FIQEN (1u << 3)
#define GICC_CTLR_CBPR (1u << 4)
#define GICC_CTLR_EOIMODE (1u << 9)
#define GICC_INTID_MASK 0x3ffu

static uint64_t read_ctlr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx)
{
	(void)gic;
	(void)r;
	(void)idx;
	return (c->grp_en[0] ? GICC_CTLR_ENABLEGRP0 : 0) |
	       (c->grp_en[1] ? GICC_CTLR_ENABLEGRP1 : 0) |
	       (c->ackctl ? GICC_CTLR_ACKCTL : 0) | (c->fiq_en ? GICC_CTLR_FIQEN : 0) |
	       (c->cbpr ? GICC_CTLR_CBPR : 0) | (c->eoimode ? GICC_CTLR_EOIMODE : 0);
}

static void write_ctlr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		       unsigned idx, uint64_t val)
{
	(void)r;
	(void)idx;
	c->grp_en[0] = val & GICC_CTLR_ENABLEGRP0;
	c->grp_en[1] = val & GICC_CTLR_ENABLEGRP1;
	c->ackctl = val & GICC_CTLR_ACKCTL;
	c->fiq_en = val & GICC_CTLR_FIQEN;
	c->cbpr = val & GICC_CTLR_CBPR;
	c->eoimode = val & GICC_CTLR_EOIMODE;
	gic_cpu_update(gic, c);
}

uint64_t gic_cpu_read_pmr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			 unsigned idx)
{
	(void)gic;
	(void)r;
	(void)idx;
	return c->pmr;
}

void gic_cpu_write_pmr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		      unsigned idx, uint64_t val)
{
	(void)r;
	(void)idx;
	c->pmr = (uint8_t)val & gic->prio_mask;
	gic_cpu_update(gic, c);
}

/* GICC_BPR (arg 0) and GICC_ABPR (arg 1): writes below the minimum set the
 * minimum, 7 - preemption bits for BPR and one more for ABPR (§3.2). */
static uint64_t read_bpr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			 unsigned idx)
{
	(void)gic;
	(void)idx;
	return c->bpr[r->arg];
}

static void write_bpr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		      unsigned idx, uint64_t val)
{
	unsigned min = 7 - gic->pre_bits + (unsigned)r->arg;

	(void)idx;
	c->bpr[r->arg] = (uint8_t)(val < min ? min : val);
	gic_cpu_update(gic, c);
}

/* GICC_IAR (arg -1) and GICC_AIAR (arg 1), §3.3 */
static uint64_t read_iar(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			 unsigned idx)
{
	(void)idx;
	return gic_acknowledge(gic, c, r->arg, true);
}

/* GICC_EOIR (arg -1) and GICC_AEOIR (arg 1), §3.4: priority drop of the
 * interrupt's group, then deactivation unless EOImode = 1. QEMU drops in
 * the group of the written INTID; with one group in use this is the
 * architecture's "highest active priority". */
static void write_eoir(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		       unsigned idx, uint64_t val)
{
	uint32_t intid = (uint32_t)val & GICC_INTID_MASK;
	struct gic_irq *irq = gic_irq_of(gic, c, intid);
	unsigned rpr = gic_apr_running(c->apr, gic->pre_bits);

	(void)idx;
	if (!irq || rpr == GIC_PRIO_IDLE || (r->arg == 1 && !irq->group1)) {
		gic_trace(gic, GIC_TR_BAD_EOI, c->idx, intid, rpr);
		return;
	}
	gic_trace(gic, GIC_TR_EOI, c->idx, intid, 1);
	gic_priority_drop(gic, c, irq->group1);
	if (!c->eoimode)
		gic_deactivate(gic, c, intid);
}

uint64_t gic_cpu_read_rpr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			 unsigned idx)
{
	unsigned rpr = gic_apr_running(c->apr, gic->pre_bits);

	(void)r;
	(void)idx;
	return rpr == GIC_PRIO_IDLE ? 0xff : rpr;
}

/* GICC_HPPIR (arg -1) and GICC_AHPPIR (arg 1): PMR applies, the running
 * priority does not (§1.6). */
static uint64_t read_hppir(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			   unsigned idx)
{
	uint8_t prio;
	int id = gic_hppi(gic, c, &prio);
	struct gic_irq *irq;

	(void)idx;
	if (id < 0 || prio >= c->pmr)
		return GIC_SPURIOUS;
	irq = gic_irq_of(gic, c, (unsigned)id);
	if (r->arg < 0 && irq->group1 && !c->ackctl)
		return 1022;
	if (r->arg == 1 && !irq->group1)
		return GIC_SPURIOUS;
	if (id < GIC_NR_SGI)
		return (uint32_t)id | (uint32_t)__builtin_ctz(irq->sgi_src) << 10;
	return (uint32_t)id;
}

/* GICC_APRn / NSAPRn and ICC_AP0Rn / AP1Rn (the register's group): one
 * bit per preemption level; registers beyond the implemented levels are
 * RAZ/WI (§3.2). */
uint64_t gic_cpu_read_apr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			 unsigned idx)
{
	unsigned levels = 1u << gic->pre_bits;

	if (idx * 32 >= levels)
		return 0;
	return c->apr[gic_reg_group(r)][idx] & (levels < 32 ? (1u << levels) - 1 : ~0u);
}

void gic_cpu_write_apr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		      unsigned idx, uint64_t val)
{
	unsigned levels = 1u << gic->pre_bits;

	if (idx * 32 >= levels)
		return;
	c->apr[gic_reg_group(r)][idx] = (uint32_t)val & (levels < 32 ? (1u << levels) - 1 : ~0u);
	gic_cpu_update(gic, c);
}

/* GICC_IIDR (§3.2): GIC-400 0x0202143B — ArchitectureVersion [19:16] = 2 */
static uint64_t read_iidr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx)
{
	(void)gic;
	(void)c;
	(void)r;
	(void)idx;
	return 0x0202143B;
}

/* GICC_DIR / ICC_DIR_EL1 (§3.4): deactivation with EOImode = 1, ignored
 * otherwise */
void gic_cpu_write_dir(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		      unsigned idx, uint64_t val)
{
	uint32_t intid = (uint32_t)val & gic_intid_mask(gic);

	(void)r;
	(void)idx;
	if (!c->eoimode || intid >= gic->cfg.nr_irqs) {
		gic_trace(gic, GIC_TR_BAD_EOI, c->idx, intid,
			  gic_apr_running(c->apr, gic->pre_bits));
		return;
	}
	gic_deactivate(gic, c, intid);
}

#define V2 GIC_R_V2
#define REG(nm, o, fl, rs, wm, a, rd, wr)                                      \
	{ .name = nm, .off = o, .len = 4, .size = 4, .widths = GIC_W32,        \
	  .flags = V2 | (fl), .arg = a, .reset = rs, .wmask = wm, .read = rd,  \
	  .write = wr }

static const struct gic_reg gicc_regs[] = {
	REG("GICC_CTLR", 0x000, 0, 0, 0x21F, 0, read_ctlr, write_ctlr),
	REG("GICC_PMR", 0x004, 0, 0, 0xff, 0, gic_cpu_read_pmr, gic_cpu_write_pmr),
	REG("GICC_BPR", 0x008, GIC_R_IMPL, 0, 0x7, 0, read_bpr, write_bpr),
	REG("GICC_IAR", 0x00C, GIC_R_SIDE, 0x3ff, 0, -1, read_iar, NULL),
	REG("GICC_EOIR", 0x010, 0, 0, 0x1fff, -1, NULL, write_eoir),
	REG("GICC_RPR", 0x014, 0, 0xff, 0, 0, gic_cpu_read_rpr, NULL),
	REG("GICC_HPPIR", 0x018, 0, 0x3ff, 0, -1, read_hppir, NULL),
	REG("GICC_ABPR", 0x01C, GIC_R_IMPL, 0, 0x7, 1, read_bpr, write_bpr),
	REG("GICC_AIAR", 0x020, GIC_R_SIDE, 0x3ff, 0, 1, read_iar, NULL),
	REG("GICC_AEOIR", 0x024, 0, 0, 0x1fff, 1, NULL, write_eoir),
	REG("GICC_AHPPIR", 0x028, 0, 0x3ff, 0, 1, read_hppir, NULL),
	{ .name = "GICC_APR", .off = 0x0D0, .len = 16, .size = 4, .widths = GIC_W32,
	  .flags = V2, .arg = 0, .wmask = 0xffffffff, .read = gic_cpu_read_apr, .write = gic_cpu_write_apr },
	{ .name = "GICC_NSAPR", .off = 0x0E0, .len = 16, .size = 4, .widths = GIC_W32,
	  .flags = V2, .arg = GIC_ARG_G1, .wmask = 0xffffffff, .read = gic_cpu_read_apr, .write = gic_cpu_write_apr },
	REG("GICC_IIDR", 0x0FC, 0, 0x0202143B, 0, 0, read_iidr, NULL),
	REG("GICC_DIR", 0x1000, 0, 0, 0x1fff, 0, NULL, gic_cpu_write_dir),
};

const struct gic_bank_desc gic_cpu_bank = { gicc_regs,
					    sizeof(gicc_regs) / sizeof(gicc_regs[0]) };
