/* SPDX-License-Identifier: MIT */
/*
 * kvm_int.h — private state of the KVM API layer: handles, hosts, VMs,
 * vCPUs and devices. Only kvm/ includes it.
 */
#ifndef KVMSIM_KVM_INT_H
#define KVMSIM_KVM_INT_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <kvmsim/kvm.h>
#include <kvmsim/kvmsim.h>


enum kvm_arch {
	KVM_ARCH_ARM64,
	KVM_ARCH_PPC,
	KVM_ARCH_S390,
	KVM_ARCH_X86,
};

/* What a capability's value depends on. */
enum kvm_cap_need {
	KVM_NEED_NOTHING,
	KVM_NEED_DEVICE,  /* a device type (cap_entry.dev) kvmsim has built */
	KVM_NEED_UNBUILT, /* something kvmsim does not model yet (the entry
			   * says what): reported as 0 until it lands */
};

struct kvm_cap_entry {
	uint32_t cap;
	int64_t value;
	enum kvm_cap_need need;
	uint32_t dev; /* KVM_DEV_TYPE_* for KVM_NEED_DEVICE */
};

/* A simulated host: what /dev/kvm of that architecture answers. */
struct kvm_host_desc {
	const char *name;
	enum kvm_arch arch;
	uint32_t legacy_irqchip; /* KVM_DEV_TYPE_* KVM_CREATE_IRQCHIP builds,
				  * 0 when kvmsim does not build it (yet) */
	uint32_t max_vcpus;    /* KVM_MAX_VCPUS: ids and count below it */
	uint32_t page_size;    /* the host kernel's PAGE_SIZE */
	uint32_t run_pages;    /* KVM_GET_VCPU_MMAP_SIZE in pages: kvm_run, the
				* PIO page on x86, the coalesced MMIO ring where
				* 4.4 defines KVM_COALESCED_MMIO_PAGE_OFFSET */
	int unknown_vm_errno;   /* unknown request on a VM handle */
	int unknown_vcpu_errno; /* unknown request on a vCPU handle */
	uint32_t vm_types;      /* bit n: KVM_CREATE_VM accepts type n */
	uint32_t device_types;  /* bit n: KVM_DEV_TYPE n exists on this host */
	const struct kvm_cap_entry *caps;
	size_t ncaps;
};

struct kvm_device;

/*
 * struct kvm_device_ops - a device type, as Linux's. Listed in
 * kvmsim_device_table[] (kvm_devices.c) by type; kvm/ core names none.
 */
struct kvm_device_ops {
	const char *name;
	/* Mandatory. Called by KVM_CREATE_DEVICE with the VM locked; returns
	 * 0 or -errno (e.g. -EEXIST for a second instance). */
	int (*create)(struct kvm_device *dev, uint32_t type);
	/* Mandatory. Called when the VM is destroyed. */
	void (*destroy)(struct kvm_device *dev);
	/* Optional (NULL: the request fails EPERM). The attribute struct is
	 * already copied in; payloads go through kvm_copy_from/to_user().
	 * Return >= 0 or -errno. */
	int (*set_attr)(struct kvm_device *dev, const struct kvm_device_attr *attr);
	int (*get_attr)(struct kvm_device *dev, const struct kvm_device_attr *attr);
	int (*has_attr)(struct kvm_device *dev, const struct kvm_device_attr *attr);
	/* Optional. The timing profile the host of a VM with this device
	 * type runs on (kvmsim_profile()): 0, or -ENOENT for none. */
	int (*profile)(uint32_t type, struct kvmsim_profile *out);
};

extern const struct kvm_device_ops *const kvmsim_device_table[KVM_DEV_TYPE_MAX];

struct kvm_vm;

/*
 * struct kvm_irqchip_ops - what the VM's in-kernel interrupt controller
 * answers for VM-level requests (Linux's arch hooks). A device that is the
 * VM's irqchip sets vm->irqchip and vm->irqchip_ops in its create(). All
 * members are called with the VM locked and return 0 or -errno.
 */
