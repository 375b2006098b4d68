// SPDX-License-Identifier: MIT
/*
 * test_kvm_arm.c — an arm64 vCPU as a VMM sees it (kvm/kvm_arm.c): the
 * mapping of its struct kvm_run (KVM_GET_VCPU_MMAP_SIZE, kvmsim_mmap()),
 * KVM_ARM_VCPU_INIT's reset, ONE_REG and KVM_GET_REG_LIST, exits to user
 * space (KVM_EXIT_MMIO answered by a VMM's handler, at the profile's cost
 * of each stage), the VGIC's regions emulated in the kernel, PSCI 0.1 and
 * 0.2, the capabilities against the calls they announce, and the set-up
 * sequences of kvmtool and QEMU, written from kvm-api.md and Linux 4.4's
 * documentation (api.txt §4.68, §4.82-4.84, §5; psci.txt).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#include <kvmsim/kvm.h>
#include <kvmsim/kvmsim.h>

#include "models/gic/gic_host.h"
#include "sim/sim.h"
#include "test_util.h"

#define GRP_ADDR KVM_DEV_ARM_VGIC_GRP_ADDR
#define GRP_NR KVM_DEV_ARM_VGIC_GRP_NR_IRQS
#define GRP_CTRL KVM_DEV_ARM_VGIC_GRP_CTRL
#define CORE(name) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(name))
#define MPIDR_EL1 ARM64_SYS_REG(3, 0, 0, 0, 5)
#define DIST 0x08000000ULL
#define CPUIF 0x08010000ULL   /* v2 */
#define REDIST 0x080A0000ULL  /* v3 */
#define DEVICE 0x0a000000ULL /* a user-space device (virtio-mmio's window on QEMU's virt) */

static int sys, vm, dev;
static int vcpu[4];
static struct kvm_run *run[4];

static void setup(void)
{
	vm = open_vm("arm64", &sys);
	dev = -1;
	memset(vcpu, 0, sizeof(vcpu));
	memset(run, 0, sizeof(run));
}

static void teardown(void)
{
	for (int i = 0; i < 4; i++)
		if (run[i])
			kvmsim_munmap(run[i], 8192);
	kvmsim_close(vm);
	kvmsim_close(sys);
}

TestSuite(kvm_arm, .init = setup, .fini = teardown);

static int attr(int fd, unsigned long req, uint32_t group, uint64_t a, void *payload)
{
	struct kvm_device_attr da = { .group = group, .attr = a,
				      .addr = (uint64_t)(uintptr_t)payload };

	return kvmsim_ioctl(fd, req, &da);
}

static void set_addr(uint64_t type, uint64_t a)
{
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_ADDR, type, &a), "VGIC address");
}

static void vcpu_init(int fd, uint32_t features)
{
	struct kvm_vcpu_init init = { 0 };

	EXPECT_OK(kvmsim_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init), "preferred target");
	init.features[0] = features;
	EXPECT_OK(kvmsim_ioctl(fd, KVM_ARM_VCPU_INIT, &init), "KVM_ARM_VCPU_INIT");
}

static uint64_t get_reg(int fd, uint64_t id)
{
	uint64_t v = 0xdeadbeefdeadbeefULL;
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&v };

	EXPECT_OK(kvmsim_ioctl(fd, KVM_GET_ONE_REG, &r), "KVM_GET_ONE_REG");
	return v;
}

static int set_reg(int fd, uint64_t id, uint64_t v)
{
	struct kvm_one_reg r = { .id = id, .addr = (uint64_t)(uintptr_t)&v };

	return kvmsim_ioctl(fd, KVM_SET_ONE_REG, &r);
}

static struct kvm_run *map(int fd)
{
	void *p = kvmsim_mmap(NULL, 8192, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);

	cr_assert_neq(p, MAP_FAILED, "kvmsim_mmap: errno %d", errno);
	return p;
}

/* The guest's accesses, as the observer gets them. */
static struct kvmsim_access_record acc[32];
static unsigned nacc;

static void on_access(void *ctx, const struct kvmsim_access_record *r)
{
	(void)ctx;
	if (nacc < 32)
		acc[nacc++] = *r;
}

/*
 * A VM as a VMM sets one up: @n vCPUs (vCPU i with @features[i], NULL:
 * none) mapped, a VGIC of @model with its addresses and CTRL_INIT, the
 * guests busy (they run their own code, which makes the accesses at
 * once), every vCPU run and booted.
 */
static void running(uint32_t model, int n, const uint32_t *features)
{
	struct kvm_create_device cd = { .type = model };
	struct kvmsim_guest g = { .wfi = 0 };
	struct kvmsim_observer o = { .access = on_access };
	/* a quiet host: the timing tests compose the profile's bare stages */
	struct kvmsim_host quiet = { .quiet = 1 };

	EXPECT_OK(kvmsim_vm_host(vm, &quiet), "quiet host");
	for (int i = 0; i < n; i++) {
		vcpu[i] = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, (unsigned long)i), "vCPU");
		run[i] = map(vcpu[i]);
		vcpu_init(vcpu[i], features ? features[i] : 0);
	}
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), "VGIC");
	dev = (int)cd.fd;
	if (model == KVM_DEV_TYPE_ARM_VGIC_V2) {
		set_addr(KVM_VGIC_V2_ADDR_TYPE_DIST, DIST);
		set_addr(KVM_VGIC_V2_ADDR_TYPE_CPU, CPUIF);
	} else {
		set_addr(KVM_VGIC_V3_ADDR_TYPE_DIST, DIST);
		set_addr(KVM_VGIC_V3_ADDR_TYPE_REDIST, REDIST);
	}
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), "init");
	nacc = 0;
	EXPECT_OK(kvmsim_vm_observe(vm, &o), "observe");
	for (int i = 0; i < n; i++) {
		EXPECT_OK(kvmsim_vcpu_guest(vcpu[i], &g), "busy guest");
		EXPECT_OK(kvmsim_ioctl(vcpu[i], KVM_RUN, 0UL), "KVM_RUN");
	}
	EXPECT_OK(kvmsim_run(vm, 50000), "boot");
}

static uint64_t now(void)
{
	uint64_t t;

	EXPECT_OK(kvmsim_now(vm, &t), "now");
	return t;
}

static int mmio(int fd, uint64_t addr, uint32_t len, bool write, unsigned rt, uint64_t value)
{
	struct kvmsim_guest_access a = { .addr = addr, .len = len, .is_write = write,
					 .rt = (uint8_t)rt, .value = value };

	return kvmsim_guest_mmio(fd, &a);
}

/* ---- the mapping: KVM_GET_VCPU_MMAP_SIZE, kvmsim_mmap ------------------------------- */

/* kvm-api.md §9.1: one page of kvm_run, plus x86's PIO page, plus the
 * coalesced MMIO ring where the architecture defines its page offset
 * (arm64, ppc and x86 do; s390 does not); Debian's page sizes. */
Test(kvm_arm, vcpu_mmap_size_is_the_hosts_kvm_run_pages)
{
	static const struct { const char *arch; int size; } t[] = {
		{ "arm64", 2 * 4096 }, { "x86", 3 * 4096 }, { "ppc", 2 * 65536 }, { "s390", 4096 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int s = kvmsim_open(t[i].arch);

		cr_expect_eq(kvmsim_ioctl(s, KVM_GET_VCPU_MMAP_SIZE, 0UL), t[i].size, "%s",
			     t[i].arch);
		EXPECT_ERRNO(kvmsim_ioctl(s, KVM_GET_VCPU_MMAP_SIZE, 1UL), EINVAL,
			     "§1.3: a non-zero argument");
		kvmsim_close(s);
	}
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_GET_VCPU_MMAP_SIZE, 0UL), EINVAL,
		     "a system request, unknown to a VM handle on arm64");
}

/* kvmsim_mmap() of @len bytes at @off of handle @fd must fail with @err. */
static void map_refused(size_t len, int flags, int fd, off_t off, int err, const char *why)
{
	errno = 0;
	cr_expect_eq(kvmsim_mmap(NULL, len, PROT_READ, flags, fd, off), MAP_FAILED, "%s", why);
	cr_expect_eq(errno, err, "%s: errno %d", why, errno);
}

