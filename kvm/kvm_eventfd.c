// SPDX-License-Identifier: MIT
/*
 * kvm_eventfd.c — kvmsim's simulated eventfds and KVM_IRQFD (kvm-api.md
 * §9.5).
 *
 * An eventfd is a kvmsim handle (kvmsim_eventfd()) holding a 64-bit
 * counter. A write adds to it and wakes every irqfd bound to it, which
 * injects its GSI through the VM's irqchip: level 1 then 0 (an edge), or,
 * for a resampling irqfd, level 1 held until the guest completes the
 * interrupt; then KVM lowers the line and signals the resamplefd (every
 * resampling irqfd on one GSI shares that resampler). As in Linux 4.4 the
 * irqfd does not consume the counter, a count present at assignment
 * injects once at once, and closing the eventfd handle (hang-up) removes
 * its irqfds.
 *
 * Locks: a VM's lock is taken before eventfd_lock, never after; the signal
 * path snapshots the VMs to wake under eventfd_lock and injects after
 * dropping it.
 */
#include <errno.h>
#include <stdlib.h>

#include "kvm_int.h"
#include "sim/sim.h"

struct kvm_eventfd {
	uint64_t count;
	unsigned refs;        /* the handle and each irqfd (atomic) */
	struct kvm_vm **vms;  /* VMs with an irqfd on it (one irqfd each) */
	size_t nvms, capvms;
};

struct kvm_irqfd_item {
	struct kvm_vm *vm;
	struct kvm_eventfd *eventfd;
	struct kvm_eventfd *resamplefd; /* NULL unless KVM_IRQFD_FLAG_RESAMPLE */
	uint32_t gsi;
	struct kvm_irqfd_item *next; /* in vm->irqfds */
	/* irqfd->inject, the work item of a deferred injection: queued
	 * once however often the eventfd is written meanwhile, as
	 * schedule_work() of a pending work does nothing */
	struct sim_event work;
	bool queued;
	uint64_t written; /* when the write that queued it happened (ps) */
};

static pthread_mutex_t eventfd_lock = PTHREAD_MUTEX_INITIALIZER;

struct kvm_eventfd *kvm_eventfd_new(uint64_t initval)
{
	struct kvm_eventfd *e = calloc(1, sizeof(*e));

	if (e) {
		e->count = initval;
		e->refs = 1;
	}
	return e;
}

void kvm_eventfd_put(struct kvm_eventfd *e)
{
	if (__atomic_sub_fetch(&e->refs, 1, __ATOMIC_ACQ_REL) == 0) {
		free(e->vms);
		free(e);
	}
}

/* Under the handle lock, so the handle cannot be closed meanwhile. */
static void take_ref(void *obj)
{
	struct kvm_eventfd *e = obj;

	__atomic_add_fetch(&e->refs, 1, __ATOMIC_ACQ_REL);
}

int kvm_eventfd_get(int fd, struct kvm_eventfd **out)
{
	void *obj;
	int kind = kvm_handle_with(fd, KVM_HANDLE_EVENTFD, take_ref, &obj);


	if (kind < 0)
		return -EBADF;
	if (kind != KVM_HANDLE_EVENTFD)
		return -EINVAL; /* eventfd_ctx_fileget(): not an eventfd */
	*out = obj;
	return 0;
}

/* Record that @vm has an irqfd on @e (eventfd_lock held). */
static int add_vm_locked(struct kvm_eventfd *e, struct kvm_vm *vm)
{
	if (e->nvms == e->capvms) {
		size_t cap = e->capvms ? 2 * e->capvms : 4;
		struct kvm_vm **v = realloc(e->vms, cap * sizeof(*v));

		if (!v)
			return -ENOMEM;
		e->vms = v;
		e->capvms = cap;
	}
	e->vms[e->nvms++] = vm;
	return 0;
}

static void del_vm_locked(struct kvm_eventfd *e, struct kvm_vm *vm)
{
	for (size_t i = 0; i < e->nvms; i++) {
		if (e->vms[i] == vm) {
			e->vms[i] = e->vms[--e->nvms];
			return;
		}
	}
}

