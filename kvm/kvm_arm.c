// SPDX-License-Identifier: MIT
/*
 * kvm_arm.c — an arm64 vCPU as Linux 4.4's KVM keeps it: KVM_ARM_VCPU_INIT
 * and the reset it makes, KVM_GET/SET_ONE_REG and KVM_GET_REG_LIST,
 * KVM_RUN (first run, the completion of an MMIO exit, going back in), and
 * what KVM does with the guest's trapping instructions that are not the
 * irqchip's: a load or store to a guest-physical address (a device on the
 * VM's bus emulates it in the kernel, or KVM_RUN returns to the VMM with
 * KVM_EXIT_MMIO) and HVC, taken as a PSCI call. The CPU model times these
 * (cpu_exit_ops); this file does what they do to the vCPU's registers,
 * its struct kvm_run and the other vCPUs. Sources: the 4.4 tree's
 * arch/arm/kvm/arm.c, mmio.c, psci.c, arch/arm64/kvm/guest.c, reset.c,
 * sys_regs.c, inject_fault.c, virt/kvm/arm/arch_timer.c.
 */
#include <assert.h>
#include <errno.h>
#include <string.h>

#include "kvm_int.h"
#include "models/cpu/cpu.h"
#include "sim/sim.h"

/* The simulated arm64 host's CPUs are no core KVM knows by name. */
#define ARM_HOST_TARGET KVM_ARM_TARGET_GENERIC_V8
#define ARM_VCPU_MAX_FEATURES 3 /* POWER_OFF, EL1_32BIT, PSCI_0_2 in 4.4 */

/* PSTATE after a reset: EL1h with D, A, I and F masked (reset.c) */
#define RESET_PSTATE (PSR_MODE_EL1h | PSR_A_BIT | PSR_I_BIT | PSR_F_BIT | PSR_D_BIT)
#define COMPAT_PSR_MODE_MASK 0x1f
#define MPIDR_HWID_BITMASK 0xff00ffffffULL
#define MPIDR_EL1 ARM64_SYS_REG(3, 0, 0, 0, 5)
#define KVM_ARM_PSCI_0_2 2 /* PSCI_VERSION(0, 2) */

enum { TIMER_CTL, TIMER_CNT, TIMER_CVAL };

/* What KVM_GET_REG_LIST lists: 4.4 lists one U64 id per 32-bit word of
 * struct kvm_regs (guest.c num_core_regs(), an id for each word whatever
 * register it falls in), then the three timer registers, then the system
 * registers. Of those, kvmsim has MPIDR_EL1, the one kvmtool and QEMU read
 * at reset; 4.4 also lists the rest of its sys_reg_descs table, the
 * invariant ID registers and CCSIDR, which kvmsim does not model (ENOENT). */
#define NR_CORE_REGS (sizeof(struct kvm_regs) / sizeof(uint32_t))
static const uint64_t listed_regs[] = {
	KVM_REG_ARM_TIMER_CTL, KVM_REG_ARM_TIMER_CNT, KVM_REG_ARM_TIMER_CVAL, MPIDR_EL1,
};
#define NR_REGS (NR_CORE_REGS + sizeof(listed_regs) / sizeof(listed_regs[0]))

static uint64_t *xreg(struct kvm_vcpu *vcpu, unsigned n)
{
	return &vcpu->arm->regs.regs.regs[n];
}

/* vcpu_set_reg(): register 31 is XZR in a load or store */
static void set_xreg(struct kvm_vcpu *vcpu, unsigned n, uint64_t val)
{
	if (n < 31)
		*xreg(vcpu, n) = val;
}

static uint64_t get_xreg(struct kvm_vcpu *vcpu, unsigned n)
{
	return n < 31 ? *xreg(vcpu, n) : 0;
}

static uint64_t len_mask(unsigned len)
{
	return len >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * len)) - 1;
}

/* The pCPU a request from the VMM comes from: its I/O thread's. */
static unsigned vmm_pcpu(const struct kvm_vcpu *vcpu)
{
	return cpu_machine_npcpus(cpu_vcpu_machine(vcpu->cpu)) - 1;
}

