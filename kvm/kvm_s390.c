// SPDX-License-Identifier: MIT
/*
 * kvm_s390.c — the s390 VM attributes (kvm-api.md §8, devices/vm.txt and
 * arch/s390/kvm/kvm-s390.c of Linux 4.4): KVM_SET/GET/HAS_DEVICE_ATTR on
 * an s390 VM handle for the groups MEM_CTRL (CMMA, the guest-memory
 * limit), TOD (the guest's TOD clock), CRYPTO (key wrapping) and
 * CPU_MODEL (the guest's CPU id, IBC and facility list; the host's).
 *
 * The host is a z13-class LPAR with EDAT-1 and MSA-3 (facility 76). Its
 * CPU id, IBC and facility list below are illustrative, not read from a
 * machine; KVM's facility mask is 4.4's kvm_s390_fac_list_mask as we read
 * the source. The host TOD clock counts simulated time from 2016-01-01
 * 00:00:00 UTC (bit 51 = 1 us; leap seconds ignored).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kvm_int.h"
#include "sim/sim.h"

#define FAC_WORDS 256

/* CPU id: version 8 bits, identification 24, machine type 16 (2964 = z13). */
#define HOST_CPUID 0x000a1b2c29640000ull
/* SCLP IBC: lowest supported level << 16 | the machine's level (estimate) */
#define HOST_IBC 0x00100123u
/* 2016-01-01 00:00:00 UTC: 3 660 595 200 s after the TOD epoch (1900) */
#define TOD_BOOT (3660595200ull * 1000000ull << 12)

/* Facility bit @nr in STFLE layout: bit 0 is the MSB of word 0. */
static void fac_set(uint64_t *list, unsigned nr)
{
	list[nr / 64] |= 1ull << (63 - nr % 64);
}

static bool fac_test(const uint64_t *list, unsigned nr)
{
	return list[nr / 64] >> (63 - nr % 64) & 1;
}

/* The host's STFLE list: z/Architecture basics, EDAT-1 (8), MSA (17),
 * long displacement (18), extended immediate (21), STCKF (25), MSA-3 (76),
 * MSA-4 (77), vector (129). */
static const unsigned host_facilities[] = { 0, 1, 2, 3, 4, 7, 8, 17, 18, 21, 25, 76, 77, 129 };

/* 4.4's kvm_s390_fac_list_mask: what KVM may offer a guest. */
static const uint64_t kvm_fac_mask[2] = { 0xffe6fffbfcfdfc40ull, 0x005e800000000000ull };

struct kvm_s390_vm {
	bool use_cmma;
	uint64_t asce_end;  /* the gmap's last address: LIMIT_SIZE reads it */
	uint64_t tod_epoch; /* guest TOD = host TOD + epoch (mod 2^64) */
	bool aes_kw, dea_kw;
	uint64_t cpuid;
	uint16_t ibc;
	uint64_t fac_list[FAC_WORDS]; /* the guest's */
	uint64_t fac_mask[FAC_WORDS]; /* host facilities KVM offers */
	uint64_t host_list[FAC_WORDS];
};

/* 4.4 gmap_alloc(): the reach of the page-table depth @limit needs, minus 1 */
static uint64_t gmap_reach(uint64_t limit)
{
	if (limit < 1ull << 31)
		return (1ull << 31) - 1;
	if (limit < 1ull << 42)
		return (1ull << 42) - 1;
	if (limit < 1ull << 53)
		return (1ull << 53) - 1;
	return UINT64_MAX;
}

/* The VM's state, made on first use as kvm_arch_init_vm() makes it. */
static struct kvm_s390_vm *state(struct kvm_vm *vm)
{
	struct kvm_s390_vm *s = vm->s390;

	if (s)
		return s;
	s = calloc(1, sizeof(*s));
	if (!s)
		return NULL;
	s->asce_end = gmap_reach((1ull << 44) - 1);
	for (size_t i = 0; i < sizeof(host_facilities) / sizeof(host_facilities[0]); i++)
		fac_set(s->host_list, host_facilities[i]);
	for (unsigned i = 0; i < 2; i++)
		s->fac_mask[i] = s->host_list[i] & kvm_fac_mask[i];
	memcpy(s->fac_list, s->fac_mask, sizeof(s->fac_list));
	s->cpuid = HOST_CPUID | 0xffull << 56; /* version 0xff: a virtual CPU */
	s->ibc = HOST_IBC & 0x0fff;
	vm->s390 = s;
	return s;
}

