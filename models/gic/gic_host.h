/* SPDX-License-Identifier: MIT */
/*
 * gic_host.h — an ARM KVM host: its timing profile, its physical GIC with
 * the virtualization extensions wired to the pCPUs of a cpu_machine, the
 * host kernel's GIC driver, and KVM's VGIC for one VM (the guest's
 * distributor, the per-vCPU pending lists, list-register flush and sync,
 * maintenance, kicks, forwarded interrupts and the 4.4 arch timer).
 */
#ifndef KVMSIM_MODELS_GIC_HOST_H
#define KVMSIM_MODELS_GIC_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "models/cpu/cpu.h"
#include "models/gic/gic.h"

/*
 * A host's timing: CPU costs (cpu.h) and the GIC's. Register accesses are
 * in CPU cycles per access; the profiles in gic_profile.c cite a source
 * for each figure or mark it an estimate.
 */
struct gic_host_profile {
	const char *name;
	const char *description;
	enum gic_version version;
	uint64_t cpu_hz;
	struct cpu_costs cpu;
	uint64_t gic_hz;
	uint32_t signal_cycles;  /* GIC cycles: state change -> CPU wire */
	uint32_t vsignal_cycles; /* GIC cycles: LR write -> vIRQ wire */
	unsigned nr_lrs;
	unsigned prio_bits;
	unsigned vprio_bits;
	uint32_t host_read;   /* host driver: GICC MMIO / ICC sysreg read */
	uint32_t host_write;
	uint32_t hyp_read;    /* KVM: GICH MMIO / ICH sysreg read */
	uint32_t hyp_write;
	uint32_t guest_read;  /* guest: GICV MMIO / ICV sysreg read */
	uint32_t guest_write;
	uint32_t flush_base;  /* vgic flush: software around the LR writes */
	uint32_t flush_per_lr;
	uint32_t sync_base;   /* vgic sync: software around the reads */
	uint32_t timer_sync;  /* 4.4 arch timer: save/restore on exit/entry */
	/* the kernel keeps the virtual timer loaded across exits (4.15 on):
	 * a busy guest's expired timer is a host interrupt that KVM's timer
	 * handler injects, not a level sampled at the exit's sync (4.4) */
	bool timer_in_host;
	uint64_t cnt_hz;      /* the system counter (CNTFRQ_EL0) */
	/* the host's side of an injection (CPU cycles) */
	uint32_t syscall;     /* a system call's entry and return (KVM_IRQ_LINE,
			       * an eventfd's write) */
	uint32_t irqfd_hop;   /* irqfd's deferred injection: the work item's
			       * kworker woken (0: injected in the writer's
			       * context) */
	uint32_t line_xfer;   /* one cache line from another core's cache */
	/* host noise (gic_host_set_noise()) */
	unsigned tick_hz;     /* the host kernel's tick (CONFIG_HZ) */
	unsigned tick_ppi;    /* the timer PPI it runs on */
	uint32_t tick_work;   /* a tick's handling, beyond the host's IRQ entry */
	double spread_a, spread_sigma; /* host steps' spread (cpu_machine_set_spread()) */
	/* the published rows ("TABLE/ROW" of workloads/microbench/) its
	 * fitted constants come from, at most three, NULL-terminated */
	const char *calibration[4];
};

extern const struct gic_host_profile gic_profile_xgene;
extern const struct gic_host_profile gic_profile_altra;

/* ---- the host --------------------------------------------------------------- */

struct gic_host;

/**
 * gic_host_create() - a machine of @npcpus pCPUs with a physical GIC of
 * @prof's version, the host's driver installed and every pCPU's wires
 * connected. The host kernel has brought the GIC up as Linux does at EL2:
 * distributor and CPU interfaces on, EOImode 1, PMR 0xF0, the SGIs, the
 * maintenance PPI and the timer PPIs enabled.
 */
struct gic_host *gic_host_create(struct sim *sim, const struct gic_host_profile *prof,
				 unsigned npcpus);
void gic_host_destroy(struct gic_host *h);

