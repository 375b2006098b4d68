// SPDX-License-Identifier: MIT
/*
 * test_kvm_uapi.c — include/kvmsim/kvm.h against Linux's own UAPI headers:
 * every compared constant, request number (generic and powerpc encodings),
 * struct size and field offset must be equal. The Linux side comes from
 * Debian's linux-libc-dev (the build host) and
 * linux-libc-dev-{arm64,s390x,ppc64el}-cross (tests/uapi/linux_*.c); the
 * names compared are listed once in tests/uapi/uapi_names.h. Plus the
 * request numbers and sizes kvm-api.md §1.2 and §11.1 (G13, G14) print.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include <kvmsim/kvm.h>

#include "config.h"
#include "uapi/uapi_names.h"

extern const struct uapi_value uapi_host_common[], uapi_host_ioctls[],
	uapi_host_structs[], uapi_host_arch[];
extern const struct uapi_value uapi_kvmsim_common[], uapi_kvmsim_ioctls[],
	uapi_kvmsim_ioctls_arm64[], uapi_kvmsim_structs[],
	uapi_kvmsim_structs_arm64[], uapi_kvmsim_structs_s390[],
	uapi_kvmsim_x86[], uapi_kvmsim_arm64[], uapi_kvmsim_s390[],
	uapi_kvmsim_ppc[];
unsigned int uapi_cxx_create_device(void);
unsigned long uapi_cxx_sizeof_s390_irq(void);

/* Compares two tables built from the same X-macro list; reports every
 * difference, returns how many. @ppc converts kvmsim's generic request
 * numbers to the powerpc encoding first. */
static int compare(const char *what, const struct uapi_value *linux_side,
		   const struct uapi_value *kvmsim, bool ppc)
{
	int bad = 0, n = 0;

	for (; linux_side->name; linux_side++, kvmsim++, n++) {
		uint64_t want = linux_side->value;
		uint64_t got = kvmsim->value;

		cr_assert_not_null(kvmsim->name, "%s: tables differ in length", what);
		cr_assert_str_eq(linux_side->name, kvmsim->name);
		if (ppc)
			got = kvmsim_ppc_request((unsigned int)got);
		if (got != want) {
			cr_log_error("%s: %s is 0x%llx in kvmsim/kvm.h, 0x%llx in Linux",
				     what, kvmsim->name, (unsigned long long)got,
				     (unsigned long long)want);
			bad++;
		}
	}
	cr_assert_null(kvmsim->name, "%s: tables differ in length", what);
	cr_assert_gt(n, 0, "%s: nothing compared", what);
	return bad;
}

Test(kvm_uapi, generic_values_match_host_linux_headers)
{
	int bad = compare("host common", uapi_host_common, uapi_kvmsim_common, false);

	bad += compare("host ioctls", uapi_host_ioctls, uapi_kvmsim_ioctls, false);
	bad += compare("host structs", uapi_host_structs, uapi_kvmsim_structs, false);
#ifdef __x86_64__
	bad += compare("x86", uapi_host_arch, uapi_kvmsim_x86, false);
#endif
	cr_assert_eq(bad, 0, "%d values differ from the host's <linux/kvm.h>", bad);
}

#ifdef HAVE_UAPI_ARM64
extern const struct uapi_value uapi_arm64_common[], uapi_arm64_ioctls[],
	uapi_arm64_structs[], uapi_arm64_arch[];

Test(kvm_uapi, arm64_values_match_linux_arm64_headers)
{
	int bad = compare("arm64 common", uapi_arm64_common, uapi_kvmsim_common, false);

	bad += compare("arm64 ioctls", uapi_arm64_ioctls, uapi_kvmsim_ioctls_arm64, false);
	bad += compare("arm64 structs", uapi_arm64_structs, uapi_kvmsim_structs_arm64, false);
	bad += compare("arm64", uapi_arm64_arch, uapi_kvmsim_arm64, false);
	cr_assert_eq(bad, 0, "%d values differ from Linux's arm64 headers", bad);
}
#else
Test(kvm_uapi, arm64_values_match_linux_arm64_headers)
{
	cr_skip_test("install the Debian package linux-libc-dev-arm64-cross and re-run configure");
}
#endif

