// SPDX-License-Identifier: MIT
/*
 * test_workload.c — workload files and runs (workloads/README.md): every
 * error path names the file, line and field; same file and seed give a
 * byte-identical summary; a Poisson source's rate is within 3 sigma; the
 * latency on an idle system is the sum of the profile's stages; each
 * handler distribution keeps its mean and median; offered load beyond
 * what the path sustains shows up as coalescing and growing latency,
 * never as silent loss.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <glob.h>
#include <inttypes.h>
#include <jansson.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "models/gic/gic_host.h"
#include "test_util.h"
#include "workloads/workload.h"

#define SCEN KVMSIM_TEST_SRCDIR "/../workloads/scenarios/"

static char dir[64];

static void setup(void)
{
	snprintf(dir, sizeof(dir), "/tmp/kvmsim-wl-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(workload, .init = setup, .fini = teardown);

/* Write @text to DIR/@name; returns the path (static). */
static const char *file(const char *name, const char *text)
{
	static char path[128];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	test_spit(path, text);
	return path;
}

/* Loading must fail with a message containing @want. */
static void refused(const char *yaml, const char *const *sets, unsigned nsets,
		    const char *want)
{
	const char *path = file("w.yaml", yaml);
	char *msg = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);
	struct workload w;

	cr_assert_eq(wl_load(&w, path, sets, nsets, err), -1, "accepted: %s", yaml);
	fclose(err);
	cr_expect(strstr(msg, want), "message '%s' lacks '%s'", msg, want);
	free(msg);
}

#define OK_PLATFORM "platform: {arch: arm64, controller: gicv3, vcpus: 2}\n"
#define OK_SOURCE "sources:\n  - {name: a, type: periodic, spi: 40, period_us: 10}\n"
#define OK_RUN "run: {duration_ms: 1}\n"

Test(workload, every_error_names_file_line_and_field)
{
	char want[256];

	refused("platform: [\n", NULL, 0, "w.yaml:");
	refused("- a\n- b\n", NULL, 0, "expected a mapping");
	refused(OK_PLATFORM OK_SOURCE OK_RUN "colour: red\n", NULL, 0,
		"w.yaml:5: colour: unknown field");
	/* a node at the file's very start (line 1, column 1) is the file's,
	 * not an override's */
	refused(OK_SOURCE OK_RUN, NULL, 0, "w.yaml:1: platform: missing");
	refused("colour: red\n" OK_PLATFORM OK_SOURCE OK_RUN, NULL, 0,
		"w.yaml:1: colour: unknown field");
	refused("platform: {arch: x86, controller: gicv3, vcpus: 1}\n" OK_SOURCE OK_RUN, NULL, 0,
		"w.yaml:1: platform.arch: expected arm64, got 'x86'");
	refused("platform: {arch: arm64, controller: gic5, vcpus: 1}\n" OK_SOURCE OK_RUN, NULL, 0,
		"platform.controller: expected gicv2 | gicv3, got 'gic5'");
	refused("platform: {arch: arm64, controller: gicv2, vcpus: 8}\n" OK_SOURCE OK_RUN, NULL,
		0, "platform.vcpus: expected a number from 1 to 7, got 8");
	refused("platform: {arch: arm64, controller: gicv3, vcpus: two}\n" OK_SOURCE OK_RUN, NULL,
		0, "platform.vcpus: expected a number, got 'two'");
	refused(OK_PLATFORM "sources:\n  - {name: d, type: mmio, ioeventfd: true, period_us: 10}\n"
			OK_RUN,
		NULL, 0,
		"w.yaml:3: sources[0].ioeventfd: an ioeventfd is signalled by stores: expected write: "
		"true beside it");
	refused("platform: {arch: arm64, controller: gicv3, vcpus: 256}\n" OK_SOURCE OK_RUN, NULL,
		0, "platform.vcpus: expected a number from 1 to 255, got 256");
	refused("platform: {arch: arm64, controller: gicv3, vcpus: 1, noise: some}\n" OK_SOURCE
			OK_RUN,
		NULL, 0, "w.yaml:1: platform.noise: expected off | on, got 'some'");
	refused("platform: {arch: arm64, controller: gicv3, vcpus: 2, pcpus: 3}\n" OK_SOURCE
			OK_RUN,
		NULL, 0, "platform.pcpus: expected a number from 1 to 2, got 3");
	refused("platform: {arch: arm64, controller: gicv3, vcpus: 2, halt_poll_us: -1}\n"
		OK_SOURCE OK_RUN, NULL, 0, "platform.halt_poll_us: expected a number from 0");
	refused("platform: {arch: arm64, controller: gicv3, vcpus: 1, profile: xgene-gicv2}\n"
		OK_SOURCE OK_RUN, NULL, 0, "platform.profile: expected altra-gicv3");
	refused(OK_PLATFORM "sources: []\n" OK_RUN, NULL, 0,
		"sources: expected a list of at least one source");
	refused(OK_PLATFORM "sources:\n  - {type: laser, spi: 40}\n" OK_RUN, NULL, 0,
		"w.yaml:3: sources[0].type: expected periodic | poisson");
	refused(OK_PLATFORM "sources:\n  - {type: periodic, spi: 20, period_us: 1}\n" OK_RUN,
		NULL, 0, "sources[0].spi: expected a number from 32 to 1019, got 20");
	refused(OK_PLATFORM "sources:\n  - {type: periodic, spi: 40}\n" OK_RUN, NULL, 0,
		"sources[0].period_us: missing");
	refused(OK_PLATFORM "sources:\n  - {type: ipi, from: 1, to: 1, period_us: 5}\n" OK_RUN,
		NULL, 0, "an IPI goes to another vCPU");
	refused(OK_PLATFORM "sources:\n  - {type: ipi, from: 0, to: 2, period_us: 5}\n" OK_RUN,
		NULL, 0, "sources[0].to: expected a number from 0 to 1, got 2");
	refused(OK_PLATFORM "sources:\n  - {type: periodic, spi: 40, period_us: 1}\n"
			    "  - {type: poisson, spi: 40, rate_hz: 10}\n" OK_RUN,
		NULL, 0, "w.yaml:4: sources[1]: same name or interrupt as sources[0]");
	refused(OK_PLATFORM "sources:\n  - {type: mmio, width: 3, period_us: 1}\n" OK_RUN, NULL,
		0, "w.yaml:3: sources[0].width: expected 1, 2, 4 or 8 bytes, got 3");
	refused(OK_PLATFORM "sources:\n  - {type: mmio, addr: 0x1002, period_us: 1}\n" OK_RUN,
		NULL, 0, "sources[0].addr: expected an address aligned to the width (4 bytes)");
	refused(OK_PLATFORM "sources:\n  - {type: mmio, addr: 0x10000000000, period_us: 1}\n"
		OK_RUN, NULL, 0, "sources[0].addr: expected a number from 0 to 1099511627775");
	refused(OK_PLATFORM "sources:\n  - {type: mmio, vcpu: 2, period_us: 1}\n" OK_RUN, NULL,
		0, "sources[0].vcpu: expected a number from 0 to 1, got 2");
	refused(OK_PLATFORM "sources:\n  - {type: mmio, write: maybe, period_us: 1}\n" OK_RUN,
		NULL, 0, "sources[0].write: expected false | true, got 'maybe'");
	refused(OK_PLATFORM "sources:\n  - {type: mmio, period_us: 1, service: {mean_us: -1}}\n"
		OK_RUN, NULL, 0, "sources[0].service.mean_us: expected a number from 0");
	refused("platform: {arch: arm64, controller: gicv2, vcpus: 1}\n"
		"sources:\n  - {type: mmio, addr: 0x0801000c, period_us: 1}\n" OK_RUN,
		NULL, 0, "w.yaml:3: sources[0].addr: GICv2's CPU interface (0x8010000-0x8011fff) is "
			 "hardware the guest reaches without a trap");
	refused(OK_PLATFORM OK_SOURCE "guest: {vcpus: {2: {idle: wfi}}}\n" OK_RUN, NULL, 0,
		"w.yaml:4: guest.vcpus.2: expected a vCPU number from 0 to 1");
	refused(OK_PLATFORM OK_SOURCE "guest: {vcpus: {one: {idle: wfi}}}\n" OK_RUN, NULL, 0,
		"guest.vcpus.one: expected a vCPU number from 0 to 1");
	refused(OK_PLATFORM OK_SOURCE "guest: {vcpus: {1: {idle: nap}}}\n" OK_RUN, NULL, 0,
		"guest.vcpus.1.idle: expected busy | wfi, got 'nap'");
	refused(OK_PLATFORM OK_SOURCE "guest: {vcpus: {1: {mask: {every_us: 1}}}}\n" OK_RUN, NULL,
		0, "guest.vcpus.1.mask: unknown field");
	refused(OK_PLATFORM OK_SOURCE "guest: {vcpus: [wfi]}\n" OK_RUN, NULL, 0,
		"guest.vcpus: expected a mapping of vCPU numbers");
	refused(OK_PLATFORM OK_SOURCE "guest: {vcpus: {1: {handler: {dist: zipf}}}}\n" OK_RUN,
		NULL, 0, "guest.vcpus.1.handler.dist: expected constant | uniform");
	refused(OK_PLATFORM "sources:\n  - {type: hvc}\n" OK_RUN, NULL, 0,
		"sources[0].period_us: missing");
	refused(OK_PLATFORM "sources:\n  - {name: a, type: mmio, period_us: 1}\n"
			    "  - {name: b, type: mmio, rate_hz: 100}\n" OK_RUN,
		NULL, 0, "w.yaml:4: sources[1]: the same access (type, vcpu, addr) as sources[0]");
	refused(OK_PLATFORM OK_SOURCE "guest: {handler: {dist: zipf}}\n" OK_RUN, NULL, 0,
		"guest.handler.dist: expected constant | uniform");
	refused(OK_PLATFORM OK_SOURCE "guest: {handler: {dist: uniform, min_us: 3, max_us: 1}}\n"
		OK_RUN, NULL, 0, "guest.handler.max_us: expected a number from 3 to");
	refused(OK_PLATFORM OK_SOURCE "guest: {mask: {every_us: 10, for_us: 20}}\n" OK_RUN, NULL,
		0, "guest.mask.for_us: expected a number from 0 to 10, got 20");
	refused(OK_PLATFORM OK_SOURCE, NULL, 0, "run: missing");
	refused(OK_PLATFORM OK_SOURCE "run: {duration_ms: 1, warmup_ms: 2}\n", NULL, 0,
		"run.warmup_ms: expected a number from 0 to 1, got 2");
	refused(OK_PLATFORM OK_SOURCE "run: {duration_ms: 1,\n      warmup_ms: 1}\n", NULL, 0,
		"w.yaml:5: run.warmup_ms: expected less than duration_ms (1): the run would "
		"measure nothing");
	refused("platform: {arch: arm64, controller: gicv3, vcpus: 1.5}\n" OK_SOURCE OK_RUN, NULL,
		0, "w.yaml:1: platform.vcpus: expected a whole number, got 1.5");
	/* a seed is a whole number a summary's JSON number holds exactly; its
	 * bound is written in full */
	refused(OK_PLATFORM OK_SOURCE "run: {duration_ms: 1, seed: 1.5}\n", NULL, 0,
		"w.yaml:4: run.seed: expected a whole number, got 1.5");
	refused(OK_PLATFORM OK_SOURCE "run: {duration_ms: 1, seed: -1}\n", NULL, 0,
		"w.yaml:4: run.seed: expected a number from 0 to 9007199254740992, got -1");
	refused(OK_PLATFORM OK_SOURCE "run: {duration_ms: 1e7}\n", NULL, 0,
		"w.yaml:4: run.duration_ms: expected a number from 0.001 to 1000000, got 1e7");
	refused("name: \"a b\"\n" OK_PLATFORM OK_SOURCE OK_RUN, NULL, 0,
		"w.yaml:1: name: expected letters, digits, '-', '_' or '.', got 'a b'");
	refused(OK_PLATFORM "sources:\n  - {name: \"\", type: periodic, spi: 40, period_us: 10}\n"
		OK_RUN, NULL, 0, "w.yaml:3: sources[0].name: expected a name of 1 to");
	file("empty.csv", "time_us\n");
	refused(OK_PLATFORM "sources:\n  - {type: replay, spi: 40, file: empty.csv}\n" OK_RUN,
		NULL, 0, "holds no assertion times");
	refused("", NULL, 0, "empty file (expected a workload mapping)");
	refused(OK_PLATFORM "sources:\n  - {type: replay, spi: 40, file: nope.csv}\n" OK_RUN,
		NULL, 0, "sources[0].file: cannot read");
	file("bad.csv", "time_us\n1.5\n0.5\n");
	refused(OK_PLATFORM "sources:\n  - {type: replay, spi: 40, file: bad.csv}\n" OK_RUN,
		NULL, 0, "bad.csv:3: time_us: expected a time in microseconds");
	snprintf(want, sizeof(want), "cannot read workload '%s/none.yaml'", dir);
	{
		char path[128], *msg = NULL;
		size_t len = 0;
		FILE *err = open_memstream(&msg, &len);
		struct workload w;

		snprintf(path, sizeof(path), "%s/none.yaml", dir);
		cr_assert_eq(wl_load(&w, path, NULL, 0, err), -1);
		fclose(err);
		cr_expect(strstr(msg, want), "%s", msg);
		free(msg);
	}
}