/* irqfd_inject(): an edge (1 then 0), or a resampling irqfd's level, for
 * the eventfd written at @since (0: now). */
static void irqfd_set(struct kvm_vm *vm, struct kvm_irqfd_item *f, uint64_t since)
{
	if (!vm->irqchip_ops)
		return;
	vm->irqchip_ops->set_gsi(vm->irqchip, f->gsi, 1, since);
	if (!f->resamplefd)
		vm->irqchip_ops->set_gsi(vm->irqchip, f->gsi, 0, 0);
}

/* The deferred injection's work item runs (VM locked: in its simulation). */
static void irqfd_work(struct sim *sim, struct sim_event *ev)
{
	struct kvm_irqfd_item *f = container_of(ev, struct kvm_irqfd_item, work);

	(void)sim;
	f->queued = false;
	irqfd_set(f->vm, f, f->written);
}

/* The wake-up of one VM's irqfd on @e (VM locked): its injection, at once
 * or after the irqchip's delay (the write's system call, a work item). */
static void irqfd_inject(struct kvm_vm *vm, struct kvm_eventfd *e)
{
	uint64_t delay;

	if (!vm->irqchip_ops)
		return;
	delay = vm->irqchip_ops->irqfd_delay ? vm->irqchip_ops->irqfd_delay(vm->irqchip) : 0;
	for (struct kvm_irqfd_item *f = vm->irqfds; f; f = f->next) {
		if (f->eventfd != e)
			continue;
		if (!delay) {
			irqfd_set(vm, f, 0);
		} else if (!f->queued) {
			f->queued = true;
			f->written = sim_now(vm->sim);
			sim_schedule_in(vm->sim, &f->work, delay, SIM_PRIO_DEFAULT);
		}
	}
}

int kvm_eventfd_signal(struct kvm_eventfd *e, uint64_t n, struct kvm_vm *locked)
{
	struct kvm_vm *one[8], **vms = one;
	size_t nvms;

	pthread_mutex_lock(&eventfd_lock);
	if (n > UINT64_MAX - 1 - e->count) {
		pthread_mutex_unlock(&eventfd_lock);
		return -EAGAIN; /* the counter would pass its maximum */
	}
	e->count += n;
	nvms = e->nvms;
	if (nvms > sizeof(one) / sizeof(one[0]))
		vms = malloc(nvms * sizeof(*vms));
	if (!vms) {
		nvms = sizeof(one) / sizeof(one[0]);
		vms = one;
	}
	size_t live = 0;
	for (size_t i = 0; i < nvms; i++)
		if (kvm_vm_tryget(e->vms[i])) /* not one being destroyed */
			vms[live++] = e->vms[i];
	nvms = live;
	pthread_mutex_unlock(&eventfd_lock);

	for (size_t i = 0; i < nvms; i++) {
		if (vms[i] != locked)
			pthread_mutex_lock(&vms[i]->lock);
		irqfd_inject(vms[i], e);
		if (vms[i] != locked)
			pthread_mutex_unlock(&vms[i]->lock);
		kvm_vm_put(vms[i]);
	}
	if (vms != one)
		free(vms);
	return 0;
}

void kvm_notify_acked_gsi(struct kvm_vm *vm, uint32_t gsi)
{
	bool lowered = false;

	for (struct kvm_irqfd_item *f = vm->irqfds; f; f = f->next) {
		if (!f->resamplefd || f->gsi != gsi)
			continue;
		/* the shared resampler lowers the line once, then signals
		 * every resamplefd on this GSI */
		if (!lowered && vm->irqchip_ops)
			vm->irqchip_ops->set_gsi(vm->irqchip, gsi, 0, 0);
		lowered = true;
		kvm_eventfd_signal(f->resamplefd, 1, vm);
	}
}

/* Unlink and free @f (VM locked). The last resampling irqfd on a GSI
 * lowers the line, as irqfd_resampler_shutdown() does. A queued injection
 * happens first when @flush (irqfd_shutdown() flushes the work item), and
 * is dropped with a VM being destroyed. */