void kvm_s390_vm_free(struct kvm_vm *vm)
{
	free(vm->s390);
	vm->s390 = NULL;
}

static uint64_t host_tod(struct kvm_vm *vm)
{
	/* 4096 TOD units a microsecond: ps * 4096 / 10^6 = ps * 64 / 15625 */
	unsigned __int128 t = (unsigned __int128)sim_now(vm->sim) * 64 / 15625;

	return TOD_BOOT + (uint64_t)t;
}

/* ---- MEM_CTRL ------------------------------------------------------------------ */

static int set_mem_control(struct kvm_vm *vm, struct kvm_s390_vm *s,
			   const struct kvm_device_attr *a)
{
	uint64_t limit;
	int err;

	switch (a->attr) {
	case KVM_S390_VM_MEM_ENABLE_CMMA:
		/* the host is an LPAR with EDAT-1: no EINVAL */
		if (vm->nvcpus)
			return -EBUSY;
		s->use_cmma = true;
		return 0;
	case KVM_S390_VM_MEM_CLR_CMMA:
		/* the code, not the doc: EINVAL when CMMA was never enabled */
		return s->use_cmma ? 0 : -EINVAL;
	case KVM_S390_VM_MEM_LIMIT_SIZE:
		err = kvm_copy_from_user(&limit, a->addr, sizeof(limit));
		if (err)
			return err;
		if (limit > s->asce_end)
			return -E2BIG;
		if (vm->nvcpus)
			return -EBUSY;
		s->asce_end = gmap_reach(limit);
		return 0;
	default:
		return -ENXIO;
	}
}

static int get_mem_control(struct kvm_s390_vm *s, const struct kvm_device_attr *a)
{
	if (a->attr != KVM_S390_VM_MEM_LIMIT_SIZE)
		return -ENXIO;
	return kvm_copy_to_user(a->addr, &s->asce_end, sizeof(s->asce_end));
}

/* ---- TOD ----------------------------------------------------------------------- */

static int set_tod(struct kvm_vm *vm, struct kvm_s390_vm *s, const struct kvm_device_attr *a)
{
	uint64_t low;
	uint8_t high;
	int err;

	if (a->flags)
		return -EINVAL;
	switch (a->attr) {
	case KVM_S390_VM_TOD_HIGH:
		err = kvm_copy_from_user(&high, a->addr, sizeof(high));
		if (err)
			return err;
		return high ? -EINVAL : 0;
	case KVM_S390_VM_TOD_LOW:
		err = kvm_copy_from_user(&low, a->addr, sizeof(low));
		if (err)
			return err;
		s->tod_epoch = low - host_tod(vm);
		return 0;
	default:
		return -ENXIO;
	}
}

static int get_tod(struct kvm_vm *vm, struct kvm_s390_vm *s, const struct kvm_device_attr *a)
{
	uint64_t low;
	uint8_t high = 0;

	if (a->flags)
		return -EINVAL;
	switch (a->attr) {
	case KVM_S390_VM_TOD_HIGH:
		return kvm_copy_to_user(a->addr, &high, sizeof(high));
	case KVM_S390_VM_TOD_LOW:
		low = host_tod(vm) + s->tod_epoch;
		return kvm_copy_to_user(a->addr, &low, sizeof(low));
	default:
		return -ENXIO;
	}
}

/* ---- CRYPTO: write-only ------------------------------------------------------- */

static int set_crypto(struct kvm_s390_vm *s, const struct kvm_device_attr *a)
{
	/* MSA-3 is checked first: without it even an unknown attr is EINVAL */
	if (!fac_test(s->fac_mask, 76) || !fac_test(s->fac_list, 76))
		return -EINVAL;
	switch (a->attr) {
	case KVM_S390_VM_CRYPTO_ENABLE_AES_KW:
		s->aes_kw = true; /* Linux also draws a fresh wrapping-key mask */
		return 0;
	case KVM_S390_VM_CRYPTO_ENABLE_DEA_KW:
		s->dea_kw = true;
		return 0;
	case KVM_S390_VM_CRYPTO_DISABLE_AES_KW:
		s->aes_kw = false;
		return 0;
	case KVM_S390_VM_CRYPTO_DISABLE_DEA_KW:
		s->dea_kw = false;
		return 0;
	default:
		return -ENXIO;
	}
}

