/* SPDX-License-Identifier: MIT */
/*
 * gic_int.h — private state of the GIC model, the register-table
 * descriptor and the core functions the register banks call. Only
 * models/gic/ includes it.
 */
#ifndef KVMSIM_MODELS_GIC_INT_H
#define KVMSIM_MODELS_GIC_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "models/gic/gic.h"
#include "sim/trace.h"

#define GIC_NR_PRIV 32       /* SGIs 0-15 and PPIs 16-31 */
#define GIC_NR_SGI 16
#define GIC_MAX_IRQS 1020    /* INTIDs 1020-1023 are special (§1.1) */
#define GIC_SPURIOUS 1023
#define GIC_V2_MAX_CPUS 8
#define GIC_V3_MAX_CPUS 256
#define GIC_V2_MAX_LRS 64
#define GIC_V3_MAX_LRS 16
#define GIC_PRIO_IDLE 0x100  /* running priority with nothing active */

/* Writable bits of the world-switch registers (§4.2, §5.6): the register
 * tables and gic_vif_restore() both apply them. */
#define GICH_HCR_WMASK 0xF80000FFu
#define GICH_VMCR_WMASK 0xF8FC021Fu
#define GICH_LR_WMASK 0xFF8FFFFFu
#define ICH_HCR_WMASK 0xF8005CFFu
#define ICH_VMCR_WMASK 0xFFFC0213u
#define ICH_LR_WMASK 0xF0FF1FFFFFFFFFFFull

/* Field helpers: a field is (shift, width); names follow the spec. */
#define GIC_FIELD_MASK(s, w) ((((uint64_t)1 << (w)) - 1) << (s))
#define GIC_FIELD_GET(v, s, w) (((uint64_t)(v) >> (s)) & (((uint64_t)1 << (w)) - 1))
#define GIC_FIELD_SET(v, s, w, x)                                              \
	(((uint64_t)(v) & ~GIC_FIELD_MASK(s, w)) |                             \
	 (((uint64_t)(x) << (s)) & GIC_FIELD_MASK(s, w)))

/* GICH_HCR / ICH_HCR_EL2 (§4.2, §5.6) */
#define GICH_HCR_EN (1u << 0)
#define GICH_HCR_UIE (1u << 1)
#define GICH_HCR_LRENPIE (1u << 2)
#define GICH_HCR_NPIE (1u << 3)
#define GICH_HCR_VGRP0EIE (1u << 4)
#define GICH_HCR_VGRP0DIE (1u << 5)
#define GICH_HCR_VGRP1EIE (1u << 6)
#define GICH_HCR_VGRP1DIE (1u << 7)
#define ICH_HCR_TC (1u << 10)
#define ICH_HCR_TALL0 (1u << 11)
#define ICH_HCR_TALL1 (1u << 12)
#define ICH_HCR_TDIR (1u << 14)
#define GICH_HCR_EOICOUNT_SHIFT 27
#define GICH_HCR_EOICOUNT_WIDTH 5

/* GICH_MISR / ICH_MISR_EL2 */
#define GICH_MISR_EOI (1u << 0)
#define GICH_MISR_U (1u << 1)
#define GICH_MISR_LRENP (1u << 2)
#define GICH_MISR_NP (1u << 3)
#define GICH_MISR_VGRP0E (1u << 4)
#define GICH_MISR_VGRP0D (1u << 5)
#define GICH_MISR_VGRP1E (1u << 6)
#define GICH_MISR_VGRP1D (1u << 7)

/* GICH_VMCR and ICH_VMCR_EL2 share their layout, except that v2 keeps
 * only PMR[7:3] (VMPriMask [31:27]) where v3 keeps VPMR [31:24]. */
#define VMCR_ENG0 (1u << 0)
#define VMCR_ENG1 (1u << 1)
#define VMCR_ACKCTL (1u << 2)
#define VMCR_FIQEN (1u << 3)
#define VMCR_CBPR (1u << 4)
#define VMCR_EOIM (1u << 9)
#define VMCR_BPR1_SHIFT 18
#define VMCR_BPR0_SHIFT 21
#define VMCR_PMR_SHIFT 24

/* List-register states (both layouts) */
enum gic_lr_state {
	LR_INVALID = 0,
	LR_PENDING = 1,
	LR_ACTIVE = 2,
	LR_PENDING_ACTIVE = 3,
};

/* A list register decoded; v2 (GICH_LR, §4.3) and v3 (ICH_LR, §5.6)
 * encode it differently, see gic_lr_decode/encode. */
