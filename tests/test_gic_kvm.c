// SPDX-License-Identifier: MIT
/*
 * test_gic_kvm.c — the ARM VGIC devices and the arm64 injection requests
 * as a VMM sees them, row by row from kvm-api.md §11.2 (A1-A41) and §3,
 * §3.7, §9.3, §9.5: raw
 * calls, expected results and errno, and the architectural state read
 * back through DIST_REGS after an injection.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include <kvmsim/kvm.h>
#include <kvmsim/kvmsim.h>

#include "sim/sim.h"
#include "test_util.h"

static int vm;

static void setup(void)
{
	vm = open_vm("arm64", NULL);
}

static void teardown(void)
{
	kvmsim_close(vm);
}

TestSuite(gic_kvm, .init = setup, .fini = teardown);

static int create_vgic(uint32_t type)
{
	struct kvm_create_device cd = { .type = type };

	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), "create VGIC");
	return (int)cd.fd;
}

static int attr(int dev, unsigned long req, uint32_t group, uint64_t a, void *payload)
{
	struct kvm_device_attr da = { .group = group, .attr = a,
				      .addr = (uint64_t)(uintptr_t)payload };

	return kvmsim_ioctl(dev, req, &da);
}

static int set_u64(int dev, uint32_t group, uint64_t a, uint64_t v)
{
	return attr(dev, KVM_SET_DEVICE_ATTR, group, a, &v);
}

static int set_u32(int dev, uint32_t group, uint64_t a, uint32_t v)
{
	return attr(dev, KVM_SET_DEVICE_ATTR, group, a, &v);
}

static uint32_t get_u32(int dev, uint32_t group, uint64_t a)
{
	uint32_t v = 0xdeadbeef;

	EXPECT_OK(attr(dev, KVM_GET_DEVICE_ATTR, group, a, &v), "GET");
	return v;
}

static void vcpus(int n)
{
	for (int i = 0; i < n; i++)
		EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, (unsigned long)i), "vCPU");
}

static int irq_line(uint32_t irq, uint32_t level)
{
	struct kvm_irq_level l = { .irq = irq, .level = level };

	return kvmsim_ioctl(vm, KVM_IRQ_LINE, &l);
}

#define GRP_ADDR KVM_DEV_ARM_VGIC_GRP_ADDR
#define GRP_DIST KVM_DEV_ARM_VGIC_GRP_DIST_REGS
#define GRP_CPU KVM_DEV_ARM_VGIC_GRP_CPU_REGS
#define GRP_NR KVM_DEV_ARM_VGIC_GRP_NR_IRQS
#define GRP_CTRL KVM_DEV_ARM_VGIC_GRP_CTRL
#define SPI(n) ((uint32_t)KVM_ARM_IRQ_TYPE_SPI << 24 | (n))
#define PPI(cpu, n) ((uint32_t)KVM_ARM_IRQ_TYPE_PPI << 24 | (uint32_t)(cpu) << 16 | (n))
#define CPUREG(cpu, off) ((uint64_t)(cpu) << 32 | (off))

Test(gic_kvm, a1_a2_one_vgic_per_vm)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V2 };

	create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), EEXIST, "A2: v2 again");
	cd.type = KVM_DEV_TYPE_ARM_VGIC_V3;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), EEXIST, "A2: v3");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_IRQCHIP, 0UL), EEXIST, "A2: legacy");
	cd.flags = KVM_CREATE_DEVICE_TEST;
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), "G9: TEST ignores singletons");
}

Test(gic_kvm, legacy_create_irqchip_is_a_v2_vgic)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };

	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_IRQCHIP, 0UL), "§3.8");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), EEXIST, "A2");
	vcpus(1);
	/* the legacy v2 path initialises lazily on the first injection */
	EXPECT_OK(irq_line(SPI(40), 1), "lazy init");
}

Test(gic_kvm, a3_to_a8_addresses)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);
	uint64_t a = 0;

	EXPECT_OK(attr(dev, KVM_GET_DEVICE_ATTR, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, &a), "A3");
	cr_expect_eq(a, UINT64_MAX, "A3: undefined");
	EXPECT_ERRNO(set_u64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, 0x08000800), EINVAL,
		     "A4: 4 KiB alignment");
	EXPECT_ERRNO(set_u64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, 1ull << 40), E2BIG,
		     "A5: beyond the IPA space");
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, 0x08000000), "A6");
	EXPECT_ERRNO(set_u64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, 0x08000000), EEXIST,
		     "A6: set once");
	EXPECT_ERRNO(set_u64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU, 0x08000000), EBUSY,
		     "A7: overlap");
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU, 0x08010000), "A7");
	EXPECT_OK(attr(dev, KVM_GET_DEVICE_ATTR, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU, &a), "A7");
	cr_expect_eq(a, 0x08010000, "read-back");
	EXPECT_ERRNO(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x09000000), ENXIO,
		     "A8: v3 type on v2");
	EXPECT_ERRNO(attr(dev, KVM_GET_DEVICE_ATTR, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, &a),
		     ENXIO, "A8");
	EXPECT_ERRNO(attr(dev, KVM_HAS_DEVICE_ATTR, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, NULL),
		     ENXIO, "A8");
	EXPECT_OK(attr(dev, KVM_HAS_DEVICE_ATTR, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU, NULL),
		  "HAS");
	EXPECT_ERRNO(attr(dev, KVM_SET_DEVICE_ATTR, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, NULL),
		     EFAULT, "unreadable payload");
}

Test(gic_kvm, a9_to_a11_nr_irqs)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);

	EXPECT_ERRNO(set_u32(dev, GRP_NR, 0, 32), EINVAL, "A9: < 64");
	EXPECT_ERRNO(set_u32(dev, GRP_NR, 0, 63), EINVAL, "A9: not a multiple of 32");
	EXPECT_ERRNO(set_u32(dev, GRP_NR, 0, 1056), EINVAL, "A9: > 1024");
	cr_expect_eq(get_u32(dev, GRP_NR, 0), 0, "A10");
	EXPECT_OK(set_u32(dev, GRP_NR, 0, 128), "A11");
	EXPECT_ERRNO(set_u32(dev, GRP_NR, 0, 128), EBUSY, "A11: once");
	cr_expect_eq(get_u32(dev, GRP_NR, 0), 128);
	EXPECT_OK(attr(dev, KVM_HAS_DEVICE_ATTR, GRP_NR, 77, NULL), "HAS ignores attr");
}

Test(gic_kvm, a12_a13_init_needs_a_vcpu)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);

	EXPECT_ERRNO(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL),
		     ENODEV, "A12");
	EXPECT_ERRNO(set_u32(dev, GRP_DIST, 0x100, 1), ENODEV, "A13: implicit init");
}

