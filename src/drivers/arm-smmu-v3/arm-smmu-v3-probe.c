// SPDX-License-Identifier: MIT
/*
 * SMMUv3 driver: probe and reset through the registers (Linux
 * arm_smmu_device_hw_probe, arm_smmu_init_queues, arm_smmu_init_strtab,
 * arm_smmu_device_reset, arm_smmu_setup_irqs).
 *
 * Model choices, said once:
 *   - the stream table is linear with 2^min(SIDSIZE, 10) STEs, every STE
 *     starting as "abort" (Linux's disable_bypass default); a device with
 *     a SID beyond it fails to probe (-EINVAL);
 *   - CR0.ATSCHK is set ("safe" ATS mode, SMMUv3 §6.3.9.1): translated
 *     transactions are checked against STE.EATS, so clearing EATS stops a
 *     quarantined device's cached translations at the SMMU.  Linux mainline
 *     leaves ATSCHK clear (fast mode), where clearing EATS only stops new
 *     Translation Requests and the quarantine relies on the device obeying
 *     the ATS disable; docs/scenarios.md says so;
 *   - the event and PRI queue threads live in arm-smmu-v3-evtq.c and
 *     arm-smmu-v3-priq.c; one iopf queue per SMMU that can stall or take
 *     page requests (Linux allocates it for the evtq when stalls or SVA
 *     are supported).
 */
#include <errno.h>
#include <string.h>

#include "drivers/arm-smmu-v3/arm-smmu-v3.h"

#define ARM_SMMU_STRTAB_MAX_LOG2	10
#define ARM_SMMU_CR0ACK_POLL_US		1000

static int arm_smmu_write_reg_sync(struct arm_smmu_device *smmu, u32 val,
				   u32 reg, u32 ack)
{
	arm_smmu_writel(smmu, reg, val);
	for (int i = 0; i < ARM_SMMU_CR0ACK_POLL_US; i++) {
		if (arm_smmu_readl(smmu, ack) == val)
			return 0;
		udelay(1);
	}
	return -ETIMEDOUT;
}

static void arm_smmu_hw_probe(struct arm_smmu_device *smmu)
{
	u32 idr0 = arm_smmu_readl(smmu, SMMUV3_IDR0);
	u32 idr1 = arm_smmu_readl(smmu, SMMUV3_IDR1);

	if (idr0 & SMMUV3_IDR0_ATS)
		smmu->features |= ARM_SMMU_FEAT_ATS;
	if (idr0 & SMMUV3_IDR0_PRI)
		smmu->features |= ARM_SMMU_FEAT_PRI;
	if (idr0 & SMMUV3_IDR0_MSI)
		smmu->features |= ARM_SMMU_FEAT_MSI;
	switch (FIELD_GET(SMMUV3_IDR0_STALL_MODEL, idr0)) {
	case SMMUV3_IDR0_STALL_MODEL_FORCE:
		smmu->features |= ARM_SMMU_FEAT_STALL_FORCE;
		fallthrough;
	case SMMUV3_IDR0_STALL_MODEL_STALL:
		smmu->features |= ARM_SMMU_FEAT_STALLS;
		break;
	default:
		break;
	}
	smmu->sid_bits = FIELD_GET(SMMUV3_IDR1_SIDSIZE, idr1);
	smmu->ssid_bits = FIELD_GET(SMMUV3_IDR1_SSIDSIZE, idr1);
	if (!(smmu->features & ARM_SMMU_FEAT_MSI))
		smmu->sync_msi = false;
}

static int arm_smmu_init_one_queue(struct arm_smmu_device *smmu, struct arm_smmu_queue *q,
				   unsigned int entries, size_t dwords, u32 prod_reg,
				   u32 cons_reg, const char *name)
{
	size_t bytes = (size_t)entries * dwords * 8;
	size_t pages = DIV_ROUND_UP(bytes, 4096);

	if (!entries || (entries & (entries - 1)))
		return -EINVAL;
	if (hw_mem_alloc(smmu->mem, pages, name, &q->base_dma))
		return -ENOMEM;
	q->base = hw_mem_ptr(smmu->mem, q->base_dma, pages * 4096);
	memset(q->base, 0, pages * 4096);
	q->ent_dwords = dwords;
	q->llq.max_n_shift = ilog2(entries);
	q->llq.prod = q->llq.cons = 0;
	q->prod_reg = prod_reg;
	q->cons_reg = cons_reg;
	mutex_init(&q->consume_lock);
	q->q_base = (q->base_dma & SMMUV3_Q_BASE_ADDR) |
		    FIELD_PREP(SMMUV3_Q_BASE_LOG2SIZE, q->llq.max_n_shift);
	return 0;
}