Test(kvm_arm, kvm_run_is_reached_by_mapping_the_vcpu_handle)
{
	int v = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU");
	int size = EXPECT_OK(kvmsim_ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 0UL), "size");
	int efd = kvmsim_eventfd(0, 0);
	struct kvm_run *r = kvmsim_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, v, 0);
	unsigned char *ring;

	cr_assert_neq(r, MAP_FAILED);
	cr_expect_eq((uintptr_t)r % 4096, 0, "page-aligned");
	cr_expect_eq(r->exit_reason, KVM_EXIT_UNKNOWN, "a new vCPU's kvm_run is zeroed");
	ring = kvmsim_mmap(NULL, 4096, PROT_READ, MAP_SHARED, v, 4096);
	cr_assert_neq(ring, MAP_FAILED, "the coalesced MMIO ring's page");
	cr_expect_eq(ring, (unsigned char *)r + 4096, "the same pages");
	for (int i = 0; i < 4096; i++)
		cr_assert_eq(ring[i], 0, "an empty ring (first = last = 0)");
	EXPECT_OK(kvmsim_munmap(ring, 4096), "munmap");
	ring = kvmsim_mmap(NULL, 4096, PROT_READ, MAP_SHARED_VALIDATE, v, 0);
	cr_expect_eq(ring, (unsigned char *)r, "MAP_SHARED_VALIDATE: no flag to validate");
	EXPECT_OK(kvmsim_munmap(ring, 4096), "munmap");
	EXPECT_ERRNO(kvmsim_munmap(ring, 4096), EINVAL, "not mapped any more");
	EXPECT_ERRNO(kvmsim_munmap(r, 4096), EINVAL, "only whole mappings");
	EXPECT_OK(kvmsim_munmap(r, (size_t)size), "munmap");

	map_refused(4096, MAP_SHARED, vm, 0, ENODEV, "a VM fd has no mmap");
	map_refused(4096, MAP_SHARED, sys, 0, ENODEV, "/dev/kvm has no mmap");
	map_refused(4096, MAP_SHARED, efd, 0, ENODEV, "nor an eventfd");
	map_refused(4096, MAP_SHARED, 9999, 0, EBADF, "no such handle");
	map_refused(0, MAP_SHARED, v, 0, EINVAL, "length 0");
	map_refused(4096, MAP_SHARED, v, 100, EINVAL, "offset not page-aligned");
	map_refused(4096, MAP_PRIVATE, v, 0, EINVAL, "kvmsim maps shared only");
	map_refused(4096, MAP_SHARED | MAP_FIXED, v, 0, EINVAL, "kvmsim cannot place a mapping");
	map_refused(4096, MAP_SHARED, v, 8192, EINVAL, "beyond the vCPU's pages");
	kvmsim_close(efd);
}

/* A mapping pins its VM as a mapping of the vCPU fd pins its file: the
 * page stays readable with every handle closed (ASan would see a use
 * after free), and the VM goes with the munmap (LeakSanitizer otherwise). */
Test(kvm_arm, a_mapping_keeps_its_vm_alive)
{
	int v = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU");
	struct kvm_run *r = map(v);

	kvmsim_close(v);
	kvmsim_close(vm);
	vm = -1;
	cr_expect_eq(r->exit_reason, KVM_EXIT_UNKNOWN);
	r->request_interrupt_window = 1;
	EXPECT_OK(kvmsim_munmap(r, 8192), "the last reference");
}

/* ---- KVM_ARM_VCPU_INIT, ONE_REG, KVM_GET_REG_LIST ------------------------------------- */

Test(kvm_arm, one_reg_before_vcpu_init_is_enoexec)
{
	int v = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU");
	uint64_t x = 0;
	struct kvm_one_reg r = { .id = CORE(regs.pc), .addr = (uint64_t)(uintptr_t)&x };
	struct kvm_reg_list l = { .n = 0 };

	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), ENOEXEC, "not initialised");
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_SET_ONE_REG, &r), ENOEXEC, "not initialised");
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_REG_LIST, &l), ENOEXEC, "not initialised");
	vcpu_init(v, 0);
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_ONE_REG, NULL), EFAULT, "no struct");
	r.addr = 0;
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), EFAULT, "no payload");
}

/* reset.c: EL1h with D, A, I, F masked, everything else 0; sys_regs.c
 * reset_mpidr(): Aff0 = id & 15, Aff1 = id >> 4, bit 31. */
Test(kvm_arm, vcpu_init_resets_the_registers)
{
	int v = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 17UL), "vCPU id 17");

	vcpu_init(v, 0);
	cr_expect_eq(get_reg(v, CORE(regs.pstate)), 0x3c5);
	cr_expect_eq(get_reg(v, CORE(regs.pc)), 0);
	cr_expect_eq(get_reg(v, CORE(regs.regs[0])), 0);
	cr_expect_eq(get_reg(v, CORE(sp_el1)), 0);
	cr_expect_eq(get_reg(v, MPIDR_EL1), 0x80000101, "Aff1 1, Aff0 1");
	cr_expect_eq(get_reg(v, KVM_REG_ARM_TIMER_CTL), 0, "kvm_timer_vcpu_reset");
	EXPECT_OK(set_reg(v, CORE(regs.pc), 0x40080000), "PC");
	EXPECT_OK(set_reg(v, CORE(regs.regs[5]), 42), "X5");
	vcpu_init(v, 0);
	cr_expect_eq(get_reg(v, CORE(regs.pc)), 0, "a later KVM_ARM_VCPU_INIT resets again");
	cr_expect_eq(get_reg(v, CORE(regs.regs[5])), 0);
}

/* guest.c get_core_reg()/set_core_reg() of 4.4: the id indexes struct
 * kvm_regs in 32-bit words, the size field is not checked against the
 * register (5.0 began to), and off + words must stay below the end. */
Test(kvm_arm, core_registers_follow_the_word_indexing_of_4_4)
{
	int v = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU");
	uint64_t base = KVM_REG_ARM64 | KVM_REG_ARM_CORE, x1 = KVM_REG_ARM_CORE_REG(regs.regs[1]);
	uint32_t w = 0;
	unsigned char big[32];
	struct kvm_one_reg r = { .addr = (uint64_t)(uintptr_t)&w };

	vcpu_init(v, 0);
	EXPECT_OK(set_reg(v, CORE(regs.regs[1]), 0x1122334455667788ULL), "X1");
	r.id = base | KVM_REG_SIZE_U32 | x1;
	EXPECT_OK(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), "a U32 read of X1");
	cr_expect_eq(w, 0x55667788, "its low word");
	r.id = base | KVM_REG_SIZE_U32 | (x1 + 1);
	EXPECT_OK(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), "the word after");
	cr_expect_eq(w, 0x11223344, "its high word");
	r.id = base | KVM_REG_SIZE_U32 | 214;
	EXPECT_OK(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), "word 214 of 216");
	r.id = base | KVM_REG_SIZE_U32 | 215;
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), ENOENT,
		     "4.4's check keeps the last word out of reach");
	r.id = base | KVM_REG_SIZE_U64 | 216;
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), ENOENT, "past the end");
	r.id = base | KVM_REG_SIZE_U64 | 214;
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), ENOENT, "two words from 214");
	r.id = base | 0x0050000000000000ULL | 0; /* U256 */
	r.addr = (uint64_t)(uintptr_t)big;
	EXPECT_OK(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), "a 32-byte read inside the struct");
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_SET_ONE_REG, &r), EINVAL, "writes of more than 16 bytes");
	r.id = base | KVM_REG_SIZE_U128 | KVM_REG_ARM_CORE_REG(fp_regs.vregs[3]);
	memset(big, 0xab, 16);
	EXPECT_OK(kvmsim_ioctl(v, KVM_SET_ONE_REG, &r), "V3, 128 bits");
	memset(big, 0, 16);
	EXPECT_OK(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), "V3");
	cr_expect_eq(big[0], 0xab);
	cr_expect_eq(big[15], 0xab);
}

Test(kvm_arm, pstate_writes_must_name_a_mode_4_4_accepts)
{
	int v = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU");

	vcpu_init(v, 0);
	EXPECT_ERRNO(set_reg(v, CORE(regs.pstate), PSR_MODE_EL2h), EINVAL, "EL2h");
	EXPECT_ERRNO(set_reg(v, CORE(regs.pstate), PSR_MODE_EL3t), EINVAL, "EL3t");
	EXPECT_ERRNO(set_reg(v, CORE(regs.pstate), 0x1f), EINVAL, "AArch32 SYS: not in 4.4's list");
	cr_expect_eq(get_reg(v, CORE(regs.pstate)), 0x3c5, "unchanged");
	EXPECT_OK(set_reg(v, CORE(regs.pstate), PSR_MODE_EL1t | PSR_I_BIT), "EL1t");
	EXPECT_OK(set_reg(v, CORE(regs.pstate), PSR_MODE_EL0t), "EL0t");
	EXPECT_OK(set_reg(v, CORE(regs.pstate), 0x13), "AArch32 SVC");
}

/* kvm_arm_get_reg() of 4.4: bits 32-55 (but the size) must be arm64's
 * (EINVAL); system registers are 64-bit ones of its table (ENOENT). */
Test(kvm_arm, one_reg_rejects_ids_as_4_4)
{
	int v = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU");
	uint64_t x = 0;
	struct kvm_one_reg r = { .addr = (uint64_t)(uintptr_t)&x };

	vcpu_init(v, 0);
	r.id = KVM_REG_PPC_ICP_STATE;
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), EINVAL, "another architecture");
	r.id = CORE(regs.pc) | 1ULL << 40;
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), EINVAL, "bits 32-51 set");
	r.id = ARM64_SYS_REG(3, 0, 1, 0, 0); /* SCTLR_EL1: not modelled */
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), ENOENT, "not a register kvmsim has");
	r.id = (MPIDR_EL1 & ~KVM_REG_SIZE_MASK) | KVM_REG_SIZE_U32;
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), ENOENT, "system registers are U64");
	r.id = KVM_REG_ARM64 | KVM_REG_SIZE_U32 | KVM_REG_ARM_DEMUX;
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), ENOENT, "CCSIDR is not modelled");
	EXPECT_OK(set_reg(v, MPIDR_EL1, 0x80000003), "MPIDR_EL1 is writable in 4.4");
	cr_expect_eq(get_reg(v, MPIDR_EL1), 0x80000003);
}

