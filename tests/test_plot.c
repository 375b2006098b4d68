// SPDX-License-Identifier: MIT
/*
 * test_plot.c — the plots of a run and `kvmsim compare`: data and gnuplot
 * scripts for each chart (rendered to PNG and SVG where gnuplot exists),
 * and compare's table against values computed by hand from the profiles
 * for two small runs (an idle guest's SPI on each host).
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "models/gic/gic_host.h"
#include "test_util.h"
#include "workloads/workload.h"

#define SCEN KVMSIM_TEST_SRCDIR "/../workloads/scenarios/"

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/kvmsim-plot-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(plot, .init = setup, .fini = teardown);

static bool nonempty(const char *d, const char *name)
{
	char path[256];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", d, name);
	return !stat(path, &st) && st.st_size > 0;
}

static bool have_gnuplot(void)
{
	char cmd[256];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", KVMSIM_GNUPLOT);
	return system(cmd) == 0;
}

/* Run @scenario with @sets into DIR/@sub (its path in @out). */
/* @scenario with the @nsets overrides @sets, on a quiet host (no noise:
 * the profile's bare stage sums, which the tables here are checked with). */
static void run_with(const char *scenario, const char *sub, char *out, const char *const *sets,
		     unsigned nsets)
{
	struct workload w;
	char path[256];
	struct wl_run_opts o = { .outdir = out, .quiet = true, .plots = true };
	const char *all[16];

	cr_assert_lt(nsets, 16);
	memcpy(all, sets, nsets * sizeof(*sets));
	all[nsets] = "platform.noise=off";
	snprintf(path, sizeof(path), SCEN "%s.yaml", scenario);
	snprintf(out, 128, "%s/%s", dir, sub);
	cr_assert_eq(wl_load(&w, path, all, nsets + 1, stderr), 0);
	cr_assert_eq(wl_run(&w, &o, stderr), 0);
	wl_free(&w);
}

/* A short run (0.5 ms, 0.1 ms of warm-up). */
static void run(const char *scenario, const char *sub, char *out)
{
	static const char *const sets[] = { "run.duration_ms=0.5", "run.warmup_ms=0.1" };

	run_with(scenario, sub, out, sets, 2);
}

Test(plot, a_run_writes_each_chart)
{
	char out[128];
	static const char *const files[] = { "latency_cdf.dat", "latency_cdf.gp", "stages.dat",
					     "stages.gp", "latency_time.dat", "latency_time.gp" };

	run("gicv3-forwarded-vs-emulated", "a", out);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		cr_expect(nonempty(out, files[i]), "%s", files[i]);
	if (have_gnuplot()) {
		cr_expect(nonempty(out, "latency_cdf.png") && nonempty(out, "latency_cdf.svg"));
		cr_expect(nonempty(out, "stages.png") && nonempty(out, "stages.svg"));
		cr_expect(nonempty(out, "latency_time.png") && nonempty(out, "latency_time.svg"));
	}
	/* both sources in the CDF data, percentiles marked in the script */
	char path[256];
	size_t n;
	snprintf(path, sizeof(path), "%s/latency_cdf.dat", out);
	char *dat = test_slurp(path, &n);
	cr_expect(strstr(dat, "# forwarded") && strstr(dat, "# emulated"));
	free(dat);
	snprintf(path, sizeof(path), "%s/latency_cdf.gp", out);
	char *gp = test_slurp(path, &n);
	cr_expect(strstr(gp, "set logscale x") && strstr(gp, "p99.9") &&
		  strstr(gp, "latency_cdf.") && strstr(gp, "(ns)"));
	free(gp);
	snprintf(path, sizeof(path), "%s/latency_time.gp", out);
	gp = test_slurp(path, &n);
	cr_expect(strstr(gp, "index 0") && strstr(gp, "index 1") && strstr(gp, "(ms)") &&
		  strstr(gp, "title \"forwarded\""));
	free(gp);
}

/*
 * A run that measures no interrupt (its source's one assertion falls in
 * the warm-up, the next after the end) still draws each chart, saying so,
 * and warns of nothing, as does compare of it: gnuplot refuses a plot of
 * empty data, which used to print "gnuplot failed" and leave empty PNGs.
 */
