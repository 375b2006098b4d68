// SPDX-License-Identifier: MIT
/*
 * kvm_vm.c — requests on VM, vCPU and device handles (kvm-api.md §2, §9),
 * run under the VM's lock. Requests a host's 4.4 KVM knows but kvmsim does
 * not implement yet fail ENOSYS; requests it does not know fail with that
 * architecture's errno (§1.3).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kvm_int.h"
#include "sim/sim.h"

enum { ON_VM = 1, ON_VCPU = 2 };
#define X86 (1u << KVM_ARCH_X86)
#define ARM64 (1u << KVM_ARCH_ARM64)
#define PPC (1u << KVM_ARCH_PPC)
#define S390 (1u << KVM_ARCH_S390)
#define ALL (X86 | ARM64 | PPC | S390)

/*
 * Requests a 4.4 host knows on VM and vCPU handles, beyond the ones
 * implemented below (§1.2, §9; the ppc host is book3s with XICS, which has
 * no GSI routing and no KVM_SIGNAL_MSI).
 */
static const struct {
	unsigned int req;
	unsigned archs;
	unsigned where;
} known[] = {
	{ KVM_CREATE_IRQCHIP, X86 | ARM64 | S390, ON_VM },
	{ KVM_IRQ_LINE, X86 | ARM64 | PPC, ON_VM },
	{ KVM_IRQ_LINE_STATUS, X86 | ARM64 | PPC, ON_VM },
	{ KVM_GET_IRQCHIP, X86, ON_VM },
	{ KVM_SET_IRQCHIP, X86, ON_VM },
	{ KVM_SET_GSI_ROUTING, X86 | S390, ON_VM },
	{ KVM_IRQFD, ALL, ON_VM },
	{ KVM_IOEVENTFD, ALL, ON_VM },
	{ KVM_SIGNAL_MSI, X86, ON_VM },
	{ KVM_ENABLE_CAP, X86 | PPC | S390, ON_VM },
	{ KVM_S390_INTERRUPT, S390, ON_VM | ON_VCPU },
	{ KVM_ARM_SET_DEVICE_ADDR, ARM64, ON_VM },
	{ KVM_RUN, ALL, ON_VCPU },
	{ KVM_INTERRUPT, X86 | PPC, ON_VCPU },
	{ KVM_ENABLE_CAP, PPC | S390, ON_VCPU },
	{ KVM_GET_ONE_REG, ARM64 | PPC | S390, ON_VCPU },
	{ KVM_SET_ONE_REG, ARM64 | PPC | S390, ON_VCPU },
	{ KVM_ARM_VCPU_INIT, ARM64, ON_VCPU },
	{ KVM_GET_REG_LIST, ARM64, ON_VCPU },
	{ KVM_S390_IRQ, S390, ON_VCPU },
	{ KVM_S390_SET_IRQ_STATE, S390, ON_VCPU },
	{ KVM_S390_GET_IRQ_STATE, S390, ON_VCPU },
};

/* -ENOSYS for a request the host knows on this handle, else its errno for
 * an unknown request. */
static long not_implemented(const struct kvm_host_desc *host, unsigned int req,
			    unsigned where)
{
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (known[i].req == req && (known[i].where & where) &&
		    (known[i].archs & (1u << host->arch)))
			return -ENOSYS;
	return -(where == ON_VM ? host->unknown_vm_errno : host->unknown_vcpu_errno);
}

