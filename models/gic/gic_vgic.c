// SPDX-License-Identifier: MIT
/*
 * gic_vgic.c — KVM's VGIC as software on the hardware (gic.md §6): the
 * guest's distributor (a GIC model in its KVM 4.4 form), the per-vCPU
 * pending list ("ap_list") with the target oracle, queueing and kicks, the
 * list-register flush before entry and sync after exit through the
 * physical GICH / ICH registers at the profile's cost per access,
 * overflow with underflow maintenance, EOI maintenance and the re-sampling
 * of level interrupts, forwarded (HW = 1) interrupts, the 4.4 arch timer,
 * the guest's GIC driver, and the emulation of trapped guest accesses.
 *
 * The algorithm is the 2016 rewrite's (vgic_target_oracle,
 * vgic_queue_irq_unlock, vgic_flush_lr_state, fold, prune), with the
 * 4.4 arch-timer contract (§6.4) and a 4.4-style save/restore that reads
 * and writes the whole GICH state on every exit and entry (§8.2 derives
 * the per-access costs from it).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "models/alloc.h"
#include "models/gic/gic_host_int.h"

/* the guest's CPU interface (GICV §4.4 / ICV §5.6) */
#define GICV_IAR 0x0C
#define GICV_EOIR 0x10
#define ICC_IAR1_EL1 GIC_SYSREG(3, 0, 12, 12, 0)
#define ICC_EOIR1_EL1 GIC_SYSREG(3, 0, 12, 12, 1)
#define ICC_SGI1R_EL1 GIC_SYSREG(3, 0, 12, 11, 5)
#define GICD_SGIR 0xF00
#define GICD_ISACTIVER 0x300
#define GICD_ICACTIVER 0x380
#define GICR_ISACTIVER0 (0x10000 + 0x300)
#define GICR_ICACTIVER0 (0x10000 + 0x380)

/* An interrupt on its way (struct vgic_record while open). */
enum journey_state { J_NONE, J_OPEN, J_HANDLING };

struct journey {
	enum journey_state state;
	bool level_eoi; /* completion waits for EOI maintenance */
	struct vgic_record r;
	uint64_t exits0;
	/* an assertion while the guest handles the previous one: the next
	 * journey, opened when the current completes */
	bool next;
	sim_time_t next_assert;
	uint32_t next_coalesced;
};

struct vgic_vcpu {
	struct vgic *vg;
	unsigned idx;
	struct cpu_vcpu *cpu;
	uint16_t *ap;       /* the ap_list, INTIDs in insertion order */
	unsigned nap;
	uint32_t on_ap;     /* private INTIDs on the list */
	unsigned used;      /* LRs written at the last flush */
	bool loaded;        /* between flush and sync */
	bool started;       /* KVM_RUN was called */
	bool booted;        /* its guest set its GIC up */
	sim_time_t synced;  /* its last sync began: its last exit was done */
	uint8_t remote;     /* another pCPU queued onto it: the lines its next
			     * flush fetches back (line_cycles()) */
	uint32_t iar;       /* the guest driver's last acknowledge value */
	/* the EL1 virtual timer: CNTV_CTL_EL0 and CNTV_CVAL_EL0 */
	struct {
		uint64_t cval;     /* compared with the virtual count */
		uint32_t ctl;      /* ENABLE and IMASK; ISTATUS is derived */
		sim_time_t expiry; /* when the virtual count reaches cval */
		bool out;       /* the timer's output, as last given to the VGIC */
		/* armed at least once: before that, a world switch has nothing
		 * to do for the timer (no event, output low, PPI 27 idle) */
		bool used;
		struct sim_event ev;
	} timer;
	uint16_t lr_intid[GIC_V2_MAX_LRS]; /* each LR's INTID (the first @used hold one) */
	uint16_t hw_map[GIC_NR_PRIV]; /* vINTID -> pINTID + 1 (0: none) */
	/* last: a world switch touches few of them; each in two cache lines */
	struct journey jpriv[GIC_NR_PRIV] __attribute__((aligned(64)));
};

struct vgic {
	struct gic_host *host;
	struct gic *vdist;
	struct gic_reg_ref r_iar, r_eoir; /* the guest's, on the host GIC */
	unsigned nvcpus;
	struct vgic_vcpu *v;
	int16_t *spi_owner;  /* vCPU whose ap_list holds the SPI, -1 none */
	uint16_t *spi_hw;    /* SPI -> pINTID + 1 (0: not forwarded) */
	void (*acked)(void *ctx, uint32_t spi);
	void *acked_ctx;
	struct vgic_observer obs;
	struct journey *jspi;
	sim_time_t assert_hint; /* the trapping write's time while emulating */
	struct sim_clock counter; /* the system counter (CNTPCT) */
	uint64_t cntvoff;    /* CNTVOFF_EL2, one for the VM (4.4) */
	sim_time_t emul_kick;   /* when the emulation's kicks leave */
	uint64_t xfer_cycles;   /* cache-line transfers of queue() so far */
	unsigned emul_from;     /* and from which pCPU */
	bool booted;         /* the guest set its distributor up */
	struct vgic_stats stats;
};

static const struct gic_host_profile *prof(const struct vgic *vg)
{
	return vg->host->prof;
}

static bool is_v2(const struct vgic *vg)
{
	return vg->vdist->cfg.version == GIC_V2;
}

static struct gic_cpu *vcpu_if(struct vgic *vg, unsigned c)
{
	return &vg->vdist->cpu[c];
}

static struct gic_irq *virq(struct vgic *vg, unsigned c, unsigned intid)
{
	return gic_irq_of(vg->vdist, vcpu_if(vg, c), intid);
}

static sim_time_t now(const struct vgic *vg)
{
	return sim_now(vg->vdist->sim);
}

/* ---- journeys ------------------------------------------------------------------------ */

static struct journey *journey(struct vgic *vg, unsigned c, unsigned intid)
{
	if (intid < GIC_NR_PRIV)
		return &vg->v[c].jpriv[intid];
	if (intid < vg->vdist->cfg.nr_irqs && intid < GIC_MAX_IRQS)
		return &vg->jspi[intid - GIC_NR_PRIV];
	return NULL;
}

