// SPDX-License-Identifier: MIT
/*
 * test_kvm.c — the KVM API layer as a VMM sees it: raw calls, expected
 * results and errno from kvm-api.md (§1.3 dispatch rules, §2.3
 * KVM_CREATE_DEVICE, §9.1 system and VM creation, §10 capabilities,
 * §11.1 conformance rows), bad pointers, handle lifetime, threads, and
 * random request sequences that must never crash (run under ASan+UBSan by
 * ./quickstart check).
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <kvmsim/kvm.h>
#include <kvmsim/kvmsim.h>

#include "sim/rng.h"
#include "test_util.h"

static const char *const arches[] = { "arm64", "ppc", "s390", "x86" };

Test(kvm, open_accepts_the_four_hosts_only)
{
	for (int i = 0; i < 4; i++) {
		int fd = kvmsim_open(arches[i]);

		cr_assert_geq(fd, 3, "handles look like fds");
		cr_assert_eq(kvmsim_close(fd), 0);
	}
	EXPECT_ERRNO(kvmsim_open("mips"), EINVAL, "unknown host");
	EXPECT_ERRNO(kvmsim_open(NULL), EINVAL, "no host");
	EXPECT_ERRNO(kvmsim_open("x86_64"), EINVAL, "the name is exact");
}

Test(kvm, api_version_is_12_and_wants_argument_0)
{
	for (int i = 0; i < 4; i++) {
		int fd = kvmsim_open(arches[i]);

		cr_assert_eq(kvmsim_ioctl(fd, KVM_GET_API_VERSION, 0UL), 12, "G1");
		EXPECT_ERRNO(kvmsim_ioctl(fd, KVM_GET_API_VERSION, 1UL), EINVAL, "G2");
		kvmsim_close(fd);
	}
}

Test(kvm, create_vm_machine_types_per_host)
{
	int x86 = kvmsim_open("x86"), arm = kvmsim_open("arm64");
	int ppc = kvmsim_open("ppc"), s390 = kvmsim_open("s390");
	int vm;

	EXPECT_ERRNO(kvmsim_ioctl(x86, KVM_CREATE_VM, 1UL), EINVAL, "G3: x86 wants type 0");
	EXPECT_ERRNO(kvmsim_ioctl(arm, KVM_CREATE_VM, 1UL), EINVAL, "G3: arm wants type 0");
	EXPECT_ERRNO(kvmsim_ioctl(s390, KVM_CREATE_VM, (unsigned long)KVM_VM_S390_UCONTROL),
		     EINVAL, "§9.1: UCONTROL needs CAP_SYS_ADMIN");
	EXPECT_ERRNO(kvmsim_ioctl(ppc, KVM_CREATE_VM, (unsigned long)KVM_VM_PPC_PR),
		     EINVAL, "§9.1: the PR flavour is unavailable on this host");
	vm = kvmsim_ioctl(ppc, KVM_CREATE_VM, (unsigned long)KVM_VM_PPC_HV);
	cr_assert_geq(vm, 3, "§9.1: ppc accepts KVM_VM_PPC_HV");
	kvmsim_close(vm);
	EXPECT_ERRNO(kvmsim_ioctl(x86, KVM_CREATE_VM, ~0UL), EINVAL, "no such type");
	kvmsim_close(x86);
	kvmsim_close(arm);
	kvmsim_close(ppc);
	kvmsim_close(s390);
}

Test(kvm, ppc_host_accepts_the_powerpc_encoding)
{
	int fd = kvmsim_open("ppc"), vm;

	cr_assert_eq(kvmsim_ioctl(fd, kvmsim_ppc_request(KVM_GET_API_VERSION), 0UL), 12);
	cr_assert_eq(kvmsim_ioctl(fd, KVM_GET_API_VERSION, 0UL), 12);
	vm = kvmsim_ioctl(fd, kvmsim_ppc_request(KVM_CREATE_VM), 0UL);
	cr_assert_geq(vm, 3);
	cr_assert_eq(kvmsim_ioctl(vm, kvmsim_ppc_request(KVM_CHECK_EXTENSION),
				  (unsigned long)KVM_CAP_CHECK_EXTENSION_VM), 1);
	kvmsim_close(vm);
	kvmsim_close(fd);
	/* the powerpc numbers mean nothing to another host */
	fd = kvmsim_open("x86");
	EXPECT_ERRNO(kvmsim_ioctl(fd, kvmsim_ppc_request(KVM_GET_API_VERSION), 0UL),
		     EINVAL, "unknown request on /dev/kvm");
	kvmsim_close(fd);
}

