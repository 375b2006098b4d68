// SPDX-License-Identifier: MIT
/*
 * gic_core.c — the GIC's interrupt state machine (§1), the delivery
 * decision for each physical CPU interface (§1.6), acknowledge, priority
 * drop and deactivation (§3.3, §3.4), SGI generation, and the one update
 * path that recomputes output wires after every change.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "models/gic/gic_int.h"

static const struct sim_trace_field gic_trace_fields[GIC_NR_TRACE][3] = {
#define GIC_TRACE(id, name, fa, ta, fb, tb, span)                              \
	[GIC_TR_##id] = { { "cpu", SIM_FIELD_U64 },                            \
			  { fa, SIM_FIELD_##ta },                              \
			  { fb, SIM_FIELD_##tb } },
#include "models/gic/gic_trace.def"
#undef GIC_TRACE
};

static const struct sim_trace_desc gic_trace_desc[GIC_NR_TRACE] = {
#define GIC_TRACE(id, name, fa, ta, fb, tb, span)                              \
	[GIC_TR_##id] = { name, gic_trace_fields[GIC_TR_##id], 3, NULL, span },
#include "models/gic/gic_trace.def"
#undef GIC_TRACE
};

void gic_trace(struct gic *gic, enum gic_trace_id id, unsigned cpu, uint64_t a,
	       uint64_t b)
{
	gic->counters[id]++;
	if (__builtin_expect(gic->tp[id].on, 0))
		sim_trace_emit_u(&gic->tp[id], (const uint64_t[]){ cpu, a, b });
}

static const char *const gic_output_names[GIC_NR_OUTPUTS] = {
	[GIC_OUT_IRQ] = "irq",
	[GIC_OUT_FIQ] = "fiq",
	[GIC_OUT_VIRQ] = "virq",
	[GIC_OUT_VFIQ] = "vfiq",
};

/* ---- per-interrupt state -------------------------------------------------- */

struct gic_irq *gic_irq_of(struct gic *gic, struct gic_cpu *c, unsigned intid)
{
	if (intid < GIC_NR_PRIV)
		return &c->priv[intid];
	if (intid < gic->cfg.nr_irqs && intid < GIC_MAX_IRQS)
		return &gic->spi[intid - GIC_NR_PRIV];
	return NULL;
}

bool gic_spi_targets(const struct gic *gic, const struct gic_irq *irq, unsigned c)
{
	if (gic->cfg.version == GIC_V2)
		return irq->targets & (1u << c);
	return irq->route == (int)c;
}

static bool irq_ready(const struct gic_irq *irq)
{
	return irq->enabled && !irq->active && gic_irq_is_pending(irq);
}

void gic_irq_update(struct gic *gic, struct gic_cpu *c, unsigned intid)
{
	struct gic_irq *irq = gic_irq_of(gic, c, intid);
	bool ready;

	if (!irq)
		return;
	ready = irq_ready(irq);
	if (intid < GIC_NR_PRIV) {
		if (ready)
			c->priv_ready |= 1u << intid;
		else
			c->priv_ready &= ~(1u << intid);
		gic_cpu_update(gic, c);
		return;
	}
	unsigned n = intid - GIC_NR_PRIV;
	if (ready) {
		gic->spi_ready[n / 64] |= (uint64_t)1 << (n % 64);
		gic->spi_ready_words |= (uint64_t)1 << (n / 64);
	} else if (!(gic->spi_ready[n / 64] &= ~((uint64_t)1 << (n % 64)))) {
		gic->spi_ready_words &= ~((uint64_t)1 << (n / 64));
	}
	if (gic->cfg.version == GIC_V3) {
		if (irq->route >= 0)
			gic_cpu_update(gic, &gic->cpu[irq->route]);
		return;
	}
	for (unsigned i = 0; i < gic->cfg.ncpus; i++)
		if (irq->targets & (1u << i))
			gic_cpu_update(gic, &gic->cpu[i]);
}

void gic_update_all(struct gic *gic)
{
	for (unsigned i = 0; i < gic->cfg.ncpus; i++)
		gic_cpu_update(gic, &gic->cpu[i]);
}

