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
 *    64 slots of 2^(shift + 6l) ps; an event's entry sits in the level
 *    where its time first differs from the wheel cursor, in that slot's
 *    array, so schedule is O(1) and cancel is an O(1) swap-remove. When the
 *    earliest events are needed, the lowest occupied slot (one
 *    count-trailing-zeros per level) is emptied: the cursor jumps to the
 *    level-0 slot of its earliest entry, the entries in that level-0 slot
 *    form the "run", sorted once, and the rest go down ("cascade").
 *    Events scheduled into or before the cursor's slot meanwhile go to a
 *    small heap. Entries carry their time and key, so sorting and
 *    cascading read arrays sequentially; a cascade touches each moved
 *    event once to record its new position (prefetched ahead), and the run
 *    touches none (a run event is known by its source slot).
 *    Invariant: heap and run events precede every wheel event, and a wheel
 *    event in level l agrees with the cursor on all bits above level l and
 *    has a larger level-l index.
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

/* ev->where: idle, in the heap (idx: its index), or in wheel slot n (idx:
 * its index there) — or in the run, when n is the run's source slot. */
#define WHERE_IDLE 0u
#define WHERE_HEAP 1u
#define WHERE_NONE UINT32_MAX /* run_src while no run came from a slot */
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
	uint64_t p;

	/* the common case in 64 bits: a 128-bit division is a library call */
	if (!__builtin_mul_overflow(cycles, clk->num, &p))
		return p / clk->den;

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
	uint64_t l64;

	if (t < UINT64_MAX && !__builtin_mul_overflow(t + 1, clk->den, &l64) &&
	    l64 <= UINT64_MAX - (clk->num - 1))
		return (l64 + clk->num - 1) / clk->num - 1;

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

