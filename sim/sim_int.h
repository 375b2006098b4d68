/* SPDX-License-Identifier: MIT */
/*
 * sim_int.h — private state of the kernel (struct sim). Only sim/ includes
 * this file.
 */
#ifndef KVMSIM_SIM_INT_H
#define KVMSIM_SIM_INT_H

#include "sim.h"

struct sim_trace;

/* A heap entry: the order key is copied next to the event pointer so that
 * comparisons stay inside the heap array. */
struct sim_hent {
	sim_time_t time;
	uint64_t key;
	struct sim_event *ev;
};

/* A block of a wheel slot's entries beyond its first SIM_SLOT_INLINE. */
#define SIM_BLOCK_ENTRIES 63
struct sim_block {
	struct sim_block *next;  /* the slot's older block, or next free one */
	struct sim_block *newer; /* the slot's newer block, if not the newest */
	uint32_t id;             /* index in struct sim's blocks[] */
	struct sim_hent e[SIM_BLOCK_ENTRIES];
};

/*
 * A wheel slot: its first SIM_SLOT_INLINE entries in an array of its own
 * (carved from one allocation for all slots), the rest in a list of
 * blocks. Entries go to [tail, end), the free part of the newest array;
 * every older array is full.
 */
#define SIM_SLOT_INLINE 8
struct sim_slot {
	struct sim_hent *tail, *end;
	struct sim_block *more;   /* the newest block */
	struct sim_block *oldest; /* the first one */
	uint32_t hint_end; /* the position hint (see sim.c) of end */
};

#define SIM_WHEEL_LEVELS 11 /* ceil(64 / 6): enough for any slot shift */

struct sim {
	sim_time_t now;
	uint64_t seq;   /* next insertion sequence number */
	uint64_t fired; /* events fired so far */
	uint64_t cur_key; /* key of the event whose callback runs; all ones
			   * between runs (every event up to now fired) */
	bool stop;
	enum sim_queue_kind kind;
	unsigned shift; /* wheel level-0 slot width is 2^shift ps */

	struct sim_hent *heap;
	uint32_t heap_len, heap_cap;

	struct sim_hent *run; /* the cursor slot's events, sorted */
	uint32_t run_pos, run_len, run_cap;
	struct sim_hent *sort_tmp; /* counting sort of large runs */
	uint32_t sort_tmp_cap;
	uint32_t *sort_count;

	sim_time_t cursor; /* wheel position; <= time of every wheel event */
	size_t wheel_len;  /* entries in the slots, cancelled ones included */
	size_t live;       /* pending events in the slots and the run */
	uint64_t occupied[SIM_WHEEL_LEVELS];
	struct sim_slot slots[SIM_WHEEL_LEVELS * 64];
	struct sim_hent *slot_block; /* the slots' own arrays */
	struct sim_block *free_blocks;
	struct sim_block **blocks; /* every block, by id */
	uint32_t nblocks, blocks_cap;

	/* keys (+1) of cancelled events whose entries are still queued */
	uint64_t *dead;
	size_t ndead, dead_cap;
	/* per slot, and for the run (last): a 64-bit filter of the keys of
	 * such entries there, bit key % 64 */
	uint64_t dead_bits[SIM_WHEEL_LEVELS * 64 + 1];

	struct sim_trace *trace;

	struct sim_counter **counters; /* registry, creation order */
	size_t ncounters, capcounters;
};

struct sim_trace *sim_trace_create(struct sim *sim);
void sim_trace_destroy(struct sim_trace *tr);
void sim_counters_free(struct sim *sim);

#endif /* KVMSIM_SIM_INT_H */
