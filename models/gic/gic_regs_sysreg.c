// SPDX-License-Identifier: MIT
/*
 * gic_regs_sysreg.c — the GICv3 system-register CPU interface (§5.5, §5.6):
 * GIC_BANK_ICC holds the physical ICC_*_EL1/EL2 registers and the
 * hypervisor's ICH_*_EL2; GIC_BANK_ICV answers the same EL1 encodings the
 * way the ICV view does while HCR_EL2.IMO/FMO = 1, or traps.
 */
#include "models/gic/gic_int.h"

#define ICC_CTLR_CBPR (1u << 0)
#define ICC_CTLR_EOIMODE (1u << 1)
#define ICC_CTLR_PRIBITS_SHIFT 8
#define ICC_INTID_MASK 0xffffffu
#define ICC_SRE_EL1_VALUE 0x7 /* SRE, DFB, DIB: system registers always on */
#define ICC_SRE_EL2_VALUE 0xf /* + Enable */

/* gic_reg.arg of the sysreg banks: the register's group (GIC_ARG_G1, as
 * in GICC's tables) and the ICV trap classes (ICH_HCR_EL2.TC/TALL0/TALL1/
 * TDIR, §5.6) */
enum {
	ARG_G1 = GIC_ARG_G1,
	TRAP_TC = 2,
	TRAP_TALL0 = 4,
	TRAP_TALL1 = 8,
	TRAP_TDIR = 16,
	TRAP_ALWAYS = 32, /* SGI generation is never virtualized (§9 item 11) */
};

#define GRP(r) gic_reg_group(r)

bool gic_icv_traps(const struct gic *gic, const struct gic_cpu *c,
		   const struct gic_reg *r)
{
	uint32_t hcr = c->vif.hcr;

	(void)gic;
	return (r->arg & TRAP_ALWAYS) || ((r->arg & TRAP_TC) && (hcr & ICH_HCR_TC)) ||
	       ((r->arg & TRAP_TALL0) && (hcr & ICH_HCR_TALL0)) ||
	       ((r->arg & TRAP_TALL1) && (hcr & ICH_HCR_TALL1)) ||
	       ((r->arg & TRAP_TDIR) && (hcr & ICH_HCR_TDIR));
}

/* ---- physical ICC ------------------------------------------------------------ */



static uint64_t icc_read_iar(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			     unsigned idx)
{
	(void)idx;
	return gic_acknowledge(gic, c, (int)GRP(r), false);
}

/* The group holding the highest active priority (Group 0 on a tie), or -1. */
static int highest_active_group(const struct gic *gic, const struct gic_cpu *c)
{
	unsigned p0 = gic_apr_group_running(c->apr[0], gic->pre_bits);
	unsigned p1 = gic_apr_group_running(c->apr[1], gic->pre_bits);

	if (p0 == GIC_PRIO_IDLE && p1 == GIC_PRIO_IDLE)
		return -1;
	return p1 < p0;
}

/* ICC_EOIR0/1_EL1 (§5.5): ignored unless the highest active priority is
 * the register's group (QEMU icc_eoir_write); then drop, and deactivate
 * unless EOImode = 1. */
static void icc_write_eoir(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			   unsigned idx, uint64_t val)
{
	uint32_t intid = (uint32_t)val & ICC_INTID_MASK;

	(void)idx;
	if (intid >= gic->cfg.nr_irqs || highest_active_group(gic, c) != (int)GRP(r)) {
		gic_trace(gic, GIC_TR_BAD_EOI, c->idx, intid,
			  gic_apr_running(c->apr, gic->pre_bits));
		return;
	}
	gic_trace(gic, GIC_TR_EOI, c->idx, intid, 1);
	gic_priority_drop(gic, c, GRP(r));
	if (!c->eoimode)
		gic_deactivate(gic, c, intid);
}

static uint64_t icc_read_hppir(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			       unsigned idx)
{
	uint8_t prio;
	int id = gic_hppi(gic, c, &prio);

	(void)idx;
	if (id < 0 || prio >= c->pmr || gic_irq_of(gic, c, (unsigned)id)->group1 != GRP(r))
		return GIC_SPURIOUS;
	return (uint32_t)id;
}