/* §10: the values a 4.4 host reports for what kvmsim implements today. */
Test(kvm, check_extension_reports_the_4_4_values_of_what_is_implemented)
{
	static const struct { const char *arch; unsigned long cap; int want; } t[] = {
		{ "x86", KVM_CAP_NR_VCPUS, 160 },   { "x86", KVM_CAP_MAX_VCPUS, 255 },
		{ "x86", KVM_CAP_DEVICE_CTRL, 0 },  /* §13 D18 */
		{ "arm64", KVM_CAP_MAX_VCPUS, 255 }, { "arm64", KVM_CAP_DEVICE_CTRL, 1 },
		{ "ppc", KVM_CAP_MAX_VCPUS, 2048 }, { "ppc", KVM_CAP_DEVICE_CTRL, 1 },
		{ "s390", KVM_CAP_NR_VCPUS, 64 },   { "s390", KVM_CAP_MAX_VCPUS, 64 },
		{ "s390", KVM_CAP_DEVICE_CTRL, 1 },
		/* absent on that architecture */
		{ "x86", KVM_CAP_S390_IRQCHIP, 0 }, { "s390", KVM_CAP_SPLIT_IRQCHIP, 0 },
		{ "arm64", KVM_CAP_IRQ_ROUTING, 0 }, { "ppc", KVM_CAP_SIGNAL_MSI, 0 },
		/* added after 4.4 */
		{ "x86", KVM_CAP_HYPERV_SYNIC, 0 }, { "arm64", KVM_CAP_MSI_DEVID, 0 },
		{ "s390", KVM_CAP_S390_AIS, 0 },    { "ppc", KVM_CAP_PPC_IRQ_XIVE, 0 },
		{ "arm64", KVM_CAP_ARM_IRQ_LINE_LAYOUT_2, 0 },
		/* unknown numbers: 0, never an error (G4) */
		{ "x86", 12345, 0 },                { "s390", ~0UL, 0 },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int sys, vm = open_vm(t[i].arch, &sys);

		cr_assert_eq(kvmsim_ioctl(sys, KVM_CHECK_EXTENSION, t[i].cap), t[i].want,
			     "%s cap %lu on /dev/kvm", t[i].arch, t[i].cap);
		cr_assert_eq(kvmsim_ioctl(vm, KVM_CHECK_EXTENSION, t[i].cap), t[i].want,
			     "%s cap %lu on the VM", t[i].arch, t[i].cap);
		kvmsim_close(vm);
		kvmsim_close(sys);
	}
	for (int i = 0; i < 4; i++) {
		int vm = open_vm(arches[i], NULL);

		cr_assert_eq(kvmsim_ioctl(vm, KVM_CHECK_EXTENSION,
					  (unsigned long)KVM_CAP_CHECK_EXTENSION_VM), 1);
		kvmsim_close(vm);
	}
}

/*
 * §10 walked on the hosts kvmsim does not run vCPUs on yet: what each
 * reports non-zero is listed here, with the call that shows it works;
 * everything else reads 0 until the controller behind it lands (arm64's
 * walk: test_kvm_arm.c).
 */