/*
 * The error paths the test above leaves: a required choice missing, a
 * replay source's file missing or not a name, a 33rd source, two timers
 * of one vCPU (one PPI), and a replay CSV named by an absolute path, which
 * is read as it is.
 */
Test(workload, more_errors_name_file_line_and_field)
{
	char yaml[4096], csv[128];
	size_t off;
	struct workload w;

	refused(OK_PLATFORM "sources:\n  - {spi: 40, period_us: 10}\n" OK_RUN, NULL, 0,
		"w.yaml:3: sources[0].type: missing");
	refused("platform: {arch: arm64, vcpus: 1}\n" OK_SOURCE OK_RUN, NULL, 0,
		"w.yaml:1: platform.controller: missing");
	refused(OK_PLATFORM "sources:\n  - {type: replay, spi: 40}\n" OK_RUN, NULL, 0,
		"w.yaml:3: sources[0].file: missing (expected a CSV file of time_us)");
	refused(OK_PLATFORM "sources:\n  - {type: replay, spi: 40, file: [a.csv]}\n" OK_RUN,
		NULL, 0, "w.yaml:3: sources[0].file: expected a CSV file name");
	off = (size_t)snprintf(yaml, sizeof(yaml), OK_PLATFORM "sources:\n");
	for (unsigned i = 0; i <= WL_MAX_SOURCES; i++)
		off += (size_t)snprintf(yaml + off, sizeof(yaml) - off,
					"  - {type: periodic, spi: %u, period_us: 10}\n", 40 + i);
	snprintf(yaml + off, sizeof(yaml) - off, OK_RUN);
	refused(yaml, NULL, 0, "w.yaml:35: sources: at most 32 sources");
	refused(OK_PLATFORM "sources:\n  - {name: t1, type: timer, vcpu: 1, period_us: 10}\n"
			    "  - {name: t2, type: timer, vcpu: 1, period_us: 20}\n" OK_RUN,
		NULL, 0, "w.yaml:4: sources[1]: same name or interrupt as sources[0]");
	/* one timer per vCPU is fine: the same PPI, another vCPU */
	cr_assert_eq(wl_load(&w, file("w.yaml", OK_PLATFORM
				      "sources:\n  - {name: t0, type: timer, vcpu: 0, period_us: 10}\n"
				      "  - {name: t1, type: timer, vcpu: 1, period_us: 20}\n" OK_RUN),
			     NULL, 0, stderr),
		     0);
	wl_free(&w);
	/* an absolute path, from another folder */
	snprintf(csv, sizeof(csv), "%s/abs.csv", dir);
	file("abs.csv", "time_us\n1.5\n7\n");
	snprintf(yaml, sizeof(yaml),
		 OK_PLATFORM "sources:\n  - {type: replay, spi: 40, file: %s}\n" OK_RUN, csv);
	cr_assert_eq(chdir("/"), 0);
	cr_assert_eq(wl_load(&w, file("sub.yaml", yaml), NULL, 0, stderr), 0);
	cr_expect_eq(w.src[0].nreplay, 2);
	cr_expect(w.src[0].replay_us[0] == 1.5 && w.src[0].replay_us[1] == 7);
	wl_free(&w);
}

/* --set paths that name no field, each told what is wrong with it: through
 * a value, ending on a list entry, an empty key, deeper than 16 keys, past
 * a list's end or not a number there, or into a file with no mapping. */
Test(workload, overrides_that_name_no_field)
{
	static const char *const through_scalar[] = { "run.duration_ms.x=3" };
	static const char *const list_end[] = { "sources.0=3" };
	static const char *const empty[] = { "..=3" };
	static const char *const empty_tail[] = { "guest.=3" };
	static const char *const deep[] = { "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q=1" };
	static const char *const not_index[] = { "sources.first.rate_hz=1" };

	/* the value's place in the file is named */
	refused(OK_PLATFORM OK_SOURCE OK_RUN, through_scalar, 1,
		"/w.yaml:4: run.duration_ms: expected a mapping (--set 'run.duration_ms.x=3' sets "
		"a field in it)");
	refused(OK_PLATFORM OK_SOURCE OK_RUN, list_end, 1,
		"--set 'sources.0=3': sources.0 is a whole entry; set one of its fields "
		"(sources.0.FIELD=VALUE)");
	refused(OK_PLATFORM OK_SOURCE OK_RUN, empty, 1,
		"--set '..=3': expected a key between each two dots");
	refused(OK_PLATFORM OK_SOURCE OK_RUN, empty_tail, 1,
		"--set 'guest.=3': expected a key between each two dots");
	refused(OK_PLATFORM OK_SOURCE OK_RUN, deep, 1,
		"--set 'a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q=1': no such field in");
	refused(OK_PLATFORM OK_SOURCE OK_RUN, not_index, 1,
		"--set 'sources.first.rate_hz=1': sources in");
	refused(OK_PLATFORM OK_SOURCE OK_RUN, not_index, 1,
		"has 1 entry, numbered from 0: no entry 'first'");
	/* a file with no fields to set: what is wrong with the file is said,
	 * at its line, as without --set */
	refused("", list_end, 1, "/w.yaml: empty file (expected a workload mapping)");
	refused("- a\n", list_end, 1, "/w.yaml:1: expected a mapping");
}

