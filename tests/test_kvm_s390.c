// SPDX-License-Identifier: MIT
/*
 * test_kvm_s390.c — VM attributes on an s390 VM handle (kvm-api.md §8 and
 * §2.8): the capability, the other architectures' answers, HAS_ATTR for
 * every row of the §8.1 table, and each group's success and errno paths —
 * MEM_CTRL (CMMA, the memory limit and its rounding), TOD (flags, the
 * extension byte, the clock's 4096 units a microsecond), CRYPTO (write-only,
 * MSA-3 checked first) and CPU_MODEL (the processor read back, the
 * machine read-only, EBUSY once a vCPU exists).
 */
#include <criterion/criterion.h>
#include <string.h>

#include "test_util.h"

static int vm;

static void setup(void)
{
	vm = open_vm("s390", NULL);
}

static void teardown(void)
{
	kvmsim_close(vm);
}

TestSuite(s390_vm, .init = setup, .fini = teardown);

static int attr(unsigned long req, uint32_t group, uint64_t a, void *p)
{
	struct kvm_device_attr d = { .group = group, .attr = a, .addr = (uint64_t)(uintptr_t)p };

	return kvmsim_ioctl(vm, req, &d);
}

#define SET KVM_SET_DEVICE_ATTR
#define GET KVM_GET_DEVICE_ATTR
#define HAS KVM_HAS_DEVICE_ATTR

static bool fac(const uint64_t *list, unsigned nr)
{
	return list[nr / 64] >> (63 - nr % 64) & 1;
}

Test(s390_vm, the_capability_and_the_other_architectures)
{
	static const struct { const char *arch; int cap; int err; } t[] = {
		{ "s390", 1, 0 }, { "x86", 0, ENOTTY }, { "ppc", 0, ENOTTY }, { "arm64", 0, EINVAL },
	};
	struct kvm_device_attr d = { .group = KVM_S390_VM_TOD, .attr = KVM_S390_VM_TOD_LOW };

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int sys, v = open_vm(t[i].arch, &sys);

		cr_expect_eq(kvmsim_ioctl(sys, KVM_CHECK_EXTENSION,
					  (unsigned long)KVM_CAP_VM_ATTRIBUTES),
			     t[i].cap, "%s", t[i].arch);
		if (t[i].err)
			EXPECT_ERRNO(kvmsim_ioctl(v, KVM_HAS_DEVICE_ATTR, &d), t[i].err,
				     "§2.8: an unknown VM request there");
		kvmsim_close(v);
		kvmsim_close(sys);
	}
}

Test(s390_vm, has_attr_knows_every_row_of_the_table_and_nothing_else)
{
	static const struct { uint32_t group; uint64_t last; } t[] = {
		{ KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_LIMIT_SIZE },
		{ KVM_S390_VM_TOD, KVM_S390_VM_TOD_HIGH },
		{ KVM_S390_VM_CRYPTO, KVM_S390_VM_CRYPTO_DISABLE_DEA_KW },
		{ KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_MACHINE },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		for (uint64_t a = 0; a <= t[i].last; a++)
			cr_expect_eq(attr(HAS, t[i].group, a, NULL), 0, "group %u attr %lu",
				     t[i].group, (unsigned long)a);
		EXPECT_ERRNO(attr(HAS, t[i].group, t[i].last + 1, NULL), ENXIO, "unknown attr");
	}
	EXPECT_ERRNO(attr(HAS, 4, 0, NULL), ENXIO, "no group 4 in 4.4");
	EXPECT_ERRNO(attr(SET, 4, 0, NULL), ENXIO, "no group 4 in 4.4");
	EXPECT_ERRNO(attr(GET, 99, 0, NULL), ENXIO, "unknown group");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_HAS_DEVICE_ATTR, NULL), EFAULT, "no attr struct");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_SET_DEVICE_ATTR, (void *)8), EFAULT, "bad attr struct");
}

