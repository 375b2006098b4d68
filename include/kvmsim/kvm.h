/* SPDX-License-Identifier: MIT */
/*
 * kvmsim/kvm.h — the Linux KVM device-control and interrupt-injection UAPI
 * as kvmsim implements it: names and values of Linux 4.4 (see
 * ../shared/spec/kvm-api.md), for the arm64, ppc, s390 and x86 hosts in one
 * header. Self-contained: it includes no Linux header and compiles on any
 * host, as C or C++.
 *
 * Request numbers use the generic ioctl encoding (x86, arm64, s390);
 * kvmsim_ppc_request() gives the powerpc encoding of the same request,
 * which a ppc handle of kvmsim_ioctl() also accepts.
 *
 * Values are checked against Debian's linux-libc-dev (x86) and
 * linux-libc-dev-{arm64,s390x,ppc64el}-cross headers by tests/test_kvm_uapi.c;
 * the few names whose value changed after 4.4 are listed there with why.
 */
#ifndef KVMSIM_KVM_H
#define KVMSIM_KVM_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The Linux release whose UAPI this header reproduces. */
#define KVMSIM_KVM_UAPI_LINUX "4.4"

#define KVM_API_VERSION 12
#define KVMIO 0xAE

/* ---- ioctl encoding (asm-generic/ioctl.h; private helper names) --------- */

#define KVMSIM_IOC_NONE 0U
#define KVMSIM_IOC_WRITE 1U
#define KVMSIM_IOC_READ 2U
#define KVMSIM_IOC(dir, nr, size)                                              \
	((unsigned int)(((dir) << 30) | ((unsigned int)(size) << 16) |          \
			(KVMIO << 8) | (nr)))
#define KVMSIM_IO(nr) KVMSIM_IOC(KVMSIM_IOC_NONE, nr, 0)
#define KVMSIM_IOW(nr, type) KVMSIM_IOC(KVMSIM_IOC_WRITE, nr, sizeof(type))
#define KVMSIM_IOR(nr, type) KVMSIM_IOC(KVMSIM_IOC_READ, nr, sizeof(type))
#define KVMSIM_IOWR(nr, type)                                                  \
	KVMSIM_IOC(KVMSIM_IOC_READ | KVMSIM_IOC_WRITE, nr, sizeof(type))

/**
 * kvmsim_ppc_request() - the powerpc encoding of a generic request number.
 *
 * powerpc keeps the direction in bits 29-31 (none 1, read 2, write 4) and
 * the size in bits 16-28 (arch/powerpc/include/uapi/asm/ioctl.h).
 */
static inline unsigned int kvmsim_ppc_request(unsigned int generic)
{
	static const unsigned int ppc_dir[4] = { 1, 4, 2, 6 };

	return (ppc_dir[generic >> 30] << 29) | (generic & 0x1fffffffU);
}

/* ---- structures (layouts byte-identical to Linux) ------------------------ */

struct kvm_create_device {
	uint32_t type;  /* in: KVM_DEV_TYPE_* */
	uint32_t fd;    /* out: device fd */
	uint32_t flags; /* in: KVM_CREATE_DEVICE_TEST */
};

struct kvm_device_attr {
	uint32_t flags; /* no flags defined */
	uint32_t group; /* device-defined */
	uint64_t attr;  /* group-defined */
	uint64_t addr;  /* user address of the payload */
};

struct kvm_irq_level {
	union {
		uint32_t irq;  /* GSI, or the ARM irq encoding */
		int32_t status; /* KVM_IRQ_LINE_STATUS result */
	};
	uint32_t level; /* 1 asserted, 0 deasserted */
};

struct kvm_pic_state {
	uint8_t last_irr; /* edge detection */
	uint8_t irr;      /* interrupt request register */
	uint8_t imr;      /* interrupt mask register */
	uint8_t isr;      /* interrupt service register */
	uint8_t priority_add; /* highest irq priority */
	uint8_t irq_base;
	uint8_t read_reg_select;
	uint8_t poll;
	uint8_t special_mask;
	uint8_t init_state;
	uint8_t auto_eoi;
	uint8_t rotate_on_auto_eoi;
	uint8_t special_fully_nested_mode;
	uint8_t init4; /* true if 4 byte init */
	uint8_t elcr;  /* PIIX edge/trigger selection */
	uint8_t elcr_mask;
};

#define KVM_IOAPIC_NUM_PINS 24
struct kvm_ioapic_state {
	uint64_t base_address;
	uint32_t ioregsel;
	uint32_t id;
	uint32_t irr;
	uint32_t pad;
	union {
		uint64_t bits;
		struct {
			uint8_t vector;
			uint8_t delivery_mode : 3;
			uint8_t dest_mode : 1;
			uint8_t delivery_status : 1;
			uint8_t polarity : 1;
			uint8_t remote_irr : 1;
			uint8_t trig_mode : 1;
			uint8_t mask : 1;
			uint8_t reserve : 7;
			uint8_t reserved[4];
			uint8_t dest_id;
		} fields;
	} redirtbl[KVM_IOAPIC_NUM_PINS];
};

/* x86: KVM_GET_IRQCHIP / KVM_SET_IRQCHIP */
#define KVM_IRQCHIP_PIC_MASTER 0
#define KVM_IRQCHIP_PIC_SLAVE 1
#define KVM_IRQCHIP_IOAPIC 2
struct kvm_irqchip {
	uint32_t chip_id;
	uint32_t pad;
	union {
		char dummy[512];
		struct kvm_pic_state pic;
		struct kvm_ioapic_state ioapic;
	} chip;
};

/* GSI routing */
#define KVM_IRQ_ROUTING_IRQCHIP 1
#define KVM_IRQ_ROUTING_MSI 2
#define KVM_IRQ_ROUTING_S390_ADAPTER 3

struct kvm_irq_routing_irqchip {
	uint32_t irqchip;
	uint32_t pin;
};

struct kvm_irq_routing_msi {
	uint32_t address_lo;
	uint32_t address_hi;
	uint32_t data;
	uint32_t pad;
};