/*
 * A key missing on the way is made, a mapping for each: masking windows on
 * a workload with none (guest.mask), or with no guest at all. What --set
 * made is checked like the file, and named "(--set)": a mask needs both
 * its fields.
 */
Test(workload, overrides_make_the_mappings_they_go_through)
{
	static const char *const mask[] = { "guest.mask.every_us=100", "guest.mask.for_us=20" };
	static const char *const half[] = { "guest.mask.every_us=100" };
	static const char *const unknown[] = { "guest.masks.every_us=100" };
	struct workload w;
	const char *path;

	path = file("busy.yaml", OK_PLATFORM OK_SOURCE "guest: {idle: busy}\n" OK_RUN);
	cr_assert_eq(wl_load(&w, path, mask, 2, stderr), 0);
	cr_expect_eq(w.mask_every_us, 100);
	cr_expect_eq(w.mask_for_us, 20);
	cr_expect(!w.guest_wfi, "the guest's other fields stay");
	wl_free(&w);
	path = file("noguest.yaml", OK_PLATFORM OK_SOURCE OK_RUN);
	cr_assert_eq(wl_load(&w, path, mask, 2, stderr), 0);
	cr_expect_eq(w.mask_every_us, 100);
	cr_expect_eq(w.mask_for_us, 20);
	wl_free(&w);
	refused(OK_PLATFORM OK_SOURCE "guest: {idle: busy}\n" OK_RUN, half, 1,
		"w.yaml: (--set) guest.mask.for_us: missing");
	refused(OK_PLATFORM OK_SOURCE OK_RUN, unknown, 1, "w.yaml: (--set) guest.masks: unknown field");
}

Test(workload, overrides_are_checked_like_the_file)
{
	static const char *const bad_value[] = { "run.duration_ms=-3" };
	static const char *const bad_key[] = { "run.speed=3" };
	static const char *const bad_path[] = { "sources.4.rate_hz=3" };
	static const char *const no_eq[] = { "run.seed" };
	static const char *const good[] = { "sources.0.period_us=20", "guest.idle=wfi" };
	const char *path;
	struct workload w;

	refused(OK_PLATFORM OK_SOURCE OK_RUN, bad_value, 1,
		"(--set) run.duration_ms: expected a number from 0.001");
	refused(OK_PLATFORM OK_SOURCE OK_RUN, bad_key, 1, "(--set) run.speed: unknown field");
	refused(OK_PLATFORM OK_SOURCE OK_RUN, bad_path, 1,
		"--set 'sources.4.rate_hz=3': sources in");
	refused(OK_PLATFORM OK_SOURCE OK_RUN, bad_path, 1, "has 1 entry, numbered from 0: no entry '4'");
	refused(OK_PLATFORM OK_SOURCE OK_RUN, no_eq, 1, "expected KEY=VALUE");
	path = file("ok.yaml", OK_PLATFORM OK_SOURCE "guest: {idle: busy}\n" OK_RUN);
	cr_assert_eq(wl_load(&w, path, good, 2, stderr), 0);
	cr_expect_eq(w.src[0].period_us, 20);
	cr_expect(w.guest_wfi);
	cr_expect_str_eq(w.name, "ok", "the default name is the file's stem");
	wl_free(&w);
}

Test(workload, the_scenario_library_loads)
{
	static const char *const names[] = {
		"gicv2-spi-busy", "gicv2-spi-idle", "gicv3-bursts", "gicv3-forwarded-vs-emulated",
		"gicv3-ipi-storm", "gicv3-ipi", "gicv3-replay", "gicv3-saturation",
		"gicv3-spi-busy", "gicv3-spi-idle", "gicv3-timer-busy", "gicv3-timer-idle",
		"gicv3-overcommit", "gicv3-masking",
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char path[256];
		struct workload w;

		snprintf(path, sizeof(path), SCEN "%s.yaml", names[i]);
		cr_assert_eq(wl_load(&w, path, NULL, 0, stderr), 0, "%s", path);
		cr_expect_str_eq(w.name, names[i]);
		wl_free(&w);
	}
}

/* Run @path (with @sets) into DIR/@sub; returns the parsed summary. */
/* @path with the @nsets overrides @sets, on a host that is quiet (the
 * profile's bare stage sums, which most tests here check) unless @noisy. */
static json_t *run_host(const char *path, const char *const *sets, unsigned nsets,
			const char *sub, bool noisy)
{
	struct workload w;
	char out[128], sum[160];
	struct wl_run_opts o = { .outdir = out, .quiet = true };
	json_error_t e;
	json_t *j;
	const char *all[24];

	cr_assert_lt(nsets, 24);
	if (nsets)
		memcpy(all, sets, nsets * sizeof(*sets));
	all[nsets] = "platform.noise=off";
	snprintf(out, sizeof(out), "%s/%s", dir, sub);
	cr_assert_eq(wl_load(&w, path, all, nsets + !noisy, stderr), 0);
	cr_assert_eq(wl_run(&w, &o, stderr), 0);
	wl_free(&w);
	snprintf(sum, sizeof(sum), "%s/summary.json", out);
	j = json_load_file(sum, 0, &e);
	cr_assert_not_null(j, "%s: %s", sum, e.text);
	return j;
}

static json_t *run(const char *path, const char *const *sets, unsigned nsets, const char *sub)
{
	return run_host(path, sets, nsets, sub, false);
}

static json_t *src0(json_t *sum)
{
	return json_array_get(json_object_get(sum, "sources"), 0);
}

static int64_t ival(json_t *o, const char *a, const char *b)
{
	json_t *v = json_object_get(o, a);

	return json_integer_value(b ? json_object_get(v, b) : v);
}

/* with the host's noise: its streams are the seed's too */
Test(workload, same_file_and_seed_give_the_same_bytes)
{
	static const char *const short_run[] = { "run.duration_ms=1", "run.warmup_ms=0.1" };
	static const char *const other_seed[] = { "run.duration_ms=1", "run.warmup_ms=0.1",
						  "run.seed=4" };
	char a[160], b[160], c[160];
	size_t na, nb, nc;
	char *x, *y, *z;

	json_decref(run_host(SCEN "gicv3-saturation.yaml", short_run, 2, "a", true));
	json_decref(run_host(SCEN "gicv3-saturation.yaml", short_run, 2, "b", true));
	json_decref(run_host(SCEN "gicv3-saturation.yaml", other_seed, 3, "c", true));
	snprintf(a, sizeof(a), "%s/a/summary.json", dir);
	snprintf(b, sizeof(b), "%s/b/summary.json", dir);
	snprintf(c, sizeof(c), "%s/c/summary.json", dir);
	x = test_slurp(a, &na);
	y = test_slurp(b, &nb);
	z = test_slurp(c, &nc);
	cr_expect(na == nb && !memcmp(x, y, na), "summaries differ");
	cr_expect(na != nc || memcmp(x, z, na), "another seed, another run");
	free(x);
	free(y);
	free(z);
	snprintf(a, sizeof(a), "%s/a/latency_load.csv", dir);
	cr_expect_eq(access(a, R_OK), 0, "the histogram CSV");
}

/*
 * A VM as large as 4.4's arm64 KVM allows (KVM_MAX_VCPUS 255): its
 * redistributors in QEMU virt's second region, an IPI from vCPU 0 to vCPU
 * 254 (ICC_SGI1R_EL1's Aff1 = 15, target list bit 14) and an SPI to vCPU 0
 * are delivered, each at the same latency as in a VM of two.
 */
Test(workload, a_vm_of_255_vcpus_runs)
{
	const char *path = file("big.yaml",
				"platform: {arch: arm64, controller: gicv3, vcpus: 2}\n"
				"sources:\n"
				"  - {name: ipi, type: ipi, from: 0, to: 1, period_us: 20}\n"
				"  - {name: nic, type: periodic, spi: 40, period_us: 20}\n"
				"guest: {idle: busy}\n"
				"run: {duration_ms: 0.5, warmup_ms: 0.1, seed: 1}\n");
	static const char *const far[] = { "platform.vcpus=255", "sources.0.to=254" };
	json_t *two = run(path, NULL, 0, "two");
	json_t *big = run(path, far, 2, "big");

	cr_expect_eq(json_integer_value(json_object_get(big, "vcpus")), 255);
	for (size_t i = 0; i < 2; i++) {
		json_t *a = json_array_get(json_object_get(two, "sources"), i);
		json_t *b = json_array_get(json_object_get(big, "sources"), i);

		cr_expect_gt(ival(b, "delivered", NULL), 0, "source %zu", i);
		cr_expect_eq(ival(b, "delivered", NULL), ival(a, "delivered", NULL), "source %zu", i);
		cr_expect_eq(ival(b, "latency_ns", "p50"), ival(a, "latency_ns", "p50"),
			     "source %zu", i);
	}
	json_decref(two);
	json_decref(big);
}

