// SPDX-License-Identifier: MIT
/*
 * test_kvm_irq.c — the architecture's interrupt requests on VM handles,
 * from kvm-api.md §9.2, §9.4, §9.6, §9.7 and the conformance rows of
 * §11.6 and §11.7: KVM_SET_GSI_ROUTING validation on x86 and s390,
 * KVM_CREATE_IRQCHIP on s390 and x86, KVM_SIGNAL_MSI and KVM_ENABLE_CAP.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <kvmsim/kvm.h>
#include <kvmsim/kvmsim.h>

#include "test_util.h"

/* A routing table of @nr entries, zeroed. */
static struct kvm_irq_routing *table(uint32_t nr)
{
	struct kvm_irq_routing *r = calloc(1, sizeof(*r) + nr * sizeof(r->entries[0]));

	cr_assert(r);
	r->nr = nr;
	return r;
}

static void irqchip(struct kvm_irq_routing_entry *e, uint32_t gsi, uint32_t chip, uint32_t pin)
{
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_IRQCHIP;
	e->u.irqchip.irqchip = chip;
	e->u.irqchip.pin = pin;
}

static void msi(struct kvm_irq_routing_entry *e, uint32_t gsi)
{
	e->gsi = gsi;
	e->type = KVM_IRQ_ROUTING_MSI;
	e->u.msi.address_lo = 0xFEE00000;
	e->u.msi.data = 0x30;
}

static int route(int vm, struct kvm_irq_routing *r)
{
	return kvmsim_ioctl(vm, KVM_SET_GSI_ROUTING, r);
}

Test(kvm_irq, i10_to_i12_table_limits_on_x86)
{
	int vm = open_vm("x86", NULL);
	struct kvm_irq_routing *r = table(1023);

	r->flags = 1;
	EXPECT_ERRNO(route(vm, r), EINVAL, "I10: header flags");
	r->flags = 0;
	r->nr = 1024;
	EXPECT_ERRNO(route(vm, r), EINVAL, "I11: nr = KVM_MAX_IRQ_ROUTES");
	r->nr = 1023;
	for (uint32_t i = 0; i < 1023; i++)
		msi(&r->entries[i], i);
	EXPECT_OK(route(vm, r), "I11: 1023 valid entries");
	r->nr = 1;
	r->entries[0].gsi = 1024;
	EXPECT_ERRNO(route(vm, r), EINVAL, "I12: gsi 1024");
	r->entries[0].gsi = 3;
	r->entries[0].flags = 1;
	EXPECT_ERRNO(route(vm, r), EINVAL, "I12: entry flags");
	r->nr = 0;
	EXPECT_OK(route(vm, r), "an empty table");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_SET_GSI_ROUTING, NULL), EFAULT, "no header");
	free(r);
	kvmsim_close(vm);
}

Test(kvm_irq, i13_to_i16_entries_on_x86)
{
	int vm = open_vm("x86", NULL);
	struct kvm_irq_routing *r = table(2);

	irqchip(&r->entries[0], 5, KVM_IRQCHIP_IOAPIC, 5);
	irqchip(&r->entries[1], 5, KVM_IRQCHIP_IOAPIC, 5);
	EXPECT_ERRNO(route(vm, r), EINVAL, "I13: one irqchip twice for a GSI");
	irqchip(&r->entries[0], 5, KVM_IRQCHIP_PIC_MASTER, 5);
	EXPECT_OK(route(vm, r), "I13: PIC master and IOAPIC for GSI 5");
	msi(&r->entries[0], 5);
	EXPECT_ERRNO(route(vm, r), EINVAL, "I15: MSI and IRQCHIP on one GSI");
	r->nr = 1;
	irqchip(&r->entries[0], 1, KVM_IRQCHIP_IOAPIC, 24);
	EXPECT_ERRNO(route(vm, r), EINVAL, "I14: IOAPIC pin 24");
	irqchip(&r->entries[0], 1, KVM_IRQCHIP_PIC_SLAVE, 8);
	EXPECT_ERRNO(route(vm, r), EINVAL, "I14: slave pin 8");
	irqchip(&r->entries[0], 1, KVM_IRQCHIP_PIC_MASTER, 16);
	EXPECT_ERRNO(route(vm, r), EINVAL, "I14: master pin 16");
	irqchip(&r->entries[0], 1, 3, 0);
	EXPECT_ERRNO(route(vm, r), EINVAL, "I14: irqchip 3");
	irqchip(&r->entries[0], 1, KVM_IRQCHIP_PIC_MASTER, 8);
	EXPECT_OK(route(vm, r), "I14: master pin 8 is accepted (one 16-pin space)");
	r->entries[0].type = KVM_IRQ_ROUTING_S390_ADAPTER;
	EXPECT_ERRNO(route(vm, r), EINVAL, "I16: type 3");
	r->entries[0].type = 4;
	EXPECT_ERRNO(route(vm, r), EINVAL, "I16: type 4");
	free(r);
	kvmsim_close(vm);
}

