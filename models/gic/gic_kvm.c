// SPDX-License-Identifier: MIT
/*
 * gic_kvm.c — KVM_DEV_TYPE_ARM_VGIC_V2 and _V3 as Linux 4.4 has them
 * (kvm-api.md §3, §9.3): the ADDR, DIST_REGS, CPU_REGS, NR_IRQS and CTRL
 * groups, the VGIC's life cycle (create, lazy or explicit init), and the
 * VM-level hooks of the in-kernel irqchip: KVM_IRQ_LINE for SPIs and PPIs,
 * irqfd (GSI = SPI index), KVM_ARM_SET_DEVICE_ADDR and the vCPU-creation
 * rule.
 *
 * Initialisation builds the host the VM runs on (gic_host.h: pCPUs, the
 * physical GIC of the model's version with the matching profile, one pCPU
 * per vCPU and one for the VMM's I/O thread) and KVM's VGIC on it. The
 * guest's distributor is a GIC model in its KVM 4.4 form
 * (GIC_IMPL_KVM44); DIST_REGS and CPU_REGS go through that model's
 * register tables, so the attribute view is the guest's view. The
 * per-vCPU virtual CPU interface state behind CPU_REGS is the model's
 * GICV bank over KVM's saved copy of GICH (VMCR).
 *
 * Initialisation hands each vCPU its CPU model (kvm_vcpu_attach()); KVM_RUN
 * (kvm/kvm_arm.c) starts its run loop in the VM's simulation after this
 * file's first-run checks, and returns at once; the vCPU runs during
 * kvmsim_run(). Until a workload says otherwise, each guest idles in WFI
 * and its handlers take 1,000 cycles. Once mapped (the first run), the
 * distributor and the redistributors are on the VM's bus: a guest's MMIO
 * access to them is emulated here; GICv2's CPU interface window is the
 * hardware's virtual CPU interface, which the guest reaches untrapped.
 */
#include <errno.h>
#include <stdlib.h>

#include "kvm/kvm_int.h"
#include "models/gic/gic_host.h"

#define VGIC_ADDR_UNDEF UINT64_MAX
#define KVM_PHYS_SHIFT 40 /* arm64 4.4: 40-bit guest physical addresses */
#define VGIC_V2_MAX_CPUS 8
#define VGIC_V3_MAX_CPUS 255 /* KVM_MAX_VCPUS on arm64 in 4.4 */
#define VGIC_NR_PRIVATE_IRQS 32
#define VGIC_MAX_IRQS 1024
#define VGIC_DEFAULT_NR_IRQS 256 /* the legacy default (§3.5) */
#define VGIC_VTIMER_PPI 27

#define DEFAULT_HANDLER_CYCLES 1000

struct vgic_kvm {
	uint32_t model;     /* KVM_DEV_TYPE_ARM_VGIC_V2 or _V3 */
	uint64_t dist_base;
	uint64_t cpu_base;  /* v3: the redistributor base; one field in 4.4
			     * (a union), which the overlap check sees */
	uint32_t nr_irqs;   /* 0: not chosen yet */
	struct gic_host *host; /* once initialised */
	struct vgic *vg;
	struct kvmsim_guest *guests; /* per vCPU, for the handler-time adapter */
	struct kvmsim_observer obs;
	bool mapped;        /* a first run mapped the regions (4.4 "ready") */
};

/* The host profile of each model: an X-Gene GICv2 host, an Altra GICv3
 * host (gic_profile.c). */
static const struct gic_host_profile *profile_of(uint32_t model)
{
	return model == KVM_DEV_TYPE_ARM_VGIC_V2 ? &gic_profile_xgene : &gic_profile_altra;
}

static struct vgic_kvm *vgic_of(struct kvm_device *dev)
{
	return dev->priv;
}

static const struct kvm_irqchip_ops vgic_irqchip_ops;

/* ---- life cycle ------------------------------------------------------------ */