/* (time, key) order as one 128-bit comparison: no data-dependent branch. */
static inline bool hent_before(const struct sim_hent *a,
			       const struct sim_hent *b)
{
	unsigned __int128 x = (unsigned __int128)a->time << 64 | a->key;
	unsigned __int128 y = (unsigned __int128)b->time << 64 | b->key;

	return x < y;
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

/* Entries ahead of the one being handled whose events are prefetched, so
 * that walking a run or a cascading slot overlaps the cache misses. */
#define PREFETCH_AHEAD 16

/*
 * Slot arrays. Every slot starts with SLOT_INITIAL entries carved from one
 * block at sim_create(), so a never-used slot costs no allocation. A slot
 * that outgrows them takes larger arrays from a free pool (by power-of-two
 * size, reusing one up to 8 times larger before allocating), doubling as
 * it fills, and gives its array back when wheel_advance() empties it. So
 * the allocator is called only when the entries held at once exceed their
 * previous peak, memory stays within a small factor of the entries held,
 * and growing costs about one copy per entry.
 */
#define SLOT_INITIAL 8

/* A slot's own array has SLOT_INITIAL entries; every array from the pool
 * has at least twice as many (vec_grow() doubles). */
static inline bool vec_in_block(const struct sim *s, const struct sim_vec *v)
{
	(void)s;
	return v->cap == SLOT_INITIAL;
}

/* Free arrays are chained through their first bytes. */
static void pool_put(struct sim *s, struct sim_hent *e, uint32_t cap)
{
	unsigned c = (unsigned)__builtin_ctz(cap);

	memcpy(e, &s->pool[c], sizeof(s->pool[c]));
	s->pool[c] = e;
}

/* A free array of at least *cap entries (up to 8 times more, whose size is
 * then returned in *cap), or a new one. */
static struct sim_hent *pool_take(struct sim *s, uint32_t *cap)
{
	unsigned c = (unsigned)__builtin_ctz(*cap);

	for (unsigned k = c; k < c + 4 && k < 32; k++) {
		struct sim_hent *e = s->pool[k];

		if (e) {
			memcpy(&s->pool[k], e, sizeof(s->pool[k]));
			*cap = UINT32_C(1) << k;
			return e;
		}
	}
	return malloc(*cap * sizeof(struct sim_hent));
}

static void vec_grow(struct sim *s, unsigned n)
{
	struct sim_vec *v = &s->slots[n];
	uint32_t cap = 2 * v->cap;
	struct sim_hent *e;

	e = pool_take(s, &cap);
	if (!e)
		abort(); /* see heap_grow() */
	memcpy(e, v->e, v->len * sizeof(*e));
	if (!vec_in_block(s, v))
		pool_put(s, v->e, v->cap);
	v->e = e;
	v->cap = cap;
}

/* Slot @n is empty: return a grown array to the pool. */
static inline void vec_release(struct sim *s, unsigned n)
{
	struct sim_vec *v = &s->slots[n];

	if (__builtin_expect(vec_in_block(s, v), 1))
		return;
	pool_put(s, v->e, v->cap);
	v->e = s->slot_block + n * SLOT_INITIAL;
	v->cap = SLOT_INITIAL;
}

/* Put @e (an event after the cursor's slot) in its wheel slot. */
static inline __attribute__((always_inline)) void
wheel_place(struct sim *s, struct sim_hent e)
{
	uint64_t diff = (e.time >> s->shift) ^ (s->cursor >> s->shift);
	unsigned level = (63u - (unsigned)__builtin_clzll(diff)) / WHEEL_BITS;
	unsigned slot = (unsigned)(e.time >> (s->shift + WHEEL_BITS * level)) &
			WHEEL_MASK;
	unsigned n = level * WHEEL_SLOTS + slot;
	struct sim_vec *v = &s->slots[n];

	if (__builtin_expect(v->len == v->cap, 0))
		vec_grow(s, n);
	e.ev->where = WHERE_WHEEL + n;
	e.ev->idx = v->len;
	v->e[v->len++] = e;
	s->occupied[level] |= UINT64_C(1) << slot;
	s->wheel_len++;
}

static void wheel_unlink(struct sim *s, struct sim_event *ev)
{
	unsigned n = ev->where - WHERE_WHEEL;
	struct sim_vec *v = &s->slots[n];
	uint32_t last = --v->len;

	if (ev->idx != last) {
		v->e[ev->idx] = v->e[last];
		v->e[ev->idx].ev->idx = ev->idx;
	}
	if (!v->len)
		s->occupied[n / WHEEL_SLOTS] &= ~(UINT64_C(1) << (n % WHEEL_SLOTS));
	s->wheel_len--;
}

static void hent_swap(struct sim_hent *a, struct sim_hent *b)
{
	struct sim_hent t = *a;

	*a = *b;
	*b = t;
}

static void hent_insertion_sort(struct sim_hent *a, uint32_t n)
{
	for (uint32_t i = 1; i < n; i++) {
		struct sim_hent e = a[i];
		uint32_t k = i;

		while (k > 0 && hent_before(&e, &a[k - 1])) {
			a[k] = a[k - 1];
			k--;
		}
		a[k] = e;
	}
}

/* Sort by (time, key): quicksort down to short ranges, then insertion
 * sort. Keys are unique, so the order is total. */
static void hent_sort(struct sim_hent *a, uint32_t n)
{
	while (n > 16) {
		uint32_t mid = n / 2, i, j;
		struct sim_hent p;

		if (hent_before(&a[mid], &a[0]))
			hent_swap(&a[mid], &a[0]);
		if (hent_before(&a[n - 1], &a[0]))
			hent_swap(&a[n - 1], &a[0]);
		if (hent_before(&a[n - 1], &a[mid]))
			hent_swap(&a[n - 1], &a[mid]);
		p = a[mid];
		/* Hoare partition: a[0..j] <= p <= a[j+1..n) */
		i = 0;
		j = n - 1;
		for (;;) {
			while (hent_before(&a[i], &p))
				i++;
			while (hent_before(&p, &a[j]))
				j--;
			if (i >= j)
				break;
			hent_swap(&a[i++], &a[j--]);
		}
		if (j + 1 < n - (j + 1)) {
			hent_sort(a, j + 1);
			a += j + 1;
			n -= j + 1;
		} else {
			hent_sort(a + j + 1, n - (j + 1));
			n = j + 1;
		}
	}
	hent_insertion_sort(a, n);
}

/*
 * Sort the run. Its times all lie in [cursor, cursor + 2^shift), so a large
 * run is counting-sorted on time - cursor (stable, O(n + 2^shift)); the
 * insertion pass after it only orders events of equal time by key, which
 * costs O(n) plus the few ties.
 */
static void run_sort(struct sim *s)
{
	uint32_t n = s->run_len, span = UINT32_C(1) << s->shift;
	struct sim_hent *a = s->run, *tmp;
	uint32_t *count;

	if (n < 64 || s->shift > 16 || n < span / 8) {
		if (n > 16)
			hent_sort(a, n);
		else if (n > 1)
			hent_insertion_sort(a, n);
		return;
	}
	if (s->sort_tmp_cap < s->run_cap) {
		tmp = realloc(s->sort_tmp, (size_t)s->run_cap * sizeof(*tmp));
		if (!tmp)
			abort(); /* see heap_grow() */
		s->sort_tmp = tmp;
		s->sort_tmp_cap = s->run_cap;
	}
	if (!s->sort_count) {
		s->sort_count = calloc((size_t)span + 1, sizeof(*s->sort_count));
		if (!s->sort_count)
			abort();
	}
	count = s->sort_count;
	tmp = s->sort_tmp;
	memset(count, 0, ((size_t)span + 1) * sizeof(*count));
	for (uint32_t i = 0; i < n; i++)
		count[a[i].time - s->cursor + 1]++;
	for (uint32_t i = 1; i <= span; i++)
		count[i] += count[i - 1];
	for (uint32_t i = 0; i < n; i++)
		tmp[count[a[i].time - s->cursor]++] = a[i];
	/* the sorted copy becomes the run; the old array the scratch */
	s->sort_tmp = a;
	s->run = tmp;
	{
		uint32_t cap = s->run_cap;

		s->run_cap = s->sort_tmp_cap;
		s->sort_tmp_cap = cap;
	}
	hent_insertion_sort(s->run, n);
}

static __attribute__((noinline)) void run_grow(struct sim *s)
{
	uint32_t cap = s->run_cap ? 2 * s->run_cap : 64;
	struct sim_hent *r = realloc(s->run, cap * sizeof(*r));

	if (!r)
		abort(); /* see heap_grow() */
	s->run = r;
	s->run_cap = cap;
}

static inline void run_append(struct sim *s, struct sim_hent e)
{
	if (__builtin_expect(s->run_len == s->run_cap, 0))
		run_grow(s);
	s->run[s->run_len++] = e;
}

/*
 * With the run and the heap empty: take the lowest occupied slot. Its
 * earliest entry is the earliest of the wheel, so the cursor jumps to that
 * entry's level-0 slot (which keeps the invariant: the cursor still agrees
 * with every other wheel entry above its level, and stays below its index
 * there). The slot's entries in that level-0 slot form the new run; the
 * others go down to lower levels.
 */
static void wheel_advance(struct sim *s)
{
	unsigned level = 0, slot, n;
	sim_time_t first;
	struct sim_hent *e;
	uint64_t cur;
	uint32_t len;

	while (!s->occupied[level])
		level++;
	slot = (unsigned)__builtin_ctzll(s->occupied[level]);
	n = level * WHEEL_SLOTS + slot;
	/* No entry of this slot lands in it again (they all agree with the
	 * new cursor on this level), so it can be walked in place. */
	e = s->slots[n].e;
	len = s->slots[n].len;
	s->slots[n].len = 0;
	s->occupied[level] &= ~(UINT64_C(1) << slot);
	s->wheel_len -= len;

	if (len == 1) {
		/* the common case of sparse near-future events: the run is the
		 * one entry */
		s->cursor = e[0].time >> s->shift << s->shift;
		s->run_pos = 0;
		s->run_len = 0;
		run_append(s, e[0]);
		vec_release(s, n);
		s->run_src = WHERE_WHEEL + n;
		s->run_live = 1;
		return;
	}
	first = e[0].time;
	for (uint32_t i = 1; i < len; i++)
		if (e[i].time < first)
			first = e[i].time;
	cur = first >> s->shift;
	s->cursor = cur << s->shift;

	s->run_pos = s->run_len = 0;
	for (uint32_t i = 0; i < len; i++) {
		if (i + PREFETCH_AHEAD < len)
			__builtin_prefetch(e[i + PREFETCH_AHEAD].ev, 1);
		if ((e[i].time >> s->shift) == cur)
			run_append(s, e[i]);
		else
			wheel_place(s, e[i]);
	}
	vec_release(s, n);

	/* The run's events keep where == its source slot: that slot takes no
	 * new entry while the run lasts (its index is the cursor's now), so
	 * the run needs no pass over its events; see run_cancel(). */
	s->run_src = WHERE_WHEEL + n;
	run_sort(s);
	s->run_live = s->run_len;
}

/* Cancel a run entry: the run is sorted by (time, key), so binary search. */
static void run_cancel(struct sim *s, struct sim_event *ev)
{
	struct sim_hent key = { .time = ev->time, .key = ev->key };
	uint32_t lo = s->run_pos, hi = s->run_len;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (hent_before(&s->run[mid], &key))
			lo = mid + 1;
		else
			hi = mid;
	}
	assert(lo < s->run_len && s->run[lo].ev == ev);
	s->run[lo].ev = NULL; /* skipped when the run gets there */
	s->run_live--;
}

