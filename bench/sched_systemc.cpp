// SPDX-License-Identifier: MIT
/*
 * sched_systemc.cpp — pattern (a) of bench/sched on the SystemC 2.3
 * reference kernel: N SC_METHOD processes, each re-armed with a timed
 * next_trigger() at its own period, exactly the schedule bench/sched.c
 * builds on kvmsim (same periods, same phases, same simulated duration).
 *
 * usage: sched_systemc N DURATION_PS
 * prints: events=<count> seconds=<wall seconds of sc_start>
 */
#include <systemc>

#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <vector>

#include "bench_periods.h"

using namespace sc_core;

struct ticker : sc_module {
	sc_time period, phase;
	bool started = false;
	uint64_t *count;

	SC_HAS_PROCESS(ticker);
	ticker(sc_module_name n, uint64_t period_ps, uint64_t phase_ps,
	       uint64_t *c)
		: sc_module(n), period(sc_time((double)period_ps, SC_PS)),
		  phase(sc_time((double)phase_ps, SC_PS)), count(c)
	{
		SC_METHOD(tick);
	}

	void tick()
	{
		/* The initialisation run at time 0 only arms the first edge. */
		if (!started) {
			started = true;
			next_trigger(phase);
			return;
		}
		++*count;
		next_trigger(period);
	}
};

static double now_s()
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int sc_main(int argc, char *argv[])
{
	if (argc != 3) {
		std::fprintf(stderr, "usage: %s N DURATION_PS\n", argv[0]);
		return 2;
	}
	unsigned n = (unsigned)std::strtoul(argv[1], nullptr, 0);
	uint64_t dur = std::strtoull(argv[2], nullptr, 0);
	uint64_t count = 0;
	std::vector<ticker *> t;
	char name[32];

	sc_report_handler::set_actions(SC_INFO, SC_DO_NOTHING);
	sc_set_time_resolution(1, SC_PS);
	for (unsigned i = 0; i < n; i++) {
		std::snprintf(name, sizeof(name), "t%u", i);
		t.push_back(new ticker(name, bench_period(i),
				       bench_phase(i), &count));
	}
	/* elaboration and the initialisation phase are not timed */
	sc_start(SC_ZERO_TIME);
	double t0 = now_s();
	/* kvmsim's run_until is inclusive: events at exactly DURATION fire */
	sc_start(sc_time((double)dur + 1, SC_PS));
	double t1 = now_s();
	std::printf("events=%" PRIu64 " seconds=%.9f\n", count, t1 - t0);
	return 0;
}
