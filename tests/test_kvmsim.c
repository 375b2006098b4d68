// SPDX-License-Identifier: MIT
/*
 * test_kvmsim.c — the kvmsim command's own behaviour: help on every
 * sub-command, exit status 2 and a message naming the bad argument for
 * usage errors, 1 for a workload file that does not load; --seed; the
 * progress a run shows on a terminal.
 */
#define _GNU_SOURCE /* posix_openpt(), ptsname() */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_util.h"

/* Runs the built kvmsim with @args; its stdout+stderr in @out. */
static int kvmsim(const char *args, char *out, size_t n)
{
	char cmd[1024];
	FILE *p;
	size_t len;
	int st;

	snprintf(cmd, sizeof(cmd), "%s/kvmsim %s 2>&1", KVMSIM_TEST_BUILDDIR, args);
	p = popen(cmd, "r");
	cr_assert_not_null(p);
	len = fread(out, 1, n - 1, p);
	out[len] = '\0';
	st = pclose(p);
	cr_assert(WIFEXITED(st), "kvmsim %s did not exit", args);
	return WEXITSTATUS(st);
}

Test(kvmsim, help_everywhere)
{
	static const char *const forms[] = { "--help", "-h", "help", "run --help",
					     "run x.yaml -h", "sweep --help", "compare -h",
					     "trace --help" };
	char out[8192];

	for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		cr_expect_eq(kvmsim(forms[i], out, sizeof(out)), 0, "kvmsim %s", forms[i]);
		cr_expect(strstr(out, "usage: kvmsim COMMAND") != NULL, "kvmsim %s: %s",
			  forms[i], out);
		cr_expect(strstr(out, "run options:") != NULL, "kvmsim %s", forms[i]);
	}
}

Test(kvmsim, usage_errors)
{
	char out[4096];

	cr_expect_eq(kvmsim("", out, sizeof(out)), 2);
	cr_expect_eq(kvmsim("frobnicate", out, sizeof(out)), 2);
	cr_expect(strstr(out, "unknown command 'frobnicate'") != NULL, "%s", out);
	cr_expect_eq(kvmsim("run --frob x.yaml", out, sizeof(out)), 2);
	cr_expect(strstr(out, "'--frob'") != NULL, "%s", out);
	cr_expect_eq(kvmsim("run", out, sizeof(out)), 2);
	cr_expect(strstr(out, "which workload file?") != NULL, "%s", out);
	cr_expect_eq(kvmsim("trace diff onlyone", out, sizeof(out)), 2);
}

Test(kvmsim, missing_file)
{
	char out[4096];

	cr_expect_eq(kvmsim("run /nonexistent/w.yaml -q", out, sizeof(out)), 1);
	cr_expect(strstr(out, "/nonexistent/w.yaml") != NULL, "%s", out);
}

/* What a run cannot write it names, and exits 1: the results directory
 * (a regular file, or under one; a name too long), the trace and the VCD
 * (in a missing folder). */
