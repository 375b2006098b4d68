// SPDX-License-Identifier: MIT
/*
 * gic_regs_virt.c — the GICv2 virtualization extensions' two banks (§4):
 * GICH, the hypervisor's control view of the accessing CPU's virtual
 * interface, and GICV, the guest's CPU interface (GICC layout) backed by
 * the list registers, GICH_VMCR and GICH_APR.
 */
#include "models/gic/gic_int.h"

#define GICV_CTLR_MASK 0x21Fu /* GICV_CTLR bits are VMCR [9:0] */
#define GICV_INTID_MASK 0x3ffu

/* ---- GICH ------------------------------------------------------------------- */

uint64_t gic_vif_read_hcr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			 unsigned idx)
{
	(void)gic;
	(void)r;
	(void)idx;
	return c->vif.hcr;
}

void gic_vif_write_hcr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		      unsigned idx, uint64_t val)
{
	(void)r;
	(void)idx;
	c->vif.hcr = (uint32_t)val;
	gic_vif_update(gic, c);
}

/* GICH_VTR (§4.2): ListRegs [5:0] = LRs - 1, PREbits [28:26] and PRIbits
 * [31:29] = bits - 1. GIC-400 (4 LRs, 5 bits): 0x90000003. ICH_VTR_EL2
 * (§5.6) has the same value: ListRegs [4:0] (at most 16 LRs), IDbits
 * [25:23] = 0 (16 bits), PREbits and PRIbits where GICH_VTR has them. */
uint64_t gic_vif_read_vtr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx)
{
	(void)c;
	(void)r;
	(void)idx;
	return (gic->cfg.nr_lrs - 1) | (gic->vpre_bits - 1) << 26 |
	       (gic->cfg.vprio_bits - 1) << 29;
}

uint64_t gic_vif_read_vmcr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx)
{
	(void)gic;
	(void)r;
	(void)idx;
	return c->vif.vmcr;
}

void gic_vif_write_vmcr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		       unsigned idx, uint64_t val)
{
	(void)r;
	(void)idx;
	gic_vif_set_vmcr(gic, c, (uint32_t)val);
}

uint64_t gic_vif_read_misr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx)
{
	(void)r;
	(void)idx;
	return gic_vif_misr(gic, c);
}

/* GICH_EISR0/1, ICH_EISR_EL2 (arg 0) and GICH_ELRSR0/1, ICH_ELRSR_EL2
 * (arg 1): the GICH pairs are 32-bit halves (idx selects LRs 0-31 or
 * 32-63), the ICH registers whole. */
uint64_t gic_vif_read_lrsr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			   unsigned idx)
{
	uint64_t v = r->arg ? gic_vif_elrsr(gic, c) : gic_vif_eisr(gic, c);

	return r->size == 1 ? v : (uint32_t)(v >> (idx * 32));
}

/* GICH_APR / GICV_APR0: one 32-bit map, bit = priority[7:3] (§4.2) */
static uint64_t read_vapr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx)
{
	(void)r;
	/* KVM 4.4 exposes GICC_APRn as RAZ/WI (kvm-api.md §3.4) */
	if (idx || gic->cfg.impl == GIC_IMPL_KVM44)
		return 0;
	return c->vif.apr[0][0];
}

static void write_vapr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		       unsigned idx, uint64_t val)
{
	(void)r;
	if (gic_vif_store_apr(gic, c, 0, idx, val))
		gic_vif_update(gic, c);
}

uint64_t gic_vif_read_lr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			unsigned idx)
{
	(void)r;
	return idx < gic->cfg.nr_lrs ? c->vif.lr[idx] : 0;
}

void gic_vif_write_lr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		      unsigned idx, uint64_t val)
{
	(void)r;
	if (idx >= gic->cfg.nr_lrs)
		return;
	gic_vif_store_lr(gic, c, idx, val);
	gic_vif_update(gic, c);
}

#define V2V (GIC_R_V2 | GIC_R_VIRT)
#define REG(nm, o, l, fl, a, wm, rd, wr)                                       \
	{ .name = nm, .off = o, .len = l, .size = 4, .widths = GIC_W32,        \
	  .flags = V2V | (fl), .arg = a, .wmask = wm, .read = rd, .write = wr }

static const struct gic_reg gich_regs[] = {
	REG("GICH_HCR", 0x000, 4, 0, 0, GICH_HCR_WMASK, gic_vif_read_hcr, gic_vif_write_hcr),
	REG("GICH_VTR", 0x004, 4, GIC_R_IMPL, 0, 0, gic_vif_read_vtr, NULL),
	REG("GICH_VMCR", 0x008, 4, GIC_R_IMPL, 0, GICH_VMCR_WMASK, gic_vif_read_vmcr, gic_vif_write_vmcr),
	REG("GICH_MISR", 0x010, 4, 0, 0, 0, gic_vif_read_misr, NULL),
	REG("GICH_EISR", 0x020, 8, 0, 0, 0, gic_vif_read_lrsr, NULL),
	REG("GICH_ELRSR", 0x030, 8, GIC_R_IMPL, 1, 0, gic_vif_read_lrsr, NULL),
	REG("GICH_APR", 0x0F0, 4, 0, 0, 0xffffffff, read_vapr, write_vapr),
	REG("GICH_LR", 0x100, 0x100, 0, 0, GICH_LR_WMASK, gic_vif_read_lr, gic_vif_write_lr),
};

