/* SPDX-License-Identifier: MIT */
/*
 * sim.h — the discrete-event kernel: simulated time, clocks, intrusive
 * events and the scheduler that orders them.
 *
 * Time is a uint64_t count of picoseconds. Events are embedded in their
 * owner's state and fire in the total order (time, priority, insertion
 * sequence); the same schedule calls always give the same firing order.
 * Nothing on the schedule / cancel / fire path allocates once the queue's
 * arrays have grown to the workload's high-water mark (they never shrink).
 *
 * Threading: a struct sim and everything scheduled on it belong to one
 * thread at a time. Separate struct sim instances are independent.
 */
#ifndef KVMSIM_SIM_H
#define KVMSIM_SIM_H

#include <assert.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Simulated time in picoseconds. 2^64 ps is about 213 days. */
typedef uint64_t sim_time_t;
/* A count of cycles of some struct sim_clock; never mixed with time. */
typedef uint64_t sim_cycles_t;

#define SIM_TIME_MAX UINT64_MAX
#define SIM_PS(x) ((sim_time_t)(x))
#define SIM_NS(x) ((sim_time_t)(x) * 1000u)
#define SIM_US(x) ((sim_time_t)(x) * 1000000u)
#define SIM_MS(x) ((sim_time_t)(x) * 1000000000u)
#define SIM_S(x) ((sim_time_t)(x) * 1000000000000u)

#ifndef container_of
#define container_of(ptr, type, member)                                        \
	((type *)((char *)(ptr) - offsetof(type, member)))
#endif

/*
 * struct sim_clock - a clock whose period is the exact rational num/den ps.
 *
 * A 3 GHz clock has period 1000/3 ps: cycle n starts at floor(n * num / den)
 * ps. Conversions use 128-bit intermediates and always round down, so they
 * are exact and identical on every machine.
 */
struct sim_clock {
	uint64_t num; /* period numerator, ps */
	uint64_t den; /* period denominator, > 0 */
	/* set by sim_clock_init_*(): ceil(2^64 / den) for den > 1, and the
	 * largest cycles * num that this reciprocal divides exactly (0 when
	 * unused, as in a clock written field by field) */
	uint64_t inv;
	uint64_t inv_max;
};

/**
 * sim_clock_init_period() - clock with an integer period.
 * @clk: clock to set up
 * @period_ps: period in picoseconds, > 0
 */
void sim_clock_init_period(struct sim_clock *clk, uint64_t period_ps);

/**
 * sim_clock_init_hz() - clock of an integer frequency, exactly.
 * @clk: clock to set up
 * @hz: frequency in Hz, > 0
 */
void sim_clock_init_hz(struct sim_clock *clk, uint64_t hz);

/**
 * sim_clock_time() - start time of cycle @cycles.
 *
 * Returns floor(cycles * period) in ps, or SIM_TIME_MAX when that does not
 * fit in sim_time_t (the caller asked for a time beyond the end of time).
 */
sim_time_t sim_clock_time(const struct sim_clock *clk, sim_cycles_t cycles);

/**
 * sim_clock_cycles() - number of whole cycles that have started by @t.
 *
 * The inverse of sim_clock_time(): sim_clock_cycles(c, sim_clock_time(c, n))
 * == n for every n whose time is representable.
 */
sim_cycles_t sim_clock_cycles(const struct sim_clock *clk, sim_time_t t);

/**
 * sim_clock_next_edge() - first cycle start at or after @t.
 *
 * Returns SIM_TIME_MAX when no such edge is representable.
 */
sim_time_t sim_clock_next_edge(const struct sim_clock *clk, sim_time_t t);

/*
 * Event priorities break ties between events at the same time; lower fires
 * first. Events of equal time and priority fire in scheduling order (FIFO).
 */
enum sim_prio {
	/* Wire and state updates: a level change propagates before anything
	 * at the same instant samples it. */
	SIM_PRIO_UPDATE = 0,
	/* Ordinary model activity: most events use this. */
	SIM_PRIO_DEFAULT = 128,
	/* Observers (statistics sampling, watchdogs) that must see every
	 * state change of their instant. */
	SIM_PRIO_OBSERVE = 192,
	/* End-of-run and stop markers: fire after everything else at their
	 * time. */
	SIM_PRIO_LAST = 255,
};

struct sim;
struct sim_event;

/*
 * Event callback. It gets back to its owner with container_of(ev, ...), and
 * may schedule, reschedule or cancel any event, itself included, and call
 * sim_stop().
 */
typedef void (*sim_event_fn)(struct sim *sim, struct sim_event *ev);

/*
 * struct sim_event - an event embedded in its owner's state.
 *
 * Initialise once with sim_event_init(); the fields are private to the
 * kernel. An event is either idle or pending on exactly one struct sim.
 */
struct sim_event {
	sim_time_t time;   /* firing time while pending */
	uint64_t key;      /* priority << 56 | insertion sequence */
	sim_event_fn fn;   /* callback */
	uint32_t where;    /* idle, or which queue holds it, see sim.c */
	uint32_t idx;      /* its position there (a hint in the wheel) */
};

enum sim_queue_kind {
	/* Hierarchical timing wheel, a sorted run for the current slot and a
	 * small heap for late arrivals: O(1) schedule and cancel for future
	 * events. The default. */
	SIM_QUEUE_WHEEL = 0,
	/* 4-ary heap over all pending events: the reference baseline. */
	SIM_QUEUE_HEAP = 1,
};

struct sim_config {
	enum sim_queue_kind queue;
	/* Wheel slot width is 2^slot_shift ps (0: default, 10 ≈ 1 ns). */
	unsigned slot_shift;
};