static void irqfd_free(struct kvm_vm *vm, struct kvm_irqfd_item **link, bool flush)
{
	struct kvm_irqfd_item *f = *link;
	bool last_resampler = f->resamplefd != NULL;

	if (f->queued) {
		sim_cancel(vm->sim, &f->work);
		f->queued = false;
		if (flush)
			irqfd_set(vm, f, f->written);
	}
	*link = f->next;
	for (struct kvm_irqfd_item *g = vm->irqfds; g && last_resampler; g = g->next)
		if (g->resamplefd && g->gsi == f->gsi)
			last_resampler = false;
	if (last_resampler && vm->irqchip_ops)
		vm->irqchip_ops->set_gsi(vm->irqchip, f->gsi, 0, 0);
	pthread_mutex_lock(&eventfd_lock);
	del_vm_locked(f->eventfd, vm);
	pthread_mutex_unlock(&eventfd_lock);
	kvm_eventfd_put(f->eventfd);
	if (f->resamplefd)
		kvm_eventfd_put(f->resamplefd);
	free(f);
}

static long irqfd_deassign(struct kvm_vm *vm, const struct kvm_irqfd *args)
{
	struct kvm_eventfd *e;
	int err = kvm_eventfd_get((int)args->fd, &e);

	if (err)
		return err;
	for (struct kvm_irqfd_item **link = &vm->irqfds; *link;) {
		if ((*link)->eventfd == e && (*link)->gsi == args->gsi)
			irqfd_free(vm, link, true);
		else
			link = &(*link)->next;
	}
	kvm_eventfd_put(e);
	return 0; /* even if nothing matched */
}

static long irqfd_assign(struct kvm_vm *vm, const struct kvm_irqfd *args)
{
	struct kvm_irqfd_item *f;
	bool pending;
	int err;

	/* kvm_irqfd_assign(): controller first, then the fds, then EBUSY.
	 * kvm_arch_intc_initialized() exists on arm only; elsewhere an irqfd
	 * without an irqchip is accepted and injects into an empty routing
	 * table, i.e. nowhere. */
	if (vm->irqchip_ops)
		err = vm->irqchip_ops->irqfd_ready(vm->irqchip);
	else
		err = vm->host->arch == KVM_ARCH_ARM64 ? -EAGAIN : 0;
	if (err)
		return err;
	f = calloc(1, sizeof(*f));
	if (!f)
		return -ENOMEM;
	f->vm = vm;
	f->gsi = args->gsi;
	sim_event_init(&f->work, irqfd_work);
	err = kvm_eventfd_get((int)args->fd, &f->eventfd);
	if (err)
		goto fail;
	if (args->flags & KVM_IRQFD_FLAG_RESAMPLE) {
		err = kvm_eventfd_get((int)args->resamplefd, &f->resamplefd);
		if (err)
			goto fail;
	}
	for (struct kvm_irqfd_item *g = vm->irqfds; g; g = g->next) {
		if (g->eventfd == f->eventfd) {
			err = -EBUSY; /* this eventfd already drives an irq */
			goto fail;
		}
	}
	pthread_mutex_lock(&eventfd_lock);
	err = add_vm_locked(f->eventfd, vm);
	pending = f->eventfd->count != 0;
	pthread_mutex_unlock(&eventfd_lock);
	if (err)
		goto fail;
	f->next = vm->irqfds;
	vm->irqfds = f;
	if (pending)
		irqfd_inject(vm, f->eventfd); /* the event it would have missed */
	return 0;
fail:
	if (f->eventfd)
		kvm_eventfd_put(f->eventfd);
	if (f->resamplefd)
		kvm_eventfd_put(f->resamplefd);
	free(f);
	return err;
}

long kvm_irqfd(struct kvm_vm *vm, const struct kvm_irqfd *args)
{
	if (args->flags & ~(uint32_t)(KVM_IRQFD_FLAG_DEASSIGN | KVM_IRQFD_FLAG_RESAMPLE))
		return -EINVAL;
	if (args->flags & KVM_IRQFD_FLAG_DEASSIGN)
		return irqfd_deassign(vm, args);
	return irqfd_assign(vm, args);
}

