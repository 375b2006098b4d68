// SPDX-License-Identifier: MIT
/*
 * test_kvmsim.c — the kvmsim command's own behaviour: help on every
 * sub-command, exit status 2 and a message naming the bad argument for
 * usage errors, 1 for a workload file that does not load.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

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

Test(kvmsim, version)
{
	char out[256];

	cr_expect_eq(kvmsim("version", out, sizeof(out)), 0);
	cr_expect(strncmp(out, "kvmsim ", 7) == 0, "%s", out);
}

/* --trace-filter keeps the events it names, in --trace and --vcd alike,
 * and is refused without either. */
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
		 "--vcd %s/t.vcd --trace-filter 'gic:vack,cpu:e*'",
		 KVMSIM_TEST_SRCDIR, dir, dir, dir);
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
			 !strstr(line, " exit $end") && !strstr(line, " eoi $end");
	}
	fclose(f);
	cr_expect(ack && enter, "the VCD lacks gic:vack or cpu:enter");
	cr_expect(!other, "the VCD has events the filter leaves out");
	snprintf(args, sizeof(args), "rm -rf '%s'", dir);
	cr_expect_eq(system(args), 0);
}