/**
 * gic_host_set_noise() - the host as real hosts are: every host step's
 * cost spread around the profile's (cpu_machine_set_spread() with the
 * profile's spread_a, spread_sigma) and the host kernel's tick on each
 * vCPU pCPU (tick_hz, each pCPU at a phase of its own; while the pCPU
 * runs something) through its timer PPI, which the host takes at
 * tick_work more cycles; all drawn from @seed. Off until called. 0, or -1
 * (ENOMEM).
 */
int gic_host_set_noise(struct gic_host *h, uint64_t seed);
struct gic *gic_host_gic(struct gic_host *h);
struct cpu_machine *gic_host_machine(struct gic_host *h);
const struct gic_host_profile *gic_host_profile(const struct gic_host *h);

/* ---- KVM's VGIC for one VM ---------------------------------------------------- */

struct vgic;

/**
 * vgic_create() - the VGIC of a VM with @nvcpus vCPUs on @host, vCPU i's
 * thread on pCPU i mod (pCPUs - 1): the last pCPU is the I/O thread's, and
 * fewer pCPUs than vCPUs overcommit them (the host scheduler shares).
 * Its distributor is the guest's GIC of @version in its KVM 4.4 form with
 * @nr_irqs INTIDs.
 */
struct vgic *vgic_create(struct gic_host *host, enum gic_version version,
			 unsigned nvcpus, unsigned nr_irqs);
void vgic_destroy(struct vgic *vg);

/* The guest's distributor (register access for DIST_REGS/CPU_REGS). */
struct gic *vgic_dist(struct vgic *vg);
struct cpu_vcpu *vgic_vcpu(struct vgic *vg, unsigned idx);

/**
 * vgic_inject() - kvm_vgic_inject_irq() from the VMM's I/O thread: drive
 * INTID @intid (of vCPU @cpu for a PPI) to @level, queue it, kick.
 */
void vgic_inject(struct vgic *vg, unsigned cpu, unsigned intid, bool level);

/* Re-examine every interrupt after a change made behind the VGIC's back
 * (a DIST_REGS write): queue and kick what became deliverable. */
void vgic_requeue(struct vgic *vg);

/* kvm_notify_acked_irq(): called with the SPI index of every level SPI
 * the guest completed (EOI maintenance), for resampling irqfds. */
void vgic_set_ack_notifier(struct vgic *vg, void (*fn)(void *ctx, uint32_t spi), void *ctx);

/**
 * vgic_map_phys() - kvm_vgic_map_phys_irq(): vIRQ @vintid of vCPU @cpu is
 * the physical @pintid (HW = 1 list registers). A host interrupt @pintid
 * arriving on that vCPU's pCPU is then injected into it, left active on
 * the physical GIC for the guest to deactivate.
 */
void vgic_map_phys(struct vgic *vg, unsigned cpu, unsigned vintid, unsigned pintid);

/* The guest of vCPU @cpu: what it does when idle, how long its handler
 * runs; its driver's costs come from the profile. */
void vgic_set_guest(struct vgic *vg, unsigned cpu, enum cpu_guest_idle idle,
		    uint64_t handler_cycles, const struct cpu_observer *obs);

/** vgic_boot_vcpu() - vCPU @cpu's guest sets its GIC up (once), as at its
 * first run (gic.md §7). */
void vgic_boot_vcpu(struct vgic *vg, unsigned cpu);
/** vgic_start_vcpu() - KVM_RUN on vCPU @cpu: its guest boots and runs. */
void vgic_start_vcpu(struct vgic *vg, unsigned cpu);
/** vgic_start() - KVM_RUN on every vCPU. */
void vgic_start(struct vgic *vg);

/**
 * vgic_guest_sgi() - the guest on vCPU @from sends SGI @sgi to vCPU @to
 * (GICD_SGIR on v2, ICC_SGI1R_EL1 on v3): a trapped write. False if the
 * guest could not make it (cpu_vcpu_trap()).
 */
bool vgic_guest_sgi(struct vgic *vg, unsigned from, unsigned to, unsigned sgi);

/* A time before which vgic_guest_sgi() from vCPU @from is false whatever
 * happens meanwhile (cpu_vcpu_traps_full_until()). */
