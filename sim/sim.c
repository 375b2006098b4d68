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
 *    where its time first differs from the wheel cursor, in that slot (a
 *    small array of its own, then 63-entry blocks from a free list, so a
 *    slot never copies to grow), so schedule is O(1). When the earliest
 *    events are needed, the lowest occupied slot (one count-trailing-zeros
 *    per level) is emptied: the cursor jumps to the level-0 slot of its
 *    earliest entry (or, for a slot of many entries, to the slot's start),
 *    the entries in that level-0 slot form the "run", sorted once, and the
 *    rest go down ("cascade"). Events scheduled into the cursor's slot
 *    meanwhile are inserted in the run in order (it holds a few entries),
 *    those before it (a run stopped short of the advanced cursor) go to a
 *    small heap.
 *    Entries carry their time and key, so sorting and cascading read
 *    arrays sequentially and touch no event: with 10^6 events pending,
 *    each event's memory is a cache (and TLB) miss, and it is touched once,
 *    when it fires (prefetched ahead). Cancel is O(1): sim_schedule()
 *    leaves in the event where it put the entry, and an entry still there
 *    (its slot not emptied since) is swap-removed; one in a short run is
 *    taken out of it; any other one a cascade has moved is left queued as
 *    dead, known by its unique key in a small hash set,
 *    looked up only where a per-slot filter says it may be, dropped when
 *    reached, and swept out if dead entries come to outnumber live ones.
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
#define WHEEL_BITS 6
#define WHEEL_SLOTS (1u << WHEEL_BITS)
#define WHEEL_MASK (WHEEL_SLOTS - 1)
#define DEFAULT_SLOT_SHIFT 10

/* ev->where: idle, in the heap (idx: its index), put in the run by
 * sim_schedule(), or in the wheel or the run (WHERE_WHEEL + the slot it
 * was scheduled into, idx: a hint to its position, see entry_told()). */
#define WHERE_IDLE 0u
#define WHERE_HEAP 1u
#define WHERE_RUN 2u
#define WHERE_WHEEL 3u

/* ---- clocks ----------------------------------------------------------- */

/*
 * Division by den as a multiplication: with inv = ceil(2^64 / den) =
 * (2^64 + r) / den, 0 <= r < den, floor(p * inv / 2^64) = floor(p / den +
 * p * r / (den * 2^64)), which is floor(p / den) whenever p * r < 2^64 (the
 * added fraction stays below 1 / den). A 2.4 GHz clock (period 1250/3 ps)
 * then converts with no divide instruction.
 */
static void clock_reciprocal(struct sim_clock *clk)
{
	uint64_t r;

	clk->inv = clk->inv_max = 0;
	if (clk->den <= 1)
		return;
	clk->inv = UINT64_MAX / clk->den + 1;
	r = clk->inv * clk->den; /* mod 2^64: r */
	clk->inv_max = r ? UINT64_MAX / r : UINT64_MAX;
}

void sim_clock_init_period(struct sim_clock *clk, uint64_t period_ps)
{
	assert(period_ps > 0);
	clk->num = period_ps;
	clk->den = 1;
	clock_reciprocal(clk);
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
	while (b) {
		uint64_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

void sim_clock_init_hz(struct sim_clock *clk, uint64_t hz)
{
	uint64_t g;

	assert(hz > 0);
	/* the period 10^12 / hz ps in lowest terms (the same value): a clock
	 * of a whole number of ps, 2 GHz's 500, then converts with no
	 * division */
	g = gcd64(UINT64_C(1000000000000), hz);
	clk->num = UINT64_C(1000000000000) / g;
	clk->den = hz / g;
	clock_reciprocal(clk);
}

sim_time_t sim_clock_time(const struct sim_clock *clk, sim_cycles_t cycles)
{
	uint64_t p;

	/* the common case in 64 bits: a 128-bit division is a library call */
	if (!__builtin_mul_overflow(cycles, clk->num, &p)) {
		if (p <= clk->inv_max)
			return (uint64_t)((unsigned __int128)p * clk->inv >> 64);
		return clk->den == 1 ? p : p / clk->den;
	}

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

static __attribute__((noinline)) void heap_push(struct sim *s, struct sim_event *ev)
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

/* Run entries ahead of the one being fired whose events are prefetched
 * (further ahead is slower in bench/sched's hold case at 10^6: too many
 * misses in flight). */
#define PREFETCH_AHEAD 16

/* A cancelled wheel event leaves its entry queued (see sim_cancel()); once
 * the dead entries exceed the live ones by this many, they are swept. */
#define SWEEP_SLACK 1024

/*
 * A slot's entries beyond its own SIM_SLOT_INLINE go to blocks. Blocks come
 * from a free list, most recently freed first (so a cascade writes into
 * blocks it has just emptied, still in cache), and go back to it when
 * wheel_advance() empties their slot; nothing is ever copied to grow. The
 * allocator is called only when the entries held at once exceed their
 * previous peak.
 */
static inline struct sim_hent *slot_inline(const struct sim *s, unsigned n)
{
	return s->slot_block + (size_t)n * SIM_SLOT_INLINE;
}

/*
 * Where sim_schedule() put a wheel event: ev->where = WHERE_WHEEL + slot
 * number, ev->idx = its position there, below SIM_SLOT_INLINE in the
 * slot's own array, else SIM_SLOT_INLINE + 64 * block id + index in the
 * block. A cascade moves entries without telling their events, so this is
 * a hint: it holds exactly while the slot is not empty (see
 * wheel_unlink()).
 */
#define BLOCK_ID_MAX ((UINT32_MAX - SIM_SLOT_INLINE) / 64)

/* The hint of the position just past the end of block @b's array, or of
 * the slot's own array if @b is NULL. */
static inline uint32_t hint_end(const struct sim_block *b)
{
	return b ? SIM_SLOT_INLINE + 64 * b->id + SIM_BLOCK_ENTRIES :
		   SIM_SLOT_INLINE;
}

static inline void slot_clear(struct sim *s, unsigned n)
{
	struct sim_slot *v = &s->slots[n];

	v->tail = slot_inline(s, n);
	v->end = v->tail + SIM_SLOT_INLINE;
	v->more = v->oldest = NULL;
	v->hint_end = hint_end(NULL);
}


static struct sim_block *block_new(struct sim *s)
{
	struct sim_block *b = malloc(sizeof(*b));

	if (!b || s->nblocks == BLOCK_ID_MAX)
		abort(); /* see heap_grow() */
	if (s->nblocks == s->blocks_cap) {
		uint32_t cap = s->blocks_cap ? 2 * s->blocks_cap : 64;
		struct sim_block **t = realloc(s->blocks, cap * sizeof(*t));

		if (!t)
			abort();
		s->blocks = t;
		s->blocks_cap = cap;
	}
	b->id = s->nblocks;
	s->blocks[s->nblocks++] = b;
	return b;
}

static __attribute__((noinline)) void slot_grow(struct sim *s,
						 struct sim_slot *v)
{
	struct sim_block *b = s->free_blocks;

	if (b)
		s->free_blocks = b->next;
	else
		b = block_new(s);
	b->next = v->more;
	if (v->more)
		v->more->newer = b;
	else
		v->oldest = b;
	v->more = b;
	v->tail = b->e;
	v->end = b->e + SIM_BLOCK_ENTRIES;
	v->hint_end = hint_end(b);
}

static inline void block_free(struct sim *s, struct sim_block *b)
{
	b->next = s->free_blocks;
	s->free_blocks = b;
}

static inline void slot_append(struct sim *s, struct sim_slot *v,
			       struct sim_hent e)
{
	if (__builtin_expect(v->tail == v->end, 0))
		slot_grow(s, v);
	*v->tail++ = e;
}

/* The wheel level of a time after the cursor's level-0 slot. */
static inline unsigned wheel_level(const struct sim *s, sim_time_t t)
{
	uint64_t diff = (t >> s->shift) ^ (s->cursor >> s->shift);

	return (63u - (unsigned)__builtin_clzll(diff)) / WHEEL_BITS;
}

static inline unsigned wheel_slot(const struct sim *s, sim_time_t t,
				  unsigned level)
{
	return (unsigned)(t >> (s->shift + WHEEL_BITS * level)) & WHEEL_MASK;
}

/* The number of the wheel slot of @t, a time after the cursor's slot. */
static inline unsigned wheel_index(const struct sim *s, sim_time_t t)
{
	unsigned level = wheel_level(s, t);

	return level * WHEEL_SLOTS + wheel_slot(s, t, level);
}

/* Slot @n has one entry more. */
static inline void slot_filled(struct sim *s, unsigned n)
{
	s->occupied[n / WHEEL_SLOTS] |= UINT64_C(1) << (n % WHEEL_SLOTS);
	s->wheel_len++;
}

/* Put @e (an event after the cursor's slot) in its wheel slot and return
 * the slot's number. */
static inline __attribute__((always_inline)) unsigned
wheel_place(struct sim *s, struct sim_hent e)
{
	unsigned n = wheel_index(s, e.time);

	slot_append(s, &s->slots[n], e);
	slot_filled(s, n);
	return n;
}

/* Tell @ev that its entry is the last one of slot @n. */
static inline void entry_told(struct sim *s, unsigned n, struct sim_event *ev)
{
	const struct sim_slot *v = &s->slots[n];

	ev->where = WHERE_WHEEL + n;
	ev->idx = v->hint_end - (uint32_t)(v->end - v->tail) - 1;
}

/* wheel_place() for sim_schedule(): the event records where it went. */
static __attribute__((noinline)) void wheel_insert(struct sim *s, struct sim_event *ev)
{
	struct sim_hent e = { .time = ev->time, .key = ev->key, .ev = ev };

	entry_told(s, wheel_place(s, e), ev);
}

/* The same, inline where the slot has room: the common case needs no
 * call, so sim_schedule() saves no registers for it. */
static inline __attribute__((always_inline)) void
wheel_insert_fast(struct sim *s, struct sim_event *ev, struct sim_hent e)
{
	unsigned n = wheel_index(s, e.time);
	struct sim_slot *v = &s->slots[n];

	if (__builtin_expect(v->tail == v->end, 0)) {
		wheel_insert(s, ev);
		return;
	}
	*v->tail++ = e;
	slot_filled(s, n);
	entry_told(s, n, ev);
}

/*
 * The arrays of a detached slot, in turn: its own, then its blocks, the
 * oldest first (the newest is partly filled, the others full), so that
 * entries come in about the order they were scheduled, which keeps the
 * sort of equal times cheap. slot_detach() leaves the
 * slot empty and points @a at its own array; arrays_next() moves to the
 * next block, giving the array just walked back to the free list when
 * @release (an array's entries stay readable until it is reused).
 */
struct slot_arrays {
	struct sim_hent *e;
	uint32_t len;
	struct sim_block *cur, *next, *head;
	uint32_t head_len;
};

static inline void slot_detach(struct sim *s, unsigned n, struct slot_arrays *a)
{
	struct sim_slot *v = &s->slots[n];

	a->e = slot_inline(s, n);
	a->cur = NULL;
	a->head = v->more;
	a->next = v->oldest;
	a->len = a->head ? SIM_SLOT_INLINE : (uint32_t)(v->tail - a->e);
	a->head_len = a->head ? (uint32_t)(v->tail - a->head->e) : 0;
	slot_clear(s, n);
}

static inline bool arrays_next(struct sim *s, struct slot_arrays *a,
			       bool release)
{
	struct sim_block *b = a->next;

	if (release && a->cur)
		block_free(s, a->cur);
	if (!b)
		return false;
	a->cur = b;
	a->next = b == a->head ? NULL : b->newer;
	if (a->next) /* the whole block: it was written long ago */
		for (size_t k = 0; k < sizeof(*b); k += 64)
			__builtin_prefetch((const char *)a->next + k);
	a->e = b->e;
	a->len = b == a->head ? a->head_len : SIM_BLOCK_ENTRIES;
	return true;
}

/* ---- cancelled entries -------------------------------------------------- */

/*
 * The keys of cancelled wheel events whose entries are still queued: an
 * open-addressing set of key + 1 (0 marks a free cell; no key is all
 * ones, priorities stop at 255 and sequences below 2^56 - 1), linear
 * probing, at most an eighth full (a miss, the common case, is about one
 * probe). Keys are unique for the life of a struct sim, so a key in the
 * set names exactly one queued entry.
 */
static inline size_t dead_home(const struct sim *s, uint64_t k)
{
	return (size_t)((k * UINT64_C(0x9e3779b97f4a7c15)) >> 32) & (s->dead_cap - 1);
}

static void dead_add(struct sim *s, uint64_t key);

static __attribute__((noinline)) void dead_grow(struct sim *s)
{
	uint64_t *old = s->dead;
	size_t cap = s->dead_cap;

	s->dead_cap = cap ? 2 * cap : 64;
	s->dead = calloc(s->dead_cap, sizeof(*s->dead));
	if (!s->dead)
		abort(); /* see heap_grow() */
	s->ndead = 0;
	for (size_t i = 0; i < cap; i++)
		if (old[i])
			dead_add(s, old[i] - 1);
	free(old);
}

static void dead_add(struct sim *s, uint64_t key)
{
	uint64_t k = key + 1;
	size_t i;

	if (8 * (s->ndead + 1) > s->dead_cap)
		dead_grow(s);
	for (i = dead_home(s, k); s->dead[i]; i = (i + 1) & (s->dead_cap - 1))
		;
	s->dead[i] = k;
	s->ndead++;
}

/* If @key is in the set, take it out (its entry is being dropped) and
 * return true. Deletion shifts the probe sequence back: no tombstones. */
static bool dead_take(struct sim *s, uint64_t key)
{
	size_t mask = s->dead_cap - 1, i, j;
	uint64_t k = key + 1;

	for (i = dead_home(s, k); s->dead[i] != k; i = (i + 1) & mask)
		if (!s->dead[i])
			return false;
	for (j = i;;) {
		size_t h;

		j = (j + 1) & mask;
		if (!s->dead[j])
			break;
		h = dead_home(s, s->dead[j]);
		/* the cell at j may move to i unless its home lies in (i, j] */
		if (i <= j ? (h <= i || h > j) : (h <= i && h > j)) {
			s->dead[i] = s->dead[j];
			i = j;
		}
	}
	s->dead[i] = 0;
	s->ndead--;
	return true;
}

/* Whether @key is in the set (left there). */
static bool dead_has(const struct sim *s, uint64_t key)
{
	uint64_t k = key + 1;

	for (size_t i = dead_home(s, k); s->dead[i]; i = (i + 1) & (s->dead_cap - 1))
		if (s->dead[i] == k)
			return true;
	return false;
}

/* dead_bits[] of the run */
#define RUN_MARKS (SIM_WHEEL_LEVELS * WHEEL_SLOTS)

static inline uint64_t key_bit(uint64_t key)
{
	return UINT64_C(1) << (key % 64);
}

/* Whether a queued entry of a slot or run whose dead_bits[] are @marks is
 * of a cancelled event, and so is dropped. One predictable branch where
 * nothing cancelled is queued. */
static inline bool entry_dead(struct sim *s, uint64_t marks,
			      const struct sim_hent *e)
{
	return __builtin_expect(marks != 0, 0) && (marks & key_bit(e->key)) &&
	       dead_take(s, e->key);
}

static void sweep(struct sim *s);

/*
 * Leave the entry of cancelled wheel event @ev queued, and mark where it
 * is. That place follows from its time alone: in the run if the time is in
 * the cursor's level-0 slot, else in the slot wheel_place() would choose
 * now (an advance moves the cursor only within the range that every other
 * slot's entries agree with it on above their level, so a slot's entries
 * stay where the formula puts them). Entries are looked up in the dead set
 * only where their key's bit is marked.
 */
static __attribute__((noinline)) void dead_leave(struct sim *s,
						  const struct sim_event *ev)
{
	unsigned n = RUN_MARKS;

	dead_add(s, ev->key);
	if ((ev->time >> s->shift) != (s->cursor >> s->shift)) {
		unsigned level = wheel_level(s, ev->time);

		n = level * WHEEL_SLOTS + wheel_slot(s, ev->time, level);
	}
	s->dead_bits[n] |= key_bit(ev->key);
	/* dead entries may not outnumber live ones by much */
	if (s->ndead > s->live + SWEEP_SLACK)
		sweep(s);
}

/*
 * Cancel @ev at once if its entry is still where sim_schedule() put it:
 * the slot's last entry takes its place, and its event (unless cancelled
 * itself) is told. Returns false when the entry has moved since.
 *
 * Whether it has moved needs no look at the entry: entries leave a slot
 * only by this swap (which tells the moved entry's event), by a sweep
 * (which tells them all) and when wheel_advance() empties the slot. And a
 * slot emptied while one of its events is pending stays empty until that
 * event has fired: the cursor is then inside the slot's span and stays
 * there up to that event's time, and wheel_place() puts nothing in the
 * slot of the cursor's own index at a level. So the hint holds exactly
 * when the slot is not empty.
 */
static bool wheel_unlink(struct sim *s, struct sim_event *ev)
{
	unsigned n = ev->where - WHERE_WHEEL;
	uint32_t h = ev->idx;
	struct sim_slot *v = &s->slots[n];
	struct sim_hent *inl = slot_inline(s, n), *p;

	if (v->tail == inl)
		return false;
	if (h < SIM_SLOT_INLINE)
		p = inl + h;
	else
		p = s->blocks[(h - SIM_SLOT_INLINE) / 64]->e +
		    (h - SIM_SLOT_INLINE) % 64;
	*p = *--v->tail;
	s->wheel_len--;
	/* (when @p was the last entry, this writes to @ev itself: harmless) */
	if (!((s->dead_bits[n] & key_bit(p->key)) && dead_has(s, p->key))) {
		p->ev->where = WHERE_WHEEL + n;
		p->ev->idx = h;
	}
	if (v->more && v->tail == v->more->e) {
		/* its newest block is empty: the next array is full */
		struct sim_block *b = v->more;

		v->more = b->next;
		if (!v->more)
			v->oldest = NULL;
		block_free(s, b);
		v->end = v->more ? v->more->e + SIM_BLOCK_ENTRIES :
				   inl + SIM_SLOT_INLINE;
		v->tail = v->end;
		v->hint_end = hint_end(v->more);
	}
	if (v->tail == inl)
		s->occupied[n / WHEEL_SLOTS] &= ~(UINT64_C(1) << (n % WHEEL_SLOTS));
	return true;
}

static void hent_swap(struct sim_hent *a, struct sim_hent *b)
{
	struct sim_hent t = *a;

	*a = *b;
	*b = t;
}

/* Insertion sort that gives up (leaving a permutation of @a) after
 * @budget moves. Returns whether @a is sorted. */
static bool hent_insertion_sort_bounded(struct sim_hent *a, uint32_t n,
					uint64_t budget)
{
	for (uint32_t i = 1; i < n; i++) {
		struct sim_hent e = a[i];
		uint32_t k = i;

		while (k > 0 && hent_before(&e, &a[k - 1])) {
			a[k] = a[k - 1];
			k--;
		}
		a[k] = e;
		budget -= i - k < budget ? i - k : budget;
		if (!budget)
			return false;
	}
	return true;
}

/* (n^2 moves stay below any 64-bit budget) */
static void hent_insertion_sort(struct sim_hent *a, uint32_t n)
{
	hent_insertion_sort_bounded(a, n, UINT64_MAX);
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
 * run is counting-sorted on time - cursor (stable, O(n + 2^shift)); then
 * only events of equal time are left to order by key.
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
	/* equal times by key: an insertion pass, linear when entries come in
	 * about key order, as they mostly do; should many of one time come
	 * out of order, each group is quicksorted instead of costing n^2 */
	a = s->run;
	if (hent_insertion_sort_bounded(a, n, 8 * (uint64_t)n))
		return;
	for (uint32_t i = 0, j; i < n; i = j) {
		for (j = i + 1; j < n && a[j].time == a[i].time; j++)
			;
		if (j - i > 1)
			hent_sort(a + i, j - i);
	}
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

/* The run's fired entries, given back once they are most of it (so that a
 * long chain of events within one slot does not grow the run without
 * bound). */
static __attribute__((noinline)) void run_compact(struct sim *s)
{
	memmove(s->run, s->run + s->run_pos,
		(size_t)(s->run_len - s->run_pos) * sizeof(*s->run));
	s->run_len -= s->run_pos;
	s->run_pos = 0;
}

/* Runs up to this many entries still to fire are searched for an entry
 * to cancel; longer ones leave it dead (dead_leave()). */
#define RUN_SEARCH 32

/* Take the entry of @ev out of the run if it is there, among few entries
 * still to fire (an entry of the cursor's level-0 slot is in the run). */
static bool run_unlink(struct sim *s, const struct sim_event *ev)
{
	uint32_t i;

	if ((ev->time >> s->shift) != (s->cursor >> s->shift) ||
	    s->run_len - s->run_pos > RUN_SEARCH)
		return false;
	for (i = s->run_pos; i < s->run_len && s->run[i].key != ev->key; i++)
		;
	if (i == s->run_len)
		return false;
	memmove(&s->run[i], &s->run[i + 1], (size_t)(s->run_len - i - 1) * sizeof(*s->run));
	s->run_len--;
	return true;
}

/* Put @ev, of the cursor's level-0 slot, in its place among the run's
 * entries still to fire (searched from the end: new events mostly go
 * late). */
static inline void run_insert(struct sim *s, struct sim_event *ev,
			      struct sim_hent e)
{
	uint32_t i;

	if (s->run_pos == s->run_len)
		s->run_pos = s->run_len = 0;
	else if (__builtin_expect(s->run_pos >= 64 && 2 * s->run_pos >= s->run_len, 0))
		run_compact(s);
	if (__builtin_expect(s->run_len == s->run_cap, 0))
		run_grow(s);
	for (i = s->run_len; i > s->run_pos && hent_before(&e, &s->run[i - 1]); i--)
		s->run[i] = s->run[i - 1];
	s->run[i] = e;
	s->run_len++;
	s->live++;
	ev->where = WHERE_RUN;
}

/*
 * The entries @e[0..n) of a level-0 slot, none cancelled, n <= its own
 * SIM_SLOT_INLINE, become the run: each is copied to its rank, the number
 * of entries before it, counted without a data-dependent branch, one
 * comparison per pair. For the few entries of a slot this is cheaper than
 * copying and then insertion-sorting them, whose branches go wrong about
 * once per entry.
 */
static void run_fill_ranked(struct sim *s, const struct sim_hent *e, uint32_t n)
{
	uint32_t rank[SIM_SLOT_INLINE] = { 0 };

	while (__builtin_expect(s->run_cap < n, 0))
		run_grow(s);
	for (uint32_t i = 1; i < n; i++)
		for (uint32_t j = 0; j < i; j++) {
			uint32_t b = hent_before(&e[i], &e[j]);

			rank[j] += b;
			rank[i] += 1 - b;
		}
	for (uint32_t i = 0; i < n; i++)
		s->run[rank[i]] = e[i];
	s->run_len = n;
}

/* Move the entries @e[0..len) of a slot being emptied: to the run if they
 * are in level-0 slot @cur, else down the wheel. */
static inline void cascade(struct sim *s, const struct sim_hent *e,
			   uint32_t len, uint64_t cur, uint64_t marks)
{
	for (uint32_t i = 0; i < len; i++) {
		if (entry_dead(s, marks, &e[i]))
			continue;
		if ((e[i].time >> s->shift) == cur)
			run_append(s, e[i]);
		else
			wheel_place(s, e[i]);
	}
}

/*
 * With the run and the heap empty: take the lowest occupied slot. Its
 * earliest entry is the earliest of the wheel, so the cursor jumps to that
 * entry's level-0 slot (which keeps the invariant: the cursor still agrees
 * with every other wheel entry above its level, and stays below its index
 * there). The slot's entries in that level-0 slot form the new run; the
 * others go down to lower levels. Entries of cancelled events are dropped
 * on the way.
 */
static void wheel_advance(struct sim *s)
{
	unsigned level = 0, slot, n;
	struct slot_arrays a;
	uint64_t cur, marks;

	while (!s->occupied[level])
		level++;
	slot = (unsigned)__builtin_ctzll(s->occupied[level]);
	s->occupied[level] &= ~(UINT64_C(1) << slot);
	n = level * WHEEL_SLOTS + slot;
	/* every dead entry of the slot is dropped on the way */
	marks = s->dead_bits[n];
	s->dead_bits[n] = 0;
	/* No entry of this slot lands in it again (they all agree with the
	 * new cursor on this level), so it can be walked in place. */
	slot_detach(s, n, &a);
	s->run_pos = s->run_len = 0;
	s->dead_bits[RUN_MARKS] = 0;

	if (a.len == 1 && !a.head) {
		/* the common case of sparse near-future events: the run is the
		 * one entry */
		s->wheel_len--;
		s->cursor = a.e[0].time >> s->shift << s->shift;
		if (!entry_dead(s, marks, &a.e[0]))
			run_append(s, a.e[0]);
		return;
	}
	if (level > 0 && !a.head) {
		/* a few entries: the earliest one's level-0 slot */
		sim_time_t first = a.e[0].time;

		for (uint32_t i = 1; i < a.len; i++)
			if (a.e[i].time < first)
				first = a.e[i].time;
		cur = first >> s->shift;
	} else {
		/* the slot's start, without a pass to find the earliest (at
		 * level 0 the slot is the run) */
		unsigned above = WHEEL_BITS * (level + 1);

		cur = above < 64 ? (s->cursor >> s->shift) >> above << above : 0;
		cur |= (uint64_t)slot << (WHEEL_BITS * level);
	}
	s->cursor = cur << s->shift;
	if (level == 0 && !a.head && !marks) {
		s->wheel_len -= a.len;
		run_fill_ranked(s, a.e, a.len);
		return;
	}
	do {
		s->wheel_len -= a.len;
		cascade(s, a.e, a.len, cur, marks);
	} while (arrays_next(s, &a, true));
	run_sort(s);
}

/* Append @e to slot @n again, and tell its event where it went, unless it
 * is of a cancelled event. */
static void sweep_keep(struct sim *s, unsigned n, uint64_t marks,
		       struct sim_hent e)
{
	if (entry_dead(s, marks, &e))
		return;
	slot_append(s, &s->slots[n], e);
	s->wheel_len++;
	entry_told(s, n, e.ev);
}

/*
 * Drop every queued entry of a cancelled event: in what is left of the run
 * (keeping its order) and in each marked slot (whose live entries are
 * appended to it afresh). Afterwards the dead set is empty. Called when
 * dead entries outnumber live ones (by SWEEP_SLACK), so its cost, linear
 * in the entries, is O(1) per cancel.
 */
static void sweep(struct sim *s)
{
	uint64_t marks = s->dead_bits[RUN_MARKS];
	uint32_t w = s->run_pos;

	for (uint32_t r = s->run_pos; r < s->run_len; r++)
		if (!entry_dead(s, marks, &s->run[r]))
			s->run[w++] = s->run[r];
	s->run_len = w;
	s->dead_bits[RUN_MARKS] = 0;
	for (unsigned level = 0; level < SIM_WHEEL_LEVELS; level++) {
		uint64_t occ = s->occupied[level];

		while (occ) {
			unsigned slot = (unsigned)__builtin_ctzll(occ);
			unsigned n = level * WHEEL_SLOTS + slot;
			struct sim_slot *v = &s->slots[n];
			struct sim_hent own[SIM_SLOT_INLINE];
			struct slot_arrays a;

			occ &= occ - 1;
			marks = s->dead_bits[n];
			if (!marks)
				continue;
			s->dead_bits[n] = 0;
			slot_detach(s, n, &a);
			/* the slot's own array is written again at once */
			memcpy(own, a.e, a.len * sizeof(*a.e));
			a.e = own;
			do {
				s->wheel_len -= a.len;
				for (uint32_t i = 0; i < a.len; i++)
					sweep_keep(s, n, marks, a.e[i]);
			} while (arrays_next(s, &a, true));
			if (v->tail == slot_inline(s, n))
				s->occupied[level] &= ~(UINT64_C(1) << slot);
		}
	}
	assert(!s->ndead);
}

/* ---- queue front end -------------------------------------------------- */

static inline __attribute__((always_inline)) void
queue_insert(struct sim *s, struct sim_event *ev)
{
	struct sim_hent e = { .time = ev->time, .key = ev->key, .ev = ev };
	uint64_t slot = ev->time >> s->shift, cur = s->cursor >> s->shift;

	if (__builtin_expect(s->kind == SIM_QUEUE_WHEEL && slot >= cur, 1)) {
		if (slot == cur) {
			run_insert(s, ev, e);
			return;
		}
		s->live++;
		wheel_insert_fast(s, ev, e);
	} else {
		/* before the cursor's slot (after a run stopped short of an
		 * advanced cursor), or all events with SIM_QUEUE_HEAP */
		heap_push(s, ev);
	}
}

/*
 * The earliest pending entry, still queued, or NULL. Sets *from_run to
 * where it is. Heap entries are in or before the cursor's slot, run entries
 * in it, wheel entries after it, so the earliest is the first of the run's
 * and the heap's.
 */
static inline struct sim_hent *queue_front(struct sim *s, bool *from_run)
{
	for (;;) {
		if (s->run_pos < s->run_len) {
			struct sim_hent *r = &s->run[s->run_pos];

			if (entry_dead(s, s->dead_bits[RUN_MARKS], r)) {
				s->run_pos++;
				continue;
			}
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

		if (ahead < s->run_len) {
			/* both lines when the event straddles two */
			const struct sim_event *ev = s->run[ahead].ev;

			__builtin_prefetch(ev, 1);
			__builtin_prefetch((const char *)(ev + 1) - 1, 1);
		}
		s->run_pos++;
		s->live--;
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
	s->cur_key = UINT64_MAX;
	s->shift = cfg && cfg->slot_shift ? cfg->slot_shift : DEFAULT_SLOT_SHIFT;
	assert(s->shift < 64 - WHEEL_BITS);
	if (s->kind == SIM_QUEUE_WHEEL) {
		s->slot_block = malloc(SIM_WHEEL_LEVELS * WHEEL_SLOTS *
				       SIM_SLOT_INLINE * sizeof(*s->slot_block));
		if (!s->slot_block) {
			free(s);
			return NULL;
		}
		for (unsigned i = 0; i < SIM_WHEEL_LEVELS * WHEEL_SLOTS; i++)
			slot_clear(s, i);
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
	for (uint32_t i = 0; i < s->nblocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
	free(s->dead);
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

static inline uint64_t key_take(struct sim *s, enum sim_prio prio)
{
	/* no check for the sequence reaching 2^56: at 10^8 events per host
	 * second that takes 22 years */
	return (uint64_t)prio << SIM_SEQ_BITS | s->seq++;
}

/* Queue idle @ev at @t with @key. */
static inline __attribute__((always_inline)) void
enqueue(struct sim *s, struct sim_event *ev, sim_time_t t, uint64_t key)
{
	assert(ev->where == WHERE_IDLE && "event already pending");
	ev->time = t;
	ev->key = key;
	queue_insert(s, ev);
}

static inline __attribute__((always_inline)) void
schedule(struct sim *s, struct sim_event *ev, sim_time_t t, enum sim_prio prio)
{
	assert(t >= s->now && "event scheduled in the past");
	enqueue(s, ev, t, key_take(s, prio));
}

void sim_schedule(struct sim *s, struct sim_event *ev, sim_time_t t,
		  enum sim_prio prio)
{
	schedule(s, ev, t, prio);
}

/* (the same body, not a call: most events are scheduled this way) */
void sim_schedule_in(struct sim *s, struct sim_event *ev, sim_time_t delay,
		     enum sim_prio prio)
{
	sim_time_t t = s->now + delay;

	schedule(s, ev, t < s->now ? SIM_TIME_MAX : t, prio);
}

uint64_t sim_key_take(struct sim *s, enum sim_prio prio)
{
	return key_take(s, prio);
}

bool sim_key_past(const struct sim *s, sim_time_t t, uint64_t key)
{
	return t < s->now || (t == s->now && key < s->cur_key);
}

void sim_schedule_key(struct sim *s, struct sim_event *ev, sim_time_t t, uint64_t key)
{
	assert(!sim_key_past(s, t, key) && "event scheduled in the past");
	enqueue(s, ev, t, key);
}

bool sim_cancel(struct sim *s, struct sim_event *ev)
{
	if (ev->where == WHERE_IDLE)
		return false;
	if (ev->where == WHERE_HEAP) {
		heap_remove(s, ev->idx);
	} else {
		s->live--;
		/* An entry that has moved since it was scheduled (to the run,
		 * or down the wheel) is taken out of a short run at once; else
		 * it stays where it is, known by its unique key, and is dropped
		 * when reached or swept: a cascade does not tell the events it
		 * moves, so it touches none. The entry is never followed to the
		 * event again, so the owner may free the event at once. */
		bool gone = ev->where != WHERE_RUN && wheel_unlink(s, ev);

		if (!gone && !run_unlink(s, ev))
			dead_leave(s, ev);
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
		s->cur_key = ev->key;
		s->fired++;
		ev->fn(s, ev);
		if (s->stop)
			return SIM_RUN_STOPPED;
	}
	s->cur_key = UINT64_MAX;
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
	return (size_t)s->heap_len + s->live;
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
