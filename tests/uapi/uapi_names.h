/* SPDX-License-Identifier: MIT */
/*
 * uapi_names.h — the UAPI names that tests/test_kvm_uapi.c compares between
 * include/kvmsim/kvm.h and Linux's own headers, as X-macro lists. Each
 * list holds the names a given Linux header set defines.
 *
 * Left out on purpose, because Linux changed their value after 4.4 (the
 * release kvm.h reproduces):
 *  - KVM_ARM_IRQ_TYPE_MASK: 0xff in 4.4, 0xf since ≈5.4 (LAYOUT_2 puts
 *    vcpu2_index in bits 31-28; kvm-api.md §9.3);
 *  - KVM_DEV_TYPE_MAX: a sentinel that grows with every new device type
 *    (8 in 4.4; kvm-api.md §2.6).
 */
#ifndef KVMSIM_TEST_UAPI_NAMES_H
#define KVMSIM_TEST_UAPI_NAMES_H

#include <stdint.h>

struct uapi_value {
	const char *name;
	uint64_t value;
};

/* In <linux/kvm.h> on every architecture. */
#define UAPI_COMMON(X)                                                         \
	X(KVM_API_VERSION) X(KVMIO) X(KVM_CREATE_DEVICE_TEST)                  \
	X(KVM_DEV_TYPE_FSL_MPIC_20) X(KVM_DEV_TYPE_FSL_MPIC_42)                \
	X(KVM_DEV_TYPE_XICS) X(KVM_DEV_TYPE_VFIO)                              \
	X(KVM_DEV_TYPE_ARM_VGIC_V2) X(KVM_DEV_TYPE_FLIC)                       \
	X(KVM_DEV_TYPE_ARM_VGIC_V3)                                            \
	X(KVM_DEV_VFIO_GROUP) X(KVM_DEV_VFIO_GROUP_ADD)                        \
	X(KVM_DEV_VFIO_GROUP_DEL)                                              \
	X(KVM_IRQ_ROUTING_IRQCHIP) X(KVM_IRQ_ROUTING_MSI)                      \
	X(KVM_IRQ_ROUTING_S390_ADAPTER)                                        \
	X(KVM_IRQFD_FLAG_DEASSIGN) X(KVM_IRQFD_FLAG_RESAMPLE)                  \
	X(KVM_IOEVENTFD_FLAG_DATAMATCH) X(KVM_IOEVENTFD_FLAG_PIO)              \
	X(KVM_IOEVENTFD_FLAG_DEASSIGN) X(KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY) \
	X(KVM_IOEVENTFD_VALID_FLAG_MASK)                                       \
	X(KVM_VM_S390_UCONTROL) X(KVM_VM_PPC_HV) X(KVM_VM_PPC_PR)              \
	X(KVM_EXIT_IOAPIC_EOI)                                                 \
	X(KVM_S390_SIGP_STOP) X(KVM_S390_PROGRAM_INT)                          \
	X(KVM_S390_SIGP_SET_PREFIX) X(KVM_S390_RESTART)                        \
	X(KVM_S390_INT_PFAULT_INIT) X(KVM_S390_INT_PFAULT_DONE)                \
	X(KVM_S390_MCHK) X(KVM_S390_INT_CLOCK_COMP)                            \
	X(KVM_S390_INT_CPU_TIMER) X(KVM_S390_INT_VIRTIO)                       \
	X(KVM_S390_INT_SERVICE) X(KVM_S390_INT_EMERGENCY)                      \
	X(KVM_S390_INT_EXTERNAL_CALL) X(KVM_S390_INT_IO_MIN)                   \
	X(KVM_S390_INT_IO_MAX) X(KVM_S390_INT_IO_AI_MASK)                      \
	X(KVM_S390_STOP_FLAG_STORE_STATUS)                                     \
	X(KVM_REG_ARCH_MASK) X(KVM_REG_GENERIC) X(KVM_REG_PPC) X(KVM_REG_X86) \
	X(KVM_REG_ARM) X(KVM_REG_S390) X(KVM_REG_ARM64)                        \
	X(KVM_REG_SIZE_SHIFT) X(KVM_REG_SIZE_MASK) X(KVM_REG_SIZE_U8)          \
	X(KVM_REG_SIZE_U16) X(KVM_REG_SIZE_U32) X(KVM_REG_SIZE_U64)            \
	X(KVM_REG_SIZE_U128)                                                   \
	X(KVM_CAP_IRQCHIP) X(KVM_CAP_NR_VCPUS) X(KVM_CAP_IRQ_ROUTING)          \
	X(KVM_CAP_IRQ_INJECT_STATUS) X(KVM_CAP_IRQFD)                          \
	X(KVM_CAP_PPC_UNSET_IRQ) X(KVM_CAP_ENABLE_CAP)                         \
	X(KVM_CAP_PPC_IRQ_LEVEL) X(KVM_CAP_MAX_VCPUS) X(KVM_CAP_ONE_REG)       \
	X(KVM_CAP_SIGNAL_MSI) X(KVM_CAP_IRQFD_RESAMPLE) X(KVM_CAP_PPC_EPR)     \
	X(KVM_CAP_ARM_PSCI) X(KVM_CAP_ARM_SET_DEVICE_ADDR)                     \
	X(KVM_CAP_DEVICE_CTRL) X(KVM_CAP_IRQ_MPIC) X(KVM_CAP_PPC_RTAS)         \
	X(KVM_CAP_IRQ_XICS) X(KVM_CAP_ARM_EL1_32BIT)                           \
	X(KVM_CAP_IOAPIC_POLARITY_IGNORED) X(KVM_CAP_ENABLE_CAP_VM)            \
	X(KVM_CAP_S390_IRQCHIP) X(KVM_CAP_VM_ATTRIBUTES)                       \
	X(KVM_CAP_ARM_PSCI_0_2) X(KVM_CAP_CHECK_EXTENSION_VM)                  \
	X(KVM_CAP_S390_INJECT_IRQ) X(KVM_CAP_S390_IRQ_STATE)                   \
	X(KVM_CAP_SPLIT_IRQCHIP) X(KVM_CAP_HYPERV_SYNIC)                       \
	X(KVM_CAP_VCPU_ATTRIBUTES) X(KVM_CAP_MAX_VCPU_ID)                      \
	X(KVM_CAP_MSI_DEVID) X(KVM_CAP_S390_AIS) X(KVM_CAP_ARM_USER_IRQ)       \
	X(KVM_CAP_S390_AIS_MIGRATION) X(KVM_CAP_PPC_IRQ_XIVE)                  \
	X(KVM_CAP_ARM_IRQ_LINE_LAYOUT_2)                                       \
	X(KVM_EXIT_UNKNOWN) X(KVM_EXIT_EXCEPTION) X(KVM_EXIT_IO)               \
	X(KVM_EXIT_HYPERCALL) X(KVM_EXIT_DEBUG) X(KVM_EXIT_HLT)                \
	X(KVM_EXIT_MMIO) X(KVM_EXIT_IRQ_WINDOW_OPEN) X(KVM_EXIT_SHUTDOWN)      \
	X(KVM_EXIT_FAIL_ENTRY) X(KVM_EXIT_INTR) X(KVM_EXIT_SET_TPR)            \
	X(KVM_EXIT_TPR_ACCESS) X(KVM_EXIT_S390_SIEIC) X(KVM_EXIT_S390_RESET)   \
	X(KVM_EXIT_DCR) X(KVM_EXIT_NMI) X(KVM_EXIT_INTERNAL_ERROR)             \
	X(KVM_EXIT_OSI) X(KVM_EXIT_PAPR_HCALL) X(KVM_EXIT_S390_UCONTROL)       \
	X(KVM_EXIT_WATCHDOG) X(KVM_EXIT_S390_TSCH) X(KVM_EXIT_EPR)             \
	X(KVM_EXIT_SYSTEM_EVENT) X(KVM_EXIT_S390_STSI) X(KVM_EXIT_IO_IN)       \
	X(KVM_EXIT_IO_OUT) X(KVM_SYSTEM_EVENT_SHUTDOWN)                        \
	X(KVM_SYSTEM_EVENT_RESET) X(KVM_SYSTEM_EVENT_CRASH)                    \
	X(PSCI_0_2_FN_BASE) X(PSCI_0_2_64BIT) X(PSCI_0_2_FN64_BASE)            \
	X(PSCI_0_2_FN_PSCI_VERSION) X(PSCI_0_2_FN_CPU_SUSPEND)                 \
	X(PSCI_0_2_FN_CPU_OFF) X(PSCI_0_2_FN_CPU_ON)                           \
	X(PSCI_0_2_FN_AFFINITY_INFO) X(PSCI_0_2_FN_MIGRATE)                    \
	X(PSCI_0_2_FN_MIGRATE_INFO_TYPE) X(PSCI_0_2_FN_MIGRATE_INFO_UP_CPU)    \
	X(PSCI_0_2_FN_SYSTEM_OFF) X(PSCI_0_2_FN_SYSTEM_RESET)                  \
	X(PSCI_0_2_FN64_CPU_SUSPEND) X(PSCI_0_2_FN64_CPU_ON)                   \
	X(PSCI_0_2_FN64_AFFINITY_INFO) X(PSCI_0_2_FN64_MIGRATE)                \
	X(PSCI_0_2_FN64_MIGRATE_INFO_UP_CPU) X(PSCI_0_2_AFFINITY_LEVEL_ON)     \
	X(PSCI_0_2_AFFINITY_LEVEL_OFF) X(PSCI_0_2_AFFINITY_LEVEL_ON_PENDING)   \
	X(PSCI_0_2_TOS_UP_MIGRATE) X(PSCI_0_2_TOS_UP_NO_MIGRATE)               \
	X(PSCI_0_2_TOS_MP) X(PSCI_VERSION_MAJOR_SHIFT) X(PSCI_RET_SUCCESS)     \
	X(PSCI_RET_NOT_SUPPORTED) X(PSCI_RET_INVALID_PARAMS) X(PSCI_RET_DENIED) \
	X(PSCI_RET_ALREADY_ON) X(PSCI_RET_ON_PENDING)                          \
	X(PSCI_RET_INTERNAL_FAILURE) X(PSCI_RET_NOT_PRESENT)                   \
	X(PSCI_RET_DISABLED)

