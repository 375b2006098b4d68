// SPDX-License-Identifier: MIT
/*
 * test_vgic.c — KVM's VGIC on the GIC model and the CPU model, end to end
 * (gic.md §6, §8): an SPI, an SGI (IPI) and the virtual-timer PPI
 * delivered to the guest's handler with a latency equal to the sum of the
 * profile's stage costs on an idle system; more pending interrupts than
 * list registers (none lost, none taken twice, no livelock); re-sampling
 * of level interrupts on EOI; forwarding through a HW = 1 list register;
 * and the profiles' calibration against their published figures.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "models/gic/gic_host.h"
#include "sim/trace.h"
#include "test_util.h"

static struct sim *sim;
static struct gic_host *host;
static struct vgic *vg;

/* Handler entries seen by the observer. */
static struct {
	unsigned cpu;
	uint32_t id;
	sim_time_t t;
} seen[256];
static unsigned nseen;
static bool stop_at_first;

static void on_handler(void *ctx, struct cpu_vcpu *v, uint32_t id, sim_time_t t)
{
	(void)ctx;
	if (nseen < 256)
		seen[nseen++] = (typeof(seen[0])){ cpu_vcpu_index(v), id, t };
	if (stop_at_first)
		sim_stop(sim);
}

static const struct cpu_observer obs = { .handler_entry = on_handler };

static void build(const struct gic_host_profile *p, unsigned nvcpus, enum cpu_guest_idle idle,
		  uint64_t handler)
{
	if (!sim)
		sim = sim_create(NULL);
	host = gic_host_create(sim, p, nvcpus + 1);
	cr_assert_not_null(host);
	vg = vgic_create(host, p->version, nvcpus, 256);
	cr_assert_not_null(vg);
	for (unsigned c = 0; c < nvcpus; c++)
		vgic_set_guest(vg, c, idle, handler, &obs);
	nseen = 0;
	stop_at_first = false;
	vgic_start(vg);
	sim_run_for(sim, SIM_US(20)); /* every vCPU entered and settled */
}

static void teardown(void)
{
	if (vg)
		vgic_destroy(vg);
	gic_host_destroy(host);
	if (sim)
		sim_destroy(sim);
	vg = NULL;
	host = NULL;
	sim = NULL;
}

TestSuite(vgic, .fini = teardown);

/* One stage of cost @cycles, as the model schedules it. */
static sim_time_t C(uint64_t cycles)
{
	return cpu_cycles(gic_host_machine(host), cycles);
}

static void make_edge(unsigned intid)
{
	struct gic *d = vgic_dist(vg);
	uint64_t v;

	gic_read(d, GIC_BANK_DIST, 0, 0xC00 + intid / 16 * 4, 4, &v);
	gic_write(d, GIC_BANK_DIST, 0, 0xC00 + intid / 16 * 4, 4, v | 2u << (intid % 16 * 2));
}

/* The host's interrupt handling of one interrupt (§8.1 6): acknowledge,
 * ISR, priority drop and deactivate, then the acknowledge read that ends
 * Linux's gic_handle_irq() loop (it reads until a special INTID, 1023). */
static sim_time_t host_handles_one(const struct gic_host_profile *p)
{
	return C(p->host_read + p->cpu.host_irq + 2ull * p->host_write) + C(p->host_read);
}

/* The host side of an exit caused by an interrupt (§8.1 4-6): exception,
 * world switch out, VGIC save (9 GICH reads + 1 write), the host handling
 * one IPI. */
static sim_time_t exit_for_ipi(const struct gic_host_profile *p)
{
	return C(p->cpu.exc_entry + p->cpu.exit) +
	       C(p->sync_base + 9ull * p->hyp_read + p->hyp_write) + host_handles_one(p);
}

/* Flush of @lrs list registers (+ @extra), world switch in, the guest's
 * exception entry and acknowledge (§8.1 9-12). */
static sim_time_t entry_to_handler(const struct gic_host_profile *p, unsigned lrs,
				   uint64_t extra)
{
	return C(p->flush_base + lrs * (uint64_t)p->flush_per_lr + 7ull * p->hyp_write + extra +
		 p->cpu.entry) +
	       C(p->cpu.guest_exc_entry) + C(p->guest_read);
}

/* The cache lines an injection from another pCPU fetches before its kick,
 * and the target's next flush fetches back (an insertion: 3). */
static uint64_t lines(const struct gic_host_profile *p)
{
	return 3ull * p->line_xfer;
}

static sim_time_t gic_signal(const struct gic_host_profile *p)
{
	struct sim_clock g;

	sim_clock_init_hz(&g, p->gic_hz);
	return sim_clock_time(&g, p->signal_cycles);
}

static void spi_latency(const struct gic_host_profile *p)
{
	sim_time_t t0, expect;

	build(p, 2, CPU_GUEST_BUSY, 1000);
	make_edge(40);
	stop_at_first = true;
	t0 = sim_now(sim);
	vgic_inject(vg, 0, 40, true);
	vgic_inject(vg, 0, 40, false);
	sim_run_for(sim, SIM_MS(1));
	cr_assert_eq(nseen, 1);
	cr_assert_eq(seen[0].id, 40);
	cr_assert_eq(seen[0].cpu, 0, "SPIs target vCPU 0");
	/* inject, the lines from vCPU 0's pCPU, kick IPI, GIC signal, exit,
	 * flush (the lines back)/entry, guest */
	expect = C(p->cpu.inject) + C(lines(p)) + C(p->cpu.kick_ipi) + gic_signal(p) +
		 exit_for_ipi(p) + entry_to_handler(p, 1, lines(p));
	cr_expect_eq(seen[0].t - t0, expect, "%s: SPI latency %llu ps, stages sum to %llu ps",
		     p->name, (unsigned long long)(seen[0].t - t0), (unsigned long long)expect);
}

