// SPDX-License-Identifier: MIT
/*
 * cpu.c — pCPUs, vCPUs and the hypervisor run loop (see cpu.h).
 *
 * A vCPU is a chain of timed steps driven by one event: the host steps of
 * KVM's loop (enter = irqchip flush + world switch in; exit = exception
 * entry + world switch out; then irqchip sync, the host's physical
 * interrupts, the exit reason — for an MMIO or HVC trap KVM's handling,
 * which may return to user space, where the vCPU waits for the VMM's
 * KVM_RUN) and the guest's steps (exception entry,
 * acknowledge, handler, EOI — the guest loops on acknowledge until it
 * reads a special INTID, as Linux's GIC driver does). An action happens
 * at the start of its step (a register access changes the controller
 * then); the step's duration is its cost. A physical interrupt makes a
 * running guest exit at once: the guest's current step is paused with its
 * remaining time and resumed after the next entry.
 */
#include <assert.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>

#include "models/alloc.h"
#include "models/cpu/cpu.h"
#include "sim/rng.h"
#include "sim/trace.h"

enum cpu_trace_id {
#define CPU_TRACE(id, ...) CPU_TR_##id,
#include "models/cpu/cpu_trace.def"
#undef CPU_TRACE
	CPU_NR_TRACE
};

static const struct sim_trace_field cpu_trace_fields[CPU_NR_TRACE][3] = {
#define CPU_TRACE(id, name, fa, ta, fb, tb, state)                             \
	[CPU_TR_##id] = { { "vcpu", SIM_FIELD_U64 },                           \
			  { fa, SIM_FIELD_##ta },                              \
			  { fb, SIM_FIELD_##tb } },
#include "models/cpu/cpu_trace.def"
#undef CPU_TRACE
};

static const struct sim_trace_desc cpu_trace_desc[CPU_NR_TRACE] = {
#define CPU_TRACE(id, name, fa, ta, fb, tb, state)                             \
	[CPU_TR_##id] = { name, cpu_trace_fields[CPU_TR_##id], 3, state, NULL },
#include "models/cpu/cpu_trace.def"
#undef CPU_TRACE
};

static const char *const exit_names[] = { "irq", "wfi", "trap", "none", "preempt" };
/* The exit reason traced for a trap, by kind (enum cpu_trap_kind). */
static const char *const trap_names[] = { "trap", "mmio", "hvc" };

enum vcpu_state {
	VCPU_OUT,      /* created, not run yet */
	VCPU_ENTERING, /* flushing and switching in */
	VCPU_GUEST,    /* running guest code */
	VCPU_EXITING,  /* exception to EL2 and switching out */
	VCPU_HOST,     /* in KVM: sync, host interrupts, exit reason */
	VCPU_BLOCKED,  /* WFI: waiting for a kick */
	VCPU_POLLING,  /* WFI: halt polling before blocking */
	VCPU_RUNNABLE, /* its thread waits for its pCPU */
	VCPU_USER,     /* KVM_RUN returned: its thread is in the VMM */
	VCPU_OFF,      /* powered off (PSCI): its thread sleeps in KVM_RUN */
};

enum guest_step {
	G_RUN,     /* computing, interrupts unmasked: no event pending */
	G_EXC,     /* taking the virtual IRQ exception */
	G_ACK,     /* reading the acknowledge register */
	G_HANDLER, /* the handler's own work */
	G_EOI,     /* completing */
};

enum host_step {
	H_SYNC,   /* irqchip sync */
	H_IRQ,    /* one physical interrupt for the host */
	H_IRQ_END, /* the acknowledge read that ends the host's handler loop */
	H_REASON, /* the exit reason */
	H_WAKE,   /* waking up from WFI */
	H_SWITCH, /* the pCPU switches to this vCPU's thread */
	H_USER,   /* returning from KVM_RUN to the VMM with an exit */
	H_RESUME, /* the VMM's KVM_RUN: back into the run loop */
};

enum exit_reason {
	EXIT_IRQ,
	EXIT_WFI,
	EXIT_TRAP,
	EXIT_NONE, /* a blocked vCPU's pCPU took a host interrupt */
	EXIT_PREEMPT, /* the host's tick: its time slice is over */
};

/* Two cache lines each, the first the one an interrupt's delivery reads. */
struct cpu_pcpu {
	struct cpu_vcpu *cur;            /* the vCPU thread it runs, NULL idle */
	struct cpu_vcpu *rq_head;        /* vCPU threads waiting for it */
	struct irq_line *in[CPU_NR_INPUTS]; /* the wires connected, or NULL */
	unsigned idx;
	bool preempt;                    /* cur yields at its next chance */

	struct cpu_machine *m;
	struct cpu_vcpu *rq_tail;
	sim_time_t run_start;            /* when cur got it */
	struct sim_event slice_ev;       /* preempt cur for the waiting */
	struct sim_rng spread;           /* its host steps' spread (noisy) */
	double f;                        /* the factor of its current host step */
} __attribute__((aligned(64)));

/* KVM's handling of a vCPU's MMIO and HVC traps: apart from the vCPU,
 * whose size stays at 11 cache lines (an odd stride spreads 64 vCPUs over
 * the cache's sets). */
struct cpu_exits {
	const struct cpu_exit_ops *ops;
	void *ctx;
	struct cpu_trap_times tt; /* the open trap's */
};

/* Its fields in cache lines of its own, the ones an interrupt's delivery
 * reads first, together (a change of their layout is measured: cachegrind
 * of bench/inject's storm). */
struct cpu_vcpu {
	struct cpu_machine *m;
	unsigned idx;
	struct cpu_pcpu *p;
	enum vcpu_state state;
	struct sim_event ev;      /* the next step */
	struct sim_event kick_ev; /* a kick on its way (IPI or wake-up) */
	bool kick_is_wake;
	bool kick_sent;           /* one IPI per entry (IN_GUEST -> EXITING) */
	bool woken;
	bool g_paused;
	bool irq_loop;     /* in the host's interrupt handler, past one interrupt */
	bool was_woken;    /* runnable because a wake-up made it so */
	bool masked;              /* PSTATE.I set by the guest's own code */
	bool off;                 /* powered off (PSCI): sleeps, not woken */
	bool trap_open;           /* an MMIO or HVC trap is under way (tt) */
	uint8_t trap_act;         /* its handling's enum cpu_exit_action */
	unsigned kick_from;

	enum guest_step gstep;
	uint32_t cur_id;    /* INTID being handled */
	enum host_step hstep;
	enum exit_reason reason;
	sim_time_t g_left;  /* remaining time of a paused guest step */
	sim_time_t t_exit; /* start of the last exit */

	const struct cpu_irqchip_ops *ic;
	void *ic_ctx;
	const struct cpu_guest_ops *gops;
	void *g_ctx;
	sim_time_t least_sync; /* the irqchip's shortest sync, in time */
	sim_time_t least_in;   /* its shortest flush and the entry, in time */

	struct cpu_trap trap;  /* the trap being handled */
	unsigned nlater, later_head;
	sim_time_t full_until; /* the latest cpu_vcpu_traps_full_until() said */
	struct cpu_vcpu *rq_next;
	sim_time_t t_runnable;

	enum cpu_guest_idle idle;
	uint64_t handler_cycles;
	sim_time_t (*handler_time)(void *ctx, unsigned vcpu, uint32_t id);
	void *handler_ctx;
	struct cpu_observer obs;
	struct cpu_vcpu_stats stats;
	sim_time_t mask_every, mask_len;
	struct sim_event mask_ev;
	struct cpu_exits *x; /* MMIO and HVC traps, user exits */
	/* accesses the guest makes once it runs again (a ring: nlater from
	 * later_head) */
	struct cpu_trap later[CPU_TRAPS_WAITING];
} __attribute__((aligned(64)));

struct cpu_machine {
	struct sim *sim;
	struct cpu_machine_config cfg;
	struct cpu_pcpu *pcpu;
	struct cpu_vcpu **vcpus;
	unsigned nvcpus;
	const struct cpu_host_ops *host;
	void *host_ctx;
	sim_time_t entry_time; /* costs.entry in time: the shortest entry */
	sim_time_t exit_time;  /* costs.exc_entry + exit: the shortest exit */
	sim_time_t trap_time;  /* costs.mmio_trap: the shortest trap's handling */
	/* cpu_machine_set_spread(): a host step of c cycles takes c f, f
	 * one of the SPREAD_BINS quantiles of (1 - a) + a L, L lognormal of
	 * mean 1 */
	bool noisy;
	double spread_a;
	double *spread_f;
	struct sim_tracepoint tp[CPU_NR_TRACE];
};

static void trace(struct cpu_vcpu *v, enum cpu_trace_id id, uint64_t a, uint64_t b)
{
	const struct sim_tracepoint *tp = &v->m->tp[id];

	if (__builtin_expect(tp->on, 0))
		sim_trace_emit_u(tp, (const uint64_t[]){ v->idx, a, b });
}

sim_time_t cpu_cycles(const struct cpu_machine *m, uint64_t cycles)
{
	return sim_clock_time(&m->cfg.clock, cycles);
}

struct sim *cpu_machine_sim(const struct cpu_machine *m)
{
	return m->sim;
}

const struct cpu_costs *cpu_machine_costs(const struct cpu_machine *m)
{
	return &m->cfg.costs;
}

unsigned cpu_machine_npcpus(const struct cpu_machine *m)
{
	return m->cfg.npcpus;
}

static struct cpu_vcpu *vcpu_of(struct sim_event *ev)
{
	return container_of(ev, struct cpu_vcpu, ev);
}

/*
 * The next step ends after @delay, in @done: v->ev's callback is the end
 * of the step it times, chosen where the step starts (which knows it), so
 * that a step's end is one call from the kernel, with no look-up of the
 * state on the way.
 */
static void step_after(struct cpu_vcpu *v, sim_event_fn done, sim_time_t delay)
{
	sim_event_set_fn(&v->ev, done);
	sim_schedule_in(v->m->sim, &v->ev, delay, SIM_PRIO_DEFAULT);
}

static void step_in(struct cpu_vcpu *v, sim_event_fn done, uint64_t cycles)
{
	step_after(v, done, cpu_cycles(v->m, cycles));
}

#define SPREAD_BITS 10
#define SPREAD_BINS (1u << SPREAD_BITS)

/* The standard normal's quantile at @p in (0, 1): P. J. Acklam's rational
 * approximation (relative error below 1.2e-9), with kvmsim's own
 * logarithm so that every machine gets the same bits. */
static double normal_quantile(double p)
{
	static const double a[] = { -3.969683028665376e+01, 2.209460984245205e+02,
				    -2.759285104469687e+02, 1.383577518672690e+02,
				    -3.066479806614716e+01, 2.506628277459239e+00 };
	static const double b[] = { -5.447609879822406e+01, 1.615858368580409e+02,
				    -1.556989798598866e+02, 6.680131188771972e+01,
				    -1.328068155288572e+01 };
	static const double c[] = { -7.784894002430293e-03, -3.223964580411365e-01,
				    -2.400758277161838e+00, -2.549732539343734e+00,
				    4.374664141464968e+00,  2.938163982698783e+00 };
	static const double d[] = { 7.784695709041462e-03, 3.224671290700398e-01,
				    2.445134137142996e+00, 3.754408661907416e+00 };
	double q, r;

	if (p < 0.02425 || p > 1 - 0.02425) {
		q = sqrt(-2 * sim_log(p < 0.5 ? p : 1 - p));
		r = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
		    ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
		return p < 0.5 ? r : -r;
	}
	q = p - 0.5;
	r = q * q;
	return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
	       (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

/* A host step (exit, the host's work, entry) begins on @v's pCPU: its
 * factor, drawn when the machine is noisy (cpu_machine_set_spread()). */
static void step_begin(struct cpu_vcpu *v)
{
	const struct cpu_machine *m = v->m;

	/* a quantile at random: one draw, no logarithm per step */
	v->p->f = m->noisy ? m->spread_f[sim_rng_next(&v->p->spread) >> (64 - SPREAD_BITS)] : 1;
}

uint64_t cpu_vcpu_spread(const struct cpu_vcpu *v, uint64_t cycles)
{
	return v->m->noisy ? (uint64_t)((double)cycles * v->p->f + 0.5) : cycles;
}

/* The host step begun (step_begin()) ends after @cycles at its factor. */
static void step_host(struct cpu_vcpu *v, sim_event_fn done, uint64_t cycles)
{
	step_in(v, done, cpu_vcpu_spread(v, cycles));
}

/* A lower bound of the time host steps of @t at their profile cost take
 * (cpu_vcpu_traps_full_until()): @t itself, or its share that spread
 * never goes below. */
static sim_time_t at_least(const struct cpu_machine *m, sim_time_t t)
{
	return m->noisy ? (sim_time_t)((double)t * (1 - m->spread_a)) : t;
}

static const struct cpu_costs *costs(const struct cpu_vcpu *v)
{
	return &v->m->cfg.costs;
}

/* ---- the guest ------------------------------------------------------------------ */

static void vcpu_exit(struct cpu_vcpu *v, enum exit_reason why);
static void guest_exc_done(struct sim *sim, struct sim_event *ev);
static void guest_ack_done(struct sim *sim, struct sim_event *ev);
static void guest_handler_done(struct sim *sim, struct sim_event *ev);
static void guest_eoi_done(struct sim *sim, struct sim_event *ev);

/* The ends of the guest's timed steps (G_RUN is not timed). */
static const sim_event_fn guest_done[] = {
	[G_EXC] = guest_exc_done,
	[G_ACK] = guest_ack_done,
	[G_HANDLER] = guest_handler_done,
	[G_EOI] = guest_eoi_done,
};

static void guest_step_start(struct cpu_vcpu *v, enum guest_step s)
{
	uint64_t cyc = 0;
	sim_time_t now = sim_now(v->m->sim);

	v->gstep = s;
	switch (s) {
	case G_RUN:
		if (v->idle == CPU_GUEST_WFI)
			vcpu_exit(v, EXIT_WFI);
		return; /* computing until something happens */
	case G_EXC:
		cyc = costs(v)->guest_exc_entry;
		break;
	case G_ACK:
		v->cur_id = v->gops->ack(v->g_ctx, v, &cyc);
		if (v->cur_id < 1020)
			v->stats.irqs_taken++;
		break;
	case G_HANDLER:
		trace(v, CPU_TR_HANDLER, v->cur_id, v->p->idx);
		if (v->obs.handler_entry)
			v->obs.handler_entry(v->obs.ctx, v, v->cur_id, now);
		if (v->handler_time) {
			step_after(v, guest_handler_done,
				   v->handler_time(v->handler_ctx, v->idx, v->cur_id));
			return;
		}
		cyc = v->handler_cycles;
		break;
	case G_EOI:
		trace(v, CPU_TR_EOI, v->cur_id, v->p->idx);
		v->gops->eoi(v->g_ctx, v, v->cur_id, &cyc);
		if (v->obs.handler_exit)
			v->obs.handler_exit(v->obs.ctx, v, v->cur_id, now);
		break;
	}
	step_in(v, guest_done[s], cyc);
}

/* The level of input @n of @p. */
static bool pcpu_in(struct cpu_pcpu *p, enum cpu_input n)
{
	return p->in[n] && irq_line_level(p->in[n]);
}

static bool virq_pending(const struct cpu_vcpu *v)
{
	return !v->masked && (pcpu_in(v->p, CPU_VIRQ) || pcpu_in(v->p, CPU_VFIQ));
}

static bool guest_trap_later(struct cpu_vcpu *v);

/* The guest's next move with interrupts unmasked: a pending virtual
 * interrupt, or its own code (which may make a deferred trapping access). */
static void guest_next(struct cpu_vcpu *v)
{
	if (virq_pending(v)) {
		guest_step_start(v, G_EXC);
		return;
	}
	if (guest_trap_later(v))
		return;
	guest_step_start(v, G_RUN);
}

static void guest_exc_done(struct sim *sim, struct sim_event *ev)
{
	(void)sim;
	guest_step_start(vcpu_of(ev), G_ACK);
}

static void guest_ack_done(struct sim *sim, struct sim_event *ev)
{
	struct cpu_vcpu *v = vcpu_of(ev);

	(void)sim;
	if (v->cur_id >= 1020 && v->cur_id <= 1023) {
		if (v->cur_id == 1023)
			v->stats.spurious_acks++;
		guest_next(v); /* exception return */
	} else {
		guest_step_start(v, G_HANDLER);
	}
}

static void guest_handler_done(struct sim *sim, struct sim_event *ev)
{
	(void)sim;
	guest_step_start(vcpu_of(ev), G_EOI);
}

static void guest_eoi_done(struct sim *sim, struct sim_event *ev)
{
	(void)sim;
	guest_step_start(vcpu_of(ev), G_ACK); /* the driver reads IAR again */
}

/* ---- the host scheduler (overcommit) ----------------------------------------------- */

static void host_step(struct cpu_vcpu *v, enum host_step s);
static void host_step_done(struct cpu_vcpu *v);
static void vcpu_enter(struct cpu_vcpu *v);
static void entry_done(struct sim *sim, struct sim_event *ev);
static void exit_done(struct sim *sim, struct sim_event *ev);
static void host_irq_next(struct sim *sim, struct sim_event *ev);
static void host_irq_end_done(struct sim *sim, struct sim_event *ev);
static void host_reason_done(struct sim *sim, struct sim_event *ev);
static void host_wake_done(struct sim *sim, struct sim_event *ev);
static void host_switch_done(struct sim *sim, struct sim_event *ev);
static void host_user_done(struct sim *sim, struct sim_event *ev);

/* The ends of the host's steps. */
static const sim_event_fn host_done[] = {
	[H_SYNC] = host_irq_next,
	[H_IRQ] = host_irq_next,
	[H_IRQ_END] = host_irq_end_done,
	[H_REASON] = host_reason_done,
	[H_WAKE] = host_wake_done,
	[H_SWITCH] = host_switch_done,
	[H_USER] = host_user_done,
	[H_RESUME] = host_reason_done, /* the trap's handling goes on */
};

/* Preempt the running thread for the waiting ones: at the end of its
 * slice, or earlier for a woken thread (wake-up granularity). */
static void arm_slice(struct cpu_pcpu *p, bool woken)
{
	const struct cpu_machine_config *cfg = &p->m->cfg;
	sim_time_t now = sim_now(p->m->sim);
	sim_time_t at = p->run_start + (woken ? cfg->wakeup_gran : cfg->slice);

	if (at < now)
		at = now;
	if (!sim_event_pending(&p->slice_ev))
		sim_schedule(p->m->sim, &p->slice_ev, at, SIM_PRIO_DEFAULT);
	else if (at < p->slice_ev.time)
		sim_reschedule(p->m->sim, &p->slice_ev, at, SIM_PRIO_DEFAULT);
}

static void vcpu_block(struct cpu_vcpu *v);

static void rq_push(struct cpu_pcpu *p, struct cpu_vcpu *v, bool woken)
{
	v->state = VCPU_RUNNABLE;
	v->rq_next = NULL;
	v->t_runnable = sim_now(p->m->sim);
	v->was_woken = woken;
	trace(v, CPU_TR_DESCHED, p->idx, woken);
	if (p->rq_tail)
		p->rq_tail->rq_next = v;
	else
		p->rq_head = v;
	p->rq_tail = v;
	if (p->cur && p->cur->state == VCPU_POLLING) {
		/* KVM stops halt polling once another thread is runnable */
		sim_cancel(p->m->sim, &p->cur->ev);
		vcpu_block(p->cur);
		return;
	}
	arm_slice(p, woken);
}

/* The pCPU is free: the next waiting thread gets it after a switch. */
static void pcpu_release(struct cpu_pcpu *p)
{
	struct cpu_vcpu *w = p->rq_head;

	p->cur = NULL;
	p->preempt = false;
	sim_cancel(p->m->sim, &p->slice_ev);
	if (!w)
		return;
	p->rq_head = w->rq_next;
	if (!p->rq_head)
		p->rq_tail = NULL;
	p->cur = w;
	p->run_start = sim_now(p->m->sim);
	w->stats.runnable_time += sim_now(p->m->sim) - w->t_runnable;
	w->state = VCPU_HOST;
	host_step(w, H_SWITCH);
	if (p->rq_head)
		arm_slice(p, p->rq_head->was_woken);
}

/* @v's thread wants its pCPU: true if it has it now, else it waits. */
static bool pcpu_acquire(struct cpu_vcpu *v, bool woken)
{
	struct cpu_pcpu *p = v->p;

	if (p->cur == v)
		return true;
	if (!p->cur) {
		p->cur = v;
		p->run_start = sim_now(p->m->sim);
		return true;
	}
	rq_push(p, v, woken);
	return false;
}

static void slice_fire(struct sim *sim, struct sim_event *ev)
{
	struct cpu_pcpu *p = container_of(ev, struct cpu_pcpu, slice_ev);
	struct cpu_vcpu *v = p->cur;

	(void)sim;
	if (!v || !p->rq_head)
		return;
	v->stats.preemptions++;
	p->preempt = true;
	if (v->state == VCPU_GUEST)
		vcpu_exit(v, EXIT_PREEMPT); /* the host's tick interrupts the guest */
}

/* ---- the host side of the loop --------------------------------------------------- */

static void vcpu_power_down(struct cpu_vcpu *v);

static void vcpu_enter(struct cpu_vcpu *v)
{
	uint64_t cyc;

	if (v->off) {
		vcpu_power_down(v); /* 4.4's run loop: vcpu_sleep() */
		return;
	}
	if (!pcpu_acquire(v, false))
		return; /* it enters once its thread has the pCPU */
	if (v->trap_open)
		v->x->tt.in = sim_now(v->m->sim);
	step_begin(v);
	cyc = v->ic ? v->ic->flush(v->ic_ctx, v) : 0;
	v->state = VCPU_ENTERING;
	v->kick_sent = false; /* vcpu->mode = IN_GUEST_MODE */
	trace(v, CPU_TR_ENTER, v->p->idx, cpu_vcpu_spread(v, cyc + costs(v)->entry));
	step_host(v, entry_done, cyc + costs(v)->entry);
}

static void vcpu_entered(struct cpu_vcpu *v)
{
	v->state = VCPU_GUEST;
	v->stats.entries++;
	if (pcpu_in(v->p, CPU_IRQ) || pcpu_in(v->p, CPU_FIQ)) {
		vcpu_exit(v, EXIT_IRQ); /* a physical interrupt is waiting */
		return;
	}
	if (v->trap_open) {
		/* the guest goes on past the trapped instruction */
		v->trap_open = false;
		v->x->tt.resumed = sim_now(v->m->sim);
		v->x->ops->done(v->x->ctx, v, &v->trap, &v->x->tt);
	}
	if (v->g_paused) {
		v->g_paused = false;
		step_after(v, guest_done[v->gstep], v->g_left);
		return;
	}
	guest_next(v);
}

static void vcpu_exit(struct cpu_vcpu *v, enum exit_reason why)
{
	if (sim_event_pending(&v->ev)) {
		/* pause the guest's step where it is */
		v->g_left = v->ev.time - sim_now(v->m->sim);
		v->g_paused = true;
		sim_cancel(v->m->sim, &v->ev);
	}
	v->state = VCPU_EXITING;
	v->reason = why;
	v->t_exit = sim_now(v->m->sim);
	v->stats.exits++;
	if (why == EXIT_TRAP && v->trap.kind != CPU_TRAP_IRQCHIP) {
		v->trap_open = true;
		v->x->tt = (struct cpu_trap_times){ .trap = v->t_exit };
		trace(v, CPU_TR_EXIT, (uint64_t)(uintptr_t)trap_names[v->trap.kind], v->p->idx);
	} else {
		trace(v, CPU_TR_EXIT, (uint64_t)(uintptr_t)exit_names[why], v->p->idx);
	}
	step_begin(v);
	step_host(v, exit_done, costs(v)->exc_entry + costs(v)->exit);
}

static void host_step(struct cpu_vcpu *v, enum host_step s)
{
	struct cpu_machine *m = v->m;
	uint64_t cyc = 0;

	v->hstep = s;
	step_begin(v);
	switch (s) {
	case H_SYNC:
		cyc = v->ic ? v->ic->sync(v->ic_ctx, v) : 0;
		break;
	case H_IRQ: {
		uint32_t id;

		/* The host takes the exception only for a raised line; its
		 * handler then reads the acknowledge register until a special
		 * INTID (gic_handle_irq()), and that last read takes its
		 * cycles too. */
		if (!m->host || (!v->irq_loop && !pcpu_in(v->p, CPU_IRQ))) {
			host_step(v, H_REASON);
			return;
		}
		id = m->host->ack(m->host_ctx, v->p->idx, &cyc);
		if (id >= 1020) {
			v->irq_loop = false;
			v->hstep = s = H_IRQ_END;
			break;
		}
		v->irq_loop = true;
		cyc += costs(v)->host_irq;
		bool fwd = m->host->handle(m->host_ctx, v->p->idx, id, &cyc);

		trace(v, CPU_TR_HOST_IRQ, id, fwd);
		m->host->eoi(m->host_ctx, v->p->idx, id, &cyc);
		if (!fwd)
			m->host->deactivate(m->host_ctx, v->p->idx, id, &cyc);
		break;
	}
	case H_REASON:
		switch (v->reason) {
		case EXIT_WFI:
			cyc = costs(v)->wfi_trap;
			break;
		case EXIT_TRAP:
			v->stats.traps++;
			if (v->trap.kind == CPU_TRAP_IRQCHIP) {
				cyc = costs(v)->mmio_trap;
				if (v->ic)
					cyc += v->ic->emulate(v->ic_ctx, v, v->trap.bank,
							      v->trap.off, true, &v->trap.val);
				break;
			}
			cyc = v->trap.kind == CPU_TRAP_MMIO ? costs(v)->mmio_trap : costs(v)->hvc;
			v->trap_act = (uint8_t)v->x->ops->handle(v->x->ctx, v, &v->trap, &cyc);
			if (v->trap_act == CPU_WAIT)
				v->reason = EXIT_WFI; /* as a WFI from here on */
			break;
		case EXIT_IRQ:
		case EXIT_NONE:
		case EXIT_PREEMPT:
			break;
		}
		break;
	case H_IRQ_END: /* set by H_IRQ above, with its read's cycles */
		break;
	case H_SWITCH:
		cyc = costs(v)->ctx_switch;
		break;
	case H_WAKE:
		trace(v, CPU_TR_WAKE, v->p->idx, false);
		cyc = costs(v)->wakeup;
		break;
	case H_USER:
		cyc = costs(v)->user_exit;
		break;
	case H_RESUME:
		cyc = costs(v)->user_entry;
		trace(v, CPU_TR_RESUME, v->p->idx, cyc);
		break;
	}
	if (!cyc && (s == H_REASON || s == H_IRQ_END)) {
		/* nothing to do for this exit (a physical interrupt), or a
		 * free last read: the loop goes on at once */
		host_step_done(v);
		return;
	}
	step_host(v, host_done[v->hstep], cyc);
}

static void vcpu_block(struct cpu_vcpu *v)
{
	v->state = VCPU_BLOCKED;
	v->stats.wfi_blocks++;
	trace(v, CPU_TR_BLOCK, v->p->idx, v->reason == EXIT_WFI);
	if (v->p->cur == v)
		pcpu_release(v->p);
}

static void host_irq_next(struct sim *sim, struct sim_event *ev)
{
	(void)sim;
	host_step(vcpu_of(ev), H_IRQ); /* until the host reads a special INTID */
}

static void host_irq_end_done(struct sim *sim, struct sim_event *ev)
{
	(void)sim;
	host_step(vcpu_of(ev), H_REASON);
}

static void poll_done(struct sim *sim, struct sim_event *ev)
{
	(void)sim;
	vcpu_block(vcpu_of(ev)); /* nothing came while it polled */
}

static void host_reason_done(struct sim *sim, struct sim_event *ev)
{
	struct cpu_vcpu *v = vcpu_of(ev);
	struct cpu_pcpu *p = v->p;

	(void)sim;
	if (v->reason == EXIT_TRAP && v->trap_act == CPU_TO_USER) {
		v->trap_act = CPU_RESUME; /* until the VMM's KVM_RUN (H_RESUME) */
		host_step(v, H_USER);
		return;
	}
	if ((v->reason == EXIT_WFI || v->reason == EXIT_NONE) && !v->woken &&
	    !(v->ic && v->ic->pending(v->ic_ctx, v))) {
		if (v->reason == EXIT_WFI && v->m->cfg.halt_poll && !p->rq_head) {
			/* kvm_vcpu_block(): poll before sleeping */
			v->state = VCPU_POLLING;
			step_after(v, poll_done, v->m->cfg.halt_poll);
			return;
		}
		vcpu_block(v);
		return;
	}
	if (p->preempt && p->rq_head) {
		/* its slice is over: the thread yields, and continues
		 * (enters) when it has the pCPU again */
		if (v->reason == EXIT_WFI)
			v->g_paused = false;
		v->woken = false;
		rq_push(p, v, false);
		pcpu_release(p);
		return;
	}
	if (v->reason == EXIT_NONE || v->woken) {
		v->woken = false;
		host_step(v, H_WAKE);
		return;
	}
	if (v->reason == EXIT_WFI)
		v->g_paused = false; /* WFI completes */
	vcpu_enter(v);
}

static void host_wake_done(struct sim *sim, struct sim_event *ev)
{
	struct cpu_vcpu *v = vcpu_of(ev);

	(void)sim;
	v->g_paused = false;
	vcpu_enter(v);
}

static void host_switch_done(struct sim *sim, struct sim_event *ev)
{
	(void)sim;
	vcpu_enter(vcpu_of(ev));
}

/* KVM_RUN has returned: the VMM's thread has the exit. It keeps its pCPU
 * while it runs there. A kick finds it outside the guest (nothing to do:
 * it flushes before it enters), and a physical interrupt for its pCPU
 * waits until it is back in the kernel and enters — a simplification:
 * the host would take it in the VMM's thread at once, at host_irq's
 * cost. */
static void host_user_done(struct sim *sim, struct sim_event *ev)
{
	struct cpu_vcpu *v = vcpu_of(ev);

	v->state = VCPU_USER;
	v->x->tt.user = sim_now(sim);
	trace(v, CPU_TR_USER, (uint64_t)(uintptr_t)trap_names[v->trap.kind], v->p->idx);
	v->x->ops->to_user(v->x->ctx, v);
}

/* The end of the host step @v is in, at once (a step of no cycles). */
static void host_step_done(struct cpu_vcpu *v)
{
	host_done[v->hstep](v->m->sim, &v->ev);
}

static void entry_done(struct sim *sim, struct sim_event *ev)
{
	struct cpu_vcpu *v = vcpu_of(ev);

	(void)sim;
	trace(v, CPU_TR_ENTERED, v->p->idx, v->stats.exits);
	vcpu_entered(v);
}

static void exit_done(struct sim *sim, struct sim_event *ev)
{
	struct cpu_vcpu *v = vcpu_of(ev);

	if (v->trap_open && !v->x->tt.out)
		v->x->tt.out = sim_now(sim);
	v->state = VCPU_HOST;
	trace(v, CPU_TR_HOST, v->p->idx, v->stats.exits);
	host_step(v, H_SYNC);
}

/* ---- power (PSCI) ---------------------------------------------------------------------- */

/* The thread sleeps until powered on (4.4 vcpu_sleep()); an open trap is
 * over without the guest running past it. */
static void vcpu_power_down(struct cpu_vcpu *v)
{
	struct cpu_pcpu *p = v->p;

	v->state = VCPU_OFF;
	trace(v, CPU_TR_POWER, false, p->idx);
	if (v->trap_open) {
		v->trap_open = false;
		v->x->tt.resumed = 0;
		v->x->ops->done(v->x->ctx, v, &v->trap, &v->x->tt);
	}
	if (p->cur == v)
		pcpu_release(p);
}

void cpu_vcpu_set_power(struct cpu_vcpu *v, bool on, unsigned from)
{
	sim_time_t now = sim_now(v->m->sim);

	if (v->off == !on)
		return;
	v->off = !on;
	if (!on) {
		switch (v->state) {
		case VCPU_ENTERING:
		case VCPU_GUEST:
			cpu_vcpu_kick(v, from, now); /* out of the guest, then asleep */
			break;
		case VCPU_POLLING:
			sim_cancel(v->m->sim, &v->ev);
			vcpu_power_down(v);
			break;
		case VCPU_BLOCKED:
			vcpu_power_down(v);
			break;
		default:
			break; /* it finds out at its next vcpu_enter() */
		}
		return;
	}
	if (v->state != VCPU_OFF)
		return;
	/* kvm_psci_vcpu_on(): its guest starts anew at the entry point */
	v->g_paused = false;
	v->gstep = G_RUN;
	v->nlater = 0;
	v->woken = false;
	trace(v, CPU_TR_POWER, true, v->p->idx);
	if (pcpu_acquire(v, true)) {
		v->state = VCPU_HOST;
		host_step(v, H_WAKE);
	}
}

/* ---- kicks --------------------------------------------------------------------------- */

static void kick_fire(struct sim *sim, struct sim_event *ev)
{
	struct cpu_vcpu *v = container_of(ev, struct cpu_vcpu, kick_ev);
	struct cpu_machine *m = v->m;

	(void)sim;
	if (v->kick_is_wake) {
		v->woken = true;
		if (v->state == VCPU_POLLING) {
			/* the poll sees the interrupt: no sleep, no wake-up */
			sim_cancel(m->sim, &v->ev);
			v->stats.polls_won++;
			v->woken = false;
			v->g_paused = false;
			vcpu_enter(v);
		} else if (v->state == VCPU_BLOCKED) {
			v->woken = false;
			if (pcpu_acquire(v, true)) {
				v->state = VCPU_HOST;
				host_step(v, H_WAKE);
			} else {
				v->g_paused = false; /* WFI completes when it runs */
			}
		}
		return;
	}
	if (m->host)
		m->host->send_ipi(m->host_ctx, v->kick_from, v->p->idx);
}

void cpu_vcpu_kick(struct cpu_vcpu *v, unsigned from, sim_time_t t)
{
	const struct cpu_costs *c = costs(v);

	if (sim_event_pending(&v->kick_ev))
		return; /* one on its way already */
	switch (v->state) {
	case VCPU_BLOCKED:
	case VCPU_POLLING:
		v->stats.kicks_wake++;
		v->kick_is_wake = true;
		sim_schedule(v->m->sim, &v->kick_ev, t, SIM_PRIO_DEFAULT);
		return;
	case VCPU_ENTERING:
	case VCPU_GUEST:
		if (v->kick_sent || v->p->idx == from)
			return;
		v->kick_sent = true;
		v->stats.kicks_ipi++;
		v->kick_is_wake = false;
		v->kick_from = from;
		sim_schedule(v->m->sim, &v->kick_ev, t + cpu_cycles(v->m, c->kick_ipi),
			     SIM_PRIO_DEFAULT);
		return;
	default:
		return; /* in the host: it flushes before entering again */
	}
}

/* ---- inputs --------------------------------------------------------------------------- */

static void pcpu_input(void *ctx, unsigned n, bool level)
{
	struct cpu_pcpu *p = ctx;
	struct cpu_vcpu *v = p->cur;

	if (!level)
		return; /* read when needed (pcpu_in()) */
	if (!v && (n == CPU_IRQ || n == CPU_FIQ)) {
		/* an idle pCPU: the host takes the interrupt in the context of
		 * a thread that sleeps there */
		for (unsigned i = 0; i < p->m->nvcpus && !v; i++)
			if (p->m->vcpus[i]->p == p && p->m->vcpus[i]->state == VCPU_BLOCKED)
				v = p->m->vcpus[i];
		if (!v)
			return;
		p->cur = v;
		p->run_start = sim_now(p->m->sim);
	}
	if (!v)
		return;
	switch (n) {
	case CPU_IRQ:
	case CPU_FIQ:
		if (v->state == VCPU_GUEST) {
			vcpu_exit(v, EXIT_IRQ);
		} else if (v->state == VCPU_BLOCKED || v->state == VCPU_POLLING) {
			/* the host takes the interrupt (a poll runs with
			 * interrupts on) */
			sim_cancel(v->m->sim, &v->ev);
			v->state = VCPU_HOST;
			v->reason = EXIT_NONE;
			host_step(v, H_IRQ);
		}
		break;
	case CPU_VIRQ:
	case CPU_VFIQ:
		if (v->state == VCPU_GUEST && v->gstep == G_RUN && !v->g_paused && !v->masked)
			guest_step_start(v, G_EXC);
		break;
	}
}

/*
 * Whether pcpu_input() would only note input @n going to @level by an
 * event at @t with @key, so that the line may defer the change: a fall;
 * a virtual interrupt rising where no vCPU of the pCPU can be in its
 * guest by then (where it would take the exception at once; elsewhere the
 * guest reads the line once in). One entering is in at its entry_done();
 * any other takes at least the entry's cycles from now to get in, and
 * schedules that step after this key was taken.
 */
static bool pcpu_quiet(void *ctx, unsigned n, bool level, sim_time_t t, uint64_t key)
{
	struct cpu_pcpu *p = ctx;
	struct cpu_vcpu *v = p->cur;

	if (!level)
		return true;
	if (n != CPU_VIRQ && n != CPU_VFIQ)
		return false;
	if (v && v->state == VCPU_GUEST)
		return false;
	if (v && v->state == VCPU_ENTERING)
		return sim_key_before(t, key, &v->ev);
	return t <= sim_now(p->m->sim) + p->m->entry_time;
}

static void mask_fire(struct sim *sim, struct sim_event *ev)
{
	struct cpu_vcpu *v = container_of(ev, struct cpu_vcpu, mask_ev);

	v->masked = !v->masked;
	sim_schedule_in(sim, ev, v->masked ? v->mask_len : v->mask_every - v->mask_len,
			SIM_PRIO_DEFAULT);
	/* unmasked while computing: a waiting virtual interrupt is taken */
	if (!v->masked && v->state == VCPU_GUEST && v->gstep == G_RUN && !v->g_paused &&
	    v->p->cur == v && virq_pending(v))
		guest_step_start(v, G_EXC);
}

void cpu_vcpu_set_masking(struct cpu_vcpu *v, sim_time_t every, sim_time_t length)
{
	sim_cancel(v->m->sim, &v->mask_ev);
	v->masked = false;
	v->mask_every = every;
	v->mask_len = length < every ? length : every;
	if (every && v->mask_len)
		sim_schedule_in(v->m->sim, &v->mask_ev, 0, SIM_PRIO_DEFAULT);
}

void cpu_input_connect(struct cpu_machine *m, unsigned pcpu, enum cpu_input in,
		       struct irq_line *line)
{
	if (pcpu < m->cfg.npcpus && in < CPU_NR_INPUTS) {
		m->pcpu[pcpu].in[in] = line;
		irq_line_connect(line, pcpu_input, &m->pcpu[pcpu], in);
		irq_line_reads_level(line, pcpu_quiet);
	}
}

bool cpu_vcpu_trap(struct cpu_vcpu *v, int bank, uint32_t off, uint64_t val)
{
	return cpu_vcpu_trap_access(v, &(struct cpu_trap){ .kind = CPU_TRAP_IRQCHIP,
							   .bank = (int16_t)bank, .off = off,
							   .val = val });
}

bool cpu_vcpu_trap_access(struct cpu_vcpu *v, const struct cpu_trap *tp)
{
	struct cpu_trap t = *tp;

	assert(t.kind == CPU_TRAP_IRQCHIP || v->x->ops);
	if (v->state != VCPU_GUEST || sim_event_pending(&v->ev)) {
		/* only a running guest executes instructions, one at a time:
		 * it makes the access when it runs its own code again */
		if (v->nlater == CPU_TRAPS_WAITING)
			return false; /* refused: the caller counts it */
		assert(sim_now(v->m->sim) >= v->full_until);
		v->later[(v->later_head + v->nlater++) % CPU_TRAPS_WAITING] = t;
		return true;
	}
	assert(sim_now(v->m->sim) >= v->full_until);
	v->trap = t;
	vcpu_exit(v, EXIT_TRAP);
	return true;
}

/*
 * The waiting accesses are taken one at a time by guest_next(), which runs
 * in a firing of v->ev only: at the end of an entry (entry_done()) or of
 * an acknowledge read (guest_ack_done()). Before that:
 *  - exiting or in the host, v->ev's steps go on (nothing else cancels
 *    them) until one of them enters, at a step's end or later: after the
 *    sync (exiting) and the handling of a trap (at least its mmio_trap
 *    cycles) if those are still to come; the entry's step (vcpu_enter())
 *    takes at least the shortest flush's cycles and the entry's;
 *  - entering, the entry's end is the first chance;
 *  - in the guest, in a timed step (where it computes, none wait: it takes
 *    one before it computes), v->ev's end, unless it exits first: an exit
 *    from now on, a sync and an entry;
 *  - halt polling: a wake-up from now on, and an entry.
 * Without v->ev pending (blocked, waiting for its pCPU), nothing is
 * promised. Each step's cycles convert on their own (cpu_cycles() of a sum
 * is at least the sum of theirs), so the times add up.
 */
sim_time_t cpu_vcpu_traps_full_until(struct cpu_vcpu *v)
{
	const struct cpu_machine *m = v->m;
	sim_time_t now = sim_now(m->sim), t;

	if (v->nlater < CPU_TRAPS_WAITING || !sim_event_pending(&v->ev))
		return now;
	switch (v->state) {
	case VCPU_EXITING:
	case VCPU_HOST: {
		sim_time_t d = v->least_in;

		if (v->state == VCPU_EXITING)
			d += v->least_sync;
		if (v->reason == EXIT_TRAP &&
		    (v->state == VCPU_EXITING || v->hstep == H_SYNC || v->hstep == H_IRQ ||
		     v->hstep == H_IRQ_END))
			d += m->trap_time;
		t = v->ev.time + at_least(m, d);
		break;
	}
	case VCPU_ENTERING:
		t = v->ev.time;
		break;
	case VCPU_GUEST:
		t = now + at_least(m, m->exit_time + v->least_sync + v->least_in);
		if (v->ev.time < t)
			t = v->ev.time;
		break;
	default:
		t = now + at_least(m, v->least_in);
		break;
	}
	if (t > v->full_until)
		v->full_until = t;
	return t;
}

/* The guest runs its own code again: an access it was to make traps now. */
static bool guest_trap_later(struct cpu_vcpu *v)
{
	if (!v->nlater)
		return false;
	v->trap = v->later[v->later_head];
	v->later_head = (v->later_head + 1) % CPU_TRAPS_WAITING;
	v->nlater--;
	vcpu_exit(v, EXIT_TRAP);
	return true;
}

/* ---- life cycle ------------------------------------------------------------------------ */

struct cpu_machine *cpu_machine_create(struct sim *sim, const struct cpu_machine_config *cfg)
{
	struct cpu_machine *m;

	if (!cfg->npcpus) {
		errno = EINVAL;
		return NULL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->sim = sim;
	m->cfg = *cfg;
	if (!m->cfg.clock.num)
		sim_clock_init_hz(&m->cfg.clock, 2000000000);
	m->entry_time = cpu_cycles(m, m->cfg.costs.entry);
	m->exit_time = cpu_cycles(m, m->cfg.costs.exc_entry + m->cfg.costs.exit);
	m->trap_time = cpu_cycles(m, m->cfg.costs.mmio_trap);
	m->pcpu = calloc_aligned(_Alignof(struct cpu_pcpu), cfg->npcpus, sizeof(*m->pcpu));
	if (!m->pcpu) {
		free(m);
		return NULL;
	}
	if (!m->cfg.slice)
		m->cfg.slice = SIM_MS(3);
	if (!m->cfg.wakeup_gran)
		m->cfg.wakeup_gran = SIM_MS(1);
	for (unsigned i = 0; i < cfg->npcpus; i++) {
		m->pcpu[i].m = m;
		m->pcpu[i].idx = i;
		sim_event_init(&m->pcpu[i].slice_ev, slice_fire);
	}
	for (unsigned i = 0; i < CPU_NR_TRACE; i++) {
		if (sim_tracepoint_init(sim, &m->tp[i], cfg->name ? cfg->name : "cpu",
					&cpu_trace_desc[i])) {
			cpu_machine_destroy(m);
			errno = ENOMEM;
			return NULL;
		}
	}
	return m;
}

void cpu_machine_destroy(struct cpu_machine *m)
{
	if (!m)
		return;
	for (unsigned i = 0; i < CPU_NR_TRACE; i++)
		sim_tracepoint_release(&m->tp[i]);
	free(m->spread_f);
	for (unsigned i = 0; i < m->nvcpus; i++) {
		sim_cancel(m->sim, &m->vcpus[i]->ev);
		sim_cancel(m->sim, &m->vcpus[i]->kick_ev);
		sim_cancel(m->sim, &m->vcpus[i]->mask_ev);
		free(m->vcpus[i]->x);
		free(m->vcpus[i]);
	}
	for (unsigned i = 0; m->pcpu && i < m->cfg.npcpus; i++)
		sim_cancel(m->sim, &m->pcpu[i].slice_ev);
	free(m->vcpus);
	free(m->pcpu);
	free(m);
}

bool cpu_pcpu_busy(const struct cpu_machine *m, unsigned pcpu)
{
	const struct cpu_vcpu *v = m->pcpu[pcpu].cur;

	return v && v->state != VCPU_BLOCKED && v->state != VCPU_OFF;
}

int cpu_machine_set_spread(struct cpu_machine *m, uint64_t seed, double a, double sigma)
{
	double mean = 0;

	m->noisy = false;
	if (!(a > 0 && sigma > 0))
		return 0;
	if (!m->spread_f && !(m->spread_f = malloc(SPREAD_BINS * sizeof(*m->spread_f))))
		return -1;
	/* L at the middle of each of SPREAD_BINS equally likely bins, scaled
	 * so that their mean is exactly 1 */
	for (unsigned k = 0; k < SPREAD_BINS; k++) {
		m->spread_f[k] = sim_exp(sigma * normal_quantile((k + 0.5) / SPREAD_BINS));
		mean += m->spread_f[k] / SPREAD_BINS;
	}
	for (unsigned k = 0; k < SPREAD_BINS; k++)
		m->spread_f[k] = 1 - a + a * m->spread_f[k] / mean;
	m->spread_a = a;
	m->noisy = true;
	for (unsigned i = 0; i < m->cfg.npcpus; i++)
		sim_rng_seed(&m->pcpu[i].spread, seed, sim_fnv1a64("cpu.spread") + i);
	return 0;
}

void cpu_machine_set_sched(struct cpu_machine *m, sim_time_t slice, sim_time_t wakeup_gran,
			   sim_time_t halt_poll)
{
	if (slice)
		m->cfg.slice = slice;
	if (wakeup_gran)
		m->cfg.wakeup_gran = wakeup_gran;
	m->cfg.halt_poll = halt_poll;
}

void cpu_machine_set_host(struct cpu_machine *m, const struct cpu_host_ops *ops, void *ctx)
{
	m->host = ops;
	m->host_ctx = ctx;
}

struct cpu_vcpu *cpu_vcpu_create(struct cpu_machine *m, unsigned idx, unsigned pcpu)
{
	struct cpu_vcpu *v, **vs;

	if (pcpu >= m->cfg.npcpus) {
		errno = EINVAL;
		return NULL;
	}
	v = calloc_aligned(_Alignof(struct cpu_vcpu), 1, sizeof(*v));
	vs = realloc(m->vcpus, (m->nvcpus + 1) * sizeof(*vs));
	if (v)
		v->x = calloc(1, sizeof(*v->x));
	if (!v || !vs || !v->x) {
		if (v)
			free(v->x);
		free(v);
		if (vs)
			m->vcpus = vs;
		errno = ENOMEM;
		return NULL;
	}
	m->vcpus = vs;
	v->m = m;
	v->idx = idx;
	v->p = &m->pcpu[pcpu];
	v->state = VCPU_OUT;
	v->least_in = m->entry_time; /* no irqchip: no flush, no sync */
	sim_event_init(&v->ev, entry_done); /* see step_after() */
	sim_event_init(&v->kick_ev, kick_fire);
	sim_event_init(&v->mask_ev, mask_fire);
	m->vcpus[m->nvcpus++] = v;
	return v;
}

void cpu_vcpu_set_irqchip(struct cpu_vcpu *v, const struct cpu_irqchip_ops *ops, void *ctx)
{
	uint64_t flush = 0, sync = 0;

	v->ic = ops;
	v->ic_ctx = ctx;
	if (ops)
		ops->least(ctx, &flush, &sync);
	v->least_sync = cpu_cycles(v->m, sync);
	v->least_in = cpu_cycles(v->m, flush + v->m->cfg.costs.entry);
}

void cpu_vcpu_set_guest(struct cpu_vcpu *v, const struct cpu_guest_ops *ops, void *ctx,
			enum cpu_guest_idle idle, uint64_t handler_cycles)
{
	v->gops = ops;
	v->g_ctx = ctx;
	v->idle = idle;
	v->handler_cycles = handler_cycles;
}

void cpu_vcpu_set_observer(struct cpu_vcpu *v, const struct cpu_observer *obs)
{
	v->obs = *obs;
}

void cpu_vcpu_set_handler_time(struct cpu_vcpu *v,
			       sim_time_t (*fn)(void *ctx, unsigned vcpu, uint32_t id),
			       void *ctx)
{
	v->handler_time = fn;
	v->handler_ctx = ctx;
}

void cpu_vcpu_set_idle(struct cpu_vcpu *v, enum cpu_guest_idle idle)
{
	v->idle = idle;
}

unsigned cpu_vcpu_index(const struct cpu_vcpu *v)
{
	return v->idx;
}

struct cpu_machine *cpu_vcpu_machine(const struct cpu_vcpu *v)
{
	return v->m;
}

unsigned cpu_vcpu_pcpu(const struct cpu_vcpu *v)
{
	return v->p->idx;
}

sim_time_t cpu_vcpu_exit_start(const struct cpu_vcpu *v)
{
	return v->t_exit;
}

const struct cpu_vcpu_stats *cpu_vcpu_stats(const struct cpu_vcpu *v)
{
	return &v->stats;
}

void cpu_vcpu_set_exits(struct cpu_vcpu *v, const struct cpu_exit_ops *ops, void *ctx)
{
	v->x->ops = ops;
	v->x->ctx = ctx;
}

void cpu_vcpu_start(struct cpu_vcpu *v)
{
	if (v->state != VCPU_OUT)
		return;
	vcpu_enter(v);
}

bool cpu_vcpu_resume(struct cpu_vcpu *v)
{
	if (v->state != VCPU_USER)
		return false;
	v->state = VCPU_HOST;
	v->x->tt.back = sim_now(v->m->sim);
	host_step(v, H_RESUME);
	return true;
}

bool cpu_vcpu_in_user(const struct cpu_vcpu *v)
{
	return v->state == VCPU_USER;
}