static long create_vcpu(struct kvm_vm *vm, unsigned long id)
{
	struct kvm_vcpu *vcpu, **v;
	int fd;

	int err;

	/* kvm_vm_ioctl_create_vcpu(): KVM_MAX_VCPUS, then the arch (an
	 * initialised irqchip: EBUSY; the irqchip's own vCPU limit), then
	 * the count, then uniqueness */
	if (id >= vm->host->max_vcpus)
		return -EINVAL;
	if (vm->irqchip_ops) {
		err = vm->irqchip_ops->vcpu_create(vm->irqchip, (uint32_t)id);
		if (err)
			return err;
	}
	if (id >= vm->max_vcpus)
		return -EINVAL;
	if (vm->nvcpus >= vm->host->max_vcpus)
		return -EINVAL;
	for (uint32_t i = 0; i < vm->nvcpus; i++)
		if (vm->vcpus[i]->id == id)
			return -EEXIST;
	vcpu = calloc(1, sizeof(*vcpu));
	v = realloc(vm->vcpus, (vm->nvcpus + 1) * sizeof(*v));
	if (vcpu) {
		/* kvm_vcpu_init(): the kvm_run page(s), zeroed */
		size_t size = (size_t)vm->host->run_pages * vm->host->page_size;

		vcpu->run = aligned_alloc(vm->host->page_size, size);
		if (vcpu->run)
			memset(vcpu->run, 0, size);
		if (vm->host->arch == KVM_ARCH_ARM64)
			vcpu->arm = calloc(1, sizeof(*vcpu->arm));
	}
	if (!vcpu || !v || !vcpu->run || (vm->host->arch == KVM_ARCH_ARM64 && !vcpu->arm)) {
		if (vcpu) {
			free(vcpu->run);
			free(vcpu->arm);
		}
		free(vcpu);
		if (v)
			vm->vcpus = v;
		return -ENOMEM;
	}
	vm->vcpus = v;
	vcpu->vm = vm;
	vcpu->id = (uint32_t)id;
	vcpu->index = vm->nvcpus;
	fd = kvm_handle_new(KVM_HANDLE_VCPU, vcpu, vm);
	if (fd < 0) {
		free(vcpu->run);
		free(vcpu->arm);
		free(vcpu);
		return fd;
	}
	vm->vcpus[vm->nvcpus++] = vcpu;
	return fd;
}

int kvm_device_create(struct kvm_vm *vm, uint32_t type, struct kvm_device **out)
{
	struct kvm_device *dev = calloc(1, sizeof(*dev));
	int err;

	if (!dev)
		return -ENOMEM;
	dev->vm = vm;
	dev->type = type;
	dev->ops = kvmsim_device_table[type];
	err = dev->ops->create(dev, type);
	if (err) {
		free(dev);
		return err;
	}
	dev->next = vm->devices;
	vm->devices = dev;
	*out = dev;
	return 0;
}

static long create_device(struct kvm_vm *vm, unsigned long uaddr)
{
	struct kvm_create_device cd;
	struct kvm_device *dev;
	int err, fd;

	err = kvm_copy_from_user(&cd, uaddr, sizeof(cd));
	if (err)
		return err;
	/* §2.3: unknown or absent type first, then TEST (which neither
	 * creates nor checks singletons; other flag bits are ignored) */
	if (!kvm_device_available(vm->host, cd.type))
		return -ENODEV;
	if (cd.flags & KVM_CREATE_DEVICE_TEST)
		return 0;
	err = kvm_device_create(vm, cd.type, &dev);
	if (err)
		return err;
	fd = kvm_handle_new(KVM_HANDLE_DEVICE, dev, vm);
	if (fd < 0)
		return fd; /* the device stays in the VM, as in Linux */
	cd.fd = (uint32_t)fd;
	/* Linux installs the fd before copying it back: a failed copy leaves
	 * the device and its fd behind. */
	err = kvm_copy_to_user(uaddr, &cd, sizeof(cd));
	return err ? err : 0;
}

/* KVM_CREATE_IRQCHIP: the host's legacy in-kernel irqchip, no handle. */
static long create_irqchip(struct kvm_vm *vm)
{
	struct kvm_device *dev;

	if (!vm->host->legacy_irqchip || !kvm_device_available(vm->host, vm->host->legacy_irqchip))
		return -ENOSYS; /* known to the host, not built in kvmsim */
	return kvm_device_create(vm, vm->host->legacy_irqchip, &dev);
}

/* arm/arm64 KVM_IRQ_LINE (§9.3): the CPU type drives a vCPU's IRQ/FIQ input
 * when there is no in-kernel GIC; SPIs and PPIs need the VGIC. */
