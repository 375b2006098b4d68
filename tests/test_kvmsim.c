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
