// SPDX-License-Identifier: MIT
/*
 * test_plot.c — the plots of a run and `kvmsim compare`: data and gnuplot
 * scripts for each chart (rendered to PNG and SVG where gnuplot exists),
 * and compare's table against values computed by hand from the profiles
 * for two small runs (an idle guest's SPI on each host).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static void run(const char *scenario, const char *sub, char *out)
{
	static const char *const sets[] = { "run.duration_ms=0.5", "run.warmup_ms=0.1" };
	struct workload w;
	char path[256];
	struct wl_run_opts o = { .outdir = out, .quiet = true, .plots = true };

	snprintf(path, sizeof(path), SCEN "%s.yaml", scenario);
	snprintf(out, 128, "%s/%s", dir, sub);
	cr_assert_eq(wl_load(&w, path, sets, 2, stderr), 0);
	cr_assert_eq(wl_run(&w, &o, stderr), 0);
	wl_free(&w);
}

Test(plot, a_run_writes_each_chart)
{
	char out[128];
	static const char *const files[] = { "latency_cdf.dat", "latency_cdf.gp", "stages.dat",
					     "stages.gp" };

	run("gicv3-forwarded-vs-emulated", "a", out);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		cr_expect(nonempty(out, files[i]), "%s", files[i]);
	if (have_gnuplot()) {
		cr_expect(nonempty(out, "latency_cdf.png") && nonempty(out, "latency_cdf.svg"));
		cr_expect(nonempty(out, "stages.png") && nonempty(out, "stages.svg"));
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
	return (C(p, p->cpu.inject) + C(p, p->cpu.wakeup) +
		C(p, p->flush_base + p->flush_per_lr + 7ull * p->hyp_write + p->cpu.entry) +
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
	/* every latency the same on an idle system: p50 = p99 = p99.9 = max */
	snprintf(want, sizeof(want),
		 "| gicv3-spi-idle | nic | %llu | %llu | %llu | %llu | 0.00 | 100000 | 1.00x | 1.00x |",
		 (unsigned long long)v3, (unsigned long long)v3, (unsigned long long)v3,
		 (unsigned long long)v3);
	cr_expect(strstr(md, want), "missing row\n%s\nin\n%s", want, md);
	snprintf(want, sizeof(want),
		 "| gicv2-spi-idle | nic | %llu | %llu | %llu | %llu | 0.00 | 100000 | %.2fx | %.2fx |",
		 (unsigned long long)v2, (unsigned long long)v2, (unsigned long long)v2,
		 (unsigned long long)v2, (double)v2 / (double)v3, (double)v2 / (double)v3);
	cr_expect(strstr(md, want), "missing row\n%s\nin\n%s", want, md);
	free(md);
	cr_expect(nonempty(cmp, "compare_cdf.gp") && nonempty(cmp, "compare_stages.gp"));
	if (have_gnuplot())
		cr_expect(nonempty(cmp, "compare_cdf.png") && nonempty(cmp, "compare_stages.svg"));
}

Test(plot, compare_refuses_a_directory_without_a_run)
{
	const char *dirs[1] = { dir };
	char cmp[128];

	snprintf(cmp, sizeof(cmp), "%s/cmp", dir);
	cr_expect_eq(wl_compare(dirs, 1, cmp, stdout, stderr), -1);
}