/* arch_timer.c of 4.4: CTL and CVAL per vCPU, CNT the VM's virtual count
 * (setting it sets the one CNTVOFF); kept before the VGIC exists, handed
 * to its timer at initialisation. */
Test(kvm_arm, timer_registers_round_trip_and_cnt_is_the_vms)
{
	int v0 = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU");
	int v1 = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 1UL), "vCPU");
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };

	vcpu_init(v0, 0);
	vcpu_init(v1, 0);
	cr_expect_eq(get_reg(v0, KVM_REG_ARM_TIMER_CNT), 0, "no time has passed");
	EXPECT_OK(set_reg(v0, KVM_REG_ARM_TIMER_CVAL, 5000), "CVAL");
	EXPECT_OK(set_reg(v0, KVM_REG_ARM_TIMER_CTL, 2), "masked, disabled");
	EXPECT_OK(set_reg(v1, KVM_REG_ARM_TIMER_CNT, 1000), "CNT from vCPU 1");
	cr_expect_eq(get_reg(v0, KVM_REG_ARM_TIMER_CNT), 1000, "the VM's count");
	cr_expect_eq(get_reg(v0, KVM_REG_ARM_TIMER_CVAL), 5000);
	cr_expect_eq(get_reg(v0, KVM_REG_ARM_TIMER_CTL), 2);
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), "VGIC v3");
	dev = (int)cd.fd;
	set_addr(KVM_VGIC_V3_ADDR_TYPE_DIST, DIST);
	set_addr(KVM_VGIC_V3_ADDR_TYPE_REDIST, REDIST);
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), "init");
	cr_expect_eq(get_reg(v0, KVM_REG_ARM_TIMER_CVAL), 5000, "kept through the initialisation");
	cr_expect_eq(get_reg(v0, KVM_REG_ARM_TIMER_CTL), 2);
	cr_expect_eq(get_reg(v1, KVM_REG_ARM_TIMER_CNT), 1000);
	EXPECT_OK(kvmsim_run(vm, 4000), "4 us: 100 counts at Altra's 25 MHz");
	cr_expect_eq(get_reg(v1, KVM_REG_ARM_TIMER_CNT), 1100);
	EXPECT_OK(set_reg(v0, KVM_REG_ARM_TIMER_CVAL, 1050), "a compare value passed");
	cr_expect_eq(get_reg(v0, KVM_REG_ARM_TIMER_CTL), 2, "disabled: no ISTATUS");
	EXPECT_OK(set_reg(v0, KVM_REG_ARM_TIMER_CTL, 3), "enabled, masked");
	cr_expect_eq(get_reg(v0, KVM_REG_ARM_TIMER_CTL), 7, "ISTATUS: the condition holds");
}

/* api.txt §4.84 and 4.4's kvm_arch_vcpu_ioctl(): the count is written
 * back first, E2BIG if n (read as an unsigned int) is short; then the
 * ids: 216 core words, the timer's three, the system registers. */
Test(kvm_arm, reg_list_counts_then_lists_every_register)
{
	int v = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU");
	struct {
		struct kvm_reg_list l;
		uint64_t ids[300];
	} b = { .l.n = 0 };
	uint64_t n;

	vcpu_init(v, 0);
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_REG_LIST, &b), E2BIG, "no room");
	n = b.l.n;
	cr_expect_eq(n, 216 + 3 + 1, "core words, timer, MPIDR_EL1");
	b.l.n = (1ULL << 32) + 5;
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_REG_LIST, &b), E2BIG,
		     "4.4 keeps n's low 32 bits: 5");
	b.l.n = n;
	EXPECT_OK(kvmsim_ioctl(v, KVM_GET_REG_LIST, &b), "the list");
	cr_expect_eq(b.ids[0], KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | 0);
	cr_expect_eq(b.ids[215], KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | 215);
	cr_expect_eq(b.ids[216], KVM_REG_ARM_TIMER_CTL);
	cr_expect_eq(b.ids[217], KVM_REG_ARM_TIMER_CNT);
	cr_expect_eq(b.ids[218], KVM_REG_ARM_TIMER_CVAL);
	cr_expect_eq(b.ids[219], MPIDR_EL1);
	/* every listed register reads, but the last two core words, whose U64
	 * ids 4.4 lists and its own range check refuses */
	for (uint64_t i = 0; i < n; i++) {
		uint64_t x;
		struct kvm_one_reg r = { .id = b.ids[i], .addr = (uint64_t)(uintptr_t)&x };

		if (i == 214 || i == 215)
			EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), ENOENT, "past the end");
		else
			EXPECT_OK(kvmsim_ioctl(v, KVM_GET_ONE_REG, &r), "a listed register");
	}
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_GET_REG_LIST, NULL), EFAULT, "no struct");
}

/* ---- exits to user space ----------------------------------------------------------------- */

/* The VMM's handler: it answers a load with @answer and calls KVM_RUN,
 * at once or (@later_ps) from an event of its own. */
static struct {
	int fd;
	uint64_t answer, later_ps, t;
	unsigned calls;
	struct kvm_run seen;
	struct sim_event ev;
} vmm;

static void vmm_resume(struct sim *s, struct sim_event *ev)
{
	(void)s;
	(void)ev;
	EXPECT_OK(kvmsim_ioctl(vmm.fd, KVM_RUN, 0UL), "KVM_RUN from the device model");
}

static void vmm_exit(void *ctx, struct kvm_run *r)
{
	(void)ctx;
	vmm.calls++;
	vmm.seen = *r;
	vmm.t = now();
	if (r->exit_reason == KVM_EXIT_MMIO && !r->mmio.is_write)
		for (unsigned i = 0; i < r->mmio.len; i++)
			r->mmio.data[i] = (uint8_t)(vmm.answer >> (8 * i));
	if (vmm.later_ps) {
		sim_event_init(&vmm.ev, vmm_resume);
		sim_schedule_in(kvmsim_vm_sim(vm), &vmm.ev, vmm.later_ps, SIM_PRIO_DEFAULT);
		return;
	}
	EXPECT_OK(kvmsim_ioctl(vmm.fd, KVM_RUN, 0UL), "KVM_RUN from the handler");
}

static void vmm_handles(int fd, uint64_t answer, uint64_t later_ps)
{
	memset(&vmm, 0, sizeof(vmm));
	vmm.fd = fd;
	vmm.answer = answer;
	vmm.later_ps = later_ps;
	EXPECT_OK(kvmsim_vcpu_exit_handler(fd, vmm_exit, NULL), "exit handler");
}

static sim_time_t cycles(const struct gic_host_profile *p, uint64_t n)
{
	struct sim_clock c;

	sim_clock_init_hz(&c, p->cpu_hz);
	return sim_clock_time(&c, n);
}

/*
 * A load from a user-space device: the trap, the world switch out and
 * the VGIC's sync, the decode (mmio_trap), KVM_RUN's return to the VMM
 * (user_exit) — the handler runs then, sees KVM_EXIT_MMIO and answers —,
 * the VMM's KVM_RUN (user_entry), the flush and the entry. Against a
 * PSCI_VERSION HVC on the same busy guest, whose handling costs nothing
 * beyond its exit and entry (hvc 0: inside the calibrated round trip),
 * the load costs exactly mmio_trap + user_exit + user_entry more, each
 * step timed on its own (gic.md §8.1; kvmsim.h, "Exits to user space").
 */