Test(kvmsim, unwritable_outputs_are_named)
{
	char dir[] = "/tmp/kvmsim-unw-XXXXXX", args[1024], out[4096], want[256];
	const char *scen = KVMSIM_TEST_SRCDIR "/../workloads/scenarios/gicv3-spi-idle.yaml";

	cr_assert_not_null(mkdtemp(dir));
	snprintf(want, sizeof(want), "%s/file", dir);
	test_spit(want, "not a folder\n");
	snprintf(args, sizeof(args), "run %s -q -o %s/file/res", scen, dir);
	cr_expect_eq(kvmsim(args, out, sizeof(out)), 1, "%s", out);
	snprintf(want, sizeof(want), "kvmsim: cannot create %s/file/res: Not a directory\n", dir);
	cr_expect_str_eq(out, want);
	/* the file itself: one message, not one per file it cannot write */
	snprintf(args, sizeof(args), "run %s -q -o %s/file", scen, dir);
	cr_expect_eq(kvmsim(args, out, sizeof(out)), 1, "%s", out);
	snprintf(want, sizeof(want), "kvmsim: cannot create %s/file: Not a directory\n", dir);
	cr_expect_str_eq(out, want);
	/* a name too long for the results directory is refused, not cut */
	char longdir[600];
	memset(longdir, 'd', sizeof(longdir) - 1);
	longdir[sizeof(longdir) - 1] = '\0';
	snprintf(args, sizeof(args), "run %s -q -o %s/%s", scen, dir, longdir);
	cr_expect_eq(kvmsim(args, out, sizeof(out)), 1, "%s", out);
	cr_expect(strstr(out, "File name too long"), "%s", out);
	snprintf(args, sizeof(args), "run %s -q -o %s/r1 --trace %s/no/t.txt", scen, dir, dir);
	cr_expect_eq(kvmsim(args, out, sizeof(out)), 1, "%s", out);
	snprintf(want, sizeof(want), "kvmsim: cannot write trace %s/no/t.txt: No such file", dir);
	cr_expect(strstr(out, want), "%s", out);
	snprintf(args, sizeof(args), "run %s -q -o %s/r2 --vcd %s/no/t.vcd", scen, dir, dir);
	cr_expect_eq(kvmsim(args, out, sizeof(out)), 1, "%s", out);
	snprintf(want, sizeof(want), "kvmsim: cannot write VCD %s/no/t.vcd: No such file", dir);
	cr_expect(strstr(out, want), "%s", out);
	snprintf(args, sizeof(args), "run %s -q -o %s/r3 --perfetto %s/no/t.json", scen, dir,
		 dir);
	cr_expect_eq(kvmsim(args, out, sizeof(out)), 1, "%s", out);
	snprintf(want, sizeof(want),
		 "kvmsim: cannot write Perfetto trace %s/no/t.json: No such file", dir);
	cr_expect(strstr(out, want), "%s", out);
	snprintf(args, sizeof(args), "rm -rf '%s'", dir);
	cr_expect_eq(system(args), 0);
}

/*
 * Without gnuplot ($KVMSIM_GNUPLOT names the one to run) a run writes its
 * plots' data and scripts, no image, and warns once; a sweep warns once
 * for all its points.
 */
Test(kvmsim, without_gnuplot_the_scripts_are_written_and_it_warns_once)
{
	char dir[] = "/tmp/kvmsim-nogp-XXXXXX", args[1024], path[256];
	static char out[1 << 14];
	const char *scen = KVMSIM_TEST_SRCDIR "/../workloads/scenarios/gicv3-spi-idle.yaml";
	const char *warning = "warning: gnuplot not found (/nonexistent/gnuplot): plots skipped, "
			      "their data and scripts are written (install the Debian package "
			      "gnuplot-nox)\n";
	static const char *const written[] = { "latency_cdf.gp", "latency_cdf.dat", "stages.gp",
					       "stages.dat",	 "latency_time.gp" };
	static const char *const drawn[] = { "latency_cdf.png", "latency_cdf.svg", "stages.png",
					     "latency_time.svg" };

	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(setenv("KVMSIM_GNUPLOT", "/nonexistent/gnuplot", 1), 0);
	snprintf(args, sizeof(args), "run %s -q -o %s/run --set run.duration_ms=2", scen, dir);
	cr_assert_eq(kvmsim(args, out, sizeof(out)), 0, "%s", out);
	cr_expect_str_eq(out, warning);
	for (size_t i = 0; i < sizeof(written) / sizeof(written[0]); i++) {
		snprintf(path, sizeof(path), "%s/run/%s", dir, written[i]);
		cr_expect_eq(access(path, R_OK), 0, "%s not written", written[i]);
	}
	for (size_t i = 0; i < sizeof(drawn) / sizeof(drawn[0]); i++) {
		snprintf(path, sizeof(path), "%s/run/%s", dir, drawn[i]);
		cr_expect_neq(access(path, F_OK), 0, "%s drawn without gnuplot", drawn[i]);
	}
	snprintf(args, sizeof(args), "sweep %s --param run.duration_ms=1.5,2 -o %s/sw", scen, dir);
	cr_assert_eq(kvmsim(args, out, sizeof(out)), 0, "%s", out);
	cr_expect_eq(test_count(out, warning), 1, "%s", out);
	snprintf(path, sizeof(path), "%s/sw/sweep.gp", dir);
	cr_expect_eq(access(path, R_OK), 0);
	snprintf(args, sizeof(args), "rm -rf '%s'", dir);
	cr_expect_eq(system(args), 0);
}

Test(kvmsim, version)
{
	char out[256];

	cr_expect_eq(kvmsim("version", out, sizeof(out)), 0);
	cr_expect(strncmp(out, "kvmsim ", 7) == 0, "%s", out);
}