/* PSCI's power_off, and the CPU model's once it exists. */
static void set_power(struct kvm_vcpu *vcpu, bool on, unsigned from)
{
	vcpu->arm->power_off = !on;
	if (vcpu->cpu)
		cpu_vcpu_set_power(vcpu->cpu, on, from);
}

/* ---- the virtual timer's registers ------------------------------------------------ */

/* The system counter before the irqchip has a host: its frequency is the
 * irqchip's (its profile's); 0 without one. */
static uint64_t counter_now(struct kvm_vm *vm)
{
	uint64_t hz = vm->irqchip_ops && vm->irqchip_ops->counter_hz
			      ? vm->irqchip_ops->counter_hz(vm->irqchip)
			      : 0;
	struct sim_clock c;

	if (!hz)
		return 0;
	sim_clock_init_hz(&c, hz);
	return sim_clock_cycles(&c, sim_now(vm->sim));
}

/* kvm_arm_timer_get_reg / _set_reg: the irqchip's timer once it has a
 * host; until then 4.4's state of a timer nobody runs, kept here. */
static int timer_reg(struct kvm_vcpu *vcpu, unsigned reg, bool write, uint64_t *val)
{
	struct kvm_vm *vm = vcpu->vm;

	if (vm->irqchip_ops && vm->irqchip_ops->timer_reg) {
		int err = vm->irqchip_ops->timer_reg(vm->irqchip, vcpu->index, reg, write, val);

		if (err != -ENXIO)
			return err;
	}
	if (reg == TIMER_CNT) {
		if (write)
			vm->cntvoff = counter_now(vm) - *val;
		else
			*val = counter_now(vm) - vm->cntvoff;
	} else if (write) {
		vcpu->arm->timer[reg] = reg == TIMER_CTL ? *val & 3 : *val; /* ENABLE, IMASK */
	} else {
		*val = vcpu->arm->timer[reg];
		if (reg == TIMER_CTL && (*val & 1) &&
		    counter_now(vm) - vm->cntvoff >= vcpu->arm->timer[TIMER_CVAL])
			*val |= 4; /* ISTATUS */
	}
	return 0;
}

/* ---- KVM_ARM_VCPU_INIT ------------------------------------------------------------- */

long kvm_arm_preferred_target(unsigned long uaddr)
{
	struct kvm_vcpu_init init = { .target = ARM_HOST_TARGET };

	return kvm_copy_to_user(uaddr, &init, sizeof(init));
}

/* MPIDR_EL1 at reset (sys_regs.c reset_mpidr()): Aff0 from the id's low
 * 4 bits (16 vCPUs a cluster, what ICC_SGI1R_EL1 addresses), Aff1 and Aff2
 * from the next, bit 31 RES1. */
static uint64_t reset_mpidr(uint32_t id)
{
	return UINT64_C(1) << 31 | (id & 0x0f) | (uint64_t)((id >> 4) & 0xff) << 8 |
	       (uint64_t)((id >> 12) & 0xff) << 16;
}

/* kvm_reset_vcpu(): the core registers, the system registers, the timer */
static void reset_vcpu(struct kvm_vcpu *vcpu)
{
	uint64_t zero = 0;

	memset(&vcpu->arm->regs, 0, sizeof(vcpu->arm->regs));
	vcpu->arm->regs.regs.pstate = RESET_PSTATE;
	vcpu->arm->mpidr = reset_mpidr(vcpu->id);
	timer_reg(vcpu, TIMER_CTL, true, &zero); /* kvm_timer_vcpu_reset() */
}

/* kvm_arch_vcpu_ioctl_vcpu_init(): kvm_vcpu_set_target() (the target,
 * the features, the same features on a later call), the reset, and the
 * power state the POWER_OFF feature asks for. */
