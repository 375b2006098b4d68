// SPDX-License-Identifier: MIT
/*
 * kvmsim.c — the kvmsim command. Sub-commands are added as the layers they
 * drive land; --help lists exactly the ones this build has.
 */
#include <signal.h>
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
		"  run FILE [-o DIR] [--seed N] [--set KEY=VALUE]... [--trace FILE]\n"
		"      [--vcd FILE] [--perfetto FILE] [--trace-filter PATTERNS] [-q]\n"
		"               run a workload (YAML, see workloads/README.md) and write\n"
		"               DIR/summary.json, DIR/host.json, DIR/latency_<source>.csv,\n"
		"               DIR/latency_time.dat (each interrupt's latency, the first\n"
		"               100000 of a source), DIR/latency_bins.dat (p50/p99/max per\n"
		"               time bin, the whole run) and the plots latency_cdf, stages\n"
		"               and latency_time (PNG and SVG with gnuplot; their data and\n"
		"               scripts always) (DIR defaults to results/<workload name>)\n"
		"  compare RUN_DIR... [-o DIR]\n"
		"               lay up to 64 runs side by side: DIR/compare.md (latency\n"
		"               p50/p99/p99.9/max, completion p50, exits per interrupt,\n"
		"               throughput; a row per source of each run, ratios to the\n"
		"               first row) and one latency CDF and one per-stage chart\n"
		"               of all runs\n"
		"               (DIR defaults to results/compare)\n"
		"  sweep FILE --param KEY=V1,V2,... [--param ...] [--jobs N] [-o DIR]\n"
		"      [--list | --collect]\n"
		"               run FILE at every combination of the values, N runs at a\n"
		"               time (default: one per CPU), each point an ordinary run\n"
		"               directory DIR/KEY=V,...; then DIR/sweep.md and the plot\n"
		"               sweep (throughput and p99 latency against the first\n"
		"               parameter) (DIR defaults to results/sweep-<workload name>).\n"
		"               --list prints the run commands, one per line, and runs\n"
		"               nothing: feed them to GNU parallel or a batch system;\n"
		"               --collect then writes sweep.md and the plot from them\n"
		"  fidelity [PATH]... [-o DIR] [-q]\n"
		"               run the microbenchmark files (workloads with a benchmark\n"
		"               section; PATH a file or a directory of them, default\n"
		"               workloads/microbench) and set each simulated figure beside\n"
		"               the published one: DIR/fidelity.md (a table per host\n"
		"               profile: published, simulated, ratio, calibration row or\n"
		"               prediction, whether the published cell was checked; what\n"
		"               each row times), DIR/fidelity.json, the ratio plot\n"
		"               fidelity, each run in DIR/runs/NAME; the table on stdout\n"
		"               (DIR defaults to results/fidelity)\n"
		"  trace diff A B\n"
		"               compare two text traces: the first divergence (time,\n"
		"               component, event, fields) and the event counts; exit 1\n"
		"               when they differ, 2 when one is unreadable or not a trace\n"
		"  version      print the version\n"
		"  help         print this help\n"
		"\n"
		"run options:\n"
		"  -o DIR            results directory\n"
		"  --seed N          the run's seed (same as --set run.seed=N)\n"
		"  --set KEY=VALUE   override or add a field of the file (and the mappings\n"
		"                    on its way), e.g. --set run.duration_ms=5\n"
		"                    --set sources.0.rate_hz=2e5 (workloads/README.md)\n"
		"  --trace FILE      write the text trace of every event (README.md)\n"
		"  --vcd FILE        write the events as a VCD for GTKWave (1 ps steps)\n"
		"  --perfetto FILE   write the events as Chrome Trace Event JSON, a track\n"
		"                    per component and vCPU, for ui.perfetto.dev or\n"
		"                    chrome://tracing\n"
		"                    (each trace needs a file of its own, not one of the\n"
		"                    results the run writes in DIR: else nothing runs)\n"
		"  --trace-filter PATTERNS\n"
		"                    only these events in the traces: comma-separated\n"
		"                    fnmatch patterns on COMPONENT:EVENT, e.g. 'cpu:*,gic:ack'\n"
		"  -q, --quiet       no progress and no closing line\n"
		"  (^C or SIGTERM stops a run: its traces are closed whole, no results\n"
		"  are written)\n"
		"\n"
		"environment:\n"
		"  KVMSIM_GNUPLOT    the gnuplot that draws the plots (default: the one\n"
		"                    configure found, " KVMSIM_GNUPLOT ")\n"
		"\n"
		"This build models the ARM GIC (GICv2 and GICv3 with KVM's VGIC) on an\n"
		"X-Gene or an Ampere Altra host profile.\n");
}