struct kvm_irq_routing_s390_adapter {
	uint64_t ind_addr;
	uint64_t summary_addr;
	uint64_t ind_offset;
	uint32_t summary_offset;
	uint32_t adapter_id;
};

struct kvm_irq_routing_entry {
	uint32_t gsi;
	uint32_t type;
	uint32_t flags; /* must be 0 */
	uint32_t pad;
	union {
		struct kvm_irq_routing_irqchip irqchip;
		struct kvm_irq_routing_msi msi;
		struct kvm_irq_routing_s390_adapter adapter;
		uint32_t pad[8];
	} u;
};

struct kvm_irq_routing {
	uint32_t nr;
	uint32_t flags; /* must be 0 */
	struct kvm_irq_routing_entry entries[];
};

/* ioeventfd: a guest's write to an address signals an eventfd */
enum {
	kvm_ioeventfd_flag_nr_datamatch,
	kvm_ioeventfd_flag_nr_pio,
	kvm_ioeventfd_flag_nr_deassign,
	kvm_ioeventfd_flag_nr_virtio_ccw_notify,
	kvm_ioeventfd_flag_nr_fast_mmio,
	kvm_ioeventfd_flag_nr_max,
};
#define KVM_IOEVENTFD_FLAG_DATAMATCH (1 << kvm_ioeventfd_flag_nr_datamatch)
#define KVM_IOEVENTFD_FLAG_PIO (1 << kvm_ioeventfd_flag_nr_pio)
#define KVM_IOEVENTFD_FLAG_DEASSIGN (1 << kvm_ioeventfd_flag_nr_deassign)
#define KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY (1 << kvm_ioeventfd_flag_nr_virtio_ccw_notify)
#define KVM_IOEVENTFD_VALID_FLAG_MASK ((1 << kvm_ioeventfd_flag_nr_max) - 1)
struct kvm_ioeventfd {
	uint64_t datamatch;
	uint64_t addr; /* a PIO or MMIO address */
	uint32_t len;  /* 1, 2, 4 or 8 bytes; 0: any */
	int32_t fd;
	uint32_t flags;
	uint8_t pad[36];
};

/* irqfd */
#define KVM_IRQFD_FLAG_DEASSIGN (1 << 0)
#define KVM_IRQFD_FLAG_RESAMPLE (1 << 1)
struct kvm_irqfd {
	uint32_t fd;
	uint32_t gsi;
	uint32_t flags;
	uint32_t resamplefd;
	uint8_t pad[16];
};

struct kvm_msi {
	uint32_t address_lo;
	uint32_t address_hi;
	uint32_t data;
	uint32_t flags; /* must be 0 */
	uint8_t pad[16];
};

struct kvm_enable_cap {
	uint32_t cap;
	uint32_t flags; /* must be 0 */
	uint64_t args[4];
	uint8_t pad[64];
};

struct kvm_one_reg {
	uint64_t id;
	uint64_t addr;
};

struct kvm_interrupt {
	uint32_t irq;
};

/* arm, arm64 */
struct kvm_arm_device_addr {
	uint64_t id;
	uint64_t addr;
};

struct kvm_vcpu_init {
	uint32_t target;
	uint32_t features[7];
};

/* s390 */
struct kvm_s390_interrupt {
	uint32_t type;
	uint32_t parm;
	uint64_t parm64;
};

struct kvm_s390_io_info {
	uint16_t subchannel_id;
	uint16_t subchannel_nr;
	uint32_t io_int_parm;
	uint32_t io_int_word;
};

struct kvm_s390_ext_info {
	uint32_t ext_params;
	uint32_t pad;
	uint64_t ext_params2;
};

struct kvm_s390_pgm_info {
	uint64_t trans_exc_code;
	uint64_t mon_code;
	uint64_t per_address;
	uint32_t data_exc_code;
	uint16_t code;
	uint16_t mon_class_nr;
	uint8_t per_code;
	uint8_t per_atmid;
	uint8_t exc_access_id;
	uint8_t per_access_id;
	uint8_t op_access_id;
	uint8_t pad[3];
};

struct kvm_s390_prefix_info {
	uint32_t address;
};

struct kvm_s390_extcall_info {
	uint16_t code;
};

struct kvm_s390_emerg_info {
	uint16_t code;
};

#define KVM_S390_STOP_FLAG_STORE_STATUS 0x01
struct kvm_s390_stop_info {
	uint32_t flags;
};

struct kvm_s390_mchk_info {
	uint64_t cr14;
	uint64_t mcic;
	uint64_t failing_storage_address;
	uint32_t ext_damage_code;
	uint32_t pad;
	uint8_t fixed_logout[16];
};

struct kvm_s390_irq {
	uint64_t type;
	union {
		struct kvm_s390_io_info io;
		struct kvm_s390_ext_info ext;
		struct kvm_s390_pgm_info pgm;
		struct kvm_s390_emerg_info emerg;
		struct kvm_s390_extcall_info extcall;
		struct kvm_s390_prefix_info prefix;
		struct kvm_s390_stop_info stop;
		struct kvm_s390_mchk_info mchk;
		char reserved[64];
	} u;
};

struct kvm_s390_irq_state {
	uint64_t buf;
	uint32_t flags;
	uint32_t len;
	uint32_t reserved[4];
};

struct kvm_s390_io_adapter {
	uint32_t id;
	uint8_t isc;
	uint8_t maskable;
	uint8_t swap;
	uint8_t pad; /* later: flags */
};

#define KVM_S390_IO_ADAPTER_MASK 1
#define KVM_S390_IO_ADAPTER_MAP 2
#define KVM_S390_IO_ADAPTER_UNMAP 3
struct kvm_s390_io_adapter_req {
	uint32_t id;
	uint8_t type;
	uint8_t mask;
	uint16_t pad0;
	uint64_t addr;
};

struct kvm_s390_vm_cpu_processor {
	uint64_t cpuid;
	uint16_t ibc;
	uint8_t pad[6];
	uint64_t fac_list[256];
};

