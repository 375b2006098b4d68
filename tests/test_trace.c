// SPDX-License-Identifier: MIT
/*
 * test_trace.c — trace points and sinks: the stable text format against a
 * golden file written by hand from the format's definition (README.md,
 * "Trace format"), filters, disabled points, and the Chrome JSON sink
 * parsed back with jansson.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim/sim.h"
#include "sim/trace.h"
#include "test_util.h"

static const struct sim_trace_field irq_fields[] = {
	{ "intid", SIM_FIELD_U64 },
	{ "level", SIM_FIELD_BOOL },
	{ "delta", SIM_FIELD_I64 },
	{ "reg", SIM_FIELD_HEX },
	{ "who", SIM_FIELD_STR },
};
static const struct sim_trace_desc irq_desc = { "irq_set", irq_fields, 5, NULL, NULL };
static const struct sim_trace_desc tick_desc = { "tick", NULL, 0, NULL, NULL };

struct dev {
	struct sim_event ev;
	struct sim_tracepoint irq, tick;
	int n;
};

static void dev_fire(struct sim *sim, struct sim_event *ev)
{
	struct dev *d = container_of(ev, struct dev, ev);
	static const char *who[] = { "cpu0", "vcpu 1", "a\"b\\c\n" };

	SIM_TRACE(&d->irq, SIM_TV_U(32 + d->n), SIM_TV_U(d->n & 1),
		  SIM_TV_I(-d->n), SIM_TV_U(0x1000 + d->n), SIM_TV_S(who[d->n]));
	SIM_TRACE0(&d->tick);
	if (++d->n < 3)
		sim_schedule_in(sim, ev, SIM_NS(1) + 500, SIM_PRIO_DEFAULT);
}

/* Runs the device world with one sink of @fmt and @filter; returns output. */
static char *run_world(enum sim_trace_format fmt, const char *filter,
		       size_t *len)
{
	struct sim *sim = sim_create(NULL);
	struct dev d = { 0 };
	char *out = NULL;
	FILE *f = open_memstream(&out, len);

	sim_event_init(&d.ev, dev_fire);
	cr_assert_eq(sim_tracepoint_init(sim, &d.irq, "vm0.gic.dist", &irq_desc), 0);
	cr_assert_eq(sim_tracepoint_init(sim, &d.tick, "vm0.timer", &tick_desc), 0);
	cr_assert_not(d.irq.on, "no sink: trace points are off");
	cr_assert_eq(sim_trace_open(sim, fmt, f, filter), 0);
	sim_schedule(sim, &d.ev, 1000, SIM_PRIO_DEFAULT);
	sim_run_until(sim, SIM_US(1));
	cr_assert_eq(sim_trace_close(sim), 0);
	cr_assert_not(d.irq.on, "closing the sinks turns the points off");
	fclose(f);
	sim_destroy(sim);
	return out;
}

Test(trace, text_format_matches_golden_file)
{
	size_t ngot, nwant;
	char *got = run_world(SIM_TRACE_TEXT, NULL, &ngot);
	char *want = test_slurp(KVMSIM_TEST_SRCDIR "/golden/trace_text_basic.txt", &nwant);

	cr_assert_str_eq(got, want);
	free(got);
	free(want);
}

Test(trace, filter_selects_component_and_event)
{
	size_t n;
	char *out = run_world(SIM_TRACE_TEXT, "vm0.timer:*", &n);

	cr_assert_str_eq(out, "# kvmsim-trace 1\n"
			      "1000 vm0.timer tick\n"
			      "2500 vm0.timer tick\n"
			      "4000 vm0.timer tick\n");
	free(out);
	out = run_world(SIM_TRACE_TEXT, "nothing:here,*:irq_set", &n);
	cr_assert(strstr(out, "irq_set"));
	cr_assert_null(strstr(out, "tick"));
	free(out);
}

Test(trace, chrome_json_parses_with_exact_microsecond_times)
{
	size_t n;
	char *out = run_world(SIM_TRACE_CHROME, NULL, &n);
	json_error_t err;
	json_t *root = json_loads(out, 0, &err), *evs, *e, *second = NULL;
	size_t i, instants = 0, irqs = 0;

	cr_assert(root, "invalid JSON at line %d: %s", err.line, err.text);
	evs = json_object_get(root, "traceEvents");
	cr_assert(json_is_array(evs));
	json_array_foreach(evs, i, e) {
		const char *ph = json_string_value(json_object_get(e, "ph"));

		if (!strcmp(ph, "M")) {
			const char *m = json_string_value(json_object_get(e, "name"));

			cr_assert(!strcmp(m, "thread_name") || !strcmp(m, "thread_sort_index"),
				  "%s", m);
			continue;
		}
		instants++;
		if (!strcmp(json_string_value(json_object_get(e, "name")),
			    "irq_set") && ++irqs == 2)
			second = e;
	}
	cr_assert_eq(instants, 6);
	/* second irq_set: at 2500 ps = 0.0025 us, args typed */
	e = second;
	cr_assert(e);
	cr_assert_str_eq(json_string_value(json_object_get(e, "name")), "irq_set");
	cr_assert_str_eq(json_string_value(json_object_get(e, "cat")), "vm0.gic.dist");
	cr_assert(strstr(out, "\"ts\":0.002500"));
	cr_assert_eq(json_integer_value(json_object_get(json_object_get(e, "args"),
							"delta")), -1);
	cr_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(e, "args"), "reg")), "0x1001");
	cr_assert_str_eq(json_string_value(json_object_get(
				 json_object_get(e, "args"), "who")), "vcpu 1");
	json_decref(root);
	free(out);
}