struct gic_lr {
	uint32_t vintid;
	uint32_t pintid; /* HW = 1 */
	uint8_t cpuid;   /* v2, HW = 0: source of a virtual SGI */
	bool eoi;        /* HW = 0: maintenance on deactivation */
	uint8_t prio;    /* full 8-bit priority */
	enum gic_lr_state state;
	bool group1;
	bool hw;
};

/* Per-interrupt state (§1.2). Private interrupts are per CPU. */
struct gic_irq {
	uint8_t priority;
	uint8_t targets;  /* v2 ITARGETSR byte */
	uint8_t sgi_src;  /* v2 SGI: source CPUs with a pending request */
	bool enabled;
	bool latch;       /* edge-captured or software-set pending */
	bool level;       /* input wire */
	bool active;
	bool edge;        /* ICFGR Int_config = 1 */
	bool group1;
	bool grpmod;      /* v3 IGRPMODR */
	int16_t route;    /* v3: CPU index IROUTER names, -1 none */
	uint64_t irouter; /* v3 GICD_IROUTER<n> */
};

/* Virtual CPU interface: GICH/GICV (v2), ICH/ICV (v3). */
struct gic_vif {
	uint32_t hcr;
	uint32_t vmcr;       /* architectural encoding of the version */
	uint32_t apr[2][4];  /* v2: apr[0][0] is GICH_APR; v3: ICH_AP0R/AP1R */
	uint64_t lr[GIC_V2_MAX_LRS]; /* raw GICH_LR / ICH_LR_EL2 */
};

/* What one pass over the list registers finds (gic_virt.c): it depends
 * on them and VMCR only, and is kept until one of them is written (every
 * writer calls gic_vif_changed()). */
struct gic_vif_scan {
	bool ok;
	uint64_t eisr, elrsr;
	unsigned valid;
	bool any_pending;
	int cand; /* the pending LR to present (§4.4), -1 none */
	struct gic_lr cand_lr;
};

/* An event that drives a pair of wires, deferred: their sinks read the
 * levels (wires_change() in gic_core.c). */
struct gic_wire_defer {
	bool on; /* it stands at (t, key) */
	sim_time_t t;
	uint64_t key;
};

struct gic_cpu {
	struct gic *gic;
	unsigned idx;
	struct gic_irq priv[GIC_NR_PRIV];
	uint32_t priv_ready; /* bit n: priv[n] pending, enabled, not active */

	/* physical CPU interface: GICC_* (v2) / ICC_* (v3) */
	bool grp_en[2];     /* GICC_CTLR.EnableGrp0/1, ICC_IGRPEN0/1_EL1 */
	bool fiq_en;        /* GICC_CTLR.FIQEn; v3: Group 0 is FIQ */
	bool ackctl;        /* GICC_CTLR.AckCtl */
	bool cbpr;
	bool eoimode;
	uint32_t ctlr_bypass; /* GICC_CTLR bits 5-8, stored only */
	uint8_t pmr;
	uint8_t bpr[2];     /* BPR (Group 0) and ABPR/BPR1 (Group 1) */
	uint32_t apr[2][4]; /* GICC_APRn/NSAPRn, ICC_AP0Rn/AP1Rn */

	/* v3 redistributor */
	uint64_t mpidr;
	bool processor_sleep; /* GICR_WAKER.ProcessorSleep */
	bool children_asleep; /* GICR_WAKER.ChildrenAsleep */
	struct sim_event waker_ev;

	struct gic_vif vif;
	struct gic_vif_scan scan;

	struct irq_line out[GIC_NR_OUTPUTS];
	bool want[GIC_NR_OUTPUTS]; /* level the state asks for */
	struct sim_event signal_ev;  /* drives IRQ/FIQ after signal_cycles */
	struct sim_event vsignal_ev; /* drives vIRQ/vFIQ after vsignal_cycles */
	struct gic_wire_defer defer[2]; /* each event's deferred stand-in */
};

/* Trace events of the model, from gic_trace.def. */
enum gic_trace_id {
#define GIC_TRACE(id, ...) GIC_TR_##id,
#include "models/gic/gic_trace.def"
#undef GIC_TRACE
	GIC_NR_TRACE
};

