// SPDX-License-Identifier: MIT
/*
 * gic_host.c — an ARM KVM host: the physical GIC wired to the pCPUs of a
 * cpu_machine and brought up as Linux does at EL2, and the host kernel's
 * GIC driver (acknowledge, priority drop, deactivate, reschedule IPIs)
 * with the profile's register-access costs. Interrupts the host receives
 * are passed to the VGIC of the VM (forwarded ones, gic_vgic.c).
 */
#include <errno.h>
#include <stdlib.h>

#include "models/gic/gic_host_int.h"
#include "sim/rng.h"
#include "sim/sim.h"

/* GICv2 CPU interface and distributor offsets (gic.md §2.1, §3.1) */
#define GICD_CTLR 0x000
#define GICD_ISENABLER 0x100
#define GICD_IPRIORITYR 0x400
#define GICD_IGROUPR 0x080
#define GICD_SGIR 0xF00
#define GICC_CTLR 0x00
#define GICC_PMR 0x04
#define GICC_IAR 0x0C
#define GICC_EOIR 0x10
#define GICC_DIR 0x1000
#define GICR_SGI_BASE 0x10000
#define GICR_IGROUPR0 (GICR_SGI_BASE + 0x080)
#define GICR_ISENABLER0 (GICR_SGI_BASE + 0x100)
#define GICR_IPRIORITYR (GICR_SGI_BASE + 0x400)
#define ICC_PMR_EL1 GIC_SYSREG(3, 0, 4, 6, 0)
#define ICC_DIR_EL1 GIC_SYSREG(3, 0, 12, 11, 1)
#define ICC_SGI1R_EL1 GIC_SYSREG(3, 0, 12, 11, 5)
#define ICC_IAR1_EL1 GIC_SYSREG(3, 0, 12, 12, 0)
#define ICC_EOIR1_EL1 GIC_SYSREG(3, 0, 12, 12, 1)
#define ICC_CTLR_EL1 GIC_SYSREG(3, 0, 12, 12, 4)
#define ICC_IGRPEN1_EL1 GIC_SYSREG(3, 0, 12, 12, 7)

#define LINUX_PRIO 0xA0      /* GICD_INT_DEF_PRI */
#define LINUX_PMR 0xF0       /* GICC_INT_PRI_THRESHOLD */

static bool v2(const struct gic_host *h)
{
	return h->prof->version == GIC_V2;
}

static void wr(struct gic_host *h, enum gic_bank bank, unsigned cpu, uint32_t off,
	       uint64_t val)
{
	gic_write(h->gic, bank, cpu, off, bank == GIC_BANK_ICC || bank == GIC_BANK_ICV ? 8 : 4,
		  val);
}

/* ---- the host kernel's GIC driver (cpu_host_ops) ----------------------------------- */

static uint32_t host_ack(void *ctx, unsigned pcpu, uint64_t *cycles)
{
	struct gic_host *h = ctx;

	*cycles += h->prof->host_read;
	return (uint32_t)gic_ref_read(h->gic, &h->r_ack, pcpu) & (v2(h) ? 0x3ff : 0xffffff);
}

/* EOImode 1: priority drop only */
static void host_eoi(void *ctx, unsigned pcpu, uint32_t id, uint64_t *cycles)
{
	struct gic_host *h = ctx;

	*cycles += h->prof->host_write;
	gic_ref_write(h->gic, &h->r_eoi, pcpu, id);
}

static void host_deactivate(void *ctx, unsigned pcpu, uint32_t id, uint64_t *cycles)
{
	struct gic_host *h = ctx;

	*cycles += h->prof->host_write;
	gic_ref_write(h->gic, &h->r_dir, pcpu, id);
}

static bool host_handle(void *ctx, unsigned pcpu, uint32_t id, uint64_t *cycles)
{
	struct gic_host *h = ctx;

	if (id == GIC_HOST_IPI_SGI || id == GIC_HOST_MAINT_PPI)
		return false; /* reschedule IPI, maintenance: no work here */
	if (h->ticks && id == h->prof->tick_ppi) {
		/* the tick's work; reprogramming the timer drops its line */
		*cycles += h->prof->tick_work;
		gic_set_irq(h->gic, pcpu, id, false);
		return false;
	}
	return h->vgic && vgic_host_irq(h->vgic, pcpu, id, cycles);
}

static void host_send_ipi(void *ctx, unsigned from, unsigned to)
{
	struct gic_host *h = ctx;

	/* a pCPU without a GIC CPU interface (the I/O thread's beyond the
	 * eight of GICv2) writes through interface 0: only the SGI's source
	 * field differs, which the host ignores */
	if (from >= h->gic_cfg.ncpus)
		from = 0;
	if (v2(h)) {
		/* GICD_SGIR: TargetListFilter 0, CPUTargetList, SGIINTID */
		gic_ref_write(h->gic, &h->r_sgi, from, (1u << to) << 16 | GIC_HOST_IPI_SGI);
		return;
	}
	/* ICC_SGI1R_EL1 for the PE with Aff0 = to % 16, Aff1 = to / 16 */
	gic_ref_write(h->gic, &h->r_sgi, from,
		      (uint64_t)GIC_HOST_IPI_SGI << 24 | (uint64_t)(to / 16) << 16 | 1u << (to % 16));
}