Test(s390_vm, cmma_enable_and_clear)
{
	EXPECT_ERRNO(attr(GET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_ENABLE_CMMA, NULL), ENXIO,
		     "ENABLE_CMMA has no GET");
	EXPECT_ERRNO(attr(GET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_CLR_CMMA, NULL), ENXIO,
		     "CLR_CMMA has no GET");
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_CLR_CMMA, NULL), EINVAL,
		     "the code, not the doc: CMMA never enabled");
	EXPECT_OK(attr(SET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_ENABLE_CMMA, NULL),
		  "an LPAR with EDAT-1, no vCPU yet");
	EXPECT_OK(attr(SET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_CLR_CMMA, NULL), "enabled");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU 0");
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_ENABLE_CMMA, NULL), EBUSY,
		     "a vCPU exists");
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_MEM_CTRL, 3, NULL), ENXIO, "unknown attr");
}

/*
 * LIMIT_SIZE reads the guest address space's last address: 4.4 makes it
 * for (1 << 44) - 1 and rounds every limit up to the reach of the page
 * table it needs — 2 GiB, 4 TiB or 8 PiB (§8.2).
 */
Test(s390_vm, memory_limit_rounds_to_the_page_table_reach)
{
	uint64_t v = 0, gib = 1ull << 30;

	EXPECT_OK(attr(GET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_LIMIT_SIZE, &v), "get");
	cr_expect_eq(v, (1ull << 53) - 1, "region-second table: 8 PiB");
	v = 1ull << 53;
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_LIMIT_SIZE, &v), E2BIG,
		     "beyond the current limit");
	v = 3 * gib;
	EXPECT_OK(attr(SET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_LIMIT_SIZE, &v), "3 GiB");
	EXPECT_OK(attr(GET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_LIMIT_SIZE, &v), "get");
	cr_expect_eq(v, (1ull << 42) - 1, "region-third table: 4 TiB");
	v = gib;
	EXPECT_OK(attr(SET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_LIMIT_SIZE, &v), "1 GiB");
	EXPECT_OK(attr(GET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_LIMIT_SIZE, &v), "get");
	cr_expect_eq(v, (1ull << 31) - 1, "segment table: 2 GiB");
	v = 3 * gib;
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_LIMIT_SIZE, &v), E2BIG,
		     "the limit only shrinks");
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_LIMIT_SIZE, NULL), EFAULT,
		     "unreadable");
	EXPECT_ERRNO(attr(GET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_LIMIT_SIZE, (void *)16),
		     EFAULT, "unwritable");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU 0");
	v = gib;
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_MEM_CTRL, KVM_S390_VM_MEM_LIMIT_SIZE, &v), EBUSY,
		     "a vCPU exists");
}

/* The TOD clock counts 4096 units a microsecond (bit 51 = 1 us). */
Test(s390_vm, tod_clock)
{
	struct kvm_device_attr d = { .group = KVM_S390_VM_TOD, .attr = KVM_S390_VM_TOD_LOW,
				     .flags = 1 };
	uint64_t a, b, set = 0x0123456789abcdefull;
	uint8_t hi[2] = { 0xaa, 0xaa };

	d.addr = (uint64_t)(uintptr_t)&a;
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_SET_DEVICE_ATTR, &d), EINVAL, "flags != 0");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_GET_DEVICE_ATTR, &d), EINVAL, "flags != 0");
	EXPECT_OK(attr(GET, KVM_S390_VM_TOD, KVM_S390_VM_TOD_LOW, &a), "get");
	kvmsim_run(vm, 1000);
	EXPECT_OK(attr(GET, KVM_S390_VM_TOD, KVM_S390_VM_TOD_LOW, &b), "get");
	cr_expect_eq(b - a, 4096, "1 us later");
	EXPECT_OK(attr(SET, KVM_S390_VM_TOD, KVM_S390_VM_TOD_LOW, &set), "set");
	kvmsim_run(vm, 250);
	EXPECT_OK(attr(GET, KVM_S390_VM_TOD, KVM_S390_VM_TOD_LOW, &b), "get");
	cr_expect_eq(b, set + 1024, "the guest's clock runs on from the value set");
	EXPECT_OK(attr(GET, KVM_S390_VM_TOD, KVM_S390_VM_TOD_HIGH, hi), "get the extension");
	cr_expect(hi[0] == 0 && hi[1] == 0xaa, "one byte, 0");
	hi[0] = 1;
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_TOD, KVM_S390_VM_TOD_HIGH, hi), EINVAL, "only 0");
	hi[0] = 0;
	EXPECT_OK(attr(SET, KVM_S390_VM_TOD, KVM_S390_VM_TOD_HIGH, hi), "0");
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_TOD, KVM_S390_VM_TOD_LOW, NULL), EFAULT, "unreadable");
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_TOD, 2, &set), ENXIO, "TOD_EXT came later");
	EXPECT_ERRNO(attr(GET, KVM_S390_VM_TOD, 2, &set), ENXIO, "TOD_EXT came later");
}