struct gic {
	struct sim *sim;
	struct gic_config cfg;
	uint8_t prio_mask;   /* implemented priority bits */
	uint8_t vprio_mask;  /* implemented virtual priority bits */
	unsigned pre_bits;   /* preemption bits: min(prio_bits, 7) */
	unsigned vpre_bits;
	bool grp_en[2];      /* GICD_CTLR.EnableGrp0/1 */
	bool are;            /* v3 GICD_CTLR.ARE (always 1 here) */
	sim_time_t rwp_until;
	struct gic_irq *spi; /* nr_irqs - 32 of them */
	uint64_t *spi_ready; /* bit: SPI pending, enabled, not active */
	uint64_t spi_ready_words; /* bit w: spi_ready[w] is not zero */
	struct gic_cpu *cpu;
	uint64_t counters[GIC_NR_TRACE];
	struct sim_tracepoint tp[GIC_NR_TRACE];
	/* Register lookups memoised (gic_regs.c): the same accesses repeat on
	 * every world switch. */
	struct {
		uint32_t key; /* bank << 24 | off, + 1; 0: empty */
		const struct gic_reg *reg;
	} lookup_cache[256];
	/* Told of every SGI request, even one that merges into a pending SGI
	 * (the VGIC's records count it). Optional. */
	void (*sgi_hook)(void *ctx, unsigned target, unsigned sgi);
	void *sgi_ctx;
};

/* ---- register tables (gic_regs_*.c) ------------------------------------- */

enum {
	GIC_W8 = 1u << 0,
	GIC_W16 = 1u << 1,
	GIC_W32 = 1u << 2,
	GIC_W64 = 1u << 3,
};

enum {
	GIC_R_V2 = 1u << 0,       /* present in GICv2 */
	GIC_R_V3 = 1u << 1,       /* present in GICv3 */
	GIC_R_HW_ONLY = 1u << 2,  /* absent from KVM 4.4's emulated table */
	GIC_R_VIRT = 1u << 3,     /* needs the virtualization extensions */
	GIC_R_IMPL = 1u << 4,     /* reset value depends on the configuration */
	GIC_R_SIDE = 1u << 5,     /* a read has side effects (IAR) */
};

struct gic_reg;
typedef uint64_t gic_read_fn(struct gic *gic, struct gic_cpu *c,
			     const struct gic_reg *r, unsigned idx);
typedef void gic_write_fn(struct gic *gic, struct gic_cpu *c,
			  const struct gic_reg *r, unsigned idx, uint64_t val);
typedef uint32_t gic_get_irq_fn(struct gic *gic, struct gic_cpu *c,
				const struct gic_reg *r, unsigned intid);
typedef void gic_set_irq_fn(struct gic *gic, struct gic_cpu *c,
			    const struct gic_reg *r, unsigned intid, uint32_t field);

/*
 * One register, or a bank of equal registers (APRn, LRn) or a per-IRQ
 * bank (bpi > 0). Tables are sorted by offset and do not overlap.
 */
struct gic_reg {
	const char *name;
	uint32_t off;
	uint32_t len;    /* bytes (sysreg banks: encodings) covered */
	uint8_t size;    /* natural size of one register in bytes; 1 for
			  * sysreg banks (one encoding each) */
	uint8_t widths;  /* allowed access widths, GIC_W* */
	uint8_t bpi;     /* bits per interrupt for per-IRQ banks */
	uint8_t flags;   /* GIC_R_* */
	uint16_t base;   /* per-IRQ banks: the INTID at off */
	int arg;         /* family handler argument, e.g. set vs clear; ICV:
			  * trap class */
	uint64_t reset;  /* reset value unless GIC_R_IMPL */
	uint64_t wmask;  /* writable bits; 0 with a write hook: read-only */
	gic_read_fn *read;      /* NULL: RAZ */
	gic_write_fn *write;    /* NULL: WI */
	gic_get_irq_fn *get_irq; /* per-IRQ banks */
	gic_set_irq_fn *set_irq;
};

/* arg bit 0 of CPU-interface registers: the register serves Group 1 */
#define GIC_ARG_G1 1

static inline unsigned gic_reg_group(const struct gic_reg *r)
{
	return (unsigned)r->arg & GIC_ARG_G1;
}

struct gic_bank_desc {
	const struct gic_reg *regs;
	size_t n;
};

extern const struct gic_bank_desc gic_dist_bank, gic_cpu_bank, gic_hyp_bank,
	gic_vcpu_bank, gic_redist_bank, gic_icc_bank, gic_icv_bank;

/* ICV: whether ICH_HCR_EL2 traps this access to EL2 (gic_regs_sysreg.c) */
bool gic_icv_traps(const struct gic *gic, const struct gic_cpu *c,
		   const struct gic_reg *r);