Test(gic_kvm, a14_to_a21_after_init)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);
	uint32_t v;

	vcpus(2);
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL),
		  "A14");
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL),
		  "A14: idempotent");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 2UL), EBUSY, "A15");
	EXPECT_ERRNO(set_u32(dev, GRP_NR, 0, 128), EBUSY, "NR_IRQS after init");
	cr_expect_eq(get_u32(dev, GRP_NR, 0), 256, "the legacy default");
	EXPECT_ERRNO(attr(dev, KVM_GET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, &v),
		     ENXIO, "A16");
	EXPECT_OK(attr(dev, KVM_HAS_DEVICE_ATTR, GRP_CTRL, 0, NULL), "A17");
	EXPECT_ERRNO(attr(dev, KVM_HAS_DEVICE_ATTR, GRP_CTRL, 1, NULL), ENXIO, "A17");
	EXPECT_ERRNO(attr(dev, KVM_GET_DEVICE_ATTR, GRP_DIST, CPUREG(2, 0), &v), EINVAL,
		     "A18: vcpu_index 2 >= 2 vCPUs");
	EXPECT_ERRNO(attr(dev, KVM_GET_DEVICE_ATTR, GRP_DIST, 0xFE8, &v), ENXIO,
		     "A19: GICD_PIDR2 not exposed");
	/* A20: GICD_TYPER = (256 / 32 - 1) | (2 - 1) << 5 (gic.md §2.2) */
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x004), 7 | 1 << 5, "A20");
	EXPECT_OK(attr(dev, KVM_HAS_DEVICE_ATTR, GRP_DIST, 0x004, NULL), "A21");
	EXPECT_OK(attr(dev, KVM_HAS_DEVICE_ATTR, GRP_CPU, 0xFC, NULL), "A21");
	EXPECT_ERRNO(attr(dev, KVM_HAS_DEVICE_ATTR, GRP_CPU, 0x0C, NULL), ENXIO,
		     "A21: GICC_IAR");
}

Test(gic_kvm, a22_later_groups_are_unknown)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V3);
	uint32_t v = 0;

	for (uint32_t g = 5; g <= 9; g++) {
		EXPECT_ERRNO(attr(dev, KVM_SET_DEVICE_ATTR, g, 0, &v), ENXIO, "A22");
		EXPECT_ERRNO(attr(dev, KVM_GET_DEVICE_ATTR, g, 0, &v), ENXIO, "A22");
		EXPECT_ERRNO(attr(dev, KVM_HAS_DEVICE_ATTR, g, 0, &v), ENXIO, "A22");
	}
}

Test(gic_kvm, a23_to_a27_v3)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V3);
	struct kvm_irqfd irqfd = { .gsi = 0 };
	uint32_t v = 0;

	vcpus(2);
	EXPECT_OK(attr(dev, KVM_HAS_DEVICE_ATTR, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, NULL), "A23");
	EXPECT_OK(attr(dev, KVM_HAS_DEVICE_ATTR, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, NULL),
		  "A23");
	EXPECT_ERRNO(attr(dev, KVM_HAS_DEVICE_ATTR, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, NULL),
		     ENXIO, "A23");
	EXPECT_ERRNO(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x08001000), EINVAL,
		     "A24: 64 KiB alignment");
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x08000000), "v3 dist");
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x080A0000), "v3 redist");
	EXPECT_ERRNO(set_u32(dev, GRP_DIST, 0, 0), ENXIO, "A25");
	EXPECT_ERRNO(attr(dev, KVM_GET_DEVICE_ATTR, GRP_CPU, 0, &v), ENXIO, "A25");
	EXPECT_ERRNO(attr(dev, KVM_HAS_DEVICE_ATTR, GRP_DIST, 0, NULL), ENXIO, "A25");
	EXPECT_ERRNO(irq_line(SPI(32), 1), EBUSY, "A26: v3 does not init lazily");
	irqfd.fd = (uint32_t)kvmsim_eventfd(0, 0);
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IRQFD, &irqfd), EAGAIN, "A27");
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL),
		  "init");
	EXPECT_OK(irq_line(SPI(32), 1), "after init");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQFD, &irqfd), "after init");
	kvmsim_close((int)irqfd.fd);
}

Test(gic_kvm, v3_dist_and_redist_at_one_address_overlap)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V3);

	/* 4.4 keeps the redistributor base in the v2 CPU-base field and
	 * checks it against the distributor with the v2 sizes */
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x08000000), "dist");
	EXPECT_ERRNO(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x08000000), EBUSY,
		     "same base");
}

Test(gic_kvm, a30_to_a36_irq_line_with_a_v2_vgic)
{
	struct kvm_irq_level l = { .irq = SPI(255), .level = 1 };

	create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);
	vcpus(2);
	EXPECT_ERRNO(irq_line(SPI(31), 1), EINVAL, "A30: not an SPI");
	EXPECT_OK(irq_line(SPI(255), 1), "A31");
	EXPECT_ERRNO(irq_line(SPI(256), 1), EINVAL, "A32: beyond the default 256");
	EXPECT_OK(irq_line(PPI(1, 27), 1), "A33");
	EXPECT_ERRNO(irq_line(PPI(2, 27), 1), EINVAL, "A34: no vCPU 2");
	EXPECT_ERRNO(irq_line(PPI(0, 15), 1), EINVAL, "A35: SGIs cannot be injected");
	EXPECT_ERRNO(irq_line(PPI(0, 32), 1), EINVAL, "PPIs end at 31");
	EXPECT_ERRNO(irq_line(0, 1), ENXIO, "A36: CPU type with an in-kernel GIC");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQ_LINE_STATUS, &l), "_STATUS");
	cr_expect_eq(l.irq, SPI(255), "on ARM the struct comes back unchanged");
	cr_expect_eq(l.level, 1);
}

Test(gic_kvm, a37_a38_a41_without_a_vgic)
{
	struct kvm_arm_device_addr da = { .id = 0, .addr = 0x08000000 };

	vcpus(1);
	EXPECT_ERRNO(irq_line(SPI(32), 1), ENXIO, "A37");
	EXPECT_ERRNO(irq_line(PPI(0, 27), 1), ENXIO, "no VGIC");
	EXPECT_OK(irq_line(KVM_ARM_IRQ_CPU_IRQ, 1), "A37: the vCPU's IRQ line");
	EXPECT_OK(irq_line(KVM_ARM_IRQ_CPU_FIQ, 1), "FIQ line");
	EXPECT_ERRNO(irq_line(2, 1), EINVAL, "A37");
	EXPECT_ERRNO(irq_line(1u << 16, 1), EINVAL, "no vCPU 1");
	EXPECT_ERRNO(irq_line(3u << 24, 1), EINVAL, "A38");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ARM_SET_DEVICE_ADDR, &da), ENODEV, "A41");
}

Test(gic_kvm, a39_v2_limits_vcpus)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V2 };

	vcpus(9);
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), E2BIG, "A39");
	cd.type = KVM_DEV_TYPE_ARM_VGIC_V3;
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), "v3 takes 255");
}

