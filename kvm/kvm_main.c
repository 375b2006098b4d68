// SPDX-License-Identifier: MIT
/*
 * kvm_main.c — handles and the entry points of <kvmsim/kvmsim.h>: the
 * handle table, the system handle's requests, and dispatch to VM, vCPU and
 * device handles (kvm_vm.c). Internally every function returns >= 0 or
 * -errno; only kvmsim_ioctl() turns that into -1 and errno.
 *
 * The handle table is the simulated process's fd table, so it is
 * process-wide and behind one lock; everything a handle reaches belongs to
 * one VM and is used under that VM's lock.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>

#include <kvmsim/kvmsim.h>

#include "kvm_int.h"
#include "sim/sim.h"

#define FIRST_HANDLE 3 /* handles look like fds after stdin/out/err */
#define MAX_HANDLES 65536

struct handle {
	enum kvm_handle_kind kind; /* 0: free */
	void *obj;                 /* host desc, VM, vCPU or device */
	struct kvm_vm *vm;         /* NULL for system handles */
};

static pthread_mutex_t handles_lock = PTHREAD_MUTEX_INITIALIZER;
static struct handle *handles;
static int nhandles;

/* Takes handles_lock. Returns the new handle or -errno. */
int kvm_handle_new(enum kvm_handle_kind kind, void *obj, struct kvm_vm *vm)
{
	int fd;

	pthread_mutex_lock(&handles_lock);
	for (fd = FIRST_HANDLE; fd < nhandles; fd++)
		if (!handles[fd].kind)
			break;
	if (fd >= nhandles) {
		int n = nhandles ? 2 * nhandles : 64;
		struct handle *h;

		if (fd >= MAX_HANDLES) {
			pthread_mutex_unlock(&handles_lock);
			return -EMFILE;
		}
		h = realloc(handles, (size_t)n * sizeof(*h));
		if (!h) {
			pthread_mutex_unlock(&handles_lock);
			return -ENOMEM;
		}
		for (int i = nhandles; i < n; i++)
			h[i].kind = 0;
		handles = h;
		nhandles = n;
	}
	handles[fd] = (struct handle){ .kind = kind, .obj = obj, .vm = vm };
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

/* Looks @fd up and pins its VM. Returns 0 or -EBADF. */
static int handle_get(int fd, struct handle *out)
{
	int err = -EBADF;

	pthread_mutex_lock(&handles_lock);
	if (fd >= FIRST_HANDLE && fd < nhandles && handles[fd].kind) {
		*out = handles[fd];
		if (out->vm)
			out->vm->refs++;
		err = 0;
	}
	pthread_mutex_unlock(&handles_lock);
	return err;
}

int kvm_handle_with(int fd, enum kvm_handle_kind kind, void (*get)(void *obj),
		    void **obj)
{
	int r = -EBADF;

	pthread_mutex_lock(&handles_lock);
	if (fd >= FIRST_HANDLE && fd < nhandles && handles[fd].kind) {
		r = (int)handles[fd].kind;
		if (handles[fd].kind == kind) {
			get(handles[fd].obj);
			*obj = handles[fd].obj;
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
		/* Known to every 4.4 host; kvmsim has no kvm_run mapping. */
		return arg ? -EINVAL : -ENOSYS;
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
	KVM_GET_DEVICE_ATTR, KVM_HAS_DEVICE_ATTR,
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
		pthread_mutex_lock(&h.vm->lock);
		if (h.kind == KVM_HANDLE_VM)
			r = kvm_vm_ioctl(h.vm, req, arg);
		else if (h.kind == KVM_HANDLE_VCPU)
			r = kvm_vcpu_ioctl(h.obj, req, arg);
		else
			r = kvm_device_ioctl(h.obj, req, arg);
		pthread_mutex_unlock(&h.vm->lock);
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
	if (fd >= FIRST_HANDLE && fd < nhandles && handles[fd].kind) {
		if (handles[fd].kind == KVM_HANDLE_EVENTFD)
			efd = handles[fd].obj;
		dead = vm_put_locked(handles[fd].vm);
		handles[fd].kind = 0;
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
	struct kvm_vm *vm = vm_of(vm_fd, &h);

	if (!vm)
		return -1;
	pthread_mutex_lock(&vm->lock);
	sim_run_for(vm->sim, SIM_NS(ns));
	pthread_mutex_unlock(&vm->lock);
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
	pthread_mutex_lock(&vm->lock);
	*ps = sim_now(vm->sim);
	pthread_mutex_unlock(&vm->lock);
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
	pthread_mutex_lock(&h->vm->lock);
	if (!h->vm->irqchip_ops || !h->vm->irqchip_ops->sim_guest) {
		pthread_mutex_unlock(&h->vm->lock);
		handle_put(h);
		return -ENODEV;
	}
	return 0;
}

static int sim_done(struct handle *h, int r)
{
	pthread_mutex_unlock(&h->vm->lock);
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

int kvmsim_vm_observe(int vm_fd, const struct kvmsim_observer *o)
{
	if (!o) {
		errno = EFAULT;
		return -1;
	}
	SIM_CALL(vm_fd, false, vm->irqchip_ops->sim_observe(vm->irqchip, o));
}

int kvmsim_guest_ipi(int vcpu_fd, unsigned target, unsigned sgi)
{
	SIM_CALL(vcpu_fd, true, vm->irqchip_ops->sim_guest_ipi(vm->irqchip, index, target, sgi));
}

int kvmsim_guest_timer(int vcpu_fd, uint64_t at)
{
	SIM_CALL(vcpu_fd, true, vm->irqchip_ops->sim_guest_timer(vm->irqchip, index, at));
}

int kvmsim_guest_irq_config(int vm_fd, uint32_t intid, int edge)
{
	SIM_CALL(vm_fd, false, vm->irqchip_ops->sim_guest_irq_config(vm->irqchip, intid, edge));
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
	pthread_mutex_lock(&vm->lock);
	if (!hd)
		r = -EFAULT;
	else if (vm->irqchip_ops && vm->irqchip_ops->sim_host_built &&
		 vm->irqchip_ops->sim_host_built(vm->irqchip))
		r = -EBUSY;
	else
		vm->sim_host = *hd;
	pthread_mutex_unlock(&vm->lock);
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