Test(kvm, capabilities_the_other_hosts_report_are_calls_that_work)
{
	static const struct {
		const char *arch;
		unsigned long cap;
		int value;
	} t[] = {
		{ "x86", KVM_CAP_NR_VCPUS, 160 },  { "x86", KVM_CAP_MAX_VCPUS, 255 },
		{ "x86", KVM_CAP_CHECK_EXTENSION_VM, 1 },
		{ "ppc", KVM_CAP_NR_VCPUS, 8 },	   { "ppc", KVM_CAP_MAX_VCPUS, 2048 },
		{ "ppc", KVM_CAP_DEVICE_CTRL, 1 }, { "ppc", KVM_CAP_CHECK_EXTENSION_VM, 1 },
		{ "s390", KVM_CAP_NR_VCPUS, 64 },  { "s390", KVM_CAP_MAX_VCPUS, 64 },
		{ "s390", KVM_CAP_DEVICE_CTRL, 1 }, { "s390", KVM_CAP_VM_ATTRIBUTES, 1 },
		{ "s390", KVM_CAP_CHECK_EXTENSION_VM, 1 },
	};
	static const char *const hosts[] = { "x86", "ppc", "s390" };

	for (size_t h = 0; h < 3; h++) {
		int sys, vm = open_vm(hosts[h], &sys);

		for (unsigned long cap = 0; cap < 512; cap++) {
			int got = kvmsim_ioctl(sys, KVM_CHECK_EXTENSION, cap);
			size_t i = 0;

			if (!got)
				continue;
			while (i < sizeof(t) / sizeof(t[0]) &&
			       (strcmp(t[i].arch, hosts[h]) || t[i].cap != cap))
				i++;
			cr_assert_lt(i, sizeof(t) / sizeof(t[0]), "%s cap %lu reads %d: unlisted",
				     hosts[h], cap, got);
			cr_expect_eq(got, t[i].value, "%s cap %lu", hosts[h], cap);
		}
		kvmsim_close(vm);
		kvmsim_close(sys);
	}
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int sys, vm = open_vm(t[i].arch, &sys);
		struct kvm_create_device cd = { .type = 0 };
		struct kvm_device_attr a = { .group = KVM_S390_VM_MEM_CTRL,
					     .attr = KVM_S390_VM_MEM_ENABLE_CMMA };

		switch (t[i].cap) {
		case KVM_CAP_NR_VCPUS:
		case KVM_CAP_MAX_VCPUS: {
			/* ids below KVM_MAX_VCPUS (kvm-api.md §9.1) */
			unsigned long max = (unsigned long)kvmsim_ioctl(
				sys, KVM_CHECK_EXTENSION, (unsigned long)KVM_CAP_MAX_VCPUS);

			EXPECT_OK(kvmsim_ioctl(vm, KVM_CREATE_VCPU, max - 1), "the last id");
			EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_VCPU, max), EINVAL, "past it");
			break;
		}
		case KVM_CAP_DEVICE_CTRL:
			/* the request is there: it answers for a type (§2.3) */
			EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), ENODEV, "type 0");
			break;
		case KVM_CAP_VM_ATTRIBUTES:
			EXPECT_OK(kvmsim_ioctl(vm, KVM_HAS_DEVICE_ATTR, &a), "a VM attribute");
			break;
		case KVM_CAP_CHECK_EXTENSION_VM:
			cr_expect_eq(kvmsim_ioctl(vm, KVM_CHECK_EXTENSION, t[i].cap), 1);
			break;
		}
		kvmsim_close(vm);
		kvmsim_close(sys);
	}
}

Test(kvm, capabilities_of_unbuilt_controllers_read_zero)
{
	/* Controllers not built yet: a VMM must not be told otherwise
	 * (kvmsim.h). These flip to the §10 values as they land. */
	static const struct { const char *arch; unsigned long cap; } t[] = {
		{ "x86", KVM_CAP_IRQCHIP }, { "x86", KVM_CAP_IRQFD },
		{ "x86", KVM_CAP_SIGNAL_MSI }, { "x86", KVM_CAP_SPLIT_IRQCHIP },
		{ "ppc", KVM_CAP_IRQ_XICS }, { "ppc", KVM_CAP_IRQFD },
		{ "s390", KVM_CAP_S390_IRQCHIP }, { "s390", KVM_CAP_IRQ_ROUTING },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int fd = kvmsim_open(t[i].arch);

		cr_assert_eq(kvmsim_ioctl(fd, KVM_CHECK_EXTENSION, t[i].cap), 0,
			     "%s cap %lu", t[i].arch, t[i].cap);
		kvmsim_close(fd);
	}
}

Test(kvm, create_device_answers_enodev_for_absent_and_unknown_types)
{
	for (int i = 0; i < 4; i++) {
		int vm = open_vm(arches[i], NULL);

		for (uint32_t type = 0; type <= 16; type++) {
			struct kvm_create_device cd = { .type = type, .fd = 0x55 };

			if (i == 0 && (type == KVM_DEV_TYPE_ARM_VGIC_V2 ||
				       type == KVM_DEV_TYPE_ARM_VGIC_V3))
				continue; /* built: test_gic_kvm.c */

			EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), ENODEV,
				     "G5/G6/G7: type 0, >= 8, absent on this host, or not built");
			cr_assert_eq(cd.fd, 0x55, "nothing is written back");
			cd.flags = KVM_CREATE_DEVICE_TEST;
			EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, &cd), ENODEV,
				     "§2.3: TEST answers whether the type exists");
		}
		kvmsim_close(vm);
	}
}

