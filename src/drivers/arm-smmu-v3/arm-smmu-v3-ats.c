// SPDX-License-Identifier: MIT
/*
 * SMMUv3 driver: what happens when a CMD_SYNC reports an ATC invalidation
 * timeout (seed 003 patches 18-24; the review's simpler first step as a
 * policy).  arm_smmu_cmdq_batch_issue() calls arm_smmu_atc_timeout() when
 * the batch's CMD_SYNC returned -EIO and the batch came from an
 * invalidation array.  The SMMU cannot say which ATC_INV timed out (SMMUv3
 * §4.7.3: CERROR_ATC_INV_SYNC is raised at the CMD_SYNC), so:
 *
 *   atc_timeout=quarantine-batch   every ATS master with an ATC_INV in the
 *                                  batch is quarantined (innocent ones too);
 *   atc_timeout=quarantine-retry   each Stream ID's ATC_INV is re-issued
 *                                  alone with its own CMD_SYNC; the masters
 *                                  whose retry fails again are quarantined;
 *   atc_timeout=ignore             never called (the pre-series driver).
 *
 * Quarantine of a master, under master->ats_broken_lock with interrupts
 * masked (patch 23), so a concurrent STE write or reset_device_done cannot
 * interleave:
 *   1. clear STE.EATS of every SID in place (EATS may change while the STE
 *      is live: arm_smmu_get_ste_update_safe()), CFGI_STE each, CMD_SYNC;
 *   2. disable ATS at the device (PCI ATS_CTRL.Enable = 0);
 *   3. ats_broken = true: no more ATC_INV to it, no attach sets EATS;
 *   4. report to the core (iommu_report_device_broken(), per policy
 *      report_broken).
 * A successful reset lifts it: the core calls reset_device_done (below)
 * before re-attaching the domains, which then enable ATS again.
 */
#include <errno.h>

#include "core/pci.h"
#include "drivers/arm-smmu-v3/arm-smmu-v3.h"
#include "trace/evlog.h"

/* Step 1: EATS off on every SID of @master, CFGI_STE + CMD_SYNC. */
static int arm_smmu_master_clear_eats(struct arm_smmu_master *master)
{
	struct arm_smmu_device *smmu = master->smmu;
	struct arm_smmu_cmdq_batch cmds;

	arm_smmu_cmdq_batch_init(smmu, &cmds, NULL);
	for (unsigned int i = 0; i < master->num_streams; i++) {
		u32 sid = master->streams[i].id;
		u64 *ste = smmu->strtab + (size_t)sid * SMMUV3_STE_DWORDS;
		struct smmuv3_cmd cmd = { .opcode = SMMUV3_CMD_CFGI_STE,
					  .cfgi = { .sid = sid, .leaf = true } };

		WRITE_ONCE(ste[1], ste[1] & ~SMMUV3_STE1_EATS);
		arm_smmu_cmdq_batch_add(smmu, &cmds, &cmd);
	}
	return arm_smmu_cmdq_batch_submit(smmu, &cmds);
}

/**
 * arm_smmu_master_quarantine() - steps 1-4 above, on evidence (the failed
 * ATC_INV) issued at virtual time @evidence_ns, which only the
 * STALE_QUARANTINE checker hears.  Caller holds master->ats_broken_lock
 * (irqsave).
 */
static void arm_smmu_master_quarantine(struct arm_smmu_master *master, u64 evidence_ns)
{
	struct arm_smmu_device *smmu = master->smmu;

	if (arm_smmu_master_clear_eats(master))
		dev_err_ratelimited(&smmu->dev, "failed to disable ATS for master %s\n",
				    dev_name(master->dev));
	evlog_add(sim_cur, "smmu", "%s: STE.EATS cleared on %u SID(s)",
		  dev_name(master->dev), master->num_streams);
	if (master->ats_enabled) {
		pci_disable_ats(to_pci_dev(master->dev));
		master->ats_enabled = false;
	}
	master->ste_ats_enabled = false;
	WRITE_ONCE(master->ats_broken, true);
	master->quarantines++;
	smmu->stats.quarantines++;
	dev_err(master->dev, "ATC invalidation timed out: ATS quarantined until reset\n");
	evlog_add(sim_cur, "smmu", "%s: ATS quarantined (ats_broken)", dev_name(master->dev));
	iommu_broken_note_evidence(master->dev, evidence_ns);	/* checker only */
	iommu_report_device_broken(master->dev);
}

