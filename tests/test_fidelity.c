// SPDX-License-Identifier: MIT
/*
 * test_fidelity.c — `kvmsim fidelity` (workloads/fidelity.c), the
 * benchmark section of a workload file and kvmsim_profile(): what a
 * profile says it was calibrated on, how each row is labelled and
 * measured, and that the report is deterministic. No test here compares a
 * published figure with the profile's constants: the ratios are the
 * report's to show.
 */
#define _GNU_SOURCE /* asprintf() */
#include <criterion/criterion.h>
#include <dirent.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test_util.h"
#include "workloads/workload.h"

#define MICRO KVMSIM_TEST_SRCDIR "/../workloads/microbench"

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/kvmsim-fid-XXXXXX");
	cr_assert(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	cr_expect_eq(system(cmd), 0);
}

TestSuite(fidelity, .init = setup, .fini = teardown);

/* The benchmark rows ("TABLE/ROW") of workloads/microbench/ with their
 * profiles, into @rows (at most @max). */
static unsigned microbench_rows(char rows[][2 * WL_NAME + 2], char profs[][WL_NAME], unsigned max)
{
	DIR *d = opendir(MICRO);
	struct dirent *e;
	unsigned n = 0;

	cr_assert(d, "cannot read %s", MICRO);
	while ((e = readdir(d)) && n < max) {
		char path[512];
		struct workload w;

		if (!strstr(e->d_name, ".yaml"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", MICRO, e->d_name);
		cr_assert_eq(wl_load(&w, path, NULL, 0, stderr), 0, "%s loads", path);
		cr_assert(w.bench.present, "%s has a benchmark section", path);
		snprintf(rows[n], sizeof(rows[n]), "%s/%s", w.bench.table, w.bench.row);
		snprintf(profs[n], sizeof(profs[n]), "%s", w.profile);
		n++;
		wl_free(&w);
	}
	closedir(d);
	return n;
}

/* Each profile fixes its constants on 1 to 3 published rows, and each of
 * them is a microbenchmark file on that profile (the report can show it). */
Test(fidelity, each_profile_names_at_most_three_calibration_rows_each_a_microbenchmark)
{
	static const char *const names[] = { "xgene-gicv2", "altra-gicv3" };
	char rows[64][2 * WL_NAME + 2], profs[64][WL_NAME];
	unsigned n = microbench_rows(rows, profs, 64);

	cr_assert_geq(n, 11, "the ISCA'16 and micro-bench rows");
	for (unsigned i = 0; i < 2; i++) {
		struct kvmsim_profile p;
		unsigned k = 0;

		cr_assert_eq(kvmsim_profile(names[i], &p), 0, "%s", names[i]);
		cr_expect_str_eq(p.name, names[i]);
		cr_expect_gt(p.cpu_hz, 1000000000ull);
		for (; p.calibration[k]; k++) {
			bool found = false;

			for (unsigned j = 0; j < n; j++)
				found |= !strcmp(rows[j], p.calibration[k]) &&
					 !strcmp(profs[j], names[i]);
			cr_expect(found, "%s's calibration row %s has no microbenchmark file",
				  names[i], p.calibration[k]);
		}
		cr_expect(k >= 1 && k <= KVMSIM_MAX_CALIBRATION, "%s: %u calibration rows",
			  names[i], k);
	}
}

Test(fidelity, kvmsim_profile_refuses_what_is_not_a_profile)
{
	struct kvmsim_profile p;

	EXPECT_ERRNO(kvmsim_profile("pentium", &p), ENOENT, "no such profile");
	EXPECT_ERRNO(kvmsim_profile(NULL, &p), EFAULT, "no name");
	EXPECT_ERRNO(kvmsim_profile("altra-gicv3", NULL), EFAULT, "nowhere to put it");
}

/* A 0.3 ms copy of microbench file @name in the test's directory. */
static void short_copy(const char *name)
{
	static const char old[] = "run: {duration_ms: 5,";
	char from[512], to[256], *copy;
	size_t n;
	char *text, *cut;

	snprintf(from, sizeof(from), "%s/%s", MICRO, name);
	snprintf(to, sizeof(to), "%s/in/%s", dir, name);
	text = test_slurp(from, &n);
	cut = strstr(text, old);
	cr_assert(cut, "%s has the usual run line", name);
	*cut = '\0';
	cr_assert(asprintf(&copy, "%srun: {duration_ms: 0.3,%s", text, cut + sizeof(old) - 1) > 0);
	test_spit(to, copy);
	free(copy);
	free(text);
}

static json_t *fidelity_json(const char *out)
{
	char path[256];
	json_error_t e;
	json_t *j;

	snprintf(path, sizeof(path), "%s/fidelity.json", out);
	j = json_load_file(path, 0, &e);
	cr_assert(j, "%s: %s", path, e.text);
	return j;
}

static json_t *row_named(json_t *j, const char *row)
{
	json_t *r;
	size_t i;

	json_array_foreach(json_object_get(j, "rows"), i, r)
		if (!strcmp(json_string_value(json_object_get(r, "row")), row))
			return r;
	cr_assert_fail("no row %s", row);
	return NULL;
}

static double num(json_t *o, const char *a, const char *b)
{
	json_t *x = json_object_get(o, a);

	if (b)
		x = json_object_get(x, b);
	cr_assert(json_is_number(x), "no number %s.%s", a, b ? b : "");
	return json_number_value(x);
}

/* The summary.json of run @name under @out. */
static json_t *summary_of(const char *out, const char *name)
{
	char path[256];
	json_error_t e;
	json_t *j;

	snprintf(path, sizeof(path), "%s/runs/%s/summary.json", out, name);
	j = json_load_file(path, 0, &e);
	cr_assert(j, "%s: %s", path, e.text);
	return j;
}

/*
 * Three rows of both tables: each is labelled by its profile (hvc and
 * virtual IRQ completion calibrate, the IPI predicts), its simulated
 * figure is what the run measured (the latency mean; the acknowledge and
 * EOI; cycles of the profile's clock), its ratio is simulated over
 * published, and a second report of the same files is the same bytes.
 */
Test(fidelity, rows_are_labelled_measured_and_deterministic)
{
	static const char *const files[] = { "kut-hvc.yaml", "kut-ipi.yaml",
					     "isca16-virtual_irq_completion.yaml" };
	char in[128], out1[128], out2[128], p1[256], p2[256];
	const char *paths[1] = { in };
	size_t n1, n2;

	snprintf(in, sizeof(in), "%s/in", dir);
	cr_assert_eq(wl_mkdirs(in), 0);
	for (unsigned i = 0; i < 3; i++)
		short_copy(files[i]);
	snprintf(out1, sizeof(out1), "%s/one", dir);
	snprintf(out2, sizeof(out2), "%s/two", dir);
	cr_assert_eq(wl_fidelity(paths, 1, out1, true, stdout, stderr), 0);
	cr_assert_eq(wl_fidelity(paths, 1, out2, true, stdout, stderr), 0);
	snprintf(p1, sizeof(p1), "%s/fidelity.json", out1);
	snprintf(p2, sizeof(p2), "%s/fidelity.json", out2);
	char *a = test_slurp(p1, &n1), *b = test_slurp(p2, &n2);

	cr_expect(n1 == n2 && !memcmp(a, b, n1), "the same files give the same report");
	free(a);
	free(b);

	json_t *j = fidelity_json(out1), *r, *s;

	r = row_named(j, "hvc");
	cr_expect_str_eq(json_string_value(json_object_get(r, "role")), "calibration");
	cr_expect_str_eq(json_string_value(json_object_get(r, "profile")), "altra-gicv3");
	s = summary_of(out1, "kut-hvc");
	cr_expect_float_eq(num(r, "simulated", NULL),
			   num(json_array_get(json_object_get(s, "sources"), 0), "latency_ns", "mean"),
			   1e-3, "the latency mean, in ns");
	/* fidelity.json keeps 6 significant digits */
	cr_expect_float_eq(num(r, "ratio", NULL), num(r, "simulated", NULL) / 306, 1e-5);
	json_decref(s);

	r = row_named(j, "ipi");
	cr_expect_str_eq(json_string_value(json_object_get(r, "role")), "prediction");
	cr_expect_eq(json_object_get(r, "verified"), json_false());

	r = row_named(j, "virtual_irq_completion");
	cr_expect_str_eq(json_string_value(json_object_get(r, "role")), "calibration");
	cr_expect_str_eq(json_string_value(json_object_get(r, "unit")), "cycles");
	s = summary_of(out1, "isca16-virtual_irq_completion");
	json_t *src = json_array_get(json_object_get(s, "sources"), 0);
	double ns = num(src, "stages_mean_ns", "handler") + num(src, "completion_ns", "mean");

	cr_expect_float_eq(num(r, "simulated", NULL), ns * 2.4, 1e-3,
			   "the acknowledge read and the EOI write, in 2.4 GHz cycles");
	json_decref(s);
	json_decref(j);

	char md[256];
	size_t n;

	snprintf(md, sizeof(md), "%s/fidelity.md", out1);
	char *text = test_slurp(md, &n);

	cr_expect(strstr(text, "Calibrated on: kvm-unit-tests/hvc, kvm-unit-tests/mmio_read_vgic, "
			       "kvm-unit-tests/eoi."),
		  "%s", text);
	cr_expect(strstr(text, "| kvm-unit-tests | ipi | ns | 1926 |"), "%s", text);
	cr_expect(strstr(text, "## Predictions outside +-25 %, and why"), "%s", text);
	free(text);
}

/* wl_fidelity() on @path says @want (and runs nothing). */
static void refused(const char *name, const char *text, const char *want)
{
	char path[256], out[128], *msg = NULL;
	const char *paths[1] = { path };
	size_t len;
	FILE *err = open_memstream(&msg, &len);

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	snprintf(out, sizeof(out), "%s/out-%s", dir, name);
	test_spit(path, text);
	cr_expect_eq(wl_fidelity(paths, 1, out, true, stdout, err), -1, "%s", name);
	fclose(err);
	cr_expect(strstr(msg, want), "%s: expected '%s' in: %s", name, want, msg);
	cr_expect_neq(access(out, F_OK), 0, "%s: nothing ran", name);
	free(msg);
}

#define PLATFORM "platform: {arch: arm64, controller: gicv3, vcpus: 1}\n"
#define RUN "run: {duration_ms: 0.2, seed: 1}\n"

Test(fidelity, a_file_that_is_not_a_benchmark_is_refused_by_file_line_and_field)
{
	refused("plain.yaml",
		PLATFORM "sources:\n  - {name: h, type: hvc, period_us: 10}\n" RUN,
		"plain.yaml: benchmark: missing");
	refused("src.yaml",
		PLATFORM "sources:\n  - {name: h, type: hvc, period_us: 10}\n" RUN
			 "benchmark:\n  table: t\n  row: r\n  published: 10\n  unit: ns\n"
			 "  source: nope\n  cite: c\n  verified: false\n  what: w\n",
		"src.yaml:10: benchmark.source: no source is named 'nope'");
	refused("unit.yaml",
		PLATFORM "sources:\n  - {name: h, type: hvc, period_us: 10}\n" RUN
			 "benchmark: {table: t, row: r, published: 10, unit: s, cite: c, "
			 "verified: false, what: w}\n",
		"unit.yaml:5: benchmark.unit: expected ns | cycles, got 's'");
	refused("acc.yaml",
		PLATFORM "sources:\n  - {name: h, type: hvc, period_us: 10}\n" RUN
			 "benchmark: {table: t, row: r, published: 10, unit: ns, measure: ack_eoi, "
			 "cite: c, verified: false, what: w}\n",
		"benchmark.measure: ack_eoi is an interrupt's; source 'h' makes accesses");
	refused("hand.yaml",
		PLATFORM "sources:\n  - {name: s, type: periodic, spi: 40, period_us: 10}\n" RUN
			 "benchmark: {table: t, row: r, published: 10, unit: ns, "
			 "measure: completion, cite: c, verified: false, what: w}\n",
		"benchmark.measure: completion counts the handler's run time: expected "
		"guest.handler {dist: constant, mean_us: 0}");
	refused("nocite.yaml",
		PLATFORM "sources:\n  - {name: h, type: hvc, period_us: 10}\n" RUN
			 "benchmark: {table: t, row: r, published: 10, unit: ns, verified: false, "
			 "what: w}\n",
		"nocite.yaml:5: benchmark.cite: missing (expected text)");
}

/* A measurement of nothing is an error naming the source, not a row of 0. */
Test(fidelity, a_benchmark_that_measures_nothing_is_an_error)
{
	char path[256], out[128], *msg = NULL;
	const char *paths[1] = { path };
	size_t len;
	FILE *err = open_memstream(&msg, &len);

	snprintf(path, sizeof(path), "%s/idle.yaml", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	/* an access from a guest halted in WFI never happens */
	test_spit(path, PLATFORM "sources:\n  - {name: h, type: hvc, period_us: 10}\n"
				 "guest: {idle: wfi}\n" RUN
				 "benchmark: {table: t, row: r, published: 10, unit: ns, "
				 "cite: c, verified: false, what: w}\n");
	cr_expect_eq(wl_fidelity(paths, 1, out, true, stdout, err), -1);
	fclose(err);
	cr_expect(strstr(msg, "idle.yaml: benchmark.source: 'h' measured nothing"), "%s", msg);
	free(msg);
}