/*
 * The host's noise is on unless the file says off: a busy guest's
 * periodic SPI, every one alike on a quiet host (p50 = p99 = max), spreads
 * on a noisy one (p99 above p50) around the same mean, and summary.json
 * says which it was.
 */
Test(workload, a_noisy_host_spreads_the_latency_around_the_quiet_mean)
{
	static const char *const two_ms[] = { "run.duration_ms=2", "run.warmup_ms=0.1" };
	json_t *noisy = run_host(SCEN "gicv3-spi-busy.yaml", two_ms, 2, "noisy", true);
	json_t *quiet = run_host(SCEN "gicv3-spi-busy.yaml", two_ms, 2, "quiet", false);
	json_t *n = src0(noisy), *q = src0(quiet);
	double mn = json_number_value(json_object_get(json_object_get(n, "latency_ns"), "mean"));
	double mq = json_number_value(json_object_get(json_object_get(q, "latency_ns"), "mean"));

	cr_expect_eq(json_object_get(noisy, "noise"), json_true());
	cr_expect_eq(json_object_get(quiet, "noise"), json_false());
	cr_expect_eq(ival(q, "latency_ns", "p50"), ival(q, "latency_ns", "max"));
	cr_expect_gt(ival(n, "latency_ns", "p99"), ival(n, "latency_ns", "p50"));
	cr_expect_lt(ival(n, "latency_ns", "min"), ival(n, "latency_ns", "p50"));
	cr_expect(fabs(mn / mq - 1) < 0.05, "noisy mean %.1f ns, quiet %.1f ns", mn, mq);
	cr_expect_eq(ival(n, "delivered", NULL), ival(q, "delivered", NULL));
	json_decref(noisy);
	json_decref(quiet);
}

/* host.json: the host-side figures of a run (not deterministic), and how
 * the kvmsim that ran was built, so that host-time figures are compared
 * only between like builds. */
Test(workload, host_json_has_the_speed_and_the_build)
{
	static const char *const short_run[] = { "run.duration_ms=1", "run.warmup_ms=0.1" };
	static const char *const kinds[] = { "plain (configure's CFLAGS)",
					     "profile-opt (GCC PGO + LTO)",
					     "profile-generate (instrumented)" };
	json_t *sum = run(SCEN "gicv3-spi-busy.yaml", short_run, 2, "host"), *h;
	char path[160];
	const char *b;
	double secs, ips;
	bool known = false;

	snprintf(path, sizeof(path), "%s/host/host.json", dir);
	h = json_load_file(path, 0, NULL);
	cr_assert_not_null(h, "%s", path);
	b = json_string_value(json_object_get(h, "build"));
	cr_assert_not_null(b, "host.json names the build");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		known |= !strcmp(b, kinds[i]);
	cr_expect(known, "unknown build '%s'", b);
	secs = json_real_value(json_object_get(h, "host_seconds"));
	ips = json_real_value(json_object_get(h, "injections_per_second"));
	cr_expect_gt(secs, 0);
	cr_expect_gt(json_integer_value(json_object_get(h, "events")), 0);
	cr_expect_float_eq(ips * secs, (double)ival(sum, "delivered", NULL), 1e-6 * ips * secs,
			   "injections per second is delivered over host seconds");
	json_decref(h);
	json_decref(sum);
}

Test(workload, same_file_and_seed_give_the_same_trace)
{
	static const char *const sets[] = { "run.duration_ms=0.3", "run.warmup_ms=0" };
	char ta[128], tb[128], out[128];
	size_t na, nb;
	char *x, *y;

	for (int i = 0; i < 2; i++) {
		struct workload w;
		struct wl_run_opts o = { .outdir = out, .trace = i ? tb : ta, .quiet = true };

		snprintf(ta, sizeof(ta), "%s/a.trace", dir);
		snprintf(tb, sizeof(tb), "%s/b.trace", dir);
		snprintf(out, sizeof(out), "%s/t%d", dir, i);
		cr_assert_eq(wl_load(&w, SCEN "gicv3-ipi-storm.yaml", sets, 2, stderr), 0);
		cr_assert_eq(wl_run(&w, &o, stderr), 0);
		wl_free(&w);
	}
	x = test_slurp(ta, &na);
	y = test_slurp(tb, &nb);
	cr_expect_gt(na, 1000, "a real trace");
	cr_expect(na == nb && !memcmp(x, y, na), "traces differ");
	cr_expect(strstr(x, "cpu exit") && strstr(x, "vgic kick"), "model events in it");
	free(x);
	free(y);
}

/* --perfetto: the same events as the text trace, as Chrome Trace Event
 * JSON, each vCPU's CPU events on a track of its own. */
Test(workload, the_perfetto_trace_has_the_text_traces_events)
{
	static const char *const sets[] = { "run.duration_ms=0.2", "run.warmup_ms=0" };
	struct workload w;
	char out[128], text[128], pf[128];
	struct wl_run_opts o = { .outdir = out, .trace = text, .perfetto = pf, .quiet = true };
	size_t n, lines = 0, instants = 0, i;
	char *t;
	json_t *root, *evs, *e;
	json_error_t je;
	bool vcpu_track[4] = { 0 };

	snprintf(out, sizeof(out), "%s/pf", dir);
	snprintf(text, sizeof(text), "%s/pf.trace", dir);
	snprintf(pf, sizeof(pf), "%s/pf.json", dir);
	cr_assert_eq(wl_load(&w, SCEN "gicv3-ipi.yaml", sets, 2, stderr), 0);
	cr_assert_eq(wl_run(&w, &o, stderr), 0);
	wl_free(&w);
	t = test_slurp(text, &n);
	for (char *c = t; *c; c++)
		lines += *c == '\n';
	free(t);
	root = json_load_file(pf, 0, &je);
	cr_assert_not_null(root, "%s:%d: %s", pf, je.line, je.text);
	evs = json_object_get(root, "traceEvents");
	json_array_foreach(evs, i, e) {
		const char *ph = json_string_value(json_object_get(e, "ph"));
		const char *name = json_string_value(json_object_get(json_object_get(e, "args"),
								     "name"));
		unsigned v;

		if (!strcmp(ph, "i"))
			instants++;
		else if (name && sscanf(name, "cpu vcpu=%u", &v) == 1 && v < 4)
			vcpu_track[v] = true;
	}
	cr_expect_gt(instants, 100);
	cr_expect_eq(instants, lines - 1, "every event of the text trace (less its header)");
	cr_expect(vcpu_track[0] && vcpu_track[1], "a track per vCPU");
	json_decref(root);
}

/* A run that cannot write its results (here a file-size limit, as a full
 * disk) fails naming each file and why, and leaves the run directory as
 * the last run left it: no file cut short, none of one run mixed with
 * another's. A trace cut short fails the run too. */
Test(workload, a_run_that_cannot_write_leaves_the_last_results_whole)
{
	static const char *const first[] = { "run.duration_ms=1", "run.warmup_ms=0.1" };
	static const char *const second[] = { "run.duration_ms=1", "run.warmup_ms=0.1",
					       "run.seed=9" };
	const rlim_t limit = 1000;
	struct rlimit lim;
	struct workload w;
	char out[128], path[160], trace[128];
	struct wl_run_opts o = { .outdir = out, .trace = trace, .quiet = true };
	char *before[2], *after[2], *msg = NULL;
	size_t nb[2], na[2], len;
	static const char *const files[] = { "summary.json", "latency_nic.csv" };
	FILE *err;

	json_decref(run(SCEN "gicv3-spi-busy.yaml", first, 2, "keep"));
	snprintf(out, sizeof(out), "%s/keep", dir);
	snprintf(trace, sizeof(trace), "%s/t.trace", dir);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s/%s", out, files[i]);
		before[i] = test_slurp(path, &nb[i]);
	}
	cr_assert_gt(nb[0], limit, "summary.json is over the limit");
	cr_assert_lt(nb[1], limit, "the CSV is under it");

	cr_assert_eq(wl_load(&w, SCEN "gicv3-spi-busy.yaml", second, 3, stderr), 0);
	err = open_memstream(&msg, &len);
	test_fsize_limit(limit, &lim);
	int ret = wl_run(&w, &o, err);

	test_fsize_restore(&lim);
	fclose(err);
	wl_free(&w);
	cr_expect_eq(ret, -1, "the run fails");
	cr_expect(strstr(msg, "t.trace: File too large (what it holds is cut short)"), "%s", msg);
	cr_expect(strstr(msg, "keep/summary.json: File too large"), "%s", msg);
	cr_expect(strstr(msg, "keep: the run's results are not written"), "%s", msg);
	for (int i = 0; i < 2; i++) {
		/* the CSV was written whole, but not put beside another run's
		 * summary */
		snprintf(path, sizeof(path), "%s/%s", out, files[i]);
		after[i] = test_slurp(path, &na[i]);
		cr_expect(na[i] == nb[i] && !memcmp(before[i], after[i], na[i]),
			  "%s changed", files[i]);
		free(before[i]);
		free(after[i]);
		snprintf(path, sizeof(path), "%s/%s.tmp", out, files[i]);
		cr_expect_neq(access(path, F_OK), 0, "%s left behind", path);
	}
	free(msg);
}