const struct gic_bank_desc gic_hyp_bank = { gich_regs,
					    sizeof(gich_regs) / sizeof(gich_regs[0]) };

/* ---- GICV ------------------------------------------------------------------- */

static uint64_t read_vctlr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			   unsigned idx)
{
	(void)gic;
	(void)r;
	(void)idx;
	return c->vif.vmcr & GICV_CTLR_MASK;
}

static void write_vctlr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			unsigned idx, uint64_t val)
{
	(void)r;
	(void)idx;
	gic_vif_set_vmcr(gic, c, (c->vif.vmcr & ~GICV_CTLR_MASK) | (uint32_t)val);
}

uint64_t gic_vif_read_pmr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx)
{
	(void)r;
	(void)idx;
	return (c->vif.vmcr >> VMCR_PMR_SHIFT) & gic->vprio_mask;
}

void gic_vif_write_pmr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		       unsigned idx, uint64_t val)
{
	(void)r;
	(void)idx;
	gic_vif_set_vmcr(gic, c,
			 (uint32_t)GIC_FIELD_SET(c->vif.vmcr, VMCR_PMR_SHIFT, 8, val));
}

/* GICV_BPR (arg 0) / GICV_ABPR (arg 1): VMBP and VMABP, minima 2 and 3 */
static uint64_t read_vbpr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx)
{
	(void)idx;
	return gic_vif_bpr(gic, c, (unsigned)r->arg);
}

static void write_vbpr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		       unsigned idx, uint64_t val)
{
	(void)idx;
	gic_vif_set_vmcr(gic, c,
			 (uint32_t)GIC_FIELD_SET(c->vif.vmcr,
						 r->arg ? VMCR_BPR1_SHIFT : VMCR_BPR0_SHIFT,
						 3, val));
}

static uint64_t read_viar(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx)
{
	(void)idx;
	return gic_vif_acknowledge(gic, c, r->arg);
}

static void write_veoir(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			unsigned idx, uint64_t val)
{
	(void)r;
	(void)idx;
	gic_vif_eoi(gic, c, (uint32_t)val & GICV_INTID_MASK, -1);
}

uint64_t gic_vif_read_rpr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			  unsigned idx)
{
	unsigned rpr = gic_vif_running(gic, c);

	(void)r;
	(void)idx;
	return rpr == GIC_PRIO_IDLE ? 0xff : rpr;
}

static uint64_t read_vhppir(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			    unsigned idx)
{
	(void)idx;
	return gic_vif_hppi(gic, c, r->arg);
}

/* GICV_IIDR: GIC-400's GICC_IIDR; KVM 4.4's CPU_REGS view reports
 * ProductID 0x4B [31:20], ArchitectureVersion 2, Arm (handle_cpu_mmio_ident) */
static uint64_t read_viidr(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
			   unsigned idx)
{
	(void)c;
	(void)r;
	(void)idx;
	return gic->cfg.impl == GIC_IMPL_KVM44 ? 0x04B2043B : 0x0202143B;
}

void gic_vif_write_dir(struct gic *gic, struct gic_cpu *c, const struct gic_reg *r,
		       unsigned idx, uint64_t val)
{
	(void)r;
	(void)idx;
	gic_vif_deactivate(gic, c, (uint32_t)val & gic_intid_mask(gic));
}

static const struct gic_reg gicv_regs[] = {
	REG("GICV_CTLR", 0x000, 4, 0, 0, GICV_CTLR_MASK, read_vctlr, write_vctlr),
	REG("GICV_PMR", 0x004, 4, 0, 0, 0xff, gic_vif_read_pmr, gic_vif_write_pmr),
	REG("GICV_BPR", 0x008, 4, GIC_R_IMPL, 0, 0x7, read_vbpr, write_vbpr),
	REG("GICV_IAR", 0x00C, 4, GIC_R_SIDE | GIC_R_HW_ONLY, -1, 0, read_viar, NULL),
	REG("GICV_EOIR", 0x010, 4, GIC_R_HW_ONLY, -1, 0x1fff, NULL, write_veoir),
	REG("GICV_RPR", 0x014, 4, GIC_R_HW_ONLY, 0, 0, gic_vif_read_rpr, NULL),
	REG("GICV_HPPIR", 0x018, 4, GIC_R_HW_ONLY, -1, 0, read_vhppir, NULL),
	REG("GICV_ABPR", 0x01C, 4, GIC_R_IMPL, 1, 0x7, read_vbpr, write_vbpr),
	REG("GICV_AIAR", 0x020, 4, GIC_R_SIDE | GIC_R_HW_ONLY, 1, 0, read_viar, NULL),
	REG("GICV_AEOIR", 0x024, 4, GIC_R_HW_ONLY, 1, 0x1fff, NULL, write_veoir),
	REG("GICV_AHPPIR", 0x028, 4, GIC_R_HW_ONLY, 1, 0, read_vhppir, NULL),
	REG("GICV_APR", 0x0D0, 16, 0, 0, 0xffffffff, read_vapr, write_vapr),
	REG("GICV_IIDR", 0x0FC, 4, 0, 0, 0, read_viidr, NULL),
	REG("GICV_DIR", 0x1000, 4, GIC_R_HW_ONLY, 0, 0x1fff, NULL, gic_vif_write_dir),
};

const struct gic_bank_desc gic_vcpu_bank = { gicv_regs,
					     sizeof(gicv_regs) / sizeof(gicv_regs[0]) };