long kvm_arm_vcpu_init(struct kvm_vcpu *vcpu, unsigned long uaddr)
{
	struct kvm_vcpu_init init;
	int err = kvm_copy_from_user(&init, uaddr, sizeof(init));

	if (err)
		return err;
	if (init.target != ARM_HOST_TARGET)
		return -EINVAL;
	for (unsigned i = 0; i < 7 * 32; i++) {
		bool set = init.features[i / 32] >> (i % 32) & 1;

		if (set && i >= ARM_VCPU_MAX_FEATURES)
			return -ENOENT;
		if (vcpu->initialized && i < ARM_VCPU_MAX_FEATURES &&
		    set != (bool)(vcpu->features >> i & 1))
			return -EINVAL; /* later calls keep the feature set */
	}
	/* the host has no AArch32 EL1 (KVM_CAP_ARM_EL1_32BIT reads 0) */
	if (init.features[0] >> KVM_ARM_VCPU_EL1_32BIT & 1)
		return -EINVAL;
	vcpu->features = init.features[0] & ((1u << ARM_VCPU_MAX_FEATURES) - 1);
	vcpu->initialized = true;
	reset_vcpu(vcpu);
	set_power(vcpu, !(vcpu->features >> KVM_ARM_VCPU_POWER_OFF & 1),
		  vcpu->cpu ? vmm_pcpu(vcpu) : 0);
	return 0;
}

/* ---- ONE_REG ------------------------------------------------------------------------ */

/*
 * get_core_reg() / set_core_reg() of 4.4: the id's low bits index struct
 * kvm_regs in 32-bit words, its size field says how many bytes go, and
 * neither is checked against the register's own size (5.0 did). The range
 * check keeps off + words strictly below the end, so the last word cannot
 * be reached. A PSTATE written must name a mode 4.4 accepts.
 */
static int core_reg(struct kvm_vcpu *vcpu, const struct kvm_one_reg *reg, bool set)
{
	uint64_t off = reg->id & ~(KVM_REG_ARCH_MASK | KVM_REG_SIZE_MASK | KVM_REG_ARM_CORE);
	uint64_t size = UINT64_C(1) << ((reg->id & KVM_REG_SIZE_MASK) >> KVM_REG_SIZE_SHIFT);
	uint32_t *words = (uint32_t *)&vcpu->arm->regs;
	unsigned char buf[16] = { 0 };
	int err;

	if (off >= NR_CORE_REGS || off + size / sizeof(uint32_t) >= NR_CORE_REGS)
		return -ENOENT;
	if (!set)
		return kvm_copy_to_user(reg->addr, words + off, size);
	if (size > sizeof(buf))
		return -EINVAL;
	err = kvm_copy_from_user(buf, reg->addr, size);
	if (err)
		return err;
	if (off == KVM_REG_ARM_CORE_REG(regs.pstate)) {
		uint32_t mode;

		memcpy(&mode, buf, sizeof(mode));
		switch (mode & COMPAT_PSR_MODE_MASK) {
		case 0x10: case 0x11: case 0x12: case 0x13: case 0x17: case 0x1b: /* AArch32 */
		case PSR_MODE_EL0t: case PSR_MODE_EL1t: case PSR_MODE_EL1h:
			break;
		default:
			return -EINVAL;
		}
	}
	memcpy(words + off, buf, size);
	return 0;
}

/* kvm_arm_get_reg() / kvm_arm_set_reg() of 4.4: the architecture, then
 * the core registers, the timer's, the system registers. */