Test(kvm, bad_argument_pointers_give_efault_not_a_crash)
{
	int vm = open_vm("x86", NULL);
	long page = sysconf(_SC_PAGESIZE);
	/* inaccessible, and kept mapped so that no allocation reuses it */
	void *gone = mmap(NULL, (size_t)page, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	/* two pages, the second inaccessible: a struct at the end of the
	 * first straddles into it */
	char *ro = mmap(NULL, 2 * (size_t)page, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	cr_assert(gone != MAP_FAILED && ro != MAP_FAILED);
	cr_assert_eq(mprotect(ro + page, (size_t)page, PROT_NONE), 0);
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, NULL), EFAULT, "§1.3 NULL");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, (void *)16), EFAULT, "§1.3 low address");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, gone), EFAULT, "§1.3 inaccessible page");
	/* the struct straddling into an unmapped page */
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_DEVICE, ro + page - 4), EFAULT,
		     "§1.3 partly inaccessible");
	munmap(ro, 2 * (size_t)page);
	munmap(gone, (size_t)page);
	kvmsim_close(vm);
}

Test(kvm, create_vcpu_id_rules)
{
	int vm = open_vm("x86", NULL), a, b;

	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 255UL), EINVAL, "§9.1 id >= KVM_MAX_VCPUS");
	a = kvmsim_ioctl(vm, KVM_CREATE_VCPU, 254UL);
	cr_assert_geq(a, 3);
	b = kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL);
	cr_assert_geq(b, 3);
	cr_assert_neq(a, b);
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 254UL), EEXIST, "§9.1 same id");
	kvmsim_close(a);
	kvmsim_close(b);
	kvmsim_close(vm);

	/* s390: 64 vCPUs; with all 64 created the count check comes first */
	vm = open_vm("s390", NULL);
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 64UL), EINVAL, "§9.1 s390 limit 64");
	for (unsigned long id = 0; id < 64; id++)
		cr_assert_geq(kvmsim_ioctl(vm, KVM_CREATE_VCPU, id), 3, "vCPU %lu", id);
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_VCPU, 5UL), EINVAL,
		     "§9.1 count at the maximum is checked before the id");
	kvmsim_close(vm);
}

Test(kvm, unknown_requests_fail_with_each_architectures_errno)
{
	/* §1.3: VM fd x86/s390/ppc ENOTTY, arm EINVAL; vCPU fd x86/ppc/arm
	 * EINVAL, s390 ENOTTY; /dev/kvm EINVAL */
	static const struct { const char *arch; int vm, vcpu; } t[] = {
		{ "arm64", EINVAL, EINVAL }, { "ppc", ENOTTY, EINVAL },
		{ "s390", ENOTTY, ENOTTY },  { "x86", ENOTTY, EINVAL },
	};
	const unsigned long bogus = 0xAEFF; /* _IO(KVMIO, 0xff) */

	for (int i = 0; i < 4; i++) {
		int sys, vm = open_vm(t[i].arch, &sys);
		int vcpu = kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL);

		cr_assert_geq(vcpu, 3);
		EXPECT_ERRNO(kvmsim_ioctl(sys, bogus, 0UL), EINVAL, "/dev/kvm");
		EXPECT_ERRNO(kvmsim_ioctl(vm, bogus, 0UL), t[i].vm, "VM fd");
		EXPECT_ERRNO(kvmsim_ioctl(vcpu, bogus, 0UL), t[i].vcpu, "vCPU fd");
		/* a VM request on a vCPU handle is unknown there */
		EXPECT_ERRNO(kvmsim_ioctl(vcpu, KVM_CREATE_VCPU, 1UL), t[i].vcpu, "vCPU fd");
		kvmsim_close(vcpu);
		kvmsim_close(vm);
		kvmsim_close(sys);
	}
}

