// SPDX-License-Identifier: MIT
/*
 * test_sim.c — the event kernel: total order (time, priority, sequence)
 * against a reference model, callbacks that schedule and cancel, run_until
 * boundaries, clock conversions at the extremes, and the no-allocation rule.
 * Every test runs on both queue structures.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "sim/rng.h"
#include "sim/sim.h"

/* ---- allocation counting (see tests/Makefile.inc: --wrap) ------------- */

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);
static unsigned long alloc_calls;

void *__wrap_malloc(size_t n)
{
	alloc_calls++;
	return __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
	alloc_calls++;
	return __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
	alloc_calls++;
	return __real_realloc(p, n);
}

/* The queue configurations every ordering test runs on. */
static const struct sim_config configs[] = {
	{ .queue = SIM_QUEUE_WHEEL },
	{ .queue = SIM_QUEUE_WHEEL, .slot_shift = 1 },
	{ .queue = SIM_QUEUE_WHEEL, .slot_shift = 20 },
	{ .queue = SIM_QUEUE_HEAP },
};
#define NCONFIGS (sizeof(configs) / sizeof(configs[0]))

/* ---- a recording event ------------------------------------------------ */

#define MAXLOG 64

struct rec {
	struct sim_event ev;
	int id;
	int *log;
	int *nlog;
};

static void rec_fire(struct sim *sim, struct sim_event *ev)
{
	struct rec *r = container_of(ev, struct rec, ev);

	(void)sim;
	cr_assert_lt(*r->nlog, MAXLOG);
	r->log[(*r->nlog)++] = r->id;
}

static void rec_init(struct rec *r, int n, int *log, int *nlog)
{
	for (int i = 0; i < n; i++) {
		sim_event_init(&r[i].ev, rec_fire);
		r[i].id = i;
		r[i].log = log;
		r[i].nlog = nlog;
	}
}

/* ---- ordering --------------------------------------------------------- */

Test(sim, same_time_orders_by_priority_then_insertion)
{
	for (size_t c = 0; c < NCONFIGS; c++) {
		struct sim *sim = sim_create(&configs[c]);
		struct rec r[6];
		int log[MAXLOG], n = 0;

		rec_init(r, 6, log, &n);
		sim_schedule(sim, &r[0].ev, 100, SIM_PRIO_DEFAULT);
		sim_schedule(sim, &r[1].ev, 100, SIM_PRIO_LAST);
		sim_schedule(sim, &r[2].ev, 100, SIM_PRIO_UPDATE);
		sim_schedule(sim, &r[3].ev, 100, SIM_PRIO_DEFAULT);
		sim_schedule(sim, &r[4].ev, 99, SIM_PRIO_LAST);
		sim_schedule(sim, &r[5].ev, 100, SIM_PRIO_OBSERVE);
		sim_run_until(sim, 1000);
		/* time first, then priority, then FIFO within a priority */
		int want[] = { 4, 2, 0, 3, 5, 1 };
		cr_assert_eq(n, 6);
		for (int i = 0; i < 6; i++)
			cr_assert_eq(log[i], want[i], "config %zu pos %d: got %d want %d",
				     c, i, log[i], want[i]);
		sim_destroy(sim);
	}
}

Test(sim, reschedule_takes_a_new_sequence_number)
{
	for (size_t c = 0; c < NCONFIGS; c++) {
		struct sim *sim = sim_create(&configs[c]);
		struct rec r[3];
		int log[MAXLOG], n = 0;

		rec_init(r, 3, log, &n);
		sim_schedule(sim, &r[0].ev, 50, SIM_PRIO_DEFAULT);
		sim_schedule(sim, &r[1].ev, 50, SIM_PRIO_DEFAULT);
		sim_schedule(sim, &r[2].ev, 10, SIM_PRIO_DEFAULT);
		/* moving r0 to the same time puts it behind r1 */
		sim_reschedule(sim, &r[0].ev, 50, SIM_PRIO_DEFAULT);
		sim_run_until(sim, 100);
		cr_assert_eq(n, 3);
		cr_assert_eq(log[0], 2);
		cr_assert_eq(log[1], 1);
		cr_assert_eq(log[2], 0);
		sim_destroy(sim);
	}
}

/*
 * Reference model: every event's (pending, time, prio, seq) kept in plain
 * arrays; the next event is found by scanning. Callbacks apply random
 * schedule / cancel / reschedule operations to both the kernel and the
 * model, and every firing must be the model's minimum.
 */
#define NREF 97

struct refworld {
	struct sim *sim;
	struct sim_rng rng;
	struct rev {
		struct sim_event ev;
		int id;
	} ev[NREF];
	bool pending[NREF];
	sim_time_t time[NREF];
	unsigned prio[NREF];
	uint64_t seq[NREF];
	uint64_t nextseq;
	uint64_t fired;
	uint64_t budget; /* random operations left */
};

static struct refworld *world;

static int ref_min(const struct refworld *w)
{
	int best = -1;

	for (int i = 0; i < NREF; i++) {
		if (!w->pending[i])
			continue;
		if (best < 0 || w->time[i] < w->time[best] ||
		    (w->time[i] == w->time[best] &&
		     (w->prio[i] < w->prio[best] ||
		      (w->prio[i] == w->prio[best] && w->seq[i] < w->seq[best]))))
			best = i;
	}
	return best;
}

static size_t ref_count(const struct refworld *w)
{
	size_t n = 0;

	for (int i = 0; i < NREF; i++)
		n += w->pending[i];
	return n;
}

static sim_time_t random_delay(struct sim_rng *r)
{
	/* many scales: ties, one slot, one level, many levels */
	switch (sim_rng_below(r, 6)) {
	case 0:
		return 0;
	case 1:
		return sim_rng_below(r, 4);
	case 2:
		return sim_rng_below(r, 1u << 12);
	case 3:
		return sim_rng_below(r, 1u << 20);
	case 4:
		return sim_rng_below(r, UINT64_C(1) << 34);
	default:
		return sim_rng_below(r, UINT64_C(1) << 50);
	}
}