long kvm_arm_one_reg(struct kvm_vcpu *vcpu, unsigned long uaddr, bool set)
{
	struct kvm_one_reg reg;
	uint64_t val;
	int err;

	if (!vcpu->initialized)
		return -ENOEXEC;
	err = kvm_copy_from_user(&reg, uaddr, sizeof(reg));
	if (err)
		return err;
	/* nothing arch-specific in the upper 32 bits */
	if ((reg.id & ~KVM_REG_SIZE_MASK) >> 32 != KVM_REG_ARM64 >> 32)
		return -EINVAL;
	if ((reg.id & KVM_REG_ARM_COPROC_MASK) == KVM_REG_ARM_CORE)
		return core_reg(vcpu, &reg, set);
	if (reg.id == KVM_REG_ARM_TIMER_CTL || reg.id == KVM_REG_ARM_TIMER_CNT ||
	    reg.id == KVM_REG_ARM_TIMER_CVAL) {
		unsigned t = reg.id == KVM_REG_ARM_TIMER_CTL	? TIMER_CTL
			     : reg.id == KVM_REG_ARM_TIMER_CNT ? TIMER_CNT
							       : TIMER_CVAL;

		if (!set) {
			timer_reg(vcpu, t, false, &val);
			return kvm_copy_to_user(reg.addr, &val, sizeof(val));
		}
		err = kvm_copy_from_user(&val, reg.addr, sizeof(val));
		return err ? err : timer_reg(vcpu, t, true, &val);
	}
	/* kvm_arm_sys_reg_get_reg(): 64-bit registers of the table only */
	if (reg.id != MPIDR_EL1)
		return -ENOENT;
	if (!set)
		return kvm_copy_to_user(reg.addr, &vcpu->arm->mpidr, sizeof(vcpu->arm->mpidr));
	/* Stored as 4.4 stores it; the VGIC's routing keeps the reset
	 * affinity (the vCPU's index), a limit of kvmsim's. */
	return kvm_copy_from_user(&vcpu->arm->mpidr, reg.addr, sizeof(vcpu->arm->mpidr));
}

long kvm_arm_reg_list(struct kvm_vcpu *vcpu, unsigned long uaddr)
{
	struct kvm_reg_list list;
	uint32_t n; /* 4.4 reads the count into an unsigned int */
	int err;

	if (!vcpu->initialized)
		return -ENOEXEC;
	err = kvm_copy_from_user(&list, uaddr, sizeof(list));
	if (err)
		return err;
	n = (uint32_t)list.n;
	list.n = NR_REGS;
	err = kvm_copy_to_user(uaddr, &list, sizeof(list));
	if (err)
		return err;
	if (n < NR_REGS)
		return -E2BIG;
	for (uint64_t i = 0; i < NR_REGS; i++) {
		uint64_t id = i < NR_CORE_REGS
				      ? KVM_REG_ARM64 | KVM_REG_SIZE_U64 | KVM_REG_ARM_CORE | i
				      : listed_regs[i - NR_CORE_REGS];

		err = kvm_copy_to_user(uaddr + sizeof(list) + i * sizeof(id), &id, sizeof(id));
		if (err)
			return err;
	}
	return 0;
}

/* ---- PSCI (psci.c) ------------------------------------------------------------------- */

static struct kvm_vcpu *mpidr_to_vcpu(struct kvm_vm *vm, uint64_t mpidr)
{
	mpidr &= MPIDR_HWID_BITMASK;
	for (uint32_t i = 0; i < vm->nvcpus; i++)
		if ((vm->vcpus[i]->arm->mpidr & MPIDR_HWID_BITMASK) == mpidr)
			return vm->vcpus[i];
	return NULL;
}

/* kvm_psci_vcpu_on(): the target must exist and be off; it is reset and
 * starts at x2 with x0 = x3 (the context id). */
static uint64_t psci_vcpu_on(struct kvm_vcpu *src, bool v0_2)
{
	struct kvm_vcpu *vcpu = mpidr_to_vcpu(src->vm, *xreg(src, 1));
	uint64_t pc = *xreg(src, 2), ctx = *xreg(src, 3);

	if (!vcpu)
		return (uint64_t)PSCI_RET_INVALID_PARAMS;
	if (!vcpu->arm->power_off)
		return (uint64_t)(v0_2 ? PSCI_RET_ALREADY_ON : PSCI_RET_INVALID_PARAMS);
	reset_vcpu(vcpu);
	vcpu->arm->regs.regs.pc = pc;
	*xreg(vcpu, 0) = ctx;
	set_power(vcpu, true, cpu_vcpu_pcpu(src->cpu));
	return PSCI_RET_SUCCESS;
}