/* Request numbers: generic encoding on x86, arm64 and s390; powerpc's own
 * on ppc. KVM_GET_IRQCHIP/SET_IRQCHIP are only declared on x86 (their
 * struct is arch-specific), KVM_ARM_* only on arm/arm64. */
#define UAPI_IOCTLS(X)                                                         \
	X(KVM_GET_API_VERSION) X(KVM_CREATE_VM) X(KVM_CHECK_EXTENSION)         \
	X(KVM_GET_VCPU_MMAP_SIZE) X(KVM_CREATE_VCPU) X(KVM_CREATE_IRQCHIP)     \
	X(KVM_IRQ_LINE) X(KVM_IRQ_LINE_STATUS) X(KVM_SET_GSI_ROUTING)          \
	X(KVM_IRQFD) X(KVM_IOEVENTFD) X(KVM_RUN) X(KVM_INTERRUPT)             \
	X(KVM_S390_INTERRUPT)                                                  \
	X(KVM_ENABLE_CAP) X(KVM_SIGNAL_MSI) X(KVM_GET_ONE_REG)                 \
	X(KVM_SET_ONE_REG) X(KVM_S390_IRQ) X(KVM_S390_SET_IRQ_STATE)           \
	X(KVM_S390_GET_IRQ_STATE) X(KVM_CREATE_DEVICE)                         \
	X(KVM_SET_DEVICE_ATTR) X(KVM_GET_DEVICE_ATTR) X(KVM_HAS_DEVICE_ATTR)   \
	X(KVM_GET_REG_LIST)