static int kvm_vgic_create(struct kvm_device *dev, uint32_t type)
{
	struct kvm_vm *vm = dev->vm;
	uint32_t max = type == KVM_DEV_TYPE_ARM_VGIC_V2 ? VGIC_V2_MAX_CPUS : VGIC_V3_MAX_CPUS;
	struct vgic_kvm *v;

	/* kvm_vgic_create(): one VGIC per VM, whatever the path; no vCPU
	 * may have run; then the model's vCPU limit */
	if (vm->irqchip)
		return -EEXIST;
	for (uint32_t i = 0; i < vm->nvcpus; i++)
		if (vm->vcpus[i]->ran)
			return -EBUSY;
	if (vm->nvcpus > max)
		return -E2BIG;
	v = calloc(1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	v->model = type;
	v->dist_base = v->cpu_base = VGIC_ADDR_UNDEF;
	dev->priv = v;
	vm->irqchip = dev;
	vm->irqchip_ops = &vgic_irqchip_ops;
	if (vm->max_vcpus > max)
		vm->max_vcpus = max; /* later KVM_CREATE_VCPU ids: EINVAL */
	return 0;
}

static void kvm_vgic_destroy(struct kvm_device *dev)
{
	struct vgic_kvm *v = vgic_of(dev);

	vgic_destroy(v->vg);
	gic_host_destroy(v->host);
	free(v->guests);
	free(v);
	if (dev->vm->irqchip == dev) {
		dev->vm->irqchip = NULL;
		dev->vm->irqchip_ops = NULL;
	}
}

/* kvm_notify_acked_irq() for the VM's resampling irqfds. */
static void acked(void *ctx, uint32_t spi)
{
	kvm_notify_acked_gsi(ctx, spi);
}

/* vgic_init(): size everything from the vCPUs that exist now. */
static int vgic_init(struct kvm_device *dev)
{
	struct vgic_kvm *v = vgic_of(dev);
	struct kvm_vm *vm = dev->vm;
	const struct gic_host_profile *prof = profile_of(v->model);

	if (v->vg)
		return 0;
	if (!vm->nvcpus)
		return -ENODEV;
	if (!v->nr_irqs)
		v->nr_irqs = VGIC_DEFAULT_NR_IRQS;
	unsigned pcpus = vm->sim_host.pcpus ? vm->sim_host.pcpus : vm->nvcpus;

	if (pcpus > vm->nvcpus)
		pcpus = vm->nvcpus;
	v->host = gic_host_create(vm->sim, prof, pcpus + 1);
	if (v->host) {
		cpu_machine_set_sched(gic_host_machine(v->host), vm->sim_host.slice_ps,
				      vm->sim_host.wakeup_gran_ps, vm->sim_host.halt_poll_ps);
		if (vm->sim_host.quiet || !gic_host_set_noise(v->host, vm->sim_host.seed))
			v->vg = vgic_create(v->host, prof->version, vm->nvcpus, v->nr_irqs);
	}
	if (!v->vg) {
		gic_host_destroy(v->host);
		v->host = NULL;
		return -ENOMEM;
	}
	v->guests = calloc(vm->nvcpus, sizeof(*v->guests));
	if (!v->guests) {
		vgic_destroy(v->vg);
		gic_host_destroy(v->host);
		v->vg = NULL;
		v->host = NULL;
		return -ENOMEM;
	}
	vgic_set_ack_notifier(v->vg, acked, vm);
	for (unsigned c = 0; c < vm->nvcpus; c++) {
		vgic_set_guest(v->vg, c, CPU_GUEST_WFI, DEFAULT_HANDLER_CYCLES, NULL);
		kvm_vcpu_attach(vm->vcpus[c], vgic_vcpu(v->vg, c));
	}
	return 0;
}

/* ---- KVM_DEV_ARM_VGIC_GRP_ADDR (§3.3) ----------------------------------------- */

/*
 * kvm_vgic_addr(): -ENODEV for a type of the other model (the attribute
 * path turns it into ENXIO, KVM_ARM_SET_DEVICE_ADDR keeps it), then
 * alignment, the IPA limit, set-once, wrap-around and the v2 overlap.
 */
static int vgic_addr(struct vgic_kvm *v, uint64_t type, uint64_t *addr, bool write)
{
	uint32_t needed;
	uint64_t *base, size, align;

	switch (type) {
	case KVM_VGIC_V2_ADDR_TYPE_DIST:
		needed = KVM_DEV_TYPE_ARM_VGIC_V2;
		base = &v->dist_base;
		size = KVM_VGIC_V2_DIST_SIZE;
		align = 0x1000;
		break;
	case KVM_VGIC_V2_ADDR_TYPE_CPU:
		needed = KVM_DEV_TYPE_ARM_VGIC_V2;
		base = &v->cpu_base;
		size = KVM_VGIC_V2_CPU_SIZE;
		align = 0x1000;
		break;
	case KVM_VGIC_V3_ADDR_TYPE_DIST:
		needed = KVM_DEV_TYPE_ARM_VGIC_V3;
		base = &v->dist_base;
		size = KVM_VGIC_V3_DIST_SIZE;
		align = 0x10000;
		break;
	case KVM_VGIC_V3_ADDR_TYPE_REDIST:
		needed = KVM_DEV_TYPE_ARM_VGIC_V3;
		base = &v->cpu_base;
		size = KVM_VGIC_V3_REDIST_SIZE;
		align = 0x10000;
		break;
	default:
		return -ENODEV;
	}
	if (v->model != needed)
		return -ENODEV;
	if (!write) {
		*addr = *base;
		return 0;
	}
	if (*addr & (align - 1))
		return -EINVAL;
	if (*addr >> KVM_PHYS_SHIFT)
		return -E2BIG;
	if (*base != VGIC_ADDR_UNDEF)
		return -EEXIST;
	if (*addr + size < *addr)
		return -EINVAL;
	/* vgic_ioaddr_overlap() compares the two bases with the v2 sizes */
	uint64_t dist = base == &v->dist_base ? *addr : v->dist_base;
	uint64_t cpu = base == &v->cpu_base ? *addr : v->cpu_base;

	if (dist != VGIC_ADDR_UNDEF && cpu != VGIC_ADDR_UNDEF &&
	    ((dist <= cpu && dist + KVM_VGIC_V2_DIST_SIZE > cpu) ||
	     (cpu <= dist && cpu + KVM_VGIC_V2_CPU_SIZE > dist)))
		return -EBUSY; /* not recorded */
	*base = *addr;
	return 0;
}

static int addr_attr(struct vgic_kvm *v, const struct kvm_device_attr *attr, bool write)
{
	uint64_t addr;
	int err;

	if (write) {
		err = kvm_copy_from_user(&addr, attr->addr, sizeof(addr));
		if (err)
			return err;
	}
	err = vgic_addr(v, attr->attr, &addr, write);
	if (err)
		return err == -ENODEV ? -ENXIO : err;
	return write ? 0 : kvm_copy_to_user(attr->addr, &addr, sizeof(addr));
}

/* ---- DIST_REGS / CPU_REGS (§3.4) -------------------------------------------------- */

static enum gic_bank regs_bank(uint32_t group)
{
	return group == KVM_DEV_ARM_VGIC_GRP_DIST_REGS ? GIC_BANK_DIST : GIC_BANK_VCPU;
}

/* The register table the attribute group maps onto, for HAS before init. */
static bool regs_has(uint32_t group, uint32_t off)
{
	struct gic_config cfg = { .version = GIC_V2, .impl = GIC_IMPL_KVM44,
				  .nr_lrs = gic_profile_xgene.nr_lrs };

	return gic_has_reg(&cfg, regs_bank(group), off);
}

/* vgic_attr_regs_access(): init, vCPU index, offset, then the access as a
 * 32-bit MMIO access of that vCPU. No vCPU is ever loaded on a physical
 * CPU while the API runs (the simulation runs in kvmsim_run), so the
 * 4.4 EBUSY case does not arise. */
static int regs_attr(struct kvm_device *dev, const struct kvm_device_attr *attr,
		     bool write)
{
	struct vgic_kvm *v = vgic_of(dev);
	uint32_t cpu = (uint32_t)((attr->attr & KVM_DEV_ARM_VGIC_CPUID_MASK) >>
				  KVM_DEV_ARM_VGIC_CPUID_SHIFT);
	uint32_t off = (uint32_t)(attr->attr & KVM_DEV_ARM_VGIC_OFFSET_MASK);
	uint32_t reg = 0;
	uint64_t val;
	int err;

	if (v->model != KVM_DEV_TYPE_ARM_VGIC_V2)
		return -ENXIO; /* v3 gains these groups in 4.11 */
	if (write) {
		err = kvm_copy_from_user(&reg, attr->addr, sizeof(reg));
		if (err)
			return err;
	}
	err = vgic_init(dev);
	if (err)
		return err;
	if (cpu >= dev->vm->nvcpus)
		return -EINVAL;
	if (!regs_has(attr->group, off))
		return -ENXIO;
	if (write) {
		gic_write(vgic_dist(v->vg), regs_bank(attr->group), cpu, off, 4, reg);
		vgic_requeue(v->vg);
		return 0;
	}
	gic_read(vgic_dist(v->vg), regs_bank(attr->group), cpu, off, 4, &val);
	reg = (uint32_t)val;
	return kvm_copy_to_user(attr->addr, &reg, sizeof(reg));
}

/* ---- the device's attribute calls ----------------------------------------------- */

static int vgic_set_attr(struct kvm_device *dev, const struct kvm_device_attr *attr)
{
	struct vgic_kvm *v = vgic_of(dev);
	uint32_t n;
	int err;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return addr_attr(v, attr, true);
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		return regs_attr(dev, attr, true);
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		err = kvm_copy_from_user(&n, attr->addr, sizeof(n));
		if (err)
			return err;
		/* at least 32 SPIs, at most 1024 INTIDs, a multiple of 32 */
		if (n < VGIC_NR_PRIVATE_IRQS + 32 || n > VGIC_MAX_IRQS || n % 32)
			return -EINVAL;
		if (v->vg || v->nr_irqs)
			return -EBUSY; /* chosen once, and fixed by init */
		v->nr_irqs = n;
		return 0;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		if (attr->attr != KVM_DEV_ARM_VGIC_CTRL_INIT)
			return -ENXIO;
		return vgic_init(dev);
	default:
		return -ENXIO;
	}
}

