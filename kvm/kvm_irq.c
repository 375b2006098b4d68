// SPDX-License-Identifier: MIT
/*
 * kvm_irq.c — the VM-level interrupt requests whose rules are the
 * architecture's, not a device's (kvm-api.md §9.2, §9.4, §9.6, §9.7):
 * KVM_SET_GSI_ROUTING with Linux 4.4's validation (x86, s390), the s390
 * and x86 forms of KVM_CREATE_IRQCHIP, KVM_SIGNAL_MSI on x86, and
 * KVM_ENABLE_CAP on VM handles (x86 KVM_CAP_SPLIT_IRQCHIP, s390
 * KVM_CAP_S390_IRQCHIP).
 *
 * Where success needs a controller kvmsim has not built (the x86 PIC,
 * IOAPIC and LAPICs), the error paths answer as Linux does and success
 * answers ENOSYS.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kvm_int.h"

#define X86_MAX_IRQ_ROUTES 1024
#define S390_MAX_IRQ_ROUTES 4096
#define PIC_NUM_PINS 16 /* the two cascaded 8259s, one pin space */
#define IOAPIC_NUM_PINS 24
#define MAX_NR_RESERVED_IOAPIC_PINS 1024
/* s390 VM capabilities 4.4 also enables (linux/kvm.h); kvmsim does not
 * model what they change */
#define S390_CAP_USER_SIGP 106
#define S390_CAP_VECTOR_REGISTERS 107
#define S390_CAP_USER_STSI 109

static uint32_t max_routes(const struct kvm_vm *vm)
{
	return vm->host->arch == KVM_ARCH_S390 ? S390_MAX_IRQ_ROUTES : X86_MAX_IRQ_ROUTES;
}

/* kvm_set_routing_entry() of each architecture */
static int check_entry(const struct kvm_vm *vm, const struct kvm_irq_routing_entry *e)
{
	if (vm->host->arch == KVM_ARCH_S390)
		return e->type == KVM_IRQ_ROUTING_S390_ADAPTER ? 0 : -EINVAL;
	switch (e->type) {
	case KVM_IRQ_ROUTING_IRQCHIP:
		switch (e->u.irqchip.irqchip) {
		case KVM_IRQCHIP_PIC_MASTER:
			return e->u.irqchip.pin < PIC_NUM_PINS ? 0 : -EINVAL;
		case KVM_IRQCHIP_PIC_SLAVE:
			/* slave pins live at 8-15 of the PIC pin space */
			return e->u.irqchip.pin + 8 < PIC_NUM_PINS ? 0 : -EINVAL;
		case KVM_IRQCHIP_IOAPIC:
			return e->u.irqchip.pin < IOAPIC_NUM_PINS ? 0 : -EINVAL;
		default:
			return -EINVAL;
		}
	case KVM_IRQ_ROUTING_MSI:
		return 0;
	default:
		return -EINVAL;
	}
}

/* kvm_set_irq_routing(): every entry valid, or the old table stays. */
static int set_routing(struct kvm_vm *vm, const struct kvm_irq_routing_entry *ents, uint32_t nr)
{
	for (uint32_t i = 0; i < nr; i++) {
		const struct kvm_irq_routing_entry *e = &ents[i];

		if (e->gsi >= max_routes(vm) || e->flags)
			return -EINVAL;
		/* one GSI: several IRQCHIP entries for different irqchips,
		 * anything else one to one */
		for (uint32_t j = 0; j < i; j++) {
			const struct kvm_irq_routing_entry *p = &ents[j];

			if (p->gsi == e->gsi &&
			    (p->type != KVM_IRQ_ROUTING_IRQCHIP ||
			     e->type != KVM_IRQ_ROUTING_IRQCHIP ||
			     p->u.irqchip.irqchip == e->u.irqchip.irqchip))
				return -EINVAL;
		}
		if (check_entry(vm, e))
			return -EINVAL;
	}
	free(vm->routes);
	vm->routes = NULL;
	vm->nroutes = 0;
	if (nr) {
		vm->routes = malloc(nr * sizeof(*ents));
		if (!vm->routes)
			return -ENOMEM;
		memcpy(vm->routes, ents, nr * sizeof(*ents));
		vm->nroutes = nr;
	}
	return 0;
}

long kvm_set_gsi_routing(struct kvm_vm *vm, unsigned long uaddr)
{
	struct kvm_irq_routing hdr;
	struct kvm_irq_routing_entry *ents = NULL;
	int err = kvm_copy_from_user(&hdr, uaddr, sizeof(hdr));

	if (err)
		return err;
	if (hdr.nr >= max_routes(vm) || hdr.flags)
		return -EINVAL;
	if (hdr.nr) {
		ents = malloc(hdr.nr * sizeof(*ents));
		if (!ents)
			return -ENOMEM;
		err = kvm_copy_from_user(ents, uaddr + sizeof(hdr), hdr.nr * sizeof(*ents));
	}
	if (!err)
		err = set_routing(vm, ents, hdr.nr);
	free(ents);
	return err;
}

long kvm_arch_create_irqchip(struct kvm_vm *vm)
{
	switch (vm->host->arch) {
	case KVM_ARCH_S390:
		/* only after KVM_CAP_S390_IRQCHIP; installs an empty table */
		if (!vm->s390_use_irqchip)
			return -EINVAL;
		return set_routing(vm, NULL, 0);
	case KVM_ARCH_X86:
		if (vm->irqchip)
			return -EEXIST;
		if (vm->nvcpus)
			return -EINVAL;
		return -ENOSYS; /* the PICs and the IOAPIC are not built */
	default:
		return -ENOSYS;
	}
}

long kvm_signal_msi(struct kvm_vm *vm, unsigned long uaddr)
{
	struct kvm_msi msi;
	int err = kvm_copy_from_user(&msi, uaddr, sizeof(msi));

	if (err)
		return err;
	/* kvm_send_userspace_msi(): an in-kernel irqchip (full or split) and
	 * no flags; kvmsim builds no x86 irqchip yet, so there is none */
	if (!vm->irqchip || msi.flags)
		return -EINVAL;
	return -ENOSYS;
}

long kvm_vm_enable_cap(struct kvm_vm *vm, unsigned long uaddr)
{
	struct kvm_enable_cap cap;
	int err = kvm_copy_from_user(&cap, uaddr, sizeof(cap));

	if (err)
		return err;
	if (cap.flags)
		return -EINVAL;
	switch (vm->host->arch) {
	case KVM_ARCH_X86:
		if (cap.cap != KVM_CAP_SPLIT_IRQCHIP)
			return -EINVAL;
		if (cap.args[0] > MAX_NR_RESERVED_IOAPIC_PINS)
			return -EINVAL;
		if (vm->irqchip || vm->nvcpus)
			return -EEXIST;
		return -ENOSYS; /* the in-kernel LAPICs are not built */
	case KVM_ARCH_S390:
		switch (cap.cap) {
		case KVM_CAP_S390_IRQCHIP:
			vm->s390_use_irqchip = true; /* idempotent, no ordering check */
			return 0;
		case S390_CAP_USER_SIGP:
		case S390_CAP_VECTOR_REGISTERS:
		case S390_CAP_USER_STSI:
			return -ENOSYS;
		default:
			return -EINVAL;
		}
	default:
		return -ENOSYS;
	}
}
