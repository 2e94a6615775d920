// SPDX-License-Identifier: MIT
/*
 * SMMUv2 driver: probe and reset, domains, context banks, stream routing,
 * page mapping.  The fault path is arm-smmu-fault.c.  See arm-smmu.h.
 */
#include "drivers/arm-smmu/arm-smmu.h"

#include <stdio.h>

#include "hw/pgtable.h"

#define ARM_SMMU_GR1	1	/* page of global register space 1 */

static u32 arm_smmu_gr0_read(struct arm_smmu_device *smmu, u32 off)
{
	return smmuv2_read32(smmu->hw, off);
}

static void arm_smmu_gr0_write(struct arm_smmu_device *smmu, u32 off, u32 val)
{
	smmuv2_write32(smmu->hw, off, val);
}

static void arm_smmu_cb_write(struct arm_smmu_device *smmu, int idx, u32 off, u32 val)
{
	smmuv2_write32(smmu->hw, smmuv2_cb_base(smmu->hw, idx) + off, val);
}

struct arm_smmu_device *arm_smmu_v2_device_probe(const struct arm_smmu_platform *pf)
{
	struct arm_smmu_device *smmu = kzalloc(sizeof(*smmu), GFP_KERNEL);
	u32 id1;

	if (!smmu)
		return ERR_PTR(-ENOMEM);
	snprintf(smmu->name, sizeof(smmu->name), "%s", pf->name);
	smmu->dev.name = smmu->name;
	smmu->hw = pf->hw;
	smmu->mem = pf->mem;
	smmu->cfie_mask = pf->cfie_mask;
	smmu->num_context_irqs = pf->num_context_irqs;
	memcpy(smmu->irqs, pf->irqs, sizeof(smmu->irqs));
	id1 = arm_smmu_gr0_read(smmu, SMMUV2_GR0_ID1);
	smmu->num_context_banks = FIELD_GET(SMMUV2_ID1_NUMCB, id1);
	if (!smmu->num_context_banks) {
		kfree(smmu);
		return ERR_PTR(-ENODEV);
	}
	/* arm_smmu_device_reset(): streams fault, banks off, faults cleared. */
	for (u32 i = 0; i < (1u << FIELD_GET(SMMUV2_ID0_NUMSIDB,
					     arm_smmu_gr0_read(smmu, SMMUV2_GR0_ID0))); i++)
		arm_smmu_gr0_write(smmu, SMMUV2_GR0_S2CR(i),
				   FIELD_PREP(SMMUV2_S2CR_TYPE, SMMUV2_S2CR_TYPE_FAULT));
	for (u32 i = 0; i < smmu->num_context_banks; i++) {
		arm_smmu_cb_write(smmu, i, SMMUV2_CB_SCTLR, 0);
		arm_smmu_cb_write(smmu, i, SMMUV2_CB_FSR, SMMUV2_FSR_W1C);
	}
	arm_smmu_gr0_write(smmu, SMMUV2_GR0_sCR0, SMMUV2_sCR0_GFIE | SMMUV2_sCR0_GFRE);
	dev_info(&smmu->dev, "%u context banks, %d context interrupts, cfie_mask %d\n",
		 smmu->num_context_banks, smmu->num_context_irqs, smmu->cfie_mask);
	return smmu;
}

struct arm_smmu_domain *arm_smmu_domain_alloc(struct arm_smmu_device *smmu, const char *name)
{
	struct arm_smmu_domain *d = kzalloc(sizeof(*d), GFP_KERNEL);

	if (!d)
		return ERR_PTR(-ENOMEM);
	d->smmu = smmu;
	snprintf(d->name, sizeof(d->name), "%s", name);
	spin_lock_init(&d->cb_lock);
	if (hw_mem_alloc(smmu->mem, 1, "arm-smmu pgtable", &d->pgtbl_root)) {
		kfree(d);
		return ERR_PTR(-ENOMEM);
	}
	return d;
}

