// SPDX-License-Identifier: MIT
/*
 * kvmsim.c — the kvmsim command. Sub-commands are added as the layers they
 * drive land; --help lists exactly the ones this build has.
 */
#include <stdio.h>
#include <string.h>

#include "config.h"

static void usage(FILE *f)
{
	fprintf(f,
		"usage: kvmsim COMMAND [ARGS]\n"
		"\n"
		"kvmsim simulates interrupt controllers and the KVM device API\n"
		"at cycle level and measures interrupt-injection latency.\n"
		"\n"
		"commands:\n"
		"  version      print the version\n"
		"  help         print this help\n"
		"\n"
		"This build contains libkvmsim: the discrete-event kernel, its\n"
		"benchmark (`make bench`, results under results/bench/), and the\n"
		"start of the simulated KVM API (<kvmsim/kvmsim.h>). Controller\n"
		"models, workload runs, comparisons and plots come with later\n"
		"releases.\n");
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
	fprintf(stderr, "kvmsim: unknown command '%s' (see kvmsim --help)\n",
		cmd);
	return 2;
}