#ifdef HAVE_UAPI_S390
extern const struct uapi_value uapi_s390_common[], uapi_s390_ioctls[],
	uapi_s390_structs[], uapi_s390_arch[];

Test(kvm_uapi, s390_values_match_linux_s390_headers)
{
	int bad = compare("s390 common", uapi_s390_common, uapi_kvmsim_common, false);

	bad += compare("s390 ioctls", uapi_s390_ioctls, uapi_kvmsim_ioctls, false);
	bad += compare("s390 structs", uapi_s390_structs, uapi_kvmsim_structs_s390, false);
	bad += compare("s390", uapi_s390_arch, uapi_kvmsim_s390, false);
	cr_assert_eq(bad, 0, "%d values differ from Linux's s390 headers", bad);
}
#else
Test(kvm_uapi, s390_values_match_linux_s390_headers)
{
	cr_skip_test("install the Debian package linux-libc-dev-s390x-cross and re-run configure");
}
#endif

#ifdef HAVE_UAPI_PPC
extern const struct uapi_value uapi_ppc_common[], uapi_ppc_ioctls[],
	uapi_ppc_structs[], uapi_ppc_arch[];

Test(kvm_uapi, ppc_values_and_powerpc_request_encoding_match_linux_ppc_headers)
{
	int bad = compare("ppc common", uapi_ppc_common, uapi_kvmsim_common, false);

	bad += compare("ppc ioctls", uapi_ppc_ioctls, uapi_kvmsim_ioctls, true);
	bad += compare("ppc structs", uapi_ppc_structs, uapi_kvmsim_structs, false);
	bad += compare("ppc", uapi_ppc_arch, uapi_kvmsim_ppc, false);
	cr_assert_eq(bad, 0, "%d values differ from Linux's powerpc headers", bad);
}
#else
Test(kvm_uapi, ppc_values_and_powerpc_request_encoding_match_linux_ppc_headers)
{
	cr_skip_test("install the Debian package linux-libc-dev-ppc64el-cross and re-run configure");
}
#endif