Test(gic_kvm, v2_vgic_caps_vcpu_ids_at_8)
{
	create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 8UL), EINVAL, "§3.1: id >= limit");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 7UL), "id 7");
}

Test(gic_kvm, a40_no_routing_msi_or_enable_cap_on_arm)
{
	struct kvm_irq_routing r = { 0 };
	struct kvm_msi msi = { 0 };
	struct kvm_enable_cap cap = { .cap = KVM_CAP_IRQCHIP };

	create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_SET_GSI_ROUTING, &r), EINVAL, "A40");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_SIGNAL_MSI, &msi), EINVAL, "A40");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ENABLE_CAP, &cap), EINVAL, "A40");
}

Test(gic_kvm, set_device_addr_is_the_addr_attribute)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);
	struct kvm_arm_device_addr da = {
		.id = (uint64_t)KVM_ARM_DEVICE_VGIC_V2 << 16 | KVM_VGIC_V2_ADDR_TYPE_DIST,
		.addr = 0x08000000,
	};
	uint64_t a;

	EXPECT_OK(kvmsim_ioctl(vm, KVM_ARM_SET_DEVICE_ADDR, &da), "§3.8");
	EXPECT_OK(attr(dev, KVM_GET_DEVICE_ATTR, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, &a), "GET");
	cr_expect_eq(a, 0x08000000);
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ARM_SET_DEVICE_ADDR, &da), EEXIST, "once");
	da.id = 1ull << 16;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ARM_SET_DEVICE_ADDR, &da), ENODEV, "unknown device");
	da.id = KVM_VGIC_V3_ADDR_TYPE_DIST;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ARM_SET_DEVICE_ADDR, &da), ENODEV,
		     "a type of the other model");
	da.id = KVM_VGIC_V2_ADDR_TYPE_CPU;
	da.addr = 0x08000100;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ARM_SET_DEVICE_ADDR, &da), EINVAL, "alignment");
}

/* "Reading back through DIST_REGS shows the architectural state." */
Test(gic_kvm, injected_spi_reads_back_pending_through_dist_regs)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);

	vcpus(2);
	EXPECT_OK(irq_line(SPI(40), 1), "raise SPI 40 (level)");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 1, "GICD_ISPENDR1 bit 8");
	EXPECT_OK(irq_line(SPI(40), 0), "lower it");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 0, "a level SPI goes away");
	/* an edge SPI stays pending after the line drops */
	EXPECT_OK(set_u32(dev, GRP_DIST, 0xC08, 2u << 16), "ICFGR2: SPI 40 edge");
	EXPECT_OK(irq_line(SPI(40), 1), "edge");
	EXPECT_OK(irq_line(SPI(40), 0), "edge");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 1, "latched");
	/* a PPI is banked: pending on vCPU 1 only */
	EXPECT_OK(irq_line(PPI(1, 27), 1), "PPI 27 on vCPU 1");
	cr_expect_eq(get_u32(dev, GRP_DIST, CPUREG(1, 0x200)) >> 27 & 1, 1);
	cr_expect_eq(get_u32(dev, GRP_DIST, CPUREG(0, 0x200)) >> 27 & 1, 0);
}

Test(gic_kvm, distributor_view_after_kvm_init)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);

	vcpus(2);
	/* §3.6: SGIs enabled, every SPI at vCPU 0; KVM's IIDR 'K' (gic.md §2.2) */
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x100), 0x0000FFFF, "SGIs enabled");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x820), 0x01010101, "SPIs 32-35 at vCPU 0");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x008), 0x4B00043B, "GICD_IIDR");
	cr_expect_eq(get_u32(dev, GRP_DIST, CPUREG(1, 0x800)), 0x02020202,
		     "banked ITARGETSR0 of vCPU 1");
	/* IGROUPR is RAZ/WI in 4.4 */
	EXPECT_OK(set_u32(dev, GRP_DIST, 0x084, 0xFFFFFFFF), "IGROUPR1");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x084), 0);
	/* KVM keeps one target per SPI: the lowest bit written */
	EXPECT_OK(set_u32(dev, GRP_DIST, 0x828, 0x03030303), "ITARGETSR10");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x828), 0x01010101);
	/* whole 8-bit priorities */
	EXPECT_OK(set_u32(dev, GRP_DIST, 0x428, 0xA5A5A5A5), "IPRIORITYR10");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x428), 0xA5A5A5A5);
}

Test(gic_kvm, cpu_regs_are_the_vcpu_interface_state)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);

	vcpus(2);
	cr_expect_eq(get_u32(dev, GRP_CPU, CPUREG(0, 0x00)), 0, "GICC_CTLR");
	cr_expect_eq(get_u32(dev, GRP_CPU, CPUREG(0, 0x08)), 2, "GICC_BPR at its minimum");
	cr_expect_eq(get_u32(dev, GRP_CPU, CPUREG(0, 0x1C)), 3, "GICC_ABPR");
	cr_expect_eq(get_u32(dev, GRP_CPU, CPUREG(0, 0xFC)), 0x04B2043B, "KVM's GICC_IIDR");
	EXPECT_OK(set_u32(dev, GRP_CPU, CPUREG(1, 0x04), 0xF0), "GICC_PMR of vCPU 1");
	cr_expect_eq(get_u32(dev, GRP_CPU, CPUREG(1, 0x04)), 0xF0);
	cr_expect_eq(get_u32(dev, GRP_CPU, CPUREG(0, 0x04)), 0, "banked");
	EXPECT_OK(set_u32(dev, GRP_CPU, CPUREG(0, 0x00), 0x201), "GICC_CTLR");
	cr_expect_eq(get_u32(dev, GRP_CPU, CPUREG(0, 0x00)), 0x201);
	/* GICC_APRn are RAZ/WI in 4.4 */
	EXPECT_OK(set_u32(dev, GRP_CPU, CPUREG(0, 0xD0), 1), "GICC_APR0");
	cr_expect_eq(get_u32(dev, GRP_CPU, CPUREG(0, 0xD0)), 0);
}

Test(gic_kvm, irqfd_injects_an_spi_edge)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);
	int efd = kvmsim_eventfd(0, 0);
	struct kvm_irqfd f = { .fd = (uint32_t)efd, .gsi = 8 };

	vcpus(1);
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IRQFD, &f), EAGAIN, "v2 not initialised yet");
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL),
		  "init");
	EXPECT_OK(set_u32(dev, GRP_DIST, 0xC08, 2u << 16), "SPI 40 edge");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQFD, &f), "assign: GSI 8 = SPI 40");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 0);
	EXPECT_OK(kvmsim_eventfd_write(efd, 1), "signal");
	/* 4.4 defers an SPI's irqfd injection to a work item (the X-Gene
	 * profile: the write's system call and a kworker's wake-up) */
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 0, "not yet: the work is queued");
	EXPECT_OK(kvmsim_eventfd_write(efd, 1), "a second signal: the same work");
	kvmsim_run(vm, 3000);
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 1, "SPI 40 pending");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IRQFD, &f), EBUSY, "one irqfd per eventfd");
	f.flags = KVM_IRQFD_FLAG_DEASSIGN;
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQFD, &f), "deassign");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQFD, &f), "deassign: 0 even if nothing matched");
	EXPECT_OK(set_u32(dev, GRP_DIST, 0x284, 1u << 8), "ICPENDR: clear");
	EXPECT_OK(kvmsim_eventfd_write(efd, 1), "signal after deassign");
	kvmsim_run(vm, 3000);
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 0, "nothing injected");
	kvmsim_close(efd);
}