const struct gic_reg *gic_reg_lookup(const struct gic_config *cfg, enum gic_bank bank,
				     uint32_t off);

/*
 * For a caller that makes the same access over and over (a driver's
 * acknowledge and EOI): a @size-byte access at @off of @bank, resolved
 * once. gic_ref_read()/gic_ref_write() then make exactly the access
 * gic_read()/gic_write() would (an ICV register still traps as ICH_HCR_EL2
 * says), without looking the register up again. An access that is not a
 * plain register read or write (unmapped, a wrong width, a per-IRQ bank)
 * goes through gic_read()/gic_write() each time.
 */
struct gic_reg_ref {
	const struct gic_reg *r; /* NULL: not resolved */
	uint32_t off;
	enum gic_bank bank;
	unsigned size;
};
void gic_reg_ref_init(const struct gic *gic, enum gic_bank bank, uint32_t off, unsigned size,
		      struct gic_reg_ref *ref);
uint64_t gic_ref_read(struct gic *gic, const struct gic_reg_ref *ref, unsigned cpu);
void gic_ref_write(struct gic *gic, const struct gic_reg_ref *ref, unsigned cpu, uint64_t val);

/* Handlers shared by GICC and ICC (gic_regs_cpu.c) and by GICH and ICH
 * (gic_regs_virt.c). */
gic_read_fn gic_cpu_read_pmr, gic_cpu_read_rpr, gic_cpu_read_apr, gic_vif_read_hcr,
	gic_vif_read_vmcr, gic_vif_read_misr, gic_vif_read_lrsr, gic_vif_read_lr,
	gic_vif_read_pmr, gic_vif_read_rpr, gic_vif_read_vtr;
gic_write_fn gic_cpu_write_pmr, gic_cpu_write_apr, gic_cpu_write_dir, gic_vif_write_hcr,
	gic_vif_write_vmcr, gic_vif_write_lr, gic_vif_write_pmr, gic_vif_write_dir;

/* The INTID field of acknowledge, EOI and DIR registers: 10 bits on GICv2
 * (GICC/GICV, §3.2), 24 on GICv3 (ICC/ICV, §5.5). */
static inline uint32_t gic_intid_mask(const struct gic *gic)
{
	return gic->cfg.version == GIC_V2 ? 0x3ffu : 0xffffffu;
}

/* Per-IRQ family handlers shared by GICD and the GICR SGI frame
 * (gic_regs_dist.c). */
gic_get_irq_fn gic_get_group, gic_get_enable, gic_get_pending, gic_get_active,
	gic_get_priority, gic_get_config, gic_get_grpmod;
gic_set_irq_fn gic_set_group, gic_set_enable, gic_set_pending, gic_set_active,
	gic_set_priority, gic_set_config, gic_set_grpmod;

/* ---- gic_core.c ---------------------------------------------------------- */

void gic_trace(struct gic *gic, enum gic_trace_id id, unsigned cpu, uint64_t a,
	       uint64_t b);

/* The state of INTID @intid as CPU @c sees it; NULL beyond nr_irqs. */
struct gic_irq *gic_irq_of(struct gic *gic, struct gic_cpu *c, unsigned intid);

/* INTIDs 1020-1023: spurious and the other special IDs (§1.1) */
static inline bool gic_intid_special(uint32_t intid)
{
	return intid >= 1020 && intid <= 1023;
}

static inline bool gic_irq_is_pending(const struct gic_irq *irq)
{
	return irq->latch || (!irq->edge && irq->level);
}

/* The one update path: after any change to INTID @intid as seen by @c,
 * recompute its candidacy and the outputs of every CPU it can reach. */
void gic_irq_update(struct gic *gic, struct gic_cpu *c, unsigned intid);
/* Recompute CPU @c's physical outputs (after CPU-interface changes). */
void gic_cpu_update(struct gic *gic, struct gic_cpu *c);
/* Recompute every CPU (distributor-wide changes). */
void gic_update_all(struct gic *gic);

/* SPI routing (v2 targets or v3 route) names CPU @c. */
bool gic_spi_targets(const struct gic *gic, const struct gic_irq *irq, unsigned c);
void gic_spi_set_route(struct gic *gic, unsigned intid, uint64_t irouter);

/* Priority arithmetic (§1.5) over an APR set of @pre preemption bits. */
uint32_t gic_gprio_mask(unsigned bpr, bool group1, bool cbpr, unsigned bpr0);
/* The APR registers of a group that hold levels: one per 32 (those beyond
 * are RAZ/WI and stay zero). */