Test(s390_vm, crypto_is_write_only_and_needs_msa3)
{
	static struct kvm_s390_vm_cpu_processor p;

	for (uint64_t a = 0; a <= KVM_S390_VM_CRYPTO_DISABLE_DEA_KW; a++) {
		EXPECT_OK(attr(SET, KVM_S390_VM_CRYPTO, a, NULL), "no payload");
		EXPECT_ERRNO(attr(GET, KVM_S390_VM_CRYPTO, a, NULL), ENXIO, "write-only");
	}
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_CRYPTO, 4, NULL), ENXIO, "APIE came later");
	/* a guest model without facility 76: EINVAL before the attribute */
	EXPECT_OK(attr(GET, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_PROCESSOR, &p), "get");
	cr_assert(fac(p.fac_list, 76), "offered by default");
	p.fac_list[1] &= ~(1ull << (63 - 76 % 64));
	EXPECT_OK(attr(SET, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_PROCESSOR, &p), "set");
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_CRYPTO, KVM_S390_VM_CRYPTO_ENABLE_AES_KW, NULL), EINVAL,
		     "no MSA-3");
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_CRYPTO, 4, NULL), EINVAL,
		     "MSA-3 is checked before the attribute");
}

Test(s390_vm, cpu_model_processor_and_machine)
{
	static struct kvm_s390_vm_cpu_processor p, q;
	static struct kvm_s390_vm_cpu_machine m;

	EXPECT_OK(attr(GET, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_MACHINE, &m), "machine");
	EXPECT_OK(attr(GET, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_PROCESSOR, &p), "processor");
	cr_expect_eq(p.cpuid >> 56, 0xff, "a virtual CPU reports version 0xff");
	cr_expect_eq(p.cpuid << 8, m.cpuid << 8, "the host's identification and type");
	cr_expect(!memcmp(p.fac_list, m.fac_mask, sizeof(p.fac_list)),
		  "a new VM offers every facility KVM can");
	for (unsigned i = 0; i < 256; i++)
		cr_expect_eq(m.fac_mask[i] & ~m.fac_list[i], 0, "KVM offers only what the host has");
	cr_expect(fac(m.fac_list, 76) && fac(m.fac_list, 8), "MSA-3 and EDAT-1 on the host");
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_MACHINE, &m), ENXIO,
		     "the machine is read-only");
	p.cpuid = 0xff00000028270000ull; /* an older machine type */
	p.ibc = 0x0101;
	p.fac_list[0] = 0xf000000000000000ull;
	EXPECT_OK(attr(SET, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_PROCESSOR, &p), "set");
	EXPECT_OK(attr(GET, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_PROCESSOR, &q), "get");
	cr_expect(q.cpuid == p.cpuid && q.ibc == p.ibc && q.fac_list[0] == p.fac_list[0],
		  "read back as set, not validated");
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_PROCESSOR, NULL), EFAULT,
		     "unreadable");
	EXPECT_ERRNO(attr(GET, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_MACHINE, (void *)32), EFAULT,
		     "unwritable");
	EXPECT_ERRNO(attr(GET, KVM_S390_VM_CPU_MODEL, 2, &q), ENXIO, "PROCESSOR_FEAT came later");
	EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL), "vCPU 0");
	EXPECT_ERRNO(attr(SET, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_PROCESSOR, &p), EBUSY,
		     "a vCPU exists");
	EXPECT_OK(attr(GET, KVM_S390_VM_CPU_MODEL, KVM_S390_VM_CPU_PROCESSOR, &q), "still readable");
}