/* irqfd_shutdown() flushes the injection's work item: an eventfd written
 * just before its irqfd goes still injects, at the deassign. */
Test(gic_kvm, deassign_runs_a_queued_injection)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);
	int efd = kvmsim_eventfd(0, 0);
	struct kvm_irqfd f = { .fd = (uint32_t)efd, .gsi = 8 };

	vcpus(1);
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL),
		  "init");
	EXPECT_OK(set_u32(dev, GRP_DIST, 0xC08, 2u << 16), "SPI 40 edge");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQFD, &f), "assign");
	EXPECT_OK(kvmsim_eventfd_write(efd, 1), "signal");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 0, "queued");
	f.flags = KVM_IRQFD_FLAG_DEASSIGN;
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQFD, &f), "deassign");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 1, "flushed: SPI 40 pending");
	kvmsim_close(efd);
}

Test(gic_kvm, irqfd_errors)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);
	int efd = kvmsim_eventfd(0, 0);
	struct kvm_irqfd f = { .fd = (uint32_t)efd, .gsi = 1, .flags = 4 };

	vcpus(1);
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL),
		  "init");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IRQFD, &f), EINVAL, "unknown flag");
	f.flags = 0;
	f.fd = 1000;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IRQFD, &f), EBADF, "fd not open");
	f.fd = (uint32_t)vm;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IRQFD, &f), EINVAL, "not an eventfd");
	f.fd = (uint32_t)efd;
	f.flags = KVM_IRQFD_FLAG_RESAMPLE;
	f.resamplefd = 1000;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IRQFD, &f), EBADF, "resamplefd not open");
	f.resamplefd = (uint32_t)dev;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IRQFD, &f), EINVAL, "resamplefd not an eventfd");
	f.flags = KVM_IRQFD_FLAG_DEASSIGN;
	f.fd = (uint32_t)dev;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IRQFD, &f), EINVAL, "deassign: not an eventfd");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IRQFD, NULL), EFAULT, "no struct");
	kvmsim_close(efd);
}

Test(gic_kvm, irqfd_with_a_count_injects_the_missed_event_and_hangup_removes_it)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);
	int efd = kvmsim_eventfd(3, 0), efd2;
	struct kvm_irqfd f = { .fd = (uint32_t)efd, .gsi = 9 };
	uint64_t n;

	vcpus(1);
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL),
		  "init");
	EXPECT_OK(set_u32(dev, GRP_DIST, 0xC08, 2u << 18), "SPI 41 edge");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQFD, &f), "assign");
	kvmsim_run(vm, 3000); /* its work item */
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 9 & 1, 1, "the missed event");
	EXPECT_OK(kvmsim_eventfd_read(efd, &n), "read");
	cr_expect_eq(n, 3, "the irqfd does not consume the counter");
	EXPECT_ERRNO(kvmsim_eventfd_read(efd, &n), EAGAIN, "empty");
	/* closing the eventfd removes the irqfd: the same GSI can take a
	 * new eventfd and nothing dangles */
	kvmsim_close(efd);
	efd2 = kvmsim_eventfd(0, 0);
	f.fd = (uint32_t)efd2;
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQFD, &f), "a new eventfd");
	kvmsim_close(efd2);
}

Test(gic_kvm, resampling_irqfd_holds_the_line)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);
	int efd = kvmsim_eventfd(0, 0), rfd = kvmsim_eventfd(0, 0);
	struct kvm_irqfd f = { .fd = (uint32_t)efd, .gsi = 8,
			       .flags = KVM_IRQFD_FLAG_RESAMPLE,
			       .resamplefd = (uint32_t)rfd };

	vcpus(1);
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL),
		  "init");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQFD, &f), "assign");
	EXPECT_OK(kvmsim_eventfd_write(efd, 1), "signal");
	kvmsim_run(vm, 3000);
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 1, "level SPI 40 asserted");
	/* closing the resamplefd does not remove the irqfd (§9.5) */
	kvmsim_close(rfd);
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 1, "still asserted");
	/* removing the last resampler lowers the line */
	kvmsim_close(efd);
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 0, "lowered");
}

Test(gic_kvm, eventfd_calls)
{
	int efd = kvmsim_eventfd(0, 0);
	uint64_t n;

	EXPECT_ERRNO(kvmsim_eventfd(0, 1), EINVAL, "flags");
	EXPECT_ERRNO(kvmsim_eventfd_write(efd, UINT64_MAX), EINVAL, "not a value");
	EXPECT_OK(kvmsim_eventfd_write(efd, UINT64_MAX - 1), "the maximum");
	EXPECT_ERRNO(kvmsim_eventfd_write(efd, 1), EAGAIN, "would overflow");
	EXPECT_ERRNO(kvmsim_eventfd_read(efd, NULL), EFAULT, "no buffer");
	EXPECT_OK(kvmsim_eventfd_read(efd, &n), "read");
	cr_expect_eq(n, UINT64_MAX - 1);
	EXPECT_ERRNO(kvmsim_eventfd_write(vm, 1), EINVAL, "a VM is not an eventfd");
	EXPECT_ERRNO(kvmsim_ioctl(efd, KVM_CHECK_EXTENSION, 0UL), ENOTTY, "no ioctls");
	kvmsim_close(efd);
	EXPECT_ERRNO(kvmsim_eventfd_write(efd, 1), EBADF, "closed");
}

Test(gic_kvm, time_advances_only_in_run)
{
	uint64_t t = 1;

	EXPECT_OK(kvmsim_now(vm, &t), "now");
	cr_expect_eq(t, 0);
	EXPECT_OK(kvmsim_run(vm, 1500), "run 1.5 us");
	EXPECT_OK(kvmsim_now(vm, &t), "now");
	cr_expect_eq(t, 1500000, "picoseconds");
	EXPECT_ERRNO(kvmsim_run(1000, 1), EBADF, "not open");
	EXPECT_ERRNO(kvmsim_now(vm, NULL), EFAULT, "no buffer");
}