/* --trace-filter keeps the events it names, in --trace, --vcd and
 * --perfetto alike, and is refused without any. */
Test(kvmsim, trace_filter)
{
	char out[4096], args[1024], line[256];
	char dir[] = "/tmp/kvmsim-filter-XXXXXX";
	unsigned lines = 0, acks = 0;
	FILE *f;

	cr_assert_not_null(mkdtemp(dir));
	cr_expect_eq(kvmsim("run x.yaml --trace-filter 'cpu:*'", out, sizeof(out)), 2);
	cr_expect(strstr(out, "--trace-filter") != NULL, "%s", out);
	snprintf(args, sizeof(args),
		 "run %s/../workloads/scenarios/gicv3-spi-idle.yaml -q -o %s/run "
		 "--set run.duration_ms=0.2 --set run.warmup_ms=0 --trace %s/t.txt "
		 "--vcd %s/t.vcd --perfetto %s/t.json --trace-filter 'gic:vack,cpu:e*'",
		 KVMSIM_TEST_SRCDIR, dir, dir, dir, dir);
	cr_assert_eq(kvmsim(args, out, sizeof(out)), 0, "%s", out);
	snprintf(args, sizeof(args), "%s/t.txt", dir);
	f = fopen(args, "r");
	cr_assert_not_null(f);
	while (fgets(line, sizeof(line), f)) {
		char comp[64], ev[64];

		if (line[0] == '#')
			continue;
		cr_assert_eq(sscanf(line, "%*u %63s %63s", comp, ev), 2, "%s", line);
		cr_expect((!strcmp(comp, "gic") && !strcmp(ev, "vack")) ||
				  (!strcmp(comp, "cpu") && ev[0] == 'e'),
			  "filtered out, yet traced: %s", line);
		acks += !strcmp(ev, "vack");
		lines++;
	}
	fclose(f);
	cr_expect_gt(acks, 0, "no gic:vack in %u lines", lines);
	cr_expect_gt(lines, acks, "no cpu:enter/exit/eoi");
	snprintf(args, sizeof(args), "%s/t.vcd", dir);
	f = fopen(args, "r");
	cr_assert_not_null(f);
	bool ack = false, enter = false, other = false;
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "$var event ", 11))
			continue;
		ack |= strstr(line, " vack $end") != NULL;
		enter |= strstr(line, " enter $end") != NULL;
		other |= !strstr(line, " vack $end") && !strstr(line, " enter $end") &&
			 !strstr(line, " entered $end") && !strstr(line, " exit $end") &&
			 !strstr(line, " eoi $end");
	}
	fclose(f);
	cr_expect(ack && enter, "the VCD lacks gic:vack or cpu:enter");
	cr_expect(!other, "the VCD has events the filter leaves out");
	snprintf(args, sizeof(args), "%s/t.json", dir);
	json_t *root = json_load_file(args, 0, NULL), *e;
	size_t i, instants = 0;

	cr_assert_not_null(root, "%s", args);
	json_array_foreach(json_object_get(root, "traceEvents"), i, e) {
		const char *cat = json_string_value(json_object_get(e, "cat"));
		const char *ev = json_string_value(json_object_get(e, "name"));

		if (strcmp(json_string_value(json_object_get(e, "ph")), "i"))
			continue;
		instants++;
		cr_expect((!strcmp(cat, "gic") && !strcmp(ev, "vack")) ||
				  (!strcmp(cat, "cpu") && ev[0] == 'e'),
			  "filtered out, yet in the Perfetto trace: %s:%s", cat, ev);
	}
	cr_expect_eq(instants, lines, "the text trace's events");
	json_decref(root);
	snprintf(args, sizeof(args), "rm -rf '%s'", dir);
	cr_expect_eq(system(args), 0);
}