#define UAPI_IOCTLS_X86(X) X(KVM_GET_IRQCHIP) X(KVM_SET_IRQCHIP)
#define UAPI_IOCTLS_ARM64(X)                                                   \
	X(KVM_ARM_SET_DEVICE_ADDR) X(KVM_ARM_VCPU_INIT) X(KVM_ARM_PREFERRED_TARGET)

/* Structures defined in <linux/kvm.h> everywhere (sizes and offsets). */
#define UAPI_STRUCTS(X)                                                        \
	X(kvm_create_device) X(kvm_device_attr) X(kvm_irq_level)               \
	X(kvm_irq_routing) X(kvm_irq_routing_entry)                            \
	X(kvm_irq_routing_irqchip) X(kvm_irq_routing_msi)                      \
	X(kvm_irq_routing_s390_adapter) X(kvm_irqfd) X(kvm_ioeventfd) X(kvm_msi) \
	X(kvm_enable_cap) X(kvm_one_reg) X(kvm_interrupt)                      \
	X(kvm_s390_interrupt) X(kvm_s390_irq) X(kvm_s390_io_info)              \
	X(kvm_s390_ext_info) X(kvm_s390_pgm_info) X(kvm_s390_mchk_info)        \
	X(kvm_s390_irq_state) X(kvm_reg_list)