/* ICC_BPR0/1_EL1: with CBPR, BPR1 reads min(BPR0 + 1, 7) and ignores
 * writes (§1.5) */
static uint64_t icc_read_bpr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			     unsigned idx)
{
	(void)gic;
	(void)idx;
	if (GRP(r) && c->cbpr)
		return c->bpr[0] + 1u > 7 ? 7 : c->bpr[0] + 1u;
	return c->bpr[GRP(r)];
}

static void icc_write_bpr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx, uint64_t val)
{
	unsigned min = 7 - gic->pre_bits + GRP(r);

	(void)idx;
	if (GRP(r) && c->cbpr)
		return;
	c->bpr[GRP(r)] = (uint8_t)(val < min ? min : val);
	gic_cpu_update(gic, c);
}





/* ICC_SGI0R/SGI1R_EL1 (§5.5) */
static void icc_write_sgi(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx, uint64_t val)
{
	(void)idx;
	gic_sgi1r(gic, c, val, GRP(r));
}

/* ICC_ASGI1R_EL1 targets the other Security state; with DS = 1 there is
 * none: write ignored and traced. */
static void icc_write_asgi(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			   unsigned idx, uint64_t val)
{
	(void)val;
	(void)idx;
	gic_trace(gic, GIC_TR_BAD_ACCESS, c->idx, r->off, 8);
}

/* ICC_CTLR_EL1 (§5.5): CBPR, EOImode writable; PRIbits [10:8] = bits - 1;
 * IDbits [13:11] = 0 (16 bits). */
static uint64_t icc_read_ctlr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			      unsigned idx)
{
	(void)r;
	(void)idx;
	return (c->cbpr ? ICC_CTLR_CBPR : 0) | (c->eoimode ? ICC_CTLR_EOIMODE : 0) |
	       (gic->cfg.prio_bits - 1) << ICC_CTLR_PRIBITS_SHIFT;
}

static void icc_write_ctlr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			   unsigned idx, uint64_t val)
{
	(void)r;
	(void)idx;
	c->cbpr = val & ICC_CTLR_CBPR;
	c->eoimode = val & ICC_CTLR_EOIMODE;
	gic_cpu_update(gic, c);
}

static uint64_t read_const(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			   unsigned idx)
{
	(void)gic;
	(void)c;
	(void)idx;
	return r->reset;
}

static uint64_t icc_read_igrpen(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
				unsigned idx)
{
	(void)gic;
	(void)idx;
	return c->grp_en[GRP(r)];
}

static void icc_write_igrpen(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			     unsigned idx, uint64_t val)
{
	(void)idx;
	c->grp_en[GRP(r)] = val & 1;
	gic_cpu_update(gic, c);
}

/* ---- ICH_*_EL2 --------------------------------------------------------------- */

static uint64_t ich_read_apr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			     unsigned idx)
{
	unsigned levels = 1u << gic->vpre_bits;

	if (idx * 32 >= levels)
		return 0;
	return c->vif.apr[GRP(r)][idx];
}

static void ich_write_apr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx, uint64_t val)
{
	if (gic_vif_store_apr(gic, c, GRP(r), idx, val))
		gic_vif_update(gic, c);
}

/* ---- ICV (the guest's view) ---------------------------------------------------- */



static uint64_t icv_read_iar(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			     unsigned idx)
{
	(void)idx;
	return gic_vif_acknowledge(gic, c, (int)GRP(r));
}

static void icv_write_eoir(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			   unsigned idx, uint64_t val)
{
	(void)idx;
	gic_vif_eoi(gic, c, (uint32_t)val & ICC_INTID_MASK, (int)GRP(r));
}

static uint64_t icv_read_hppir(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			       unsigned idx)
{
	(void)idx;
	return gic_vif_hppi(gic, c, (int)GRP(r));
}

static uint64_t icv_read_bpr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			     unsigned idx)
{
	(void)idx;
	if (GRP(r) && (c->vif.vmcr & VMCR_CBPR)) {
		unsigned b = gic_vif_bpr(gic, c, 0) + 1u;

		return b > 7 ? 7 : b;
	}
	return gic_vif_bpr(gic, c, GRP(r));
}