struct kvm_irqchip_ops {
	/* Mandatory. KVM_CREATE_VCPU is about to create @id: -EBUSY once the
	 * controller is initialised. */
	int (*vcpu_create)(struct kvm_device *dev, uint32_t id);
	/* Mandatory. KVM_IRQ_LINE / _STATUS with this architecture's
	 * encoding of irq; @status gets the _STATUS result where the
	 * architecture has one. */
	int (*irq_line)(struct kvm_device *dev, uint32_t irq, uint32_t level,
			int32_t *status);
	/* Mandatory. Whether an irqfd may be assigned now (0 or -EAGAIN). */
	int (*irqfd_ready)(struct kvm_device *dev);
	/* Mandatory. Drive GSI @gsi from an irqfd; the result is ignored by
	 * irqfd, as Linux ignores it. @since: when the eventfd write that
	 * drives it happened (simulated ps), if before now; 0: now. */
	int (*set_gsi)(struct kvm_device *dev, uint32_t gsi, int level, uint64_t since);
	/* Optional (NULL: 0). Simulated ps from an eventfd's write(2) to
	 * its irqfd's set_gsi: the system call, and the kworker's wake-up
	 * where the kernel defers irqfd injection to a work item. */
	uint64_t (*irqfd_delay)(struct kvm_device *dev);
	/* Optional. KVM_ARM_SET_DEVICE_ADDR. */
	int (*set_device_addr)(struct kvm_device *dev, uint64_t id, uint64_t addr);
	/* Mandatory. KVM_RUN on the vCPU created @index-th: first-run checks,
	 * then the vCPU runs in the VM's simulation. */
	int (*vcpu_run)(struct kvm_device *dev, uint32_t index);
	/* Optional: kvmsim's guest model and measurements (kvmsim.h), for a
	 * controller that models the guest. @index: the vCPU's creation
	 * order. 0 or -errno (-ENXIO before initialisation). */
	int (*sim_guest)(struct kvm_device *dev, uint32_t index, const struct kvmsim_guest *g);
	int (*sim_observe)(struct kvm_device *dev, const struct kvmsim_observer *o);
	int (*sim_guest_ipi)(struct kvm_device *dev, uint32_t from, uint32_t to, uint32_t sgi,
			     uint64_t *full_until);
	int (*sim_guest_timer)(struct kvm_device *dev, uint32_t index, uint64_t at);
	int (*sim_guest_irq_config)(struct kvm_device *dev, uint32_t intid, int edge);
	int (*sim_counters)(struct kvm_device *dev, uint32_t index, uint64_t *exits,
			    uint64_t *entries);
	/* Whether the controller has built its host (kvmsim_vm_host: EBUSY). */
	bool (*sim_host_built)(struct kvm_device *dev);
	/* Optional: a guest access of the vCPU created @index-th to a
	 * guest-physical address (KVM's io bus): 1 if a region of this
	 * device emulates it in the kernel (*@val in or out, *@cycles += its
	 * cost), 0 if none claims it (an exit to user space). */
	int (*mmio)(struct kvm_device *dev, uint32_t index, uint64_t addr, uint32_t len,
		    bool write, uint64_t *val, uint64_t *cycles);
	/* Optional: whether [@addr, +@len) is mapped to hardware that the
	 * guest reaches without a trap (GICv2's virtual CPU interface). */
	bool (*mmio_direct)(struct kvm_device *dev, uint64_t addr, uint32_t len);
	/* Optional (arm64): the virtual timer's register @reg (0 CTL, 1 CNT,
	 * 2 CVAL) of the vCPU created @index-th; -ENXIO while the controller
	 * has no host (kvm_arm.c keeps them until then). */
	int (*timer_reg)(struct kvm_device *dev, uint32_t index, unsigned reg, bool write,
			 uint64_t *val);
	/* Optional (arm64): the system counter's frequency, Hz. */
	uint64_t (*counter_hz)(struct kvm_device *dev);
};

struct cpu_vcpu;

/*
 * struct kvm_guest_op - a trapping instruction kvmsim_guest_mmio() or
 * kvmsim_guest_hvc() had the guest make, kept until it is over; the CPU's
 * trap carries its tag. More slots than the 16 that wait and the one in
 * hand, so a live one is never reused.
 */
#define KVM_GUEST_OPS 32
struct kvm_guest_op {
	uint64_t tag;
	uint64_t x[4]; /* HVC: x0-x3; MMIO: the address, the value stored */
	uint32_t len;  /* MMIO */
	uint8_t rt;    /* MMIO: the register (31: XZR) */
	bool write;    /* MMIO */
	uint64_t t_notify; /* MMIO: when it signalled an ioeventfd (ps), or 0 */
};

struct kvm_vcpu {
	struct kvm_vm *vm;
	uint32_t id;
	uint32_t index;   /* creation order */
	bool initialized; /* arm: KVM_ARM_VCPU_INIT done */
	uint32_t features; /* arm: its feature bits */
	bool ran;         /* KVM_RUN succeeded once */
	bool started;     /* its thread went into KVM_RUN in the simulation */
	bool line[2]; /* arm: IRQ and FIQ inputs driven by KVM_IRQ_LINE
		       * without an in-kernel irqchip */
	struct kvm_run *run; /* its mapping: host->run_pages pages */
	struct cpu_vcpu *cpu; /* its CPU once the irqchip built the host */
	struct kvm_arm_vcpu *arm; /* arm64 hosts: its registers and the rest */
	void (*exit_fn)(void *ctx, struct kvm_run *run); /* kvmsim_vcpu_exit_handler */
	void *exit_ctx;
};

