// SPDX-License-Identifier: MIT
/*
 * kvmsim.c — the kvmsim command. Sub-commands are added as the layers they
 * drive land; --help lists exactly the ones this build has.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "workloads/workload.h"

#define MAX_SETS 64

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kvmsim COMMAND [ARGS]\n"
		"\n"
		"kvmsim simulates interrupt controllers and the KVM device API\n"
		"at cycle level and measures interrupt-injection latency.\n"
		"\n"
		"commands:\n"
		"  run FILE [-o DIR] [--seed N] [--set KEY=VALUE]... [--trace FILE] [-q]\n"
		"               run a workload (YAML, see workloads/README.md) and write\n"
		"               DIR/summary.json, DIR/host.json, DIR/latency_<source>.csv\n"
		"               and the plots latency_cdf and stages (PNG and SVG with\n"
		"               gnuplot; their data and scripts always)\n"
		"               (DIR defaults to results/<workload name>)\n"
		"  compare RUN_DIR... [-o DIR]\n"
		"               lay runs side by side: DIR/compare.md (p50/p99/p99.9/max,\n"
		"               exits per interrupt, throughput, ratios to the first run)\n"
		"               and one latency CDF and one per-stage chart of all runs\n"
		"               (DIR defaults to results/compare)\n"
		"  trace diff A B\n"
		"               compare two text traces: the first divergence (time,\n"
		"               component, event, fields) and the event counts; exit 1\n"
		"               when they differ\n"
		"  version      print the version\n"
		"  help         print this help\n"
		"\n"
		"run options:\n"
		"  -o DIR            results directory\n"
		"  --seed N          the run's seed (same as --set run.seed=N)\n"
		"  --set KEY=VALUE   override a field of the file, e.g.\n"
		"                    --set run.duration_ms=5 --set sources.0.rate_hz=2e5\n"
		"  --trace FILE      write the text trace of every event (README.md)\n"
		"  -q, --quiet       no progress and no closing line\n"
		"\n"
		"This build models the ARM GIC (GICv2 and GICv3 with KVM's VGIC) on an\n"
		"X-Gene or an Ampere Altra host profile. Comparisons, sweeps and plots\n"
		"come with later releases.\n");
}

static int cmd_run(int argc, char **argv)
{
	const char *file = NULL, *outdir = NULL, *trace = NULL, *sets[MAX_SETS];
	char seedset[64], defdir[160];
	unsigned nsets = 0;
	bool quiet = false;
	struct workload w;
	int ret;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;

		if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && more) {
			outdir = argv[++i];
		} else if (!strcmp(a, "--seed") && more) {
			snprintf(seedset, sizeof(seedset), "run.seed=%s", argv[++i]);
			if (nsets < MAX_SETS)
				sets[nsets++] = seedset;
		} else if (!strcmp(a, "--set") && more) {
			if (nsets == MAX_SETS) {
				fprintf(stderr, "kvmsim run: at most %d --set\n", MAX_SETS);
				return 2;
			}
			sets[nsets++] = argv[++i];
		} else if (!strcmp(a, "--trace") && more) {
			trace = argv[++i];
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			quiet = true;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "kvmsim run: unknown or incomplete option '%s' "
					"(see kvmsim --help)\n",
				a);
			return 2;
		} else if (!file) {
			file = a;
		} else {
			fprintf(stderr, "kvmsim run: one workload file at a time ('%s')\n", a);
			return 2;
		}
	}
	if (!file) {
		fprintf(stderr, "kvmsim run: which workload file? (see kvmsim --help)\n");
		return 2;
	}
	if (wl_load(&w, file, sets, nsets, stderr))
		return 1;
	if (!outdir) {
		snprintf(defdir, sizeof(defdir), "results/%s", w.name);
		outdir = defdir;
	}
	struct wl_run_opts o = { .outdir = outdir, .trace = trace, .quiet = quiet,
				 .progress = !quiet && isatty(2), .plots = true };
	ret = wl_run(&w, &o, stderr);
	wl_free(&w);
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd || !strcmp(cmd, "help") || !strcmp(cmd, "--help") ||
	    !strcmp(cmd, "-h")) {
		usage(stdout);
		return cmd ? 0 : 2;
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("kvmsim %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(cmd, "compare")) {
		const char *dirs[64], *outdir = "results/compare";
		unsigned n = 0;

		for (int i = 2; i < argc; i++) {
			if (!strcmp(argv[i], "-o") && i + 1 < argc)
				outdir = argv[++i];
			else if (argv[i][0] == '-' || n == 64)
				return fprintf(stderr, "usage: kvmsim compare RUN_DIR... [-o DIR]\n"), 2;
			else
				dirs[n++] = argv[i];
		}
		if (!n)
			return fprintf(stderr, "usage: kvmsim compare RUN_DIR... [-o DIR]\n"), 2;
		return wl_compare(dirs, n, outdir, stdout, stderr) ? 1 : 0;
	}
	if (!strcmp(cmd, "trace")) {
		if (argc != 5 || strcmp(argv[2], "diff")) {
			fprintf(stderr, "usage: kvmsim trace diff A B\n");
			return 2;
		}
		int r = wl_trace_diff(argv[3], argv[4], stdout, stderr);

		return r < 0 ? 2 : r;
	}
	fprintf(stderr, "kvmsim: unknown command '%s' (see kvmsim --help)\n",
		cmd);
	return 2;
}
