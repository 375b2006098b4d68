// SPDX-License-Identifier: MIT
/*
 * test_sweep.c — `kvmsim sweep`: the grid of every combination of the
 * parameters' values (first parameter slowest, names "KEY=V,KEY=V"), the
 * rejection of malformed parameters, the --list commands (one per point,
 * shell-quoted, each an ordinary `kvmsim run`), and the sweep plot script.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "workloads/workload.h"

Test(sweep, one_parameter_gives_one_point_per_value)
{
	const char *p[] = { "sources.0.rate_hz=1e5,2e5,4e5" };
	struct wl_point *pts;
	unsigned n;

	cr_assert_eq(wl_sweep_grid(p, 1, &pts, &n, stderr), 0);
	cr_assert_eq(n, 3);
	cr_expect_str_eq(pts[0].name, "sources.0.rate_hz=1e5");
	cr_expect_str_eq(pts[2].set[0], "sources.0.rate_hz=4e5");
	cr_expect_eq(pts[1].nset, 1);
	free(pts);
}

Test(sweep, the_grid_is_the_product_first_parameter_slowest)
{
	const char *p[] = { "a=1,2", "b=x,y,z", "c=7" };
	static const char *const want[] = { "a=1,b=x,c=7", "a=1,b=y,c=7", "a=1,b=z,c=7",
					    "a=2,b=x,c=7", "a=2,b=y,c=7", "a=2,b=z,c=7" };
	struct wl_point *pts;
	unsigned n;

	cr_assert_eq(wl_sweep_grid(p, 3, &pts, &n, stderr), 0);
	cr_assert_eq(n, 6);
	for (unsigned i = 0; i < n; i++) {
		cr_expect_str_eq(pts[i].name, want[i]);
		cr_expect_eq(pts[i].nset, 3);
	}
	cr_expect_str_eq(pts[4].set[1], "b=y");
	free(pts);
}

/* The @np parameters @p make no grid, with a message containing @want. */
static void grid_refused(const char *const *p, unsigned np, const char *want)
{
	struct wl_point *pts;
	unsigned n;
	char *msg = NULL;
	size_t len;
	FILE *err = open_memstream(&msg, &len);

	cr_expect_eq(wl_sweep_grid(p, np, &pts, &n, err), -1, "'%s'", p[np - 1]);
	fclose(err);
	cr_expect(strstr(msg, want), "'%s': %s", p[np - 1], msg);
	free(msg);
}

Test(sweep, malformed_parameters_are_refused_with_their_text)
{
	const char *bad[] = { "rate", "=1,2", "a=", "a=,,", "" };
	struct wl_point *pts;
	unsigned n;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		grid_refused(&bad[i], 1, "expected KEY=V1,V2");
	cr_expect_eq(wl_sweep_grid(bad, 0, &pts, &n, stderr), -1, "no parameter");
}

/* Each refused with what is wrong: an empty value used to be dropped (and
 * the table and plot then had no row), a value given twice or a key swept
 * twice made two runs share a directory, a quote ended a gnuplot title. */
Test(sweep, values_that_cannot_be_a_point_are_refused)
{
	static const struct {
		const char *p[2];
		const char *want;
	} bad[] = {
		{ { "a=1,,2" }, "'a=1,,2': value 2 is empty" },
		{ { "a=1,2," }, "'a=1,2,': value 3 is empty" },
		{ { "a=,1" }, "'a=,1': value 1 is empty" },
		{ { "a=1,2,1" }, "'a=1,2,1': value '1' comes twice" },
		{ { "a=x\"y" }, "value 1 holds a quote, backslash or control character" },
		{ { "a=1,x\\y" }, "value 2 holds a quote, backslash or control character" },
		{ { "a=1,x\ty" }, "value 2 holds a quote" },
		{ { "a=1,2", "a=3" }, "'a=3': a is swept by an earlier --param already" },
		/* KEY=VALUE of 128 characters */
		{ { "a=1,2", "b=0123456789012345678901234567890123456789012345678901234567890"
			     "123456789012345678901234567890123456789012345678901234567890"
			     "12345" },
		  "is longer than 127 characters" },
	};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		grid_refused(bad[i].p, bad[i].p[1] ? 2 : 1, bad[i].want);
}

/* A value's '/' (a replay file elsewhere) stays in its --set but not in
 * its run directory's name, which must stay one directory under the
 * sweep's: a second parameter's "../x" would otherwise climb out. */
