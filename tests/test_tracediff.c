// SPDX-License-Identifier: MIT
/*
 * test_tracediff.c — `kvmsim trace diff` on identical, shifted, reordered
 * and different traces: the first divergence with its time, component,
 * event and fields, the count summary, and the result (0 equal, 1
 * different, -1 unreadable or not a trace).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "workloads/workload.h"

static char dir[64];

static const char *put(const char *name, const char *text)
{
	static char paths[4][128];
	static int k;
	char *p = paths[k++ % 4];
	FILE *f;

	snprintf(p, 128, "%s/%s", dir, name);
	f = fopen(p, "w");
	cr_assert(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/kvmsim-td-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(tracediff, .init = setup, .fini = teardown);

#define HDR "# kvmsim-trace 1\n"
#define T1 "1000 vgic inject cpu=0 intid=40 level=1\n"
#define T2 "1500 cpu exit vcpu=0 reason=irq pcpu=0\n"
#define T3 "2500 cpu handler vcpu=0 intid=40 pcpu=0\n"

/* Run the diff; returns its result and its report in *msg. */
static int diff(const char *a, const char *b, char **msg)
{
	size_t len = 0;
	FILE *out = open_memstream(msg, &len);
	int r = wl_trace_diff(a, b, out, stderr);

	fclose(out);
	return r;
}

Test(tracediff, identical_traces_are_equal)
{
	const char *a = put("a", HDR T1 T2 T3), *b = put("b", HDR T1 T2 T3);
	char *msg;

	cr_expect_eq(diff(a, b, &msg), 0);
	cr_expect(strstr(msg, "traces equal: 3 events"), "%s", msg);
	free(msg);
}

Test(tracediff, a_shifted_trace_differs_in_time_only)
{
	const char *a = put("a", HDR T1 T2 T3);
	const char *b = put("b", HDR T1 "1600 cpu exit vcpu=0 reason=irq pcpu=0\n"
				     "2600 cpu handler vcpu=0 intid=40 pcpu=0\n");
	char *msg;

	cr_expect_eq(diff(a, b, &msg), 1);
	cr_expect(strstr(msg, ":3 and "), "first divergence on line 3: %s", msg);
	cr_expect(strstr(msg, "time:      1500 ps vs 1600 ps (+100 ps)"), "%s", msg);
	cr_expect(strstr(msg, "component: cpu\n"), "%s", msg);
	cr_expect(strstr(msg, "fields:    equal"), "%s", msg);
	cr_expect(strstr(msg, "occurs as often in both"), "%s", msg);
	free(msg);
}

Test(tracediff, a_reordered_trace_keeps_its_counts)
{
	const char *a = put("a", HDR T1 T2 T3);
	const char *b = put("b", HDR T2 T1 T3);
	char *msg;

	cr_expect_eq(diff(a, b, &msg), 1);
	cr_expect(strstr(msg, "component: vgic vs cpu"), "%s", msg);
	cr_expect(strstr(msg, "event:     inject vs exit"), "%s", msg);
	cr_expect(strstr(msg, "occurs as often in both"), "%s", msg);
	free(msg);
}

Test(tracediff, missing_and_changed_events_are_counted)
{
	const char *a = put("a", HDR T1 T2 T3);
	const char *b = put("b", HDR T1 "1500 cpu exit vcpu=0 reason=wfi pcpu=0\n");
	char *msg;

	cr_expect_eq(diff(a, b, &msg), 1);
	cr_expect(strstr(msg, "fields:    differ"), "%s", msg);
	cr_expect(strstr(msg, "events: 3 in A, 2 in B"), "%s", msg);
	cr_expect(strstr(msg, "cpu:handler"), "the missing handler event: %s", msg);
	free(msg);
	cr_expect_eq(diff(a, put("c", HDR T1 T2), &msg), 1);
	cr_expect(strstr(msg, "B: (end of trace)"), "%s", msg);
	free(msg);
}

Test(tracediff, an_unreadable_trace_is_an_error)
{
	char *msg;
	char missing[128];

	snprintf(missing, sizeof(missing), "%s/none", dir);
	cr_expect_eq(diff(put("a", HDR T1), missing, &msg), -1);
	free(msg);
}

/* Its complaint, from the error stream, and the result. */
static int refused(const char *a, const char *b, char **why)
{
	size_t len = 0;
	FILE *err = open_memstream(why, &len);
	char *msg = NULL;
	size_t mlen = 0;
	FILE *out = open_memstream(&msg, &mlen);
	int r = wl_trace_diff(a, b, out, err);

	fclose(out);
	fclose(err);
	cr_expect_str_eq(msg, "", "a refused diff reports no difference");
	free(msg);
	return r;
}