static int vgic_get_attr(struct kvm_device *dev, const struct kvm_device_attr *attr)
{
	struct vgic_kvm *v = vgic_of(dev);

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		return addr_attr(v, attr, false);
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		return regs_attr(dev, attr, false);
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		return kvm_copy_to_user(attr->addr, &v->nr_irqs, sizeof(v->nr_irqs));
	default:
		return -ENXIO; /* CTRL has nothing to read */
	}
}

static int vgic_has_attr(struct kvm_device *dev, const struct kvm_device_attr *attr)
{
	struct vgic_kvm *v = vgic_of(dev);
	bool v2 = v->model == KVM_DEV_TYPE_ARM_VGIC_V2;

	switch (attr->group) {
	case KVM_DEV_ARM_VGIC_GRP_ADDR:
		if (v2 ? attr->attr == KVM_VGIC_V2_ADDR_TYPE_DIST ||
				 attr->attr == KVM_VGIC_V2_ADDR_TYPE_CPU
		       : attr->attr == KVM_VGIC_V3_ADDR_TYPE_DIST ||
				 attr->attr == KVM_VGIC_V3_ADDR_TYPE_REDIST)
			return 0;
		return -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_DIST_REGS:
	case KVM_DEV_ARM_VGIC_GRP_CPU_REGS:
		/* the vCPU index is not looked at */
		if (v2 && regs_has(attr->group,
				   (uint32_t)(attr->attr & KVM_DEV_ARM_VGIC_OFFSET_MASK)))
			return 0;
		return -ENXIO;
	case KVM_DEV_ARM_VGIC_GRP_NR_IRQS:
		return 0;
	case KVM_DEV_ARM_VGIC_GRP_CTRL:
		return attr->attr == KVM_DEV_ARM_VGIC_CTRL_INIT ? 0 : -ENXIO;
	default:
		return -ENXIO;
	}
}

