// SPDX-License-Identifier: MIT
/*
 * sim.c — the event scheduler: clocks, and the pending-event queue behind
 * sim_schedule() / sim_cancel() / sim_run_until().
 *
 * Two queue structures implement the same total order (time, key), where
 * key = priority << 56 | insertion sequence:
 *
 *  - SIM_QUEUE_HEAP: one 4-ary min-heap of {time, key, event} entries. The
 *    event records its heap index, so cancel is O(log n).
 *  - SIM_QUEUE_WHEEL (default): a hierarchical timing wheel. Level l has
 *    64 slots of 2^(shift + 6l) ps; an event sits in the level where its
 *    time first differs from the wheel cursor, in a doubly-linked list, so
 *    schedule and cancel are O(1). Events in or before the cursor's level-0
 *    slot live in a small heap of the same kind as above, which gives the
 *    exact order among them. When that heap runs dry, the cursor jumps to
 *    the lowest occupied slot (found with one count-trailing-zeros per
 *    level) and that slot's events are placed again, relative to the new
 *    cursor ("cascade"). Invariant: every heap event precedes every wheel
 *    event, and a wheel event in level l agrees with the cursor on all bits
 *    above level l and has a larger level-l index.
 *
 * bench/sched measures both; the default is the one that wins there.
 */
#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_int.h"

#define SIM_SEQ_BITS 56
#define SIM_SEQ_MASK ((UINT64_C(1) << SIM_SEQ_BITS) - 1)
#define WHEEL_BITS 6
#define WHEEL_SLOTS (1u << WHEEL_BITS)
#define WHEEL_MASK (WHEEL_SLOTS - 1)
#define DEFAULT_SLOT_SHIFT 10

/* ev->where: 0 idle, 1 in the heap, WHERE_WHEEL + n in wheel slot n. */
#define WHERE_IDLE 0u
#define WHERE_HEAP 1u
#define WHERE_WHEEL 2u

/* ---- clocks ----------------------------------------------------------- */

void sim_clock_init_period(struct sim_clock *clk, uint64_t period_ps)
{
	assert(period_ps > 0);
	clk->num = period_ps;
	clk->den = 1;
}

void sim_clock_init_hz(struct sim_clock *clk, uint64_t hz)
{
	assert(hz > 0);
	clk->num = UINT64_C(1000000000000);
	clk->den = hz;
}

sim_time_t sim_clock_time(const struct sim_clock *clk, sim_cycles_t cycles)
{
	unsigned __int128 t = (unsigned __int128)cycles * clk->num / clk->den;

	return t > SIM_TIME_MAX ? SIM_TIME_MAX : (sim_time_t)t;
}

sim_cycles_t sim_clock_cycles(const struct sim_clock *clk, sim_time_t t)
{
	/*
	 * Largest n with floor(n * num / den) <= t, i.e. n * num < (t+1) * den,
	 * so n = ceil((t+1) * den / num) - 1. Exact in 128 bits; for every
	 * period >= 1 ps the result fits in 64 bits.
	 */
	unsigned __int128 lim = ((unsigned __int128)t + 1) * clk->den;
	unsigned __int128 n = (lim + clk->num - 1) / clk->num - 1;

	return n > UINT64_MAX ? UINT64_MAX : (sim_cycles_t)n;
}

sim_time_t sim_clock_next_edge(const struct sim_clock *clk, sim_time_t t)
{
	sim_cycles_t n = sim_clock_cycles(clk, t);
	sim_time_t start = sim_clock_time(clk, n);

	if (start == t)
		return t;
	if (n == UINT64_MAX)
		return SIM_TIME_MAX;
	return sim_clock_time(clk, n + 1);
}

/* ---- the heap --------------------------------------------------------- */

static inline bool hent_before(const struct sim_hent *a,
			       const struct sim_hent *b)
{
	return a->time < b->time || (a->time == b->time && a->key < b->key);
}

static inline void hent_put(struct sim *s, uint32_t i, struct sim_hent e)
{
	s->heap[i] = e;
	e.ev->idx = i;
}

static void heap_sift_up(struct sim *s, uint32_t i, struct sim_hent e)
{
	while (i > 0) {
		uint32_t parent = (i - 1) / 4;

		if (!hent_before(&e, &s->heap[parent]))
			break;
		hent_put(s, i, s->heap[parent]);
		i = parent;
	}
	hent_put(s, i, e);
}

