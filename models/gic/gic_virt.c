// SPDX-License-Identifier: MIT
/*
 * gic_virt.c — the virtualization extensions' virtual CPU interface,
 * common to GICv2 (GICH/GICV, §4) and GICv3 (ICH/ICV, §5.6): list
 * registers, the virtual acknowledge / EOI / deactivate, the hardware
 * deactivation of HW = 1 interrupts (§4.7), MISR/EISR/ELRSR and the
 * maintenance interrupt (a level on the maint_ppi of the same CPU).
 */
#include <string.h>

#include "models/gic/gic_int.h"

/* GICH_LRn (v2, §4.3) */
#define LR2_VID_SHIFT 0
#define LR2_VID_WIDTH 10
#define LR2_PID_SHIFT 10
#define LR2_PID_WIDTH 10
#define LR2_CPUID_SHIFT 10
#define LR2_CPUID_WIDTH 3
#define LR2_EOI_SHIFT 19
#define LR2_PRIO_SHIFT 23
#define LR2_PRIO_WIDTH 5
#define LR2_STATE_SHIFT 28
#define LR2_GRP1_SHIFT 30
#define LR2_HW_SHIFT 31

/* ICH_LR<n>_EL2 (v3, §5.6) */
#define LR3_VID_SHIFT 0
#define LR3_VID_WIDTH 32
#define LR3_PID_SHIFT 32
#define LR3_PID_WIDTH 10 /* KVM and QEMU use [41:32]: only SPIs/PPIs are HW */
#define LR3_EOI_SHIFT 41
#define LR3_PRIO_SHIFT 48
#define LR3_PRIO_WIDTH 8
#define LR3_GRP_SHIFT 60
#define LR3_HW_SHIFT 61
#define LR3_STATE_SHIFT 62

struct gic_lr gic_lr_decode(const struct gic *gic, uint64_t raw)
{
	struct gic_lr lr = { 0 };

	if (gic->cfg.version == GIC_V2) {
		lr.vintid = (uint32_t)GIC_FIELD_GET(raw, LR2_VID_SHIFT, LR2_VID_WIDTH);
		lr.hw = GIC_FIELD_GET(raw, LR2_HW_SHIFT, 1);
		if (lr.hw) {
			lr.pintid = (uint32_t)GIC_FIELD_GET(raw, LR2_PID_SHIFT, LR2_PID_WIDTH);
		} else {
			lr.cpuid = (uint8_t)GIC_FIELD_GET(raw, LR2_CPUID_SHIFT, LR2_CPUID_WIDTH);
			lr.eoi = GIC_FIELD_GET(raw, LR2_EOI_SHIFT, 1);
		}
		lr.prio = (uint8_t)(GIC_FIELD_GET(raw, LR2_PRIO_SHIFT, LR2_PRIO_WIDTH) << 3);
		lr.state = (enum gic_lr_state)GIC_FIELD_GET(raw, LR2_STATE_SHIFT, 2);
		lr.group1 = GIC_FIELD_GET(raw, LR2_GRP1_SHIFT, 1);
		return lr;
	}
	lr.vintid = (uint32_t)GIC_FIELD_GET(raw, LR3_VID_SHIFT, LR3_VID_WIDTH);
	lr.hw = GIC_FIELD_GET(raw, LR3_HW_SHIFT, 1);
	if (lr.hw)
		lr.pintid = (uint32_t)GIC_FIELD_GET(raw, LR3_PID_SHIFT, LR3_PID_WIDTH);
	else
		lr.eoi = GIC_FIELD_GET(raw, LR3_EOI_SHIFT, 1);
	lr.prio = (uint8_t)GIC_FIELD_GET(raw, LR3_PRIO_SHIFT, LR3_PRIO_WIDTH) &
		  gic->vprio_mask;
	lr.state = (enum gic_lr_state)GIC_FIELD_GET(raw, LR3_STATE_SHIFT, 2);
	lr.group1 = GIC_FIELD_GET(raw, LR3_GRP_SHIFT, 1);
	return lr;
}

