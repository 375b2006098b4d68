// SPDX-License-Identifier: MIT
/* linux_s390.c — the compared names as the s390 <linux/kvm.h> of Debian's
 * cross UAPI package defines them (built with -I/usr/<triplet>/include). */
#include <stddef.h>

#include <linux/kvm.h>
#include <linux/psci.h>

#include "uapi_names.h"

const struct uapi_value uapi_s390_common[] = { UAPI_COMMON(UAPI_V) { 0, 0 } };
const struct uapi_value uapi_s390_ioctls[] = { UAPI_IOCTLS(UAPI_V)  { 0, 0 } };
const struct uapi_value uapi_s390_structs[] = { UAPI_STRUCTS(UAPI_S) UAPI_OFFSETS(UAPI_O) UAPI_STRUCTS_S390(UAPI_S) { 0, 0 } };
const struct uapi_value uapi_s390_arch[] = { UAPI_S390(UAPI_V) { 0, 0 } };