/* A one-source Poisson run of @yaml (written to @name.yaml, output in
 * @name) asserts its rate x duration within 3 sigma. */
static void expect_poisson_count(const char *name, const char *yaml, double rate_hz,
				 double duration_s)
{
	char path[64];
	json_t *sum;
	double n, expect = rate_hz * duration_s;

	snprintf(path, sizeof(path), "%s.yaml", name);
	sum = run(file(path, yaml), NULL, 0, name);
	n = (double)ival(src0(sum), "asserted", NULL);

	cr_expect_leq(fabs(n - expect), 3 * sqrt(expect), "%g assertions, expected %g +- %g", n,
		      expect, 3 * sqrt(expect));
	json_decref(sum);
}

Test(workload, a_poisson_source_keeps_its_rate)
{
	expect_poisson_count("p",
			     "platform: {arch: arm64, controller: gicv3, vcpus: 1}\n"
			     "sources:\n"
			     "  - {name: p, type: poisson, spi: 40, rate_hz: 50000}\n"
			     "guest: {idle: wfi, handler: {mean_us: 0.5}}\n"
			     "run: {duration_ms: 40, warmup_ms: 0, seed: 11}\n",
			     50000, 0.040);
}

/*
 * At 10^8 arrivals/s (mean gap 10 ns) about one gap in 20 000 is below
 * half a picosecond and rounds to zero: the source must go on to the end
 * of the run (it used to stop there), still within 3 sigma of its rate.
 */
Test(workload, a_fast_poisson_source_runs_to_the_end)
{
	expect_poisson_count("f",
			     "platform: {arch: arm64, controller: gicv3, vcpus: 1}\n"
			     "sources:\n"
			     "  - {name: p, type: poisson, spi: 40, rate_hz: 1e8}\n"
			     "guest: {idle: busy, handler: {mean_us: 0.5}}\n"
			     "run: {duration_ms: 2, warmup_ms: 0, seed: 5}\n",
			     1e8, 0.002);
}

/* Idle system, idle guest: KVM_IRQ_LINE's injection, the wake-up, the
 * flush of one LR with the world switch in, the guest's exception entry
 * and acknowledge (gic.md §8.1, the Altra profile). */
static uint64_t idle_spi_ps(void)
{
	const struct gic_host_profile *p = &gic_profile_altra;
	struct sim_clock clk;

	sim_clock_init_hz(&clk, p->cpu_hz);
	/* KVM_IRQ_LINE's system call and the injection, the lines the I/O
	 * thread's pCPU fetches, the wake-up, the flush (the lines back) */
	return sim_clock_time(&clk, p->syscall + p->cpu.inject) +
	       sim_clock_time(&clk, 3ull * p->line_xfer) + sim_clock_time(&clk, p->cpu.wakeup) +
	       sim_clock_time(&clk, p->flush_base + p->flush_per_lr + 7ull * p->hyp_write +
					    3ull * p->line_xfer + p->cpu.entry) +
	       sim_clock_time(&clk, p->cpu.guest_exc_entry) + sim_clock_time(&clk, p->guest_read);
}

Test(workload, idle_latency_is_the_sum_of_the_stages)
{
	json_t *sum = run(SCEN "gicv3-spi-idle.yaml", NULL, 0, "idle");
	json_t *s = src0(sum);
	uint64_t expect = idle_spi_ps();

	cr_expect_eq((uint64_t)ival(s, "latency_ns", "p50"), expect / 1000);
	cr_expect_eq((uint64_t)ival(s, "latency_ns", "max"), expect / 1000, "every one the same");
	cr_expect_eq(ival(s, "delivered", NULL), ival(s, "asserted", NULL));
	json_decref(sum);
}

/*
 * A level SPI through KVM_IRQ_LINE, the device's line lowered by its
 * handler (the workload raises it, and lowers it when the handler has
 * serviced the device), beside an edge SPI above the first 64 INTIDs (the
 * VGIC is sized for SPI 1019): on an idle guest each is delivered once,
 * at the idle latency. With the line left high the level SPI fires again
 * at once after each EOI and starves the other (tried).
 */
Test(workload, a_level_spi_through_irq_line_is_lowered_by_its_handler)
{
	json_t *sum = run(file("lvl.yaml", "platform: {arch: arm64, controller: gicv3, vcpus: 1}\n"
					   "sources:\n"
					   "  - {name: lv, type: periodic, spi: 1019, trigger: level, "
					   "period_us: 20}\n"
					   "  - {name: hi, type: periodic, spi: 100, period_us: 20, "
					   "start_us: 10}\n"
					   "guest: {idle: wfi}\n"
					   "run: {duration_ms: 1, seed: 1}\n"),
			  NULL, 0, "lvl");
	json_t *srcs = json_object_get(sum, "sources");
	uint64_t expect = idle_spi_ps() / 1000;

	for (size_t i = 0; i < 2; i++) {
		json_t *s = json_array_get(srcs, i);

		cr_expect_eq(ival(s, "asserted", NULL), 50, "source %zu", i);
		cr_expect_eq(ival(s, "delivered", NULL), 50, "source %zu", i);
		cr_expect_eq(ival(s, "coalesced", NULL), 0, "source %zu", i);
		cr_expect_eq((uint64_t)ival(s, "latency_ns", "p50"), expect, "source %zu", i);
		cr_expect_eq((uint64_t)ival(s, "latency_ns", "max"), expect, "source %zu", i);
	}
	json_decref(sum);
}

/* The mean of stage @name (summary.json's stages_mean_ns), in ps. */
static double stage_ps(json_t *src, const char *name)
{
	json_t *v = json_object_get(json_object_get(src, "stages_mean_ns"), name);

	cr_assert(json_is_number(v), "no stage '%s'", name);
	return json_number_value(v) * 1000.0;
}

/*
 * Each stage of DESIGN.md's path (source -> controller -> CPU signal ->
 * exit -> injection -> entry -> guest acknowledge -> handler) on its own,
 * from the profile (gic.md §8.1, Altra): a busy guest's SPI through
 * KVM_IRQ_LINE is queued (the injection), its vCPU kicked by a physical
 * IPI (the kick, the GIC's delivery to the CPU), exits (exception, world
 * switch out), the host syncs (fixed VGIC save) and handles the IPI
 * (acknowledge, handler, EOI and DIR, the last acknowledge), flushes one
 * LR and enters, and the guest takes the exception and reads IAR. The
 * stages add up to the latency. Every SPI of the run takes the same way.
 */
Test(workload, each_stage_of_a_busy_guests_spi_is_the_profiles)
{
	const struct gic_host_profile *p = &gic_profile_altra;
	struct sim_clock cpu, gic;
	json_t *sum = run(SCEN "gicv3-spi-busy.yaml", NULL, 0, "busy");
	json_t *s = src0(sum);
	double total = 0;

	sim_clock_init_hz(&cpu, p->cpu_hz);
	sim_clock_init_hz(&gic, p->gic_hz);
#define CYC(x) ((double)sim_clock_time(&cpu, (x)))
	const double want[WL_NR_STAGES] = {
		/* KVM_IRQ_LINE's system call, the injection, the lines the
		 * I/O thread's pCPU fetches from the vCPU's: 2, the SPI being
		 * still on vCPU 0's ap_list from the last one (a busy guest
		 * does not exit between: nothing prunes it), so no list lock */
		[WL_ST_QUEUE] = CYC(p->syscall + p->cpu.inject) + CYC(2ull * p->line_xfer),
		[WL_ST_SIGNAL] = CYC(p->cpu.kick_ipi) + (double)sim_clock_time(&gic, p->signal_cycles),
		[WL_ST_EXIT] = CYC(p->cpu.exc_entry + p->cpu.exit),
		[WL_ST_HOST] = CYC(p->sync_base + 9ull * p->hyp_read + p->hyp_write) +
			       CYC(p->host_read + p->cpu.host_irq + 2ull * p->host_write) +
			       CYC(p->host_read),
		[WL_ST_ENTRY] = CYC(p->flush_base + p->flush_per_lr + 7ull * p->hyp_write +
				    2ull * p->line_xfer + p->cpu.entry),
		[WL_ST_ACK] = CYC(p->cpu.guest_exc_entry),
		[WL_ST_HANDLER] = CYC(p->guest_read),
	};
#undef CYC

	cr_assert_gt(ival(s, "delivered", NULL), 100);
	for (unsigned k = 0; k < WL_NR_STAGES; k++) {
		double got = stage_ps(s, wl_stage_names[k]);

		cr_expect(fabs(got - want[k]) < 1, "stage %s: %.0f ps, the profile gives %.0f ps",
			  wl_stage_names[k], got, want[k]);
		total += got;
	}
	cr_expect(fabs(total / 1000 - (double)ival(s, "latency_ns", "max")) < 1,
		  "stages add up to %.1f ns, latency %lld ns", total / 1000,
		  (long long)ival(s, "latency_ns", "max"));
	json_decref(sum);
}

