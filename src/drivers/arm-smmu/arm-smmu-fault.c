// SPDX-License-Identifier: MIT
/*
 * SMMUv2 driver: the context fault handler and the resume path, per
 * policy cfie_mask (arm-smmu.h; seed 002_e9443f211b61e295).
 *
 * Linux functions modelled: arm_smmu_context_fault(),
 * arm_smmu_read_context_fault_info(), report_iommu_fault(), and
 * qcom_adreno_smmu_resume_translation() as the v5 patch changes them.
 */
#include "drivers/arm-smmu/arm-smmu.h"

static u32 cb_read(struct arm_smmu_device *smmu, int idx, u32 off)
{
	return smmuv2_read32(smmu->hw, smmuv2_cb_base(smmu->hw, idx) + off);
}

static u64 cb_readq(struct arm_smmu_device *smmu, int idx, u32 off)
{
	return smmuv2_read64(smmu->hw, smmuv2_cb_base(smmu->hw, idx) + off);
}

static void cb_write(struct arm_smmu_device *smmu, int idx, u32 off, u32 val)
{
	smmuv2_write32(smmu->hw, smmuv2_cb_base(smmu->hw, idx) + off, val);
}

/* arm_smmu_read_context_fault_info(): FSR, FAR, FSYNR0. */
static void arm_smmu_read_context_fault_info(struct arm_smmu_device *smmu, int idx,
					     struct arm_smmu_context_fault_info *cfi)
{
	cfi->fsr = cb_read(smmu, idx, SMMUV2_CB_FSR);
	cfi->iova = (unsigned long)cb_readq(smmu, idx, SMMUV2_CB_FAR);
	cfi->fsynr = cb_read(smmu, idx, SMMUV2_CB_FSYNR0);
}

int arm_smmu_report_iommu_fault(struct arm_smmu_domain *d, unsigned long iova, int flags,
				const struct arm_smmu_context_fault_info *cfi)
{
	if (!d->handler)
		return -ENOSYS;
	d->faults_reported++;
	return d->handler(d, iova, flags, cfi, d->handler_token);
}

static int fault_flags(const struct arm_smmu_context_fault_info *cfi)
{
	return cfi->fsynr & SMMUV2_FSYNR0_WNR ? IOMMU_FAULT_WRITE : IOMMU_FAULT_READ;
}

static void print_fault(struct arm_smmu_domain *d, const struct arm_smmu_context_fault_info *cfi)
{
	dev_err_ratelimited(&d->smmu->dev,
			    "Unhandled context fault: fsr=0x%x, iova=0x%08lx, fsynr=0x%x, cbidx=%u\n",
			    cfi->fsr, cfi->iova, cfi->fsynr, d->cfg.cbndx);
}

/* SCTLR.CFIE = 0 by read-modify-write; under cb_lock for policy locked. */
static void arm_smmu_cfie_clear(struct arm_smmu_domain *d, bool locked)
{
	struct arm_smmu_device *smmu = d->smmu;
	int idx = d->cfg.cbndx;
	u32 val;

	if (locked)
		spin_lock(&d->cb_lock);
	val = cb_read(smmu, idx, SMMUV2_CB_SCTLR);
	val &= ~SMMUV2_SCTLR_CFIE;
	cb_write(smmu, idx, SMMUV2_CB_SCTLR, val);
	if (locked)
		spin_unlock(&d->cb_lock);
}

/* SCTLR.CFIE = 1 by read-modify-write (the caller holds what it must). */
static void arm_smmu_cfie_set(struct arm_smmu_domain *d)
{
	struct arm_smmu_device *smmu = d->smmu;
	int idx = d->cfg.cbndx;
	u32 val = cb_read(smmu, idx, SMMUV2_CB_SCTLR);

	cb_write(smmu, idx, SMMUV2_CB_SCTLR, val | SMMUV2_SCTLR_CFIE);
}

/* A stall nobody will resume (no client handler): terminate it here. */
static void arm_smmu_terminate_orphan(struct arm_smmu_domain *d, u32 fsr, int ret)
{
	if ((fsr & SMMUV2_FSR_SS) && ret == -ENOSYS)
		arm_smmu_resume_translation(d, true);
}

/* none: before the patch - SS is a fault, nothing is masked. */
static irqreturn_t arm_smmu_context_fault_nomask(struct arm_smmu_domain *d,
						 const struct arm_smmu_context_fault_info *cfi)
{
	int ret = arm_smmu_report_iommu_fault(d, cfi->iova, fault_flags(cfi), cfi);

	if (ret == -ENOSYS)
		print_fault(d, cfi);
	cb_write(d->smmu, d->cfg.cbndx, SMMUV2_CB_FSR, cfi->fsr);
	arm_smmu_terminate_orphan(d, cfi->fsr, ret);
	return IRQ_HANDLED;
}