void kvm_irqfd_release_all(struct kvm_vm *vm)
{
	while (vm->irqfds)
		irqfd_free(vm, &vm->irqfds, false);
}

void kvm_eventfd_hangup(struct kvm_eventfd *e)
{
	for (;;) {
		struct kvm_vm *vm = NULL;

		pthread_mutex_lock(&eventfd_lock);
		for (size_t i = 0; i < e->nvms && !vm; i++)
			if (kvm_vm_tryget(e->vms[i]))
				vm = e->vms[i];
		pthread_mutex_unlock(&eventfd_lock);
		if (!vm)
			return; /* none left, or only VMs being destroyed, which
				 * release their irqfds themselves */
		pthread_mutex_lock(&vm->lock);
		for (struct kvm_irqfd_item **link = &vm->irqfds; *link;) {
			if ((*link)->eventfd == e)
				irqfd_free(vm, link, true);
			else
				link = &(*link)->next;
		}
		pthread_mutex_unlock(&vm->lock);
		kvm_vm_put(vm);
	}
}

/* ---- the eventfd's own calls (kvmsim.h) --------------------------------------- */

int kvm_eventfd_read(struct kvm_eventfd *e, uint64_t *value)
{
	int err = 0;

	pthread_mutex_lock(&eventfd_lock);
	if (!e->count) {
		err = -EAGAIN; /* a non-blocking read of a zero counter */
	} else {
		*value = e->count;
		e->count = 0;
	}
	pthread_mutex_unlock(&eventfd_lock);
	return err;
}

/* ---- ioeventfd (virt/kvm/eventfd.c of 4.4) ------------------------------------------- */

/* The I/O buses an ioeventfd sits on (enum kvm_bus). */
enum { BUS_MMIO, BUS_PIO, BUS_CCW_NOTIFY, BUS_FAST_MMIO, NR_BUSES };
/* NR_IOBUS_DEVS of 4.4: a bus holds at most this many devices */
#define IOBUS_DEVS 1000

struct kvm_ioeventfd_item {
	struct kvm_eventfd *eventfd;
	uint64_t addr, datamatch;
	uint32_t len;  /* 0: any */
	uint8_t bus;
	bool wildcard; /* no DATAMATCH */
	struct kvm_ioeventfd_item *next;
};

static uint8_t bus_of(uint32_t flags)
{
	if (flags & KVM_IOEVENTFD_FLAG_PIO)
		return BUS_PIO;
	if (flags & KVM_IOEVENTFD_FLAG_VIRTIO_CCW_NOTIFY)
		return BUS_CCW_NOTIFY;
	return BUS_MMIO;
}

/* The devices on bus @bus: ioeventfds (a length-0 MMIO one is on the fast
 * MMIO bus too); kvmsim puts no other device on the buses. */
static unsigned bus_devs(const struct kvm_vm *vm, uint8_t bus)
{
	unsigned n = 0;

	for (const struct kvm_ioeventfd_item *p = vm->ioeventfds; p; p = p->next)
		n += p->bus == bus || (bus == BUS_FAST_MMIO && p->bus == BUS_MMIO && !p->len);
	return n;
}

/* ioeventfd_check_collision(): the same address on the same bus, unless
 * both have lengths that differ, or both match data that differs. */
static bool collides(const struct kvm_vm *vm, const struct kvm_ioeventfd_item *q)
{
	for (const struct kvm_ioeventfd_item *p = vm->ioeventfds; p; p = p->next)
		if (p->bus == q->bus && p->addr == q->addr &&
		    (!p->len || !q->len ||
		     (p->len == q->len && (p->wildcard || q->wildcard || p->datamatch == q->datamatch))))
			return true;
	return false;
}

/* kvm_assign_ioeventfd(): the length, the range, the flags, a length-0
 * one's flags, the fd, a collision, room on the bus(es), in that order. */