Test(kvm_arm, a_user_mmio_exit_costs_the_profiles_stages)
{
	const struct gic_host_profile *p = &gic_profile_altra;
	uint32_t features[1] = { 1u << KVM_ARM_VCPU_PSCI_0_2 };
	uint64_t t0, pc;

	running(KVM_DEV_TYPE_ARM_VGIC_V3, 1, features);
	vmm_handles(vcpu[0], 0x12345678, 0);
	EXPECT_OK(kvmsim_guest_hvc(vcpu[0], PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0), "hvc");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(nacc, 1);
	struct kvmsim_access_record hvc = acc[0];
	cr_expect_eq(hvc.kind, KVMSIM_ACCESS_HVC);
	cr_expect_eq(hvc.value, 2, "PSCI 0.2");
	cr_expect_eq(hvc.exit_reason, 0, "handled in the kernel");
	cr_expect_eq(vmm.calls, 0, "no exit to user space");
	cr_expect_eq(hvc.t_exit - hvc.t_access, cycles(p, p->cpu.exc_entry + p->cpu.exit));

	pc = get_reg(vcpu[0], CORE(regs.pc));
	t0 = now();
	EXPECT_OK(mmio(vcpu[0], DEVICE + 0x10, 4, false, 3, 0), "LDR W3, [device + 0x10]");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(nacc, 2);
	struct kvmsim_access_record ld = acc[1];
	cr_expect_eq(ld.t_access, t0, "a busy guest makes it at once");
	cr_expect_eq(ld.exit_reason, KVM_EXIT_MMIO);
	cr_expect_eq(vmm.calls, 1);
	cr_expect_eq(vmm.seen.exit_reason, KVM_EXIT_MMIO);
	cr_expect_eq(vmm.seen.mmio.phys_addr, DEVICE + 0x10);
	cr_expect_eq(vmm.seen.mmio.len, 4);
	cr_expect_eq(vmm.seen.mmio.is_write, 0);
	cr_expect_eq(vmm.t, ld.t_user, "the handler runs when KVM_RUN returns");
	cr_expect_eq(ld.t_resume, ld.t_user, "and calls KVM_RUN at once");
	cr_expect_eq(ld.t_exit - ld.t_access, cycles(p, p->cpu.exc_entry + p->cpu.exit));
	cr_expect_eq((ld.t_user - ld.t_exit) + (ld.t_done - ld.t_resume),
		     (hvc.t_done - hvc.t_exit) + cycles(p, p->cpu.mmio_trap) +
			     cycles(p, p->cpu.user_exit) + cycles(p, p->cpu.user_entry),
		     "sync + decode + user_exit + user_entry + flush + entry");
	cr_expect_eq(ld.value, 0x12345678, "the load's register");
	cr_expect_eq(get_reg(vcpu[0], CORE(regs.regs[3])), 0x12345678, "X3");
	cr_expect_eq(get_reg(vcpu[0], CORE(regs.pc)), pc + 4, "past the load");
	cr_expect_eq(run[0]->exit_reason, KVM_EXIT_UNKNOWN, "reset by KVM_RUN");
}

/* A device model that takes 5 us schedules its own KVM_RUN. */
Test(kvm_arm, a_device_model_may_answer_later)
{
	const struct gic_host_profile *p = &gic_profile_xgene;

	running(KVM_DEV_TYPE_ARM_VGIC_V2, 1, NULL);
	vmm_handles(vcpu[0], 0xab, 5000000);
	EXPECT_OK(mmio(vcpu[0], DEVICE, 1, false, 0, 0), "LDRB W0");
	EXPECT_OK(kvmsim_run(vm, 50000), "50 us");
	cr_assert_eq(nacc, 1);
	cr_expect_eq(acc[0].t_resume - acc[0].t_user, 5000000, "the device's 5 us");
	cr_expect_geq(acc[0].t_done - acc[0].t_resume, cycles(p, p->cpu.user_entry));
	cr_expect_eq(get_reg(vcpu[0], CORE(regs.regs[0])), 0xab);
}

/* Without a handler the vCPU stays in user space: the VMM finds the exit
 * in kvm_run once kvmsim_run() returns, answers and calls KVM_RUN. */
Test(kvm_arm, without_a_handler_the_vcpu_waits_in_user_space)
{
	uint64_t exits, entries, e2;

	running(KVM_DEV_TYPE_ARM_VGIC_V3, 1, NULL);
	EXPECT_OK(mmio(vcpu[0], DEVICE, 8, false, 7, 0), "LDR X7");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(run[0]->exit_reason, KVM_EXIT_MMIO);
	cr_expect_eq(nacc, 0, "not over yet");
	EXPECT_OK(kvmsim_vcpu_counters(vcpu[0], &exits, &entries), "counters");
	EXPECT_OK(kvmsim_run(vm, 100000), "100 us more");
	EXPECT_OK(kvmsim_vcpu_counters(vcpu[0], &exits, &e2), "counters");
	cr_expect_eq(e2, entries, "no entry while in user space");
	EXPECT_OK(kvmsim_ioctl(vcpu[0], KVM_RUN, 0UL), "the VMM's KVM_RUN");
	cr_expect_eq(run[0]->exit_reason, KVM_EXIT_UNKNOWN);
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(nacc, 1);
	cr_expect_eq(acc[0].value, 0, "the data left as KVM filled it: zeros");
	cr_expect_gt(acc[0].t_resume - acc[0].t_user, 100000000ULL, "waited 100 us and more");
}

/* While the vCPU is out in user space its guest runs no code: the
 * accesses asked of it meanwhile wait, 16 at most (EAGAIN after, for
 * none of them), and are made in order once it runs again, each with its
 * own address and register. */
Test(kvm_arm, accesses_wait_in_order_and_the_seventeenth_is_refused)
{
	running(KVM_DEV_TYPE_ARM_VGIC_V3, 1, NULL);
	vmm_handles(vcpu[0], 0x55, 0);
	kvmsim_vcpu_exit_handler(vcpu[0], NULL, NULL);
	EXPECT_OK(mmio(vcpu[0], DEVICE, 4, false, 0, 0), "the first: out to user space");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(run[0]->exit_reason, KVM_EXIT_MMIO);
	for (unsigned i = 1; i <= 16; i++)
		EXPECT_OK(mmio(vcpu[0], DEVICE + 8 * i, 8, true, i, 1000 + i), "waits");
	for (unsigned i = 0; i < 40; i++)
		EXPECT_ERRNO(mmio(vcpu[0], DEVICE + 0x1000, 4, false, 1, 0), EAGAIN, "16 wait");
	EXPECT_OK(kvmsim_vcpu_exit_handler(vcpu[0], vmm_exit, NULL), "the VMM answers now");
	EXPECT_OK(kvmsim_ioctl(vcpu[0], KVM_RUN, 0UL), "back in");
	EXPECT_OK(kvmsim_run(vm, 200000), "200 us");
	cr_assert_eq(nacc, 17);
	for (unsigned i = 1; i <= 16; i++) {
		cr_expect_eq(acc[i].addr, DEVICE + 8 * i, "access %u in order", i);
		cr_expect_eq(acc[i].value, 1000 + i, "the value it stored");
		cr_expect_eq(get_reg(vcpu[0], CORE(regs.regs[i])), 1000 + i);
	}
	cr_expect_eq(vmm.calls, 16);
}

/* kvm_handle_mmio_return() of 4.4 reads run->mmio as the VMM left it: a
 * length over 8 is EINVAL, and the vCPU stays out. */
Test(kvm_arm, kvm_run_refuses_an_mmio_load_over_8_bytes)
{
	running(KVM_DEV_TYPE_ARM_VGIC_V3, 1, NULL);
	EXPECT_OK(mmio(vcpu[0], DEVICE, 4, false, 1, 0), "LDR W1");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(run[0]->exit_reason, KVM_EXIT_MMIO);
	run[0]->mmio.len = 9;
	EXPECT_ERRNO(kvmsim_ioctl(vcpu[0], KVM_RUN, 0UL), EINVAL, "mmio.len 9");
	cr_expect_eq(run[0]->exit_reason, KVM_EXIT_MMIO, "unchanged");
	run[0]->mmio.len = 2;
	run[0]->mmio.data[0] = 0x34;
	run[0]->mmio.data[1] = 0x12;
	run[0]->mmio.data[2] = 0xff;
	EXPECT_OK(kvmsim_ioctl(vcpu[0], KVM_RUN, 0UL), "mmio.len 2");
	cr_expect_eq(get_reg(vcpu[0], CORE(regs.regs[1])), 0x1234, "the 2 bytes the VMM gave");
}

Test(kvm_arm, an_mmio_store_exit_carries_the_stored_bytes)
{
	running(KVM_DEV_TYPE_ARM_VGIC_V3, 1, NULL);
	vmm_handles(vcpu[0], 0, 0);
	EXPECT_OK(mmio(vcpu[0], DEVICE + 0x50, 2, true, 9, 0xcafe1234), "STRH W9");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(vmm.calls, 1);
	cr_expect_eq(vmm.seen.mmio.is_write, 1);
	cr_expect_eq(vmm.seen.mmio.len, 2);
	cr_expect_eq(vmm.seen.mmio.data[0], 0x34, "little-endian");
	cr_expect_eq(vmm.seen.mmio.data[1], 0x12);
	cr_expect_eq(vmm.seen.mmio.data[2], 0, "only len bytes");
	cr_expect_eq(get_reg(vcpu[0], CORE(regs.regs[9])), 0xcafe1234, "the register stored");
	EXPECT_OK(mmio(vcpu[0], DEVICE + 0x50, 8, true, 31, 0x77), "STR XZR");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(vmm.calls, 2);
	for (int i = 0; i < 8; i++)
		cr_expect_eq(vmm.seen.mmio.data[i], 0, "the zero register");
}

/* The VGIC's regions are on the VM's bus (4.4 registers them at the first
 * run): a read of GICD_IIDR, kvm-unit-tests' mmio_read_vgic, is emulated
 * in the kernel (KVM 4.4's IIDR, gic.md §2.2) with no exit to user space,
 * at the cost of the decode and the emulation; a redistributor answers
 * for its own vCPU. */
