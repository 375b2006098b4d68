/* SPDX-License-Identifier: MIT */
/*
 * kvmsim/kvmsim.h — kvmsim's simulated /dev/kvm.
 *
 * VMM code drives kvmsim as it drives Linux KVM: kvmsim_open() stands for
 * open("/dev/kvm"), kvmsim_ioctl() for ioctl(2) with the request numbers
 * and structures of <kvmsim/kvm.h>, kvmsim_close() for close(2). Results
 * follow Linux 4.4 (../shared/spec/kvm-api.md): >= 0 on success, -1 with
 * errno set to Linux's exact value on failure. Bad input — an unknown
 * request, a NULL or unmapped argument pointer — is an error return, never
 * a crash.
 *
 * Handles are small integers (>= 3) private to kvmsim, not OS file
 * descriptors: pass them only to these functions.
 *
 * Threads: calls are safe from several threads; calls on handles of the
 * same VM (its VM, vCPU and device handles) are serialised by that VM's
 * lock. A simulation itself runs in one thread at a time; a callback it
 * makes (an event of the caller's, an observer) may call the API, and its
 * calls on the running VM's handles take no lock and no reference (the
 * run holds both), which keeps a workload's per-injection calls cheap.
 *
 * What this release implements: the system handle (KVM_GET_API_VERSION,
 * KVM_CHECK_EXTENSION, KVM_CREATE_VM, KVM_GET_VCPU_MMAP_SIZE); on VM
 * handles KVM_CHECK_EXTENSION,
 * KVM_CREATE_VCPU, KVM_CREATE_DEVICE, KVM_IRQ_LINE and KVM_IRQ_LINE_STATUS,
 * KVM_IRQFD; KVM_SET_GSI_ROUTING with Linux's validation on x86 and s390;
 * KVM_ENABLE_CAP(KVM_CAP_S390_IRQCHIP), KVM_CREATE_IRQCHIP and the VM
 * attributes (KVM_SET/GET/HAS_DEVICE_ATTR on the VM handle: MEM_CTRL, TOD,
 * CRYPTO, CPU_MODEL, on a z13-class LPAR whose TOD clock follows the
 * simulated time) on s390;
 * the error paths of KVM_SIGNAL_MSI, KVM_CREATE_IRQCHIP and
 * KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP) on x86 (success needs the x86
 * interrupt controllers: ENOSYS); on an arm64 host also KVM_CREATE_IRQCHIP,
 * KVM_ARM_SET_DEVICE_ADDR, KVM_ARM_PREFERRED_TARGET, and on its vCPUs
 * KVM_ARM_VCPU_INIT, KVM_RUN (with exits to user space), KVM_GET_ONE_REG
 * and KVM_SET_ONE_REG (the core registers, MPIDR_EL1 and the virtual
 * timer's) and KVM_GET_REG_LIST, and PSCI 0.1/0.2 for its guests; every
 * vCPU's struct kvm_run through kvmsim_mmap(); and the ARM VGIC devices
 * (KVM_DEV_TYPE_ARM_VGIC_V2, _V3) with all their 4.4 attribute groups.
 * Device types whose controller is not built yet answer KVM_CREATE_DEVICE with ENODEV, as Linux does for
 * a type its host lacks, and KVM_CHECK_EXTENSION reports 0 for
 * capabilities that need them. Requests kvmsim knows but does not
 * implement yet fail with ENOSYS (never a Linux answer, so a VMM cannot
 * mistake it for one); requests a handle does not know fail as Linux
 * fails them.
 *
 * Eventfds: KVM_IRQFD takes kvmsim's own simulated eventfds, made with
 * kvmsim_eventfd() and signalled with kvmsim_eventfd_write() (or by a
 * simulated device at a simulated time). They are handles like the
 * others; closing one removes the irqfds bound to it, as a hang-up does.
 *
 * Time: each VM has its own simulated clock, which advances only inside
 * kvmsim_run(). Injections made through the API happen at the VM's
 * current simulated time.
 *
 * KVM_RUN performs Linux's checks for a vCPU's first run (ENOEXEC before
 * KVM_ARM_VCPU_INIT; the VGIC's ENXIO/EBUSY rules, in that order), then
 * starts the vCPU's run loop in the VM's simulation and returns 0 at once:
 * the guest runs while kvmsim_run() advances time, until it exits to user
 * space (below). KVM_RUN on a vCPU whose thread is in the kernel already
 * (running, halted, powered off) returns 0 and changes nothing: Linux
 * would hold the call until that thread's KVM_RUN returned. A VM runs on a
 * simulated host of the VGIC's version (an X-Gene GICv2 or an Ampere
 * Altra GICv3 timing profile) with one pCPU per vCPU and one for the VMM's
 * I/O thread; its guests idle in WFI. A VM without an in-kernel irqchip
 * cannot run yet (ENOSYS).
 *
 * ONE_REG (arm64) reads and writes the vCPU's registers as the simulation
 * has them at the moment of the call; Linux would hold the call until the
 * vCPU's thread is out of KVM_RUN.
 */