/*
 * struct kvm_arm_vcpu - what KVM keeps of an arm64 vCPU (kvm_arm.c): its
 * architecture's state, apart from struct kvm_vcpu, which every host's
 * requests read; allocated with the vCPU on an arm64 host.
 */
struct kvm_arm_vcpu {
	struct kvm_regs regs; /* the core registers */
	uint64_t mpidr;       /* MPIDR_EL1 */
	bool power_off;       /* PSCI, until the CPU exists */
	uint8_t mmio_rt;      /* the load's register (4.4 mmio_decode.rt) */
	uint64_t timer[3];    /* CTL, -, CVAL until the CPU exists */
	struct kvm_guest_op ops[KVM_GUEST_OPS]; /* by tag % KVM_GUEST_OPS */
	uint64_t ops_tag;     /* the last tag given */
};

struct kvm_irqfd_item;
struct kvm_ioeventfd_item;

struct kvm_device {
	struct kvm_vm *vm;
	const struct kvm_device_ops *ops;
	uint32_t type;
	void *priv; /* the device's own state */
	struct kvm_device *next;
};

struct kvm_vm {
	pthread_mutex_t lock;
	const struct kvm_host_desc *host;
	unsigned refs; /* open handles of this VM, under kvm_handles_lock */
	uint32_t type;
	struct sim *sim; /* this VM's simulated time */
	struct kvm_vcpu **vcpus;
	uint32_t nvcpus;
	uint32_t max_vcpus; /* ids and count below it: the host's, or less
			     * once an irqchip says so */
	struct kvm_device *devices;
	struct kvm_device *irqchip; /* the in-kernel irqchip, or NULL */
	const struct kvm_irqchip_ops *irqchip_ops;
	struct kvm_irqfd_item *irqfds;
	struct kvm_ioeventfd_item *ioeventfds;
	struct kvm_irq_routing_entry *routes; /* KVM_SET_GSI_ROUTING's table */
	uint32_t nroutes;
	bool s390_use_irqchip; /* KVM_CAP_S390_IRQCHIP enabled */
	uint64_t cntvoff; /* arm64: CNTVOFF until the irqchip has a host */
	struct kvmsim_observer obs; /* kvmsim_vm_observe() */
	struct kvm_s390_vm *s390; /* s390 VM attributes (kvm_s390.c), or NULL */
	struct kvmsim_host sim_host; /* kvmsim_vm_host() */
};

/* ---- kvm_arm.c: arm64 vCPUs (registers, PSCI, exits) ------------------------ */

long kvm_arm_preferred_target(unsigned long uaddr);
long kvm_arm_vcpu_init(struct kvm_vcpu *vcpu, unsigned long uaddr);
long kvm_arm_one_reg(struct kvm_vcpu *vcpu, unsigned long uaddr, bool set);
long kvm_arm_reg_list(struct kvm_vcpu *vcpu, unsigned long uaddr);
long kvm_arm_vcpu_run(struct kvm_vcpu *vcpu);
int kvm_arm_guest_mmio(struct kvm_vcpu *vcpu, const struct kvmsim_guest_access *a);
int kvm_arm_guest_hvc(struct kvm_vcpu *vcpu, const uint64_t x[4]);
/*
 * kvm_vcpu_attach() - an irqchip that builds the VM's host gives each
 * vCPU its CPU model (@cpu), once: KVM's exit handling (MMIO, HVC/PSCI,
 * exits to user space) is installed on it and the state kept until then
 * (power, timer registers) moves to it.
 */
void kvm_vcpu_attach(struct kvm_vcpu *vcpu, struct cpu_vcpu *cpu);

/* ---- kvm_s390.c: s390 VM attributes (§8) ------------------------------------ */

long kvm_s390_vm_attr(struct kvm_vm *vm, unsigned int req, unsigned long uaddr);
void kvm_s390_vm_free(struct kvm_vm *vm);

/* ---- kvm_host.c ---------------------------------------------------------- */

const struct kvm_host_desc *kvm_host_find(const char *name);
int64_t kvm_check_extension(const struct kvm_host_desc *host, unsigned long cap);
bool kvm_device_available(const struct kvm_host_desc *host, uint32_t type);