/* ---- queue front end -------------------------------------------------- */

static inline __attribute__((always_inline)) void
queue_insert(struct sim *s, struct sim_event *ev)
{
	struct sim_hent e = { .time = ev->time, .key = ev->key, .ev = ev };

	/* In or before the cursor's slot: the heap keeps those in order. */
	if (s->kind == SIM_QUEUE_HEAP ||
	    (ev->time >> s->shift) <= (s->cursor >> s->shift))
		heap_push(s, ev);
	else
		wheel_place(s, e);
}

/*
 * The earliest pending entry, still queued, or NULL. Sets *from_run to
 * where it is. Heap entries are in or before the cursor's slot, run entries
 * in it, wheel entries after it, so the earliest is the first of the run's
 * and the heap's.
 */
static inline struct sim_hent *queue_front(struct sim *s, bool *from_run)
{
	/* fast path: the run has a live entry and no late arrival */
	if (s->run_pos < s->run_len && s->run[s->run_pos].ev && !s->heap_len) {
		*from_run = true;
		return &s->run[s->run_pos];
	}
	for (;;) {
		while (s->run_pos < s->run_len && !s->run[s->run_pos].ev)
			s->run_pos++; /* cancelled while in the run */
		if (s->run_pos < s->run_len) {
			struct sim_hent *r = &s->run[s->run_pos];

			*from_run = !s->heap_len || hent_before(r, &s->heap[0]);
			return *from_run ? r : &s->heap[0];
		}
		if (s->heap_len) {
			*from_run = false;
			return &s->heap[0];
		}
		if (!s->wheel_len)
			return NULL;
		wheel_advance(s);
	}
}