static int arm_irq_line(struct kvm_vm *vm, struct kvm_irq_level *l)
{
	uint32_t type = l->irq >> KVM_ARM_IRQ_TYPE_SHIFT & KVM_ARM_IRQ_TYPE_MASK;
	uint32_t vcpu = l->irq >> KVM_ARM_IRQ_VCPU_SHIFT & KVM_ARM_IRQ_VCPU_MASK;
	uint32_t num = l->irq >> KVM_ARM_IRQ_NUM_SHIFT & KVM_ARM_IRQ_NUM_MASK;

	switch (type) {
	case KVM_ARM_IRQ_TYPE_CPU:
		if (vm->irqchip)
			return -ENXIO;
		if (vcpu >= vm->nvcpus || num > KVM_ARM_IRQ_CPU_FIQ)
			return -EINVAL;
		vm->vcpus[vcpu]->line[num] = l->level != 0;
		return 0;
	case KVM_ARM_IRQ_TYPE_SPI:
	case KVM_ARM_IRQ_TYPE_PPI:
		if (!vm->irqchip)
			return -ENXIO;
		return vm->irqchip_ops->irq_line(vm->irqchip, l->irq, l->level, NULL);
	default:
		return -EINVAL;
	}
}

static long irq_line(struct kvm_vm *vm, unsigned long uaddr, bool status)
{
	struct kvm_irq_level l;
	int err = kvm_copy_from_user(&l, uaddr, sizeof(l));

	if (err)
		return err;
	if (vm->host->arch == KVM_ARCH_ARM64) {
		err = arm_irq_line(vm, &l); /* the struct goes back unchanged */
	} else {
		int32_t st = 0;

		if (!vm->irqchip)
			return -ENXIO;
		err = vm->irqchip_ops->irq_line(vm->irqchip, l.irq, l.level, &st);
		l.status = st;
	}
	if (err)
		return err;
	return status ? kvm_copy_to_user(uaddr, &l, sizeof(l)) : 0;
}

static long set_device_addr(struct kvm_vm *vm, unsigned long uaddr)
{
	struct kvm_arm_device_addr da;
	int err = kvm_copy_from_user(&da, uaddr, sizeof(da));

	if (err)
		return err;
	if ((da.id & KVM_ARM_DEVICE_ID_MASK) >> KVM_ARM_DEVICE_ID_SHIFT != KVM_ARM_DEVICE_VGIC_V2)
		return -ENODEV;
	if (!vm->irqchip_ops || !vm->irqchip_ops->set_device_addr)
		return -ENODEV; /* no VGIC yet */
	return vm->irqchip_ops->set_device_addr(vm->irqchip, da.id, da.addr);
}

/* KVM_RUN (kvmsim.h): the arch's first-run checks, then the vCPU runs in
 * the VM's simulation and the call returns at once. */
static long vcpu_run(struct kvm_vcpu *vcpu)
{
	if (vcpu->vm->host->arch != KVM_ARCH_ARM64)
		return -ENOSYS; /* no CPU model for this host yet */
	return kvm_arm_vcpu_run(vcpu);
}

static long irqfd(struct kvm_vm *vm, unsigned long uaddr)
{
	struct kvm_irqfd args;
	int err = kvm_copy_from_user(&args, uaddr, sizeof(args));

	return err ? err : kvm_irqfd(vm, &args);
}

static long ioeventfd(struct kvm_vm *vm, unsigned long uaddr)
{
	struct kvm_ioeventfd args;
	int err = kvm_copy_from_user(&args, uaddr, sizeof(args));

	return err ? err : kvm_ioeventfd(vm, &args);
}