static void heap_sift_down(struct sim *s, uint32_t i, struct sim_hent e)
{
	uint32_t n = s->heap_len;

	for (;;) {
		uint32_t c = 4 * i + 1, best, end;

		if (c >= n)
			break;
		best = c;
		end = c + 4 < n ? c + 4 : n;
		for (c = c + 1; c < end; c++)
			if (hent_before(&s->heap[c], &s->heap[best]))
				best = c;
		if (!hent_before(&s->heap[best], &e))
			break;
		hent_put(s, i, s->heap[best]);
		i = best;
	}
	hent_put(s, i, e);
}

static void heap_grow(struct sim *s)
{
	uint32_t cap = s->heap_cap ? 2 * s->heap_cap : 64;
	struct sim_hent *h = realloc(s->heap, cap * sizeof(*h));

	/* Out of memory while scheduling: the run cannot continue correctly,
	 * and silently dropping an event would corrupt it. */
	if (!h)
		abort();
	s->heap = h;
	s->heap_cap = cap;
}

static void heap_push(struct sim *s, struct sim_event *ev)
{
	struct sim_hent e = { .time = ev->time, .key = ev->key, .ev = ev };

	if (s->heap_len == s->heap_cap)
		heap_grow(s);
	ev->where = WHERE_HEAP;
	heap_sift_up(s, s->heap_len++, e);
}

static void heap_remove(struct sim *s, uint32_t i)
{
	struct sim_hent last = s->heap[--s->heap_len];

	if (i == s->heap_len)
		return;
	if (i > 0 && hent_before(&last, &s->heap[(i - 1) / 4]))
		heap_sift_up(s, i, last);
	else
		heap_sift_down(s, i, last);
}

/* ---- the wheel -------------------------------------------------------- */

static void wheel_place(struct sim *s, struct sim_event *ev)
{
	uint64_t diff;
	unsigned level, slot, n;
	struct sim_event **head;

	if ((ev->time >> s->shift) <= (s->cursor >> s->shift)) {
		heap_push(s, ev);
		return;
	}
	diff = (ev->time >> s->shift) ^ (s->cursor >> s->shift);
	level = (63u - (unsigned)__builtin_clzll(diff)) / WHEEL_BITS;
	slot = (unsigned)(ev->time >> (s->shift + WHEEL_BITS * level)) &
	       WHEEL_MASK;
	n = level * WHEEL_SLOTS + slot;
	head = &s->slots[n];
	ev->prev = NULL;
	ev->next = *head;
	if (*head)
		(*head)->prev = ev;
	*head = ev;
	ev->where = WHERE_WHEEL + n;
	s->occupied[level] |= UINT64_C(1) << slot;
	s->wheel_len++;
}

static void wheel_unlink(struct sim *s, struct sim_event *ev)
{
	unsigned n = ev->where - WHERE_WHEEL;

	if (ev->prev)
		ev->prev->next = ev->next;
	else
		s->slots[n] = ev->next;
	if (ev->next)
		ev->next->prev = ev->prev;
	if (!s->slots[n])
		s->occupied[n / WHEEL_SLOTS] &= ~(UINT64_C(1) << (n % WHEEL_SLOTS));
	s->wheel_len--;
}

/* Move the cursor to the earliest occupied slot and re-place its events,
 * until the heap holds the earliest pending events. */
static void wheel_refill(struct sim *s)
{
	while (s->heap_len == 0 && s->wheel_len > 0) {
		unsigned level = 0, slot, sh, n;
		struct sim_event *ev;
		uint64_t keep;

		while (!s->occupied[level])
			level++;
		slot = (unsigned)__builtin_ctzll(s->occupied[level]);
		sh = s->shift + WHEEL_BITS * level;
		keep = sh + WHEEL_BITS >= 64 ? 0 : ~((UINT64_C(1) << (sh + WHEEL_BITS)) - 1);
		s->cursor = (s->cursor & keep) | ((uint64_t)slot << sh);

		n = level * WHEEL_SLOTS + slot;
		ev = s->slots[n];
		s->slots[n] = NULL;
		s->occupied[level] &= ~(UINT64_C(1) << slot);
		while (ev) {
			struct sim_event *next = ev->next;

			s->wheel_len--;
			wheel_place(s, ev);
			ev = next;
		}
	}
}

