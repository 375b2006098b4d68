/* SPDX-License-Identifier: MIT */
/*
 * gic.h — the ARM Generic Interrupt Controller model (GICv2 with the
 * virtualization extensions, GICv3 with ICH/ICV): the only header other
 * layers include. Behaviour follows ../shared/spec/gic.md (section numbers
 * below refer to it).
 *
 * A struct gic is one controller: a distributor, ncpus CPU interfaces
 * (GICv3: redistributors and system-register CPU interfaces) and, when
 * nr_lrs > 0, a virtual CPU interface per CPU with its list registers.
 * Software reaches it only through registers (gic_read/gic_write on a
 * bank), devices through input wires (gic_set_irq), CPUs through output
 * wires (gic_output). The model has no Security Extensions (GICv2) / runs
 * with GICD_CTLR.DS = 1 (GICv3), as KVM presents it to guests (§0).
 *
 * The same model with impl = GIC_IMPL_KVM44 is the distributor that Linux
 * 4.4's VGIC emulates for a guest (vgic-v2-emul.c / vgic-v3-emul.c): its
 * register table is KVM's (IGROUPR RAZ/WI, no ID registers, IIDR 'K').
 * Its CPU interfaces drive no output wires (they stay low): KVM delivers
 * through the list registers of the host GIC's virtual interface.
 */
#ifndef KVMSIM_MODELS_GIC_H
#define KVMSIM_MODELS_GIC_H

#include <stdbool.h>
#include <stdint.h>

#include "models/irq.h"
#include "sim/sim.h"

enum gic_version {
	GIC_V2 = 2,
	GIC_V3 = 3,
};

enum gic_impl {
	GIC_IMPL_HW,    /* hardware: GIC-400 (v2) / GIC-500-class (v3) IDs */
	GIC_IMPL_KVM44, /* the distributor Linux 4.4 KVM emulates (§6.3) */
};

/* Register banks, each a table of gic_regs_*.c. */
enum gic_bank {
	GIC_BANK_DIST,   /* GICD: offset in the distributor frame */
	GIC_BANK_CPU,    /* GICC (v2): the accessing CPU's interface */
	GIC_BANK_HYP,    /* GICH (v2): the accessing CPU's control view */
	GIC_BANK_VCPU,   /* GICV (v2): the accessing CPU's virtual interface */
	GIC_BANK_REDIST, /* GICR (v3) of CPU @cpu: RD_base, SGI_base at 0x10000 */
	GIC_BANK_ICC,    /* v3 system registers at EL2: ICC_*_EL1/EL2, ICH_*_EL2 */
	GIC_BANK_ICV,    /* v3 system registers at EL1 with HCR_EL2.IMO/FMO = 1:
			  * the ICC encodings as the ICV view answers them */
	GIC_NR_BANKS
};

/*
 * A system register's number in GIC_BANK_ICC / GIC_BANK_ICV, packed as
 * KVM packs it (KVM_DEV_ARM_VGIC_SYSREG_INSTR_MASK): Op0[15:14] Op1[13:11]
 * CRn[10:7] CRm[6:3] Op2[2:0].
 */
#define GIC_SYSREG(op0, op1, crn, crm, op2)                                    \
	((uint32_t)(((op0) << 14) | ((op1) << 11) | ((crn) << 7) |             \
		    ((crm) << 3) | (op2)))

/* Result of a register access. */
enum gic_access {
	GIC_ACCESS_OK,
	GIC_ACCESS_UNMAPPED, /* no register there: read as zero, write ignored */
	GIC_ACCESS_WIDTH,    /* width not allowed for it: RAZ/WI */
	GIC_ACCESS_TRAP,     /* ICV: the access traps to EL2 (SGI generation,
			      * ICH_HCR_EL2.TC/TALL0/TALL1/TDIR); nothing done */
};

/* Output wires of each CPU interface. */
enum gic_output {
	GIC_OUT_IRQ,
	GIC_OUT_FIQ,
	GIC_OUT_VIRQ,
	GIC_OUT_VFIQ,
	GIC_NR_OUTPUTS
};

