// SPDX-License-Identifier: MIT
/* linux_host.c — the compared names as the build host's <linux/kvm.h>
 * (Debian's linux-libc-dev) defines them. */
#include <stddef.h>

#include <linux/kvm.h>
#include <linux/psci.h>

#include "uapi_names.h"

const struct uapi_value uapi_host_common[] = { UAPI_COMMON(UAPI_V) { 0, 0 } };
const struct uapi_value uapi_host_ioctls[] = { UAPI_IOCTLS(UAPI_V) { 0, 0 } };
const struct uapi_value uapi_host_structs[] = { UAPI_STRUCTS(UAPI_S) UAPI_OFFSETS(UAPI_O) UAPI_RUN(UAPI_O) UAPI_RUN_SIZE(UAPI_S) { 0, 0 } };
#ifdef __x86_64__
const struct uapi_value uapi_host_arch[] = {
	UAPI_X86(UAPI_V) UAPI_IOCTLS_X86(UAPI_V) UAPI_STRUCTS_X86(UAPI_S) { 0, 0 }
};
#else
const struct uapi_value uapi_host_arch[] = { { 0, 0 } };
#endif