/* kvm_psci_vcpu_affinity_info(): ON if a vCPU whose affinity matches x1
 * at the levels from x2 up is on, OFF if none of those is. */
static uint64_t psci_affinity_info(struct kvm_vcpu *src)
{
	uint64_t level = *xreg(src, 2), target = *xreg(src, 1), mask;
	unsigned matching = 0;

	if (level > 3)
		return (uint64_t)PSCI_RET_INVALID_PARAMS;
	/* MPIDR_LEVEL_SHIFT: Aff0 0, Aff1 8, Aff2 16, Aff3 32 */
	mask = MPIDR_HWID_BITMASK & (UINT64_MAX << (((1u << level) >> 1) << 3));
	target &= mask;
	for (uint32_t i = 0; i < src->vm->nvcpus; i++) {
		struct kvm_vcpu *v = src->vm->vcpus[i];

		if ((v->arm->mpidr & mask) == target) {
			matching++;
			if (!v->arm->power_off)
				return PSCI_0_2_AFFINITY_LEVEL_ON;
		}
	}
	return matching ? PSCI_0_2_AFFINITY_LEVEL_OFF : (uint64_t)PSCI_RET_INVALID_PARAMS;
}

/* kvm_prepare_system_event(): every vCPU off and kicked, the caller's
 * KVM_RUN returns KVM_EXIT_SYSTEM_EVENT. */
static void system_event(struct kvm_vcpu *src, uint32_t type)
{
	for (uint32_t i = 0; i < src->vm->nvcpus; i++)
		set_power(src->vm->vcpus[i], false, cpu_vcpu_pcpu(src->cpu));
	memset(&src->run->system_event, 0, sizeof(src->run->system_event));
	src->run->system_event.type = type;
	src->run->exit_reason = KVM_EXIT_SYSTEM_EVENT;
}

/* inject_undef64(): an undefined-instruction exception at EL1, vectored
 * from VBAR_EL1 (not exposed by kvmsim: its reset value, 0). */
static void inject_undef(struct kvm_vcpu *vcpu)
{
	uint64_t pstate = vcpu->arm->regs.regs.pstate, offset;

	if (pstate & PSR_MODE32_BIT)
		offset = 0x600; /* lower EL, AArch32 */
	else if ((pstate & PSR_MODE_MASK) == PSR_MODE_EL0t)
		offset = 0x400; /* lower EL, AArch64 */
	else if ((pstate & PSR_MODE_MASK) == PSR_MODE_EL1t)
		offset = 0x000; /* current EL with SP_EL0 */
	else
		offset = 0x200; /* current EL with SP_ELx */
	vcpu->arm->regs.elr_el1 = vcpu->arm->regs.regs.pc;
	vcpu->arm->regs.spsr[0] = pstate; /* KVM_SPSR_EL1 */
	vcpu->arm->regs.regs.pstate = RESET_PSTATE;
	vcpu->arm->regs.regs.pc = offset;
}

/* kvm_psci_0_2_call() / kvm_psci_0_1_call(): the function is x0's low 32
 * bits; the result goes to x0. */
static enum cpu_exit_action psci_call(struct kvm_vcpu *vcpu)
{
	uint32_t fn = (uint32_t)*xreg(vcpu, 0);
	uint64_t val;