uint64_t gic_lr_encode(const struct gic *gic, const struct gic_lr *lr)
{
	uint64_t raw = 0;

	if (gic->cfg.version == GIC_V2) {
		raw = GIC_FIELD_SET(raw, LR2_VID_SHIFT, LR2_VID_WIDTH, lr->vintid);
		if (lr->hw) {
			raw = GIC_FIELD_SET(raw, LR2_PID_SHIFT, LR2_PID_WIDTH, lr->pintid);
		} else {
			raw = GIC_FIELD_SET(raw, LR2_CPUID_SHIFT, LR2_CPUID_WIDTH, lr->cpuid);
			raw = GIC_FIELD_SET(raw, LR2_EOI_SHIFT, 1, lr->eoi);
		}
		raw = GIC_FIELD_SET(raw, LR2_PRIO_SHIFT, LR2_PRIO_WIDTH, lr->prio >> 3);
		raw = GIC_FIELD_SET(raw, LR2_STATE_SHIFT, 2, lr->state);
		raw = GIC_FIELD_SET(raw, LR2_GRP1_SHIFT, 1, lr->group1);
		return GIC_FIELD_SET(raw, LR2_HW_SHIFT, 1, lr->hw);
	}
	raw = GIC_FIELD_SET(raw, LR3_VID_SHIFT, LR3_VID_WIDTH, lr->vintid);
	if (lr->hw)
		raw = GIC_FIELD_SET(raw, LR3_PID_SHIFT, LR3_PID_WIDTH, lr->pintid);
	else
		raw = GIC_FIELD_SET(raw, LR3_EOI_SHIFT, 1, lr->eoi);
	raw = GIC_FIELD_SET(raw, LR3_PRIO_SHIFT, LR3_PRIO_WIDTH, lr->prio);
	raw = GIC_FIELD_SET(raw, LR3_GRP_SHIFT, 1, lr->group1);
	raw = GIC_FIELD_SET(raw, LR3_HW_SHIFT, 1, lr->hw);
	return GIC_FIELD_SET(raw, LR3_STATE_SHIFT, 2, lr->state);
}

static struct gic_lr lr_get(const struct gic *gic, const struct gic_cpu *c, unsigned n)
{
	return gic_lr_decode(gic, c->vif.lr[n]);
}

static void lr_put(const struct gic *gic, struct gic_cpu *c, unsigned n,
		   const struct gic_lr *lr)
{
	c->vif.lr[n] = gic_lr_encode(gic, lr);
	gic_vif_changed(c);
}

/* ---- status registers (§4.2) ------------------------------------------------ */

/* Everything the status registers and the signalling need, from one pass
 * over the list registers (an all-zero LR is empty without decoding). */
static void vif_scan_lrs(const struct gic *gic, const struct gic_cpu *c, struct gic_vif_scan *s)
{
	unsigned best = GIC_PRIO_IDLE;

	s->eisr = s->elrsr = 0;
	s->valid = 0;
	s->any_pending = false;
	s->cand = -1;
	s->cand_lr = (struct gic_lr){ 0 };
	for (unsigned n = 0; n < gic->cfg.nr_lrs; n++) {
		struct gic_lr lr;

		if (!c->vif.lr[n]) {
			s->elrsr |= (uint64_t)1 << n;
			continue;
		}
		lr = lr_get(gic, c, n);
		if (lr.state == LR_INVALID) {
			/* EOI pending: invalid, HW = 0, EOI = 1; otherwise empty
			 * (§9 item 6) */
			if (!lr.hw && lr.eoi)
				s->eisr |= (uint64_t)1 << n;
			else
				s->elrsr |= (uint64_t)1 << n;
			continue;
		}
		s->valid++;
		if (lr.state != LR_PENDING)
			continue;
		s->any_pending = true;
		/* lowest priority, then lowest LR index (§9 item 15) */
		if ((c->vif.vmcr & (lr.group1 ? VMCR_ENG1 : VMCR_ENG0)) && lr.prio < best) {
			best = lr.prio;
			s->cand = (int)n;
			s->cand_lr = lr;
		}
	}
}