/* An assertion of @intid for vCPU @c at @t: opens a journey, or merges. */
static void journey_assert(struct vgic *vg, unsigned c, unsigned intid, sim_time_t t)
{
	struct journey *j = journey(vg, c, intid);

	if (!j)
		return;
	if (j->state == J_OPEN) {
		j->r.coalesced++;
		return;
	}
	if (j->state == J_HANDLING) {
		if (j->next) {
			j->next_coalesced++;
		} else {
			j->next = true;
			j->next_assert = t;
		}
		return; /* opens when the current one completes */
	}
	memset(j, 0, sizeof(*j));
	j->state = J_OPEN;
	j->r.vcpu = c;
	j->r.intid = intid;
	j->r.t_assert = t;
}

/* The interrupt of @j completed at @t_done: the guest's EOI write done, or
 * the sync that processed its EOI maintenance. */
static void journey_done(struct vgic *vg, struct journey *j, sim_time_t t_done)
{
	struct vgic_record done = j->r;
	bool next = j->next;
	sim_time_t t = j->next_assert;
	uint32_t coalesced = j->next_coalesced;

	done.t_done = t_done;
	j->state = J_NONE;
	j->next = false;
	if (next) {
		journey_assert(vg, done.vcpu, done.intid, t);
		j->r.coalesced = coalesced;
		j->exits0 = cpu_vcpu_stats(vg->v[done.vcpu].cpu)->exits;
	}
	if (vg->obs.record)
		vg->obs.record(vg->obs.ctx, &done);
}

/* ---- the oracle, queueing and kicks (§6.5) ---------------------------------------- */

static int owner_of(struct vgic *vg, unsigned c, unsigned intid)
{
	if (intid < GIC_NR_PRIV)
		return (vg->v[c].on_ap >> intid & 1) ? (int)c : -1;
	return vg->spi_owner[intid - GIC_NR_PRIV];
}

static int target_of(struct vgic *vg, unsigned c, unsigned intid, const struct gic_irq *irq)
{
	if (intid < GIC_NR_PRIV)
		return (int)c;
	if (is_v2(vg))
		return irq->targets ? __builtin_ctz(irq->targets) : -1;
	return irq->route;
}

/* vgic_target_oracle(): where the interrupt belongs, or -1. */
static int oracle(struct vgic *vg, unsigned c, unsigned intid)
{
	struct gic_irq *irq = virq(vg, c, intid);
	int owner = owner_of(vg, c, intid);

	if (irq->active)
		return owner >= 0 ? owner : target_of(vg, c, intid, irq);
	if (irq->enabled && gic_irq_is_pending(irq) && vg->vdist->grp_en[irq->group1])
		return target_of(vg, c, intid, irq);
	return -1;
}

static void ap_add(struct vgic *vg, unsigned t, unsigned intid)
{
	struct vgic_vcpu *v = &vg->v[t];

	v->ap[v->nap++] = (uint16_t)intid;
	if (intid < GIC_NR_PRIV)
		v->on_ap |= 1u << intid;
	else
		vg->spi_owner[intid - GIC_NR_PRIV] = (int16_t)t;
}

static void ap_del(struct vgic *vg, unsigned c, unsigned i)
{
	struct vgic_vcpu *v = &vg->v[c];
	unsigned intid = v->ap[i];

	memmove(&v->ap[i], &v->ap[i + 1], (v->nap - i - 1) * sizeof(v->ap[0]));
	v->nap--;
	if (intid < GIC_NR_PRIV)
		v->on_ap &= ~(1u << intid);
	else
		vg->spi_owner[intid - GIC_NR_PRIV] = -1;
}

/*
 * The cache lines a queueing from another pCPU moves (the VGIC's data of
 * a vCPU lives in the caches of the pCPU that runs it): the interrupt's
 * state with its lock, and the vCPU's requests and mode that the kick
 * reads; an insertion also takes the ap_list's lock and head (4.4: the
 * distributor's lock and pending bitmap). The queueing pCPU fetches them,
 * and the vCPU's pCPU fetches them back at its next flush. Each costs the
 * profile's core-to-core transfer.
 */
static uint64_t line_cycles(const struct vgic *vg, unsigned lines)
{
	return lines * (uint64_t)prof(vg)->line_xfer;
}

/*
 * vgic_queue_irq_unlock(): put the interrupt on its target's list and kick
 * that vCPU; nothing if it belongs nowhere. An interrupt already on a list
 * stays there, but its vCPU is kicked all the same: the 2016 rewrite did
 * not (gic.md §6.5, §9.13), and a new edge of an interrupt whose LR the
 * busy guest had already completed then waited for an unrelated exit
 * forever; upstream fixed it ("we have to kick the VCPU here, because we
 * could be queueing an edge-triggered interrupt for which we get no EOI
 * maintenance interrupt"), and 4.4's VGIC kicked on every new edge too.
 * tests/test_vgic.c (a_second_edge_to_a_busy_guest_is_delivered) pins it.
 * The kick leaves pCPU @from at time @t.
 */
static void queue(struct vgic *vg, unsigned c, unsigned intid, unsigned from, sim_time_t t,
		  bool injected)
{
	int owner = owner_of(vg, c, intid), target = oracle(vg, c, intid);
	struct journey *j;
	unsigned v;

	if (target < 0 || (unsigned)target >= vg->nvcpus)
		return;
	if (owner >= 0 && !injected)
		return; /* a re-examination: nothing new for its vCPU */
	v = owner >= 0 ? (unsigned)owner : (unsigned)target;
	if (from != cpu_vcpu_pcpu(vg->v[v].cpu) && prof(vg)->line_xfer) {
		/* the lines come first, then the kick */
		uint8_t lines = owner < 0 ? 3 : 2;

		t += cpu_cycles(vg->host->m, line_cycles(vg, lines));
		vg->xfer_cycles += line_cycles(vg, lines);
		if (vg->v[v].remote < lines)
			vg->v[v].remote = lines;
	}
	j = journey(vg, v, intid);
	if (j && injected && j->state == J_NONE) /* a guest's SGI: asserted by its write */
		journey_assert(vg, v, intid, vg->assert_hint ? vg->assert_hint : t);
	if (j && j->state == J_OPEN && !j->r.t_kick) {
		const struct cpu_vcpu *cv = vg->v[v].cpu;

		j->r.t_kick = t;
		j->r.vcpu = v;
		/* an exit already under way since the assertion counts */
		j->exits0 = cpu_vcpu_stats(cv)->exits -
			    (cpu_vcpu_exit_start(cv) >= j->r.t_assert && cpu_vcpu_stats(cv)->exits);
	}
	if (owner < 0) {
		ap_add(vg, v, intid);
		vg->stats.kicks++;
		gic_trace(vg->vdist, GIC_TR_KICK, c, intid, v);
	}
	cpu_vcpu_kick(vg->v[v].cpu, from, t);
}

