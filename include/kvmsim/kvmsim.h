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
 * lock. A simulation itself runs in one thread at a time.
 *
 * What this release implements: the system handle (KVM_GET_API_VERSION,
 * KVM_CHECK_EXTENSION, KVM_CREATE_VM); on VM handles KVM_CHECK_EXTENSION,
 * KVM_CREATE_VCPU, KVM_CREATE_DEVICE, KVM_IRQ_LINE and KVM_IRQ_LINE_STATUS,
 * KVM_IRQFD; KVM_SET_GSI_ROUTING with Linux's validation on x86 and s390;
 * KVM_ENABLE_CAP(KVM_CAP_S390_IRQCHIP) and KVM_CREATE_IRQCHIP on s390;
 * the error paths of KVM_SIGNAL_MSI, KVM_CREATE_IRQCHIP and
 * KVM_ENABLE_CAP(KVM_CAP_SPLIT_IRQCHIP) on x86 (success needs the x86
 * interrupt controllers: ENOSYS); on an arm64 host also KVM_CREATE_IRQCHIP,
 * KVM_ARM_SET_DEVICE_ADDR, KVM_ARM_PREFERRED_TARGET, and on its vCPUs
 * KVM_ARM_VCPU_INIT and KVM_RUN; and the ARM VGIC devices
 * (KVM_DEV_TYPE_ARM_VGIC_V2, _V3) with all their 4.4 attribute groups. Device types whose controller
 * is not built yet answer KVM_CREATE_DEVICE with ENODEV, as Linux does for
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
 * KVM_ARM_VCPU_INIT; the VGIC's EBUSY/ENXIO rules), then starts the vCPU's
 * run loop in the VM's simulation and returns 0 at once: the guest runs
 * while kvmsim_run() advances time. A VM runs on a simulated host of the
 * VGIC's version (an X-Gene GICv2 or an Ampere Altra GICv3 timing
 * profile) with one pCPU per vCPU and one for the VMM's I/O thread; its
 * guests idle in WFI. A VM without an in-kernel irqchip cannot run yet
 * (ENOSYS).
 */
#ifndef KVMSIM_KVMSIM_H
#define KVMSIM_KVMSIM_H

#include <stdint.h>

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

#ifdef __cplusplus
}
#endif

#endif /* KVMSIM_KVMSIM_H */