Test(kvm_arm, the_vgic_regions_are_emulated_in_the_kernel)
{
	const struct gic_host_profile *p = &gic_profile_altra;
	uint32_t features[2] = { 1u << KVM_ARM_VCPU_PSCI_0_2, 0 };

	running(KVM_DEV_TYPE_ARM_VGIC_V3, 2, features);
	vmm_handles(vcpu[0], 0, 0);
	EXPECT_OK(kvmsim_guest_hvc(vcpu[0], PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0), "hvc");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	EXPECT_OK(mmio(vcpu[0], DIST + 0x008, 4, false, 2, 0), "GICD_IIDR");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(nacc, 2);
	cr_expect_eq(vmm.calls, 0, "no exit to user space");
	cr_expect_eq(acc[1].exit_reason, 0);
	cr_expect_eq(acc[1].value, 0x4B00043B, "KVM 4.4's GICD_IIDR");
	cr_expect_eq(acc[1].t_done - acc[1].t_exit,
		     (acc[0].t_done - acc[0].t_exit) + cycles(p, p->cpu.mmio_trap + p->cpu.emulate));
	/* GICR_TYPER (RD_base 0x0008): vCPU 1's affinity in [63:32],
	 * Processor_Number 1 in [23:8] */
	EXPECT_OK(mmio(vcpu[0], REDIST + 0x20000 + 0x008, 8, false, 4, 0), "vCPU 1's GICR_TYPER");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(nacc, 3);
	cr_expect_eq(acc[2].value >> 32, 1, "Aff0 1");
	cr_expect_eq(acc[2].value >> 8 & 0xffff, 1, "Processor_Number 1");
	EXPECT_OK(mmio(vcpu[0], REDIST + 2 * 0x20000, 4, false, 4, 0), "past the redistributors");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_expect_eq(vmm.calls, 1, "a user-space address");
}

/*
 * KVM_IOEVENTFD in 4.4's order (virt/kvm/eventfd.c kvm_assign_ioeventfd:
 * the length, the range, the flags, a length-0 one's flags, the fd, a
 * collision; deassign: the fd, then ENOENT for no match).
 */
Test(kvm_arm, ioeventfd_is_assigned_and_refused_in_4_4s_order)
{
	int efd = kvmsim_eventfd(0, 0);
	struct kvm_ioeventfd io = { .addr = DEVICE, .len = 3, .fd = efd };

	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), EINVAL, "3 bytes");
	io.len = 8;
	io.addr = ~0ULL - 3;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), EINVAL, "past 2^64");
	io.addr = DEVICE;
	io.flags = 1u << 5;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), EINVAL, "an unknown flag");
	io.len = 0;
	io.flags = KVM_IOEVENTFD_FLAG_DATAMATCH;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), EINVAL, "any length, one datum");
	io.flags = KVM_IOEVENTFD_FLAG_PIO;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), EINVAL, "a length-0 PIO one");
	io.flags = 0;
	io.len = 4;
	io.fd = 1000;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), EBADF, "no such fd");
	io.fd = vm;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), EINVAL, "not an eventfd");
	io.fd = efd;
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), "assigned");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), EEXIST, "twice");
	io.len = 2;
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), "another length: no collision");
	io.len = 0;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), EEXIST, "any length meets both");
	io.len = 4;
	io.flags = KVM_IOEVENTFD_FLAG_PIO;
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), "the same address on the PIO bus");
	io.flags = KVM_IOEVENTFD_FLAG_DEASSIGN;
	io.datamatch = 7;
	io.flags |= KVM_IOEVENTFD_FLAG_DATAMATCH;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), ENOENT, "no datamatch one");
	io.flags = KVM_IOEVENTFD_FLAG_DEASSIGN;
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), "deassigned");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), ENOENT, "gone");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_IOEVENTFD, NULL), EFAULT, "no struct");
	kvmsim_close(efd);
}

/*
 * A guest's store to an ioeventfd's address is done in the kernel: the
 * eventfd counts it, nothing exits to user space, and the access's record
 * has the signal's time inside its kernel part. A load there, or a store
 * of other data to a DATAMATCH one, goes to the VMM as before.
 */
Test(kvm_arm, a_store_to_an_ioeventfd_signals_it_in_the_kernel)
{
	int efd = kvmsim_eventfd(0, 0), mfd = kvmsim_eventfd(0, 0);
	struct kvm_ioeventfd io = { .addr = DEVICE, .len = 4, .fd = efd };
	struct kvm_ioeventfd match = { .addr = DEVICE + 0x10, .len = 4, .fd = mfd, .datamatch = 5,
				       .flags = KVM_IOEVENTFD_FLAG_DATAMATCH };
	uint64_t n;

	running(KVM_DEV_TYPE_ARM_VGIC_V3, 1, NULL);
	vmm_handles(vcpu[0], 0, 0);
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IOEVENTFD, &io), "doorbell");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IOEVENTFD, &match), "doorbell for 5");
	EXPECT_OK(mmio(vcpu[0], DEVICE, 4, true, 3, 1), "store");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(nacc, 1);
	cr_expect_eq(vmm.calls, 0, "no exit to user space");
	cr_expect_eq(acc[0].exit_reason, 0);
	cr_expect(acc[0].t_notify > acc[0].t_exit && acc[0].t_notify <= acc[0].t_enter,
		  "signalled in the kernel's part: exit %llu, notify %llu, enter %llu",
		  (unsigned long long)acc[0].t_exit, (unsigned long long)acc[0].t_notify,
		  (unsigned long long)acc[0].t_enter);
	EXPECT_OK(kvmsim_eventfd_read(efd, &n), "counted");
	cr_expect_eq(n, 1);
	EXPECT_OK(mmio(vcpu[0], DEVICE, 4, false, 3, 0), "load");
	EXPECT_OK(mmio(vcpu[0], DEVICE + 0x10, 4, true, 4, 6), "store of 6");
	EXPECT_OK(mmio(vcpu[0], DEVICE + 0x10, 4, true, 4, 5), "store of 5");
	EXPECT_OK(kvmsim_run(vm, 50000), "50 us");
	cr_assert_eq(nacc, 4);
	cr_expect_eq(vmm.calls, 2, "the load and the store of 6 exit");
	cr_expect_eq(acc[1].t_notify, 0);
	cr_expect_neq(acc[3].t_notify, 0, "the store of 5 signals");
	EXPECT_OK(kvmsim_eventfd_read(mfd, &n), "counted");
	cr_expect_eq(n, 1);
	EXPECT_ERRNO(kvmsim_eventfd_read(efd, &n), EAGAIN, "the load signalled nothing");
	kvmsim_close(efd);
	kvmsim_close(mfd);
}

Test(kvm_arm, guest_access_arguments_are_checked)
{
	struct kvmsim_guest_access a = { .addr = DEVICE, .len = 4 };
	int v = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU");

	EXPECT_ERRNO(kvmsim_guest_mmio(v, &a), ENODEV, "no in-kernel irqchip");
	EXPECT_ERRNO(kvmsim_guest_hvc(v, 0, 0, 0, 0), ENODEV, "no in-kernel irqchip");
	kvmsim_close(v);
	kvmsim_close(vm);
	vm = open_vm("arm64", NULL);
	running(KVM_DEV_TYPE_ARM_VGIC_V2, 1, NULL);
	EXPECT_ERRNO(mmio(vcpu[0], DEVICE, 3, false, 0, 0), EINVAL, "3 bytes");
	EXPECT_ERRNO(mmio(vcpu[0], DEVICE, 16, false, 0, 0), EINVAL, "16 bytes");
	EXPECT_ERRNO(mmio(vcpu[0], DEVICE, 4, false, 32, 0), EINVAL, "X32");
	EXPECT_ERRNO(mmio(vcpu[0], UINT64_MAX - 1, 4, false, 0, 0), EINVAL, "wraps");
	EXPECT_ERRNO(mmio(vcpu[0], CPUIF + 0x0C, 4, false, 0, 0), EINVAL,
		     "GICv2's CPU interface: hardware, no trap");
	EXPECT_ERRNO(kvmsim_guest_mmio(vcpu[0], NULL), EFAULT, "no struct");
	EXPECT_ERRNO(kvmsim_guest_mmio(vm, &a), EINVAL, "not a vCPU handle");
	EXPECT_ERRNO(kvmsim_vcpu_exit_handler(vm, NULL, NULL), EINVAL, "not a vCPU handle");
	EXPECT_ERRNO(kvmsim_vcpu_exit_handler(9999, NULL, NULL), EBADF, "no handle");
}

/* ---- PSCI (psci.txt; 4.4 psci.c) --------------------------------------------------- */

static uint64_t psci(int fd, uint64_t fn, uint64_t a1, uint64_t a2, uint64_t a3)
{
	unsigned n = nacc;

	EXPECT_OK(kvmsim_guest_hvc(fd, fn, a1, a2, a3), "HVC");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(nacc, n + 1, "the call is over");
	return acc[n].value;
}

/* kvm_psci_0_2_call(): the function in x0's low 32 bits, the result in
 * x0; 32-bit results sign-extend. */
