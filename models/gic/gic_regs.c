// SPDX-License-Identifier: MIT
/*
 * gic_regs.c — the access engine every register bank goes through: table
 * lookup (binary search), access-width rules, per-IRQ banks split into
 * per-interrupt fields, partial accesses of 64-bit registers, writable
 * masks, and RAZ/WI with a trace event for everything a table does not
 * allow.
 */
#include "models/gic/gic_int.h"

static const struct gic_bank_desc *bank_desc(enum gic_bank bank)
{
	static const struct gic_bank_desc *const banks[GIC_NR_BANKS] = {
		[GIC_BANK_DIST] = &gic_dist_bank,
		[GIC_BANK_CPU] = &gic_cpu_bank,
		[GIC_BANK_HYP] = &gic_hyp_bank,
		[GIC_BANK_VCPU] = &gic_vcpu_bank,
		[GIC_BANK_REDIST] = &gic_redist_bank,
		[GIC_BANK_ICC] = &gic_icc_bank,
		[GIC_BANK_ICV] = &gic_icv_bank,
	};

	return (unsigned)bank < GIC_NR_BANKS ? banks[bank] : NULL;
}

/* Which banks a configuration has. */
static bool bank_present(const struct gic_config *cfg, enum gic_bank bank)
{
	bool v2 = cfg->version == GIC_V2;
	bool virt = cfg->nr_lrs > 0;

	switch (bank) {
	case GIC_BANK_DIST:
		return true;
	case GIC_BANK_CPU:
		return v2 && cfg->impl == GIC_IMPL_HW;
	case GIC_BANK_HYP:
	case GIC_BANK_VCPU:
		return v2 && virt;
	case GIC_BANK_REDIST:
		return !v2;
	case GIC_BANK_ICC:
		return !v2 && cfg->impl == GIC_IMPL_HW;
	case GIC_BANK_ICV:
		return !v2 && virt;
	default:
		return false;
	}
}

const struct gic_reg *gic_reg_lookup(const struct gic_config *cfg, enum gic_bank bank,
				     uint32_t off)
{
	const struct gic_bank_desc *b = bank_desc(bank);
	size_t lo = 0, hi;
	unsigned vflag = cfg->version == GIC_V2 ? GIC_R_V2 : GIC_R_V3;

	if (!b || !bank_present(cfg, bank))
		return NULL;
	hi = b->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct gic_reg *r = &b->regs[mid];

		if (off < r->off) {
			hi = mid;
		} else if (off - r->off >= r->len) {
			lo = mid + 1;
		} else {
			if (!(r->flags & vflag))
				return NULL;
			if ((r->flags & GIC_R_HW_ONLY) && cfg->impl == GIC_IMPL_KVM44)
				return NULL;
			if ((r->flags & GIC_R_VIRT) && !cfg->nr_lrs)
				return NULL;
			return r;
		}
	}
	return NULL;
}

bool gic_has_reg(const struct gic_config *cfg, enum gic_bank bank, uint32_t off)
{
	return gic_reg_lookup(cfg, bank, off) != NULL;
}

static unsigned width_bit(unsigned size)
{
	switch (size) {
	case 1:
		return GIC_W8;
	case 2:
		return GIC_W16;
	case 4:
		return GIC_W32;
	case 8:
		return GIC_W64;
	default:
		return 0;
	}
}

/* INTIDs a per-IRQ bank access covers that have state: below nr_irqs,
 * and in a v3 distributor not the private ones (RAZ/WI with ARE, §5.2). */
static bool irq_in_bank(const struct gic *gic, enum gic_bank bank, unsigned intid)
{
	if (intid >= gic->cfg.nr_irqs || intid >= GIC_MAX_IRQS)
		return false;
	if (bank == GIC_BANK_DIST && gic->cfg.version == GIC_V3 && intid < GIC_NR_PRIV)
		return false;
	return true;
}

