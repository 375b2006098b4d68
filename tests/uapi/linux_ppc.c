// SPDX-License-Identifier: MIT
/* linux_ppc.c — the compared names as the ppc <linux/kvm.h> of Debian's
 * cross UAPI package defines them (built with -I/usr/<triplet>/include). */
#include <stddef.h>

#include <linux/kvm.h>
#include <linux/psci.h>

#include "uapi_names.h"

const struct uapi_value uapi_ppc_common[] = { UAPI_COMMON(UAPI_V) { 0, 0 } };
const struct uapi_value uapi_ppc_ioctls[] = { UAPI_IOCTLS(UAPI_V)  { 0, 0 } };
const struct uapi_value uapi_ppc_structs[] = { UAPI_STRUCTS(UAPI_S) UAPI_OFFSETS(UAPI_O) UAPI_RUN(UAPI_O) UAPI_RUN_SIZE(UAPI_S)  { 0, 0 } };
const struct uapi_value uapi_ppc_arch[] = { UAPI_PPC(UAPI_V) { 0, 0 } };