Test(gic_kvm, capabilities_of_the_arm64_host)
{
	int sys = kvmsim_open("arm64");

	/* §10: what a 4.4 arm64 host with a VGIC reports */
	cr_expect_eq(kvmsim_ioctl(sys, KVM_CHECK_EXTENSION, (unsigned long)KVM_CAP_IRQCHIP), 1);
	cr_expect_eq(kvmsim_ioctl(sys, KVM_CHECK_EXTENSION, (unsigned long)KVM_CAP_IRQFD), 1);
	cr_expect_eq(kvmsim_ioctl(sys, KVM_CHECK_EXTENSION,
				  (unsigned long)KVM_CAP_ARM_SET_DEVICE_ADDR), 1);
	kvmsim_close(sys);
}

/* ---- vCPU init and KVM_RUN (§3.7, §11.2 A28/A29) ------------------------------ */

static int vcpu_fd(int id)
{
	return EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, (unsigned long)id), "vCPU");
}

static void vcpu_init(int fd)
{
	struct kvm_vcpu_init init = { 0 };

	EXPECT_OK(kvmsim_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init), "preferred target");
	EXPECT_OK(kvmsim_ioctl(fd, KVM_ARM_VCPU_INIT, &init), "KVM_ARM_VCPU_INIT");
}

Test(gic_kvm, vcpu_init_rules)
{
	int v = vcpu_fd(0);
	struct kvm_vcpu_init init = { 0 };

	EXPECT_OK(kvmsim_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init), "preferred target");
	cr_expect_eq(init.target, KVM_ARM_TARGET_GENERIC_V8);
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_RUN, 0UL), ENOEXEC, "KVM_RUN before KVM_ARM_VCPU_INIT");
	init.target = KVM_ARM_TARGET_CORTEX_A57;
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_ARM_VCPU_INIT, &init), EINVAL, "not this host's CPU");
	init.target = KVM_ARM_TARGET_GENERIC_V8;
	init.features[0] = 1u << 3;
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_ARM_VCPU_INIT, &init), ENOENT, "unknown feature");
	init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2;
	EXPECT_OK(kvmsim_ioctl(v, KVM_ARM_VCPU_INIT, &init), "PSCI 0.2");
	init.features[0] = 0;
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_ARM_VCPU_INIT, &init), EINVAL, "same features again");
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_ARM_VCPU_INIT, NULL), EFAULT, "no struct");
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_RUN, 1UL), EINVAL, "KVM_RUN takes no argument");
}

Test(gic_kvm, the_timer_ppi_is_mapped_once_the_vcpu_is_initialised)
{
	int v0 = vcpu_fd(0);

	vcpu_fd(1);
	create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2);
	vcpu_init(v0);
	EXPECT_ERRNO(irq_line(PPI(0, 27), 1), EINVAL, "§9.3: a forwarded interrupt");
	EXPECT_OK(irq_line(PPI(1, 27), 1), "vCPU 1 has no timer mapping yet");
	EXPECT_OK(irq_line(PPI(0, 26), 1), "another PPI");
}

Test(gic_kvm, a28_a29_first_run_checks)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2), v = vcpu_fd(0);

	vcpu_init(v);
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_RUN, 0UL), ENXIO, "A29: addresses not set");
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, 0x08000000), "dist");
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_RUN, 0UL), ENXIO, "A29: CPU interface not set");
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU, 0x08010000), "cpu");
	EXPECT_OK(kvmsim_ioctl(v, KVM_RUN, 0UL), "runs: v2 initialised itself");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 1UL), EBUSY, "after init");
}

Test(gic_kvm, a28_v3_must_be_initialised_before_run)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V3), v = vcpu_fd(0);

	vcpu_init(v);
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x08000000), "dist");
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x080A0000), "redist");
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_RUN, 0UL), EBUSY, "A28");
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL),
		  "init");
	EXPECT_OK(kvmsim_ioctl(v, KVM_RUN, 0UL), "runs");
}

/*
 * 4.4's first run maps the VGIC (vgic_v2_map_resources,
 * vgic_v3_map_resources): the base addresses are checked before anything
 * is initialised, so a first run that fails for an address leaves a v2
 * VGIC uninitialised — NR_IRQS still unchosen and settable, vCPUs still
 * creatable (kvm-api.md §3.5, §3.7).
 */
Test(gic_kvm, a_failed_first_run_leaves_the_vgic_as_it_was)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V2), v = vcpu_fd(0);
	uint32_t n = 0xdeadbeef;

	vcpu_init(v);
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_RUN, 0UL), ENXIO, "A29: addresses not set");
	EXPECT_OK(attr(dev, KVM_GET_DEVICE_ATTR, GRP_NR, 0, &n), "GET NR_IRQS");
	cr_expect_eq(n, 0, "§3.5: still 0, the VGIC was not initialised");
	EXPECT_OK(set_u32(dev, GRP_NR, 0, 128), "§3.5: NR_IRQS can still be chosen");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 1UL), "§3.7: vCPUs can still be created");
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, 0x08000000), "dist");
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU, 0x08010000), "cpu");
	EXPECT_OK(kvmsim_ioctl(v, KVM_RUN, 0UL), "runs now");
	cr_expect_eq(get_u32(dev, GRP_NR, 0), 128, "initialised with the NR_IRQS chosen after");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 2UL), EBUSY, "initialised now");
}

Test(gic_kvm, v3_first_run_checks_the_addresses_before_the_initialisation)
{
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V3), v = vcpu_fd(0);

	vcpu_init(v);
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_RUN, 0UL), ENXIO,
		     "vgic_v3_map_resources: addresses first, although not initialised");
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x08000000), "dist");
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_RUN, 0UL), ENXIO, "the redistributors' base unset");
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x080A0000), "redist");
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_RUN, 0UL), EBUSY, "A28: then the initialisation");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 1UL), "still not initialised");
}

/* A running VM, as a VMM sets one up. */
static int running_vm(uint32_t model, int nvcpus)
{
	int dev = create_vgic(model), v[8];

	for (int i = 0; i < nvcpus; i++) {
		v[i] = vcpu_fd(i);
		vcpu_init(v[i]);
	}
	if (model == KVM_DEV_TYPE_ARM_VGIC_V2) {
		EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_DIST, 0x08000000), "dist");
		EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V2_ADDR_TYPE_CPU, 0x08010000), "cpu");
	} else {
		EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x08000000), "dist");
		EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x080A0000),
			  "redist");
	}
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL),
		  "init");
	for (int i = 0; i < nvcpus; i++)
		EXPECT_OK(kvmsim_ioctl(v[i], KVM_RUN, 0UL), "KVM_RUN");
	EXPECT_OK(kvmsim_run(vm, 50000), "the guests boot and idle");
	return dev;
}