sim_time_t vgic_guest_full_until(struct vgic *vg, unsigned from);

/* The guest's driver sets @intid edge or level (every vCPU's bank for a
 * PPI), at boot: no cost. */
void vgic_guest_irq_config(struct vgic *vg, unsigned intid, bool edge);

/**
 * vgic_mmio() - KVM's io_mem_abort() on a VGIC region: the guest on vCPU
 * @cpu accesses @len bytes at @off of the distributor (@bank DIST) or of
 * vCPU @target's redistributor (@bank REDIST: RD_base, SGI_base at
 * 0x10000). *@val in (a write) or out (a read). Returns the cycles of the
 * emulation (the profile's emulate, and inject for a write).
 */
uint64_t vgic_mmio(struct vgic *vg, unsigned cpu, enum gic_bank bank, unsigned target,
		   uint32_t off, unsigned len, bool write, uint64_t *val);

/* ---- the arch timer (4.4 semantics, §6.4) ------------------------------------ */

/**
 * vgic_timer_arm() - the guest on vCPU @cpu programs its virtual timer
 * (CNTV_CVAL = @at, enabled, unmasked). Its interrupt is PPI 27, level,
 * forwarded (HW = 1); the guest's handler disables the timer.
 */
void vgic_timer_arm(struct vgic *vg, unsigned cpu, sim_time_t at);

/*
 * The virtual timer's registers (KVM_REG_ARM_TIMER_*): CTL (ENABLE, IMASK;
 * ISTATUS reads whether the condition holds), CVAL (compared with the
 * virtual count) and CNT, the virtual count: setting it sets the VM's one
 * CNTVOFF, so every vCPU's count moves (kvm_arm_timer_set_reg() of 4.4).
 * The count runs at the profile's cnt_hz from 0 at simulated time 0.
 */
enum vgic_timer_reg { VGIC_TIMER_CTL, VGIC_TIMER_CNT, VGIC_TIMER_CVAL };
uint64_t vgic_timer_get(struct vgic *vg, unsigned cpu, enum vgic_timer_reg reg);
void vgic_timer_set(struct vgic *vg, unsigned cpu, enum vgic_timer_reg reg, uint64_t val);

/*
 * One interrupt's way to the guest (§8.1), in simulated time: asserted at
 * its source, queued and the target kicked, the target's exit begun (the
 * CPU took the physical interrupt that signals it, or whatever else made
 * it exit) and done (both 0 if it was not running the guest), written
 * into a list register, the world switch in done, the guest's acknowledge
 * read made, the guest's handler entered (that read returned), and
 * completed: the guest's EOI, or for a level interrupt with EOI
 * maintenance the sync that processed it.
 */
struct vgic_record {
	unsigned vcpu;
	uint32_t intid;
	sim_time_t t_assert, t_kick, t_signal, t_exit, t_flush, t_entry, t_ack, t_handler, t_done;
	uint32_t coalesced; /* assertions merged into this one (edges while pending) */
	uint32_t exits;     /* exits of the vCPU between assertion and handler */
};

struct vgic_observer {
	/* An interrupt completed (t_done set). May not call back into the
	 * VGIC. */
	void (*record)(void *ctx, const struct vgic_record *r);
	void *ctx;
};

void vgic_set_observer(struct vgic *vg, const struct vgic_observer *obs);

/* vgic_inject() after @before cycles of the host's on the way (the
 * KVM_IRQ_LINE ioctl's system call): the kick leaves after them and the
 * injection's. The interrupt counts as asserted at @since (an irqfd's
 * eventfd write before its deferred injection), or now (0). */
void vgic_inject_after(struct vgic *vg, unsigned cpu, unsigned intid, bool level,
		       uint64_t before, sim_time_t since);

/* Counters of the VGIC, for tests and summaries. */
struct vgic_stats {
	uint64_t flushes, syncs, lr_writes, overflows, maint_eoi, kicks, injections;
};
const struct vgic_stats *vgic_stats(const struct vgic *vg);

#endif /* KVMSIM_MODELS_GIC_HOST_H */
