// SPDX-License-Identifier: MIT
/*
 * kvm_main.c — handles and the entry points of <kvmsim/kvmsim.h>: the
 * handle table, the system handle's requests, and dispatch to VM, vCPU and
 * device handles (kvm_vm.c). Internally every function returns >= 0 or
 * -errno; only kvmsim_ioctl() turns that into -1 and errno.
 *
 * The handle table is the simulated process's fd table, so it is
 * process-wide and changes behind one lock; everything a handle reaches
 * belongs to one VM and is used under that VM's lock. The simulation
 * thread reads it without the lock for handles of the VM it runs (see
 * handle_get()), as the sources of a workload call the API on every
 * injection.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include <kvmsim/kvmsim.h>

#include "kvm_int.h"
#include "sim/sim.h"

#define FIRST_HANDLE 3 /* handles look like fds after stdin/out/err */
#define MAX_HANDLES 65536
#define CHUNK_HANDLES 256

struct handle {
	enum kvm_handle_kind kind; /* 0: free */
	void *obj;                 /* host desc, VM, vCPU or device */
	struct kvm_vm *vm;         /* NULL for system handles */
	bool held; /* (a lookup's copy) this thread runs @vm: no reference
		    * taken, and its lock is held already */
};

/*
 * The table: chunks of CHUNK_HANDLES entries, allocated as fds reach them
 * and never moved or freed, so an entry can be read without handles_lock.
 * Every change of an entry is made under the lock between two increments
 * of handles_seq; a reader that finds the same even count before and
 * after its reads has read one consistent entry (handle_peek()).
 */
static pthread_mutex_t handles_lock = PTHREAD_MUTEX_INITIALIZER;
static struct handle *chunks[MAX_HANDLES / CHUNK_HANDLES];
static int nhandles; /* fds below it have their chunk */
static unsigned long handles_seq;

/* The VM whose simulation this thread runs (inside kvmsim_run(), which
 * pins the VM and holds its lock), or NULL. */
static __thread struct kvm_vm *running __attribute__((tls_model("initial-exec")));

/* Entry @fd (< nhandles); caller holds handles_lock. */
static struct handle *entry(int fd)
{
	return &chunks[fd / CHUNK_HANDLES][fd % CHUNK_HANDLES];
}

/* Set entry @fd to @h; caller holds handles_lock. */
static void entry_set(int fd, const struct handle *h)
{
	struct handle *e = entry(fd);
	unsigned long seq = __atomic_load_n(&handles_seq, __ATOMIC_RELAXED);

	__atomic_store_n(&handles_seq, seq + 1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE);
	__atomic_store_n(&e->kind, h->kind, __ATOMIC_RELAXED);
	__atomic_store_n(&e->obj, h->obj, __ATOMIC_RELAXED);
	__atomic_store_n(&e->vm, h->vm, __ATOMIC_RELAXED);
	__atomic_store_n(&handles_seq, seq + 2, __ATOMIC_RELEASE);
}

/* Entry @fd read without the lock: false if it changed meanwhile (or is
 * beyond the table). */
