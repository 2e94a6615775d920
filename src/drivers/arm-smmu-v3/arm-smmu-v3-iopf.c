// SPDX-License-Identifier: MIT
/*
 * SMMUv3 driver: I/O page faults of a master (issue #5).  IOPF enable and
 * disable through the attach paths (Linux arm_smmu_enable_iopf() /
 * arm_smmu_disable_iopf(), "Put iopf enablement in the domain attach
 * path"), page responses (arm_smmu_page_response()), the fault fence of
 * seed 000 and the iopf_drain designs.
 *
 * A master can fault when it may stall (master->stall_enabled) or use PRI
 * (master->pri_supported).  An attachment (RID or PASID) of a domain with
 * an iopf_handler to such a master takes an IOPF reference; the first
 * puts the device on the SMMU's iopf queue, the first needing PRI enables
 * it at the function once the hardware uses the domain.  The last one
 * leaving tears down:
 *
 *   fence (CMD_SYNC; consume evtq and priq)    nothing the SMMU recorded is
 *                                              left unreported
 *   PRI on:  iopf_pri_disable_flush(dev)       pending groups answered
 *            CMD_SYNC                          the answers are out
 *            pci_disable_pri()
 *   iopf_queue_remove_device()                 what is left answered INVALID
 *
 * When an attachment moves away from a domain that took faults
 * (replace, detach, PASID removal), policy iopf_drain decides what the
 * driver does before it returns to the core, which then switches the
 * attach handle:
 *   none      nothing;
 *   flush-wq  seed 000's patch: iopf_queue_flush_dev() in the enable path
 *             when the master already had IOPF (replace), before the
 *             hardware switches;
 *   ordered   after the new STE/CD and a CMD_SYNC: the fault fence (the
 *             IRQ threads' work done here, under their consumer mutex:
 *             "kick the irq thread manually and see what's actually
 *             sitting in the event queue after the CMD_SYNC"), then
 *             iopf_queue_flush_dev(); the core calls ops->drain_faults
 *             (the fence again) after it switched the handle.
 */
#include "core/pci.h"
#include "drivers/arm-smmu-v3/arm-smmu-v3.h"

/** arm_smmu_master_probe_faults() - see arm-smmu-v3.h. */
void arm_smmu_master_probe_faults(struct arm_smmu_master *master)
{
	struct iommu_fwspec *fwspec = dev_iommu_fwspec_get(master->dev);
	struct arm_smmu_device *smmu = master->smmu;

	if (smmu->features & ARM_SMMU_FEAT_STALL_FORCE)
		master->stall_enabled = true;
	else if ((smmu->features & ARM_SMMU_FEAT_STALLS) && fwspec &&
		 (fwspec->flags & IOMMU_FWSPEC_DMA_CAN_STALL))
		master->stall_enabled = true;
	if ((smmu->features & ARM_SMMU_FEAT_PRI) && dev_is_pci(master->dev) &&
	    to_pci_dev(master->dev)->pri_cap && arm_smmu_ats_supported(master))
		master->pri_supported = true;
}

/** arm_smmu_master_can_fault() - see arm-smmu-v3.h. */
bool arm_smmu_master_can_fault(const struct arm_smmu_master *master)
{
	return (master->stall_enabled || master->pri_supported) && master->smmu->iopf_queue;
}

/* Take an IOPF reference (Linux arm_smmu_enable_iopf(), with seed 000's flush). */
static int arm_smmu_enable_iopf(struct arm_smmu_master *master)
{
	int ret;

	if (master->iopf_refcount) {
		master->iopf_refcount++;
		/*
		 * flush-wq (seed 000's patch): already on the IOPF queue (a
		 * domain replace): drain in-flight fault handlers so nothing
		 * holds the old domain when the core switches the handle.
		 */
		if (iopf_drain_policy() == POL_IOPF_DRAIN_FLUSH_WQ)
			iopf_queue_flush_dev(master->dev);
		return 0;
	}
	ret = iopf_queue_add_device(master->smmu->iopf_queue, master->dev);
	if (ret)
		return ret;
	master->iopf_refcount = 1;
	return 0;
}

/* PRI at the function, once ATS is on (Linux arm_smmu_enable_pri()). */
static void arm_smmu_enable_pri(struct arm_smmu_master *master)
{
	struct pci_dev *pdev = to_pci_dev(master->dev);
	u16 status = 0;
	int ret;

	if (!master->ats_enabled)
		return;		/* PRI needs ATS: quarantined, or no CD table */
	pci_read_config_word(pdev, pdev->pri_cap + PCI_PRI_STATUS, &status);
	master->prg_resp_needs_pasid = status != 0xffff && (status & PCI_PRI_STATUS_PASID);
	/* as many outstanding requests as the PRI queue holds (Intel: PRQ_DEPTH) */
	ret = pci_enable_pri(pdev, 1u << master->smmu->priq.llq.max_n_shift);
	if (ret) {
		dev_err(master->dev, "cannot enable PRI: %d\n", ret);
		return;
	}
	WRITE_ONCE(master->pri_enabled, true);
}

/* seed 001's PRI-off: answer what is pending, fence the answers, then off. */
static void arm_smmu_disable_pri(struct arm_smmu_master *master)
{
	iopf_pri_disable_flush(master->dev);
	arm_smmu_sync_responses(master->smmu);
	pci_disable_pri(to_pci_dev(master->dev));
	WRITE_ONCE(master->pri_enabled, false);
}