/* ---- the VM's irqchip -------------------------------------------------------------- */

static int vgic_vcpu_create(struct kvm_device *dev, uint32_t id)
{
	(void)id;
	return vgic_of(dev)->vg ? -EBUSY : 0;
}

/* vgic_lazy_init(): only a GICv2 initialises itself on first use. */
static int lazy_init(struct kvm_device *dev)
{
	struct vgic_kvm *v = vgic_of(dev);

	if (v->vg)
		return 0;
	if (v->model != KVM_DEV_TYPE_ARM_VGIC_V2)
		return -EBUSY;
	return vgic_init(dev);
}

/* kvm_vgic_inject_irq(), after @before cycles of the host's (the
 * KVM_IRQ_LINE ioctl's system call), for an event of time @since (0: now) */
static int inject(struct kvm_device *dev, uint32_t cpu, uint32_t intid, uint32_t level,
		  uint64_t before, uint64_t since)
{
	struct vgic_kvm *v = vgic_of(dev);
	int err = lazy_init(dev);

	if (err)
		return err;
	if (intid >= v->nr_irqs || intid >= 1020)
		return -EINVAL;
	vgic_inject_after(v->vg, cpu, intid, level != 0, before, since);
	return 0;
}

/* KVM_IRQ_LINE, SPI and PPI types (the arm core handled the CPU type). */
static int vgic_irq_line(struct kvm_device *dev, uint32_t irq, uint32_t level,
			 int32_t *status)
{
	uint32_t type = irq >> KVM_ARM_IRQ_TYPE_SHIFT & KVM_ARM_IRQ_TYPE_MASK;
	uint32_t vcpu = irq >> KVM_ARM_IRQ_VCPU_SHIFT & KVM_ARM_IRQ_VCPU_MASK;
	uint32_t num = irq >> KVM_ARM_IRQ_NUM_SHIFT & KVM_ARM_IRQ_NUM_MASK;

	(void)status;
	if (type == KVM_ARM_IRQ_TYPE_PPI) {
		int err;

		if (vcpu >= dev->vm->nvcpus)
			return -EINVAL;
		if (num < 16 || num >= VGIC_NR_PRIVATE_IRQS)
			return -EINVAL;
		err = lazy_init(dev);
		if (err)
			return err;
		/* KVM_ARM_VCPU_INIT maps the virtual timer's PPI to the
		 * physical one (kvm_timer_vcpu_reset): a mapped interrupt
		 * cannot be injected from userspace */
		if (num == VGIC_VTIMER_PPI && dev->vm->vcpus[vcpu]->initialized)
			return -EINVAL;
		return inject(dev, vcpu, num, level, profile_of(vgic_of(dev)->model)->syscall, 0);
	}
	if (num < VGIC_NR_PRIVATE_IRQS)
		return -EINVAL; /* SGIs cannot be injected */
	return inject(dev, 0, num, level, profile_of(vgic_of(dev)->model)->syscall, 0);
}