Test(kvm_arm, psci_0_2_answers_each_function)
{
	uint32_t f[1] = { 1u << KVM_ARM_VCPU_PSCI_0_2 };

	running(KVM_DEV_TYPE_ARM_VGIC_V3, 1, f);
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0), 2, "0.2");
	cr_expect_eq(psci(vcpu[0], 0xffffffff00000000ULL | PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0), 2,
		     "x0's upper half is not looked at");
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN_MIGRATE_INFO_TYPE, 0, 0, 0), PSCI_0_2_TOS_MP);
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN_MIGRATE, 0, 0, 0), (uint64_t)-1, "NOT_SUPPORTED");
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN64_MIGRATE_INFO_UP_CPU, 0, 0, 0), (uint64_t)-1);
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN(0x42), 0, 0, 0), (uint64_t)-1, "unknown");
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN_AFFINITY_INFO, 0, 4, 0), (uint64_t)-2,
		     "affinity level 4: INVALID_PARAMS");
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN_AFFINITY_INFO, 0x300, 0, 0), (uint64_t)-2,
		     "no such vCPU");
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN_AFFINITY_INFO, 0, 0, 0), 0, "itself: ON");
	cr_expect_eq(get_reg(vcpu[0], CORE(regs.regs[0])), 0, "x0 holds the result");
}

/* kvm_psci_0_1_call(): CPU_ON and CPU_OFF only; anything else makes
 * handle_hvc() inject an undefined instruction (inject_fault.c): ELR_EL1
 * the return address, SPSR_EL1 the old PSTATE, EL1h masked, the vector of
 * a synchronous exception from the current EL (VBAR_EL1 0 + 0x200). */
Test(kvm_arm, psci_0_1_takes_other_calls_as_undefined)
{
	uint64_t pc;

	running(KVM_DEV_TYPE_ARM_VGIC_V3, 1, NULL);
	EXPECT_OK(set_reg(vcpu[0], CORE(regs.pc), 0x40001000), "PC");
	EXPECT_OK(set_reg(vcpu[0], CORE(regs.pstate), PSR_MODE_EL1h), "unmasked");
	pc = 0x40001000;
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN_PSCI_VERSION, 1, 2, 3), PSCI_0_2_FN_PSCI_VERSION,
		     "x0 untouched");
	cr_expect_eq(get_reg(vcpu[0], CORE(elr_el1)), pc + 4, "the HVC's return address");
	cr_expect_eq(get_reg(vcpu[0], CORE(spsr[0])), PSR_MODE_EL1h);
	cr_expect_eq(get_reg(vcpu[0], CORE(regs.pstate)), 0x3c5);
	cr_expect_eq(get_reg(vcpu[0], CORE(regs.pc)), 0x200);
}

/*
 * kvmtool and QEMU start secondaries with KVM_ARM_VCPU_POWER_OFF; the
 * guest brings them up with CPU_ON (psci.txt). A powered-off vCPU's
 * KVM_RUN sleeps in the kernel (4.4 vcpu_sleep()): it enters nothing
 * until CPU_ON resets it and starts it at the entry point with x0 the
 * context id. AFFINITY_INFO follows; a second CPU_ON is ALREADY_ON (0.2)
 * or INVALID_PARAMS (0.1); CPU_OFF stops the caller.
 */
Test(kvm_arm, cpu_on_brings_a_powered_off_vcpu_up_and_cpu_off_stops_it)
{
	uint32_t f[2] = { 1u << KVM_ARM_VCPU_PSCI_0_2,
			  1u << KVM_ARM_VCPU_PSCI_0_2 | 1u << KVM_ARM_VCPU_POWER_OFF };
	uint64_t exits, entries, e2;

	running(KVM_DEV_TYPE_ARM_VGIC_V3, 2, f);
	EXPECT_OK(kvmsim_vcpu_counters(vcpu[1], &exits, &entries), "counters");
	cr_expect_eq(entries, 0, "powered off: never entered");
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN64_AFFINITY_INFO, 1, 0, 0), 1, "vCPU 1 OFF");
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN64_CPU_ON, 0x7, 0x40080000, 0xc0ffee),
		     (uint64_t)-2, "MPIDR 7: no such vCPU");
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN64_CPU_ON, 1, 0x40080000, 0xc0ffee), 0, "SUCCESS");
	EXPECT_OK(kvmsim_vcpu_counters(vcpu[1], &exits, &entries), "counters");
	cr_expect_geq(entries, 1, "vCPU 1 entered");
	cr_expect_eq(get_reg(vcpu[1], CORE(regs.pc)), 0x40080000, "at the entry point");
	cr_expect_eq(get_reg(vcpu[1], CORE(regs.regs[0])), 0xc0ffee, "x0: the context id");
	cr_expect_eq(get_reg(vcpu[1], CORE(regs.pstate)), 0x3c5, "reset");
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN64_AFFINITY_INFO, 1, 0, 0), 0, "ON");
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN64_CPU_ON, 1, 0, 0), (uint64_t)-4, "ALREADY_ON");
	psci(vcpu[1], PSCI_0_2_FN_CPU_OFF, 0, 0, 0);
	cr_expect_eq(acc[nacc - 1].t_done, 0, "the caller never runs past CPU_OFF");
	EXPECT_OK(kvmsim_vcpu_counters(vcpu[1], &exits, &entries), "counters");
	EXPECT_OK(kvmsim_run(vm, 100000), "100 us");
	EXPECT_OK(kvmsim_vcpu_counters(vcpu[1], &exits, &e2), "counters");
	cr_expect_eq(e2, entries, "off: no entry");
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN_AFFINITY_INFO, 1, 0, 0), 1, "OFF again");
	EXPECT_OK(kvmsim_ioctl(vcpu[1], KVM_RUN, 0UL), "its thread is in KVM_RUN: nothing");
}

Test(kvm_arm, psci_0_1_cpu_on_of_a_running_vcpu_is_invalid)
{
	uint32_t f[2] = { 0, 1u << KVM_ARM_VCPU_POWER_OFF };

	running(KVM_DEV_TYPE_ARM_VGIC_V3, 2, f);
	cr_expect_eq(psci(vcpu[0], KVM_PSCI_FN_CPU_ON, 1, 0x1000, 5), 0, "SUCCESS");
	cr_expect_eq(psci(vcpu[0], KVM_PSCI_FN_CPU_ON, 1, 0x1000, 5), (uint64_t)-2,
		     "0.1: INVALID_PARAMS, not ALREADY_ON");
}

/* kvm_prepare_system_event(): every vCPU off and kicked, the caller's
 * KVM_RUN returns KVM_EXIT_SYSTEM_EVENT; x0 preloaded with
 * INTERNAL_FAILURE for a VMM that runs it again, which then sleeps. */
Test(kvm_arm, system_off_exits_to_user_space_with_every_vcpu_off)
{
	uint32_t f[2] = { 1u << KVM_ARM_VCPU_PSCI_0_2, 1u << KVM_ARM_VCPU_PSCI_0_2 };
	uint64_t exits, e1, e2;

	running(KVM_DEV_TYPE_ARM_VGIC_V3, 2, f);
	vmm_handles(vcpu[0], 0, 0);
	kvmsim_vcpu_exit_handler(vcpu[0], NULL, NULL);
	EXPECT_OK(kvmsim_guest_hvc(vcpu[0], PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0), "SYSTEM_OFF");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(run[0]->exit_reason, KVM_EXIT_SYSTEM_EVENT);
	cr_expect_eq(run[0]->system_event.type, KVM_SYSTEM_EVENT_SHUTDOWN);
	cr_expect_eq(get_reg(vcpu[0], CORE(regs.regs[0])), (uint64_t)-6, "INTERNAL_FAILURE");
	EXPECT_OK(kvmsim_vcpu_counters(vcpu[1], &exits, &e1), "counters");
	EXPECT_OK(kvmsim_run(vm, 50000), "50 us");
	EXPECT_OK(kvmsim_vcpu_counters(vcpu[1], &exits, &e2), "counters");
	cr_expect_eq(e2, e1, "vCPU 1 is off");
	EXPECT_OK(kvmsim_ioctl(vcpu[0], KVM_RUN, 0UL), "the VMM runs it again");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_assert_eq(nacc, 1);
	cr_expect_eq(acc[0].exit_reason, KVM_EXIT_SYSTEM_EVENT);
	cr_expect_eq(acc[0].t_done, 0, "it sleeps: powered off");
	EXPECT_OK(kvmsim_vcpu_counters(vcpu[0], &exits, &e1), "counters");
	EXPECT_OK(kvmsim_run(vm, 50000), "50 us");
	EXPECT_OK(kvmsim_vcpu_counters(vcpu[0], &exits, &e2), "counters");
	cr_expect_eq(e2, e1);
}

/* kvm_psci_vcpu_suspend(): as a WFI; the call returns SUCCESS once an
 * interrupt is pending. */