static void icv_write_bpr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx, uint64_t val)
{
	(void)idx;
	if (GRP(r) && (c->vif.vmcr & VMCR_CBPR))
		return;
	gic_vif_set_vmcr(gic, c,
			 (uint32_t)GIC_FIELD_SET(c->vif.vmcr,
						 GRP(r) ? VMCR_BPR1_SHIFT : VMCR_BPR0_SHIFT,
						 3, val));
}



static uint64_t icv_read_ctlr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			      unsigned idx)
{
	(void)r;
	(void)idx;
	return ((c->vif.vmcr & VMCR_CBPR) ? ICC_CTLR_CBPR : 0) |
	       ((c->vif.vmcr & VMCR_EOIM) ? ICC_CTLR_EOIMODE : 0) |
	       (gic->cfg.vprio_bits - 1) << ICC_CTLR_PRIBITS_SHIFT;
}

static void icv_write_ctlr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			   unsigned idx, uint64_t val)
{
	uint32_t vmcr = c->vif.vmcr & ~(VMCR_CBPR | VMCR_EOIM);

	(void)r;
	(void)idx;
	if (val & ICC_CTLR_CBPR)
		vmcr |= VMCR_CBPR;
	if (val & ICC_CTLR_EOIMODE)
		vmcr |= VMCR_EOIM;
	gic_vif_set_vmcr(gic, c, vmcr);
}

static uint64_t icv_read_igrpen(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
				unsigned idx)
{
	(void)gic;
	(void)idx;
	return !!(c->vif.vmcr & (GRP(r) ? VMCR_ENG1 : VMCR_ENG0));
}

static void icv_write_igrpen(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			     unsigned idx, uint64_t val)
{
	uint32_t bit = GRP(r) ? VMCR_ENG1 : VMCR_ENG0;

	(void)idx;
	gic_vif_set_vmcr(gic, c, (val & 1) ? c->vif.vmcr | bit : c->vif.vmcr & ~bit);
}

/* ---- tables (sorted by encoding) ------------------------------------------------ */

#define S(op1, crn, crm, op2) GIC_SYSREG(3, op1, crn, crm, op2)
#define R(nm, enc, n, a, rs, wm, fl, rd, wr)                                   \
	{ .name = nm, .off = enc, .len = n, .size = 1, .widths = GIC_W64,      \
	  .flags = GIC_R_V3 | (fl), .arg = a, .reset = rs, .wmask = wm,        \
	  .read = rd, .write = wr }
#define G1 ARG_G1
#define VIRT GIC_R_VIRT
#define IMPL GIC_R_IMPL