static int vgic_irqfd_ready(struct kvm_device *dev)
{
	return vgic_of(dev)->vg ? 0 : -EAGAIN; /* kvm_arch_intc_initialized */
}

/* 4.4 arm has no GSI routing: an irqfd's GSI is an SPI index. */
static int vgic_set_gsi(struct kvm_device *dev, uint32_t gsi, int level, uint64_t since)
{
	if (gsi > VGIC_MAX_IRQS)
		return -EINVAL;
	return inject(dev, 0, gsi + VGIC_NR_PRIVATE_IRQS, (uint32_t)level, 0, since);
}

/* An eventfd's write(2) to its irqfd's injection: the system call, then
 * the profile's deferral (4.4's irqfd_wakeup() schedules irqfd->inject on
 * a workqueue; since 5.9 kvm_arch_set_irq_inatomic() injects SPIs at once). */
static uint64_t vgic_irqfd_delay(struct kvm_device *dev)
{
	struct vgic_kvm *v = vgic_of(dev);
	const struct gic_host_profile *p = profile_of(v->model);

	if (!v->host) /* no irqfd before the VGIC is initialised */
		return 0;
	return cpu_cycles(gic_host_machine(v->host), (uint64_t)p->syscall + p->irqfd_hop);
}

static int vgic_set_device_addr(struct kvm_device *dev, uint64_t id, uint64_t addr)
{
	return vgic_addr(vgic_of(dev),
			 (id & KVM_ARM_DEVICE_TYPE_MASK) >> KVM_ARM_DEVICE_TYPE_SHIFT, &addr,
			 true);
}

