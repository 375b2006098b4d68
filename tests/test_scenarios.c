// SPDX-License-Identifier: MIT
/*
 * test_scenarios.c — regression traces of the scenario library: each
 * scenario of workloads/scenarios/, run for 0.5 ms (0.1 ms warm-up) with
 * its own seed, must give the text trace under tests/golden/scenarios/
 * byte for byte, and its summary.json the one beside it; a trace's
 * difference is reported as `kvmsim trace diff` reports it (first
 * divergence, event counts). A model change that moves a trace
 * is regenerated on purpose only — KVMSIM_REGEN_GOLDEN=1 make check — and
 * the commit says why. Every scenario file must have its golden trace.
 *
 * The golden traces have the GIC's wires traced, so every wire change is
 * an event there; untraced, a change the sink would only note is deferred
 * (models/irq.h). Each scenario is also run both ways for 2 ms: the
 * summaries must be the same bytes and the traces, the wires' lines
 * aside, too. An IPI source's shortcut over requests it knows will be
 * refused must change nothing either: the IPI scenarios, and the
 * 64-vCPU storm of bench/inject, run with it and with every request made.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "workloads/workload.h"

#define SCEN KVMSIM_TEST_SRCDIR "/../workloads/scenarios/"
#define GOLD KVMSIM_TEST_SRCDIR "/golden/scenarios/"

static void golden(const char *name)
{
	static const char *const sets[] = { "run.duration_ms=0.5", "run.warmup_ms=0.1" };
	char dir[] = "/tmp/kvmsim-scen-XXXXXX", file[256], trace[128], gold[256], cmd[512];
	struct workload w;
	int r;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(file, sizeof(file), SCEN "%s.yaml", name);
	snprintf(trace, sizeof(trace), "%s/trace.txt", dir);
	snprintf(gold, sizeof(gold), GOLD "%s.trace", name);
	struct wl_run_opts o = { .outdir = dir, .trace = trace, .quiet = true };

	cr_assert_eq(wl_load(&w, file, sets, 2, stderr), 0, "%s", file);
	cr_assert_eq(wl_run(&w, &o, stderr), 0, "%s", file);
	wl_free(&w);
	if (getenv("KVMSIM_REGEN_GOLDEN")) {
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", trace, gold);
		cr_assert_eq(system(cmd), 0);
	}
	cr_assert_eq(access(gold, R_OK), 0,
		     "%s has no golden trace %s (create it: KVMSIM_REGEN_GOLDEN=1 make check)", name,
		     gold);
	r = wl_trace_diff(gold, trace, stderr, stderr);
	cr_expect_eq(r, 0, "%s: the trace differs from %s (first divergence above)", name, gold);
	/* and what was measured of it: the same simulation may be summed up
	 * differently */
	char sum[128], gsum[256];
	size_t na, nb;

	snprintf(sum, sizeof(sum), "%s/summary.json", dir);
	snprintf(gsum, sizeof(gsum), GOLD "%s.summary.json", name);
	if (getenv("KVMSIM_REGEN_GOLDEN")) {
		snprintf(cmd, sizeof(cmd), "cp '%s' '%s'", sum, gsum);
		cr_assert_eq(system(cmd), 0);
	}
	cr_assert_eq(access(gsum, R_OK), 0, "%s has no golden summary %s", name, gsum);
	char *a = test_slurp(gsum, &na), *b = test_slurp(sum, &nb);

	cr_expect_str_eq(b, a, "%s: summary.json differs from %s", name, gsum);
	free(a);
	free(b);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
}

#define SCENARIO(id, name)                                                                  \
	Test(scenarios, id)                                                                 \
	{                                                                                   \
		golden(name);                                                               \
	}

static const char *const names[] = {
	"gicv2-spi-busy",   "gicv2-spi-idle",   "gicv3-bursts",
	"gicv3-forwarded-vs-emulated",          "gicv3-ipi-storm",
	"gicv3-mmio",
	"gicv3-ipi",        "gicv3-masking",    "gicv3-overcommit",
	"gicv3-replay",     "gicv3-saturation", "gicv3-spi-busy",
	"gicv3-spi-idle",   "gicv3-timer-busy", "gicv3-timer-idle",
};

