/* SPDX-License-Identifier: MIT */
/*
 * cpu.h — physical and virtual CPUs as behavioural processors, and the
 * hypervisor run loop that moves a vCPU between guest and host: where
 * injection latency comes from (../shared/DESIGN.md, models/cpu/).
 *
 * A struct cpu_machine is one host: pCPUs with IRQ/FIQ/vIRQ/vFIQ input
 * wires, a timing profile, and vCPUs, each pinned to its own pCPU (the
 * last pCPU is the VMM's I/O thread, which makes userspace injections).
 * A vCPU loops as KVM's vcpu_run does: flush the irqchip's state into the
 * hardware, enter, run the guest until an exit, sync back, take the host's
 * pending physical interrupts, handle the exit (block on WFI), loop.
 *
 * Interrupt controllers plug in through three small op tables: the
 * hypervisor part (flush/sync/pending, cpu_irqchip_ops), the guest's
 * driver (acknowledge/complete, cpu_guest_ops) and the host's driver for
 * the physical controller (cpu_host_ops). KVM's own handling of the
 * guest's other trapping instructions — MMIO accesses, HVCs — and of its
 * returns to user space is a fourth (cpu_exit_ops): a vCPU whose KVM_RUN
 * has returned waits in user space until cpu_vcpu_resume(), and PSCI can
 * power a vCPU off and on (cpu_vcpu_set_power()). Each operation returns
 * the CPU cycles it cost, so every figure comes from simulated time.
 */
#ifndef KVMSIM_MODELS_CPU_H
#define KVMSIM_MODELS_CPU_H

#include <stdbool.h>
#include <stdint.h>

#include "models/irq.h"
#include "sim/sim.h"

/* Inputs of a CPU: the wires an interrupt controller drives. */
enum cpu_input {
	CPU_IRQ,
	CPU_FIQ,
	CPU_VIRQ,
	CPU_VFIQ,
	CPU_NR_INPUTS
};

/*
 * Hypervisor and CPU costs, in cycles of the CPU clock (§8.1 of gic.md
 * names the stages). A profile says where each figure comes from.
 */
struct cpu_costs {
	uint32_t exc_entry;       /* physical IRQ taken to EL2 (§8.1 4) */
	uint32_t exit;            /* world switch out, without the irqchip save */
	uint32_t entry;           /* world switch in, without the irqchip restore */
	uint32_t host_irq;        /* host ISR body for one physical interrupt
				   * (acknowledge and EOI are the host driver's) */
	uint32_t inject;          /* software injection into the irqchip (§8.1 7) */
	uint32_t kick_ipi;        /* sending the reschedule IPI (§8.1 8) */
	uint32_t wakeup;          /* waking a vCPU blocked in WFI (§8.1 8) */
	uint32_t wfi_trap;        /* WFI trap handling before blocking */
	uint32_t mmio_trap;       /* stage-2 abort / sysreg trap, decode (§8.1 16) */
	uint32_t emulate;         /* the emulated register access itself */
	uint32_t guest_exc_entry; /* guest takes a virtual IRQ (§8.1 12) */
	uint32_t ctx_switch;      /* the host switches a pCPU to another vCPU
				   * thread (schedule + vcpu_put/vcpu_load) */
	uint32_t hvc;             /* KVM's handling of a guest HVC: the exit's
				   * dispatch and the PSCI call */
	uint32_t user_exit;       /* KVM_RUN returns to the VMM with an exit:
				   * leaving the run loop, vcpu_put, the system
				   * call's return, the VMM's dispatch of it */
	uint32_t user_entry;      /* the VMM's next KVM_RUN: the system call,
				   * vcpu_load, completing the exit (an MMIO
				   * load's register), back to the run loop */
};

struct cpu_machine;
struct cpu_vcpu;

/* The hypervisor part of an interrupt controller (KVM's VGIC, ...). All
 * members are mandatory and return the CPU cycles they took. */
struct cpu_irqchip_ops {
	/* Before entry, interrupts disabled: load the vCPU's pending
	 * interrupts into the hardware (list registers). */
	uint64_t (*flush)(void *ctx, struct cpu_vcpu *v);
	/* After exit: read the hardware back, process maintenance. */
	uint64_t (*sync)(void *ctx, struct cpu_vcpu *v);
	/* Whether the vCPU has an interrupt to take (WFI does not block). */
	bool (*pending)(void *ctx, struct cpu_vcpu *v);
	/* A guest access that trapped (MMIO to the emulated distributor,
	 * an SGI system register): emulate it; @val in/out. */
	uint64_t (*emulate)(void *ctx, struct cpu_vcpu *v, int bank, uint32_t off,
			    bool write, uint64_t *val);
	/* The fewest cycles flush and sync take, whatever the state (read
	 * once, by cpu_vcpu_set_irqchip(), for cpu_vcpu_traps_full_until()). */
	void (*least)(void *ctx, uint64_t *flush, uint64_t *sync);
};