Test(trace, bad_sink_arguments_are_rejected)
{
	struct sim *sim = sim_create(NULL);

	cr_assert_eq(sim_trace_open(sim, (enum sim_trace_format)7, stdout, NULL),
		     -EINVAL);
	cr_assert_eq(sim_trace_open(sim, SIM_TRACE_TEXT, NULL, NULL), -EINVAL);
	sim_destroy(sim);
}

Test(trace, released_trace_point_stays_off)
{
	struct sim *sim = sim_create(NULL);
	struct sim_tracepoint tp;
	char *out = NULL;
	size_t n;
	FILE *f = open_memstream(&out, &n);

	sim_tracepoint_init(sim, &tp, "x", &tick_desc);
	sim_tracepoint_release(&tp);
	sim_trace_open(sim, SIM_TRACE_TEXT, f, NULL);
	cr_assert_not(tp.on);
	sim_trace_close(sim);
	fclose(f);
	free(out);
	sim_destroy(sim);
}

/*
 * The VCD sink (IEEE 1364 §18, GTKWave's string extension), written by
 * hand from its rules in trace.h: identifiers are given in order of first
 * appearance (one for the event, one per field; '!' = 0, '$' skipped), a
 * leading "vcpu" field becomes a scope, '.' in a name becomes '_', scopes
 * are sorted by component then vCPU.
 */
static const struct sim_trace_field exit_fields[] = {
	{ "vcpu", SIM_FIELD_U64 },
	{ "reason", SIM_FIELD_STR },
	{ "ok", SIM_FIELD_BOOL },
};
static const struct sim_trace_desc exit_desc = { "exit", exit_fields, 3, NULL, NULL };

struct vcd_world {
	struct sim_event ev;
	struct sim_tracepoint exit, tick;
	int n;
};

static void vcd_fire(struct sim *sim, struct sim_event *ev)
{
	struct vcd_world *w = container_of(ev, struct vcd_world, ev);

	if (w->n++ == 0) {
		SIM_TRACE(&w->exit, SIM_TV_U(1), SIM_TV_S("mmio"), SIM_TV_U(1));
		SIM_TRACE(&w->exit, SIM_TV_U(0), SIM_TV_S("wfi x"), SIM_TV_U(0));
		sim_schedule_in(sim, ev, 2000, SIM_PRIO_DEFAULT);
	} else {
		SIM_TRACE(&w->exit, SIM_TV_U(1), SIM_TV_S("irq"), SIM_TV_U(0));
		SIM_TRACE0(&w->tick);
	}
}

/*
 * Runs a world of @n trace points @tp (of component @comp[i], declared by
 * @desc[i]) whose event @ev fires @fire first at 1 ns, with one sink of
 * @fmt, until 1 us; returns the sink's output.
 */
static char *run_points(enum sim_trace_format fmt, struct sim_event *ev, sim_event_fn fire,
			struct sim_tracepoint *const *tp, const char *const *comp,
			const struct sim_trace_desc *const *desc, unsigned n)
{
	struct sim *sim = sim_create(NULL);
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	sim_event_init(ev, fire);
	for (unsigned i = 0; i < n; i++)
		cr_assert_eq(sim_tracepoint_init(sim, tp[i], comp[i], desc[i]), 0);
	cr_assert_eq(sim_trace_open(sim, fmt, f, NULL), 0);
	sim_schedule(sim, ev, 1000, SIM_PRIO_DEFAULT);
	sim_run_until(sim, SIM_US(1));
	cr_assert_eq(sim_trace_close(sim), 0);
	fclose(f);
	sim_destroy(sim);
	return out;
}

/* Runs the vCPU world with one sink of @fmt; returns its output. */
static char *run_vcd_world(enum sim_trace_format fmt)
{
	static struct vcd_world w;
	struct sim_tracepoint *const tp[] = { &w.exit, &w.tick };
	static const char *const comp[] = { "cpu", "a.timer" };
	static const struct sim_trace_desc *const desc[] = { &exit_desc, &tick_desc };

	memset(&w, 0, sizeof(w));
	return run_points(fmt, &w.ev, vcd_fire, tp, comp, desc, 2);
}