/*
 * A busy guest's accesses, stage by stage from the profile (Altra; the
 * VGIC's sync and flush with no list register used: its fixed reads and
 * writes): a load from the VMM's device exits (exception, world switch
 * out), KVM syncs, decodes the abort and returns from KVM_RUN (kernel),
 * the device model takes its 2 us (vmm), the VMM's KVM_RUN goes back in
 * (return) and the vCPU flushes and enters (entry); a load of GICD_IIDR
 * is emulated in the kernel (no vmm, no return); a PSCI_VERSION HVC costs
 * its exit and entry only. The stages add up to each latency.
 */
Test(workload, each_stage_of_a_guest_access_is_the_profiles)
{
	const struct gic_host_profile *p = &gic_profile_altra;
	struct sim_clock cpu;
	json_t *sum = run(file("acc.yaml",
			       "platform: {arch: arm64, controller: gicv3, vcpus: 1}\n"
			       "sources:\n"
			       "  - {name: user, type: mmio, period_us: 10,\n"
			       "     service: {dist: constant, mean_us: 2}}\n"
			       "  - {name: vgic, type: mmio, addr: 0x08000008, period_us: 10, "
			       "start_us: 4}\n"
			       "  - {name: hvc, type: hvc, period_us: 10, start_us: 7}\n"
			       "guest: {idle: busy}\n"
			       "run: {duration_ms: 2, warmup_ms: 0.5, seed: 1}\n"),
			  NULL, 0, "acc");
	json_t *srcs = json_object_get(sum, "sources");

	sim_clock_init_hz(&cpu, p->cpu_hz);
#define CYC(x) ((double)sim_clock_time(&cpu, (x)))
	const double sync = CYC(p->sync_base + 9ull * p->hyp_read + p->hyp_write);
	const double entry = CYC(p->flush_base + 7ull * p->hyp_write + p->cpu.entry);
	const double want[3][WL_NR_ACCESS_STAGES] = {
		{ CYC(p->cpu.exc_entry + p->cpu.exit),
		  sync + CYC(p->cpu.mmio_trap) + CYC(p->cpu.user_exit), 2e6,
		  CYC(p->cpu.user_entry), entry },
		{ CYC(p->cpu.exc_entry + p->cpu.exit), sync + CYC(p->cpu.mmio_trap + p->cpu.emulate),
		  0, 0, entry },
		{ CYC(p->cpu.exc_entry + p->cpu.exit), sync + CYC(p->cpu.hvc), 0, 0, entry },
	};
#undef CYC

	for (size_t i = 0; i < 3; i++) {
		json_t *s = json_array_get(srcs, i);
		double total = 0;

		cr_expect_eq(ival(s, "asserted", NULL), 150, "source %zu", i);
		cr_expect_eq(ival(s, "delivered", NULL), 150, "source %zu", i);
		cr_expect_eq(ival(s, "outstanding", NULL), 0, "source %zu", i);
		for (unsigned k = 0; k < WL_NR_ACCESS_STAGES; k++) {
			double got = stage_ps(s, wl_access_stage_names[k]);

			cr_expect(fabs(got - want[i][k]) < 1,
				  "source %zu, stage %s: %.0f ps, the profile gives %.0f ps", i,
				  wl_access_stage_names[k], got, want[i][k]);
			total += got;
		}
		cr_expect(fabs(total / 1000 - (double)ival(s, "latency_ns", "max")) < 1,
			  "source %zu: stages add up to %.1f ns, latency %lld ns", i, total / 1000,
			  (long long)ival(s, "latency_ns", "max"));
		cr_expect_null(json_object_get(json_object_get(s, "stages_mean_ns"), "queue"),
			       "an access has no interrupt's stages");
	}
	json_decref(sum);
}

/*
 * Each vCPU its own guest (guest.vcpus): a busy sender's IPIs wake an idle
 * receiver — every one delivered, each at the same latency, the WFI
 * wake-up's — where a VM of one behaviour has either no receiver halted
 * or a sender that never runs code. The receiver's handler is its own
 * (3 us), the sender's the default: the receiver's completion shows it.
 */
Test(workload, each_vcpu_has_its_own_guest)
{
	static const char *const sets[] = { "guest.vcpus.1.idle=wfi" };
	json_t *sum = run(file("pv.yaml", "platform: {arch: arm64, controller: gicv3, vcpus: 2}\n"
					  "sources:\n"
					  "  - {name: ipi, type: ipi, from: 0, to: 1, period_us: 20}\n"
					  "guest:\n"
					  "  idle: busy\n"
					  "  vcpus: {1: {handler: {dist: constant, mean_us: 3}}}\n"
					  "run: {duration_ms: 1, seed: 1}\n"),
			  sets, 1, "pv");
	json_t *s = src0(sum);

	cr_expect_eq(ival(s, "asserted", NULL), 50);
	cr_expect_eq(ival(s, "delivered", NULL), 50, "a busy sender, an idle receiver");
	cr_expect_eq(ival(s, "dropped", NULL), 0);
	cr_expect_eq(ival(s, "latency_ns", "p50"), ival(s, "latency_ns", "max"), "every one alike");
	cr_expect_eq(json_number_value(json_object_get(s, "exits_per_interrupt")), 0,
		     "the receiver was halted: no exit on the way");
	cr_expect_geq(ival(s, "completion_ns", "p50"), 3000, "the receiver's own 3 us handler");
	json_decref(sum);
}

/* An idle guest runs its own code, and so makes its accesses, only when
 * an interrupt wakes it: none is made, and the run says why. */
Test(workload, accesses_of_an_idle_guest_wait_for_an_interrupt)
{
	const char *path = file("wfi.yaml", "platform: {arch: arm64, controller: gicv3, vcpus: 1}\n"
					    "sources:\n"
					    "  - {name: dev, type: mmio, period_us: 10}\n"
					    "guest: {idle: wfi}\n"
					    "run: {duration_ms: 1, seed: 1}\n");
	struct workload w;
	char out[128], *msg = NULL;
	size_t len = 0;
	FILE *err = open_memstream(&msg, &len);
	struct wl_run_opts o = { .outdir = out, .quiet = true };

	snprintf(out, sizeof(out), "%s/wfi", dir);
	cr_assert_eq(wl_load(&w, path, NULL, 0, stderr), 0);
	cr_assert_eq(wl_run(&w, &o, err), 0);
	wl_free(&w);
	fclose(err);
	cr_expect(strstr(msg, "source dev: none of its 100 accesses was made and completed (an "
			      "idle: wfi guest runs code"),
		  "%s", msg);
	free(msg);
}

/*
 * A busy guest's virtual timer takes another order: the physical GIC has
 * it at once and signals the CPU, which exits; the VGIC queues it only at
 * the exit's sync. So no queue stage: signal is the GIC's delivery, exit
 * the exception and world switch out, and the queueing is in host.
 */
Test(workload, a_busy_guests_timer_is_signalled_before_it_is_queued)
{
	const struct gic_host_profile *p = &gic_profile_altra;
	struct sim_clock cpu, gic;
	json_t *sum = run(SCEN "gicv3-timer-busy.yaml", NULL, 0, "timer");
	json_t *s = src0(sum);

	sim_clock_init_hz(&cpu, p->cpu_hz);
	sim_clock_init_hz(&gic, p->gic_hz);
	cr_assert_gt(ival(s, "delivered", NULL), 10);
	cr_expect_eq(stage_ps(s, "queue"), 0);
	cr_expect(fabs(stage_ps(s, "signal") - (double)sim_clock_time(&gic, p->signal_cycles)) < 1);
	cr_expect(fabs(stage_ps(s, "exit") -
		       (double)sim_clock_time(&cpu, p->cpu.exc_entry + p->cpu.exit)) < 1);
	cr_expect_gt(stage_ps(s, "host"), 0);
	cr_expect(fabs(stage_ps(s, "ack") - (double)sim_clock_time(&cpu, p->cpu.guest_exc_entry)) < 1);
	cr_expect(fabs(stage_ps(s, "handler") - (double)sim_clock_time(&cpu, p->guest_read)) < 1);
	json_decref(sum);
}

/* Offered load beyond the path: queueing and coalescing grow, nothing is
 * lost without being counted. */
Test(workload, saturation_grows_latency_and_is_accounted)
{
	static const char *const light[] = { "sources.0.rate_hz=20000", "run.duration_ms=2" };
	static const char *const heavy[] = { "sources.0.rate_hz=800000", "run.duration_ms=2" };
	json_t *a = run(SCEN "gicv3-saturation.yaml", light, 2, "light");
	json_t *b = run(SCEN "gicv3-saturation.yaml", heavy, 2, "heavy");
	json_t *sa = src0(a), *sb = src0(b);

	cr_expect_gt(ival(sb, "latency_ns", "p90"), 3 * ival(sa, "latency_ns", "p90"),
		     "queueing delay grows: p90 %lld ns at 800 000/s, %lld ns at 20 000/s",
		     (long long)ival(sb, "latency_ns", "p90"), (long long)ival(sa, "latency_ns", "p90"));
	cr_expect_gt(ival(sb, "coalesced", NULL), 0, "edges coalesce");
	for (json_t *s = sa;; s = sb) {
		cr_expect_eq(ival(s, "asserted", NULL),
			     ival(s, "delivered", NULL) + ival(s, "coalesced", NULL) +
				     ival(s, "outstanding", NULL),
			     "every assertion accounted for");
		if (s == sb)
			break;
	}
	json_decref(a);
	json_decref(b);
}