/* MPIDR affinity packed as in GICD_IROUTER: Aff3 [39:32], Aff2..0 [23:0]. */
static uint64_t irouter_affinity(uint64_t v)
{
	return v & 0xff00ffffffull;
}

void gic_spi_set_route(struct gic *gic, unsigned intid, uint64_t irouter)
{
	struct gic_irq *irq = &gic->spi[intid - GIC_NR_PRIV];
	int old = irq->route;

	/* GICD_TYPER.No1N = 1: Interrupt_Routing_Mode is RAZ/WI (§5.3) */
	irq->irouter = irouter_affinity(irouter);
	irq->route = -1;
	for (unsigned i = 0; i < gic->cfg.ncpus; i++) {
		if (irouter_affinity(gic->cpu[i].mpidr) == irq->irouter) {
			irq->route = (int16_t)i;
			break;
		}
	}
	if (old >= 0 && old != irq->route)
		gic_cpu_update(gic, &gic->cpu[old]);
	gic_irq_update(gic, NULL, intid);
}

/* ---- priorities (§1.5) ------------------------------------------------------ */

uint32_t gic_gprio_mask(unsigned bpr, bool group1, bool cbpr, unsigned bpr0)
{
	if (group1 && cbpr) {
		bpr = bpr0;
		group1 = false;
	}
	if (group1)
		return (0xffu << (bpr ? bpr : 1)) & 0xff;
	return (0xffu << ((bpr & 7) + 1)) & 0xff;
}

unsigned gic_cpu_group_prio(const struct gic *gic, const struct gic_cpu *c,
			    unsigned prio, bool group1)
{
	(void)gic;
	return prio & gic_gprio_mask(c->bpr[group1], group1, c->cbpr, c->bpr[0]);
}

unsigned gic_apr_group_running(const uint32_t apr[4], unsigned pre_bits)
{
	for (unsigned i = 0; i < gic_apr_nregs(pre_bits); i++)
		if (apr[i])
			return (i * 32 + (unsigned)__builtin_ctz(apr[i])) << (8 - pre_bits);
	return GIC_PRIO_IDLE;
}

unsigned gic_apr_running(const uint32_t (*apr)[4], unsigned pre_bits)
{
	unsigned p0 = gic_apr_group_running(apr[0], pre_bits);
	unsigned p1 = gic_apr_group_running(apr[1], pre_bits);

	return p0 < p1 ? p0 : p1;
}

void gic_apr_set(uint32_t apr[2][4], unsigned grp, unsigned gprio, unsigned pre_bits)
{
	unsigned level = gprio >> (8 - pre_bits);

	apr[grp][level / 32] |= 1u << (level % 32);
}

bool gic_apr_drop(uint32_t apr[2][4], unsigned grp, unsigned nregs)
{
	for (unsigned i = 0; i < nregs; i++) {
		if (apr[grp][i]) {
			apr[grp][i] &= apr[grp][i] - 1; /* lowest set bit */
			return true;
		}
	}
	return false;
}

/* ---- physical CPU interface ------------------------------------------------- */

/*
 * The highest-priority pending interrupt for @c (§1.6): pending, not
 * active, enabled, targeted at @c, its group enabled in the distributor;
 * lowest INTID among equal priorities (§1.5 tie-break). -1 if none.
 */
int gic_hppi(struct gic *gic, struct gic_cpu *c, uint8_t *prio)
{
	unsigned best = GIC_PRIO_IDLE;
	int id = -1;

	if (c->children_asleep)
		return -1; /* §5.4: a sleeping redistributor forwards nothing */
	for (uint32_t bits = c->priv_ready; bits; bits &= bits - 1) {
		unsigned i = (unsigned)__builtin_ctz(bits);
		const struct gic_irq *irq = &c->priv[i];

		if (gic->grp_en[irq->group1] && irq->priority < best) {
			best = irq->priority;
			id = (int)i;
		}
	}
	for (uint64_t words = gic->spi_ready_words; words; words &= words - 1) {
		unsigned w = (unsigned)__builtin_ctzll(words);

		for (uint64_t bits = gic->spi_ready[w]; bits; bits &= bits - 1) {
			unsigned n = w * 64 + (unsigned)__builtin_ctzll(bits);
			const struct gic_irq *irq = &gic->spi[n];

			if (irq->priority < best && gic->grp_en[irq->group1] &&
			    gic_spi_targets(gic, irq, c->idx)) {
				best = irq->priority;
				id = (int)(n + GIC_NR_PRIV);
			}
		}
	}
	*prio = (uint8_t)best;
	return id;
}