Test(gic_kvm, injected_spi_is_taken_and_completed_by_the_guest)
{
	int dev = running_vm(KVM_DEV_TYPE_ARM_VGIC_V2, 2);

	cr_expect_eq(get_u32(dev, GRP_DIST, 0x000), 1, "the guest enabled its distributor");
	EXPECT_OK(set_u32(dev, GRP_DIST, 0xC08, 2u << 16), "SPI 40 edge");
	EXPECT_OK(irq_line(SPI(40), 1), "raise");
	EXPECT_OK(irq_line(SPI(40), 0), "lower");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 1, "pending before time moves");
	EXPECT_OK(kvmsim_run(vm, 100000), "100 us");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x204) >> 8 & 1, 0, "taken");
	cr_expect_eq(get_u32(dev, GRP_DIST, 0x304) >> 8 & 1, 0, "and completed");
}

Test(gic_kvm, resampling_irqfd_is_resampled_when_the_guest_completes)
{
	int dev = running_vm(KVM_DEV_TYPE_ARM_VGIC_V3, 1);
	int efd = kvmsim_eventfd(0, 0), rfd = kvmsim_eventfd(0, 0);
	struct kvm_irqfd f = { .fd = (uint32_t)efd, .gsi = 8,
			       .flags = KVM_IRQFD_FLAG_RESAMPLE,
			       .resamplefd = (uint32_t)rfd };
	uint64_t n = 0;
	int sys = kvmsim_open("arm64");

	(void)dev;
	cr_expect_eq(kvmsim_ioctl(sys, KVM_CHECK_EXTENSION,
				  (unsigned long)KVM_CAP_IRQFD_RESAMPLE), 1);
	kvmsim_close(sys);
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQFD, &f), "assign");
	EXPECT_OK(kvmsim_eventfd_write(efd, 1), "the device asserts SPI 40 (level)");
	EXPECT_ERRNO(kvmsim_eventfd_read(rfd, &n), EAGAIN, "not completed yet");
	EXPECT_OK(kvmsim_run(vm, 100000), "100 us");
	EXPECT_OK(kvmsim_eventfd_read(rfd, &n), "resampled");
	cr_expect_eq(n, 1, "once: the line was lowered at the guest's EOI");
	kvmsim_close(efd);
	kvmsim_close(rfd);
}

/*
 * Random VGIC traffic: attributes of every group with random and nearly
 * valid values, injections, irqfds on live and closed eventfds, KVM_RUN
 * and simulated time, in random order on both models. Under ASan and
 * UBSan (./quickstart check) nothing may crash; every failure must be one
 * of the errors the API defines.
 */
#include <sys/mman.h>
#include <unistd.h>

#include "sim/rng.h"

Test(gic_kvm, random_vgic_traffic_never_crashes)
{
	long page = sysconf(_SC_PAGESIZE);
	char *gone = mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	struct sim_rng r;

	cr_assert(gone != MAP_FAILED);
	sim_rng_seed(&r, 44, 0);
	for (int round = 0; round < 12; round++) {
		int v[4], nv = (int)sim_rng_below(&r, 4), dev, efd[4];
		uint32_t model = sim_rng_below(&r, 2) ? KVM_DEV_TYPE_ARM_VGIC_V2
						      : KVM_DEV_TYPE_ARM_VGIC_V3;

		kvmsim_close(vm);
		vm = open_vm("arm64", NULL);
		for (int i = 0; i < nv; i++) {
			v[i] = vcpu_fd(i);
			if (sim_rng_below(&r, 4))
				vcpu_init(v[i]);
		}
		dev = create_vgic(model);
		for (int i = 0; i < 4; i++)
			efd[i] = kvmsim_eventfd((unsigned)sim_rng_below(&r, 2), 0);
		for (int step = 0; step < 600; step++) {
			uint64_t payload = sim_rng_below(&r, 3) ? sim_rng_below(&r, 2048)
							       : sim_rng_next(&r);
			void *p = sim_rng_below(&r, 8) ? (void *)&payload
						       : sim_rng_below(&r, 2) ? NULL : gone;
			uint64_t a = sim_rng_below(&r, 2)
					     ? (sim_rng_below(&r, 3) << 32) | sim_rng_below(&r, 0x1010)
					     : sim_rng_next(&r);
			int ret = 0;

			errno = 0;
			switch (sim_rng_below(&r, 8)) {
			case 0:
			case 1: {
				static const unsigned long reqs[] = { KVM_SET_DEVICE_ATTR,
								      KVM_GET_DEVICE_ATTR,
								      KVM_HAS_DEVICE_ATTR };

				ret = attr(dev, reqs[sim_rng_below(&r, 3)],
					   (uint32_t)sim_rng_below(&r, 10), a, p);
				break;
			}
			case 2: {
				uint32_t irq = (uint32_t)sim_rng_below(&r, 4) << 24 |
					       (uint32_t)sim_rng_below(&r, 5) << 16 |
					       (uint32_t)sim_rng_below(&r, 1100);

				ret = irq_line(sim_rng_below(&r, 8) ? irq : (uint32_t)sim_rng_next(&r),
					       (uint32_t)sim_rng_below(&r, 2));
				break;
			}
			case 3: {
				struct kvm_irqfd f = {
					.fd = (uint32_t)efd[sim_rng_below(&r, 4)],
					.gsi = (uint32_t)sim_rng_below(&r, 1200),
					.flags = (uint32_t)sim_rng_below(&r, 5),
					.resamplefd = (uint32_t)efd[sim_rng_below(&r, 4)],
				};

				ret = kvmsim_ioctl(vm, KVM_IRQFD, &f);
				break;
			}
			case 4:
				ret = kvmsim_eventfd_write(efd[sim_rng_below(&r, 4)],
							   sim_rng_below(&r, 3));
				break;
			case 5:
				if (nv)
					ret = kvmsim_ioctl(v[sim_rng_below(&r, (uint64_t)nv)], KVM_RUN,
							   0UL);
				break;
			case 6:
				ret = kvmsim_run(vm, sim_rng_below(&r, 20000));
				break;
			default:
				if (sim_rng_below(&r, 10) == 0) {
					int k = (int)sim_rng_below(&r, 4);

					kvmsim_close(efd[k]);
					efd[k] = kvmsim_eventfd(0, 0);
				} else {
					ret = kvmsim_ioctl(vm, KVM_CREATE_VCPU,
							   (unsigned long)sim_rng_below(&r, 10));
					if (ret >= 0)
						kvmsim_close(ret);
					ret = 0;
				}
			}
			if (ret < 0) {
				cr_assert_eq(ret, -1);
				cr_assert(errno == EINVAL || errno == ENXIO || errno == EFAULT ||
					  errno == EBUSY || errno == E2BIG || errno == EEXIST ||
					  errno == ENODEV || errno == EAGAIN || errno == EBADF ||
					  errno == ENOEXEC || errno == ENOENT,
					  "round %d step %d: errno %d", round, step, errno);
			}
		}
		for (int i = 0; i < 4; i++)
			kvmsim_close(efd[i]);
	}
	munmap(gone, (size_t)page);
}

/* ---- kvmsim's guest model and measurements through the API ---------------------- */

static struct kvmsim_irq_record got[16];
static unsigned ngot;