Test(vgic, spi_latency_is_the_sum_of_the_stages_v2)
{
	spi_latency(&gic_profile_xgene);
}

Test(vgic, spi_latency_is_the_sum_of_the_stages_v3)
{
	spi_latency(&gic_profile_altra);
}

static void sgi_latency(const struct gic_host_profile *p)
{
	sim_time_t t0, expect;

	build(p, 2, CPU_GUEST_BUSY, 1000);
	stop_at_first = true;
	t0 = sim_now(sim);
	vgic_guest_sgi(vg, 0, 1, 3);
	sim_run_for(sim, SIM_MS(1));
	cr_assert_eq(nseen, 1);
	cr_assert_eq(seen[0].id, 3);
	cr_assert_eq(seen[0].cpu, 1);
	/* the sender traps (exit, save, decode, emulate, inject), fetches
	 * the receiver's lines, kicks; the receiver exits, takes the IPI,
	 * fetches the lines back, enters, handles */
	expect = C(p->cpu.exc_entry + p->cpu.exit) +
		 C(p->sync_base + 9ull * p->hyp_read + p->hyp_write) +
		 C(p->cpu.mmio_trap + p->cpu.emulate + p->cpu.inject) + C(lines(p)) +
		 C(p->cpu.kick_ipi) + gic_signal(p) + exit_for_ipi(p) +
		 entry_to_handler(p, 1, lines(p));
	cr_expect_eq(seen[0].t - t0, expect, "%s: vIPI latency %llu ps, stages sum to %llu ps",
		     p->name, (unsigned long long)(seen[0].t - t0), (unsigned long long)expect);
}

Test(vgic, sgi_latency_is_the_sum_of_the_stages_v2)
{
	sgi_latency(&gic_profile_xgene);
}

Test(vgic, sgi_latency_is_the_sum_of_the_stages_v3)
{
	sgi_latency(&gic_profile_altra);
}

static void timer_latency(const struct gic_host_profile *p, enum cpu_guest_idle idle)
{
	sim_time_t at, expect;

	build(p, 1, idle, 1000);
	stop_at_first = true;
	at = sim_now(sim) + SIM_US(10);
	vgic_timer_arm(vg, 0, at);
	sim_run_for(sim, SIM_MS(1));
	cr_assert_eq(nseen, 1);
	cr_assert_eq(seen[0].id, 27);
	if (idle == CPU_GUEST_BUSY && p->timer_in_host)
		/* a later kernel (the Altra's): the hardware timer fires, the
		 * guest exits and syncs; the host takes PPI 27 (acknowledge,
		 * its handler, KVM's injection, the EOI's priority drop: it
		 * stays active, forwarded), reads the spurious INTID, and the
		 * flush queues it with HW = 1, active already */
		expect = gic_signal(p) + C(p->cpu.exc_entry + p->cpu.exit) +
			 C(p->sync_base + 9ull * p->hyp_read + p->hyp_write) +
			 C(p->host_read + p->cpu.host_irq + p->cpu.inject + p->host_write) +
			 C(p->host_read) + entry_to_handler(p, 1, 0);
	else if (idle == CPU_GUEST_BUSY)
		/* 4.4 (the X-Gene's): the hardware timer fires, the guest
		 * exits; the sync sees it expired; the flush marks PPI 27
		 * active physically (one more GICD write) and queues it with
		 * HW = 1 (§6.4) */
		expect = gic_signal(p) + C(p->cpu.exc_entry + p->cpu.exit) +
			 C(p->sync_base + 9ull * p->hyp_read + p->hyp_write) +
			 entry_to_handler(p, 1, p->host_write);
	else
		/* the soft timer wakes the blocked vCPU */
		expect = C(p->cpu.wakeup) + entry_to_handler(p, 1, p->host_write);
	cr_expect_eq(seen[0].t - at, expect, "%s: timer latency %llu ps, stages sum to %llu ps",
		     p->name, (unsigned long long)(seen[0].t - at), (unsigned long long)expect);
}

Test(vgic, timer_latency_busy_guest_v2)
{
	timer_latency(&gic_profile_xgene, CPU_GUEST_BUSY);
}

Test(vgic, timer_latency_idle_guest_v2)
{
	timer_latency(&gic_profile_xgene, CPU_GUEST_WFI);
}

Test(vgic, timer_latency_busy_guest_v3)
{
	timer_latency(&gic_profile_altra, CPU_GUEST_BUSY);
}

Test(vgic, timer_is_taken_once_and_the_physical_ppi_ends_inactive)
{
	build(&gic_profile_xgene, 1, CPU_GUEST_BUSY, 1000);
	vgic_timer_arm(vg, 0, sim_now(sim) + SIM_US(10));
	sim_run_for(sim, SIM_MS(1));
	cr_expect_eq(nseen, 1, "the guest masked it: one interrupt");
	cr_expect_not(gic_irq_active(gic_host_gic(host), 0, 27),
		      "the guest's deactivation deactivated the physical PPI");
	/* 4.4 samples the timer only at exit: the next exit (here an SPI's
	 * kick) lowers the distributor's line */
	make_edge(40);
	vgic_inject(vg, 0, 40, true);
	sim_run_for(sim, SIM_US(50));
	cr_expect_eq(nseen, 2);
	cr_expect_not(gic_irq_pending(vgic_dist(vg), 0, 27));
}