static bool handle_peek(int fd, struct handle *out)
{
	unsigned long seq = __atomic_load_n(&handles_seq, __ATOMIC_ACQUIRE);
	const struct handle *chunk, *e;

	if ((seq & 1) || fd < FIRST_HANDLE || fd >= MAX_HANDLES)
		return false;
	chunk = __atomic_load_n(&chunks[fd / CHUNK_HANDLES], __ATOMIC_ACQUIRE);
	if (!chunk)
		return false;
	e = &chunk[fd % CHUNK_HANDLES];
	out->kind = __atomic_load_n(&e->kind, __ATOMIC_RELAXED);
	out->obj = __atomic_load_n(&e->obj, __ATOMIC_RELAXED);
	out->vm = __atomic_load_n(&e->vm, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return __atomic_load_n(&handles_seq, __ATOMIC_RELAXED) == seq;
}

/* Takes handles_lock. Returns the new handle or -errno. */
int kvm_handle_new(enum kvm_handle_kind kind, void *obj, struct kvm_vm *vm)
{
	int fd;

	pthread_mutex_lock(&handles_lock);
	for (fd = FIRST_HANDLE; fd < nhandles; fd++)
		if (!entry(fd)->kind)
			break;
	if (fd >= nhandles) {
		struct handle *c;

		if (fd >= MAX_HANDLES) {
			pthread_mutex_unlock(&handles_lock);
			return -EMFILE;
		}
		c = calloc(CHUNK_HANDLES, sizeof(*c));
		if (!c) {
			pthread_mutex_unlock(&handles_lock);
			return -ENOMEM;
		}
		__atomic_store_n(&chunks[fd / CHUNK_HANDLES], c, __ATOMIC_RELEASE);
		nhandles += CHUNK_HANDLES;
	}
	entry_set(fd, &(struct handle){ .kind = kind, .obj = obj, .vm = vm });
	if (vm)
		vm->refs++;
	pthread_mutex_unlock(&handles_lock);
	return fd;
}

/* Drops one reference of @vm; the last one destroys it. Caller holds
 * handles_lock. Returns the VM to destroy (outside the lock) or NULL. */
static struct kvm_vm *vm_put_locked(struct kvm_vm *vm)
{
	return vm && --vm->refs == 0 ? vm : NULL;
}

/*
 * Looks @fd up and pins its VM. Returns 0 or -EBADF. A handle of the VM
 * this thread runs needs neither: the run pins the VM, whose objects live
 * as long as it does, so the entry is read without the lock and no
 * reference is taken (out->held).
 */
static int handle_get(int fd, struct handle *out)
{
	int err = -EBADF;

	if (running && handle_peek(fd, out) && out->kind && out->vm == running) {
		out->held = true;
		return 0;
	}
	pthread_mutex_lock(&handles_lock);
	if (fd >= FIRST_HANDLE && fd < nhandles && entry(fd)->kind) {
		*out = *entry(fd);
		out->held = false;
		if (out->vm)
			out->vm->refs++;
		err = 0;
	}
	pthread_mutex_unlock(&handles_lock);
	return err;
}

/* The lock of @h's VM, unless this thread holds it already (out->held). */
static void handle_lock(const struct handle *h)
{
	if (!h->held)
		pthread_mutex_lock(&h->vm->lock);
}

static void handle_unlock(const struct handle *h)
{
	if (!h->held)
		pthread_mutex_unlock(&h->vm->lock);
}

int kvm_handle_with(int fd, enum kvm_handle_kind kind, void (*get)(void *obj),
		    void **obj)
{
	int r = -EBADF;

	pthread_mutex_lock(&handles_lock);
	if (fd >= FIRST_HANDLE && fd < nhandles && entry(fd)->kind) {
		r = (int)entry(fd)->kind;
		if (entry(fd)->kind == kind) {
			get(entry(fd)->obj);
			*obj = entry(fd)->obj;
		}
	}
	pthread_mutex_unlock(&handles_lock);
	return r;
}

bool kvm_vm_tryget(struct kvm_vm *vm)
{
	bool ok;

	pthread_mutex_lock(&handles_lock);
	ok = vm->refs > 0;
	if (ok)
		vm->refs++;
	pthread_mutex_unlock(&handles_lock);
	return ok;
}

void kvm_vm_put(struct kvm_vm *vm)
{
	struct kvm_vm *dead;

	pthread_mutex_lock(&handles_lock);
	dead = vm_put_locked(vm);
	pthread_mutex_unlock(&handles_lock);
	if (dead)
		kvm_vm_destroy(dead);
}

static void handle_put(struct handle *h)
{
	struct kvm_vm *dead;

	if (h->held)
		return;
	pthread_mutex_lock(&handles_lock);
	dead = vm_put_locked(h->vm);
	pthread_mutex_unlock(&handles_lock);
	if (dead)
		kvm_vm_destroy(dead);
}

/* ---- the system handle ---------------------------------------------------- */

static long create_vm(const struct kvm_host_desc *host, unsigned long type)
{
	struct kvm_vm *vm;
	int fd;

	if (type >= 32 || !(host->vm_types & (UINT32_C(1) << type)))
		return -EINVAL;
	vm = calloc(1, sizeof(*vm));
	if (!vm)
		return -ENOMEM;
	/* A VM's events are cycles of GHz clocks, and a vCPU's next one is
	 * mostly tens of ns to a few us ahead: 65.5 ns wheel slots (level 0
	 * spans 4.2 us) take most of them straight into the lowest level,
	 * where 1 ns slots sent nearly every one through a cascade. The order
	 * of events does not depend on the slot width. */
	vm->sim = sim_create(&(struct sim_config){ .slot_shift = 16 });
	if (!vm->sim) {
		free(vm);
		return -ENOMEM;
	}
	/* recursive: a workload's callbacks run inside kvmsim_run() with the
	 * VM locked and may call back into the API on the same VM */
	pthread_mutexattr_t attr;
	pthread_mutexattr_init(&attr);
	pthread_mutexattr_settype(&attr, PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&vm->lock, &attr);
	pthread_mutexattr_destroy(&attr);
	vm->host = host;
	vm->type = (uint32_t)type;
	vm->max_vcpus = host->max_vcpus;
	fd = kvm_handle_new(KVM_HANDLE_VM, vm, vm);
	if (fd < 0) {
		pthread_mutex_destroy(&vm->lock);
		sim_destroy(vm->sim);
		free(vm);
	}
	return fd;
}

static long system_ioctl(const struct kvm_host_desc *host, unsigned int req,
			 unsigned long arg)
{
	switch (req) {
	case KVM_GET_API_VERSION:
		return arg ? -EINVAL : KVM_API_VERSION;
	case KVM_CREATE_VM:
		return create_vm(host, arg);
	case KVM_CHECK_EXTENSION:
		return kvm_check_extension(host, arg);
	case KVM_GET_VCPU_MMAP_SIZE:
		/* PAGE_SIZE each: kvm_run, x86's PIO page, the coalesced MMIO
		 * ring where the arch defines its offset (kvm_main.c of 4.4) */
		return arg ? -EINVAL : (long)host->run_pages * host->page_size;
	default:
		/* kvm_arch_dev_ioctl() of every 4.4 architecture */
		return -EINVAL;
	}
}

/* ---- entry points ----------------------------------------------------------- */

/*
 * Every request number kvmsim knows, for translating a powerpc-encoded one
 * (a ppc host accepts both encodings).
 */
static const unsigned int known_requests[] = {
	KVM_GET_API_VERSION, KVM_CREATE_VM, KVM_CHECK_EXTENSION,
	KVM_GET_VCPU_MMAP_SIZE, KVM_CREATE_VCPU, KVM_CREATE_IRQCHIP,
	KVM_IRQ_LINE, KVM_GET_IRQCHIP, KVM_SET_IRQCHIP, KVM_IRQ_LINE_STATUS,
	KVM_SET_GSI_ROUTING, KVM_IRQFD, KVM_RUN, KVM_INTERRUPT,
	KVM_S390_INTERRUPT, KVM_ENABLE_CAP, KVM_SIGNAL_MSI, KVM_GET_ONE_REG,
	KVM_SET_ONE_REG, KVM_ARM_VCPU_INIT, KVM_S390_IRQ, KVM_S390_SET_IRQ_STATE,
	KVM_S390_GET_IRQ_STATE, KVM_CREATE_DEVICE, KVM_SET_DEVICE_ATTR,
	KVM_GET_DEVICE_ATTR, KVM_HAS_DEVICE_ATTR, KVM_GET_REG_LIST,
};

static unsigned int ppc_to_generic(unsigned int req)
{
	for (size_t i = 0; i < sizeof(known_requests) / sizeof(known_requests[0]); i++)
		if (kvmsim_ppc_request(known_requests[i]) == req)
			return known_requests[i];
	return req;
}

static const struct kvm_host_desc *handle_host(const struct handle *h)
{
	if (h->kind == KVM_HANDLE_EVENTFD)
		return NULL;
	return h->vm ? h->vm->host : (const struct kvm_host_desc *)h->obj;
}

int kvmsim_open(const char *arch)
{
	const struct kvm_host_desc *host = kvm_host_find(arch);
	int fd;

	if (!host) {
		errno = EINVAL;
		return -1;
	}
	fd = kvm_handle_new(KVM_HANDLE_SYSTEM, (void *)host, NULL);
	if (fd < 0) {
		errno = -fd;
		return -1;
	}
	return fd;
}

int kvmsim_ioctl(int fd, unsigned long request, ...)
{
	/* As in Linux, the request is an unsigned int; higher bits are lost. */
	unsigned int req = (unsigned int)request;
	struct handle h;
	unsigned long arg;
	va_list ap;
	long r;

	va_start(ap, request);
	arg = va_arg(ap, unsigned long);
	va_end(ap);

	r = handle_get(fd, &h);
	if (r) {
		errno = EBADF;
		return -1;
	}
	if (handle_host(&h) && handle_host(&h)->arch == KVM_ARCH_PPC)
		req = ppc_to_generic(req);
	if (h.kind == KVM_HANDLE_SYSTEM) {
		r = system_ioctl(h.obj, req, arg);
	} else if (h.kind == KVM_HANDLE_EVENTFD) {
		r = -ENOTTY; /* an eventfd has no ioctls */
	} else {
		handle_lock(&h);
		if (h.kind == KVM_HANDLE_VM)
			r = kvm_vm_ioctl(h.vm, req, arg);
		else if (h.kind == KVM_HANDLE_VCPU)
			r = kvm_vcpu_ioctl(h.obj, req, arg);
		else
			r = kvm_device_ioctl(h.obj, req, arg);
		handle_unlock(&h);
	}
	handle_put(&h);
	if (r < 0) {
		errno = (int)-r;
		return -1;
	}
	return (int)r;
}

int kvmsim_close(int fd)
{
	struct kvm_vm *dead = NULL;
	struct kvm_eventfd *efd = NULL;
	int err = -EBADF;

	pthread_mutex_lock(&handles_lock);
	if (fd >= FIRST_HANDLE && fd < nhandles && entry(fd)->kind) {
		if (entry(fd)->kind == KVM_HANDLE_EVENTFD)
			efd = entry(fd)->obj;
		dead = vm_put_locked(entry(fd)->vm);
		entry_set(fd, &(struct handle){ 0 });
		err = 0;
	}
	pthread_mutex_unlock(&handles_lock);
	if (efd) {
		/* the last file reference is gone: POLLHUP removes its irqfds */
		kvm_eventfd_hangup(efd);
		kvm_eventfd_put(efd);
	}
	if (dead)
		kvm_vm_destroy(dead);
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

/* ---- simulated eventfds ------------------------------------------------------ */

int kvmsim_eventfd(unsigned int initval, int flags)
{
	struct kvm_eventfd *e;
	int fd;

	if (flags) {
		errno = EINVAL;
		return -1;
	}
	e = kvm_eventfd_new(initval);
	if (!e) {
		errno = ENOMEM;
		return -1;
	}
	fd = kvm_handle_new(KVM_HANDLE_EVENTFD, e, NULL);
	if (fd < 0) {
		kvm_eventfd_put(e);
		errno = -fd;
		return -1;
	}
	return fd;
}

int kvmsim_eventfd_write(int fd, uint64_t value)
{
	struct kvm_eventfd *e;
	int err = kvm_eventfd_get(fd, &e);

	if (err) {
		errno = -err;
		return -1;
	}
	if (value == UINT64_MAX)
		err = -EINVAL; /* eventfd(2): 0xffffffffffffffff is not a value */
	else
		err = kvm_eventfd_signal(e, value, NULL);
	kvm_eventfd_put(e);
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

int kvmsim_eventfd_read(int fd, uint64_t *value)
{
	struct kvm_eventfd *e;
	int err = kvm_eventfd_get(fd, &e);

	if (err) {
		errno = -err;
		return -1;
	}
	if (!value)
		err = -EFAULT;
	else
		err = kvm_eventfd_read(e, value);
	kvm_eventfd_put(e);
	if (err) {
		errno = -err;
		return -1;
	}
	return 0;
}

/* ---- a vCPU's mapping ------------------------------------------------------------ */

/* The mappings kvmsim_mmap() made: each pins its VM, as a mapping of a
 * vCPU fd pins the vCPU's file. */
struct mapping {
	void *addr;
	size_t len;
	struct kvm_vcpu *vcpu;
	struct mapping *next;
};
static pthread_mutex_t maps_lock = PTHREAD_MUTEX_INITIALIZER;
static struct mapping *maps;

void *kvmsim_mmap(void *addr, size_t length, int prot, int flags, int fd, off_t offset)
{
	struct handle h;
	struct kvm_vcpu *vcpu;
	struct mapping *m;
	size_t size, page;
	int err = 0, type = flags & MAP_TYPE;

	(void)addr;
	(void)prot; /* not enforced */
	if (handle_get(fd, &h)) {
		errno = EBADF;
		return MAP_FAILED;
	}
	if (h.kind != KVM_HANDLE_VCPU) {
		handle_put(&h);
		errno = ENODEV; /* no mmap in its file operations */
		return MAP_FAILED;
	}
	vcpu = h.obj;
	page = h.vm->host->page_size;
	size = (size_t)h.vm->host->run_pages * page;
	if (!length || offset < 0 || (size_t)offset % page || (flags & MAP_FIXED) ||
	    (type != MAP_SHARED && type != MAP_SHARED_VALIDATE) || (size_t)offset >= size ||
	    length > size - (size_t)offset)
		err = EINVAL;
	m = err ? NULL : malloc(sizeof(*m));
	if (!err && (!m || !kvm_vm_tryget(h.vm)))
		err = ENOMEM;
	if (err) {
		free(m);
		handle_put(&h);
		errno = err;
		return MAP_FAILED;
	}
	*m = (struct mapping){ .addr = (char *)vcpu->run + offset, .len = length, .vcpu = vcpu };
	pthread_mutex_lock(&maps_lock);
	m->next = maps;
	maps = m;
	pthread_mutex_unlock(&maps_lock);
	handle_put(&h);
	return m->addr;
}

int kvmsim_munmap(void *addr, size_t length)
{
	struct mapping **pp, *m = NULL;

	pthread_mutex_lock(&maps_lock);
	for (pp = &maps; *pp; pp = &(*pp)->next) {
		if ((*pp)->addr == addr && (*pp)->len == length) {
			m = *pp;
			*pp = m->next;
			break;
		}
	}
	pthread_mutex_unlock(&maps_lock);
	if (!m) {
		errno = EINVAL;
		return -1;
	}
	kvm_vm_put(m->vcpu->vm);
	free(m);
	return 0;
}

int kvmsim_vcpu_exit_handler(int vcpu_fd, void (*fn)(void *ctx, struct kvm_run *run), void *ctx)
{
	struct handle h;
	struct kvm_vcpu *vcpu;

	if (handle_get(vcpu_fd, &h)) {
		errno = EBADF;
		return -1;
	}
	if (h.kind != KVM_HANDLE_VCPU) {
		handle_put(&h);
		errno = EINVAL;
		return -1;
	}
	vcpu = h.obj;
	handle_lock(&h);
	vcpu->exit_fn = fn;
	vcpu->exit_ctx = ctx;
	handle_unlock(&h);
	handle_put(&h);
	return 0;
}

/* ---- simulated time ----------------------------------------------------------- */

/* The VM behind a VM handle, pinned, or NULL with errno set. */
static struct kvm_vm *vm_of(int vm_fd, struct handle *h)
{
	if (handle_get(vm_fd, h)) {
		errno = EBADF;
		return NULL;
	}
	if (h->kind != KVM_HANDLE_VM) {
		handle_put(h);
		errno = EINVAL;
		return NULL;
	}
	return h->vm;
}

int kvmsim_run(int vm_fd, uint64_t ns)
{
	struct handle h;
	struct kvm_vm *vm = vm_of(vm_fd, &h), *outer = running;

	if (!vm)
		return -1;
	handle_lock(&h);
	running = vm;
	sim_run_for(vm->sim, SIM_NS(ns));
	running = outer;
	handle_unlock(&h);
	handle_put(&h);
	return 0;
}

int kvmsim_now(int vm_fd, uint64_t *ps)
{
	struct handle h;
	struct kvm_vm *vm = vm_of(vm_fd, &h);

	if (!vm)
		return -1;
	if (!ps) {
		handle_put(&h);
		errno = EFAULT;
		return -1;
	}
	handle_lock(&h);
	*ps = sim_now(vm->sim);
	handle_unlock(&h);
	handle_put(&h);
	return 0;
}

/* ---- kvmsim's guest model and measurements ------------------------------------- */

/* The irqchip of the VM behind @fd (a VM or vCPU handle), locked, with
 * the vCPU's index; 0 or -errno. The caller unlocks and puts @h. */
static int sim_target(int fd, struct handle *h, struct kvm_vm **vm, uint32_t *index,
		      bool want_vcpu)
{
	if (handle_get(fd, h))
		return -EBADF;
	if (h->kind != (want_vcpu ? KVM_HANDLE_VCPU : KVM_HANDLE_VM)) {
		handle_put(h);
		return -EINVAL;
	}
	*vm = h->vm;
	if (want_vcpu)
		*index = ((struct kvm_vcpu *)h->obj)->index;
	handle_lock(h);
	if (!h->vm->irqchip_ops || !h->vm->irqchip_ops->sim_guest) {
		handle_unlock(h);
		handle_put(h);
		return -ENODEV;
	}
	return 0;
}

static int sim_done(struct handle *h, int r)
{
	handle_unlock(h);
	handle_put(h);
	if (r < 0) {
		errno = -r;
		return -1;
	}
	return 0;
}

#define SIM_CALL(fd, want_vcpu, call)                                          \
	do {                                                                   \
		struct handle h_;                                              \
		struct kvm_vm *vm;                                             \
		uint32_t index = 0;                                            \
		int r_ = sim_target(fd, &h_, &vm, &index, want_vcpu);          \
		if (r_) {                                                      \
			errno = -r_;                                           \
			return -1;                                             \
		}                                                              \
		(void)index;                                                   \
		return sim_done(&h_, (call));                                  \
	} while (0)

int kvmsim_vcpu_guest(int vcpu_fd, const struct kvmsim_guest *g)
{
	if (!g) {
		errno = EFAULT;
		return -1;
	}
	SIM_CALL(vcpu_fd, true, vm->irqchip_ops->sim_guest(vm->irqchip, index, g));
}

/* The irqchip records interrupts, the vCPUs accesses. */
static int observe(struct kvm_vm *vm, const struct kvmsim_observer *o)
{
	int r = vm->irqchip_ops->sim_observe(vm->irqchip, o);

	if (!r)
		vm->obs = *o;
	return r;
}

int kvmsim_vm_observe(int vm_fd, const struct kvmsim_observer *o)
{
	if (!o) {
		errno = EFAULT;
		return -1;
	}
	SIM_CALL(vm_fd, false, observe(vm, o));
}

int kvmsim_guest_ipi(int vcpu_fd, unsigned target, unsigned sgi)
{
	return kvmsim_guest_ipi_full(vcpu_fd, target, sgi, NULL);
}

int kvmsim_guest_ipi_full(int vcpu_fd, unsigned target, unsigned sgi, uint64_t *full_until)
{
	SIM_CALL(vcpu_fd, true,
		 vm->irqchip_ops->sim_guest_ipi(vm->irqchip, index, target, sgi, full_until));
}

/* The vCPU behind @h, for a guest call that is an arm64 instruction. */
static struct kvm_vcpu *arm_vcpu(const struct handle *h)
{
	return h->vm->host->arch == KVM_ARCH_ARM64 ? h->obj : NULL;
}

int kvmsim_guest_mmio(int vcpu_fd, const struct kvmsim_guest_access *a)
{
	if (!a) {
		errno = EFAULT;
		return -1;
	}
	SIM_CALL(vcpu_fd, true, arm_vcpu(&h_) ? kvm_arm_guest_mmio(arm_vcpu(&h_), a) : -ENODEV);
}

int kvmsim_guest_hvc(int vcpu_fd, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3)
{
	const uint64_t x[4] = { x0, x1, x2, x3 };

	SIM_CALL(vcpu_fd, true, arm_vcpu(&h_) ? kvm_arm_guest_hvc(arm_vcpu(&h_), x) : -ENODEV);
}

int kvmsim_guest_timer(int vcpu_fd, uint64_t at)
{
	SIM_CALL(vcpu_fd, true, vm->irqchip_ops->sim_guest_timer(vm->irqchip, index, at));
}

int kvmsim_guest_irq_config(int vm_fd, uint32_t intid, int edge)
{
	SIM_CALL(vm_fd, false, vm->irqchip_ops->sim_guest_irq_config(vm->irqchip, intid, edge));
}

int kvmsim_profile(const char *name, struct kvmsim_profile *out)
{
	if (!name || !out) {
		errno = EFAULT;
		return -1;
	}
	for (uint32_t t = 0; t < KVM_DEV_TYPE_MAX; t++) {
		const struct kvm_device_ops *ops = kvmsim_device_table[t];
		struct kvmsim_profile p;

		if (ops && ops->profile && ops->profile(t, &p) == 0 && !strcmp(p.name, name)) {
			*out = p;
			return 0;
		}
	}
	errno = ENOENT;
	return -1;
}

int kvmsim_vcpu_counters(int vcpu_fd, uint64_t *exits, uint64_t *entries)
{
	if (!exits || !entries) {
		errno = EFAULT;
		return -1;
	}
	SIM_CALL(vcpu_fd, true,
		 vm->irqchip_ops->sim_counters(vm->irqchip, index, exits, entries));
}

int kvmsim_vm_host(int vm_fd, const struct kvmsim_host *hd)
{
	struct handle h;
	struct kvm_vm *vm = vm_of(vm_fd, &h);
	int r = 0;

	if (!vm)
		return -1;
	handle_lock(&h);
	if (!hd)
		r = -EFAULT;
	else if (vm->irqchip_ops && vm->irqchip_ops->sim_host_built &&
		 vm->irqchip_ops->sim_host_built(vm->irqchip))
		r = -EBUSY;
	else
		vm->sim_host = *hd;
	handle_unlock(&h);
	handle_put(&h);
	if (r) {
		errno = -r;
		return -1;
	}
	return 0;
}

struct sim *kvmsim_vm_sim(int vm_fd)
{
	struct handle h;
	struct kvm_vm *vm = vm_of(vm_fd, &h);
	struct sim *sim;

	if (!vm)
		return NULL;
	sim = vm->sim; /* lives as long as the VM */
	handle_put(&h);
	return sim;
}