/*
 * struct cpu_trap - a guest instruction that traps to the hypervisor: an
 * access the irqchip emulates (the SGI registers, cpu_vcpu_trap()), a load
 * or store to a guest-physical address, or a hypervisor call. What an
 * MMIO access or HVC is (address, registers) is its handler's business:
 * the trap carries the exit ops' token for it. 16 bytes: a vCPU keeps 16
 * waiting beside the fields an interrupt's delivery reads.
 */
enum cpu_trap_kind {
	CPU_TRAP_IRQCHIP, /* bank, off, val: the irqchip's emulate() */
	CPU_TRAP_MMIO,    /* val: the exit ops' token for the access */
	CPU_TRAP_HVC,     /* val: the exit ops' token for the call */
};

struct cpu_trap {
	uint8_t kind; /* enum cpu_trap_kind */
	int16_t bank; /* IRQCHIP */
	uint32_t off; /* IRQCHIP */
	uint64_t val; /* IRQCHIP: the value written; MMIO, HVC: the token */
};

/* How KVM's handling of an MMIO or HVC trap ends (cpu_exit_ops.handle). */
enum cpu_exit_action {
	CPU_RESUME,  /* handled in the kernel: the guest goes on */
	CPU_WAIT,    /* handled; the vCPU waits for an interrupt as in WFI */
	CPU_TO_USER, /* KVM_RUN returns to the VMM with the exit; the vCPU
		      * stays out until cpu_vcpu_resume() */
};

/* The way of one MMIO or HVC trap, in simulated time. */
struct cpu_trap_times {
	sim_time_t trap;    /* the instruction: its exit begins */
	sim_time_t out;     /* the exit done (world switch out) */
	sim_time_t user;    /* KVM_RUN returned to the VMM (0: not) */
	sim_time_t back;    /* the VMM's KVM_RUN again (0: not) */
	sim_time_t in;      /* the (last) entry begins: the irqchip's flush */
	sim_time_t resumed; /* the guest runs past it (0: it was powered off) */
};

/*
 * The hypervisor's handling of MMIO and HVC traps, and of its returns to
 * user space (KVM's arch code: io_mem_abort, handle_hvc, PSCI). All
 * members are mandatory; set with cpu_vcpu_set_exits().
 */
struct cpu_exit_ops {
	/* At the trap's handling: handle @t (in-kernel devices, PSCI) and
	 * add its cost to *@cycles (the MMIO decode, mmio_trap, or the HVC
	 * dispatch, hvc, is there already). May call cpu_vcpu_set_power()
	 * on any vCPU of the machine. */
	enum cpu_exit_action (*handle)(void *ctx, struct cpu_vcpu *v, const struct cpu_trap *t,
				       uint64_t *cycles);
	/* The vCPU's thread is back in user space (KVM_RUN returned) with
	 * the exit handle() sent there. May call cpu_vcpu_resume(). */
	void (*to_user)(void *ctx, struct cpu_vcpu *v);
	/* The trap of @t is over: the guest runs past it, or the vCPU was
	 * powered off before it could (tt->resumed 0). */
	void (*done)(void *ctx, struct cpu_vcpu *v, const struct cpu_trap *t,
		     const struct cpu_trap_times *tt);
};

/* The guest's driver of its (virtual) CPU interface. */
struct cpu_guest_ops {
	/* Acknowledge: the INTID (1020-1023: nothing); *cycles += cost. */
	uint32_t (*ack)(void *ctx, struct cpu_vcpu *v, uint64_t *cycles);
	/* Complete @id (EOI, and deactivate where split); *cycles += cost. */
	void (*eoi)(void *ctx, struct cpu_vcpu *v, uint32_t id, uint64_t *cycles);
};

/* The host kernel's driver of the physical controller. */
struct cpu_host_ops {
	uint32_t (*ack)(void *ctx, unsigned pcpu, uint64_t *cycles);
	/* Priority drop; forwarded interrupts stay active (EOImode 1). */
	void (*eoi)(void *ctx, unsigned pcpu, uint32_t id, uint64_t *cycles);
	/* Deactivate a physical interrupt the host handled itself. */
	void (*deactivate)(void *ctx, unsigned pcpu, uint32_t id, uint64_t *cycles);
	/* A physical interrupt arrived for the host: who gets it (e.g. the
	 * VGIC for a forwarded one). Returns whether it was forwarded. */
	bool (*handle)(void *ctx, unsigned pcpu, uint32_t id, uint64_t *cycles);
	/* Send the reschedule IPI from @from to @to. */
	void (*send_ipi)(void *ctx, unsigned from, unsigned to);
};