static inline unsigned gic_apr_nregs(unsigned pre_bits)
{
	return ((1u << pre_bits) + 31) / 32;
}
unsigned gic_apr_group_running(const uint32_t apr[4], unsigned pre_bits);
unsigned gic_apr_running(const uint32_t (*apr)[4], unsigned pre_bits);
void gic_apr_set(uint32_t apr[2][4], unsigned grp, unsigned gprio, unsigned pre_bits);
bool gic_apr_drop(uint32_t apr[2][4], unsigned grp, unsigned nregs);

/* Physical CPU interface operations shared by GICC and ICC (§3.3, §3.4). */
int gic_hppi(struct gic *gic, struct gic_cpu *c, uint8_t *prio);
uint32_t gic_acknowledge(struct gic *gic, struct gic_cpu *c, int grp, bool v2_iar);
void gic_priority_drop(struct gic *gic, struct gic_cpu *c, unsigned grp);
void gic_deactivate(struct gic *gic, struct gic_cpu *c, uint32_t intid);
unsigned gic_cpu_group_prio(const struct gic *gic, const struct gic_cpu *c,
			    unsigned prio, bool group1);
void gic_sgi_generate(struct gic *gic, struct gic_cpu *src, unsigned sgi,
		      unsigned target, bool group1);
void gic_sgi1r(struct gic *gic, struct gic_cpu *src, uint64_t val, bool group1);
/* The firmware's GICR_WAKER handshake at boot, without simulated time. */
void gic_host_wake(struct gic *gic, unsigned cpu);

/* Virtual interface (gic_virt.c), shared by GICH/GICV and ICH/ICV. */
struct gic_lr gic_lr_decode(const struct gic *gic, uint64_t raw);
uint64_t gic_lr_encode(const struct gic *gic, const struct gic_lr *lr);
uint32_t gic_vif_misr(const struct gic *gic, const struct gic_cpu *c);
uint64_t gic_vif_eisr(const struct gic *gic, const struct gic_cpu *c);
uint64_t gic_vif_elrsr(const struct gic *gic, const struct gic_cpu *c);
void gic_vif_update(struct gic *gic, struct gic_cpu *c);
/* A list register or VMCR of @c was written: its scan is stale. */
static inline void gic_vif_changed(struct gic_cpu *c)
{
	c->scan.ok = false;
}
uint32_t gic_vif_acknowledge(struct gic *gic, struct gic_cpu *c, int grp);
uint32_t gic_vif_hppi(struct gic *gic, struct gic_cpu *c, int grp);
void gic_vif_eoi(struct gic *gic, struct gic_cpu *c, uint32_t intid, int grp);
void gic_vif_deactivate(struct gic *gic, struct gic_cpu *c, uint32_t intid);
unsigned gic_vif_running(const struct gic *gic, const struct gic_cpu *c);
uint8_t gic_vif_bpr(const struct gic *gic, const struct gic_cpu *c, unsigned grp);
void gic_vif_set_vmcr(struct gic *gic, struct gic_cpu *c, uint32_t vmcr);
void gic_vif_store_lr(struct gic *gic, struct gic_cpu *c, unsigned idx, uint64_t val);
bool gic_vif_store_apr(struct gic *gic, struct gic_cpu *c, unsigned grp, unsigned idx,
		       uint64_t val);
void gic_vif_drive(struct gic *gic, struct gic_cpu *c);

/* What a world-switch save reads besides the state it saves. */
struct gic_vif_status {
	uint32_t misr;
	uint64_t eisr, elrsr;
};

/*
 * The world switch of CPU @cpu's virtual interface, as KVM's save and
 * restore make it, one register access after another at one instant:
 * gic_vif_restore() writes VMCR, the APR of group @grp (GICH_APR on v2,
 * ICH_AP<grp>R0_EL2 on v3), every list register and HCR from @from;
 * gic_vif_save() reads VMCR, MISR, EISR, ELRSR, that APR and every list
 * register (into @to and @st) and writes 0 to HCR. Each access has the
 * register's own effect (writable masks, RES0 fields, VMCR's minima), the
 * wires are recomputed once after the last, as the hardware shows them
 * to the next instruction. Other fields of @from / @to are not touched.
 */
void gic_vif_restore(struct gic *gic, unsigned cpu, const struct gic_vif *from, unsigned grp);
void gic_vif_save(struct gic *gic, unsigned cpu, struct gic_vif *to, unsigned grp,
		  struct gic_vif_status *st);

#endif /* KVMSIM_MODELS_GIC_INT_H */
