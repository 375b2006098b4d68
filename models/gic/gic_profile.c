// SPDX-License-Identifier: MIT
/*
 * gic_profile.c — the two ARM KVM host profiles (../shared/spec/gic.md §8).
 *
 * How a profile is made (workloads/microbench/README.md says it for a
 * user's own host): its clock; the costs a published breakdown gives
 * directly (X-Gene: [ISCA16] Table III's world switch and VGIC save and
 * restore, divided over the register accesses 4.4's code makes); estimates
 * from the instruction paths of the KVM code each constant stands for,
 * marked "estimate"; and at most three published end-to-end rows, each
 * fixing one residual constant, named in .calibration. Every other
 * published row is a prediction: `kvmsim fidelity` reports it beside the
 * published figure with the ratio, and no test asserts that a published
 * figure equals a sum of these constants.
 */

#include "models/gic/gic_host.h"

/*
 * X-Gene / GIC-400, KVM of Linux 4.x, non-VHE, the VGIC before the 2016
 * rewrite: HP Moonshot m400 (APM X-Gene, 2.4 GHz) as measured in [ISCA16]
 * (Dall et al., ISCA 2016, Tables II and III; transcribed in gic.md §8.2
 * with a verification note).
 */
const struct gic_host_profile gic_profile_xgene = {
	.name = "xgene-gicv2",
	.description = "APM X-Gene 2.4 GHz, GIC-400 (GICv2), KVM 4.x non-VHE [ISCA16]",
	.version = GIC_V2,
	.cpu_hz = 2400000000, /* [ISCA16] hardware description */
	.cpu = {
		/* estimate: the exception to EL2 and its ERET; bounded by
		 * Xen ARM's whole hypercall, 376 cycles [ISCA16] Table II,
		 * which is both plus a minimal save */
		.exc_entry = 150,
		/* [ISCA16] Table III save: GP 152 + FP 282 + EL1 sysregs 230 +
		 * timer 104 + EL2 config 92 + EL2 VM 92 (VGIC save apart) */
		.exit = 952,
		/* [ISCA16] Table III restore: GP 184 + FP 310 + EL1 sysregs
		 * 511 + timer 106 + EL2 config 107 + EL2 VM 107 */
		.entry = 1325,
		.host_irq = 400,    /* estimate: host ISR dispatch */
		.inject = 300,      /* estimate: kvm_vgic_inject_irq under the lock */
		.kick_ipi = 250,    /* estimate: smp_send_reschedule() */
		.wakeup = 4800,     /* estimate: 2 us to wake a blocked vCPU thread */
		.wfi_trap = 150,    /* estimate */
		/* calibrated: [ISCA16] Table II "Interrupt Controller Trap"
		 * 7,370 is the hypercall's round trip plus these two; the
		 * split is an estimate (the abort's decode and io_mem_abort's
		 * bus walk; vgic_handle_mmio's range lookup and handler) */
		.mmio_trap = 520,
		.emulate = 350,
		.guest_exc_entry = 100, /* estimate: exception entry at EL1 */
		.ctx_switch = 4800,     /* estimate: 2 us, schedule + vcpu_put/load */
		/* inside the run loop's software (sync_base, flush_base): the
		 * [ISCA16] hypercall is an HVC that KVM handles, as
		 * PSCI_VERSION is */
		.hvc = 0,
		/* estimate, no published figure: the run loop's return and
		 * 4.4's non-VHE vcpu_put (~200; the world switch saved the
		 * guest already), the system call's return (~300), QEMU 2.x's
		 * dispatch of the MMIO exit: the BQL, address_space_rw()'s
		 * lookup and the region's callback (~1,800) */
		.user_exit = 2300,
		/* estimate: the system call (~300), vcpu_load (~200), the
		 * MMIO completion and the run loop's checks (~100) */
		.user_entry = 600,
	},
	.gic_hz = 1000000000,   /* estimate: GIC clock */
	.signal_cycles = 10,    /* gem5 GicV2 int_latency 10 ns [G5PY]: placeholder */
	.vsignal_cycles = 10,   /* the same placeholder for the virtual interface */
	.nr_lrs = 4,            /* GIC-400 (gic.md §4.2, [G5VG]) */
	.prio_bits = 5,         /* GIC-400: 32 levels */
	.vprio_bits = 5,        /* GICH_LR priority[7:3] */
	/* [ISCA16] Table III VGIC save 3,250 cycles is 4.4's GICv2 save:
	 * 9 GICH reads (VMCR, MISR, EISR0, ELRSR0, APR, 4 LRs) and 1 write
	 * (HCR); restore 181 is its 7 writes (HCR, VMCR, APR, 4 LRs): a
	 * write 181 / 7 = 26, a read (3,250 - 26) / 9 = 358. The host's
	 * GICC is the same GIC-400 on the same bus: the same costs
	 * (estimate) */
	.host_read = 358,
	.host_write = 26,
	.hyp_read = 358,
	.hyp_write = 26,
	/* the guest's GICV: a write posted as GICH's (26, estimate); the
	 * read calibrated on [ISCA16] Table II "Virtual IRQ Completion" 71
	 * cycles, one GICV_IAR read and one GICV_EOIR write: 71 - 26. (A
	 * GICV read costs far less than a GICH read on this host: the
	 * published figures say so; the model takes them as they are) */
	.guest_read = 45,
	.guest_write = 26,
	/* calibrated: [ISCA16] Table II "Hypercall" 6,500 cycles less its
	 * parts above (exception 150, Table III's save 952 + 3,248 and
	 * restore 1,325 + 182) leaves 643 for the run loop's software
	 * around the world switch (handle_exit's dispatch, the VGIC's and
	 * the timer's sync and flush bookkeeping); split evenly (estimate) */
	.flush_base = 322,
	.sync_base = 321,
	.flush_per_lr = 60,     /* estimate: populating one LR */
	.timer_sync = 0,        /* timer registers are inside exit/entry above */
	/* X-Gene Storm's device tree: timer clock-frequency 50 MHz
	 * (arch/arm64/boot/dts/apm/apm-storm.dtsi) */
	.cnt_hz = 50000000,
	/* estimate: a system call's entry and return on 4.4 arm64, ~0.2 us */
	.syscall = 480,
	/* 4.4's irqfd_wakeup() defers an SPI's injection to irqfd->inject on
	 * the system workqueue: a kworker woken on the writer's pCPU, at the
	 * cost of a thread wake-up (estimate, as wakeup above). The patch
	 * that ended it (5.9) counts "roughly twice the interrupt rate" in
	 * host context switches before it */
	.irqfd_hop = 4800,
	/* estimate: ~60 ns, a line held in another PMD's L2, reached through
	 * X-Gene's central switch and L3 (no published core-to-core figure
	 * found for X-Gene) */
	.line_xfer = 144,
	/* estimate: CONFIG_HZ=250, the common arm64 distribution kernels'
	 * tick; a non-VHE 4.4 host kernel runs it on the EL1 physical timer
	 * (PPI 30); its handling (tick_sched_timer: the scheduler's tick,
	 * RCU, timers) ~1 us beyond the interrupt's entry (estimate) */
	.tick_hz = 250,
	.tick_ppi = 30,
	.tick_work = 2400,
	/* estimate: a host step costs at least 0.7 of its profile cost and
	 * spreads with a log standard deviation of 0.5 above it (coefficient
	 * of variation 0.16; p99 1.55 times the mean): the cache, TLB and
	 * branch-predictor state a world switch and the host's code meet.
	 * The mean is the profile's, so the calibration holds */
	.spread_a = 0.3,
	.spread_sigma = 0.5,
	.calibration = { "isca16/hypercall", "isca16/interrupt_controller_trap",
			 "isca16/virtual_irq_completion", NULL },
};