/* The wires come in pairs, each driven by one event: IRQ and FIQ (group
 * 0), vIRQ and vFIQ (group 1). */
#define WIRES_IRQ 0
#define WIRES_VIRQ 1

static void drive_outputs(struct gic_cpu *c, unsigned g)
{
	for (unsigned o = 2 * g; o < 2 * g + 2; o++) {
		irq_line_settle(&c->out[o]);
		if (c->out[o].level != c->want[o])
			gic_trace(c->gic, GIC_TR_SIGNAL, c->idx,
				  (uint64_t)(uintptr_t)gic_output_names[o], c->want[o]);
		irq_line_set(&c->out[o], c->want[o]);
	}
}

static void signal_fire(struct sim *sim, struct sim_event *ev)
{
	struct gic_cpu *c = container_of(ev, struct gic_cpu, signal_ev);

	(void)sim;
	drive_outputs(c, WIRES_IRQ);
}

static void vsignal_fire(struct sim *sim, struct sim_event *ev)
{
	struct gic_cpu *c = container_of(ev, struct gic_cpu, vsignal_ev);

	(void)sim;
	drive_outputs(c, WIRES_VIRQ);
}

/* Whether wire @o may take the level the state asks for by a change
 * deferred to (t, key) rather than by an event. */
static inline bool wire_may_defer(struct gic_cpu *c, unsigned o, sim_time_t t, uint64_t key)
{
	return c->out[o].level == c->want[o] ||
	       irq_line_may_defer(&c->out[o], c->want[o], t, key);
}

/* Whether the pair @g may take the levels the state asks for by changes
 * deferred to (t, key): untraced (the trace records each change when it
 * happens) and every sink of a changing wire would only note it. */
static bool wires_may_defer(struct gic *gic, struct gic_cpu *c, unsigned g, sim_time_t t,
			    uint64_t key)
{
	return !gic->tp[GIC_TR_SIGNAL].on && wire_may_defer(c, 2 * g, t, key) &&
	       wire_may_defer(c, 2 * g + 1, t, key);
}

static void wires_defer(struct gic *gic, struct gic_cpu *c, unsigned g, sim_time_t t,
			uint64_t key)
{
	irq_line_defer(&c->out[2 * g], gic->sim, c->want[2 * g], t, key);
	irq_line_defer(&c->out[2 * g + 1], gic->sim, c->want[2 * g + 1], t, key);
}

/*
 * The pair @g's wires differ from what the state asks for, or will once
 * their deferred changes are in: drive them now, or after @cycles by @ev,
 * which then gives each the level the state asks for at that time. Where
 * their sinks would only note the changes (a falling line; a vIRQ rising
 * where no vCPU can be in its guest yet), the event is deferred (@d)
 * instead: it keeps its time and kernel key, the wires flip there as the
 * event would have flipped them, and a later change of what the state
 * asks for before then is deferred too, or turns the stand-in into the
 * event itself. Every wire has the same level at every moment as with
 * the event (ties with other events included); the kernel only has less
 * to do: three events of the ~22 an IPI costs.
 */
static void wires_change(struct gic *gic, struct gic_cpu *c, struct sim_event *ev,
			 struct gic_wire_defer *d, uint32_t cycles, unsigned g)
{
	sim_time_t t;
	uint64_t key;