/* The scan of @c's list registers as they are now: the last one until a
 * list register or VMCR is written (the scan reads nothing else). */
static const struct gic_vif_scan *vif_scan(const struct gic *gic, const struct gic_cpu *c)
{
	/* a memo: the cast drops const from a cache only this function uses */
	struct gic_vif_scan *s = (struct gic_vif_scan *)&c->scan;

	if (!s->ok) {
		vif_scan_lrs(gic, c, s);
		s->ok = true;
	}
	return s;
}

uint64_t gic_vif_eisr(const struct gic *gic, const struct gic_cpu *c)
{
	return vif_scan(gic, c)->eisr;
}

uint64_t gic_vif_elrsr(const struct gic *gic, const struct gic_cpu *c)
{
	return vif_scan(gic, c)->elrsr;
}

static uint32_t misr_of(const struct gic_cpu *c, const struct gic_vif_scan *s)
{
	uint32_t hcr = c->vif.hcr, vmcr = c->vif.vmcr, misr = 0;

	if (s->eisr)
		misr |= GICH_MISR_EOI;
	/* no other maintenance condition enabled (KVM sets only HCR.En, and
	 * UIE after an overflow): the EOI bit is all there is */
	if (!(hcr & (GICH_HCR_UIE | GICH_HCR_LRENPIE | GICH_HCR_NPIE | GICH_HCR_VGRP0EIE |
		     GICH_HCR_VGRP0DIE | GICH_HCR_VGRP1EIE | GICH_HCR_VGRP1DIE)))
		return misr;
	if ((hcr & GICH_HCR_UIE) && s->valid <= 1) /* zero or one: §9 item 7 */
		misr |= GICH_MISR_U;
	if ((hcr & GICH_HCR_LRENPIE) &&
	    GIC_FIELD_GET(hcr, GICH_HCR_EOICOUNT_SHIFT, GICH_HCR_EOICOUNT_WIDTH))
		misr |= GICH_MISR_LRENP;
	if ((hcr & GICH_HCR_NPIE) && !s->any_pending)
		misr |= GICH_MISR_NP;
	if ((hcr & GICH_HCR_VGRP0EIE) && (vmcr & VMCR_ENG0))
		misr |= GICH_MISR_VGRP0E;
	if ((hcr & GICH_HCR_VGRP0DIE) && !(vmcr & VMCR_ENG0))
		misr |= GICH_MISR_VGRP0D;
	if ((hcr & GICH_HCR_VGRP1EIE) && (vmcr & VMCR_ENG1))
		misr |= GICH_MISR_VGRP1E;
	if ((hcr & GICH_HCR_VGRP1DIE) && !(vmcr & VMCR_ENG1))
		misr |= GICH_MISR_VGRP1D;
	return misr;
}

uint32_t gic_vif_misr(const struct gic *gic, const struct gic_cpu *c)
{
	return misr_of(c, vif_scan(gic, c));
}

/* ---- virtual priorities ----------------------------------------------------- */

static uint8_t vif_pmr(const struct gic *gic, const struct gic_cpu *c)
{
	/* v2 VMPriMask [31:27] and v3 VPMR [31:24] both read as PMR here */
	return (uint8_t)(c->vif.vmcr >> VMCR_PMR_SHIFT) & gic->vprio_mask;
}

uint8_t gic_vif_bpr(const struct gic *gic, const struct gic_cpu *c, unsigned grp)
{
	(void)gic;
	return (uint8_t)GIC_FIELD_GET(c->vif.vmcr, grp ? VMCR_BPR1_SHIFT : VMCR_BPR0_SHIFT, 3);
}

static unsigned vif_gprio(const struct gic *gic, const struct gic_cpu *c,
			  unsigned prio, bool group1)
{
	return prio & gic_gprio_mask(gic_vif_bpr(gic, c, group1), group1,
				     c->vif.vmcr & VMCR_CBPR, gic_vif_bpr(gic, c, 0));
}

unsigned gic_vif_running(const struct gic *gic, const struct gic_cpu *c)
{
	return gic_apr_running(c->vif.apr, gic->vpre_bits);
}