Test(sweep, a_value_with_a_slash_names_one_directory)
{
	const char *p[] = { "sources.0.file=traces/a.csv,b%.csv", "c=../x" };
	struct wl_point *pts;
	unsigned n;

	cr_assert_eq(wl_sweep_grid(p, 2, &pts, &n, stderr), 0);
	cr_assert_eq(n, 2);
	cr_expect_str_eq(pts[0].set[0], "sources.0.file=traces/a.csv");
	cr_expect_str_eq(pts[0].set[1], "c=../x");
	cr_expect_str_eq(pts[0].name, "sources.0.file=traces%2Fa.csv,c=..%2Fx");
	cr_expect_str_eq(pts[1].name, "sources.0.file=b%25.csv,c=..%2Fx");
	free(pts);
}

Test(sweep, more_than_4096_points_are_refused)
{
	const char *p[] = { "a=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16",
			    "b=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16",
			    "c=1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17" };
	struct wl_point *pts;
	unsigned n;

	cr_expect_eq(wl_sweep_grid(p, 3, &pts, &n, stderr), -1);
}

Test(sweep, list_prints_one_quoted_run_command_per_point)
{
	const char *p[] = { "sources.0.rate_hz=1e5,2e5", "guest.idle=wfi,poll" };
	char *out = NULL;
	size_t len;
	FILE *f = open_memstream(&out, &len);

	cr_assert_eq(wl_sweep("/opt/kv sim/kvmsim", "it's.yaml", p, 2, "res/sw", 0, WL_SWEEP_LIST, f,
			      stderr),
		     0);
	fclose(f);
	cr_expect_str_eq(
		out,
		"'/opt/kv sim/kvmsim' run 'it'\\''s.yaml' -q -o "
		"'res/sw/sources.0.rate_hz=1e5,guest.idle=wfi' --set 'sources.0.rate_hz=1e5' "
		"--set 'guest.idle=wfi'\n"
		"'/opt/kv sim/kvmsim' run 'it'\\''s.yaml' -q -o "
		"'res/sw/sources.0.rate_hz=1e5,guest.idle=poll' --set 'sources.0.rate_hz=1e5' "
		"--set 'guest.idle=poll'\n"
		"'/opt/kv sim/kvmsim' run 'it'\\''s.yaml' -q -o "
		"'res/sw/sources.0.rate_hz=2e5,guest.idle=wfi' --set 'sources.0.rate_hz=2e5' "
		"--set 'guest.idle=wfi'\n"
		"'/opt/kv sim/kvmsim' run 'it'\\''s.yaml' -q -o "
		"'res/sw/sources.0.rate_hz=2e5,guest.idle=poll' --set 'sources.0.rate_hz=2e5' "
		"--set 'guest.idle=poll'\n");
	free(out);
}

Test(sweep, the_plot_script_draws_throughput_and_p99_per_series)
{
	char dir[] = "/tmp/kvmsim-sweep-XXXXXX", path[128], cmd[128];
	const char *titles[] = { "guest.idle=wfi", "guest.idle=poll" };
	size_t n;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/sweep.dat", dir);
	FILE *f = fopen(path, "w");

	fprintf(f, "# series 0\n1e5 1e5 900 1200 0 \"1e5\"\n2e5 2e5 900 1500 0 \"2e5\"\n\n\n"
		   "# series 1\n1e5 1e5 800 1100 0 \"1e5\"\n2e5 1.9e5 800 9000 10 \"2e5\"\n");
	fclose(f);
	wl_plot_sweep(dir, "sources.0.rate_hz", true, titles, 2, stderr);
	snprintf(path, sizeof(path), "%s/sweep.gp", dir);
	char *gp = test_slurp(path, &n);

	cr_expect(strstr(gp, "set xlabel \"sources.0.rate_hz (per second)\""), "%s", gp);
	cr_expect(strstr(gp, "(interrupts/s)") && strstr(gp, "p99 latency (ns)"));
	cr_expect(strstr(gp, "index 0 using 1:2") && strstr(gp, "index 1 using 1:4 axes x1y2"));
	cr_expect(strstr(gp, "title \"p99 guest.idle=poll\""));
	free(gp);
	snprintf(cmd, sizeof(cmd), "command -v gnuplot >/dev/null && ! test -s %s/sweep.png",
		 dir);
	cr_expect_neq(system(cmd), 0, "gnuplot is there but sweep.png was not rendered");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

/* A summary.json of a run with a source of each {p50, p99, coalesced}. */
static const char *summary(double throughput, unsigned nsrc, const unsigned (*v)[3])
{
	static char buf[2048];
	size_t off = (size_t)snprintf(buf, sizeof(buf),
				      "{\"workload\": \"w\", \"throughput\": %.1f, \"sources\": [",
				      throughput);
	char name[16];

	for (unsigned i = 0; i < nsrc; i++) {
		snprintf(name, sizeof(name), "s%u", i);
		off += (size_t)snprintf(buf + off, sizeof(buf) - off, "%s", i ? ", " : "");
		test_summary_source(buf, sizeof(buf), &off, name, v[i][0], v[i][1], v[i][2]);
	}
	snprintf(buf + off, sizeof(buf) - off, "]}\n");
	return buf;
}

static void put(const char *dir, const char *point, const char *json)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, point);
	cr_assert_eq(wl_mkdirs(path), 0);
	snprintf(path, sizeof(path), "%s/%s/summary.json", dir, point);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(json, f);
	fclose(f);
}