	if (d->on) {
		if (!sim_key_past(gic->sim, d->t, d->key)) {
			/* the stand-in is still to come: it brings the new
			 * levels too, deferred, or as the event itself */
			if (wires_may_defer(gic, c, g, d->t, d->key)) {
				wires_defer(gic, c, g, d->t, d->key);
				return;
			}
			d->on = false;
			c->out[2 * g].deferred = c->out[2 * g + 1].deferred = false;
			sim_schedule_key(gic->sim, ev, d->t, d->key);
			return;
		}
		/* it is in: a wire still differs (schedule_outputs()) */
		irq_line_settle(&c->out[2 * g]);
		irq_line_settle(&c->out[2 * g + 1]);
		d->on = false;
	}
	if (sim_event_pending(ev))
		return; /* it drives what the state asks for when it fires */
	if (!cycles) {
		drive_outputs(c, g);
		return;
	}
	t = sim_now(gic->sim) + sim_clock_time(&gic->cfg.clock, cycles);
	if (t < sim_now(gic->sim))
		t = SIM_TIME_MAX; /* as sim_schedule_in() */
	key = sim_key_take(gic->sim, SIM_PRIO_DEFAULT);
	if (!wires_may_defer(gic, c, g, t, key)) {
		sim_schedule_key(gic->sim, ev, t, key);
		return;
	}
	wires_defer(gic, c, g, t, key);
	d->on = true;
	d->t = t;
	d->key = key;
}

static inline void schedule_outputs(struct gic *gic, struct gic_cpu *c, struct sim_event *ev,
				    struct gic_wire_defer *d, uint32_t cycles, unsigned g)
{
	const struct irq_line *l = &c->out[2 * g];

	/* most updates change nothing: each wire has, or gets from its
	 * deferred change, the level the state asks for */
	if (c->want[2 * g] != (l[0].level ^ l[0].deferred) ||
	    c->want[2 * g + 1] != (l[1].level ^ l[1].deferred))
		wires_change(gic, c, ev, d, cycles, g);
}

void gic_cpu_update(struct gic *gic, struct gic_cpu *c)
{
	uint8_t prio;
	int id;
	bool irq_out = false, fiq_out = false;

	if (gic->cfg.impl == GIC_IMPL_KVM44)
		return; /* KVM's software distributor drives no wires: its
			 * interrupts reach the vCPU through list registers */
	id = gic_hppi(gic, c, &prio);

	if (id >= 0 && prio < c->pmr) {
		struct gic_irq *irq = gic_irq_of(gic, c, (unsigned)id);
		unsigned g = irq->group1;

		if (c->grp_en[g] &&
		    gic_cpu_group_prio(gic, c, prio, g) <
			    gic_apr_running(c->apr, gic->pre_bits)) {
			if (g == 0 && c->fiq_en)
				fiq_out = true;
			else
				irq_out = true;
		}
	}
	c->want[GIC_OUT_IRQ] = irq_out;
	c->want[GIC_OUT_FIQ] = fiq_out;
	schedule_outputs(gic, c, &c->signal_ev, &c->defer[WIRES_IRQ], gic->cfg.signal_cycles,
			 WIRES_IRQ);
}

/*
 * Acknowledge (§3.3). @want_grp: -1 for GICv2 GICC_IAR (Group 0, and
 * Group 1 only with AckCtl, else 1022), 0 or 1 for a one-group register
 * (GICC_AIAR, ICC_IAR0/1_EL1: another group's HPPI reads 1023).
 */
uint32_t gic_acknowledge(struct gic *gic, struct gic_cpu *c, int want_grp,
			 bool v2_iar)
{
	uint8_t prio;
	int id = gic_hppi(gic, c, &prio);
	struct gic_irq *irq;
	uint32_t src = 0;
	unsigned g;

	(void)v2_iar;
	if (id < 0 || prio >= c->pmr)
		return GIC_SPURIOUS;
	irq = gic_irq_of(gic, c, (unsigned)id);
	g = irq->group1;
	if (want_grp < 0) {
		if (g == 1 && !c->ackctl)
			return 1022;
	} else if ((int)g != want_grp) {
		return GIC_SPURIOUS;
	}
	/* The CPU interface ignores a group it has disabled. */
	if (!c->grp_en[g])
		return GIC_SPURIOUS;
	unsigned gprio = gic_cpu_group_prio(gic, c, prio, g);
	if (gprio >= gic_apr_running(c->apr, gic->pre_bits))
		return GIC_SPURIOUS; /* cannot preempt: no side effects */

	gic_apr_set(c->apr, g, gprio, gic->pre_bits);
	irq->active = true;
	if (gic->cfg.version == GIC_V2 && id < GIC_NR_SGI) {
		/* §2.3: the lowest source; others stay pending (A+P) */
		src = (uint32_t)__builtin_ctz(irq->sgi_src);
		irq->sgi_src &= (uint8_t)~(1u << src);
		irq->latch = irq->sgi_src != 0;
	} else {
		/* a level interrupt whose line is high stays pending: A+P */
		irq->latch = false;
	}
	gic_trace(gic, GIC_TR_ACK, c->idx, (uint64_t)id, prio);
	gic_irq_update(gic, c, (unsigned)id);
	return (uint32_t)id | src << 10;
}