/* The pending LR the virtual interface would present (§4.4). */
static int vif_candidate(const struct gic *gic, const struct gic_cpu *c,
			 struct gic_lr *out)
{
	const struct gic_vif_scan *s = vif_scan(gic, c);

	*out = s->cand_lr;
	return s->cand;
}

void gic_vif_update(struct gic *gic, struct gic_cpu *c)
{
	const struct gic_vif_scan *s;
	bool virq = false, vfiq = false, maint;
	uint32_t misr;

	if (!gic->cfg.nr_lrs)
		return;
	s = vif_scan(gic, c);
	int n = s->cand;
	struct gic_lr lr = s->cand_lr;

	if ((c->vif.hcr & GICH_HCR_EN) && n >= 0 && lr.prio < vif_pmr(gic, c) &&
	    vif_gprio(gic, c, lr.prio, lr.group1) < gic_vif_running(gic, c)) {
		if (!lr.group1 && (c->vif.vmcr & VMCR_FIQEN))
			vfiq = true;
		else
			virq = true;
	}
	c->want[GIC_OUT_VIRQ] = virq;
	c->want[GIC_OUT_VFIQ] = vfiq;
	gic_vif_drive(gic, c);

	if (gic->cfg.impl == GIC_IMPL_KVM44)
		return; /* KVM's shadow copy: no maintenance wire */
	misr = misr_of(c, s);
	maint = (c->vif.hcr & GICH_HCR_EN) && misr;
	struct gic_irq *m = &c->priv[gic->cfg.maint_ppi];
	if (m->level == maint)
		return; /* the line keeps its level: gic_set_irq() would do nothing */
	gic_trace(gic, GIC_TR_MAINT, c->idx, misr, maint);
	gic_set_irq(gic, c->idx, gic->cfg.maint_ppi, maint);
}

/* ---- guest operations (§4.4, §5.6) ------------------------------------------ */

/*
 * The pending LR a read of an acknowledge or HPPI register of @want_grp
 * (-1: GICv2 rules) may report, or -1 with *special set: the PMR applies,
 * Group 1 needs AckCtl on the GICv2 registers, a one-group register sees
 * only its group.
 */
static int vif_reportable(struct gic *gic, struct gic_cpu *c, int want_grp,
			  struct gic_lr *lr, uint32_t *special)
{
	int n = vif_candidate(gic, c, lr);

	*special = GIC_SPURIOUS;
	if (n < 0 || lr->prio >= vif_pmr(gic, c))
		return -1;
	if (want_grp < 0) {
		if (lr->group1 && !(c->vif.vmcr & VMCR_ACKCTL)) {
			*special = 1022;
			return -1;
		}
	} else if ((int)lr->group1 != want_grp) {
		return -1;
	}
	return n;
}

/* The INTID the guest reads: GICv2 software SGIs carry their source. */
static uint32_t vif_iar_value(const struct gic *gic, const struct gic_lr *lr)
{
	if (gic->cfg.version == GIC_V2 && !lr->hw && lr->vintid < GIC_NR_SGI)
		return lr->vintid | (uint32_t)lr->cpuid << 10;
	return lr->vintid;
}

uint32_t gic_vif_hppi(struct gic *gic, struct gic_cpu *c, int want_grp)
{
	struct gic_lr lr;
	uint32_t special;

	if (vif_reportable(gic, c, want_grp, &lr, &special) < 0)
		return special;
	return vif_iar_value(gic, &lr);
}

/* @want_grp: -1 for GICV_IAR (GICv2 IAR rules), 0/1 for GICV_AIAR and
 * ICV_IAR0/1_EL1. */