Test(kvm, requests_absent_on_an_architecture_fail_as_there)
{
	int arm = open_vm("arm64", NULL), ppc = open_vm("ppc", NULL);
	int s390 = open_vm("s390", NULL);
	struct kvm_irq_routing r = { 0 };
	struct kvm_msi msi = { 0 };

	EXPECT_ERRNO(kvmsim_ioctl(arm, KVM_SET_GSI_ROUTING, &r), EINVAL, "A40");
	EXPECT_ERRNO(kvmsim_ioctl(arm, KVM_SIGNAL_MSI, &msi), EINVAL, "A40");
	EXPECT_ERRNO(kvmsim_ioctl(ppc, KVM_SET_GSI_ROUTING, &r), ENOTTY, "X14: XICS host");
	EXPECT_ERRNO(kvmsim_ioctl(ppc, KVM_CREATE_IRQCHIP, 0UL), ENOTTY, "§9.2 ppc");
	EXPECT_ERRNO(kvmsim_ioctl(s390, KVM_IRQ_LINE, 0UL), ENOTTY, "S15");
	kvmsim_close(arm);
	kvmsim_close(ppc);
	kvmsim_close(s390);
}

Test(kvm, known_but_unimplemented_requests_say_enosys)
{
	int vm = open_vm("x86", NULL), vcpu;

	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CREATE_IRQCHIP, 0UL), ENOSYS, "not built yet");
	vcpu = kvmsim_ioctl(vm, KVM_CREATE_VCPU, 0UL);
	EXPECT_ERRNO(kvmsim_ioctl(vcpu, KVM_RUN, 0UL), ENOSYS, "not built yet");
	kvmsim_close(vcpu);
	kvmsim_close(vm);
}

Test(kvm, handles_close_once_and_a_vm_outlives_its_handle)
{
	int sys, vm = open_vm("s390", &sys), vcpu;

	vcpu = kvmsim_ioctl(vm, KVM_CREATE_VCPU, 3UL);
	cr_assert_geq(vcpu, 3);
	cr_assert_eq(kvmsim_close(vm), 0);
	EXPECT_ERRNO(kvmsim_close(vm), EBADF, "closed twice");
	EXPECT_ERRNO(kvmsim_ioctl(vm, KVM_CHECK_EXTENSION, 0UL), EBADF, "closed handle");
	/* the vCPU keeps its VM alive: it still answers as an s390 vCPU */
	EXPECT_ERRNO(kvmsim_ioctl(vcpu, 0xAEFFUL, 0UL), ENOTTY, "s390 vCPU fd");
	cr_assert_eq(kvmsim_close(vcpu), 0);
	EXPECT_ERRNO(kvmsim_ioctl(-1, KVM_GET_API_VERSION, 0UL), EBADF, "negative");
	EXPECT_ERRNO(kvmsim_ioctl(0, KVM_GET_API_VERSION, 0UL), EBADF, "stdin is not ours");
	EXPECT_ERRNO(kvmsim_ioctl(1 << 30, KVM_GET_API_VERSION, 0UL), EBADF, "huge");
	EXPECT_ERRNO(kvmsim_close(1 << 30), EBADF, "huge");
	kvmsim_close(sys);
}

static void *vm_worker(void *arg)
{
	const char *arch = arg;
	int fd = kvmsim_open(arch);

	for (int round = 0; round < 50; round++) {
		int vm = kvmsim_ioctl(fd, KVM_CREATE_VM, 0UL);

		if (vm < 0)
			return (void *)1;
		for (unsigned long id = 0; id < 8; id++) {
			int v = kvmsim_ioctl(vm, KVM_CREATE_VCPU, id);

			if (v < 0 || kvmsim_close(v))
				return (void *)2;
		}
		if (kvmsim_ioctl(vm, KVM_CHECK_EXTENSION,
				 (unsigned long)KVM_CAP_CHECK_EXTENSION_VM) != 1)
			return (void *)3;
		kvmsim_close(vm);
	}
	kvmsim_close(fd);
	return NULL;
}

Test(kvm, several_threads_on_different_handles)
{
	pthread_t th[8];

	for (int i = 0; i < 8; i++)
		pthread_create(&th[i], NULL, vm_worker, (void *)arches[i % 4]);
	for (int i = 0; i < 8; i++) {
		void *ret;

		pthread_join(th[i], &ret);
		cr_assert_null(ret, "thread %d failed at step %p", i, ret);
	}
}