/* More usage errors, each naming what is wrong, before anything runs. */
Test(kvmsim, usage_errors_of_every_command)
{
	static const struct {
		const char *args, *want;
	} c[] = {
		{ "run a.yaml b.yaml", "one workload file at a time ('b.yaml')" },
		{ "run a.yaml -o", "'-o'" },
		{ "sweep a.yaml", "usage: kvmsim sweep FILE --param" },
		{ "sweep --param run.seed=1,2", "usage: kvmsim sweep FILE --param" },
		{ "sweep a.yaml --param run.seed=1 --jobs 0", "--jobs '0': expected 1 to 256" },
		{ "sweep a.yaml --param run.seed=1 --jobs 2x", "--jobs '2x': expected 1 to 256" },
		{ "sweep a.yaml --frob", "'--frob'" },
		{ "compare", "usage: kvmsim compare RUN_DIR" },
		{ "compare a --frob", "usage: kvmsim compare RUN_DIR" },
		{ "trace", "usage: kvmsim trace diff A B" },
		{ "trace cmp a b", "usage: kvmsim trace diff A B" },
	};
	char out[4096];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		cr_expect_eq(kvmsim(c[i].args, out, sizeof(out)), 2, "kvmsim %s: %s", c[i].args,
			     out);
		cr_expect(strstr(out, c[i].want) != NULL, "kvmsim %s: '%s' lacks '%s'", c[i].args,
			  out, c[i].want);
	}
}

/* --seed N is --set run.seed=N: the same summary, byte for byte; another
 * seed, another run. Without -q the run says what it wrote. */
#define SHORT "--set run.duration_ms=0.5 --set run.warmup_ms=0.1"
Test(kvmsim, seed_is_the_runs_seed)
{
	char dir[] = "/tmp/kvmsim-seed-XXXXXX", args[1024], out[4096], path[128];
	const char *scen = KVMSIM_TEST_SRCDIR "/../workloads/scenarios/gicv3-saturation.yaml";
	char *a, *b, *c;
	size_t n;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(args, sizeof(args), "run %s -o %s/a --seed 9 %s", scen, dir, SHORT);
	cr_assert_eq(kvmsim(args, out, sizeof(out)), 0, "%s", out);
	snprintf(path, sizeof(path), "%s/a/summary.json", dir);
	cr_expect(strstr(out, "wrote ") && strstr(out, path), "the closing line: %s", out);
	snprintf(args, sizeof(args), "run %s -q -o %s/b --set run.seed=9 %s", scen, dir, SHORT);
	cr_assert_eq(kvmsim(args, out, sizeof(out)), 0, "%s", out);
	cr_expect_eq(out[0], '\0', "-q prints nothing: %s", out);
	snprintf(args, sizeof(args), "run %s -q -o %s/c --seed 10 %s", scen, dir, SHORT);
	cr_assert_eq(kvmsim(args, out, sizeof(out)), 0, "%s", out);
	a = test_slurp(path, &n);
	snprintf(path, sizeof(path), "%s/b/summary.json", dir);
	b = test_slurp(path, &n);
	snprintf(path, sizeof(path), "%s/c/summary.json", dir);
	c = test_slurp(path, &n);
	cr_expect_str_eq(a, b, "--seed 9 and --set run.seed=9 differ");
	cr_expect(strstr(a, "\"seed\": 9,") != NULL, "the summary names seed 9");
	cr_expect_str_neq(a, c, "seeds 9 and 10 gave the same run");
	free(a);
	free(b);
	free(c);
	snprintf(args, sizeof(args), "rm -rf '%s'", dir);
	cr_expect_eq(system(args), 0);
}

/* The summary's @field of source 0, from @dir/summary.json. */
static unsigned long long source0(const char *dir, const char *field)
{
	char path[256];
	json_t *sum, *src;
	unsigned long long v;

	snprintf(path, sizeof(path), "%s/summary.json", dir);
	sum = json_load_file(path, 0, NULL);
	cr_assert_not_null(sum, "%s", path);
	src = json_array_get(json_object_get(sum, "sources"), 0);
	v = (unsigned long long)json_integer_value(json_object_get(src, field));
	json_decref(sum);
	return v;
}

/*
 * After the closing line a run says what summary.json would otherwise
 * hide: guest IPIs dropped (a storm beyond what its senders can trap and
 * send), with their number; and, as a warning even with -q, a source none
 * of whose interrupts reached the handler: an IPI storm among idle (wfi)
 * vCPUs, which never run code to send one.
 */