/* ---- queue front end -------------------------------------------------- */

static inline void queue_insert(struct sim *s, struct sim_event *ev)
{
	if (s->kind == SIM_QUEUE_WHEEL)
		wheel_place(s, ev);
	else
		heap_push(s, ev);
}

/* The earliest pending event, still queued; NULL when none. */
static inline struct sim_event *queue_peek(struct sim *s)
{
	if (s->heap_len == 0 && s->wheel_len > 0)
		wheel_refill(s);
	return s->heap_len ? s->heap[0].ev : NULL;
}

/* ---- public API ------------------------------------------------------- */

struct sim *sim_create(const struct sim_config *cfg)
{
	struct sim *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->kind = cfg ? cfg->queue : SIM_QUEUE_WHEEL;
	s->shift = cfg && cfg->slot_shift ? cfg->slot_shift : DEFAULT_SLOT_SHIFT;
	assert(s->shift < 64 - WHEEL_BITS);
	s->trace = sim_trace_create(s);
	if (!s->trace) {
		free(s);
		return NULL;
	}
	return s;
}

void sim_destroy(struct sim *s)
{
	if (!s)
		return;
	sim_trace_destroy(s->trace);
	sim_counters_free(s);
	free(s->heap);
	free(s);
}

sim_time_t sim_now(const struct sim *s)
{
	return s->now;
}

void sim_event_init(struct sim_event *ev, sim_event_fn fn)
{
	memset(ev, 0, sizeof(*ev));
	ev->fn = fn;
}

void sim_schedule(struct sim *s, struct sim_event *ev, sim_time_t t,
		  enum sim_prio prio)
{
	assert(ev->where == WHERE_IDLE && "event already pending");
	assert(t >= s->now && "event scheduled in the past");
	assert(s->seq <= SIM_SEQ_MASK);
	ev->time = t;
	ev->key = (uint64_t)prio << SIM_SEQ_BITS | s->seq++;
	queue_insert(s, ev);
}

void sim_schedule_in(struct sim *s, struct sim_event *ev, sim_time_t delay,
		     enum sim_prio prio)
{
	sim_time_t t = s->now + delay;

	sim_schedule(s, ev, t < s->now ? SIM_TIME_MAX : t, prio);
}

bool sim_cancel(struct sim *s, struct sim_event *ev)
{
	if (ev->where == WHERE_IDLE)
		return false;
	if (ev->where == WHERE_HEAP)
		heap_remove(s, ev->idx);
	else
		wheel_unlink(s, ev);
	ev->where = WHERE_IDLE;
	return true;
}

void sim_reschedule(struct sim *s, struct sim_event *ev, sim_time_t t,
		    enum sim_prio prio)
{
	sim_cancel(s, ev);
	sim_schedule(s, ev, t, prio);
}

enum sim_run_result sim_run_until(struct sim *s, sim_time_t limit)
{
	struct sim_event *ev;

	s->stop = false;
	while ((ev = queue_peek(s)) && ev->time <= limit) {
		heap_remove(s, 0);
		ev->where = WHERE_IDLE;
		s->now = ev->time;
		s->fired++;
		ev->fn(s, ev);
		if (s->stop)
			return SIM_RUN_STOPPED;
	}
	if (limit > s->now)
		s->now = limit;
	return SIM_RUN_REACHED;
}

enum sim_run_result sim_run_for(struct sim *s, sim_time_t d)
{
	sim_time_t t = s->now + d;

	return sim_run_until(s, t < s->now ? SIM_TIME_MAX : t);
}

void sim_stop(struct sim *s)
{
	s->stop = true;
}

size_t sim_pending(const struct sim *s)
{
	return (size_t)s->heap_len + s->wheel_len;
}

uint64_t sim_fired(const struct sim *s)
{
	return s->fired;
}

sim_time_t sim_next_time(struct sim *s)
{
	struct sim_event *ev = queue_peek(s);

	return ev ? ev->time : SIM_TIME_MAX;
}

struct sim_trace *sim_trace_of(struct sim *s)
{
	return s->trace;
}