/*
 * unlocked / locked: the v5 patch.  With SS set, mask this bank's
 * interrupt before reporting (a resume from inside the report re-enables
 * it); clear FSR first, as the architecture orders FSR before RESUME.
 */
static irqreturn_t arm_smmu_context_fault_mask(struct arm_smmu_domain *d,
					       const struct arm_smmu_context_fault_info *cfi)
{
	bool locked = d->smmu->cfie_mask == ARM_SMMU_CFIE_LOCKED;
	int ret;

	if (cfi->fsr & SMMUV2_FSR_SS)
		arm_smmu_cfie_clear(d, locked);
	cb_write(d->smmu, d->cfg.cbndx, SMMUV2_CB_FSR, cfi->fsr);
	ret = arm_smmu_report_iommu_fault(d, cfi->iova, fault_flags(cfi), cfi);
	if (ret == -ENOSYS)
		print_fault(d, cfi);
	arm_smmu_terminate_orphan(d, cfi->fsr, ret);
	return IRQ_HANDLED;
}

irqreturn_t arm_smmu_context_fault(int irq, void *dev)
{
	struct arm_smmu_domain *d = dev;
	struct arm_smmu_device *smmu = d->smmu;
	struct arm_smmu_context_fault_info cfi;
	u32 fault = smmu->cfie_mask == ARM_SMMU_CFIE_NONE ? ARM_SMMU_CB_FSR_FAULT_PRE :
							     ARM_SMMU_CB_FSR_FAULT;

	arm_smmu_read_context_fault_info(smmu, d->cfg.cbndx, &cfi);
	if (!(cfi.fsr & fault)) {
		d->irq_none++;
		return IRQ_NONE;
	}
	switch (smmu->cfie_mask) {
	case ARM_SMMU_CFIE_NONE:
		return arm_smmu_context_fault_nomask(d, &cfi);
	case ARM_SMMU_CFIE_THREADED_SYNC:
		/* Only this bank's thread touches its SCTLR until it ends (ONESHOT). */
		if (cfi.fsr & SMMUV2_FSR_SS)
			arm_smmu_cfie_clear(d, false);
		return IRQ_WAKE_THREAD;
	default:
		return arm_smmu_context_fault_mask(d, &cfi);
	}
}

/*
 * threaded-sync: report synchronously in the IRQ thread, then CFIE before
 * RESUME, so a retried transaction that faults again interrupts at once;
 * no lock: nothing else writes this bank's SCTLR or RESUME meanwhile.
 */
irqreturn_t arm_smmu_context_fault_thread(int irq, void *dev)
{
	struct arm_smmu_domain *d = dev;
	struct arm_smmu_device *smmu = d->smmu;
	struct arm_smmu_context_fault_info cfi;
	int idx = d->cfg.cbndx, ret;

	arm_smmu_read_context_fault_info(smmu, idx, &cfi);
	if (!(cfi.fsr & ARM_SMMU_CB_FSR_FAULT))
		return IRQ_NONE;
	cb_write(smmu, idx, SMMUV2_CB_FSR, cfi.fsr);
	ret = arm_smmu_report_iommu_fault(d, cfi.iova, fault_flags(&cfi), &cfi);
	if (ret == -ENOSYS)
		print_fault(d, &cfi);
	if (cfi.fsr & SMMUV2_FSR_SS) {
		arm_smmu_cfie_set(d);
		cb_write(smmu, idx, SMMUV2_CB_RESUME, ret ? SMMUV2_RESUME_TERMINATE : 0);
		d->resumes++;
	}
	return IRQ_HANDLED;
}

void arm_smmu_resume_translation(struct arm_smmu_domain *d, bool terminate)
{
	struct arm_smmu_device *smmu = d->smmu;
	int idx = d->cfg.cbndx;
	u32 reg = terminate ? SMMUV2_RESUME_TERMINATE : 0;
	unsigned long flags;

	d->resumes++;
	switch (smmu->cfie_mask) {
	case ARM_SMMU_CFIE_NONE:
		cb_write(smmu, idx, SMMUV2_CB_RESUME, reg);
		return;
	case ARM_SMMU_CFIE_LOCKED:
		spin_lock_irqsave(&d->cb_lock, flags);
		cb_write(smmu, idx, SMMUV2_CB_RESUME, reg);
		/* Re-enable interrupts after they were disabled by arm_smmu_context_fault(). */
		arm_smmu_cfie_set(d);
		spin_unlock_irqrestore(&d->cb_lock, flags);
		return;
	default:
		cb_write(smmu, idx, SMMUV2_CB_RESUME, reg);
		arm_smmu_cfie_set(d);
		return;
	}
}