/* An argument no option took: the workload file, once. 0, or 2 after a message. */
static int other_arg(const char *cmd, const char *a, const char **file)
{
	if (a[0] == '-' && a[1]) {
		fprintf(stderr, "kvmsim %s: unknown or incomplete option '%s' (see kvmsim --help)\n",
			cmd, a);
		return 2;
	}
	if (*file) {
		fprintf(stderr, "kvmsim %s: one workload file at a time ('%s')\n", cmd, a);
		return 2;
	}
	*file = a;
	return 0;
}

static int cmd_run(int argc, char **argv)
{
	const char *file = NULL, *outdir = NULL, *trace = NULL, *vcd = NULL, *filter = NULL;
	const char *perfetto = NULL;
	const char *sets[MAX_SETS] = { 0 };
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
		} else if (!strcmp(a, "--vcd") && more) {
			vcd = argv[++i];
		} else if (!strcmp(a, "--perfetto") && more) {
			perfetto = argv[++i];
		} else if (!strcmp(a, "--trace-filter") && more) {
			filter = argv[++i];
		} else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) {
			quiet = true;
		} else if (other_arg("run", a, &file)) {
			return 2;
		}
	}
	if (!file) {
		fprintf(stderr, "kvmsim run: which workload file? (see kvmsim --help)\n");
		return 2;
	}
	if (filter && !trace && !vcd && !perfetto) {
		fprintf(stderr, "kvmsim run: --trace-filter filters --trace, --vcd or --perfetto; "
				"none given\n");
		return 2;
	}
	if (wl_load(&w, file, sets, nsets, stderr))
		return 1;
	if (!outdir) {
		snprintf(defdir, sizeof(defdir), "results/%s", w.name);
		outdir = defdir;
	}
	struct wl_run_opts o = { .outdir = outdir, .trace = trace, .vcd = vcd,
				 .perfetto = perfetto, .trace_filter = filter, .quiet = quiet,
				 .progress = !quiet && isatty(2), .plots = true };
	ret = wl_run(&w, &o, stderr);
	wl_free(&w);
	if (ret > 0) {
		/* stopped by signal @ret: die of it, as a shell loop expects */
		signal(ret, SIG_DFL);
		raise(ret);
		return 128 + ret;
	}
	return ret ? 1 : 0;
}

