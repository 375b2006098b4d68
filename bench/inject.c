// SPDX-License-Identifier: MIT
/*
 * inject.c — simulated interrupt injections per host second (make bench):
 * the simplest GICv3 SPI scenario (one busy vCPU, an SPI every 2 us
 * through KVM_IRQ_LINE) and a 64-vCPU IPI storm (every ordered pair of
 * vCPUs in turn, Poisson). Each case runs in its own child process, the
 * median of --reps runs (5) counts, shown with the slowest and the fastest;
 * the figures are printed with the target (1 M injections/s) and the goal
 * (5 M) and written as inject.json and inject.md under --out, with how the
 * measured kvmsim was built (a plain build or make profile-opt's) and on
 * what host (CPU, CPUs, L1 data and L2 cache sizes: bench_host.h).
 */
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_host.h"
#include "workloads/workload.h"

#define TARGET 1e6
#define GOAL 5e6

struct bench_case {
	const char *name;
	const char *yaml;
};

static const struct bench_case cases[] = {
	{ "gicv3-spi", "name: bench-gicv3-spi\n"
		       "platform: {arch: arm64, controller: gicv3, vcpus: 1}\n"
		       "sources:\n  - {name: spi, type: periodic, spi: 40, period_us: 2}\n"
		       "guest: {idle: busy, handler: {mean_us: 0.2}}\n"
		       "run: {duration_ms: %g, seed: 1}\n" },
	{ "ipi-storm-64", "name: bench-ipi-storm\n"
			  "platform: {arch: arm64, controller: gicv3, vcpus: 64}\n"
			  "sources:\n  - {name: storm, type: ipi, all_pairs: true, sgi: 2, "
			  "rate_hz: 16000000}\n"
			  "guest: {idle: busy, handler: {dist: exponential, mean_us: 1}}\n"
			  "run: {duration_ms: %g, seed: 1}\n" },
	/* the same storm on a quiet host: what the host's noise (the spread's
	 * draws, the tick's exits) costs the simulator, side by side */
	{ "ipi-storm-64-quiet", "name: bench-ipi-storm-quiet\n"
				"platform: {arch: arm64, controller: gicv3, vcpus: 64, "
				"noise: off}\n"
				"sources:\n  - {name: storm, type: ipi, all_pairs: true, sgi: 2, "
				"rate_hz: 16000000}\n"
				"guest: {idle: busy, handler: {dist: exponential, mean_us: 1}}\n"
				"run: {duration_ms: %g, seed: 1}\n" },
};

/* How the measured kvmsim was built (host.json's "build"). */
static char build_kind[128] = "unknown";

/* One run of @c in a child: injections per host second and how kvmsim was
 * built on its stdout. */