#define UAPI_OFFSETS(X)                                                        \
	X(kvm_device_attr, group) X(kvm_device_attr, attr)                     \
	X(kvm_device_attr, addr) X(kvm_create_device, fd)                      \
	X(kvm_create_device, flags) X(kvm_irq_level, level)                    \
	X(kvm_irq_routing_entry, type) X(kvm_irq_routing_entry, flags)         \
	X(kvm_irq_routing_entry, u) X(kvm_irqfd, resamplefd)                   \
	X(kvm_irqfd, pad) X(kvm_ioeventfd, fd) X(kvm_ioeventfd, flags)          \
	X(kvm_ioeventfd, pad) X(kvm_msi, flags) X(kvm_enable_cap, args)        \
	X(kvm_enable_cap, pad) X(kvm_s390_irq, u)                              \
	X(kvm_s390_irq_state, flags) X(kvm_s390_irq_state, len)                \
	X(kvm_s390_irq_state, reserved)
/* struct kvm_run: the same on every architecture but s390 (whose PSW
 * words move the exits' union). */
#define UAPI_RUN(X)                                                            \
	X(kvm_run, exit_reason) X(kvm_run, ready_for_interrupt_injection)      \
	X(kvm_run, flags) X(kvm_run, cr8) X(kvm_run, apic_base)                \
	X(kvm_run, hw.hardware_exit_reason) X(kvm_run, io.data_offset)         \
	X(kvm_run, mmio.phys_addr) X(kvm_run, mmio.data) X(kvm_run, mmio.len)  \
	X(kvm_run, mmio.is_write) X(kvm_run, hypercall.ret)                    \
	X(kvm_run, internal.data) X(kvm_run, papr_hcall.args)                  \
	X(kvm_run, system_event.type) X(kvm_run, system_event.flags)           \
	X(kvm_run, eoi.vector) X(kvm_run, kvm_valid_regs)                      \
	X(kvm_run, kvm_dirty_regs) X(kvm_run, s)
#define UAPI_RUN_SIZE(X) X(kvm_run)
#define UAPI_STRUCTS_X86(X) X(kvm_irqchip) X(kvm_pic_state) X(kvm_ioapic_state)
#define UAPI_STRUCTS_ARM64(X)                                                  \
	X(kvm_arm_device_addr) X(kvm_vcpu_init) X(kvm_regs) X(user_pt_regs)    \
	X(user_fpsimd_state)
#define UAPI_OFFSETS_ARM64(X)                                                  \
	X(user_pt_regs, sp) X(user_pt_regs, pc) X(user_pt_regs, pstate)        \
	X(kvm_regs, sp_el1) X(kvm_regs, elr_el1) X(kvm_regs, spsr)             \
	X(kvm_regs, fp_regs) X(kvm_regs, fp_regs.vregs)                        \
	X(kvm_regs, fp_regs.fpsr) X(kvm_regs, fp_regs.fpcr)
#define UAPI_STRUCTS_S390(X)                                                   \
	X(kvm_s390_io_adapter) X(kvm_s390_io_adapter_req)                      \
	X(kvm_s390_vm_cpu_processor) X(kvm_s390_vm_cpu_machine)

#define UAPI_X86(X)                                                            \
	X(KVM_IRQCHIP_PIC_MASTER) X(KVM_IRQCHIP_PIC_SLAVE)                     \
	X(KVM_IRQCHIP_IOAPIC) X(KVM_IOAPIC_NUM_PINS)