void gic_priority_drop(struct gic *gic, struct gic_cpu *c, unsigned grp)
{
	unsigned nregs = gic_apr_nregs(gic->pre_bits);

	gic_apr_drop(c->apr, grp, nregs);
	gic_cpu_update(gic, c);
}

void gic_deactivate(struct gic *gic, struct gic_cpu *c, uint32_t intid)
{
	struct gic_irq *irq = gic_irq_of(gic, c, intid);

	if (!irq)
		return;
	gic_trace(gic, GIC_TR_DEACTIVATE, c->idx, intid, irq->active);
	irq->active = false;
	gic_irq_update(gic, c, intid);
}

/* An SGI request from @src (NULL: none, e.g. a KVM injection) to CPU
 * @target. v3 forwards it only if the SGI is in the requested group
 * (§5.5, DS = 1). */
void gic_sgi_generate(struct gic *gic, struct gic_cpu *src, unsigned sgi,
		      unsigned target, bool group1)
{
	struct gic_cpu *t = &gic->cpu[target];
	struct gic_irq *irq = &t->priv[sgi];

	if (gic->cfg.version == GIC_V2) {
		irq->sgi_src |= (uint8_t)(1u << (src ? src->idx : 0));
	} else if (irq->group1 != group1) {
		return;
	}
	irq->latch = true;
	gic_trace(gic, GIC_TR_SGI, src ? src->idx : 0, sgi, target);
	gic_irq_update(gic, t, sgi);
	if (gic->sgi_hook)
		gic->sgi_hook(gic->sgi_ctx, target, sgi);
}

/* ICC_SGI1R_EL1 (§5.5) */
#define SGIR_TARGETLIST_SHIFT 0
#define SGIR_AFF1_SHIFT 16
#define SGIR_INTID_SHIFT 24
#define SGIR_AFF2_SHIFT 32
#define SGIR_IRM_SHIFT 40
#define SGIR_RS_SHIFT 44
#define SGIR_AFF3_SHIFT 48

/* A write of ICC_SGI0R/SGI1R_EL1 by @src: TargetList bit k names the PE
 * with Aff0 = RS * 16 + k in cluster Aff3.Aff2.Aff1; IRM = 1 names every
 * PE but the sender. */