uint32_t gic_vif_acknowledge(struct gic *gic, struct gic_cpu *c, int want_grp)
{
	struct gic_lr lr;
	uint32_t ret;
	int n;

	if (!(c->vif.hcr & GICH_HCR_EN))
		return GIC_SPURIOUS;
	n = vif_reportable(gic, c, want_grp, &lr, &ret);
	if (n < 0)
		return ret;
	unsigned gprio = vif_gprio(gic, c, lr.prio, lr.group1);
	if (gprio >= gic_vif_running(gic, c))
		return GIC_SPURIOUS;
	/* GICv2 has one GICH_APR for both groups */
	gic_apr_set(c->vif.apr, gic->cfg.version == GIC_V2 ? 0 : lr.group1, gprio,
		    gic->vpre_bits);
	ret = vif_iar_value(gic, &lr);
	/* §5.6: a bogus vINTID goes pending -> invalid and is returned */
	lr.state = gic->cfg.version == GIC_V3 && gic_intid_special(lr.vintid) ? LR_INVALID
										 : LR_ACTIVE;
	lr_put(gic, c, (unsigned)n, &lr);
	gic_trace(gic, GIC_TR_VACK, c->idx, lr.vintid, (unsigned)n);
	gic_vif_update(gic, c);
	return ret;
}

static int vif_find_active(const struct gic *gic, const struct gic_cpu *c,
			   uint32_t vintid)
{
	for (unsigned n = 0; n < gic->cfg.nr_lrs; n++) {
		struct gic_lr lr = lr_get(gic, c, n);

		/* two valid LRs with one vINTID: UNPREDICTABLE, first wins */
		if (lr.vintid == vintid && (lr.state & LR_ACTIVE))
			return (int)n;
	}
	return -1;
}

static void vif_eoicount_inc(struct gic *gic, struct gic_cpu *c, uint32_t vintid)
{
	uint32_t cnt = (uint32_t)GIC_FIELD_GET(c->vif.hcr, GICH_HCR_EOICOUNT_SHIFT,
					       GICH_HCR_EOICOUNT_WIDTH);

	cnt = (cnt + 1) & 0x1f; /* wraps */
	c->vif.hcr = (uint32_t)GIC_FIELD_SET(c->vif.hcr, GICH_HCR_EOICOUNT_SHIFT,
					     GICH_HCR_EOICOUNT_WIDTH, cnt);
	gic_trace(gic, GIC_TR_EOICOUNT, c->idx, vintid, cnt);
}

/* Deactivate LR @n; a HW = 1 LR deactivates its physical interrupt on this
 * CPU's interface (§4.7, §9 item 9). */
static void vif_deactivate_lr(struct gic *gic, struct gic_cpu *c, unsigned n)
{
	struct gic_lr lr = lr_get(gic, c, n);

	lr.state = (enum gic_lr_state)(lr.state & ~LR_ACTIVE);
	lr_put(gic, c, n, &lr);
	gic_trace(gic, GIC_TR_VDEACTIVATE, c->idx, lr.vintid, n);
	if (lr.hw) {
		/* PhysicalID of an SGI or a special ID: UNPREDICTABLE, QEMU
		 * ignores it (§4.3) */
		if (lr.pintid >= GIC_NR_SGI && lr.pintid < GIC_MAX_IRQS) {
			gic_trace(gic, GIC_TR_PHYS_DEACTIVATE, c->idx, lr.pintid, n);
			gic_deactivate(gic, c, lr.pintid);
		}
	}
}

/* Drop the highest active virtual priority: the lowest set bit over both
 * groups, Group 0 first on a tie (QEMU icv_drop_prio). Returns the dropped
 * priority or GIC_PRIO_IDLE. */
static unsigned vif_drop(struct gic *gic, struct gic_cpu *c)
{
	unsigned nregs = gic_apr_nregs(gic->vpre_bits);

	for (unsigned i = 0; i < nregs; i++) {
		uint32_t *a0 = &c->vif.apr[0][i], *a1 = &c->vif.apr[1][i];
		unsigned b0 = *a0 ? (unsigned)__builtin_ctz(*a0) : 32;
		unsigned b1 = *a1 ? (unsigned)__builtin_ctz(*a1) : 32;

		if (b0 == 32 && b1 == 32)
			continue;
		if (b0 <= b1) {
			*a0 &= *a0 - 1;
			return (i * 32 + b0) << (8 - gic->vpre_bits);
		}
		*a1 &= *a1 - 1;
		return (i * 32 + b1) << (8 - gic->vpre_bits);
	}
	return GIC_PRIO_IDLE;
}