Test(kvmsim, closing_notes_name_drops_and_a_silent_source)
{
	char dir[] = "/tmp/kvmsim-notes-XXXXXX", path[128], args[1024], out[4096], want[256];
	const char *storm = "name: storm\n"
			    "platform: {arch: arm64, controller: gicv3, vcpus: 4}\n"
			    "sources:\n  - {name: ipis, type: ipi, all_pairs: true, sgi: 2, "
			    "rate_hz: 8000000}\n"
			    "guest: {idle: busy}\n"
			    "run: {duration_ms: 0.5, seed: 1}\n";

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/storm.yaml", dir);
	test_spit(path, storm);

	/* busy: far more requests than 4 vCPUs trap and send */
	snprintf(args, sizeof(args), "run %s -o %s/busy", path, dir);
	cr_assert_eq(kvmsim(args, out, sizeof(out)), 0, "%s", out);
	snprintf(want, sizeof(want), "%s/busy", dir);
	unsigned long long dropped = source0(want, "dropped"), asserted = source0(want, "asserted");
	cr_assert_gt(dropped, 0, "the storm dropped nothing: not a test of the note");
	cr_expect_gt(source0(want, "delivered"), 0);
	snprintf(want, sizeof(want),
		 "storm: source ipis: %llu of %llu guest IPIs dropped (their sender had 16 "
		 "trapping writes waiting)\n",
		 dropped, asserted);
	cr_expect(strstr(out, want), "no line\n%sin\n%s", want, out);
	cr_expect(!strstr(out, "warning"), "%s", out);
	snprintf(args, sizeof(args), "run %s -q -o %s/busy", path, dir);
	cr_assert_eq(kvmsim(args, out, sizeof(out)), 0, "%s", out);
	cr_expect_eq(out[0], '\0', "-q prints nothing: %s", out);

	/* idle: every vCPU blocks in WFI at once and nothing wakes one */
	snprintf(args, sizeof(args), "run %s -q -o %s/idle --set guest.idle=wfi", path, dir);
	cr_assert_eq(kvmsim(args, out, sizeof(out)), 0, "%s", out);
	snprintf(want, sizeof(want), "%s/idle", dir);
	cr_expect_eq(source0(want, "delivered"), 0);
	asserted = source0(want, "asserted");
	cr_assert_gt(asserted, 0);
	snprintf(want, sizeof(want),
		 "storm: warning: source ipis: none of its %llu interrupts reached the guest's "
		 "handler (an idle: wfi guest runs code, and so sends IPIs, only once an "
		 "interrupt wakes its vCPU)\n",
		 asserted);
	cr_expect_str_eq(out, want);
	snprintf(args, sizeof(args), "rm -rf '%s'", dir);
	cr_expect_eq(system(args), 0);
}

/*
 * Runs kvmsim with @argv on a terminal (a pseudo-terminal for its stdout
 * and stderr); returns its exit status and what it wrote there in @out.
 */
