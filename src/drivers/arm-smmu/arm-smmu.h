/* SPDX-License-Identifier: MIT */
/*
 * The SMMUv2 driver (DESIGN.md section 5), after Linux's
 * drivers/iommu/arm/arm-smmu/arm-smmu.c of the seed's era: context banks
 * allocated per domain, stall-on-fault per context, the context fault
 * handler arm_smmu_context_fault(), and the client's resume path
 * (qcom_adreno_smmu_resume_translation() in Linux).  It reaches the
 * hardware only by MMIO (hw/smmu/smmuv2.h) and its interrupts.
 *
 * Policy cfie_mask (seed 002_e9443f211b61e295, "[PATCH v5 3/5]
 * iommu/arm-smmu: Fix spurious interrupts with stall-on-fault"):
 *   none:          before the patch: FSR.SS counts as a fault
 *                  (ARM_SMMU_CB_FSR_FAULT included SS), nothing is masked,
 *                  the handler reports and clears FSR; the resume path
 *                  only writes RESUME.  Where SS asserts the interrupt the
 *                  line stays high until the client resumes: a storm.
 *   unlocked:      the patch without cb_lock: SS is no longer a fault bit;
 *                  with SS set the handler clears SCTLR.CFIE (read-modify-
 *                  write), clears FSR, then reports; the resume path writes
 *                  RESUME, then sets CFIE.  Two banks on one line race: a
 *                  "spurious" interrupt for a bank whose resume path has
 *                  written RESUME (its retried transaction faulted again)
 *                  but not yet CFIE turns real, the handler masks CFIE
 *                  (already clear) and reports, then the resume path sets
 *                  CFIE "assuming the handler hasn't run yet": CFIE is 1
 *                  over a reported, unresolved stall.
 *   locked:        the patch: the CFIE mask, and RESUME + CFIE, under the
 *                  domain's cb_lock.
 *   threaded-sync: the review's alternative: a hard handler that masks
 *                  CFIE and wakes a threaded handler (IRQF_ONESHOT), which
 *                  clears FSR, reports synchronously (the client resolves
 *                  the fault in the thread), writes SCTLR.CFIE before
 *                  RESUME, with no lock.
 *
 * Locking: cb_lock is a spinlock taken with interrupts masked outside the
 * hard handler.  Client fault handlers run in hard-IRQ context (none,
 * unlocked, locked: they must not sleep) or in the IRQ thread
 * (threaded-sync: they may sleep).
 */
#ifndef IOMMUSIM_DRIVERS_ARM_SMMU_H
#define IOMMUSIM_DRIVERS_ARM_SMMU_H

#include "hw/mem.h"
#include "hw/smmu/smmuv2.h"
#include "hw/smmu/smmuv2_regs.h"
#include "kernel/kernel.h"

/* ARM_SMMU_CB_FSR_FAULT before and after the seed's patch. */
#define ARM_SMMU_CB_FSR_FAULT_PRE	(SMMUV2_FSR_MULTI | SMMUV2_FSR_SS | SMMUV2_FSR_UUT | \
					 SMMUV2_FSR_EF | SMMUV2_FSR_PF | SMMUV2_FSR_TF | \
					 SMMUV2_FSR_AFF | SMMUV2_FSR_ASF |		\
					 SMMUV2_FSR_TLBMCF | SMMUV2_FSR_TLBLKF)
#define ARM_SMMU_CB_FSR_FAULT		(ARM_SMMU_CB_FSR_FAULT_PRE & ~SMMUV2_FSR_SS)

#define IOMMU_FAULT_READ	0x0
#define IOMMU_FAULT_WRITE	0x1

/* Values of policy cfie_mask, in the order of enum pol_cfie_mask. */
enum arm_smmu_cfie_mask {
	ARM_SMMU_CFIE_NONE,
	ARM_SMMU_CFIE_UNLOCKED,
	ARM_SMMU_CFIE_LOCKED,
	ARM_SMMU_CFIE_THREADED_SYNC,
};

/**
 * struct arm_smmu_platform - what the platform gives the driver.
 * @irqs: the Linux IRQ number of each context interrupt (bank n uses
 *	  irqs[n]); the same number for banks on a shared line.
 */
struct arm_smmu_platform {
	const char *name;
	struct smmuv2 *hw;
	struct hw_mem *mem;
	int num_context_irqs;
	int irqs[SMMUV2_MAX_CBS];
	enum arm_smmu_cfie_mask cfie_mask;
};

struct arm_smmu_device {
	struct device dev;
	char name[SIM_NAME_LEN];
	struct smmuv2 *hw;
	struct hw_mem *mem;
	u32 num_context_banks;
	int num_context_irqs;
	int irqs[SMMUV2_MAX_CBS];
	bool context_used[SMMUV2_MAX_CBS];
	enum arm_smmu_cfie_mask cfie_mask;
};

/* struct arm_smmu_cfg (arm-smmu.h): the context bank of a domain. */
struct arm_smmu_cfg {
	u8 cbndx;
	u8 irptndx;
};

/* struct arm_smmu_context_fault_info: what the handler read. */
struct arm_smmu_context_fault_info {
	unsigned long iova;	/* FAR */
	u32 fsr;
	u32 fsynr;		/* FSYNR0 */
};

struct arm_smmu_domain;