/*
 * Guest EOI (GICV_EOIR/AEOIR, ICV_EOIR0/1_EL1). @grp: the register's
 * group on v3, -1 on v2. Priority drop first (an IMPLEMENTATION DEFINED
 * order QEMU also chooses); with EOImode 0 also deactivation; an EOI that
 * dropped a priority but names no active LR counts in EOICount (§9 item 8).
 */
void gic_vif_eoi(struct gic *gic, struct gic_cpu *c, uint32_t vintid, int grp)
{
	unsigned dropped;
	int n;

	if (gic_intid_special(vintid)) {
		gic_trace(gic, GIC_TR_BAD_EOI, c->idx, vintid, gic_vif_running(gic, c));
		return; /* spurious IDs are ignored */
	}
	dropped = vif_drop(gic, c);
	if (dropped == GIC_PRIO_IDLE) {
		/* nothing active: CONSTRAINED UNPREDICTABLE whether the LRs
		 * are checked; like QEMU, they are not */
		gic_trace(gic, GIC_TR_BAD_EOI, c->idx, vintid, GIC_PRIO_IDLE);
		gic_vif_update(gic, c);
		return;
	}
	n = vif_find_active(gic, c, vintid);
	gic_trace(gic, GIC_TR_VEOI, c->idx, vintid, n);
	if (n < 0) {
		vif_eoicount_inc(gic, c, vintid);
	} else if (!(c->vif.vmcr & VMCR_EOIM)) {
		struct gic_lr lr = lr_get(gic, c, (unsigned)n);

		/* v3: only if the LR is the register's group and priority */
		if (grp < 0 || ((int)lr.group1 == grp &&
				vif_gprio(gic, c, lr.prio, lr.group1) == dropped))
			vif_deactivate_lr(gic, c, (unsigned)n);
	}
	gic_vif_update(gic, c);
}

/* GICV_DIR / ICV_DIR_EL1: deactivation when EOImode = 1 (§4.4). */
void gic_vif_deactivate(struct gic *gic, struct gic_cpu *c, uint32_t vintid)
{
	int n;

	if (!(c->vif.vmcr & VMCR_EOIM)) {
		/* DIR with EOImode 0 is UNPREDICTABLE: ignored, traced */
		gic_trace(gic, GIC_TR_BAD_EOI, c->idx, vintid, gic_vif_running(gic, c));
		return;
	}
	if (gic_intid_special(vintid))
		return;
	n = vif_find_active(gic, c, vintid);
	if (n < 0)
		vif_eoicount_inc(gic, c, vintid);
	else
		vif_deactivate_lr(gic, c, (unsigned)n);
	gic_vif_update(gic, c);
}

/* The VMCR as written: binary points below their minima read back at the
 * minimum (writing 0 resets them, §4.2); v3 VFIQEn is RES1 with SRE = 1. */
static uint32_t vmcr_written(const struct gic *gic, uint32_t vmcr)
{
	unsigned min0 = 7 - gic->vpre_bits;
	unsigned bpr0 = (unsigned)GIC_FIELD_GET(vmcr, VMCR_BPR0_SHIFT, 3);
	unsigned bpr1 = (unsigned)GIC_FIELD_GET(vmcr, VMCR_BPR1_SHIFT, 3);

	if (bpr0 < min0)
		vmcr = (uint32_t)GIC_FIELD_SET(vmcr, VMCR_BPR0_SHIFT, 3, min0);
	if (bpr1 < min0 + 1)
		vmcr = (uint32_t)GIC_FIELD_SET(vmcr, VMCR_BPR1_SHIFT, 3, min0 + 1);
	if (gic->cfg.version == GIC_V3)
		vmcr |= VMCR_FIQEN;
	return (vmcr & ~(0xffu << VMCR_PMR_SHIFT)) |
	       (uint32_t)((vmcr >> VMCR_PMR_SHIFT) & gic->vprio_mask) << VMCR_PMR_SHIFT;
}