static int on_terminal(char *const argv[], char *out, size_t n)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY), st;
	size_t len = 0;
	pid_t pid;

	cr_assert_geq(m, 0);
	cr_assert_eq(grantpt(m), 0);
	cr_assert_eq(unlockpt(m), 0);
	pid = fork();
	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int s;

		setsid();
		s = open(ptsname(m), O_RDWR);
		if (s < 0)
			_exit(127);
		dup2(s, 1);
		dup2(s, 2);
		close(m);
		execv(argv[0], argv);
		_exit(127);
	}
	for (;;) {
		ssize_t k = read(m, out + len, n - 1 - len);

		if (k > 0 && len + (size_t)k < n - 1) {
			len += (size_t)k;
			continue;
		}
		if (k < 0 && errno == EINTR)
			continue;
		break; /* EIO: the last writer closed; or the buffer is full */
	}
	out[len] = '\0';
	close(m);
	cr_assert_eq(waitpid(pid, &st, 0), pid);
	cr_assert(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* The run's host seconds (host.json). */
static double host_seconds(const char *dir)
{
	char path[128];
	json_error_t e;
	json_t *h;
	double s;

	snprintf(path, sizeof(path), "%s/host.json", dir);
	h = json_load_file(path, 0, &e);
	cr_assert_not_null(h, "%s: %s", path, e.text);
	s = json_number_value(json_object_get(h, "host_seconds"));
	json_decref(h);
	return s;
}

/* DIR/storm.yaml (its path in @w): the 64-vCPU IPI storm of bench/inject,
 * @ms of simulated time. */
static void storm(char *w, size_t n, const char *dir, unsigned ms)
{
	char text[512];

	snprintf(w, n, "%s/storm.yaml", dir);
	snprintf(text, sizeof(text),
		 "name: storm\n"
		 "platform: {arch: arm64, controller: gicv3, vcpus: 64}\n"
		 "sources:\n"
		 "  - {name: storm, type: ipi, all_pairs: true, sgi: 2, rate_hz: 16000000}\n"
		 "guest: {idle: busy, handler: {dist: exponential, mean_us: 1}}\n"
		 "run: {duration_ms: %u, seed: 1}\n",
		 ms);
	test_spit(w, text);
}

/*
 * On a terminal, a run that takes over a second of host time shows its
 * progress (percent of the simulated time) on stderr, up to 100 %; one
 * that takes less, and any run with -q, shows none. The 64-vCPU storm
 * below takes about two seconds on a 2.6 GHz core; which side of the
 * second it fell on is read from its host.json (a run within 5 % of the
 * second is not judged).
 */
Test(kvmsim, progress_on_a_terminal, .timeout = 300)
{
	char dir[] = "/tmp/kvmsim-progress-XXXXXX", w[128], o[128], q[128], bin[512];
	static char out[1 << 16];

	cr_assert_not_null(mkdtemp(dir));
	storm(w, sizeof(w), dir, 300);
	snprintf(bin, sizeof(bin), "%s/kvmsim", KVMSIM_TEST_BUILDDIR);
	snprintf(o, sizeof(o), "%s/run", dir);
	snprintf(q, sizeof(q), "%s/quiet", dir);

	char *loud[] = { bin, "run", w, "-o", o, NULL };
	cr_assert_eq(on_terminal(loud, out, sizeof(out)), 0, "%s", out);
	double s = host_seconds(o);
	if (s > 1.05) {
		cr_expect(strstr(out, "storm: ") && strstr(out, "% of 300.000 ms simulated"),
			  "%.2f s and no progress: %s", s, out);
		cr_expect(strstr(out, "100% of 300.000 ms simulated") != NULL,
			  "the progress ends at 100 %%: %s", out);
	} else if (s < 0.95) {
		cr_expect(!strstr(out, "% of "), "%.2f s and progress: %s", s, out);
	}
	cr_expect(strstr(out, "wrote ") != NULL, "the closing line: %s", out);

	char *quiet[] = { bin, "run", w, "-q", "-o", q, "--set", "run.duration_ms=300", NULL };
	cr_assert_eq(on_terminal(quiet, out, sizeof(out)), 0, "%s", out);
	cr_expect_eq(out[0], '\0', "-q on a terminal prints nothing (%.2f s): %s",
		     host_seconds(q), out);

	snprintf(w, sizeof(w), "rm -rf '%s'", dir);
	cr_expect_eq(system(w), 0);
}

/* A sweep on a terminal counts its points as they finish, on one line
 * that it ends; a failed point's messages write over the count rather than
 * running on from it. */
Test(kvmsim, sweep_counts_its_points_on_a_terminal)
{
	char dir[] = "/tmp/kvmsim-swtty-XXXXXX", o[128], bin[512];
	static char out[1 << 14];
	char *scen = KVMSIM_TEST_SRCDIR "/../workloads/scenarios/gicv3-spi-idle.yaml";

	cr_assert_not_null(mkdtemp(dir));
	snprintf(bin, sizeof(bin), "%s/kvmsim", KVMSIM_TEST_BUILDDIR);
	snprintf(o, sizeof(o), "%s/sw", dir);

	char *ok[] = { bin,	 "sweep", scen, "--param", "run.duration_ms=1.5,2",
		       "--jobs", "1",	  "-o", o,	   NULL };
	cr_assert_eq(on_terminal(ok, out, sizeof(out)), 0, "%s", out);
	cr_expect(strstr(out, "kvmsim sweep: 1 of 2 points done\rkvmsim sweep: 2 of 2 points "
			      "done\r\r\n"),
		  "%s", out);
	cr_expect(strstr(out, "wrote ") && strstr(out, "sweep.md"), "%s", out);

	/* the second point's run directory is a file: it cannot write there */
	char f[160];
	snprintf(f, sizeof(f), "%s/run.duration_ms=3", o);
	test_spit(f, "in the way\n");
	char *bad[] = { bin,	  "sweep", scen, "--param", "run.duration_ms=1.5,3",
			"--jobs", "1",	   "-o", o,	    NULL };
	cr_expect_eq(on_terminal(bad, out, sizeof(out)), 1, "%s", out);
	/* the point's own message, named after it, clears the count's line
	 * and writes over it, as does the sweep's */
	cr_expect(strstr(out, "kvmsim sweep: 1 of 2 points done\r\033[Kkvmsim sweep: point "
			      "run.duration_ms=3: cannot create "),
		  "%s", out);
	cr_expect(strstr(out, "\n\033[Kkvmsim sweep: point run.duration_ms=3 failed (exit "
			      "status 1)"),
		  "%s", out);
	cr_expect(strstr(out, "2 of 2 points done\r\r\nkvmsim sweep: 1 of 2 points failed"), "%s",
		  out);

	snprintf(o, sizeof(o), "rm -rf '%s'", dir);
	cr_expect_eq(system(o), 0);
}

/*
 * SIGINT (^C) during a run stops it at its next event: the text trace, the
 * VCD and the Perfetto trace are closed whole up to there (the JSON
 * parses; each ends its last line), no results are written (nor any
 * temporary), a line says where it stopped, and kvmsim then dies of the
 * signal, as a shell loop expects.
 */
Test(kvmsim, a_run_stopped_by_sigint_closes_its_traces, .timeout = 300)
{
	char dir[] = "/tmp/kvmsim-sigint-XXXXXX", w[128], o[128], txt[128], vcd[128], pf[128],
	     errf[128], bin[512], sum[160];
	struct stat st;
	int status;
	size_t n;

	cr_assert_not_null(mkdtemp(dir));
	storm(w, sizeof(w), dir, 1000);
	snprintf(bin, sizeof(bin), "%s/kvmsim", KVMSIM_TEST_BUILDDIR);
	snprintf(o, sizeof(o), "%s/run", dir);
	snprintf(txt, sizeof(txt), "%s/t.txt", dir);
	snprintf(vcd, sizeof(vcd), "%s/t.vcd", dir);
	snprintf(pf, sizeof(pf), "%s/t.json", dir);
	snprintf(errf, sizeof(errf), "%s/stderr", dir);

	pid_t pid = fork();

	cr_assert_geq(pid, 0);
	if (pid == 0) {
		int e = open(errf, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (e < 0)
			_exit(127);
		dup2(e, 2);
		signal(SIGINT, SIG_DFL);
		execl(bin, bin, "run", w, "-q", "-o", o, "--trace", txt, "--vcd", vcd,
		      "--perfetto", pf, (char *)NULL);
		_exit(127);
	}
	/* the run is under way once its events reach the text trace */
	while (stat(txt, &st) || st.st_size < (1 << 20)) {
		cr_assert_eq(waitpid(pid, &status, WNOHANG), 0, "kvmsim ended before its run");
		usleep(10000);
	}
	cr_assert_eq(kill(pid, SIGINT), 0);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFSIGNALED(status) && WTERMSIG(status) == SIGINT,
		  "kvmsim did not die of SIGINT (status %#x)", status);

	char *msg = test_slurp(errf, &n);
	cr_expect(strstr(msg, "kvmsim: storm: stopped by SIGINT at ") &&
			  strstr(msg, " of 1000.000 ms simulated: the traces end there, no "
				      "results written\n"),
		  "said: %s", msg);
	free(msg);
	json_error_t je;
	json_t *root = json_load_file(pf, 0, &je);
	cr_expect_not_null(root, "%s:%d: %s", pf, je.line, je.text);
	cr_expect_gt(json_array_size(json_object_get(root, "traceEvents")), 1000);
	json_decref(root);
	char *t = test_slurp(txt, &n);
	cr_expect(n && t[n - 1] == '\n', "the text trace ends mid-line");
	free(t);
	t = test_slurp(vcd, &n);
	cr_expect(strstr(t, "$enddefinitions $end") && n && t[n - 1] == '\n',
		  "the VCD is not whole");
	free(t);
	snprintf(sum, sizeof(sum), "%s/summary.json", o);
	cr_expect(access(sum, F_OK), "results written");
	snprintf(sum, sizeof(sum), "%s/summary.json.tmp", o);
	cr_expect(access(sum, F_OK), "a temporary left");
	snprintf(w, sizeof(w), "rm -rf '%s'", dir);
	cr_expect_eq(system(w), 0);
}