struct kvm_s390_vm_cpu_machine {
	uint64_t cpuid;
	uint32_t ibc;
	uint8_t pad[4];
	uint64_t fac_mask[256];
	uint64_t fac_list[256];
};

/* ---- a vCPU's run state: struct kvm_run (api.txt §5, kvm-api.md §9.1) --- */

/* Why KVM_RUN returned (kvm_run.exit_reason), 4.4's numbering. */
#define KVM_EXIT_UNKNOWN 0
#define KVM_EXIT_EXCEPTION 1
#define KVM_EXIT_IO 2
#define KVM_EXIT_HYPERCALL 3
#define KVM_EXIT_DEBUG 4
#define KVM_EXIT_HLT 5
#define KVM_EXIT_MMIO 6
#define KVM_EXIT_IRQ_WINDOW_OPEN 7
#define KVM_EXIT_SHUTDOWN 8
#define KVM_EXIT_FAIL_ENTRY 9
#define KVM_EXIT_INTR 10
#define KVM_EXIT_SET_TPR 11
#define KVM_EXIT_TPR_ACCESS 12
#define KVM_EXIT_S390_SIEIC 13
#define KVM_EXIT_S390_RESET 14
#define KVM_EXIT_DCR 15
#define KVM_EXIT_NMI 16
#define KVM_EXIT_INTERNAL_ERROR 17
#define KVM_EXIT_OSI 18
#define KVM_EXIT_PAPR_HCALL 19
#define KVM_EXIT_S390_UCONTROL 20
#define KVM_EXIT_WATCHDOG 21
#define KVM_EXIT_S390_TSCH 22
#define KVM_EXIT_EPR 23
#define KVM_EXIT_SYSTEM_EVENT 24
#define KVM_EXIT_S390_STSI 25
#define KVM_EXIT_IOAPIC_EOI 26

#define KVM_EXIT_IO_IN 0
#define KVM_EXIT_IO_OUT 1

/* kvm_run.system_event.type */
#define KVM_SYSTEM_EVENT_SHUTDOWN 1
#define KVM_SYSTEM_EVENT_RESET 2
#define KVM_SYSTEM_EVENT_CRASH 3

/*
 * struct kvm_run - the page at offset 0 of a vCPU's mapping
 * (kvmsim_mmap(), KVM_GET_VCPU_MMAP_SIZE): why KVM_RUN returned, and the
 * exit's data. The layout of every architecture but s390, whose two PSW
 * words after apic_base move the union by 16 bytes (s390 vCPUs do not run
 * in kvmsim). Of the exits' union members, those of the exits kvmsim makes
 * and a few common ones are declared; the union keeps Linux's 256 bytes.
 * 4.4 has no immediate_exit (4.11 took a byte of padding1) and no sync
 * registers on arm64 (kvm_valid_regs stays 0).
 */
struct kvm_run {
	/* in */
	uint8_t request_interrupt_window;
	uint8_t padding1[7];

	/* out */
	uint32_t exit_reason;
	uint8_t ready_for_interrupt_injection;
	uint8_t if_flag;
	uint16_t flags;

	/* in (pre_kvm_run), out (post_kvm_run) */
	uint64_t cr8;
	uint64_t apic_base;

	union {
		/* KVM_EXIT_UNKNOWN */
		struct {
			uint64_t hardware_exit_reason;
		} hw;
		/* KVM_EXIT_FAIL_ENTRY */
		struct {
			uint64_t hardware_entry_failure_reason;
		} fail_entry;
		/* KVM_EXIT_EXCEPTION */
		struct {
			uint32_t exception;
			uint32_t error_code;
		} ex;
		/* KVM_EXIT_IO */
		struct {
			uint8_t direction;
			uint8_t size; /* bytes */
			uint16_t port;
			uint32_t count;
			uint64_t data_offset; /* relative to kvm_run start */
		} io;
		/* KVM_EXIT_MMIO */
		struct {
			uint64_t phys_addr;
			uint8_t data[8];
			uint32_t len;
			uint8_t is_write;
		} mmio;
		/* KVM_EXIT_HYPERCALL */
		struct {
			uint64_t nr;
			uint64_t args[6];
			uint64_t ret;
			uint32_t longmode;
			uint32_t pad;
		} hypercall;
		/* KVM_EXIT_INTERNAL_ERROR */
		struct {
			uint32_t suberror;
			uint32_t ndata;
			uint64_t data[16];
		} internal;
		/* KVM_EXIT_PAPR_HCALL */
		struct {
			uint64_t nr;
			uint64_t ret;
			uint64_t args[9];
		} papr_hcall;
		/* KVM_EXIT_EPR */
		struct {
			uint32_t epr;
		} epr;
		/* KVM_EXIT_SYSTEM_EVENT */
		struct {
			uint32_t type;
			uint64_t flags;
		} system_event;
		/* KVM_EXIT_IOAPIC_EOI */
		struct {
			uint8_t vector;
		} eoi;
		/* Fix the size of the union. */
		char padding[256];
	};

	/* shared registers (struct kvm_sync_regs): none on arm64 in 4.4 */
	uint64_t kvm_valid_regs;
	uint64_t kvm_dirty_regs;
	union {
		char padding[2048];
	} s;
};

/* ---- ONE_REG lists (api.txt §4.84) ------------------------------------------ */

struct kvm_reg_list {
	uint64_t n; /* in: room in reg[]; out: how many registers there are */
	uint64_t reg[];
};

/* ---- arm64 vCPU registers for ONE_REG (asm/kvm.h, asm/ptrace.h) ---------- */

/*
 * struct kvm_regs - arm64's, which the KVM_REG_ARM_CORE ids index in
 * 32-bit words (KVM_REG_ARM_CORE_REG()). kvm.h serves four architectures
 * in one header and reproduces only this one's kvm_regs, the one kvmsim's
 * vCPUs have.
 */
struct user_pt_regs {
	uint64_t regs[31];
	uint64_t sp;
	uint64_t pc;
	uint64_t pstate;
};