/* ---- kvm_user.c: argument pointers, EFAULT instead of a crash ------------ */

int kvm_copy_from_user(void *dst, uint64_t uaddr, size_t n);
int kvm_copy_to_user(uint64_t uaddr, const void *src, size_t n);

/* ---- kvm_vm.c ------------------------------------------------------------ */

long kvm_vm_ioctl(struct kvm_vm *vm, unsigned int req, unsigned long arg);
long kvm_vcpu_ioctl(struct kvm_vcpu *vcpu, unsigned int req, unsigned long arg);
long kvm_device_ioctl(struct kvm_device *dev, unsigned int req, unsigned long arg);
void kvm_vm_destroy(struct kvm_vm *vm);
/* A device of @type in @vm without a handle (KVM_CREATE_IRQCHIP). */
int kvm_device_create(struct kvm_vm *vm, uint32_t type, struct kvm_device **out);

/* ---- kvm_irq.c: architecture interrupt requests (VM locked) ------------------ */

long kvm_set_gsi_routing(struct kvm_vm *vm, unsigned long uaddr);
long kvm_arch_create_irqchip(struct kvm_vm *vm);
long kvm_signal_msi(struct kvm_vm *vm, unsigned long uaddr);
long kvm_vm_enable_cap(struct kvm_vm *vm, unsigned long uaddr);

/* ---- kvm_eventfd.c: simulated eventfds and irqfd --------------------------- */

struct kvm_eventfd;

/* KVM_IRQFD on @vm (VM locked). */
long kvm_irqfd(struct kvm_vm *vm, const struct kvm_irqfd *args);
/* Remove every irqfd of @vm (VM destruction). */
void kvm_irqfd_release_all(struct kvm_vm *vm);
/* KVM_IOEVENTFD on @vm (VM locked). */
long kvm_ioeventfd(struct kvm_vm *vm, const struct kvm_ioeventfd *args);
/* A guest's MMIO write of @len bytes of @val at @addr: signal the
 * ioeventfd it hits (0), or -EOPNOTSUPP for none (VM locked). */
int kvm_ioeventfd_write(struct kvm_vm *vm, uint64_t addr, unsigned len, uint64_t val);
/* Remove every ioeventfd of @vm (VM destruction). */
void kvm_ioeventfd_release_all(struct kvm_vm *vm);
/* The eventfd behind handle @fd, with a reference; -EBADF if @fd is not
 * open, -EINVAL if it is not an eventfd. */
int kvm_eventfd_get(int fd, struct kvm_eventfd **out);
void kvm_eventfd_put(struct kvm_eventfd *e);
/* Add @n to the counter and wake the irqfds (kvmsim_eventfd_write, or a
 * simulated device). @locked: a VM whose lock the caller holds. 0, or
 * -EAGAIN if the counter would pass 0xfffffffffffffffe. */
int kvm_eventfd_signal(struct kvm_eventfd *e, uint64_t n, struct kvm_vm *locked);
/* The handle's eventfd is closed: hang up every irqfd on it. */
void kvm_eventfd_hangup(struct kvm_eventfd *e);
/* Ack notifier for resampling irqfds: the guest completed GSI @gsi. */
void kvm_notify_acked_gsi(struct kvm_vm *vm, uint32_t gsi);

/* ---- kvm_main.c: handles ------------------------------------------------- */

enum kvm_handle_kind {
	KVM_HANDLE_SYSTEM = 1,
	KVM_HANDLE_VM,
	KVM_HANDLE_VCPU,
	KVM_HANDLE_DEVICE,
	KVM_HANDLE_EVENTFD,
};

/* A new handle for @obj (a VM, vCPU or device of @vm, which gains a
 * reference), or -errno. */
int kvm_handle_new(enum kvm_handle_kind kind, void *obj, struct kvm_vm *vm);
/* Look @fd up: its kind, or -EBADF. If it is of @kind, @get(obj) runs
 * under the handle lock (to take a reference) and *@obj is set. */
int kvm_handle_with(int fd, enum kvm_handle_kind kind, void (*get)(void *obj),
		    void **obj);
/* Pin a VM unless it is being destroyed / unpin it (the last reference
 * destroys it). Lock order: VM lock, eventfd lock, handle lock. */
bool kvm_vm_tryget(struct kvm_vm *vm);
void kvm_vm_put(struct kvm_vm *vm);
/* A new eventfd object with one reference (its handle's). */
struct kvm_eventfd *kvm_eventfd_new(uint64_t initval);
int kvm_eventfd_read(struct kvm_eventfd *e, uint64_t *value);

#endif /* KVMSIM_KVM_INT_H */