/* policy quarantine-batch: every ATS master named in the batch. */
static void arm_smmu_atc_timeout_batch(struct arm_smmu_device *smmu,
				       struct arm_smmu_cmdq_batch *cmds)
{
	for (int i = 0; i < cmds->num; i++) {
		struct smmuv3_cmd cmd;
		struct arm_smmu_master *master;
		unsigned long flags;

		if (smmuv3_cmd_decode(cmds->cmds[i].data, &cmd, true, true) ||
		    cmd.opcode != SMMUV3_CMD_ATC_INV)
			continue;
		master = arm_smmu_inv_find_master(smmu, cmds->invs, cmd.atc_inv.sid);
		if (WARN_ON(!master))
			continue;
		flags = _spin_lock_irqsave(&master->ats_broken_lock);
		/* No re-check: the evidence may predate a reset since */
		if (!master->ats_broken)
			arm_smmu_master_quarantine(master, cmds->issue_time);
		spin_unlock_irqrestore(&master->ats_broken_lock, flags);
	}
}

/* policy quarantine-retry (v4 patch 24): one ATC_INV + CMD_SYNC per SID. */
static void arm_smmu_atc_timeout_retry(struct arm_smmu_device *smmu,
				       struct arm_smmu_cmdq_batch *cmds)
{
	u32 last_sid = UINT32_MAX;

	for (int i = 0; i < cmds->num; i++) {
		struct arm_smmu_master *master;
		struct smmuv3_cmd cmd;
		unsigned long flags;
		u64 issued;
		int ret;

		if (smmuv3_cmd_decode(cmds->cmds[i].data, &cmd, true, true) ||
		    cmd.opcode != SMMUV3_CMD_ATC_INV || cmd.atc_inv.sid == last_sid)
			continue;
		last_sid = cmd.atc_inv.sid;
		master = arm_smmu_inv_find_master(smmu, cmds->invs, cmd.atc_inv.sid);
		if (WARN_ON(!master))
			continue;
		flags = _spin_lock_irqsave(&master->ats_broken_lock);
		/* A sibling SID's retry may have quarantined it already */
		if (master->ats_broken) {
			spin_unlock_irqrestore(&master->ats_broken_lock, flags);
			continue;
		}
		smmu->stats.batch_retries++;
		issued = ktime_get();	/* observation only: the retry is the evidence */
		ret = arm_smmu_cmdq_issue_cmdlist(smmu, cmds->cmdq, &cmds->cmds[i], 1, true);
		if (ret == -EIO) {
			evlog_add(sim_cur, "smmu", "culprit found: SID 0x%x (%s) times out alone",
				  cmd.atc_inv.sid, dev_name(master->dev));
			arm_smmu_master_quarantine(master, issued);
		}
		spin_unlock_irqrestore(&master->ats_broken_lock, flags);
	}
}

/**
 * arm_smmu_atc_timeout() - see arm-smmu-v3.h and the top of this file.
 * Context: the issuer's, any (possibly atomic); under RCU when the batch
 * came from a domain's array.
 */
void arm_smmu_atc_timeout(struct arm_smmu_device *smmu, struct arm_smmu_cmdq_batch *cmds)
{
	if (!cmds->invs || !cmds->invs->has_ats)
		return;
	evlog_add(sim_cur, "smmu", "CMD_SYNC reported an ATC invalidation timeout (-EIO)");
	switch (smmu->policy.atc_timeout) {
	case POL_ATC_TIMEOUT_QUARANTINE_BATCH:
		arm_smmu_atc_timeout_batch(smmu, cmds);
		break;
	case POL_ATC_TIMEOUT_QUARANTINE_RETRY:
		arm_smmu_atc_timeout_retry(smmu, cmds);
		break;
	default:
		break;
	}
}

/**
 * arm_smmu_reset_device_done() - the device reset successfully: lift the
 * driver-level quarantine (patch 18), under ats_broken_lock so a
 * quarantine in flight either completes before or sees the lift (patch
 * 23).  Context: called by the core under the group mutex.
 */
void arm_smmu_reset_device_done(struct device *dev)
{
	struct arm_smmu_master *master = dev_iommu_priv_get(dev);
	unsigned long flags;

	if (WARN_ON(!master))
		return;
	flags = _spin_lock_irqsave(&master->ats_broken_lock);
	if (master->ats_broken)
		evlog_add(sim_cur, "smmu", "%s: quarantine lifted (reset_device_done)",
			  dev_name(dev));
	WRITE_ONCE(master->ats_broken, false);
	spin_unlock_irqrestore(&master->ats_broken_lock, flags);
}