#ifndef KVMSIM_KVMSIM_H
#define KVMSIM_KVMSIM_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * kvmsim_open() - open a simulated /dev/kvm.
 * @arch: the simulated host: "arm64", "ppc" (a POWER8 book3s host running
 *        KVM HV), "s390" or "x86"
 *
 * Returns a system handle, or -1 with errno EINVAL for another @arch
 * (ENOMEM, EMFILE when out of memory or handles).
 */
int kvmsim_open(const char *arch);

/**
 * kvmsim_ioctl() - ioctl(2) on a kvmsim handle.
 * @fd: a handle from kvmsim_open() or from a request that creates one
 * @request: a request number of <kvmsim/kvm.h>; on a ppc host the powerpc
 *           encoding of the same request is accepted too
 *
 * The optional third argument is the request's integer or pointer
 * argument, as for ioctl(2). Returns >= 0 on success (0, a new handle, a
 * count or a capability value), -1 with errno on failure: EBADF for a
 * handle that is not open.
 */
int kvmsim_ioctl(int fd, unsigned long request, ...);

/**
 * kvmsim_close() - close a handle.
 *
 * A VM lives until its last handle (VM, vCPU or device) is closed; closing
 * a device handle leaves the device in its VM, as in Linux. Returns 0, or
 * -1 with errno EBADF.
 */
int kvmsim_close(int fd);

/**
 * kvmsim_eventfd() - a simulated eventfd(2).
 * @initval: initial counter value
 * @flags: 0 (the EFD_* flags are not supported: EINVAL)
 *
 * Returns a handle (-1 with errno EINVAL, ENOMEM or EMFILE).
 */
int kvmsim_eventfd(unsigned int initval, int flags);

/**
 * kvmsim_eventfd_write() - write(2) of an 8-byte @value to an eventfd:
 * adds it to the counter and wakes the irqfds bound to it. Returns 0, or
 * -1 with errno EBADF (not open), EINVAL (not an eventfd, or @value is
 * 0xffffffffffffffff) or EAGAIN (the counter would pass its maximum).
 */
int kvmsim_eventfd_write(int fd, uint64_t value);

/**
 * kvmsim_eventfd_read() - non-blocking read(2) of an eventfd: stores the
 * counter in *@value and resets it. Returns 0, or -1 with errno EAGAIN
 * (counter 0), EBADF, EINVAL (not an eventfd) or EFAULT (@value NULL).
 */
int kvmsim_eventfd_read(int fd, uint64_t *value);

/* ---- a vCPU's mapping and its exits to user space ---------------------------
 *
 * A VMM reaches a vCPU's struct kvm_run by mapping the vCPU's fd:
 * mmap(NULL, KVM_GET_VCPU_MMAP_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED,
 * vcpu_fd, 0). kvmsim_mmap() is that call on a kvmsim vCPU handle: the
 * same arguments, the same kvm_run at offset 0 (the coalesced-MMIO ring
 * page after it stays empty: kvmsim has no coalesced MMIO), and the
 * mapping keeps the VM alive until kvmsim_munmap(), as a mapping of the
 * fd does.
 *
 * Exits to user space. A guest access to a guest-physical address that no
 * in-kernel device claims (kvmsim_guest_mmio(); an address outside the
 * VGIC's regions) and a PSCI SYSTEM_OFF or SYSTEM_RESET end KVM_RUN in
 * Linux with run->exit_reason KVM_EXIT_MMIO or KVM_EXIT_SYSTEM_EVENT. In
 * kvmsim the vCPU runs in simulated time, so the exit reaches user space
 * at a simulated time: after the trap, the world switch out, KVM's
 * handling and the return from the ioctl, each at its profile's cost.
 * There the vCPU's thread stops: kvm_run holds the exit as KVM fills it,
 * and kvmsim calls the vCPU's exit handler (kvmsim_vcpu_exit_handler()),
 * in simulation, at that time. The handler answers as a VMM does — an
 * MMIO load's data into run->mmio.data — and calls KVM_RUN on the vCPU
 * again: KVM completes the access (the load's register) and the vCPU
 * goes back in from the simulated time of that call (the profile's
 * user_entry, then the entry). A device model that takes time schedules
 * its own event (kvmsim_vm_sim()) and calls KVM_RUN from there. Without a
 * handler, the vCPU waits in user space until KVM_RUN is called, after
 * kvmsim_run() has returned say (run->exit_reason tells). The same rules
 * as Linux's: KVM_RUN with run->exit_reason KVM_EXIT_MMIO completes a
 * load of run->mmio.len bytes from run->mmio.data, and fails EINVAL for a
 * len over 8; it sets exit_reason to KVM_EXIT_UNKNOWN as it goes in.
 */