/* More pending interrupts than list registers (§9: neither livelock nor
 * lose nor duplicate). */
static void overflow(const struct gic_host_profile *p, enum cpu_guest_idle idle)
{
	unsigned n = 12;
	bool got[12] = { false };

	build(p, 1, idle, 500);
	for (unsigned i = 0; i < n; i++) {
		struct gic *d = vgic_dist(vg);

		make_edge(40 + i);
		/* distinct priorities, the lowest INTID the least urgent */
		gic_write(d, GIC_BANK_DIST, 0, 0x400 + 40 + i, 1, 0xB0 - 8 * i);
	}
	for (unsigned i = 0; i < n; i++) {
		vgic_inject(vg, 0, 40 + i, true);
		vgic_inject(vg, 0, 40 + i, false);
	}
	sim_run_for(sim, SIM_MS(2));
	cr_assert_eq(nseen, n, "%u handled, %u injected", nseen, n);
	for (unsigned i = 0; i < nseen; i++) {
		cr_assert(seen[i].id >= 40 && seen[i].id < 40 + n);
		cr_assert_not(got[seen[i].id - 40], "INTID %u taken twice", seen[i].id);
		got[seen[i].id - 40] = true;
	}
	cr_expect_gt(vgic_stats(vg)->overflows, 0, "LRs overflowed");
	/* the most urgent first: the first flush holds the four best */
	cr_expect_eq(seen[0].id, 40 + n - 1);
	/* and the system goes quiet: no exits without work */
	uint64_t exits = cpu_vcpu_stats(vgic_vcpu(vg, 0))->exits;
	sim_run_for(sim, SIM_MS(1));
	if (idle == CPU_GUEST_BUSY)
		cr_expect_eq(cpu_vcpu_stats(vgic_vcpu(vg, 0))->exits, exits, "no livelock");
}

Test(vgic, more_pending_than_lrs_busy_v2)
{
	overflow(&gic_profile_xgene, CPU_GUEST_BUSY);
}

Test(vgic, more_pending_than_lrs_idle_v2)
{
	overflow(&gic_profile_xgene, CPU_GUEST_WFI);
}

Test(vgic, more_pending_than_lrs_busy_v3)
{
	overflow(&gic_profile_altra, CPU_GUEST_BUSY);
}

Test(vgic, sgis_from_several_sources_are_each_taken)
{
	build(&gic_profile_xgene, 4, CPU_GUEST_BUSY, 500);
	vgic_guest_sgi(vg, 1, 0, 5);
	vgic_guest_sgi(vg, 2, 0, 5);
	vgic_guest_sgi(vg, 3, 0, 5);
	sim_run_for(sim, SIM_MS(1));
	cr_expect_eq(nseen, 3, "one per source (§9.5)");
	for (unsigned i = 0; i < nseen; i++)
		cr_expect(seen[i].id == 5 && seen[i].cpu == 0);
}

static unsigned acked;
static uint32_t acked_spi;

static void on_ack(void *ctx, uint32_t spi)
{
	(void)ctx;
	acked++;
	acked_spi = spi;
	/* a resampling irqfd: the device was serviced, the line drops */
	vgic_inject(vg, 0, 32 + spi, false);
}

Test(vgic, level_interrupt_is_resampled_on_eoi)
{
	build(&gic_profile_xgene, 1, CPU_GUEST_BUSY, 500);
	acked = 0;
	vgic_set_ack_notifier(vg, on_ack, NULL);
	vgic_inject(vg, 0, 41, true); /* level, held */
	sim_run_for(sim, SIM_MS(1));
	cr_expect_eq(nseen, 1);
	cr_expect_eq(acked, 1, "EOI maintenance notified the resampler");
	cr_expect_eq(acked_spi, 9);
	cr_expect_gt(vgic_stats(vg)->maint_eoi, 0);
	cr_expect_not(gic_irq_pending(vgic_dist(vg), 0, 41));
}

Test(vgic, level_interrupt_still_high_after_eoi_fires_again)
{
	build(&gic_profile_xgene, 1, CPU_GUEST_BUSY, 500);
	vgic_inject(vg, 0, 41, true); /* nobody lowers it */
	sim_run_for(sim, SIM_US(100));
	cr_expect_gt(nseen, 1, "re-sampled high: taken again");
	vgic_inject(vg, 0, 41, false);
	unsigned n = nseen;
	sim_run_for(sim, SIM_US(100));
	cr_expect_leq(nseen, n + 1, "lowered: it stops");
}

Test(vgic, forwarded_spi_is_deactivated_by_the_guest)
{
	struct gic *pg;

	build(&gic_profile_xgene, 1, CPU_GUEST_BUSY, 500);
	pg = gic_host_gic(host);
	/* physical SPI 48: edge, at pCPU 0, enabled; mapped to vINTID 48 */
	gic_write(pg, GIC_BANK_DIST, 0, 0x800 + 48, 1, 1);
	gic_write(pg, GIC_BANK_DIST, 0, 0xC0C, 4, 2u << 0);
	gic_write(pg, GIC_BANK_DIST, 0, 0x104, 4, 1u << 16);
	make_edge(48);
	vgic_map_phys(vg, 0, 48, 48);
	gic_set_irq(pg, 0, 48, true);
	gic_set_irq(pg, 0, 48, false);
	sim_run_for(sim, SIM_US(20));
	cr_assert_eq(nseen, 1);
	cr_expect_eq(seen[0].id, 48);
	cr_expect_not(gic_irq_active(pg, 0, 48), "guest EOI deactivated the physical SPI");
	cr_expect_eq(vgic_stats(vg)->maint_eoi, 0, "no maintenance for HW = 1");
	/* a second edge reaches the host only after that: it is taken */
	gic_set_irq(pg, 0, 48, true);
	gic_set_irq(pg, 0, 48, false);
	sim_run_for(sim, SIM_US(20));
	cr_expect_eq(nseen, 2);
}