struct gic_config {
	const char *name;         /* component path in traces, e.g. "gic" */
	enum gic_version version;
	enum gic_impl impl;
	unsigned ncpus;           /* v2: 1..8; v3: 1..256 */
	unsigned nr_irqs;         /* INTIDs incl. the 32 private ones: a
				   * multiple of 32, 64..1024 (1020 used) */
	unsigned prio_bits;       /* implemented priority bits, 4..8 (§1.5);
				   * GIC-400: 5 */
	unsigned nr_lrs;          /* list registers per CPU; 0 = no
				   * virtualization extensions. v2 <= 64,
				   * v3 <= 16. GIC-400: 4 */
	unsigned vprio_bits;      /* virtual priority bits (v3 ICH_VTR); v2
				   * list registers hold 5 */
	unsigned maint_ppi;       /* maintenance interrupt, 0 = 25 (§4.2) */
	/* Timing, in cycles of clock (0 everywhere: outputs follow state at
	 * once). Physical GIC-internal latencies are unpublished (§8): the
	 * profiles give placeholders. */
	struct sim_clock clock;
	uint32_t signal_cycles;   /* state change -> IRQ/FIQ wire (input sync
				   * + arbitration + delivery, §8.1 1-3) */
	uint32_t vsignal_cycles;  /* LR/VMCR change -> vIRQ wire (§8.1 11) */
	uint32_t rwp_cycles;      /* v3 GICD_CTLR.RWP after CTLR/ICENABLER */
	uint32_t waker_cycles;    /* v3 GICR_WAKER sleep -> awake handshake */
};

struct gic;

/**
 * gic_create() - build a controller in its reset state.
 *
 * Returns NULL with errno EINVAL for a configuration outside the limits
 * above, ENOMEM when out of memory.
 */
struct gic *gic_create(struct sim *sim, const struct gic_config *cfg);
void gic_destroy(struct gic *gic);

/** gic_reset() - every register to its reset value; wires follow. */
void gic_reset(struct gic *gic);

const struct gic_config *gic_config(const struct gic *gic);

/**
 * gic_set_irq() - drive an interrupt input wire.
 * @cpu: the CPU whose PPI it is (ignored for SPIs)
 * @intid: 16..31 (PPI) or 32..nr_irqs-1 (SPI); others are ignored
 */
void gic_set_irq(struct gic *gic, unsigned cpu, unsigned intid, bool level);

/** gic_output() - an output wire of CPU interface @cpu, to connect. */
struct irq_line *gic_output(struct gic *gic, unsigned cpu, enum gic_output which);

/**
 * gic_read() / gic_write() - a register access by CPU @cpu.
 * @off: byte offset in the bank (a GIC_SYSREG() number for ICC/ICV)
 * @size: 1, 2, 4 or 8 bytes
 *
 * Side effects are those of the architecture (an IAR read acknowledges).
 * A misuse reads as zero / is ignored and is traced.
 */
enum gic_access gic_read(struct gic *gic, enum gic_bank bank, unsigned cpu,
			 uint32_t off, unsigned size, uint64_t *val);
enum gic_access gic_write(struct gic *gic, enum gic_bank bank, unsigned cpu,
			  uint32_t off, unsigned size, uint64_t val);

/**
 * gic_has_reg() - whether a controller configured as @cfg has a register at
 * @off in @bank (no instance needed: KVM_HAS_DEVICE_ATTR asks before one
 * exists).
 */
bool gic_has_reg(const struct gic_config *cfg, enum gic_bank bank, uint32_t off);

/* Architectural state probes for tests and KVM read-back (no side effects). */
bool gic_irq_pending(const struct gic *gic, unsigned cpu, unsigned intid);
bool gic_irq_active(const struct gic *gic, unsigned cpu, unsigned intid);

#endif /* KVMSIM_MODELS_GIC_H */
