// SPDX-License-Identifier: MIT
/*
 * kvm_host.c — the simulated hosts: for each architecture, what its Linux
 * 4.4 /dev/kvm reports (kvm-api.md §9.1, §10) and which requests it knows.
 *
 * A capability is reported with its 4.4 value only when kvmsim implements
 * what it announces; until the controller or request behind it lands, it
 * reads 0 (each entry names what it waits for), so a VMM probing
 * capabilities never reaches something that is not there.
 */
#include <errno.h>
#include <string.h>

#include "kvm_int.h"

#define NOTHING KVM_NEED_NOTHING, 0
#define UNBUILT KVM_NEED_UNBUILT, 0
#define DEVICE(t) KVM_NEED_DEVICE, KVM_DEV_TYPE_##t
#define BIT(n) (UINT32_C(1) << (n))

/* Simulated hosts have this many CPUs online (KVM_CAP_NR_VCPUS on arm64
 * and ppc reports the host's online CPUs). */
#define HOST_CPUS 8

static const struct kvm_cap_entry x86_caps[] = {
	{ KVM_CAP_IRQCHIP, 1, UNBUILT },   /* x86 PIC/IOAPIC/LAPIC models */
	{ KVM_CAP_NR_VCPUS, 160, NOTHING },
	{ KVM_CAP_IRQ_ROUTING, 1024, UNBUILT }, /* x86 irqchip */
	{ KVM_CAP_IRQ_INJECT_STATUS, 1, UNBUILT }, /* x86 irqchip */
	{ KVM_CAP_IRQFD, 1, UNBUILT },     /* irqfd, x86 irqchip */
	{ KVM_CAP_MAX_VCPUS, 255, NOTHING },
	{ KVM_CAP_SIGNAL_MSI, 1, UNBUILT }, /* x86 LAPIC */
	{ KVM_CAP_IRQFD_RESAMPLE, 1, UNBUILT }, /* irqfd */
	/* 0 on x86 in 4.4 although KVM_CREATE_DEVICE works (§13 D18) */
	{ KVM_CAP_DEVICE_CTRL, 0, NOTHING },
	{ KVM_CAP_IOAPIC_POLARITY_IGNORED, 1, UNBUILT }, /* x86 IOAPIC */
	{ KVM_CAP_ENABLE_CAP_VM, 1, UNBUILT }, /* KVM_ENABLE_CAP on VMs */
	{ KVM_CAP_CHECK_EXTENSION_VM, 1, NOTHING },
	{ KVM_CAP_SPLIT_IRQCHIP, 1, UNBUILT }, /* x86 LAPIC */
};

static const struct kvm_cap_entry arm64_caps[] = {
	{ KVM_CAP_IRQCHIP, 1, DEVICE(ARM_VGIC_V2) },
	{ KVM_CAP_NR_VCPUS, HOST_CPUS, NOTHING },
	{ KVM_CAP_IRQFD, 1, DEVICE(ARM_VGIC_V2) },
	{ KVM_CAP_MAX_VCPUS, 255, NOTHING },
	{ KVM_CAP_ONE_REG, 1, NOTHING },   /* vCPU registers (kvm_arm.c) */
	{ KVM_CAP_IRQFD_RESAMPLE, 1, DEVICE(ARM_VGIC_V2) },
	/* PSCI: KVM_ARM_VCPU_POWER_OFF, the guests' calls (kvm_arm.c) */
	{ KVM_CAP_ARM_PSCI, 1, NOTHING },
	{ KVM_CAP_ARM_SET_DEVICE_ADDR, 1, DEVICE(ARM_VGIC_V2) },
	{ KVM_CAP_DEVICE_CTRL, 1, NOTHING },
	/* KVM_CAP_ARM_EL1_32BIT: 0, the simulated host has no AArch32 EL1
	 * (KVM_ARM_VCPU_INIT refuses KVM_ARM_VCPU_EL1_32BIT) */
	{ KVM_CAP_ARM_PSCI_0_2, 1, NOTHING }, /* KVM_ARM_VCPU_PSCI_0_2 */
	{ KVM_CAP_CHECK_EXTENSION_VM, 1, NOTHING },
};

/* A POWER8 book3s host running KVM HV, whose in-kernel controller is the
 * XICS (4.4 builds either XICS or MPIC support, never both). */
static const struct kvm_cap_entry ppc_caps[] = {
	{ KVM_CAP_NR_VCPUS, HOST_CPUS, NOTHING },
	{ KVM_CAP_IRQFD, 1, DEVICE(XICS) },
	{ KVM_CAP_PPC_UNSET_IRQ, 1, UNBUILT }, /* KVM_INTERRUPT */
	{ KVM_CAP_ENABLE_CAP, 1, DEVICE(XICS) }, /* KVM_CAP_IRQ_XICS */
	{ KVM_CAP_PPC_IRQ_LEVEL, 1, UNBUILT }, /* KVM_INTERRUPT */
	/* NR_CPUS of the host kernel build: Debian's ppc64el config */
	{ KVM_CAP_MAX_VCPUS, 2048, NOTHING },
	{ KVM_CAP_ONE_REG, 1, DEVICE(XICS) }, /* KVM_REG_PPC_ICP_STATE */
	{ KVM_CAP_IRQFD_RESAMPLE, 1, DEVICE(XICS) },
	{ KVM_CAP_DEVICE_CTRL, 1, NOTHING },
	{ KVM_CAP_PPC_RTAS, 1, DEVICE(XICS) }, /* in-kernel XICS RTAS calls */
	{ KVM_CAP_IRQ_XICS, 1, DEVICE(XICS) },
	{ KVM_CAP_ENABLE_CAP_VM, 1, UNBUILT }, /* KVM_ENABLE_CAP on VMs */
	{ KVM_CAP_CHECK_EXTENSION_VM, 1, NOTHING },
};