Test(kvm_irq, routing_on_s390_takes_adapter_entries_only)
{
	int vm = open_vm("s390", NULL);
	struct kvm_irq_routing *r = table(2);

	msi(&r->entries[0], 1);
	r->nr = 1;
	EXPECT_ERRNO(route(vm, r), EINVAL, "S16: an MSI entry");
	r->entries[0].type = KVM_IRQ_ROUTING_S390_ADAPTER;
	r->entries[0].u.adapter.adapter_id = 5;
	EXPECT_OK(route(vm, r), "an adapter entry");
	r->nr = 2;
	r->entries[1] = r->entries[0];
	EXPECT_ERRNO(route(vm, r), EINVAL, "one adapter route per GSI");
	r->entries[1].gsi = 4095;
	EXPECT_OK(route(vm, r), "GSIs below 4096");
	r->entries[1].gsi = 4096;
	EXPECT_ERRNO(route(vm, r), EINVAL, "gsi 4096");
	free(r);
	kvmsim_close(vm);
}

Test(kvm_irq, routing_is_absent_on_arm_and_xics_hosts)
{
	int arm = open_vm("arm64", NULL), ppc = open_vm("ppc", NULL);
	struct kvm_irq_routing *r = table(0);

	EXPECT_ERRNO(route(arm, r), EINVAL, "A40");
	EXPECT_ERRNO(route(ppc, r), ENOTTY, "X14");
	free(r);
	kvmsim_close(arm);
	kvmsim_close(ppc);
}

Test(kvm_irq, s14_s390_irqchip_needs_the_capability)
{
	int vm = open_vm("s390", NULL);
	struct kvm_enable_cap cap = { .cap = KVM_CAP_S390_IRQCHIP };

	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_IRQCHIP, 0UL), EINVAL, "S14: before");
	cap.flags = 1;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ENABLE_CAP, &cap), EINVAL, "flags");
	cap.flags = 0;
	EXPECT_OK(kvmsim_ioctl(vm, KVM_ENABLE_CAP, &cap), "KVM_ENABLE_CAP {99}");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_ENABLE_CAP, &cap), "idempotent");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_IRQCHIP, 0UL), "S14: after");
	cap.cap = KVM_CAP_SPLIT_IRQCHIP;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ENABLE_CAP, &cap), EINVAL, "an x86 capability");
	kvmsim_close(vm);
}

Test(kvm_irq, split_irqchip_preconditions_on_x86)
{
	int vm = open_vm("x86", NULL);
	struct kvm_enable_cap cap = { .cap = KVM_CAP_SPLIT_IRQCHIP, .args = { 1025 } };

	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ENABLE_CAP, &cap), EINVAL, "I6: 1025 pins");
	cap.args[0] = 24;
	cap.flags = 1;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ENABLE_CAP, &cap), EINVAL, "I9: flags");
	cap.flags = 0;
	cap.cap = KVM_CAP_S390_IRQCHIP;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ENABLE_CAP, &cap), EINVAL, "not an x86 capability");
	cap.cap = KVM_CAP_SPLIT_IRQCHIP;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ENABLE_CAP, &cap), ENOSYS,
		     "I5 needs the LAPIC model");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "a vCPU");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ENABLE_CAP, &cap), EEXIST, "I8: a vCPU exists");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_IRQCHIP, 0UL), EINVAL, "I3: a vCPU exists");
	kvmsim_close(vm);
}

Test(kvm_irq, i21_i22_signal_msi_without_an_irqchip)
{
	int vm = open_vm("x86", NULL);
	struct kvm_msi m = { .address_lo = 0xFEE00000, .data = 0x30 };

	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_SIGNAL_MSI, &m), EINVAL, "I22: no irqchip");
	m.flags = 1;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_SIGNAL_MSI, &m), EINVAL, "I21: flags");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_SIGNAL_MSI, NULL), EFAULT, "no struct");
	kvmsim_close(vm);
}

Test(kvm_irq, irqfd_on_x86_without_an_irqchip_is_accepted)
{
	int vm = open_vm("x86", NULL), efd = kvmsim_eventfd(0, 0);
	struct kvm_irqfd f = { .fd = (uint32_t)efd, .gsi = 5 };

	/* no kvm_arch_intc_initialized() on x86: routed through an empty
	 * table, the eventfd injects nothing */
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQFD, &f), "assign");
	EXPECT_OK(kvmsim_eventfd_write(efd, 1), "signal");
	f.gsi = 6;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IRQFD, &f), EBUSY, "I19");
	f.flags = 4;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IRQFD, &f), EINVAL, "I17");
	f.flags = KVM_IRQFD_FLAG_DEASSIGN;
	f.gsi = 77;
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQFD, &f), "I20: unknown pair");
	kvmsim_close(efd);
	kvmsim_close(vm);
}