static const struct gic_reg icc_regs[] = {
	R("ICC_PMR_EL1", S(0, 4, 6, 0), 1, 0, 0, 0xff, 0, gic_cpu_read_pmr, gic_cpu_write_pmr),
	R("ICC_IAR0_EL1", S(0, 12, 8, 0), 1, 0, 0x3ff, 0, GIC_R_SIDE, icc_read_iar, NULL),
	R("ICC_EOIR0_EL1", S(0, 12, 8, 1), 1, 0, 0, ICC_INTID_MASK, 0, NULL, icc_write_eoir),
	R("ICC_HPPIR0_EL1", S(0, 12, 8, 2), 1, 0, 0x3ff, 0, 0, icc_read_hppir, NULL),
	R("ICC_BPR0_EL1", S(0, 12, 8, 3), 1, 0, 0, 0x7, IMPL, icc_read_bpr, icc_write_bpr),
	R("ICC_AP0R<n>_EL1", S(0, 12, 8, 4), 4, 0, 0, 0xffffffff, 0, gic_cpu_read_apr,
	  gic_cpu_write_apr),
	R("ICC_AP1R<n>_EL1", S(0, 12, 9, 0), 4, G1, 0, 0xffffffff, 0, gic_cpu_read_apr,
	  gic_cpu_write_apr),
	R("ICC_DIR_EL1", S(0, 12, 11, 1), 1, 0, 0, ICC_INTID_MASK, 0, NULL, gic_cpu_write_dir),
	R("ICC_RPR_EL1", S(0, 12, 11, 3), 1, 0, 0xff, 0, 0, gic_cpu_read_rpr, NULL),
	R("ICC_SGI1R_EL1", S(0, 12, 11, 5), 1, G1, 0, ~0ull, 0, NULL, icc_write_sgi),
	R("ICC_ASGI1R_EL1", S(0, 12, 11, 6), 1, G1, 0, ~0ull, 0, NULL, icc_write_asgi),
	R("ICC_SGI0R_EL1", S(0, 12, 11, 7), 1, 0, 0, ~0ull, 0, NULL, icc_write_sgi),
	R("ICC_IAR1_EL1", S(0, 12, 12, 0), 1, G1, 0x3ff, 0, GIC_R_SIDE, icc_read_iar, NULL),
	R("ICC_EOIR1_EL1", S(0, 12, 12, 1), 1, G1, 0, ICC_INTID_MASK, 0, NULL, icc_write_eoir),
	R("ICC_HPPIR1_EL1", S(0, 12, 12, 2), 1, G1, 0x3ff, 0, 0, icc_read_hppir, NULL),
	R("ICC_BPR1_EL1", S(0, 12, 12, 3), 1, G1, 0, 0x7, IMPL, icc_read_bpr, icc_write_bpr),
	R("ICC_CTLR_EL1", S(0, 12, 12, 4), 1, 0, 0, 0x3, IMPL, icc_read_ctlr, icc_write_ctlr),
	R("ICC_SRE_EL1", S(0, 12, 12, 5), 1, 0, ICC_SRE_EL1_VALUE, 0, 0, read_const, NULL),
	R("ICC_IGRPEN0_EL1", S(0, 12, 12, 6), 1, 0, 0, 0x1, 0, icc_read_igrpen,
	  icc_write_igrpen),
	R("ICC_IGRPEN1_EL1", S(0, 12, 12, 7), 1, G1, 0, 0x1, 0, icc_read_igrpen,
	  icc_write_igrpen),
	R("ICH_AP0R<n>_EL2", S(4, 12, 8, 0), 4, 0, 0, 0xffffffff, VIRT, ich_read_apr,
	  ich_write_apr),
	R("ICH_AP1R<n>_EL2", S(4, 12, 9, 0), 4, G1, 0, 0xffffffff, VIRT, ich_read_apr,
	  ich_write_apr),
	R("ICC_SRE_EL2", S(4, 12, 9, 5), 1, 0, ICC_SRE_EL2_VALUE, 0, 0, read_const, NULL),
	R("ICH_HCR_EL2", S(4, 12, 11, 0), 1, 0, 0, ICH_HCR_WMASK, VIRT, gic_vif_read_hcr,
	  gic_vif_write_hcr),
	R("ICH_VTR_EL2", S(4, 12, 11, 1), 1, 0, 0, 0, VIRT | IMPL, gic_vif_read_vtr, NULL),
	R("ICH_MISR_EL2", S(4, 12, 11, 2), 1, 0, 0, 0, VIRT, gic_vif_read_misr, NULL),
	R("ICH_EISR_EL2", S(4, 12, 11, 3), 1, 0, 0, 0, VIRT, gic_vif_read_lrsr, NULL),
	R("ICH_ELRSR_EL2", S(4, 12, 11, 5), 1, 1, 0, 0, VIRT | IMPL, gic_vif_read_lrsr, NULL),
	R("ICH_VMCR_EL2", S(4, 12, 11, 7), 1, 0, 0, ICH_VMCR_WMASK, VIRT | IMPL, gic_vif_read_vmcr,
	  gic_vif_write_vmcr),
	R("ICH_LR<n>_EL2", S(4, 12, 12, 0), 16, 0, 0, ICH_LR_WMASK, VIRT,
	  gic_vif_read_lr, gic_vif_write_lr),
};

const struct gic_bank_desc gic_icc_bank = { icc_regs, sizeof(icc_regs) / sizeof(icc_regs[0]) };

