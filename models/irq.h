/* SPDX-License-Identifier: MIT */
/*
 * irq.h — an interrupt wire between two models.
 *
 * The driving model owns a struct irq_line per output and sets its level;
 * the receiving model connects a callback. Like a wire, only a change of
 * level reaches the sink. An unconnected line just holds its level.
 *
 * A sink that reads the level when it needs it (irq_line_level()) can say
 * which changes it would only note (irq_line_reads_level()): a driver that
 * would run an event for such a change may then defer it instead
 * (irq_line_defer()). The line keeps the time and the kernel key of the
 * event it stands for (sim_key_take()), so its level reads as the event
 * would have left it at every moment, ties included, and the sink's
 * callback is not called for it.
 */
#ifndef KVMSIM_MODELS_IRQ_H
#define KVMSIM_MODELS_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "sim/sim.h"

/* Whether the sink would do nothing but note a change of input @n to
 * @level made by an event at @t with key @key (see irq_line_reads_level()). */
typedef bool (*irq_line_quiet_fn)(void *ctx, unsigned n, bool level, sim_time_t t,
				  uint64_t key);

struct irq_line {
	/* Called on each change of level; NULL while unconnected. May
	 * schedule events and change other lines, not this one. */
	void (*set)(void *ctx, unsigned n, bool level);
	irq_line_quiet_fn quiet; /* NULL: the sink hears every change */
	void *ctx;
	unsigned n; /* passed back to set(): which input of the sink */
	bool level;
	/* A deferred change: the level flips at (at, key) */
	bool deferred;
	sim_time_t at;
	uint64_t key;
	const struct sim *sim;
};

/* Wire @line to input @n of a sink. The sink sees the current level. */
static inline void irq_line_connect(struct irq_line *line,
				    void (*set)(void *ctx, unsigned n, bool level),
				    void *ctx, unsigned n)
{
	line->set = set;
	line->quiet = NULL;
	line->ctx = ctx;
	line->n = n;
	if (set && line->level)
		set(ctx, n, true);
}

/* The connected sink reads the level with irq_line_level() whenever it
 * needs it, and @quiet tells the changes it need not hear of. */
static inline void irq_line_reads_level(struct irq_line *line, irq_line_quiet_fn quiet)
{
	line->quiet = quiet;
}

/* A deferred change whose event has come: the line takes its level. */
static inline void irq_line_settle(struct irq_line *line)
{
	if (__builtin_expect(line->deferred, 0) && sim_key_past(line->sim, line->at, line->key)) {
		line->level = !line->level;
		line->deferred = false;
	}
}

/* The level now. */
static inline bool irq_line_level(struct irq_line *line)
{
	irq_line_settle(line);
	return line->level;
}

/* Drive @line to @level; the sink hears about changes only. */
static inline void irq_line_set(struct irq_line *line, bool level)
{
	irq_line_settle(line);
	line->deferred = false;
	if (line->level == level)
		return;
	line->level = level;
	if (line->set)
		line->set(line->ctx, line->n, level);
}

/* Whether a change of @line to @level by an event at @t with @key may be
 * deferred: its sink would only note it. */
static inline bool irq_line_may_defer(const struct irq_line *line, bool level, sim_time_t t,
				      uint64_t key)
{
	return line->quiet && line->quiet(line->ctx, line->n, level, t, key);
}

/*
 * Instead of an event at @t with @key (not past) that would drive @line
 * to @level: the line reads @level from then on (nothing if it has that
 * level already). For a change irq_line_may_defer() allows; the driver
 * calls it again, or irq_line_set(), should the level it wants by then
 * change before @t.
 */
static inline void irq_line_defer(struct irq_line *line, const struct sim *sim, bool level,
				  sim_time_t t, uint64_t key)
{
	line->deferred = line->level != level;
	line->at = t;
	line->key = key;
	line->sim = sim;
}

#endif /* KVMSIM_MODELS_IRQ_H */