struct kvm_run; /* <kvmsim/kvm.h> */

/**
 * kvmsim_mmap() - mmap(2) of a kvmsim handle.
 *
 * On a vCPU handle, @length bytes from @offset (a multiple of the host's
 * page size) of its KVM_GET_VCPU_MMAP_SIZE bytes; @flags MAP_SHARED (or
 * MAP_SHARED_VALIDATE);
 * @addr a hint kvmsim ignores (MAP_FIXED: EINVAL); @prot is not enforced.
 * Returns the mapping, or MAP_FAILED ((void *)-1) with errno EBADF (not a
 * handle), ENODEV (a handle of another kind: system, VM, device and
 * eventfd handles have no mmap in 4.4), EINVAL (@length 0, @offset not
 * page-aligned, a private mapping (kvmsim maps shared only) or MAP_FIXED,
 * or a range beyond the vCPU's pages, where Linux would map and fault).
 */
void *kvmsim_mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset);

/**
 * kvmsim_munmap() - munmap(2) of a mapping kvmsim_mmap() returned, whole
 * (@addr and @length as given). 0, or -1 with errno EINVAL for anything
 * else (Linux unmaps any range).
 */
int kvmsim_munmap(void *addr, size_t length);

/**
 * kvmsim_vcpu_exit_handler() - @fn is called, in simulation, with the
 * vCPU's struct kvm_run each time its KVM_RUN returns to user space with
 * an exit (above). @fn NULL: none (the default). May be called anytime;
 * @fn may call the API on this VM (KVM_RUN to go on). 0, or -1 with
 * errno EBADF, EINVAL (not a vCPU handle).
 */
int kvmsim_vcpu_exit_handler(int vcpu_fd, void (*fn)(void *ctx, struct kvm_run *run),
			     void *ctx);

/**
 * kvmsim_run() - advance the simulated time of the VM behind @vm_fd by
 * @ns nanoseconds, running everything due meanwhile. Returns 0, or -1 with
 * errno EBADF (not open) or EINVAL (not a VM handle).
 */
int kvmsim_run(int vm_fd, uint64_t ns);

/**
 * kvmsim_now() - the VM's simulated time in picoseconds. Returns 0, or -1
 * with errno EBADF, EINVAL (not a VM handle) or EFAULT (@ps NULL).
 */
int kvmsim_now(int vm_fd, uint64_t *ps);

/* ---- kvmsim's own calls: the guest's behaviour and measurements ------------
 *
 * A real VMM runs guest code; a kvmsim workload describes what the guest
 * does instead. These calls need an initialised in-kernel irqchip that
 * models a guest (the ARM VGIC today): ENODEV without one, ENXIO before
 * its initialisation. Times are picoseconds of the VM's simulated clock.
 */

struct sim;

/* What a vCPU's guest does. */
struct kvmsim_guest {
	int wfi;                /* 1: idles in WFI (traps); 0: computes */
	/* Run time of the handler of each interrupt, in ps (a workload's
	 * distribution); NULL: 1,000 CPU cycles. Called in simulation. */
	uint64_t (*handler_ps)(void *ctx, unsigned vcpu, uint32_t intid);
	void *ctx;
	/* Interrupt-masking windows: the guest's code masks interrupts for
	 * mask_for_ps of every mask_every_ps (0: never). */
	uint64_t mask_every_ps, mask_for_ps;
};

/** kvmsim_vcpu_guest() - set the guest of the vCPU behind @vcpu_fd. */
int kvmsim_vcpu_guest(int vcpu_fd, const struct kvmsim_guest *g);

/* One interrupt's way to the guest's handler, in simulated ps: asserted,
 * queued and its vCPU kicked, that vCPU's exit begun (the CPU took the
 * physical interrupt that signals it, or it was exiting already) and done
 * (both 0 if no exit was needed), written into a list register, entry
 * done, the guest's acknowledge read made, handler entered (that read
 * returned), completed (EOI, or the EOI maintenance of a level
 * interrupt). */