/* ---- CPU_MODEL ---------------------------------------------------------------- */

static int set_cpu_model(struct kvm_vm *vm, struct kvm_s390_vm *s,
			 const struct kvm_device_attr *a)
{
	struct kvm_s390_vm_cpu_processor *p;
	int err;

	if (a->attr != KVM_S390_VM_CPU_PROCESSOR)
		return -ENXIO; /* MACHINE is read-only */
	if (vm->nvcpus)
		return -EBUSY;
	p = malloc(sizeof(*p));
	if (!p)
		return -ENOMEM;
	err = kvm_copy_from_user(p, a->addr, sizeof(*p));
	if (!err) {
		/* not validated: facilities KVM cannot offer are the VMM's problem */
		s->cpuid = p->cpuid;
		s->ibc = p->ibc;
		memcpy(s->fac_list, p->fac_list, sizeof(s->fac_list));
	}
	free(p);
	return err;
}

static int get_cpu_model(struct kvm_s390_vm *s, const struct kvm_device_attr *a)
{
	int err;

	if (a->attr == KVM_S390_VM_CPU_PROCESSOR) {
		struct kvm_s390_vm_cpu_processor *p = calloc(1, sizeof(*p));

		if (!p)
			return -ENOMEM;
		p->cpuid = s->cpuid;
		p->ibc = s->ibc;
		memcpy(p->fac_list, s->fac_list, sizeof(p->fac_list));
		err = kvm_copy_to_user(a->addr, p, sizeof(*p));
		free(p);
		return err;
	}
	if (a->attr == KVM_S390_VM_CPU_MACHINE) {
		struct kvm_s390_vm_cpu_machine *m = calloc(1, sizeof(*m));

		if (!m)
			return -ENOMEM;
		m->cpuid = HOST_CPUID;
		m->ibc = HOST_IBC;
		memcpy(m->fac_mask, s->fac_mask, sizeof(m->fac_mask));
		memcpy(m->fac_list, s->host_list, sizeof(m->fac_list));
		err = kvm_copy_to_user(a->addr, m, sizeof(*m));
		free(m);
		return err;
	}
	return -ENXIO;
}

/* ---- dispatch: KVM_SET/GET/HAS_DEVICE_ATTR on the VM handle --------------------- */

static int has_attr(const struct kvm_device_attr *a)
{
	switch (a->group) {
	case KVM_S390_VM_MEM_CTRL:
		return a->attr <= KVM_S390_VM_MEM_LIMIT_SIZE ? 0 : -ENXIO;
	case KVM_S390_VM_TOD:
		return a->attr <= KVM_S390_VM_TOD_HIGH ? 0 : -ENXIO;
	case KVM_S390_VM_CRYPTO:
		return a->attr <= KVM_S390_VM_CRYPTO_DISABLE_DEA_KW ? 0 : -ENXIO;
	case KVM_S390_VM_CPU_MODEL:
		return a->attr <= KVM_S390_VM_CPU_MACHINE ? 0 : -ENXIO;
	default:
		return -ENXIO;
	}
}

long kvm_s390_vm_attr(struct kvm_vm *vm, unsigned int req, unsigned long uaddr)
{
	struct kvm_device_attr a;
	struct kvm_s390_vm *s;
	int err = kvm_copy_from_user(&a, uaddr, sizeof(a));

	if (err)
		return err;
	if (req == KVM_HAS_DEVICE_ATTR)
		return has_attr(&a);
	s = state(vm);
	if (!s)
		return -ENOMEM;
	if (req == KVM_SET_DEVICE_ATTR) {
		switch (a.group) {
		case KVM_S390_VM_MEM_CTRL:
			return set_mem_control(vm, s, &a);
		case KVM_S390_VM_TOD:
			return set_tod(vm, s, &a);
		case KVM_S390_VM_CRYPTO:
			return set_crypto(s, &a);
		case KVM_S390_VM_CPU_MODEL:
			return set_cpu_model(vm, s, &a);
		default:
			return -ENXIO;
		}
	}
	switch (a.group) {
	case KVM_S390_VM_MEM_CTRL:
		return get_mem_control(s, &a);
	case KVM_S390_VM_TOD:
		return get_tod(vm, s, &a);
	case KVM_S390_VM_CPU_MODEL:
		return get_cpu_model(s, &a);
	default:
		return -ENXIO; /* CRYPTO included: write-only */
	}
}