static void requeue_all(struct vgic *vg, unsigned from, sim_time_t t)
{
	for (unsigned c = 0; c < vg->nvcpus; c++)
		for (unsigned i = 0; i < GIC_NR_PRIV; i++)
			queue(vg, c, i, from, t, false);
	for (unsigned i = GIC_NR_PRIV; i < vg->vdist->cfg.nr_irqs && i < GIC_MAX_IRQS; i++)
		queue(vg, 0, i, from, t, false);
}

void vgic_requeue(struct vgic *vg)
{
	requeue_all(vg, vg->host->npcpus - 1, now(vg));
}

/* The I/O thread runs on the last pCPU. */
static unsigned io_pcpu(const struct vgic *vg)
{
	return vg->host->npcpus - 1;
}

void vgic_inject_after(struct vgic *vg, unsigned cpu, unsigned intid, bool level,
		       uint64_t before, sim_time_t since)
{
	sim_time_t t = now(vg) + cpu_cycles(vg->host->m, before + prof(vg)->cpu.inject);

	vg->stats.injections++;
	gic_trace(vg->vdist, GIC_TR_INJECT, cpu, intid, level);
	gic_set_irq(vg->vdist, cpu, intid, level);
	if (level) {
		journey_assert(vg, cpu, intid, since ? since : now(vg));
		queue(vg, cpu, intid, io_pcpu(vg), t, true);
	}
}

void vgic_inject(struct vgic *vg, unsigned cpu, unsigned intid, bool level)
{
	vgic_inject_after(vg, cpu, intid, level, 0, 0);
}

/* ---- list registers --------------------------------------------------------------- */

static unsigned lr_sources(struct vgic *vg, unsigned intid, const struct gic_irq *irq)
{
	if (is_v2(vg) && intid < GIC_NR_SGI && irq->sgi_src)
		return (unsigned)__builtin_popcount(irq->sgi_src);
	return 1;
}

/* vgic_irq_cmp(): active first, then pending and enabled, then priority;
 * a stable insertion sort keeps list order among equals. */
static bool lr_before(struct vgic *vg, unsigned c, unsigned a, unsigned b)
{
	struct gic_irq *x = virq(vg, c, a), *y = virq(vg, c, b);
	bool px = x->enabled && gic_irq_is_pending(x);
	bool py = y->enabled && gic_irq_is_pending(y);

	if (x->active != y->active)
		return x->active;
	if (px != py)
		return px;
	return x->priority < y->priority;
}

static void sort_ap(struct vgic *vg, unsigned c)
{
	struct vgic_vcpu *v = &vg->v[c];

	for (unsigned i = 1; i < v->nap; i++) {
		uint16_t x = v->ap[i];
		unsigned j = i;

		while (j > 0 && lr_before(vg, c, x, v->ap[j - 1])) {
			v->ap[j] = v->ap[j - 1];
			j--;
		}
		v->ap[j] = x;
	}
}

/* vgic_v2/v3_populate_lr(): the LR owns an edge's pending state from now
 * on; a software level interrupt asks for EOI maintenance; a mapped one
 * is HW = 1 (never pending and active at once). */
static struct gic_lr populate(struct vgic *vg, unsigned c, unsigned intid)
{
	struct gic_irq *irq = virq(vg, c, intid);
	struct gic_lr lr = { .vintid = intid, .prio = irq->priority };
	unsigned pintid = intid < GIC_NR_PRIV ? vg->v[c].hw_map[intid]
					      : vg->spi_hw[intid - GIC_NR_PRIV];

	/* 4.4 v2 list registers carry no group (Group 0); v3 guests are
	 * Group 1 */
	lr.group1 = !is_v2(vg);
	if (gic_irq_is_pending(irq) && irq->enabled) {
		lr.state |= LR_PENDING;
		if (irq->edge) {
			if (is_v2(vg) && intid < GIC_NR_SGI && irq->sgi_src) {
				lr.cpuid = (uint8_t)__builtin_ctz(irq->sgi_src);
				irq->sgi_src &= (uint8_t)(irq->sgi_src - 1);
				irq->latch = irq->sgi_src != 0;
			} else {
				irq->latch = false;
			}
		}
	}
	if (irq->active)
		lr.state |= LR_ACTIVE;
	if (pintid) {
		lr.hw = true;
		lr.pintid = pintid - 1u;
		if (lr.state == LR_PENDING_ACTIVE)
			lr.state = LR_ACTIVE;
	} else if (!irq->edge) {
		lr.eoi = true;
	}
	lr.state = (enum gic_lr_state)lr.state;
	return lr;
}

/* ---- the 4.4 arch timer (§6.4) ------------------------------------------------------ */

/* CNTV_CTL_EL0 bits (ARM ARM D13.8) */
#define CNTV_CTL_ENABLE 1u
#define CNTV_CTL_IMASK 2u
#define CNTV_CTL_ISTATUS 4u

/* kvm_timer_should_fire(): enabled, not masked, and the count reached */
static bool timer_should_fire(const struct vgic_vcpu *v, sim_time_t t)
{
	return (v->timer.ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) == CNTV_CTL_ENABLE &&
	       t >= v->timer.expiry;
}

/* The virtual count at @t: CNTPCT - CNTVOFF, modulo 2^64. */
static uint64_t virtual_count(const struct vgic *vg, sim_time_t t)
{
	return sim_clock_cycles(&vg->counter, t) - vg->cntvoff;
}

/* When the virtual count reaches cval: it counts up from -CNTVOFF at time
 * 0 (taken not to wrap around 2^64 meanwhile). */
static void timer_expiry(const struct vgic *vg, struct vgic_vcpu *v)
{
	uint64_t v0 = -vg->cntvoff;

	v->timer.expiry = v->timer.cval <= v0 ? 0 : sim_clock_time(&vg->counter, v->timer.cval - v0);
}

/* The timer's output changed: tell the VGIC (mapped, level). */
static void timer_update(struct vgic *vg, struct vgic_vcpu *v)
{
	bool out = timer_should_fire(v, now(vg));

	if (out == v->timer.out)
		return;
	v->timer.out = out;
	gic_set_irq(vg->vdist, v->idx, GIC_HOST_VTIMER_PPI, out);
	if (out) {
		journey_assert(vg, v->idx, GIC_HOST_VTIMER_PPI, v->timer.expiry);
		queue(vg, v->idx, GIC_HOST_VTIMER_PPI, cpu_vcpu_pcpu(v->cpu), now(vg), true);
	}
}