struct kvmsim_irq_record {
	unsigned vcpu;
	uint32_t intid;
	uint64_t t_assert, t_kick, t_signal, t_exit, t_flush, t_entry, t_ack, t_handler, t_done;
	uint32_t coalesced; /* later assertions merged into it */
	uint32_t exits;     /* exits of its vCPU on the way */
};

/* One trapping guest instruction of kvmsim_guest_mmio() or
 * kvmsim_guest_hvc(), its way through the hypervisor in simulated ps. */
#define KVMSIM_ACCESS_MMIO 1
#define KVMSIM_ACCESS_HVC 2
struct kvmsim_access_record {
	unsigned vcpu;
	int kind;             /* KVMSIM_ACCESS_MMIO or _HVC */
	uint64_t addr;        /* MMIO: the address; HVC: x0, the function */
	uint32_t len;         /* MMIO: bytes */
	int is_write;         /* MMIO */
	uint32_t exit_reason; /* the exit to user space it made, or 0 (handled
			       * in the kernel) */
	uint64_t value;       /* what the guest got: a load's register, the
			       * HVC's x0 */
	/* the instruction (its trap), the exit done, KVM_RUN returned to the
	 * VMM and called again (both 0 in the kernel), the (last) entry begun
	 * (the VGIC's flush), the guest running past it (0: powered off
	 * first, and t_enter 0 too) */
	uint64_t t_access, t_exit, t_user, t_resume, t_enter, t_done;
	/* an MMIO store that hit an ioeventfd (KVM_IOEVENTFD): when KVM
	 * signalled its eventfd; else 0 */
	uint64_t t_notify;
};

struct kvmsim_observer {
	/* Called in simulation for each completed interrupt. */
	void (*record)(void *ctx, const struct kvmsim_irq_record *r);
	void *ctx;
	/* Called in simulation for each access of kvmsim_guest_mmio() and
	 * kvmsim_guest_hvc() when it is over (optional). */
	void (*access)(void *ctx, const struct kvmsim_access_record *r);
};

/** kvmsim_vm_observe() - receive the VM's interrupt records. */
int kvmsim_vm_observe(int vm_fd, const struct kvmsim_observer *o);

/* How many of a guest's trapping writes wait at most per vCPU for it to
 * run its own code again (kvmsim_guest_ipi()). */
#define KVMSIM_GUEST_WRITES_WAITING 16

/**
 * kvmsim_guest_ipi() - the guest on the vCPU behind @vcpu_fd sends SGI
 * @sgi to vCPU @target (a trapped GICD_SGIR / ICC_SGI1R_EL1 write) now.
 * A guest that is not running its own code (out of the guest, or in an
 * interrupt handler) makes the write when it runs its code again;
 * KVMSIM_GUEST_WRITES_WAITING (16) writes wait at most per vCPU, and one
 * more fails with EAGAIN: that IPI is never sent.
 */
int kvmsim_guest_ipi(int vcpu_fd, unsigned target, unsigned sgi);

/**
 * kvmsim_guest_ipi_full() - kvmsim_guest_ipi(), and where it fails with
 * EAGAIN, *@full_until (if not NULL) is set to a simulated time (ps)
 * before which it fails so again whatever happens meanwhile: none of the
 * 16 waiting writes can be made sooner (the guest runs its own code again
 * only at the end of its current step, or after an entry). At that time,
 * one may go either way. A source then knows the fate of its requests
 * until then without making each.
 */
int kvmsim_guest_ipi_full(int vcpu_fd, unsigned target, unsigned sgi, uint64_t *full_until);

/**
 * kvmsim_guest_irq_config() - the guest's driver configures SPI or PPI
 * @intid as edge-triggered (@edge 1) or level-sensitive (0), as it does
 * at boot through its distributor (GICD_ICFGR / GICR_ICFGR1).
 */
int kvmsim_guest_irq_config(int vm_fd, uint32_t intid, int edge);

/**
 * kvmsim_guest_timer() - the guest arms its virtual timer to fire at @at:
 * CNTV_CVAL_EL0 is set to the first count of the system counter at or
 * after @at, the timer enabled and unmasked.
 */
int kvmsim_guest_timer(int vcpu_fd, uint64_t at);

/* A load or store the guest makes (LDR/STR Xrt, [addr] of @len bytes). */
struct kvmsim_guest_access {
	uint64_t addr;    /* guest-physical */
	uint64_t value;   /* a store's value: the guest moves it into Xrt
			   * first (ignored for rt 31, XZR) */
	uint32_t len;     /* 1, 2, 4 or 8 */
	uint8_t rt;       /* the register loaded or stored, 0-31 (31: XZR) */
	uint8_t is_write;
};