/*
 * kvm_vcpu_first_run_init() -> kvm_vgic_map_resources() of 4.4
 * (vgic_v2_map_resources / vgic_v3_map_resources): every base address
 * must be set (ENXIO), checked first; then a v2 VGIC initialises itself
 * and a v3 one must have been initialised (EBUSY). A failure changes
 * nothing here: the address check comes before any initialisation, so
 * NR_IRQS and KVM_CREATE_VCPU still work afterwards
 * (gic_kvm/a_failed_first_run_leaves_the_vgic_as_it_was). 4.4 also calls
 * kvm_vgic_destroy() on failure, which frees an initialised VGIC's maps
 * but leaves it marked initialised (a later use of it is a kernel bug);
 * kvmsim keeps its state instead.
 */
static int vgic_vcpu_run(struct kvm_device *dev, uint32_t index)
{
	struct vgic_kvm *v = vgic_of(dev);
	int err;

	if (v->dist_base == VGIC_ADDR_UNDEF || v->cpu_base == VGIC_ADDR_UNDEF)
		return -ENXIO;
	err = lazy_init(dev);
	if (err)
		return err;
	v->mapped = true;
	vgic_boot_vcpu(v->vg, index);
	return 0;
}

/* ---- the guest's MMIO (the VGIC's regions on the VM's bus) --------------------------- */

/*
 * A guest-physical access on the regions 4.4 registers at the first run:
 * v2's distributor (4 KiB), v3's distributor (64 KiB) and the vCPUs'
 * redistributors (128 KiB each from the base, in vCPU order). Not v2's
 * CPU interface, which is mapped to the hardware's (mmio_direct).
 */
static int vgic_kvm_mmio(struct kvm_device *dev, uint32_t index, uint64_t addr, uint32_t len,
			 bool write, uint64_t *val, uint64_t *cycles)
{
	struct vgic_kvm *v = vgic_of(dev);
	uint64_t dist_size = v->model == KVM_DEV_TYPE_ARM_VGIC_V2 ? KVM_VGIC_V2_DIST_SIZE
								  : KVM_VGIC_V3_DIST_SIZE;

	if (!v->mapped)
		return 0;
	if (addr - v->dist_base < dist_size && addr - v->dist_base + len <= dist_size) {
		*cycles += vgic_mmio(v->vg, index, GIC_BANK_DIST, index,
				     (uint32_t)(addr - v->dist_base), len, write, val);
		return 1;
	}
	if (v->model == KVM_DEV_TYPE_ARM_VGIC_V3 && addr - v->cpu_base < (uint64_t)
		    dev->vm->nvcpus * KVM_VGIC_V3_REDIST_SIZE) {
		uint64_t off = addr - v->cpu_base;

		if (off % KVM_VGIC_V3_REDIST_SIZE + len > KVM_VGIC_V3_REDIST_SIZE)
			return 0;
		*cycles += vgic_mmio(v->vg, index, GIC_BANK_REDIST,
				     (unsigned)(off / KVM_VGIC_V3_REDIST_SIZE),
				     (uint32_t)(off % KVM_VGIC_V3_REDIST_SIZE), len, write, val);
		return 1;
	}
	return 0;
}