/*
 * Random request sequences: known and random request numbers, arguments
 * that are small integers, NULL, wild or unmapped pointers, or buffers of
 * random bytes, on random (also closed or bogus) handles. Every call must
 * return >= 0 or -1 with an errno from the documented set.
 */
Test(kvm, random_request_sequences_never_crash)
{
	static const unsigned int reqs[] = {
		KVM_GET_API_VERSION, KVM_CREATE_VM, KVM_CHECK_EXTENSION,
		KVM_GET_VCPU_MMAP_SIZE, KVM_CREATE_VCPU, KVM_CREATE_IRQCHIP,
		KVM_IRQ_LINE, KVM_GET_IRQCHIP, KVM_SET_IRQCHIP, KVM_IRQ_LINE_STATUS,
		KVM_SET_GSI_ROUTING, KVM_IRQFD, KVM_RUN, KVM_INTERRUPT,
		KVM_S390_INTERRUPT, KVM_ENABLE_CAP, KVM_SIGNAL_MSI, KVM_GET_ONE_REG,
		KVM_SET_ONE_REG, KVM_ARM_VCPU_INIT, KVM_S390_IRQ,
		KVM_S390_SET_IRQ_STATE, KVM_S390_GET_IRQ_STATE, KVM_CREATE_DEVICE,
		KVM_SET_DEVICE_ATTR, KVM_GET_DEVICE_ATTR, KVM_HAS_DEVICE_ATTR,
	};
	long page = sysconf(_SC_PAGESIZE);
	/* inaccessible, and kept mapped so that no allocation reuses it */
	char *gone = mmap(NULL, (size_t)page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	static unsigned char buf[8192];
	int open[64], nopen = 0;
	struct sim_rng r;

	cr_assert(gone != MAP_FAILED);
	sim_rng_seed(&r, 2026, 0);
	for (int i = 0; i < 4; i++)
		open[nopen++] = kvmsim_open(arches[i]);
	for (int step = 0; step < 20000; step++) {
		int fd = sim_rng_below(&r, 16) ? open[sim_rng_below(&r, (uint64_t)nopen)]
					       : (int)sim_rng_below(&r, 200) - 10;
		unsigned int req = sim_rng_below(&r, 4) ? reqs[sim_rng_below(&r, 27)]
						       : (unsigned int)sim_rng_next(&r);
		unsigned long arg;
		int ret;

		switch (sim_rng_below(&r, 5)) {
		case 0:
			arg = sim_rng_below(&r, 300);
			break;
		case 1:
			arg = 0;
			break;
		case 2:
			arg = (unsigned long)(gone + sim_rng_below(&r, (uint64_t)page));
			break;
		case 3:
			arg = sim_rng_next(&r);
			break;
		default:
			for (size_t k = 0; k < sizeof(buf); k += 8) {
				uint64_t x = sim_rng_next(&r);

				memcpy(buf + k, &x, 8);
			}
			arg = (unsigned long)buf;
		}
		if (sim_rng_below(&r, 2))
			req = kvmsim_ppc_request(req);
		errno = 0;
		ret = kvmsim_ioctl(fd, req, arg);
		if (ret < 0) {
			cr_assert_eq(ret, -1);
			cr_assert(errno == EBADF || errno == EINVAL || errno == ENOTTY ||
				  errno == ENODEV || errno == EFAULT || errno == EEXIST ||
				  errno == ENOSYS || errno == EMFILE,
				  "step %d: request 0x%x gave errno %d", step, req, errno);
		} else if (ret >= 3 && nopen < 64 &&
			   (req == KVM_CREATE_VM || req == KVM_CREATE_VCPU ||
			    req == kvmsim_ppc_request(KVM_CREATE_VM) ||
			    req == kvmsim_ppc_request(KVM_CREATE_VCPU))) {
			open[nopen++] = ret;
		}
		if (nopen > 8 && sim_rng_below(&r, 50) == 0) {
			int k = (int)sim_rng_below(&r, (uint64_t)nopen);

			kvmsim_close(open[k]); /* later uses of it must say EBADF */
		}
	}
	for (int i = 0; i < nopen; i++)
		kvmsim_close(open[i]);
	munmap(gone, (size_t)page);
}