/* Drop an IOPF reference; the last one tears down (drawing at the top). */
static void arm_smmu_disable_iopf(struct arm_smmu_master *master)
{
	struct arm_smmu_device *smmu = master->smmu;

	if (WARN_ON(!master->iopf_refcount) || --master->iopf_refcount)
		return;
	arm_smmu_fault_fence(smmu);
	if (master->pri_enabled)
		arm_smmu_disable_pri(master);
	iopf_queue_remove_device(smmu->iopf_queue, master->dev);
}

/** arm_smmu_iopf_attach_prepare() - see arm-smmu-v3.h. */
int arm_smmu_iopf_attach_prepare(struct arm_smmu_master *master, struct iommu_domain *new,
				 bool *iopf)
{
	*iopf = new && new->iopf_handler && arm_smmu_master_can_fault(master);
	if (!*iopf)
		return 0;
	return arm_smmu_enable_iopf(master);
}

/** arm_smmu_iopf_attach_commit() - see arm-smmu-v3.h. */
void arm_smmu_iopf_attach_commit(struct arm_smmu_master *master, u32 ssid,
				 struct iommu_domain *old, struct iommu_domain *new, bool iopf)
{
	bool old_iopf = master->iopf_ssids & BIT_ULL(ssid);

	if (iopf && master->pri_supported && !master->pri_enabled)
		arm_smmu_enable_pri(master);
	/* (a released PASID's pending faults: the core discards them after us) */
	if (old_iopf && old != new && iopf_drain_policy() == POL_IOPF_DRAIN_ORDERED) {
		arm_smmu_fault_fence(master->smmu);
		iopf_queue_flush_dev(master->dev);
	}
	if (iopf)
		master->iopf_ssids |= BIT_ULL(ssid);
	else
		master->iopf_ssids &= ~BIT_ULL(ssid);
	if (old_iopf)
		arm_smmu_disable_iopf(master);
}

/** arm_smmu_sync_responses() - see arm-smmu-v3.h. */
int arm_smmu_sync_responses(struct arm_smmu_device *smmu)
{
	return arm_smmu_cmdq_issue_cmdlist(smmu, &smmu->cmdq, NULL, 0, true);
}

/** arm_smmu_fault_fence() - see arm-smmu-v3.h. */
void arm_smmu_fault_fence(struct arm_smmu_device *smmu)
{
	smmu->stats.fault_fences++;
	arm_smmu_cmdq_issue_cmdlist(smmu, &smmu->cmdq, NULL, 0, true);
	arm_smmu_evtq_consume(smmu);
	if (smmu->features & ARM_SMMU_FEAT_PRI)
		arm_smmu_priq_consume(smmu);
}

/** arm_smmu_drain_faults() - see arm-smmu-v3.h. */
void arm_smmu_drain_faults(struct device *dev)
{
	struct arm_smmu_master *master = dev_iommu_priv_get(dev);

	if (master)
		arm_smmu_fault_fence(master->smmu);
}

static u8 arm_smmu_resume_resp(u32 code)
{
	return code == IOMMU_PAGE_RESP_SUCCESS ? SMMUV3_RESUME_RETRY : SMMUV3_RESUME_ABORT;
}

static u8 arm_smmu_pri_resp(u32 code)
{
	switch (code) {
	case IOMMU_PAGE_RESP_SUCCESS:
		return SMMUV3_PRI_RESP_SUCC;
	case IOMMU_PAGE_RESP_INVALID:
		return SMMUV3_PRI_RESP_DENY;
	default:
		return SMMUV3_PRI_RESP_FAIL;
	}
}

/** arm_smmu_page_response() - see arm-smmu-v3.h. */
void arm_smmu_page_response(struct device *dev, struct iopf_fault *evt,
			    struct iommu_page_response *resp)
{
	struct arm_smmu_master *master = dev_iommu_priv_get(dev);
	const struct iommu_fault_page_request *prm = &evt->fault.prm;
	u32 sid = (u32)prm->private_data[0];
	struct smmuv3_cmd ent = { 0 };
	struct arm_smmu_cmd cmd;

	if (WARN_ON(!master))
		return;
	if (prm->private_data[1] == IOPF_SRC_STALL) {
		ent.opcode = SMMUV3_CMD_RESUME;
		ent.resume.sid = sid;
		ent.resume.stag = resp->grpid;
		ent.resume.resp = arm_smmu_resume_resp(resp->code);
		master->smmu->stats.resumes++;
	} else {
		ent.opcode = SMMUV3_CMD_PRI_RESP;
		ent.pri_resp.sid = sid;
		ent.pri_resp.ssv = prm->flags & IOMMU_FAULT_PAGE_RESPONSE_NEEDS_PASID;
		ent.pri_resp.ssid = ent.pri_resp.ssv ? resp->pasid : 0;
		ent.pri_resp.grpid = resp->grpid;
		ent.pri_resp.resp = arm_smmu_pri_resp(resp->code);
		master->smmu->stats.pri_resps++;
	}
	if (WARN_ON(arm_smmu_cmd_build(&cmd, &ent)))
		return;
	/*
	 * No CMD_SYNC (Linux): it does nothing for RESUME or PRI_RESP; the
	 * PRI-off path fences the answers with arm_smmu_sync_responses().
	 */
	arm_smmu_cmdq_issue_cmdlist(master->smmu, &master->smmu->cmdq, &cmd, 1, false);
}