static const enum sim_prio prios[] = { SIM_PRIO_UPDATE, SIM_PRIO_DEFAULT,
				       SIM_PRIO_OBSERVE, SIM_PRIO_LAST };

static void ref_schedule(struct refworld *w, int i, bool move)
{
	sim_time_t t = sim_now(w->sim) + random_delay(&w->rng);
	enum sim_prio p = prios[sim_rng_below(&w->rng, 4)];

	if (move)
		sim_reschedule(w->sim, &w->ev[i].ev, t, p);
	else
		sim_schedule(w->sim, &w->ev[i].ev, t, p);
	w->pending[i] = true;
	w->time[i] = t;
	w->prio[i] = p;
	w->seq[i] = w->nextseq++;
}

static void ref_random_ops(struct refworld *w)
{
	unsigned nops = (unsigned)sim_rng_below(&w->rng, 4);

	for (unsigned k = 0; k < nops && w->budget; k++, w->budget--) {
		int i = (int)sim_rng_below(&w->rng, NREF);

		switch (sim_rng_below(&w->rng, 3)) {
		case 0: /* schedule if idle */
			if (!w->pending[i])
				ref_schedule(w, i, false);
			break;
		case 1: {
			bool was = sim_cancel(w->sim, &w->ev[i].ev);

			cr_assert_eq(was, w->pending[i], "cancel of %d", i);
			w->pending[i] = false;
			break;
		}
		default:
			ref_schedule(w, i, true);
		}
		cr_assert_eq(sim_event_pending(&w->ev[i].ev), w->pending[i]);
	}
}

static void ref_fire(struct sim *sim, struct sim_event *ev)
{
	struct rev *e = container_of(ev, struct rev, ev);
	struct refworld *w = world;
	int want = ref_min(w);

	cr_assert_eq(e->id, want, "fired %d at %llu, reference says %d at %llu",
		     e->id, (unsigned long long)sim_now(sim), want,
		     want >= 0 ? (unsigned long long)w->time[want] : 0ULL);
	cr_assert_eq(sim_now(sim), w->time[want]);
	cr_assert_not(sim_event_pending(ev));
	w->pending[want] = false;
	w->fired++;
	ref_random_ops(w);
}

static void run_reference(const struct sim_config *cfg, uint64_t seed)
{
	struct refworld *w = calloc(1, sizeof(*w));

	world = w;
	w->sim = sim_create(cfg);
	sim_rng_seed(&w->rng, seed, 0);
	w->budget = 30000;
	for (int i = 0; i < NREF; i++) {
		sim_event_init(&w->ev[i].ev, ref_fire);
		w->ev[i].id = i;
	}
	/* operations from outside callbacks, then run in random-length steps */
	while (w->budget) {
		ref_random_ops(w);
		cr_assert_eq(sim_pending(w->sim), ref_count(w));
		sim_run_for(w->sim, random_delay(&w->rng));
	}
	sim_run_until(w->sim, SIM_TIME_MAX);
	cr_assert_eq(ref_min(w), -1, "events left behind");
	cr_assert_eq(sim_pending(w->sim), 0);
	cr_assert_gt(w->fired, 1000, "the test exercised too little");
	sim_destroy(w->sim);
	free(w);
}

Test(sim, random_operations_match_reference_model)
{
	for (size_t c = 0; c < NCONFIGS; c++)
		for (uint64_t seed = 1; seed <= 4; seed++)
			run_reference(&configs[c], seed);
}

/*
 * Many events in few slots: large runs take the counting-sort path of the
 * wheel. The firing order must be the (time, priority, sequence) order,
 * checked against qsort of the same triples.
 */
struct dense_ev {
	struct sim_event ev;
	sim_time_t t;
	unsigned prio;
	uint64_t seq;
};

static struct dense_ev **dense_log;
static size_t dense_n;

static void dense_fire(struct sim *sim, struct sim_event *ev)
{
	(void)sim;
	dense_log[dense_n++] = container_of(ev, struct dense_ev, ev);
}