static enum gic_access access(struct gic *gic, enum gic_bank bank, unsigned cpu,
			      uint32_t off, unsigned size, uint64_t *val, bool write)
{
	const struct gic_reg *r = NULL;
	struct gic_cpu *c;
	uint64_t v = write ? *val : 0;

	if (cpu < gic->cfg.ncpus) {
		/* the table answer depends only on the configuration: memoise
		 * it, NULL answers included */
		uint32_t key = ((uint32_t)bank << 24 | (off & 0xffffff)) + 1;
		unsigned h = (key * 2654435761u) >> 24;

		if (off <= 0xffffff && gic->lookup_cache[h].key == key) {
			r = gic->lookup_cache[h].reg;
		} else {
			r = gic_reg_lookup(&gic->cfg, bank, off);
			if (off <= 0xffffff) {
				gic->lookup_cache[h].key = key;
				gic->lookup_cache[h].reg = r;
			}
		}
	}
	if (!r) {
		gic_trace(gic, GIC_TR_BAD_ACCESS, cpu, off, size);
		*val = 0;
		return GIC_ACCESS_UNMAPPED;
	}
	/* sysreg banks are accessed 64 bits at a time, one encoding each */
	bool sysreg = r->size == 1;
	if (sysreg ? size != 8 : !(r->widths & width_bit(size)) || off % size) {
		gic_trace(gic, GIC_TR_BAD_ACCESS, cpu, off, size);
		*val = 0;
		return GIC_ACCESS_WIDTH;
	}
	c = &gic->cpu[cpu];
	if (bank == GIC_BANK_ICV && gic_icv_traps(gic, c, r)) {
		*val = write ? *val : 0;
		return GIC_ACCESS_TRAP;
	}
	if (r->bpi) {
		unsigned first = (off - r->off) * 8 / r->bpi;
		unsigned n = size * 8 / r->bpi;
		uint32_t fmask = (uint32_t)((1ull << r->bpi) - 1);
		unsigned base = r->base;

		for (unsigned i = 0; i < n; i++) {
			unsigned intid = base + first + i;

			if (!irq_in_bank(gic, bank, intid))
				continue;
			if (write)
				r->set_irq(gic, c, r, intid,
					   (uint32_t)(v >> (i * r->bpi)) & fmask);
			else
				v |= (uint64_t)(r->get_irq(gic, c, r, intid) & fmask)
				     << (i * r->bpi);
		}
		*val = write ? *val : v;
		return GIC_ACCESS_OK;
	}
	unsigned idx = sysreg ? off - r->off : (off - r->off) / r->size;
	unsigned sub = sysreg ? 0 : (off - r->off) % r->size * 8;
	uint64_t smask = size == 8 ? ~0ull : ((1ull << (size * 8)) - 1);

	if (!write) {
		uint64_t full = r->read ? r->read(gic, c, r, idx) : 0;

		*val = (full >> sub) & smask;
		return GIC_ACCESS_OK;
	}
	if (!r->write)
		return GIC_ACCESS_OK; /* read-only: WI */
	if (!sysreg && size < r->size) {
		/* a 32-bit half of a 64-bit register: merge with the rest */
		uint64_t full = r->read ? r->read(gic, c, r, idx) : 0;

		v = (full & ~(smask << sub)) | ((v & smask) << sub);
	}
	r->write(gic, c, r, idx, v & r->wmask);
	return GIC_ACCESS_OK;
}

void gic_reg_ref_init(const struct gic *gic, enum gic_bank bank, uint32_t off, unsigned size,
		      struct gic_reg_ref *ref)
{
	const struct gic_reg *r = gic_reg_lookup(&gic->cfg, bank, off);

	*ref = (struct gic_reg_ref){ .off = off, .bank = bank, .size = size };
	if (!r || r->bpi)
		return;
	if (r->size == 1 ? size != 8 : size != r->size || off % size)
		return;
	ref->r = r;
}

/* The register's index: a resolved access covers one whole register, no
 * shift, no merge. */
static unsigned ref_idx(const struct gic_reg_ref *ref)
{
	const struct gic_reg *r = ref->r;

	return r->size == 1 ? ref->off - r->off : (ref->off - r->off) / r->size;
}

uint64_t gic_ref_read(struct gic *gic, const struct gic_reg_ref *ref, unsigned cpu)
{
	const struct gic_reg *r = ref->r;
	struct gic_cpu *c;
	uint64_t v = 0;

	if (!r || cpu >= gic->cfg.ncpus) {
		gic_read(gic, ref->bank, cpu, ref->off, ref->size, &v);
		return v;
	}
	c = &gic->cpu[cpu];
	if (ref->bank == GIC_BANK_ICV && gic_icv_traps(gic, c, r))
		return 0;
	v = r->read ? r->read(gic, c, r, ref_idx(ref)) : 0;
	return r->size == 1 || r->size == 8 ? v : v & ((UINT64_C(1) << (r->size * 8)) - 1);
}

void gic_ref_write(struct gic *gic, const struct gic_reg_ref *ref, unsigned cpu, uint64_t val)
{
	const struct gic_reg *r = ref->r;
	struct gic_cpu *c;

	if (!r || cpu >= gic->cfg.ncpus) {
		gic_write(gic, ref->bank, cpu, ref->off, ref->size, val);
		return;
	}
	c = &gic->cpu[cpu];
	if (ref->bank == GIC_BANK_ICV && gic_icv_traps(gic, c, r))
		return;
	if (r->write)
		r->write(gic, c, r, ref_idx(ref), val & r->wmask);
}

enum gic_access gic_read(struct gic *gic, enum gic_bank bank, unsigned cpu,
			 uint32_t off, unsigned size, uint64_t *val)
{
	return access(gic, bank, cpu, off, size, val, false);
}

enum gic_access gic_write(struct gic *gic, enum gic_bank bank, unsigned cpu,
			  uint32_t off, unsigned size, uint64_t val)
{
	return access(gic, bank, cpu, off, size, &val, true);
}