/* What the guest does when it has nothing to handle. */
enum cpu_guest_idle {
	CPU_GUEST_BUSY, /* computes: interrupts arrive while it runs */
	CPU_GUEST_WFI,  /* waits for interrupts with WFI (traps to KVM) */
};

/* Observer of guest-side events, for measurements. Optional members. */
struct cpu_observer {
	/* The guest's handler for @id starts (its acknowledge returned). */
	void (*handler_entry)(void *ctx, struct cpu_vcpu *v, uint32_t id, sim_time_t t);
	/* The guest completed @id. */
	void (*handler_exit)(void *ctx, struct cpu_vcpu *v, uint32_t id, sim_time_t t);
	void *ctx;
};

struct cpu_machine_config {
	const char *name;         /* component path in traces */
	struct sim_clock clock;   /* CPU clock */
	unsigned npcpus;          /* vCPU pCPUs + 1 for the VMM's I/O thread */
	struct cpu_costs costs;
	/* The host scheduler, for vCPUs sharing a pCPU (overcommit). */
	sim_time_t slice;         /* a busy vCPU runs this long while others
				   * wait (0: 3 ms) */
	sim_time_t wakeup_gran;   /* a woken vCPU preempts the running one
				   * once it has run this long (0: 1 ms,
				   * CFS's wakeup granularity) */
	sim_time_t halt_poll;     /* KVM's halt_poll_ns: WFI polls this long
				   * before blocking (0: no polling, as 4.4) */
};

/**
 * cpu_machine_create() - a host. Returns NULL with errno EINVAL (no pCPU)
 * or ENOMEM.
 */
struct cpu_machine *cpu_machine_create(struct sim *sim, const struct cpu_machine_config *cfg);
void cpu_machine_destroy(struct cpu_machine *m);

/* The machine's simulation and its cycle -> time conversion. */
struct sim *cpu_machine_sim(const struct cpu_machine *m);
sim_time_t cpu_cycles(const struct cpu_machine *m, uint64_t cycles);
const struct cpu_costs *cpu_machine_costs(const struct cpu_machine *m);
unsigned cpu_machine_npcpus(const struct cpu_machine *m);

/* Input @in of pCPU @pcpu, for an interrupt controller to drive. */
void cpu_input_connect(struct cpu_machine *m, unsigned pcpu, enum cpu_input in,
		       struct irq_line *line);

/* The host scheduler's parameters (see cpu_machine_config); 0 keeps one. */
void cpu_machine_set_sched(struct cpu_machine *m, sim_time_t slice, sim_time_t wakeup_gran,
			   sim_time_t halt_poll);

/**
 * cpu_machine_set_spread() - per-step spread of the host's costs: each
 * host step (an exit, a step of the host's work, an entry with its flush)
 * of c profile cycles takes c ((1 - @a) + @a L), L lognormal of mean 1
 * and log standard deviation @sigma (one of 1024 equally likely quantiles,
 * their mean exactly 1), drawn from pCPU i's stream of @seed: the mean
 * stays the profile's, no step goes below (1 - @a) of it, and the tail is
 * the cache, TLB and predictor state a real path meets. @a or @sigma 0:
 * none (the default). 0, or -1 (ENOMEM).
 */
int cpu_machine_set_spread(struct cpu_machine *m, uint64_t seed, double a, double sigma);

/* Whether pCPU @pcpu runs a thread (not idle): a vCPU in the guest, in
 * the kernel or in its VMM, or polling. */
bool cpu_pcpu_busy(const struct cpu_machine *m, unsigned pcpu);

/* @cycles of the host step @v is in, at that step's drawn factor (as the
 * step itself will take them): for a model that stamps a time inside one. */
uint64_t cpu_vcpu_spread(const struct cpu_vcpu *v, uint64_t cycles);

/* Who serves the physical controller. */
void cpu_machine_set_host(struct cpu_machine *m, const struct cpu_host_ops *ops, void *ctx);

/**
 * cpu_vcpu_create() - a vCPU whose thread runs on pCPU @pcpu (shared
 * with other vCPUs' threads under the host scheduler), not running yet.
 */
struct cpu_vcpu *cpu_vcpu_create(struct cpu_machine *m, unsigned idx, unsigned pcpu);
void cpu_vcpu_set_irqchip(struct cpu_vcpu *v, const struct cpu_irqchip_ops *ops, void *ctx);
void cpu_vcpu_set_guest(struct cpu_vcpu *v, const struct cpu_guest_ops *ops, void *ctx,
			enum cpu_guest_idle idle, uint64_t handler_cycles);
void cpu_vcpu_set_observer(struct cpu_vcpu *v, const struct cpu_observer *obs);
/* The handler's run time for each interrupt (a workload's distribution),
 * instead of the fixed handler_cycles; NULL restores the fixed one. */