static int cmd_sweep(const char *argv0, int argc, char **argv)
{
	const char *file = NULL, *outdir = NULL, *params[8];
	char defdir[160], self[4096];
	unsigned nparams = 0, jobs = 0;
	enum wl_sweep_mode mode = WL_SWEEP_RUN;
	struct workload w;
	ssize_t len;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		bool more = i + 1 < argc;

		if (!strcmp(a, "--param") && more) {
			if (nparams == 8) {
				fprintf(stderr, "kvmsim sweep: at most 8 --param\n");
				return 2;
			}
			params[nparams++] = argv[++i];
		} else if ((!strcmp(a, "--jobs") || !strcmp(a, "-j")) && more) {
			char *end;
			unsigned long j = strtoul(argv[++i], &end, 10);

			if (*end || !j || j > 256) {
				fprintf(stderr, "kvmsim sweep: --jobs '%s': expected 1 to 256\n",
					argv[i]);
				return 2;
			}
			jobs = (unsigned)j;
		} else if ((!strcmp(a, "-o") || !strcmp(a, "--output")) && more) {
			outdir = argv[++i];
		} else if (!strcmp(a, "--list")) {
			mode = WL_SWEEP_LIST;
		} else if (!strcmp(a, "--collect")) {
			mode = WL_SWEEP_COLLECT;
		} else if (other_arg("sweep", a, &file)) {
			return 2;
		}
	}
	if (!file || !nparams) {
		fprintf(stderr, "usage: kvmsim sweep FILE --param KEY=V1,V2,... [--param ...] "
				"[--jobs N] [-o DIR] [--list | --collect]\n");
		return 2;
	}
	/* the file and every point's overrides are checked before anything runs */
	if (wl_load(&w, file, NULL, 0, stderr))
		return 1;
	if (!outdir) {
		snprintf(defdir, sizeof(defdir), "results/sweep-%s", w.name);
		outdir = defdir;
	}
	wl_free(&w);
	struct wl_point *pts;
	unsigned n;

	if (wl_sweep_grid(params, nparams, &pts, &n, stderr))
		return 2;
	for (unsigned k = 0; k < n; k++) {
		const char *sets[8];

		for (unsigned i = 0; i < pts[k].nset; i++)
			sets[i] = pts[k].set[i];
		if (wl_load(&w, file, sets, pts[k].nset, stderr)) {
			fprintf(stderr, "kvmsim sweep: point %s is not a valid run\n", pts[k].name);
			free(pts);
			return 1;
		}
		wl_free(&w);
	}
	free(pts);
	/* --list names kvmsim as it was called; the runs exec this very binary */
	if (mode == WL_SWEEP_LIST)
		return wl_sweep(strchr(argv0, '/') ? argv0 : "kvmsim", file, params, nparams,
				outdir, jobs, mode, stdout, stderr)
			       ? 1
			       : 0;
	len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0) {
		fprintf(stderr, "kvmsim sweep: cannot find my own executable\n");
		return 1;
	}
	self[len] = '\0';
	return wl_sweep(self, file, params, nparams, outdir, jobs, mode, stdout, stderr) ? 1 : 0;
}

static int cmd_fidelity(int argc, char **argv)
{
	const char *paths[64], *outdir = "results/fidelity";
	unsigned n = 0;
	bool quiet = false;
	int ret;

	for (int i = 0; i < argc; i++) {
		if ((!strcmp(argv[i], "-o") || !strcmp(argv[i], "--output")) && i + 1 < argc) {
			outdir = argv[++i];
		} else if (!strcmp(argv[i], "-q") || !strcmp(argv[i], "--quiet")) {
			quiet = true;
		} else if (argv[i][0] == '-' || n == 64) {
			fprintf(stderr, "usage: kvmsim fidelity [PATH]... [-o DIR] [-q] (at most 64 "
					"paths)\n");
			return 2;
		} else {
			paths[n++] = argv[i];
		}
	}
	if (!n)
		paths[n++] = "workloads/microbench";
	ret = wl_fidelity(paths, n, outdir, quiet, stdout, stderr);
	if (ret > 0) {
		signal(ret, SIG_DFL);
		raise(ret);
		return 128 + ret;
	}
	return ret ? 1 : 0;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;

	if (!cmd || !strcmp(cmd, "help") || !strcmp(cmd, "--help") ||
	    !strcmp(cmd, "-h")) {
		usage(cmd ? stdout : stderr); /* asked for, or a usage error */
		return cmd ? 0 : 2;
	}
	/* COMMAND --help, as with git and the like: the one help there is */
	for (int i = 2; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		}
	}
	if (!strcmp(cmd, "version") || !strcmp(cmd, "--version")) {
		printf("kvmsim %s\n", PACKAGE_VERSION);
		return 0;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(argc - 2, argv + 2);
	if (!strcmp(cmd, "sweep"))
		return cmd_sweep(argv[0], argc - 2, argv + 2);
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
	if (!strcmp(cmd, "fidelity"))
		return cmd_fidelity(argc - 2, argv + 2);
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