	if (!(vcpu->features >> KVM_ARM_VCPU_PSCI_0_2 & 1)) {
		switch (fn) {
		case KVM_PSCI_FN_CPU_OFF:
			set_power(vcpu, false, cpu_vcpu_pcpu(vcpu->cpu));
			val = PSCI_RET_SUCCESS;
			break;
		case KVM_PSCI_FN_CPU_ON:
			val = psci_vcpu_on(vcpu, false);
			break;
		default:
			/* handle_hvc(): an unknown call is an UNDEF for the guest */
			inject_undef(vcpu);
			return CPU_RESUME;
		}
		*xreg(vcpu, 0) = val;
		return CPU_RESUME;
	}
	switch (fn) {
	case PSCI_0_2_FN_PSCI_VERSION:
		val = KVM_ARM_PSCI_0_2;
		break;
	case PSCI_0_2_FN_CPU_SUSPEND:
	case PSCI_0_2_FN64_CPU_SUSPEND:
		/* kvm_psci_vcpu_suspend(): a WFI */
		*xreg(vcpu, 0) = PSCI_RET_SUCCESS;
		return CPU_WAIT;
	case PSCI_0_2_FN_CPU_OFF:
		set_power(vcpu, false, cpu_vcpu_pcpu(vcpu->cpu));
		val = PSCI_RET_SUCCESS;
		break;
	case PSCI_0_2_FN_CPU_ON:
	case PSCI_0_2_FN64_CPU_ON:
		val = psci_vcpu_on(vcpu, true);
		break;
	case PSCI_0_2_FN_AFFINITY_INFO:
	case PSCI_0_2_FN64_AFFINITY_INFO:
		val = psci_affinity_info(vcpu);
		break;
	case PSCI_0_2_FN_MIGRATE_INFO_TYPE:
		val = PSCI_0_2_TOS_MP; /* no trusted OS that would need migrating */
		break;
	case PSCI_0_2_FN_SYSTEM_OFF:
	case PSCI_0_2_FN_SYSTEM_RESET:
		system_event(vcpu, fn == PSCI_0_2_FN_SYSTEM_OFF ? KVM_SYSTEM_EVENT_SHUTDOWN
								 : KVM_SYSTEM_EVENT_RESET);
		/* a guest run again after it sees a failure */
		*xreg(vcpu, 0) = (uint64_t)PSCI_RET_INTERNAL_FAILURE;
		return CPU_TO_USER;
	default: /* MIGRATE, MIGRATE_INFO_UP_CPU and the unknown */
		val = (uint64_t)PSCI_RET_NOT_SUPPORTED;
		break;
	}
	*xreg(vcpu, 0) = val;
	return CPU_RESUME;
}

/* ---- KVM's handling of the CPU's MMIO and HVC traps (cpu_exit_ops) ------------------- */

/* The instruction behind a trap's tag. */
static struct kvm_guest_op *guest_op(const struct kvm_vcpu *vcpu, const struct cpu_trap *t)
{
	struct kvm_guest_op *op = &vcpu->arm->ops[t->val % KVM_GUEST_OPS];

	assert(op->tag == t->val);
	return op;
}

/*
 * io_mem_abort(): the instruction is done (decode_hsr() skips it); a
 * store's data comes from Xrt. The access goes to a device on the VM's
 * bus, or to user space: KVM_EXIT_MMIO. run->mmio is filled either way,
 * as 4.4 fills it, a load's data with zeros.
 */
static enum cpu_exit_action mmio_abort(struct kvm_vcpu *vcpu, struct kvm_guest_op *op,
				       uint64_t *cycles)
{
	struct kvm_vm *vm = vcpu->vm;
	struct kvm_run *run = vcpu->run;
	uint64_t data = 0;
	bool kernel;

	vcpu->arm->regs.regs.pc += 4;
	if (op->write) {
		set_xreg(vcpu, op->rt, op->x[1]); /* the guest put the value there */
		data = get_xreg(vcpu, op->rt) & len_mask(op->len);
	}
	kernel = vm->irqchip_ops && vm->irqchip_ops->mmio &&
		 vm->irqchip_ops->mmio(vm->irqchip, vcpu->index, op->x[0], op->len, op->write,
				       &data, cycles) > 0;
	if (!kernel && op->write && kvm_ioeventfd_write(vm, op->x[0], op->len, data) == 0) {
		/* an ioeventfd's: signalled from the kernel, its decode's
		 * cycles in (the bus walk is the trap's), no exit to user
		 * space */
		op->t_notify =
			sim_now(vm->sim) + cpu_cycles(cpu_vcpu_machine(vcpu->cpu),
						      cpu_vcpu_spread(vcpu->cpu, *cycles));
		kernel = true;
	}
	run->mmio.is_write = op->write;
	run->mmio.phys_addr = op->x[0];
	run->mmio.len = op->len;
	for (unsigned i = 0; i < sizeof(run->mmio.data); i++)
		run->mmio.data[i] = i < op->len ? (uint8_t)(data >> (8 * i)) : 0;
	if (kernel) {
		if (!op->write)
			set_xreg(vcpu, op->rt, data & len_mask(op->len));
		return CPU_RESUME;
	}
	vcpu->arm->mmio_rt = op->rt;
	run->exit_reason = KVM_EXIT_MMIO;
	return CPU_TO_USER;
}