static bool vgic_kvm_mmio_direct(struct kvm_device *dev, uint64_t addr, uint32_t len)
{
	struct vgic_kvm *v = vgic_of(dev);

	return v->model == KVM_DEV_TYPE_ARM_VGIC_V2 && v->mapped &&
	       addr + len > v->cpu_base && addr < v->cpu_base + KVM_VGIC_V2_CPU_SIZE;
}

/* ---- the virtual timer's registers (ONE_REG) --------------------------------------- */

_Static_assert(VGIC_TIMER_CTL == 0 && VGIC_TIMER_CNT == 1 && VGIC_TIMER_CVAL == 2,
	       "kvm_irqchip_ops.timer_reg numbers the registers so");

static int vgic_kvm_timer_reg(struct kvm_device *dev, uint32_t index, unsigned reg, bool write,
			      uint64_t *val)
{
	struct vgic_kvm *v = vgic_of(dev);

	if (!v->vg)
		return -ENXIO;
	if (write)
		vgic_timer_set(v->vg, index, (enum vgic_timer_reg)reg, *val);
	else
		*val = vgic_timer_get(v->vg, index, (enum vgic_timer_reg)reg);
	return 0;
}

static uint64_t vgic_kvm_counter_hz(struct kvm_device *dev)
{
	return profile_of(vgic_of(dev)->model)->cnt_hz;
}

/* ---- kvmsim's guest model (kvmsim.h) --------------------------------------------------- */

static sim_time_t handler_time(void *ctx, unsigned vcpu, uint32_t intid)
{
	const struct kvmsim_guest *g = ctx;

	return g->handler_ps(g->ctx, vcpu, intid);
}

static int sim_guest(struct kvm_device *dev, uint32_t index, const struct kvmsim_guest *g)
{
	struct vgic_kvm *v = vgic_of(dev);
	struct cpu_vcpu *cpu;

	if (!v->vg)
		return -ENXIO;
	cpu = vgic_vcpu(v->vg, index);
	v->guests[index] = *g;
	cpu_vcpu_set_idle(cpu, g->wfi ? CPU_GUEST_WFI : CPU_GUEST_BUSY);
	cpu_vcpu_set_handler_time(cpu, g->handler_ps ? handler_time : NULL, &v->guests[index]);
	cpu_vcpu_set_masking(cpu, g->mask_every_ps, g->mask_for_ps);
	return 0;
}

static void record(void *ctx, const struct vgic_record *r)
{
	const struct vgic_kvm *v = ctx;
	struct kvmsim_irq_record k = {
		.vcpu = r->vcpu, .intid = r->intid, .t_assert = r->t_assert,
		.t_kick = r->t_kick, .t_signal = r->t_signal, .t_exit = r->t_exit,
		.t_flush = r->t_flush, .t_entry = r->t_entry, .t_ack = r->t_ack,
		.t_handler = r->t_handler, .t_done = r->t_done,
		.coalesced = r->coalesced, .exits = r->exits,
	};

	v->obs.record(v->obs.ctx, &k);
}

static int sim_observe(struct kvm_device *dev, const struct kvmsim_observer *o)
{
	struct vgic_kvm *v = vgic_of(dev);
	struct vgic_observer vo = { .record = o->record ? record : NULL, .ctx = v };

	if (!v->vg)
		return -ENXIO;
	v->obs = *o;
	vgic_set_observer(v->vg, &vo);
	return 0;
}