#define UAPI_ARM64(X)                                                          \
	X(KVM_ARM_DEVICE_TYPE_SHIFT) X(KVM_ARM_DEVICE_TYPE_MASK)               \
	X(KVM_ARM_DEVICE_ID_SHIFT) X(KVM_ARM_DEVICE_ID_MASK)                   \
	X(KVM_ARM_DEVICE_VGIC_V2) X(KVM_VGIC_V2_ADDR_TYPE_DIST)                \
	X(KVM_VGIC_V2_ADDR_TYPE_CPU) X(KVM_VGIC_V2_DIST_SIZE)                  \
	X(KVM_VGIC_V2_CPU_SIZE) X(KVM_VGIC_V3_ADDR_TYPE_DIST)                  \
	X(KVM_VGIC_V3_ADDR_TYPE_REDIST) X(KVM_VGIC_V3_DIST_SIZE)               \
	X(KVM_VGIC_V3_REDIST_SIZE) X(KVM_DEV_ARM_VGIC_GRP_ADDR)                \
	X(KVM_DEV_ARM_VGIC_GRP_DIST_REGS) X(KVM_DEV_ARM_VGIC_GRP_CPU_REGS)     \
	X(KVM_DEV_ARM_VGIC_CPUID_SHIFT) X(KVM_DEV_ARM_VGIC_CPUID_MASK)         \
	X(KVM_DEV_ARM_VGIC_OFFSET_SHIFT) X(KVM_DEV_ARM_VGIC_OFFSET_MASK)       \
	X(KVM_DEV_ARM_VGIC_GRP_NR_IRQS) X(KVM_DEV_ARM_VGIC_GRP_CTRL)           \
	X(KVM_DEV_ARM_VGIC_CTRL_INIT) X(KVM_ARM_IRQ_TYPE_SHIFT)                \
	X(KVM_ARM_IRQ_VCPU_SHIFT) X(KVM_ARM_IRQ_VCPU_MASK)                     \
	X(KVM_ARM_IRQ_NUM_SHIFT) X(KVM_ARM_IRQ_NUM_MASK)                       \
	X(KVM_ARM_IRQ_TYPE_CPU) X(KVM_ARM_IRQ_TYPE_SPI)                        \
	X(KVM_ARM_IRQ_TYPE_PPI) X(KVM_ARM_IRQ_CPU_IRQ)                         \
	X(KVM_ARM_IRQ_CPU_FIQ) X(KVM_ARM_IRQ_GIC_MAX)                          \
	X(KVM_ARM_TARGET_AEM_V8) X(KVM_ARM_TARGET_FOUNDATION_V8)               \
	X(KVM_ARM_TARGET_CORTEX_A57) X(KVM_ARM_TARGET_XGENE_POTENZA)           \
	X(KVM_ARM_TARGET_CORTEX_A53) X(KVM_ARM_TARGET_GENERIC_V8)              \
	X(KVM_ARM_NUM_TARGETS) X(KVM_ARM_VCPU_POWER_OFF)                       \
	X(KVM_ARM_VCPU_EL1_32BIT) X(KVM_ARM_VCPU_PSCI_0_2)                     \
	X(KVM_REG_ARM_COPROC_MASK) X(KVM_REG_ARM_COPROC_SHIFT)                 \
	X(KVM_REG_ARM_CORE) X(KVM_REG_ARM_DEMUX) X(KVM_REG_ARM64_SYSREG)       \
	X(KVM_REG_ARM64_SYSREG_OP0_MASK) X(KVM_REG_ARM64_SYSREG_OP0_SHIFT)     \
	X(KVM_REG_ARM64_SYSREG_OP1_MASK) X(KVM_REG_ARM64_SYSREG_OP1_SHIFT)     \
	X(KVM_REG_ARM64_SYSREG_CRN_MASK) X(KVM_REG_ARM64_SYSREG_CRN_SHIFT)     \
	X(KVM_REG_ARM64_SYSREG_CRM_MASK) X(KVM_REG_ARM64_SYSREG_CRM_SHIFT)     \
	X(KVM_REG_ARM64_SYSREG_OP2_MASK) X(KVM_REG_ARM64_SYSREG_OP2_SHIFT)     \
	X(ARM64_SYS_REG(3, 0, 0, 0, 5)) X(KVM_REG_ARM_TIMER_CTL)               \
	X(KVM_REG_ARM_TIMER_CNT) X(KVM_REG_ARM_TIMER_CVAL)                     \
	X(KVM_REG_ARM_CORE_REG(regs.regs[1])) X(KVM_REG_ARM_CORE_REG(regs.pc)) \
	X(KVM_REG_ARM_CORE_REG(regs.pstate)) X(KVM_REG_ARM_CORE_REG(sp_el1))   \
	X(KVM_REG_ARM_CORE_REG(spsr[4])) X(KVM_REG_ARM_CORE_REG(fp_regs.fpcr)) \
	X(KVM_NR_SPSR) X(KVM_PSCI_FN_BASE) X(KVM_PSCI_FN_CPU_SUSPEND)          \
	X(KVM_PSCI_FN_CPU_OFF) X(KVM_PSCI_FN_CPU_ON) X(KVM_PSCI_FN_MIGRATE)    \
	X(PSR_MODE_EL0t) X(PSR_MODE_EL1t) X(PSR_MODE_EL1h) X(PSR_MODE_EL2t)    \
	X(PSR_MODE_EL2h) X(PSR_MODE_EL3t) X(PSR_MODE_EL3h) X(PSR_MODE_MASK)    \
	X(PSR_MODE32_BIT) X(PSR_F_BIT) X(PSR_I_BIT) X(PSR_A_BIT) X(PSR_D_BIT)