/*
 * --collect: the table from points run elsewhere; a point's p50/p99 are its
 * worst source's, its coalesced count their sum; a point none of whose
 * sources measured an interrupt has n/a in the table and NaN in the data
 * (gnuplot leaves it out), not 0 ns; a missing point fails.
 */
Test(sweep, collect_tables_the_points_summaries)
{
	char dir[] = "/tmp/kvmsim-sweep-XXXXXX", path[128], cmd[128];
	const char *p[] = { "sources.0.rate_hz=1e5,2e5,4e5" };
	size_t n;

	cr_assert_not_null(mkdtemp(dir));
	put(dir, "sources.0.rate_hz=1e5",
	    summary(100000, 2, (const unsigned[][3]){ { 900, 1200, 0 }, { 950, 1100, 2 } }));
	cr_expect_eq(wl_sweep("kvmsim", "w.yaml", p, 1, dir, 0, WL_SWEEP_COLLECT, stdout, stderr),
		     -1, "a point has not run");
	put(dir, "sources.0.rate_hz=2e5",
	    summary(150000, 1, (const unsigned[][3]){ { 1500, 9000, 40 } }));
	put(dir, "sources.0.rate_hz=4e5",
	    "{\"workload\": \"w\", \"throughput\": 0.0, \"sources\": [{\"name\": \"s0\", "
	    "\"asserted\": 0, \"delivered\": 0, \"coalesced\": 0, \"throughput\": 0.0, "
	    "\"latency_ns\": {\"count\": 0}, \"stages_mean_ns\": {}, "
	    "\"completion_ns\": {\"count\": 0}, \"exits_per_interrupt\": 0.0}]}\n");
	cr_assert_eq(wl_sweep("kvmsim", "w.yaml", p, 1, dir, 0, WL_SWEEP_COLLECT, stdout, stderr),
		     0);
	snprintf(path, sizeof(path), "%s/sweep.md", dir);
	char *md = test_slurp(path, &n);

	cr_expect(strstr(md, "| sources.0.rate_hz=1e5 | 100000 | 950 | 1200 | 2 |\n"), "%s", md);
	cr_expect(strstr(md, "| sources.0.rate_hz=2e5 | 150000 | 1500 | 9000 | 40 |\n"), "%s", md);
	cr_expect(strstr(md, "| sources.0.rate_hz=4e5 | 0 | n/a | n/a | 0 |\n"), "%s", md);
	free(md);
	snprintf(path, sizeof(path), "%s/sweep.dat", dir);
	char *dat = test_slurp(path, &n);

	cr_expect(strstr(dat, "1e5 100000.000 950 1200 2 \"1e5\"\n2e5 150000.000 1500 9000 40 "
			      "\"2e5\"\n4e5 0.000 NaN NaN 0 \"4e5\"\n"),
		  "%s", dat);
	free(dat);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

/*
 * A real sweep: the built kvmsim runs each point in its own process, two
 * at a time; every point is an ordinary run directory whose summary shows
 * its own parameter, and the table has a row per point.
 */
Test(sweep, runs_every_point_as_a_kvmsim_run)
{
	char dir[] = "/tmp/kvmsim-sweep-XXXXXX", path[256], cmd[128];
	const char *p[] = { "run.duration_ms=0.2,0.4", "run.warmup_ms=0.05" };
	static const char *const pts[] = { "run.duration_ms=0.2,run.warmup_ms=0.05",
					   "run.duration_ms=0.4,run.warmup_ms=0.05" };
	size_t n;

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(wl_sweep(KVMSIM_TEST_BUILDDIR "/kvmsim",
			      KVMSIM_TEST_SRCDIR "/../workloads/scenarios/gicv3-spi-idle.yaml", p, 2,
			      dir, 2, WL_SWEEP_RUN, stdout, stderr),
		     0);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s/summary.json", dir, pts[i]);
		char *sum = test_slurp(path, &n);

		cr_expect(strstr(sum, i ? "\"simulated_ms\": 0.4" : "\"simulated_ms\": 0.2"), "%s",
			  sum);
		free(sum);
	}
	snprintf(path, sizeof(path), "%s/sweep.md", dir);
	char *md = test_slurp(path, &n);

	cr_expect(strstr(md, "| run.duration_ms=0.2,run.warmup_ms=0.05 | 100000 |") &&
		  strstr(md, "| run.duration_ms=0.4,run.warmup_ms=0.05 | 100000 |"),
		  "a periodic 10 us source: 100 000 interrupts/s at both points\n%s", md);
	free(md);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

/*
 * A point whose run fails (its directory cannot be made: a file stands
 * there) is named, with its exit status, after its own message (captured
 * while it ran, so that points run side by side do not interleave theirs,
 * and named after it), and the sweep fails without a table; the other
 * point's run directory stands.
 */
Test(sweep, a_failed_point_is_named)
{
	char dir[] = "/tmp/kvmsim-sweep-XXXXXX", path[256], cmd[128], *msg = NULL;
	const char *p[] = { "run.duration_ms=0.2,0.4", "run.warmup_ms=0.05" };
	size_t len = 0;
	FILE *err;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/run.duration_ms=0.4,run.warmup_ms=0.05", dir);
	test_spit(path, "");
	err = open_memstream(&msg, &len);
	cr_expect_eq(wl_sweep(KVMSIM_TEST_BUILDDIR "/kvmsim",
			      KVMSIM_TEST_SRCDIR "/../workloads/scenarios/gicv3-spi-idle.yaml", p, 2,
			      dir, 2, WL_SWEEP_RUN, stdout, err),
		     -1);
	fclose(err);
	/* its own message, named after it, then the sweep's */
	cr_expect(strstr(msg, "kvmsim sweep: point run.duration_ms=0.4,run.warmup_ms=0.05: cannot "
			      "create "),
		  "%s", msg);
	cr_expect(strstr(msg, "Not a directory\nkvmsim sweep: point run.duration_ms=0.4,"
			      "run.warmup_ms=0.05 failed (exit status 1)"),
		  "%s", msg);
	cr_expect(strstr(msg, "1 of 2 points failed"), "%s", msg);
	cr_expect(!strstr(msg, "point run.duration_ms=0.2"), "%s", msg);
	free(msg);
	snprintf(path, sizeof(path), "%s/run.duration_ms=0.2,run.warmup_ms=0.05/summary.json", dir);
	cr_expect_eq(access(path, R_OK), 0, "the other point ran");
	snprintf(path, sizeof(path), "%s/sweep.md", dir);
	cr_expect_neq(access(path, F_OK), 0, "no table of a failed sweep");
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

/*
 * A first parameter of words (guest.idle=busy,wfi) has no numeric axis:
 * its points stand in turn (gnuplot's column 0), labelled with their
 * values, and the table has a row for each.
 */
Test(sweep, a_parameter_of_words_is_plotted_in_turn)
{
	char dir[] = "/tmp/kvmsim-sweep-XXXXXX", path[128], cmd[128];
	const char *p[] = { "guest.idle=busy,wfi" };
	size_t n;

	cr_assert_not_null(mkdtemp(dir));
	put(dir, "guest.idle=busy", summary(100000, 1, (const unsigned[][3]){ { 1700, 1800, 0 } }));
	put(dir, "guest.idle=wfi", summary(100000, 1, (const unsigned[][3]){ { 1240, 1240, 0 } }));
	cr_assert_eq(wl_sweep("kvmsim", "w.yaml", p, 1, dir, 0, WL_SWEEP_COLLECT, stdout, stderr),
		     0);
	snprintf(path, sizeof(path), "%s/sweep.dat", dir);
	char *dat = test_slurp(path, &n);

	cr_expect(strstr(dat, "\n0 100000.000 1700 1800 0 \"busy\"\n0 100000.000 1240 1240 0 "
			      "\"wfi\"\n"),
		  "%s", dat);
	free(dat);
	snprintf(path, sizeof(path), "%s/sweep.md", dir);
	char *md = test_slurp(path, &n);

	cr_expect(strstr(md, "| guest.idle=busy | 100000 | 1700 | 1800 | 0 |\n"
			     "| guest.idle=wfi | 100000 | 1240 | 1240 | 0 |\n"),
		  "%s", md);
	free(md);
	snprintf(path, sizeof(path), "%s/sweep.gp", dir);
	char *gp = test_slurp(path, &n);

	cr_expect(strstr(gp, "set xtics rotate by -30") && strstr(gp, "using 0:2:xtic(6)") &&
			  strstr(gp, "using 0:4") && !strstr(gp, "using 1:2"),
		  "%s", gp);
	free(gp);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}
