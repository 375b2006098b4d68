// SPDX-License-Identifier: MIT
/*
 * kvm_user.c — copies between kvmsim and the caller's argument pointers
 * that fail with EFAULT instead of crashing, as the kernel's
 * copy_from_user() does: the kernel itself checks the address, through
 * process_vm_readv()/process_vm_writev() on this process (a pipe round
 * trip where those are not allowed). An argument in the calling thread's
 * live stack (above the copy's own frame) is certainly mapped and is
 * copied directly: the common case of a struct on the caller's stack, and
 * of a workload's sources calling back in every few hundred nanoseconds of
 * simulated time, costs no system call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "kvm_int.h"

/* Moves @n bytes from @src to @dst through a pipe: read(2) and write(2)
 * report a bad user address as EFAULT. */
static int copy_via_pipe(void *dst, const void *src, size_t n)
{
	int p[2], err = 0;

	if (pipe(p) < 0)
		return -errno;
	while (n && !err) {
		size_t chunk = n < 4096 ? n : 4096;
		ssize_t w = write(p[1], src, chunk), r;

		if (w < 0) {
			err = -errno;
			break;
		}
		r = read(p[0], dst, (size_t)w);
		if (r < 0)
			err = -errno;
		else if (r != w)
			err = -EFAULT;
		src = (const char *)src + w;
		dst = (char *)dst + w;
		n -= (size_t)w;
	}
	close(p[0]);
	close(p[1]);
	return err;
}

/* [a, a + n) lies in this thread's stack, between the current frame and
 * the stack's top: memory the callers' frames own. */
static bool on_live_stack(const void *p, size_t n)
{
	static __thread uintptr_t top; /* 1: unknown */
	uintptr_t a = (uintptr_t)p, here = (uintptr_t)__builtin_frame_address(0);

	if (!top) {
		pthread_attr_t at;
		void *lo;
		size_t size;

		top = 1;
		if (!pthread_getattr_np(pthread_self(), &at)) {
			if (!pthread_attr_getstack(&at, &lo, &size))
				top = (uintptr_t)lo + size;
			pthread_attr_destroy(&at);
		}
	}
	return a >= here && a + n >= a && a + n <= top;
}

static int copy_checked(void *dst, const void *src, size_t n, bool to_user)
{
	if (on_live_stack(to_user ? dst : src, n)) {
		memcpy(dst, src, n);
		return 0;
	}
	struct iovec local = { .iov_base = to_user ? (void *)src : dst, .iov_len = n };
	struct iovec remote = { .iov_base = to_user ? dst : (void *)src, .iov_len = n };
	ssize_t done;

	if (!n)
		return 0;
	done = to_user ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0)
		       : process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	if (done == (ssize_t)n)
		return 0;
	if (done >= 0 || errno == EFAULT)
		return -EFAULT;
	/* Not allowed here (seccomp, no ptrace rights): use the pipe. */
	return copy_via_pipe(dst, src, n);
}

int kvm_copy_from_user(void *dst, uint64_t uaddr, size_t n)
{
	if (!uaddr)
		return -EFAULT;
	return copy_checked(dst, (const void *)(uintptr_t)uaddr, n, false);
}

int kvm_copy_to_user(uint64_t uaddr, const void *src, size_t n)
{
	if (!uaddr)
		return -EFAULT;
	return copy_checked((void *)(uintptr_t)uaddr, src, n, true);
}