/*
 * An IPI storm beyond what the senders can issue: a vCPU keeps at most 16
 * trapping SGI writes waiting (cpu.h, CPU_TRAPS_WAITING); the rest are
 * reported as dropped, never silently. At the library's own rate nothing
 * is dropped.
 */
Test(workload, an_ipi_storm_beyond_the_senders_is_dropped_and_counted)
{
	static const char *const flood[] = { "sources.0.rate_hz=2e7", "run.duration_ms=1",
					     "run.warmup_ms=0" };
	static const char *const calm[] = { "run.duration_ms=1", "run.warmup_ms=0" };
	json_t *a = run(SCEN "gicv3-ipi-storm.yaml", calm, 2, "calm");
	json_t *b = run(SCEN "gicv3-ipi-storm.yaml", flood, 3, "flood");
	json_t *sa = src0(a), *sb = src0(b);

	cr_expect_eq(ival(sa, "dropped", NULL), 0);
	cr_expect_gt(ival(sb, "dropped", NULL), ival(sb, "asserted", NULL) / 2,
		     "at 2e7/s over 8 vCPUs most IPIs cannot be sent: %lld of %lld dropped",
		     (long long)ival(sb, "dropped", NULL), (long long)ival(sb, "asserted", NULL));
	for (json_t *s = sa;; s = sb) {
		int64_t waiting = ival(s, "outstanding", NULL);

		cr_expect_eq(ival(s, "asserted", NULL),
			     ival(s, "delivered", NULL) + ival(s, "coalesced", NULL) +
				     ival(s, "dropped", NULL) + waiting,
			     "every assertion accounted for");
		/* what is still on its way at the end, per vCPU: as a sender
		 * 16 waiting writes and one being emulated; as a target one
		 * SGI in service, one pending, and the requests merged into
		 * that pending one, which count as coalesced only when it is
		 * delivered: at most one from each of the 7 others here (a
		 * sender's writes go to the 7 others in turn, about 3 us a
		 * round, longer than an SGI stays pending in this run) */
		cr_expect_leq(waiting, 8 * (16 + 1 + 2 + 7), "%lld outstanding",
			      (long long)waiting);
		if (s == sb)
			break;
	}
	json_decref(a);
	json_decref(b);
}

/*
 * 2:1 overcommit: descheduled vCPUs wait for their pCPU. Derived from the
 * scenario, not read off a run: two busy vCPUs share each pCPU in slices
 * of S = 3 ms, so vCPU 0 is descheduled in every other slice, those
 * starting at 3, 9, 15, 21 and 27 ms of the measured [3, 30) ms. In each,
 * the first SPI (every P = 50 us) waits for the rest of the slice, longer
 * than S - P and not much over S (the exit, switch and entry take
 * microseconds), and the others of the slice coalesce with it (edge):
 * 5 * (S / P - 1) = 295 coalesced, give or take an assertion where a
 * boundary drifts by those costs. Every other SPI waits for nothing.
 */
Test(workload, overcommit_shows_in_the_latency)
{
	static const char *const dedicated[] = { "platform.pcpus=4", "run.duration_ms=10" };
	const int64_t S = 3000000, P = 50000; /* ns */
	json_t *a = run(SCEN "gicv3-overcommit.yaml", dedicated, 2, "dedicated");
	json_t *b = run(SCEN "gicv3-overcommit.yaml", NULL, 0, "shared");
	int64_t quick = ival(src0(a), "latency_ns", "max"), t, lat;
	unsigned waits = 0, others = 0;
	char path[160], line[128];
	FILE *f;

	cr_expect_lt(quick, 2000, "one pCPU each: no waiting");
	cr_expect_eq(ival(b, "pcpus", NULL), 2);
	snprintf(path, sizeof(path), "%s/shared/latency_time.dat", dir);
	f = fopen(path, "r");
	cr_assert_not_null(f, "%s", path);
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%" SCNd64 " %" SCNd64, &t, &lat) != 2)
			continue;
		if (lat <= quick) {
			others++;
			continue;
		}
		waits++;
		cr_expect(lat > S - P && lat < S + 20000,
			  "SPI at %" PRId64 " ns waited %" PRId64 " ns, not the rest of a slice",
			  t, lat);
	}
	fclose(f);
	cr_expect_eq(waits, 5, "one wait per descheduled slice");
	cr_expect_eq(waits + others, ival(src0(b), "delivered", NULL));
	cr_expect(llabs(ival(src0(b), "coalesced", NULL) - 5 * (S / P - 1)) <= 5,
		  "%lld coalesced", (long long)ival(src0(b), "coalesced", NULL));
	cr_expect_eq(ival(src0(b), "delivered", NULL) + ival(src0(b), "coalesced", NULL),
		     ival(src0(b), "asserted", NULL), "nothing lost");
	json_decref(a);
	json_decref(b);
}

/* A number of summary.json (mean, percentiles). */
static double dval(json_t *o, const char *a, const char *b)
{
	return json_number_value(json_object_get(json_object_get(o, a), b));
}

/*
 * The guest handler's run time follows the workload's distribution
 * (workloads/README.md, "guest"). An idle guest takes an SPI every 20 us,
 * long after the last handler ended, so each completion (handler entry to
 * EOI) is the drawn run time plus the same cost of the EOI, if any; the
 * constant distribution measures that. Each distribution's sample mean is
 * then within 3 sigma of its mean (plus the 1 ns the summary's
 * nanoseconds truncate), and its median within 4 % of its median: both
 * computed from the parameters, so a wrong parametrisation (a lognormal
 * whose mu is ln(mean), a Pareto drawn as a Lomax) fails.
 */
Test(workload, each_handler_distribution_keeps_its_mean_and_median)
{
	static const struct {
		const char *dist, *params;
		double mean, sd, median; /* us */
	} d[] = {
		{ "uniform", "min_us: 1, max_us: 3", 2, 0.57735, 2 },
		{ "exponential", "mean_us: 2", 2, 2, 1.386294 },
		{ "normal", "mean_us: 2, stddev_us: 0.3", 2, 0.3, 2 },
		/* mean m, sigma s: mu = ln m - s^2/2, sd = m sqrt(e^(s^2) - 1),
		 * median e^mu */
		{ "lognormal", "mean_us: 2, sigma: 0.5", 2, 1.066, 1.764994 },
		/* min x, alpha a: mean a x / (a - 1), sd x sqrt(a / (a - 2)) /
		 * (a - 1), median x 2^(1/a) */
		{ "pareto", "min_us: 1, alpha: 3", 1.5, 0.866025, 1.259921 },
	};
	const char *fmt = "platform: {arch: arm64, controller: gicv3, vcpus: 1}\n"
			  "sources:\n  - {name: s, type: periodic, spi: 40, period_us: 20}\n"
			  "guest: {idle: wfi, handler: {dist: %s, %s}}\n"
			  "run: {duration_ms: 60, warmup_ms: 0, seed: 3}\n";
	char yaml[512];
	json_t *sum, *s;
	double eoi;

	snprintf(yaml, sizeof(yaml), fmt, "constant", "mean_us: 1");
	sum = run(file("constant.yaml", yaml), NULL, 0, "constant");
	s = src0(sum);
	cr_assert_eq(ival(s, "completion_ns", "min"), ival(s, "completion_ns", "max"),
		     "a constant handler: every completion the same");
	eoi = dval(s, "completion_ns", "mean") - 1000;
	cr_assert_geq(eoi, 0);
	json_decref(sum);

	for (size_t i = 0; i < sizeof(d) / sizeof(d[0]); i++) {
		double n, mean, p50, tol;

		snprintf(yaml, sizeof(yaml), fmt, d[i].dist, d[i].params);
		sum = run(file("d.yaml", yaml), NULL, 0, d[i].dist);
		s = src0(sum);
		n = (double)ival(s, "completion_ns", "count");
		cr_assert_geq(n, 2900, "%s: %g completions", d[i].dist, n);
		mean = dval(s, "completion_ns", "mean") - eoi;
		p50 = dval(s, "completion_ns", "p50") - eoi;
		tol = 3 * d[i].sd * 1000 / sqrt(n) + 1;
		cr_expect_leq(fabs(mean - d[i].mean * 1000), tol,
			      "%s: mean run time %.1f ns, expected %.1f +- %.1f", d[i].dist, mean,
			      d[i].mean * 1000, tol);
		cr_expect_leq(fabs(p50 - d[i].median * 1000), 0.04 * d[i].median * 1000,
			      "%s: median run time %.1f ns, expected %.1f", d[i].dist, p50,
			      d[i].median * 1000);
		json_decref(sum);
	}
}

/*
 * @yaml loads and runs 20 us (into DIR/@out, no plots) without error, or
 * is refused with one message that begins "FILE:LINE:" for @yaml or @csv
 * (an empty file has no line); *@ran or *@refused counts which. @text is
 * what was mutated, shown when this fails.
 */