/* arm_smmu_write_context_bank(): TTBR0, CBAR, then SCTLR last. */
static void arm_smmu_write_context_bank(struct arm_smmu_domain *d)
{
	struct arm_smmu_device *smmu = d->smmu;
	int idx = d->cfg.cbndx;
	u32 sctlr = SMMUV2_SCTLR_CFIE | SMMUV2_SCTLR_CFRE | SMMUV2_SCTLR_AFE |
		    SMMUV2_SCTLR_TRE | SMMUV2_SCTLR_M;

	if (d->stall)
		sctlr |= SMMUV2_SCTLR_CFCFG;
	smmuv2_write64(smmu->hw, smmuv2_cb_base(smmu->hw, idx) + SMMUV2_CB_TTBR0,
		       d->pgtbl_root | FIELD_PREP(SMMUV2_TTBRn_ASID, idx + 1));
	smmuv2_write32(smmu->hw, (1u << SMMUV2_PGSHIFT) * ARM_SMMU_GR1 + SMMUV2_GR1_CBAR(idx),
		       FIELD_PREP(SMMUV2_CBAR_IRPTNDX, d->cfg.irptndx) |
		       FIELD_PREP(SMMUV2_CBAR_TYPE, 1 /* S1 trans, S2 bypass */));
	arm_smmu_cb_write(smmu, idx, SMMUV2_CB_SCTLR, sctlr);
}

static int arm_smmu_alloc_context_bank(struct arm_smmu_device *smmu, int cbndx)
{
	if (cbndx >= (int)smmu->num_context_banks)
		return -EINVAL;
	if (cbndx >= 0)
		return smmu->context_used[cbndx] ? -EBUSY : cbndx;
	for (u32 i = 0; i < smmu->num_context_banks; i++)
		if (!smmu->context_used[i])
			return (int)i;
	return -ENOSPC;
}

int arm_smmu_init_domain_context(struct arm_smmu_domain *d, int cbndx, bool stall)
{
	struct arm_smmu_device *smmu = d->smmu;
	int idx = arm_smmu_alloc_context_bank(smmu, cbndx), irq, ret;

	if (idx < 0)
		return idx;
	smmu->context_used[idx] = true;
	d->cfg.cbndx = (u8)idx;
	d->cfg.irptndx = (u8)(idx % (smmu->num_context_irqs ? smmu->num_context_irqs : 1));
	d->stall = stall;
	arm_smmu_write_context_bank(d);
	irq = smmu->irqs[d->cfg.irptndx];
	if (smmu->cfie_mask == ARM_SMMU_CFIE_THREADED_SYNC)
		ret = request_threaded_irq(irq, arm_smmu_context_fault,
					   arm_smmu_context_fault_thread,
					   IRQF_SHARED | IRQF_ONESHOT, d->name, d);
	else
		ret = request_irq(irq, arm_smmu_context_fault, IRQF_SHARED, d->name, d);
	if (ret) {
		dev_err(&smmu->dev, "failed to request context IRQ %d (%u)\n", d->cfg.irptndx, irq);
		smmu->context_used[idx] = false;
		return ret;
	}
	d->context_ready = true;
	return 0;
}

int arm_smmu_attach_sid(struct arm_smmu_domain *d, u32 sid)
{
	u32 id0;

	if (!d->context_ready)
		return -EINVAL;
	id0 = arm_smmu_gr0_read(d->smmu, SMMUV2_GR0_ID0);
	if (sid >> FIELD_GET(SMMUV2_ID0_NUMSIDB, id0))
		return -EINVAL;
	arm_smmu_gr0_write(d->smmu, SMMUV2_GR0_S2CR(sid),
			   FIELD_PREP(SMMUV2_S2CR_TYPE, SMMUV2_S2CR_TYPE_TRANS) |
			   FIELD_PREP(SMMUV2_S2CR_CBNDX, d->cfg.cbndx));
	return 0;
}

int arm_smmu_map(struct arm_smmu_domain *d, unsigned long iova, u64 pa)
{
	return hw_pgtable_map(d->smmu->mem, d->pgtbl_root, iova, pa, HW_PERM_R | HW_PERM_W,
			      "arm-smmu");
}

void arm_smmu_set_fault_handler(struct arm_smmu_domain *d, arm_smmu_fault_handler_t h,
				void *token)
{
	d->handler = h;
	d->handler_token = token;
}