#define V(nm, enc, n, a, rs, wm, fl, rd, wr)                                   \
	R(nm, enc, n, a, rs, wm, VIRT | (fl), rd, wr)

static const struct gic_reg icv_regs[] = {
	V("ICV_PMR_EL1", S(0, 4, 6, 0), 1, TRAP_TC, 0, 0xff, 0, gic_vif_read_pmr, gic_vif_write_pmr),
	V("ICV_IAR0_EL1", S(0, 12, 8, 0), 1, TRAP_TALL0, 0x3ff, 0, GIC_R_SIDE, icv_read_iar,
	  NULL),
	V("ICV_EOIR0_EL1", S(0, 12, 8, 1), 1, TRAP_TALL0, 0, ICC_INTID_MASK, 0, NULL,
	  icv_write_eoir),
	V("ICV_HPPIR0_EL1", S(0, 12, 8, 2), 1, TRAP_TALL0, 0x3ff, 0, 0, icv_read_hppir, NULL),
	V("ICV_BPR0_EL1", S(0, 12, 8, 3), 1, TRAP_TALL0, 0, 0x7, IMPL, icv_read_bpr,
	  icv_write_bpr),
	V("ICV_AP0R<n>_EL1", S(0, 12, 8, 4), 4, TRAP_TALL0, 0, 0xffffffff, 0, ich_read_apr,
	  ich_write_apr),
	V("ICV_AP1R<n>_EL1", S(0, 12, 9, 0), 4, TRAP_TALL1 | G1, 0, 0xffffffff, 0,
	  ich_read_apr, ich_write_apr),
	V("ICV_DIR_EL1", S(0, 12, 11, 1), 1, TRAP_TC | TRAP_TDIR, 0, ICC_INTID_MASK, 0, NULL,
	  gic_vif_write_dir),
	V("ICV_RPR_EL1", S(0, 12, 11, 3), 1, TRAP_TC, 0xff, 0, 0, gic_vif_read_rpr, NULL),
	V("ICC_SGI1R_EL1", S(0, 12, 11, 5), 1, TRAP_ALWAYS | G1, 0, 0, 0, NULL, NULL),
	V("ICC_ASGI1R_EL1", S(0, 12, 11, 6), 1, TRAP_ALWAYS | G1, 0, 0, 0, NULL, NULL),
	V("ICC_SGI0R_EL1", S(0, 12, 11, 7), 1, TRAP_ALWAYS, 0, 0, 0, NULL, NULL),
	V("ICV_IAR1_EL1", S(0, 12, 12, 0), 1, TRAP_TALL1 | G1, 0x3ff, 0, GIC_R_SIDE,
	  icv_read_iar, NULL),
	V("ICV_EOIR1_EL1", S(0, 12, 12, 1), 1, TRAP_TALL1 | G1, 0, ICC_INTID_MASK, 0, NULL,
	  icv_write_eoir),
	V("ICV_HPPIR1_EL1", S(0, 12, 12, 2), 1, TRAP_TALL1 | G1, 0x3ff, 0, 0, icv_read_hppir,
	  NULL),
	V("ICV_BPR1_EL1", S(0, 12, 12, 3), 1, TRAP_TALL1 | G1, 0, 0x7, IMPL, icv_read_bpr,
	  icv_write_bpr),
	V("ICV_CTLR_EL1", S(0, 12, 12, 4), 1, TRAP_TC, 0, 0x3, IMPL, icv_read_ctlr,
	  icv_write_ctlr),
	V("ICC_SRE_EL1", S(0, 12, 12, 5), 1, 0, ICC_SRE_EL1_VALUE, 0, 0, read_const, NULL),
	V("ICV_IGRPEN0_EL1", S(0, 12, 12, 6), 1, TRAP_TALL0, 0, 0x1, 0, icv_read_igrpen,
	  icv_write_igrpen),
	V("ICV_IGRPEN1_EL1", S(0, 12, 12, 7), 1, TRAP_TALL1 | G1, 0, 0x1, 0, icv_read_igrpen,
	  icv_write_igrpen),
};

const struct gic_bank_desc gic_icv_bank = { icv_regs, sizeof(icv_regs) / sizeof(icv_regs[0]) };
