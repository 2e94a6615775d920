// SPDX-License-Identifier: MIT
/*
 * SMMUv3 driver: the PRI queue IRQ thread (Linux arm_smmu_priq_thread(),
 * arm_smmu_handle_ppr(); SMMUv3 §8 PRI queue entries, PCIe 10.4.1).
 *
 * Each entry is a PCIe Page Request of a Page Request Group:
 *
 *   flags   LAST_PAGE when PRG_LAST, PASID_VALID when SSV (and
 *           NEEDS_PASID when the function requires a PASID on its PRG
 *           Responses: PRI_STATUS "PRG Response PASID Required")
 *   pasid   SSID         grpid  PRG index
 *   perm    R -> READ, W -> WRITE, X -> EXEC, Priv -> PRIV
 *   addr    the page     private_data  { SID, IOPF_SRC_PRI }
 *
 * A request with LAST = 0 is reported too: the core sets it aside until
 * its group's LAST arrives.  A request for a SID no master owns, or for a
 * master whose PRI the driver has not enabled, is logged and, if LAST,
 * answered at once with PRI_RESP Invalid (DENY), as Linux does.  On
 * overflow: "PRIQ overflow detected -- requests lost", and the partial
 * groups are dropped (iopf_queue_discard_partial(): a lost request may
 * have been a LAST).
 */
#include "drivers/arm-smmu-v3/arm-smmu-v3.h"

static void arm_smmu_ppr_to_fault(const struct smmuv3_pri_entry *ppr,
				  struct iopf_fault *fault_evt)
{
	struct iommu_fault *flt = &fault_evt->fault;
	u32 perm = 0;

	if (ppr->read)
		perm |= IOMMU_FAULT_PERM_READ;
	if (ppr->write)
		perm |= IOMMU_FAULT_PERM_WRITE;
	if (ppr->exec)
		perm |= IOMMU_FAULT_PERM_EXEC;
	if (ppr->priv)
		perm |= IOMMU_FAULT_PERM_PRIV;
	flt->type = IOMMU_FAULT_PAGE_REQ;
	flt->prm = (struct iommu_fault_page_request){
		.flags = ppr->last ? IOMMU_FAULT_PAGE_REQUEST_LAST_PAGE : 0,
		.grpid = ppr->prg_idx,
		.perm = perm,
		.addr = ppr->addr,
		.private_data = { ppr->sid, IOPF_SRC_PRI },
	};
	if (ppr->ssv) {
		flt->prm.flags |= IOMMU_FAULT_PAGE_REQUEST_PASID_VALID;
		flt->prm.pasid = ppr->ssid;
	}
}

/* Nobody takes it: answer a LAST with Invalid Request, without a CMD_SYNC. */
static void arm_smmu_ppr_deny(struct arm_smmu_device *smmu, const struct smmuv3_pri_entry *ppr)
{
	struct smmuv3_cmd ent = { .opcode = SMMUV3_CMD_PRI_RESP,
				  .pri_resp = { .sid = ppr->sid, .ssid = ppr->ssid,
						.ssv = ppr->ssv, .grpid = ppr->prg_idx,
						.resp = SMMUV3_PRI_RESP_DENY } };
	struct arm_smmu_cmd cmd;

	dev_info_ratelimited(&smmu->dev,
			     "unexpected PRI request received: sid 0x%x.0x%x prgidx %u last %d addr 0x%llx\n",
			     ppr->sid, ppr->ssid, ppr->prg_idx, ppr->last,
			     (unsigned long long)ppr->addr);
	if (!ppr->last)
		return;
	smmu->stats.ppr_denied++;
	if (!arm_smmu_cmd_build(&cmd, &ent))
		arm_smmu_cmdq_issue_cmdlist(smmu, &smmu->cmdq, &cmd, 1, false);
}

/** arm_smmu_handle_ppr() - see arm-smmu-v3.h. */
void arm_smmu_handle_ppr(struct arm_smmu_device *smmu, const struct smmuv3_pri_entry *ppr)
{
	struct iopf_fault fault_evt = { 0 };
	struct arm_smmu_master *master;

	smmu->stats.pprs++;
	arm_smmu_ppr_to_fault(ppr, &fault_evt);
	mutex_lock(&smmu->streams_mutex);
	master = arm_smmu_find_master(smmu, ppr->sid);
	if (master && READ_ONCE(master->pri_enabled)) {
		if (ppr->ssv && master->prg_resp_needs_pasid)
			fault_evt.fault.prm.flags |= IOMMU_FAULT_PAGE_RESPONSE_NEEDS_PASID;
		smmu->stats.ppr_reports++;
		iommu_report_device_fault(master->dev, &fault_evt);
		mutex_unlock(&smmu->streams_mutex);
		return;
	}
	mutex_unlock(&smmu->streams_mutex);
	arm_smmu_ppr_deny(smmu, ppr);
}

static void arm_smmu_priq_handle(struct arm_smmu_device *smmu, u64 *ent)
{
	struct smmuv3_pri_entry ppr;

	smmuv3_pri_decode(ent, &ppr);
	arm_smmu_handle_ppr(smmu, &ppr);
}

static void arm_smmu_priq_overflow(struct arm_smmu_device *smmu)
{
	smmu->stats.priq_overflows++;
	dev_err(&smmu->dev, "PRIQ overflow detected -- requests lost\n");
	if (smmu->iopf_queue)
		iopf_queue_discard_partial(smmu->iopf_queue);
}

/** arm_smmu_priq_consume() - see arm-smmu-v3.h. */
void arm_smmu_priq_consume(struct arm_smmu_device *smmu)
{
	arm_smmu_queue_consume(smmu, &smmu->priq, arm_smmu_priq_handle, arm_smmu_priq_overflow);
}

/** arm_smmu_priq_thread() - see arm-smmu-v3.h. */
irqreturn_t arm_smmu_priq_thread(int irq, void *dev)
{
	arm_smmu_priq_consume(dev);
	return IRQ_HANDLED;
}