/*
 * Determinism: an SPI, a vIPI and a timer interrupt on the X-Gene host give
 * this trace byte for byte (tests/golden/vgic_xgene_trace.txt). Regenerate
 * on purpose only, with KVMSIM_REGEN_GOLDEN=1, and say why in the commit.
 */
Test(vgic, trace_of_an_spi_a_vipi_and_a_timer_is_golden)
{
	const char *path = KVMSIM_TEST_SRCDIR "/golden/vgic_xgene_trace.txt";
	char *got, *want;
	size_t ngot, nwant;
	FILE *f = open_memstream(&got, &ngot);

	sim = sim_create(NULL);
	cr_assert_eq(sim_trace_open(sim, SIM_TRACE_TEXT, f, "vgic:*,cpu:*,gic:signal"), 0);
	build(&gic_profile_xgene, 2, CPU_GUEST_BUSY, 1000);
	make_edge(40);
	vgic_inject(vg, 0, 40, true);
	vgic_inject(vg, 0, 40, false);
	sim_run_for(sim, SIM_US(10));
	vgic_guest_sgi(vg, 0, 1, 3);
	vgic_timer_arm(vg, 1, sim_now(sim) + SIM_US(3));
	sim_run_for(sim, SIM_US(30));
	cr_assert_eq(sim_trace_close(sim), 0);
	fclose(f);
	cr_assert_eq(nseen, 3);
	if (getenv("KVMSIM_REGEN_GOLDEN")) {
		FILE *out = fopen(path, "w");

		cr_assert(out);
		fwrite(got, 1, ngot, out);
		fclose(out);
	}
	want = test_slurp(path, &nwant);
	cr_expect_eq(ngot, nwant, "trace length %zu, golden %zu", ngot, nwant);
	cr_expect(ngot == nwant && memcmp(got, want, ngot) == 0, "trace differs from %s", path);
	free(got);
	free(want);
}

static struct vgic_record recs[64];
static unsigned nrecs;

static void on_record(void *ctx, const struct vgic_record *r)
{
	(void)ctx;
	if (nrecs < 64)
		recs[nrecs++] = *r;
}

/* The stages of one SPI's way, stamped by the models (§8.1). */
Test(vgic, an_spi_record_holds_every_stage)
{
	const struct gic_host_profile *p = &gic_profile_xgene;
	struct vgic_observer o = { .record = on_record };
	sim_time_t t0;
	const struct vgic_record *r;

	build(p, 1, CPU_GUEST_BUSY, 1000);
	nrecs = 0;
	vgic_set_observer(vg, &o);
	make_edge(40);
	t0 = sim_now(sim);
	vgic_inject(vg, 0, 40, true);
	vgic_inject(vg, 0, 40, false);
	vgic_inject(vg, 0, 40, true); /* a second edge while pending */
	sim_run_for(sim, SIM_US(50));
	cr_assert_eq(nrecs, 1);
	r = &recs[0];
	cr_expect_eq(r->intid, 40);
	cr_expect_eq(r->coalesced, 1, "the second edge merged");
	cr_expect_eq(r->t_assert, t0);
	cr_expect_eq(r->t_kick, t0 + C(p->cpu.inject) + C(lines(p)),
		     "injected from the I/O thread's pCPU: its lines, then the kick");
	cr_expect_eq(r->t_signal, r->t_kick + C(p->cpu.kick_ipi) + gic_signal(p),
		     "the kick's IPI taken: the exit begins");
	cr_expect_eq(r->t_exit, r->t_signal + C(p->cpu.exc_entry + p->cpu.exit));
	cr_expect_eq(r->t_flush, r->t_exit + C(p->sync_base + 9ull * p->hyp_read + p->hyp_write) +
					 host_handles_one(p));
	cr_expect_eq(r->t_entry, r->t_flush + C(p->flush_base + p->flush_per_lr +
						7ull * p->hyp_write + lines(p) + p->cpu.entry));
	cr_expect_eq(r->t_ack, r->t_entry + C(p->cpu.guest_exc_entry), "the guest reads IAR");
	cr_expect_eq(r->t_handler, r->t_ack + C(p->guest_read));
	cr_expect_eq(r->t_done, r->t_handler + C(1000) + C(p->guest_write),
		     "the EOI write done after the handler's 1,000 cycles");
	cr_expect_eq(r->exits, 1);
}

Test(vgic, a_level_interrupt_completes_at_its_maintenance)
{
	struct vgic_observer o = { .record = on_record };

	build(&gic_profile_xgene, 1, CPU_GUEST_BUSY, 1000);
	nrecs = 0;
	acked = 0;
	vgic_set_observer(vg, &o);
	vgic_set_ack_notifier(vg, on_ack, NULL); /* lowers the line */
	vgic_inject(vg, 0, 41, true);
	sim_run_for(sim, SIM_US(50));
	cr_assert_eq(nrecs, 1);
	cr_expect_gt(recs[0].t_done, recs[0].t_handler + C(1000),
		     "completion includes the EOI maintenance exit");
	cr_expect_eq(acked, 1);
}

