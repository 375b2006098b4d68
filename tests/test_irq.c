// SPDX-License-Identifier: MIT
/*
 * test_irq.c — the interrupt wire (models/irq.h): a sink hears changes of
 * level only; a sink that reads the level may let the driver defer the
 * changes it would only note, and then reads the level the event would
 * have left at every moment, ties with other events of the same time
 * included, without its callback being called.
 */
#include <criterion/criterion.h>

#include "models/irq.h"
#include "sim/sim.h"

struct sink {
	unsigned calls;
	bool last;
	bool quiet_falls; /* the quiet callback allows falls only */
	unsigned asked;
};

static void sink_set(void *ctx, unsigned n, bool level)
{
	struct sink *s = ctx;

	cr_assert_eq(n, 3);
	s->calls++;
	s->last = level;
}

static bool sink_quiet(void *ctx, unsigned n, bool level, sim_time_t t, uint64_t key)
{
	struct sink *s = ctx;

	(void)t;
	(void)key;
	cr_assert_eq(n, 3);
	s->asked++;
	return !level || !s->quiet_falls;
}

Test(irq, a_sink_hears_changes_only)
{
	struct irq_line l = { 0 };
	struct sink s = { 0 };

	irq_line_set(&l, true); /* unconnected: holds the level */
	irq_line_connect(&l, sink_set, &s, 3);
	cr_expect_eq(s.calls, 1, "the sink sees the current level");
	irq_line_set(&l, true);
	cr_expect_eq(s.calls, 1);
	irq_line_set(&l, false);
	cr_expect_eq(s.calls, 2);
	cr_expect_not(s.last);
	cr_expect_not(irq_line_may_defer(&l, true, 10, 0), "a sink that does not read");
}

/* A reader's event at the deferred change's time, before and after it in
 * the order. */
struct reader {
	struct sim_event ev;
	struct irq_line *l;
	int level;
};

static void reader_fire(struct sim *sim, struct sim_event *ev)
{
	struct reader *r = container_of(ev, struct reader, ev);

	(void)sim;
	r->level = irq_line_level(r->l);
}

Test(irq, a_deferred_change_reads_as_its_event_would_have_left_the_line)
{
	struct sim *sim = sim_create(NULL);
	struct irq_line l = { 0 };
	struct sink s = { .quiet_falls = true };
	struct reader before = { .l = &l, .level = -1 }, after = { .l = &l, .level = -1 };
	uint64_t key;

	sim_event_init(&before.ev, reader_fire);
	sim_event_init(&after.ev, reader_fire);
	irq_line_connect(&l, sink_set, &s, 3);
	irq_line_reads_level(&l, sink_quiet);
	irq_line_set(&l, true);
	cr_assert_eq(s.calls, 1);

	sim_schedule(sim, &before.ev, 100, SIM_PRIO_DEFAULT);
	key = sim_key_take(sim, SIM_PRIO_DEFAULT);
	sim_schedule(sim, &after.ev, 100, SIM_PRIO_DEFAULT);
	cr_assert_not(irq_line_may_defer(&l, true, 100, key), "a rise the sink must hear");
	cr_assert(irq_line_may_defer(&l, false, 100, key));
	cr_expect_eq(s.asked, 2);
	irq_line_defer(&l, sim, false, 100, key);
	cr_expect(irq_line_level(&l), "high until the event's time");
	sim_run_until(sim, 100);
	cr_expect_eq(before.level, 1, "an event before it in the order sees it high");
	cr_expect_eq(after.level, 0, "one after it sees it low");
	cr_expect_not(irq_line_level(&l));
	cr_expect_eq(s.calls, 1, "the sink's callback is not called for it");
	sim_destroy(sim);
}

Test(irq, a_change_before_the_deferred_one_replaces_it)
{
	struct sim *sim = sim_create(NULL);
	struct irq_line l = { 0 };
	struct sink s = { 0 };
	uint64_t key;

	irq_line_connect(&l, sink_set, &s, 3);
	irq_line_reads_level(&l, sink_quiet);
	irq_line_set(&l, true);
	key = sim_key_take(sim, SIM_PRIO_DEFAULT);
	irq_line_defer(&l, sim, false, 100, key);
	/* the driver wants it high after all, before then */
	irq_line_defer(&l, sim, true, 100, key);
	sim_run_until(sim, 200);
	cr_expect(irq_line_level(&l), "no fall once the driver wants it high again");

	key = sim_key_take(sim, SIM_PRIO_DEFAULT);
	irq_line_defer(&l, sim, false, 300, key);
	irq_line_set(&l, true); /* driven at once: the deferred change is gone */
	sim_run_until(sim, 400);
	cr_expect(irq_line_level(&l));
	irq_line_set(&l, false);
	cr_expect_eq(s.calls, 2, "one rise, one fall heard");
	cr_expect_not(s.last);
	sim_destroy(sim);
}