struct user_fpsimd_state {
	/* __uint128_t vregs[32] in Linux: 16-byte aligned, low half first */
	uint64_t vregs[32][2] __attribute__((aligned(16)));
	uint32_t fpsr;
	uint32_t fpcr;
};

#define KVM_NR_SPSR 5

struct kvm_regs {
	struct user_pt_regs regs; /* sp = sp_el0 */
	uint64_t sp_el1;
	uint64_t elr_el1;
	uint64_t spsr[KVM_NR_SPSR];
	struct user_fpsimd_state fp_regs;
};

/* PSTATE (asm/ptrace.h) */
#define PSR_MODE_EL0t 0x00000000
#define PSR_MODE_EL1t 0x00000004
#define PSR_MODE_EL1h 0x00000005
#define PSR_MODE_EL2t 0x00000008
#define PSR_MODE_EL2h 0x00000009
#define PSR_MODE_EL3t 0x0000000c
#define PSR_MODE_EL3h 0x0000000d
#define PSR_MODE_MASK 0x0000000f
#define PSR_MODE32_BIT 0x00000010
#define PSR_F_BIT 0x00000040
#define PSR_I_BIT 0x00000080
#define PSR_A_BIT 0x00000100
#define PSR_D_BIT 0x00000200

#define KVM_REG_ARM_COPROC_MASK 0x000000000FFF0000ULL
#define KVM_REG_ARM_COPROC_SHIFT 16
#define KVM_REG_ARM_CORE (0x0010 << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM_CORE_REG(name)                                             \
	(__builtin_offsetof(struct kvm_regs, name) / sizeof(uint32_t))
#define KVM_REG_ARM_DEMUX (0x0011 << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM64_SYSREG (0x0013 << KVM_REG_ARM_COPROC_SHIFT)
#define KVM_REG_ARM64_SYSREG_OP0_MASK 0x000000000000c000ULL
#define KVM_REG_ARM64_SYSREG_OP0_SHIFT 14
#define KVM_REG_ARM64_SYSREG_OP1_MASK 0x0000000000003800ULL
#define KVM_REG_ARM64_SYSREG_OP1_SHIFT 11
#define KVM_REG_ARM64_SYSREG_CRN_MASK 0x0000000000000780ULL
#define KVM_REG_ARM64_SYSREG_CRN_SHIFT 7
#define KVM_REG_ARM64_SYSREG_CRM_MASK 0x0000000000000078ULL
#define KVM_REG_ARM64_SYSREG_CRM_SHIFT 3
#define KVM_REG_ARM64_SYSREG_OP2_MASK 0x0000000000000007ULL
#define KVM_REG_ARM64_SYSREG_OP2_SHIFT 0