static void on_rec(void *ctx, const struct kvmsim_irq_record *r)
{
	(void)ctx;
	if (ngot < 16)
		got[ngot++] = *r;
}

static uint64_t handler_5us(void *ctx, unsigned vcpu, uint32_t intid)
{
	(void)ctx;
	(void)vcpu;
	(void)intid;
	return 5000000;
}

/* vCPUs @v0 and @v1 initialised, GICv3 @dev placed and initialised. */
static void vgic_v3_two_vcpus(int dev, int v0, int v1)
{
	vcpu_init(v0);
	vcpu_init(v1);
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_DIST, 0x08000000), "dist");
	EXPECT_OK(set_u64(dev, GRP_ADDR, KVM_VGIC_V3_ADDR_TYPE_REDIST, 0x080A0000), "redist");
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL),
		  "init");
}

Test(gic_kvm, guest_model_and_records_through_the_api)
{
	struct kvmsim_observer o = { .record = on_rec };
	struct kvmsim_guest g = { .wfi = 0, .handler_ps = handler_5us };
	uint64_t exits, entries, now;
	int v0, v1;

	EXPECT_ERRNO(kvmsim_vm_observe(vm, &o), ENODEV, "no in-kernel irqchip");
	v0 = vcpu_fd(0);
	EXPECT_ERRNO(kvmsim_vcpu_guest(v0, &g), ENODEV, "no in-kernel irqchip");
	v1 = vcpu_fd(1);
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V3);
	EXPECT_ERRNO(kvmsim_vm_observe(vm, &o), ENXIO, "not initialised");
	EXPECT_ERRNO(kvmsim_vcpu_guest(v0, &g), ENXIO, "not initialised");
	EXPECT_ERRNO(kvmsim_guest_ipi(v0, 1, 3), ENXIO, "not initialised");
	EXPECT_ERRNO(kvmsim_guest_timer(v0, 1000), ENXIO, "not initialised");
	EXPECT_ERRNO(kvmsim_guest_irq_config(vm, 40, 1), ENXIO, "not initialised");
	EXPECT_ERRNO(kvmsim_vcpu_counters(v0, &exits, &entries), ENXIO, "not initialised");
	vgic_v3_two_vcpus(dev, v0, v1);
	EXPECT_ERRNO(kvmsim_guest_irq_config(vm, 5, 1), EINVAL, "SGIs are always edge");
	EXPECT_ERRNO(kvmsim_guest_irq_config(vm, 1020, 1), EINVAL, "1020-1023 are special");
	ngot = 0;
	EXPECT_OK(kvmsim_vm_observe(vm, &o), "observe");
	EXPECT_OK(kvmsim_vcpu_guest(v0, &g), "busy guest, 5 us handlers");
	EXPECT_OK(kvmsim_vcpu_guest(v1, &g), "busy guest, 5 us handlers");
	EXPECT_ERRNO(kvmsim_vcpu_guest(v0, NULL), EFAULT, "no struct");
	EXPECT_ERRNO(kvmsim_vcpu_guest(vm, &g), EINVAL, "not a vCPU handle");
	EXPECT_OK(kvmsim_ioctl(v0, KVM_RUN, 0UL), "run");
	EXPECT_OK(kvmsim_ioctl(v1, KVM_RUN, 0UL), "run");
	EXPECT_OK(kvmsim_run(vm, 20000), "boot");
	/* an SPI from userspace, an IPI and a timer from the guests */
	EXPECT_OK(irq_line(SPI(40), 1), "SPI 40 (level)");
	EXPECT_OK(kvmsim_guest_ipi(v0, 1, 3), "vCPU 0 -> vCPU 1, SGI 3");
	EXPECT_ERRNO(kvmsim_guest_ipi(v0, 2, 3), EINVAL, "no vCPU 2");
	EXPECT_ERRNO(kvmsim_guest_ipi(v0, 1, 16), EINVAL, "SGIs are 0-15");
	EXPECT_OK(kvmsim_now(vm, &now), "now");
	EXPECT_OK(kvmsim_guest_timer(v1, now + 30000000), "timer in 30 us");
	EXPECT_OK(kvmsim_run(vm, 10000), "10 us");
	EXPECT_OK(irq_line(SPI(40), 0), "the device is serviced");
	EXPECT_OK(kvmsim_run(vm, 90000), "90 us");
	cr_assert_eq(ngot, 3, "three interrupts completed, %u recorded", ngot);
	for (unsigned i = 0; i < ngot; i++) {
		const struct kvmsim_irq_record *r = &got[i];

		cr_expect(r->t_assert <= r->t_handler && r->t_handler <= r->t_done);
		cr_expect_geq(r->t_done - r->t_handler, 5000000, "the 5 us handler");
		if (r->intid == 40)
			cr_expect_eq(r->vcpu, 0);
		else if (r->intid == 3)
			cr_expect_eq(r->vcpu, 1);
		else
			cr_expect(r->intid == 27 && r->vcpu == 1 && r->t_assert == now + 30000000,
				  "the timer, asserted at its expiry");
	}
	EXPECT_OK(kvmsim_vcpu_counters(v0, &exits, &entries), "counters");
	cr_expect_geq(exits, 1);
	cr_expect_geq(entries, exits);
	cr_expect_not_null(kvmsim_vm_sim(vm));
	cr_expect_null(kvmsim_vm_sim(v0));
}

/*
 * kvmsim_guest_ipi_full(): a guest busy in its 5 us handler takes no more
 * of its IPI writes, 16 wait; the next fails with EAGAIN and says until
 * when such writes fail, and they do until then; later one goes through.
 */