/* kvm-api.md §1.2 and §11.1 G13: the numbers as the spec prints them. */
Test(kvm_uapi, request_numbers_are_those_of_the_spec)
{
	static const struct { unsigned int req, generic, ppc; const char *name; } t[] = {
		{ KVM_GET_API_VERSION, 0x0000AE00, 0x2000AE00, "KVM_GET_API_VERSION" },
		{ KVM_CREATE_VM, 0x0000AE01, 0x2000AE01, "KVM_CREATE_VM" },
		{ KVM_CHECK_EXTENSION, 0x0000AE03, 0x2000AE03, "KVM_CHECK_EXTENSION" },
		{ KVM_CREATE_VCPU, 0x0000AE41, 0x2000AE41, "KVM_CREATE_VCPU" },
		{ KVM_IRQ_LINE, 0x4008AE61, 0x8008AE61, "KVM_IRQ_LINE" },
		{ KVM_GET_IRQCHIP, 0xC208AE62, 0xC208AE62, "KVM_GET_IRQCHIP" },
		{ KVM_SET_IRQCHIP, 0x8208AE63, 0x4208AE63, "KVM_SET_IRQCHIP" },
		{ KVM_IRQ_LINE_STATUS, 0xC008AE67, 0xC008AE67, "KVM_IRQ_LINE_STATUS" },
		{ KVM_SET_GSI_ROUTING, 0x4008AE6A, 0x8008AE6A, "KVM_SET_GSI_ROUTING" },
		{ KVM_IRQFD, 0x4020AE76, 0x8020AE76, "KVM_IRQFD" },
		{ KVM_IOEVENTFD, 0x4040AE79, 0x8040AE79, "KVM_IOEVENTFD" },
		{ KVM_ENABLE_CAP, 0x4068AEA3, 0x8068AEA3, "KVM_ENABLE_CAP" },
		{ KVM_SIGNAL_MSI, 0x4020AEA5, 0x8020AEA5, "KVM_SIGNAL_MSI" },
		{ KVM_CREATE_DEVICE, 0xC00CAEE0, 0xC00CAEE0, "KVM_CREATE_DEVICE" },
		{ KVM_SET_DEVICE_ATTR, 0x4018AEE1, 0x8018AEE1, "KVM_SET_DEVICE_ATTR" },
		{ KVM_GET_DEVICE_ATTR, 0x4018AEE2, 0x8018AEE2, "KVM_GET_DEVICE_ATTR" },
		{ KVM_HAS_DEVICE_ATTR, 0x4018AEE3, 0x8018AEE3, "KVM_HAS_DEVICE_ATTR" },
		{ KVM_RUN, 0x0000AE80, 0x2000AE80, "KVM_RUN" },
		{ KVM_INTERRUPT, 0x4004AE86, 0x8004AE86, "KVM_INTERRUPT" },
		{ KVM_GET_ONE_REG, 0x4010AEAB, 0x8010AEAB, "KVM_GET_ONE_REG" },
		{ KVM_SET_ONE_REG, 0x4010AEAC, 0x8010AEAC, "KVM_SET_ONE_REG" },
		{ KVM_GET_VCPU_MMAP_SIZE, 0x0000AE04, 0x2000AE04, "KVM_GET_VCPU_MMAP_SIZE" },
		/* _IOWR(KVMIO, 0xb0, struct kvm_reg_list): 8 bytes */
		{ KVM_GET_REG_LIST, 0xC008AEB0, 0xC008AEB0, "KVM_GET_REG_LIST" },
	};

	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		cr_expect_eq(t[i].req, t[i].generic, "%s: 0x%08x, spec says 0x%08x",
			     t[i].name, t[i].req, t[i].generic);
		cr_expect_eq(kvmsim_ppc_request(t[i].req), t[i].ppc,
			     "%s on ppc: 0x%08x, spec says 0x%08x", t[i].name,
			     kvmsim_ppc_request(t[i].req), t[i].ppc);
	}
	/* §1.2: numeric coincidences the dispatcher must tolerate */
	cr_assert_eq(KVM_ARM_SET_DEVICE_ADDR, KVM_GET_ONE_REG);
	cr_assert_eq(KVM_ARM_SET_DEVICE_ADDR, 0x4010AEAB);
	cr_assert_eq(KVM_S390_INTERRUPT, 0x4010AE94);
	cr_assert_eq(KVM_S390_IRQ, 0x4048AEB4);
	cr_assert_eq(KVM_S390_SET_IRQ_STATE, 0x4020AEB5);
	cr_assert_eq(KVM_S390_GET_IRQ_STATE, 0x4020AEB6);
	cr_assert_eq(KVM_ARM_VCPU_INIT, 0x4020AEAE);
}

/* kvm-api.md §11.1 G14 and §5.4 / §9.9. */
Test(kvm_uapi, struct_sizes_and_register_ids_are_those_of_the_spec)
{
	cr_assert_eq(sizeof(struct kvm_create_device), 12);
	cr_assert_eq(sizeof(struct kvm_device_attr), 24);
	cr_assert_eq(sizeof(struct kvm_irq_level), 8);
	cr_assert_eq(sizeof(struct kvm_irq_routing_entry), 48);
	cr_assert_eq(sizeof(struct kvm_irqfd), 32);
	cr_assert_eq(sizeof(struct kvm_ioeventfd), 64);
	cr_assert_eq(sizeof(struct kvm_msi), 32);
	cr_assert_eq(sizeof(struct kvm_enable_cap), 104);
	cr_assert_eq(sizeof(struct kvm_s390_interrupt), 16);
	cr_assert_eq(sizeof(struct kvm_s390_irq), 72);
	cr_assert_eq(sizeof(struct kvm_s390_io_adapter), 8);
	cr_assert_eq(sizeof(struct kvm_s390_io_adapter_req), 16);
	cr_assert_eq(sizeof(struct kvm_one_reg), 16);
	cr_assert_eq(KVM_REG_PPC_ICP_STATE, 0x103000000000008CULL);
	cr_assert_eq(KVM_REG_PPC_MAS0, 0x102000000000008CULL);
	cr_assert_eq(KVM_DEV_TYPE_MAX, 8, "4.4 has seven device types");
	cr_assert_eq(KVM_S390_INT_IO(1, 0, 0, 0), 0x04000000u);
}

Test(kvm_uapi, header_compiles_as_cxx_with_the_same_values)
{
	cr_assert_eq(uapi_cxx_create_device(), KVM_CREATE_DEVICE);
	cr_assert_eq(uapi_cxx_sizeof_s390_irq(), 72);
}
