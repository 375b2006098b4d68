// SPDX-License-Identifier: MIT
/* kvmsim_side.c — the compared names as include/kvmsim/kvm.h defines them. */
#include <kvmsim/kvm.h>

#include "uapi_names.h"

const struct uapi_value uapi_kvmsim_common[] = { UAPI_COMMON(UAPI_V) { 0, 0 } };
const struct uapi_value uapi_kvmsim_ioctls[] = { UAPI_IOCTLS(UAPI_V) { 0, 0 } };
const struct uapi_value uapi_kvmsim_ioctls_arm64[] = { UAPI_IOCTLS(UAPI_V) UAPI_IOCTLS_ARM64(UAPI_V) { 0, 0 } };
const struct uapi_value uapi_kvmsim_structs[] = { UAPI_STRUCTS(UAPI_S) UAPI_OFFSETS(UAPI_O) UAPI_RUN(UAPI_O) UAPI_RUN_SIZE(UAPI_S) { 0, 0 } };
const struct uapi_value uapi_kvmsim_structs_arm64[] = { UAPI_STRUCTS(UAPI_S) UAPI_OFFSETS(UAPI_O) UAPI_RUN(UAPI_O) UAPI_RUN_SIZE(UAPI_S) UAPI_STRUCTS_ARM64(UAPI_S) UAPI_OFFSETS_ARM64(UAPI_O) { 0, 0 } };
const struct uapi_value uapi_kvmsim_structs_s390[] = { UAPI_STRUCTS(UAPI_S) UAPI_OFFSETS(UAPI_O) UAPI_STRUCTS_S390(UAPI_S) { 0, 0 } };
const struct uapi_value uapi_kvmsim_x86[] = {
	UAPI_X86(UAPI_V) UAPI_IOCTLS_X86(UAPI_V) UAPI_STRUCTS_X86(UAPI_S) { 0, 0 }
};
const struct uapi_value uapi_kvmsim_arm64[] = { UAPI_ARM64(UAPI_V) { 0, 0 } };
const struct uapi_value uapi_kvmsim_s390[] = { UAPI_S390(UAPI_V) { 0, 0 } };
const struct uapi_value uapi_kvmsim_ppc[] = { UAPI_PPC(UAPI_V) { 0, 0 } };