/* Why sim_run_until() returned. */
enum sim_run_result {
	SIM_RUN_REACHED = 0, /* every event up to the limit fired */
	SIM_RUN_STOPPED = 1, /* a callback called sim_stop() */
};

/**
 * sim_create() - a new, empty simulation at time 0.
 * @cfg: queue choice, or NULL for the defaults
 *
 * Returns NULL when memory is exhausted.
 */
struct sim *sim_create(const struct sim_config *cfg);

/**
 * sim_destroy() - free a simulation. Pending events are simply forgotten:
 * their owners may be freed before or after.
 */
void sim_destroy(struct sim *sim);

/** sim_now() - the current simulated time. */
sim_time_t sim_now(const struct sim *sim);

/**
 * sim_event_init() - prepare an embedded event.
 * @ev: the event
 * @fn: callback called when it fires
 */
void sim_event_init(struct sim_event *ev, sim_event_fn fn);

/** sim_event_pending() - whether @ev is scheduled and has not fired yet. */
static inline bool sim_event_pending(const struct sim_event *ev)
{
	return ev->where != 0;
}

/**
 * sim_event_set_fn() - the callback @ev calls when it next fires.
 * @ev: an idle event (changing a pending one's is a programming error)
 * @fn: the callback
 *
 * For an owner whose one event plays many parts (a CPU's next step): the
 * code that schedules it knows which part, so the callback need not look
 * it up again when the event fires.
 */
static inline void sim_event_set_fn(struct sim_event *ev, sim_event_fn fn)
{
	assert(!sim_event_pending(ev) && "callback of a pending event");
	ev->fn = fn;
}

/**
 * sim_schedule() - schedule an idle event at absolute time @t >= now.
 *
 * Scheduling a pending event, or in the past, is a programming error
 * (assert). Use sim_reschedule() to move a pending event.
 */
void sim_schedule(struct sim *sim, struct sim_event *ev, sim_time_t t,
		  enum sim_prio prio);

/** sim_schedule_in() - sim_schedule() at now + @delay (saturating). */
void sim_schedule_in(struct sim *sim, struct sim_event *ev, sim_time_t delay,
		     enum sim_prio prio);

/**
 * sim_cancel() - cancel @ev if it is pending.
 *
 * Returns true if it was pending. Idempotent. From then on the kernel
 * does not read @ev: its owner may free it at once.
 */
bool sim_cancel(struct sim *sim, struct sim_event *ev);

/**
 * sim_reschedule() - move @ev to @t, pending or not.
 *
 * The event takes a new insertion sequence number, exactly as cancel
 * followed by schedule would give it.
 */
void sim_reschedule(struct sim *sim, struct sim_event *ev, sim_time_t t,
		    enum sim_prio prio);

/*
 * Deferred events. A model that knows what an event would do, and whose
 * effect nobody needs before they look (a wire whose sink reads its level
 * when it needs it), may skip scheduling the event yet keep its place in
 * the order: it takes the key sim_schedule() would give the event now,
 * later asks whether an event at that time and key would have fired, and
 * may still schedule it, at the same place, should someone need it run.
 */

/** sim_key_take() - the key sim_schedule() would give an event now. It is
 * used up: no other event gets it. */
uint64_t sim_key_take(struct sim *sim, enum sim_prio prio);

/**
 * sim_key_past() - whether an event at @t with key @key (sim_key_take())
 * would have fired by now: in a callback, if it comes before the event
 * whose callback runs; between runs, if @t <= now.
 */
bool sim_key_past(const struct sim *sim, sim_time_t t, uint64_t key);

/** sim_key_before() - whether an event at @t with @key fires before the
 * pending event @ev. */
static inline bool sim_key_before(sim_time_t t, uint64_t key, const struct sim_event *ev)
{
	return t < ev->time || (t == ev->time && key < ev->key);
}

/**
 * sim_schedule_key() - sim_schedule() with the key sim_key_take() gave
 * for the event (which must not be past): it fires where the event would
 * have, had it been scheduled then.
 */
void sim_schedule_key(struct sim *sim, struct sim_event *ev, sim_time_t t, uint64_t key);

/**
 * sim_run_until() - fire every event whose time is <= @t, in order.
 *
 * Events that callbacks schedule at or before @t fire in the same call.
 * On SIM_RUN_REACHED, sim_now() is @t afterwards (time advances even when
 * nothing was pending). On SIM_RUN_STOPPED, sim_now() is the time of the
 * event whose callback stopped the run; the rest stay pending.
 */
enum sim_run_result sim_run_until(struct sim *sim, sim_time_t t);

/** sim_run_for() - sim_run_until(now + @d), saturating at SIM_TIME_MAX. */
enum sim_run_result sim_run_for(struct sim *sim, sim_time_t d);

/**
 * sim_stop() - from a callback: return from sim_run_until() once the
 * current callback returns.
 */
void sim_stop(struct sim *sim);

/** sim_pending() - number of pending events. */
size_t sim_pending(const struct sim *sim);

/** sim_fired() - number of events fired since sim_create(). */
uint64_t sim_fired(const struct sim *sim);

/**
 * sim_next_time() - time of the earliest pending event, or SIM_TIME_MAX.
 */
sim_time_t sim_next_time(struct sim *sim);

/** sim_trace_of() - the simulation's tracer (see trace.h). */
struct sim_trace *sim_trace_of(struct sim *sim);

#ifdef __cplusplus
}
#endif

#endif /* KVMSIM_SIM_H */