static int arm_smmu_init_queues(struct arm_smmu_device *smmu,
				const struct arm_smmu_platform *pf)
{
	int ret;

	ret = arm_smmu_init_one_queue(smmu, &smmu->cmdq.q, pf->cmdq_entries, CMDQ_ENT_DWORDS,
				      SMMUV3_CMDQ_PROD, SMMUV3_CMDQ_CONS, "cmdq");
	if (!ret)
		ret = arm_smmu_cmdq_init(smmu, &smmu->cmdq, arm_smmu_cmdq_err_handler);
	if (!ret)
		ret = arm_smmu_init_one_queue(smmu, &smmu->evtq, pf->evtq_entries,
					      EVTQ_ENT_DWORDS, SMMUV3_EVTQ_PROD,
					      SMMUV3_EVTQ_CONS, "evtq");
	if (!ret && (smmu->features & ARM_SMMU_FEAT_PRI))
		ret = arm_smmu_init_one_queue(smmu, &smmu->priq, pf->priq_entries,
					      PRIQ_ENT_DWORDS, SMMUV3_PRIQ_PROD,
					      SMMUV3_PRIQ_CONS, "priq");
	return ret;
}

static int arm_smmu_init_strtab(struct arm_smmu_device *smmu)
{
	unsigned int log2 = min(smmu->sid_bits, (unsigned int)ARM_SMMU_STRTAB_MAX_LOG2);
	size_t bytes = ((size_t)1 << log2) * SMMUV3_STE_DWORDS * 8;
	size_t pages = DIV_ROUND_UP(bytes, 4096);

	if (hw_mem_alloc(smmu->mem, pages, "stream table", &smmu->strtab_dma))
		return -ENOMEM;
	smmu->strtab = hw_mem_ptr(smmu->mem, smmu->strtab_dma, pages * 4096);
	memset(smmu->strtab, 0, pages * 4096);
	smmu->strtab_ents = 1u << log2;
	for (unsigned int sid = 0; sid < smmu->strtab_ents; sid++)
		arm_smmu_make_abort_ste(smmu->strtab + (size_t)sid * SMMUV3_STE_DWORDS);
	return 0;
}

static int arm_smmu_setup_irqs(struct arm_smmu_device *smmu, const struct arm_smmu_platform *pf)
{
	u32 irqen = 0;
	int ret;

	smmu->gerr_irq = pf->irq[SMMUV3_IRQ_GERROR];
	if (smmu->gerr_irq > 0) {
		ret = request_irq(smmu->gerr_irq, arm_smmu_gerror_handler, 0,
				  "arm-smmu-v3-gerror", smmu);
		if (ret)
			return ret;
		irqen |= SMMUV3_IRQ_CTRL_GERROR_IRQEN;
	}
	smmu->evtq.irq = pf->irq[SMMUV3_IRQ_EVTQ];
	if (smmu->evtq.irq > 0) {
		ret = request_threaded_irq(smmu->evtq.irq, NULL, arm_smmu_evtq_thread,
					   IRQF_ONESHOT, "arm-smmu-v3-evtq", smmu);
		if (ret)
			return ret;
		irqen |= SMMUV3_IRQ_CTRL_EVTQ_IRQEN;
	}
	smmu->priq.irq = pf->irq[SMMUV3_IRQ_PRIQ];
	if ((smmu->features & ARM_SMMU_FEAT_PRI) && smmu->priq.irq > 0) {
		ret = request_threaded_irq(smmu->priq.irq, NULL, arm_smmu_priq_thread,
					   IRQF_ONESHOT, "arm-smmu-v3-priq", smmu);
		if (ret)
			return ret;
		irqen |= SMMUV3_IRQ_CTRL_PRIQ_IRQEN;
	}
	return arm_smmu_write_reg_sync(smmu, irqen, SMMUV3_IRQ_CTRL, SMMUV3_IRQ_CTRLACK);
}