void cpu_vcpu_set_handler_time(struct cpu_vcpu *v,
			       sim_time_t (*fn)(void *ctx, unsigned vcpu, uint32_t id),
			       void *ctx);
void cpu_vcpu_set_idle(struct cpu_vcpu *v, enum cpu_guest_idle idle);
/* The guest masks its interrupts (PSTATE.I) for @length of every @every of
 * simulated time, from now (a critical section): virtual interrupts wait;
 * physical ones still exit. @every 0 turns it off. */
void cpu_vcpu_set_masking(struct cpu_vcpu *v, sim_time_t every, sim_time_t length);
unsigned cpu_vcpu_index(const struct cpu_vcpu *v);
struct cpu_machine *cpu_vcpu_machine(const struct cpu_vcpu *v);
unsigned cpu_vcpu_pcpu(const struct cpu_vcpu *v);

/* Who handles @v's MMIO and HVC traps and its exits to user space. */
void cpu_vcpu_set_exits(struct cpu_vcpu *v, const struct cpu_exit_ops *ops, void *ctx);

/** cpu_vcpu_start() - KVM_RUN: the vCPU enters its run loop now (or, if
 * powered off, its thread sleeps there until powered on). */
void cpu_vcpu_start(struct cpu_vcpu *v);

/**
 * cpu_vcpu_resume() - the VMM's KVM_RUN after an exit to user space: the
 * vCPU's thread goes back into the kernel (costs.user_entry) and the run
 * loop goes on. False (nothing done) unless the vCPU is in user space.
 */
bool cpu_vcpu_resume(struct cpu_vcpu *v);

/* Whether @v's thread is in user space with an exit (cpu_vcpu_resume()). */
bool cpu_vcpu_in_user(const struct cpu_vcpu *v);

/**
 * cpu_vcpu_set_power() - PSCI's view of a vCPU (KVM's power_off), set by
 * pCPU @from. Off: the vCPU's thread sleeps at its next pass through the
 * run loop, and a vCPU in its guest is kicked out of it; interrupts do not
 * wake it. On: a sleeping vCPU wakes (costs.wakeup) and enters, its guest
 * starting anew (the PSCI CPU_ON entry point). Either way for a vCPU not
 * started yet, which cpu_vcpu_start() then finds.
 */
void cpu_vcpu_set_power(struct cpu_vcpu *v, bool on, unsigned from);

/**
 * cpu_vcpu_kick() - kvm_vcpu_kick() issued by pCPU @from at time @t (>=
 * now): wake @v if it is blocked (running again after the wake-up cost),
 * or make it exit with a reschedule IPI (sent after the kick cost) if it
 * runs the guest and none was sent since its entry; nothing if it is in
 * the host (it flushes before entering again).
 */
void cpu_vcpu_kick(struct cpu_vcpu *v, unsigned from, sim_time_t t);

/**
 * cpu_vcpu_trap() - the guest's access to a trapped register: exits,
 * emulates through the irqchip and resumes. For the guest's driver model
 * (SGI generation); the guest is paused until the emulation is done. A
 * guest that is not running its own code makes the access when it does
 * again; CPU_TRAPS_WAITING such accesses wait at most, and false means
 * this one could not (it is dropped).
 */
#define CPU_TRAPS_WAITING 16
bool cpu_vcpu_trap(struct cpu_vcpu *v, int bank, uint32_t off, uint64_t val);

/**
 * cpu_vcpu_trap_access() - cpu_vcpu_trap() for any trapping instruction
 * (@t: an MMIO access or an HVC, handled by the exit ops; or an irqchip
 * access). The same rules: made when the guest runs its own code, at most
 * CPU_TRAPS_WAITING waiting.
 */
bool cpu_vcpu_trap_access(struct cpu_vcpu *v, const struct cpu_trap *t);

/**
 * cpu_vcpu_traps_full_until() - a time before which cpu_vcpu_trap() on @v
 * returns false whatever happens meanwhile: CPU_TRAPS_WAITING accesses
 * wait and none of them can be taken sooner. sim_now() if an access could
 * be taken now. (An access at the time returned may go either way.)
 */
sim_time_t cpu_vcpu_traps_full_until(struct cpu_vcpu *v);

/* When the vCPU's current or last exit began (the trapping access, or the
 * physical interrupt that made it exit). */
sim_time_t cpu_vcpu_exit_start(const struct cpu_vcpu *v);

/* Architectural counters of a vCPU, for tests and summaries. */
struct cpu_vcpu_stats {
	uint64_t exits, entries, irqs_taken, spurious_acks, wfi_blocks, kicks_ipi,
		kicks_wake, traps, preemptions, polls_won;
	sim_time_t runnable_time; /* waiting for its pCPU */
};
const struct cpu_vcpu_stats *cpu_vcpu_stats(const struct cpu_vcpu *v);

#endif /* KVMSIM_MODELS_CPU_H */