void gic_sgi1r(struct gic *gic, struct gic_cpu *src, uint64_t val, bool group1)
{
	unsigned sgi = (unsigned)GIC_FIELD_GET(val, SGIR_INTID_SHIFT, 4);
	bool irm = GIC_FIELD_GET(val, SGIR_IRM_SHIFT, 1);
	uint64_t cluster = GIC_FIELD_GET(val, SGIR_AFF1_SHIFT, 8) << 8 |
			   GIC_FIELD_GET(val, SGIR_AFF2_SHIFT, 8) << 16 |
			   GIC_FIELD_GET(val, SGIR_AFF3_SHIFT, 8) << 32;
	unsigned list = (unsigned)GIC_FIELD_GET(val, SGIR_TARGETLIST_SHIFT, 16);
	unsigned rs = (unsigned)GIC_FIELD_GET(val, SGIR_RS_SHIFT, 4);

	if (!irm && rs == 0 && !(cluster & 0xff00ff0000ull)) {
		/* CPU n has Aff1.Aff0 = n / 16 . n % 16 (gic_reset): each list
		 * bit names one CPU directly */
		for (; list; list &= list - 1) {
			unsigned t = (unsigned)(cluster >> 8) * 16 + (unsigned)__builtin_ctz(list);

			if (t < gic->cfg.ncpus &&
			    (gic->cpu[t].mpidr & 0xff0000ffffull) == (cluster | (t % 16)))
				gic_sgi_generate(gic, src, sgi, t, group1);
		}
		return;
	}
	for (unsigned t = 0; t < gic->cfg.ncpus; t++) {
		uint64_t m = gic->cpu[t].mpidr;
		unsigned aff0 = m & 0xff;

		if (irm) {
			if (t == src->idx)
				continue;
		} else if ((m & 0xff0000ff00ull) != cluster || aff0 / 16 != rs ||
			   !(list & (1u << (aff0 % 16)))) {
			continue;
		}
		gic_sgi_generate(gic, src, sgi, t, group1);
	}
}

/* ---- inputs ------------------------------------------------------------------ */

void gic_set_irq(struct gic *gic, unsigned cpu, unsigned intid, bool level)
{
	struct gic_cpu *c;
	struct gic_irq *irq;

	if (intid < GIC_NR_SGI || cpu >= gic->cfg.ncpus)
		return;
	c = &gic->cpu[cpu];
	irq = gic_irq_of(gic, c, intid);
	if (!irq)
		return;
	if (gic->cfg.impl == GIC_IMPL_KVM44 && irq->edge) {
		/* KVM 4.4 (vgic_validate_injection): for an edge interrupt a
		 * level of 1 counts whenever the interrupt is not pending,
		 * whatever the previous level was */
		irq->level = level;
		if (!level || irq->latch)
			return;
		irq->latch = true;
	} else {
		if (irq->level == level)
			return;
		irq->level = level;
		/* §1.3: a rising edge latches an edge-triggered interrupt */
		if (level && irq->edge)
			irq->latch = true;
	}
	gic_trace(gic, GIC_TR_PENDING, cpu, intid, level);
	gic_irq_update(gic, c, intid);
}

bool gic_irq_pending(const struct gic *gic, unsigned cpu, unsigned intid)
{
	struct gic_irq *irq;

	if (cpu >= gic->cfg.ncpus)
		return false;
	irq = gic_irq_of((struct gic *)gic, &gic->cpu[cpu], intid);
	return irq && gic_irq_is_pending(irq);
}

bool gic_irq_active(const struct gic *gic, unsigned cpu, unsigned intid)
{
	struct gic_irq *irq;

	if (cpu >= gic->cfg.ncpus)
		return false;
	irq = gic_irq_of((struct gic *)gic, &gic->cpu[cpu], intid);
	return irq && irq->active;
}

struct irq_line *gic_output(struct gic *gic, unsigned cpu, enum gic_output which)
{
	if (cpu >= gic->cfg.ncpus || which >= GIC_NR_OUTPUTS)
		return NULL;
	return &gic->cpu[cpu].out[which];
}

const struct gic_config *gic_config(const struct gic *gic)
{
	return &gic->cfg;
}

void gic_host_wake(struct gic *gic, unsigned cpu)
{
	struct gic_cpu *c = &gic->cpu[cpu];

	c->processor_sleep = c->children_asleep = false;
	gic_cpu_update(gic, c);
}

/* ---- life cycle -------------------------------------------------------------- */

static void waker_fire(struct sim *sim, struct sim_event *ev)
{
	struct gic_cpu *c = container_of(ev, struct gic_cpu, waker_ev);

	(void)sim;
	c->children_asleep = c->processor_sleep;
	gic_cpu_update(c->gic, c);
}