Test(plot, a_run_that_measures_nothing_still_draws_its_charts)
{
	static const char *const sets[] = { "sources.0.period_us=1000", "run.duration_ms=0.5",
					    "run.warmup_ms=0.1" };
	char out[128], path[256], *msg = NULL, *gp;
	size_t len = 0, n;
	FILE *err = open_memstream(&msg, &len);
	struct workload w;
	struct wl_run_opts o = { .outdir = out, .quiet = true, .plots = true };

	snprintf(out, sizeof(out), "%s/none", dir);
	cr_assert_eq(wl_load(&w, SCEN "gicv3-spi-idle.yaml", sets, 3, stderr), 0);
	cr_assert_eq(wl_run(&w, &o, err), 0);
	wl_free(&w);
	fclose(err);
	snprintf(path, sizeof(path), "%s/summary.json", out);
	gp = test_slurp(path, &n);
	cr_assert(strstr(gp, "\"count\": 0"), "the run measured something: %s", gp);
	free(gp);
	if (have_gnuplot()) {
		cr_expect_str_empty(msg, "warnings: %s", msg);
		cr_expect(nonempty(out, "latency_cdf.png") && nonempty(out, "latency_cdf.svg"));
		cr_expect(nonempty(out, "latency_time.png") && nonempty(out, "latency_time.svg"));
		cr_expect(nonempty(out, "stages.png"));
	}
	free(msg);
	for (unsigned i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s.gp", out, i ? "latency_time" : "latency_cdf");
		gp = test_slurp(path, &n);
		cr_expect(strstr(gp, "no interrupt was measured"), "%s", path);
		free(gp);
	}
	/* and so does compare, of it alone */
	const char *dirs[] = { out };
	char cmp[128];

	snprintf(cmp, sizeof(cmp), "%s/cmp", dir);
	msg = NULL;
	len = 0;
	err = open_memstream(&msg, &len);
	cr_assert_eq(wl_compare(dirs, 1, cmp, stdout, err), 0);
	fclose(err);
	if (have_gnuplot()) {
		cr_expect_str_empty(msg, "compare warnings: %s", msg);
		cr_expect(nonempty(cmp, "compare_cdf.png") && nonempty(cmp, "compare_cdf.svg"));
	}
	free(msg);
	snprintf(path, sizeof(path), "%s/compare_cdf.gp", cmp);
	gp = test_slurp(path, &n);
	cr_expect(strstr(gp, "no interrupt was measured"), "%s", path);
	free(gp);

	/* in compare's table its latencies and ratios are n/a, not 0 ns (an
	 * instant interrupt) and 0.00x; so are the ratios of a row after it */
	char busy[128], *md;
	const char *two[] = { out, busy };

	run("gicv3-spi-busy", "busy", busy);
	for (int way = 0; way < 2; way++) {
		two[way] = out;
		two[!way] = busy;
		cr_assert_eq(wl_compare(two, 2, cmp, stdout, stderr), 0);
		snprintf(path, sizeof(path), "%s/compare.md", cmp);
		md = test_slurp(path, &n);
		cr_expect(strstr(md, "| gicv3-spi-idle | nic | n/a | n/a | n/a | n/a | n/a | 0.00 | "
				     "0 | n/a | n/a |"),
			  "%s", md);
		if (way) /* the busy run first: itself, 1.00x */
			cr_expect(strstr(md, "| 1099 | 1099 | 1099 | 1099 | 1014 | 1.00 | 100000 | 1.00x "
					     "| 1.00x |"),
				  "%s", md);
		else /* nothing to compare it with */
			cr_expect(strstr(md, "| 1099 | 1099 | 1099 | 1099 | 1014 | 1.00 | 100000 | n/a | "
					     "n/a |"),
				  "%s", md);
		free(md);
	}
}

/*
 * Latency against time for a burst source: one point per delivered
 * interrupt, at its assertion time, as many points as summary.json counts.
 */