Test(vgic, an_ipi_record_starts_at_the_senders_write)
{
	struct vgic_observer o = { .record = on_record };
	sim_time_t t0;

	build(&gic_profile_altra, 2, CPU_GUEST_BUSY, 1000);
	nrecs = 0;
	vgic_set_observer(vg, &o);
	t0 = sim_now(sim);
	vgic_guest_sgi(vg, 0, 1, 2);
	sim_run_for(sim, SIM_US(50));
	cr_assert_eq(nrecs, 1);
	cr_expect_eq(recs[0].vcpu, 1);
	cr_expect_eq(recs[0].intid, 2);
	cr_expect_eq(recs[0].t_assert, t0);
	cr_expect_eq(recs[0].t_handler, seen[0].t);
}

/* A second edge of an interrupt still on the busy vCPU's list (its LR
 * completed, no exit since) must kick the vCPU, or it waits forever. */
Test(vgic, a_second_edge_to_a_busy_guest_is_delivered)
{
	build(&gic_profile_altra, 1, CPU_GUEST_BUSY, 1000);
	make_edge(40);
	vgic_inject(vg, 0, 40, true);
	vgic_inject(vg, 0, 40, false);
	sim_run_for(sim, SIM_US(10));
	cr_assert_eq(nseen, 1);
	vgic_inject(vg, 0, 40, true);
	vgic_inject(vg, 0, 40, false);
	sim_run_for(sim, SIM_US(10));
	cr_expect_eq(nseen, 2, "delivered without waiting for another exit");
}

/* Overcommit (issue: the scheduling delay): vCPU 0 idles in WFI, vCPU 1
 * computes, both threads on one pCPU. An SPI for vCPU 0 wakes it, but it
 * waits until vCPU 1 has run the wake-up granularity (1 ms), is preempted
 * by the host tick (an exit), and the pCPU switches threads. */
Test(vgic, overcommit_adds_the_scheduling_delay)
{
	const struct gic_host_profile *p = &gic_profile_altra;
	sim_time_t t0;

	sim = sim_create(NULL);
	host = gic_host_create(sim, p, 2); /* one shared pCPU and the I/O one */
	cr_assert_not_null(host);
	vg = vgic_create(host, GIC_V3, 2, 256);
	cr_assert_not_null(vg);
	vgic_set_guest(vg, 0, CPU_GUEST_WFI, 1000, &obs);
	vgic_set_guest(vg, 1, CPU_GUEST_BUSY, 1000, &obs);
	nseen = 0;
	stop_at_first = true;
	vgic_start(vg);
	sim_run_for(sim, SIM_US(20));
	cr_assert_eq(cpu_vcpu_stats(vgic_vcpu(vg, 0))->wfi_blocks, 1, "vCPU 0 sleeps");
	make_edge(40);
	t0 = sim_now(sim);
	vgic_inject(vg, 0, 40, true);
	vgic_inject(vg, 0, 40, false);
	sim_run_for(sim, SIM_MS(5));
	cr_assert_eq(nseen, 1);
	sim_time_t lat = seen[0].t - t0;
	/* vCPU 1 got the pCPU within the first 20 us; the rest of its 1 ms,
	 * then the preemption exit, the switch, the entry and the guest */
	sim_time_t tail = C(p->cpu.exc_entry + p->cpu.exit) +
			  C(p->sync_base + 9ull * p->hyp_read + p->hyp_write) +
			  C(p->cpu.ctx_switch) + entry_to_handler(p, 1, 0);
	cr_expect_geq(lat, SIM_MS(1) - SIM_US(20) + tail, "latency %llu ps",
		      (unsigned long long)lat);
	cr_expect_leq(lat, SIM_MS(1) + tail, "latency %llu ps", (unsigned long long)lat);
	cr_expect_eq(cpu_vcpu_stats(vgic_vcpu(vg, 1))->preemptions, 1);
	cr_expect_gt(cpu_vcpu_stats(vgic_vcpu(vg, 0))->runnable_time, SIM_US(900));
}

/* vCPUs 0..@nvcpus-1 idling in WFI, their threads on one shared pCPU (and
 * the I/O one), with halt polling for @poll; started. */
static void wfi_guests(const struct gic_host_profile *p, unsigned nvcpus, sim_time_t poll)
{
	sim = sim_create(NULL);
	host = gic_host_create(sim, p, 2);
	cr_assert_not_null(host);
	cpu_machine_set_sched(gic_host_machine(host), 0, 0, poll);
	vg = vgic_create(host, GIC_V3, nvcpus, 256);
	cr_assert_not_null(vg);
	for (unsigned i = 0; i < nvcpus; i++)
		vgic_set_guest(vg, i, CPU_GUEST_WFI, 1000, &obs);
	nseen = 0;
	stop_at_first = true;
	vgic_start(vg);
}

/* An edge on SPI @intid's line from userspace (raised and lowered). */
static void pulse(unsigned intid)
{
	vgic_inject(vg, 0, intid, true);
	vgic_inject(vg, 0, intid, false);
}

/* The latency of an edge SPI 40 to vCPU 0, injected now. */
static sim_time_t spi40_latency(void)
{
	sim_time_t t0;

	make_edge(40);
	t0 = sim_now(sim);
	pulse(40);
	sim_run_for(sim, SIM_US(50));
	cr_assert_eq(nseen, 1);
	return seen[0].t - t0;
}

Test(vgic, halt_polling_saves_the_wakeup)
{
	const struct gic_host_profile *p = &gic_profile_altra;

	wfi_guests(p, 1, SIM_US(50));
	sim_run_for(sim, SIM_US(5)); /* booted, polling in WFI */
	cr_expect_eq(spi40_latency(),
		     C(p->cpu.inject) + C(lines(p)) + entry_to_handler(p, 1, lines(p)),
		     "no wake-up cost: the poll saw it");
	cr_expect_eq(cpu_vcpu_stats(vgic_vcpu(vg, 0))->polls_won, 1);
}

