// SPDX-License-Identifier: MIT
/*
 * gic_profile.c — the two ARM KVM host profiles (../shared/spec/gic.md §8):
 * every figure names its source, or says "estimate" and what constrains
 * it. Published figures are end-to-end; where a profile splits one into
 * stages, the split is an estimate calibrated so that the model's own
 * path reproduces the published total (the calibration is checked by
 * tests/test_vgic.c).
 */
#include <string.h>

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
		.exc_entry = 300,   /* estimate: IRQ exception to EL2 */
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
		/* estimates splitting [ISCA16] Table II "Interrupt Controller
		 * Trap" 7,370 minus the 6,500-cycle hypercall round trip */
		.mmio_trap = 520,
		.emulate = 350,
		.guest_exc_entry = 100, /* estimate: exception entry at EL1 */
		.ctx_switch = 4800,     /* estimate: 2 us, schedule + vcpu_put/load */
		/* inside the calibrated hypercall round trip (flush_base and
		 * sync_base below): [ISCA16]'s hypercall is an HVC that KVM
		 * handles, as PSCI_VERSION is */
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
	/* gic.md §8.3: ~250-cycle MMIO reads, ~30-cycle posted writes,
	 * derived from [ISCA16] Table III VGIC save 3,250 / restore 181 */
	.host_read = 250,
	.host_write = 30,
	.hyp_read = 250,
	.hyp_write = 30,
	/* [ISCA16] Table II "Virtual IRQ Completion" 71 cycles = one GICV_IAR
	 * read + one GICV_EOIR write; the split is an estimate */
	.guest_read = 41,
	.guest_write = 30,
	/* estimates calibrated so that a hypercall round trip (exception,
	 * exit, VGIC save of 9 reads + 1 write, VGIC restore of 7 writes,
	 * entry) is [ISCA16] Table II's 6,500 cycles */
	.flush_base = 700,
	.sync_base = 733,
	.flush_per_lr = 60,     /* estimate: populating one LR */
	.timer_sync = 0,        /* timer registers are inside exit/entry above */
	/* X-Gene Storm's device tree: timer clock-frequency 50 MHz
	 * (arch/arm64/boot/dts/apm/apm-storm.dtsi) */
	.cnt_hz = 50000000,
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
		/* estimates splitting [ML-ALTRA] mmio_read_vgic 451 ns (1,353
		 * cycles) minus the hvc round trip 306 ns (918 cycles) */
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
	/* [ML-ALTRA] eoi = 14 ns = 42 cycles for one ICV_EOIR1_EL1 write; the
	 * acknowledge read is taken to cost the same (estimate) */
	.guest_read = 42,
	.guest_write = 42,
	/* estimates calibrated so that the hvc round trip (exception, exit,
	 * 9 ICH reads + 1 write, 7 ICH writes, entry) is [ML-ALTRA]'s 918 */
	.flush_base = 59,
	.sync_base = 59,
	.flush_per_lr = 20,     /* estimate */
	.timer_sync = 0,
	/* estimate: 25 MHz, the CNTFRQ_EL0 Altra boot logs are recalled to
	 * show; not verified here (a counter of another rate moves timer
	 * deadlines only to its ticks) */
	.cnt_hz = 25000000,
};

const struct gic_host_profile *gic_profile_find(const char *name)
{
	static const struct gic_host_profile *const all[] = { &gic_profile_xgene,
							      &gic_profile_altra };

	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		if (name && strcmp(all[i]->name, name) == 0)
			return all[i];
	return NULL;
}