Test(gic_kvm, a_refused_guest_ipi_says_until_when)
{
	struct kvmsim_guest g = { .wfi = 0, .handler_ps = handler_5us };
	uint64_t now, until = 0, later;
	unsigned ok = 0, tries = 0;
	int v0, v1, r;

	v0 = vcpu_fd(0);
	v1 = vcpu_fd(1);
	vgic_v3_two_vcpus(create_vgic(KVM_DEV_TYPE_ARM_VGIC_V3), v0, v1);
	EXPECT_OK(kvmsim_vcpu_guest(v0, &g), "busy guest, 5 us handlers");
	EXPECT_OK(kvmsim_vcpu_guest(v1, &g), "busy guest, 5 us handlers");
	EXPECT_OK(kvmsim_ioctl(v0, KVM_RUN, 0UL), "run");
	EXPECT_OK(kvmsim_ioctl(v1, KVM_RUN, 0UL), "run");
	EXPECT_OK(kvmsim_run(vm, 20000), "boot");
	EXPECT_OK(kvmsim_guest_ipi(v1, 0, 3), "vCPU 1 -> vCPU 0: its handler runs 5 us");
	EXPECT_OK(kvmsim_run(vm, 3000), "3 us: in the handler");
	EXPECT_OK(kvmsim_now(vm, &now), "now");
	for (unsigned i = 0; i < 16; i++)
		cr_expect_eq(kvmsim_guest_ipi_full(v0, 1, 2, &until), 0, "write %u waits", i);
	cr_expect_eq(until, 0, "untouched where the write is taken");
	EXPECT_ERRNO(kvmsim_guest_ipi_full(v0, 1, 2, &until), EAGAIN, "16 wait: refused");
	cr_expect_gt(until, now, "refused for a while");
	EXPECT_ERRNO(kvmsim_guest_ipi_full(v0, 1, 2, NULL), EAGAIN, "no time asked for");
	EXPECT_ERRNO(kvmsim_guest_ipi_full(v0, 2, 2, &later), EINVAL, "no vCPU 2");
	EXPECT_ERRNO(kvmsim_guest_ipi_full(vm, 1, 2, &later), EINVAL, "not a vCPU handle");
	EXPECT_ERRNO(kvmsim_guest_ipi_full(60000, 1, 2, &later), EBADF, "not open");
	/* until then, each try fails (and gives a time of its own) */
	while (now + 1000 < until) {
		EXPECT_OK(kvmsim_run(vm, 1), "1 ns");
		EXPECT_OK(kvmsim_now(vm, &now), "now");
		if (now >= until)
			break;
		r = kvmsim_guest_ipi_full(v0, 1, 2, &later);
		tries++;
		cr_assert_eq(r, -1, "a write went through at %llu ps, before %llu",
			     (unsigned long long)now, (unsigned long long)until);
		cr_expect_eq(errno, EAGAIN);
		cr_expect_gt(later, now, "at %llu ps", (unsigned long long)now);
	}
	cr_expect_gt(tries, 100, "%u tries in %llu ps", tries, (unsigned long long)(until - now));
	for (unsigned i = 0; i < 100 && !ok; i++) {
		EXPECT_OK(kvmsim_run(vm, 1000), "1 us");
		ok += kvmsim_guest_ipi_full(v0, 1, 2, &later) == 0;
	}
	cr_expect_eq(ok, 1, "once the guest runs its code again, a write goes through");
}

/* ---- calls from the simulation thread ------------------------------------------- */

/* An event of the running VM that calls the API as a workload's source
 * does: on the VM's own handles (read without the table's lock), on a
 * handle of another VM (the locked path) and on one that is not open. */
struct from_sim {
	struct sim_event ev; /* first: the event is the struct */
	int v0, other_vm;
	unsigned fires, ok, again, unexpected;
};

static void from_sim_fire(struct sim *sim, struct sim_event *ev)
{
	struct from_sim *f = (struct from_sim *)ev;
	int r;

	f->fires++;
	r = kvmsim_guest_ipi(f->v0, 1, 3);
	if (!r)
		f->ok++;
	else if (errno == EAGAIN)
		f->again++;
	else
		f->unexpected++;
	if (irq_line(SPI(40), f->fires & 1))
		f->unexpected++;
	if (kvmsim_ioctl(f->other_vm, KVM_CHECK_EXTENSION,
			 (unsigned long)KVM_CAP_CHECK_EXTENSION_VM) != 1)
		f->unexpected++;
	if (kvmsim_guest_ipi(60000, 1, 3) != -1 || errno != EBADF)
		f->unexpected++;
	sim_schedule_in(sim, ev, SIM_NS(200), SIM_PRIO_DEFAULT);
}

static unsigned churn_done;

/* Open and close handles of every kind, many at once: the table grows by
 * chunks and its entries are reused while the simulation reads it. */
static void *handle_churn(void *arg)
{
	int sys = kvmsim_open("arm64"), efd[100];

	(void)arg;
	for (int round = 0; round < 20; round++) {
		int other = kvmsim_ioctl(sys, KVM_CREATE_VM, 0UL);
		int v = kvmsim_ioctl(other, KVM_CREATE_VCPU, 0UL);

		for (int i = 0; i < 100; i++)
			efd[i] = kvmsim_eventfd(0, 0);
		if (other < 0 || v < 0 || kvmsim_close(v) || kvmsim_close(other))
			return (void *)1;
		for (int i = 0; i < 100; i++)
			if (efd[i] < 0 || kvmsim_close(efd[i]))
				return (void *)2;
	}
	kvmsim_close(sys);
	__atomic_add_fetch(&churn_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

Test(gic_kvm, api_calls_from_the_simulation_while_other_threads_change_the_handles)
{
	struct kvmsim_guest g = { .wfi = 0, .handler_ps = handler_5us };
	struct from_sim f = { 0 };
	pthread_t th[4];
	int v0 = vcpu_fd(0), v1 = vcpu_fd(1), sys = kvmsim_open("arm64");
	int dev = create_vgic(KVM_DEV_TYPE_ARM_VGIC_V3);

	vgic_v3_two_vcpus(dev, v0, v1);
	EXPECT_OK(kvmsim_vcpu_guest(v0, &g), "guest");
	EXPECT_OK(kvmsim_vcpu_guest(v1, &g), "guest");
	EXPECT_OK(kvmsim_ioctl(v0, KVM_RUN, 0UL), "run");
	EXPECT_OK(kvmsim_ioctl(v1, KVM_RUN, 0UL), "run");
	f.v0 = v0;
	f.other_vm = EXPECT_OK(kvmsim_ioctl(sys, KVM_CREATE_VM, 0UL), "another VM");
	sim_event_init(&f.ev, from_sim_fire);
	sim_schedule_in(kvmsim_vm_sim(vm), &f.ev, SIM_NS(100), SIM_PRIO_DEFAULT);

	churn_done = 0;
	for (int i = 0; i < 4; i++)
		pthread_create(&th[i], NULL, handle_churn, NULL);
	/* a few runs at least, however soon the churn ends: on a loaded
	 * machine it can end before this thread runs again, which left no run
	 * at all and nothing counted */
	for (unsigned k = 0;
	     (k < 5 || __atomic_load_n(&churn_done, __ATOMIC_ACQUIRE) < 4) && f.unexpected == 0;
	     k++)
		EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	for (int i = 0; i < 4; i++) {
		void *ret;

		pthread_join(th[i], &ret);
		cr_assert_null(ret, "churn thread %d failed at step %p", i, ret);
	}
	cr_assert_eq(f.unexpected, 0, "%u unexpected results in %u calls", f.unexpected, f.fires);
	cr_assert_gt(f.ok, 0);
	cr_assert_eq(f.ok + f.again, f.fires);
	/* outside the run, the same handles take the locked path */
	EXPECT_ERRNO(kvmsim_guest_ipi(v0, 2, 3), EINVAL, "no vCPU 2, from outside a run");
	EXPECT_ERRNO(kvmsim_guest_ipi(60000, 1, 3), EBADF, "not open, from outside a run");
	kvmsim_close(f.other_vm);
	kvmsim_close(sys);
}