/* A poll that sees nothing for its window ends: the vCPU sleeps, and an
 * interrupt after that pays the whole wake-up, as with no polling. */
Test(vgic, an_expired_halt_poll_sleeps_and_pays_the_wakeup)
{
	const struct gic_host_profile *p = &gic_profile_altra;
	sim_time_t lat;

	wfi_guests(p, 1, SIM_US(50));
	sim_run_for(sim, SIM_US(5));
	cr_assert_eq(cpu_vcpu_stats(vgic_vcpu(vg, 0))->wfi_blocks, 0, "still polling at 5 us");
	sim_run_for(sim, SIM_US(95)); /* the 50 us window is over */
	cr_assert_eq(cpu_vcpu_stats(vgic_vcpu(vg, 0))->wfi_blocks, 1, "asleep after the window");
	lat = spi40_latency();
	cr_expect_eq(lat,
		     C(p->cpu.inject) + C(lines(p)) + C(p->cpu.wakeup) +
			     entry_to_handler(p, 1, lines(p)),
		     "the wake-up is paid: %llu ps", (unsigned long long)lat);
	cr_expect_eq(cpu_vcpu_stats(vgic_vcpu(vg, 0))->polls_won, 0);
}

/*
 * KVM stops polling once another thread of the pCPU is runnable: vCPU 1
 * polls (1 ms window) on the pCPU it shares with sleeping vCPU 0; an SPI
 * wakes vCPU 0, vCPU 1 goes to sleep at once and the pCPU switches to
 * vCPU 0, which enters after the switch, not after vCPU 1's window.
 */
Test(vgic, a_runnable_thread_ends_the_halt_poll)
{
	const struct gic_host_profile *p = &gic_profile_altra;
	sim_time_t lat;

	wfi_guests(p, 2, SIM_MS(1));
	sim_run_for(sim, SIM_US(20));
	/* vCPU 0 halted first, with vCPU 1 waiting: it slept; vCPU 1 polls */
	cr_assert_eq(cpu_vcpu_stats(vgic_vcpu(vg, 0))->wfi_blocks, 1);
	cr_assert_eq(cpu_vcpu_stats(vgic_vcpu(vg, 1))->wfi_blocks, 0);
	lat = spi40_latency();
	cr_expect_eq(lat,
		     C(p->cpu.inject) + C(lines(p)) + C(p->cpu.ctx_switch) +
			     entry_to_handler(p, 1, lines(p)),
		     "the switch, not the window: %llu ps", (unsigned long long)lat);
	cr_expect_eq(cpu_vcpu_stats(vgic_vcpu(vg, 1))->wfi_blocks, 1, "vCPU 1 sleeps");
	cr_expect_eq(cpu_vcpu_stats(vgic_vcpu(vg, 1))->polls_won, 0);
}

/*
 * An SPI retargeted (GICD_IROUTER) while it waits on its vCPU's list moves
 * to the new target at that vCPU's next exit, and the new one is kicked
 * (vgic_prune_ap_list(), which migrates and, since upstream's fix, kicks
 * the target). vCPU 0 masks interrupts, so SPI 40 stays in its LR; a
 * second SPI makes vCPU 0 exit; SPI 40 is then taken on vCPU 1.
 */
Test(vgic, an_spi_retargeted_while_queued_moves_at_the_next_exit)
{
	build(&gic_profile_altra, 2, CPU_GUEST_BUSY, 1000);
	make_edge(40);
	make_edge(41);
	cpu_vcpu_set_masking(vgic_vcpu(vg, 0), SIM_MS(10), SIM_MS(5));
	pulse(40);
	sim_run_for(sim, SIM_US(20));
	cr_assert_eq(nseen, 0, "vCPU 0 masks interrupts");
	/* Aff0 = 1: vCPU 1 (GICD_IROUTER<n> at 0x6000 + 8n) */
	gic_write(vgic_dist(vg), GIC_BANK_DIST, 0, 0x6000 + 8 * 40, 8, 1);
	sim_run_for(sim, SIM_US(20));
	cr_expect_eq(nseen, 0, "it waits on vCPU 0's list until vCPU 0 exits");
	pulse(41);
	sim_run_for(sim, SIM_US(50));
	cr_assert_eq(nseen, 1, "SPI 40 on its new vCPU, SPI 41 masked on vCPU 0");
	cr_expect_eq(seen[0].id, 40);
	cr_expect_eq(seen[0].cpu, 1);
}

/* The SGIs pending in @pcpu's list registers (the GIC-400's four
 * GICH_LR<n>: INTID [9:0], CPUID [12:10], pending bit 28), as INTID |
 * CPUID << 10, in @ids. */
static unsigned v2_pending_sgis(unsigned pcpu, uint32_t *ids, unsigned max)
{
	unsigned n = 0;

	for (unsigned i = 0; i < 4 && n < max; i++) {
		uint64_t lr;

		gic_read(gic_host_gic(host), GIC_BANK_HYP, pcpu, 0x100 + 4 * i, 4, &lr);
		if ((lr >> 28 & 1) && (lr & 0x3ff) < 16)
			ids[n++] = (uint32_t)lr & 0x1fff;
	}
	return n;
}

/*
 * GICv2: an SGI still pending in a list register when its vCPU exits is
 * folded back with its source (the pending bit is per source CPU,
 * GICD_SPENDSGIR; vgic_v2_fold_lr_state() sets the source bit again), so
 * it is listed again with that source. vCPU 1 masks interrupts while
 * vCPU 2 sends it SGI 2, then SGI 3, whose kick makes vCPU 1 exit with
 * SGI 2 pending in an LR; back in, its LRs hold both, each with CPUID 2,
 * and when it unmasks it takes both.
 */
