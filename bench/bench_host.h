/* SPDX-License-Identifier: MIT */
/*
 * bench_host.h — what the benchmarks ran on, shared by bench/sched.c and
 * bench/inject.c: the CPU's model name, the CPUs online and the sizes of
 * the level-1 data and level-2 caches. A figure in host seconds means
 * little without them: the 64-vCPU storm of bench/inject measured about
 * 1.05 M injections/s on a host with 32 KiB L1 data caches and 1.3 M/s on
 * one with 48 KiB.
 */
#ifndef KVMSIM_BENCH_HOST_H
#define KVMSIM_BENCH_HOST_H

#include <stdio.h>
#include <string.h>
#include <unistd.h>

struct bench_host {
	char cpu[256]; /* /proc/cpuinfo's model name, or "unknown" */
	long cpus;     /* online */
	long l1d_kib;  /* 0: not known (sysconf() says nothing, as in some VMs) */
	long l2_kib;
};

static inline long bench_kib(long bytes)
{
	return bytes > 0 ? bytes / 1024 : 0;
}

static inline void bench_host_get(struct bench_host *h)
{
	FILE *f = fopen("/proc/cpuinfo", "r");
	char line[512];

	snprintf(h->cpu, sizeof(h->cpu), "unknown");
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, "model name", 10) && colon) {
			snprintf(h->cpu, sizeof(h->cpu), "%s", colon + 1 + (colon[1] == ' '));
			h->cpu[strcspn(h->cpu, "\n")] = '\0';
			break;
		}
	}
	if (f)
		fclose(f);
	h->cpus = sysconf(_SC_NPROCESSORS_ONLN);
#ifdef _SC_LEVEL1_DCACHE_SIZE
	h->l1d_kib = bench_kib(sysconf(_SC_LEVEL1_DCACHE_SIZE));
	h->l2_kib = bench_kib(sysconf(_SC_LEVEL2_CACHE_SIZE));
#else
	h->l1d_kib = h->l2_kib = 0;
#endif
}

/* "AMD EPYC, 2 CPUs, L1d 48 KiB, L2 1024 KiB" (a cache not known is left
 * out) into @buf. */
static inline void bench_host_line(const struct bench_host *h, char *buf, size_t len)
{
	int n = snprintf(buf, len, "%s, %ld CPU%s", h->cpu, h->cpus, h->cpus == 1 ? "" : "s");

	if (n > 0 && (size_t)n < len && h->l1d_kib)
		n += snprintf(buf + n, len - (size_t)n, ", L1d %ld KiB", h->l1d_kib);
	if (n > 0 && (size_t)n < len && h->l2_kib)
		snprintf(buf + n, len - (size_t)n, ", L2 %ld KiB", h->l2_kib);
}

#endif /* KVMSIM_BENCH_HOST_H */