Test(trace, vcd_matches_the_hand_written_dump)
{
	static const char want[] = "$version kvmsim trace (vcd) $end\n"
				   "$timescale 1ps $end\n"
				   "$scope module a_timer $end\n"
				   "$var event 1 * tick $end\n"
				   "$upscope $end\n"
				   "$scope module cpu $end\n"
				   "$scope module vcpu0 $end\n"
				   "$var event 1 & exit $end\n"
				   "$var string 1 ( exit_reason $end\n"
				   "$var wire 1 ) exit_ok $end\n"
				   "$upscope $end\n"
				   "$scope module vcpu1 $end\n"
				   "$var event 1 ! exit $end\n"
				   "$var string 1 # exit_reason $end\n"
				   "$var wire 1 % exit_ok $end\n"
				   "$upscope $end\n"
				   "$upscope $end\n"
				   "$enddefinitions $end\n"
				   "#1000\n1!\nsmmio #\n1%\n1&\nswfi_x (\n0)\n"
				   "#3000\n1!\nsirq #\n0%\n1*\n";
	char *out = run_vcd_world(SIM_TRACE_VCD);

	cr_expect_str_eq(out, want);
	free(out);
}

/*
 * The Chrome sink on the same world, written by hand from its rules in
 * trace.h: an event whose first field is an unsigned "vcpu" goes to its
 * vCPU's track of its component, (component + 1) * 65536 + vCPU, named
 * "cpu vcpu=N" and sorted by that number before its first event; any
 * other to its component's track (the component's number). Perfetto then
 * shows a line per vCPU instead of every vCPU's events on one.
 */
Test(trace, chrome_gives_each_vcpu_its_track)
{
	static const char want[] =
		"{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n"
		"{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":65537,"
		"\"args\":{\"name\":\"cpu vcpu=1\"}},\n"
		"{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":1,\"tid\":65537,"
		"\"args\":{\"sort_index\":65537}},\n"
		"{\"ph\":\"i\",\"s\":\"t\",\"name\":\"exit\",\"cat\":\"cpu\",\"ts\":0.001000,"
		"\"pid\":1,\"tid\":65537,\"args\":{\"vcpu\":1,\"reason\":\"mmio\",\"ok\":1}},\n"
		"{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":65536,"
		"\"args\":{\"name\":\"cpu vcpu=0\"}},\n"
		"{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":1,\"tid\":65536,"
		"\"args\":{\"sort_index\":65536}},\n"
		"{\"ph\":\"i\",\"s\":\"t\",\"name\":\"exit\",\"cat\":\"cpu\",\"ts\":0.001000,"
		"\"pid\":1,\"tid\":65536,\"args\":{\"vcpu\":0,\"reason\":\"wfi x\",\"ok\":0}},\n"
		"{\"ph\":\"i\",\"s\":\"t\",\"name\":\"exit\",\"cat\":\"cpu\",\"ts\":0.003000,"
		"\"pid\":1,\"tid\":65537,\"args\":{\"vcpu\":1,\"reason\":\"irq\",\"ok\":0}},\n"
		"{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":1,"
		"\"args\":{\"name\":\"a.timer\"}},\n"
		"{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":1,\"tid\":1,"
		"\"args\":{\"sort_index\":1}},\n"
		"{\"ph\":\"i\",\"s\":\"t\",\"name\":\"tick\",\"cat\":\"a.timer\",\"ts\":0.003000,"
		"\"pid\":1,\"tid\":1,\"args\":{}}\n"
		"]}\n";
	char *out = run_vcd_world(SIM_TRACE_CHROME);
	json_t *root = json_loads(out, 0, NULL);

	cr_expect_str_eq(out, want);
	cr_expect(root, "valid JSON");
	json_decref(root);
	free(out);
}

Test(trace, vcd_without_events_is_a_valid_empty_dump)
{
	struct sim *sim = sim_create(NULL);
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	cr_assert_eq(sim_trace_open(sim, SIM_TRACE_VCD, f, NULL), 0);
	cr_assert_eq(sim_trace_close(sim), 0);
	fclose(f);
	sim_destroy(sim);
	cr_expect_str_eq(out, "$version kvmsim trace (vcd) $end\n$timescale 1ps $end\n"
			      "$enddefinitions $end\n");
	free(out);
}

/*
 * State slices and spans in the Chrome sink, written by hand from their
 * rules in trace.h: an event with a state ends its track's open slice
 * ("E") and begins one named after the state ("B", category "state"), and
 * sim_trace_close() ends the last at the last event's time; an event with
 * span_since draws an async slice ("b" at that field's time, "e" at the
 * event's, ids from 1) named after the event. Text sinks ignore both.
 */