/* Expiry: with the guest's context loaded the hardware timer asserts the
 * physical PPI 27 (the guest exits); otherwise KVM's soft timer kicks the
 * vCPU. */
static void timer_fire(struct sim *sim, struct sim_event *ev)
{
	struct vgic_vcpu *v = container_of(ev, struct vgic_vcpu, timer.ev);
	struct vgic *vg = v->vg;

	(void)sim;
	if (v->loaded)
		gic_set_irq(vg->host->gic, cpu_vcpu_pcpu(v->cpu), GIC_HOST_VTIMER_PPI, true);
	else
		cpu_vcpu_kick(v->cpu, cpu_vcpu_pcpu(v->cpu), now(vg));
}

static void timer_arm_event(struct vgic *vg, struct vgic_vcpu *v)
{
	bool armed = (v->timer.ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) == CNTV_CTL_ENABLE;

	sim_cancel(vg->vdist->sim, &v->timer.ev);
	if (armed && v->timer.expiry > now(vg))
		sim_schedule(vg->vdist->sim, &v->timer.ev, v->timer.expiry, SIM_PRIO_DEFAULT);
	else if (armed && v->loaded)
		gic_set_irq(vg->host->gic, cpu_vcpu_pcpu(v->cpu), GIC_HOST_VTIMER_PPI, true);
}

/* The timer's registers changed: its output and its event follow. */
static void timer_changed(struct vgic *vg, struct vgic_vcpu *v)
{
	if (v->timer.ctl & CNTV_CTL_ENABLE)
		v->timer.used = true;
	if (!v->timer.used)
		return;
	if (v->loaded && !timer_should_fire(v, now(vg)))
		gic_set_irq(vg->host->gic, cpu_vcpu_pcpu(v->cpu), GIC_HOST_VTIMER_PPI, false);
	timer_arm_event(vg, v);
	timer_update(vg, v);
}

/* The guest sets CVAL to the first count at or after @at, then enables
 * the timer and unmasks it (Linux's arch_timer_set_next_event()). */
void vgic_timer_arm(struct vgic *vg, unsigned cpu, sim_time_t at)
{
	struct vgic_vcpu *v = &vg->v[cpu];

	v->timer.cval = virtual_count(vg, sim_clock_next_edge(&vg->counter, at));
	v->timer.ctl = CNTV_CTL_ENABLE;
	timer_expiry(vg, v);
	timer_changed(vg, v);
}

uint64_t vgic_timer_get(struct vgic *vg, unsigned cpu, enum vgic_timer_reg reg)
{
	struct vgic_vcpu *v = &vg->v[cpu];

	switch (reg) {
	case VGIC_TIMER_CTL:
		/* ISTATUS: the condition holds, masked or not */
		return v->timer.ctl |
		       ((v->timer.ctl & CNTV_CTL_ENABLE) && now(vg) >= v->timer.expiry
				? CNTV_CTL_ISTATUS
				: 0);
	case VGIC_TIMER_CNT:
		return virtual_count(vg, now(vg));
	case VGIC_TIMER_CVAL:
		return v->timer.cval;
	}
	return 0;
}

/* kvm_arm_timer_set_reg() then kvm_timer_update_state() of 4.4 */
void vgic_timer_set(struct vgic *vg, unsigned cpu, enum vgic_timer_reg reg, uint64_t val)
{
	struct vgic_vcpu *v = &vg->v[cpu];

	switch (reg) {
	case VGIC_TIMER_CTL:
		v->timer.ctl = (uint32_t)val & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
		break;
	case VGIC_TIMER_CNT:
		/* CNTVOFF is the VM's: every vCPU's count moves */
		vg->cntvoff = sim_clock_cycles(&vg->counter, now(vg)) - val;
		for (unsigned c = 0; c < vg->nvcpus; c++) {
			timer_expiry(vg, &vg->v[c]);
			timer_changed(vg, &vg->v[c]);
		}
		return;
	case VGIC_TIMER_CVAL:
		v->timer.cval = val;
		timer_expiry(vg, v);
		break;
	}
	timer_changed(vg, v);
}

/* Physical active state of the timer PPI follows the timer's input to the
 * VGIC (4.4, §6.4). */
static void timer_phys_active(struct vgic *vg, struct vgic_vcpu *v, bool active,
			      uint64_t *cyc)
{
	unsigned p = cpu_vcpu_pcpu(v->cpu);
	uint32_t bit = 1u << GIC_HOST_VTIMER_PPI;

	if (gic_irq_active(vg->host->gic, p, GIC_HOST_VTIMER_PPI) == active)
		return;
	*cyc += prof(vg)->host_write;
	if (is_v2(vg))
		gic_write(vg->host->gic, GIC_BANK_DIST, p, active ? GICD_ISACTIVER : GICD_ICACTIVER,
			  4, bit);
	else
		gic_write(vg->host->gic, GIC_BANK_REDIST, p,
			  active ? GICR_ISACTIVER0 : GICR_ICACTIVER0, 4, bit);
}

/* ---- flush and sync (cpu_irqchip_ops) ------------------------------------------------ */

/* What every flush pays: its base, the timer's, and the world-switch
 * restore (one write each of VMCR, APR, every LR, HCR). */
static uint64_t flush_fixed(const struct gic_host_profile *p)
{
	return p->flush_base + p->timer_sync + (3 + p->nr_lrs) * (uint64_t)p->hyp_write;
}

/* What every sync pays: its base, the timer's, and the world-switch save
 * (one read each of VMCR, MISR, EISR, ELRSR, APR, every LR; HCR = 0). */
static uint64_t sync_fixed(const struct gic_host_profile *p)
{
	return p->sync_base + p->timer_sync + (5 + p->nr_lrs) * (uint64_t)p->hyp_read +
	       p->hyp_write;
}