static inline void queue_pop_front(struct sim *s, bool from_run)
{
	if (from_run) {
		uint32_t ahead = s->run_pos + PREFETCH_AHEAD;

		if (ahead < s->run_len)
			__builtin_prefetch(s->run[ahead].ev, 1);
		s->run_pos++;
		s->run_live--;
	} else {
		heap_remove(s, 0);
	}
}

/* ---- public API ------------------------------------------------------- */

struct sim *sim_create(const struct sim_config *cfg)
{
	struct sim *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->kind = cfg ? cfg->queue : SIM_QUEUE_WHEEL;
	s->run_src = WHERE_NONE;
	s->shift = cfg && cfg->slot_shift ? cfg->slot_shift : DEFAULT_SLOT_SHIFT;
	assert(s->shift < 64 - WHEEL_BITS);
	if (s->kind == SIM_QUEUE_WHEEL) {
		s->slot_block = malloc(SIM_WHEEL_LEVELS * WHEEL_SLOTS *
				       SLOT_INITIAL * sizeof(*s->slot_block));
		if (!s->slot_block) {
			free(s);
			return NULL;
		}
		for (unsigned i = 0; i < SIM_WHEEL_LEVELS * WHEEL_SLOTS; i++) {
			s->slots[i].e = s->slot_block + i * SLOT_INITIAL;
			s->slots[i].cap = SLOT_INITIAL;
		}
	}
	s->trace = sim_trace_create(s);
	if (!s->trace) {
		free(s->slot_block);
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
	for (unsigned i = 0; s->slot_block && i < SIM_WHEEL_LEVELS * WHEEL_SLOTS; i++)
		vec_release(s, i);
	for (unsigned c = 0; c < 32; c++) {
		while (s->pool[c]) {
			struct sim_hent *e = s->pool[c];

			memcpy(&s->pool[c], e, sizeof(s->pool[c]));
			free(e);
		}
	}
	free(s->slot_block);
	free(s->run);
	free(s->sort_tmp);
	free(s->sort_count);
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
	if (ev->where == WHERE_HEAP) {
		heap_remove(s, ev->idx);
	} else if (ev->where == s->run_src) {
		run_cancel(s, ev);
	} else {
		wheel_unlink(s, ev);
	}
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
	struct sim_hent *front;
	bool from_run;

	s->stop = false;
	while ((front = queue_front(s, &from_run)) && front->time <= limit) {
		struct sim_event *ev = front->ev;

		queue_pop_front(s, from_run);
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
	return (size_t)s->heap_len + s->run_live + s->wheel_len;
}

uint64_t sim_fired(const struct sim *s)
{
	return s->fired;
}

sim_time_t sim_next_time(struct sim *s)
{
	bool from_run;
	struct sim_hent *front = queue_front(s, &from_run);

	return front ? front->time : SIM_TIME_MAX;
}

struct sim_trace *sim_trace_of(struct sim *s)
{
	return s->trace;
}