static void reset_irq(struct gic *gic, struct gic_irq *irq, unsigned intid)
{
	bool kvm = gic->cfg.impl == GIC_IMPL_KVM44;

	memset(irq, 0, sizeof(*irq));
	irq->route = -1;
	irq->edge = intid < GIC_NR_SGI; /* SGIs are always edge (ICFGR0) */
	/* GICv2 SGIs are always enabled: ISENABLER0[15:0] RAO/WI, as QEMU
	 * and KVM's emulation do (§2.2) */
	if (gic->cfg.version == GIC_V2 && intid < GIC_NR_SGI)
		irq->enabled = true;
	if (kvm) {
		/* KVM 4.4's init (kvm-api.md §3.6): SGIs enabled, SPIs at
		 * vCPU 0; the v3 emulation is Group 1 only (IGROUPR RAO/WI) */
		if (intid < GIC_NR_SGI)
			irq->enabled = true;
		irq->group1 = gic->cfg.version == GIC_V3;
		if (intid >= GIC_NR_PRIV)
			irq->targets = 1;
	}
}

void gic_reset(struct gic *gic)
{
	unsigned vmin0 = 7 - gic->vpre_bits;
	unsigned min0 = 7 - gic->pre_bits;

	gic->grp_en[0] = gic->grp_en[1] = false;
	gic->are = gic->cfg.version == GIC_V3;
	gic->rwp_until = 0;
	for (unsigned i = GIC_NR_PRIV; i < gic->cfg.nr_irqs; i++)
		reset_irq(gic, &gic->spi[i - GIC_NR_PRIV], i);
	memset(gic->spi_ready, 0,
	       (gic->cfg.nr_irqs - GIC_NR_PRIV + 63) / 64 * sizeof(uint64_t));
	gic->spi_ready_words = 0;
	for (unsigned n = 0; n < gic->cfg.ncpus; n++) {
		struct gic_cpu *c = &gic->cpu[n];

		for (unsigned i = 0; i < GIC_NR_PRIV; i++)
			reset_irq(gic, &c->priv[i], i);
		c->priv_ready = 0;
		c->grp_en[0] = c->grp_en[1] = false;
		c->fiq_en = gic->cfg.version == GIC_V3;
		c->ackctl = c->cbpr = c->eoimode = false;
		c->ctlr_bypass = 0;
		c->pmr = 0;
		c->bpr[0] = (uint8_t)min0;
		c->bpr[1] = (uint8_t)(min0 + 1);
		memset(c->apr, 0, sizeof(c->apr));
		/* KVM's vCPU MPIDR: Aff0 = id[3:0], Aff1 = id[11:4] */
		c->mpidr = (uint64_t)(n & 0xf) | (uint64_t)((n >> 4) & 0xff) << 8;
		c->processor_sleep = c->children_asleep =
			gic->cfg.version == GIC_V3 && gic->cfg.impl == GIC_IMPL_HW;
		sim_cancel(gic->sim, &c->waker_ev);
		memset(&c->vif, 0, sizeof(c->vif));
		c->vif.vmcr = vmin0 << VMCR_BPR0_SHIFT | (vmin0 + 1) << VMCR_BPR1_SHIFT;
		if (gic->cfg.version == GIC_V3)
			c->vif.vmcr |= VMCR_FIQEN;
		gic_vif_changed(c);
	}
	for (unsigned i = GIC_NR_PRIV; i < gic->cfg.nr_irqs; i++)
		if (gic->cfg.version == GIC_V3)
			gic_spi_set_route(gic, i, 0);
	for (unsigned n = 0; n < gic->cfg.ncpus; n++) {
		gic_cpu_update(gic, &gic->cpu[n]);
		if (gic->cfg.nr_lrs)
			gic_vif_update(gic, &gic->cpu[n]);
	}
}