SCENARIO(gicv2_spi_busy, "gicv2-spi-busy")
SCENARIO(gicv2_spi_idle, "gicv2-spi-idle")
SCENARIO(gicv3_bursts, "gicv3-bursts")
SCENARIO(gicv3_forwarded_vs_emulated, "gicv3-forwarded-vs-emulated")
SCENARIO(gicv3_ipi_storm, "gicv3-ipi-storm")
SCENARIO(gicv3_ipi, "gicv3-ipi")
SCENARIO(gicv3_mmio, "gicv3-mmio")
SCENARIO(gicv3_masking, "gicv3-masking")
SCENARIO(gicv3_overcommit, "gicv3-overcommit")
SCENARIO(gicv3_replay, "gicv3-replay")
SCENARIO(gicv3_saturation, "gicv3-saturation")
SCENARIO(gicv3_spi_busy, "gicv3-spi-busy")
SCENARIO(gicv3_spi_idle, "gicv3-spi-idle")
SCENARIO(gicv3_timer_busy, "gicv3-timer-busy")
SCENARIO(gicv3_timer_idle, "gicv3-timer-idle")

/* A scenario added to the library must be added here, with its trace. */
Test(scenarios, every_scenario_file_is_checked)
{
	DIR *d = opendir(SCEN);
	struct dirent *e;
	unsigned files = 0;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		bool found = false;

		if (l < 6 || strcmp(e->d_name + l - 5, ".yaml"))
			continue;
		files++;
		for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			found |= strlen(names[i]) == l - 5 && !strncmp(names[i], e->d_name, l - 5);
		cr_expect(found, "%s has no golden-trace test in test_scenarios.c", e->d_name);
	}
	closedir(d);
	cr_expect_eq(files, sizeof(names) / sizeof(names[0]));
}

/* Reads @path into a new string, without the lines that contain @skip
 * (NULL: none); counts those in *nskip. */
static char *read_skipping(const char *path, const char *skip, unsigned *nskip)
{
	FILE *f = fopen(path, "r");
	char line[512], *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	cr_assert_not_null(f, "%s", path);
	cr_assert_not_null(m);
	*nskip = 0;
	while (fgets(line, sizeof(line), f)) {
		if (skip && strstr(line, skip)) {
			++*nskip;
			continue;
		}
		fputs(line, m);
	}
	fclose(f);
	fclose(m);
	return buf;
}

Test(scenarios, deferred_wire_changes_are_exact)
{
	static const char *const sets[] = { "run.duration_ms=2", "run.warmup_ms=0.1" };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char dir[] = "/tmp/kvmsim-defer-XXXXXX", file[256], path[2][128], out[2][128];
		char sum[2][160], cmd[300];
		unsigned nsig[2];
		struct workload w;
		char *t[2], *js[2];

		cr_assert_not_null(mkdtemp(dir));
		snprintf(file, sizeof(file), SCEN "%s.yaml", names[i]);
		cr_assert_eq(wl_load(&w, file, sets, 2, stderr), 0, "%s", file);
		for (int k = 0; k < 2; k++) {
			/* 0: every trace point; 1: all but the wires */
			struct wl_run_opts o = { .trace = path[k], .quiet = true };

			snprintf(path[k], sizeof(path[k]), "%s/trace%d.txt", dir, k);
			snprintf(out[k], sizeof(out[k]), "%s/run%d", dir, k);
			snprintf(sum[k], sizeof(sum[k]), "%s/summary.json", out[k]);
			o.outdir = out[k];
			o.trace_filter = k ? "cpu:*,vgic:*,gic:[!s]*,gic:sgi" : NULL;
			cr_assert_eq(wl_run(&w, &o, stderr), 0, "%s", file);
			unsigned none;

			t[k] = read_skipping(path[k], " gic signal ", &nsig[k]);
			js[k] = read_skipping(sum[k], NULL, &none);
		}
		wl_free(&w);
		cr_expect_gt(nsig[0], 0, "%s: no wire traced", names[i]);
		cr_expect_eq(nsig[1], 0, "%s: the filter kept gic:signal", names[i]);
		cr_expect_str_eq(js[0], js[1], "%s: the summary depends on tracing the wires",
				 names[i]);
		if (strcmp(t[0], t[1]))
			wl_trace_diff(path[0], path[1], stderr, stderr);
		cr_expect(!strcmp(t[0], t[1]), "%s: the traces differ beyond the wires (above)",
			  names[i]);
		for (int k = 0; k < 2; k++) {
			free(t[k]);
			free(js[k]);
		}
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		cr_expect_eq(system(cmd), 0);
	}
}