Test(vgic, a_v2_sgi_pending_in_an_lr_at_an_exit_keeps_its_source)
{
	uint32_t ids[4];
	unsigned pcpu;

	build(&gic_profile_xgene, 3, CPU_GUEST_BUSY, 1000);
	pcpu = cpu_vcpu_pcpu(vgic_vcpu(vg, 1));
	cpu_vcpu_set_masking(vgic_vcpu(vg, 1), SIM_MS(10), SIM_MS(1));
	cr_assert(vgic_guest_sgi(vg, 2, 1, 2));
	sim_run_for(sim, SIM_US(20));
	cr_assert_eq(nseen, 0, "vCPU 1 masks interrupts");
	cr_assert_eq(v2_pending_sgis(pcpu, ids, 4), 1);
	cr_expect_eq(ids[0], 2 | 2u << 10, "LR: %#x", ids[0]);
	uint64_t exits = cpu_vcpu_stats(vgic_vcpu(vg, 1))->exits;

	cr_assert(vgic_guest_sgi(vg, 2, 1, 3));
	sim_run_for(sim, SIM_US(20));
	cr_assert_gt(cpu_vcpu_stats(vgic_vcpu(vg, 1))->exits, exits, "the kick made it exit");
	cr_assert_eq(v2_pending_sgis(pcpu, ids, 4), 2, "both listed again");
	cr_expect((ids[0] == (2 | 2u << 10) && ids[1] == (3 | 2u << 10)) ||
			  (ids[1] == (2 | 2u << 10) && ids[0] == (3 | 2u << 10)),
		  "SGIs 2 and 3 from CPU 2: LRs %#x, %#x", ids[0], ids[1]);
	cr_assert_eq(nseen, 0);
	sim_run_for(sim, SIM_MS(1));
	cr_assert_eq(nseen, 2, "both SGIs taken at the window's end");
	cr_expect(seen[0].cpu == 1 && seen[1].cpu == 1);
}

/* A masking window delays the virtual interrupt to the window's end; the
 * exit and entry happen as usual. */
Test(vgic, a_masked_guest_takes_the_interrupt_when_it_unmasks)
{
	const struct gic_host_profile *p = &gic_profile_altra;
	sim_time_t start, t0;

	build(p, 1, CPU_GUEST_BUSY, 1000);
	stop_at_first = true;
	make_edge(40);
	start = sim_now(sim);
	cpu_vcpu_set_masking(vgic_vcpu(vg, 0), SIM_US(100), SIM_US(30));
	sim_run_for(sim, SIM_US(5)); /* inside the first window */
	t0 = sim_now(sim);
	vgic_inject(vg, 0, 40, true);
	vgic_inject(vg, 0, 40, false);
	sim_run_for(sim, SIM_US(100));
	cr_assert_eq(nseen, 1);
	cr_expect_eq(seen[0].t, start + SIM_US(30) + C(p->cpu.guest_exc_entry) + C(p->guest_read),
		     "taken at the window's end (%llu ps after injection)",
		     (unsigned long long)(seen[0].t - t0));
}

/* A probe of vCPU 0's trap queue every nanosecond: the guest tries to send
 * one more IPI, and the first time it gets through is kept. */
static struct {
	struct sim_event ev;
	sim_time_t until, first_ok;
	unsigned refused_before, ok_before;
} probe;

static void probe_fire(struct sim *s, struct sim_event *ev)
{
	sim_time_t now = sim_now(s);

	if (vgic_guest_sgi(vg, 0, 1, 2)) {
		if (!probe.first_ok)
			probe.first_ok = now;
		if (now < probe.until)
			probe.ok_before++;
		return; /* the queue is full again: the probe ends */
	}
	if (now < probe.until)
		probe.refused_before++;
	sim_schedule_in(s, ev, SIM_NS(1), SIM_PRIO_DEFAULT);
}

/*
 * The time vgic_guest_full_until() gives for a full queue of trapping
 * writes is a promise: every write before it is refused, whatever happens
 * meanwhile (here the trap's exit, the host's handling and the entry, with
 * IPIs to vCPU 1 taken on the way); the first one that gets through is at
 * or after it. Exiting on a trap, the bound is the exit's end, then the
 * fixed parts of the sync (the save's GICH reads and write), the trap's
 * handling (its mmio_trap cycles at least), the fixed part of the flush
 * (the restore's writes) and the entry; with room in the queue it is now.
 */
