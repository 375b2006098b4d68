// SPDX-License-Identifier: MIT
// cxx_check.cpp — kvmsim/kvm.h compiles as C++ with the same layouts (its
// static_asserts run here too) and the same values.
#include <kvmsim/kvm.h>

extern "C" unsigned int uapi_cxx_create_device(void)
{
	return KVM_CREATE_DEVICE;
}

extern "C" unsigned long uapi_cxx_sizeof_s390_irq(void)
{
	return sizeof(struct kvm_s390_irq);
}