#define UAPI_PPC(X)                                                            \
	X(KVM_DEV_MPIC_GRP_MISC) X(KVM_DEV_MPIC_BASE_ADDR)                     \
	X(KVM_DEV_MPIC_GRP_REGISTER) X(KVM_DEV_MPIC_GRP_IRQ_ACTIVE)            \
	X(KVM_DEV_XICS_GRP_SOURCES) X(KVM_XICS_DESTINATION_SHIFT)              \
	X(KVM_XICS_DESTINATION_MASK) X(KVM_XICS_PRIORITY_SHIFT)                \
	X(KVM_XICS_PRIORITY_MASK) X(KVM_XICS_LEVEL_SENSITIVE)                  \
	X(KVM_XICS_MASKED) X(KVM_XICS_PENDING) X(KVM_INTERRUPT_SET)            \
	X(KVM_INTERRUPT_UNSET) X(KVM_INTERRUPT_SET_LEVEL)                      \
	X(KVM_REG_PPC_ICP_STATE) X(KVM_REG_PPC_ICP_CPPR_SHIFT)                 \
	X(KVM_REG_PPC_ICP_CPPR_MASK) X(KVM_REG_PPC_ICP_XISR_SHIFT)             \
	X(KVM_REG_PPC_ICP_XISR_MASK) X(KVM_REG_PPC_ICP_MFRR_SHIFT)             \
	X(KVM_REG_PPC_ICP_MFRR_MASK) X(KVM_REG_PPC_ICP_PPRI_SHIFT)             \
	X(KVM_REG_PPC_ICP_PPRI_MASK) X(KVM_REG_PPC_MAS0)

#define UAPI_S390(X)                                                           \
	X(KVM_DEV_FLIC_GET_ALL_IRQS) X(KVM_DEV_FLIC_ENQUEUE)                   \
	X(KVM_DEV_FLIC_CLEAR_IRQS) X(KVM_DEV_FLIC_APF_ENABLE)                  \
	X(KVM_DEV_FLIC_APF_DISABLE_WAIT) X(KVM_DEV_FLIC_ADAPTER_REGISTER)      \
	X(KVM_DEV_FLIC_ADAPTER_MODIFY) X(KVM_S390_FLIC_MAX_BUFFER)             \
	X(KVM_S390_IO_ADAPTER_MASK) X(KVM_S390_IO_ADAPTER_MAP)                 \
	X(KVM_S390_IO_ADAPTER_UNMAP) X(KVM_S390_VM_MEM_CTRL)                   \
	X(KVM_S390_VM_MEM_ENABLE_CMMA) X(KVM_S390_VM_MEM_CLR_CMMA)             \
	X(KVM_S390_VM_MEM_LIMIT_SIZE) X(KVM_S390_VM_TOD)                       \
	X(KVM_S390_VM_TOD_LOW) X(KVM_S390_VM_TOD_HIGH) X(KVM_S390_VM_CRYPTO)   \
	X(KVM_S390_VM_CRYPTO_ENABLE_AES_KW) X(KVM_S390_VM_CRYPTO_ENABLE_DEA_KW) \
	X(KVM_S390_VM_CRYPTO_DISABLE_AES_KW)                                   \
	X(KVM_S390_VM_CRYPTO_DISABLE_DEA_KW) X(KVM_S390_VM_CPU_MODEL)          \
	X(KVM_S390_VM_CPU_PROCESSOR) X(KVM_S390_VM_CPU_MACHINE)

/* Table builders. */
#define UAPI_V(n) { #n, (uint64_t)(n) },
#define UAPI_S(s) { "sizeof(struct " #s ")", sizeof(struct s) },
#define UAPI_O(s, f) { "offsetof(struct " #s ", " #f ")", __builtin_offsetof(struct s, f) },

#endif
