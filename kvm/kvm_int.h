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
	uint32_t max_vcpus;    /* KVM_MAX_VCPUS: ids and count below it */
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
};

extern const struct kvm_device_ops *const kvmsim_device_table[KVM_DEV_TYPE_MAX];

struct kvm_vm;

struct kvm_vcpu {
	struct kvm_vm *vm;
	uint32_t id;
};

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
	struct kvm_vcpu **vcpus;
	uint32_t nvcpus;
	struct kvm_device *devices;
};

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

/* ---- kvm_main.c: handles ------------------------------------------------- */

enum kvm_handle_kind {
	KVM_HANDLE_SYSTEM = 1,
	KVM_HANDLE_VM,
	KVM_HANDLE_VCPU,
	KVM_HANDLE_DEVICE,
};

/* A new handle for @obj (a VM, vCPU or device of @vm, which gains a
 * reference), or -errno. */
int kvm_handle_new(enum kvm_handle_kind kind, void *obj, struct kvm_vm *vm);

#endif /* KVMSIM_KVM_INT_H */