static int dense_cmp(const void *a, const void *b)
{
	const struct dense_ev *x = *(struct dense_ev *const *)a;
	const struct dense_ev *y = *(struct dense_ev *const *)b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	if (x->prio != y->prio)
		return x->prio < y->prio ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Run @sim to the end: the events that fire must be @want[0..n) in
 * (time, priority, sequence) order. @what and @which name the case. */
static void dense_run_and_check(struct sim *sim, struct dense_ev **want, size_t n,
				const char *what, size_t which)
{
	qsort(want, n, sizeof(*want), dense_cmp);
	sim_run_until(sim, SIM_TIME_MAX);
	cr_assert_eq(dense_n, n, "%s %zu", what, which);
	for (size_t j = 0; j < n; j++)
		cr_assert_eq(dense_log[j], want[j], "%s %zu: position %zu", what, which, j);
}

Test(sim, dense_slots_fire_in_exact_order)
{
	const size_t n = 20000;
	struct dense_ev *e = calloc(n, sizeof(*e));
	struct dense_ev **want = calloc(n, sizeof(*want));
	struct sim_rng r;

	dense_log = calloc(n, sizeof(*dense_log));
	sim_rng_seed(&r, 21, 0);
	for (size_t k = 0; k < NCONFIGS; k++) {
		struct sim *sim = sim_create(&configs[k]);

		dense_n = 0;
		for (size_t i = 0; i < n; i++) {
			sim_event_init(&e[i].ev, dense_fire);
			/* 20000 events over ~8 ns: thousands per 1 ns slot,
			 * with many exact ties */
			e[i].t = 100000 + sim_rng_below(&r, 8000) / (1 + (i % 3) * 3);
			e[i].prio = prios[sim_rng_below(&r, 4)];
			e[i].seq = i;
			want[i] = &e[i];
			sim_schedule(sim, &e[i].ev, e[i].t, e[i].prio);
		}
		/* cancel every seventh; a dead entry must simply be skipped */
		for (size_t i = 0; i < n; i += 7)
			cr_assert(sim_cancel(sim, &e[i].ev));
		qsort(want, n, sizeof(*want), dense_cmp);
		sim_run_until(sim, SIM_TIME_MAX);
		cr_assert_eq(dense_n, n - (n + 6) / 7);
		for (size_t i = 0, j = 0; i < n; i++) {
			if (want[i]->seq % 7 == 0)
				continue;
			cr_assert_eq(dense_log[j], want[i], "config %zu: position %zu", k, j);
			j++;
		}
		sim_destroy(sim);
	}
	free(dense_log);
	free(want);
	free(e);
}

/*
 * A few events in one future level-0 slot of a wheel of 2^20 ps slots:
 * the slot becomes the run at once, each entry copied to its rank. Every
 * permutation-prone case: 2 to 8 entries (the slot's own array), ties in
 * time broken by priority then sequence, scheduled in random order; and
 * one cancelled from the middle after the slot has other entries (it stays
 * in place: the slot's last entry takes its place).
 */
Test(sim, a_few_events_of_one_slot_fire_in_exact_order)
{
	static const struct sim_config cfg = { .queue = SIM_QUEUE_WHEEL, .slot_shift = 20 };
	struct dense_ev e[8], *want[8];
	struct dense_ev *log[8];
	struct sim_rng r;

	dense_log = log;
	sim_rng_seed(&r, 5, 0);
	for (unsigned trial = 0; trial < 4000; trial++) {
		struct sim *sim = sim_create(&cfg);
		size_t n = 2 + trial % 7, cancel = trial % 3 ? n : sim_rng_below(&r, n);
		/* level-0 slot 3 of 2^20 ps ones (the cursor's is 0) */
		sim_time_t base = (sim_time_t)3 << 20;

		dense_n = 0;
		for (size_t i = 0; i < n; i++) {
			sim_event_init(&e[i].ev, dense_fire);
			e[i].t = base + sim_rng_below(&r, 4) * 250000;
			e[i].prio = prios[sim_rng_below(&r, 4)];
			e[i].seq = i;
			sim_schedule(sim, &e[i].ev, e[i].t, e[i].prio);
		}
		if (cancel < n)
			cr_assert(sim_cancel(sim, &e[cancel].ev));
		size_t m = 0;

		for (size_t i = 0; i < n; i++)
			if (i != cancel)
				want[m++] = &e[i];
		dense_run_and_check(sim, want, m, "trial", trial);
		sim_destroy(sim);
	}
}

/*
 * Thousands of events of four times, scheduled in falling priority: within
 * each time, arrival order is the reverse of key order, the case the
 * wheel's sort of equal times may not take n^2 for (it switches to a
 * quicksort of each group). The order must still be exact.
 */
Test(sim, many_events_of_one_time_in_reverse_key_order)
{
	const size_t n = 20000;
	struct dense_ev *e = calloc(n, sizeof(*e));
	struct dense_ev **want = calloc(n, sizeof(*want));

	dense_log = calloc(n, sizeof(*dense_log));
	for (size_t k = 0; k < NCONFIGS; k++) {
		struct sim *sim = sim_create(&configs[k]);

		dense_n = 0;
		for (size_t i = 0; i < n; i++) {
			sim_event_init(&e[i].ev, dense_fire);
			e[i].t = SIM_US(3) + i % 4;
			e[i].prio = prios[3 - i * 4 / n];
			e[i].seq = i;
			want[i] = &e[i];
			sim_schedule(sim, &e[i].ev, e[i].t, e[i].prio);
		}
		qsort(want, n, sizeof(*want), dense_cmp);
		sim_run_until(sim, SIM_TIME_MAX);
		cr_assert_eq(dense_n, n);
		for (size_t j = 0; j < n; j++)
			cr_assert_eq(dense_log[j], want[j], "config %zu: position %zu", k, j);
		sim_destroy(sim);
	}
	free(dense_log);
	free(want);
	free(e);
}

/* ---- callbacks that schedule and cancel ------------------------------- */

struct selfish {
	struct sim_event ev, victim;
	int fired, victim_fired, limit;
	bool cancel_self_was_pending;
};

static void victim_fire(struct sim *sim, struct sim_event *ev)
{
	struct selfish *s = container_of(ev, struct selfish, victim);

	(void)sim;
	s->victim_fired++;
}

static void selfish_fire(struct sim *sim, struct sim_event *ev)
{
	struct selfish *s = container_of(ev, struct selfish, ev);

	s->fired++;
	/* an event is no longer pending inside its own callback */
	s->cancel_self_was_pending = sim_cancel(sim, ev);
	/* cancel another event due at this very time */
	sim_cancel(sim, &s->victim);
	if (s->fired < s->limit) {
		sim_schedule_in(sim, ev, 10, SIM_PRIO_DEFAULT);
		sim_schedule_in(sim, &s->victim, 10, SIM_PRIO_LAST);
	}
}

Test(sim, callback_reschedules_itself_and_cancels_same_time_event)
{
	for (size_t c = 0; c < NCONFIGS; c++) {
		struct sim *sim = sim_create(&configs[c]);
		struct selfish s = { .limit = 5 };

		sim_event_init(&s.ev, selfish_fire);
		sim_event_init(&s.victim, victim_fire);
		sim_schedule(sim, &s.ev, 0, SIM_PRIO_DEFAULT);
		sim_schedule(sim, &s.victim, 0, SIM_PRIO_LAST);
		cr_assert_eq(sim_run_until(sim, 1000), SIM_RUN_REACHED);
		cr_assert_eq(s.fired, 5);
		cr_assert_eq(s.victim_fired, 0,
			     "a cancelled event at the same time must not fire");
		cr_assert_not(s.cancel_self_was_pending);
		cr_assert_eq(sim_pending(sim), 0);
		sim_destroy(sim);
	}
}

Test(sim, cancel_is_idempotent_and_reports_pending)
{
	struct sim *sim = sim_create(NULL);
	struct rec r;
	int log[MAXLOG], n = 0;

	rec_init(&r, 1, log, &n);
	cr_assert_not(sim_cancel(sim, &r.ev));
	sim_schedule(sim, &r.ev, 5, SIM_PRIO_DEFAULT);
	cr_assert(sim_event_pending(&r.ev));
	cr_assert(sim_cancel(sim, &r.ev));
	cr_assert_not(sim_cancel(sim, &r.ev));
	sim_run_until(sim, 10);
	cr_assert_eq(n, 0);
	sim_destroy(sim);
}

Test(sim, scheduling_a_pending_event_is_an_assertion, .signal = SIGABRT)
{
	struct sim *sim = sim_create(NULL);
	struct rec r;
	int log[MAXLOG], n = 0;

	rec_init(&r, 1, log, &n);
	sim_schedule(sim, &r.ev, 5, SIM_PRIO_DEFAULT);
	sim_schedule(sim, &r.ev, 6, SIM_PRIO_DEFAULT);
}

Test(sim, scheduling_in_the_past_is_an_assertion, .signal = SIGABRT)
{
	struct sim *sim = sim_create(NULL);
	struct rec r;
	int log[MAXLOG], n = 0;

	rec_init(&r, 1, log, &n);
	sim_run_until(sim, 100);
	sim_schedule(sim, &r.ev, 99, SIM_PRIO_DEFAULT);
}

/* ---- run_until boundaries --------------------------------------------- */

struct chain {
	struct sim_event ev;
	int fired;
	sim_time_t at[8];
	bool stop_at_second;
};

static void chain_fire(struct sim *sim, struct sim_event *ev)
{
	struct chain *c = container_of(ev, struct chain, ev);

	c->at[c->fired++] = sim_now(sim);
	if (c->fired == 1)
		sim_schedule_in(sim, ev, 0, SIM_PRIO_DEFAULT); /* same instant */
	else if (c->fired == 2) {
		sim_schedule_in(sim, ev, 1, SIM_PRIO_DEFAULT);
		if (c->stop_at_second)
			sim_stop(sim);
	}
}

/* ---- deferred events (sim_key_take) ------------------------------------- */

/* An event that records whether an event at (t, key) would have fired. */
struct asker {
	struct sim_event ev;
	sim_time_t t;
	uint64_t key;
	int answer; /* -1: not fired */
	bool stop;
};

static void asker_fire(struct sim *sim, struct sim_event *ev)
{
	struct asker *a = container_of(ev, struct asker, ev);

	a->answer = sim_key_past(sim, a->t, a->key);
	if (a->stop)
		sim_stop(sim);
}

/*
 * A key taken between scheduling two events of one time stands between
 * them: the earlier one sees it still to come, the later one past; so
 * does an event scheduled with it. Between runs, a time up to now is past.
 */
Test(sim, a_taken_key_keeps_its_place_in_the_order)
{
	for (size_t c = 0; c < NCONFIGS; c++) {
		struct sim *sim = sim_create(&configs[c]);
		struct asker a[4] = { 0 };
		struct rec r[3];
		int log[MAXLOG], n = 0;
		uint64_t key;

		rec_init(r, 3, log, &n);
		for (int i = 0; i < 4; i++) {
			sim_event_init(&a[i].ev, asker_fire);
			a[i].t = 100;
			a[i].answer = -1;
		}
		sim_schedule(sim, &a[0].ev, 100, SIM_PRIO_DEFAULT);
		sim_schedule(sim, &r[0].ev, 100, SIM_PRIO_DEFAULT);
		key = sim_key_take(sim, SIM_PRIO_DEFAULT);
		sim_schedule(sim, &a[1].ev, 100, SIM_PRIO_DEFAULT);
		sim_schedule(sim, &r[2].ev, 100, SIM_PRIO_DEFAULT);
		sim_schedule(sim, &a[2].ev, 50, SIM_PRIO_DEFAULT);
		sim_schedule(sim, &a[3].ev, 100, SIM_PRIO_UPDATE);
		for (int i = 0; i < 4; i++)
			a[i].key = key;
		cr_assert_not(sim_key_past(sim, 100, key), "config %zu: at time 0", c);
		cr_assert_eq(sim_run_until(sim, 99), SIM_RUN_REACHED);
		cr_assert_eq(a[2].answer, 0, "config %zu: at 50, before", c);
		cr_assert_not(sim_key_past(sim, 100, key), "config %zu: between runs at 99", c);
		/* it can still become an event, which fires in its place */
		sim_schedule_key(sim, &r[1].ev, 100, key);
		cr_assert_eq(sim_run_until(sim, 100), SIM_RUN_REACHED);
		cr_assert_eq(a[3].answer, 0, "config %zu: a higher priority comes first", c);
		cr_assert_eq(a[0].answer, 0, "config %zu: scheduled before the key", c);
		cr_assert_eq(a[1].answer, 1, "config %zu: scheduled after the key", c);
		cr_assert_eq(n, 3);
		for (int i = 0; i < 3; i++)
			cr_assert_eq(log[i], i, "config %zu: pos %d got %d", c, i, log[i]);
		cr_assert(sim_key_past(sim, 100, key), "config %zu: between runs at 100", c);
		cr_assert(sim_key_past(sim, 100, UINT64_MAX - 1), "every event up to now fired");
		sim_destroy(sim);
	}
}

/* A run stopped at an event leaves later keys of its time still to come. */
Test(sim, a_stopped_run_knows_which_keys_are_past)
{
	struct sim *sim = sim_create(NULL);
	struct asker a = { .t = 10, .answer = -1, .stop = true }, b = { .t = 10, .answer = -1 };
	uint64_t before, after;

	sim_event_init(&a.ev, asker_fire);
	sim_event_init(&b.ev, asker_fire);
	before = sim_key_take(sim, SIM_PRIO_DEFAULT);
	sim_schedule(sim, &a.ev, 10, SIM_PRIO_DEFAULT);
	after = sim_key_take(sim, SIM_PRIO_DEFAULT);
	sim_schedule(sim, &b.ev, 10, SIM_PRIO_DEFAULT);
	a.key = b.key = after;
	cr_assert_eq(sim_run_until(sim, 20), SIM_RUN_STOPPED);
	cr_assert_eq(a.answer, 0);
	cr_assert(sim_key_past(sim, 10, before));
	cr_assert_not(sim_key_past(sim, 10, after), "b and the key after a wait");
	cr_assert_eq(sim_run_until(sim, 20), SIM_RUN_REACHED);
	cr_assert_eq(b.answer, 1);
	cr_assert(sim_key_past(sim, 10, after));
	sim_destroy(sim);
}

Test(sim, scheduling_a_past_key_is_an_assertion, .signal = SIGABRT)
{
	struct sim *sim = sim_create(NULL);
	struct sim_event ev;
	uint64_t key = sim_key_take(sim, SIM_PRIO_DEFAULT);

	sim_event_init(&ev, NULL);
	sim_run_until(sim, 10);
	sim_schedule_key(sim, &ev, 10, key);
}

Test(sim, run_until_fires_events_at_the_limit_inclusive)
{
	for (size_t k = 0; k < NCONFIGS; k++) {
		struct sim *sim = sim_create(&configs[k]);
		struct chain c = { 0 };

		sim_event_init(&c.ev, chain_fire);
		sim_schedule(sim, &c.ev, 1000, SIM_PRIO_DEFAULT);
		cr_assert_eq(sim_run_until(sim, 999), SIM_RUN_REACHED);
		cr_assert_eq(c.fired, 0);
		cr_assert_eq(sim_now(sim), 999);
		/* the event at 1000 and the one it adds at 1000 both fire; the
		 * one at 1001 waits */
		cr_assert_eq(sim_run_until(sim, 1000), SIM_RUN_REACHED);
		cr_assert_eq(c.fired, 2);
		cr_assert_eq(c.at[0], 1000);
		cr_assert_eq(c.at[1], 1000);
		cr_assert_eq(sim_now(sim), 1000);
		cr_assert_eq(sim_next_time(sim), 1001);
		cr_assert_eq(sim_run_for(sim, 1), SIM_RUN_REACHED);
		cr_assert_eq(c.fired, 3);
		cr_assert_eq(c.at[2], 1001);
		sim_destroy(sim);
	}
}

Test(sim, run_until_advances_time_when_nothing_is_pending)
{
	struct sim *sim = sim_create(NULL);

	cr_assert_eq(sim_run_until(sim, SIM_NS(5)), SIM_RUN_REACHED);
	cr_assert_eq(sim_now(sim), 5000);
	cr_assert_eq(sim_run_for(sim, SIM_TIME_MAX), SIM_RUN_REACHED);
	cr_assert_eq(sim_now(sim), SIM_TIME_MAX, "run_for saturates");
	sim_destroy(sim);
}

Test(sim, stop_returns_at_the_stopping_event_and_keeps_the_rest)
{
	for (size_t k = 0; k < NCONFIGS; k++) {
		struct sim *sim = sim_create(&configs[k]);
		struct chain c = { .stop_at_second = true };

		sim_event_init(&c.ev, chain_fire);
		sim_schedule(sim, &c.ev, 7, SIM_PRIO_DEFAULT);
		cr_assert_eq(sim_run_until(sim, 100), SIM_RUN_STOPPED);
		cr_assert_eq(sim_now(sim), 7);
		cr_assert_eq(c.fired, 2);
		cr_assert_eq(sim_pending(sim), 1);
		cr_assert_eq(sim_run_until(sim, 100), SIM_RUN_REACHED);
		cr_assert_eq(c.fired, 3);
		cr_assert_eq(sim_now(sim), 100);
		sim_destroy(sim);
	}
}

Test(sim, event_at_end_of_time_fires)
{
	for (size_t k = 0; k < NCONFIGS; k++) {
		struct sim *sim = sim_create(&configs[k]);
		struct rec r[2];
		int log[MAXLOG], n = 0;

		rec_init(r, 2, log, &n);
		sim_schedule(sim, &r[0].ev, SIM_TIME_MAX, SIM_PRIO_DEFAULT);
		sim_schedule(sim, &r[1].ev, SIM_TIME_MAX - 1, SIM_PRIO_DEFAULT);
		sim_run_until(sim, SIM_TIME_MAX);
		cr_assert_eq(n, 2);
		cr_assert_eq(log[0], 1);
		cr_assert_eq(log[1], 0);
		sim_destroy(sim);
	}
}

/* ---- no allocation on the schedule / cancel / fire path ---------------- */

struct churn {
	struct sim_event ev[64];
	struct sim_rng rng;
	uint64_t left;
};

static struct churn *churn_world;

static void churn_periodic(struct sim *sim, struct sim_event *ev)
{
	struct churn *c = churn_world;
	size_t i = (size_t)(ev - c->ev);

	if (c->left == 0)
		return;
	c->left--;
	/* re-arm self, and cancel / re-arm a neighbour */
	sim_schedule_in(sim, ev, 1 + sim_rng_below(&c->rng, 5000 * (i + 1)),
			SIM_PRIO_DEFAULT);
	sim_reschedule(sim, &c->ev[(i * 7 + 3) % 64],
		       sim_now(sim) + sim_rng_below(&c->rng, 1u << 24),
		       SIM_PRIO_DEFAULT);
	if (c->left % 3 == 0)
		sim_cancel(sim, &c->ev[(i * 11 + 5) % 64]);
}

Test(sim, no_allocation_over_a_million_events)
{
	for (size_t k = 0; k < NCONFIGS; k++) {
		struct sim *sim = sim_create(&configs[k]);
		struct churn *c = calloc(1, sizeof(*c));
		unsigned long before;

		churn_world = c;
		sim_rng_seed(&c->rng, 7, 0);
		c->left = 2000000;
		for (int i = 0; i < 64; i++) {
			sim_event_init(&c->ev[i], churn_periodic);
			sim_schedule(sim, &c->ev[i], (sim_time_t)i, SIM_PRIO_DEFAULT);
		}
		/* warm-up on the same workload: the queue's arrays grow to
		 * their high-water marks; after that nothing may allocate */
		while (c->left > 1000000)
			sim_run_for(sim, SIM_US(10));
		cr_assert_gt(alloc_calls, 0, "the counter sees the kernel's allocations");
		before = alloc_calls;
		while (c->left)
			sim_run_for(sim, SIM_US(10));
		cr_assert_eq(alloc_calls, before,
			     "config %zu: %lu allocations on the event path", k,
			     alloc_calls - before);
		cr_assert_geq(sim_fired(sim), 2000000);
		sim_destroy(sim);
		free(c);
	}
}

/*
 * Events scheduled into the slot being fired join its run in order: a long
 * chain of them (each scheduling the next at the same time) fires before
 * the slot's later events and needs no more room as it goes on, however
 * long it is.
 */
static uint64_t chain_left;

/* An event that only counts its firings. */
static int fired_count;

static void count_fire(struct sim *sim, struct sim_event *ev)
{
	(void)sim;
	(void)ev;
	fired_count++;
}

static void chain_step(struct sim *sim, struct sim_event *ev)
{
	cr_assert_eq(fired_count, 0, "a later event of the slot fired first");
	if (chain_left && --chain_left)
		sim_schedule(sim, ev, sim_now(sim), SIM_PRIO_DEFAULT);
}


Test(sim, a_chain_of_events_in_one_slot_keeps_its_room)
{
	for (size_t k = 0; k < NCONFIGS; k++) {
		struct sim *sim = sim_create(&configs[k]);
		struct sim_event chain, later[8];
		unsigned long before;

		sim_event_init(&chain, chain_step);
		fired_count = 0;
		/* the chain at 1 ps, eight events at 2 ps: one slot at any
		 * shift */
		sim_schedule(sim, &chain, 1, SIM_PRIO_DEFAULT);
		for (int i = 0; i < 8; i++) {
			sim_event_init(&later[i], count_fire);
			sim_schedule(sim, &later[i], 2, SIM_PRIO_DEFAULT);
		}
		/* warm-up: a short chain from the start, and one started
		 * again once a run has looked ahead to 2 ps */
		chain_left = 2000;
		sim_run_until(sim, 1);
		cr_assert_eq(chain_left, 0);
		chain_left = 2000;
		sim_schedule(sim, &chain, 1, SIM_PRIO_DEFAULT);
		sim_run_until(sim, 1);
		before = alloc_calls;
		chain_left = 1000000;
		sim_schedule(sim, &chain, 1, SIM_PRIO_DEFAULT);
		sim_run_until(sim, 1);
		cr_assert_eq(chain_left, 0, "config %zu", k);
		cr_assert_eq(alloc_calls, before, "config %zu: %lu allocations for the chain", k,
			     alloc_calls - before);
		cr_assert_eq(fired_count, 0);
		sim_run_until(sim, 2);
		cr_assert_eq(fired_count, 8);
		sim_destroy(sim);
	}
}

/*
 * A cancelled event belongs to its owner again at once: the kernel must not
 * read it after sim_cancel(), though its queue entry may still be queued.
 * Events here are scribbled over and freed right after cancelling, in the
 * wheel, in the current run and in the heap; under ASan a later read is a
 * use-after-free report, and without it the garbage would misfire.
 */
Test(sim, cancelled_events_may_be_freed_at_once)
{
	for (size_t k = 0; k < NCONFIGS; k++) {
		struct sim *sim = sim_create(&configs[k]);
		struct sim_event keep[3], *gone[300];

		fired_count = 0;
		for (int i = 0; i < 3; i++)
			sim_event_init(&keep[i], count_fire);
		/* a run in progress: two events of the same nanosecond */
		sim_schedule(sim, &keep[0], SIM_NS(5), SIM_PRIO_DEFAULT);
		sim_schedule(sim, &keep[1], SIM_NS(5) + 1, SIM_PRIO_DEFAULT);
		sim_schedule(sim, &keep[2], SIM_MS(2), SIM_PRIO_DEFAULT);
		for (int i = 0; i < 300; i++) {
			gone[i] = malloc(sizeof(*gone[i]));
			sim_event_init(gone[i], count_fire);
			/* near (the run), far (the wheel's upper levels) */
			sim_schedule(sim, gone[i],
				     i % 3 == 0 ? SIM_NS(5) + 2 + (sim_time_t)i :
				     i % 3 == 1 ? SIM_US(3) * (sim_time_t)i :
						  SIM_MS(1) + (sim_time_t)i,
				     SIM_PRIO_DEFAULT);
		}
		/* fire keep[0]: the nanosecond's run is now being walked */
		cr_assert_eq(sim_run_until(sim, SIM_NS(5)), SIM_RUN_REACHED);
		cr_assert_eq(fired_count, 1);
		/* late arrivals into the current slot go to the heap */
		for (int i = 0; i < 300; i += 50) {
			sim_cancel(sim, gone[i]);
			sim_schedule(sim, gone[i], SIM_NS(5) + 3, SIM_PRIO_DEFAULT);
		}
		for (int i = 0; i < 300; i++) {
			cr_assert(sim_cancel(sim, gone[i]));
			memset(gone[i], 0xa5, sizeof(*gone[i]));
			free(gone[i]);
		}
		cr_assert_eq(sim_pending(sim), 2);
		cr_assert_eq(sim_next_time(sim), SIM_NS(5) + 1);
		sim_run_until(sim, SIM_TIME_MAX);
		cr_assert_eq(fired_count, 3, "config %zu", k);
		cr_assert_eq(sim_pending(sim), 0);
		sim_destroy(sim);
	}
}

/*
 * Events already moved into the run and then cancelled stay queued as dead
 * entries until passed or swept. Cancelling almost a whole dense run sweeps
 * them (dead entries may not outnumber live ones by much); the survivors
 * must still fire in (time, priority, sequence) order, with exact counts.
 */
static sim_time_t last_fired_time;
static int order_errors;

static void ordered_fire(struct sim *sim, struct sim_event *ev)
{
	(void)ev;
	if (sim_now(sim) < last_fired_time)
		order_errors++;
	last_fired_time = sim_now(sim);
	fired_count++;
}

Test(sim, cancelling_most_of_a_run_keeps_the_rest_in_order)
{
	enum { N = 6000 };

	for (size_t k = 0; k < NCONFIGS; k++) {
		struct sim *sim = sim_create(&configs[k]);
		struct sim_event *ev = calloc(N, sizeof(*ev));
		int live = N;

		fired_count = 0;
		order_errors = 0;
		last_fired_time = 0;
		for (int i = 0; i < N; i++) {
			sim_event_init(&ev[i], ordered_fire);
			/* all in one nanosecond, times and priorities mixed */
			sim_schedule(sim, &ev[i], SIM_US(7) + (sim_time_t)(i * 7919 % 1000),
				     i % 3 ? SIM_PRIO_DEFAULT : SIM_PRIO_UPDATE);
		}
		/* the wheel forms the run without firing anything */
		cr_assert_geq(sim_next_time(sim), SIM_US(7));
		for (int i = 0; i < N; i++) {
			if (i % 97 == 0)
				continue;
			cr_assert(sim_cancel(sim, &ev[i]));
			live--;
			cr_assert_eq(sim_pending(sim), (size_t)live);
		}
		cr_assert_eq(sim_next_time(sim), SIM_US(7) + 0);
		sim_run_until(sim, SIM_TIME_MAX);
		cr_assert_eq(fired_count, live, "config %zu", k);
		cr_assert_eq(order_errors, 0);
		cr_assert_eq(sim_pending(sim), 0);
		sim_destroy(sim);
		free(ev);
	}
}

/*
 * After a cascade has moved entries into lower slots, cancels leave them
 * queued there; enough of them sweep those slots, which rewrite their live
 * entries in new places, the entries scheduled straight into those slots
 * among them. Their events must be told: cancels and reschedules after the
 * sweep take them out of their slots at once, by that position. A stale
 * position would take out the wrong entry, and the order checked against
 * qsort() would break.
 */
Test(sim, events_swept_into_new_places_can_still_be_cancelled)
{
	enum { N = 4000, LATE = 2000 };
	struct dense_ev *e = calloc(N + LATE, sizeof(*e));
	struct dense_ev **want = calloc(N + LATE, sizeof(*want));
	bool *alive = calloc(N + LATE, sizeof(*alive));
	struct sim_rng r;

	dense_log = calloc(N + LATE, sizeof(*dense_log));
	for (size_t k = 0; k < NCONFIGS; k++) {
		struct sim *sim = sim_create(&configs[k]);
		uint64_t seq = 0;
		size_t live = 0, nwant = 0;

		sim_rng_seed(&r, 77, k);
		dense_n = 0;
		for (size_t i = 0; i < N + LATE; i++) {
			sim_event_init(&e[i].ev, dense_fire);
			/* 1 ms out, spread over 40 us */
			e[i].t = SIM_MS(1) + SIM_US(1) + sim_rng_below(&r, SIM_US(40));
			e[i].prio = prios[sim_rng_below(&r, 4)];
			if (i == N)
				/* the first advance: a cascade takes all so far
				 * down to lower slots */
				cr_assert_geq(sim_next_time(sim), SIM_MS(1));
			/* the late ones go straight into those slots */
			e[i].seq = seq++;
			alive[i] = true;
			live++;
			sim_schedule(sim, &e[i].ev, e[i].t, e[i].prio);
		}
		/* the cascaded ones cancelled in a random order until few are
		 * left: they stay queued, and a sweep follows */
		for (size_t c = 0; c < 7 * N / 8; c++) {
			size_t i = sim_rng_below(&r, N);

			while (!alive[i])
				i = (i + 1) % N;
			cr_assert(sim_cancel(sim, &e[i].ev));
			alive[i] = false;
			cr_assert_eq(sim_pending(sim), --live);
		}
		/* after the sweep: every third survivor cancelled, every
		 * other one moved within the window */
		for (size_t i = 0; i < N + LATE; i++) {
			if (!alive[i])
				continue;
			if (i % 3 == 0) {
				cr_assert(sim_cancel(sim, &e[i].ev));
				alive[i] = false;
				live--;
			} else if (i % 2 == 0) {
				e[i].t = SIM_MS(1) + SIM_US(1) +
					 sim_rng_below(&r, SIM_US(40));
				e[i].seq = seq++;
				sim_reschedule(sim, &e[i].ev, e[i].t, e[i].prio);
			}
			cr_assert_eq(sim_pending(sim), live);
		}
		for (size_t i = 0; i < N + LATE; i++)
			if (alive[i])
				want[nwant++] = &e[i];
		dense_run_and_check(sim, want, nwant, "config", k);
		cr_assert_eq(sim_pending(sim), 0);
		sim_destroy(sim);
	}
	free(dense_log);
	free(alive);
	free(want);
	free(e);
}

/* ---- clocks ----------------------------------------------------------- */

Test(sim, clock_of_integer_period_converts_exactly)
{
	struct sim_clock c;

	sim_clock_init_period(&c, 1);
	cr_assert_eq(sim_clock_time(&c, UINT64_MAX), UINT64_MAX);
	cr_assert_eq(sim_clock_cycles(&c, UINT64_MAX), UINT64_MAX);
	cr_assert_eq(sim_clock_next_edge(&c, 12345), 12345);

	sim_clock_init_period(&c, 1000); /* 1 GHz */
	cr_assert_eq(sim_clock_time(&c, 3), 3000);
	cr_assert_eq(sim_clock_cycles(&c, 2999), 2);
	cr_assert_eq(sim_clock_cycles(&c, 3000), 3);
	cr_assert_eq(sim_clock_next_edge(&c, 3001), 4000);
	cr_assert_eq(sim_clock_next_edge(&c, 3000), 3000);
	/* beyond the end of time saturates */
	cr_assert_eq(sim_clock_time(&c, UINT64_MAX / 1000 + 1), SIM_TIME_MAX);
	cr_assert_eq(sim_clock_time(&c, UINT64_MAX / 1000),
		     (UINT64_MAX / 1000) * 1000);
	cr_assert_eq(sim_clock_cycles(&c, UINT64_MAX), UINT64_MAX / 1000);
	cr_assert_eq(sim_clock_next_edge(&c, UINT64_MAX), SIM_TIME_MAX,
		     "no edge is representable after the last one");
}

Test(sim, clock_of_non_integer_period_has_no_drift)
{
	struct sim_clock c;

	sim_clock_init_hz(&c, 3000000000u); /* 3 GHz: 333.33.. ps */
	cr_assert_eq(sim_clock_time(&c, 1), 333);
	cr_assert_eq(sim_clock_time(&c, 2), 666);
	cr_assert_eq(sim_clock_time(&c, 3), 1000);
	/* 3e9 cycles take exactly one second */
	cr_assert_eq(sim_clock_time(&c, 3000000000u), SIM_S(1));
	cr_assert_eq(sim_clock_cycles(&c, SIM_S(1)), 3000000000u);
	cr_assert_eq(sim_clock_cycles(&c, SIM_S(1) - 1), 2999999999u);
	cr_assert_eq(sim_clock_cycles(&c, 332), 0);
	cr_assert_eq(sim_clock_cycles(&c, 333), 1);
	cr_assert_eq(sim_clock_next_edge(&c, 334), 666);
	/* the last cycle start that fits: floor((2^64-1) * 3e9 / 1e12) */
	cr_assert_eq(sim_clock_cycles(&c, UINT64_MAX),
		     (uint64_t)((unsigned __int128)UINT64_MAX * 3 / 1000));

	sim_clock_init_hz(&c, 1); /* 1 Hz */
	cr_assert_eq(sim_clock_time(&c, 18446744), 18446744 * SIM_S(1));
	cr_assert_eq(sim_clock_time(&c, 18446745), SIM_TIME_MAX);
}

Test(sim, clock_cycles_inverts_time_for_random_values)
{
	struct sim_rng r;
	struct sim_clock c;

	sim_rng_seed(&r, 11, 0);
	for (int i = 0; i < 20000; i++) {
		uint64_t hz = 1 + sim_rng_below(&r, UINT64_C(5000000000));
		uint64_t n = sim_rng_next(&r) >> sim_rng_below(&r, 64);
		sim_time_t t;

		sim_clock_init_hz(&c, hz);
		t = sim_clock_time(&c, n);
		if (t == SIM_TIME_MAX)
			continue;
		cr_assert_eq(sim_clock_cycles(&c, t), n, "hz %llu n %llu",
			     (unsigned long long)hz, (unsigned long long)n);
		cr_assert_eq(sim_clock_next_edge(&c, t), t);
		if (t > 0 && sim_clock_time(&c, n - (n > 0)) < t)
			cr_assert_eq(sim_clock_cycles(&c, t - 1), n - 1);
	}
}

/* A clock given in Hz converts exactly as floor(n * 10^12 / hz), whatever
 * form it keeps the period in (2 GHz: 500 ps a cycle, no fraction). */
Test(sim, clock_of_hz_converts_as_the_exact_fraction)
{
	static const uint64_t common[] = { 2000000000u, 1000000000u, 2500000000u, 50000000u,
					   1u, 1000000000000u, 3000000000u, 1843200u };
	struct sim_rng r;
	struct sim_clock c;

	sim_clock_init_hz(&c, 2000000000u);
	cr_assert_eq(sim_clock_time(&c, 1), 500);
	cr_assert_eq(sim_clock_time(&c, 7), 3500);
	sim_rng_seed(&r, 12, 0);
	for (int i = 0; i < 40000; i++) {
		uint64_t hz = i % 2 ? common[i / 2 % 8] : 1 + sim_rng_below(&r, UINT64_C(5000000000));
		uint64_t n = sim_rng_next(&r) >> sim_rng_below(&r, 64);
		unsigned __int128 exact = (unsigned __int128)n * UINT64_C(1000000000000) / hz;

		sim_clock_init_hz(&c, hz);
		cr_assert_eq(sim_clock_time(&c, n),
			     exact > SIM_TIME_MAX ? SIM_TIME_MAX : (sim_time_t)exact,
			     "hz %llu n %llu", (unsigned long long)hz, (unsigned long long)n);
	}
}

/* The multiply that stands for the division by den is exact up to the
 * product it says (inv_max) and is not used beyond; a clock written field
 * by field (no reciprocal) divides. */
Test(sim, clock_time_is_exact_on_both_sides_of_the_reciprocal_limit)
{
	struct sim_rng r;
	struct sim_clock c;

	sim_rng_seed(&r, 13, 0);
	for (int i = 0; i < 4000; i++) {
		uint64_t hz = i == 0 ? 2400000000u : 1 + sim_rng_below(&r, UINT64_C(5000000000));

		sim_clock_init_hz(&c, hz);
		if (c.den == 1)
			continue;
		cr_assert_neq(c.inv_max, 0, "hz %llu", (unsigned long long)hz);
		uint64_t n0 = c.inv_max / c.num;

		for (uint64_t n = n0 > 4 ? n0 - 4 : 0; n <= n0 + 4; n++) {
			unsigned __int128 exact = (unsigned __int128)n * c.num / c.den;

			cr_assert_eq(sim_clock_time(&c, n),
				     exact > SIM_TIME_MAX ? SIM_TIME_MAX : (sim_time_t)exact,
				     "hz %llu n %llu", (unsigned long long)hz, (unsigned long long)n);
		}
	}
	c = (struct sim_clock){ .num = 1250, .den = 3 }; /* 2.4 GHz, no reciprocal */
	cr_assert_eq(sim_clock_time(&c, 1), 416);
	cr_assert_eq(sim_clock_time(&c, 3), 1250);
	cr_assert_eq(sim_clock_time(&c, 2400000000u), SIM_S(1));
}

Test(sim, time_unit_macros)
{
	cr_assert_eq(SIM_NS(1), 1000);
	cr_assert_eq(SIM_US(1), 1000000);
	cr_assert_eq(SIM_MS(1), UINT64_C(1000000000));
	cr_assert_eq(SIM_S(1), UINT64_C(1000000000000));
}