Test(plot, latency_over_time_has_every_burst_interrupt)
{
	char out[128], path[256];
	size_t n;

	run("gicv3-bursts", "b", out);
	snprintf(path, sizeof(path), "%s/latency_time.dat", out);
	char *dat = test_slurp(path, &n);
	snprintf(path, sizeof(path), "%s/summary.json", out);
	char *sum = test_slurp(path, &n);
	const char *d = strstr(sum, "\"delivered\": ");
	unsigned long delivered = strtoul(d + 13, NULL, 10), lines = 0;
	unsigned long long prev = 0, t, lat;

	cr_assert(delivered > 0);
	cr_expect(!strncmp(dat, "# source burst:", 15), "%.40s", dat);
	for (char *l = strchr(dat, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
		cr_assert_eq(sscanf(l + 1, "%llu %llu", &t, &lat), 2);
		cr_expect(t >= prev && lat > 0, "times in order, latencies positive");
		prev = t;
		lines++;
	}
	cr_expect_eq(lines, delivered);
	free(dat);
	free(sum);
}

/* One stage of @cycles of @p's CPU clock, as the model charges it. */
static uint64_t C(const struct gic_host_profile *p, uint64_t cycles)
{
	struct sim_clock c;

	sim_clock_init_hz(&c, p->cpu_hz);
	return sim_clock_time(&c, cycles);
}

/* An idle guest's SPI: injection, wake-up, flush and entry, guest. */
static uint64_t idle_ns(const struct gic_host_profile *p)
{
	return (C(p, p->syscall + p->cpu.inject) + C(p, 3ull * p->line_xfer) + C(p, p->cpu.wakeup) +
		C(p, p->flush_base + p->flush_per_lr + 7ull * p->hyp_write + 3ull * p->line_xfer +
			 p->cpu.entry) +
		C(p, p->cpu.guest_exc_entry) + C(p, p->guest_read)) /
	       1000;
}

Test(plot, compare_tables_two_runs_with_their_ratio)
{
	char a[128], b[128], cmp[128], path[256], want[256];
	const char *dirs[2] = { a, b };
	size_t n;
	uint64_t v3 = idle_ns(&gic_profile_altra), v2 = idle_ns(&gic_profile_xgene);

	run("gicv3-spi-idle", "v3", a);
	run("gicv2-spi-idle", "v2", b);
	snprintf(cmp, sizeof(cmp), "%s/cmp", dir);
	cr_assert_eq(wl_compare(dirs, 2, cmp, stdout, stderr), 0);
	snprintf(path, sizeof(path), "%s/compare.md", cmp);
	char *md = test_slurp(path, &n);
	/*
	 * every latency the same on an idle system: p50 = p99 = p99.9 = max;
	 * completion: the handler's constant 1 us and its EOI write (the
	 * profiles' guest_write: 42 cycles at 3 GHz, 14 ns; 26 cycles at
	 * 2.4 GHz, 10.8 ns), an edge EOI costs no exit
	 */
	snprintf(want, sizeof(want),
		 "| gicv3-spi-idle | nic | %llu | %llu | %llu | %llu | 1014 | 0.00 | 100000 | 1.00x | "
		 "1.00x |",
		 (unsigned long long)v3, (unsigned long long)v3, (unsigned long long)v3,
		 (unsigned long long)v3);
	cr_expect(strstr(md, want), "missing row\n%s\nin\n%s", want, md);
	snprintf(want, sizeof(want),
		 "| gicv2-spi-idle | nic | %llu | %llu | %llu | %llu | 1010 | 0.00 | 100000 | %.2fx | "
		 "%.2fx |",
		 (unsigned long long)v2, (unsigned long long)v2, (unsigned long long)v2,
		 (unsigned long long)v2, (double)v2 / (double)v3, (double)v2 / (double)v3);
	cr_expect(strstr(md, want), "missing row\n%s\nin\n%s", want, md);
	free(md);
	cr_expect(nonempty(cmp, "compare_cdf.gp") && nonempty(cmp, "compare_stages.gp"));
	if (have_gnuplot())
		cr_expect(nonempty(cmp, "compare_cdf.png") && nonempty(cmp, "compare_stages.svg"));
}

/*
 * A run directory of an older kvmsim, whose summary.json has five stages
 * (queue, signal_exit, host, entry, guest), compares with a new one: its
 * signal + exit stand as signal and its guest as ack, so its bar keeps
 * the latency's height; nothing reads as zero that was not.
 */
Test(plot, compare_draws_a_run_of_five_stages)
{
	char a[128], b[128], cmp[128], path[256], *dat, *row;
	const char *dirs[2] = { a, b };
	double v[WL_NR_STAGES];
	size_t n;

	run("gicv3-spi-busy", "new", a);
	snprintf(b, sizeof(b), "%s/old", dir);
	cr_assert_eq(wl_mkdirs(b), 0);
	snprintf(path, sizeof(path), "%s/summary.json", b);
	/* the fields of the first version's summary.json (fb163b3), which
	 * had no overall throughput */
	test_spit(path, "{\"workload\": \"old\", \"sources\": [{\"name\": \"nic\", "
			"\"type\": \"periodic\", \"intid\": 40, \"asserted\": 900, "
			"\"delivered\": 900, \"coalesced\": 0, \"outstanding\": 0, "
			"\"throughput\": 100000.0, \"latency_ns\": {\"count\": 900, \"min\": 599, "
			"\"mean\": 599.0, \"p50\": 599, \"p90\": 599, \"p99\": 599, \"p99.9\": 599, "
			"\"max\": 599}, "
			"\"stages_mean_ns\": {\"queue\": 66.5, \"signal_exit\": 146.5, "
			"\"host\": 213.0, \"entry\": 139.5, \"guest\": 34.0}, "
			"\"completion_ns\": {\"count\": 900, \"min\": 1000, \"mean\": 1000.0, "
			"\"p50\": 1000, \"p90\": 1000, \"p99\": 1000, \"p99.9\": 1000, \"max\": 1000}, "
			"\"exits_per_interrupt\": 1.0}]}\n");
	snprintf(cmp, sizeof(cmp), "%s/cmp5", dir);
	cr_assert_eq(wl_compare(dirs, 2, cmp, stdout, stderr), 0);
	snprintf(path, sizeof(path), "%s/compare_stages.dat", cmp);
	dat = test_slurp(path, &n);
	row = strstr(dat, "\n\"old\" ");
	cr_assert_not_null(row, "no row of the old run in\n%s", dat);
	cr_assert_eq(sscanf(row, "\n\"old\" %lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3],
			    &v[4], &v[5], &v[6]),
		     WL_NR_STAGES);
	cr_expect(v[WL_ST_QUEUE] == 66.5 && v[WL_ST_SIGNAL] == 146.5 && v[WL_ST_EXIT] == 0 &&
			  v[WL_ST_HOST] == 213.0 && v[WL_ST_ENTRY] == 139.5 && v[WL_ST_ACK] == 34.0 &&
			  v[WL_ST_HANDLER] == 0,
		  "old run's stages: %s", row);
	free(dat);
}

/*
 * A run of interrupts only keeps the seven interrupt stages as its
 * columns; one with accesses (mmio, hvc sources) has their stages too, in
 * one stacking order: queue signal exit host kernel vmm return entry ack
 * handler, each row 0 where its source has no such stage.
 */
Test(plot, access_stages_are_drawn_beside_an_interrupts)
{
	char a[128], b[128], cmp[128], path[256], *dat;
	const char *dirs[2] = { a, b };
	size_t n;

	run("gicv3-spi-busy", "irq", a);
	snprintf(path, sizeof(path), "%s/stages.dat", a);
	dat = test_slurp(path, &n);
	cr_expect(strstr(dat, "# source queue_ns signal_ns exit_ns host_ns entry_ns ack_ns "
			      "handler_ns\n") == dat, "%s", dat);
	free(dat);
	run("gicv3-mmio", "acc", b);
	snprintf(path, sizeof(path), "%s/stages.dat", b);
	dat = test_slurp(path, &n);
	cr_expect(strstr(dat, "# source queue_ns signal_ns exit_ns host_ns kernel_ns vmm_ns "
			      "return_ns entry_ns ack_ns handler_ns\n") == dat, "%s", dat);
	cr_expect(strstr(dat, "\n\"hvc\" 0.000 0.000 86.666 0.000 105.333 0.000 0.000 179.000 "
			      "0.000 0.000\n"), "the hvc source's row: %s", dat);
	free(dat);
	snprintf(cmp, sizeof(cmp), "%s/cmpacc", dir);
	cr_assert_eq(wl_compare(dirs, 2, cmp, stdout, stderr), 0);
	snprintf(path, sizeof(path), "%s/compare_stages.dat", cmp);
	dat = test_slurp(path, &n);
	cr_expect(strstr(dat, "# run queue_ns signal_ns exit_ns host_ns kernel_ns vmm_ns return_ns "
			      "entry_ns ack_ns handler_ns\n") == dat, "%s", dat);
	free(dat);
}

/*
 * A run of more interrupts than latency_time.dat keeps (its first 100000)
 * is still shown whole over time: latency_bins.dat has every interrupt of
 * the measured window. An idle guest's SPI every 5 us for 520 ms, 1 ms of
 * it warm-up: 103800 measured, all of the same latency. The 519 ms split
 * into at most 200 bins of 1, 2 or 5 x 10^k ns: 5 ms, 104 of them from
 * 1 ms on, each 1000 SPIs but the last (516-520 ms: 800), each with p50 =
 * p99 = max = the idle latency; the plot draws the bins.
 */
Test(plot, latency_over_time_covers_a_long_run_in_bins)
{
	static const char *const sets[] = { "sources.0.period_us=5", "run.duration_ms=520" };
	const unsigned long long lat = idle_ns(&gic_profile_altra);
	unsigned long long start, width, count, p50, p99, max, total = 0, rows = 0;
	unsigned long long t = 0, l, points = 0;
	char out[128], path[256], *line, *save;
	size_t n;

	run_with("gicv3-spi-idle", "long", out, sets, 2);
	snprintf(path, sizeof(path), "%s/latency_bins.dat", out);
	char *dat = test_slurp(path, &n);

	cr_expect(!strncmp(dat, "# source nic: bin start", 23), "%.40s", dat);
	for (line = strtok_r(dat, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		cr_assert_eq(sscanf(line, "%llu %llu %llu %llu %llu %llu", &start, &width, &count,
				    &p50, &p99, &max), 6, "%s", line);
		cr_expect_eq(start, 1000000 + rows * 5000000, "bin %llu", rows);
		cr_expect_eq(width, 5000000);
		cr_expect_eq(count, rows < 103 ? 1000 : 800, "bin %llu", rows);
		cr_expect(p50 == lat && p99 == lat && max == lat,
			  "bin %llu: %llu/%llu/%llu ns, not %llu", rows, p50, p99, max, lat);
		total += count;
		rows++;
	}
	cr_expect_eq(rows, 104);
	cr_expect_eq(total, 103800);
	free(dat);
	/* the points stop at 100000: 1 ms + 99999 x 5 us */
	snprintf(path, sizeof(path), "%s/latency_time.dat", out);
	dat = test_slurp(path, &n);
	cr_expect(strstr(dat, "(its first 100000 interrupts)"));
	for (line = strtok_r(dat, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%llu %llu", &t, &l) == 2)
			points++;
	cr_expect_eq(points, 100000);
	cr_expect_eq(t, 1000000 + 99999ull * 5000);
	free(dat);
	snprintf(path, sizeof(path), "%s/latency_time.gp", out);
	char *gp = test_slurp(path, &n);
	cr_expect(strstr(gp, "\"latency_bins.dat\" index 0 using (($1+$2/2)/1e6):4") &&
		  strstr(gp, "title \"nic p99\"") && strstr(gp, "title \"nic max\"") &&
		  strstr(gp, "per 5 ms") && !strstr(gp, "latency_time.dat"),
		  "%s", gp);
	free(gp);
	if (have_gnuplot()) {
		struct stat st;

		/* (100000 points made a 10 MB SVG) */
		snprintf(path, sizeof(path), "%s/latency_time.svg", out);
		cr_expect(!stat(path, &st) && st.st_size > 0 && st.st_size < 1000000,
			  "latency_time.svg: %lld bytes", (long long)st.st_size);
	}
}

/* Each source its own way: points for the timer's 980 interrupts, bins for
 * the 11760 of an SPI every 4 us. */
Test(plot, a_source_of_few_interrupts_keeps_its_points)
{
	static const char *const sets[] = { "sources.1.period_us=4", "run.duration_ms=50" };
	char out[128], path[256];
	size_t n;

	run_with("gicv3-forwarded-vs-emulated", "mixed", out, sets, 2);
	snprintf(path, sizeof(path), "%s/latency_time.gp", out);
	char *gp = test_slurp(path, &n);

	cr_expect(strstr(gp, "\"latency_time.dat\" index 0 using ($1/1e6):2 with points") &&
		  strstr(gp, "title \"forwarded\"") &&
		  strstr(gp, "\"latency_bins.dat\" index 1 using (($1+$2/2)/1e6):5") &&
		  strstr(gp, "title \"emulated p50\"") && !strstr(gp, "latency_time.dat\" index 1") &&
		  !strstr(gp, "latency_bins.dat\" index 0"),
		  "%s", gp);
	free(gp);
}

Test(plot, compare_refuses_a_directory_without_a_run)
{
	const char *dirs[1] = { dir };
	char cmp[128];

	snprintf(cmp, sizeof(cmp), "%s/cmp", dir);
	cr_expect_eq(wl_compare(dirs, 1, cmp, stdout, stderr), -1);
}

/* A run with two sources gives two rows, labelled "run: source" in the plots. */
Test(plot, compare_has_a_row_per_source)
{
	char a[128], cmp[128], path[256];
	const char *dirs[1] = { a };
	size_t n;

	run("gicv3-forwarded-vs-emulated", "fe", a);
	snprintf(cmp, sizeof(cmp), "%s/cmp", dir);
	cr_assert_eq(wl_compare(dirs, 1, cmp, stdout, stderr), 0);
	snprintf(path, sizeof(path), "%s/compare.md", cmp);
	char *md = test_slurp(path, &n);
	cr_expect(strstr(md, "| gicv3-forwarded-vs-emulated | forwarded |") &&
		  strstr(md, "| gicv3-forwarded-vs-emulated | emulated |"),
		  "%s", md);
	free(md);
	snprintf(path, sizeof(path), "%s/compare_cdf.gp", cmp);
	char *gp = test_slurp(path, &n);
	cr_expect(strstr(gp, "index 1") && strstr(gp, "gicv3-forwarded-vs-emulated: emulated"));
	free(gp);
}

/*
 * compare keeps every row: 9 runs of 32 sources each (a workload's most,
 * WL_MAX_SOURCES) make 288 rows in compare.md and compare_stages.dat and
 * 288 curves in compare_cdf.gp (it kept the first 256 and dropped the
 * rest, saying nothing).
 */
Test(plot, compare_keeps_every_row)
{
	char a[128], cmp[128], path[256], *text;
	const char *dirs[9];
	size_t n, off = 0;
	unsigned rows;
	char sum[WL_MAX_SOURCES * 400 + 64], name[16];

	snprintf(a, sizeof(a), "%s/many", dir);
	cr_assert_eq(wl_mkdirs(a), 0);
	off += (size_t)snprintf(sum + off, sizeof(sum) - off, "{\"workload\": \"many\", \"sources\": [");
	for (unsigned i = 0; i < WL_MAX_SOURCES; i++) {
		snprintf(name, sizeof(name), "s%u", i);
		off += (size_t)snprintf(sum + off, sizeof(sum) - off, "%s", i ? ", " : "");
		test_summary_source(sum, sizeof(sum), &off, name, 100 + i, 200 + i, 0);
	}
	snprintf(sum + off, sizeof(sum) - off, "]}\n");
	snprintf(path, sizeof(path), "%s/summary.json", a);
	test_spit(path, sum);
	for (unsigned i = 0; i < 9; i++)
		dirs[i] = a;
	snprintf(cmp, sizeof(cmp), "%s/cmp288", dir);
	cr_assert_eq(wl_compare(dirs, 9, cmp, stdout, stderr), 0);

	snprintf(path, sizeof(path), "%s/compare.md", cmp);
	text = test_slurp(path, &n);
	rows = test_count(text, "\n| many | s");
	cr_expect_eq(rows, 288, "compare.md has %u rows of 288", rows);
	/* the last run's last source, with its ratio to the first row */
	cr_expect(strstr(text, "| many | s31 | 131 | 231 |"), "no last row in\n%s", text);
	free(text);

	snprintf(path, sizeof(path), "%s/compare_stages.dat", cmp);
	text = test_slurp(path, &n);
	rows = test_count(text, "\n\"many: s");
	cr_expect_eq(rows, 288, "compare_stages.dat has %u rows of 288", rows);
	free(text);

	snprintf(path, sizeof(path), "%s/compare_cdf.gp", cmp);
	text = test_slurp(path, &n);
	cr_expect(strstr(text, "index 287 using"), "no 288th curve in\n%s", text);
	free(text);
}

/* compare takes 1 to 64 run directories: none, or 65, is refused with the
 * reason and writes nothing. */
Test(plot, compare_refuses_no_runs_and_more_than_64)
{
	const char *dirs[65];
	char cmp[128], *msg = NULL;
	size_t len = 0;
	struct stat sb;
	FILE *err = open_memstream(&msg, &len);

	for (unsigned i = 0; i < 65; i++)
		dirs[i] = dir;
	snprintf(cmp, sizeof(cmp), "%s/cmp-none", dir);
	cr_assert_not_null(err);
	cr_expect_eq(wl_compare(dirs, 0, cmp, stdout, err), -1);
	cr_expect_eq(wl_compare(dirs, 65, cmp, stdout, err), -1);
	fclose(err);
	cr_expect_str_eq(msg, "kvmsim compare: 1 to 64 run directories\n"
			      "kvmsim compare: 1 to 64 run directories\n");
	cr_expect_neq(stat(cmp, &sb), 0, "%s was created", cmp);
	free(msg);
}

/*
 * compare reads summary.json files it did not write: one that is not a
 * kvmsim run's (not JSON, not an object, a field missing or of another
 * type, percentiles out of order, names that are not names: a quote would
 * end a gnuplot title and run what follows, a '/' would name a CSV
 * elsewhere) is refused, naming the file and the field, and nothing is
 * written; a source that measured nothing needs no percentiles.
 */
Test(plot, compare_refuses_a_summary_that_is_not_a_runs)
{
	static const struct {
		const char *from, *to, *why;
	} bad[] = {
		{ "{", "[", ":1: " },
		{ NULL, "[]", "summary.json: expected an object (a kvmsim run's summary)" },
		{ "\"workload\": \"w\"", "\"workload\": \"w\\\" ; system \\\"true\"",
		  "summary.json: workload: expected a name" },
		{ "\"name\": \"s0\"", "\"name\": \"../s0\"", "summary.json: sources[0].name: expected a name" },
		{ "\"p99\": 200", "\"p99\": \"200\"",
		  "summary.json: sources[0].latency_ns.p99: expected a number, not below 0" },
		{ "\"p99\": 200", "\"p98\": 200",
		  "summary.json: sources[0].latency_ns.p99: expected a number, not below 0" },
		{ "\"p99\": 200", "\"p99\": 50",
		  "sources[0].latency_ns.p99: expected no less than the percentile before it" },
		{ "\"delivered\": 1000", "\"delivered\": -1",
		  "summary.json: sources[0].delivered: expected a count" },
		{ "\"throughput\": 100000.0, \"latency", "\"throughput\": null, \"latency",
		  "summary.json: sources[0].throughput: expected a number" },
		{ "\"completion_ns\": {\"count\": 0}", "\"completion_ns\": 0",
		  "summary.json: sources[0].completion_ns: expected an object" },
	};
	char good[2048], text[2048], a[128], b[128], cmp[128], path[256];
	const char *dirs[2] = { a, b };
	size_t off = 0;

	off += (size_t)snprintf(good, sizeof(good), "{\"workload\": \"w\", \"sources\": [");
	test_summary_source(good, sizeof(good), &off, "s0", 100, 200, 0);
	snprintf(good + off, sizeof(good) - off, "]}\n");
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	snprintf(cmp, sizeof(cmp), "%s/cmp", dir);
	cr_assert_eq(wl_mkdirs(a), 0);
	cr_assert_eq(wl_mkdirs(b), 0);
	snprintf(path, sizeof(path), "%s/summary.json", a);
	test_spit(path, good);
	snprintf(path, sizeof(path), "%s/summary.json", b);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *at = bad[i].from ? strstr(good, bad[i].from) : good;
		char *msg = NULL;
		size_t len = 0;
		FILE *err = open_memstream(&msg, &len);

		cr_assert_not_null(at, "%s", bad[i].from);
		if (bad[i].from)
			snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - good), good, bad[i].to,
				 at + strlen(bad[i].from));
		else
			snprintf(text, sizeof(text), "%s", bad[i].to);
		test_spit(path, text);
		cr_expect_eq(wl_compare(dirs, 2, cmp, stdout, err), -1, "accepted %s", text);
		fclose(err);
		cr_expect(strstr(msg, "kvmsim: ") && strstr(msg, "/b/summary.json") &&
				  strstr(msg, bad[i].why),
			  "'%s' lacks '%s'", msg, bad[i].why);
		free(msg);
		cr_expect_neq(access(cmp, F_OK), 0, "compare wrote %s for a refused run", cmp);
	}
	/* nothing measured: a count of 0 and no percentiles */
	const char *counted = "\"count\": 1000, \"p50\": 100, \"p99\": 200, \"p99.9\": 200, "
			      "\"max\": 200";
	const char *at = strstr(good, counted);

	cr_assert_not_null(at);
	snprintf(text, sizeof(text), "%.*s\"count\": 0%s", (int)(at - good), good,
		 at + strlen(counted));
	test_spit(path, text);
	cr_expect_eq(wl_compare(dirs, 2, cmp, stdout, stderr), 0, "refused %s", text);
}

/* A run directory without a source's latency CSV still compares: its row
 * stands, and a warning says its CDF has no curve for it. */
Test(plot, compare_warns_of_a_missing_latency_csv)
{
	char a[128], cmp[128], path[256], *msg = NULL, *md;
	const char *dirs[1] = { a };
	size_t len = 0;
	FILE *err;

	run("gicv3-spi-busy", "nocsv", a);
	snprintf(path, sizeof(path), "%s/latency_nic.csv", a);
	cr_assert_eq(unlink(path), 0);
	snprintf(cmp, sizeof(cmp), "%s/cmp", dir);
	err = open_memstream(&msg, &len);
	cr_expect_eq(wl_compare(dirs, 1, cmp, stdout, err), 0);
	fclose(err);
	cr_expect(strstr(msg, "kvmsim: warning: cannot read ") &&
			  strstr(msg, "/nocsv/latency_nic.csv (No such file or directory): the "
				      "latency CDF has no curve for gicv3-spi-busy"),
		  "%s", msg);
	free(msg);
	snprintf(path, sizeof(path), "%s/compare.md", cmp);
	md = test_slurp(path, &len);
	cr_expect(strstr(md, "| gicv3-spi-busy | nic | 1099 |"), "%s", md);
	free(md);
}

/* compare.md and the data of its plots are replaced together or not at
 * all: a comparison that cannot be written (a file-size limit, as a full
 * disk) names the file and leaves the last comparison as it was. */
Test(plot, a_compare_that_cannot_write_leaves_the_last_one_whole)
{
	char a[128], b[128], cmp[128], path[256], *msg = NULL, *before, *after;
	const char *dirs[2] = { a, b };
	struct rlimit lim;
	size_t len = 0, nb, na;
	FILE *err;

	run("gicv3-spi-busy", "busy", a);
	run("gicv3-spi-idle", "idle", b);
	snprintf(cmp, sizeof(cmp), "%s/cmp", dir);
	cr_assert_eq(wl_compare(dirs, 1, cmp, stdout, stderr), 0);
	snprintf(path, sizeof(path), "%s/compare.md", cmp);
	before = test_slurp(path, &nb);

	err = open_memstream(&msg, &len);
	test_fsize_limit(600, &lim);
	int ret = wl_compare(dirs, 2, cmp, stdout, err);

	test_fsize_restore(&lim);
	fclose(err);
	cr_expect_eq(ret, -1);
	cr_expect(strstr(msg, "/cmp/compare.md: File too large"), "%s", msg);
	after = test_slurp(path, &na);
	cr_expect(na == nb && !memcmp(before, after, na), "compare.md changed: %s", after);
	snprintf(path, sizeof(path), "%s/compare.md.tmp", cmp);
	cr_expect_neq(access(path, F_OK), 0, "%s left behind", path);
	free(before);
	free(after);
	free(msg);
}

static bool exists(const char *d, const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", d, name);
	return !access(path, F_OK);
}

/* A short run into DIR/r (its path in @out) with its images drawn; the
 * test is skipped without gnuplot. */
static void drawn_run(char *out)
{
	if (!have_gnuplot())
		cr_skip_test("no gnuplot (%s): nothing renders", KVMSIM_GNUPLOT);
	run("gicv3-spi-busy", "r", out);
	cr_assert(nonempty(out, "latency_cdf.png") && nonempty(out, "stages.svg"),
		  "the first run draws its images");
}

/*
 * gnuplot exits 0 when it cannot write an image (a full disk: here a
 * file-size limit between the run's data and its images), leaving it cut
 * short. The run names each such image, removes it and fails; its results
 * and its plots' data and scripts are written, and no image of the run
 * before is left beside data it was not drawn from.
 */
Test(plot, images_gnuplot_cuts_short_are_named_and_removed)
{
	static const char *const charts[] = { "latency_cdf", "stages", "latency_time" };
	static const char *const sets[] = { "run.duration_ms=0.5", "run.warmup_ms=0.1" };
	char out[128], name[64], *msg = NULL;
	struct rlimit lim;
	struct workload w;
	size_t len = 0;
	FILE *err;

	drawn_run(out);

	struct wl_run_opts o = { .outdir = out, .quiet = true, .plots = true };
	cr_assert_eq(wl_load(&w, SCEN "gicv3-spi-busy.yaml", sets, 2, stderr), 0);
	err = open_memstream(&msg, &len);
	test_fsize_limit(9000, &lim);
	int ret = wl_run(&w, &o, err);

	test_fsize_restore(&lim);
	fclose(err);
	wl_free(&w);
	cr_expect_eq(ret, -1, "the run fails");
	for (size_t i = 0; i < sizeof(charts) / sizeof(charts[0]); i++) {
		for (int f = 0; f < 2; f++) {
			char want[320];

			snprintf(name, sizeof(name), "%s.%s", charts[i], f ? "svg" : "png");
			snprintf(want, sizeof(want), "cannot write %s/%s: gnuplot left it cut short",
				 out, name);
			cr_expect(strstr(msg, want), "%s not named: %s", name, msg);
			cr_expect(!exists(out, name), "%s left", name);
		}
		snprintf(name, sizeof(name), "%s.gp", charts[i]);
		cr_expect(nonempty(out, name), "%s", name);
	}
	cr_expect(nonempty(out, "summary.json") && nonempty(out, "latency_time.dat"));
	free(msg);
}

/* gnuplot failing outright is a warning (the data and scripts are there
 * to draw by hand); the images of the run before are gone, not left
 * beside data they were not drawn from. A gnuplot that exits 0 without
 * writing them fails the run. */
Test(plot, a_failing_gnuplot_leaves_no_stale_image)
{
	char out[128], *msg = NULL;
	size_t len = 0;
	FILE *err;

	drawn_run(out);
	cr_assert_eq(setenv("KVMSIM_GNUPLOT", "false", 1), 0);
	err = open_memstream(&msg, &len);
	cr_expect_eq(wl_plot_run(out, err), 0, "a warning, not a failure");
	fclose(err);
	cr_expect(strstr(msg, "warning: gnuplot failed on ") && strstr(msg, "/stages.gp: no "
									"stages.png or stages.svg"),
		  "%s", msg);
	cr_expect(!exists(out, "stages.png") && !exists(out, "stages.svg") &&
		  !exists(out, "latency_cdf.png"));
	cr_expect(nonempty(out, "stages.gp") && nonempty(out, "stages.dat"));
	free(msg);

	/* one that says it succeeded but wrote nothing fails the run */
	char want[256];

	cr_assert_eq(setenv("KVMSIM_GNUPLOT", "true", 1), 0);
	msg = NULL;
	err = open_memstream(&msg, &len);
	cr_expect_eq(wl_plot_run(out, err), -1);
	fclose(err);
	snprintf(want, sizeof(want), "kvmsim: cannot write %s/stages.svg: gnuplot did not write it",
		 out);
	cr_expect(strstr(msg, want), "%s", msg);
	free(msg);
}

/*
 * A run's summary.json mutated at random 400 times (mutant()), compared
 * with the run itself: compared, or refused with one message naming the
 * mutant's summary.json — never a crash (under ASan and UBSan in CI). The
 * plots are not drawn (no gnuplot: their data and scripts are written).
 */
Test(plot, mutated_summaries_are_compared_or_refused)
{
	uint64_t seed = 0x73756d6d;
	unsigned took = 0, refusedn = 0;
	char a[128], b[128], cmp[128], path[256], sum[256];
	const char *dirs[2] = { a, b };
	size_t n;

	run("gicv3-forwarded-vs-emulated", "a", a);
	snprintf(b, sizeof(b), "%s/b", dir);
	snprintf(cmp, sizeof(cmp), "%s/cmp", dir);
	cr_assert_eq(wl_mkdirs(b), 0);
	cr_assert_eq(setenv("KVMSIM_GNUPLOT", "/nonexistent/gnuplot", 1), 0);
	snprintf(path, sizeof(path), "%s/summary.json", a);
	char *orig = test_slurp(path, &n);

	snprintf(sum, sizeof(sum), "%s/summary.json", b);
	FILE *null = fopen("/dev/null", "w");

	cr_assert_not_null(null);
	for (int m = 0; m < 400; m++) {
		char *t = mutant(orig, n, &seed), *msg = NULL;
		size_t len = 0;
		FILE *err = open_memstream(&msg, &len);

		test_spit(sum, t);
		int r = wl_compare(dirs, 2, cmp, null, err);

		fclose(err);
		if (r == 0) {
			took++;
		} else {
			char *nl = strchr(msg, '\n');

			cr_expect(strstr(msg, sum) && nl && !nl[1],
				  "refused without one message naming %s: '%s'\n%s", sum, msg, t);
			refusedn++;
		}
		free(msg);
		free(t);
	}
	free(orig);
	fclose(null);
	cr_log_info("%u compared, %u refused", took, refusedn);
	cr_expect(took && refusedn, "each outcome: the mutations reach each path");
}

/*
 * gnuplot runs with no shell between: a results directory, and a gnuplot
 * path, may hold a quote, a space, a '$' or a backquote (a shell command
 * line quoting them in '...' broke on the quote: "Unterminated quoted
 * string", and no image).
 */
Test(plot, any_directory_name_is_drawn_in)
{
	static const char *const sets[] = { "run.duration_ms=0.5", "run.warmup_ms=0.1" };
	char out[128], path[256], gp[128], *msg = NULL;
	size_t len = 0;
	struct workload w;
	FILE *err;

	if (!have_gnuplot())
		cr_skip_test("no gnuplot (%s): nothing renders", KVMSIM_GNUPLOT);
	snprintf(gp, sizeof(gp), "%s/gnu'plot $HOME", dir);
	cr_assert_eq(symlink(KVMSIM_GNUPLOT[0] == '/' ? KVMSIM_GNUPLOT : "/usr/bin/gnuplot", gp), 0);
	cr_assert_eq(setenv("KVMSIM_GNUPLOT", gp, 1), 0);
	snprintf(out, sizeof(out), "%s/it's \"a\" `run` $HOME;", dir);
	snprintf(path, sizeof(path), SCEN "gicv3-spi-busy.yaml");
	cr_assert_eq(wl_load(&w, path, sets, 2, stderr), 0);
	err = open_memstream(&msg, &len);
	struct wl_run_opts o = { .outdir = out, .quiet = true, .plots = true };
	int r = wl_run(&w, &o, err);

	fclose(err);
	wl_free(&w);
	cr_expect_eq(r, 0);
	cr_expect_str_empty(msg, "said: %s", msg);
	free(msg);
	for (unsigned i = 0; i < 3; i++) {
		static const char *const charts[] = { "latency_cdf", "stages", "latency_time" };
		char png[64], svg[64];

		snprintf(png, sizeof(png), "%s.png", charts[i]);
		snprintf(svg, sizeof(svg), "%s.svg", charts[i]);
		cr_expect(nonempty(out, png) && nonempty(out, svg), "%s drawn in %s", charts[i],
			  out);
	}
}