Test(kvm_arm, cpu_suspend_waits_for_an_interrupt)
{
	uint32_t f[1] = { 1u << KVM_ARM_VCPU_PSCI_0_2 };
	struct kvm_irq_level l = { .irq = KVM_ARM_IRQ_TYPE_SPI << 24 | 40, .level = 1 };
	uint64_t t;

	running(KVM_DEV_TYPE_ARM_VGIC_V3, 1, f);
	EXPECT_OK(kvmsim_guest_hvc(vcpu[0], PSCI_0_2_FN64_CPU_SUSPEND, 0, 0, 0), "suspend");
	EXPECT_OK(kvmsim_run(vm, 100000), "100 us");
	cr_expect_eq(nacc, 0, "still suspended");
	t = now();
	EXPECT_OK(kvmsim_ioctl(vm, KVM_IRQ_LINE, &l), "SPI 40");
	EXPECT_OK(kvmsim_run(vm, 100000), "100 us");
	cr_assert_eq(nacc, 1, "woken");
	cr_expect_eq(acc[0].value, 0, "SUCCESS");
	cr_expect_gt(acc[0].t_done, t);
}

/* ---- capabilities against the calls (kvm-api.md §10) ---------------------------------- */

/* The calls each capability an arm64 host reports announces; each
 * returns whether it works as announced. */
static bool psci_0_2_works(void)
{
	uint32_t f[1] = { 1u << KVM_ARM_VCPU_PSCI_0_2 };

	running(KVM_DEV_TYPE_ARM_VGIC_V3, 1, f);
	return psci(vcpu[0], PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0) == 2;
}

static bool psci_power_off_works(void)
{
	uint32_t f[2] = { 0, 1u << KVM_ARM_VCPU_POWER_OFF };
	uint64_t exits, entries;

	running(KVM_DEV_TYPE_ARM_VGIC_V3, 2, f);
	kvmsim_vcpu_counters(vcpu[1], &exits, &entries);
	return !entries && psci(vcpu[0], KVM_PSCI_FN_CPU_ON, 1, 0x1000, 0) == 0;
}

static bool one_reg_works(void)
{
	int v = kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL);

	vcpu_init(v, 0);
	return set_reg(v, CORE(regs.pc), 0x1000) == 0 && get_reg(v, CORE(regs.pc)) == 0x1000;
}

static bool irqchip_works(void)
{
	kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL);
	return kvmsim_ioctl(vm, KVM_CREATE_IRQCHIP, 0UL) == 0;
}

static bool set_device_addr_works(void)
{
	struct kvm_arm_device_addr da = { .id = KVM_VGIC_V2_ADDR_TYPE_DIST, .addr = DIST };

	return irqchip_works() && kvmsim_ioctl(vm, KVM_ARM_SET_DEVICE_ADDR, &da) == 0;
}

static bool device_ctrl_works(void)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V2 };

	return kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd) == 0;
}

static bool irqfd_works(bool resample)
{
	int efd = kvmsim_eventfd(0, 0), rfd = kvmsim_eventfd(0, 0);
	struct kvm_irqfd f = { .fd = (uint32_t)efd, .gsi = 8 };
	bool ok;

	if (resample) {
		f.flags = KVM_IRQFD_FLAG_RESAMPLE;
		f.resamplefd = (uint32_t)rfd;
	}
	running(KVM_DEV_TYPE_ARM_VGIC_V2, 1, NULL);
	ok = kvmsim_ioctl(vm, KVM_IRQFD, &f) == 0;
	kvmsim_close(efd);
	kvmsim_close(rfd);
	return ok;
}

static bool irqfd_plain_works(void)
{
	return irqfd_works(false);
}

static bool irqfd_resample_works(void)
{
	return irqfd_works(true);
}

/* NR_VCPUS (a recommendation) and MAX_VCPUS: ids below 255 */
static bool vcpu_ids_work(void)
{
	return kvmsim_ioctl(vm, KVM_CREATE_VCPU, 254UL) >= 0 &&
	       kvmsim_ioctl(vm, KVM_CREATE_VCPU, 255UL) == -1 && errno == EINVAL;
}

static bool vm_check_extension_works(void)
{
	return kvmsim_ioctl(vm, KVM_CHECK_EXTENSION, (unsigned long)KVM_CAP_ONE_REG) == 1;
}

/*
 * kvm-api.md §10 for an arm64 host, walked: every capability number the
 * host reports non-zero is one of these, with this value, and the call
 * it announces works. The rows §10 gives 0 on arm64 are the ones whose
 * calls fail there (A40), checked after.
 */
Test(kvm_arm, capabilities_read_what_the_calls_do)
{
	static const struct {
		unsigned long cap;
		int value;
		bool (*works)(void);
	} t[] = {
		{ KVM_CAP_IRQCHIP, 1, irqchip_works },
		{ KVM_CAP_NR_VCPUS, 8, vcpu_ids_work },	/* the host's CPUs */
		{ KVM_CAP_IRQFD, 1, irqfd_plain_works },
		{ KVM_CAP_MAX_VCPUS, 255, vcpu_ids_work },
		{ KVM_CAP_ONE_REG, 1, one_reg_works },
		{ KVM_CAP_IRQFD_RESAMPLE, 1, irqfd_resample_works },
		{ KVM_CAP_ARM_PSCI, 1, psci_power_off_works },
		{ KVM_CAP_ARM_SET_DEVICE_ADDR, 1, set_device_addr_works },
		{ KVM_CAP_DEVICE_CTRL, 1, device_ctrl_works },
		{ KVM_CAP_ARM_PSCI_0_2, 1, psci_0_2_works },
		{ KVM_CAP_CHECK_EXTENSION_VM, 1, vm_check_extension_works },
	};
	struct kvm_vcpu_init init = { 0 };
	struct kvm_irq_routing rt = { 0 };
	struct kvm_msi msi = { 0 };
	struct kvm_enable_cap ec = { 0 };
	unsigned reported = 0;
	int v;

	for (unsigned long cap = 0; cap < 512; cap++) {
		int got = kvmsim_ioctl(sys, KVM_CHECK_EXTENSION, cap);
		size_t i = 0;

		cr_expect_eq(kvmsim_ioctl(vm, KVM_CHECK_EXTENSION, cap), got, "cap %lu on the VM", cap);
		if (!got)
			continue;
		reported++;
		while (i < sizeof(t) / sizeof(t[0]) && t[i].cap != cap)
			i++;
		cr_assert_lt(i, sizeof(t) / sizeof(t[0]), "cap %lu reads %d: no call checked", cap,
			     got);
		cr_expect_eq(got, t[i].value, "cap %lu", cap);
		/* each call on a fresh VM */
		kvmsim_close(vm);
		vm = open_vm("arm64", NULL);
		memset(vcpu, 0, sizeof(vcpu));
		memset(run, 0, sizeof(run));
		cr_expect(t[i].works(), "cap %lu: the call it announces does not work", cap);
		for (int k = 0; k < 4; k++)
			if (run[k])
				kvmsim_munmap(run[k], 8192);
		memset(run, 0, sizeof(run));
	}
	cr_expect_eq(reported, sizeof(t) / sizeof(t[0]), "every row reported");

	/* read 0, and the call fails */
	kvmsim_close(vm);
	vm = open_vm("arm64", NULL);
	v = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init), "target");
	init.features[0] = 1u << KVM_ARM_VCPU_EL1_32BIT;
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_ARM_VCPU_INIT, &init), EINVAL,
		     "KVM_CAP_ARM_EL1_32BIT 0: no AArch32 EL1");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_SET_GSI_ROUTING, &rt), EINVAL, "KVM_CAP_IRQ_ROUTING 0");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_SIGNAL_MSI, &msi), EINVAL, "KVM_CAP_SIGNAL_MSI 0");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_ENABLE_CAP, &ec), EINVAL, "KVM_CAP_ENABLE_CAP_VM 0");
	EXPECT_ERRNO(kvmsim_ioctl(v, KVM_ENABLE_CAP, &ec), EINVAL, "KVM_CAP_ENABLE_CAP 0");
	EXPECT_ERRNO(attr(vm, KVM_HAS_DEVICE_ATTR, 0, 0, NULL), EINVAL, "KVM_CAP_VM_ATTRIBUTES 0");
	/* the one exception 4.4 has: KVM_IRQ_LINE_STATUS works on arm64
	 * (the generic code serves it with __KVM_HAVE_IRQ_LINE) though
	 * KVM_CAP_IRQ_INJECT_STATUS is not reported there */
}

/* ---- VMMs' set-up sequences --------------------------------------------------------------- */

/* A VMM's vCPU loop in kvmsim: the exits it handles. */
static struct {
	unsigned mmio, system;
	uint32_t event;
	int fd[4];
} loop;

static void vmm_loop_exit(void *ctx, struct kvm_run *r)
{
	int fd = loop.fd[(intptr_t)ctx];

	if (r->exit_reason == KVM_EXIT_MMIO) {
		loop.mmio++;
		if (!r->mmio.is_write) /* a virtio-mmio magic value */
			memcpy(r->mmio.data, "virt", 4);
		EXPECT_OK(kvmsim_ioctl(fd, KVM_RUN, 0UL), "KVM_RUN");
	} else if (r->exit_reason == KVM_EXIT_SYSTEM_EVENT) {
		loop.system++;
		loop.event = r->system_event.type; /* kvmtool: shut the VM down */
	}
}

