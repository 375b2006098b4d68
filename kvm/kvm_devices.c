// SPDX-License-Identifier: MIT
/*
 * kvm_devices.c — the device types kvmsim implements, indexed by
 * KVM_DEV_TYPE_*: the one place that names devices, so kvm/ core never
 * does. A NULL entry is a type whose controller is not built yet:
 * KVM_CREATE_DEVICE answers ENODEV for it, as Linux does for a type its
 * host lacks. Each controller's *_kvm.c adds its ops here when it lands.
 */
#include "kvm_int.h"

extern const struct kvm_device_ops gic_kvm_vgic_ops; /* models/gic/gic_kvm.c */

const struct kvm_device_ops *const kvmsim_device_table[KVM_DEV_TYPE_MAX] = {
	[KVM_DEV_TYPE_FSL_MPIC_20] = NULL, /* models/mpic: not built yet */
	[KVM_DEV_TYPE_FSL_MPIC_42] = NULL, /* models/mpic: not built yet */
	[KVM_DEV_TYPE_XICS] = NULL,        /* models/xics: not built yet */
	[KVM_DEV_TYPE_VFIO] = NULL,        /* needs simulated VFIO groups */
	[KVM_DEV_TYPE_ARM_VGIC_V2] = &gic_kvm_vgic_ops,
	[KVM_DEV_TYPE_FLIC] = NULL,        /* models/flic: not built yet */
	[KVM_DEV_TYPE_ARM_VGIC_V3] = &gic_kvm_vgic_ops,
};
