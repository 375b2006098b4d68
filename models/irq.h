/* SPDX-License-Identifier: MIT */
/*
 * irq.h — an interrupt wire between two models.
 *
 * The driving model owns a struct irq_line per output and sets its level;
 * the receiving model connects a callback. Like a wire, only a change of
 * level reaches the sink. An unconnected line just holds its level.
 */
#ifndef KVMSIM_MODELS_IRQ_H
#define KVMSIM_MODELS_IRQ_H

#include <stdbool.h>

struct irq_line {
	/* Called on each change of level; NULL while unconnected. May
	 * schedule events and change other lines, not this one. */
	void (*set)(void *ctx, unsigned n, bool level);
	void *ctx;
	unsigned n; /* passed back to set(): which input of the sink */
	bool level;
};

/* Wire @line to input @n of a sink. The sink sees the current level. */
static inline void irq_line_connect(struct irq_line *line,
				    void (*set)(void *ctx, unsigned n, bool level),
				    void *ctx, unsigned n)
{
	line->set = set;
	line->ctx = ctx;
	line->n = n;
	if (set && line->level)
		set(ctx, n, true);
}

/* Drive @line to @level; the sink hears about changes only. */
static inline void irq_line_set(struct irq_line *line, bool level)
{
	if (line->level == level)
		return;
	line->level = level;
	if (line->set)
		line->set(line->ctx, line->n, level);
}

#endif /* KVMSIM_MODELS_IRQ_H */