static uint64_t vgic_flush(void *ctx, struct cpu_vcpu *cv)
{
	struct vgic_vcpu *v = ctx;
	struct vgic *vg = v->vg;
	struct gic_cpu *sh = vcpu_if(vg, v->idx);
	unsigned p = cpu_vcpu_pcpu(cv), nlr = prof(vg)->nr_lrs, n = 0, need = 0;
	uint64_t cyc = flush_fixed(prof(vg));
	bool overflow = false;

	vg->stats.flushes++;
	cyc += line_cycles(vg, v->remote); /* back from the pCPU that queued */
	v->remote = 0;
	/* kvm_timer_flush_hwstate(), before the VGIC */
	if (v->timer.used) {
		timer_update(vg, v);
		timer_phys_active(vg, v, v->timer.out, &cyc);
	}

	for (unsigned i = 0; i < v->nap; i++)
		need += lr_sources(vg, v->ap[i], virq(vg, v->idx, v->ap[i]));
	if (need > nlr)
		sort_ap(vg, v->idx);
	for (unsigned i = 0; i < v->nap && !overflow; i++) {
		unsigned intid = v->ap[i];
		struct gic_irq *irq = virq(vg, v->idx, intid);

		if (oracle(vg, v->idx, intid) != (int)v->idx)
			continue; /* pruned at the next sync */
		do {
			if (n == nlr) {
				overflow = true;
				break;
			}
			struct gic_lr lr = populate(vg, v->idx, intid);

			sh->vif.lr[n] = gic_lr_encode(vg->vdist, &lr);
			v->lr_intid[n++] = (uint16_t)intid;
			cyc += prof(vg)->flush_per_lr;
		} while (is_v2(vg) && intid < GIC_NR_SGI && irq->sgi_src && irq->enabled);
	}
	for (unsigned i = n; i < nlr; i++)
		sh->vif.lr[i] = 0;
	v->used = n;
	gic_trace(vg->vdist, GIC_TR_FLUSH, v->idx, n, overflow);
	sh->vif.hcr = GICH_HCR_EN | (overflow ? GICH_HCR_UIE : 0);
	if (overflow)
		vg->stats.overflows++;
	vg->stats.lr_writes += n;

	/* the world-switch restore (its writes counted in flush_fixed()) */
	gic_vif_restore(vg->host->gic, p, &sh->vif, is_v2(vg) ? 0 : 1);
	v->loaded = true;
	if (v->timer.used)
		timer_arm_event(vg, v);
	for (unsigned i = 0; i < n; i++) {
		struct journey *j = journey(vg, v->idx, v->lr_intid[i]);

		if (j && j->state == J_OPEN && !j->r.t_flush) {
			j->r.t_flush = now(vg);
			j->r.t_entry = now(vg) + cpu_cycles(vg->host->m,
							    cpu_vcpu_spread(cv, cyc + prof(vg)->cpu.entry));
		}
	}
	return cyc;
}

/* vgic_v2_fold_lr_state(): the LR's state back into the distributor. */
static void fold(struct vgic *vg, unsigned c, unsigned intid, const struct gic_lr *lr)
{
	struct gic_irq *irq = virq(vg, c, intid);

	irq->active = lr->state & LR_ACTIVE;
	if ((lr->state & LR_PENDING) && irq->edge) {
		irq->latch = true;
		if (is_v2(vg) && intid < GIC_NR_SGI)
			irq->sgi_src |= (uint8_t)(1u << lr->cpuid);
	}
	if (!irq->edge && !(lr->state & LR_PENDING))
		irq->latch = false; /* the guest took it: re-sample the line */
	gic_irq_update(vg->vdist, vcpu_if(vg, c), intid);
}

static uint64_t vgic_sync(void *ctx, struct cpu_vcpu *cv)
{
	struct vgic_vcpu *v = ctx;
	struct vgic *vg = v->vg;
	struct gic_cpu *sh = vcpu_if(vg, v->idx);
	unsigned p = cpu_vcpu_pcpu(cv);
	uint64_t cyc = sync_fixed(prof(vg));
	struct gic_vif_status st;

	vg->stats.syncs++;
	v->synced = now(vg);
	/* kvm_timer_sync_hwstate(), before the VGIC: the hardware timer is
	 * saved and disabled, its output sampled; a later kernel
	 * (timer_in_host) keeps it loaded, and an expired timer's PPI stays
	 * up for the host to take (vgic_host_irq()) */
	bool host_takes = prof(vg)->timer_in_host && v->loaded && v->timer.used &&
			  !v->timer.out && timer_should_fire(v, now(vg));

	v->loaded = false;
	if (v->timer.used) {
		sim_cancel(vg->vdist->sim, &v->timer.ev);
		if (!host_takes) {
			gic_set_irq(vg->host->gic, p, GIC_HOST_VTIMER_PPI, false);
			timer_update(vg, v);
		}
		timer_arm_event(vg, v); /* the soft timer while outside the guest */
	}

	/* the world-switch save (its reads and write counted in sync_fixed()) */
	gic_vif_save(vg->host->gic, p, &sh->vif, is_v2(vg) ? 0 : 1, &st);
	sh->vif.hcr = 0; /* underflow handled: UIE cleared */
	gic_trace(vg->vdist, GIC_TR_SYNC, v->idx, v->used, st.eisr);

	for (unsigned i = 0; i < v->nap; i++) {
		struct journey *j = journey(vg, v->idx, v->ap[i]);

		if (j && j->state == J_OPEN && !j->r.t_flush && !j->r.t_exit) {
			/* the exit that will deliver it */
			j->r.t_signal = cpu_vcpu_exit_start(cv);
			j->r.t_exit = now(vg);
		}
	}
	for (unsigned i = 0; i < v->used; i++) {
		struct gic_lr lr = gic_lr_decode(vg->vdist, sh->vif.lr[i]);
		struct journey *j = journey(vg, v->idx, v->lr_intid[i]);

		fold(vg, v->idx, v->lr_intid[i], &lr);
		if (st.eisr >> i & 1) {
			/* EOI maintenance: a level interrupt completed */
			vg->stats.maint_eoi++;
			if (j && j->state == J_HANDLING && j->level_eoi)
				journey_done(vg, j, now(vg));
			if (vg->acked && v->lr_intid[i] >= GIC_NR_PRIV)
				vg->acked(vg->acked_ctx, v->lr_intid[i] - GIC_NR_PRIV);
		}
	}
	v->used = 0;

	/* vgic_prune_ap_list(): drop what belongs nowhere, move what moved */
	for (unsigned i = 0; i < v->nap;) {
		unsigned intid = v->ap[i];
		int t = oracle(vg, v->idx, intid);

		if (t == (int)v->idx) {
			i++;
			continue;
		}
		ap_del(vg, v->idx, i);
		if (t >= 0)
			queue(vg, v->idx, intid, p,
			      now(vg) + cpu_cycles(vg->host->m, cpu_vcpu_spread(cv, cyc)), false);
	}
	return cyc;
}