/*
 * What is not a text trace (README.md, "Traces") is refused, naming the
 * file and line, instead of being diffed as one: a line that is not TIME
 * COMPONENT EVENT [NAME=VALUE]... (another file given by mistake, a second
 * space, a tab, an event without its name), a header of another format
 * version, an empty file, a directory. Lines of a trace without its
 * header (a grep of one) are events all the same, and a trace of no
 * events is one.
 */
Test(tracediff, what_is_not_a_trace_is_refused)
{
	static const struct {
		const char *text, *why;
	} bad[] = {
		{ "root:x:0:0:root:/root:/bin/bash\n", "/b:1: not a trace event (expected TIME_PS "
						       "COMPONENT EVENT [NAME=VALUE]...): 'root:x:0" },
		{ HDR T1 "1500  cpu exit vcpu=0\n", "/b:3: not a trace event" },
		{ HDR T1 "1500 cpu exit\tvcpu=0\n", "/b:3: not a trace event" },
		{ HDR T1 "1500 cpu\n", "/b:3: not a trace event" },
		{ HDR "x1500 cpu exit\n", "/b:2: not a trace event" },
		{ "# kvmsim-trace 2\n" T1, "/b: format version 2; this kvmsim reads version 1" },
		{ "", "/b is empty, not a kvmsim text trace" },
	};
	char a[128], *why;

	snprintf(a, sizeof(a), "%s", put("a", HDR T1 T2)); /* put() reuses its names */
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(refused(a, put("b", bad[i].text), &why), -1, "%s", bad[i].text);
		cr_expect(strstr(why, bad[i].why), "'%s' lacks '%s'", why, bad[i].why);
		free(why);
		/* and as the first trace */
		cr_expect_eq(refused(put("b", bad[i].text), a, &why), -1, "%s", bad[i].text);
		cr_expect(strstr(why, bad[i].why), "'%s' lacks '%s'", why, bad[i].why);
		free(why);
	}
	cr_expect_eq(refused(a, dir, &why), -1);
	cr_expect(strstr(why, ": Is a directory"), "%s", why);
	free(why);
	/* a grep of the trace, a trace of nothing, comments, a blank line,
	 * a field with a space in quotes */
	char *msg;

	cr_expect_eq(diff(put("g", T1 T2), a, &msg), 0);
	cr_expect(strstr(msg, "traces equal: 2 events"), "%s", msg);
	free(msg);
	cr_expect_eq(diff(put("h", HDR), put("i", HDR "# nothing happened\n\n"), &msg), 0);
	cr_expect(strstr(msg, "traces equal: 0 events"), "%s", msg);
	free(msg);
	cr_expect_eq(diff(put("q", HDR "2500 vm0.timer tick\n1 a b who=\"vcpu 1\"\n"),
			  put("r", HDR "2500 vm0.timer tick\n1 a b who=\"vcpu 1\"\n"), &msg),
		     0);
	free(msg);
}

/*
 * A golden trace mutated at random 500 times (mutant()), diffed against
 * the original either way round: equal (0), different (1, a first
 * divergence reported) or refused (-1) with one message naming the
 * mutant and, past its start, the line — never a crash (under ASan and
 * UBSan in CI).
 */
Test(tracediff, mutated_traces_are_diffed_or_refused)
{
	uint64_t seed = 0x7472616365;
	unsigned res[3] = { 0 };
	size_t n;
	char *orig = test_slurp(KVMSIM_TEST_SRCDIR "/golden/scenarios/gicv3-timer-busy.trace", &n);
	char a[128], b[128];

	snprintf(a, sizeof(a), "%s", put("orig", orig));
	for (int m = 0; m < 500; m++) {
		char *t = mutant(orig, n, &seed);

		snprintf(b, sizeof(b), "%s", put("mutant", t));
		for (int way = 0; way < 2; way++) {
			char *msg = NULL, *why = NULL;
			size_t mlen = 0, wlen = 0;
			FILE *out = open_memstream(&msg, &mlen), *err = open_memstream(&why, &wlen);
			int r = way ? wl_trace_diff(b, a, out, err) : wl_trace_diff(a, b, out, err);

			fclose(out);
			fclose(err);
			cr_assert(r >= -1 && r <= 1, "result %d", r);
			res[r + 1]++;
			if (r == 1)
				cr_expect(strstr(msg, "traces differ: first at "), "%s\n%s", msg, t);
			if (r == -1)
				cr_expect(!strncmp(why, "kvmsim trace diff: ", 19) &&
						  !strncmp(why + 19, b, strlen(b)) &&
						  strchr(why, '\n') == why + strlen(why) - 1,
					  "refused without one message naming %s: '%s'\n%s", b, why, t);
			else
				cr_expect_str_eq(why, "", "%s", t);
			free(msg);
			free(why);
		}
		free(t);
	}
	free(orig);
	cr_log_info("%u equal, %u different, %u refused", res[1], res[2], res[0]);
	cr_expect(res[1] && res[2] && res[0], "each outcome: the mutations reach each path");
}