static const struct cpu_host_ops host_ops = {
	.ack = host_ack,
	.eoi = host_eoi,
	.deactivate = host_deactivate,
	.handle = host_handle,
	.send_ipi = host_send_ipi,
};

/* ---- bring-up ------------------------------------------------------------------------ */

/* Linux at EL2 (gic_dist_init / gic_cpu_init, gic.md §7): everything at
 * the default priority, the SGIs, the maintenance PPI and the virtual
 * timer PPI enabled on every CPU, EOImode 1, PMR 0xF0. */
static void linux_bring_up(struct gic_host *h)
{
	unsigned n = h->gic_cfg.ncpus;
	uint32_t ppis = 1u << GIC_HOST_MAINT_PPI | 1u << GIC_HOST_VTIMER_PPI | 0xffff;

	if (h->prof->tick_ppi)
		ppis |= 1u << h->prof->tick_ppi; /* the host's own timer */

	if (v2(h)) {
		for (unsigned c = 0; c < n; c++) {
			for (unsigned i = 0; i < 32; i += 4)
				wr(h, GIC_BANK_DIST, c, GICD_IPRIORITYR + i, LINUX_PRIO * 0x01010101u);
			wr(h, GIC_BANK_DIST, c, GICD_ISENABLER, ppis);
			wr(h, GIC_BANK_CPU, c, GICC_PMR, LINUX_PMR);
			wr(h, GIC_BANK_CPU, c, GICC_CTLR, 0x1 | 1u << 9);
		}
		for (unsigned i = 32; i < 1020 && i < h->gic_cfg.nr_irqs; i += 4)
			wr(h, GIC_BANK_DIST, 0, GICD_IPRIORITYR + i, LINUX_PRIO * 0x01010101u);
		wr(h, GIC_BANK_DIST, 0, GICD_CTLR, 0x1);
		return;
	}
	for (unsigned c = 0; c < n; c++) {
		/* GICR_WAKER: the firmware woke every redistributor at boot */
		gic_host_wake(h->gic, c);
		wr(h, GIC_BANK_REDIST, c, GICR_IGROUPR0, 0xffffffff);
		for (unsigned i = 0; i < 32; i += 4)
			wr(h, GIC_BANK_REDIST, c, GICR_IPRIORITYR + i, LINUX_PRIO * 0x01010101u);
		wr(h, GIC_BANK_REDIST, c, GICR_ISENABLER0, ppis);
		wr(h, GIC_BANK_ICC, c, ICC_PMR_EL1, LINUX_PMR);
		wr(h, GIC_BANK_ICC, c, ICC_CTLR_EL1, 0x2); /* EOImode */
		wr(h, GIC_BANK_ICC, c, ICC_IGRPEN1_EL1, 1);
	}
	for (unsigned i = 32; i < h->gic_cfg.nr_irqs && i < 1020; i += 32)
		wr(h, GIC_BANK_DIST, 0, GICD_IGROUPR + i / 8, 0xffffffff);
	for (unsigned i = 32; i < 1020 && i < h->gic_cfg.nr_irqs; i += 4)
		wr(h, GIC_BANK_DIST, 0, GICD_IPRIORITYR + i, LINUX_PRIO * 0x01010101u);
	wr(h, GIC_BANK_DIST, 0, GICD_CTLR, 0x2);
}