static const struct sim_trace_field st_fields[] = { { "vcpu", SIM_FIELD_U64 } };
static const struct sim_trace_desc run_desc = { "run", st_fields, 1, "guest", NULL };
static const struct sim_trace_desc out_desc = { "out", st_fields, 1, "host", NULL };
static const struct sim_trace_field span_fields[] = { { "cpu", SIM_FIELD_U64 },
						      { "since", SIM_FIELD_U64 } };
static const struct sim_trace_desc got_desc = { "got", span_fields, 2, NULL, "since" };

struct st_world {
	struct sim_event ev;
	struct sim_tracepoint run, out, got;
	int n;
};

static void st_fire(struct sim *sim, struct sim_event *ev)
{
	struct st_world *w = container_of(ev, struct st_world, ev);

	switch (w->n++) {
	case 0:
		SIM_TRACE(&w->run, SIM_TV_U(0));
		break;
	case 1:
		SIM_TRACE(&w->out, SIM_TV_U(0));
		break;
	default:
		SIM_TRACE(&w->got, SIM_TV_U(0), SIM_TV_U(1500));
		return;
	}
	sim_schedule_in(sim, ev, 1000, SIM_PRIO_DEFAULT);
}

static char *run_state_world(enum sim_trace_format fmt)
{
	static struct st_world w;
	struct sim_tracepoint *const tp[] = { &w.run, &w.out, &w.got };
	static const char *const comp[] = { "cpu", "cpu", "vgic" };
	static const struct sim_trace_desc *const desc[] = { &run_desc, &out_desc, &got_desc };

	memset(&w, 0, sizeof(w));
	return run_points(fmt, &w.ev, st_fire, tp, comp, desc, 3);
}

Test(trace, chrome_draws_states_as_slices_and_spans_as_async_slices)
{
	static const char want[] =
		"{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n"
		"{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":65536,"
		"\"args\":{\"name\":\"cpu vcpu=0\"}},\n"
		"{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":1,\"tid\":65536,"
		"\"args\":{\"sort_index\":65536}},\n"
		"{\"ph\":\"B\",\"name\":\"guest\",\"cat\":\"state\",\"ts\":0.001000,\"pid\":1,"
		"\"tid\":65536},\n"
		"{\"ph\":\"i\",\"s\":\"t\",\"name\":\"run\",\"cat\":\"cpu\",\"ts\":0.001000,"
		"\"pid\":1,\"tid\":65536,\"args\":{\"vcpu\":0}},\n"
		"{\"ph\":\"E\",\"ts\":0.002000,\"pid\":1,\"tid\":65536},\n"
		"{\"ph\":\"B\",\"name\":\"host\",\"cat\":\"state\",\"ts\":0.002000,\"pid\":1,"
		"\"tid\":65536},\n"
		"{\"ph\":\"i\",\"s\":\"t\",\"name\":\"out\",\"cat\":\"cpu\",\"ts\":0.002000,"
		"\"pid\":1,\"tid\":65536,\"args\":{\"vcpu\":0}},\n"
		"{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":1,\"tid\":131072,"
		"\"args\":{\"name\":\"vgic cpu=0\"}},\n"
		"{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":1,\"tid\":131072,"
		"\"args\":{\"sort_index\":131072}},\n"
		"{\"ph\":\"b\",\"name\":\"got\",\"cat\":\"vgic\",\"id\":1,\"ts\":0.001500,"
		"\"pid\":1,\"args\":{\"cpu\":0,\"since\":1500}},\n"
		"{\"ph\":\"e\",\"name\":\"got\",\"cat\":\"vgic\",\"id\":1,\"ts\":0.003000,"
		"\"pid\":1},\n"
		"{\"ph\":\"i\",\"s\":\"t\",\"name\":\"got\",\"cat\":\"vgic\",\"ts\":0.003000,"
		"\"pid\":1,\"tid\":131072,\"args\":{\"cpu\":0,\"since\":1500}},\n"
		"{\"ph\":\"E\",\"ts\":0.003000,\"pid\":1,\"tid\":65536}\n"
		"]}\n";
	char *out = run_state_world(SIM_TRACE_CHROME), *text;
	json_t *root = json_loads(out, 0, NULL);

	cr_expect_str_eq(out, want);
	cr_expect(root, "valid JSON");
	json_decref(root);
	free(out);
	text = run_state_world(SIM_TRACE_TEXT);
	cr_expect(strstr(text, "1000 cpu run vcpu=0\n2000 cpu out vcpu=0\n"
			       "3000 vgic got cpu=0 since=1500\n"),
		  "the text sink: plain events\n%s", text);
	free(text);
}