/**
 * kvmsim_guest_mmio() - the guest on the vCPU behind @vcpu_fd accesses
 * @a->addr: the stage-2 fault traps (arm64 4.4: no memory slots are
 * simulated, so every address is MMIO). The VGIC's distributor and
 * redistributors are emulated in the kernel (kvm-unit-tests'
 * mmio_read_vgic); any other address exits to user space with
 * KVM_EXIT_MMIO (mmio_read_user). Made when the guest runs its own code,
 * as kvmsim_guest_ipi() (EAGAIN when 16 wait). EINVAL for a @len other
 * than 1, 2, 4, 8, an @rt over 31, a range that wraps, or GICv2's virtual
 * CPU interface (hardware the guest reaches without a trap).
 */
int kvmsim_guest_mmio(int vcpu_fd, const struct kvmsim_guest_access *a);

/**
 * kvmsim_guest_hvc() - the guest on the vCPU behind @vcpu_fd executes HVC
 * #0 with x0-x3 = @x0-@x3, which 4.4 KVM takes as a PSCI call (0.2 with
 * KVM_ARM_VCPU_PSCI_0_2, else 0.1): the result in x0 (ONE_REG, and the
 * access record). CPU_ON powers a vCPU on at an entry point, CPU_OFF the
 * caller off, SYSTEM_OFF/RESET exit to user space with
 * KVM_EXIT_SYSTEM_EVENT after powering every vCPU off. PSCI_VERSION is
 * kvm-unit-tests' hvc round trip. Made as kvmsim_guest_mmio() is.
 */
int kvmsim_guest_hvc(int vcpu_fd, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3);

/**
 * kvmsim_vm_sim() - the VM's simulation, for a workload's sources to
 * schedule events (<kvmsim/sim/sim.h>). Their callbacks run inside
 * kvmsim_run() and may call kvmsim_ioctl() and the calls above on this
 * VM. NULL (errno EBADF / EINVAL) if @vm_fd is not a VM handle.
 */
struct sim *kvmsim_vm_sim(int vm_fd);

/*
 * The host the VM runs on: its pCPUs for vCPU threads (the VMM's I/O
 * thread has one more), the host scheduler (0: the defaults), and its
 * noise: by default every host step's cost is spread around its profile
 * value (the cache, TLB and predictor state it meets; the mean stays the
 * profile's) and each vCPU pCPU takes the host kernel's timer tick, drawn
 * from @seed; @quiet turns both off, for the bare sums of the profile's
 * stages.
 */
struct kvmsim_host {
	unsigned pcpus;          /* 0: one per vCPU; fewer overcommit them */
	uint64_t slice_ps;       /* 0: 3 ms */
	uint64_t wakeup_gran_ps; /* 0: 1 ms */
	uint64_t halt_poll_ps;   /* KVM's halt_poll_ns (0: none, as 4.4) */
	uint64_t seed;           /* the noise's random streams */
	unsigned quiet;          /* 1: no noise */
};

/**
 * kvmsim_vm_host() - choose the host of the VM behind @vm_fd, before its
 * in-kernel irqchip is initialised (EBUSY after); more pCPUs than vCPUs
 * count as one per vCPU.
 */
int kvmsim_vm_host(int vm_fd, const struct kvmsim_host *h);

/*
 * A host timing profile: the simulated host a VM runs on, chosen by its
 * in-kernel irqchip (an X-Gene for a GICv2 VGIC, an Altra for GICv3).
 * @calibration names the published rows (at most three, as "TABLE/ROW" of
 * workloads/microbench/'s benchmark sections) its fitted constants were
 * derived from; every other published row is a prediction of it.
 */
#define KVMSIM_MAX_CALIBRATION 3
struct kvmsim_profile {
	const char *name;        /* "xgene-gicv2", "altra-gicv3" */
	const char *description;
	uint64_t cpu_hz;         /* the CPU clock its cycle costs count */
	const char *calibration[KVMSIM_MAX_CALIBRATION + 1]; /* NULL-terminated */
};

/**
 * kvmsim_profile() - the profile called @name into *@out. Returns 0, or -1
 * with errno ENOENT (no such profile) or EFAULT (@name or @out NULL).
 */
int kvmsim_profile(const char *name, struct kvmsim_profile *out);

/** kvmsim_vcpu_counters() - exits and entries of a vCPU so far. */
int kvmsim_vcpu_counters(int vcpu_fd, uint64_t *exits, uint64_t *entries);

#ifdef __cplusplus
}
#endif

#endif /* KVMSIM_KVMSIM_H */