static void refused_or_runs(const char *yaml, const char *csv, const char *out,
			    const char *text, unsigned *ran, unsigned *refusedn)
{
	static const char *const sets[] = { "run.duration_ms=0.02", "run.warmup_ms=0" };
	char *msg = NULL;
	size_t mlen = 0;
	struct workload w;
	FILE *err = open_memstream(&msg, &mlen);

	if (wl_load(&w, yaml, sets, 2, err) == 0) {
		struct wl_run_opts o = { .outdir = out, .quiet = true };

		cr_expect_eq(wl_run(&w, &o, err), 0, "%s ran with an error: %s", text, msg);
		wl_free(&w);
		++*ran;
	} else {
		bool placed = false;

		fflush(err);
		for (const char *f = yaml; f; f = f == yaml ? csv : NULL) {
			size_t pl = strlen(f);

			placed |= !strncmp(msg, f, pl) && msg[pl] == ':' &&
				  ((msg[pl + 1] >= '1' && msg[pl + 1] <= '9') ||
				   !strcmp(msg + pl + 1, " empty file (expected a workload mapping)\n"));
		}
		cr_expect(placed && strchr(msg, '\n') == msg + strlen(msg) - 1,
			  "refused without one 'FILE:LINE:' message: '%s'\n%s", msg, text);
		++*refusedn;
	}
	fclose(err);
	free(msg);
}

/*
 * Every scenario of the library mutated at random 300 times (mutant()),
 * and the replay scenario's CSV as many times: each mutant is refused,
 * naming the file and line, or loads and runs — never a crash, a hang or
 * a message that names no place (under ASan and UBSan in CI).
 */
Test(workload, mutated_files_are_refused_or_run, .timeout = 600)
{
	uint64_t seed = 0x6b766d73696d;
	unsigned refusedn = 0, ran = 0;
	char path[160], out[160], csv[160];
	size_t n;
	glob_t g;

	cr_assert_eq(glob(SCEN "*.yaml", 0, NULL, &g), 0);
	cr_assert_geq(g.gl_pathc, 8, "the scenario library");
	/* the replay scenario's file, beside the mutants */
	char *orig = test_slurp(SCEN "replay.csv", &n);

	snprintf(csv, sizeof(csv), "%s", file("replay.csv", orig));
	free(orig);
	for (size_t f = 0; f < g.gl_pathc; f++) {
		orig = test_slurp(g.gl_pathv[f], &n);
		for (int m = 0; m < 300; m++) {
			char *t = mutant(orig, n, &seed), name[64];

			snprintf(name, sizeof(name), "m%zu-%d.yaml", f, m);
			snprintf(path, sizeof(path), "%s", file(name, t));
			snprintf(out, sizeof(out), "%s/o%zu-%d", dir, f, m);
			refused_or_runs(path, NULL, out, t, &ran, &refusedn);
			free(t);
		}
		free(orig);
	}
	globfree(&g);
	orig = test_slurp(SCEN "gicv3-replay.yaml", &n);
	snprintf(path, sizeof(path), "%s", file("replay.yaml", orig));
	free(orig);
	orig = test_slurp(SCEN "replay.csv", &n);
	for (int m = 0; m < 300; m++) {
		char *t = mutant(orig, n, &seed);

		file("replay.csv", t);
		snprintf(out, sizeof(out), "%s/csv%d", dir, m);
		refused_or_runs(path, csv, out, t, &ran, &refusedn);
		free(t);
	}
	free(orig);
	cr_log_info("%u mutants refused, %u ran", refusedn, ran);
	cr_expect_gt(ran, 0, "no mutant ran: the mutations are too coarse to test the runs");
	cr_expect_gt(refusedn, 0);
}

/*
 * A trace file given where the run writes one of its results (however the
 * path is spelt, or through a link), or two traces given one file: the run
 * is refused before it writes anything, naming the option, the file and
 * what the run writes there. Each was written over by the other.
 */
Test(workload, a_trace_never_shares_a_file_with_a_result_or_another_trace)
{
	static const char *const sets[] = { "run.duration_ms=0.2", "run.warmup_ms=0" };
	char out[128], sum[160], link[128], x[128], x2[160], bad[4][160], ok[160];
	struct workload w;
	size_t n0, n;

	snprintf(out, sizeof(out), "%s/r", dir);
	snprintf(sum, sizeof(sum), "%s/summary.json", out);
	snprintf(link, sizeof(link), "%s/link", dir);
	snprintf(x, sizeof(x), "%s/x.trace", dir);
	/* x.trace again, by way of the directory's parent */
	snprintf(x2, sizeof(x2), "%s/../%s/x.trace", dir, strrchr(dir, '/') + 1);
	snprintf(bad[0], sizeof(bad[0]), "%s/summary.json", out);
	snprintf(bad[1], sizeof(bad[1]), "%s/./latency_nic.csv", out);
	snprintf(bad[2], sizeof(bad[2]), "%s/stages.svg", out);
	snprintf(bad[3], sizeof(bad[3]), "%s/host.json.tmp", out);
	cr_assert_eq(wl_load(&w, SCEN "gicv3-spi-busy.yaml", sets, 2, stderr), 0);
	struct wl_run_opts first = { .outdir = out, .quiet = true, .plots = true };
	cr_assert_eq(wl_run(&w, &first, stderr), 0);
	char *before = test_slurp(sum, &n0);
	cr_assert_eq(symlink(sum, link), 0);
	/* the list the check goes by has every file the run wrote */
	DIR *d = opendir(out);
	struct dirent *de;
	unsigned files = 0;

	cr_assert_not_null(d);
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		files++;
		cr_expect(wl_run_writes(&w, true, de->d_name), "%s is not in the list", de->d_name);
	}
	closedir(d);
	cr_expect_geq(files, 10);
	cr_expect(!wl_run_writes(&w, true, "run.trace") && !wl_run_writes(&w, false, "stages.svg") &&
		  !wl_run_writes(&w, true, "latency_nix.csv"));

	const struct {
		struct wl_run_opts o;
		const char *said;
	} cases[] = {
		{ { .trace = bad[0] }, "--trace %s: the run writes its summary.json there (-o %s)" },
		{ { .vcd = bad[1] }, "--vcd %s: the run writes its latency_nic.csv there (-o %s)" },
		{ { .perfetto = bad[2], .plots = true },
		  "--perfetto %s: the run writes its stages.svg there (-o %s)" },
		{ { .trace = bad[3] }, "--trace %s: the run writes its host.json.tmp there (-o %s)" },
		{ { .perfetto = link }, "--perfetto %s: the run writes its summary.json there (-o %s)" },
		{ { .trace = x, .vcd = x2 }, "--vcd %s: --trace writes there too" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct wl_run_opts o = cases[i].o;
		const char *path = o.vcd ? o.vcd : o.trace ? o.trace : o.perfetto;
		char want[400], *msg = NULL;
		size_t len = 0;
		FILE *err = open_memstream(&msg, &len);

		o.outdir = out;
		o.quiet = true;
		cr_assert_not_null(err);
		cr_expect_eq(wl_run(&w, &o, err), -1, "case %zu runs", i);
		fclose(err);
		snprintf(want, sizeof(want), cases[i].said, path, out);
		cr_expect(strstr(msg, want) && strchr(msg, '\n') == msg + len - 1,
			  "case %zu: not one line saying '%s': '%s'", i, want, msg);
		free(msg);
		char *now = test_slurp(sum, &n);
		cr_expect(n == n0 && !memcmp(now, before, n), "case %zu wrote summary.json", i);
		free(now);
	}
	cr_expect(access(x, F_OK), "the refused run wrote its trace");
	/* a trace of a name the run does not write, in the results directory */
	snprintf(ok, sizeof(ok), "%s/run.trace", out);
	struct wl_run_opts o = { .outdir = out, .quiet = true, .trace = ok };
	cr_expect_eq(wl_run(&w, &o, stderr), 0);
	cr_expect(!access(ok, F_OK) && !access(sum, F_OK));
	free(before);
	wl_free(&w);
}

static void custom_handler(int sig)
{
	(void)sig;
}

/* A run catches SIGINT and SIGTERM only while it simulates, and gives
 * back what the caller had: an ignored signal stays ignored (a background
 * job's SIGINT), a handler of the caller's is its again. */
Test(workload, a_run_gives_back_the_signal_handlers)
{
	static const char *const sets[] = { "run.duration_ms=0.2", "run.warmup_ms=0" };
	struct sigaction sa = { .sa_handler = custom_handler }, now;
	struct workload w;
	char out[128];
	struct wl_run_opts o = { .outdir = out, .quiet = true };

	snprintf(out, sizeof(out), "%s/sig", dir);
	sigemptyset(&sa.sa_mask);
	cr_assert_eq(sigaction(SIGTERM, &sa, NULL), 0);
	cr_assert(signal(SIGINT, SIG_IGN) != SIG_ERR);
	cr_assert_eq(wl_load(&w, SCEN "gicv3-spi-busy.yaml", sets, 2, stderr), 0);
	cr_assert_eq(wl_run(&w, &o, stderr), 0);
	wl_free(&w);
	cr_assert_eq(sigaction(SIGINT, NULL, &now), 0);
	cr_expect(now.sa_handler == SIG_IGN, "SIGINT is no longer ignored");
	cr_assert_eq(sigaction(SIGTERM, NULL, &now), 0);
	cr_expect(now.sa_handler == custom_handler, "SIGTERM's handler is not the caller's");
}