struct gic_host *gic_host_create(struct sim *sim, const struct gic_host_profile *prof,
				 unsigned npcpus)
{
	struct cpu_machine_config mc = { .name = "cpu", .npcpus = npcpus, .costs = prof->cpu };
	struct gic_host *h;

	if (!npcpus || (prof->version == GIC_V2 && npcpus > 9)) {
		errno = EINVAL; /* eight vCPU pCPUs at most, and the I/O one */
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h)
		return NULL;
	h->prof = prof;
	h->npcpus = npcpus;
	sim_clock_init_hz(&mc.clock, prof->cpu_hz);
	h->gic_cfg = (struct gic_config){
		.name = "gic",
		.version = prof->version,
		.ncpus = prof->version == GIC_V2 && npcpus > 8 ? 8 : npcpus,
		.nr_irqs = 256,
		.prio_bits = prof->prio_bits,
		.nr_lrs = prof->nr_lrs,
		.vprio_bits = prof->vprio_bits,
		.signal_cycles = prof->signal_cycles,
		.vsignal_cycles = prof->vsignal_cycles,
	};
	sim_clock_init_hz(&h->gic_cfg.clock, prof->gic_hz);
	h->m = cpu_machine_create(sim, &mc);
	h->gic = gic_create(sim, &h->gic_cfg);
	if (!h->m || !h->gic) {
		gic_host_destroy(h);
		errno = ENOMEM;
		return NULL;
	}
	for (unsigned c = 0; c < h->gic_cfg.ncpus; c++) {
		cpu_input_connect(h->m, c, CPU_IRQ, gic_output(h->gic, c, GIC_OUT_IRQ));
		cpu_input_connect(h->m, c, CPU_FIQ, gic_output(h->gic, c, GIC_OUT_FIQ));
		cpu_input_connect(h->m, c, CPU_VIRQ, gic_output(h->gic, c, GIC_OUT_VIRQ));
		cpu_input_connect(h->m, c, CPU_VFIQ, gic_output(h->gic, c, GIC_OUT_VFIQ));
	}
	if (v2(h)) {
		gic_reg_ref_init(h->gic, GIC_BANK_CPU, GICC_IAR, 4, &h->r_ack);
		gic_reg_ref_init(h->gic, GIC_BANK_CPU, GICC_EOIR, 4, &h->r_eoi);
		gic_reg_ref_init(h->gic, GIC_BANK_CPU, GICC_DIR, 4, &h->r_dir);
		gic_reg_ref_init(h->gic, GIC_BANK_DIST, GICD_SGIR, 4, &h->r_sgi);
	} else {
		gic_reg_ref_init(h->gic, GIC_BANK_ICC, ICC_IAR1_EL1, 8, &h->r_ack);
		gic_reg_ref_init(h->gic, GIC_BANK_ICC, ICC_EOIR1_EL1, 8, &h->r_eoi);
		gic_reg_ref_init(h->gic, GIC_BANK_ICC, ICC_DIR_EL1, 8, &h->r_dir);
		gic_reg_ref_init(h->gic, GIC_BANK_ICC, ICC_SGI1R_EL1, 8, &h->r_sgi);
	}
	cpu_machine_set_host(h->m, &host_ops, h);
	linux_bring_up(h);
	return h;
}

/* A pCPU's tick: its timer's PPI raised while the pCPU runs something
 * (an idle pCPU's tick is stopped: NO_HZ_IDLE), every period. */
static void tick_fire(struct sim *sim, struct sim_event *ev)
{
	struct gic_host_tick *t = container_of(ev, struct gic_host_tick, ev);
	struct gic_host *h = t->h;

	if (cpu_pcpu_busy(h->m, t->pcpu))
		gic_set_irq(h->gic, t->pcpu, h->prof->tick_ppi, true);
	sim_schedule(sim, ev, sim_now(sim) + h->tick_period, SIM_PRIO_DEFAULT);
}

int gic_host_set_noise(struct gic_host *h, uint64_t seed)
{
	const struct gic_host_profile *p = h->prof;
	unsigned n = h->npcpus - 1; /* the I/O thread's pCPU has no vCPU */
	struct sim *sim = cpu_machine_sim(h->m);
	struct sim_rng r;

	if (h->ticks || !n)
		return 0;
	if (cpu_machine_set_spread(h->m, seed, p->spread_a, p->spread_sigma))
		return -1;
	if (!p->tick_hz)
		return 0;
	h->ticks = calloc(n, sizeof(*h->ticks));
	if (!h->ticks)
		return -1;
	h->tick_period = SIM_S(1) / p->tick_hz;
	sim_rng_seed(&r, seed, sim_fnv1a64("host.tick"));
	for (unsigned i = 0; i < n && i < h->gic_cfg.ncpus; i++) {
		h->ticks[i] = (struct gic_host_tick){ .h = h, .pcpu = i };
		sim_event_init(&h->ticks[i].ev, tick_fire);
		/* each pCPU's ticks at a phase of its own */
		sim_schedule(sim, &h->ticks[i].ev,
			     sim_now(sim) + 1 + sim_rng_below(&r, h->tick_period), SIM_PRIO_DEFAULT);
	}
	return 0;
}

void gic_host_destroy(struct gic_host *h)
{
	if (!h)
		return;
	if (h->ticks) {
		struct sim *sim = cpu_machine_sim(h->m);

		for (unsigned i = 0; i < h->npcpus - 1 && i < h->gic_cfg.ncpus; i++)
			sim_cancel(sim, &h->ticks[i].ev);
		free(h->ticks);
	}
	cpu_machine_destroy(h->m);
	gic_destroy(h->gic);
	free(h);
}

struct gic *gic_host_gic(struct gic_host *h)
{
	return h->gic;
}

struct cpu_machine *gic_host_machine(struct gic_host *h)
{
	return h->m;
}

const struct gic_host_profile *gic_host_profile(const struct gic_host *h)
{
	return h->prof;
}