/*
 * kvmtool (arm/gic.c, arm/kvm-cpu.c): the GIC device is created before the
 * vCPUs; each vCPU is created, its kvm_run mapped with
 * KVM_GET_VCPU_MMAP_SIZE, initialised with the preferred target and PSCI
 * 0.2 (the secondaries powered off); then the GIC's addresses and
 * CTRL_INIT, the vCPUs' reset through ONE_REG (PSTATE, X0 the device
 * tree, PC the kernel's entry) and MPIDR read for the device tree; then
 * KVM_RUN, the guest bringing up its secondary with CPU_ON, a virtio-mmio
 * probe handled by the VMM, and a poweroff.
 */
Test(kvm_arm, kvmtool_set_up_sequence)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V2 };
	struct kvmsim_observer o = { .access = on_access };
	int size;

	EXPECT_OK(kvmsim_ioctl(sys, KVM_CHECK_EXTENSION, (unsigned long)KVM_CAP_ARM_PSCI_0_2) == 1
			  ? 0 : -1, "kvmtool asks for PSCI 0.2");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), "gic__create");
	dev = (int)cd.fd;
	size = EXPECT_OK(kvmsim_ioctl(sys, KVM_GET_VCPU_MMAP_SIZE, 0UL), "mmap size");
	for (int i = 0; i < 2; i++) {
		struct kvm_vcpu_init init = { 0 };

		vcpu[i] = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, (unsigned long)i), "vCPU");
		loop.fd[i] = vcpu[i];
		run[i] = kvmsim_mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED,
				     vcpu[i], 0);
		cr_assert_neq(run[i], MAP_FAILED);
		EXPECT_OK(kvmsim_ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init), "target");
		init.features[0] = 1u << KVM_ARM_VCPU_PSCI_0_2 |
				   (i ? 1u << KVM_ARM_VCPU_POWER_OFF : 0);
		EXPECT_OK(kvmsim_ioctl(vcpu[i], KVM_ARM_VCPU_INIT, &init), "init");
		EXPECT_OK(kvmsim_vcpu_exit_handler(vcpu[i], vmm_loop_exit, (void *)(intptr_t)i),
			  "the vCPU thread's loop");
	}
	set_addr(KVM_VGIC_V2_ADDR_TYPE_DIST, 0x3fff0000);
	set_addr(KVM_VGIC_V2_ADDR_TYPE_CPU, 0x3ffd0000);
	EXPECT_OK(attr(dev, KVM_HAS_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), "has");
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), "init");
	for (int i = 0; i < 2; i++) {
		EXPECT_OK(set_reg(vcpu[i], CORE(regs.pstate), 0x3c5), "PSTATE");
		if (!i) {
			EXPECT_OK(set_reg(vcpu[i], CORE(regs.regs[0]), 0x8f000000), "X0: the DTB");
			EXPECT_OK(set_reg(vcpu[i], CORE(regs.pc), 0x80080000), "PC: the kernel");
		}
		cr_expect_eq(get_reg(vcpu[i], MPIDR_EL1), 0x80000000u | (unsigned)i, "MPIDR");
	}
	nacc = 0;
	EXPECT_OK(kvmsim_vm_observe(vm, &o), "observe");
	for (int i = 0; i < 2; i++) {
		struct kvmsim_guest g = { .wfi = 0 };

		EXPECT_OK(kvmsim_vcpu_guest(vcpu[i], &g), "busy");
		EXPECT_OK(kvmsim_ioctl(vcpu[i], KVM_RUN, 0UL), "KVM_RUN");
	}
	EXPECT_OK(kvmsim_run(vm, 50000), "boot");
	cr_expect_eq(psci(vcpu[0], PSCI_0_2_FN64_CPU_ON, 1, 0x80080000, 0), 0, "secondary up");
	EXPECT_OK(mmio(vcpu[1], 0x10000, 4, false, 0, 0), "the secondary probes virtio-mmio");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_expect_eq(loop.mmio, 1);
	cr_expect_eq(get_reg(vcpu[1], CORE(regs.regs[0])), 0x74726976, "'virt'");
	EXPECT_OK(kvmsim_guest_hvc(vcpu[0], PSCI_0_2_FN_SYSTEM_OFF, 0, 0, 0), "poweroff");
	EXPECT_OK(kvmsim_run(vm, 20000), "20 us");
	cr_expect_eq(loop.system, 1);
	cr_expect_eq(loop.event, KVM_SYSTEM_EVENT_SHUTDOWN);
	memset(&loop, 0, sizeof(loop));
}

/*
 * QEMU (hw/arm/virt.c, hw/intc/arm_gicv3_kvm.c, target/arm/kvm64.c): the
 * vCPUs first, each initialised and its register list read and every
 * register on it read back (the cpreg list); then the GIC device, NR_IRQS
 * and CTRL_INIT, the addresses last (at machine-init-done); the reset
 * writes the core registers; then KVM_RUN.
 */
Test(kvm_arm, qemu_set_up_sequence)
{
	struct kvm_create_device cd = { .type = KVM_DEV_TYPE_ARM_VGIC_V3 };
	uint32_t nr = 128;

	for (int i = 0; i < 2; i++) {
		struct {
			struct kvm_reg_list l;
			uint64_t ids[256];
		} b = { .l.n = 256 };

		vcpu[i] = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, (unsigned long)i), "vCPU");
		run[i] = map(vcpu[i]);
		vcpu_init(vcpu[i], 1u << KVM_ARM_VCPU_PSCI_0_2);
		EXPECT_OK(kvmsim_ioctl(vcpu[i], KVM_GET_REG_LIST, &b), "kvm_arm_init_cpreg_list");
		for (uint64_t k = 0; k < b.l.n; k++) {
			uint64_t x;
			struct kvm_one_reg r = { .id = b.ids[k], .addr = (uint64_t)(uintptr_t)&x };

			/* QEMU leaves the core registers out of its cpreg list */
			if ((b.ids[k] & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM_CORE)
				continue;
			EXPECT_OK(kvmsim_ioctl(vcpu[i], KVM_GET_ONE_REG, &r), "read");
			EXPECT_OK(kvmsim_ioctl(vcpu[i], KVM_SET_ONE_REG, &r), "write back");
		}
	}
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), "GICv3");
	dev = (int)cd.fd;
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_NR, 0, &nr), "NR_IRQS");
	EXPECT_OK(attr(dev, KVM_SET_DEVICE_ATTR, GRP_CTRL, KVM_DEV_ARM_VGIC_CTRL_INIT, NULL), "init");
	set_addr(KVM_VGIC_V3_ADDR_TYPE_DIST, DIST);
	set_addr(KVM_VGIC_V3_ADDR_TYPE_REDIST, REDIST);
	for (int i = 0; i < 2; i++) {
		EXPECT_OK(set_reg(vcpu[i], CORE(regs.pc), 0x40000000), "PC");
		EXPECT_OK(set_reg(vcpu[i], CORE(regs.pstate), 0x3c5), "PSTATE");
		EXPECT_OK(kvmsim_ioctl(vcpu[i], KVM_RUN, 0UL), "KVM_RUN");
	}
	EXPECT_OK(kvmsim_run(vm, 50000), "runs");
	cr_expect_eq(run[0]->exit_reason, KVM_EXIT_UNKNOWN, "no exit: the guests idle");
}

/* The legacy path (kvm-api.md §3.8): KVM_CREATE_IRQCHIP and
 * KVM_ARM_SET_DEVICE_ADDR, a GICv2 that initialises itself at the first
 * run; older kvmtool and QEMU fall back to it. */
Test(kvm_arm, legacy_irqchip_sequence)
{
	struct kvm_arm_device_addr da = { .id = KVM_VGIC_V2_ADDR_TYPE_DIST, .addr = DIST };

	vcpu[0] = EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU");
	run[0] = map(vcpu[0]);
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_IRQCHIP, 0UL), "KVM_CREATE_IRQCHIP");
	vcpu_init(vcpu[0], 0);
	EXPECT_OK(kvmsim_ioctl(vm, KVM_ARM_SET_DEVICE_ADDR, &da), "dist");
	EXPECT_ERRNO(kvmsim_ioctl(vcpu[0], KVM_RUN, 0UL), ENXIO, "the CPU interface unset");
	da.id = KVM_VGIC_V2_ADDR_TYPE_CPU;
	da.addr = CPUIF;
	EXPECT_OK(kvmsim_ioctl(vm, KVM_ARM_SET_DEVICE_ADDR, &da), "cpu");
	EXPECT_OK(set_reg(vcpu[0], CORE(regs.pc), 0x40000000), "PC");
	EXPECT_OK(kvmsim_ioctl(vcpu[0], KVM_RUN, 0UL), "KVM_RUN: initialises the VGIC");
	EXPECT_OK(kvmsim_run(vm, 50000), "runs");
	cr_expect_eq(get_reg(vcpu[0], CORE(regs.pc)), 0x40000000);
}