static long ioeventfd_assign(struct kvm_vm *vm, const struct kvm_ioeventfd *args)
{
	struct kvm_ioeventfd_item *p;
	int err;

	switch (args->len) {
	case 0:
	case 1:
	case 2:
	case 4:
	case 8:
		break;
	default:
		return -EINVAL;
	}
	if (args->addr + args->len < args->addr)
		return -EINVAL;
	if (args->flags & ~(uint32_t)KVM_IOEVENTFD_VALID_FLAG_MASK)
		return -EINVAL;
	if (!args->len && (args->flags & (KVM_IOEVENTFD_FLAG_PIO | KVM_IOEVENTFD_FLAG_DATAMATCH)))
		return -EINVAL;
	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	err = kvm_eventfd_get(args->fd, &p->eventfd);
	if (err) {
		free(p);
		return err;
	}
	p->addr = args->addr;
	p->len = args->len;
	p->bus = bus_of(args->flags);
	p->wildcard = !(args->flags & KVM_IOEVENTFD_FLAG_DATAMATCH);
	p->datamatch = p->wildcard ? 0 : args->datamatch;
	if (collides(vm, p))
		err = -EEXIST;
	else if (bus_devs(vm, p->bus) >= IOBUS_DEVS ||
		 (p->bus == BUS_MMIO && !p->len && bus_devs(vm, BUS_FAST_MMIO) >= IOBUS_DEVS))
		err = -ENOSPC; /* kvm_io_bus_register_dev() */
	if (err) {
		kvm_eventfd_put(p->eventfd);
		free(p);
		return err;
	}
	p->next = vm->ioeventfds;
	vm->ioeventfds = p;
	return 0;
}

/* kvm_deassign_ioeventfd(): the fd, then the first ioeventfd of the same
 * bus, eventfd, address, length and datamatch; -ENOENT if none. */
static long ioeventfd_deassign(struct kvm_vm *vm, const struct kvm_ioeventfd *args)
{
	bool wildcard = !(args->flags & KVM_IOEVENTFD_FLAG_DATAMATCH);
	struct kvm_eventfd *e;
	int err = kvm_eventfd_get(args->fd, &e);

	if (err)
		return err;
	err = -ENOENT;
	for (struct kvm_ioeventfd_item **link = &vm->ioeventfds; *link; link = &(*link)->next) {
		struct kvm_ioeventfd_item *p = *link;

		if (p->bus != bus_of(args->flags) || p->eventfd != e || p->addr != args->addr ||
		    p->len != args->len || p->wildcard != wildcard ||
		    (!p->wildcard && p->datamatch != args->datamatch))
			continue;
		*link = p->next;
		kvm_eventfd_put(p->eventfd);
		free(p);
		err = 0;
		break;
	}
	kvm_eventfd_put(e);
	return err;
}

long kvm_ioeventfd(struct kvm_vm *vm, const struct kvm_ioeventfd *args)
{
	if (args->flags & KVM_IOEVENTFD_FLAG_DEASSIGN)
		return ioeventfd_deassign(vm, args);
	return ioeventfd_assign(vm, args);
}

/* ioeventfd_in_range(): the exact address, then any length or the same
 * one, then any data or the same. */
int kvm_ioeventfd_write(struct kvm_vm *vm, uint64_t addr, unsigned len, uint64_t val)
{
	for (struct kvm_ioeventfd_item *p = vm->ioeventfds; p; p = p->next) {
		if (p->bus != BUS_MMIO || p->addr != addr)
			continue;
		if (p->len && (len != p->len || (!p->wildcard && val != p->datamatch)))
			continue;
		kvm_eventfd_signal(p->eventfd, 1, vm);
		return 0;
	}
	return -EOPNOTSUPP;
}

void kvm_ioeventfd_release_all(struct kvm_vm *vm)
{
	while (vm->ioeventfds) {
		struct kvm_ioeventfd_item *p = vm->ioeventfds;

		vm->ioeventfds = p->next;
		kvm_eventfd_put(p->eventfd);
		free(p);
	}
}
