// SPDX-License-Identifier: MIT
/* linux_arm64.c — the compared names as the arm64 <linux/kvm.h> of Debian's
 * cross UAPI package defines them (built with -I/usr/<triplet>/include). */
/* The arm64 UAPI header of Linux 6.1 uses two kernel-internal macros that
 * userspace does not get; these are their kernel definitions (64-bit). */
#define GENMASK(h, l) (((~0UL) << (l)) & (~0UL >> (63 - (h))))
#define SZ_64K 0x00010000

#include <stddef.h>

#include <linux/kvm.h>
#include <linux/psci.h>

#include "uapi_names.h"

const struct uapi_value uapi_arm64_common[] = { UAPI_COMMON(UAPI_V) { 0, 0 } };
const struct uapi_value uapi_arm64_ioctls[] = { UAPI_IOCTLS(UAPI_V) UAPI_IOCTLS_ARM64(UAPI_V) { 0, 0 } };
const struct uapi_value uapi_arm64_structs[] = { UAPI_STRUCTS(UAPI_S) UAPI_OFFSETS(UAPI_O) UAPI_RUN(UAPI_O) UAPI_RUN_SIZE(UAPI_S) UAPI_STRUCTS_ARM64(UAPI_S) UAPI_OFFSETS_ARM64(UAPI_O) { 0, 0 } };
const struct uapi_value uapi_arm64_arch[] = { UAPI_ARM64(UAPI_V) { 0, 0 } };