static bool vgic_pending(void *ctx, struct cpu_vcpu *cv)
{
	struct vgic_vcpu *v = ctx;
	struct vgic *vg = v->vg;

	(void)cv;
	if (timer_should_fire(v, now(vg)))
		return true;
	for (unsigned i = 0; i < v->nap; i++) {
		struct gic_irq *irq = virq(vg, v->idx, v->ap[i]);

		if (irq->enabled && gic_irq_is_pending(irq))
			return true;
	}
	return false;
}

/* The guest's SGI write reached vCPU @target (sgi_hook of the distributor). */
static void sgi_requested(void *ctx, unsigned target, unsigned sgi)
{
	struct vgic *vg = ctx;
	struct journey *j = journey(vg, target, sgi);

	if (j && j->state == J_OPEN && is_v2(vg)) {
		/* GICv2 keeps one request per source: this one is taken on
		 * its own after the current one, not merged */
		if (j->next) {
			j->next_coalesced++;
		} else {
			j->next = true;
			j->next_assert = vg->assert_hint;
		}
	} else if (j && j->state != J_NONE) {
		journey_assert(vg, target, sgi, vg->assert_hint); /* merges, or next */
	}
	uint64_t before = vg->xfer_cycles;

	queue(vg, target, sgi, vg->emul_from, vg->emul_kick, true);
	/* the next target's kick leaves after this one's lines */
	vg->emul_kick += cpu_cycles(vg->host->m, vg->xfer_cycles - before);
}

/* A trapped guest access of vCPU @v: distributor or redistributor (of
 * vCPU @target) MMIO of @len bytes, or an SGI system register. */
static uint64_t emulate(struct vgic_vcpu *v, enum gic_bank bank, unsigned target, uint32_t off,
			unsigned len, bool write, uint64_t *val)
{
	struct vgic *vg = v->vg;
	struct cpu_vcpu *cv = v->cpu;
	uint64_t cyc = prof(vg)->cpu.emulate;
	unsigned p = cpu_vcpu_pcpu(cv);

	if (!write) {
		gic_read(vg->vdist, bank, target, off, len, val);
		return cyc;
	}
	cyc += prof(vg)->cpu.inject;
	/* the kicks leave after the trap handling and the injection; each
	 * SGI requested is an injection asserted by the guest's write
	 * (sgi_requested) */
	vg->emul_from = p;
	vg->emul_kick =
		now(vg) + cpu_cycles(vg->host->m, cpu_vcpu_spread(cv, prof(vg)->cpu.mmio_trap + cyc));
	vg->xfer_cycles = 0;
	vg->assert_hint = cpu_vcpu_exit_start(cv);
	if (bank == GIC_BANK_ICC && off == ICC_SGI1R_EL1)
		gic_sgi1r(vg->vdist, vcpu_if(vg, v->idx), *val, true);
	else
		gic_write(vg->vdist, bank, target, off, len, *val);
	vg->assert_hint = 0;
	/* an SGI request changed only the SGIs its hook queued; any other
	 * distributor write may have made anything deliverable */
	if (!(bank == GIC_BANK_ICC && off == ICC_SGI1R_EL1) &&
	    !(bank == GIC_BANK_DIST && off == GICD_SGIR))
		requeue_all(vg, p, vg->emul_kick);
	return cyc + vg->xfer_cycles; /* the lines the queueing fetched */
}

static uint64_t vgic_emulate(void *ctx, struct cpu_vcpu *cv, int bank, uint32_t off,
			     bool write, uint64_t *val)
{
	struct vgic_vcpu *v = ctx;

	(void)cv;
	return emulate(v, (enum gic_bank)bank, v->idx, off, 4, write, val);
}

uint64_t vgic_mmio(struct vgic *vg, unsigned cpu, enum gic_bank bank, unsigned target,
		   uint32_t off, unsigned len, bool write, uint64_t *val)
{
	return emulate(&vg->v[cpu], bank, target, off, len, write, val);
}

/* The parts of vgic_flush() and vgic_sync() that every call pays. */
static void vgic_least(void *ctx, uint64_t *flush, uint64_t *sync)
{
	const struct gic_host_profile *p = prof(((struct vgic_vcpu *)ctx)->vg);

	*flush = flush_fixed(p);
	*sync = sync_fixed(p);
}

static const struct cpu_irqchip_ops vgic_irqchip_ops = {
	.flush = vgic_flush,
	.sync = vgic_sync,
	.pending = vgic_pending,
	.emulate = vgic_emulate,
	.least = vgic_least,
};

/* ---- forwarded interrupts --------------------------------------------------------------- */

bool vgic_host_irq(struct vgic *vg, unsigned pcpu, uint32_t id, uint64_t *cycles)
{
	/* kvm_arch_timer_handler() of a kernel that keeps the timer loaded
	 * (timer_in_host): the expired timer of the vCPU that ran here is
	 * injected, mapped; the physical PPI stays active for the guest's
	 * EOI to deactivate through the list register */
	for (unsigned c = 0; id == GIC_HOST_VTIMER_PPI && prof(vg)->timer_in_host && c < vg->nvcpus;
	     c++) {
		struct vgic_vcpu *v = &vg->v[c];

		if (cpu_vcpu_pcpu(v->cpu) != pcpu || !v->timer.used || v->timer.out ||
		    !timer_should_fire(v, now(vg)))
			continue;
		*cycles += prof(vg)->cpu.inject;
		v->timer.out = true;
		gic_set_irq(vg->vdist, c, GIC_HOST_VTIMER_PPI, true);
		journey_assert(vg, c, GIC_HOST_VTIMER_PPI, v->timer.expiry);
		struct journey *j = journey(vg, c, GIC_HOST_VTIMER_PPI);

		if (j && j->state == J_OPEN && cpu_vcpu_exit_start(v->cpu) >= v->timer.expiry) {
			/* the exit its PPI made: signalled before it was queued */
			j->r.t_signal = cpu_vcpu_exit_start(v->cpu);
			j->r.t_exit = v->synced;
		}
		queue(vg, c, GIC_HOST_VTIMER_PPI, pcpu,
		      now(vg) + cpu_cycles(vg->host->m, cpu_vcpu_spread(v->cpu, *cycles)), true);
		vg->stats.injections++;
		return true;
	}
	for (unsigned c = 0; c < vg->nvcpus; c++) {
		struct vgic_vcpu *v = &vg->v[c];

		if (cpu_vcpu_pcpu(v->cpu) != pcpu)
			continue;
		for (unsigned i = GIC_NR_PRIV; i < vg->vdist->cfg.nr_irqs && i < GIC_MAX_IRQS; i++) {
			if (vg->spi_hw[i - GIC_NR_PRIV] != id + 1)
				continue;
			/* the physical one stays active (EOImode 1 drop only)
			 * until the guest deactivates it through the LR */
			*cycles += prof(vg)->cpu.inject;
			gic_set_irq(vg->vdist, c, i, true);
			gic_set_irq(vg->vdist, c, i, false);
			queue(vg, c, i, pcpu,
			      now(vg) + cpu_cycles(vg->host->m, cpu_vcpu_spread(v->cpu, *cycles)),
			      true);
			vg->stats.injections++;
			return true;
		}
		if (id == GIC_HOST_VTIMER_PPI && v->hw_map[id])
			return true; /* 4.4: the timer is handled at sync */
	}
	return false;
}