/*
 * Neoverse N1 / Ampere Altra with GICv3, modern KVM (VHE, the rewritten
 * VGIC): kvm-unit-tests micro-bench on Linux 6.12-rc1 [ML-ALTRA]. The post
 * gives no clock; 3.0 GHz (Altra Q80-30) is an assumption.
 */
const struct gic_host_profile gic_profile_altra = {
	.name = "altra-gicv3",
	.description = "Ampere Altra (Neoverse N1) 3.0 GHz, GICv3, KVM 6.12 VHE [ML-ALTRA]",
	.version = GIC_V3,
	.cpu_hz = 3000000000, /* assumption: Altra Q80-30 */
	.cpu = {
		.exc_entry = 60,    /* estimate */
		.exit = 200,        /* estimate: VHE world switch out */
		.entry = 200,       /* estimate: VHE world switch in */
		.host_irq = 300,    /* estimate */
		.inject = 200,      /* estimate */
		.kick_ipi = 150,    /* estimate */
		.wakeup = 3000,     /* estimate: 1 us */
		.wfi_trap = 100,    /* estimate */
		/* calibrated: [ML-ALTRA] mmio_read_vgic 451 ns (1,353 cycles)
		 * is the hvc round trip, 306 ns (918 cycles), plus these two;
		 * the split is an estimate */
		.mmio_trap = 300,
		.emulate = 135,
		.guest_exc_entry = 60, /* estimate */
		.ctx_switch = 3000,    /* estimate: 1 us */
		/* inside the calibrated hvc round trip: [ML-ALTRA]'s hvc is a
		 * PSCI_VERSION call KVM handles */
		.hvc = 0,
		/* estimate, not calibrated ([ML-ALTRA] mmio_read_user is a
		 * prediction of it): the run loop's return and VHE vcpu_put
		 * (EL1 system registers, timer, GICv3 VMCR/APRs, FP: ~600),
		 * the system call's return (~200), QEMU's dispatch of the
		 * MMIO exit: the BQL, address_space_rw()'s lookup, the
		 * region's callback (~900) */
		.user_exit = 1700,
		/* estimate: the system call (~200), vcpu_load (~600), the
		 * MMIO completion and the run loop's checks (~200) */
		.user_entry = 1000,
	},
	.gic_hz = 1000000000,   /* estimate */
	.signal_cycles = 10,    /* gem5 Gicv3 placeholder 10 ns [G5PY] */
	.vsignal_cycles = 10,
	.nr_lrs = 4,            /* Neoverse N1 ICH_VTR_EL2 ListRegs [QCPU] */
	.prio_bits = 5,         /* [QCPU] */
	.vprio_bits = 5,        /* [QCPU] */
	.host_read = 20,        /* estimate: ICC system register access */
	.host_write = 20,
	.hyp_read = 20,         /* estimate: ICH system register access */
	.hyp_write = 20,
	/* calibrated: [ML-ALTRA] eoi = 14 ns = 42 cycles for one
	 * ICV_EOIR1_EL1 write; the acknowledge read is taken to cost the
	 * same (estimate) */
	.guest_read = 42,
	.guest_write = 42,
	/* calibrated: [ML-ALTRA] hvc 918 cycles less the exception, the
	 * world switch and the ICH accesses (9 reads + 1 write, 7 writes)
	 * leaves the run loop's software; split evenly (estimate) */
	.flush_base = 59,
	.sync_base = 59,
	.flush_per_lr = 20,     /* estimate */
	.timer_sync = 0,
	/* 6.12 (since 4.15's "KVM: arm/arm64: Avoid timer save/restore in
	 * vcpu entry/exit") leaves the virtual timer running while the vCPU
	 * is loaded: its expiry is a host interrupt, kvm_arch_timer_handler()
	 * injects it (kvm_timer_update_irq) */
	.timer_in_host = true,
	/* estimate: 25 MHz, the CNTFRQ_EL0 Altra boot logs are recalled to
	 * show; not verified here (a counter of another rate moves timer
	 * deadlines only to its ticks) */
	.cnt_hz = 25000000,
	/* estimate: a system call's entry and return on 6.12 arm64, ~0.1 us */
	.syscall = 300,
	/* none: since 5.9 ("KVM: arm64: Allow in-atomic injection of
	 * SPIs", M. Zyngier, kvm list 5 Aug 2020) kvm_arch_set_irq_inatomic()
	 * injects an irqfd's SPI in the eventfd writer's context */
	.irqfd_hop = 0,
	/* estimate: ~100 ns, a line held by a core elsewhere on Altra's
	 * CMN-600 mesh (the order core-to-core tests of Altra report; the
	 * figures were not retrieved here). A user's own host: its measured
	 * core-to-core latency */
	.line_xfer = 300,
	/* estimate: CONFIG_HZ=250; a VHE host kernel runs its tick on the
	 * EL2 physical timer (PPI 26); ~0.5 us of handling (estimate) */
	.tick_hz = 250,
	.tick_ppi = 26,
	.tick_work = 1500,
	.spread_a = 0.3,        /* estimate, as the X-Gene's */
	.spread_sigma = 0.5,
	.calibration = { "kvm-unit-tests/hvc", "kvm-unit-tests/mmio_read_vgic",
			 "kvm-unit-tests/eoi", NULL },
};