/* The id of a 64-bit system register, as asm/kvm.h's ARM64_SYS_REG(). */
#define KVMSIM_SYSREG_FIELD(x, n)                                              \
	(((uint64_t)(x) << KVM_REG_ARM64_SYSREG_##n##_SHIFT) &                 \
	 KVM_REG_ARM64_SYSREG_##n##_MASK)
#define ARM64_SYS_REG(op0, op1, crn, crm, op2)                                 \
	(KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM64_SYSREG |             \
	 KVMSIM_SYSREG_FIELD(op0, OP0) | KVMSIM_SYSREG_FIELD(op1, OP1) |       \
	 KVMSIM_SYSREG_FIELD(crn, CRN) | KVMSIM_SYSREG_FIELD(crm, CRM) |       \
	 KVMSIM_SYSREG_FIELD(op2, OP2))

/* The virtual timer. CNT and CVAL carry each other's encoding, a slip
 * kept as ABI ever since (CNTVCT_EL0 is 3,3,14,0,2 and CNTV_CVAL_EL0
 * 3,3,14,3,2). */
#define KVM_REG_ARM_TIMER_CTL ARM64_SYS_REG(3, 3, 14, 3, 1)
#define KVM_REG_ARM_TIMER_CNT ARM64_SYS_REG(3, 3, 14, 3, 2)
#define KVM_REG_ARM_TIMER_CVAL ARM64_SYS_REG(3, 3, 14, 0, 2)

/* ---- PSCI, as KVM serves it to arm64 guests (asm/kvm.h, linux/psci.h) ---- */

/* PSCI 0.1: KVM's own function numbers (vCPUs without KVM_ARM_VCPU_PSCI_0_2) */
#define KVM_PSCI_FN_BASE 0x95c1ba5e
#define KVM_PSCI_FN(n) (KVM_PSCI_FN_BASE + (n))
#define KVM_PSCI_FN_CPU_SUSPEND KVM_PSCI_FN(0)
#define KVM_PSCI_FN_CPU_OFF KVM_PSCI_FN(1)
#define KVM_PSCI_FN_CPU_ON KVM_PSCI_FN(2)
#define KVM_PSCI_FN_MIGRATE KVM_PSCI_FN(3)

/* PSCI 0.2: the standard function ids (SMC32 and SMC64 conventions) */
#define PSCI_0_2_FN_BASE 0x84000000
#define PSCI_0_2_FN(n) (PSCI_0_2_FN_BASE + (n))
#define PSCI_0_2_64BIT 0x40000000
#define PSCI_0_2_FN64_BASE (PSCI_0_2_FN_BASE + PSCI_0_2_64BIT)
#define PSCI_0_2_FN64(n) (PSCI_0_2_FN64_BASE + (n))
#define PSCI_0_2_FN_PSCI_VERSION PSCI_0_2_FN(0)
#define PSCI_0_2_FN_CPU_SUSPEND PSCI_0_2_FN(1)
#define PSCI_0_2_FN_CPU_OFF PSCI_0_2_FN(2)
#define PSCI_0_2_FN_CPU_ON PSCI_0_2_FN(3)
#define PSCI_0_2_FN_AFFINITY_INFO PSCI_0_2_FN(4)
#define PSCI_0_2_FN_MIGRATE PSCI_0_2_FN(5)
#define PSCI_0_2_FN_MIGRATE_INFO_TYPE PSCI_0_2_FN(6)
#define PSCI_0_2_FN_MIGRATE_INFO_UP_CPU PSCI_0_2_FN(7)
#define PSCI_0_2_FN_SYSTEM_OFF PSCI_0_2_FN(8)
#define PSCI_0_2_FN_SYSTEM_RESET PSCI_0_2_FN(9)
#define PSCI_0_2_FN64_CPU_SUSPEND PSCI_0_2_FN64(1)
#define PSCI_0_2_FN64_CPU_ON PSCI_0_2_FN64(3)
#define PSCI_0_2_FN64_AFFINITY_INFO PSCI_0_2_FN64(4)
#define PSCI_0_2_FN64_MIGRATE PSCI_0_2_FN64(5)
#define PSCI_0_2_FN64_MIGRATE_INFO_UP_CPU PSCI_0_2_FN64(7)
#define PSCI_0_2_AFFINITY_LEVEL_ON 0
#define PSCI_0_2_AFFINITY_LEVEL_OFF 1
#define PSCI_0_2_AFFINITY_LEVEL_ON_PENDING 2
#define PSCI_0_2_TOS_UP_MIGRATE 0
#define PSCI_0_2_TOS_UP_NO_MIGRATE 1
#define PSCI_0_2_TOS_MP 2
#define PSCI_VERSION_MAJOR_SHIFT 16
#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED -1
#define PSCI_RET_INVALID_PARAMS -2
#define PSCI_RET_DENIED -3
#define PSCI_RET_ALREADY_ON -4
#define PSCI_RET_ON_PENDING -5
#define PSCI_RET_INTERNAL_FAILURE -6
#define PSCI_RET_NOT_PRESENT -7
#define PSCI_RET_DISABLED -8

/* ---- request numbers (§1.2) --------------------------------------------- */

#define KVM_GET_API_VERSION KVMSIM_IO(0x00)
#define KVM_CREATE_VM KVMSIM_IO(0x01)
#define KVM_CHECK_EXTENSION KVMSIM_IO(0x03)
#define KVM_GET_VCPU_MMAP_SIZE KVMSIM_IO(0x04)
#define KVM_CREATE_VCPU KVMSIM_IO(0x41)
#define KVM_CREATE_IRQCHIP KVMSIM_IO(0x60)
#define KVM_IRQ_LINE KVMSIM_IOW(0x61, struct kvm_irq_level)
#define KVM_GET_IRQCHIP KVMSIM_IOWR(0x62, struct kvm_irqchip)
#define KVM_SET_IRQCHIP KVMSIM_IOR(0x63, struct kvm_irqchip)
#define KVM_IRQ_LINE_STATUS KVMSIM_IOWR(0x67, struct kvm_irq_level)
#define KVM_SET_GSI_ROUTING KVMSIM_IOW(0x6a, struct kvm_irq_routing)
#define KVM_IRQFD KVMSIM_IOW(0x76, struct kvm_irqfd)
#define KVM_IOEVENTFD KVMSIM_IOW(0x79, struct kvm_ioeventfd)
#define KVM_RUN KVMSIM_IO(0x80)
#define KVM_INTERRUPT KVMSIM_IOW(0x86, struct kvm_interrupt)
#define KVM_S390_INTERRUPT KVMSIM_IOW(0x94, struct kvm_s390_interrupt)
#define KVM_ENABLE_CAP KVMSIM_IOW(0xa3, struct kvm_enable_cap)
#define KVM_SIGNAL_MSI KVMSIM_IOW(0xa5, struct kvm_msi)
#define KVM_ARM_SET_DEVICE_ADDR KVMSIM_IOW(0xab, struct kvm_arm_device_addr)
#define KVM_GET_ONE_REG KVMSIM_IOW(0xab, struct kvm_one_reg)
#define KVM_SET_ONE_REG KVMSIM_IOW(0xac, struct kvm_one_reg)
#define KVM_ARM_VCPU_INIT KVMSIM_IOW(0xae, struct kvm_vcpu_init)
#define KVM_ARM_PREFERRED_TARGET KVMSIM_IOR(0xaf, struct kvm_vcpu_init)
#define KVM_GET_REG_LIST KVMSIM_IOWR(0xb0, struct kvm_reg_list)
#define KVM_S390_IRQ KVMSIM_IOW(0xb4, struct kvm_s390_irq)
#define KVM_S390_SET_IRQ_STATE KVMSIM_IOW(0xb5, struct kvm_s390_irq_state)
#define KVM_S390_GET_IRQ_STATE KVMSIM_IOW(0xb6, struct kvm_s390_irq_state)
#define KVM_CREATE_DEVICE KVMSIM_IOWR(0xe0, struct kvm_create_device)
#define KVM_SET_DEVICE_ATTR KVMSIM_IOW(0xe1, struct kvm_device_attr)
#define KVM_GET_DEVICE_ATTR KVMSIM_IOW(0xe2, struct kvm_device_attr)
#define KVM_HAS_DEVICE_ATTR KVMSIM_IOW(0xe3, struct kvm_device_attr)

/* KVM_CREATE_VM machine types */
#define KVM_VM_S390_UCONTROL 1
#define KVM_VM_PPC_HV 1
#define KVM_VM_PPC_PR 2

/* ---- capabilities (§10; values never change) ----------------------------- */

#define KVM_CAP_IRQCHIP 0
#define KVM_CAP_NR_VCPUS 9
#define KVM_CAP_IRQ_ROUTING 25
#define KVM_CAP_IRQ_INJECT_STATUS 26
#define KVM_CAP_IRQFD 32
#define KVM_CAP_PPC_UNSET_IRQ 53
#define KVM_CAP_ENABLE_CAP 54
#define KVM_CAP_PPC_IRQ_LEVEL 58
#define KVM_CAP_MAX_VCPUS 66
#define KVM_CAP_ONE_REG 70
#define KVM_CAP_SIGNAL_MSI 77
#define KVM_CAP_IRQFD_RESAMPLE 82
#define KVM_CAP_PPC_EPR 86
#define KVM_CAP_ARM_PSCI 87
#define KVM_CAP_ARM_SET_DEVICE_ADDR 88
#define KVM_CAP_DEVICE_CTRL 89
#define KVM_CAP_IRQ_MPIC 90
#define KVM_CAP_PPC_RTAS 91
#define KVM_CAP_IRQ_XICS 92
#define KVM_CAP_ARM_EL1_32BIT 93
#define KVM_CAP_IOAPIC_POLARITY_IGNORED 97
#define KVM_CAP_ENABLE_CAP_VM 98
#define KVM_CAP_S390_IRQCHIP 99
#define KVM_CAP_VM_ATTRIBUTES 101
#define KVM_CAP_ARM_PSCI_0_2 102
#define KVM_CAP_CHECK_EXTENSION_VM 105
#define KVM_CAP_S390_INJECT_IRQ 113
#define KVM_CAP_S390_IRQ_STATE 114
#define KVM_CAP_SPLIT_IRQCHIP 121
/* Added after 4.4: a 4.4 host reports 0 for each. */
#define KVM_CAP_HYPERV_SYNIC 123
#define KVM_CAP_VCPU_ATTRIBUTES 127
#define KVM_CAP_MAX_VCPU_ID 128
#define KVM_CAP_MSI_DEVID 131
#define KVM_CAP_S390_AIS 141
#define KVM_CAP_ARM_USER_IRQ 144
#define KVM_CAP_S390_AIS_MIGRATION 150
#define KVM_CAP_PPC_IRQ_XIVE 169
#define KVM_CAP_ARM_IRQ_LINE_LAYOUT_2 174

/* ---- the device API (§2) ------------------------------------------------ */

#define KVM_CREATE_DEVICE_TEST 1

enum kvm_device_type {
	KVM_DEV_TYPE_FSL_MPIC_20 = 1,
#define KVM_DEV_TYPE_FSL_MPIC_20 KVM_DEV_TYPE_FSL_MPIC_20
	KVM_DEV_TYPE_FSL_MPIC_42,
#define KVM_DEV_TYPE_FSL_MPIC_42 KVM_DEV_TYPE_FSL_MPIC_42
	KVM_DEV_TYPE_XICS,
#define KVM_DEV_TYPE_XICS KVM_DEV_TYPE_XICS
	KVM_DEV_TYPE_VFIO,
#define KVM_DEV_TYPE_VFIO KVM_DEV_TYPE_VFIO
	KVM_DEV_TYPE_ARM_VGIC_V2,
#define KVM_DEV_TYPE_ARM_VGIC_V2 KVM_DEV_TYPE_ARM_VGIC_V2
	KVM_DEV_TYPE_FLIC,
#define KVM_DEV_TYPE_FLIC KVM_DEV_TYPE_FLIC
	KVM_DEV_TYPE_ARM_VGIC_V3,
#define KVM_DEV_TYPE_ARM_VGIC_V3 KVM_DEV_TYPE_ARM_VGIC_V3
	KVM_DEV_TYPE_MAX, /* 8 in 4.4: every type >= 8 is ENODEV */
};

/* VFIO (§6) */
#define KVM_DEV_VFIO_GROUP 1
#define KVM_DEV_VFIO_GROUP_ADD 1
#define KVM_DEV_VFIO_GROUP_DEL 2

/* ---- arm, arm64: VGIC and KVM_IRQ_LINE (§3, §9.3) ------------------------ */

/* 4.4 spelled the masks (0xffff << shift): for the id that overflows int
 * (undefined, and sign-extends to 64 bits). Later kernels write GENMASK;
 * kvmsim uses that well-defined value, 0xffff0000. */
#define KVM_ARM_DEVICE_TYPE_SHIFT 0
#define KVM_ARM_DEVICE_TYPE_MASK (0xffffUL << KVM_ARM_DEVICE_TYPE_SHIFT)
#define KVM_ARM_DEVICE_ID_SHIFT 16
#define KVM_ARM_DEVICE_ID_MASK (0xffffUL << KVM_ARM_DEVICE_ID_SHIFT)
#define KVM_ARM_DEVICE_VGIC_V2 0

#define KVM_VGIC_V2_ADDR_TYPE_DIST 0
#define KVM_VGIC_V2_ADDR_TYPE_CPU 1
#define KVM_VGIC_V2_DIST_SIZE 0x1000
#define KVM_VGIC_V2_CPU_SIZE 0x2000
#define KVM_VGIC_V3_ADDR_TYPE_DIST 2
#define KVM_VGIC_V3_ADDR_TYPE_REDIST 3
#define KVM_VGIC_V3_DIST_SIZE 0x10000
#define KVM_VGIC_V3_REDIST_SIZE (2 * 0x10000)

#define KVM_DEV_ARM_VGIC_GRP_ADDR 0
#define KVM_DEV_ARM_VGIC_GRP_DIST_REGS 1
#define KVM_DEV_ARM_VGIC_GRP_CPU_REGS 2
#define KVM_DEV_ARM_VGIC_CPUID_SHIFT 32
#define KVM_DEV_ARM_VGIC_CPUID_MASK (0xffULL << KVM_DEV_ARM_VGIC_CPUID_SHIFT)
#define KVM_DEV_ARM_VGIC_OFFSET_SHIFT 0
#define KVM_DEV_ARM_VGIC_OFFSET_MASK (0xffffffffULL << KVM_DEV_ARM_VGIC_OFFSET_SHIFT)
#define KVM_DEV_ARM_VGIC_GRP_NR_IRQS 3
#define KVM_DEV_ARM_VGIC_GRP_CTRL 4
#define KVM_DEV_ARM_VGIC_CTRL_INIT 0

/* KVM_IRQ_LINE irq field: irq_type[31:24] vcpu_index[23:16] irq_id[15:0].
 * The type mask is 0xff in 4.4 (≈5.4 narrowed it to 0xf for LAYOUT_2). */
#define KVM_ARM_IRQ_TYPE_SHIFT 24
#define KVM_ARM_IRQ_TYPE_MASK 0xff
#define KVM_ARM_IRQ_VCPU_SHIFT 16
#define KVM_ARM_IRQ_VCPU_MASK 0xff
#define KVM_ARM_IRQ_NUM_SHIFT 0
#define KVM_ARM_IRQ_NUM_MASK 0xffff
#define KVM_ARM_IRQ_TYPE_CPU 0
#define KVM_ARM_IRQ_TYPE_SPI 1
#define KVM_ARM_IRQ_TYPE_PPI 2
#define KVM_ARM_IRQ_CPU_IRQ 0
#define KVM_ARM_IRQ_CPU_FIQ 1
#define KVM_ARM_IRQ_GIC_MAX 127

/* KVM_ARM_VCPU_INIT targets and feature bits (asm/kvm.h) */
#define KVM_ARM_TARGET_AEM_V8 0
#define KVM_ARM_TARGET_FOUNDATION_V8 1
#define KVM_ARM_TARGET_CORTEX_A57 2
#define KVM_ARM_TARGET_XGENE_POTENZA 3
#define KVM_ARM_TARGET_CORTEX_A53 4
#define KVM_ARM_TARGET_GENERIC_V8 5
#define KVM_ARM_NUM_TARGETS 6
#define KVM_ARM_VCPU_POWER_OFF 0
#define KVM_ARM_VCPU_EL1_32BIT 1
#define KVM_ARM_VCPU_PSCI_0_2 2

/* ---- ppc: MPIC, XICS, ONE_REG (§4, §5, §9.9, §9.10) ---------------------- */

#define KVM_DEV_MPIC_GRP_MISC 1
#define KVM_DEV_MPIC_BASE_ADDR 0 /* 64-bit */
#define KVM_DEV_MPIC_GRP_REGISTER 2 /* 32-bit */
#define KVM_DEV_MPIC_GRP_IRQ_ACTIVE 3 /* 32-bit */

#define KVM_DEV_XICS_GRP_SOURCES 1 /* 64-bit source attributes */
#define KVM_XICS_DESTINATION_SHIFT 0
#define KVM_XICS_DESTINATION_MASK 0xffffffffULL
#define KVM_XICS_PRIORITY_SHIFT 32
#define KVM_XICS_PRIORITY_MASK 0xff
#define KVM_XICS_LEVEL_SENSITIVE (1ULL << 40)
#define KVM_XICS_MASKED (1ULL << 41)
#define KVM_XICS_PENDING (1ULL << 42)

#define KVM_INTERRUPT_SET (-1U)
#define KVM_INTERRUPT_UNSET (-2U)
#define KVM_INTERRUPT_SET_LEVEL (-3U)

#define KVM_REG_ARCH_MASK 0xff00000000000000ULL
#define KVM_REG_GENERIC 0x0000000000000000ULL
#define KVM_REG_PPC 0x1000000000000000ULL
#define KVM_REG_X86 0x2000000000000000ULL
#define KVM_REG_ARM 0x4000000000000000ULL
#define KVM_REG_S390 0x5000000000000000ULL
#define KVM_REG_ARM64 0x6000000000000000ULL
#define KVM_REG_SIZE_SHIFT 52
#define KVM_REG_SIZE_MASK 0x00f0000000000000ULL
#define KVM_REG_SIZE_U8 0x0000000000000000ULL
#define KVM_REG_SIZE_U16 0x0010000000000000ULL
#define KVM_REG_SIZE_U32 0x0020000000000000ULL
#define KVM_REG_SIZE_U64 0x0030000000000000ULL
#define KVM_REG_SIZE_U128 0x0040000000000000ULL

#define KVM_REG_PPC_ICP_STATE (KVM_REG_PPC | KVM_REG_SIZE_U64 | 0x8c)
#define KVM_REG_PPC_ICP_CPPR_SHIFT 56 /* current processor priority */
#define KVM_REG_PPC_ICP_CPPR_MASK 0xff
#define KVM_REG_PPC_ICP_XISR_SHIFT 32 /* interrupt status field */
#define KVM_REG_PPC_ICP_XISR_MASK 0xffffff
#define KVM_REG_PPC_ICP_MFRR_SHIFT 24 /* pending IPI priority */
#define KVM_REG_PPC_ICP_MFRR_MASK 0xff
#define KVM_REG_PPC_ICP_PPRI_SHIFT 16 /* pending irq priority */
#define KVM_REG_PPC_ICP_PPRI_MASK 0xff
#define KVM_REG_PPC_MAS0 (KVM_REG_PPC | KVM_REG_SIZE_U32 | 0x8c)

/* ---- s390: FLIC, VM attributes, interrupt types (§7, §8, §9.8) ----------- */

#define KVM_DEV_FLIC_GET_ALL_IRQS 1
#define KVM_DEV_FLIC_ENQUEUE 2
#define KVM_DEV_FLIC_CLEAR_IRQS 3
#define KVM_DEV_FLIC_APF_ENABLE 4
#define KVM_DEV_FLIC_APF_DISABLE_WAIT 5
#define KVM_DEV_FLIC_ADAPTER_REGISTER 6
#define KVM_DEV_FLIC_ADAPTER_MODIFY 7
#define KVM_S390_FLIC_MAX_BUFFER 0x2000000

#define KVM_S390_VM_MEM_CTRL 0
#define KVM_S390_VM_MEM_ENABLE_CMMA 0
#define KVM_S390_VM_MEM_CLR_CMMA 1
#define KVM_S390_VM_MEM_LIMIT_SIZE 2
#define KVM_S390_VM_TOD 1
#define KVM_S390_VM_TOD_LOW 0
#define KVM_S390_VM_TOD_HIGH 1
#define KVM_S390_VM_CRYPTO 2
#define KVM_S390_VM_CRYPTO_ENABLE_AES_KW 0
#define KVM_S390_VM_CRYPTO_ENABLE_DEA_KW 1
#define KVM_S390_VM_CRYPTO_DISABLE_AES_KW 2
#define KVM_S390_VM_CRYPTO_DISABLE_DEA_KW 3
#define KVM_S390_VM_CPU_MODEL 3
#define KVM_S390_VM_CPU_PROCESSOR 0
#define KVM_S390_VM_CPU_MACHINE 1

#define KVM_S390_SIGP_STOP 0xfffe0000u
#define KVM_S390_PROGRAM_INT 0xfffe0001u
#define KVM_S390_SIGP_SET_PREFIX 0xfffe0002u
#define KVM_S390_RESTART 0xfffe0003u
#define KVM_S390_INT_PFAULT_INIT 0xfffe0004u
#define KVM_S390_INT_PFAULT_DONE 0xfffe0005u
#define KVM_S390_MCHK 0xfffe1000u
#define KVM_S390_INT_CLOCK_COMP 0xffff1004u
#define KVM_S390_INT_CPU_TIMER 0xffff1005u
#define KVM_S390_INT_VIRTIO 0xffff2603u
#define KVM_S390_INT_SERVICE 0xffff2401u
#define KVM_S390_INT_EMERGENCY 0xffff1201u
#define KVM_S390_INT_EXTERNAL_CALL 0xffff1202u
/* Anything below the named types: an I/O interrupt. */
#define KVM_S390_INT_IO(ai, cssid, ssid, schid)                                \
	((((schid)) | ((ssid) << 16) | ((cssid) << 18) | ((ai) << 26)))
#define KVM_S390_INT_IO_MIN 0x00000000u
#define KVM_S390_INT_IO_MAX 0xfffdffffu
#define KVM_S390_INT_IO_AI_MASK 0x04000000u

/* ---- layout checks: the sizes and offsets Linux has ---------------------- */

#ifdef __cplusplus
#define KVMSIM_STATIC_ASSERT static_assert
#else
#define KVMSIM_STATIC_ASSERT _Static_assert
#endif
#define KVMSIM_CHECK_SIZE(type, n) KVMSIM_STATIC_ASSERT(sizeof(type) == (n), #type " size")
#define KVMSIM_CHECK_OFFSET(type, field, n)                                    \
	KVMSIM_STATIC_ASSERT(__builtin_offsetof(type, field) == (n),           \
			     #type "." #field " offset")

KVMSIM_CHECK_SIZE(struct kvm_create_device, 12);
KVMSIM_CHECK_SIZE(struct kvm_device_attr, 24);
KVMSIM_CHECK_OFFSET(struct kvm_device_attr, attr, 8);
KVMSIM_CHECK_OFFSET(struct kvm_device_attr, addr, 16);
KVMSIM_CHECK_SIZE(struct kvm_irq_level, 8);
KVMSIM_CHECK_SIZE(struct kvm_irqchip, 520);
KVMSIM_CHECK_SIZE(struct kvm_irq_routing, 8);
KVMSIM_CHECK_SIZE(struct kvm_irq_routing_entry, 48);
KVMSIM_CHECK_OFFSET(struct kvm_irq_routing_entry, u, 16);
KVMSIM_CHECK_OFFSET(struct kvm_irq_routing_entry, u.adapter.summary_offset, 40);
KVMSIM_CHECK_OFFSET(struct kvm_irq_routing_entry, u.adapter.adapter_id, 44);
KVMSIM_CHECK_SIZE(struct kvm_irqfd, 32);
KVMSIM_CHECK_SIZE(struct kvm_msi, 32);
KVMSIM_CHECK_SIZE(struct kvm_enable_cap, 104);
KVMSIM_CHECK_OFFSET(struct kvm_enable_cap, args, 8);
KVMSIM_CHECK_OFFSET(struct kvm_enable_cap, pad, 40);
KVMSIM_CHECK_SIZE(struct kvm_one_reg, 16);
KVMSIM_CHECK_SIZE(struct kvm_interrupt, 4);
KVMSIM_CHECK_SIZE(struct kvm_arm_device_addr, 16);
KVMSIM_CHECK_SIZE(struct kvm_vcpu_init, 32);
KVMSIM_CHECK_SIZE(struct kvm_run, 2352);
KVMSIM_CHECK_OFFSET(struct kvm_run, exit_reason, 8);
KVMSIM_CHECK_OFFSET(struct kvm_run, mmio.phys_addr, 32);
KVMSIM_CHECK_OFFSET(struct kvm_run, mmio.len, 48);
KVMSIM_CHECK_OFFSET(struct kvm_run, kvm_valid_regs, 288);
KVMSIM_CHECK_SIZE(struct kvm_reg_list, 8);
KVMSIM_CHECK_SIZE(struct kvm_regs, 864);
KVMSIM_CHECK_OFFSET(struct kvm_regs, fp_regs, 336);
KVMSIM_CHECK_SIZE(struct kvm_s390_interrupt, 16);
KVMSIM_CHECK_SIZE(struct kvm_s390_irq, 72);
KVMSIM_CHECK_OFFSET(struct kvm_s390_irq, u.pgm.code, 36);
KVMSIM_CHECK_OFFSET(struct kvm_s390_irq, u.mchk.fixed_logout, 40);
KVMSIM_CHECK_SIZE(struct kvm_s390_irq_state, 32);
KVMSIM_CHECK_OFFSET(struct kvm_s390_irq_state, len, 12);
KVMSIM_CHECK_SIZE(struct kvm_s390_io_adapter, 8);
KVMSIM_CHECK_SIZE(struct kvm_s390_io_adapter_req, 16);
KVMSIM_CHECK_SIZE(struct kvm_s390_vm_cpu_processor, 2064);
KVMSIM_CHECK_SIZE(struct kvm_s390_vm_cpu_machine, 4112);
KVMSIM_CHECK_OFFSET(struct kvm_s390_vm_cpu_machine, fac_list, 2064);

#ifdef __cplusplus
}
#endif

#endif /* KVMSIM_KVM_H */