void vgic_map_phys(struct vgic *vg, unsigned cpu, unsigned vintid, unsigned pintid)
{
	if (vintid < GIC_NR_PRIV)
		vg->v[cpu].hw_map[vintid] = (uint16_t)(pintid + 1);
	else if (vintid < vg->vdist->cfg.nr_irqs)
		vg->spi_hw[vintid - GIC_NR_PRIV] = (uint16_t)(pintid + 1);
}

/* ---- the guest's GIC driver (cpu_guest_ops, gic.md §7) ------------------------------------ */

static uint32_t guest_ack(void *ctx, struct cpu_vcpu *cv, uint64_t *cycles)
{
	struct vgic_vcpu *v = ctx;
	struct vgic *vg = v->vg;
	unsigned p = cpu_vcpu_pcpu(cv);
	uint64_t val;
	uint32_t id;

	*cycles += prof(vg)->guest_read;
	val = gic_ref_read(vg->host->gic, &vg->r_iar, p);
	id = (uint32_t)val & (is_v2(vg) ? 0x3ff : 0xffffff);
	v->iar = (uint32_t)val;
	struct journey *j = journey(vg, v->idx, id);
	if (j && j->state == J_OPEN) {
		struct gic_irq *irq = virq(vg, v->idx, id);
		unsigned pintid = id < GIC_NR_PRIV ? v->hw_map[id] : vg->spi_hw[id - GIC_NR_PRIV];

		j->state = J_HANDLING;
		j->r.vcpu = v->idx;
		j->r.t_ack = now(vg);
		gic_trace(vg->vdist, GIC_TR_IRQ, v->idx, id, j->r.t_assert);
		j->r.t_handler = now(vg) + cpu_cycles(vg->host->m, *cycles);
		j->r.exits = (uint32_t)(cpu_vcpu_stats(cv)->exits - j->exits0);
		/* a software level interrupt completes at its EOI maintenance */
		j->level_eoi = irq && !irq->edge && !pintid;
	}
	return id;
}

static void guest_eoi(void *ctx, struct cpu_vcpu *cv, uint32_t id, uint64_t *cycles)
{
	struct vgic_vcpu *v = ctx;
	struct vgic *vg = v->vg;
	unsigned p = cpu_vcpu_pcpu(cv);

	if (id == GIC_HOST_VTIMER_PPI) {
		/* the guest's timer handler masks the timer before it
		 * completes the interrupt (Linux's timer_handler() sets
		 * IMASK); the output drops */
		v->timer.ctl |= CNTV_CTL_IMASK;
		sim_cancel(vg->vdist->sim, &v->timer.ev);
		gic_set_irq(vg->host->gic, p, GIC_HOST_VTIMER_PPI, false);
	}
	*cycles += prof(vg)->guest_write;
	gic_ref_write(vg->host->gic, &vg->r_eoir, p, v->iar);
	struct journey *j = journey(vg, v->idx, id);
	if (j && j->state == J_HANDLING && !j->level_eoi)
		journey_done(vg, j, now(vg) + cpu_cycles(vg->host->m, *cycles));
}

static const struct cpu_guest_ops guest_ops = {
	.ack = guest_ack,
	.eoi = guest_eoi,
};

/* The guest's boot-time GIC set-up when vCPU @c first runs (gic.md §7):
 * its CPU interface on with PMR 0xF0 and its private interrupts at 0xA0
 * and enabled; the boot vCPU also turns the distributor on with every SPI
 * at 0xA0 and enabled, as if each device driver had requested its line. */
static void guest_boot(struct vgic *vg, unsigned c)
{
	struct gic_cpu *sh = vcpu_if(vg, c);
	uint32_t vmcr = sh->vif.vmcr & ~(0xffu << VMCR_PMR_SHIFT);

	vmcr |= (is_v2(vg) ? VMCR_ENG0 : VMCR_ENG1) | 0xF0u << VMCR_PMR_SHIFT;
	gic_vif_set_vmcr(vg->vdist, sh, vmcr);
	for (unsigned i = 0; i < GIC_NR_PRIV; i++) {
		struct gic_irq *irq = &sh->priv[i];

		irq->priority = 0xA0;
		irq->enabled = true;
		if (i >= GIC_NR_SGI)
			irq->edge = false; /* PPIs level (4.4 timer commit) */
		gic_irq_update(vg->vdist, sh, i);
	}
	if (vg->booted)
		return;
	vg->booted = true;
	for (unsigned i = GIC_NR_PRIV; i < vg->vdist->cfg.nr_irqs && i < GIC_MAX_IRQS; i++) {
		struct gic_irq *irq = &vg->vdist->spi[i - GIC_NR_PRIV];

		irq->priority = 0xA0;
		irq->enabled = true;
		gic_irq_update(vg->vdist, sh, i);
	}
	vg->vdist->grp_en[0] = vg->vdist->grp_en[1] = true;
	gic_update_all(vg->vdist);
}

void vgic_set_guest(struct vgic *vg, unsigned cpu, enum cpu_guest_idle idle,
		    uint64_t handler_cycles, const struct cpu_observer *obs)
{
	struct vgic_vcpu *v = &vg->v[cpu];

	cpu_vcpu_set_guest(v->cpu, &guest_ops, v, idle, handler_cycles);
	if (obs)
		cpu_vcpu_set_observer(v->cpu, obs);
}

void vgic_boot_vcpu(struct vgic *vg, unsigned cpu)
{
	struct vgic_vcpu *v = &vg->v[cpu];

	if (v->booted)
		return;
	v->booted = true;
	guest_boot(vg, cpu);
}