static double run_case(const struct bench_case *c, const char *dir, double ms)
{
	int p[2];
	pid_t pid;
	double v = 0;

	if (pipe(p))
		return 0;
	pid = fork();
	if (pid == 0) {
		char path[600], out[300], text[1024];
		struct workload w;
		FILE *f;

		close(p[0]);
		snprintf(path, sizeof(path), "%s/%s.yaml", dir, c->name);
		snprintf(out, sizeof(out), "%s/%s", dir, c->name);
		snprintf(text, sizeof(text), c->yaml, ms);
		f = fopen(path, "w");
		if (!f || fputs(text, f) < 0 || fclose(f))
			_exit(1);
		struct wl_run_opts o = { .outdir = out, .quiet = true };
		if (wl_load(&w, path, NULL, 0, stderr) || wl_run(&w, &o, stderr))
			_exit(1);
		snprintf(path, sizeof(path), "%s/host.json", out);
		json_t *h = json_load_file(path, 0, NULL);
		double ips = h ? json_real_value(json_object_get(h, "injections_per_second")) : 0;
		const char *b = h ? json_string_value(json_object_get(h, "build")) : NULL;
		dprintf(p[1], "%.6g\n%s\n", ips, b ? b : "unknown");
		_exit(0);
	}
	close(p[1]);
	FILE *r = fdopen(p[0], "r");
	if (!r || fscanf(r, "%lg\n", &v) != 1)
		v = 0;
	if (r && fgets(build_kind, sizeof(build_kind), r))
		build_kind[strcspn(build_kind, "\n")] = '\0';
	if (r)
		fclose(r);
	waitpid(pid, NULL, 0);
	return v;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	const char *out = "results/bench";
	int reps = 5;
	double ms = 100;
	bool quick = false;
	char tmp[] = "/tmp/kvmsim-bench-XXXXXX", path[512], hostline[400];
	struct bench_host host;
	json_t *doc = json_object(), *arr = json_array();
	FILE *md;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--out") && i + 1 < argc) {
			out = argv[++i];
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			reps = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--quick")) {
			reps = 1;
			ms = 10;
			quick = true;
		} else if (!strcmp(argv[i], "--help")) {
			printf("usage: inject [--out DIR] [--reps N] [--quick]\n"
			       "  --reps N   runs per case, median reported (default 5)\n"
			       "  --quick    one 10 ms run per case: a smoke test that the\n"
			       "             benchmark works, not judged against the target\n");
			return 0;
		} else {
			fprintf(stderr, "inject: unknown argument '%s'\n", argv[i]);
			return 2;
		}
	}
	if (reps < 1 || reps > 99 || !mkdtemp(tmp)) {
		fprintf(stderr, "inject: bad --reps or no temporary folder\n");
		return 2;
	}
	snprintf(path, sizeof(path), "%s/inject.md", out);
	md = wl_mkdirs(out) ? NULL : fopen(path, "w");
	if (!md) {
		fprintf(stderr, "inject: cannot write %s: %s\n", path, strerror(errno));
		return 1;
	}
	fprintf(md, "# Simulated injections per host second\n\n"
		    "Median of %d runs of %g ms simulated; target %.0f/s, goal %.0f/s. The\n"
		    "slowest and fastest runs show how much the host's speed moved meanwhile.\n\n"
		    "| case | injections/s | slowest run | fastest run | target |\n"
		    "|---|---:|---:|---:|---|\n",
		reps, ms, TARGET, GOAL);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		double v[99];
		json_t *o = json_object();

		for (int r = 0; r < reps; r++)
			v[r] = run_case(&cases[c], tmp, ms);
		qsort(v, (size_t)reps, sizeof(v[0]), cmp);
		double med = v[reps / 2];
		const char *verdict = quick	     ? "not judged (--quick)"
				      : med >= GOAL   ? "goal met"
				      : med >= TARGET ? "met"
						      : "NOT met";

		printf("  %-20s %12.0f injections/s (runs %.0f to %.0f)   target >= 1M: %s\n",
		       cases[c].name, med, v[0], v[reps - 1], verdict);
		fprintf(md, "| %s | %.0f | %.0f | %.0f | %s |\n", cases[c].name, med, v[0],
			v[reps - 1], verdict);
		json_object_set_new(o, "case", json_string(cases[c].name));
		json_object_set_new(o, "injections_per_second", json_real(med));
		json_object_set_new(o, "slowest_run", json_real(v[0]));
		json_object_set_new(o, "fastest_run", json_real(v[reps - 1]));
		json_object_set_new(o, "target", json_real(TARGET));
		json_object_set_new(o, "goal", json_real(GOAL));
		json_array_append_new(arr, o);
	}
	bench_host_get(&host);
	bench_host_line(&host, hostline, sizeof(hostline));
	printf("  kvmsim build: %s\n  host: %s\n", build_kind, hostline);
	fprintf(md, "\nkvmsim build: %s%s.\n\nHost: %s.\n", build_kind,
		strncmp(build_kind, "plain", 5) ? "" : " (`make profile-opt` builds the optimised one)",
		hostline);
	fclose(md);
	json_object_set_new(doc, "build", json_string(build_kind));
	json_object_set_new(doc, "cpu", json_string(host.cpu));
	json_object_set_new(doc, "cpus", json_integer(host.cpus));
	json_object_set_new(doc, "l1d_kib", json_integer(host.l1d_kib));
	json_object_set_new(doc, "l2_kib", json_integer(host.l2_kib));
	json_object_set_new(doc, "simulated_ms", json_real(ms));
	json_object_set_new(doc, "reps", json_integer(reps));
	json_object_set_new(doc, "quick", json_boolean(quick));
	json_object_set_new(doc, "cases", arr);
	snprintf(path, sizeof(path), "%s/inject.json", out);
	json_dump_file(doc, path, JSON_INDENT(2));
	json_decref(doc);
	snprintf(path, sizeof(path), "rm -rf '%s'", tmp);
	if (system(path))
		fprintf(stderr, "inject: could not remove %s\n", tmp);
	printf("wrote %s/inject.json and inject.md\n", out);
	return 0;
}