_Static_assert(KVMSIM_GUEST_WRITES_WAITING == CPU_TRAPS_WAITING,
	       "kvmsim.h tells how many trapping writes the CPU model keeps waiting");

static int sim_guest_ipi(struct kvm_device *dev, uint32_t from, uint32_t to, uint32_t sgi,
			 uint64_t *full_until)
{
	struct vgic_kvm *v = vgic_of(dev);

	if (!v->vg)
		return -ENXIO;
	if (to >= dev->vm->nvcpus || sgi >= 16)
		return -EINVAL;
	if (vgic_guest_sgi(v->vg, from, to, sgi))
		return 0;
	if (full_until)
		*full_until = vgic_guest_full_until(v->vg, from);
	return -EAGAIN;
}

static int sim_guest_timer(struct kvm_device *dev, uint32_t index, uint64_t at)
{
	struct vgic_kvm *v = vgic_of(dev);

	if (!v->vg)
		return -ENXIO;
	vgic_timer_arm(v->vg, index, at);
	return 0;
}

static int sim_guest_irq_config(struct kvm_device *dev, uint32_t intid, int edge)
{
	struct vgic_kvm *v = vgic_of(dev);

	if (!v->vg)
		return -ENXIO;
	if (intid < 16 || intid >= v->nr_irqs || intid >= 1020)
		return -EINVAL; /* SGIs are always edge */
	vgic_guest_irq_config(v->vg, intid, edge != 0);
	return 0;
}

static int sim_counters(struct kvm_device *dev, uint32_t index, uint64_t *exits,
			uint64_t *entries)
{
	struct vgic_kvm *v = vgic_of(dev);
	const struct cpu_vcpu_stats *st;

	if (!v->vg)
		return -ENXIO;
	st = cpu_vcpu_stats(vgic_vcpu(v->vg, index));
	*exits = st->exits;
	*entries = st->entries;
	return 0;
}

static bool sim_host_built(struct kvm_device *dev)
{
	return vgic_of(dev)->host != NULL;
}

static const struct kvm_irqchip_ops vgic_irqchip_ops = {
	.sim_host_built = sim_host_built,
	.sim_guest = sim_guest,
	.sim_observe = sim_observe,
	.sim_guest_ipi = sim_guest_ipi,
	.sim_guest_timer = sim_guest_timer,
	.sim_guest_irq_config = sim_guest_irq_config,
	.sim_counters = sim_counters,
	.vcpu_run = vgic_vcpu_run,
	.vcpu_create = vgic_vcpu_create,
	.irq_line = vgic_irq_line,
	.irqfd_ready = vgic_irqfd_ready,
	.set_gsi = vgic_set_gsi,
	.irqfd_delay = vgic_irqfd_delay,
	.set_device_addr = vgic_set_device_addr,
	.mmio = vgic_kvm_mmio,
	.mmio_direct = vgic_kvm_mmio_direct,
	.timer_reg = vgic_kvm_timer_reg,
	.counter_hz = vgic_kvm_counter_hz,
};

static int vgic_profile(uint32_t type, struct kvmsim_profile *out)
{
	const struct gic_host_profile *p = profile_of(type);

	*out = (struct kvmsim_profile){ .name = p->name, .description = p->description,
					.cpu_hz = p->cpu_hz };
	for (unsigned i = 0; i < KVMSIM_MAX_CALIBRATION && p->calibration[i]; i++)
		out->calibration[i] = p->calibration[i];
	return 0;
}

const struct kvm_device_ops gic_kvm_vgic_ops = {
	.name = "kvm-arm-vgic",
	.profile = vgic_profile,
	.create = kvm_vgic_create,
	.destroy = kvm_vgic_destroy,
	.set_attr = vgic_set_attr,
	.get_attr = vgic_get_attr,
	.has_attr = vgic_has_attr,
};