long kvm_vm_ioctl(struct kvm_vm *vm, unsigned int req, unsigned long arg)
{
	switch (req) {
	case KVM_CHECK_EXTENSION:
		return kvm_check_extension(vm->host, arg);
	case KVM_CREATE_VCPU:
		return create_vcpu(vm, arg);
	case KVM_CREATE_DEVICE:
		return create_device(vm, arg);
	case KVM_CREATE_IRQCHIP:
		if (vm->host->arch == KVM_ARCH_ARM64)
			return create_irqchip(vm);
		if (vm->host->arch == KVM_ARCH_PPC)
			break; /* not a ppc request */
		return kvm_arch_create_irqchip(vm);
	case KVM_SET_GSI_ROUTING:
		/* 4.4: x86 and s390 (ppc only with the MPIC, arm not yet) */
		if (vm->host->arch != KVM_ARCH_X86 && vm->host->arch != KVM_ARCH_S390)
			break;
		return kvm_set_gsi_routing(vm, arg);
	case KVM_SIGNAL_MSI:
		if (vm->host->arch != KVM_ARCH_X86)
			break;
		return kvm_signal_msi(vm, arg);
	case KVM_ENABLE_CAP:
		if (vm->host->arch != KVM_ARCH_X86 && vm->host->arch != KVM_ARCH_S390)
			break;
		return kvm_vm_enable_cap(vm, arg);
	case KVM_IRQ_LINE:
	case KVM_IRQ_LINE_STATUS:
		if (vm->host->arch == KVM_ARCH_S390)
			break; /* not an s390 request */
		return irq_line(vm, arg, req == KVM_IRQ_LINE_STATUS);
	case KVM_ARM_SET_DEVICE_ADDR:
		if (vm->host->arch != KVM_ARCH_ARM64)
			break;
		return set_device_addr(vm, arg);
	case KVM_IRQFD:
		return irqfd(vm, arg);
	case KVM_IOEVENTFD:
		return ioeventfd(vm, arg);
	case KVM_SET_DEVICE_ATTR:
	case KVM_GET_DEVICE_ATTR:
	case KVM_HAS_DEVICE_ATTR:
		/* VM attributes: s390 only in 4.4 (§2.8) */
		if (vm->host->arch != KVM_ARCH_S390)
			break;
		return kvm_s390_vm_attr(vm, req, arg);
	case KVM_ARM_PREFERRED_TARGET:
		if (vm->host->arch != KVM_ARCH_ARM64)
			break;
		return kvm_arm_preferred_target(arg);
	default:
		break;
	}
	return not_implemented(vm->host, req, ON_VM);
}

long kvm_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned int req, unsigned long arg)
{
	switch (req) {
	case KVM_ARM_VCPU_INIT:
		if (vcpu->vm->host->arch != KVM_ARCH_ARM64)
			break;
		return kvm_arm_vcpu_init(vcpu, arg);
	case KVM_GET_ONE_REG:
	case KVM_SET_ONE_REG:
		if (vcpu->vm->host->arch != KVM_ARCH_ARM64)
			break; /* ppc, s390: not built yet (ENOSYS) */
		return kvm_arm_one_reg(vcpu, arg, req == KVM_SET_ONE_REG);
	case KVM_GET_REG_LIST:
		if (vcpu->vm->host->arch != KVM_ARCH_ARM64)
			break;
		return kvm_arm_reg_list(vcpu, arg);
	case KVM_RUN:
		if (arg)
			return -EINVAL; /* KVM_RUN takes no argument */
		return vcpu_run(vcpu);
	default:
		break;
	}
	return not_implemented(vcpu->vm->host, req, ON_VCPU);
}

long kvm_device_ioctl(struct kvm_device *dev, unsigned int req, unsigned long arg)
{
	int (*op)(struct kvm_device *, const struct kvm_device_attr *);
	struct kvm_device_attr attr;
	int err;

	/* §2.5: no handler -> EPERM, then the struct is copied, then the
	 * handler's result; any other request -> ENOTTY */
	switch (req) {
	case KVM_SET_DEVICE_ATTR:
		op = dev->ops->set_attr;
		break;
	case KVM_GET_DEVICE_ATTR:
		op = dev->ops->get_attr;
		break;
	case KVM_HAS_DEVICE_ATTR:
		op = dev->ops->has_attr;
		break;
	default:
		return -ENOTTY;
	}
	if (!op)
		return -EPERM;
	err = kvm_copy_from_user(&attr, arg, sizeof(attr));
	if (err)
		return err;
	return op(dev, &attr);
}

void kvm_vm_destroy(struct kvm_vm *vm)
{
	kvm_irqfd_release_all(vm);
	kvm_ioeventfd_release_all(vm);
	while (vm->devices) {
		struct kvm_device *dev = vm->devices;

		vm->devices = dev->next;
		dev->ops->destroy(dev);
		free(dev);
	}
	for (uint32_t i = 0; i < vm->nvcpus; i++) {
		free(vm->vcpus[i]->run);
		free(vm->vcpus[i]->arm);
		free(vm->vcpus[i]);
	}
	free(vm->vcpus);
	free(vm->routes);
	kvm_s390_vm_free(vm);
	sim_destroy(vm->sim);
	pthread_mutex_destroy(&vm->lock);
	free(vm);
}
