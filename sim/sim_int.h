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

/* A growable array of entries: one wheel slot. */
struct sim_vec {
	struct sim_hent *e;
	uint32_t len, cap;
};

#define SIM_WHEEL_LEVELS 11 /* ceil(64 / 6): enough for any slot shift */

struct sim {
	sim_time_t now;
	uint64_t seq;   /* next insertion sequence number */
	uint64_t fired; /* events fired so far */
	bool stop;
	enum sim_queue_kind kind;
	unsigned shift; /* wheel level-0 slot width is 2^shift ps */

	struct sim_hent *heap;
	uint32_t heap_len, heap_cap;

	struct sim_hent *run; /* the cursor slot's events, sorted */
	uint32_t run_pos, run_len, run_cap;
	size_t run_live; /* entries of the run not yet fired or cancelled */
	uint32_t run_src; /* where-code of the slot the run came from */
	struct sim_hent *sort_tmp; /* counting sort of large runs */
	uint32_t sort_tmp_cap;
	uint32_t *sort_count;

	sim_time_t cursor; /* wheel position; <= time of every wheel event */
	size_t wheel_len;
	uint64_t occupied[SIM_WHEEL_LEVELS];
	struct sim_vec slots[SIM_WHEEL_LEVELS * 64];
	struct sim_hent *slot_block; /* the slots' initial arrays */
	struct sim_hent *pool[32];   /* free slot arrays of 2^n entries */

	struct sim_trace *trace;

	struct sim_counter **counters; /* registry, creation order */
	size_t ncounters, capcounters;
};

struct sim_trace *sim_trace_create(struct sim *sim);
void sim_trace_destroy(struct sim_trace *tr);
void sim_counters_free(struct sim *sim);

#endif /* KVMSIM_SIM_INT_H */
