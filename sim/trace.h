/* SPDX-License-Identifier: MIT */
/*
 * trace.h — trace points and trace sinks.
 *
 * A component declares each trace point once, with a name and typed fields
 * (struct sim_trace_desc, usually from a model's .def list), and binds it
 * to its component path with sim_tracepoint_init(). SIM_TRACE() costs one
 * predictable branch on tp->on while no sink wants the point.
 *
 * Sinks:
 *  - text: the stable regression format, one event per line
 *        <time_ps> <component> <event>[ <field>=<value>]...
 *    after a "# kvmsim-trace 1" header line (full rules in README.md);
 *  - chrome: Chrome / Perfetto Trace Event JSON, one instant event per
 *    trace event, one track per component, and per vCPU for an event whose
 *    first field is an unsigned "vcpu" or "cpu" ("COMPONENT vcpu=N");
 *  - vcd: Value Change Dump for GTKWave (timescale 1 ps): a scope per
 *    component (and per vCPU when an event's first field is an unsigned
 *    "vcpu" or "cpu"), an `event` variable per trace point and a variable
 *    per field holding its last value; written out by sim_trace_close().
 * A sink takes a filter: a comma-separated list of fnmatch(3) patterns on
 * "<component>:<event>"; NULL or "" selects everything.
 */
#ifndef KVMSIM_SIM_TRACE_H
#define KVMSIM_SIM_TRACE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "sim.h"

#ifdef __cplusplus
extern "C" {
#endif

enum sim_field_type {
	SIM_FIELD_U64,  /* unsigned decimal */
	SIM_FIELD_I64,  /* signed decimal */
	SIM_FIELD_HEX,  /* 0x-prefixed lowercase hexadecimal */
	SIM_FIELD_BOOL, /* 0 or 1 */
	SIM_FIELD_STR,  /* text; quoted when it holds anything but [A-Za-z0-9_.:/+-] */
};

struct sim_trace_field {
	const char *name;
	enum sim_field_type type;
};

/* A trace point's declaration: shared by every instance of a component. */
struct sim_trace_desc {
	const char *name;
	const struct sim_trace_field *fields;
	unsigned nfields;
	/* Optional, for the Chrome/Perfetto sink; the text and VCD sinks
	 * ignore them. @state: the event puts its track (its instance's:
	 * see the sink) in this state, drawn as a slice until the track's
	 * next state event. @span_since: the name of an unsigned field
	 * holding a simulated time (ps) before the event: the event ends a
	 * span that began then, drawn as an async slice named after the
	 * event. */
	const char *state;
	const char *span_since;
};

union sim_trace_val {
	uint64_t u;
	int64_t i;
	const char *s;
};

#define SIM_TV_U(x) ((union sim_trace_val){ .u = (uint64_t)(x) })
#define SIM_TV_I(x) ((union sim_trace_val){ .i = (int64_t)(x) })
#define SIM_TV_S(x) ((union sim_trace_val){ .s = (x) })

struct sim_trace;

/* One trace point of one component instance. Fields are private. */
struct sim_tracepoint {
	bool on;        /* some sink wants it: the one branch */
	uint32_t sinks; /* bit n: sink n wants it */
	uint32_t track; /* component index, for the chrome sink */
	const struct sim_trace_desc *desc;
	const char *component; /* owned by the tracer */
	struct sim_trace *tr;
};

/**
 * sim_tracepoint_init() - bind @desc to component path @component.
 *
 * Set-up time only (allocates). Returns 0 or -ENOMEM. The trace point must
 * outlive the simulation or be released with sim_tracepoint_release().
 */
int sim_tracepoint_init(struct sim *sim, struct sim_tracepoint *tp,
			const char *component, const struct sim_trace_desc *desc);

/** sim_tracepoint_release() - forget a trace point before the sim ends. */
void sim_tracepoint_release(struct sim_tracepoint *tp);

/** sim_trace_emit() - write one event to every sink that wants it. */
void sim_trace_emit(const struct sim_tracepoint *tp,
		    const union sim_trace_val *vals);

/**
 * sim_trace_emit_u() - sim_trace_emit() with every value passed as a
 * uint64_t (a string field's value is its pointer cast to uintptr_t); at
 * most 8 fields. For models that declare their events as tables.
 */
void sim_trace_emit_u(const struct sim_tracepoint *tp, const uint64_t *vals);

/* Emit @tp with the given field values (SIM_TV_U/I/S), in field order. */
#define SIM_TRACE(tp, ...)                                                     \
	do {                                                                   \
		if (__builtin_expect((tp)->on, 0))                             \
			sim_trace_emit((tp), (const union sim_trace_val[]){    \
						     __VA_ARGS__ });           \
	} while (0)

/* Emit a trace point that has no fields. */
#define SIM_TRACE0(tp)                                                         \
	do {                                                                   \
		if (__builtin_expect((tp)->on, 0))                             \
			sim_trace_emit((tp), NULL);                            \
	} while (0)

enum sim_trace_format {
	SIM_TRACE_TEXT,
	SIM_TRACE_CHROME,
	SIM_TRACE_VCD,
};

/**
 * sim_trace_open() - attach a sink writing to @out.
 * @sim: simulation
 * @fmt: SIM_TRACE_TEXT, SIM_TRACE_CHROME or SIM_TRACE_VCD
 * @out: stream the sink writes to; the caller closes it after
 *       sim_trace_close()
 * @filter: which events, see above; NULL for all
 *
 * Returns 0, -EINVAL (bad format), -ENOSPC (32 sinks already) or -ENOMEM.
 */
int sim_trace_open(struct sim *sim, enum sim_trace_format fmt, FILE *out,
		   const char *filter);

/**
 * sim_trace_close() - finish every sink (the chrome sink writes its closing
 * bracket) and flush their streams. Returns 0, or -EIO if a write failed.
 */
int sim_trace_close(struct sim *sim);

#ifdef __cplusplus
}
#endif

#endif /* KVMSIM_SIM_TRACE_H */