static enum cpu_exit_action exit_handle(void *ctx, struct cpu_vcpu *cpu, const struct cpu_trap *t,
					uint64_t *cycles)
{
	struct kvm_vcpu *vcpu = ctx;
	struct kvm_guest_op *op = guest_op(vcpu, t);

	(void)cpu;
	if (t->kind == CPU_TRAP_MMIO)
		return mmio_abort(vcpu, op, cycles);
	/* HVC: the guest loaded x0-x3 for the call; ELR_EL2 is past it */
	for (unsigned i = 0; i < 4; i++)
		*xreg(vcpu, i) = op->x[i];
	vcpu->arm->regs.regs.pc += 4;
	return psci_call(vcpu);
}

/* KVM_RUN has returned to the VMM: its exit handler has it now. */
static void exit_to_user(void *ctx, struct cpu_vcpu *cpu)
{
	struct kvm_vcpu *vcpu = ctx;

	(void)cpu;
	if (vcpu->exit_fn)
		vcpu->exit_fn(vcpu->exit_ctx, vcpu->run);
}

static void exit_done(void *ctx, struct cpu_vcpu *cpu, const struct cpu_trap *t,
		      const struct cpu_trap_times *tt)
{
	struct kvm_vcpu *vcpu = ctx;
	const struct kvmsim_observer *o = &vcpu->vm->obs;
	const struct kvm_guest_op *op = guest_op(vcpu, t);
	bool mmio = t->kind == CPU_TRAP_MMIO;

	(void)cpu;
	if (!o->access)
		return;
	struct kvmsim_access_record r = {
		.vcpu = vcpu->index,
		.kind = mmio ? KVMSIM_ACCESS_MMIO : KVMSIM_ACCESS_HVC,
		.addr = op->x[0],
		.len = mmio ? op->len : 0,
		.is_write = mmio && op->write,
		.exit_reason = !tt->user ? 0 : mmio ? KVM_EXIT_MMIO : KVM_EXIT_SYSTEM_EVENT,
		.value = mmio ? get_xreg(vcpu, op->rt) : *xreg(vcpu, 0),
		.t_access = tt->trap, .t_exit = tt->out, .t_user = tt->user,
		.t_resume = tt->back, .t_enter = tt->resumed ? tt->in : 0, .t_done = tt->resumed,
		.t_notify = mmio ? op->t_notify : 0,
	};
	o->access(o->ctx, &r);
}

static const struct cpu_exit_ops arm_exit_ops = {
	.handle = exit_handle,
	.to_user = exit_to_user,
	.done = exit_done,
};

void kvm_vcpu_attach(struct kvm_vcpu *vcpu, struct cpu_vcpu *cpu)
{
	uint64_t cnt = counter_now(vcpu->vm) - vcpu->vm->cntvoff;

	vcpu->cpu = cpu;
	cpu_vcpu_set_exits(cpu, &arm_exit_ops, vcpu);
	cpu_vcpu_set_power(cpu, !vcpu->arm->power_off, 0);
	/* the timer's registers kept so far go to the irqchip's timer */
	timer_reg(vcpu, TIMER_CNT, true, &cnt);
	timer_reg(vcpu, TIMER_CVAL, true, &vcpu->arm->timer[TIMER_CVAL]);
	timer_reg(vcpu, TIMER_CTL, true, &vcpu->arm->timer[TIMER_CTL]);
}

/* ---- KVM_RUN ------------------------------------------------------------------------- */