/*
 * A client's fault handler (iommu_fault_handler_t with the fault info
 * adreno_smmu_priv's get_fault_info gives drm/msm).  Return: -EAGAIN when
 * the client will call arm_smmu_resume_translation() itself; otherwise 0
 * to retry, or another -errno to terminate (used by threaded-sync, which
 * resumes for it).
 */
typedef int (*arm_smmu_fault_handler_t)(struct arm_smmu_domain *d, unsigned long iova,
					int flags,
					const struct arm_smmu_context_fault_info *cfi,
					void *token);

struct arm_smmu_domain {
	struct arm_smmu_device *smmu;
	struct arm_smmu_cfg cfg;
	char name[SIM_NAME_LEN];
	spinlock_t cb_lock;	/* SCTLR updates vs. resume (the seed's fix) */
	u64 pgtbl_root;		/* TTBR0: the table of hw/pgtable.h */
	bool stall;		/* SCTLR.CFCFG */
	bool context_ready;
	arm_smmu_fault_handler_t handler;
	void *handler_token;
	/* counters */
	u64 faults_reported;
	u64 irq_none;		/* this bank's handler found nothing */
	u64 resumes;
};

/**
 * arm_smmu_v2_device_probe() - probe the SMMU: read ID0/ID1, disable every
 * context bank (SCTLR = 0, FSR cleared), make every stream fault (S2CR
 * type fault), then clear sCR0.CLIENTPD.  Models arm_smmu_device_probe()
 * and arm_smmu_device_reset() of arm-smmu.c (static there; renamed here
 * because the SMMUv3 driver model exports its own arm_smmu_device_probe()).
 * Return: the device, or ERR_PTR(-ENOMEM / -ENODEV when ID1.NUMCB is 0).
 * Context: process context (may sleep).
 */
struct arm_smmu_device *arm_smmu_v2_device_probe(const struct arm_smmu_platform *pf);

/**
 * arm_smmu_domain_alloc() - a domain with an empty page table.
 * Return: the domain or ERR_PTR(-ENOMEM).  Context: process.
 */
struct arm_smmu_domain *arm_smmu_domain_alloc(struct arm_smmu_device *smmu, const char *name);

/**
 * arm_smmu_init_domain_context() - give @d a context bank: @cbndx, or the
 * first free one when negative; program TTBR0 and SCTLR (M, CFRE, CFIE,
 * and CFCFG when @stall), and request the bank's context interrupt
 * (IRQF_SHARED; threaded with IRQF_ONESHOT for cfie_mask threaded-sync).
 * Models arm_smmu_init_domain_context() and arm_smmu_write_context_bank().
 * Return: 0; -EBUSY (bank taken), -ENOSPC (none free), -EINVAL (@cbndx
 * out of range), or request_irq()'s error.  Context: process.
 */
int arm_smmu_init_domain_context(struct arm_smmu_domain *d, int cbndx, bool stall);

/**
 * arm_smmu_attach_sid() - route stream @sid to @d's bank (S2CR type
 * translate, CBNDX).  Return: 0, -EINVAL (no context, SID out of range).
 */
int arm_smmu_attach_sid(struct arm_smmu_domain *d, u32 sid);

/** arm_smmu_map() - map one page (hw_pgtable_map()).  Return: its error. */
int arm_smmu_map(struct arm_smmu_domain *d, unsigned long iova, u64 pa);

/** arm_smmu_set_fault_handler() - iommu_set_fault_handler(). */
void arm_smmu_set_fault_handler(struct arm_smmu_domain *d, arm_smmu_fault_handler_t h,
				void *token);

/**
 * arm_smmu_context_fault() - the hard handler of a context interrupt
 * (dev_id: the domain), per policy cfie_mask (see the top of this file).
 * Return: IRQ_NONE when the bank has no fault (its FSR shows none of
 * ARM_SMMU_CB_FSR_FAULT, or of the pre-patch mask under none),
 * IRQ_WAKE_THREAD (threaded-sync), else IRQ_HANDLED.
 * Context: hard IRQ.
 */
irqreturn_t arm_smmu_context_fault(int irq, void *dev);

/** arm_smmu_context_fault_thread() - threaded-sync's thread function.  Context: IRQ thread. */
irqreturn_t arm_smmu_context_fault_thread(int irq, void *dev);

/**
 * arm_smmu_resume_translation() - resume (retry) or terminate the stalled
 * transaction of @d's bank, and re-enable its context interrupt: RESUME,
 * then SCTLR.CFIE, under cb_lock for locked, without it for unlocked;
 * RESUME only for none.  Models qcom_adreno_smmu_resume_translation() of
 * the seed.  Not for threaded-sync (the thread resumes).
 * Context: process context (the client's workqueue), or the client's
 * fault handler in hard IRQ; takes cb_lock with interrupts masked.
 */
void arm_smmu_resume_translation(struct arm_smmu_domain *d, bool terminate);

/**
 * arm_smmu_report_iommu_fault() - report_iommu_fault(): call the domain's
 * fault handler.  Return: its return, or -ENOSYS when none is set.
 */
int arm_smmu_report_iommu_fault(struct arm_smmu_domain *d, unsigned long iova, int flags,
				const struct arm_smmu_context_fault_info *cfi);

#endif /* IOMMUSIM_DRIVERS_ARM_SMMU_H */
