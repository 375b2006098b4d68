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
 * KVM_CHECK_EXTENSION, KVM_CREATE_VM), and on VM handles
 * KVM_CHECK_EXTENSION, KVM_CREATE_VCPU and KVM_CREATE_DEVICE. No
 * interrupt controller is built yet, so KVM_CREATE_DEVICE answers ENODEV
 * for every type, as Linux does for a type its host lacks, and
 * KVM_CHECK_EXTENSION reports 0 for capabilities that need a controller.
 * Requests kvmsim knows but does not implement yet fail with ENOSYS (never
 * a Linux answer, so a VMM cannot mistake it for one); requests a handle
 * does not know fail as Linux fails them.
 */
#ifndef KVMSIM_KVMSIM_H
#define KVMSIM_KVMSIM_H

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

#ifdef __cplusplus
}
#endif

#endif /* KVMSIM_KVMSIM_H */