void vgic_start_vcpu(struct vgic *vg, unsigned cpu)
{
	struct vgic_vcpu *v = &vg->v[cpu];

	if (v->started)
		return;
	v->started = true;
	vgic_boot_vcpu(vg, cpu);
	cpu_vcpu_start(v->cpu);
}

void vgic_start(struct vgic *vg)
{
	for (unsigned c = 0; c < vg->nvcpus; c++)
		vgic_start_vcpu(vg, c);
}

void vgic_guest_irq_config(struct vgic *vg, unsigned intid, bool edge)
{
	for (unsigned c = 0; c < vg->nvcpus; c++) {
		struct gic_irq *irq = virq(vg, c, intid);

		if (!irq)
			return;
		irq->edge = edge;
		gic_irq_update(vg->vdist, vcpu_if(vg, c), intid);
		if (intid >= GIC_NR_PRIV)
			return; /* one SPI */
	}
}

/* The guest on @from writes GICD_SGIR / ICC_SGI1R_EL1: it traps. */
bool vgic_guest_sgi(struct vgic *vg, unsigned from, unsigned to, unsigned sgi)
{
	struct cpu_vcpu *cv = vg->v[from].cpu;

	if (is_v2(vg))
		return cpu_vcpu_trap(cv, GIC_BANK_DIST, GICD_SGIR, (1u << to) << 16 | sgi);
	return cpu_vcpu_trap(cv, GIC_BANK_ICC, ICC_SGI1R_EL1,
			     (uint64_t)sgi << 24 | (uint64_t)(to / 16) << 16 | 1u << (to % 16));
}

sim_time_t vgic_guest_full_until(struct vgic *vg, unsigned from)
{
	return cpu_vcpu_traps_full_until(vg->v[from].cpu);
}

/* ---- life cycle ------------------------------------------------------------------------ */

struct vgic *vgic_create(struct gic_host *host, enum gic_version version, unsigned nvcpus,
			 unsigned nr_irqs)
{
	struct gic_config cfg = {
		.name = "vgic",
		.version = version,
		.impl = GIC_IMPL_KVM44,
		.ncpus = nvcpus,
		.nr_irqs = nr_irqs,
		.prio_bits = 8, /* KVM keeps whole IPRIORITYR bytes */
		.nr_lrs = host->prof->nr_lrs,
		.vprio_bits = host->prof->vprio_bits,
	};
	struct vgic *vg;

	if (!nvcpus || host->npcpus < 2 || version != host->prof->version) {
		errno = EINVAL;
		return NULL;
	}
	vg = calloc(1, sizeof(*vg));
	if (!vg)
		return NULL;
	vg->host = host;
	vg->nvcpus = nvcpus;
	sim_clock_init_hz(&vg->counter, host->prof->cnt_hz);
	vg->vdist = gic_create(cpu_machine_sim(host->m), &cfg);
	vg->v = calloc_aligned(_Alignof(struct vgic_vcpu), nvcpus, sizeof(*vg->v));
	vg->spi_owner = malloc((nr_irqs - GIC_NR_PRIV) * sizeof(*vg->spi_owner));
	vg->spi_hw = calloc(nr_irqs - GIC_NR_PRIV, sizeof(*vg->spi_hw));
	vg->jspi = calloc(nr_irqs - GIC_NR_PRIV, sizeof(*vg->jspi));
	if (!vg->vdist || !vg->v || !vg->spi_owner || !vg->spi_hw || !vg->jspi)
		goto fail;
	for (unsigned i = 0; i < nr_irqs - GIC_NR_PRIV; i++)
		vg->spi_owner[i] = -1;
	for (unsigned c = 0; c < nvcpus; c++) {
		struct vgic_vcpu *v = &vg->v[c];

		v->vg = vg;
		v->idx = c;
		v->ap = calloc(nr_irqs + GIC_NR_PRIV, sizeof(*v->ap));
		/* vCPU threads spread over the pCPUs but the I/O thread's */
		v->cpu = cpu_vcpu_create(host->m, c, c % (host->npcpus - 1));
		if (!v->ap || !v->cpu)
			goto fail;
		sim_event_init(&v->timer.ev, timer_fire);
		timer_expiry(vg, v);
		cpu_vcpu_set_irqchip(v->cpu, &vgic_irqchip_ops, v);
		/* the virtual timer is forwarded (4.4 kvm_timer_vcpu_init) */
		v->hw_map[GIC_HOST_VTIMER_PPI] = GIC_HOST_VTIMER_PPI + 1;
	}
	if (is_v2(vg)) {
		gic_reg_ref_init(host->gic, GIC_BANK_VCPU, GICV_IAR, 4, &vg->r_iar);
		gic_reg_ref_init(host->gic, GIC_BANK_VCPU, GICV_EOIR, 4, &vg->r_eoir);
	} else {
		gic_reg_ref_init(host->gic, GIC_BANK_ICV, ICC_IAR1_EL1, 8, &vg->r_iar);
		gic_reg_ref_init(host->gic, GIC_BANK_ICV, ICC_EOIR1_EL1, 8, &vg->r_eoir);
	}
	vg->vdist->sgi_hook = sgi_requested;
	vg->vdist->sgi_ctx = vg;
	host->vgic = vg;
	return vg;
fail:
	vgic_destroy(vg);
	errno = ENOMEM;
	return NULL;
}

void vgic_destroy(struct vgic *vg)
{
	if (!vg)
		return;
	if (vg->host->vgic == vg)
		vg->host->vgic = NULL;
	for (unsigned c = 0; vg->v && c < vg->nvcpus; c++) {
		if (vg->v[c].vg)
			sim_cancel(cpu_machine_sim(vg->host->m), &vg->v[c].timer.ev);
		free(vg->v[c].ap);
	}
	gic_destroy(vg->vdist);
	free(vg->v);
	free(vg->spi_owner);
	free(vg->spi_hw);
	free(vg->jspi);
	free(vg);
}

void vgic_set_observer(struct vgic *vg, const struct vgic_observer *obs)
{
	vg->obs = *obs;
}

struct gic *vgic_dist(struct vgic *vg)
{
	return vg->vdist;
}

struct cpu_vcpu *vgic_vcpu(struct vgic *vg, unsigned idx)
{
	return idx < vg->nvcpus ? vg->v[idx].cpu : NULL;
}

void vgic_set_ack_notifier(struct vgic *vg, void (*fn)(void *ctx, uint32_t spi), void *ctx)
{
	vg->acked = fn;
	vg->acked_ctx = ctx;
}

const struct vgic_stats *vgic_stats(const struct vgic *vg)
{
	return &vg->stats;
}