static int arm_smmu_device_reset(struct arm_smmu_device *smmu,
				 const struct arm_smmu_platform *pf)
{
	struct smmuv3_cmd cmd;
	u32 enables;
	int ret;

	ret = arm_smmu_device_disable(smmu);
	if (ret)
		return ret;
	arm_smmu_writel(smmu, SMMUV3_CR1,
			FIELD_PREP(SMMUV3_CR1_TABLE_SH, 3) | FIELD_PREP(SMMUV3_CR1_TABLE_OC, 1) |
			FIELD_PREP(SMMUV3_CR1_TABLE_IC, 1) | FIELD_PREP(SMMUV3_CR1_QUEUE_SH, 3) |
			FIELD_PREP(SMMUV3_CR1_QUEUE_OC, 1) | FIELD_PREP(SMMUV3_CR1_QUEUE_IC, 1));
	arm_smmu_writeq(smmu, SMMUV3_STRTAB_BASE, smmu->strtab_dma);
	arm_smmu_writel(smmu, SMMUV3_STRTAB_BASE_CFG,
			FIELD_PREP(SMMUV3_STRTAB_BASE_CFG_FMT, SMMUV3_STRTAB_BASE_CFG_FMT_LINEAR) |
			FIELD_PREP(SMMUV3_STRTAB_BASE_CFG_LOG2SIZE, ilog2(smmu->strtab_ents)));

	arm_smmu_writeq(smmu, SMMUV3_CMDQ_BASE, smmu->cmdq.q.q_base);
	arm_smmu_writel(smmu, SMMUV3_CMDQ_PROD, 0);
	arm_smmu_writel(smmu, SMMUV3_CMDQ_CONS, 0);
	enables = SMMUV3_CR0_CMDQEN;
	ret = arm_smmu_write_reg_sync(smmu, enables, SMMUV3_CR0, SMMUV3_CR0ACK);
	if (ret)
		return ret;

	/* Invalidate any cached configuration and TLB entries */
	cmd = (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_CFGI_ALL };
	cmd.cfgi.range = 31;
	arm_smmu_cmdq_issue_cmd_with_sync(smmu, &cmd);
	cmd = (struct smmuv3_cmd){ .opcode = SMMUV3_CMD_TLBI_NSNH_ALL };
	arm_smmu_cmdq_issue_cmd_with_sync(smmu, &cmd);

	arm_smmu_writeq(smmu, SMMUV3_EVTQ_BASE, smmu->evtq.q_base);
	arm_smmu_writel(smmu, SMMUV3_EVTQ_PROD, 0);
	arm_smmu_writel(smmu, SMMUV3_EVTQ_CONS, 0);
	enables |= SMMUV3_CR0_EVTQEN;
	if (smmu->features & ARM_SMMU_FEAT_PRI) {
		arm_smmu_writeq(smmu, SMMUV3_PRIQ_BASE, smmu->priq.q_base);
		arm_smmu_writel(smmu, SMMUV3_PRIQ_PROD, 0);
		arm_smmu_writel(smmu, SMMUV3_PRIQ_CONS, 0);
		enables |= SMMUV3_CR0_PRIQEN;
	}
	if (smmu->features & ARM_SMMU_FEAT_ATS)
		enables |= SMMUV3_CR0_ATSCHK;
	ret = arm_smmu_write_reg_sync(smmu, enables, SMMUV3_CR0, SMMUV3_CR0ACK);
	if (ret)
		return ret;
	ret = arm_smmu_setup_irqs(smmu, pf);
	if (ret)
		return ret;
	enables |= SMMUV3_CR0_SMMUEN;
	return arm_smmu_write_reg_sync(smmu, enables, SMMUV3_CR0, SMMUV3_CR0ACK);
}

/**
 * arm_smmu_device_probe() - see arm-smmu-v3.h.
 */
struct arm_smmu_device *arm_smmu_device_probe(const struct arm_smmu_platform *pf)
{
	struct arm_smmu_device *smmu = kzalloc(sizeof(*smmu), GFP_KERNEL);
	int ret;

	kobj_set_name(smmu, "arm_smmu_device %s", pf->name);
	smmu->dev.name = pf->name;
	smmu->hw = pf->hw;
	smmu->mem = pf->mem;
	smmu->sync_msi = pf->sync_msi;
	smmu->policy = pf->policy;
	smmu->bugs = pf->bugs;
	mutex_init(&smmu->streams_mutex);
	spin_lock_init(&smmu->streams_lock);
	arm_smmu_hw_probe(smmu);
	ret = arm_smmu_init_queues(smmu, pf);
	if (!ret && (smmu->features & (ARM_SMMU_FEAT_STALLS | ARM_SMMU_FEAT_PRI))) {
		char name[SIM_NAME_LEN];

		snprintf(name, sizeof(name), "%s-iopf", pf->name);
		smmu->iopf_queue = iopf_queue_alloc(name);
		if (!smmu->iopf_queue)
			ret = -ENOMEM;
	}
	if (!ret)
		ret = arm_smmu_init_strtab(smmu);
	if (!ret)
		ret = arm_smmu_device_reset(smmu, pf);
	if (ret) {
		dev_err(&smmu->dev, "probe failed: %d\n", ret);
		return ERR_PTR(ret);
	}
	dev_info(&smmu->dev, "ias 48-bit, oas 48-bit (features 0x%08x)\n", smmu->features);
	return smmu;
}