Test(vgic, a_full_trap_queue_refuses_until_the_time_it_gives)
{
	const struct gic_host_profile *p = &gic_profile_altra;
	sim_time_t t0;

	build(p, 2, CPU_GUEST_BUSY, 1000);
	t0 = sim_now(sim);
	cr_expect_eq(vgic_guest_full_until(vg, 0), t0, "room: now");
	for (unsigned i = 0; i < 1 + CPU_TRAPS_WAITING; i++)
		cr_assert(vgic_guest_sgi(vg, 0, 1, 2), "write %u: the first traps, 16 wait", i);
	cr_assert_not(vgic_guest_sgi(vg, 0, 1, 2), "the 18th is refused");
	probe.until = vgic_guest_full_until(vg, 0);
	cr_expect_eq(probe.until,
		     t0 + C(p->cpu.exc_entry + p->cpu.exit) +
			     C(p->sync_base + p->timer_sync + (5ull + p->nr_lrs) * p->hyp_read +
			       p->hyp_write) +
			     C(p->cpu.mmio_trap) +
			     C(p->flush_base + p->timer_sync + (3ull + p->nr_lrs) * p->hyp_write +
			       p->cpu.entry));
	probe.first_ok = 0;
	probe.refused_before = probe.ok_before = 0;
	sim_event_init(&probe.ev, probe_fire);
	sim_schedule_in(sim, &probe.ev, SIM_NS(1), SIM_PRIO_DEFAULT);
	sim_run_for(sim, SIM_US(20));
	cr_expect_eq(probe.ok_before, 0, "a write got through before the time given");
	cr_expect_gt(probe.refused_before, (probe.until - t0) / SIM_NS(1) - 2);
	cr_expect_geq(probe.first_ok, probe.until, "the first write through at %llu ps, before %llu",
		      (unsigned long long)probe.first_ok, (unsigned long long)probe.until);
	cr_expect_gt(probe.first_ok, 0, "room came back");
}

/* ---- host noise (gic_host_set_noise()) ------------------------------------------------ */

/* The latencies of @n edges of SPI 40, one every 20 us, on a busy guest
 * of @p's host, noisy with @seed (0: quiet), into @lat. */
static void spi_series(const struct gic_host_profile *p, uint64_t seed, sim_time_t *lat,
		       unsigned n)
{
	build(p, 1, CPU_GUEST_BUSY, 1000);
	if (seed)
		cr_assert_eq(gic_host_set_noise(host, seed), 0);
	make_edge(40);
	for (unsigned i = 0; i < n; i++) {
		sim_time_t t0 = sim_now(sim);

		nseen = 0;
		vgic_inject(vg, 0, 40, true);
		vgic_inject(vg, 0, 40, false);
		sim_run_for(sim, SIM_US(20));
		cr_assert_eq(nseen, 1, "SPI %u delivered", i);
		lat[i] = seen[0].t - t0;
	}
	teardown();
}

static int by_time(const void *a, const void *b)
{
	sim_time_t x = *(const sim_time_t *)a, y = *(const sim_time_t *)b;

	return (x > y) - (x < y);
}

/*
 * Spread: every host step takes (1 - a) + a L of its profile cost, L
 * lognormal of mean 1. The latencies then vary, none below the quiet
 * latency's host part at (1 - a), their mean within a few per cent of the
 * quiet one (the profile's means hold); the same seed gives the same
 * series, another seed another.
 */
Test(vgic, noise_spreads_the_host_steps_around_the_profile)
{
	const struct gic_host_profile *p = &gic_profile_altra;
	enum { N = 200 };
	static sim_time_t quiet[N], a[N], b[N], c[N];
	double mean = 0, q = 0;

	spi_series(p, 0, quiet, N);
	spi_series(p, 11, a, N);
	spi_series(p, 11, b, N);
	spi_series(p, 12, c, N);
	cr_expect(!memcmp(a, b, sizeof(a)), "same seed, same latencies");
	cr_expect(memcmp(a, c, sizeof(a)), "another seed, other latencies");
	for (unsigned i = 0; i < N; i++) {
		/* the first is inserted in the ap_list, the others find it
		 * still there (no exit to prune it): one line less */
		cr_expect_eq(quiet[i], quiet[i ? 1 : 0], "a quiet host: every one the same");
		cr_expect_geq(a[i], (sim_time_t)((double)quiet[i] * (1 - p->spread_a)),
			      "SPI %u: %llu ps", i, (unsigned long long)a[i]);
		mean += (double)a[i] / N;
		q += (double)quiet[i] / N;
	}
	cr_expect(fabs(mean / q - 1) < 0.05, "mean %.0f ps against the quiet %.0f ps", mean, q);
	qsort(a, N, sizeof(a[0]), by_time);
	cr_expect_gt(a[N * 99 / 100], a[N / 2], "a tail: p99 above p50");
	cr_expect_lt(a[0], a[N / 2], "and some below the median");
}

/* The host tick exits a busy guest tick_hz times a second on its pCPU
 * (each pCPU at its own phase), and leaves an idle pCPU alone (NO_HZ). */
Test(vgic, the_host_tick_exits_a_busy_guest_at_its_rate)
{
	const struct gic_host_profile *p = &gic_profile_xgene;
	uint64_t e0;

	sim = sim_create(NULL);
	host = gic_host_create(sim, p, 3);
	vg = vgic_create(host, p->version, 2, 256);
	cr_assert_not_null(vg);
	vgic_set_guest(vg, 0, CPU_GUEST_BUSY, 1000, &obs);
	vgic_set_guest(vg, 1, CPU_GUEST_WFI, 1000, &obs);
	vgic_start(vg);
	sim_run_for(sim, SIM_US(20));
	e0 = cpu_vcpu_stats(vgic_vcpu(vg, 1))->exits;
	cr_assert_eq(cpu_vcpu_stats(vgic_vcpu(vg, 0))->exits, 0);
	cr_assert_eq(gic_host_set_noise(host, 3), 0);
	sim_run_for(sim, SIM_MS(100));
	uint64_t busy = cpu_vcpu_stats(vgic_vcpu(vg, 0))->exits;

	cr_expect(busy >= 100 * p->tick_hz / 1000 - 1 && busy <= 100 * p->tick_hz / 1000,
		  "%llu tick exits in 100 ms at %u Hz", (unsigned long long)busy, p->tick_hz);
	cr_expect_eq(cpu_vcpu_stats(vgic_vcpu(vg, 1))->exits, e0, "the idle vCPU's pCPU: none");
}