/* host.json's events of the run in @dir. */
static uint64_t events_of(const char *dir)
{
	char path[200];
	json_t *h;
	uint64_t n;

	snprintf(path, sizeof(path), "%s/host.json", dir);
	h = json_load_file(path, 0, NULL);
	cr_assert_not_null(h, "%s", path);
	n = (uint64_t)json_integer_value(json_object_get(h, "events"));
	json_decref(h);
	return n;
}

/* Runs @file (with @sets) with the shortcut and with every request made:
 * the summaries and the traces must be the same bytes. The events each
 * took in *events. Returns whether @file has an IPI source. */
static bool shortcut_changes_nothing(const char *file, const char *const *sets, unsigned nsets,
				     uint64_t events[2])
{
	char dir[] = "/tmp/kvmsim-every-XXXXXX", path[2][128], out[2][128], sum[2][160];
	char cmd[300];
	struct workload w;
	char *t[2], *js[2];
	bool ipi = false;

	cr_assert_eq(wl_load(&w, file, sets, nsets, stderr), 0, "%s", file);
	for (unsigned i = 0; i < w.nsrc; i++)
		ipi |= w.src[i].type == WL_IPI;
	if (!ipi) {
		wl_free(&w);
		return false;
	}
	cr_assert_not_null(mkdtemp(dir));
	for (int k = 0; k < 2; k++) {
		struct wl_run_opts o = { .trace = path[k], .quiet = true, .every_request = k };
		unsigned none;

		snprintf(path[k], sizeof(path[k]), "%s/trace%d.txt", dir, k);
		snprintf(out[k], sizeof(out[k]), "%s/run%d", dir, k);
		snprintf(sum[k], sizeof(sum[k]), "%s/summary.json", out[k]);
		o.outdir = out[k];
		cr_assert_eq(wl_run(&w, &o, stderr), 0, "%s", file);
		t[k] = read_skipping(path[k], NULL, &none);
		js[k] = read_skipping(sum[k], NULL, &none);
		events[k] = events_of(out[k]);
	}
	wl_free(&w);
	cr_expect_str_eq(js[0], js[1], "%s: the summary depends on the shortcut", file);
	if (strcmp(t[0], t[1]))
		wl_trace_diff(path[1], path[0], stderr, stderr);
	cr_expect(!strcmp(t[0], t[1]), "%s: the traces differ (above)", file);
	for (int k = 0; k < 2; k++) {
		free(t[k]);
		free(js[k]);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_expect_eq(system(cmd), 0);
	return true;
}

Test(scenarios, refused_request_shortcut_is_exact)
{
	static const char *const sets[] = { "run.duration_ms=2", "run.warmup_ms=0.1" };
	static const char storm[] =
		"name: storm64\n"
		"platform: {arch: arm64, controller: gicv3, vcpus: 64}\n"
		"sources:\n"
		"  - {name: storm, type: ipi, all_pairs: true, sgi: 2, rate_hz: 16000000}\n"
		"guest: {idle: busy, handler: {dist: exponential, mean_us: 1}}\n"
		"run: {duration_ms: 0.5, warmup_ms: 0.1, seed: 1}\n";
	char file[256], yaml[] = "/tmp/kvmsim-storm-XXXXXX.yaml";
	unsigned nipi = 0;
	uint64_t ev[2];
	int fd;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(file, sizeof(file), SCEN "%s.yaml", names[i]);
		nipi += shortcut_changes_nothing(file, sets, 2, ev);
	}
	cr_expect_geq(nipi, 2, "the IPI scenarios were run");

	fd = mkstemps(yaml, 5);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, storm, sizeof(storm) - 1), (ssize_t)(sizeof(storm) - 1));
	close(fd);
	cr_assert(shortcut_changes_nothing(yaml, NULL, 0, ev));
	unlink(yaml);
	/* most of the storm's requests are refused: the shortcut saves
	 * events (3.5 % of all of them when written) */
	cr_expect_lt(ev[0] * 100, ev[1] * 98, "events %llu with the shortcut, %llu without",
		     (unsigned long long)ev[0], (unsigned long long)ev[1]);
}