static int check_config(struct gic_config *cfg)
{
	unsigned maxcpu = cfg->version == GIC_V2 ? GIC_V2_MAX_CPUS : GIC_V3_MAX_CPUS;
	unsigned maxlr = cfg->version == GIC_V2 ? GIC_V2_MAX_LRS : GIC_V3_MAX_LRS;

	if (cfg->version != GIC_V2 && cfg->version != GIC_V3)
		return -EINVAL;
	if (!cfg->ncpus || cfg->ncpus > maxcpu)
		return -EINVAL;
	if (cfg->nr_irqs < 64 || cfg->nr_irqs > 1024 || cfg->nr_irqs % 32)
		return -EINVAL;
	if (cfg->prio_bits < 4 || cfg->prio_bits > 8)
		return -EINVAL;
	if (cfg->nr_lrs > maxlr)
		return -EINVAL;
	if (!cfg->vprio_bits)
		cfg->vprio_bits = 5;
	if (cfg->vprio_bits < 5 || cfg->vprio_bits > 8 ||
	    (cfg->version == GIC_V2 && cfg->vprio_bits != 5))
		return -EINVAL; /* GICH_LR holds priority[7:3] */
	if (!cfg->maint_ppi)
		cfg->maint_ppi = 25;
	if (cfg->maint_ppi < 16 || cfg->maint_ppi > 31)
		return -EINVAL;
	if (!cfg->clock.num)
		sim_clock_init_period(&cfg->clock, 1000); /* 1 GHz */
	if (cfg->nr_irqs > GIC_MAX_IRQS)
		cfg->nr_irqs = 1024; /* INTIDs 1020-1023 stay special */
	return 0;
}

struct gic *gic_create(struct sim *sim, const struct gic_config *config)
{
	struct gic_config cfg = *config;
	struct gic *gic;
	int err = check_config(&cfg);

	if (err) {
		errno = -err;
		return NULL;
	}
	gic = calloc(1, sizeof(*gic));
	if (!gic)
		return NULL;
	gic->sim = sim;
	gic->cfg = cfg;
	if (!gic->cfg.name)
		gic->cfg.name = "gic";
	gic->prio_mask = (uint8_t)(0xff00u >> cfg.prio_bits);
	gic->vprio_mask = (uint8_t)(0xff00u >> cfg.vprio_bits);
	gic->pre_bits = cfg.prio_bits > 7 ? 7 : cfg.prio_bits;
	gic->vpre_bits = cfg.vprio_bits > 7 ? 7 : cfg.vprio_bits;
	gic->spi = calloc(cfg.nr_irqs - GIC_NR_PRIV, sizeof(*gic->spi));
	gic->spi_ready = calloc((cfg.nr_irqs - GIC_NR_PRIV + 63) / 64, sizeof(uint64_t));
	gic->cpu = calloc(cfg.ncpus, sizeof(*gic->cpu));
	if (!gic->spi || !gic->spi_ready || !gic->cpu)
		goto fail;
	for (unsigned i = 0; i < GIC_NR_TRACE; i++)
		if (sim_tracepoint_init(sim, &gic->tp[i], gic->cfg.name,
					&gic_trace_desc[i]))
			goto fail;
	for (unsigned n = 0; n < cfg.ncpus; n++) {
		struct gic_cpu *c = &gic->cpu[n];

		c->gic = gic;
		c->idx = n;
		sim_event_init(&c->signal_ev, signal_fire);
		sim_event_init(&c->vsignal_ev, vsignal_fire);
		sim_event_init(&c->waker_ev, waker_fire);
	}
	gic_reset(gic);
	return gic;
fail:
	gic_destroy(gic);
	errno = ENOMEM;
	return NULL;
}

void gic_destroy(struct gic *gic)
{
	if (!gic)
		return;
	for (unsigned i = 0; i < GIC_NR_TRACE; i++)
		sim_tracepoint_release(&gic->tp[i]);
	if (gic->cpu) {
		for (unsigned n = 0; n < gic->cfg.ncpus; n++) {
			sim_cancel(gic->sim, &gic->cpu[n].signal_ev);
			sim_cancel(gic->sim, &gic->cpu[n].vsignal_ev);
			sim_cancel(gic->sim, &gic->cpu[n].waker_ev);
		}
	}
	free(gic->cpu);
	free(gic->spi_ready);
	free(gic->spi);
	free(gic);
}

/* The virtual interface's wires (gic_virt.c) */
void gic_vif_drive(struct gic *gic, struct gic_cpu *c)
{
	schedule_outputs(gic, c, &c->vsignal_ev, &c->defer[WIRES_VIRQ], gic->cfg.vsignal_cycles,
			 WIRES_VIRQ);
}
