// SPDX-License-Identifier: MIT
/*
 * test_scenarios.c — regression traces of the scenario library: each
 * scenario of workloads/scenarios/, run for 0.5 ms (0.1 ms warm-up) with
 * its own seed, must give the text trace under tests/golden/scenarios/
 * byte for byte; a difference is reported as `kvmsim trace diff` reports
 * it (first divergence, event counts). A model change that moves a trace
 * is regenerated on purpose only — KVMSIM_REGEN_GOLDEN=1 make check — and
 * the commit says why. Every scenario file must have its golden trace.
 */
#include <criterion/criterion.h>
#include <dirent.h>
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