static const struct kvm_cap_entry s390_caps[] = {
	{ KVM_CAP_NR_VCPUS, 64, NOTHING },
	{ KVM_CAP_IRQ_ROUTING, 4096, DEVICE(FLIC) }, /* adapter routes */
	{ KVM_CAP_IRQFD, 1, DEVICE(FLIC) },
	{ KVM_CAP_ENABLE_CAP, 1, UNBUILT }, /* KVM_ENABLE_CAP on vCPUs */
	{ KVM_CAP_MAX_VCPUS, 64, NOTHING },
	{ KVM_CAP_ONE_REG, 1, UNBUILT },   /* vCPU registers */
	{ KVM_CAP_IRQFD_RESAMPLE, 1, DEVICE(FLIC) },
	{ KVM_CAP_DEVICE_CTRL, 1, NOTHING },
	{ KVM_CAP_ENABLE_CAP_VM, 1, UNBUILT }, /* KVM_CAP_S390_IRQCHIP */
	{ KVM_CAP_S390_IRQCHIP, 1, DEVICE(FLIC) },
	{ KVM_CAP_VM_ATTRIBUTES, 1, NOTHING }, /* VM attributes, §8 */
	{ KVM_CAP_CHECK_EXTENSION_VM, 1, NOTHING },
	{ KVM_CAP_S390_INJECT_IRQ, 1, DEVICE(FLIC) },
	{ KVM_CAP_S390_IRQ_STATE, 1, DEVICE(FLIC) },
};

#define CAPS(t) t, sizeof(t) / sizeof(t[0])

static const struct kvm_host_desc hosts[] = {
	{
		/* 4 KiB pages (Debian's arm64 kernels); kvm_run and the
		 * coalesced MMIO ring (asm/kvm.h defines its offset) */
		.name = "arm64", .arch = KVM_ARCH_ARM64, .max_vcpus = 255,
		.page_size = 4096, .run_pages = 2,
		.legacy_irqchip = KVM_DEV_TYPE_ARM_VGIC_V2,
		.unknown_vm_errno = EINVAL, .unknown_vcpu_errno = EINVAL,
		.vm_types = BIT(0),
		.device_types = BIT(KVM_DEV_TYPE_VFIO) |
				BIT(KVM_DEV_TYPE_ARM_VGIC_V2) |
				BIT(KVM_DEV_TYPE_ARM_VGIC_V3),
		.caps = CAPS(arm64_caps),
	},
	{
		/* KVM_VM_PPC_HV (1) and the default (0, HV here) are
		 * accepted; kvm-pr is not loaded, so KVM_VM_PPC_PR fails. */
		/* 64 KiB pages (Debian's ppc64el kernels); kvm_run and the
		 * coalesced MMIO ring */
		.name = "ppc", .arch = KVM_ARCH_PPC, .max_vcpus = 2048,
		.page_size = 65536, .run_pages = 2,
		.unknown_vm_errno = ENOTTY, .unknown_vcpu_errno = EINVAL,
		.vm_types = BIT(0) | BIT(KVM_VM_PPC_HV),
		.device_types = BIT(KVM_DEV_TYPE_XICS),
		.caps = CAPS(ppc_caps),
	},
	{
		/* KVM_VM_S390_UCONTROL needs CAP_SYS_ADMIN, which a kvmsim
		 * caller is taken not to have: EINVAL, as Linux answers. */
		/* kvm_run only: s390 defines no coalesced MMIO offset */
		.name = "s390", .arch = KVM_ARCH_S390, .max_vcpus = 64,
		.page_size = 4096, .run_pages = 1,
		.unknown_vm_errno = ENOTTY, .unknown_vcpu_errno = ENOTTY,
		.vm_types = BIT(0),
		.device_types = BIT(KVM_DEV_TYPE_FLIC),
		.caps = CAPS(s390_caps),
	},
	{
		/* kvm_run, the PIO data page, the coalesced MMIO ring */
		.name = "x86", .arch = KVM_ARCH_X86, .max_vcpus = 255,
		.page_size = 4096, .run_pages = 3,
		.unknown_vm_errno = ENOTTY, .unknown_vcpu_errno = EINVAL,
		.vm_types = BIT(0),
		.device_types = BIT(KVM_DEV_TYPE_VFIO),
		.caps = CAPS(x86_caps),
	},
};

const struct kvm_host_desc *kvm_host_find(const char *name)
{
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (name && strcmp(hosts[i].name, name) == 0)
			return &hosts[i];
	return NULL;
}

bool kvm_device_available(const struct kvm_host_desc *host, uint32_t type)
{
	return type < KVM_DEV_TYPE_MAX && (host->device_types & BIT(type)) &&
	       kvmsim_device_table[type];
}

int64_t kvm_check_extension(const struct kvm_host_desc *host, unsigned long cap)
{
	for (size_t i = 0; i < host->ncaps; i++) {
		const struct kvm_cap_entry *c = &host->caps[i];

		if (c->cap != cap)
			continue;
		switch (c->need) {
		case KVM_NEED_NOTHING:
			return c->value;
		case KVM_NEED_DEVICE:
			return kvm_device_available(host, c->dev) ? c->value : 0;
		case KVM_NEED_UNBUILT:
			return 0;
		}
	}
	return 0; /* unknown capability numbers are simply absent */
}