/* kvm_handle_mmio_return(): a load's data from run->mmio, whose fields the
 * VMM may have changed, into the register the load named. */
static int mmio_return(struct kvm_vcpu *vcpu)
{
	const struct kvm_run *run = vcpu->run;
	uint64_t data = 0;

	if (run->mmio.is_write)
		return 0;
	if (run->mmio.len > sizeof(uint64_t))
		return -EINVAL;
	for (unsigned i = 0; i < run->mmio.len; i++)
		data |= (uint64_t)run->mmio.data[i] << (8 * i);
	set_xreg(vcpu, vcpu->arm->mmio_rt, data);
	return 0;
}

/*
 * kvm_arch_vcpu_ioctl_run() of 4.4: initialised (ENOEXEC), the first
 * run's checks (the irqchip's), an MMIO exit completed, exit_reason reset,
 * and the vCPU's thread into the run loop: started, or back from user
 * space.
 */
long kvm_arm_vcpu_run(struct kvm_vcpu *vcpu)
{
	struct kvm_vm *vm = vcpu->vm;
	int err;

	if (!vcpu->initialized)
		return -ENOEXEC;
	if (!vm->irqchip_ops)
		return -ENOSYS; /* a userspace irqchip: nothing to run on yet */
	if (vcpu->started && !cpu_vcpu_in_user(vcpu->cpu))
		return 0; /* its thread is in KVM_RUN already */
	if (!vcpu->ran) {
		err = vm->irqchip_ops->vcpu_run(vm->irqchip, vcpu->index);
		if (err)
			return err;
		vcpu->ran = true;
	}
	if (vcpu->run->exit_reason == KVM_EXIT_MMIO) {
		err = mmio_return(vcpu);
		if (err)
			return err;
	}
	vcpu->run->exit_reason = KVM_EXIT_UNKNOWN;
	if (!vcpu->started) {
		vcpu->started = true;
		cpu_vcpu_start(vcpu->cpu);
	} else {
		cpu_vcpu_resume(vcpu->cpu);
	}
	return 0;
}

/* ---- kvmsim's guest calls ---------------------------------------------------------------- */

/* The guest makes @op (a trap of @kind): kept under the next tag once the
 * CPU has taken it (a refused one takes no slot). */
static int guest_trap(struct kvm_vcpu *vcpu, enum cpu_trap_kind kind, struct kvm_guest_op *op)
{
	struct cpu_trap t = { .kind = (uint8_t)kind, .val = vcpu->arm->ops_tag + 1 };

	if (!cpu_vcpu_trap_access(vcpu->cpu, &t))
		return -EAGAIN;
	op->tag = ++vcpu->arm->ops_tag;
	vcpu->arm->ops[op->tag % KVM_GUEST_OPS] = *op;
	return 0;
}

int kvm_arm_guest_mmio(struct kvm_vcpu *vcpu, const struct kvmsim_guest_access *a)
{
	const struct kvm_irqchip_ops *ops = vcpu->vm->irqchip_ops;
	struct kvm_guest_op op = { .x = { a->addr, a->value }, .len = a->len, .rt = a->rt,
				   .write = a->is_write != 0 };

	if (!vcpu->cpu)
		return -ENXIO;
	if ((a->len != 1 && a->len != 2 && a->len != 4 && a->len != 8) || a->rt > 31 ||
	    a->addr + a->len - 1 < a->addr)
		return -EINVAL;
	if (ops->mmio_direct && ops->mmio_direct(vcpu->vm->irqchip, a->addr, a->len))
		return -EINVAL; /* no trap: the guest's driver model's business */
	return guest_trap(vcpu, CPU_TRAP_MMIO, &op);
}

int kvm_arm_guest_hvc(struct kvm_vcpu *vcpu, const uint64_t x[4])
{
	struct kvm_guest_op op = { .x = { x[0], x[1], x[2], x[3] } };

	if (!vcpu->cpu)
		return -ENXIO;
	return guest_trap(vcpu, CPU_TRAP_HVC, &op);
}