void gic_vif_set_vmcr(struct gic *gic, struct gic_cpu *c, uint32_t vmcr)
{
	c->vif.vmcr = vmcr_written(gic, vmcr);
	gic_vif_changed(c);
	gic_vif_update(gic, c);
}

/* List register @idx (< nr_lrs) as written: on v3 the priority bits below
 * PRIbits are RES0. */
void gic_vif_store_lr(struct gic *gic, struct gic_cpu *c, unsigned idx, uint64_t val)
{
	if (gic->cfg.version == GIC_V3)
		val &= ~((uint64_t)(uint8_t)~gic->vprio_mask << 48);
	if (c->vif.lr[idx] != val) {
		c->vif.lr[idx] = val;
		gic_vif_changed(c);
	}
}

/* Active-priorities register @idx of group @grp as written: GICH_APR /
 * GICV_APR0 on v2 (one map; RAZ/WI in KVM 4.4's view, and GICV_APR1-3
 * hold nothing), ICH_AP<grp>R<idx>_EL2 on v3 (bits and registers beyond
 * the implemented priority levels RES0). False if nothing is stored. */
bool gic_vif_store_apr(struct gic *gic, struct gic_cpu *c, unsigned grp, unsigned idx,
		       uint64_t val)
{
	unsigned levels = 1u << gic->vpre_bits;

	if (gic->cfg.version == GIC_V2) {
		if (idx || gic->cfg.impl == GIC_IMPL_KVM44)
			return false;
		c->vif.apr[0][0] = (uint32_t)val;
		return true;
	}
	if (idx * 32 >= levels)
		return false;
	c->vif.apr[grp][idx] = (uint32_t)val & (levels < 32 ? (1u << levels) - 1 : ~0u);
	return true;
}

void gic_vif_restore(struct gic *gic, unsigned cpu, const struct gic_vif *from, unsigned grp)
{
	bool v2 = gic->cfg.version == GIC_V2;
	struct gic_cpu *c;
	uint32_t vmcr;

	if (cpu >= gic->cfg.ncpus || !gic->cfg.nr_lrs)
		return;
	c = &gic->cpu[cpu];
	vmcr = vmcr_written(gic, from->vmcr & (v2 ? GICH_VMCR_WMASK : ICH_VMCR_WMASK));
	if (c->vif.vmcr != vmcr) {
		c->vif.vmcr = vmcr;
		gic_vif_changed(c);
	}
	gic_vif_store_apr(gic, c, grp, 0, from->apr[grp][0]);
	for (unsigned n = 0; n < gic->cfg.nr_lrs; n++)
		gic_vif_store_lr(gic, c, n, from->lr[n] & (v2 ? GICH_LR_WMASK : ICH_LR_WMASK));
	c->vif.hcr = from->hcr & (v2 ? GICH_HCR_WMASK : ICH_HCR_WMASK);
	gic_vif_update(gic, c);
}

void gic_vif_save(struct gic *gic, unsigned cpu, struct gic_vif *to, unsigned grp,
		  struct gic_vif_status *st)
{
	const struct gic_vif_scan *s;
	struct gic_cpu *c;

	*st = (struct gic_vif_status){ 0 };
	if (cpu >= gic->cfg.ncpus || !gic->cfg.nr_lrs)
		return;
	c = &gic->cpu[cpu];
	s = vif_scan(gic, c);
	to->vmcr = c->vif.vmcr;
	st->misr = misr_of(c, s);
	st->eisr = s->eisr;
	st->elrsr = s->elrsr;
	/* the APR reads as it was stored (GICH_APR is RAZ in KVM's view) */
	to->apr[grp][0] = gic->cfg.version == GIC_V2 && gic->cfg.impl == GIC_IMPL_KVM44
				  ? 0 : c->vif.apr[grp][0];
	memcpy(to->lr, c->vif.lr, gic->cfg.nr_lrs * sizeof(to->lr[0]));
	c->vif.hcr = 0;
	gic_vif_update(gic, c);
}
