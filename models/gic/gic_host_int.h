/* SPDX-License-Identifier: MIT */
/*
 * gic_host_int.h — private state shared by gic_host.c (the host) and
 * gic_vgic.c (KVM's VGIC). Only models/gic/ includes it.
 */
#ifndef KVMSIM_MODELS_GIC_HOST_INT_H
#define KVMSIM_MODELS_GIC_HOST_INT_H

#include "models/gic/gic_host.h"
#include "models/gic/gic_int.h"

#define GIC_HOST_IPI_SGI 0     /* Linux IPI_RESCHEDULE */
#define GIC_HOST_MAINT_PPI 25  /* the maintenance interrupt (gic.md §4.2) */
#define GIC_HOST_VTIMER_PPI 27 /* EL1 virtual timer (gic.md §1.1) */

/* The host kernel's timer tick on one pCPU (gic_host_set_noise()). */
struct gic_host_tick {
	struct sim_event ev;
	struct gic_host *h;
	unsigned pcpu;
};

struct gic_host {
	const struct gic_host_profile *prof;
	unsigned npcpus;
	struct gic_config gic_cfg;
	struct cpu_machine *m;
	struct gic *gic;
	struct vgic *vgic; /* the VM on this host, if any */
	/* the driver's acknowledge, EOI, deactivate and SGI registers */
	struct gic_reg_ref r_ack, r_eoi, r_dir, r_sgi;
	struct gic_host_tick *ticks; /* per vCPU pCPU, once noisy */
	sim_time_t tick_period;
};

/* A physical interrupt @id the host took on @pcpu: if it is mapped to a
 * vCPU running there, inject it and leave it active (true). */
bool vgic_host_irq(struct vgic *vg, unsigned pcpu, uint32_t id, uint64_t *cycles);

#endif /* KVMSIM_MODELS_GIC_HOST_INT_H */
